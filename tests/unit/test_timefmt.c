/*
 * test_timefmt.c: durations, instants in a zone, spans and ISO 8601 instants
 * (src/model/timefmt.c, with zones from src/model/tz.c).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"
#include "timefmt.h"
#include "tz.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* 2026-11-22T01:02:03Z */
#define T0 INT64_C(1795309323)

static void
check_duration(double seconds, const char *want)
{
	struct buf b = BUF_INIT;

	fmt_duration(&b, seconds);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("fmt_duration(%.17g) = \"%s\", want \"%s\"", seconds,
		    buf_str(&b), want);
	buf_free(&b);
}

static void
test_fmt_duration(void **state)
{
	(void)state;
	check_duration(0, "0s");
	check_duration(0.4, "0s");
	check_duration(0.5, "1s");
	check_duration(45, "45s");
	check_duration(59.4, "59s");
	check_duration(59.5, "1m00s");
	check_duration(60, "1m00s");
	check_duration(185, "3m05s");
	check_duration(3599, "59m59s");
	check_duration(3599.5, "1h00m");
	check_duration(3600, "1h00m");
	check_duration(3661, "1h01m");
	check_duration(3720, "1h02m");
	check_duration(86399, "23h59m");
	check_duration(86399.5, "1d00h");
	check_duration(86400, "1d00h");
	check_duration(90061, "1d01h");
	check_duration(183600, "2d03h");
	/* Huge but finite: still two units. */
	check_duration(1e9, "11574d01h");
	check_duration(1e15, "11574074074d01h");
}

static void
test_fmt_duration_not_a_duration(void **state)
{
	(void)state;
	check_duration(-1, "-");
	check_duration(-0.4, "-");
	check_duration(-86400, "-");
	check_duration(NAN, "-");
	check_duration(-NAN, "-");
	check_duration(-INFINITY, "-");
	/* Beyond what an int64_t of seconds holds: no undefined conversion. */
	check_duration(INFINITY, "-");
	check_duration(1e300, "-");
	check_duration(9.3e18, "-");
}

static void
test_fmt_duration_appends(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "every ");
	fmt_duration(&b, 5400);
	buf_puts(&b, ", ");
	fmt_duration(&b, -1);
	assert_string_equal(buf_str(&b), "every 1h30m, -");
	buf_free(&b);
}

static struct tz *
zone(const char *spec)
{
	struct buf	 err = BUF_INIT;
	struct tz	*z = tz_parse_posix(spec, &err);

	if (z == NULL)
		fail_msg("tz_parse_posix(%s): %s", spec, buf_str(&err));
	buf_free(&err);
	return z;
}

static void
check_time(const struct tz *z, int64_t t, enum fmt_time_style style,
    const char *want)
{
	struct buf b = BUF_INIT;

	fmt_time(&b, z, t, style);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("fmt_time(%s, %lld, %d) = \"%s\", want \"%s\"",
		    tz_name(z), (long long)t, (int)style, buf_str(&b), want);
	buf_free(&b);
}

static void
test_fmt_time_utc(void **state)
{
	const struct tz *utc = tz_utc();

	(void)state;
	check_time(utc, T0, FMT_ISO, "2026-11-22T01:02:03Z");
	check_time(utc, T0, FMT_LONG, "2026-11-22 01:02:03 UTC");
	check_time(utc, T0, FMT_SHORT, "11-22 01:02");
	check_time(utc, T0, FMT_CLOCK, "01:02:03");
	check_time(utc, 0, FMT_ISO, "1970-01-01T00:00:00Z");
	check_time(utc, -1, FMT_ISO, "1969-12-31T23:59:59Z");
	check_time(utc, 951825600, FMT_LONG, "2000-02-29 12:00:00 UTC");
}

static void
test_fmt_time_jst(void **state)
{
	struct tz *jst = zone("JST-9");

	(void)state;
	check_time(jst, T0, FMT_ISO, "2026-11-22T10:02:03+09:00");
	check_time(jst, T0, FMT_LONG, "2026-11-22 10:02:03 JST");
	check_time(jst, T0, FMT_SHORT, "11-22 10:02");
	check_time(jst, T0, FMT_CLOCK, "10:02:03");
	/* The local date moves past midnight. */
	check_time(jst, INT64_C(1783182645), FMT_ISO,
	    "2026-07-05T01:30:45+09:00");
	check_time(jst, -1, FMT_LONG, "1970-01-01 08:59:59 JST");
	tz_free(jst);
}

