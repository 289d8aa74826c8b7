/*
 * test_lists.c: the console's lists as the failure keys see them
 * (src/ui/lists.c): next-failed and prev-failed round the DAG, runs and
 * tasks lists, the state: filter, the cursor on a run's first failed task,
 * the DAG list's cursor by id, and the runs pane's older pages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"

static void
add_dag(struct console *c, const char *id)
{
	struct af_dag *d = af_dags_push(&c->snap.dags);

	d->dag_id = xstrdup(id);
	d->owners = xstrdup("airflow");
	d->active = true;
}

/* A run at hour `order` of the day. */
static void
add_run(struct af_runs *rs, const char *dag, const char *run,
    enum run_state st, int64_t order)
{
	struct af_run *r = af_runs_push(rs);

	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(run);
	r->state = st;
	r->order = r->run_after = order * 3600;
	r->start_date = r->end_date = r->logical_date = r->queued_at =
	    r->data_interval_start = r->data_interval_end = TIME_NONE;
}

/*
 * Four DAGs: b and d failed, c running, a succeeded; d has ten hourly
 * runs, the newest and the sixth failed.
 */
static void
setup(struct console *c)
{
	int h;

	memset(c, 0, sizeof *c);
	add_dag(c, "a");
	add_dag(c, "b");
	add_dag(c, "c");
	add_dag(c, "d");
	add_run(&c->snap.runs, "a", "a1", RUN_SUCCESS, 100);
	add_run(&c->snap.runs, "b", "b1", RUN_FAILED, 100);
	add_run(&c->snap.runs, "c", "c1", RUN_RUNNING, 100);
	for (h = 0; h < 10; h++) {
		char id[16];

		snprintf(id, sizeof id, "d%02d", h);
		add_run(&c->snap.runs, "d", id, h == 0 || h == 5 ? RUN_FAILED :
		    RUN_SUCCESS, 100 - (int64_t)h);
	}
	c->snap.valid = true;
	console_sort_runs(c);
	console_rebuild_dag_order(c, NULL);
}

static void
teardown(struct console *c)
{
	af_dags_free(&c->snap.dags);
	af_runs_free(&c->snap.runs);
	free(c->dag_order);
	filter_clear(&c->dag_filter);
	filter_clear(&c->task_filter);
	console_runs_forget(c);
	af_tis_free(&c->detail.tis);
	task_rows_free(&c->detail.rows);
	free(c->task_vis);
}

static const char *
dag_at(const struct console *c, size_t i)
{
	return c->snap.dags.v[c->dag_order[i]].dag_id;
}

static void
test_next_failed_dags(void **state)
{
	struct console	c;
	struct buf	msg = BUF_INIT;

	(void)state;
	setup(&c);
	/* By attention: the failed b and d, running c, then a. */
	assert_string_equal(dag_at(&c, 0), "b");
	assert_string_equal(dag_at(&c, 1), "d");
	assert_string_equal(dag_at(&c, 2), "c");
	c.dag_sel = 2;
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_int_equal(c.dag_sel, 0);
	assert_non_null(strstr(buf_str(&msg), "wrapped"));
	assert_true(c.dag_chosen);
	buf_reset(&msg);
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_int_equal(c.dag_sel, 1);
	assert_int_equal(msg.len, 0);
	console_next_failed(&c, PANE_RUNS, -1, &msg);
	assert_int_equal(c.dag_sel, 0);
	console_next_failed(&c, PANE_RUNS, -1, &msg);
	assert_int_equal(c.dag_sel, 1);
	assert_non_null(strstr(buf_str(&msg), "wrapped to the bottom"));
	/* Nothing failed: said, the cursor stays. */
	buf_reset(&msg);
	assert_int_equal(filter_set(&c.dag_filter, "state:success", &msg), 0);
	console_rebuild_dag_order(&c, NULL);
	assert_int_equal(c.ndag_order, 1);
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_string_equal(buf_str(&msg), "no failed rows");
	assert_int_equal(c.dag_sel, 0);
	buf_free(&msg);
	teardown(&c);
}

