/*
 * test_status.c: the verdict over a window of Airflow activity
 * (src/model/status.c): scheduler and triggerer health, failed runs and
 * import errors, the summary line with its plural forms, run counts, the
 * order of the runs that need attention, and the task instances of a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"
#include "status.h"

#define NOW	INT64_C(1795309323)
#define THRESH	30

/* What the sources would have read; freed by fixture_free. */
struct fixture {
	struct af_health	h;
	struct af_dags		dags;
	struct af_runs		runs;
	struct af_tis		tis;
	struct status		st;
};

static void
fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	af_health_clear(&f->h);
	f->h.now = NOW;
}

static void
fixture_free(struct fixture *f)
{
	status_clear(&f->st);
	af_health_clear(&f->h);
	af_dags_free(&f->dags);
	af_runs_free(&f->runs);
	af_tis_free(&f->tis);
}

static int
setup(void **state)
{
	struct fixture *f = malloc(sizeof *f);

	if (f == NULL)
		return -1;
	fixture_init(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture_free(*state);
	free(*state);
	return 0;
}

/* A job row summary as sched_fetch_health fills it. */
static void
job(struct fixture *f, enum af_job which, int running, int64_t heartbeat,
    int64_t last_seen)
{
	struct af_job_health *j = &f->h.job[which];

	j->seen = true;
	j->running = running;
	j->last_heartbeat = heartbeat;
	j->last_seen = last_seen;
	free(j->hostname);
	j->hostname = xstrdup("host-1");
}

static void
healthy_scheduler(struct fixture *f)
{
	job(f, AF_JOB_SCHEDULER, 1, NOW - 2, NOW - 2);
}

static struct af_run *
run(struct fixture *f, const char *dag, const char *id, enum run_state s,
    int64_t run_after)
{
	struct af_run *r = af_runs_push(&f->runs);

	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(id);
	r->state = s;
	r->state_raw = s == RUN_UNKNOWN ? xstrdup("archived") : NULL;
	r->run_type = xstrdup("scheduled");
	r->logical_date = r->run_after = r->order = run_after;
	r->queued_at = r->start_date = r->end_date = TIME_NONE;
	r->data_interval_start = r->data_interval_end = TIME_NONE;
	return r;
}

static struct af_dag *
dag(struct fixture *f, const char *id, bool active, bool paused,
    bool import_errors)
{
	struct af_dag *d = af_dags_push(&f->dags);

	d->dag_id = xstrdup(id);
	d->active = active;
	d->paused = paused;
	d->import_errors = import_errors;
	d->next_run = d->next_run_after = TIME_NONE;
	return d;
}

static void
build(struct fixture *f)
{
	status_clear(&f->st);
	status_build(&f->st, &f->h, &f->dags, &f->runs, NOW - 86400, THRESH);
}

static void
assert_summary(const struct fixture *f, enum verdict v, const char *want)
{
	if (strcmp(buf_str(&f->st.summary), want) != 0)
		fail_msg("summary \"%s\", want \"%s\"",
		    buf_str(&f->st.summary), want);
	assert_int_equal(f->st.verdict, v);
}

static void
test_scheduler_never_ran(void **state)
{
	struct fixture *f = *state;

	run(f, "etl", "r1", RUN_FAILED, NOW - 100);
	dag(f, "etl", true, false, true);
	build(f);
	assert_summary(f, VERDICT_CRITICAL,
	    "CRITICAL: scheduler down (no scheduler has ever run)");
	assert_int_equal(f->st.job[AF_JOB_SCHEDULER], HEALTH_DOWN);
	assert_int_equal(f->st.job[AF_JOB_TRIGGERER], HEALTH_ABSENT);
	assert_int_equal(f->st.job[AF_JOB_DAG_PROCESSOR], HEALTH_ABSENT);
	/* The counts are there even when the verdict is decided early. */
	assert_int_equal(f->st.runs_by_state[RUN_FAILED], 1);
	assert_int_equal(f->st.nimport_errors, 1);
	assert_int_equal(f->st.nattention, 1);
}

static void
test_scheduler_stale_heartbeat(void **state)
{
	struct fixture *f = *state;

	/* Died without cleanup: still "running", heartbeat two minutes old. */
	job(f, AF_JOB_SCHEDULER, 1, NOW - 120, NOW - 120);
	build(f);
	assert_summary(f, VERDICT_CRITICAL,
	    "CRITICAL: scheduler down (last heartbeat 2m00s ago)");
	/* Exactly the threshold is down; one second younger is alive. */
	job(f, AF_JOB_SCHEDULER, 1, NOW - THRESH, NOW - THRESH);
	build(f);
	assert_summary(f, VERDICT_CRITICAL,
	    "CRITICAL: scheduler down (last heartbeat 30s ago)");
	job(f, AF_JOB_SCHEDULER, 1, NOW - THRESH + 1, NOW - THRESH + 1);
	build(f);
	assert_summary(f, VERDICT_OK, "OK: scheduler healthy, 0 runs, "
	    "none failed");
	assert_int_equal(f->st.job[AF_JOB_SCHEDULER], HEALTH_OK);
}

static void
test_scheduler_stopped(void **state)
{
	struct fixture *f = *state;

	/* Rows, none running; the newest heartbeat of any row is reported. */
	job(f, AF_JOB_SCHEDULER, 0, TIME_NONE, NOW - 3600);
	run(f, "etl", "r1", RUN_FAILED, NOW - 100);
	build(f);
	assert_summary(f, VERDICT_CRITICAL,
	    "CRITICAL: scheduler down (last heartbeat 1h00m ago)");
	job(f, AF_JOB_SCHEDULER, 0, TIME_NONE, NOW - 2 * 86400 - 7200);
	build(f);
	assert_summary(f, VERDICT_CRITICAL,
	    "CRITICAL: scheduler down (last heartbeat 2d02h ago)");
	assert_string_equal(verdict_name(f->st.verdict), "CRITICAL");
}

static void
test_failed_runs(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	run(f, "etl", "r1", RUN_FAILED, NOW - 100);
	run(f, "etl", "r2", RUN_SUCCESS, NOW - 50);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: 1 failed run");
	assert_string_equal(verdict_name(f->st.verdict), "WARNING");
	run(f, "report", "r1", RUN_FAILED, NOW - 10);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: 2 failed runs");
	run(f, "report", "r0", RUN_FAILED, NOW - 20);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: 3 failed runs");
}

static void
test_import_errors(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	dag(f, "a", true, false, false);
	dag(f, "b", true, false, true);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: 1 DAG with import errors");
	dag(f, "c", false, true, true);
	dag(f, "d", true, true, true);
	build(f);
	assert_summary(f, VERDICT_WARNING,
	    "WARNING: 3 DAGs with import errors");
}

static void
test_triggerer(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	run(f, "etl", "r1", RUN_SUCCESS, NOW - 100);
	/* Never deployed: fine. */
	build(f);
	assert_int_equal(f->st.job[AF_JOB_TRIGGERER], HEALTH_ABSENT);
	assert_summary(f, VERDICT_OK, "OK: scheduler healthy, 1 run, "
	    "none failed");
	/* Deployed and alive. */
	job(f, AF_JOB_TRIGGERER, 1, NOW - 5, NOW - 5);
	build(f);
	assert_int_equal(f->st.job[AF_JOB_TRIGGERER], HEALTH_OK);
	assert_summary(f, VERDICT_OK, "OK: scheduler healthy, 1 run, "
	    "none failed");
	/* Deployed, now stopped, or stale. */
	job(f, AF_JOB_TRIGGERER, 0, TIME_NONE, NOW - 600);
	build(f);
	assert_int_equal(f->st.job[AF_JOB_TRIGGERER], HEALTH_DOWN);
	assert_summary(f, VERDICT_WARNING, "WARNING: triggerer down");
	job(f, AF_JOB_TRIGGERER, 1, NOW - 300, NOW - 300);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: triggerer down");
}

static void
test_all_warnings_together(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	job(f, AF_JOB_TRIGGERER, 0, TIME_NONE, NOW - 600);
	dag(f, "a", true, false, true);
	run(f, "a", "r1", RUN_FAILED, NOW - 100);
	run(f, "a", "r2", RUN_FAILED, NOW - 50);
	build(f);
	assert_summary(f, VERDICT_WARNING, "WARNING: 2 failed runs, 1 DAG "
	    "with import errors, triggerer down");
	/* Without the failed runs the separators still come out right. */
	af_runs_free(&f->runs);
	build(f);
	assert_summary(f, VERDICT_WARNING,
	    "WARNING: 1 DAG with import errors, triggerer down");
	f->dags.v[0].import_errors = false;
	run(f, "a", "r1", RUN_FAILED, NOW - 100);
	build(f);
	assert_summary(f, VERDICT_WARNING,
	    "WARNING: 1 failed run, triggerer down");
}

static void
test_all_good(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	build(f);
	assert_summary(f, VERDICT_OK, "OK: scheduler healthy, 0 runs, "
	    "none failed");
	assert_string_equal(verdict_name(f->st.verdict), "OK");
	assert_int_equal(f->st.nattention, 0);
	run(f, "etl", "r1", RUN_SUCCESS, NOW - 300);
	run(f, "etl", "r2", RUN_RUNNING, NOW - 200);
	run(f, "etl", "r3", RUN_QUEUED, NOW - 100);
	dag(f, "etl", true, false, false);
	build(f);
	assert_summary(f, VERDICT_OK, "OK: scheduler healthy, 3 runs, "
	    "none failed");
	assert_int_equal(f->st.job[AF_JOB_SCHEDULER], HEALTH_OK);
}

static void
test_counts(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	dag(f, "a", true, false, false);
	dag(f, "b", true, true, false);
	dag(f, "c", false, true, true);
	dag(f, "d", true, false, true);
	dag(f, "e", false, false, false);
	run(f, "a", "1", RUN_SUCCESS, NOW - 10);
	run(f, "a", "2", RUN_SUCCESS, NOW - 20);
	run(f, "a", "3", RUN_FAILED, NOW - 30);
	run(f, "b", "1", RUN_RUNNING, NOW - 40);
	run(f, "b", "2", RUN_RUNNING, NOW - 50);
	run(f, "b", "3", RUN_RUNNING, NOW - 60);
	run(f, "d", "1", RUN_QUEUED, NOW - 70);
	run(f, "d", "2", RUN_UNKNOWN, NOW - 80);
	build(f);
	assert_true(f->st.now == NOW);
	assert_true(f->st.since == NOW - 86400);
	assert_int_equal(f->st.threshold, THRESH);
	assert_int_equal(f->st.nruns, 8);
	assert_int_equal(f->st.runs_by_state[RUN_SUCCESS], 2);
	assert_int_equal(f->st.runs_by_state[RUN_FAILED], 1);
	assert_int_equal(f->st.runs_by_state[RUN_RUNNING], 3);
	assert_int_equal(f->st.runs_by_state[RUN_QUEUED], 1);
	assert_int_equal(f->st.runs_by_state[RUN_UNKNOWN], 1);
	assert_int_equal(f->st.ndags, 5);
	assert_int_equal(f->st.nactive, 3);
	assert_int_equal(f->st.npaused, 2);
	assert_int_equal(f->st.nimport_errors, 2);
	assert_int_equal(f->st.nattention, 5);
	assert_summary(f, VERDICT_WARNING, "WARNING: 1 failed run, 2 DAGs "
	    "with import errors");
}

/* "dag/run" of each run that needs attention, in order. */
static void
assert_attention(const struct fixture *f, const char *want)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < f->st.nattention; i++)
		buf_printf(&b, "%s%s/%s", i ? " " : "",
		    f->st.attention[i]->dag_id, f->st.attention[i]->run_id);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("attention \"%s\", want \"%s\"", buf_str(&b), want);
	buf_free(&b);
}

