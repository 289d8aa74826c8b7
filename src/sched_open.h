/*
 * sched_open.h: opening a context's scheduler source, whichever it is:
 * the Airflow metadata database (source = database, airflow_db.h) or the
 * Airflow REST API (source = api, airflow_rest.h).  Every caller that
 * reads DAGs, runs or tasks opens it here, so none knows which it got.
 */
#ifndef DAGTOP_SCHED_OPEN_H
#define DAGTOP_SCHED_OPEN_H

#include "scheduler.h"

struct loop;
struct settings;
struct buf;

/*
 * Opens the source of s->source; opened is called once, from the loop,
 * when it is ready or failed; lost (if not NULL) when a database
 * connection is later lost (the API has no connection to lose).  NULL
 * with one line in err when the settings cannot work (a bad connection
 * string, no airflow_api, incomplete auth): nothing is called then.
 * Database requests are guarded by statement_timeout + 5 seconds.
 */
struct sched	*sched_open_context(struct loop *, const struct settings *,
		    sched_cb opened, sched_cb lost, void *arg, struct buf *err);
/* The same with a time limit of its own for the database's requests. */
struct sched	*sched_open_timeout(struct loop *, const struct settings *,
		    int timeout_ms, sched_cb opened, sched_cb lost, void *arg,
		    struct buf *err);
/* Whether the context reads through the API ("api"), not a database. */
bool		 sched_context_api(const struct settings *);

#endif
