/*
 * bq_answer.c: BigQuery's jobs.query, getQueryResults and jobs.get answers
 * read into a query's state (bq_answer.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bq_answer.h"

void
bq_state_init(struct bq_state *st)
{
	memset(st, 0, sizeof *st);
	st->res.table.total_rows = -1;
}

void
bq_state_free(struct bq_state *st)
{
	free(st->job_project);
	free(st->job_location);
	free(st->page_token);
	bq_table_free(&st->res.table);
	memset(st, 0, sizeof *st);
}

bool
bq_reason_retryable(const char *r)
{
	return strcmp(r, "backendError") == 0 ||
	    strcmp(r, "rateLimitExceeded") == 0 ||
	    strcmp(r, "internalError") == 0;
}

/* An int64 BigQuery sends as a string (or, leniently, a number); else 0. */
static int64_t
json_int64(const json_t *v)
{
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	if (json_is_integer(v))
		return json_integer_value(v);
	return 0;
}

/* The body as a JSON object, or NULL with err set. */
static json_t *
load_object(const char *body, size_t len, struct buf *err)
{
	json_t *doc = json_loadb(body != NULL ? body : "", len, 0, NULL);

	if (!json_is_object(doc)) {
		json_decref(doc);
		buf_puts(err, "not a JSON object");
		return NULL;
	}
	return doc;
}

static char *
dup_string(const json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? xstrdup(s) : NULL;
}

/* jobReference, from the first answer that has one. */
static void
job_reference(struct bq_state *st, const json_t *doc)
{
	const json_t	*ref = json_object_get(doc, "jobReference");
	const char	*s;

	if (!json_is_object(ref) || st->res.job_id[0] != '\0')
		return;
	s = json_string_value(json_object_get(ref, "jobId"));
	if (s != NULL)
		snprintf(st->res.job_id, sizeof st->res.job_id, "%s", s);
	free(st->job_project);
	st->job_project = dup_string(json_object_get(ref, "projectId"));
	free(st->job_location);
	st->job_location = dup_string(json_object_get(ref, "location"));
}

/* What follows a complete page: the next page, jobs.get, or the end. */
static enum bq_next
after_page(struct bq_state *st, const json_t *doc, struct buf *err)
{
	const char *s = json_string_value(json_object_get(doc, "pageToken"));

	free(st->page_token);
	st->page_token = s != NULL && *s != '\0' ? xstrdup(s) : NULL;
	if (st->page_token == NULL)
		return st->billed_seen || st->res.job_id[0] == '\0' ?
		    BQ_NEXT_DONE : BQ_NEXT_STATS;
	if (st->res.job_id[0] == '\0') {
		buf_puts(err, "a pageToken without a jobId");
		return BQ_NEXT_FAIL;
	}
	return BQ_NEXT_PAGE;
}

enum bq_next
bq_answer_query(struct bq_state *st, const char *body, size_t len,
    struct buf *err)
{
	json_t		*doc = load_object(body, len, err);
	enum bq_next	 next;

	if (doc == NULL)
		return BQ_NEXT_FAIL;
	job_reference(st, doc);
	if (!json_is_true(json_object_get(doc, "jobComplete"))) {
		json_decref(doc);
		if (st->res.job_id[0] == '\0') {
			buf_puts(err, "an incomplete job without a jobId");
			return BQ_NEXT_FAIL;
		}
		st->res.polls++;
		return BQ_NEXT_POLL;
	}
	if (!st->complete) {
		/*
		 * jobs.query's answer carries totalBytesBilled; getQueryResults'
		 * has no such field, so a slow query asks jobs.get at the end.
		 */
		st->complete = true;
		st->billed_seen = json_object_get(doc, "totalBytesBilled") !=
		    NULL;
		st->res.bytes_billed = json_int64(json_object_get(doc,
		    "totalBytesBilled"));
		st->res.bytes_processed = json_int64(json_object_get(doc,
		    "totalBytesProcessed"));
	}
	if (bq_table_add_page(&st->res.table, doc, err) != 0) {
		json_decref(doc);
		return BQ_NEXT_FAIL;
	}
	st->res.pages++;
	next = after_page(st, doc, err);
	json_decref(doc);
	return next;
}

enum bq_next
bq_answer_job(struct bq_state *st, const char *body, size_t len,
    struct buf *err)
{
	json_t		*doc = load_object(body, len, err);
	const json_t	*stats, *qs, *v;

	if (doc == NULL)
		return BQ_NEXT_FAIL;
	stats = json_object_get(doc, "statistics");
	qs = json_object_get(stats, "query");
	if ((v = json_object_get(qs, "totalBytesBilled")) != NULL)
		st->res.bytes_billed = json_int64(v);
	if ((v = json_object_get(qs, "totalBytesProcessed")) != NULL ||
	    (v = json_object_get(stats, "totalBytesProcessed")) != NULL)
		st->res.bytes_processed = json_int64(v);
	json_decref(doc);
	return BQ_NEXT_DONE;
}
