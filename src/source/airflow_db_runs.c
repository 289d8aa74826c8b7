/*
 * airflow_db_runs.c: the DAG runs and task instances read from the Airflow
 * metadata database: since an instant, the newest per DAG, one DAG's, one
 * run, a run's task instances, and those the attention list needs.
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

/*
 * The column Airflow orders a DAG's runs by, for alias r: run_after on 3.x,
 * execution_date on 2.x (where a manual run shares the last scheduled run's
 * data interval, and only execution_date, its trigger time, says it is the
 * newer).  On 2.x it is also what the unique (dag_id, execution_date) index
 * serves, so "the newest N" reads that index backwards.
 */
static const char *
run_order_column(const struct af_schema *s)
{
	if (s->run_after)
		return "r.run_after";
	return s->logical_date ? "r.logical_date" : "r.execution_date";
}

/* The select list every run query shares, for alias r. */
static void
run_columns(const struct af_schema *s, struct buf *b)
{
	const char *logical = s->logical_date ? "r.logical_date" :
	    "r.execution_date";

	buf_puts(b, "r.dag_id, r.run_id, r.state, r.run_type, ");
	buf_printf(b, "floor(extract(epoch FROM %s))::int8, ", logical);
	if (s->run_after)
		buf_puts(b, EPOCH("r.run_after") ", ");
	else
		buf_printf(b, "floor(extract(epoch FROM coalesce("
		    "r.data_interval_end, %s)))::int8, ", logical);
	buf_puts(b, EPOCH("r.queued_at") ", " EPOCH("r.start_date") ", "
	    EPOCH("r.end_date") ", " EPOCH("r.data_interval_start") ", "
	    EPOCH("r.data_interval_end") ", ");
	buf_puts(b, s->clear_number ? "r.clear_number, " : "0, ");
	buf_printf(b, "floor(extract(epoch FROM %s))::int8",
	    run_order_column(s));
}

static void
runs_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	struct af_runs	*out = r->out;
	struct af_run	*run;
	int		 i;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		run = af_runs_push(out);
		run->dag_id = afdb_col_str(res, i, 0);
		run->run_id = afdb_col_str(res, i, 1);
		run->state = run_state_parse(PQgetisnull(res, i, 2) ? NULL :
		    PQgetvalue(res, i, 2));
		/* Kept only when unknown: 20,000 runs need not carry copies. */
		if (run->state == RUN_UNKNOWN)
			run->state_raw = afdb_col_str(res, i, 2);
		run->run_type = afdb_col_str(res, i, 3);
		run->logical_date = afdb_col_time(res, i, 4);
		run->run_after = afdb_col_time(res, i, 5);
		run->queued_at = afdb_col_time(res, i, 6);
		run->start_date = afdb_col_time(res, i, 7);
		run->end_date = afdb_col_time(res, i, 8);
		run->data_interval_start = afdb_col_time(res, i, 9);
		run->data_interval_end = afdb_col_time(res, i, 10);
		run->clear_number = afdb_col_int(res, i, 11, 0);
		run->order = afdb_col_time(res, i, 12);
	}
	afdb_request_done(r, NULL);
}

