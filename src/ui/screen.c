/*
 * screen.c: what the console draws around the panes (header, message and
 * status lines, help), the panes of the view's current screen, and focus:
 * which pane of which screen keys go to.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "rerun.h"
#include "timefmt.h"

static void
draw_header(struct app *a, int w)
{
	struct console		*c = &a->c;
	struct buf		 b = BUF_INIT;
	enum health		 h;
	int64_t			 now = (int64_t)time(NULL);

	move(0, 0);
	clrtoeol();
	attron(A_BOLD);
	addstr("dagtop");
	attroff(A_BOLD);
	buf_puts(&b, "  ");
	buf_puts(&b, c->settings->context != NULL ? c->settings->context :
	    "(command line)");
	if (a->describe != NULL)
		buf_printf(&b, "  %s", a->describe);
	ui_put(stdscr, buf_str(&b), w - 40);
	buf_reset(&b);
	if (c->snap.valid) {
		h = af_job_state(&c->snap.health.job[AF_JOB_SCHEDULER],
		    c->snap.health.now, c->settings->scheduler_threshold);
		buf_printf(&b, "  scheduler %s", health_name(h == HEALTH_ABSENT ?
		    HEALTH_DOWN : h));
		if (h != HEALTH_OK)
			attron(A_BOLD | A_REVERSE);
		addstr(buf_str(&b));
		if (h != HEALTH_OK)
			attroff(A_BOLD | A_REVERSE);
		buf_reset(&b);
	}
	buf_puts(&b, "  ");
	fmt_time(&b, c->zone, now, FMT_SHORT);
	if (c->snap.valid && now - c->snap.read_at > 2 * settings_refresh(c->settings)) {
		buf_puts(&b, "  data ");
		fmt_duration(&b, (double)(now - c->snap.read_at));
		buf_puts(&b, " old");
	}
	addstr(buf_str(&b));
	if (c->settings->readonly && w > 11) {
		/* At the right edge, over whatever did not fit: always seen. */
		attron(A_REVERSE | A_BOLD);
		mvaddstr(0, w - 11, " READ-ONLY ");
		attroff(A_REVERSE | A_BOLD);
	}
	buf_free(&b);
}

static void
draw_footer(struct app *a, int w, int h)
{
	struct buf	b = BUF_INIT;
	static const enum action hints[] = { ACTION_HELP, ACTION_ENTER,
	    ACTION_BACK, ACTION_NEXT_PANE, ACTION_DOWNSTREAM, ACTION_REFRESH,
	    ACTION_QUIT };
	size_t		i;

	move(h - 2, 0);
	clrtoeol();
	if (!a->connected && a->last_error.len > 0) {
		int64_t left = a->retry_at - (int64_t)time(NULL);

		buf_printf(&b, "disconnected, retrying in %llds: ",
		    (long long)(left > 0 ? left : 0));
		buf_puts(&b, buf_str(&a->last_error));
		attron(A_BOLD);
		ui_put(stdscr, buf_str(&b), w);
		attroff(A_BOLD);
	} else if (a->message.len > 0)
		ui_put(stdscr, buf_str(&a->message), w);
	else if (a->c.log.said.len > 0)
		ui_put(stdscr, buf_str(&a->c.log.said), w);
	buf_reset(&b);
	move(h - 1, 0);
	clrtoeol();
	for (i = 0; i < sizeof hints / sizeof *hints; i++) {
		struct buf keys = BUF_INIT;

		keymap_keys_for(&a->c.keymap, hints[i], &keys);
		if (keys.len == 0) {
			buf_free(&keys);
			continue;
		}
		keys.len = strcspn(keys.data, ",");
		keys.data[keys.len] = '\0';
		buf_printf(&b, "%s %s  ", buf_str(&keys), action_name(hints[i]));
		buf_free(&keys);
	}
	attron(A_DIM);
	ui_put(stdscr, buf_str(&b), w);
	attroff(A_DIM);
	buf_free(&b);
}

