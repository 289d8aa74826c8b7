/*
 * digest_json.c: the weekly digest as one JSON object (digest_write.h).
 * Every section carries its origin (source, read_at, newest, age_seconds,
 * error, skipped); figures are in base units, seconds and ratios 0..1,
 * instants ISO 8601 in UTC; text from outside goes through
 * report_json_string, so an id that is not UTF-8 still makes valid JSON.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "airflow.h"
#include "digest_write.h"
#include "report.h"
#include "sla.h"
#include "tz.h"

static const char *const weekday_long[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

/* Seconds, or null for the model's "none" (< 0). */
static json_t *
jsecs(int64_t s)
{
	return s >= 0 ? json_integer(s) : json_null();
}

/* A ratio 0..1 to four places, or null for "none" (< 0). */
static json_t *
jratio(double r)
{
	return r >= 0 && isfinite(r) ? json_real(round(r * 10000) / 10000) :
	    json_null();
}

static json_t *
jnum(double v)
{
	return v >= 0 && isfinite(v) ? json_real(round(v * 100) / 100) :
	    json_null();
}

static json_t *
jdate(int64_t day)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;

	sla_date_format(day, &b);
	v = json_string(buf_str(&b));
	buf_free(&b);
	return v;
}

/*
 * Where a section's numbers come from; age_seconds is how old the newest
 * datum was when the digest was made (null when unknown).
 */
static json_t *
json_origin(const struct digest_origin *o, int64_t generated_at)
{
	json_t *j = json_object();

	json_object_set_new(j, "source", report_json_string(o->source));
	json_object_set_new(j, "read_at", report_json_time(o->read_at));
	json_object_set_new(j, "newest", report_json_time(o->newest));
	json_object_set_new(j, "age_seconds", o->newest != TIME_NONE &&
	    generated_at != TIME_NONE ? json_integer(generated_at - o->newest) :
	    json_null());
	json_object_set_new(j, "error", report_json_string(o->error));
	json_object_set_new(j, "skipped", report_json_string(o->skipped));
	return j;
}

/*
 * report_json_sla_summary with its compliance to four places, as every
 * ratio here.
 */
static json_t *
json_summary(const struct sla_summary *s)
{
	json_t	*o = report_json_sla_summary(s);

	json_object_set_new(o, "compliance", jratio(s->compliance));
	return o;
}

