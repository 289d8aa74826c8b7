/*
 * pane_runs.c: a row per DAG with a strip of its latest runs; Enter opens
 * the DAG's runs, Enter on a run opens its tasks.
 */
#include <string.h>

#include "columns.h"
#include "timefmt.h"
#include "ui.h"

#define STRIP 10

static void
put_strip(struct console *c, WINDOW *w, const struct af_run *const *v,
    size_t n, bool known, int width)
{
	size_t	i;
	int	k;

	/* Oldest on the left, as Airflow's grid view has it. */
	for (k = (width < STRIP ? width : STRIP) - 1; k >= 0; k--) {
		if ((size_t)k >= n) {
			/* Runs not read (only the newest was): unknown. */
			waddch(w, !known ? '?' : c->ascii ? '.' : ' ');
			continue;
		}
		i = (size_t)k;
		wattron(w, ui_run_attr(v[i]->state));
		waddch(w, (chtype)(unsigned char)run_state_letter(v[i]->state));
		wattroff(w, ui_run_attr(v[i]->state));
	}
}

/* The pane's own state: how far the id column is scrolled (`<`, `>`). */
struct runs_pane {
	int	 hoff;
	bool	 focused;	/* while drawing */
};

/* The DAG list's columns, left to right. */
enum { DC_MARK, DC_ID, DC_STRIP, DC_STATE, DC_START, DC_TOOK, DC_NEXT, DC_N };

/* A column's header, cut with a mark to its width. */
static void
put_head(WINDOW *w, int x, const char *label, int width)
{
	if (width <= 0)
		return;
	wmove(w, 1, x);
	ui_put(w, label, width);
}

/*
 * The id column scrolled hoff columns right: the ids as shown and whether
 * any is wider than width (so that `>` has something to show).
 */
static const char *
id_from(const char *id, int hoff)
{
	size_t len = strlen(id);

	return hoff > 0 ? id + ((size_t)hoff < len ? (size_t)hoff : len) : id;
}

/* Header of the id column: "DAG", "DAG +8" when scrolled. */
static void
id_head(struct buf *b, const char *label, int hoff)
{
	buf_reset(b);
	buf_puts(b, label);
	if (hoff > 0)
		buf_printf(b, " +%d", hoff);
}

/* Sizes the DAG list's columns from the DAGs and their latest states. */
static void
plan_dags(struct console *c, struct col *cl, int avail, int hoff,
    bool *brief)
{
	int	idw = 3, full = 6, shrt = 6, len;

	/* The longest id (measured with the list) less the scroll: id_from. */
	if (hoff <= 0)
		len = (int)c->dag_id_max;
	else
		len = c->dag_id_max > (size_t)hoff ?
		    (int)(c->dag_id_max - (size_t)hoff) : 0;
	if (len > idw)
		idw = len;
	if ((int)c->dag_state_max > full)
		full = (int)c->dag_state_max;
	if ((int)c->dag_state_brief_max > shrt)
		shrt = (int)c->dag_state_brief_max;
	memset(cl, 0, DC_N * sizeof *cl);
	cl[DC_MARK] = (struct col){ 1, 1, 0, false, 0 };
	cl[DC_ID] = (struct col){ idw < 12 ? idw : 12, idw, 1, false, 0 };
	cl[DC_STRIP] = (struct col){ 5, STRIP, 2, false, 0 };
	cl[DC_STATE] = (struct col){ shrt, full, 7, false, 0 };
	cl[DC_START] = (struct col){ 11, 11, 4, true, 0 };
	cl[DC_TOOK] = (struct col){ 7, 7, 5, true, 0 };
	cl[DC_NEXT] = (struct col){ 11, 11, 6, true, 0 };
	cols_fit(cl, DC_N, avail, 1);
	*brief = cl[DC_STATE].width < full;
}

