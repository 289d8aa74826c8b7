/* timefmt.h: durations, instants and spans of time as people read them. */
#ifndef DAGTOP_TIMEFMT_H
#define DAGTOP_TIMEFMT_H

#include <stdint.h>

#include "buf.h"

struct tz;

/*
 * Compact duration, two units at most: "0s", "45s", "3m05s", "1h02m",
 * "2d03h".  A negative or NaN value is written "-".
 */
void	 fmt_duration(struct buf *, double seconds);

enum fmt_time_style {
	FMT_ISO,	/* 2026-11-22T09:10:05+09:00 (reports, JSON) */
	FMT_LONG,	/* 2026-11-22 09:10:05 JST */
	FMT_SHORT,	/* 11-22 09:10 */
	FMT_CLOCK,	/* 09:10:05 */
};

/* An instant in the given zone; TIME_NONE is written "-". */
void	 fmt_time(struct buf *, const struct tz *, int64_t, enum fmt_time_style);

/*
 * Parses a span such as "90s", "30m", "24h", "7d", "2w" or "1h30m" (a bare
 * number is seconds).  Returns 0 and the seconds, or -1.
 */
int	 parse_span(const char *, int64_t *);

/*
 * Parses an ISO 8601 instant as PostgreSQL and Airflow's API write it:
 * "2026-11-22T09:10:05Z", "... +09:00", fractional seconds, a space for the
 * T, or a plain date (midnight UTC).  Returns 0, or -1.
 */
int	 parse_iso_time(const char *, int64_t *);

#endif
