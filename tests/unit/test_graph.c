/*
 * test_graph.c: the task graph of one DAG (src/model/graph.c): topological
 * order and depth, lookup, the problems untrusted input can carry
 * (duplicate ids, dangling and self edges, cycles), the transitive
 * downstream, and graphs large enough to expose quadratic or recursive code.
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

#include "graph.h"

#define NONE ((size_t)-1)

/* "id:depth id:depth ..." in topological order. */
static char *
order_string(const struct graph *g)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < g->ntasks; i++)
		buf_printf(&b, "%s%s:%d", i ? " " : "",
		    g->tasks[g->order[i]].task_id,
		    g->tasks[g->order[i]].depth);
	return buf_detach(&b);
}

static void
assert_order(const struct graph *g, const char *want)
{
	char *s = order_string(g);

	if (strcmp(s, want) != 0)
		fail_msg("order \"%s\", want \"%s\"", s, want);
	free(s);
}

/* The ids marked in mark[], in task insertion order. */
static void
assert_marked(const struct graph *g, const bool *mark, const char *want)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < g->ntasks; i++)
		if (mark[i])
			buf_printf(&b, "%s%s", b.len ? " " : "",
			    g->tasks[i].task_id);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("marked \"%s\", want \"%s\"", buf_str(&b), want);
	buf_free(&b);
}

static size_t
task(struct graph *g, const char *id)
{
	return graph_add_task(g, id, "EmptyOperator", false, 0);
}

/* Every entry of order[] is a task index, and each appears exactly once. */
static void
assert_order_is_permutation(const struct graph *g)
{
	bool	*seen = calloc(g->ntasks + 1, sizeof *seen);
	size_t	 i;

	assert_non_null(seen);
	for (i = 0; i < g->ntasks; i++) {
		assert_true(g->order[i] < g->ntasks);
		assert_false(seen[g->order[i]]);
		seen[g->order[i]] = true;
	}
	free(seen);
}

/* Each edge goes from an earlier to a later position in order[]. */
static void
assert_edges_forward(const struct graph *g)
{
	size_t	*pos = calloc(g->ntasks + 1, sizeof *pos);
	size_t	 i, k;

	assert_non_null(pos);
	for (i = 0; i < g->ntasks; i++)
		pos[g->order[i]] = i;
	for (i = 0; i < g->ntasks; i++) {
		if (g->tasks[i].depth < 0)
			continue;
		for (k = 0; k < g->tasks[i].ndown; k++) {
			assert_true(pos[i] < pos[g->tasks[i].down[k]]);
			assert_true(g->tasks[i].depth <
			    g->tasks[g->tasks[i].down[k]].depth);
		}
	}
	free(pos);
}

static void
test_diamond(void **state)
{
	struct graph	*g = graph_new();
	size_t		 a, b, c, d;

	(void)state;
	a = task(g, "a");
	b = task(g, "b");
	c = task(g, "c");
	d = task(g, "d");
	graph_add_edge(g, "a", "b");
	graph_add_edge(g, "a", "c");
	graph_add_edge(g, "b", "d");
	graph_add_edge(g, "c", "d");
	graph_finish(g);
	assert_true(g->finished);
	assert_int_equal(g->ntasks, 4);
	assert_order(g, "a:0 b:1 c:1 d:2");
	assert_int_equal(g->tasks[a].ndown, 2);
	assert_int_equal(g->tasks[a].nup, 0);
	assert_int_equal(g->tasks[b].nup, 1);
	assert_int_equal(g->tasks[c].nup, 1);
	assert_int_equal(g->tasks[d].nup, 2);
	assert_int_equal(g->tasks[d].ndown, 0);
	assert_int_equal(g->tasks[a].down[0], b);
	assert_int_equal(g->tasks[a].down[1], c);
	assert_int_equal(g->tasks[b].down[0], d);
	assert_string_equal(buf_str(&g->warnings), "");
	assert_edges_forward(g);
	graph_free(g);
}

