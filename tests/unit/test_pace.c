/*
 * test_pace.c: the console's refresh interval under load (pace.h): a slow
 * refresh doubles it up to its cap, fast ones bring it back step by step,
 * and the message line says so.
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
#include "pace.h"

/* One refresh of took_ms at base_s, slow_s: the turn, and the words. */
static enum pace_turn
one(struct pace *p, int64_t took_ms, int base_s, int slow_s,
    struct buf *said)
{
	enum pace_turn	t;
	int64_t		took;

	pace_begin(p, 1000000);
	t = pace_end(p, 1000000 + took_ms, base_s, slow_s, &took);
	assert_int_equal(took, took_ms);
	buf_reset(said);
	pace_say(p, t, took, base_s, said);
	return t;
}

/* n refreshes of took_ms each (slow_refresh 2 s): the interval after. */
static int
after(struct pace *p, int n, int64_t took_ms, int base_s)
{
	while (n-- > 0) {
		pace_begin(p, 0);
		pace_end(p, took_ms, base_s, 2, NULL);
	}
	return pace_every(p, base_s);
}

static void
test_fast_stays(void **state)
{
	struct pace	p;
	struct buf	b = BUF_INIT;

	(void)state;
	pace_init(&p);
	assert_int_equal(pace_every(&p, 5), 5);
	assert_false(pace_backed_off(&p, 5));
	assert_int_equal(one(&p, 300, 5, 2, &b), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 5);
	assert_string_equal(buf_str(&b), "");
	/* Exactly the threshold is not slow. */
	assert_int_equal(one(&p, 2000, 5, 2, &b), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 5);
	buf_free(&b);
}

static void
test_slow_doubles_to_cap(void **state)
{
	struct pace	p;
	struct buf	b = BUF_INIT;

	(void)state;
	pace_init(&p);
	assert_int_equal(one(&p, 3400, 5, 2, &b), PACE_SLOWER);
	assert_string_equal(buf_str(&b), "refresh took 3.4 s: every 10 s now");
	assert_true(pace_backed_off(&p, 5));
	assert_int_equal(one(&p, 2001, 5, 2, &b), PACE_SLOWER);
	assert_int_equal(pace_every(&p, 5), 20);
	assert_int_equal(one(&p, 9000, 5, 2, &b), PACE_SLOWER);
	assert_int_equal(pace_every(&p, 5), 40);
	/* 8 times the setting is the cap. */
	assert_int_equal(one(&p, 9000, 5, 2, &b), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 40);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void
test_fast_comes_back_step_by_step(void **state)
{
	struct pace	p;
	struct buf	b = BUF_INIT;

	(void)state;
	pace_init(&p);
	assert_int_equal(after(&p, 3, 5000, 5), 40);
	assert_int_equal(one(&p, 100, 5, 2, &b), PACE_FASTER);
	assert_string_equal(buf_str(&b), "refresh took 0.1 s: every 20 s now");
	assert_int_equal(one(&p, 100, 5, 2, &b), PACE_FASTER);
	assert_int_equal(pace_every(&p, 5), 10);
	assert_int_equal(one(&p, 1999, 5, 2, &b), PACE_FASTER);
	assert_string_equal(buf_str(&b), "refresh took 1.9 s: every 5 s again");
	assert_false(pace_backed_off(&p, 5));
	assert_int_equal(one(&p, 100, 5, 2, &b), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 5);
	/* An odd setting comes back to itself, never under it. */
	pace_init(&p);
	assert_int_equal(after(&p, 2, 5000, 7), 28);
	assert_int_equal(after(&p, 2, 10, 7), 7);
	buf_free(&b);
}

/* Five minutes caps a long setting; a setting above it never backs off. */
static void
test_cap_five_minutes(void **state)
{
	struct pace	p;
	struct buf	b = BUF_INIT;

	(void)state;
	pace_init(&p);
	assert_int_equal(after(&p, 2, 5000, 60), 240);
	assert_int_equal(after(&p, 1, 5000, 60), 300);
	assert_int_equal(after(&p, 1, 10, 60), 150);
	assert_int_equal(after(&p, 2, 10, 60), 60);
	pace_init(&p);
	assert_int_equal(one(&p, 99000, 600, 2, &b), PACE_SAME);
	assert_int_equal(pace_every(&p, 600), 600);
	buf_free(&b);
}

/* A new setting (another context) bounds what was in use. */
static void
test_setting_changes(void **state)
{
	struct pace	p;

	(void)state;
	pace_init(&p);
	assert_int_equal(after(&p, 2, 5000, 5), 20);
	assert_int_equal(pace_every(&p, 30), 30);
	assert_int_equal(pace_every(&p, 2), 16);
}

/* A refresh never begun, and a clock that went back, change nothing. */
static void
test_odd_clock(void **state)
{
	struct pace	p;
	int64_t		took = 7;

	(void)state;
	pace_init(&p);
	assert_int_equal(pace_end(&p, 5000, 5, 2, &took), PACE_SAME);
	assert_int_equal(took, 0);
	pace_begin(&p, 5000);
	assert_int_equal(pace_end(&p, 1000, 5, 2, NULL), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 5);
	/* Ended once: a second end is no refresh. */
	pace_begin(&p, 0);
	assert_int_equal(pace_end(&p, 9000, 5, 2, NULL), PACE_SLOWER);
	assert_int_equal(pace_end(&p, 99000, 5, 2, NULL), PACE_SAME);
	assert_int_equal(pace_every(&p, 5), 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_stays),
		cmocka_unit_test(test_slow_doubles_to_cap),
		cmocka_unit_test(test_fast_comes_back_step_by_step),
		cmocka_unit_test(test_cap_five_minutes),
		cmocka_unit_test(test_setting_changes),
		cmocka_unit_test(test_odd_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
