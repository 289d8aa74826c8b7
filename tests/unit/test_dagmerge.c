/*
 * test_dagmerge.c: the DAGs read since a refresh merged into that
 * refresh's list (dagmerge.h) keep the list's order and every DAG.
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
#include "dagmerge.h"

static void
add(struct af_dags *a, const char *dag, bool paused, const char *owners)
{
	struct af_dag *d = af_dags_push(a);

	d->dag_id = xstrdup(dag);
	d->paused = paused;
	d->owners = owners != NULL ? xstrdup(owners) : NULL;
	d->next_run = d->next_run_after = TIME_NONE;
}

static char *
show(const struct af_dags *a)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < a->n; i++)
		buf_printf(&b, "%s%s:%s:%s", i > 0 ? " " : "", a->v[i].dag_id,
		    a->v[i].paused ? "P" : "-",
		    a->v[i].owners != NULL ? a->v[i].owners : "");
	return buf_detach(&b);
}

static void
expect(const struct af_dags *a, const char *want)
{
	char *got = show(a);

	assert_string_equal(got, want);
	free(got);
}

/* Replaced in place, in prev's order (not bytewise: a collation's). */
static void
test_replace_in_place(void **state)
{
	struct af_dags prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	add(&prev, "b_x", false, "ann");
	add(&prev, "a.y", false, "bob");
	add(&prev, "B_z", true, NULL);
	prev.mark = 42;
	add(&fresh, "B_z", false, "cy");
	add(&fresh, "b_x", true, "ann");
	assert_true(dag_merge(&prev, &fresh, &out));
	expect(&out, "b_x:P:ann a.y:-:bob B_z:-:cy");
	expect(&prev, "b_x:-:ann a.y:-:bob B_z:P:");
	assert_int_equal(out.mark, 42);
	assert_int_equal(fresh.n, 0);
	af_dags_free(&out);
	/* Nothing changed: a copy. */
	assert_true(dag_merge(&prev, &fresh, &out));
	expect(&out, "b_x:-:ann a.y:-:bob B_z:P:");
	af_dags_free(&out);
	af_dags_free(&prev);
}

/* A DAG prev lacks cannot be placed: false, and the caller reads all. */
static void
test_new_dag(void **state)
{
	struct af_dags prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	add(&prev, "a", false, NULL);
	add(&fresh, "a", true, NULL);
	add(&fresh, "new", false, NULL);
	assert_false(dag_merge(&prev, &fresh, &out));
	assert_int_equal(out.n, 0);
	af_dags_free(&fresh);
	/* And from an empty list. */
	add(&fresh, "a", true, NULL);
	af_dags_free(&prev);
	assert_false(dag_merge(&prev, &fresh, &out));
	af_dags_free(&fresh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_in_place),
		cmocka_unit_test(test_new_dag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
