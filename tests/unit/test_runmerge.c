/*
 * test_runmerge.c: the runs changed since a refresh merged into that
 * refresh's strips (runmerge.h) give what a full read gives.
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
#include "runmerge.h"

static void
add(struct af_runs *a, const char *dag, const char *run, int64_t order,
    enum run_state st)
{
	struct af_run *r = af_runs_push(a);

	memset(r, 0, sizeof *r);
	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(run);
	r->order = r->run_after = order;
	r->state = st;
	r->start_date = r->end_date = TIME_NONE;
}

/* "dag/run:state dag/run:state ..." of a list, in its order. */
static char *
show(const struct af_runs *a)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < a->n; i++)
		buf_printf(&b, "%s%s/%s:%d", i > 0 ? " " : "", a->v[i].dag_id,
		    a->v[i].run_id, (int)a->v[i].state);
	return buf_detach(&b);
}

static void
expect(const struct af_runs *a, const char *want)
{
	char *got = show(a);

	assert_string_equal(got, want);
	free(got);
}

static void
test_replace_add_keep(void **state)
{
	struct af_runs prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	add(&prev, "a", "a3", 30, RUN_RUNNING);
	add(&prev, "a", "a2", 20, RUN_SUCCESS);
	add(&prev, "a", "a1", 10, RUN_FAILED);
	add(&prev, "b", "b1", 10, RUN_SUCCESS);
	add(&prev, "c", "c1", 5, RUN_QUEUED);
	/* a3 ends, a4 and b2 are new, d is a new DAG; c is not read. */
	add(&fresh, "d", "d1", 1, RUN_QUEUED);
	add(&fresh, "a", "a3", 30, RUN_FAILED);
	add(&fresh, "b", "b2", 20, RUN_RUNNING);
	add(&fresh, "a", "a4", 40, RUN_QUEUED);
	run_merge(&prev, &fresh, 3, &out);
	expect(&out, "a/a4:0 a/a3:3 a/a2:2 b/b2:1 b/b1:2 c/c1:0 d/d1:0");
	assert_int_equal(fresh.n, 0);
	assert_null(fresh.v);
	/* prev is as it was. */
	expect(&prev, "a/a3:1 a/a2:2 a/a1:3 b/b1:2 c/c1:0");
	af_runs_free(&out);
	af_runs_free(&prev);
}

static void
test_order_ties_and_moves(void **state)
{
	struct af_runs prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	/* Two runs at one instant: run_id descending, as Airflow. */
	add(&prev, "a", "m2", 10, RUN_SUCCESS);
	add(&prev, "a", "m1", 10, RUN_SUCCESS);
	add(&fresh, "a", "m3", 10, RUN_RUNNING);
	/* A run whose instant moved is still one run: fresh's copy. */
	add(&fresh, "a", "m1", 50, RUN_QUEUED);
	run_merge(&prev, &fresh, 10, &out);
	expect(&out, "a/m1:0 a/m3:1 a/m2:2");
	af_runs_free(&out);
	af_runs_free(&prev);
}

static void
test_backfill(void **state)
{
	struct af_runs prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	/* Full strip: an older new run is past it.  Short: it joins. */
	add(&prev, "full", "f3", 30, RUN_SUCCESS);
	add(&prev, "full", "f2", 20, RUN_SUCCESS);
	add(&prev, "short", "s3", 30, RUN_SUCCESS);
	add(&fresh, "full", "f0", 1, RUN_QUEUED);
	add(&fresh, "short", "s0", 1, RUN_QUEUED);
	run_merge(&prev, &fresh, 2, &out);
	expect(&out, "full/f3:2 full/f2:2 short/s3:2 short/s0:0");
	af_runs_free(&out);
	af_runs_free(&prev);
}

static void
test_shared_and_empty(void **state)
{
	struct af_runs prev = { 0 }, fresh = { 0 }, out;

	(void)state;
	run_merge(&prev, &fresh, 3, &out);
	assert_int_equal(out.n, 0);
	af_runs_free(&out);
	/* fresh's first run owns the dag_id the others share; it goes. */
	add(&fresh, "a", "old", 1, RUN_SUCCESS);
	add(&fresh, "a", "new", 9, RUN_SUCCESS);
	free(fresh.v[1].dag_id);
	fresh.v[1].dag_id = fresh.v[0].dag_id;
	fresh.v[1].shared_dag_id = true;
	run_merge(&prev, &fresh, 1, &out);
	expect(&out, "a/new:2");
	assert_false(out.v[0].shared_dag_id);
	af_runs_free(&out);
}

