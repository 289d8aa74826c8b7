/*
 * test_serdag.c: serialized DAG documents of every supported Airflow
 * (2.7-2.9 bare tasks, 2.10 wrapped tasks, 3.x "task_type" and omitted
 * defaults) read into task graphs, and the zlib streams of
 * serialized_dag.data_compressed, including the zlib-bomb guard
 * (src/model/serdag.c).
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
#include <zlib.h>

#include "graph.h"
#include "serdag.h"

#define WRAP(t) "{\"__type\": \"operator\", \"__var\": " t "}"

/* "id:depth ..." in topological order. */
static void
assert_order(const struct graph *g, const char *want)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < g->ntasks; i++)
		buf_printf(&b, "%s%s:%d", i ? " " : "",
		    g->tasks[g->order[i]].task_id,
		    g->tasks[g->order[i]].depth);
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("order \"%s\", want \"%s\"", buf_str(&b), want);
	buf_free(&b);
}

static struct graph *
parse_ok(const char *doc)
{
	struct buf	 err = BUF_INIT;
	struct graph	*g = serdag_parse(doc, strlen(doc), SERDAG_MAX_DEFAULT, &err);

	if (g == NULL)
		fail_msg("serdag_parse failed: %s", buf_str(&err));
	assert_string_equal(buf_str(&err), "");
	buf_free(&err);
	return g;
}

static const struct graph_task *
find(const struct graph *g, const char *id)
{
	size_t i = graph_find(g, id);

	if (i == (size_t)-1)
		fail_msg("no task %s", id);
	return &g->tasks[i];
}

/* 2.10: {"__version": 1, "dag": {...}}, tasks wrapped, "_task_type". */
static void
test_parse_210_wrapped(void **state)
{
	static const char doc[] =
	    "{\"__version\": 1, \"dag\": {\"_dag_id\": \"etl\", "
	    "\"fileloc\": \"/dags/etl.py\", \"schedule_interval\": \"@daily\", "
	    "\"tasks\": ["
	    WRAP("{\"_is_empty\": false, \"_task_module\": "
	    "\"airflow.operators.bash\", \"_task_type\": \"BashOperator\", "
	    "\"downstream_task_ids\": [\"transform\"], \"pool\": "
	    "\"default_pool\", \"retries\": 2, \"task_id\": \"extract\"}") ", "
	    WRAP("{\"_is_mapped\": true, \"_task_type\": \"PythonOperator\", "
	    "\"downstream_task_ids\": [\"load\", \"report\"], \"retries\": 0, "
	    "\"task_id\": \"transform\"}") ", "
	    WRAP("{\"_task_type\": \"PostgresOperator\", "
	    "\"downstream_task_ids\": [\"report\"], \"retries\": 5, "
	    "\"task_id\": \"load\"}") ", "
	    WRAP("{\"_task_type\": \"EmailOperator\", "
	    "\"downstream_task_ids\": [], \"task_id\": \"report\"}")
	    "], \"_task_group\": {\"_group_id\": null, \"children\": {}}}}";
	struct graph			*g = parse_ok(doc);
	const struct graph_task	*t;

	(void)state;
	assert_int_equal(g->ntasks, 4);
	assert_true(g->finished);
	assert_order(g, "extract:0 transform:1 load:2 report:3");
	assert_string_equal(buf_str(&g->warnings), "");
	t = find(g, "extract");
	assert_string_equal(t->task_type, "BashOperator");
	assert_int_equal(t->retries, 2);
	assert_false(t->mapped);
	t = find(g, "transform");
	assert_string_equal(t->task_type, "PythonOperator");
	assert_int_equal(t->retries, 0);
	assert_true(t->mapped);
	assert_int_equal(t->ndown, 2);
	t = find(g, "load");
	assert_int_equal(t->retries, 5);
	t = find(g, "report");
	assert_string_equal(t->task_type, "EmailOperator");
	assert_int_equal(t->retries, -1);
	assert_int_equal(t->nup, 2);
	graph_free(g);
}

