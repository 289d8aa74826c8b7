/*
 * test_logtext.c: Airflow log bodies to display text (src/model/logtext.c),
 * the line index and wrapping (logindex.c) and the search (logsearch.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logindex.h"
#include "logsearch.h"
#include "logtext.h"

static const char entry_ok[] = "{\"timestamp\": \"2025-01-01T00:00:05.123000Z\","
    " \"level\": \"info\", \"event\": \"hello\", \"logger\": \"airflow.task\","
    " \"rows\": 12, \"who\": \"x y\"}";
static const char entry_err[] = "{\"timestamp\": \"2025-01-01T00:00:06Z\", "
    "\"level\": \"error\", \"event\": \"Task failed with exception\", "
    "\"error_detail\": [{\"exc_type\": \"RuntimeError\", \"exc_value\": \"outer\","
    " \"is_cause\": true, \"frames\": [{\"filename\": \"/d/a.py\", \"lineno\": 9,"
    " \"name\": \"run\"}]}, {\"exc_type\": \"ValueError\", \"exc_value\": \"inner\","
    " \"is_cause\": false, \"frames\": [{\"filename\": \"/d/b.py\", \"lineno\": 3,"
    " \"name\": \"load\"}]}]}";

static void
test_entry(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	assert_int_equal(logtext_entry(entry_ok, strlen(entry_ok), &out), 0);
	assert_string_equal(buf_str(&out), "2025-01-01T00:00:05.123000Z INFO"
	    "     [airflow.task] hello rows=12 who=x y\n");
	buf_reset(&out);
	assert_int_equal(logtext_entry(entry_err, strlen(entry_err), &out), 0);
	/* The cause first, then the exception it caused, as Python prints. */
	assert_string_equal(buf_str(&out),
	    "2025-01-01T00:00:06Z ERROR    Task failed with exception\n"
	    "Traceback (most recent call last):\n"
	    "  File \"/d/b.py\", line 3, in load\n"
	    "ValueError: inner\n"
	    "\nThe above exception was the direct cause of the following "
	    "exception:\n\n"
	    "Traceback (most recent call last):\n"
	    "  File \"/d/a.py\", line 9, in run\n"
	    "RuntimeError: outer\n");
	buf_reset(&out);
	/* Not JSON: kept as it is, never lost. */
	assert_int_equal(logtext_entry("plain text", 10, &out), -1);
	assert_string_equal(buf_str(&out), "plain text\n");
	buf_reset(&out);
	/* The source-details group of Airflow 3, and its end, compactly. */
	{
		const char *g = "{\"event\": \"::group::Log message source "
		    "details\", \"sources\": [\"/l/a.log\"]}";
		const char *e = "{\"event\": \"::endgroup::\"}";

		logtext_entry(g, strlen(g), &out);
		logtext_entry(e, strlen(e), &out);
	}
	assert_string_equal(buf_str(&out), "> Log message source details\n"
	    "  /l/a.log\n");
	buf_free(&out);
}

/* NDJSON gives the same text however it is split. */
static void
test_ndjson_splits(void **state)
{
	struct buf		whole = BUF_INIT, in = BUF_INIT;
	struct logtext_ndjson	nd;
	size_t			cut;

	(void)state;
	buf_printf(&in, "%s\n%s\r\n\nnot json\n%s", entry_ok, entry_err,
	    entry_ok);
	logtext_ndjson_init(&nd);
	logtext_ndjson_feed(&nd, in.data, in.len, &whole);
	logtext_ndjson_finish(&nd, &whole);
	assert_non_null(strstr(buf_str(&whole), "not json\n"));
	assert_non_null(strstr(buf_str(&whole), "ValueError: inner"));
	for (cut = 0; cut <= in.len; cut++) {
		struct buf out = BUF_INIT;

		logtext_ndjson_feed(&nd, in.data, cut, &out);
		logtext_ndjson_feed(&nd, in.data + cut, in.len - cut, &out);
		logtext_ndjson_finish(&nd, &out);
		assert_string_equal(buf_str(&out), buf_str(&whole));
		buf_free(&out);
	}
	logtext_ndjson_free(&nd);
	buf_free(&whole);
	buf_free(&in);
}

/*
 * The flat scanner takes the common entries and writes what jansson writes
 * for them; everything it cannot reproduce it leaves, appending nothing.
 */
