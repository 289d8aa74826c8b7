/*
 * test_db_airflow.c: the Airflow metadata source against a real PostgreSQL
 * loaded with Airflow's 2.10 or 3.1 schema and fixture.sql (run.sh sets it
 * up).  Every test checks the same facts on both schemas.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <zlib.h>

#include "airflow_db.h"
#include "config.h"
#include "dbconn.h"
#include "dbtest.h"
#include "loop.h"
#include "options.h"
#include "pg.h"

/* The major release of the schema under test (dbtest.h): 2 or 3. */
static int	 major;

#define WEIRD_DAG "we'ird\xc3\xa9\x1b[31mdag"

/* The connection options of the settings (settings_for, options_db). */
static struct db_options dbo;

static struct sched *
open_main(void)
{
	char		*err = NULL;
	struct sched	*a = open_as(dbname(""), "reader", &err);

	if (a == NULL)
		fail_msg("cannot open: %s", err);
	return a;
}

static void
test_detects_version(void **state)
{
	struct sched		*a = open_main();
	const struct af_schema	*s = afdb_schema(a);

	(void)state;
	assert_int_equal(s->major, major);
	assert_non_null(s->release);
	assert_string_equal(s->revision, schema == 2 ? "5f2621c13b39" :
	    schema == 3 ? "cc92b33c6709" : "1d6611b6ab7c");
	assert_string_equal(s->release, schema == 2 ? "2.10.3-2.11" :
	    schema == 3 ? "3.1.0-3.1.7" : "3.2.0-3.2.1");
	assert_int_equal(s->logical_date, major == 3);
	assert_int_equal(s->run_after, major == 3);
	assert_int_equal(s->is_stale, major == 3);
	assert_int_equal(s->dag_version, major == 3);
	assert_int_equal(s->sla_miss, major == 2);
	assert_true(s->ti_history);
	assert_string_equal(sched_warnings(a), "");
	sched_free(a);
}

static void
show_result(void *arg, const PGresult *res, const char *err)
{
	struct buf *b = arg;
	int i;

	if (err != NULL)
		buf_printf(b, "ERROR %s", err);
	else
		for (i = 0; i < PQnfields(res); i++)
			buf_printf(b, "%s%s", i ? "|" : "",
			    PQgetvalue(res, 0, i));
	loop_break(L);
}

static void
pg_ready_cb(struct pg *p, void *arg)
{
	(void)p;
	*(bool *)arg = true;
	loop_break(L);
}

/* The session dagtop opens is read-only, UTC, bounded, and says who it is. */
static void
test_session_is_read_only(void **state)
{
	struct settings		 s;
	struct db_params	 p;
	struct buf		 e = BUF_INIT, out = BUF_INIT;
	struct pg		*pg;
	bool			 up = false;

	(void)state;
	settings_for(&s, dbname(""), "reader");
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	pg = pg_connect(L, p.keywords, p.values, NULL, 10000, pg_ready_cb, &up);
	db_params_free(&p);
	while (!up)
		loop_run(L);
	assert_true(pg_ready(pg));
	pg_query(pg, "SELECT current_setting('default_transaction_read_only'), "
	    "current_setting('TimeZone'), current_setting('statement_timeout'), "
	    "current_setting('application_name'), current_user", 0, NULL,
	    show_result, &out);
	loop_run(L);
	assert_string_equal(buf_str(&out), "on|UTC|30s|dagtop|reader");
	buf_reset(&out);
	pg_query(pg, "CREATE TEMP TABLE t (x int)", 0, NULL, show_result, &out);
	loop_run(L);
	assert_non_null(strstr(buf_str(&out),
	    "cannot execute CREATE TABLE in a read-only transaction"));
	pg_free(pg);
	free(s.database);
	free(s.database_password_env);
	buf_free(&out);
	buf_free(&e);
}

static const struct af_dag *
find_dag(const struct af_dags *d, const char *id)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].dag_id, id) == 0)
			return &d->v[i];
	fail_msg("no DAG %s", id);
	return NULL;
}

