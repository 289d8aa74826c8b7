/*
 * pane_fourkeys.c: the DORA Four Keys, a row per service: deployment
 * frequency, lead time (median), change failure rate and time to restore
 * (median), each with its DORA band and, right after its figure, an
 * arrow for the way it moved since the window before and a cue saying
 * whether that is better or worse (also green or red),
 * and under it a sparkline of deployments per day.  Enter lists what is
 * behind the numbers: the window's deployments (changes, lead time,
 * incidents) and incidents (restore time, the deployment blamed).
 */
#include <stdlib.h>
#include <string.h>

#include "fourkeys_src.h"
#include "sanitize.h"
#include "sparkline.h"
#include "timefmt.h"
#include "ui.h"

/* The pane's own state: the selected service, and what is behind it (Enter). */
struct fk_pane {
	size_t		 sel, top;	/* the services */
	bool		 detail;	/* Enter: what is behind */
	size_t		 line;		/* first detail line shown */
};

/* The four metrics' columns: heading, and whether more is better. */
static const struct {
	const char	*head;
	bool		 more_is_better;
} fk_cols[4] = {
	{ "DEPLOYS", true }, { "LEAD TIME", false },
	{ "CHANGE FAIL", false }, { "RESTORE", false },
};

/* One metric of one service as shown: figure, band and trend. */
struct fk_cell {
	char		 value[32];
	enum fk_band	 band;
	int		 trend;
};

/*
 * Where the columns go, sized from what the services show: the names'
 * width, and per metric the widest figure, cue and band.  Trend cues are
 * words ("↑ worse") when they fit, else "+"/"-"; bands their first letter
 * when even that does not fit.
 */
struct fk_layout {
	int		 namew;
	int		 vw[4], cuew[4], bw[4], x[4];
	bool		 words, short_band;
};

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

static void
fmt_secs(struct buf *b, int64_t s)
{
	if (s < 0)
		buf_puts(b, "no data");
	else
		fmt_duration(b, (double)s);
}

/* A measured service's four metrics as the pane shows them. */
static void
metric_cells(const struct fk_svc_view *v, struct fk_cell cell[4])
{
	const struct fk_metrics *m = &v->res->cur, *pv = &v->res->prev;
	struct buf	 b = BUF_INIT;

	if (m->per_day >= 1)
		buf_printf(&b, "%.1f/d", m->per_day);
	else
		buf_printf(&b, "%.1f/wk", m->per_week);
	snprintf(cell[0].value, sizeof cell[0].value, "%s", buf_str(&b));
	buf_reset(&b);
	fmt_secs(&b, m->lead_median);
	snprintf(cell[1].value, sizeof cell[1].value, "%s", buf_str(&b));
	buf_reset(&b);
	if (m->cfr < 0)
		buf_puts(&b, "no data");
	else
		buf_printf(&b, "%.0f%%", m->cfr * 100);
	snprintf(cell[2].value, sizeof cell[2].value, "%s", buf_str(&b));
	buf_reset(&b);
	fmt_secs(&b, m->restore_median);
	snprintf(cell[3].value, sizeof cell[3].value, "%s", buf_str(&b));
	buf_free(&b);
	cell[0].band = v->res->band_freq;
	cell[0].trend = fk_trend_freq(m, pv);
	cell[1].band = v->res->band_lead;
	cell[1].trend = fk_trend_lead(m, pv);
	cell[2].band = v->res->band_cfr;
	cell[2].trend = fk_trend_cfr(m, pv);
	cell[3].band = v->res->band_restore;
	cell[3].trend = fk_trend_restore(m, pv);
}

static int
cols_of(const char *s)
{
	return (int)text_width(s, strlen(s));
}

