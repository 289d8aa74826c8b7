/*
 * pane_slaweek.c: the weekly SLA summary for team leads: a row per SLA, a
 * column per day of the week (met, late by N, failed, missing, not
 * applicable), compliance for the week and the trailing 26 weeks, and the
 * worst lateness.  left and right move a week back and forth.  Under each
 * SLA, its strip: the compliance of the 26 weeks that end with this one,
 * oldest left, the shown week marked; it stays in place while the week
 * moves, and the selected SLA's figures for the shown week and the 26
 * weeks are on the detail line above the legend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sparkline.h"
#include "timefmt.h"
#include "tz.h"
#include "ui.h"

/* The pane's own state: the selected SLA, the first shown, and the week. */
struct slaweek_pane {
	size_t		 sel, top;
	int		 week_back;	/* weeks before this one */
};

#define CELL_MAX	8	/* columns a day may have */
#define CELL_MIN	5
#define TAIL		20	/* " WEEK  26W   WORST  " */

/* What the cells say, for the legend under the grid (cols: mark's width). */
static const struct {
	const char	*mark, *ascii;
	int		 cols;
	const char	*means;
} legend_items[] = {
	{ "\xe2\x9c\x93", "ok", 1, "met" },	/* check mark */
	{ "+25m", "+25m", 4, "late by" },
	{ "FAIL", "FAIL", 4, "failed" },
	{ "MISS", "MISS", 4, "no run" },
	{ "risk", "risk", 4, "at risk" },
	{ "..", "..", 2, "not due yet" },
	{ "\xc2\xb7", "-", 1, "no SLA that day" },	/* middle dot */
	{ "DAG?", "DAG?", 4, "unknown DAG" },
	/* The strips: 0 to 99% in steps, full only when all met. */
	{ "\xe2\x96\x81\xe2\x96\x84\xe2\x96\x88", "0-9#", 3,
	    "met % a week" },
};

/*
 * The legend of the cells, wrapped at the pane's width and ending on line
 * last; with dry_run only counted.  Returns the lines it takes so that
 * the grid leaves them free; an item is never split across lines.
 */
static int
legend(struct console *c, WINDOW *w, int last, int wd, bool dry_run)
{
	size_t	 i, n = sizeof legend_items / sizeof legend_items[0];
	int	 pass, lines = 1, x, y = 0, iw;

	for (pass = dry_run ? 1 : 0; pass < 2; pass++) {
		if (pass == 1)
			y = last - lines + 1;
		lines = 1;
		x = 2;
		for (i = 0; i < n; i++) {
			iw = (c->ascii ? (int)strlen(legend_items[i].ascii) :
			    legend_items[i].cols) + 1 +
			    (int)strlen(legend_items[i].means);
			if (x > 2 && x + iw > wd - 2) {
				lines++;
				x = 2;
			}
			if (pass == 1 && !dry_run) {
				wattron(w, A_BOLD);
				mvwaddstr(w, y + lines - 1, x, c->ascii ?
				    legend_items[i].ascii :
				    legend_items[i].mark);
				wattroff(w, A_BOLD);
				wattron(w, A_DIM);
				waddch(w, ' ');
				waddnstr(w, legend_items[i].means, wd - 2 -
				    getcurx(w));
				wattroff(w, A_DIM);
			}
			x += iw + 2;
		}
	}
	return lines;
}

/* Lateness in a few columns: +25m, +2h05, +3d. */
static void
late_text(struct buf *b, int64_t s)
{
	int64_t m = (s + 59) / 60;

	if (m < 60)
		buf_printf(b, "+%lldm", (long long)m);
	else if (m < 100 * 60)
		buf_printf(b, "+%lldh%02lld", (long long)(m / 60),
		    (long long)(m % 60));
	else
		buf_printf(b, "+%lldd", (long long)(m / 1440));
}

