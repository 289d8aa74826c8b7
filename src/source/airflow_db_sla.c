/*
 * airflow_db_sla.c: the SLA attempts read from the Airflow metadata
 * database (the DAG's runs, or the SLA's task in them, with Airflow's own
 * verdict), and which DAGs of a list the database does not have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "airflow_db.h"
#include "airflow_db_int.h"
#include "pg.h"
#include "timefmt.h"
#include "tz.h"


static void
sla_result(void *arg, const PGresult *res, const char *err)
{
	struct request		*r = arg;
	struct sla_history	*h = r->out;
	struct sla_attempt	*a;
	size_t			*sla_of, nsla = h->nsla;
	int			 i, nt;
	bool			 task;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	nt = PQntuples(res);
	h->v = xcalloc((size_t)nt + 1, sizeof *h->v);
	sla_of = xcalloc((size_t)nt + 1, sizeof *sla_of);
	for (i = 0; i < nt; i++) {
		a = &h->v[h->n];
		sla_of[h->n++] = (size_t)afdb_col_int(res, i, 0, 1) - 1;
		a->run_id = afdb_col_str(res, i, 1);
		a->run_type = afdb_col_str(res, i, 2);
		a->interval_end = afdb_col_time(res, i, 4);
		task = !PQgetisnull(res, i, 7);
		a->state = sla_attempt_state(PQgetisnull(res, i, 3) ? NULL :
		    PQgetvalue(res, i, 3), task, afdb_col_int(res, i, 7, 0),
		    afdb_col_int(res, i, 8, 0), afdb_col_int(res, i, 9, 0),
		    !PQgetisnull(res, i, 10));
		a->start = task ? afdb_col_time(res, i, 10) : afdb_col_time(res, i, 5);
		a->end = task ? afdb_col_time(res, i, 11) : afdb_col_time(res, i, 6);
		/* A task that never ran in a finished run: the run's end. */
		if (a->end == TIME_NONE && a->state == SLA_FAILED_ATTEMPT)
			a->end = afdb_col_time(res, i, 6);
		a->airflow_miss = afdb_col_bool(res, i, 12);
	}
	sla_history_index(h, sla_of, nsla);
	free(sla_of);
	afdb_request_done(r, NULL);
}

/* Flags to set, one per dag_id asked about. */
struct unknown {
	bool	*v;
	size_t	 n;
};

/* Rows: the 1-based index of each dag_id that has no row in dag. */
static void
unknown_dags_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	struct unknown	*u = r->out;
	int		 i, k;

	if (err == NULL)
		for (i = 0; i < PQntuples(res); i++) {
			k = afdb_col_int(res, i, 0, 0);
			if (k >= 1 && (size_t)k <= u->n)
				u->v[k - 1] = true;
		}
	afdb_request_done(r, err);
}

/*
 * Which of n dag_ids the database has no DAG for (no row in dag: a DAG
 * removed from the files keeps its row, stale, and is known).  One
 * statement through dag's primary key; out[i] set true for each unknown.
 */
static void
fetch_unknown_dags(struct afdb *db, const char *dag_array, struct unknown *u,
    sched_cb cb, void *arg)
{
	const char *params[1] = { dag_array };

	pg_query(db->pg, "SELECT k.i FROM unnest($1::text[]) WITH ORDINALITY "
	    "AS k(dag_id, i) WHERE NOT EXISTS (SELECT 1 FROM dag d WHERE "
	    "d.dag_id = k.dag_id)", 1, params, unknown_dags_result,
	    afdb_request_new(db, u, cb, arg));
}

struct unknown_job {
	struct unknown	 u;
	sched_cb		 cb;
	void		*arg;
};

static void
unknown_job_done(void *arg, const char *err)
{
	struct unknown_job	*j = arg;
	sched_cb			 cb = j->cb;
	void			*cbarg = j->arg;

	free(j);
	cb(cbarg, err);
}

void
afdb_fetch_unknown_dags(struct sched *sd, const char *const *dag_ids,
    size_t n, bool *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct buf		 dags = BUF_INIT;
	struct unknown_job	*j = xcalloc(1, sizeof *j);
	size_t			 i;

	for (i = 0; i < n; i++)
		out[i] = false;
	j->u.v = out;
	j->u.n = n;
	j->cb = cb;
	j->arg = arg;
	pg_array_literal(&dags, dag_ids, n);
	fetch_unknown_dags(db, buf_str(&dags), &j->u, unknown_job_done, j);
	buf_free(&dags);
}

void
afdb_fetch_sla(struct sched *sd, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT, dags = BUF_INIT, tasks = BUF_INIT,
				 pf = BUF_INIT, pt = BUF_INIT, day = BUF_INIT;
	const char		**dv, **tv, *params[4], *logical;
	struct pair		*pair;
	size_t			 i;

	sla_history_free(out);
	out->nsla = n;
	out->airflow_sla_miss = s->sla_miss;
	out->airflow_deadlines = s->deadline;
	out->unknown_dag = xcalloc(n + 1, sizeof *out->unknown_dag);
	pair = xcalloc(1, sizeof *pair);
	pair->pending = 2;
	pair->cb = cb;
	pair->arg = arg;
	dv = xcalloc(n + 1, sizeof *dv);
	tv = xcalloc(n + 1, sizeof *tv);
	for (i = 0; i < n; i++) {
		dv[i] = defs[i]->dag_id;
		tv[i] = defs[i]->task_id != NULL ? defs[i]->task_id : "";
	}
	/* First the SLAs on a DAG the database does not have. */
	afdb_fetch_unknown_dags(&db->base, dv, n, out->unknown_dag, afdb_pair_done,
	    pair);
	pg_array_literal(&dags, dv, n);
	pg_array_literal(&tasks, tv, n);
	free(dv);
	free(tv);
	fmt_time(&pf, tz_utc(), from, FMT_ISO);
	fmt_time(&pt, tz_utc(), to, FMT_ISO);
	logical = s->logical_date ? "r.logical_date" : "r.execution_date";
	if (s->run_after)
		buf_printf(&day, "coalesce(r.data_interval_end, %s, r.run_after)",
		    logical);
	else
		buf_printf(&day, "coalesce(r.data_interval_end, %s)", logical);

	/*
	 * Each SLA's runs through (dag_id), bounded by the day of their data
	 * interval; the task's instances through ti_state_lkp.
	 */
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
	params[0] = buf_str(&dags);
	params[1] = buf_str(&tasks);
	params[2] = buf_str(&pf);
	params[3] = buf_str(&pt);
	pg_query(db->pg, buf_str(&sql), 4, params, sla_result,
	    afdb_request_new(db, out, afdb_pair_done, pair));
	buf_free(&sql);
	buf_free(&dags);
	buf_free(&tasks);
	buf_free(&pf);
	buf_free(&pt);
	buf_free(&day);
}
