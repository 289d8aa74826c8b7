/*
 * screen.c: what the console draws around the panes (header, breadcrumb,
 * message line, status bar; help is help.c's), the panes of the view's
 * current screen or the too-small screen, and focus: which pane of which
 * screen keys go to.  Every cut here ends in the mark.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "rerun.h"
#include "sanitize.h"
#include "timefmt.h"
#include "tz.h"

/* What ends a cut: an ellipsis, '~' with --ascii (as ui_put_cut). */
#define CUT_MARK(c)	((c)->ascii ? "~" : "\xe2\x80\xa6")

/* Text from outside, defused as ui_put shows it, into b. */
static void
defuse(struct buf *b, const char *s)
{
	buf_reset(b);
	if (s != NULL)
		sanitize_append(b, s, strlen(s), SAN_SHOW_ESCAPES);
}

static int
cols_of(const struct buf *b)
{
	return (int)text_width(buf_str(b), b->len);
}

/*
 * The header's right end at a level of shortening (0: all of it, 1: no
 * "scheduler", 2: the clock without its date): health, the clock with its
 * zone, how old the data is.  Returns the columns of the health part, which
 * is drawn apart (reversed when not healthy).
 */
static int
header_right(struct app *a, int64_t now, int level, struct buf *b,
    enum health *h)
{
	struct console	*c = &a->c;
	struct buf	 t = BUF_INIT;
	struct tz_local	 lt;
	int		 hw = 0;

	buf_reset(b);
	if (c->snap.valid) {
		*h = af_job_state(&c->snap.health.job[AF_JOB_SCHEDULER],
		    c->snap.health.now, c->settings->scheduler_threshold);
		buf_printf(b, "%s%s", level > 0 ? "" : "scheduler ",
		    health_name(*h == HEALTH_ABSENT ? HEALTH_DOWN : *h));
		hw = (int)b->len;
		buf_puts(b, "  ");
	}
	fmt_time(&t, c->zone, now, FMT_SHORT);
	/* "12-05 04:14": level 2 keeps the time. */
	buf_puts(b, level > 1 && strchr(buf_str(&t), ' ') != NULL ?
	    strchr(buf_str(&t), ' ') + 1 : buf_str(&t));
	tz_localtime(c->zone, now, &lt);
	buf_printf(b, " %s", lt.abbr[0] != '\0' ? lt.abbr : tz_name(c->zone));
	if (c->snap.valid && now - c->snap.read_at >
	    2 * app_refresh_every(a)) {
		buf_puts(b, "  data ");
		fmt_duration(b, (double)(now - c->snap.read_at));
		buf_puts(b, " old");
	}
	/* Backed off from a slow database (pace.h): the interval in use. */
	if (app_refresh_every(a) > settings_refresh(c->settings))
		buf_printf(b, "  every %d s", app_refresh_every(a));
	if (c->settings->readonly)
		buf_puts(b, "  READ-ONLY");
	buf_free(&t);
	return hw;
}

/*
 * Row 0: "dagtop", the context and what the database says it is on the
 * left; the scheduler's health and the clock with its zone at the right.
 * What does not fit goes first: the description is cut (with the mark) or
 * dropped, then "scheduler" and the clock's date; the context is cut last.
 */
