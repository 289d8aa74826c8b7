/*
 * test_db_compare.c: the blue/green facts (compare.h) of run.sh's afcmp_blue
 * (Airflow 2.10) and afcmp_green (3.1), fixture_compare_blue.sql and
 * fixture_compare_green.sql: every active DAG's task graph
 * (sched_fetch_shapes: the newest serialized DAG, compressed ones, task
 * groups by their tasks' full ids) and per task the figures of the last
 * seven days (sched_fetch_task_stats) are the values the fixtures' headers
 * work out, from the database source and through the Airflow API emulator
 * (--self-test, pages of 5) alike, the API's in the requests
 * airflow_rest_compare.c's header counts.  The databases do not depend on
 * the schema run.sh passes: the test runs once, on schema 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/types.h>

#include <cmocka.h>
#include <jansson.h>

#include "airflow_rest.h"
#include "buf.h"
#include "compare.h"
#include "dbtest.h"
#include "http.h"
#include "loop.h"
#include "scheduler.h"

/* The fixtures' facts, as shapes_text and tasks_text write them. */
static const char blue_shapes[] =
    "cmp_double: write;\n"
    "cmp_gone: a b; a>b\n"
    "cmp_graph: check ingest.extract ingest.load start; "
    "ingest.extract>ingest.load start>check start>ingest.extract\n"
    "cmp_paused: only;\n"
    "cmp_same: extract load transform; extract>transform transform>load\n"
    "cmp_sla: build;\n"
    "cmp_slow: crunch publish; crunch>publish\n";
static const char green_shapes[] =
    "cmp_double: write;\n"
    "cmp_graph: audit check ingest.extract ingest.load start; "
    "ingest.extract>check ingest.extract>ingest.load ingest.load>audit "
    "start>ingest.extract\n"
    "cmp_paused: only;\n"
    "cmp_same: extract load transform; extract>transform transform>load\n"
    "cmp_sla: build;\n"
    "cmp_slow: crunch publish; crunch>publish\n";
static const char blue_tasks[] =
    "cmp_double/write 6 0 50 50\n"
    "cmp_gone/a 6 0 10 10\n"
    "cmp_gone/b 6 0 20 20\n"
    "cmp_graph/check 6 0 10 10\n"
    "cmp_graph/ingest.extract 6 0 40 40\n"
    "cmp_graph/ingest.load 6 0 20 20\n"
    "cmp_graph/start 6 0 5 5\n"
    "cmp_paused/only 6 0 100 100\n"
    "cmp_same/extract 6 0 66 90\n"
    "cmp_same/load 6 0 30 32\n"
    "cmp_same/transform 6 1 300 320\n"
    "cmp_sla/build 6 0 3600 3600\n"
    "cmp_slow/crunch 6 0 500 700\n"
    "cmp_slow/publish 6 0 100 100\n";
static const char green_tasks[] =
    "cmp_double/write 6 0 50 50\n"
    "cmp_graph/check 6 0 10 10\n"
    "cmp_graph/ingest.extract 6 0 40 40\n"
    "cmp_graph/ingest.load 6 0 20 20\n"
    "cmp_graph/start 6 0 5 5\n"
    "cmp_paused/only 6 0 100 100\n"
    "cmp_same/extract 6 0 66 90\n"
    "cmp_same/load 6 0 30 32\n"
    "cmp_same/transform 6 1 300 320\n"
    "cmp_sla/build 6 0 3600 3600\n"
    "cmp_slow/crunch 6 0 700 980\n"
    "cmp_slow/publish 6 0 140 140\n";

struct side {
	const char	*db;
	int		 schema;
	const char	*shapes, *tasks;
	long		 shape_requests;	/* DAG pages of 5 + A tasks */
};

static const struct side sides[] = {
	/* 7 DAGs: 2 pages and 7 tasks reads. */
	{ "afcmp_blue", 2, blue_shapes, blue_tasks, 2 + 7 },
	/* 6 DAGs: 2 pages and 6. */
	{ "afcmp_green", 3, green_shapes, green_tasks, 2 + 6 },
};

/* "dag: task task; up>down up>down", one shape a line, in their order. */
static char *
shapes_text(const struct cmp_shapes *s)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < s->n; i++) {
		const struct cmp_shape *x = &s->v[i];

		buf_printf(&b, "%s:", x->dag_id);
		if (x->unknown)
			buf_puts(&b, " unknown");
		for (size_t k = 0; k < x->ntasks; k++)
			buf_printf(&b, " %s", x->tasks[k]);
		buf_puts(&b, ";");
		for (size_t k = 0; k < x->nedges; k++) {
			const char *tab = strchr(x->edges[k], '\t');

			assert_non_null(tab);
			buf_printf(&b, " %.*s>%s", (int)(tab - x->edges[k]),
			    x->edges[k], tab + 1);
		}
		buf_puts(&b, "\n");
	}
	return buf_detach(&b);
}

/* "dag/task n failed median p90", one task a line, in their order. */
static char *
tasks_text(const struct cmp_tasks *t)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < t->n; i++)
		buf_printf(&b, "%s/%s %zu %zu %g %g\n", t->v[i].dag_id,
		    t->v[i].task_id, t->v[i].n, t->v[i].failed,
		    t->v[i].median, t->v[i].p90);
	return buf_detach(&b);
}

