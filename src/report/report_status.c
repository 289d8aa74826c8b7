/*
 * report_status.c: `dagtop report status`, the deployment at a glance for
 * cron and monitoring: scheduler health, run counts, every failed or running
 * run with the task instances that need a human.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "openmetrics.h"
#include "report.h"
#include "taskrows.h"
#include "sanitize.h"
#include "scheduler.h"
#include "secret.h"
#include "slack.h"
#include "status.h"
#include "timefmt.h"
#include "tz.h"
#include "zoneinfo.h"

struct status_job {
	const struct settings		*s;
	const struct report_options	*o;
	struct report_read		*rd;		/* alone, or of a group */
	enum report_read_result		 read;
	struct tz			*zone;		/* NULL: zone_error says */
	struct buf			 zone_error;
	int64_t				 since;
	int				 pending;
	struct af_health		 health;
	struct af_dags			 dags;
	struct af_runs			 runs;
	struct af_tis			 tis;
	struct status			 status;
	bool				 built;
	bool				 judge_only;	/* no TIs to list */
};

/* All three first reads are in: judge, then fetch the TIs that matter. */
static void
first_reads_done(void *arg, const char *err)
{
	struct status_job	*j = arg;
	const struct af_run	**failed;
	size_t			 i, n = 0;

	if (err != NULL) {
		report_read_fail(j->rd, err);
		return;
	}
	if (--j->pending > 0)
		return;
	status_build(&j->status, &j->health, &j->dags, &j->runs, j->since,
	    j->s->scheduler_threshold);
	j->built = true;
	if (j->status.nattention == 0 || j->judge_only) {
		report_read_done(j->rd);
		return;
	}
	failed = xcalloc(j->status.nattention, sizeof *failed);
	for (i = 0; i < j->status.nattention; i++)
		failed[n++] = j->status.attention[i];
	sched_fetch_attention_tis(j->rd->db, failed, n, &j->tis,
	    report_read_last, j->rd);
	free(failed);
}

/* The source is open: health, DAGs and the window's runs, at once. */
static void
start(void *arg)
{
	struct status_job *j = arg;

	j->pending = 3;
	sched_fetch_health(j->rd->db, &j->health, first_reads_done, j);
	sched_fetch_dags(j->rd->db, &j->dags, first_reads_done, j);
	sched_fetch_runs_since(j->rd->db, j->since, &j->runs, first_reads_done, j);
}

/* --- text ---------------------------------------------------------------- */

static void
text_job(struct buf *b, const char *label, enum health h,
    const struct af_job_health *jh, int64_t now)
{
	buf_printf(b, "%-11s%s", label, health_name(h));
	if (jh->last_seen != TIME_NONE) {
		buf_puts(b, ", heartbeat ");
		fmt_duration(b, (double)(now - (jh->last_heartbeat != TIME_NONE ?
		    jh->last_heartbeat : jh->last_seen)));
		buf_puts(b, " ago");
	}
	if (jh->hostname != NULL) {
		buf_puts(b, " (");
		report_put_id(b, jh->hostname);
		buf_putc(b, ')');
	}
	buf_putc(b, '\n');
}

static void
text_task_id(struct buf *b, const struct af_ti *t)
{
	report_put_id(b, t->task_id);
	if (t->map_index >= 0)
		buf_printf(b, "[%d]", t->map_index);
}

/*
 * The task instances of one run: each failed or retrying one on its own
 * line with its try and host, then the upstream_failed ones (which never
 * ran) folded into one line, as a mail from cron should read.
 */
static void
text_tis(struct buf *b, const struct af_ti *v, size_t n)
{
	size_t i, j, shown = 0, folded = 0;
	char try[24];

	for (i = 0; i < n; i = j) {
		const struct af_ti *t = &v[i];

		/* Instances of one mapped task in one state share a line. */
		for (j = i + 1; j < n && t->map_index >= 0 &&
		    v[j].state == t->state && v[j].try_number == t->try_number &&
		    strcmp(v[j].task_id, t->task_id) == 0; j++)
			;
		if (t->state == TI_UPSTREAM_FAILED)
			continue;
		buf_printf(b, "         %-16s ", ti_state_name(t->state));
		if (j - i > 1) {
			report_put_id(b, t->task_id);
			buf_printf(b, "[%d..%d] (%zu mapped)", t->map_index,
			    v[j - 1].map_index, j - i);
		} else
			text_task_id(b, t);
		ti_try_text(try, sizeof try, t->try_number, t->max_tries);
		buf_printf(b, "  try %s", try);
		if (j - i == 1 && t->hostname != NULL && *t->hostname != '\0') {
			buf_puts(b, "  ");
			report_put_id(b, t->hostname);
		}
		buf_putc(b, '\n');
	}
	for (i = 0; i < n; i++) {
		if (v[i].state != TI_UPSTREAM_FAILED)
			continue;
		if (shown == 8) {
			folded++;
			continue;
		}
		buf_puts(b, shown++ == 0 ? "         upstream_failed  " : ", ");
		text_task_id(b, &v[i]);
	}
	if (folded > 0)
		buf_printf(b, " and %zu more", folded);
	if (shown > 0)
		buf_putc(b, '\n');
}

/* The DAGs with import errors, by name: "a, b and 3 more". */
static void
put_import_errors(struct buf *b, const struct af_dags *dags, bool md)
{
	size_t	i, shown = 0, more = 0;

	for (i = 0; i < dags->n; i++) {
		if (!dags->v[i].import_errors)
			continue;
		if (shown == 20) {
			more++;
			continue;
		}
		if (shown++ > 0)
			buf_puts(b, ", ");
		if (md)
			report_md_text(b, dags->v[i].dag_id);
		else
			report_put_id(b, dags->v[i].dag_id);
	}
	if (more > 0)
		buf_printf(b, " and %zu more", more);
}