static void
draw_header(struct app *a, int w)
{
	struct console	*c = &a->c;
	struct buf	 b = BUF_INIT, right = BUF_INIT;
	enum health	 h = HEALTH_OK;
	int64_t		 now = (int64_t)time(NULL);
	int		 level, hw = 0, room, x;

	defuse(&b, c->settings->context != NULL ? c->settings->context :
	    "(command line)");
	for (level = 0; level < 3; level++) {
		hw = header_right(a, now, level, &right, &h);
		room = w - (int)right.len - 2;
		if (room >= 8 + (cols_of(&b) < 12 ? cols_of(&b) : 12))
			break;
	}
	room = w - (int)right.len - 2;
	move(0, 0);
	clrtoeol();
	if (room >= 6) {
		attron(A_BOLD);
		addstr("dagtop");
		attroff(A_BOLD);
	}
	if (room >= 10) {
		addstr("  ");
		ui_put_cut(stdscr, buf_str(&b), room - 8, c->ascii);
	}
	x = getcurx(stdscr);
	if (a->describe != NULL && room - x >= 12) {
		addstr("  ");
		ui_put_cut(stdscr, a->describe, room - x - 2, c->ascii);
	}
	/* The right end, always seen; the health reversed when it is bad. */
	if (w <= (int)right.len) {
		move(0, 0);
		ui_put_cut(stdscr, buf_str(&right), w, c->ascii);
		goto out;
	}
	move(0, w - (int)right.len);
	if (hw > 0 && h != HEALTH_OK)
		attron(A_BOLD | A_REVERSE);
	addnstr(buf_str(&right), hw);
	attroff(A_BOLD | A_REVERSE);
	if (c->settings->readonly && right.len > 11) {
		addnstr(buf_str(&right) + hw, (int)right.len - hw - 11);
		attron(A_REVERSE | A_BOLD);
		addstr(" READ-ONLY ");
		attroff(A_REVERSE | A_BOLD);
	} else
		addstr(buf_str(&right) + hw);
out:
	buf_free(&b);
	buf_free(&right);
}

/*
 * Cuts the defused text in b to cols columns by its middle, which then
 * holds the mark: "finance_rec…daily_v2" (both ends of an id tell more
 * than its start alone); or by its start, "…2026-12-03T09:00:00+00:00",
 * for run ids, which differ at their end.
 */
static void
cut_middle(struct buf *b, int cols, const char *mark, bool from_left)
{
	struct buf	 out = BUF_INIT;
	size_t		 used, head, tail;

	if (cols < 2 || cols_of(b) <= cols)
		return;
	head = text_fit(buf_str(b), b->len, from_left ? 0 :
	    (size_t)(cols - 1) / 2, &used);
	for (tail = head; tail < b->len; tail++)
		if (((unsigned char)b->data[tail] & 0xc0) != 0x80 &&
		    text_width(b->data + tail, b->len - tail) <=
		    (size_t)cols - 1 - used)
			break;
	buf_append(&out, b->data, head);
	buf_puts(&out, mark);
	buf_append(&out, b->data + tail, b->len - tail);
	buf_reset(b);
	buf_append(b, out.data, out.len);
	buf_free(&out);
}

#define NCRUMBS	4

/*
 * What the breadcrumb names after the context: the open run's DAG and run,
 * else the selected DAG (and, in its runs, the selected run); then the
 * task under the tasks pane's cursor, else the log's.  Returns how many.
 */
static size_t
crumbs(struct app *a, struct buf *v)
{
	struct console		*c = &a->c;
	const struct task_row	*row = NULL;
	const struct af_run	*runs[64];
	char			*dag;
	size_t			 n = 1, nr;
	int			 inst;

	defuse(&v[0], c->settings->context != NULL ? c->settings->context :
	    "(command line)");
	if (c->detail.run_id != NULL && c->detail.dag_id != NULL) {
		defuse(&v[n++], c->detail.dag_id);
		defuse(&v[n++], c->detail.run_id);
	} else if ((dag = console_selected_dag(c)) != NULL) {
		defuse(&v[n++], dag);
		nr = c->runs_level == 1 ? console_dag_runs(c, dag, runs, 64) : 0;
		if (c->run_sel < nr)
			defuse(&v[n++], runs[c->run_sel]->run_id);
		free(dag);
	}
	if (n == 3 && c->detail.loaded)
		row = console_task_row(c, c->task_sel);
	if (row != NULL) {
		inst = console_task_inst(c, c->task_sel);
		defuse(&v[n], row->ti[inst >= 0 ? inst : 0].task_id);
		if (inst >= 0)
			buf_printf(&v[n], "[%d]", row->ti[inst].map_index);
		n++;
	} else if (n == 3 && c->log.task_id != NULL) {
		defuse(&v[n], c->log.task_id);
		if (c->log.map_index >= 0)
			buf_printf(&v[n], "[%d]", c->log.map_index);
		n++;
	}
	return n;
}

/*
 * Row 1: context > DAG > run > task.  When it does not fit, the longest
 * names are cut, with the mark, down to 8 columns each (the run from its
 * start, the others in their middle); then what is left at the right.
 */
