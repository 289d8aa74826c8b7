/*
 * test_clear.c: clearTaskInstances bodies per Airflow version and the
 * reading of the answers (src/model/clear.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* --- the rerun modal's plan ------------------------------------------------ */

static void
add_ti(struct af_tis *tis, const char *task, int mi, enum ti_state st)
{
	struct af_ti *t = af_tis_push(tis);

	t->dag_id = strdup("d");
	t->run_id = strdup("r");
	t->task_id = strdup(task);
	t->map_index = mi;
	t->state = st;
	t->try_number = 1;
}

static void
answer(struct clear_result *r, const char *json)
{
	struct buf err = BUF_INIT;

	assert_int_equal(clear_parse(json, strlen(json), r, &err), 0);
	buf_free(&err);
}

static const char *
line_name(const struct clear_plan *p, size_t i, char *tmp, size_t len)
{
	if (p->v[i].map_index >= 0)
		snprintf(tmp, len, "%s[%d]", p->v[i].task_id, p->v[i].map_index);
	else
		snprintf(tmp, len, "%s", p->v[i].task_id);
	return tmp;
}

/*
 * The chosen task first, then the rest in graph order, whatever order the
 * answer has; each line with the run's state; the title counts the lines.
 */
static void
test_plan_order(void **state)
{
	static const char *const order[] = { "extract", "transform", "load",
		"publish", "notify" };
	static const char *const want[] = { "transform", "load", "publish",
		"notify" };
	const char		*chosen[] = { "transform" };
	struct af_tis		 tis = { 0 };
	struct clear_result	 r;
	struct clear_plan	 p;
	struct buf		 b = BUF_INIT;
	char			 tmp[64];

	(void)state;
	add_ti(&tis, "extract", -1, TI_SUCCESS);
	add_ti(&tis, "notify", -1, TI_SUCCESS);
	add_ti(&tis, "publish", -1, TI_UPSTREAM_FAILED);
	add_ti(&tis, "load", -1, TI_UPSTREAM_FAILED);
	add_ti(&tis, "transform", -1, TI_FAILED);
	answer(&r, "{\"task_instances\": [{\"task_id\": \"publish\"}, "
	    "{\"task_id\": \"notify\"}, {\"task_id\": \"transform\"}, "
	    "{\"task_id\": \"load\"}]}");
	clear_plan_build(&p, &r, chosen, NULL, 1, order, 5, &tis);
	assert_int_equal(p.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(line_name(&p, i, tmp, sizeof tmp), want[i]);
	assert_true(p.v[0].chosen);
	assert_false(p.v[1].chosen);
	assert_int_equal(p.v[0].ti->state, TI_FAILED);
	assert_int_equal(p.v[3].ti->state, TI_SUCCESS);
	clear_plan_title(&b, &p, chosen, NULL, 1);
	assert_string_equal(buf_str(&b), "rerun transform and 3 downstream");
	buf_reset(&b);
	assert_false(clear_plan_succeeded(&b, &p));
	assert_int_equal(b.len, 0);
	clear_plan_free(&p);
	clear_result_free(&r);

	/* Nothing downstream: the title says the task alone. */
	answer(&r, "{\"task_instances\": [{\"task_id\": \"notify\"}]}");
	chosen[0] = "notify";
	clear_plan_build(&p, &r, chosen, NULL, 1, order, 5, &tis);
	buf_reset(&b);
	clear_plan_title(&b, &p, chosen, NULL, 1);
	assert_string_equal(buf_str(&b), "rerun notify");
	clear_plan_free(&p);
	clear_result_free(&r);
	buf_free(&b);
	af_tis_free(&tis);
}

/*
 * A 2.x answer names a mapped task once, without a map index: that is
 * every instance of it, so the count is 1 + 8, never "1" above 8 rows.
 * Instances the run does not have (yet) are still listed.
 */
static void
test_plan_mapped_count(void **state)
{
	static const char *const order[] = { "start", "process", "report" };
	const char		*chosen[] = { "process" };
	const int		 mi[] = { 2 };
	struct af_tis		 tis = { 0 };
	struct clear_result	 r;
	struct clear_plan	 p;
	struct buf		 b = BUF_INIT;
	char			 tmp[64];
	int			 k;

	(void)state;
	add_ti(&tis, "start", -1, TI_SUCCESS);
	for (k = 7; k >= 0; k--)
		add_ti(&tis, "process", k, k == 2 ? TI_FAILED : TI_SUCCESS);
	answer(&r, "{\"task_instances\": [{\"task_id\": \"report\"}, "
	    "{\"task_id\": \"process\"}]}");
	clear_plan_build(&p, &r, chosen, mi, 1, order, 3, &tis);
	assert_int_equal(p.n, 9);
	/* The chosen instance first, the other instances by map index. */
	assert_string_equal(line_name(&p, 0, tmp, sizeof tmp), "process[2]");
	assert_string_equal(line_name(&p, 1, tmp, sizeof tmp), "process[0]");
	assert_string_equal(line_name(&p, 2, tmp, sizeof tmp), "process[1]");
	assert_string_equal(line_name(&p, 3, tmp, sizeof tmp), "process[3]");
	assert_string_equal(line_name(&p, 7, tmp, sizeof tmp), "process[7]");
	/* report has no instance in the run: listed, state unknown. */
	assert_string_equal(line_name(&p, 8, tmp, sizeof tmp), "report");
	assert_null(p.v[8].ti);
	assert_int_equal(p.nchosen, 1);
	clear_plan_title(&b, &p, chosen, mi, 1);
	assert_string_equal(buf_str(&b), "rerun process[2] and 8 downstream");
	/* 7 of 9 succeeded: most. */
	buf_reset(&b);
	assert_true(clear_plan_succeeded(&b, &p));
	assert_string_equal(buf_str(&b), "7 of 9 succeeded");
	clear_plan_free(&p);
	clear_result_free(&r);

	/* 3.x names each instance: one line each, no duplicates. */
	answer(&r, "{\"task_instances\": [{\"task_id\": \"process\", "
	    "\"map_index\": 2}, {\"task_id\": \"process\", \"map_index\": 2}, "
	    "{\"task_id\": \"report\", \"map_index\": -1}]}");
	clear_plan_build(&p, &r, chosen, mi, 1, order, 3, &tis);
	assert_int_equal(p.n, 2);
	assert_string_equal(line_name(&p, 0, tmp, sizeof tmp), "process[2]");
	assert_string_equal(line_name(&p, 1, tmp, sizeof tmp), "report");
	buf_reset(&b);
	assert_false(clear_plan_succeeded(&b, &p));
	clear_plan_free(&p);
	clear_result_free(&r);
	buf_free(&b);
	af_tis_free(&tis);
}

/* A failed run's tasks: several chosen, in the order chosen; unknown last. */
static void
test_plan_several(void **state)
{
	static const char *const order[] = { "a", "b", "c", "d" };
	const char		*two[] = { "c", "a" };
	const char		*three[] = { "a", "b", "c" };
	struct af_tis		 tis = { 0 };
	struct clear_result	 r;
	struct clear_plan	 p;
	struct buf		 b = BUF_INIT;
	char			 tmp[64];

	(void)state;
	add_ti(&tis, "a", -1, TI_FAILED);
	add_ti(&tis, "b", -1, TI_SUCCESS);
	add_ti(&tis, "c", -1, TI_FAILED);
	add_ti(&tis, "d", -1, TI_SUCCESS);
	answer(&r, "{\"task_instances\": [{\"task_id\": \"zz\"}, "
	    "{\"task_id\": \"d\"}, {\"task_id\": \"a\"}, {\"task_id\": \"c\"}]}");
	clear_plan_build(&p, &r, two, NULL, 2, order, 4, &tis);
	assert_int_equal(p.n, 4);
	assert_string_equal(line_name(&p, 0, tmp, sizeof tmp), "c");
	assert_string_equal(line_name(&p, 1, tmp, sizeof tmp), "a");
	assert_string_equal(line_name(&p, 2, tmp, sizeof tmp), "d");
	assert_string_equal(line_name(&p, 3, tmp, sizeof tmp), "zz");
	clear_plan_title(&b, &p, two, NULL, 2);
	assert_string_equal(buf_str(&b), "rerun c, a and 2 downstream");
	buf_reset(&b);
	clear_plan_title(&b, &p, three, NULL, 3);
	assert_string_equal(buf_str(&b), "rerun 3 tasks and 2 downstream");
	clear_plan_free(&p);
	clear_result_free(&r);

	/* No instances known (another run on screen): every line, unknown. */
	answer(&r, "{\"task_instances\": [{\"task_id\": \"a\"}, "
	    "{\"task_id\": \"b\"}]}");
	clear_plan_build(&p, &r, two, NULL, 2, order, 4, NULL);
	assert_int_equal(p.n, 2);
	assert_null(p.v[0].ti);
	buf_reset(&b);
	clear_plan_title(&b, &p, two, NULL, 2);
	assert_string_equal(buf_str(&b), "rerun c, a and 1 downstream");
	clear_plan_free(&p);
	clear_result_free(&r);
	buf_free(&b);
	af_tis_free(&tis);
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
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_plan_mapped_count),
		cmocka_unit_test(test_plan_several),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
