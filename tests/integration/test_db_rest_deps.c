/*
 * test_db_rest_deps.c: the dependency facts and the walk's state through
 * the REST API (airflow_rest_deps.c) equal the database's.  run.sh's
 * af<schema>_deps (fixture_deps2.sql / fixture_deps3.sql, the same
 * scenario on the dataset and the asset tables) behind the Airflow API
 * emulator in pages of 5 (--self-test: every request and answer checked
 * against the OpenAPI document): every edge kind the API gives (task
 * outlets, schedules on assets, on v2 what an alias resolved to), every
 * asset and DAG with its expression, pause and activity are what the
 * tables hold, read in the requests the source's header counts; gaps
 * names each edge kind it cannot give (sensors and triggers, aliases,
 * Asset.ref), and the model's impact built from them reaches what those
 * edges reach.  The same facts and the database source's
 * (airflow_db_deps.c) agree kind by kind.  Then the state of every DAG
 * and asset: newest run, its failed task, the median of the newest
 * successes, each asset's newest event and who wrote it, and the
 * consumer's queue, against SQL and against the database source's.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>
#include <libpq-fe.h>

#include "airflow_rest.h"
#include "buf.h"
#include "dbtest.h"
#include "depgraph.h"
#include "http.h"
#include "loop.h"
#include "sla.h"

#define PAGE	5

static char		 db[64], url[64];
static pid_t		 emu;
static PGconn		*pg;

/* The rows of q, each row's columns joined by "|", sorted, one a line. */
static char **
rows(const char *q)
{
	PGresult	*r = PQexec(pg, q);
	char		**v;
	int		 n;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(pg));
	n = PQntuples(r);
	v = calloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++) {
		struct buf l = BUF_INIT;

		for (int c = 0; c < PQnfields(r); c++)
			buf_printf(&l, "%s%s", c > 0 ? "|" : "",
			    PQgetisnull(r, i, c) ? "-" : PQgetvalue(r, i, c));
		v[i] = buf_detach(&l);
	}
	PQclear(r);
	return v;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of a NULL-ended array (freed), as one text. */
static char *
lines(char **v)
{
	struct buf	 b = BUF_INIT;
	size_t		 n = 0;

	while (v[n] != NULL)
		n++;
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_str);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	return buf_detach(&b);
}

static char *
sql_lines(const char *q)
{
	return lines(rows(q));
}

/* A growing NULL-ended array of lines. */
struct set {
	char	**v;
	size_t	  n;
};

static void
add(struct set *s, const char *fmt, ...)
{
	va_list		ap;
	struct buf	b = BUF_INIT;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->v = realloc(s->v, (s->n + 2) * sizeof *s->v);
	s->v[s->n++] = buf_detach(&b);
	s->v[s->n] = NULL;
}

static char *
set_lines(struct set *s)
{
	if (s->v == NULL)
		add(s, "%s", "");
	return lines(s->v);
}

static void
same(const char *what, char *api, char *sql)
{
	if (strcmp(api, sql) != 0)
		fail_msg("%s through the API:\n%s\nin the database:\n%s", what,
		    api, sql);
	free(api);
	free(sql);
}

static long
count(const char *q)
{
	char	**v = rows(q);
	long	  n = atol(v[0]);

	free(v[0]);
	free(v);
	return n;
}

/* The emulator on af<schema>_deps, validating, pages of PAGE. */
static int
setup(void **state)
{
	(void)state;
	snprintf(db, sizeof db, "af%d_deps", schema);
	pg = connect_to(db);
	emu = dbtest_emu_start(db, true, url, sizeof url);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	dbtest_emu_stop(emu);
	PQfinish(pg);
	return 0;
}

static struct sched *
open_rest(void)
{
	struct airflow_api_opts	 o;
	struct http_opts	 ho;
	struct buf		 err = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*sd;

	memset(&o, 0, sizeof o);
	memset(&ho, 0, sizeof ho);
	o.url = url;
	o.auth = "none";
	o.timeout = 30;
	sd = airflow_rest_open(L, &o, &ho, PAGE, wake, &w, &err);
	if (sd == NULL)
		fail_msg("%s", buf_str(&err));
	wait_ok(&w);
	return sd;
}