static void
test_chain_and_longest_path(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	/* Tasks added last-first, edges before the tasks exist. */
	graph_add_edge(g, "a", "b");
	graph_add_edge(g, "b", "c");
	graph_add_edge(g, "c", "d");
	/* A shortcut: depth is the longest path, not the shortest. */
	graph_add_edge(g, "a", "d");
	task(g, "d");
	task(g, "c");
	task(g, "b");
	task(g, "a");
	graph_finish(g);
	assert_order(g, "a:0 b:1 c:2 d:3");
	assert_int_equal(g->tasks[graph_find(g, "d")].nup, 2);
	assert_string_equal(buf_str(&g->warnings), "");
	assert_edges_forward(g);
	graph_free(g);
}

static void
test_several_roots(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	task(g, "r1");
	task(g, "x");
	task(g, "r2");
	task(g, "y");
	task(g, "alone");
	task(g, "z");
	graph_add_edge(g, "r2", "y");
	graph_add_edge(g, "r1", "x");
	graph_add_edge(g, "x", "z");
	graph_add_edge(g, "y", "z");
	graph_finish(g);
	/* Roots in insertion order (not by name), then breadth by level. */
	assert_order(g, "r1:0 r2:0 alone:0 x:1 y:1 z:2");
	assert_edges_forward(g);
	graph_free(g);
}

static struct graph *
build_sample(void)
{
	struct graph *g = graph_new();

	task(g, "zeta");
	task(g, "extract");
	task(g, "alpha");
	task(g, "load");
	task(g, "transform_b");
	task(g, "transform_a");
	task(g, "report");
	graph_add_edge(g, "extract", "transform_b");
	graph_add_edge(g, "extract", "transform_a");
	graph_add_edge(g, "transform_a", "load");
	graph_add_edge(g, "transform_b", "load");
	graph_add_edge(g, "load", "report");
	graph_add_edge(g, "alpha", "report");
	graph_finish(g);
	return g;
}

static void
test_stable_order(void **state)
{
	struct graph	*g1, *g2;
	char		*s1, *s2;
	size_t		 i;

	(void)state;
	g1 = build_sample();
	g2 = build_sample();
	s1 = order_string(g1);
	s2 = order_string(g2);
	assert_string_equal(s1, s2);
	/* Ties go by insertion order of tasks and of edges. */
	assert_string_equal(s1, "zeta:0 extract:0 alpha:0 transform_b:1 "
	    "transform_a:1 load:2 report:3");
	for (i = 0; i < g1->ntasks; i++)
		assert_int_equal(g1->order[i], g2->order[i]);
	free(s1);
	free(s2);
	/* Finishing twice changes nothing. */
	graph_finish(g1);
	assert_order(g1, "zeta:0 extract:0 alpha:0 transform_b:1 "
	    "transform_a:1 load:2 report:3");
	assert_string_equal(buf_str(&g1->warnings), "");
	graph_free(g1);
	graph_free(g2);
}

static void
test_find(void **state)
{
	struct graph	*g = graph_new();
	static const char *const ids[] = {
		"m", "b", "group.task", "a", "ab", "z", "group", "A", "a b",
	};
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof ids / sizeof *ids; i++)
		assert_int_equal(task(g, ids[i]), i);
	/* Before graph_finish (linear) ... */
	for (i = 0; i < sizeof ids / sizeof *ids; i++)
		assert_int_equal(graph_find(g, ids[i]), i);
	assert_int_equal(graph_find(g, "aa"), NONE);
	graph_finish(g);
	/* ... and after (binary search over the sorted index). */
	for (i = 0; i < sizeof ids / sizeof *ids; i++)
		assert_int_equal(graph_find(g, ids[i]), i);
	assert_int_equal(graph_find(g, "aa"), NONE);
	assert_int_equal(graph_find(g, ""), NONE);
	assert_int_equal(graph_find(g, "group."), NONE);
	assert_int_equal(graph_find(g, "zz"), NONE);
	assert_int_equal(graph_find(g, "0"), NONE);
	assert_int_equal(graph_find(g, "M"), NONE);
	graph_free(g);
}