static void
test_attention_order(void **state)
{
	struct fixture	*f = *state;
	size_t		 i, k;

	healthy_scheduler(f);
	run(f, "a", "q_old", RUN_QUEUED, NOW - 500);
	run(f, "a", "ok", RUN_SUCCESS, NOW - 1);
	run(f, "b", "f_old", RUN_FAILED, NOW - 900);
	run(f, "c", "r_new", RUN_RUNNING, NOW - 10);
	run(f, "a", "f_new", RUN_FAILED, NOW - 20);
	run(f, "b", "q_new", RUN_QUEUED, NOW - 5);
	run(f, "d", "odd", RUN_UNKNOWN, NOW - 2);
	run(f, "a", "r_old", RUN_RUNNING, NOW - 700);
	/* Same instant: by dag_id, then run_id. */
	run(f, "z", "f_tie", RUN_FAILED, NOW - 300);
	run(f, "m", "f_tie2", RUN_FAILED, NOW - 300);
	run(f, "m", "f_tie1", RUN_FAILED, NOW - 300);
	/* No run_after at all: after every dated one of its group. */
	run(f, "a", "f_undated", RUN_FAILED, TIME_NONE);
	build(f);
	assert_attention(f, "a/f_new m/f_tie1 m/f_tie2 z/f_tie b/f_old "
	    "a/f_undated c/r_new a/r_old b/q_new a/q_old");
	/* Borrowed: the pointers are the caller's runs. */
	for (i = 0; i < f->st.nattention; i++) {
		for (k = 0; k < f->runs.n; k++)
			if (f->st.attention[i] == &f->runs.v[k])
				break;
		assert_true(k < f->runs.n);
	}
}

