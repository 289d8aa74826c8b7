/*
 * test_model.c: the pure core of dagtop: states and their groups, the task
 * graph, serialized DAG documents of every Airflow version, schema
 * detection, durations and spans, and the status verdict.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "airflow.h"
#include "graph.h"
#include "schema.h"
#include "serdag.h"
#include "status.h"
#include "timefmt.h"
#include "tz.h"

static void
test_states(void **state)
{
	static const char *names[] = { "scheduled", "queued", "running",
	    "success", "failed", "upstream_failed", "skipped", "up_for_retry",
	    "up_for_reschedule", "restarting", "deferred", "removed",
	    "shutdown" };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		assert_string_equal(ti_state_name(ti_state_parse(names[i])),
		    names[i]);
	assert_int_equal(ti_state_parse(NULL), TI_NONE);
	assert_int_equal(ti_state_parse(""), TI_NONE);
	assert_int_equal(ti_state_parse("none"), TI_NONE);
	assert_int_equal(ti_state_parse("exploded"), TI_UNKNOWN);
	/* Airflow's groups (airflow.md §2). */
	for (i = 0; i < TI_NSTATES; i++) {
		bool fin = i == TI_SUCCESS || i == TI_FAILED || i == TI_SKIPPED ||
		    i == TI_UPSTREAM_FAILED || i == TI_REMOVED;
		bool unfin = i == TI_NONE || i == TI_SCHEDULED ||
		    i == TI_QUEUED || i == TI_RUNNING || i == TI_RESTARTING ||
		    i == TI_UP_FOR_RETRY || i == TI_UP_FOR_RESCHEDULE ||
		    i == TI_DEFERRED;

		assert_int_equal(ti_state_finished(i), fin);
		assert_int_equal(ti_state_unfinished(i), unfin);
		assert_int_equal(ti_state_failed(i),
		    i == TI_FAILED || i == TI_UPSTREAM_FAILED);
		for (j = i + 1; j < TI_NSTATES; j++)
			assert_true(ti_state_letter(i) != ti_state_letter(j));
	}
	assert_int_equal(run_state_parse("failed"), RUN_FAILED);
	assert_int_equal(run_state_parse("weird"), RUN_UNKNOWN);
	assert_int_equal(run_state_parse(NULL), RUN_UNKNOWN);
	assert_true(run_state_finished(RUN_SUCCESS));
	assert_false(run_state_finished(RUN_QUEUED));
}

static void
test_schedule_summary(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\"0 2 * * *\"", "0 2 * * *" },
		{ "null", "None" },
		{ "\"@daily\"", "@daily" },
		{ "{\"type\": \"timedelta\", \"attrs\": {\"days\": 1, "
		  "\"seconds\": 0, \"microseconds\": 0}}", "every 1d00h" },
		{ "3600", "every 1h00m" },
		{ "0 2 * * *", "0 2 * * *" },	/* 3.x plain text */
		{ "{\"type\": \"relativedelta\", \"attrs\": {\"months\": 1}}",
		  "every 1 months" },
	};
	size_t i;
	char *s;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		s = schedule_summary(cases[i].in);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	s = schedule_summary(NULL);
	assert_string_equal(s, "None");
	free(s);
}

static void
test_job_health(void **state)
{
	struct af_job_health j;

	(void)state;
	memset(&j, 0, sizeof j);
	j.last_heartbeat = j.last_seen = TIME_NONE;
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_ABSENT);
	j.seen = true;
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
	j.running = 1;
	j.last_heartbeat = 1000 - 29;
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_OK);
	j.last_heartbeat = 1000 - 30;
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
}

static char *
order(const struct graph *g)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < g->ntasks; i++)
		buf_printf(&b, "%s%s:%d", i ? " " : "",
		    g->tasks[g->order[i]].task_id, g->tasks[g->order[i]].depth);
	return buf_detach(&b);
}

