/*
 * digest_failures.c: the weekly digest's failures section (digest.h): the
 * runs that ended in the week, the DAGs and tasks that failed most, the
 * time from each failed run to its DAG's next success, and the reruns the
 * audit log records.  Pure: what the sources read comes in, the section
 * comes out.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "airflow.h"
#include "digest.h"
#include "timefmt.h"

/* The run ended in [from, to). */
static bool
in_week(const struct af_run *r, int64_t from, int64_t to)
{
	return r->end_date != TIME_NONE && r->end_date >= from &&
	    r->end_date < to;
}

/* By dag_id, then run_id: the key the week's failed runs are found by. */
static int
cmp_run_key(const void *a, const void *b)
{
	const struct af_run *x = *(const struct af_run *const *)a;
	const struct af_run *y = *(const struct af_run *const *)b;
	int c = strcmp(x->dag_id, y->dag_id);

	return c != 0 ? c : strcmp(x->run_id, y->run_id);
}

size_t
digest_failed_runs(const struct af_runs *runs, int64_t from, int64_t to,
    const struct af_run ***out)
{
	size_t	i, n = 0;

	*out = xcalloc(runs->n + 1, sizeof **out);
	for (i = 0; i < runs->n; i++)
		if (runs->v[i].state == RUN_FAILED &&
		    in_week(&runs->v[i], from, to))
			(*out)[n++] = &runs->v[i];
	qsort(*out, n, sizeof **out, cmp_run_key);
	return n;
}

/* The failed run of the week a task instance belongs to, or NULL. */
static const struct af_run *
failed_run_of(const struct af_run **failed, size_t n, const struct af_ti *t)
{
	struct af_run		 key;
	const struct af_run	*kp = &key, **hit;

	memset(&key, 0, sizeof key);
	key.dag_id = t->dag_id;
	key.run_id = t->run_id;
	hit = bsearch(&kp, failed, n, sizeof *failed, cmp_run_key);
	return hit != NULL ? *hit : NULL;
}

/*
 * Where a run stands in its DAG's sequence of logical dates: the logical
 * date, or run_after for a run without one (a manual run on 3.x).
 */
static int64_t
logical(const struct af_run *r)
{
	return r->logical_date != TIME_NONE ? r->logical_date : r->run_after;
}

/* By dag_id, end, run_id: a DAG's successes in the order they ended. */
static int
cmp_run_end(const void *a, const void *b)
{
	const struct af_run *x = *(const struct af_run *const *)a;
	const struct af_run *y = *(const struct af_run *const *)b;
	int c = strcmp(x->dag_id, y->dag_id);

	if (c != 0)
		return c;
	if (x->end_date != y->end_date)
		return x->end_date < y->end_date ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

/* The successful runs with an end, sorted by cmp_run_end; *n of them. */
static const struct af_run **
successes(const struct af_runs *runs, size_t *n)
{
	const struct af_run	**v;
	size_t			  i;

	v = xcalloc(runs->n + 1, sizeof *v);
	for (*n = 0, i = 0; i < runs->n; i++)
		if (runs->v[i].state == RUN_SUCCESS &&
		    runs->v[i].end_date != TIME_NONE)
			v[(*n)++] = &runs->v[i];
	qsort(v, *n, sizeof *v, cmp_run_end);
	return v;
}

/*
 * The DAG's first success that ended after the failed run f, or NULL:
 * found in ok (successes()) from the first of f's DAG ending after it.
 */
static const struct af_run *
next_success(const struct af_run **ok, size_t n, const struct af_run *f)
{
	size_t	lo = 0, hi = n, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(ok[mid]->dag_id, f->dag_id);
		if (c < 0 || (c == 0 && ok[mid]->end_date <= f->end_date))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && strcmp(ok[lo]->dag_id, f->dag_id) == 0; lo++)
		if (logical(f) == TIME_NONE || (logical(ok[lo]) != TIME_NONE &&
		    logical(ok[lo]) >= logical(f)))
			return ok[lo];
	return NULL;
}

/* A DAG id against a run's (bsearch over runs sorted by cmp_run_key). */
static int
cmp_dag_key(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct af_run *const *)elem)->dag_id);
}

/* Most failed runs first, then most failed tasks, then by id. */
static int
cmp_dag(const void *a, const void *b)
{
	const struct digest_dag *x = a, *y = b;

	if (x->failed_runs != y->failed_runs)
		return x->failed_runs > y->failed_runs ? -1 : 1;
	if (x->failed_tasks != y->failed_tasks)
		return x->failed_tasks > y->failed_tasks ? -1 : 1;
	return strcmp(x->dag_id, y->dag_id);
}

