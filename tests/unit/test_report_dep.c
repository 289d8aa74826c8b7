/*
 * test_report_dep.c: the writers of report impact and report why
 * (report_dep.h) on answers drawn by hand: the verdict line and the exit
 * status agree in every format, the tree and the chain are there, the
 * warnings are shown everywhere, JSON parses with its field names, and no
 * escape sequence of a hostile id reaches the output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report_dep.h"
#include "tz.h"

#define HOSTILE	"evil\x1b]0;pwned\x07\x1b[2J"
#define T0	1773112320	/* 2026-03-10 03:12 UTC */

static struct sla_def	 sla_sales = { .name = "sales_daily",
	.dag_id = "sales_mart", .deadline = 10 * 3600, .days = SLA_ALL_DAYS };
static const struct sla_def *defs[] = { &sla_sales };
static const struct tz *zones[1];
static const struct dep_slas slas = { defs, zones, 1 };

/*
 * ingest_orders.load failed: publish downstream, bq://dwh/orders not
 * updated, sales_mart scheduled on it (an SLA at 10:00 UTC, 6h48m left,
 * chain 1h05m: fits), report_x through a sensor, and a DAG with a
 * hostile id, paused.
 */
static void
draw_impact(struct impact_answer *a, int64_t left, int64_t chain, bool fits)
{
	static struct dep_item items[6];
	static struct dep_sla_hit hit;

	memset(a, 0, sizeof *a);
	memset(items, 0, sizeof items);
	items[0] = (struct dep_item){ .kind = DEP_NODE_TASK,
	    .dag_id = "ingest_orders", .task_id = "load",
	    .parent = (size_t)-1, .via = DEP_VIA_FAILURE,
	    .next_run_after = TIME_NONE };
	items[1] = (struct dep_item){ .kind = DEP_NODE_TASK,
	    .dag_id = "ingest_orders", .task_id = "publish", .parent = 0,
	    .via = DEP_VIA_TASK, .depth = 1, .next_run_after = TIME_NONE };
	items[2] = (struct dep_item){ .kind = DEP_NODE_ASSET,
	    .asset = "bq://dwh/orders", .uri = "bq://dwh/orders", .parent = 0,
	    .via = DEP_VIA_OUTLET, .depth = 1, .next_run_after = TIME_NONE };
	items[3] = (struct dep_item){ .kind = DEP_NODE_DAG,
	    .dag_id = "sales_mart", .parent = 2, .via = DEP_VIA_SCHEDULE,
	    .depth = 2, .next_run_after = T0 + 3600, .nsla = 1 };
	items[4] = (struct dep_item){ .kind = DEP_NODE_DAG,
	    .dag_id = "report_x", .task_id = "wait_sales", .parent = 3,
	    .via = DEP_VIA_SENSOR, .depth = 3, .next_run_after = TIME_NONE };
	items[5] = (struct dep_item){ .kind = DEP_NODE_DAG,
	    .dag_id = HOSTILE, .parent = 3, .via = DEP_VIA_TRIGGER,
	    .depth = 3, .paused = true, .not_on_time = true,
	    .next_run_after = TIME_NONE };
	hit = (struct dep_sla_hit){ .sla = 0, .item = 3,
	    .deadline = T0 + left, .left = left, .chain = chain,
	    .fits = fits };
	a->impact.items = items;
	a->impact.nitems = 6;
	a->impact.ntasks = 1;
	a->impact.nassets = 1;
	a->impact.ndags = 3;
	a->impact.slas = &hit;
	a->impact.nslas = 1;
	a->state.now = T0;
	buf_puts(&a->line, "holds back 3 DAGs and 1 SLA; next deadline "
	    "sales_daily 10:00 UTC, 6h48m left");
	buf_puts(&a->warnings, "cycle: cyc_a -> cyc_b -> cyc_a\n"
	    "dangling: " HOSTILE " senses legacy_dag\n");
	a->statements = 4;
}

