/*
 * test_state.c: task-instance and DAG-run states, Airflow's state groups
 * (airflow.md §2), run durations, job liveness and schedule summaries
 * (src/model/state.c, src/model/schedule.c).
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* The exact strings of airflow.md §2 and the enum each must parse to. */
static const struct {
	const char	*name;
	enum ti_state	 state;
} ti_names[] = {
	{ "scheduled", TI_SCHEDULED },
	{ "queued", TI_QUEUED },
	{ "running", TI_RUNNING },
	{ "success", TI_SUCCESS },
	{ "failed", TI_FAILED },
	{ "upstream_failed", TI_UPSTREAM_FAILED },
	{ "skipped", TI_SKIPPED },
	{ "up_for_retry", TI_UP_FOR_RETRY },
	{ "up_for_reschedule", TI_UP_FOR_RESCHEDULE },
	{ "restarting", TI_RESTARTING },
	{ "deferred", TI_DEFERRED },
	{ "removed", TI_REMOVED },
	{ "shutdown", TI_SHUTDOWN },
};

static const struct {
	const char	*name;
	enum run_state	 state;
} run_names[] = {
	{ "queued", RUN_QUEUED },
	{ "running", RUN_RUNNING },
	{ "success", RUN_SUCCESS },
	{ "failed", RUN_FAILED },
};

static void
test_ti_state_strings_round_trip(void **state)
{
	size_t	i;
	int	s;

	(void)state;
	for (i = 0; i < NELEM(ti_names); i++) {
		assert_int_equal(ti_state_parse(ti_names[i].name),
		    ti_names[i].state);
		assert_string_equal(ti_state_name(ti_names[i].state),
		    ti_names[i].name);
	}
	/* Every enum value, TI_NONE and TI_UNKNOWN included. */
	for (s = 0; s < TI_NSTATES; s++)
		assert_int_equal(ti_state_parse(ti_state_name(s)), s);
	assert_string_equal(ti_state_name(TI_NONE), "none");
	assert_string_equal(ti_state_name(TI_UNKNOWN), "unknown");
}

static void
test_ti_state_no_status(void **state)
{
	(void)state;
	assert_int_equal(ti_state_parse(NULL), TI_NONE);
	assert_int_equal(ti_state_parse(""), TI_NONE);
	assert_int_equal(ti_state_parse("none"), TI_NONE);
}

static void
test_ti_state_unknown_strings(void **state)
{
	static const char *const unknown[] = {
		"SUCCESS", "Success", "success ", " success", "succes",
		"successful", "None", "NONE", "null", "exploded",
		"up-for-retry",
		"up_for", "queue", "running\n", "sensing",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(unknown); i++)
		assert_int_equal(ti_state_parse(unknown[i]), TI_UNKNOWN);
	/* Out-of-range values name and letter themselves as unknown. */
	assert_string_equal(ti_state_name(TI_NSTATES), "unknown");
	assert_int_equal(ti_state_letter(TI_NSTATES), '?');
}

static void
test_run_state_strings(void **state)
{
	static const char *const unknown[] = {
		"", "none", "Failed", "FAILED", "up_for_retry", "scheduled",
		"skipped", "success ", "unknown",
	};
	size_t	i;
	int	s;

	(void)state;
	for (i = 0; i < NELEM(run_names); i++) {
		assert_int_equal(run_state_parse(run_names[i].name),
		    run_names[i].state);
		assert_string_equal(run_state_name(run_names[i].state),
		    run_names[i].name);
	}
	for (s = 0; s < RUN_NSTATES; s++)
		assert_int_equal(run_state_parse(run_state_name(s)), s);
	assert_int_equal(run_state_parse(NULL), RUN_UNKNOWN);
	for (i = 0; i < NELEM(unknown); i++)
		assert_int_equal(run_state_parse(unknown[i]), RUN_UNKNOWN);
	assert_string_equal(run_state_name(RUN_UNKNOWN), "unknown");
	assert_string_equal(run_state_name(RUN_NSTATES), "unknown");
	assert_int_equal(run_state_letter(RUN_NSTATES), '?');
}

