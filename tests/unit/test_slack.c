/*
 * test_slack.c: the Block Kit builder of --format slack (src/report/
 * slack.c): outside text inert in mrkdwn (exact output for hostile ids),
 * texts cut to Slack's limits with "…" and never inside a character or an
 * entity, and a message of any size kept to 50 blocks with an exact
 * "…and N more".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "slack.h"

#define Z	"\xe2\x80\x8b"		/* U+200B */
#define ELL	"\xe2\x80\xa6"		/* … */

static char got[8192];

static const char *
put(const char *s)
{
	struct buf b = BUF_INIT;

	slack_put_text(&b, s);
	snprintf(got, sizeof got, "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

static void
test_put_text(void **state)
{
	(void)state;
	assert_string_equal(put(NULL), "-");
	assert_string_equal(put(""), "\"\"");
	assert_string_equal(put("etl-daily.v2"), "etl-daily.v2");
	/* No mention, channel ping or link can form. */
	assert_string_equal(put("<!channel>"), "&lt;!channel&gt;");
	assert_string_equal(put("<@U0AB|bob>"), "&lt;@" Z "U0AB|bob&gt;");
	assert_string_equal(put("<https://x.example|click>"),
	    "&lt;https:" Z "//x.example|click&gt;");
	assert_string_equal(put("a&b"), "a&amp;b");
	assert_string_equal(put("&lt;"), "&amp;lt;");
	assert_string_equal(put("@here"), "@" Z "here");
	/* No emphasis, strike or code. */
	assert_string_equal(put("*bold*"), Z "*" Z "bold" Z "*" Z);
	assert_string_equal(put("my_dag"), "my" Z "_" Z "dag");
	assert_string_equal(put("~s~ `c`"),
	    Z "~" Z "s" Z "~" Z " " Z "`" Z "c" Z "`" Z);
	/* A quote line cannot start: > is an entity. */
	assert_string_equal(put("> quoted"), "&gt; quoted");
	/* Escapes removed, controls shown, bad UTF-8 replaced. */
	assert_string_equal(put("a\033[31mb\033]0;t\007c"), "abc");
	assert_string_equal(put("a\nb"), "a^Jb");
	assert_string_equal(put("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \xef\xbf\xbd");
}

static void
test_cut(void **state)
{
	struct buf	b = BUF_INIT;

	(void)state;
	buf_puts(&b, "abcdef");
	assert_false(slack_cut(&b, 6));
	assert_string_equal(buf_str(&b), "abcdef");
	assert_true(slack_cut(&b, 5));
	assert_string_equal(buf_str(&b), "ab" ELL);
	/* Never inside a character: é is two bytes. */
	buf_reset(&b);
	buf_puts(&b, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_true(slack_cut(&b, 6));
	assert_string_equal(buf_str(&b), "\xc3\xa9" ELL);
	/* Never inside an entity. */
	buf_reset(&b);
	buf_puts(&b, "ab&lt;cdefgh");
	assert_true(slack_cut(&b, 8));
	assert_string_equal(buf_str(&b), "ab" ELL);
	buf_reset(&b);
	buf_puts(&b, "ab&lt;cdefgh");
	assert_true(slack_cut(&b, 9));
	assert_string_equal(buf_str(&b), "ab&lt;" ELL);
	buf_free(&b);
}

/* The text of a text object at blocks[i] (its "text"). */
static const char *
block_text(json_t *doc, size_t i)
{
	json_t *b = json_array_get(json_object_get(doc, "blocks"), i);

	return json_string_value(json_object_get(json_object_get(b, "text"),
	    "text"));
}

static const char *
block_type(json_t *doc, size_t i)
{
	json_t *b = json_array_get(json_object_get(doc, "blocks"), i);

	return json_string_value(json_object_get(b, "type"));
}

static void
test_limits(void **state)
{
	struct slack_msg	*m = slack_msg_new();
	struct buf		 big = BUF_INIT;
	const char		*fields[12], *ctx[12];
	json_t			*doc, *f;
	size_t			 i;

	(void)state;
	for (i = 0; i < 400; i++)
		buf_puts(&big, "0123456789");
	slack_header(m, buf_str(&big));
	slack_section(m, buf_str(&big), false);
	for (i = 0; i < 12; i++)
		fields[i] = ctx[i] = buf_str(&big);
	slack_section_fields(m, "f", fields, 12, false);
	slack_context(m, ctx, 12);
	doc = slack_msg_finish(m, buf_str(&big), NULL);
	/* Header: plain_text, 150 bytes at most, ending with "…". */
	assert_string_equal(block_type(doc, 0), "header");
	assert_int_equal(strlen(block_text(doc, 0)), 150);
	assert_non_null(strstr(block_text(doc, 0), ELL));
	assert_int_equal(strlen(block_text(doc, 1)), 3000);
	assert_string_equal(block_text(doc, 1) + 2997, ELL);
	f = json_object_get(json_array_get(json_object_get(doc, "blocks"), 2),
	    "fields");
	assert_int_equal(json_array_size(f), 10);
	for (i = 0; i < 10; i++)
		assert_true(strlen(json_string_value(json_object_get(
		    json_array_get(f, i), "text"))) <= 2000);
	assert_non_null(strstr(json_string_value(json_object_get(
	    json_array_get(f, 9), "text")), ELL "and 2 more"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(doc, "blocks"), 3), "elements")), 10);
	assert_int_equal(strlen(json_string_value(json_object_get(doc,
	    "text"))), 3000);
	json_decref(doc);
	buf_free(&big);
}

/* n items between a header, a section and a context: what is kept. */
static json_t *
message(size_t n)
{
	struct slack_msg	*m = slack_msg_new();
	char			 t[32];
	const char		*ctx[1] = { "read 0s ago" };
	size_t			 i;

	slack_header(m, "WARNING: many");
	slack_section(m, "overview", false);
	slack_divider(m);
	for (i = 0; i < n; i++) {
		snprintf(t, sizeof t, "item %zu", i);
		slack_section(m, t, true);
	}
	slack_context(m, ctx, 1);
	return slack_msg_finish(m, "WARNING: many", "failing DAGs");
}

static void
test_fit(void **state)
{
	json_t	*doc;
	size_t	 n;

	(void)state;
	/* 45 items: 49 blocks, nothing cut. */
	doc = message(45);
	n = json_array_size(json_object_get(doc, "blocks"));
	assert_int_equal(n, 49);
	assert_string_equal(block_text(doc, 47), "item 44");
	json_decref(doc);
	/* 46 items: 50 blocks, the limit exactly. */
	doc = message(46);
	assert_int_equal(json_array_size(json_object_get(doc, "blocks")), 50);
	assert_string_equal(block_text(doc, 48), "item 45");
	json_decref(doc);
	/* 47: one too many; two items give way to "…and 2 more". */
	doc = message(47);
	assert_int_equal(json_array_size(json_object_get(doc, "blocks")), 50);
	assert_string_equal(block_text(doc, 47), "item 44");
	assert_string_equal(block_text(doc, 48),
	    ELL "and 2 more failing DAGs");
	assert_string_equal(block_type(doc, 49), "context");
	json_decref(doc);
	/* 500: the header, overview and context kept, 455 cut. */
	doc = message(500);
	assert_int_equal(json_array_size(json_object_get(doc, "blocks")), 50);
	assert_string_equal(block_type(doc, 0), "header");
	assert_string_equal(block_text(doc, 1), "overview");
	assert_string_equal(block_text(doc, 48),
	    ELL "and 455 more failing DAGs");
	assert_string_equal(block_type(doc, 49), "context");
	assert_string_equal(json_string_value(json_object_get(doc, "text")),
	    "WARNING: many");
	json_decref(doc);
}

static void
test_read_from(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	slack_read_from(&b, 1000, 1012, "database", "Airflow 2.10.3 <x>");
	assert_string_equal(buf_str(&b),
	    "read 12s ago from Airflow database: Airflow 2.10.3 &lt;x&gt;");
	buf_reset(&b);
	/* A database clock ahead of ours is no negative age. */
	slack_read_from(&b, 1012, 1000, "api", NULL);
	assert_string_equal(buf_str(&b), "read 0s ago from Airflow API");
	buf_free(&b);
}

static void
test_unknown(void **state)
{
	json_t	*doc;

	(void)state;
	doc = slack_unknown("cannot read the Airflow database",
	    "FATAL: role \"<!channel>\" does not exist", "database");
	assert_string_equal(block_type(doc, 0), "header");
	assert_string_equal(block_text(doc, 0),
	    "UNKNOWN: cannot read the Airflow database");
	assert_string_equal(block_text(doc, 1), "*UNKNOWN*: cannot read the "
	    "Airflow database: FATAL: role \"&lt;!channel&gt;\" does not exist\n"
	    "dagtop could not make the report; the exit status is 3.");
	assert_string_equal(block_type(doc, 2), "context");
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_text),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_read_from),
		cmocka_unit_test(test_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
