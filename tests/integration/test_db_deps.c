/*
 * test_db_deps.c: the database source's dependencies across DAGs
 * (airflow_db_deps.c) against a real PostgreSQL (run.sh sets it up): the
 * facts and the state of fixture_deps2.sql / fixture_deps3.sql
 * (af<schema>_deps), the same on 2.10, 3.1 and 3.2; the documented
 * consumers of the reference examples' seed (af<schema>_depex,
 * airflow_dependencies.md §2); a 2.8 database (no aliases, no expression:
 * af2_deps28) and one without the dependency tables (af<schema>_nodeps);
 * and the statements: one for the facts, one for the state, none holding
 * a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "airflow_db.h"
#include "dbtest.h"
#include "depgraph.h"
#include "loop.h"
#include "graph.h"
#include "scheduler.h"

/* The fixture's instants (its header): the failure, and what came before. */
#define T_FAILED	1773112320	/* 2026-03-10 03:12 UTC */
#define T_ORDERS	1773018720	/* 2026-03-09 01:12, T_FAILED - 26 h */
#define T_CUSTOMERS	1773108480	/* 2026-03-10 02:08 */
#define T_DUE		1773104400	/* 2026-03-10 01:00 */
#define NEWEST_RUN	"scheduled__2026-03-09T01:00:00+00:00"

static struct sched *
open_db(const char *suffix)
{
	char		*err = NULL;
	struct sched	*a = open_as(dbname(suffix), "reader", &err);

	if (a == NULL)
		fail_msg("cannot open af%d%s: %s", schema, suffix, err);
	return a;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
fetch_deps(struct sched *a, struct dep_facts *f)
{
	struct waiter	w = { false, NULL };
	double		t0 = now_ms();

	memset(f, 0, sizeof *f);
	sched_fetch_deps(a, f, wake, &w);
	wait_ok(&w);
	fprintf(stderr, "  fetch_deps: %.2f ms\n", now_ms() - t0);
}

static void
fetch_state(struct sched *a, const struct dep_ask *ask, struct dep_state *st)
{
	struct waiter	w = { false, NULL };
	double		t0 = now_ms();

	memset(st, 0, sizeof *st);
	sched_fetch_dep_state(a, ask, st, wake, &w);
	wait_ok(&w);
	fprintf(stderr, "  fetch_dep_state: %.2f ms\n", now_ms() - t0);
}

static const struct dep_dag_fact *
dag(const struct dep_facts *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->ndags; i++)
		if (strcmp(f->dags[i].dag_id, id) == 0)
			return &f->dags[i];
	fail_msg("no DAG %s among the facts", id);
	return NULL;
}

static size_t
asset(const struct dep_facts *f, const char *uri)
{
	size_t i = dep_facts_find_asset(f, 0, uri);

	if (i == (size_t)-1)
		fail_msg("no asset %s among the facts", uri);
	return i;
}

/* How many outlets of dag.task (task NULL: DAG level) name the asset. */
static int
outlets_to(const struct dep_facts *f, const char *dag_id, const char *task,
    enum dep_target_kind kind, size_t target)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < f->noutlets; i++) {
		const struct dep_outlet_fact *o = &f->outlets[i];

		if (strcmp(o->dag_id, dag_id) == 0 && o->kind == kind &&
		    o->target == target && (task == NULL ? o->task_id == NULL :
		    o->task_id != NULL && strcmp(o->task_id, task) == 0))
			n++;
	}
	return n;
}

static int
schedules_on(const struct dep_facts *f, const char *dag_id,
    enum dep_target_kind kind, size_t target)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < f->nschedules; i++)
		if (strcmp(f->schedules[i].dag_id, dag_id) == 0 &&
		    f->schedules[i].kind == kind &&
		    f->schedules[i].target == target)
			n++;
	return n;
}

static int
links(const struct dep_facts *f, enum dep_link_kind kind, const char *source,
    const char *target, const char *task)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < f->nlinks; i++) {
		const struct dep_link_fact *l = &f->links[i];

		if (l->kind == kind && strcmp(l->source, source) == 0 &&
		    strcmp(l->target, target) == 0 &&
		    strcmp(l->task_id, task) == 0)
			n++;
	}
	return n;
}

/*
 * The facts of the fixture, the same on every schema: its 12 DAGs with
 * their pause, activity, clock and expression, 8 assets (one orphaned),
 * the alias and what it resolved to, the outlets (the tables' and the
 * alias outlet from dag_dependencies), the schedules, and the sensors
 * and triggers of the newest serialized DAGs, the compressed one
 * included (sales_mart's older version's trigger is not).
 */