void
afdb_fetch_runs_since(struct sched *sd, int64_t since, struct af_runs *out,
    sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT, cols = BUF_INIT, p = BUF_INIT;
	const char		*params[1], *run_time;
	struct pair		*pair = xcalloc(1, sizeof *pair);

	pair->pending = 2;
	pair->cb = cb;
	pair->arg = arg;
	run_columns(s, &cols);
	run_time = s->run_after ? "r.run_after" :
	    "coalesce(r.data_interval_end, r.execution_date)";
	/* An ISO instant in UTC, read by PostgreSQL as a timestamptz. */
	fmt_time(&p, tz_utc(), since, FMT_ISO);
	params[0] = buf_str(&p);

	/*
	 * First the runs of the window and every unfinished run.  Each branch
	 * is served by an index: run_after (3.x), or on 2.x the unique
	 * (dag_id, execution_date) index one DAG at a time, bounded below by
	 * the DAG's own schedule interval; the partial indexes on running and
	 * queued runs.  The LIMIT inside the LATERAL keeps the planner from
	 * flattening it into a hash join over all of dag_run, which it prefers
	 * on a cost estimate that is wrong for this shape (measured: 100 ms
	 * against 20 ms on 180,000 runs).
	 */
	if (s->run_after)
		buf_printf(&sql, "SELECT %s FROM dag_run r "
		    "WHERE r.run_after >= $1::timestamptz", buf_str(&cols));
	else
		buf_printf(&sql, "SELECT %s FROM dag d CROSS JOIN LATERAL ("
		    "SELECT * FROM dag_run r WHERE r.dag_id = d.dag_id AND "
		    "r.execution_date >= $1::timestamptz - coalesce("
		    "d.next_dagrun_data_interval_end - "
		    "d.next_dagrun_data_interval_start, interval '0') "
		    "ORDER BY r.execution_date DESC LIMIT " RUNS_PER_DAG_MAX ") r "
		    "WHERE coalesce(r.data_interval_end, r.execution_date) >= "
		    "$1::timestamptz", buf_str(&cols));
	buf_printf(&sql,
	    " UNION ALL SELECT %s FROM dag_run r WHERE r.state = 'running' "
	    "AND %s < $1::timestamptz"
	    " UNION ALL SELECT %s FROM dag_run r WHERE r.state = 'queued' "
	    "AND %s < $1::timestamptz",
	    buf_str(&cols), run_time, buf_str(&cols), run_time);
	pg_query(db->pg, buf_str(&sql), 1, params, runs_result,
	    afdb_request_new(db, out, afdb_pair_done, pair));

	/*
	 * Then the failed runs that ended in the window though their own time
	 * is older (a backfill, a catch-up): through (dag_id, state), a DAG
	 * at a time.  A separate statement, so that each stays small; the two
	 * answers never overlap.
	 */
	buf_reset(&sql);
	buf_printf(&sql, "SELECT %s FROM dag d CROSS JOIN LATERAL (SELECT * "
	    "FROM dag_run r WHERE r.dag_id = d.dag_id AND r.state = 'failed' "
	    "AND r.end_date >= $1::timestamptz LIMIT " RUNS_PER_DAG_MAX ") r "
	    "WHERE %s < $1::timestamptz", buf_str(&cols), run_time);
	pg_query(db->pg, buf_str(&sql), 1, params, runs_result,
	    afdb_request_new(db, out, afdb_pair_done, pair));
	buf_free(&sql);
	buf_free(&cols);
	buf_free(&p);
}

/*
 * The run strips' rows: dag_id, run_id, state, run_after, start, end, on
 * 2.x the order (execution_date), and nothing else, a DAG at a time (the
 * console sorts them its own way).  20,000 rows on the bench: every column
 * and every numeric extract() costs the server and the wire, so this list
 * is the least the runs pane draws from, with date_part (float8) for the
 * instants.
 */
#define EPOCH_F(x) "floor(date_part('epoch', " x "))::int8"

static void
strips_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	struct af_runs	*out = r->out;
	struct af_run	*run;
	const char	*dag_id = NULL;
	int		 i;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	/* Sized once: 20,000 rows need not go through eleven doublings. */
	af_runs_reserve(out, out->n + (size_t)PQntuples(res));
	for (i = 0; i < PQntuples(res); i++) {
		run = af_runs_push(out);
		/* Rows come a DAG at a time: its runs share one dag_id. */
		if (dag_id == NULL || strcmp(dag_id, PQgetvalue(res, i, 0)) != 0) {
			run->dag_id = afdb_col_str(res, i, 0);
			dag_id = run->dag_id;
		} else {
			run->dag_id = (char *)dag_id;
			run->shared_dag_id = true;
		}
		run->run_id = afdb_col_str(res, i, 1);
		run->state = run_state_parse(PQgetisnull(res, i, 2) ? NULL :
		    PQgetvalue(res, i, 2));
		if (run->state == RUN_UNKNOWN)
			run->state_raw = afdb_col_str(res, i, 2);
		run->run_after = afdb_col_time(res, i, 3);
		run->start_date = afdb_col_time(res, i, 4);
		run->end_date = afdb_col_time(res, i, 5);
		/* 3.x orders by run_after itself: no seventh column there. */
		run->order = PQnfields(res) > 6 ? afdb_col_time(res, i, 6) :
		    run->run_after;
		run->logical_date = run->queued_at = run->data_interval_start =
		    run->data_interval_end = TIME_NONE;
	}
	afdb_request_done(r, NULL);
}

