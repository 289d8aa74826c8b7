/*
 * fuzz_tz.c: libFuzzer harness for the TZif and POSIX TZ parsers in
 * src/model/tz.c.  Build:
 *   clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g \
 *       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *       -Isrc -Isrc/model tests/fuzz/fuzz_tz.c src/model/tz.c \
 *       src/model/buf.c -o fuzz_tz
 * Seed it with files from /usr/share/zoneinfo.  Besides memory errors it
 * traps when a documented property breaks: local time fields in range, and
 * tz_mktime(tz_localtime(t)) giving t or an earlier instant with the same
 * wall time.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static int64_t
clamp(int64_t t)
{
	if (t < TZ_TIME_MIN)
		return TZ_TIME_MIN;
	if (t > TZ_TIME_MAX)
		return TZ_TIME_MAX;
	return t;
}

static void
exercise_instant(const struct tz *z, int64_t t)
{
	struct tz_local l, r;
	int64_t back, next;

	t = clamp(t);
	tz_localtime(z, t, &l);
	CHECK(l.mon >= 1 && l.mon <= 12);
	CHECK(l.mday >= 1 && l.mday <= 31);
	CHECK(l.hour >= 0 && l.hour <= 23);
	CHECK(l.min >= 0 && l.min <= 59);
	CHECK(l.sec >= 0 && l.sec <= 59);
	CHECK(l.wday >= 0 && l.wday <= 6);
	CHECK(l.yday >= 0 && l.yday <= 365);
	CHECK(l.isdst == 0 || l.isdst == 1);
	CHECK(memchr(l.abbr, '\0', sizeof l.abbr) != NULL);

	back = tz_mktime(z, l.year, l.mon, l.mday, l.hour, l.min, l.sec);
	CHECK(back <= t);
	if (back != t) {
		tz_localtime(z, back, &r);
		CHECK(back + r.utoff == t + l.utoff);
	}
	if (tz_next_transition(z, t, &next))
		CHECK(next > t);
}

static void
exercise(const struct tz *z, const uint8_t *data, size_t size)
{
	static const int64_t instants[] = {
		INT64_MIN, -2208988800, -1, 0, 1000000, 1772955000,
		1793511000, 2147483647, 4133980800, INT64_MAX
	};
	uint64_t u = 0;
	size_t i;

	for (i = 0; i < sizeof instants / sizeof instants[0]; i++)
		exercise_instant(z, instants[i]);
	/* An instant taken from the input, to reach its own transitions. */
	for (i = 0; i < 8 && i < size; i++)
		u = (u << 8) | data[size - 1 - i];
	exercise_instant(z, (int64_t)(u >> 1) - (int64_t)(UINT64_MAX >> 2));
	exercise_instant(z, (int64_t)(u % 8000000000u) - 4000000000);

	(void)tz_mktime(z, INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX,
	    INT_MAX);
	(void)tz_mktime(z, INT_MIN, INT_MIN, INT_MIN, INT_MIN, INT_MIN,
	    INT_MIN);
	(void)tz_mktime(z, 2026, 3, 8, 2, 30, 0);
	(void)tz_name(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tz *z;
	struct buf err = BUF_INIT;
	char spec[257];
	size_t n;

	z = tz_parse_tzif(data, size, "fuzz", &err);
	if (z != NULL) {
		exercise(z, data, size);
		tz_free(z);
	} else
		CHECK(err.len > 0);
	buf_reset(&err);

	/* The same bytes as a POSIX TZ string. */
	n = size < sizeof spec - 1 ? size : sizeof spec - 1;
	memcpy(spec, data, n);
	spec[n] = '\0';
	z = tz_parse_posix(spec, &err);
	if (z != NULL) {
		exercise(z, data, size);
		tz_free(z);
	}
	buf_free(&err);
	return 0;
}
