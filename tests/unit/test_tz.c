/*
 * test_tz.c: unit tests for src/model/tz.c and src/source/zoneinfo.c.
 * Real zones are checked against glibc localtime_r (setting TZ is allowed
 * here, never in dagtop itself); POSIX strings, gaps and folds, malformed
 * TZif data and calendar arithmetic against exact values.
 */
#include <sys/stat.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "tz.h"
#include "zoneinfo.h"

/* Where the loaders add their message: emptied before each call. */
static struct buf tz_err = BUF_INIT;

static struct buf *
fresh_err(void)
{
	buf_reset(&tz_err);
	return &tz_err;
}

#define T_1900		INT64_C(-2208988800)	/* 1900-01-01T00:00:00Z */
#define T_2101		INT64_C(4133980800)	/* 2101-01-01T00:00:00Z */
#define T_2026		INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */
#define DAY		INT64_C(86400)
#define NY_FILE		"/usr/share/zoneinfo/America/New_York"

/* --- helpers ------------------------------------------------------------ */

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
use_glibc_zone(const char *tzvalue)
{
	if (tzvalue == NULL)
		unsetenv("TZ");
	else
		setenv("TZ", tzvalue, 1);
	tzset();
}

/* 1 if tz_localtime agrees with glibc's localtime_r in every field. */
static int
same_as_glibc(const struct tz *z, int64_t t)
{
	struct tz_local l;
	struct tm tm;
	time_t tt = (time_t)t;

	tz_localtime(z, t, &l);
	if (localtime_r(&tt, &tm) == NULL) {
		print_error("glibc localtime_r failed at %lld\n",
		    (long long)t);
		return 0;
	}
	if (l.year == tm.tm_year + 1900 && l.mon == tm.tm_mon + 1 &&
	    l.mday == tm.tm_mday && l.hour == tm.tm_hour &&
	    l.min == tm.tm_min && l.sec == tm.tm_sec &&
	    l.wday == tm.tm_wday && l.yday == tm.tm_yday &&
	    l.utoff == tm.tm_gmtoff && l.isdst == (tm.tm_isdst > 0) &&
	    strcmp(l.abbr, tm.tm_zone) == 0)
		return 1;
	print_error("%s at %lld: ours %04d-%02d-%02d %02d:%02d:%02d wday %d "
	    "yday %d off %d dst %d %s; glibc %04d-%02d-%02d "
	    "%02d:%02d:%02d wday %d yday %d off %ld dst %d %s\n",
	    tz_name(z), (long long)t, l.year, l.mon, l.mday, l.hour, l.min,
	    l.sec, l.wday, l.yday, l.utoff, l.isdst, l.abbr,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday, tm.tm_gmtoff,
	    tm.tm_isdst, tm.tm_zone);
	return 0;
}

/* What glibc shows at t, as one comparable key. */
static void
glibc_key(int64_t t, char *key, size_t keylen)
{
	struct tm tm;
	time_t tt = (time_t)t;

	assert_non_null(localtime_r(&tt, &tm));
	snprintf(key, keylen, "%ld/%d/%s", tm.tm_gmtoff, tm.tm_isdst > 0,
	    tm.tm_zone);
}

/* tz_mktime on a wall time given as seconds since 1970 "as if UTC". */
static int64_t
mktime_wall(const struct tz *z, int64_t wall)
{
	int64_t days = wall / DAY, secs;
	int y, m, d;

	if (wall % DAY < 0)
		days--;
	secs = wall - days * DAY;
	tz_civil_from_days(days, &y, &m, &d);
	return tz_mktime(z, y, m, d, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60));
}

/*
 * tz_mktime(tz_localtime(t)) gives t back, or, when that wall time occurs
 * twice, the earlier instant showing the same wall time.
 */
static void
check_roundtrip(const struct tz *z, int64_t t)
{
	struct tz_local l, r;
	int64_t back;

	tz_localtime(z, t, &l);
	back = tz_mktime(z, l.year, l.mon, l.mday, l.hour, l.min, l.sec);
	if (back == t)
		return;
	tz_localtime(z, back, &r);
	if (back > t || t + l.utoff != back + r.utoff) {
		print_error("%s: %lld -> %04d-%02d-%02d %02d:%02d:%02d -> "
		    "%lld\n", tz_name(z), (long long)t, l.year, l.mon,
		    l.mday, l.hour, l.min, l.sec, (long long)back);
		fail();
	}
}

static int64_t *
collect_transitions(const struct tz *z, int64_t from, int64_t to,
    size_t *count)
{
	int64_t *list = NULL, t = from, next;
	size_t n = 0, cap = 0;

	while (tz_next_transition(z, t, &next) && next < to) {
		assert_true(next > t);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			list = xreallocarray(list, cap, sizeof *list);
		}
		list[n++] = next;
		t = next;
	}
	*count = n;
	return list;
}

