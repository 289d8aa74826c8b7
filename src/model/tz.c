/*
 * tz.c: time zones without the global TZ variable.  Parses TZif data
 * (RFC 8536) and POSIX TZ strings, and converts between UTC epoch seconds
 * and local wall time in a given zone.  No I/O.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tz.h"

#define SECS_PER_DAY	86400
#define SECS_PER_HOUR	3600
/* RFC 8536 section 3.2: UT offsets SHOULD lie in [-89999, 93599]. */
#define UTOFF_MIN	(-89999)
#define UTOFF_MAX	93599
/* RFC 8536 section 3.3.1: rule times may range from -167 to 167 hours. */
#define RULE_HOURS_MAX	167
/* Footer events tz_next_transition looks at before it gives up. */
#define FOOTER_SCAN_MAX	1000
#define TZIF_HEADER_LEN	44

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

static char utc_name[] = "UTC";
static struct tz_type utc_type = { 0, 0, "UTC" };
static struct tz utc_zone = {
	.name = utc_name,
	.builtin = 1,
	.ntypes = 1,
	.types = &utc_type,
};

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Floor division and modulo for a positive divisor. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

static int64_t
clamp_time(int64_t t)
{
	if (t < TZ_TIME_MIN)
		return TZ_TIME_MIN;
	if (t > TZ_TIME_MAX)
		return TZ_TIME_MAX;
	return t;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static int
days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return mdays[m - 1];
}

/*
 * Hinnant's days_from_civil on int64_t, after folding an out-of-range
 * month into the year; d is added as an offset from the first of the month.
 * Exact for |y| well beyond the int range.
 */
static int64_t
days_from_civil64(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe, mp;

	y += floor_div(m - 1, 12);
	m = m - 1 - floor_div(m - 1, 12) * 12 + 1;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	mp = m > 2 ? m - 3 : m + 9;
	doy = (153 * mp + 2) / 5;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468 + (d - 1);
}

int64_t
tz_days_from_civil(int y, int m, int d)
{
	return days_from_civil64(y, m, d);
}

/* Hinnant's civil_from_days; days must be within the clamp range. */
static void
civil_from_days64(int64_t z, int64_t *yp, int *mp, int *dp)
{
	int64_t era, doe, yoe, y, doy, mpp;
	int m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mpp = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * mpp + 2) / 5 + 1);
	m = (int)(mpp < 10 ? mpp + 3 : mpp - 9);
	*mp = m;
	*yp = y + (m <= 2);
}

void
tz_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t lim = TZ_TIME_MAX / SECS_PER_DAY, y64;

	if (days > lim)
		days = lim;
	if (days < -lim)
		days = -lim;
	civil_from_days64(days, &y64, m, d);
	*y = (int)y64;
}

int
tz_weekday(int64_t days)
{
	/* 1970-01-01 (day 0) was a Thursday. */
	return (int)((days % 7 + 11) % 7);
}

/*
 * Big-endian integers from TZif data; the signed forms avoid
 * implementation-defined conversions.
 */
static uint32_t
get_u32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static int32_t
get_i32(const unsigned char *p)
{
	uint32_t u = get_u32(p);

	if (u <= INT32_MAX)
		return (int32_t)u;
	return (int32_t)(-(int64_t)(~u) - 1);
}

static int64_t
get_i64(const unsigned char *p)
{
	uint64_t u = ((uint64_t)get_u32(p) << 32) | get_u32(p + 4);

	if (u <= INT64_MAX)
		return (int64_t)u;
	return -(int64_t)(~u) - 1;
}

/* --- POSIX TZ strings --------------------------------------------------- */

/*
 * Reads a zone abbreviation: three or more letters, or <...> holding three
 * or more letters, digits, '+' and '-'.  Longer names are cut to 15 bytes.
 */
