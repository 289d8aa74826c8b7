/*
 * report_read.c: a report's read of the scheduler source, in a loop of its
 * own.  Every report that reads Airflow (status, run, log, sla, and config
 * check's SLA DAGs) opens the source, starts its fetches once it is open,
 * and waits for them here: the connection's callbacks live in one place.
 */
#include <string.h>

#include "config.h"
#include "dbconn.h"
#include "loop.h"
#include "options.h"
#include "report.h"
#include "sched_open.h"

void
report_read_init(struct report_read *r)
{
	memset(r, 0, sizeof *r);
	r->loop = loop_new();
}

void
report_read_fail(struct report_read *r, const char *err)
{
	if (r->error.len == 0)
		buf_puts(&r->error, err != NULL ? err : "no answer");
	loop_break(r->loop);
}

void
report_read_done(struct report_read *r)
{
	r->done = true;
	loop_break(r->loop);
}

void
report_read_last(void *arg, const char *err)
{
	struct report_read *r = arg;

	if (err != NULL)
		report_read_fail(r, err);
	else
		report_read_done(r);
}

static void
opened(void *arg, const char *err)
{
	struct report_read *r = arg;

	if (err != NULL)
		report_read_fail(r, err);
	else
		r->start(r->job);
}

static void
lost(void *arg, const char *err)
{
	report_read_fail(arg, err);
}

enum report_read_result
report_read_run(struct report_read *r, const struct settings *s,
    void (*start)(void *job), void *job)
{
	r->start = start;
	r->job = job;
	r->db = sched_open_context(r->loop, s, opened, lost, r, &r->error);
	if (r->db == NULL)
		return REPORT_READ_BAD_SETTINGS;
	/* Until the job ends (both break the loop), or nothing is left. */
	(void)loop_run(r->loop);
	if (r->done && r->error.len == 0)
		return REPORT_READ_DONE;
	if (r->error.len == 0)
		buf_puts(&r->error, "no answer");
	return REPORT_READ_FAILED;
}

void
report_read_close(struct report_read *r)
{
	sched_free(r->db);
	r->db = NULL;
	loop_free(r->loop);
	r->loop = NULL;
	buf_free(&r->error);
}

const char *
report_read_what(enum report_read_result r, const char *what)
{
	return r == REPORT_READ_BAD_SETTINGS ? "database" : what;
}
