/*
 * runmerge.c: merging the runs changed since a refresh into that
 * refresh's strips (runmerge.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "runmerge.h"

/* A run with where it came from: fresh (0) before prev (1). */
struct tagged {
	struct af_run	*run;
	int		 from;
};

/* By (dag_id, run_id), fresh's copy first: the copies of a run meet. */
static int
cmp_id(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;
	int c;

	if ((c = strcmp(x->run->dag_id, y->run->dag_id)) != 0 ||
	    (c = strcmp(x->run->run_id, y->run->run_id)) != 0)
		return c;
	return x->from - y->from;
}

/* By DAG, newest first as Airflow orders (each run once by now). */
static int
cmp_newest(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;
	int c = strcmp(x->run->dag_id, y->run->dag_id);

	return c != 0 ? c : af_run_cmp_newest(x->run, y->run);
}

/* A copy of r that owns every string. */
static void
run_copy(struct af_run *to, const struct af_run *r)
{
	*to = *r;
	to->shared_dag_id = false;
	to->dag_id = xstrdup(r->dag_id);
	to->run_id = xstrdup(r->run_id);
	to->state_raw = r->state_raw != NULL ? xstrdup(r->state_raw) : NULL;
	to->run_type = r->run_type != NULL ? xstrdup(r->run_type) : NULL;
}

/*
 * Both lists in one array, fresh first; fresh's runs become owners of
 * their dag_id before any is dropped (a shared one belongs to another
 * run of fresh, which may go).
 */
static struct tagged *
gather(const struct af_runs *prev, struct af_runs *fresh, struct af_runs *all)
{
	struct tagged	*t;
	size_t		 n = prev->n + fresh->n, i;

	memset(all, 0, sizeof *all);
	af_runs_reserve(all, n);
	for (i = 0; i < fresh->n; i++) {
		struct af_run *r = af_runs_push(all);

		*r = fresh->v[i];
		if (r->shared_dag_id) {
			r->dag_id = xstrdup(r->dag_id);
			r->shared_dag_id = false;
		}
	}
	for (i = 0; i < prev->n; i++)
		run_copy(af_runs_push(all), &prev->v[i]);
	free(fresh->v);
	memset(fresh, 0, sizeof *fresh);
	t = xcalloc(n + 1, sizeof *t);
	for (i = 0; i < n; i++) {
		t[i].run = &all->v[i];
		t[i].from = i < n - prev->n ? 0 : 1;
	}
	return t;
}

/*
 * Keeps fresh's copy of each run (by dag_id and run_id, whatever its order
 * says: a run's instant may have moved), then walks each DAG newest first
 * up to per_dag.  A fresh run older than every run prev kept of a DAG that
 * prev filled to per_dag (a backfill) is past the strip: the limit drops
 * it, as a full read would not show it either.
 */
void
run_merge(const struct af_runs *prev, struct af_runs *fresh, int per_dag,
    struct af_runs *out)
{
	struct af_runs	 all;
	struct tagged	*t = gather(prev, fresh, &all);
	size_t		 n = all.n, m = 0, kept = 0, i;
	size_t		 limit = per_dag > 0 ? (size_t)per_dag : 1;
	struct af_run	*last = NULL;

	if (n > 1)
		qsort(t, n, sizeof *t, cmp_id);
	for (i = 0; i < n; i++)
		if (m == 0 || strcmp(t[i].run->dag_id, t[m - 1].run->dag_id) != 0 ||
		    strcmp(t[i].run->run_id, t[m - 1].run->run_id) != 0)
			t[m++] = t[i];
	if (m > 1)
		qsort(t, m, sizeof *t, cmp_newest);
	memset(out, 0, sizeof *out);
	af_runs_reserve(out, m);
	for (i = 0; i < m; i++) {
		struct af_run *r = t[i].run;

		if (last == NULL || strcmp(r->dag_id, last->dag_id) != 0)
			kept = 0;
		else if (kept >= limit)
			continue;	/* past the strip */
		kept++;
		last = af_runs_push(out);
		*last = *r;
		memset(r, 0, sizeof *r);
	}
	af_runs_free(&all);
	free(t);
}

int
ids_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool
ids_listed(const char *const *ids, size_t n, const char *id)
{
	return n > 0 && bsearch(&id, ids, n, sizeof *ids, ids_cmp) != NULL;
}

/*
 * Two passes: which runs stay (the first run of each DAG names the group,
 * so nothing is freed while names are compared), then the rest are
 * cleared and the list closes up.
 */
void
run_keep(struct af_runs *runs, const char *const *strips, size_t nstrips,
    int per_dag, const char *const *dags, size_t ndags)
{
	bool		*stay = xcalloc(runs->n + 1, sizeof *stay);
	size_t		 n = 0, kept = 0, limit = 0, i;
	const char	*dag = NULL;
	bool		 known = true;

	for (i = 0; i < runs->n; i++) {
		const struct af_run *r = &runs->v[i];

		if (dag == NULL || strcmp(r->dag_id, dag) != 0) {
			dag = r->dag_id;
			kept = 0;
			known = dags == NULL || ids_listed(dags, ndags, dag);
			limit = strips == NULL || ids_listed(strips, nstrips, dag) ?
			    (size_t)(per_dag > 0 ? per_dag : 1) : 1;
		}
		if (known && kept < limit) {
			kept++;
			stay[i] = true;
		}
	}
	for (i = 0; i < runs->n; i++)
		if (stay[i])
			runs->v[n++] = runs->v[i];
		else
			af_run_clear(&runs->v[i]);
	runs->n = n;
	free(stay);
}
