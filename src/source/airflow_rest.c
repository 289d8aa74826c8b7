/*
 * airflow_rest.c: the Airflow REST API as a scheduler source
 * (airflow_rest.h, scheduler.h): its jobs and reads, the opening and version
 * detection, health, DAGs, pools, the task graph and unknown DAGs; runs,
 * task instances and SLA history are in airflow_rest_runs.c, the
 * dependency facts and state in airflow_rest_deps.c.
 *
 * Every fetch is a job made of reads (struct req): a GET, or a POST of a
 * batch list endpoint (which the write gate lets by: api_airflow_intent).
 * A paged read asks for page_limit records at a time and follows
 * total_entries to the end, never taking a short page for the last one
 * unless it is empty or the total is reached.  A job starts from a loop
 * timer, so its callback never runs inside the fetch call; at most
 * REST_PARALLEL of its reads are in flight at once.  The first failure
 * fails the job: its output is emptied and the one line goes to cb.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "af_api.h"
#include "airflow_rest.h"
#include "airflow_rest_int.h"
#include "api_client.h"
#include "buf.h"
#include "loop.h"
#include "timefmt.h"
#include "tz.h"

#define REST_PARALLEL	6

static const struct sched_ops rest_ops;
static void	req_send(struct req *);

/* --- jobs --------------------------------------------------------------- */

struct req *
rest_job_add(struct job *j, enum req_kind kind, const char *path, json_t *body,
    bool paged)
{
	struct req *q = xcalloc(1, sizeof *q);

	q->job = j;
	q->kind = kind;
	q->path = xstrdup(path);
	q->body = body;
	q->paged = paged;
	q->want = -1;
	j->reqs = xreallocarray(j->reqs, j->nreqs + 1, sizeof *j->reqs);
	j->reqs[j->nreqs++] = q;
	return q;
}

static void
req_free(struct req *q)
{
	if (q->call != NULL)
		airflow_api_cancel(q->call);
	free(q->path);
	json_decref(q->body);
	af_runs_free(&q->runs);
	af_tis_free(&q->tis);
	free(q->version);
	graph_free(q->graph);
	free(q);
}

static void
job_free(struct job *j)
{
	struct job **pp;

	for (pp = &j->rs->jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	for (size_t i = 0; i < j->nreqs; i++)
		req_free(j->reqs[i]);
	free(j->reqs);
	if (j->dags != NULL) {
		af_dags_free(j->dags);
		free(j->dags);
	}
	graph_free(j->graph);
	for (size_t i = 0; i < 2 * j->n; i++)
		free(j->pairs[i]);
	free(j->pairs);
	for (size_t i = 0; j->sla_runs != NULL && i < j->n; i++)
		af_runs_free(&j->sla_runs[i]);
	free(j->sla_runs);
	free(j->sla_tis);
	if (j->extra_free != NULL)
		j->extra_free(j);
	loop_timer_free(j->timer);
	buf_free(&j->err);
	free(j);
}

/* All reads are in: the output is filled or emptied, then cb, once. */
void
rest_job_finish(struct job *j)
{
	sched_cb	 cb = j->cb;
	void		*arg = j->arg;
	char		*err = NULL;

	if (j->err.len == 0 && j->end != NULL)
		j->end(j);
	if (j->err.len > 0) {
		if (j->fail != NULL)
			j->fail(j);
		err = buf_detach(&j->err);
	}
	job_free(j);
	cb(arg, err);
	free(err);
}

bool
rest_job_ended(struct job *j, const char *err)
{
	if (err == NULL)
		return false;
	buf_puts(&j->err, err);
	rest_job_finish(j);
	return true;
}

static void
job_timer(struct loop_timer *t, void *arg)
{
	(void)t;
	rest_job_next(arg);
}

/*
 * Starts reads up to REST_PARALLEL in flight; finishes the job when all
 * are in, or after a failure when those in flight are.  A read that fails
 * at once calls back inside req_send: `starting` keeps that from
 * finishing (and freeing) the job under the caller's feet.
 */
void
rest_job_next(struct job *j)
{
	if (j->starting)
		return;
	j->starting = true;
	while (j->err.len == 0 && j->started < j->nreqs &&
	    j->started - j->done < REST_PARALLEL)
		req_send(j->reqs[j->started++]);
	j->starting = false;
	if (j->err.len > 0 ? j->done == j->started : j->done == j->nreqs)
		rest_job_finish(j);
}

struct job *
rest_job_new(struct rest *rs, void *out, sched_cb cb, void *arg)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->rs = rs;
	j->out = out;
	j->cb = cb;
	j->arg = arg;
	j->next = rs->jobs;
	rs->jobs = j;
	j->timer = loop_timer_new(rs->loop, job_timer, j);
	return j;
}

