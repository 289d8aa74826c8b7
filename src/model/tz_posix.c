/*
 * tz_posix.c: POSIX TZ strings ("EST5EDT,M3.2.0,M11.1.0"), as a zone of
 * their own and as the footer rule of TZif data: the parser, and the local
 * time type the rule gives at an instant.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "tz.h"
#include "tz_int.h"

/*
 * Reads a zone abbreviation: three or more letters, or <...> holding three
 * or more letters, digits, '+' and '-'.  Longer names are cut to 15 bytes.
 */
static int
parse_abbr(const char **sp, char *out, size_t outlen, struct buf *err)
{
	const char *s = *sp, *start, *end;
	size_t n;

	if (*s == '<') {
		start = ++s;
		while (isalnum((unsigned char)*s) || *s == '+' || *s == '-')
			s++;
		if (*s != '>') {
			buf_puts(err, "unterminated or invalid "
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
		buf_puts(err, "zone name must have at least 3 "
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
parse_rule(const char **sp, struct tz_rule *r, struct buf *err)
{
	const char *s = *sp;

	memset(r, 0, sizeof *r);
	if (*s == 'J') {
		s++;
		r->kind = RULE_JULIAN;
		if (parse_small_number(&s, 365, &r->day) != 0 || r->day < 1) {
			buf_puts(err, "Jn rule needs n in 1-365");
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
			buf_puts(err, "Mm.w.d rule needs m 1-12, "
			    "w 1-5, d 0-6");
			return -1;
		}
	} else if (isdigit((unsigned char)*s)) {
		r->kind = RULE_ZERO_BASED;
		if (parse_small_number(&s, 365, &r->day) != 0) {
			buf_puts(err, "n rule needs n in 0-365");
			return -1;
		}
	} else {
		buf_puts(err, "expected a Jn, n or Mm.w.d rule");
		return -1;
	}
	r->time = 2 * SECS_PER_HOUR;
	if (*s == '/') {
		s++;
		if (parse_hms(&s, RULE_HOURS_MAX, &r->time) != 0) {
			buf_puts(err, "rule time must be "
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
int
tz_posix_parse(const char *spec, struct tz_posix *p, struct buf *err)
{
	const char *s = spec;
	int32_t off;

	memset(p, 0, sizeof *p);
	if (parse_abbr(&s, p->std.abbr, sizeof p->std.abbr, err) != 0)
		return -1;
	if (parse_hms(&s, 24, &off) != 0) {
		buf_puts(err, "standard time needs an offset "
		    "[+-]hh[:mm[:ss]] with hh 0-24");
		return -1;
	}
	p->std.utoff = -off;
	p->std.isdst = 0;
	if (*s == '\0')
		return 0;

	if (parse_abbr(&s, p->dst.abbr, sizeof p->dst.abbr, err) != 0)
		return -1;
	p->has_dst = 1;
	p->dst.isdst = 1;
	p->dst.utoff = p->std.utoff + SECS_PER_HOUR;
	if (*s == '+' || *s == '-' || isdigit((unsigned char)*s)) {
		if (parse_hms(&s, 24, &off) != 0) {
			buf_puts(err, "daylight time offset must be "
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
		buf_printf(err, "unexpected '%c' after the daylight "
		    "time name", *s);
		return -1;
	}
	s++;
	if (parse_rule(&s, &p->start, err) != 0)
		return -1;
	if (*s != ',') {
		buf_puts(err, "daylight time needs a start and an "
		    "end rule");
		return -1;
	}
	s++;
	if (parse_rule(&s, &p->end, err) != 0)
		return -1;
	if (*s != '\0') {
		buf_puts(err, "trailing characters after the end "
		    "rule");
		return -1;
	}
	return 0;
}

/* The local wall time (seconds as if UTC) at which rule r fires in year y. */
static int64_t
rule_wall_time(const struct tz_rule *r, int64_t y)
{
	int64_t days = tz_days_from_civil64(y, 1, 1);
	int first_wday, d, mdays;

	switch (r->kind) {
	case RULE_JULIAN:
		days += r->day - 1;
		if (tz_is_leap(y) && r->day >= 60)
			days++;
		break;
	case RULE_ZERO_BASED:
		days += r->day;
		break;
	case RULE_MONTH_WEEK_DAY:
		days = tz_days_from_civil64(y, r->mon, 1);
		first_wday = tz_weekday(days);
		d = (r->day - first_wday + 7) % 7 + 7 * (r->week - 1);
		mdays = tz_days_in_month(y, r->mon);
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
void
tz_posix_lookup(const struct tz_posix *p, int64_t t, struct tz_type *out,
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
	t = tz_clamp_time(t);
	tz_civil_from_days64(tz_floor_div(t + p->std.utoff, SECS_PER_DAY), &year,
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