/* 2.7-2.9: the task dicts themselves, no wrapper. */
static void
test_parse_27_unwrapped(void **state)
{
	static const char doc[] =
	    "{\"__version\": 1, \"dag\": {\"_dag_id\": \"etl\", \"tasks\": ["
	    "{\"_task_type\": \"BashOperator\", \"downstream_task_ids\": "
	    "[\"b\", \"c\"], \"retries\": 1, \"task_id\": \"a\"}, "
	    "{\"_is_mapped\": true, \"_task_type\": \"PythonOperator\", "
	    "\"downstream_task_ids\": [\"d\"], \"task_id\": \"b\"}, "
	    "{\"_task_type\": \"PythonOperator\", \"downstream_task_ids\": "
	    "[\"d\"], \"task_id\": \"c\"}, "
	    "{\"_task_type\": \"EmptyOperator\", \"downstream_task_ids\": [], "
	    "\"task_id\": \"d\"}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 4);
	assert_order(g, "a:0 b:1 c:1 d:2");
	assert_string_equal(buf_str(&g->warnings), "");
	assert_string_equal(find(g, "a")->task_type, "BashOperator");
	assert_int_equal(find(g, "a")->retries, 1);
	assert_true(find(g, "b")->mapped);
	assert_false(find(g, "c")->mapped);
	assert_string_equal(find(g, "d")->task_type, "EmptyOperator");
	graph_free(g);
}

/* 3.x: "task_type", "dag_id", and keys equal to their default left out. */
static void
test_parse_3x(void **state)
{
	static const char doc[] =
	    "{\"__version\": 3, \"client_defaults\": {\"tasks\": "
	    "{\"retries\": 0, \"pool\": \"default_pool\"}}, \"dag\": "
	    "{\"dag_id\": \"etl\", \"relative_fileloc\": \"etl.py\", "
	    "\"tasks\": ["
	    WRAP("{\"_task_module\": \"airflow.providers.standard.operators."
	    "bash\", \"downstream_task_ids\": [\"group.load\"], \"task_id\": "
	    "\"extract\", \"task_type\": \"BashOperator\"}") ", "
	    WRAP("{\"_is_mapped\": true, \"retries\": 3, \"task_id\": "
	    "\"group.load\", \"task_type\": \"PythonOperator\"}") ", "
	    WRAP("{\"task_id\": \"cleanup\", \"task_type\": \"EmptyOperator\"}")
	    "], \"task_group\": {\"_group_id\": null}}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 3);
	assert_order(g, "extract:0 cleanup:0 group.load:1");
	assert_string_equal(buf_str(&g->warnings), "");
	assert_string_equal(find(g, "extract")->task_type, "BashOperator");
	assert_int_equal(find(g, "extract")->retries, -1);
	assert_string_equal(find(g, "group.load")->task_type,
	    "PythonOperator");
	assert_true(find(g, "group.load")->mapped);
	assert_int_equal(find(g, "group.load")->retries, 3);
	assert_int_equal(find(g, "cleanup")->ndown, 0);
	graph_free(g);
}

/* 3.0 may write downstream_task_ids as null: the same as absent. */
static void
test_parse_null_downstream(void **state)
{
	static const char doc[] =
	    "{\"__version\": 2, \"dag\": {\"dag_id\": \"d\", \"tasks\": ["
	    WRAP("{\"downstream_task_ids\": null, \"task_id\": \"a\", "
	    "\"task_type\": \"EmptyOperator\"}") "]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 1);
	assert_string_equal(buf_str(&g->warnings), "");
	graph_free(g);
}

/* A bare DAG object, as some tools store it, and a non-object "dag". */
static void
test_parse_bare_dag(void **state)
{
	static const char bare[] =
	    "{\"dag_id\": \"d\", \"tasks\": [{\"task_id\": \"a\", "
	    "\"downstream_task_ids\": [\"b\"]}, {\"task_id\": \"b\"}]}";
	static const char odd_dag[] =
	    "{\"dag\": \"not an object\", \"tasks\": [{\"task_id\": \"a\"}]}";
	struct graph *g;

	(void)state;
	g = parse_ok(bare);
	assert_order(g, "a:0 b:1");
	assert_null(find(g, "a")->task_type);
	assert_int_equal(find(g, "a")->retries, -1);
	graph_free(g);
	g = parse_ok(odd_dag);
	assert_order(g, "a:0");
	graph_free(g);
}