static void
test_entry_flat(void **state)
{
	static const char *const taken[] = {
		"{\"timestamp\": \"2025-01-01T00:00:05.123000Z\", \"level\": "
		    "\"info\", \"event\": \"line 1\", \"logger\": \"airflow.task\", "
		    "\"payload\": \"xx\"}",
		"{}",
		" {\"event\":\"e\",\"n\":-12,\"z\":0,\"t\":true,\"f\":false,"
		    "\"u\":null} ",
		"{\"level\": \"warning\", \"event\": \"tab\\there\\nnew \\\"q\\\" "
		    "\\\\ \\/ \\b\\f\\r\"}",
		"{\"event\": \"unicode text: caf\\u00e9 \\u20ac \\ud83d\\ude00 \xc3\xa9\xf0\x9f\x98\x80\"}",
		"{\"level\": \"averyverylonglevel\", \"event\": \"colours are \\u001b[31mred\"}",
		"{\"event\": \"a ::group:: not at the start\", \"k\": \"v\"}",
	};
	static const char *const left[] = {
		"{\"event\": \"nested\", \"d\": {\"a\": 1}}",
		"{\"event\": \"list\", \"d\": [1]}",
		"{\"event\": \"real\", \"x\": 1.5}",
		"{\"event\": \"exp\", \"x\": 1e5}",
		"{\"event\": \"neg zero\", \"x\": -0}",
		"{\"event\": \"lead zero\", \"x\": 01}",
		"{\"event\": \"big\", \"x\": 1234567890123456789}",
		"{\"event\": \"nul \\u0000 inside\"}",
		"{\"event\": \"lone \\ud83d surrogate\"}",
		"{\"event\": \"low \\ude00 first\"}",
		"{\"event\": \"bad \\q escape\"}",
		"{\"event\": \"bad \xc3\x28 utf-8\"}",
		"{\"event\": \"overlong \xc0\xaf\"}",
		"{\"event\": \"raw \x01 control\"}",
		"{\"event\": \"a\", \"event\": \"b\"}",
		"{\"event\": \"a\",}",
		"{\"event\": \"a\"} trailing",
		"{\"event\": \"::group::x\", \"sources\": [\"a\"]}",
		"{\"event\": \"::endgroup::\"}",
		"{\"event\": \"\\u003a:group::x\"}",
		"{\"event\": \"e\", \"error_detail\": []}",
		"{\"event\": \"e\", \"exc_info\": \"Traceback\"}",
		"{\"event\": 3}",
		"{\"timestamp\": 3, \"event\": \"ts is a number\"}",
		"{\"esc\\u0061ped key\": \"v\"}",
		"[\"an array\"]",
		"not json",
		"",
	};
	struct buf	flat = BUF_INIT, tree = BUF_INIT;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof taken / sizeof *taken; i++) {
		buf_reset(&flat);
		buf_reset(&tree);
		assert_int_equal(logtext_entry_flat(taken[i], strlen(taken[i]),
		    &flat), 0);
		assert_int_equal(logtext_entry_tree(taken[i], strlen(taken[i]),
		    &tree), 0);
		assert_string_equal(buf_str(&flat), buf_str(&tree));
	}
	for (i = 0; i < sizeof left / sizeof *left; i++) {
		buf_reset(&flat);
		assert_int_equal(logtext_entry_flat(left[i], strlen(left[i]),
		    &flat), -1);
		assert_int_equal(flat.len, 0);
	}
	/* What jansson is not asked for keeps its shape. */
	buf_reset(&flat);
	logtext_entry(taken[2], strlen(taken[2]), &flat);
	assert_string_equal(buf_str(&flat), "e n=-12 z=0 t=true f=false "
	    "u=null\n");
	buf_reset(&flat);
	logtext_entry(taken[3], strlen(taken[3]), &flat);
	assert_string_equal(buf_str(&flat), "WARNING  tab\there\nnew \"q\" "
	    "\\ / \b\f\r\n");
	buf_reset(&flat);
	logtext_entry(taken[4], strlen(taken[4]), &flat);
	assert_string_equal(buf_str(&flat), "unicode text: caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x98\x80 \xc3\xa9\xf0\x9f\x98\x80\n");
	buf_free(&flat);
	buf_free(&tree);
}

