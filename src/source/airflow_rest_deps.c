/*
 * airflow_rest_deps.c: the REST API source's dependency facts and the
 * state a walk reads (scheduler.h: fetch_deps, fetch_dep_state), built
 * from what the public API offers, in the shape the database gives them
 * (depgraph.h).
 *
 *   what           API v1 (2.x)                   API v2 (3.x)
 *   DAGs           /dags                          /dags
 *   assets and     /datasets: consuming_dags,     /assets?only_active=false:
 *   their edges    producing_tasks                scheduled_dags,
 *                                                 producing_tasks, aliases
 *   aliases        none                           /assets/aliases
 *   expressions    /dags/{id}/details:            /dags/{id}/details:
 *                  dataset_expression (2.9+)      asset_expression
 *   newest event   /datasets/events?dataset_id=   /assets/events?asset_id=
 *   queue          /dags/{id}/datasets/           /dags/{id}/assets/
 *                  queuedEvent                    queuedEvents
 *   runs, TIs      /dags/{id}/dagRuns and the batch task instance list,
 *                  as airflow_rest_runs.c reads them
 *
 * What a graph costs (fetch_deps), with P the page limit (100 unless
 * the context says less; Airflow caps it at maximum_page_limit): D DAGs
 * (stale ones too), A assets, L aliases and C DAGs scheduled on an
 * asset make ceil(D/P) + ceil(A/P) (+ ceil(L/P) on v2) list pages, read
 * side by side, then C details, REST_PARALLEL at a time: the details
 * only of the DAGs that take part, never every DAG.  The test fixture
 * (tests/integration/fixture_deps*.sql: 12 DAGs, 8 assets, an alias, 7
 * consumers) costs 3 + 2 + 7 = 12 requests on v1 and 13 on v2 in pages of
 * 5; 9 and 10 in the default pages of 100.  The state of a walk
 * (fetch_dep_state) over N DAGs and M assets: 2N run reads (the newest
 * run; the newest SLA_MEDIAN_RUNS successes for the median), M event
 * reads (the newest event each), one queue read, then one batch list of
 * the newest runs' failed and retrying task instances.
 *
 * What the public API cannot give goes to facts->gaps, one line per edge
 * kind (deps_gaps).  Nothing is sanitised here (the UI does that); no
 * field's type is trusted: a record without its key fields is a warning
 * and skipped, a page without its list fails the read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "af_api.h"
#include "airflow_rest_int.h"
#include "runmerge.h"
#include "timefmt.h"

/* --- decoding (pure) ---------------------------------------------------- */

/* The answer as a JSON object; NULL with a line in err. */
static json_t *
parse(const char *json, size_t len, struct buf *err)
{
	json_error_t	 e;
	json_t		*root = json_loadb(json, len, 0, &e);

	if (root == NULL)
		buf_printf(err, "unreadable JSON: %s", e.text);
	else if (!json_is_object(root)) {
		buf_puts(err, "the answer is not an object");
		json_decref(root);
		root = NULL;
	}
	return root;
}

/* What a page walk does with each record of the list. */
typedef void (*record_fn)(json_t *, size_t, int api, void *out);

/*
 * One page: the list under key, each record to fn, *total from
 * total_entries (-1 when absent).  The records on the page (every one,
 * those fn skipped too: the next page's offset counts them), or -1 with a
 * line in err when the page is unreadable or has no such list.
 */
static long
page_walk(const char *json, size_t len, const char *key, int api,
    record_fn fn, void *out, long *total, struct buf *err)
{
	json_t	*root = parse(json, len, err), *list, *o, *t;
	size_t	 i;
	long	 n = -1;

	*total = -1;
	if (root == NULL)
		return -1;
	list = json_object_get(root, key);
	if (!json_is_array(list))
		buf_printf(err, "the answer has no \"%s\" list", key);
	else {
		t = json_object_get(root, "total_entries");
		if (json_is_integer(t))
			*total = (long)json_integer_value(t);
		json_array_foreach(list, i, o)
			fn(o, i, api, out);
		n = (long)json_array_size(list);
	}
	json_decref(root);
	return n;
}

