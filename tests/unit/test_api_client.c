/*
 * test_api_client.c: what the API clients share (src/source/api_client.c):
 * the base URL and path joining, the retry policy (idempotent requests
 * only, which answers, how long to wait), the error text around each
 * API's own error shape, and the static token sources.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api_client.h"

static void
test_base_and_join(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	api_base(&b, "https://api.github.com//");
	assert_string_equal(buf_str(&b), "https://api.github.com");
	api_join(&b, "", "repos/o/r");
	assert_string_equal(buf_str(&b), "https://api.github.com/repos/o/r");
	api_base(&b, "http://h/x");
	api_join(&b, "", "/y");
	assert_string_equal(buf_str(&b), "http://h/x/y");
	api_base(&b, NULL);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

/* The gate's allow-list of read-only POSTs, per Airflow API version. */
static void
test_airflow_intent(void **state)
{
	(void)state;
	assert_int_equal(api_airflow_intent(1, "GET", "/dags/d/clearTaskInstances"),
	    API_READ);
	assert_int_equal(api_airflow_intent(1, "POST", "/dags/~/dagRuns/list"),
	    API_READ);
	assert_int_equal(api_airflow_intent(2, "POST",
	    "/dags/~/dagRuns/~/taskInstances/list?x=1"), API_READ);
	assert_int_equal(api_airflow_intent(2, "POST", "/auth/token"),
	    API_LOGIN);
	assert_int_equal(api_airflow_intent(1, "POST", "/auth/token"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(2, "POST", "/dags/~/dagRuns/lis"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(2, "POST", "/dags/~/dagRuns/list2"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(2, "POST", "/dags/d/dagRuns/list"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(2, "PATCH", "/dags/~/dagRuns/list"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(1, "DELETE", "/pools/p"),
	    API_WRITE);
	assert_int_equal(api_airflow_intent(1, "PUT", "/x"), API_WRITE);
	assert_int_equal(api_airflow_intent(1, "POST",
	    "/dags/d/clearTaskInstances"), API_WRITE);
}

static struct http_response
answer(long status, enum http_error e)
{
	struct http_response r;

	memset(&r, 0, sizeof r);
	r.status = status;
	r.error = e;
	r.error_text = "";
	r.content_type = "";
	return r;
}

static void
test_retry_policy(void **state)
{
	const struct api_retry	 p = { 2, 1000, 3 };
	struct http_response	 r;

	(void)state;
	r = answer(503, HTTP_OK);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), 1000);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 1), 3000);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 2), -1);
	/* never a request that is not idempotent: a write */
	assert_int_equal(api_retry_delay(&p, false, &r, false, 0), -1);
	r = answer(429, HTTP_OK);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), 1000);
	r = answer(400, HTTP_OK);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), -1);
	assert_int_equal(api_retry_delay(&p, true, &r, true, 0), 1000);
	r = answer(0, HTTP_ERR_CONNECT);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), 1000);
	r = answer(0, HTTP_ERR_TIMEOUT);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 1), 3000);
	r = answer(0, HTTP_ERR_TLS);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), -1);
	r = answer(0, HTTP_ERR_TOO_BIG);
	assert_int_equal(api_retry_delay(&p, true, &r, false, 0), -1);
}

static bool
decode_msg(const char *body, size_t len, struct buf *out)
{
	if (len == 0 || body[0] != '{')
		return false;
	buf_puts(out, ": decoded");
	return true;
}

static void
test_error_text(void **state)
{
	struct http_response	r;
	struct buf		b = BUF_INIT;

	(void)state;
	r = answer(0, HTTP_ERR_TIMEOUT);
	r.error_text = "after 5 s";
	api_error_text(&r, decode_msg, &b);
	assert_string_equal(buf_str(&b), "timed out: after 5 s");
	buf_reset(&b);
	r = answer(500, HTTP_OK);
	buf_puts(&r.body, "{}");
	api_error_text(&r, decode_msg, &b);
	assert_string_equal(buf_str(&b), "HTTP 500: decoded");
	buf_reset(&b);
	buf_reset(&r.body);
	buf_puts(&r.body, "<html>Bad Gateway\r\nmore");
	api_error_text(&r, decode_msg, &b);
	assert_string_equal(buf_str(&b), "HTTP 500: <html>Bad Gateway");
	buf_reset(&b);
	buf_reset(&r.body);
	api_error_text(&r, NULL, &b);
	assert_string_equal(buf_str(&b), "HTTP 500");
	buf_free(&r.body);
	buf_free(&b);
}

static void
test_static_tokens(void **state)
{
	struct api_auth_opts	 o;
	struct api_auth		*a;
	struct buf		 h = BUF_INIT, err = BUF_INIT;

	(void)state;
	memset(&o, 0, sizeof o);
	o.name = "airflow";
	o.kind = API_AUTH_NONE;
	a = api_auth_new(NULL, NULL, &o);
	assert_int_equal(api_auth_header(a, &h, &err), 0);
	assert_int_equal(h.len, 0);
	assert_false(api_auth_expired(a));
	api_auth_free(a);

	o.kind = API_AUTH_BEARER;
	o.token_env = "DAGTOP_TEST_API_TOKEN";
	unsetenv(o.token_env);
	a = api_auth_new(NULL, NULL, &o);
	assert_int_equal(api_auth_header(a, &h, &err), -1);
	assert_string_equal(buf_str(&err), "airflow_token_env names "
	    "DAGTOP_TEST_API_TOKEN, which is not set");
	assert_null(api_auth_secret(a));
	setenv(o.token_env, "s3cret", 1);
	assert_int_equal(api_auth_header(a, &h, &err), 0);
	assert_string_equal(buf_str(&h), "Authorization: Bearer s3cret");
	assert_string_equal(api_auth_secret(a), "s3cret");
	api_auth_free(a);

	buf_reset(&h);
	o.kind = API_AUTH_BASIC;
	o.user = "admin";
	o.password_env = "DAGTOP_TEST_API_TOKEN";
	a = api_auth_new(NULL, NULL, &o);
	assert_int_equal(api_auth_header(a, &h, &err), 0);
	/* base64("admin:s3cret") */
	assert_string_equal(buf_str(&h), "Authorization: Basic "
	    "YWRtaW46czNjcmV0");
	api_auth_free(a);

	buf_reset(&h);
	o.kind = API_AUTH_COMMAND;
	o.token_command = "echo t";
	a = api_auth_new(NULL, NULL, &o);
	assert_int_equal(api_auth_header(a, &h, &err), 1);	/* fetch first */
	assert_false(api_auth_has_token(a));
	api_auth_free(a);
	unsetenv("DAGTOP_TEST_API_TOKEN");
	buf_free(&h);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_and_join),
		cmocka_unit_test(test_airflow_intent),
		cmocka_unit_test(test_retry_policy),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_static_tokens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