static int
cmp_newest(const void *a, const void *b)
{
	return af_run_cmp_newest(a, b);
}

/*
 * Airflow 2.x: a scheduled run failed; an engineer triggered a run by hand
 * three hours later.  The manual run got the last complete data interval,
 * the scheduled run's, so both have one run_after (data_interval_end), and
 * by run_id "manual__" sorts before "scheduled__".  Airflow orders by
 * execution_date, the trigger time for the manual run: it is the newest,
 * its state (success) the DAG's latest.
 */
static void
test_manual_run_is_newest(void **state)
{
	struct fixture	*f = *state;
	struct af_run	*sched, *man;
	int64_t		 day = NOW - NOW % 86400;

	healthy_scheduler(f);
	sched = run(f, "etl", "scheduled__2026-12-03T00:00:00+00:00",
	    RUN_FAILED, day);
	sched->logical_date = sched->order = day - 86400;
	sched->data_interval_start = day - 86400;
	sched->data_interval_end = day;
	man = run(f, "etl", "manual__2026-12-04T03:00:00+00:00", RUN_SUCCESS,
	    day);
	man->logical_date = man->order = day + 3 * 3600;
	free(man->run_type);
	man->run_type = xstrdup("manual");
	man->data_interval_start = day - 86400;
	man->data_interval_end = day;
	/* A failure a day older by execution_date, with the same run_after. */
	run(f, "etl", "scheduled__2026-12-02T00:00:00+00:00", RUN_FAILED,
	    day)->order = day - 2 * 86400;
	/* A push may move the array: the first two, found again. */
	sched = &f->runs.v[0];
	man = &f->runs.v[1];

	assert_true(af_run_cmp_newest(man, sched) < 0);
	assert_true(af_run_cmp_newest(sched, man) > 0);
	assert_int_equal(af_run_cmp_newest(man, man), 0);
	qsort(f->runs.v, f->runs.n, sizeof *f->runs.v, cmp_newest);
	assert_string_equal(f->runs.v[0].run_id,
	    "manual__2026-12-04T03:00:00+00:00");
	assert_int_equal(f->runs.v[0].state, RUN_SUCCESS);
	assert_string_equal(f->runs.v[1].run_id,
	    "scheduled__2026-12-03T00:00:00+00:00");
	assert_string_equal(f->runs.v[2].run_id,
	    "scheduled__2026-12-02T00:00:00+00:00");

	/* The failures needing attention: the newer by execution_date first. */
	build(f);
	assert_attention(f, "etl/scheduled__2026-12-03T00:00:00+00:00 "
	    "etl/scheduled__2026-12-02T00:00:00+00:00");
}

