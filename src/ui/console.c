/*
 * console.c: the interactive console's life: set-up, the terminal's keys,
 * signals, tear-down.  One poll() loop over the terminal, the signal
 * self-pipe, the database socket and timers; a refresh in flight never
 * delays a key.
 */
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "airflow_db.h"
#include "app.h"
#include "config.h"
#include "fleetctl.h"
#include "impactctl.h"
#include "logctl.h"
#include "loop.h"
#include "options.h"
#include "sched_open.h"
#include "rerun.h"
#include "tz.h"
#include "zoneinfo.h"

/* Used when no keymap or view file can be read: the shipped defaults. */
#include "builtin_data.h"

void
app_mark_dirty(void *arg)
{
	((struct app *)arg)->dirty = true;
}

/*
 * A crash must not leave the user's terminal in curses modes: restore it,
 * then die of the same signal.
 */
static void
on_fatal(int signo)
{
	endwin();
	signal(signo, SIG_DFL);
	raise(signo);
}

/* A resize redraws; any other caught signal quits, keeping the first. */
static void
signal_caught(int signo, void *arg)
{
	struct app	*a = arg;

	if (signo == SIGWINCH) {
		endwin();
		refresh();
		a->dirty = true;
	} else {
		a->quit = true;
		if (a->quit_signal == 0)
			a->quit_signal = signo;
		loop_break(a->loop);
	}
}

/* Turns curses' key codes into keymap codes. */
static int
translate(int is_key, wint_t ch)
{
	if (!is_key)
		return ch == '\n' || ch == '\r' ? KEYC_ENTER : (int)ch;
	switch (ch) {
	case KEY_UP: return KEYC_UP;
	case KEY_DOWN: return KEYC_DOWN;
	case KEY_LEFT: return KEYC_LEFT;
	case KEY_RIGHT: return KEYC_RIGHT;
	case KEY_HOME: return KEYC_HOME;
	case KEY_END: return KEYC_END;
	case KEY_PPAGE: return KEYC_PAGEUP;
	case KEY_NPAGE: return KEYC_PAGEDOWN;
	case KEY_IC: return KEYC_INSERT;
	case KEY_DC: return KEYC_DELETE;
	case KEY_BTAB: return KEYC_BTAB;
	case KEY_ENTER: return KEYC_ENTER;
	case KEY_BACKSPACE: return KEYC_BACKSPACE;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return KEYC_F1 + (int)(ch - KEY_F(1));
		return -1;
	}
}

/*
 * Keys for readline: characters as UTF-8, curses' key codes back into the
 * escape sequences readline knows; Esc alone cancels.
 */
static void
feed_prompt(struct app *a, int rc, wint_t ch)
{
	char	u[8];
	size_t	n = 0;
	wint_t	next;

	a->dirty = true;
	if (rc == KEY_CODE_YES) {
		const char *seq = NULL;

		switch (ch) {
		case KEY_LEFT: seq = "\033[D"; break;
		case KEY_RIGHT: seq = "\033[C"; break;
		case KEY_UP: seq = "\033[A"; break;
		case KEY_DOWN: seq = "\033[B"; break;
		case KEY_HOME: seq = "\033[H"; break;
		case KEY_END: seq = "\033[F"; break;
		case KEY_DC: seq = "\033[3~"; break;
		case KEY_BACKSPACE: seq = "\177"; break;
		case KEY_ENTER: seq = "\r"; break;
		default: return;
		}
		prompt_feed(seq, strlen(seq));
		return;
	}
	if (ch == 27) {
		if (get_wch(&next) == ERR) {
			prompt_cancel();
			return;
		}
		prompt_feed("\033", 1);
		ch = next;
	}
	if (ch < 0x80)
		u[n++] = (char)ch;
	else if (ch < 0x800) {
		u[n++] = (char)(0xc0 | ch >> 6);
		u[n++] = (char)(0x80 | (ch & 0x3f));
	} else if (ch < 0x10000) {
		u[n++] = (char)(0xe0 | ch >> 12);
		u[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (ch & 0x3f));
	} else {
		u[n++] = (char)(0xf0 | ch >> 18);
		u[n++] = (char)(0x80 | (ch >> 12 & 0x3f));
		u[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (ch & 0x3f));
	}
	prompt_feed(u, n);
}

