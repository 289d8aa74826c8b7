/*
 * test_slots.c: BigQuery rows decoded with their schema, error bodies, the
 * per-minute aggregation of slot usage against capacity, top consumers,
 * chart buckets, the INFORMATION_SCHEMA statements and pools
 * (src/model/slots.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "slots.h"

/* 2026-11-22 00:00:00 UTC */
#define DAY0	INT64_C(1763769600)
#define near(a, b)	assert_true((a) > (b) - 1e-9 && (a) < (b) + 1e-9)

static void
add_page(struct bq_table *t, const char *text)
{
	struct buf	 err = BUF_INIT;
	json_t		*doc = json_loads(text, 0, NULL);

	assert_non_null(doc);
	if (bq_table_add_page(t, doc, &err) != 0)
		fail_msg("%s", buf_str(&err));
	json_decref(doc);
	buf_free(&err);
}

static int
add_page_err(struct bq_table *t, const char *text, struct buf *err)
{
	json_t	*doc = json_loads(text, 0, NULL);
	int	 rc;

	assert_non_null(doc);
	rc = bq_table_add_page(t, doc, err);
	json_decref(doc);
	return rc;
}

static void
test_decode_types(void **state)
{
	struct bq_table	t;
	int64_t		i;
	double		d;

	(void)state;
	memset(&t, 0, sizeof t);
	add_page(&t, "{\"schema\":{\"fields\":["
	    "{\"name\":\"n\",\"type\":\"INTEGER\",\"mode\":\"NULLABLE\"},"
	    "{\"name\":\"ts\",\"type\":\"TIMESTAMP\"},"
	    "{\"name\":\"f\",\"type\":\"FLOAT\"},"
	    "{\"name\":\"s\",\"type\":\"STRING\"},"
	    "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
	    "{\"name\":\"r\",\"type\":\"RECORD\",\"fields\":[]}]},"
	    "\"totalRows\":\"2\",\"jobComplete\":true,\"rows\":["
	    "{\"f\":[{\"v\":\"9007199254740993\"},{\"v\":\"1.561017697269367E9\"},"
	    "{\"v\":\"2.5\"},{\"v\":\"caf\\u00e9\"},"
	    "{\"v\":[{\"v\":\"a\"},{\"v\":\"b\"}]},{\"v\":{\"f\":[{\"v\":\"1\"}]}}]},"
	    "{\"f\":[{\"v\":null},{\"v\":\"1700000000.5\"},{\"v\":null},"
	    "{\"v\":\"\"},{\"v\":[]},{\"v\":null}]}]}");
	assert_int_equal(t.nfields, 6);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.total_rows, 2);
	assert_int_equal(t.fields[0].type, BQ_INT64);
	assert_int_equal(t.fields[1].type, BQ_TIMESTAMP);
	assert_int_equal(t.fields[2].type, BQ_FLOAT64);
	assert_true(t.fields[4].repeated);
	assert_int_equal(t.fields[5].type, BQ_RECORD);
	assert_int_equal(bq_col(&t, "ts"), 1);
	assert_int_equal(bq_col(&t, "nope"), -1);

	/* INT64 arrives as a string and keeps all 64 bits. */
	assert_true(bq_int64(&t, 0, 0, &i));
	assert_true(i == INT64_C(9007199254740993));
	/* TIMESTAMP: float seconds in scientific notation. */
	assert_true(bq_time(&t, 0, 1, &d));
	assert_true(d > 1561017697.26 && d < 1561017697.27);
	assert_true(bq_time(&t, 1, 1, &d));
	assert_true(d == 1700000000.5);
	assert_true(bq_double(&t, 0, 2, &d) && d == 2.5);
	assert_string_equal(bq_cell(&t, 0, 3), "caf\xc3\xa9");
	/* NULL is NULL, not "" and not 0. */
	assert_null(bq_cell(&t, 1, 0));
	assert_false(bq_int64(&t, 1, 0, &i));
	assert_false(bq_double(&t, 1, 2, &d));
	assert_string_equal(bq_cell(&t, 1, 3), "");
	assert_false(bq_int64(&t, 1, 3, &i));
	/* REPEATED and RECORD keep their JSON. */
	assert_string_equal(bq_cell(&t, 0, 4), "[{\"v\":\"a\"},{\"v\":\"b\"}]");
	assert_string_equal(bq_cell(&t, 0, 5), "{\"f\":[{\"v\":\"1\"}]}");
	/* Out of range reads are NULL. */
	assert_null(bq_cell(&t, 2, 0));
	assert_null(bq_cell(&t, 0, 6));
	assert_null(bq_cell(&t, 0, -1));
	bq_table_free(&t);
}