/* Starts the job on the next loop pass: callbacks never come inside. */
void
rest_job_go(struct job *j)
{
	loop_timer_set(j->timer, 0);
}

/* --- reads -------------------------------------------------------------- */

/* The read's next page: GET path[&|?]limit=&offset=, or the body's. */
static void
req_page(struct req *q, struct buf *path, char **body)
{
	struct rest *rs = q->job->rs;
	long limit = rs->page_limit;

	if (q->want >= 0 && q->want - q->offset < limit)
		limit = q->want - q->offset;
	buf_puts(path, q->path);
	*body = NULL;
	if (q->body != NULL) {
		if (q->paged) {
			json_object_set_new(q->body, "page_limit",
			    json_integer(limit));
			json_object_set_new(q->body, "page_offset",
			    json_integer(q->offset));
		}
		*body = json_dumps(q->body, JSON_COMPACT);
	} else if (q->paged)
		buf_printf(path, "%climit=%ld&offset=%ld",
		    strchr(q->path, '?') != NULL ? '&' : '?', limit, q->offset);
}

/* Decodes one page into the read's output: records read, or -1. */
static long
req_decode(struct req *q, const struct http_response *r, long *total,
    struct buf *err)
{
	struct job	*j = q->job;
	int		 api = airflow_api_major(j->rs->api) >= 3 ? 2 : 1;
	const char	*b = r->body.data != NULL ? r->body.data : "";
	size_t		 len = r->body.len;

	*total = -1;
	switch (q->kind) {
	case K_VERSION:
		return af_api_version(b, len, &q->version, err);
	case K_HEALTH:
		return af_api_health(b, len, api, (int64_t)time(NULL), j->out,
		    err);
	case K_DAGS:
		return af_api_dags(b, len, api, j->out, total, err);
	case K_RUNS:
		return af_api_runs(b, len, api, &q->runs, total, err);
	case K_RUN:
		return af_api_run(b, len, api, &q->runs, err);
	case K_TIS:
		return af_api_tis(b, len, api, &q->tis, total, err);
	case K_POOLS:
		return af_api_pools(b, len, api, j->out, total, err);
	case K_TASKS:
		return af_api_tasks(b, len, api, q->graph != NULL ? q->graph :
		    j->graph, total, err);
	case K_EXISTS:
		return 0;
	case K_DEP_DAGS: case K_DEP_ASSETS: case K_DEP_ALIASES:
	case K_DEP_DETAIL: case K_DEP_EVENTS: case K_DEP_QUEUED:
		return rest_deps_decode(q, b, len, total, err);
	}
	return -1;
}

/* The job's one line for a failed read: "Airflow API GET /dags: ...". */
static void
req_fail(struct req *q, const struct http_response *r, const char *why)
{
	struct buf *e = &q->job->err;

	if (e->len > 0)
		return;
	buf_printf(e, "Airflow API %s %s: ", q->body != NULL ? "POST" : "GET",
	    q->path);
	if (r != NULL)
		airflow_api_error(r, e);
	else
		buf_puts(e, why);
}

