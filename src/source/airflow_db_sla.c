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

/* --- the SLA attempts ---------------------------------------------------- */

/*
 * How far a run's logical date may lie from the end of its data interval
 * (the day it counts for): a year, the interval of a yearly schedule, or
 * a manual run triggered up to an interval after the one it covers.  The
 * runs are found through the (dag_id, logical date) unique index within
 * this margin of the window, as the REST source bounds its execution
 * dates on Airflow 2.
 */
#define SLA_LOGICAL_MARGIN	(366 * (int64_t)86400)

/* A run of an SLA's DAG whose day is in the window (the first statement). */
struct sla_run {
	size_t	 dag;
	char	*run_id;
	char	*run_type;
	char	*state;
	int64_t	 day;
	int64_t	 start;
	int64_t	 end;
};

/* A task SLA's task in one run: its instances added up (the second). */
struct sla_tis {
	size_t	 pair;
	char	*run_id;
	long	 n, ok, bad;
	int64_t	 started;
	int64_t	 ended;
};

/* Airflow's own miss of a run: sla_miss (task_id), a deadline (NULL). */
struct sla_miss {
	size_t	 dag;
	char	*run_id;
	char	*task_id;
};

/*
 * One SLA read: the SLAs' distinct DAGs and (DAG, task) pairs, what each
 * statement returned, and whom to tell once all of them are in.
 */
struct sla_read {
	struct sla_history	*out;
	size_t			 nsla;
	size_t			*sla_dag;	/* per SLA: its DAG */
	size_t			*sla_pair;	/* its pair, or SIZE_MAX */
	size_t			 ndags;
	char			**pair_task;	/* per pair: the task */
	size_t			 npairs;
	bool			*unknown;	/* per DAG */
	struct sla_run		*runs;
	size_t			 nruns;
	struct sla_tis		*tis;
	size_t			 ntis;
	struct sla_miss		*miss;
	size_t			 nmiss;
	int			 pending;
	char			*err;
	sched_cb		 cb;
	void			*arg;
};

/* An SLA's DAG and task ("" for the whole run), and the SLA's index. */
struct sla_key {
	const char	*dag;
	const char	*task;
	size_t		 sla;
};

static int
cmp_key(const void *a, const void *b)
{
	const struct sla_key	*x = a, *y = b;
	int			 c = strcmp(x->dag, y->dag);

	return c != 0 ? c : strcmp(x->task, y->task);
}