static void
test_decode_int64_timestamps_and_sums(void **state)
{
	struct bq_table	t;
	int64_t		i;
	double		d;

	(void)state;
	memset(&t, 0, sizeof t);
	add_page(&t, "{\"schema\":{\"fields\":[{\"name\":\"ts\",\"type\":"
	    "\"TIMESTAMP\"},{\"name\":\"n\",\"type\":\"NUMERIC\"}]},"
	    "\"rows\":[{\"f\":[{\"v\":\"1700000000123456\"},{\"v\":\"1.2E7\"}]},"
	    "{\"f\":[{\"v\":\"abc\"},{\"v\":\"12.5\"}]}]}");
	/* formatOptions.useInt64Timestamp: microseconds. */
	assert_true(bq_time(&t, 0, 0, &d));
	assert_true(d > 1700000000.12 && d < 1700000000.13);
	assert_false(bq_time(&t, 1, 0, &d));
	/* A SUM over NUMERIC may come as a float. */
	assert_true(bq_int64(&t, 0, 1, &i) && i == 12000000);
	assert_true(bq_int64(&t, 1, 1, &i) && i == 13);
	bq_table_free(&t);
}

static void
test_decode_pages(void **state)
{
	struct bq_table	 t;
	struct buf	 err = BUF_INIT;
	int64_t		 v;

	(void)state;
	memset(&t, 0, sizeof t);
	add_page(&t, "{\"schema\":{\"fields\":[{\"name\":\"a\",\"type\":"
	    "\"INT64\"}]},\"totalRows\":\"3\",\"pageToken\":\"x\","
	    "\"rows\":[{\"f\":[{\"v\":\"1\"}]},{\"f\":[{\"v\":\"2\"}]}]}");
	/* A later page may leave the schema out. */
	add_page(&t, "{\"rows\":[{\"f\":[{\"v\":\"3\"}]}]}");
	/* A page without rows adds nothing. */
	add_page(&t, "{\"schema\":{\"fields\":[{\"name\":\"a\",\"type\":"
	    "\"INT64\"}]},\"totalRows\":\"3\"}");
	assert_int_equal(t.nrows, 3);
	assert_true(bq_int64(&t, 2, 0, &v) && v == 3);
	/* A page with other columns, or rows of the wrong width: refused. */
	assert_int_equal(add_page_err(&t, "{\"schema\":{\"fields\":[{\"name\":"
	    "\"b\",\"type\":\"INT64\"}]},\"rows\":[]}", &err), -1);
	assert_string_equal(buf_str(&err), "the schema changed between pages");
	buf_reset(&err);
	assert_int_equal(add_page_err(&t, "{\"rows\":[{\"f\":[{\"v\":\"1\"},"
	    "{\"v\":\"2\"}]}]}", &err), -1);
	assert_string_equal(buf_str(&err), "row 4 has 2 cells for 1 columns");
	assert_int_equal(t.nrows, 3);
	bq_table_free(&t);

	/* No schema at all. */
	memset(&t, 0, sizeof t);
	buf_reset(&err);
	assert_int_equal(add_page_err(&t, "{\"rows\":[]}", &err), -1);
	assert_string_equal(buf_str(&err), "the answer has no schema");
	bq_table_free(&t);
	buf_free(&err);
}

static void
test_error_text(void **state)
{
	struct buf	 b = BUF_INIT;
	const char	*body =
	    "{\"error\":{\"code\":403,\"message\":\"Access Denied: Project p\","
	    "\"errors\":[{\"domain\":\"global\",\"reason\":\"accessDenied\","
	    "\"message\":\"Access Denied: Project p\"}],\"status\":"
	    "\"PERMISSION_DENIED\"}}";

	(void)state;
	bq_error_text(&b, 403, body, strlen(body));
	assert_string_equal(buf_str(&b), "accessDenied: Access Denied: Project p");
	buf_reset(&b);
	bq_error_reason(&b, body, strlen(body));
	assert_string_equal(buf_str(&b), "accessDenied");
	buf_reset(&b);
	/* OAuth's own shape. */
	bq_error_text(&b, 400, "{\"error\":\"invalid_grant\","
	    "\"error_description\":\"Invalid JWT Signature.\"}", 70);
	assert_string_equal(buf_str(&b), "invalid_grant: Invalid JWT Signature.");
	buf_reset(&b);
	/* Not JSON: the status. */
	bq_error_text(&b, 502, "<html>Bad Gateway</html>", 24);
	assert_string_equal(buf_str(&b), "HTTP status 502");
	buf_reset(&b);
	bq_error_text(&b, 500, NULL, 0);
	assert_string_equal(buf_str(&b), "HTTP status 500");
	buf_free(&b);
}