/* airflow.md §2, airflow/utils/state.py: exactly these, nothing else. */
static void
test_ti_state_groups(void **state)
{
	int s;

	(void)state;
	for (s = 0; s < TI_NSTATES; s++) {
		bool finished = s == TI_SUCCESS || s == TI_FAILED ||
		    s == TI_SKIPPED || s == TI_UPSTREAM_FAILED ||
		    s == TI_REMOVED;
		bool unfinished = s == TI_NONE || s == TI_SCHEDULED ||
		    s == TI_QUEUED || s == TI_RUNNING || s == TI_RESTARTING ||
		    s == TI_UP_FOR_RETRY || s == TI_UP_FOR_RESCHEDULE ||
		    s == TI_DEFERRED;
		bool failed = s == TI_FAILED || s == TI_UPSTREAM_FAILED;
		bool attention = failed || s == TI_UP_FOR_RETRY;

		if (ti_state_finished(s) != finished)
			fail_msg("finished(%s)", ti_state_name(s));
		if (ti_state_unfinished(s) != unfinished)
			fail_msg("unfinished(%s)", ti_state_name(s));
		if (ti_state_failed(s) != failed)
			fail_msg("failed(%s)", ti_state_name(s));
		if (ti_state_attention(s) != attention)
			fail_msg("attention(%s)", ti_state_name(s));
	}
	/* shutdown and an unknown string belong to neither group. */
	assert_false(ti_state_finished(TI_SHUTDOWN));
	assert_false(ti_state_unfinished(TI_SHUTDOWN));
	assert_false(ti_state_finished(TI_UNKNOWN));
	assert_false(ti_state_unfinished(TI_UNKNOWN));
}

static void
test_run_state_groups(void **state)
{
	(void)state;
	assert_false(run_state_finished(RUN_QUEUED));
	assert_false(run_state_finished(RUN_RUNNING));
	assert_true(run_state_finished(RUN_SUCCESS));
	assert_true(run_state_finished(RUN_FAILED));
	assert_false(run_state_finished(RUN_UNKNOWN));
}

static void
test_state_letters(void **state)
{
	size_t	i;
	int	a, b;

	(void)state;
	for (a = 0; a < TI_NSTATES; a++) {
		assert_true(isgraph((unsigned char)ti_state_letter(a)));
		for (b = a + 1; b < TI_NSTATES; b++)
			if (ti_state_letter(a) == ti_state_letter(b))
				fail_msg("%s and %s share the letter %c",
				    ti_state_name(a), ti_state_name(b),
				    ti_state_letter(a));
	}
	for (a = 0; a < RUN_NSTATES; a++) {
		assert_true(isgraph((unsigned char)run_state_letter(a)));
		for (b = a + 1; b < RUN_NSTATES; b++)
			if (run_state_letter(a) == run_state_letter(b))
				fail_msg("runs %s and %s share a letter",
				    run_state_name(a), run_state_name(b));
	}
	/* A run and a task in the same state read the same. */
	for (i = 0; i < NELEM(run_names); i++)
		assert_int_equal(run_state_letter(run_names[i].state),
		    ti_state_letter(ti_state_parse(run_names[i].name)));
	assert_int_equal(run_state_letter(RUN_UNKNOWN),
	    ti_state_letter(TI_UNKNOWN));
}

static struct af_run
make_run(enum run_state s, int64_t start, int64_t end)
{
	struct af_run r;

	memset(&r, 0, sizeof r);
	r.state = s;
	r.logical_date = r.run_after = r.queued_at = TIME_NONE;
	r.data_interval_start = r.data_interval_end = TIME_NONE;
	r.start_date = start;
	r.end_date = end;
	return r;
}