static void
test_task_fields(void **state)
{
	struct graph	*g = graph_new();
	size_t		 i;

	(void)state;
	i = graph_add_task(g, "m", "PythonOperator", true, 3);
	assert_int_equal(graph_add_task(g, "n", NULL, false, -1), 1);
	graph_finish(g);
	assert_string_equal(g->tasks[i].task_id, "m");
	assert_string_equal(g->tasks[i].task_type, "PythonOperator");
	assert_true(g->tasks[i].mapped);
	assert_int_equal(g->tasks[i].retries, 3);
	assert_null(g->tasks[1].task_type);
	assert_false(g->tasks[1].mapped);
	assert_int_equal(g->tasks[1].retries, -1);
	graph_free(g);
}

static void
test_duplicate_ids(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	assert_int_equal(graph_add_task(g, "a", "BashOperator", false, 1), 0);
	assert_int_equal(graph_add_task(g, "b", NULL, false, 0), 1);
	assert_int_equal(graph_add_task(g, "a", "PythonOperator", true, 7), 0);
	assert_int_equal(graph_add_task(g, "a", NULL, false, 0), 0);
	assert_int_equal(g->ntasks, 2);
	graph_add_edge(g, "a", "b");
	graph_finish(g);
	/* The first definition stays. */
	assert_string_equal(g->tasks[0].task_type, "BashOperator");
	assert_false(g->tasks[0].mapped);
	assert_int_equal(g->tasks[0].retries, 1);
	assert_string_equal(buf_str(&g->warnings),
	    "duplicate task id a\nduplicate task id a\n");
	assert_order(g, "a:0 b:1");
	graph_free(g);
}

static void
test_unknown_and_duplicate_edges(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	task(g, "a");
	task(g, "b");
	graph_add_edge(g, "a", "ghost");
	graph_add_edge(g, "ghost", "b");
	graph_add_edge(g, "ghost", "phantom");
	graph_add_edge(g, "a", "b");
	graph_add_edge(g, "a", "b");	/* the same edge twice counts once */
	graph_finish(g);
	assert_string_equal(buf_str(&g->warnings),
	    "edge a -> ghost names an unknown task\n"
	    "edge ghost -> b names an unknown task\n"
	    "edge ghost -> phantom names an unknown task\n");
	assert_int_equal(g->tasks[0].ndown, 1);
	assert_int_equal(g->tasks[0].down[0], 1);
	assert_int_equal(g->tasks[1].nup, 1);
	assert_int_equal(g->ntasks, 2);
	assert_order(g, "a:0 b:1");
	graph_free(g);
}

static void
test_self_edge(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	task(g, "a");
	task(g, "b");
	graph_add_edge(g, "a", "a");
	graph_add_edge(g, "a", "b");
	graph_finish(g);
	assert_string_equal(buf_str(&g->warnings),
	    "task a depends on itself\n");
	/* Dropped: a is still a root, not a cycle. */
	assert_order(g, "a:0 b:1");
	assert_int_equal(g->tasks[0].ndown, 1);
	assert_int_equal(g->tasks[0].nup, 0);
	graph_free(g);
}

static void
test_cycle(void **state)
{
	struct graph	*g = graph_new();
	bool		 mark[5] = { false };

	(void)state;
	task(g, "a");
	task(g, "p");
	task(g, "q");
	task(g, "r");
	task(g, "z");
	graph_add_edge(g, "a", "p");
	graph_add_edge(g, "p", "q");
	graph_add_edge(g, "q", "r");
	graph_add_edge(g, "r", "p");
	graph_finish(g);
	/* The acyclic part first, then the cycle with depth -1. */
	assert_order(g, "a:0 z:0 p:-1 q:-1 r:-1");
	assert_order_is_permutation(g);
	assert_string_equal(buf_str(&g->warnings),
	    "cycle through tasks: p q r\n");
	/* The downstream walk ends on a cycle. */
	assert_int_equal(graph_downstream(g, graph_find(g, "q"), mark), 3);
	assert_marked(g, mark, "p q r");
	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "a"), mark), 4);
	assert_marked(g, mark, "a p q r");
	graph_free(g);
}