static void
test_facts(void **state)
{
	struct sched		*a = open_db("_deps");
	struct dep_facts	 f;
	const struct dep_dag_fact *d;
	size_t			 orders, customers, alias;

	(void)state;
	fetch_deps(a, &f);
	assert_string_equal(buf_str(&f.gaps), "");
	assert_string_equal(buf_str(&f.warnings), "");
	assert_int_equal(f.ndags, 12);
	d = dag(&f, "ingest_orders");
	assert_true(d->timed && d->active && !d->paused);
	assert_null(d->expression);
	assert_int_equal(d->next_run_after, T_DUE + 86400);
	d = dag(&f, "report_x");
	assert_true(d->timed);
	d = dag(&f, "sales_mart");
	assert_false(d->timed);
	assert_non_null(d->expression);
	assert_non_null(strstr(d->expression, "\"all\""));
	assert_int_equal(d->next_run_after, TIME_NONE);
	d = dag(&f, "finance_mart");
	assert_non_null(strstr(d->expression, "\"any\""));
	d = dag(&f, "alias_mart");
	assert_non_null(strstr(d->expression, "orders_alias"));
	assert_false(dag(&f, "exports")->timed);
	assert_null(dag(&f, "exports")->expression);
	assert_true(dag(&f, "archive")->paused);
	assert_false(dag(&f, "old_mart")->active);
	assert_true(dag(&f, "cyc_a")->active);

	assert_int_equal(f.nassets, 8);
	orders = asset(&f, "bq://dwh/orders");
	customers = asset(&f, "bq://dwh/customers");
	assert_int_equal(f.assets[orders].id, 1);
	assert_string_equal(f.assets[orders].name, "bq://dwh/orders");
	assert_true(f.assets[orders].active);
	assert_false(f.assets[asset(&f, "bq://dwh/legacy")].active);
	assert_int_equal(f.naliases, 1);
	alias = dep_facts_find_alias(&f, "orders_alias");
	assert_int_not_equal(alias, (size_t)-1);
	assert_int_equal(f.aliases[alias].nassets, 1);
	assert_int_equal(f.aliases[alias].assets[0],
	    asset(&f, "bq://dwh/orders_snapshot"));

	/*
	 * Five outlets in the tables; the alias one, which dag_dependencies
	 * names for the DAG, is publish's (its serialized task's outlets).
	 */
	assert_int_equal(f.noutlets, 6);
	assert_int_equal(outlets_to(&f, "ingest_orders", "load", DEP_TO_ASSET,
	    orders), 1);
	assert_int_equal(outlets_to(&f, "ingest_customers", "load",
	    DEP_TO_ASSET, customers), 1);
	assert_int_equal(outlets_to(&f, "exports", "push", DEP_TO_ASSET,
	    asset(&f, "bq://dwh/exports")), 1);
	assert_int_equal(outlets_to(&f, "ingest_orders", "publish",
	    DEP_TO_ALIAS, alias), 1);
	assert_int_equal(outlets_to(&f, "ingest_orders", NULL, DEP_TO_ALIAS,
	    alias), 0);

	assert_int_equal(f.nschedules, 10);
	assert_int_equal(schedules_on(&f, "sales_mart", DEP_TO_ASSET, orders),
	    1);
	assert_int_equal(schedules_on(&f, "sales_mart", DEP_TO_ASSET,
	    customers), 1);
	assert_int_equal(schedules_on(&f, "finance_mart", DEP_TO_ASSET,
	    customers), 1);
	assert_int_equal(schedules_on(&f, "alias_mart", DEP_TO_ALIAS, alias),
	    1);
	assert_int_equal(schedules_on(&f, "old_mart", DEP_TO_ASSET, orders), 1);
	assert_int_equal(schedules_on(&f, "ghost_mart", DEP_TO_ASSET,
	    asset(&f, "bq://dwh/ghost")), 1);

	assert_int_equal(f.nlinks, 3);
	assert_int_equal(links(&f, DEP_SENSOR, "sales_mart", "report_x",
	    "wait_sales"), 1);
	assert_int_equal(links(&f, DEP_TRIGGER, "sales_mart", "exports",
	    "kick"), 1);
	assert_int_equal(links(&f, DEP_SENSOR, "legacy_dag", "ghost_mart",
	    "wait_legacy"), 1);
	dep_facts_free(&f);
	sched_free(a);
}

