/*
 * depgraph_impact.c: downstream, what a failure holds back (depgraph.h).
 *
 * Two passes.  The first decides what is held back: a least fixpoint of a
 * monotone propagation from the failed task (a node only ever goes from
 * "runs" to "held back", each change queues the nodes that read it), so it
 * ends on any graph, cycles included, after at most one change per node.
 * The second lays what is held back out as a tree: breadth first from the
 * failure, each node once under the first parent met, then depth first
 * for drawing.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"
#include "tz.h"
#include "timefmt.h"

/* The rerun modal's line fits an 80-column modal inside its border. */
#define DEP_LINE_MAX	78

struct walk {
	const struct depgraph	*g;
	size_t			 root;		/* DAG index or DG_NONE */
	const char		*dag_id, *task_id;
	const struct graph	*tg;
	size_t			 t0;		/* failed task in tg */
	bool			*tmark;		/* held tasks of tg */
	bool			*dheld, *dcond, *aheld, *lheld;
	struct dg_list		 queue;		/* node ids (see node_id) */
};

/* One node of the tree before it is laid out. */
struct ent {
	enum dep_node_kind	 kind;
	size_t			 idx;		/* tg task, DAG, asset, alias */
	size_t			 parent;
	enum dep_via		 via;
	const char		*task_id;
	size_t			 owner;		/* DAG it belongs to */
	int			 depth;
	bool			 other;		/* other_producer */
};

struct tree {
	struct ent	*v;
	size_t		 n;
	bool		*tin, *din, *ain, *lin;
	bool		*scc_told;
};

/* ----------------------------------------------------------------------
 * What is held back.
 */

/* Whether task `name` of the failed DAG is held back (NULL: DAG level). */
static bool
task_held(const struct walk *w, const char *name)
{
	size_t	i;

	if (w->tg != NULL && w->t0 != DG_NONE)
		return (i = graph_find(w->tg, name)) != DG_NONE && w->tmark[i];
	return strcmp(name, w->task_id) == 0;
}

/* Whether the failed DAG also names a task for this outlet's target. */
static bool
task_level_twin(const struct walk *w, const struct dg_outlet *o)
{
	const struct dg_list	*outs = &w->g->dags[w->root].outs;
	const struct dg_outlet	*x;
	size_t			 i;

	for (i = 0; i < outs->n; i++) {
		x = &w->g->outlets[outs->v[i]];
		if (x->task_id != NULL && x->alias == o->alias &&
		    x->target == o->target)
			return true;
	}
	return false;
}

/*
 * An outlet no longer writes: its task is held back in the failed DAG (a
 * DAG-level outlet of it counts, unless a task of it names the same
 * target), or its DAG is held back.
 */
static bool
outlet_held(const struct walk *w, const struct dg_outlet *o)
{
	if (o->dag == w->root)
		return o->task_id == NULL ? !task_level_twin(w, o) :
		    task_held(w, o->task_id);
	return w->dheld[o->dag];
}

/*
 * Every producer is held back or dead (an inactive DAG), and one at least
 * is held back by this failure.
 */
static bool
producers_held(const struct walk *w, const struct dg_list *prod, bool *some)
{
	const struct dg_outlet	*o;
	size_t			 i;

	for (i = 0; i < prod->n; i++) {
		o = &w->g->outlets[prod->v[i]];
		if (outlet_held(w, o))
			*some = true;
		else if (o->dag == w->root || w->g->dags[o->dag].active)
			return false;
	}
	return true;
}

static bool
link_held(const struct walk *w, const struct dg_link *l)
{
	if (l->source == w->root)
		return l->kind == DEP_SENSOR || l->task_id == NULL ||
		    task_held(w, l->task_id);
	return w->dheld[l->source];
}

