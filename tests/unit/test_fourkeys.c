/*
 * test_fourkeys.c: the Four Keys model (src/model/fourkeys.c) on
 * hand-built deployments, changes and incidents with hand-computed
 * numbers: no data, linking rules (earliest deployment, unknown
 * deployments, pull requests, squash merges), blame (cause_deploy,
 * cause_sha prefix, latest before), change failure rate never above 1,
 * open incidents, medians and p90, window edges, the previous window and
 * trends, every frequency class, the bands of each report year at their
 * edges, input order, and "root cause: SHA".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "fourkeys.h"

#define H	3600
#define D	86400
#define W	(7 * D)
/* The evaluation instant and the 30-day window [FROM, TO). */
#define TO	((int64_t)20000 * D)
#define FROM	(TO - 30 * D)

static struct fk_deploy
dep(const char *id, const char *sha, int64_t at)
{
	struct fk_deploy d;

	memset(&d, 0, sizeof d);
	d.id = (char *)id;
	d.sha = (char *)sha;
	d.at = at;
	return d;
}

static struct fk_change
chg(const char *id, const char *deploy_id, int64_t at, int64_t merged)
{
	struct fk_change c;

	memset(&c, 0, sizeof c);
	c.id = (char *)id;
	c.deploy_id = (char *)deploy_id;
	c.at = at;
	c.merged = merged;
	return c;
}

static struct fk_incident
inc(const char *id, const char *sha, const char *cdep, int64_t opened,
    int64_t resolved)
{
	struct fk_incident i;

	memset(&i, 0, sizeof i);
	i.id = (char *)id;
	i.cause_sha = (char *)sha;
	i.cause_deploy = (char *)cdep;
	i.opened = opened;
	i.resolved = resolved;
	return i;
}

static void
eval(struct fk_deploy *dp, size_t nd, struct fk_change *c, size_t nc,
    struct fk_incident *in, size_t ni, int year, struct fk_result *r)
{
	struct fk_data d;

	d.dep = dp;
	d.ndep = nd;
	d.chg = c;
	d.nchg = nc;
	d.inc = in;
	d.ninc = ni;
	fk_evaluate(&d, TO, 30, year, r);
}

static void
test_empty(void **state)
{
	struct fk_data		d;
	struct fk_result	r;
	int			i;

	(void)state;
	memset(&d, 0, sizeof d);
	fk_evaluate(&d, TO, 30, 2023, &r);
	assert_int_equal(r.year, 2023);
	assert_true(r.cur.from == FROM && r.cur.to == TO);
	assert_true(r.prev.from == FROM - 30 * D && r.prev.to == FROM);
	assert_int_equal(r.cur.days, 30);
	assert_int_equal(r.cur.deployments, 0);
	assert_true(r.cur.per_day == 0 && r.cur.per_week == 0);
	assert_int_equal(r.cur.freq, FK_FREQ_NONE);
	for (i = 0; i < 30; i++)
		assert_int_equal(r.cur.daily[i] + r.prev.daily[i], 0);
	assert_int_equal(r.cur.changes, 0);
	assert_true(r.cur.lead_median == -1 && r.cur.lead_p90 == -1);
	assert_true(r.cur.cfr == -1);
	assert_true(r.cur.restore_median == -1);
	assert_int_equal(r.cur.incidents + r.cur.restored + r.cur.failed, 0);
	/* No deployment is the low band; the rest is no data, not elite. */
	assert_int_equal(r.band_freq, FK_BAND_LOW);
	assert_int_equal(r.band_lead, FK_BAND_NONE);
	assert_int_equal(r.band_cfr, FK_BAND_NONE);
	assert_int_equal(r.band_restore, FK_BAND_NONE);
	assert_int_equal(fk_trend_freq(&r.cur, &r.prev), 0);
	assert_int_equal(fk_trend_lead(&r.cur, &r.prev), 0);
	assert_int_equal(fk_trend_cfr(&r.cur, &r.prev), 0);
	assert_int_equal(fk_trend_restore(&r.cur, &r.prev), 0);
	fk_result_free(&r);
	assert_null(r.cur.daily);
	/* NULL data and an unknown year: the same, with 2023 bands. */
	fk_evaluate(NULL, TO, 30, 1999, &r);
	assert_int_equal(r.year, 2023);
	assert_int_equal(r.band_freq, FK_BAND_LOW);
	fk_result_free(&r);
}

