/*
 * test_github_decode.c: GitHub's Four Keys pages as records
 * (src/model/github_decode.c): each kind on a page as GitHub sends it;
 * what is left out (deployments without id or commit, drafts and
 * prereleases, statuses without state, pull requests in the issue list);
 * ids as numbers or strings; the compare answer's last commit; garbage,
 * wrong types, missing members, numbers past 64 bits, invalid UTF-8 and
 * terminal escapes in titles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "github_decode.h"

/* 2025-01-02T03:04:05Z */
#define T0	((int64_t)1735787045)

/* Decodes body as kind; the return code, the page in *p, err in *err. */
static int
dec(enum ghd_kind kind, const char *body, struct ghd_page *p,
    struct buf *err)
{
	buf_reset(err);
	return ghd_decode_body(kind, body, strlen(body), p, err);
}

static void
test_deployments(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_DEPLOYMENTS, "["
	    "{\"id\": 12, \"sha\": \"abc\", \"created_at\": "
	    "\"2025-01-02T03:04:05Z\"},"
	    "{\"id\": \"x7\", \"sha\": \"def\"},"
	    "{\"sha\": \"no id\"}, {\"id\": 3}, {\"id\": 4, \"sha\": 5},"
	    "{\"id\": 1.5, \"sha\": \"real id\"}, 7, null, \"s\", [],"
	    "{\"id\": 9223372036854775807, \"sha\": \"max\", "
	    "\"created_at\": 12}]", &p, &err), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.dep[0].id, "12");
	assert_string_equal(p.dep[0].sha, "abc");
	assert_true(p.dep[0].created == T0);
	assert_string_equal(p.dep[1].id, "x7");
	assert_true(p.dep[1].created == 0);
	assert_string_equal(p.dep[2].id, "9223372036854775807");
	assert_true(p.dep[2].created == 0);
	ghd_page_free(&p);
	/* An integer past 64 bits: jansson refuses the whole page. */
	assert_int_equal(dec(GHD_DEPLOYMENTS, "[{\"id\": "
	    "99999999999999999999999, \"sha\": \"huge\"}]", &p, &err), -1);
	assert_non_null(strstr(buf_str(&err), "not JSON"));
	ghd_page_free(&p);
	buf_free(&err);
}

static void
test_statuses(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_STATUSES, "[{\"state\": \"inactive\"},"
	    "{\"state\": \"success\", \"created_at\": "
	    "\"2025-01-02T03:04:05Z\"}, {\"state\": 1}, {},"
	    "{\"state\": \"failure\", \"created_at\": \"yesterday\"}]", &p,
	    &err), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.st[0].state, "inactive");
	assert_string_equal(p.st[1].state, "success");
	assert_true(p.st[1].created == T0);
	assert_string_equal(p.st[2].state, "failure");
	assert_true(p.st[2].created == 0);
	ghd_page_free(&p);
	assert_int_equal(dec(GHD_STATUSES, "{\"state\": \"success\"}", &p,
	    &err), -1);
	assert_string_equal(buf_str(&err), "GitHub's status list is not a list");
	ghd_page_free(&p);
	buf_free(&err);
}

static void
test_releases(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_RELEASES, "["
	    "{\"tag_name\": \"v2\", \"published_at\": \"2025-01-02T03:04:05Z\","
	    " \"html_url\": \"https://x/\\u001b[2Jv2\"},"
	    "{\"tag_name\": \"v3\", \"published_at\": \"2025-01-02T03:04:05Z\","
	    " \"draft\": true},"
	    "{\"tag_name\": \"v4\", \"published_at\": \"2025-01-02T03:04:05Z\","
	    " \"prerelease\": true},"
	    "{\"tag_name\": \"v5\", \"published_at\": null},"
	    "{\"published_at\": \"2025-01-02T03:04:05Z\"},"
	    "{\"tag_name\": \"v6\", \"published_at\": \"2025-01-02T03:04:05Z\","
	    " \"draft\": \"true\", \"html_url\": 3}]", &p, &err), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.rel[0].tag, "v2");
	assert_true(p.rel[0].published == T0);
	assert_null(strchr(p.rel[0].url, '\033'));
	assert_string_equal(p.rel[1].tag, "v6");	/* "true" is no boolean */
	assert_null(p.rel[1].url);
	ghd_page_free(&p);
	buf_free(&err);
}

static void
test_pulls(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_PULLS, "["
	    "{\"number\": 5, \"base\": {\"ref\": \"main\"}, "
	    "\"merge_commit_sha\": \"m5\", \"html_url\": \"u5\", "
	    "\"created_at\": \"2025-01-02T03:04:05Z\", "
	    "\"updated_at\": \"2025-01-02T03:04:06Z\", "
	    "\"merged_at\": \"2025-01-02T03:04:07Z\"},"
	    "{\"base\": \"main\", \"updated_at\": \"2025-01-02T03:04:05Z\"},"
	    "42, {}]", &p, &err), 0);
	assert_int_equal(p.n, 3);		/* every object */
	assert_string_equal(p.pr[0].number, "5");
	assert_string_equal(p.pr[0].base, "main");
	assert_string_equal(p.pr[0].merge_sha, "m5");
	assert_string_equal(p.pr[0].url, "u5");
	assert_true(p.pr[0].created == T0 && p.pr[0].updated == T0 + 1 &&
	    p.pr[0].merged == T0 + 2);
	assert_null(p.pr[1].number);
	assert_null(p.pr[1].base);		/* a string, not {"ref": } */
	assert_true(p.pr[1].updated == T0 && p.pr[1].merged == 0);
	assert_null(p.pr[2].number);
	ghd_page_free(&p);
	buf_free(&err);
}

