/*
 * test_depgraph.c: the dependency graph across DAGs (src/model/depgraph*.c):
 * the facts, the two JSON documents Airflow stores (expressions of 2.x and
 * 3.x, dag_dependencies of 2.10 and 3.1), the build with its dangling
 * references and cycles, the impact of a failure on hand-drawn graphs
 * (the expected answer worked out in a comment above each), the SLAs it
 * holds back and the rerun modal's line, and the upstream walk.  The
 * scenarios follow the seeds of airflow{2,3}_dependency_examples.sql.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "depgraph_int.h"
#include "graph.h"
#include "sla.h"
#include "tz.h"

#define NONE ((size_t)-1)

/* ----------------------------------------------------------------------
 * Building facts by hand.
 */

static void
add_dag(struct dep_facts *f, const char *id, const char *expr)
{
	struct dep_dag_fact *d = dep_facts_dag(f);

	d->dag_id = xstrdup(id);
	d->expression = dup_or_null(expr);
}

static struct dep_dag_fact *
fact_dag(struct dep_facts *f, const char *id)
{
	size_t	i;

	for (i = f->ndags; i > 0; i--)	/* the last: it wins in the build */
		if (strcmp(f->dags[i - 1].dag_id, id) == 0)
			return &f->dags[i - 1];
	fail_msg("no DAG %s in the facts", id);
	return NULL;
}

static size_t
add_asset(struct dep_facts *f, int64_t id, const char *name, const char *uri)
{
	struct dep_asset_fact *a = dep_facts_asset(f);

	a->id = id;
	a->name = dup_or_null(name);
	a->uri = xstrdup(uri);
	return f->nassets - 1;
}

static void
add_outlet(struct dep_facts *f, const char *dag, const char *task,
    size_t asset)
{
	struct dep_outlet_fact *o = dep_facts_outlet(f);

	o->dag_id = xstrdup(dag);
	o->task_id = dup_or_null(task);
	o->kind = DEP_TO_ASSET;
	o->target = asset;
}

static void
add_schedule(struct dep_facts *f, const char *dag, enum dep_target_kind kind,
    size_t target, const char *ref)
{
	struct dep_schedule_fact *s = dep_facts_schedule(f);

	s->dag_id = xstrdup(dag);
	s->kind = kind;
	s->target = target;
	s->ref = dup_or_null(ref);
}

static void
add_link(struct dep_facts *f, enum dep_link_kind kind, const char *source,
    const char *target, const char *task)
{
	struct dep_link_fact *l = dep_facts_link(f);

	l->kind = kind;
	l->source = xstrdup(source);
	l->target = xstrdup(target);
	l->task_id = xstrdup(task);
}

static size_t
add_deps(struct dep_facts *f, const char *dag, const char *json)
{
	return dep_facts_add_dependencies(f, dag, json, strlen(json));
}

/*
 * The 3.1 seed (airflow3_dependency_examples.sql): producer.load -> a,
 * producer.load2 -> b, producer.emit -> alias al1 (emit is downstream of
 * load); consumer_a [a] triggers downstream_x (task "trigger");
 * consumer_ab [a, b]; ref_consumer Asset.ref(name="a"); uri_consumer
 * Asset.ref(uri="s3://b/a"); alias_consumer on al1; stale_c [a] but stale;
 * sensor_y senses consumer_a; downstream_x.publish -> c; consumer_c on c.
 */
static void
seed3(struct dep_facts *f)
{
	size_t	a, b, c;

	add_dag(f, "producer", NULL);
	fact_dag(f, "producer")->timed = true;
	add_dag(f, "consumer_a", "{\"all\": [{\"asset\": {\"uri\": "
	    "\"s3://b/a\", \"name\": \"a\", \"group\": \"asset\", \"id\": 1}}]}");
	add_dag(f, "consumer_ab", "{\"all\": [{\"asset\": {\"uri\": "
	    "\"s3://b/a\", \"name\": \"a\", \"group\": \"asset\", \"id\": 1}}, "
	    "{\"asset\": {\"uri\": \"s3://b/b\", \"name\": \"b\", \"group\": "
	    "\"asset\", \"id\": 2}}]}");
	add_dag(f, "ref_consumer", "{\"asset_ref\": {\"name\": \"a\"}}");
	add_dag(f, "uri_consumer", "{\"asset_ref\": {\"uri\": \"s3://b/a\"}}");
	add_dag(f, "alias_consumer", "{\"alias\": {\"name\": \"al1\", "
	    "\"group\": \"asset\"}}");
	add_dag(f, "stale_c", "{\"all\": [{\"asset\": {\"uri\": \"s3://b/a\", "
	    "\"name\": \"a\", \"group\": \"asset\", \"id\": 1}}]}");
	fact_dag(f, "stale_c")->active = false;
	add_dag(f, "downstream_x", NULL);
	add_dag(f, "sensor_y", NULL);
	add_dag(f, "consumer_c", "{\"asset\": {\"uri\": \"s3://b/c\", "
	    "\"name\": \"c\", \"group\": \"asset\", \"id\": 3}}");
	a = add_asset(f, 1, "a", "s3://b/a");
	b = add_asset(f, 2, "b", "s3://b/b");
	c = add_asset(f, 3, "c", "s3://b/c");
	dep_facts_alias(f)->name = xstrdup("al1");
	add_outlet(f, "producer", "load", a);
	add_outlet(f, "producer", "load2", b);
	add_outlet(f, "downstream_x", "publish", c);
	add_schedule(f, "consumer_a", DEP_TO_ASSET, a, NULL);
	add_schedule(f, "consumer_ab", DEP_TO_ASSET, a, NULL);
	add_schedule(f, "consumer_ab", DEP_TO_ASSET, b, NULL);
	add_schedule(f, "stale_c", DEP_TO_ASSET, a, NULL);
	add_schedule(f, "consumer_c", DEP_TO_ASSET, c, NULL);
	add_schedule(f, "ref_consumer", DEP_TO_NAME_REF, 0, "a");
	add_schedule(f, "uri_consumer", DEP_TO_URI_REF, 0, "s3://b/a");
	add_schedule(f, "alias_consumer", DEP_TO_ALIAS, 0, NULL);
	assert_int_equal(add_deps(f, "producer", "["
	    "{\"source\": \"producer\", \"target\": \"asset\", \"label\": \"a\","
	    " \"dependency_type\": \"asset\", \"dependency_id\": "
	    "\"{\\\"name\\\": \\\"a\\\", \\\"uri\\\": \\\"s3://b/a\\\"}\"},"
	    "{\"source\": \"producer\", \"target\": \"asset-alias\", \"label\":"
	    " \"al1\", \"dependency_type\": \"asset-alias\", \"dependency_id\":"
	    " \"al1\"}]"), 1);
	assert_int_equal(add_deps(f, "consumer_a", "["
	    "{\"source\": \"asset\", \"target\": \"consumer_a\", \"label\": "
	    "\"a\", \"dependency_type\": \"asset\", \"dependency_id\": \"a\"},"
	    "{\"source\": \"consumer_a\", \"target\": \"downstream_x\", "
	    "\"label\": \"trigger\", \"dependency_type\": \"trigger\", "
	    "\"dependency_id\": \"trigger\"}]"), 1);
	assert_int_equal(add_deps(f, "sensor_y", "["
	    "{\"source\": \"consumer_a\", \"target\": \"sensor_y\", \"label\": "
	    "\"wait_for_a\", \"dependency_type\": \"sensor\", "
	    "\"dependency_id\": \"wait_for_a\"}]"), 1);
	assert_int_equal(add_deps(f, "alias_consumer", "["
	    "{\"source\": \"asset-alias\", \"target\": \"alias_consumer\", "
	    "\"label\": \"al1\", \"dependency_type\": \"asset-alias\", "
	    "\"dependency_id\": \"al1\"}]"), 0);
}

/* producer's task graph: load -> emit; load2 alone. */
static struct graph *
producer_graph(void)
{
	struct graph *tg = graph_new();

	graph_add_task(tg, "load", NULL, false, 0);
	graph_add_task(tg, "emit", NULL, false, 0);
	graph_add_task(tg, "load2", NULL, false, 0);
	graph_add_edge(tg, "load", "emit");
	graph_finish(tg);
	return tg;
}

/*
 * Whether dag's condition is held back when the assets of the uris listed
 * (space separated) and the aliases after a "|" are.
 */