static void
test_one_deploy(void **state)
{
	struct fk_deploy	d[1];
	struct fk_change	c[1];
	struct fk_result	r;

	(void)state;
	/* Day 29 (the last) of the window; a commit 2 hours earlier. */
	d[0] = dep("r#1", "aaaaaaa1", TO - 5 * H);
	c[0] = chg("aaaaaaa1", "r#1", TO - 7 * H, 0);
	eval(d, 1, c, 1, NULL, 0, 2023, &r);
	assert_int_equal(r.cur.deployments, 1);
	assert_int_equal(r.cur.daily[29], 1);
	/* 1 / 30 per day, 7 / 30 per week. */
	assert_true(r.cur.per_day == 1.0 / 30);
	assert_true(r.cur.per_week == 1.0 / 30 * 7);
	/* 4 weekly blocks [0,0,0,1]: median 0; one 30-day block with a
	 * deployment: median 1 -> MONTHLY (2023: medium). */
	assert_int_equal(r.cur.freq, FK_FREQ_MONTHLY);
	assert_int_equal(r.band_freq, FK_BAND_MEDIUM);
	assert_int_equal(r.cur.changes, 1);
	assert_true(r.cur.lead_median == 2 * H && r.cur.lead_p90 == 2 * H);
	assert_int_equal(r.band_lead, FK_BAND_ELITE);	/* < 1 day */
	assert_true(r.cur.cfr == 0);
	assert_int_equal(r.band_cfr, FK_BAND_ELITE);
	assert_int_equal(r.band_restore, FK_BAND_NONE);
	assert_int_equal(r.links.dep_changes[0], 1);
	assert_true(r.links.dep_lead[0] == 2 * H);
	assert_int_equal(r.links.chg_deploy[0], 0);
	assert_int_equal(r.prev.deployments, 0);
	assert_int_equal(fk_trend_freq(&r.cur, &r.prev), 1);
	fk_result_free(&r);
}

/*
 * Blame.  Deployments A (day 2), B (day 10), C (day 20) of the window.
 * B ships commit "0123456789abcdef" (also listed under C: it belongs to
 * B).  Incidents:
 *  i0 opened day 12, no cause: latest before it is B;
 *  i1 opened day 1 (before A), no cause: no blame, still restored (2 h);
 *  i2 cause_sha "0123456" (a prefix of B's change) opened day 25: B;
 *  i3 cause_deploy "C": C; i4 cause_deploy "C" too (overlapping, open);
 *  i5 cause_sha "ffffffff" matching nothing, opened day 3: A.
 */
static void
test_blame(void **state)
{
	struct fk_deploy	d[3];
	struct fk_change	c[3];
	struct fk_incident	in[6];
	struct fk_result	r;

	(void)state;
	d[0] = dep("A", "aaaaaaaa", FROM + 2 * D);
	d[1] = dep("B", "bbbbbbbb", FROM + 10 * D);
	d[2] = dep("C", "cccccccc", FROM + 20 * D);
	c[0] = chg("0123456789abcdef", "B", FROM + 9 * D, 0);
	c[1] = chg("0123456789abcdef", "C", FROM + 9 * D, 0);
	c[2] = chg("cccccccc", "C", FROM + 20 * D - 3 * H, 0);
	in[0] = inc("i0", NULL, NULL, FROM + 12 * D, FROM + 12 * D + 1 * H);
	in[1] = inc("i1", NULL, NULL, FROM + 1 * D, FROM + 1 * D + 2 * H);
	in[2] = inc("i2", "0123456", NULL, FROM + 25 * D,
	    FROM + 25 * D + 3 * H);
	in[3] = inc("i3", NULL, "C", FROM + 21 * D, FROM + 21 * D + 4 * H);
	in[4] = inc("i4", NULL, "C", FROM + 21 * D + H, 0);
	in[5] = inc("i5", "ffffffff", NULL, FROM + 3 * D,
	    FROM + 3 * D + 5 * H);
	eval(d, 3, c, 3, in, 6, 2023, &r);
	assert_int_equal(r.links.inc_deploy[0], 1);
	assert_int_equal(r.links.inc_deploy[1], -1);
	assert_int_equal(r.links.inc_deploy[2], 1);
	assert_int_equal(r.links.inc_deploy[3], 2);
	assert_int_equal(r.links.inc_deploy[4], 2);
	assert_int_equal(r.links.inc_deploy[5], 0);
	assert_int_equal(r.links.dep_incidents[0], 1);
	assert_int_equal(r.links.dep_incidents[1], 2);
	assert_int_equal(r.links.dep_incidents[2], 2);
	/* The change listed twice belongs to B; C ships only its own. */
	assert_int_equal(r.links.chg_deploy[0], 1);
	assert_int_equal(r.links.chg_deploy[1], 1);
	assert_int_equal(r.links.dep_changes[1], 1);
	assert_int_equal(r.links.dep_changes[2], 1);
	/* Leads: B - 9d = 1 day, C 3 h: sorted [3h, 1d], median
	 * (3h + 24h) / 2 = 13.5 h, p90 rank ceil(1.8) = 2 -> 1 day. */
	assert_int_equal(r.cur.changes, 2);
	assert_true(r.cur.lead_median == 27 * H / 2);
	assert_true(r.cur.lead_p90 == D);
	/* All three failed: 3 / 3 = 1, never above. */
	assert_int_equal(r.cur.failed, 3);
	assert_true(r.cur.cfr == 1.0);
	assert_int_equal(r.band_cfr, FK_BAND_LOW);
	/* 6 incidents, i4 open: restored 5: [1h,2h,3h,4h,5h] -> 3 h. */
	assert_int_equal(r.cur.incidents, 6);
	assert_int_equal(r.cur.restored, 5);
	assert_true(r.cur.restore_median == 3 * H);
	assert_int_equal(r.band_restore, FK_BAND_HIGH);
	fk_result_free(&r);
}