static void
draw_crumbs(struct app *a, int y, int w)
{
	struct console	*c = &a->c;
	struct buf	 v[NCRUMBS], line = BUF_INIT;
	const char	*sep = c->ascii ? " > " : " \xe2\x80\xba ";
	int		 cols[NCRUMBS], total = 0, widest;
	size_t		 n, i;

	for (i = 0; i < NCRUMBS; i++)
		v[i] = (struct buf)BUF_INIT;
	n = crumbs(a, v);
	for (i = 0; i < n; i++)
		total += (cols[i] = cols_of(&v[i])) + (i > 0 ? 3 : 0);
	while (total > w) {
		for (widest = 0, i = 1; i < n; i++)
			if (cols[i] > cols[widest])
				widest = (int)i;
		if (cols[widest] <= 8)
			break;
		cols[widest]--;
		total--;
	}
	for (i = 0; i < n; i++) {
		cut_middle(&v[i], cols[i], CUT_MARK(c), i == 2);
		if (i > 0)
			buf_puts(&line, sep);
		buf_append(&line, v[i].data, v[i].len);
		buf_free(&v[i]);
	}
	move(y, 0);
	clrtoeol();
	ui_put_cut(stdscr, buf_str(&line), w, c->ascii);
	buf_free(&line);
}

/*
 * The status bar's hints, most useful first, with the bar's short word
 * for each; the moves every list has are left out.  Only those that act
 * in the focused pane are shown (the command table says which:
 * command_acts_in).
 */
struct hint {
	enum action	 act;
	const char	*label;
};
static const struct hint pane_hints[] = {
	{ ACTION_ENTER, "open" }, { ACTION_NEXT_FAILED, "next failed" },
	{ ACTION_RERUN, "rerun" },
	{ ACTION_FILTER, "filter" }, { ACTION_DOWNSTREAM, "downstream" },
	{ ACTION_UNFOLD, "unfold" }, { ACTION_JUMP_ERROR, "error" },
	{ ACTION_FOLLOW, "follow" }, { ACTION_SEARCH_NEXT, "next match" },
	{ ACTION_PREV_TRY, "prev try" }, { ACTION_NEXT_TRY, "next try" },
	{ ACTION_WRAP, "wrap" }, { ACTION_SAVE, "save" },
	{ ACTION_SORT, "sort" }, { ACTION_LEFT, "left" },
	{ ACTION_RIGHT, "right" }, { ACTION_BACK, "back" },
	{ ACTION_NEXT_PANE, "pane" }, { ACTION_REFRESH, "refresh" },
	{ ACTION_COMMAND, "command" }
};
/* The environments overview's keys (pane_fleet.c). */
static const struct hint fleet_hints[] = {
	{ ACTION_ENTER, "open" }, { ACTION_DOWN, "down" }, { ACTION_UP, "up" },
	{ ACTION_REFRESH, "refresh" }, { ACTION_COMMAND, "command" }
};
/* The help screen's own keys (app_help_key). */
static const struct hint help_hints[] = {
	{ ACTION_DOWN, "down" }, { ACTION_UP, "up" },
	{ ACTION_PAGE_DOWN, "page" }, { ACTION_BOTTOM, "end" },
	{ ACTION_TOP, "top" }, { ACTION_FILTER, "filter" }
};

/* "KEY label" with the action's first key in the keymap in force. */
static bool
hint(const struct app *a, enum action act, const char *label,
    struct buf *b)
{
	buf_reset(b);
	if (keymap_first_key(&a->c.keymap, act, b) != 0)
		return false;
	buf_printf(b, " %s", label);
	return true;
}

/*
 * The last row: the keys that act in the focused pane (in help, help's
 * own), as many whole hints as fit, then the mark when some did not; help
 * and quit (in help: back and quit) always at the right end.
 */
