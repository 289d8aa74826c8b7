/* timefmt.c: time and duration formatting and parsing. */
#include <ctype.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "airflow.h"
#include "timefmt.h"
#include "tz.h"

void
fmt_duration(struct buf *b, double seconds)
{
	int64_t s;

	if (isnan(seconds) || seconds < 0 || seconds > 1e15) {
		buf_putc(b, '-');
		return;
	}
	s = (int64_t)(seconds + 0.5);
	if (s < 60)
		buf_printf(b, "%llds", (long long)s);
	else if (s < 3600)
		buf_printf(b, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		buf_printf(b, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		buf_printf(b, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

void
fmt_time(struct buf *b, const struct tz *zone, int64_t t,
    enum fmt_time_style style)
{
	struct tz_local	l;
	int		off;

	if (t == TIME_NONE) {
		buf_putc(b, '-');
		return;
	}
	tz_localtime(zone, t, &l);
	switch (style) {
	case FMT_ISO:
		buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d", l.year, l.mon,
		    l.mday, l.hour, l.min, l.sec);
		if (l.utoff == 0) {
			buf_putc(b, 'Z');
			break;
		}
		off = l.utoff < 0 ? -l.utoff : l.utoff;
		buf_printf(b, "%c%02d:%02d", l.utoff < 0 ? '-' : '+',
		    off / 3600, off % 3600 / 60);
		break;
	case FMT_LONG:
		buf_printf(b, "%04d-%02d-%02d %02d:%02d:%02d %s", l.year,
		    l.mon, l.mday, l.hour, l.min, l.sec, l.abbr);
		break;
	case FMT_SHORT:
		buf_printf(b, "%02d-%02d %02d:%02d", l.mon, l.mday, l.hour,
		    l.min);
		break;
	case FMT_CLOCK:
		buf_printf(b, "%02d:%02d:%02d", l.hour, l.min, l.sec);
		break;
	}
}

int
parse_span(const char *s, int64_t *out)
{
	int64_t		total = 0, n, unit;
	const char	*p = s;
	char		*end;
	bool		had_unit = false;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = strtoll(p, &end, 10);
		if (n < 0 || n > 100L * 365 * 86400)
			return -1;
		p = end;
		switch (*p) {
		case '\0':
			unit = 1;
			if (had_unit)
				return -1;	/* "1h30" is ambiguous */
			break;
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 7 * 86400;
			break;
		default:
			return -1;
		}
		if (*p != '\0') {
			p++;
			had_unit = true;
		}
		total += n * unit;
		if (total > 100L * 365 * 86400)
			return -1;
	}
	*out = total;
	return 0;
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	*out = v;
	return 0;
}

int
parse_iso_time(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign;
	const char *p = s;

	if (s == NULL || digits(&p, 4, &y) || *p++ != '-' ||
	    digits(&p, 2, &mo) || *p++ != '-' || digits(&p, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				return -1;
			if (*p == '.' || *p == ',') {
				p++;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		/* 24:00:00 is the end of the day (ISO 8601); 24:30 is nothing. */
		if (h > 24 || mi > 59 || sec > 60 ||
		    (h == 24 && (mi != 0 || sec != 0)))
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh))
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &om))
				return -1;	/* "+09:" */
		} else if (isdigit((unsigned char)*p) && digits(&p, 2, &om))
			return -1;
		if (oh > 23 || om > 59)
			return -1;
		oh *= sign;
		om *= sign;
	}
	if (*p != '\0')
		return -1;
	/* A day the month has: 2026-02-30 is not a date. */
	{
		int y2, m2, d2;

		tz_civil_from_days(tz_days_from_civil(y, mo, d), &y2, &m2, &d2);
		if (y2 != y || m2 != mo || d2 != d)
			return -1;
	}
	*out = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - (oh * 3600 + om * 60);
	return 0;
}