static void
test_dags(void **state)
{
	struct sched		*a = open_main();
	struct af_dags		 d = { 0 };
	struct waiter		 w = { false, NULL };
	const struct af_dag	*x;

	(void)state;
	sched_fetch_dags(a, &d, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(d.n, 12);
	x = find_dag(&d, "etl_daily");
	assert_false(x->paused);
	assert_true(x->active);
	assert_string_equal(x->schedule, "0 2 * * *");
	assert_string_equal(x->owners, "data-eng");
	assert_true(x->next_run != TIME_NONE);
	assert_true(find_dag(&d, "paused_dag")->paused);
	assert_false(find_dag(&d, "stale_dag")->active);
	assert_string_equal(find_dag(&d, "stale_dag")->schedule, "None");
	assert_true(find_dag(&d, "broken_import")->import_errors);
	assert_false(find_dag(&d, "etl_daily")->import_errors);
	assert_non_null(find_dag(&d, WEIRD_DAG));
	af_dags_free(&d);
	sched_free(a);
}

static const struct af_run *
find_run(const struct af_runs *r, const char *dag, const char *run)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].dag_id, dag) == 0 &&
		    strcmp(r->v[i].run_id, run) == 0)
			return &r->v[i];
	return NULL;
}

static void
test_runs_in_window(void **state)
{
	struct sched		*a = open_main();
	struct af_runs		 r = { 0 };
	struct waiter		 w = { false, NULL };
	const struct af_run	*x;

	(void)state;
	sched_fetch_runs_since(a, (int64_t)time(NULL) - 86400, &r, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(r.n, 5);
	x = find_run(&r, "etl_daily", "scheduled__d1");
	assert_non_null(x);
	assert_int_equal(x->state, RUN_FAILED);
	assert_string_equal(x->run_type, "scheduled");
	assert_true(x->start_date != TIME_NONE && x->end_date > x->start_date);
	assert_int_equal(x->end_date - x->start_date, 3600);
	assert_int_equal(x->run_after, x->data_interval_end);
	x = find_run(&r, "etl_daily", "manual__today");
	assert_non_null(x);
	if (major == 3)
		assert_true(x->logical_date == TIME_NONE);	/* nullable in 3.x */
	else
		assert_true(x->logical_date != TIME_NONE);
	assert_non_null(find_run(&r, "mapped.dag", "scheduled__d1"));
	assert_int_equal(find_run(&r, "hourly_sync", "scheduled__q")->state,
	    RUN_QUEUED);
	assert_non_null(find_run(&r, WEIRD_DAG, "scheduled__d1"));
	/* Outside the window: older runs, and a failure three days ago. */
	assert_null(find_run(&r, "etl_daily", "scheduled__d2"));
	assert_null(find_run(&r, "etl_daily", "scheduled__d4"));
	assert_null(find_run(&r, "paused_dag", "scheduled__old"));
	assert_null(find_run(&r, "paused_dag", "asset_materialization__old"));
	af_runs_free(&r);
	sched_free(a);
}

/*
 * A run's type is Airflow's word, passed through: paused_dag's old run is
 * scheduled, and on 3.2 it is of the type 3.2 added, asset_materialization
 * (fixture.sql).
 */
static void
test_run_types(void **state)
{
	struct sched		*a = open_main();
	struct af_runs		 r = { 0 };
	struct waiter		 w = { false, NULL };
	const struct af_run	*x;

	(void)state;
	sched_fetch_runs_since(a, (int64_t)time(NULL) - 7 * 86400, &r, wake,
	    &w);
	wait_for(&w);
	assert_null(w.err);
	x = find_run(&r, "paused_dag", schema == 32 ?
	    "asset_materialization__old" : "scheduled__old");
	assert_non_null(x);
	assert_int_equal(x->state, RUN_SUCCESS);
	assert_string_equal(x->run_type, schema == 32 ?
	    "asset_materialization" : "scheduled");
	assert_string_equal(find_run(&r, "etl_daily", "manual__today")->run_type,
	    "manual");
	af_runs_free(&r);
	sched_free(a);
}

static void
test_recent_runs_per_dag(void **state)
{
	struct sched	*a = open_main();
	struct af_runs	 r = { 0 };
	struct waiter	 w = { false, NULL };
	size_t		 i, n = 0;

	(void)state;
	sched_fetch_runs_recent(a, &(struct sched_recent){ .per_dag = 3 }, &r,
	    wake, &w);
	wait_for(&w);
	assert_null(w.err);
	for (i = 0; i < r.n; i++) {
		if (strcmp(r.v[i].dag_id, "etl_daily") != 0)
			continue;
		/* Newest first: manual today, then d1, then d2. */
		assert_string_equal(r.v[i].run_id, n == 0 ? "manual__today" :
		    n == 1 ? "scheduled__d1" : "scheduled__d2");
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(r.n, 3 + 1 + 1 + 1 + 1 + 1);	/* etl, mapped, hourly, paused, weird, corrupt */
	/* The strips' columns only; a DAG's runs share its dag_id. */
	for (i = 0; i < r.n; i++) {
		assert_true(r.v[i].run_after != TIME_NONE);
		assert_true(r.v[i].queued_at == TIME_NONE);
		assert_null(r.v[i].run_type);
		if (i > 0 && strcmp(r.v[i].dag_id, r.v[i - 1].dag_id) == 0)
			assert_true(r.v[i].shared_dag_id &&
			    r.v[i].dag_id == r.v[i - 1].dag_id);
	}
	af_runs_free(&r);
	sched_free(a);
}

static int
cmp_newest(const void *a, const void *b)
{
	return af_run_cmp_newest(*(const struct af_run *const *)a,
	    *(const struct af_run *const *)b);
}

/*
 * fixture_order.sql (database af2_order / af3_order): rerun_dag's scheduled
 * run failed, a manual run an hour ago succeeded.  On 2.x the manual run's
 * data interval end (run_after here) ties with the failed run's; Airflow
 * orders by execution_date, and so does every query: the manual run is the
 * latest, with its state.
 */
static void
test_manual_rerun_is_latest(void **state)
{
	char			*err = NULL;
	struct sched		*a = open_as(dbname("_order"), "reader", &err);
	struct af_runs		 r = { 0 };
	struct waiter		 w = { false, NULL };
	const struct af_run	*man, *sched, *mine[4];
	size_t			 i, n = 0;

	(void)state;
	if (a == NULL)
		fail_msg("cannot open: %s", err);

	/* The newest run of one DAG (what `report run DAG` shows). */
	sched_fetch_dag_runs(a, "rerun_dag", 1, &r, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].run_id, "manual__rerun");
	assert_int_equal(r.v[0].state, RUN_SUCCESS);
	assert_string_equal(r.v[0].run_type, "manual");
	af_runs_free(&r);

	/* The window: both runs, the manual one newer by Airflow's order. */
	sched_fetch_runs_since(a, (int64_t)time(NULL) - 86400, &r, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	man = find_run(&r, "rerun_dag", "manual__rerun");
	sched = find_run(&r, "rerun_dag", "scheduled__d1");
	assert_non_null(man);
	assert_non_null(sched);
	assert_true(man->order > sched->order);
	assert_true(af_run_cmp_newest(man, sched) < 0);
	/* Same data interval: the last complete one, the failed run's. */
	assert_int_equal(man->data_interval_end, sched->data_interval_end);
	if (major == 2) {
		/* The tie the order breaks. */
		assert_int_equal(man->run_after, sched->run_after);
		assert_int_equal(man->order, man->logical_date);
		assert_int_equal(sched->order, sched->logical_date);
	} else {
		assert_true(man->run_after > sched->run_after);
		assert_int_equal(man->order, man->run_after);
	}
	af_runs_free(&r);

	/* The run strips: newest first, the manual run's state the latest. */
	sched_fetch_runs_recent(a, &(struct sched_recent){ .per_dag = 3 }, &r,
	    wake, &w);
	wait_for(&w);
	assert_null(w.err);
	for (i = 0; i < r.n; i++)
		if (strcmp(r.v[i].dag_id, "rerun_dag") == 0 && n < 4)
			mine[n++] = &r.v[i];
	assert_int_equal(n, 3);
	qsort(mine, n, sizeof *mine, cmp_newest);
	assert_string_equal(mine[0]->run_id, "manual__rerun");
	assert_int_equal(mine[0]->state, RUN_SUCCESS);
	assert_string_equal(mine[1]->run_id, "scheduled__d1");
	assert_int_equal(mine[1]->state, RUN_FAILED);
	assert_string_equal(mine[2]->run_id, "scheduled__d2");
	if (major == 2)
		assert_int_equal(mine[0]->run_after, mine[1]->run_after);
	af_runs_free(&r);
	sched_free(a);
}

static void
test_task_instances(void **state)
{
	struct sched	*a = open_main();
	struct af_tis	 t = { 0 };
	struct waiter	 w = { false, NULL };

	(void)state;
	sched_fetch_tis(a, "etl_daily", "scheduled__d1", &t, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(t.n, 5);
	/* Sorted by task id: extract, load, notify, publish, transform. */
	assert_string_equal(t.v[4].task_id, "transform");
	assert_int_equal(t.v[4].state, TI_FAILED);
	assert_int_equal(t.v[4].try_number, 3);
	assert_int_equal(t.v[4].max_tries, 2);
	assert_int_equal((int)t.v[4].duration, 1800);
	assert_string_equal(t.v[4].operator, "PythonOperator");
	assert_string_equal(t.v[4].pool, "default_pool");
	assert_int_equal(t.v[1].state, TI_UPSTREAM_FAILED);
	assert_true(t.v[1].start_date == TIME_NONE);
	assert_true(t.v[1].duration < 0);
	af_tis_free(&t);

	/* Mapped task: one row per map index; a NULL state is "none". */
	sched_fetch_tis(a, "mapped.dag", "scheduled__d1", &t, wake, &w);
	wait_for(&w);
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[1].task_id, "process");
	assert_int_equal(t.v[1].map_index, 0);
	assert_int_equal(t.v[3].map_index, 2);
	assert_int_equal(t.v[3].state, TI_UP_FOR_RETRY);
	assert_int_equal(t.v[4].state, TI_NONE);
	af_tis_free(&t);

	/* Ids with a quote, an escape and a bidi override travel as parameters. */
	sched_fetch_tis(a, WEIRD_DAG, "scheduled__d1", &t, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].task_id, "task\xe2\x80\xae" "evil\x07");
	af_tis_free(&t);
	sched_free(a);
}

static void
test_attention_tis(void **state)
{
	struct sched		*a = open_main();
	struct af_runs		 r = { 0 };
	struct af_tis		 t = { 0 };
	struct waiter		 w = { false, NULL };
	const struct af_run	*want[3];

	(void)state;
	sched_fetch_runs_since(a, (int64_t)time(NULL) - 86400, &r, wake, &w);
	wait_for(&w);
	want[0] = find_run(&r, "etl_daily", "scheduled__d1");
	want[1] = find_run(&r, "mapped.dag", "scheduled__d1");
	want[2] = find_run(&r, WEIRD_DAG, "scheduled__d1");
	sched_fetch_attention_tis(a, want, 3, &t, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	/* etl: load, publish, transform; mapped: process[2]; weird: 1. */
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[0].task_id, "load");
	assert_string_equal(t.v[2].task_id, "transform");
	assert_string_equal(t.v[3].dag_id, "mapped.dag");
	assert_int_equal(t.v[3].map_index, 2);
	assert_string_equal(t.v[4].dag_id, WEIRD_DAG);
	af_tis_free(&t);
	af_runs_free(&r);
	sched_free(a);
}

static struct graph *
graph_of(struct sched *a, const char *dag, const char *run, struct buf *warn)
{
	struct waiter	 w = { false, NULL };
	struct graph	*g = NULL;

	sched_fetch_graph(a, dag, run, &g, warn, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	return g;
}

static const char *
order_string(const struct graph *g, struct buf *b)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < g->ntasks; i++)
		buf_printf(b, "%s%s:%d", i ? " " : "",
		    g->tasks[g->order[i]].task_id, g->tasks[g->order[i]].depth);
	return buf_str(b);
}