/* The 2.10 reader accepts both task forms in one document; so do we. */
static void
test_parse_mixed_forms_and_type_keys(void **state)
{
	static const char doc[] =
	    "{\"dag\": {\"tasks\": ["
	    WRAP("{\"task_id\": \"a\", \"downstream_task_ids\": [\"b\"], "
	    "\"_task_type\": \"Old\", \"task_type\": \"New\"}") ", "
	    "{\"task_id\": \"b\", \"_task_type\": \"BashOperator\"}, "
	    "{\"__type\": \"operator\", \"__var\": 7, \"task_id\": \"c\"}, "
	    "{\"task_id\": \"d\", \"task_type\": 5, \"_task_type\": \"X\"}, "
	    "{\"task_id\": \"e\", \"task_type\": null}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 5);
	assert_order(g, "a:0 c:0 d:0 e:0 b:1");
	/* 3.x's key wins when both are there. */
	assert_string_equal(find(g, "a")->task_type, "New");
	assert_string_equal(find(g, "b")->task_type, "BashOperator");
	/* A "__var" that is no object: the element itself is the task. */
	assert_null(find(g, "c")->task_type);
	assert_string_equal(find(g, "d")->task_type, "X");
	assert_null(find(g, "e")->task_type);
	assert_string_equal(buf_str(&g->warnings), "");
	graph_free(g);
}

static void
test_parse_mapped_and_retries(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": ["
	    "{\"task_id\": \"m1\", \"_is_mapped\": true, \"retries\": 0}, "
	    "{\"task_id\": \"m2\", \"_is_mapped\": false, \"retries\": 10}, "
	    "{\"task_id\": \"m3\", \"_is_mapped\": \"true\", "
	    "\"retries\": \"3\"}, "
	    "{\"task_id\": \"m4\", \"_is_mapped\": 1, \"retries\": 2.5}, "
	    "{\"task_id\": \"m5\", \"retries\": null}, "
	    "{\"task_id\": \"m6\", \"retries\": 100000}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_true(find(g, "m1")->mapped);
	assert_int_equal(find(g, "m1")->retries, 0);
	assert_false(find(g, "m2")->mapped);
	assert_int_equal(find(g, "m2")->retries, 10);
	/* Only JSON true is mapped; only an integer is a retry count. */
	assert_false(find(g, "m3")->mapped);
	assert_int_equal(find(g, "m3")->retries, -1);
	assert_false(find(g, "m4")->mapped);
	assert_int_equal(find(g, "m4")->retries, -1);
	assert_false(find(g, "m5")->mapped);
	assert_int_equal(find(g, "m5")->retries, -1);
	assert_int_equal(find(g, "m6")->retries, 100000);
	graph_free(g);
}

static void
test_parse_tasks_without_id(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": ["
	    "{\"task_id\": \"a\", \"downstream_task_ids\": [\"c\"]}, "
	    "{\"_task_type\": \"BashOperator\"}, "
	    "5, "
	    WRAP("{\"task_id\": 42}") ", "
	    "{\"task_id\": null}, "
	    "[\"task_id\", \"x\"], "
	    "{\"task_id\": \"c\"}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 2);
	assert_order(g, "a:0 c:1");
	assert_string_equal(buf_str(&g->warnings),
	    "task #1 has no task_id\n"
	    "task #2 has no task_id\n"
	    "task #3 has no task_id\n"
	    "task #4 has no task_id\n"
	    "task #5 has no task_id\n");
	graph_free(g);
}

static void
test_parse_bad_downstream(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": ["
	    "{\"task_id\": \"a\", \"downstream_task_ids\": \"b\"}, "
	    "{\"task_id\": \"b\", \"downstream_task_ids\": {\"c\": 1}}, "
	    "{\"task_id\": \"c\", \"downstream_task_ids\": [7, \"d\", null]}, "
	    "{\"task_id\": \"d\", \"downstream_task_ids\": [\"ghost\"]}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 4);
	assert_string_equal(buf_str(&g->warnings),
	    "task a: downstream_task_ids is not a list\n"
	    "task b: downstream_task_ids is not a list\n"
	    "task c: a downstream id is not a string\n"
	    "task c: a downstream id is not a string\n"
	    "edge d -> ghost names an unknown task\n");
	/* The good edge of c survives. */
	assert_order(g, "a:0 b:0 c:0 d:1");
	graph_free(g);
}

static void
test_parse_cycle_and_duplicates(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": ["
	    "{\"task_id\": \"a\", \"downstream_task_ids\": [\"b\"]}, "
	    "{\"task_id\": \"b\", \"downstream_task_ids\": [\"a\"]}, "
	    "{\"task_id\": \"s\", \"downstream_task_ids\": [\"s\"]}, "
	    "{\"task_id\": \"a\", \"downstream_task_ids\": []}]}}";
	struct graph *g = parse_ok(doc);

	(void)state;
	assert_int_equal(g->ntasks, 3);
	assert_order(g, "s:0 a:-1 b:-1");
	assert_string_equal(buf_str(&g->warnings),
	    "duplicate task id a\n"
	    "task s depends on itself\n"
	    "cycle through tasks: a b\n");
	graph_free(g);
}