static void
draw_status(struct app *a, int y, int w)
{
	struct console	*c = &a->c;
	struct buf	 line = BUF_INIT, one = BUF_INIT, tail = BUF_INIT;
	enum pane_kind	 k = app_focused_kind(a);
	bool		 fleet = !a->help && app_fleet_shown(a);
	const struct hint *order = a->help ? help_hints : fleet ? fleet_hints :
			    pane_hints;
	size_t		 n = a->help ? sizeof help_hints / sizeof *help_hints :
			    fleet ? sizeof fleet_hints / sizeof *fleet_hints :
			    sizeof pane_hints / sizeof *pane_hints, i;
	bool		 cut = false;
	int		 room;

	if (hint(a, a->help ? ACTION_BACK : ACTION_HELP, a->help ? "close" :
	    "help", &one))
		buf_printf(&tail, "%s  ", buf_str(&one));
	if (hint(a, ACTION_QUIT, "quit", &one))
		buf_puts(&tail, buf_str(&one));
	room = w - cols_of(&tail) - 2 - 3;	/* and "  " + the mark */
	for (i = 0; i < n; i++) {
		if ((!a->help && !fleet && !command_acts_in(order[i].act, k)) ||
		    !hint(a, order[i].act, order[i].label, &one))
			continue;
		if (cols_of(&line) + (line.len > 0 ? 2 : 0) + cols_of(&one) >
		    room) {
			cut = true;
			break;
		}
		if (line.len > 0)
			buf_puts(&line, "  ");
		buf_append(&line, one.data, one.len);
	}
	if (cut)
		buf_printf(&line, "  %s", CUT_MARK(c));
	if (a->help && a->help_typing) {
		/* Keys type into help's filter now: say how it ends. */
		buf_reset(&line);
		buf_puts(&line, "type to filter  Enter keeps it  Esc clears it");
		buf_reset(&tail);
	}
	move(y, 0);
	clrtoeol();
	attron(A_DIM);
	ui_put_cut(stdscr, buf_str(&line), w, c->ascii);
	if (w > cols_of(&tail))
		mvaddstr(y, w - cols_of(&tail), buf_str(&tail));
	attroff(A_DIM);
	buf_free(&line);
	buf_free(&one);
	buf_free(&tail);
}

/* Row h-2: what went wrong, or the last message; cut with the mark. */
static void
draw_message(struct app *a, int y, int w)
{
	struct buf	b = BUF_INIT;

	move(y, 0);
	clrtoeol();
	if (!a->connected && a->last_error.len > 0) {
		int64_t left = a->retry_at - (int64_t)time(NULL);

		buf_printf(&b, "disconnected, retrying in %llds: ",
		    (long long)(left > 0 ? left : 0));
		buf_puts(&b, buf_str(&a->last_error));
		attron(A_BOLD);
		ui_put_cut(stdscr, buf_str(&b), w, a->c.ascii);
		attroff(A_BOLD);
	} else if (a->message.len > 0)
		ui_put_cut(stdscr, buf_str(&a->message), w, a->c.ascii);
	else if (a->c.log.said.len > 0)
		ui_put_cut(stdscr, buf_str(&a->c.log.said), w, a->c.ascii);
	buf_free(&b);
}

/*
 * "terminal too small", the view's need, and what to do: the views that
 * fit this terminal (their min-size) and the command that switches.
 */