void
afdb_fetch_runs_recent(struct sched *sd, const struct sched_recent *w,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT;
	char			 n[16];
	const char		*params[1];

	buf_puts(&sql, "SELECT d.dag_id, r.run_id, r.state, ");
	if (s->run_after)
		buf_puts(&sql, EPOCH_F("r.run_after") ", ");
	else
		buf_printf(&sql, EPOCH_F("coalesce(r.data_interval_end, %s)")
		    ", ", s->logical_date ? "r.logical_date" :
		    "r.execution_date");
	buf_puts(&sql, EPOCH_F("r.start_date") ", " EPOCH_F("r.end_date"));
	/* 2.x: the order (execution_date) differs from the run's time. */
	if (!s->run_after)
		buf_printf(&sql, ", floor(date_part('epoch', %s))::int8",
		    run_order_column(s));
	buf_puts(&sql, " ");
	if (s->logical_date)
		/*
		 * 3.x: newest by logical date through the unique index, plus
		 * the runs without one (manual, asset-triggered), merged by
		 * run_after.
		 */
		buf_puts(&sql, "FROM dag d CROSS JOIN LATERAL ("
		    "SELECT * FROM ((SELECT * FROM dag_run r WHERE r.dag_id = "
		    "d.dag_id AND r.logical_date IS NOT NULL ORDER BY "
		    "r.logical_date DESC LIMIT $1) UNION ALL (SELECT * FROM "
		    "dag_run r WHERE r.dag_id = d.dag_id AND r.logical_date IS "
		    "NULL ORDER BY r.run_after DESC LIMIT $1)) u "
		    "ORDER BY u.run_after DESC LIMIT $1) r");
	else
		/* 2.x: the unique (dag_id, execution_date) index, backwards. */
		buf_puts(&sql, "FROM dag d CROSS JOIN LATERAL ("
		    "SELECT * FROM dag_run r WHERE r.dag_id = d.dag_id "
		    "ORDER BY r.execution_date DESC LIMIT $1) r");
	/* dag's primary key gives this order: no sort of 20,000 rows. */
	buf_puts(&sql, " ORDER BY d.dag_id");
	/* One query joins the dag table: w->dags is not needed. */
	snprintf(n, sizeof n, "%d", w->per_dag);
	params[0] = n;
	pg_query(db->pg, buf_str(&sql), 1, params, strips_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
}

void
afdb_fetch_dag_runs(struct sched *sd, const char *dag_id, int limit,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT;
	char			 n[16];
	const char		*params[2];

	buf_puts(&sql, "SELECT ");
	run_columns(s, &sql);
	/* 2.x: the unique (dag_id, execution_date) index, read backwards. */
	buf_printf(&sql, " FROM dag_run r WHERE r.dag_id = $1 ORDER BY %s "
	    "DESC, r.id DESC LIMIT $2", run_order_column(s));
	snprintf(n, sizeof n, "%d", limit);
	params[0] = dag_id;
	params[1] = n;
	pg_query(db->pg, buf_str(&sql), 2, params, runs_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
}

/*
 * The page of older runs: keyset on (order column, run_id) from the run
 * the page follows, read exactly from its row (af_run.order is whole
 * seconds; the column is not), through the same index as the newest.
 */
void
afdb_fetch_dag_runs_before(struct sched *sd, const char *dag_id,
    const struct af_run *before, int limit, struct af_runs *out, sched_cb cb,
    void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT;
	char			 n[16];
	const char		*params[3];

	buf_puts(&sql, "SELECT ");
	run_columns(s, &sql);
	buf_printf(&sql, " FROM dag_run r WHERE r.dag_id = $1 AND (%s, r.run_id) "
	    "< (SELECT %s, r.run_id FROM dag_run r WHERE r.dag_id = $1 AND "
	    "r.run_id = $2) ORDER BY %s DESC, r.run_id DESC LIMIT $3",
	    run_order_column(s), run_order_column(s), run_order_column(s));
	snprintf(n, sizeof n, "%d", limit);
	params[0] = dag_id;
	params[1] = before->run_id;
	params[2] = n;
	pg_query(db->pg, buf_str(&sql), 3, params, runs_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
}

void
afdb_fetch_run(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct buf	 sql = BUF_INIT;
	const char	*params[2] = { dag_id, run_id };

	buf_puts(&sql, "SELECT ");
	run_columns(&db->schema, &sql);
	buf_puts(&sql, " FROM dag_run r WHERE r.dag_id = $1 AND r.run_id = $2");
	pg_query(db->pg, buf_str(&sql), 2, params, runs_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
}

/* --- task instances ---------------------------------------------------- */

static void
ti_columns(const struct af_schema *s, struct buf *b)
{
	buf_puts(b, "ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state, "
	    "ti.try_number, ti.max_tries, " EPOCH("ti.start_date") ", "
	    EPOCH("ti.end_date") ", ti.duration, ");
	buf_puts(b, s->custom_operator_name ?
	    "coalesce(nullif(ti.custom_operator_name, ''), ti.operator), " :
	    "ti.operator, ");
	buf_puts(b, "ti.pool, ti.hostname, ");
	buf_puts(b, s->rendered_map_index ? "ti.rendered_map_index" : "NULL");
}

static void
tis_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	struct af_tis	*out = r->out;
	struct af_ti	*t;
	int		 i;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		t = af_tis_push(out);
		t->dag_id = afdb_col_str(res, i, 0);
		t->run_id = afdb_col_str(res, i, 1);
		t->task_id = afdb_col_str(res, i, 2);
		t->map_index = afdb_col_int(res, i, 3, -1);
		t->state = ti_state_parse(PQgetisnull(res, i, 4) ? NULL :
		    PQgetvalue(res, i, 4));
		if (t->state == TI_UNKNOWN)
			t->state_raw = afdb_col_str(res, i, 4);
		t->try_number = afdb_col_int(res, i, 5, 0);
		t->max_tries = afdb_col_int(res, i, 6, 0);
		t->start_date = afdb_col_time(res, i, 7);
		t->end_date = afdb_col_time(res, i, 8);
		t->duration = afdb_col_double(res, i, 9);
		t->operator = afdb_col_str(res, i, 10);
		t->pool = afdb_col_str(res, i, 11);
		t->hostname = afdb_col_str(res, i, 12);
		t->rendered_map_index = afdb_col_str(res, i, 13);
	}
	afdb_request_done(r, NULL);
}

void
afdb_fetch_tis(struct sched *sd, const char *dag_id, const char *run_id,
    struct af_tis *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct buf	 sql = BUF_INIT;
	const char	*params[2] = { dag_id, run_id };

	buf_puts(&sql, "SELECT ");
	ti_columns(&db->schema, &sql);
	buf_puts(&sql, " FROM task_instance ti WHERE ti.dag_id = $1 AND "
	    "ti.run_id = $2 ORDER BY ti.task_id, ti.map_index");
	pg_query(db->pg, buf_str(&sql), 2, params, tis_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
}

void
afdb_fetch_attention_tis(struct sched *sd, const struct af_run *const *runs,
    size_t n, struct af_tis *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	static const char *const states[] = { "failed", "upstream_failed",
	    "up_for_retry" };
	struct buf	 sql = BUF_INIT, dags = BUF_INIT, ids = BUF_INIT,
			 st = BUF_INIT;
	const char	**dv, **rv, *params[3];
	size_t		 i;

	dv = xcalloc(n + 1, sizeof *dv);
	rv = xcalloc(n + 1, sizeof *rv);
	for (i = 0; i < n; i++) {
		dv[i] = runs[i]->dag_id;
		rv[i] = runs[i]->run_id;
	}
	pg_array_literal(&dags, dv, n);
	pg_array_literal(&ids, rv, n);
	pg_array_literal(&st, states, 3);
	free(dv);
	free(rv);
	buf_puts(&sql, "SELECT ");
	ti_columns(&db->schema, &sql);
	buf_puts(&sql, " FROM unnest($1::text[], $2::text[]) AS k(dag_id, "
	    "run_id) JOIN task_instance ti ON ti.dag_id = k.dag_id AND "
	    "ti.run_id = k.run_id WHERE ti.state = ANY($3::text[]) "
	    "ORDER BY ti.dag_id COLLATE \"C\", ti.run_id COLLATE \"C\", "
	    "ti.task_id COLLATE \"C\", ti.map_index");
	params[0] = buf_str(&dags);
	params[1] = buf_str(&ids);
	params[2] = buf_str(&st);
	pg_query(db->pg, buf_str(&sql), 3, params, tis_result,
	    afdb_request_new(db, out, cb, arg));
	buf_free(&sql);
	buf_free(&dags);
	buf_free(&ids);
	buf_free(&st);
}
