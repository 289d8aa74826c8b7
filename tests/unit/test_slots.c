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
#include "slots_src.h"

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

#define CAP_FIELDS "{\"name\":\"period_start\",\"type\":\"TIMESTAMP\"}," \
	"{\"name\":\"reservation_id\",\"type\":\"STRING\"}," \
	"{\"name\":\"edition\",\"type\":\"STRING\"}," \
	"{\"name\":\"baseline\",\"type\":\"INTEGER\"}," \
	"{\"name\":\"autoscale_current\",\"type\":\"INTEGER\"}," \
	"{\"name\":\"autoscale_max\",\"type\":\"INTEGER\"}," \
	"{\"name\":\"ignore_idle_slots\",\"type\":\"BOOLEAN\"}"

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
	/*
	 * 10:30:45 -> the window ends at 10:30:00: the current minute is
	 * partial and left out; the last minute is 10:29.
	 */
	slots_init(&s, DAY0 + 10 * 3600 + 30 * 60 + 45, 60);
	assert_int_equal(s.n, 60);
	assert_true(s.end == DAY0 + 10 * 3600 + 30 * 60);
	assert_true(s.start == s.end - 3600);
	assert_true(s.m[59].t == DAY0 + 10 * 3600 + 29 * 60);
	assert_true(s.m[0].capacity == -1);
	assert_int_equal(s.alert_minutes, 15);
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
	/* Now is 00:11:00 sharp: 00:01 .. 00:10, the minute 00:11 left out. */
	slots_init(&s, DAY0 + 660, 10);
	/*
	 * Per-second rows as JOBS_TIMELINE has them: 60 seconds of 1,000
	 * slot-ms in 00:05 (1 slot for the minute), 30 seconds of 4,000 in
	 * 00:06 (2 slots), one second before the window, one in the current
	 * (partial) minute 00:11, which must not count.
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

	slots_init(s, DAY0 + 360, 5);
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
		table(&t, CAP_FIELDS, caprows);
		assert_int_equal(slots_add_capacity(s, &t, &err), 0);
		bq_table_free(&t);
	}
	slots_finish(s);
	buf_free(&rows);
	buf_free(&err);
}

/* A row of the timeline answer: minute, reservation_id, slot_ms. */
static void
use_row(struct buf *rows, int64_t t, const char *resv, double slots)
{
	buf_printf(rows, "%s{\"f\":[{\"v\":\"%.10E\"},{\"v\":%s%s%s},"
	    "{\"v\":\"%.0f\"}]}", rows->len ? "," : "", (double)t,
	    resv ? "\"" : "", resv ? resv : "null", resv ? "\"" : "",
	    slots * 60000);
}

/* A row of the capacity answer (RESERVATIONS_TIMELINE). */
static void
cap_row(struct buf *rows, int64_t t, const char *resv, const char *edition,
    int baseline, int cur, int max, bool ignore_idle)
{
	buf_printf(rows, "%s{\"f\":[{\"v\":\"%.10E\"},{\"v\":\"%s\"},"
	    "{\"v\":\"%s\"},{\"v\":\"%d\"},{\"v\":\"%d\"},{\"v\":\"%d\"},"
	    "{\"v\":\"%s\"}]}", rows->len ? "," : "", (double)t, resv, edition,
	    baseline, cur, max, ignore_idle ? "true" : "false");
}

#define USE_FIELDS "{\"name\":\"minute\",\"type\":\"TIMESTAMP\"}," \
	"{\"name\":\"reservation_id\",\"type\":\"STRING\"}," \
	"{\"name\":\"slot_ms\",\"type\":\"INTEGER\"}"

static void
add_tables(struct slots *s, const struct buf *use, const struct buf *cap)
{
	struct bq_table	t;
	struct buf	err = BUF_INIT;

	table(&t, USE_FIELDS, buf_str(use));
	assert_int_equal(slots_add_timeline(s, &t, &err), 0);
	bq_table_free(&t);
	table(&t, CAP_FIELDS, buf_str(cap));
	assert_int_equal(slots_add_capacity(s, &t, &err), 0);
	bq_table_free(&t);
	buf_free(&err);
}

/*
 * 00:01..00:05: etl (baseline 300, autoscale max 100, borrows idle), bi
 * (baseline 200, ignores idle), an Enterprise Plus reservation nobody in
 * this project uses (idle, but of another edition: never lent to etl),
 * and on-demand usage.
 */