static int
parse_abbr(const char **sp, char *out, size_t outlen, char *err,
    size_t errlen)
{
	const char *s = *sp, *start, *end;
	size_t n;

	if (*s == '<') {
		start = ++s;
		while (isalnum((unsigned char)*s) || *s == '+' || *s == '-')
			s++;
		if (*s != '>') {
			set_error(err, errlen, "unterminated or invalid "
			    "<...> zone name");
			return -1;
		}
		end = s++;
	} else {
		start = s;
		while (isalpha((unsigned char)*s))
			s++;
		end = s;
	}
	n = (size_t)(end - start);
	if (n < 3) {
		set_error(err, errlen, "zone name must have at least 3 "
		    "characters");
		return -1;
	}
	if (n > outlen - 1)
		n = outlen - 1;
	memcpy(out, start, n);
	out[n] = '\0';
	*sp = s;
	return 0;
}

/* An unsigned decimal of at most 3 digits, no greater than max. */
static int
parse_small_number(const char **sp, int max, int *out)
{
	const char *s = *sp;
	int v = 0, n = 0;

	while (isdigit((unsigned char)*s) && n < 4) {
		v = v * 10 + (*s - '0');
		s++;
		n++;
	}
	if (n == 0 || n > 3 || v > max)
		return -1;
	*sp = s;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh <= maxhour; the signed number of seconds. */
static int
parse_hms(const char **sp, int maxhour, int32_t *out)
{
	const char *s = *sp;
	int sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-') {
		if (*s == '-')
			sign = -1;
		s++;
	}
	if (parse_small_number(&s, maxhour, &h) != 0)
		return -1;
	if (*s == ':') {
		s++;
		if (parse_small_number(&s, 59, &m) != 0)
			return -1;
		if (*s == ':') {
			s++;
			if (parse_small_number(&s, 59, &sec) != 0)
				return -1;
		}
	}
	*sp = s;
	*out = sign * (h * SECS_PER_HOUR + m * 60 + sec);
	return 0;
}

static int
parse_rule(const char **sp, struct tz_rule *r, char *err, size_t errlen)
{
	const char *s = *sp;

	memset(r, 0, sizeof *r);
	if (*s == 'J') {
		s++;
		r->kind = RULE_JULIAN;
		if (parse_small_number(&s, 365, &r->day) != 0 || r->day < 1) {
			set_error(err, errlen, "Jn rule needs n in 1-365");
			return -1;
		}
	} else if (*s == 'M') {
		s++;
		r->kind = RULE_MONTH_WEEK_DAY;
		if (parse_small_number(&s, 12, &r->mon) != 0 || r->mon < 1 ||
		    *s++ != '.' ||
		    parse_small_number(&s, 5, &r->week) != 0 || r->week < 1 ||
		    *s++ != '.' ||
		    parse_small_number(&s, 6, &r->day) != 0) {
			set_error(err, errlen, "Mm.w.d rule needs m 1-12, "
			    "w 1-5, d 0-6");
			return -1;
		}
	} else if (isdigit((unsigned char)*s)) {
		r->kind = RULE_ZERO_BASED;
		if (parse_small_number(&s, 365, &r->day) != 0) {
			set_error(err, errlen, "n rule needs n in 0-365");
			return -1;
		}
	} else {
		set_error(err, errlen, "expected a Jn, n or Mm.w.d rule");
		return -1;
	}
	r->time = 2 * SECS_PER_HOUR;
	if (*s == '/') {
		s++;
		if (parse_hms(&s, RULE_HOURS_MAX, &r->time) != 0) {
			set_error(err, errlen, "rule time must be "
			    "[+-]hh[:mm[:ss]] with hh 0-167");
			return -1;
		}
	}
	*sp = s;
	return 0;
}

/*
 * Parses a whole POSIX TZ string into p.  The POSIX offset counts hours west
 * of UTC; utoff here counts seconds east, so the sign flips.
 */