static int
in_list(const int64_t *list, size_t n, int64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (list[mid] == t)
			return 1;
		if (list[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * At a transition T from offset a to b with no other transition within two
 * days: in a gap (b > a) a nonexistent wall time w maps to w - a; in a fold
 * (b < a) an ambiguous wall time maps to the earlier instant, w - a.
 */
static void
check_gap_or_fold(const struct tz *z, int64_t T)
{
	struct tz_local before, after;
	int64_t d, wall;

	tz_localtime(z, T - 1, &before);
	tz_localtime(z, T, &after);
	d = after.utoff - before.utoff;
	if (d > 0) {
		wall = T + before.utoff;		/* first missing second */
		assert_int_equal(mktime_wall(z, wall), T);
		wall = T + before.utoff + d / 2;	/* middle of the gap */
		assert_int_equal(mktime_wall(z, wall), T + d / 2);
		wall = T + before.utoff - 1;		/* last second before */
		assert_int_equal(mktime_wall(z, wall), T - 1);
	} else if (d < 0) {
		wall = T + after.utoff - d / 2;		/* inside the fold */
		assert_int_equal(mktime_wall(z, wall), T + d - d / 2);
		wall = T + after.utoff;			/* fold's first second */
		assert_int_equal(mktime_wall(z, wall), T + d);
		wall = T + before.utoff - 1;		/* fold's last second */
		assert_int_equal(mktime_wall(z, wall), T - 1);
		wall = T + before.utoff;		/* just after the fold */
		assert_int_equal(mktime_wall(z, wall), T - d);
	}
}

static unsigned char *
read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long size;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	data = xmalloc((size_t)size);
	assert_int_equal(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return data;
}

static void
assert_local(const struct tz *z, int64_t t, int year, int mon, int mday,
    int hour, int min, int sec, int utoff, int isdst, const char *abbr)
{
	struct tz_local l;

	tz_localtime(z, t, &l);
	assert_int_equal(l.year, year);
	assert_int_equal(l.mon, mon);
	assert_int_equal(l.mday, mday);
	assert_int_equal(l.hour, hour);
	assert_int_equal(l.min, min);
	assert_int_equal(l.sec, sec);
	assert_int_equal(l.utoff, utoff);
	assert_int_equal(l.isdst, isdst);
	assert_string_equal(l.abbr, abbr);
}

/* --- real zones against glibc ------------------------------------------- */

/*
 * Compares a zone with glibc over 1900-2100 (after 2037 the footer rule is
 * in charge), at +-1 s around each of our transitions, and checks that
 * every change glibc shows is one of our transitions.
 */
static void
test_zone_against_glibc(void **state)
{
	const char *zone = *state;
	struct tz *z;
	char tzvalue[128], ka[64], kb[64], kc[64];
	int64_t *trans, t, a, b, c;
	uint64_t rng = 42;
	size_t ntrans, i, samples = 0;

	unsetenv("TZDIR");
	z = zoneinfo_load(zone, fresh_err());
	if (z == NULL)
		fail_msg("%s: %s", zone, buf_str(&tz_err));
	assert_string_equal(tz_name(z), zone);
	snprintf(tzvalue, sizeof tzvalue, ":%s", zone);
	use_glibc_zone(tzvalue);

	/* A grid every 3 days and an hour, and random instants. */
	for (t = T_1900; t < T_2101; t += 3 * DAY + 3607) {
		assert_true(same_as_glibc(z, t));
		check_roundtrip(z, t);
		samples++;
	}
	for (i = 0; i < 5000; i++) {
		t = T_1900 + (int64_t)(splitmix64(&rng) %
		    (uint64_t)(T_2101 - T_1900));
		assert_true(same_as_glibc(z, t));
		check_roundtrip(z, t);
		samples++;
	}

	trans = collect_transitions(z, T_1900 - 1, T_2101, &ntrans);
	assert_true(ntrans > 0);
	for (i = 0; i < ntrans; i++) {
		for (t = trans[i] - 1; t <= trans[i] + 1; t++) {
			assert_true(same_as_glibc(z, t));
			check_roundtrip(z, t);
			samples++;
		}
		if ((i == 0 || trans[i] - trans[i - 1] > 2 * DAY) &&
		    (i + 1 == ntrans || trans[i + 1] - trans[i] > 2 * DAY))
			check_gap_or_fold(z, trans[i]);
	}

	/* Every change glibc shows must be one of ours. */
	for (a = T_1900; a < T_2101; a = b) {
		b = a + 2 * DAY + 1;
		glibc_key(a, ka, sizeof ka);
		glibc_key(b, kb, sizeof kb);
		if (strcmp(ka, kb) == 0)
			continue;
		/* Bisect to c with key(c - 1) == key(a) != key(c). */
		while (b - a > 1) {
			c = a + (b - a) / 2;
			glibc_key(c, kc, sizeof kc);
			if (strcmp(kc, ka) == 0)
				a = c;
			else
				b = c;
		}
		if (!in_list(trans, ntrans, b))
			fail_msg("%s: glibc changes at %lld, we do not", zone,
			    (long long)b);
	}
	print_message("%s: %zu instants, %zu transitions\n", zone, samples,
	    ntrans);
	free(trans);
	tz_free(z);
	use_glibc_zone(NULL);
}

/*
 * right/ zones count leap seconds; their transitions must land on the same
 * POSIX instants as the plain zone's.  Their footer is empty (a TZ string
 * cannot count leap seconds), so their rules end with the table, in 2026
 * for tzdata 2025b; the comparison stops at 2026.
 */
static void
test_leap_second_zone(void **state)
{
	struct tz *plain, *right;
	struct tz_local lp, lr;
	int64_t t;

	(void)state;
	unsetenv("TZDIR");
	if (access("/usr/share/zoneinfo/right/America/New_York", R_OK) != 0) {
		print_message("no right/ zones installed, skipped\n");
		skip();
	}
	plain = zoneinfo_load("America/New_York", fresh_err());
	right = zoneinfo_load("right/America/New_York", fresh_err());
	assert_non_null(plain);
	assert_non_null(right);
	for (t = T_1900; t < T_2026; t += 5 * DAY + 1) {
		tz_localtime(plain, t, &lp);
		tz_localtime(right, t, &lr);
		assert_memory_equal(&lp, &lr, sizeof lp);
	}
	/* 2016-03-13 07:00 UTC: New York springs forward. */
	assert_local(right, INT64_C(1457852399), 2016, 3, 13, 1, 59, 59,
	    -18000, 0, "EST");
	assert_local(right, INT64_C(1457852400), 2016, 3, 13, 3, 0, 0,
	    -14400, 1, "EDT");
	tz_free(plain);
	tz_free(right);
}

/* --- New York gap and fold ---------------------------------------------- */

static void
test_new_york_2026(void **state)
{
	struct tz *ny;
	int64_t next;

	(void)state;
	unsetenv("TZDIR");
	ny = zoneinfo_load("America/New_York", fresh_err());
	assert_non_null(ny);

	/* Spring forward, 2026-03-08: 02:00 EST becomes 03:00 EDT. */
	assert_int_equal(tz_next_transition(ny, T_2026, &next), 1);
	assert_int_equal(next, INT64_C(1772953200));
	assert_local(ny, INT64_C(1772953199), 2026, 3, 8, 1, 59, 59, -18000,
	    0, "EST");
	assert_local(ny, INT64_C(1772953200), 2026, 3, 8, 3, 0, 0, -14400,
	    1, "EDT");
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 1, 59, 59),
	    INT64_C(1772953199));
	/* The gap: 02:00-02:59:59 do not exist; read them as EST. */
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 2, 0, 0),
	    INT64_C(1772953200));
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 2, 30, 0),
	    INT64_C(1772955000));			/* 07:30Z = 03:30 EDT */
	assert_local(ny, INT64_C(1772955000), 2026, 3, 8, 3, 30, 0, -14400,
	    1, "EDT");
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 2, 59, 59),
	    INT64_C(1772956799));
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 3, 0, 0),
	    INT64_C(1772953200));
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 3, 30, 0),
	    INT64_C(1772955000));

	/* Fall back, 2026-11-01: 02:00 EDT becomes 01:00 EST. */
	assert_int_equal(tz_next_transition(ny, next, &next), 1);
	assert_int_equal(next, INT64_C(1793512800));
	assert_local(ny, INT64_C(1793512799), 2026, 11, 1, 1, 59, 59, -14400,
	    1, "EDT");
	assert_local(ny, INT64_C(1793512800), 2026, 11, 1, 1, 0, 0, -18000,
	    0, "EST");
	assert_local(ny, INT64_C(1793514600), 2026, 11, 1, 1, 30, 0, -18000,
	    0, "EST");
	assert_int_equal(tz_mktime(ny, 2026, 11, 1, 0, 59, 59),
	    INT64_C(1793509199));
	/* The fold: 01:00-01:59:59 happen twice; the EDT one is earlier. */
	assert_int_equal(tz_mktime(ny, 2026, 11, 1, 1, 0, 0),
	    INT64_C(1793509200));
	assert_int_equal(tz_mktime(ny, 2026, 11, 1, 1, 30, 0),
	    INT64_C(1793511000));			/* 05:30Z, not 06:30Z */
	assert_int_equal(tz_mktime(ny, 2026, 11, 1, 1, 59, 59),
	    INT64_C(1793512799));
	assert_int_equal(tz_mktime(ny, 2026, 11, 1, 2, 0, 0),
	    INT64_C(1793516400));

	/* Out-of-range fields are normalized: March 8, 26:30 is March 9,
	 * 02:30 EDT. */
	assert_int_equal(tz_mktime(ny, 2026, 3, 8, 26, 30, 0),
	    INT64_C(1773037800));
	assert_int_equal(tz_mktime(tz_utc(), 2026, 14, 1, 0, 0, 0),
	    INT64_C(1801440000));
	assert_int_equal(tz_mktime(tz_utc(), 2027, 3, 0, 0, 0, 0),
	    tz_mktime(tz_utc(), 2027, 2, 28, 0, 0, 0));
	tz_free(ny);
}

