/*
 * compare_facts.c: the facts of a blue/green comparison (compare.h) as the
 * sources hand them over: freeing, sorting, and the per-task figures from
 * task instances by the rules of the database's statement.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "graph.h"

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
cmp_shapes_free(struct cmp_shapes *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].dag_id);
		free_strv(s->v[i].tasks, s->v[i].ntasks);
		free_strv(s->v[i].edges, s->v[i].nedges);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void
cmp_tasks_free(struct cmp_tasks *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].dag_id);
		free(t->v[i].task_id);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts v bytewise and frees the duplicates; returns the new count. */
static size_t
sort_unique(char **v, size_t n)
{
	size_t i, k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 1, k = 1; i < n; i++) {
		if (strcmp(v[i], v[k - 1]) == 0)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	return k;
}

void
cmp_shape_finish(struct cmp_shape *s)
{
	s->ntasks = sort_unique(s->tasks, s->ntasks);
	s->nedges = sort_unique(s->edges, s->nedges);
}

static int
cmp_shape_id(const void *a, const void *b)
{
	return strcmp(((const struct cmp_shape *)a)->dag_id,
	    ((const struct cmp_shape *)b)->dag_id);
}

void
cmp_shapes_sort(struct cmp_shapes *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cmp_shape_id);
}

static int
cmp_ti_task(const void *a, const void *b)
{
	const struct af_ti *x = *(const struct af_ti *const *)a;
	const struct af_ti *y = *(const struct af_ti *const *)b;
	int c;

	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	return strcmp(x->task_id, y->task_id);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * PostgreSQL's percentile_disc(p) of the n sorted values v: the value at
 * row ceil(p * n) (1-based, at least the first), computed in double as
 * PostgreSQL computes it, so that the two never differ by a row.
 */
static double
percentile_disc(const double *v, size_t n, double p)
{
	double	 row = ceil(p * (double)n);
	size_t	 i;

	if (n == 0)
		return -1;
	i = row <= 1 ? 1 : (size_t)row;
	if (i > n)
		i = n;
	return v[i - 1];
}

/*
 * One task's figures from its instances g[0..n): those in a finished
 * state (Airflow's State.finished) count, failed ones (failed only) are
 * counted apart, and the durations of the successful ones (those with a
 * duration) give the median and p90.  dur is room for n durations.
 */
static void
task_figures(const struct af_ti *const *g, size_t n, double *dur,
    struct cmp_task *t)
{
	size_t nd = 0;

	t->n = t->failed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ti_state_finished(g[i]->state))
			continue;
		t->n++;
		if (g[i]->state == TI_FAILED)
			t->failed++;
		if (g[i]->state == TI_SUCCESS && g[i]->duration >= 0)
			dur[nd++] = g[i]->duration;
	}
	qsort(dur, nd, sizeof *dur, cmp_double);
	t->median = percentile_disc(dur, nd, 0.5);
	t->p90 = percentile_disc(dur, nd, 0.9);
}

/*
 * Groups the task instances by (dag_id, task_id) through a sorted array
 * of pointers (tis stays as it is) and gives each group with at least one
 * ended instance its figures, as the database's statement does: a task
 * whose instances are all unfinished has no row there either.
 */
void
cmp_tasks_from_tis(const struct af_tis *tis, struct cmp_tasks *out)
{
	const struct af_ti	**p;
	double			 *dur;
	size_t			  i, j;

	out->v = NULL;
	out->n = 0;
	if (tis->n == 0)
		return;
	p = xreallocarray(NULL, tis->n, sizeof *p);
	dur = xreallocarray(NULL, tis->n, sizeof *dur);
	for (i = 0; i < tis->n; i++)
		p[i] = &tis->v[i];
	qsort(p, tis->n, sizeof *p, cmp_ti_task);
	out->v = xreallocarray(NULL, tis->n, sizeof *out->v);
	for (i = 0; i < tis->n; i = j) {
		struct cmp_task t;

		for (j = i + 1; j < tis->n && cmp_ti_task(&p[i], &p[j]) == 0;
		    j++)
			;
		task_figures(p + i, j - i, dur, &t);
		if (t.n == 0)
			continue;
		t.dag_id = xstrdup(p[i]->dag_id);
		t.task_id = xstrdup(p[i]->task_id);
		out->v[out->n++] = t;
	}
	free(dur);
	free(p);
	if (out->n == 0) {
		free(out->v);
		out->v = NULL;
	}
}

void
cmp_shape_from_graph(struct cmp_shape *s, const struct graph *g)
{
	size_t i, k, ne = 0;

	for (i = 0; i < g->ntasks; i++)
		ne += g->tasks[i].ndown;
	s->tasks = xreallocarray(NULL, g->ntasks ? g->ntasks : 1,
	    sizeof *s->tasks);
	s->edges = xreallocarray(NULL, ne ? ne : 1, sizeof *s->edges);
	s->ntasks = s->nedges = 0;
	for (i = 0; i < g->ntasks; i++) {
		const struct graph_task *t = &g->tasks[i];
		struct buf e = BUF_INIT;

		s->tasks[s->ntasks++] = xstrdup(t->task_id);
		for (k = 0; k < t->ndown; k++) {
			buf_reset(&e);
			buf_printf(&e, "%s\t%s", t->task_id,
			    g->tasks[t->down[k]].task_id);
			s->edges[s->nedges++] = xstrdup(buf_str(&e));
		}
		buf_free(&e);
	}
	cmp_shape_finish(s);
}