static void
test_fmt_time_new_york_rules(void **state)
{
	struct tz *ny = zone("EST5EDT,M3.2.0,M11.1.0");

	(void)state;
	/* Winter. */
	check_time(ny, T0, FMT_ISO, "2026-11-21T20:02:03-05:00");
	check_time(ny, T0, FMT_LONG, "2026-11-21 20:02:03 EST");
	check_time(ny, T0, FMT_SHORT, "11-21 20:02");
	check_time(ny, T0, FMT_CLOCK, "20:02:03");
	/* Summer. */
	check_time(ny, INT64_C(1783182645), FMT_ISO,
	    "2026-07-04T12:30:45-04:00");
	check_time(ny, INT64_C(1783182645), FMT_LONG,
	    "2026-07-04 12:30:45 EDT");
	check_time(ny, INT64_C(1783182645), FMT_SHORT, "07-04 12:30");
	check_time(ny, INT64_C(1783182645), FMT_CLOCK, "12:30:45");
	/* Spring forward, 2026-03-08 02:00 EST. */
	check_time(ny, INT64_C(1772953199), FMT_LONG,
	    "2026-03-08 01:59:59 EST");
	check_time(ny, INT64_C(1772953200), FMT_LONG,
	    "2026-03-08 03:00:00 EDT");
	/* Fall back, 2026-11-01 02:00 EDT: 01:xx twice. */
	check_time(ny, INT64_C(1793512799), FMT_ISO,
	    "2026-11-01T01:59:59-04:00");
	check_time(ny, INT64_C(1793512800), FMT_ISO,
	    "2026-11-01T01:00:00-05:00");
	tz_free(ny);
}

static void
test_fmt_time_half_hour_offsets(void **state)
{
	struct tz *india = zone("<+0530>-5:30");
	struct tz *newfoundland = zone("<-0330>3:30");

	(void)state;
	check_time(india, T0, FMT_ISO, "2026-11-22T06:32:03+05:30");
	check_time(india, T0, FMT_LONG, "2026-11-22 06:32:03 +0530");
	check_time(newfoundland, T0, FMT_ISO, "2026-11-21T21:32:03-03:30");
	check_time(newfoundland, T0, FMT_CLOCK, "21:32:03");
	tz_free(india);
	tz_free(newfoundland);
}

static void
test_fmt_time_none(void **state)
{
	struct tz	*jst = zone("JST-9");
	struct tz	*ny = zone("EST5EDT,M3.2.0,M11.1.0");
	const struct tz	*zones[3];
	size_t		 i;
	int		 style;

	(void)state;
	zones[0] = tz_utc();
	zones[1] = jst;
	zones[2] = ny;
	for (i = 0; i < NELEM(zones); i++)
		for (style = FMT_ISO; style <= FMT_CLOCK; style++)
			check_time(zones[i], TIME_NONE, style, "-");
	tz_free(jst);
	tz_free(ny);
}

static void
check_span(const char *s, int64_t want)
{
	int64_t v = -12345;

	if (parse_span(s, &v) != 0)
		fail_msg("parse_span(\"%s\") refused", s);
	if (v != want)
		fail_msg("parse_span(\"%s\") = %lld, want %lld", s,
		    (long long)v, (long long)want);
}

static void
check_span_refused(const char *s)
{
	int64_t v = -12345;

	if (parse_span(s, &v) != -1)
		fail_msg("parse_span(\"%s\") accepted as %lld", s,
		    (long long)v);
	assert_int_equal(v, -12345);	/* untouched */
}