/*
 * Overlapping incidents on one of four deployments: failed 1, cfr 1/4;
 * the other three clean.
 */
static void
test_cfr_distinct(void **state)
{
	struct fk_deploy	d[4];
	struct fk_incident	in[3];
	struct fk_result	r;
	int			i;

	(void)state;
	for (i = 0; i < 4; i++)
		d[i] = dep(i == 0 ? "d0" : i == 1 ? "d1" : i == 2 ? "d2" :
		    "d3", NULL, FROM + (int64_t)(i * 7 + 1) * D);
	for (i = 0; i < 3; i++)
		in[i] = inc("x", NULL, "d1", FROM + 9 * D + i * H,
		    FROM + 9 * D + (i + 2) * H);
	eval(d, 4, NULL, 0, in, 3, 2021, &r);
	assert_int_equal(r.cur.failed, 1);
	assert_true(r.cur.cfr == 0.25);
	assert_int_equal(r.band_cfr, FK_BAND_MEDIUM);	/* 2021 <= 30% */
	/* restore [2h,2h,2h] -> 2 h; 2021: < 1 day high. */
	assert_true(r.cur.restore_median == 2 * H);
	assert_int_equal(r.band_restore, FK_BAND_HIGH);
	fk_result_free(&r);
}

/*
 * Changes: a squash merge (its commits each one change whose time is the
 * squash time), pull requests (merged - at), a change of an unknown
 * deployment, leads <= 0, a change with neither deploy_id nor merged.
 */
