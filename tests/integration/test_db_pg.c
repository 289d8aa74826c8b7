/*
 * test_db_pg.c: the query queue of pg.c against a real PostgreSQL (run.sh
 * sets it up): a text run a second time on a connection is prepared once
 * and runs by name after, the names stay bounded (the least recently run
 * is deallocated), a text the server refuses gives the same error every
 * time, a name gone missing falls back to unnamed runs, and a new
 * connection starts with no names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "config.h"
#include "dbconn.h"
#include "dbtest.h"
#include "loop.h"
#include "options.h"
#include "pg.h"

static struct db_options dbo;

/* The first row of a result, fields joined by '|', or "ERROR why". */
static void
show_result(void *arg, const PGresult *res, const char *err)
{
	struct buf	*b = arg;
	int		 i;

	buf_reset(b);
	if (err != NULL)
		buf_printf(b, "ERROR %s", err);
	else
		for (i = 0; i < PQnfields(res); i++)
			buf_printf(b, "%s%s", i ? "|" : "",
			    PQntuples(res) > 0 ? PQgetvalue(res, 0, i) : "");
	loop_break(L);
}

static void
up_cb(struct pg *p, void *arg)
{
	(void)p;
	*(bool *)arg = true;
	loop_break(L);
}

static struct pg *
open_pg(void)
{
	struct settings		 s;
	struct db_params	 p;
	struct buf		 e = BUF_INIT;
	struct pg		*pg;
	bool			 up = false;

	settings_for(&s, dbname(""), "reader");
	assert_int_equal(db_params_build(options_db(&s, &dbo), &p, &e), 0);
	pg = pg_connect(L, p.keywords, p.values, NULL, 10000, up_cb, &up);
	db_params_free(&p);
	free(s.database);
	free(s.database_password_env);
	buf_free(&e);
	while (!up)
		loop_run(L);
	assert_true(pg_ready(pg));
	return pg;
}

/* Runs one query and waits for it; the answer's first row in out. */
static void
run(struct pg *pg, const char *sql, int n, const char *const *params,
    struct buf *out)
{
	pg_query(pg, sql, n, params, show_result, out);
	loop_run(L);
}

/* How many dagtop_ names the session holds (the first field). */
static void
prepared(struct pg *pg, struct buf *out)
{
	/* A text of its own each time: it must not itself be prepared. */
	static int	k;
	char		sql[200];

	snprintf(sql, sizeof sql, "SELECT count(*), %d FROM "
	    "pg_prepared_statements WHERE name LIKE 'dagtop\\_%%'", ++k);
	run(pg, sql, 0, NULL, out);
}

static void
test_prepared_on_second_run(void **state)
{
	struct pg	*pg = open_pg();
	struct buf	 out = BUF_INIT;
	const char	*sql = "SELECT $1::int + 1, count(*) FROM dag "
			    "WHERE dag_id <> $2";
	const char	*p1[] = { "41", "x" }, *p2[] = { "1", NULL };

	(void)state;
	run(pg, sql, 2, p1, &out);
	assert_int_equal(strncmp(buf_str(&out), "42|", 3), 0);
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "0|", 2), 0);
	/* The second run prepares it, and gives the same answer. */
	run(pg, sql, 2, p1, &out);
	assert_int_equal(strncmp(buf_str(&out), "42|", 3), 0);
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "1|", 2), 0);
	/* Other parameters, a NULL among them: by name, no second name. */
	run(pg, sql, 2, p2, &out);
	assert_string_equal(buf_str(&out), "2|0");
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "1|", 2), 0);
	pg_free(pg);

	/* A new connection: no names, and the text runs unnamed first. */
	pg = open_pg();
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "0|", 2), 0);
	run(pg, sql, 2, p1, &out);
	assert_int_equal(strncmp(buf_str(&out), "42|", 3), 0);
	pg_free(pg);
	buf_free(&out);
}