/*
 * The emulator found no request or answer the OpenAPI document refuses,
 * but one: 2.10 stores the expression of a DAG scheduled on one dataset as
 * its URI, a JSON string, where v1's document says an object (the
 * emulator answers what the table holds, as Airflow does).
 */
static void
spec_clean(void)
{
	char		 cmd[160], out[65536];
	FILE		*p;
	size_t		 n, i;
	json_t		*doc, *e;

	snprintf(cmd, sizeof cmd, "curl -s %s/_emu/invalid", url);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("curl");
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	doc = json_loads(out, 0, NULL);
	if (doc == NULL || !json_is_true(json_object_get(doc, "validating")))
		fail_msg("the emulator's /_emu/invalid: %s", out);
	json_array_foreach(json_object_get(doc, "invalid"), i, e) {
		json_t *err = json_array_get(json_object_get(e, "errors"), 0);
		const char *loc = json_string_value(json_array_get(
		    json_object_get(err, "loc"), 1));

		if (schema != 2 || json_array_size(json_object_get(e,
		    "errors")) != 1 || loc == NULL ||
		    strcmp(loc, "dataset_expression") != 0)
			fail_msg("the emulator's /_emu/invalid: %s", out);
	}
	json_decref(doc);
}

static long
pages(long n)
{
	return n == 0 ? 1 : (n + PAGE - 1) / PAGE;
}

static const char *
asset_uri(const struct dep_facts *f, enum dep_target_kind k, size_t t,
    const char *ref)
{
	if (k == DEP_TO_ASSET)
		return t < f->nassets ? f->assets[t].uri : "?";
	if (k == DEP_TO_ALIAS)
		return t < f->naliases ? f->aliases[t].name : "?";
	return ref != NULL ? ref : "?";
}

/* Whether the stored expression text and the API's are the same JSON. */
static void
same_expressions(const struct dep_facts *f, const char *t)
{
	char		 q[256];
	PGresult	*r;

	snprintf(q, sizeof q, "SELECT dag_id, %s_expression::text FROM dag "
	    "WHERE dag_id IN (SELECT dag_id FROM dag_schedule_%s_reference)",
	    t, t);
	r = PQexec(pg, q);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_true(PQntuples(r) > 0);
	for (int i = 0; i < PQntuples(r); i++) {
		const char	*id = PQgetvalue(r, i, 0);
		json_t		*want = NULL, *got = NULL;
		size_t		 k;

		for (k = 0; k < f->ndags; k++)
			if (strcmp(f->dags[k].dag_id, id) == 0)
				break;
		if (k == f->ndags)
			fail_msg("DAG %s is not in the API's facts", id);
		if (!PQgetisnull(r, i, 1))
			want = json_loads(PQgetvalue(r, i, 1), JSON_DECODE_ANY,
			    NULL);
		if (f->dags[k].expression != NULL)
			got = json_loads(f->dags[k].expression,
			    JSON_DECODE_ANY, NULL);
		if (!((want == NULL && got == NULL) || json_equal(want, got)))
			fail_msg("%s: expression %s through the API, %s in "
			    "the database", id, f->dags[k].expression != NULL ?
			    f->dags[k].expression : "null",
			    PQgetisnull(r, i, 1) ? "null" :
			    PQgetvalue(r, i, 1));
		json_decref(want);
		json_decref(got);
	}
	PQclear(r);
}

/*
 * The fixture's impact of ingest_orders.load failing, as far as the API's
 * edges reach (the fixture's header has the whole): sales_mart (its all
 * waits on orders) and old_mart (stale, on orders); finance_mart is an
 * any still fed by customers.  alias_mart (alias), report_x (sensor),
 * exports (trigger) and archive (behind exports) are the gaps'.
 */
