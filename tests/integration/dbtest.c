/*
 * dbtest.c: the helpers of the test_db_* programs (dbtest.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "airflow_db.h"
#include "config.h"
#include "dbconn.h"
#include "dbtest.h"
#include "loop.h"
#include "options.h"

int		 schema;
const char	*host, *port;
struct loop	*L;

/* The connection options of open_as's settings (options_db). */
static struct db_options dbo;

/*
 * A source's callback (its arg a struct waiter): records that it was
 * called and a copy of err, and stops the loop.
 */
void
wake(void *arg, const char *err)
{
	struct waiter *w = arg;

	w->done = true;
	free(w->err);
	w->err = err != NULL ? strdup(err) : NULL;
	loop_break(L);
}

/*
 * Runs the loop until w's callback has been called, and readies w for the
 * next; w->err is left for the caller to check.
 */
void
wait_for(struct waiter *w)
{
	while (!w->done)
		assert_int_equal(loop_run(L), 0);
	w->done = false;
}

/* The same, and the test fails with the callback's error if it had one. */
void
wait_ok(struct waiter *w)
{
	wait_for(w);
	if (w->err != NULL)
		fail_msg("%s", w->err);
}

/* A connection to database name as postgres over TCP, or the test fails. */
PGconn *
connect_to(const char *name)
{
	char	 conn[256];
	PGconn	*c;

	snprintf(conn, sizeof conn, "host=127.0.0.1 port=%s dbname=%s "
	    "user=postgres", port, name);
	c = PQconnectdb(conn);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s: %s", name, PQerrorMessage(c));
	return c;
}

/*
 * A connection to af<schema><suffix> as postgres through the server's
 * socket, asserted to be up.
 */
PGconn *
admin(const char *suffix)
{
	char	 conn[256];
	PGconn	*c;

	snprintf(conn, sizeof conn, "host=%s port=%s dbname=af%d%s "
	    "user=postgres", host, port, schema, suffix);
	c = PQconnectdb(conn);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	return c;
}

/* The name of database af<schema><suffix>, until the next call. */
char *
dbname(const char *suffix)
{
	static char name[64];

	snprintf(name, sizeof name, "af%d%s", schema, suffix);
	return name;
}

/*
 * Fills s (its database and password variable allocated, the caller
 * frees them) for database db as user over TCP: the reader role's
 * password from DAGTOP_TEST_PW, a 30 s statement and 5 s connect timeout.
 */
void
settings_for(struct settings *s, const char *db, const char *user)
{
	char conn[512];

	memset(s, 0, sizeof *s);
	snprintf(conn, sizeof conn, "postgresql://%s@127.0.0.1:%s/%s", user,
	    port, db);
	s->database = strdup(conn);
	if (strcmp(user, "reader") == 0)
		s->database_password_env = strdup("DAGTOP_TEST_PW");
	s->statement_timeout = 30;
	s->connect_timeout = 5;
}

/*
 * The database source on db as user (settings_for), opened through the
 * loop; returns NULL with *err (the caller's to free) on failure.
 */
struct sched *
open_as(const char *db, const char *user, char **err)
{
	struct settings		 s;
	struct db_params	 p;
	struct buf		 e = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*a;

	settings_for(&s, db, user);
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	a = afdb_open(L, &p, 10000, wake, NULL, &w);
	db_params_free(&p);
	free(s.database);
	free(s.database_password_env);
	buf_free(&e);
	wait_for(&w);
	*err = w.err;
	if (w.err != NULL) {
		sched_free(a);
		return NULL;
	}
	return a;
}

/*
 * A database of this process's own, af<schema>_<what>_<pid>, made from
 * af<schema>_sla; its name goes in db (len bytes).  The template may be in
 * use a moment by another test's teardown: tried for five seconds, then
 * the test fails.
 */
void
dbtest_create(char *db, size_t len, const char *what)
{
	PGconn		*c = connect_to("postgres");
	PGresult	*res;
	char		 q[256];

	snprintf(db, len, "af%d_%s_%ld", schema, what, (long)getpid());
	snprintf(q, sizeof q, "CREATE DATABASE %s TEMPLATE af%d_sla", db,
	    schema);
	for (int i = 0; i < 50; i++) {
		res = PQexec(c, q);
		if (PQresultStatus(res) == PGRES_COMMAND_OK) {
			PQclear(res);
			break;
		}
		if (i == 49)
			fail_msg("%s: %s", q, PQerrorMessage(c));
		PQclear(res);
		usleep(100000);
	}
	PQfinish(c);
}