static void
test_parse_invalid_json(void **state)
{
	static const char *const bad[] = {
		"", "{", "not json", "{\"dag\": }", "{\"dag\": {\"tasks\": [}}",
		"{\"dag\": {}} trailing", "\xff\xfe",
	};
	struct buf	 err = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		buf_reset(&err);
		assert_null(serdag_parse(bad[i], strlen(bad[i]), SERDAG_MAX_DEFAULT, &err));
		if (strstr(buf_str(&err), "not valid JSON") == NULL)
			fail_msg("input %zu: err \"%s\"", i, buf_str(&err));
		assert_null(strchr(buf_str(&err), '\n'));
	}
	/* len is honoured: the text is cut short before its end. */
	buf_reset(&err);
	assert_null(serdag_parse("{\"dag\": {\"tasks\": []}}", 10, SERDAG_MAX_DEFAULT, &err));
	assert_non_null(strstr(buf_str(&err), "not valid JSON"));
	buf_free(&err);
}

/*
 * The dag_dependencies list of a document (a compressed row's, inflated),
 * written back as JSON: as it is, "[]" when absent or null, the same
 * limits and messages as a parse.
 */
static void
test_dependencies(void **state)
{
	static const char doc[] = "{\"__version\": 1, \"dag\": {\"_dag_id\": "
	    "\"r\", \"tasks\": [], \"dag_dependencies\": [{\"source\": "
	    "\"s\", \"target\": \"r\", \"dependency_type\": \"sensor\", "
	    "\"dependency_id\": \"w\"}]}}";
	static const char none[] = "{\"dag\": {\"tasks\": []}}";
	static const char null[] = "{\"dag\": {\"dag_dependencies\": null}}";
	static const char bare[] = "{\"dag_dependencies\": [1]}";
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	assert_int_equal(serdag_dependencies(doc, sizeof doc - 1,
	    SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&out), "[{\"source\":\"s\",\"target\":"
	    "\"r\",\"dependency_type\":\"sensor\",\"dependency_id\":\"w\"}]");
	assert_string_equal(buf_str(&err), "");
	buf_reset(&out);
	assert_int_equal(serdag_dependencies(none, sizeof none - 1,
	    SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&out), "[]");
	buf_reset(&out);
	assert_int_equal(serdag_dependencies(null, sizeof null - 1,
	    SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&out), "[]");
	buf_reset(&out);
	assert_int_equal(serdag_dependencies(bare, sizeof bare - 1,
	    SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&out), "[1]");
	buf_reset(&out);
	assert_int_equal(serdag_dependencies("{", 1, SERDAG_MAX_DEFAULT, &out,
	    &err), -1);
	assert_non_null(strstr(buf_str(&err), "not valid JSON"));
	buf_reset(&err);
	assert_int_equal(serdag_dependencies(doc, sizeof doc - 1,
	    sizeof doc - 2, &out, &err), -1);
	assert_non_null(strstr(buf_str(&err), "serialized_dag_max"));
	assert_string_equal(buf_str(&out), "");
	buf_free(&out);
	buf_free(&err);
}

static void
test_parse_no_task_list(void **state)
{
	static const char *const none[] = {
		"{}", "{\"dag\": {}}", "{\"dag\": {\"tasks\": {}}}",
		"{\"dag\": {\"tasks\": null}}", "{\"dag\": {\"tasks\": \"a\"}}",
		"[]", "[{\"tasks\": []}]",
		"{\"__version\": 1, \"dag\": {\"_dag_id\": \"x\"}}",
	};
	/* JSON, but not an object or array at the top: refused either way. */
	static const char *const scalars[] = { "42", "\"text\"", "null" };
	struct buf	 err = BUF_INIT;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof none / sizeof *none; i++) {
		buf_reset(&err);
		assert_null(serdag_parse(none[i], strlen(none[i]), SERDAG_MAX_DEFAULT, &err));
		if (strcmp(buf_str(&err),
		    "serialized DAG has no task list") != 0)
			fail_msg("%s: err \"%s\"", none[i], buf_str(&err));
	}
	for (i = 0; i < sizeof scalars / sizeof *scalars; i++) {
		buf_reset(&err);
		assert_null(serdag_parse(scalars[i], strlen(scalars[i]), SERDAG_MAX_DEFAULT, &err));
		assert_true(err.len > 0);
	}
	buf_free(&err);
}

