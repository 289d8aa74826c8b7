/*
 * test_compare_facts.c: the blue/green facts' helpers (compare.h): shapes
 * sorted and without duplicates, and per-task figures from task instances
 * with PostgreSQL's percentile_disc, values worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "compare.h"

static void
ti(struct af_tis *a, const char *dag, const char *task, enum ti_state st,
    double dur)
{
	struct af_ti *t = af_tis_push(a);

	memset(t, 0, sizeof *t);
	t->dag_id = xstrdup(dag);
	t->run_id = xstrdup("r");
	t->task_id = xstrdup(task);
	t->map_index = -1;
	t->state = st;
	t->duration = dur;
	t->start_date = t->end_date = TIME_NONE;
}

static char **
strv(size_t n, ...)
{
	char	**v = xreallocarray(NULL, n, sizeof *v);
	va_list	  ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static void
test_shape_finish(void **state)
{
	struct cmp_shapes s = { 0 };

	(void)state;
	s.v = xcalloc(3, sizeof *s.v);
	s.n = 3;
	s.v[0].dag_id = xstrdup("zeta");
	s.v[1].dag_id = xstrdup("Alpha");
	s.v[2].dag_id = xstrdup("alpha");
	s.v[0].tasks = strv(5, "b", "a.x", "b", "a", "a.x");
	s.v[0].ntasks = 5;
	s.v[0].edges = strv(4, "b\ta", "a\tb", "a\ta.x", "a\tb");
	s.v[0].nedges = 4;
	cmp_shape_finish(&s.v[0]);
	cmp_shape_finish(&s.v[1]);
	assert_int_equal(s.v[0].ntasks, 3);
	assert_string_equal(s.v[0].tasks[0], "a");
	assert_string_equal(s.v[0].tasks[1], "a.x");
	assert_string_equal(s.v[0].tasks[2], "b");
	/* "a\ta.x" before "a\tb": bytewise, the tab sorts before letters. */
	assert_int_equal(s.v[0].nedges, 3);
	assert_string_equal(s.v[0].edges[0], "a\ta.x");
	assert_string_equal(s.v[0].edges[1], "a\tb");
	assert_string_equal(s.v[0].edges[2], "b\ta");
	assert_int_equal(s.v[1].ntasks, 0);
	cmp_shapes_sort(&s);
	assert_string_equal(s.v[0].dag_id, "Alpha");
	assert_string_equal(s.v[1].dag_id, "alpha");
	assert_string_equal(s.v[2].dag_id, "zeta");
	assert_int_equal(s.v[2].ntasks, 3);
	cmp_shapes_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	cmp_shapes_free(&s);
}

static const struct cmp_task *
find(const struct cmp_tasks *t, const char *dag, const char *task)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].dag_id, dag) == 0 &&
		    strcmp(t->v[i].task_id, task) == 0)
			return &t->v[i];
	return NULL;
}

/*
 * fixture_compare_blue.sql's cmp_same, in the fixture's order (runs D-7 ..
 * D-2), so that the answer is the one the database's statement gives.
 */
static void
test_tasks_fixture(void **state)
{
	static const double ex[] = { 62, 60, 75, 70, 66, 90 };
	static const double tr[] = { 300, 280, 320, 45, 310, 290 };
	static const double ld[] = { 30, 32, 28, -1, 31, 29 };
	struct af_tis		 tis = { 0 };
	struct cmp_tasks	 out = { 0 };
	const struct cmp_task	*t;

	(void)state;
	for (int i = 0; i < 6; i++) {
		ti(&tis, "cmp_same", "load", i == 3 ? TI_UPSTREAM_FAILED :
		    TI_SUCCESS, ld[i]);
		ti(&tis, "cmp_same", "transform", i == 3 ? TI_FAILED :
		    TI_SUCCESS, tr[i]);
		ti(&tis, "cmp_same", "extract", TI_SUCCESS, ex[i]);
	}
	ti(&tis, "cmp_double", "write", TI_SUCCESS, 50);
	cmp_tasks_from_tis(&tis, &out);
	assert_int_equal(out.n, 4);
	/* Sorted by dag_id, then task_id. */
	assert_string_equal(out.v[0].dag_id, "cmp_double");
	assert_string_equal(out.v[1].task_id, "extract");
	assert_string_equal(out.v[2].task_id, "load");
	assert_string_equal(out.v[3].task_id, "transform");
	/* 60 62 66 70 75 90: rows ceil(3) = 3 and ceil(5.4) = 6. */
	t = find(&out, "cmp_same", "extract");
	assert_int_equal(t->n, 6);
	assert_int_equal(t->failed, 0);
	assert_true(t->median == 66 && t->p90 == 90);
	/* 280 290 300 310 320 and a failure: rows 3 and ceil(4.5) = 5. */
	t = find(&out, "cmp_same", "transform");
	assert_int_equal(t->n, 6);
	assert_int_equal(t->failed, 1);
	assert_true(t->median == 300 && t->p90 == 320);
	/* upstream_failed ended but is not the task's own failure. */
	t = find(&out, "cmp_same", "load");
	assert_int_equal(t->n, 6);
	assert_int_equal(t->failed, 0);
	assert_true(t->median == 30 && t->p90 == 32);
	t = find(&out, "cmp_double", "write");
	assert_true(t->n == 1 && t->median == 50 && t->p90 == 50);
	cmp_tasks_free(&out);
	assert_null(out.v);
	af_tis_free(&tis);
}

