/* test_number.c: range-checked whole numbers (src/model/number.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "number.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

static void
test_parse_long_accepts(void **state)
{
	long	n = 0;
	int	i = 0;

	(void)state;
	assert_int_equal(parse_long("1", 1, 720, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(parse_long("720", 1, 720, &n), 0);
	assert_int_equal(n, 720);
	assert_int_equal(parse_long("-1", -1, 10, &n), 0);
	assert_int_equal(n, -1);
	assert_int_equal(parse_long("+7", 1, 10, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(parse_long("007", 1, 10, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(parse_int_range("3600", 1, 3600, &i), 0);
	assert_int_equal(i, 3600);
}

/* The values that wrapped through atoi(): 2^32 + k is not k. */
static void
test_parse_long_no_wrap(void **state)
{
	static const char *bad[] = {
		"4294967297", "4294967303", "4294967301", "4294967296",
		"18446744073709551617", "99999999999999999999999",
		"-4294967295", "9223372036854775808", "-9223372036854775809",
	};
	size_t	k;
	long	n = 42;
	int	i = 42;

	(void)state;
	for (k = 0; k < NELEM(bad); k++) {
		if (parse_long(bad[k], 1, 720, &n) != -1)
			fail_msg("'%s' accepted as %ld", bad[k], n);
		if (parse_int_range(bad[k], 1, 3600, &i) != -1)
			fail_msg("'%s' accepted as %d", bad[k], i);
	}
	assert_int_equal(n, 42);	/* untouched on error */
	assert_int_equal(i, 42);
	/* The full range of a long still works at its edges. */
	assert_int_equal(parse_long("9223372036854775807", 0, LONG_MAX, &n),
	    LONG_MAX == INT64_MAX ? 0 : -1);
}

static void
test_parse_long_rejects(void **state)
{
	static const char *bad[] = {
		"", " 5", "5 ", "5x", "x5", "0x10", "1e3", "1.5", "-", "+",
		"--1", "+-1", "0", "721", "-3", "\t7", "7\n",
	};
	size_t	k;
	long	n;

	(void)state;
	for (k = 0; k < NELEM(bad); k++)
		if (parse_long(bad[k], 1, 720, &n) != -1)
			fail_msg("'%s' accepted as %ld", bad[k], n);
	assert_int_equal(parse_long(NULL, 1, 720, &n), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_long_accepts),
		cmocka_unit_test(test_parse_long_no_wrap),
		cmocka_unit_test(test_parse_long_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