static void
req_done(struct api_call *c, const struct http_response *r, void *arg)
{
	struct req	*q = arg;
	struct job	*j = q->job;
	struct buf	 err = BUF_INIT;
	long		 n, total;
	bool		 more = false;

	(void)c;
	q->call = NULL;
	if (r->status == 404 && (q->kind == K_EXISTS || q->kind == K_RUN ||
	    q->none_on_404))
		q->missing = true;
	else if (r->status / 100 != 2)
		req_fail(q, r, NULL);
	else if ((n = req_decode(q, r, &total, &err)) < 0)
		req_fail(q, NULL, buf_str(&err));
	else if (!q->paged && total > n) {
		/* An answer that is not paged must hold all: never less. */
		buf_printf(&err, "%ld of %ld records in one answer", n, total);
		req_fail(q, NULL, buf_str(&err));
	} else if (q->paged) {
		q->offset += n;
		/* A page may be short of the limit: only the total ends it. */
		more = n > 0 && (total < 0 || q->offset < total) &&
		    (q->want < 0 || q->offset < q->want);
	}
	buf_free(&err);
	if (more && j->err.len == 0) {
		req_send(q);
		return;
	}
	j->done++;
	rest_job_next(j);
}

/* Sends the read's next page; its answer comes to req_done. */
static void
req_send(struct req *q)
{
	struct job	*j = q->job;
	struct rest	*rs = j->rs;
	struct buf	 path = BUF_INIT, err = BUF_INIT;
	struct api_call	*call;
	char		*body;
	bool		 was = j->starting;

	req_page(q, &path, &body);
	rs->requests++;
	j->starting = true;
	if (body != NULL) {
		call = airflow_api_post(rs->api, buf_str(&path), body,
		    req_done, q, &err);
		if (call == NULL && err.len > 0) {
			/* Refused before anything left (not a list endpoint). */
			req_fail(q, NULL, buf_str(&err));
			j->done++;
		}
	} else
		call = airflow_api_get(rs->api, buf_str(&path), NULL, NULL,
		    req_done, q);
	/* NULL when it failed at once: req_done has run. */
	q->call = call;
	j->starting = was;
	free(body);
	buf_free(&path);
	buf_free(&err);
	if (!was)
		rest_job_next(j);
}

/* --- helpers ------------------------------------------------------------ */

int
rest_api_version(const struct rest *rs)
{
	return airflow_api_major(rs->api) >= 3 ? 2 : 1;
}

/* /dags/{dag_id}, and /dagRuns/{run_id} when run_id is not NULL. */
void
rest_dag_path(struct buf *b, const char *dag_id, const char *run_id)
{
	buf_puts(b, "/dags/");
	http_escape(b, dag_id);
	if (run_id != NULL) {
		buf_puts(b, "/dagRuns/");
		http_escape(b, run_id);
	}
}

char *
rest_iso(int64_t t)
{
	struct buf b = BUF_INIT;

	fmt_time(&b, tz_utc(), t, FMT_ISO);
	return buf_detach(&b);
}

/* A run list POST body: {dag_ids?, states?, order_by} and filters. */
json_t *
rest_runs_body(const char *order_by)
{
	return json_pack("{s:s}", "order_by", order_by);
}

void
rest_body_time(json_t *b, const char *key, int64_t t)
{
	char *s = rest_iso(t);

	json_object_set_new(b, key, json_string(s));
	free(s);
}

json_t *
rest_states(const char *a, const char *b2, const char *c)
{
	json_t *v = json_array();

	json_array_append_new(v, json_string(a));
	if (b2 != NULL)
		json_array_append_new(v, json_string(b2));
	if (c != NULL)
		json_array_append_new(v, json_string(c));
	return v;
}

/* The runs every read of the job holds, moved into out. */
void
rest_gather_runs(struct job *j, struct af_runs *out)
{
	for (size_t i = 0; i < j->nreqs; i++) {
		struct af_runs *r = &j->reqs[i]->runs;

		for (size_t k = 0; k < r->n; k++) {
			*af_runs_push(out) = r->v[k];
			memset(&r->v[k], 0, sizeof r->v[k]);
		}
		r->n = 0;
	}
}

void
rest_fail_runs(struct job *j)
{
	af_runs_free(j->out);
}

void
rest_fail_tis(struct job *j)
{
	af_tis_free(j->out);
}

/* --- opening ------------------------------------------------------------ */

