/*
 * tz.h: time zones as values, independent of the process-global TZ
 * variable, so one program can evaluate several zones at once.
 *
 * A struct tz is built from TZif bytes (RFC 8536, versions 1 to 4) or from a
 * POSIX TZ string with the RFC 8536 extensions.  This module does no I/O;
 * src/source/zoneinfo.h finds and reads the zone files.  Every function here
 * is reentrant: a struct tz is immutable after it is built and may be shared
 * between threads.
 *
 * Times are POSIX epoch seconds (int64_t), which do not count leap seconds.
 * Calendar arithmetic is proleptic Gregorian.
 */
#ifndef DAGTOP_TZ_H
#define DAGTOP_TZ_H

#include <stddef.h>
#include <stdint.h>

struct buf;

struct tz;

/*
 * Instants handled by tz_localtime: about 100 million years either side of
 * 1970.  Arguments outside are clamped to this range, so the year of the
 * result always fits an int.
 */
#define TZ_TIME_MAX	((int64_t)146097 * 86400 * 250000)
#define TZ_TIME_MIN	(-TZ_TIME_MAX)

/* Broken-down local time. */
struct tz_local {
	int	year;
	int	mon;		/* 1-12 */
	int	mday;		/* 1-31 */
	int	hour;		/* 0-23 */
	int	min;		/* 0-59 */
	int	sec;		/* 0-59 */
	int	wday;		/* 0 = Sunday */
	int	yday;		/* 0-365 */
	int	utoff;		/* seconds east of UTC */
	int	isdst;		/* 1 if the zone calls this daylight time */
	char	abbr[16];	/* "EDT", "+0530"; longer names are cut to 15 */
};

/* The built-in UTC zone.  Never NULL; tz_free on it does nothing. */
struct tz	*tz_utc(void);

/*
 * Parses TZif data (RFC 8536).  For version 2 and later files the 64-bit
 * block and the footer TZ string are used; the footer rule gives local time
 * after the last transition.  Before the first transition, time type 0
 * applies.  Leap-second records ("right/" zones) are used only to move the
 * transition times onto the POSIX time scale, so right/X agrees with X as
 * far as its table goes (right/ files have an empty footer, so after their
 * last transition that transition's type stays).
 * name is what tz_name will say (NULL means "").
 * On malformed data returns NULL and adds a description of the problem to
 * err.  Every count and index is checked against the buffer, so any bytes
 * at all are safe to pass.
 */
struct tz	*tz_parse_tzif(const unsigned char *data, size_t len,
		    const char *name, struct buf *err);

/*
 * Parses a POSIX TZ string such as "EST5EDT,M3.2.0,M11.1.0", "JST-9" or
 * "<+0530>-5:30", with Jn, n and Mm.w.d rules and the RFC 8536 extension that
 * lets a rule time be negative or exceed 24 hours (-167 to 167 hours).
 * Offsets are hh[:mm[:ss]] with hh 0-24 and the POSIX sign (west positive).
 * A DST name without rules gets the US rules ",M3.2.0,M11.1.0".  A zone that
 * is daylight time all year is written as in RFC 8536, e.g.
 * "EST5EDT4,0/0,J365/25".  The leading ':' form (":Asia/Tokyo") names a file
 * and is rejected here; see zoneinfo_load.  NULL and a message added to err
 * when the string is not valid.  tz_name of the result is spec.
 */
struct tz	*tz_parse_posix(const char *spec, struct buf *err);

void		 tz_free(struct tz *);
const char	*tz_name(const struct tz *);

/* UTC epoch seconds to local time in the zone. */
void		 tz_localtime(const struct tz *, int64_t t, struct tz_local *);

/*
 * Local wall time to UTC epoch seconds.  Fields out of range are normalized
 * the way timegm does it (mon 13 is January of the next year, mday 0 is the
 * last day of the previous month, hour 24 is the next day).
 *
 * Nonexistent times (a gap, when clocks jump forward) are read with the UTC
 * offset in effect before the gap, which gives the instant the clock would
 * have shown had it not jumped: 02:30 on 2026-03-08 in New York is 07:30 UTC,
 * which New York shows as 03:30 EDT.
 *
 * Ambiguous times (a fold, when clocks go back and a wall time occurs twice)
 * give the EARLIER of the two instants: 01:30 on 2026-11-01 in New York is
 * 05:30 UTC (01:30 EDT), not 06:30 UTC (01:30 EST).
 */
int64_t		 tz_mktime(const struct tz *, int year, int mon, int mday,
		    int hour, int min, int sec);

/*
 * The first instant after t at which the zone's UTC offset, DST flag or
 * abbreviation changes.  Returns 1 and sets *next, or 0 if local time never
 * changes again (up to TZ_TIME_MAX).
 */
int		 tz_next_transition(const struct tz *, int64_t t, int64_t *next);

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil).  m and d may be out of range and are normalized as in
 * tz_mktime; the result is exact for any int year.
 */
int64_t		 tz_days_from_civil(int y, int m, int d);

/*
 * The inverse: the date of a day number.  days is clamped to the range of
 * TZ_TIME_MIN..TZ_TIME_MAX in days so the year fits an int.
 */
void		 tz_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Day of the week of a day number, 0 = Sunday (1970-01-01 was a Thursday). */
int		 tz_weekday(int64_t days);

#endif
