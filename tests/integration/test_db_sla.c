/*
 * test_db_sla.c: the database source's SLA read (airflow_db_sla.c) against
 * a real PostgreSQL (run.sh sets it up): the same history as the single
 * statement per read it replaced (kept here as the reference), on the SLA
 * fixture (af<schema>_sla) and on a random configuration over a generated
 * history with its edge cases (af<schema>_slagen: gen_history and
 * fixture_slagen.sql); and at most two statements however many SLAs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "airflow_db.h"
#include "dbconn.h"
#include "dbtest.h"
#include "loop.h"
#include "pg.h"
#include "sla.h"
#include "timefmt.h"
#include "tz.h"

/* The source on af<schema><suffix>, as the reader role. */
static struct sched *
open_db(const char *suffix)
{
	char		*err = NULL;
	struct sched	*a = open_as(dbname(suffix), "reader", &err);

	if (a == NULL)
		fail_msg("cannot open af%d%s: %s", schema, suffix, err);
	return a;
}

static PGresult *
exec_ok(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	return res;
}

static int64_t
col_time(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return TIME_NONE;
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static char *
col_str(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL :
	    strdup(PQgetvalue(res, row, col));
}

#define EPOCH(x) "floor(extract(epoch FROM " x "))::int8"

/* The reference's unknown DAGs: one statement through dag's key. */
static void
reference_unknown(PGconn *c, const char *dags, bool *unknown)
{
	const char	*params[1] = { dags };
	PGresult	*res;
	int		 r;

	res = exec_ok(c, "SELECT k.i FROM unnest($1::text[]) WITH ORDINALITY "
	    "AS k(dag_id, i) WHERE NOT EXISTS (SELECT 1 FROM dag d WHERE "
	    "d.dag_id = k.dag_id)", 1, params);
	for (r = 0; r < PQntuples(res); r++)
		unknown[atoi(PQgetvalue(res, r, 0)) - 1] = true;
	PQclear(res);
}

/* The reference's rows as attempts, converted as the source did. */
static void
reference_rows(const PGresult *res, struct sla_history *h, size_t n)
{
	size_t	*sla_of;
	int	 r, nt = PQntuples(res);
	bool	 task;

	h->v = calloc((size_t)nt + 1, sizeof *h->v);
	sla_of = calloc((size_t)nt + 1, sizeof *sla_of);
	for (r = 0; r < nt; r++) {
		struct sla_attempt *a = &h->v[h->n];

		sla_of[h->n++] = (size_t)atoi(PQgetvalue(res, r, 0)) - 1;
		a->run_id = col_str(res, r, 1);
		a->run_type = col_str(res, r, 2);
		a->interval_end = col_time(res, r, 4);
		task = !PQgetisnull(res, r, 7);
		a->state = sla_attempt_state(PQgetisnull(res, r, 3) ? NULL :
		    PQgetvalue(res, r, 3), task, atol(PQgetvalue(res, r, 7)),
		    atol(PQgetvalue(res, r, 8)), atol(PQgetvalue(res, r, 9)),
		    !PQgetisnull(res, r, 10));
		a->start = col_time(res, r, task ? 10 : 5);
		a->end = col_time(res, r, task ? 11 : 6);
		if (a->end == TIME_NONE && a->state == SLA_FAILED_ATTEMPT)
			a->end = col_time(res, r, 6);
		a->airflow_miss = PQgetvalue(res, r, 12)[0] == 't';
	}
	sla_history_index(h, sla_of, n);
	free(sla_of);
}

/*
 * The reference: the SLA read as it was before issue 18, one statement
 * for every SLA (its DAG's runs through dag_id, each with the task's
 * instances and Airflow's verdict) and one for the unknown DAGs, and the
 * same conversion of its rows.
 */
static void
reference_sla(PGconn *c, const struct af_schema *s,
    const struct sla_def *const *defs, size_t n, int64_t from, int64_t to,
    struct sla_history *h)
{
	struct buf	 sql = BUF_INIT, day = BUF_INIT, dags = BUF_INIT,
			 tasks = BUF_INIT, pf = BUF_INIT, pt = BUF_INIT;
	const char	**dv = calloc(n + 1, sizeof *dv), **tv = calloc(n + 1,
			    sizeof *tv), *params[4], *logical;
	PGresult	*res;
	size_t		 i;

	memset(h, 0, sizeof *h);
	h->nsla = n;
	h->airflow_sla_miss = s->sla_miss;
	h->airflow_deadlines = s->deadline;
	h->unknown_dag = calloc(n + 1, sizeof *h->unknown_dag);
	for (i = 0; i < n; i++) {
		dv[i] = defs[i]->dag_id;
		tv[i] = defs[i]->task_id != NULL ? defs[i]->task_id : "";
	}
	pg_array_literal(&dags, dv, n);
	pg_array_literal(&tasks, tv, n);
	reference_unknown(c, buf_str(&dags), h->unknown_dag);
	params[0] = buf_str(&dags);

	fmt_time(&pf, tz_utc(), from, FMT_ISO);
	fmt_time(&pt, tz_utc(), to, FMT_ISO);
	logical = s->logical_date ? "r.logical_date" : "r.execution_date";
	if (s->run_after)
		buf_printf(&day, "coalesce(r.data_interval_end, %s, r.run_after)",
		    logical);
	else
		buf_printf(&day, "coalesce(r.data_interval_end, %s)", logical);
	buf_printf(&sql, "SELECT k.i, r.run_id, r.run_type, r.state, "
	    "floor(extract(epoch FROM %s))::int8, " EPOCH("r.start_date") ", "
	    EPOCH("r.end_date") ", t.n, t.ok, t.bad, " EPOCH("t.started") ", "
	    EPOCH("t.ended") ", ", buf_str(&day));
	if (s->sla_miss)
		buf_printf(&sql, "EXISTS (SELECT 1 FROM sla_miss m WHERE "
		    "m.dag_id = r.dag_id AND m.execution_date = %s AND "
		    "(k.task_id = '' OR m.task_id = k.task_id))", logical);
	else if (s->deadline_missed)
		buf_puts(&sql, "EXISTS (SELECT 1 FROM deadline d WHERE "
		    "d.dagrun_id = r.id AND d.missed)");
	else if (s->deadline)
		buf_puts(&sql, "EXISTS (SELECT 1 FROM deadline d WHERE "
		    "d.dagrun_id = r.id AND d.deadline_time < "
		    "coalesce(r.end_date, now()))");
	else
		buf_puts(&sql, "false");
	buf_printf(&sql, " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY "
	    "AS k(dag_id, task_id, i) "
	    "JOIN dag_run r ON r.dag_id = k.dag_id "
	    "AND %s >= $3::timestamptz AND %s < $4::timestamptz "
	    "LEFT JOIN LATERAL (SELECT count(*) AS n, "
	    "count(*) FILTER (WHERE ti.state IN ('success', 'skipped')) AS ok, "
	    "count(*) FILTER (WHERE ti.state IN ('failed', 'upstream_failed')) "
	    "AS bad, min(ti.start_date) AS started, max(ti.end_date) AS ended "
	    "FROM task_instance ti WHERE ti.dag_id = r.dag_id AND "
	    "ti.task_id = k.task_id AND ti.run_id = r.run_id) t "
	    "ON k.task_id <> '' "
	    "ORDER BY k.i, 5, r.run_id", buf_str(&day), buf_str(&day));
	params[1] = buf_str(&tasks);
	params[2] = buf_str(&pf);
	params[3] = buf_str(&pt);
	res = exec_ok(c, buf_str(&sql), 4, params);
	reference_rows(res, h, n);
	PQclear(res);
	free(dv);
	free(tv);
	buf_free(&sql);
	buf_free(&day);
	buf_free(&dags);
	buf_free(&tasks);
	buf_free(&pf);
	buf_free(&pt);
}

static void
fetch_sla(struct sched *a, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *h)
{
	struct waiter w = { false, NULL };

	sched_fetch_sla(a, defs, n, from, to, h, wake, &w);
	wait_for(&w);
	if (w.err != NULL)
		fail_msg("fetch_sla: %s", w.err);
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The two histories are the same, attempt by attempt; what differs is said. */
static void
assert_same_history(const struct sla_history *want,
    const struct sla_history *got, const struct sla_def *const *defs,
    const char *what)
{
	size_t i, k;

	assert_int_equal(got->nsla, want->nsla);
	assert_int_equal(got->airflow_sla_miss, want->airflow_sla_miss);
	assert_int_equal(got->airflow_deadlines, want->airflow_deadlines);
	for (i = 0; i < want->nsla; i++) {
		if (sla_history_unknown_dag(got, i) !=
		    sla_history_unknown_dag(want, i))
			fail_msg("%s: SLA %zu (%s): unknown DAG %d, want %d",
			    what, i, defs[i]->dag_id,
			    sla_history_unknown_dag(got, i),
			    sla_history_unknown_dag(want, i));
		if (got->count[i] != want->count[i])
			fail_msg("%s: SLA %zu (%s.%s): %zu attempts, want %zu",
			    what, i, defs[i]->dag_id, defs[i]->task_id ?
			    defs[i]->task_id : "", got->count[i],
			    want->count[i]);
		for (k = 0; k < want->count[i]; k++) {
			const struct sla_attempt *x, *y;

			x = &want->v[want->first[i] + k];
			y = &got->v[got->first[i] + k];

			if (!same_str(x->run_id, y->run_id) ||
			    !same_str(x->run_type, y->run_type) ||
			    x->interval_end != y->interval_end ||
			    x->start != y->start || x->end != y->end ||
			    x->state != y->state ||
			    x->airflow_miss != y->airflow_miss)
				fail_msg("%s: SLA %zu (%s.%s) attempt %zu: got "
				    "%s %s day %lld start %lld end %lld state "
				    "%d miss %d; want %s %s day %lld start %lld "
				    "end %lld state %d miss %d", what, i,
				    defs[i]->dag_id, defs[i]->task_id ?
				    defs[i]->task_id : "", k, y->run_id,
				    y->run_type, (long long)y->interval_end,
				    (long long)y->start, (long long)y->end,
				    y->state, y->airflow_miss, x->run_id,
				    x->run_type, (long long)x->interval_end,
				    (long long)x->start, (long long)x->end,
				    x->state, x->airflow_miss);
		}
	}
	assert_int_equal(got->n, want->n);
}

/* The read and the reference over [from, to); returns the attempts. */
static size_t
compare(struct sched *a, PGconn *c, const struct sla_def *const *defs,
    size_t n, int64_t from, int64_t to, const char *what, size_t *misses)
{
	struct sla_history	want, got;
	size_t			i, total;

	memset(&got, 0, sizeof got);
	reference_sla(c, afdb_schema(a), defs, n, from, to, &want);
	fetch_sla(a, defs, n, from, to, &got);
	assert_same_history(&want, &got, defs, what);
	total = want.n;
	for (i = 0; i < want.n; i++)
		*misses += want.v[i].airflow_miss;
	sla_history_free(&want);
	sla_history_free(&got);
	return total;
}

/* SLAs defined by (dag_id, task_id or NULL), freed by defs_free. */
struct defs {
	struct sla_def	 *v;
	struct sla_def	**p;
	size_t		  n;
};

static void
defs_add(struct defs *d, const char *dag, const char *task)
{
	char name[32];

	d->v = realloc(d->v, (d->n + 1) * sizeof *d->v);
	memset(&d->v[d->n], 0, sizeof d->v[d->n]);
	snprintf(name, sizeof name, "s%zu", d->n);
	d->v[d->n].name = strdup(name);
	d->v[d->n].dag_id = strdup(dag);
	d->v[d->n].task_id = task != NULL ? strdup(task) : NULL;
	d->v[d->n].deadline = 10 * 3600;
	d->v[d->n].days = SLA_ALL_DAYS;
	d->n++;
}

static const struct sla_def *const *
defs_ptrs(struct defs *d)
{
	size_t i;

	free(d->p);
	d->p = calloc(d->n + 1, sizeof *d->p);
	for (i = 0; i < d->n; i++)
		d->p[i] = &d->v[i];
	return (const struct sla_def *const *)d->p;
}

static void
defs_free(struct defs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		sla_def_free(&d->v[i]);
	free(d->v);
	free(d->p);
	memset(d, 0, sizeof *d);
}

static int64_t
today(void)
{
	return (int64_t)time(NULL) / 86400;
}

/*
 * The SLA fixture: a task SLA with Airflow's miss on Tuesday, the whole
 * run, a typo, the same DAG and task twice, a task the DAG lacks, and
 * fixture.sql's DAGs; over the report's 26 weeks of week 2026-W45 and of
 * this week.
 */
static void
test_fixture_same(void **state)
{
	struct sched	*a = open_db("_sla");
	PGconn		*c = admin("_sla");
	struct defs	 d = { NULL, NULL, 0 };
	int64_t		 w45 = 20759;	/* 2026-11-02 */
	size_t		 misses = 0, n;

	(void)state;
	defs_add(&d, "sla_etl", "build_table_a");
	defs_add(&d, "sla_etl", NULL);
	defs_add(&d, "sla_etI", NULL);
	defs_add(&d, "sla_etl", "build_table_a");
	defs_add(&d, "sla_etl", "no_such_task");
	defs_add(&d, "etl_daily", NULL);
	defs_add(&d, "etl_daily", "extract");
	defs_add(&d, "sla_etl", NULL);
	n = compare(a, c, defs_ptrs(&d), d.n, (w45 - 184) * 86400,
	    (w45 + 8) * 86400, "fixture, 2026-W45", &misses);
	/* Not an empty comparison: the week's runs and Tuesday's miss. */
	assert_true(n >= 10);
	assert_true(misses >= 2);
	compare(a, c, defs_ptrs(&d), d.n, (today() - 191) * 86400,
	    (today() + 2) * 86400, "fixture, this week", &misses);
	defs_free(&d);
	PQfinish(c);
	sched_free(a);
}

/*
 * A random configuration of 250 SLAs over a generated history with the
 * edge cases of fixture_slagen.sql (manual runs far from their interval,
 * runs without an interval or a logical date, mapped and stateless task
 * instances, Airflow's verdicts), over windows from 26 weeks to a day,
 * one of them bounded by two runs' days exactly.
 */
static void
test_generated_same(void **state)
{
	struct sched	*a = open_db("_slagen");
	PGconn		*c = admin("_slagen");
	struct defs	 d = { NULL, NULL, 0 };
	PGresult	*dags, *pairs, *edges;
	size_t		 i, n = 0, misses = 0, unknown = 0;
	int64_t		 t = today(), e0, e1;
	char		 ghost[32];
	int		 r, nd, np;

	(void)state;
	srand((unsigned)schema * 1000 + 18);
	dags = exec_ok(c, "SELECT dag_id FROM dag ORDER BY dag_id", 0, NULL);
	pairs = exec_ok(c, "SELECT DISTINCT dag_id, task_id FROM "
	    "task_instance ORDER BY 1, 2", 0, NULL);
	nd = PQntuples(dags);
	np = PQntuples(pairs);
	assert_true(nd >= 20 && np >= 100);
	for (i = 0; i < 250; i++) {
		r = rand() % 100;
		if (r < 4) {
			snprintf(ghost, sizeof ghost, "ghost_%d", rand() % 3);
			defs_add(&d, ghost, r < 2 ? NULL : "extract");
			unknown++;
		} else if (r < 45)
			defs_add(&d, PQgetvalue(dags, rand() % nd, 0), NULL);
		else if (r < 96) {
			int p = rand() % np;

			defs_add(&d, PQgetvalue(pairs, p, 0),
			    PQgetvalue(pairs, p, 1));
		} else
			defs_add(&d, PQgetvalue(dags, rand() % nd, 0),
			    "no_such_task");
	}
	/* Two runs' days, for a window whose ends are days exactly. */
	edges = exec_ok(c, "SELECT " EPOCH("data_interval_end") " FROM "
	    "dag_run WHERE data_interval_end IS NOT NULL ORDER BY "
	    "data_interval_end, dag_id, run_id", 0, NULL);
	e0 = col_time(edges, PQntuples(edges) / 4, 0);
	e1 = col_time(edges, PQntuples(edges) * 3 / 4, 0);
	PQclear(edges);

	n += compare(a, c, defs_ptrs(&d), d.n, (t - 193) * 86400,
	    (t + 2) * 86400, "generated, 26 weeks", &misses);
	n += compare(a, c, defs_ptrs(&d), d.n, e0, e1,
	    "generated, between two runs' days", &misses);
	n += compare(a, c, defs_ptrs(&d), d.n, (t - 160) * 86400,
	    (t - 140) * 86400, "generated, 150 days ago", &misses);
	n += compare(a, c, defs_ptrs(&d), d.n, (t - 10) * 86400,
	    (t - 9) * 86400, "generated, one day", &misses);
	n += compare(a, c, defs_ptrs(&d), d.n, (t + 1) * 86400,
	    (t + 3) * 86400, "generated, tomorrow", &misses);
	n += compare(a, c, defs_ptrs(&d), d.n, 0, 365 * 86400,
	    "generated, 1970", &misses);
	/* Not an empty comparison. */
	assert_true(unknown > 0);
	assert_true(n > 3000);
	assert_true(misses > 10);
	PQclear(dags);
	PQclear(pairs);
	defs_free(&d);
	PQfinish(c);
	sched_free(a);
}

/*
 * At most two statements per read, however many SLAs, DAGs and tasks
 * (counted in the DAGTOP_TRACE_SQL trace, as the bench does); and no
 * statement's text holds a value (the DAG ids travel as parameters).
 */
static void
test_statements(void **state)
{
	char			 path[] = "/tmp/dagtop-sla-trace.XXXXXX";
	struct sched		*a;
	PGconn			*c = admin("_slagen");
	PGresult		*pairs;
	struct defs		 d = { NULL, NULL, 0 }, one = { NULL, NULL, 0 };
	struct sla_history	 h;
	int			 fd, base, after, i;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	setenv("DAGTOP_TRACE_SQL", path, 1);
	a = open_db("_slagen");
	unsetenv("DAGTOP_TRACE_SQL");
	pairs = exec_ok(c, "SELECT DISTINCT dag_id, task_id FROM "
	    "task_instance ORDER BY 1, 2", 0, NULL);
	for (i = 0; i < PQntuples(pairs) && d.n < 400; i++) {
		defs_add(&d, PQgetvalue(pairs, i, 0), PQgetvalue(pairs, i, 1));
		defs_add(&d, PQgetvalue(pairs, i, 0), NULL);
	}
	defs_add(&d, "ghost_dag", NULL);
	defs_add(&one, PQgetvalue(pairs, 0, 0), NULL);
	memset(&h, 0, sizeof h);

	base = dbtest_traced(path, NULL);
	fetch_sla(a, defs_ptrs(&d), d.n, (today() - 193) * 86400,
	    (today() + 2) * 86400, &h);
	after = dbtest_traced(path, PQgetvalue(pairs, 0, 0));
	if (after - base > 2)
		fail_msg("%zu SLAs took %d statements (at most 2)", d.n,
		    after - base);
	assert_true(h.n > 0);

	base = after;
	fetch_sla(a, defs_ptrs(&one), one.n, (today() - 193) * 86400,
	    (today() + 2) * 86400, &h);
	after = dbtest_traced(path, PQgetvalue(pairs, 0, 0));
	assert_in_range(after - base, 1, 3);

	sla_history_free(&h);
	PQclear(pairs);
	defs_free(&d);
	defs_free(&one);
	PQfinish(c);
	sched_free(a);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_same),
		cmocka_unit_test(test_generated_same),
		cmocka_unit_test(test_statements),
	};
	int rc;

	if (dbtest_env(true) == -1)
		return 1;
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group("sla-"), tests, NULL,
	    NULL);
	loop_free(L);
	return rc;
}