/*
 * What counts: unfinished instances not at all (a task with only those
 * has no figures), skipped and removed as ended, a success without a
 * duration counted but not in the percentiles; none successful: -1.
 */
static void
test_tasks_states(void **state)
{
	struct af_tis		 tis = { 0 };
	struct cmp_tasks	 out = { 0 };
	const struct cmp_task	*t;

	(void)state;
	ti(&tis, "d", "running", TI_RUNNING, -1);
	ti(&tis, "d", "running", TI_UP_FOR_RETRY, 3);
	ti(&tis, "d", "mixed", TI_SKIPPED, -1);
	ti(&tis, "d", "mixed", TI_REMOVED, -1);
	ti(&tis, "d", "mixed", TI_QUEUED, -1);
	ti(&tis, "d", "mixed", TI_SUCCESS, -1);
	ti(&tis, "d", "mixed", TI_SUCCESS, 7.5);
	ti(&tis, "d", "bad", TI_FAILED, 9);
	ti(&tis, "d", "bad", TI_FAILED, 9);
	cmp_tasks_from_tis(&tis, &out);
	assert_int_equal(out.n, 2);
	assert_null(find(&out, "d", "running"));
	t = find(&out, "d", "mixed");
	assert_int_equal(t->n, 4);
	assert_int_equal(t->failed, 0);
	assert_true(t->median == 7.5 && t->p90 == 7.5);
	t = find(&out, "d", "bad");
	assert_int_equal(t->n, 2);
	assert_int_equal(t->failed, 2);
	assert_true(t->median == -1 && t->p90 == -1);
	cmp_tasks_free(&out);
	af_tis_free(&tis);

	/* Nothing ended at all: an empty answer. */
	ti(&tis, "d", "running", TI_RUNNING, -1);
	cmp_tasks_from_tis(&tis, &out);
	assert_int_equal(out.n, 0);
	assert_null(out.v);
	af_tis_free(&tis);
	cmp_tasks_from_tis(&tis, &out);
	assert_int_equal(out.n, 0);
}

/*
 * percentile_disc's rows, as PostgreSQL 15 answers SELECT n,
 * percentile_disc(0.5) WITHIN GROUP (ORDER BY g), percentile_disc(0.9)
 * WITHIN GROUP (ORDER BY g) FROM generate_series(1, 100) n,
 * generate_series(1, n) g GROUP BY n: row ceil(p * n), the first at least.
 */
static void
test_percentile_rows(void **state)
{
	static const struct { int n; double median, p90; } c[] = {
		{ 1, 1, 1 }, { 2, 1, 2 }, { 3, 2, 3 }, { 10, 5, 9 },
		{ 11, 6, 10 }, { 70, 35, 63 }, { 100, 50, 90 },
	};
	(void)state;
	for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
		struct af_tis		tis = { 0 };
		struct cmp_tasks	out = { 0 };

		/* Descending, to be sorted. */
		for (int i = c[k].n; i >= 1; i--)
			ti(&tis, "d", "t", TI_SUCCESS, i);
		cmp_tasks_from_tis(&tis, &out);
		assert_int_equal(out.n, 1);
		assert_int_equal(out.v[0].n, c[k].n);
		assert_true(out.v[0].median == c[k].median);
		assert_true(out.v[0].p90 == c[k].p90);
		cmp_tasks_free(&out);
		af_tis_free(&tis);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_finish),
		cmocka_unit_test(test_tasks_fixture),
		cmocka_unit_test(test_tasks_states),
		cmocka_unit_test(test_percentile_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
