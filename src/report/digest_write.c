/*
 * digest_write.c: the weekly digest (digest.h) laid out as the page every
 * format shares (digest_doc.h): the header, then the SLA
 * week, the failures, the Four Keys, BigQuery slots and the environments,
 * each with where its numbers come from and how old they are, or the
 * error that kept it from being read, or why it has nothing.
 *
 * The writers render that page: text and Markdown in digest_text.c,
 * HTML in digest_html.c.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "airflow.h"
#include "digest_doc.h"
#include "digest_write.h"
#include "report.h"
#include "slots.h"
#include "timefmt.h"
#include "tz.h"
#include "zoneinfo.h"

/* Rows a table shows before "and N more". */
#define TOP_ROWS	10
#define RECOVERY_ROWS	15
#define RERUN_ROWS	20

/* --- building the page ------------------------------------------------------ */

static struct doc_block *
doc_add(struct doc *doc, enum doc_kind kind)
{
	struct doc_block *bl;

	doc->v = xreallocarray(doc->v, doc->n + 1, sizeof *doc->v);
	bl = &doc->v[doc->n++];
	memset(bl, 0, sizeof *bl);
	bl->kind = kind;
	return bl;
}

static void
cell_span(struct doc_cell *c, const char *s, bool outside)
{
	c->sp = xreallocarray(c->sp, c->nsp + 1, sizeof *c->sp);
	c->sp[c->nsp].s = outside ? dup_or_null(s) : xstrdup(s);
	c->sp[c->nsp].outside = outside;
	c->nsp++;
}

/* dagtop's own words. */
__attribute__((format(printf, 2, 3)))
static void
cell_text(struct doc_cell *c, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	cell_span(c, buf_str(&b), false);
	buf_free(&b);
}

/* Text from outside; NULL is written "-" by every writer. */
static void
cell_out(struct doc_cell *c, const char *s)
{
	cell_span(c, s, true);
}

static void
cell_buf(struct doc_cell *c, struct buf *b)
{
	cell_span(c, buf_str(b), false);
	buf_reset(b);
}

static struct doc_cell *
doc_para(struct doc *doc, enum doc_kind kind)
{
	return &doc_add(doc, kind)->text;
}

static struct doc_table *
doc_table(struct doc *doc, size_t ncols, unsigned right, unsigned shrink)
{
	struct doc_table *t = &doc_add(doc, DOC_TABLE)->t;

	t->ncols = ncols;
	t->head = xcalloc(ncols, sizeof *t->head);
	t->right = right;
	t->shrink = shrink;
	return t;
}

/* A new row's cells (valid until the next row is added). */
static struct doc_cell *
table_row(struct doc_table *t)
{
	struct doc_cell *row;

	t->rows = xreallocarray(t->rows, (t->nrows + 1) * t->ncols,
	    sizeof *t->rows);
	row = &t->rows[t->nrows++ * t->ncols];
	memset(row, 0, t->ncols * sizeof *row);
	return row;
}

static void
table_head(struct doc_table *t, const char *const *names)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		cell_text(&t->head[i], "%s", names[i]);
}

static void
cell_free(struct doc_cell *c)
{
	size_t i;

	for (i = 0; i < c->nsp; i++)
		free(c->sp[i].s);
	free(c->sp);
	free(c->strip);
}

void
doc_free(struct doc *doc)
{
	size_t i, k;

	for (i = 0; i < doc->n; i++) {
		struct doc_block *bl = &doc->v[i];

		cell_free(&bl->text);
		if (bl->kind != DOC_TABLE)
			continue;
		for (k = 0; k < bl->t.ncols; k++)
			cell_free(&bl->t.head[k]);
		for (k = 0; k < bl->t.nrows * bl->t.ncols; k++)
			cell_free(&bl->t.rows[k]);
		free(bl->t.head);
		free(bl->t.rows);
	}
	free(doc->v);
}

/* --- the digest's figures, worded ------------------------------------------ */

struct ctx {
	const struct digest	*d;
	struct tz		*zone;		/* the context's, or UTC */
	bool			 zone_fallback;	/* d->zone could not be loaded */
	struct buf		 b;		/* scratch */
};

static void
put_time(struct ctx *x, int64_t t)
{
	fmt_time(&x->b, x->zone, t, FMT_SHORT);
}

static void
put_dur(struct ctx *x, int64_t secs)
{
	fmt_duration(&x->b, secs < 0 ? -1.0 : (double)secs);
}