static void
test_run_duration(void **state)
{
	struct af_run r;

	(void)state;
	/* Finished: end - start, whatever now is. */
	r = make_run(RUN_SUCCESS, 1000, 1600);
	assert_true(af_run_duration(&r, 5000) == 600.0);
	assert_true(af_run_duration(&r, TIME_NONE) == 600.0);
	r = make_run(RUN_FAILED, 1000, 1000);
	assert_true(af_run_duration(&r, 5000) == 0.0);
	/* Running: now - start. */
	r = make_run(RUN_RUNNING, 1000, TIME_NONE);
	assert_true(af_run_duration(&r, 1300) == 300.0);
	assert_true(af_run_duration(&r, 1000) == 0.0);
	/* Unknown: < 0. */
	assert_true(af_run_duration(&r, TIME_NONE) < 0);
	assert_true(af_run_duration(&r, 999) < 0);	/* clock before start */
	r = make_run(RUN_QUEUED, TIME_NONE, TIME_NONE);
	assert_true(af_run_duration(&r, 1300) < 0);
	r = make_run(RUN_SUCCESS, TIME_NONE, 1600);
	assert_true(af_run_duration(&r, 5000) < 0);
	r = make_run(RUN_SUCCESS, 1600, 1000);	/* end before start */
	assert_true(af_run_duration(&r, 5000) < 0);
	/* Not running and no end: no basis for "now - start". */
	r = make_run(RUN_FAILED, 1000, TIME_NONE);
	assert_true(af_run_duration(&r, 1300) < 0);
	r = make_run(RUN_QUEUED, 1000, TIME_NONE);
	assert_true(af_run_duration(&r, 1300) < 0);
}

static struct af_job_health
make_job(bool seen, int running, int64_t heartbeat)
{
	struct af_job_health j;

	memset(&j, 0, sizeof j);
	j.seen = seen;
	j.running = running;
	j.last_heartbeat = heartbeat;
	j.last_seen = heartbeat;
	return j;
}

static void
test_job_state(void **state)
{
	struct af_job_health j;

	(void)state;
	/* Never written: absent, not down. */
	j = make_job(false, 0, TIME_NONE);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_ABSENT);
	/* Rows, but none running: down, even with a fresh heartbeat. */
	j = make_job(true, 0, 1000);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
	j = make_job(true, 1, TIME_NONE);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
	/* Running: alive while the heartbeat is younger than the threshold. */
	j = make_job(true, 1, 1000);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_OK);
	j = make_job(true, 2, 1000 - 29);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_OK);
	j = make_job(true, 1, 1000 - 30);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
	j = make_job(true, 1, 1000 - 31);
	assert_int_equal(af_job_state(&j, 1000, 30), HEALTH_DOWN);
	j = make_job(true, 1, 1000 - 3600);
	assert_int_equal(af_job_state(&j, 1000, 3601), HEALTH_OK);
	assert_int_equal(af_job_state(&j, 1000, 3600), HEALTH_DOWN);

	assert_string_equal(health_name(HEALTH_OK), "healthy");
	assert_string_equal(health_name(HEALTH_DOWN), "down");
	assert_string_equal(health_name(HEALTH_ABSENT), "absent");
	assert_string_equal(af_job_type[AF_JOB_SCHEDULER], "SchedulerJob");
	assert_string_equal(af_job_type[AF_JOB_TRIGGERER], "TriggererJob");
	assert_string_equal(af_job_type[AF_JOB_DAG_PROCESSOR],
	    "DagProcessorJob");
}

/*
 * af_health_clear() leaves now at TIME_NONE, so a health whose clock was
 * never read is a state the model itself produces.  Without a clock the
 * heartbeat's age is unknown, so the job cannot be called alive; and the
 * answer must not come from a signed overflow (INT64_MIN - heartbeat).
 */
static void
test_job_state_without_clock(void **state)
{
	struct af_job_health j = make_job(true, 1, 1795309323);

	(void)state;
	assert_int_equal(af_job_state(&j, TIME_NONE, 30), HEALTH_DOWN);
}

static void
test_health_clear(void **state)
{
	struct af_health	h;
	int			i;

	(void)state;
	memset(&h, 0, sizeof h);
	h.now = 5;
	h.job[AF_JOB_SCHEDULER].seen = true;
	h.job[AF_JOB_SCHEDULER].running = 3;
	h.job[AF_JOB_SCHEDULER].hostname = xstrdup("sched-0");
	af_health_clear(&h);
	assert_true(h.now == TIME_NONE);
	for (i = 0; i < AF_NJOBS; i++) {
		assert_false(h.job[i].seen);
		assert_int_equal(h.job[i].running, 0);
		assert_true(h.job[i].last_heartbeat == TIME_NONE);
		assert_true(h.job[i].last_seen == TIME_NONE);
		assert_null(h.job[i].hostname);
	}
}

