/*
 * test_secret.c: URL userinfo masking and the password scrubber applied to
 * everything that may repeat a connection string (libpq's parse errors,
 * config check, report lines, the audit log).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "secret.h"

static void
check_mask(const char *in, const char *want)
{
	char *got = mask_url_dup(in);

	assert_string_equal(got, want);
	free(got);
}

static void
check_scrub(const char *text, const char *conninfo, const char *want)
{
	char *got = scrub_dup(text, conninfo);

	assert_string_equal(got, want);
	free(got);
}

static void
test_mask_url(void **state)
{
	(void)state;
	check_mask("https://airflow.example.com/", "https://airflow.example.com/");
	check_mask("https://oncall:s3cret@airflow.example.com:8443/x",
	    "https://oncall:***@airflow.example.com:8443/x");
	check_mask("https://ghp_tokenvalue@github.example.com/api",
	    "https://***@github.example.com/api");
	check_mask("http://u:p%40ss:w@host", "http://u:***@host");
	check_mask("https://u:pa@ss@host?q=@x", "https://u:***@host?q=@x");
	check_mask("https://host/path@x", "https://host/path@x");
	check_mask("postgresql://reader@db/airflow",
	    "postgresql://reader@db/airflow");
	check_mask("postgresql://reader:pw@db/airflow",
	    "postgresql://reader:***@db/airflow");
	check_mask("host=db user=x", "host=db user=x");
	check_mask("", "");
	assert_null(mask_url_dup(NULL));
}

static void
test_scrub_patterns(void **state)
{
	(void)state;
	/* URLs anywhere in a message. */
	check_scrub("cannot reach https://u:hunter2@api:8080/api/v1: refused",
	    NULL, "cannot reach https://u:***@api:8080/api/v1: refused");
	check_scrub("bad postgres://reader:Pw1@db/af and more",
	    NULL, "bad postgres://reader:***@db/af and more");
	/* libpq key/value strings, quoted or not, any case. */
	check_scrub("host=db password=abc user=x", NULL,
	    "host=db password=*** user=x");
	check_scrub("host=db PASSWORD = 'a b\\' c' user=x", NULL,
	    "host=db PASSWORD = *** user=x");
	check_scrub("postgresql://db/af?user=r&password=xyz&sslmode=require",
	    NULL, "postgresql://db/af?user=r&password=***&sslmode=require");
	/* Names that merely contain the word are not values. */
	check_scrub("airflow_password_env = AIRFLOW_PASSWORD", NULL,
	    "airflow_password_env = AIRFLOW_PASSWORD");
	check_scrub("password authentication failed for user \"r\"", NULL,
	    "password authentication failed for user \"r\"");
	/* libpq quotes a bad percent-encoding alone. */
	check_scrub("invalid percent-encoded token: \"MyDbPass%zz9\"", NULL,
	    "invalid percent-encoded token: \"***\"");
	check_scrub("", NULL, "");
	assert_null(scrub_dup(NULL, NULL));
}

static void
test_scrub_known_passwords(void **state)
{
	const char *ci = "postgresql://reader:MyDbPass%zz9@127.0.0.1/af2";

	(void)state;
	/* However the message quotes it, the password does not come back. */
	check_scrub("bad database connection string: something about "
	    "MyDbPass%zz9 here", ci,
	    "bad database connection string: something about *** here");
	check_scrub("x MyDbPass%zz9y", ci, "x ***y");
	/* Percent-decoded forms too. */
	check_scrub("p=Se cret!", "postgresql://u:Se%20cret%21@h/d",
	    "p=***");
	check_scrub("'Se cret!' / Se%20cret%21",
	    "postgresql://u:Se%20cret%21@h/d", "'***' / ***");
	/* Key/value connection strings. */
	check_scrub("failed: quoted it 'p w'", "host=h password='p w'",
	    "failed: quoted it '***'");
	check_scrub("x qwerty y", "host=h password=qwerty", "x *** y");
	/* A password of two letters is hidden only in context. */
	check_scrub("ab cd", "host=h password=ab", "ab cd");
	/* Nothing to hide: unchanged. */
	check_scrub("connection refused", "postgresql://reader@db/af",
	    "connection refused");
}

/* What logs and the audit show of a URL: no password, no query, no fragment. */
static void
test_url_for_log(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://user:pass@host", "https://user:***@host" },
		{ "https://user:p@ss@host:8080/prefix",
		  "https://user:***@host:8080/prefix" },
		{ "https://host/a@b", "https://host/a@b" },
		{ "http://u:p@127.0.0.1:1/x?token=abc#f",
		  "http://u:***@127.0.0.1:1/x" },
		{ "https://airflow.example.com", "https://airflow.example.com" },
		{ "host:1", "host:1" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;

		url_for_log(cases[i].in, &b);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_url),
		cmocka_unit_test(test_scrub_patterns),
		cmocka_unit_test(test_scrub_known_passwords),
		cmocka_unit_test(test_url_for_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