static void
put_pct(struct buf *b, const struct sla_summary *s)
{
	if (s->compliance < 0)
		buf_puts(b, "-");
	else
		buf_printf(b, "%.1f%% (%zu/%zu)", s->compliance * 100,
		    s->count[SLA_MET], s->judged);
}

/*
 * A day of the grid as `report sla` words it, but lateness short, so
 * that seven days fit 80 columns whole: "+25m00s" (done that late),
 * ">25m00s" (not done, that late so far); the grid's legend says so.
 */
static enum doc_tone
put_outcome(struct buf *b, const struct sla_day *day)
{
	switch (day->outcome) {
	case SLA_LATE:
		buf_putc(b, day->finished_at == TIME_NONE ? '>' : '+');
		fmt_duration(b, (double)day->late_by);
		return TONE_BAD;
	case SLA_MET:
		buf_puts(b, sla_outcome_label(day->outcome));
		return TONE_GOOD;
	case SLA_FAILED:
	case SLA_MISSING:
		buf_puts(b, sla_outcome_label(day->outcome));
		return TONE_BAD;
	case SLA_PENDING:
	case SLA_AT_RISK:
	case SLA_UNKNOWN_DAG:
		buf_puts(b, sla_outcome_label(day->outcome));
		return TONE_WARN;
	default:
		buf_puts(b, sla_outcome_label(day->outcome));
		return TONE_MUTED;
	}
}

/*
 * The section's origin: a line saying where its numbers come from and how
 * old they are; then, when it could not be read, the error; when it is
 * skipped, why.  Returns whether the section's figures follow.  name
 * (outside text: a service's), when not NULL, begins each of these lines.
 */
static bool
put_origin_of(struct doc *doc, struct ctx *x, const struct digest_origin *o,
    const char *name, const char *what)
{
	struct doc_cell *c;

	/* A section never read has no source to name: only why. */
	if (o->source == NULL && o->read_at == TIME_NONE &&
	    (o->error != NULL || o->skipped != NULL))
		goto why;
	c = doc_para(doc, DOC_ORIGIN);
	if (name != NULL)
		cell_out(c, name);
	cell_text(c, "%s", what);
	cell_out(c, o->source != NULL ? o->source : "unknown");
	if (o->read_at != TIME_NONE) {
		buf_puts(&x->b, "; read ");
		put_time(x, o->read_at);
		cell_buf(c, &x->b);
	}
	if (o->newest != TIME_NONE) {
		buf_puts(&x->b, "; newest datum ");
		put_time(x, o->newest);
		if (o->read_at != TIME_NONE && o->read_at >= o->newest) {
			buf_puts(&x->b, " (");
			put_dur(x, o->read_at - o->newest);
			buf_puts(&x->b, " before the read)");
		}
		cell_buf(c, &x->b);
	}
	cell_text(c, ".");
why:
	if (o->error != NULL) {
		c = doc_para(doc, DOC_ERROR);
		if (name != NULL) {
			cell_out(c, name);
			cell_text(c, " could not be read: ");
		} else
			cell_text(c, "Could not be read: ");
		cell_out(c, o->error);
		return false;
	}
	if (o->skipped != NULL) {
		c = doc_para(doc, DOC_PARA);
		if (name != NULL) {
			cell_out(c, name);
			cell_text(c, ": nothing to show: ");
		} else
			cell_text(c, "Nothing to show: ");
		cell_out(c, o->skipped);
		return false;
	}
	if (o->read_at == TIME_NONE) {
		c = doc_para(doc, DOC_PARA);
		if (name != NULL) {
			cell_out(c, name);
			cell_text(c, ": not read.");
		} else
			cell_text(c, "Not read.");
		return false;
	}
	return true;
}

/* A section's origin (put_origin_of without a name). */
static bool
put_origin(struct doc *doc, struct ctx *x, const struct digest_origin *o,
    const char *what)
{
	return put_origin_of(doc, x, o, NULL, what);
}

static void
more_rows(struct doc *doc, size_t n, size_t shown, const char *what)
{
	if (n > shown)
		cell_text(doc_para(doc, DOC_PARA), "and %zu more %s.",
		    n - shown, what);
}

