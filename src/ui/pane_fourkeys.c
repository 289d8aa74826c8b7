/*
 * pane_fourkeys.c: the DORA Four Keys, a row per service: deployment
 * frequency, lead time (median), change failure rate and time to restore
 * (median), each with its DORA band and an arrow for the way it moved
 * since the window before (green when that is better, red when worse),
 * and under it a sparkline of deployments per day.  Enter lists what is
 * behind the numbers: the window's deployments (changes, lead time,
 * incidents) and incidents (restore time, the deployment blamed).
 */
#include <stdlib.h>
#include <string.h>

#include "fourkeys_src.h"
#include "sparkline.h"
#include "timefmt.h"
#include "ui.h"

/* The pane's own state: the selected service, and what is behind it (Enter). */
struct fk_pane {
	size_t		 sel, top;	/* the services */
	bool		 detail;	/* Enter: what is behind */
	size_t		 line;		/* first detail line shown */
};

#define NAME_W	12
#define CELL_W	17

static attr_t
band_attr(enum fk_band b)
{
	switch (b) {
	case FK_BAND_ELITE:
		return ui_run_attr(RUN_SUCCESS) | A_BOLD;
	case FK_BAND_HIGH:
		return ui_run_attr(RUN_SUCCESS);
	case FK_BAND_MEDIUM:
		return ui_run_attr(RUN_QUEUED);
	case FK_BAND_LOW:
		return ui_run_attr(RUN_FAILED);
	default:
		return A_DIM;
	}
}

/*
 * One metric: value, band and an arrow for the value's direction, green
 * when the move is better and red when worse (frequency up is better,
 * the rest down).
 */
static void
put_cell(struct console *c, WINDOW *w, int y, int x, int maxx,
    const char *value, enum fk_band band, int trend, bool more_is_better)
{
	int		 dir = more_is_better ? trend : -trend;
	const char	*arrow;
	char		 cell[64];

	if (x >= maxx)
		return;
	snprintf(cell, sizeof cell, "%-7.7s ", value);
	mvwaddnstr(w, y, x, cell, maxx - x);
	if (x + 8 >= maxx)
		return;
	wattron(w, band_attr(band));
	snprintf(cell, sizeof cell, "%-6s", band == FK_BAND_NONE ? "" :
	    fk_band_name(band));
	mvwaddnstr(w, y, x + 8, cell, maxx - x - 8);
	wattroff(w, band_attr(band));
	if (x + 15 >= maxx || trend == 0)
		return;
	if (c->ascii)
		arrow = dir > 0 ? "^" : "v";
	else
		arrow = dir > 0 ? "\xe2\x86\x91" : "\xe2\x86\x93";
	wattron(w, trend > 0 ? ui_run_attr(RUN_SUCCESS) :
	    ui_run_attr(RUN_FAILED));
	mvwaddstr(w, y, x + 15, arrow);
	wattroff(w, trend > 0 ? ui_run_attr(RUN_SUCCESS) :
	    ui_run_attr(RUN_FAILED));
}

static void
fmt_secs(struct buf *b, int64_t s)
{
	if (s < 0)
		buf_puts(b, "no data");
	else
		fmt_duration(b, (double)s);
}

/* A measured service's four cells on its first line, from column x. */
static void
draw_cells(struct console *c, WINDOW *w, int y, int x, int maxx,
    const struct fk_svc_view *v, struct buf *b)
{
	const struct fk_metrics *m = &v->res->cur, *pv = &v->res->prev;

	buf_reset(b);
	if (m->per_day >= 1)
		buf_printf(b, "%.1f/d", m->per_day);
	else
		buf_printf(b, "%.1f/wk", m->per_week);
	put_cell(c, w, y, x, maxx, buf_str(b), v->res->band_freq,
	    fk_trend_freq(m, pv), true);
	buf_reset(b);
	fmt_secs(b, m->lead_median);
	put_cell(c, w, y, x + CELL_W, maxx, buf_str(b), v->res->band_lead,
	    fk_trend_lead(m, pv), false);
	buf_reset(b);
	if (m->cfr < 0)
		buf_puts(b, "no data");
	else
		buf_printf(b, "%.0f%%", m->cfr * 100);
	put_cell(c, w, y, x + 2 * CELL_W, maxx, buf_str(b), v->res->band_cfr,
	    fk_trend_cfr(m, pv), false);
	buf_reset(b);
	fmt_secs(b, m->restore_median);
	put_cell(c, w, y, x + 3 * CELL_W, maxx, buf_str(b),
	    v->res->band_restore, fk_trend_restore(m, pv), false);
}