static void
three_reservations(struct slots *s, const char *only, int alert)
{
	struct buf	use = BUF_INIT, cap = BUF_INIT;
	static const double etl[] = { 100, 450, 500, 700, 50 };
	static const double bi[] = { 10, 10, 150, 10, 10 };
	static const double od[] = { 5, 900, 5, 5, 5 };
	int		i;

	slots_init(s, DAY0 + 360, 5);
	if (only != NULL)
		slots_only(s, only);
	if (alert > 0)
		s->alert_minutes = alert;
	for (i = 0; i < 5; i++) {
		int64_t t = DAY0 + 60 + 60 * i;

		use_row(&use, t, "adm:US.etl", etl[i]);
		use_row(&use, t, "adm:US.bi", bi[i]);
		use_row(&use, t, NULL, od[i]);
	}
	/* Before the window, carried in; autoscale at 00:04; bi at 00:01. */
	cap_row(&cap, DAY0, "adm:US.etl", "ENTERPRISE", 300, 0, 100, false);
	cap_row(&cap, DAY0, "adm:US.plus", "ENTERPRISE_PLUS", 1000, 0, 0,
	    false);
	cap_row(&cap, DAY0 + 60, "adm:US.bi", "ENTERPRISE", 200, 0, 0, true);
	cap_row(&cap, DAY0 + 240, "adm:US.etl", "ENTERPRISE", 300, 100, 100,
	    false);
	add_tables(s, &use, &cap);
	slots_finish(s);
	buf_free(&use);
	buf_free(&cap);
}

static void
test_reservations_join(void **state)
{
	struct slots		 s;
	const struct slot_resv	*etl, *bi, *od;

	(void)state;
	three_reservations(&s, NULL, 0);
	assert_int_equal(s.cap_kind, CAP_RESERVATION);
	etl = slots_resv(&s, "adm:US.etl");
	bi = slots_resv(&s, "adm:US.bi");
	od = slots_resv(&s, NULL);
	assert_non_null(etl);
	assert_non_null(bi);
	assert_non_null(od);
	/* Sorted by id, on-demand last. */
	assert_string_equal(s.r[0].id, "adm:US.bi");
	assert_null(s.r[s.nr - 1].id);
	/* Usage per reservation, not the whole project's. */
	near(etl->m[1].slots, 450);
	near(bi->m[2].slots, 150);
	near(od->m[1].slots, 900);
	near(s.m[1].slots, 1360);
	/*
	 * etl's ceiling: 300 + 100 + bi's idle (200 - its usage); plus is
	 * another edition.  00:02: 450 > 400 but < 590 (borrowed idle):
	 * not above.  00:03: bi busy, idle 50, ceiling 450 < 500: above.
	 * 00:04: 700 > 590: above.
	 */
	near(etl->m[1].idle, 190);
	near(etl->m[1].limit, 590);
	assert_false(etl->m[1].above);
	near(etl->m[2].limit, 450);
	assert_true(etl->m[2].above);
	assert_true(etl->m[3].above);
	assert_int_equal(etl->minutes_above, 2);
	assert_true(etl->last_above == DAY0 + 240);
	/* bi ignores idle slots: its ceiling is its baseline. */
	near(bi->m[2].idle, 0);
	near(bi->m[2].limit, 200);
	assert_int_equal(bi->minutes_above, 0);
	/* On-demand apart: 900 slots, no ceiling, never above. */
	near(od->m[1].limit, -1);
	assert_int_equal(od->minutes_above, 0);
	assert_int_equal(s.minutes_above, 2);
	assert_true(s.m[2].above == 1 && s.m[1].above == 0);
	/* The last minute's figures; autoscale carried forward from 00:04. */
	near(etl->now.autoscale, 100);
	near(etl->now.baseline, 300);
	near(etl->now.limit, 590);
	/* Peak is the busiest minute's average, per reservation and all. */
	near(etl->peak, 700);
	assert_true(etl->peak_at == DAY0 + 240);
	near(etl->average, 360);
	near(s.peak, 1360);
	assert_true(s.peak_at == DAY0 + 120);
	/* Only the reservations the project used are counted in the chart. */
	near(s.m[4].capacity, 790);
	assert_true(s.idle_rule);
	assert_non_null(strstr(slots_rule_text(&s), "idle slots"));
	assert_non_null(strstr(slots_rule_text(&s),
	    "baseline + autoscale max_slots"));
	slots_free(&s);
}

static void
test_reservations_alert_window(void **state)
{
	struct slots s;

	(void)state;
	/* Above at 00:03 and 00:04; the window ends at 00:06. */
	three_reservations(&s, NULL, 15);
	assert_int_equal(s.recent_above, 2);
	slots_free(&s);
	three_reservations(&s, NULL, 2);	/* 00:04 and 00:05 */
	assert_int_equal(s.recent_above, 1);
	assert_int_equal(slots_resv(&s, "adm:US.etl")->recent_above, 1);
	slots_free(&s);
	three_reservations(&s, NULL, 1);	/* 00:05 only */
	assert_int_equal(s.recent_above, 0);
	assert_int_equal(s.minutes_above, 2);
	slots_free(&s);
}