static void
draw_too_small(struct app *a, int w, int h)
{
	struct console	*c = &a->c;
	char		**names = datafile_names("views", ".view");
	struct buf	 fit = BUF_INIT, b = BUF_INIT, err = BUF_INIT;
	const char	*first = NULL;
	struct app	 tmp;
	size_t		 i;

	if (app_min_w(a) > c->view.min_w && w < app_min_w(a)) {
		/* The overview: its columns, whatever the view. */
		buf_printf(&b, "terminal too small (need %dx%d) for the "
		    "environments overview", app_min_w(a), c->view.min_h);
		mvaddstr(0, 0, "");
		ui_put_cut(stdscr, buf_str(&b), w, c->ascii);
		buf_free(&b);
		buf_free(&fit);
		buf_free(&err);
		datafile_names_free(names);
		return;
	}
	for (i = 0; names != NULL && names[i] != NULL; i++) {
		memset(&tmp, 0, sizeof tmp);
		buf_reset(&err);
		app_load_view(&tmp, names[i], &err);
		if (err.len == 0 && tmp.c.view.min_w <= w &&
		    tmp.c.view.min_h <= h) {
			buf_printf(&fit, "%s%s (%dx%d)", fit.len > 0 ? ", " : "",
			    names[i], tmp.c.view.min_w, tmp.c.view.min_h);
			if (first == NULL)
				first = names[i];
		}
		view_free(&tmp.c.view);
	}
	buf_printf(&b, "terminal too small (need %dx%d) for view %s",
	    c->view.min_w, c->view.min_h, c->view.name != NULL ?
	    c->view.name : "oncall");
	mvaddstr(0, 0, "");
	ui_put_cut(stdscr, buf_str(&b), w, c->ascii);
	buf_reset(&b);
	if (first == NULL)
		buf_printf(&b, "no view fits %dx%d: make the terminal larger",
		    w, h);
	else
		buf_printf(&b, "views that fit %dx%d: %s", w, h, buf_str(&fit));
	mvaddstr(1, 0, "");
	ui_put_cut(stdscr, buf_str(&b), w, c->ascii);
	buf_reset(&b);
	if (first != NULL) {
		buf_reset(&err);
		if (keymap_first_key(&c->keymap, ACTION_COMMAND, &err) != 0 ||
		    strcmp(buf_str(&err), ":") == 0)
			buf_printf(&b, "switch: :view %s", first);
		else
			buf_printf(&b, "switch: %s, then view %s", buf_str(&err),
			    first);
	}
	buf_reset(&err);
	if (keymap_first_key(&c->keymap, ACTION_QUIT, &err) == 0)
		buf_printf(&b, "%s%s quits", b.len > 0 ? "   " : "",
		    buf_str(&err));
	mvaddstr(3, 0, "");
	ui_put_cut(stdscr, buf_str(&b), w, c->ascii);
	datafile_names_free(names);
	buf_free(&fit);
	buf_free(&b);
	buf_free(&err);
}

/*
 * The whole screen: header (row 0), breadcrumb (row 1) and the view's
 * panes, or help below the header; the message line and the status bar
 * at the bottom.  Below the view's min-size, what fits instead.
 */
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
	app_impact_draw(a, 0, 0, 0);	/* hidden until drawn below */
	app_compare_draw(a, 0, 0, 0);
	a->too_small = w < app_min_w(a) || h < c->view.min_h;
	if (a->too_small) {
		draw_too_small(a, w, h);
		wnoutrefresh(stdscr);
		doupdate();
		if (prompt_active() && !app_prompt_hidden(a))
			prompt_redraw(stdscr, h - 2);
		return;
	}
	if (app_fleet_shown(a))
		app_fleet_draw(a, 0, w, 0);	/* its own rows 0 and 1 */
	else
		draw_header(a, w);
	draw_message(a, h - 2, w);
	draw_status(a, h - 1, w);
	/* Help takes the breadcrumb's row too: it is about the panes. */
	if (a->help) {
		wnoutrefresh(stdscr);
		app_draw_help(a, 1, w, h - 3);
		doupdate();
		return;
	}
	if (app_fleet_shown(a)) {
		/* The overview over the whole screen (pane_fleet.c). */
		wnoutrefresh(stdscr);
		app_fleet_draw(a, 2, w, h - 4);
		/* :compare from the overview: its window over it. */
		app_compare_draw(a, 1, w, h - 3);
		doupdate();
		if (prompt_active())
			prompt_redraw(stdscr, h - 2);
		return;
	}
	draw_crumbs(a, 1, w);
	wnoutrefresh(stdscr);
	/* Panes with nothing to show give their space away (view.h). */
	panes_empty(c, empty);
	n = view_layout_fit(&c->view, a->screen, 0, 2, w, h - 4, empty, r, 16);
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
	app_impact_draw(a, 1, w, h - 3);
	app_impact_sla_tick(a);
	app_compare_draw(a, 1, w, h - 3);
	/* The modal over the breadcrumb too: it names what it clears. */
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
	return a->too_small || w < app_min_w(a) || h < a->c.view.min_h;
}

/* The view's width, or the overview's when it shows (its columns fixed). */
int
app_min_w(const struct app *a)
{
	int w = a->c.view.min_w;

	if (app_fleet_shown(a) && w < app_fleet_min_w())
		w = app_fleet_min_w();
	return w;
}

/* Too small for any prompt: the too-small screen shows it otherwise. */
bool
app_prompt_hidden(const struct app *a)
{
	int h, w;

	(void)a;
	getmaxyx(stdscr, h, w);
	return h < 5 || w < 20;
}