static void
test_graph(void **state)
{
	struct graph	*g = graph_new();
	bool		 mark[6] = { false };
	char		*s;

	(void)state;
	/* Edges before tasks, a duplicate edge, two roots. */
	graph_add_edge(g, "a", "c");
	graph_add_edge(g, "b", "c");
	graph_add_edge(g, "c", "d");
	graph_add_edge(g, "c", "d");
	graph_add_edge(g, "a", "d");
	graph_add_task(g, "a", NULL, false, 1);
	graph_add_task(g, "b", NULL, false, 1);
	graph_add_task(g, "c", NULL, false, 1);
	graph_add_task(g, "d", NULL, false, 1);
	graph_add_task(g, "e", NULL, false, 1);	/* alone */
	graph_add_task(g, "a", NULL, false, 1);	/* duplicate */
	graph_finish(g);
	s = order(g);
	assert_string_equal(s, "a:0 b:0 e:0 c:1 d:2");
	free(s);
	assert_non_null(strstr(buf_str(&g->warnings), "duplicate task id a"));
	assert_int_equal(g->tasks[graph_find(g, "d")].nup, 2);
	assert_int_equal(graph_find(g, "zz"), (size_t)-1);
	assert_int_equal(graph_downstream(g, graph_find(g, "b"), mark), 3);
	assert_true(mark[graph_find(g, "d")]);
	assert_false(mark[graph_find(g, "a")]);
	/* A second start: only what is new counts. */
	assert_int_equal(graph_downstream(g, graph_find(g, "a"), mark), 1);
	graph_free(g);

	/* Self edge and a cycle: reported, ordered after the rest. */
	g = graph_new();
	graph_add_task(g, "x", NULL, false, 0);
	graph_add_task(g, "p", NULL, false, 0);
	graph_add_task(g, "q", NULL, false, 0);
	graph_add_edge(g, "x", "x");
	graph_add_edge(g, "p", "q");
	graph_add_edge(g, "q", "p");
	graph_add_edge(g, "x", "ghost");
	graph_finish(g);
	s = order(g);
	assert_string_equal(s, "x:0 p:-1 q:-1");
	free(s);
	assert_non_null(strstr(buf_str(&g->warnings), "task x depends on itself"));
	assert_non_null(strstr(buf_str(&g->warnings), "cycle through tasks: p q"));
	assert_non_null(strstr(buf_str(&g->warnings),
	    "edge x -> ghost names an unknown task"));
	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "p"), mark), 2);
	graph_free(g);
}

/* A long chain and a wide fan-out stay fast and need no deep recursion. */
static void
test_graph_large(void **state)
{
	struct graph	*g = graph_new();
	char		 a[32], b[32];
	bool		*mark;
	int		 i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(a, sizeof a, "t%05d", i);
		graph_add_task(g, a, NULL, false, 0);
		if (i > 0) {
			snprintf(b, sizeof b, "t%05d", i - 1);
			graph_add_edge(g, b, a);
		}
	}
	for (i = 0; i < 2000; i++) {
		snprintf(a, sizeof a, "fan%04d", i);
		graph_add_task(g, a, NULL, false, 0);
		graph_add_edge(g, "t00000", a);
	}
	graph_finish(g);
	assert_int_equal(g->tasks[graph_find(g, "t04999")].depth, 4999);
	mark = calloc(g->ntasks, sizeof *mark);
	assert_int_equal(graph_downstream(g, 0, mark), 7000);
	free(mark);
	assert_string_equal(buf_str(&g->warnings), "");
	graph_free(g);
}

#define WRAP(t) "{\"__type\": \"operator\", \"__var\": " t "}"

static void
test_serdag_versions(void **state)
{
	/* 2.10: wrapped, _task_type, empty lists written. */
	static const char v210[] = "{\"__version\": 1, \"dag\": {\"_dag_id\": "
	    "\"d\", \"tasks\": [" WRAP("{\"_task_type\": \"BashOperator\", "
	    "\"downstream_task_ids\": [\"b\"], \"retries\": 3, \"task_id\": "
	    "\"a\"}") ", " WRAP("{\"_is_mapped\": true, \"_task_type\": "
	    "\"PythonOperator\", \"downstream_task_ids\": [], \"task_id\": "
	    "\"b\"}") "]}}";
	/* 2.7-2.9: bare tasks. */
	static const char v27[] = "{\"__version\": 1, \"dag\": {\"_dag_id\": "
	    "\"d\", \"tasks\": [{\"_task_type\": \"BashOperator\", "
	    "\"downstream_task_ids\": [\"b\"], \"task_id\": \"a\"}, "
	    "{\"_task_type\": \"BashOperator\", \"downstream_task_ids\": [], "
	    "\"task_id\": \"b\"}]}}";
	/* 3.x: task_type, downstream list left out when empty. */
	static const char v31[] = "{\"__version\": 3, \"dag\": {\"dag_id\": "
	    "\"d\", \"tasks\": [" WRAP("{\"downstream_task_ids\": [\"b\"], "
	    "\"task_id\": \"a\", \"task_type\": \"BashOperator\"}") ", "
	    WRAP("{\"task_id\": \"b\", \"task_type\": \"EmptyOperator\"}")
	    "]}}";
	const char	*docs[] = { v210, v27, v31 };
	struct buf	 err = BUF_INIT;
	struct graph	*g;
	size_t		 i;
	char		*s;

	(void)state;
	for (i = 0; i < 3; i++) {
		g = serdag_parse(docs[i], strlen(docs[i]), SERDAG_MAX_DEFAULT, &err);
		assert_non_null(g);
		s = order(g);
		assert_string_equal(s, "a:0 b:1");
		free(s);
		assert_string_equal(g->tasks[0].task_type, "BashOperator");
		assert_string_equal(buf_str(&g->warnings), "");
		if (i == 0) {
			assert_int_equal(g->tasks[0].retries, 3);
			assert_true(g->tasks[1].mapped);
		} else
			assert_false(g->tasks[1].mapped);
		graph_free(g);
	}
	assert_string_equal(buf_str(&err), "");
}