/* The string under key, or NULL (absent, null or not a string). */
static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The integer under key, or 0 (absent, null or not an integer). */
static int64_t
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* The instant under key; TIME_NONE when absent or unreadable. */
static int64_t
when(json_t *o, const char *key)
{
	const char	*s = str(o, key);
	int64_t		 t;

	return s != NULL && parse_iso_time(s, &t) == 0 ? t : TIME_NONE;
}

/*
 * Whether a DAG of this schedule summary (af_dag.schedule) runs on a
 * clock: not for None, @once, and the asset- or dataset-triggered
 * timetables ("Dataset", "Asset"); an asset-or-time schedule is timed.
 */
static bool
schedule_timed(const char *s)
{
	static const char *const untimed[] = { "None", "null", "@once",
	    "Dataset", "Asset", "Triggered by assets", NULL };

	if (s == NULL || *s == '\0')
		return false;
	for (size_t i = 0; untimed[i] != NULL; i++)
		if (strcmp(s, untimed[i]) == 0)
			return false;
	return true;
}

/*
 * One page of /dags into facts->dags (pause state, activity, schedule,
 * next run; the expression comes with the details).  Decoded by
 * af_api_dags, as the DAG list is, so both read a DAG alike.
 */
long
rest_deps_dags(const char *json, size_t len, int api, struct dep_facts *f,
    long *total, struct buf *err)
{
	struct af_dags	 d = { 0 };
	long		 n;

	n = af_api_dags(json, len, api, &d, total, err);
	for (size_t i = 0; n >= 0 && i < d.n; i++) {
		struct dep_dag_fact *x = dep_facts_dag(f);

		x->dag_id = d.v[i].dag_id;
		d.v[i].dag_id = NULL;
		x->paused = d.v[i].paused;
		x->active = d.v[i].active;
		x->timed = schedule_timed(d.v[i].schedule);
		x->next_run_after = d.v[i].next_run_after;
	}
	af_dags_free(&d);
	return n;
}

/* The index of the alias of this name, added when new. */
static size_t
alias_of(struct dep_facts *f, const char *name)
{
	size_t i = dep_facts_find_alias(f, name);

	if (i == (size_t)-1) {
		dep_facts_alias(f)->name = xstrdup(name);
		i = f->naliases - 1;
	}
	return i;
}

/* The asset's schedules, outlets (and, v2, alias resolutions). */
static void
asset_refs(struct dep_facts *f, json_t *o, int api, size_t a)
{
	json_t		*v, *e;
	size_t		 i;
	const char	*dag, *task;

	v = json_object_get(o, api == 2 ? "scheduled_dags" : "consuming_dags");
	json_array_foreach(v, i, e) {
		struct dep_schedule_fact *s;

		if ((dag = str(e, "dag_id")) == NULL) {
			buf_printf(&f->warnings, "asset %s: a schedule "
			    "reference without a dag_id\n", f->assets[a].uri);
			continue;
		}
		s = dep_facts_schedule(f);
		s->dag_id = xstrdup(dag);
		s->kind = DEP_TO_ASSET;
		s->target = a;
	}
	json_array_foreach(json_object_get(o, "producing_tasks"), i, e) {
		struct dep_outlet_fact *t;

		if ((dag = str(e, "dag_id")) == NULL ||
		    (task = str(e, "task_id")) == NULL) {
			buf_printf(&f->warnings, "asset %s: an outlet "
			    "reference without a dag_id or task_id\n",
			    f->assets[a].uri);
			continue;
		}
		t = dep_facts_outlet(f);
		t->dag_id = xstrdup(dag);
		t->task_id = xstrdup(task);
		t->kind = DEP_TO_ASSET;
		t->target = a;
	}
	if (api != 2)
		return;
	json_array_foreach(json_object_get(o, "aliases"), i, e) {
		struct dep_alias_fact	*al;
		const char		*name = str(e, "name");
		size_t			 k;

		if (name == NULL)
			continue;
		k = alias_of(f, name);	/* may move f->aliases */
		al = &f->aliases[k];
		al->assets = xreallocarray(al->assets, al->nassets + 1,
		    sizeof *al->assets);
		al->assets[al->nassets++] = a;
	}
}