/* One instant: the larger run_id first, whatever order they came in. */
static void
test_newest_tie(void **state)
{
	struct af_run a = { 0 }, b = { 0 };

	(void)state;
	a.order = b.order = 100;
	a.run_id = "manual__b";
	b.run_id = "manual__a";
	assert_true(af_run_cmp_newest(&a, &b) < 0);
	assert_true(af_run_cmp_newest(&b, &a) > 0);
	b.order = TIME_NONE;
	assert_true(af_run_cmp_newest(&a, &b) < 0);
}

static void
test_status_clear(void **state)
{
	struct fixture *f = *state;

	healthy_scheduler(f);
	run(f, "a", "1", RUN_FAILED, NOW);
	build(f);
	status_clear(&f->st);
	assert_null(f->st.attention);
	assert_int_equal(f->st.nattention, 0);
	assert_int_equal(f->st.nruns, 0);
	assert_null(f->st.summary.data);
	assert_string_equal(buf_str(&f->st.summary), "");
	status_clear(&f->st);	/* twice is harmless */
}

static void
test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(VERDICT_OK), "OK");
	assert_string_equal(verdict_name(VERDICT_WARNING), "WARNING");
	assert_string_equal(verdict_name(VERDICT_CRITICAL), "CRITICAL");
	assert_string_equal(verdict_name(VERDICT_UNKNOWN), "UNKNOWN");
	/* The exit statuses of DESIGN.md. */
	assert_int_equal(VERDICT_OK, 0);
	assert_int_equal(VERDICT_WARNING, 1);
	assert_int_equal(VERDICT_CRITICAL, 2);
}