static void
check_schedule(const char *raw, const char *want)
{
	char *s = schedule_summary(raw);

	assert_non_null(s);
	if (strcmp(s, want) != 0)
		fail_msg("schedule_summary(%s) = \"%s\", want \"%s\"",
		    raw != NULL ? raw : "NULL", s, want);
	free(s);
}

static void
test_schedule_summary_2x(void **state)
{
	(void)state;
	check_schedule("\"0 2 * * *\"", "0 2 * * *");
	check_schedule("\"@daily\"", "@daily");
	check_schedule("\"@once\"", "@once");
	check_schedule("null", "None");
	check_schedule("{\"type\": \"timedelta\", \"attrs\": {\"days\": 1, "
	    "\"seconds\": 0, \"microseconds\": 0}}", "every 1d00h");
	check_schedule("{\"type\": \"timedelta\", \"attrs\": {\"days\": 0, "
	    "\"seconds\": 5400, \"microseconds\": 0}}", "every 1h30m");
	check_schedule("{\"type\": \"timedelta\", \"attrs\": {\"days\": 2, "
	    "\"seconds\": 7200, \"microseconds\": 0}}", "every 2d02h");
	/* The older form: a bare number of seconds. */
	check_schedule("3600", "every 1h00m");
	check_schedule("86400.0", "every 1d00h");
	check_schedule("300", "every 5m00s");
}

static void
test_schedule_summary_3x_and_none(void **state)
{
	(void)state;
	check_schedule(NULL, "None");
	check_schedule("", "None");
	/* 3.x timetable_summary is plain text, kept as it is. */
	check_schedule("0 2 * * *", "0 2 * * *");
	check_schedule("None", "None");
	check_schedule("@daily", "@daily");
	check_schedule("Asset", "Asset");
}

static void
test_schedule_summary_garbage(void **state)
{
	(void)state;
	/* Not JSON: returned unchanged. */
	check_schedule("{not json", "{not json");
	check_schedule("\"unterminated", "\"unterminated");
	check_schedule("\xff\xfe garbage", "\xff\xfe garbage");
	/* JSON, but not a schedule: returned unchanged. */
	check_schedule("[1, 2]", "[1, 2]");
	check_schedule("true", "true");
	check_schedule("{\"type\": \"timedelta\", \"attrs\": {}}",
	    "{\"type\": \"timedelta\", \"attrs\": {}}");
	check_schedule("{\"type\": \"timedelta\", \"attrs\": {\"days\": 0, "
	    "\"seconds\": 0, \"microseconds\": 0}}",
	    "{\"type\": \"timedelta\", \"attrs\": {\"days\": 0, "
	    "\"seconds\": 0, \"microseconds\": 0}}");
}

/* A cleared instance says what Airflow does next, not "none". */
static void
test_ti_state_text(void **state)
{
	(void)state;
	assert_string_equal(ti_state_text(TI_NONE, 2, false),
	    "cleared, waiting for the scheduler");
	assert_string_equal(ti_state_text(TI_NONE, 1, true),
	    "cleared, to run");
	assert_true(strlen(ti_state_text(TI_NONE, 1, true)) <= 15);
	/* never ran: no state yet, nothing was cleared */
	assert_string_equal(ti_state_text(TI_NONE, 0, false), "none");
	assert_string_equal(ti_state_text(TI_FAILED, 3, false), "failed");
	assert_string_equal(ti_state_text(TI_UPSTREAM_FAILED, 0, true),
	    "upstream_failed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ti_state_strings_round_trip),
		cmocka_unit_test(test_ti_state_no_status),
		cmocka_unit_test(test_ti_state_unknown_strings),
		cmocka_unit_test(test_run_state_strings),
		cmocka_unit_test(test_ti_state_groups),
		cmocka_unit_test(test_run_state_groups),
		cmocka_unit_test(test_state_letters),
		cmocka_unit_test(test_run_duration),
		cmocka_unit_test(test_job_state),
		cmocka_unit_test(test_health_clear),
		cmocka_unit_test(test_ti_state_text),
		cmocka_unit_test(test_schedule_summary_2x),
		cmocka_unit_test(test_schedule_summary_3x_and_none),
		cmocka_unit_test(test_schedule_summary_garbage),
		/* Last: under UBSan a failure here ends the process. */
		cmocka_unit_test(test_job_state_without_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