static void
draw_help(struct app *a, int y, int w, int h)
{
	WINDOW	*win = newwin(h, w, y, 0);
	int	 row = 1;
	size_t	 i;

	if (win == NULL)
		return;
	ui_frame(win, "keys (any key closes)", true, a->c.ascii);
	/* The command table's order; : only commands with their argument. */
	for (i = 0; i < command_count() && row < h - 1; i++) {
		struct buf	keys = BUF_INIT;
		enum action	act = command_nth_action(i);

		if (act != ACTION_NONE)
			keymap_keys_for(&a->c.keymap, act, &keys);
		else
			buf_printf(&keys, ":%s NAME", command_nth_name(i));
		if (keys.len == 0) {
			buf_free(&keys);
			continue;
		}
		mvwaddstr(win, row, 2, "");
		wattron(win, A_BOLD);
		ui_put(win, buf_str(&keys), 22);
		wattroff(win, A_BOLD);
		wmove(win, row, 25);
		wprintw(win, "%-13s ", command_nth_name(i));
		ui_put(win, command_nth_help(i), w - 42);
		row++;
		buf_free(&keys);
	}
	wnoutrefresh(win);
	delwin(win);
}

void
app_draw(struct app *a)
{
	struct console		*c = &a->c;
	struct pane_rect	 r[16];
	size_t			 n, i;
	int			 w, h;
	WINDOW			*win;
	bool			 empty[PANE_KIND_COUNT];

	getmaxyx(stdscr, h, w);
	a->nlayout = 0;
	erase();
	rerun_hide(a->rerun);
	a->too_small = w < c->view.min_w || h < c->view.min_h;
	if (a->too_small) {
		mvprintw(0, 0, "terminal too small (need %dx%d)", c->view.min_w,
		    c->view.min_h);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(a, w);
	draw_footer(a, w, h);
	wnoutrefresh(stdscr);
	if (a->help) {
		draw_help(a, 1, w, h - 3);
		doupdate();
		return;
	}
	/* Panes with nothing to show give their space away (view.h). */
	panes_empty(c, empty);
	n = view_layout_fit(&c->view, a->screen, 0, 1, w, h - 3, empty, r, 16);
	if (a->focus >= n)
		a->focus = 0;
	for (i = 0; i < n && r[a->focus].w == 0; i++)
		a->focus = (a->focus + 1) % n;	/* a collapsed pane has none */
	memcpy(a->layout, r, n * sizeof *r);
	a->nlayout = n;
	for (i = 0; i < n; i++) {
		if (r[i].w < 4 || r[i].h < 3)
			continue;
		win = newwin(r[i].h, r[i].w, r[i].y, r[i].x);
		if (win == NULL)
			continue;
		pane_class(r[i].kind)->draw(c, pane_state(c, r[i].kind), win,
		    i == a->focus);
		wnoutrefresh(win);
		delwin(win);
	}
	rerun_draw(a->rerun, 1, w, h - 3);
	doupdate();
	if (prompt_active())
		prompt_redraw(stdscr, h - 2);
}

void
app_draw_now(struct app *a)
{
	app_draw(a);
	a->dirty = false;
}

static size_t
panes_in_screen(const struct app *a, size_t screen)
{
	size_t i, n = 0;

	if (screen >= a->c.view.nscreens)
		return 0;
	for (i = 0; i < a->c.view.screens[screen].nrows; i++)
		n += a->c.view.screens[screen].rows[i].npanes;
	return n;
}

enum pane_kind
app_focused_kind(const struct app *a)
{
	struct pane_rect	r[16];
	size_t			n = view_layout(&a->c.view, a->screen, 0, 0, 200,
				    100, r, 16);

	return a->focus < n ? r[a->focus].kind : PANE_RUNS;
}

/* Moves focus to the first pane of this kind, on any screen. */
void
app_focus_kind(struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++) {
			if (r[i].kind == k) {
				a->screen = s;
				a->focus = i;
				return;
			}
		}
	}
}

void
app_next_pane(struct app *a, int dir)
{
	size_t n = panes_in_screen(a, a->screen);

	if (n > 1) {
		size_t i = a->focus;

		/* Collapsed panes are passed over (panes_collapsed). */
		do
			i = (i + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
		while (i != a->focus && panes_collapsed(&a->c, a->screen, i));
		a->focus = i;
		return;
	}
	/* One pane per screen: move between screens. */
	n = a->c.view.nscreens;
	a->screen = (a->screen + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	a->focus = 0;
}

bool
app_view_has(const struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++)
			if (r[i].kind == k)
				return true;
	}
	return false;
}

/* The screen is, or is about to be, "terminal too small". */
bool
app_too_small(const struct app *a)
{
	int h, w;

	getmaxyx(stdscr, h, w);
	return a->too_small || w < a->c.view.min_w || h < a->c.view.min_h;
}
