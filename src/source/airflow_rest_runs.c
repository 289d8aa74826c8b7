/*
 * airflow_rest_runs.c: the REST API source's runs, task instances and SLA
 * history (airflow_rest_int.h): the batch lists across DAGs with the
 * database's filters, one DAG's lists, and what is kept of them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "af_api.h"
#include "airflow_rest_int.h"
#include "runmerge.h"
#include "timefmt.h"
#include "tz.h"

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

	rest_gather_runs(j, &all);
	rest_sort(all.v, all.n, sizeof *all.v, cmp_dag_newest);
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

void
rest_fetch_runs_since(struct sched *sd, int64_t since, struct af_runs *out,
    sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	json_t		*b;
	const char	*path = "/dags/~/dagRuns/list";

	j->since = since;
	j->end = since_end;
	j->fail = rest_fail_runs;
	if (rest_api_version(rs) == 2) {
		/* The database's three reads, filter for filter. */
		b = rest_runs_body("run_after");
		rest_body_time(b, "run_after_gte", since);
		rest_job_add(j, K_RUNS, path, b, true);
		b = rest_runs_body("run_after");
		json_object_set_new(b, "states", rest_states("running", "queued",
		    NULL));
		rest_body_time(b, "run_after_lt", since);
		rest_job_add(j, K_RUNS, path, b, true);
		b = rest_runs_body("run_after");
		json_object_set_new(b, "states", rest_states("failed", NULL, NULL));
		rest_body_time(b, "end_date_gte", since);
		rest_body_time(b, "run_after_lt", since);
		rest_job_add(j, K_RUNS, path, b, true);
	} else {
		/*
		 * v1 filters neither on the data interval nor on "run time":
		 * runs whose execution date is in the window, runs that ended
		 * in it (a run ends after its interval does), and unfinished
		 * runs; since_end keeps those the database would.
		 */
		b = rest_runs_body("execution_date");
		rest_body_time(b, "execution_date_gte", since);
		rest_job_add(j, K_RUNS, path, b, true);
		b = rest_runs_body("execution_date");
		rest_body_time(b, "end_date_gte", since);
		rest_job_add(j, K_RUNS, path, b, true);
		b = rest_runs_body("execution_date");
		json_object_set_new(b, "states", rest_states("running", "queued",
		    NULL));
		rest_job_add(j, K_RUNS, path, b, true);
	}
	rest_job_go(j);
}

/*
 * A paged read of /dags/{id}/dagRuns?query, stopping after want runs; a
 * DAG Airflow does not know has none.
 */
struct req *
rest_add_runs(struct job *j, const char *dag_id, const char *query,
    long want)
{
	struct buf	 p = BUF_INIT;
	struct req	*q;

	rest_dag_path(&p, dag_id, NULL);
	buf_printf(&p, "/dagRuns?%s", query);
	q = rest_job_add(j, K_RUNS, buf_str(&p), NULL, true);
	q->want = want;
	q->none_on_404 = true;
	buf_free(&p);
	return q;
}

/* One DAG's newest runs, newest first: reads of /dags/{id}/dagRuns. */
static struct req *
add_dag_runs(struct job *j, const char *dag_id, int limit)
{
	return rest_add_runs(j, dag_id, rest_api_version(j->rs) == 2 ?
	    "order_by=-run_after" : "order_by=-execution_date", limit);
}

static void
dag_runs_end(struct job *j)
{
	struct af_runs *out = j->out;

	rest_gather_runs(j, out);
	rest_sort(out->v, out->n, sizeof *out->v, cmp_dag_newest);
}

void
rest_fetch_dag_runs(struct sched *sd, const char *dag_id, int limit,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct job *j = rest_job_new((struct rest *)sd, out, cb, arg);

	add_dag_runs(j, dag_id, limit > 0 ? limit : 1);
	j->end = dag_runs_end;
	j->fail = rest_fail_runs;
	rest_job_go(j);
}

/*
 * The older page's end: the runs read, sorted, less those not strictly
 * older than the run the page follows (the date filter takes in its whole
 * second, and that run itself), cut to the page.
 */
