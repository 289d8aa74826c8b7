/*
 * prompt.c: GNU readline in callback mode on the console's message line,
 * for the / filter and the : command line (anchors.md §4.2).  curses owns
 * the terminal: readline gets bytes from the main loop, draws through our
 * redisplay function, and never touches signals or terminal modes.
 * History lives in $XDG_STATE_HOME/dagtop/history, mode 0600.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "sanitize.h"
#include "ui.h"
#include "xdg.h"

static unsigned char	 queue[64];
static size_t		 qhead, qtail;
static bool		 active;
static prompt_done_cb	 done_cb;
static void		*done_arg;
static WINDOW		*line_win;
static int		 line_y;
static char		*history_path;
static prompt_complete_cb complete_cb;	/* candidates for TAB */
static void		*complete_arg;
static int		 complete_start;	/* where the word begins */
static prompt_change_cb	 change_cb;	/* the line as it is typed */
static void		*change_arg;
static char		*change_seen;	/* the line change_cb last saw */
static char		*hint;		/* shown after the line, dim */

static int
getc_hook(FILE *fp)
{
	(void)fp;
	if (qhead == qtail)
		return EOF;
	return queue[qhead++ % sizeof queue];
}

static int
available_hook(void)
{
	return qhead != qtail;
}

/* Prompt and line on the message line, the cursor where readline has it. */
static void
redisplay(void)
{
	int		 w, h, col;
	size_t		 used;
	const char	*p = rl_display_prompt != NULL ? rl_display_prompt : "";

	if (line_win == NULL)
		return;
	getmaxyx(line_win, h, w);
	(void)h;
	wmove(line_win, line_y, 0);
	wclrtoeol(line_win);
	ui_put(line_win, p, w - 1);
	ui_put(line_win, rl_line_buffer, w - 1 - (int)text_width(p, strlen(p)));
	col = (int)text_width(p, strlen(p));
	if (hint != NULL) {
		/* Beside what was typed: why the line does not apply yet. */
		waddstr(line_win, "  ");
		wattron(line_win, A_DIM);
		ui_put_cut(line_win, hint, w - 1 - getcurx(line_win), false);
		wattroff(line_win, A_DIM);
	}
	text_fit(rl_line_buffer, (size_t)rl_point, (size_t)rl_point, &used);
	col += (int)text_width(rl_line_buffer, (size_t)rl_point);
	if (col < w) {
		wmove(line_win, line_y, col);
		curs_set(1);
	} else
		curs_set(0);
	wrefresh(line_win);
}

static void
on_line(char *line)
{
	prompt_done_cb	 cb = done_cb;
	void		*arg = done_arg;
	char		*copy = line != NULL ? xstrdup(line) : NULL;
	HIST_ENTRY	*last;

	if (line != NULL && *line != '\0') {
		last = history_length > 0 ? history_get(history_base +
		    history_length - 1) : NULL;
		if (last == NULL || strcmp(last->line, line) != 0) {
			add_history(line);
			if (history_path != NULL) {
				append_history(1, history_path);
				history_truncate_file(history_path, 1000);
			}
		}
	}
	free(line);
	rl_callback_handler_remove();
	active = false;
	curs_set(0);
	prompt_on_change(NULL, NULL);
	cb(arg, copy);
	free(copy);
}

/*
 * The completer's candidates for the word at complete_start, asked for
 * afresh at each TAB (the data behind them may have been refreshed since
 * the prompt opened), those that start with the text typed.
 */
static char *
generator(const char *text, int state)
{
	static size_t	i, len;
	const char	*c;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (complete_cb != NULL && (c = complete_cb(complete_arg,
	    rl_line_buffer, complete_start, i)) != NULL) {
		i++;
		if (strncmp(c, text, len) == 0)
			return xstrdup(c);
	}
	return NULL;
}

static char **
complete(const char *text, int start, int end)
{
	(void)end;
	rl_attempted_completion_over = 1;	/* no file names */
	complete_start = start;
	return rl_completion_matches(text, generator);
}

