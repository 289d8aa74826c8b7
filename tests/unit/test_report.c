/*
 * test_report.c: the escapers every report shares (src/report/report.c):
 * exact CSV and Markdown output for hostile ids, and the Markdown rendered
 * by a real CommonMark/GFM renderer (cmark-gfm, when installed) with no
 * link, image or HTML coming out of the data; and the verdict words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "report.h"

static char got[4096];

static const char *
csv(const char *s)
{
	struct buf b = BUF_INIT;

	report_csv_field(&b, s);
	snprintf(got, sizeof got, "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

static const char *
md(const char *s)
{
	struct buf b = BUF_INIT;

	report_md_text(&b, s);
	snprintf(got, sizeof got, "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

static void
test_csv(void **state)
{
	(void)state;
	/* The database allows an empty run id: an empty field, no crash. */
	assert_string_equal(csv(""), "");
	assert_string_equal(csv(NULL), "");
	assert_string_equal(csv("scheduled__2026-11-02"),
	    "scheduled__2026-11-02");
	assert_string_equal(csv("a,b"), "\"a,b\"");
	assert_string_equal(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(csv("=HYPERLINK(\"x\")"),
	    "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_string_equal(csv("+1"), "\"'+1\"");
	assert_string_equal(csv("-1"), "\"'-1\"");
	assert_string_equal(csv("@SUM(A1)"), "\"'@SUM(A1)\"");
	/* A line break never splits a record; escapes are shown. */
	assert_null(strchr(csv("a\nb"), '\n'));
	assert_null(strchr(csv("a\rb"), '\r'));
	assert_null(strchr(csv("a\033[31mb"), '\033'));
}

static void
test_md_exact(void **state)
{
	(void)state;
	assert_string_equal(md(NULL), "-");
	assert_string_equal(md(""), "");
	assert_string_equal(md("table_a_ready"), "table\\_a\\_ready");
	assert_string_equal(md("a|b"), "a\\|b");
	assert_string_equal(md("manual__\\[x\\](y)"),
	    "manual\\_\\_\\\\\\[x\\\\\\]\\(y\\)");
	assert_string_equal(md("x@y.z"), "x&#8203;\\@y\\.z");
	assert_string_equal(md("caf\xc3\xa9"), "caf\xc3\xa9");
	assert_null(strchr(md("a\nb"), '\n'));
}

/* Hostile text, each to be rendered inert. */
static const char *const hostile[] = {
	"manual__\\[Re-authenticate here\\](https://evil.example/login)",
	"[Re-authenticate here](https://evil.example/login)",
	"![x](https://evil.example/pixel.png)",
	"![x][r]\n\n[r]: https://evil.example/pixel.png",
	"<img src=https://evil.example/p.png>",
	"<!-- hidden -->",
	"<https://evil.example/>",
	"https://evil.example/login",
	"www.evil.example",
	"oncall@evil.example",
	"a|b | c",
	"&lt;script&gt;",
	"`code` *em* **strong** ~~strike~~",
	"[x]: https://evil.example",
	"\\<b>bold\\</b>",
	"\n# heading\n- item\n> quote",
	"<script>alert(1)</script>",
};

/* Runs cmark-gfm with the GFM extensions over doc; the HTML in out. */
static int
render(const char *doc, char *out, size_t size)
{
	char	 in[] = "/tmp/dagtop-test-md.XXXXXX", cmd[256];
	FILE	*f;
	size_t	 n;
	int	 fd;

	if ((fd = mkstemp(in)) < 0)
		return -1;
	if (write(fd, doc, strlen(doc)) != (ssize_t)strlen(doc)) {
		close(fd);
		unlink(in);
		return -1;
	}
	close(fd);
	snprintf(cmd, sizeof cmd, "cmark-gfm -e table -e autolink "
	    "-e strikethrough -e tagfilter %s", in);
	if ((f = popen(cmd, "r")) == NULL) {
		unlink(in);
		return -1;
	}
	n = fread(out, 1, size - 1, f);
	out[n] = '\0';
	unlink(in);
	return pclose(f) == 0 ? 0 : -1;
}

static void
test_md_rendered(void **state)
{
	struct buf	 doc = BUF_INIT;
	static char	 html[65536];
	size_t		 i;

	(void)state;
	if (system("command -v cmark-gfm >/dev/null 2>&1") != 0) {
		fprintf(stderr, "cmark-gfm missing (tests/lib/deps.sh)\n");
		fail();
	}
	/* In a table cell, a list item, a heading and a paragraph. */
	buf_puts(&doc, "| name | value |\n| --- | --- |\n");
	for (i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		buf_puts(&doc, "| ");
		report_md_text(&doc, hostile[i]);
		buf_puts(&doc, " | 1 |\n");
	}
	buf_putc(&doc, '\n');
	for (i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		buf_puts(&doc, "- ");
		report_md_text(&doc, hostile[i]);
		buf_puts(&doc, "\n");
	}
	for (i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		buf_puts(&doc, "\n### ");
		report_md_text(&doc, hostile[i]);
		buf_puts(&doc, "\n\n");
		report_md_text(&doc, hostile[i]);
		buf_puts(&doc, "\n");
	}
	assert_int_equal(render(buf_str(&doc), html, sizeof html), 0);
	assert_null(strstr(html, "<a "));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<!--"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<em>"));
	assert_null(strstr(html, "<strong>"));
	assert_null(strstr(html, "<code>"));
	assert_null(strstr(html, "<del>"));
	assert_null(strstr(html, "<blockquote>"));
	assert_null(strstr(html, "<h1>"));
	/* Every row kept its two cells: no '|' split one. */
	assert_null(strstr(html, "<td>b"));
	assert_null(strstr(html, "<td>c"));
	buf_free(&doc);
}

static void
test_verdict_words(void **state)
{
	(void)state;
	assert_string_equal(report_verdict_word(0), "OK");
	assert_string_equal(report_verdict_word(1), "WARNING");
	assert_string_equal(report_verdict_word(2), "CRITICAL");
	assert_string_equal(report_verdict_word(3), "UNKNOWN");
	assert_string_equal(report_verdict_word(64), "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_md_exact),
		cmocka_unit_test(test_md_rendered),
		cmocka_unit_test(test_verdict_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
