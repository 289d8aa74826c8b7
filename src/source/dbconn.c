/* dbconn.c: connection parameters for the Airflow metadata database. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "dbconn.h"
#include "secret.h"

static void
add(struct db_params *p, const char *k, const char *v)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->keywords[i], k) == 0) {
			free((char *)p->values[i]);
			p->values[i] = xstrdup(v);
			return;
		}
	}
	p->keywords = xreallocarray(p->keywords, p->n + 2, sizeof *p->keywords);
	p->values = xreallocarray(p->values, p->n + 2, sizeof *p->values);
	p->keywords[p->n] = xstrdup(k);
	p->values[p->n] = xstrdup(v);
	p->n++;
	p->keywords[p->n] = NULL;
	p->values[p->n] = NULL;
}

static const char *
get(const struct db_params *p, const char *k)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->keywords[i], k) == 0)
			return p->values[i];
	return NULL;
}

int
db_params_build(const struct db_options *s, struct db_params *p,
    struct buf *err)
{
	PQconninfoOption	*opts, *o;
	struct buf		 norm = BUF_INIT, b = BUF_INIT;
	char			*perr = NULL;
	const char		*pw;

	memset(p, 0, sizeof *p);
	db_conninfo_normalise(s->database, &norm);
	opts = PQconninfoParse(buf_str(&norm), &perr);
	buf_free(&norm);
	if (opts == NULL) {
		/* libpq quotes the part it cannot read: the password, maybe. */
		buf_puts(err, "bad database connection string: ");
		scrub_secrets(perr != NULL ? strtok(perr, "\n") :
		    "out of memory", s->database, err);
		PQfreemem(perr);
		return -1;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (o->val != NULL)
			add(p, o->keyword, o->val);
	PQconninfoFree(opts);

	if (get(p, "application_name") == NULL)
		add(p, "application_name", "dagtop");
	add(p, "client_encoding", "UTF8");
	if (get(p, "connect_timeout") == NULL) {
		buf_printf(&b, "%d", s->connect_timeout);
		add(p, "connect_timeout", buf_str(&b));
		buf_reset(&b);
	}
	/*
	 * The session is read-only whatever the user's role may do, answers
	 * in UTC, and no statement may run longer than statement_timeout.
	 * These ride on the startup packet, before any query of ours.  JIT
	 * is off: on a large metadata database the planner's cost estimates
	 * for our per-DAG index lookups pass jit_above_cost, and compiling
	 * costs more than the query (measured: 190 ms against 25 ms).
	 */
	if (get(p, "options") != NULL)
		buf_printf(&b, "%s ", get(p, "options"));
	buf_printf(&b, "-c default_transaction_read_only=on "
	    "-c statement_timeout=%d -c TimeZone=UTC "
	    "-c idle_in_transaction_session_timeout=60000 -c jit=off",
	    s->statement_timeout * 1000);
	add(p, "options", buf_str(&b));
	buf_free(&b);

	if (s->database_password_env != NULL) {
		pw = getenv(s->database_password_env);
		if (pw == NULL) {
			buf_printf(err, "database_password_env names %s, which "
			    "is not set", s->database_password_env);
			db_params_free(p);
			return -1;
		}
		add(p, "password", pw);
	} else if (s->database_password_command != NULL)
		p->password_command = xstrdup(s->database_password_command);
	return 0;
}

void
db_params_free(struct db_params *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->keywords[i], "password") == 0)
			wipe((char *)p->values[i], strlen(p->values[i]));
		free((char *)p->keywords[i]);
		free((char *)p->values[i]);
	}
	free(p->keywords);
	free(p->values);
	free(p->password_command);
	memset(p, 0, sizeof *p);
}

void
db_conninfo_masked(const char *conninfo, struct buf *out)
{
	PQconninfoOption	*opts, *o;
	struct buf		 norm = BUF_INIT;
	char			*perr = NULL;
	const char		*v;
	bool			 first = true;

	db_conninfo_normalise(conninfo, &norm);
	opts = PQconninfoParse(buf_str(&norm), &perr);
	buf_free(&norm);
	if (opts == NULL) {
		PQfreemem(perr);
		buf_puts(out, "(unparsable connection string)");
		return;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		v = strcmp(o->keyword, "password") == 0 ? "********" : o->val;
		buf_printf(out, "%s%s=", first ? "" : " ", o->keyword);
		first = false;
		if (*v == '\0' || strpbrk(v, " '\\") != NULL) {
			buf_putc(out, '\'');
			for (; *v != '\0'; v++) {
				if (*v == '\'' || *v == '\\')
					buf_putc(out, '\\');
				buf_putc(out, *v);
			}
			buf_putc(out, '\'');
		} else
			buf_puts(out, v);
	}
	PQconninfoFree(opts);
}