static int
parse_posix(const char *spec, struct tz_posix *p, char *err, size_t errlen)
{
	const char *s = spec;
	int32_t off;

	memset(p, 0, sizeof *p);
	if (parse_abbr(&s, p->std.abbr, sizeof p->std.abbr, err, errlen) != 0)
		return -1;
	if (parse_hms(&s, 24, &off) != 0) {
		set_error(err, errlen, "standard time needs an offset "
		    "[+-]hh[:mm[:ss]] with hh 0-24");
		return -1;
	}
	p->std.utoff = -off;
	p->std.isdst = 0;
	if (*s == '\0')
		return 0;

	if (parse_abbr(&s, p->dst.abbr, sizeof p->dst.abbr, err, errlen) != 0)
		return -1;
	p->has_dst = 1;
	p->dst.isdst = 1;
	p->dst.utoff = p->std.utoff + SECS_PER_HOUR;
	if (*s == '+' || *s == '-' || isdigit((unsigned char)*s)) {
		if (parse_hms(&s, 24, &off) != 0) {
			set_error(err, errlen, "daylight time offset must be "
			    "[+-]hh[:mm[:ss]] with hh 0-24");
			return -1;
		}
		p->dst.utoff = -off;
	}
	if (*s == '\0') {
		/* No rules: the US rules, as glibc and tzcode assume. */
		p->start.kind = p->end.kind = RULE_MONTH_WEEK_DAY;
		p->start.mon = 3;
		p->start.week = 2;
		p->end.mon = 11;
		p->end.week = 1;
		p->start.time = p->end.time = 2 * SECS_PER_HOUR;
		return 0;
	}
	if (*s != ',') {
		set_error(err, errlen, "unexpected '%c' after the daylight "
		    "time name", *s);
		return -1;
	}
	s++;
	if (parse_rule(&s, &p->start, err, errlen) != 0)
		return -1;
	if (*s != ',') {
		set_error(err, errlen, "daylight time needs a start and an "
		    "end rule");
		return -1;
	}
	s++;
	if (parse_rule(&s, &p->end, err, errlen) != 0)
		return -1;
	if (*s != '\0') {
		set_error(err, errlen, "trailing characters after the end "
		    "rule");
		return -1;
	}
	return 0;
}

/* The local wall time (seconds as if UTC) at which rule r fires in year y. */
static int64_t
rule_wall_time(const struct tz_rule *r, int64_t y)
{
	int64_t days = days_from_civil64(y, 1, 1);
	int first_wday, d, mdays;

	switch (r->kind) {
	case RULE_JULIAN:
		days += r->day - 1;
		if (is_leap(y) && r->day >= 60)
			days++;
		break;
	case RULE_ZERO_BASED:
		days += r->day;
		break;
	case RULE_MONTH_WEEK_DAY:
		days = days_from_civil64(y, r->mon, 1);
		first_wday = tz_weekday(days);
		d = (r->day - first_wday + 7) % 7 + 7 * (r->week - 1);
		mdays = days_in_month(y, r->mon);
		while (d >= mdays)
			d -= 7;
		days += d;
		break;
	}
	return days * SECS_PER_DAY + r->time;
}

struct footer_event {
	int64_t	at;
	int	isdst;		/* the state from this instant on */
};

/*
 * Local time type under a footer rule at t, and the next instant after t at
 * which the rule fires (INT64_MAX if never).  The starts and ends of five
 * years around t are merged in time order; a rule time of up to 167 hours
 * can move a year's event into a neighbouring year, which this covers.
 * When a start and an end coincide, the end is taken first, so a zone in
 * daylight time all year ("EST5EDT4,0/0,J365/25") stays in daylight time.
 * Past TZ_TIME_MAX the state at TZ_TIME_MAX holds for ever.
 */
static void
footer_lookup(const struct tz_posix *p, int64_t t, struct tz_type *out,
    int64_t *next)
{
	struct footer_event ev[10], tmp;
	int64_t year, t_in;
	int dummy_m, dummy_d, isdst = 0;
	size_t n = 0, i, j;

	if (!p->has_dst) {
		*out = p->std;
		*next = INT64_MAX;
		return;
	}
	t_in = t;
	t = clamp_time(t);
	civil_from_days64(floor_div(t + p->std.utoff, SECS_PER_DAY), &year,
	    &dummy_m, &dummy_d);
	for (i = 0; i < 5; i++) {
		ev[n].at = rule_wall_time(&p->start, year - 2 + (int64_t)i) -
		    p->std.utoff;
		ev[n++].isdst = 1;
		ev[n].at = rule_wall_time(&p->end, year - 2 + (int64_t)i) -
		    p->dst.utoff;
		ev[n++].isdst = 0;
	}
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			if (ev[j - 1].at < ev[j].at ||
			    (ev[j - 1].at == ev[j].at &&
			    ev[j - 1].isdst <= ev[j].isdst))
				break;
			tmp = ev[j - 1];
			ev[j - 1] = ev[j];
			ev[j] = tmp;
		}
	}
	*next = INT64_MAX;
	for (i = 0; i < n; i++) {
		if (ev[i].at > t) {
			*next = ev[i].at;
			break;
		}
		isdst = ev[i].isdst;
	}
	/* Beyond TZ_TIME_MAX the rule is frozen; next must still be > t. */
	if (*next <= t_in)
		*next = INT64_MAX;
	*out = isdst ? p->dst : p->std;
}

