/*
 * depgraph.c: the facts a source fills and the graph built from them
 * (depgraph.h).  The build sorts DAGs and aliases by name and indexes the
 * assets by uri, name and id, so every lookup afterwards is a binary
 * search; it resolves each DAG's condition, and names the cycles across
 * DAGs (Tarjan's algorithm, iterative: a long chain cannot exhaust the
 * stack) and the dangling references it meets.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"

/* ----------------------------------------------------------------------
 * Facts.
 */

/*
 * Room for one more element in an array of n elements that grows by
 * doubling (the capacity is implied by n: 4, 8, 16...); the new element is
 * zeroed.
 */
static void *
grow(void *v, size_t n, size_t size)
{
	char	*p = v;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
		p = xreallocarray(p, n == 0 ? 4 : n * 2, size);
	memset(p + n * size, 0, size);
	return p;
}

#define PUSH(arr, n) ((arr) = grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

struct dep_dag_fact *
dep_facts_dag(struct dep_facts *f)
{
	struct dep_dag_fact *d = PUSH(f->dags, f->ndags);

	d->active = true;
	d->next_run_after = TIME_NONE;
	return d;
}

struct dep_asset_fact *
dep_facts_asset(struct dep_facts *f)
{
	struct dep_asset_fact *a = PUSH(f->assets, f->nassets);

	a->active = true;
	return a;
}

struct dep_alias_fact *
dep_facts_alias(struct dep_facts *f)
{
	return PUSH(f->aliases, f->naliases);
}

struct dep_outlet_fact *
dep_facts_outlet(struct dep_facts *f)
{
	return PUSH(f->outlets, f->noutlets);
}

struct dep_schedule_fact *
dep_facts_schedule(struct dep_facts *f)
{
	return PUSH(f->schedules, f->nschedules);
}

struct dep_link_fact *
dep_facts_link(struct dep_facts *f)
{
	return PUSH(f->links, f->nlinks);
}

size_t
dep_facts_find_asset(const struct dep_facts *f, int64_t id, const char *uri)
{
	size_t	i;

	if (id != 0)
		for (i = 0; i < f->nassets; i++)
			if (f->assets[i].id == id)
				return i;
	if (uri != NULL)
		for (i = 0; i < f->nassets; i++)
			if (f->assets[i].uri != NULL &&
			    strcmp(f->assets[i].uri, uri) == 0)
				return i;
	return DG_NONE;
}

size_t
dep_facts_find_alias(const struct dep_facts *f, const char *name)
{
	size_t	i;

	if (name != NULL)
		for (i = 0; i < f->naliases; i++)
			if (f->aliases[i].name != NULL &&
			    strcmp(f->aliases[i].name, name) == 0)
				return i;
	return DG_NONE;
}

void
dep_facts_free(struct dep_facts *f)
{
	size_t	i;

	for (i = 0; i < f->ndags; i++) {
		free(f->dags[i].dag_id);
		free(f->dags[i].expression);
	}
	for (i = 0; i < f->nassets; i++) {
		free(f->assets[i].name);
		free(f->assets[i].uri);
	}
	for (i = 0; i < f->naliases; i++) {
		free(f->aliases[i].name);
		free(f->aliases[i].assets);
	}
	for (i = 0; i < f->noutlets; i++) {
		free(f->outlets[i].dag_id);
		free(f->outlets[i].task_id);
		free(f->outlets[i].ref);
	}
	for (i = 0; i < f->nschedules; i++) {
		free(f->schedules[i].dag_id);
		free(f->schedules[i].ref);
	}
	for (i = 0; i < f->nlinks; i++) {
		free(f->links[i].source);
		free(f->links[i].target);
		free(f->links[i].task_id);
	}
	free(f->dags);
	free(f->assets);
	free(f->aliases);
	free(f->outlets);
	free(f->schedules);
	free(f->links);
	buf_free(&f->gaps);
	buf_free(&f->warnings);
	memset(f, 0, sizeof *f);
}

/* ----------------------------------------------------------------------
 * Lookups in a built graph.
 */

void
dg_push(struct dg_list *l, size_t x)
{
	size_t	*p = PUSH(l->v, l->n);

	*p = x;
}

