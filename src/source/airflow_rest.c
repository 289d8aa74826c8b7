/*
 * airflow_rest.c: the Airflow REST API as a scheduler source
 * (airflow_rest.h, sched.h).
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
#include "api_client.h"
#include "buf.h"
#include "loop.h"
#include "timefmt.h"
#include "tz.h"

#define REST_PARALLEL	6

static const struct sched_ops rest_ops;

struct rest {
	struct sched		 base;
	struct loop		*loop;
	struct http		*http;
	struct airflow_api	*api;
	int			 page_limit;
	struct sched_about	 about;
	char			*release;
	struct buf		 warnings;
	struct job		*jobs;		/* every live job */
	long			 requests;
	sched_cb		 ready;
	void			*arg;
};

enum req_kind {
	K_VERSION, K_HEALTH, K_DAGS, K_RUNS, K_RUN, K_TIS, K_POOLS, K_TASKS,
	K_EXISTS
};

struct job;

/* One read: a GET or a list POST, paged or not. */
struct req {
	struct job		*job;
	enum req_kind		 kind;
	char			*path;	/* with its query, for a GET */
	json_t			*body;	/* a POST's; NULL for a GET */
	bool			 paged;
	long			 offset;
	long			 want;	/* stop after this many; -1: all */
	struct api_call		*call;
	/* What it read. */
	struct af_runs		 runs;
	struct af_tis		 tis;
	bool			 missing;	/* K_EXISTS: 404 */
	char			*version;	/* K_VERSION */
};

typedef void (*job_end_fn)(struct job *);

struct job {
	struct rest		*rs;
	struct job		*next;
	sched_cb		 cb;
	void			*arg;
	struct loop_timer	*timer;
	struct req		**reqs;
	size_t			 nreqs;
	size_t			 started;
	size_t			 done;
	bool			 starting;	/* inside job_next or req_send */
	struct buf		 err;
	job_end_fn		 end;	/* success: fills the output */
	job_end_fn		 fail;	/* failure: empties it */
	/* The output and what the end needs. */
	void			*out;
	struct graph		*graph;
	struct af_dags		*dags;		/* the strips' DAG list */
	int64_t			 since;
	int			 per_dag;
	int			 limit;
	size_t			 n;	/* attention pairs */
	char			**pairs;	/* dag_id, run_id, ...: copies */
	/* SLAs: per SLA its DAG and task (copies), runs and TI read. */
	struct af_runs		*sla_runs;
	struct req		**sla_tis;
	int64_t			 from, to;
};

static void	req_send(struct req *);
static void	job_next(struct job *);

/* --- jobs --------------------------------------------------------------- */

static struct req *
job_add(struct job *j, enum req_kind kind, const char *path, json_t *body,
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
	loop_timer_free(j->timer);
	buf_free(&j->err);
	free(j);
}

/* All reads are in: the output is filled or emptied, then cb, once. */
static void
job_finish(struct job *j)
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

static void
job_timer(struct loop_timer *t, void *arg)
{
	(void)t;
	job_next(arg);
}

/*
 * Starts reads up to REST_PARALLEL in flight; finishes the job when all
 * are in, or after a failure when those in flight are.  A read that fails
 * at once calls back inside req_send: `starting` keeps that from
 * finishing (and freeing) the job under the caller's feet.
 */
static void
job_next(struct job *j)
{
	if (j->starting)
		return;
	j->starting = true;
	while (j->err.len == 0 && j->started < j->nreqs &&
	    j->started - j->done < REST_PARALLEL)
		req_send(j->reqs[j->started++]);
	j->starting = false;
	if (j->err.len > 0 ? j->done == j->started : j->done == j->nreqs)
		job_finish(j);
}

static struct job *
job_new(struct rest *rs, void *out, sched_cb cb, void *arg)
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
static void
job_go(struct job *j)
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
		return af_api_tasks(b, len, api, j->graph, total, err);
	case K_EXISTS:
		return 0;
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
	if (r->status == 404 && (q->kind == K_EXISTS || q->kind == K_RUN))
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
	job_next(j);
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
		job_next(j);
}

/* --- helpers ------------------------------------------------------------ */