static void
test_two_cycles_and_whole_graph_cycle(void **state)
{
	struct graph *g = graph_new();

	(void)state;
	/* Two separate two-task cycles and nothing else. */
	task(g, "a");
	task(g, "b");
	task(g, "c");
	task(g, "d");
	graph_add_edge(g, "a", "b");
	graph_add_edge(g, "b", "a");
	graph_add_edge(g, "c", "d");
	graph_add_edge(g, "d", "c");
	graph_finish(g);
	assert_order(g, "a:-1 b:-1 c:-1 d:-1");
	assert_order_is_permutation(g);
	assert_string_equal(buf_str(&g->warnings),
	    "cycle through tasks: a b c d\n");
	graph_free(g);
}

/*
 * The names after "cycle through tasks:" in the warnings, each followed by
 * a space, so that strstr can look for " name ".
 */
static char *
cycle_names(const struct graph *g)
{
	const char	*w = buf_str(&g->warnings), *p, *e;
	struct buf	 b = BUF_INIT;

	p = strstr(w, "cycle through tasks:");
	if (p == NULL)
		return buf_detach(&b);
	p += strlen("cycle through tasks:");
	e = strchr(p, '\n');
	buf_append(&b, p, e != NULL ? (size_t)(e - p) : strlen(p));
	buf_putc(&b, ' ');
	return buf_detach(&b);
}

/*
 * graph.h: "Tasks on a cycle are ... named in the warnings."  A task that
 * merely hangs below a cycle has no depth either, but it is not on the
 * cycle, and the warning must not send the user looking for it there: in a
 * large DAG with a cycle near the top every task below would be named.
 */
static void
test_cycle_warning_names_only_the_cycle(void **state)
{
	struct graph	*g = graph_new();
	char		*names, warnings[256];
	bool		 has_p, has_q, has_tail;

	(void)state;
	task(g, "root");
	task(g, "p");
	task(g, "q");
	task(g, "tail");
	graph_add_edge(g, "root", "p");
	graph_add_edge(g, "p", "q");
	graph_add_edge(g, "q", "p");
	graph_add_edge(g, "q", "tail");
	graph_finish(g);
	/* tail cannot be ordered either: it comes after, without a depth. */
	assert_int_equal(g->order[0], graph_find(g, "root"));
	assert_int_equal(g->tasks[graph_find(g, "root")].depth, 0);
	assert_int_equal(g->tasks[graph_find(g, "tail")].depth, -1);
	assert_order_is_permutation(g);
	names = cycle_names(g);
	has_p = strstr(names, " p ") != NULL;
	has_q = strstr(names, " q ") != NULL;
	has_tail = strstr(names, " tail ") != NULL;
	snprintf(warnings, sizeof warnings, "%s", buf_str(&g->warnings));
	free(names);
	graph_free(g);
	assert_true(has_p);
	assert_true(has_q);
	if (has_tail)
		fail_msg("tail is not on the cycle p -> q -> p, but the "
		    "warnings say: %s", warnings);
}

static void
test_downstream(void **state)
{
	struct graph	*g = graph_new();
	bool		 mark[6] = { false };

	(void)state;
	/* a -> b -> d, a -> c -> d, d -> e; f alone */
	task(g, "a");
	task(g, "b");
	task(g, "c");
	task(g, "d");
	task(g, "e");
	task(g, "f");
	graph_add_edge(g, "a", "b");
	graph_add_edge(g, "a", "c");
	graph_add_edge(g, "b", "d");
	graph_add_edge(g, "c", "d");
	graph_add_edge(g, "d", "e");
	graph_finish(g);

	assert_int_equal(graph_downstream(g, graph_find(g, "b"), mark), 3);
	assert_marked(g, mark, "b d e");
	/* Union with a second start: only what is new counts. */
	assert_int_equal(graph_downstream(g, graph_find(g, "c"), mark), 1);
	assert_marked(g, mark, "b c d e");
	/* A start already marked adds nothing new here. */
	assert_int_equal(graph_downstream(g, graph_find(g, "d"), mark), 0);
	assert_marked(g, mark, "b c d e");
	assert_int_equal(graph_downstream(g, graph_find(g, "a"), mark), 1);
	assert_marked(g, mark, "a b c d e");

	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "a"), mark), 5);
	assert_marked(g, mark, "a b c d e");
	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "e"), mark), 1);
	assert_marked(g, mark, "e");
	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "f"), mark), 1);
	assert_marked(g, mark, "f");
	/* A start that is no task marks nothing. */
	memset(mark, 0, sizeof mark);
	assert_int_equal(graph_downstream(g, NONE, mark), 0);
	assert_int_equal(graph_downstream(g, 6, mark), 0);
	assert_marked(g, mark, "");
	graph_free(g);
}