static void
put_header(struct doc *doc, struct ctx *x)
{
	const struct digest	*d = x->d;
	struct doc_cell		*c;
	int			 rc = digest_rc(d);

	/* The verdict first, as every text report's first line. */
	c = doc_para(doc, DOC_TITLE);
	cell_text(c, "%s: weekly digest of ", report_verdict_word(rc));
	cell_out(c, d->context);
	cell_text(c, ", ");
	cell_out(c, d->week);
	c = doc_para(doc, DOC_PARA);
	buf_puts(&x->b, "Week ");
	sla_date_format(d->first_day, &x->b);
	buf_puts(&x->b, " to ");
	sla_date_format(d->last_day, &x->b);
	buf_puts(&x->b, "; generated ");
	fmt_time(&x->b, x->zone, d->generated_at, FMT_LONG);
	buf_puts(&x->b, " (");
	cell_buf(c, &x->b);
	cell_out(c, x->zone_fallback || d->zone == NULL ? "UTC" : d->zone);
	if (x->zone_fallback) {
		cell_text(c, ": the zone ");
		cell_out(c, d->zone);
		cell_text(c, " could not be loaded");
	}
	cell_text(c, "; every time below in this zone).");
	c = doc_para(doc, DOC_PARA);
	doc->v[doc->n - 1].tone = rc == 0 ? TONE_GOOD : rc == 1 ? TONE_WARN :
	    TONE_BAD;
	cell_text(c, "Status: %s (%s).", report_verdict_word(rc),
	    rc == 0 ? "no SLA missed, no context in trouble" :
	    rc == 1 ? "an SLA was missed or a context is not OK" :
	    "a source could not be read; its section says which");
}

/* --- SLA ------------------------------------------------------------------ */

static const char *const blocks8[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};

/*
 * A trend strip cell: one Unicode block a week, its height the week's
 * compliance in eighths (never below the lowest block, so 0% still
 * shows), "·" for a week with nothing judged.
 */
static void
cell_strip(struct doc_cell *c, const struct sla_summary *w, size_t n)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	c->strip = xcalloc(n, sizeof *c->strip);
	c->nstrip = n;
	for (i = 0; i < n; i++) {
		double v = w[i].compliance;
		int level;

		c->strip[i] = v;
		if (v < 0) {
			buf_puts(&b, "\xc2\xb7");
			continue;
		}
		level = (int)(v * 8 + 0.5) - 1;
		buf_puts(&b, blocks8[level < 0 ? 0 : level > 7 ? 7 : level]);
	}
	cell_buf(c, &b);
	buf_free(&b);
}

static void
sla_target(struct doc_cell *c, const struct sla_def *def)
{
	cell_out(c, def->dag_id);
	if (def->task_id != NULL) {
		cell_text(c, ".");
		cell_out(c, def->task_id);
	}
}

