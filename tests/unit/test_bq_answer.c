/*
 * test_bq_answer.c: BigQuery's answers read into a query's state and the
 * step that follows each (src/model/bq_answer.c): a job still running, a
 * complete first answer, pages, the bytes billed from jobs.query or from
 * jobs.get, and the answers that cannot go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bq_answer.h"

#define SCHEMA	"\"schema\":{\"fields\":[{\"name\":\"n\",\"type\":\"INTEGER\"}]}"
#define REF	"\"jobReference\":{\"projectId\":\"p2\",\"jobId\":\"job_1\"," \
		"\"location\":\"EU\"}"

static enum bq_next
query(struct bq_state *st, const char *body, struct buf *err)
{
	buf_reset(err);
	return bq_answer_query(st, body, strlen(body), err);
}

static void
test_running_then_pages(void **state)
{
	struct bq_state	 st;
	struct buf	 err = BUF_INIT;
	const char	*body;

	(void)state;
	bq_state_init(&st);
	assert_int_equal(st.res.table.total_rows, -1);
	assert_int_equal(query(&st, "{" REF ",\"jobComplete\":false}", &err),
	    BQ_NEXT_POLL);
	assert_string_equal(st.res.job_id, "job_1");
	assert_string_equal(st.job_project, "p2");
	assert_string_equal(st.job_location, "EU");
	assert_int_equal(st.res.polls, 1);
	assert_false(st.complete);
	/* getQueryResults: complete, no totalBytesBilled, a next page */
	assert_int_equal(query(&st, "{" REF ",\"jobComplete\":true,"
	    "\"totalBytesProcessed\":\"2048\",\"totalRows\":\"2\"," SCHEMA ","
	    "\"rows\":[{\"f\":[{\"v\":\"1\"}]}],\"pageToken\":\"tok/2\"}", &err),
	    BQ_NEXT_PAGE);
	assert_true(st.complete);
	assert_false(st.billed_seen);
	assert_int_equal(st.res.bytes_processed, 2048);
	assert_string_equal(st.page_token, "tok/2");
	assert_int_equal(query(&st, "{\"jobComplete\":true,"
	    "\"totalBytesProcessed\":\"1\"," SCHEMA ","
	    "\"rows\":[{\"f\":[{\"v\":\"2\"}]}]}", &err), BQ_NEXT_STATS);
	/* the first complete answer's figure stays */
	assert_int_equal(st.res.bytes_processed, 2048);
	assert_null(st.page_token);
	assert_int_equal(st.res.pages, 2);
	assert_int_equal(st.res.table.nrows, 2);
	/* jobs.get: the authoritative figures */
	body = "{\"statistics\":{\"query\":{\"totalBytesBilled\":"
	    "\"10485760\"},\"totalBytesProcessed\":\"4096\"}}";
	assert_int_equal(bq_answer_job(&st, body, strlen(body), &err),
	    BQ_NEXT_DONE);
	assert_int_equal(st.res.bytes_billed, 10485760);
	assert_int_equal(st.res.bytes_processed, 4096);
	bq_state_free(&st);
	buf_free(&err);
}

static void
test_complete_at_once(void **state)
{
	struct bq_state	st;
	struct buf	err = BUF_INIT;

	(void)state;
	bq_state_init(&st);
	assert_int_equal(query(&st, "{" REF ",\"jobComplete\":true,"
	    "\"totalBytesBilled\":\"0\",\"totalBytesProcessed\":7," SCHEMA
	    ",\"rows\":[]}", &err), BQ_NEXT_DONE);
	assert_true(st.billed_seen);
	assert_int_equal(st.res.bytes_billed, 0);
	assert_int_equal(st.res.bytes_processed, 7);
	assert_int_equal(st.res.pages, 1);
	bq_state_free(&st);
	/* no job id (a cached answer): nothing to ask jobs.get about */
	bq_state_init(&st);
	assert_int_equal(query(&st, "{\"jobComplete\":true," SCHEMA "}", &err),
	    BQ_NEXT_DONE);
	bq_state_free(&st);
	buf_free(&err);
}

static void
test_job_stats_absent_fields_stay(void **state)
{
	struct bq_state	st;
	struct buf	err = BUF_INIT;

	(void)state;
	bq_state_init(&st);
	st.res.bytes_billed = 5;
	st.res.bytes_processed = 6;
	assert_int_equal(bq_answer_job(&st, "{}", 2, &err), BQ_NEXT_DONE);
	assert_int_equal(st.res.bytes_billed, 5);
	assert_int_equal(st.res.bytes_processed, 6);
	assert_int_equal(bq_answer_job(&st, "[1]", 3, &err), BQ_NEXT_FAIL);
	assert_string_equal(buf_str(&err), "not a JSON object");
	bq_state_free(&st);
	buf_free(&err);
}

static void
test_answers_that_cannot_go_on(void **state)
{
	struct bq_state	st;
	struct buf	err = BUF_INIT;

	(void)state;
	bq_state_init(&st);
	assert_int_equal(query(&st, "not json", &err), BQ_NEXT_FAIL);
	assert_string_equal(buf_str(&err), "not a JSON object");
	assert_int_equal(query(&st, "{\"jobComplete\":false}", &err),
	    BQ_NEXT_FAIL);
	assert_string_equal(buf_str(&err), "an incomplete job without a jobId");
	assert_int_equal(query(&st, "{\"jobComplete\":true," SCHEMA ","
	    "\"pageToken\":\"x\"}", &err), BQ_NEXT_FAIL);
	assert_string_equal(buf_str(&err), "a pageToken without a jobId");
	/* a later page whose schema differs from the first */
	bq_state_free(&st);
	bq_state_init(&st);
	assert_int_equal(query(&st, "{" REF ",\"jobComplete\":true," SCHEMA
	    ",\"pageToken\":\"x\"}", &err), BQ_NEXT_PAGE);
	assert_int_equal(query(&st, "{\"jobComplete\":true,\"schema\":{"
	    "\"fields\":[{\"name\":\"m\",\"type\":\"STRING\"}]}}", &err),
	    BQ_NEXT_FAIL);
	assert_true(err.len > 0);
	bq_state_free(&st);
	buf_free(&err);
}

static void
test_retryable_reasons(void **state)
{
	(void)state;
	assert_true(bq_reason_retryable("backendError"));
	assert_true(bq_reason_retryable("rateLimitExceeded"));
	assert_true(bq_reason_retryable("internalError"));
	assert_false(bq_reason_retryable("invalidQuery"));
	assert_false(bq_reason_retryable(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running_then_pages),
		cmocka_unit_test(test_complete_at_once),
		cmocka_unit_test(test_job_stats_absent_fields_stay),
		cmocka_unit_test(test_answers_that_cannot_go_on),
		cmocka_unit_test(test_retryable_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
