/*
 * airflow_db_deps.c: the dependencies across DAGs read from the Airflow
 * metadata database (depgraph.h's facts), and the state a walk over them
 * needs.  The tables are airflow_dependencies.md's: dataset_* on 2.x,
 * asset_* on 3.x (schema.h names the word and what the release has), and
 * the dag_dependencies of the newest serialized DAG of each DAG.
 *
 * Statements, whatever the number of DAGs and assets: the facts take one
 * (the rows of the reference tables and the dag_dependencies lists the
 * server extracted, or the compressed documents they are in, told apart
 * by a kind column), the state one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "airflow_db.h"
#include "airflow_db_int.h"
#include "pg.h"
#include "serdag.h"

/* --- the facts ----------------------------------------------------------- */

/* An id of the database and the index of its fact, for bsearch. */
struct id_index {
	int64_t	 id;
	size_t	 index;
};

/* One read of the facts: one statement, one answer. */
struct deps_read {
	struct afdb		*db;
	struct dep_facts	*out;
	struct id_index		*assets, *aliases;
	size_t			 nassets, naliases;
	sched_cb		 cb;
	void			*arg;
};

static int
cmp_id(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The index of the fact with database id id in v, or (size_t)-1. */
static size_t
find_id(const struct id_index *v, size_t n, int64_t id)
{
	struct id_index		 key;
	const struct id_index	*hit;

	key.id = id;
	hit = bsearch(&key, v, n, sizeof *v, cmp_id);
	return hit != NULL ? hit->index : (size_t)-1;
}

/* A text cell, "" for NULL (the facts' ids are never NULL). */
static char *
col_str0(const PGresult *res, int row, int col)
{
	char *s = afdb_col_str(res, row, col);

	return s != NULL ? s : xstrdup("");
}

/*
 * Whether a DAG runs on a clock, from its schedule as the dag row keeps
 * it: 2.x schedule_interval, JSON ("0 1 * * *", a timedelta object, null,
 * "Dataset", "Dataset or 0 1 * * *"), 3.x timetable_summary ("None",
 * "Asset", "Asset or ...", "@once"), else the description Airflow renders
 * ("Never, external triggers only", "Triggered by datasets").  A schedule
 * on assets alone, none, or once is not on a clock; assets or a clock is.
 */
static bool
dag_timed(const char *sched, const char *desc)
{
	static const char *const never[] = { "", "null", "None", "@once",
		"Dataset", "Asset", NULL };
	char	 s[64];
	size_t	 len, i;

	if (sched == NULL)
		return desc != NULL && strncmp(desc, "Never", 5) != 0 &&
		    strncmp(desc, "Triggered by", 12) != 0;
	len = strlen(sched);
	if (len >= 2 && sched[0] == '"' && sched[len - 1] == '"') {
		sched++;
		len -= 2;
	}
	if (len >= sizeof s)
		return true;
	memcpy(s, sched, len);
	s[len] = '\0';
	for (i = 0; never[i] != NULL; i++)
		if (strcmp(s, never[i]) == 0)
			return false;
	if ((strncmp(s, "Dataset", 7) == 0 || strncmp(s, "Asset", 5) == 0) &&
	    strstr(s, " or ") == NULL)
		return false;
	return true;
}

/* Rows of kind 'a' (asset) and 'l' (alias): the facts references name. */
static void
facts_targets(struct deps_read *rd, const PGresult *res)
{
	struct dep_facts	*f = rd->out;
	struct dep_asset_fact	*a;
	struct dep_alias_fact	*l;
	int			 i, nt = PQntuples(res);

	rd->assets = xcalloc((size_t)nt + 1, sizeof *rd->assets);
	rd->aliases = xcalloc((size_t)nt + 1, sizeof *rd->aliases);
	for (i = 0; i < nt; i++) {
		const char *kind = PQgetvalue(res, i, 0);

		if (kind[0] == 'a') {
			rd->assets[rd->nassets].id = afdb_col_time(res, i, 1);
			rd->assets[rd->nassets++].index = f->nassets;
			a = dep_facts_asset(f);
			a->id = afdb_col_time(res, i, 1);
			a->name = col_str0(res, i, 3);
			a->uri = col_str0(res, i, 4);
			a->active = afdb_col_bool(res, i, 8);
		} else if (kind[0] == 'l') {
			rd->aliases[rd->naliases].id = afdb_col_time(res, i, 1);
			rd->aliases[rd->naliases++].index = f->naliases;
			l = dep_facts_alias(f);
			l->name = col_str0(res, i, 3);
		}
	}
	qsort(rd->assets, rd->nassets, sizeof *rd->assets, cmp_id);
	qsort(rd->aliases, rd->naliases, sizeof *rd->aliases, cmp_id);
}

/* An alias resolved to an asset (kind 'm'). */
static void
alias_member(struct deps_read *rd, size_t alias, size_t asset)
{
	struct dep_alias_fact *l = &rd->out->aliases[alias];

	l->assets = xreallocarray(l->assets, l->nassets + 1,
	    sizeof *l->assets);
	l->assets[l->nassets++] = asset;
}

/* A DAG row (kind 'd'). */
static void
facts_dag(struct deps_read *rd, const PGresult *res, int i)
{
	struct dep_dag_fact	*d = dep_facts_dag(rd->out);

	d->dag_id = col_str0(res, i, 3);
	d->expression = afdb_col_str(res, i, 4);
	d->timed = dag_timed(PQgetisnull(res, i, 5) ? NULL :
	    PQgetvalue(res, i, 5), PQgetisnull(res, i, 6) ? NULL :
	    PQgetvalue(res, i, 6));
	d->paused = afdb_col_bool(res, i, 7);
	d->active = afdb_col_bool(res, i, 8);
	d->next_run_after = afdb_col_time(res, i, 9);
}

/*
 * A reference to an asset or alias by database id: kind 'o' an outlet
 * (DAG, task), 's' a schedule on an asset, 't' on an alias.  A reference
 * to a row the first pass did not see (deleted meanwhile) is a warning.
 */
static void
facts_reference(struct deps_read *rd, const PGresult *res, int i, char kind)
{
	struct dep_facts		*f = rd->out;
	struct dep_outlet_fact		*o;
	struct dep_schedule_fact	*s;
	int64_t				 id = afdb_col_time(res, i, 1);
	size_t				 t;

	t = kind == 't' ? find_id(rd->aliases, rd->naliases, id) :
	    find_id(rd->assets, rd->nassets, id);
	if (t == (size_t)-1) {
		buf_printf(&f->warnings, "%s of DAG %s names %s %lld, which "
		    "is gone\n", kind == 'o' ? "an outlet" : "the schedule",
		    PQgetvalue(res, i, 3), kind == 't' ? "alias" : "asset",
		    (long long)id);
		return;
	}
	if (kind == 'o') {
		o = dep_facts_outlet(f);
		o->dag_id = col_str0(res, i, 3);
		o->task_id = afdb_col_str(res, i, 4);
		o->kind = DEP_TO_ASSET;
		o->target = t;
		return;
	}
	s = dep_facts_schedule(f);
	s->dag_id = col_str0(res, i, 3);
	s->kind = kind == 't' ? DEP_TO_ALIAS : DEP_TO_ASSET;
	s->target = t;
}

static void dependencies_row(struct deps_read *, const PGresult *, int);

/*
 * The statement's rows: targets first so references resolve, then the
 * references, then the dag_dependencies lists ('g'), which name assets
 * and aliases by uri and name.
 */
static void
facts_result(struct deps_read *rd, const PGresult *res)
{
	struct dep_schedule_fact	*s;
	size_t				 a, b;
	int				 i, nt = PQntuples(res);

	facts_targets(rd, res);
	for (i = 0; i < nt; i++) {
		char kind = PQgetvalue(res, i, 0)[0];

		switch (kind) {
		case 'd':
			facts_dag(rd, res, i);
			break;
		case 'o':
		case 's':
		case 't':
			facts_reference(rd, res, i, kind);
			break;
		case 'm':
			a = find_id(rd->aliases, rd->naliases,
			    afdb_col_time(res, i, 1));
			b = find_id(rd->assets, rd->nassets,
			    afdb_col_time(res, i, 2));
			if (a != (size_t)-1 && b != (size_t)-1)
				alias_member(rd, a, b);
			break;
		case 'n':
		case 'u':
			s = dep_facts_schedule(rd->out);
			s->dag_id = col_str0(res, i, 3);
			s->kind = kind == 'n' ? DEP_TO_NAME_REF : DEP_TO_URI_REF;
			s->ref = col_str0(res, i, 4);
			break;
		}
	}
	for (i = 0; i < nt; i++)
		if (PQgetvalue(res, i, 0)[0] == 'g')
			dependencies_row(rd, res, i);
}

/*
 * The tasks of DAG dag_id that emit through an alias, [task_id, alias]
 * pairs (JSON text): only the serialized tasks name them, dag_dependencies
 * names the alias for the DAG as a whole.  The DAG-level outlet of those
 * entries (from index first on) becomes the task's; a further task adds an
 * outlet of its own.
 */
static void
alias_task_outlets(struct dep_facts *f, const char *dag_id, size_t first,
    const char *pairs, size_t len)
{
	json_t			*v = json_loadb(pairs, len, 0, NULL), *p;
	struct dep_outlet_fact	*o;
	const char		*task, *name;
	size_t			 i, k, a;

	json_array_foreach(v, i, p) {
		task = json_string_value(json_array_get(p, 0));
		name = json_string_value(json_array_get(p, 1));
		if (task == NULL || name == NULL)
			continue;
		if ((a = dep_facts_find_alias(f, name)) == (size_t)-1) {
			dep_facts_alias(f)->name = xstrdup(name);
			a = f->naliases - 1;
		}
		for (k = first; k < f->noutlets; k++)
			if (f->outlets[k].kind == DEP_TO_ALIAS &&
			    f->outlets[k].target == a &&
			    f->outlets[k].task_id == NULL &&
			    strcmp(f->outlets[k].dag_id, dag_id) == 0)
				break;
		if (k == f->noutlets) {
			o = dep_facts_outlet(f);
			o->dag_id = xstrdup(dag_id);
			o->kind = DEP_TO_ALIAS;
			o->target = a;
		}
		f->outlets[k].task_id = xstrdup(task);
	}
	json_decref(v);
}

/*
 * One serialized DAG's dag_dependencies and alias outlets (a 'g' row of
 * DAG column 3): as the server extracted them (columns 4 and 5), or the
 * compressed document (column 10) inflated and read here.  An unreadable
 * one is a warning: its sensors, triggers and alias outlets are missing
 * from the graph, which is said.
 */
static void
dependencies_row(struct deps_read *rd, const PGresult *res, int i)
{
	struct dep_facts	*f = rd->out;
	const char		*dag_id = PQgetvalue(res, i, 3);
	struct buf		 text = BUF_INIT, deps = BUF_INIT,
				 aliases = BUF_INIT, why = BUF_INIT;
	unsigned char		*raw;
	size_t			 rawlen, first = f->noutlets;

	if (!PQgetisnull(res, i, 4)) {
		buf_puts(&deps, PQgetvalue(res, i, 4));
		if (!PQgetisnull(res, i, 5))
			buf_puts(&aliases, PQgetvalue(res, i, 5));
	} else if (!PQgetisnull(res, i, 10)) {
		raw = PQunescapeBytea((const unsigned char *)
		    PQgetvalue(res, i, 10), &rawlen);
		if (raw == NULL)
			buf_puts(&why, "cannot decode data_compressed");
		else {
			if (serdag_inflate(raw, rawlen, rd->db->serdag_max,
			    &text, &why) == 0)
				serdag_dependencies(text.data, text.len,
				    rd->db->serdag_max, &deps, &aliases, &why);
			PQfreemem(raw);
		}
	}
	if (why.len > 0)
		buf_printf(&f->warnings, "serialized DAG of %s unreadable "
		    "(%s); its sensors, triggers and alias outlets are left "
		    "out\n", dag_id, buf_str(&why));
	else if (deps.len > 0 && strcmp(buf_str(&deps), "[]") != 0) {
		dep_facts_add_dependencies(f, dag_id, deps.data, deps.len);
		if (aliases.len > 0 && strcmp(buf_str(&aliases), "[]") != 0)
			alias_task_outlets(f, dag_id, first, aliases.data,
			    aliases.len);
	}
	buf_free(&text);
	buf_free(&deps);
	buf_free(&aliases);
	buf_free(&why);
}

/*
 * The answer read, or on error nothing (dep_facts_free: *out holds
 * nothing then), then the callback.
 */
static void
facts_cb(void *arg, const PGresult *res, const char *err)
{
	struct deps_read	*rd = arg;
	sched_cb		 cb = rd->cb;
	void			*cbarg = rd->arg;

	if (err == NULL)
		facts_result(rd, res);
	else
		dep_facts_free(rd->out);
	free(rd->assets);
	free(rd->aliases);
	free(rd);
	cb(cbarg, err);
}

/*
 * The 'g' rows of the facts' statement: per DAG, the dag_dependencies of
 * its newest serialized DAG (2.x keeps one row per DAG; 3.x one per
 * version, the newest through dag_version's (dag_id, version_number)
 * index, as fetch_graph reads it), as the list's JSON text; for a
 * compressed row (data NULL) the zlib bytes instead; and when the list
 * names an alias, its tasks' alias outlets as [task_id, alias] pairs
 * (tasks bare or wrapped, each outlet {"__type": "dataset_alias" |
 * "asset_alias", "__var": {"name"}}), every step guarded so that an odd
 * document gives nothing rather than an error.  data is json on 2.x and
 * 3.1, jsonb on 3.2: #> reads both, and the pairs read it as jsonb.
 *
 * Only a list with a sensor, trigger or alias entry adds a fact
 * (depgraph_facts.c: asset entries come from the reference tables), so
 * out of json text (2.x, 3.1) the list is parsed only in a document that
 * holds "sensor", "trigger" or set-alias (the types "dataset-alias" and
 * "asset-alias", and the "dataset-alias:" / "asset-alias:" ends of a
 * resolved alias) or \u00, the one way JSON can spell those ASCII
 * letters otherwise (not any backslash: 3.x escapes the quotes of every
 * asset entry's id).  Four scans with no false negative whatever the
 * document's spacing, where parsing every document took most of the
 * impact's time: at the bench's 2,000 documents (13 MB; 144 kept on
 * 2.10, 170 on 3.1) the facts take 57 ms where they took 83 on 2.10, 73
 * where 95 on 3.1 (means of 11 runs), most of it the detoasting both
 * need.  A document left out loses only the warnings an odd asset
 * entry or list of it would give.  The text is detoasted once (|| ''
 * makes a copy of its own, OFFSET 0 keeps it from being inlined into
 * each test), and the list extracted once per row, in a subquery that
 * runs only for a kept document.  jsonb (3.2) is not scanned: #> finds
 * the list there without parsing, cheaper than writing the text out.
 * Compressed rows cannot be tested here and all come.
 */
static void
dependencies_sql(const struct af_schema *s, struct buf *sql)
{
	buf_puts(sql, " UNION ALL SELECT 'g', NULL, NULL, s.dag_id::text, "
	    "x.deps::text, CASE WHEN x.deps::text LIKE '%-alias\"%' THEN ("
	    "SELECT jsonb_agg(jsonb_build_array(t.t->>'task_id', coalesce("
	    "o->'__var', o)->>'name'))::text FROM (SELECT s.data::jsonb->'dag' "
	    "AS dag) d CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN "
	    "jsonb_typeof(d.dag->'tasks') = 'array' THEN d.dag->'tasks' ELSE "
	    "'[]' END) e CROSS JOIN LATERAL (SELECT coalesce(e->'__var', e) AS "
	    "t) t CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN "
	    "jsonb_typeof(t.t->'outlets') = 'array' THEN t.t->'outlets' ELSE "
	    "'[]' END) o WHERE o->>'__type' IN ('dataset_alias', "
	    "'asset_alias') AND t.t->>'task_id' IS NOT NULL AND coalesce("
	    "o->'__var', o)->>'name' IS NOT NULL) END, NULL, NULL, NULL, NULL, "
	    "CASE WHEN s.data IS NULL THEN s.data_compressed END FROM ");
	if (s->dag_version)
		buf_puts(sql, "dag d CROSS JOIN LATERAL (SELECT v.id FROM "
		    "dag_version v WHERE v.dag_id = d.dag_id ORDER BY "
		    "v.version_number DESC LIMIT 1) v JOIN serialized_dag s ON "
		    "s.dag_version_id = v.id");
	else
		buf_puts(sql, "serialized_dag s");
	buf_puts(sql, " CROSS JOIN LATERAL (SELECT CASE WHEN pg_typeof(s.data) "
	    "<> 'jsonb'::regtype THEN s.data::text || '' END AS t OFFSET 0) y "
	    "LEFT JOIN LATERAL (SELECT s.data #> '{dag,dag_dependencies}' AS "
	    "deps WHERE y.t IS NULL OR strpos(y.t, '\"sensor\"') > 0 OR "
	    "strpos(y.t, '\"trigger\"') > 0 OR strpos(y.t, 'set-alias') > 0 "
	    "OR strpos(y.t, E'\\\\u00') > 0 OFFSET 0) x ON true WHERE s.data "
	    "IS NULL OR x.deps IS NOT NULL");
}

/* facts_sql's rows of the dataset or asset tables. */
static void
facts_assets_sql(const struct af_schema *s, struct buf *sql)
{
	const char *w = s->assets;

	buf_printf(sql, " UNION ALL SELECT 'a', a.id, NULL, %s, a.uri::text, "
	    "NULL, NULL, NULL, %s, NULL, NULL FROM %s a",
	    strcmp(w, "asset") == 0 ? "a.name::text" : "a.uri::text",
	    !s->asset_active ? "true" : strcmp(w, "asset") == 0 ?
	    "EXISTS (SELECT 1 FROM asset_active x WHERE x.name = a.name AND "
	    "x.uri = a.uri)" : "NOT coalesce(a.is_orphaned, false)", w);
	buf_printf(sql, " UNION ALL SELECT 'o', o.%s_id, NULL, o.dag_id::text, "
	    "o.task_id::text, NULL, NULL, NULL, NULL, NULL, NULL FROM "
	    "task_outlet_%s_reference o", w, w);
	buf_printf(sql, " UNION ALL SELECT 's', r.%s_id, NULL, r.dag_id::text, "
	    "NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
	    "dag_schedule_%s_reference r", w, w);
	if (s->asset_aliases) {
		buf_printf(sql, " UNION ALL SELECT 'l', l.id, NULL, "
		    "l.name::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
		    "%s_alias l", w);
		buf_printf(sql, " UNION ALL SELECT 'm', m.alias_id, m.%s_id, "
		    "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM "
		    "%s_alias_%s m", w, w, w);
		buf_printf(sql, " UNION ALL SELECT 't', r.alias_id, NULL, "
		    "r.dag_id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
		    "FROM dag_schedule_%s_alias_reference r", w);
	}
	if (s->asset_refs)
		buf_printf(sql, " UNION ALL SELECT 'n', NULL, NULL, "
		    "r.dag_id::text, r.name::text, NULL, NULL, NULL, NULL, NULL, "
		    "NULL FROM dag_schedule_%s_name_reference r UNION ALL SELECT "
		    "'u', NULL, NULL, r.dag_id::text, r.uri::text, NULL, NULL, "
		    "NULL, NULL, NULL, NULL FROM dag_schedule_%s_uri_reference r",
		    w, w);
}

/*
 * The facts' statement: every DAG ('d': dag_id, expression, schedule,
 * description, paused, active, next run), and where the release has
 * them every asset ('a': id, name, uri, active), alias ('l': id, name),
 * alias resolution ('m': alias id, asset id), task outlet ('o': asset id,
 * DAG, task), schedule on an asset ('s': asset id, DAG), on an alias ('t':
 * alias id, DAG) and on a name or uri reference ('n', 'u': DAG, ref);
 * then dependencies_sql's rows ('g').  Columns: kind, two ids, four
 * texts, two flags, a time, bytes.
 */
static void
facts_sql(const struct af_schema *s, struct buf *sql)
{
	const char *w = s->assets;

	buf_puts(sql, "SELECT 'd'::text AS kind, NULL::int8 AS a, NULL::int8 "
	    "AS b, d.dag_id::text AS s1, ");
	if (s->asset_expression)
		buf_printf(sql, "d.%s_expression::text", w);
	else
		buf_puts(sql, "NULL::text");
	buf_printf(sql, " AS s2, d.%s::text AS s3, %s AS s4, coalesce("
	    "d.is_paused, false) AS f1, %s AS f2, "
	    EPOCH("d.next_dagrun_create_after") " AS t, NULL::bytea AS c FROM "
	    "dag d",
	    s->timetable_summary ? "timetable_summary" : "schedule_interval",
	    s->timetable_description ? "d.timetable_description::text" :
	    "NULL::text", s->is_stale ? "NOT coalesce(d.is_stale, false)" :
	    "coalesce(d.is_active, false)");
	if (w != NULL)
		facts_assets_sql(s, sql);
	dependencies_sql(s, sql);
}

void
afdb_fetch_deps(struct sched *sd, struct dep_facts *out, sched_cb cb,
    void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct deps_read	*rd = xcalloc(1, sizeof *rd);
	struct buf		 sql = BUF_INIT;

	dep_facts_free(out);
	rd->db = db;
	rd->out = out;
	rd->cb = cb;
	rd->arg = arg;
	if (s->assets == NULL)
		buf_puts(&out->gaps, "assets: the database has no dataset or "
		    "asset tables (airflow_dependencies.md); only sensors and "
		    "triggers are read\n");
	facts_sql(s, &sql);
	pg_query(db->pg, buf_str(&sql), 0, NULL, facts_cb, rd);
	buf_free(&sql);
}

/* --- the state of a walk ------------------------------------------------- */

/* One read of the state: the DAGs asked, sorted, and where it goes. */
struct state_read {
	struct dep_state	*out;
	const char		**dags;
	size_t			 ndags;
	int64_t			*asset_ids;
	const char		**asset_uris;
	size_t			 nassets;
	sched_cb		 cb;
	void			*arg;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 'r': a DAG's newest run, its failed or retrying instance, its median. */
static void
state_dag(struct state_read *rd, const PGresult *res, int i)
{
	struct dep_dag_state	*d;
	size_t			 k;

	if (!afdb_col_index(res, i, 1, rd->ndags, &k))
		return;
	d = &rd->out->dags[k];
	d->has_run = !PQgetisnull(res, i, 2);
	if (d->has_run) {
		d->run_id = afdb_col_str(res, i, 2);
		d->run_state = run_state_parse(PQgetvalue(res, i, 3));
		d->run_start = afdb_col_time(res, i, 6);
		d->run_end = afdb_col_time(res, i, 7);
		d->run_after = afdb_col_time(res, i, 8);
	}
	if (!PQgetisnull(res, i, 4)) {
		d->bad_task = afdb_col_str(res, i, 4);
		d->bad_state = ti_state_parse(PQgetvalue(res, i, 5));
		d->bad_end = afdb_col_time(res, i, 9);
		d->bad_try = afdb_col_int(res, i, 10, 0);
		/* The tries in all: max_tries counts the retries. */
		d->bad_max_tries = afdb_col_int(res, i, 11, 0) + 1;
	}
	if (!PQgetisnull(res, i, 12))
		d->median = (int64_t)afdb_col_double(res, i, 12);
}

/* 'e': an asset's newest event and who wrote it. */
static void
state_asset(struct state_read *rd, const PGresult *res, int i)
{
	struct dep_asset_state	*a;
	size_t			 k;

	if (!afdb_col_index(res, i, 1, rd->nassets, &k))
		return;
	a = &rd->out->assets[k];
	if (!PQgetisnull(res, i, 7))
		a->id = afdb_col_time(res, i, 7);
	a->last_event = afdb_col_time(res, i, 6);
	a->source_dag = afdb_col_str(res, i, 2);
	a->source_task = afdb_col_str(res, i, 3);
	a->source_run = afdb_col_str(res, i, 4);
}

/* The state statement's rows into the slots state_prepare made. */
static void
state_result(struct state_read *rd, const PGresult *res)
{
	struct dep_state	*st = rd->out;
	size_t			 k;
	int			 i, nt = PQntuples(res);

	st->queued = xcalloc((size_t)nt + 1, sizeof *st->queued);
	st->queued_uri = xcalloc((size_t)nt + 1, sizeof *st->queued_uri);
	for (i = 0; i < nt; i++) {
		switch (PQgetvalue(res, i, 0)[0]) {
		case 'r':
			state_dag(rd, res, i);
			break;
		case 'e':
			state_asset(rd, res, i);
			break;
		case 'q':
			k = st->nqueued++;
			st->queued[k] = afdb_col_time(res, i, 7);
			st->queued_uri[k] = col_str0(res, i, 2);
			break;
		case 'n':
			st->now = afdb_col_time(res, i, 6);
			break;
		}
	}
}

static void
state_read_free(struct state_read *rd)
{
	free(rd->dags);
	free(rd->asset_ids);
	free(rd->asset_uris);
	free(rd);
}

/* The answer, or on error nothing (dep_state_free), then the callback. */
static void
state_cb(void *arg, const PGresult *res, const char *err)
{
	struct state_read	*rd = arg;
	sched_cb		 cb = rd->cb;
	void			*cbarg = rd->arg;

	if (err == NULL)
		state_result(rd, res);
	else
		dep_state_free(rd->out);
	state_read_free(rd);
	cb(cbarg, err);
}

/*
 * The state statement: 'r' per DAG of $1 (its newest run in Airflow's
 * order, the newest failed or up_for_retry instance of that run, the
 * median of its newest SLA_MEDIAN_RUNS successful runs, each through the
 * (dag_id, ...) indexes, one index range per DAG); 'e' per asset of $2/$3
 * (its newest event through the (asset id, timestamp) index; an id of 0
 * is looked up by uri); 'q' per asset queued for the consumer $4; 'n' the
 * database clock.  Columns: kind, index, four texts, four times, try,
 * max_tries, median.
 */
static void
state_sql(const struct af_schema *s, struct buf *sql)
{
	const char	*w = s->assets;
	const char	*order = s->run_after ? "r.run_after" :
			    s->logical_date ? "r.logical_date" :
			    "r.execution_date";
	const char	*after = s->run_after ? "r.run_after" :
			    "coalesce(r.data_interval_end, r.execution_date)";

	buf_printf(sql, "SELECT 'r'::text AS kind, k.i::int8 AS i, "
	    "r.run_id::text, r.state::text, t.task_id::text, t.state::text, "
	    EPOCH("r.start_date") ", " EPOCH("r.end_date") ", "
	    EPOCH("r.due") ", " EPOCH("t.end_date") ", t.try_number::int, "
	    "t.max_tries::int, m.median::float8 FROM unnest($1::text[]) WITH "
	    "ORDINALITY AS k(dag_id, i) LEFT JOIN LATERAL (SELECT r.run_id, "
	    "r.state, r.start_date, r.end_date, %s AS due FROM dag_run r "
	    "WHERE r.dag_id = k.dag_id ORDER BY %s DESC, r.id DESC LIMIT 1) r "
	    "ON true LEFT JOIN LATERAL (SELECT ti.task_id, ti.state, "
	    "ti.try_number, ti.max_tries, ti.end_date FROM task_instance ti "
	    "WHERE ti.dag_id = k.dag_id AND ti.run_id = r.run_id AND ti.state "
	    "IN ('failed', 'up_for_retry') ORDER BY ti.end_date DESC NULLS "
	    "LAST, ti.task_id LIMIT 1) t ON true LEFT JOIN LATERAL (SELECT "
	    "percentile_cont(0.5) WITHIN GROUP (ORDER BY x.secs) AS median "
	    "FROM (SELECT extract(epoch FROM r.end_date - r.start_date) AS "
	    "secs FROM dag_run r WHERE r.dag_id = k.dag_id AND r.state = "
	    "'success' AND r.start_date IS NOT NULL AND r.end_date IS NOT "
	    "NULL ORDER BY %s DESC LIMIT %d) x) m ON true", after, order,
	    order, SLA_MEDIAN_RUNS);
	if (w != NULL) {
		buf_printf(sql, " UNION ALL SELECT 'e', k.i, e.source_dag_id, "
		    "e.source_task_id, e.source_run_id, NULL, "
		    EPOCH("e.timestamp") ", a.id::int8, NULL, NULL, NULL, NULL, "
		    "NULL FROM unnest($2::int8[], $3::text[]) WITH ORDINALITY AS "
		    "k(id, uri, i) CROSS JOIN LATERAL (SELECT coalesce(nullif("
		    "k.id, 0), (SELECT a.id FROM %s a WHERE a.uri = k.uri ORDER "
		    "BY a.id LIMIT 1)) AS id) a LEFT JOIN LATERAL (SELECT "
		    "e.source_dag_id, e.source_task_id, e.source_run_id, "
		    "e.timestamp FROM %s_event e WHERE e.%s_id = a.id ORDER BY "
		    "e.timestamp DESC LIMIT 1) e ON true", w, w, w);
		buf_printf(sql, " UNION ALL SELECT 'q', NULL, a.uri::text, "
		    "NULL, NULL, NULL, NULL, q.%s_id::int8, NULL, NULL, NULL, "
		    "NULL, NULL FROM %s_dag_run_queue q JOIN %s a ON a.id = "
		    "q.%s_id WHERE q.target_dag_id = $4", w, w, w, w);
	}
	buf_puts(sql, " UNION ALL SELECT 'n', NULL, NULL, NULL, NULL, NULL, "
	    EPOCH("now()") ", NULL, NULL, NULL, NULL, NULL, NULL");
}

/* The arrays of the statement, and the answer's slots for them. */
static void
state_prepare(struct state_read *rd, const struct dep_ask *ask)
{
	struct dep_state	*st = rd->out;
	size_t			 i;

	rd->dags = xcalloc(ask->ndags + 1, sizeof *rd->dags);
	for (i = 0; i < ask->ndags; i++)
		if (ask->dag_ids[i] != NULL)
			rd->dags[rd->ndags++] = ask->dag_ids[i];
	qsort(rd->dags, rd->ndags, sizeof *rd->dags, cmp_str);
	for (i = 0; i + 1 < rd->ndags; )	/* unique */
		if (strcmp(rd->dags[i], rd->dags[i + 1]) == 0)
			memmove(&rd->dags[i + 1], &rd->dags[i + 2],
			    (--rd->ndags - i - 1) * sizeof *rd->dags);
		else
			i++;
	st->dags = xcalloc(rd->ndags + 1, sizeof *st->dags);
	st->ndags = rd->ndags;
	for (i = 0; i < rd->ndags; i++) {
		st->dags[i].dag_id = xstrdup(rd->dags[i]);
		st->dags[i].run_start = st->dags[i].run_end = TIME_NONE;
		st->dags[i].run_after = st->dags[i].bad_end = TIME_NONE;
		st->dags[i].median = -1;
	}
	rd->nassets = ask->nassets;
	rd->asset_ids = xcalloc(ask->nassets + 1, sizeof *rd->asset_ids);
	rd->asset_uris = xcalloc(ask->nassets + 1, sizeof *rd->asset_uris);
	st->assets = xcalloc(ask->nassets + 1, sizeof *st->assets);
	st->nassets = ask->nassets;
	for (i = 0; i < ask->nassets; i++) {
		rd->asset_ids[i] = ask->asset_ids != NULL ? ask->asset_ids[i] : 0;
		rd->asset_uris[i] = ask->asset_uris != NULL &&
		    ask->asset_uris[i] != NULL ? ask->asset_uris[i] : "";
		st->assets[i].id = rd->asset_ids[i];
		st->assets[i].uri = xstrdup(rd->asset_uris[i]);
		st->assets[i].last_event = TIME_NONE;
	}
	st->queued_for = ask->consumer != NULL ? xstrdup(ask->consumer) : NULL;
	st->now = TIME_NONE;
}

void
afdb_fetch_dep_state(struct sched *sd, const struct dep_ask *ask,
    struct dep_state *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct state_read	*rd = xcalloc(1, sizeof *rd);
	struct buf		 sql = BUF_INIT, dags = BUF_INIT, ids = BUF_INIT,
				 uris = BUF_INIT;
	const char		*params[4];
	size_t			 i;

	dep_state_free(out);
	rd->out = out;
	rd->cb = cb;
	rd->arg = arg;
	state_prepare(rd, ask);
	pg_array_literal(&dags, rd->dags, rd->ndags);
	pg_array_literal(&uris, rd->asset_uris, rd->nassets);
	buf_putc(&ids, '{');
	for (i = 0; i < rd->nassets; i++)
		buf_printf(&ids, "%s%lld", i > 0 ? "," : "",
		    (long long)rd->asset_ids[i]);
	buf_putc(&ids, '}');
	state_sql(s, &sql);
	params[0] = buf_str(&dags);
	params[1] = buf_str(&ids);
	params[2] = buf_str(&uris);
	params[3] = ask->consumer != NULL ? ask->consumer : "";
	pg_query(db->pg, buf_str(&sql), s->assets != NULL ? 4 : 1, params,
	    state_cb, rd);
	buf_free(&sql);
	buf_free(&dags);
	buf_free(&ids);
	buf_free(&uris);
}
