/*
 * airflow_db.c: the Airflow metadata database (2.7-2.11, 3.0-3.2): the
 * connection and its schema, health, DAGs (whole, or what changed), the
 * task graph and pools (runs and task instances: airflow_db_runs.c; SLA
 * attempts: airflow_db_sla.c; dependencies across DAGs: airflow_db_deps.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "airflow_db.h"
#include "airflow_db_int.h"
#include "dagmerge.h"
#include "dbconn.h"
#include "loop.h"
#include "pg.h"
#include "serdag.h"
#include "timefmt.h"
#include "tz.h"

static const struct sched_ops afdb_ops;

struct request *
afdb_request_new(struct afdb *db, void *out, sched_cb cb, void *arg)
{
	struct request *r = xcalloc(1, sizeof *r);

	r->db = db;
	r->out = out;
	r->cb = cb;
	r->arg = arg;
	return r;
}

void
afdb_request_done(struct request *r, const char *err)
{
	sched_cb	 cb = r->cb;
	void	*arg = r->arg;

	free(r);
	cb(arg, err);
}

char *
afdb_col_str(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return xstrdup(PQgetvalue(res, row, col));
}

int64_t
afdb_col_time(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return TIME_NONE;
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

int
afdb_col_int(const PGresult *res, int row, int col, int dflt)
{
	if (PQgetisnull(res, row, col))
		return dflt;
	return (int)strtol(PQgetvalue(res, row, col), NULL, 10);
}

bool
afdb_col_index(const PGresult *res, int row, int col, size_t n, size_t *i)
{
	int64_t k = afdb_col_time(res, row, col);

	if (k < 1 || (uint64_t)k > n)
		return false;
	*i = (size_t)k - 1;
	return true;
}

bool
afdb_col_bool(const PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) &&
	    PQgetvalue(res, row, col)[0] == 't';
}

double
afdb_col_double(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return -1;
	return strtod(PQgetvalue(res, row, col), NULL);
}

void
afdb_pair_done(void *arg, const char *err)
{
	struct pair	*p = arg;
	sched_cb		 cb;
	void		*cbarg;
	char		*e;

	if (err != NULL && p->err == NULL)
		p->err = xstrdup(err);
	if (--p->pending > 0)
		return;
	cb = p->cb;
	cbarg = p->arg;
	e = p->err;
	free(p);
	cb(cbarg, e);
	free(e);
}

/* --- opening and schema detection ------------------------------------ */

/* What the rest of dagtop may know of the schema: sched_about. */
static void
set_about(struct afdb *db)
{
	db->about.major = db->schema.major;
	db->about.release = db->schema.release;
	db->about.revision = db->schema.revision;
	db->about.ti_history = db->schema.ti_history;
}

/*
 * The columns of the tables dagtop reads, and the alembic revision, in
 * one statement: the revision row has no column name.  A database
 * without alembic_version (not Airflow, or a copy) still answers: the
 * table is named only through query_to_xml, which runs only when
 * to_regclass finds it, as SQL cannot otherwise name a table that may
 * not exist.
 */
static void
detect_schema(void *arg, const PGresult *res, const char *err)
{
	struct afdb	*db = arg;
	int		 i, n;
	struct buf	 e = BUF_INIT;
	const char	*rev = NULL;

	if (err != NULL) {
		db->ready(db->arg, err);
		return;
	}
	n = PQntuples(res);
	db->columns = xcalloc((size_t)n + 1, sizeof *db->columns);
	for (i = 0; i < n; i++) {
		if (PQgetisnull(res, i, 0)) {
			if (!PQgetisnull(res, i, 1))
				rev = PQgetvalue(res, i, 1);
			continue;
		}
		db->columns[db->ncolumns] = xstrdup(PQgetvalue(res, i, 0));
		if (strncmp(db->columns[db->ncolumns], "alembic_version.", 16) == 0)
			db->has_alembic = true;
		db->ncolumns++;
	}
	/* schema_detect names what is missing, or reads the revision. */
	if (schema_detect(&db->schema, (const char *const *)db->columns,
	    db->ncolumns, db->has_alembic ? rev : NULL, &e,
	    &db->warnings) == 0) {
		set_about(db);
		db->opened = true;
	}
	db->ready(db->arg, db->opened ? NULL : buf_str(&e));
	buf_free(&e);
}