static void
test_parse_empty_task_list(void **state)
{
	struct graph *g = parse_ok("{\"__version\": 3, \"dag\": "
	    "{\"dag_id\": \"d\", \"tasks\": []}}");

	(void)state;
	assert_int_equal(g->ntasks, 0);
	assert_true(g->finished);
	assert_string_equal(buf_str(&g->warnings), "");
	graph_free(g);
}

/* The text of data_compressed: Python's zlib.compress, RFC 1950. */
static unsigned char *
zlib_compress(const void *p, size_t n, int level, size_t *zlen)
{
	uLongf		 len = compressBound(n);
	unsigned char	*z = malloc(len);

	assert_non_null(z);
	assert_int_equal(compress2(z, &len, p, n, level), Z_OK);
	*zlen = len;
	return z;
}

static void
test_inflate_round_trip(void **state)
{
	static const char doc[] = "{\"__version\": 1, \"dag\": {\"_dag_id\": "
	    "\"d\", \"tasks\": [" WRAP("{\"_task_type\": \"BashOperator\", "
	    "\"downstream_task_ids\": [\"b\"], \"task_id\": \"a\"}") ", "
	    WRAP("{\"_task_type\": \"BashOperator\", \"task_id\": \"b\"}")
	    "]}}";
	unsigned char	*z;
	size_t		 zlen;
	uLongf		 clen;
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	struct graph	*g;

	(void)state;
	/* compress() writes what Python's zlib.compress writes. */
	clen = compressBound(sizeof doc - 1);
	z = malloc(clen);
	assert_non_null(z);
	assert_int_equal(compress(z, &clen, (const Bytef *)doc,
	    sizeof doc - 1), Z_OK);
	assert_int_equal(serdag_inflate(z, clen, SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(out.len, sizeof doc - 1);
	assert_memory_equal(out.data, doc, sizeof doc - 1);
	g = serdag_parse(out.data, out.len, SERDAG_MAX_DEFAULT, &err);
	assert_non_null(g);
	assert_order(g, "a:0 b:1");
	graph_free(g);
	free(z);

	/* Stored blocks (level 0) read the same. */
	buf_reset(&out);
	z = zlib_compress(doc, sizeof doc - 1, 0, &zlen);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_int_equal(out.len, sizeof doc - 1);
	assert_memory_equal(out.data, doc, sizeof doc - 1);
	free(z);

	/* An empty document. */
	buf_reset(&out);
	z = zlib_compress("", 0, 6, &zlen);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err), 0);
	assert_int_equal(out.len, 0);
	assert_string_equal(buf_str(&err), "");
	free(z);
	buf_free(&out);
	buf_free(&err);
}

/* Sizes around the 64 KiB steps the inflater works in. */
static void
test_inflate_large(void **state)
{
	static const size_t sizes[] = {
		65535, 65536, 65537, 131072, 3 * 65536 + 17, 2 * 1024 * 1024,
	};
	unsigned char	*doc, *z;
	size_t		 i, k, zlen;
	uint32_t	 x = 12345;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	doc = malloc(2 * 1024 * 1024);
	assert_non_null(doc);
	/* Text that compresses only a little, so input spans many steps. */
	for (k = 0; k < 2 * 1024 * 1024; k++) {
		x = x * 1103515245u + 12345u;
		doc[k] = (unsigned char)('a' + (x >> 16) % 26);
	}
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		z = zlib_compress(doc, sizes[i], 9, &zlen);
		buf_reset(&out);
		if (serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err) != 0)
			fail_msg("%zu bytes: %s", sizes[i], buf_str(&err));
		assert_int_equal(out.len, sizes[i]);
		assert_memory_equal(out.data, doc, sizes[i]);
		/* Missing its adler32 trailer, or part of it. */
		buf_reset(&out);
		assert_int_equal(serdag_inflate(z, zlen - 4, SERDAG_MAX_DEFAULT, &out, &err), -1);
		assert_int_equal(strncmp(buf_str(&err), "zlib: ", 6), 0);
		buf_reset(&err);
		buf_reset(&out);
		assert_int_equal(serdag_inflate(z, zlen - 1, SERDAG_MAX_DEFAULT, &out, &err), -1);
		buf_reset(&err);
		buf_reset(&out);
		assert_int_equal(serdag_inflate(z, zlen / 2, SERDAG_MAX_DEFAULT, &out, &err), -1);
		assert_int_equal(strncmp(buf_str(&err), "zlib: ", 6), 0);
		buf_reset(&err);
		free(z);
	}
	free(doc);
	buf_free(&out);
	buf_free(&err);
}

