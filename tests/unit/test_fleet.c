/*
 * test_fleet.c: a row of the console's environments overview
 * (src/model/fleet.c): the counts and verdict of a status as report
 * status builds it, UNKNOWN with the error when a read fails (what was
 * read stays, and ages), the age's words and the detail line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "airflow.h"
#include "buf.h"
#include "fleet.h"
#include "status.h"

#define NOW	INT64_C(1795309323)

/* A status with a healthy scheduler, one failed and one running run. */
static void
build(struct status *st, struct af_health *h, struct af_dags *dags,
    struct af_runs *runs, bool scheduler_up)
{
	struct af_run	*r;
	struct af_dag	*d;
	const char	*ids[] = { "a", "b", "c" };
	enum run_state	 states[] = { RUN_FAILED, RUN_RUNNING, RUN_QUEUED };
	size_t		 i;

	memset(h, 0, sizeof *h);
	memset(dags, 0, sizeof *dags);
	memset(runs, 0, sizeof *runs);
	af_health_clear(h);
	h->now = NOW;
	if (scheduler_up) {
		h->job[AF_JOB_SCHEDULER].seen = true;
		h->job[AF_JOB_SCHEDULER].running = 1;
		h->job[AF_JOB_SCHEDULER].last_heartbeat = NOW - 2;
		h->job[AF_JOB_SCHEDULER].last_seen = NOW - 2;
	}
	for (i = 0; i < 3; i++) {
		d = af_dags_push(dags);
		d->dag_id = xstrdup(ids[i]);
		d->active = true;
		d->paused = i == 2;
		d->import_errors = i == 1;
		d->next_run = d->next_run_after = TIME_NONE;
		r = af_runs_push(runs);
		r->dag_id = xstrdup(ids[i]);
		r->run_id = xstrdup("r1");
		r->state = states[i];
		r->run_type = xstrdup("scheduled");
		r->logical_date = r->run_after = r->order = NOW - 60;
		r->queued_at = r->start_date = r->end_date = TIME_NONE;
		r->data_interval_start = r->data_interval_end = TIME_NONE;
	}
	status_build(st, h, dags, runs, NOW - 86400, 30);
}

static void
done(struct status *st, struct af_health *h, struct af_dags *dags,
    struct af_runs *runs)
{
	status_clear(st);
	af_health_clear(h);
	af_dags_free(dags);
	af_runs_free(runs);
}

static void
test_row_from_status(void **state)
{
	struct status		st;
	struct af_health	h;
	struct af_dags		dags;
	struct af_runs		runs;
	struct fleet_row	r;
	struct buf		b = BUF_INIT;

	(void)state;
	fleet_row_init(&r, "prod");
	assert_int_equal(fleet_row_verdict(&r), VERDICT_UNKNOWN);
	fleet_row_age(&r, NOW, &b);
	assert_string_equal(buf_str(&b), "-");
	build(&st, &h, &dags, &runs, true);
	fleet_row_set(&r, &st, "2.10.3", NOW - 5);
	/* report status's verdict: failed runs, an import error. */
	assert_int_equal(fleet_row_verdict(&r), st.verdict);
	assert_int_equal(fleet_row_verdict(&r), VERDICT_WARNING);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.running, 1);
	assert_int_equal(r.queued, 1);
	assert_int_equal(r.npaused, 1);
	assert_int_equal(r.nimport_errors, 1);
	assert_string_equal(fleet_health_cell(r.job[AF_JOB_SCHEDULER]), "ok");
	assert_string_equal(fleet_health_cell(r.job[AF_JOB_TRIGGERER]), "-");
	buf_reset(&b);
	fleet_row_detail(&r, NOW, &b);
	assert_non_null(strstr(buf_str(&b), "prod: WARNING; Airflow 2.10.3"));
	assert_non_null(strstr(buf_str(&b), "runs 1 failed, 1 running, "
	    "1 queued"));
	assert_non_null(strstr(buf_str(&b), "1 import error;"));
	assert_non_null(strstr(buf_str(&b), "data 5s old"));
	done(&st, &h, &dags, &runs);

	/* The scheduler down: CRITICAL, as report status says. */
	build(&st, &h, &dags, &runs, false);
	fleet_row_set(&r, &st, NULL, NOW);
	assert_int_equal(fleet_row_verdict(&r), VERDICT_CRITICAL);
	assert_string_equal(fleet_health_cell(r.job[AF_JOB_SCHEDULER]),
	    "DOWN");
	done(&st, &h, &dags, &runs);
	buf_free(&b);
	fleet_row_free(&r);
}