#define IMPACT_API	"old_mart\nsales_mart\n"

/* The DAGs a failure of ingest_orders.load holds back, one a line. */
static char *
impact_dags(const struct depgraph *g)
{
	struct dep_impact	 imp;
	struct set		 s = { 0 };

	memset(&imp, 0, sizeof imp);
	assert_int_equal(dep_impact(g, "ingest_orders", "load", NULL, NULL,
	    &imp), 0);
	for (size_t i = 0; i < imp.nitems; i++)
		if (imp.items[i].kind == DEP_NODE_DAG &&
		    strcmp(imp.items[i].dag_id, "ingest_orders") != 0)
			add(&s, "%s", imp.items[i].dag_id);
	dep_impact_free(&imp);
	return set_lines(&s);
}

static void
test_facts(void **state)
{
	struct sched		*sd = open_rest();
	struct dep_facts	 f;
	struct waiter		 w = { false, NULL };
	struct set		 s = { 0 };
	struct depgraph		*g;
	const char		*t = schema == 2 ? "dataset" : "asset";
	char			 q[512];
	long			 before, req, want;

	(void)state;
	memset(&f, 0, sizeof f);
	before = airflow_rest_requests(sd);
	sched_fetch_deps(sd, &f, wake, &w);
	wait_ok(&w);
	req = airflow_rest_requests(sd) - before;

	/* Schedules on assets and task outlets: every row. */
	for (size_t i = 0; i < f.nschedules; i++)
		if (f.schedules[i].kind == DEP_TO_ASSET)
			add(&s, "%s|%s", f.schedules[i].dag_id, asset_uri(&f,
			    f.schedules[i].kind, f.schedules[i].target,
			    f.schedules[i].ref));
	snprintf(q, sizeof q, "SELECT r.dag_id, a.uri FROM "
	    "dag_schedule_%s_reference r JOIN %s a ON a.id = r.%s_id", t, t, t);
	same("schedules on assets", set_lines(&s), sql_lines(q));
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < f.noutlets; i++)
		add(&s, "%s|%s|%s", f.outlets[i].dag_id, f.outlets[i].task_id,
		    asset_uri(&f, f.outlets[i].kind, f.outlets[i].target,
		    f.outlets[i].ref));
	snprintf(q, sizeof q, "SELECT o.dag_id, o.task_id, a.uri FROM "
	    "task_outlet_%s_reference o JOIN %s a ON a.id = o.%s_id", t, t, t);
	same("task outlets", set_lines(&s), sql_lines(q));

	/* Assets: id, uri, name, active. */
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < f.nassets; i++)
		add(&s, "%lld|%s|%s|%s", (long long)f.assets[i].id,
		    f.assets[i].uri, f.assets[i].name,
		    f.assets[i].active ? "t" : "f");
	/* v1 cannot see aliases: one only an alias resolved to reads as
	   orphaned (gaps says so). */
	same("assets", set_lines(&s), sql_lines(schema == 2 ?
	    "SELECT id, uri, uri, NOT is_orphaned AND (EXISTS (SELECT 1 FROM "
	    "dag_schedule_dataset_reference r WHERE r.dataset_id = d.id) OR "
	    "EXISTS (SELECT 1 FROM task_outlet_dataset_reference o WHERE "
	    "o.dataset_id = d.id)) FROM dataset d" :
	    "SELECT a.id, a.uri, a.name, EXISTS (SELECT 1 FROM asset_active x "
	    "WHERE x.name = a.name AND x.uri = a.uri) FROM asset a"));

	/* Aliases and what they resolved to: v2 only (gaps on v1). */
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < f.naliases; i++) {
		add(&s, "%s", f.aliases[i].name);
		for (size_t k = 0; k < f.aliases[i].nassets; k++)
			add(&s, "%s|%s", f.aliases[i].name,
			    f.assets[f.aliases[i].assets[k]].uri);
	}
	same("aliases", set_lines(&s), schema == 2 ? sql_lines("SELECT '' "
	    "WHERE false UNION ALL SELECT ''") : sql_lines("SELECT name FROM "
	    "asset_alias UNION ALL SELECT al.name || '|' || a.uri FROM "
	    "asset_alias al JOIN asset_alias_asset x ON x.alias_id = al.id "
	    "JOIN asset a ON a.id = x.asset_id"));

	/* DAGs: pause and activity; the consumers' expressions. */
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < f.ndags; i++)
		add(&s, "%s|%s|%s", f.dags[i].dag_id, f.dags[i].paused ? "t" :
		    "f", f.dags[i].active ? "t" : "f");
	same("DAGs", set_lines(&s), sql_lines(schema == 2 ?
	    "SELECT dag_id, is_paused, is_active FROM dag" :
	    "SELECT dag_id, is_paused, NOT is_stale FROM dag"));
	same_expressions(&f, t);

	/* What the API cannot give, said. */
	assert_non_null(strstr(buf_str(&f.gaps), "sensors and triggers"));
	if (schema == 2)
		assert_non_null(strstr(buf_str(&f.gaps), "dataset aliases"));
	else {
		assert_non_null(strstr(buf_str(&f.gaps), "alias outlets"));
		assert_non_null(strstr(buf_str(&f.gaps), "Asset.ref"));
	}
	assert_int_equal(f.nlinks, 0);
	assert_string_equal(buf_str(&f.warnings), "");

	/* The requests the source's header counts. */
	snprintf(q, sizeof q, "SELECT count(DISTINCT dag_id) FROM "
	    "dag_schedule_%s_reference", t);
	want = pages(count("SELECT count(*) FROM dag")) + count(q);
	snprintf(q, sizeof q, "SELECT count(*) FROM %s", t);
	want += pages(count(q));
	if (schema != 2)
		want += pages(count("SELECT count(*) FROM asset_alias"));
	print_message("a graph through API v%d in pages of %d: %ld requests "
	    "(%zu DAGs, %zu assets, %zu aliases)\n", schema == 2 ? 1 : 2,
	    PAGE, req, f.ndags, f.nassets, f.naliases);
	assert_int_equal(req, want);
	spec_clean();

	/* The model's graph of them: the gaps carried, the cycle seen. */
	g = depgraph_build(&f);
	assert_non_null(g);
	assert_string_equal(depgraph_gaps(g), buf_str(&f.gaps));
	assert_int_equal(depgraph_nassets(g), f.nassets);
	assert_true(depgraph_has_dag(g, "sales_mart"));
	assert_non_null(strstr(depgraph_warnings(g), "cyc_a"));
	same("held back by ingest_orders.load", impact_dags(g),
	    xstrdup(IMPACT_API));
	depgraph_free(g);
	dep_facts_free(&f);
	sched_free(sd);
}

