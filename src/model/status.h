/*
 * status.h: the state of an Airflow deployment over a window of time, as
 * the status report and the console's header state it: scheduler health,
 * run counts, the runs that need attention, and the verdict with its exit
 * status (DESIGN.md: 0 all good, 1 needs attention, 2 critical).
 */
#ifndef DAGTOP_STATUS_H
#define DAGTOP_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "airflow.h"

enum verdict {
	VERDICT_OK = 0,
	VERDICT_WARNING = 1,	/* failed runs, import errors, triggerer down */
	VERDICT_CRITICAL = 2,	/* scheduler down */
	VERDICT_UNKNOWN = 3,	/* could not tell */
};

struct status {
	int64_t			 now;
	int64_t			 since;
	int			 threshold;
	enum health		 job[AF_NJOBS];
	size_t			 runs_by_state[RUN_NSTATES];
	size_t			 nruns;
	size_t			 ndags, nactive, npaused, nimport_errors;
	/* Failed, running and queued runs, failed first, newest first. */
	const struct af_run	**attention;
	size_t			 nattention;
	enum verdict		 verdict;
	struct buf		 summary;	/* one line: "WARNING: 2 failed runs ..." */
};

/*
 * Builds the status from what the sources read.  runs are those of the
 * window (sched_fetch_runs_since); the struct borrows them, so they must
 * outlive it.
 */
void		 status_build(struct status *, const struct af_health *,
		    const struct af_dags *, const struct af_runs *,
		    int64_t since, int threshold);
void		 status_clear(struct status *);
const char	*verdict_name(enum verdict);	/* "OK", "WARNING", ... */

/*
 * The task instances of tis that belong to run, in the order given (tis
 * must be sorted by dag_id, run_id, as afdb returns them).  Returns the
 * first index and sets *n.
 */
size_t		 status_run_tis(const struct af_tis *, const struct af_run *,
		    size_t *n);

#endif
