/*
 * cmd_clear.c: `dagtop clear DAG_ID RUN_ID TASK_ID [--downstream]
 * [--only-failed] [--map-index N] [--yes]`, the rerun for runbooks.
 * It always asks the API for a dry run first.  Without --yes it prints
 * what would be cleared, with each instance's state and try as the
 * database has them, and exits.  With --yes it writes the audit intent
 * (the dry run's list, fsync'd) and only then sends the clear; the outcome
 * follows in the audit log: cleared, failed, or unknown when no usable
 * answer came (a timeout, a lost connection, a 5xx, a signal).  After an
 * unknown outcome it reads the instances back from the database and
 * prints what it now shows.  Refused in read-only mode, and when the
 * audit log cannot be written, before any request is made.
 *
 * Exit status: 0 cleared (or the dry run shown); 1 refused or failed,
 * nothing cleared; 3 cannot tell (configuration, database); 4 the clear
 * was sent and its outcome is unknown; 128+N a signal before the clear
 * was sent.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "airflow_db.h"
#include "audit.h"
#include "cmd_clear.h"
#include "config.h"
#include "dbconn.h"
#include "http.h"
#include "loop.h"
#include "options.h"
#include "sched_open.h"
#include "report.h"

/* How long a signal waits for the clear's answer, and the read-back. */
#define GRACE_MS	5000
#define READBACK_MS	10000
#define READBACK_SIG_MS	3000

enum clear_phase {
	PH_READING,	/* connecting, reading the run's instances */
	PH_PREVIEW,	/* the dry run in flight */
	PH_CLEARING,	/* the clear in flight: the intent is written */
	PH_READBACK,	/* outcome unknown: reading the instances back */
	PH_DONE
};

struct clear_job {
	const struct settings		*s;
	const struct clear_options	*o;
	struct clear_request		 q;
	const char			*dag_id;
	struct loop			*loop;
	struct db_params		 p;
	struct sched			*db;
	bool				 db_lost;
	struct http			*http;
	struct airflow_api		*api;
	struct api_call			*call;
	enum clear_phase		 phase;
	struct af_tis			 tis;		/* before */
	struct af_tis			 now;		/* read back */
	bool				 read_back;
	struct clear_result		 planned;	/* the dry run's list */
	struct clear_result		 result;	/* the clear's answer */
	char				 id[64];	/* of the audit records */
	bool				 cleared;
	int				 rc;
	struct buf			 error;
	struct buf			 unknown;	/* why the outcome is */
	int				 major;
	int				 signo;		/* first signal */
	struct loop_timer		*timer;		/* grace, read-back */
};

static const char *
sig_name(int signo)
{
	switch (signo) {
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}

static void
stop(struct clear_job *j, const char *err, int rc)
{
	if (err != NULL && j->error.len == 0)
		buf_puts(&j->error, err);
	j->rc = rc;
	j->phase = PH_DONE;
	loop_timer_stop(j->timer);
	loop_break(j->loop);
}

/* Writes a record; the request and planned list come from the job. */
static int
audit(struct clear_job *j, enum audit_record kind, const char *result,
    struct buf *err)
{
	struct audit_clear	e;
	struct clear_request	q = j->q;

	q.dry_run = false;
	memset(&e, 0, sizeof e);
	e.id = j->id[0] != '\0' ? j->id : NULL;
	e.context = j->s->context;
	e.api_url = j->api != NULL ? airflow_api_url(j->api) : j->s->airflow_api_shown;
	e.dag_id = j->dag_id;
	e.run_id = j->q.dag_run_id;
	e.asked = &q;
	e.planned = &j->planned;
	e.cleared = j->cleared ? &j->result : NULL;
	e.result = result;
	return audit_write(&e, kind, err);
}

/* An outcome record; a failure to write it is said, not fatal. */
static void
audit_outcome(struct clear_job *j, const char *result)
{
	struct buf err = BUF_INIT;

	if (audit(j, AUDIT_OUTCOME, result, &err) != 0)
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
	buf_free(&err);
}

static void
copy_result(struct clear_result *to, const struct clear_result *r)
{
	clear_result_free(to);
	to->v = xcalloc(r->n + 1, sizeof *to->v);
	for (size_t i = 0; i < r->n; i++) {
		to->v[i].task_id = xstrdup(r->v[i].task_id);
		to->v[i].dag_run_id = r->v[i].dag_run_id != NULL ?
		    xstrdup(r->v[i].dag_run_id) : NULL;
		to->v[i].map_index = r->v[i].map_index;
	}
	to->n = r->n;
}

static void	readback_start(struct clear_job *);

/* The clear got no usable answer: say so, then read the database back. */
static void
outcome_unknown(struct clear_job *j, const char *why)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "outcome unknown: %s", why);
	audit_outcome(j, buf_str(&b));
	buf_puts(&j->unknown, why);
	buf_free(&b);
	j->rc = CLEAR_EXIT_UNKNOWN;
	readback_start(j);
}

