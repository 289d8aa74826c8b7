/*
 * report_slots.c: `dagtop report slots`: BigQuery slot usage against the
 * reservation's capacity over the last hours, the top consumers (users,
 * Airflow DAGs and tasks by their labels, jobs), what the INFORMATION_SCHEMA
 * queries billed, and the Airflow pools when a database is configured.
 * Exit 0 when usage stayed within capacity, 1 when it went above it, 3 when
 * it cannot tell.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "airflow_db.h"
#include "config.h"
#include "dbconn.h"
#include "loop.h"
#include "openmetrics.h"
#include "options.h"
#include "report.h"
#include "sched_open.h"
#include "sanitize.h"
#include "slots.h"
#include "slots_src.h"
#include "timefmt.h"
#include "tz.h"

struct slots_job {
	const struct settings		*s;
	const struct report_options	*o;
	struct loop			*loop;
	struct slots_src		*src;
	struct sched			*db;
	struct af_pools			 pools;
	struct buf			 pool_error;
	int				 pending;
};

static void
one_done(struct slots_job *j)
{
	if (--j->pending == 0)
		loop_break(j->loop);
}

static void
slots_done(void *arg)
{
	one_done(arg);
}

static void
pools_done(void *arg, const char *err)
{
	struct slots_job *j = arg;

	if (err != NULL && j->pool_error.len == 0)
		buf_puts(&j->pool_error, err);
	one_done(j);
}

static void
db_opened(void *arg, const char *err)
{
	struct slots_job *j = arg;

	if (err != NULL) {
		pools_done(j, err);
		return;
	}
	sched_fetch_pools(j->db, &j->pools, pools_done, j);
}

static void
db_lost(void *arg, const char *err)
{
	struct slots_job *j = arg;

	/* Lost after the pools were read: nothing is waiting any more. */
	if (!j->pools.valid && j->pool_error.len == 0)
		pools_done(j, err);
}

/* --- text and Markdown ----------------------------------------------------- */

/* Shown in the report: the configured reservation, or those used. */
static bool
resv_shown(const struct slots *sl, const struct slot_resv *r)
{
	if (r->id == NULL)
		return r->used;
	return sl->only != NULL ? strcmp(r->id, sl->only) == 0 : r->used;
}

static int
slots_rc(const struct slots *sl)
{
	return sl->recent_above > 0 ? 1 : 0;
}

static void
summary_line(struct buf *b, const struct slots *sl, const struct tz *zone)
{
	struct buf body = BUF_INIT;

	buf_printf(&body, "slots peak %.0f at ", sl->peak);
	fmt_time(&body, zone, sl->peak_at, FMT_SHORT);
	buf_printf(&body, ", average %.1f", sl->average);
	if (sl->cap_kind == CAP_ON_DEMAND)
		buf_puts(&body, ", on-demand (no reservation)");
	else if (sl->cap_kind == CAP_UNKNOWN)
		buf_puts(&body, ", capacity unknown");
	else
		buf_printf(&body, ", %d minute%s above capacity in the last %d "
		    "(%d in the window)", sl->recent_above,
		    sl->recent_above == 1 ? "" : "s", sl->alert_minutes,
		    sl->minutes_above);
	report_verdict(b, slots_rc(sl), "%s", buf_str(&body));
	buf_free(&body);
}

static void
capacity_text(struct buf *b, const struct slots *sl)
{
	switch (sl->cap_kind) {
	case CAP_ON_DEMAND:
		buf_puts(b, "on-demand: no reservation in this region "
		    "(billed per byte; up to about 2,000 slots per project)");
		break;
	case CAP_UNKNOWN:
		buf_puts(b, "unknown");
		break;
	case CAP_FIXED:
		buf_printf(b, "%.0f slots now (configured)", sl->cap_now);
		break;
	default:
		buf_printf(b, "%.0f slots now (reservations, ceilings summed)",
		    sl->cap_now);
	}
}

