/*
 * pane_sla.c: today's SLAs, each in its own zone: state, deadline, time
 * left or lateness, owner; at risk and missed first.  Enter opens the run
 * that serves the day.  Also the SLA state the console keeps for this pane
 * and the weekly one (pane_slaweek.c).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "timefmt.h"
#include "tz.h"
#include "ui.h"
#include "zoneinfo.h"

/* The pane's own state: today's selected SLA and the first shown. */
struct sla_pane {
	size_t		 sel, top;
};

void
sla_panes_load(struct sla_panes *p, const struct config *cfg,
    const struct settings *s)
{
	struct buf	why = BUF_INIT;
	size_t		i, n;

	sla_panes_free(p);
	p->week_start = cfg->week_start;
	p->defs = xcalloc(cfg->nsla + 1, sizeof *p->defs);
	n = config_slas(cfg, s->context, p->defs);
	p->zones = xcalloc(n + 1, sizeof *p->zones);
	for (i = 0; i < n; i++) {
		/* Checked when the file was read; UTC if it went since. */
		p->zones[i] = zoneinfo_load(p->defs[i]->timezone != NULL ?
		    p->defs[i]->timezone : s->timezone, &why);
		if (p->zones[i] == NULL)
			p->zones[i] = tz_utc();
		buf_reset(&why);
	}
	buf_free(&why);
	p->n = n;
	p->cause = xcalloc(n + 1, sizeof *p->cause);
	p->selected = p->want = SIZE_MAX;
}

void
sla_panes_free(struct sla_panes *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		tz_free(p->zones[i]);
		if (p->cause != NULL)
			free(p->cause[i].sentence);
	}
	free(p->cause);
	free(p->zones);
	free(p->defs);
	memset(p, 0, sizeof *p);
}

void
sla_panes_window(const struct sla_panes *p, const struct tz *home,
    int64_t now, int64_t *from, int64_t *to)
{
	int64_t today = sla_local_day(home, now);
	int64_t first = sla_week_first(today, p->week_start);

	/* This week, and the trailing weeks behind the oldest shown. */
	*from = (first - SLA_TRAILING_WEEKS * 7 - 2) * 86400;
	*to = (first + 7 + 2) * 86400;
}

/* The attempts of SLA i in the snapshot. */
static const struct sla_attempt *
attempts(const struct console *c, size_t i, size_t *n)
{
	const struct sla_history *h = &c->snap.sla;

	*n = 0;
	if (!c->snap.valid || i >= h->nsla || h->count[i] == 0)
		return NULL;
	*n = h->count[i];
	return &h->v[h->first[i]];
}

/* Today of every SLA (in its zone), and the order to show them in. */
static void
today_all(const struct console *c, int64_t now, struct sla_day *days,
    size_t *order)
{
	const struct sla_day	**pv = xcalloc(c->sla.n + 1, sizeof *pv);
	const struct sla_attempt *v;
	size_t			  i, n;

	for (i = 0; i < c->sla.n; i++) {
		v = attempts(c, i, &n);
		sla_eval_day(c->sla.defs[i], c->sla.zones[i],
		    sla_local_day(c->sla.zones[i], now), v, n,
		    sla_median_duration(v, n, now), now, &days[i]);
		if (sla_history_unknown_dag(&c->snap.sla, i))
			sla_day_unknown_dag(&days[i]);
		pv[i] = &days[i];
	}
	sla_order_today(pv, c->sla.n, order);
	free(pv);
}

static attr_t
outcome_attr(enum sla_outcome o)
{
	switch (o) {
	case SLA_MET:
		return ui_run_attr(RUN_SUCCESS);
	case SLA_LATE:
	case SLA_FAILED:
	case SLA_MISSING:
		return ui_run_attr(RUN_FAILED);
	case SLA_AT_RISK:
	case SLA_UNKNOWN_DAG:
		return ui_run_attr(RUN_QUEUED) | A_BOLD;
	case SLA_PENDING:
		return ui_run_attr(RUN_RUNNING);
	default:
		return A_DIM;
	}
}

/* The LEFT / LATE column: how late, when done, or the time left. */
static void
left_text(struct buf *b, const struct sla_day *d, const struct tz *zone,
    int64_t now)
{
	switch (d->outcome) {
	case SLA_LATE:
		buf_puts(b, "+");
		fmt_duration(b, (double)d->late_by);
		if (d->finished_at == TIME_NONE)
			buf_puts(b, " running");
		break;
	case SLA_MET:
		buf_puts(b, "done ");
		fmt_time(b, zone, d->finished_at, FMT_CLOCK);
		b->len -= 3;		/* no seconds */
		b->data[b->len] = '\0';
		break;
	case SLA_PENDING:
	case SLA_AT_RISK:
		fmt_duration(b, (double)(d->deadline - now));
		buf_puts(b, " left");
		break;
	case SLA_UNKNOWN_DAG:
		buf_puts(b, "unknown DAG");
		break;
	default:
		buf_puts(b, "-");
		break;
	}
}