/* --- POSIX TZ strings --------------------------------------------------- */

static void
test_posix_fixed_offsets(void **state)
{
	struct tz *z;

	(void)state;
	z = tz_parse_posix("JST-9", fresh_err());
	assert_non_null(z);
	assert_string_equal(tz_name(z), "JST-9");
	assert_local(z, T_2026, 2026, 1, 1, 9, 0, 0, 32400, 0, "JST");
	assert_int_equal(tz_mktime(z, 2026, 1, 1, 9, 0, 0), T_2026);
	assert_int_equal(tz_next_transition(z, T_2026, &(int64_t){0}), 0);
	tz_free(z);

	z = tz_parse_posix("<+0530>-5:30", fresh_err());
	assert_non_null(z);
	assert_local(z, T_2026, 2026, 1, 1, 5, 30, 0, 19800, 0, "+0530");
	tz_free(z);

	z = tz_parse_posix("<-0330>3:30", fresh_err());
	assert_non_null(z);
	assert_local(z, T_2026, 2025, 12, 31, 20, 30, 0, -12600, 0, "-0330");
	tz_free(z);

	z = tz_parse_posix("XYZ+1:02:03", fresh_err());
	assert_non_null(z);
	assert_local(z, T_2026, 2025, 12, 31, 22, 57, 57, -3723, 0, "XYZ");
	tz_free(z);

	/* Long names are cut to 15 characters. */
	z = tz_parse_posix("<ABCDEFGHIJKLMNOPQRSTUVWXYZ>0", fresh_err());
	assert_non_null(z);
	assert_local(z, T_2026, 2026, 1, 1, 0, 0, 0, 0, 0, "ABCDEFGHIJKLMNO");
	tz_free(z);
}

static void
test_posix_rules(void **state)
{
	struct tz *z, *ny;
	struct tz_local a, b;
	int64_t t, next;

	(void)state;
	/* The footer of America/New_York equals the file from 2007 on. */
	z = tz_parse_posix("EST5EDT,M3.2.0,M11.1.0", fresh_err());
	assert_non_null(z);
	unsetenv("TZDIR");
	ny = zoneinfo_load("America/New_York", fresh_err());
	assert_non_null(ny);
	for (t = INT64_C(1199145600); t < T_2101; t += DAY / 2 + 1) {
		tz_localtime(z, t, &a);
		tz_localtime(ny, t, &b);
		assert_memory_equal(&a, &b, sizeof a);
	}
	assert_int_equal(tz_mktime(z, 2026, 3, 8, 2, 30, 0),
	    INT64_C(1772955000));
	assert_int_equal(tz_mktime(z, 2026, 11, 1, 1, 30, 0),
	    INT64_C(1793511000));
	tz_free(z);

	/* A DST name without rules gets the US rules. */
	z = tz_parse_posix("EST5EDT", fresh_err());
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, T_2026, &next), 1);
	assert_int_equal(next, INT64_C(1772953200));
	tz_free(z);
	tz_free(ny);

	/* Jn never counts February 29: J60 is March 1, J300 October 27. */
	z = tz_parse_posix("AAA0BBB,J60/0,J300/0", fresh_err());
	assert_non_null(z);
	assert_local(z, INT64_C(1709251199), 2024, 2, 29, 23, 59, 59, 0, 0,
	    "AAA");
	assert_local(z, INT64_C(1709251200), 2024, 3, 1, 1, 0, 0, 3600, 1,
	    "BBB");
	assert_int_equal(tz_next_transition(z, INT64_C(1709251200), &next),
	    1);
	assert_int_equal(next, INT64_C(1729983600));	/* 10-26T23:00Z */
	tz_free(z);

	/* n counts February 29: day 59 of 2024 is February 29. */
	z = tz_parse_posix("CCC0DDD,59/0,299/0", fresh_err());
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, INT64_C(1704067200), &next),
	    1);
	assert_int_equal(next, INT64_C(1709164800));	/* 2024-02-29 */
	assert_int_equal(tz_next_transition(z, next, &next), 1);
	assert_int_equal(next, INT64_C(1729897200));	/* 10-25T23:00Z */
	tz_free(z);

	/* Negative rule time (America/Nuuk): 2026-03-28 23:00 -02. */
	z = tz_parse_posix("<-02>2<-01>,M3.5.0/-1,M10.5.0/0", fresh_err());
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, T_2026, &next), 1);
	assert_int_equal(next, INT64_C(1774746000));
	assert_local(z, next, 2026, 3, 29, 0, 0, 0, -3600, 1, "-01");
	assert_local(z, next - 1, 2026, 3, 28, 22, 59, 59, -7200, 0, "-02");
	tz_free(z);

	/* Over 24 hours (Israel): Thursday 26:00 is Friday 02:00. */
	z = tz_parse_posix("IST-2IDT,M3.4.4/26,M10.5.0", fresh_err());
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, T_2026, &next), 1);
	assert_int_equal(next, INT64_C(1774569600));	/* 03-27T00:00Z */
	assert_local(z, next, 2026, 3, 27, 3, 0, 0, 10800, 1, "IDT");
	tz_free(z);

	/* The extremes, +167 and -167 hours. */
	z = tz_parse_posix("QQQ3RRR,M3.2.0/167,M11.1.0/-167", fresh_err());
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, T_2026, &next), 1);
	assert_int_equal(next, INT64_C(1773540000));	/* 03-15T02:00Z */
	assert_int_equal(tz_next_transition(z, next, &next), 1);
	assert_int_equal(next, INT64_C(1792897200));	/* 10-25T03:00Z */
	tz_free(z);

	/* Daylight time all year (RFC 8536 section 3.3.1). */
	z = tz_parse_posix("EST5EDT4,0/0,J365/25", fresh_err());
	assert_non_null(z);
	assert_local(z, INT64_C(1767222000), 2025, 12, 31, 19, 0, 0, -14400,
	    1, "EDT");
	assert_local(z, INT64_C(1767241800), 2026, 1, 1, 0, 30, 0, -14400, 1,
	    "EDT");
	assert_local(z, INT64_C(1767243600), 2026, 1, 1, 1, 0, 0, -14400, 1,
	    "EDT");
	assert_int_equal(tz_next_transition(z, T_2026, &next), 0);
	assert_int_equal(tz_mktime(z, 2026, 1, 1, 0, 30, 0),
	    INT64_C(1767241800));
	tz_free(z);
}

