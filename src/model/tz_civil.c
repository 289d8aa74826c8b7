/*
 * tz_civil.c: proleptic Gregorian calendar arithmetic on int64_t days and
 * seconds, for the zone code and for callers that count days.
 */
#include <stdint.h>

#include "tz.h"
#include "tz_int.h"

/* Floor division and modulo for a positive divisor. */
int64_t
tz_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

int64_t
tz_clamp_time(int64_t t)
{
	if (t < TZ_TIME_MIN)
		return TZ_TIME_MIN;
	if (t > TZ_TIME_MAX)
		return TZ_TIME_MAX;
	return t;
}

int
tz_is_leap(int64_t y)
{
	return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

int
tz_days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && tz_is_leap(y))
		return 29;
	return mdays[m - 1];
}

/*
 * Hinnant's days_from_civil on int64_t, after folding an out-of-range
 * month into the year; d is added as an offset from the first of the month.
 * Exact for |y| well beyond the int range.
 */
int64_t
tz_days_from_civil64(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe, mp;

	y += tz_floor_div(m - 1, 12);
	m = m - 1 - tz_floor_div(m - 1, 12) * 12 + 1;
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
	return tz_days_from_civil64(y, m, d);
}

/* Hinnant's civil_from_days; days must be within the clamp range. */
void
tz_civil_from_days64(int64_t z, int64_t *yp, int *mp, int *dp)
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
	tz_civil_from_days64(days, &y64, m, d);
	*y = (int)y64;
}

int
tz_weekday(int64_t days)
{
	/* 1970-01-01 (day 0) was a Thursday. */
	return (int)((days % 7 + 11) % 7);
}
