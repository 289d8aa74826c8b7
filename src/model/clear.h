/*
 * clear.h: Airflow's clearTaskInstances, the rerun of a task and what
 * follows it, as a request body and an answer (airflow.md 4 and 5.1).
 * Pure: the body is built and the answer read here; the source layer sends
 * it through the write gate (airflow_api_post).
 */
#ifndef DAGTOP_CLEAR_H
#define DAGTOP_CLEAR_H

#include <stdbool.h>
#include <stddef.h>

#include "airflow.h"
#include "buf.h"

/* What to clear in one run of one DAG. */
struct clear_request {
	const char		*dag_run_id;
	const char *const	*task_ids;
	const int		*map_indexes;	/* per task, -1 the whole task;
						   NULL: all whole */
	size_t			 ntasks;
	bool			 include_downstream;
	bool			 only_failed;
	bool			 dry_run;
};

/*
 * The JSON body for Airflow `major` (2 or 3), NUL-terminated; free it.
 * Every field is explicit, since the defaults bite: reset_dag_runs true
 * (2.x leaves the run failed without it), include_upstream false,
 * only_running false.  2.x has no map index in task_ids, so a mapped task
 * is cleared whole there; 3.x gets [task_id, map_index] pairs when a map
 * index is given, and no field its schema lacks (it answers 422 to those).
 */
char	*clear_body(const struct clear_request *, int major);

/* One task instance the answer names. */
struct clear_ti {
	char	*task_id;
	char	*dag_run_id;
	int	 map_index;	/* -1 when the answer has none (2.x) */
};

struct clear_result {
	struct clear_ti	*v;
	size_t		 n;
};

/*
 * Reads a 200 answer of either version ({"task_instances": [...]}).  The
 * states in it are not used: the database says what happened.  Returns 0,
 * or -1 with one line in err.
 */
int	clear_parse(const char *body, size_t len, struct clear_result *,
	    struct buf *err);
void	clear_result_free(struct clear_result *);
/* True when the answer names this instance (a -1 map index names them all). */
bool	clear_result_has(const struct clear_result *, const char *task_id,
	    int map_index);

/* How the answer to a clear (not a dry run) is to be read. */
enum clear_outcome {
	CLEAR_DONE,		/* answered: these instances were cleared */
	CLEAR_FAILED,		/* refused or never sent: nothing was cleared */
	CLEAR_UNKNOWN		/* sent, no usable answer: may have been */
};

/* Where a transport error (no HTTP answer) happened. */
enum clear_transport {
	CLEAR_NET_OK,		/* an HTTP answer came */
	CLEAR_NET_UNSENT,	/* before the request left: refused
				   connection, TLS handshake, login */
	CLEAR_NET_LOST		/* after: timeout, reset, answer too big */
};

/*
 * The outcome of a clear from its answer: a 2xx whose body parsed is
 * done; 4xx (and any other status below 500) failed; a 5xx (a gateway's
 * 502/503/504 as much as a 500 after the commit), a 2xx that cannot be
 * read, or a lost answer is unknown.
 */
enum clear_outcome clear_outcome_of(enum clear_transport, long status,
		    bool parsed);

/* Exit statuses of `dagtop clear`, as dagtop(1) documents them. */
#define CLEAR_EXIT_OK		0	/* cleared, or the dry run shown */
#define CLEAR_EXIT_FAILED	1	/* refused or failed: nothing cleared */
#define CLEAR_EXIT_CANNOT	3	/* cannot tell: config, database */
#define CLEAR_EXIT_UNKNOWN	4	/* sent, outcome unknown */


/*
 * What a rerun will do, as the modal lists it: one line per task instance
 * the answer names, each once.  An answer's entry without a map index (2.x)
 * names every instance of its task in the run, so it is a line per
 * instance the run has (or one line, state unknown, when the run's
 * instances are not known).  The chosen tasks come first, in the order
 * they were chosen, then the rest in `order` (task ids in graph order),
 * then any left, in the answer's order; instances of one task by map
 * index.  The count of a rerun is the number of its lines.
 */
struct clear_line {
	const char		*task_id;	/* borrowed from the answer */
	int			 map_index;	/* -1 when not mapped */
	const struct af_ti	*ti;		/* NULL: not in tis */
	bool			 chosen;	/* one of the chosen tasks */
};

struct clear_plan {
	struct clear_line	*v;
	size_t			 n;
	size_t			 nchosen;	/* lines of chosen tasks */
	size_t			 nsuccess;	/* lines in state success */
};

/*
 * tis: the run's task instances (NULL when unknown); chosen: the task ids
 * the user chose (chosen_mi their map indexes, -1 whole, or NULL).
 */
void	clear_plan_build(struct clear_plan *, const struct clear_result *,
	    const char *const *chosen, const int *chosen_mi, size_t nchosen,
	    const char *const *order, size_t norder, const struct af_tis *tis);
void	clear_plan_free(struct clear_plan *);
/*
 * The modal's title: "rerun transform and 4 downstream", "rerun extract"
 * (nothing downstream), "rerun a, b and 3 downstream", "rerun 3 tasks and
 * 5 downstream"; a mapped instance as "process[2]".  The downstream count
 * is the plan's lines outside the chosen tasks.
 */
void	clear_plan_title(struct buf *, const struct clear_plan *,
	    const char *const *chosen, const int *chosen_mi, size_t nchosen);
/*
 * "16 of 17 succeeded" when most of the lines (more than half) are in
 * state success: clearing redoes that work.  Returns false, and writes
 * nothing, otherwise.
 */
bool	clear_plan_succeeded(struct buf *, const struct clear_plan *);

#endif
