/* state.c: Airflow's task-instance and DAG-run states and their groups. */
#include <stdlib.h>
#include <string.h>

#include "airflow.h"

/*
 * Each state's name as Airflow stores it, its short form for narrow list
 * columns (at most STATE_SHORT_MAX columns, documented in dagtop(1)) and
 * its letter.
 */
static const struct {
	const char	*name;
	const char	*brief;
	char		 letter;
} ti_states[TI_NSTATES] = {
	[TI_NONE] =		{ "none", "none", '.' },
	[TI_SCHEDULED] =	{ "scheduled", "sched", 'c' },
	[TI_QUEUED] =		{ "queued", "queued", 'q' },
	[TI_RUNNING] =		{ "running", "run", 'R' },
	[TI_SUCCESS] =		{ "success", "ok", 's' },
	[TI_FAILED] =		{ "failed", "failed", 'F' },
	[TI_UPSTREAM_FAILED] =	{ "upstream_failed", "upfail", 'U' },
	[TI_SKIPPED] =		{ "skipped", "skip", 'k' },
	[TI_UP_FOR_RETRY] =	{ "up_for_retry", "retry", 'r' },
	[TI_UP_FOR_RESCHEDULE] = { "up_for_reschedule", "resched", 'h' },
	[TI_RESTARTING] =	{ "restarting", "restart", 'e' },
	[TI_DEFERRED] =		{ "deferred", "defer", 'd' },
	[TI_REMOVED] =		{ "removed", "removed", 'x' },
	[TI_SHUTDOWN] =		{ "shutdown", "shutdn", 'z' },
	[TI_UNKNOWN] =		{ "unknown", "unknown", '?' },
};

static const struct {
	const char	*name;
	const char	*brief;
	char		 letter;
} run_states[RUN_NSTATES] = {
	[RUN_QUEUED] =	{ "queued", "queued", 'q' },
	[RUN_RUNNING] =	{ "running", "run", 'R' },
	[RUN_SUCCESS] =	{ "success", "ok", 's' },
	[RUN_FAILED] =	{ "failed", "failed", 'F' },
	[RUN_UNKNOWN] =	{ "unknown", "unknown", '?' },
};

const char *const af_job_type[AF_NJOBS] = {
	[AF_JOB_SCHEDULER] = "SchedulerJob",
	[AF_JOB_TRIGGERER] = "TriggererJob",
	[AF_JOB_DAG_PROCESSOR] = "DagProcessorJob",
};

enum ti_state
ti_state_parse(const char *s)
{
	int i;

	if (s == NULL || *s == '\0' || strcmp(s, "none") == 0)
		return TI_NONE;
	for (i = 1; i < TI_UNKNOWN; i++)
		if (strcmp(s, ti_states[i].name) == 0)
			return i;
	return TI_UNKNOWN;
}

const char *
ti_state_name(enum ti_state s)
{
	return (unsigned)s < TI_NSTATES ? ti_states[s].name : "unknown";
}

const char *
ti_state_brief(enum ti_state s)
{
	return (unsigned)s < TI_NSTATES ? ti_states[s].brief : "unknown";
}

const char *
ti_state_text(enum ti_state s, int try_number, bool brief)
{
	if (s == TI_NONE && try_number > 0)
		return brief ? "cleared, to run" :
		    "cleared, waiting for the scheduler";
	return ti_state_name(s);
}

char
ti_state_letter(enum ti_state s)
{
	return (unsigned)s < TI_NSTATES ? ti_states[s].letter : '?';
}

/* Airflow's State.finished. */
bool
ti_state_finished(enum ti_state s)
{
	return s == TI_SUCCESS || s == TI_FAILED || s == TI_SKIPPED ||
	    s == TI_UPSTREAM_FAILED || s == TI_REMOVED;
}

/* Airflow's State.unfinished (includes "no status"). */
bool
ti_state_unfinished(enum ti_state s)
{
	return s == TI_NONE || s == TI_SCHEDULED || s == TI_QUEUED ||
	    s == TI_RUNNING || s == TI_RESTARTING || s == TI_UP_FOR_RETRY ||
	    s == TI_UP_FOR_RESCHEDULE || s == TI_DEFERRED;
}

bool
ti_state_failed(enum ti_state s)
{
	return s == TI_FAILED || s == TI_UPSTREAM_FAILED;
}

bool
ti_state_attention(enum ti_state s)
{
	return ti_state_failed(s) || s == TI_UP_FOR_RETRY;
}

enum run_state
run_state_parse(const char *s)
{
	int i;

	if (s == NULL)
		return RUN_UNKNOWN;
	for (i = 0; i < RUN_UNKNOWN; i++)
		if (strcmp(s, run_states[i].name) == 0)
			return i;
	return RUN_UNKNOWN;
}

const char *
run_state_name(enum run_state s)
{
	return (unsigned)s < RUN_NSTATES ? run_states[s].name : "unknown";
}