/* The columns for a pane wd wide: see struct fk_layout. */
static void
fk_layout(const struct fk_src *src, int wd, struct fk_layout *L)
{
	struct fk_svc_view	 v;
	struct fk_cell		 cell[4];
	size_t			 i, n = fk_src_count(src);
	int			 k, mode, x, vw[4] = { 0 }, bw[4] = { 0 };
	bool			 trend[4] = { false };

	memset(L, 0, sizeof *L);
	L->namew = cols_of("SERVICE");
	for (i = 0; i < n; i++) {
		fk_src_service(src, i, &v);
		if (cols_of(v.name) > L->namew)
			L->namew = cols_of(v.name);
		if (!v.valid)
			continue;
		metric_cells(&v, cell);
		for (k = 0; k < 4; k++) {
			if ((int)strlen(cell[k].value) > vw[k])
				vw[k] = (int)strlen(cell[k].value);
			if (cell[k].band != FK_BAND_NONE &&
			    (int)strlen(fk_band_name(cell[k].band)) > bw[k])
				bw[k] = (int)strlen(fk_band_name(cell[k].band));
			trend[k] = trend[k] || cell[k].trend != 0;
		}
	}
	for (mode = 0; mode < 3; mode++) {
		L->words = mode == 0;
		L->short_band = mode == 2;
		x = 2 + L->namew;
		for (k = 0; k < 4; k++) {
			int w;

			L->vw[k] = vw[k];
			L->cuew[k] = !trend[k] ? 0 : L->words ? 9 : 2;
			L->bw[k] = bw[k] == 0 ? 0 : L->short_band ? 1 : bw[k];
			w = vw[k] + L->cuew[k] + (L->bw[k] > 0 ? 1 + L->bw[k] : 0);
			if (w < cols_of(fk_cols[k].head))
				w = cols_of(fk_cols[k].head);
			L->x[k] = x + 2;
			x += 2 + w;
		}
		if (x <= wd - 1)
			return;
	}
	/* Still too wide: the names give way, down to 6 columns. */
	k = x - (wd - 1);
	if (L->namew - k < 6)
		k = L->namew - 6 > 0 ? L->namew - 6 : 0;
	L->namew -= k;
	for (i = 0; i < 4; i++)
		L->x[i] -= k;
}

/*
 * Text at (y, x) of a line that ends before maxx, in attribute at; when
 * it does not fit it is cut with the mark and the line is full (false).
 */
static bool
put_at(struct console *c, WINDOW *w, int y, int x, int maxx, const char *s,
    attr_t at)
{
	int	cols = cols_of(s);

	if (x >= maxx)
		return false;
	wattron(w, at);
	wmove(w, y, x);
	ui_put_cut(w, s, maxx - x, c->ascii);
	wattroff(w, at);
	return x + cols <= maxx;
}

/*
 * One metric at column x: the figure right-aligned in its column, the
 * trend's arrow and cue right after it (green when the move is better,
 * red when worse), then the band.  False once the line is full.
 */
static bool
put_cell(struct console *c, WINDOW *w, int y, int x, int maxx,
    const struct fk_layout *L, int k, const struct fk_cell *cell)
{
	char		 val[16];
	const char	*cue;
	attr_t		 at;
	int		 pad = L->vw[k] - (int)strlen(cell->value);

	if (!put_at(c, w, y, x + (pad > 0 ? pad : 0), maxx, cell->value,
	    A_NORMAL))
		return false;
	x += L->vw[k];
	cue = fk_trend_cue(cell->trend, fk_cols[k].more_is_better, c->ascii,
	    L->words);
	at = (cell->trend > 0 ? ui_run_attr(RUN_SUCCESS) :
	    ui_run_attr(RUN_FAILED)) | A_BOLD;
	if (*cue != '\0' && !put_at(c, w, y, x, maxx, cue, at))
		return false;
	x += L->cuew[k] + 1;
	if (cell->band == FK_BAND_NONE)
		return true;
	snprintf(val, sizeof val, "%.*s", L->short_band ? 1 : 10,
	    fk_band_name(cell->band));
	if (L->short_band)
		val[0] = (char)(val[0] - 'a' + 'A');
	return put_at(c, w, y, x, maxx, val, band_attr(cell->band));
}