/* 80 texts, each run twice then once more: never more than 64 names. */
static void
test_names_bounded(void **state)
{
	struct pg	*pg = open_pg();
	struct buf	 out = BUF_INIT;
	char		 sql[100], want[32];
	int		 i, round;

	(void)state;
	for (round = 0; round < 3; round++)
		for (i = 0; i < 80; i++) {
			snprintf(sql, sizeof sql, "SELECT %d + $1::int", i);
			run(pg, sql, 1, (const char *const[]){ "1000" }, &out);
			snprintf(want, sizeof want, "%d", 1000 + i);
			assert_string_equal(buf_str(&out), want);
		}
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "64|", 3), 0);
	pg_free(pg);
	buf_free(&out);
}

/* A text the server refuses: the same error at each run, none prepared. */
static void
test_refused_text(void **state)
{
	struct pg	*pg = open_pg();
	struct buf	 out = BUF_INIT, first = BUF_INIT;
	int		 i;

	(void)state;
	run(pg, "SELECT no_such_column FROM dag", 0, NULL, &first);
	assert_non_null(strstr(buf_str(&first), "ERROR column "
	    "\"no_such_column\" does not exist"));
	for (i = 0; i < 3; i++) {
		run(pg, "SELECT no_such_column FROM dag", 0, NULL, &out);
		assert_string_equal(buf_str(&out), buf_str(&first));
	}
	/* The connection goes on. */
	run(pg, "SELECT 7", 0, NULL, &out);
	assert_string_equal(buf_str(&out), "7");
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "0|", 2), 0);
	pg_free(pg);
	buf_free(&out);
	buf_free(&first);
}

/*
 * A prepared text whose run fails (a parameter the server cannot read)
 * says so each time, and the name still serves the next good run.
 */
static void
test_prepared_run_fails(void **state)
{
	struct pg	*pg = open_pg();
	struct buf	 out = BUF_INIT;
	const char	*sql = "SELECT $1::int * 2";

	(void)state;
	run(pg, sql, 1, (const char *const[]){ "2" }, &out);
	run(pg, sql, 1, (const char *const[]){ "3" }, &out);
	assert_string_equal(buf_str(&out), "6");
	run(pg, sql, 1, (const char *const[]){ "x" }, &out);
	assert_non_null(strstr(buf_str(&out), "ERROR invalid input syntax"));
	run(pg, sql, 1, (const char *const[]){ "5" }, &out);
	assert_string_equal(buf_str(&out), "10");
	pg_free(pg);
	buf_free(&out);
}

/*
 * A name that went missing (a pooler handed the statement another server
 * session; here DEALLOCATE ALL): the query runs again unnamed and answers,
 * and the connection names nothing more.
 */
static void
test_name_missing(void **state)
{
	struct pg	*pg = open_pg();
	struct buf	 out = BUF_INIT;
	const char	*sql = "SELECT $1::int - 1";

	(void)state;
	run(pg, sql, 1, (const char *const[]){ "2" }, &out);
	run(pg, sql, 1, (const char *const[]){ "3" }, &out);
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "1|", 2), 0);
	run(pg, "DEALLOCATE ALL", 0, NULL, &out);
	assert_string_equal(buf_str(&out), "");
	run(pg, sql, 1, (const char *const[]){ "10" }, &out);
	assert_string_equal(buf_str(&out), "9");
	run(pg, sql, 1, (const char *const[]){ "11" }, &out);
	assert_string_equal(buf_str(&out), "10");
	run(pg, "SELECT 5", 0, NULL, &out);
	run(pg, "SELECT 5", 0, NULL, &out);
	assert_string_equal(buf_str(&out), "5");
	prepared(pg, &out);
	assert_int_equal(strncmp(buf_str(&out), "0|", 2), 0);
	pg_free(pg);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepared_on_second_run),
		cmocka_unit_test(test_names_bounded),
		cmocka_unit_test(test_refused_text),
		cmocka_unit_test(test_prepared_run_fails),
		cmocka_unit_test(test_name_missing),
	};
	int	 rc;

	if (dbtest_env(false) == -1)
		return 1;
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	L = loop_new();
	rc = cmocka_run_group_tests_name("pg", tests, NULL, NULL);
	loop_free(L);
	return rc;
}
