/*
 * report_read.c: a report's read of the scheduler source, in a loop of its
 * own.  Every report that reads Airflow (status, run, log, sla, and config
 * check's SLA DAGs) opens the source, starts its fetches once it is open,
 * and waits for them here: the connection's callbacks live in one place.
 */
#include <stdlib.h>
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

/* A job ended: alone, the loop stops; in a group, once all have ended. */
static void
ended(struct report_read *r)
{
	if (r->group == NULL) {
		loop_break(r->loop);
		return;
	}
	if (r->ended)
		return;
	r->ended = true;
	if (--r->group->left == 0)
		loop_break(r->loop);
}

void
report_read_fail(struct report_read *r, const char *err)
{
	if (r->ended)
		return;
	if (r->error.len == 0)
		buf_puts(&r->error, err != NULL ? err : "no answer");
	ended(r);
}

void
report_read_done(struct report_read *r)
{
	if (r->ended)
		return;
	r->done = true;
	ended(r);
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

void
report_reads_init(struct report_reads *g, size_t n)
{
	memset(g, 0, sizeof *g);
	g->loop = loop_new();
	g->n = n;
	g->r = xcalloc(n + 1, sizeof *g->r);
	for (size_t i = 0; i < n; i++) {
		g->r[i].loop = g->loop;
		g->r[i].group = g;
	}
}

void
report_reads_run(struct report_reads *g, const struct settings *const *s,
    void (*start)(void *job), void *const *jobs,
    enum report_read_result *result)
{
	size_t i;

	g->left = g->n;
	for (i = 0; i < g->n; i++) {
		struct report_read *r = &g->r[i];

		r->start = start;
		r->job = jobs[i];
		r->db = sched_open_context(g->loop, s[i], opened, lost, r,
		    &r->error);
		if (r->db == NULL) {
			result[i] = REPORT_READ_BAD_SETTINGS;
			r->ended = true;
			g->left--;
		}
	}
	/* Until every job has ended (the last breaks the loop). */
	if (g->left > 0)
		(void)loop_run(g->loop);
	for (i = 0; i < g->n; i++) {
		struct report_read *r = &g->r[i];

		if (r->db == NULL)
			continue;
		if (r->done && r->error.len == 0)
			result[i] = REPORT_READ_DONE;
		else {
			if (r->error.len == 0)
				buf_puts(&r->error, "no answer");
			result[i] = REPORT_READ_FAILED;
		}
	}
}

void
report_reads_close(struct report_reads *g)
{
	for (size_t i = 0; i < g->n; i++) {
		sched_free(g->r[i].db);
		buf_free(&g->r[i].error);
	}
	free(g->r);
	loop_free(g->loop);
	memset(g, 0, sizeof *g);
}

const char *
report_read_what(enum report_read_result r, const char *what)
{
	return r == REPORT_READ_BAD_SETTINGS ? "database" : what;
}
