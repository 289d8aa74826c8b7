/*
 * depread.h: the two dependency questions read through any scheduler
 * source, asynchronously: what a failed task holds back (impact) and why a
 * DAG or an SLA is late (why).  Each chains a bounded number of source
 * fetches (on the database: the graph's facts in at most two statements,
 * the failed DAG's task graph in one, the state of what the walk touched in
 * one) and the pure walks of depgraph.h.  The console and the reports call
 * these, so a number on the screen equals the number in a report.
 */
#ifndef DAGTOP_DEPREAD_H
#define DAGTOP_DEPREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "depgraph.h"
#include "scheduler.h"

struct tz;
/*
 * A graph with the answers still borrowing from it: freed when the cache
 * has let it go (a newer read) and no answer built on it is left.
 * Private to depread.c.
 */
struct dep_graph_hold;

/*
 * The dependency graph as last read, shared by every question until it is
 * older than the caller's limit (the console keeps one per context; a
 * report reads it once).  graph is NULL until the first read ends.  A
 * zeroed struct is an empty cache.
 */
struct dep_cache {
	struct depgraph		*graph;
	int64_t			 read_at;	/* this machine's clock, epoch s */
	struct dep_graph_hold	*hold;		/* private */
};
void	 dep_cache_free(struct dep_cache *);

/* The SLAs the impact names (the caller's configured SLAs). */
struct dep_slas {
	const struct sla_def *const	*defs;
	const struct tz *const		*zones;	/* each SLA's zone */
	size_t				 n;
};

/*
 * An answer's item, link and id strings are borrowed from the graph it was
 * built on (graph, which stays valid until the answer is freed, even when
 * the cache reads a newer one: depgraph_gaps(graph) says what the source
 * could not give) and from its own state.
 */
struct impact_answer {
	const struct depgraph	*graph;
	struct dep_graph_hold	*hold;		/* private */
	struct graph		*tg;		/* the failed DAG's task graph */
	struct dep_impact	 impact;
	struct dep_state	 state;
	struct buf		 line;		/* dep_impact_line() */
	struct buf		 warnings;	/* graph, facts and walk warnings */
	int			 statements;	/* source fetches made */
};

/*
 * What dag_id.task_id of run_id holds back.  The graph comes from cache when
 * it is younger than max_age seconds, else is read into it.  dags (may be
 * NULL) and slas (may be NULL) as for dep_impact and dep_impact_slas; the
 * SLA days are evaluated at the database clock.  cb gets NULL or one line;
 * the pointers must stay valid until then.
 */
void	 impact_read(struct sched *, struct dep_cache *, int max_age,
	    const char *dag_id, const char *run_id, const char *task_id,
	    const struct af_dags *dags, const struct dep_slas *slas,
	    struct impact_answer *out, sched_cb cb, void *arg);
void	 impact_answer_free(struct impact_answer *);

struct why_answer {
	const struct depgraph	*graph;		/* as impact_answer's */
	struct dep_graph_hold	*hold;		/* private */
	struct dep_why		 why;
	struct dep_state	 state;
	struct buf		 warnings;
	int			 statements;
};

/*
 * Why dag_id has not run (or its SLA is at risk): dep_why over the state
 * read for what dep_upstream_ask names (max_depth hops).  zone as dep_why.
 */
void	 why_read(struct sched *, struct dep_cache *, int max_age,
	    const char *dag_id, int max_depth, const struct tz *zone,
	    struct why_answer *out, sched_cb cb, void *arg);
void	 why_answer_free(struct why_answer *);

#endif
