/*
 * test_digest.c: the weekly digest's failures section and reruns
 * (src/model/digest_failures.c) on a designed week, every figure
 * computed by hand below; and the digest's exit status (digest.c).
 *
 * The week is [FROM, TO): Monday 2026-11-30 to Monday 2026-12-07, UTC.
 *
 *   DAG etl (owners data-eng)
 *     backfill__old      success  logical FROM-10d  ended FROM+1d+2h30m
 *     scheduled__1129    success  logical FROM-1d   ended FROM+1h
 *     scheduled__1130    FAILED   logical FROM      ended FROM+1d+2h
 *                        extract failed, transform upstream_failed,
 *                        extract2 up_for_retry
 *     manual__rerun      success  logical FROM+1d+3h ended FROM+1d+5h10m
 *     scheduled__1202    FAILED   logical FROM+2d   ended FROM+6d+20h
 *                        extract failed, load_tbl[0] and [1] failed
 *     scheduled__1203    success  logical FROM+3d   ended FROM+7d+2h (next week)
 *   DAG load (owners ops)
 *     scheduled__1201    FAILED   logical FROM+1d   ended FROM+1d+1h: copy
 *     scheduled__1202    FAILED   logical FROM+2d   ended FROM+2d+1h: copy, check
 *   DAG quiet
 *     scheduled__1128    FAILED   ended FROM-1h (before the week): t failed
 *     scheduled__1130    success  ended FROM+3h
 *     scheduled__1201    running  (no end)
 *
 * Ended in the week: etl 5 (all but 1203), load 2, quiet 1 = 8 runs;
 * failed 4 (etl 1130, 1202; load 1201, 1202).
 * Failed tasks (final state failed, upstream_failed and retries not):
 *   etl: extract 2 (2 runs), load_tbl 2 (1 run) = 4; load: copy 2 (2 runs),
 *   check 1 = 3.  DAGs: etl (2 failed runs, 4 tasks) before load (2, 3).
 *   Tasks: etl.extract 2/2, load.copy 2/2, etl.load_tbl 2/1, load.check 1/1.
 * Recoveries, by failure time:
 *   load 1201 (FROM+1d+1h) never: load has no success;
 *   etl 1130 (FROM+1d+2h): backfill__old ended later but for an older
 *     logical date, so manual__rerun: 3h10m = 11400 s;
 *   load 1202 never;
 *   etl 1202 (FROM+6d+20h): scheduled__1203 in the next week: 6h = 21600 s.
 *   median (11400 + 21600) / 2 = 16500, max 21600, 2 not recovered.
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
#include "buf.h"
#include "digest.h"
#include "digest_read.h"

#define FROM	INT64_C(1795996800)	/* 2026-11-30T00:00:00Z */
#define TO	(FROM + 7 * D)
#define H	INT64_C(3600)
#define D	INT64_C(86400)

static void
run(struct af_runs *v, const char *dag, const char *id, enum run_state st,
    int64_t logical, int64_t end)
{
	struct af_run *r = af_runs_push(v);

	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(id);
	r->state = st;
	r->logical_date = logical;
	r->run_after = logical != TIME_NONE ? logical + D : TIME_NONE;
	r->order = logical;
	r->queued_at = r->data_interval_start = r->data_interval_end = TIME_NONE;
	r->start_date = end != TIME_NONE ? end - H : logical;
	r->end_date = end;
}

static void
ti(struct af_tis *v, const char *dag, const char *run_id, const char *task,
    int map, enum ti_state st)
{
	struct af_ti *t = af_tis_push(v);

	t->dag_id = xstrdup(dag);
	t->run_id = xstrdup(run_id);
	t->task_id = xstrdup(task);
	t->map_index = map;
	t->state = st;
	t->try_number = 1;
	t->start_date = t->end_date = TIME_NONE;
}

static void
dag(struct af_dags *v, const char *id, const char *owners)
{
	struct af_dag *d = af_dags_push(v);

	d->dag_id = xstrdup(id);
	d->owners = xstrdup(owners);
	d->active = true;
}

struct week {
	struct af_runs	runs;
	struct af_tis	tis;
	struct af_dags	dags;
};