/* A table from JSON rows given as a C string array literal. */
static void
table(struct bq_table *t, const char *fields, const char *rows)
{
	struct buf b = BUF_INIT;

	memset(t, 0, sizeof *t);
	buf_printf(&b, "{\"schema\":{\"fields\":[%s]},\"rows\":[%s]}", fields,
	    rows);
	add_page(t, buf_str(&b));
	buf_free(&b);
}

static void
test_window(void **state)
{
	struct slots s;

	(void)state;
	/* 10:30:45 -> the window ends at 10:31:00 and holds 10:30. */
	slots_init(&s, DAY0 + 10 * 3600 + 30 * 60 + 45, 60);
	assert_int_equal(s.n, 60);
	assert_true(s.end == DAY0 + 10 * 3600 + 31 * 60);
	assert_true(s.start == s.end - 3600);
	assert_true(s.m[59].t == DAY0 + 10 * 3600 + 30 * 60);
	assert_true(s.m[0].capacity == -1);
	slots_free(&s);
}

static void
test_timeline_per_minute(void **state)
{
	struct slots	s;
	struct bq_table	t;
	struct buf	err = BUF_INIT, rows = BUF_INIT;
	int		i;

	(void)state;
	slots_init(&s, DAY0 + 600, 10);		/* 00:01 .. 00:10 */
	/*
	 * Per-second rows as JOBS_TIMELINE has them: 60 seconds of 1,000
	 * slot-ms in 00:05 (1 slot for the minute), 30 seconds of 4,000 in
	 * 00:06 (2 slots), one second before the window, one after.
	 */
	for (i = 0; i < 60; i++)
		buf_printf(&rows, "%s{\"f\":[{\"v\":\"%.1f\"},{\"v\":\"1000\"}]}",
		    i ? "," : "", (double)(DAY0 + 300 + i));
	for (i = 0; i < 30; i++)
		buf_printf(&rows, ",{\"f\":[{\"v\":\"%.9E\"},{\"v\":\"4000\"}]}",
		    (double)(DAY0 + 360 + 2 * i));
	buf_printf(&rows, ",{\"f\":[{\"v\":\"%.1f\"},{\"v\":\"99000\"}]}",
	    (double)(DAY0 + 59));
	buf_printf(&rows, ",{\"f\":[{\"v\":\"%.1f\"},{\"v\":\"99000\"}]}",
	    (double)(DAY0 + 660));
	buf_printf(&rows, ",{\"f\":[{\"v\":null},{\"v\":\"99000\"}]}");
	/* Wild instants (the fuzzer's): ignored, not converted. */
	buf_printf(&rows, ",{\"f\":[{\"v\":\"2.2E36\"},{\"v\":\"99000\"}]}");
	buf_printf(&rows, ",{\"f\":[{\"v\":\"-1e300\"},{\"v\":\"99000\"}]}");
	table(&t, "{\"name\":\"period_start\",\"type\":\"TIMESTAMP\"},"
	    "{\"name\":\"period_slot_ms\",\"type\":\"INTEGER\"}", buf_str(&rows));
	assert_int_equal(slots_add_timeline(&s, &t, &err), 0);
	assert_true(s.m[4].t == DAY0 + 300);
	near(s.m[4].slots, 1.0);
	near(s.m[5].slots, 2.0);
	/* Gaps are zero; rows outside the window count nowhere. */
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 5)
			assert_true(s.m[i].slots == 0);
	slots_finish(&s);
	near(s.peak, 2.0);
	assert_true(s.peak_at == DAY0 + 360);
	near(s.average, 0.3);
	near(s.slot_ms, 180000);
	/* No capacity known: nothing is "above". */
	assert_int_equal(s.minutes_above, 0);
	bq_table_free(&t);
	slots_free(&s);
	buf_free(&rows);
	buf_free(&err);
}

