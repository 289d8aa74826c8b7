/*
 * test_af_api.c: the Airflow REST API's answers decoded (src/model/af_api.c):
 * each kind in the shapes of v1 (Airflow 2.10) and v2 (3.1, 3.2) as the
 * OpenAPI documents in ../shared/reference/openapi give them, and what is
 * refused whole: garbage, missing or wrong-typed key fields, bad times,
 * invalid UTF-8, numbers too big.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "af_api.h"
#include "buf.h"

#define T(s)	(s), strlen(s)

static void
test_dags(void **state)
{
	struct af_dags	 d = { 0 };
	struct buf	 err = BUF_INIT;
	long		 total;
	const char	*v1 = "{\"dags\": [{\"dag_id\": \"etl\", \"is_paused\": "
	    "false, \"is_active\": true, \"owners\": [\"airflow\", \" bob\"], "
	    "\"schedule_interval\": {\"__type\": \"CronExpression\", "
	    "\"value\": \"0 2 * * *\"}, \"timetable_description\": \"At 02:00\","
	    " \"fileloc\": \"/d/etl.py\", \"next_dagrun\": "
	    "\"2026-11-22T02:00:00+00:00\", \"next_dagrun_create_after\": "
	    "\"2026-11-23T02:00:00+00:00\", \"has_import_errors\": true}, "
	    "{\"dag_id\": \"td\", \"is_paused\": true, \"is_active\": false, "
	    "\"owners\": [], \"schedule_interval\": {\"__type\": \"TimeDelta\", "
	    "\"days\": 1, \"seconds\": 0, \"microseconds\": 0}}, "
	    "{\"dag_id\": \"none\", \"schedule_interval\": null}], "
	    "\"total_entries\": 7}";
	const char	*v2 = "{\"dags\": [{\"dag_id\": \"etl\", \"is_paused\": "
	    "true, \"is_stale\": true, \"owners\": [\"a\"], \"timetable_summary\""
	    ": \"0 2 * * *\", \"next_dagrun_logical_date\": null, "
	    "\"next_dagrun_run_after\": \"2026-11-23T02:00:00Z\"}], "
	    "\"total_entries\": 1}";

	(void)state;
	assert_int_equal(af_api_dags(T(v1), 1, &d, &total, &err), 3);
	assert_int_equal(total, 7);
	assert_string_equal(d.v[0].dag_id, "etl");
	assert_true(d.v[0].active);
	assert_false(d.v[0].paused);
	assert_true(d.v[0].import_errors);
	assert_string_equal(d.v[0].owners, "airflow, bob");
	assert_string_equal(d.v[0].schedule, "0 2 * * *");
	assert_string_equal(d.v[0].timetable_description, "At 02:00");
	assert_int_equal(d.v[0].next_run, 1795312800);
	assert_int_equal(d.v[0].next_run_after, 1795312800 + 86400);
	assert_string_equal(d.v[1].schedule, "every 1d00h");
	assert_true(d.v[1].paused);
	assert_false(d.v[1].active);
	assert_string_equal(d.v[2].schedule, "None");
	assert_int_equal(d.v[2].next_run, TIME_NONE);
	af_dags_free(&d);

	assert_int_equal(af_api_dags(T(v2), 2, &d, &total, &err), 1);
	assert_false(d.v[0].active);
	assert_string_equal(d.v[0].schedule, "0 2 * * *");
	assert_int_equal(d.v[0].next_run, TIME_NONE);
	assert_int_equal(d.v[0].next_run_after, 1795312800 + 86400);
	af_dags_free(&d);
	buf_free(&err);
}

static void
test_runs(void **state)
{
	struct af_runs	 r = { 0 };
	struct buf	 err = BUF_INIT;
	long		 total;
	const char	*v1 = "{\"dag_runs\": [{\"dag_id\": \"etl\", \"dag_run_id\""
	    ": \"scheduled__x\", \"state\": \"success\", \"run_type\": "
	    "\"scheduled\", \"execution_date\": \"2026-11-21T02:00:00+00:00\", "
	    "\"logical_date\": \"2026-11-21T02:00:00+00:00\", "
	    "\"data_interval_start\": \"2026-11-21T02:00:00+00:00\", "
	    "\"data_interval_end\": \"2026-11-22T02:00:00+00:00\", "
	    "\"start_date\": \"2026-11-22T02:00:05.123+00:00\", \"end_date\": "
	    "null}, {\"dag_id\": \"etl\", \"dag_run_id\": \"m\", \"state\": "
	    "\"weird\", \"execution_date\": \"2026-11-22T03:00:00Z\"}], "
	    "\"total_entries\": 2}";
	const char	*v2 = "{\"dag_runs\": [{\"dag_id\": \"etl\", \"dag_run_id\""
	    ": \"manual__1\", \"state\": \"running\", \"logical_date\": null, "
	    "\"run_after\": \"2026-11-22T03:00:00Z\", \"queued_at\": "
	    "\"2026-11-22T03:00:01Z\", \"run_type\": \"manual\"}], "
	    "\"total_entries\": 1}";

	(void)state;
	assert_int_equal(af_api_runs(T(v1), 1, &r, &total, &err), 2);
	assert_string_equal(r.v[0].run_id, "scheduled__x");
	assert_int_equal(r.v[0].state, RUN_SUCCESS);
	assert_int_equal(r.v[0].logical_date, 1795312800 - 86400);
	assert_int_equal(r.v[0].order, 1795312800 - 86400);
	assert_int_equal(r.v[0].run_after, 1795312800);
	assert_int_equal(r.v[0].start_date, 1795312805);
	assert_int_equal(r.v[0].end_date, TIME_NONE);
	assert_int_equal(r.v[0].queued_at, TIME_NONE);
	assert_int_equal(r.v[1].state, RUN_UNKNOWN);
	assert_string_equal(r.v[1].state_raw, "weird");
	assert_int_equal(r.v[1].run_after, 1795316400);
	af_runs_free(&r);

	assert_int_equal(af_api_runs(T(v2), 2, &r, &total, &err), 1);
	assert_int_equal(r.v[0].logical_date, TIME_NONE);
	assert_int_equal(r.v[0].run_after, 1795316400);
	assert_int_equal(r.v[0].order, 1795316400);
	assert_int_equal(r.v[0].queued_at, 1795316401);
	assert_string_equal(r.v[0].run_type, "manual");
	af_runs_free(&r);

	assert_int_equal(af_api_run(T("{\"dag_id\": \"a\", \"dag_run_id\": "
	    "\"b\", \"state\": \"queued\"}"), 2, &r, &err), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.v[0].state, RUN_QUEUED);
	af_runs_free(&r);
	buf_free(&err);
}

static void
test_tis(void **state)
{
	struct af_tis	 t = { 0 };
	struct buf	 err = BUF_INIT;
	long		 total;
	const char	*page = "{\"task_instances\": [{\"dag_id\": \"etl\", "
	    "\"dag_run_id\": \"r1\", \"task_id\": \"load\", \"map_index\": 3, "
	    "\"state\": \"up_for_retry\", \"try_number\": 2, \"max_tries\": 3, "
	    "\"duration\": 12.5, \"operator\": \"PythonOperator\", \"pool\": "
	    "\"default_pool\", \"hostname\": \"w1\", \"rendered_map_index\": "
	    "\"eu\", \"start_date\": \"2026-11-22T02:00:00Z\"}, {\"dag_id\": "
	    "\"etl\", \"dag_run_id\": \"r1\", \"task_id\": \"x\", \"map_index\""
	    ": -1, \"state\": null, \"duration\": null, \"try_number\": 0}], "
	    "\"total_entries\": 2}";

	(void)state;
	/* v1 and v2 name these fields alike. */
	for (int api = 1; api <= 2; api++) {
		assert_int_equal(af_api_tis(T(page), api, &t, &total, &err), 2);
		assert_string_equal(t.v[0].run_id, "r1");
		assert_int_equal(t.v[0].map_index, 3);
		assert_int_equal(t.v[0].state, TI_UP_FOR_RETRY);
		assert_int_equal(t.v[0].try_number, 2);
		assert_int_equal(t.v[0].max_tries, 3);
		assert_true(t.v[0].duration == 12.5);
		assert_string_equal(t.v[0].operator, "PythonOperator");
		assert_string_equal(t.v[0].rendered_map_index, "eu");
		assert_int_equal(t.v[1].map_index, -1);
		assert_int_equal(t.v[1].state, TI_NONE);
		assert_true(t.v[1].duration < 0);
		assert_int_equal(t.v[1].end_date, TIME_NONE);
		af_tis_free(&t);
	}
	buf_free(&err);
}

