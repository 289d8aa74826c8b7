/*
 * test_columns.c: list column widths from their content and cuts that keep
 * ids apart (src/model/columns.c); the states' short forms (state.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"
#include "columns.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* The DAG list's columns: mark, id, strip, state, started, took. */
static void
dag_cols(struct col *c, int idwant)
{
	struct col v[] = {
		{ 1, 1, 0, false, 0 },
		{ 12, idwant, 1, false, 0 },
		{ 10, 10, 2, false, 0 },
		{ 6, 15, 3, false, 0 },
		{ 11, 11, 4, true, 0 },
		{ 7, 7, 5, true, 0 },
	};

	memcpy(c, v, sizeof v);
}

static void
test_key_column_first(void **state)
{
	struct col c[6];
	int used;

	(void)state;
	/* 78 columns, 60-character ids: the id takes the room first. */
	dag_cols(c, 60);
	used = cols_fit(c, NELEM(c), 78, 1);
	assert_int_equal(c[1].width, 78 - 1 - 10 - 6 - 3);
	assert_int_equal(c[3].width, 6);	/* state in its short form */
	assert_int_equal(c[4].width, 0);
	assert_int_equal(c[5].width, 0);
	assert_int_equal(used, 78);
	/* Short ids leave room for the state's full name and the times. */
	dag_cols(c, 20);
	used = cols_fit(c, NELEM(c), 78, 1);
	assert_int_equal(c[1].width, 20);
	assert_int_equal(c[3].width, 15);
	assert_int_equal(c[4].width, 11);
	assert_int_equal(c[5].width, 7);
	assert_int_equal(used, 1 + 20 + 10 + 15 + 11 + 7 + 5);
}

static void
test_numbers_keep_width(void **state)
{
	struct col c[6];

	(void)state;
	/* Room for the start time but not the duration: no half numbers. */
	dag_cols(c, 20);
	cols_fit(c, NELEM(c), 1 + 20 + 10 + 15 + 11 + 4 + 5, 1);
	assert_int_equal(c[4].width, 11);
	assert_int_equal(c[5].width, 0);
	/* Too narrow even for the minimums: required ones stay at them. */
	dag_cols(c, 60);
	cols_fit(c, NELEM(c), 20, 1);
	assert_int_equal(c[1].width, 12);
	assert_int_equal(c[3].width, 6);
	assert_int_equal(c[4].width, 0);
}

static void
test_ties_left_to_right(void **state)
{
	struct col c[3] = {
		{ 2, 10, 0, false, 0 },
		{ 2, 10, 0, false, 0 },
		{ 2, 10, 0, false, 0 },
	};

	(void)state;
	cols_fit(c, NELEM(c), 20, 0);
	assert_int_equal(c[0].width, 10);
	assert_int_equal(c[1].width, 8);
	assert_int_equal(c[2].width, 2);
}

static void
test_column_starts(void **state)
{
	struct col c[3] = {
		{ 0, 0, 0, false, 4 },
		{ 0, 0, 0, true, 0 },	/* left out: no gap for it */
		{ 0, 0, 0, false, 6 },
	};
	int x[3];

	(void)state;
	cols_xs(c, NELEM(c), 1, 1, x);
	assert_int_equal(x[0], 1);
	assert_int_equal(x[2], 6);
}

static void
test_cut_marks(void **state)
{
	char out[64];

	(void)state;
	cols_cut(out, sizeof out, "acc_sales_daily", 20, 0, "~");
	assert_string_equal(out, "acc_sales_daily");
	cols_cut(out, sizeof out, "acc_sales_daily", 12, 0, "~");
	assert_string_equal(out, "acc_sales_d~");
	/* The tail starts at a word: "finance_…_daily_v2". */
	cols_cut(out, sizeof out, "finance_reconciliation_daily_v2", 18, 7,
	    "~");
	assert_string_equal(out, "finance_~_daily_v2");
}

static void
test_tail_tells_apart(void **state)
{
	const char *same_start[] = {
		"finance_reconciliation_daily_v1",
		"finance_reconciliation_daily_v2",
		"finance_reconciliation_hourly",
	};
	const char *differ[] = { "acc_sales_daily", "ops_sales_daily" };
	const char *dup[] = { "a_very_long_identifier", "a_very_long_identifier" };
	char a[64], b[64];
	int t;

	(void)state;
	assert_int_equal(cols_tail(differ, NELEM(differ), 8), 0);
	assert_int_equal(cols_tail(dup, NELEM(dup), 8), 0);
	t = cols_tail(same_start, NELEM(same_start), 18);
	assert_true(t > 0);
	cols_cut(a, sizeof a, same_start[0], 18, t, "~");
	cols_cut(b, sizeof b, same_start[1], 18, t, "~");
	assert_string_not_equal(a, b);
	assert_int_equal(strlen(a), 18);
	/* Fits: nothing to cut, nothing to keep. */
	assert_int_equal(cols_tail(same_start, NELEM(same_start), 40), 0);
}

static void
test_state_short_forms(void **state)
{
	int s, u;

	(void)state;
	assert_string_equal(ti_state_brief(TI_SUCCESS), "ok");
	assert_string_equal(ti_state_brief(TI_UPSTREAM_FAILED), "upfail");
	assert_string_equal(ti_state_brief(TI_UP_FOR_RETRY), "retry");
	assert_string_equal(run_state_brief(RUN_RUNNING), "run");
	assert_string_equal(ti_state_brief((enum ti_state)99), "unknown");
	/* Short, and never two states alike. */
	for (s = 0; s < TI_NSTATES; s++) {
		assert_true(strlen(ti_state_brief(s)) <= STATE_SHORT_MAX);
		for (u = s + 1; u < TI_NSTATES; u++)
			assert_string_not_equal(ti_state_brief(s),
			    ti_state_brief(u));
	}
	for (s = 0; s < RUN_NSTATES; s++)
		assert_true(strlen(run_state_brief(s)) <= STATE_SHORT_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_column_first),
		cmocka_unit_test(test_numbers_keep_width),
		cmocka_unit_test(test_ties_left_to_right),
		cmocka_unit_test(test_column_starts),
		cmocka_unit_test(test_cut_marks),
		cmocka_unit_test(test_tail_tells_apart),
		cmocka_unit_test(test_state_short_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