static void
on_state(struct pg *pg, void *arg)
{
	struct afdb	*db = arg;
	struct buf	 tables = BUF_INIT;
	const char	*params[1];
	size_t		 ntables = 0;

	if (pg_failed(pg)) {
		if (db->opened) {
			if (db->lost != NULL)
				db->lost(db->arg, pg_error(pg));
		} else
			db->ready(db->arg, pg_error(pg));
		return;
	}
	while (schema_tables[ntables] != NULL)
		ntables++;
	pg_array_literal(&tables, schema_tables, ntables);
	params[0] = buf_str(&tables);
	pg_query(db->pg,
	    "SELECT c.table_name || '.' || c.column_name, NULL "
	    "FROM information_schema.columns c "
	    "WHERE c.table_schema = current_schema() "
	    "AND c.table_name = ANY($1::text[]) "
	    "UNION ALL SELECT NULL, (xpath('/row/v/text()', query_to_xml("
	    "'SELECT min(version_num) AS v FROM ' || "
	    "quote_ident(current_schema()) || '.alembic_version', false, "
	    "true, '')))[1]::text WHERE to_regclass(quote_ident("
	    "current_schema()) || '.alembic_version') IS NOT NULL "
	    "ORDER BY 1", 1, params, detect_schema, db);
	buf_free(&tables);
}

struct sched *
afdb_open(struct loop *loop, const struct db_params *p, int timeout_ms,
    sched_cb ready, sched_cb lost, void *arg)
{
	struct afdb *db = xcalloc(1, sizeof *db);

	db->base.ops = &afdb_ops;

	db->ready = ready;
	db->lost = lost;
	db->arg = arg;
	db->serdag_max = SERDAG_MAX_DEFAULT;
	db->pg = pg_connect(loop, p->keywords, p->values, p->password_command,
	    timeout_ms, on_state, db);
	return &db->base;
}

void
afdb_set_serdag_max(struct sched *sd, size_t max)
{
	if (sd != NULL && sd->ops == &afdb_ops)
		((struct afdb *)sd)->serdag_max = max;
}

static void
afdb_free(struct sched *sd)
{
	struct afdb	*db = (struct afdb *)sd;
	size_t		 i;

	pg_free(db->pg);
	for (i = 0; i < db->ncolumns; i++)
		free(db->columns[i]);
	free(db->columns);
	schema_clear(&db->schema);
	buf_free(&db->warnings);
	free(db);
}

const struct af_schema *
afdb_schema(const struct sched *sd)
{
	return &((const struct afdb *)sd)->schema;
}

static const struct sched_about *
afdb_about(const struct sched *sd)
{
	const struct afdb *db = (const struct afdb *)sd;

	return &db->about;
}

static const char *
afdb_warnings(const struct sched *sd)
{
	return buf_str(&((const struct afdb *)sd)->warnings);
}

static void
afdb_describe(const struct sched *sd, struct buf *b)
{
	const struct af_schema *s = afdb_schema(sd);

	if (s->release != NULL)
		buf_printf(b, "Airflow %s", s->release);
	else
		buf_printf(b, "Airflow %d.x", s->major);
	buf_printf(b, " (%s)", s->revision != NULL ? s->revision :
	    "no alembic revision");
}

/* --- health ------------------------------------------------------------ */

static void
health_result(void *arg, const PGresult *res, const char *err)
{
	struct request		*r = arg;
	struct af_health	*h = r->out;
	int			 i, j;
	const char		*type;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		h->now = afdb_col_time(res, i, 5);
		if (PQgetisnull(res, i, 0))
			continue;
		type = PQgetvalue(res, i, 0);
		for (j = 0; j < AF_NJOBS; j++) {
			struct af_job_health *jh = &h->job[j];

			if (strcmp(type, af_job_type[j]) != 0)
				continue;
			jh->seen = true;
			jh->running = afdb_col_int(res, i, 1, 0);
			jh->last_heartbeat = afdb_col_time(res, i, 2);
			jh->last_seen = afdb_col_time(res, i, 3);
			free(jh->hostname);
			jh->hostname = afdb_col_str(res, i, 4);
		}
	}
	afdb_request_done(r, NULL);
}