/* A reservation's line: what it used against what it may use. */
static void
resv_text(struct buf *b, const struct slot_resv *r, const struct tz *zone,
    bool md)
{
	const struct slot_resv_minute *n = &r->now;

	if (md) {
		buf_puts(b, "| ");
		report_md_text(b, r->id != NULL ? r->id : "on-demand");
		buf_printf(b, " | %.1f | %.1f | ", n->slots, r->peak);
		fmt_time(b, zone, r->peak_at, FMT_SHORT);
		buf_printf(b, " | %.1f | ", r->average);
		if (r->id == NULL || n->limit < 0)
			buf_printf(b, "- | - | - | - | %s |\n",
			    r->id == NULL ? "-" : "unknown");
		else
			buf_printf(b, "%.0f | %.0f / %.0f | %.0f%s | %.0f | %d "
			    "(%d recent) |\n", n->baseline, n->autoscale,
			    n->autoscale_max, n->idle, n->ignore_idle ?
			    " (ignored)" : "", n->limit, r->minutes_above,
			    r->recent_above);
		return;
	}
	buf_puts(b, "  ");
	report_put_text(b, r->id != NULL ? r->id : "on-demand", false);
	if (r->edition != NULL) {
		buf_puts(b, " (");
		report_put_text(b, r->edition, false);
		buf_putc(b, ')');
	}
	buf_printf(b, "\n    now %.1f, peak %.1f at ", n->slots, r->peak);
	fmt_time(b, zone, r->peak_at, FMT_SHORT);
	buf_printf(b, ", average %.1f", r->average);
	if (r->id == NULL) {
		buf_puts(b, "; on-demand: no reservation, no ceiling\n");
		return;
	}
	if (n->limit < 0) {
		buf_puts(b, "; capacity unknown (not in the admin project's "
		    "RESERVATIONS_TIMELINE)\n");
		return;
	}
	buf_printf(b, "\n    baseline %.0f + autoscale max %.0f (now %.0f)",
	    n->baseline, n->autoscale_max, n->autoscale);
	if (n->ignore_idle)
		buf_puts(b, ", idle slots ignored");
	else
		buf_printf(b, " + idle %.0f", n->idle);
	buf_printf(b, " = ceiling %.0f; %d minute%s above (%d in the alert "
	    "window)", n->limit, r->minutes_above, r->minutes_above == 1 ? "" :
	    "s", r->recent_above);
	if (r->last_above >= 0) {
		buf_puts(b, ", last ");
		fmt_time(b, zone, r->last_above, FMT_SHORT);
	}
	buf_putc(b, '\n');
}

/* Per hour: the highest minute, the average and the capacity. */
static void
hourly(const struct slots *sl, size_t h, double *peak, double *avg,
    double *cap, int *above)
{
	size_t i, lo = h * 60, hi = lo + 60 < sl->n ? lo + 60 : sl->n;
	double sum = 0;

	*peak = 0;
	*cap = -1;
	*above = 0;
	for (i = lo; i < hi; i++) {
		if (sl->m[i].slots > *peak)
			*peak = sl->m[i].slots;
		sum += sl->m[i].slots;
		if (sl->m[i].capacity >= 0)
			*cap = sl->m[i].capacity;
		if (sl->m[i].above > 0 || (sl->cap_kind == CAP_FIXED &&
		    sl->m[i].capacity >= 0 &&
		    sl->m[i].slots > sl->m[i].capacity + 1e-9))
			(*above)++;
	}
	*avg = hi > lo ? sum / (double)(hi - lo) : 0;
}

static void
put_consumer_name(struct buf *b, const struct slot_consumer *c, bool md)
{
	report_put_text(b, c->key, md);
	if (c->kind == CONSUMER_JOB && c->dag != NULL) {
		buf_puts(b, " (");
		report_put_text(b, c->dag, md);
		if (c->task != NULL) {
			buf_putc(b, '.');
			report_put_text(b, c->task, md);
		}
		buf_putc(b, ')');
	}
}