static int
api_version(const struct rest *rs)
{
	return airflow_api_major(rs->api) >= 3 ? 2 : 1;
}

/* Appends s escaped as one path segment. */
static void
seg(struct buf *b, const char *s)
{
	http_escape(b, s);
}

static char *
iso(int64_t t)
{
	struct buf b = BUF_INIT;

	fmt_time(&b, tz_utc(), t, FMT_ISO);
	return buf_detach(&b);
}

/* A run list POST body: {dag_ids?, states?, order_by} and filters. */
static json_t *
runs_body(const char *order_by)
{
	return json_pack("{s:s}", "order_by", order_by);
}

static void
body_time(json_t *b, const char *key, int64_t t)
{
	char *s = iso(t);

	json_object_set_new(b, key, json_string(s));
	free(s);
}

static json_t *
states(const char *a, const char *b2, const char *c)
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
static void
gather_runs(struct job *j, struct af_runs *out)
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

static void
fail_runs(struct job *j)
{
	af_runs_free(j->out);
}

static void
fail_tis(struct job *j)
{
	af_tis_free(j->out);
}

/* --- opening ------------------------------------------------------------ */

static void
version_end(struct job *j)
{
	struct rest	*rs = j->rs;
	struct req	*v2 = j->reqs[0];
	int		 major;

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
	/* Earlier tries are kept from 2.10 on. */
	rs->about.ti_history = major >= 3 || (major == 2 &&
	    atoi(strchr(rs->release, '.') != NULL ? strchr(rs->release, '.') +
	    1 : "0") >= 10);
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
	struct job *j = job_new(rs, NULL, detected, rs);

	airflow_api_set_major(rs->api, major);
	job_add(j, K_VERSION, "/version", NULL, false);
	j->end = version_end;
	job_go(j);
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
	    rs->release : "?", api_version(rs));
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
	struct job	*j = job_new(rs, out, cb, arg);

	job_add(j, K_HEALTH, api_version(rs) == 2 ? "/monitor/health" :
	    "/health", NULL, false);
	j->fail = fail_health;
	job_go(j);
}

static void
fail_dags(struct job *j)
{
	af_dags_free(j->out);
}

static void
rest_fetch_dags(struct sched *sd, struct af_dags *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = job_new(rs, out, cb, arg);

	/* Every DAG, as the dag table has them: stale ones too. */
	job_add(j, K_DAGS, api_version(rs) == 2 ?
	    "/dags?order_by=dag_id&exclude_stale=false" :
	    "/dags?order_by=dag_id&only_active=false", NULL, true);
	j->fail = fail_dags;
	job_go(j);
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
	struct job *j = job_new((struct rest *)sd, out, cb, arg);

	job_add(j, K_POOLS, "/pools?order_by=name", NULL, true);
	j->fail = fail_pools;
	job_go(j);
}

/* --- runs --------------------------------------------------------------- */

static int
cmp_dag_newest(const void *a, const void *b)
{
	const struct af_run *x = a, *y = b;
	int c = strcmp(x->dag_id, y->dag_id);

	return c != 0 ? c : af_run_cmp_newest(x, y);
}

/*
 * The window's predicate, as the database source's: the run's time
 * (run_after on 3.x, data interval end or logical date on 2.x) in it,
 * unfinished, or failed and ended in it.
 */
static bool
in_window(const struct af_run *r, int64_t since)
{
	if (r->run_after != TIME_NONE && r->run_after >= since)
		return true;
	if (r->state == RUN_RUNNING || r->state == RUN_QUEUED)
		return true;
	return r->state == RUN_FAILED && r->end_date != TIME_NONE &&
	    r->end_date >= since;
}

static void
since_end(struct job *j)
{
	struct af_runs	*out = j->out, all = { 0 };
	size_t		 i;

	gather_runs(j, &all);
	qsort(all.v, all.n, sizeof *all.v, cmp_dag_newest);
	for (i = 0; i < all.n; i++) {
		struct af_run *r = &all.v[i];
		struct af_run *last = out->n > 0 ? &out->v[out->n - 1] : NULL;

		/* The reads overlap: each run once. */
		if ((last != NULL && strcmp(r->dag_id, last->dag_id) == 0 &&
		    strcmp(r->run_id, last->run_id) == 0) ||
		    !in_window(r, j->since))
			continue;
		*af_runs_push(out) = *r;
		memset(r, 0, sizeof *r);
	}
	af_runs_free(&all);
}

