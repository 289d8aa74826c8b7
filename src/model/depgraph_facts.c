/*
 * depgraph_facts.c: the facts a source fills (depgraph.h), and the one
 * Airflow document read straight into them: a serialized DAG's
 * dag_dependencies list (airflow_dependencies.md §4), untrusted JSON of
 * the 2.7-3.2 spellings, parsed by jansson; what is not understood is a
 * warning, never a crash.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "depgraph_int.h"

/* ----------------------------------------------------------------------
 * Facts.
 */

void *
dg_grow(void *v, size_t n, size_t size)
{
	char	*p = v;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
		p = xreallocarray(p, n == 0 ? 4 : n * 2, size);
	memset(p + n * size, 0, size);
	return p;
}

struct dep_dag_fact *
dep_facts_dag(struct dep_facts *f)
{
	struct dep_dag_fact *d = DG_PUSH(f->dags, f->ndags);

	d->active = true;
	d->next_run_after = TIME_NONE;
	return d;
}

struct dep_asset_fact *
dep_facts_asset(struct dep_facts *f)
{
	struct dep_asset_fact *a = DG_PUSH(f->assets, f->nassets);

	a->active = true;
	return a;
}

struct dep_alias_fact *
dep_facts_alias(struct dep_facts *f)
{
	return DG_PUSH(f->aliases, f->naliases);
}

struct dep_outlet_fact *
dep_facts_outlet(struct dep_facts *f)
{
	return DG_PUSH(f->outlets, f->noutlets);
}

struct dep_schedule_fact *
dep_facts_schedule(struct dep_facts *f)
{
	return DG_PUSH(f->schedules, f->nschedules);
}

struct dep_link_fact *
dep_facts_link(struct dep_facts *f)
{
	return DG_PUSH(f->links, f->nlinks);
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
 * dag_dependencies.
 */

static const char *
member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

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
