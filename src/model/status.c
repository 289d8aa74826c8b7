/* status.c: verdict over a window of Airflow activity. */
#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "timefmt.h"

static int
attention_rank(enum run_state s)
{
	switch (s) {
	case RUN_FAILED:
		return 0;
	case RUN_RUNNING:
		return 1;
	case RUN_QUEUED:
		return 2;
	default:
		return 3;
	}
}

static int
cmp_attention(const void *a, const void *b)
{
	const struct af_run *ra = *(const struct af_run *const *)a;
	const struct af_run *rb = *(const struct af_run *const *)b;
	int c;

	c = attention_rank(ra->state) - attention_rank(rb->state);
	if (c != 0)
		return c;
	/* Newest as Airflow orders runs: execution_date on 2.x, see af_run. */
	if (ra->order != rb->order)
		return ra->order > rb->order ? -1 : 1;
	c = strcmp(ra->dag_id, rb->dag_id);
	return c != 0 ? c : strcmp(ra->run_id, rb->run_id);
}

void
status_build(struct status *st, const struct af_health *h,
    const struct af_dags *dags, const struct af_runs *runs, int64_t since,
    int threshold)
{
	size_t	i;
	int	j;
	struct buf *b = &st->summary;

	memset(st, 0, sizeof *st);
	st->now = h->now;
	st->since = since;
	st->threshold = threshold;
	for (j = 0; j < AF_NJOBS; j++)
		st->job[j] = af_job_state(&h->job[j], h->now, threshold);
	/* A deployment that never ran a scheduler has no working scheduler. */
	if (st->job[AF_JOB_SCHEDULER] == HEALTH_ABSENT)
		st->job[AF_JOB_SCHEDULER] = HEALTH_DOWN;

	for (i = 0; i < dags->n; i++) {
		st->ndags++;
		if (dags->v[i].active)
			st->nactive++;
		if (dags->v[i].paused)
			st->npaused++;
		if (dags->v[i].import_errors)
			st->nimport_errors++;
	}
	st->attention = xcalloc(runs->n + 1, sizeof *st->attention);
	for (i = 0; i < runs->n; i++) {
		const struct af_run *r = &runs->v[i];

		st->nruns++;
		st->runs_by_state[r->state]++;
		if (r->state == RUN_FAILED || r->state == RUN_RUNNING ||
		    r->state == RUN_QUEUED)
			st->attention[st->nattention++] = r;
	}
	qsort(st->attention, st->nattention, sizeof *st->attention,
	    cmp_attention);

	if (st->job[AF_JOB_SCHEDULER] == HEALTH_DOWN) {
		st->verdict = VERDICT_CRITICAL;
		buf_puts(b, "CRITICAL: scheduler down");
		if (h->job[AF_JOB_SCHEDULER].last_seen != TIME_NONE) {
			buf_puts(b, " (last heartbeat ");
			fmt_duration(b, (double)(h->now -
			    h->job[AF_JOB_SCHEDULER].last_seen));
			buf_puts(b, " ago)");
		} else
			buf_puts(b, " (no scheduler has ever run)");
		return;
	}
	if (st->runs_by_state[RUN_FAILED] > 0 || st->nimport_errors > 0 ||
	    st->job[AF_JOB_TRIGGERER] == HEALTH_DOWN) {
		const char *sep = "";

		st->verdict = VERDICT_WARNING;
		buf_puts(b, "WARNING: ");
		if (st->runs_by_state[RUN_FAILED] > 0) {
			buf_printf(b, "%zu failed run%s", st->runs_by_state[
			    RUN_FAILED], st->runs_by_state[RUN_FAILED] == 1 ?
			    "" : "s");
			sep = ", ";
		}
		if (st->nimport_errors > 0) {
			buf_printf(b, "%s%zu DAG%s with import errors", sep,
			    st->nimport_errors, st->nimport_errors == 1 ? "" : "s");
			sep = ", ";
		}
		if (st->job[AF_JOB_TRIGGERER] == HEALTH_DOWN)
			buf_printf(b, "%striggerer down", sep);
		return;
	}
	st->verdict = VERDICT_OK;
	buf_printf(b, "OK: scheduler healthy, %zu run%s, none failed",
	    st->nruns, st->nruns == 1 ? "" : "s");
}

void
status_clear(struct status *st)
{
	free(st->attention);
	buf_free(&st->summary);
	memset(st, 0, sizeof *st);
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_OK:
		return "OK";
	case VERDICT_WARNING:
		return "WARNING";
	case VERDICT_CRITICAL:
		return "CRITICAL";
	case VERDICT_UNKNOWN:
		break;
	}
	return "UNKNOWN";
}

size_t
status_run_tis(const struct af_tis *tis, const struct af_run *run, size_t *n)
{
	size_t lo = 0, hi = tis->n, mid, first;
	int c;

	/* Binary search for the first TI of (dag_id, run_id). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(tis->v[mid].dag_id, run->dag_id);
		if (c == 0)
			c = strcmp(tis->v[mid].run_id, run->run_id);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < tis->n && strcmp(tis->v[lo].dag_id, run->dag_id) == 0 &&
	    strcmp(tis->v[lo].run_id, run->run_id) == 0)
		lo++;
	*n = lo - first;
	return first;
}