/* The API's and the database source's facts, one kind as lines. */
enum fkind { F_SCHEDULES, F_OUTLETS, F_ASSETS, F_ALIASES, F_DAGS, F_EXPR };

/* Whether asset a has a schedule or outlet of kind DEP_TO_ASSET. */
static bool
referenced(const struct dep_facts *f, size_t a)
{
	for (size_t i = 0; i < f->nschedules; i++)
		if (f->schedules[i].kind == DEP_TO_ASSET &&
		    f->schedules[i].target == a)
			return true;
	for (size_t i = 0; i < f->noutlets; i++)
		if (f->outlets[i].kind == DEP_TO_ASSET &&
		    f->outlets[i].target == a)
			return true;
	return false;
}

/* Whether dag_id is scheduled on an asset (its details were read). */
static bool
consumer(const struct dep_facts *f, const char *dag_id)
{
	for (size_t i = 0; i < f->nschedules; i++)
		if (f->schedules[i].kind == DEP_TO_ASSET &&
		    strcmp(f->schedules[i].dag_id, dag_id) == 0)
			return true;
	return false;
}

/*
 * What the API can give of one kind of facts, as sorted lines: schedules
 * and outlets on assets, assets (on v1 active only when referenced: it
 * cannot see aliases), aliases with what they resolved to, the DAGs of
 * api (the database source's may hold fewer) and the consumers'
 * expressions as canonical JSON.
 */
