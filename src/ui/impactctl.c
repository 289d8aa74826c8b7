/*
 * impactctl.c: the console's dependency reads (issue 19): the impact
 * window's questions (pane_impact.c), the rerun modal's line on what the
 * failure holds back, and the SLA pane's upstream causes.  Every read goes
 * through depread.h's impact_read / why_read with the app's dep_cache
 * (max_age: full_refresh), one at a time in a small queue (the window
 * first, then the rerun line, then the SLA pane's whys), so two reads
 * never race to fill the cache and a key never waits for one.  Reads are
 * started from keys, the loop's tick and answers, never from a draw.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "depread.h"
#include "impactctl.h"
#include "rerun.h"

/* How far upstream a why walks (hops). */
#define WHY_DEPTH	8

/* The queue, its read in flight and whose graph the cache holds. */
struct depq {
	struct dep_req	*queue;
	struct dep_req	*busy;		/* in flight */
	char		*cache_context;
};

static struct depq *
depq_of(struct app *a)
{
	if (a->depq == NULL)
		a->depq = xcalloc(1, sizeof *a->depq);
	return a->depq;
}

static void	dq_done(void *, const char *);

static void
req_free(struct dep_req *q)
{
	if (q == NULL)
		return;
	impact_answer_free(&q->imp);
	why_answer_free(&q->why);
	free(q->dag_id);
	free(q->run_id);
	free(q->task_id);
	free(q);
}

struct dep_req *
depq_req(struct app *a, enum depq_kind kind, const char *dag_id,
    const char *run_id, const char *task_id)
{
	struct dep_req *q = xcalloc(1, sizeof *q);

	q->a = a;
	q->kind = kind;
	q->dag_id = xstrdup(dag_id);
	q->run_id = run_id != NULL ? xstrdup(run_id) : NULL;
	q->task_id = task_id != NULL ? xstrdup(task_id) : NULL;
	return q;
}

/* The graph is the context's: another context's goes. */
static void
cache_for_context(struct app *a)
{
	struct depq	*im = depq_of(a);
	const char	*ctx = a->settings != NULL &&
			    a->settings->context != NULL ?
			    a->settings->context : "";

	if (im->cache_context != NULL && strcmp(im->cache_context, ctx) == 0)
		return;
	dep_cache_free(&a->dep_cache);
	memset(&a->dep_cache, 0, sizeof a->dep_cache);
	free(im->cache_context);
	im->cache_context = xstrdup(ctx);
}

/* Starts the first queued read when none is in flight and one can run. */
static void
dq_next(struct app *a)
{
	struct depq	*im = depq_of(a);
	struct dep_req	*q;
	const struct tz	*zone;
	int		 max_age;

	if (im->busy != NULL || im->queue == NULL || a->db == NULL ||
	    !a->connected)
		return;
	q = im->queue;
	im->queue = q->next;
	q->next = NULL;
	im->busy = q;
	cache_for_context(a);
	max_age = a->c.settings->full_refresh > 0 ?
	    a->c.settings->full_refresh : 300;
	if (q->kind == DQ_IMPACT || q->kind == DQ_RERUN) {
		/*
		 * Borrowed: a context switch frees these only as it frees
		 * the source, which ends this read first (tearing_down).
		 */
		q->slas.defs = (const struct sla_def *const *)a->c.sla.defs;
		q->slas.zones = (const struct tz *const *)a->c.sla.zones;
		q->slas.n = a->c.sla.n;
		impact_read(a->db, &a->dep_cache, max_age, q->dag_id,
		    q->run_id, q->task_id, NULL, &q->slas, &q->imp, dq_done, q);
	} else {
		zone = q->sla < a->c.sla.n ? a->c.sla.zones[q->sla] :
		    a->c.zone;
		why_read(a->db, &a->dep_cache, max_age, q->dag_id, WHY_DEPTH,
		    zone, &q->why, dq_done, q);
	}
}

void
depq_push(struct app *a, struct dep_req *q)
{
	struct depq	*im = depq_of(a);
	struct dep_req	**p;

	for (p = &im->queue; *p != NULL; p = &(*p)->next)
		if ((*p)->kind > q->kind)
			break;
	q->next = *p;
	*p = q;
	dq_next(a);
}

void
depq_connected(struct app *a)
{
	dq_next(a);
}

static void	rerun_answer(struct app *, struct dep_req *, const char *);
static void	sla_answer(struct app *, struct dep_req *, const char *);

static void
dq_done(void *arg, const char *err)
{
	struct dep_req	*q = arg;
	struct app	*a = q->a;
	struct depq	*im = a->depq;

	if (im != NULL && im->busy == q)
		im->busy = NULL;
	if (a->tearing_down || im == NULL) {
		/* The source is going: the window says so, i asks again. */
		if (q->kind == DQ_IMPACT || q->kind == DQ_WHY)
			impact_window_answer(a, q, "the database connection "
			    "was reset before the answer came");
		if (q->kind == DQ_SLA && q->sla < a->c.sla.n)
			a->c.sla.cause[q->sla].asked = false;
		req_free(q);
		return;
	}
	switch (q->kind) {
	case DQ_IMPACT:
	case DQ_WHY:
		impact_window_answer(a, q, err);
		break;
	case DQ_RERUN:
		rerun_answer(a, q, err);
		break;
	case DQ_SLA:
		sla_answer(a, q, err);
		break;
	}
	req_free(q);
	a->dirty = true;
	dq_next(a);
}

