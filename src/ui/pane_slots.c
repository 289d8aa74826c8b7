/*
 * pane_slots.c: BigQuery slots per minute against the reservation's
 * capacity (a bar chart in Unicode eighth blocks, '#' in ASCII; columns
 * above capacity stand out), peak, average, minutes above capacity,
 * pending jobs, the top consumers (users, Airflow DAGs and tasks by their
 * labels, jobs) and the Airflow pools.  Enter on a consumer with an
 * airflow-dag label opens that DAG's runs in the runs pane.
 */
#include <math.h>
#include <string.h>

#include "sanitize.h"
#include "timefmt.h"
#include "ui.h"

/* The pane's own state: the selected reservation or pool line, and the first shown. */
struct slots_pane {
	size_t		 sel, top;
};

#define AXIS	7	/* "  1234 " left of the chart */

static const char *const eighths[9] = { " ", "\xe2\x96\x81", "\xe2\x96\x82",
	"\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	"\xe2\x96\x87", "\xe2\x96\x88" };

static void
put_cell(WINDOW *w, bool ascii, int e)
{
	if (ascii)
		waddch(w, e >= 8 ? '#' : e >= 4 ? '+' : e >= 1 ? '.' : ' ');
	else
		waddstr(w, eighths[e < 0 ? 0 : e > 8 ? 8 : e]);
}

/* A round top for the y axis: 1, 2 or 5 times a power of ten. */
static double
nice_top(double v)
{
	double p, m;

	if (v <= 1)
		return 1;
	p = pow(10, floor(log10(v)));
	m = v / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static int
draw_chart(struct console *c, WINDOW *w, const struct slots *s, int y0,
    int ch, int wd)
{
	double		 v[512], cap[512], top;
	bool		 hotcol[512];
	int64_t		 t[512];
	size_t		 n, x;
	int		 r, caprow = -1, cols = wd - 2 - AXIS;
	attr_t		 over = ui_run_attr(RUN_FAILED) | A_BOLD;
	struct buf	 b = BUF_INIT;

	if (cols < 8 || ch < 2)
		return 0;
	if (cols > 512)
		cols = 512;
	n = slots_buckets(s, (size_t)cols, v, cap, t, hotcol);
	top = s->peak;
	if (s->cap_now > top && (s->cap_kind == CAP_RESERVATION ||
	    s->cap_kind == CAP_FIXED))
		top = s->cap_now;
	top = nice_top(top * 1.05);
	if (s->cap_now >= 0 && (s->cap_kind == CAP_RESERVATION ||
	    s->cap_kind == CAP_FIXED))
		caprow = (int)floor(s->cap_now / top * ch);	/* from the bottom */
	if (caprow >= ch)
		caprow = ch - 1;
	for (r = 0; r < ch; r++) {
		int y = y0 + ch - 1 - r;

		buf_reset(&b);
		/* The capacity's label before the scale's, on the top row. */
		if (r == caprow)
			buf_printf(&b, "%6.0f", s->cap_now);
		else if (r == ch - 1)
			buf_printf(&b, "%6.0f", top);
		else if (r == 0)
			buf_printf(&b, "%6d", 0);
		wattron(w, A_DIM);
		mvwaddstr(w, y, 1, buf_str(&b));
		wattroff(w, A_DIM);
		wmove(w, y, 1 + AXIS);
		for (x = 0; x < n; x++) {
			int	e = (int)lround(v[x] / top * ch * 8) - r * 8;
			bool	hot = hotcol[x];

			if (e <= 0 && r == caprow) {
				wattron(w, A_DIM);
				if (c->ascii)
					waddch(w, '-');
				else
					waddstr(w, "\xe2\x94\x80");
				wattroff(w, A_DIM);
				continue;
			}
			if (hot)
				wattron(w, over);
			put_cell(w, c->ascii, e);
			if (hot)
				wattroff(w, over);
		}
	}
	/* Times under the chart, one every 16 columns or so. */
	wattron(w, A_DIM);
	for (x = 0; x + 5 <= n; x += 16) {
		buf_reset(&b);
		fmt_time(&b, c->zone, t[x], FMT_CLOCK);
		mvwaddnstr(w, y0 + ch, 1 + AXIS + (int)x, buf_str(&b), 5);
	}
	wattroff(w, A_DIM);
	buf_free(&b);
	return ch + 1;
}

static void
consumer_name(struct buf *b, const struct slot_consumer *k)
{
	buf_puts(b, k->key);
	if (k->kind == CONSUMER_JOB && k->dag != NULL) {
		buf_printf(b, " (%s", k->dag);
		if (k->task != NULL)
			buf_printf(b, ".%s", k->task);
		buf_putc(b, ')');
	}
}

static void
draw_pools(struct console *c, WINDOW *w, int y, int h, int wd)
{
	const struct af_pools	*p = &c->snap.pools;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (y >= h - 1)
		return;
	wattron(w, A_BOLD);
	mvwaddnstr(w, y++, 1, "Airflow pools", wd - 2);
	wattroff(w, A_BOLD);
	if (!p->valid) {
		if (y < h - 1)
			mvwaddnstr(w, y, 2, c->snap.valid ? "(not read)" :
			    "(waiting for the database)", wd - 3);
		return;
	}
	if (y < h - 1) {
		wattron(w, A_DIM);
		mvwaddnstr(w, y++, 2, "  SLOTS  RUNNING  QUEUED  DEFERRED   FREE  "
		    "POOL", wd - 3);
		wattroff(w, A_DIM);
	}
	for (i = 0; i < p->n && y < h - 1; i++, y++) {
		const struct af_pool *q = &p->v[i];
		int used = af_pool_used(q);

		buf_reset(&b);
		if (q->slots < 0)
			buf_printf(&b, "  %5s  %7d  %6d  %8d%c  %5s  ", "inf",
			    q->running, q->queued, q->deferred,
			    q->include_deferred ? '*' : ' ', "inf");
		else
			buf_printf(&b, "  %5d  %7d  %6d  %8d%c  %5d  ", q->slots,
			    q->running, q->queued, q->deferred,
			    q->include_deferred ? '*' : ' ', q->slots - used);
		if (q->slots >= 0 && used >= q->slots)
			wattron(w, ui_run_attr(RUN_FAILED));
		mvwaddnstr(w, y, 2, buf_str(&b), wd - 3);
		ui_put(w, q->name, wd - 3 - (int)b.len);
		if (q->slots >= 0 && used >= q->slots)
			wattroff(w, ui_run_attr(RUN_FAILED));
	}
	buf_free(&b);
}

/*
 * One line per reservation: its usage now and at peak against its ceiling
 * (baseline + autoscale max, + idle slots it may borrow), then on-demand.
 * Stops before row `last`; returns the next free row.
 */
static int
draw_reservations(struct console *c, WINDOW *w, const struct slots *s,
    int y, int last, int wd)
{
	struct buf	b = BUF_INIT;
	size_t		i, shown = 0;
	int		name_w = wd - 4 - 36;

	if (name_w < 8)
		name_w = 8;
	for (i = 0; i < s->nr; i++) {
		const struct slot_resv *r = &s->r[i];

		if (r->id != NULL && (s->only != NULL ?
		    strcmp(r->id, s->only) != 0 : !r->used))
			continue;
		if (r->id == NULL && !r->used)
			continue;
		if (shown == 0 && y < last) {
			wattron(w, A_DIM);
			buf_reset(&b);
			buf_printf(&b, "%-*s %6s %6s %8s %5s", name_w,
			    "RESERVATION", "NOW", "PEAK", "CEILING", "ABOVE");
			mvwaddstr(w, y++, 2, "");
			ui_put_cut(w, buf_str(&b), wd - 4, c->ascii);
			wattroff(w, A_DIM);
		}
		if (y >= last) {
			shown++;
			continue;
		}
		shown++;
		mvwaddstr(w, y, 2, "");
		ui_put_cut(w, r->id != NULL ? r->id : "on-demand", name_w,
		    c->ascii);
		buf_reset(&b);
		buf_printf(&b, " %6.0f %6.0f ", r->now.slots, r->peak);
		if (r->id == NULL)
			buf_printf(&b, "%8s %5s", "-", "-");
		else if (r->now.limit < 0)
			buf_printf(&b, "%8s %5s", "unknown", "-");
		else
			buf_printf(&b, "%8.0f %5d", r->now.limit,
			    r->minutes_above);
		if (r->recent_above > 0)
			wattron(w, ui_run_attr(RUN_FAILED) | A_BOLD);
		mvwaddstr(w, y, 2 + name_w, "");
		ui_put_cut(w, buf_str(&b), wd - 4 - name_w, c->ascii);
		if (r->recent_above > 0)
			wattroff(w, ui_run_attr(RUN_FAILED) | A_BOLD);
		y++;
	}
	buf_free(&b);
	return y;
}

/* The numbers first, on one line: they matter most at 80x24. */
static void
draw_summary(const struct console *c, WINDOW *w, const struct slots *s,
    int y, int wd)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "peak %.0f at ", s->peak);
	fmt_time(&b, c->zone, s->peak_at, FMT_CLOCK);
	b.len -= 3;	/* seconds */
	b.data[b.len] = '\0';
	buf_printf(&b, " (busiest minute)  avg %.0f  ", s->average);
	if (s->cap_kind == CAP_ON_DEMAND)
		buf_puts(&b, "on-demand (no reservation)");
	else if (s->cap_kind == CAP_UNKNOWN)
		buf_puts(&b, "capacity unknown");
	else
		buf_printf(&b, "above %d min, %d in last %d", s->minutes_above,
		    s->recent_above, s->alert_minutes);
	buf_printf(&b, "  pending %d (max %d)", s->pending_now, s->pending_max);
	if (s->recent_above > 0)
		wattron(w, A_BOLD);
	mvwaddstr(w, y, 2, "");
	ui_put_cut(w, buf_str(&b), wd - 4, c->ascii);
	if (s->recent_above > 0)
		wattroff(w, A_BOLD);
	buf_free(&b);
}