static char *
facts_lines(const struct dep_facts *f, enum fkind k,
    const struct dep_facts *api)
{
	struct set s = { 0 };

	for (size_t i = 0; k == F_SCHEDULES && i < f->nschedules; i++)
		if (f->schedules[i].kind == DEP_TO_ASSET)
			add(&s, "%s|%s", f->schedules[i].dag_id,
			    f->assets[f->schedules[i].target].uri);
	for (size_t i = 0; k == F_OUTLETS && i < f->noutlets; i++)
		if (f->outlets[i].kind == DEP_TO_ASSET)
			add(&s, "%s|%s|%s", f->outlets[i].dag_id,
			    f->outlets[i].task_id != NULL ?
			    f->outlets[i].task_id : "-",
			    f->assets[f->outlets[i].target].uri);
	for (size_t i = 0; k == F_ASSETS && i < f->nassets; i++)
		add(&s, "%lld|%s|%s|%d", (long long)f->assets[i].id,
		    f->assets[i].uri, f->assets[i].name, f->assets[i].active &&
		    (schema != 2 || referenced(f, i)));
	for (size_t i = 0; k == F_ALIASES && i < f->naliases; i++) {
		add(&s, "%s", f->aliases[i].name);
		for (size_t a = 0; a < f->aliases[i].nassets; a++)
			add(&s, "%s|%s", f->aliases[i].name,
			    f->assets[f->aliases[i].assets[a]].uri);
	}
	for (size_t i = 0; (k == F_DAGS || k == F_EXPR) && i < f->ndags; i++) {
		const struct dep_dag_fact	*d = &f->dags[i];
		json_t				*e;
		char				*c;
		bool				 in = false;

		for (size_t a = 0; a < api->ndags && !in; a++)
			in = strcmp(api->dags[a].dag_id, d->dag_id) == 0;
		if (!in)
			continue;
		if (k == F_DAGS) {
			add(&s, "%s|%d|%d|%d|%lld", d->dag_id, d->paused,
			    d->active, d->timed, (long long)d->next_run_after);
			continue;
		}
		if (!consumer(api, d->dag_id) || d->expression == NULL)
			continue;
		e = json_loads(d->expression, JSON_DECODE_ANY, NULL);
		c = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		add(&s, "%s|%s", d->dag_id, c != NULL ? c : d->expression);
		free(c);
		json_decref(e);
	}
	return set_lines(&s);
}

/* The outlets (schedules when !outlets) of facts f to targets of kind k. */
static size_t
nrefs(const struct dep_facts *f, bool outlets, enum dep_target_kind k)
{
	size_t n = 0;

	for (size_t i = 0; outlets && i < f->noutlets; i++)
		n += f->outlets[i].kind == k;
	for (size_t i = 0; !outlets && i < f->nschedules; i++)
		n += f->schedules[i].kind == k;
	return n;
}

/*
 * The facts through the API equal the database source's (airflow_db_deps.c)
 * for every kind the API gives; the kinds it cannot give are in the
 * database's facts and named in the API's gaps.  Alias outlets are one:
 * the database reads them, with their task, from the serialized tasks;
 * the API has none (the gaps' "alias outlets"), so the outlets compared
 * are those to assets, task by task.
 */
