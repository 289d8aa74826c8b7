/*
 * test_clear.c: clearTaskInstances bodies per Airflow version and the
 * reading of the answers (src/model/clear.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "clear.h"
#include "http.h"

static json_t *
body_of(const struct clear_request *q, int major)
{
	char	*s = clear_body(q, major);
	json_t	*doc = json_loads(s, 0, NULL);

	assert_non_null(doc);
	free(s);
	return doc;
}

static bool
flag(json_t *doc, const char *name)
{
	json_t *v = json_object_get(doc, name);

	assert_true(json_is_boolean(v));
	return json_is_true(v);
}

/* The body that reruns a failed task and all after it, on both versions. */
static void
test_rerun_body(void **state)
{
	const char		*ids[] = { "transform" };
	struct clear_request	 q = { "scheduled__2024-01-01T00:00:00+00:00",
				    ids, NULL, 1, true, false, true };
	int			 major;

	(void)state;
	for (major = 2; major <= 3; major++) {
		json_t *doc = body_of(&q, major);
		const char *key;
		json_t *v;

		assert_string_equal(json_string_value(json_object_get(doc,
		    "dag_run_id")), "scheduled__2024-01-01T00:00:00+00:00");
		assert_int_equal(json_array_size(json_object_get(doc,
		    "task_ids")), 1);
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(doc, "task_ids"), 0)), "transform");
		assert_true(flag(doc, "dry_run"));
		assert_true(flag(doc, "include_downstream"));
		assert_false(flag(doc, "include_upstream"));
		assert_false(flag(doc, "only_failed"));
		assert_false(flag(doc, "only_running"));
		/* 2.x leaves the run failed without it. */
		assert_true(flag(doc, "reset_dag_runs"));
		/* Only fields both specs have: 3.x answers 422 to others. */
		json_object_foreach(doc, key, v) {
			static const char *const known[] = { "dry_run",
			    "dag_run_id", "task_ids", "include_downstream",
			    "include_upstream", "include_future",
			    "include_past", "only_failed", "only_running",
			    "reset_dag_runs", NULL };
			bool ok = false;

			for (size_t i = 0; known[i] != NULL; i++)
				ok |= strcmp(known[i], key) == 0;
			assert_true(ok);
		}
		json_decref(doc);
	}
}

/* A map index: a [task_id, map_index] pair on 3.x, the whole task on 2.x. */
static void
test_map_index(void **state)
{
	const char		*ids[] = { "process", "report" };
	int			 mis[] = { 2, -1 };
	struct clear_request	 q = { "r", ids, mis, 2, true, true, false };
	json_t			*doc, *t;

	(void)state;
	doc = body_of(&q, 3);
	t = json_object_get(doc, "task_ids");
	assert_true(json_is_array(json_array_get(t, 0)));
	assert_string_equal(json_string_value(json_array_get(
	    json_array_get(t, 0), 0)), "process");
	assert_int_equal(json_integer_value(json_array_get(
	    json_array_get(t, 0), 1)), 2);
	assert_string_equal(json_string_value(json_array_get(t, 1)), "report");
	assert_false(flag(doc, "dry_run"));
	assert_true(flag(doc, "only_failed"));
	json_decref(doc);
	doc = body_of(&q, 2);
	t = json_object_get(doc, "task_ids");
	assert_string_equal(json_string_value(json_array_get(t, 0)), "process");
	json_decref(doc);
}