static void
doc_impact(struct impact_doc *d, const struct impact_answer *a)
{
	memset(d, 0, sizeof *d);
	d->head.context = "prod";
	d->head.source = "database";
	d->head.airflow = "Airflow 3.1";
	d->head.zone = tz_utc();
	d->head.generated_at = T0;
	d->dag_id = "ingest_orders";
	d->run_id = "scheduled__2026-03-09T01:00:00+00:00";
	d->task_id = "load";
	d->a = a;
	d->slas = &slas;
}

static char *
write_impact(enum report_format f, const struct impact_answer *a)
{
	struct impact_doc	d;
	struct buf		b = BUF_INIT;

	doc_impact(&d, a);
	impact_write(&b, f, &d);
	return buf_detach(&b);
}

static void
assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("expected a start of\n%s\ngot\n%s", prefix, s);
}

/* No byte of an escape sequence or a bell from a hostile id. */
static void
assert_inert(const char *s)
{
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\x07'));
}

static void
test_impact_text(void **state)
{
	struct impact_answer	a;
	char			*s;

	(void)state;
	draw_impact(&a, 6 * 3600 + 48 * 60, 3900, true);
	assert_int_equal(impact_rc(&a, "ingest_orders"), 1);
	s = write_impact(REPORT_TEXT, &a);
	assert_prefix(s, "WARNING: ingest_orders.load (run "
	    "scheduled__2026-03-09T01:00:00+00:00) holds back 3 DAGs");
	/* The model's line, the soonest deadline in full (not cut). */
	assert_non_null(strstr(s, ") holds back 3 DAGs (1 paused) and 1 SLA; "
	    "next deadline "
	    "sales_daily 2026-03-10 10:00:00 UTC, 6h48m left\n"));
	assert_non_null(strstr(s, "\n  task   ingest_orders.load  the failure\n"));
	assert_non_null(strstr(s, "\n    asset  bq://dwh/orders  outlet\n"));
	assert_non_null(strstr(s, "\n      DAG    sales_mart  schedule  next "
	    "run 2026-03-10 04:12:00 UTC\n"));
	assert_non_null(strstr(s, "\n        SLA    sales_daily  deadline "
	    "2026-03-10 10:00:00 UTC  6h48m left, chain 1h05m, fits\n"));
	assert_non_null(strstr(s, "report_x  sensor wait_sales\n"));
	assert_non_null(strstr(s, "trigger  paused, not on time anyway\n"));
	assert_non_null(strstr(s, "\nwarning    cycle: cyc_a -> cyc_b -> "
	    "cyc_a\n"));
	assert_non_null(strstr(s, "\nreads      4 from the source"));
	assert_non_null(strstr(s, "evil^[]0;pwned"));
	assert_inert(s);
	free(s);
	buf_free(&a.line);
	buf_free(&a.warnings);
}

/* Missed, out of reach, unknown chain, nothing outside: 2, 2, 1, 0. */
static void
test_impact_rc(void **state)
{
	struct impact_answer	a;
	char			*s;

	(void)state;
	draw_impact(&a, -600, 3900, false);
	assert_int_equal(impact_rc(&a, "ingest_orders"), 2);
	s = write_impact(REPORT_TEXT, &a);
	assert_prefix(s, "CRITICAL: ");
	assert_non_null(strstr(s, "holds back 3 DAGs (1 paused) and 1 SLA; "
	    "sales_daily "
	    "deadline 2026-03-10 03:02:00 UTC passed 10m00s ago; 1 SLA missed "
	    "or out of reach\n"));
	assert_non_null(strstr(s, "missed 10m00s ago, chain 1h05m, does not "
	    "fit\n"));
	free(s);
	a.impact.slas[0].left = 600;
	assert_int_equal(impact_rc(&a, "ingest_orders"), 2);
	a.impact.slas[0].chain = -1;
	assert_int_equal(impact_rc(&a, "ingest_orders"), 1);
	/* Only tasks of the failed DAG: nothing outside it held back. */
	a.impact.nslas = 0;
	a.impact.nitems = 2;
	assert_int_equal(impact_rc(&a, "ingest_orders"), 0);
	s = write_impact(REPORT_TEXT, &a);
	assert_prefix(s, "OK: ");
	free(s);
	buf_free(&a.line);
	buf_free(&a.warnings);
}

