/*
 * test_logpath.c: log filename templates (src/model/logpath.c): Airflow's
 * defaults for 2.x and 3.x, mapped tasks, the legacy and str.format forms,
 * and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "logpath.h"

static const struct logpath_ti plain = {
	"etl", "scheduled__2024-01-01T00:00:00+00:00", "load", -1, 2,
	"2024-01-01T00:00:00+00:00"
};

static void
check(const char *tmpl, const struct logpath_ti *ti, const char *want)
{
	struct buf out = BUF_INIT, err = BUF_INIT;

	assert_int_equal(logpath_render(tmpl, ti, &out, &err), 0);
	assert_string_equal(buf_str(&out), want);
	assert_int_equal(err.len, 0);
	buf_free(&out);
	buf_free(&err);
}

static void
refuse(const char *tmpl, const struct logpath_ti *ti, const char *why)
{
	struct buf out = BUF_INIT, err = BUF_INIT;

	buf_puts(&out, "kept/");
	assert_int_equal(logpath_render(tmpl, ti, &out, &err), -1);
	assert_string_equal(buf_str(&out), "kept/");
	assert_non_null(strstr(buf_str(&err), why));
	buf_free(&out);
	buf_free(&err);
}

static void
test_defaults(void **state)
{
	struct logpath_ti mapped = plain;

	(void)state;
	check(logpath_default_v2, &plain, "dag_id=etl/run_id=scheduled__"
	    "2024-01-01T00:00:00+00:00/task_id=load/attempt=2.log");
	check(logpath_default_v3, &plain, "dag_id=etl/run_id=scheduled__"
	    "2024-01-01T00:00:00+00:00/task_id=load/attempt=2.log");
	mapped.map_index = 0;
	check(logpath_default_v2, &mapped, "dag_id=etl/run_id=scheduled__"
	    "2024-01-01T00:00:00+00:00/task_id=load/map_index=0/attempt=2.log");
	mapped.map_index = 17;
	check(logpath_default_v3, &mapped, "dag_id=etl/run_id=scheduled__"
	    "2024-01-01T00:00:00+00:00/task_id=load/map_index=17/attempt=2.log");
}

static void
test_other_forms(void **state)
{
	(void)state;
	/* The legacy template of very old runs. */
	check("{{ ti.dag_id }}/{{ ti.task_id }}/{{ ts }}/{{ try_number }}.log",
	    &plain, "etl/load/2024-01-01T00:00:00+00:00/2.log");
	/* str.format (Airflow picks Jinja only when "{{" appears). */
	check("{dag_id}/{task_id}/{ts}/{try_number}.log", &plain,
	    "etl/load/2024-01-01T00:00:00+00:00/2.log");
	/* Whitespace control, else, no spaces. */
	check("{%- if ti.map_index >= 0 -%}m{%else%}u{%endif%}/{{ti.run_id}}",
	    &plain, "u/scheduled__2024-01-01T00:00:00+00:00");
}

static void
test_refused(void **state)
{
	struct logpath_ti evil = plain;

	(void)state;
	refuse("{{ ti.hostname }}.log", &plain, "ti.hostname");
	refuse("{{ ti.dag_id ", &plain, "unterminated");
	refuse("{% for x in y %}{% endfor %}", &plain, "forxiny");
	refuse("{% if ti.map_index >= 0 %}x", &plain, "endif");
	refuse("{unknown}", &plain, "unknown");
	evil.dag_id = "..";
	refuse("{{ ti.dag_id }}/x.log", &evil, "leave the log folder");
	evil.dag_id = "a";
	evil.task_id = "../../../etc";
	refuse("{{ ti.dag_id }}/{{ ti.task_id }}", &evil, "leave the log folder");
	evil.dag_id = "/etc";
	refuse("{{ ti.dag_id }}", &evil, "leave the log folder");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_other_forms),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
