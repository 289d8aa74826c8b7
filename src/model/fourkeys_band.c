/*
 * fourkeys_band.c: the DORA band of each Four Keys metric for a report
 * year, the names of bands and frequency classes, and the trend between
 * a window and the one before it (fourkeys.h).  Pure: tables and
 * comparisons.
 */
#include <stdbool.h>
#include <stdint.h>

#include "fourkeys.h"

#define DAY	86400
#define WEEK	(7 * DAY)

bool
fk_year_known(int year)
{
	return year >= 2021 && year <= 2024;
}

/* --- bands ---------------------------------------------------------------- */

/*
 * The band tables.  Sources: ../shared/reference/fourkeys_bigquery.md §2
 * (the report clusters by year, via Octopus Deploy's summaries), made
 * contiguous the way Apache DevLake's benchmark tables do for 2021 and
 * 2023 (plugins/dora/models/migrationscripts/
 * 20240223_add_dora_2023_benchmark.go); 2022 has no elite cluster, 2024
 * is 2023 with its own change failure rate clusters.
 *
 * frequency  2021         2022         2023, 2024
 *   DAILY    elite        high         elite
 *   WEEKLY   high         medium       high
 *   MONTHLY  high         medium       medium
 *   YEARLY   medium       low          low
 *   NONE     low          low          low
 *
 * lead time  2021         2022         2023, 2024
 *   elite    < 1 hour     -            < 1 day
 *   high     < 1 week     < 1 week     < 1 week
 *   medium   < 182 days   < 30 days    < 30 days
 *   low      the rest     the rest     the rest
 *
 * restore    2021, 2023, 2024         2022
 *   elite    < 1 hour                 -
 *   high     < 1 day                  < 1 day
 *   medium   < 1 week                 < 1 week
 *   low      the rest                 the rest
 *
 * failure    2021     2022     2023     2024
 *   elite    <= 15%   -        <= 5%    <= 5%
 *   high     <= 20%   <= 15%   <= 10%   (5%, 15%] is medium,
 *   medium   <= 30%   <= 30%   <= 15%   (15%, 30%] is high
 *   low      > 30%    > 30%    > 15%    > 30%
 *
 * 2024's report has the clusters elite 5%, medium 10%, high 20%, low 40%:
 * the high cluster failed more often than the medium one, an inversion
 * DORA remarked on.  dagtop keeps it: a rate is put with the cluster it
 * is closest to above elite (medium up to 15%, high up to 30%).
 */
static int
band_year(int year)
{
	return fk_year_known(year) ? year : 2023;
}

enum fk_band
fk_band_freq(int year, enum fk_freq f, int deployments)
{
	static const enum fk_band t21[] = { FK_BAND_LOW, FK_BAND_MEDIUM,
	    FK_BAND_HIGH, FK_BAND_HIGH, FK_BAND_ELITE };
	static const enum fk_band t22[] = { FK_BAND_LOW, FK_BAND_LOW,
	    FK_BAND_MEDIUM, FK_BAND_MEDIUM, FK_BAND_HIGH };
	static const enum fk_band t23[] = { FK_BAND_LOW, FK_BAND_LOW,
	    FK_BAND_MEDIUM, FK_BAND_HIGH, FK_BAND_ELITE };
	const enum fk_band *t;

	if (deployments < 0 || (unsigned)f > FK_FREQ_DAILY)
		return FK_BAND_NONE;
	if (deployments == 0)
		return FK_BAND_LOW;	/* no deployment is data: the worst */
	switch (band_year(year)) {
	case 2021:
		t = t21;
		break;
	case 2022:
		t = t22;
		break;
	default:
		t = t23;
		break;
	}
	return t[f];
}

enum fk_band
fk_band_lead(int year, int64_t s)
{
	if (s < 0)
		return FK_BAND_NONE;
	switch (band_year(year)) {
	case 2021:
		if (s < 3600)
			return FK_BAND_ELITE;
		if (s < WEEK)
			return FK_BAND_HIGH;
		return s < (int64_t)182 * DAY ? FK_BAND_MEDIUM : FK_BAND_LOW;
	case 2022:
		if (s < WEEK)
			return FK_BAND_HIGH;
		return s < (int64_t)30 * DAY ? FK_BAND_MEDIUM : FK_BAND_LOW;
	default:
		if (s < DAY)
			return FK_BAND_ELITE;
		if (s < WEEK)
			return FK_BAND_HIGH;
		return s < (int64_t)30 * DAY ? FK_BAND_MEDIUM : FK_BAND_LOW;
	}
}