/* One DAG's row at y, in the columns planned. */
static void
draw_dag_row(struct console *c, WINDOW *w, int y, const struct af_dag *d,
    const struct col *cl, const int *x, int tail, int hoff, bool brief)
{
	const struct af_run	*runs[STRIP];
	struct buf		 line = BUF_INIT;
	size_t			 n;

	n = console_dag_runs(c, d->dag_id, runs, STRIP);
	mvwaddch(w, y, x[DC_MARK], d->paused ? 'P' : d->import_errors ? '!' :
	    ' ');
	wmove(w, y, x[DC_ID]);
	ui_put_id(w, id_from(d->dag_id, hoff), cl[DC_ID].width, tail);
	wmove(w, y, x[DC_STRIP]);
	put_strip(c, w, runs, n, console_strip_known(c, d->dag_id),
	    cl[DC_STRIP].width);
	if (n > 0) {
		wmove(w, y, x[DC_STATE]);
		wattron(w, ui_run_attr(runs[0]->state));
		waddstr(w, brief ? run_state_brief(runs[0]->state) :
		    run_state_name(runs[0]->state));
		wattroff(w, ui_run_attr(runs[0]->state));
		if (cl[DC_START].width > 0) {
			fmt_time(&line, c->zone, runs[0]->start_date,
			    FMT_SHORT);
			wmove(w, y, x[DC_START]);
			ui_put(w, buf_str(&line), cl[DC_START].width);
		}
		if (cl[DC_TOOK].width > 0) {
			buf_reset(&line);
			fmt_duration(&line, af_run_duration(runs[0],
			    c->snap.health.now));
			wmove(w, y, x[DC_TOOK]);
			ui_put(w, buf_str(&line), cl[DC_TOOK].width);
		}
	}
	if (cl[DC_NEXT].width > 0 && !d->paused &&
	    d->next_run_after != TIME_NONE) {
		buf_reset(&line);
		/*
		 * A time already past is a run the scheduler has yet to
		 * create (it is busy, or the DAG is at max_active_runs):
		 * "due", not a past time read as the future.
		 */
		if (c->snap.health.now != TIME_NONE &&
		    d->next_run_after <= c->snap.health.now)
			buf_puts(&line, "due");
		else
			fmt_time(&line, c->zone, d->next_run_after, FMT_SHORT);
		wmove(w, y, x[DC_NEXT]);
		ui_put(w, buf_str(&line), cl[DC_NEXT].width);
	}
	buf_free(&line);
}