static void
ti(struct fixture *f, const char *dag_id, const char *run_id,
    const char *task_id)
{
	struct af_ti *t = af_tis_push(&f->tis);

	t->dag_id = xstrdup(dag_id);
	t->run_id = xstrdup(run_id);
	t->task_id = xstrdup(task_id);
	t->map_index = -1;
	t->start_date = t->end_date = TIME_NONE;
	t->duration = -1;
}

/* The task ids status_run_tis returns for one run, in order. */
static void
assert_run_tis(struct fixture *f, const char *dag_id, const char *run_id,
    size_t want_first, const char *want)
{
	struct af_run	 r;
	struct buf	 b = BUF_INIT;
	size_t		 first, n = 12345, i;

	memset(&r, 0, sizeof r);
	r.dag_id = (char *)dag_id;
	r.run_id = (char *)run_id;
	first = status_run_tis(&f->tis, &r, &n);
	assert_true(first <= f->tis.n);
	assert_true(n <= f->tis.n - first);
	for (i = first; i < first + n; i++)
		buf_printf(&b, "%s%s", i > first ? " " : "",
		    f->tis.v[i].task_id);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("%s/%s: tasks \"%s\", want \"%s\"", dag_id, run_id,
		    buf_str(&b), want);
	buf_free(&b);
	if (n > 0)
		assert_int_equal(first, want_first);
}

static void
test_run_tis(void **state)
{
	struct fixture *f = *state;

	/* Sorted by dag_id, run_id in byte order, as afdb returns them. */
	ti(f, "a", "r1", "extract");
	ti(f, "a", "r1", "load");
	ti(f, "a", "r10", "extract");
	ti(f, "a", "r2", "extract");
	ti(f, "a", "r2", "transform");
	ti(f, "a", "r2", "load");
	ti(f, "b", "r1", "only");
	ti(f, "c", "r9", "x");
	ti(f, "c", "r9", "y");

	assert_run_tis(f, "a", "r1", 0, "extract load");	/* first */
	assert_run_tis(f, "a", "r10", 2, "extract");
	assert_run_tis(f, "a", "r2", 3, "extract transform load");
	assert_run_tis(f, "b", "r1", 6, "only");
	assert_run_tis(f, "c", "r9", 7, "x y");			/* last */
	/* Missing: before all, between, within a DAG, after all. */
	assert_run_tis(f, "0", "r1", 0, "");
	assert_run_tis(f, "a", "r0", 0, "");
	assert_run_tis(f, "a", "r3", 0, "");
	assert_run_tis(f, "b", "r2", 0, "");
	assert_run_tis(f, "bb", "r1", 0, "");
	assert_run_tis(f, "c", "r", 0, "");
	assert_run_tis(f, "zzz", "r1", 0, "");
	/* An empty list. */
	af_tis_free(&f->tis);
	assert_run_tis(f, "a", "r1", 0, "");
	/* A single TI. */
	ti(f, "a", "r1", "solo");
	assert_run_tis(f, "a", "r1", 0, "solo");
	assert_run_tis(f, "a", "r2", 0, "");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_scheduler_never_ran),
		T(test_scheduler_stale_heartbeat),
		T(test_scheduler_stopped),
		T(test_failed_runs),
		T(test_import_errors),
		T(test_triggerer),
		T(test_all_warnings_together),
		T(test_all_good),
		T(test_counts),
		T(test_attention_order),
		T(test_manual_run_is_newest),
		cmocka_unit_test(test_newest_tie),
		T(test_status_clear),
		cmocka_unit_test(test_verdict_names),
		T(test_run_tis),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