static const struct dep_dag_state *
dag_state(const struct dep_state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->ndags; i++)
		if (strcmp(st->dags[i].dag_id, id) == 0)
			return &st->dags[i];
	fail_msg("no state for DAG %s", id);
	return NULL;
}

/*
 * The state a walk from sales_mart needs, in one statement: the newest
 * runs (ingest_orders' failed with load on try 3 of 3), medians of the
 * newest 10 successes, the newest events and who wrote them (an asset
 * asked by uri alone is found), the assets queued for sales_mart, now.
 */
static void
test_state(void **state)
{
	static const char *dags[] = { "sales_mart", "ingest_orders",
		"ingest_customers", "ghost_mart", "nosuch", "ingest_orders" };
	static int64_t ids[] = { 1, 2, 6, 0 };
	static const char *uris[] = { "bq://dwh/orders", "bq://dwh/customers",
		"bq://dwh/ghost", "bq://dwh/orders_snapshot" };
	struct sched		*a = open_db("_deps");
	struct dep_ask		 ask;
	struct dep_state	 st;
	const struct dep_dag_state *d;
	size_t			 i;

	(void)state;
	memset(&ask, 0, sizeof ask);
	ask.dag_ids = dags;
	ask.ndags = 6;
	ask.asset_ids = ids;
	ask.asset_uris = uris;
	ask.nassets = 4;
	ask.consumer = "sales_mart";
	fetch_state(a, &ask, &st);

	/* Sorted, unique. */
	assert_int_equal(st.ndags, 5);
	for (i = 1; i < st.ndags; i++)
		assert_true(strcmp(st.dags[i - 1].dag_id, st.dags[i].dag_id) <
		    0);
	d = dag_state(&st, "ingest_orders");
	assert_true(d->has_run);
	assert_string_equal(d->run_id, NEWEST_RUN);
	assert_int_equal(d->run_state, RUN_FAILED);
	assert_int_equal(d->run_start, T_DUE);
	assert_int_equal(d->run_end, T_FAILED);
	assert_int_equal(d->run_after, T_DUE);
	assert_non_null(d->bad_task);
	assert_string_equal(d->bad_task, "load");
	assert_int_equal(d->bad_state, TI_FAILED);
	assert_int_equal(d->bad_try, 3);
	assert_int_equal(d->bad_max_tries, 3);	/* max_tries 2 + 1 */
	assert_int_equal(d->bad_end, T_FAILED);
	assert_int_equal(d->median, 1230);	/* of all 11: 1260 */
	d = dag_state(&st, "ingest_customers");
	assert_int_equal(d->run_state, RUN_SUCCESS);
	assert_null(d->bad_task);
	assert_int_equal(d->median, 600);
	d = dag_state(&st, "sales_mart");
	assert_int_equal(d->median, 1200);
	d = dag_state(&st, "ghost_mart");
	assert_false(d->has_run);
	assert_int_equal(d->median, -1);
	assert_false(dag_state(&st, "nosuch")->has_run);

	assert_int_equal(st.nassets, 4);
	assert_int_equal(st.assets[0].id, 1);
	assert_int_equal(st.assets[0].last_event, T_ORDERS);
	assert_int_equal(st.assets[0].last_event, T_FAILED - 26 * 3600);
	assert_string_equal(st.assets[0].source_dag, "ingest_orders");
	assert_string_equal(st.assets[0].source_task, "load");
	assert_string_equal(st.assets[0].source_run,
	    "scheduled__2026-03-08T01:00:00+00:00");
	assert_int_equal(st.assets[1].last_event, T_CUSTOMERS);
	assert_int_equal(st.assets[2].last_event, TIME_NONE);
	assert_null(st.assets[2].source_dag);
	assert_int_equal(st.assets[3].id, 7);
	assert_string_equal(st.assets[3].source_task, "publish");

	assert_non_null(st.queued_for);
	assert_string_equal(st.queued_for, "sales_mart");
	assert_int_equal(st.nqueued, 1);
	assert_int_equal(st.queued[0], 2);
	assert_string_equal(st.queued_uri[0], "bq://dwh/customers");
	assert_true(st.now > (int64_t)time(NULL) - 60 &&
	    st.now < (int64_t)time(NULL) + 60);
	dep_state_free(&st);

	/* Nothing asked: the clock alone. */
	memset(&ask, 0, sizeof ask);
	fetch_state(a, &ask, &st);
	assert_int_equal(st.ndags, 0);
	assert_int_equal(st.nassets, 0);
	assert_int_equal(st.nqueued, 0);
	assert_true(st.now != TIME_NONE);
	dep_state_free(&st);
	sched_free(a);
}

