/*
 * fuzz_depgraph.c: libFuzzer harness for the dependency graph's readers of
 * untrusted JSON: the bytes are both a serialized DAG's dag_dependencies
 * list and a DAG's schedule expression, in a small graph of assets, an
 * alias and DAGs; whatever they are, the graph builds, and the impact of a
 * failure and the walk upstream terminate with every item's parent before
 * it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
facts(struct dep_facts *f, const char *expr)
{
	struct dep_dag_fact	*d;
	struct dep_asset_fact	*a;
	struct dep_outlet_fact	*o;
	static const char *const uris[] = { "s3://b/a", "s3://b/b", "a" };
	size_t			 i;

	for (i = 0; i < 3; i++) {
		a = dep_facts_asset(f);
		a->id = (int64_t)i + 1;
		a->name = xstrdup(i == 2 ? "a" : uris[i] + 7);
		a->uri = xstrdup(uris[i]);
	}
	dep_facts_alias(f)->name = xstrdup("al1");
	d = dep_facts_dag(f);
	d->dag_id = xstrdup("producer");
	d = dep_facts_dag(f);
	d->dag_id = xstrdup("fuzzed");
	d->expression = xstrdup(expr);
	o = dep_facts_outlet(f);
	o->dag_id = xstrdup("producer");
	o->task_id = xstrdup("load");
	o->target = 0;
	o = dep_facts_outlet(f);
	o->dag_id = xstrdup("fuzzed");
	o->kind = DEP_TO_ASSET;
	o->target = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dep_facts	 f = { 0 };
	struct depgraph		*g;
	struct dep_impact	 im;
	struct dep_ask		 ask;
	struct dep_why		 why;
	struct dep_state	 st = { 0 };
	char			*expr;
	size_t			 i;

	expr = malloc(size + 1);
	if (expr == NULL)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	facts(&f, expr);
	dep_facts_add_dependencies(&f, "fuzzed", (const char *)data, size);
	dep_facts_add_dependencies(&f, "producer", (const char *)data, size);
	g = depgraph_build(&f);
	dep_facts_free(&f);
	if (g == NULL)
		abort();
	if (dep_impact(g, "producer", "load", NULL, NULL, &im) == 0) {
		for (i = 1; i < im.nitems; i++)
			if (im.items[i].parent >= i)
				abort();
		dep_impact_free(&im);
	}
	dep_upstream_ask(g, "fuzzed", 8, &ask);
	dep_ask_free(&ask);
	dep_why(g, "fuzzed", &st, NULL, &why);
	if (why.nchain == 0 || why.sentence.len == 0)
		abort();	/* the DAG asked about, and a sentence */
	dep_why_free(&why);
	depgraph_free(g);
	free(expr);
	return 0;
}
