/*
 * af_api.c: the Airflow REST API's answers as model structs (af_api.h).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "af_api.h"
#include "buf.h"
#include "timefmt.h"

/* One record being read: its fields fail it with the first reason. */
struct rec {
	json_t		*o;
	const char	*list;		/* "dags", for messages */
	size_t		 i;
	struct buf	*err;
	bool		 bad;
};

static void
rec_fail(struct rec *r, const char *key, const char *why)
{
	if (r->bad)
		return;
	r->bad = true;
	buf_printf(r->err, "Airflow API: %s[%zu].%s %s", r->list, r->i, key,
	    why);
}

/* A string field: NULL when absent or null; required fails it then. */
static char *
rec_str(struct rec *r, const char *key, bool required)
{
	json_t *v = json_object_get(r->o, key);

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (v != NULL && !json_is_null(v))
		rec_fail(r, key, "is not a string");
	else if (required)
		rec_fail(r, key, "is missing");
	return NULL;
}

/* An instant: TIME_NONE when absent or null; a bad one fails the record. */
static int64_t
rec_time(struct rec *r, const char *key)
{
	json_t	*v = json_object_get(r->o, key);
	int64_t	 t;

	if (v == NULL || json_is_null(v))
		return TIME_NONE;
	if (!json_is_string(v) || parse_iso_time(json_string_value(v), &t) != 0) {
		rec_fail(r, key, "is not a time");
		return TIME_NONE;
	}
	return t;
}

/* An int in [lo, INT_MAX]: dflt when absent or null. */
static int
rec_int(struct rec *r, const char *key, int lo, int dflt)
{
	json_t		*v = json_object_get(r->o, key);
	json_int_t	 n;

	if (v == NULL || json_is_null(v))
		return dflt;
	/* The specs type some counts as number (v1's Task.retries): 3.0 is 3. */
	if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
	    fabs(json_real_value(v)) < 1e15)
		n = (json_int_t)json_real_value(v);
	else if (json_is_integer(v))
		n = json_integer_value(v);
	else {
		rec_fail(r, key, "is not an integer");
		return dflt;
	}
	if (n < lo || n > INT_MAX) {
		rec_fail(r, key, "is out of range");
		return dflt;
	}
	return (int)n;
}

static bool
rec_bool(struct rec *r, const char *key, bool dflt)
{
	json_t *v = json_object_get(r->o, key);

	if (v == NULL || json_is_null(v))
		return dflt;
	if (!json_is_boolean(v)) {
		rec_fail(r, key, "is not a boolean");
		return dflt;
	}
	return json_is_true(v);
}

/*
 * Parses a page and finds its list: the array under key, and
 * total_entries.  NULL with the reason in err.
 */
static json_t *
page_open(const char *json, size_t len, const char *key, json_t **list,
    long *total, struct buf *err)
{
	json_error_t	 je;
	json_t		*doc = json_loadb(json, len, 0, &je), *t;

	*total = -1;
	if (doc == NULL) {
		buf_printf(err, "Airflow API: not JSON: %s", je.text);
		return NULL;
	}
	*list = json_object_get(doc, key);
	if (!json_is_array(*list)) {
		buf_printf(err, "Airflow API: no \"%s\" list in the answer",
		    key);
		json_decref(doc);
		return NULL;
	}
	t = json_object_get(doc, "total_entries");
	if (json_is_integer(t) && json_integer_value(t) >= 0 &&
	    json_integer_value(t) <= LONG_MAX)
		*total = (long)json_integer_value(t);
	else if (t != NULL) {
		buf_puts(err, "Airflow API: total_entries is not a count");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Starts record i of a list: fails it unless it is an object. */
static void
rec_start(struct rec *r, json_t *o, const char *list, size_t i,
    struct buf *err)
{
	*r = (struct rec){ .o = o, .list = list, .i = i, .err = err };
	if (!json_is_object(o)) {
		r->bad = true;
		buf_printf(err, "Airflow API: %s[%zu] is not an object", list,
		    i);
	}
}

/*
 * One kind of list page: its key, how a record is read into a new element
 * of out, how many out holds, and how the elements from n0 on are freed
 * (a page that failed is taken back whole).
 */
struct page_kind {
	const char	*key;
	void		 (*read)(struct rec *, int api, void *out);
	size_t		 (*count)(const void *out);
	void		 (*drop)(void *out, size_t n0);
};

/* Reads a page of one kind: records read (>= 0), or -1 with out as it was. */
static long
page_read(const char *json, size_t len, int api, const struct page_kind *k,
    void *out, long *total, struct buf *err)
{
	json_t		*doc, *list, *o;
	size_t		 i, n0 = k->count(out);
	struct rec	 r = { .bad = false };

	if ((doc = page_open(json, len, k->key, &list, total, err)) == NULL)
		return -1;
	json_array_foreach(list, i, o) {
		rec_start(&r, o, k->key, i, err);
		if (!r.bad)
			k->read(&r, api, out);
		if (r.bad)
			break;
	}
	json_decref(doc);
	if (r.bad) {
		k->drop(out, n0);
		return -1;
	}
	return (long)(k->count(out) - n0);
}

/* --- DAGs -------------------------------------------------------------- */

/* "a,b" from ["a", "b"], as the dag table stores owners; NULL if none. */
static char *
join_owners(struct rec *r)
{
	json_t		*v = json_object_get(r->o, "owners"), *e;
	struct buf	 b = BUF_INIT;
	size_t		 i;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		rec_fail(r, "owners", "is not a list");
		return NULL;
	}
	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			rec_fail(r, "owners", "holds a non-string");
			break;
		}
		buf_printf(&b, "%s%s", i > 0 ? "," : "", json_string_value(e));
	}
	return buf_detach(&b);
}