static void
afdb_fetch_health(struct sched *sd, struct af_health *out, sched_cb cb,
    void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct buf	 types = BUF_INIT;
	const char	*params[1];

	af_health_clear(out);
	pg_array_literal(&types, af_job_type, AF_NJOBS);
	params[0] = buf_str(&types);
	pg_query(db->pg,
	    "SELECT j.job_type, count(*) FILTER (WHERE j.state = 'running'), "
	    EPOCH("max(j.latest_heartbeat) FILTER (WHERE j.state = 'running')") ", "
	    EPOCH("max(j.latest_heartbeat)") ", "
	    "(array_agg(j.hostname ORDER BY j.latest_heartbeat DESC NULLS LAST) "
	    "FILTER (WHERE j.state = 'running'))[1], "
	    EPOCH("now()") " "
	    "FROM job j WHERE j.job_type = ANY($1::text[]) GROUP BY j.job_type "
	    "UNION ALL SELECT NULL, 0, NULL, NULL, NULL, " EPOCH("now()"),
	    1, params, health_result, afdb_request_new(db, out, cb, arg));
	buf_free(&types);
}

/* --- DAGs -------------------------------------------------------------- */

/*
 * The DAG list's rows, and as the last one (dag_id NULL) three
 * signatures: the mark (column 8), the count of the dag table's rows and
 * a sum of their ids' hashes, which changes when a DAG comes or goes
 * (dag_merge cannot place a new one); the flags' (column 10), the same
 * sum with each hash xor'd with the hash of its DAG's pause, activity and
 * import-error bits, which changes when one of those does; the open
 * runs' (column 7), the count of queued and running runs and a sum of
 * their DAGs' hashes xor'd with the hash of their state, which changes
 * when a DAG's counts do.  Hashing the bits (hashint4) makes each change
 * move the sum by a 32-bit amount of its own: the bits themselves would
 * move it by 1, 2 or 4, and two DAGs flipping the same flag would cancel
 * one time in two.  One pass over the dag table, one over each partial index
 * (an index-only scan); sum() of int4 adds in int8, as fast as count(*).
 * The statement begins with this: WITH sig(mark, flags, opens) ...
 */
static void
dags_sig(const struct af_schema *s, struct buf *b)
{
	buf_printf(b, "WITH sig(mark, flags, opens) AS MATERIALIZED (SELECT "
	    "count(*) * 4294967296 + coalesce(sum(hashtext(m.dag_id)), 0), "
	    "coalesce(sum(hashtext(m.dag_id) # hashint4(coalesce(m.is_paused, "
	    "false)::int | ((%s)::int << 1) | ((%s)::int << 2))), 0), (SELECT "
	    "count(*) * 4294967296 + coalesce(sum(hashtext(o.dag_id) # "
	    "hashint4(o.q)), 0) FROM (SELECT dag_id, 1 AS q FROM dag_run WHERE state = "
	    "'queued' UNION ALL SELECT dag_id, 2 FROM dag_run WHERE state = "
	    "'running') o) FROM dag m) ",
	    s->is_stale ? "coalesce(m.is_stale, false)" :
	    "NOT coalesce(m.is_active, false)",
	    s->has_import_errors ? "coalesce(m.has_import_errors, false)" :
	    "false");
}

/* The signatures' row, after a statement that begins with dags_sig. */
#define DAGS_MARK_ROW " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, " \
	"NULL, NULL, sig.opens, sig.mark, NULL, sig.flags FROM sig"

/* A DAG list read, full or since an earlier one (dags_since). */
struct dags_job {
	struct afdb		*db;
	const struct af_dags	*prev;		/* NULL: a full read */
	struct af_dags		*out;
	struct af_dags		 fresh;
	sched_cb		 cb;
	void			*arg;
};

static void	dags_full(struct dags_job *);

static void
dags_job_done(struct dags_job *j, const char *err)
{
	sched_cb	 cb = j->cb;
	void		*arg = j->arg;

	af_dags_free(&j->fresh);
	free(j);
	cb(arg, err);
}

