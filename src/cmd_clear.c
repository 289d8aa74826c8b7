/*
 * cmd_clear.c: `dagtop clear DAG_ID RUN_ID TASK_ID [--downstream]
 * [--only-failed] [--map-index N] [--yes]`, the rerun for runbooks.
 * Without --yes it asks the API for a dry run and prints what would be
 * cleared, with each instance's state and try as the database has them,
 * then exits; with --yes it clears and says how many instances were
 * cleared.  Refused in read-only mode before any request is made; every
 * clear and every refused or failed attempt goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "airflow_db.h"
#include "audit.h"
#include "cmd_clear.h"
#include "config.h"
#include "dbconn.h"
#include "http.h"
#include "loop.h"
#include "report.h"

struct clear_job {
	const struct settings		*s;
	const struct clear_options	*o;
	struct clear_request		 q;
	const char			*dag_id;
	struct loop			*loop;
	struct afdb			*db;
	struct http			*http;
	struct airflow_api		*api;
	struct af_tis			 tis;
	struct clear_result		 result;
	bool				 answered;
	bool				 cleared;	/* not a dry run */
	struct buf			 error;
	int				 major;
};

static void
stop(struct clear_job *j, const char *err)
{
	if (err != NULL && j->error.len == 0)
		buf_puts(&j->error, err);
	loop_break(j->loop);
}

static void
audit(struct clear_job *j, const char *result)
{
	struct audit_clear	e;
	struct buf		err = BUF_INIT;

	memset(&e, 0, sizeof e);
	e.context = j->s->context;
	e.api_url = j->api != NULL ? airflow_api_url(j->api) : j->s->airflow_api_shown;
	e.dag_id = j->dag_id;
	e.run_id = j->q.dag_run_id;
	e.asked = &j->q;
	e.cleared = j->answered ? &j->result : NULL;
	e.result = result;
	if (audit_clear(&e, &err) != 0)
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
	buf_free(&err);
}

static void
answered(void *arg, const struct clear_result *r, const char *err)
{
	struct clear_job *j = arg;

	if (r == NULL) {
		if (!j->q.dry_run) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "failed: %s", err);
			audit(j, buf_str(&b));
			buf_free(&b);
		}
		stop(j, err);
		return;
	}
	/* Keep the answer: copy it out of the callback. */
	j->result.v = xcalloc(r->n + 1, sizeof *j->result.v);
	for (size_t i = 0; i < r->n; i++) {
		j->result.v[i].task_id = xstrdup(r->v[i].task_id);
		j->result.v[i].dag_run_id = r->v[i].dag_run_id != NULL ?
		    xstrdup(r->v[i].dag_run_id) : NULL;
		j->result.v[i].map_index = r->v[i].map_index;
	}
	j->result.n = r->n;
	j->answered = true;
	if (!j->q.dry_run) {
		j->cleared = true;
		audit(j, "cleared");
	}
	stop(j, NULL);
}

static void
send_clear(struct clear_job *j)
{
	struct buf err = BUF_INIT;

	if (airflow_clear(j->api, j->dag_id, &j->q, answered, j, &err) ==
	    NULL && err.len > 0) {
		audit(j, "refused: read-only");
		stop(j, "read-only: dagtop clear is refused (--readonly or "
		    "readonly = true in the context)");
	}
	buf_free(&err);
}

static void
tis_read(void *arg, const char *err)
{
	struct clear_job	*j = arg;
	struct buf		 b = BUF_INIT;
	bool			 found = false;

	if (err != NULL) {
		stop(j, err);
		return;
	}
	for (size_t i = 0; i < j->tis.n; i++)
		if (strcmp(j->tis.v[i].task_id, j->q.task_ids[0]) == 0)
			found = true;
	if (!found) {
		buf_puts(&b, "no task ");
		report_put_id(&b, j->q.task_ids[0]);
		buf_puts(&b, " in run ");
		report_put_id(&b, j->q.dag_run_id);
		buf_puts(&b, " of DAG ");
		report_put_id(&b, j->dag_id);
		stop(j, buf_str(&b));
		buf_free(&b);
		return;
	}
	j->api = airflow_api_new(j->loop, j->http, j->s, j->major, &b);
	if (j->api == NULL) {
		stop(j, buf_str(&b));
		buf_free(&b);
		return;
	}
	buf_free(&b);
	send_clear(j);
}