static void
test_parse_answers(void **state)
{
	struct clear_result	r;
	struct buf		err = BUF_INIT;
	/* 2.x: TaskInstanceReferenceCollection, no map index. */
	const char *v1 = "{\"task_instances\": [{\"task_id\": \"transform\", "
	    "\"dag_id\": \"etl\", \"execution_date\": \"2024-01-01T00:00:00+00:00\","
	    " \"dag_run_id\": \"r1\"}, {\"task_id\": \"load\", \"dag_id\": \"etl\","
	    " \"dag_run_id\": \"r1\"}]}";
	/* 3.x: TaskInstanceCollection with map indexes. */
	const char *v2 = "{\"task_instances\": [{\"id\": \"0192\", \"task_id\": "
	    "\"process\", \"dag_id\": \"m\", \"dag_run_id\": \"r\", \"map_index\": 1,"
	    " \"state\": null, \"try_number\": 1}], \"total_entries\": 1}";

	(void)state;
	assert_int_equal(clear_parse(v1, strlen(v1), &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.v[1].task_id, "load");
	assert_int_equal(r.v[1].map_index, -1);
	/* No map index in the answer: every instance of the task. */
	assert_true(clear_result_has(&r, "load", 7));
	assert_false(clear_result_has(&r, "publish", -1));
	clear_result_free(&r);
	assert_int_equal(clear_parse(v2, strlen(v2), &r, &err), 0);
	assert_int_equal(r.n, 1);
	assert_true(clear_result_has(&r, "process", 1));
	assert_false(clear_result_has(&r, "process", 0));
	clear_result_free(&r);
	/* Garbage and wrong shapes are errors, with a reason. */
	assert_int_equal(clear_parse("<html>", 6, &r, &err), -1);
	assert_non_null(strstr(buf_str(&err), "not JSON"));
	buf_reset(&err);
	assert_int_equal(clear_parse("{\"detail\": 1}", 13, &r, &err), -1);
	assert_non_null(strstr(buf_str(&err), "task_instances"));
	buf_free(&err);
}

/* Ids from outside become one path segment each, whatever they hold. */
static void
test_path_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "scheduled__2024-01-01T00:00:00+00:00",
		  "scheduled__2024-01-01T00%3A00%3A00%2B00%3A00" },
		{ "a/b?c#d%e f", "a%2Fb%3Fc%23d%25e%20f" },
		{ "mapped.dag_x-y~z", "mapped.dag_x-y~z" },
		{ "caf\xc3\xa9", "caf%C3%A9" },
		{ "..", "%2E%2E" },
		{ ".", "%2E" },
		{ "a..b", "a..b" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;

		http_escape(&b, cases[i].in);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_free(&b);
	}
}

/* Only an answer that says what was cleared is an outcome; 4xx is one too. */
static void
test_outcome(void **state)
{
	(void)state;
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 200, true), CLEAR_DONE);
	/* A 2xx that cannot be read: the clear may well have happened. */
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 200, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 400, false),
	    CLEAR_FAILED);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 403, false),
	    CLEAR_FAILED);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 409, false),
	    CLEAR_FAILED);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 422, false),
	    CLEAR_FAILED);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 302, false),
	    CLEAR_FAILED);
	/* Gateways answer for a server that may have committed. */
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 500, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 502, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 503, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 504, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_OK, 0, false),
	    CLEAR_UNKNOWN);
	/* Lost after it left: unknown whatever the status said. */
	assert_int_equal(clear_outcome_of(CLEAR_NET_LOST, 0, false),
	    CLEAR_UNKNOWN);
	assert_int_equal(clear_outcome_of(CLEAR_NET_LOST, 200, false),
	    CLEAR_UNKNOWN);
	/* Never sent: nothing can have been cleared. */
	assert_int_equal(clear_outcome_of(CLEAR_NET_UNSENT, 0, false),
	    CLEAR_FAILED);
	assert_int_equal(CLEAR_EXIT_UNKNOWN, 4);
	assert_int_not_equal(CLEAR_EXIT_UNKNOWN, CLEAR_EXIT_FAILED);
}

/* What the audit log shows of an API URL: never its userinfo. */
static void
test_url_shown(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "https://user:pass@host", "https://host" },
		{ "https://user:p@ss@host:8080/prefix", "https://host:8080/prefix" },
		{ "https://host/a@b", "https://host/a@b" },
		{ "http://u@127.0.0.1:1/x?token=abc#f", "http://127.0.0.1:1/x" },
		{ "https://airflow.example.com", "https://airflow.example.com" },
		{ "host:1", "host:1" },
		{ "tok@host", "host" },
		{ "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = BUF_INIT;

		clear_url_shown(&b, cases[i].in);
		assert_string_equal(buf_str(&b), cases[i].out);
		buf_free(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rerun_body),
		cmocka_unit_test(test_map_index),
		cmocka_unit_test(test_parse_answers),
		cmocka_unit_test(test_path_escape),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_url_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
