/* graph.c: the task graph of one DAG. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

struct pending_edge {
	char	*from;
	char	*to;
};

/* Edges wait here until graph_finish() resolves them. */
struct graph_edges {
	struct pending_edge	*v;
	size_t			 n;
	size_t			 cap;
};

/*
 * Task ids seen so far, for the duplicate check of graph_add_task: open
 * addressing, index + 1 per slot (0 is empty).  A linear scan made a
 * document of a million tasks take hours.
 */
struct graph_ids {
	size_t			*slot;
	size_t			 n;	/* a power of two, or 0 */
};

struct graph_private {
	struct graph		pub;
	struct graph_edges	edges;
	struct graph_ids	ids;
};

/* The slot of task_id: where it is, or the empty one where it would go. */
static size_t *
id_slot(const struct graph *g, const struct graph_ids *ids,
    const char *task_id)
{
	size_t	i = (size_t)str_hash(task_id) & (ids->n - 1);

	while (ids->slot[i] != 0 &&
	    strcmp(g->tasks[ids->slot[i] - 1].task_id, task_id) != 0)
		i = (i + 1) & (ids->n - 1);
	return &ids->slot[i];
}

/* Room for one more id: at most half full. */
static void
id_grow(const struct graph *g, struct graph_ids *ids)
{
	size_t	i;

	if (ids->n != 0 && g->ntasks + 1 <= ids->n / 2)
		return;
	free(ids->slot);
	ids->n = ids->n != 0 ? ids->n * 2 : 64;
	ids->slot = xcalloc(ids->n, sizeof *ids->slot);
	for (i = 0; i < g->ntasks; i++)
		*id_slot(g, ids, g->tasks[i].task_id) = i + 1;
}

struct graph *
graph_new(void)
{
	struct graph_private *gp = xcalloc(1, sizeof *gp);

	return &gp->pub;
}

void
graph_free(struct graph *g)
{
	struct graph_private	*gp = (struct graph_private *)g;
	size_t			 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ntasks; i++) {
		free(g->tasks[i].task_id);
		free(g->tasks[i].task_type);
		free(g->tasks[i].down);
	}
	for (i = 0; i < gp->edges.n; i++) {
		free(gp->edges.v[i].from);
		free(gp->edges.v[i].to);
	}
	free(gp->edges.v);
	free(gp->ids.slot);
	free(g->tasks);
	free(g->order);
	free(g->sorted);
	buf_free(&g->warnings);
	free(gp);
}

size_t
graph_add_task(struct graph *g, const char *task_id, const char *task_type,
    bool mapped, int retries)
{
	struct graph_ids	*ids = &((struct graph_private *)g)->ids;
	struct graph_task	*t;
	size_t			*slot;

	id_grow(g, ids);
	slot = id_slot(g, ids, task_id);
	if (*slot != 0) {
		buf_printf(&g->warnings, "duplicate task id %s\n", task_id);
		return *slot - 1;
	}
	if ((g->ntasks & (g->ntasks - 1)) == 0)
		g->tasks = xreallocarray(g->tasks, g->ntasks ? g->ntasks * 2 : 1,
		    sizeof *g->tasks);
	t = &g->tasks[g->ntasks];
	memset(t, 0, sizeof *t);
	t->task_id = xstrdup(task_id);
	t->task_type = task_type != NULL ? xstrdup(task_type) : NULL;
	t->mapped = mapped;
	t->retries = retries;
	*slot = g->ntasks + 1;
	return g->ntasks++;
}

void
graph_add_edge(struct graph *g, const char *from, const char *to)
{
	struct graph_edges *e = &((struct graph_private *)g)->edges;

	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
	}
	e->v[e->n].from = xstrdup(from);
	e->v[e->n].to = xstrdup(to);
	e->n++;
}

static const struct graph *sort_graph;	/* qsort has no context argument */

static int
cmp_task_id(const void *a, const void *b)
{
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;

	return strcmp(sort_graph->tasks[ia].task_id,
	    sort_graph->tasks[ib].task_id);
}

