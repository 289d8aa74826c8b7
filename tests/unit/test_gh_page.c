/*
 * test_gh_page.c: GitHub's answers sorted (src/model/gh_page.c): pages,
 * 304s, the primary and secondary rate limits, 401, 5xx and other
 * failures with their messages; the Link header's next page and the base
 * URL the token may go to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gh_page.h"

#define NOW	INT64_C(1763800000)

static enum gh_verdict
verdict(long status, long remaining, long reset, long retry_after,
    const char *body, int64_t *until)
{
	struct gh_limits l = { remaining, reset, retry_after };

	*until = 0;
	return gh_verdict(status, &l, body, strlen(body), NOW, until);
}

static void
test_verdicts(void **state)
{
	int64_t until;

	(void)state;
	assert_int_equal(verdict(200, 10, NOW + 60, -1, "[]", &until), GH_PAGE);
	assert_int_equal(verdict(304, -1, 0, -1, "", &until),
	    GH_NOT_MODIFIED);
	assert_int_equal(verdict(401, -1, 0, -1, "{}", &until),
	    GH_UNAUTHORIZED);
	assert_int_equal(verdict(502, -1, 0, -1, "", &until), GH_SERVER_ERROR);
	assert_int_equal(verdict(404, -1, 0, -1, "{}", &until), GH_FAILED);
	/* the primary limit: used up until its reset */
	assert_int_equal(verdict(403, 0, NOW + 900, -1, "{}", &until),
	    GH_RATE_LIMITED);
	assert_int_equal(until, NOW + 900);
	/* a secondary limit: retry-after, a 429, or the message says so */
	assert_int_equal(verdict(403, 12, NOW, 30, "{}", &until),
	    GH_RATE_LIMITED);
	assert_int_equal(until, NOW + 30);
	assert_int_equal(verdict(429, -1, 0, -1, "", &until), GH_RATE_LIMITED);
	assert_int_equal(until, NOW + GH_SECONDARY_WAIT);
	assert_int_equal(verdict(403, 50, NOW, -1, "{\"message\":\"You have "
	    "exceeded a secondary Rate Limit.\"}", &until), GH_RATE_LIMITED);
	/* a plain 403: the token lacks access */
	assert_int_equal(verdict(403, 50, NOW, -1, "{\"message\":\"Resource "
	    "not accessible by integration\"}", &until), GH_FAILED);
}

static void
test_status_text(void **state)
{
	struct buf	 b = BUF_INIT;
	const char	*body = "{\"message\":\"Not Found\"}";

	(void)state;
	gh_status_text(&b, 404, body, strlen(body), "/repos/o/r");
	assert_string_equal(buf_str(&b), "GitHub answered 404 (Not Found) for "
	    "/repos/o/r: no such repository or path, or the token cannot see "
	    "it");
	buf_reset(&b);
	gh_status_text(&b, 403, "{}", 2, "/x");
	assert_string_equal(buf_str(&b), "GitHub answered 403 for /x: the "
	    "token may lack access");
	buf_reset(&b);
	/* a hostile message is shown escaped, and cut */
	body = "{\"message\":\"a\\u001b[2Jb\"}";
	gh_error_message(&b, body, strlen(body));
	assert_null(strchr(buf_str(&b), '\033'));
	buf_free(&b);
}

static void
test_link_next(void **state)
{
	char *n;

	(void)state;
	n = gh_link_next("<https://api.github.com/r?page=1>; rel=\"prev\", "
	    "<https://api.github.com/r?page=3>; rel=\"next\", "
	    "<https://api.github.com/r?page=9>; rel=\"last\"");
	assert_string_equal(n, "https://api.github.com/r?page=3");
	free(n);
	n = gh_link_next("<https://h/r?page=2>; rel=next");
	assert_string_equal(n, "https://h/r?page=2");
	free(n);
	assert_null(gh_link_next("<https://h/r?page=1>; rel=\"prev\""));
	assert_null(gh_link_next("<broken; rel=\"next\""));
	assert_null(gh_link_next(""));
	assert_true(gh_on_base("https://ghe.example/api/v3/repos",
	    "https://ghe.example/api/v3"));
	assert_false(gh_on_base("https://ghe.example/api/v30/repos",
	    "https://ghe.example/api/v3"));
	assert_false(gh_on_base("https://evil.example/api/v3/x",
	    "https://ghe.example/api/v3"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_link_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