/*
 * Jobs, bytes, what these queries cost and how often they run, and the
 * last error or warning, at row y when it is inside the pane; the next
 * row.
 */
static int
draw_footer(const struct console *c, WINDOW *w, const struct slots *s,
    const char *err, int y, int h, int wd)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%lld jobs, ", (long long)s->jobs);
	fmt_bytes(&b, s->bytes_processed);
	buf_puts(&b, " processed; these queries billed ");
	fmt_bytes(&b, s->query_bytes_billed);
	buf_printf(&b, " every %ds", slots_feed_interval(c->slots));
	if (*err != '\0')
		buf_printf(&b, "; last refresh failed: %s", err);
	else if (*slots_feed_warning(c->slots) != '\0')
		buf_printf(&b, "; %s", slots_feed_warning(c->slots));
	if (y < h - 1) {
		wattron(w, *err != '\0' ? A_BOLD : A_DIM);
		mvwaddstr(w, y++, 2, "");
		ui_put(w, buf_str(&b), wd - 4);
		wattroff(w, *err != '\0' ? A_BOLD : A_DIM);
	}
	buf_free(&b);
	return y;
}

/* Top consumers, rows from y to bottom (excluded): a list with a cursor. */
static void
draw_consumers(struct slots_pane *p, WINDOW *w, const struct slots *s,
    int y, int bottom, int wd, bool focused)
{
	struct buf	b = BUF_INIT;
	int		rows = bottom - y - 1;
	size_t		i;

	if (rows <= 0 || s->nc == 0)
		return;
	wattron(w, A_DIM);
	mvwaddnstr(w, y++, 2, "KIND  SLOT-H  AVG  SHARE  TOP CONSUMER "
	    "(Enter on a DAG: its runs)", wd - 4);
	wattroff(w, A_DIM);
	pane_list_scroll(&p->sel, &p->top, s->nc, rows);
	for (i = p->top; i < s->nc && y < bottom; i++) {
		const struct slot_consumer *k = &s->c[i];

		if (i == p->sel && focused) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		buf_reset(&b);
		buf_printf(&b, "%-4s %7.1f %4.0f %5.0f%%  ",
		    consumer_kind_name(k->kind), k->slot_ms / 3.6e6,
		    k->avg_slots, k->share * 100);
		mvwaddnstr(w, y, 2, buf_str(&b), wd - 4);
		buf_reset(&b);
		consumer_name(&b, k);
		ui_put(w, buf_str(&b), wd - 4 - 27);
		if (i == p->sel && focused)
			wattroff(w, A_REVERSE);
		y++;
	}
	buf_free(&b);
}