/* Drops database db if it is there, its sessions ended first. */
void
dbtest_drop(const char *db)
{
	PGconn	*c = connect_to("postgres");
	char	 q[128];

	snprintf(q, sizeof q, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
	PQclear(PQexec(c, q));
	PQfinish(c);
}

/*
 * The Airflow REST API emulator (tests/emulator/airflow_emu.py) of the
 * schema under test on database db, pages of 5, every request and answer
 * checked against the OpenAPI document with self_test; url gets its base
 * address.  Returns its process id (dbtest_emu_stop ends it); fails the
 * test when it does not start within 10 seconds.
 */
pid_t
dbtest_emu_start(const char *db, bool self_test, char *url, size_t urlsz)
{
	char	 dsn[256], pf[64], v[8];
	FILE	*f;
	int	 p = 0;
	pid_t	 pid;

	snprintf(pf, sizeof pf, "/tmp/dagtop-emu-%ld.port", (long)getpid());
	unlink(pf);
	snprintf(dsn, sizeof dsn, "host=127.0.0.1 port=%s dbname=%s "
	    "user=postgres", port, db);
	snprintf(v, sizeof v, "%d", schema);
	if ((pid = fork()) == 0) {
		execl("/usr/bin/python3", "python3",
		    "tests/emulator/airflow_emu.py", "--port-file", pf,
		    "--airflow", v, "--page-limit", "5", "--dsn", dsn,
		    self_test ? "--self-test" : (char *)NULL, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && p == 0; i++) {
		usleep(50000);
		if ((f = fopen(pf, "r")) != NULL) {
			if (fscanf(f, "%d", &p) != 1)
				p = 0;
			fclose(f);
		}
	}
	unlink(pf);
	if (p == 0) {
		dbtest_emu_stop(pid);
		fail_msg("the emulator did not start");
	}
	snprintf(url, urlsz, "http://127.0.0.1:%d", p);
	return pid;
}

void
dbtest_emu_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

/*
 * Reads DAGTOP_TEST_SCHEMA, DAGTOP_TEST_PORT and, with want_host,
 * DAGTOP_TEST_HOST into schema, port and host.  Returns 0, or -1 having
 * said why on stderr: one is missing, or the schema is none of run.sh's.
 */
int
dbtest_env(bool want_host)
{
	const char *m = getenv("DAGTOP_TEST_SCHEMA");

	host = getenv("DAGTOP_TEST_HOST");
	port = getenv("DAGTOP_TEST_PORT");
	if (m == NULL || port == NULL || (want_host && host == NULL)) {
		fprintf(stderr, "run me through tests/integration/run.sh\n");
		return -1;
	}
	schema = atoi(m);
	if (schema != 2 && schema != 3 && schema != 32) {
		fprintf(stderr, "DAGTOP_TEST_SCHEMA: 2, 3 or 32\n");
		return -1;
	}
	return 0;
}

/* The Airflow release the schema stands for: "2.10", "3.1" or "3.2". */
const char *
dbtest_release(void)
{
	return schema == 2 ? "2.10" : schema == 3 ? "3.1" : "3.2";
}

/* A cmocka group's name: prefix, then "airflow-" and the release. */
const char *
dbtest_group(const char *prefix)
{
	static char name[64];

	snprintf(name, sizeof name, "%sairflow-%s", prefix, dbtest_release());
	return name;
}

/*
 * How many statements a DAGTOP_TRACE_SQL file holds; the test fails when
 * a statement's text (not its parameter lines) holds must_not_hold.
 */
int
dbtest_traced(const char *path, const char *must_not_hold)
{
	FILE	*f = fopen(path, "r");
	char	 line[65536];
	int	 n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "-- query ", 9) == 0)
			n++;
		else if (must_not_hold != NULL &&
		    strncmp(line, "-- $", 4) != 0 &&
		    strstr(line, must_not_hold) != NULL)
			fail_msg("a statement's text holds '%s': %s",
			    must_not_hold, line);
	}
	fclose(f);
	return n;
}