void
dg_list_free(struct dg_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
key_cmp(const void *a, const void *b)
{
	const struct dg_key *x = a, *y = b;

	if (x->s != NULL && y->s != NULL) {
		int c = strcmp(x->s, y->s);
		if (c != 0)
			return c;
	}
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

size_t
dg_find_dag(const struct depgraph *g, const char *dag_id)
{
	size_t	lo = 0, hi = g->ndags, mid;
	int	c;

	if (dag_id == NULL)
		return DG_NONE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(dag_id, g->dags[mid].dag_id);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return DG_NONE;
}

size_t
dg_find_alias(const struct depgraph *g, const char *name)
{
	size_t	lo = 0, hi = g->naliases, mid;
	int	c;

	if (name == NULL)
		return DG_NONE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, g->aliases[mid].name);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return DG_NONE;
}

/*
 * The first key of k[0..n) whose string is s (keys sorted by string), and
 * in *count how many follow with it; DG_NONE when none.
 */
static size_t
find_key(const struct dg_key *k, size_t n, const char *s, size_t *count)
{
	size_t	lo = 0, hi = n, mid, end;

	*count = 0;
	if (s == NULL)
		return DG_NONE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(k[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && strcmp(k[end].s, s) == 0; end++)
		;
	*count = end - lo;
	return end > lo ? lo : DG_NONE;
}

/*
 * The assets of this uri (or name): the index into by_uri (by_name) of the
 * first, *n of them; DG_NONE when none.
 */
size_t
dg_find_uri(const struct depgraph *g, const char *uri, size_t *n)
{
	return find_key(g->by_uri, g->nassets, uri, n);
}

size_t
dg_find_name(const struct depgraph *g, const char *name, size_t *n)
{
	return find_key(g->by_name, g->nassets, name, n);
}

/* The asset of this id, or DG_NONE. */
size_t
dg_find_id(const struct depgraph *g, int64_t id)
{
	size_t	lo = 0, hi = g->nby_id, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->by_id[mid].id == id)
			return g->by_id[mid].i;
		if (g->by_id[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return DG_NONE;
}

void
dg_cycle_text(const struct depgraph *g, size_t scc, struct buf *b)
{
	size_t	i;
	int	n = 0;

	buf_puts(b, "cycle across DAGs:");
	for (i = 0; i < g->ndags; i++)
		if (g->dags[i].scc == scc)
			buf_printf(b, "%s %s", n++ ? "," : "", g->dags[i].dag_id);
}

/* ----------------------------------------------------------------------
 * The build.
 */

/* Every DAG id the facts name, sorted and unique, as graph DAGs. */
static void
build_dags(struct depgraph *g, const struct dep_facts *f)
{
	const char	**ids;
	size_t		  n = 0, i, j;

	ids = xcalloc(f->ndags + f->noutlets + f->nschedules +
	    2 * f->nlinks + 1, sizeof *ids);
	for (i = 0; i < f->ndags; i++)
		if (f->dags[i].dag_id != NULL)
			ids[n++] = f->dags[i].dag_id;
	for (i = 0; i < f->noutlets; i++)
		if (f->outlets[i].dag_id != NULL)
			ids[n++] = f->outlets[i].dag_id;
	for (i = 0; i < f->nschedules; i++)
		if (f->schedules[i].dag_id != NULL)
			ids[n++] = f->schedules[i].dag_id;
	for (i = 0; i < f->nlinks; i++) {
		if (f->links[i].source != NULL)
			ids[n++] = f->links[i].source;
		if (f->links[i].target != NULL)
			ids[n++] = f->links[i].target;
	}
	qsort(ids, n, sizeof *ids, str_cmp);
	g->dags = xcalloc(n + 1, sizeof *g->dags);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(ids[i], ids[j]) == 0; j++)
			;
		g->dags[g->ndags].dag_id = xstrdup(ids[i]);
		g->dags[g->ndags].active = true;
		g->dags[g->ndags].next_run_after = TIME_NONE;
		g->dags[g->ndags].scc = DG_NONE;
		g->ndags++;
	}
	free(ids);
	for (i = 0; i < f->ndags; i++) {
		struct dg_dag *d;

		if ((j = dg_find_dag(g, f->dags[i].dag_id)) == DG_NONE)
			continue;
		d = &g->dags[j];
		d->known = true;
		d->paused = f->dags[i].paused;
		d->active = f->dags[i].active;
		d->timed = f->dags[i].timed;
		d->next_run_after = f->dags[i].next_run_after;
	}
}

struct fact_ref {
	const struct dep_asset_fact	*f;
	size_t				 i;
};

/* By uri, then name; equal ids (or an unknown one) do not tell apart. */
static int
fact_cmp(const void *a, const void *b)
{
	const struct fact_ref *x = a, *y = b;
	int	c;

	if ((c = strcmp(x->f->uri, y->f->uri)) != 0)
		return c;
	if ((c = strcmp(x->f->name != NULL ? x->f->name : x->f->uri,
	    y->f->name != NULL ? y->f->name : y->f->uri)) != 0)
		return c;
	if (x->f->id != y->f->id)
		return x->f->id < y->f->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static bool
same_asset(const struct dep_asset_fact *a, const struct dep_asset_fact *b)
{
	return strcmp(a->uri, b->uri) == 0 &&
	    strcmp(a->name != NULL ? a->name : a->uri,
	    b->name != NULL ? b->name : b->uri) == 0 &&
	    (a->id == b->id || a->id == 0 || b->id == 0);
}

/*
 * The assets, one per uri and name (facts may repeat one), with amap[i]
 * the graph index of fact i (DG_NONE for a fact without a uri); and the
 * three lookup indexes.
 */
static void
build_assets(struct depgraph *g, const struct dep_facts *f, size_t *amap)
{
	struct fact_ref	*r;
	size_t		 n = 0, i;

	r = xcalloc(f->nassets + 1, sizeof *r);
	for (i = 0; i < f->nassets; i++) {
		amap[i] = DG_NONE;
		if (f->assets[i].uri == NULL) {
			buf_printf(&g->warnings, "an asset without a uri "
			    "(id %lld) is left out\n",
			    (long long)f->assets[i].id);
			continue;
		}
		r[n].f = &f->assets[i];
		r[n++].i = i;
	}
	qsort(r, n, sizeof *r, fact_cmp);
	g->assets = xcalloc(n + 1, sizeof *g->assets);
	for (i = 0; i < n; i++) {
		struct dg_asset *a;

		if (i == 0 || !same_asset(r[i - 1].f, r[i].f)) {
			a = &g->assets[g->nassets++];
			a->uri = xstrdup(r[i].f->uri);
			a->name = xstrdup(r[i].f->name != NULL ?
			    r[i].f->name : r[i].f->uri);
			a->active = r[i].f->active;
		}
		a = &g->assets[g->nassets - 1];
		if (a->id == 0)
			a->id = r[i].f->id;
		amap[r[i].i] = g->nassets - 1;
	}
	free(r);
	g->by_uri = xcalloc(g->nassets + 1, sizeof *g->by_uri);
	g->by_name = xcalloc(g->nassets + 1, sizeof *g->by_name);
	g->by_id = xcalloc(g->nassets + 1, sizeof *g->by_id);
	for (i = 0; i < g->nassets; i++) {
		g->by_uri[i] = (struct dg_key){ g->assets[i].uri, 0, i };
		g->by_name[i] = (struct dg_key){ g->assets[i].name, 0, i };
		if (g->assets[i].id != 0)
			g->by_id[g->nby_id++] =
			    (struct dg_key){ NULL, g->assets[i].id, i };
	}
	qsort(g->by_uri, g->nassets, sizeof *g->by_uri, key_cmp);
	qsort(g->by_name, g->nassets, sizeof *g->by_name, key_cmp);
	qsort(g->by_id, g->nby_id, sizeof *g->by_id, key_cmp);
}

/* The aliases, sorted by name and unique, with what each resolved to. */
static void
build_aliases(struct depgraph *g, const struct dep_facts *f,
    const size_t *amap)
{
	const char	**names;
	size_t		  n = 0, i, j, k, a;

	names = xcalloc(f->naliases + 1, sizeof *names);
	for (i = 0; i < f->naliases; i++)
		if (f->aliases[i].name != NULL)
			names[n++] = f->aliases[i].name;
	qsort(names, n, sizeof *names, str_cmp);
	g->aliases = xcalloc(n + 1, sizeof *g->aliases);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(names[i - 1], names[i]) != 0)
			g->aliases[g->naliases++].name = xstrdup(names[i]);
	free(names);
	for (i = 0; i < f->naliases; i++) {
		if ((j = dg_find_alias(g, f->aliases[i].name)) == DG_NONE)
			continue;
		for (k = 0; k < f->aliases[i].nassets; k++) {
			a = f->aliases[i].assets[k];
			if (a >= f->nassets || amap[a] == DG_NONE) {
				buf_printf(&g->warnings, "alias %s resolved to "
				    "an asset no row has\n", g->aliases[j].name);
				continue;
			}
			dg_push(&g->aliases[j].assets, amap[a]);
			dg_push(&g->assets[amap[a]].aliases, j);
		}
	}
}

static const char *
ref_text(enum dep_target_kind kind)
{
	return kind == DEP_TO_NAME_REF ? "name" : "uri";
}

static void
add_outlet(struct depgraph *g, size_t dag, const char *task, bool alias,
    size_t target)
{
	struct dg_outlet *o = PUSH(g->outlets, g->noutlets);

	o->dag = dag;
	o->task_id = dup_or_null(task);
	o->alias = alias;
	o->target = target;
	dg_push(&g->dags[dag].outs, g->noutlets - 1);
	dg_push(alias ? &g->aliases[target].prod : &g->assets[target].prod,
	    g->noutlets - 1);
}

/* Outlets; an Asset.ref outlet writes every asset of that name (uri). */
static void
build_outlets(struct depgraph *g, const struct dep_facts *f,
    const size_t *amap, const size_t *lmap)
{
	const struct dep_outlet_fact *o;
	size_t	i, d, k, first, n;

	for (i = 0; i < f->noutlets; i++) {
		o = &f->outlets[i];
		if ((d = dg_find_dag(g, o->dag_id)) == DG_NONE)
			continue;
		switch (o->kind) {
		case DEP_TO_ASSET:
			if (o->target < f->nassets &&
			    amap[o->target] != DG_NONE)
				add_outlet(g, d, o->task_id, false,
				    amap[o->target]);
			else
				buf_printf(&g->warnings, "%s writes an asset "
				    "no row has\n", o->dag_id);
			break;
		case DEP_TO_ALIAS:
			if (o->target < f->naliases &&
			    lmap[o->target] != DG_NONE)
				add_outlet(g, d, o->task_id, true,
				    lmap[o->target]);
			else
				buf_printf(&g->warnings, "%s writes an alias "
				    "no row has\n", o->dag_id);
			break;
		case DEP_TO_NAME_REF:
		case DEP_TO_URI_REF:
			first = o->kind == DEP_TO_NAME_REF ?
			    dg_find_name(g, o->ref, &n) :
			    dg_find_uri(g, o->ref, &n);
			if (first == DG_NONE)
				buf_printf(&g->warnings, "%s writes "
				    "Asset.ref(%s=%s), which no asset has\n",
				    o->dag_id, ref_text(o->kind),
				    o->ref != NULL ? o->ref : "");
			for (k = 0; k < n; k++)
				add_outlet(g, d, o->task_id, false,
				    (o->kind == DEP_TO_NAME_REF ? g->by_name :
				    g->by_uri)[first + k].i);
			break;
		}
	}
}

/* Sensors and triggers; a DAG Airflow does not know is named. */
static void
build_links(struct depgraph *g, const struct dep_facts *f)
{
	const struct dep_link_fact *l;
	struct dg_link	*x;
	size_t		 i, s, t;

	for (i = 0; i < f->nlinks; i++) {
		l = &f->links[i];
		s = dg_find_dag(g, l->source);
		t = dg_find_dag(g, l->target);
		if (s == DG_NONE || t == DG_NONE)
			continue;
		if (f->ndags > 0 && l->kind == DEP_SENSOR &&
		    !g->dags[s].known)
			buf_printf(&g->warnings, "%s's sensor %s waits on %s, "
			    "a DAG Airflow does not know\n", l->target,
			    l->task_id != NULL ? l->task_id : "?", l->source);
		if (f->ndags > 0 && l->kind == DEP_TRIGGER &&
		    !g->dags[t].known)
			buf_printf(&g->warnings, "%s's task %s triggers %s, "
			    "a DAG Airflow does not know\n", l->source,
			    l->task_id != NULL ? l->task_id : "?", l->target);
		x = PUSH(g->links, g->nlinks);
		x->kind = l->kind;
		x->source = s;
		x->target = t;
		x->task_id = dup_or_null(l->task_id);
		dg_push(&g->dags[s].links_out, g->nlinks - 1);
		dg_push(&g->dags[t].links_in, g->nlinks - 1);
	}
}

static struct dg_x *
push_x(struct dg_dag *d, enum dg_x_kind kind, size_t target)
{
	struct dg_x *x = PUSH(d->x, d->nx);

	x->kind = kind;
	x->target = target;
	x->end = d->nx;
	return x;
}

/*
 * The condition of a DAG without a usable expression (2.7-2.8, or the
 * API): all of its schedule references.  A reference to a name or uri is
 * an any of the assets that have it.
 */
static void
schedule_condition(struct depgraph *g, struct dg_dag *d,
    const struct dep_facts *f, const struct dg_list *mine,
    const size_t *amap, const size_t *lmap)
{
	const struct dep_schedule_fact *s;
	size_t	i, k, first, n, any;

	if (mine->n == 0)
		return;
	push_x(d, DGX_ALL, 0);
	for (i = 0; i < mine->n; i++) {
		s = &f->schedules[mine->v[i]];
		switch (s->kind) {
		case DEP_TO_ASSET:
			if (s->target < f->nassets && amap[s->target] != DG_NONE)
				push_x(d, DGX_ASSET, amap[s->target]);
			else {
				buf_printf(&g->warnings, "%s is scheduled on "
				    "an asset no row has\n", d->dag_id);
				push_x(d, DGX_NONE, 0);
			}
			break;
		case DEP_TO_ALIAS:
			if (s->target < f->naliases &&
			    lmap[s->target] != DG_NONE)
				push_x(d, DGX_ALIAS, lmap[s->target]);
			else {
				buf_printf(&g->warnings, "%s is scheduled on "
				    "an alias no row has\n", d->dag_id);
				push_x(d, DGX_NONE, 0);
			}
			break;
		case DEP_TO_NAME_REF:
		case DEP_TO_URI_REF:
			first = s->kind == DEP_TO_NAME_REF ?
			    dg_find_name(g, s->ref, &n) :
			    dg_find_uri(g, s->ref, &n);
			if (first == DG_NONE) {
				buf_printf(&g->warnings, "%s is scheduled on "
				    "Asset.ref(%s=%s), which no asset has\n",
				    d->dag_id, ref_text(s->kind),
				    s->ref != NULL ? s->ref : "");
				push_x(d, DGX_NONE, 0);
				break;
			}
			any = d->nx;
			push_x(d, DGX_ANY, 0);
			for (k = 0; k < n; k++)
				push_x(d, DGX_ASSET, (s->kind ==
				    DEP_TO_NAME_REF ? g->by_name :
				    g->by_uri)[first + k].i);
			d->x[any].end = d->nx;
			break;
		}
	}
	d->x[0].end = d->nx;
}

/* Each DAG's condition, and the consumers of each asset and alias. */
static void
build_conditions(struct depgraph *g, const struct dep_facts *f,
    const size_t *amap, const size_t *lmap)
{
	struct dg_list	*mine;
	size_t		*astamp, *lstamp, i, j, d;

	mine = xcalloc(g->ndags + 1, sizeof *mine);
	for (i = 0; i < f->nschedules; i++)
		if ((d = dg_find_dag(g, f->schedules[i].dag_id)) != DG_NONE)
			dg_push(&mine[d], i);
	/* The last expression fact of a DAG wins (facts may repeat one). */
	for (i = 0; i < f->ndags; i++) {
		if (f->dags[i].expression == NULL ||
		    (d = dg_find_dag(g, f->dags[i].dag_id)) == DG_NONE)
			continue;
		free(g->dags[d].x);
		g->dags[d].x = NULL;
		g->dags[d].nx = 0;
		if (dg_parse_expression(g, &g->dags[d],
		    f->dags[i].expression) == -1) {
			free(g->dags[d].x);
			g->dags[d].x = NULL;
			g->dags[d].nx = 0;
		}
	}
	for (d = 0; d < g->ndags; d++) {
		if (g->dags[d].nx == 0)
			schedule_condition(g, &g->dags[d], f, &mine[d], amap,
			    lmap);
		dg_list_free(&mine[d]);
	}
	free(mine);
	astamp = xcalloc(g->nassets + 1, sizeof *astamp);
	lstamp = xcalloc(g->naliases + 1, sizeof *lstamp);
	for (d = 0; d < g->ndags; d++)
		for (j = 0; j < g->dags[d].nx; j++) {
			const struct dg_x *x = &g->dags[d].x[j];

			if (x->kind == DGX_ASSET && astamp[x->target] != d + 1) {
				astamp[x->target] = d + 1;
				dg_push(&g->assets[x->target].cons, d);
			} else if (x->kind == DGX_ALIAS &&
			    lstamp[x->target] != d + 1) {
				lstamp[x->target] = d + 1;
				dg_push(&g->aliases[x->target].cons, d);
			}
		}
	free(astamp);
	free(lstamp);
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
static void
find_cycles(struct depgraph *g)
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

struct depgraph *
depgraph_build(const struct dep_facts *f)
{
	struct depgraph	*g;
	size_t		*amap, *lmap, i;

	g = xcalloc(1, sizeof *g);
	buf_puts(&g->gaps, buf_str(&f->gaps));
	buf_puts(&g->warnings, buf_str(&f->warnings));
	if (g->warnings.len > 0 && g->warnings.data[g->warnings.len - 1] != '\n')
		buf_putc(&g->warnings, '\n');
	build_dags(g, f);
	amap = xcalloc(f->nassets + 1, sizeof *amap);
	lmap = xcalloc(f->naliases + 1, sizeof *lmap);
	build_assets(g, f, amap);
	build_aliases(g, f, amap);
	for (i = 0; i < f->naliases; i++)
		lmap[i] = dg_find_alias(g, f->aliases[i].name);
	build_outlets(g, f, amap, lmap);
	build_links(g, f);
	build_conditions(g, f, amap, lmap);
	find_cycles(g);
	free(amap);
	free(lmap);
	return g;
}

void
depgraph_free(struct depgraph *g)
{
	size_t	i;

	if (g == NULL)
		return;
	for (i = 0; i < g->ndags; i++) {
		free(g->dags[i].dag_id);
		free(g->dags[i].x);
		dg_list_free(&g->dags[i].outs);
		dg_list_free(&g->dags[i].links_in);
		dg_list_free(&g->dags[i].links_out);
	}
	for (i = 0; i < g->nassets; i++) {
		free(g->assets[i].name);
		free(g->assets[i].uri);
		dg_list_free(&g->assets[i].prod);
		dg_list_free(&g->assets[i].cons);
		dg_list_free(&g->assets[i].aliases);
	}
	for (i = 0; i < g->naliases; i++) {
		free(g->aliases[i].name);
		dg_list_free(&g->aliases[i].assets);
		dg_list_free(&g->aliases[i].prod);
		dg_list_free(&g->aliases[i].cons);
	}
	for (i = 0; i < g->noutlets; i++)
		free(g->outlets[i].task_id);
	for (i = 0; i < g->nlinks; i++)
		free(g->links[i].task_id);
	free(g->dags);
	free(g->assets);
	free(g->aliases);
	free(g->outlets);
	free(g->links);
	free(g->by_uri);
	free(g->by_name);
	free(g->by_id);
	free(g->scc_cyclic);
	buf_free(&g->warnings);
	buf_free(&g->gaps);
	free(g);
}

const char *
depgraph_warnings(const struct depgraph *g)
{
	return buf_str(&g->warnings);
}

const char *
depgraph_gaps(const struct depgraph *g)
{
	return buf_str(&g->gaps);
}

size_t
depgraph_ndags(const struct depgraph *g)
{
	return g->ndags;
}

size_t
depgraph_nassets(const struct depgraph *g)
{
	return g->nassets;
}

bool
depgraph_has_dag(const struct depgraph *g, const char *dag_id)
{
	size_t			 i = dg_find_dag(g, dag_id);
	const struct dg_dag	*d;

	if (i == DG_NONE)
		return false;
	d = &g->dags[i];
	return d->nx > 0 || d->outs.n > 0 || d->links_in.n > 0 ||
	    d->links_out.n > 0;
}

const char *
dep_via_name(enum dep_via v)
{
	static const char *const names[] = { "failure", "task", "outlet",
	    "alias", "schedule", "sensor", "trigger" };

	return (size_t)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

const char *
dep_node_kind_name(enum dep_node_kind k)
{
	static const char *const names[] = { "dag", "task", "asset", "alias" };

	return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *
dep_verdict_name(enum dep_verdict v)
{
	static const char *const names[] = { "ok", "waiting", "late",
	    "failed", "missing", "paused", "unknown" };

	return (size_t)v < sizeof names / sizeof names[0] ? names[v] : "?";
}