static json_t *
json_sla(const struct digest *d, const struct digest_sla *s)
{
	const struct sla_def	*def = s->ev.def;
	json_t			*o = json_object(), *days, *weeks, *w;
	struct buf		 b = BUF_INIT;
	size_t			 k;
	int			 week_start = tz_weekday(d->first_day);

	json_object_set_new(o, "name", report_json_string(def->name));
	json_object_set_new(o, "dag_id", report_json_string(def->dag_id));
	json_object_set_new(o, "task_id", report_json_string(def->task_id));
	sla_deadline_format(def->deadline, &b);
	json_object_set_new(o, "deadline", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(o, "timezone", report_json_string(s->zone));
	sla_days_format(def->days, &b);
	json_object_set_new(o, "applies_on", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(o, "owner", report_json_string(def->owner));
	json_object_set_new(o, "unknown_dag", json_boolean(s->ev.unknown_dag));
	days = json_array();
	for (k = 0; k < s->ev.ndays; k++) {
		const struct sla_day *day = &s->ev.days[k];

		json_array_append_new(days, json_pack("{s:o, s:s, s:s, s:o, "
		    "s:o, s:o, s:o, s:i}",
		    "date", jdate(day->day),
		    "weekday", weekday_long[tz_weekday(day->day)],
		    "outcome", sla_outcome_name(day->outcome),
		    "deadline", report_json_time(day->deadline),
		    "finished_at", report_json_time(day->finished_at),
		    "late_by_seconds", day->outcome == SLA_LATE ||
		    day->outcome == SLA_MET ? json_integer(day->late_by) :
		    json_null(),
		    "run_id", report_json_string(day->run_id),
		    "runs", day->attempts));
	}
	json_object_set_new(o, "days", days);
	json_object_set_new(o, "week", json_summary(&s->ev.period));
	json_object_set_new(o, "trailing_26_weeks",
	    json_summary(&s->ev.trailing));
	weeks = json_array();
	for (k = 0; k < SLA_TRAILING_WEEKS; k++) {
		int64_t first = d->first_day -
		    7 * (int64_t)(SLA_TRAILING_WEEKS - 1 - k);

		w = json_summary(&s->weeks[k]);
		sla_week_name(first, week_start, &b);
		json_object_set_new(w, "week", json_string(buf_str(&b)));
		buf_reset(&b);
		json_object_set_new(w, "from", jdate(first));
		json_array_append_new(weeks, w);
	}
	json_object_set_new(o, "weeks", weeks);
	buf_free(&b);
	return o;
}

static json_t *
json_sla_section(const struct digest *d)
{
	json_t	*o = json_object(), *a = json_array();
	size_t	 i;

	json_object_set_new(o, "origin", json_origin(&d->origin[DIGEST_SLA],
	    d->generated_at));
	for (i = 0; i < d->nsla; i++)
		json_array_append_new(a, json_sla(d, &d->sla[i]));
	json_object_set_new(o, "slas", a);
	return o;
}

static json_t *
json_failures(const struct digest *d)
{
	const struct digest_failures	*f = &d->failures;
	json_t				*o = json_object(), *a, *r;
	size_t				 i;

	json_object_set_new(o, "origin",
	    json_origin(&d->origin[DIGEST_FAILURES], d->generated_at));
	json_object_set_new(o, "runs", json_integer((json_int_t)f->runs));
	json_object_set_new(o, "failed_runs",
	    json_integer((json_int_t)f->failed_runs));
	a = json_array();
	for (i = 0; i < f->ndags; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:I, s:I, s:I}",
		    "dag_id", report_json_string(f->dags[i].dag_id),
		    "owner", report_json_string(f->dags[i].owner),
		    "runs", (json_int_t)f->dags[i].runs,
		    "failed_runs", (json_int_t)f->dags[i].failed_runs,
		    "failed_tasks", (json_int_t)f->dags[i].failed_tasks));
	json_object_set_new(o, "dags", a);
	a = json_array();
	for (i = 0; i < f->ntasks; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:I, s:I}",
		    "dag_id", report_json_string(f->tasks[i].dag_id),
		    "task_id", report_json_string(f->tasks[i].task_id),
		    "failures", (json_int_t)f->tasks[i].failures,
		    "runs", (json_int_t)f->tasks[i].runs));
	json_object_set_new(o, "tasks", a);
	a = json_array();
	for (i = 0; i < f->nrecoveries; i++) {
		const struct digest_recovery *rc = &f->recoveries[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:o}",
		    "dag_id", report_json_string(rc->dag_id),
		    "run_id", report_json_string(rc->run_id),
		    "failed_at", report_json_time(rc->failed_at),
		    "recovered_at", report_json_time(rc->recovered_at),
		    "recovered_by", report_json_string(rc->recovered_by),
		    "seconds", rc->recovered_at != TIME_NONE ?
		    json_integer(rc->recovered_at - rc->failed_at) :
		    json_null()));
	}
	json_object_set_new(o, "recoveries", a);
	json_object_set_new(o, "recovery", json_pack("{s:o, s:o, s:I, s:I}",
	    "median_seconds", jsecs(f->recovery_median),
	    "max_seconds", jsecs(f->recovery_max),
	    "recovered", (json_int_t)(f->nrecoveries - f->unrecovered),
	    "unrecovered", (json_int_t)f->unrecovered));
	r = json_object();
	json_object_set_new(r, "origin", json_origin(&f->reruns_origin,
	    d->generated_at));
	a = json_array();
	for (i = 0; i < f->nreruns; i++) {
		const struct digest_rerun *x = &f->reruns[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:o, s:o}",
		    "time", report_json_time(x->time),
		    "user", report_json_string(x->user),
		    "context", report_json_string(x->context),
		    "dag_id", report_json_string(x->dag_id),
		    "run_id", report_json_string(x->run_id),
		    "tasks", x->tasks > 0 ? json_integer((json_int_t)x->tasks) :
		    json_null(),
		    "result", report_json_string(x->result)));
	}
	json_object_set_new(r, "items", a);
	json_object_set_new(o, "reruns", r);
	return o;
}

/* One window's Four Keys in base units. */
static json_t *
json_metrics(const struct fk_metrics *m)
{
	return json_pack("{s:o, s:o, s:i, s:o, s:s, s:i, s:o, s:o, s:i, s:o, "
	    "s:i, s:i, s:o}",
	    "from", report_json_time(m->from),
	    "to", report_json_time(m->to),
	    "deployments", m->deployments,
	    "per_week", jnum(m->per_week),
	    "frequency", fk_freq_name(m->freq),
	    "changes", m->changes,
	    "lead_median_seconds", jsecs(m->lead_median),
	    "lead_p90_seconds", jsecs(m->lead_p90),
	    "failed_deployments", m->failed,
	    "change_failure_rate", jratio(m->cfr),
	    "incidents", m->incidents,
	    "restored", m->restored,
	    "restore_median_seconds", jsecs(m->restore_median));
}

static json_t *
json_window(const struct fk_result *r)
{
	return json_pack("{s:o, s:o, s:{s:s, s:s, s:s, s:s}}",
	    "current", json_metrics(&r->cur),
	    "previous", json_metrics(&r->prev),
	    "bands",
	    "deployment_frequency", fk_band_name(r->band_freq),
	    "lead_time", fk_band_name(r->band_lead),
	    "change_failure_rate", fk_band_name(r->band_cfr),
	    "time_to_restore", fk_band_name(r->band_restore));
}