/* The report's head: what was read, over which window, and the totals. */
static void
text_summary(const struct slots_job *j, const struct slots *sl,
    const struct tz *zone, bool md, struct buf *b)
{
	if (md)
		buf_puts(b, "# BigQuery slots\n\n**");
	summary_line(b, sl, zone);
	if (md) {
		b->len--;	/* the newline */
		buf_puts(b, "**\n\n");
	}
	buf_printf(b, "%s%-11s", md ? "- " : "", "context");
	report_put_text(b, j->s->context != NULL ? j->s->context : "(command line)",
	    md);
	buf_puts(b, ", ");
	report_put_text(b, slots_src_describe(j->src), md);
	buf_printf(b, "\n%s%-11s", md ? "- " : "", "window");
	fmt_time(b, zone, sl->start, FMT_LONG);
	buf_puts(b, " .. ");
	fmt_time(b, zone, sl->end, FMT_LONG);
	buf_puts(b, " (");
	fmt_duration(b, (double)(sl->end - sl->start));
	buf_printf(b, ")\n%s%-11s", md ? "- " : "", "capacity");
	capacity_text(b, sl);
	buf_printf(b, "\n%s%-11s", md ? "- " : "", "rule");
	buf_puts(b, slots_rule_text(sl));
	buf_printf(b, "; alert on the last %d minutes", sl->alert_minutes);
	buf_printf(b, "\n%s%-11speak %.1f at ", md ? "- " : "", "slots",
	    sl->peak);
	fmt_time(b, zone, sl->peak_at, FMT_SHORT);
	buf_printf(b, " (the busiest minute's average), average %.1f, %.1f "
	    "slot-hours; the current minute is left out\n", sl->average,
	    sl->slot_ms / 3.6e6);
	buf_printf(b, "%s%-11s%lld jobs, ", md ? "- " : "", "jobs",
	    (long long)sl->jobs);
	fmt_bytes(b, sl->bytes_processed);
	buf_puts(b, " processed, ");
	fmt_bytes(b, sl->bytes_billed);
	buf_printf(b, " billed; now %d running, %d pending; at most %d "
	    "pending", sl->running_now, sl->pending_now, sl->pending_max);
	if (sl->pending_max > 0) {
		buf_puts(b, " (");
		fmt_time(b, zone, sl->pending_max_at, FMT_SHORT);
		buf_putc(b, ')');
	}
	buf_printf(b, "\n%s%-11sthis report's queries billed ", md ? "- " : "",
	    "billed");
	fmt_bytes(b, sl->query_bytes_billed);
	buf_puts(b, " (INFORMATION_SCHEMA is never cached)\n");
	if (*slots_src_warning(j->src) != '\0') {
		buf_printf(b, "%s%-11s", md ? "- " : "", "note");
		report_put_text(b, slots_src_warning(j->src), md);
		buf_putc(b, '\n');
	}
}

/* Each hour's peak, average, capacity and minutes above it. */
static void
text_hours(const struct slots *sl, const struct tz *zone, bool md,
    struct buf *b)
{
	size_t h;

	buf_puts(b, md ? "\n## By hour\n\n| hour | peak | average | capacity "
	    "| minutes above |\n| --- | ---: | ---: | ---: | ---: |\n" :
	    "\nby hour      peak  average  capacity  above\n");
	for (h = 0; h * 60 < sl->n; h++) {
		double	peak, avg, cap;
		int	above;

		hourly(sl, h, &peak, &avg, &cap, &above);
		if (md)
			buf_puts(b, "| ");
		else
			buf_puts(b, "  ");
		fmt_time(b, zone, sl->m[h * 60].t, FMT_SHORT);
		if (md) {
			buf_printf(b, " | %.1f | %.1f | ", peak, avg);
			if (cap >= 0)
				buf_printf(b, "%.0f", cap);
			else
				buf_puts(b, "-");
			buf_printf(b, " | %d |\n", above);
		} else {
			buf_printf(b, "%7.1f  %7.1f  ", peak, avg);
			if (cap >= 0)
				buf_printf(b, "%8.0f", cap);
			else
				buf_printf(b, "%8s", "-");
			buf_printf(b, "  %5d%s\n", above, above > 0 ? "  !" : "");
		}
	}
}

/* One consumer's row of a top list. */
static void
text_consumer(const struct slot_consumer *c, bool md, struct buf *b)
{
	if (md) {
		buf_printf(b, "| %.2f | %.1f | %.0f%% | %lld | ",
		    c->slot_ms / 3.6e6, c->avg_slots, c->share * 100,
		    (long long)c->jobs);
		fmt_bytes(b, c->bytes_processed);
		buf_puts(b, " | ");
		put_consumer_name(b, c, true);
		buf_puts(b, " |\n");
	} else {
		struct buf by = BUF_INIT;

		fmt_bytes(&by, c->bytes_processed);
		buf_printf(b, "  %10.2f  %9.1f  %4.0f%%  %5lld  %9s  ",
		    c->slot_ms / 3.6e6, c->avg_slots, c->share * 100,
		    (long long)c->jobs, buf_str(&by));
		put_consumer_name(b, c, false);
		buf_putc(b, '\n');
		buf_free(&by);
	}
}

/* The top users, DAGs and tasks, and jobs, a table each. */
static void
text_consumers(const struct slots *sl, bool md, struct buf *b)
{
	static const char *const titles[] = { "users", "Airflow DAGs and tasks "
	    "(airflow-dag, airflow-task labels)", "jobs" };
	size_t	i;
	int	k;

	for (k = 0; k < CONSUMER_KIND_COUNT; k++) {
		bool any = false;

		for (i = 0; i < sl->nc; i++) {
			const struct slot_consumer *c = &sl->c[i];

			if ((int)c->kind != k)
				continue;
			if (!any) {
				if (md)
					buf_printf(b, "\n## Top %s\n\n| slot-hours "
					    "| avg slots | share | jobs | bytes "
					    "processed | %s |\n| ---: | ---: | "
					    "---: | ---: | ---: | --- |\n",
					    titles[k], consumer_kind_name(c->kind));
				else
					buf_printf(b, "\ntop %s\n  slot-hours  "
					    "avg slots  share   jobs  processed  "
					    "%s\n", titles[k],
					    consumer_kind_name(c->kind));
				any = true;
			}
			text_consumer(c, md, b);
		}
	}
}

