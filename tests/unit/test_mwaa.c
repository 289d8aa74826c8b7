/*
 * test_mwaa.c: Airflow calls wrapped for MWAA's InvokeRestApi and the
 * answers unwrapped (mwaa.h), and the credentials it reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "mwaa.h"

static void
test_wrap(void **state)
{
	char *s;

	(void)state;
	s = mwaa_wrap("GET", "/dags?limit=1&tags=a&tags=b%20c&x", NULL);
	assert_string_equal(s, "{\"Path\":\"/dags\",\"Method\":\"GET\","
	    "\"QueryParameters\":{\"limit\":\"1\",\"tags\":[\"a\",\"b c\"],"
	    "\"x\":\"\"}}");
	free(s);
	s = mwaa_wrap("POST", "/dags/d/clearTaskInstances",
	    "{\"dry_run\":true}");
	assert_string_equal(s, "{\"Path\":\"/dags/d/clearTaskInstances\","
	    "\"Method\":\"POST\",\"Body\":{\"dry_run\":true}}");
	free(s);
	s = mwaa_wrap("GET", "/version?", NULL);
	assert_string_equal(s, "{\"Path\":\"/version\",\"Method\":\"GET\"}");
	free(s);
	assert_null(mwaa_wrap("POST", "/x", "not json"));
}

static void
test_unwrap(void **state)
{
	struct buf	 out = BUF_INIT;
	long		 status = 0;
	const char	*ok = "{\"RestApiStatusCode\":200,\"RestApiResponse\":"
			    "{\"version\":\"2.10.5\"}}";
	const char	*text = "{\"RestApiStatusCode\":404,\"RestApiResponse\":"
			    "\"no such log\"}";

	(void)state;
	assert_true(mwaa_unwrap(ok, strlen(ok), &status, &out));
	assert_int_equal(status, 200);
	assert_string_equal(buf_str(&out), "{\"version\":\"2.10.5\"}");
	assert_true(mwaa_unwrap(text, strlen(text), &status, &out));
	assert_int_equal(status, 404);
	assert_string_equal(buf_str(&out), "no such log");
	assert_false(mwaa_unwrap("{\"Message\":\"denied\"}", 20, &status,
	    &out));
	assert_false(mwaa_unwrap(NULL, 0, &status, &out));
	buf_free(&out);
}

static void
test_credentials(void **state)
{
	struct buf keys = BUF_INIT, tok = BUF_INIT, err = BUF_INIT;

	(void)state;
	unsetenv("AWS_ACCESS_KEY_ID");
	setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
	assert_int_equal(mwaa_credentials(&keys, &tok, &err), -1);
	assert_non_null(strstr(buf_str(&err), "AWS_ACCESS_KEY_ID"));
	setenv("AWS_ACCESS_KEY_ID", "AK", 1);
	unsetenv("AWS_SESSION_TOKEN");
	assert_int_equal(mwaa_credentials(&keys, &tok, &err), 0);
	assert_string_equal(buf_str(&keys), "AK:s");
	assert_int_equal(tok.len, 0);
	buf_reset(&keys);
	setenv("AWS_SESSION_TOKEN", "T", 1);
	assert_int_equal(mwaa_credentials(&keys, &tok, &err), 0);
	assert_string_equal(buf_str(&tok), "X-Amz-Security-Token: T");
	buf_free(&keys);
	buf_free(&tok);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