static bool
eval_dag(struct walk *w, size_t d)
{
	const struct dg_dag	*dag = &w->g->dags[d];
	size_t			 i;

	if (d == w->root)
		return false;
	w->dcond[d] = dag->nx > 0 && dg_x_held(dag, 0, w->aheld, w->lheld);
	if (w->dcond[d])
		return true;
	for (i = 0; i < dag->links_in.n; i++)
		if (link_held(w, &w->g->links[dag->links_in.v[i]]))
			return true;
	return false;
}

static bool
eval_asset(struct walk *w, size_t a)
{
	const struct dg_asset	*as = &w->g->assets[a];
	bool			 some = false;

	return as->active && producers_held(w, &as->prod, &some) && some;
}

/* Any resolved asset or any producer of the alias still live: not held. */
static bool
eval_alias(struct walk *w, size_t l)
{
	const struct dg_alias	*al = &w->g->aliases[l];
	bool			 some = false;
	size_t			 i;

	if (!producers_held(w, &al->prod, &some))
		return false;
	for (i = 0; i < al->assets.n; i++) {
		if (!w->aheld[al->assets.v[i]])
			return false;
		some = true;
	}
	return some;
}

static void
enqueue_outlets(struct walk *w, const struct dg_dag *dag)
{
	const struct depgraph	*g = w->g;
	const struct dg_outlet	*o;
	size_t			 i;

	for (i = 0; i < dag->outs.n; i++) {
		o = &g->outlets[dag->outs.v[i]];
		dg_push(&w->queue, o->alias ? g->ndags + g->nassets +
		    o->target : g->ndags + o->target);
	}
	for (i = 0; i < dag->links_out.n; i++)
		dg_push(&w->queue, g->links[dag->links_out.v[i]].target);
}

/* Node ids: DAGs, then assets, then aliases. */
static void
fixpoint(struct walk *w)
{
	const struct depgraph	*g = w->g;
	const struct dg_list	*l;
	size_t			 n, i, base;

	if (w->root != DG_NONE)
		enqueue_outlets(w, &g->dags[w->root]);
	while (w->queue.n > 0) {
		n = w->queue.v[--w->queue.n];
		if (n < g->ndags) {
			if (w->dheld[n] || !eval_dag(w, n))
				continue;
			w->dheld[n] = true;
			enqueue_outlets(w, &g->dags[n]);
		} else if ((n -= g->ndags) < g->nassets) {
			if (w->aheld[n] || !eval_asset(w, n))
				continue;
			w->aheld[n] = true;
			l = &g->assets[n].cons;
			for (i = 0; i < l->n; i++)
				dg_push(&w->queue, l->v[i]);
			l = &g->assets[n].aliases;
			base = g->ndags + g->nassets;
			for (i = 0; i < l->n; i++)
				dg_push(&w->queue, base + l->v[i]);
		} else {
			n -= g->nassets;
			if (w->lheld[n] || !eval_alias(w, n))
				continue;
			w->lheld[n] = true;
			l = &g->aliases[n].cons;
			for (i = 0; i < l->n; i++)
				dg_push(&w->queue, l->v[i]);
		}
	}
}

/* ----------------------------------------------------------------------
 * The tree.
 */

static size_t
add_ent(struct tree *t, enum dep_node_kind kind, size_t idx, size_t parent,
    enum dep_via via, const char *task_id, size_t owner)
{
	struct ent	*e;

	if (t->n == 0 || (t->n >= 4 && (t->n & (t->n - 1)) == 0))
		t->v = xreallocarray(t->v, t->n == 0 ? 4 : t->n * 2,
		    sizeof *t->v);
	e = &t->v[t->n];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->idx = idx;
	e->parent = parent;
	e->via = via;
	e->task_id = task_id;
	e->owner = owner;
	e->depth = parent == DG_NONE ? 0 : t->v[parent].depth + 1;
	return t->n++;
}

/* A DAG met again: a cycle when it is in the same component as owner. */
static void
met_again(const struct walk *w, struct tree *t, size_t d, size_t owner,
    struct buf *warn)
{
	size_t	scc = w->g->dags[d].scc;

