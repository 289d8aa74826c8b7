/*
 * pane_runs.c: a row per DAG with a strip of its latest runs; Enter opens
 * the DAG's runs, Enter on a run opens its tasks.
 */
#include <string.h>

#include "timefmt.h"
#include "ui.h"

#define STRIP 10

static void
put_strip(struct console *c, WINDOW *w, const struct af_run *const *v,
    size_t n, bool known)
{
	size_t	i;
	int	k;

	/* Oldest on the left, as Airflow's grid view has it. */
	for (k = STRIP - 1; k >= 0; k--) {
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

/*
 * Columns that fit: mark, id, strip and latest state always; the start
 * time and the duration when there is room.  The id takes what is left
 * (up to 40 columns).
 */
static void
plan_columns(int avail, int *idw, bool *start, bool *took, bool *next)
{
	int fixed = 2 + 1 + STRIP + 1 + 8;

	*start = avail - fixed - 12 - 8 >= 12;
	*took = *start;
	if (!*start)
		*start = avail - fixed - 12 >= 12;
	*next = *took && avail - fixed - 12 - 8 - 12 >= 20;
	*idw = avail - fixed - (*start ? 12 : 0) - (*took ? 8 : 0) -
	    (*next ? 12 : 0);
	if (*idw > 40)
		*idw = 40;
	if (*idw < 4)
		*idw = 4;
}

static void
draw_dags(struct console *c, WINDOW *w, int h, int wd)
{
	const struct af_run	*runs[STRIP];
	struct buf		 b = BUF_INIT, line = BUF_INIT;
	size_t			 i, n;
	int			 y, idw, x;
	bool			 show_start, show_took, show_next;

	plan_columns(wd - 2, &idw, &show_start, &show_took, &show_next);
	if (c->dag_sel < c->dag_top)
		c->dag_top = c->dag_sel;
	if (h > 3 && c->dag_sel >= c->dag_top + (size_t)(h - 3))
		c->dag_top = c->dag_sel - (size_t)(h - 3) + 1;
	c->dag_rows = h > 3 ? (size_t)(h - 3) : 0;	/* refresh.c reads ahead */
	buf_printf(&b, "  %-*s %-*s %-8s", idw, "DAG", STRIP, "RUNS", "LATEST");
	if (show_start)
		buf_printf(&b, " %-11s", "STARTED");
	if (show_took)
		buf_printf(&b, " %-7s", "TOOK");
	if (show_next)
		buf_printf(&b, " %-11s", "NEXT");
	wattron(w, A_DIM);
	mvwaddnstr(w, 1, 1, buf_str(&b), wd - 2);
	wattroff(w, A_DIM);
	for (y = 2, i = c->dag_top; y < h - 1 && i < c->ndag_order; y++, i++) {
		const struct af_dag *d = &c->snap.dags.v[c->dag_order[i]];

		n = console_dag_runs(c, d->dag_id, runs, STRIP);
		if (i == c->dag_sel) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		mvwaddch(w, y, 1, d->paused ? 'P' : d->import_errors ? '!' : ' ');
		wmove(w, y, 3);
		ui_put(w, d->dag_id, idw);
		x = 3 + idw + 1;
		wmove(w, y, x);
		put_strip(c, w, runs, n, console_strip_known(c, d->dag_id));
		x += STRIP + 1;
		if (n > 0) {
			wmove(w, y, x);
			wattron(w, ui_run_attr(runs[0]->state));
			waddnstr(w, run_state_name(runs[0]->state), 8);
			wattroff(w, ui_run_attr(runs[0]->state));
			x += 9;
			if (show_start) {
				buf_reset(&line);
				fmt_time(&line, c->zone, runs[0]->start_date,
				    FMT_SHORT);
				mvwaddnstr(w, y, x, buf_str(&line), 11);
				x += 12;
			}
			if (show_took) {
				buf_reset(&line);
				fmt_duration(&line, af_run_duration(runs[0],
				    c->snap.health.now));
				mvwaddnstr(w, y, x, buf_str(&line), 7);
			}
		}
		if (show_next && !d->paused && d->next_run_after != TIME_NONE) {
			buf_reset(&line);
			fmt_time(&line, c->zone, d->next_run_after, FMT_SHORT);
			mvwaddnstr(w, y, 3 + idw + 1 + STRIP + 1 + 9 + 12 + 8,
			    buf_str(&line), 11);
		}
		if (i == c->dag_sel)
			wattroff(w, A_REVERSE);
	}
	buf_free(&b);
	buf_free(&line);
}

static void
draw_runs(struct console *c, WINDOW *w, int h, int wd)
{
	const struct af_run	*runs[RUNS_LIST_MAX];
	struct buf		 b = BUF_INIT;
	size_t			 i, n;
	int			 y;

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
	wattron(w, A_DIM);
	mvwaddnstr(w, 1, 1, "  STATE    STARTED     TOOK    RUN", wd - 2);
	wattroff(w, A_DIM);
	for (y = 2, i = c->run_top; y < h - 1 && i < n; y++, i++) {
		if (i == c->run_sel) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		wattron(w, ui_run_attr(runs[i]->state));
		mvwaddnstr(w, y, 3, run_state_name(runs[i]->state), 8);
		wattroff(w, ui_run_attr(runs[i]->state));
		buf_reset(&b);
		fmt_time(&b, c->zone, runs[i]->start_date, FMT_SHORT);
		buf_putc(&b, ' ');
		fmt_duration(&b, af_run_duration(runs[i], c->snap.health.now));
		if (wd > 24)
			mvwaddnstr(w, y, 12, buf_str(&b), wd - 14);
		if (wd > 34) {
			wmove(w, y, 32);
			ui_put(w, runs[i]->run_id, wd - 33);
		}
		if (i == c->run_sel)
			wattroff(w, A_REVERSE);
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

static void
runs_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	int		h, wd;
	struct buf	title = BUF_INIT;

	(void)priv;
	getmaxyx(w, h, wd);
	werase(w);
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
	ui_frame(w, buf_str(&title), focused, c->ascii);
	buf_free(&title);
	if (!c->snap.valid) {
		mvwaddstr(w, 2, 2, "reading the Airflow database...");
		return;
	}
	if (c->runs_level == 0 && c->ndag_order == 0 && c->dag_filter.on) {
		/* Not an empty pane without a word. */
		wmove(w, 2, 2);
		ui_put_cut(w, "no matches (Esc: no filter)", wd - 4,
		    c->ascii);
	} else if (c->runs_level == 0)
		draw_dags(c, w, h, wd);
	else
		draw_runs(c, w, h, wd);
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
	size_t			 n;

	(void)priv;
	switch (a) {
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
	.draw = runs_draw,
	.key = runs_key,
};
