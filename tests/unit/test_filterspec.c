/*
 * test_filterspec.c: the / filter's state: words and the regular
 * expression left (src/model/filterspec.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "filterspec.h"

static void
test_plain_text_is_the_pattern(void **state)
{
	struct filter_spec	s;
	struct buf		err = BUF_INIT;

	(void)state;
	assert_int_equal(filter_spec_parse("!etl", &s, &err), 0);
	assert_false(s.states);
	assert_string_equal(s.pattern, "!etl");
	assert_true(filter_spec_ti(&s, TI_SUCCESS));
	assert_true(filter_spec_run(&s, RUN_SUCCESS));
	filter_spec_free(&s);
	/* Blanks inside a pattern stay; those around it go. */
	assert_int_equal(filter_spec_parse("  a  b ", &s, &err), 0);
	assert_string_equal(s.pattern, "a  b");
	filter_spec_free(&s);
	assert_int_equal(filter_spec_parse("", &s, &err), 0);
	assert_string_equal(s.pattern, "");
	filter_spec_free(&s);
	assert_int_equal(err.len, 0);
}

static void
test_state_words(void **state)
{
	struct filter_spec	s;
	struct buf		err = BUF_INIT;

	(void)state;
	assert_int_equal(filter_spec_parse("state:failed", &s, &err), 0);
	assert_true(s.states);
	assert_string_equal(s.pattern, "");
	assert_true(filter_spec_ti(&s, TI_FAILED));
	assert_false(filter_spec_ti(&s, TI_UPSTREAM_FAILED));
	assert_false(filter_spec_ti(&s, TI_SUCCESS));
	assert_true(filter_spec_run(&s, RUN_FAILED));
	assert_false(filter_spec_run(&s, RUN_RUNNING));
	filter_spec_free(&s);

	/* With text, before or after; a list; a task-only state. */
	assert_int_equal(filter_spec_parse("etl state:running", &s, &err), 0);
	assert_string_equal(s.pattern, "etl");
	assert_true(filter_spec_run(&s, RUN_RUNNING));
	assert_true(filter_spec_ti(&s, TI_RUNNING));
	assert_false(filter_spec_run(&s, RUN_FAILED));
	filter_spec_free(&s);
	assert_int_equal(filter_spec_parse("state:upstream_failed,up_for_retry "
	    "!load", &s, &err), 0);
	assert_string_equal(s.pattern, "!load");
	assert_true(filter_spec_ti(&s, TI_UPSTREAM_FAILED));
	assert_true(filter_spec_ti(&s, TI_UP_FOR_RETRY));
	assert_false(filter_spec_ti(&s, TI_FAILED));
	/* No run is upstream_failed: a DAG-run list shows none. */
	assert_false(filter_spec_run(&s, RUN_FAILED));
	assert_false(filter_spec_run(&s, RUN_QUEUED));
	filter_spec_free(&s);
	/* "none" is Airflow's no-status state of a task instance. */
	assert_int_equal(filter_spec_parse("state:none", &s, &err), 0);
	assert_true(filter_spec_ti(&s, TI_NONE));
	filter_spec_free(&s);
	assert_int_equal(err.len, 0);
}

static void
test_bad_states(void **state)
{
	static const char *const bad[] = { "state:fail", "state:", "x state:",
	    "state:failed,,", "state:Failed", "state:unknown",
	    "state:failed,nope" };
	struct filter_spec	s;
	struct buf		err = BUF_INIT;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&err);
		if (filter_spec_parse(bad[i], &s, &err) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(err.len > 0);
		assert_null(s.pattern);
	}
	buf_reset(&err);
	assert_int_equal(filter_spec_parse("state:nope", &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "unknown state 'nope'"));
	buf_free(&err);
	/* A word that only begins like one is text. */
	assert_int_equal(filter_spec_parse("mystate:failed", &s, &err), 0);
	assert_false(s.states);
	assert_string_equal(s.pattern, "mystate:failed");
	filter_spec_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_is_the_pattern),
		cmocka_unit_test(test_state_words),
		cmocka_unit_test(test_bad_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