static void
test_changes(void **state)
{
	struct fk_deploy	d[1];
	struct fk_change	c[7];
	struct fk_result	r;
	int64_t			sq = FROM + 5 * D;

	(void)state;
	d[0] = dep("v1", "5555555", FROM + 5 * D + 10 * H);
	/* two squashed commits, both at the squash time: 10 h each */
	c[0] = chg("5555555", "v1", sq, 0);
	c[1] = chg("5555556", "v1", sq, 0);
	/* pull requests: 4 h and 30 h, by their merge time (in window) */
	c[2] = chg("o/r#1", NULL, FROM + 6 * D, FROM + 6 * D + 4 * H);
	c[3] = chg("o/r#2", NULL, FROM + 6 * D, FROM + 7 * D + 6 * H);
	/* unknown deployment: nowhere */
	c[4] = chg("7777777", "v9", FROM, 0);
	/* lead 0 (the merge push itself) and negative: dropped */
	c[5] = chg("8888888", "v1", FROM + 5 * D + 10 * H, 0);
	c[6] = chg("o/r#3", NULL, FROM + 8 * D, FROM + 7 * D);
	eval(d, 1, c, 7, NULL, 0, 2023, &r);
	/* [4h, 10h, 10h, 30h]: median (10+10)/2 = 10 h; p90 ceil(3.6)=4
	 * -> 30 h */
	assert_int_equal(r.cur.changes, 4);
	assert_true(r.cur.lead_median == 10 * H);
	assert_true(r.cur.lead_p90 == 30 * H);
	assert_int_equal(r.links.chg_deploy[4], -1);
	assert_int_equal(r.links.chg_deploy[2], -1);
	assert_int_equal(r.links.chg_deploy[5], 0);
	/* 3 changes shipped by v1 (one with lead 0), median of [10h,10h] */
	assert_int_equal(r.links.dep_changes[0], 3);
	assert_true(r.links.dep_lead[0] == 10 * H);
	/* lead medians: odd count */
	c[3].merged = 0;		/* now ignored: [4h, 10h, 10h] */
	fk_result_free(&r);
	eval(d, 1, c, 7, NULL, 0, 2023, &r);
	assert_int_equal(r.cur.changes, 3);
	assert_true(r.cur.lead_median == 10 * H);
	assert_true(r.cur.lead_p90 == 10 * H);	/* ceil(2.7) = 3rd */
	fk_result_free(&r);
}

/* A median of two values an odd second apart rounds down; p90 of 10. */
static void
test_median_p90(void **state)
{
	struct fk_deploy	d[1];
	struct fk_change	c[10];
	struct fk_result	r;
	char			id[10][16];
	int			i;

	(void)state;
	d[0] = dep("d", NULL, FROM + D);
	for (i = 0; i < 10; i++) {
		snprintf(id[i], sizeof id[i], "c%d", i);
		c[i] = chg(id[i], "d", FROM + D - (i + 1) * 10, 0);
	}
	/* leads 10, 20, ..., 100: median (50+60)/2 = 55, p90 9th = 90 */
	eval(d, 1, c, 10, NULL, 0, 2023, &r);
	assert_true(r.cur.lead_median == 55);
	assert_true(r.cur.lead_p90 == 90);
	fk_result_free(&r);
	/* leads 10 and 21: (10 + 21) / 2 = 15.5 -> 15 */
	c[1].at = FROM + D - 21;
	eval(d, 1, c, 2, NULL, 0, 2023, &r);
	assert_true(r.cur.lead_median == 15);
	assert_true(r.cur.lead_p90 == 21);	/* ceil(1.8) = 2nd */
	fk_result_free(&r);
}

/* at == from is in the window, at == to is not; prev window and trends. */
static void
test_windows_trends(void **state)
{
	struct fk_deploy	d[5];
	struct fk_change	c[3];
	struct fk_incident	in[2];
	struct fk_result	r;

	(void)state;
	d[0] = dep("edge-from", NULL, FROM);
	d[1] = dep("edge-to", NULL, TO);
	d[2] = dep("p1", NULL, FROM - 1);		/* prev, last day */
	d[3] = dep("p2", NULL, FROM - 30 * D);		/* prev, first day */
	d[4] = dep("p3", NULL, FROM - 30 * D - 1);	/* neither */
	c[0] = chg("a", "edge-from", FROM - 2 * H, 0);	/* cur 2 h */
	c[1] = chg("b", "p1", FROM - 1 - 5 * H, 0);	/* prev 5 h */
	c[2] = chg("c", "edge-to", TO - H, 0);		/* neither */
	in[0] = inc("i", NULL, "p2", FROM - 20 * D, FROM - 20 * D + 2 * D);
	in[1] = inc("j", NULL, NULL, FROM + H, FROM + 2 * H);
	eval(d, 5, c, 3, in, 2, 2023, &r);
	assert_int_equal(r.cur.deployments, 1);
	assert_int_equal(r.cur.daily[0], 1);
	assert_int_equal(r.prev.deployments, 2);
	assert_int_equal(r.prev.daily[0], 1);
	assert_int_equal(r.prev.daily[29], 1);
	assert_true(r.cur.lead_median == 2 * H && r.prev.lead_median == 5 * H);
	/* j blames edge-from (latest at or before FROM + 1 h) */
	assert_int_equal(r.links.inc_deploy[1], 0);
	assert_true(r.cur.cfr == 1.0 && r.prev.cfr == 0.5);
	assert_true(r.cur.restore_median == H);
	assert_true(r.prev.restore_median == 2 * D);
	/* cur: 1/30 per day < 2/30: worse; lead 2h < 5h: better; cfr 1 >
	 * 0.5: worse; restore 1 h < 2 days: better. */
	assert_int_equal(fk_trend_freq(&r.cur, &r.prev), -1);
	assert_int_equal(fk_trend_lead(&r.cur, &r.prev), 1);
	assert_int_equal(fk_trend_cfr(&r.cur, &r.prev), -1);
	assert_int_equal(fk_trend_restore(&r.cur, &r.prev), 1);
	assert_int_equal(fk_trend_freq(&r.cur, &r.cur), 0);
	/* Each cue names its own metric's move: frequency went down
	 * (worse), lead time down (better), failure rate up (worse),
	 * restore time down (better). */
	assert_string_equal(fk_trend_cue(fk_trend_freq(&r.cur, &r.prev),
	    true, false, false), "\xe2\x86\x93-");
	assert_string_equal(fk_trend_cue(fk_trend_lead(&r.cur, &r.prev),
	    false, false, true), "\xe2\x86\x93 better");
	assert_string_equal(fk_trend_cue(fk_trend_cfr(&r.cur, &r.prev),
	    false, true, false), "^-");
	assert_string_equal(fk_trend_cue(fk_trend_restore(&r.cur, &r.prev),
	    false, true, true), "v better");
	fk_result_free(&r);
}