static void
rest_fetch_runs_since(struct sched *sd, int64_t since, struct af_runs *out,
    sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = job_new(rs, out, cb, arg);
	json_t		*b;
	const char	*path = "/dags/~/dagRuns/list";

	j->since = since;
	j->end = since_end;
	j->fail = fail_runs;
	if (api_version(rs) == 2) {
		/* The database's three reads, filter for filter. */
		b = runs_body("run_after");
		body_time(b, "run_after_gte", since);
		job_add(j, K_RUNS, path, b, true);
		b = runs_body("run_after");
		json_object_set_new(b, "states", states("running", "queued",
		    NULL));
		body_time(b, "run_after_lt", since);
		job_add(j, K_RUNS, path, b, true);
		b = runs_body("run_after");
		json_object_set_new(b, "states", states("failed", NULL, NULL));
		body_time(b, "end_date_gte", since);
		body_time(b, "run_after_lt", since);
		job_add(j, K_RUNS, path, b, true);
	} else {
		/*
		 * v1 filters neither on the data interval nor on "run time":
		 * runs whose execution date is in the window, runs that ended
		 * in it (a run ends after its interval does), and unfinished
		 * runs; since_end keeps those the database would.
		 */
		b = runs_body("execution_date");
		body_time(b, "execution_date_gte", since);
		job_add(j, K_RUNS, path, b, true);
		b = runs_body("execution_date");
		body_time(b, "end_date_gte", since);
		job_add(j, K_RUNS, path, b, true);
		b = runs_body("execution_date");
		json_object_set_new(b, "states", states("running", "queued",
		    NULL));
		job_add(j, K_RUNS, path, b, true);
	}
	job_go(j);
}

/* One DAG's newest runs, newest first: reads of /dags/{id}/dagRuns. */
static struct req *
add_dag_runs(struct job *j, const char *dag_id, int limit)
{
	struct buf	 p = BUF_INIT;
	struct req	*q;

	buf_puts(&p, "/dags/");
	seg(&p, dag_id);
	buf_printf(&p, "/dagRuns?order_by=%s", api_version(j->rs) == 2 ?
	    "-run_after" : "-execution_date");
	q = job_add(j, K_RUNS, buf_str(&p), NULL, true);
	q->want = limit;
	buf_free(&p);
	return q;
}

static void
dag_runs_end(struct job *j)
{
	struct af_runs *out = j->out;

	gather_runs(j, out);
	qsort(out->v, out->n, sizeof *out->v, cmp_dag_newest);
}

static void
rest_fetch_dag_runs(struct sched *sd, const char *dag_id, int limit,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct job *j = job_new((struct rest *)sd, out, cb, arg);

	add_dag_runs(j, dag_id, limit > 0 ? limit : 1);
	j->end = dag_runs_end;
	j->fail = fail_runs;
	job_go(j);
}

/* The strips: only what sched.h promises is kept. */
static void
recent_end(struct job *j)
{
	struct af_runs *out = j->out;

	dag_runs_end(j);
	for (size_t i = 0; i < out->n; i++) {
		struct af_run *r = &out->v[i];

		r->logical_date = r->queued_at = TIME_NONE;
		r->data_interval_start = r->data_interval_end = TIME_NONE;
		free(r->run_type);
		r->run_type = NULL;
	}
}

/* The DAG list is in: one read of the newest runs per DAG. */
static void
recent_dags(void *arg, const char *err)
{
	struct job	*j = arg;
	struct af_dags	*dags = j->dags;

	if (err != NULL) {
		buf_puts(&j->err, err);
		job_finish(j);
		return;
	}
	for (size_t i = 0; i < dags->n; i++)
		add_dag_runs(j, dags->v[i].dag_id, j->per_dag);
	job_next(j);
}

/*
 * The API has no "newest N of every DAG": the DAG list, then one read per
 * DAG (N + 1 requests, at most REST_PARALLEL at once).
 */