	if (owner == DG_NONE || scc != w->g->dags[owner].scc ||
	    !w->g->scc_cyclic[scc] || t->scc_told[scc])
		return;
	t->scc_told[scc] = true;
	dg_cycle_text(w->g, scc, warn);
	buf_putc(warn, '\n');
}

static void
reach_dag(const struct walk *w, struct tree *t, size_t d, size_t parent,
    enum dep_via via, const char *task, struct buf *warn)
{
	if (!w->dheld[d] && d != w->root)
		return;
	if (d == w->root || t->din[d]) {
		met_again(w, t, d, t->v[parent].owner, warn);
		return;
	}
	t->din[d] = true;
	add_ent(t, DEP_NODE_DAG, d, parent, via, task, d);
}

/* What an outlet writes: held back, or still fed by another producer. */
static void
reach_outlet(const struct walk *w, struct tree *t, const struct dg_outlet *o,
    size_t parent)
{
	bool	*in = o->alias ? t->lin : t->ain;
	bool	 held = o->alias ? w->lheld[o->target] : w->aheld[o->target];
	size_t	 e;

	if (in[o->target] || (!o->alias && !w->g->assets[o->target].active))
		return;
	in[o->target] = true;
	e = add_ent(t, o->alias ? DEP_NODE_ALIAS : DEP_NODE_ASSET, o->target,
	    parent, DEP_VIA_OUTLET, NULL, t->v[parent].owner);
	t->v[e].other = !held;
}

/* The children of entry e of the failed DAG's tasks. */
static void
expand_task(const struct walk *w, struct tree *t, size_t e, struct buf *warn)
{
	const struct depgraph	*g = w->g;
	const struct ent	 x = t->v[e];
	const char		*name = x.task_id;
	const struct dg_list	*l;
	const struct dg_outlet	*o;
	const struct dg_link	*k;
	size_t			 i, c;

	if (x.idx != DG_NONE)
		for (i = 0; i < w->tg->tasks[x.idx].ndown; i++) {
			c = w->tg->tasks[x.idx].down[i];
			if (!t->tin[c]) {
				t->tin[c] = true;
				add_ent(t, DEP_NODE_TASK, c, e, DEP_VIA_TASK,
				    w->tg->tasks[c].task_id, w->root);
			}
		}
	if (w->root == DG_NONE)
		return;
	l = &g->dags[w->root].outs;
	for (i = 0; i < l->n; i++) {
		o = &g->outlets[l->v[i]];
		if (o->task_id != NULL ? strcmp(o->task_id, name) == 0 :
		    e == 0 && outlet_held(w, o))
			reach_outlet(w, t, o, e);
	}
	l = &g->dags[w->root].links_out;
	for (i = 0; i < l->n; i++) {
		k = &g->links[l->v[i]];
		if (k->kind == DEP_SENSOR ? e == 0 : k->task_id == NULL ?
		    e == 0 : strcmp(k->task_id, name) == 0)
			reach_dag(w, t, k->target, e, k->kind == DEP_SENSOR ?
			    DEP_VIA_SENSOR : DEP_VIA_TRIGGER, k->task_id,
			    warn);
	}
}