/*
 * A model Airflow: DAGs with runs that change and come, and a full read
 * (the newest per_dag of each DAG).  Rounds of changes; after each, the
 * last answer merged with the runs changed since must be a full read's.
 */
#define MD	7	/* DAGs */
#define MR	40	/* runs per DAG at most */

struct mrun {
	int64_t		order;
	int		state;
	int		updated;	/* the round it last changed */
};
static struct mrun	model[MD][MR];
static int		nrun[MD];

static unsigned
rnd(void)
{
	static unsigned long s = 12345;

	s = s * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(s >> 33);
}

static void
model_read(struct af_runs *a, int per_dag, int since)
{
	char dag[16], run[16];

	for (int d = 0; d < MD; d++)
		for (int i = 0; i < nrun[d]; i++) {
			if (model[d][i].updated < since)
				continue;
			snprintf(dag, sizeof dag, "dag%d", d);
			snprintf(run, sizeof run, "r%02d", i);
			add(a, dag, run, model[d][i].order,
			    (enum run_state)model[d][i].state);
		}
	if (since < 0) {
		/* The full read: the newest per_dag of each. */
		struct af_runs none = { 0 }, out;

		run_merge(&none, a, per_dag, &out);
		*a = out;
	}
}

static void
test_rounds_as_full_read(void **state)
{
	struct af_runs snap = { 0 };
	int per_dag = 10;

	(void)state;
	for (int d = 0; d < MD; d++) {
		nrun[d] = (int)(rnd() % 14);
		for (int i = 0; i < nrun[d]; i++)
			model[d][i] = (struct mrun){ 100 * i, RUN_SUCCESS, 0 };
	}
	model_read(&snap, per_dag, -1);
	for (int round = 1; round <= 60; round++) {
		struct af_runs fresh = { 0 }, full = { 0 }, out;
		char *a, *b;

		for (int k = rnd() % 6; k > 0; k--) {
			int d = (int)(rnd() % MD);

			if (rnd() % 2 == 0 && nrun[d] < MR) {
				/* A new run, mostly the newest, a backfill at times. */
				int64_t o = rnd() % 4 == 0 ? (int64_t)(rnd() % 5000) :
				    100 * (int64_t)(nrun[d] + round);
				model[d][nrun[d]++] = (struct mrun){ o, RUN_QUEUED, round };
			} else if (nrun[d] > 0) {
				struct mrun *m = &model[d][rnd() % nrun[d]];

				m->state = (int)(rnd() % 4);
				m->updated = round;
			}
		}
		model_read(&fresh, per_dag, round);
		run_merge(&snap, &fresh, per_dag, &out);
		model_read(&full, per_dag, -1);
		a = show(&out);
		b = show(&full);
		assert_string_equal(a, b);
		free(a);
		free(b);
		af_runs_free(&full);
		af_runs_free(&snap);
		snap = out;
	}
	af_runs_free(&snap);
}

/*
 * run_keep: per_dag of the strips' DAGs, one of every other, none of a
 * DAG the list no longer has; names are compared before any is freed.
 */
static void
test_keep(void **state)
{
	struct af_runs		 a = { 0 };
	const char *const	 strips[] = { "b" };
	const char *const	 dags[] = { "a", "b" };

	(void)state;
	add(&a, "a", "a3", 30, RUN_RUNNING);
	add(&a, "a", "a2", 20, RUN_SUCCESS);
	add(&a, "b", "b3", 30, RUN_SUCCESS);
	add(&a, "b", "b2", 20, RUN_FAILED);
	add(&a, "b", "b1", 10, RUN_SUCCESS);
	add(&a, "c", "c2", 20, RUN_SUCCESS);
	add(&a, "c", "c1", 10, RUN_SUCCESS);
	run_keep(&a, strips, 1, 2, dags, 2);
	expect(&a, "a/a3:1 b/b3:2 b/b2:3");
	/* No strips named: per_dag of every DAG; no list: every DAG. */
	add(&a, "c", "c1", 10, RUN_SUCCESS);
	run_keep(&a, NULL, 0, 1, NULL, 0);
	expect(&a, "a/a3:1 b/b3:2 c/c1:2");
	run_keep(&a, strips, 1, 5, dags, 0);
	expect(&a, "");
	af_runs_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_add_keep),
		cmocka_unit_test(test_order_ties_and_moves),
		cmocka_unit_test(test_backfill),
		cmocka_unit_test(test_shared_and_empty),
		cmocka_unit_test(test_rounds_as_full_read),
		cmocka_unit_test(test_keep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
