/*
 * depgraph_expr.c: the two JSON documents of Airflow the dependency graph
 * reads (airflow_dependencies.md §3, §4), both untrusted: a DAG's
 * dataset_expression / asset_expression, and a serialized DAG's
 * dag_dependencies list.  jansson parses; nesting is bounded, and anything
 * not understood is a warning, never a crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "depgraph_int.h"

static struct dg_x *
push_node(struct dg_dag *d, enum dg_x_kind kind, size_t target)
{
	struct dg_x	*x;

	if (d->nx == 0 || (d->nx >= 4 && (d->nx & (d->nx - 1)) == 0))
		d->x = xreallocarray(d->x, d->nx == 0 ? 4 : d->nx * 2,
		    sizeof *d->x);
	x = &d->x[d->nx++];
	x->kind = kind;
	x->target = target;
	x->end = d->nx;
	return x;
}

/*
 * A leaf for the assets of k[first..first+n): one asset, or an any of
 * several (3.x lets two assets share a uri, or a name); a DGX_NONE leaf and
 * a warning when there is none.
 */
static void
push_assets(struct depgraph *g, struct dg_dag *d, const struct dg_key *k,
    size_t first, size_t n, const char *what, const char *text)
{
	size_t	any, i;

	if (first == DG_NONE || n == 0) {
		buf_printf(&g->warnings, "%s's expression names %s %s, which "
		    "no asset has\n", d->dag_id, what, text);
		push_node(d, DGX_NONE, 0);
		return;
	}
	if (n == 1) {
		push_node(d, DGX_ASSET, k[first].i);
		return;
	}
	any = d->nx;
	push_node(d, DGX_ANY, 0);
	for (i = 0; i < n; i++)
		push_node(d, DGX_ASSET, k[first + i].i);
	d->x[any].end = d->nx;
}

static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* {"asset": {"uri", "name", "group", "id"}} (3.x; "dataset" alike). */
static int
parse_asset(struct depgraph *g, struct dg_dag *d, const json_t *a)
{
	const char	*uri = member(a, "uri"), *name = member(a, "name");
	json_t		*id = json_object_get(a, "id");
	size_t		 i, first, n;

	if (!json_is_object(a) || uri == NULL)
		return -1;
	if (json_is_integer(id) && json_integer_value(id) != 0 &&
	    (i = dg_find_id(g, json_integer_value(id))) != DG_NONE &&
	    strcmp(g->assets[i].uri, uri) == 0) {
		push_node(d, DGX_ASSET, i);
		return 0;
	}
	first = dg_find_uri(g, uri, &n);
	if (name != NULL)
		for (i = 0; i < n; i++)
			if (strcmp(g->assets[g->by_uri[first + i].i].name,
			    name) == 0) {
				push_node(d, DGX_ASSET, g->by_uri[first + i].i);
				return 0;
			}
	push_assets(g, d, g->by_uri, first, n, "asset", uri);
	return 0;
}

static int
parse_node(struct depgraph *g, struct dg_dag *d, const json_t *v, int depth)
{
	const json_t	*x, *kid;
	const char	*s;
	size_t		 first, n, i, at;

	if (depth > DG_EXPR_DEPTH)
		return -1;
	if ((s = json_string_value(v)) != NULL) {	/* 2.x: a URI */
		first = dg_find_uri(g, s, &n);
		push_assets(g, d, g->by_uri, first, n, "dataset", s);
		return 0;
	}
	if (!json_is_object(v) || json_object_size(v) != 1)
		return -1;
	if ((x = json_object_get(v, "all")) != NULL ||
	    (x = json_object_get(v, "any")) != NULL) {
		if (!json_is_array(x))
			return -1;
		at = d->nx;
		push_node(d, json_object_get(v, "all") != NULL ? DGX_ALL :
		    DGX_ANY, 0);
		json_array_foreach(x, i, kid)
			if (parse_node(g, d, kid, depth + 1) == -1)
				return -1;
		d->x[at].end = d->nx;
		return 0;
	}
	if ((x = json_object_get(v, "alias")) != NULL) {
		if ((s = json_string_value(x)) == NULL &&
		    (s = member(x, "name")) == NULL)
			return -1;
		if ((i = dg_find_alias(g, s)) == DG_NONE) {
			buf_printf(&g->warnings, "%s's expression names alias "
			    "%s, which no row has\n", d->dag_id, s);
			push_node(d, DGX_NONE, 0);
		} else
			push_node(d, DGX_ALIAS, i);
		return 0;
	}
	if ((x = json_object_get(v, "asset")) != NULL ||
	    (x = json_object_get(v, "dataset")) != NULL)
		return parse_asset(g, d, x);
	if ((x = json_object_get(v, "asset_ref")) != NULL) {
		if ((s = member(x, "name")) != NULL) {
			first = dg_find_name(g, s, &n);
			push_assets(g, d, g->by_name, first, n,
			    "Asset.ref name", s);
		} else if ((s = member(x, "uri")) != NULL) {
			first = dg_find_uri(g, s, &n);
			push_assets(g, d, g->by_uri, first, n,
			    "Asset.ref uri", s);
		} else
			return -1;
		return 0;
	}
	return -1;
}

int
dg_parse_expression(struct depgraph *g, struct dg_dag *d, const char *json)
{
	json_t		*v;
	json_error_t	 err;
	int		 rc;

	v = json_loads(json, JSON_DECODE_ANY, &err);
	if (v == NULL) {
		buf_printf(&g->warnings, "%s's schedule expression is not "
		    "JSON (%s); its schedule references are taken\n",
		    d->dag_id, err.text);
		return -1;
	}
	rc = json_is_null(v) ? -1 : parse_node(g, d, v, 0);
	if (rc == -1 && !json_is_null(v))
		buf_printf(&g->warnings, "%s's schedule expression is not one "
		    "dagtop reads; its schedule references are taken\n",
		    d->dag_id);
	json_decref(v);
	return rc;
}