static void
cell(struct console *c, WINDOW *w, const struct sla_day *d, int width)
{
	struct buf	b = BUF_INIT;
	attr_t		at = A_NORMAL;

	switch (d->outcome) {
	case SLA_MET:
		buf_puts(&b, c->ascii ? "ok" : "\xe2\x9c\x93");	/* check mark */
		at = ui_run_attr(RUN_SUCCESS);
		break;
	case SLA_LATE:
		late_text(&b, d->late_by);
		at = ui_run_attr(RUN_FAILED);
		break;
	case SLA_FAILED:
		buf_puts(&b, "FAIL");
		at = ui_run_attr(RUN_FAILED);
		break;
	case SLA_MISSING:
		buf_puts(&b, "MISS");
		at = ui_run_attr(RUN_FAILED);
		break;
	case SLA_UNKNOWN_DAG:
		buf_puts(&b, "DAG?");	/* unknown DAG: see config check */
		at = ui_run_attr(RUN_QUEUED) | A_BOLD;
		break;
	case SLA_AT_RISK:
		buf_puts(&b, "risk");
		at = ui_run_attr(RUN_QUEUED) | A_BOLD;
		break;
	case SLA_PENDING:
		buf_puts(&b, "..");
		at = ui_run_attr(RUN_RUNNING);
		break;
	default:
		buf_puts(&b, c->ascii ? "-" : "\xc2\xb7");	/* middle dot */
		at = A_DIM;
		break;
	}
	wattron(w, at);
	ui_put(w, buf_str(&b), width - 1);
	wattroff(w, at);
	buf_free(&b);
}

/* The strip's weeks, "W24..W49": the 26 that end with this one. */
static void
strip_range(const struct console *c, int64_t home_first, struct buf *b)
{
	struct buf name = BUF_INIT;

	sla_week_name(home_first - 7 * (SLA_TRAILING_WEEKS - 1),
	    c->sla.week_start, &name);
	buf_printf(b, "%s..", buf_str(&name) + 5);
	buf_reset(&name);
	sla_week_name(home_first, c->sla.week_start, &name);
	buf_puts(b, buf_str(&name) + 5);
	buf_free(&name);
}

/*
 * The strip of an SLA on line y from x: the weeks' compliance (weeks[0]
 * the oldest), the shown week in reverse video against the row's own, in
 * at most avail columns; when they are fewer than the weeks, the newest
 * are kept behind the cut mark.  Then the 26 weeks' figures, if room.
 */
static void
strip(struct console *c, WINDOW *w, int y, int x, int avail,
    const struct sla_summary *weeks, const struct sla_summary *span,
    size_t shown, bool unknown, bool sel)
{
	struct buf	b = BUF_INIT;
	size_t		k, from = 0;
	attr_t		at;

	if (avail < 2)
		return;
	wmove(w, y, x);
	if ((size_t)avail < SLA_TRAILING_WEEKS) {
		from = SLA_TRAILING_WEEKS - (size_t)avail + 1;
		wattron(w, A_DIM);
		waddstr(w, c->ascii ? "~" : "\xe2\x80\xa6");
		wattroff(w, A_DIM);
	}
	for (k = from; k < SLA_TRAILING_WEEKS; k++) {
		buf_reset(&b);
		if (unknown) {
			buf_puts(&b, "?");
			at = ui_run_attr(RUN_QUEUED);
		} else {
			sparkline_ratio(&b, weeks[k].compliance, c->ascii);
			at = weeks[k].compliance < 0 ? A_DIM :
			    weeks[k].compliance >= 1 ? ui_run_attr(RUN_SUCCESS) :
			    ui_run_attr(RUN_FAILED);
		}
		if (k == shown) {
			/* Stands out of a selected (reversed) row too. */
			if (sel)
				wattroff(w, A_REVERSE);
			else
				at |= A_REVERSE;
			at |= A_BOLD;
		}
		wattron(w, at);
		waddstr(w, buf_str(&b));
		wattroff(w, at);
		if (k == shown && sel)
			wattron(w, A_REVERSE);
	}
	/* The 26 weeks together, in what is left of the line. */
	if (!unknown && avail > (int)SLA_TRAILING_WEEKS + 4) {
		buf_reset(&b);
		buf_puts(&b, " 26w ");
		sla_compliance_pct(&b, span);
		if (span->judged > 0)
			buf_printf(&b, " (%zu/%zu)", span->count[SLA_MET],
			    span->judged);
		if (span->worst_late > 0) {
			buf_puts(&b, ", worst ");
			late_text(&b, span->worst_late);
		}
		wattron(w, A_DIM);
		ui_put_cut(w, buf_str(&b), avail - (int)SLA_TRAILING_WEEKS,
		    c->ascii);
		wattroff(w, A_DIM);
	}
	buf_free(&b);
}