static void
version_end(struct job *j)
{
	struct rest	*rs = j->rs;
	struct req	*v2 = j->reqs[0];
	int		 major, minor;

	major = af_api_major(v2->version);
	if (major < 2) {
		buf_printf(&j->err, "Airflow API: version \"%s\" not understood",
		    v2->version != NULL ? v2->version : "");
		return;
	}
	rs->release = v2->version;
	v2->version = NULL;
	airflow_api_set_major(rs->api, major);
	rs->about.major = major;
	rs->about.release = rs->release;
	rs->about.revision = NULL;
	minor = strchr(rs->release, '.') != NULL ?
	    atoi(strchr(rs->release, '.') + 1) : 0;
	/* Earlier tries are kept from 2.10 on. */
	rs->about.ti_history = major >= 3 || (major == 2 && minor >= 10);
	/* Read as the API was up to 3.2; said, as the database source does. */
	if (major > 3 || (major == 3 && minor > 2) || (major == 2 &&
	    (minor < 7 || minor > 11)))
		buf_printf(&rs->warnings, "Airflow %s: this build reads the "
		    "API of Airflow 2.7 to 2.11 and 3.0 to 3.2", rs->release);
}

static void detect(struct rest *, int major);

static void
detected(void *arg, const char *err)
{
	struct rest *rs = arg;

	if (err != NULL && rs->about.major == 0 &&
	    airflow_api_major(rs->api) >= 3 && strstr(err, "HTTP 404") != NULL) {
		/* No /api/v2: an Airflow 2 with /api/v1. */
		detect(rs, 2);
		return;
	}
	rs->ready(rs->arg, err);
}

static void
detect(struct rest *rs, int major)
{
	struct job *j = rest_job_new(rs, NULL, detected, rs);

	airflow_api_set_major(rs->api, major);
	rest_job_add(j, K_VERSION, "/version", NULL, false);
	j->end = version_end;
	rest_job_go(j);
}

struct sched *
airflow_rest_open(struct loop *loop, const struct airflow_api_opts *o,
    const struct http_opts *ho, int page_limit, sched_cb ready, void *arg,
    struct buf *err)
{
	struct rest *rs = xcalloc(1, sizeof *rs);

	rs->base.ops = &rest_ops;
	rs->loop = loop;
	rs->ready = ready;
	rs->arg = arg;
	rs->page_limit = page_limit > 0 ? page_limit : 100;
	rs->http = http_new(loop, ho);
	rs->api = airflow_api_new(loop, rs->http, o, 3, err);
	if (rs->api == NULL) {
		http_free(rs->http);
		free(rs);
		return NULL;
	}
	detect(rs, 3);
	return &rs->base;
}

long
airflow_rest_requests(const struct sched *sd)
{
	return sd->ops == &rest_ops ? ((const struct rest *)sd)->requests : 0;
}

static void
rest_free(struct sched *sd)
{
	struct rest *rs = (struct rest *)sd;

	while (rs->jobs != NULL)
		job_free(rs->jobs);
	airflow_api_free(rs->api);
	http_free(rs->http);
	free(rs->release);
	buf_free(&rs->warnings);
	free(rs);
}

static const struct sched_about *
rest_about(const struct sched *sd)
{
	return &((const struct rest *)sd)->about;
}

static const char *
rest_warnings(const struct sched *sd)
{
	return buf_str(&((const struct rest *)sd)->warnings);
}

static void
rest_describe(const struct sched *sd, struct buf *b)
{
	const struct rest *rs = (const struct rest *)sd;

	buf_printf(b, "Airflow %s (REST API v%d)", rs->release != NULL ?
	    rs->release : "?", rest_api_version(rs));
}

/* --- health, DAGs, pools ------------------------------------------------ */

static void
fail_health(struct job *j)
{
	af_health_clear(j->out);
}

static void
rest_fetch_health(struct sched *sd, struct af_health *out, sched_cb cb,
    void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);

	rest_job_add(j, K_HEALTH, rest_api_version(rs) == 2 ? "/monitor/health" :
	    "/health", NULL, false);
	j->fail = fail_health;
	rest_job_go(j);
}

static void
fail_dags(struct job *j)
{
	af_dags_free(j->out);
}