static void
test_pools_tasks_health(void **state)
{
	struct af_pools	 p = { 0 };
	struct af_health h;
	struct graph	*g = graph_new();
	struct buf	 err = BUF_INIT;
	long		 total;
	const char	*pools = "{\"pools\": [{\"name\": \"default_pool\", "
	    "\"slots\": 128, \"running_slots\": 3, \"queued_slots\": 2, "
	    "\"scheduled_slots\": 1, \"deferred_slots\": 4, \"include_deferred\""
	    ": true}, {\"name\": \"big\", \"slots\": -1}], \"total_entries\": 2}";
	const char	*tasks = "{\"tasks\": [{\"task_id\": \"extract\", "
	    "\"class_ref\": {\"class_name\": \"BashOperator\"}, "
	    "\"downstream_task_ids\": [\"load\"], \"is_mapped\": false, "
	    "\"retries\": 2}, {\"task_id\": \"load\", \"operator_name\": "
	    "\"PythonOperator\", \"downstream_task_ids\": [], \"is_mapped\": "
	    "true, \"retries\": null}], \"total_entries\": 2}";
	const char	*health = "{\"metadatabase\": {\"status\": \"healthy\"}, "
	    "\"scheduler\": {\"status\": \"healthy\", "
	    "\"latest_scheduler_heartbeat\": \"2026-11-22T02:00:00+00:00\"}, "
	    "\"triggerer\": {\"status\": null, \"latest_triggerer_heartbeat\": "
	    "null}, \"dag_processor\": null}";

	(void)state;
	assert_int_equal(af_api_pools(T(pools), 1, &p, &total, &err), 2);
	assert_true(p.valid);
	assert_int_equal(p.v[0].slots, 128);
	assert_int_equal(p.v[0].running, 3);
	assert_int_equal(p.v[0].queued, 2);
	assert_int_equal(p.v[0].scheduled, 1);
	assert_int_equal(p.v[0].deferred, 4);
	assert_true(p.v[0].include_deferred);
	assert_int_equal(p.v[1].slots, -1);
	af_pools_free(&p);

	assert_int_equal(af_api_tasks(T(tasks), 2, g, &total, &err), 2);
	graph_finish(g);
	assert_int_equal(g->ntasks, 2);
	assert_string_equal(g->tasks[0].task_type, "BashOperator");
	assert_string_equal(g->tasks[1].task_type, "PythonOperator");
	assert_int_equal(g->tasks[0].ndown, 1);
	assert_true(g->tasks[1].mapped);
	assert_int_equal(g->tasks[1].retries, -1);
	assert_int_equal(g->tasks[1].depth, 1);
	graph_free(g);

	memset(&h, 0, sizeof h);
	af_health_clear(&h);
	assert_int_equal(af_api_health(T(health), 2, 1795312810, &h, &err), 0);
	assert_int_equal(h.now, 1795312810);
	assert_true(h.job[AF_JOB_SCHEDULER].seen);
	assert_int_equal(h.job[AF_JOB_SCHEDULER].running, 1);
	assert_int_equal(h.job[AF_JOB_SCHEDULER].last_heartbeat, 1795312800);
	assert_false(h.job[AF_JOB_TRIGGERER].seen);
	assert_false(h.job[AF_JOB_DAG_PROCESSOR].seen);
	af_health_clear(&h);
	buf_free(&err);
}