/* The failed and retrying task instances of a run, "a b[2]". */
static void
put_failed_tasks(struct buf *b, const struct af_ti *v, size_t n)
{
	struct buf	id = BUF_INIT;
	size_t		i, shown = 0;

	for (i = 0; i < n; i++) {
		if (v[i].state != TI_FAILED && v[i].state != TI_UP_FOR_RETRY)
			continue;
		if (shown++ > 0)
			buf_putc(&id, ' ');
		buf_puts(&id, v[i].task_id);
		if (v[i].map_index >= 0)
			buf_printf(&id, "[%d]", v[i].map_index);
	}
	buf_puts(b, buf_str(&id));
	buf_free(&id);
}

static void
write_text(struct status_job *j, const struct tz *zone, struct buf *b)
{
	const struct status	*st = &j->status;
	size_t			 i, first, n;
	struct buf		 ver = BUF_INIT;

	buf_printf(b, "%s\n", buf_str(&st->summary));
	sched_describe(j->rd->db, &ver);
	buf_printf(b, "%-11s", "context");
	report_put_id(b, j->s->context != NULL ? j->s->context : "(command line)");
	buf_printf(b, ", %s\n", buf_str(&ver));
	buf_free(&ver);
	buf_printf(b, "%-11s", "window");
	fmt_time(b, zone, j->since, FMT_LONG);
	buf_puts(b, " .. now (");
	fmt_duration(b, (double)j->o->since_span);
	buf_puts(b, ")\n");
	text_job(b, "scheduler", st->job[AF_JOB_SCHEDULER],
	    &j->health.job[AF_JOB_SCHEDULER], st->now);
	if (st->job[AF_JOB_TRIGGERER] != HEALTH_ABSENT)
		text_job(b, "triggerer", st->job[AF_JOB_TRIGGERER],
		    &j->health.job[AF_JOB_TRIGGERER], st->now);
	if (st->job[AF_JOB_DAG_PROCESSOR] != HEALTH_ABSENT)
		text_job(b, "processor", st->job[AF_JOB_DAG_PROCESSOR],
		    &j->health.job[AF_JOB_DAG_PROCESSOR], st->now);
	buf_printf(b, "%-11s%zu success, %zu failed, %zu running, %zu queued\n",
	    "runs", st->runs_by_state[RUN_SUCCESS],
	    st->runs_by_state[RUN_FAILED], st->runs_by_state[RUN_RUNNING],
	    st->runs_by_state[RUN_QUEUED]);
	buf_printf(b, "%-11s%zu (%zu active, %zu paused, %zu with import "
	    "errors)\n", "DAGs", st->ndags, st->nactive, st->npaused,
	    st->nimport_errors);
	if (st->nimport_errors > 0) {
		buf_printf(b, "%-11simport errors: ", "");
		put_import_errors(b, &j->dags, false);
		buf_putc(b, '\n');
	}

	for (i = 0; i < st->nattention; i++) {
		const struct af_run *r = st->attention[i];

		buf_printf(b, "\n%-8s ", run_state_name(r->state));
		report_put_id(b, r->dag_id);
		buf_puts(b, "  ");
		report_put_id(b, r->run_id);
		buf_puts(b, "\n         ");
		if (r->start_date != TIME_NONE) {
			buf_puts(b, "started ");
			fmt_time(b, zone, r->start_date, FMT_LONG);
		} else if (r->queued_at != TIME_NONE) {
			buf_puts(b, "queued ");
			fmt_time(b, zone, r->queued_at, FMT_LONG);
		} else
			buf_puts(b, "not started");
		if (r->end_date != TIME_NONE) {
			buf_puts(b, ", ended ");
			fmt_time(b, zone, r->end_date, FMT_LONG);
		}
		if (af_run_duration(r, st->now) >= 0) {
			buf_puts(b, " (");
			fmt_duration(b, af_run_duration(r, st->now));
			buf_putc(b, ')');
		}
		buf_putc(b, '\n');
		first = status_run_tis(&j->tis, r, &n);
		text_tis(b, &j->tis.v[first], n);
	}
}

/* --- CSV and Markdown ------------------------------------------------------ */

static void
csv_time(struct buf *b, int64_t t)
{
	buf_putc(b, ',');
	if (t != TIME_NONE)
		fmt_time(b, tz_utc(), t, FMT_ISO);
}

/* A row's first field in a report of several contexts: the context. */
static void
csv_context(const struct status_job *j, struct buf *b, bool many)
{
	if (!many)
		return;
	report_csv_field(b, j->s->context);
	buf_putc(b, ',');
}

static void
csv_header(struct buf *b, bool many)
{
	buf_printf(b, "%skind,dag_id,run_id,state,run_type,logical_date,"
	    "start_date,end_date,duration_seconds,failed_tasks\n",
	    many ? "context," : "");
}

/*
 * A row per run that needs a human (kind "run") and per DAG with import
 * errors (kind "import_error"); with many, each after its context.
 */
static void
write_csv(struct status_job *j, struct buf *b, bool many)
{
	const struct status	*st = &j->status;
	struct buf		 tasks = BUF_INIT;
	size_t			 i, first, n;
	double			 d;

	for (i = 0; i < st->nattention; i++) {
		const struct af_run *r = st->attention[i];

		csv_context(j, b, many);
		buf_puts(b, "run,");
		report_csv_field(b, r->dag_id);
		buf_putc(b, ',');
		report_csv_field(b, r->run_id);
		buf_printf(b, ",%s,", run_state_name(r->state));
		report_csv_field(b, r->run_type);
		csv_time(b, r->logical_date);
		csv_time(b, r->start_date);
		csv_time(b, r->end_date);
		buf_putc(b, ',');
		if ((d = af_run_duration(r, st->now)) >= 0)
			buf_printf(b, "%.0f", d);
		buf_putc(b, ',');
		first = status_run_tis(&j->tis, r, &n);
		buf_reset(&tasks);
		put_failed_tasks(&tasks, &j->tis.v[first], n);
		report_csv_field(b, buf_str(&tasks));
		buf_putc(b, '\n');
	}
	for (i = 0; i < j->dags.n; i++) {
		if (!j->dags.v[i].import_errors)
			continue;
		csv_context(j, b, many);
		buf_puts(b, "import_error,");
		report_csv_field(b, j->dags.v[i].dag_id);
		buf_puts(b, ",,import_error,,,,,,\n");
	}
	buf_free(&tasks);
}

