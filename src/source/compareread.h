/*
 * compareread.h: one side of a blue/green comparison read through any
 * scheduler source, asynchronously: its DAGs, task graphs (with their
 * warnings), runs since the window's start, task figures and the history
 * of the SLAs common to both sides.  `report compare` and the console's
 * compare pane both read through here, so a finding on the screen is the
 * finding in the report.
 */
#ifndef DAGTOP_COMPAREREAD_H
#define DAGTOP_COMPAREREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "compare.h"
#include "scheduler.h"
#include "sla.h"

struct tz;

/*
 * One side's reads.  The caller fills the inputs (cmp_read_init), starts
 * it on an open source and, once called back without an error, builds its
 * cmp_side from it.  A zeroed struct frees cleanly.
 */
struct cmp_read {
	/* in */
	const struct sla_def	**defs;		/* common to both sides */
	size_t			  ndefs;
	int64_t			  since, now;
	/* out */
	struct af_dags		  dags;
	struct cmp_shapes	  shapes;
	struct buf		  warn;		/* fetch_shapes' warnings */
	struct af_runs		  runs;
	struct cmp_tasks	  tasks;
	struct sla_history	  hist;
	struct sla_eval		 *ev;		/* cmp_read_side's, ndefs */
	/* private */
	sched_cb		  cb;
	void			 *arg;
	int			  pending;
	struct buf		  error;	/* the first */
};

/* The window [since, now] and the SLAs (borrowed) to read. */
void	 cmp_read_init(struct cmp_read *, const struct sla_def **defs,
	    size_t ndefs, int64_t since, int64_t now);
/*
 * Every read at once on s (open).  cb is called once, after every read
 * has ended, with NULL or the first error (a source without the blue/green
 * reads says so).  The struct and s must stay until then.
 */
void	 cmp_read_start(struct cmp_read *, struct sched *s, sched_cb cb,
	    void *arg);
/*
 * The side as compare_build takes it: the SLAs evaluated over the
 * window's local days in zones[i] (each SLA's), the rest borrowed from r
 * and s; airflow and warnings (the source's, then the graphs') are filled
 * here and must outlive *out.
 */
void	 cmp_read_side(struct cmp_read *, const struct sched *s,
	    const char *context, struct tz *const *zones, struct buf *airflow,
	    struct buf *warnings, struct cmp_side *out);
void	 cmp_read_free(struct cmp_read *);

#endif