static void
dags_result(void *arg, const PGresult *res, const char *err)
{
	struct dags_job	*j = arg;
	struct af_dags	*to = j->prev != NULL ? &j->fresh : j->out;
	struct af_dag	*d;
	char		*raw;
	int64_t		 mark = 0, flags = 0, opens = 0;
	int		 i;

	if (err != NULL) {
		dags_job_done(j, err);
		return;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 0)) {
			mark = afdb_col_time(res, i, 8);
			flags = afdb_col_time(res, i, 10);
			opens = afdb_col_time(res, i, 7);
			continue;
		}
		d = af_dags_push(to);
		d->dag_id = afdb_col_str(res, i, 0);
		d->paused = afdb_col_bool(res, i, 1);
		d->active = afdb_col_bool(res, i, 2);
		d->owners = afdb_col_str(res, i, 3);
		raw = afdb_col_str(res, i, 4);
		d->schedule = schedule_summary(raw);
		free(raw);
		d->timetable_description = afdb_col_str(res, i, 5);
		d->fileloc = afdb_col_str(res, i, 6);
		d->next_run = afdb_col_time(res, i, 7);
		d->next_run_after = afdb_col_time(res, i, 8);
		d->import_errors = afdb_col_bool(res, i, 9);
		d->open_runs = afdb_col_int(res, i, 10, 0);
	}
	if (j->prev != NULL) {
		/* A DAG came or went: the list is read whole, now. */
		if (mark != j->prev->mark ||
		    !dag_merge(j->prev, &j->fresh, j->out)) {
			af_dags_free(&j->fresh);
			j->prev = NULL;
			dags_full(j);
			return;
		}
	}
	j->out->mark = mark;
	j->out->flags = flags;
	j->out->opens = opens;
	dags_job_done(j, NULL);
}

/*
 * The select list and joins of a DAG read, for alias d.  The open runs
 * are counted through the partial indexes on each state: `state IN
 * (...)` reads the whole (dag_id, state) index instead.
 */
static void
dags_select(const struct af_schema *s, struct buf *b)
{
	buf_printf(b,
	    "SELECT d.dag_id, coalesce(d.is_paused, false), %s, d.owners, %s, "
	    "%s, d.fileloc, " EPOCH("d.next_dagrun") ", "
	    EPOCH("d.next_dagrun_create_after") ", %s, coalesce(o.n, 0) "
	    "FROM dag d LEFT JOIN (SELECT r.dag_id, count(*) AS n FROM ("
	    "SELECT dag_id FROM dag_run WHERE state = 'queued' UNION ALL "
	    "SELECT dag_id FROM dag_run WHERE state = 'running') r "
	    "GROUP BY r.dag_id) o ON o.dag_id = d.dag_id ",
	    s->is_stale ? "NOT coalesce(d.is_stale, false)" :
	    "coalesce(d.is_active, false)",
	    s->timetable_summary ? "d.timetable_summary" :
	    "d.schedule_interval::text",
	    s->timetable_description ? "d.timetable_description" : "NULL",
	    s->has_import_errors ? "coalesce(d.has_import_errors, false)" :
	    "false");
}

static void
dags_full(struct dags_job *j)
{
	struct buf sql = BUF_INIT;

	dags_sig(&j->db->schema, &sql);
	buf_puts(&sql, "(");
	dags_select(&j->db->schema, &sql);
	buf_puts(&sql, "ORDER BY d.dag_id)" DAGS_MARK_ROW);
	pg_query(j->db->pg, buf_str(&sql), 0, NULL, dags_result, j);
	buf_free(&sql);
}

static void
afdb_fetch_dags(struct sched *sd, struct af_dags *out, sched_cb cb, void *arg)
{
	struct dags_job *j = xcalloc(1, sizeof *j);

	j->db = (struct afdb *)sd;
	j->out = out;
	j->cb = cb;
	j->arg = arg;
	dags_full(j);
}

/* Appends "t" or "f" to a PostgreSQL array literal being built. */
static void
bool_item(struct buf *b, size_t i, bool v)
{
	buf_printf(b, "%s%s", i > 0 ? "," : "", v ? "t" : "f");
}

/*
 * The DAGs that can have changed since prev, in one statement that
 * returns only them, each found through a small set:
 *   - those named in the audit log since (a pause, a trigger, a delete:
 *     log.dttm);
 *   - those with runs created since (the scheduler moved their next
 *     run: dag_run's key);
 *   - those whose count of queued and running runs moved (a run that
 *     ended frees a max_active_runs slot and the next run moves): the
 *     partial indexes' counts against prev's, a full join of two short
 *     lists;
 *   - those whose pause, activity or import-error flag differs from
 *     prev's: the DAGs that have one now against prev's such DAGs.
 * The rows are then read by the dag table's key.  The signatures
 * (dags_sig: a DAG that came or went, a flag or an open-run count that
 * changed) are one pass over the dag table and the partial indexes; the
 * last two lists are compared only when their signature moved since
 * prev's.  What the DAG processor changes in a
 * DAG's other columns (schedule, owners, file) waits for a full read.
 */