static void
rest_fetch_runs_recent(struct sched *sd, int per_dag, struct af_runs *out,
    sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = job_new(rs, out, cb, arg);

	j->per_dag = per_dag > 0 ? per_dag : 1;
	j->end = recent_end;
	j->fail = fail_runs;
	j->dags = xcalloc(1, sizeof *j->dags);
	rest_fetch_dags(sd, j->dags, recent_dags, j);
}

static void
run_end(struct job *j)
{
	gather_runs(j, j->out);
}

static void
rest_fetch_run(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct job	*j = job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	buf_puts(&p, "/dags/");
	seg(&p, dag_id);
	buf_puts(&p, "/dagRuns/");
	seg(&p, run_id);
	job_add(j, K_RUN, buf_str(&p), NULL, false);
	j->end = run_end;
	j->fail = fail_runs;
	buf_free(&p);
	job_go(j);
}

/* --- task instances ----------------------------------------------------- */

static int
cmp_ti(const void *a, const void *b)
{
	const struct af_ti *x = a, *y = b;
	int c;

	if ((c = strcmp(x->dag_id, y->dag_id)) != 0 ||
	    (c = strcmp(x->run_id, y->run_id)) != 0 ||
	    (c = strcmp(x->task_id, y->task_id)) != 0)
		return c;
	return (x->map_index > y->map_index) - (x->map_index < y->map_index);
}

/* Whether (dag_id, run_id) is one of the job's runs. */
static bool
wanted_pair(const struct job *j, const struct af_ti *t)
{
	if (j->pairs == NULL)
		return true;
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->pairs[2 * i], t->dag_id) == 0 &&
		    strcmp(j->pairs[2 * i + 1], t->run_id) == 0)
			return true;
	return false;
}

static void
tis_end(struct job *j)
{
	struct af_tis *out = j->out;

	for (size_t i = 0; i < j->nreqs; i++) {
		struct af_tis *t = &j->reqs[i]->tis;

		for (size_t k = 0; k < t->n; k++) {
			if (!wanted_pair(j, &t->v[k]))
				continue;
			*af_tis_push(out) = t->v[k];
			memset(&t->v[k], 0, sizeof t->v[k]);
		}
	}
	qsort(out->v, out->n, sizeof *out->v, cmp_ti);
}

static void
rest_fetch_tis(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_tis *out, sched_cb cb, void *arg)
{
	struct job	*j = job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	buf_puts(&p, "/dags/");
	seg(&p, dag_id);
	buf_puts(&p, "/dagRuns/");
	seg(&p, run_id);
	buf_puts(&p, "/taskInstances");
	job_add(j, K_TIS, buf_str(&p), NULL, true);
	j->end = tis_end;
	j->fail = fail_tis;
	buf_free(&p);
	job_go(j);
}

/*
 * One batch read across DAGs and runs with the attention states; v1's
 * list takes no page (it answers every match at once), v2's is paged.
 */