static json_t *
json_fourkeys(const struct digest *d)
{
	json_t	*o = json_object(), *a = json_array(), *s;
	size_t	 i;

	json_object_set_new(o, "origin",
	    json_origin(&d->origin[DIGEST_FOURKEYS], d->generated_at));
	for (i = 0; i < d->nservices; i++) {
		const struct digest_service *v = &d->services[i];

		s = json_object();
		json_object_set_new(s, "name", report_json_string(v->name));
		json_object_set_new(s, "origin", json_origin(&v->origin,
		    d->generated_at));
		if (v->origin.error == NULL) {
			json_object_set_new(s, "last_7_days",
			    json_window(&v->week));
			json_object_set_new(s, "last_30_days",
			    json_window(&v->month));
		}
		json_array_append_new(a, s);
	}
	json_object_set_new(o, "services", a);
	return o;
}

static json_t *
json_slots(const struct digest *d)
{
	const struct digest_slots	*sl = &d->slots;
	json_t				*o = json_object(), *a;
	size_t				 i;

	json_object_set_new(o, "origin", json_origin(&d->origin[DIGEST_SLOTS],
	    d->generated_at));
	json_object_set_new(o, "peak_slots", jnum(sl->peak));
	json_object_set_new(o, "peak_at", report_json_time(sl->peak_at));
	json_object_set_new(o, "average_slots", jnum(sl->average));
	a = json_array();
	for (i = 0; i < sl->nresv; i++) {
		const struct digest_reservation *r = &sl->resv[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:i}",
		    "reservation", report_json_string(r->id),
		    "peak_slots", jnum(r->peak),
		    "peak_at", report_json_time(r->peak_at),
		    "average_slots", jnum(r->average),
		    "capacity_slots", jnum(r->capacity),
		    "minutes_above_capacity", r->minutes_above));
	}
	json_object_set_new(o, "reservations", a);
	a = json_array();
	for (i = 0; i < sl->ntop; i++) {
		const struct digest_consumer *c = &sl->top[i];

		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:I, s:I}",
		    "key", report_json_string(c->key),
		    "dag_id", report_json_string(c->dag_id),
		    "task_id", report_json_string(c->task_id),
		    "slot_ms", jnum(c->slot_ms),
		    "share", jratio(c->share),
		    "jobs", (json_int_t)c->jobs,
		    "bytes_billed", (json_int_t)c->bytes_billed));
	}
	json_object_set_new(o, "top_consumers", a);
	return o;
}

static json_t *
json_envs(const struct digest *d)
{
	json_t	*o = json_object(), *a = json_array();
	size_t	 i;

	json_object_set_new(o, "origin",
	    json_origin(&d->origin[DIGEST_ENVIRONMENTS], d->generated_at));
	for (i = 0; i < d->nenvs; i++) {
		const struct digest_env *e = &d->envs[i];

		json_array_append_new(a, json_pack("{s:o, s:s, s:o, s:o, s:I, "
		    "s:I, s:I, s:I, s:I, s:I, s:o}",
		    "context", report_json_string(e->context),
		    "status", e->error != NULL ? "unknown" :
		    report_status_word((int)e->verdict),
		    "summary", report_json_string(e->summary),
		    "version", report_json_string(e->version),
		    "active_dags", (json_int_t)e->active,
		    "paused_dags", (json_int_t)e->paused,
		    "import_errors", (json_int_t)e->import_errors,
		    "failed_runs", (json_int_t)e->failed,
		    "running_runs", (json_int_t)e->running,
		    "queued_runs", (json_int_t)e->queued,
		    "error", report_json_string(e->error)));
	}
	json_object_set_new(o, "contexts", a);
	return o;
}

json_t *
digest_json(const struct digest *d)
{
	json_t	*doc = json_object(), *p;
	int	 rc = digest_rc(d);

	json_object_set_new(doc, "report", json_string("digest"));
	json_object_set_new(doc, "status",
	    json_string(report_status_word(rc)));
	json_object_set_new(doc, "exit_code", json_integer(rc));
	json_object_set_new(doc, "generated_at",
	    report_json_time(d->generated_at));
	json_object_set_new(doc, "context", report_json_string(d->context));
	p = json_object();
	json_object_set_new(p, "week", report_json_string(d->week));
	json_object_set_new(p, "first_day", jdate(d->first_day));
	json_object_set_new(p, "last_day", jdate(d->last_day));
	json_object_set_new(p, "from", report_json_time(d->from));
	json_object_set_new(p, "to", report_json_time(d->to));
	json_object_set_new(p, "timezone", report_json_string(d->zone));
	json_object_set_new(doc, "period", p);
	json_object_set_new(doc, "sla", json_sla_section(d));
	json_object_set_new(doc, "failures", json_failures(d));
	json_object_set_new(doc, "fourkeys", json_fourkeys(d));
	json_object_set_new(doc, "slots", json_slots(d));
	json_object_set_new(doc, "environments", json_envs(d));
	return doc;
}