static void
test_reservation_named(void **state)
{
	struct slots s;

	(void)state;
	/* Only bi: etl's minutes above are not counted; no idle rule. */
	three_reservations(&s, "adm:US.bi", 0);
	assert_int_equal(s.minutes_above, 0);
	assert_int_equal(s.recent_above, 0);
	assert_false(s.idle_rule);
	assert_non_null(strstr(slots_rule_text(&s),
	    "ignore_idle_slots is true"));
	/* etl's idle slots are still worked out: it is read, not shown. */
	near(slots_resv(&s, "adm:US.etl")->m[1].limit, 590);
	near(s.m[0].capacity, 200);
	slots_free(&s);
}

/* Three hours; one minute above two hours ago, then maybe one just now. */
static void
test_alert_two_hours_ago(void **state)
{
	struct slots	s;
	struct buf	use = BUF_INIT, cap = BUF_INIT;
	int64_t		now = DAY0 + 3 * 3600 + 30;

	(void)state;
	slots_init(&s, now, 180);		/* 00:00 .. 02:59 */
	use_row(&use, DAY0 + 3600, "a:EU.r", 150);	/* 01:00 */
	use_row(&use, DAY0 + 3 * 3600, "a:EU.r", 999);	/* now: partial */
	cap_row(&cap, DAY0, "a:EU.r", "STANDARD", 100, 0, 0, true);
	add_tables(&s, &use, &cap);
	slots_finish(&s);
	assert_int_equal(s.minutes_above, 1);
	assert_int_equal(s.recent_above, 0);
	/* The partial minute's 999 slots count nowhere. */
	assert_true(s.peak == 150);
	slots_free(&s);

	buf_reset(&use);
	slots_init(&s, now, 180);
	use_row(&use, DAY0 + 3600, "a:EU.r", 150);
	use_row(&use, DAY0 + 3 * 3600 - 600, "a:EU.r", 101);	/* 02:50 */
	add_tables(&s, &use, &cap);
	slots_finish(&s);
	assert_int_equal(s.minutes_above, 2);
	assert_int_equal(s.recent_above, 1);
	slots_free(&s);
	buf_free(&use);
	buf_free(&cap);
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
	bool		hot[3];
	size_t		n;

	(void)state;
	five_minutes(&s, NULL);
	slots_set_capacity(&s, 500);
	/* 5 minutes in 3 columns: [0], [1,2], [3,4]; each its highest. */
	n = slots_buckets(&s, 3, v, cap, t, hot);
	assert_int_equal(n, 3);
	assert_true(v[0] == 100 && v[1] == 600 && v[2] == 700);
	assert_true(!hot[0] && hot[1] && hot[2]);
	assert_true(cap[0] == 500);
	assert_true(t[1] == DAY0 + 120);
	/* More columns than minutes: one minute each. */
	assert_int_equal(slots_buckets(&s, 80, NULL, NULL, NULL, NULL), 5);
	slots_free(&s);
}

/*
 * One statement over a jobs view with a past window: every bound a query
 * parameter, the partition column bounded too, nothing from the clock.
 */
static void
assert_window_jobs(const char *sql)
{
	assert_null(strstr(sql, "CURRENT_TIMESTAMP"));
	assert_non_null(strstr(sql, "period_start >= @window_start\n"
	    "  AND period_start < @window_end"));
	assert_non_null(strstr(sql, "job_creation_time >= "
	    "TIMESTAMP_SUB(@window_start, INTERVAL 1440 MINUTE)"));
	assert_non_null(strstr(sql, "job_creation_time < @window_end"));
}

