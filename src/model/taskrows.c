/* taskrows.c: task instances in graph order, mapped tasks folded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taskrows.h"

/*
 * The state a folded mapped task shows: the one that needs a human most,
 * then the one still moving, then the finished ones.  An unfolded row simply
 * has its instance's state.
 */
static const enum ti_state fold_rank[] = {
	TI_FAILED, TI_UPSTREAM_FAILED, TI_UP_FOR_RETRY, TI_RUNNING,
	TI_RESTARTING, TI_DEFERRED, TI_UP_FOR_RESCHEDULE, TI_QUEUED,
	TI_SCHEDULED, TI_NONE, TI_UNKNOWN, TI_SHUTDOWN, TI_SKIPPED,
	TI_REMOVED, TI_SUCCESS,
};

static enum ti_state
fold_state(const struct task_row *r)
{
	size_t i;

	for (i = 0; i < sizeof fold_rank / sizeof *fold_rank; i++)
		if (r->counts[fold_rank[i]] > 0)
			return fold_rank[i];
	return TI_NONE;
}

static struct task_row *
push(struct task_rows *rows)
{
	if ((rows->n & (rows->n - 1)) == 0)
		rows->v = xreallocarray(rows->v, rows->n ? rows->n * 2 : 1,
		    sizeof *rows->v);
	memset(&rows->v[rows->n], 0, sizeof rows->v[rows->n]);
	return &rows->v[rows->n++];
}

/* One row for the run of instances tis->v[i..j) sharing a task_id. */
static void
add_row(struct task_rows *rows, const struct af_tis *tis, size_t i, size_t j,
    int depth, bool in_graph, bool mapped)
{
	struct task_row	*r = push(rows);
	size_t		 k;

	r->ti = &tis->v[i];
	r->nti = j - i;
	r->depth = depth;
	r->in_graph = in_graph;
	r->mapped = mapped || r->nti > 1 || tis->v[i].map_index >= 0;
	for (k = i; k < j; k++)
		r->counts[tis->v[k].state]++;
	r->state = r->nti == 1 ? tis->v[i].state : fold_state(r);
}

void
task_rows_build(struct task_rows *rows, const struct graph *g,
    const struct af_tis *tis)
{
	size_t	*start, *end, i, j, k, t;
	bool	*used;

	memset(rows, 0, sizeof *rows);
	rows->ordered = g != NULL;
	if (tis->n == 0)
		return;
	if (g == NULL) {
		for (i = 0; i < tis->n; i = j) {
			for (j = i + 1; j < tis->n &&
			    strcmp(tis->v[j].task_id, tis->v[i].task_id) == 0; j++)
				;
			add_row(rows, tis, i, j, 0, false, false);
		}
		return;
	}
	/* Where each graph task's instances are in tis. */
	start = xcalloc(g->ntasks + 1, sizeof *start);
	end = xcalloc(g->ntasks + 1, sizeof *end);
	used = xcalloc(tis->n, sizeof *used);
	for (i = 0; i < tis->n; i = j) {
		for (j = i + 1; j < tis->n &&
		    strcmp(tis->v[j].task_id, tis->v[i].task_id) == 0; j++)
			;
		t = graph_find(g, tis->v[i].task_id);
		if (t != (size_t)-1) {
			start[t] = i;
			end[t] = j;
		}
	}
	for (k = 0; k < g->ntasks; k++) {
		t = g->order[k];
		if (end[t] == start[t])
			continue;	/* no instance (not created yet) */
		add_row(rows, tis, start[t], end[t], g->tasks[t].depth < 0 ?
		    0 : g->tasks[t].depth, true, g->tasks[t].mapped);
		for (i = start[t]; i < end[t]; i++)
			used[i] = true;
	}
	/* Instances of tasks the graph does not know go last, as they are. */
	for (i = 0; i < tis->n; i = j) {
		for (j = i + 1; j < tis->n &&
		    strcmp(tis->v[j].task_id, tis->v[i].task_id) == 0; j++)
			;
		if (!used[i])
			add_row(rows, tis, i, j, 0, false, false);
	}
	free(start);
	free(end);
	free(used);
}

void
task_rows_free(struct task_rows *rows)
{
	free(rows->v);
	memset(rows, 0, sizeof *rows);
}

void
ti_try_text(char *out, size_t size, int try_number, int max_tries)
{
	int most = max_tries + 1;

	if (try_number < 0)
		try_number = 0;
	if (most < try_number)
		most = try_number;
	snprintf(out, size, "%d of %d", try_number, most);
}