/*
 * The direct consumers of producer.load in the reference examples' seed
 * (airflow_dependencies.md §2), from the facts: the active DAGs scheduled
 * on an asset it writes, by id, or on 3.x by a name or uri reference to
 * it.  2.10: consumer_a, consumer_ab, paused_c; 3.1: consumer_a,
 * consumer_ab, ref_consumer, uri_consumer, not stale_c.  And the links.
 */
static void
test_examples(void **state)
{
	struct sched		*a = open_db("_depex");
	struct dep_facts	 f;
	struct buf		 got = BUF_INIT;
	size_t			 i, k;

	(void)state;
	fetch_deps(a, &f);
	for (i = 0; i < f.nschedules; i++) {
		const struct dep_schedule_fact *s = &f.schedules[i];

		for (k = 0; k < f.noutlets; k++) {
			const struct dep_outlet_fact	*o = &f.outlets[k];
			const struct dep_asset_fact	*t;

			if (strcmp(o->dag_id, "producer") != 0 ||
			    o->task_id == NULL ||
			    strcmp(o->task_id, "load") != 0 ||
			    o->kind != DEP_TO_ASSET)
				continue;
			t = &f.assets[o->target];
			if (!t->active || !dag(&f, s->dag_id)->active)
				continue;
			if ((s->kind == DEP_TO_ASSET && s->target == o->target) ||
			    (s->kind == DEP_TO_NAME_REF &&
			    strcmp(s->ref, t->name) == 0) ||
			    (s->kind == DEP_TO_URI_REF &&
			    strcmp(s->ref, t->uri) == 0))
				buf_printf(&got, "%s%s", got.len > 0 ? " " : "",
				    s->dag_id);
		}
	}
	/* The facts come in the tables' order: compare as sorted words. */
	if (schema == 2)
		assert_int_equal(f.nschedules, 6);
	else
		assert_int_equal(f.nschedules, 8);
	{
		const char	*want = schema == 2 ?
				    "consumer_a consumer_ab paused_c" :
				    "consumer_a consumer_ab ref_consumer "
				    "uri_consumer";
		char		*w[8], *copy = strdup(buf_str(&got)), *p, *sv;
		struct buf	 sorted = BUF_INIT;
		size_t		 n = 0, x, y;

		for (p = strtok_r(copy, " ", &sv); p != NULL && n < 8;
		    p = strtok_r(NULL, " ", &sv))
			w[n++] = p;
		for (x = 0; x < n; x++)
			for (y = x + 1; y < n; y++)
				if (strcmp(w[y], w[x]) < 0) {
					p = w[x];
					w[x] = w[y];
					w[y] = p;
				}
		for (x = 0; x < n; x++)
			buf_printf(&sorted, "%s%s", x > 0 ? " " : "", w[x]);
		assert_string_equal(buf_str(&sorted), want);
		buf_free(&sorted);
		free(copy);
	}
	assert_int_equal(links(&f, DEP_SENSOR, "consumer_a", "sensor_y",
	    "wait_for_a"), 1);
	assert_int_equal(links(&f, DEP_TRIGGER, "consumer_a", "downstream_x",
	    "trigger"), 1);
	/* 3.x's seed serializes the tasks: the alias outlet is emit's. */
	assert_int_equal(outlets_to(&f, "producer", schema == 2 ? NULL : "emit",
	    DEP_TO_ALIAS, dep_facts_find_alias(&f, "al1")), 1);
	buf_free(&got);
	dep_facts_free(&f);
	sched_free(a);
}

/*
 * A 2.8 database (af2_deps28: the fixture without the alias tables and
 * dataset_expression): the same assets and asset schedules, no aliases,
 * no expressions, no error.  3.x has no such release: skipped.
 */
static void
test_28(void **state)
{
	struct sched		*a;
	struct dep_facts	 f;

	(void)state;
	if (schema != 2)
		skip();
	a = open_db("_deps28");
	fetch_deps(a, &f);
	assert_string_equal(buf_str(&f.gaps), "");
	assert_int_equal(f.ndags, 12);
	assert_int_equal(f.nassets, 8);
	assert_null(dag(&f, "sales_mart")->expression);
	assert_false(dag(&f, "sales_mart")->timed);
	assert_int_equal(f.nschedules, 9);
	/* The alias outlet of dag_dependencies still names it. */
	assert_int_equal(f.naliases, 1);
	assert_int_equal(f.aliases[0].nassets, 0);
	assert_int_equal(f.nlinks, 3);
	dep_facts_free(&f);
	sched_free(a);
}