/*
 * The cue beside a figure: the arrow is the value's direction, the text
 * whether that is better, and the word is the report's.
 */
static void
test_trend_cue(void **state)
{
	(void)state;
	/* more is better: up is better, down worse */
	assert_string_equal(fk_trend_cue(1, true, true, false), "^+");
	assert_string_equal(fk_trend_cue(-1, true, true, false), "v-");
	/* less is better: a lead time that went up is worse */
	assert_string_equal(fk_trend_cue(-1, false, true, false), "^-");
	assert_string_equal(fk_trend_cue(-1, false, false, false),
	    "\xe2\x86\x91-");
	assert_string_equal(fk_trend_cue(-1, false, false, true),
	    "\xe2\x86\x91 worse");
	assert_string_equal(fk_trend_cue(1, false, true, true), "v better");
	assert_string_equal(fk_trend_cue(0, false, false, true), "");
	assert_string_equal(fk_trend_cue(0, true, true, false), "");
	assert_string_equal(fk_trend_word(1), "better");
	assert_string_equal(fk_trend_word(-1), "worse");
	assert_string_equal(fk_trend_word(0), "same");
}

/* Deployments on the given days of a 28-day window; the class. */
static enum fk_freq
freq_of(const int *day, int n, int days)
{
	struct fk_deploy	d[64];
	struct fk_data		data;
	struct fk_result	r;
	enum fk_freq		f;
	int			i;

	for (i = 0; i < n; i++)
		d[i] = dep(NULL, NULL, TO - (int64_t)days * D +
		    (int64_t)day[i] * D + H);
	memset(&data, 0, sizeof data);
	data.dep = d;
	data.ndep = (size_t)n;
	fk_evaluate(&data, TO, days, 2023, &r);
	f = r.cur.freq;
	fk_result_free(&r);
	return f;
}

