/*
 * fourkeys_sql.c: a Four Keys service read by one SQL query under the
 * column contract of dagtop.conf(5) (kind, id, time, end_time, ref,
 * title), on a read-only session of its own database (fourkeys_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "dbconn.h"
#include "fourkeys_int.h"
#include "pg.h"
#include "sanitize.h"

/* Text from the query for a terminal: sanitised, one line. */
static char *
clean(const char *s)
{
	return s != NULL ? sanitize_dup(s, SAN_SHOW_ESCAPES) : NULL;
}

static void
sql_fail(struct svc *s, const char *what, const char *why)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: %s", what, why);
	fks_fail(s, buf_str(&b));
	buf_free(&b);
}

/*
 * One row of the contract into the data; -1 for a kind the contract does
 * not have.  ref and title are the row's, sanitised, and are taken.
 */
static int
sql_row(struct svc *s, const char *kind, const char *id, int64_t t,
    int64_t e, char *ref, char *title)
{
	if (strcmp(kind, "deployment") == 0) {
		struct fk_deploy *d = fks_add_deploy(&s->work);

		d->id = clean(id);
		d->sha = ref;
		d->at = t;
		free(title);
	} else if (strcmp(kind, "change") == 0) {
		struct fk_change *c = fks_add_change(&s->work);

		c->id = clean(id);
		c->deploy_id = ref;
		c->at = t;
		c->merged = ref == NULL ? e : 0;
		free(title);
	} else if (strcmp(kind, "incident") == 0) {
		struct fk_incident *in = fks_add_incident(&s->work);

		in->id = clean(id);
		in->cause_deploy = ref;
		in->title = title;
		in->opened = t;
		in->resolved = e;
	} else {
		free(ref);
		free(title);
		return -1;
	}
	return 0;
}

/* A time column as epoch seconds; 0 for NULL. */
static int64_t
sql_time(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? 0 :
	    (int64_t)strtod(PQgetvalue(res, r, c), NULL);
}

/* A text column, sanitised; NULL for NULL. */
static char *
sql_text(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : clean(PQgetvalue(res, r, c));
}

/* The rows of the contract: kind, id, time, end_time, ref, title. */
static void
sql_rows(struct svc *s, const PGresult *res)
{
	int r, n;

	n = PQntuples(res);
	for (r = 0; r < n && s->err.len == 0; r++) {
		const char	*kind = PQgetvalue(res, r, 0);
		const char	*id = PQgetisnull(res, r, 1) ? NULL :
				    PQgetvalue(res, r, 1);
		int64_t		 t = sql_time(res, r, 2);
		struct buf	 b = BUF_INIT;
		char		*k;

		if (id == NULL || t == 0)
			continue;
		if (sql_row(s, kind, id, t, sql_time(res, r, 3),
		    sql_text(res, r, 4), sql_text(res, r, 5)) == 0)
			continue;
		k = clean(kind);
		buf_printf(&b, "row %d has kind '%s'; the kinds are "
		    "deployment, change and incident", r + 1, k);
		free(k);
		sql_fail(s, "service query", buf_str(&b));
		buf_free(&b);
	}
}

static void
sql_result(void *arg, const PGresult *res, const char *err)
{
	struct svc	*s = arg;

	if (res == NULL)
		sql_fail(s, "service query", err);
	else
		sql_rows(s, res);
	/* One query per refresh: close (pg.h allows it from here). */
	pg_free(s->pg);
	s->pg = NULL;
	fks_check_done(s);
}

static void
sql_state(struct pg *pg, void *arg)
{
	struct svc	*s = arg;
	struct buf	 since_s = BUF_INIT, b = BUF_INIT;
	const char	*params[2];

	if (pg_failed(pg)) {
		sql_fail(s, "service database", pg_error(pg));
		s->pg = NULL;
		pg_free(pg);
		fks_check_done(s);
		return;
	}
	if (!pg_ready(pg))
		return;
	fks_iso(fks_since(s), &since_s);
	params[0] = buf_str(&since_s);
	params[1] = s->def->name;
	/*
	 * The contract by column name, whatever else the query returns; $1
	 * and $2 are typed here, so a query may leave either out.
	 */
	buf_printf(&b, "SELECT q.kind::text, q.id::text, "
	    "extract(epoch FROM q.time)::float8, "
	    "extract(epoch FROM q.end_time)::float8, q.ref::text, "
	    "q.title::text FROM (%s\n) AS q, (SELECT $1::timestamptz, "
	    "$2::text) AS dagtop_params", s->query);
	pg_query(pg, buf_str(&b), 2, params, sql_result, s);
	buf_free(&since_s);
	buf_free(&b);
}

/*
 * The connection parameters of the service's database: its own URL and
 * password, a 10 s connection timeout and 60 s per statement.
 */
static int
sql_params(const struct fk_service *d, struct db_params *p, struct buf *err)
{
	struct db_options o;

	memset(&o, 0, sizeof o);
	o.database = d->database;
	o.database_password_env = d->database_password_env;
	o.database_password_command = d->database_password_command;
	o.connect_timeout = 10;
	o.statement_timeout = 60;
	return db_params_build(&o, p, err);
}

static void
sql_refresh(struct svc *s)
{
	struct db_params p;
	struct buf	 err = BUF_INIT;

	if (sql_params(s->def, &p, &err) != 0) {
		sql_fail(s, "service database", buf_str(&err));
		buf_free(&err);
	} else {
		s->pg = pg_connect(s->src->loop, p.keywords, p.values,
		    p.password_command, 70000, sql_state, s);
		db_params_free(&p);
	}
	buf_free(&err);
	if (s->pg == NULL)
		fks_check_done(s);
}

/* The query, from the section or its file, without a trailing ';'. */
static int
sql_init(struct svc *s, const struct fk_config *fk, const char *cache,
    struct buf *why)
{
	const struct fk_service	*d = s->def;
	size_t			 n;

	(void)fk;
	(void)cache;
	if (d->query != NULL)
		s->query = xstrdup(d->query);
	else {
		FILE		*fp = fopen(d->query_file, "re");
		struct buf	 q = BUF_INIT;
		char		 chunk[4096];

		if (fp == NULL) {
			buf_printf(why, "service %s: cannot read query_file %s",
			    d->name, d->query_file);
			return -1;
		}
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_append(&q, chunk, n);
		fclose(fp);
		s->query = buf_detach(&q);
	}
	/* A trailing ';' would end the subquery dagtop wraps it in. */
	n = strlen(s->query);
	while (n > 0 && strchr(" \t\r\n;", s->query[n - 1]))
		s->query[--n] = '\0';
	return 0;
}

static bool
sql_reading(const struct svc *s)
{
	return s->pg != NULL;
}

static void
sql_finish(struct svc *s)
{
	(void)s;
}

static void
sql_waiting(const struct svc *s, struct buf *out)
{
	(void)s;
	(void)out;
}

static void
sql_free(struct svc *s)
{
	if (s->pg != NULL)
		pg_free(s->pg);
	free(s->query);
}

const struct fks_kind fks_sql = {
	sql_init, sql_refresh, sql_reading, sql_finish, sql_waiting, sql_free
};