/* Every proper prefix of a stream is an error, never a document. */
static void
test_inflate_truncated(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": [{\"task_id\": \"a\"},"
	    " {\"task_id\": \"b\"}, {\"task_id\": \"c\"}]}}";
	unsigned char	*z;
	size_t		 zlen, k;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	z = zlib_compress(doc, sizeof doc - 1, 9, &zlen);
	for (k = 0; k < zlen; k++) {
		buf_reset(&out);
		buf_reset(&err);
		if (serdag_inflate(z, k, SERDAG_MAX_DEFAULT, &out, &err) != -1)
			fail_msg("a %zu-byte prefix of %zu inflated", k, zlen);
		if (strncmp(buf_str(&err), "zlib: ", 6) != 0 ||
		    strchr(buf_str(&err), '\n') != NULL)
			fail_msg("prefix %zu: err \"%s\"", k, buf_str(&err));
	}
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(z, zlen - 4, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_string_equal(buf_str(&err), "zlib: truncated stream");
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(z, 0, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_string_equal(buf_str(&err), "zlib: truncated stream");
	free(z);
	buf_free(&out);
	buf_free(&err);
}

static void
test_inflate_garbage(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": []}}";
	unsigned char	*z, gz[128], raw[128];
	size_t		 zlen;
	z_stream	 zs;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	assert_int_equal(serdag_inflate((const unsigned char *)
	    "\xde\xad\xbe\xef", 4, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_string_equal(buf_str(&err), "zlib: incorrect header check");
	buf_reset(&err);
	buf_reset(&out);
	/* The JSON text itself, not compressed. */
	assert_int_equal(serdag_inflate((const unsigned char *)doc,
	    sizeof doc - 1, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_int_equal(strncmp(buf_str(&err), "zlib: ", 6), 0);

	/* A gzip stream (RFC 1952) and a raw deflate stream are not zlib. */
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)doc;
	zs.avail_in = sizeof doc - 1;
	zs.next_out = gz;
	zs.avail_out = sizeof gz;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(gz, sizeof gz - zs.avail_out, SERDAG_MAX_DEFAULT, &out,
	    &err), -1);
	assert_string_equal(buf_str(&err), "zlib: incorrect header check");
	deflateEnd(&zs);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)doc;
	zs.avail_in = sizeof doc - 1;
	zs.next_out = raw;
	zs.avail_out = sizeof raw;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(raw, sizeof raw - zs.avail_out, SERDAG_MAX_DEFAULT, &out,
	    &err), -1);
	assert_int_equal(strncmp(buf_str(&err), "zlib: ", 6), 0);
	deflateEnd(&zs);

	/* A good stream with a wrong checksum. */
	z = zlib_compress(doc, sizeof doc - 1, 9, &zlen);
	z[zlen - 1] ^= 0x55;
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_string_equal(buf_str(&err), "zlib: incorrect data check");
	/* A corrupted block inside. */
	z[zlen - 1] ^= 0x55;
	z[2] = 0xff;
	buf_reset(&err);
	buf_reset(&out);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err), -1);
	assert_int_equal(strncmp(buf_str(&err), "zlib: ", 6), 0);
	free(z);
	buf_free(&out);
	buf_free(&err);
}

/*
 * A zlib stream of n bytes of zeros, made by feeding one 1 MiB buffer to
 * deflate again and again: about 1 KiB of output per MiB, and far quicker
 * than compressing the whole thing from memory.
 */
static unsigned char *
zeros_stream(size_t n, size_t *zlen)
{
	static unsigned char	 zero[1 << 20];
	struct buf		 z = BUF_INIT;
	unsigned char		 chunk[1 << 16];
	z_stream		 zs;
	size_t			 left = n;
	int			 flush, rc;

	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit(&zs, Z_BEST_COMPRESSION), Z_OK);
	do {
		zs.next_in = zero;
		zs.avail_in = left < sizeof zero ? (uInt)left : sizeof zero;
		left -= zs.avail_in;
		flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
		do {
			zs.next_out = chunk;
			zs.avail_out = sizeof chunk;
			rc = deflate(&zs, flush);
			assert_true(rc == Z_OK || rc == Z_STREAM_END ||
			    rc == Z_BUF_ERROR);
			buf_append(&z, chunk, sizeof chunk - zs.avail_out);
		} while (zs.avail_out == 0);
	} while (flush != Z_FINISH);
	assert_int_equal(rc, Z_STREAM_END);
	deflateEnd(&zs);
	*zlen = z.len;
	return (unsigned char *)buf_detach(&z);
}