static void
test_parse_span(void **state)
{
	(void)state;
	check_span("90s", 90);
	check_span("30m", 1800);
	check_span("24h", 86400);
	check_span("7d", 604800);
	check_span("2w", 1209600);
	check_span("1h30m", 5400);
	check_span("1d12h", 129600);
	check_span("1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5);
	check_span("3600", 3600);
	check_span("0", 0);
	check_span("0s", 0);
	check_span("007m", 420);
}

static void
test_parse_span_refused(void **state)
{
	static const char *const bad[] = {
		"", "h", "m5", "-5m", "+5m", " 5m", "5m ", "5 m", "1x", "5M",
		"5ms", "1h30", "1h30s5", "1.5h", "1e3", "1h-30m",
		"99999999999999999999s", "9223372036854775807",
		"99999999999999999999999w", "1000000000000w",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		check_span_refused(bad[i]);
	check_span_refused(NULL);
}

/*
 * The rule behind refusing "1h30" (timefmt.c: "ambiguous"): a bare number
 * is seconds only when it is the whole span.  A zero first part does not
 * make the trailing number any less ambiguous.
 */
static void
test_parse_span_bare_number_after_zero_unit(void **state)
{
	(void)state;
	check_span_refused("0h30");
	check_span_refused("0m5");
}

static void
check_iso(const char *s, int64_t want)
{
	int64_t v = -12345;

	if (parse_iso_time(s, &v) != 0)
		fail_msg("parse_iso_time(\"%s\") refused", s);
	if (v != want)
		fail_msg("parse_iso_time(\"%s\") = %lld, want %lld", s,
		    (long long)v, (long long)want);
}

static void
check_iso_refused(const char *s)
{
	int64_t v = -12345;

	if (parse_iso_time(s, &v) != -1)
		fail_msg("parse_iso_time(\"%s\") accepted as %lld", s,
		    (long long)v);
	assert_int_equal(v, -12345);
}

static void
test_parse_iso_time(void **state)
{
	(void)state;
	check_iso("2026-11-22T01:02:03Z", T0);
	check_iso("2026-11-22T01:02:03z", T0);
	check_iso("2026-11-22T10:02:03+09:00", T0);
	check_iso("2026-11-22T10:02:03+0900", T0);
	check_iso("2026-11-21T19:32:03-0530", T0);
	check_iso("2026-11-21T19:32:03-05:30", T0);
	check_iso("2026-11-22T01:02:03+00:00", T0);
	check_iso("2026-11-22T01:02:03-00:00", T0);
	/* Fractional seconds are dropped, with either separator. */
	check_iso("2026-11-22T01:02:03.123456Z", T0);
	check_iso("2026-11-22T01:02:03.999999+00:00", T0);
	check_iso("2026-11-22T01:02:03,5Z", T0);
	/* PostgreSQL's own output: a space, and an hour-only offset. */
	check_iso("2026-11-22 01:02:03+00", T0);
	check_iso("2026-11-22 10:02:03.5+09", T0);
	check_iso("2026-11-22 01:02:03.123456+00", T0);
	/* Without seconds, without an offset (UTC). */
	check_iso("2026-11-22T01:02Z", T0 - 3);
	check_iso("2026-11-22T01:02:03", T0);
	/* A plain date is midnight UTC. */
	check_iso("2026-11-22", INT64_C(1795305600));
	check_iso("1970-01-01", 0);
	check_iso("1970-01-01T00:00:00Z", 0);
	check_iso("1969-12-31T23:59:59Z", -1);
	check_iso("2000-02-29T12:00:00Z", INT64_C(951825600));
	check_iso("2024-02-29", INT64_C(1709164800));
	check_iso("2026-12-31T23:59:59+00:00", INT64_C(1798761599));
}

static void
test_parse_iso_time_refused(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-11", "2026-11-2", "26-11-22", "2026/11/22",
		"20261122", "2026-13-01", "2026-00-10", "2026-11-00",
		"2026-11-32", "2026-1-22", "2026-11-22T", "2026-11-22T10",
		"2026-11-22T1:02:03Z", "2026-11-22T10:2:03Z",
		"2026-11-22T25:00:00Z", "2026-11-22T10:60:00Z",
		"2026-11-22T10:00:61Z", "2026-11-22T01:02:03+9",
		"2026-11-22T01:02:03 Z", "2026-11-22T01:02:03Zjunk",
		"2026-11-22T01:02:03+09:00:00", "2026-11-22T01:02:03+09:0",
		"2026-11-22T01:02:03.Z5", "2026-11-22x", "2026-11-22 ",
		" 2026-11-22", "yesterday", "2026-11-22T01:02:03UTC",
		"2026-11-22t01:02:03Z", "2026-11-22T01.5Z",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++)
		check_iso_refused(bad[i]);
	check_iso_refused(NULL);
}

/*
 * Dates that do not exist are not instants; the parser must not move them
 * silently to another day (2026-02-30 is not 2026-03-02).
 */
static void
test_parse_iso_time_impossible_dates(void **state)
{
	(void)state;
	check_iso_refused("2026-02-30");
	check_iso_refused("2026-04-31T12:00:00Z");
	/* 2026 is no leap year, nor is 1900. */
	check_iso_refused("2026-02-29T00:00:00Z");
	check_iso_refused("1900-02-29");
}

/* Hour 24 exists only as 24:00:00, the end of the day; 24:30 is no time. */
static void
test_parse_iso_time_hour_24(void **state)
{
	(void)state;
	check_iso("2026-11-22T24:00:00Z", INT64_C(1795305600) + 86400);
	check_iso_refused("2026-11-22T24:30:00Z");
	check_iso_refused("2026-11-22T24:00:01Z");
}

/* An offset is hh, hhmm or hh:mm within a day; "+09:" is none of them. */
static void
test_parse_iso_time_malformed_offset(void **state)
{
	(void)state;
	check_iso_refused("2026-11-22T10:02:03+09:");
	check_iso_refused("2026-11-22T10:02:03+99:99");
	check_iso_refused("2026-11-22T10:02:03+0960");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_duration),
		cmocka_unit_test(test_fmt_duration_not_a_duration),
		cmocka_unit_test(test_fmt_duration_appends),
		cmocka_unit_test(test_fmt_time_utc),
		cmocka_unit_test(test_fmt_time_jst),
		cmocka_unit_test(test_fmt_time_new_york_rules),
		cmocka_unit_test(test_fmt_time_half_hour_offsets),
		cmocka_unit_test(test_fmt_time_none),
		cmocka_unit_test(test_parse_span),
		cmocka_unit_test(test_parse_span_refused),
		cmocka_unit_test(test_parse_span_bare_number_after_zero_unit),
		cmocka_unit_test(test_parse_iso_time),
		cmocka_unit_test(test_parse_iso_time_refused),
		cmocka_unit_test(test_parse_iso_time_impossible_dates),
		cmocka_unit_test(test_parse_iso_time_hour_24),
		cmocka_unit_test(test_parse_iso_time_malformed_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