static void
test_compare(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_COMPARE, "{\"commits\": ["
	    "{\"sha\": \"a1\", \"commit\": {\"author\": {\"date\": "
	    "\"2025-01-02T03:04:05Z\"}}},"
	    "{\"commit\": {}}, {\"sha\": \"b2\"},"
	    "{\"sha\": \"c3\", \"commit\": {\"author\": \"me\"}}]}", &p,
	    &err), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.cm[0].sha, "a1");
	assert_true(p.cm[0].date == T0);
	assert_true(p.cm[1].date == 0);
	assert_string_equal(p.last_sha, "c3");
	ghd_page_free(&p);
	/* The last entry without a sha names no commit. */
	assert_int_equal(dec(GHD_COMPARE, "{\"commits\": [{\"sha\": \"a\"}, "
	    "{}]}", &p, &err), 0);
	assert_int_equal(p.n, 1);
	assert_null(p.last_sha);
	ghd_page_free(&p);
	assert_int_equal(dec(GHD_COMPARE, "{\"commits\": {}}", &p, &err), -1);
	assert_string_equal(buf_str(&err),
	    "GitHub's compare answer has no commit list");
	ghd_page_free(&p);
	assert_int_equal(dec(GHD_COMPARE, "[]", &p, &err), -1);
	ghd_page_free(&p);
	buf_free(&err);
}

static void
test_issues(void **state)
{
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;

	(void)state;
	assert_int_equal(dec(GHD_ISSUES, "["
	    "{\"number\": 7, \"title\": \"down\\u001b]0;x\\u0007\", "
	    "\"html_url\": \"u7\", \"created_at\": \"2025-01-02T03:04:05Z\", "
	    "\"closed_at\": \"2025-01-02T03:04:06Z\", "
	    "\"body\": \"Root cause: ABCDEF1\"},"
	    "{\"number\": 8, \"created_at\": \"2025-01-02T03:04:05Z\", "
	    "\"pull_request\": null},"
	    "{\"number\": 9},"
	    "{\"number\": true, \"created_at\": \"2025-01-02T03:04:05Z\"},"
	    "{\"number\": 10, \"created_at\": \"2025-01-02T03:04:05Z\", "
	    "\"title\": 1, \"body\": [\"root cause: abcdef1\"]}]", &p, &err),
	    0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.is[0].number, "7");
	assert_null(strchr(p.is[0].title, '\033'));
	assert_null(strchr(p.is[0].title, '\007'));
	assert_string_equal(p.is[0].url, "u7");
	assert_string_equal(p.is[0].cause_sha, "abcdef1");
	assert_true(p.is[0].created == T0 && p.is[0].closed == T0 + 1);
	assert_string_equal(p.is[1].number, "10");
	assert_null(p.is[1].title);
	assert_null(p.is[1].cause_sha);
	assert_true(p.is[1].closed == 0);
	ghd_page_free(&p);
	buf_free(&err);
}

/* Whatever the page, a clear error or records, never a crash. */
static void
test_garbage(void **state)
{
	static const char *bodies[] = {
		"", "[", "{\"a\":", "nul", "<html>502 Bad Gateway</html>",
		"[1,2,]", "\"\xff\xfe\"", "[{\"id\": 1, \"sha\": \"\xc3\x28\"}]",
		"[{\"number\": 1e999}]", "[99999999999999999999999999999]",
		"{\"message\": \"Not Found\"}", "null", "true", "42",
	};
	static const enum ghd_kind kinds[] = { GHD_DEPLOYMENTS, GHD_STATUSES,
	    GHD_RELEASES, GHD_PULLS, GHD_COMPARE, GHD_ISSUES };
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;
	size_t		 i, k;

	(void)state;
	for (i = 0; i < sizeof bodies / sizeof *bodies; i++)
		for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			int rc = dec(kinds[k], bodies[i], &p, &err);

			assert_true(rc == 0 || rc == -1);
			if (rc == -1) {
				assert_true(err.len > 0);
				assert_int_equal(p.n, 0);
			}
			ghd_page_free(&p);
		}
	/* Not JSON, and invalid UTF-8 (which jansson refuses). */
	assert_int_equal(dec(GHD_ISSUES, "<html>", &p, &err), -1);
	assert_non_null(strstr(buf_str(&err), "not JSON"));
	ghd_page_free(&p);
	assert_int_equal(dec(GHD_ISSUES, "[{\"title\": \"\xc3\x28\"}]", &p,
	    &err), -1);
	assert_non_null(strstr(buf_str(&err), "not JSON"));
	ghd_page_free(&p);
	/* A list where an object belongs, and the other way round. */
	assert_int_equal(dec(GHD_DEPLOYMENTS, "{\"id\": 1, \"sha\": \"a\"}",
	    &p, &err), -1);
	assert_string_equal(buf_str(&err),
	    "GitHub answered with something other than a list");
	ghd_page_free(&p);
	/* A body with a NUL inside is not JSON either. */
	buf_reset(&err);
	assert_int_equal(ghd_decode_body(GHD_PULLS, "[]\0[]", 5, &p, &err),
	    -1);
	ghd_page_free(&p);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deployments),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_releases),
		cmocka_unit_test(test_pulls),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_issues),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