static void
put_sla(struct doc *doc, struct ctx *x)
{
	static const char *const head2[] = {
		"SLA", "week", "26 weeks", "worst",
		"26 weeks, oldest first"
	};
	const struct digest	*d = x->d;
	struct doc_table	*t;
	struct doc_cell		*row, *c;
	size_t			 i, k;

	cell_text(doc_para(doc, DOC_HEADING), "SLA week");
	if (!put_origin(doc, x, &d->origin[DIGEST_SLA], "SLAs from "))
		return;
	if (d->nsla == 0) {
		cell_text(doc_para(doc, DOC_PARA), "No SLA applies here.");
		return;
	}
	t = doc_table(doc, 8, 0, 1);
	t->first_alone = true;
	cell_text(&t->head[0], "SLA");
	for (k = 0; k < 7; k++) {
		sla_day_label(d->first_day + (int64_t)k, 6, &x->b);
		cell_buf(&t->head[k + 1], &x->b);
	}
	for (i = 0; i < d->nsla; i++) {
		const struct sla_eval *ev = &d->sla[i].ev;
		const struct sla_def *def = ev->def;

		row = table_row(t);
		cell_out(&row[0], def != NULL ? def->name : NULL);
		if (def != NULL) {
			cell_text(&row[0], " (");
			sla_target(&row[0], def);
			cell_text(&row[0], " by ");
			sla_deadline_format(def->deadline, &x->b);
			cell_buf(&row[0], &x->b);
			cell_text(&row[0], " ");
			cell_out(&row[0], d->sla[i].zone != NULL ?
			    d->sla[i].zone : d->zone);
			cell_text(&row[0], " ");
			sla_days_format(def->days, &x->b);
			cell_buf(&row[0], &x->b);
			if (def->owner != NULL) {
				cell_text(&row[0], ", owner ");
				cell_out(&row[0], def->owner);
			}
			cell_text(&row[0], ")");
		}
		for (k = 0; k < 7; k++) {
			const struct sla_day *day = NULL;
			size_t j;

			for (j = 0; j < ev->ndays; j++)
				if (ev->days[j].day == d->first_day + (int64_t)k)
					day = &ev->days[j];
			if (day == NULL) {
				cell_text(&row[k + 1], "-");
				continue;
			}
			row[k + 1].tone = put_outcome(&x->b, day);
			cell_buf(&row[k + 1], &x->b);
		}
	}

	t = doc_table(doc, 5, 0xe, 1);
	table_head(t, head2);
	for (i = 0; i < d->nsla; i++) {
		const struct digest_sla *s = &d->sla[i];
		const struct sla_summary *p = &s->ev.period;

		row = table_row(t);
		cell_out(&row[0], s->ev.def != NULL ? s->ev.def->name : NULL);
		put_pct(&x->b, p);
		cell_buf(&row[1], &x->b);
		row[1].tone = p->compliance < 0 ? TONE_MUTED :
		    p->count[SLA_MET] == p->judged ? TONE_GOOD : TONE_BAD;
		put_pct(&x->b, &s->ev.trailing);
		cell_buf(&row[2], &x->b);
		if (p->worst_late > 0)
			put_dur(x, p->worst_late);
		else
			buf_puts(&x->b, "-");
		cell_buf(&row[3], &x->b);
		cell_strip(&row[4], s->weeks, SLA_TRAILING_WEEKS);
	}
	c = doc_para(doc, DOC_ORIGIN);
	cell_text(c, "Days: +25m00s done that late, >25m00s not done and "
	    "that late so far.  Trend: a block a week, its height the week's "
	    "compliance (full: 100%%); \xc2\xb7 nothing judged.");
	for (i = 0; i < d->nsla; i++) {
		if (!d->sla[i].ev.unknown_dag || d->sla[i].ev.def == NULL)
			continue;
		c = doc_para(doc, DOC_ERROR);
		cell_out(c, d->sla[i].ev.def->name);
		cell_text(c, ": the Airflow database has no DAG ");
		cell_out(c, d->sla[i].ev.def->dag_id);
		cell_text(c, "; no day is judged.");
	}
}

/* --- failures --------------------------------------------------------------- */

static void
put_reruns(struct doc *doc, struct ctx *x)
{
	static const char *const head[] = {
		"when", "who", "context", "DAG", "run", "tasks", "result"
	};
	const struct digest_failures *f = &x->d->failures;
	struct doc_table	*t;
	struct doc_cell		*row;
	size_t			 i;

	cell_text(doc_para(doc, DOC_SUB), "Reruns done from dagtop");
	if (!put_origin(doc, x, &f->reruns_origin, "Reruns from "))
		return;
	if (f->nreruns == 0) {
		cell_text(doc_para(doc, DOC_PARA), "No rerun this week.");
		return;
	}
	t = doc_table(doc, 7, 1u << 5, 0x5e);
	table_head(t, head);
	for (i = 0; i < f->nreruns && i < RERUN_ROWS; i++) {
		const struct digest_rerun *r = &f->reruns[i];

		row = table_row(t);
		put_time(x, r->time);
		cell_buf(&row[0], &x->b);
		cell_out(&row[1], r->user);
		cell_out(&row[2], r->context);
		cell_out(&row[3], r->dag_id);
		cell_out(&row[4], r->run_id);
		if (r->tasks > 0)
			cell_text(&row[5], "%zu", r->tasks);
		else
			cell_text(&row[5], "-");
		cell_out(&row[6], r->result);
		row[6].tone = r->result != NULL &&
		    strcmp(r->result, "cleared") == 0 ? TONE_GOOD : TONE_BAD;
	}
	more_rows(doc, f->nreruns, i, "reruns");
}