/*
 * The local time type in force at t, and the next transition instant after
 * t (INT64_MAX if none).  Before the first transition type 0 applies
 * (RFC 8536); from the last transition on, the footer rule if there is one.
 */
static void
lookup(const struct tz *z, int64_t t, struct tz_type *out, int64_t *next)
{
	size_t lo, hi, mid;

	if (z->ntrans == 0) {
		if (z->has_footer) {
			footer_lookup(&z->footer, t, out, next);
			return;
		}
		*out = z->types[0];
		*next = INT64_MAX;
		return;
	}
	if (t < z->trans[0]) {
		*out = z->types[0];
		*next = z->trans[0];
		return;
	}
	/* Largest i with trans[i] <= t. */
	lo = 0;
	hi = z->ntrans;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 < z->ntrans) {
		*out = z->types[z->trans_type[lo]];
		*next = z->trans[lo + 1];
		return;
	}
	if (z->has_footer) {
		footer_lookup(&z->footer, t, out, next);
		return;
	}
	*out = z->types[z->trans_type[lo]];
	*next = INT64_MAX;
}

static void
note_utoff(struct tz *z, int32_t utoff)
{
	if (utoff < z->min_utoff)
		z->min_utoff = utoff;
	if (utoff > z->max_utoff)
		z->max_utoff = utoff;
}

static void
compute_utoff_range(struct tz *z)
{
	size_t i;

	z->min_utoff = z->max_utoff = z->types[0].utoff;
	for (i = 1; i < z->ntypes; i++)
		note_utoff(z, z->types[i].utoff);
	if (z->has_footer) {
		note_utoff(z, z->footer.std.utoff);
		if (z->footer.has_dst)
			note_utoff(z, z->footer.dst.utoff);
	}
}

struct tz *
tz_parse_posix(const char *spec, char *err, size_t errlen)
{
	struct tz_posix p;
	struct tz *z;
	char msg[128];

	if (spec == NULL) {
		set_error(err, errlen, "no TZ string");
		return NULL;
	}
	if (parse_posix(spec, &p, msg, sizeof msg) != 0) {
		set_error(err, errlen, "invalid TZ string '%s': %s", spec,
		    msg);
		return NULL;
	}
	z = xcalloc(1, sizeof *z);
	z->name = xstrdup(spec);
	z->ntypes = 1;
	z->types = xcalloc(1, sizeof *z->types);
	z->types[0] = p.std;
	z->has_footer = 1;
	z->footer = p;
	compute_utoff_range(z);
	return z;
}

/* --- TZif --------------------------------------------------------------- */

struct tzif_header {
	int		version;	/* 1, 2, 3, ... */
	uint32_t	isutcnt;
	uint32_t	isstdcnt;
	uint32_t	leapcnt;
	uint32_t	timecnt;
	uint32_t	typecnt;
	uint32_t	charcnt;
};