/* Stores compressed_dag's document as zlib, the way Airflow does. */
static void
compress_in_place(void)
{
	PGconn		*c = admin("");
	PGresult	*res;
	unsigned char	*z;
	uLongf		 zlen;
	const char	*json, *params[1];
	int		 lens[1], fmts[1] = { 1 };

	res = PQexec(c, "SELECT data::text FROM serialized_dag WHERE "
	    "dag_id = 'compressed_dag' AND data IS NOT NULL");
	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	if (PQntuples(res) == 0) {	/* an earlier run did it */
		PQclear(res);
		PQfinish(c);
		return;
	}
	json = PQgetvalue(res, 0, 0);
	zlen = compressBound(strlen(json));
	z = malloc(zlen);
	assert_int_equal(compress(z, &zlen, (const Bytef *)json, strlen(json)),
	    Z_OK);
	PQclear(res);
	params[0] = (const char *)z;
	lens[0] = (int)zlen;
	res = PQexecParams(c, "UPDATE serialized_dag SET data = NULL, "
	    "data_compressed = $1 WHERE dag_id = 'compressed_dag'", 1, NULL,
	    params, lens, fmts, 0);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	free(z);
	PQfinish(c);
}

static void
test_task_graph(void **state)
{
	struct sched	*a = open_main();
	struct buf	 warn = BUF_INIT, b = BUF_INIT;
	struct graph	*g;
	bool		*mark;

	(void)state;
	/* The version the run was created with (3.x keeps a later one too). */
	g = graph_of(a, "etl_daily", "scheduled__d1", &warn);
	assert_non_null(g);
	assert_string_equal(buf_str(&warn), "");
	assert_string_equal(order_string(g, &b),
	    "extract:0 notify:1 transform:1 load:2 publish:3");
	mark = calloc(g->ntasks, sizeof *mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "transform"), mark), 3);
	assert_true(mark[graph_find(g, "publish")]);
	assert_false(mark[graph_find(g, "notify")]);
	free(mark);
	assert_string_equal(g->tasks[graph_find(g, "load")].task_type,
	    "BigQueryInsertJobOperator");
	graph_free(g);

	/* Latest version: 6 tasks on 3.x, the only one on 2.x. */
	g = graph_of(a, "etl_daily", NULL, &warn);
	assert_int_equal(g->ntasks, major == 3 ? 6 : 5);
	graph_free(g);

	g = graph_of(a, "mapped.dag", "scheduled__d1", &warn);
	assert_true(g->tasks[graph_find(g, "process")].mapped);
	assert_false(g->tasks[graph_find(g, "fetch")].mapped);
	graph_free(g);

	g = graph_of(a, "old_style", NULL, &warn);
	assert_string_equal(order_string(g, &b), "a:0 b:1");
	graph_free(g);

	compress_in_place();
	g = graph_of(a, "compressed_dag", NULL, &warn);
	assert_non_null(g);
	assert_string_equal(order_string(g, &b), "first:0 second:1 third:2");
	graph_free(g);

	/* Broken documents: no graph, a reason, no crash. */
	g = graph_of(a, "corrupt_dag", NULL, &warn);
	assert_null(g);
	assert_non_null(strstr(buf_str(&warn), "serialized DAG unreadable (zlib"));
	buf_reset(&warn);
	g = graph_of(a, "badjson_dag", NULL, &warn);
	assert_null(g);
	assert_non_null(strstr(buf_str(&warn), "no task list"));
	buf_reset(&warn);
	g = graph_of(a, "cycle_dag", NULL, &warn);
	assert_non_null(g);
	assert_non_null(strstr(buf_str(&warn), "unknown task"));
	assert_non_null(strstr(buf_str(&warn), "cycle through tasks: a b"));
	assert_string_equal(order_string(g, &b), "start:0 a:-1 b:-1");
	graph_free(g);
	buf_reset(&warn);
	g = graph_of(a, "no_such_dag", NULL, &warn);
	assert_null(g);
	assert_non_null(strstr(buf_str(&warn), "no serialized DAG"));
	buf_free(&warn);
	buf_free(&b);
	sched_free(a);
}

