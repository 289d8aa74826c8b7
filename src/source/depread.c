/*
 * depread.c: the impact and why reads (depread.h).  Each is a small job
 * that chains the source's fetches from the event loop, as a report or
 * the console's refresh does, and hands the pure walks of depgraph.h what
 * they need:
 *
 *   impact	the graph's facts (when the cache is empty or old) and the
 *		failed DAG's task graph, at once; dep_impact; the state of
 *		every DAG it holds back; the SLAs' days at the database clock;
 *		dep_impact_slas and dep_impact_line.
 *   why	the graph's facts (as above); the state of what lies upstream;
 *		dep_why.
 *
 * On the database that is at most four statements for an impact (two for
 * the facts, one for the task graph, one for the state) and three for a
 * why, whatever the size.  Nothing here blocks.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "depread.h"
#include "sla.h"

struct dep_graph_hold {
	struct depgraph	*graph;
	struct buf	 warnings;	/* the facts' own: rows not read */
	int		 refs;
};

static struct dep_graph_hold *
hold_ref(struct dep_graph_hold *h)
{
	if (h != NULL)
		h->refs++;
	return h;
}

static void
hold_drop(struct dep_graph_hold *h)
{
	if (h == NULL || --h->refs > 0)
		return;
	depgraph_free(h->graph);
	buf_free(&h->warnings);
	free(h);
}

void
dep_cache_free(struct dep_cache *c)
{
	hold_drop(c->hold);
	memset(c, 0, sizeof *c);
}

/* Whether the cache can answer without reading the facts again. */
static bool
cache_fresh(const struct dep_cache *c, int max_age)
{
	return c->hold != NULL &&
	    (int64_t)time(NULL) - c->read_at <= (int64_t)max_age;
}

/*
 * Builds the graph of facts just read into the cache (which lets its older
 * graph go: the answers still on it keep it) and frees the facts.
 * Returns the new hold with a reference for the caller's answer, or NULL
 * when out of memory.
 */