/*
 * POSIX strings (footers of real zones and more) against glibc's own POSIX
 * TZ support, from 1970: glibc's compute_change starts every year before
 * 1971 at 1970-01-01, so its POSIX rules are wrong for earlier years.
 */
static void
test_posix_against_glibc(void **state)
{
	static const char *const specs[] = {
		"EST5EDT,M3.2.0,M11.1.0",
		"GMT0BST,M3.5.0/1,M10.5.0",
		"IST-1GMT0,M10.5.0,M3.5.0/1",
		"<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
		"<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
		"IST-2IDT,M3.4.4/26,M10.5.0",
		"<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
		"<-04>4<-03>,M9.1.6/24,M4.1.6/24",
		"AAA3BBB,J60/0,J300/0",
		"CCC-3DDD,59/0,299/0",
		"<-0330>3:30<-0230>,M3.2.0,M11.1.0",
		"<+0530>-5:30",
	};
	struct tz *z;
	int64_t *trans, t;
	size_t i, j, ntrans;

	(void)state;
	for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		z = tz_parse_posix(specs[i], fresh_err());
		if (z == NULL)
			fail_msg("%s: %s", specs[i], buf_str(&tz_err));
		use_glibc_zone(specs[i]);
		/* glibc computes POSIX rules wrongly before 1970. */
		for (t = 0; t < T_2101; t += 7 * DAY + 3599)
			assert_true(same_as_glibc(z, t));
		trans = collect_transitions(z, 0, T_2101, &ntrans);
		for (j = 0; j < ntrans; j++) {
			for (t = trans[j] - 1; t <= trans[j] + 1; t++) {
				assert_true(same_as_glibc(z, t));
				check_roundtrip(z, t);
			}
			check_gap_or_fold(z, trans[j]);
		}
		free(trans);
		tz_free(z);
	}
	use_glibc_zone(NULL);
}

static void
test_posix_errors(void **state)
{
	static const struct {
		const char	*spec;
		const char	*why;
	} bad[] = {
		{ "", "at least 3" },
		{ "EST", "needs an offset" },
		{ "ES5", "at least 3" },
		{ "EST25", "needs an offset" },
		{ "EST5:60", "needs an offset" },
		{ "EST5x", "at least 3" },
		{ "EST5EDT,M3.2.0", "start and an end" },
		{ "EST5EDT;M3.2.0,M11.1.0", "unexpected ';'" },
		{ "EST5EDT,M13.2.0,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,M0.2.0,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,M3.6.0,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,M3.0.0,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,M3.2.7,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,M3.2,M11.1.0", "Mm.w.d" },
		{ "EST5EDT,J0,J100", "Jn" },
		{ "EST5EDT,J366,J100", "Jn" },
		{ "EST5EDT,366,100", "n rule" },
		{ "EST5EDT,M3.2.0/168,M11.1.0", "0-167" },
		{ "EST5EDT,M3.2.0/1:60,M11.1.0", "0-167" },
		{ "EST5EDT,M3.2.0,M11.1.0x", "trailing" },
		{ "EST5EDT,X,M11.1.0", "expected a Jn" },
		{ "EST5EDT25", "daylight time offset" },
		{ "<AB>5", "at least 3" },
		{ "<+05", "unterminated" },
		{ "<+0.5>5", "unterminated" },
		{ ":Asia/Tokyo", "at least 3" },
		{ "EST0001", "needs an offset" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (tz_parse_posix(bad[i].spec, fresh_err()) != NULL)
			fail_msg("'%s' was accepted", bad[i].spec);
		assert_non_null(strstr(buf_str(&tz_err), "invalid TZ string"));
		if (strstr(buf_str(&tz_err), bad[i].why) == NULL)
			fail_msg("'%s': got \"%s\", want \"%s\"", bad[i].spec,
			    buf_str(&tz_err), bad[i].why);
	}
	assert_null(tz_parse_posix(NULL, fresh_err()));
	assert_null(tz_parse_posix("EST", fresh_err()));
}

/* --- TZif data ---------------------------------------------------------- */

struct syn_type {
	int32_t		utoff;
	unsigned char	isdst;
	unsigned char	idx;
};

/* A small TZif file to build and then damage. */
struct syn {
	int			 version;	/* 1, or 2 and later */
	size_t			 ntrans;
	const int64_t		*trans;
	const unsigned char	*tidx;
	size_t			 ntypes;
	const struct syn_type	*types;
	const char		*chars;
	size_t			 charcnt;
	size_t			 nleap;
	const int64_t		*leap_at;
	const int32_t		*leap_corr;
	int			 indicators;	/* write isstd/isut */
	const char		*footer;
};

static const int64_t syn_trans[] = { 1000000, 2000000, 3000000 };
static const unsigned char syn_tidx[] = { 1, 0, 1 };
static const struct syn_type syn_types[] = {
	{ -18000, 0, 0 }, { -14400, 1, 4 }
};

static struct syn
syn_default(void)
{
	struct syn s;

	memset(&s, 0, sizeof s);
	s.version = 2;
	s.ntrans = 3;
	s.trans = syn_trans;
	s.tidx = syn_tidx;
	s.ntypes = 2;
	s.types = syn_types;
	s.chars = "EST\0EDT";
	s.charcnt = 8;
	s.indicators = 1;
	s.footer = "EST5EDT,M3.2.0,M11.1.0";
	return s;
}

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {
		(unsigned char)(v >> 24), (unsigned char)(v >> 16),
		(unsigned char)(v >> 8), (unsigned char)v
	};

	buf_append(b, p, 4);
}

