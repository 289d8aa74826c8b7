/*
 * af_api.h: the answers of the Airflow REST API, v1 (Airflow 2.7+) and v2
 * (Airflow 3.x), decoded into the model structs the database source fills
 * (airflow.h, slots.h, graph.h).  Pure: no I/O.  One decoder per answer
 * kind; each takes one page as received and the API version (1 or 2) and
 * either appends the page's records or says in one line why the page
 * cannot be read, leaving out as it was.
 *
 * Strict on purpose: an answer whose records lack a key field (dag_id,
 * dag_run_id, task_id, name) or carry one of the wrong type, or a time
 * that does not parse, fails the whole page.  A source must never show
 * less than it read without saying so.
 *
 * The field mappings, v1 -> v2 (-> model):
 *   DAG:  is_active -> NOT is_stale (active); schedule_interval object
 *         -> timetable_summary text (schedule, via schedule_summary);
 *         next_dagrun -> next_dagrun_logical_date (next_run);
 *         next_dagrun_create_after -> next_dagrun_run_after
 *         (next_run_after); owners: a list joined with "," as the dag
 *         table stores it; has_import_errors (import_errors).
 *   run:  dag_run_id (run_id); execution_date -> logical_date
 *         (logical_date); data_interval_end or execution_date -> run_after
 *         (run_after); execution_date -> run_after (order); queued_at: v2
 *         only; clear_number: in neither (0).
 *   TI:   dag_run_id (run_id); map_index; try_number; max_tries;
 *         duration (null: -1); operator; pool; hostname;
 *         rendered_map_index; state null: TI_NONE.
 *   pool: slots; running_slots, queued_slots, scheduled_slots,
 *         deferred_slots; include_deferred.
 *   task: task_id; class_ref.class_name, else operator_name (task_type);
 *         is_mapped; retries (null: -1); downstream_task_ids (edges).
 *   health: {scheduler, triggerer, dag_processor}: {status,
 *         latest_<job>_heartbeat}: seen when either is there; running 1
 *         when a heartbeat is; no hostname (the API has none).
 */
#ifndef DAGTOP_AF_API_H
#define DAGTOP_AF_API_H

#include <stddef.h>
#include <stdint.h>

#include "airflow.h"
#include "graph.h"
#include "slots.h"

struct buf;

/*
 * Each returns how many records the page held (>= 0) and sets *total to
 * its total_entries (the count over all pages; -1 when absent), or -1
 * with one line in err.  api is 1 or 2.
 */
long	af_api_dags(const char *json, size_t len, int api, struct af_dags *,
	    long *total, struct buf *err);
long	af_api_runs(const char *json, size_t len, int api, struct af_runs *,
	    long *total, struct buf *err);
long	af_api_tis(const char *json, size_t len, int api, struct af_tis *,
	    long *total, struct buf *err);
long	af_api_pools(const char *json, size_t len, int api,
	    struct af_pools *, long *total, struct buf *err);
/* Adds the tasks and their edges to g; the caller calls graph_finish. */
long	af_api_tasks(const char *json, size_t len, int api, struct graph *g,
	    long *total, struct buf *err);
/* One DAG run object (GET /dags/{id}/dagRuns/{run}): 0 or -1. */
int	af_api_run(const char *json, size_t len, int api, struct af_runs *,
	    struct buf *err);
/*
 * GET /health (v1) or /monitor/health (v2).  The API gives no clock of
 * its own: out->now is the now given.  0 or -1.
 */
int	af_api_health(const char *json, size_t len, int api, int64_t now,
	    struct af_health *out, struct buf *err);
/* GET /version: *version is the "version" string (allocated). 0 or -1. */
int	af_api_version(const char *json, size_t len, char **version,
	    struct buf *err);
/* The major version of a release string ("2.10.3": 2); 0 if unreadable. */
int	af_api_major(const char *version);

#endif