static int
setup(void **state)
{
	struct week *w = calloc(1, sizeof *w);

	dag(&w->dags, "etl", "data-eng");
	dag(&w->dags, "load", "ops");
	dag(&w->dags, "quiet", "");
	/* The source's order is not the digest's: newest first here. */
	run(&w->runs, "etl", "scheduled__1203", RUN_SUCCESS, FROM + 3 * D,
	    FROM + 7 * D + 2 * H);
	run(&w->runs, "etl", "scheduled__1202", RUN_FAILED, FROM + 2 * D,
	    FROM + 6 * D + 20 * H);
	run(&w->runs, "etl", "manual__rerun", RUN_SUCCESS, FROM + D + 3 * H,
	    FROM + D + 5 * H + 10 * 60);
	run(&w->runs, "etl", "scheduled__1130", RUN_FAILED, FROM,
	    FROM + D + 2 * H);
	run(&w->runs, "etl", "scheduled__1129", RUN_SUCCESS, FROM - D,
	    FROM + H);
	run(&w->runs, "etl", "backfill__old", RUN_SUCCESS, FROM - 10 * D,
	    FROM + D + 2 * H + 30 * 60);
	run(&w->runs, "load", "scheduled__1202", RUN_FAILED, FROM + 2 * D,
	    FROM + 2 * D + H);
	run(&w->runs, "load", "scheduled__1201", RUN_FAILED, FROM + D,
	    FROM + D + H);
	run(&w->runs, "quiet", "scheduled__1201", RUN_RUNNING, FROM + D,
	    TIME_NONE);
	run(&w->runs, "quiet", "scheduled__1130", RUN_SUCCESS, FROM,
	    FROM + 3 * H);
	run(&w->runs, "quiet", "scheduled__1128", RUN_FAILED, FROM - 2 * D,
	    FROM - H);

	ti(&w->tis, "etl", "scheduled__1130", "extract", -1, TI_FAILED);
	ti(&w->tis, "etl", "scheduled__1130", "extract2", -1, TI_UP_FOR_RETRY);
	ti(&w->tis, "etl", "scheduled__1130", "transform", -1,
	    TI_UPSTREAM_FAILED);
	ti(&w->tis, "etl", "scheduled__1202", "extract", -1, TI_FAILED);
	ti(&w->tis, "etl", "scheduled__1202", "load_tbl", 0, TI_FAILED);
	ti(&w->tis, "etl", "scheduled__1202", "load_tbl", 1, TI_FAILED);
	ti(&w->tis, "load", "scheduled__1201", "copy", -1, TI_FAILED);
	ti(&w->tis, "load", "scheduled__1202", "check", -1, TI_FAILED);
	ti(&w->tis, "load", "scheduled__1202", "copy", -1, TI_FAILED);
	/* Of a failed run before the week: not the week's. */
	ti(&w->tis, "quiet", "scheduled__1128", "t", -1, TI_FAILED);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct week *w = *state;

	af_runs_free(&w->runs);
	af_tis_free(&w->tis);
	af_dags_free(&w->dags);
	free(w);
	return 0;
}

static void
test_failed_runs(void **state)
{
	struct week		 *w = *state;
	const struct af_run	**v;
	size_t			  n;

	n = digest_failed_runs(&w->runs, FROM, TO, &v);
	assert_int_equal(n, 4);
	/* By DAG, then run: the order the TIs are looked up in. */
	assert_string_equal(v[0]->dag_id, "etl");
	assert_string_equal(v[0]->run_id, "scheduled__1130");
	assert_string_equal(v[1]->run_id, "scheduled__1202");
	assert_string_equal(v[2]->dag_id, "load");
	assert_string_equal(v[2]->run_id, "scheduled__1201");
	assert_string_equal(v[3]->run_id, "scheduled__1202");
	free(v);
	/* A week before: only quiet's failure, which ended at FROM - 1h. */
	n = digest_failed_runs(&w->runs, FROM - 7 * D, FROM, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0]->dag_id, "quiet");
	free(v);
}