static void
put_failures(struct doc *doc, struct ctx *x)
{
	static const char *const hdag[] = {
		"DAG", "owner", "failed runs", "runs", "failed tasks"
	};
	static const char *const htask[] = {
		"DAG", "task", "failures", "runs"
	};
	static const char *const hrec[] = {
		"DAG", "run", "failed", "recovered", "after"
	};
	const struct digest_failures *f = &x->d->failures;
	struct doc_table	*t;
	struct doc_cell		*row, *c;
	size_t			 i;

	cell_text(doc_para(doc, DOC_HEADING), "Failures");
	if (!put_origin(doc, x, &x->d->origin[DIGEST_FAILURES], "Runs from ")) {
		put_reruns(doc, x);
		return;
	}
	c = doc_para(doc, DOC_PARA);
	cell_text(c, "%zu run%s ended in the week; %zu failed", f->runs,
	    f->runs == 1 ? "" : "s", f->failed_runs);
	if (f->runs > 0)
		cell_text(c, " (%.1f%%)", 100.0 * (double)f->failed_runs /
		    (double)f->runs);
	cell_text(c, ".");

	cell_text(doc_para(doc, DOC_SUB), "Top failing DAGs");
	if (f->ndags == 0)
		cell_text(doc_para(doc, DOC_PARA), "None.");
	else {
		t = doc_table(doc, 5, 0x1c, 0x3);
		table_head(t, hdag);
		for (i = 0; i < f->ndags && i < TOP_ROWS; i++) {
			const struct digest_dag *g = &f->dags[i];

			row = table_row(t);
			cell_out(&row[0], g->dag_id);
			cell_out(&row[1], g->owner);
			cell_text(&row[2], "%zu", g->failed_runs);
			row[2].tone = g->failed_runs > 0 ? TONE_BAD : TONE_NONE;
			cell_text(&row[3], "%zu", g->runs);
			cell_text(&row[4], "%zu", g->failed_tasks);
		}
		more_rows(doc, f->ndags, i, "DAGs");
	}

	cell_text(doc_para(doc, DOC_SUB), "Top failing tasks");
	if (f->ntasks == 0)
		cell_text(doc_para(doc, DOC_PARA), "None.");
	else {
		t = doc_table(doc, 4, 0xc, 0x3);
		table_head(t, htask);
		for (i = 0; i < f->ntasks && i < TOP_ROWS; i++) {
			const struct digest_task *k = &f->tasks[i];

			row = table_row(t);
			cell_out(&row[0], k->dag_id);
			cell_out(&row[1], k->task_id);
			cell_text(&row[2], "%zu", k->failures);
			cell_text(&row[3], "%zu", k->runs);
		}
		more_rows(doc, f->ntasks, i, "tasks");
	}

	cell_text(doc_para(doc, DOC_SUB), "From failure to success");
	c = doc_para(doc, DOC_PARA);
	if (f->nrecoveries == 0)
		cell_text(c, "No failed run.");
	else {
		buf_printf(&x->b, "%zu failed run%s: median ", f->nrecoveries,
		    f->nrecoveries == 1 ? "" : "s");
		put_dur(x, f->recovery_median);
		buf_puts(&x->b, ", worst ");
		put_dur(x, f->recovery_max);
		buf_printf(&x->b, "; %zu not recovered yet.", f->unrecovered);
		cell_buf(c, &x->b);
		if (f->unrecovered > 0)
			doc->v[doc->n - 1].tone = TONE_BAD;
		t = doc_table(doc, 5, 0x10, 0x3);
		table_head(t, hrec);
		for (i = 0; i < f->nrecoveries && i < RECOVERY_ROWS; i++) {
			const struct digest_recovery *r = &f->recoveries[i];

			row = table_row(t);
			cell_out(&row[0], r->dag_id);
			cell_out(&row[1], r->run_id);
			put_time(x, r->failed_at);
			cell_buf(&row[2], &x->b);
			if (r->recovered_at == TIME_NONE) {
				cell_text(&row[3], "not yet");
				cell_text(&row[4], "-");
				row[3].tone = TONE_BAD;
				continue;
			}
			put_time(x, r->recovered_at);
			cell_buf(&row[3], &x->b);
			put_dur(x, r->recovered_at - r->failed_at);
			cell_buf(&row[4], &x->b);
		}
		more_rows(doc, f->nrecoveries, i, "failed runs");
	}
	put_reruns(doc, x);
}

/* --- Four Keys ---------------------------------------------------------------- */

static enum doc_tone
band_tone(enum fk_band b)
{
	return b >= FK_BAND_HIGH ? TONE_GOOD : b == FK_BAND_LOW ? TONE_BAD :
	    b == FK_BAND_NONE ? TONE_MUTED : TONE_NONE;
}