/* Both facts of one source, checked against the side's. */
static void
check_source(struct sched *sd, const struct side *s, const char *how)
{
	struct cmp_shapes	 shapes = { 0 };
	struct cmp_tasks	 tasks = { 0 };
	struct buf		 warn = BUF_INIT;
	struct waiter		 w = { false, NULL };
	char			*text;

	sched_fetch_shapes(sd, &shapes, &warn, wake, &w);
	wait_ok(&w);
	text = shapes_text(&shapes);
	if (strcmp(text, s->shapes) != 0)
		fail_msg("%s %s shapes:\n%s\nwanted:\n%s", s->db, how, text,
		    s->shapes);
	assert_string_equal(buf_str(&warn), "");
	free(text);
	cmp_shapes_free(&shapes);

	w.done = false;
	sched_fetch_task_stats(sd, (int64_t)time(NULL) - 7 * 86400, &tasks,
	    wake, &w);
	wait_ok(&w);
	text = tasks_text(&tasks);
	if (strcmp(text, s->tasks) != 0)
		fail_msg("%s %s task figures:\n%s\nwanted:\n%s", s->db, how,
		    text, s->tasks);
	free(text);
	cmp_tasks_free(&tasks);
	buf_free(&warn);
}

static void
test_database(void **state)
{
	(void)state;
	setenv("DAGTOP_TEST_PW", "reader-secret", 1);
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		char		*err = NULL;
		struct sched	*sd = open_as(sides[i].db, "reader", &err);

		if (sd == NULL)
			fail_msg("cannot open %s: %s", sides[i].db, err);
		check_source(sd, &sides[i], "database");
		sched_free(sd);
	}
}

/* The emulator found no request or answer its OpenAPI document refuses. */
static void
spec_clean(const char *url)
{
	char	 cmd[160], out[65536];
	FILE	*p;
	size_t	 n;
	json_t	*doc;

	snprintf(cmd, sizeof cmd, "curl -s %s/_emu/invalid", url);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("curl");
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	pclose(p);
	doc = json_loads(out, 0, NULL);
	if (doc == NULL ||
	    !json_is_true(json_object_get(doc, "validating")) ||
	    json_array_size(json_object_get(doc, "invalid")) != 0)
		fail_msg("the emulator's /_emu/invalid: %s", out);
	json_decref(doc);
}

/* A side behind the emulator: started by setup, stopped by teardown. */
struct api_side {
	const struct side	*side;
	pid_t			 emu;
	char			 url[64];
};

static struct api_side api_sides[2] = { { &sides[0], 0, "" },
    { &sides[1], 0, "" } };

/* The emulator serves the API of the side's Airflow. */
static int
emu_setup(void **state)
{
	struct api_side	*a = *state;
	int		 saved = schema;

	schema = a->side->schema;
	a->emu = dbtest_emu_start(a->side->db, true, a->url, sizeof a->url);
	schema = saved;
	return 0;
}

static int
emu_teardown(void **state)
{
	struct api_side *a = *state;

	dbtest_emu_stop(a->emu);
	return 0;
}

static void
test_api(void **state)
{
	struct api_side		*a = *state;
	struct airflow_api_opts	 o;
	struct http_opts	 ho;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct waiter		 w = { false, NULL };
	struct sched		*sd;
	struct cmp_shapes	 shapes = { 0 };
	struct cmp_tasks	 tasks = { 0 };
	long			 before;

	memset(&o, 0, sizeof o);
	memset(&ho, 0, sizeof ho);
	o.url = a->url;
	o.auth = "none";
	o.timeout = 30;
	sd = airflow_rest_open(L, &o, &ho, 5, wake, &w, &err);
	if (sd == NULL)
		fail_msg("%s", buf_str(&err));
	wait_ok(&w);
	check_source(sd, a->side, "API");

	/* What the shapes cost: the header's count. */
	before = airflow_rest_requests(sd);
	w.done = false;
	sched_fetch_shapes(sd, &shapes, &warn, wake, &w);
	wait_ok(&w);
	assert_int_equal(airflow_rest_requests(sd) - before,
	    a->side->shape_requests);
	cmp_shapes_free(&shapes);
	spec_clean(a->url);

	/*
	 * Freed with both reads in flight: no callback, and nothing left
	 * behind (LeakSanitizer, in the san build).
	 */
	sched_fetch_shapes(sd, &shapes, &warn, wake, &w);
	sched_fetch_task_stats(sd, (int64_t)time(NULL) - 7 * 86400, &tasks,
	    wake, &w);
	sched_free(sd);
	assert_null(shapes.v);
	assert_null(tasks.v);
	buf_free(&warn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database),
		cmocka_unit_test_prestate_setup_teardown(test_api, emu_setup,
		    emu_teardown, &api_sides[0]),
		cmocka_unit_test_prestate_setup_teardown(test_api, emu_setup,
		    emu_teardown, &api_sides[1]),
	};
	int rc;

	if (dbtest_env(false) == -1)
		return 1;
	if (schema != 2) {
		printf("test_db_compare: afcmp_blue and afcmp_green are read "
		    "on schema 2's turn\n");
		return 0;
	}
	L = loop_new();
	rc = cmocka_run_group_tests_name("compare_blue_green", tests, NULL,
	    NULL);
	loop_free(L);
	return rc;
}