static void
test_dags_and_tasks(void **state)
{
	struct week	*w = *state;
	struct digest	 d;

	digest_init(&d);
	digest_failures_build(&d.failures, FROM, TO, &w->runs, &w->tis,
	    &w->dags);
	assert_int_equal(d.failures.runs, 8);
	assert_int_equal(d.failures.failed_runs, 4);

	assert_int_equal(d.failures.ndags, 2);
	assert_string_equal(d.failures.dags[0].dag_id, "etl");
	assert_string_equal(d.failures.dags[0].owner, "data-eng");
	assert_int_equal(d.failures.dags[0].runs, 5);
	assert_int_equal(d.failures.dags[0].failed_runs, 2);
	assert_int_equal(d.failures.dags[0].failed_tasks, 4);
	assert_string_equal(d.failures.dags[1].dag_id, "load");
	assert_string_equal(d.failures.dags[1].owner, "ops");
	assert_int_equal(d.failures.dags[1].runs, 2);
	assert_int_equal(d.failures.dags[1].failed_runs, 2);
	assert_int_equal(d.failures.dags[1].failed_tasks, 3);

	assert_int_equal(d.failures.ntasks, 4);
	assert_string_equal(d.failures.tasks[0].dag_id, "etl");
	assert_string_equal(d.failures.tasks[0].task_id, "extract");
	assert_int_equal(d.failures.tasks[0].failures, 2);
	assert_int_equal(d.failures.tasks[0].runs, 2);
	assert_string_equal(d.failures.tasks[1].dag_id, "load");
	assert_string_equal(d.failures.tasks[1].task_id, "copy");
	assert_int_equal(d.failures.tasks[1].failures, 2);
	assert_int_equal(d.failures.tasks[1].runs, 2);
	assert_string_equal(d.failures.tasks[2].task_id, "load_tbl");
	assert_int_equal(d.failures.tasks[2].failures, 2);
	assert_int_equal(d.failures.tasks[2].runs, 1);
	assert_string_equal(d.failures.tasks[3].task_id, "check");
	assert_int_equal(d.failures.tasks[3].failures, 1);
	assert_int_equal(d.failures.tasks[3].runs, 1);
	digest_free(&d);
}

static void
test_recoveries(void **state)
{
	struct week			*w = *state;
	struct digest			 d;
	const struct digest_recovery	*r;

	digest_init(&d);
	digest_failures_build(&d.failures, FROM, TO, &w->runs, &w->tis,
	    &w->dags);
	assert_int_equal(d.failures.nrecoveries, 4);
	r = d.failures.recoveries;
	assert_string_equal(r[0].dag_id, "load");
	assert_string_equal(r[0].run_id, "scheduled__1201");
	assert_true(r[0].failed_at == FROM + D + H);
	assert_true(r[0].recovered_at == TIME_NONE);
	assert_null(r[0].recovered_by);
	/* Not backfill__old: it ended later, for an older logical date. */
	assert_string_equal(r[1].dag_id, "etl");
	assert_string_equal(r[1].run_id, "scheduled__1130");
	assert_string_equal(r[1].recovered_by, "manual__rerun");
	assert_true(r[1].recovered_at - r[1].failed_at == 3 * H + 10 * 60);
	assert_string_equal(r[2].dag_id, "load");
	assert_true(r[2].recovered_at == TIME_NONE);
	/* Recovered the next week: the runs after the week serve here. */
	assert_string_equal(r[3].run_id, "scheduled__1202");
	assert_string_equal(r[3].recovered_by, "scheduled__1203");
	assert_true(r[3].recovered_at - r[3].failed_at == 6 * H);
	assert_true(d.failures.recovery_median == 16500);
	assert_true(d.failures.recovery_max == 21600);
	assert_int_equal(d.failures.unrecovered, 2);
	digest_free(&d);
}

/* A week with nothing: no DAG, no median. */
static void
test_empty_week(void **state)
{
	struct week	*w = *state;
	struct digest	 d;

	digest_init(&d);
	digest_failures_build(&d.failures, FROM + 14 * D, FROM + 21 * D,
	    &w->runs, &w->tis, &w->dags);
	assert_int_equal(d.failures.runs, 0);
	assert_int_equal(d.failures.ndags, 0);
	assert_int_equal(d.failures.ntasks, 0);
	assert_int_equal(d.failures.nrecoveries, 0);
	assert_true(d.failures.recovery_median == -1);
	assert_true(d.failures.recovery_max == -1);
	digest_free(&d);
}