/* Most failures first, then most runs, then by DAG and task id. */
static int
cmp_task(const void *a, const void *b)
{
	const struct digest_task *x = a, *y = b;
	int c;

	if (x->failures != y->failures)
		return x->failures > y->failures ? -1 : 1;
	if (x->runs != y->runs)
		return x->runs > y->runs ? -1 : 1;
	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	return strcmp(x->task_id, y->task_id);
}

/* By dag_id, task_id, run_id: a task's failed instances side by side. */
static int
cmp_ti(const void *a, const void *b)
{
	const struct af_ti *x = *(const struct af_ti *const *)a;
	const struct af_ti *y = *(const struct af_ti *const *)b;
	int c;

	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	if ((c = strcmp(x->task_id, y->task_id)) != 0)
		return c;
	return strcmp(x->run_id, y->run_id);
}

static int
cmp_recovery(const void *a, const void *b)
{
	const struct digest_recovery *x = a, *y = b;
	int c;

	if (x->failed_at != y->failed_at)
		return x->failed_at < y->failed_at ? -1 : 1;
	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	return strcmp(x->run_id, y->run_id);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The DAG's entry in f->dags (made when new); dags sorted by id so far. */
static struct digest_dag *
dag_entry(struct digest_failures *f, const char *dag_id,
    const struct af_dags *dags)
{
	size_t i;

	for (i = f->ndags; i > 0; i--)
		if (strcmp(f->dags[i - 1].dag_id, dag_id) == 0)
			return &f->dags[i - 1];
	f->dags = xreallocarray(f->dags, f->ndags + 1, sizeof *f->dags);
	memset(&f->dags[f->ndags], 0, sizeof *f->dags);
	f->dags[f->ndags].dag_id = xstrdup(dag_id);
	for (i = 0; dags != NULL && i < dags->n; i++)
		if (strcmp(dags->v[i].dag_id, dag_id) == 0) {
			f->dags[f->ndags].owner = dup_nonempty(dags->v[i].owners);
			break;
		}
	return &f->dags[f->ndags++];
}

/* The week's runs by DAG, and the failed ones' recoveries. */
static void
build_runs(struct digest_failures *f, int64_t from, int64_t to,
    const struct af_runs *runs, const struct af_dags *dags,
    const struct af_run **failed, size_t nfailed)
{
	const struct af_run	**week, **ok;
	int64_t			 *took;
	size_t			  i, n = 0, nok, ntook = 0;

	week = xcalloc(runs->n + 1, sizeof *week);
	for (i = 0; i < runs->n; i++)
		if (in_week(&runs->v[i], from, to))
			week[n++] = &runs->v[i];
	qsort(week, n, sizeof *week, cmp_run_key);
	f->runs = n;
	f->failed_runs = nfailed;
	/* A DAG is listed when a run of it failed in the week. */
	for (i = 0; i < n; i++) {
		struct digest_dag *d;

		if (bsearch(week[i]->dag_id, failed, nfailed, sizeof *failed,
		    cmp_dag_key) == NULL)
			continue;
		d = dag_entry(f, week[i]->dag_id, dags);
		d->runs++;
		if (week[i]->state == RUN_FAILED)
			d->failed_runs++;
	}
	free(week);

	f->recoveries = xcalloc(nfailed + 1, sizeof *f->recoveries);
	took = xcalloc(nfailed + 1, sizeof *took);
	ok = successes(runs, &nok);
	for (i = 0; i < nfailed; i++) {
		struct digest_recovery	*rc = &f->recoveries[i];
		const struct af_run	*next;

		next = next_success(ok, nok, failed[i]);
		rc->dag_id = xstrdup(failed[i]->dag_id);
		rc->run_id = xstrdup(failed[i]->run_id);
		rc->failed_at = failed[i]->end_date;
		rc->recovered_at = TIME_NONE;
		if (next != NULL) {
			rc->recovered_at = next->end_date;
			rc->recovered_by = xstrdup(next->run_id);
			took[ntook++] = next->end_date - failed[i]->end_date;
		} else
			f->unrecovered++;
	}
	f->nrecoveries = nfailed;
	qsort(f->recoveries, nfailed, sizeof *f->recoveries, cmp_recovery);
	if (ntook > 0) {
		qsort(took, ntook, sizeof *took, cmp_i64);
		f->recovery_median = ntook % 2 ? took[ntook / 2] :
		    (took[ntook / 2 - 1] + took[ntook / 2]) / 2;
		f->recovery_max = took[ntook - 1];
	}
	free(ok);
	free(took);
}

/* The failed task instances of the week's failed runs, by DAG and task. */
static void
build_tasks(struct digest_failures *f, const struct af_tis *tis,
    const struct af_run **failed, size_t nfailed)
{
	const struct af_ti	**v;
	size_t			  i, j, n = 0;

	v = xcalloc(tis->n + 1, sizeof *v);
	for (i = 0; i < tis->n; i++)
		if (tis->v[i].state == TI_FAILED &&
		    failed_run_of(failed, nfailed, &tis->v[i]) != NULL)
			v[n++] = &tis->v[i];
	qsort(v, n, sizeof *v, cmp_ti);
	for (i = 0; i < n; i = j) {
		struct digest_task	*t;
		size_t			 k;

		f->tasks = xreallocarray(f->tasks, f->ntasks + 1,
		    sizeof *f->tasks);
		t = &f->tasks[f->ntasks++];
		memset(t, 0, sizeof *t);
		t->dag_id = xstrdup(v[i]->dag_id);
		t->task_id = xstrdup(v[i]->task_id);
		for (j = i; j < n && strcmp(v[j]->dag_id, v[i]->dag_id) == 0 &&
		    strcmp(v[j]->task_id, v[i]->task_id) == 0; j++) {
			t->failures++;
			if (j == i || strcmp(v[j]->run_id, v[j - 1]->run_id) != 0)
				t->runs++;
		}
		for (k = 0; k < f->ndags; k++)
			if (strcmp(f->dags[k].dag_id, t->dag_id) == 0)
				f->dags[k].failed_tasks += t->failures;
	}
	free(v);
	if (f->ntasks > 1)
		qsort(f->tasks, f->ntasks, sizeof *f->tasks, cmp_task);
}

void
digest_failures_build(struct digest_failures *f, int64_t from, int64_t to,
    const struct af_runs *runs, const struct af_tis *tis,
    const struct af_dags *dags)
{
	const struct af_run	**failed;
	size_t			  nfailed;

	nfailed = digest_failed_runs(runs, from, to, &failed);
	build_runs(f, from, to, runs, dags, failed, nfailed);
	build_tasks(f, tis, failed, nfailed);
	if (f->ndags > 1)
		qsort(f->dags, f->ndags, sizeof *f->dags, cmp_dag);
	free(failed);
}

/* --- the audit log ------------------------------------------------------ */

/* A member that is a string, or NULL. */
static const char *
member_string(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
cmp_rerun(const void *a, const void *b)
{
	const struct digest_rerun *x = a, *y = b;

	return x->time < y->time ? -1 : x->time > y->time;
}

/*
 * One line of the log: 0 when it is passed over or taken (a rerun of the
 * week appended to f), -1 when it is malformed.
 */
static int
rerun_line(struct digest_failures *f, const char *line, size_t len,
    int64_t from, int64_t to)
{
	struct digest_rerun	*r;
	json_t			*o, *count;
	const char		*when, *user, *dag, *run, *result;
	int64_t			 t;
	int			 rc = 0;

	if ((o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return -1;
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	if (member_string(o, "record") == NULL ||
	    strcmp(member_string(o, "record"), "outcome") != 0 ||
	    member_string(o, "action") == NULL ||
	    strcmp(member_string(o, "action"), "clear") != 0)
		goto out;	/* an intent, or another action: not a rerun */
	when = member_string(o, "time");
	user = member_string(o, "user");
	dag = member_string(o, "dag_id");
	run = member_string(o, "run_id");
	result = member_string(o, "result");
	if (when == NULL || parse_iso_time(when, &t) != 0 || user == NULL ||
	    dag == NULL || run == NULL || result == NULL) {
		rc = -1;
		goto out;
	}
	if (t < from || t >= to)
		goto out;
	f->reruns = xreallocarray(f->reruns, f->nreruns + 1, sizeof *f->reruns);
	r = &f->reruns[f->nreruns++];
	memset(r, 0, sizeof *r);
	r->time = t;
	r->user = xstrdup(user);
	r->context = dup_or_null(member_string(o, "context"));
	r->dag_id = xstrdup(dag);
	r->run_id = xstrdup(run);
	count = json_object_get(o, "count");
	r->tasks = json_is_integer(count) && json_integer_value(count) > 0 ?
	    (size_t)json_integer_value(count) : 0;
	r->result = xstrdup(result);
out:
	json_decref(o);
	return rc;
}

size_t
digest_reruns_parse(struct digest_failures *f, const char *text, size_t len,
    int64_t from, int64_t to)
{
	const char	*p = text, *end = text + len, *nl;
	size_t		 bad = 0, n;
	bool		 blank;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (nl != NULL ? nl : end) - p;
		blank = true;
		for (size_t i = 0; i < n && blank; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
				blank = false;
		if (!blank && rerun_line(f, p, n, from, to) != 0)
			bad++;
		p = nl != NULL ? nl + 1 : end;
	}
	/* A stable order: qsort is not, so equal times keep the log's order. */
	for (size_t i = 1; i < f->nreruns; i++)
		for (size_t j = i; j > 0 && cmp_rerun(&f->reruns[j - 1],
		    &f->reruns[j]) > 0; j--) {
			struct digest_rerun tmp = f->reruns[j];

			f->reruns[j] = f->reruns[j - 1];
			f->reruns[j - 1] = tmp;
		}
	return bad;
}