static void
rest_fetch_attention_tis(struct sched *sd, const struct af_run *const *runs,
    size_t n, struct af_tis *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = job_new(rs, out, cb, arg);
	json_t		*b, *dags = json_array(), *ids = json_array();

	/* The runs are the caller's only during the call: copies. */
	j->pairs = xcalloc(2 * n + 1, sizeof *j->pairs);
	j->n = n;
	for (size_t i = 0; i < n; i++) {
		j->pairs[2 * i] = xstrdup(runs[i]->dag_id);
		j->pairs[2 * i + 1] = xstrdup(runs[i]->run_id);
	}
	j->end = tis_end;
	j->fail = fail_tis;
	if (n == 0) {
		json_decref(dags);
		json_decref(ids);
		job_go(j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(dags, json_string(runs[i]->dag_id));
		json_array_append_new(ids, json_string(runs[i]->run_id));
	}
	b = json_pack("{s:o, s:o, s:o}", "dag_ids", dags, "dag_run_ids", ids,
	    "state", states("failed", "upstream_failed", "up_for_retry"));
	job_add(j, K_TIS, "/dags/~/dagRuns/~/taskInstances/list", b,
	    api_version(rs) == 2);
	job_go(j);
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
	struct job	*j = job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	(void)run_id;
	(void)warn;
	*out = NULL;
	j->graph = graph_new();
	buf_puts(&p, "/dags/");
	seg(&p, dag_id);
	buf_puts(&p, "/tasks");
	job_add(j, K_TASKS, buf_str(&p), NULL, false);
	j->end = graph_end;
	buf_free(&p);
	job_go(j);
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
	struct job *j = job_new((struct rest *)sd, out, cb, arg);

	(void)dag_id;
	(void)run_id;
	*out = NULL;
	job_go(j);
}

/*
 * The day an attempt counts for (sla.h): the end of its data interval,
 * else the logical date, else run_after.
 */
static int64_t
sla_day(const struct af_run *r)
{
	if (r->data_interval_end != TIME_NONE)
		return r->data_interval_end;
	return r->logical_date != TIME_NONE ? r->logical_date : r->run_after;
}

static int
cmp_sla_day(const void *a, const void *b)
{
	const struct af_run *x = a, *y = b;
	int64_t dx = sla_day(x), dy = sla_day(y);

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

/* One attempt of SLA i from run r (and its task's instances, if any). */
static void
sla_attempt(struct job *j, size_t i, const struct af_run *r,
    struct sla_attempt *a)
{
	const char	*task = j->pairs[2 * i + 1];
	struct req	*q = j->sla_tis[i];
	long		 n = 0, ok = 0, bad = 0;
	int64_t		 started = TIME_NONE, ended = TIME_NONE;

	for (size_t k = 0; q != NULL && k < q->tis.n; k++) {
		const struct af_ti *t = &q->tis.v[k];

		if (strcmp(t->run_id, r->run_id) != 0 ||
		    strcmp(t->task_id, task) != 0)
			continue;
		n++;
		ok += t->state == TI_SUCCESS || t->state == TI_SKIPPED;
		bad += ti_state_failed(t->state);
		if (t->start_date != TIME_NONE && (started == TIME_NONE ||
		    t->start_date < started))
			started = t->start_date;
		if (t->end_date != TIME_NONE && (ended == TIME_NONE ||
		    t->end_date > ended))
			ended = t->end_date;
	}
	a->run_id = xstrdup(r->run_id);
	a->run_type = r->run_type != NULL ? xstrdup(r->run_type) : NULL;
	a->interval_end = sla_day(r);
	a->state = sla_attempt_state(r->state == RUN_UNKNOWN ? r->state_raw :
	    run_state_name(r->state), *task != '\0', n, ok, bad,
	    started != TIME_NONE);
	a->start = *task != '\0' ? started : r->start_date;
	a->end = *task != '\0' ? ended : r->end_date;
	if (a->end == TIME_NONE && a->state == SLA_FAILED_ATTEMPT)
		a->end = r->end_date;
	a->airflow_miss = false;	/* not in the API */
}

/* Every read is in: the attempts, by SLA, day and run_id. */
static void
sla_end(struct job *j)
{
	struct sla_history	*h = j->out;
	size_t			*sla_of, total = 0, i, k;

	for (i = 0; i < j->n; i++)
		total += j->sla_runs[i].n;
	h->v = xcalloc(total + 1, sizeof *h->v);
	sla_of = xcalloc(total + 1, sizeof *sla_of);
	for (i = 0; i < j->n; i++) {
		struct af_runs *rs = &j->sla_runs[i];

		qsort(rs->v, rs->n, sizeof *rs->v, cmp_sla_day);
		for (k = 0; k < rs->n; k++) {
			sla_of[h->n] = i;
			sla_attempt(j, i, &rs->v[k], &h->v[h->n++]);
		}
	}
	sla_history_index(h, sla_of, j->n);
	free(sla_of);
}

static void
sla_fail(struct job *j)
{
	struct sla_history *h = j->out;

	sla_history_free(h);
}

/* Phase one's reads, per SLA: its runs (kept if their day is in), 404s. */
static void
sla_runs_end(struct job *k)
{
	struct job	*j = k->arg;
	struct sla_history *h = j->out;

	for (size_t i = 0; i < j->n; i++) {
		struct af_runs *from = &k->reqs[2 * i]->runs;

		h->unknown_dag[i] = k->reqs[2 * i + 1]->missing;
		for (size_t r = 0; r < from->n; r++) {
			int64_t day = sla_day(&from->v[r]);

			if (day == TIME_NONE || day < j->from || day >= j->to)
				continue;
			*af_runs_push(&j->sla_runs[i]) = from->v[r];
			memset(&from->v[r], 0, sizeof from->v[r]);
		}
	}
}

/* Phase two: the instances of each task SLA's task in its runs. */
static void
sla_runs_done(void *arg, const char *err)
{
	struct job	*j = arg;
	int		 api = api_version(j->rs);

	if (err != NULL) {
		buf_puts(&j->err, err);
		job_finish(j);
		return;
	}
	for (size_t i = 0; i < j->n; i++) {
		json_t *ids;

		if (*j->pairs[2 * i + 1] == '\0' || j->sla_runs[i].n == 0)
			continue;
		ids = json_array();
		for (size_t r = 0; r < j->sla_runs[i].n; r++)
			json_array_append_new(ids,
			    json_string(j->sla_runs[i].v[r].run_id));
		j->sla_tis[i] = job_add(j, K_TIS,
		    "/dags/~/dagRuns/~/taskInstances/list",
		    json_pack("{s:[s], s:[s], s:o}", "dag_ids",
		    j->pairs[2 * i], "task_ids", j->pairs[2 * i + 1],
		    "dag_run_ids", ids), api == 2);
	}
	job_next(j);
}

/*
 * Per SLA: GET /dags/{id} (a 404 is an unknown DAG) and its runs through
 * the batch list, bounded by a date the API filters on (run_after on
 * v2; on v1 the execution date, a year either side, since a manual run's
 * data interval ends before it); then the task's instances of those runs.
 * Airflow's own verdicts (sla_miss, deadline alerts) are not in the API:
 * airflow_miss is false and the history says it read neither.
 */
static void
rest_fetch_sla(struct sched *sd, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = job_new(rs, out, cb, arg);
	struct job	*k = job_new(rs, NULL, sla_runs_done, j);
	struct buf	 p = BUF_INIT;
	json_t		*b;

	sla_history_free(out);
	out->nsla = n;
	out->airflow_sla_miss = out->airflow_deadlines = false;
	out->unknown_dag = xcalloc(n + 1, sizeof *out->unknown_dag);
	j->n = n;
	j->from = from;
	j->to = to;
	j->pairs = xcalloc(2 * n + 1, sizeof *j->pairs);
	j->sla_runs = xcalloc(n + 1, sizeof *j->sla_runs);
	j->sla_tis = xcalloc(n + 1, sizeof *j->sla_tis);
	j->end = sla_end;
	j->fail = sla_fail;
	k->end = sla_runs_end;
	for (size_t i = 0; i < n; i++) {
		j->pairs[2 * i] = xstrdup(defs[i]->dag_id);
		j->pairs[2 * i + 1] = xstrdup(defs[i]->task_id != NULL ?
		    defs[i]->task_id : "");
		b = json_pack("{s:[s]}", "dag_ids", defs[i]->dag_id);
		if (api_version(rs) == 2) {
			json_object_set_new(b, "order_by", json_string("run_after"));
			body_time(b, "run_after_gte", from);
		} else {
			json_object_set_new(b, "order_by",
			    json_string("execution_date"));
			body_time(b, "execution_date_gte", from - 366 * 86400);
			body_time(b, "execution_date_lte", to + 366 * 86400);
		}
		job_add(k, K_RUNS, "/dags/~/dagRuns/list", b, true);
		buf_reset(&p);
		buf_puts(&p, "/dags/");
		seg(&p, defs[i]->dag_id);
		job_add(k, K_EXISTS, buf_str(&p), NULL, false);
	}
	buf_free(&p);
	job_go(k);
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
	struct job	*j = job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		buf_reset(&p);
		buf_puts(&p, "/dags/");
		seg(&p, dag_ids[i]);
		out[i] = false;
		job_add(j, K_EXISTS, buf_str(&p), NULL, false);
	}
	j->end = unknown_end;
	buf_free(&p);
	job_go(j);
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
};