/* The widths of the SLA, owner and "waits on" columns; 0: not shown. */
struct sla_cols {
	int	name, own, wait;
};

/* What an SLA waits on: its DAG, or DAG.task. */
static void
waits_on(struct buf *b, const struct sla_def *def)
{
	buf_reset(b);
	buf_puts(b, def->dag_id);
	if (def->task_id != NULL)
		buf_printf(b, ".%s", def->task_id);
}

/*
 * One SLA's line: state, name, deadline, left or late, owner; on screens
 * wide enough (cw->own > 0), what it waits on and its note after them.
 */
static void
draw_sla_line(WINDOW *w, int y, int wd, const struct sla_cols *cw,
    const struct sla_day *d,
    const struct sla_def *def, const struct tz *zone, bool selected,
    int64_t now, bool ascii, bool upstream)
{
	struct buf	 b = BUF_INIT;
	struct tz_local	 l;
	int		 x = 3;

	if (selected) {
		wattron(w, A_REVERSE);
		mvwhline(w, y, 1, ' ', wd - 2);
	}
	/* The cause is upstream, in another DAG (pane_impact.c). */
	if (upstream)
		mvwaddstr(w, y, 1, ascii ? "^" : "\u2191");
	wattron(w, outcome_attr(d->outcome));
	/* "unknown DAG" does not fit: the LEFT column says it. */
	mvwaddnstr(w, y, x, d->outcome == SLA_UNKNOWN_DAG ? "unknown" :
	    sla_outcome_label(d->outcome), 8);
	wattroff(w, outcome_attr(d->outcome));
	x += 9;
	wmove(w, y, x);
	ui_put_cut(w, def->name, cw->name, ascii);
	x += cw->name + 1;
	if (d->deadline != TIME_NONE) {
		tz_localtime(zone, d->deadline, &l);
		buf_printf(&b, "%02d:%02d %s", l.hour, l.min, l.abbr);
	} else
		buf_puts(&b, "-");
	mvwaddnstr(w, y, x, buf_str(&b), 12);
	x += 13;
	buf_reset(&b);
	left_text(&b, d, zone, now);
	mvwaddnstr(w, y, x, buf_str(&b), 15);
	x += 16;
	if (x < wd - 2 && def->owner != NULL) {
		wmove(w, y, x);
		ui_put_cut(w, def->owner, cw->own > 0 ? cw->own : wd - 2 - x,
		    ascii);
	}
	/* Wide screens: what the SLA waits on, then its note. */
	if (cw->own > 0 && (x += cw->own + 1) < wd - 2) {
		waits_on(&b, def);
		wmove(w, y, x);
		ui_put_cut(w, buf_str(&b), cw->wait, ascii);
		x += cw->wait + 1;
		if (def->note != NULL && x < wd - 2) {
			wmove(w, y, x);
			ui_put_cut(w, def->note, wd - 2 - x, ascii);
		}
	}
	if (selected)
		wattroff(w, A_REVERSE);
	buf_free(&b);
}

/*
 * The columns: the names as wide as the longest, if the owners keep 10
 * columns; past the owners (as wide as the widest), when 20 columns are
 * left, what each SLA waits on (as wide as the longest) and its note.
 */
static void
sla_plan(const struct console *c, int wd, struct sla_cols *cw)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		x;

	memset(cw, 0, sizeof *cw);
	for (cw->name = 3, cw->own = 5, i = 0; i < c->sla.n; i++) {
		const struct sla_def *def = c->sla.defs[i];

		if ((int)strlen(def->name) > cw->name)
			cw->name = (int)strlen(def->name);
		if (def->owner != NULL && (int)strlen(def->owner) > cw->own)
			cw->own = (int)strlen(def->owner);
		waits_on(&b, def);
		if ((int)b.len > cw->wait)
			cw->wait = (int)b.len;
	}
	buf_free(&b);
	if (cw->name > wd - 2 - 2 - 9 - 13 - 16 - 1 - 10)
		cw->name = wd - 2 - 2 - 9 - 13 - 16 - 1 - 10;
	if (cw->name < 8)
		cw->name = 8;
	x = 3 + 9 + cw->name + 1 + 13 + 16 + cw->own + 1;
	if (x + 20 > wd - 2)
		cw->own = 0;
	else if (cw->wait > wd - 2 - x)
		cw->wait = wd - 2 - x;
}

/*
 * What the impact reads need from a draw: each SLA's outcome today, that
 * the pane showed (the reads run only then), the cursor put on the SLA the
 * impact window opened; returns the selected SLA's upstream cause or NULL.
 */