static void
test_timeline_missing_column(void **state)
{
	struct slots	s;
	struct bq_table	t;
	struct buf	err = BUF_INIT;

	(void)state;
	slots_init(&s, DAY0, 10);
	table(&t, "{\"name\":\"minute\",\"type\":\"TIMESTAMP\"}", "");
	assert_int_equal(slots_add_timeline(&s, &t, &err), -1);
	assert_string_equal(buf_str(&err), "the answer has no column 'slot_ms'");
	bq_table_free(&t);
	slots_free(&s);
	buf_free(&err);
}

/* Five minutes 00:01..00:05 with these slots, running and pending. */
static void
five_minutes(struct slots *s, const char *caprows)
{
	struct bq_table	t;
	struct buf	err = BUF_INIT, rows = BUF_INIT;
	static const int slots[] = { 100, 600, 450, 700, 50 };
	int		i;

	slots_init(s, DAY0 + 300, 5);
	for (i = 0; i < 5; i++)
		buf_printf(&rows, "%s{\"f\":[{\"v\":\"%.10E\"},{\"v\":\"%d\"},"
		    "{\"v\":\"%d\"},{\"v\":%s}]}", i ? "," : "",
		    (double)(DAY0 + 60 + 60 * i), slots[i] * 60000, i + 1,
		    i == 3 ? "\"7\"" : i == 4 ? "null" : "\"0\"");
	table(&t, "{\"name\":\"minute\",\"type\":\"TIMESTAMP\"},"
	    "{\"name\":\"slot_ms\",\"type\":\"INTEGER\"},"
	    "{\"name\":\"running\",\"type\":\"INTEGER\"},"
	    "{\"name\":\"pending\",\"type\":\"INTEGER\"}", buf_str(&rows));
	assert_int_equal(slots_add_timeline(s, &t, &err), 0);
	bq_table_free(&t);
	if (caprows != NULL) {
		table(&t, "{\"name\":\"period_start\",\"type\":\"TIMESTAMP\"},"
		    "{\"name\":\"capacity\",\"type\":\"FLOAT\"}", caprows);
		assert_int_equal(slots_add_capacity(s, &t, &err), 0);
		bq_table_free(&t);
	}
	slots_finish(s);
	buf_free(&rows);
	buf_free(&err);
}

static void
test_capacity_reservations(void **state)
{
	struct slots	s;
	char		rows[1024];

	(void)state;
	/*
	 * Two reservations (400 + 100) from before the window, then at 00:03
	 * autoscale takes one to 300 (capacity 700) and no row after that:
	 * carried forward.
	 */
	snprintf(rows, sizeof rows,
	    "{\"f\":[{\"v\":\"%lld.0\"},{\"v\":\"400\"}]},"
	    "{\"f\":[{\"v\":\"%lld.0\"},{\"v\":\"100\"}]},"
	    "{\"f\":[{\"v\":\"%lld.0\"},{\"v\":\"400\"}]},"
	    "{\"f\":[{\"v\":\"%lld.0\"},{\"v\":\"300\"}]}",
	    (long long)DAY0, (long long)DAY0, (long long)(DAY0 + 180),
	    (long long)(DAY0 + 180));
	five_minutes(&s, rows);
	assert_int_equal(s.cap_kind, CAP_RESERVATION);
	/* The newest row before the window is the first minutes' capacity. */
	assert_true(s.m[0].capacity == 100);
	assert_true(s.m[1].capacity == 100);
	assert_true(s.m[2].capacity == 700);
	assert_true(s.m[4].capacity == 700);
	assert_true(s.cap_now == 700);
	/* Only 600 at 00:02 is above (100); 700 at 00:04 equals 700. */
	assert_int_equal(s.minutes_above, 1);
	assert_true(s.peak == 700);
	assert_true(s.peak_at == DAY0 + 240);
	assert_true(s.average == 380);
	assert_int_equal(s.pending_max, 7);
	assert_true(s.pending_max_at == DAY0 + 240);
	assert_int_equal(s.running_now, 5);
	assert_int_equal(s.pending_now, 0);
	slots_free(&s);
}