static void
afdb_fetch_dags_since(struct sched *sd, const struct af_dags *prev,
    int64_t prev_at, struct af_dags *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct dags_job		*j = xcalloc(1, sizeof *j);
	struct buf		 sql = BUF_INIT, since = BUF_INIT,
				 lists[6] = { BUF_INIT, BUF_INIT, BUF_INIT,
				 BUF_INIT, BUF_INIT, BUF_INIT };
	const char		**flagged, **open, *params[10];
	size_t			 nf = 0, no = 0, i, k;
	char			 from[24], flags[24], opens[24];
	const char		*inactive, *errors;
	int64_t			 f = afdb_new_runs_from(db, prev_at);

	j->db = db;
	j->out = out;
	j->cb = cb;
	j->arg = arg;
	if (f < 0) {
		dags_full(j);
		return;
	}
	j->prev = prev;
	flagged = xcalloc(prev->n + 1, sizeof *flagged);
	open = xcalloc(prev->n + 1, sizeof *open);
	for (i = 0; i < 3; i++)
		buf_puts(&lists[1 + i], "{");
	buf_puts(&lists[5], "{");
	for (i = 0; i < prev->n; i++) {
		const struct af_dag *d = &prev->v[i];

		if (d->paused || !d->active || d->import_errors) {
			bool_item(&lists[1], nf, d->paused);
			bool_item(&lists[2], nf, !d->active);
			bool_item(&lists[3], nf, d->import_errors);
			flagged[nf++] = d->dag_id;
		}
		if (d->open_runs > 0) {
			buf_printf(&lists[5], "%s%d", no > 0 ? "," : "",
			    d->open_runs);
			open[no++] = d->dag_id;
		}
	}
	for (i = 0; i < 3; i++)
		buf_puts(&lists[1 + i], "}");
	buf_puts(&lists[5], "}");
	pg_array_literal(&lists[0], flagged, nf);
	pg_array_literal(&lists[4], open, no);
	free(flagged);
	free(open);
	buf_printf(&since, "%lld", (long long)((int64_t)time(NULL) - prev_at +
	    AFDB_LOG_MARGIN));
	snprintf(from, sizeof from, "%lld", (long long)f);
	snprintf(flags, sizeof flags, "%lld", (long long)prev->flags);
	snprintf(opens, sizeof opens, "%lld", (long long)prev->opens);
	params[0] = buf_str(&since);
	params[1] = from;
	for (k = 0; k < 6; k++)
		params[2 + k] = buf_str(&lists[k]);
	params[8] = flags;
	params[9] = opens;

	inactive = s->is_stale ? "coalesce(x.is_stale, false)" :
	    "NOT coalesce(x.is_active, false)";
	errors = s->has_import_errors ? "coalesce(x.has_import_errors, false)" :
	    "false";
	/*
	 * sig: the signatures (dags_sig).  The open runs' counts and the
	 * flagged DAGs are compared with prev's only when their signature
	 * moved: a condition on no row is a one-time filter, and the branch
	 * under it is never run when it is false.
	 */
	dags_sig(s, &sql);
	buf_puts(&sql, "(");
	dags_select(s, &sql);
	buf_printf(&sql, "WHERE d.dag_id IN (SELECT l.dag_id FROM log l "
	    "WHERE l.dttm >= " AFDB_LOG_SINCE("$1") " AND l.dag_id IS NOT "
	    "NULL UNION SELECT r.dag_id FROM dag_run r WHERE r.id > $2::int8 "
	    "UNION SELECT coalesce(c.dag_id, k.dag_id) FROM (SELECT r.dag_id, "
	    "count(*) AS n FROM (SELECT dag_id FROM dag_run WHERE state = "
	    "'queued' UNION ALL SELECT dag_id FROM dag_run WHERE state = "
	    "'running') r GROUP BY r.dag_id) c FULL JOIN unnest($7::text[], "
	    "$8::int[]) k(dag_id, n) ON k.dag_id = c.dag_id WHERE "
	    "coalesce(c.n, 0) <> coalesce(k.n, 0) AND (SELECT sig.opens FROM "
	    "sig) <> $10::int8 "
	    "UNION SELECT coalesce(n.dag_id, p.dag_id) FROM (SELECT "
	    "x.dag_id, coalesce(x.is_paused, false) AS paused, %s AS "
	    "inactive, %s AS errors FROM dag x WHERE coalesce(x.is_paused, "
	    "false) OR %s OR %s) n FULL JOIN unnest($3::text[], $4::bool[], "
	    "$5::bool[], $6::bool[]) p(dag_id, paused, inactive, errors) ON "
	    "p.dag_id = n.dag_id WHERE (n.dag_id IS NULL OR p.dag_id IS NULL "
	    "OR n.paused <> p.paused OR n.inactive <> p.inactive OR "
	    "n.errors <> p.errors) AND (SELECT sig.flags FROM sig) <> "
	    "$9::int8))" DAGS_MARK_ROW, inactive, errors, inactive, errors);
	pg_query(db->pg, buf_str(&sql), 10, params, dags_result, j);
	buf_free(&sql);
	buf_free(&since);
	for (k = 0; k < 6; k++)
		buf_free(&lists[k]);
}

