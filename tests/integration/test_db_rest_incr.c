/*
 * test_db_rest_incr.c: the console's incremental refresh through the REST
 * API loses nothing.  On a database of its own (a copy of run.sh's
 * af<schema>_sla) behind the Airflow API emulator (pages of 5): a full
 * read of the strips, then rounds of changes in the database as Airflow
 * makes them (new runs, runs that end or are cleared, a DAG with more
 * than a strip of runs gaining one, a backfill, a new DAG), each followed
 * by an incremental read (updated_at_gte, merged into the last answer)
 * that must equal a fresh full read, in fewer requests; and the DAGs whose
 * strips are wanted change each round (the console's screen scrolls), the
 * others getting only their newest run.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "airflow_rest.h"
#include "dbtest.h"
#include "http.h"
#include "loop.h"

#define PER_DAG	10

static char		 db[64], url[64];
static pid_t		 emu;
static PGconn		*pg;

static void
sql(const char *q)
{
	PGresult *r = PQexec(pg, q);

	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", q, PQerrorMessage(pg));
	PQclear(r);
}

/* The database, and the emulator serving it on a free port. */
static int
setup(void **state)
{
	(void)state;
	dbtest_create(db, sizeof db, "incr");
	pg = connect_to(db);
	emu = dbtest_emu_start(db, false, url, sizeof url);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	dbtest_emu_stop(emu);
	PQfinish(pg);
	dbtest_drop(db);
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
	sd = airflow_rest_open(L, &o, &ho, 5, wake, &w, &err);
	if (sd == NULL)
		fail_msg("%s", buf_str(&err));
	wait_ok(&w);
	return sd;
}

/*
 * The DAGs whose strips are wanted in round r (sorted; the others' newest
 * run only), as the console's screen scrolls: they change every round.
 */
static const char *const strips_of[3][3] = {
	{ "etl_daily", NULL, NULL },
	{ "etl_daily", "incr.many", NULL },
	{ "hourly_sync", "incr.few", "incr.many" },
};

static size_t
nstrips_of(int r)
{
	size_t n = 0;

	while (n < 3 && strips_of[r % 3][n] != NULL)
		n++;
	return n;
}

/*
 * The strips of the DAGs read now, those of round r in full: prev NULL
 * for a full read, else the answer of round r - 1.
 */
static void
strips(struct sched *sd, int rr, const struct af_runs *prev, int64_t prev_at,
    struct af_runs *out, long *requests)
{
	struct af_dags		 dags = { 0 };
	struct sched_recent	 r;
	int			 round = rr;
	struct waiter		 w = { false, NULL };
	long			 before;

	sched_fetch_dags(sd, &dags, wake, &w);
	wait_ok(&w);
	before = airflow_rest_requests(sd);
	memset(&r, 0, sizeof r);
	r.per_dag = PER_DAG;
	r.dags = &dags;
	r.prev = prev;
	r.prev_at = prev_at;
	r.strips = strips_of[round % 3];
	r.nstrips = nstrips_of(round);
	if (prev != NULL) {
		r.prev_strips = strips_of[(round + 2) % 3];
		r.nprev_strips = nstrips_of(round + 2);
	}
	sched_fetch_runs_recent(sd, &r, out, wake, &w);
	wait_ok(&w);
	*requests = airflow_rest_requests(sd) - before;
	af_dags_free(&dags);
}

static void
same(const struct af_runs *inc, const struct af_runs *full, int round)
{
	for (size_t i = 0; i < inc->n && i < full->n; i++) {
		const struct af_run *a = &inc->v[i], *b = &full->v[i];

		if (strcmp(a->dag_id, b->dag_id) != 0 ||
		    strcmp(a->run_id, b->run_id) != 0 || a->state != b->state ||
		    a->order != b->order || a->run_after != b->run_after ||
		    a->start_date != b->start_date || a->end_date != b->end_date)
			fail_msg("round %d, run %zu: %s/%s (%s) read "
			    "incrementally, %s/%s (%s) in full", round, i,
			    a->dag_id, a->run_id, run_state_name(a->state),
			    b->dag_id, b->run_id, run_state_name(b->state));
	}
	if (inc->n != full->n)
		fail_msg("round %d: %zu runs read incrementally, %zu in full",
		    round, inc->n, full->n);
}