/* What the cues and short bands mean, on the pane's last line. */
static void
draw_legend(struct console *c, WINDOW *w, int y, int wd,
    const struct fk_layout *L, int days)
{
	struct buf	b = BUF_INIT;

	buf_printf(&b, "%s the way a figure moved since the %d days before",
	    c->ascii ? "^ v" : "\xe2\x86\x91 \xe2\x86\x93", days);
	if (!L->words)
		buf_puts(&b, ": + better, - worse");
	if (L->short_band)
		buf_puts(&b, "; E elite, H high, M medium, L low");
	wattron(w, A_DIM);
	put_at(c, w, y, 2, wd - 1, buf_str(&b), A_DIM);
	wattroff(w, A_DIM);
	buf_free(&b);
}

/* The service rows: numbers, then a sparkline and any trouble. */
static void
draw_services(struct console *c, struct fk_pane *p, WINDOW *w,
    const struct fk_src *src, int h, int wd, bool focused)
{
	struct fk_svc_view	 v;
	struct fk_layout	 L;
	struct fk_cell		 cell[4];
	struct buf		 b = BUF_INIT;
	size_t			 i, n = fk_src_count(src);
	int			 y = 2, x, k, rows_each = 2, maxx = wd - 1;
	int			 last = h - 1;	/* the first line not for rows */

	fk_layout(src, wd, &L);
	if (h - 3 >= 2 * (rows_each + 1)) {
		last = h - 2;
		draw_legend(c, w, last, wd, &L, fk_src_days(src));
	}
	put_at(c, w, 1, 2, maxx, "SERVICE", A_DIM);
	for (k = 0; k < 4; k++)
		if (!put_at(c, w, 1, L.x[k], maxx, fk_cols[k].head, A_DIM))
			break;
	if (p->sel >= n)
		p->sel = n > 0 ? n - 1 : 0;
	if (p->sel < p->top)
		p->top = p->sel;
	while (p->top < p->sel &&
	    (int)(p->sel - p->top + 1) * (rows_each + 1) > last - 2)
		p->top++;
	for (i = p->top; i < n && y < last; i++) {
		const struct fk_metrics *m;

		fk_src_service(src, i, &v);
		if (i == p->sel && focused) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		mvwaddstr(w, y, 2, "");
		ui_put_cut(w, v.name, L.namew, c->ascii);
		if (i == p->sel && focused)
			wattroff(w, A_REVERSE);
		x = L.x[0];
		if (v.valid) {
			metric_cells(&v, cell);
			for (k = 0; k < 4; k++)
				if (!put_cell(c, w, y, L.x[k], maxx, &L, k,
				    &cell[k]))
					break;
		} else if (*v.error == '\0')
			put_at(c, w, y, x, maxx, v.busy ? "reading..." :
			    "not read yet", A_DIM);
		y++;
		if (y >= last)
			break;
		/* the second line: deployments per day, then what went wrong */
		buf_reset(&b);
		if (v.valid) {
			m = &v.res->cur;
			buf_printf(&b, "%d deploys ", m->deployments);
			put_at(c, w, y, 4, maxx, buf_str(&b), A_DIM);
			x = 4 + (int)b.len;
			buf_reset(&b);
			sparkline(&b, m->daily, m->days, maxx - x - 1, c->ascii);
			mvwaddstr(w, y, x, buf_str(&b));
		}
		if (*v.waiting != '\0' || *v.error != '\0') {
			y += v.valid ? 1 : 0;
			if (y >= last)
				break;
			buf_reset(&b);
			if (*v.waiting != '\0')
				buf_puts(&b, v.waiting);
			else
				buf_printf(&b, "%s%s", v.valid ?
				    "last refresh failed: " : "", v.error);
			put_at(c, w, y, 4, maxx, buf_str(&b), A_BOLD);
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
		ui_put_cut(w, lines[i] + (head ? 1 : 0), wd - 4, c->ascii);
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