static void
clear_answered(void *arg, const struct clear_result *r, const char *err,
    bool unknown)
{
	struct clear_job *j = arg;

	j->call = NULL;
	loop_timer_stop(j->timer);
	if (r != NULL) {
		copy_result(&j->result, r);
		j->cleared = true;
		audit_outcome(j, "cleared");
		stop(j, NULL, CLEAR_EXIT_OK);
	} else if (unknown)
		outcome_unknown(j, err);
	else {
		struct buf b = BUF_INIT;

		buf_printf(&b, "failed: %s", err);
		audit_outcome(j, buf_str(&b));
		buf_free(&b);
		stop(j, err, CLEAR_EXIT_FAILED);
	}
}

static void	preview_answered(void *, const struct clear_result *,
		    const char *, bool);

/*
 * POSTs the dry run or the clear; a closed write gate is audited as a
 * refusal and ends the job (no request left the process).
 */
static void
post(struct clear_job *j, bool dry)
{
	struct buf err = BUF_INIT;

	j->q.dry_run = dry;
	j->phase = dry ? PH_PREVIEW : PH_CLEARING;
	j->call = airflow_clear(j->api, j->dag_id, &j->q, dry ?
	    preview_answered : clear_answered, j, &err);
	if (j->call == NULL && err.len > 0) {
		/* The write gate refused: nothing left the process. */
		audit_outcome(j, "refused: read-only");
		stop(j, buf_str(&err), CLEAR_EXIT_FAILED);
	}
	buf_free(&err);
}

/* The intent first, durably; then the clear. */
static void
send_clear(struct clear_job *j)
{
	struct buf err = BUF_INIT;

	audit_new_id(j->id, sizeof j->id);
	if (audit(j, AUDIT_INTENT, NULL, &err) != 0) {
		buf_puts(&err, "; the clear is refused, nothing was sent");
		stop(j, buf_str(&err), CLEAR_EXIT_FAILED);
		buf_free(&err);
		return;
	}
	buf_free(&err);
	post(j, false);
}

static void
preview_answered(void *arg, const struct clear_result *r, const char *err,
    bool unknown)
{
	struct clear_job *j = arg;

	(void)unknown;	/* a dry run changes nothing */
	j->call = NULL;
	if (r == NULL) {
		if (j->o->yes) {
			/* Part of a clear: an attempt all the same. */
			struct buf b = BUF_INIT;

			buf_printf(&b, "failed: dry run: %s", err);
			audit_outcome(j, buf_str(&b));
			buf_free(&b);
		}
		stop(j, err, CLEAR_EXIT_FAILED);
		return;
	}
	copy_result(&j->planned, r);
	if (!j->o->yes) {
		copy_result(&j->result, r);
		stop(j, NULL, CLEAR_EXIT_OK);
		return;
	}
	send_clear(j);
}

