/*
 * tz_int.h: what tz.c, tz_posix.c and tz_civil.c share and nobody else
 * sees: the zone's layout, the POSIX rule, and the calendar helpers.
 */
#ifndef TZ_INT_H
#define TZ_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define SECS_PER_DAY	86400
#define SECS_PER_HOUR	3600
/* RFC 8536 section 3.2: UT offsets SHOULD lie in [-89999, 93599]. */
#define UTOFF_MIN	(-89999)
#define UTOFF_MAX	93599
/* RFC 8536 section 3.3.1: rule times may range from -167 to 167 hours. */
#define RULE_HOURS_MAX	167

/* One local time type: what a clock in the zone shows. */
struct tz_type {
	int32_t	utoff;
	int	isdst;
	char	abbr[16];
};

/* A POSIX rule date, Jn, n or Mm.w.d, and the wall time it takes effect. */
enum tz_rule_kind {
	RULE_JULIAN,		/* Jn: 1-365, February 29 never counted */
	RULE_ZERO_BASED,	/* n: 0-365, February 29 counted */
	RULE_MONTH_WEEK_DAY	/* Mm.w.d */
};

struct tz_rule {
	enum tz_rule_kind kind;
	int	day;		/* Jn or n day; weekday 0-6 for M */
	int	week;		/* 1-5, 5 = last */
	int	mon;		/* 1-12 */
	int32_t	time;		/* seconds after local midnight */
};

/* A parsed POSIX TZ string. */
struct tz_posix {
	struct tz_type	std;
	struct tz_type	dst;
	int		has_dst;
	struct tz_rule	start;	/* DST begins, in standard wall time */
	struct tz_rule	end;	/* DST ends, in daylight wall time */
};

struct tz {
	char		*name;
	int		 builtin;	/* static storage, tz_free ignores it */
	size_t		 ntrans;
	int64_t		*trans;		/* strictly ascending */
	unsigned char	*trans_type;	/* index into types, per transition */
	size_t		 ntypes;	/* >= 1 */
	struct tz_type	*types;
	int		 has_footer;	/* footer rule applies after trans */
	struct tz_posix	 footer;
	int32_t		 min_utoff;	/* over all types and the footer */
	int32_t		 max_utoff;
};

/* Floor division for a positive divisor. */
int64_t	 tz_floor_div(int64_t a, int64_t b);
/* t held within TZ_TIME_MIN..TZ_TIME_MAX. */
int64_t	 tz_clamp_time(int64_t t);
int	 tz_is_leap(int64_t y);
int	 tz_days_in_month(int64_t y, int m);
/* Days since 1970-01-01 of y-m-d; m and d may be out of range. */
int64_t	 tz_days_from_civil64(int64_t y, int64_t m, int64_t d);
/* The date of a day number within the clamp range. */
void	 tz_civil_from_days64(int64_t z, int64_t *yp, int *mp, int *dp);

/* Parses a POSIX TZ string into p; -1 and a message added to err. */
int	 tz_posix_parse(const char *spec, struct tz_posix *p, struct buf *err);
/*
 * The local time type the rule gives at t, and the next instant after t
 * at which it fires (INT64_MAX if never).
 */
void	 tz_posix_lookup(const struct tz_posix *p, int64_t t,
	    struct tz_type *out, int64_t *next);

#endif