static int
parse_header(const unsigned char *p, size_t len, struct tzif_header *h,
    char *err, size_t errlen)
{
	if (len >= 4 && memcmp(p, "TZif", 4) != 0) {
		set_error(err, errlen, "TZif: bad magic (not a TZif file)");
		return -1;
	}
	if (len < TZIF_HEADER_LEN) {
		set_error(err, errlen, "TZif: truncated header");
		return -1;
	}
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '9')
		h->version = p[4] - '0';
	else {
		set_error(err, errlen, "TZif: unknown version byte 0x%02x",
		    p[4]);
		return -1;
	}
	h->isutcnt = get_u32(p + 20);
	h->isstdcnt = get_u32(p + 24);
	h->leapcnt = get_u32(p + 28);
	h->timecnt = get_u32(p + 32);
	h->typecnt = get_u32(p + 36);
	h->charcnt = get_u32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256) {
		set_error(err, errlen, "TZif: type count %u not in 1-256",
		    (unsigned)h->typecnt);
		return -1;
	}
	if (h->charcnt == 0) {
		set_error(err, errlen, "TZif: no abbreviation characters");
		return -1;
	}
	if (h->isutcnt != 0 && h->isutcnt != h->typecnt) {
		set_error(err, errlen, "TZif: UT indicator count %u, "
		    "type count %u", (unsigned)h->isutcnt,
		    (unsigned)h->typecnt);
		return -1;
	}
	if (h->isstdcnt != 0 && h->isstdcnt != h->typecnt) {
		set_error(err, errlen, "TZif: standard indicator count %u, "
		    "type count %u", (unsigned)h->isstdcnt,
		    (unsigned)h->typecnt);
		return -1;
	}
	return 0;
}