/* --- the task graph ---------------------------------------------------- */

static void
graph_result(void *arg, const PGresult *res, const char *err)
{
	struct request	 *r = arg;
	struct graph	**out = r->out;
	struct buf	  text = BUF_INIT, why = BUF_INIT;
	unsigned char	 *raw;
	size_t		  rawlen;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	*out = NULL;
	if (PQntuples(res) == 0) {
		buf_puts(r->warn, "no serialized DAG in the database; tasks "
		    "are listed unordered\n");
		afdb_request_done(r, NULL);
		return;
	}
	if (!PQgetisnull(res, 0, 0)) {
		buf_puts(&text, PQgetvalue(res, 0, 0));
	} else if (!PQgetisnull(res, 0, 1)) {
		raw = PQunescapeBytea((const unsigned char *)
		    PQgetvalue(res, 0, 1), &rawlen);
		if (raw == NULL)
			buf_puts(&why, "cannot decode data_compressed");
		else {
			serdag_inflate(raw, rawlen, r->db->serdag_max, &text,
			    &why);
			PQfreemem(raw);
		}
	} else
		buf_puts(&why, "data and data_compressed are both empty");
	if (why.len == 0)
		*out = serdag_parse(text.data, text.len, r->db->serdag_max,
		    &why);
	if (*out == NULL)
		buf_printf(r->warn, "serialized DAG unreadable (%s); tasks are "
		    "listed unordered\n", buf_str(&why));
	else if ((*out)->warnings.len > 0)
		buf_puts(r->warn, buf_str(&(*out)->warnings));
	buf_free(&text);
	buf_free(&why);
	afdb_request_done(r, NULL);
}

static void
afdb_fetch_graph(struct sched *sd, const char *dag_id, const char *run_id,
    struct graph **out, struct buf *warn, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	struct request	*r = afdb_request_new(db, out, cb, arg);
	const char	*params[2] = { dag_id, run_id };

	r->warn = warn;
	*out = NULL;
	if (!db->schema.dag_version) {
		pg_query(db->pg, "SELECT s.data::text, s.data_compressed "
		    "FROM serialized_dag s WHERE s.dag_id = $1", 1, params,
		    graph_result, r);
		return;
	}
	/*
	 * 3.x keeps one row per DAG version: the one the run was created
	 * with, else the newest, found through dag_version's unique
	 * (dag_id, version_number) index.
	 */
	if (db->schema.created_dag_version)
		pg_query(db->pg, "SELECT s.data::text, s.data_compressed "
		    "FROM serialized_dag s WHERE s.dag_version_id = coalesce("
		    "(SELECT r.created_dag_version_id FROM dag_run r "
		    "WHERE r.dag_id = $1 AND r.run_id = $2::text), "
		    "(SELECT v.id FROM dag_version v WHERE v.dag_id = $1 "
		    "ORDER BY v.version_number DESC LIMIT 1))",
		    2, params, graph_result, r);
	else
		pg_query(db->pg, "SELECT s.data::text, s.data_compressed "
		    "FROM serialized_dag s WHERE s.dag_version_id = "
		    "(SELECT v.id FROM dag_version v WHERE v.dag_id = $1 "
		    "ORDER BY v.version_number DESC LIMIT 1)",
		    1, params, graph_result, r);
}