static void
tis_read(void *arg, const char *err)
{
	struct clear_job	*j = arg;
	struct buf		 b = BUF_INIT;
	bool			 found = false;

	if (err != NULL) {
		stop(j, err, CLEAR_EXIT_CANNOT);
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
		stop(j, buf_str(&b), CLEAR_EXIT_CANNOT);
		buf_free(&b);
		return;
	}
	{
		struct airflow_api_opts ao;

		options_airflow_api(j->s, &ao);
		j->api = airflow_api_new(j->loop, j->http, &ao, j->major, &b);
	}
	if (j->api == NULL) {
		stop(j, buf_str(&b), CLEAR_EXIT_CANNOT);
		buf_free(&b);
		return;
	}
	buf_free(&b);
	post(j, true);
}

static void
opened(void *arg, const char *err)
{
	struct clear_job *j = arg;

	if (err != NULL) {
		stop(j, err, CLEAR_EXIT_CANNOT);
		return;
	}
	j->major = sched_about(j->db)->major;
	sched_fetch_tis(j->db, j->dag_id, j->q.dag_run_id, &j->tis, tis_read, j);
}

static void
lost(void *arg, const char *err)
{
	struct clear_job *j = arg;

	j->db_lost = true;
	switch (j->phase) {
	case PH_PREVIEW:
	case PH_CLEARING:
		/*
		 * The clear goes on: the run's instances are read, and the
		 * database is needed again only to read them back.
		 */
		return;
	case PH_READBACK:
		stop(j, NULL, j->rc);
		buf_reset(&j->error);
		buf_printf(&j->error, "the database connection was lost "
		    "again: %s", err);
		return;
	case PH_DONE:
		return;
	default:
		stop(j, err, j->api == NULL ? CLEAR_EXIT_CANNOT :
		    CLEAR_EXIT_FAILED);
	}
}

/* --- outcome unknown: what the database now shows ------------------------- */

static void
readback_done(void *arg, const char *err)
{
	struct clear_job *j = arg;

	if (j->phase != PH_READBACK)
		return;
	if (err != NULL) {
		buf_reset(&j->error);
		buf_printf(&j->error, "cannot read the instances back: %s", err);
	} else
		j->read_back = true;
	stop(j, NULL, j->rc);
}

static void
reopened(void *arg, const char *err)
{
	struct clear_job *j = arg;

	if (j->phase != PH_READBACK)
		return;
	if (err != NULL) {
		readback_done(j, err);
		return;
	}
	j->db_lost = false;
	sched_fetch_tis(j->db, j->dag_id, j->q.dag_run_id, &j->now,
	    readback_done, j);
}

static void
timer_due(struct loop_timer *t, void *arg)
{
	struct clear_job	*j = arg;
	struct buf		 b = BUF_INIT;

	(void)t;
	switch (j->phase) {
	case PH_CLEARING:
		/* The grace after a signal is over: no answer came. */
		airflow_clear_cancel(j->call);
		j->call = NULL;
		buf_printf(&b, "interrupted by %s before the answer came",
		    sig_name(j->signo));
		outcome_unknown(j, buf_str(&b));
		break;
	case PH_READBACK:
		buf_reset(&j->error);
		buf_puts(&j->error, "cannot read the instances back: the "
		    "database did not answer in time");
		stop(j, NULL, j->rc);
		break;
	default:
		break;
	}
	buf_free(&b);
}

static void
readback_start(struct clear_job *j)
{
	j->phase = PH_READBACK;
	loop_timer_set(j->timer, j->signo != 0 ? READBACK_SIG_MS :
	    READBACK_MS);
	af_tis_free(&j->now);
	if (!j->db_lost && j->db != NULL) {
		sched_fetch_tis(j->db, j->dag_id, j->q.dag_run_id, &j->now,
		    readback_done, j);
		return;
	}
	/* Not from inside the old connection's callbacks: this is HTTP's. */
	sched_free(j->db);
	{
		struct buf err = BUF_INIT;

		j->db = sched_open_timeout(j->loop, j->s, READBACK_MS,
		    reopened, lost, j, &err);
		if (j->db == NULL)
			readback_done(j, buf_str(&err));
		buf_free(&err);
	}
}

/* --- signals -------------------------------------------------------------- */