static void
test_freq(void **state)
{
	/* 4 weeks: days 0-6, 7-13, 14-20, 21-27 */
	static const int daily[] = { 0, 1, 2, 7, 8, 9, 14, 15, 16, 21 };
	static const int half3[] = { 0, 1, 2, 7, 8, 9 };
	static const int weekly[] = { 0, 7, 14 };
	static const int halfw[] = { 0, 7 };
	static const int one[] = { 0 };
	/* 60 days: 30-day blocks [0,30) and [30,60) */
	static const int mon[] = { 5, 35 };

	(void)state;
	/* deployment days per week [3,3,3,1]: median 3 -> DAILY */
	assert_int_equal(freq_of(daily, 10, 28), FK_FREQ_DAILY);
	/* [3,3,0,0]: (0+3)/2 = 1.5 -> not daily; weeks [1,1,0,0]:
	 * 0.5 -> not weekly; no 30-day block in 28 days -> YEARLY */
	assert_int_equal(freq_of(half3, 6, 28), FK_FREQ_YEARLY);
	/* weeks [1,1,1,0]: median 1 -> WEEKLY */
	assert_int_equal(freq_of(weekly, 3, 28), FK_FREQ_WEEKLY);
	/* exactly half the weeks: interpolated 0.5, not WEEKLY */
	assert_int_equal(freq_of(halfw, 2, 28), FK_FREQ_YEARLY);
	/* 30 days: one 30-day block with a deployment -> MONTHLY */
	assert_int_equal(freq_of(one, 1, 30), FK_FREQ_MONTHLY);
	/* 60 days, both 30-day blocks: MONTHLY; one of two: 0.5 -> YEARLY */
	assert_int_equal(freq_of(mon, 2, 60), FK_FREQ_MONTHLY);
	assert_int_equal(freq_of(mon, 1, 60), FK_FREQ_YEARLY);
	assert_int_equal(freq_of(one, 0, 30), FK_FREQ_NONE);
	/* 2 days: no full block, yet any deployment is YEARLY */
	assert_int_equal(freq_of(one, 1, 2), FK_FREQ_YEARLY);
	assert_string_equal(fk_freq_name(FK_FREQ_WEEKLY), "weekly");
	assert_string_equal(fk_freq_name(FK_FREQ_NONE), "none");
}

static void
test_bands(void **state)
{
	(void)state;
	/* frequency */
	assert_int_equal(fk_band_freq(2021, FK_FREQ_DAILY, 5), FK_BAND_ELITE);
	assert_int_equal(fk_band_freq(2021, FK_FREQ_MONTHLY, 5), FK_BAND_HIGH);
	assert_int_equal(fk_band_freq(2021, FK_FREQ_YEARLY, 1),
	    FK_BAND_MEDIUM);
	assert_int_equal(fk_band_freq(2022, FK_FREQ_DAILY, 5), FK_BAND_HIGH);
	assert_int_equal(fk_band_freq(2022, FK_FREQ_WEEKLY, 5),
	    FK_BAND_MEDIUM);
	assert_int_equal(fk_band_freq(2022, FK_FREQ_YEARLY, 1), FK_BAND_LOW);
	assert_int_equal(fk_band_freq(2024, FK_FREQ_WEEKLY, 5), FK_BAND_HIGH);
	assert_int_equal(fk_band_freq(2023, FK_FREQ_MONTHLY, 5),
	    FK_BAND_MEDIUM);
	assert_int_equal(fk_band_freq(2023, FK_FREQ_NONE, 0), FK_BAND_LOW);
	assert_int_equal(fk_band_freq(2023, FK_FREQ_DAILY, -1), FK_BAND_NONE);
	assert_int_equal(fk_band_freq(1990, FK_FREQ_DAILY, 9), FK_BAND_ELITE);
	/* lead time edges */
	assert_int_equal(fk_band_lead(2021, H - 1), FK_BAND_ELITE);
	assert_int_equal(fk_band_lead(2021, H), FK_BAND_HIGH);
	assert_int_equal(fk_band_lead(2021, W), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_lead(2021, 182 * (int64_t)D - 1),
	    FK_BAND_MEDIUM);
	assert_int_equal(fk_band_lead(2021, 182 * (int64_t)D), FK_BAND_LOW);
	assert_int_equal(fk_band_lead(2022, 1), FK_BAND_HIGH);
	assert_int_equal(fk_band_lead(2022, W), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_lead(2022, 30 * D), FK_BAND_LOW);
	assert_int_equal(fk_band_lead(2023, D - 1), FK_BAND_ELITE);
	assert_int_equal(fk_band_lead(2024, D), FK_BAND_HIGH);
	assert_int_equal(fk_band_lead(2023, W - 1), FK_BAND_HIGH);
	assert_int_equal(fk_band_lead(2023, 30 * D - 1), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_lead(2023, 30 * D), FK_BAND_LOW);
	assert_int_equal(fk_band_lead(2023, -1), FK_BAND_NONE);
	assert_int_equal(fk_band_lead(3000, D - 1), FK_BAND_ELITE);
	/* restore */
	assert_int_equal(fk_band_restore(2021, H - 1), FK_BAND_ELITE);
	assert_int_equal(fk_band_restore(2023, H), FK_BAND_HIGH);
	assert_int_equal(fk_band_restore(2024, D), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_restore(2024, W - 1), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_restore(2021, W), FK_BAND_LOW);
	assert_int_equal(fk_band_restore(2022, 0), FK_BAND_HIGH);
	assert_int_equal(fk_band_restore(2022, D), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_restore(2022, W), FK_BAND_LOW);
	assert_int_equal(fk_band_restore(2022, -5), FK_BAND_NONE);
	/* change failure rate, rates as failed / deployments */
	assert_int_equal(fk_band_cfr(2021, 3.0 / 20), FK_BAND_ELITE);
	assert_int_equal(fk_band_cfr(2021, 0.16), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2021, 1.0 / 5), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2021, 3.0 / 10), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_cfr(2021, 0.31), FK_BAND_LOW);
	assert_int_equal(fk_band_cfr(2022, 0), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2022, 3.0 / 20), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2022, 0.2), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_cfr(2022, 0.35), FK_BAND_LOW);
	assert_int_equal(fk_band_cfr(2023, 1.0 / 20), FK_BAND_ELITE);
	assert_int_equal(fk_band_cfr(2023, 1.0 / 10), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2023, 3.0 / 20), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_cfr(2023, 0.16), FK_BAND_LOW);
	assert_int_equal(fk_band_cfr(2024, 1.0 / 20), FK_BAND_ELITE);
	assert_int_equal(fk_band_cfr(2024, 1.0 / 10), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_cfr(2024, 3.0 / 20), FK_BAND_MEDIUM);
	assert_int_equal(fk_band_cfr(2024, 1.0 / 5), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2024, 3.0 / 10), FK_BAND_HIGH);
	assert_int_equal(fk_band_cfr(2024, 0.4), FK_BAND_LOW);
	assert_int_equal(fk_band_cfr(2024, -1), FK_BAND_NONE);
	assert_int_equal(fk_band_cfr(2020, 0.16), FK_BAND_LOW);	/* 2023 */
	assert_true(fk_year_known(2021) && fk_year_known(2024));
	assert_false(fk_year_known(2020) || fk_year_known(2025));
	assert_string_equal(fk_band_name(FK_BAND_ELITE), "elite");
	assert_string_equal(fk_band_name(FK_BAND_NONE), "no data");
}