/* The Four Keys in the order of their rows (put_fk_window's arrays). */
enum fk_key {
	FK_KEY_FREQ,		/* deployment frequency */
	FK_KEY_LEAD,		/* lead time for changes */
	FK_KEY_CFR,		/* change failure rate */
	FK_KEY_RESTORE,		/* time to restore */
	FK_NKEYS
};

static void
put_metric_value(struct buf *b, enum fk_key key, const struct fk_metrics *m)
{
	switch (key) {
	case FK_KEY_FREQ:
		buf_printf(b, "%d (%.1f/week)", m->deployments, m->per_week);
		break;
	case FK_KEY_LEAD:
		fmt_duration(b, m->lead_median < 0 ? -1.0 :
		    (double)m->lead_median);
		break;
	case FK_KEY_CFR:
		if (m->cfr < 0)
			buf_puts(b, "-");
		else
			buf_printf(b, "%.0f%% (%d/%d)", m->cfr * 100, m->failed,
			    m->deployments);
		break;
	case FK_KEY_RESTORE:
	default:
		fmt_duration(b, m->restore_median < 0 ? -1.0 :
		    (double)m->restore_median);
		break;
	}
}

/* Whether key has a figure on both sides (else its trend is not "same"). */
static bool
fk_comparable(enum fk_key key, const struct fk_metrics *a,
    const struct fk_metrics *b)
{
	switch (key) {
	case FK_KEY_FREQ:
		return true;
	case FK_KEY_LEAD:
		return a->lead_median >= 0 && b->lead_median >= 0;
	case FK_KEY_CFR:
		return a->cfr >= 0 && b->cfr >= 0;
	case FK_KEY_RESTORE:
	default:
		return a->restore_median >= 0 && b->restore_median >= 0;
	}
}

/* One window's table: a row per key per service that could be read. */
static void
put_fk_window(struct doc *doc, struct ctx *x, bool month)
{
	static const char *const head[] = {
		"service", "key", "now", "before", "trend", "DORA band"
	};
	static const char *const keys[FK_NKEYS] = {
		"deployments", "lead time", "change failure rate",
		"time to restore"
	};
	const struct digest	*d = x->d;
	struct doc_table	*t;
	struct doc_cell		*row;
	size_t			 i;
	enum fk_key		 k;

	cell_text(doc_para(doc, DOC_SUB), "Last %d days against the %d before",
	    month ? 30 : 7, month ? 30 : 7);
	t = doc_table(doc, 6, 0xc, 0x1);
	table_head(t, head);
	for (i = 0; i < d->nservices; i++) {
		const struct digest_service *s = &d->services[i];
		const struct fk_result *r = month ? &s->month : &s->week;
		const enum fk_band bands[FK_NKEYS] = {
			r->band_freq, r->band_lead, r->band_cfr, r->band_restore
		};
		const int trends[FK_NKEYS] = {
			fk_trend_freq(&r->cur, &r->prev),
			fk_trend_lead(&r->cur, &r->prev),
			fk_trend_cfr(&r->cur, &r->prev),
			fk_trend_restore(&r->cur, &r->prev)
		};

		if (s->origin.error != NULL || s->origin.skipped != NULL)
			continue;
		for (k = FK_KEY_FREQ; k < FK_NKEYS; k++) {
			const char *cue = fk_trend_cue(trends[k],
			    k == FK_KEY_FREQ, false, true);

			row = table_row(t);
			if (k == FK_KEY_FREQ)
				cell_out(&row[0], s->name);
			cell_text(&row[1], "%s", keys[k]);
			put_metric_value(&x->b, k, &r->cur);
			cell_buf(&row[2], &x->b);
			put_metric_value(&x->b, k, &r->prev);
			cell_buf(&row[3], &x->b);
			cell_text(&row[4], "%s", *cue != '\0' ? cue :
			    fk_comparable(k, &r->cur, &r->prev) ? "same" : "-");
			row[4].tone = trends[k] > 0 ? TONE_GOOD :
			    trends[k] < 0 ? TONE_BAD : TONE_NONE;
			cell_text(&row[5], "%s", fk_band_name(bands[k]));
			row[5].tone = band_tone(bands[k]);
		}
	}
}