/* The Airflow pools, when a database was given. */
static void
text_pools(const struct slots_job *j, bool md, struct buf *b)
{
	size_t i;

	if (!j->pools.valid) {
		buf_puts(b, md ? "\n## Airflow pools\n\n" : "\nAirflow pools\n  ");
		buf_puts(b, "unreadable: ");
		report_put_text(b, buf_str(&j->pool_error), md);
		buf_putc(b, '\n');
		return;
	}
	buf_puts(b, md ? "\n## Airflow pools\n\n| pool | slots | running | "
	    "queued | deferred | free |\n| --- | ---: | ---: | ---: | ---: | "
	    "---: |\n" : "\nAirflow pools\n  slots  running  queued  deferred  "
	    "  free  pool\n");
	for (i = 0; i < j->pools.n; i++) {
		const struct af_pool *p = &j->pools.v[i];
		char slots[24], freeb[24];

		if (p->slots < 0) {
			snprintf(slots, sizeof slots, "inf");
			snprintf(freeb, sizeof freeb, "inf");
		} else {
			snprintf(slots, sizeof slots, "%d", p->slots);
			snprintf(freeb, sizeof freeb, "%d",
			    p->slots - af_pool_used(p));
		}
		if (md) {
			buf_puts(b, "| ");
			report_md_text(b, p->name);
			buf_printf(b, " | %s | %d | %d | %d%s | %s |\n", slots,
			    p->running, p->queued, p->deferred,
			    p->include_deferred ? " (counted)" : "", freeb);
		} else {
			buf_printf(b, "  %5s  %7d  %6d  %8d%c  %5s  ", slots,
			    p->running, p->queued, p->deferred,
			    p->include_deferred ? '*' : ' ', freeb);
			report_put_id(b, p->name);
			buf_putc(b, '\n');
		}
	}
}

/* The text and Markdown reports: the same sections, in the same order. */
static void
write_text(const struct slots_job *j, const struct slots *sl,
    const struct tz *zone, bool md, struct buf *b)
{
	size_t i;

	text_summary(j, sl, zone, md, b);
	buf_puts(b, md ? "\n## By reservation\n\n| reservation | now | peak "
	    "| peak at | average | baseline | autoscale now / max | idle | "
	    "ceiling | minutes above |\n| --- | ---: | ---: | --- | ---: | ---: "
	    "| ---: | ---: | ---: | ---: |\n" : "\nby reservation\n");
	for (i = 0; i < sl->nr; i++)
		if (resv_shown(sl, &sl->r[i]))
			resv_text(b, &sl->r[i], zone, md);
	text_hours(sl, zone, md, b);
	text_consumers(sl, md, b);
	if (j->db != NULL)
		text_pools(j, md, b);
}

/* --- CSV: the per-minute series, per reservation -------------------------- */

static void
csv_num(struct buf *b, double v, bool known)
{
	buf_putc(b, ',');
	if (known)
		buf_printf(b, "%.3f", v);
}

/*
 * One row per minute and reservation shown (on-demand as "on-demand", with
 * its capacity columns empty), in minute order.
 */
static void
write_csv(const struct slots *sl, struct buf *b)
{
	size_t i, k;

	buf_puts(b, "minute,reservation,slots,baseline,autoscale_current,"
	    "autoscale_max,idle,ceiling,above\n");
	for (i = 0; i < sl->n; i++) {
		time_t		tt = (time_t)sl->m[i].t;
		struct tm	tm;
		char		when[64];

		gmtime_r(&tt, &tm);
		snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:00Z",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min);
		for (k = 0; k < sl->nr; k++) {
			const struct slot_resv		*r = &sl->r[k];
			const struct slot_resv_minute	*m = &r->m[i];
			bool				 cap = m->limit >= 0;

			if (!resv_shown(sl, r))
				continue;
			buf_printf(b, "%s,", when);
			report_csv_field(b, r->id != NULL ? r->id : "on-demand");
			buf_printf(b, ",%.3f", m->slots);
			csv_num(b, m->baseline, cap);
			csv_num(b, m->autoscale, cap);
			csv_num(b, m->autoscale_max, cap);
			csv_num(b, m->idle, cap);
			csv_num(b, m->limit, cap);
			buf_printf(b, ",%s\n", !cap ? "" : m->above ? "1" : "0");
		}
	}
}

