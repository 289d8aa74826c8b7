/*
 * airflow_db_int.h: what the database source's files share and nobody
 * else sees: the connection's state, a request in flight, and the readers
 * of a result's cells (columns are addressed by position in our own SQL).
 */
#ifndef AIRFLOW_DB_INT_H
#define AIRFLOW_DB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "airflow_db.h"

/*
 * How far an incremental read looks back past its last read.  New runs
 * (by dag_run.id, afdb_new_runs_from): the commit lag of the scheduler's
 * loop, which can hold a run it created for as long as the loop lasts.
 * The audit log (log.dttm, written by the clocks of Airflow's hosts, each
 * row committed before the change it announces): the skew of those
 * clocks against the database's, by which the look-back is counted
 * (AFDB_LOG_SINCE), so that this machine's clock does not enter it.
 */
#define AFDB_MARGIN	120
#define AFDB_LOG_MARGIN	30
/* $n as the instant elapsed + AFDB_LOG_MARGIN seconds before now(). */
#define AFDB_LOG_SINCE(n) "now() - make_interval(secs => " n "::int)"
#define AFDB_MARKS	128

/* The highest dag_run.id a read saw, and when (this machine's clock). */
struct afdb_mark {
	int64_t	 at;
	int64_t	 id;
};

/* The database source: a sched, its connection, and the schema it found. */
struct afdb {
	struct sched		 base;		/* first: the vtable */
	struct sched_about	 about;
	struct pg		*pg;
	struct af_schema	 schema;
	struct buf		 warnings;
	char			**columns;
	size_t			 ncolumns;
	bool			 has_alembic;
	bool			 opened;
	sched_cb			 ready;
	sched_cb			 lost;
	void			*arg;
	size_t			 serdag_max;	/* serialized_dag_max */
	/* The run reads' marks, oldest first (afdb_new_runs_from). */
	struct afdb_mark	 marks[AFDB_MARKS];
	size_t			 nmarks;
};

/* One fetch in flight: where its answer goes, and who hears of it. */
struct request {
	struct afdb	*db;
	void		*out;
	struct buf	*warn;
	sched_cb		 cb;
	void		*arg;
};

/* Two queries that fill one list: the user hears once, after both. */
struct pair {
	int	 pending;
	char	*err;
	sched_cb	 cb;
	void	*arg;
};

/* Epoch seconds of a timestamptz expression, NULL stays NULL. */
#define RUNS_PER_DAG_MAX "100000"	/* a bound that is never the limit */
#define EPOCH(x) "floor(extract(epoch FROM " x "))::int8"

/* A run read that began at `at` saw dag_run ids up to id. */
void		 afdb_mark_push(struct afdb *, int64_t at, int64_t id);
/*
 * The dag_run.id above which an incremental read after a read begun at
 * prev_at must look for new runs (every run at or below it was committed
 * before prev_at); -1 when this connection has read no runs yet.
 */
int64_t		 afdb_new_runs_from(const struct afdb *, int64_t prev_at);

/* A request for out, answered by cb(arg, err). */
struct request	*afdb_request_new(struct afdb *, void *out, sched_cb cb,
		    void *arg);
/* Finishes a request: the callback, then the request is gone. */
void		 afdb_request_done(struct request *, const char *err);
/*
 * The callback of each of two queries that fill one list (arg: a struct
 * pair); the user's callback runs once, after both, with the first error.
 */
void		 afdb_pair_done(void *arg, const char *err);

/* Cells: NULL gives NULL, TIME_NONE, dflt, false and -1. */
char		*afdb_col_str(const PGresult *, int row, int col);
int64_t		 afdb_col_time(const PGresult *, int row, int col);
int		 afdb_col_int(const PGresult *, int row, int col, int dflt);
bool		 afdb_col_bool(const PGresult *, int row, int col);
/*
 * The 1-based index our SQL numbered a row with (WITH ORDINALITY) in
 * column col, as *i from 0, checked against n: false when out of range.
 */
bool		 afdb_col_index(const PGresult *, int row, int col, size_t n,
		    size_t *i);
double		 afdb_col_double(const PGresult *, int row, int col);

/* The runs and task instances (airflow_db_runs.c), for the table. */
void	afdb_fetch_runs_since(struct sched *, int64_t since,
	    struct af_runs *, sched_cb, void *);
void	afdb_fetch_runs_recent(struct sched *, const struct sched_recent *,
	    struct af_runs *, sched_cb, void *);
void	afdb_fetch_dag_runs_before(struct sched *, const char *dag_id,
	    const struct af_run *before, int limit, struct af_runs *, sched_cb,
	    void *);
void	afdb_fetch_dag_runs(struct sched *, const char *dag_id, int limit,
	    struct af_runs *, sched_cb, void *);
void	afdb_fetch_run(struct sched *, const char *dag_id,
	    const char *run_id, struct af_runs *, sched_cb, void *);
void	afdb_fetch_tis(struct sched *, const char *dag_id,
	    const char *run_id, struct af_tis *, sched_cb, void *);
void	afdb_fetch_attention_tis(struct sched *,
	    const struct af_run *const *runs, size_t nruns, struct af_tis *,
	    sched_cb, void *);

/*
 * The SQL of sched_fetch_runs_since's two statements, rows `cols` of the
 * run r, since as $1 (airflow_db_runs.c; the blue/green task figures read
 * the same runs).
 */
void	afdb_runs_since_sql(const struct af_schema *, const char *cols,
	    struct buf *win, struct buf *failed);

/* Blue/green: shapes and task figures (airflow_db_compare.c). */
void	afdb_fetch_shapes(struct sched *, struct cmp_shapes *, struct buf *warn,
	    sched_cb, void *);
void	afdb_fetch_task_stats(struct sched *, int64_t since,
	    struct cmp_tasks *, sched_cb, void *);

/* The SLA attempts and the unknown DAGs (airflow_db_sla.c). */
void	afdb_fetch_sla(struct sched *, const struct sla_def *const *,
	    size_t, int64_t from, int64_t to, struct sla_history *, sched_cb,
	    void *);
void	afdb_fetch_unknown_dags(struct sched *, const char *const *dag_ids,
	    size_t, bool *out, sched_cb, void *);

/* The dependencies across DAGs (airflow_db_deps.c). */
void	afdb_fetch_deps(struct sched *, struct dep_facts *, sched_cb, void *);
void	afdb_fetch_dep_state(struct sched *, const struct dep_ask *,
	    struct dep_state *, sched_cb, void *);

#endif