static void
expand(const struct walk *w, struct tree *t, size_t e, struct buf *warn)
{
	const struct depgraph	*g = w->g;
	const struct ent	 x = t->v[e];
	const struct dg_list	*l;
	const struct dg_link	*k;
	size_t			 i, c;

	switch (x.kind) {
	case DEP_NODE_TASK:
		expand_task(w, t, e, warn);
		break;
	case DEP_NODE_DAG:
		l = &g->dags[x.idx].outs;
		for (i = 0; i < l->n; i++)
			reach_outlet(w, t, &g->outlets[l->v[i]], e);
		l = &g->dags[x.idx].links_out;
		for (i = 0; i < l->n; i++) {
			k = &g->links[l->v[i]];
			reach_dag(w, t, k->target, e, k->kind == DEP_SENSOR ?
			    DEP_VIA_SENSOR : DEP_VIA_TRIGGER, k->task_id,
			    warn);
		}
		break;
	case DEP_NODE_ASSET:
	case DEP_NODE_ALIAS:
		if (x.other)
			break;
		l = x.kind == DEP_NODE_ASSET ? &g->assets[x.idx].cons :
		    &g->aliases[x.idx].cons;
		for (i = 0; i < l->n; i++)
			if (l->v[i] == w->root || w->dcond[l->v[i]])
				reach_dag(w, t, l->v[i], e, DEP_VIA_SCHEDULE,
				    NULL, warn);
		if (x.kind == DEP_NODE_ALIAS)
			break;
		l = &g->assets[x.idx].aliases;
		for (i = 0; i < l->n; i++) {
			c = l->v[i];
			if (w->lheld[c] && !t->lin[c]) {
				t->lin[c] = true;
				add_ent(t, DEP_NODE_ALIAS, c, e, DEP_VIA_ALIAS,
				    NULL, x.owner);
			}
		}
		break;
	}
}

/* ----------------------------------------------------------------------
 * Items.
 */

/* paused, timed and next run of a DAG the facts do not know, from dags. */
static void
dag_from_list(const struct af_dags *dags, const char *id,
    struct dep_item *it, bool *timed)
{
	const struct af_dag	*a;
	const char		*s;
	size_t			 i;

	if (dags == NULL)
		return;
	for (i = 0; i < dags->n; i++) {
		a = &dags->v[i];
		if (a->dag_id == NULL || strcmp(a->dag_id, id) != 0)
			continue;
		it->paused = a->paused;
		it->inactive = !a->active;
		it->next_run_after = a->next_run_after;
		s = a->schedule;
		*timed = s != NULL && *s != '\0' && strcmp(s, "None") != 0 &&
		    strncmp(s, "Dataset", 7) != 0 &&
		    strncmp(s, "Asset", 5) != 0 &&
		    strncmp(s, "Triggered", 9) != 0;
		return;
	}
}

static void
fill_dag(const struct depgraph *g, const struct af_dags *dags, size_t d,
    struct dep_item *it)
{
	const struct dg_dag	*dag = &g->dags[d];
	bool			 timed = dag->timed, triggered = false;
	size_t			 i;

	it->dag_id = dag->dag_id;
	it->next_run_after = TIME_NONE;
	if (dag->known) {
		it->paused = dag->paused;
		it->inactive = !dag->active;
		it->next_run_after = dag->next_run_after;
	} else
		dag_from_list(dags, dag->dag_id, it, &timed);
	for (i = 0; i < dag->links_in.n; i++)
		if (g->links[dag->links_in.v[i]].kind == DEP_TRIGGER)
			triggered = true;
	it->not_on_time = it->paused || (!timed && dag->nx == 0 &&
	    !triggered);
}

/* The build's warnings about the DAGs of the tree (dangling references). */
static void
dangling_warnings(const struct walk *w, const struct tree *t,
    struct buf *warn)
{
	const char	*s = buf_str(&w->g->warnings), *nl, *end;
	char		*id;
	size_t		 d;

	for (; *s != '\0'; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		for (end = s; end < nl && *end != ' ' && *end != '\''; end++)
			;
		id = xstrndup(s, (size_t)(end - s));
		d = dg_find_dag(w->g, id);
		free(id);
		if (d != DG_NONE && (d == w->root || t->din[d]))
			buf_append(warn, s, (size_t)(nl - s) + 1);
	}
}

/*
 * Lays the breadth-first entries out depth first (a parent before its
 * children, children in the order met) into out->items, with the task ids
 * (and the failed DAG's id when the graph does not have it) copied after
 * the items in the same allocation, so the impact outlives tg.
 */