static void
draw_dags(struct console *c, struct runs_pane *p, WINDOW *w, int h, int wd)
{
	struct col	 cl[DC_N];
	const char	*ids[256];
	struct buf	 b = BUF_INIT;
	size_t		 i, nv;
	int		 y, x[DC_N], tail;
	bool		 brief;

	/* `>` stops once the longest id's end is in view. */
	for (i = 0, y = 0; i < c->ndag_order; i++)
		if ((int)strlen(c->snap.dags.v[c->dag_order[i]].dag_id) > y)
			y = (int)strlen(c->snap.dags.v[c->dag_order[i]].dag_id);
	if (p->hoff > y - 8)
		p->hoff = y > 8 ? y - 8 : 0;
	plan_dags(c, cl, wd - 4, p->hoff, &brief);
	cols_xs(cl, DC_N, 1, 1, x);
	if (c->dag_sel < c->dag_top)
		c->dag_top = c->dag_sel;
	if (h > 3 && c->dag_sel >= c->dag_top + (size_t)(h - 3))
		c->dag_top = c->dag_sel - (size_t)(h - 3) + 1;
	c->dag_rows = h > 3 ? (size_t)(h - 3) : 0;	/* refresh.c reads ahead */
	wattron(w, A_DIM);
	id_head(&b, "DAG", p->hoff);
	put_head(w, x[DC_ID], buf_str(&b), cl[DC_ID].width);
	put_head(w, x[DC_STRIP], "RUNS", cl[DC_STRIP].width);
	put_head(w, x[DC_STATE], "LATEST", cl[DC_STATE].width);
	put_head(w, x[DC_START], "STARTED", cl[DC_START].width);
	put_head(w, x[DC_TOOK], "TOOK", cl[DC_TOOK].width);
	put_head(w, x[DC_NEXT], "NEXT", cl[DC_NEXT].width);
	wattroff(w, A_DIM);
	for (nv = 0, i = c->dag_top; nv < (size_t)(h - 3) && nv < 256 &&
	    i < c->ndag_order; nv++, i++)
		ids[nv] = id_from(c->snap.dags.v[c->dag_order[i]].dag_id,
		    p->hoff);
	tail = cols_tail(ids, nv, cl[DC_ID].width);
	for (y = 2, i = c->dag_top; y < h - 1 && i < c->ndag_order; y++, i++) {
		if (i == c->dag_sel) {
			wattron(w, ui_cursor_attr(p->focused));
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		draw_dag_row(c, w, y, &c->snap.dags.v[c->dag_order[i]], cl, x,
		    tail, p->hoff, brief);
		if (i == c->dag_sel)
			wattroff(w, ui_cursor_attr(p->focused));
	}
	buf_free(&b);
}

/* The runs list's columns, left to right. */
enum { RC_STATE, RC_START, RC_TOOK, RC_ID, RC_N };

static void
draw_runs(struct console *c, struct runs_pane *p, WINDOW *w, int h, int wd)
{
	const struct af_run	*runs[RUNS_LIST_MAX];
	const char		*ids[256];
	struct col		 cl[RC_N];
	struct buf		 b = BUF_INIT;
	size_t			 i, n, nv;
	int			 y, x[RC_N], idw = 3, full = 5, shrt = 5, tail;
	bool			 brief;

	if (c->ndag_order == 0)
		return;
	n = console_run_list(c, runs, RUNS_LIST_MAX);
	if (n == 0 && c->run_filter.on) {
		wmove(w, 2, 2);
		ui_put_cut(w, "no matches (/ Enter: no filter)", wd - 4,
		    c->ascii);
	}
	if (c->run_sel >= n && n > 0)
		c->run_sel = n - 1;
	if (c->run_sel < c->run_top)
		c->run_top = c->run_sel;
	if (c->run_sel >= c->run_top + (size_t)(h - 3))
		c->run_top = c->run_sel - (size_t)(h - 3) + 1;
	/* The line below the last run (older ones read, or none) in sight. */
	if ((c->older.loading || c->older.end) && n > 0 && h > 4 &&
	    c->run_sel == n - 1 && n >= c->run_top + (size_t)(h - 3))
		c->run_top = n + 1 - (size_t)(h - 3);
	for (i = 0; i < n; i++) {
		y = (int)strlen(id_from(runs[i]->run_id, p->hoff));
		idw = y > idw ? y : idw;
		y = (int)strlen(run_state_name(runs[i]->state));
		full = y > full ? y : full;
		y = (int)strlen(run_state_brief(runs[i]->state));
		shrt = y > shrt ? y : shrt;
	}
	cl[RC_STATE] = (struct col){ shrt, full, 4, false, 0 };
	cl[RC_START] = (struct col){ 11, 11, 2, true, 0 };
	cl[RC_TOOK] = (struct col){ 7, 7, 3, true, 0 };
	cl[RC_ID] = (struct col){ idw < 12 ? idw : 12, idw, 0, false, 0 };
	cols_fit(cl, RC_N, wd - 4, 1);
	brief = cl[RC_STATE].width < full;
	cols_xs(cl, RC_N, 3, 1, x);
	wattron(w, A_DIM);
	put_head(w, x[RC_STATE], "STATE", cl[RC_STATE].width);
	put_head(w, x[RC_START], "STARTED", cl[RC_START].width);
	put_head(w, x[RC_TOOK], "TOOK", cl[RC_TOOK].width);
	id_head(&b, "RUN", p->hoff);
	put_head(w, x[RC_ID], buf_str(&b), cl[RC_ID].width);
	wattroff(w, A_DIM);
	for (nv = 0, i = c->run_top; nv < (size_t)(h - 3) && nv < 256 &&
	    i < n; nv++, i++)
		ids[nv] = id_from(runs[i]->run_id, p->hoff);
	tail = cols_tail(ids, nv, cl[RC_ID].width);
	for (y = 2, i = c->run_top; y < h - 1 && i < n; y++, i++) {
		if (i == c->run_sel) {
			wattron(w, ui_cursor_attr(p->focused));
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		wattron(w, ui_run_attr(runs[i]->state));
		mvwaddstr(w, y, x[RC_STATE], brief ?
		    run_state_brief(runs[i]->state) :
		    run_state_name(runs[i]->state));
		wattroff(w, ui_run_attr(runs[i]->state));
		if (cl[RC_START].width > 0) {
			buf_reset(&b);
			fmt_time(&b, c->zone, runs[i]->start_date, FMT_SHORT);
			wmove(w, y, x[RC_START]);
			ui_put(w, buf_str(&b), cl[RC_START].width);
		}
		if (cl[RC_TOOK].width > 0) {
			buf_reset(&b);
			fmt_duration(&b, af_run_duration(runs[i],
			    c->snap.health.now));
			wmove(w, y, x[RC_TOOK]);
			ui_put(w, buf_str(&b), cl[RC_TOOK].width);
		}
		wmove(w, y, x[RC_ID]);
		ui_put_id(w, id_from(runs[i]->run_id, p->hoff), cl[RC_ID].width,
		    tail);
		if (i == c->run_sel)
			wattroff(w, ui_cursor_attr(p->focused));
	}
	/* Below the last run: the next page back, while it is read. */
	if (y < h - 1 && i == n && c->older.loading) {
		wmove(w, y, 3);
		ui_put_cut(w, c->ascii ? "loading older runs..." :
		    "loading older runs\xe2\x80\xa6", wd - 4, c->ascii);
	} else if (y < h - 1 && i == n && c->older.end && n > 0)
		mvwaddnstr(w, y, 3, "(no older runs)", wd - 4);
	buf_free(&b);
}

/* The selected row in full for the frame's foot: id, then state. */
static void
runs_foot(struct console *c, struct buf *foot)
{
	const struct af_run	*runs[RUNS_LIST_MAX];
	const char		*id;
	size_t			 n;

	if (c->ndag_order == 0)
		return;
	id = c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id;
	n = c->runs_level == 0 ? console_dag_runs(c, id, runs, 1) :
	    console_run_list(c, runs, RUNS_LIST_MAX);
	if (c->runs_level == 0) {
		buf_puts(foot, id);
		if (n > 0)
			buf_printf(foot, " \xc2\xb7 %s",
			    run_state_name(runs[0]->state));
	} else if (c->run_sel < n) {
		buf_puts(foot, runs[c->run_sel]->run_id);
		buf_printf(foot, " \xc2\xb7 %s",
		    run_state_name(runs[c->run_sel]->state));
	}
	if (c->ascii)
		for (n = 0; n + 1 < foot->len; n++)
			if (memcmp(foot->data + n, "\xc2\xb7", 2) == 0)
				memcpy(foot->data + n, " -", 2);
}

static void
runs_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	const struct af_run	*runs[RUNS_LIST_MAX];
	struct runs_pane	*p = priv;
	struct list_frame	 f = { 0 };
	struct buf		 title = BUF_INIT, foot = BUF_INIT;
	int			 h, wd;

	getmaxyx(w, h, wd);
	werase(w);
	p->focused = focused;
	if (c->runs_level == 0 && c->dag_filter.on)
		buf_printf(&title, "DAGs (%zu, /%s)", c->ndag_order,
		    c->dag_filter.text);
	else if (c->runs_level == 0)
		buf_printf(&title, "DAGs (%zu)", c->ndag_order);
	else {
		buf_puts(&title, "runs of ");
		buf_puts(&title, c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id);
		if (c->run_filter.on)
			buf_printf(&title, " (/%s)", c->run_filter.text);
	}
	if (!c->snap.valid) {
		ui_frame(w, buf_str(&title), focused, c->ascii);
		wmove(w, 2, 2);
		ui_put(w, "reading the Airflow database...", getmaxx(w) - 4);
		buf_free(&title);
		return;
	}
	runs_foot(c, &foot);
	h -= ui_list_foot_rows(w, buf_str(&foot));
	if (c->runs_level == 0 && c->ndag_order == 0 && c->dag_filter.on) {
		/* Not an empty pane without a word. */
		wmove(w, 2, 2);
		ui_put_cut(w, "no matches (Esc: no filter)", wd - 4,
		    c->ascii);
	} else if (c->runs_level == 0)
		draw_dags(c, p, w, h, wd);
	else
		draw_runs(c, p, w, h, wd);
	c->runs_rows = h > 3 ? (size_t)(h - 3) : 0;
	f.title = buf_str(&title);
	f.rows = h - 3;
	f.foot = buf_str(&foot);
	if (c->runs_level == 0) {
		f.top = c->dag_top;
		f.sel = c->dag_sel;
		f.n = c->ndag_order;
	} else {
		f.top = c->run_top;
		f.sel = c->run_sel;
		f.n = c->ndag_order == 0 ? 0 : console_run_list(c, runs,
		    RUNS_LIST_MAX);
	}
	ui_list_frame(w, &f, focused, c->ascii);
	buf_free(&title);
	buf_free(&foot);
}

/* The list cursor, left alone while the list is empty. */
static void
move_sel(size_t *sel, size_t n, enum action a, size_t page)
{
	if (n > 0)
		pane_list_move(sel, n, a, page);
}

static enum pane_result
runs_key(struct console *c, void *priv, enum action a)
{
	const struct af_run	*runs[RUNS_LIST_MAX];
	struct runs_pane	*p = priv;
	size_t			 n;

	switch (a) {
	case ACTION_LEFT:
		p->hoff = p->hoff > 8 ? p->hoff - 8 : 0;
		return PANE_HANDLED;
	case ACTION_RIGHT:
		if (p->hoff < 200)
			p->hoff += 8;
		return PANE_HANDLED;
	case ACTION_DOWN:
	case ACTION_UP:
	case ACTION_PAGE_DOWN:
	case ACTION_PAGE_UP:
	case ACTION_TOP:
	case ACTION_BOTTOM:
		if (c->runs_level == 0)
			move_sel(&c->dag_sel, c->ndag_order, a, 10);
		else {
			n = console_run_list(c, runs, RUNS_LIST_MAX);
			move_sel(&c->run_sel, n, a, 10);
			/* At the last run read: the next page back. */
			if (n > 0 && c->run_sel == n - 1)
				return PANE_OLDER_RUNS;
		}
		return PANE_HANDLED;
	case ACTION_ENTER:
		if (c->ndag_order == 0)
			return PANE_HANDLED;
		if (c->runs_level == 0) {
			c->runs_level = 1;
			c->run_sel = c->run_top = 0;
			return PANE_OPEN_DAG;
		}
		n = console_run_list(c, runs, RUNS_LIST_MAX);
		if (c->run_sel >= n)
			return PANE_HANDLED;
		c->want_dag = runs[c->run_sel]->dag_id;
		c->want_run = runs[c->run_sel]->run_id;
		return PANE_OPEN_RUN;
	case ACTION_BACK:
		if (c->runs_level == 1) {
			/* Back at the DAGs: the run opened from here goes too. */
			c->runs_level = 0;
			return PANE_OPEN_DAG;
		}
		return PANE_IGNORED;
	default:
		return PANE_IGNORED;
	}
}

const struct pane_ops pane_runs_ops = {
	.priv_size = sizeof (struct runs_pane),
	.draw = runs_draw,
	.key = runs_key,
};