/* The service rows: numbers, then a sparkline and any trouble. */
static void
draw_services(struct console *c, struct fk_pane *p, WINDOW *w,
    const struct fk_src *src, int h, int wd, bool focused)
{
	struct fk_svc_view	 v;
	struct buf		 b = BUF_INIT;
	size_t			 i, n = fk_src_count(src);
	int			 y = 2, x, rows_each = 2, maxx = wd - 1;

	wattron(w, A_DIM);
	mvwaddnstr(w, 1, 2, "SERVICE     DEPLOYS          LEAD TIME        "
	    "CHANGE FAIL      RESTORE", wd - 3);
	wattroff(w, A_DIM);
	if (p->sel >= n)
		p->sel = n > 0 ? n - 1 : 0;
	if (p->sel < p->top)
		p->top = p->sel;
	while (p->top < p->sel &&
	    (int)(p->sel - p->top + 1) * (rows_each + 1) > h - 3)
		p->top++;
	for (i = p->top; i < n && y < h - 1; i++) {
		const struct fk_metrics *m;

		fk_src_service(src, i, &v);
		if (i == p->sel && focused) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		mvwaddstr(w, y, 2, "");
		ui_put(w, v.name, NAME_W - 1);
		if (i == p->sel && focused)
			wattroff(w, A_REVERSE);
		x = 2 + NAME_W;
		if (v.valid)
			draw_cells(c, w, y, x, maxx, &v, &b);
		else if (*v.error == '\0') {
			wattron(w, A_DIM);
			mvwaddnstr(w, y, x, v.busy ? "reading..." : "not read yet",
			    maxx - x);
			wattroff(w, A_DIM);
		}
		y++;
		if (y >= h - 1)
			break;
		/* the second line: deployments per day, then what went wrong */
		buf_reset(&b);
		if (v.valid) {
			m = &v.res->cur;
			buf_printf(&b, "%d deploys ", m->deployments);
			wattron(w, A_DIM);
			mvwaddnstr(w, y, 4, buf_str(&b), maxx - 4);
			wattroff(w, A_DIM);
			x = 4 + (int)b.len;
			buf_reset(&b);
			sparkline(&b, m->daily, m->days, maxx - x - 1, c->ascii);
			mvwaddstr(w, y, x, buf_str(&b));
		}
		if (*v.waiting != '\0' || *v.error != '\0') {
			y += v.valid ? 1 : 0;
			if (y >= h - 1)
				break;
			wattron(w, A_BOLD);
			mvwaddstr(w, y, 4, "");
			buf_reset(&b);
			if (*v.waiting != '\0')
				buf_puts(&b, v.waiting);
			else
				buf_printf(&b, "%s%s", v.valid ?
				    "last refresh failed: " : "", v.error);
			ui_put(w, buf_str(&b), maxx - 4);
			wattroff(w, A_BOLD);
		}
		y += 2;
	}
	buf_free(&b);
}

static const struct fk_data *sort_data;