static void
md_time(struct buf *b, const struct tz *zone, int64_t t)
{
	if (t != TIME_NONE)
		fmt_time(b, zone, t, FMT_LONG);
	else
		buf_putc(b, '-');
}

/* With many, the section is headed by the context's name. */
static void
write_markdown(struct status_job *j, const struct tz *zone, struct buf *b,
    bool many)
{
	const struct status	*st = &j->status;
	struct buf		 ver = BUF_INIT, tasks = BUF_INIT;
	size_t			 i, first, n;
	double			 d;

	if (many) {
		buf_puts(b, "## ");
		report_md_text(b, j->s->context);
	} else
		buf_puts(b, "## Airflow status");
	buf_printf(b, "\n\n**%s**\n\n- context ", buf_str(&st->summary));
	report_md_text(b, j->s->context != NULL ? j->s->context :
	    "(command line)");
	sched_describe(j->rd->db, &ver);
	buf_puts(b, ", ");
	report_md_text(b, buf_str(&ver));
	buf_puts(b, "\n- window ");
	fmt_time(b, zone, j->since, FMT_LONG);
	buf_puts(b, " .. now (");
	fmt_duration(b, (double)j->o->since_span);
	buf_printf(b, ")\n- scheduler %s\n", health_name(
	    st->job[AF_JOB_SCHEDULER]));
	if (st->job[AF_JOB_TRIGGERER] != HEALTH_ABSENT)
		buf_printf(b, "- triggerer %s\n",
		    health_name(st->job[AF_JOB_TRIGGERER]));
	buf_printf(b, "- runs %zu success, %zu failed, %zu running, %zu "
	    "queued\n", st->runs_by_state[RUN_SUCCESS],
	    st->runs_by_state[RUN_FAILED], st->runs_by_state[RUN_RUNNING],
	    st->runs_by_state[RUN_QUEUED]);
	buf_printf(b, "- DAGs %zu (%zu active, %zu paused, %zu with import "
	    "errors)\n", st->ndags, st->nactive, st->npaused,
	    st->nimport_errors);
	if (st->nimport_errors > 0) {
		buf_puts(b, "- import errors: ");
		put_import_errors(b, &j->dags, true);
		buf_putc(b, '\n');
	}
	if (st->nattention > 0)
		buf_puts(b, "\n| state | DAG | run | started | ended | duration "
		    "| failed tasks |\n| --- | --- | --- | --- | --- | ---: | "
		    "--- |\n");
	for (i = 0; i < st->nattention; i++) {
		const struct af_run *r = st->attention[i];

		buf_printf(b, "| %s | ", run_state_name(r->state));
		report_md_text(b, r->dag_id);
		buf_puts(b, " | ");
		report_md_text(b, r->run_id);
		buf_puts(b, " | ");
		md_time(b, zone, r->start_date);
		buf_puts(b, " | ");
		md_time(b, zone, r->end_date);
		buf_puts(b, " | ");
		if ((d = af_run_duration(r, st->now)) >= 0)
			fmt_duration(b, d);
		else
			buf_putc(b, '-');
		buf_puts(b, " | ");
		first = status_run_tis(&j->tis, r, &n);
		buf_reset(&tasks);
		put_failed_tasks(&tasks, &j->tis.v[first], n);
		report_md_text(b, buf_str(&tasks));
		buf_puts(b, " |\n");
	}
	buf_free(&ver);
	buf_free(&tasks);
}

/* --- JSON ---------------------------------------------------------------- */

static json_t *
json_job(enum health h, const struct af_job_health *jh, int64_t now)
{
	json_t *o = json_object();

	json_object_set_new(o, "state", json_string(health_name(h)));
	json_object_set_new(o, "running", json_integer(jh->running));
	json_object_set_new(o, "last_heartbeat",
	    report_json_time(jh->last_heartbeat));
	json_object_set_new(o, "heartbeat_age_seconds",
	    jh->last_heartbeat != TIME_NONE ?
	    json_integer(now - jh->last_heartbeat) : json_null());
	json_object_set_new(o, "hostname", report_json_string(jh->hostname));
	return o;
}

/* The report's JSON object for one context that was read. */
static json_t *
status_json(struct status_job *j)
{
	const struct status	*st = &j->status;
	const struct sched_about	*s = sched_about(j->rd->db);
	json_t			*doc = json_object(), *o, *a, *tis;
	size_t			 i, k, first, n;
	int			 q;

	json_object_set_new(doc, "report", json_string("status"));
	json_object_set_new(doc, "status",
	    json_string(st->verdict == VERDICT_OK ? "ok" :
	    st->verdict == VERDICT_WARNING ? "warning" : "critical"));
	json_object_set_new(doc, "exit_code", json_integer(st->verdict));
	json_object_set_new(doc, "summary",
	    json_string(buf_str(&st->summary)));
	json_object_set_new(doc, "generated_at", report_json_time(st->now));
	json_object_set_new(doc, "context", report_json_string(j->s->context));
	json_object_set_new(doc, "source", json_string(j->rd->db->ops->kind));

	o = json_object();
	json_object_set_new(o, "major", json_integer(s->major));
	json_object_set_new(o, "release", s->release != NULL ?
	    json_string(s->release) : json_null());
	json_object_set_new(o, "revision", report_json_string(s->revision));
	json_object_set_new(doc, "airflow", o);

	o = json_object();
	json_object_set_new(o, "since", report_json_time(j->since));
	json_object_set_new(o, "seconds", json_integer(j->o->since_span));
	json_object_set_new(doc, "window", o);

	o = json_object();
	json_object_set_new(o, "scheduler", json_job(st->job[AF_JOB_SCHEDULER],
	    &j->health.job[AF_JOB_SCHEDULER], st->now));
	json_object_set_new(o, "triggerer", json_job(st->job[AF_JOB_TRIGGERER],
	    &j->health.job[AF_JOB_TRIGGERER], st->now));
	json_object_set_new(o, "dag_processor",
	    json_job(st->job[AF_JOB_DAG_PROCESSOR],
	    &j->health.job[AF_JOB_DAG_PROCESSOR], st->now));
	json_object_set_new(doc, "health", o);

	o = json_object();
	json_object_set_new(o, "total", json_integer((json_int_t)st->ndags));
	json_object_set_new(o, "active", json_integer((json_int_t)st->nactive));
	json_object_set_new(o, "paused", json_integer((json_int_t)st->npaused));
	json_object_set_new(o, "import_errors",
	    json_integer((json_int_t)st->nimport_errors));
	a = json_array();
	for (i = 0; i < j->dags.n; i++)
		if (j->dags.v[i].import_errors)
			json_array_append_new(a,
			    report_json_string(j->dags.v[i].dag_id));
	json_object_set_new(o, "import_error_dag_ids", a);
	json_object_set_new(doc, "dags", o);

	o = json_object();
	json_object_set_new(o, "total", json_integer((json_int_t)st->nruns));
	for (q = 0; q < RUN_NSTATES; q++)
		if (q != RUN_UNKNOWN || st->runs_by_state[q] > 0)
			json_object_set_new(o, run_state_name(q),
			    json_integer((json_int_t)st->runs_by_state[q]));
	json_object_set_new(doc, "run_counts", o);

	a = json_array();
	for (i = 0; i < st->nattention; i++) {
		const struct af_run *r = st->attention[i];

		o = report_json_run(r, st->now);
		tis = json_array();
		first = status_run_tis(&j->tis, r, &n);
		for (k = first; k < first + n; k++)
			json_array_append_new(tis, report_json_ti(&j->tis.v[k]));
		json_object_set_new(o, "task_instances", tis);
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "runs", a);

	a = json_array();
	if (*sched_warnings(j->rd->db) != '\0')
		json_array_append_new(a, report_json_string(sched_warnings(j->rd->db)));
	json_object_set_new(doc, "warnings", a);
	return doc;
}