static void
lay_out(const struct walk *w, const struct tree *t,
    const struct af_dags *dags, struct dep_impact *out)
{
	size_t	*first, *kids, *stack, *fill, nstack = 0, strsz = 0, e, k;
	size_t	*item_of;
	char	*str;

	first = xcalloc(t->n + 1, sizeof *first);
	fill = xcalloc(t->n + 1, sizeof *fill);
	kids = xcalloc(t->n + 1, sizeof *kids);
	stack = xcalloc(t->n + 1, sizeof *stack);
	item_of = xcalloc(t->n + 1, sizeof *item_of);
	for (e = 1; e < t->n; e++)
		first[t->v[e].parent + 1]++;
	for (e = 0; e < t->n; e++)
		first[e + 1] += first[e];
	for (e = 1; e < t->n; e++)
		kids[first[t->v[e].parent] + fill[t->v[e].parent]++] = e;
	for (e = 0; e < t->n; e++)
		if (t->v[e].kind == DEP_NODE_TASK)
			strsz += strlen(t->v[e].task_id) + 1;
	if (w->root == DG_NONE)
		strsz += strlen(w->dag_id) + 1;
	out->items = xcalloc(1, t->n * sizeof *out->items + strsz);
	str = (char *)(out->items + t->n);
	if (w->root == DG_NONE) {
		memcpy(str, w->dag_id, strlen(w->dag_id) + 1);
		str += strlen(w->dag_id) + 1;
	}
	stack[nstack++] = 0;
	while (nstack > 0) {
		const struct ent	*x = &t->v[e = stack[--nstack]];
		struct dep_item		*it = &out->items[out->nitems];

		item_of[e] = out->nitems++;
		it->kind = x->kind;
		it->parent = x->parent == DG_NONE ? DG_NONE :
		    item_of[x->parent];
		it->via = x->via;
		it->depth = x->depth;
		it->task_id = x->task_id;
		it->next_run_after = TIME_NONE;
		switch (x->kind) {
		case DEP_NODE_TASK:
			it->dag_id = w->root != DG_NONE ?
			    w->g->dags[w->root].dag_id :
			    (const char *)(out->items + t->n);
			memcpy(str, x->task_id, strlen(x->task_id) + 1);
			it->task_id = str;
			str += strlen(x->task_id) + 1;
			out->ntasks += e != 0;
			break;
		case DEP_NODE_DAG:
			fill_dag(w->g, dags, x->idx, it);
			out->ndags += !it->inactive;
			break;
		case DEP_NODE_ASSET:
			it->asset = w->g->assets[x->idx].name;
			it->uri = w->g->assets[x->idx].uri;
			it->other_producer = x->other;
			out->nassets += !x->other;
			break;
		case DEP_NODE_ALIAS:
			it->asset = w->g->aliases[x->idx].name;
			it->other_producer = x->other;
			break;
		}
		for (k = first[e] + fill[e]; k > first[e]; k--)
			stack[nstack++] = kids[k - 1];
	}
	free(first);
	free(fill);
	free(kids);
	free(stack);
	free(item_of);
}

/* The DAG-level outlets of the failed DAG that decided an answer. */
static void
dag_level_warnings(const struct walk *w, struct buf *warn)
{
	const struct dg_list	*l;
	const struct dg_outlet	*o;
	size_t			 i;

	if (w->root == DG_NONE)
		return;
	l = &w->g->dags[w->root].outs;
	for (i = 0; i < l->n; i++) {
		o = &w->g->outlets[l->v[i]];
		if (o->task_id != NULL || !outlet_held(w, o) ||
		    !(o->alias ? w->lheld[o->target] : w->aheld[o->target]))
			continue;
		buf_printf(warn, "%s writes %s %s from a task its dependencies "
		    "do not name: taken as held back\n", w->dag_id,
		    o->alias ? "alias" : "asset", o->alias ?
		    w->g->aliases[o->target].name :
		    w->g->assets[o->target].name);
	}
}

