/*
 * pane_fleet.c: the environments overview (fleetctl.h reads it): a row
 * per context with its health, version, DAGs, the window's runs, the age
 * of its data and report status's verdict; Enter opens the context's DAG
 * list as :context does, back from that list's top returns here with the
 * rows and the cursor as they were.  While a context is open the
 * overview's sources stay connected but read nothing (fleetctl_pause):
 * the open context is read by the console's own connection, and the
 * others would be read for no one to see; back reads each at once.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "config.h"
#include "fleet.h"
#include "fleetctl.h"
#include "loop.h"
#include "status.h"

/* The columns after the context's name, and their widths. */
static const struct fleet_col {
	const char	*title;
	int		 width;
} cols[] = {
	{ "VERDICT", 8 }, { "SCHED", 5 }, { "TRIG", 4 }, { "PROC", 4 },
	{ "VERSION", 9 }, { "DAG a/p/e", 9 }, { "RUN f/r/q", 9 },
	{ "SLA r/m", 7 }, { "AGE", 4 }
};
#define NCOLS	(sizeof cols / sizeof *cols)

bool
app_fleet_shown(const struct app *a)
{
	return a->fleet != NULL && a->fleet_shown;
}

/* The columns the cells take, each with the blank before it. */
static int
cells_width(void)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < NCOLS; i++)
		n += cols[i].width + 1;
	return n;
}

/* The frame, eight columns of name (cut with its mark), and the cells. */
int
app_fleet_min_w(void)
{
	return 2 + 8 + cells_width();
}

/* Text in exactly width columns at (y, x) of w: cut with the mark. */
static void
cell(WINDOW *w, int y, int x, const char *s, int width, bool ascii)
{
	wmove(w, y, x);
	ui_put_cut(w, s, width, ascii);
}

/* The verdict stands out as report status's exit status would. */
static attr_t
verdict_attr(enum verdict v)
{
	switch (v) {
	case VERDICT_CRITICAL:
		return A_BOLD | A_REVERSE;
	case VERDICT_WARNING:
	case VERDICT_UNKNOWN:
		return A_BOLD;
	default:
		return A_NORMAL;
	}
}

/*
 * A row's cells from x: what its last read said, or (nothing read, or the
 * last read failed) its error, or how long it has been connecting.
 */
static void
draw_cells(struct app *a, WINDOW *w, int y, int x, int width, size_t i)
{
	const struct fleet_row	*r = fleetctl_row(a->fleet, i);
	struct buf		 b = BUF_INIT;
	int64_t			 busy = fleetctl_reading(a->fleet, i,
				    loop_now_ms());
	enum verdict		 v = fleet_row_verdict(r);
	bool			 ascii = a->c.ascii;
	int			 right = x + width;
	attr_t			 old;
	short			 pair;

	wattr_get(w, &old, &pair, NULL);
	wattron(w, verdict_attr(v));
	cell(w, y, x, verdict_name(v), cols[0].width, ascii);
	wattr_set(w, old, pair, NULL);	/* the cursor's, if it is on the row */
	x += cols[0].width + 1;
	if (r->error != NULL || !r->valid) {
		if (r->error != NULL)
			buf_puts(&b, r->error);
		else
			buf_printf(&b, "connecting %llds",
			    (long long)(busy > 0 ? busy : 0));
		cell(w, y, x, buf_str(&b), right - cols[NCOLS - 1].width - 1 -
		    x - 1, ascii);
	} else {
		cell(w, y, x, fleet_health_cell(r->job[AF_JOB_SCHEDULER]),
		    cols[1].width, ascii);
		x += cols[1].width + 1;
		cell(w, y, x, fleet_health_cell(r->job[AF_JOB_TRIGGERER]),
		    cols[2].width, ascii);
		x += cols[2].width + 1;
		cell(w, y, x, fleet_health_cell(r->job[AF_JOB_DAG_PROCESSOR]),
		    cols[3].width, ascii);
		x += cols[3].width + 1;
		cell(w, y, x, r->version != NULL ? r->version : "?",
		    cols[4].width, ascii);
		x += cols[4].width + 1;
		buf_printf(&b, "%zu/%zu/%zu", r->nactive, r->npaused,
		    r->nimport_errors);
		cell(w, y, x, buf_str(&b), cols[5].width, ascii);
		x += cols[5].width + 1;
		buf_reset(&b);
		buf_printf(&b, "%zu/%zu/%zu", r->failed, r->running, r->queued);
		cell(w, y, x, buf_str(&b), cols[6].width, ascii);
		x += cols[6].width + 1;
		buf_reset(&b);
		fleet_row_sla_cell(r, &b);
		cell(w, y, x, buf_str(&b), cols[7].width, ascii);
	}
	buf_reset(&b);
	fleet_row_age(r, (int64_t)time(NULL), &b);
	cell(w, y, right - cols[NCOLS - 1].width, buf_str(&b),
	    cols[NCOLS - 1].width, ascii);
	buf_free(&b);
}

