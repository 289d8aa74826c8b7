/*
 * airflow_db.h: the Airflow metadata database as a source.  Connects
 * (asynchronously, read-only), detects the Airflow version and features,
 * then answers fetches into model structs.  One SQL text per question and
 * per schema generation; every value from outside goes in as a parameter.
 */
#ifndef DAGTOP_AIRFLOW_DB_H
#define DAGTOP_AIRFLOW_DB_H

#include <stdint.h>

#include "airflow.h"
#include "graph.h"
#include "schema.h"
#include "sla.h"
#include "slots.h"

struct loop;
struct db_params;
struct afdb;

/* err is NULL on success, else one line for the user. */
typedef void (*afdb_cb)(void *arg, const char *err);

/*
 * Connects and detects the schema; ready is called once either way.
 * timeout_ms guards the connection and each query.  When an open
 * connection is later lost, lost (if not NULL) is called once.
 */
struct afdb	*afdb_open(struct loop *, const struct db_params *,
		    int timeout_ms, afdb_cb ready, afdb_cb lost, void *arg);
/*
 * The largest serialized DAG read, inflated (serialized_dag_max; the
 * default is SERDAG_MAX_DEFAULT): a larger one fails that DAG's graph.
 */
void		 afdb_set_serdag_max(struct afdb *, size_t);
void		 afdb_free(struct afdb *);
const struct af_schema *afdb_schema(const struct afdb *);
/* Notes from detection (an unknown revision), "" when none. */
const char	*afdb_warnings(const struct afdb *);
/* "Airflow 2.10.3-2.11 (5f2621c13b39)" or "Airflow 3.x (unknown ...)". */
void		 afdb_describe(const struct afdb *, struct buf *);

/*
 * Each fetch fills *out (which must stay valid until cb is called) and then
 * calls cb.  On error *out holds whatever was read before (nothing).
 */
void	afdb_fetch_health(struct afdb *, struct af_health *out, afdb_cb,
	    void *arg);
void	afdb_fetch_dags(struct afdb *, struct af_dags *out, afdb_cb, void *arg);
/*
 * Runs that belong to the window since `since` (epoch seconds): those whose
 * run_after (3.x), or data interval end or logical date (2.x), is in it, every
 * unfinished run, and every failed run that ended in it.
 */
void	afdb_fetch_runs_since(struct afdb *, int64_t since,
	    struct af_runs *out, afdb_cb, void *arg);
/*
 * The newest `per_dag` runs of every DAG, grouped by DAG, newest first
 * within a DAG as Airflow orders them (execution_date on 2.x, run_after on
 * 3.x: af_run.order): only dag_id (one copy per DAG, shared), run_id, state,
 * run_after, order, start_date and end_date are read; the other instants
 * are TIME_NONE, run_type NULL.  What the run strips draw, and no more.
 */
void	afdb_fetch_runs_recent(struct afdb *, int per_dag,
	    struct af_runs *out, afdb_cb, void *arg);
/*
 * The newest `limit` runs of one DAG, newest first as Airflow orders them
 * (af_run.order): after a manual run, that run, on 2.x as on 3.x.
 */
void	afdb_fetch_dag_runs(struct afdb *, const char *dag_id, int limit,
	    struct af_runs *out, afdb_cb, void *arg);
/* One run by its id (0 or 1 element in *out). */
void	afdb_fetch_run(struct afdb *, const char *dag_id, const char *run_id,
	    struct af_runs *out, afdb_cb, void *arg);
/* Every task instance of one run. */
void	afdb_fetch_tis(struct afdb *, const char *dag_id, const char *run_id,
	    struct af_tis *out, afdb_cb, void *arg);
/*
 * Failed, upstream_failed and up_for_retry task instances of these runs,
 * sorted bytewise by dag_id, run_id, task_id (status_run_tis relies on it).
 */
void	afdb_fetch_attention_tis(struct afdb *, const struct af_run *const *,
	    size_t, struct af_tis *out, afdb_cb, void *arg);
/*
 * The task graph of a DAG from serialized_dag: the version the run was
 * created with on 3.x (run_id may be NULL for the latest).  *out is NULL
 * and the reason is in warn when the stored document is unreadable; that
 * is not an error (cb gets NULL), the tasks can still be listed.
 */
void	afdb_fetch_graph(struct afdb *, const char *dag_id, const char *run_id,
	    struct graph **out, struct buf *warn, afdb_cb, void *arg);
/* Every pool with the slots its task instances take, by state. */
void	afdb_fetch_pools(struct afdb *, struct af_pools *out, afdb_cb,
	    void *arg);

/*
 * The log_filename_template the run was made with (log_template.filename
 * for dag_run.log_template_id); *out stays NULL when the run has none.
 */
void	afdb_fetch_log_template(struct afdb *, const char *dag_id,
	    const char *run_id, char **out, afdb_cb, void *arg);

/*
 * The attempts of these SLAs whose data interval ends in [from, to): the
 * DAG's runs, or the SLA's task in them, with Airflow's own verdict
 * (sla_miss on 2.x, deadline alerts on 3.1+) where the database has it;
 * and out->unknown_dag[i] for each SLA whose DAG has no row in dag.
 */
void	afdb_fetch_sla(struct afdb *, const struct sla_def *const *, size_t,
	    int64_t from, int64_t to, struct sla_history *out, afdb_cb,
	    void *arg);

/*
 * out[i] = whether dag_ids[i] has no row in dag (a DAG gone from the files
 * keeps its row and is known): `config check` warns of an SLA on one.
 * out holds n flags and must stay valid until cb is called.
 */
void	afdb_fetch_unknown_dags(struct afdb *, const char *const *dag_ids,
	    size_t n, bool *out, afdb_cb, void *arg);

#endif