int
dep_impact(const struct depgraph *g, const char *dag_id, const char *task_id,
    const struct graph *tg, const struct af_dags *dags, struct dep_impact *out)
{
	struct walk	w;
	struct tree	t;
	size_t		e;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	memset(&t, 0, sizeof t);
	w.g = g;
	w.dag_id = dag_id;
	w.task_id = task_id;
	w.tg = tg;
	w.root = dg_find_dag(g, dag_id);
	if (w.root == DG_NONE && tg == NULL)
		return -1;
	w.t0 = tg != NULL ? graph_find(tg, task_id) : DG_NONE;
	if (tg == NULL)
		buf_printf(&out->warnings, "the task graph of %s could not be "
		    "read: only %s's own outlets and the DAG's edges count\n",
		    dag_id, task_id);
	else if (w.t0 == DG_NONE)
		buf_printf(&out->warnings, "%s has no task %s in this "
		    "version: only its own outlets count\n", dag_id, task_id);
	if (tg != NULL) {
		w.tmark = xcalloc(tg->ntasks + 1, sizeof *w.tmark);
		if (w.t0 != DG_NONE)
			graph_downstream(tg, w.t0, w.tmark);
	}
	w.dheld = xcalloc(g->ndags + 1, sizeof *w.dheld);
	w.dcond = xcalloc(g->ndags + 1, sizeof *w.dcond);
	w.aheld = xcalloc(g->nassets + 1, sizeof *w.aheld);
	w.lheld = xcalloc(g->naliases + 1, sizeof *w.lheld);
	fixpoint(&w);

	t.tin = xcalloc((tg != NULL ? tg->ntasks : 0) + 1, sizeof *t.tin);
	t.din = xcalloc(g->ndags + 1, sizeof *t.din);
	t.ain = xcalloc(g->nassets + 1, sizeof *t.ain);
	t.lin = xcalloc(g->naliases + 1, sizeof *t.lin);
	t.scc_told = xcalloc(g->nsccs + 1, sizeof *t.scc_told);
	add_ent(&t, DEP_NODE_TASK, w.t0, DG_NONE, DEP_VIA_FAILURE,
	    w.t0 != DG_NONE ? tg->tasks[w.t0].task_id : task_id, w.root);
	if (w.t0 != DG_NONE)
		t.tin[w.t0] = true;
	for (e = 0; e < t.n; e++)
		expand(&w, &t, e, &out->warnings);
	lay_out(&w, &t, dags, out);
	dag_level_warnings(&w, &out->warnings);
	dangling_warnings(&w, &t, &out->warnings);

	free(t.v);
	free(t.tin);
	free(t.din);
	free(t.ain);
	free(t.lin);
	free(t.scc_told);
	free(w.tmark);
	free(w.dheld);
	free(w.dcond);
	free(w.aheld);
	free(w.lheld);
	dg_list_free(&w.queue);
	return 0;
}

/* ----------------------------------------------------------------------
 * SLAs and the line.
 */