void
rest_fetch_dags(struct sched *sd, struct af_dags *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);

	/* Every DAG, as the dag table has them: stale ones too. */
	rest_job_add(j, K_DAGS, rest_api_version(rs) == 2 ?
	    "/dags?order_by=dag_id&exclude_stale=false" :
	    "/dags?order_by=dag_id&only_active=false", NULL, true);
	j->fail = fail_dags;
	rest_job_go(j);
}

static void
fail_pools(struct job *j)
{
	af_pools_free(j->out);
}

static void
rest_fetch_pools(struct sched *sd, struct af_pools *out, sched_cb cb,
    void *arg)
{
	struct job *j = rest_job_new((struct rest *)sd, out, cb, arg);

	rest_job_add(j, K_POOLS, "/pools?order_by=name", NULL, true);
	j->fail = fail_pools;
	rest_job_go(j);
}

/* --- the task graph ----------------------------------------------------- */

static void
graph_end(struct job *j)
{
	graph_finish(j->graph);
	*(struct graph **)j->out = j->graph;
	j->graph = NULL;
}


/*
 * GET /dags/{id}/tasks: the DAG's latest version (the API serves no
 * older one, so on 3.x a run made with an earlier version shows the
 * latest graph: dagtop(1) says so).
 */
static void
rest_fetch_graph(struct sched *sd, const char *dag_id, const char *run_id,
    struct graph **out, struct buf *warn, sched_cb cb, void *arg)
{
	struct job	*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	(void)run_id;
	(void)warn;
	*out = NULL;
	j->graph = graph_new();
	rest_dag_path(&p, dag_id, NULL);
	buf_puts(&p, "/tasks");
	rest_job_add(j, K_TASKS, buf_str(&p), NULL, false);
	j->end = graph_end;
	buf_free(&p);
	rest_job_go(j);
}

/* --- log template, SLA, unknown DAGs ------------------------------------ */

/*
 * The API serves the logs itself (airflow_log.c reads them through it),
 * so no file name template is needed: *out stays NULL.
 */
static void
rest_fetch_log_template(struct sched *sd, const char *dag_id,
    const char *run_id, char **out, sched_cb cb, void *arg)
{
	struct job *j = rest_job_new((struct rest *)sd, out, cb, arg);

	(void)dag_id;
	(void)run_id;
	*out = NULL;
	rest_job_go(j);
}

static void
unknown_end(struct job *j)
{
	bool *out = j->out;

	for (size_t i = 0; i < j->nreqs; i++)
		out[i] = j->reqs[i]->missing;
}

/* GET /dags/{id} each: a 404 is a DAG Airflow does not know. */
static void
rest_fetch_unknown_dags(struct sched *sd, const char *const *dag_ids,
    size_t n, bool *out, sched_cb cb, void *arg)
{
	struct job	*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		buf_reset(&p);
		rest_dag_path(&p, dag_ids[i], NULL);
		out[i] = false;
		rest_job_add(j, K_EXISTS, buf_str(&p), NULL, false);
	}
	j->end = unknown_end;
	buf_free(&p);
	rest_job_go(j);
}

static const struct sched_ops rest_ops = {
	.kind = "api",
	.free = rest_free,
	.about = rest_about,
	.warnings = rest_warnings,
	.describe = rest_describe,
	.fetch_health = rest_fetch_health,
	.fetch_dags = rest_fetch_dags,
	.fetch_runs_since = rest_fetch_runs_since,
	.fetch_runs_recent = rest_fetch_runs_recent,
	.fetch_dag_runs = rest_fetch_dag_runs,
	.fetch_run = rest_fetch_run,
	.fetch_tis = rest_fetch_tis,
	.fetch_attention_tis = rest_fetch_attention_tis,
	.fetch_graph = rest_fetch_graph,
	.fetch_pools = rest_fetch_pools,
	.fetch_log_template = rest_fetch_log_template,
	.fetch_sla = rest_fetch_sla,
	.fetch_unknown_dags = rest_fetch_unknown_dags,
	.fetch_dag_runs_before = rest_fetch_dag_runs_before,
	.fetch_deps = rest_fetch_deps,
	.fetch_dep_state = rest_fetch_dep_state,
	.fetch_shapes = rest_fetch_shapes,
	.fetch_task_stats = rest_fetch_task_stats,
};
