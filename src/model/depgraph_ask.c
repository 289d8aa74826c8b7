/*
 * depgraph_ask.c: what a walk needs read (struct dep_ask), for the
 * sources' fetch_dep_state, and the state they read (struct dep_state).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"

/* Asset a, once, into what to read. */
static void
add_asset(const struct depgraph *g, size_t a, bool *seen, struct dep_ask *o)
{
	if (seen[a])
		return;
	seen[a] = true;
	o->asset_ids[o->nassets] = g->assets[a].id;
	o->asset_uris[o->nassets++] = g->assets[a].uri;
}

/* The DAGs that write prod, met first at this depth, into the queue. */
static void
add_producers(const struct depgraph *g, const struct dg_list *prod,
    int depth, int *dd, struct dg_list *queue)
{
	size_t	i, p;

	for (i = 0; i < prod->n; i++) {
		p = g->outlets[prod->v[i]].dag;
		if (dd[p] < 0) {
			dd[p] = depth;
			dg_push(queue, p);
		}
	}
}

/*
 * Breadth first over DAGs, so each is met at its shortest distance and
 * max_depth bounds the read: the assets of the conditions of the DAGs
 * nearer than max_depth (an alias: what it resolved to), and the DAGs
 * that write them, sense or trigger.
 */
void
dep_upstream_ask(const struct depgraph *g, const char *dag_id, int max_depth,
    struct dep_ask *out)
{
	struct dg_list		 queue = { NULL, 0 };
	const struct dg_dag	*d;
	const struct dg_x	*x;
	const struct dg_alias	*al;
	bool			*seen;
	int			*dd;
	size_t			 root, i, j, k, head;

	memset(out, 0, sizeof *out);
	root = dg_find_dag(g, dag_id);
	out->consumer = root != DG_NONE ? g->dags[root].dag_id : dag_id;
	out->dag_ids = xcalloc(g->ndags + 1, sizeof *out->dag_ids);
	out->asset_ids = xcalloc(g->nassets + 1, sizeof *out->asset_ids);
	out->asset_uris = xcalloc(g->nassets + 1, sizeof *out->asset_uris);
	if (root == DG_NONE) {
		out->dag_ids[out->ndags++] = dag_id;
		return;
	}
	seen = xcalloc(g->nassets + 1, sizeof *seen);
	dd = xcalloc(g->ndags + 1, sizeof *dd);
	for (i = 0; i < g->ndags; i++)
		dd[i] = -1;
	dd[root] = 0;
	dg_push(&queue, root);
	for (head = 0; head < queue.n; head++) {
		d = &g->dags[queue.v[head]];
		out->dag_ids[out->ndags++] = d->dag_id;
		if (dd[queue.v[head]] >= max_depth)
			continue;
		for (j = 0; j < d->nx; j++) {
			x = &d->x[j];
			if (x->kind == DGX_ASSET) {
				const struct dg_list *al2 =
				    &g->assets[x->target].aliases;

				add_asset(g, x->target, seen, out);
				add_producers(g, &g->assets[x->target].prod,
				    dd[queue.v[head]] + 1, dd, &queue);
				for (k = 0; k < al2->n; k++)
					add_producers(g, &g->aliases[
					    al2->v[k]].prod,
					    dd[queue.v[head]] + 1, dd, &queue);
			} else if (x->kind == DGX_ALIAS) {
				al = &g->aliases[x->target];
				add_producers(g, &al->prod,
				    dd[queue.v[head]] + 1, dd, &queue);
				for (k = 0; k < al->assets.n; k++) {
					add_asset(g, al->assets.v[k], seen,
					    out);
					add_producers(g, &g->assets[
					    al->assets.v[k]].prod,
					    dd[queue.v[head]] + 1, dd, &queue);
				}
			}
		}
		for (j = 0; j < d->links_in.n; j++) {
			k = g->links[d->links_in.v[j]].source;
			if (dd[k] < 0) {
				dd[k] = dd[queue.v[head]] + 1;
				dg_push(&queue, k);
			}
		}
	}
	qsort(out->dag_ids, out->ndags, sizeof *out->dag_ids, dg_str_cmp);
	free(seen);
	free(dd);
	dg_list_free(&queue);
}

void
dep_impact_ask(const struct dep_impact *im, struct dep_ask *out)
{
	size_t	i, n = 0;

	memset(out, 0, sizeof *out);
	out->dag_ids = xcalloc(im->nitems + 1, sizeof *out->dag_ids);
	for (i = 0; i < im->nitems; i++)
		if (i == 0 || im->items[i].kind == DEP_NODE_DAG)
			out->dag_ids[n++] = im->items[i].dag_id;
	qsort(out->dag_ids, n, sizeof *out->dag_ids, dg_str_cmp);
	for (i = 0; i < n; i++)
		if (out->ndags == 0 || strcmp(out->dag_ids[out->ndags - 1],
		    out->dag_ids[i]) != 0)
			out->dag_ids[out->ndags++] = out->dag_ids[i];
}

void
dep_ask_free(struct dep_ask *a)
{
	free(a->dag_ids);
	free(a->asset_ids);
	free(a->asset_uris);
	memset(a, 0, sizeof *a);
}

/* The state of a DAG, by binary search (st->dags is sorted); NULL if none. */
const struct dep_dag_state *
dep_state_dag(const struct dep_state *st, const char *dag_id)
{
	size_t	i;

	if (st == NULL || dag_id == NULL)
		return NULL;
	i = dg_bsearch_id(st->dags, st->ndags, sizeof *st->dags, dag_id);
	return i == DG_NONE ? NULL : &st->dags[i];
}

void
dep_state_free(struct dep_state *st)
{
	size_t	i;

	for (i = 0; i < st->ndags; i++) {
		free(st->dags[i].dag_id);
		free(st->dags[i].run_id);
		free(st->dags[i].bad_task);
	}
	for (i = 0; i < st->nassets; i++) {
		free(st->assets[i].uri);
		free(st->assets[i].source_dag);
		free(st->assets[i].source_task);
		free(st->assets[i].source_run);
	}
	for (i = 0; i < st->nqueued; i++)
		if (st->queued_uri != NULL)
			free(st->queued_uri[i]);
	free(st->dags);
	free(st->assets);
	free(st->queued_for);
	free(st->queued);
	free(st->queued_uri);
	memset(st, 0, sizeof *st);
}