static bool
cond_held(const struct depgraph *g, const char *dag, const char *held)
{
	bool	*asset, *alias, r;
	char	*s = xstrdup(held), *w, *save = NULL;
	size_t	 d, i, n;
	bool	 aliases = false;

	asset = xcalloc(g->nassets + 1, sizeof *asset);
	alias = xcalloc(g->naliases + 1, sizeof *alias);
	for (w = strtok_r(s, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if (strcmp(w, "|") == 0) {
			aliases = true;
			continue;
		}
		if (aliases) {
			i = dg_find_alias(g, w);
			assert_true(i != NONE);
			alias[i] = true;
			continue;
		}
		i = dg_find_uri(g, w, &n);
		assert_true(i != NONE);
		asset[g->by_uri[i].i] = true;
	}
	d = dg_find_dag(g, dag);
	assert_true(d != NONE);
	assert_true(g->dags[d].nx > 0);
	r = dg_x_held(&g->dags[d], 0, asset, alias);
	free(asset);
	free(alias);
	free(s);
	return r;
}

/* ----------------------------------------------------------------------
 * Facts.
 */

static void
test_facts_push_and_find(void **state)
{
	struct dep_facts	f = { 0 };

	(void)state;
	assert_true(dep_facts_dag(&f)->active);
	assert_int_equal(dep_facts_dag(&f)->next_run_after, TIME_NONE);
	add_asset(&f, 7, "a", "s3://b/a");
	add_asset(&f, 0, NULL, "s3://b/b");
	add_asset(&f, 9, "c", "s3://b/c");
	assert_int_equal(f.nassets, 3);
	assert_int_equal(dep_facts_find_asset(&f, 9, NULL), 2);
	/* the id wins over the uri; an unknown id falls back on the uri */
	assert_int_equal(dep_facts_find_asset(&f, 9, "s3://b/a"), 2);
	assert_int_equal(dep_facts_find_asset(&f, 42, "s3://b/b"), 1);
	assert_int_equal(dep_facts_find_asset(&f, 0, "s3://b/b"), 1);
	assert_int_equal(dep_facts_find_asset(&f, 42, "s3://nope"), NONE);
	assert_int_equal(dep_facts_find_asset(&f, 0, NULL), NONE);
	dep_facts_alias(&f)->name = xstrdup("al1");
	dep_facts_alias(&f)->name = xstrdup("al2");
	assert_int_equal(dep_facts_find_alias(&f, "al2"), 1);
	assert_int_equal(dep_facts_find_alias(&f, "al3"), NONE);
	/* many pushes keep every element */
	for (int i = 0; i < 100; i++)
		dep_facts_link(&f)->task_id = xstrdup("t");
	assert_int_equal(f.nlinks, 100);
	assert_string_equal(f.links[99].task_id, "t");
	assert_int_equal(f.links[99].kind, DEP_SENSOR);
	dep_facts_free(&f);
	assert_int_equal(f.nlinks, 0);
	dep_facts_free(&f);	/* twice is fine */
}

/*
 * 2.10's dag_dependencies (airflow2_dependency_examples.sql): the producer's
 * alias outlet at DAG level, the trigger and the sensor; asset entries are
 * left to the reference tables.  Then 2.10's two-entry form of a resolved
 * alias, on both sides: the alias resolved to s3://b/c.
 */
static void
test_dependencies_2(void **state)
{
	struct dep_facts	f = { 0 };

	(void)state;
	add_asset(&f, 1, NULL, "s3://b/a");
	add_asset(&f, 3, NULL, "s3://b/c");
	assert_int_equal(add_deps(&f, "producer", "["
	    "{\"source\": \"producer\", \"target\": \"dataset\", "
	    "\"dependency_type\": \"dataset\", \"dependency_id\": \"s3://b/a\"},"
	    "{\"source\": \"producer\", \"target\": \"dataset-alias\", "
	    "\"dependency_type\": \"dataset-alias\", \"dependency_id\": "
	    "\"al1\"}]"), 1);
	assert_int_equal(f.noutlets, 1);
	assert_string_equal(f.outlets[0].dag_id, "producer");
	assert_null(f.outlets[0].task_id);
	assert_int_equal(f.outlets[0].kind, DEP_TO_ALIAS);
	assert_int_equal(f.naliases, 1);
	assert_int_equal(f.outlets[0].target, 0);
	assert_string_equal(f.aliases[0].name, "al1");
	assert_int_equal(f.aliases[0].nassets, 0);
	assert_int_equal(add_deps(&f, "consumer_a", "["
	    "{\"source\": \"consumer_a\", \"target\": \"downstream_x\", "
	    "\"dependency_type\": \"trigger\", \"dependency_id\": \"trigger\"},"
	    "{\"source\": \"dataset\", \"target\": \"consumer_a\", "
	    "\"dependency_type\": \"dataset\", \"dependency_id\": "
	    "\"s3://b/a\"}]"), 1);
	assert_int_equal(add_deps(&f, "sensor_y", "["
	    "{\"source\": \"consumer_a\", \"target\": \"sensor_y\", "
	    "\"dependency_type\": \"sensor\", \"dependency_id\": "
	    "\"wait_for_a\"}]"), 1);
	assert_int_equal(f.nlinks, 2);
	assert_int_equal(f.links[0].kind, DEP_TRIGGER);
	assert_string_equal(f.links[0].source, "consumer_a");
	assert_string_equal(f.links[0].target, "downstream_x");
	assert_string_equal(f.links[0].task_id, "trigger");
	assert_int_equal(f.links[1].kind, DEP_SENSOR);
	assert_string_equal(f.links[1].source, "consumer_a");
	assert_string_equal(f.links[1].target, "sensor_y");
	assert_string_equal(f.links[1].task_id, "wait_for_a");
	/* the resolved alias, outlet side: al2 is new, resolved to c */
	assert_int_equal(add_deps(&f, "producer2", "["
	    "{\"source\": \"dataset-alias:al2\", \"target\": \"dataset\", "
	    "\"dependency_type\": \"dataset\", \"dependency_id\": \"s3://b/c\"},"
	    "{\"source\": \"producer2\", \"target\": \"dataset:s3://b/c\", "
	    "\"dependency_type\": \"dataset-alias\", \"dependency_id\": "
	    "\"al2\"}]"), 2);
	assert_int_equal(f.naliases, 2);
	assert_string_equal(f.aliases[1].name, "al2");
	assert_int_equal(f.aliases[1].nassets, 1);
	assert_int_equal(f.aliases[1].assets[0], 1);
	assert_int_equal(f.noutlets, 2);
	assert_string_equal(f.outlets[1].dag_id, "producer2");
	assert_int_equal(f.outlets[1].target, 1);
	/* schedule side of al1 resolved to a: the resolution is kept once */
	assert_int_equal(add_deps(&f, "alias_consumer", "["
	    "{\"source\": \"dataset\", \"target\": \"dataset-alias:al1\", "
	    "\"dependency_type\": \"dataset\", \"dependency_id\": \"s3://b/a\"},"
	    "{\"source\": \"dataset:s3://b/a\", \"target\": \"alias_consumer\","
	    " \"dependency_type\": \"dataset-alias\", \"dependency_id\": "
	    "\"al1\"}]"), 2);
	assert_int_equal(f.aliases[0].nassets, 1);
	assert_int_equal(f.aliases[0].assets[0], 0);
	assert_int_equal(f.noutlets, 2);	/* no outlet from a schedule */
	assert_int_equal(f.warnings.len, 0);
	/* many new aliases met in resolved entries (the array moves) */
	for (int i = 0; i < 40; i++) {
		char	json[200];

		snprintf(json, sizeof json, "[{\"source\": \"dataset-alias:"
		    "n%d\", \"target\": \"dataset\", \"dependency_type\": "
		    "\"dataset\", \"dependency_id\": \"s3://b/c\"}]", i);
		assert_int_equal(add_deps(&f, "p", json), 1);
	}
	assert_int_equal(f.naliases, 42);
	assert_string_equal(f.aliases[41].name, "n39");
	assert_int_equal(f.aliases[41].nassets, 1);
	assert_int_equal(f.aliases[41].assets[0], 1);
	dep_facts_free(&f);
}

/* 3.1's spelling (with labels, asset ids as key strings, refs). */
static void
test_dependencies_3(void **state)
{
	struct dep_facts	f = { 0 };

	(void)state;
	seed3(&f);
	assert_int_equal(f.nlinks, 2);
	assert_int_equal(f.links[0].kind, DEP_TRIGGER);
	assert_int_equal(f.links[1].kind, DEP_SENSOR);
	assert_string_equal(f.links[1].source, "consumer_a");
	/* producer's alias outlet found al1 already there */
	assert_int_equal(f.naliases, 1);
	assert_int_equal(f.noutlets, 4);
	assert_int_equal(f.outlets[3].kind, DEP_TO_ALIAS);
	assert_null(f.outlets[3].task_id);
	assert_int_equal(add_deps(&f, "ref_consumer", "["
	    "{\"source\": \"asset-name-ref\", \"target\": \"ref_consumer\", "
	    "\"label\": \"a\", \"dependency_type\": \"asset-name-ref\", "
	    "\"dependency_id\": \"a\"}]"), 0);
	assert_int_equal(f.warnings.len, 0);
	dep_facts_free(&f);
}

/* What cannot be read is a warning, never a crash or a fact. */
static void
test_dependencies_unreadable(void **state)
{
	struct dep_facts	f = { 0 };

	(void)state;
	assert_int_equal(add_deps(&f, "d", "{\"not\": \"a list\"}"), 0);
	assert_non_null(strstr(buf_str(&f.warnings), "d: dag_dependencies "
	    "is not a JSON list"));
	buf_reset(&f.warnings);
	assert_int_equal(add_deps(&f, "d", "[1, {\"source\": \"x\"}, "
	    "{\"source\": \"a\", \"target\": \"d\", \"dependency_type\": "
	    "\"marker\", \"dependency_id\": \"t\"}, "
	    "{\"source\": \"a\", \"target\": \"d\", \"dependency_type\": "
	    "\"sensor\", \"dependency_id\": \"t\"}"), 0);
	assert_non_null(strstr(buf_str(&f.warnings), "not a JSON list"));
	buf_reset(&f.warnings);
	assert_int_equal(add_deps(&f, "d", "[1, {\"source\": \"x\"}, "
	    "{\"source\": \"a\", \"target\": \"d\", \"dependency_type\": "
	    "\"marker\", \"dependency_id\": \"t\"}, "
	    "{\"source\": \"a\", \"target\": \"d\", \"dependency_type\": "
	    "\"sensor\", \"dependency_id\": \"t\"}]"), 1);
	assert_non_null(strstr(buf_str(&f.warnings), "d: a dag_dependencies "
	    "entry without source"));
	assert_non_null(strstr(buf_str(&f.warnings), "unknown type marker"));
	assert_int_equal(f.nlinks, 1);
	assert_int_equal(dep_facts_add_dependencies(&f, "d", NULL, 0), 0);
	dep_facts_free(&f);
}

/* ----------------------------------------------------------------------
 * The build.
 */

static void
test_build_seed(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;

	(void)state;
	seed3(&f);
	buf_puts(&f.gaps, "sensors: none");
	g = depgraph_build(&f);
	dep_facts_free(&f);
	assert_non_null(g);
	assert_string_equal(depgraph_warnings(g), "");
	assert_string_equal(depgraph_gaps(g), "sensors: none");
	assert_int_equal(depgraph_ndags(g), 10);
	assert_int_equal(depgraph_nassets(g), 3);
	assert_true(depgraph_has_dag(g, "producer"));
	assert_true(depgraph_has_dag(g, "sensor_y"));
	assert_true(depgraph_has_dag(g, "downstream_x"));
	assert_true(depgraph_has_dag(g, "ref_consumer"));
	assert_false(depgraph_has_dag(g, "nope"));
	assert_false(depgraph_has_dag(g, NULL));
	/* the refs resolve to asset a, the alias to al1 */
	assert_true(cond_held(g, "ref_consumer", "s3://b/a"));
	assert_false(cond_held(g, "ref_consumer", "s3://b/b"));
	assert_true(cond_held(g, "uri_consumer", "s3://b/a"));
	assert_true(cond_held(g, "alias_consumer", "| al1"));
	assert_false(cond_held(g, "alias_consumer", "s3://b/a"));
	assert_true(cond_held(g, "consumer_c", "s3://b/c"));
	depgraph_free(g);
}

/* A DAG known only from an outlet or link is in the graph, not "known". */
static void
test_build_isolated_dag(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;

	(void)state;
	add_dag(&f, "lonely", NULL);
	g = depgraph_build(&f);
	dep_facts_free(&f);
	assert_int_equal(depgraph_ndags(g), 1);
	assert_false(depgraph_has_dag(g, "lonely"));
	depgraph_free(g);
}

/*
 * Expressions, both spellings.  2.x: URIs, {"alias": "name"}, all/any
 * nested: "(a | b) & c" = {"all": [{"any": [a, b]}, c]} is held back by c
 * alone, or by a and b together, never by a alone.  3.x: the same with
 * {"asset": {...}}; an id that disagrees with the uri is not trusted.
 */
static void
test_expressions(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;

	(void)state;
	add_asset(&f, 1, "a", "s3://b/a");
	add_asset(&f, 2, "b", "s3://b/b");
	add_asset(&f, 3, "c", "s3://b/c");
	dep_facts_alias(&f)->name = xstrdup("al1");
	add_dag(&f, "v2", "{\"all\": [{\"any\": [\"s3://b/a\", \"s3://b/b\"]}, "
	    "\"s3://b/c\"]}");
	add_dag(&f, "v2_alias", "{\"any\": [{\"alias\": \"al1\"}, "
	    "\"s3://b/c\"]}");
	add_dag(&f, "v2_bare", "\"s3://b/c\"");
	add_dag(&f, "v3", "{\"all\": [{\"any\": ["
	    "{\"asset\": {\"uri\": \"s3://b/a\", \"name\": \"a\", \"id\": 1}}, "
	    "{\"asset\": {\"uri\": \"s3://b/b\", \"name\": \"b\", \"id\": 2}}]},"
	    "{\"asset\": {\"uri\": \"s3://b/c\", \"name\": \"c\", \"id\": 1}}]}");
	add_dag(&f, "v3_alias", "{\"any\": [{\"alias\": {\"name\": \"al1\", "
	    "\"group\": \"asset\"}}, {\"asset_ref\": {\"uri\": \"s3://b/c\"}}]}");
	g = depgraph_build(&f);
	dep_facts_free(&f);
	assert_string_equal(depgraph_warnings(g), "");
	assert_true(cond_held(g, "v2", "s3://b/c"));
	assert_true(cond_held(g, "v2", "s3://b/a s3://b/b"));
	assert_false(cond_held(g, "v2", "s3://b/a"));
	assert_false(cond_held(g, "v2", "s3://b/b"));
	assert_false(cond_held(g, "v2", ""));
	assert_true(cond_held(g, "v2_alias", "s3://b/c | al1"));
	assert_false(cond_held(g, "v2_alias", "s3://b/c"));
	assert_false(cond_held(g, "v2_alias", "| al1"));
	assert_true(cond_held(g, "v2_bare", "s3://b/c"));
	assert_false(cond_held(g, "v2_bare", "s3://b/a s3://b/b"));
	/* v3's third leaf says id 1 (a's) but uri c: c counts */
	assert_true(cond_held(g, "v3", "s3://b/c"));
	assert_true(cond_held(g, "v3", "s3://b/a s3://b/b"));
	assert_false(cond_held(g, "v3", "s3://b/a"));
	assert_true(cond_held(g, "v3_alias", "s3://b/c | al1"));
	assert_false(cond_held(g, "v3_alias", "| al1"));
	depgraph_free(g);
}

/*
 * 2.7-2.8: no expression column, so the schedule references are an all;
 * and an expression that cannot be read falls back on them too.  A 3.x
 * reference by name matching two assets waits on either.
 */
static void
test_schedule_without_expression(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	size_t			 a, b;

	(void)state;
	a = add_asset(&f, 1, NULL, "s3://b/a");
	b = add_asset(&f, 2, NULL, "s3://b/b");
	add_dag(&f, "old", NULL);
	add_schedule(&f, "old", DEP_TO_ASSET, a, NULL);
	add_schedule(&f, "old", DEP_TO_ASSET, b, NULL);
	add_dag(&f, "broken", "{\"xor\": [1]}");
	add_schedule(&f, "broken", DEP_TO_ASSET, b, NULL);
	add_dag(&f, "deep", NULL);
	/* Asset.ref(name="same") names two assets: an any of them */
	add_asset(&f, 3, "same", "x1");
	add_asset(&f, 4, "same", "x2");
	add_dag(&f, "refd", NULL);
	add_schedule(&f, "refd", DEP_TO_NAME_REF, 0, "same");
	g = depgraph_build(&f);
	assert_false(cond_held(g, "refd", "x1"));
	assert_false(cond_held(g, "refd", "x2"));
	assert_true(cond_held(g, "refd", "x1 x2"));
	assert_true(cond_held(g, "old", "s3://b/a"));
	assert_true(cond_held(g, "old", "s3://b/b"));
	assert_true(cond_held(g, "broken", "s3://b/b"));
	assert_false(cond_held(g, "broken", "s3://b/a"));
	assert_non_null(strstr(depgraph_warnings(g), "broken's schedule "
	    "expression is not one dagtop reads"));
	depgraph_free(g);
	/* nesting past the bound is refused, not recursed into */
	{
		struct buf	e = BUF_INIT;
		int		i;

		for (i = 0; i < 100; i++)
			buf_puts(&e, "{\"all\": [");
		buf_puts(&e, "\"s3://b/a\"");
		for (i = 0; i < 100; i++)
			buf_puts(&e, "]}");
		fact_dag(&f, "deep")->expression = buf_detach(&e);
		g = depgraph_build(&f);
		assert_non_null(strstr(depgraph_warnings(g), "deep's schedule "
		    "expression is not one dagtop reads"));
		depgraph_free(g);
	}
	dep_facts_free(&f);
}

/*
 * Dangling references: a schedule on an asset no row has, an outlet to an
 * index past the end, a sensor on a DAG Airflow does not know, a trigger
 * of a Jinja target, an expression naming an unknown asset, alias and
 * Asset.ref; each named once, and the graph still built.
 */
static void
test_dangling(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	const char		*w;

	(void)state;
	add_asset(&f, 1, "a", "s3://b/a");
	add_dag(&f, "c1", NULL);
	add_schedule(&f, "c1", DEP_TO_ASSET, 5, NULL);
	add_dag(&f, "c2", "{\"all\": [\"s3://b/a\", \"s3://gone\", "
	    "{\"alias\": \"nope\"}, {\"asset_ref\": {\"name\": \"zz\"}}]}");
	add_dag(&f, "p", NULL);
	add_outlet(&f, "p", "t", 9);
	add_link(&f, DEP_SENSOR, "ghost", "c1", "wait");
	add_link(&f, DEP_TRIGGER, "p", "{{ var }}", "fire");
	add_dag(&f, "r", NULL);
	add_schedule(&f, "r", DEP_TO_URI_REF, 0, "s3://nowhere");
	g = depgraph_build(&f);
	dep_facts_free(&f);
	w = depgraph_warnings(g);
	assert_non_null(strstr(w, "c1 is scheduled on an asset no row has\n"));
	assert_non_null(strstr(w, "c2's expression names dataset s3://gone, "
	    "which no asset has\n"));
	assert_non_null(strstr(w, "c2's expression names alias nope, which "
	    "no row has\n"));
	assert_non_null(strstr(w, "c2's expression names Asset.ref name zz"));
	assert_non_null(strstr(w, "p writes an asset no row has\n"));
	assert_non_null(strstr(w, "c1's sensor wait waits on ghost, a DAG "
	    "Airflow does not know\n"));
	assert_non_null(strstr(w, "p's task fire triggers {{ var }}, a DAG "
	    "Airflow does not know\n"));
	assert_non_null(strstr(w, "r is scheduled on Asset.ref(uri="
	    "s3://nowhere), which no asset has\n"));
	/* a dangling leaf is never held back: c2 waits on a only */
	assert_true(cond_held(g, "c2", "s3://b/a"));
	depgraph_free(g);
}

/*
 * Cycles across DAGs: x writes a, y is scheduled on a and writes b, x is
 * scheduled on b (x -> y -> x); z senses y (not in the cycle); w triggers
 * itself.  Each cycle named once.
 */
static void
test_build_cycles(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	const char		*w;
	size_t			 a, b;

	(void)state;
	a = add_asset(&f, 1, NULL, "a");
	b = add_asset(&f, 2, NULL, "b");
	add_dag(&f, "x", "{\"all\": [\"b\"]}");
	add_dag(&f, "y", "{\"all\": [\"a\"]}");
	add_dag(&f, "z", NULL);
	add_dag(&f, "w", NULL);
	add_outlet(&f, "x", "t", a);
	add_outlet(&f, "y", "t", b);
	add_outlet(&f, "y", "t2", b);
	add_link(&f, DEP_SENSOR, "y", "z", "s");
	add_link(&f, DEP_TRIGGER, "w", "w", "again");
	g = depgraph_build(&f);
	dep_facts_free(&f);
	w = depgraph_warnings(g);
	assert_string_equal(w, "cycle across DAGs: w\n"
	    "cycle across DAGs: x, y\n");
	depgraph_free(g);
}

/* ----------------------------------------------------------------------
 * Impact.
 */

/*
 * The tree, one item a line, indented by depth: "kind name (via) flags";
 * checks on the way that each parent comes before its children one level
 * up, and that the counts agree with the items.
 */
static char *
tree_text(const struct dep_impact *im)
{
	struct buf		 b = BUF_INIT;
	const struct dep_item	*it;
	size_t			 i, tasks = 0, assets = 0, dags = 0;

	for (i = 0; i < im->nitems; i++) {
		it = &im->items[i];
		if (i == 0) {
			assert_int_equal(it->parent, NONE);
			assert_int_equal(it->depth, 0);
		} else {
			assert_true(it->parent < i);
			assert_int_equal(it->depth,
			    im->items[it->parent].depth + 1);
		}
		buf_printf(&b, "%*s%s ", 2 * it->depth, "",
		    dep_node_kind_name(it->kind));
		switch (it->kind) {
		case DEP_NODE_TASK:
			buf_printf(&b, "%s.%s", it->dag_id, it->task_id);
			tasks += i > 0;
			break;
		case DEP_NODE_DAG:
			buf_puts(&b, it->dag_id);
			dags += !it->inactive;
			break;
		case DEP_NODE_ASSET:
			buf_puts(&b, it->asset);
			assets += !it->other_producer;
			break;
		case DEP_NODE_ALIAS:
			buf_puts(&b, it->asset);
			break;
		}
		buf_printf(&b, " (%s", dep_via_name(it->via));
		if (it->kind == DEP_NODE_DAG && it->task_id != NULL)
			buf_printf(&b, " %s", it->task_id);
		buf_putc(&b, ')');
		if (it->paused)
			buf_puts(&b, " paused");
		if (it->inactive)
			buf_puts(&b, " inactive");
		if (it->not_on_time)
			buf_puts(&b, " not_on_time");
		if (it->other_producer)
			buf_puts(&b, " other_producer");
		buf_putc(&b, '\n');
	}
	assert_int_equal(im->ntasks, tasks);
	assert_int_equal(im->nassets, assets);
	assert_int_equal(im->ndags, dags);
	return buf_detach(&b);
}

static void
assert_tree(const struct dep_impact *im, const char *want)
{
	char	*got = tree_text(im);

	assert_string_equal(got, want);
	free(got);
}

/* A task graph from "a>b a>c c>d" (edges) and lone ids "e". */
static struct graph *
task_graph(const char *spec)
{
	struct graph	*tg = graph_new();
	char		*s = xstrdup(spec), *w, *gt, *save = NULL;

	for (w = strtok_r(s, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		if ((gt = strchr(w, '>')) != NULL)
			*gt++ = '\0';
		if (graph_find(tg, w) == NONE)
			graph_add_task(tg, w, NULL, false, 0);
		if (gt != NULL) {
			if (graph_find(tg, gt) == NONE)
				graph_add_task(tg, gt, NULL, false, 0);
			graph_add_edge(tg, w, gt);
		}
	}
	graph_finish(tg);
	free(s);
	return tg;
}

static struct depgraph *
build(struct dep_facts *f)
{
	struct depgraph *g = depgraph_build(f);

	assert_non_null(g);
	dep_facts_free(f);
	return g;
}

/*
 * The 3.1 seed, producer.load failing (load -> emit in its graph):
 * load and emit held back; a's only producer is load, so a is held back
 * and with it consumer_a, consumer_ab (all: a alone suffices), the two ref
 * consumers and stale_c (marked inactive, not counted); al1 is written at
 * DAG level by producer (dag_dependencies names no task), so it counts as
 * held back, with a warning, and alias_consumer with it; consumer_a's
 * trigger task holds downstream_x (a held-back DAG: every trigger counts)
 * and its sensor in sensor_y waits on it; downstream_x writes c, so
 * consumer_c too.  b (load2) is not touched.  Counts: 1 task, 2 assets
 * (a, c), 8 DAGs.  sensor_y has no clock, no condition and no trigger:
 * not on time anyway.
 */
static void
test_impact_seed(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct graph		*tg = producer_graph();
	struct dep_impact	 im;

	(void)state;
	seed3(&f);
	g = build(&f);
	assert_int_equal(dep_impact(g, "producer", "load", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task producer.load (failure)\n"
	    "  task producer.emit (task)\n"
	    "  asset a (outlet)\n"
	    "    dag consumer_a (schedule)\n"
	    "      dag downstream_x (trigger trigger)\n"
	    "        asset c (outlet)\n"
	    "          dag consumer_c (schedule)\n"
	    "      dag sensor_y (sensor wait_for_a) not_on_time\n"
	    "    dag consumer_ab (schedule)\n"
	    "    dag ref_consumer (schedule)\n"
	    "    dag stale_c (schedule) inactive\n"
	    "    dag uri_consumer (schedule)\n"
	    "  alias al1 (outlet)\n"
	    "    dag alias_consumer (schedule)\n");
	assert_int_equal(im.ndags, 8);
	assert_int_equal(im.nassets, 2);
	assert_int_equal(im.ntasks, 1);
	assert_string_equal(im.items[2].uri, "s3://b/a");
	assert_string_equal(buf_str(&im.warnings), "producer writes alias "
	    "al1 from a task its dependencies do not name: taken as held "
	    "back\n");
	dep_impact_free(&im);
	assert_null(im.items);

	/* the failure in consumer_a: its sensor and its trigger task */
	graph_free(tg);
	tg = task_graph("run>trigger");
	assert_int_equal(dep_impact(g, "consumer_a", "run", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task consumer_a.run (failure)\n"
	    "  task consumer_a.trigger (task)\n"
	    "    dag downstream_x (trigger trigger)\n"
	    "      asset c (outlet)\n"
	    "        dag consumer_c (schedule)\n"
	    "  dag sensor_y (sensor wait_for_a) not_on_time\n");
	assert_string_equal(buf_str(&im.warnings), "");
	dep_impact_free(&im);
	/* a trigger task beside the failure, not below it: no trigger */
	graph_free(tg);
	tg = task_graph("run trigger");
	assert_int_equal(dep_impact(g, "consumer_a", "run", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task consumer_a.run (failure)\n"
	    "  dag sensor_y (sensor wait_for_a) not_on_time\n");
	dep_impact_free(&im);
	graph_free(tg);
	depgraph_free(g);
}

/*
 * Without the task graph only the failed task's own outlets and the DAG's
 * own edges count, and the warnings say so; a DAG the graph does not
 * know, with no task graph either, has nothing to say (-1); with one, the
 * tasks alone.
 */
static void
test_impact_without_task_graph(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct graph		*tg;
	struct dep_impact	 im;
	size_t			 a;

	(void)state;
	a = add_asset(&f, 1, NULL, "a");
	add_asset(&f, 2, NULL, "b");
	add_dag(&f, "p", NULL);
	add_dag(&f, "c_a", "\"a\"");
	add_dag(&f, "c_b", "\"b\"");
	add_outlet(&f, "p", "t1", a);
	add_outlet(&f, "p", "t2", 1);
	g = build(&f);
	assert_int_equal(dep_impact(g, "p", "t1", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task p.t1 (failure)\n"
	    "  asset a (outlet)\n"
	    "    dag c_a (schedule)\n");
	assert_string_equal(buf_str(&im.warnings), "the task graph of p "
	    "could not be read: only t1's own outlets and the DAG's edges "
	    "count\n");
	dep_impact_free(&im);
	/* the task graph has no t9: the same, said differently */
	tg = task_graph("t1>t2");
	assert_int_equal(dep_impact(g, "p", "t9", tg, NULL, &im), 0);
	assert_tree(&im, "task p.t9 (failure)\n");
	assert_non_null(strstr(buf_str(&im.warnings), "p has no task t9"));
	dep_impact_free(&im);
	assert_int_equal(dep_impact(g, "nope", "t", NULL, NULL, &im), -1);
	assert_int_equal(dep_impact(g, "p", NULL, NULL, NULL, &im), -1);
	assert_int_equal(im.nitems, 0);
	assert_int_equal(dep_impact(g, "nope", "t1", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task nope.t1 (failure)\n"
	    "  task nope.t2 (task)\n");
	graph_free(tg);		/* the items keep their own copies */
	assert_string_equal(im.items[1].task_id, "t2");
	assert_string_equal(im.items[0].dag_id, "nope");
	dep_impact_free(&im);
	depgraph_free(g);
}

/*
 * Facts may repeat themselves (a source reading two versions, or two
 * spellings): the 3.1 seed given twice holds back exactly what it holds
 * back once, and says so once.
 */
static void
test_impact_duplicate_facts(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct graph		*tg = producer_graph();
	struct dep_impact	 im;
	char			*once;

	(void)state;
	seed3(&f);
	g = build(&f);
	assert_int_equal(dep_impact(g, "producer", "load", tg, NULL, &im), 0);
	once = tree_text(&im);
	dep_impact_free(&im);
	depgraph_free(g);
	seed3(&f);
	seed3(&f);
	g = build(&f);
	assert_int_equal(depgraph_ndags(g), 10);
	assert_int_equal(depgraph_nassets(g), 3);
	assert_int_equal(dep_impact(g, "producer", "load", tg, NULL, &im), 0);
	assert_tree(&im, once);
	assert_string_equal(buf_str(&im.warnings), "producer writes alias "
	    "al1 from a task its dependencies do not name: taken as held "
	    "back\n");
	dep_impact_free(&im);
	free(once);
	graph_free(tg);
	depgraph_free(g);
}

/*
 * AND and OR: p.t1 writes x, p.t2 writes y; and_d waits on x & y, or_d on
 * x | y, nested on (x | y) & z (z written by q, not failing).
 *  - t1 fails alone (t1, t2 side by side): x held back; and_d held back
 *    (one branch of an all suffices); or_d not (y still comes); nested
 *    not (x | y still satisfied by y; z comes).
 *  - t1 fails with t1 -> t2: x and y held back; and_d and or_d held back;
 *    nested too (its any is held, so its all is).
 */
static void
test_impact_and_or(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct graph		*tg;
	struct dep_impact	 im;

	(void)state;
	add_outlet(&f, "p", "t1", add_asset(&f, 1, NULL, "x"));
	add_outlet(&f, "p", "t2", add_asset(&f, 2, NULL, "y"));
	add_outlet(&f, "q", "t", add_asset(&f, 3, NULL, "z"));
	add_dag(&f, "p", NULL);
	add_dag(&f, "q", NULL);
	add_dag(&f, "and_d", "{\"all\": [\"x\", \"y\"]}");
	add_dag(&f, "or_d", "{\"any\": [\"x\", \"y\"]}");
	add_dag(&f, "nested", "{\"all\": [{\"any\": [\"x\", \"y\"]}, \"z\"]}");
	g = build(&f);
	tg = task_graph("t1 t2");
	assert_int_equal(dep_impact(g, "p", "t1", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task p.t1 (failure)\n"
	    "  asset x (outlet)\n"
	    "    dag and_d (schedule)\n");
	dep_impact_free(&im);
	graph_free(tg);
	tg = task_graph("t1>t2");
	assert_int_equal(dep_impact(g, "p", "t1", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task p.t1 (failure)\n"
	    "  task p.t2 (task)\n"
	    "    asset y (outlet)\n"
	    "  asset x (outlet)\n"
	    "    dag and_d (schedule)\n"
	    "    dag nested (schedule)\n"
	    "    dag or_d (schedule)\n");
	assert_int_equal(im.ndags, 3);
	assert_int_equal(im.nassets, 2);
	dep_impact_free(&im);
	graph_free(tg);
	depgraph_free(g);
}

/*
 * Aliases and several producers.  p.t writes a; alias al resolved to a;
 * al_c is scheduled on al; z is written by p.t and by r.u.
 *  - with q.emit also writing al (q not failing): al still live, so al_c
 *    is not held back; and q.emit may write a again through al, so a is
 *    listed with other_producer like z, and their consumers not at all.
 *  - without q.emit: al's only way is a, held back, so al and al_c are.
 * Then an asset only an alias writes: p.emit writes alias al2, resolved
 * to snap, which no task names; failing p.emit holds back al2, snap and
 * both their consumers.
 */
static void
test_impact_alias(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct dep_alias_fact	*al;
	struct dep_outlet_fact	*o;
	size_t			 a, z, snap, round;

	(void)state;
	for (round = 0; round < 2; round++) {
		a = add_asset(&f, 1, NULL, "a");
		z = add_asset(&f, 2, NULL, "z");
		al = dep_facts_alias(&f);
		al->name = xstrdup("al");
		al->assets = xcalloc(1, sizeof *al->assets);
		al->assets[al->nassets++] = a;
		add_dag(&f, "p", NULL);
		add_dag(&f, "al_c", "{\"alias\": \"al\"}");
		add_dag(&f, "z_c", "\"z\"");
		add_outlet(&f, "p", "t", a);
		add_outlet(&f, "p", "t", z);
		add_outlet(&f, "r", "u", z);
		if (round == 0) {
			o = dep_facts_outlet(&f);
			o->dag_id = xstrdup("q");
			o->task_id = xstrdup("emit");
			o->kind = DEP_TO_ALIAS;
			o->target = 0;
		}
		g = build(&f);
		assert_int_equal(dep_impact(g, "p", "t", NULL, NULL, &im), 0);
		if (round == 0)
			assert_tree(&im,
			    "task p.t (failure)\n"
			    "  asset a (outlet) other_producer\n"
			    "  asset z (outlet) other_producer\n");
		else
			assert_tree(&im,
			    "task p.t (failure)\n"
			    "  asset a (outlet)\n"
			    "    alias al (alias)\n"
			    "      dag al_c (schedule)\n"
			    "  asset z (outlet) other_producer\n");
		assert_int_equal(im.nassets, round);
		dep_impact_free(&im);
		depgraph_free(g);
	}
	snap = add_asset(&f, 5, NULL, "snap");
	al = dep_facts_alias(&f);
	al->name = xstrdup("al2");
	al->assets = xcalloc(1, sizeof *al->assets);
	al->assets[al->nassets++] = snap;
	o = dep_facts_outlet(&f);
	o->dag_id = xstrdup("p");
	o->task_id = xstrdup("emit");
	o->kind = DEP_TO_ALIAS;
	o->target = 0;
	add_dag(&f, "p", NULL);
	add_dag(&f, "al2_c", "{\"alias\": \"al2\"}");
	add_dag(&f, "snap_c", "\"snap\"");
	g = build(&f);
	assert_int_equal(dep_impact(g, "p", "emit", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task p.emit (failure)\n"
	    "  alias al2 (outlet)\n"
	    "    dag al2_c (schedule)\n"
	    "    asset snap (alias)\n"
	    "      dag snap_c (schedule)\n");
	dep_impact_free(&im);
	depgraph_free(g);
}

/*
 * Cycles.  r.t writes a; x on a writes b; y on b writes c; r is scheduled
 * on c: r -> x -> y -> r.  The walk holds x and y back, meets r again
 * through c, names the cycle once and stops.  Then a cycle the failure
 * cannot close: s.t writes a2; u on a2 | c2 writes b2; v on b2 writes c2.
 * u waits on an any whose other branch, c2, depends on u itself: the
 * least fixpoint holds nothing back past a2 (a walk that assumed the
 * cycle held back would list u and v).
 */
static void
test_impact_cycle(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;

	(void)state;
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_outlet(&f, "x", "w", add_asset(&f, 2, NULL, "b"));
	add_outlet(&f, "y", "w", add_asset(&f, 3, NULL, "c"));
	add_dag(&f, "r", "\"c\"");
	add_dag(&f, "x", "\"a\"");
	add_dag(&f, "y", "\"b\"");
	add_outlet(&f, "s", "t", add_asset(&f, 4, NULL, "a2"));
	add_outlet(&f, "u", "w", add_asset(&f, 5, NULL, "b2"));
	add_outlet(&f, "v", "w", add_asset(&f, 6, NULL, "c2"));
	add_dag(&f, "s", NULL);
	add_dag(&f, "u", "{\"any\": [\"a2\", \"c2\"]}");
	add_dag(&f, "v", "\"b2\"");
	g = build(&f);
	assert_string_equal(depgraph_warnings(g),
	    "cycle across DAGs: r, x, y\n"
	    "cycle across DAGs: u, v\n");
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task r.t (failure)\n"
	    "  asset a (outlet)\n"
	    "    dag x (schedule)\n"
	    "      asset b (outlet)\n"
	    "        dag y (schedule)\n"
	    "          asset c (outlet)\n");
	assert_int_equal(im.ndags, 2);
	assert_string_equal(buf_str(&im.warnings), "the task graph of r could "
	    "not be read: only t's own outlets and the DAG's edges count\n"
	    "cycle across DAGs: r, x, y\n");
	dep_impact_free(&im);
	assert_int_equal(dep_impact(g, "s", "t", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task s.t (failure)\n"
	    "  asset a2 (outlet)\n");
	assert_null(strstr(buf_str(&im.warnings), "cycle"));
	dep_impact_free(&im);
	/* the same cycle with u on a2 & c2: now u and v are held back */
	add_outlet(&f, "s", "t", add_asset(&f, 4, NULL, "a2"));
	add_outlet(&f, "u", "w", add_asset(&f, 5, NULL, "b2"));
	add_outlet(&f, "v", "w", add_asset(&f, 6, NULL, "c2"));
	add_dag(&f, "u", "{\"all\": [\"a2\", \"c2\"]}");
	add_dag(&f, "v", "\"b2\"");
	depgraph_free(g);
	g = build(&f);
	assert_int_equal(dep_impact(g, "s", "t", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task s.t (failure)\n"
	    "  asset a2 (outlet)\n"
	    "    dag u (schedule)\n"
	    "      asset b2 (outlet)\n"
	    "        dag v (schedule)\n"
	    "          asset c2 (outlet)\n");
	assert_non_null(strstr(buf_str(&im.warnings),
	    "cycle across DAGs: u, v\n"));
	dep_impact_free(&im);
	depgraph_free(g);
}

/*
 * A diamond: r.t writes a; b1 and c1 are scheduled on a and write b and
 * c; d waits on b & c.  d is held back once, under b1 (the first parent a
 * breadth-first walk meets), and meeting it again through c is no cycle.
 */
static void
test_impact_diamond(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;

	(void)state;
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_outlet(&f, "b1", "w", add_asset(&f, 2, NULL, "b"));
	add_outlet(&f, "c1", "w", add_asset(&f, 3, NULL, "c"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "b1", "\"a\"");
	add_dag(&f, "c1", "\"a\"");
	add_dag(&f, "d", "{\"all\": [\"b\", \"c\"]}");
	g = build(&f);
	assert_string_equal(depgraph_warnings(g), "");
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task r.t (failure)\n"
	    "  asset a (outlet)\n"
	    "    dag b1 (schedule)\n"
	    "      asset b (outlet)\n"
	    "        dag d (schedule)\n"
	    "    dag c1 (schedule)\n"
	    "      asset c (outlet)\n");
	assert_int_equal(im.ndags, 3);
	assert_null(strstr(buf_str(&im.warnings), "cycle"));
	dep_impact_free(&im);
	depgraph_free(g);
}

/*
 * Paused and unknown to the facts: r.t writes a; pz (paused, on a) is
 * marked paused and not on time, and still counted; trig is triggered by
 * pz (held back as a whole) but the facts lack it, so af_dags gives its
 * paused flag and next run; a DAG sensing r from af_dags with a cron
 * schedule is on time.  r.t also writes an inactive asset, whose consumer
 * Airflow would not queue anyway: neither is listed; and a stale DAG on
 * a is listed, marked inactive and not counted, but not what it writes or
 * senses (dead before the failure).
 */
static void
test_impact_paused(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct af_dags		 dags = { 0 };
	struct af_dag		*d;

	(void)state;
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "pz", "\"a\"");
	fact_dag(&f, "pz")->paused = true;
	fact_dag(&f, "pz")->next_run_after = 1000;
	add_link(&f, DEP_TRIGGER, "pz", "trig", "go");
	add_link(&f, DEP_SENSOR, "r", "sens", "wait");
	/* an inactive asset: Airflow queues nothing from it */
	add_outlet(&f, "r", "t", add_asset(&f, 2, NULL, "gone"));
	f.assets[1].active = false;
	add_dag(&f, "gone_c", "\"gone\"");
	/* a stale DAG on a: marked; what it writes was dead before */
	add_dag(&f, "stale", "\"a\"");
	fact_dag(&f, "stale")->active = false;
	add_outlet(&f, "stale", "w", add_asset(&f, 3, NULL, "s2"));
	add_dag(&f, "s2_c", "\"s2\"");
	add_link(&f, DEP_SENSOR, "stale", "s3_c", "wait");
	g = build(&f);
	d = af_dags_push(&dags);
	d->dag_id = xstrdup("trig");
	d->active = true;
	d->paused = false;
	d->next_run_after = 2000;
	d = af_dags_push(&dags);
	d->dag_id = xstrdup("sens");
	d->active = true;
	d->schedule = xstrdup("0 2 * * *");
	assert_int_equal(dep_impact(g, "r", "t", NULL, &dags, &im), 0);
	assert_tree(&im,
	    "task r.t (failure)\n"
	    "  asset a (outlet)\n"
	    "    dag pz (schedule) paused not_on_time\n"
	    "      dag trig (trigger go)\n"
	    "    dag stale (schedule) inactive\n"
	    "  dag sens (sensor wait)\n");
	assert_int_equal(im.items[2].next_run_after, 1000);
	assert_int_equal(im.items[3].next_run_after, 2000);
	assert_int_equal(im.ndags, 3);
	dep_impact_free(&im);
	/* without dags, sens has no clock: not on time */
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	assert_true(im.items[5].not_on_time);
	assert_int_equal(im.items[3].next_run_after, TIME_NONE);
	dep_impact_free(&im);
	af_dags_free(&dags);
	depgraph_free(g);
}

/*
 * Three levels deep: r.t writes a; l1 on a writes b; l2 on b triggers l3
 * (its task go); l4 senses l3.  Everything below is held back, each one
 * level further down; l3's trigger is from a held-back DAG, so it counts
 * whatever task it is.
 */
static void
test_impact_three_levels(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct dep_ask		 ask;

	(void)state;
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_outlet(&f, "l1", "w", add_asset(&f, 2, NULL, "b"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "l1", "\"a\"");
	add_dag(&f, "l2", "\"b\"");
	add_dag(&f, "l3", NULL);
	add_dag(&f, "l4", NULL);
	fact_dag(&f, "l4")->timed = true;
	add_link(&f, DEP_TRIGGER, "l2", "l3", "go");
	add_link(&f, DEP_SENSOR, "l3", "l4", "wait_l3");
	g = build(&f);
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	assert_tree(&im,
	    "task r.t (failure)\n"
	    "  asset a (outlet)\n"
	    "    dag l1 (schedule)\n"
	    "      asset b (outlet)\n"
	    "        dag l2 (schedule)\n"
	    "          dag l3 (trigger go)\n"
	    "            dag l4 (sensor wait_l3)\n");
	assert_int_equal(im.items[6].depth, 6);
	assert_int_equal(im.ndags, 4);
	dep_impact_ask(&im, &ask);
	assert_int_equal(ask.ndags, 5);
	assert_string_equal(ask.dag_ids[0], "l1");
	assert_string_equal(ask.dag_ids[4], "r");
	assert_int_equal(ask.nassets, 0);
	assert_null(ask.consumer);
	dep_ask_free(&ask);
	dep_impact_free(&im);
	depgraph_free(g);
}

/* ----------------------------------------------------------------------
 * SLAs and the rerun modal's line.
 */

struct slas {
	struct sla_def		 defs[10];
	struct sla_day		 days[10];
	const struct sla_def	*pdefs[10];
	const struct sla_day	*pdays[10];
	size_t			 n;
};

static void
add_sla(struct slas *s, const char *name, const char *dag, const char *task,
    enum sla_outcome outcome, int64_t deadline)
{
	size_t	i = s->n++;

	memset(&s->defs[i], 0, sizeof s->defs[i]);
	memset(&s->days[i], 0, sizeof s->days[i]);
	s->defs[i].name = (char *)name;
	s->defs[i].dag_id = (char *)dag;
	s->defs[i].task_id = (char *)task;
	s->days[i].outcome = outcome;
	s->days[i].deadline = deadline;
	s->days[i].finished_at = TIME_NONE;
	s->pdefs[i] = &s->defs[i];
	s->pdays[i] = outcome == SLA_NOUTCOMES ? NULL : &s->days[i];
}

static void
add_state(struct dep_state *st, const char *dag, int64_t median)
{
	st->dags = xreallocarray(st->dags, st->ndags + 1, sizeof *st->dags);
	memset(&st->dags[st->ndags], 0, sizeof *st->dags);
	st->dags[st->ndags].dag_id = xstrdup(dag);
	st->dags[st->ndags].median = median;
	st->dags[st->ndags].bad_end = TIME_NONE;
	st->ndags++;
}

/*
 * r.t1 fails (t1 -> t2, t3 beside); m and n are scheduled on a, which t1
 * writes; o is not.  Medians: r 20m, m 10m, n unknown.  now = 100000.
 *   m_fits   on m, deadline now+1h: chain r+m = 30m, fits
 *   m_tight  on m, now+1000s: 30m does not fit
 *   n_passed on n, late and unfinished, deadline 10m ago: left -600,
 *            chain unknown (-1), does not fit
 *   o_free   on o: not held back, no hit
 *   m_met    met today, m_none without a day: no hit
 *   r_t2     on task t2 of r (downstream of t1): the t2 item, chain r
 *   r_t3     on task t3 (beside t1): no hit
 *   r_run    on r's whole run, now+100s: item 0, 20m does not fit
 * By deadline: n_passed, r_run, m_tight, m_fits, r_t2.
 */
static void
test_impact_slas(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct graph		*tg;
	struct dep_impact	 im;
	struct dep_state	 st = { 0 };
	struct slas		 s = { 0 };
	const int64_t		 now = 100000;
	size_t			 m;

	(void)state;
	add_outlet(&f, "r", "t1", add_asset(&f, 1, NULL, "a"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "m", "\"a\"");
	add_dag(&f, "n", "\"a\"");
	add_dag(&f, "o", NULL);
	g = build(&f);
	tg = task_graph("t1>t2 t3");
	assert_int_equal(dep_impact(g, "r", "t1", tg, NULL, &im), 0);
	assert_tree(&im,
	    "task r.t1 (failure)\n"
	    "  task r.t2 (task)\n"
	    "  asset a (outlet)\n"
	    "    dag m (schedule)\n"
	    "    dag n (schedule)\n");
	add_state(&st, "m", 600);
	add_state(&st, "n", -1);
	add_state(&st, "r", 1200);
	add_sla(&s, "m_fits", "m", NULL, SLA_PENDING, now + 3600);
	add_sla(&s, "m_tight", "m", NULL, SLA_AT_RISK, now + 1000);
	add_sla(&s, "n_passed", "n", NULL, SLA_LATE, now - 600);
	add_sla(&s, "o_free", "o", NULL, SLA_PENDING, now + 50);
	add_sla(&s, "m_met", "m", NULL, SLA_MET, now + 60);
	add_sla(&s, "m_none", "m", NULL, SLA_NOUTCOMES, now + 70);
	add_sla(&s, "r_t2", "r", "t2", SLA_PENDING, now + 7200);
	add_sla(&s, "r_t3", "r", "t3", SLA_PENDING, now + 80);
	add_sla(&s, "r_run", "r", NULL, SLA_PENDING, now + 100);
	dep_impact_slas(&im, s.pdefs, s.pdays, s.n, &st, now);
	assert_int_equal(im.nslas, 5);
	assert_int_equal(im.slas[0].sla, 2);		/* n_passed */
	assert_int_equal(im.slas[0].item, 4);
	assert_int_equal(im.slas[0].left, -600);
	assert_int_equal(im.slas[0].chain, -1);
	assert_false(im.slas[0].fits);
	assert_int_equal(im.slas[1].sla, 8);		/* r_run */
	assert_int_equal(im.slas[1].item, 0);
	assert_int_equal(im.slas[1].chain, 1200);
	assert_false(im.slas[1].fits);
	assert_int_equal(im.slas[2].sla, 1);		/* m_tight */
	assert_int_equal(im.slas[2].item, 3);
	assert_int_equal(im.slas[2].chain, 1800);
	assert_int_equal(im.slas[2].left, 1000);
	assert_false(im.slas[2].fits);
	assert_int_equal(im.slas[3].sla, 0);		/* m_fits */
	assert_int_equal(im.slas[3].chain, 1800);
	assert_int_equal(im.slas[3].deadline, now + 3600);
	assert_true(im.slas[3].fits);
	assert_int_equal(im.slas[4].sla, 6);		/* r_t2 */
	assert_int_equal(im.slas[4].item, 1);
	assert_int_equal(im.slas[4].chain, 1200);
	assert_true(im.slas[4].fits);
	m = 3;
	assert_int_equal(im.items[m].sla_first, 2);
	assert_int_equal(im.items[m].nsla, 2);
	assert_int_equal(im.items[0].sla_first, 1);
	assert_int_equal(im.items[0].nsla, 1);
	assert_int_equal(im.items[2].nsla, 0);
	/* a late success is judged: no longer held back */
	s.days[2].finished_at = now - 10;
	/* without state, every chain is unknown and nothing fits */
	dep_impact_slas(&im, s.pdefs, s.pdays, s.n, NULL, now);
	assert_int_equal(im.nslas, 4);
	assert_int_equal(im.slas[0].sla, 8);
	assert_int_equal(im.slas[0].chain, -1);
	assert_false(im.slas[2].fits);
	assert_int_equal(im.items[m].nsla, 2);
	assert_int_equal(im.items[4].nsla, 0);
	dep_impact_free(&im);
	dep_state_free(&st);
	assert_null(st.dags);
	graph_free(tg);
	depgraph_free(g);
}

/*
 * The line: r.t writes a; acc_export, b2 and c3 wait on it (3 DAGs); SLAs
 * on acc_export at 10:00 JST and on b2 at 11:00 JST; now 2h10m before
 * the first.
 */
static void
test_impact_line(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct dep_state	 st = { 0 };
	struct slas		 s = { 0 };
	struct buf		 b = BUF_INIT, err = BUF_INIT;
	struct tz		*jst = tz_parse_posix("JST-9", &err);
	const struct tz		*zones[3];
	int64_t			 ten, now;

	(void)state;
	assert_non_null(jst);
	ten = tz_mktime(jst, 2026, 12, 5, 10, 0, 0);
	now = ten - 7800;
	zones[0] = zones[1] = jst;
	zones[2] = NULL;
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "acc_export", "\"a\"");
	add_dag(&f, "b2", "\"a\"");
	add_dag(&f, "c3", "\"a\"");
	add_dag(&f, "x", NULL);
	g = build(&f);
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	add_sla(&s, "acc_export", "acc_export", NULL, SLA_PENDING, ten);
	add_sla(&s, "b2_ready", "b2", NULL, SLA_PENDING, ten + 3600);
	dep_impact_slas(&im, s.pdefs, s.pdays, s.n, NULL, now);
	dep_impact_line(&im, s.pdefs, zones, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; next "
	    "deadline acc_export 10:00 JST, 2h10m left");
	/* the first deadline passed: the next one is named */
	buf_reset(&b);
	dep_impact_line(&im, s.pdefs, zones, ten + 60, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; next "
	    "deadline b2_ready 11:00 JST, 59m00s left");
	/* both passed: the soonest is named, with how long ago */
	buf_reset(&b);
	dep_impact_line(&im, s.pdefs, zones, ten + 3600 + 2100, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; "
	    "acc_export deadline 10:00 JST passed 1h35m ago");
	/* a chain that does not fit says what it needs, when there is room */
	add_state(&st, "b2", 4000);
	add_state(&st, "r", 4000);
	s.defs[1].name = "b2";
	dep_impact_slas(&im, s.pdefs, s.pdays, s.n, &st, now);
	buf_reset(&b);
	dep_impact_line(&im, s.pdefs, zones, ten + 60, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; b2 "
	    "due 11:00 JST, 59m00s left, needs 2h13m");
	/*
	 * A long name is given whole, however long the line (the UI cuts it
	 * to its room, with its own mark); UTC by default.  Past the
	 * deadline too: a cut once left "; ~ deadline 00:01 JST passed".
	 */
	s.defs[0].name = "the_accounting_export_for_the_regulator_and_the_board";
	zones[0] = NULL;
	buf_reset(&b);
	dep_impact_line(&im, s.pdefs, zones, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; next "
	    "deadline the_accounting_export_for_the_regulator_and_the_board "
	    "01:00 UTC, 2h10m left");
	buf_reset(&b);
	dep_impact_line(&im, s.pdefs, zones, ten + 3600 + 2100, false, &b);
	assert_string_equal(buf_str(&b), "holds back 3 DAGs and 2 SLAs; "
	    "the_accounting_export_for_the_regulator_and_the_board deadline "
	    "01:00 UTC passed 1h35m ago");
	dep_impact_free(&im);
	depgraph_free(g);
	dep_state_free(&st);

	/* nothing outside the DAG; one paused DAG; assets only */
	f = (struct dep_facts){ 0 };
	add_outlet(&f, "r", "t", add_asset(&f, 1, NULL, "a"));
	add_outlet(&f, "r", "u", add_asset(&f, 2, NULL, "b"));
	add_outlet(&f, "r", "u", add_asset(&f, 3, NULL, "c"));
	add_outlet(&f, "r", "v", add_asset(&f, 4, NULL, "d"));
	add_dag(&f, "r", NULL);
	add_dag(&f, "pz", "\"a\"");
	fact_dag(&f, "pz")->paused = true;
	add_dag(&f, "pw", "\"d\"");
	fact_dag(&f, "pw")->paused = true;
	add_dag(&f, "act", "\"d\"");
	g = build(&f);
	assert_int_equal(dep_impact(g, "r", "none", NULL, NULL, &im), 0);
	buf_reset(&b);
	dep_impact_line(&im, NULL, NULL, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back nothing outside this DAG");
	dep_impact_free(&im);
	assert_int_equal(dep_impact(g, "r", "t", NULL, NULL, &im), 0);
	buf_reset(&b);
	dep_impact_line(&im, NULL, NULL, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back 1 DAG (paused)");
	dep_impact_free(&im);
	assert_int_equal(dep_impact(g, "r", "u", NULL, NULL, &im), 0);
	buf_reset(&b);
	dep_impact_line(&im, NULL, NULL, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back 2 assets");
	dep_impact_free(&im);
	assert_int_equal(dep_impact(g, "r", "v", NULL, NULL, &im), 0);
	buf_reset(&b);
	dep_impact_line(&im, NULL, NULL, now, false, &b);
	assert_string_equal(buf_str(&b), "holds back 2 DAGs (1 paused)");
	dep_impact_free(&im);
	depgraph_free(g);
	buf_free(&b);
	buf_free(&err);
	tz_free(jst);
}

/* ----------------------------------------------------------------------
 * Upstream.
 */

/* 2026-12-05 10:00 UTC, the database clock of the why tests. */
#define NOW	((int64_t)1796464800)

static struct dep_dag_state *
dag_run(struct dep_state *st, const char *dag, enum run_state rs,
    int64_t start)
{
	struct dep_dag_state *d;

	add_state(st, dag, -1);
	d = &st->dags[st->ndags - 1];
	d->has_run = true;
	d->run_state = rs;
	d->run_id = xstrdup("scheduled__1");
	d->run_start = start;
	d->run_end = rs == RUN_SUCCESS || rs == RUN_FAILED ? start + 600 :
	    TIME_NONE;
	d->run_after = start;
	return d;
}

static void
bad_task(struct dep_dag_state *d, const char *task, enum ti_state ts,
    int try, int max, int64_t end)
{
	d->bad_task = xstrdup(task);
	d->bad_state = ts;
	d->bad_try = try;
	d->bad_max_tries = max;
	d->bad_end = end;
}

static void
asset_event(struct dep_state *st, int64_t id, const char *uri, int64_t when,
    const char *dag, const char *task)
{
	struct dep_asset_state *a;

	st->assets = xreallocarray(st->assets, st->nassets + 1,
	    sizeof *st->assets);
	a = &st->assets[st->nassets++];
	memset(a, 0, sizeof *a);
	a->id = id;
	a->uri = xstrdup(uri);
	a->last_event = when;
	a->source_dag = dup_or_null(dag);
	a->source_task = dup_or_null(task);
}

static int
state_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dep_dag_state *)a)->dag_id,
	    ((const struct dep_dag_state *)b)->dag_id);
}

static void
queue_for(struct dep_state *st, const char *dag, int64_t id, const char *uri)
{
	if (st->queued_for == NULL)
		st->queued_for = xstrdup(dag);
	st->queued = xreallocarray(st->queued, st->nqueued + 1,
	    sizeof *st->queued);
	st->queued_uri = xreallocarray(st->queued_uri, st->nqueued + 1,
	    sizeof *st->queued_uri);
	st->queued[st->nqueued] = id;
	st->queued_uri[st->nqueued++] = dup_or_null(uri);
}

/* The state of dag, to change between walks. */
static struct dep_dag_state *
state_of(struct dep_state *st, const char *dag)
{
	size_t	i;

	for (i = 0; i < st->ndags; i++)
		if (strcmp(st->dags[i].dag_id, dag) == 0)
			return &st->dags[i];
	fail_msg("no state for %s", dag);
	return NULL;
}

static void
why(const struct depgraph *g, const char *dag, struct dep_state *st,
    struct dep_why *w)
{
	st->now = NOW;
	if (st->ndags > 0)
		qsort(st->dags, st->ndags, sizeof *st->dags, state_cmp);
	dep_why(g, dag, st, NULL, w);
}

/*
 * The example: sales_mart waits on orders (bq://dwh/orders), which
 * ingest_orders.load wrote 26 hours ago and failed on today at 03:12 on
 * its third and last try; sales_mart last ran 30 hours ago and its queue
 * is empty.  Chain: sales_mart, the asset (waiting), the failed task.
 */
static void
test_why_failed_producer(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;
	struct dep_dag_state	*d;

	(void)state;
	add_outlet(&f, "ingest_orders", "load",
	    add_asset(&f, 7, "orders", "bq://dwh/orders"));
	add_dag(&f, "ingest_orders", NULL);
	fact_dag(&f, "ingest_orders")->timed = true;
	add_dag(&f, "sales_mart", "{\"all\": [{\"asset\": {\"uri\": "
	    "\"bq://dwh/orders\", \"name\": \"orders\", \"id\": 7}}]}");
	g = build(&f);
	dag_run(&st, "sales_mart", RUN_SUCCESS, NOW - 30 * 3600);
	d = dag_run(&st, "ingest_orders", RUN_FAILED, NOW - 8 * 3600);
	bad_task(d, "load", TI_FAILED, 3, 3, NOW - 6 * 3600 - 48 * 60);
	asset_event(&st, 7, "bq://dwh/orders", NOW - 26 * 3600,
	    "ingest_orders", "load");
	queue_for(&st, "sales_mart", 99, "bq://dwh/other");
	why(g, "sales_mart", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "sales_mart waits for asset "
	    "bq://dwh/orders, last updated 1d02h ago by ingest_orders.load, "
	    "which failed at 03:12, try 3/3");
	assert_int_equal(w.nchain, 3);
	assert_int_equal(w.chain[0].kind, DEP_NODE_DAG);
	assert_string_equal(w.chain[0].dag_id, "sales_mart");
	assert_int_equal(w.chain[0].when, NOW - 30 * 3600 + 600);
	assert_string_equal(w.chain[0].run_id, "scheduled__1");
	assert_int_equal(w.chain[1].kind, DEP_NODE_ASSET);
	assert_string_equal(w.chain[1].asset, "bq://dwh/orders");
	assert_int_equal(w.chain[1].via, DEP_VIA_SCHEDULE);
	assert_int_equal(w.chain[1].verdict, DEP_WAITING);
	assert_int_equal(w.chain[1].when, NOW - 26 * 3600);
	assert_int_equal(w.chain[2].kind, DEP_NODE_TASK);
	assert_string_equal(w.chain[2].dag_id, "ingest_orders");
	assert_string_equal(w.chain[2].task_id, "load");
	assert_int_equal(w.chain[2].via, DEP_VIA_OUTLET);
	assert_int_equal(w.chain[2].verdict, DEP_FAILED);
	assert_int_equal(w.chain[2].ti_state, TI_FAILED);
	assert_int_equal(w.chain[2].try_number, 3);
	assert_int_equal(w.chain[2].max_tries, 3);
	assert_int_equal(w.also_bad, 0);
	dep_why_free(&w);
	/* once orders is in sales_mart's queue, nothing upstream blocks */
	queue_for(&st, "sales_mart", 7, "bq://dwh/orders");
	why(g, "sales_mart", &st, &w);
	assert_false(w.found);
	assert_string_equal(buf_str(&w.sentence), "sales_mart: every link "
	    "upstream is fine; the DAG itself is slow");
	assert_int_equal(w.nchain, 1);
	dep_why_free(&w);
	/* a retrying task is waiting, not failed; past its median, late */
	free(st.queued_uri[1]);
	st.nqueued = 1;
	d = &st.dags[0];
	assert_string_equal(d->dag_id, "ingest_orders");
	d->run_state = RUN_RUNNING;
	d->bad_state = TI_UP_FOR_RETRY;
	d->median = 600;
	why(g, "sales_mart", &st, &w);
	assert_false(w.found);
	dep_why_free(&w);
	d->bad_state = TI_SUCCESS;
	free(d->bad_task);
	d->bad_task = NULL;
	why(g, "sales_mart", &st, &w);
	assert_true(w.found);
	assert_int_equal(w.chain[2].verdict, DEP_LATE);
	assert_string_equal(buf_str(&w.sentence), "sales_mart waits for asset "
	    "bq://dwh/orders, last updated 1d02h ago by ingest_orders.load; "
	    "ingest_orders has run 8h00m, past its median of 10m00s");
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * A missing asset (nothing writes it, never updated), a paused producer,
 * an asset only an alias writes, whose writer is paused, and a producer
 * the facts do not know (named only by its outlet).
 */
static void
test_why_missing_and_paused(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;

	(void)state;
	add_asset(&f, 1, NULL, "s3://never");
	add_outlet(&f, "pp", "t", add_asset(&f, 2, NULL, "s3://a"));
	add_outlet(&f, "ghost", "t", add_asset(&f, 3, NULL, "s3://g"));
	add_dag(&f, "c_never", "\"s3://never\"");
	add_dag(&f, "c_paused", "\"s3://a\"");
	add_dag(&f, "c_ghost", "\"s3://g\"");
	add_dag(&f, "pp", NULL);
	fact_dag(&f, "pp")->paused = true;
	/* snap is written only through alias al, by aw (paused) */
	{
		struct dep_alias_fact	*al = dep_facts_alias(&f);
		struct dep_outlet_fact	*o = dep_facts_outlet(&f);

		al->name = xstrdup("al");
		al->assets = xcalloc(1, sizeof *al->assets);
		al->assets[al->nassets++] = add_asset(&f, 4, NULL, "snap");
		o->dag_id = xstrdup("aw");
		o->task_id = xstrdup("emit");
		o->kind = DEP_TO_ALIAS;
		o->target = 0;
		add_dag(&f, "aw", NULL);
		fact_dag(&f, "aw")->paused = true;
		add_dag(&f, "c_snap", "\"snap\"");
	}
	g = build(&f);
	why(g, "c_snap", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "c_snap waits for asset "
	    "snap, never updated; aw is paused");
	dep_why_free(&w);
	why(g, "c_never", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "c_never waits for asset "
	    "s3://never, never updated; no DAG writes it");
	assert_int_equal(w.nchain, 2);
	assert_int_equal(w.chain[1].verdict, DEP_MISSING);
	dep_why_free(&w);
	asset_event(&st, 2, "s3://a", NOW - 3 * 3600, "pp", "t");
	dag_run(&st, "pp", RUN_SUCCESS, NOW - 4 * 3600);
	why(g, "c_paused", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "c_paused waits for asset "
	    "s3://a, last updated 3h00m ago by pp.t; pp is paused");
	assert_int_equal(w.nchain, 3);
	assert_int_equal(w.chain[2].kind, DEP_NODE_DAG);
	assert_int_equal(w.chain[2].verdict, DEP_PAUSED);
	dep_why_free(&w);
	why(g, "c_ghost", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "c_ghost waits for asset "
	    "s3://g, never updated; ghost is a DAG Airflow does not know");
	dep_why_free(&w);
	/* the DAG asked about is paused itself */
	why(g, "pp", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "pp is paused");
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * The 3.1 seed's sensor: sensor_y waits on consumer_a, whose newest run
 * failed in task run at 09:00 (1/1).  Then a trigger: downstream_x runs
 * only when consumer_a triggers it.  Then an alias.
 */
static void
test_why_sensor(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;
	struct dep_dag_state	*d;

	(void)state;
	seed3(&f);
	f.aliases[0].assets = xcalloc(1, sizeof *f.aliases[0].assets);
	f.aliases[0].assets[f.aliases[0].nassets++] = 0;	/* al1 -> a */
	g = build(&f);
	d = dag_run(&st, "consumer_a", RUN_FAILED, NOW - 7200);
	bad_task(d, "run", TI_FAILED, 1, 1, NOW - 3600);
	dag_run(&st, "sensor_y", RUN_RUNNING, NOW - 600);
	why(g, "sensor_y", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "sensor_y's sensor "
	    "wait_for_a waits on consumer_a; consumer_a.run failed at 09:00, "
	    "try 1/1");
	assert_int_equal(w.nchain, 2);
	assert_int_equal(w.chain[1].via, DEP_VIA_SENSOR);
	assert_int_equal(w.chain[1].verdict, DEP_FAILED);
	dep_why_free(&w);
	why(g, "downstream_x", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "downstream_x runs when "
	    "consumer_a triggers it; consumer_a.run failed at 09:00, try 1/1");
	assert_int_equal(w.chain[1].via, DEP_VIA_TRIGGER);
	dep_why_free(&w);
	/* consumer_a succeeded: the sensor is fine */
	st.dags[0].run_state = RUN_SUCCESS;
	free(st.dags[0].bad_task);
	st.dags[0].bad_task = NULL;
	why(g, "sensor_y", &st, &w);
	assert_false(w.found);
	assert_string_equal(buf_str(&w.sentence), "sensor_y: every link "
	    "upstream is fine; the DAG itself is slow");
	dep_why_free(&w);
	why(g, "producer", &st, &w);
	assert_false(w.found);
	assert_string_equal(buf_str(&w.sentence), "producer depends on no "
	    "other DAG or asset");
	dep_why_free(&w);
	/*
	 * alias_consumer waits on al1, which producer writes (DAG level)
	 * and which resolved to a; a came 5h ago, alias_consumer ran 3h
	 * ago, so al1 has not come since; producer.load failed.
	 */
	d = dag_run(&st, "producer", RUN_FAILED, NOW - 7200);
	bad_task(d, "load", TI_FAILED, 2, 2, NOW - 3600);
	dag_run(&st, "alias_consumer", RUN_SUCCESS, NOW - 3 * 3600);
	asset_event(&st, 1, "s3://b/a", NOW - 5 * 3600, "producer", "load");
	why(g, "alias_consumer", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "alias_consumer waits for "
	    "alias al1, last updated 5h00m ago; producer.load failed at "
	    "09:00, try 2/2");
	assert_int_equal(w.chain[1].kind, DEP_NODE_ALIAS);
	assert_int_equal(w.chain[1].when, NOW - 5 * 3600);
	dep_why_free(&w);
	/* a newer a (after alias_consumer's run) satisfies the alias */
	st.assets[0].last_event = NOW - 3600;
	why(g, "alias_consumer", &st, &w);
	assert_false(w.found);
	dep_why_free(&w);
	why(g, "nope", &st, &w);
	assert_false(w.found);
	assert_string_equal(buf_str(&w.sentence), "nope depends on no "
	    "other DAG or asset");
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * The demo's shape (make demo): exec (on a clock, its next run due in an
 * hour) has a sensor on mart; mart is scheduled on orders & customers;
 * ingest.load.orders_0 writes orders and failed today at 07:00, try 3/3;
 * crm writes customers (7h ago, after mart's run: arrived for mart).
 * exec's newest run (23h ago) covered yesterday: it now waits for the
 * period after it.  mart's newest run succeeded 28h ago, before that
 * period began: it has not run for exec yet, so the walk goes into it, to
 * orders (last updated 28h10m ago, before mart's run) and its failed
 * producer.  Chain: exec, mart (sensor, ok), orders (waiting), ingest's
 * failed task.  The old rule took mart's success for a pass: "every link
 * upstream is fine".
 */
static struct depgraph *
demo_shape(struct dep_state *st, int64_t exec_next)
{
	struct dep_facts	 f = { 0 };
	struct dep_dag_state	*d;
	struct depgraph		*g;

	add_outlet(&f, "ingest", "load.orders_0",
	    add_asset(&f, 1, "orders", "bq://dwh/raw/orders"));
	add_outlet(&f, "crm", "load.customers_0",
	    add_asset(&f, 2, "customers", "bq://dwh/raw/customers"));
	add_dag(&f, "ingest", NULL);
	add_dag(&f, "crm", NULL);
	add_dag(&f, "mart", "{\"all\": [\"bq://dwh/raw/orders\", "
	    "\"bq://dwh/raw/customers\"]}");
	add_dag(&f, "exec", NULL);
	fact_dag(&f, "ingest")->timed = fact_dag(&f, "crm")->timed = true;
	fact_dag(&f, "exec")->timed = true;
	fact_dag(&f, "exec")->next_run_after = exec_next;
	add_link(&f, DEP_SENSOR, "mart", "exec", "wait_for_mart");
	g = build(&f);
	if (st == NULL)
		return g;
	dag_run(st, "exec", RUN_SUCCESS, NOW - 23 * 3600);
	dag_run(st, "mart", RUN_SUCCESS, NOW - 28 * 3600);
	dag_run(st, "crm", RUN_SUCCESS, NOW - 7 * 3600 - 600);
	d = dag_run(st, "ingest", RUN_FAILED, NOW - 4 * 3600);
	bad_task(d, "load.orders_0", TI_FAILED, 3, 3, NOW - 3 * 3600);
	asset_event(st, 1, "bq://dwh/raw/orders", NOW - 28 * 3600 - 600,
	    "ingest", "load.orders_0");
	asset_event(st, 2, "bq://dwh/raw/customers", NOW - 7 * 3600, "crm",
	    "load.customers_0");
	return g;
}

/* exec's run for today, due and started an hour ago, runs. */
static void
exec_running(struct dep_state *st)
{
	struct dep_dag_state *d = state_of(st, "exec");

	d->run_state = RUN_RUNNING;
	d->run_start = d->run_after = NOW - 3600;
	d->run_end = TIME_NONE;
}

/* mart's newest run instead: rs, due and started at start, 10 minutes. */
static struct dep_dag_state *
mart_run(struct dep_state *st, enum run_state rs, int64_t start)
{
	struct dep_dag_state *d = state_of(st, "mart");

	d->run_state = rs;
	d->run_start = d->run_after = start;
	d->run_end = start + 600;
	return d;
}

static void
test_why_sensor_stale(void **state)
{
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;

	(void)state;
	g = demo_shape(&st, NOW + 3600);
	why(g, "exec", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "exec's sensor "
	    "wait_for_mart waits on mart, which last ran 1d03h ago; mart "
	    "waits for asset bq://dwh/raw/orders, last updated 1d04h ago by "
	    "ingest.load.orders_0, which failed at 07:00, try 3/3");
	assert_int_equal(w.nchain, 4);
	assert_string_equal(w.chain[1].dag_id, "mart");
	assert_int_equal(w.chain[1].via, DEP_VIA_SENSOR);
	assert_int_equal(w.chain[1].verdict, DEP_OK);
	assert_int_equal(w.chain[2].kind, DEP_NODE_ASSET);
	assert_string_equal(w.chain[2].asset, "bq://dwh/raw/orders");
	assert_int_equal(w.chain[3].kind, DEP_NODE_TASK);
	assert_string_equal(w.chain[3].dag_id, "ingest");
	assert_string_equal(w.chain[3].task_id, "load.orders_0");
	assert_int_equal(w.chain[3].verdict, DEP_FAILED);
	assert_int_equal(w.chain[3].try_number, 3);
	assert_int_equal(w.chain[3].max_tries, 3);
	dep_why_free(&w);
	/*
	 * exec's run for today started an hour ago and its sensor waits:
	 * its period began a day before its run_after (the next is due a
	 * day after it), and mart's run of 28h ago is older still.
	 */
	exec_running(&st);
	depgraph_free(g);
	g = demo_shape(NULL, NOW + 23 * 3600);
	why(g, "exec", &st, &w);
	assert_true(w.found);
	assert_int_equal(w.nchain, 4);
	assert_string_equal(w.chain[3].task_id, "load.orders_0");
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * The same web, exec's run for today running (due an hour ago, the next
 * in 23h: its period began 25h ago), and mart ran for that period 5h ago:
 * the sensor is through, whatever failed upstream of mart since (orders'
 * producer failed on the next period's load): nothing upstream holds exec.
 */
static void
test_why_sensor_ran_for_period(void **state)
{
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;

	(void)state;
	g = demo_shape(&st, NOW + 23 * 3600);
	exec_running(&st);
	mart_run(&st, RUN_SUCCESS, NOW - 5 * 3600);
	why(g, "exec", &st, &w);
	assert_false(w.found);
	assert_string_equal(buf_str(&w.sentence), "exec: every link upstream "
	    "is fine; the DAG itself is slow");
	assert_int_equal(w.nchain, 1);
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * The same, mart's run for exec's period failed (build, 05:10, try 2/2):
 * mart is the first bad link, not what is upstream of it.  And when the
 * run that failed is an earlier period's (28h ago) and mart has not run
 * since, that failure still ends the chain: the walk passes only through
 * a DAG whose old run succeeded.
 */
static void
test_why_sensor_failed_for_period(void **state)
{
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;
	struct dep_dag_state	*d;

	(void)state;
	g = demo_shape(&st, NOW + 23 * 3600);
	exec_running(&st);
	d = mart_run(&st, RUN_FAILED, NOW - 5 * 3600);
	bad_task(d, "build", TI_FAILED, 2, 2, NOW - 5 * 3600 + 600);
	why(g, "exec", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "exec's sensor "
	    "wait_for_mart waits on mart; mart.build failed at 05:10, try 2/2");
	assert_int_equal(w.nchain, 2);
	assert_int_equal(w.chain[1].via, DEP_VIA_SENSOR);
	assert_int_equal(w.chain[1].verdict, DEP_FAILED);
	dep_why_free(&w);
	d = mart_run(&st, RUN_FAILED, NOW - 28 * 3600);
	d->bad_end = d->run_end;
	why(g, "exec", &st, &w);
	assert_true(w.found);
	assert_int_equal(w.nchain, 2);
	assert_int_equal(w.chain[1].verdict, DEP_FAILED);
	assert_string_equal(w.chain[1].task_id, "build");
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * Two levels and several branches.  top waits on a & z; a is written by
 * mid, which succeeded 20h ago (before top's last run, 10h ago) and
 * itself waits on b, written by deep, which failed; z is written by zp,
 * paused.  The first bad link is through mid to deep; z counts in
 * also_bad.  With top on (a & z) | q, q written by qp that never ran:
 * the any's nearest branch is q (one leaf missing against two).
 */
static void
test_why_deep_and_branches(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;
	struct dep_dag_state	*d;

	(void)state;
	add_outlet(&f, "mid", "w", add_asset(&f, 1, NULL, "a"));
	add_outlet(&f, "deep", "w", add_asset(&f, 2, NULL, "b"));
	add_outlet(&f, "zp", "w", add_asset(&f, 3, NULL, "z"));
	add_outlet(&f, "qp", "w", add_asset(&f, 4, NULL, "q"));
	add_dag(&f, "top", "{\"all\": [\"a\", \"z\"]}");
	add_dag(&f, "top2", "{\"any\": [{\"all\": [\"a\", \"z\"]}, \"q\"]}");
	add_dag(&f, "mid", "\"b\"");
	add_dag(&f, "deep", NULL);
	add_dag(&f, "zp", NULL);
	add_dag(&f, "qp", NULL);
	fact_dag(&f, "zp")->paused = true;
	g = build(&f);
	dag_run(&st, "top", RUN_SUCCESS, NOW - 10 * 3600);
	dag_run(&st, "top2", RUN_SUCCESS, NOW - 10 * 3600);
	dag_run(&st, "mid", RUN_SUCCESS, NOW - 20 * 3600);
	d = dag_run(&st, "deep", RUN_FAILED, NOW - 2 * 3600);
	bad_task(d, "w", TI_FAILED, 2, 2, NOW - 3600);
	asset_event(&st, 1, "a", NOW - 20 * 3600 + 300, "mid", "w");
	asset_event(&st, 2, "b", NOW - 30 * 3600, "deep", "w");
	why(g, "top", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "top waits through mid: "
	    "mid waits for asset b, last updated 1d06h ago by deep.w, which "
	    "failed at 09:00, try 2/2");
	assert_int_equal(w.nchain, 5);
	assert_string_equal(w.chain[2].dag_id, "mid");
	assert_int_equal(w.chain[2].verdict, DEP_OK);
	assert_string_equal(w.chain[3].asset, "b");
	assert_int_equal(w.chain[4].verdict, DEP_FAILED);
	assert_int_equal(w.also_bad, 1);
	dep_why_free(&w);
	why(g, "top2", &st, &w);
	assert_true(w.found);
	assert_string_equal(buf_str(&w.sentence), "top2 waits for asset q, "
	    "never updated; qp has never run");
	assert_int_equal(w.also_bad, 0);
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * An any with one branch fed by a healthy producer is not held back
 * upstream: fin waits on o | c; o's producer failed, c's producer last
 * succeeded and will run again.  The wait is not caused upstream (found
 * false), though the failed branch is the first and as near.  Once c's
 * producer fails too, both branches are bad and the chain is the first.
 */
static void
test_why_any_still_fed(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_state	 st = { 0 };
	struct dep_why		 w;
	struct dep_dag_state	*d;

	(void)state;
	add_outlet(&f, "ing_o", "load", add_asset(&f, 1, NULL, "o"));
	add_outlet(&f, "ing_c", "load", add_asset(&f, 2, NULL, "c"));
	add_dag(&f, "fin", "{\"any\": [\"o\", \"c\"]}");
	add_dag(&f, "ing_o", NULL);
	add_dag(&f, "ing_c", NULL);
	g = build(&f);
	dag_run(&st, "fin", RUN_SUCCESS, NOW - 10 * 3600);
	d = dag_run(&st, "ing_o", RUN_FAILED, NOW - 2 * 3600);
	bad_task(d, "load", TI_FAILED, 3, 3, NOW - 3600);
	dag_run(&st, "ing_c", RUN_SUCCESS, NOW - 12 * 3600);
	asset_event(&st, 1, "o", NOW - 30 * 3600, "ing_o", "load");
	asset_event(&st, 2, "c", NOW - 12 * 3600, "ing_c", "load");
	why(g, "fin", &st, &w);
	assert_false(w.found);
	assert_int_equal(w.nchain, 1);
	dep_why_free(&w);
	d = state_of(&st, "ing_c");
	d->run_state = RUN_FAILED;
	bad_task(d, "load", TI_FAILED, 2, 2, NOW - 1800);
	why(g, "fin", &st, &w);
	assert_true(w.found);
	assert_string_equal(w.chain[1].asset, "o");
	assert_string_equal(w.chain[2].dag_id, "ing_o");
	assert_int_equal(w.chain[2].verdict, DEP_FAILED);
	dep_why_free(&w);
	dep_state_free(&st);
	depgraph_free(g);
}

/*
 * What a walk reads: the 3.1 seed upstream of consumer_c is c, written by
 * downstream_x, triggered by consumer_a, scheduled on a, written by
 * producer; one hop reads consumer_c and downstream_x with c only.
 */
static void
test_upstream_ask(void **state)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_ask		 a;

	(void)state;
	seed3(&f);
	g = build(&f);
	dep_upstream_ask(g, "consumer_c", 8, &a);
	assert_int_equal(a.ndags, 4);
	assert_string_equal(a.dag_ids[0], "consumer_a");
	assert_string_equal(a.dag_ids[1], "consumer_c");
	assert_string_equal(a.dag_ids[2], "downstream_x");
	assert_string_equal(a.dag_ids[3], "producer");
	assert_int_equal(a.nassets, 2);
	assert_int_equal(a.asset_ids[0], 3);
	assert_string_equal(a.asset_uris[0], "s3://b/c");
	assert_int_equal(a.asset_ids[1], 1);
	assert_string_equal(a.consumer, "consumer_c");
	dep_ask_free(&a);
	dep_upstream_ask(g, "consumer_c", 1, &a);
	assert_int_equal(a.ndags, 2);
	assert_string_equal(a.dag_ids[1], "downstream_x");
	assert_int_equal(a.nassets, 1);
	dep_ask_free(&a);
	/* the alias consumer reads the alias's producer */
	dep_upstream_ask(g, "alias_consumer", 8, &a);
	assert_int_equal(a.ndags, 2);
	assert_string_equal(a.dag_ids[1], "producer");
	dep_ask_free(&a);
	dep_upstream_ask(g, "nope", 8, &a);
	assert_int_equal(a.ndags, 1);
	assert_string_equal(a.dag_ids[0], "nope");
	assert_string_equal(a.consumer, "nope");
	dep_ask_free(&a);
	depgraph_free(g);
}

/*
 * Large and deep: a chain of 20,000 DAGs, d0 writes a0, d1 is scheduled on
 * a0 and writes a1, and so on, and d0 is scheduled on any of the last
 * asset and an outside one (a cycle through every DAG).  d0's failure
 * holds back the 19,999 others, one level deeper each (the tree and its
 * layout never recurse), names the one cycle once, and the whole build
 * and walk take well under a second (5 s allows for the sanitizers).
 */
static void
test_large_chain_quickly(void **state)
{
	enum { N = 20000 };
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct dep_why		 w;
	struct dep_state	 st = { 0 };
	char			 dag[32], uri[32], expr[80];
	clock_t			 t0 = clock();
	size_t			 i;

	(void)state;
	add_asset(&f, N + 1, NULL, "outside");
	for (i = 0; i < N; i++) {
		snprintf(dag, sizeof dag, "d%05zu", i);
		snprintf(uri, sizeof uri, "a%05zu", i);
		add_outlet(&f, dag, "t", add_asset(&f, (int64_t)i + 1, NULL,
		    uri));
		if (i == 0)
			snprintf(expr, sizeof expr, "{\"any\": [\"a%05d\", "
			    "\"outside\"]}", N - 1);
		else
			snprintf(expr, sizeof expr, "\"a%05zu\"", i - 1);
		add_dag(&f, dag, expr);
	}
	g = build(&f);
	assert_int_equal(depgraph_ndags(g), N);
	assert_string_equal(depgraph_warnings(g), "cycle across DAGs: d00000, "
	    "d00001, d00002, d00003, d00004, d00005, d00006, d00007 and 19992 "
	    "more\n");
	assert_int_equal(dep_impact(g, "d00000", "t", NULL, NULL, &im), 0);
	assert_non_null(strstr(buf_str(&im.warnings), "d00007 and 19992 "
	    "more\n"));
	assert_int_equal(im.ndags, N - 1);
	assert_int_equal(im.nassets, N);
	assert_int_equal(im.nitems, 2 * N);
	assert_int_equal(im.items[im.nitems - 1].depth, 2 * N - 1);
	assert_string_equal(im.items[im.nitems - 1].asset, "a19999");
	dep_impact_free(&im);
	why(g, "d19999", &st, &w);
	assert_true(w.found);
	dep_why_free(&w);
	depgraph_free(g);
	/* a small cycle is named whole */
	add_asset(&f, 1, NULL, "a00000");
	add_asset(&f, 2, NULL, "a00001");
	add_outlet(&f, "d0", "t", 0);
	add_outlet(&f, "d1", "t", 1);
	add_dag(&f, "d0", "\"a00001\"");
	add_dag(&f, "d1", "\"a00000\"");
	g = build(&f);
	assert_string_equal(depgraph_warnings(g), "cycle across DAGs: d0, "
	    "d1\n");
	depgraph_free(g);
	if ((double)(clock() - t0) / CLOCKS_PER_SEC > 5.0)
		fail_msg("20,000 DAGs took %.1f s",
		    (double)(clock() - t0) / CLOCKS_PER_SEC);
}

/* Names of the enums, as reports and JSON print them. */
static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(dep_via_name(DEP_VIA_FAILURE), "failure");
	assert_string_equal(dep_via_name(DEP_VIA_SENSOR), "sensor");
	assert_string_equal(dep_via_name(DEP_VIA_TRIGGER), "trigger");
	assert_string_equal(dep_via_name(DEP_VIA_SCHEDULE), "schedule");
	assert_string_equal(dep_via_name((enum dep_via)99), "?");
	assert_string_equal(dep_node_kind_name(DEP_NODE_ASSET), "asset");
	assert_string_equal(dep_node_kind_name(DEP_NODE_ALIAS), "alias");
	assert_string_equal(dep_verdict_name(DEP_FAILED), "failed");
	assert_string_equal(dep_verdict_name(DEP_UNKNOWN), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts_push_and_find),
		cmocka_unit_test(test_dependencies_2),
		cmocka_unit_test(test_dependencies_3),
		cmocka_unit_test(test_dependencies_unreadable),
		cmocka_unit_test(test_build_seed),
		cmocka_unit_test(test_build_isolated_dag),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_schedule_without_expression),
		cmocka_unit_test(test_dangling),
		cmocka_unit_test(test_build_cycles),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_impact_seed),
		cmocka_unit_test(test_impact_without_task_graph),
		cmocka_unit_test(test_impact_duplicate_facts),
		cmocka_unit_test(test_impact_and_or),
		cmocka_unit_test(test_impact_alias),
		cmocka_unit_test(test_impact_cycle),
		cmocka_unit_test(test_impact_diamond),
		cmocka_unit_test(test_impact_paused),
		cmocka_unit_test(test_impact_three_levels),
		cmocka_unit_test(test_impact_slas),
		cmocka_unit_test(test_impact_line),
		cmocka_unit_test(test_why_failed_producer),
		cmocka_unit_test(test_why_missing_and_paused),
		cmocka_unit_test(test_why_sensor),
		cmocka_unit_test(test_why_sensor_stale),
		cmocka_unit_test(test_why_sensor_ran_for_period),
		cmocka_unit_test(test_why_sensor_failed_for_period),
		cmocka_unit_test(test_why_deep_and_branches),
		cmocka_unit_test(test_why_any_still_fed),
		cmocka_unit_test(test_upstream_ask),
		cmocka_unit_test(test_large_chain_quickly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