/* --- the job, alone or one of several ------------------------------------- */

/* A job reading context s over the window from since, through rd. */
static void
job_init(struct status_job *j, const struct settings *s,
    const struct report_options *o, int64_t since, struct report_read *rd)
{
	memset(j, 0, sizeof *j);
	j->s = s;
	j->o = o;
	j->since = since;
	j->rd = rd;
}

/* What the job read, and its zone; not its read (rd), which is the caller's. */
static void
job_clear(struct status_job *j)
{
	status_clear(&j->status);
	af_health_clear(&j->health);
	af_dags_free(&j->dags);
	af_runs_free(&j->runs);
	af_tis_free(&j->tis);
	tz_free(j->zone);
	buf_free(&j->zone_error);
}

/* The exit status of one context as alone: 3 when it could not be read. */
static int
job_rc(const struct status_job *j)
{
	if (j->zone == NULL || j->read != REPORT_READ_DONE)
		return 3;
	return (int)j->status.verdict;
}

/*
 * What could not be read and why, as report_unknown says it (a job that
 * only judges has no zone to miss).
 */
static const char *
job_what(const struct status_job *j)
{
	if (j->zone == NULL && !j->judge_only)
		return "configuration";
	return report_read_what(j->read, "cannot read the Airflow database");
}

static const char *
job_why(const struct status_job *j)
{
	return j->zone == NULL && !j->judge_only ? buf_str(&j->zone_error) :
	    buf_str(&j->rd->error);
}

/* The source's notes from detection, on stderr; named among several. */
static void
job_warnings(const struct status_job *j, bool many)
{
	struct buf clean = BUF_INIT;

	if (*sched_warnings(j->rd->db) == '\0' || j->o->format == REPORT_JSON)
		return;
	if (many) {
		report_put_id(&clean, j->s->context);
		buf_puts(&clean, ": ");
	}
	report_put_lines(&clean, sched_warnings(j->rd->db));
	fprintf(stderr, "dagtop: %s", buf_str(&clean));
	buf_free(&clean);
}

/* --- OpenMetrics ------------------------------------------------------------ */

static const char *const om_job_names[AF_NJOBS] = {
	[AF_JOB_SCHEDULER] = "scheduler",
	[AF_JOB_TRIGGERER] = "triggerer",
	[AF_JOB_DAG_PROCESSOR] = "dag_processor",
};

/* The families of the status report, declared for each context alike. */
static void
om_status_families(struct om *m)
{
	om_family(m, "dagtop_status_verdict", OM_GAUGE, "The status "
	    "report's verdict as its exit status: 0 OK, 1 warning, "
	    "2 critical, 3 unknown.");
	om_family(m, "dagtop_status_job_up", OM_GAUGE, "1 when the Airflow "
	    "job (scheduler, triggerer, dag_processor) heartbeats in time, "
	    "0 when it is down; absent when it never ran.");
	om_family(m, "dagtop_status_job_heartbeat_age_seconds", OM_GAUGE,
	    "Seconds since the job's newest heartbeat.");
	om_family(m, "dagtop_status_dags", OM_GAUGE,
	    "DAGs by state: active or paused.");
	om_family(m, "dagtop_status_dag_import_errors", OM_GAUGE,
	    "DAGs whose file has import errors.");
	om_family(m, "dagtop_status_window_seconds", OM_GAUGE,
	    "The window the run counts cover (--since), in seconds.");
	om_family(m, "dagtop_status_runs", OM_GAUGE,
	    "DAG runs of the window by state.");
	om_family(m, "dagtop_status_dag_failed_runs", OM_GAUGE, "Failed runs "
	    "of the window per DAG, the most first, at most "
	    "metrics_max_series DAGs.");
}

struct dag_count {
	const char	*dag_id;
	size_t		 n;
};

/* The most first, then by dag_id: the DAGs kept under the cap. */
static int
dag_count_cmp(const void *a, const void *b)
{
	const struct dag_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->dag_id, y->dag_id);
}