static void
test_next_failed_runs(void **state)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	struct console		 c;
	struct buf		 msg = BUF_INIT;

	(void)state;
	setup(&c);
	c.dag_sel = 1;	/* d */
	c.runs_level = 1;
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_int_equal(c.run_sel, 5);
	assert_int_equal(msg.len, 0);
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_int_equal(c.run_sel, 0);
	assert_non_null(strstr(buf_str(&msg), "wrapped to the top"));
	/* The runs filter: by state, by id; next-failed within it. */
	assert_int_equal(filter_set(&c.run_filter, "state:failed", &msg), 0);
	assert_int_equal(console_run_list(&c, r, RUNS_LIST_MAX), 2);
	assert_string_equal(r[1]->run_id, "d05");
	c.run_sel = 0;
	console_next_failed(&c, PANE_RUNS, 1, &msg);
	assert_int_equal(c.run_sel, 1);
	assert_int_equal(filter_set(&c.run_filter, "d0[12] state:success",
	    &msg), 0);
	assert_int_equal(console_run_list(&c, r, RUNS_LIST_MAX), 2);
	assert_string_equal(r[0]->run_id, "d01");
	buf_free(&msg);
	teardown(&c);
}

static void
test_state_filter(void **state)
{
	struct console	c;
	struct buf	err = BUF_INIT;

	(void)state;
	setup(&c);
	assert_int_equal(filter_set(&c.dag_filter, "state:failed", &err), 0);
	console_rebuild_dag_order(&c, NULL);
	assert_int_equal(c.ndag_order, 2);
	assert_int_equal(filter_set(&c.dag_filter, "d state:failed", &err), 0);
	console_rebuild_dag_order(&c, NULL);
	assert_int_equal(c.ndag_order, 1);
	assert_string_equal(dag_at(&c, 0), "d");
	assert_int_equal(filter_set(&c.dag_filter, "!d state:failed,running",
	    &err), 0);
	console_rebuild_dag_order(&c, NULL);
	assert_int_equal(c.ndag_order, 2);
	assert_int_equal(filter_set(&c.dag_filter, "state:queued", &err), 0);
	console_rebuild_dag_order(&c, NULL);
	assert_int_equal(c.ndag_order, 0);
	/* A bad one leaves the filter as it was. */
	assert_int_equal(filter_set(&c.dag_filter, "state:nope", &err), -1);
	assert_string_equal(c.dag_filter.text, "state:queued");
	buf_reset(&err);
	assert_int_equal(filter_set(&c.dag_filter, "(", &err), -1);
	assert_non_null(strstr(buf_str(&err), "bad filter"));
	assert_string_equal(c.dag_filter.text, "state:queued");
	buf_free(&err);
	teardown(&c);
}

static void
test_cursor_by_id(void **state)
{
	struct console	c;
	char		*keep;

	(void)state;
	setup(&c);
	c.dag_sel = 3;	/* a */
	keep = console_selected_dag(&c);
	assert_string_equal(keep, "a");
	/* a's run fails: it moves up, the cursor with it. */
	c.snap.runs.v[0].state = RUN_FAILED;
	console_rebuild_dag_order(&c, keep);
	free(keep);
	assert_string_equal(dag_at(&c, c.dag_sel), "a");
	assert_int_equal(c.dag_sel, 0);
	/* The runs list: the cursor's run, wherever it is now. */
	c.dag_sel = 2;	/* d, after a and b */
	assert_string_equal(dag_at(&c, 2), "d");
	c.runs_level = 1;
	c.run_sel = 1;
	keep = console_selected_run(&c);
	assert_string_equal(keep, "d01");
	add_run(&c.snap.runs, "d", "d-new", RUN_RUNNING, 101);
	console_sort_runs(&c);
	console_select_run(&c, keep);
	free(keep);
	assert_int_equal(c.run_sel, 2);
	/* The open DAG filtered away: the DAG level, not another's runs. */
	keep = console_selected_dag(&c);
	assert_int_equal(filter_set(&c.dag_filter, "^b$", NULL), 0);
	console_rebuild_dag_order(&c, keep);
	free(keep);
	assert_int_equal(c.runs_level, 0);
	teardown(&c);
}