/* The same data in reverse and rotated orders: the same numbers. */
static void
test_order(void **state)
{
	struct fk_deploy	d[4], d2[4];
	struct fk_change	c[5], c2[5];
	struct fk_incident	in[3], in2[3];
	struct fk_result	r, r2;
	int			i, k;

	(void)state;
	d[0] = dep("a", "a000000", FROM + 1 * D);
	d[1] = dep("b", "b000000", FROM + 4 * D);
	d[2] = dep("c", "c000000", FROM + 4 * D);	/* same time as b */
	d[3] = dep("d", "d000000", FROM + 9 * D);
	c[0] = chg("x111111", "b", FROM + 3 * D, 0);
	c[1] = chg("x111111", "d", FROM + 8 * D, 0);
	c[2] = chg("x111111", "c", FROM + 2 * D, 0);
	c[3] = chg("y222222", "a", FROM, 0);
	c[4] = chg("o/r#5", NULL, FROM, FROM + 3 * H);
	in[0] = inc("1", "x111111", NULL, FROM + 12 * D, FROM + 13 * D);
	in[1] = inc("2", NULL, NULL, FROM + 4 * D + H, FROM + 4 * D + 9 * H);
	in[2] = inc("3", NULL, NULL, FROM + 4 * D, 0);
	eval(d, 4, c, 5, in, 3, 2023, &r);
	for (k = 1; k < 4; k++) {
		/* reversed (newest first), then rotated by k */
		for (i = 0; i < 4; i++)
			d2[i] = d[(3 - i + k) % 4];
		for (i = 0; i < 5; i++)
			c2[i] = c[(4 - i + k) % 5];
		for (i = 0; i < 3; i++)
			in2[i] = in[(2 - i + k) % 3];
		eval(d2, 4, c2, 5, in2, 3, 2023, &r2);
		assert_int_equal(r.cur.deployments, r2.cur.deployments);
		assert_int_equal(r.cur.changes, r2.cur.changes);
		assert_true(r.cur.lead_median == r2.cur.lead_median);
		assert_true(r.cur.lead_p90 == r2.cur.lead_p90);
		assert_int_equal(r.cur.failed, r2.cur.failed);
		assert_true(r.cur.cfr == r2.cur.cfr);
		assert_true(r.cur.restore_median == r2.cur.restore_median);
		assert_int_equal(r.cur.freq, r2.cur.freq);
		/* the links follow the entries */
		for (i = 0; i < 3; i++) {
			int a = r2.links.inc_deploy[i];
			int b = r.links.inc_deploy[(2 - i + k) % 3];

			assert_string_equal(d2[a].id, d[b].id);
		}
		fk_result_free(&r2);
	}
	/* x111111: b and c at the same time; "b" < "c" ranks b first.
	 * b: lead 1 day; y: 1 day; PR 3 h: [3h, 1d, 1d] -> 1 day. */
	assert_int_equal(r.links.chg_deploy[0], 1);
	assert_int_equal(r.links.chg_deploy[2], 1);
	assert_true(r.cur.lead_median == D);
	/* 1 -> b (via x111111); 2 and 3 -> c (latest at or before: c
	 * ties b at the same instant and ranks later); failed 2 of 4 */
	assert_int_equal(r.links.inc_deploy[0], 1);
	assert_int_equal(r.links.inc_deploy[1], 2);
	assert_int_equal(r.links.inc_deploy[2], 2);
	assert_true(r.cur.cfr == 0.5);
	fk_result_free(&r);
}