static void
test_same_as_database(void **state)
{
	struct sched		*sd = open_rest(), *dbs;
	struct dep_facts	 api, dbf;
	struct waiter		 w = { false, NULL };
	char			*err = NULL;
	static const char *const name[] = { "schedules on assets",
	    "task outlets to assets", "assets", "aliases", "DAGs",
	    "the consumers' expressions" };

	(void)state;
	memset(&api, 0, sizeof api);
	memset(&dbf, 0, sizeof dbf);
	if ((dbs = open_as(db, "postgres", &err)) == NULL)
		fail_msg("%s: %s", db, err);
	sched_fetch_deps(sd, &api, wake, &w);
	wait_ok(&w);
	memset(&w, 0, sizeof w);
	sched_fetch_deps(dbs, &dbf, wake, &w);
	wait_ok(&w);
	for (int k = F_SCHEDULES; k <= F_EXPR; k++) {
		if (k == F_ALIASES && schema == 2) {
			/* v1 lists none; the database has them. */
			assert_int_equal(api.naliases, 0);
			assert_true(dbf.naliases > 0);
			assert_non_null(strstr(buf_str(&api.gaps), "aliases"));
			continue;
		}
		same(name[k], facts_lines(&api, k, &api),
		    facts_lines(&dbf, k, &api));
	}
	/* Alias outlets and schedules on an alias: the database's (each
	   outlet with its task), a gap through the API. */
	assert_true(nrefs(&dbf, true, DEP_TO_ALIAS) > 0);
	for (size_t i = 0; i < dbf.noutlets; i++)
		if (dbf.outlets[i].kind == DEP_TO_ALIAS)
			assert_non_null(dbf.outlets[i].task_id);
	assert_true(nrefs(&dbf, false, DEP_TO_ALIAS) > 0);
	assert_int_equal(nrefs(&api, true, DEP_TO_ALIAS), 0);
	assert_int_equal(nrefs(&api, false, DEP_TO_ALIAS), 0);
	assert_non_null(strstr(buf_str(&api.gaps), "alias outlets"));
	/* Sensors and triggers: the database's, a gap through the API. */
	assert_true(dbf.nlinks > 0);
	assert_int_equal(api.nlinks, 0);
	assert_non_null(strstr(buf_str(&api.gaps), "sensors and triggers"));
	dep_facts_free(&api);
	dep_facts_free(&dbf);
	sched_free(dbs);
	sched_free(sd);
}