/* --- JSON ------------------------------------------------------------------ */

static json_t *
json_consumer(const struct slot_consumer *c)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o?, s:o?, s:o?, s:I, s:I, s:I}",
	    "key", report_json_string(c->key),
	    "user", report_json_string(c->user),
	    "dag_id", report_json_string(c->dag),
	    "task_id", report_json_string(c->task),
	    "slot_ms", json_real(c->slot_ms),
	    "average_slots", json_real(c->avg_slots),
	    "share", json_real(c->share),
	    "jobs", (json_int_t)c->jobs,
	    "bytes_processed", (json_int_t)c->bytes_processed,
	    "bytes_billed", (json_int_t)c->bytes_billed);
}

/* A reservation (or on-demand) with its figures now and over the window. */
static json_t *
json_resv(const struct slot_resv *r)
{
	const struct slot_resv_minute	*n = &r->now;
	bool				 cap = r->id != NULL && n->limit >= 0;

	/* Without a capacity (on-demand, or not read) its figures are null. */
	return json_pack("{s:o, s:o, s:o?, s:o?, s:o, s:o?, s:o?, s:o?, s:o?, "
	    "s:o?, s:o?, s:o?, s:o?, s:i, s:i, s:o}",
	    "reservation_id", report_json_string(r->id),
	    "edition", report_json_string(r->edition),
	    "slots_now", json_real(n->slots),
	    "peak", json_real(r->peak),
	    "peak_at", report_json_time(r->peak_at),
	    "average_slots", json_real(r->average),
	    "slot_ms", json_real(r->slot_ms),
	    "baseline", cap ? json_real(n->baseline) : NULL,
	    "autoscale_current", cap ? json_real(n->autoscale) : NULL,
	    "autoscale_max", cap ? json_real(n->autoscale_max) : NULL,
	    "ignore_idle_slots", cap ? json_boolean(n->ignore_idle) : NULL,
	    "idle_slots", cap ? json_real(n->idle) : NULL,
	    "ceiling", cap ? json_real(n->limit) : NULL,
	    "minutes_above", r->minutes_above,
	    "minutes_above_recent", r->recent_above,
	    "last_above", r->last_above >= 0 ?
	    report_json_time(r->last_above) : json_null());
}

/* The top consumers: {"users": [...], "dags": [...], "jobs": [...]}. */
static json_t *
json_top(const struct slots *sl)
{
	json_t	*o, *c[CONSUMER_KIND_COUNT];
	size_t	 i;
	int	 k;

	for (k = 0; k < CONSUMER_KIND_COUNT; k++)
		c[k] = json_array();
	for (i = 0; i < sl->nc; i++)
		json_array_append_new(c[sl->c[i].kind],
		    json_consumer(&sl->c[i]));
	o = json_object();
	json_object_set_new(o, "users", c[CONSUMER_USER]);
	json_object_set_new(o, "dags", c[CONSUMER_DAG]);
	json_object_set_new(o, "jobs", c[CONSUMER_JOB]);
	return o;
}

/* Every minute of the window: slots, capacity, running and pending. */
static json_t *
json_minutes(const struct slots *sl)
{
	json_t	*a, *o;
	size_t	 i;

	a = json_array();
	for (i = 0; i < sl->n; i++) {
		const struct slot_minute *m = &sl->m[i];

		o = json_object();
		json_object_set_new(o, "minute", report_json_time(m->t));
		json_object_set_new(o, "slots", json_real(round(m->slots * 1000) /
		    1000));
		json_object_set_new(o, "capacity", m->capacity >= 0 ?
		    json_real(m->capacity) : json_null());
		json_object_set_new(o, "running", json_integer(m->running));
		json_object_set_new(o, "pending", json_integer(m->pending));
		json_array_append_new(a, o);
	}
	return a;
}

/* The Airflow pools, or null when none were read. */
static json_t *
json_pools(const struct slots_job *j)
{
	json_t	*a, *o;
	size_t	 i;

	if (j->db == NULL || !j->pools.valid)
		return json_null();
	a = json_array();
	for (i = 0; i < j->pools.n; i++) {
		const struct af_pool *p = &j->pools.v[i];

		o = json_object();
		json_object_set_new(o, "pool", report_json_string(p->name));
		json_object_set_new(o, "slots", p->slots >= 0 ?
		    json_integer(p->slots) : json_null());
		json_object_set_new(o, "running", json_integer(p->running));
		json_object_set_new(o, "queued", json_integer(p->queued));
		json_object_set_new(o, "deferred", json_integer(p->deferred));
		json_object_set_new(o, "scheduled", json_integer(p->scheduled));
		json_object_set_new(o, "include_deferred",
		    json_boolean(p->include_deferred));
		json_array_append_new(a, o);
	}
	return a;
}