static void
stdin_ready(struct loop_fd *f, int revents, void *arg)
{
	struct app	*a = arg;
	wint_t		 ch;
	int		 rc, key, meta = 0;

	(void)f;
	(void)revents;
	while ((rc = get_wch(&ch)) != ERR) {
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			a->dirty = true;
			continue;
		}
		if (rc == KEY_CODE_YES && ch == KEY_MOUSE) {
			app_mouse(a);	/* nothing under a prompt or modal */
			logctl_sync(a->logs);
			a->dirty = true;
			continue;
		}
		if (prompt_active()) {
			/* A prompt that is not on screen takes no key. */
			if (!app_prompt_hidden(a))
				feed_prompt(a, rc, ch);
			continue;
		}
		if (rc == OK && ch == 27) {
			/* Esc then a key within ESCDELAY: meta. */
			if (get_wch(&ch) != ERR) {
				meta = KEYC_META;
				key = translate(0, ch);
			} else
				key = KEYC_ESC;
		} else
			key = translate(rc == KEY_CODE_YES, ch);
		if (key >= 0) {
			app_handle_key(a, key | meta);
			logctl_sync(a->logs);
		}
		meta = 0;
		a->dirty = true;
		if (a->quit)
			return;
	}
}

void
app_load_keymap(struct app *a, const char *name, struct buf *errors)
{
	/* The file (with its includes), else the built-in default. */
	if (keymap_load(name, &a->c.keymap, errors) != 0) {
		keymap_free(&a->c.keymap);
		keymap_parse(&a->c.keymap, builtin_keys, sizeof builtin_keys - 1,
		    "(built-in)", NULL, NULL, errors);
	}
}

void
app_load_view(struct app *a, const char *name, struct buf *errors)
{
	if (view_load(name, &a->c.view, errors) != 0) {
		view_free(&a->c.view);
		view_parse(&a->c.view, builtin_view, sizeof builtin_view - 1,
		    "oncall", "(built-in)", errors);
	}
}

/*
 * A crash leaves the terminal usable: on_fatal ends curses, then the
 * signal's default action runs (SA_RESETHAND).
 */
static void
catch_fatal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

/* Curses on, in the console's modes: keys at once, no echo, no cursor. */
static void
screen_start(int color)
{
	set_escdelay(25);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	ui_colors_init(color != 0);
	prompt_init();
}

/*
 * The way out: the clear in flight (if any) gets up to 5 s to answer and
 * be recorded, then curses ends and what the rerun had to say is printed.
 * Returns the exit status.
 */
static int
console_leave(struct app *a, struct loop_fd *stdin_fd)
{
	struct buf	said = BUF_INIT;
	int		exit_rc;

	if (rerun_in_flight(a->rerun) && a->quit_signal == 0) {
		/* Q during a clear: say why the screen waits. */
		buf_reset(&a->message);
		buf_puts(&a->message, "waiting up to 5 s for the clear's "
		    "answer, to record it...");
		app_draw(a);
	}
	/* A clear in flight gets its outcome recorded before we leave. */
	loop_fd_del(stdin_fd);	/* keys are over; a hung-up tty would spin */
	exit_rc = rerun_shutdown(a->rerun, a->loop, 5000, a->quit_signal ==
	    SIGHUP ? "interrupted by SIGHUP" : a->quit_signal == SIGTERM ?
	    "interrupted by SIGTERM" : a->quit_signal == SIGINT ?
	    "interrupted by SIGINT" : "the user quit", &said);
	prompt_shutdown();
	app_prompts_free();
	app_commands_free();
	endwin();
	if (said.len > 0)
		fprintf(stderr, "dagtop: %s\n", buf_str(&said));
	buf_free(&said);
	return exit_rc;
}

/* Everything the console held, freed. */
static void
console_free(struct app *a)
{
	int i;

	if (a->settings != a->initial_settings) {
		settings_free(a->settings);
		free(a->settings);
	}
	a->tearing_down = true;
	logctl_forget_db(a->logs);
	slots_feed_free(a->c.slots);
	fk_feed_free(a->c.fourkeys);
	sched_free(a->db);
	app_impact_free(a);
	fleetctl_free(a->fleet);
	app_compare_free(a);
	depq_free(a);
	rerun_free(a->rerun);
	logctl_free(a->logs);
	db_params_free(&a->params);
	snapshot_free(&a->c.snap);
	snapshot_free(&a->next);
	af_tis_free(&a->next_tis);
	app_strips_free(a);
	af_tis_free(&a->c.detail.tis);
	graph_free(a->c.detail.graph);
	task_rows_free(&a->c.detail.rows);
	buf_free(&a->c.detail.warnings);
	free(a->c.detail.dag_id);
	free(a->c.detail.run_id);
	free(a->c.dag_order);
	free(a->c.downstream);
	free(a->c.task_vis);
	for (i = 0; i < (int)a->c.nunfolded; i++)
		free(a->c.unfolded[i]);
	free(a->c.unfolded);
	filter_clear(&a->c.dag_filter);
	filter_clear(&a->c.task_filter);
	console_runs_forget(&a->c);
	keymap_free(&a->c.keymap);
	view_free(&a->c.view);
	sla_panes_free(&a->c.sla);
	panes_reset(&a->c);
	loop_free(a->loop);
	tz_free(a->c.zone);
	buf_free(&a->message);
	buf_free(&a->last_error);
	free(a->describe);
	free(a->sla_back_view);
}

