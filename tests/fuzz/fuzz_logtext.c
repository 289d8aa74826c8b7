/*
 * fuzz_logtext.c: the Airflow log parsers (src/model/logtext.c) on any
 * bytes.  Besides not crashing: NDJSON gives the same text however its
 * input is split, the flat scanner writes what jansson writes for every
 * entry it takes, and the sanitised text of any parse holds no ESC, no C0
 * but newline, and no C1 code point.  A violation calls abort().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logtext.h"
#include "sanitize.h"

static void
check_clean(const struct buf *text)
{
	struct buf	out = BUF_INIT;
	size_t		i;

	sanitize_append(&out, text->data != NULL ? text->data : "", text->len,
	    SAN_NEWLINES | SAN_TABS);
	for (i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			abort();
		if (c == 0xc2 && i + 1 < out.len &&
		    (unsigned char)out.data[i + 1] >= 0x80 &&
		    (unsigned char)out.data[i + 1] <= 0x9f)
			abort();
	}
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf		 a = BUF_INIT, b = BUF_INIT, err = BUF_INIT;
	struct logtext_ndjson	 nd;
	char			*tok = NULL;
	size_t			 cut = size > 0 ? data[0] % (size + 1) : 0;

	logtext_v2_document((const char *)data, size, &a, &tok, &err);
	free(tok);
	check_clean(&a);
	buf_reset(&a);
	logtext_v1_document((const char *)data, size, &a, &tok, &err);
	free(tok);
	check_clean(&a);
	buf_reset(&a);

	if (logtext_entry_flat((const char *)data, size, &a) == 0 &&
	    (logtext_entry_tree((const char *)data, size, &b) != 0 ||
	    a.len != b.len || memcmp(a.data, b.data, a.len) != 0))
		abort();
	buf_reset(&a);
	buf_reset(&b);

	logtext_ndjson_init(&nd);
	nd.max_line = 64;
	logtext_ndjson_feed(&nd, (const char *)data, size, &a);
	logtext_ndjson_finish(&nd, &a);
	logtext_ndjson_feed(&nd, (const char *)data, cut, &b);
	logtext_ndjson_feed(&nd, (const char *)data + cut, size - cut, &b);
	logtext_ndjson_finish(&nd, &b);
	if (a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len) != 0))
		abort();
	check_clean(&a);
	logtext_ndjson_free(&nd);
	(void)logtext_severity((const char *)data, size);
	if (logtext_timestamp_prefix((const char *)data, size) > size)
		abort();
	buf_free(&a);
	buf_free(&b);
	buf_free(&err);
	return 0;
}