static void
opened(void *arg, const char *err)
{
	struct clear_job *j = arg;

	if (err != NULL) {
		stop(j, err);
		return;
	}
	j->major = afdb_schema(j->db)->major;
	afdb_fetch_tis(j->db, j->dag_id, j->q.dag_run_id, &j->tis, tis_read, j);
}

static void
lost(void *arg, const char *err)
{
	stop(arg, err);
}

/* The instances the answer names, with state and try from the database. */
static void
print_preview(struct clear_job *j)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	printf("%s %zu task instance%s of ", j->cleared ? "cleared" :
	    "would clear", j->result.n, j->result.n == 1 ? "" : "s");
	buf_reset(&b);
	report_put_id(&b, j->dag_id);
	buf_puts(&b, " ");
	report_put_id(&b, j->q.dag_run_id);
	printf("%s:\n", buf_str(&b));
	buf_reset(&b);
	for (i = 0; i < j->tis.n; i++) {
		const struct af_ti *t = &j->tis.v[i];

		if (!clear_result_has(&j->result, t->task_id, t->map_index))
			continue;
		buf_printf(&b, "  %s%-16s try %d  ", j->cleared ? "was " : "",
		    ti_state_name(t->state), t->try_number);
		report_put_id(&b, t->task_id);
		if (t->map_index >= 0)
			buf_printf(&b, "[%d]", t->map_index);
		buf_putc(&b, '\n');
	}
	fputs(buf_str(&b), stdout);
	if (!j->cleared)
		printf("(dry run: nothing changed; add --yes to clear)\n");
	buf_free(&b);
}

int
cmd_clear(const struct settings *s, const struct clear_options *o,
    const char *dag_id, const char *run_id, const char *task_id)
{
	struct clear_job	 j;
	struct db_params	 p;
	struct buf		 err = BUF_INIT;
	struct http_opts	 ho;
	const char		*ids[1] = { task_id };
	int			 mis[1] = { o->map_index };
	int			 rc;

	memset(&j, 0, sizeof j);
	j.s = s;
	j.o = o;
	j.dag_id = dag_id;
	j.q.dag_run_id = run_id;
	j.q.task_ids = ids;
	j.q.map_indexes = o->map_index >= 0 ? mis : NULL;
	j.q.ntasks = 1;
	j.q.include_downstream = o->downstream;
	j.q.only_failed = o->only_failed;
	j.q.dry_run = !o->yes;
	if (s->readonly) {
		/* The gate: nothing is read or sent, the attempt is audited. */
		audit(&j, "refused: read-only");
		fprintf(stderr, "dagtop: read-only: dagtop clear is refused "
		    "(--readonly or readonly = true in the context)\n");
		return 1;
	}
	if (s->airflow_api == NULL || *s->airflow_api == '\0') {
		fprintf(stderr, "dagtop: clear needs airflow_api in the "
		    "context (dagtop.conf(5))\n");
		return 3;
	}
	if (db_params_build(s, &p, &err) != 0) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		buf_free(&err);
		return 3;
	}
	j.loop = loop_new();
	memset(&ho, 0, sizeof ho);
	ho.insecure = !s->airflow_tls_verify;
	ho.ca_file = s->airflow_ca_file;
	j.http = http_new(j.loop, &ho);
	j.db = afdb_open(j.loop, &p, (s->statement_timeout + 5) * 1000,
	    opened, lost, &j);
	db_params_free(&p);
	loop_run(j.loop);
	if (!j.answered) {
		struct buf clean = BUF_INIT;

		report_put_lines(&clean, j.error.len > 0 ? buf_str(&j.error) :
		    "no answer");
		fprintf(stderr, "dagtop: clear: %s%s", buf_str(&clean),
		    clean.len > 0 && clean.data[clean.len - 1] == '\n' ? "" :
		    "\n");
		buf_free(&clean);
		/* Before the API was asked: cannot tell; after: refused. */
		rc = j.api == NULL ? 3 : 1;
	} else {
		print_preview(&j);
		rc = 0;
	}
	clear_result_free(&j.result);
	af_tis_free(&j.tis);
	airflow_api_free(j.api);
	http_free(j.http);
	afdb_free(j.db);
	loop_free(j.loop);
	buf_free(&j.error);
	return rc;
}
