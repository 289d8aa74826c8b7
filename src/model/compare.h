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
#include "sla.h"
#include "status.h"

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
 * The comparison (compare.c).  The rules, as dagtop(1) states them under
 * `report compare`:
 *
 *  - a DAG is on a side when that side lists it active (2.x is_active, 3.x
 *    not stale); a DAG listed but inactive counts as not there, and is
 *    said so;
 *  - runs are paired across the sides by DAG and logical date (2.x
 *    execution_date, 3.x logical_date); a run without one (a manual run
 *    on 3.x) pairs with nothing;
 *  - a run's duration is end - start, of finished runs only; the success
 *    rate is success / (success + failed); median and p90 as
 *    percentile_disc (cmp_task);
 *  - green is worse in duration when its median exceeds blue's by more
 *    than the threshold (a fraction: 0.20 is 20% longer), in success rate
 *    when it is lower by more than the threshold in points (0.20: twenty
 *    points), both only with at least min_runs finished runs each side;
 *    and it fails where blue succeeds when a logical date has a
 *    successful run on blue and a failed one but no success on green.
 */

/* The two sides. */
enum cmp_which { CMP_BLUE, CMP_GREEN };

/*
 * What one side read, borrowed for compare_build (it must outlive the
 * result).  slas[i] is the evaluation over the window of the i-th SLA
 * definition, the same definitions in the same order on both sides; NULL
 * with nslas 0 when there are none.
 */
struct cmp_side {
	const char		*context;
	const char		*airflow;	/* the source's describe() */
	const char		*kind;		/* "database" | "api" */
	const struct af_dags	*dags;
	const struct cmp_shapes	*shapes;
	const struct af_runs	*runs;		/* sched_fetch_runs_since's */
	const struct cmp_tasks	*tasks;
	const struct sla_eval	*slas;
	size_t			 nslas;
};

struct cmp_options {
	int64_t	 since, now;
	double	 threshold;	/* 0.20 */
	size_t	 top_tasks;	/* how many tasks to list: 10 */
	size_t	 min_runs;	/* runs (task instances) each side for a rate,
				   a duration or a task's change: 3 */
};
/* The defaults above. */
void	 cmp_options_default(struct cmp_options *, int64_t since,
	    int64_t now);

/*
 * The kinds of finding, in the order they are listed within one severity
 * (dagtop(1) describes each).
 */
enum cmp_kind {
	CMP_DOUBLE_RUNNING,	/* CRITICAL */
	CMP_ONLY_ON,		/* the DAG is active on one side only */
	CMP_PAUSED_ON,		/* paused on one side only */
	CMP_IMPORT_ERRORS_ON,	/* import errors on one side only */
	CMP_GRAPH,		/* task graph differs */
	CMP_FAILS,		/* green fails where blue succeeded */
	CMP_SUCCESS_RATE,	/* green's success rate lower */
	CMP_DURATION,		/* green's median run duration longer */
	CMP_TASK,		/* a task slower or failing more on green */
	CMP_SLA,		/* an SLA kept worse on green */
	CMP_NOT_COMPARED,	/* a graph (or SLA) that could not be compared */
	CMP_NKINDS
};

/* The figures of one DAG's runs on one side over the window. */
struct cmp_runstats {
	size_t	 runs, success, failed, unfinished;
	double	 success_rate;	/* success / (success + failed), -1 none */
	double	 median, p90;	/* seconds, of finished runs; -1 none */
	size_t	 ndurations;
};

/* One DAG, both sides (pointers borrowed from the sides). */
struct cmp_dag {
	const char		*dag_id;
	const struct af_dag	*dag[2];	/* NULL: not listed there */
	const struct cmp_shape	*shape[2];	/* NULL: none read */
	struct cmp_runstats	 st[2];
	bool			 present[2];	/* listed and active */
	bool			 graph_compared;
	/* The graph's differences, green against blue (borrowed ids). */
	const char		**tasks_added, **tasks_removed;
	size_t			 ntasks_added, ntasks_removed;
	const char		**edges_added, **edges_removed;
	size_t			 nedges_added, nedges_removed;
	/* Logical dates with runs on both sides; the first and last. */
	size_t			 both_dates;
	int64_t			 first_both, last_both;
	/* Logical dates blue succeeded and green failed; the first. */
	size_t			 fails;
	int64_t			 first_fail;
};

/* One task on both sides, by its change. */
struct cmp_task_change {
	const char		*dag_id, *task_id;
	const struct cmp_task	*t[2];
	double			 median_change;	/* (green - blue) / blue; NAN */
	double			 failed_change;	/* (green - blue) / max(blue, 1) */
	double			 score;		/* the larger magnitude */
	bool			 worse;
};

/* One SLA on both sides. */
struct cmp_sla {
	const struct sla_def	*def;
	const struct sla_eval	*ev[2];
	size_t			 missed[2];	/* late + failed + missing */
	bool			 worse;
};

/*
 * One finding: what, where, how bad.  detail is made here of numbers and
 * fixed words only, never of text from outside (ids are apart, for the
 * writers to defuse).
 */
struct cmp_finding {
	enum cmp_kind		 kind;
	enum verdict		 severity;
	enum cmp_which		 side;		/* the side the fact is on */
	const char		*dag_id;
	const char		*subject;	/* task id, SLA name, or NULL */
	char			*detail;
	const struct cmp_dag	*dag;		/* NULL for an SLA */
};

struct cmp_result {
	enum verdict		 verdict;	/* the worst finding; UNKNOWN:
						   neither side lists a DAG */
	struct cmp_finding	*findings;	/* worst first, then by kind,
						   dag_id, subject */
	size_t			 nfindings;
	size_t			 count[4];	/* findings per severity */
	struct cmp_dag		*dags;		/* by dag_id, bytewise */
	size_t			 ndags;
	struct cmp_task_change	*tasks;		/* the top_tasks, by score */
	size_t			 ntasks;
	struct cmp_sla		*slas;		/* the definitions' order */
	size_t			 nslas;
	double			 threshold;
};

/*
 * Compares green against blue under the rules above.  The result borrows
 * from both sides; free it with cmp_result_free.
 */
void	 compare_build(struct cmp_result *, const struct cmp_side *blue,
	    const struct cmp_side *green, const struct cmp_options *);
void	 cmp_result_free(struct cmp_result *);
const char *cmp_kind_name(enum cmp_kind);	/* "double_running", ... */
const char *cmp_side_name(enum cmp_which);	/* "blue", "green" */
/* "1 critical, 7 warnings, 2 notes", or why nothing was compared. */
void	 cmp_counts_text(struct buf *, const struct cmp_result *);
/*
 * percentile_disc over v[0..n) (sorted here): the first value, in
 * ascending order, at or above which lies the fraction f; -1 when n is 0.
 */
double	 cmp_percentile(double *v, size_t n, double f);

#endif