/* The weeks of a strip added up. */
static void
span_of(const struct sla_summary *weeks, size_t n, struct sla_summary *all)
{
	size_t k;

	memset(all, 0, sizeof *all);
	all->compliance = -1;
	for (k = 0; k < n; k++)
		sla_summary_add(all, &weeks[k]);
}

/*
 * The selected SLA's figures for the shown week (as its strip judges it),
 * on line y: "feed 2026-W45: 43% (3/7), 1 failed, 3 missing".
 */
static void
detail(struct console *c, WINDOW *w, int y, int wd, size_t i,
    const struct sla_summary *s, bool unknown, int64_t week_first)
{
	struct buf	b = BUF_INIT;

	buf_puts(&b, c->sla.defs[i]->name);
	buf_putc(&b, ' ');
	sla_week_name(week_first, c->sla.week_start, &b);
	if (unknown)
		buf_puts(&b, ": unknown DAG, nothing judged (see config check)");
	else if (s->judged == 0)
		buf_puts(&b, ": nothing judged");
	else {
		buf_puts(&b, ": ");
		sla_compliance_pct(&b, s);
		buf_printf(&b, " (%zu/%zu)", s->count[SLA_MET], s->judged);
		if (s->count[SLA_LATE] > 0)
			buf_printf(&b, ", %zu late", s->count[SLA_LATE]);
		if (s->count[SLA_FAILED] > 0)
			buf_printf(&b, ", %zu failed", s->count[SLA_FAILED]);
		if (s->count[SLA_MISSING] > 0)
			buf_printf(&b, ", %zu missing", s->count[SLA_MISSING]);
		if (s->worst_late > 0) {
			buf_puts(&b, ", worst ");
			late_text(&b, s->worst_late);
		}
	}
	wmove(w, y, 2);
	ui_put_cut(w, buf_str(&b), wd - 4, c->ascii);
	buf_free(&b);
}