static void
test_capacity_on_demand_and_fixed(void **state)
{
	struct slots s;

	(void)state;
	five_minutes(&s, "");
	assert_int_equal(s.cap_kind, CAP_ON_DEMAND);
	assert_true(s.m[0].capacity == -1);
	assert_int_equal(s.minutes_above, 0);
	assert_string_equal(slot_capacity_name(s.cap_kind), "on-demand");
	slots_free(&s);

	five_minutes(&s, NULL);
	slots_set_capacity(&s, 500);
	slots_finish(&s);
	assert_int_equal(s.cap_kind, CAP_FIXED);
	assert_int_equal(s.minutes_above, 2);	/* 600 and 700 */
	slots_free(&s);
}

static void
test_consumers(void **state)
{
	struct slots	s;
	struct bq_table	t;
	struct buf	err = BUF_INIT;

	(void)state;
	slots_init(&s, DAY0 + 3600, 60);	/* one hour: 3.6e6 ms */
	table(&t,
	    "{\"name\":\"kind\",\"type\":\"STRING\"},"
	    "{\"name\":\"key\",\"type\":\"STRING\"},"
	    "{\"name\":\"user\",\"type\":\"STRING\"},"
	    "{\"name\":\"dag\",\"type\":\"STRING\"},"
	    "{\"name\":\"task\",\"type\":\"STRING\"},"
	    "{\"name\":\"slot_ms\",\"type\":\"INTEGER\"},"
	    "{\"name\":\"jobs\",\"type\":\"INTEGER\"},"
	    "{\"name\":\"bytes_processed\",\"type\":\"INTEGER\"},"
	    "{\"name\":\"bytes_billed\",\"type\":\"INTEGER\"}",
	    "{\"f\":[{\"v\":\"job\"},{\"v\":\"job_2\"},{\"v\":\"a@x\"},{\"v\":null},"
	    "{\"v\":null},{\"v\":\"3600000\"},{\"v\":\"1\"},{\"v\":\"10\"},{\"v\":\"10\"}]},"
	    "{\"f\":[{\"v\":\"dag\"},{\"v\":\"etl.load\"},{\"v\":null},{\"v\":\"etl\"},"
	    "{\"v\":\"load\"},{\"v\":\"7200000\"},{\"v\":\"4\"},{\"v\":\"5\"},{\"v\":\"6\"}]},"
	    "{\"f\":[{\"v\":\"total\"},{\"v\":null},{\"v\":null},{\"v\":null},"
	    "{\"v\":null},{\"v\":\"36000000\"},{\"v\":\"99\"},{\"v\":\"1099511627776\"},"
	    "{\"v\":\"2048\"}]},"
	    "{\"f\":[{\"v\":\"user\"},{\"v\":\"b@x\"},{\"v\":\"b@x\"},{\"v\":null},"
	    "{\"v\":null},{\"v\":\"1800000\"},{\"v\":\"2\"},{\"v\":null},{\"v\":null}]},"
	    "{\"f\":[{\"v\":\"user\"},{\"v\":\"a@x\"},{\"v\":\"a@x\"},{\"v\":null},"
	    "{\"v\":null},{\"v\":\"18000000\"},{\"v\":\"9\"},{\"v\":\"1\"},{\"v\":\"1\"}]},"
	    "{\"f\":[{\"v\":\"weird\"},{\"v\":\"x\"},{\"v\":null},{\"v\":null},"
	    "{\"v\":null},{\"v\":\"1\"},{\"v\":\"1\"},{\"v\":\"1\"},{\"v\":\"1\"}]}");
	assert_int_equal(slots_add_consumers(&s, &t, &err), 0);
	slots_finish(&s);
	assert_int_equal(s.nc, 4);	/* the unknown kind is left out */
	assert_true(s.slot_ms == 36000000);
	assert_int_equal(s.jobs, 99);
	assert_true(s.bytes_processed == INT64_C(1099511627776));
	/* Users first, most slot-ms first; then DAGs; then jobs. */
	assert_string_equal(s.c[0].key, "a@x");
	assert_true(s.c[0].avg_slots == 5.0);
	assert_true(s.c[0].share == 0.5);
	assert_string_equal(s.c[1].key, "b@x");
	assert_int_equal(s.c[1].bytes_processed, 0);
	assert_int_equal(s.c[2].kind, CONSUMER_DAG);
	assert_string_equal(s.c[2].dag, "etl");
	assert_string_equal(s.c[2].task, "load");
	assert_true(s.c[2].avg_slots == 2.0);
	assert_int_equal(s.c[3].kind, CONSUMER_JOB);
	assert_null(s.c[3].dag);
	bq_table_free(&t);
	slots_free(&s);
	buf_free(&err);
}