/*
 * One page of /datasets (v1) or /assets (v2) into facts: each asset, the
 * DAGs scheduled on it (consuming_dags, v2 scheduled_dags: Airflow reads
 * them from dag_schedule_*_reference) and the tasks that write it
 * (producing_tasks: task_outlet_*_reference); on v2 the aliases it was
 * resolved from.  Neither version says whether an asset is active (v1
 * orphaned, v2 asset_active): Airflow orphans an asset no DAG refers to,
 * so one with no reference here (on v2 no alias either) is taken as
 * inactive; deps_gaps says so for v1, which cannot see aliases.
 */
static void
asset_read(json_t *o, size_t i, int api, void *out)
{
	struct dep_facts	*f = out;
	struct dep_asset_fact	*a;
	const char		*uri = str(o, "uri");
	const char		*name = api == 2 ? str(o, "name") : uri;

	if (!json_is_integer(json_object_get(o, "id")) || uri == NULL ||
	    name == NULL) {
		buf_printf(&f->warnings, "asset %zu of a page without an id, "
		    "uri or name\n", i);
		return;
	}
	a = dep_facts_asset(f);
	a->id = num(o, "id");
	a->uri = xstrdup(uri);
	a->name = xstrdup(name);
	a->active = json_array_size(json_object_get(o, api == 2 ?
	    "scheduled_dags" : "consuming_dags")) + json_array_size(
	    json_object_get(o, "producing_tasks")) + json_array_size(
	    json_object_get(o, "aliases")) > 0;
	asset_refs(f, o, api, f->nassets - 1);
}

long
rest_deps_assets(const char *json, size_t len, int api, struct dep_facts *f,
    long *total, struct buf *err)
{
	return page_walk(json, len, api == 2 ? "assets" : "datasets", api,
	    asset_read, f, total, err);
}

static void
alias_read(json_t *o, size_t i, int api, void *out)
{
	(void)i;
	(void)api;
	if (str(o, "name") != NULL)
		(void)alias_of(out, str(o, "name"));
}

/* One page of /assets/aliases (v2): every alias, resolved or not. */
long
rest_deps_aliases(const char *json, size_t len, struct dep_facts *f,
    long *total, struct buf *err)
{
	return page_walk(json, len, "asset_aliases", 2, alias_read, f, total,
	    err);
}

static int
cmp_dag_fact(const void *a, const void *b)
{
	const struct dep_dag_fact *x = a, *y = b;

	return strcmp(x->dag_id, y->dag_id);
}

/*
 * GET /dags/{id}/details: the DAG's dataset_expression (v1, 2.9+) or
 * asset_expression (v2), kept as compact JSON text in the DAG's fact
 * (facts->dags sorted by dag_id); null leaves it NULL.  0, or -1.
 */
int
rest_deps_detail(const char *json, size_t len, int api, struct dep_facts *f,
    struct buf *err)
{
	json_t			*root = parse(json, len, err), *e;
	struct dep_dag_fact	 key = { 0 }, *d;
	int			 rc = 0;

	if (root == NULL)
		return -1;
	key.dag_id = (char *)str(root, "dag_id");
	e = json_object_get(root, api == 2 ? "asset_expression" :
	    "dataset_expression");
	if (key.dag_id == NULL) {
		buf_puts(err, "DAG details without a dag_id");
		rc = -1;
	} else if (f->ndags == 0 || (d = bsearch(&key, f->dags, f->ndags,
	    sizeof *f->dags, cmp_dag_fact)) == NULL)
		buf_printf(&f->warnings, "DAG %s: details of a DAG the list "
		    "did not hold\n", key.dag_id);
	else if (e != NULL && !json_is_null(e)) {
		free(d->expression);
		d->expression = json_dumps(e, JSON_COMPACT | JSON_ENCODE_ANY);
	}
	json_decref(root);
	return rc;
}