/* What the source and the pools said went wrong, as an array. */
static json_t *
json_warnings(const struct slots_job *j)
{
	json_t *a;

	a = json_array();
	if (*slots_src_warning(j->src) != '\0')
		json_array_append_new(a, report_json_string(
		    slots_src_warning(j->src)));
	if (j->db != NULL && !j->pools.valid)
		json_array_append_new(a, report_json_string(
		    buf_str(&j->pool_error)));
	return a;
}

/* The JSON report: the whole window, minute by minute, in one object. */
static void
write_json(const struct slots_job *j, const struct slots *sl)
{
	json_t	*doc = json_object(), *o, *a;
	size_t	 i;

	json_object_set_new(doc, "report", json_string("slots"));
	json_object_set_new(doc, "status", json_string(slots_rc(sl) > 0 ?
	    "warning" : "ok"));
	json_object_set_new(doc, "exit_code", json_integer(slots_rc(sl)));
	json_object_set_new(doc, "capacity_rule",
	    json_string(slots_rule_text(sl)));
	json_object_set_new(doc, "alert_minutes",
	    json_integer(sl->alert_minutes));
	json_object_set_new(doc, "generated_at", report_json_time(sl->read_at));
	json_object_set_new(doc, "context", report_json_string(j->s->context));
	json_object_set_new(doc, "source", json_string(j->s->source));
	json_object_set_new(doc, "project",
	    report_json_string(j->s->bigquery_project));
	json_object_set_new(doc, "location",
	    report_json_string(j->s->bigquery_location));
	o = json_object();
	json_object_set_new(o, "start", report_json_time(sl->start));
	json_object_set_new(o, "end", report_json_time(sl->end));
	json_object_set_new(o, "minutes", json_integer((json_int_t)sl->n));
	json_object_set_new(doc, "window", o);
	o = json_object();
	json_object_set_new(o, "kind", json_string(slot_capacity_name(
	    sl->cap_kind)));
	json_object_set_new(o, "slots", sl->cap_kind == CAP_RESERVATION ||
	    sl->cap_kind == CAP_FIXED ? json_real(sl->cap_now) : json_null());
	json_object_set_new(doc, "capacity", o);
	o = json_object();
	json_object_set_new(o, "slots", json_real(sl->peak));
	json_object_set_new(o, "at", report_json_time(sl->peak_at));
	json_object_set_new(doc, "peak", o);
	json_object_set_new(doc, "average_slots", json_real(sl->average));
	json_object_set_new(doc, "slot_ms", json_real(sl->slot_ms));
	json_object_set_new(doc, "minutes_above_capacity",
	    json_integer(sl->minutes_above));
	json_object_set_new(doc, "minutes_above_capacity_recent",
	    json_integer(sl->recent_above));
	a = json_array();
	for (i = 0; i < sl->nr; i++)
		if (resv_shown(sl, &sl->r[i]) && sl->r[i].id != NULL)
			json_array_append_new(a, json_resv(&sl->r[i]));
	json_object_set_new(doc, "reservations", a);
	json_object_set_new(doc, "on_demand", slots_resv(sl, NULL) != NULL &&
	    slots_resv(sl, NULL)->used ? json_resv(slots_resv(sl, NULL)) :
	    json_null());
	o = json_object();
	json_object_set_new(o, "running_now", json_integer(sl->running_now));
	json_object_set_new(o, "pending_now", json_integer(sl->pending_now));
	json_object_set_new(o, "pending_max", json_integer(sl->pending_max));
	json_object_set_new(o, "pending_max_at",
	    sl->pending_max > 0 ? report_json_time(sl->pending_max_at) :
	    json_null());
	json_object_set_new(doc, "jobs_state", o);
	json_object_set_new(doc, "jobs", json_integer(sl->jobs));
	json_object_set_new(doc, "bytes_processed",
	    json_integer(sl->bytes_processed));
	json_object_set_new(doc, "bytes_billed", json_integer(sl->bytes_billed));
	json_object_set_new(doc, "query_bytes_billed",
	    json_integer(sl->query_bytes_billed));
	json_object_set_new(doc, "top", json_top(sl));
	json_object_set_new(doc, "minutes", json_minutes(sl));
	json_object_set_new(doc, "pools", json_pools(j));
	json_object_set_new(doc, "warnings", json_warnings(j));
	report_json_print(doc);
	json_decref(doc);
}