static void
test_first_failed_task(void **state)
{
	static const struct {
		const char	*task;
		enum ti_state	 st;
	} tis[] = { { "a", TI_SUCCESS }, { "b", TI_UP_FOR_RETRY },
	    { "c", TI_UPSTREAM_FAILED }, { "d", TI_FAILED } };
	struct console	c;
	size_t		i;
	int		mi;
	char		*keep;

	(void)state;
	setup(&c);
	for (i = 0; i < 4; i++) {
		struct af_ti *t = af_tis_push(&c.detail.tis);

		t->dag_id = xstrdup("d");
		t->run_id = xstrdup("d00");
		t->task_id = xstrdup(tis[i].task);
		t->map_index = -1;
		t->state = tis[i].st;
	}
	task_rows_build(&c.detail.rows, NULL, &c.detail.tis);
	console_rebuild_task_vis(&c);
	c.detail.loaded = true;
	console_select_first_failed_task(&c);
	assert_string_equal(console_task_row(&c, c.task_sel)->ti->task_id, "d");
	/* No failed one: the first upstream_failed or up_for_retry. */
	c.detail.tis.v[3].state = TI_SUCCESS;
	task_rows_free(&c.detail.rows);
	task_rows_build(&c.detail.rows, NULL, &c.detail.tis);
	console_rebuild_task_vis(&c);
	console_select_first_failed_task(&c);
	assert_string_equal(console_task_row(&c, c.task_sel)->ti->task_id, "b");
	/* By id across a rebuild that moves it. */
	keep = console_selected_task(&c, &mi);
	assert_int_equal(filter_set(&c.task_filter, "!a", NULL), 0);
	console_rebuild_task_vis(&c);
	console_select_task(&c, keep, mi);
	free(keep);
	assert_int_equal(c.task_sel, 0);
	assert_string_equal(console_task_row(&c, c.task_sel)->ti->task_id, "b");
	teardown(&c);
}

static void
test_older_pages(void **state)
{
	const struct af_run	*r[RUNS_LIST_MAX], *before;
	struct af_runs		 page = { 0 };
	struct console		 c;
	int			 h;

	(void)state;
	setup(&c);
	before = console_older_begin(&c, "d");
	assert_non_null(before);
	assert_string_equal(before->run_id, "d09");
	for (h = 10; h < 15; h++) {
		char id[16];

		snprintf(id, sizeof id, "d%02d", h);
		add_run(&page, "d", id, RUN_SUCCESS, 100 - (int64_t)h);
	}
	console_older_add(&c, &page);
	assert_int_equal(console_dag_runs(&c, "d", r, RUNS_LIST_MAX), 15);
	assert_string_equal(r[14]->run_id, "d14");
	/* The strips still see the newest ten only. */
	assert_int_equal(console_dag_runs(&c, "d", r, 10), 10);
	/* A newer run pushes d09 out of the snapshot: the store has it. */
	af_run_clear(&c.snap.runs.v[c.snap.runs.n - 1]);
	c.snap.runs.n--;
	add_run(&c.snap.runs, "d", "d-new", RUN_RUNNING, 101);
	console_sort_runs(&c);
	assert_int_equal(console_dag_runs(&c, "d", r, RUNS_LIST_MAX), 16);
	assert_string_equal(r[0]->run_id, "d-new");
	assert_string_equal(r[10]->run_id, "d09");
	assert_string_equal(r[15]->run_id, "d14");
	/* An empty page: the end. */
	before = console_older_begin(&c, "d");
	assert_string_equal(before->run_id, "d14");
	console_older_add(&c, &page);
	assert_true(c.older.end);
	assert_null(console_older_begin(&c, "d"));
	/* Another DAG: the store starts again. */
	assert_non_null(console_older_begin(&c, "b"));
	assert_int_equal(console_dag_runs(&c, "d", r, RUNS_LIST_MAX), 10);
	teardown(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_failed_dags),
		cmocka_unit_test(test_next_failed_runs),
		cmocka_unit_test(test_state_filter),
		cmocka_unit_test(test_cursor_by_id),
		cmocka_unit_test(test_first_failed_task),
		cmocka_unit_test(test_older_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