const char *
run_state_brief(enum run_state s)
{
	return (unsigned)s < RUN_NSTATES ? run_states[s].brief : "unknown";
}

char
run_state_letter(enum run_state s)
{
	return (unsigned)s < RUN_NSTATES ? run_states[s].letter : '?';
}

bool
run_state_finished(enum run_state s)
{
	return s == RUN_SUCCESS || s == RUN_FAILED;
}

void
af_dag_clear(struct af_dag *d)
{
	free(d->dag_id);
	free(d->owners);
	free(d->schedule);
	free(d->timetable_description);
	free(d->fileloc);
	memset(d, 0, sizeof *d);
}

void
af_run_clear(struct af_run *r)
{
	if (!r->shared_dag_id)
		free(r->dag_id);
	free(r->run_id);
	free(r->state_raw);
	free(r->run_type);
	memset(r, 0, sizeof *r);
}

void
af_ti_clear(struct af_ti *t)
{
	free(t->dag_id);
	free(t->run_id);
	free(t->task_id);
	free(t->state_raw);
	free(t->operator);
	free(t->pool);
	free(t->hostname);
	free(t->rendered_map_index);
	memset(t, 0, sizeof *t);
}

void
af_health_clear(struct af_health *h)
{
	int i;

	for (i = 0; i < AF_NJOBS; i++)
		free(h->job[i].hostname);
	memset(h, 0, sizeof *h);
	h->now = TIME_NONE;
	for (i = 0; i < AF_NJOBS; i++)
		h->job[i].last_heartbeat = h->job[i].last_seen = TIME_NONE;
}

double
af_run_duration(const struct af_run *r, int64_t now)
{
	if (r->start_date == TIME_NONE)
		return -1;
	if (r->end_date != TIME_NONE)
		return r->end_date >= r->start_date ?
		    (double)(r->end_date - r->start_date) : -1;
	if (r->state == RUN_RUNNING && now != TIME_NONE && now >= r->start_date)
		return (double)(now - r->start_date);
	return -1;
}

/*
 * Airflow's liveness rule (airflow.md, job table): a job is alive when its
 * state is running and its newest heartbeat is younger than the threshold.
 * A job type is absent when no row was ever written (a deployment without a
 * triggerer, say), which is not the same as down.
 */
enum health
af_job_state(const struct af_job_health *j, int64_t now, int threshold)
{
	if (!j->seen)
		return HEALTH_ABSENT;
	/* Without a heartbeat, or a clock to age it by, nothing is alive. */
	if (j->running == 0 || j->last_heartbeat == TIME_NONE ||
	    now == TIME_NONE)
		return HEALTH_DOWN;
	if (now - j->last_heartbeat >= threshold)
		return HEALTH_DOWN;
	return HEALTH_OK;
}

const char *
health_name(enum health h)
{
	switch (h) {
	case HEALTH_OK:
		return "healthy";
	case HEALTH_DOWN:
		return "down";
	case HEALTH_ABSENT:
		break;
	}
	return "absent";
}

/* Doubles the array when n reaches a power of two; returns the new slot. */
static void *
push(void *v, size_t n, size_t size)
{
	if ((n & (n - 1)) == 0)
		v = xreallocarray(v, n ? n * 2 : 1, size);
	memset((char *)v + n * size, 0, size);
	return v;
}

struct af_dag *
af_dags_push(struct af_dags *a)
{
	a->v = push(a->v, a->n, sizeof *a->v);
	return &a->v[a->n++];
}

struct af_run *
af_runs_push(struct af_runs *a)
{
	if (a->cap == 0)
		a->v = push(a->v, a->n, sizeof *a->v);
	else if (a->n == a->cap) {
		a->cap *= 2;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
	}
	memset(&a->v[a->n], 0, sizeof *a->v);
	return &a->v[a->n++];
}

/*
 * An exact size when the caller knows it (a result's row count): the
 * doubling rule would leave up to half the array unused, 1 MB of the 2 MB
 * the console's 20,000 runs take.
 */
void
af_runs_reserve(struct af_runs *a, size_t n)
{
	size_t have = a->cap;

	if (have == 0 && a->n > 0)
		for (have = 1; have < a->n; have *= 2)
			;
	if (n <= have)
		return;
	a->v = xreallocarray(a->v, n, sizeof *a->v);
	a->cap = n;
}

int
af_run_cmp_newest(const struct af_run *a, const struct af_run *b)
{
	if (a->order != b->order)
		return a->order > b->order ? -1 : 1;
	return strcmp(b->run_id != NULL ? b->run_id : "",
	    a->run_id != NULL ? a->run_id : "");
}

struct af_ti *
af_tis_push(struct af_tis *a)
{
	a->v = push(a->v, a->n, sizeof *a->v);
	return &a->v[a->n++];
}

void
af_dags_free(struct af_dags *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		af_dag_clear(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
	a->mark = 0;
}

void
af_runs_free(struct af_runs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		af_run_clear(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
	a->mark = 0;
}

void
af_tis_free(struct af_tis *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		af_ti_clear(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}