/*
 * Rates come in as failed / deployments, a correctly rounded quotient, so
 * 3.0 / 20 compares equal to the literal 0.15: the edges are exact.
 */
enum fk_band
fk_band_cfr(int year, double r)
{
	if (!(r >= 0))			/* negative, or NaN */
		return FK_BAND_NONE;
	switch (band_year(year)) {
	case 2021:
		if (r <= 0.15)
			return FK_BAND_ELITE;
		if (r <= 0.20)
			return FK_BAND_HIGH;
		return r <= 0.30 ? FK_BAND_MEDIUM : FK_BAND_LOW;
	case 2022:
		if (r <= 0.15)
			return FK_BAND_HIGH;
		return r <= 0.30 ? FK_BAND_MEDIUM : FK_BAND_LOW;
	case 2024:
		if (r <= 0.05)
			return FK_BAND_ELITE;
		if (r <= 0.15)
			return FK_BAND_MEDIUM;
		return r <= 0.30 ? FK_BAND_HIGH : FK_BAND_LOW;
	default:
		if (r <= 0.05)
			return FK_BAND_ELITE;
		if (r <= 0.10)
			return FK_BAND_HIGH;
		return r <= 0.15 ? FK_BAND_MEDIUM : FK_BAND_LOW;
	}
}

enum fk_band
fk_band_restore(int year, int64_t s)
{
	if (s < 0)
		return FK_BAND_NONE;
	if (band_year(year) != 2022 && s < 3600)
		return FK_BAND_ELITE;
	if (s < DAY)
		return FK_BAND_HIGH;
	return s < WEEK ? FK_BAND_MEDIUM : FK_BAND_LOW;
}

const char *
fk_band_name(enum fk_band b)
{
	switch (b) {
	case FK_BAND_ELITE:
		return "elite";
	case FK_BAND_HIGH:
		return "high";
	case FK_BAND_MEDIUM:
		return "medium";
	case FK_BAND_LOW:
		return "low";
	default:
		return "no data";
	}
}

const char *
fk_freq_name(enum fk_freq f)
{
	switch (f) {
	case FK_FREQ_DAILY:
		return "daily";
	case FK_FREQ_WEEKLY:
		return "weekly";
	case FK_FREQ_MONTHLY:
		return "monthly";
	case FK_FREQ_YEARLY:
		return "yearly";
	default:
		return "none";
	}
}

/* --- trends --------------------------------------------------------------- */

/* +1 when cur is better than prev, -1 worse; lower is better if less. */
static int
trend(double cur, double prev, bool less)
{
	if (!(cur >= 0) || !(prev >= 0) || cur == prev)
		return 0;
	if (less)
		return cur < prev ? 1 : -1;
	return cur > prev ? 1 : -1;
}

int
fk_trend_freq(const struct fk_metrics *cur, const struct fk_metrics *prev)
{
	return trend(cur->per_day, prev->per_day, false);
}

int
fk_trend_lead(const struct fk_metrics *cur, const struct fk_metrics *prev)
{
	return trend((double)cur->lead_median, (double)prev->lead_median,
	    true);
}

int
fk_trend_cfr(const struct fk_metrics *cur, const struct fk_metrics *prev)
{
	return trend(cur->cfr, prev->cfr, true);
}

int
fk_trend_restore(const struct fk_metrics *cur, const struct fk_metrics *prev)
{
	return trend((double)cur->restore_median,
	    (double)prev->restore_median, true);
}

const char *
fk_trend_word(int t)
{
	return t > 0 ? "better" : t < 0 ? "worse" : "same";
}

const char *
fk_trend_cue(int t, bool more_is_better, bool ascii, bool words)
{
	/* [ascii][went down][worse][words] */
	static const char *const cue[2][2][2][2] = {
		{ { { "\xe2\x86\x91+", "\xe2\x86\x91 better" },
		    { "\xe2\x86\x91-", "\xe2\x86\x91 worse" } },
		  { { "\xe2\x86\x93+", "\xe2\x86\x93 better" },
		    { "\xe2\x86\x93-", "\xe2\x86\x93 worse" } } },
		{ { { "^+", "^ better" }, { "^-", "^ worse" } },
		  { { "v+", "v better" }, { "v-", "v worse" } } },
	};
	bool down = more_is_better ? t < 0 : t > 0;

	if (t == 0)
		return "";
	return cue[ascii][down][t < 0][words];
}
