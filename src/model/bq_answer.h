/*
 * bq_answer.h: what BigQuery's answers say, decoded without I/O.  A query
 * is a jobs.query POST, getQueryResults GETs while the job runs and for
 * each next page, and sometimes a final jobs.get for the bytes billed;
 * bq_answer_query and bq_answer_job read one answer each into the query's
 * state and say which step comes next.  bigquery.c sends the steps.
 */
#ifndef DAGTOP_BQ_ANSWER_H
#define DAGTOP_BQ_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "slots.h"

struct bq_result {
	struct bq_table	 table;		/* the callback may take it (memset) */
	int64_t		 bytes_billed;	/* -1: jobs.get could not tell */
	int64_t		 bytes_processed;
	char		 job_id[128];
	int		 pages;
	int		 polls;		/* answers with jobComplete false */
};

/* A query's progress through its answers. */
struct bq_state {
	struct bq_result res;
	char		*job_project;	/* jobReference's, NULL: the client's */
	char		*job_location;
	char		*page_token;	/* the next page's, NULL: none */
	bool		 complete;	/* jobComplete seen */
	bool		 billed_seen;	/* totalBytesBilled was in an answer */
};

enum bq_next {
	BQ_NEXT_FAIL,	/* err says why */
	BQ_NEXT_POLL,	/* the job runs: ask getQueryResults again, later */
	BQ_NEXT_PAGE,	/* getQueryResults for page_token */
	BQ_NEXT_STATS,	/* the rows are in: jobs.get for the bytes billed */
	BQ_NEXT_DONE
};

/* A fresh state: no rows, total_rows unknown. */
void		 bq_state_init(struct bq_state *);
void		 bq_state_free(struct bq_state *);
/*
 * A 2xx answer of jobs.query or getQueryResults: the job reference (from
 * the first answer that has one), jobComplete, the bytes (from the first
 * complete answer), the page's rows and the next pageToken.
 */
enum bq_next	 bq_answer_query(struct bq_state *, const char *body,
		    size_t len, struct buf *err);
/*
 * A 2xx answer of jobs.get: statistics.query.totalBytesBilled and
 * totalBytesProcessed, the authoritative figures once the job is done; a
 * field that is absent leaves what the query's answers said.
 */
enum bq_next	 bq_answer_job(struct bq_state *, const char *body,
		    size_t len, struct buf *err);
/* BigQuery's own "try again" error reasons (bq_error_reason). */
bool		 bq_reason_retryable(const char *reason);

#endif