static void
slaweek_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct slaweek_pane	*p = priv;
	struct buf		 b = BUF_INIT;
	int			 h, wd, y, x, namew, k, cw, rows, leg, per;
	int64_t			 now = (int64_t)time(NULL), first, home_first;
	size_t			 i, n, shown;
	struct sla_eval		 ev;
	struct sla_summary	 weeks[SLA_TRAILING_WEEKS], span;
	const struct sla_history *hist = &c->snap.sla;

	getmaxyx(w, h, wd);
	werase(w);
	home_first = sla_week_first(sla_local_day(c->zone, now),
	    c->sla.week_start);
	first = home_first - 7 * (int64_t)p->week_back;
	buf_puts(&b, "SLA week ");
	sla_week_name(first, c->sla.week_start, &b);
	buf_puts(&b, " (");
	sla_date_format(first, &b);
	buf_puts(&b, "..");
	sla_date_format(first + 6, &b);
	buf_putc(&b, ')');
	ui_frame(w, buf_str(&b), focused, c->ascii);
	buf_reset(&b);
	if (c->sla.n == 0 || !c->snap.valid) {
		mvwaddstr(w, 1, 2, c->sla.n == 0 ? "No SLA is defined (see "
		    "dagtop.conf(5))." : "reading the Airflow database...");
		buf_free(&b);
		return;
	}
	/* Days get what the names leave, within CELL_MIN..CELL_MAX. */
	cw = (wd - 3 - TAIL - 10) / 7;
	cw = cw > CELL_MAX ? CELL_MAX : cw < CELL_MIN ? CELL_MIN : cw;
	namew = wd - 3 - 7 * cw - TAIL;
	if (namew > 28)
		namew = 28;
	if (namew < 4)
		namew = 4;
	wattron(w, A_DIM);
	mvwprintw(w, 1, 2, "%-*.*s", namew, namew, "SLA");
	for (k = 0; k < 7; k++) {
		buf_reset(&b);
		sla_day_label(first + k, cw - 1, &b);
		mvwaddnstr(w, 1, 2 + namew + 1 + k * cw, buf_str(&b), cw - 1);
	}
	x = 2 + namew + 1 + 7 * cw;
	if (x < wd - 1)
		mvwaddnstr(w, 1, x, "WEEK  26W   WORST", wd - 1 - x);
	wattroff(w, A_DIM);
	/* The legend and the detail line under the rows, room allowing. */
	leg = legend(c, w, h - 2, wd, true);
	rows = h - 4 - leg;
	if (rows < 2)
		rows = h - 3, leg = 0;
	else
		legend(c, w, h - 2, wd, false);
	/* Two lines an SLA: its week, then its strip; one if that is all. */
	per = rows >= 2 ? 2 : 1;
	pane_list_scroll(&p->sel, &p->top, c->sla.n, rows / per);
	shown = SLA_TRAILING_WEEKS - 1 - (size_t)p->week_back;
	for (y = 2, i = p->top; y + per - 1 < 2 + rows && i < c->sla.n;
	    y += per, i++) {
		bool unknown = sla_history_unknown_dag(hist, i);

		n = i < hist->nsla ? hist->count[i] : 0;
		sla_evaluate(&ev, c->sla.defs[i], c->sla.zones[i], first,
		    first + 6, n > 0 ? &hist->v[hist->first[i]] : NULL, n, now);
		if (unknown)
			sla_eval_unknown_dag(&ev);
		/* The strip: the weeks ending with this one, from the same read. */
		sla_weeks(c->sla.defs[i], c->sla.zones[i], home_first,
		    SLA_TRAILING_WEEKS, n > 0 ? &hist->v[hist->first[i]] : NULL,
		    n, now, weeks);
		if (i == p->sel) {
			wattron(w, A_REVERSE);
			mvwhline(w, y, 1, ' ', wd - 2);
		}
		wmove(w, y, 2);
		ui_put_cut(w, c->sla.defs[i]->name, namew, c->ascii);
		x = 2 + namew + 1;
		for (k = 0; k < 7 && (size_t)k < ev.ndays; k++) {
			wmove(w, y, x + k * cw);
			cell(c, w, &ev.days[k], cw);
		}
		x += 7 * cw;
		buf_reset(&b);
		sla_compliance_pct(&b, &ev.period);
		mvwaddnstr(w, y, x, buf_str(&b), 5);
		buf_reset(&b);
		sla_compliance_pct(&b, &ev.trailing);
		mvwaddnstr(w, y, x + 6, buf_str(&b), 5);
		buf_reset(&b);
		if (ev.period.worst_late > 0)
			fmt_duration(&b, (double)ev.period.worst_late);
		else
			buf_puts(&b, "-");
		if (wd - 2 - x - 12 > 0)
			mvwaddnstr(w, y, x + 12, buf_str(&b), wd - 2 - x - 12);
		if (per == 2) {
			if (i == p->sel)
				mvwhline(w, y + 1, 1, ' ', wd - 2);
			wattron(w, A_DIM);
			buf_reset(&b);
			strip_range(c, home_first, &b);
			mvwaddnstr(w, y + 1, 4, buf_str(&b), namew - 2);
			wattroff(w, A_DIM);
			span_of(weeks, SLA_TRAILING_WEEKS, &span);
			strip(c, w, y + 1, 2 + namew + 1, wd - 2 - (2 + namew + 1),
			    weeks, &span, shown, unknown, i == p->sel);
		}
		if (i == p->sel)
			wattroff(w, A_REVERSE);
		if (i == p->sel && leg > 0)
			detail(c, w, h - 2 - leg, wd, i, &weeks[shown], unknown,
			    first);
		sla_eval_free(&ev);
	}
	buf_free(&b);
}

static enum pane_result
slaweek_key(struct console *c, void *priv, enum action a)
{
	struct slaweek_pane	*p = priv;

	switch (a) {
	case ACTION_DOWN:
	case ACTION_UP:
		pane_list_move(&p->sel, c->sla.n, a, 0);
		return PANE_HANDLED;
	case ACTION_LEFT:
		/* The console reads the trailing weeks; no further back. */
		if (p->week_back < SLA_TRAILING_WEEKS - 1)
			p->week_back++;
		return PANE_HANDLED;
	case ACTION_RIGHT:
		if (p->week_back > 0)
			p->week_back--;
		return PANE_HANDLED;
	default:
		return PANE_IGNORED;
	}
}

const struct pane_ops pane_slaweek_ops = {
	.priv_size = sizeof(struct slaweek_pane),
	.draw = slaweek_draw,
	.key = slaweek_key,
};