/* Rows 0 and 1: what this screen is, and the breadcrumb. */
static void
draw_top(struct app *a, int w)
{
	move(0, 0);
	clrtoeol();
	attron(A_BOLD);
	addstr("dagtop");
	attroff(A_BOLD);
	printw("  overview: %zu contexts, runs of the last 24h",
	    fleetctl_count(a->fleet));
	move(1, 0);
	clrtoeol();
	ui_put_cut(stdscr, "overview", w, a->c.ascii);
}

/*
 * The foot's words on the context's pace: a read in flight longer than
 * its interval, and an interval backed off from a slow context (pace.h).
 */
static void
pace_words(struct app *a, size_t i, struct buf *b)
{
	int64_t	busy = fleetctl_reading(a->fleet, i, loop_now_ms());
	int	every = fleetctl_every(a->fleet, i);
	int	base = settings_refresh(fleetctl_settings(a->fleet, i));

	if (busy > every)
		buf_printf(b, "; waiting on its source for %llds",
		    (long long)busy);
	if (every > base)
		buf_printf(b, "; slow: every %d s", every);
}

void
app_fleet_draw(struct app *a, int y, int w, int h)
{
	const struct fleet_row	*r;
	struct list_frame	 f;
	struct buf		 foot = BUF_INIT;
	size_t			 n = fleetctl_count(a->fleet), i;
	WINDOW			*win;
	int			 rows, name_w, inner, row, x;

	if (h == 0) {
		draw_top(a, w);
		return;
	}
	if (h < 4 || w < 20)
		return;
	if ((win = newwin(h, w, y, 0)) == NULL)
		return;
	inner = w - 2;
	name_w = inner - cells_width();
	if (name_w > 24)
		name_w = 24;
	i = a->fleet_sel < n ? a->fleet_sel : 0;
	fleet_row_detail(fleetctl_row(a->fleet, i), (int64_t)time(NULL),
	    &foot);
	pace_words(a, i, &foot);
	rows = h - 3 - ui_list_foot_rows(win, buf_str(&foot));
	if (rows < 1)
		rows = 1;
	pane_list_scroll(&a->fleet_sel, &a->fleet_top, n, rows);
	memset(&f, 0, sizeof f);
	f.title = "environments";
	f.top = a->fleet_top;
	f.sel = a->fleet_sel;
	f.n = n;
	f.rows = rows;
	f.foot = buf_str(&foot);
	ui_list_frame(win, &f, true, a->c.ascii);
	/* The heading, then a row per context. */
	wattron(win, A_BOLD);
	cell(win, 1, 1, "CONTEXT", name_w, a->c.ascii);
	for (x = 1 + name_w, i = 0; i < NCOLS; i++) {
		cell(win, 1, x + 1, cols[i].title, cols[i].width, a->c.ascii);
		x += cols[i].width + 1;
	}
	wattroff(win, A_BOLD);
	for (row = 0, i = a->fleet_top; i < n && row < rows; i++, row++) {
		r = fleetctl_row(a->fleet, i);
		if (i == a->fleet_sel) {
			wattron(win, ui_cursor_attr(true));
			wmove(win, 2 + row, 1);
			for (x = 0; x < inner; x++)
				waddch(win, ' ');
		}
		cell(win, 2 + row, 1, r->name, name_w, a->c.ascii);
		draw_cells(a, win, 2 + row, 2 + name_w, inner - name_w - 1, i);
		if (i == a->fleet_sel)
			wattroff(win, ui_cursor_attr(true));
	}
	wnoutrefresh(win);
	delwin(win);
	buf_free(&foot);
}

/*
 * Opens context name in the console, as :context does, and on success
 * leaves the overview (its reads paused until back).
 */
void
app_fleet_open(struct app *a, const char *name)
{
	char *want = xstrdup(name);

	app_switch_context(a, want);
	if (a->fleet != NULL && a->settings->context != NULL &&
	    strcmp(a->settings->context, want) == 0) {
		a->fleet_shown = false;
		fleetctl_pause(a->fleet, true);
	}
	free(want);
}

bool
app_fleet_key(struct app *a, enum action act)
{
	size_t n;

	if (!app_fleet_shown(a))
		return false;
	n = fleetctl_count(a->fleet);
	switch (act) {
	case ACTION_QUIT:
	case ACTION_BACK_OR_QUIT:
	case ACTION_HELP:
	case ACTION_COMMAND:
		return false;	/* as everywhere */
	case ACTION_ENTER:
		if (a->fleet_sel < n)
			app_fleet_open(a,
			    fleetctl_row(a->fleet, a->fleet_sel)->name);
		return true;
	case ACTION_REFRESH:
		fleetctl_refresh(a->fleet);
		return true;
	case ACTION_BACK:
		buf_reset(&a->message);
		buf_puts(&a->message, "at the top: the overview");
		return true;
	default:
		pane_list_move(&a->fleet_sel, n, act, 10);
		return true;	/* nothing acts behind the overview */
	}
}

bool
app_fleet_back(struct app *a)
{
	if (a->fleet == NULL || a->fleet_shown)
		return false;
	app_disconnect(a);
	a->fleet_shown = true;
	fleetctl_pause(a->fleet, false);
	buf_reset(&a->message);
	return true;
}