/* A line longer than the limit passes through raw, memory bounded. */
static void
test_ndjson_overlong(void **state)
{
	struct logtext_ndjson	nd;
	struct buf		out = BUF_INIT;
	char			*big = malloc(3000);

	(void)state;
	memset(big, 'a', 3000);
	logtext_ndjson_init(&nd);
	nd.max_line = 1000;
	for (int i = 0; i < 3; i++)
		logtext_ndjson_feed(&nd, big, 1000, &out);
	assert_true(nd.partial.len <= 1000);
	logtext_ndjson_feed(&nd, "\n{\"event\": \"after\"}\n", 20, &out);
	logtext_ndjson_finish(&nd, &out);
	assert_int_equal(out.len, 3000 + 1 + 6);
	assert_string_equal(out.data + 3001, "after\n");
	logtext_ndjson_free(&nd);
	buf_free(&out);
	free(big);
}

static void
test_documents(void **state)
{
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	char		*tok;
	const char	*v2 = "{\"content\": [{\"event\": \"a\"}, {\"event\": \"b\", "
			    "\"level\": \"warning\"}], \"continuation_token\": \"T1\"}";
	/* Python's str() of [(host, text)], with its escapes. */
	const char	*v1 = "{\"continuation_token\": \"abc\", \"content\": "
			    "\"[('worker-1', '*** Found\\\\nline \\\\'two\\\\' \\\\u00e9 "
			    "\\\\x41 tab\\\\there\\\\n')]\"}";

	(void)state;
	assert_int_equal(logtext_v2_document(v2, strlen(v2), &out, &tok, &err),
	    0);
	assert_string_equal(buf_str(&out), "a\nWARNING  b\n");
	assert_string_equal(tok, "T1");
	free(tok);
	buf_reset(&out);
	{
		const char *end = "{\"content\": [], \"continuation_token\": "
		    "null}";

		assert_int_equal(logtext_v2_document(end, strlen(end), &out,
		    &tok, &err), 0);
	}
	assert_null(tok);
	assert_int_equal(logtext_v1_document(v1, strlen(v1), &out, &tok, &err),
	    0);
	assert_string_equal(buf_str(&out), "*** Found\nline 'two' \xc3\xa9 A "
	    "tab\there\n");
	assert_string_equal(tok, "abc");
	free(tok);
	/* Garbage is an error with a reason, not a crash. */
	buf_reset(&out);
	assert_int_equal(logtext_v2_document("<html>", 6, &out, &tok, &err),
	    -1);
	assert_true(err.len > 0);
	buf_reset(&err);
	assert_int_equal(logtext_v2_document("{\"content\": 3}", 14, &out, &tok,
	    &err), -1);
	assert_non_null(strstr(buf_str(&err), "content"));
	/* v1 content that is not a tuple list: the text as it is. */
	buf_reset(&out);
	assert_int_equal(logtext_v1_document("{\"content\": \"just text\"}", 24,
	    &out, &tok, &err), 0);
	assert_string_equal(buf_str(&out), "just text\n");
	buf_free(&out);
	buf_free(&err);
}