/* The largest document accepted by default is exactly SERDAG_MAX_DEFAULT. */
static void
test_inflate_limit_exact(void **state)
{
	unsigned char	*z;
	size_t		 zlen, i;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	z = zeros_stream(SERDAG_MAX_DEFAULT, &zlen);
	assert_true(zlen < SERDAG_MAX_DEFAULT / 512);
	if (serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out, &err) != 0)
		fail_msg("%u bytes refused: %s", SERDAG_MAX_DEFAULT,
		    buf_str(&err));
	assert_int_equal(out.len, SERDAG_MAX_DEFAULT);
	for (i = 0; i < out.len; i += 4096)
		assert_int_equal(out.data[i], 0);
	assert_int_equal(out.data[out.len - 1], 0);
	free(z);
	buf_free(&out);
	buf_free(&err);
}

/*
 * A bomb: 1 MiB over the limit from a stream of about a quarter MiB.  It is
 * refused, and inflating stops at the limit: nothing past it is kept.
 */
static void
test_inflate_bomb(void **state)
{
	unsigned char	*z;
	size_t		 zlen, n = (size_t)SERDAG_MAX_DEFAULT + (1u << 20);
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	z = zeros_stream(n, &zlen);
	assert_int_equal(serdag_inflate(z, zlen, SERDAG_MAX_DEFAULT, &out,
	    &err), -1);
	assert_string_equal(buf_str(&err), "inflated document larger than "
	    "33554432 bytes (serialized_dag_max)");
	assert_true(out.len <= SERDAG_MAX_DEFAULT);
	free(z);
	buf_free(&out);
	buf_free(&err);
}

/*
 * A zlib stream of head, then unit n times, then tail, fed to deflate a
 * megabyte at a time.
 */
static unsigned char *
pattern_stream(const char *head, const char *unit, size_t n, const char *tail,
    size_t *zlen, size_t *plain)
{
	struct buf	 z = BUF_INIT, block = BUF_INIT;
	unsigned char	 chunk[1 << 16];
	z_stream	 zs;
	size_t		 ulen = strlen(unit), per, left = n, k;
	int		 rc, flush, part;

	per = (1u << 20) / ulen;
	for (k = 0; k < per; k++)
		buf_puts(&block, unit);
	memset(&zs, 0, sizeof zs);
	assert_int_equal(deflateInit(&zs, Z_BEST_COMPRESSION), Z_OK);
	*plain = 0;
	for (part = 0; part < 3; part++) {
		do {
			if (part == 0) {
				zs.next_in = (unsigned char *)head;
				zs.avail_in = (uInt)strlen(head);
			} else if (part == 1) {
				k = left < per ? left : per;
				zs.next_in = (unsigned char *)block.data;
				zs.avail_in = (uInt)(k * ulen);
				left -= k;
			} else {
				zs.next_in = (unsigned char *)tail;
				zs.avail_in = (uInt)strlen(tail);
			}
			*plain += zs.avail_in;
			flush = part == 2 ? Z_FINISH : Z_NO_FLUSH;
			do {
				zs.next_out = chunk;
				zs.avail_out = sizeof chunk;
				rc = deflate(&zs, flush);
				assert_true(rc == Z_OK || rc == Z_STREAM_END ||
				    rc == Z_BUF_ERROR);
				buf_append(&z, chunk,
				    sizeof chunk - zs.avail_out);
			} while (zs.avail_out == 0);
		} while (part == 1 && left > 0);
	}
	assert_int_equal(rc, Z_STREAM_END);
	deflateEnd(&zs);
	buf_free(&block);
	*zlen = z.len;
	return (unsigned char *)buf_detach(&z);
}

/*
 * Issue 14: 255 KB of data_compressed, a long run of spaces, used to
 * inflate to 256 MiB and then go to the JSON parser.  With the setting at
 * 1 MiB the same kind of stream stops at 1 MiB, quickly.
 */