/* A deployment listed twice (same id) counts once. */
static void
test_duplicate_deploy(void **state)
{
	struct fk_deploy	d[2];
	struct fk_result	r;

	(void)state;
	d[0] = dep("same", "s", FROM + 2 * D);
	d[1] = dep("same", "s", FROM + 2 * D);
	eval(d, 2, NULL, 0, NULL, 0, 2023, &r);
	assert_int_equal(r.cur.deployments, 1);
	fk_result_free(&r);
}

static void
test_root_cause(void **state)
{
	char out[41];

	(void)state;
	assert_int_equal(fk_root_cause("Root Cause : ABCDEF1", out), 0);
	assert_string_equal(out, "abcdef1");
	assert_int_equal(fk_root_cause("x root cause:0123456789abcdef, y",
	    out), 0);
	assert_string_equal(out, "0123456789abcdef");
	assert_int_equal(fk_root_cause("ROOT CAUSE:\t"
	    "0123456789012345678901234567890123456789.", out), 0);
	assert_int_equal((int)strlen(out), 40);
	/* too short, too long, followed by letters, no colon, NULL */
	assert_int_equal(fk_root_cause("root cause: abc", out), -1);
	assert_int_equal(fk_root_cause("root cause: "
	    "01234567890123456789012345678901234567890", out), -1);
	assert_int_equal(fk_root_cause("root cause: abcdefg1234xyz", out), -1);
	assert_int_equal(fk_root_cause("root cause abcdef12", out), -1);
	assert_int_equal(fk_root_cause(NULL, out), -1);
	assert_int_equal(fk_root_cause("", out), -1);
	/* a bad first mention, a good second */
	assert_int_equal(fk_root_cause("root cause: tbd; root cause: "
	    "deadbeef", out), 0);
	assert_string_equal(out, "deadbeef");
}

static void
test_data_free(void **state)
{
	struct fk_data d;

	(void)state;
	memset(&d, 0, sizeof d);
	d.ndep = 2;
	d.dep = xcalloc(2, sizeof *d.dep);
	d.dep[0].id = xstrdup("a");
	d.dep[1].url = xstrdup("u");
	d.nchg = 1;
	d.chg = xcalloc(1, sizeof *d.chg);
	d.chg[0].deploy_id = xstrdup("a");
	d.ninc = 1;
	d.inc = xcalloc(1, sizeof *d.inc);
	d.inc[0].title = xstrdup("t");
	d.inc[0].cause_sha = xstrdup("abcdef0");
	fk_data_free(&d);
	assert_null(d.dep);
	assert_int_equal(d.ndep + d.nchg + d.ninc, 0);
	fk_data_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_deploy),
		cmocka_unit_test(test_blame),
		cmocka_unit_test(test_cfr_distinct),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_median_p90),
		cmocka_unit_test(test_windows_trends),
		cmocka_unit_test(test_freq),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_duplicate_deploy),
		cmocka_unit_test(test_root_cause),
		cmocka_unit_test(test_trend_cue),
		cmocka_unit_test(test_data_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