/* The state's entry of the asset with this id (else uri), added when new. */
static struct dep_asset_state *
state_asset(struct dep_state *st, int64_t id, const char *uri)
{
	struct dep_asset_state *a;

	for (size_t i = 0; i < st->nassets; i++) {
		a = &st->assets[i];
		if ((id != 0 && a->id == id) || (id == 0 && uri != NULL &&
		    a->uri != NULL && strcmp(a->uri, uri) == 0))
			return a;
	}
	st->assets = xreallocarray(st->assets, st->nassets + 1,
	    sizeof *st->assets);
	a = &st->assets[st->nassets++];
	memset(a, 0, sizeof *a);
	a->id = id;
	a->uri = dup_or_null(uri);
	a->last_event = TIME_NONE;
	return a;
}

/*
 * One page of /datasets/events (v1) or /assets/events (v2) into the
 * state: per asset its newest event and who wrote it (source_dag_id,
 * source_task_id, source_run_id; all null for an event posted through
 * the API).
 */
static void
event_read(json_t *o, size_t i, int api, void *out)
{
	struct dep_asset_state	*a;
	const char		*uri = str(o, api == 2 ? "uri" : "dataset_uri");
	int64_t			 t = when(o, "timestamp");

	(void)i;
	a = state_asset(out, num(o, api == 2 ? "asset_id" : "dataset_id"),
	    uri);
	if (t == TIME_NONE || (a->last_event != TIME_NONE &&
	    t <= a->last_event))
		return;
	a->last_event = t;
	if (a->uri == NULL)
		a->uri = dup_or_null(uri);
	free(a->source_dag);
	free(a->source_task);
	free(a->source_run);
	a->source_dag = dup_or_null(str(o, "source_dag_id"));
	a->source_task = dup_or_null(str(o, "source_task_id"));
	a->source_run = dup_or_null(str(o, "source_run_id"));
}

long
rest_deps_events(const char *json, size_t len, int api, struct dep_state *st,
    long *total, struct buf *err)
{
	return page_walk(json, len, api == 2 ? "asset_events" :
	    "dataset_events", api, event_read, st, total, err);
}

/*
 * GET /dags/{id}/datasets/queuedEvent (v1: {datasets: [{uri}]}) or
 * /dags/{id}/assets/queuedEvents (v2: {queued_events: [{asset_id}]}):
 * the assets queued for the consumer.  v1 names the uri, v2 the id; the
 * other is filled from the state's assets when it holds the asset.
 */
static void
queued_read(json_t *o, size_t i, int api, void *out)
{
	struct dep_state	*st = out;
	int64_t			 id = api == 2 ? num(o, "asset_id") : 0;
	const char		*uri = api == 2 ? NULL : str(o, "uri");

	(void)i;
	if (id == 0 && uri == NULL)
		return;
	for (size_t k = 0; k < st->nassets; k++)
		if (id != 0 ? st->assets[k].id == id : st->assets[k].uri !=
		    NULL && strcmp(st->assets[k].uri, uri) == 0) {
			id = st->assets[k].id;
			uri = st->assets[k].uri;
			break;
		}
	st->queued = xreallocarray(st->queued, st->nqueued + 1,
	    sizeof *st->queued);
	st->queued_uri = xreallocarray(st->queued_uri, st->nqueued + 1,
	    sizeof *st->queued_uri);
	st->queued[st->nqueued] = id;
	st->queued_uri[st->nqueued++] = dup_or_null(uri);
}

long
rest_deps_queued(const char *json, size_t len, int api, struct dep_state *st,
    long *total, struct buf *err)
{
	return page_walk(json, len, api == 2 ? "queued_events" : "datasets",
	    api, queued_read, st, total, err);
}

/* The decoders for the reads of this file (airflow_rest.c's req_decode). */
long
rest_deps_decode(struct req *q, const char *b, size_t len, long *total,
    struct buf *err)
{
	int api = rest_api_version(q->job->rs);