static void
test_sql(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	slots_sql_timeline(&b, "my-proj", "US", 1440, JOBS_VIEW_PROJECT,
	    "my-proj");
	assert_true(strncmp(buf_str(&b), "-- dagtop:timeline\n", 19) == 0);
	assert_non_null(strstr(buf_str(&b),
	    "`my-proj`.`region-us`.INFORMATION_SCHEMA.JOBS_TIMELINE"));
	/* Script parents repeat their children's slots: left out. */
	assert_non_null(strstr(buf_str(&b), "statement_type != 'SCRIPT'"));
	assert_non_null(strstr(buf_str(&b), "statement_type IS NULL"));
	/* The partition column prunes, reaching back further. */
	assert_non_null(strstr(buf_str(&b), "job_creation_time >= "));
	assert_non_null(strstr(buf_str(&b), "INTERVAL 2880 MINUTE"));
	assert_non_null(strstr(buf_str(&b), "INTERVAL 1440 MINUTE"));
	/* The current, partial minute is left out; per reservation. */
	assert_non_null(strstr(buf_str(&b),
	    "period_start < TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), MINUTE)"));
	assert_non_null(strstr(buf_str(&b), "GROUP BY minute, reservation_id"));
	assert_null(strstr(buf_str(&b), "BY_ORGANIZATION"));
	buf_reset(&b);
	slots_sql_timeline(&b, "my-proj", "US", 60, JOBS_VIEW_ORGANIZATION,
	    "admin-p");
	assert_non_null(strstr(buf_str(&b),
	    "`my-proj`.`region-us`.INFORMATION_SCHEMA."
	    "JOBS_TIMELINE_BY_ORGANIZATION"));
	assert_non_null(strstr(buf_str(&b), "project_id = 'my-proj'"));
	assert_non_null(strstr(buf_str(&b),
	    "STARTS_WITH(IFNULL(reservation_id, ''), 'admin-p:')"));
	buf_reset(&b);
	slots_sql_capacity(&b, "admin", "asia-northeast1", 60);
	assert_non_null(strstr(buf_str(&b),
	    "`admin`.`region-asia-northeast1`.INFORMATION_SCHEMA."
	    "RESERVATIONS_TIMELINE"));
	assert_non_null(strstr(buf_str(&b), "autoscale.current_slots"));
	assert_non_null(strstr(buf_str(&b), "autoscale.max_slots"));
	assert_non_null(strstr(buf_str(&b), "ignore_idle_slots"));
	assert_non_null(strstr(buf_str(&b), "reservation_id"));
	buf_reset(&b);
	slots_sql_consumers(&b, "p", "EU", 60, 15);
	assert_non_null(strstr(buf_str(&b), "key = 'airflow-dag'"));
	assert_non_null(strstr(buf_str(&b), "key = 'airflow-task'"));
	assert_non_null(strstr(buf_str(&b), "LIMIT 15"));
	assert_non_null(strstr(buf_str(&b), "`region-eu`"));
	/*
	 * A past window (the digest's week): every bound is a query
	 * parameter, nothing is counted from the current time.
	 */
	buf_reset(&b);
	slots_sql_timeline(&b, "p", "US", SLOTS_SQL_WINDOW, JOBS_VIEW_PROJECT,
	    "p");
	assert_window_jobs(buf_str(&b));
	buf_reset(&b);
	slots_sql_consumers(&b, "p", "US", SLOTS_SQL_WINDOW, 15);
	assert_window_jobs(buf_str(&b));
	/* Capacity: a day back, for the row that carries into the window. */
	buf_reset(&b);
	slots_sql_capacity(&b, "p", "US", SLOTS_SQL_WINDOW);
	assert_null(strstr(buf_str(&b), "CURRENT_TIMESTAMP"));
	assert_non_null(strstr(buf_str(&b), "WHERE period_start >= "
	    "TIMESTAMP_SUB(@window_start, INTERVAL 1440 MINUTE)\n"
	    "  AND period_start < @window_end\nORDER BY"));
	buf_free(&b);

	assert_true(bq_valid_project("my-proj-123"));
	assert_true(bq_valid_project("example.com:legacy"));
	assert_false(bq_valid_project("a`b"));
	assert_false(bq_valid_project("UPPER"));
	assert_false(bq_valid_project(""));
	assert_true(bq_valid_region("asia-northeast1"));
	assert_true(bq_valid_region("EU"));
	assert_false(bq_valid_region("us`; DROP"));
	assert_true(bq_valid_reservation("admin-project:US.etl_prod"));
	assert_true(bq_valid_reservation("example.com:adm:asia-northeast1.r-1"));
	assert_false(bq_valid_reservation("admin-project.US.etl"));
	assert_false(bq_valid_reservation("admin-project:US."));
	assert_false(bq_valid_reservation(":US.etl"));
	assert_false(bq_valid_reservation("adm:US.e'tl"));
	assert_false(bq_valid_reservation("adm:U S.etl"));
}

/* A past window under a whole minute is refused, not made the last hours. */
static void
test_short_window(void **state)
{
	struct slots_options	o;
	struct buf		err = BUF_INIT;

	(void)state;
	memset(&o, 0, sizeof o);
	o.project = "p";
	o.location = "US";
	o.hours = 24;
	o.from = 1800000000;
	o.until = o.from + 59;
	assert_null(slots_src_new(NULL, &o, 0, &err));
	assert_string_equal(buf_str(&err),
	    "the BigQuery slots window is shorter than a whole minute");
	buf_free(&err);
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
		cmocka_unit_test(test_reservations_join),
		cmocka_unit_test(test_reservations_alert_window),
		cmocka_unit_test(test_reservation_named),
		cmocka_unit_test(test_alert_two_hours_ago),
		cmocka_unit_test(test_capacity_on_demand_and_fixed),
		cmocka_unit_test(test_consumers),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_short_window),
		cmocka_unit_test(test_bytes_and_pools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