/* dagtop_status_dag_failed_runs, capped, and how many DAGs it left out. */
static void
om_failed_per_dag(struct om *m, const struct status_job *j,
    const char *context)
{
	struct dag_count	*v = xcalloc(j->runs.n + 1, sizeof *v);
	size_t			 i, k, n = 0, cap = report_max_series();

	for (i = 0; i < j->runs.n; i++) {
		const struct af_run *r = &j->runs.v[i];

		if (r->state != RUN_FAILED || r->dag_id == NULL)
			continue;
		for (k = 0; k < n && strcmp(v[k].dag_id, r->dag_id) != 0; k++)
			;
		if (k == n)
			v[n++].dag_id = r->dag_id;
		v[k].n++;
	}
	qsort(v, n, sizeof *v, dag_count_cmp);
	for (i = 0; i < n && i < cap; i++)
		om_add(m, "dagtop_status_dag_failed_runs", (double)v[i].n,
		    "context", context, "dag_id", v[i].dag_id, NULL);
	report_om_omitted(m, "status", context,
	    "dagtop_status_dag_failed_runs", n > cap ? n - cap : 0);
	free(v);
}

/* One context's metrics: what it read, or only that it could not. */
static void
om_status(struct om *m, const struct status_job *j)
{
	const struct status	*st = &j->status;
	const char		*ctx = j->s->context;
	const struct af_job_health *jh;
	int64_t			 seen;
	int			 k;

	report_om_read(m, "status", ctx, job_rc(j) != 3, (int64_t)time(NULL));
	om_status_families(m);
	om_add(m, "dagtop_status_verdict", job_rc(j), "context", ctx, NULL);
	if (job_rc(j) == 3)
		return;
	for (k = 0; k < AF_NJOBS; k++) {
		if (st->job[k] == HEALTH_ABSENT)
			continue;
		jh = &j->health.job[k];
		om_add(m, "dagtop_status_job_up", st->job[k] == HEALTH_OK,
		    "context", ctx, "job", om_job_names[k], NULL);
		seen = jh->last_heartbeat != TIME_NONE ? jh->last_heartbeat :
		    jh->last_seen;
		if (seen != TIME_NONE)
			om_add(m, "dagtop_status_job_heartbeat_age_seconds",
			    (double)(st->now - seen), "context", ctx, "job",
			    om_job_names[k], NULL);
	}
	om_add(m, "dagtop_status_dags", (double)st->nactive, "context", ctx,
	    "state", "active", NULL);
	om_add(m, "dagtop_status_dags", (double)st->npaused, "context", ctx,
	    "state", "paused", NULL);
	om_add(m, "dagtop_status_dag_import_errors",
	    (double)st->nimport_errors, "context", ctx, NULL);
	om_add(m, "dagtop_status_window_seconds", (double)j->o->since_span,
	    "context", ctx, NULL);
	for (k = 0; k < RUN_NSTATES; k++)
		if (k != RUN_UNKNOWN || st->runs_by_state[k] > 0)
			om_add(m, "dagtop_status_runs",
			    (double)st->runs_by_state[k], "context", ctx,
			    "state", run_state_name(k), NULL);
	om_failed_per_dag(m, j, ctx);
}

/* The metrics of contexts v[0..n), each read or not. */
static void
write_openmetrics(const struct status_job *v, size_t n)
{
	struct om	m;
	size_t		i;

	om_init(&m);
	for (i = 0; i < n; i++)
		om_status(&m, &v[i]);
	report_om_print(&m);
}

/* --- Slack --- */

/* The owners of DAG dag_id as Airflow has them, or NULL. */
static const char *
dag_owners(const struct af_dags *dags, const char *dag_id)
{
	size_t	i;

	for (i = 0; i < dags->n; i++)
		if (strcmp(dags->v[i].dag_id, dag_id) == 0)
			return dags->v[i].owners;
	return NULL;
}

/* The failed and retrying task instances of a run, inert: "a, b[2]". */
static void
slack_failed_tasks(struct buf *b, const struct af_ti *v, size_t n)
{
	size_t	i, shown = 0, more = 0;

	for (i = 0; i < n; i++) {
		if (v[i].state != TI_FAILED && v[i].state != TI_UP_FOR_RETRY)
			continue;
		if (shown == 20) {
			more++;
			continue;
		}
		if (shown++ > 0)
			buf_puts(b, ", ");
		slack_put_text(b, v[i].task_id);
		if (v[i].map_index >= 0)
			buf_printf(b, "[%d]", v[i].map_index);
	}
	if (shown == 0)
		buf_putc(b, '-');
	if (more > 0)
		buf_printf(b, " and %zu more", more);
}

/*
 * A section (an item) per failing DAG of the job: its newest failed run
 * in the window, that run's failed tasks, the DAG's owners, and how many
 * more runs of it failed.  Among several contexts each names its context.
 * Outside text is never inside our own *bold*: a label, then the text.
 */
static void
slack_failing_dags(struct status_job *j, struct slack_msg *m, bool many)
{
	const struct status	*st = &j->status;
	struct buf		 t = BUF_INIT;
	size_t			 i, k, first, n, more;
	bool			 seen;

	for (i = 0; i < st->nattention; i++) {
		const struct af_run *r = st->attention[i];

		if (r->state != RUN_FAILED)
			continue;
		for (k = 0, seen = false; k < i && !seen; k++)
			seen = st->attention[k]->state == RUN_FAILED &&
			    strcmp(st->attention[k]->dag_id, r->dag_id) == 0;
		if (seen)
			continue;
		for (k = i + 1, more = 0; k < st->nattention; k++)
			more += st->attention[k]->state == RUN_FAILED &&
			    strcmp(st->attention[k]->dag_id, r->dag_id) == 0;
		buf_reset(&t);
		if (many) {
			buf_puts(&t, "*Context* ");
			slack_put_text(&t, j->s->context);
			buf_putc(&t, '\n');
		}
		buf_puts(&t, ":x: *DAG* ");
		slack_put_text(&t, r->dag_id);
		buf_puts(&t, "\n*Failed run* ");
		slack_put_text(&t, r->run_id);
		if (r->end_date != TIME_NONE) {
			buf_puts(&t, ", ended ");
			fmt_time(&t, j->zone, r->end_date, FMT_LONG);
		}
		if (af_run_duration(r, st->now) >= 0) {
			buf_puts(&t, " (");
			fmt_duration(&t, af_run_duration(r, st->now));
			buf_putc(&t, ')');
		}
		if (more > 0)
			buf_printf(&t, "; %zu earlier failed run%s in the window",
			    more, more == 1 ? "" : "s");
		buf_puts(&t, "\n*Failed tasks* ");
		first = status_run_tis(&j->tis, r, &n);
		slack_failed_tasks(&t, &j->tis.v[first], n);
		buf_puts(&t, "\n*Owner* ");
		slack_put_text(&t, dag_owners(&j->dags, r->dag_id));
		slack_section(m, buf_str(&t), true);
	}
	buf_free(&t);
}