static void
test_serdag_bad(void **state)
{
	struct buf	 err = BUF_INIT;
	struct graph	*g;
	static const char odd[] = "{\"dag\": {\"tasks\": [5, {\"x\": 1}, "
	    "{\"task_id\": \"a\", \"downstream_task_ids\": \"b\"}, "
	    "{\"task_id\": \"c\", \"downstream_task_ids\": [7]}]}}";

	(void)state;
	assert_null(serdag_parse("{", 1, SERDAG_MAX_DEFAULT, &err));
	assert_non_null(strstr(buf_str(&err), "not valid JSON"));
	buf_reset(&err);
	assert_null(serdag_parse("{\"dag\": {}}", 11, SERDAG_MAX_DEFAULT, &err));
	assert_string_equal(buf_str(&err), "serialized DAG has no task list");
	buf_reset(&err);
	g = serdag_parse(odd, strlen(odd), SERDAG_MAX_DEFAULT, &err);
	assert_non_null(g);
	assert_int_equal(g->ntasks, 2);
	assert_non_null(strstr(buf_str(&g->warnings), "task #0 has no task_id"));
	assert_non_null(strstr(buf_str(&g->warnings), "task #1 has no task_id"));
	assert_non_null(strstr(buf_str(&g->warnings),
	    "task a: downstream_task_ids is not a list"));
	assert_non_null(strstr(buf_str(&g->warnings),
	    "task c: a downstream id is not a string"));
	graph_free(g);
	buf_free(&err);
}