static void
slots_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct slots_pane	*p = priv;
	const struct slots	*s = slots_feed_data(c->slots);
	struct buf		 b = BUF_INIT;
	int			 h, wd, y = 1, ch, rows, pool_rows;
	const char		*err = slots_feed_error(c->slots);

	getmaxyx(w, h, wd);
	werase(w);
	slots_feed_seen(c->slots);
	buf_puts(&b, "BigQuery slots");
	if (*slots_feed_describe(c->slots) != '\0')
		buf_printf(&b, ": %s", slots_feed_describe(c->slots));
	if (slots_feed_busy(c->slots))
		buf_puts(&b, " (reading)");
	ui_frame(w, buf_str(&b), focused, c->ascii);
	buf_reset(&b);
	pool_rows = c->snap.pools.valid ? (int)c->snap.pools.n + 2 : 2;
	if (pool_rows > (h - 2) / 4 + 2)
		pool_rows = (h - 2) / 4 + 2;

	if (s == NULL || !s->valid) {
		if (*err != '\0') {
			wattron(w, A_BOLD);
			mvwaddstr(w, y, 2, "");
			ui_put(w, err, wd - 4);
			wattroff(w, A_BOLD);
		} else
			mvwaddnstr(w, y, 2, "reading BigQuery's "
			    "INFORMATION_SCHEMA...", wd - 4);
		draw_pools(c, w, h - 1 - pool_rows, h, wd);
		buf_free(&b);
		return;
	}

	draw_summary(c, w, s, y++, wd);
	y = draw_reservations(c, w, s, y, y + 5 < h - 1 - pool_rows - 6 ?
	    y + 5 : h - 1 - pool_rows - 6, wd);

	rows = h - 2 - 1 - pool_rows;	/* below the summary, above pools */
	ch = rows * 45 / 100;
	if (ch > 12)
		ch = 12;
	if (ch >= 2 && rows - ch - 1 >= 3)
		y += draw_chart(c, w, s, y, ch, wd);

	y = draw_footer(c, w, s, err, y, h, wd);
	draw_consumers(p, w, s, y, h - 1 - pool_rows, wd, focused);
	draw_pools(c, w, h - 1 - pool_rows, h, wd);
	buf_free(&b);
}

static enum pane_result
slots_key(struct console *c, void *priv, enum action a)
{
	struct slots_pane	*p = priv;
	const struct slots	*s = slots_feed_data(c->slots);
	size_t			 n = s != NULL && s->valid ? s->nc : 0;

	if (pane_list_move(&p->sel, n, a, 10))
		return PANE_HANDLED;
	switch (a) {
	case ACTION_ENTER:
		if (p->sel >= n || s->c[p->sel].dag == NULL)
			return PANE_HANDLED;
		c->want_dag = s->c[p->sel].dag;
		return PANE_JUMP_DAG;
	default:
		return PANE_IGNORED;
	}
}

const struct pane_ops pane_slots_ops = {
	.priv_size = sizeof(struct slots_pane),
	.draw = slots_draw,
	.key = slots_key,
};