/* Sets corrupt_dag's data_compressed to z (zlen bytes); NULL: to was. */
static void
set_corrupt_dag(const unsigned char *z, size_t zlen)
{
	PGconn		*c = admin("");
	PGresult	*res;
	const char	*params[1] = { (const char *)z };
	int		 lens[1] = { (int)zlen }, fmts[1] = { 1 };

	res = PQexecParams(c, "UPDATE serialized_dag SET data_compressed = $1 "
	    "WHERE dag_id = 'corrupt_dag'", 1, NULL, params, lens, fmts, 0);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	PQfinish(c);
}

static double
seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Issue 14: a zlib bomb in data_compressed (a run of spaces, tens of KB
 * compressed, past serialized_dag_max inflated) fails that DAG's graph with
 * a reason, quickly; a parse bomb under the size ([{},{},...]) stops at the
 * parse budget.  The row is put back for the next run.
 */
static void
test_serdag_bomb(void **state)
{
	struct sched	*a = open_main();
	struct buf	 warn = BUF_INIT, doc = BUF_INIT;
	PGconn		*c = admin("");
	PGresult	*saved;
	unsigned char	*z;
	uLongf		 zlen;
	size_t		 n = 40u << 20;
	double		 t0;
	struct graph	*g;

	(void)state;
	saved = PQexecParams(c, "SELECT data_compressed FROM serialized_dag "
	    "WHERE dag_id = 'corrupt_dag'", 0, NULL, NULL, NULL, NULL, 1);
	assert_int_equal(PQresultStatus(saved), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(saved), 1);

	buf_puts(&doc, "{\"dag\": {\"tasks\": [");
	while (doc.len < n)
		buf_puts(&doc, "                ");
	buf_puts(&doc, "]}}");
	zlen = compressBound(doc.len);
	z = malloc(zlen);
	assert_int_equal(compress2(z, &zlen, (const Bytef *)doc.data, doc.len,
	    9), Z_OK);
	assert_true(zlen < 256 * 1024);
	set_corrupt_dag(z, zlen);
	t0 = seconds_now();
	g = graph_of(a, "corrupt_dag", NULL, &warn);
	assert_null(g);
	assert_true(seconds_now() - t0 < 2.0);
	assert_non_null(strstr(buf_str(&warn), "serialized DAG unreadable "
	    "(inflated document larger than 33554432 bytes "
	    "(serialized_dag_max))"));
	free(z);

	/* Under a 4 MiB setting, 4 MiB of [{},...] is too costly to parse. */
	buf_reset(&doc);
	buf_reset(&warn);
	buf_puts(&doc, "{\"dag\": {\"tasks\": [");
	while (doc.len < (4u << 20) - 16)
		buf_puts(&doc, "{},");
	buf_puts(&doc, "{}]}}");
	zlen = compressBound(doc.len);
	z = malloc(zlen);
	assert_int_equal(compress2(z, &zlen, (const Bytef *)doc.data, doc.len,
	    9), Z_OK);
	set_corrupt_dag(z, zlen);
	afdb_set_serdag_max(a, 4u << 20);
	g = graph_of(a, "corrupt_dag", NULL, &warn);
	assert_null(g);
	assert_non_null(strstr(buf_str(&warn), "too large to read"));
	free(z);

	/* The console goes on: another DAG's graph still reads. */
	g = graph_of(a, "compressed_dag", NULL, &warn);
	assert_non_null(g);
	graph_free(g);

	set_corrupt_dag((const unsigned char *)PQgetvalue(saved, 0, 0),
	    (size_t)PQgetlength(saved, 0, 0));
	PQclear(saved);
	PQfinish(c);
	buf_free(&doc);
	buf_free(&warn);
	sched_free(a);
}

