/*
 * compare.h: blue/green, two Airflow environments side by side (issue 20).
 * Pure: what each side's source read (the facts below) in, the differences
 * an upgrade team must see out; no I/O, no clock.
 *
 * The facts are read per side through the scheduler source
 * (sched_fetch_shapes, sched_fetch_task_stats, and the existing
 * fetch_dags, fetch_runs_since and fetch_sla), whatever the side's Airflow
 * version (2.7 to 3.2) and whether it is read through its database or its
 * REST API; compare_build sees no difference.
 */
#ifndef DAGTOP_COMPARE_H
#define DAGTOP_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "airflow.h"
#include "buf.h"

struct graph;

/* ----------------------------------------------------------------------
 * The facts (the sources fill these).
 */

/*
 * One DAG's task graph as its newest serialized DAG (database) or its
 * tasks endpoint (API) gives it: task ids, and edges as "UP\tDOWN" (an
 * upstream task id, a tab, a downstream task id), both sorted bytewise,
 * no duplicates.  Task groups are not nodes: their tasks are, by their
 * full ids ("group.task").  unknown: the DAG has no serialized DAG or it
 * could not be read (why in the fetch's warnings): not compared.
 */
struct cmp_shape {
	char	 *dag_id;
	char	**tasks;
	size_t	  ntasks;
	char	**edges;
	size_t	  nedges;
	bool	  unknown;
};

/* Every DAG's shape, sorted by dag_id bytewise. */
struct cmp_shapes {
	struct cmp_shape	*v;
	size_t			 n;
};

/*
 * One task's figures over a window: its task instances in the runs of
 * the window (sched_fetch_runs_since's runs) that ended: how many, how
 * many failed (failed and upstream_failed are not the task's own: failed
 * only), and the median and 90th percentile of the successful ones'
 * durations in seconds (-1 when none succeeded), as PostgreSQL's
 * percentile_disc gives them: the first duration, in ascending order,
 * at or above which lies the fraction.
 */
struct cmp_task {
	char	*dag_id;
	char	*task_id;
	size_t	 n;
	size_t	 failed;
	double	 median, p90;
};

/* Sorted by dag_id, then task_id, bytewise. */
struct cmp_tasks {
	struct cmp_task	*v;
	size_t		 n;
};

void	 cmp_shapes_free(struct cmp_shapes *);
void	 cmp_tasks_free(struct cmp_tasks *);
/* Sorts and removes duplicates of a shape's tasks and edges. */
void	 cmp_shape_finish(struct cmp_shape *);
/*
 * A shape's tasks and edges from a finished task graph (graph.h: edges to
 * unknown tasks already dropped), finished; what both sources use, so that
 * the database's serialized DAG and the API's tasks give the same shape.
 */
void	 cmp_shape_from_graph(struct cmp_shape *, const struct graph *);
/* Sorts a list of shapes by dag_id (sources fill in any order). */
void	 cmp_shapes_sort(struct cmp_shapes *);
/*
 * The per-task figures from task instances (what an API source reads: the
 * instances of the window's runs), the same rules as the database's
 * statement; tis need not be sorted.  *out is sorted.
 */
void	 cmp_tasks_from_tis(const struct af_tis *, struct cmp_tasks *out);

/* ----------------------------------------------------------------------
 * The comparison (compare.c): see below.
 */

#endif