static void
test_serdag_zlib(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": [{\"task_id\": \"a\"}]}}";
	unsigned char	 z[256];
	uLongf		 zlen = sizeof z;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	assert_int_equal(compress(z, &zlen, (const Bytef *)doc, strlen(doc)),
	    Z_OK);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&out), doc);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(z, zlen - 6, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_non_null(strstr(buf_str(&err), "zlib:"));
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate((const unsigned char *)"\xde\xad\xbe\xef",
	    4, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_non_null(strstr(buf_str(&err), "zlib:"));
	buf_free(&out);
	buf_free(&err);
}

/* Every column of the tables schema_detect looks at, per version. */
static const char *const cols2[] = {
	"alembic_version.version_num", "dag.dag_id", "dag.is_paused",
	"dag.is_active", "dag.owners", "dag.fileloc", "dag.next_dagrun",
	"dag.next_dagrun_create_after", "dag.next_dagrun_data_interval_start",
	"dag.next_dagrun_data_interval_end", "dag.schedule_interval",
	"dag.timetable_description", "dag.has_import_errors",
	"dag_run.dag_id", "dag_run.run_id", "dag_run.state", "dag_run.run_type",
	"dag_run.start_date", "dag_run.end_date", "dag_run.queued_at",
	"dag_run.data_interval_start", "dag_run.data_interval_end",
	"dag_run.execution_date", "dag_run.clear_number",
	"task_instance.dag_id", "task_instance.task_id", "task_instance.run_id",
	"task_instance.map_index", "task_instance.state",
	"task_instance.try_number", "task_instance.max_tries",
	"task_instance.start_date", "task_instance.end_date",
	"task_instance.duration", "task_instance.operator",
	"task_instance.pool", "task_instance.hostname",
	"task_instance.rendered_map_index", "task_instance.custom_operator_name",
	"task_instance_history.try_number", "job.job_type", "job.state",
	"job.latest_heartbeat", "job.hostname", "serialized_dag.dag_id",
	"serialized_dag.data", "serialized_dag.data_compressed",
	"sla_miss.dag_id", "sla_miss.task_id", "sla_miss.execution_date",
};

static void
test_schema_detect(void **state)
{
	struct af_schema	s;
	struct buf		err = BUF_INIT, warn = BUF_INIT;
	const char		*cols3[sizeof cols2 / sizeof *cols2 + 4];
	size_t			i, n = 0;

	(void)state;
	assert_int_equal(schema_detect(&s, cols2, sizeof cols2 / sizeof *cols2,
	    "405de8318b3a", &err, &warn), 0);
	assert_int_equal(s.major, 2);
	assert_string_equal(s.release, "2.7.0-2.7.3");
	assert_false(s.is_stale);
	assert_true(s.sla_miss);
	assert_true(s.ti_history);
	assert_false(s.dag_version);
	assert_string_equal(buf_str(&warn), "");
	schema_clear(&s);

	/* 3.x: logical_date, run_after, is_stale, one serialized_dag per version. */
	for (i = 0; i < sizeof cols2 / sizeof *cols2; i++) {
		if (strcmp(cols2[i], "dag_run.execution_date") == 0)
			cols3[n++] = "dag_run.logical_date";
		else if (strcmp(cols2[i], "dag.is_active") == 0)
			cols3[n++] = "dag.is_stale";
		else if (strncmp(cols2[i], "sla_miss", 8) != 0)
			cols3[n++] = cols2[i];
	}
	cols3[n++] = "dag_run.run_after";
	cols3[n++] = "serialized_dag.dag_version_id";
	cols3[n++] = "dag_version.version_number";
	cols3[n++] = "dag_run.created_dag_version_id";
	assert_int_equal(schema_detect(&s, cols3, n, "509b94a1042d", &err,
	    &warn), 0);
	assert_int_equal(s.major, 3);
	assert_string_equal(s.release, "3.1.8");
	assert_true(s.run_after && s.is_stale && s.dag_version &&
	    s.created_dag_version);
	assert_false(s.sla_miss);
	schema_clear(&s);

	/* Unknown revision, and one whose major disagrees with the columns. */
	assert_int_equal(schema_detect(&s, cols3, n, "abcdef123456", &err,
	    &warn), 0);
	assert_null(s.release);
	assert_string_equal(buf_str(&warn), "unknown Airflow schema revision "
	    "abcdef123456; reading it as Airflow 3.x from its columns\n");
	schema_clear(&s);
	buf_reset(&warn);
	assert_int_equal(schema_detect(&s, cols3, n, "5f2621c13b39", &err,
	    &warn), 0);
	assert_int_equal(s.major, 3);
	assert_non_null(strstr(buf_str(&warn), "is Airflow 2.10.3-2.11 but the "
	    "columns look like Airflow 3.x"));
	schema_clear(&s);

	/* A required column missing, named. */
	cols3[1] = "dag.dag_idx";
	assert_int_equal(schema_detect(&s, cols3, n, NULL, &err, &warn), -1);
	assert_string_equal(buf_str(&err), "the Airflow tables lack columns "
	    "dagtop reads: dag.dag_id");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

static void
test_durations_and_spans(void **state)
{
	static const struct {
		double s;
		const char *out;
	} d[] = {
		{ 0, "0s" }, { 59.4, "59s" }, { 59.5, "1m00s" }, { 60, "1m00s" },
		{ 3599, "59m59s" }, { 3600, "1h00m" }, { 86399, "23h59m" },
		{ 86400, "1d00h" }, { -1, "-" }, { NAN, "-" },
	};
	static const struct {
		const char *in;
		int64_t out;
	} sp[] = {
		{ "90s", 90 }, { "30m", 1800 }, { "24h", 86400 },
		{ "7d", 604800 }, { "2w", 1209600 }, { "1h30m", 5400 },
		{ "3600", 3600 },
	};
	static const char *bad[] = { "", "h", "-5m", "1x", "1h30", "m5" };
	struct buf	b = BUF_INIT;
	int64_t		v;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof d / sizeof *d; i++) {
		buf_reset(&b);
		fmt_duration(&b, d[i].s);
		assert_string_equal(buf_str(&b), d[i].out);
	}
	for (i = 0; i < sizeof sp / sizeof *sp; i++) {
		assert_int_equal(parse_span(sp[i].in, &v), 0);
		assert_int_equal(v, sp[i].out);
	}
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(parse_span(bad[i], &v), -1);
	buf_free(&b);
}

static void
test_times(void **state)
{
	struct buf	 b = BUF_INIT;
	struct buf	 err = BUF_INIT;
	struct tz	*jst = tz_parse_posix("JST-9", &err);
	int64_t		 t;

	(void)state;
	assert_non_null(jst);
	/* 2026-11-22 01:02:03 UTC */
	assert_int_equal(parse_iso_time("2026-11-22T01:02:03Z", &t), 0);
	assert_int_equal(t, 1795309323);
	fmt_time(&b, tz_utc(), t, FMT_ISO);
	assert_string_equal(buf_str(&b), "2026-11-22T01:02:03Z");
	buf_reset(&b);
	fmt_time(&b, jst, t, FMT_ISO);
	assert_string_equal(buf_str(&b), "2026-11-22T10:02:03+09:00");
	buf_reset(&b);
	fmt_time(&b, jst, t, FMT_LONG);
	assert_string_equal(buf_str(&b), "2026-11-22 10:02:03 JST");
	buf_reset(&b);
	fmt_time(&b, jst, t, FMT_SHORT);
	assert_string_equal(buf_str(&b), "11-22 10:02");
	buf_reset(&b);
	fmt_time(&b, jst, TIME_NONE, FMT_CLOCK);
	assert_string_equal(buf_str(&b), "-");
	assert_int_equal(parse_iso_time("2026-11-22 10:02:03.123456+09:00", &t), 0);
	assert_int_equal(t, 1795309323);
	assert_int_equal(parse_iso_time("2026-11-22T06:32:03-0530", &t), 0);
	assert_int_equal(t, 1795309323 + 11 * 3600);
	assert_int_equal(parse_iso_time("2026-11-22", &t), 0);
	assert_int_equal(t, 1795305600);
	assert_int_equal(parse_iso_time("2026-13-01", &t), -1);
	assert_int_equal(parse_iso_time("2026-11-22T10", &t), -1);
	assert_int_equal(parse_iso_time("yesterday", &t), -1);
	tz_free(jst);
	buf_free(&b);
}

static struct af_run *
run(struct af_runs *rs, const char *dag, const char *id, enum run_state st,
    int64_t after)
{
	struct af_run *r = af_runs_push(rs);

	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(id);
	r->state = st;
	r->run_after = r->order = after;	/* a scheduled run on 3.x */
	return r;
}

/* Reserved arrays grow past their size; shared dag_ids are freed once. */
static void
test_runs_array(void **state)
{
	struct af_runs	 rs = { 0 };
	struct af_run	*r;
	size_t		 i;

	(void)state;
	run(&rs, "a", "r0", RUN_SUCCESS, 1);
	af_runs_reserve(&rs, 3);
	assert_int_equal(rs.cap, 3);
	for (i = 1; i < 40; i++) {
		r = af_runs_push(&rs);
		assert_int_equal(r->state, 0);
		assert_null(r->run_id);
		r->dag_id = rs.v[0].dag_id;
		r->shared_dag_id = true;
		r->run_id = xstrdup("r");
	}
	assert_int_equal(rs.n, 40);
	assert_true(rs.cap >= 40);
	assert_string_equal(rs.v[39].dag_id, "a");
	af_runs_reserve(&rs, 10);	/* never shrinks */
	assert_true(rs.cap >= 40);
	af_runs_free(&rs);		/* ASan: no double free, no leak */
	assert_int_equal(rs.n, 0);
	assert_int_equal(rs.cap, 0);
	run(&rs, "b", "r0", RUN_SUCCESS, 1);	/* doubling again after free */
	run(&rs, "b", "r1", RUN_SUCCESS, 2);
	run(&rs, "b", "r2", RUN_SUCCESS, 3);
	assert_string_equal(rs.v[2].run_id, "r2");
	af_runs_free(&rs);
}

static void
test_status(void **state)
{
	struct af_health	h;
	struct af_dags		dags = { 0 };
	struct af_runs		runs = { 0 };
	struct af_tis		tis = { 0 };
	struct status		st;
	struct af_ti		*t;
	size_t			n, first;

	(void)state;
	memset(&h, 0, sizeof h);
	af_health_clear(&h);
	h.now = 10000;
	af_dags_push(&dags)->import_errors = false;
	run(&runs, "a", "r1", RUN_SUCCESS, 100);
	run(&runs, "a", "r2", RUN_RUNNING, 300);
	run(&runs, "b", "r1", RUN_FAILED, 200);
	run(&runs, "c", "r1", RUN_QUEUED, 400);
	run(&runs, "c", "r0", RUN_FAILED, 250);

	/* No scheduler ever: critical. */
	status_build(&st, &h, &dags, &runs, 0, 30);
	assert_int_equal(st.verdict, VERDICT_CRITICAL);
	assert_string_equal(buf_str(&st.summary),
	    "CRITICAL: scheduler down (no scheduler has ever run)");
	status_clear(&st);

	h.job[AF_JOB_SCHEDULER].seen = true;
	h.job[AF_JOB_SCHEDULER].running = 1;
	h.job[AF_JOB_SCHEDULER].last_heartbeat = 9990;
	h.job[AF_JOB_SCHEDULER].last_seen = 9990;
	status_build(&st, &h, &dags, &runs, 0, 30);
	assert_int_equal(st.verdict, VERDICT_WARNING);
	assert_string_equal(buf_str(&st.summary), "WARNING: 2 failed runs");
	assert_int_equal(st.runs_by_state[RUN_FAILED], 2);
	assert_int_equal(st.nattention, 4);
	/* Failed first (newest first), then running, then queued. */
	assert_string_equal(st.attention[0]->dag_id, "c");
	assert_string_equal(st.attention[1]->dag_id, "b");
	assert_int_equal(st.attention[2]->state, RUN_RUNNING);
	assert_int_equal(st.attention[3]->state, RUN_QUEUED);
	status_clear(&st);

	h.job[AF_JOB_SCHEDULER].last_heartbeat = 9000;
	h.job[AF_JOB_SCHEDULER].last_seen = 9000;
	status_build(&st, &h, &dags, &runs, 0, 30);
	assert_string_equal(buf_str(&st.summary),
	    "CRITICAL: scheduler down (last heartbeat 16m40s ago)");
	status_clear(&st);

	/* All good; a triggerer never deployed is fine, a dead one is not. */
	h.job[AF_JOB_SCHEDULER].last_heartbeat = 9995;
	af_runs_free(&runs);
	run(&runs, "a", "r1", RUN_SUCCESS, 100);
	status_build(&st, &h, &dags, &runs, 0, 30);
	assert_int_equal(st.verdict, VERDICT_OK);
	assert_string_equal(buf_str(&st.summary),
	    "OK: scheduler healthy, 1 run, none failed");
	status_clear(&st);
	h.job[AF_JOB_TRIGGERER].seen = true;
	dags.v[0].import_errors = true;
	status_build(&st, &h, &dags, &runs, 0, 30);
	assert_string_equal(buf_str(&st.summary),
	    "WARNING: 1 DAG with import errors, triggerer down");
	status_clear(&st);

	/* The TIs of one run in a sorted list. */
	t = af_tis_push(&tis); t->dag_id = xstrdup("a"); t->run_id = xstrdup("r1");
	t = af_tis_push(&tis); t->dag_id = xstrdup("a"); t->run_id = xstrdup("r1");
	t = af_tis_push(&tis); t->dag_id = xstrdup("b"); t->run_id = xstrdup("r1");
	first = status_run_tis(&tis, &runs.v[0], &n);
	assert_int_equal(first, 0);
	assert_int_equal(n, 2);
	run(&runs, "z", "r9", RUN_FAILED, 1);
	status_run_tis(&tis, &runs.v[1], &n);
	assert_int_equal(n, 0);
	af_tis_free(&tis);
	af_runs_free(&runs);
	af_dags_free(&dags);
	af_health_clear(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_runs_array),
		cmocka_unit_test(test_schedule_summary),
		cmocka_unit_test(test_job_health),
		cmocka_unit_test(test_graph),
		cmocka_unit_test(test_graph_large),
		cmocka_unit_test(test_serdag_versions),
		cmocka_unit_test(test_serdag_bad),
		cmocka_unit_test(test_serdag_zlib),
		cmocka_unit_test(test_schema_detect),
		cmocka_unit_test(test_durations_and_spans),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