/*
 * v1's schedule_interval object as the raw text schedule_summary reads
 * from the dag table: a cron expression's value as a JSON string, a
 * TimeDelta or RelativeDelta as its own object (days, seconds, months...).
 */
static char *
v1_schedule(struct rec *r)
{
	json_t *v = json_object_get(r->o, "schedule_interval"), *x;

	if (v == NULL || json_is_null(v))
		return schedule_summary(NULL);
	if (!json_is_object(v)) {
		rec_fail(r, "schedule_interval", "is not an object");
		return NULL;
	}
	x = json_object_get(v, "value");
	if (json_is_string(x))
		return schedule_summary(json_string_value(x)[0] == '\0' ?
		    NULL : json_string_value(x));
	{
		char *raw = json_dumps(v, JSON_COMPACT), *s;

		s = schedule_summary(raw);
		free(raw);
		return s;
	}
}

static void
dag_read(struct rec *r, int api, struct af_dag *d)
{
	char *raw;

	d->dag_id = rec_str(r, "dag_id", true);
	d->paused = rec_bool(r, "is_paused", false);
	if (api >= 2) {
		d->active = !rec_bool(r, "is_stale", false);
		raw = rec_str(r, "timetable_summary", false);
		d->schedule = schedule_summary(raw);
		free(raw);
		d->next_run = rec_time(r, "next_dagrun_logical_date");
		d->next_run_after = rec_time(r, "next_dagrun_run_after");
	} else {
		d->active = rec_bool(r, "is_active", false);
		d->schedule = v1_schedule(r);
		d->next_run = rec_time(r, "next_dagrun");
		d->next_run_after = rec_time(r, "next_dagrun_create_after");
	}
	d->owners = join_owners(r);
	d->timetable_description = rec_str(r, "timetable_description", false);
	d->fileloc = rec_str(r, "fileloc", false);
	d->import_errors = rec_bool(r, "has_import_errors", false);
}

static void
dags_read(struct rec *r, int api, void *out)
{
	dag_read(r, api, af_dags_push(out));
}

static size_t
dags_count(const void *out)
{
	return ((const struct af_dags *)out)->n;
}

static void
dags_drop(void *out, size_t n0)
{
	struct af_dags *d = out;

	while (d->n > n0)
		af_dag_clear(&d->v[--d->n]);
}

static const struct page_kind dags_kind = { "dags", dags_read, dags_count,
    dags_drop };

long
af_api_dags(const char *json, size_t len, int api, struct af_dags *out,
    long *total, struct buf *err)
{
	return page_read(json, len, api, &dags_kind, out, total, err);
}

/* --- runs -------------------------------------------------------------- */

static void
run_read(struct rec *r, int api, struct af_run *x)
{
	char *state;

	x->dag_id = rec_str(r, "dag_id", true);
	x->run_id = rec_str(r, "dag_run_id", true);
	state = rec_str(r, "state", false);
	x->state = run_state_parse(state);
	if (x->state == RUN_UNKNOWN)
		x->state_raw = state;
	else
		free(state);
	x->run_type = rec_str(r, "run_type", false);
	x->start_date = rec_time(r, "start_date");
	x->end_date = rec_time(r, "end_date");
	x->data_interval_start = rec_time(r, "data_interval_start");
	x->data_interval_end = rec_time(r, "data_interval_end");
	if (api >= 2) {
		x->logical_date = rec_time(r, "logical_date");
		x->run_after = rec_time(r, "run_after");
		x->order = x->run_after;
		x->queued_at = rec_time(r, "queued_at");
	} else {
		x->logical_date = rec_time(r, "execution_date");
		if (x->logical_date == TIME_NONE)
			x->logical_date = rec_time(r, "logical_date");
		x->run_after = x->data_interval_end != TIME_NONE ?
		    x->data_interval_end : x->logical_date;
		x->order = x->logical_date;
		x->queued_at = TIME_NONE;	/* not in v1 */
	}
	x->clear_number = 0;	/* in neither version */
}