static void
test_empty_graph(void **state)
{
	struct graph	*g = graph_new();
	bool		 mark[1] = { false };

	(void)state;
	assert_int_equal(g->ntasks, 0);
	assert_int_equal(graph_find(g, "a"), NONE);
	graph_finish(g);
	assert_true(g->finished);
	assert_int_equal(g->ntasks, 0);
	assert_string_equal(buf_str(&g->warnings), "");
	assert_int_equal(graph_find(g, "a"), NONE);
	assert_int_equal(graph_downstream(g, 0, mark), 0);
	assert_false(mark[0]);
	graph_free(g);
	graph_free(NULL);

	/* Only dangling edges: all reported, nothing else. */
	g = graph_new();
	graph_add_edge(g, "x", "y");
	graph_finish(g);
	assert_int_equal(g->ntasks, 0);
	assert_string_equal(buf_str(&g->warnings),
	    "edge x -> y names an unknown task\n");
	graph_free(g);
}

/*
 * CPU seconds a large case may take.  Far above what linear (or even the
 * harmless n log n) code needs under the sanitizers, far below what a
 * quadratic walk over paths or a recursion per task would.
 */
#define LARGE_CPU_LIMIT 20.0

static double
cpu_seconds(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

#define CHAIN 5000

static void
test_long_chain(void **state)
{
	struct graph	*g = graph_new();
	char		 a[32], b[32];
	bool		*mark;
	double		 t0 = cpu_seconds();
	int		 i;

	(void)state;
	/* Tasks and edges in reverse, so order cannot follow insertion. */
	for (i = CHAIN - 1; i >= 0; i--) {
		snprintf(a, sizeof a, "t%05d", i);
		task(g, a);
		if (i > 0) {
			snprintf(b, sizeof b, "t%05d", i - 1);
			graph_add_edge(g, b, a);
		}
	}
	graph_finish(g);
	assert_int_equal(g->ntasks, CHAIN);
	assert_string_equal(buf_str(&g->warnings), "");
	for (i = 0; i < CHAIN; i++) {
		snprintf(a, sizeof a, "t%05d", i);
		assert_string_equal(g->tasks[g->order[i]].task_id, a);
		assert_int_equal(g->tasks[g->order[i]].depth, i);
	}
	mark = calloc(CHAIN, sizeof *mark);
	assert_non_null(mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "t00000"), mark),
	    CHAIN);
	memset(mark, 0, CHAIN * sizeof *mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "t02500"), mark),
	    CHAIN - 2500);
	assert_false(mark[graph_find(g, "t02499")]);
	assert_true(mark[graph_find(g, "t04999")]);
	free(mark);
	graph_free(g);

	/* The same chain closed into one big cycle: no hang, no recursion. */
	g = graph_new();
	for (i = 0; i < CHAIN; i++) {
		snprintf(a, sizeof a, "t%05d", i);
		task(g, a);
		snprintf(b, sizeof b, "t%05d", (i + 1) % CHAIN);
		graph_add_edge(g, a, b);
	}
	graph_finish(g);
	for (i = 0; i < CHAIN; i++)
		assert_int_equal(g->tasks[i].depth, -1);
	assert_order_is_permutation(g);
	assert_non_null(strstr(buf_str(&g->warnings),
	    "cycle through tasks: t00000 t00001 "));
	mark = calloc(CHAIN, sizeof *mark);
	assert_non_null(mark);
	assert_int_equal(graph_downstream(g, 1234, mark), CHAIN);
	free(mark);
	graph_free(g);
	if (cpu_seconds() - t0 > LARGE_CPU_LIMIT)
		fail_msg("a %d-task chain took %.1f s of CPU", CHAIN,
		    cpu_seconds() - t0);
}