static const char *
sla_causes(struct console *c, struct sla_pane *p, const struct sla_day *days,
    const size_t *order)
{
	size_t i;

	c->sla.drawn = true;
	for (i = 0; i < c->sla.n; i++) {
		c->sla.cause[i].outcome = days[i].outcome;
		if (order[i] == c->sla.want)
			p->sel = i;
	}
	c->sla.want = SIZE_MAX;
	return p->sel < c->sla.n && c->sla.cause[order[p->sel]].upstream ?
	    c->sla.cause[order[p->sel]].sentence : NULL;
}

static void
sla_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct sla_pane	*p = priv;
	struct sla_day	*days;
	size_t		*order, i;
	struct buf	 b = BUF_INIT;
	struct sla_cols	 cw;
	const char	*cause;
	int		 h, wd, y, x, list, crows;
	int64_t		 now = (int64_t)time(NULL);

	getmaxyx(w, h, wd);
	werase(w);
	buf_printf(&b, "SLAs today (%zu)", c->sla.n);
	ui_frame(w, buf_str(&b), focused, c->ascii);
	buf_reset(&b);
	if (c->sla.n == 0) {
		wmove(w, 1, 2);
		ui_put_cut(w, "No SLA is defined: add [sla \"NAME\"] sections "
		    "to the configuration (dagtop.conf(5)).", wd - 4, c->ascii);
		buf_free(&b);
		return;
	}
	if (!c->snap.valid) {
		wmove(w, 2, 2);
		ui_put(w, "reading the Airflow database...", getmaxx(w) - 4);
		buf_free(&b);
		return;
	}
	days = xcalloc(c->sla.n, sizeof *days);
	order = xcalloc(c->sla.n, sizeof *order);
	today_all(c, now, days, order);
	cause = sla_causes(c, p, days, order);
	/* The selected SLA's upstream cause on the last rows, whole. */
	crows = cause != NULL && h >= 6 ? ui_put_wrap(NULL, 0, 0, cause,
	    wd - 4 - 10, h >= 9 ? 2 : 1, c->ascii) : 0;
	list = h - 3 - crows;
	pane_list_scroll(&p->sel, &p->top, c->sla.n, list);
	c->sla.selected = p->sel < c->sla.n ? order[p->sel] : SIZE_MAX;
	sla_plan(c, wd, &cw);
	x = 3 + 9 + cw.name + 1 + 13 + 16;	/* where the owners start */
	wattron(w, A_DIM);
	mvwprintw(w, 1, 1, "  %-8s %-*s %-12s %-15s %s", "STATE", cw.name,
	    "SLA", "DEADLINE", "LEFT / LATE", "OWNER");
	if (cw.own > 0) {
		mvwaddstr(w, 1, x + cw.own + 1, "WAITS ON");
		if (x + cw.own + 1 + cw.wait + 1 < wd - 6)
			mvwaddstr(w, 1, x + cw.own + 1 + cw.wait + 1, "NOTE");
	}
	wattroff(w, A_DIM);
	for (y = 2, i = p->top; y < 2 + list && i < c->sla.n; y++, i++)
		draw_sla_line(w, y, wd, &cw, &days[order[i]],
		    c->sla.defs[order[i]], c->sla.zones[order[i]], i == p->sel,
		    now, c->ascii, c->sla.cause[order[i]].upstream);
	if (crows > 0) {
		wattron(w, A_BOLD);
		wmove(w, h - 1 - crows, 2);
		ui_put_cut(w, "upstream: ", wd - 4, c->ascii);
		wattroff(w, A_BOLD);
		ui_put_wrap(w, h - 1 - crows, 12, cause, wd - 4 - 10, crows,
		    c->ascii);
	}
	free(days);
	free(order);
	buf_free(&b);
}

static enum pane_result
sla_key(struct console *c, void *priv, enum action a)
{
	struct sla_pane	*p = priv;
	struct sla_day	*days;
	size_t		*order;
	enum pane_result r = PANE_HANDLED;
	int64_t		 now = (int64_t)time(NULL);

	if (c->sla.n == 0)
		return PANE_IGNORED;
	/* A page is the whole list: there are only a few SLAs. */
	if (pane_list_move(&p->sel, c->sla.n, a, SIZE_MAX))
		return PANE_HANDLED;
	switch (a) {
	case ACTION_ENTER:
		break;
	default:
		return PANE_IGNORED;
	}
	if (!c->snap.valid || p->sel >= c->sla.n)
		return PANE_HANDLED;
	days = xcalloc(c->sla.n, sizeof *days);
	order = xcalloc(c->sla.n, sizeof *order);
	today_all(c, now, days, order);
	/* The run's strings live in the snapshot, as the runs pane's do. */
	if (days[order[p->sel]].run_id != NULL) {
		c->want_dag = c->sla.defs[order[p->sel]]->dag_id;
		c->want_run = days[order[p->sel]].run_id;
		r = PANE_OPEN_RUN;
	}
	free(days);
	free(order);
	return r;
}

const struct pane_ops pane_sla_ops = {
	.priv_size = sizeof(struct sla_pane),
	.draw = sla_draw,
	.key = sla_key,
};