static void
test_impact_json(void **state)
{
	struct impact_answer	 a;
	json_t			*doc, *it, *hit;
	json_error_t		 err;
	char			*s;

	(void)state;
	draw_impact(&a, 6 * 3600 + 48 * 60, 3900, true);
	s = write_impact(REPORT_JSON, &a);
	assert_inert(s);
	doc = json_loads(s, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "report")),
	    "impact");
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "warning");
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    doc, "held_back"), "dags")), 3);
	assert_int_equal(json_array_size(json_object_get(doc, "items")), 6);
	it = json_array_get(json_object_get(doc, "items"), 4);
	assert_string_equal(json_string_value(json_object_get(it, "via")),
	    "sensor");
	assert_int_equal(json_integer_value(json_object_get(it, "parent")), 3);
	it = json_array_get(json_object_get(doc, "items"), 5);
	assert_string_equal(json_string_value(json_object_get(it, "dag_id")),
	    HOSTILE);
	assert_true(json_is_true(json_object_get(it, "paused")));
	hit = json_array_get(json_object_get(doc, "slas"), 0);
	assert_string_equal(json_string_value(json_object_get(hit, "name")),
	    "sales_daily");
	assert_int_equal(json_integer_value(json_object_get(hit,
	    "left_seconds")), 6 * 3600 + 48 * 60);
	assert_true(json_is_true(json_object_get(hit, "fits")));
	assert_int_equal(json_array_size(json_object_get(doc, "warnings")), 2);
	assert_true(json_is_array(json_object_get(doc, "gaps")));
	assert_int_equal(json_integer_value(json_object_get(doc,
	    "source_reads")), 4);
	json_decref(doc);
	free(s);
	buf_free(&a.line);
	buf_free(&a.warnings);
}

static void
test_impact_markdown(void **state)
{
	struct impact_answer	a;
	char			*s;

	(void)state;
	draw_impact(&a, 6 * 3600 + 48 * 60, 3900, true);
	s = write_impact(REPORT_MARKDOWN, &a);
	assert_inert(s);
	assert_prefix(s, "## Impact of ingest\\_orders\\.load\n\n"
	    "**WARNING: ");
	assert_non_null(strstr(s, "| depth | kind | name | via | marks | "
	    "next run |\n"));
	assert_non_null(strstr(s, "| 2 | DAG | sales\\_mart | schedule |  | "
	    "2026-03-10 04:12:00 UTC |\n"));
	assert_non_null(strstr(s, "| sales\\_daily | 2026-03-10 10:00:00 UTC "
	    "| 6h48m left, chain 1h05m, fits |\n"));
	assert_non_null(strstr(s, "- warning: cycle\\: cyc\\_a \\-\\> "));
	free(s);
	buf_free(&a.line);
	buf_free(&a.warnings);
}

/* sales_mart waits for orders, written by ingest_orders.load, failed. */
static void
draw_why(struct why_answer *a, bool found)
{
	static struct dep_link chain[3];

	memset(a, 0, sizeof *a);
	chain[0] = (struct dep_link){ .kind = DEP_NODE_DAG,
	    .dag_id = "sales_mart", .verdict = DEP_WAITING, .when = TIME_NONE,
	    .via = DEP_VIA_SCHEDULE };
	chain[1] = (struct dep_link){ .kind = DEP_NODE_ASSET,
	    .asset = "bq://dwh/orders", .via = DEP_VIA_SCHEDULE,
	    .verdict = DEP_LATE, .when = T0 - 26 * 3600 };
	chain[2] = (struct dep_link){ .kind = DEP_NODE_TASK,
	    .dag_id = "ingest_orders", .task_id = HOSTILE,
	    .via = DEP_VIA_OUTLET, .verdict = DEP_FAILED, .when = T0,
	    .ti_state = TI_FAILED, .try_number = 3, .max_tries = 3,
	    .run_id = "scheduled__2026-03-09T01:00:00+00:00" };
	a->why.chain = chain;
	a->why.nchain = 3;
	a->why.found = found;
	a->why.also_bad = 1;
	buf_puts(&a->why.sentence, "sales_mart waits for asset bq://dwh/orders, "
	    "last updated 26h ago by ingest_orders.load, which failed at "
	    "03:12, try 3/3");
	a->state.now = T0;
	a->statements = 4;
}

