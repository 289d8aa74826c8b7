/*
 * fuzz_bqrows.c: libFuzzer harness for what comes back from Google's
 * servers: BigQuery answer pages (the input cut at each '\n' into pages),
 * decoded with their schema and read as a timeline, capacity and top
 * consumers; error bodies; base64url.  Whatever arrives, the table stays
 * rectangular, every minute keeps its place, and nothing crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jwt.h"
#include "slots.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct bq_table	 t;
	struct slots	 s;
	struct buf	 err = BUF_INIT, b = BUF_INIT;
	const char	*p = (const char *)data, *end = p + len;
	size_t		 i, rows = 0;

	memset(&t, 0, sizeof t);
	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n = (size_t)((nl != NULL ? nl : end) - p);
		json_t		*doc = json_loadb(p, n, 0, NULL);

		if (doc != NULL) {
			buf_reset(&err);
			if (bq_table_add_page(&t, doc, &err) == 0 &&
			    t.nrows < rows)
				abort();
			rows = t.nrows;
			json_decref(doc);
		}
		bq_error_text(&b, 400, p, n);
		bq_error_reason(&b, p, n);
		buf_reset(&b);
		b64url_decode(&b, p, n);
		buf_reset(&b);
		p += n + 1;
	}
	for (i = 0; i < t.nrows; i++) {
		int64_t	v;
		double	d;
		int	c;

		for (c = 0; c < (int)t.nfields; c++) {
			(void)bq_int64(&t, i, c, &v);
			(void)bq_double(&t, i, c, &d);
			(void)bq_time(&t, i, c, &d);
		}
	}
	slots_init(&s, 1763800000, 90);
	slots_only(&s, "a:US.r");
	(void)slots_add_timeline(&s, &t, &err);
	(void)slots_add_capacity(&s, &t, &err);
	(void)slots_add_consumers(&s, &t, &err);
	slots_finish(&s);
	for (i = 0; i < s.n; i++)
		if (s.m[i].t != s.start + (int64_t)i * 60)
			abort();
	{
		double	v[7], cap[7];
		int64_t	tt[7];
		bool	hot[7];

		(void)slots_buckets(&s, 7, v, cap, tt, hot);
	}
	slots_free(&s);
	bq_table_free(&t);
	buf_free(&err);
	buf_free(&b);
	return 0;
}