static void
test_timestamps_and_severity(void **state)
{
	static const struct {
		const char *line;
		size_t prefix;
		int sev;
	} cases[] = {
		{ "[2024-01-01T00:00:05.123+0000] {taskinstance.py:1234} INFO - "
		  "starting", 31, LOG_SEV_NONE },
		{ "[2024-01-01, 00:00:05 UTC] {x.py:1} ERROR - boom", 27,
		  LOG_SEV_ERROR },
		{ "[2024-01-01T00:00:05.123+0000] {x.py:1} WARNING - hmm", 31,
		  LOG_SEV_WARNING },
		{ "2025-01-01T00:00:05.123000Z CRITICAL [t] down", 28,
		  LOG_SEV_ERROR },
		{ "Traceback (most recent call last):", 0, LOG_SEV_ERROR },
		{ "ValueError: column 'amount' is not numeric", 0, LOG_SEV_ERROR },
		{ "airflow.exceptions.AirflowException: failed", 0,
		  LOG_SEV_ERROR },
		{ "  File \"x.py\", line 3, in run", 0, LOG_SEV_NONE },
		{ "processed 3 ERRORS? no: ERRORLESS", 0, LOG_SEV_NONE },
		{ "[not a time] text", 0, LOG_SEV_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = strlen(cases[i].line);

		assert_int_equal(logtext_timestamp_prefix(cases[i].line, len),
		    cases[i].prefix);
		assert_int_equal(logtext_severity(cases[i].line, len),
		    cases[i].sev);
	}
}

/*
 * Line i of text through the index, as the spool finds it: from the mark
 * (or from the line before, when prev is set), seeing no more bytes than
 * the stretch guarantees.
 */
static void
line_of(const struct logindex *x, const char *text, size_t i, bool prev,
    uint64_t *off, uint64_t *len)
{
	struct logindex_span	sp;
	uint64_t		fl, fo, want;

	logindex_span(x, i, &sp);
	fl = sp.line;
	fo = sp.off;
	if (prev && i > sp.line) {
		uint64_t l;

		assert_int_equal(logindex_locate(&sp, i - 1, sp.line, sp.off,
		    text + sp.off, LOGINDEX_SPAN < sp.end + 1 - sp.off ?
		    LOGINDEX_SPAN : sp.end + 1 - sp.off, sp.off, &fo, &l), 0);
		fl = i - 1;
	}
	want = sp.off + LOGINDEX_SPAN;
	if (want > sp.end + 1)
		want = sp.end + 1;
	if (want > logindex_bytes(x))
		want = logindex_bytes(x);
	if (want < fo)
		want = fo;
	assert_int_equal(logindex_locate(&sp, i, fl, fo, text + fo,
	    (size_t)(want - fo), fo, off, len), 0);
}

static void
test_index(void **state)
{
	struct logindex	x;
	const char	*text = "one\ntwo\n\nfour";
	uint64_t	off, len;
	size_t		cut;

	(void)state;
	for (cut = 0; cut <= strlen(text); cut++) {
		logindex_init(&x);
		logindex_feed(&x, text, cut);
		logindex_feed(&x, text + cut, strlen(text) - cut);
		assert_int_equal(logindex_count(&x), 4);
		line_of(&x, text, 0, false, &off, &len);
		assert_int_equal(off, 0);
		assert_int_equal(len, 3);
		line_of(&x, text, 1, false, &off, &len);
		assert_int_equal(off, 4);
		assert_int_equal(len, 3);
		line_of(&x, text, 2, true, &off, &len);
		assert_int_equal(len, 0);
		line_of(&x, text, 3, false, &off, &len);
		assert_int_equal(off, 9);
		assert_int_equal(len, 4);
		logindex_free(&x);
	}
	/* A newline at the end opens no line. */
	logindex_init(&x);
	logindex_feed(&x, "a\nb\n", 4);
	assert_int_equal(logindex_count(&x), 2);
	assert_int_equal(logindex_bytes(&x), 4);
	line_of(&x, "a\nb\n", 1, false, &off, &len);
	assert_int_equal(off, 2);
	assert_int_equal(len, 1);
	logindex_reset(&x);
	assert_int_equal(logindex_count(&x), 0);
	logindex_free(&x);
}

/* Lines of every length (empty, short, longer than a stretch), any cut. */
static void
test_index_sparse(void **state)
{
	struct logindex	 x;
	struct buf	 t = BUF_INIT;
	uint64_t	*starts, *lens, off, len;
	size_t		 n = 0, i, pos;
	unsigned	 r = 7;

	(void)state;
	starts = xcalloc(40000, sizeof *starts);
	lens = xcalloc(40000, sizeof *lens);
	for (i = 0; i < 40000; i++) {
		size_t l;

		r = r * 1103515245u + 12345u;
		l = (r >> 16) % 7 == 0 ? 0 : (r >> 16) % 97 == 0 ?
		    LOGINDEX_SPAN + (r >> 8) % 5000 : (r >> 16) % 300;
		if (i % 9000 == 100)
			l = 3 * LOGINDEX_SPAN;	/* one line, three stretches */
		starts[n] = t.len;
		lens[n++] = l;
		for (size_t k = 0; k < l; k++)
			buf_putc(&t, (char)('a' + k % 26));
		if (i + 1 < 40000)
			buf_putc(&t, '\n');
	}
	logindex_init(&x);
	/* Pieces that split lines anywhere. */
	for (pos = 0; pos < t.len; ) {
		size_t k = 1 + (pos * 31) % 70001;

		if (k > t.len - pos)
			k = t.len - pos;
		assert_int_equal(logindex_feed(&x, t.data + pos, k), 0);
		pos += k;
	}
	assert_int_equal(logindex_count(&x), n);
	for (i = 0; i < n; i++) {
		line_of(&x, t.data, i, i % 2 == 1, &off, &len);
		assert_int_equal(off, starts[i]);
		assert_int_equal(len, lens[i]);
	}
	logindex_free(&x);
	buf_free(&t);
	free(starts);
	free(lens);
}

/* 20 MB of newlines: 20 million lines in well under a megabyte. */
static void
test_index_newline_bomb(void **state)
{
	struct logindex	 x;
	char		*nl = xmalloc(1u << 20);
	uint64_t	 off, len;
	size_t		 i;

	(void)state;
	memset(nl, '\n', 1u << 20);
	logindex_init(&x);
	for (i = 0; i < 20; i++)
		assert_int_equal(logindex_feed(&x, nl, 1u << 20), 0);
	assert_int_equal(logindex_count(&x), 20u << 20);
	assert_true(logindex_memory(&x) < (256u << 10));
	line_of(&x, nl, 12345, false, &off, &len);
	assert_int_equal(off, 12345);
	assert_int_equal(len, 0);
	logindex_free(&x);
	free(nl);
}

/* A line cut at the cap: at a character's start, and the rest told. */
static void
test_line_cut(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(logtext_cut("abc", 3), 3);
	assert_int_equal(logtext_cut("ab\xc3\xa9", 4), 4);	/* é whole */
	assert_int_equal(logtext_cut("ab\xc3\xa9", 3), 2);	/* half an é */
	assert_int_equal(logtext_cut("a\xe2\x80\xa6", 3), 1);
	assert_int_equal(logtext_cut("a\xf0\x9f\x98\x80", 5), 5);
	assert_int_equal(logtext_cut("a\xf0\x9f\x98\x80", 4), 1);
	assert_int_equal(logtext_cut("\x80\x80\x80\x80", 4), 4);
	logtext_more(&b, 104857600ULL - 65536, 0);
	assert_string_equal(buf_str(&b), " \xe2\x80\xa6 104792064 bytes more");
	buf_reset(&b);
	logtext_more(&b, 1, 1);
	assert_string_equal(buf_str(&b), " ... 1 byte more");
	buf_free(&b);
}

static void
test_wrap(void **state)
{
	/* 10 ASCII, then 3 wide characters (2 columns each). */
	const char *s = "abcdefghij\xe4\xb8\x96\xe7\x95\x8c\xe4\xb8\x96";
	size_t len = strlen(s);

	(void)state;
	assert_int_equal(logwrap_rows(s, len, 80), 1);
	/* abcd | efgh | ij + one wide | two wide */
	assert_int_equal(logwrap_rows(s, len, 4), 4);
	assert_int_equal(logwrap_row_start(s, len, 4, 1), 4);
	assert_int_equal(logwrap_row_start(s, len, 4, 2), 8);
	assert_int_equal(logwrap_row_start(s, len, 4, 3), 13);
	assert_int_equal(logwrap_row_start(s, len, 4, 4), len);
	/* A wide character in one column still gets its row: no loop. */
	assert_int_equal(logwrap_rows("\xe4\xb8\x96\xe4\xb8\x96", 6, 1), 2);
	assert_int_equal(logwrap_rows("", 0, 10), 1);
}

static void
test_search(void **state)
{
	struct logsearch	s;
	struct buf		err = BUF_INIT;
	size_t			off, len;
	const char		*line = "Error here, error there, ERROR";

	(void)state;
	assert_int_equal(logsearch_compile(&s, "error", &err), 0);
	assert_true(logsearch_match(&s, line, strlen(line), &off, &len));
	assert_int_equal(off, 0);
	assert_true(logsearch_next_match(&s, line, strlen(line), 1, &off,
	    &len));
	assert_int_equal(off, 12);
	logsearch_free(&s);
	/* A capital makes case matter. */
	assert_int_equal(logsearch_compile(&s, "ERROR", &err), 0);
	assert_true(logsearch_match(&s, line, strlen(line), &off, &len));
	assert_int_equal(off, 25);
	assert_false(logsearch_next_match(&s, line, strlen(line), 26, &off,
	    &len));
	logsearch_free(&s);
	assert_int_equal(logsearch_compile(&s, "", &err), -1);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_entry_flat),
		cmocka_unit_test(test_ndjson_splits),
		cmocka_unit_test(test_ndjson_overlong),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_timestamps_and_severity),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_index_sparse),
		cmocka_unit_test(test_index_newline_bomb),
		cmocka_unit_test(test_line_cut),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_search),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
