/*
 * fuzz_bqanswer.c: libFuzzer harness for BigQuery's answers as a query
 * reads them (bq_answer.h): the input cut at each '\n' into answers, each
 * read as jobs.query / getQueryResults until one says the rows are in,
 * then as jobs.get.  Whatever arrives, the steps stay in order (a page
 * token only with a job id, rows only grow) and nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bq_answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bq_state	 st;
	struct buf	 err = BUF_INIT;
	const char	*p = (const char *)data, *end = p + len;
	enum bq_next	 next = BQ_NEXT_POLL;
	size_t		 rows = 0;

	bq_state_init(&st);
	while (p < end && next != BQ_NEXT_FAIL && next != BQ_NEXT_DONE) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n = (size_t)((nl != NULL ? nl : end) - p);

		buf_reset(&err);
		if (next == BQ_NEXT_STATS)
			next = bq_answer_job(&st, p, n, &err);
		else
			next = bq_answer_query(&st, p, n, &err);
		if (next == BQ_NEXT_FAIL && err.len == 0)
			abort();
		if (next == BQ_NEXT_PAGE && (st.page_token == NULL ||
		    st.res.job_id[0] == '\0'))
			abort();
		if (st.res.table.nrows < rows)
			abort();
		rows = st.res.table.nrows;
		(void)bq_reason_retryable(buf_str(&err));
		p += n + 1;
	}
	bq_state_free(&st);
	buf_free(&err);
	return 0;
}