/* The context's state in a few lines: where, scheduler, runs, DAGs. */
static void
slack_overview(struct status_job *j, struct buf *t)
{
	const struct status	*st = &j->status;
	struct buf		 ver = BUF_INIT;
	size_t			 i, shown = 0;

	buf_puts(t, "*Context* ");
	slack_put_text(t, j->s->context != NULL ? j->s->context :
	    "(command line)");
	sched_describe(j->rd->db, &ver);
	buf_puts(t, ", ");
	slack_put_text(t, buf_str(&ver));
	buf_printf(t, "\n*Scheduler* %s", health_name(st->job[AF_JOB_SCHEDULER]));
	if (st->job[AF_JOB_TRIGGERER] != HEALTH_ABSENT)
		buf_printf(t, "   *Triggerer* %s",
		    health_name(st->job[AF_JOB_TRIGGERER]));
	buf_puts(t, "\n*Runs* since ");
	fmt_time(t, j->zone, j->since, FMT_LONG);
	buf_printf(t, ": %zu success, %zu failed, %zu running, %zu queued",
	    st->runs_by_state[RUN_SUCCESS], st->runs_by_state[RUN_FAILED],
	    st->runs_by_state[RUN_RUNNING], st->runs_by_state[RUN_QUEUED]);
	buf_printf(t, "\n*DAGs* %zu (%zu active, %zu paused, %zu with import "
	    "errors)", st->ndags, st->nactive, st->npaused,
	    st->nimport_errors);
	for (i = 0; i < j->dags.n; i++) {
		if (!j->dags.v[i].import_errors)
			continue;
		if (shown == 20) {
			buf_printf(t, " and %zu more", st->nimport_errors - 20);
			break;
		}
		buf_puts(t, shown++ == 0 ? "\n*Import errors* " : ", ");
		slack_put_text(t, j->dags.v[i].dag_id);
	}
	buf_free(&ver);
}

/* The message for one context that was read. */
static json_t *
status_slack(struct status_job *j)
{
	struct slack_msg	*m = slack_msg_new();
	struct buf		 t = BUF_INIT, src = BUF_INIT, fb = BUF_INIT;
	const char		*ctx[1];
	json_t			*doc;

	slack_header(m, buf_str(&j->status.summary));
	slack_overview(j, &t);
	slack_section(m, buf_str(&t), false);
	if (j->status.runs_by_state[RUN_FAILED] > 0)
		slack_divider(m);
	slack_failing_dags(j, m, false);
	buf_reset(&t);
	sched_describe(j->rd->db, &t);
	slack_read_from(&src, j->status.now, (int64_t)time(NULL),
	    j->rd->db->ops->kind, buf_str(&t));
	buf_puts(&src, "; context ");
	slack_put_text(&src, j->s->context != NULL ? j->s->context :
	    "(command line)");
	buf_puts(&src, "; dagtop report status");
	ctx[0] = buf_str(&src);
	slack_context(m, ctx, 1);
	slack_put_text(&fb, buf_str(&j->status.summary));
	doc = slack_msg_finish(m, buf_str(&fb), "failing DAGs");
	buf_free(&t);
	buf_free(&src);
	buf_free(&fb);
	return doc;
}

/*
 * The message over several contexts (rc the worst): the overall verdict
 * as header, a section per context that is not OK (first, so no cut loses
 * one), the OK ones named in one, then the failing DAGs of them all.
 */
static json_t *
status_slack_many(struct status_job *v, size_t n, int rc)
{
	static const int	 order[] = { 2, 3, 1, 0 };
	static const char *const words[] = { "ok", "warning", "critical",
	    "unknown" };
	struct slack_msg	*m = slack_msg_new();
	struct buf		 t = BUF_INIT, src = BUF_INIT;
	const char		*ctx[2];
	json_t			*doc;
	size_t			 i, k, count, ok = 0, failed = 0;
	int64_t			 read_at = (int64_t)time(NULL);
	bool			 first = true;

	buf_printf(&t, "%s: %zu contexts", report_verdict_word(rc), n);
	for (k = 0; k < 4; k++) {
		for (i = count = 0; i < n; i++)
			count += job_rc(&v[i]) == order[k];
		if (count == 0)
			continue;
		buf_printf(&t, "%s %zu %s", first ? ":" : ",", count,
		    words[order[k]]);
		first = false;
	}
	slack_header(m, buf_str(&t));
	doc = json_string(buf_str(&t));		/* the fallback, kept */
	for (i = 0; i < n; i++) {
		int r = job_rc(&v[i]);

		if (r == 0) {
			ok++;
			continue;
		}
		buf_reset(&t);
		buf_printf(&t, "*%s* ", report_verdict_word(r));
		slack_put_text(&t, v[i].s->context);
		buf_puts(&t, "\n");
		if (r == 3) {
			char *plain = scrub_dup(job_why(&v[i]),
			    v[i].s->database);

			slack_put_text(&t, job_what(&v[i]));
			buf_puts(&t, ": ");
			slack_put_text(&t, plain);
			free(plain);
		} else {
			slack_put_text(&t, buf_str(&v[i].status.summary));
			buf_putc(&t, '\n');
			slack_overview(&v[i], &t);
			failed += v[i].status.runs_by_state[RUN_FAILED];
			if (v[i].status.now < read_at)
				read_at = v[i].status.now;
		}
		slack_section(m, buf_str(&t), false);
	}
	if (ok > 0) {
		buf_reset(&t);
		buf_puts(&t, "*OK* ");
		for (i = k = 0; i < n; i++) {
			if (job_rc(&v[i]) != 0)
				continue;
			if (k++ > 0)
				buf_puts(&t, ", ");
			slack_put_text(&t, v[i].s->context);
			if (v[i].status.now < read_at)
				read_at = v[i].status.now;
		}
		slack_section(m, buf_str(&t), false);
	}
	if (failed > 0)
		slack_divider(m);
	for (i = 0; i < n; i++)
		if (job_rc(&v[i]) != 3)
			slack_failing_dags(&v[i], m, true);
	buf_puts(&src, "read ");
	fmt_duration(&src, (double)((int64_t)time(NULL) > read_at ?
	    (int64_t)time(NULL) - read_at : 0));
	buf_printf(&src, " ago from the Airflow sources of %zu contexts; "
	    "dagtop report status", n);
	ctx[0] = buf_str(&src);
	buf_reset(&t);
	for (i = 0; i < n; i++) {
		buf_puts(&t, i > 0 ? "; " : "");
		slack_put_text(&t, v[i].s->context);
		buf_puts(&t, ": ");
		slack_put_text(&t, job_rc(&v[i]) != 3 ? v[i].rd->db->ops->kind :
		    v[i].s->source != NULL ? v[i].s->source : "not read");
	}
	ctx[1] = buf_str(&t);
	slack_context(m, ctx, 2);
	buf_reset(&src);
	slack_put_text(&src, json_string_value(doc));
	json_decref(doc);
	doc = slack_msg_finish(m, buf_str(&src), "failing DAGs");
	buf_free(&t);
	buf_free(&src);
	return doc;
}

