/*
 * airflow_rest_compare.c: the blue/green facts (compare.h) through the
 * Airflow REST API, v1 (2.x) and v2 (3.x), in the shape the database
 * source gives them.
 *
 * What they cost, with P the page limit, D DAGs (A of them active), R runs
 * in the window and T of their task instances that ended:
 *   shapes        the DAG list (ceil(D/P) pages), then one
 *                 GET /dags/{id}/tasks per active DAG (A requests, not
 *                 paged: a DAG's tasks come whole), REST_PARALLEL in
 *                 flight: the API has no list of every DAG's tasks.
 *   task figures  the window's runs as sched_fetch_runs_since reads them,
 *                 then the batch task instance list (POST
 *                 /dags/~/dagRuns/~/taskInstances/list) by dag_ids and
 *                 dag_run_ids, ended states only, one list per
 *                 TASKS_RUNS_PER_LIST runs: on v1 each answers every
 *                 match at once (ceil(R/200) requests), on v2 each is
 *                 paged (about ceil(R/200) + T/P).  Per-run lists would
 *                 be R requests at least.
 * The batch list takes dag_ids and dag_run_ids apart, so it may answer
 * instances of a run id the window has for another DAG: those are
 * dropped here.  The figures are computed here (cmp_tasks_from_tis) by
 * the database statement's rules.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "airflow_rest_int.h"
#include "compare.h"

/* Runs per batch list: a bounded body and, on v1, a bounded answer. */
#define TASKS_RUNS_PER_LIST	200

/* --- shapes ------------------------------------------------------------- */

/* A read of the shapes: the DAG list, then each active DAG's tasks. */
struct shapes_ctx {
	struct buf		*warn;
	struct af_dags		 dags;
	char			**ids;		/* per read, its DAG */
	size_t			 nids;
};

static void
shapes_ctx_free(struct job *j)
{
	struct shapes_ctx *c = j->extra;

	for (size_t i = 0; i < c->nids; i++)
		free(c->ids[i]);
	free(c->ids);
	af_dags_free(&c->dags);
	free(c);
}

/* Each read's graph, or unknown with a line when the DAG went away. */
static void
shapes_end(struct job *j)
{
	struct shapes_ctx	*c = j->extra;
	struct cmp_shapes	*out = j->out;

	out->v = c->nids > 0 ? xcalloc(c->nids, sizeof *out->v) : NULL;
	for (size_t i = 0; i < j->nreqs; i++) {
		struct req		*q = j->reqs[i];
		struct cmp_shape	*s = &out->v[out->n++];

		s->dag_id = c->ids[i];
		c->ids[i] = NULL;
		if (q->missing) {
			s->unknown = true;
			buf_printf(c->warn, "%s: task graph unreadable (no "
			    "such DAG any more)\n", s->dag_id);
			continue;
		}
		graph_finish(q->graph);
		cmp_shape_from_graph(s, q->graph);
	}
	cmp_shapes_sort(out);
}

static void
shapes_fail(struct job *j)
{
	cmp_shapes_free(j->out);
}

/* The DAG list is in: one tasks read per active DAG, in job j. */
static void
shapes_dags_in(void *arg, const char *err)
{
	struct job		*j = arg;
	struct shapes_ctx	*c = j->extra;
	struct buf		 p = BUF_INIT;

	if (rest_job_ended(j, err))
		return;
	c->ids = xcalloc(c->dags.n + 1, sizeof *c->ids);
	for (size_t i = 0; i < c->dags.n; i++) {
		struct req *q;

		if (!c->dags.v[i].active)
			continue;
		buf_reset(&p);
		rest_dag_path(&p, c->dags.v[i].dag_id, NULL);
		buf_puts(&p, "/tasks");
		q = rest_job_add(j, K_TASKS, buf_str(&p), NULL, false);
		q->graph = graph_new();
		q->none_on_404 = true;
		c->ids[c->nids++] = xstrdup(c->dags.v[i].dag_id);
	}
	buf_free(&p);
	rest_job_go(j);
}

/*
 * Two jobs, as rest_fetch_dep_state: the one the caller hears from, which
 * owns the context (so that freeing the source mid-read frees it), is
 * given the tasks reads once the DAG list's job is done.
 */
void
rest_fetch_shapes(struct sched *sd, struct cmp_shapes *out, struct buf *warn,
    sched_cb cb, void *arg)
{
	struct job		*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct shapes_ctx	*c = xcalloc(1, sizeof *c);

	c->warn = warn;
	j->extra = c;
	j->extra_free = shapes_ctx_free;
	j->end = shapes_end;
	j->fail = shapes_fail;
	out->v = NULL;
	out->n = 0;
	rest_fetch_dags(sd, &c->dags, shapes_dags_in, j);
}

/* --- task figures ------------------------------------------------------- */

/* A read of the task figures: the window's runs, then their instances. */
struct stats_ctx {
	struct af_runs		 runs;	/* sorted by dag_id, run_id */
};