static void
dag_runs_before_end(struct job *j)
{
	struct af_runs	*out = j->out, all = { 0 };
	struct af_run	 before = { 0 };
	size_t		 i;

	before.order = j->since;
	before.run_id = j->pairs[1];
	rest_gather_runs(j, &all);
	rest_sort(all.v, all.n, sizeof *all.v, cmp_dag_newest);
	for (i = 0; i < all.n; i++) {
		if (out->n >= (size_t)j->limit ||
		    af_run_cmp_newest(&all.v[i], &before) <= 0)
			continue;
		*af_runs_push(out) = all.v[i];
		memset(&all.v[i], 0, sizeof all.v[i]);
	}
	af_runs_free(&all);
}

/*
 * The API has no keyset cursor: the newest runs up to the second of the
 * run the page follows (a date filter, run_after on v2, execution date on
 * v1), and the end drops those that are not older.  A few more than the
 * page are read for runs that share that second.
 */
void
rest_fetch_dag_runs_before(struct sched *sd, const char *dag_id,
    const struct af_run *before, int limit, struct af_runs *out, sched_cb cb,
    void *arg)
{
	struct job	*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;
	struct buf	 iso = BUF_INIT;
	const char	*c;
	struct req	*q;

	j->limit = limit > 0 ? limit : 1;
	j->since = before->order;
	j->n = 1;
	j->pairs = xcalloc(3, sizeof *j->pairs);
	j->pairs[0] = xstrdup(dag_id);
	j->pairs[1] = xstrdup(before->run_id);
	rest_dag_path(&p, dag_id, NULL);
	buf_printf(&p, "/dagRuns?order_by=%s&%s_lte=",
	    rest_api_version(j->rs) == 2 ? "-run_after" : "-execution_date",
	    rest_api_version(j->rs) == 2 ? "run_after" : "execution_date");
	fmt_time(&iso, tz_utc(), before->order + 1, FMT_ISO);
	for (c = buf_str(&iso); *c != '\0'; c++)
		if (*c == '+')
			buf_puts(&p, "%2B");	/* a query's '+' is a blank */
		else
			buf_putc(&p, *c);
	buf_free(&iso);
	q = rest_job_add(j, K_RUNS, buf_str(&p), NULL, true);
	q->want = j->limit + 16;
	q->none_on_404 = true;
	buf_free(&p);
	j->end = dag_runs_before_end;
	j->fail = rest_fail_runs;
	rest_job_go(j);
}

/*
 * The strips' windows: a batch read of the runs whose time (run_after on
 * v2, execution date on v1) is this recent, first for every DAG, then
 * for the DAGs that had fewer than per_dag in the window before.  A DAG
 * still short after the last window gets one read of its own.
 */
static const int64_t strip_window[] = {
	6 * 3600, 2 * 86400, 16 * 86400, 128 * 86400
};
#define STRIP_STEPS	((int)(sizeof strip_window / sizeof strip_window[0]))

/* For bsearch and rest_sort of the job's DAG list (dag_id is its first member). */
static int
cmp_dag_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* How many runs of dag_id the sorted runs hold. */
static size_t
runs_of(const struct af_runs *rs, const char *dag_id)
{
	size_t lo = 0, hi = rs->n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(rs->v[mid].dag_id, dag_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < rs->n && strcmp(rs->v[lo].dag_id, dag_id) == 0)
		lo++;
	return lo - first;
}

/* Whether dag_id is in ids (sorted); ids NULL: every DAG is. */
static bool
listed(const char *const *ids, size_t n, const char *dag_id)
{
	return ids == NULL || ids_listed(ids, n, dag_id);
}

/* How many runs of dag_id the answer holds at most: its strip, or one. */
static size_t
want_runs(const struct job *j, const char *dag_id)
{
	const struct sched_recent *w = j->want;

	return w == NULL || listed(w->strips, w->nstrips, dag_id) ?
	    (size_t)j->per_dag : 1;
}

/*
 * How many runs of dag_id the windows must find: want_runs, but in an
 * incremental read only for a DAG whose strip prev lacks (it came into
 * view); the others come from prev and the changed runs.
 */