static void
put_fourkeys(struct doc *doc, struct ctx *x)
{
	const struct digest	*d = x->d;
	size_t			 i, good = 0;

	cell_text(doc_para(doc, DOC_HEADING), "Four Keys");
	if (!put_origin(doc, x, &d->origin[DIGEST_FOURKEYS], "Four Keys from "))
		return;
	if (d->nservices == 0) {
		cell_text(doc_para(doc, DOC_PARA), "No service is measured.");
		return;
	}
	for (i = 0; i < d->nservices; i++)
		if (put_origin_of(doc, x, &d->services[i].origin,
		    d->services[i].name, ": "))
			good++;
	if (good == 0)
		return;
	put_fk_window(doc, x, false);
	put_fk_window(doc, x, true);
}

/* --- slots ---------------------------------------------------------------- */

static void
put_slots(struct doc *doc, struct ctx *x)
{
	static const char *const hres[] = {
		"reservation", "peak", "at", "average", "capacity",
		"minutes above"
	};
	static const char *const htop[] = {
		"consumer", "DAG", "task", "slot-hours", "share", "jobs",
		"billed"
	};
	const struct digest_slots *s = &x->d->slots;
	struct doc_table	*t;
	struct doc_cell		*row, *c;
	size_t			 i;

	cell_text(doc_para(doc, DOC_HEADING), "BigQuery slots");
	if (!put_origin(doc, x, &x->d->origin[DIGEST_SLOTS], "Slots from "))
		return;
	c = doc_para(doc, DOC_PARA);
	if (s->peak_at == TIME_NONE)
		cell_text(c, "No slot usage in the week.");
	else {
		buf_printf(&x->b, "Peak %.1f slots at ", s->peak);
		put_time(x, s->peak_at);
		buf_printf(&x->b, "; %.1f slots on average over the week.",
		    s->average);
		cell_buf(c, &x->b);
	}
	if (s->nresv > 0) {
		t = doc_table(doc, 6, 0x3a, 0x1);
		table_head(t, hres);
		for (i = 0; i < s->nresv; i++) {
			const struct digest_reservation *r = &s->resv[i];

			row = table_row(t);
			if (r->id == NULL)
				cell_text(&row[0], "on-demand");
			else
				cell_out(&row[0], r->id);
			cell_text(&row[1], "%.1f", r->peak);
			put_time(x, r->peak_at);
			cell_buf(&row[2], &x->b);
			cell_text(&row[3], "%.1f", r->average);
			if (r->capacity < 0)
				cell_text(&row[4], "-");
			else
				cell_text(&row[4], "%.0f", r->capacity);
			cell_text(&row[5], "%d", r->minutes_above);
			row[5].tone = r->minutes_above > 0 ? TONE_BAD :
			    TONE_NONE;
		}
	}
	cell_text(doc_para(doc, DOC_SUB), "Top consumers");
	if (s->ntop == 0) {
		cell_text(doc_para(doc, DOC_PARA), "None.");
		return;
	}
	t = doc_table(doc, 7, 0x78, 0x7);
	table_head(t, htop);
	for (i = 0; i < s->ntop && i < TOP_ROWS; i++) {
		const struct digest_consumer *k = &s->top[i];

		row = table_row(t);
		cell_out(&row[0], k->key);
		cell_out(&row[1], k->dag_id);
		cell_out(&row[2], k->task_id);
		cell_text(&row[3], "%.1f", k->slot_ms / 3600000.0);
		cell_text(&row[4], "%.1f%%", k->share * 100);
		cell_text(&row[5], "%lld", (long long)k->jobs);
		fmt_bytes(&x->b, k->bytes_billed);
		cell_buf(&row[6], &x->b);
	}
	more_rows(doc, s->ntop, i, "consumers");
}

/* --- environments ------------------------------------------------------------ */