static void
put_time(struct buf *b, int64_t v, unsigned tsize)
{
	if (tsize == 8)
		put_u32(b, (uint32_t)((uint64_t)v >> 32));
	put_u32(b, (uint32_t)(uint64_t)v);
}

static void
syn_block(struct buf *b, const struct syn *s, char version, unsigned tsize)
{
	size_t i;
	char zero[15] = { 0 };
	size_t nind = s->indicators ? s->ntypes : 0;

	buf_append(b, "TZif", 4);
	buf_putc(b, version);
	buf_append(b, zero, 15);
	put_u32(b, (uint32_t)nind);
	put_u32(b, (uint32_t)nind);
	put_u32(b, (uint32_t)s->nleap);
	put_u32(b, (uint32_t)s->ntrans);
	put_u32(b, (uint32_t)s->ntypes);
	put_u32(b, (uint32_t)s->charcnt);
	for (i = 0; i < s->ntrans; i++)
		put_time(b, s->trans[i], tsize);
	buf_append(b, s->tidx, s->ntrans);
	for (i = 0; i < s->ntypes; i++) {
		put_u32(b, (uint32_t)s->types[i].utoff);
		buf_putc(b, (char)s->types[i].isdst);
		buf_putc(b, (char)s->types[i].idx);
	}
	buf_append(b, s->chars, s->charcnt);
	for (i = 0; i < s->nleap; i++) {
		put_time(b, s->leap_at[i], tsize);
		put_u32(b, (uint32_t)s->leap_corr[i]);
	}
	for (i = 0; i < 2 * nind; i++)
		buf_putc(b, 0);
}

static void
syn_build(struct buf *b, const struct syn *s)
{
	buf_reset(b);
	syn_block(b, s, s->version == 1 ? '\0' : (char)('0' + s->version),
	    4);
	if (s->version == 1)
		return;
	syn_block(b, s, (char)('0' + s->version), 8);
	if (s->footer != NULL) {
		buf_putc(b, '\n');
		buf_puts(b, s->footer);
		buf_putc(b, '\n');
	}
}

/* Offset of the second (64-bit) header in a syn file. */
static size_t
syn_v2_header(const struct syn *s)
{
	size_t nind = s->indicators ? s->ntypes : 0;

	return 44 + s->ntrans * 5 + s->ntypes * 6 + s->charcnt +
	    s->nleap * 8 + 2 * nind;
}

static void
patch_u32(struct buf *b, size_t off, uint32_t v)
{
	b->data[off] = (char)(v >> 24);
	b->data[off + 1] = (char)(v >> 16);
	b->data[off + 2] = (char)(v >> 8);
	b->data[off + 3] = (char)v;
}

static struct tz *
parse_buf(const struct buf *b)
{
	return tz_parse_tzif((const unsigned char *)b->data, b->len, "syn",
	    fresh_err());
}

static void
assert_rejected(const struct buf *b, const char *why)
{
	struct tz *z = parse_buf(b);

	if (z != NULL) {
		tz_free(z);
		fail_msg("accepted data that should fail with \"%s\"", why);
	}
	if (strstr(buf_str(&tz_err), why) == NULL)
		fail_msg("got \"%s\", want \"%s\"", buf_str(&tz_err), why);
}

static void
test_tzif_synthetic(void **state)
{
	struct buf b = BUF_INIT;
	struct syn s = syn_default();
	struct tz *z;
	int64_t next;
	static const int64_t leap_at[] = { 500000, 1500000 };
	static const int32_t leap_corr[] = { 1, 2 };

	(void)state;
	syn_build(&b, &s);
	z = parse_buf(&b);
	assert_non_null(z);
	assert_string_equal(tz_name(z), "syn");
	/* Before the first transition: type 0. */
	assert_local(z, 999999, 1970, 1, 12, 8, 46, 39, -18000, 0, "EST");
	assert_local(z, 1000000, 1970, 1, 12, 9, 46, 40, -14400, 1, "EDT");
	assert_local(z, 2000000, 1970, 1, 23, 22, 33, 20, -18000, 0, "EST");
	/* After the last transition the footer rules: 1970 is standard
	 * time on Feb 4. */
	assert_local(z, 3000000, 1970, 2, 4, 12, 20, 0, -18000, 0, "EST");
	assert_local(z, INT64_C(1772953200), 2026, 3, 8, 3, 0, 0, -14400, 1,
	    "EDT");
	assert_int_equal(tz_next_transition(z, 0, &next), 1);
	assert_int_equal(next, 1000000);
	assert_int_equal(tz_next_transition(z, 1000000, &next), 1);
	assert_int_equal(next, 2000000);
	tz_free(z);

	/* Version 1: no footer, the last type stays. */
	s.version = 1;
	syn_build(&b, &s);
	z = parse_buf(&b);
	assert_non_null(z);
	assert_local(z, INT64_C(1767225600), 2025, 12, 31, 20, 0, 0, -14400,
	    1, "EDT");
	assert_int_equal(tz_next_transition(z, 3000000, &next), 0);
	tz_free(z);

	/* An empty footer: no rule, the last type stays. */
	s = syn_default();
	s.footer = "";
	syn_build(&b, &s);
	z = parse_buf(&b);
	assert_non_null(z);
	assert_local(z, INT64_C(1767225600), 2025, 12, 31, 20, 0, 0, -14400,
	    1, "EDT");
	tz_free(z);

	/* No transitions, a footer with DST: the footer everywhere. */
	s = syn_default();
	s.ntrans = 0;
	s.indicators = 0;
	syn_build(&b, &s);
	z = parse_buf(&b);
	assert_non_null(z);
	assert_local(z, INT64_C(1772953200), 2026, 3, 8, 3, 0, 0, -14400, 1,
	    "EDT");
	tz_free(z);

	/* Leap seconds move transitions onto the POSIX time scale. */
	s = syn_default();
	s.nleap = 2;
	s.leap_at = leap_at;
	s.leap_corr = leap_corr;
	syn_build(&b, &s);
	z = parse_buf(&b);
	assert_non_null(z);
	assert_int_equal(tz_next_transition(z, 0, &next), 1);
	assert_int_equal(next, 999999);
	assert_int_equal(tz_next_transition(z, next, &next), 1);
	assert_int_equal(next, 1999998);
	tz_free(z);

	/* The v1 block is only skipped: garbage in it is ignored. */
	s = syn_default();
	syn_build(&b, &s);
	b.data[44] = (char)0xff;	/* first 32-bit transition */
	b.data[44 + 3 * 4] = 7;		/* its type index */
	z = parse_buf(&b);
	assert_non_null(z);
	tz_free(z);
	buf_free(&b);
}