static void
test_health(void **state)
{
	struct sched		*a = open_main();
	struct af_health	 h;
	struct waiter		 w = { false, NULL };
	char			*err = NULL;

	(void)state;
	memset(&h, 0, sizeof h);
	sched_fetch_health(a, &h, wake, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(af_job_state(&h.job[AF_JOB_SCHEDULER], h.now, 30),
	    HEALTH_OK);
	assert_int_equal(h.job[AF_JOB_SCHEDULER].running, 1);
	assert_string_equal(h.job[AF_JOB_SCHEDULER].hostname, "scheduler-0");
	assert_in_range(h.now - h.job[AF_JOB_SCHEDULER].last_heartbeat, 1, 25);
	assert_int_equal(af_job_state(&h.job[AF_JOB_TRIGGERER], h.now, 30),
	    HEALTH_OK);
	assert_int_equal(af_job_state(&h.job[AF_JOB_DAG_PROCESSOR], h.now, 30),
	    HEALTH_ABSENT);
	af_health_clear(&h);
	sched_free(a);

	a = open_as(dbname("_down"), "reader", &err);
	assert_non_null(a);
	sched_fetch_health(a, &h, wake, &w);
	wait_for(&w);
	assert_int_equal(af_job_state(&h.job[AF_JOB_SCHEDULER], h.now, 30),
	    HEALTH_DOWN);
	assert_in_range(h.now - h.job[AF_JOB_SCHEDULER].last_seen, 595, 700);
	af_health_clear(&h);
	sched_free(a);
}

static void
test_bad_databases(void **state)
{
	char		*err = NULL;
	struct sched	*a;

	(void)state;
	a = open_as("notairflow", "postgres", &err);
	assert_null(a);
	assert_string_equal(err, "not an Airflow metadata database: no table "
	    "alembic_version, dag_run, task_instance, serialized_dag, job");
	free(err);
	a = open_as("postgres", "postgres", &err);
	assert_null(a);
	assert_non_null(strstr(err, "none of the tables"));
	free(err);

	setenv("DAGTOP_TEST_PW", "wrong", 1);
	a = open_as(dbname(""), "reader", &err);
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	assert_null(a);
	assert_non_null(strstr(err, "password authentication failed for user \"reader\""));
	free(err);

	/* An unknown revision: read by its columns, with a warning. */
	a = open_as(dbname("_newer"), "reader", &err);
	assert_non_null(a);
	assert_int_equal(afdb_schema(a)->major, major);
	assert_null(afdb_schema(a)->release);
	assert_non_null(strstr(sched_warnings(a),
	    "unknown Airflow schema revision ffffffffffff"));
	sched_free(a);
}

static void
test_unreachable(void **state)
{
	struct settings		 s;
	struct db_params	 p;
	struct buf		 e = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*a;

	(void)state;
	memset(&s, 0, sizeof s);
	s.database = strdup("host=127.0.0.1 port=1 dbname=x user=x");
	s.statement_timeout = 30;
	s.connect_timeout = 5;
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	a = afdb_open(L, &p, 5000, wake, NULL, &w);
	wait_for(&w);
	assert_non_null(w.err);
	assert_non_null(strstr(w.err, "Connection refused"));
	sched_free(a);
	db_params_free(&p);
	free(w.err);
	free(s.database);
}

/*
 * database_password_command runs in the loop for each connection: its
 * first line is the password; a failing command is the connection's
 * failure, with the command's exit status, and no password reaches libpq.
 */
static void
test_password_command(void **state)
{
	struct settings		 s;
	struct db_params	 p;
	struct buf		 e = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*a;
	size_t			 i;

	(void)state;
	settings_for(&s, dbname(""), "reader");
	free(s.database_password_env);
	s.database_password_env = NULL;
	s.database_password_command = strdup("printf 'reader-secret\\nsecond "
	    "line'");
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	/* Not run while building: no password among the parameters yet. */
	for (i = 0; i < p.n; i++)
		assert_string_not_equal(p.keywords[i], "password");
	assert_string_equal(p.password_command, s.database_password_command);
	a = afdb_open(L, &p, 10000, wake, NULL, &w);
	wait_for(&w);
	assert_null(w.err);
	assert_int_equal(afdb_schema(a)->major, major);
	sched_free(a);
	db_params_free(&p);

	free(s.database_password_command);
	s.database_password_command = strdup("echo no >&2; exit 3");
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	a = afdb_open(L, &p, 10000, wake, NULL, &w);
	wait_for(&w);
	assert_non_null(w.err);
	assert_string_equal(w.err, "database_password_command failed: exited "
	    "with status 3: no");
	sched_free(a);
	db_params_free(&p);

	/* Freed while the command runs: it is killed, nothing is called. */
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	free(p.password_command);
	p.password_command = strdup("sleep 20");
	a = afdb_open(L, &p, 10000, wake, NULL, &w);
	sched_free(a);
	assert_false(w.done);
	db_params_free(&p);
	free(w.err);
	free(s.database);
	free(s.database_password_command);
	buf_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detects_version),
		cmocka_unit_test(test_session_is_read_only),
		cmocka_unit_test(test_dags),
		cmocka_unit_test(test_runs_in_window),
		cmocka_unit_test(test_run_types),
		cmocka_unit_test(test_recent_runs_per_dag),
		cmocka_unit_test(test_manual_rerun_is_latest),
		cmocka_unit_test(test_task_instances),
		cmocka_unit_test(test_attention_tis),
		cmocka_unit_test(test_task_graph),
		cmocka_unit_test(test_serdag_bomb),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_bad_databases),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_password_command),
	};
	int rc;

	if (dbtest_env(true) == -1)
		return 1;
	major = schema == 2 ? 2 : 3;
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group(""), tests, NULL, NULL);
	loop_free(L);
	return rc;
}
