/* test_openmetrics.c: Prometheus text, names, escapes, values, repeats. */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "openmetrics.h"

static void
test_names(void **state)
{
	(void)state;
	assert_true(om_metric_name_ok("dagtop_report_success"));
	assert_true(om_metric_name_ok("a:b_c9"));
	assert_true(om_metric_name_ok("_x"));
	assert_false(om_metric_name_ok("9lives"));
	assert_false(om_metric_name_ok("dag-top"));
	assert_false(om_metric_name_ok("dagtop_é"));
	assert_false(om_metric_name_ok(""));
	assert_false(om_metric_name_ok(NULL));
	assert_true(om_label_name_ok("dag_id"));
	assert_false(om_label_name_ok("__name__"));
	assert_false(om_label_name_ok("a:b"));
	assert_false(om_label_name_ok("0a"));
	assert_false(om_label_name_ok("dag id"));
}

static void
test_family_rules(void **state)
{
	struct om m;

	(void)state;
	om_init(&m);
	assert_int_equal(om_family(&m, "dagtop_runs", OM_GAUGE, "h"), 0);
	/* _total is for counters only, and counters must have it */
	assert_int_equal(om_family(&m, "dagtop_x_total", OM_GAUGE, "h"), -1);
	assert_int_equal(om_family(&m, "dagtop_x", OM_COUNTER, "h"), -1);
	assert_int_equal(om_family(&m, "dagtop_x_total", OM_COUNTER, "h"), 0);
	assert_int_equal(om_family(&m, "bad-name", OM_GAUGE, "h"), -1);
	/* again alike is fine, with another type not */
	assert_int_equal(om_family(&m, "dagtop_runs", OM_GAUGE, "h"), 0);
	assert_int_equal(om_family(&m, "dagtop_x_total", OM_GAUGE, "h"), -1);
	/* a sample needs its family and good label names, once each */
	assert_int_equal(om_add(&m, "dagtop_nope", 1, NULL), -1);
	assert_int_equal(om_add(&m, "dagtop_runs", 1, "bad-label", "x",
	    NULL), -1);
	assert_int_equal(om_add(&m, "dagtop_runs", 1, "__x", "x", NULL), -1);
	assert_int_equal(om_add(&m, "dagtop_runs", 1, "a", "x", "a", "y",
	    NULL), -1);
	/* at most OM_MAX_LABELS (8) labels */
	assert_int_equal(om_add(&m, "dagtop_runs", 1, "a", "1", "b", "2", "c",
	    "3", "d", "4", "e", "5", "f", "6", "g", "7", "h", "8", "i", "9",
	    NULL), -1);
	assert_int_equal(om_add(&m, "dagtop_runs", 1, "a", "1", "b", "2", "c",
	    "3", "d", "4", "e", "5", "f", "6", "g", "7", "h", "8", NULL), 0);
	om_free(&m);
}

static void
test_grouped_and_once(void **state)
{
	struct om	m;
	struct buf	b = BUF_INIT;

	(void)state;
	om_init(&m);
	assert_int_equal(om_family(&m, "dagtop_a", OM_GAUGE,
	    "First, with a \\ and a\nnewline."), 0);
	assert_int_equal(om_family(&m, "dagtop_b", OM_GAUGE, "Second."), 0);
	assert_int_equal(om_family(&m, "dagtop_empty", OM_GAUGE, "None."), 0);
	assert_int_equal(om_add(&m, "dagtop_b", 2, "context", "x", NULL), 0);
	assert_int_equal(om_add(&m, "dagtop_a", 1, "context", "x", NULL), 0);
	assert_int_equal(om_add(&m, "dagtop_b", 3, "context", "y", NULL), 0);
	assert_int_equal(om_add(&m, "dagtop_a", 4, "context", "y", NULL), 0);
	/* the same series again: kept once, the first value */
	assert_int_equal(om_add(&m, "dagtop_a", 9, "context", "x", NULL), 1);
	/* a NULL or empty value leaves the label out */
	assert_int_equal(om_add(&m, "dagtop_a", 5, "context", NULL, NULL), 0);
	assert_int_equal(om_add(&m, "dagtop_a", 6, "context", "", NULL), 1);
	om_write(&m, &b);
	assert_string_equal(buf_str(&b),
	    "# HELP dagtop_a First, with a \\\\ and a\\nnewline.\n"
	    "# TYPE dagtop_a gauge\n"
	    "dagtop_a{context=\"x\"} 1\n"
	    "dagtop_a{context=\"y\"} 4\n"
	    "dagtop_a 5\n"
	    "# HELP dagtop_b Second.\n"
	    "# TYPE dagtop_b gauge\n"
	    "dagtop_b{context=\"x\"} 2\n"
	    "dagtop_b{context=\"y\"} 3\n");
	buf_free(&b);
	om_free(&m);
}

static void
test_label_values(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	om_put_label_value(&b, "a\"b\\c\nd");
	assert_string_equal(buf_str(&b), "a\\\"b\\\\c\\nd");
	buf_reset(&b);
	/* UTF-8 kept; an invalid byte becomes U+FFFD */
	om_put_label_value(&b, "caf\xc3\xa9 \xff!");
	assert_string_equal(buf_str(&b), "caf\xc3\xa9 \xef\xbf\xbd!");
	buf_reset(&b);
	/* an escape sequence and a bell are shown, not kept */
	om_put_label_value(&b, "x\x1b[31my\x07");
	assert_null(strchr(buf_str(&b), '\x1b'));
	assert_null(strchr(buf_str(&b), '\x07'));
	assert_string_equal(buf_str(&b), "x^[[31my^G");
	buf_free(&b);
}

static void
test_values(void **state)
{
	struct buf b = BUF_INIT;

#define V(x, s) do { buf_reset(&b); om_put_value(&b, (x)); \
	assert_string_equal(buf_str(&b), (s)); } while (0)
	(void)state;
	V(0, "0");
	V(-0.0, "0");
	V(42, "42");
	V(-7, "-7");
	V(1764950400, "1764950400");
	V(9007199254740993.0, "9007199254740992");
	V(0.5, "0.5");
	V(0.1, "0.1");
	V(2.0 / 3.0, "0.66666666666666663");
	V(NAN, "NaN");
	V(INFINITY, "+Inf");
	V(-INFINITY, "-Inf");
	V(1e300, "1e+300");
	/* a comma locale changes nothing */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL ||
	    setlocale(LC_NUMERIC, "fr_FR.UTF-8") != NULL) {
		V(0.25, "0.25");
		setlocale(LC_NUMERIC, "C");
	}
#undef V
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_family_rules),
		cmocka_unit_test(test_grouped_and_once),
		cmocka_unit_test(test_label_values),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