/* Drops the runs after n0 (a page that failed). */
static void
runs_truncate(struct af_runs *out, size_t n0)
{
	while (out->n > n0)
		af_run_clear(&out->v[--out->n]);
}

static void
runs_read(struct rec *r, int api, void *out)
{
	run_read(r, api, af_runs_push(out));
}

static size_t
runs_count(const void *out)
{
	return ((const struct af_runs *)out)->n;
}

static void
runs_drop(void *out, size_t n0)
{
	runs_truncate(out, n0);
}

static const struct page_kind runs_kind = { "dag_runs", runs_read,
    runs_count, runs_drop };

long
af_api_runs(const char *json, size_t len, int api, struct af_runs *out,
    long *total, struct buf *err)
{
	return page_read(json, len, api, &runs_kind, out, total, err);
}

int
af_api_run(const char *json, size_t len, int api, struct af_runs *out,
    struct buf *err)
{
	json_error_t	 je;
	json_t		*doc = json_loadb(json, len, 0, &je);
	struct rec	 r;
	size_t		 n0 = out->n;

	if (doc == NULL) {
		buf_printf(err, "Airflow API: not JSON: %s", je.text);
		return -1;
	}
	rec_start(&r, doc, "dag_run", 0, err);
	if (!r.bad)
		run_read(&r, api, af_runs_push(out));
	json_decref(doc);
	if (r.bad) {
		runs_truncate(out, n0);
		return -1;
	}
	return 0;
}

/* --- task instances ---------------------------------------------------- */

static void
ti_read(struct rec *r, struct af_ti *t)
{
	char	*state;
	json_t	*d;

	t->dag_id = rec_str(r, "dag_id", true);
	t->run_id = rec_str(r, "dag_run_id", true);
	t->task_id = rec_str(r, "task_id", true);
	t->map_index = rec_int(r, "map_index", -1, -1);
	state = rec_str(r, "state", false);
	t->state = ti_state_parse(state);
	if (t->state == TI_UNKNOWN)
		t->state_raw = state;
	else
		free(state);
	t->try_number = rec_int(r, "try_number", 0, 0);
	t->max_tries = rec_int(r, "max_tries", -1, 0);
	t->start_date = rec_time(r, "start_date");
	t->end_date = rec_time(r, "end_date");
	d = json_object_get(r->o, "duration");
	t->duration = -1;
	if (json_is_number(d) && json_number_value(d) >= 0)
		t->duration = json_number_value(d);
	else if (d != NULL && !json_is_null(d))
		rec_fail(r, "duration", "is not a duration");
	t->operator = rec_str(r, "operator", false);
	t->pool = rec_str(r, "pool", false);
	t->hostname = rec_str(r, "hostname", false);
	t->rendered_map_index = rec_str(r, "rendered_map_index", false);
}

/* The same fields in both versions: api is not looked at. */
static void
tis_read(struct rec *r, int api, void *out)
{
	(void)api;
	ti_read(r, af_tis_push(out));
}

static size_t
tis_count(const void *out)
{
	return ((const struct af_tis *)out)->n;
}

static void
tis_drop(void *out, size_t n0)
{
	struct af_tis *t = out;

	while (t->n > n0)
		af_ti_clear(&t->v[--t->n]);
}

static const struct page_kind tis_kind = { "task_instances", tis_read,
    tis_count, tis_drop };

long
af_api_tis(const char *json, size_t len, int api, struct af_tis *out,
    long *total, struct buf *err)
{
	return page_read(json, len, api, &tis_kind, out, total, err);
}

/* --- pools ------------------------------------------------------------- */

/* The same fields in both versions: api is not looked at. */
static void
pools_read(struct rec *r, int api, void *out)
{
	struct af_pools	*ps = out;
	struct af_pool	*p;

	(void)api;
	ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
	p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->name = rec_str(r, "name", true);
	p->slots = rec_int(r, "slots", -1, -1);
	p->include_deferred = rec_bool(r, "include_deferred", false);
	p->running = rec_int(r, "running_slots", 0, 0);
	p->queued = rec_int(r, "queued_slots", 0, 0);
	p->scheduled = rec_int(r, "scheduled_slots", 0, 0);
	p->deferred = rec_int(r, "deferred_slots", 0, 0);
}

static size_t
pools_count(const void *out)
{
	return ((const struct af_pools *)out)->n;
}

static void
pools_drop(void *out, size_t n0)
{
	struct af_pools *ps = out;

	while (ps->n > n0)
		free(ps->v[--ps->n].name);
}

static const struct page_kind pools_kind = { "pools", pools_read,
    pools_count, pools_drop };

