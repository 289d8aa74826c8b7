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
 * Appends url to out without what may be a secret: user:password@ and
 * the query and fragment are left out ("https://host:8080/prefix").
 */
void	clear_url_shown(struct buf *out, const char *url);

#endif