static void
test_version(void **state)
{
	struct buf	 err = BUF_INIT;
	char		*v;

	(void)state;
	assert_int_equal(af_api_version(T("{\"version\": \"3.1.2\", "
	    "\"git_version\": null}"), &v, &err), 0);
	assert_string_equal(v, "3.1.2");
	assert_int_equal(af_api_major(v), 3);
	free(v);
	assert_int_equal(af_api_major("2.10.3"), 2);
	assert_int_equal(af_api_major("x"), 0);
	assert_int_equal(af_api_major("99999999999999999999"), 0);
	assert_int_equal(af_api_version(T("{}"), &v, &err), -1);
	assert_null(v);
	buf_free(&err);
}

/* Each of these fails the whole page with one line, leaving out empty. */
static void
test_refused(void **state)
{
	static const char *const bad[] = {
	    "",
	    "garbage",
	    "[]",
	    "{\"dag_runs\": {}}",
	    "{\"dag_runs\": [1]}",
	    "{\"dag_runs\": [{\"dag_run_id\": \"r\"}]}",
	    "{\"dag_runs\": [{\"dag_id\": 5, \"dag_run_id\": \"r\"}]}",
	    "{\"dag_runs\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"start_date\": \"yesterday\"}]}",
	    "{\"dag_runs\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"start_date\": 17}]}",
	    "{\"dag_runs\": [{\"dag_id\": \"a\", \"dag_run_id\": \"\xff\"}]}",
	    "{\"dag_runs\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\"}, "
	    "{\"dag_id\": \"a\"}]}",
	    "{\"dag_runs\": [], \"total_entries\": -1}",
	    "{\"dag_runs\": [], \"total_entries\": "
	    "999999999999999999999999999999}",
	    "{\"dag_runs\": [], \"total_entries\": \"3\"}",
	};
	static const char *const badti[] = {
	    "{\"task_instances\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"task_id\": \"t\", \"map_index\": 99999999999}]}",
	    "{\"task_instances\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"task_id\": \"t\", \"try_number\": \"2\"}]}",
	    "{\"task_instances\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"task_id\": \"t\", \"map_index\": -2}]}",
	    "{\"task_instances\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\", "
	    "\"task_id\": \"t\", \"duration\": \"long\"}]}",
	    "{\"task_instances\": [{\"dag_id\": \"a\", \"dag_run_id\": \"r\"}]}",
	};
	struct af_runs	 r = { 0 };
	struct af_tis	 t = { 0 };
	struct af_dags	 d = { 0 };
	struct af_pools	 p = { 0 };
	struct graph	*g = graph_new();
	struct buf	 err = BUF_INIT;
	long		 total;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&err);
		assert_int_equal(af_api_runs(T(bad[i]), 1 + (int)(i % 2), &r,
		    &total, &err), -1);
		assert_int_equal(r.n, 0);
		assert_true(err.len > 0);
		assert_null(strchr(buf_str(&err), '\n'));
	}
	for (i = 0; i < sizeof badti / sizeof badti[0]; i++) {
		buf_reset(&err);
		assert_int_equal(af_api_tis(T(badti[i]), 2, &t, &total, &err),
		    -1);
		assert_int_equal(t.n, 0);
	}
	assert_int_equal(af_api_dags(T("{\"dags\": [{\"dag_id\": \"a\", "
	    "\"owners\": \"me\"}]}"), 1, &d, &total, &err), -1);
	assert_int_equal(d.n, 0);
	assert_int_equal(af_api_dags(T("{\"dags\": [{\"dag_id\": \"a\", "
	    "\"is_paused\": \"no\"}]}"), 2, &d, &total, &err), -1);
	assert_int_equal(af_api_pools(T("{\"pools\": [{\"slots\": 3}]}"), 2,
	    &p, &total, &err), -1);
	assert_int_equal(p.n, 0);
	assert_int_equal(af_api_tasks(T("{\"tasks\": [{\"task_id\": \"a\", "
	    "\"downstream_task_ids\": [1]}]}"), 1, g, &total, &err), -1);
	assert_int_equal(af_api_run(T("null"), 1, &r, &err), -1);
	assert_int_equal(af_api_run(T("[]"), 1, &r, &err), -1);
	assert_int_equal(r.n, 0);
	graph_free(g);
	free(p.v);
	free(d.v);
	free(t.v);
	free(r.v);
	buf_free(&err);
}

/* An empty last page is a page: 0 records, the total as given. */
static void
test_empty(void **state)
{
	struct af_runs	 r = { 0 };
	struct buf	 err = BUF_INIT;
	long		 total;

	(void)state;
	assert_int_equal(af_api_runs(T("{\"dag_runs\": [], \"total_entries\": "
	    "250}"), 2, &r, &total, &err), 0);
	assert_int_equal(total, 250);
	assert_int_equal(af_api_runs(T("{\"dag_runs\": []}"), 2, &r, &total,
	    &err), 0);
	assert_int_equal(total, -1);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dags),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_tis),
		cmocka_unit_test(test_pools_tasks_health),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
