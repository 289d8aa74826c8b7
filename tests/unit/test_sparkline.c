/* test_sparkline.c: deployments per day as a row of cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sparkline.h"

static void
test_blocks(void **state)
{
	struct buf	b = BUF_INIT;
	int		v[] = { 0, 1, 2, 8, 0, 4 };

	(void)state;
	sparkline(&b, v, 6, 0, false);
	/* 1 of 8 -> the lowest block, never nothing; 0 -> a dot */
	assert_string_equal(buf_str(&b), "\u00b7\u2581\u2582\u2588\u00b7\u2584");
	buf_reset(&b);
	sparkline(&b, v, 6, 0, true);
	/* ASCII: ceil(v * 9 / 8) */
	assert_string_equal(buf_str(&b), ".239.5");
	buf_free(&b);
}

static void
test_width_and_edges(void **state)
{
	struct buf	b = BUF_INIT;
	int		v[] = { 9, 0, 0, 3, -2 };
	int		one[] = { 1 };

	(void)state;
	/* the last three only, scaled to their own largest */
	sparkline(&b, v, 5, 3, true);
	assert_string_equal(buf_str(&b), ".9.");
	buf_reset(&b);
	sparkline(&b, v, 0, 0, false);
	assert_string_equal(buf_str(&b), "");
	sparkline(&b, one, 1, 10, false);
	assert_string_equal(buf_str(&b), "\u2588");
	buf_reset(&b);
	sparkline(&b, v, 5, 0, true);	/* one cell per value */
	assert_string_equal(buf_str(&b), "9..3.");
	buf_free(&b);
}

/* Compliance per week: full only when all met, 0 still drawn, none a dot. */
static void
test_ratio(void **state)
{
	struct buf	b = BUF_INIT;
	double		v[] = { -1, 0, 0.14, 0.15, 0.4, 3.0 / 7, 0.99, 1 };
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof *v; i++)
		sparkline_ratio(&b, v[i], false);
	assert_string_equal(buf_str(&b), "\u00b7\u2581\u2581\u2582\u2583"
	    "\u2584\u2587\u2588");
	buf_reset(&b);
	for (i = 0; i < sizeof v / sizeof *v; i++)
		sparkline_ratio(&b, v[i], true);
	assert_string_equal(buf_str(&b), ".01144" "9#");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_width_and_edges),
		cmocka_unit_test(test_ratio),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