static int
cmp_run_key(const void *a, const void *b)
{
	const struct af_run *x = a, *y = b;
	int c = strcmp(x->dag_id, y->dag_id);

	return c != 0 ? c : strcmp(x->run_id, y->run_id);
}

/* Whether the instance belongs to one of the window's runs. */
static bool
in_runs(const struct stats_ctx *c, const struct af_ti *t)
{
	struct af_run key;

	memset(&key, 0, sizeof key);
	key.dag_id = t->dag_id;
	key.run_id = t->run_id;
	return c->runs.n > 0 && bsearch(&key, c->runs.v, c->runs.n,
	    sizeof *c->runs.v, cmp_run_key) != NULL;
}

static void
stats_ctx_free(struct job *j)
{
	struct stats_ctx *c = j->extra;

	af_runs_free(&c->runs);
	free(c);
}

static int
ti_key_cmp(const void *x, const void *y)
{
	const struct af_ti	*a = x, *b = y;
	int			 c;

	if ((c = strcmp(a->dag_id, b->dag_id)) != 0 ||
	    (c = strcmp(a->run_id, b->run_id)) != 0 ||
	    (c = strcmp(a->task_id, b->task_id)) != 0)
		return c;
	return (a->map_index > b->map_index) - (a->map_index < b->map_index);
}

/*
 * The instances of the window's runs, each once: a batch list asks for
 * its DAGs' runs by id, and a scheduled run's id is every DAG's on its
 * date, so a DAG whose runs two batches share comes back from both.
 */
static void
stats_end(struct job *j)
{
	struct stats_ctx	*c = j->extra;
	struct af_tis		 tis = { 0 };
	size_t			 i, k, n = 0;

	for (i = 0; i < j->nreqs; i++) {
		struct af_tis *t = &j->reqs[i]->tis;

		for (k = 0; k < t->n; k++) {
			if (!in_runs(c, &t->v[k]))
				continue;
			*af_tis_push(&tis) = t->v[k];
			memset(&t->v[k], 0, sizeof t->v[k]);
		}
	}
	if (tis.n > 1)
		qsort(tis.v, tis.n, sizeof *tis.v, ti_key_cmp);
	for (i = 0; i < tis.n; i++) {
		if (n > 0 && ti_key_cmp(&tis.v[n - 1], &tis.v[i]) == 0) {
			af_ti_clear(&tis.v[i]);
			continue;
		}
		tis.v[n++] = tis.v[i];
	}
	tis.n = n;
	cmp_tasks_from_tis(&tis, j->out);
	af_tis_free(&tis);
}

static void
stats_fail(struct job *j)
{
	cmp_tasks_free(j->out);
}

/* One batch list for runs [from, to) of c->runs. */
static void
stats_add_list(struct job *j, const struct stats_ctx *c, size_t from,
    size_t to)
{
	json_t	*dags = json_array(), *ids = json_array(), *b, *st;

	for (size_t i = from; i < to; i++) {
		const struct af_run *r = &c->runs.v[i];

		/* Sorted: each DAG once. */
		if (i == from || strcmp(r->dag_id, c->runs.v[i - 1].dag_id))
			json_array_append_new(dags, json_string(r->dag_id));
		json_array_append_new(ids, json_string(r->run_id));
	}
	st = rest_states("success", "failed", "skipped");
	json_array_append_new(st, json_string("upstream_failed"));
	json_array_append_new(st, json_string("removed"));
	b = json_pack("{s:o, s:o, s:o}", "dag_ids", dags, "dag_run_ids", ids,
	    "state", st);
	rest_job_add(j, K_TIS, "/dags/~/dagRuns/~/taskInstances/list", b,
	    rest_api_version(j->rs) == 2);
}

/* The window's runs are in: their ended instances, in batch lists. */
static void
stats_runs_in(void *arg, const char *err)
{
	struct job		*j = arg;
	struct stats_ctx	*c = j->extra;

	if (rest_job_ended(j, err))
		return;
	rest_sort(c->runs.v, c->runs.n, sizeof *c->runs.v, cmp_run_key);
	for (size_t i = 0; i < c->runs.n; i += TASKS_RUNS_PER_LIST)
		stats_add_list(j, c, i, i + TASKS_RUNS_PER_LIST < c->runs.n ?
		    i + TASKS_RUNS_PER_LIST : c->runs.n);
	rest_job_go(j);
}

/* Two jobs, as rest_fetch_shapes: the runs', then this one's lists. */
void
rest_fetch_task_stats(struct sched *sd, int64_t since, struct cmp_tasks *out,
    sched_cb cb, void *arg)
{
	struct job		*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct stats_ctx	*c = xcalloc(1, sizeof *c);

	j->extra = c;
	j->extra_free = stats_ctx_free;
	j->end = stats_end;
	j->fail = stats_fail;
	out->v = NULL;
	out->n = 0;
	rest_fetch_runs_since(sd, since, &c->runs, stats_runs_in, j);
}
