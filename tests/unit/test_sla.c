/*
 * test_sla.c: SLA days, weeks and outcomes (src/model/sla.c): every
 * outcome, reruns and manual runs, DST in New York, days lists, weeks with
 * week_start, and the trailing 26-week compliance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"
#include "sla.h"
#include "tz.h"
#include "zoneinfo.h"

#define H 3600
#define M 60

static int64_t
day_of(int y, int m, int d)
{
	return tz_days_from_civil(y, m, d);
}

/* An instant: local wall time in zone z. */
static int64_t
at(const struct tz *z, int y, int m, int d, int hh, int mm)
{
	return tz_mktime(z, y, m, d, hh, mm, 0);
}

static struct sla_def
def(int deadline, unsigned days)
{
	struct sla_def d;

	memset(&d, 0, sizeof d);
	d.name = "t";
	d.dag_id = "dag";
	d.deadline = deadline;
	d.days = days;
	return d;
}

static struct sla_attempt
att(const char *run, int64_t iend, int64_t start, int64_t end,
    enum sla_attempt_state st)
{
	struct sla_attempt a;

	memset(&a, 0, sizeof a);
	a.run_id = run;
	a.run_type = "scheduled";
	a.interval_end = iend;
	a.start = start;
	a.end = end;
	a.state = st;
	return a;
}

static void
test_parse(void **state)
{
	struct buf	err = BUF_INIT;
	unsigned	m;
	int		s, wd;

	(void)state;
	assert_int_equal(sla_parse_deadline("10:00", &s), 0);
	assert_int_equal(s, 10 * H);
	assert_int_equal(sla_parse_deadline("9:05", &s), 0);
	assert_int_equal(s, 9 * H + 5 * M);
	assert_int_equal(sla_parse_deadline("23:59", &s), 0);
	assert_int_equal(sla_parse_deadline("24:00", &s), -1);
	assert_int_equal(sla_parse_deadline("10:60", &s), -1);
	assert_int_equal(sla_parse_deadline("10", &s), -1);
	assert_int_equal(sla_parse_deadline("10:00x", &s), -1);
	assert_int_equal(sla_parse_deadline("", &s), -1);
	assert_int_equal(sla_parse_weekday("Monday", &wd), 0);
	assert_int_equal(wd, 1);
	assert_int_equal(sla_parse_weekday("sun", &wd), 0);
	assert_int_equal(wd, 0);
	assert_int_equal(sla_parse_weekday("mo", &wd), -1);

	assert_int_equal(sla_parse_days("mon-fri", &m, &err), 0);
	assert_int_equal(m, SLA_WEEKDAYS);
	assert_int_equal(sla_parse_days("daily", &m, &err), 0);
	assert_int_equal(m, SLA_ALL_DAYS);
	assert_int_equal(sla_parse_days("mon-sun", &m, &err), 0);
	assert_int_equal(m, SLA_ALL_DAYS);
	assert_int_equal(sla_parse_days("mon, wed ,fri", &m, &err), 0);
	assert_int_equal(m, 0x2au);
	assert_int_equal(sla_parse_days("fri-mon", &m, &err), 0);	/* wraps */
	assert_int_equal(m, 0x63u);
	assert_int_equal(sla_parse_days("mon-wed,sat", &m, &err), 0);
	assert_int_equal(m, 0x4eu);
	assert_int_equal(sla_parse_days("mon-frx", &m, &err), -1);
	assert_non_null(strstr(buf_str(&err), "'mon-frx'"));
	buf_reset(&err);
	assert_int_equal(sla_parse_days("", &m, &err), -1);
	buf_free(&err);
}