static int
cmp_tis(const void *a, const void *b)
{
	const struct sla_tis *x = a, *y = b;

	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

static int
cmp_miss(const void *a, const void *b)
{
	const struct sla_miss *x = a, *y = b;

	if (x->dag != y->dag)
		return x->dag < y->dag ? -1 : 1;
	return strcmp(x->run_id, y->run_id);
}

/*
 * Groups the SLAs by DAG and by (DAG, task), so that each DAG's runs and
 * each task's instances are read once however many SLAs share them; fills
 * the arrays of distinct dag_ids, and of the pairs' dag_ids and task_ids.
 */
static void
sla_group(struct sla_read *rd, const struct sla_def *const *defs,
    const char **dags, const char **pdags, const char **ptasks)
{
	struct sla_key	*k = xcalloc(rd->nsla + 1, sizeof *k);
	size_t		 i, s;
	bool		 newdag;

	for (i = 0; i < rd->nsla; i++) {
		k[i].dag = defs[i]->dag_id;
		k[i].task = defs[i]->task_id != NULL ? defs[i]->task_id : "";
		k[i].sla = i;
	}
	qsort(k, rd->nsla, sizeof *k, cmp_key);
	for (i = 0; i < rd->nsla; i++) {
		s = k[i].sla;
		newdag = i == 0 || strcmp(k[i].dag, k[i - 1].dag) != 0;
		if (newdag)
			dags[rd->ndags++] = k[i].dag;
		rd->sla_dag[s] = rd->ndags - 1;
		rd->sla_pair[s] = SIZE_MAX;
		if (*k[i].task == '\0')
			continue;
		if (newdag || strcmp(k[i].task, k[i - 1].task) != 0) {
			pdags[rd->npairs] = k[i].dag;
			ptasks[rd->npairs] = k[i].task;
			rd->pair_task[rd->npairs++] = xstrdup(k[i].task);
		}
		rd->sla_pair[s] = rd->npairs - 1;
	}
	free(k);
}

/*
 * The first statement's rows, by their kind (column 0): 'r' a run (DAG,
 * run_id, run_type, state, day, start, end), 'u' a DAG the database
 * lacks (DAG), 'm' one of Airflow's misses (DAG, run_id, task_id).
 */
static void
sla_runs_result(struct sla_read *rd, const PGresult *res)
{
	struct sla_run	*r;
	struct sla_miss	*m;
	size_t		 d;
	int		 i, nt = PQntuples(res);

	rd->runs = xcalloc((size_t)nt + 1, sizeof *rd->runs);
	rd->miss = xcalloc((size_t)nt + 1, sizeof *rd->miss);
	for (i = 0; i < nt; i++) {
		const char *kind = PQgetvalue(res, i, 0);

		if (!afdb_col_index(res, i, 1, rd->ndags, &d))
			continue;
		if (kind[0] == 'u') {
			rd->unknown[d] = true;
			continue;
		}
		if (kind[0] == 'm') {
			if (PQgetisnull(res, i, 2))
				continue;
			m = &rd->miss[rd->nmiss++];
			m->dag = d;
			m->run_id = afdb_col_str(res, i, 2);
			m->task_id = afdb_col_str(res, i, 3);
			continue;
		}
		r = &rd->runs[rd->nruns++];
		r->dag = d;
		r->run_id = afdb_col_str(res, i, 2);
		r->run_type = afdb_col_str(res, i, 3);
		r->state = afdb_col_str(res, i, 4);
		r->day = afdb_col_time(res, i, 5);
		r->start = afdb_col_time(res, i, 6);
		r->end = afdb_col_time(res, i, 7);
		if (r->run_id == NULL)	/* NOT NULL in Airflow; for strcmp */
			r->run_id = xstrdup("");
	}
	qsort(rd->miss, rd->nmiss, sizeof *rd->miss, cmp_miss);
}

/* The second's: (pair, run_id, n, ok, bad, started, ended), for bsearch. */
static void
sla_tis_result(struct sla_read *rd, const PGresult *res)
{
	struct sla_tis	*t;
	int		 i, nt = PQntuples(res);

	rd->tis = xcalloc((size_t)nt + 1, sizeof *rd->tis);
	for (i = 0; i < nt; i++) {
		t = &rd->tis[rd->ntis];
		if (!afdb_col_index(res, i, 0, rd->npairs, &t->pair) ||
		    PQgetisnull(res, i, 1))
			continue;
		rd->ntis++;
		t->run_id = afdb_col_str(res, i, 1);
		t->n = afdb_col_int(res, i, 2, 0);
		t->ok = afdb_col_int(res, i, 3, 0);
		t->bad = afdb_col_int(res, i, 4, 0);
		t->started = afdb_col_time(res, i, 5);
		t->ended = afdb_col_time(res, i, 6);
	}
	qsort(rd->tis, rd->ntis, sizeof *rd->tis, cmp_tis);
}

/* The instances of pair p's task in run_id, or NULL when it has none. */
static const struct sla_tis *
find_tis(const struct sla_read *rd, size_t p, const char *run_id)
{
	struct sla_tis key;

	key.pair = p;
	key.run_id = (char *)run_id;
	return bsearch(&key, rd->tis, rd->ntis, sizeof *rd->tis, cmp_tis);
}

/*
 * Whether Airflow recorded a miss of run_id of DAG d for an SLA on task
 * (NULL: the whole run): a deadline alert of the run, or an sla_miss row
 * of any task (the whole run) or of that task.
 */
static bool
airflow_missed(const struct sla_read *rd, size_t d, const char *run_id,
    const char *task)
{
	struct sla_miss		 key;
	const struct sla_miss	*m, *end = rd->miss + rd->nmiss;

	key.dag = d;
	key.run_id = (char *)run_id;
	if ((m = bsearch(&key, rd->miss, rd->nmiss, sizeof *rd->miss,
	    cmp_miss)) == NULL)
		return false;
	while (m > rd->miss && cmp_miss(m - 1, &key) == 0)
		m--;
	for (; m < end && cmp_miss(m, &key) == 0; m++)
		if (task == NULL || m->task_id == NULL ||
		    strcmp(m->task_id, task) == 0)
			return true;
	return false;
}

/* SLA s's attempt in run r: the run, or its task's instances in it. */
static void
sla_attempt(const struct sla_read *rd, size_t s, const struct sla_run *r,
    struct sla_attempt *a)
{
	const struct sla_tis	*t = NULL;
	size_t			 p = rd->sla_pair[s];

	a->run_id = xstrdup(r->run_id);
	a->run_type = r->run_type != NULL ? xstrdup(r->run_type) : NULL;
	a->interval_end = r->day;
	if (p == SIZE_MAX) {
		a->state = sla_attempt_state(r->state, false, 0, 0, 0, false);
		a->start = r->start;
		a->end = r->end;
	} else {
		t = find_tis(rd, p, r->run_id);
		a->state = sla_attempt_state(r->state, true, t ? t->n : 0,
		    t ? t->ok : 0, t ? t->bad : 0,
		    t != NULL && t->started != TIME_NONE);
		a->start = t != NULL ? t->started : TIME_NONE;
		a->end = t != NULL ? t->ended : TIME_NONE;
	}
	/* A task that never ran in a finished run: the run's end. */
	if (a->end == TIME_NONE && a->state == SLA_FAILED_ATTEMPT)
		a->end = r->end;
	a->airflow_miss = airflow_missed(rd, r->dag, r->run_id,
	    p == SIZE_MAX ? NULL : rd->pair_task[p]);
}

/*
 * Every statement is in: each SLA's attempts are its DAG's runs, in the
 * order the first statement gave them (day, then run_id), as a single
 * statement per SLA gave them before.
 */
static void
sla_assemble(struct sla_read *rd)
{
	struct sla_history	*h = rd->out;
	size_t			*first, *count, *sla_of, total = 0, i, k;

	first = xcalloc(rd->ndags + 1, sizeof *first);
	count = xcalloc(rd->ndags + 1, sizeof *count);
	for (k = rd->nruns; k > 0; k--) {
		first[rd->runs[k - 1].dag] = k - 1;
		count[rd->runs[k - 1].dag]++;
	}
	for (i = 0; i < rd->nsla; i++)
		total += count[rd->sla_dag[i]];
	h->v = xcalloc(total + 1, sizeof *h->v);
	sla_of = xcalloc(total + 1, sizeof *sla_of);
	for (i = 0; i < rd->nsla; i++) {
		size_t d = rd->sla_dag[i];

		h->unknown_dag[i] = rd->unknown[d];
		for (k = first[d]; k < first[d] + count[d]; k++) {
			sla_of[h->n] = i;
			sla_attempt(rd, i, &rd->runs[k], &h->v[h->n++]);
		}
	}
	sla_history_index(h, sla_of, rd->nsla);
	free(sla_of);
	free(first);
	free(count);
}

static void
sla_read_free(struct sla_read *rd)
{
	size_t i;

	for (i = 0; i < rd->nruns; i++) {
		free(rd->runs[i].run_id);
		free(rd->runs[i].run_type);
		free(rd->runs[i].state);
	}
	for (i = 0; i < rd->ntis; i++)
		free(rd->tis[i].run_id);
	for (i = 0; i < rd->nmiss; i++) {
		free(rd->miss[i].run_id);
		free(rd->miss[i].task_id);
	}
	for (i = 0; i < rd->npairs; i++)
		free(rd->pair_task[i]);
	free(rd->runs);
	free(rd->tis);
	free(rd->miss);
	free(rd->pair_task);
	free(rd->sla_dag);
	free(rd->sla_pair);
	free(rd->unknown);
	free(rd->err);
	free(rd);
}

/* One statement answered; after the last, the history and the callback. */
static void
sla_statement_done(struct sla_read *rd, const char *err)
{
	sched_cb	 cb = rd->cb;
	void		*arg = rd->arg;
	char		*e;

	if (err != NULL && rd->err == NULL)
		rd->err = xstrdup(err);
	if (--rd->pending > 0)
		return;
	if (rd->err == NULL)
		sla_assemble(rd);
	e = rd->err;
	rd->err = NULL;
	sla_read_free(rd);
	cb(arg, e);
	free(e);
}

static void
sla_runs_cb(void *arg, const PGresult *res, const char *err)
{
	if (err == NULL)
		sla_runs_result(arg, res);
	sla_statement_done(arg, err);
}

static void
sla_tis_cb(void *arg, const PGresult *res, const char *err)
{
	if (err == NULL)
		sla_tis_result(arg, res);
	sla_statement_done(arg, err);
}

/*
 * Run r's logical date is within the margin of the window, $lo to $lo+1:
 * a range of the (dag_id, logical date) unique index; on 3.x also a run
 * without a logical date (manual or asset-triggered), in the same index.
 */
static void
sla_run_range(struct buf *sql, const struct af_schema *s, int lo)
{
	if (s->logical_date)
		buf_printf(sql, "(r.logical_date >= $%d::timestamptz AND "
		    "r.logical_date < $%d::timestamptz OR "
		    "r.logical_date IS NULL)",
		    lo, lo + 1);
	else
		buf_printf(sql, "r.execution_date >= $%d::timestamptz AND "
		    "r.execution_date < $%d::timestamptz", lo, lo + 1);
}

/*
 * " CROSS JOIN LATERAL (...) r": the columns cols of the runs of DAG
 * k.dag_id whose day (sla.h) is in the window, $from to $from+1, found
 * through sla_run_range with $from+2 and $from+3.  OFFSET 0 keeps the
 * subquery one index range per DAG: flattened into a join, the planner
 * reads the whole of dag_run when the window holds most of its history
 * (the bench's 90 days within 26 weeks), a cost that grows with the
 * deployment instead of with the SLAs.
 */
static void
sla_runs_lateral(struct buf *sql, const struct af_schema *s, const char *day,
    const char *cols, int from)
{
	buf_printf(sql, " CROSS JOIN LATERAL (SELECT %s FROM dag_run r WHERE "
	    "r.dag_id = k.dag_id AND ", cols);
	sla_run_range(sql, s, from + 2);
	buf_printf(sql, " AND %s >= $%d::timestamptz AND %s < $%d::timestamptz "
	    "OFFSET 0) r", day, from, day, from + 1);
}

/*
 * A read's parameters as text (the arrays of distinct DAGs and of pairs,
 * the window and its margin) and the day of run r as SQL.
 */
struct sla_text {
	struct buf	 dags, pdags, ptasks;
	struct buf	 from, to, lo, hi;
	struct buf	 day;
	const char	*logical;	/* run r's logical date column */
};

/*
 * One: the runs of every DAG, by DAG, day and run_id (kind 'r'); then
 * the DAGs the database has no row for (a DAG removed from the files
 * keeps its row, stale, and is known: 'u'); then Airflow's own verdicts
 * ('m'): each DAG's sla_miss rows (through sm_dag) with their runs
 * (through the (dag_id, logical date) index), or the deadline alerts of
 * the runs of the window (deadline has no index on dagrun_id: its rows
 * are hashed, a table far smaller than dag_run).  One statement, so that
 * a report's SLAs cost the schema's detection and at most two more.
 */
static void
sla_query_runs(struct afdb *db, struct sla_read *rd, const struct sla_text *t)
{
	const struct af_schema	*s = &db->schema;
	struct buf		 sql = BUF_INIT, cols = BUF_INIT;
	const char		*params[5];

	buf_printf(&cols, "r.run_id, r.run_type, r.state, floor(extract(epoch "
	    "FROM %s))::int8 AS day, " EPOCH("r.start_date") " AS start_at, "
	    EPOCH("r.end_date") " AS end_at", buf_str(&t->day));
	buf_puts(&sql, "SELECT 'r' AS kind, k.i, r.run_id::text, "
	    "r.run_type::text, r.state::text, r.day, r.start_at, r.end_at "
	    "FROM unnest($1::text[]) WITH ORDINALITY AS k(dag_id, i)");
	sla_runs_lateral(&sql, s, buf_str(&t->day), buf_str(&cols), 2);
	buf_puts(&sql, " UNION ALL SELECT 'u', k.i, NULL, NULL, NULL, NULL, "
	    "NULL, NULL FROM unnest($1::text[]) WITH ORDINALITY AS "
	    "k(dag_id, i) WHERE NOT EXISTS (SELECT 1 FROM dag d WHERE "
	    "d.dag_id = k.dag_id)");
	if (s->sla_miss)
		buf_printf(&sql, " UNION ALL SELECT 'm', k.i, m.run_id, "
		    "m.task_id, NULL, NULL, NULL, NULL FROM unnest($1::text[]) "
		    "WITH ORDINALITY AS k(dag_id, i) CROSS JOIN LATERAL (SELECT "
		    "r.run_id, m.task_id FROM sla_miss m JOIN dag_run r ON "
		    "r.dag_id = m.dag_id AND %s = m.execution_date WHERE "
		    "m.dag_id = k.dag_id AND m.execution_date >= $4::timestamptz "
		    "AND m.execution_date < $5::timestamptz AND %s >= "
		    "$4::timestamptz AND %s < $5::timestamptz OFFSET 0) m",
		    t->logical, t->logical, t->logical);
	else if (s->deadline) {
		buf_puts(&sql, " UNION ALL SELECT 'm', k.i, r.run_id, NULL, "
		    "NULL, NULL, NULL, NULL FROM unnest($1::text[]) WITH "
		    "ORDINALITY AS k(dag_id, i)");
		sla_runs_lateral(&sql, s, buf_str(&t->day),
		    "r.id, r.run_id, r.end_date", 2);
		buf_puts(&sql, " JOIN deadline d ON d.dagrun_id = r.id WHERE ");
		buf_puts(&sql, s->deadline_missed ? "d.missed" :
		    "d.deadline_time < coalesce(r.end_date, now())");
	}
	buf_puts(&sql, " ORDER BY 1, 2, 6, 3");
	params[0] = buf_str(&t->dags);
	params[1] = buf_str(&t->from);
	params[2] = buf_str(&t->to);
	params[3] = buf_str(&t->lo);
	params[4] = buf_str(&t->hi);
	pg_query(db->pg, buf_str(&sql), 5, params, sla_runs_cb, rd);
	buf_free(&sql);
	buf_free(&cols);
}

/*
 * Two: each task SLA's task in those runs, its instances added up per
 * run through the (dag_id, task_id, run_id) prefix of ti_state_lkp.
 */
static void
sla_query_tis(struct afdb *db, struct sla_read *rd, const struct sla_text *t)
{
	struct buf	 sql = BUF_INIT;
	const char	*params[6];

	buf_puts(&sql, "SELECT k.i, r.run_id, t.n, t.ok, t.bad, t.started, "
	    "t.ended FROM unnest($1::text[], $2::text[]) WITH ORDINALITY "
	    "AS k(dag_id, task_id, i)");
	sla_runs_lateral(&sql, &db->schema, buf_str(&t->day), "r.run_id", 3);
	buf_puts(&sql, " CROSS JOIN LATERAL (SELECT count(*) AS n, "
	    "count(*) FILTER (WHERE ti.state IN ('success', 'skipped')) AS ok, "
	    "count(*) FILTER (WHERE ti.state IN ('failed', 'upstream_failed')) "
	    "AS bad, " EPOCH("min(ti.start_date)") " AS started, "
	    EPOCH("max(ti.end_date)") " AS ended FROM task_instance ti "
	    "WHERE ti.dag_id = k.dag_id AND ti.task_id = k.task_id AND "
	    "ti.run_id = r.run_id) t WHERE t.n > 0");
	params[0] = buf_str(&t->pdags);
	params[1] = buf_str(&t->ptasks);
	params[2] = buf_str(&t->from);
	params[3] = buf_str(&t->to);
	params[4] = buf_str(&t->lo);
	params[5] = buf_str(&t->hi);
	pg_query(db->pg, buf_str(&sql), 6, params, sla_tis_cb, rd);
	buf_free(&sql);
}

/* The arrays of the SLAs' distinct DAGs and pairs (sla_group), as text. */
static void
sla_arrays(struct sla_read *rd, const struct sla_def *const *defs,
    struct sla_text *t)
{
	const char **dv, **pdv, **ptv;

	dv = xcalloc(rd->nsla + 1, sizeof *dv);
	pdv = xcalloc(rd->nsla + 1, sizeof *pdv);
	ptv = xcalloc(rd->nsla + 1, sizeof *ptv);
	sla_group(rd, defs, dv, pdv, ptv);
	pg_array_literal(&t->dags, dv, rd->ndags);
	pg_array_literal(&t->pdags, pdv, rd->npairs);
	pg_array_literal(&t->ptasks, ptv, rd->npairs);
	free(dv);
	free(pdv);
	free(ptv);
}

/*
 * The SLAs' attempts in two statements whatever their number, each over
 * the distinct DAGs (or DAG and task pairs) the SLAs name, given as
 * arrays: the DAGs' runs whose day is in [from, to), with Airflow's own
 * verdicts (sla_miss rows or deadline alerts of those runs) and the
 * DAGs the database does not have; and the task SLAs' tasks' instances
 * in those runs, added up per run.  No statement text holds a value.
 * The history is the one a single statement per SLA gave before.
 */
void
afdb_fetch_sla(struct sched *sd, const struct sla_def *const *defs, size_t n,
    int64_t from, int64_t to, struct sla_history *out, sched_cb cb, void *arg)
{
	struct afdb		*db = (struct afdb *)sd;
	const struct af_schema	*s = &db->schema;
	struct sla_read		*rd = xcalloc(1, sizeof *rd);
	struct sla_text		 t;

	memset(&t, 0, sizeof t);
	sla_history_free(out);
	out->nsla = n;
	out->airflow_sla_miss = s->sla_miss;
	out->airflow_deadlines = s->deadline;
	out->unknown_dag = xcalloc(n + 1, sizeof *out->unknown_dag);
	rd->out = out;
	rd->nsla = n;
	rd->cb = cb;
	rd->arg = arg;
	rd->sla_dag = xcalloc(n + 1, sizeof *rd->sla_dag);
	rd->sla_pair = xcalloc(n + 1, sizeof *rd->sla_pair);
	rd->pair_task = xcalloc(n + 1, sizeof *rd->pair_task);
	sla_arrays(rd, defs, &t);
	rd->unknown = xcalloc(rd->ndags + 1, sizeof *rd->unknown);
	fmt_time(&t.from, tz_utc(), from, FMT_ISO);
	fmt_time(&t.to, tz_utc(), to, FMT_ISO);
	fmt_time(&t.lo, tz_utc(), from - SLA_LOGICAL_MARGIN, FMT_ISO);
	fmt_time(&t.hi, tz_utc(), to + SLA_LOGICAL_MARGIN, FMT_ISO);
	t.logical = s->logical_date ? "r.logical_date" : "r.execution_date";
	if (s->run_after)
		buf_printf(&t.day, "coalesce(r.data_interval_end, %s, "
		    "r.run_after)", t.logical);
	else
		buf_printf(&t.day, "coalesce(r.data_interval_end, %s)",
		    t.logical);
	rd->pending = rd->npairs > 0 ? 2 : 1;
	sla_query_runs(db, rd, &t);
	if (rd->npairs > 0)
		sla_query_tis(db, rd, &t);
	buf_free(&t.dags);
	buf_free(&t.pdags);
	buf_free(&t.ptasks);
	buf_free(&t.from);
	buf_free(&t.to);
	buf_free(&t.lo);
	buf_free(&t.hi);
	buf_free(&t.day);
}