static size_t
want_read(const struct job *j, const char *dag_id)
{
	const struct sched_recent *w = j->want;

	if (j->prev == NULL)
		return want_runs(j, dag_id);
	if (w->prev_strips == NULL ||
	    listed(w->prev_strips, w->nprev_strips, dag_id) ||
	    !listed(w->strips, w->nstrips, dag_id))
		return 0;
	return (size_t)j->per_dag;
}

/*
 * Sorts the runs by DAG, newest first, and keeps each run once (the
 * windows overlap), want_runs per DAG and only the DAGs of the list.
 */
static void
recent_trim(struct job *j, struct af_runs *out)
{
	struct af_runs	 all = *out;
	size_t		 kept = 0;

	rest_sort(all.v, all.n, sizeof *all.v, cmp_dag_newest);
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < all.n; i++) {
		struct af_run *r = &all.v[i];
		struct af_run *last = out->n > 0 ? &out->v[out->n - 1] : NULL;

		if (last != NULL && strcmp(r->dag_id, last->dag_id) == 0) {
			if (strcmp(r->run_id, last->run_id) == 0 ||
			    kept >= want_runs(j, r->dag_id))
				continue;
		} else {
			if (j->dags->n == 0 || bsearch(&r->dag_id, j->dags->v,
			    j->dags->n, sizeof *j->dags->v, cmp_dag_id) == NULL)
				continue;
			kept = 0;
		}
		kept++;
		*af_runs_push(out) = *r;
		memset(r, 0, sizeof *r);
	}
	af_runs_free(&all);
}

/*
 * The strips: only what scheduler.h promises is kept.  An incremental
 * read's runs (those changed since) are merged into the last answer.
 */
static void
recent_end(struct job *j)
{
	struct af_runs *out = j->out;

	if (j->prev != NULL) {
		/* The windows' strips (in out), the changed runs. */
		struct af_runs changed = *out, merged;

		memset(out, 0, sizeof *out);
		rest_gather_runs(j, &changed);
		run_merge(j->prev, &changed, j->per_dag, &merged);
		af_runs_free(out);
		*out = merged;
	} else
		rest_gather_runs(j, out);
	recent_trim(j, out);
	for (size_t i = 0; i < out->n; i++) {
		struct af_run *r = &out->v[i];

		r->logical_date = r->queued_at = TIME_NONE;
		r->data_interval_start = r->data_interval_end = TIME_NONE;
		free(r->run_type);
		r->run_type = NULL;
	}
}

/* A window's reads are in: its runs join the job's. */
static void
recent_step_end(struct job *k)
{
	struct job *j = k->arg;

	rest_gather_runs(k, j->out);
}

static void	recent_step(struct job *);

/*
 * The DAG list (step -1) or a window's reads are in: the next window, or
 * the job's end.
 */
static void
recent_next(void *arg, const char *err)
{
	struct job *j = arg;

	if (err != NULL) {
		buf_puts(&j->err, err);
		rest_job_finish(j);
		return;
	}
	if (j->step < 0)
		rest_sort(j->dags->v, j->dags->n, sizeof *j->dags->v, cmp_dag_id);
	else
		recent_trim(j, j->out);
	j->step++;
	recent_step(j);
}

/*
 * The next window's batch read for the DAGs still short (every DAG in the
 * first, without a dag_ids filter); after the last window, one read per
 * DAG still short.
 */
