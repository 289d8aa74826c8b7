/*
 * airflow_log.h: fetches one try of a task instance's log into a spool,
 * from the Airflow REST API (v1 text on 2.x, v2 structured entries on 3.x)
 * or from the log folder on the scheduler host, and follows it while the
 * task runs.  Never blocks: HTTP through the loop, files read in slices.
 */
#ifndef DAGTOP_AIRFLOW_LOG_H
#define DAGTOP_AIRFLOW_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "logspool.h"

struct loop;
struct airflow_api;
struct logfetch;

/* Which log: one try of one task instance. */
struct log_target {
	const char	*dag_id;
	const char	*run_id;
	const char	*task_id;
	int		 map_index;	/* -1 when not mapped */
	int		 try_number;	/* >= 1 */
	int		 major;		/* Airflow 2 or 3 */
	const char	*log_template;	/* the run's, or NULL for the default */
	const char	*ts;		/* logical date, for legacy templates */
	bool		 running;	/* follow it */
	int		 spool_max_mib;	/* log_spool_max; 0 for the default */
};

enum logfetch_state {
	LOGF_LOADING,		/* the first answer has not ended */
	LOGF_FOLLOWING,		/* complete so far; polling for more */
	LOGF_DONE,		/* the whole log is in */
	LOGF_FAILED		/* see logfetch_error */
};

/* Called whenever lines arrive or the state changes. */
typedef void (*logfetch_cb)(void *arg);

/*
 * Starts fetching: from the API when api is not NULL, else from the log
 * folder.  Returns NULL with a reason in err when neither is possible.
 * The target's strings are copied.
 */
struct logfetch	*logfetch_start(struct loop *, struct airflow_api *api,
		    const char *log_folder, const struct log_target *,
		    logfetch_cb, void *arg, struct buf *err);
/* Cancels what is in flight (a moved selection) and frees everything. */
void		 logfetch_free(struct logfetch *);
struct logspool	*logfetch_spool(struct logfetch *);
enum logfetch_state logfetch_state(const struct logfetch *);
/* Why it failed (unsanitised, one line); "" otherwise. */
const char	*logfetch_error(const struct logfetch *);
/* The HTTP status of a failure, 0 when there was none (for the 404 hint). */
long		 logfetch_status(const struct logfetch *);
/* "API v1", "API v2" or the file's path: where the text comes from. */
const char	*logfetch_source(const struct logfetch *);
/*
 * When the fetch started and when its first body bytes came (0 before),
 * on the loop's clock: for the bench (DAGTOP_TRACE_LOG).
 */
void		 logfetch_times(const struct logfetch *, int64_t *start_ms,
		    int64_t *first_data_ms);
/* The task is no longer running: read what is left, then stop. */
void		 logfetch_stop_following(struct logfetch *);

#endif