/* Bytes of the data block after a header, for 4- or 8-byte times. */
static uint64_t
block_size(const struct tzif_header *h, unsigned tsize)
{
	return (uint64_t)h->timecnt * (tsize + 1) +
	    (uint64_t)h->typecnt * 6 + h->charcnt +
	    (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static int64_t
sub_saturating(int64_t a, int32_t b)
{
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	return a - b;
}

/*
 * Reads the data block at p (its size already checked) into z.  Leap-second
 * corrections are subtracted from the transition times so they count POSIX
 * seconds; the times must then be strictly ascending.
 */
static int
parse_block(const unsigned char *p, const struct tzif_header *h,
    unsigned tsize, struct tz *z, char *err, size_t errlen)
{
	const unsigned char *types, *chars, *leaps, *isstd, *isut;
	const unsigned char *abbr, *nul;
	int64_t occur, prev_occur = 0, *leap_at = NULL;
	int32_t *leap_corr = NULL;
	size_t i, j, n;
	unsigned idx;

	z->ntrans = h->timecnt;
	z->ntypes = h->typecnt;
	z->trans = xreallocarray(NULL, z->ntrans, sizeof *z->trans);
	z->trans_type = xmalloc(z->ntrans);
	z->types = xcalloc(z->ntypes, sizeof *z->types);

	for (i = 0; i < z->ntrans; i++) {
		if (tsize == 8)
			z->trans[i] = get_i64(p + i * 8);
		else
			z->trans[i] = get_i32(p + i * 4);
	}
	p += (size_t)h->timecnt * tsize;
	for (i = 0; i < z->ntrans; i++) {
		if (p[i] >= h->typecnt) {
			set_error(err, errlen, "TZif: transition %zu uses "
			    "type %u of %u", i, p[i], (unsigned)h->typecnt);
			return -1;
		}
		z->trans_type[i] = p[i];
	}
	p += h->timecnt;
	types = p;
	chars = types + (size_t)h->typecnt * 6;
	leaps = chars + h->charcnt;
	isstd = leaps + (size_t)h->leapcnt * (tsize + 4);
	isut = isstd + h->isstdcnt;

	for (i = 0; i < z->ntypes; i++) {
		z->types[i].utoff = get_i32(types + i * 6);
		if (z->types[i].utoff < UTOFF_MIN ||
		    z->types[i].utoff > UTOFF_MAX) {
			set_error(err, errlen, "TZif: type %zu has UT offset "
			    "%ld, outside -89999..93599", i,
			    (long)z->types[i].utoff);
			return -1;
		}
		if (types[i * 6 + 4] > 1) {
			set_error(err, errlen, "TZif: type %zu has DST flag "
			    "%u", i, types[i * 6 + 4]);
			return -1;
		}
		z->types[i].isdst = types[i * 6 + 4];
		idx = types[i * 6 + 5];
		if (idx >= h->charcnt) {
			set_error(err, errlen, "TZif: type %zu abbreviation "
			    "index %u beyond %u characters", i, idx,
			    (unsigned)h->charcnt);
			return -1;
		}
		abbr = chars + idx;
		nul = memchr(abbr, '\0', h->charcnt - idx);
		if (nul == NULL) {
			set_error(err, errlen, "TZif: type %zu abbreviation "
			    "not NUL-terminated", i);
			return -1;
		}
		n = (size_t)(nul - abbr);
		if (n > sizeof z->types[i].abbr - 1)
			n = sizeof z->types[i].abbr - 1;
		memcpy(z->types[i].abbr, abbr, n);
		z->types[i].abbr[n] = '\0';
	}

	for (i = 0; i < h->isstdcnt; i++) {
		if (isstd[i] > 1) {
			set_error(err, errlen, "TZif: standard/wall "
			    "indicator %zu is %u", i, isstd[i]);
			return -1;
		}
	}
	for (i = 0; i < h->isutcnt; i++) {
		if (isut[i] > 1) {
			set_error(err, errlen, "TZif: UT/local indicator %zu "
			    "is %u", i, isut[i]);
			return -1;
		}
	}

	if (h->leapcnt > 0) {
		leap_at = xreallocarray(NULL, h->leapcnt, sizeof *leap_at);
		leap_corr = xreallocarray(NULL, h->leapcnt,
		    sizeof *leap_corr);
		for (i = 0; i < h->leapcnt; i++) {
			const unsigned char *rec = leaps + i * (tsize + 4);

			occur = tsize == 8 ? get_i64(rec) : get_i32(rec);
			if (i > 0 && occur <= prev_occur) {
				set_error(err, errlen, "TZif: leap second "
				    "%zu not after the previous one", i);
				free(leap_at);
				free(leap_corr);
				return -1;
			}
			prev_occur = occur;
			leap_at[i] = occur;
			leap_corr[i] = get_i32(rec + tsize);
		}
		/* Both lists ascend, so one pass pairs them up. */
		j = 0;
		for (i = 0; i < z->ntrans; i++) {
			int64_t at = z->trans[i];

			while (j < h->leapcnt && leap_at[j] <= at)
				j++;
			if (j > 0)
				z->trans[i] = sub_saturating(at,
				    leap_corr[j - 1]);
		}
		free(leap_at);
		free(leap_corr);
	}

	for (i = 1; i < z->ntrans; i++) {
		if (z->trans[i] <= z->trans[i - 1]) {
			set_error(err, errlen, "TZif: transition %zu not "
			    "after the previous one", i);
			return -1;
		}
	}
	return 0;
}

struct tz *
tz_parse_tzif(const unsigned char *data, size_t len, const char *name,
    char *err, size_t errlen)
{
	struct tzif_header h;
	struct tz *z;
	const unsigned char *p = data, *nl;
	uint64_t need;
	size_t left = len, flen;
	unsigned tsize = 4;
	char *footer, msg[128];

	if (data == NULL)
		left = 0;
	if (parse_header(p, left, &h, err, errlen) != 0)
		return NULL;
	p += TZIF_HEADER_LEN;
	left -= TZIF_HEADER_LEN;
	need = block_size(&h, 4);
	if (need > left) {
		set_error(err, errlen, "TZif: version 1 data needs %llu "
		    "bytes, %zu left", (unsigned long long)need, left);
		return NULL;
	}
	if (h.version >= 2) {
		/* Skip the 32-bit block; the 64-bit one follows. */
		p += need;
		left -= need;
		if (parse_header(p, left, &h, err, errlen) != 0)
			return NULL;
		if (h.version < 2) {
			set_error(err, errlen, "TZif: second header is not "
			    "version 2 or later");
			return NULL;
		}
		p += TZIF_HEADER_LEN;
		left -= TZIF_HEADER_LEN;
		tsize = 8;
		need = block_size(&h, 8);
		if (need > left) {
			set_error(err, errlen, "TZif: 64-bit data needs %llu "
			    "bytes, %zu left", (unsigned long long)need,
			    left);
			return NULL;
		}
	}

	z = xcalloc(1, sizeof *z);
	z->name = xstrdup(name != NULL ? name : "");
	if (parse_block(p, &h, tsize, z, err, errlen) != 0) {
		tz_free(z);
		return NULL;
	}
	p += need;
	left -= need;

	if (h.version >= 2) {
		if (left < 2 || p[0] != '\n' ||
		    (nl = memchr(p + 1, '\n', left - 1)) == NULL) {
			set_error(err, errlen, "TZif: missing footer");
			tz_free(z);
			return NULL;
		}
		flen = (size_t)(nl - (p + 1));
		if (memchr(p + 1, '\0', flen) != NULL) {
			set_error(err, errlen, "TZif: NUL in footer");
			tz_free(z);
			return NULL;
		}
		if (flen > 0) {
			footer = xstrndup((const char *)p + 1, flen);
			if (parse_posix(footer, &z->footer, msg,
			    sizeof msg) != 0) {
				set_error(err, errlen, "TZif: footer '%s': %s",
				    footer, msg);
				free(footer);
				tz_free(z);
				return NULL;
			}
			free(footer);
			z->has_footer = 1;
		}
	}
	compute_utoff_range(z);
	return z;
}

/* --- Queries ------------------------------------------------------------ */

struct tz *
tz_utc(void)
{
	return &utc_zone;
}

void
tz_free(struct tz *z)
{
	if (z == NULL || z->builtin)
		return;
	free(z->name);
	free(z->trans);
	free(z->trans_type);
	free(z->types);
	free(z);
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

void
tz_localtime(const struct tz *z, int64_t t, struct tz_local *out)
{
	struct tz_type type;
	int64_t next, local, days, secs, year;

	t = clamp_time(t);
	lookup(z, t, &type, &next);
	local = t + type.utoff;
	days = floor_div(local, SECS_PER_DAY);
	secs = local - days * SECS_PER_DAY;
	civil_from_days64(days, &year, &out->mon, &out->mday);
	out->year = (int)year;
	out->hour = (int)(secs / SECS_PER_HOUR);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->wday = tz_weekday(days);
	out->yday = (int)(days - days_from_civil64(year, 1, 1));
	out->utoff = type.utoff;
	out->isdst = type.isdst;
	memcpy(out->abbr, type.abbr, sizeof out->abbr);
}

/*
 * Every instant whose wall time is the target lies within
 * [wall - max_utoff, wall - min_utoff].  Walking the runs of constant
 * offset through that window in time order, the first run that contains
 * wall - its offset is the earliest answer.  If none does, the wall time
 * fell into a gap, and the offset before the gap is used.
 */
int64_t
tz_mktime(const struct tz *z, int year, int mon, int mday, int hour, int min,
    int sec)
{
	struct tz_type cur, nxt;
	int64_t wall, lo, hi, start, next, after, cand, gap = 0;
	int have_gap = 0;

	wall = days_from_civil64(year, mon, mday) * SECS_PER_DAY +
	    (int64_t)hour * SECS_PER_HOUR + (int64_t)min * 60 + sec;
	lo = wall - z->max_utoff;
	hi = wall - z->min_utoff;
	start = lo;
	lookup(z, start, &cur, &next);
	for (;;) {
		cand = wall - cur.utoff;
		if (cand >= start && cand < next)
			return cand;
		if (next > hi)
			break;
		lookup(z, next, &nxt, &after);
		if (!have_gap && wall - cur.utoff >= next &&
		    wall - nxt.utoff < next) {
			gap = wall - cur.utoff;
			have_gap = 1;
		}
		start = next;
		cur = nxt;
		next = after;
	}
	if (have_gap)
		return gap;
	return wall - cur.utoff;
}

static int
same_type(const struct tz_type *a, const struct tz_type *b)
{
	return a->utoff == b->utoff && a->isdst == b->isdst &&
	    strcmp(a->abbr, b->abbr) == 0;
}

int
tz_next_transition(const struct tz *z, int64_t t, int64_t *next)
{
	struct tz_type cur, nxt;
	int64_t at, after;
	int footer_steps = 0;

	lookup(z, t, &cur, &at);
	while (at != INT64_MAX && at <= TZ_TIME_MAX) {
		lookup(z, at, &nxt, &after);
		if (!same_type(&cur, &nxt)) {
			*next = at;
			return 1;
		}
		if (z->ntrans == 0 || at >= z->trans[z->ntrans - 1]) {
			/* Under the footer rule; it repeats every year. */
			if (++footer_steps > FOOTER_SCAN_MAX)
				break;
		}
		at = after;
	}
	return 0;
}