static void
test_tzif_malformed(void **state)
{
	struct buf b = BUF_INIT;
	struct syn s = syn_default();
	struct tz *z;
	unsigned char *data;
	size_t len, n, h2, blk;
	static const int64_t unsorted[] = { 1000000, 3000000, 2000000 };
	static const int64_t same[] = { 1000000, 1000000, 2000000 };
	static const unsigned char bad_idx[] = { 1, 2, 0 };
	static const struct syn_type bad_abbr[] = {
		{ -18000, 0, 0 }, { -14400, 1, 8 }
	};
	static const struct syn_type bad_dst[] = {
		{ -18000, 0, 0 }, { -14400, 2, 4 }
	};
	static const struct syn_type bad_off[] = {
		{ -18000, 0, 0 }, { INT32_MIN, 1, 4 }
	};
	static const struct syn_type big_off[] = {
		{ -18000, 0, 0 }, { 93600, 1, 4 }
	};
	static const int64_t leap_at[] = { 500000, 500000 };
	static const int32_t leap_corr[] = { 1, 2 };

	(void)state;

	/* Every proper prefix of a real file is rejected with a message. */
	data = read_whole_file(NY_FILE, &len);
	for (n = 0; n < len; n++) {
		z = tz_parse_tzif(data, n, "prefix", fresh_err());
		if (z != NULL)
			fail_msg("prefix of %zu bytes accepted", n);
		assert_true(strncmp(buf_str(&tz_err), "TZif: ", 6) == 0);
	}
	z = tz_parse_tzif(data, len, "America/New_York", fresh_err());
	assert_non_null(z);
	tz_free(z);
	data[0] = 'X';
	assert_null(tz_parse_tzif(data, len, "x", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "TZif: bad magic (not a TZif file)");
	free(data);
	assert_null(tz_parse_tzif(NULL, 0, "x", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "TZif: truncated header");
	assert_null(tz_parse_tzif(NULL, 100, "x", fresh_err()));

	syn_build(&b, &s);
	h2 = syn_v2_header(&s);
	blk = h2 + 44;

	b.data[4] = '1';
	assert_rejected(&b, "unknown version byte 0x31");
	syn_build(&b, &s);
	b.data[h2 + 4] = 0;
	assert_rejected(&b, "second header is not version 2");

	/* Huge counts, first in the v1 then in the v2 header. */
	syn_build(&b, &s);
	patch_u32(&b, 32, UINT32_MAX);
	assert_rejected(&b, "version 1 data needs 21474836499");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 32, UINT32_MAX);
	assert_rejected(&b, "64-bit data needs 38654705679");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 28, UINT32_MAX);
	assert_rejected(&b, "64-bit data needs");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 40, UINT32_MAX);
	assert_rejected(&b, "64-bit data needs");
	syn_build(&b, &s);
	patch_u32(&b, 36, 0);
	assert_rejected(&b, "type count 0 not in 1-256");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 36, 257);
	assert_rejected(&b, "type count 257 not in 1-256");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 40, 0);
	assert_rejected(&b, "no abbreviation characters");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 20, 1);
	assert_rejected(&b, "UT indicator count 1, type count 2");
	syn_build(&b, &s);
	patch_u32(&b, h2 + 24, 3);
	assert_rejected(&b, "standard indicator count 3, type count 2");

	/* Bad contents of the 64-bit block. */
	s = syn_default();
	s.trans = unsorted;
	syn_build(&b, &s);
	assert_rejected(&b, "transition 2 not after the previous one");
	s.trans = same;
	syn_build(&b, &s);
	assert_rejected(&b, "transition 1 not after the previous one");
	s = syn_default();
	s.tidx = bad_idx;
	syn_build(&b, &s);
	assert_rejected(&b, "transition 1 uses type 2 of 2");
	s = syn_default();
	s.types = bad_abbr;
	syn_build(&b, &s);
	assert_rejected(&b, "type 1 abbreviation index 8 beyond 8");
	s = syn_default();
	s.chars = "EST\0EDTX";
	syn_build(&b, &s);
	assert_rejected(&b, "type 1 abbreviation not NUL-terminated");
	s = syn_default();
	s.types = bad_dst;
	syn_build(&b, &s);
	assert_rejected(&b, "type 1 has DST flag 2");
	s = syn_default();
	s.types = bad_off;
	syn_build(&b, &s);
	assert_rejected(&b, "type 1 has UT offset -2147483648");
	s.types = big_off;
	syn_build(&b, &s);
	assert_rejected(&b, "type 1 has UT offset 93600");
	s = syn_default();
	s.nleap = 2;
	s.leap_at = leap_at;
	s.leap_corr = leap_corr;
	syn_build(&b, &s);
	assert_rejected(&b, "leap second 1 not after the previous one");
	s = syn_default();
	syn_build(&b, &s);
	b.data[blk + 3 * 9 + 2 * 6 + 8] = 2;	/* first isstd byte */
	assert_rejected(&b, "standard/wall indicator 0 is 2");
	syn_build(&b, &s);
	b.data[blk + 3 * 9 + 2 * 6 + 8 + 3] = 5;	/* second isut byte */
	assert_rejected(&b, "UT/local indicator 1 is 5");

	/* Footers. */
	s = syn_default();
	s.footer = NULL;
	syn_build(&b, &s);
	assert_rejected(&b, "missing footer");
	s.footer = "EST5EDT,M13.2.0,M11.1.0";
	syn_build(&b, &s);
	assert_rejected(&b, "footer 'EST5EDT,M13.2.0,M11.1.0': Mm.w.d");
	s = syn_default();
	syn_build(&b, &s);
	b.len--;			/* drop the final newline */
	assert_rejected(&b, "missing footer");
	syn_build(&b, &s);
	b.data[b.len - 3] = '\0';
	assert_rejected(&b, "NUL in footer");
	syn_build(&b, &s);
	b.data[b.len - 1 - strlen(s.footer) - 1] = 'x';
	assert_rejected(&b, "missing footer");
	buf_free(&b);
}