static void
put_envs(struct doc *doc, struct ctx *x)
{
	static const char *const head[] = {
		"context", "verdict", "DAGs", "import err", "failed",
		"running", "queued", "summary"
	};
	const struct digest	*d = x->d;
	struct doc_table	*t;
	struct doc_cell		*row;
	size_t			 i;

	cell_text(doc_para(doc, DOC_HEADING), "Environments");
	if (!put_origin(doc, x, &d->origin[DIGEST_ENVIRONMENTS],
	    "Health from "))
		return;
	if (d->nenvs == 0) {
		cell_text(doc_para(doc, DOC_PARA), "No context.");
		return;
	}
	t = doc_table(doc, 8, 0x7c, 0x81);
	table_head(t, head);
	for (i = 0; i < d->nenvs; i++) {
		const struct digest_env *e = &d->envs[i];

		row = table_row(t);
		cell_out(&row[0], e->context);
		cell_text(&row[1], "%s", verdict_name(e->error != NULL ?
		    VERDICT_UNKNOWN : e->verdict));
		row[1].tone = e->error != NULL ? TONE_BAD :
		    e->verdict == VERDICT_OK ? TONE_GOOD :
		    e->verdict == VERDICT_WARNING ? TONE_WARN : TONE_BAD;
		if (e->error != NULL) {
			size_t k;

			for (k = 2; k < 7; k++)
				cell_text(&row[k], "-");
			cell_text(&row[7], "see below");
			continue;
		}
		cell_text(&row[2], "%zu/%zu", e->active, e->paused);
		cell_text(&row[3], "%zu", e->import_errors);
		row[3].tone = e->import_errors > 0 ? TONE_BAD : TONE_NONE;
		cell_text(&row[4], "%zu", e->failed);
		row[4].tone = e->failed > 0 ? TONE_BAD : TONE_NONE;
		cell_text(&row[5], "%zu", e->running);
		cell_text(&row[6], "%zu", e->queued);
		cell_out(&row[7], e->summary);
		if (e->version != NULL) {
			cell_text(&row[7], " (Airflow ");
			cell_out(&row[7], e->version);
			cell_text(&row[7], ")");
		}
	}
	cell_text(doc_para(doc, DOC_ORIGIN), "DAGs: active/paused; failed, "
	    "running, queued: runs since the week began.");
	/* Each error whole: a table cell would cut it. */
	for (i = 0; i < d->nenvs; i++) {
		struct doc_cell *c;

		if (d->envs[i].error == NULL)
			continue;
		c = doc_para(doc, DOC_ERROR);
		cell_out(c, d->envs[i].context);
		cell_text(c, ": could not be read: ");
		cell_out(c, d->envs[i].error);
	}
}

/*
 * The whole page.  The context's zone is loaded here (a report may read
 * zone files); when it cannot be, times are UTC and the header says so.
 */
void
doc_build(struct doc *doc, const struct digest *d)
{
	struct ctx	x;
	struct buf	err = BUF_INIT;

	memset(&x, 0, sizeof x);
	x.d = d;
	if (d->zone == NULL || (x.zone = zoneinfo_load(d->zone, &err)) == NULL) {
		x.zone = tz_utc();
		x.zone_fallback = d->zone != NULL;
	}
	buf_free(&err);
	put_header(doc, &x);
	put_sla(doc, &x);
	put_failures(doc, &x);
	put_fourkeys(doc, &x);
	put_slots(doc, &x);
	put_envs(doc, &x);
	tz_free(x.zone);
	buf_free(&x.b);
}

/* --- the writers ---------------------------------------------------------- */

void
digest_write_text(struct buf *b, const struct digest *d)
{
	struct doc doc = { NULL, 0 };

	doc_build(&doc, d);
	doc_write_text(b, &doc);
	doc_free(&doc);
}

void
digest_write_markdown(struct buf *b, const struct digest *d)
{
	struct doc doc = { NULL, 0 };

	doc_build(&doc, d);
	doc_write_markdown(b, &doc);
	doc_free(&doc);
}

void
digest_write_html(struct buf *b, const struct digest *d)
{
	struct doc	 doc = { NULL, 0 };
	struct buf	 title = BUF_INIT;

	doc_build(&doc, d);
	if (doc.n > 0) {
		size_t i;

		/* The title's words, as plain text: escaped by the writer. */
		for (i = 0; i < doc.v[0].text.nsp; i++)
			if (doc.v[0].text.sp[i].s != NULL)
				buf_puts(&title, doc.v[0].text.sp[i].s);
	}
	doc_write_html(b, &doc, buf_str(&title));
	buf_free(&title);
	doc_free(&doc);
}

void
digest_write_html_unknown(struct buf *b, const char *what, const char *why)
{
	struct doc	 doc = { NULL, 0 };
	struct buf	 title = BUF_INIT;
	struct doc_cell	*c;

	buf_printf(&title, "UNKNOWN: %s", what);
	c = doc_para(&doc, DOC_TITLE);
	cell_text(c, "UNKNOWN: %s", what);
	c = doc_para(&doc, DOC_ERROR);
	cell_out(c, why);
	cell_text(doc_para(&doc, DOC_PARA), "dagtop could not make the "
	    "report; the exit status is 3.");
	doc_write_html(b, &doc, buf_str(&title));
	buf_free(&title);
	doc_free(&doc);
}