/* Round r's changes, stamped with updated_at as Airflow's ORM does. */
static void
change(int r)
{
	char q[1024];

	/* incr.many (more than a strip) gains a newer run; a backfill. */
	snprintf(q, sizeof q, "SELECT fx_run('incr.many', 'scheduled__n%d', "
	    "'running', 'scheduled', now() - interval '%d minutes', now(), NULL); "
	    "SELECT fx_run('incr.many', 'backfill__%d', 'success', "
	    "'backfill', now() - interval '%d days', now(), now()); "
	    "SELECT fx_run('incr.few', 'manual__%d', 'queued', 'manual', "
	    "now() - interval '%d seconds', NULL, NULL)", r, 60 - r, r,
	    100 + r, r, 60 - r);
	sql(q);
	/* The last round's newest run ends. */
	snprintf(q, sizeof q, "UPDATE dag_run SET state = CASE WHEN %d %% 2 = 0 "
	    "THEN 'failed' ELSE 'success' END, end_date = now(), "
	    "updated_at = now() WHERE dag_id = 'incr.many' AND "
	    "run_id = 'scheduled__n%d'", r, r - 1);
	sql(q);
	snprintf(q, sizeof q, "UPDATE dag_run SET state = 'queued', "
	    "start_date = NULL, end_date = NULL, clear_number = clear_number "
	    "+ 1, updated_at = now() WHERE run_id = (SELECT run_id FROM "
	    "dag_run WHERE dag_id = 'etl_daily' ORDER BY run_id OFFSET %d "
	    "LIMIT 1) AND dag_id = 'etl_daily'", r % 3);
	sql(q);
	/* A new DAG with a run. */
	snprintf(q, sizeof q, "SELECT fx_dag('incr.new%d', false, true, false, "
	    "NULL); SELECT fx_run('incr.new%d', 'manual__1', 'running', "
	    "'manual', now(), now(), NULL)", r, r);
	sql(q);
	/* New rows: updated_at as the ORM's default sets it. */
	sql("UPDATE dag_run SET updated_at = now() WHERE updated_at IS NULL "
	    "AND (dag_id LIKE 'incr.new%' OR run_id LIKE 'scheduled__n%' OR "
	    "run_id LIKE 'backfill__%' OR dag_id = 'incr.few')");
}

static void
test_incremental_is_full(void **state)
{
	struct sched	*sd = open_rest();
	struct af_runs	 snap = { 0 };
	int64_t		 at;
	long		 nfull, ninc;

	(void)state;
	/* incr.many: 12 runs, more than a strip; incr.few: 2. */
	sql("SELECT fx_dag('incr.many', false, true, false, '@hourly'); "
	    "SELECT fx_dag('incr.few', false, true, false, NULL); "
	    "SELECT fx_run('incr.many', 'scheduled__' || i, 'success', "
	    "'scheduled', now() - i * interval '1 hour', now() - i * "
	    "interval '1 hour', now() - i * interval '1 hour' + interval "
	    "'5 minutes') FROM generate_series(1, 12) i; "
	    "SELECT fx_run('incr.few', 'manual__old' || i, 'failed', 'manual', "
	    "now() - i * interval '1 day', now() - i * interval '1 day', "
	    "now() - i * interval '1 day') FROM generate_series(1, 2) i");
	at = (int64_t)time(NULL);
	strips(sd, 0, NULL, 0, &snap, &nfull);
	for (int r = 1; r <= 4; r++) {
		struct af_runs	inc = { 0 }, full = { 0 };
		int64_t		now;

		change(r);
		now = (int64_t)time(NULL);
		strips(sd, r, &snap, at, &inc, &ninc);
		strips(sd, r, NULL, 0, &full, &nfull);
		same(&inc, &full, r);
		/* Only what changed was read: fewer requests than in full. */
		if (ninc >= nfull)
			fail_msg("round %d: %ld requests incrementally, %ld in "
			    "full", r, ninc, nfull);
		af_runs_free(&full);
		af_runs_free(&snap);
		snap = inc;
		at = now;
	}
	af_runs_free(&snap);
	sched_free(sd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_incremental_is_full, setup,
		    teardown),
	};
	int rc;

	if (dbtest_env(false) == -1)
		return 1;
	L = loop_new();
	rc = cmocka_run_group_tests_name(dbtest_group(""), tests, NULL, NULL);
	loop_free(L);
	return rc;
}