/*
 * A first signal while the clear is in flight waits (up to GRACE_MS) for its
 * answer, so that the outcome is recorded; a second gives up.  Before the
 * POST nothing was sent, so a signal simply stops.
 */
static void
signal_caught(int signo, void *arg)
{
	struct clear_job	*j = arg;
	bool			 again = j->signo != 0;

	if (!again)
		j->signo = signo;
	switch (j->phase) {
	case PH_CLEARING:
		if (!again) {
			fprintf(stderr, "dagtop: %s: waiting up to %d s for "
			    "the clear's answer, to record it\n",
			    sig_name(signo), GRACE_MS / 1000);
			loop_timer_set(j->timer, GRACE_MS);
		} else
			timer_due(j->timer, j);
		break;
	case PH_READBACK:
		if (again) {
			buf_reset(&j->error);
			buf_puts(&j->error, "the instances were not read back "
			    "(interrupted)");
			stop(j, NULL, j->rc);
		}
		break;
	case PH_DONE:
		break;
	default:
		stop(j, "interrupted before the clear was sent: nothing was "
		    "cleared", 128 + signo);
	}
}

/* --- output --------------------------------------------------------------- */

static void
print_ti(struct buf *b, const char *prefix, const struct af_ti *t)
{
	buf_printf(b, "  %s%-16s try %d  ", prefix, ti_state_name(t->state),
	    t->try_number);
	report_put_id(b, t->task_id);
	if (t->map_index >= 0)
		buf_printf(b, "[%d]", t->map_index);
	buf_putc(b, '\n');
}

/* The instances the answer names, with state and try from the database. */
static void
print_preview(struct clear_job *j)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	printf("%s %zu task instance%s of ", j->cleared ? "cleared" :
	    "would clear", j->result.n, j->result.n == 1 ? "" : "s");
	report_put_id(&b, j->dag_id);
	buf_puts(&b, " ");
	report_put_id(&b, j->q.dag_run_id);
	printf("%s:\n", buf_str(&b));
	buf_reset(&b);
	for (i = 0; i < j->tis.n; i++) {
		const struct af_ti *t = &j->tis.v[i];

		if (clear_result_has(&j->result, t->task_id, t->map_index))
			print_ti(&b, j->cleared ? "was " : "", t);
	}
	fputs(buf_str(&b), stdout);
	if (!j->cleared)
		printf("(dry run: nothing changed; add --yes to clear)\n");
	buf_free(&b);
}

/* Outcome unknown: the dry run's instances, before and now. */
static void
print_unknown(struct clear_job *j)
{
	struct buf	b = BUF_INIT, clean = BUF_INIT;
	size_t		i, k;

	report_put_lines(&clean, buf_str(&j->unknown));
	buf_printf(&b, "outcome unknown: the clear of %zu task instance%s of ",
	    j->planned.n, j->planned.n == 1 ? "" : "s");
	report_put_id(&b, j->dag_id);
	buf_puts(&b, " ");
	report_put_id(&b, j->q.dag_run_id);
	buf_printf(&b, " was sent, but no answer came (%s)\n",
	    buf_str(&clean));
	if (j->read_back) {
		buf_puts(&b, "the database now shows:\n");
		for (i = 0; i < j->now.n; i++) {
			const struct af_ti *t = &j->now.v[i];

			if (!clear_result_has(&j->planned, t->task_id,
			    t->map_index))
				continue;
			for (k = 0; k < j->tis.n; k++) {
				const struct af_ti *w = &j->tis.v[k];

				if (strcmp(w->task_id, t->task_id) == 0 &&
				    w->map_index == t->map_index)
					break;
			}
			print_ti(&b, k < j->tis.n &&
			    (j->tis.v[k].try_number != t->try_number ||
			    j->tis.v[k].state != t->state) ? "changed  " :
			    "same     ", t);
		}
		buf_puts(&b, "(changed: the state or try differs from before "
		    "the clear, so it was most likely applied; check before "
		    "clearing again, a second clear would stop the rerun)\n");
	} else {
		buf_printf(&b, "the database was not read back: ");
		report_put_lines(&b, buf_str(&j->error));
		buf_puts(&b, "\ncheck the task instances before clearing "
		    "again: a second clear would stop the rerun\n");
	}
	fputs(buf_str(&b), stdout);
	buf_free(&b);
	buf_free(&clean);
}

