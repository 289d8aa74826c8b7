/*
 * depgraph_cycle.c: the cycles across DAGs, found once when the graph is
 * built (Tarjan's strongly connected components, iterative so that a long
 * chain cannot exhaust the stack), each named once in the warnings; the
 * impact names again those it meets.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"

/* A cycle names this many DAGs at most, then how many more. */
#define CYCLE_NAMES	8

void
dg_cycle_text(const struct depgraph *g, size_t scc, struct buf *b)
{
	size_t	i, n = 0;

	buf_puts(b, "cycle across DAGs:");
	for (i = 0; i < g->ndags; i++)
		if (g->dags[i].scc == scc && n++ < CYCLE_NAMES)
			buf_printf(b, "%s %s", n > 1 ? "," : "",
			    g->dags[i].dag_id);
	if (n > CYCLE_NAMES)
		buf_printf(b, " and %zu more", n - CYCLE_NAMES);
}

/* The DAGs d feeds: consumers of what it writes, its sensors, triggers. */
static void
dag_successors(const struct depgraph *g, size_t d, struct dg_list *out)
{
	const struct dg_dag	*dag = &g->dags[d];
	const struct dg_outlet	*o;
	const struct dg_asset	*a;
	const struct dg_list	*c;
	size_t			 i, j, k;

	out->n = 0;
	for (i = 0; i < dag->outs.n; i++) {
		o = &g->outlets[dag->outs.v[i]];
		if (o->alias) {
			c = &g->aliases[o->target].cons;
			for (j = 0; j < c->n; j++)
				dg_push(out, c->v[j]);
			continue;
		}
		a = &g->assets[o->target];
		for (j = 0; j < a->cons.n; j++)
			dg_push(out, a->cons.v[j]);
		for (k = 0; k < a->aliases.n; k++) {
			c = &g->aliases[a->aliases.v[k]].cons;
			for (j = 0; j < c->n; j++)
				dg_push(out, c->v[j]);
		}
	}
	for (i = 0; i < dag->links_out.n; i++)
		dg_push(out, g->links[dag->links_out.v[i]].target);
}

/*
 * Tarjan's strongly connected components over the DAG-to-DAG edges, with
 * an explicit stack; a component of two DAGs or more, or a DAG that feeds
 * itself, is a cycle and is named once in the warnings.
 */
void
dg_find_cycles(struct depgraph *g)
{
	struct dg_list	*succ, stack = { NULL, 0 }, call = { NULL, 0 };
	size_t		*index, *low, *pos, counter = 1, v, w, r, i, m;
	bool		*on, self;

	succ = xcalloc(g->ndags + 1, sizeof *succ);
	index = xcalloc(g->ndags + 1, sizeof *index);
	low = xcalloc(g->ndags + 1, sizeof *low);
	pos = xcalloc(g->ndags + 1, sizeof *pos);
	on = xcalloc(g->ndags + 1, sizeof *on);
	g->scc_cyclic = xcalloc(g->ndags + 1, sizeof *g->scc_cyclic);
	for (v = 0; v < g->ndags; v++)
		dag_successors(g, v, &succ[v]);
	for (r = 0; r < g->ndags; r++) {
		if (index[r] != 0)
			continue;
		dg_push(&call, r);
		index[r] = low[r] = counter++;
		dg_push(&stack, r);
		on[r] = true;
		while (call.n > 0) {
			v = call.v[call.n - 1];
			if (pos[v] < succ[v].n) {
				w = succ[v].v[pos[v]++];
				if (index[w] == 0) {
					index[w] = low[w] = counter++;
					dg_push(&stack, w);
					on[w] = true;
					dg_push(&call, w);
				} else if (on[w] && index[w] < low[v])
					low[v] = index[w];
				continue;
			}
			call.n--;
			if (call.n > 0 && low[v] < low[call.v[call.n - 1]])
				low[call.v[call.n - 1]] = low[v];
			if (low[v] != index[v])
				continue;
			self = false;
			for (i = 0; i < succ[v].n; i++)
				if (succ[v].v[i] == v)
					self = true;
			m = 0;
			do {
				w = stack.v[--stack.n];
				on[w] = false;
				g->dags[w].scc = g->nsccs;
				m++;
			} while (w != v);
			if (m > 1 || self) {
				g->scc_cyclic[g->nsccs] = true;
				dg_cycle_text(g, g->nsccs, &g->warnings);
				buf_putc(&g->warnings, '\n');
			}
			g->nsccs++;
		}
	}
	for (v = 0; v < g->ndags; v++)
		dg_list_free(&succ[v]);
	free(succ);
	free(index);
	free(low);
	free(pos);
	free(on);
	dg_list_free(&stack);
	dg_list_free(&call);
}
