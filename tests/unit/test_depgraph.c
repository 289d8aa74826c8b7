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

	for (i = 0; i < f->ndags; i++)
		if (strcmp(f->dags[i].dag_id, id) == 0)
			return &f->dags[i];
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
 * and an expression that cannot be read falls back on them too.
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
	g = depgraph_build(&f);
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
	};

	(void)producer_graph;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