/*
 * A small cycle near the top of a large DAG leaves everything below it
 * unordered: a long chain and a wide fan-out hang below p <-> q here.
 * Only p and q are on the cycle; the rest must be handled without a
 * per-task walk over the whole graph getting out of hand.
 */
static void
test_cycle_above_large_graph(void **state)
{
	struct graph	*g = graph_new();
	char		 a[32], b[32];
	double		 t0 = cpu_seconds();
	size_t		 i;

	(void)state;
	task(g, "root");
	task(g, "p");
	task(g, "q");
	graph_add_edge(g, "root", "p");
	graph_add_edge(g, "p", "q");
	graph_add_edge(g, "q", "p");
	graph_add_edge(g, "q", "c00000");
	for (i = 0; i < CHAIN; i++) {
		snprintf(a, sizeof a, "c%05zu", i);
		task(g, a);
		if (i > 0) {
			snprintf(b, sizeof b, "c%05zu", i - 1);
			graph_add_edge(g, b, a);
		}
	}
	for (i = 0; i < 2000; i++) {
		snprintf(a, sizeof a, "fan%04zu", i);
		task(g, a);
		graph_add_edge(g, "p", a);
	}
	graph_finish(g);
	assert_string_equal(buf_str(&g->warnings),
	    "cycle through tasks: p q\n");
	assert_int_equal(g->order[0], graph_find(g, "root"));
	assert_int_equal(g->tasks[g->order[0]].depth, 0);
	for (i = 1; i < g->ntasks; i++)
		assert_int_equal(g->tasks[g->order[i]].depth, -1);
	assert_order_is_permutation(g);
	graph_free(g);
	if (cpu_seconds() - t0 > LARGE_CPU_LIMIT)
		fail_msg("a cycle above %d tasks took %.1f s of CPU",
		    CHAIN + 2000, cpu_seconds() - t0);
}

#define WIDE 2000

static void
test_wide_fan_out_and_in(void **state)
{
	struct graph	*g = graph_new();
	char		 a[32];
	bool		*mark;
	double		 t0 = cpu_seconds();
	size_t		 root, sink;
	int		 i;

	(void)state;
	root = task(g, "root");
	for (i = 0; i < WIDE; i++) {
		snprintf(a, sizeof a, "leaf%04d", i);
		task(g, a);
		graph_add_edge(g, "root", a);
		graph_add_edge(g, a, "sink");
	}
	sink = task(g, "sink");
	graph_finish(g);
	assert_string_equal(buf_str(&g->warnings), "");
	assert_int_equal(g->tasks[root].ndown, WIDE);
	assert_int_equal(g->tasks[sink].nup, WIDE);
	assert_int_equal(g->tasks[sink].depth, 2);
	assert_int_equal(g->order[0], root);
	for (i = 0; i < WIDE; i++) {
		snprintf(a, sizeof a, "leaf%04d", i);
		assert_string_equal(g->tasks[g->order[i + 1]].task_id, a);
		assert_int_equal(g->tasks[g->order[i + 1]].depth, 1);
		assert_int_equal(g->tasks[g->order[i + 1]].nup, 1);
	}
	assert_int_equal(g->order[WIDE + 1], sink);
	mark = calloc(g->ntasks, sizeof *mark);
	assert_non_null(mark);
	assert_int_equal(graph_downstream(g, root, mark), WIDE + 2);
	memset(mark, 0, g->ntasks * sizeof *mark);
	assert_int_equal(graph_downstream(g, graph_find(g, "leaf1999"), mark),
	    2);
	free(mark);
	assert_edges_forward(g);
	graph_free(g);
	if (cpu_seconds() - t0 > LARGE_CPU_LIMIT)
		fail_msg("a %d-wide fan-out took %.1f s of CPU", WIDE,
		    cpu_seconds() - t0);
}