/* --- OpenMetrics ------------------------------------------------------------ */

/* The most slot-time first: the consumers kept under the cap. */
static int
consumer_cmp(const void *a, const void *b)
{
	const struct slot_consumer *x = *(const struct slot_consumer *const *)a;
	const struct slot_consumer *y = *(const struct slot_consumer *const *)b;

	if (x->slot_ms != y->slot_ms)
		return x->slot_ms < y->slot_ms ? 1 : -1;
	return strcmp(x->key, y->key);
}

/*
 * The slot-seconds of the top users and DAGs (their airflow-dag and
 * airflow-task labels), at most metrics_max_series each.  Jobs are left
 * out: a job id is new every run, a series that never comes back.
 */
static void
om_consumers(struct om *m, const struct slots *sl, const char *ctx)
{
	const struct slot_consumer	**v = xcalloc(sl->nc + 1, sizeof *v);
	size_t				  i, n, kept[2] = { 0, 0 }, left[2] = { 0, 0 };
	size_t				  cap = report_max_series();

	for (i = n = 0; i < sl->nc; i++)
		if (sl->c[i].kind == CONSUMER_USER ||
		    sl->c[i].kind == CONSUMER_DAG)
			v[n++] = &sl->c[i];
	qsort(v, n, sizeof *v, consumer_cmp);
	for (i = 0; i < n; i++) {
		const struct slot_consumer *c = v[i];
		int k = c->kind == CONSUMER_USER ? 0 : 1;

		if (kept[k] == cap) {
			left[k]++;
			continue;
		}
		kept[k]++;
		if (k == 0)
			om_add(m, "dagtop_slots_user_slot_seconds",
			    c->slot_ms / 1000, "context", ctx, "user", c->key,
			    NULL);
		else
			om_add(m, "dagtop_slots_dag_slot_seconds",
			    c->slot_ms / 1000, "context", ctx, "dag_id",
			    c->dag != NULL ? c->dag : c->key, "task_id",
			    c->task, NULL);
	}
	report_om_omitted(m, "slots", ctx, "dagtop_slots_user_slot_seconds",
	    left[0]);
	report_om_omitted(m, "slots", ctx, "dagtop_slots_dag_slot_seconds",
	    left[1]);
	free(v);
}

/* A reservation's (or on-demand's) figures over the window. */
static void
om_resv(struct om *m, const struct slot_resv *r, const char *ctx)
{
	const char *id = r->id != NULL ? r->id : "on-demand";

	om_add(m, "dagtop_slots_reservation_peak", r->peak, "context", ctx,
	    "reservation", id, NULL);
	om_add(m, "dagtop_slots_reservation_average", r->average, "context",
	    ctx, "reservation", id, NULL);
	if (r->id == NULL || r->now.limit < 0)
		return;
	om_add(m, "dagtop_slots_reservation_capacity", r->now.limit,
	    "context", ctx, "reservation", id, NULL);
	om_add(m, "dagtop_slots_reservation_above_capacity_seconds",
	    r->minutes_above * 60.0, "context", ctx, "reservation", id,
	    "window", "report", NULL);
	om_add(m, "dagtop_slots_reservation_above_capacity_seconds",
	    r->recent_above * 60.0, "context", ctx, "reservation", id,
	    "window", "alert", NULL);
}

