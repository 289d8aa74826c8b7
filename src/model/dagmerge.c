/*
 * dagmerge.c: merging the DAGs read since a refresh into that refresh's
 * list (dagmerge.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dagmerge.h"

static void
dag_copy(struct af_dag *to, const struct af_dag *d)
{
	*to = *d;
	to->dag_id = xstrdup(d->dag_id);
	to->owners = dup_or_null(d->owners);
	to->schedule = dup_or_null(d->schedule);
	to->timetable_description = dup_or_null(d->timetable_description);
	to->fileloc = dup_or_null(d->fileloc);
}

static int
cmp_dag_ptr(const void *a, const void *b)
{
	const struct af_dag *x = *(const struct af_dag *const *)a;
	const struct af_dag *y = *(const struct af_dag *const *)b;

	return strcmp(x->dag_id, y->dag_id);
}

/*
 * prev's DAGs by dag_id, bytewise, for lookups (prev is in the database's
 * order); each fresh DAG found takes the place of prev's at the same
 * index of *out.
 */
bool
dag_merge(const struct af_dags *prev, struct af_dags *fresh,
    struct af_dags *out)
{
	const struct af_dag	**by_id;
	struct af_dag		 *taken;
	size_t			  i;

	memset(out, 0, sizeof *out);
	by_id = xcalloc(prev->n + 1, sizeof *by_id);
	for (i = 0; i < prev->n; i++)
		by_id[i] = &prev->v[i];
	if (prev->n > 1)
		qsort(by_id, prev->n, sizeof *by_id, cmp_dag_ptr);
	taken = xcalloc(prev->n + 1, sizeof *taken);
	for (i = 0; i < fresh->n; i++) {
		const struct af_dag	*key = &fresh->v[i], **hit;
		size_t			 at;

		hit = prev->n == 0 ? NULL : bsearch(&key, by_id, prev->n,
		    sizeof *by_id, cmp_dag_ptr);
		if (hit == NULL) {
			for (at = 0; at < prev->n; at++)
				af_dag_clear(&taken[at]);
			free(taken);
			free(by_id);
			return false;
		}
		at = (size_t)(*hit - prev->v);
		af_dag_clear(&taken[at]);	/* a DAG twice: the last */
		taken[at] = fresh->v[i];
		memset(&fresh->v[i], 0, sizeof fresh->v[i]);
	}
	af_dags_free(fresh);
	out->v = xcalloc(prev->n + 1, sizeof *out->v);
	for (i = 0; i < prev->n; i++) {
		if (taken[i].dag_id != NULL)
			out->v[i] = taken[i];
		else
			dag_copy(&out->v[i], &prev->v[i]);
	}
	out->n = prev->n;
	out->mark = prev->mark;
	free(taken);
	free(by_id);
	return true;
}