static void
check_days(unsigned m, const char *want)
{
	struct buf b = BUF_INIT;

	sla_days_format(m, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_days_format(void **state)
{
	(void)state;
	check_days(SLA_ALL_DAYS, "daily");
	check_days(SLA_WEEKDAYS, "mon-fri");
	check_days(0x2au, "mon,wed,fri");
	check_days(0x41u, "sat,sun");
	check_days(0x4eu, "mon-wed,sat");
	check_days(0x1u, "sun");
}

static void
check_week(const char *w, int ws, int y, int m, int d)
{
	int64_t		 first;
	struct buf	 b = BUF_INIT;

	assert_int_equal(sla_week_parse(w, ws, &first), 0);
	assert_int_equal(first, day_of(y, m, d));
	assert_int_equal(tz_weekday(first), ws);
	sla_week_name(first, ws, &b);
	assert_string_equal(buf_str(&b), w);
	buf_free(&b);
}

static void
check_label(int64_t day, int width, const char *want)
{
	struct buf b = BUF_INIT;

	sla_day_label(day, width, &b);
	assert_string_equal(buf_str(&b), want);
	assert_true((int)b.len <= (width < 2 ? 2 : width));
	buf_free(&b);
}

/*
 * A day's heading keeps its whole day of the month at every width: the
 * console once showed "Mon 3" for Monday the 30th and "Mon 2".."Sun 2"
 * for the 23rd..29th.
 */
static void
test_day_label(void **state)
{
	int64_t mon30 = day_of(2026, 11, 30), k;
	const char *week48[7] = {
		"Mo 23", "Tu 24", "We 25", "Th 26", "Fr 27", "Sa 28", "Su 29"
	};

	(void)state;
	check_label(mon30, 8, "Mon 30");
	check_label(mon30, 6, "Mon 30");
	check_label(mon30, 5, "Mo 30");
	check_label(mon30, 4, "Mo30");
	check_label(mon30, 3, "30");
	check_label(mon30, 1, "30");
	check_label(day_of(2026, 12, 1), 5, "Tue 1");
	check_label(day_of(2026, 12, 1), 3, "Tu1");
	check_label(day_of(2026, 12, 1), 1, "1");
	/* Across a month's end and a year's end. */
	check_label(day_of(2026, 12, 31), 6, "Thu 31");
	check_label(day_of(2027, 1, 1), 6, "Fri 1");
	check_label(day_of(2028, 2, 29), 6, "Tue 29");
	/* Week 48 of 2026 at 80 columns: seven different days. */
	for (k = 0; k < 7; k++)
		check_label(sla_week_first(day_of(2026, 11, 25), 1) + k, 5,
		    week48[k]);
}

static void
test_weeks(void **state)
{
	int64_t first;

	(void)state;
	check_week("2026-W47", 1, 2026, 11, 16);
	check_week("2026-W47", 0, 2026, 11, 15);	/* sunday weeks */
	check_week("2026-W47", 6, 2026, 11, 14);	/* saturday weeks */
	check_week("2026-W01", 1, 2025, 12, 29);	/* ISO year differs */
	check_week("2020-W53", 1, 2020, 12, 28);
	assert_int_equal(sla_week_parse("2025-W53", 1, &first), -1);
	check_week("2026-W53", 1, 2026, 12, 28);	/* 2026 has 53 */
	assert_int_equal(sla_week_parse("2026-W00", 1, &first), -1);
	assert_int_equal(sla_week_parse("2026-47", 1, &first), -1);
	assert_int_equal(sla_week_parse("2026-W47x", 1, &first), -1);
	/* The week holding a day, by week_start. */
	assert_int_equal(sla_week_first(day_of(2026, 11, 22), 1),
	    day_of(2026, 11, 16));
	assert_int_equal(sla_week_first(day_of(2026, 11, 22), 0),
	    day_of(2026, 11, 22));
	assert_int_equal(sla_week_first(day_of(2026, 11, 16), 1),
	    day_of(2026, 11, 16));
	assert_int_equal(sla_date_parse("2026-02-30", &first), -1);
	assert_int_equal(sla_date_parse("2026-02-28", &first), 0);
	assert_int_equal(first, day_of(2026, 2, 28));
}

/*
 * Every outcome on one day, 2026-11-20 (a Friday) in Tokyo, deadline
 * 10:00 JST = 01:00 UTC.  The run for the day ends its interval at 09:00
 * JST.
 */
static void
test_outcomes(void **state)
{
	struct buf		 err = BUF_INIT;
	struct tz		*z = zoneinfo_load("Asia/Tokyo", &err);
	struct sla_def		 d = def(10 * H, SLA_WEEKDAYS);
	int64_t			 day = day_of(2026, 11, 20);
	int64_t			 iend = at(z, 2026, 11, 20, 9, 0);
	int64_t			 dl = at(z, 2026, 11, 20, 10, 0);
	int64_t			 later = dl + 12 * H;
	struct sla_attempt	 v[3];
	struct sla_day		 o;

	(void)state;
	assert_non_null(z);
	/* met */
	v[0] = att("s", iend, iend + 5 * M, dl - 10 * M, SLA_SUCCEEDED);
	sla_eval_day(&d, z, day, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_MET);
	assert_int_equal(o.deadline, dl);
	assert_int_equal(o.finished_at, dl - 10 * M);
	assert_string_equal(o.run_id, "s");
	/* met exactly on the deadline */
	v[0].end = dl;
	sla_eval_day(&d, z, day, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_MET);
	/* late by 25 minutes */
	v[0].end = dl + 25 * M;
	sla_eval_day(&d, z, day, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_LATE);
	assert_int_equal(o.late_by, 25 * M);
	/* failed */
	v[0] = att("s", iend, iend, iend + 20 * M, SLA_FAILED_ATTEMPT);
	sla_eval_day(&d, z, day, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_FAILED);
	/* a rerun (another run for the same interval) before the deadline */
	v[1] = att("manual", iend, iend + 30 * M, dl - 1 * M, SLA_SUCCEEDED);
	v[1].run_type = "manual";
	sla_eval_day(&d, z, day, v, 2, -1, later, &o);
	assert_int_equal(o.outcome, SLA_MET);
	assert_string_equal(o.run_id, "manual");
	assert_int_equal(o.attempts, 2);
	/* ... and after it: late */
	v[1].end = dl + H;
	sla_eval_day(&d, z, day, v, 2, -1, later, &o);
	assert_int_equal(o.outcome, SLA_LATE);
	assert_int_equal(o.late_by, H);
	/* a failed run being rerun, still running past the deadline: late */
	v[1] = att("s", iend, dl - 5 * M, TIME_NONE, SLA_RUNNING);
	sla_eval_day(&d, z, day, v, 2, -1, dl + 7 * M, &o);
	assert_int_equal(o.outcome, SLA_LATE);
	assert_int_equal(o.late_by, 7 * M);
	assert_int_equal(o.finished_at, TIME_NONE);
	/* missing: nothing ran, deadline passed */
	sla_eval_day(&d, z, day, v, 0, -1, later, &o);
	assert_int_equal(o.outcome, SLA_MISSING);
	/* a run for another day does not count */
	v[0] = att("other", iend - 24 * H, iend - 24 * H, iend - 23 * H,
	    SLA_SUCCEEDED);
	sla_eval_day(&d, z, day, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_MISSING);
	/* pending: running, deadline ahead, no history */
	v[0] = att("s", iend, iend, TIME_NONE, SLA_RUNNING);
	sla_eval_day(&d, z, day, v, 1, -1, iend + 10 * M, &o);
	assert_int_equal(o.outcome, SLA_PENDING);
	/* pending with a median that ends in time */
	sla_eval_day(&d, z, day, v, 1, 30 * M, iend + 10 * M, &o);
	assert_int_equal(o.outcome, SLA_PENDING);
	assert_int_equal(o.expected, iend + 30 * M);
	/* at risk: the median says it ends after the deadline */
	sla_eval_day(&d, z, day, v, 1, 90 * M, iend + 10 * M, &o);
	assert_int_equal(o.outcome, SLA_AT_RISK);
	assert_int_equal(o.expected, iend + 90 * M);
	/* at risk with no run yet */
	sla_eval_day(&d, z, day, v, 0, 2 * H, iend - 30 * M, &o);
	assert_int_equal(o.outcome, SLA_AT_RISK);
	sla_eval_day(&d, z, day, v, 0, 10 * M, iend - 30 * M, &o);
	assert_int_equal(o.outcome, SLA_PENDING);
	/* a later day: pending, with no forecast (not today's) */
	sla_eval_day(&d, z, day + 3, v, 0, 2 * H, iend - 30 * M, &o);
	assert_int_equal(o.outcome, SLA_PENDING);
	assert_int_equal(o.expected, TIME_NONE);
	/* not applicable: a Saturday for a mon-fri SLA */
	sla_eval_day(&d, z, day + 1, v, 1, -1, later, &o);
	assert_int_equal(o.outcome, SLA_NOT_APPLICABLE);
	assert_int_equal(o.deadline, TIME_NONE);
	tz_free(z);
}

static void
test_attempt_state(void **state)
{
	(void)state;
	assert_int_equal(sla_attempt_state("success", false, 0, 0, 0, false),
	    SLA_SUCCEEDED);
	assert_int_equal(sla_attempt_state("failed", false, 0, 0, 0, false),
	    SLA_FAILED_ATTEMPT);
	assert_int_equal(sla_attempt_state("running", false, 0, 0, 0, true),
	    SLA_RUNNING);
	assert_int_equal(sla_attempt_state("queued", false, 0, 0, 0, false),
	    SLA_WAITING);
	/* A task SLA: the task decides, not the run. */
	assert_int_equal(sla_attempt_state("running", true, 1, 1, 0, true),
	    SLA_SUCCEEDED);
	assert_int_equal(sla_attempt_state("running", true, 3, 2, 1, true),
	    SLA_FAILED_ATTEMPT);
	assert_int_equal(sla_attempt_state("running", true, 3, 2, 0, true),
	    SLA_RUNNING);
	assert_int_equal(sla_attempt_state("running", true, 0, 0, 0, false),
	    SLA_WAITING);
	assert_int_equal(sla_attempt_state("success", true, 0, 0, 0, false),
	    SLA_FAILED_ATTEMPT);
}

/*
 * New York across both changes of 2026: spring forward on Sunday 8 March,
 * fall back on Sunday 1 November.  A daily run at 00:00 local time, the
 * deadline 06:00 local: 11:00 UTC in EST, 10:00 UTC in EDT.
 */
static void
test_dst_new_york(void **state)
{
	struct buf		 err = BUF_INIT;
	struct tz		*z = zoneinfo_load("America/New_York", &err);
	struct sla_def		 d = def(6 * H, SLA_ALL_DAYS);
	struct sla_attempt	 v[14];
	struct sla_eval		 e;
	int64_t			 first, dl;
	int			 i;

	(void)state;
	assert_non_null(z);
	/* Spring-forward week, Mon 2 .. Sun 8 March: finish at 05:30 local. */
	first = day_of(2026, 3, 2);
	for (i = 0; i < 7; i++) {
		int64_t mid = at(z, 2026, 3, 2 + i, 0, 0);

		v[i] = att("r", mid, mid, at(z, 2026, 3, 2 + i, 5, 30),
		    SLA_SUCCEEDED);
	}
	sla_evaluate(&e, &d, z, first, first + 6, v, 7, at(z, 2026, 3, 20, 0, 0));
	for (i = 0; i < 7; i++)
		assert_int_equal(e.days[i].outcome, SLA_MET);
	/* The Sunday of the change: 06:00 EDT is 10:00 UTC. */
	dl = e.days[6].deadline;
	assert_int_equal(dl, at(tz_utc(), 2026, 3, 8, 10, 0));
	assert_int_equal(e.days[5].deadline, at(tz_utc(), 2026, 3, 7, 11, 0));
	assert_true(e.period.compliance > 0.999);
	sla_eval_free(&e);
	/* 06:30 EDT on the Sunday is late by 30 minutes, not early. */
	v[6].end = at(tz_utc(), 2026, 3, 8, 10, 30);
	sla_evaluate(&e, &d, z, first, first + 6, v, 7, at(z, 2026, 3, 20, 0, 0));
	assert_int_equal(e.days[6].outcome, SLA_LATE);
	assert_int_equal(e.days[6].late_by, 30 * M);
	assert_int_equal(e.period.worst_late, 30 * M);
	sla_eval_free(&e);

	/* Fall-back week, Mon 26 Oct .. Sun 1 Nov. */
	first = day_of(2026, 10, 26);
	for (i = 0; i < 7; i++) {
		int64_t mid = at(z, 2026, 10, 26 + i, 0, 0);

		v[i] = att("r", mid, mid, at(z, 2026, 10, 26 + i, 5, 50),
		    SLA_SUCCEEDED);
	}
	/* The Sunday's day is 25 hours long; its deadline is 11:00 UTC. */
	sla_evaluate(&e, &d, z, first, first + 6, v, 7, at(z, 2026, 11, 20, 0, 0));
	assert_int_equal(e.days[6].deadline, at(tz_utc(), 2026, 11, 1, 11, 0));
	assert_int_equal(e.days[5].deadline, at(tz_utc(), 2026, 10, 31, 10, 0));
	for (i = 0; i < 7; i++)
		assert_int_equal(e.days[i].outcome, SLA_MET);
	sla_eval_free(&e);
	/* 10:30 UTC on the Sunday is 05:30 EST: met, though it would be late in EDT. */
	v[6].end = at(tz_utc(), 2026, 11, 1, 10, 30);
	sla_evaluate(&e, &d, z, first, first + 6, v, 7, at(z, 2026, 11, 20, 0, 0));
	assert_int_equal(e.days[6].outcome, SLA_MET);
	sla_eval_free(&e);
	tz_free(z);
}

/* 26 weeks of a weekday SLA: one miss a week for the last 4 weeks. */
static void
test_trailing(void **state)
{
	struct tz		*z = tz_utc();
	struct sla_def		 d = def(10 * H, SLA_WEEKDAYS);
	struct sla_attempt	*v = calloc(200, sizeof *v);
	struct sla_eval		 e;
	int64_t			 last = day_of(2026, 11, 22), day;	/* Sunday */
	int64_t			 first = last - 6;
	size_t			 n = 0;

	(void)state;
	for (day = last - 26 * 7 + 1; day <= last; day++) {
		int64_t mid = day * 86400;
		int64_t end = mid + 9 * H;

		if (tz_weekday(day) == 3 && day > last - 28)	/* Wednesdays */
			end = mid + 11 * H;
		v[n++] = att("r", mid, mid + 8 * H, end, SLA_SUCCEEDED);
	}
	sla_evaluate(&e, &d, z, first, last, v, n, last * 86400 + 23 * H);
	assert_int_equal(e.ndays, 7);
	assert_int_equal(e.period.judged, 5);
	assert_int_equal(e.period.count[SLA_LATE], 1);
	assert_int_equal(e.period.count[SLA_NOT_APPLICABLE], 2);
	assert_int_equal(e.period.worst_late, H);
	assert_int_equal(e.trailing.judged, 130);
	assert_int_equal(e.trailing.count[SLA_LATE], 4);
	assert_true(e.trailing.compliance > 126.0 / 130 - 1e-9 &&
	    e.trailing.compliance < 126.0 / 130 + 1e-9);
	sla_eval_free(&e);
	/* A DAG that started 2 weeks ago is judged from its first run on. */
	sla_evaluate(&e, &d, z, first, last, v + n - 14, 14,
	    last * 86400 + 23 * H);
	assert_int_equal(e.trailing.judged, 10);
	sla_eval_free(&e);
	/* The median of the newest ten successes. */
	assert_int_equal(sla_median_duration(v, n, last * 86400 + 23 * H),
	    H);
	assert_int_equal(sla_median_duration(v, 0, 0), -1);
	free(v);
}

/*
 * An SLA on a DAG the database does not have: no attempt, so sla_evaluate
 * alone would call every past business day missing.  It is a
 * configuration error instead: every day it applies on says unknown DAG,
 * nothing is judged or missed, n/a days stay n/a.
 */
static void
test_unknown_dag(void **state)
{
	struct tz		*z = tz_utc();
	struct sla_def		 d = def(10 * H, SLA_WEEKDAYS);
	struct sla_history	 h;
	struct sla_eval		 e;
	struct sla_day		 one;
	int64_t			 last = day_of(2026, 11, 8);	/* Sunday */
	int64_t			 first = last - 6, now = (last + 3) * 86400;
	size_t			 i;

	(void)state;
	sla_evaluate(&e, &d, z, first, last, NULL, 0, now);
	assert_int_equal(e.period.count[SLA_MISSING], 5);	/* without */
	assert_false(e.unknown_dag);
	sla_eval_unknown_dag(&e);
	assert_true(e.unknown_dag);
	for (i = 0; i < 5; i++) {
		assert_int_equal(e.days[i].outcome, SLA_UNKNOWN_DAG);
		assert_false(sla_outcome_missed(e.days[i].outcome));
		assert_null(e.days[i].run_id);
	}
	assert_int_equal(e.days[5].outcome, SLA_NOT_APPLICABLE);
	assert_int_equal(e.days[6].outcome, SLA_NOT_APPLICABLE);
	assert_int_equal(e.period.count[SLA_UNKNOWN_DAG], 5);
	assert_int_equal(e.period.count[SLA_MISSING], 0);
	assert_int_equal(e.period.judged, 0);
	assert_true(e.period.compliance < 0);
	assert_int_equal(e.trailing.judged, 0);
	assert_true(e.trailing.compliance < 0);
	assert_int_equal(e.median, -1);
	sla_eval_free(&e);

	/* One day (the SLAs-today pane): a pending day is unknown too. */
	sla_eval_day(&d, z, last + 5, NULL, 0, -1, now, &one);
	assert_int_equal(one.outcome, SLA_PENDING);
	sla_day_unknown_dag(&one);
	assert_int_equal(one.outcome, SLA_UNKNOWN_DAG);
	assert_true(one.expected == TIME_NONE && one.finished_at == TIME_NONE);
	assert_string_equal(sla_outcome_name(SLA_UNKNOWN_DAG), "unknown_dag");
	assert_string_equal(sla_outcome_label(SLA_UNKNOWN_DAG), "unknown DAG");

	/* The flags the source fills; none read means none unknown. */
	memset(&h, 0, sizeof h);
	assert_false(sla_history_unknown_dag(&h, 0));
	h.nsla = 2;
	h.unknown_dag = calloc(2, sizeof *h.unknown_dag);
	h.unknown_dag[1] = true;
	assert_false(sla_history_unknown_dag(&h, 0));
	assert_true(sla_history_unknown_dag(&h, 1));
	assert_false(sla_history_unknown_dag(&h, 2));
	sla_history_free(&h);
}

/*
 * Week by week (sla_weeks), hand-computed.  A weekday SLA by 10:00 UTC on
 * a DAG born on Wednesday 2026-10-21, runs every day ending 09:00 but for
 * Tue 10-27 (10:40, late 40m), Thu 10-29 (11:05, late 1h05) and Fri 11-06
 * (failed).  Four weeks, Monday first, ending with 2026-W45:
 *   W42 (10-12..18)  nothing judged: before the DAG existed
 *   W43 (10-19..25)  Wed, Thu, Fri judged, met: 3/3 (Mon, Tue not judged)
 *   W44 (10-26..11-01)  3/5, two late, worst 1h05
 *   W45 (11-02..08)  4/5, one failed; the weekend n/a
 */
static void
test_sla_weeks(void **state)
{
	struct tz		*z = tz_utc(), *ny;
	struct buf		 err = BUF_INIT;
	struct sla_def		 d = def(10 * H, SLA_WEEKDAYS);
	struct sla_attempt	 v[32];
	struct sla_summary	 w[4];
	int64_t			 born = day_of(2026, 10, 21), day, now, first;
	size_t			 n = 0;
	int			 i;

	(void)state;
	now = at(z, 2026, 11, 20, 0, 0);
	for (day = born; day <= day_of(2026, 11, 8); day++) {
		int64_t	mid = day * 86400, end = mid + 9 * H;
		enum sla_attempt_state st = SLA_SUCCEEDED;

		if (day == day_of(2026, 10, 27))
			end = mid + 10 * H + 40 * M;
		if (day == day_of(2026, 10, 29))
			end = mid + 11 * H + 5 * M;
		if (day == day_of(2026, 11, 6))
			st = SLA_FAILED_ATTEMPT;
		v[n++] = att("r", mid, end - H, end, st);
	}
	sla_weeks(&d, z, day_of(2026, 11, 2), 4, v, n, now, w);
	assert_int_equal(w[0].judged, 0);
	assert_true(w[0].compliance < 0);
	assert_int_equal(w[0].count[SLA_MISSING], 0);
	assert_int_equal(w[1].judged, 3);
	assert_int_equal(w[1].count[SLA_MET], 3);
	assert_int_equal(w[1].count[SLA_MISSING], 0);
	assert_true(w[1].compliance > 0.999);
	assert_int_equal(w[2].judged, 5);
	assert_int_equal(w[2].count[SLA_MET], 3);
	assert_int_equal(w[2].count[SLA_LATE], 2);
	assert_int_equal(w[2].worst_late, H + 5 * M);
	assert_true(w[2].compliance > 0.599 && w[2].compliance < 0.601);
	assert_int_equal(w[3].judged, 5);
	assert_int_equal(w[3].count[SLA_MET], 4);
	assert_int_equal(w[3].count[SLA_FAILED], 1);
	assert_int_equal(w[3].count[SLA_NOT_APPLICABLE], 2);
	assert_int_equal(w[3].worst_late, 0);
	assert_true(w[3].compliance > 0.799 && w[3].compliance < 0.801);

	/* One week alone is the last: the same figures as in four. */
	sla_weeks(&d, z, day_of(2026, 10, 26), 1, v, n, now, w);
	assert_int_equal(w[0].judged, 5);
	assert_int_equal(w[0].worst_late, H + 5 * M);

	/*
	 * A DAG younger than the last week (first run Thu 11-05): the last
	 * week is judged whole, so Mon..Wed are missing: 2/5; the weeks
	 * before are not judged.
	 */
	sla_weeks(&d, z, day_of(2026, 11, 2), 2, v + 15, n - 15, now, w);
	assert_int_equal(w[0].judged, 0);
	assert_true(w[0].compliance < 0);
	assert_int_equal(w[1].judged, 5);
	assert_int_equal(w[1].count[SLA_MISSING], 3);
	assert_int_equal(w[1].count[SLA_MET], 1);
	assert_int_equal(w[1].count[SLA_FAILED], 1);

	/* A week not over: the days ahead are pending, not judged. */
	now = at(z, 2026, 11, 4, 12, 0);
	sla_weeks(&d, z, day_of(2026, 11, 2), 1, v, 14, now, w);
	assert_int_equal(w[0].judged, 3);	/* Mon, Tue, Wed */
	assert_int_equal(w[0].count[SLA_PENDING] + w[0].count[SLA_AT_RISK], 2);

	/*
	 * New York, daily by 06:00, runs ending 05:50 local, two weeks with
	 * a change of offset each: in the spring-forward week (Mon 2026-03-02
	 * .. Sun 03-08) the Sunday's run ends at 10:30 UTC, 06:30 EDT, late
	 * by 30m though it would be 05:30 in EST; in the fall-back week (Mon
	 * 10-26 .. Sun 11-01) 10:30 UTC on the Sunday is 05:30 EST: met.
	 */
	ny = zoneinfo_load("America/New_York", &err);
	assert_non_null(ny);
	d = def(6 * H, SLA_ALL_DAYS);
	for (n = 0, i = 0; i < 7; i++) {
		int64_t mid = at(ny, 2026, 3, 2 + i, 0, 0);

		v[n++] = att("r", mid, mid, at(ny, 2026, 3, 2 + i, 5, 50),
		    SLA_SUCCEEDED);
	}
	v[6].end = at(z, 2026, 3, 8, 10, 30);
	for (i = 0; i < 7; i++) {
		int64_t mid = at(ny, 2026, 10, 26 + i, 0, 0);

		v[n++] = att("r", mid, mid, at(ny, 2026, 10, 26 + i, 5, 50),
		    SLA_SUCCEEDED);
	}
	v[13].end = at(z, 2026, 11, 1, 10, 30);
	now = at(z, 2026, 11, 20, 0, 0);
	first = day_of(2026, 3, 2);
	sla_weeks(&d, ny, first, 1, v, n, now, w);
	assert_int_equal(w[0].judged, 7);
	assert_int_equal(w[0].count[SLA_MET], 6);
	assert_int_equal(w[0].count[SLA_LATE], 1);
	assert_int_equal(w[0].worst_late, 30 * M);
	sla_weeks(&d, ny, day_of(2026, 10, 26), 1, v, n, now, w);
	assert_int_equal(w[0].judged, 7);
	assert_int_equal(w[0].count[SLA_MET], 7);
	assert_int_equal(w[0].worst_late, 0);
	/* 35 weeks from March to the fall-back week: the spring one first. */
	{
		struct sla_summary all[35];

		sla_weeks(&d, ny, day_of(2026, 10, 26), 35, v, n, now, all);
		assert_int_equal(day_of(2026, 10, 26) - 34 * 7, first);
		assert_int_equal(all[0].worst_late, 30 * M);
		assert_int_equal(all[0].count[SLA_MET], 6);
		/* Between the two: runs missing every day (7 judged). */
		assert_int_equal(all[1].count[SLA_MISSING], 7);
		assert_int_equal(all[34].count[SLA_MET], 7);
	}
	tz_free(ny);
	buf_free(&err);
}

static void
test_order(void **state)
{
	struct sla_day		 d[5];
	const struct sla_day	*p[5];
	size_t			 o[5], i;

	(void)state;
	memset(d, 0, sizeof d);
	d[0].outcome = SLA_MET;
	d[1].outcome = SLA_PENDING;
	d[2].outcome = SLA_LATE;
	d[3].outcome = SLA_AT_RISK;
	d[4].outcome = SLA_NOT_APPLICABLE;
	for (i = 0; i < 5; i++) {
		d[i].deadline = (int64_t)i;
		p[i] = &d[i];
	}
	d[4].deadline = TIME_NONE;
	sla_order_today(p, 5, o);
	assert_int_equal(o[0], 3);
	assert_int_equal(o[1], 2);
	assert_int_equal(o[2], 1);
	assert_int_equal(o[3], 0);
	assert_int_equal(o[4], 4);
	assert_string_equal(sla_outcome_name(SLA_AT_RISK), "at_risk");
	assert_string_equal(sla_outcome_name(SLA_NOT_APPLICABLE),
	    "not_applicable");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_days_format),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_attempt_state),
		cmocka_unit_test(test_dst_new_york),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_day_label),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_unknown_dag),
		cmocka_unit_test(test_sla_weeks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