static struct dep_graph_hold *
cache_install(struct dep_cache *c, struct dep_facts *facts)
{
	struct dep_graph_hold	*h;
	struct depgraph		*g = depgraph_build(facts);

	if (g == NULL) {
		dep_facts_free(facts);
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	h->graph = g;
	buf_puts(&h->warnings, buf_str(&facts->warnings));
	dep_facts_free(facts);
	memset(facts, 0, sizeof *facts);
	h->refs = 1;		/* the cache's */
	hold_drop(c->hold);
	c->hold = h;
	c->graph = g;
	c->read_at = (int64_t)time(NULL);
	return hold_ref(h);
}

/* Appends text as whole lines. */
static void
put_lines(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	buf_puts(b, s);
	if (s[n - 1] != '\n')
		buf_putc(b, '\n');
}

/* The warnings every answer names: the graph's, then its facts'. */
static void
graph_warnings(struct buf *b, const struct dep_graph_hold *h)
{
	put_lines(b, depgraph_warnings(h->graph));
	put_lines(b, buf_str(&h->warnings));
}

/* What both reads carry: where the answer goes, what they read on the way. */
struct dep_job {
	struct sched		*s;
	struct dep_cache	*cache;
	sched_cb		 cb;
	void			*arg;
	struct dep_facts	 facts;
	struct dep_ask		 ask;
	struct buf		 tg_warn;	/* fetch_graph's (impact) */
	struct buf		 error;		/* the first (impact) */
};

static void
dep_job_init(struct dep_job *j, struct sched *s, struct dep_cache *cache,
    sched_cb cb, void *arg)
{
	j->s = s;
	j->cache = cache;
	j->cb = cb;
	j->arg = arg;
}

/*
 * Frees what the read read on the way and the job (whose first member j
 * is), then calls back, once: err is copied first, as it may live in the
 * job.
 */
static void
dep_job_end(struct dep_job *j, const char *err)
{
	sched_cb	 cb = j->cb;
	void		*arg = j->arg;
	struct buf	 e = BUF_INIT;

	if (err != NULL)
		buf_puts(&e, err);
	dep_facts_free(&j->facts);
	dep_ask_free(&j->ask);
	buf_free(&j->tg_warn);
	buf_free(&j->error);
	free(j);
	cb(arg, err != NULL ? buf_str(&e) : NULL);
	buf_free(&e);
}

#define OOM_GRAPH	"out of memory building the dependency graph"

/*
 * An answer's graph: built from the facts the job has read (read: and put
 * in the cache), else the cache's; either way held until the answer is
 * freed.  -1 when out of memory.
 */
static int
answer_graph(struct dep_job *j, bool read, struct dep_graph_hold **hold,
    const struct depgraph **graph)
{
	if (read)
		*hold = cache_install(j->cache, &j->facts);
	else
		*hold = hold_ref(j->cache->hold);
	if (*hold == NULL)
		return -1;
	*graph = (*hold)->graph;
	return 0;
}

/* ----------------------------------------------------------------------
 * Impact.
 */

struct impact_job {
	struct dep_job			 job;		/* first */
	const char			*dag_id, *run_id, *task_id;
	const struct af_dags		*dags;
	const struct dep_slas		*slas;
	struct impact_answer		*out;
	bool				 reading_facts;
	int				 pending;
};

/* Ends the job: the answer, or the first error with nothing in out. */
static void
impact_end(struct impact_job *j, const char *err)
{
	if (err != NULL)
		impact_answer_free(j->out);
	dep_job_end(&j->job, err);
}

/*
 * Today of each SLA whose DAG the state holds (the others are not held
 * back, or their DAG is not known): sla_eval_day at the database clock on
 * the SLA's current local day, with the DAG's newest run as the one
 * attempt the state knows of and its median.  The state reads no SLA
 * history (the statement budget), so a day served by an earlier run than
 * the newest is judged without it: pending or missing instead of met.
 */
static void
impact_slas(struct impact_job *j)
{
	const struct dep_slas	*sl = j->slas;
	struct impact_answer	*a = j->out;
	struct sla_day		*days;
	const struct sla_day	**today;
	size_t			 i;
	int64_t			 now = a->state.now;

	if (sl == NULL || sl->n == 0) {
		dep_impact_slas(&a->impact, NULL, NULL, 0, &a->state, now);
		dep_impact_line(&a->impact, NULL, NULL, now, false, &a->line);
		return;
	}
	days = xcalloc(sl->n, sizeof *days);
	today = xcalloc(sl->n, sizeof *today);
	for (i = 0; i < sl->n; i++) {
		const struct sla_def		*d = sl->defs[i];
		const struct tz			*z = sl->zones[i];
		const struct dep_dag_state	*ds = dep_state_dag(&a->state,
						    d->dag_id);
		struct sla_attempt		 at;

		if (ds == NULL)
			continue;
		memset(&at, 0, sizeof at);
		if (ds->has_run) {
			at.run_id = ds->run_id;
			at.interval_end = ds->run_after != TIME_NONE ?
			    ds->run_after : ds->run_start;
			at.start = ds->run_start;
			at.end = ds->run_end;
			at.state = sla_attempt_state(run_state_name(
			    ds->run_state), false, 0, 0, 0,
			    ds->run_start != TIME_NONE);
		}
		sla_eval_day(d, z, sla_local_day(z, now), &at,
		    ds->has_run ? 1 : 0, ds->median, now, &days[i]);
		today[i] = &days[i];
	}
	dep_impact_slas(&a->impact, sl->defs, today, sl->n, &a->state, now);
	dep_impact_line(&a->impact, sl->defs, sl->zones, now, false,
	    &a->line);
	free(today);
	free(days);
}

/* The state is in: the SLAs, the line, and the answer is whole. */
static void
impact_state_done(void *arg, const char *err)
{
	struct impact_job *j = arg;

	if (err != NULL) {
		impact_end(j, err);
		return;
	}
	impact_slas(j);
	put_lines(&j->out->warnings, buf_str(&j->out->impact.warnings));
	impact_end(j, NULL);
}

/* The graph and the task graph are in: walk, then read the DAGs' state. */
static void
impact_walk(struct impact_job *j)
{
	struct impact_answer	*a = j->out;
	struct buf		 e = BUF_INIT;

	graph_warnings(&a->warnings, a->hold);
	put_lines(&a->warnings, buf_str(&j->job.tg_warn));
	if (a->tg != NULL && graph_find(a->tg, j->task_id) == (size_t)-1) {
		buf_puts(&e, "DAG ");
		buf_puts(&e, j->dag_id);
		buf_puts(&e, " has no task ");
		buf_puts(&e, j->task_id);
		impact_end(j, buf_str(&e));
		buf_free(&e);
		return;
	}
	if (dep_impact(a->graph, j->dag_id, j->task_id, a->tg, j->dags,
	    &a->impact) != 0) {
		buf_puts(&e, "no DAG ");
		buf_puts(&e, j->dag_id);
		buf_puts(&e, " in Airflow (no task graph, no dependency)");
		impact_end(j, buf_str(&e));
		buf_free(&e);
		return;
	}
	dep_impact_ask(&a->impact, &j->job.ask);
	a->statements++;
	sched_fetch_dep_state(j->job.s, &j->job.ask, &a->state, impact_state_done, j);
}

/* One of the first two reads (facts, task graph) is in. */
static void
impact_first_done(void *arg, const char *err)
{
	struct impact_job *j = arg;

	if (err != NULL && j->job.error.len == 0)
		buf_puts(&j->job.error, err);
	if (--j->pending > 0)
		return;
	if (j->job.error.len > 0) {
		impact_end(j, buf_str(&j->job.error));
		return;
	}
	if (j->reading_facts) {
		if (answer_graph(&j->job, true, &j->out->hold,
		    &j->out->graph) != 0) {
			impact_end(j, OOM_GRAPH);
			return;
		}
	}
	impact_walk(j);
}

void
impact_read(struct sched *s, struct dep_cache *cache, int max_age,
    const char *dag_id, const char *run_id, const char *task_id,
    const struct af_dags *dags, const struct dep_slas *slas,
    struct impact_answer *out, sched_cb cb, void *arg)
{
	struct impact_job *j = xcalloc(1, sizeof *j);

	memset(out, 0, sizeof *out);
	dep_job_init(&j->job, s, cache, cb, arg);
	j->dag_id = dag_id;
	j->run_id = run_id;
	j->task_id = task_id;
	j->dags = dags;
	j->slas = slas;
	j->out = out;
	/*
	 * The facts and the failed DAG's task graph do not depend on each
	 * other: both are asked for at once.  A cached graph is taken now, so
	 * that a newer read meanwhile cannot take it from under this one.
	 */
	j->pending = 1;
	if (cache_fresh(cache, max_age))
		(void)answer_graph(&j->job, false, &out->hold, &out->graph);
	else {
		j->reading_facts = true;
		j->pending++;
		out->statements++;
		sched_fetch_deps(s, &j->job.facts, impact_first_done, j);
	}
	out->statements++;
	sched_fetch_graph(s, dag_id, run_id, &out->tg, &j->job.tg_warn,
	    impact_first_done, j);
}

void
impact_answer_free(struct impact_answer *a)
{
	graph_free(a->tg);
	dep_impact_free(&a->impact);
	dep_state_free(&a->state);
	buf_free(&a->line);
	buf_free(&a->warnings);
	hold_drop(a->hold);
	memset(a, 0, sizeof *a);
}

/* ----------------------------------------------------------------------
 * Why.
 */

struct why_job {
	struct dep_job		 job;		/* first */
	const char		*dag_id;
	int			 max_depth;
	const struct tz		*zone;
	struct why_answer	*out;
};

static void
why_end(struct why_job *j, const char *err)
{
	if (err != NULL)
		why_answer_free(j->out);
	dep_job_end(&j->job, err);
}

static void
why_state_done(void *arg, const char *err)
{
	struct why_job		*j = arg;
	struct why_answer	*a = j->out;

	if (err != NULL) {
		why_end(j, err);
		return;
	}
	dep_why(a->graph, j->dag_id, &a->state, j->zone, &a->why);
	put_lines(&a->warnings, buf_str(&a->why.warnings));
	why_end(j, NULL);
}

/* The graph is at hand: read the state of everything upstream. */
static void
why_ask(struct why_job *j)
{
	struct why_answer *a = j->out;

	graph_warnings(&a->warnings, a->hold);
	dep_upstream_ask(a->graph, j->dag_id, j->max_depth, &j->job.ask);
	a->statements++;
	sched_fetch_dep_state(j->job.s, &j->job.ask, &a->state, why_state_done, j);
}

static void
why_facts_done(void *arg, const char *err)
{
	struct why_job *j = arg;

	if (err != NULL) {
		why_end(j, err);
		return;
	}
	if (answer_graph(&j->job, true, &j->out->hold, &j->out->graph) != 0) {
		why_end(j, OOM_GRAPH);
		return;
	}
	why_ask(j);
}

void
why_read(struct sched *s, struct dep_cache *cache, int max_age,
    const char *dag_id, int max_depth, const struct tz *zone,
    struct why_answer *out, sched_cb cb, void *arg)
{
	struct why_job *j = xcalloc(1, sizeof *j);

	memset(out, 0, sizeof *out);
	dep_job_init(&j->job, s, cache, cb, arg);
	j->dag_id = dag_id;
	j->max_depth = max_depth;
	j->zone = zone;
	j->out = out;
	if (cache_fresh(cache, max_age)) {
		/* Still a fetch before cb: callbacks come from the loop. */
		(void)answer_graph(&j->job, false, &out->hold, &out->graph);
		why_ask(j);
		return;
	}
	out->statements++;
	sched_fetch_deps(s, &j->job.facts, why_facts_done, j);
}

void
why_answer_free(struct why_answer *a)
{
	dep_why_free(&a->why);
	dep_state_free(&a->state);
	buf_free(&a->warnings);
	hold_drop(a->hold);
	memset(a, 0, sizeof *a);
}
