/*
 * airflow_db_runs.c: the DAG runs and task instances read from the Airflow
 * metadata database: since an instant, the newest per DAG, one DAG's, one
 * run, a run's task instances, and those the attention list needs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "airflow_db.h"
#include "airflow_db_int.h"
#include "pg.h"
#include "runmerge.h"
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

/*
 * A run's state from its cell; the text is kept only when the state is
 * unknown: 20,000 runs need not carry copies.
 */
static void
run_state_cell(struct af_run *run, const PGresult *res, int row, int col)
{
	run->state = run_state_parse(PQgetisnull(res, row, col) ? NULL :
	    PQgetvalue(res, row, col));
	if (run->state == RUN_UNKNOWN)
		run->state_raw = afdb_col_str(res, row, col);
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
		run_state_cell(run, res, i, 2);
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

/*
 * The statements of the window's runs (sched_fetch_runs_since), each row
 * `cols` of the run r, the instant since as $1: into win, the runs of the
 * window and every unfinished run; into failed, the failed runs that ended
 * in the window though their own time is older.  The two never overlap:
 * a reader may run them apart or as one UNION ALL.
 */
void
afdb_runs_since_sql(const struct af_schema *s, const char *cols,
    struct buf *win, struct buf *failed)
{
	const char *run_time;

	run_time = s->run_after ? "r.run_after" :
	    "coalesce(r.data_interval_end, r.execution_date)";
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
		buf_printf(win, "SELECT %s FROM dag_run r "
		    "WHERE r.run_after >= $1::timestamptz", cols);
	else
		buf_printf(win, "SELECT %s FROM dag d CROSS JOIN LATERAL ("
		    "SELECT * FROM dag_run r WHERE r.dag_id = d.dag_id AND "
		    "r.execution_date >= $1::timestamptz - coalesce("
		    "d.next_dagrun_data_interval_end - "
		    "d.next_dagrun_data_interval_start, interval '0') "
		    "ORDER BY r.execution_date DESC LIMIT " RUNS_PER_DAG_MAX ") r "
		    "WHERE coalesce(r.data_interval_end, r.execution_date) >= "
		    "$1::timestamptz", cols);
	buf_printf(win,
	    " UNION ALL SELECT %s FROM dag_run r WHERE r.state = 'running' "
	    "AND %s < $1::timestamptz"
	    " UNION ALL SELECT %s FROM dag_run r WHERE r.state = 'queued' "
	    "AND %s < $1::timestamptz", cols, run_time, cols, run_time);

	/*
	 * Then the failed runs that ended in the window though their own time
	 * is older (a backfill, a catch-up): through (dag_id, state), a DAG
	 * at a time.
	 */
	buf_printf(failed, "SELECT %s FROM dag d CROSS JOIN LATERAL (SELECT * "
	    "FROM dag_run r WHERE r.dag_id = d.dag_id AND r.state = 'failed' "
	    "AND r.end_date >= $1::timestamptz LIMIT " RUNS_PER_DAG_MAX ") r "
	    "WHERE %s < $1::timestamptz", cols, run_time);
}

void
afdb_fetch_runs_since(struct sched *sd, int64_t since, struct af_runs *out,
    sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct buf		 sql = BUF_INIT, failed = BUF_INIT;
	struct buf		 cols = BUF_INIT, p = BUF_INIT;
	const char		*params[1];
	struct pair		*pair = xcalloc(1, sizeof *pair);

	pair->pending = 2;
	pair->cb = cb;
	pair->arg = arg;
	run_columns(&db->schema, &cols);
	/* An ISO instant in UTC, read by PostgreSQL as a timestamptz. */
	fmt_time(&p, tz_utc(), since, FMT_ISO);
	params[0] = buf_str(&p);
	/* Two statements, so that each stays small. */
	afdb_runs_since_sql(&db->schema, buf_str(&cols), &sql, &failed);
	pg_query(db->pg, buf_str(&sql), 1, params, runs_result,
	    afdb_request_new(db, out, afdb_pair_done, pair));
	pg_query(db->pg, buf_str(&failed), 1, params, runs_result,
	    afdb_request_new(db, out, afdb_pair_done, pair));
	buf_free(&sql);
	buf_free(&failed);
	buf_free(&cols);
	buf_free(&p);
}

/* --- the run strips ---------------------------------------------------- */

/*
 * The strips' rows: dag_id, run_id, state, run_after, start, end, the
 * order (execution_date on 2.x, run_after on 3.x), and a tag saying what
 * the row is (strip_row), nothing else: 20,000 rows on the bench, where
 * every column and every numeric extract() costs the server and the wire,
 * so date_part (float8) for the instants.  dag is the expression of the
 * DAG's id (d.dag_id or r.dag_id).
 */
#define EPOCH_F(x) "floor(date_part('epoch', " x "))::int8"

static void
strip_columns(const struct af_schema *s, const char *dag, const char *tag,
    struct buf *b)
{
	buf_printf(b, "SELECT %s, r.run_id, r.state, ", dag);
	if (s->run_after)
		buf_puts(b, EPOCH_F("r.run_after") ", ");
	else
		buf_printf(b, EPOCH_F("coalesce(r.data_interval_end, %s)")
		    ", ", s->logical_date ? "r.logical_date" :
		    "r.execution_date");
	buf_puts(b, EPOCH_F("r.start_date") ", " EPOCH_F("r.end_date"));
	buf_printf(b, ", floor(date_part('epoch', %s))::int8, '%s' ",
	    run_order_column(s), tag);
}

/*
 * The newest `lim` runs of DAG d (lim an SQL expression that may name d),
 * as a lateral subquery r, in Airflow's order.  On 2.x that is the unique
 * (dag_id, execution_date) index read backwards (twice: below).  On 3.x the order is
 * run_after, which no index of dag_run serves a DAG at a time; the unique
 * (dag_id, logical_date) index does, in three bounded reads merged by
 * run_after:
 *   - scheduled and backfill runs, newest logical date first: their
 *     run_after is the end of their data interval, in the same order;
 *   - the other runs with a logical date (manual, triggered: run_after is
 *     the logical date) that are not older than the lim-th of the first
 *     read (an older one ends after lim runs that end later);
 *   - the runs without one (manual, asset-triggered), by run_after.
 * Taking the newest by logical date alone put a manual run triggered
 * during an interval above the scheduled run of that interval, which
 * Airflow shows first.
 */
#define SCHEDULED "r.run_type IN ('scheduled', 'backfill')"

static void
strip_lateral(const struct af_schema *s, const char *lim, struct buf *b)
{
	if (s->logical_date)
		buf_printf(b, "LATERAL (SELECT * FROM ((SELECT * FROM dag_run "
		    "r WHERE r.dag_id = d.dag_id AND r.logical_date IS NOT NULL "
		    "AND " SCHEDULED " ORDER BY r.logical_date DESC LIMIT %s) "
		    "UNION ALL (SELECT * FROM dag_run r WHERE r.dag_id = "
		    "d.dag_id AND r.logical_date IS NOT NULL AND NOT " SCHEDULED
		    " AND r.logical_date >= coalesce((SELECT CASE WHEN count(*) "
		    ">= %s THEN min(x.logical_date) END FROM (SELECT "
		    "r.logical_date FROM dag_run r WHERE r.dag_id = d.dag_id AND "
		    "r.logical_date IS NOT NULL AND " SCHEDULED " ORDER BY "
		    "r.logical_date DESC LIMIT %s) x), '-infinity') ORDER BY "
		    "r.logical_date DESC LIMIT %s) UNION ALL (SELECT * FROM "
		    "dag_run r WHERE r.dag_id = d.dag_id AND r.logical_date IS "
		    "NULL ORDER BY r.run_after DESC LIMIT %s)) u ORDER BY "
		    "date_trunc('second', u.run_after) DESC, "
		    "u.run_id COLLATE \"C\" DESC LIMIT %s) r",
		    lim, lim, lim, lim, lim, lim);
	else
		/*
		 * From the second of the lim-th newest on, sorted as
		 * af_run_cmp_newest sorts (whole seconds, then run_id): a
		 * manual run triggered in the second a scheduled run's date
		 * falls in follows it there, whatever its fraction says.
		 */
		buf_printf(b, "LATERAL (SELECT * FROM dag_run r WHERE r.dag_id "
		    "= d.dag_id AND r.execution_date >= coalesce((SELECT "
		    "date_trunc('second', x.execution_date) FROM dag_run x "
		    "WHERE x.dag_id = d.dag_id ORDER BY x.execution_date DESC "
		    "OFFSET (%s) - 1 LIMIT 1), '-infinity') ORDER BY "
		    "date_trunc('second', r.execution_date) DESC, "
		    "r.run_id COLLATE \"C\" DESC LIMIT %s) r", lim, lim);
}

/* The highest dag_run.id now, as the last row (tag 'm'). */
#define MARK_ROW " UNION ALL SELECT NULL, NULL, NULL, (SELECT max(id) " \
	"FROM dag_run), NULL, NULL, NULL, 'm'"

/* What a strip read is doing, and what its rows are merged into. */
struct strip_job {
	struct afdb			*db;
	const struct sched_recent	*w;
	struct af_runs			*out;
	struct af_runs			 fresh;		/* incremental */
	char				**replaced;	/* DAGs read whole */
	size_t				 nreplaced;
	int64_t				 at, mark;
	bool				 full;		/* every row 'r' */
	sched_cb			 cb;
	void				*arg;
};

/*
 * One row into the job: 'r' a full read's run (into out), 'c' a run
 * changed since prev and 'd' a run of a DAG read whole (into fresh; a
 * 'd' row with no run_id says the DAG has none), 'm' the mark.  Rows come
 * a DAG at a time: a DAG's runs share one dag_id (shared_dag_id).
 */
static void
strip_row(struct strip_job *j, const PGresult *res, int i, const char **dag)
{
	const char	*tag = PQgetvalue(res, i, 7);
	struct af_runs	*to = tag[0] == 'r' ? j->out : &j->fresh;
	struct af_run	*run;

	if (tag[0] == 'm') {
		j->mark = PQgetisnull(res, i, 3) ? 0 : afdb_col_time(res, i, 3);
		return;
	}
	if (tag[0] == 'd' && (j->nreplaced == 0 || strcmp(
	    j->replaced[j->nreplaced - 1], PQgetvalue(res, i, 0)) != 0)) {
		j->replaced = xreallocarray(j->replaced, j->nreplaced + 1,
		    sizeof *j->replaced);
		j->replaced[j->nreplaced++] = afdb_col_str(res, i, 0);
	}
	if (PQgetisnull(res, i, 1))
		return;
	run = af_runs_push(to);
	if (to == j->out && *dag != NULL &&
	    strcmp(*dag, PQgetvalue(res, i, 0)) == 0) {
		run->dag_id = (char *)*dag;
		run->shared_dag_id = true;
	} else {
		run->dag_id = afdb_col_str(res, i, 0);
		if (to == j->out)
			*dag = run->dag_id;
	}
	run->run_id = afdb_col_str(res, i, 1);
	run_state_cell(run, res, i, 2);
	run->run_after = afdb_col_time(res, i, 3);
	run->start_date = afdb_col_time(res, i, 4);
	run->end_date = afdb_col_time(res, i, 5);
	run->order = afdb_col_time(res, i, 6);
	run->logical_date = run->queued_at = run->data_interval_start =
	    run->data_interval_end = TIME_NONE;
}

/*
 * The incremental read's answer: prev without the DAGs read whole, the
 * changed runs and those DAGs' runs merged in (run_merge), then what a
 * full read keeps (run_keep): per_dag of the strips' DAGs, one of the
 * others, and only the DAGs of the list.
 */
static void
strip_merge(struct strip_job *j)
{
	const struct sched_recent	*w = j->w;
	struct af_runs			 view = { 0 }, merged;
	const char			**dags = NULL;
	size_t				 ndags = 0, i;

	if (j->nreplaced > 1)
		qsort(j->replaced, j->nreplaced, sizeof *j->replaced, ids_cmp);
	/* A view: prev's runs themselves, never freed through it. */
	view.v = xcalloc(w->prev->n + 1, sizeof *view.v);
	for (i = 0; i < w->prev->n; i++) {
		const struct af_run *r = &w->prev->v[i];

		if (!ids_listed((const char *const *)j->replaced,
		    j->nreplaced, r->dag_id))
			view.v[view.n++] = *r;
	}
	run_merge(&view, &j->fresh, w->per_dag, &merged);
	free(view.v);
	if (w->dags != NULL) {
		dags = xcalloc(w->dags->n + 1, sizeof *dags);
		for (i = 0; i < w->dags->n; i++)
			dags[ndags++] = w->dags->v[i].dag_id;
		qsort(dags, ndags, sizeof *dags, ids_cmp);
	}
	run_keep(&merged, w->strips, w->nstrips, w->per_dag,
	    w->dags != NULL ? dags : NULL, ndags);
	free(dags);
	*j->out = merged;
}

static void
strips_result(void *arg, const PGresult *res, const char *err)
{
	struct strip_job	*j = arg;
	const char		*dag = NULL;
	int			 i;

	if (err == NULL) {
		/* Sized once: 20,000 rows need not go through 11 doublings. */
		if (j->full)
			af_runs_reserve(j->out, j->out->n +
			    (size_t)PQntuples(res));
		for (i = 0; i < PQntuples(res); i++)
			strip_row(j, res, i, &dag);
		if (!j->full)
			strip_merge(j);
		j->out->mark = j->mark;
		afdb_mark_push(j->db, j->at, j->mark);
	}
	af_runs_free(&j->fresh);
	for (size_t k = 0; k < j->nreplaced; k++)
		free(j->replaced[k]);
	free(j->replaced);
	{
		sched_cb	 cb = j->cb;
		void		*cbarg = j->arg;

		free(j);
		cb(cbarg, err);
	}
}

void
afdb_mark_push(struct afdb *db, int64_t at, int64_t id)
{
	if (db->nmarks == AFDB_MARKS) {
		memmove(db->marks, db->marks + 1,
		    (AFDB_MARKS - 1) * sizeof *db->marks);
		db->nmarks--;
	}
	db->marks[db->nmarks].at = at;
	db->marks[db->nmarks++].id = id;
}

/*
 * The mark of the newest read that began AFDB_MARGIN before prev_at: a
 * run with an id at or below it had its id before that read began, so
 * (its transaction lasting less than the margin) it was committed before
 * prev_at, and the read of prev saw it.  Early in a session no read is
 * that old: then the oldest read's, which misses only a run whose
 * transaction began before the session's first read, committed after
 * it, and ended between two reads without ever being seen queued or
 * running; a full read (full_refresh) finds it.
 */
int64_t
afdb_new_runs_from(const struct afdb *db, int64_t prev_at)
{
	int64_t from = -1;

	if (db->nmarks == 0)
		return -1;
	for (size_t i = 0; i < db->nmarks; i++)
		if (db->marks[i].at <= prev_at - AFDB_MARGIN &&
		    db->marks[i].id > from)
			from = db->marks[i].id;
	return from >= 0 ? from : db->marks[0].id;
}

/* The run states a scheduler still works on (the partial indexes). */
static bool
run_open(enum run_state s)
{
	return s == RUN_QUEUED || s == RUN_RUNNING;
}

/*
 * A full read: the newest per_dag runs of the strips' DAGs and the newest
 * of every other DAG (w->strips NULL: per_dag of every DAG), one lateral
 * index read per DAG in the dag table's key order, then the mark.
 */
static void
strips_full(struct strip_job *j)
{
	const struct sched_recent	*w = j->w;
	const struct af_schema		*s = &j->db->schema;
	struct buf			 sql = BUF_INIT, ids = BUF_INIT;
	char				 n[16];
	const char			*params[2];

	snprintf(n, sizeof n, "%d", w->per_dag);
	params[0] = n;
	buf_puts(&sql, "(");
	strip_columns(s, "d.dag_id", "r", &sql);
	buf_puts(&sql, "FROM dag d CROSS JOIN ");
	if (w->strips != NULL) {
		pg_array_literal(&ids, w->strips, w->nstrips);
		params[1] = buf_str(&ids);
		strip_lateral(s, "CASE WHEN d.dag_id = ANY($2::text[]) THEN "
		    "$1::int ELSE 1 END", &sql);
	} else {
		/* The same two parameters: one statement text either way. */
		params[1] = "{}";
		strip_lateral(s, "$1::int + 0 * cardinality($2::text[])",
		    &sql);
	}
	/* dag's primary key gives this order: no sort of 20,000 rows. */
	buf_puts(&sql, " ORDER BY d.dag_id)" MARK_ROW);
	pg_query(j->db->pg, buf_str(&sql), 2, params, strips_result, j);
	buf_free(&sql);
	buf_free(&ids);
}

/*
 * An incremental read, in one statement: what can have changed since
 * prev, through indexes Airflow has on every release dagtop reads (2.7
 * to 3.2):
 *   - queued and running runs that prev does not hold in that state (the
 *     partial indexes idx_dag_run_running_dags and _queued_dags, read
 *     once);
 *   - runs prev holds queued or running that are no longer (those the
 *     partial indexes no longer give, then by the unique (dag_id,
 *     run_id) key): they ended, or were marked;
 *   - runs created since (dag_run's key above afdb_new_runs_from), which
 *     catches a run created and ended between two reads;
 *   - every DAG named in Airflow's audit log since prev_at less the
 *     margin (log.dttm), read whole, as a full read reads it: each user
 *     action (clear, mark success or failed, delete, trigger, pause)
 *     writes one there, through the UI, the REST API and the CLI alike;
 *     and each DAG that came into the strips since prev (read per_dag).
 * Not seen until a full read: a change nobody logged that never passed
 * through queued or running (a run deleted by `airflow db clean` or by
 * hand in SQL).
 */
static void
strips_changed(struct strip_job *j, int64_t from)
{
	const struct sched_recent	*w = j->w;
	const struct af_schema		*s = &j->db->schema;
	struct buf			 sql = BUF_INIT, kd = BUF_INIT,
					 kr = BUF_INIT, ks = BUF_INIT,
					 ids = BUF_INIT, enter = BUF_INIT,
					 since = BUF_INIT;
	const char			**vd, **vr, **vs, **ve;
	const char			*params[8];
	char				 n[16], f[24];
	size_t				 nk = 0, ne = 0, i;

	vd = xcalloc(w->prev->n + 1, sizeof *vd);
	vr = xcalloc(w->prev->n + 1, sizeof *vr);
	vs = xcalloc(w->prev->n + 1, sizeof *vs);
	for (i = 0; i < w->prev->n; i++) {
		const struct af_run *r = &w->prev->v[i];

		if (!run_open(r->state))
			continue;
		vd[nk] = r->dag_id;
		vr[nk] = r->run_id;
		vs[nk++] = r->state == RUN_QUEUED ? "queued" : "running";
	}
	ve = xcalloc(w->nstrips + 1, sizeof *ve);
	for (i = 0; w->strips != NULL && w->prev_strips != NULL &&
	    i < w->nstrips; i++)
		if (!ids_listed(w->prev_strips, w->nprev_strips,
		    w->strips[i]))
			ve[ne++] = w->strips[i];
	pg_array_literal(&kd, vd, nk);
	pg_array_literal(&kr, vr, nk);
	pg_array_literal(&ks, vs, nk);
	pg_array_literal(&enter, ve, ne);
	if (w->strips != NULL)
		pg_array_literal(&ids, w->strips, w->nstrips);
	free(vd);
	free(vr);
	free(vs);
	free(ve);
	buf_printf(&since, "%lld", (long long)((int64_t)time(NULL) -
	    w->prev_at + AFDB_LOG_MARGIN));
	snprintf(n, sizeof n, "%d", w->per_dag);
	snprintf(f, sizeof f, "%lld", (long long)from);
	params[0] = n;
	params[1] = w->strips != NULL ? buf_str(&ids) : "{}";
	params[2] = buf_str(&since);
	params[3] = f;
	params[4] = buf_str(&kd);
	params[5] = buf_str(&kr);
	params[6] = buf_str(&ks);
	params[7] = buf_str(&enter);

	/*
	 * o: the open runs now, each partial index read once.  NOT IN on a
	 * subquery is a hashed subplan, not a loop: the runs of o that prev
	 * does not hold in that state, and prev's open runs that o does not
	 * hold, read by the unique key (only those: what ended since).
	 */
	buf_puts(&sql, "WITH k(dag_id, run_id, state) AS (SELECT * FROM "
	    "unnest($5::text[], $6::text[], $7::text[])), o(dag_id, run_id, "
	    "state, a, s, e, ord, tag) AS MATERIALIZED (");
	for (i = 0; i < 2; i++) {
		strip_columns(s, "r.dag_id", "c", &sql);
		buf_printf(&sql, "FROM dag_run r WHERE r.state = '%s'%s",
		    i == 0 ? "running" : "queued", i == 0 ? " UNION ALL " :
		    ") ");
	}
	buf_puts(&sql, "SELECT * FROM o WHERE (o.dag_id, o.run_id, o.state) "
	    "NOT IN (SELECT k.dag_id, k.run_id, k.state FROM k) UNION ALL ");
	strip_columns(s, "r.dag_id", "c", &sql);
	buf_puts(&sql, "FROM dag_run r WHERE (r.dag_id, r.run_id) IN (SELECT "
	    "k.dag_id, k.run_id FROM k WHERE (k.dag_id, k.run_id) NOT IN "
	    "(SELECT o.dag_id, o.run_id FROM o)) UNION ALL ");
	strip_columns(s, "r.dag_id", "c", &sql);
	buf_puts(&sql, "FROM dag_run r WHERE r.id > $4::int8 UNION ALL (");
	strip_columns(s, "d.dag_id", "d", &sql);
	buf_puts(&sql, "FROM (SELECT l.dag_id FROM log l WHERE l.dttm >= "
	    AFDB_LOG_SINCE("$3") " AND l.dag_id IS NOT NULL UNION SELECT "
	    "unnest($8::text[])) t JOIN dag d ON d.dag_id = t.dag_id "
	    "LEFT JOIN ");
	strip_lateral(s, w->strips != NULL ? "CASE WHEN d.dag_id = "
	    "ANY($2::text[]) THEN $1::int ELSE 1 END" :
	    "$1::int + 0 * cardinality($2::text[])", &sql);
	buf_puts(&sql, " ON true ORDER BY d.dag_id)" MARK_ROW);
	pg_query(j->db->pg, buf_str(&sql), 8, params, strips_result, j);
	buf_free(&sql);
	buf_free(&kd);
	buf_free(&kr);
	buf_free(&ks);
	buf_free(&ids);
	buf_free(&enter);
	buf_free(&since);
}

void
afdb_fetch_runs_recent(struct sched *sd, const struct sched_recent *w,
    struct af_runs *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct strip_job	*j = xcalloc(1, sizeof *j);
	int64_t			 from;

	j->db = db;
	j->w = w;
	j->out = out;
	j->cb = cb;
	j->arg = arg;
	j->at = (int64_t)time(NULL);
	from = w->prev != NULL ? afdb_new_runs_from(db, w->prev_at) : -1;
	/* No incremental read without a mark from this connection. */
	j->full = from < 0;
	if (j->full)
		strips_full(j);
	else
		strips_changed(j, from);
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