static void
recent_step(struct job *j)
{
	struct rest	*rs = j->rs;
	struct af_dags	*dags = j->dags;
	struct af_runs	*have = j->out;
	const char	*order = rest_api_version(rs) == 2 ? "run_after" :
			    "execution_date";
	struct job	*k;
	json_t		*ids = json_array(), *b;
	struct buf	 key = BUF_INIT;

	for (size_t i = 0; i < dags->n; i++)
		if (runs_of(have, dags->v[i].dag_id) <
		    want_read(j, dags->v[i].dag_id))
			json_array_append_new(ids,
			    json_string(dags->v[i].dag_id));
	if (json_array_size(ids) == 0 || j->step >= STRIP_STEPS) {
		for (size_t i = 0; i < json_array_size(ids); i++) {
			const char *id = json_string_value(json_array_get(ids,
			    i));

			add_dag_runs(j, id, (int)want_read(j, id));
		}
		json_decref(ids);
		rest_job_next(j);
		return;
	}
	buf_printf(&key, "%s_gte", order);
	b = rest_runs_body(rest_api_version(rs) == 2 ? "-run_after" :
	    "-execution_date");
	rest_body_time(b, buf_str(&key), time(NULL) - strip_window[j->step]);
	/* The first window is every DAG's, but in an incremental read. */
	if (j->step > 0 || j->prev != NULL)
		json_object_set_new(b, "dag_ids", ids);
	else
		json_decref(ids);
	buf_free(&key);
	k = rest_job_new(rs, NULL, recent_next, j);
	k->end = recent_step_end;
	rest_job_add(k, K_RUNS, "/dags/~/dagRuns/list", b, true);
	rest_job_go(k);
}

/*
 * How far before the last read an incremental one looks back.  Airflow
 * sets a run's updated_at from its own clock when it writes the row, and
 * the row is seen only once the transaction commits: a read that began at
 * T (this machine's clock) may miss a row stamped just before T but
 * committed after it, and the two clocks may differ.  Looking back this
 * far covers a commit that takes that long plus that much clock skew
 * (NTP keeps both to well under a second); re-reading the runs changed in
 * those minutes costs a few records, and the full read every
 * full_refresh seconds bounds whatever a larger skew would miss.
 */
#define CHANGED_MARGIN	120

/*
 * An incremental read: the runs of every DAG whose updated_at is at or
 * after the last read's start less the margin, one paged GET (neither
 * version's batch list filters on updated_at), ordered by id so that a
 * run changed while the pages are read does not move; it is sent after
 * the windows that read the strips of the DAGs that came into view
 * (want_read).  recent_end merges both into w->prev.
 */
static void
recent_changed(struct job *j, const struct sched_recent *w)
{
	struct buf	 p = BUF_INIT;
	char		*since = rest_iso(w->prev_at - CHANGED_MARGIN);

	j->prev = w->prev;
	buf_puts(&p, "/dags/~/dagRuns?order_by=id&updated_at_gte=");
	http_escape(&p, since);
	rest_job_add(j, K_RUNS, buf_str(&p), NULL, true);
	free(since);
	buf_free(&p);
}

/*
 * The API has no "newest N of every DAG": the DAG list (w->dags, or a read
 * of /dags), then batch reads of the runs in ever wider windows
 * (recent_step) for the DAGs that still have fewer than N, and one read
 * for each DAG short after the widest.  The newest N of a DAG with N in a
 * window are all in it (the window filters on the field the strips order
 * by), so the strips are the same as the per-DAG reads would give.
 */
void
rest_fetch_runs_recent(struct sched *sd, const struct sched_recent *w,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	struct job	*k;

	j->per_dag = w->per_dag > 0 ? w->per_dag : 1;
	j->want = w;
	j->end = recent_end;
	j->fail = rest_fail_runs;
	j->step = -1;
	j->dags = xcalloc(1, sizeof *j->dags);
	if (w->dags == NULL) {
		rest_fetch_dags(sd, j->dags, recent_next, j);
		return;
	}
	/* The ids only, copied: the list is sorted here. */
	for (size_t i = 0; i < w->dags->n; i++)
		af_dags_push(j->dags)->dag_id = xstrdup(w->dags->v[i].dag_id);
	if (w->prev != NULL)
		recent_changed(j, w);
	/* An empty job: recent_next from the loop, never from here. */
	k = rest_job_new(rs, NULL, recent_next, j);
	rest_job_go(k);
}

static void
run_end(struct job *j)
{
	rest_gather_runs(j, j->out);
}

void
rest_fetch_run(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct job	*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	rest_dag_path(&p, dag_id, run_id);
	rest_job_add(j, K_RUN, buf_str(&p), NULL, false);
	j->end = run_end;
	j->fail = rest_fail_runs;
	buf_free(&p);
	rest_job_go(j);
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
	rest_sort(out->v, out->n, sizeof *out->v, cmp_ti);
}