/*
 * Issue 14: a serialized DAG of a million tiny tasks fits the parse budget;
 * the duplicate check must not be quadratic (it was: hours of a blocked
 * console).  200000 tasks, a duplicate among them, in well under a second.
 */
static void
test_many_tasks_quickly(void **state)
{
	struct graph	*g = graph_new();
	char		 id[32];
	size_t		 i, n = 200000;
	clock_t		 t0 = clock();

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "task_%zu", i);
		assert_int_equal(graph_add_task(g, id, NULL, false, 0), i);
	}
	assert_int_equal(graph_add_task(g, "task_12345", NULL, false, 0), 12345);
	assert_string_equal(buf_str(&g->warnings),
	    "duplicate task id task_12345\n");
	for (i = 0; i + 1 < n; i++) {
		char to[32];

		snprintf(id, sizeof id, "task_%zu", i);
		snprintf(to, sizeof to, "task_%zu", i + 1);
		graph_add_edge(g, id, to);
	}
	graph_finish(g);
	assert_int_equal(g->ntasks, n);
	assert_int_equal(graph_find(g, "task_199999"), 199999);
	assert_int_equal(g->tasks[199999].depth, 199999);
	if ((double)(clock() - t0) / CLOCKS_PER_SEC > 5.0)
		fail_msg("%zu tasks took %.1f s", n,
		    (double)(clock() - t0) / CLOCKS_PER_SEC);
	graph_free(g);
}

/*
 * The same for edges: one task fanning out to 100000 (each edge given
 * twice), and a cycle through 100000 tasks.  Both were quadratic (a scan of
 * down[] per edge, a walk from every task on the cycle).
 */
static void
test_big_fan_and_cycle_quickly(void **state)
{
	struct graph	*g = graph_new();
	char		 id[32], to[32];
	size_t		 i, n = 100000;
	clock_t		 t0 = clock();
	const char	*w;

	(void)state;
	graph_add_task(g, "root", NULL, false, 0);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "f%zu", i);
		graph_add_task(g, id, NULL, false, 0);
		graph_add_edge(g, "root", id);
		graph_add_edge(g, "root", id);
	}
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "c%zu", i);
		graph_add_task(g, id, NULL, false, 0);
	}
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "c%zu", i);
		snprintf(to, sizeof to, "c%zu", (i + 1) % n);
		graph_add_edge(g, id, to);
	}
	graph_add_task(g, "after", NULL, false, 0);
	graph_add_edge(g, "c0", "after");
	graph_finish(g);
	assert_int_equal(g->tasks[0].ndown, n);
	assert_int_equal(g->tasks[graph_find(g, "f99999")].depth, 1);
	assert_int_equal(g->tasks[graph_find(g, "c5")].depth, -1);
	/* Every c is named, "after" (downstream of the cycle) is not. */
	w = buf_str(&g->warnings);
	assert_int_equal(strncmp(w, "cycle through tasks: c0 c1 c2 ", 30), 0);
	assert_non_null(strstr(w, " c99999\n"));
	assert_null(strstr(w, "after"));
	if ((double)(clock() - t0) / CLOCKS_PER_SEC > 5.0)
		fail_msg("took %.1f s", (double)(clock() - t0) / CLOCKS_PER_SEC);
	graph_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_chain_and_longest_path),
		cmocka_unit_test(test_several_roots),
		cmocka_unit_test(test_stable_order),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_task_fields),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_unknown_and_duplicate_edges),
		cmocka_unit_test(test_self_edge),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_two_cycles_and_whole_graph_cycle),
		cmocka_unit_test(test_cycle_warning_names_only_the_cycle),
		cmocka_unit_test(test_downstream),
		cmocka_unit_test(test_empty_graph),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_cycle_above_large_graph),
		cmocka_unit_test(test_wide_fan_out_and_in),
		cmocka_unit_test(test_many_tasks_quickly),
		cmocka_unit_test(test_big_fan_and_cycle_quickly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