/* The median of the newest SLA_MEDIAN_RUNS successes, by SQL's rows. */
static char *
sql_medians(void)
{
	PGresult	*r = PQexec(pg, "SELECT dag_id, extract(epoch FROM "
			    "end_date - start_date)::bigint, row_number() OVER "
			    "(PARTITION BY dag_id ORDER BY end_date DESC) FROM "
			    "dag_run WHERE state = 'success' AND start_date IS "
			    "NOT NULL AND end_date IS NOT NULL ORDER BY dag_id");
	struct set	 s = { 0 };
	int64_t		 d[SLA_MEDIAN_RUNS];
	int		 n = 0;

	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i <= PQntuples(r); i++) {
		if (n > 0 && (i == PQntuples(r) || strcmp(PQgetvalue(r, i, 0),
		    PQgetvalue(r, i - 1, 0)) != 0)) {
			/* sort, median as sla_median_duration */
			for (int a = 0; a < n; a++)
				for (int b = a + 1; b < n; b++)
					if (d[b] < d[a]) {
						int64_t x = d[a];

						d[a] = d[b];
						d[b] = x;
					}
			add(&s, "%s|%lld", PQgetvalue(r, i - 1, 0), (long long)
			    (n % 2 ? d[n / 2] : (d[n / 2 - 1] + d[n / 2]) / 2));
			n = 0;
		}
		if (i < PQntuples(r) && atoi(PQgetvalue(r, i, 2)) <=
		    SLA_MEDIAN_RUNS)
			d[n++] = atoll(PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return set_lines(&s);
}

/* A walk's state as sorted lines, all but the clock. */
static char *
state_lines(const struct dep_state *st)
{
	struct set s = { 0 };

	for (size_t i = 0; i < st->ndags; i++) {
		const struct dep_dag_state *d = &st->dags[i];

		add(&s, "dag %s|%d|%s|%s|%lld|%lld|%lld|%s|%d|%d|%d|%lld|%lld",
		    d->dag_id, d->has_run, d->run_id != NULL ? d->run_id : "-",
		    d->has_run ? run_state_name(d->run_state) : "-",
		    (long long)d->run_start, (long long)d->run_end,
		    (long long)d->run_after, d->bad_task != NULL ? d->bad_task :
		    "-", d->bad_task != NULL ? (int)d->bad_state : -1,
		    d->bad_try, d->bad_max_tries, (long long)d->bad_end,
		    (long long)d->median);
	}
	for (size_t i = 0; i < st->nassets; i++) {
		const struct dep_asset_state *a = &st->assets[i];

		if (a->last_event == TIME_NONE)
			continue;	/* never updated: either way */
		add(&s, "asset %lld|%s|%lld|%s|%s|%s", (long long)a->id,
		    a->uri != NULL ? a->uri : "-", (long long)a->last_event,
		    a->source_dag != NULL ? a->source_dag : "-",
		    a->source_task != NULL ? a->source_task : "-",
		    a->source_run != NULL ? a->source_run : "-");
	}
	for (size_t i = 0; i < st->nqueued; i++)
		add(&s, "queued %s|%lld|%s", st->queued_for,
		    (long long)st->queued[i], st->queued_uri[i] != NULL ?
		    st->queued_uri[i] : "-");
	return set_lines(&s);
}

static void
test_state(void **state)
{
	struct sched		*sd = open_rest();
	struct dep_state	 st;
	struct dep_ask		 ask;
	struct waiter		 w = { false, NULL };
	struct set		 s = { 0 };
	const char		*t = schema == 2 ? "dataset" : "asset";
	char			**ids, **assets, q[768];
	size_t			 n = 0, na = 0;

	(void)state;
	memset(&st, 0, sizeof st);
	memset(&ask, 0, sizeof ask);
	ids = rows("SELECT dag_id FROM dag ORDER BY dag_id COLLATE \"C\"");
	while (ids[n] != NULL)
		n++;
	snprintf(q, sizeof q, "SELECT id, uri FROM %s ORDER BY id", t);
	assets = rows(q);
	while (assets[na] != NULL)
		na++;
	ask.dag_ids = (const char **)ids;
	ask.ndags = n;
	ask.asset_ids = calloc(na + 1, sizeof *ask.asset_ids);
	ask.asset_uris = calloc(na + 1, sizeof *ask.asset_uris);
	for (size_t i = 0; i < na; i++) {
		ask.asset_ids[i] = atoll(assets[i]);
		ask.asset_uris[i] = strchr(assets[i], '|') + 1;
	}
	ask.nassets = na;
	ask.consumer = "sales_mart";
	sched_fetch_dep_state(sd, &ask, &st, wake, &w);
	wait_ok(&w);

	/* Each DAG's newest run and its failed or retrying task. */
	assert_int_equal(st.ndags, n);
	for (size_t i = 0; i < st.ndags; i++)
		if (st.dags[i].has_run)
			add(&s, "%s|%s|%s|%s", st.dags[i].dag_id,
			    st.dags[i].run_id,
			    run_state_name(st.dags[i].run_state),
			    st.dags[i].bad_task != NULL ?
			    st.dags[i].bad_task : "-");
	snprintf(q, sizeof q, "SELECT n.dag_id, n.run_id, n.state, (SELECT "
	    "t.task_id FROM task_instance t WHERE t.dag_id = n.dag_id AND "
	    "t.run_id = n.run_id AND t.state IN ('failed', 'up_for_retry') "
	    "ORDER BY t.end_date DESC NULLS FIRST LIMIT 1) FROM (SELECT "
	    "DISTINCT ON (dag_id) dag_id, run_id, state FROM dag_run ORDER BY "
	    "dag_id, %s DESC) n", schema == 2 ? "execution_date" :
	    "run_after");
	same("newest runs", set_lines(&s), sql_lines(q));
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < st.ndags; i++)
		if (st.dags[i].bad_task != NULL)
			add(&s, "%s|%d|%d", st.dags[i].bad_task,
			    st.dags[i].bad_try, st.dags[i].bad_max_tries);
	/* Tries in all, as "try 3/3" shows them: max_tries is the retries. */
	snprintf(q, sizeof q, "SELECT t.task_id, t.try_number, t.max_tries + 1 "
	    "FROM task_instance t JOIN (SELECT DISTINCT ON (dag_id) dag_id, "
	    "run_id FROM dag_run ORDER BY dag_id, %s DESC) n ON n.dag_id = "
	    "t.dag_id AND n.run_id = t.run_id WHERE t.state IN ('failed', "
	    "'up_for_retry')", schema == 2 ? "execution_date" : "run_after");
	same("failed tasks", set_lines(&s), sql_lines(q));

	/* Medians. */
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < st.ndags; i++)
		if (st.dags[i].median >= 0)
			add(&s, "%s|%lld", st.dags[i].dag_id,
			    (long long)st.dags[i].median);
	same("medians", set_lines(&s), sql_medians());

	/* Each asset's newest event and who wrote it. */
	memset(&s, 0, sizeof s);
	for (size_t i = 0; i < st.nassets; i++)
		if (st.assets[i].last_event != TIME_NONE)
			add(&s, "%lld|%lld|%s|%s|%s",
			    (long long)st.assets[i].id,
			    (long long)st.assets[i].last_event,
			    st.assets[i].source_dag != NULL ?
			    st.assets[i].source_dag : "-",
			    st.assets[i].source_task != NULL ?
			    st.assets[i].source_task : "-",
			    st.assets[i].source_run != NULL ?
			    st.assets[i].source_run : "-");
	snprintf(q, sizeof q, "SELECT DISTINCT ON (%s_id) %s_id, "
	    "extract(epoch FROM timestamp)::bigint, source_dag_id, "
	    "source_task_id, source_run_id FROM %s_event ORDER BY %s_id, "
	    "timestamp DESC", t, t, t, t);
	same("newest events", set_lines(&s), sql_lines(q));

	/* The consumer's queue. */
	memset(&s, 0, sizeof s);
	assert_string_equal(st.queued_for, "sales_mart");
	for (size_t i = 0; i < st.nqueued; i++)
		add(&s, "%lld|%s", (long long)st.queued[i], st.queued_uri[i] !=
		    NULL ? st.queued_uri[i] : "-");
	snprintf(q, sizeof q, "SELECT a.id, a.uri FROM %s_dag_run_queue q "
	    "JOIN %s a ON a.id = q.%s_id WHERE q.target_dag_id = "
	    "'sales_mart'", t, t, t);
	same("queue", set_lines(&s), sql_lines(q));
	spec_clean();

	/* All of it as the database source reads it, but the clock. */
	{
		struct dep_state	 dst;
		struct sched		*dbs;
		char			*err = NULL;

		memset(&dst, 0, sizeof dst);
		memset(&w, 0, sizeof w);
		if ((dbs = open_as(db, "postgres", &err)) == NULL)
			fail_msg("%s: %s", db, err);
		sched_fetch_dep_state(dbs, &ask, &dst, wake, &w);
		wait_ok(&w);
		same("the state", state_lines(&st), state_lines(&dst));
		dep_state_free(&dst);
		sched_free(dbs);
	}

	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	for (size_t i = 0; i < na; i++)
		free(assets[i]);
	free(ids);
	free(assets);
	free(ask.asset_ids);
	free(ask.asset_uris);
	dep_state_free(&st);
	sched_free(sd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_facts),
		cmocka_unit_test(test_same_as_database),
		cmocka_unit_test(test_state),
	};

	int rc;

	if (dbtest_env(false) == -1)
		return 1;
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group("rest_deps_"), tests,
	    setup, teardown);
	loop_free(L);
	return rc;
}