static void
write_openmetrics(const struct slots_job *j, const struct slots *sl)
{
	const char	*ctx = j->s->context;
	struct om	 m;
	size_t		 i;

	om_init(&m);
	report_om_read(&m, "slots", ctx, true, sl->read_at);
	om_family(&m, "dagtop_slots_verdict", OM_GAUGE, "The slots report's "
	    "exit status: 0 within capacity, 1 above it in the alert window.");
	om_family(&m, "dagtop_slots_window_seconds", OM_GAUGE,
	    "The window read (--hours), in seconds.");
	om_family(&m, "dagtop_slots_peak", OM_GAUGE,
	    "Slots of the window's busiest minute (its average).");
	om_family(&m, "dagtop_slots_average", OM_GAUGE,
	    "Slots on average over the window.");
	om_family(&m, "dagtop_slots_capacity", OM_GAUGE,
	    "Slots the reservations (or the configured capacity) allow now.");
	om_family(&m, "dagtop_slots_above_capacity_seconds", OM_GAUGE,
	    "Time above capacity, over the window (window=\"report\") and "
	    "the last --alert-minutes (window=\"alert\").");
	om_family(&m, "dagtop_slots_reservation_peak", OM_GAUGE,
	    "A reservation's slots at its busiest minute.");
	om_family(&m, "dagtop_slots_reservation_average", OM_GAUGE,
	    "A reservation's slots on average over the window.");
	om_family(&m, "dagtop_slots_reservation_capacity", OM_GAUGE,
	    "A reservation's ceiling now: baseline, autoscale max and idle "
	    "slots unless ignored.");
	om_family(&m, "dagtop_slots_reservation_above_capacity_seconds",
	    OM_GAUGE, "Time a reservation spent above its ceiling, over the "
	    "window (window=\"report\") and the alert window "
	    "(window=\"alert\").");
	om_family(&m, "dagtop_slots_user_slot_seconds", OM_GAUGE,
	    "Slot-seconds of a user over the window, the most first, at most "
	    "metrics_max_series users.");
	om_family(&m, "dagtop_slots_dag_slot_seconds", OM_GAUGE,
	    "Slot-seconds of an Airflow DAG (or task) by its job labels over "
	    "the window, at most metrics_max_series.");
	om_add(&m, "dagtop_slots_verdict", slots_rc(sl), "context", ctx, NULL);
	om_add(&m, "dagtop_slots_window_seconds", (double)(sl->end - sl->start),
	    "context", ctx, NULL);
	om_add(&m, "dagtop_slots_peak", sl->peak, "context", ctx, NULL);
	om_add(&m, "dagtop_slots_average", sl->average, "context", ctx, NULL);
	if (sl->cap_kind == CAP_RESERVATION || sl->cap_kind == CAP_FIXED) {
		om_add(&m, "dagtop_slots_capacity", sl->cap_now, "context",
		    ctx, NULL);
		om_add(&m, "dagtop_slots_above_capacity_seconds",
		    sl->minutes_above * 60.0, "context", ctx, "window",
		    "report", NULL);
		om_add(&m, "dagtop_slots_above_capacity_seconds",
		    sl->recent_above * 60.0, "context", ctx, "window", "alert",
		    NULL);
	}
	for (i = 0; i < sl->nr; i++)
		if (resv_shown(sl, &sl->r[i]))
			om_resv(&m, &sl->r[i], ctx);
	om_consumers(&m, sl, ctx);
	report_om_print(&m);
}

int
report_slots(const struct settings *s, const struct report_options *o)
{
	struct slots_job	 j;
	struct slots_options	 so;
	struct buf		 err = BUF_INIT, out = BUF_INIT;
	struct tz		*zone;
	const struct slots	*sl;
	int			 rc;

	if ((zone = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	memset(&j, 0, sizeof j);
	j.s = s;
	j.o = o;
	j.loop = loop_new();
	j.src = slots_src_new(j.loop, options_slots(s, &so), o->hours,
	    &err);
	if (j.src == NULL) {
		rc = report_unknown(o->format, "BigQuery", buf_str(&err));
		goto out;
	}
	j.pending = 1;
	slots_src_alert_minutes(j.src, o->alert_minutes);
	slots_src_refresh(j.src, slots_done, &j);
	/* The pools, from the context's scheduler source if it has one. */
	if (s->database != NULL || sched_context_api(s)) {
		j.db = sched_open_context(j.loop, s, db_opened, db_lost, &j,
		    &err);
		if (j.db == NULL) {
			buf_puts(&j.pool_error, buf_str(&err));
			buf_reset(&err);
		} else
			j.pending++;
	}
	loop_run(j.loop);
	sl = slots_src_last(j.src);
	if (!sl->valid) {
		rc = report_unknown(o->format, "cannot read BigQuery",
		    *slots_src_error(j.src) != '\0' ? slots_src_error(j.src) :
		    "no answer");
		goto out;
	}
	rc = slots_rc(sl);
	if (o->format == REPORT_JSON)
		write_json(&j, sl);
	else if (o->format == REPORT_CSV)
		write_csv(sl, &out);
	else if (o->format == REPORT_OPENMETRICS)
		write_openmetrics(&j, sl);
	else if (!(o->quiet && rc == 0))
		write_text(&j, sl, zone, o->format == REPORT_MARKDOWN, &out);
	fputs(buf_str(&out), stdout);
	if (j.db != NULL && !j.pools.valid && o->format != REPORT_JSON) {
		struct buf clean = BUF_INIT;

		report_put_id(&clean, buf_str(&j.pool_error));
		fprintf(stderr, "dagtop: Airflow pools: %s\n", buf_str(&clean));
		buf_free(&clean);
	}
out:
	fflush(stdout);
	slots_src_free(j.src);
	sched_free(j.db);
	af_pools_free(&j.pools);
	loop_free(j.loop);
	buf_free(&j.pool_error);
	buf_free(&err);
	buf_free(&out);
	tz_free(zone);
	return rc;
}