size_t
graph_find(const struct graph *g, const char *task_id)
{
	size_t lo = 0, hi = g->ntasks, mid;
	int c;

	if (g->sorted == NULL) {
		for (lo = 0; lo < g->ntasks; lo++)
			if (strcmp(g->tasks[lo].task_id, task_id) == 0)
				return lo;
		return (size_t)-1;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(g->tasks[g->sorted[mid]].task_id, task_id);
		if (c == 0)
			return g->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (size_t)-1;
}

static void
add_down(struct graph_task *t, size_t to)
{
	if ((t->ndown & (t->ndown - 1)) == 0)
		t->down = xreallocarray(t->down, t->ndown ? t->ndown * 2 : 1,
		    sizeof *t->down);
	t->down[t->ndown++] = to;
}

/*
 * The same edge given twice counts once: keeps the first of each in every
 * task's down[], in one pass over all edges (a check on every insertion
 * made a task with a million downstream ids quadratic).
 */
static void
drop_duplicate_edges(struct graph *g)
{
	size_t	*seen, i, k, n;

	seen = xcalloc(g->ntasks, sizeof *seen);
	for (i = 0; i < g->ntasks; i++) {
		struct graph_task *t = &g->tasks[i];

		for (k = n = 0; k < t->ndown; k++) {
			if (seen[t->down[k]] == i + 1)
				continue;
			seen[t->down[k]] = i + 1;
			t->down[n++] = t->down[k];
		}
		t->ndown = n;
	}
	free(seen);
}

/*
 * Marks the tasks on a cycle, those that reach themselves: the members of
 * a strongly connected component of two or more (self-edges never get
 * here).  Tarjan's algorithm with explicit stacks, linear in tasks and
 * edges, where a walk from every unplaced task was quadratic.
 */
static void
mark_cycles(const struct graph *g, bool *on_cycle)
{
	size_t	 n = g->ntasks, *index, *low, *stack, *call, *edge;
	size_t	 sp = 0, cp = 0, next = 1, i, v, w, start;
	bool	*on_stack, cyclic;

	index = xcalloc(n, sizeof *index);	/* 0: not visited yet */
	low = xcalloc(n, sizeof *low);
	edge = xcalloc(n, sizeof *edge);
	on_stack = xcalloc(n, sizeof *on_stack);
	stack = xreallocarray(NULL, n, sizeof *stack);
	call = xreallocarray(NULL, n, sizeof *call);
	for (i = 0; i < n; i++) {
		if (index[i] != 0)
			continue;
		index[i] = low[i] = next++;
		stack[sp++] = i;
		on_stack[i] = true;
		call[cp++] = i;
		while (cp > 0) {
			v = call[cp - 1];
			if (edge[v] < g->tasks[v].ndown) {
				w = g->tasks[v].down[edge[v]++];
				if (index[w] == 0) {
					index[w] = low[w] = next++;
					stack[sp++] = w;
					on_stack[w] = true;
					call[cp++] = w;
				} else if (on_stack[w] && index[w] < low[v])
					low[v] = index[w];
				continue;
			}
			cp--;
			if (cp > 0 && low[v] < low[call[cp - 1]])
				low[call[cp - 1]] = low[v];
			if (low[v] != index[v])
				continue;
			/* v roots a component: the stack down to v. */
			start = sp;
			while (stack[start - 1] != v)
				start--;
			start--;
			cyclic = sp - start > 1;
			while (sp > start) {
				w = stack[--sp];
				on_stack[w] = false;
				on_cycle[w] = cyclic;
			}
		}
	}
	free(index);
	free(low);
	free(edge);
	free(on_stack);
	free(stack);
	free(call);
}

void
graph_finish(struct graph *g)
{
	struct graph_edges	*e = &((struct graph_private *)g)->edges;
	size_t			 i, j, k, head, tail, *indeg, from, to, ncycle;
	bool			*on_cycle;

	if (g->finished)
		return;
	g->finished = true;

	g->sorted = xreallocarray(NULL, g->ntasks, sizeof *g->sorted);
	for (i = 0; i < g->ntasks; i++)
		g->sorted[i] = i;
	sort_graph = g;
	qsort(g->sorted, g->ntasks, sizeof *g->sorted, cmp_task_id);
	sort_graph = NULL;

	for (i = 0; i < e->n; i++) {
		from = graph_find(g, e->v[i].from);
		to = graph_find(g, e->v[i].to);
		if (from == (size_t)-1 || to == (size_t)-1) {
			buf_printf(&g->warnings,
			    "edge %s -> %s names an unknown task\n",
			    e->v[i].from, e->v[i].to);
		} else if (from == to) {
			buf_printf(&g->warnings, "task %s depends on itself\n",
			    e->v[i].from);
		} else
			add_down(&g->tasks[from], to);
		free(e->v[i].from);
		free(e->v[i].to);
	}
	free(e->v);
	memset(e, 0, sizeof *e);
	drop_duplicate_edges(g);

	indeg = xcalloc(g->ntasks, sizeof *indeg);
	for (i = 0; i < g->ntasks; i++) {
		for (j = 0; j < g->tasks[i].ndown; j++)
			indeg[g->tasks[i].down[j]]++;
		g->tasks[i].depth = -1;
	}
	for (i = 0; i < g->ntasks; i++)
		g->tasks[i].nup = indeg[i];

	/*
	 * Kahn's algorithm with the queue kept in g->order itself.  Roots go
	 * in insertion order; a task is appended when its last upstream is
	 * placed, so the order stays stable for the same input.
	 */
	g->order = xreallocarray(NULL, g->ntasks, sizeof *g->order);
	tail = 0;
	for (i = 0; i < g->ntasks; i++) {
		if (indeg[i] == 0) {
			g->order[tail++] = i;
			g->tasks[i].depth = 0;
		}
	}
	for (head = 0; head < tail; head++) {
		struct graph_task *t = &g->tasks[g->order[head]];

		for (k = 0; k < t->ndown; k++) {
			j = t->down[k];
			if (g->tasks[j].depth < t->depth + 1)
				g->tasks[j].depth = t->depth + 1;
			if (--indeg[j] == 0)
				g->order[tail++] = j;
		}
	}
	/*
	 * What Kahn's algorithm could not place is on a cycle or downstream
	 * of one; all of it goes last, without a depth.  Only the tasks on a
	 * cycle (those that reach themselves) are named in the warning.
	 */
	ncycle = 0;
	on_cycle = NULL;
	if (tail < g->ntasks) {
		on_cycle = xcalloc(g->ntasks, sizeof *on_cycle);
		mark_cycles(g, on_cycle);
	}
	for (i = 0; i < g->ntasks; i++) {
		if (indeg[i] == 0)
			continue;
		g->tasks[i].depth = -1;
		g->order[tail++] = i;
		if (!on_cycle[i])
			continue;
		if (ncycle++ == 0)
			buf_puts(&g->warnings, "cycle through tasks:");
		buf_printf(&g->warnings, " %s", g->tasks[i].task_id);
	}
	if (ncycle > 0)
		buf_putc(&g->warnings, '\n');
	free(on_cycle);
	free(indeg);
}

size_t
graph_downstream(const struct graph *g, size_t start, bool *mark)
{
	size_t	*stack, n = 0, added = 0, i, k;

	if (start >= g->ntasks)
		return 0;
	stack = xreallocarray(NULL, g->ntasks + 1, sizeof *stack);
	if (!mark[start]) {
		mark[start] = true;
		added++;
	}
	stack[n++] = start;
	while (n > 0) {
		i = stack[--n];
		for (k = 0; k < g->tasks[i].ndown; k++) {
			size_t j = g->tasks[i].down[k];

			if (!mark[j]) {
				mark[j] = true;
				added++;
				stack[n++] = j;	/* each task is pushed once */
			}
		}
	}
	free(stack);
	return added;
}