void
rest_fetch_tis(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_tis *out, sched_cb cb, void *arg)
{
	struct job	*j = rest_job_new((struct rest *)sd, out, cb, arg);
	struct buf	 p = BUF_INIT;

	rest_dag_path(&p, dag_id, run_id);
	buf_puts(&p, "/taskInstances");
	rest_job_add(j, K_TIS, buf_str(&p), NULL, true);
	j->end = tis_end;
	j->fail = rest_fail_tis;
	buf_free(&p);
	rest_job_go(j);
}

/*
 * One batch read across DAGs and runs with the attention states; v1's
 * list takes no page (it answers every match at once), v2's is paged.
 */
void
rest_fetch_attention_tis(struct sched *sd, const struct af_run *const *runs,
    size_t n, struct af_tis *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	json_t		*b, *dags = json_array(), *ids = json_array();

	/* The runs are the caller's only during the call: copies. */
	j->pairs = xcalloc(2 * n + 1, sizeof *j->pairs);
	j->n = n;
	for (size_t i = 0; i < n; i++) {
		j->pairs[2 * i] = xstrdup(runs[i]->dag_id);
		j->pairs[2 * i + 1] = xstrdup(runs[i]->run_id);
	}
	j->end = tis_end;
	j->fail = rest_fail_tis;
	if (n == 0) {
		json_decref(dags);
		json_decref(ids);
		rest_job_go(j);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(dags, json_string(runs[i]->dag_id));
		json_array_append_new(ids, json_string(runs[i]->run_id));
	}
	b = json_pack("{s:o, s:o, s:o}", "dag_ids", dags, "dag_run_ids", ids,
	    "state", rest_states("failed", "upstream_failed", "up_for_retry"));
	rest_job_add(j, K_TIS, "/dags/~/dagRuns/~/taskInstances/list", b,
	    rest_api_version(rs) == 2);
	rest_job_go(j);
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

		rest_sort(rs->v, rs->n, sizeof *rs->v, cmp_sla_day);
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
	int		 api = rest_api_version(j->rs);

	if (err != NULL) {
		buf_puts(&j->err, err);
		rest_job_finish(j);
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
		j->sla_tis[i] = rest_job_add(j, K_TIS,
		    "/dags/~/dagRuns/~/taskInstances/list",
		    json_pack("{s:[s], s:[s], s:o}", "dag_ids",
		    j->pairs[2 * i], "task_ids", j->pairs[2 * i + 1],
		    "dag_run_ids", ids), api == 2);
	}
	rest_job_next(j);
}

/*
 * Per SLA: GET /dags/{id} (a 404 is an unknown DAG) and its runs through
 * the batch list, bounded by a date the API filters on (run_after on
 * v2; on v1 the execution date, a year either side, since a manual run's
 * data interval ends before it); then the task's instances of those runs.
 * Airflow's own verdicts (sla_miss, deadline alerts) are not in the API:
 * airflow_miss is false and the history says it read neither.
 */
void
rest_fetch_sla(struct sched *sd, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *out, sched_cb cb, void *arg)
{
	struct rest	*rs = (struct rest *)sd;
	struct job	*j = rest_job_new(rs, out, cb, arg);
	struct job	*k = rest_job_new(rs, NULL, sla_runs_done, j);
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
		if (rest_api_version(rs) == 2) {
			json_object_set_new(b, "order_by", json_string("run_after"));
			rest_body_time(b, "run_after_gte", from);
		} else {
			json_object_set_new(b, "order_by",
			    json_string("execution_date"));
			rest_body_time(b, "execution_date_gte", from - 366 * 86400);
			rest_body_time(b, "execution_date_lte", to + 366 * 86400);
		}
		rest_job_add(k, K_RUNS, "/dags/~/dagRuns/list", b, true);
		buf_reset(&p);
		rest_dag_path(&p, defs[i]->dag_id, NULL);
		rest_job_add(k, K_EXISTS, buf_str(&p), NULL, false);
	}
	buf_free(&p);
	rest_job_go(k);
}