	*total = -1;
	switch (q->kind) {
	case K_DEP_DAGS:
		return rest_deps_dags(b, len, api, q->job->out, total, err);
	case K_DEP_ASSETS:
		return rest_deps_assets(b, len, api, q->job->out, total, err);
	case K_DEP_ALIASES:
		return rest_deps_aliases(b, len, q->job->out, total, err);
	case K_DEP_DETAIL:
		return rest_deps_detail(b, len, api, q->job->out, err);
	case K_DEP_EVENTS:
		return rest_deps_events(b, len, api, q->job->out, total, err);
	case K_DEP_QUEUED:
		return rest_deps_queued(b, len, api, q->job->out, total, err);
	default:
		buf_puts(err, "not a dependency read");
		return -1;
	}
}

/* --- the graph's facts -------------------------------------------------- */

/*
 * One line per edge kind the public API does not give (depgraph.h's
 * gaps), and what the reader sees instead.
 */
static void
deps_gaps(const struct rest *rs, struct dep_facts *f)
{
	const char	*r = rs->release != NULL ? rs->release : "";
	int		 minor = strchr(r, '.') != NULL ?
			    atoi(strchr(r, '.') + 1) : 0;

	buf_printf(&f->gaps, "sensors and triggers: the REST API does not "
	    "expose dag_dependencies (ExternalTaskSensor, "
	    "TriggerDagRunOperator)%s\n", rest_api_version(rs) == 2 ?
	    "; API v2 has no public dependencies endpoint (/ui/dependencies "
	    "is the UI's own)" : "");
	if (rest_api_version(rs) == 1) {
		buf_puts(&f->gaps, "dataset aliases: API v1 lists no aliases: "
		    "alias outlets, what an alias resolved to and DAGs "
		    "scheduled on an alias are missing, and a dataset only an "
		    "alias resolved to reads as orphaned\n");
		if (rs->about.major == 2 && minor < 9)
			buf_puts(&f->gaps, "conditions: Airflow before 2.9 "
			    "keeps no dataset_expression: a DAG waits on all "
			    "its datasets\n");
	} else {
		buf_puts(&f->gaps, "alias outlets and schedules: API v2 lists "
		    "aliases and the assets they resolved to, not the tasks "
		    "that write an alias nor the DAGs scheduled on one\n");
		buf_puts(&f->gaps, "Asset.ref: API v2 does not expose name or "
		    "URI references (schedules and outlets by reference)\n");
	}
}

static void
deps_fail(struct job *j)
{
	dep_facts_free(j->out);
}

static void
deps_end(struct job *j)
{
	deps_gaps(j->rs, j->out);
}

/*
 * The lists are in: the DAG facts sorted for the details, then one
 * details read per DAG scheduled on an asset (each once).
 */