/*
 * The console on context s, or (nfleet > 0) on the environments overview
 * of the contexts fleet (s the first of them; no connection of its own
 * until Enter opens one).
 */
static int
console_run(struct settings *s, const struct settings *fleet, size_t nfleet,
    const struct config *cfg, const struct cli_options *cli,
    const char *view_name, const char *keymap_name, int color, bool ascii)
{
	struct app		 a;
	struct db_options	 dbo;
	struct buf		 err = BUF_INIT;
	const char		*nc = getenv("NO_COLOR");
	const int		 caught[4] = { SIGWINCH, SIGTERM, SIGINT,
				    SIGHUP };
	struct loop_fd		*stdin_fd;
	int			 exit_rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dagtop: the console needs a terminal; scripts "
		    "and cron use 'dagtop report status'\n");
		return 64;
	}
	memset(&a, 0, sizeof a);
	a.c.settings = s;
	a.settings = a.initial_settings = s;
	a.config = cfg;
	a.cli = cli;
	a.c.zone = zoneinfo_load(s->timezone, &err);
	if (a.c.zone == NULL) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		buf_free(&err);
		return 78;
	}
	if (!sched_context_api(s) &&
	    db_params_build(options_db(s, &dbo), &a.params, &err) != 0) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		tz_free(a.c.zone);
		buf_free(&err);
		return 78;
	}
	sla_panes_load(&a.c.sla, cfg, s);
	app_load_keymap(&a, keymap_name != NULL ? keymap_name : "default", &err);
	app_load_view(&a, view_name != NULL ? view_name : "oncall", &err);
	if (err.len > 0) {
		/* Said before curses takes the screen; the built-ins still open. */
		fputs(buf_str(&err), stderr);
		sleep(1);
	}
	/* Line drawing needs UTF-8; anything else draws with ASCII. */
	a.c.ascii = ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	ui_set_ascii(a.c.ascii);
	if (color < 0)
		color = nc == NULL || *nc == '\0';
	/* Before initscr(), so that curses leaves SIGWINCH to us. */
	a.loop = loop_new();
	if (loop_signals(a.loop, caught, 4, signal_caught, &a) != 0) {
		perror("dagtop: pipe");
		loop_free(a.loop);
		return 70;
	}
	catch_fatal();
	screen_start(color);
	a.mouse = s->mouse;
	app_mouse_start(&a);
	stdin_fd = loop_fd_add(a.loop, STDIN_FILENO, POLLIN, stdin_ready, &a);
	a.logs = logctl_new(a.loop, &a.c, s, app_mark_dirty, &a);
	a.rerun = rerun_new(&a.c, app_rerun_done, &a);
	a.c.slots = slots_feed_new(a.loop, s, app_mark_dirty, &a);
	a.c.fourkeys = fk_feed_new(a.loop, a.config, app_mark_dirty, &a);
	if (nfleet > 0) {
		a.fleet = fleetctl_new(a.loop, cfg, fleet, nfleet,
		    app_mark_dirty, &a);
		a.fleet_shown = true;
	}
	app_refresh_start(&a);
	a.dirty = true;
	while (!a.quit) {
		if (a.dirty) {
			app_draw(&a);
			a.dirty = false;
		}
		if (loop_run_once(a.loop) < 0)
			break;
	}
	exit_rc = console_leave(&a, stdin_fd);
	console_free(&a);
	buf_free(&err);
	return exit_rc;
}

int
console_main(struct settings *s, const struct config *cfg,
    const struct cli_options *cli, const char *view_name,
    const char *keymap_name, int color, bool ascii)
{
	return console_run(s, NULL, 0, cfg, cli, view_name, keymap_name,
	    color, ascii);
}

int
console_main_many(struct settings *v, size_t n, const struct config *cfg,
    const struct cli_options *cli, const char *view_name,
    const char *keymap_name, int color, bool ascii)
{
	return console_run(&v[0], v, n, cfg, cli, view_name, keymap_name,
	    color, ascii);
}