int
cmd_clear(const struct settings *s, const struct clear_options *o,
    const char *dag_id, const char *run_id, const char *task_id)
{
	struct clear_job	 j;
	struct db_options	 dbo;
	struct buf		 err = BUF_INIT;
	struct http_opts	 ho;
	const int		 sigs[3] = { SIGTERM, SIGINT, SIGHUP };
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
	if (!airflow_api_context_may_write(s->readonly, &err)) {
		/* Nothing is read or sent; the attempt is audited. */
		audit_outcome(&j, "refused: read-only");
		fprintf(stderr, "dagtop: clear: %s\n", buf_str(&err));
		buf_free(&err);
		return CLEAR_EXIT_FAILED;
	}
	if (!settings_has_api(s)) {
		fprintf(stderr, "dagtop: clear needs airflow_api in the "
		    "context (dagtop.conf(5))\n");
		return CLEAR_EXIT_CANNOT;
	}
	if (o->yes && audit_check(&err) != 0) {
		/* No audit, no clear: said before any request. */
		fprintf(stderr, "dagtop: %s; the clear is refused, nothing "
		    "was sent\n", buf_str(&err));
		buf_free(&err);
		return CLEAR_EXIT_FAILED;
	}
	if (!sched_context_api(s) &&
	    db_params_build(options_db(s, &dbo), &j.p, &err) != 0) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		buf_free(&err);
		return CLEAR_EXIT_CANNOT;
	}
	j.loop = loop_new();
	if (loop_signals(j.loop, sigs, 3, signal_caught, &j) != 0) {
		perror("dagtop: pipe");
		loop_free(j.loop);
		db_params_free(&j.p);
		return CLEAR_EXIT_CANNOT;
	}
	j.timer = loop_timer_new(j.loop, timer_due, &j);
	memset(&ho, 0, sizeof ho);
	ho.insecure = !s->airflow_tls_verify;
	ho.ca_file = s->airflow_ca_file;
	j.http = http_new(j.loop, &ho);
	j.rc = CLEAR_EXIT_CANNOT;
	j.db = sched_open_context(j.loop, s, opened, lost, &j, &err);
	if (j.db == NULL)
		stop(&j, buf_str(&err), CLEAR_EXIT_CANNOT);
	while (j.phase != PH_DONE)
		if (loop_run_once(j.loop) <= 0)
			break;
	rc = j.rc;
	if (j.phase != PH_DONE && j.error.len == 0)
		buf_puts(&j.error, "no answer");
	if (rc == CLEAR_EXIT_UNKNOWN) {
		print_unknown(&j);
		fprintf(stderr, "dagtop: clear: outcome unknown (exit status "
		    "%d); see the audit log\n", rc);
	} else if (rc == CLEAR_EXIT_OK)
		print_preview(&j);
	else {
		struct buf clean = BUF_INIT;

		report_put_lines(&clean, j.error.len > 0 ? buf_str(&j.error) :
		    "no answer");
		fprintf(stderr, "dagtop: clear: %s%s", buf_str(&clean),
		    clean.len > 0 && clean.data[clean.len - 1] == '\n' ? "" :
		    "\n");
		buf_free(&clean);
	}
	airflow_clear_cancel(j.call);
	clear_result_free(&j.result);
	clear_result_free(&j.planned);
	af_tis_free(&j.tis);
	af_tis_free(&j.now);
	airflow_api_free(j.api);
	http_free(j.http);
	sched_free(j.db);
	loop_timer_free(j.timer);
	loop_free(j.loop);
	db_params_free(&j.p);
	buf_free(&j.error);
	buf_free(&j.unknown);
	return rc;
}
