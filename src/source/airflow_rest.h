/*
 * airflow_rest.h: the Airflow REST API, v1 (Airflow 2.7+) and v2 (3.x), as
 * a scheduler source (scheduler.h, kind "api"): the same model structs as the
 * database source, through the API's list endpoints, the cross-DAG `~`
 * batch lists and their state and date filters, every list followed to
 * its last page.  What the API cannot give is said per fetch (an error
 * line) and in dagtop(1)'s table, never silently less.
 */
#ifndef DAGTOP_AIRFLOW_REST_H
#define DAGTOP_AIRFLOW_REST_H

#include "airflow_api.h"
#include "scheduler.h"

struct loop;
struct buf;

/*
 * Makes the client and detects the version (GET /version under /api/v2,
 * then /api/v1); ready is called once either way, from the loop.  NULL
 * with the reason in err when the settings cannot work (no airflow_api,
 * incomplete auth).  page_limit: the largest page asked for (<= 0: 100,
 * Airflow's default maximum_page_limit).
 */
struct sched	*airflow_rest_open(struct loop *, const struct airflow_api_opts *,
		    const struct http_opts *, int page_limit, sched_cb ready,
		    void *arg, struct buf *err);
/* The requests made so far (reads and read-only POSTs): for notes. */
long		 airflow_rest_requests(const struct sched *);

#endif