static const struct dep_dag_state *
state_of(const struct dep_state *st, const char *dag_id)
{
	size_t	lo = 0, hi, mid;
	int	c;

	if (st == NULL || dag_id == NULL)
		return NULL;
	hi = st->ndags;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(dag_id, st->dags[mid].dag_id);
		if (c == 0)
			return &st->dags[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * The median durations along the chain from the failure to item i: every
 * DAG item on the way, and the failed DAG itself (its whole run: the rerun
 * runs the failed task and what follows it, which the run's median bounds
 * from above, and the median of a part of a run is not read).  -1 when one
 * is unknown.
 */
static int64_t
chain_of(const struct dep_impact *im, size_t i, const struct dep_state *st)
{
	const struct dep_dag_state	*s;
	int64_t				 sum = 0;

	for (;; i = im->items[i].parent) {
		if (im->items[i].kind == DEP_NODE_DAG || i == 0) {
			s = state_of(st, im->items[i].dag_id);
			if (s == NULL || s->median < 0)
				return -1;
			sum += s->median;
		}
		if (i == 0)
			return sum;
	}
}

/* The item an SLA on dag_id (task_id) is held by, or DG_NONE. */
static size_t
sla_item(const struct dep_impact *im, const struct sla_def *def)
{
	const struct dep_item	*it;
	size_t			 i;

	if (im->nitems == 0 || def->dag_id == NULL)
		return DG_NONE;
	if (strcmp(im->items[0].dag_id, def->dag_id) == 0) {
		if (def->task_id == NULL)
			return 0;
		for (i = 0; i < im->nitems; i++) {
			it = &im->items[i];
			if (it->kind == DEP_NODE_TASK &&
			    strcmp(it->task_id, def->task_id) == 0)
				return i;
		}
		return DG_NONE;
	}
	for (i = 1; i < im->nitems; i++) {
		it = &im->items[i];
		if (it->kind == DEP_NODE_DAG &&
		    strcmp(it->dag_id, def->dag_id) == 0)
			return i;
	}
	return DG_NONE;
}

/* Whether a day still has a deadline to judge: not met, not done late. */
static bool
open_day(const struct sla_day *day)
{
	if (day == NULL || day->deadline == TIME_NONE)
		return false;
	switch (day->outcome) {
	case SLA_MET:
	case SLA_NOT_APPLICABLE:
	case SLA_UNKNOWN_DAG:
		return false;
	case SLA_LATE:
		return day->finished_at == TIME_NONE;
	default:
		return true;
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct dep_sla_hit *x = a, *y = b;

	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return x->sla < y->sla ? -1 : x->sla > y->sla;
}

void
dep_impact_slas(struct dep_impact *im, const struct sla_def *const *defs,
    const struct sla_day *const *today, size_t n, const struct dep_state *st,
    int64_t now)
{
	struct dep_sla_hit	*h;
	size_t			 i, item;

	free(im->slas);
	im->slas = xcalloc(n + 1, sizeof *im->slas);
	im->nslas = 0;
	for (i = 0; i < im->nitems; i++)
		im->items[i].sla_first = im->items[i].nsla = 0;
	for (i = 0; i < n; i++) {
		if (defs[i] == NULL || today == NULL || !open_day(today[i]) ||
		    (item = sla_item(im, defs[i])) == DG_NONE)
			continue;
		h = &im->slas[im->nslas++];
		h->sla = i;
		h->item = item;
		h->deadline = today[i]->deadline;
		h->left = h->deadline - now;
		h->chain = chain_of(im, item, st);
		h->fits = h->chain >= 0 && now + h->chain <= h->deadline;
	}
	qsort(im->slas, im->nslas, sizeof *im->slas, hit_cmp);
	for (i = im->nslas; i > 0; i--) {
		item = im->slas[i - 1].item;
		im->items[item].sla_first = i - 1;
		im->items[item].nsla++;
	}
}

/* "10:00 JST": the wall clock of t in zone (NULL: UTC). */
static void
clock_text(struct buf *b, const struct tz *zone, int64_t t)
{
	struct tz_local	tl;

	tz_localtime(zone != NULL ? zone : tz_utc(), t, &tl);
	buf_printf(b, "%02d:%02d %s", tl.hour, tl.min, tl.abbr);
}

/*
 * The line's deadline part for hit h, in at most `room` bytes (the SLA's
 * name is cut, marked "~", when it is too long): "; next deadline NAME
 * 10:00 JST, 2h10m left"; when the chain's medians say it will not make
 * it, "; NAME due 10:00 JST, 2h10m left, needs 3h05m"; when the deadline
 * passed, "; NAME deadline 10:00 JST passed 35m00s ago".
 */
static void
deadline_text(const struct dep_sla_hit *h, const struct sla_def *const *defs,
    const struct tz *const *zones, int64_t now, size_t room, struct buf *out)
{
	const struct tz	*zone = zones != NULL ? zones[h->sla] : NULL;
	const char	*name = defs[h->sla]->name != NULL ?
			    defs[h->sla]->name : defs[h->sla]->dag_id;
	struct buf	 when = BUF_INIT, left = BUF_INIT, b = BUF_INIT;
	struct buf	 needs = BUF_INIT;
	int64_t		 dt = h->deadline - now;
	int		 cut, len = (int)strlen(name);

	clock_text(&when, zone, h->deadline);
	fmt_duration(&left, (double)(dt < 0 ? -dt : dt));
	if (dt >= 0 && h->chain >= 0 && now + h->chain > h->deadline)
		fmt_duration(&needs, (double)h->chain);
	for (cut = len; cut >= 0; cut--) {
		buf_reset(&b);
		if (dt < 0)
			buf_printf(&b, "; %.*s%s deadline %s passed %s ago",
			    cut, name, cut < len ? "~" : "", buf_str(&when),
			    buf_str(&left));
		else if (needs.len > 0)
			buf_printf(&b, "; %.*s%s due %s, %s left, needs %s",
			    cut, name, cut < len ? "~" : "", buf_str(&when),
			    buf_str(&left), buf_str(&needs));
		else
			buf_printf(&b, "; next deadline %.*s%s %s, %s left",
			    cut, name, cut < len ? "~" : "", buf_str(&when),
			    buf_str(&left));
		if (b.len <= room)
			break;
	}
	buf_puts(out, buf_str(&b));
	buf_free(&when);
	buf_free(&left);
	buf_free(&needs);
	buf_free(&b);
}

void
dep_impact_line(const struct dep_impact *im, const struct sla_def *const *defs,
    const struct tz *const *zones, int64_t now, struct buf *out)
{
	const struct dep_sla_hit	*h = NULL;
	size_t				 i, paused = 0, start = out->len;

	if (im->ndags == 0 && im->nassets == 0 && im->nslas == 0) {
		buf_puts(out, "holds back nothing outside this DAG");
		return;
	}
	for (i = 0; i < im->nitems; i++)
		if (im->items[i].kind == DEP_NODE_DAG &&
		    !im->items[i].inactive && im->items[i].paused)
			paused++;
	buf_puts(out, "holds back ");
	if (im->ndags > 0) {
		buf_printf(out, "%zu DAG%s", im->ndags, im->ndags > 1 ? "s" :
		    "");
		if (paused == im->ndags)
			buf_puts(out, im->ndags == 1 ? " (paused)" :
			    " (all paused)");
		else if (paused > 0)
			buf_printf(out, " (%zu paused)", paused);
	} else if (im->nassets > 0)
		buf_printf(out, "%zu asset%s", im->nassets,
		    im->nassets > 1 ? "s" : "");
	if (im->nslas > 0)
		buf_printf(out, "%s%zu SLA%s", im->ndags + im->nassets > 0 ?
		    " and " : "", im->nslas, im->nslas > 1 ? "s" : "");
	for (i = 0; i < im->nslas && h == NULL; i++)
		if (im->slas[i].deadline >= now)
			h = &im->slas[i];
	if (h == NULL && im->nslas > 0)
		h = &im->slas[0];
	if (h != NULL && defs != NULL && defs[h->sla] != NULL)
		deadline_text(h, defs, zones, now, DEP_LINE_MAX -
		    (out->len - start), out);
}

void
dep_impact_free(struct dep_impact *im)
{
	free(im->items);
	free(im->slas);
	buf_free(&im->warnings);
	memset(im, 0, sizeof *im);
}

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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
	qsort(out->dag_ids, n, sizeof *out->dag_ids, id_cmp);
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