int
report_status(const struct settings *s, const struct report_options *o)
{
	struct status_job	 j;
	struct report_read	 rd;
	struct buf		 out = BUF_INIT;
	struct tz		*zone;
	json_t			*doc;
	int			 rc;

	if ((zone = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	job_init(&j, s, o, (int64_t)time(NULL) - o->since_span, &rd);
	j.zone = zone;
	report_read_init(&rd);
	j.read = report_read_run(&rd, s, start, &j);
	if (o->format == REPORT_OPENMETRICS) {
		rc = job_rc(&j);
		if (rc == 3)
			report_error(job_what(&j), job_why(&j));
		else
			job_warnings(&j, false);
		write_openmetrics(&j, 1);
	} else if (j.read != REPORT_READ_DONE)
		rc = report_unknown(o->format, job_what(&j), job_why(&j));
	else {
		rc = job_rc(&j);
		job_warnings(&j, false);
		if (o->format == REPORT_JSON) {
			doc = status_json(&j);
			report_json_print(doc);
			json_decref(doc);
		} else if (o->format == REPORT_CSV) {
			csv_header(&out, false);
			write_csv(&j, &out, false);
		} else if (o->quiet && rc == 0)
			;
		else if (o->format == REPORT_SLACK) {
			doc = status_slack(&j);
			report_json_print(doc);
			json_decref(doc);
		} else if (o->format == REPORT_MARKDOWN)
			write_markdown(&j, zone, &out, false);
		else
			write_text(&j, zone, &out);
		fputs(buf_str(&out), stdout);
	}
	fflush(stdout);
	report_read_close(&rd);
	job_clear(&j);
	buf_free(&out);
	return rc;
}

/* --- several contexts ------------------------------------------------------ */

/*
 * The worse of two exit statuses across contexts: CRITICAL, then UNKNOWN,
 * then WARNING, then OK.  A context known to be broken outranks one that
 * could not be read, which outranks a warning: dagtop(1) says why.
 */
static int
worse(int a, int b)
{
	static const int rank[] = { 0, 1, 3, 2 };

	return rank[b] > rank[a] ? b : a;
}

/*
 * The overall verdict: "CRITICAL: 3 contexts: 1 critical (prod), 1
 * unknown (stalled), 1 ok", the worst first, each name but the good ones.
 */
static void
overall_line(struct buf *b, const struct status_job *v, size_t n, int rc,
    bool md)
{
	static const int order[] = { 2, 3, 1, 0 };
	size_t	 i, k, count, named;
	bool	 first = true;

	buf_printf(b, "%s: %zu contexts", report_verdict_word(rc), n);
	for (k = 0; k < 4; k++) {
		for (i = count = 0; i < n; i++)
			count += job_rc(&v[i]) == order[k];
		if (count == 0)
			continue;
		buf_printf(b, "%s %zu %s", first ? ":" : ",", count,
		    report_status_word(order[k]));
		first = false;
		if (order[k] == 0)
			continue;
		buf_puts(b, " (");
		for (i = named = 0; i < n; i++) {
			if (job_rc(&v[i]) != order[k])
				continue;
			if (named++ > 0)
				buf_puts(b, ", ");
			report_put_text(b, v[i].s->context, md);
		}
		buf_putc(b, ')');
	}
}

/* "UNKNOWN: what: why" for a context that could not be read. */
static void
unknown_line(struct buf *b, const struct status_job *j, bool md)
{
	char *plain = scrub_dup(job_why(j), j->s->database);
	char *clean = sanitize_dup(plain, 0);

	if (md) {
		buf_puts(b, "**UNKNOWN: ");
		report_md_text(b, job_what(j));
		buf_puts(b, ": ");
		report_md_text(b, plain);
		buf_puts(b, "**\n");
	} else
		buf_printf(b, "UNKNOWN: %s: %s\n", job_what(j), clean);
	free(clean);
	free(plain);
}

/* The JSON of a context that could not be read, as report_unknown's. */
static json_t *
unknown_json(const struct status_job *j)
{
	json_t	*doc = json_object();
	char	*plain = scrub_dup(job_why(j), j->s->database);
	struct buf what = BUF_INIT;

	buf_printf(&what, "%s: %s", job_what(j), plain);
	json_object_set_new(doc, "status", json_string("unknown"));
	json_object_set_new(doc, "exit_code", json_integer(3));
	json_object_set_new(doc, "error", report_json_string(buf_str(&what)));
	json_object_set_new(doc, "context", report_json_string(j->s->context));
	json_object_set_new(doc, "source", json_string(j->s->source));
	buf_free(&what);
	free(plain);
	return doc;
}

/* The sections, one per context, then the overall verdict; rc the worst. */
static void
write_many(struct status_job *v, size_t n, int rc, struct buf *b)
{
	enum report_format	 f = v[0].o->format;
	json_t			*doc, *a;
	size_t			 i;

	if (f == REPORT_JSON) {
		doc = json_object();
		json_object_set_new(doc, "report", json_string("status"));
		json_object_set_new(doc, "status",
		    json_string(report_status_word(rc)));
		json_object_set_new(doc, "exit_code", json_integer(rc));
		a = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(a, job_rc(&v[i]) == 3 ?
			    unknown_json(&v[i]) : status_json(&v[i]));
		json_object_set_new(doc, "contexts", a);
		report_json_print(doc);
		json_decref(doc);
		return;
	}
	if (f == REPORT_OPENMETRICS) {
		write_openmetrics(v, n);
		return;
	}
	if (f == REPORT_CSV) {
		csv_header(b, true);
		for (i = 0; i < n; i++) {
			if (job_rc(&v[i]) != 3) {
				write_csv(&v[i], b, true);
				continue;
			}
			csv_context(&v[i], b, true);
			buf_puts(b, "unknown,,,unknown,,,,,,\n");
		}
		return;
	}
	if (v[0].o->quiet && rc == 0)
		return;
	if (f == REPORT_SLACK) {
		doc = status_slack_many(v, n, rc);
		report_json_print(doc);
		json_decref(doc);
		return;
	}
	/* The verdict first, as every text report's (monitoring reads it). */
	if (f == REPORT_MARKDOWN) {
		buf_puts(b, "**");
		overall_line(b, v, n, rc, true);
		buf_puts(b, "**\n");
	} else
		overall_line(b, v, n, rc, false);
	buf_putc(b, '\n');
	for (i = 0; i < n; i++) {
		buf_putc(b, '\n');
		if (f == REPORT_MARKDOWN && job_rc(&v[i]) == 3) {
			buf_puts(b, "## ");
			report_md_text(b, v[i].s->context);
			buf_puts(b, "\n\n");
			unknown_line(b, &v[i], true);
		} else if (f == REPORT_MARKDOWN)
			write_markdown(&v[i], v[i].zone, b, true);
		else {
			buf_puts(b, "== ");
			report_put_id(b, v[i].s->context);
			buf_putc(b, '\n');
			if (job_rc(&v[i]) == 3)
				unknown_line(b, &v[i], false);
			else
				write_text(&v[i], v[i].zone, b);
		}
	}
}

/* What status_read_all hands over once every context has answered. */
typedef void (*status_read_cb)(void *arg, struct status_job *v, size_t n);

/*
 * Every context of s[0..n) read at once in one loop (a context that
 * stalls fails on its own time limit), each job's read result set, then
 * done(arg, v, n) while the jobs and their sources live; the sources are
 * closed before the jobs are cleared (a read they end may still write to
 * its job).  o NULL: the jobs only judge (no zone, no task instances).
 */
static void
status_read_all(const struct settings *s, size_t n,
    const struct report_options *o, int64_t since, status_read_cb done,
    void *arg)
{
	struct report_reads	  g;
	struct status_job	 *v = xcalloc(n, sizeof *v);
	const struct settings	**sv = xcalloc(n, sizeof *sv);
	void			**jobs = xcalloc(n, sizeof *jobs);
	enum report_read_result	 *res = xcalloc(n, sizeof *res);
	size_t			  i;

	report_reads_init(&g, n);
	for (i = 0; i < n; i++) {
		job_init(&v[i], &s[i], o, since, &g.r[i]);
		if (o != NULL)
			v[i].zone = zoneinfo_load(s[i].timezone,
			    &v[i].zone_error);
		else
			v[i].judge_only = true;
		sv[i] = &s[i];
		jobs[i] = &v[i];
	}
	report_reads_run(&g, sv, start, jobs, res);
	for (i = 0; i < n; i++)
		v[i].read = res[i];
	done(arg, v, n);
	report_reads_close(&g);
	for (i = 0; i < n; i++)
		job_clear(&v[i]);
	free(v);
	free(sv);
	free(jobs);
	free(res);
}

/* report_status_many's part once read: its exit status in rc. */
static void
many_done(void *arg, struct status_job *v, size_t n)
{
	int		*rc = arg;
	struct buf	 out = BUF_INIT, what = BUF_INIT;
	size_t		 i;

	for (i = 0; i < n; i++) {
		*rc = worse(*rc, job_rc(&v[i]));
		if (job_rc(&v[i]) != 3) {
			job_warnings(&v[i], true);
			continue;
		}
		buf_reset(&what);
		report_put_id(&what, v[i].s->context);
		buf_printf(&what, ": %s", job_what(&v[i]));
		report_error(buf_str(&what), job_why(&v[i]));
	}
	write_many(v, n, *rc, &out);
	fputs(buf_str(&out), stdout);
	fflush(stdout);
	buf_free(&out);
	buf_free(&what);
}

int
report_status_many(const struct settings *s, size_t n,
    const struct report_options *o)
{
	int	rc = 0;

	status_read_all(s, n, o, (int64_t)time(NULL) - o->since_span,
	    many_done, &rc);
	return rc;
}

struct judge_arg {
	report_judged_cb	 judged;
	void			*arg;
};

/* report_status_judge's part once read: each context to judged. */
static void
judge_done(void *arg, struct status_job *v, size_t n)
{
	struct judge_arg	*ja = arg;
	struct buf		 why = BUF_INIT;
	size_t			 i;

	for (i = 0; i < n; i++) {
		char *plain;

		if (v[i].read == REPORT_READ_DONE && v[i].built) {
			ja->judged(ja->arg, i, &v[i].status,
			    sched_about(v[i].rd->db)->release, NULL);
			continue;
		}
		plain = scrub_dup(job_why(&v[i]), v[i].s->database);
		buf_reset(&why);
		buf_printf(&why, "%s: %s", job_what(&v[i]), plain);
		ja->judged(ja->arg, i, NULL, NULL, buf_str(&why));
		free(plain);
	}
	buf_free(&why);
}

void
report_status_judge(const struct settings *s, size_t n, int64_t since,
    report_judged_cb judged, void *arg)
{
	struct judge_arg	ja = { judged, arg };

	status_read_all(s, n, NULL, since, judge_done, &ja);
}