bool
dg_x_held(const struct dg_dag *d, size_t i, const bool *asset,
    const bool *alias)
{
	const struct dg_x	*x = &d->x[i];
	size_t			 j, n = 0;

	switch (x->kind) {
	case DGX_ASSET:
		return asset[x->target];
	case DGX_ALIAS:
		return alias[x->target];
	case DGX_NONE:
		return false;
	case DGX_ALL:
		for (j = i + 1; j < x->end; j = d->x[j].end)
			if (dg_x_held(d, j, asset, alias))
				return true;
		return false;
	case DGX_ANY:
		for (j = i + 1; j < x->end; j = d->x[j].end, n++)
			if (!dg_x_held(d, j, asset, alias))
				return false;
		return n > 0;
	}
	return false;
}

/* ----------------------------------------------------------------------
 * dag_dependencies.
 */

static bool
is_alias_type(const char *t)
{
	return strcmp(t, "dataset-alias") == 0 || strcmp(t, "asset-alias") == 0;
}

static bool
is_asset_type(const char *t)
{
	return strcmp(t, "dataset") == 0 || strcmp(t, "asset") == 0;
}

/* s without "dataset-alias:" / "asset-alias:" (or another prefix). */
static const char *
after(const char *s, const char *p1, const char *p2)
{
	size_t	n1 = strlen(p1), n2 = strlen(p2);

	if (strncmp(s, p1, n1) == 0)
		return s + n1;
	if (strncmp(s, p2, n2) == 0)
		return s + n2;
	return NULL;
}

static size_t
alias_of(struct dep_facts *f, const char *name)
{
	size_t	i = dep_facts_find_alias(f, name);

	if (i == DG_NONE) {
		dep_facts_alias(f)->name = xstrdup(name);
		i = f->naliases - 1;
	}
	return i;
}

/* 2.10's resolved alias: the alias went to the asset of this uri, if known. */
static void
resolved(struct dep_facts *f, const char *alias, const char *uri)
{
	struct dep_alias_fact	*al;
	size_t			 a, i;

	if ((a = dep_facts_find_asset(f, 0, uri)) == DG_NONE)
		return;
	al = &f->aliases[alias_of(f, alias)];
	for (i = 0; i < al->nassets; i++)
		if (al->assets[i] == a)
			return;
	al->assets = xreallocarray(al->assets, al->nassets + 1,
	    sizeof *al->assets);
	al->assets[al->nassets++] = a;
}

/* One entry; true when it became a fact. */
static bool
take_entry(struct dep_facts *f, const char *dag_id, const json_t *e)
{
	const char		*src = member(e, "source");
	const char		*dst = member(e, "target");
	const char		*type = member(e, "dependency_type");
	const char		*id = member(e, "dependency_id");
	const char		*s;
	struct dep_link_fact	*l;
	struct dep_outlet_fact	*o;

	if (src == NULL || dst == NULL || type == NULL || id == NULL) {
		buf_printf(&f->warnings, "%s: a dag_dependencies entry "
		    "without source, target, type or id\n", dag_id);
		return false;
	}
	if (strcmp(type, "sensor") == 0 || strcmp(type, "trigger") == 0) {
		l = dep_facts_link(f);
		l->kind = type[0] == 's' ? DEP_SENSOR : DEP_TRIGGER;
		l->source = xstrdup(src);
		l->target = xstrdup(dst);
		l->task_id = xstrdup(id);
		return true;
	}
	if (is_alias_type(type) && strcmp(src, dag_id) == 0) {
		o = dep_facts_outlet(f);
		o->dag_id = xstrdup(dag_id);
		o->kind = DEP_TO_ALIAS;
		o->target = alias_of(f, id);
		/* 2.10 resolved: {dag -> "dataset:URI", alias} */
		if ((s = after(dst, "dataset:", "asset:")) != NULL)
			resolved(f, id, s);
		return true;
	}
	if (is_alias_type(type) &&
	    (s = after(src, "dataset:", "asset:")) != NULL) {
		resolved(f, id, s);	/* 2.10: {"dataset:URI" -> dag} */
		return true;
	}
	if (is_asset_type(type) &&
	    ((s = after(src, "dataset-alias:", "asset-alias:")) != NULL ||
	    (s = after(dst, "dataset-alias:", "asset-alias:")) != NULL)) {
		resolved(f, s, id);
		return true;
	}
	if (is_alias_type(type) || is_asset_type(type) ||
	    strcmp(type, "asset-name-ref") == 0 ||
	    strcmp(type, "asset-uri-ref") == 0)
		return false;	/* the reference tables name the task */
	buf_printf(&f->warnings, "%s: a dag_dependencies entry of unknown "
	    "type %s\n", dag_id, type);
	return false;
}

size_t
dep_facts_add_dependencies(struct dep_facts *f, const char *dag_id,
    const char *json, size_t len)
{
	json_t		*v, *e;
	json_error_t	 err;
	size_t		 i, n = 0;

	if (json == NULL || dag_id == NULL)
		return 0;
	v = json_loadb(json, len, JSON_DECODE_ANY, &err);
	if (!json_is_array(v)) {
		buf_printf(&f->warnings, "%s: dag_dependencies is not a JSON "
		    "list (%s)\n", dag_id, v == NULL ? err.text : "not a list");
		json_decref(v);
		return 0;
	}
	json_array_foreach(v, i, e)
		if (json_is_object(e) && take_entry(f, dag_id, e))
			n++;
	json_decref(v);
	return n;
}