/*
 * A database with Airflow's core tables alone (af<schema>_nodeps): no
 * error, the DAGs, no assets, and a gap line saying why; the state has
 * its DAGs and no assets.
 */
static void
test_no_tables(void **state)
{
	static const char *dags[] = { "nosuch" };
	static int64_t ids[] = { 1 };
	static const char *uris[] = { "bq://dwh/orders" };
	struct sched		*a = open_db("_nodeps");
	struct dep_facts	 f;
	struct dep_state	 st;
	struct dep_ask		 ask;

	(void)state;
	fetch_deps(a, &f);
	assert_int_equal(f.nassets, 0);
	assert_int_equal(f.nschedules, 0);
	assert_int_equal(f.noutlets, 0);
	assert_non_null(strstr(buf_str(&f.gaps), "no dataset or asset "
	    "tables"));
	dep_facts_free(&f);
	memset(&ask, 0, sizeof ask);
	ask.dag_ids = dags;
	ask.ndags = 1;
	ask.asset_ids = ids;
	ask.asset_uris = uris;
	ask.nassets = 1;
	ask.consumer = "nosuch";
	fetch_state(a, &ask, &st);
	assert_int_equal(st.ndags, 1);
	assert_false(st.dags[0].has_run);
	assert_int_equal(st.nassets, 1);
	assert_int_equal(st.assets[0].last_event, TIME_NONE);
	assert_true(st.now != TIME_NONE);
	dep_state_free(&st);
	sched_free(a);
}

/*
 * The impact as one line per item, in tree order: kind, name, via, depth
 * and the marks ("sales_mart dag schedule 3 paused"), for comparing.
 */
static void
impact_text(const struct dep_impact *imp, struct buf *out)
{
	size_t i;

	for (i = 0; i < imp->nitems; i++) {
		const struct dep_item *it = &imp->items[i];

		buf_printf(out, "%s %s%s%s %s %d%s%s%s%s\n",
		    dep_node_kind_name(it->kind),
		    it->kind == DEP_NODE_ASSET || it->kind == DEP_NODE_ALIAS ?
		    it->asset : it->dag_id,
		    it->kind == DEP_NODE_TASK ? "." : "",
		    it->kind == DEP_NODE_TASK ? it->task_id : "",
		    dep_via_name(it->via), it->depth,
		    it->paused ? " paused" : "", it->inactive ? " inactive" : "",
		    it->not_on_time ? " not-on-time" : "",
		    it->other_producer ? " other-producer" : "");
	}
}

/*
 * What ingest_orders.load failing holds back, through the real source
 * and the model, the same on every schema (the fixture's header works it
 * out): publish; orders, and the alias with orders_snapshot, which only
 * publish writes through it; sales_mart (all), alias_mart, old_mart
 * (inactive), and through sales_mart report_x (sensor), exports (trigger)
 * and through exports' asset archive (paused); not finance_mart (any:
 * customers still feeds it), nor the cycle or ghost_mart, which the
 * graph's warnings name.
 */
static void
test_impact(void **state)
{
	/* impact_text: the tree, depth first, each node under its parent. */
	static const char want[] =
	    "task ingest_orders.load failure 0\n"
	    "task ingest_orders.publish task 1\n"
	    "alias orders_alias outlet 2\n"
	    "dag alias_mart schedule 3\n"
	    "asset bq://dwh/orders_snapshot alias 3\n"
	    "asset bq://dwh/orders outlet 1\n"
	    "dag old_mart schedule 2 inactive\n"
	    "dag sales_mart schedule 2\n"
	    "dag exports trigger 3\n"
	    "asset bq://dwh/exports outlet 4\n"
	    "dag archive schedule 5 paused not-on-time\n"
	    "dag report_x sensor 3\n";
	struct sched		*a = open_db("_deps");
	struct dep_facts	 f;
	struct depgraph		*g;
	struct graph		*tg = NULL;
	struct buf		 warn = BUF_INIT, got = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct dep_impact	 imp;

	(void)state;
	fetch_deps(a, &f);
	g = depgraph_build(&f);
	assert_non_null(g);
	dep_facts_free(&f);
	sched_fetch_graph(a, "ingest_orders", NEWEST_RUN, &tg, &warn, wake,
	    &w);
	wait_ok(&w);
	assert_non_null(tg);
	assert_non_null(strstr(depgraph_warnings(g), "cyc_a"));
	assert_non_null(strstr(depgraph_warnings(g), "legacy_dag"));
	assert_true(depgraph_has_dag(g, "sales_mart"));
	memset(&imp, 0, sizeof imp);
	assert_int_equal(dep_impact(g, "ingest_orders", "load", tg, NULL,
	    &imp), 0);
	impact_text(&imp, &got);
	assert_string_equal(buf_str(&got), want);
	/*
	 * Held back: alias_mart, sales_mart, exports, archive, report_x
	 * (old_mart is inactive: marked, not counted); publish; orders,
	 * orders_snapshot, exports.
	 */
	assert_int_equal(imp.ndags, 5);
	assert_int_equal(imp.ntasks, 1);
	assert_int_equal(imp.nassets, 3);
	dep_impact_free(&imp);
	graph_free(tg);
	depgraph_free(g);
	buf_free(&warn);
	buf_free(&got);
	sched_free(a);
}