static void
test_fail_keeps_and_ages(void **state)
{
	struct status		st;
	struct af_health	h;
	struct af_dags		dags;
	struct af_runs		runs;
	struct fleet_row	r;
	struct buf		b = BUF_INIT;

	(void)state;
	fleet_row_init(&r, "stalled");
	fleet_row_fail(&r, "timeout expired");
	assert_int_equal(fleet_row_verdict(&r), VERDICT_UNKNOWN);
	fleet_row_detail(&r, NOW, &b);
	assert_string_equal(buf_str(&b), "stalled: UNKNOWN; error: "
	    "timeout expired");
	build(&st, &h, &dags, &runs, true);
	fleet_row_set(&r, &st, "3.1.0", NOW - 10);
	assert_null(r.error);
	fleet_row_fail(&r, NULL);
	assert_int_equal(fleet_row_verdict(&r), VERDICT_UNKNOWN);
	assert_int_equal(r.failed, 1);	/* what was read stays */
	buf_reset(&b);
	fleet_row_age(&r, NOW + 300, &b);
	assert_string_equal(buf_str(&b), "5m");
	buf_reset(&b);
	fleet_row_age(&r, NOW + 3 * 3600, &b);
	assert_string_equal(buf_str(&b), "3h");
	buf_reset(&b);
	fleet_row_age(&r, NOW + 3 * 86400, &b);
	assert_string_equal(buf_str(&b), "3d");
	buf_reset(&b);
	fleet_row_detail(&r, NOW, &b);
	assert_non_null(strstr(buf_str(&b), "; error: read failed"));
	done(&st, &h, &dags, &runs);
	buf_free(&b);
	fleet_row_free(&r);
}

/* Today's SLAs: at risk and missed counted apart, the rest not. */
static void
test_sla_counts(void **state)
{
	struct fleet_row	r;
	struct sla_day		days[6];
	struct buf		b = BUF_INIT;
	const enum sla_outcome	o[] = { SLA_AT_RISK, SLA_LATE, SLA_FAILED,
				    SLA_MISSING, SLA_MET, SLA_PENDING };
	size_t			i;

	(void)state;
	fleet_row_init(&r, "prod");
	fleet_row_sla_cell(&r, &b);
	assert_string_equal(buf_str(&b), "-");
	r.nsla = 6;
	buf_reset(&b);
	fleet_row_sla_cell(&r, &b);
	assert_string_equal(buf_str(&b), "?");
	memset(days, 0, sizeof days);
	for (i = 0; i < 6; i++)
		days[i].outcome = o[i];
	fleet_row_sla(&r, days, 6);
	assert_int_equal(r.sla_risk, 1);
	assert_int_equal(r.sla_missed, 3);
	buf_reset(&b);
	fleet_row_sla_cell(&r, &b);
	assert_string_equal(buf_str(&b), "1/3");
	r.valid = true;
	buf_reset(&b);
	fleet_row_detail(&r, NOW, &b);
	assert_non_null(strstr(buf_str(&b), "; SLAs today 1 at risk, 3 missed "
	    "of 6;"));
	buf_free(&b);
	fleet_row_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_from_status),
		cmocka_unit_test(test_fail_keeps_and_ages),
		cmocka_unit_test(test_sla_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
