/*
 * fuzz_compare.c: compare_build (src/model/compare.c) on two sides made
 * from the input: DAGs, runs, shapes and tasks with ids from a small
 * alphabet (so that the sides meet), any states, instants and counts,
 * duplicates and unsorted input included.  Nothing may crash, leak or
 * read out of bounds, and the findings must come out in their order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static unsigned
take(struct in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

/* An id of one to three letters from "ab\t" (a tab: an edge's shape). */
static char *
id(struct in *in)
{
	static const char	 alpha[] = "ab\t";
	char			 s[4];
	unsigned		 k, len = take(in) % 3 + 1;

	for (k = 0; k < len; k++)
		s[k] = alpha[take(in) % 3];
	s[len] = '\0';
	return xstrdup(s);
}

static char **
ids(struct in *in, size_t *n)
{
	char	**v;
	size_t	  i;

	*n = take(in) % 4;
	v = xcalloc(*n + 1, sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = id(in);
	return v;
}

static void
one(struct in *in, struct af_dags *d, struct af_runs *r,
    struct cmp_shapes *s, struct cmp_tasks *t)
{
	unsigned op = take(in) % 4;

	if (op == 0) {
		struct af_dag *x = af_dags_push(d);
		unsigned f = take(in);

		x->dag_id = id(in);
		x->paused = f & 1;
		x->active = f & 2;
		x->import_errors = f & 4;
	} else if (op == 1) {
		struct af_run *x = af_runs_push(r);
		unsigned f = take(in);

		x->dag_id = id(in);
		x->run_id = id(in);
		x->state = (enum run_state)(f % RUN_NSTATES);
		x->logical_date = f & 0x80 ? TIME_NONE :
		    (int64_t)(take(in) % 8) * 86400;
		x->start_date = f & 0x40 ? TIME_NONE : (int64_t)take(in) * 60;
		x->end_date = f & 0x20 ? TIME_NONE : (int64_t)take(in) * 60;
	} else if (op == 2) {
		struct cmp_shape *x;

		s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
		x = &s->v[s->n++];
		memset(x, 0, sizeof *x);
		x->dag_id = id(in);
		x->tasks = ids(in, &x->ntasks);
		x->edges = ids(in, &x->nedges);
		x->unknown = take(in) & 1;
		cmp_shape_finish(x);
	} else {
		struct cmp_task *x;

		t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
		x = &t->v[t->n++];
		x->dag_id = id(in);
		x->task_id = id(in);
		x->n = take(in) % 8;
		x->failed = take(in) % 8;
		x->median = (double)take(in) - 8;
		x->p90 = (double)take(in) - 8;
	}
}

static int
task_cmp(const void *a, const void *b)
{
	const struct cmp_task *x = a, *y = b;
	int c = strcmp(x->dag_id, y->dag_id);

	return c != 0 ? c : strcmp(x->task_id, y->task_id);
}

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in		 in = { data, size };
	struct af_dags		 d[2];
	struct af_runs		 r[2];
	struct cmp_shapes	 s[2];
	struct cmp_tasks	 t[2];
	struct cmp_side		 side[2];
	struct cmp_options	 o;
	struct cmp_result	 res;
	size_t			 i, w;

	memset(d, 0, sizeof d);
	memset(r, 0, sizeof r);
	memset(s, 0, sizeof s);
	memset(t, 0, sizeof t);
	memset(side, 0, sizeof side);
	while (in.n > 0) {
		w = take(&in) & 1;
		one(&in, &d[w], &r[w], &s[w], &t[w]);
	}
	for (w = 0; w < 2; w++) {
		/* The sources' promises: shapes and tasks sorted. */
		cmp_shapes_sort(&s[w]);
		if (t[w].n > 0)
			qsort(t[w].v, t[w].n, sizeof *t[w].v, task_cmp);
		side[w].dags = &d[w];
		side[w].runs = &r[w];
		side[w].shapes = &s[w];
		side[w].tasks = &t[w];
	}
	cmp_options_default(&o, 0, 8 * 86400);
	o.min_runs = size % 3;
	o.top_tasks = size % 5;
	compare_build(&res, &side[0], &side[1], &o);
	for (i = 1; i < res.nfindings; i++)
		if (res.findings[i].severity > res.findings[i - 1].severity)
			abort();
	cmp_result_free(&res);
	for (w = 0; w < 2; w++) {
		af_dags_free(&d[w]);
		af_runs_free(&r[w]);
		cmp_shapes_free(&s[w]);
		cmp_tasks_free(&t[w]);
	}
	return 0;
}