static void
test_inflate_spaces_setting(void **state)
{
	unsigned char	*z;
	size_t		 zlen, plain, max = 1u << 20;
	struct buf	 out = BUF_INIT, err = BUF_INIT;

	(void)state;
	z = pattern_stream("{\"dag\": {\"tasks\": [", " ", 200u << 20, "]}}",
	    &zlen, &plain);
	assert_true(zlen < 256 * 1024);
	assert_int_equal(serdag_inflate(z, zlen, max, &out, &err), -1);
	assert_string_equal(buf_str(&err), "inflated document larger than "
	    "1048576 bytes (serialized_dag_max)");
	assert_true(out.len <= max);
	/* Exactly at the setting is accepted. */
	free(z);
	z = pattern_stream("", " ", max, "", &zlen, &plain);
	buf_reset(&out);
	buf_reset(&err);
	assert_int_equal(serdag_inflate(z, zlen, max, &out, &err), 0);
	assert_int_equal(out.len, max);
	buf_reset(&out);
	buf_reset(&err);
	assert_int_equal(serdag_inflate(z, zlen, max - 1, &out, &err), -1);
	free(z);
	buf_free(&out);
	buf_free(&err);
}

/* A document over the setting is refused before any parsing. */
static void
test_parse_over_setting(void **state)
{
	static const char doc[] = "{\"dag\": {\"tasks\": "
	    "[{\"task_id\": \"a\"}]}}";
	struct buf	 err = BUF_INIT;
	struct graph	*g;

	(void)state;
	assert_null(serdag_parse(doc, sizeof doc - 1, sizeof doc - 2, &err));
	assert_non_null(strstr(buf_str(&err), "serialized_dag_max"));
	buf_reset(&err);
	g = serdag_parse(doc, sizeof doc - 1, sizeof doc - 1, &err);
	assert_non_null(g);
	graph_free(g);
	buf_free(&err);
}

/*
 * A parse bomb: JSON that jansson blows up seventy-fold ([{}, {}, ...]:
 * three bytes of text, a hash table each).  Inside the size setting, it is
 * stopped by the parse budget (SERDAG_PARSE_FACTOR times the setting), and
 * an ordinary document parses afterwards (jansson's allocator is back).
 */
static void
test_parse_bomb_budget(void **state)
{
	unsigned char	*z;
	size_t		 zlen, plain, max = 4u << 20;
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	struct graph	*g;

	(void)state;
	z = pattern_stream("{\"dag\": {\"tasks\": [", "{},", (max - 64) / 3,
	    "{}]}}", &zlen, &plain);
	assert_true(plain <= max);
	assert_int_equal(serdag_inflate(z, zlen, max, &out, &err), 0);
	assert_null(serdag_parse(out.data, out.len, max, &err));
	assert_string_equal(buf_str(&err), "serialized DAG too large to read "
	    "(its parse would take more than 33554432 bytes; "
	    "serialized_dag_max)");
	free(z);
	g = parse_ok("{\"dag\": {\"tasks\": [{\"task_id\": \"a\"}]}}");
	assert_int_equal(g->ntasks, 1);
	graph_free(g);
	buf_free(&out);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_210_wrapped),
		cmocka_unit_test(test_parse_27_unwrapped),
		cmocka_unit_test(test_parse_3x),
		cmocka_unit_test(test_parse_null_downstream),
		cmocka_unit_test(test_parse_bare_dag),
		cmocka_unit_test(test_parse_mixed_forms_and_type_keys),
		cmocka_unit_test(test_parse_mapped_and_retries),
		cmocka_unit_test(test_parse_tasks_without_id),
		cmocka_unit_test(test_parse_bad_downstream),
		cmocka_unit_test(test_parse_cycle_and_duplicates),
		cmocka_unit_test(test_parse_invalid_json),
		cmocka_unit_test(test_dependencies),
		cmocka_unit_test(test_parse_no_task_list),
		cmocka_unit_test(test_parse_empty_task_list),
		cmocka_unit_test(test_inflate_round_trip),
		cmocka_unit_test(test_inflate_large),
		cmocka_unit_test(test_inflate_truncated),
		cmocka_unit_test(test_inflate_garbage),
		cmocka_unit_test(test_inflate_limit_exact),
		cmocka_unit_test(test_inflate_bomb),
		cmocka_unit_test(test_inflate_spaces_setting),
		cmocka_unit_test(test_parse_over_setting),
		cmocka_unit_test(test_parse_bomb_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
