/*
 * bigquery.h: BigQuery's REST API, jobs.query and getQueryResults, on the
 * event loop.  A query is POSTed to projects/{project}/queries (standard
 * SQL, the configured location); while the job is not complete it is
 * polled with GET projects/{project}/queries/{jobId}, and then every page
 * is read by its pageToken.  Rows are decoded with their schema
 * (slots.h); the answers are read by bq_answer.h.  401 fetches a new
 * token once; 429, 5xx and backendError are retried with backoff (the
 * POST too: its requestId makes it idempotent).  Errors read "reason:
 * message".
 */
#ifndef DAGTOP_BIGQUERY_H
#define DAGTOP_BIGQUERY_H

#include <stdint.h>

#include <jansson.h>

#include "bq_answer.h"

struct loop;
struct http;
struct gauth;
struct bq;
struct bq_query;

struct bq_opts {
	const char	*base_url;	/* NULL: $DAGTOP_BIGQUERY_URL, else Google's */
	const char	*project;	/* the project that runs (and pays for) the jobs */
	const char	*location;	/* "US", "EU", "asia-northeast1" */
	long		 timeout_ms;	/* a whole query; 0: 5 minutes */
	int		 page_rows;	/* maxResults; 0: BigQuery's own */
};

/* res is NULL and err says why on failure; res is valid during the call. */
typedef void (*bq_cb)(void *arg, struct bq_result *res, const char *err);

struct bq	*bq_new(struct loop *, struct http *, struct gauth *,
		    const struct bq_opts *);
/* Cancels the queries in flight without calling back. */
void		 bq_free(struct bq *);
/* Starts a query; cb is called once, never before this returns. */
struct bq_query	*bq_query(struct bq *, const char *sql, bq_cb, void *arg);
/*
 * The same with named query parameters: params is the jobs.query
 * queryParameters array ([{"name", "parameterType", "parameterValue"}]),
 * kept (a reference is taken) until the query ends.
 */
struct bq_query	*bq_query_params(struct bq *, const char *sql, json_t *params,
		    bq_cb, void *arg);
/* Stops a query; its callback is not called. */
void		 bq_cancel(struct bq_query *);

#endif