static char *
write_why(enum report_format f, const struct why_answer *a,
    const struct sla_day *day, int *rc)
{
	struct why_doc	d;
	struct buf	b = BUF_INIT;

	memset(&d, 0, sizeof d);
	d.head.context = "prod";
	d.head.source = "database";
	d.head.zone = tz_utc();
	d.head.generated_at = T0;
	d.dag_id = "sales_mart";
	d.sla = day != NULL ? &sla_sales : NULL;
	d.sla_zone = tz_utc();
	d.day = day;
	d.a = a;
	*rc = why_rc(&d);
	why_write(&b, f, &d);
	return buf_detach(&b);
}

static void
test_why(void **state)
{
	struct why_answer	 a;
	struct sla_day		 day = { .day = T0 / 86400, .y = 2026, .m = 3,
				    .d = 10, .outcome = SLA_PENDING,
				    .deadline = T0 + 6 * 3600 + 48 * 60,
				    .finished_at = TIME_NONE,
				    .expected = TIME_NONE };
	json_t			*doc;
	char			*s;
	int			 rc;

	(void)state;
	draw_why(&a, true);
	s = write_why(REPORT_TEXT, &a, &day, &rc);
	assert_int_equal(rc, 1);
	assert_prefix(s, "WARNING: SLA sales_daily on 2026-03-10 "
	    "pending; sales_mart waits for asset bq://dwh/orders");
	assert_non_null(strstr(s, "\nsla        sales_daily  sales_mart  by "
	    "10:00 UTC  2026-03-10 pending\n"));
	assert_non_null(strstr(s, "\n  asset  bq://dwh/orders  schedule  late  "
	    "2026-03-09 01:12:00 UTC\n"));
	assert_non_null(strstr(s, "  outlet  failed  2026-03-10 03:12:00 UTC  "
	    "failed try 3 of 3  run scheduled__"));
	assert_non_null(strstr(s, "\n  DAG    sales_mart\n"));
	assert_non_null(strstr(s, "\nalso       1 more branch upstream is bad "
	    "too\n"));
	assert_inert(s);
	free(s);

	day.outcome = SLA_MISSING;
	s = write_why(REPORT_MARKDOWN, &a, &day, &rc);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(s, "**CRITICAL: SLA sales\\_daily on "));
	assert_non_null(strstr(s, "| link | via | verdict | when | try | run |"));
	assert_inert(s);
	free(s);

	s = write_why(REPORT_JSON, &a, &day, &rc);
	doc = json_loads(s, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "critical");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    doc, "sla"), "outcome")), "missing");
	assert_int_equal(json_array_size(json_object_get(doc, "chain")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "chain"), 2), "task_id")), HOSTILE);
	assert_true(json_is_true(json_object_get(doc, "found")));
	json_decref(doc);
	assert_inert(s);
	free(s);

	/* --dag, nothing wrong upstream: OK. */
	a.why.found = false;
	s = write_why(REPORT_TEXT, &a, NULL, &rc);
	assert_int_equal(rc, 0);
	assert_prefix(s, "OK: sales_mart waits");
	free(s);
	buf_free(&a.why.sentence);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_impact_text),
		cmocka_unit_test(test_impact_rc),
		cmocka_unit_test(test_impact_json),
		cmocka_unit_test(test_impact_markdown),
		cmocka_unit_test(test_why),
	};

	zones[0] = tz_utc();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