static const char audit_log[] =
    /* An intent: not a rerun (its outcome follows). */
    "{\"time\":\"2026-12-01T02:59:59Z\",\"id\":\"a\",\"record\":\"intent\","
    "\"user\":\"alice\",\"context\":\"prod\",\"action\":\"clear\","
    "\"dag_id\":\"etl\",\"run_id\":\"scheduled__1130\",\"result\":\"intent\"}\n"
    "{\"time\":\"2026-12-01T03:00:00Z\",\"id\":\"a\",\"record\":\"outcome\","
    "\"user\":\"alice\",\"context\":\"prod\",\"action\":\"clear\","
    "\"dag_id\":\"etl\",\"run_id\":\"scheduled__1130\",\"cleared\":[],"
    "\"count\":3,\"result\":\"cleared\"}\n"
    /* The week before. */
    "{\"time\":\"2026-11-29T23:00:00Z\",\"id\":\"b\",\"record\":\"outcome\","
    "\"user\":\"carol\",\"context\":\"prod\",\"action\":\"clear\","
    "\"dag_id\":\"etl\",\"run_id\":\"x\",\"count\":1,\"result\":\"cleared\"}\n"
    "garbage {not json\n"
    "{\"time\":\"2026-11-30T02:00:00Z\",\"id\":\"c\",\"record\":\"outcome\","
    "\"user\":\"bob\",\"context\":null,\"action\":\"clear\","
    "\"dag_id\":\"load\",\"run_id\":\"scheduled__1201\",\"cleared\":null,"
    "\"count\":null,\"result\":\"outcome unknown: timeout\"}\n"
    /* At the week's end: the next week's. */
    "{\"time\":\"2026-12-07T00:00:00Z\",\"id\":\"d\",\"record\":\"outcome\","
    "\"user\":\"dave\",\"action\":\"clear\",\"dag_id\":\"etl\","
    "\"run_id\":\"y\",\"count\":1,\"result\":\"cleared\"}\n"
    /* An outcome without its user: malformed. */
    "{\"time\":\"2026-12-02T00:00:00Z\",\"record\":\"outcome\","
    "\"action\":\"clear\",\"dag_id\":\"etl\",\"run_id\":\"z\","
    "\"result\":\"cleared\"}\n"
    "   \n"
    "[1]\n"
    /* A refusal, the last line without its newline. */
    "{\"time\":\"2026-12-06T23:59:59Z\",\"id\":\"e\",\"record\":\"outcome\","
    "\"user\":\"eve\",\"context\":\"prod\",\"action\":\"clear\","
    "\"dag_id\":\"etl\",\"run_id\":\"scheduled__1202\",\"count\":0,"
    "\"result\":\"refused: read-only\"}";

static void
test_reruns(void **state)
{
	struct digest			 d;
	const struct digest_rerun	*r;
	size_t				 bad;

	(void)state;
	digest_init(&d);
	bad = digest_reruns_parse(&d.failures, audit_log, strlen(audit_log),
	    FROM, TO);
	/* garbage, the outcome without a user, the array. */
	assert_int_equal(bad, 3);
	assert_int_equal(d.failures.nreruns, 3);
	r = d.failures.reruns;
	assert_string_equal(r[0].user, "bob");
	assert_null(r[0].context);
	assert_string_equal(r[0].dag_id, "load");
	assert_int_equal(r[0].tasks, 0);	/* unknown */
	assert_string_equal(r[0].result, "outcome unknown: timeout");
	assert_true(r[0].time == FROM + 2 * H);
	assert_string_equal(r[1].user, "alice");
	assert_string_equal(r[1].context, "prod");
	assert_string_equal(r[1].run_id, "scheduled__1130");
	assert_int_equal(r[1].tasks, 3);
	assert_string_equal(r[1].result, "cleared");
	assert_true(r[1].time == FROM + D + 3 * H);
	assert_string_equal(r[2].user, "eve");
	assert_string_equal(r[2].result, "refused: read-only");
	digest_free(&d);

	/* Nothing at all: nothing, and nothing malformed. */
	digest_init(&d);
	assert_int_equal(digest_reruns_parse(&d.failures, "", 0, FROM, TO), 0);
	assert_int_equal(d.failures.nreruns, 0);
	digest_free(&d);
}

/* Exit status: 3 for an unread section, then 1 for a miss, else 0. */
static void
test_rc(void **state)
{
	struct digest d;

	(void)state;
	digest_init(&d);
	assert_int_equal(digest_rc(&d), 0);
	d.failures.reruns_origin.error = xstrdup("cannot read");
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);
	digest_init(&d);
	d.origin[DIGEST_FAILURES].error = xstrdup("no connection");
	assert_int_equal(digest_rc(&d), 3);
	digest_free(&d);
	digest_init(&d);
	d.origin[DIGEST_SLOTS].skipped = xstrdup("no BigQuery project");
	assert_int_equal(digest_rc(&d), 0);
	digest_free(&d);
}

/* A source's error in a section: its passwords scrubbed, never empty. */
static void
test_set_error(void **state)
{
	struct digest_origin	o;

	(void)state;
	memset(&o, 0, sizeof o);
	digest_set_error(&o, "GitHub https://bot:ghp_SECRET@api.example/ "
	    "refused; password=hunter2");
	assert_null(strstr(o.error, "ghp_SECRET"));
	assert_null(strstr(o.error, "hunter2"));
	assert_non_null(strstr(o.error, "refused"));
	digest_set_error(&o, "");
	assert_string_equal(o.error, "no answer");
	free(o.error);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failed_runs, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dags_and_tasks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recoveries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_week, setup,
		    teardown),
		cmocka_unit_test(test_reruns),
		cmocka_unit_test(test_rc),
		cmocka_unit_test(test_set_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