/*
 * Why sales_mart has not run, through the real source and the model, the
 * same on every schema: what dep_upstream_ask names, read in one
 * statement, walked up to ingest_orders.load's failure (the clock set at
 * the failure, so that the sentence's 26 h are the fixture's).
 */
static void
test_why(void **state)
{
	struct sched		*a = open_db("_deps");
	struct dep_facts	 f;
	struct depgraph		*g;
	struct dep_ask		 ask;
	struct dep_state	 st;
	struct dep_why		 w;

	(void)state;
	fetch_deps(a, &f);
	g = depgraph_build(&f);
	assert_non_null(g);
	dep_facts_free(&f);

	dep_upstream_ask(g, "sales_mart", 8, &ask);
	fetch_state(a, &ask, &st);
	st.now = T_FAILED;
	dep_why(g, "sales_mart", &st, NULL, &w);
	assert_true(w.found);
	/* 1d02h: 26 h, as the model writes a duration. */
	assert_string_equal(buf_str(&w.sentence), "sales_mart waits for asset "
	    "bq://dwh/orders, last updated 1d02h ago by ingest_orders.load, "
	    "which failed at 03:12, try 3/3");
	dep_why_free(&w);
	dep_state_free(&st);
	dep_ask_free(&ask);

	depgraph_free(g);
	sched_free(a);
}

/*
 * One statement for the facts (the reference tables and the
 * dag_dependencies lists together) and one for the state, every time (the
 * second read runs them prepared), and no value in their text: with the
 * connection's schema detection and the failed DAG's task graph, an
 * impact is four statements (issue 19's bench target).
 */
static void
test_statements(void **state)
{
	static const char *dags[] = { "ingest_orders", "sales_mart" };
	static int64_t ids[] = { 1 };
	static const char *uris[] = { "bq://dwh/orders" };
	char			 path[] = "/tmp/dagtop-deps-trace.XXXXXX";
	struct sched		*a;
	struct dep_facts	 f;
	struct dep_state	 st;
	struct dep_ask		 ask;
	int			 fd, base, after, i;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	setenv("DAGTOP_TRACE_SQL", path, 1);
	a = open_db("_deps");
	unsetenv("DAGTOP_TRACE_SQL");
	memset(&ask, 0, sizeof ask);
	ask.dag_ids = dags;
	ask.ndags = 2;
	ask.asset_ids = ids;
	ask.asset_uris = uris;
	ask.nassets = 1;
	ask.consumer = "sales_mart";
	for (i = 0; i < 2; i++) {
		base = dbtest_traced(path, NULL);
		fetch_deps(a, &f);
		after = dbtest_traced(path, "ingest_orders");
		if (after - base != 1)
			fail_msg("the facts took %d statements (1)",
			    after - base);
		dep_facts_free(&f);
		base = after;
		fetch_state(a, &ask, &st);
		after = dbtest_traced(path, "ingest_orders");
		if (after - base != 1)
			fail_msg("the state took %d statements (1)",
			    after - base);
		assert_int_equal(st.ndags, 2);
		dep_state_free(&st);
	}
	sched_free(a);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_impact),
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_28),
		cmocka_unit_test(test_no_tables),
		cmocka_unit_test(test_statements),
	};
	int rc;

	if (dbtest_env(true) == -1)
		return 1;
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group("deps-"), tests, NULL,
	    NULL);
	loop_free(L);
	return rc;
}