static int
dep_newest_first(const void *a, const void *b)
{
	int64_t x = sort_data->dep[*(const size_t *)a].at;
	int64_t y = sort_data->dep[*(const size_t *)b].at;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int
inc_newest_first(const void *a, const void *b)
{
	int64_t x = sort_data->inc[*(const size_t *)a].opened;
	int64_t y = sort_data->inc[*(const size_t *)b].opened;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * The lines behind one service's numbers, newest first: a line of text
 * each, with '\1' in front of headings.  The caller frees the array.
 */
static char **
detail_lines(struct console *c, const struct fk_svc_view *v, size_t *nout)
{
	const struct fk_data	*d = v->data;
	const struct fk_result	*r = v->res;
	size_t			*ix, i, n = 0, cap = d->ndep + d->ninc + 9;
	char			**lines = xcalloc(cap, sizeof *lines);
	struct buf		 b = BUF_INIT;

	ix = xcalloc(d->ndep + d->ninc + 1, sizeof *ix);
	sort_data = d;
	buf_printf(&b, "\1DEPLOYMENTS  %d in %d days (%d failed)",
	    r->cur.deployments, r->cur.days, r->cur.failed);
	lines[n++] = buf_detach(&b);
	lines[n++] = xstrdup("\1WHEN         CHANGES  LEAD     INCIDENTS  "
	    "DEPLOYMENT");
	for (i = 0; i < d->ndep; i++)
		ix[i] = i;
	qsort(ix, d->ndep, sizeof *ix, dep_newest_first);
	for (i = 0; i < d->ndep; i++) {
		const struct fk_deploy *e = &d->dep[ix[i]];

		if (e->at < r->cur.from || e->at >= r->cur.to)
			continue;
		fmt_time(&b, c->zone, e->at, FMT_SHORT);
		buf_printf(&b, "  %7d  ", r->links.dep_changes[ix[i]]);
		if (r->links.dep_lead[ix[i]] >= 0) {
			size_t at = b.len;

			fmt_duration(&b, (double)r->links.dep_lead[ix[i]]);
			while (b.len - at < 7)
				buf_putc(&b, ' ');
		} else
			buf_puts(&b, "-      ");
		buf_printf(&b, "  %9d  %s", r->links.dep_incidents[ix[i]],
		    e->id);
		if (e->sha != NULL && strstr(e->id, e->sha) == NULL)
			buf_printf(&b, " (%.7s)", e->sha);
		lines[n++] = buf_detach(&b);
	}
	lines[n++] = xstrdup("");
	buf_printf(&b, "\1INCIDENTS  %d opened, %d restored", r->cur.incidents,
	    r->cur.restored);
	lines[n++] = buf_detach(&b);
	lines[n++] = xstrdup("\1OPENED       RESTORED IN  INCIDENT / CAUSED BY "
	    "/ TITLE");
	for (i = 0; i < d->ninc; i++)
		ix[i] = i;
	qsort(ix, d->ninc, sizeof *ix, inc_newest_first);
	for (i = 0; i < d->ninc; i++) {
		const struct fk_incident *e = &d->inc[ix[i]];
		int dep = r->links.inc_deploy[ix[i]];

		if (e->opened < r->cur.from || e->opened >= r->cur.to)
			continue;
		fmt_time(&b, c->zone, e->opened, FMT_SHORT);
		buf_puts(&b, "  ");
		if (e->resolved > 0) {
			size_t at = b.len;

			fmt_duration(&b, (double)(e->resolved - e->opened));
			while (b.len - at < 11)
				buf_putc(&b, ' ');
		} else
			buf_puts(&b, "still open ");
		buf_printf(&b, "  %s", e->id);
		if (dep >= 0)
			buf_printf(&b, " <- %s", d->dep[dep].id);
		if (e->title != NULL)
			buf_printf(&b, ": %s", e->title);
		lines[n++] = buf_detach(&b);
	}
	free(ix);
	*nout = n;
	return lines;
}

static void
draw_detail(struct console *c, struct fk_pane *p, WINDOW *w,
    const struct fk_svc_view *v, int h, int wd)
{
	char	**lines;
	size_t	  n, i;
	int	  y = 1;

	if (!v->valid) {
		mvwaddstr(w, 1, 2, "");
		ui_put(w, *v->error != '\0' ? v->error : "not read yet",
		    wd - 4);
		return;
	}
	lines = detail_lines(c, v, &n);
	if (p->line + (size_t)(h - 2) > n)
		p->line = n > (size_t)(h - 2) ? n - (size_t)(h - 2) : 0;
	for (i = p->line; i < n && y < h - 1; i++, y++) {
		bool head = lines[i][0] == '\1';

		if (head)
			wattron(w, lines[i][1] == 'W' || lines[i][1] == 'O' ?
			    A_DIM : A_BOLD);
		mvwaddstr(w, y, 2, "");
		ui_put(w, lines[i] + (head ? 1 : 0), wd - 4);
		if (head)
			wattroff(w, lines[i][1] == 'W' || lines[i][1] == 'O' ?
			    A_DIM : A_BOLD);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
fourkeys_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct fk_pane	*p = priv;
	const struct fk_src	*src = fk_feed_src(c->fourkeys);
	struct fk_svc_view	 v;
	struct buf		 b = BUF_INIT;
	int			 h, wd;

	getmaxyx(w, h, wd);
	werase(w);
	fk_feed_seen(c->fourkeys);
	if (src == NULL) {
		ui_frame(w, "Four Keys", focused, c->ascii);
		mvwaddstr(w, 1, 2, "");
		ui_put(w, fk_feed_error(c->fourkeys), wd - 4);
		return;
	}
	if (p->detail) {
		fk_src_service(src, p->sel, &v);
		buf_puts(&b, "Four Keys: ");
		buf_puts(&b, v.name);
		buf_printf(&b, ", %s", v.describe);
	} else
		buf_printf(&b, "Four Keys: %d days, DORA %d bands",
		    fk_src_days(src), fk_src_year(src));
	if (fk_src_busy(src))
		buf_puts(&b, " (reading)");
	ui_frame(w, buf_str(&b), focused, c->ascii);
	if (p->detail)
		draw_detail(c, p, w, &v, h, wd);
	else
		draw_services(c, p, w, src, h, wd, focused);
	buf_free(&b);
}

static enum pane_result
fourkeys_key(struct console *c, void *priv, enum action a)
{
	struct fk_pane	*p = priv;
	const struct fk_src	*src = fk_feed_src(c->fourkeys);
	size_t			 n = src != NULL ? fk_src_count(src) : 0;
	size_t			*sel = p->detail ? &p->line : &p->sel;
	/* A service's detail has no count here: drawing clamps the line. */
	size_t			 count = p->detail ? (size_t)-1 / 2 : n;

	if (pane_list_move(sel, count, a, 10))
		return PANE_HANDLED;
	switch (a) {
	case ACTION_ENTER:
		if (n > 0 && !p->detail) {
			p->detail = true;
			p->line = 0;
		}
		return PANE_HANDLED;
	case ACTION_BACK:
		if (!p->detail)
			return PANE_IGNORED;
		p->detail = false;
		return PANE_HANDLED;
	default:
		return PANE_IGNORED;
	}
}

const struct pane_ops pane_fourkeys_ops = {
	.priv_size = sizeof(struct fk_pane),
	.draw = fourkeys_draw,
	.key = fourkeys_key,
};