/* Readline must not print a list on stdout: show the first matches inline. */
static void
display_matches(char **matches, int n, int longest)
{
	struct buf	b = BUF_INIT;
	int		i;

	(void)longest;
	for (i = 1; i <= n && i <= 12; i++)
		buf_printf(&b, "%s ", matches[i]);
	if (line_win != NULL) {
		int w = getmaxx(line_win);

		wmove(line_win, line_y - 1 >= 0 ? line_y - 1 : 0, 0);
		wclrtoeol(line_win);
		ui_put(line_win, buf_str(&b), w - 1);
	}
	buf_free(&b);
	redisplay();
}

void
prompt_init(void)
{
	const char	*env = getenv("DAGTOP_HISTORY");
	struct buf	 b = BUF_INIT;
	int		 fd;

	rl_readline_name = "dagtop";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = getc_hook;
	rl_input_available_hook = available_hook;
	rl_redisplay_function = redisplay;
	rl_attempted_completion_function = complete;
	rl_completion_display_matches_hook = display_matches;
	rl_inhibit_completion = 0;
	rl_outstream = fopen("/dev/null", "we");
	stifle_history(1000);
	using_history();

	if (env != NULL) {
		if (*env != '\0' && strcmp(env, "/dev/null") != 0)
			buf_puts(&b, env);
	} else {
		char *dir = xdg_path(XDG_STATE, "");

		if (dir != NULL)
			buf_puts(&b, dir);
		free(dir);
	}
	if (b.len > 0 && env == NULL) {
		/* Create the folders with 0700, the file with 0600. */
		char *p = b.data + 1;

		while ((p = strchr(p, '/')) != NULL) {
			*p = '\0';
			mkdir(b.data, 0700);
			*p++ = '/';
		}
		mkdir(b.data, 0700);
		buf_puts(&b, "/history");
	}
	if (b.len > 0) {
		fd = open(b.data, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			history_path = buf_detach(&b);
			read_history(history_path);
		}
	}
	buf_free(&b);
}

void
prompt_shutdown(void)
{
	if (active) {
		rl_callback_sigcleanup();
		rl_callback_handler_remove();
		active = false;
	}
	prompt_on_change(NULL, NULL);
	free(change_seen);
	change_seen = NULL;
	free(history_path);
	history_path = NULL;
	clear_history();
	if (rl_outstream != NULL && rl_outstream != stdout) {
		fclose(rl_outstream);
		rl_outstream = NULL;
	}
}

void
prompt_open(WINDOW *w, int y, const char *prompt, prompt_complete_cb cands,
    prompt_done_cb cb, void *arg)
{
	line_win = w;
	line_y = y;
	complete_cb = cands;
	complete_arg = arg;
	done_cb = cb;
	done_arg = arg;
	qhead = qtail = 0;
	prompt_on_change(NULL, NULL);
	active = true;
	rl_callback_handler_install(prompt, on_line);
	redisplay();
}

bool
prompt_active(void)
{
	return active;
}

void
prompt_cancel(void)
{
	if (!active)
		return;
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
	active = false;
	curs_set(0);
	prompt_on_change(NULL, NULL);
	done_cb(done_arg, NULL);
}

void
prompt_on_change(prompt_change_cb cb, void *arg)
{
	change_cb = cb;
	change_arg = arg;
	free(change_seen);
	change_seen = xstrdup(active && rl_line_buffer != NULL ?
	    rl_line_buffer : "");
	prompt_hint(NULL);
}

void
prompt_hint(const char *text)
{
	free(hint);
	hint = text != NULL && *text != '\0' ? xstrdup(text) : NULL;
}

/* Tells change_cb of the line when a key changed it. */
static void
tell_change(void)
{
	if (!active || change_cb == NULL || rl_line_buffer == NULL ||
	    strcmp(rl_line_buffer, change_seen) == 0)
		return;
	free(change_seen);
	change_seen = xstrdup(rl_line_buffer);
	change_cb(change_arg, change_seen);
	redisplay();	/* the hint it may have set */
}

/* Feeds bytes to readline; it calls on_line when a line is complete. */
void
prompt_feed(const char *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n && active; i++) {
		queue[qtail++ % sizeof queue] = (unsigned char)bytes[i];
		while (active && qhead != qtail)
			rl_callback_read_char();
	}
	tell_change();
}

void
prompt_redraw(WINDOW *w, int y)
{
	line_win = w;
	line_y = y;
	if (active)
		rl_forced_update_display();
}