/* --- zoneinfo_load ------------------------------------------------------ */

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_zoneinfo_load(void **state)
{
	struct tz *z;
	struct tz_local l;
	int64_t t;

	(void)state;
	unsetenv("TZDIR");
	assert_ptr_equal(zoneinfo_load("UTC", fresh_err()), tz_utc());
	assert_ptr_equal(zoneinfo_load("Etc/UTC", fresh_err()), tz_utc());
	assert_ptr_equal(zoneinfo_load("Z", fresh_err()), tz_utc());
	assert_string_equal(tz_name(tz_utc()), "UTC");
	tz_free(tz_utc());
	assert_local(tz_utc(), T_2026, 2026, 1, 1, 0, 0, 0, 0, 0, "UTC");

	z = zoneinfo_load("Asia/Tokyo", fresh_err());
	assert_non_null(z);
	assert_string_equal(tz_name(z), "Asia/Tokyo");
	assert_local(z, T_2026, 2026, 1, 1, 9, 0, 0, 32400, 0, "JST");
	tz_free(z);
	z = zoneinfo_load(":Asia/Tokyo", fresh_err());
	assert_non_null(z);
	assert_string_equal(tz_name(z), "Asia/Tokyo");
	tz_free(z);

	assert_null(zoneinfo_load("Asia/Tokio", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "unknown time zone 'Asia/Tokio'");
	assert_null(zoneinfo_load("Asia", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "unknown time zone 'Asia'");
	assert_null(zoneinfo_load("Asia/Tokyo/", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "unknown time zone 'Asia/Tokyo/'");
	assert_null(zoneinfo_load("../../../etc/passwd", fresh_err()));
	assert_string_equal(buf_str(&tz_err),
	    "invalid time zone name '../../../etc/passwd'");
	assert_null(zoneinfo_load("Asia/../../etc/passwd", fresh_err()));
	assert_string_equal(buf_str(&tz_err),
	    "invalid time zone name 'Asia/../../etc/passwd'");
	assert_null(zoneinfo_load("/etc/localtime", fresh_err()));
	assert_string_equal(buf_str(&tz_err),
	    "invalid time zone name '/etc/localtime'");
	assert_null(zoneinfo_load("Asia/Tok yo\n", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "invalid time zone name 'Asia/Tok yo?'");
	assert_null(zoneinfo_load("Asia/Tokio", fresh_err()));

	/* No such file, but a POSIX TZ string. */
	z = zoneinfo_load("EST5EDT,M3.2.0,M11.1.0", fresh_err());
	assert_non_null(z);
	assert_string_equal(tz_name(z), "EST5EDT,M3.2.0,M11.1.0");
	assert_int_equal(tz_mktime(z, 2026, 3, 8, 2, 30, 0),
	    INT64_C(1772955000));
	tz_free(z);
	z = zoneinfo_load("JST-9", fresh_err());
	assert_non_null(z);
	assert_local(z, T_2026, 2026, 1, 1, 9, 0, 0, 32400, 0, "JST");
	tz_free(z);

	/* The local zone agrees with glibc's idea of it (TZ unset). */
	z = zoneinfo_load("local", fresh_err());
	if (z == NULL)
		fail_msg("local: %s", buf_str(&tz_err));
	use_glibc_zone(NULL);
	for (t = T_1900; t < T_2101; t += 97 * DAY + 1)
		assert_true(same_as_glibc(z, t));
	tz_free(z);
	z = zoneinfo_load(NULL, fresh_err());
	assert_non_null(z);
	tz_localtime(z, T_2026, &l);
	assert_true(same_as_glibc(z, T_2026));
	tz_free(z);
	z = zoneinfo_load("", fresh_err());
	assert_non_null(z);
	tz_free(z);
}

static void
remove_in(const char *dir, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(remove(path), 0);
}

static void
test_zoneinfo_tzdir(void **state)
{
	struct buf b = BUF_INIT, path = BUF_INIT;
	struct syn s = syn_default();
	struct tz *z;
	char dir[] = "/tmp/test_tz.XXXXXX", *big;

	(void)state;
	assert_non_null(mkdtemp(dir));
	buf_printf(&path, "%s/Test", dir);
	assert_int_equal(mkdir(buf_str(&path), 0700), 0);
	buf_reset(&path);
	buf_printf(&path, "%s/Test/Zone", dir);
	syn_build(&b, &s);
	write_file(buf_str(&path), b.data, b.len);
	buf_reset(&path);
	buf_printf(&path, "%s/Bad", dir);
	write_file(buf_str(&path), "not a zone file, but long enough to be a header", 48);
	big = xcalloc(1, ZONEINFO_MAX_FILE + 1);
	memcpy(big, b.data, b.len);
	buf_reset(&path);
	buf_printf(&path, "%s/Big", dir);
	write_file(buf_str(&path), big, ZONEINFO_MAX_FILE + 1);
	buf_reset(&path);
	buf_printf(&path, "%s/Fits", dir);
	write_file(buf_str(&path), big, ZONEINFO_MAX_FILE);
	free(big);

	setenv("TZDIR", dir, 1);
	z = zoneinfo_load("Test/Zone", fresh_err());
	assert_non_null(z);
	assert_string_equal(tz_name(z), "Test/Zone");
	assert_local(z, 1000000, 1970, 1, 12, 9, 46, 40, -14400, 1, "EDT");
	tz_free(z);
	/* Trailing bytes after the footer are allowed. */
	z = zoneinfo_load("Fits", fresh_err());
	assert_non_null(z);
	tz_free(z);
	assert_null(zoneinfo_load("Bad", fresh_err()));
	buf_reset(&path);
	buf_printf(&path, "%s/Bad: TZif: bad magic (not a TZif file)", dir);
	assert_string_equal(buf_str(&tz_err), buf_str(&path));
	assert_null(zoneinfo_load("Big", fresh_err()));
	assert_non_null(strstr(buf_str(&tz_err), "is larger than 1048576 bytes"));
	assert_null(zoneinfo_load("Test", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "unknown time zone 'Test'");
	assert_null(zoneinfo_load("Asia/Tokyo", fresh_err()));
	assert_string_equal(buf_str(&tz_err), "unknown time zone 'Asia/Tokyo'");

	/* A relative TZDIR is ignored. */
	setenv("TZDIR", "relative/dir", 1);
	z = zoneinfo_load("Asia/Tokyo", fresh_err());
	assert_non_null(z);
	tz_free(z);
	unsetenv("TZDIR");

	remove_in(dir, "Test/Zone");
	remove_in(dir, "Test");
	remove_in(dir, "Bad");
	remove_in(dir, "Big");
	remove_in(dir, "Fits");
	assert_int_equal(rmdir(dir), 0);
	buf_free(&path);
	buf_free(&b);
}

/* --- calendar ----------------------------------------------------------- */

static void
test_civil_days(void **state)
{
	int64_t first, last, d;
	int y, m, md, py = 0, pm = 0, pmd = 0, dim, leap;
	struct tm tm;
	time_t tt;

	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tz_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tz_days_from_civil(2026, 13, 1),
	    tz_days_from_civil(2027, 1, 1));
	assert_int_equal(tz_days_from_civil(2026, 0, 1),
	    tz_days_from_civil(2025, 12, 1));
	assert_int_equal(tz_days_from_civil(2024, 3, 0),
	    tz_days_from_civil(2024, 2, 29));
	assert_int_equal(tz_days_from_civil(2024, -11, 1),
	    tz_days_from_civil(2023, 1, 1));
	assert_int_equal(tz_weekday(0), 4);
	assert_int_equal(tz_weekday(-1), 3);
	assert_int_equal(tz_weekday(-7), 4);
	assert_int_equal(tz_weekday(INT64_MIN), tz_weekday(INT64_MIN % 7));
	tz_civil_from_days(-719468, &y, &m, &md);	/* 0000-03-01 */
	assert_int_equal(y, 0);
	assert_int_equal(m, 3);
	assert_int_equal(md, 1);
	tz_civil_from_days(-719469, &y, &m, &md);	/* 0000-02-29 */
	assert_int_equal(y, 0);
	assert_int_equal(m, 2);
	assert_int_equal(md, 29);

	first = tz_days_from_civil(1600, 1, 1);
	last = tz_days_from_civil(2400, 12, 31);
	assert_int_equal(first, -135140);
	assert_int_equal(last, 157419);
	for (d = first; d <= last; d++) {
		tz_civil_from_days(d, &y, &m, &md);
		assert_int_equal(tz_days_from_civil(y, m, md), d);
		if (d > first) {
			/* The day after the previous one. */
			leap = (py % 4 == 0 && py % 100 != 0) || py % 400 == 0;
			dim = pm == 2 ? 28 + leap :
			    (pm == 4 || pm == 6 || pm == 9 || pm == 11) ?
			    30 : 31;
			if (pmd < dim) {
				assert_int_equal(y, py);
				assert_int_equal(m, pm);
				assert_int_equal(md, pmd + 1);
			} else if (pm < 12) {
				assert_int_equal(y, py);
				assert_int_equal(m, pm + 1);
				assert_int_equal(md, 1);
			} else {
				assert_int_equal(y, py + 1);
				assert_int_equal(m, 1);
				assert_int_equal(md, 1);
			}
		} else {
			assert_int_equal(y, 1600);
			assert_int_equal(m, 1);
			assert_int_equal(md, 1);
		}
		tt = (time_t)(d * DAY);
		assert_non_null(gmtime_r(&tt, &tm));
		assert_int_equal(tm.tm_year + 1900, y);
		assert_int_equal(tm.tm_mon + 1, m);
		assert_int_equal(tm.tm_mday, md);
		assert_int_equal(tm.tm_wday, tz_weekday(d));
		py = y;
		pm = m;
		pmd = md;
	}
	assert_int_equal(y, 2400);
	assert_int_equal(m, 12);
	assert_int_equal(md, 31);
}

/* Instants far outside any calendar are clamped, not undefined. */
static void
test_extremes(void **state)
{
	struct tz *ny;
	int64_t next;

	(void)state;
	unsetenv("TZDIR");
	ny = zoneinfo_load("America/New_York", fresh_err());
	assert_non_null(ny);
	assert_local(tz_utc(), INT64_MAX, 100001970, 1, 1, 0, 0, 0, 0, 0,
	    "UTC");
	assert_local(tz_utc(), INT64_MIN, -99998030, 1, 1, 0, 0, 0, 0, 0,
	    "UTC");
	assert_local(ny, INT64_MAX, 100001969, 12, 31, 19, 0, 0, -18000, 0,
	    "EST");
	assert_local(ny, INT64_MIN, -99998031, 12, 31, 19, 3, 58, -17762, 0,
	    "LMT");
	assert_int_equal(tz_mktime(tz_utc(), 1970, 1, 1, 0, 0, INT_MAX),
	    INT_MAX);
	assert_int_equal(tz_mktime(tz_utc(), 1970, 1, 1, INT_MIN, 0, 0),
	    (int64_t)INT_MIN * 3600);
	/* Largest fields: no overflow, and the answer is still exact. */
	assert_int_equal(tz_mktime(tz_utc(), INT_MAX, 1, 1, 0, 0, 0),
	    tz_days_from_civil(INT_MAX, 1, 1) * DAY);
	assert_int_equal(tz_mktime(ny, INT_MAX, INT_MAX, INT_MAX, INT_MAX,
	    INT_MAX, INT_MAX) - tz_mktime(tz_utc(), INT_MAX, INT_MAX, INT_MAX,
	    INT_MAX, INT_MAX, INT_MAX), 18000);
	assert_int_equal(tz_next_transition(ny, INT64_MAX, &next), 0);
	assert_int_equal(tz_next_transition(ny, INT64_MIN, &next), 1);
	assert_int_equal(next, INT64_C(-2717650800));	/* 1883-11-18 */
	tz_free(ny);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Asia/Tokyo"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"America/New_York"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Europe/London"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Europe/Dublin"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Australia/Lord_Howe"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"America/Sao_Paulo"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Pacific/Chatham"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Asia/Kolkata"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Asia/Jerusalem"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"America/Nuuk"),
		cmocka_unit_test_prestate(test_zone_against_glibc,
		    (void *)"Africa/Casablanca"),
		cmocka_unit_test(test_leap_second_zone),
		cmocka_unit_test(test_new_york_2026),
		cmocka_unit_test(test_posix_fixed_offsets),
		cmocka_unit_test(test_posix_rules),
		cmocka_unit_test(test_posix_against_glibc),
		cmocka_unit_test(test_posix_errors),
		cmocka_unit_test(test_tzif_synthetic),
		cmocka_unit_test(test_tzif_malformed),
		cmocka_unit_test(test_zoneinfo_load),
		cmocka_unit_test(test_zoneinfo_tzdir),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