static void
deps_lists_done(void *arg, const char *err)
{
	struct job		*j = arg;
	struct dep_facts	*f = j->out;
	struct buf		 p = BUF_INIT;
	const char		**ids;
	size_t			 n = 0;

	if (rest_job_ended(j, err))
		return;
	rest_sort(f->dags, f->ndags, sizeof *f->dags, cmp_dag_fact);
	ids = xcalloc(f->nschedules + 1, sizeof *ids);
	for (size_t i = 0; i < f->nschedules; i++)
		ids[n++] = f->schedules[i].dag_id;
	rest_sort(ids, n, sizeof *ids, ids_cmp);
	for (size_t i = 0; i < n; i++) {
		struct req *q;

		if (i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
			continue;
		buf_reset(&p);
		rest_dag_path(&p, ids[i], NULL);
		buf_puts(&p, "/details");
		q = rest_job_add(j, K_DEP_DETAIL, buf_str(&p), NULL, false);
		q->none_on_404 = true;	/* gone since the list */
	}
	free(ids);
	buf_free(&p);
	rest_job_next(j);
}

/*
 * The facts in two steps: the DAG, asset (and v2 alias) lists side by
 * side, then the details of the consumers (deps_lists_done).
 */
void
rest_fetch_deps(struct sched *sd, struct dep_facts *out, sched_cb cb,
    void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	struct job	*k = rest_job_new(rs, out, deps_lists_done, j);
	int		 api = rest_api_version(rs);

	j->end = deps_end;
	j->fail = deps_fail;
	rest_job_add(k, K_DEP_DAGS, api == 2 ?
	    "/dags?order_by=dag_id&exclude_stale=false" :
	    "/dags?order_by=dag_id&only_active=false", NULL, true);
	rest_job_add(k, K_DEP_ASSETS, api == 2 ?
	    "/assets?order_by=id&only_active=false" :
	    "/datasets?order_by=id", NULL, true);
	if (api == 2)
		rest_job_add(k, K_DEP_ALIASES, "/assets/aliases?order_by=id",
		    NULL, true);
	rest_job_go(k);
}

/* --- the state of a walk ------------------------------------------------ */

struct depstate {
	struct af_runs	 newest;	/* each asked DAG's newest run */
	struct af_tis	 tis;		/* their failed and retrying TIs */
};

static void
depstate_free(struct job *j)
{
	struct depstate *x = j->extra;

	af_runs_free(&x->newest);
	af_tis_free(&x->tis);
	free(x);
}

static void
state_fail(struct job *j)
{
	dep_state_free(j->out);
}

/* The median of the successes read (sla_median_duration), -1 if none. */
static int64_t
median_of(const struct af_runs *ok, int64_t now)
{
	struct sla_attempt	*a = xcalloc(ok->n + 1, sizeof *a);
	int64_t			 m;

	for (size_t i = 0; i < ok->n; i++) {
		a[i].state = SLA_SUCCEEDED;
		a[i].start = ok->v[i].start_date;
		a[i].end = ok->v[i].end_date;
	}
	m = sla_median_duration(a, ok->n, now);
	free(a);
	return m;
}

/*
 * The run reads are in (k's reqs 2i, 2i+1 for DAG i: newest run, newest
 * successes): each DAG's state but its failed task, and the newest runs
 * kept for the task instance read.
 */
static void
state_runs_end(struct job *k)
{
	struct job		*j = k->arg;
	struct dep_state	*st = j->out;
	struct depstate		*x = j->extra;

	for (size_t i = 0; i < st->ndags; i++) {
		struct dep_dag_state	*d = &st->dags[i];
		struct af_runs		*r = &k->reqs[2 * i]->runs;

		d->median = median_of(&k->reqs[2 * i + 1]->runs, st->now);
		if (r->n == 0)
			continue;
		d->has_run = true;
		d->run_state = r->v[0].state;
		d->run_id = xstrdup(r->v[0].run_id);
		d->run_start = r->v[0].start_date;
		d->run_end = r->v[0].end_date;
		d->run_after = r->v[0].run_after;
		*af_runs_push(&x->newest) = r->v[0];
		memset(&r->v[0], 0, sizeof r->v[0]);
	}
}

/* st->dags is sorted by dag_id, as the ask's ids are. */
static int
cmp_dag_state(const void *a, const void *b)
{
	const struct dep_dag_state *x = a, *y = b;

	return strcmp(x->dag_id, y->dag_id);
}

/*
 * The failed task instances are in: each DAG's bad task is its newest
 * run's failed or up_for_retry instance that ended last (upstream_failed
 * ones only follow a failure), with its try and its tries in all
 * (max_tries + 1), as the database source gives them.
 */
static void
state_tis_done(void *arg, const char *err)
{
	struct job		*j = arg;
	struct dep_state	*st = j->out;
	struct depstate		*x = j->extra;
	struct dep_dag_state	 key = { 0 };

	if (err != NULL)
		buf_puts(&j->err, err);
	for (size_t i = 0; err == NULL && i < x->tis.n; i++) {
		const struct af_ti	*t = &x->tis.v[i];
		struct dep_dag_state	*d = NULL;

		if (t->state != TI_FAILED && t->state != TI_UP_FOR_RETRY)
			continue;
		key.dag_id = t->dag_id;
		if (st->ndags > 0)
			d = bsearch(&key, st->dags, st->ndags, sizeof *st->dags,
			    cmp_dag_state);
		if (d == NULL || d->run_id == NULL ||
		    strcmp(d->run_id, t->run_id) != 0 || (d->bad_task != NULL &&
		    t->end_date != TIME_NONE && t->end_date <= d->bad_end))
			continue;
		free(d->bad_task);
		d->bad_task = xstrdup(t->task_id);
		d->bad_state = t->state;
		d->bad_try = t->try_number;
		/* The tries in all, as the database source gives them:
		   max_tries counts the retries (depgraph.h). */
		d->bad_max_tries = t->max_tries + 1;
		d->bad_end = t->end_date;
	}
	rest_job_finish(j);
}

static void
state_runs_done(void *arg, const char *err)
{
	struct job		*j = arg;
	struct depstate		*x = j->extra;
	const struct af_run	**runs;

	if (rest_job_ended(j, err))
		return;
	runs = xcalloc(x->newest.n + 1, sizeof *runs);
	for (size_t i = 0; i < x->newest.n; i++)
		runs[i] = &x->newest.v[i];
	/* It copies the pairs: runs may go once the call returns. */
	rest_fetch_attention_tis(&j->rs->base, runs, x->newest.n, &x->tis,
	    state_tis_done, j);
	free(runs);
}

/*
 * The state in two steps: per DAG its newest run and newest successes,
 * per asset its newest event, the consumer's queue, side by side; then
 * the failed task instances of the newest runs (state_runs_done).  The
 * API has no clock of its own: now is this machine's.
 */
void
rest_fetch_dep_state(struct sched *sd, const struct dep_ask *ask,
    struct dep_state *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	struct job	*k = rest_job_new(rs, out, state_runs_done, j);
	int		 api = rest_api_version(rs);
	struct buf	 p = BUF_INIT;
	struct req	*q;

	j->extra = xcalloc(1, sizeof(struct depstate));
	j->extra_free = depstate_free;
	j->fail = state_fail;
	k->end = state_runs_end;
	out->now = (int64_t)time(NULL);
	out->dags = xcalloc(ask->ndags + 1, sizeof *out->dags);
	for (size_t i = 0; i < ask->ndags; i++) {
		struct dep_dag_state *d = &out->dags[out->ndags++];

		d->dag_id = xstrdup(ask->dag_ids[i]);
		d->run_start = d->run_end = d->run_after = TIME_NONE;
		d->bad_end = TIME_NONE;
		d->median = -1;
		rest_add_runs(k, d->dag_id, api == 2 ? "order_by=-run_after" :
		    "order_by=-execution_date", 1);
		rest_add_runs(k, d->dag_id, "state=success&order_by=-end_date",
		    SLA_MEDIAN_RUNS);
	}
	for (size_t i = 0; i < ask->nassets; i++) {
		(void)state_asset(out, ask->asset_ids[i], ask->asset_uris[i]);
		if (ask->asset_ids[i] == 0)
			continue;	/* the event lists filter by id only */
		buf_reset(&p);
		buf_printf(&p, "%s?%s=%lld&order_by=-timestamp", api == 2 ?
		    "/assets/events" : "/datasets/events", api == 2 ?
		    "asset_id" : "dataset_id", (long long)ask->asset_ids[i]);
		q = rest_job_add(k, K_DEP_EVENTS, buf_str(&p), NULL, true);
		q->want = 1;
	}
	if (ask->consumer != NULL) {
		out->queued_for = xstrdup(ask->consumer);
		buf_reset(&p);
		rest_dag_path(&p, ask->consumer, NULL);
		buf_puts(&p, api == 2 ? "/assets/queuedEvents" :
		    "/datasets/queuedEvent");
		q = rest_job_add(k, K_DEP_QUEUED, buf_str(&p), NULL, false);
		q->none_on_404 = true;	/* 2.x: nothing queued is a 404 */
	}
	buf_free(&p);
	rest_job_go(k);
}