static void
test_buckets(void **state)
{
	struct slots	s;
	double		v[3], cap[3];
	int64_t		t[3];
	size_t		n;

	(void)state;
	five_minutes(&s, NULL);
	slots_set_capacity(&s, 500);
	/* 5 minutes in 3 columns: [0], [1,2], [3,4]; each its highest. */
	n = slots_buckets(&s, 3, v, cap, t);
	assert_int_equal(n, 3);
	assert_true(v[0] == 100 && v[1] == 600 && v[2] == 700);
	assert_true(cap[0] == 500);
	assert_true(t[1] == DAY0 + 120);
	/* More columns than minutes: one minute each. */
	assert_int_equal(slots_buckets(&s, 80, NULL, NULL, NULL), 5);
	slots_free(&s);
}

static void
test_sql(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	slots_sql_timeline(&b, "my-proj", "US", 1440);
	assert_true(strncmp(buf_str(&b), "-- dagtop:timeline\n", 19) == 0);
	assert_non_null(strstr(buf_str(&b),
	    "`my-proj`.`region-us`.INFORMATION_SCHEMA.JOBS_TIMELINE"));
	/* Script parents repeat their children's slots: left out. */
	assert_non_null(strstr(buf_str(&b), "statement_type != 'SCRIPT'"));
	assert_non_null(strstr(buf_str(&b), "statement_type IS NULL"));
	/* The partition column prunes, reaching back further. */
	assert_non_null(strstr(buf_str(&b), "job_creation_time >= "));
	assert_non_null(strstr(buf_str(&b), "INTERVAL 2880 MINUTE"));
	assert_non_null(strstr(buf_str(&b), "INTERVAL 1439 MINUTE"));
	buf_reset(&b);
	slots_sql_capacity(&b, "admin", "asia-northeast1", 60);
	assert_non_null(strstr(buf_str(&b),
	    "`admin`.`region-asia-northeast1`.INFORMATION_SCHEMA."
	    "RESERVATIONS_TIMELINE"));
	assert_non_null(strstr(buf_str(&b), "autoscale.current_slots"));
	buf_reset(&b);
	slots_sql_consumers(&b, "p", "EU", 60, 15);
	assert_non_null(strstr(buf_str(&b), "key = 'airflow-dag'"));
	assert_non_null(strstr(buf_str(&b), "key = 'airflow-task'"));
	assert_non_null(strstr(buf_str(&b), "LIMIT 15"));
	assert_non_null(strstr(buf_str(&b), "`region-eu`"));
	buf_free(&b);

	assert_true(bq_valid_project("my-proj-123"));
	assert_true(bq_valid_project("example.com:legacy"));
	assert_false(bq_valid_project("a`b"));
	assert_false(bq_valid_project("UPPER"));
	assert_false(bq_valid_project(""));
	assert_true(bq_valid_region("asia-northeast1"));
	assert_true(bq_valid_region("EU"));
	assert_false(bq_valid_region("us`; DROP"));
}

static void
test_bytes_and_pools(void **state)
{
	struct buf	b = BUF_INIT;
	struct af_pool	p = { NULL, 16, false, 3, 2, 4, 0 };

	(void)state;
	fmt_bytes(&b, 0);
	assert_string_equal(buf_str(&b), "0 B");
	buf_reset(&b);
	fmt_bytes(&b, 10485760);
	assert_string_equal(buf_str(&b), "10 MiB");
	buf_reset(&b);
	fmt_bytes(&b, 1536);
	assert_string_equal(buf_str(&b), "1.5 KiB");
	buf_free(&b);
	assert_int_equal(af_pool_used(&p), 5);
	p.include_deferred = true;
	assert_int_equal(af_pool_used(&p), 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_types),
		cmocka_unit_test(test_decode_int64_timestamps_and_sums),
		cmocka_unit_test(test_decode_pages),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_timeline_per_minute),
		cmocka_unit_test(test_timeline_missing_column),
		cmocka_unit_test(test_capacity_reservations),
		cmocka_unit_test(test_capacity_on_demand_and_fixed),
		cmocka_unit_test(test_consumers),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_bytes_and_pools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