/* --- log template ------------------------------------------------------ */

static void
log_template_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	char		**out = r->out;

	if (err == NULL && PQntuples(res) > 0)
		*out = afdb_col_str(res, 0, 0);
	afdb_request_done(r, err);
}

static void
afdb_fetch_log_template(struct sched *sd, const char *dag_id,
    const char *run_id, char **out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const char *params[2] = { dag_id, run_id };

	*out = NULL;
	pg_query(db->pg, "SELECT lt.filename FROM dag_run r JOIN log_template lt"
	    " ON lt.id = r.log_template_id WHERE r.dag_id = $1 AND r.run_id = $2",
	    2, params, log_template_result, afdb_request_new(db, out, cb, arg));
}

/* --- pools ------------------------------------------------------------- */

static void
pools_result(void *arg, const PGresult *res, const char *err)
{
	struct request	*r = arg;
	struct af_pools	*out = r->out;
	struct af_pool	*p;
	int		 i;

	if (err != NULL) {
		afdb_request_done(r, err);
		return;
	}
	out->v = xcalloc((size_t)PQntuples(res) + 1, sizeof *out->v);
	for (i = 0; i < PQntuples(res); i++) {
		p = &out->v[out->n++];
		p->name = afdb_col_str(res, i, 0);
		if (p->name == NULL)
			p->name = xstrdup("");
		p->slots = afdb_col_int(res, i, 1, -1);
		p->include_deferred = afdb_col_bool(res, i, 2);
		p->running = afdb_col_int(res, i, 3, 0);
		p->queued = afdb_col_int(res, i, 4, 0);
		p->deferred = afdb_col_int(res, i, 5, 0);
		p->scheduled = afdb_col_int(res, i, 6, 0);
	}
	out->valid = true;
	afdb_request_done(r, NULL);
}

/*
 * Pools as Airflow's UI counts them: slots taken are the pool_slots of the
 * task instances in the pool by state.  include_deferred is 2.7+, which is
 * every schema dagtop reads.
 */
static void
afdb_fetch_pools(struct sched *sd, struct af_pools *out, sched_cb cb,
    void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	pg_query(db->pg,
	    "SELECT p.pool, p.slots, coalesce(p.include_deferred, false), "
	    "coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = 'running'), 0), "
	    "coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = 'queued'), 0), "
	    "coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = 'deferred'), 0), "
	    "coalesce(sum(ti.pool_slots) FILTER (WHERE ti.state = 'scheduled'), 0) "
	    "FROM slot_pool p LEFT JOIN task_instance ti ON ti.pool = p.pool "
	    "AND ti.state IN ('running', 'queued', 'deferred', 'scheduled') "
	    "GROUP BY p.pool, p.slots, p.include_deferred ORDER BY p.pool",
	    0, NULL, pools_result, afdb_request_new(db, out, cb, arg));
}

static const struct sched_ops afdb_ops = {
	.kind = "database",
	.free = afdb_free,
	.about = afdb_about,
	.warnings = afdb_warnings,
	.describe = afdb_describe,
	.fetch_health = afdb_fetch_health,
	.fetch_dags = afdb_fetch_dags,
	.fetch_dags_since = afdb_fetch_dags_since,
	.fetch_runs_since = afdb_fetch_runs_since,
	.fetch_runs_recent = afdb_fetch_runs_recent,
	.fetch_dag_runs = afdb_fetch_dag_runs,
	.fetch_run = afdb_fetch_run,
	.fetch_tis = afdb_fetch_tis,
	.fetch_attention_tis = afdb_fetch_attention_tis,
	.fetch_graph = afdb_fetch_graph,
	.fetch_log_template = afdb_fetch_log_template,
	.fetch_unknown_dags = afdb_fetch_unknown_dags,
	.fetch_dag_runs_before = afdb_fetch_dag_runs_before,
	.fetch_sla = afdb_fetch_sla,
	.fetch_pools = afdb_fetch_pools,
	.fetch_deps = afdb_fetch_deps,
	.fetch_dep_state = afdb_fetch_dep_state,
	.fetch_shapes = afdb_fetch_shapes,
	.fetch_task_stats = afdb_fetch_task_stats,
};
