/* test_taskrows.c: task instances in graph order, mapped tasks folded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "taskrows.h"

/* A TI list as afdb returns it: sorted by task_id, then map_index. */
static void
add(struct af_tis *tis, const char *task, int map, enum ti_state st)
{
	struct af_ti *t = af_tis_push(tis);

	t->task_id = xstrdup(task);
	t->map_index = map;
	t->state = st;
}

static struct graph *
diamond(void)
{
	struct graph *g = graph_new();

	graph_add_task(g, "start", "EmptyOperator", false, 0);
	graph_add_task(g, "left", NULL, false, 0);
	graph_add_task(g, "map", NULL, true, 0);
	graph_add_task(g, "end", NULL, false, 0);
	graph_add_task(g, "never", NULL, false, 0);	/* no instance yet */
	graph_add_edge(g, "start", "left");
	graph_add_edge(g, "start", "map");
	graph_add_edge(g, "left", "end");
	graph_add_edge(g, "map", "end");
	graph_finish(g);
	return g;
}

static void
test_graph_order_and_folding(void **state)
{
	struct af_tis		 tis = { 0 };
	struct task_rows	 rows;
	struct graph		*g = diamond();

	(void)state;
	add(&tis, "end", -1, TI_UPSTREAM_FAILED);
	add(&tis, "ghost", -1, TI_REMOVED);	/* not in the graph */
	add(&tis, "left", -1, TI_SUCCESS);
	add(&tis, "map", 0, TI_SUCCESS);
	add(&tis, "map", 1, TI_FAILED);
	add(&tis, "map", 2, TI_RUNNING);
	add(&tis, "start", -1, TI_SUCCESS);
	task_rows_build(&rows, g, &tis);
	assert_true(rows.ordered);
	assert_int_equal(rows.n, 5);
	assert_string_equal(rows.v[0].ti->task_id, "start");
	assert_int_equal(rows.v[0].depth, 0);
	assert_string_equal(rows.v[1].ti->task_id, "left");
	assert_int_equal(rows.v[1].depth, 1);
	assert_string_equal(rows.v[2].ti->task_id, "map");
	assert_true(rows.v[2].mapped);
	assert_int_equal(rows.v[2].nti, 3);
	/* A folded row shows the state that needs a human most. */
	assert_int_equal(rows.v[2].state, TI_FAILED);
	assert_int_equal(rows.v[2].counts[TI_SUCCESS], 1);
	assert_int_equal(rows.v[2].counts[TI_RUNNING], 1);
	assert_string_equal(rows.v[3].ti->task_id, "end");
	assert_int_equal(rows.v[3].depth, 2);
	assert_int_equal(rows.v[3].state, TI_UPSTREAM_FAILED);
	assert_string_equal(rows.v[4].ti->task_id, "ghost");
	assert_false(rows.v[4].in_graph);
	task_rows_free(&rows);
	graph_free(g);
	af_tis_free(&tis);
}

static void
test_without_graph(void **state)
{
	struct af_tis		 tis = { 0 };
	struct task_rows	 rows;

	(void)state;
	add(&tis, "a", -1, TI_SUCCESS);
	add(&tis, "b", 0, TI_SUCCESS);
	add(&tis, "b", 1, TI_SKIPPED);
	add(&tis, "c", -1, TI_NONE);
	task_rows_build(&rows, NULL, &tis);
	assert_false(rows.ordered);
	assert_int_equal(rows.n, 3);
	assert_string_equal(rows.v[1].ti->task_id, "b");
	assert_int_equal(rows.v[1].nti, 2);
	assert_int_equal(rows.v[1].state, TI_SKIPPED);	/* skipped beats success */
	assert_int_equal(rows.v[2].state, TI_NONE);
	assert_int_equal(rows.v[2].depth, 0);
	task_rows_free(&rows);
	af_tis_free(&tis);

	task_rows_build(&rows, NULL, &tis);	/* no instances at all */
	assert_int_equal(rows.n, 0);
	task_rows_free(&rows);
}

/* A mapped task not yet expanded has one instance with map_index -1. */
static void
test_unexpanded_mapped(void **state)
{
	struct af_tis		 tis = { 0 };
	struct task_rows	 rows;
	struct graph		*g = diamond();

	(void)state;
	add(&tis, "map", -1, TI_NONE);
	task_rows_build(&rows, g, &tis);
	assert_int_equal(rows.n, 1);
	assert_true(rows.v[0].mapped);
	assert_int_equal(rows.v[0].nti, 1);
	assert_int_equal(rows.v[0].state, TI_NONE);
	task_rows_free(&rows);
	graph_free(g);
	af_tis_free(&tis);
}

/*
 * "2 of 3" is attempt 2 of at most 3: max_tries counts the retries, and a
 * try beyond it (a clear raised max_tries) raises the most.
 */
static void
test_try_text(void **state)
{
	char t[24];

	(void)state;
	ti_try_text(t, sizeof t, 2, 2);
	assert_string_equal(t, "2 of 3");
	ti_try_text(t, sizeof t, 1, 0);
	assert_string_equal(t, "1 of 1");
	ti_try_text(t, sizeof t, 0, 2);
	assert_string_equal(t, "0 of 3");
	ti_try_text(t, sizeof t, 4, 2);
	assert_string_equal(t, "4 of 4");
	ti_try_text(t, sizeof t, -1, -1);
	assert_string_equal(t, "0 of 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph_order_and_folding),
		cmocka_unit_test(test_without_graph),
		cmocka_unit_test(test_unexpanded_mapped),
		cmocka_unit_test(test_try_text),
	};

	return cmocka_run_group_tests_name("taskrows", tests, NULL, NULL);
}