/* ----------------------------------------------------------------------
 * The rerun modal's line.
 */

void
app_impact_rerun(struct app *a)
{
	const char	*dag, *run, *task;
	struct dep_req	*q;

	if (!rerun_target(a->rerun, &dag, &run, &task))
		return;
	q = depq_req(a, DQ_RERUN, dag, run, task);
	depq_push(a, q);
}

static void
rerun_answer(struct app *a, struct dep_req *q, const char *err)
{
	const char	*dag, *run, *task;
	struct buf	 b = BUF_INIT;

	if (!rerun_target(a->rerun, &dag, &run, &task) ||
	    strcmp(dag, q->dag_id) != 0 || strcmp(run, q->run_id) != 0 ||
	    strcmp(task, q->task_id) != 0)
		return;		/* another rerun since */
	if (err != NULL)
		buf_printf(&b, "what it holds back: not read (%s)", err);
	else
		buf_puts(&b, buf_str(&q->imp.line));
	rerun_set_note(a->rerun, buf_str(&b));
	buf_free(&b);
}

/* ----------------------------------------------------------------------
 * The SLA pane's upstream causes.
 */

static void
sla_answer(struct app *a, struct dep_req *q, const char *err)
{
	struct sla_cause	*sc;
	const struct dep_why	*w = &q->why.why;
	const struct dep_link	*bad;

	if (q->sla >= a->c.sla.n || strcmp(a->c.sla.defs[q->sla]->dag_id,
	    q->dag_id) != 0)
		return;		/* another context's SLAs */
	sc = &a->c.sla.cause[q->sla];
	sc->asked = false;
	sc->read_at = (int64_t)time(NULL);
	free(sc->sentence);
	sc->sentence = NULL;
	sc->upstream = false;
	if (err != NULL)
		return;		/* tried again at the next full_refresh */
	bad = w->found && w->nchain > 0 ? &w->chain[w->nchain - 1] : NULL;
	/* Upstream: the bad link is in another DAG than the SLA's. */
	sc->upstream = bad != NULL && bad->dag_id != NULL &&
	    strcmp(bad->dag_id, q->dag_id) != 0;
	if (sc->upstream)
		sc->sentence = xstrdup(buf_str(&w->sentence));
}

/*
 * While the SLA pane is on screen: a why read for each SLA that is at
 * risk, late or missing, at most one per SLA per full_refresh (queued,
 * one in flight at a time).
 */
void
app_impact_sla_tick(struct app *a)
{
	struct console	*c = &a->c;
	int64_t		 now = (int64_t)time(NULL);
	int		 every = c->settings->full_refresh > 0 ?
			    c->settings->full_refresh : 300;
	size_t		 i;

	if (!c->sla.drawn || c->sla.cause == NULL || a->db == NULL ||
	    !a->connected)
		return;
	c->sla.drawn = false;
	for (i = 0; i < c->sla.n; i++) {
		struct sla_cause	*sc = &c->sla.cause[i];
		struct dep_req		*q;

		if (sc->asked || (sc->read_at != 0 &&
		    now - sc->read_at < every))
			continue;
		/*
		 * Pending too: a deadline still ahead whose DAG waits on a
		 * failure upstream is what an operator wants to see early.
		 */
		if (sc->outcome != SLA_AT_RISK && sc->outcome != SLA_LATE &&
		    sc->outcome != SLA_MISSING && sc->outcome != SLA_FAILED &&
		    sc->outcome != SLA_PENDING)
			continue;
		sc->asked = true;
		q = depq_req(a, DQ_SLA, c->sla.defs[i]->dag_id, NULL, NULL);
		q->sla = i;
		depq_push(a, q);
	}
}

void
depq_source_gone(struct app *a)
{
	struct depq *im = a->depq;

	if (im == NULL || im->busy == NULL)
		return;
	/* Not answered while the source was freed: it never will be. */
	if (im->busy->kind == DQ_IMPACT || im->busy->kind == DQ_WHY)
		impact_window_answer(a, im->busy, "the connection was closed "
		    "before the answer came");
	if (im->busy->kind == DQ_SLA && im->busy->sla < a->c.sla.n)
		a->c.sla.cause[im->busy->sla].asked = false;
	req_free(im->busy);
	im->busy = NULL;
}

void
depq_free(struct app *a)
{
	struct depq	*im = a->depq;
	struct dep_req	*q;

	if (im == NULL)
		return;
	while ((q = im->queue) != NULL) {
		im->queue = q->next;
		req_free(q);
	}
	/* An answer in flight was dropped with the source (sched_free). */
	free(im->cache_context);
	free(im);
	a->depq = NULL;
	dep_cache_free(&a->dep_cache);
}