long
af_api_pools(const char *json, size_t len, int api, struct af_pools *out,
    long *total, struct buf *err)
{
	long n = page_read(json, len, api, &pools_kind, out, total, err);

	if (n >= 0)
		out->valid = true;
	return n;
}

/* --- the task graph ---------------------------------------------------- */

/* The operator's class name: class_ref.class_name, else operator_name. */
static char *
task_type(struct rec *r)
{
	json_t *c = json_object_get(r->o, "class_ref"), *n;

	n = json_object_get(c, "class_name");
	if (json_is_string(n))
		return xstrdup(json_string_value(n));
	return rec_str(r, "operator_name", false);
}

/* Records the edges of a task; false (the record failed) on a bad list. */
static void
task_edges(struct rec *r, struct graph *g, const char *task_id)
{
	json_t	*down = json_object_get(r->o, "downstream_task_ids"), *e;
	size_t	 j;

	if (down == NULL || json_is_null(down))
		return;
	if (!json_is_array(down)) {
		rec_fail(r, "downstream_task_ids", "is not a list");
		return;
	}
	json_array_foreach(down, j, e) {
		if (!json_is_string(e)) {
			rec_fail(r, "downstream_task_ids", "holds a non-string");
			return;
		}
		graph_add_edge(g, task_id, json_string_value(e));
	}
}

long
af_api_tasks(const char *json, size_t len, int api, struct graph *g,
    long *total, struct buf *err)
{
	json_t		*doc, *list, *o;
	size_t		 i;
	long		 n = 0;
	struct rec	 r = { .bad = false };
	char		*id, *type;
	int		 retries;
	bool		 mapped;

	(void)api;	/* the same fields in both versions */
	if ((doc = page_open(json, len, "tasks", &list, total, err)) == NULL)
		return -1;
	json_array_foreach(list, i, o) {
		rec_start(&r, o, "tasks", i, err);
		if (r.bad)
			break;
		id = rec_str(&r, "task_id", true);
		type = task_type(&r);
		mapped = rec_bool(&r, "is_mapped", false);
		retries = rec_int(&r, "retries", 0, -1);
		if (!r.bad) {
			graph_add_task(g, id, type, mapped, retries);
			task_edges(&r, g, id);
			n++;
		}
		free(id);
		free(type);
		if (r.bad)
			break;
	}
	json_decref(doc);
	return r.bad ? -1 : n;
}

/* --- health and version ------------------------------------------------ */

int
af_api_health(const char *json, size_t len, int api, int64_t now,
    struct af_health *out, struct buf *err)
{
	static const char *const key[AF_NJOBS] = { "scheduler", "triggerer",
	    "dag_processor" };
	static const char *const beat[AF_NJOBS] = {
	    "latest_scheduler_heartbeat", "latest_triggerer_heartbeat",
	    "latest_dag_processor_heartbeat" };
	json_error_t	 je;
	json_t		*doc = json_loadb(json, len, 0, &je), *o;
	struct rec	 r = { .bad = false };
	char		*status;
	int		 j;

	(void)api;	/* v1 /health and v2 /monitor/health agree */
	if (doc == NULL) {
		buf_printf(err, "Airflow API: not JSON: %s", je.text);
		return -1;
	}
	af_health_clear(out);
	out->now = now;
	for (j = 0; j < AF_NJOBS && !r.bad; j++) {
		struct af_job_health *h = &out->job[j];

		o = json_object_get(doc, key[j]);
		if (o == NULL || json_is_null(o))
			continue;
		rec_start(&r, o, key[j], 0, err);
		if (r.bad)
			break;
		status = rec_str(&r, "status", false);
		h->last_seen = rec_time(&r, beat[j]);
		h->seen = status != NULL || h->last_seen != TIME_NONE;
		h->running = h->last_seen != TIME_NONE ? 1 : 0;
		h->last_heartbeat = h->last_seen;
		free(status);
	}
	json_decref(doc);
	if (r.bad) {
		af_health_clear(out);
		return -1;
	}
	return 0;
}

int
af_api_version(const char *json, size_t len, char **version,
    struct buf *err)
{
	json_error_t	 je;
	json_t		*doc = json_loadb(json, len, 0, &je), *v;

	*version = NULL;
	if (doc == NULL) {
		buf_printf(err, "Airflow API: not JSON: %s", je.text);
		return -1;
	}
	v = json_object_get(doc, "version");
	if (json_is_string(v))
		*version = xstrdup(json_string_value(v));
	else
		buf_puts(err, "Airflow API: no version in the answer");
	json_decref(doc);
	return *version != NULL ? 0 : -1;
}

int
af_api_major(const char *version)
{
	char	*end;
	long	 n;

	if (version == NULL)
		return 0;
	n = strtol(version, &end, 10);
	if (end == version || (*end != '.' && *end != '\0') || n <= 0 ||
	    n > 99)
		return 0;
	return (int)n;
}
