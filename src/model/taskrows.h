/*
 * taskrows.h: the task instances of one run as rows to show, in the task
 * graph's topological order with their depth, a mapped task folded into
 * one row with counts per state.  The tasks pane and `report run` both
 * draw from this.
 */
#ifndef DAGTOP_TASKROWS_H
#define DAGTOP_TASKROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "airflow.h"
#include "graph.h"

struct task_row {
	const struct af_ti	*ti;	/* the instance, or the first of a mapped task */
	size_t			 nti;	/* instances behind the row (> 1: mapped) */
	int			 depth;	/* in the graph; 0 without one */
	bool			 mapped;
	bool			 in_graph;	/* false: the graph does not know it */
	enum ti_state		 state;	/* the row's state: see taskrows.c */
	size_t			 counts[TI_NSTATES];	/* per state, over nti */
};

struct task_rows {
	struct task_row	*v;
	size_t		 n;
	bool		 ordered;	/* false when there was no usable graph */
};

/*
 * Builds the rows.  tis must be sorted by task_id then map_index (as
 * sched_fetch_tis returns them) and outlive the rows.  With g NULL the rows
 * keep the task_id order and ordered is false.
 */
void	task_rows_build(struct task_rows *, const struct graph *g,
	    const struct af_tis *tis);
void	task_rows_free(struct task_rows *);

/*
 * The one wording of tries, "2 of 3": attempt try_number of at most
 * max_tries + 1 (Airflow's max_tries counts the retries; a clear raises
 * it, and a try beyond it raises the most shown).  Writes at most 24
 * bytes to out.  The tasks pane's TRY cell, the log pane's title ("try 2
 * of 3"), the details pane and the reports all say it so.
 */
void	ti_try_text(char *out, size_t size, int try_number, int max_tries);

#endif
