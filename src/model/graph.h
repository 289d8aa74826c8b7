/*
 * graph.h: a DAG's task graph: topological order, depth, transitive
 * downstream.  Built from untrusted data, so a cycle or an edge to an unknown
 * task is reported in the warnings and never crashes or loops.
 */
#ifndef DAGTOP_GRAPH_H
#define DAGTOP_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct graph_task {
	char	*task_id;
	char	*task_type;	/* operator class name, may be NULL */
	bool	 mapped;
	int	 retries;	/* -1 when the DAG does not say */
	size_t	*down;		/* indexes of direct downstream tasks */
	size_t	 ndown;
	size_t	 nup;		/* number of direct upstream tasks */
	int	 depth;		/* longest path from a root; -1 in a cycle */
};

struct graph {
	struct graph_task	*tasks;		/* in the order they were added */
	size_t			 ntasks;
	size_t			*order;		/* topological order, stable */
	size_t			*sorted;	/* by task_id, for lookup */
	struct buf		 warnings;	/* one line per problem found */
	bool			 finished;
};

struct graph	*graph_new(void);
void		 graph_free(struct graph *);
/* Adds a task; a duplicate id is a warning and returns the existing index. */
size_t		 graph_add_task(struct graph *, const char *task_id,
		    const char *task_type, bool mapped, int retries);
/*
 * Records an edge by ids.  Edges may be added before their tasks; both ends
 * are resolved by graph_finish(), which drops and reports dangling ones.
 */
void		 graph_add_edge(struct graph *, const char *from, const char *to);
/*
 * Resolves edges, computes the topological order (Kahn's algorithm, ties
 * broken by insertion order so output is stable) and depths.  Tasks on a
 * cycle are appended after the ordered ones with depth -1 and named in the
 * warnings.
 */
void		 graph_finish(struct graph *);
/* Index of a task id, or (size_t)-1. */
size_t		 graph_find(const struct graph *, const char *task_id);
/*
 * Marks in mark[] (ntasks entries) every task reachable from start, start
 * included, and returns how many it marked anew.  Tasks already marked are
 * taken as walked, so calling it for several starts on one array gives the
 * union of their closures.  Terminates on cycles.
 */
size_t		 graph_downstream(const struct graph *, size_t start, bool *mark);

#endif
