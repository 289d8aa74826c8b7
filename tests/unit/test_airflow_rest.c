/*
 * test_airflow_rest.c: the REST API scheduler source (airflow_rest.c)
 * against a small fake Airflow on loopback (a child process answering
 * spec-shaped JSON): the version found under /api/v2, else /api/v1; a
 * list followed to its total though the server's pages are shorter than
 * asked; a run that is not there is no run, not an error; a failed answer
 * is one line and no records; the batch lists are read under --readonly;
 * callbacks never come inside the fetch call.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "airflow_rest.h"
#include "airflow_rest_int.h"
#include "buf.h"
#include "http.h"
#include "loop.h"

static int	fake_major;	/* 2: only /api/v1; 3: only /api/v2 */

#define PAGE	2		/* the fake's maximum_page_limit */

/* The query value of key in path, or dflt. */
static long
query(const char *path, const char *key, long dflt)
{
	char		 k[32];
	const char	*p;

	snprintf(k, sizeof k, "%s=", key);
	p = strstr(path, k);
	return p != NULL ? atol(p + strlen(k)) : dflt;
}

/* A page of n DAGs of total, from offset. */
static void
dags_page(struct buf *b, long offset, long limit, long total)
{
	long i, n = 0;

	buf_puts(b, "{\"dags\": [");
	for (i = offset; i < total && n < limit && n < PAGE; i++, n++)
		buf_printf(b, "%s{\"dag_id\": \"d%ld\", \"is_paused\": false, "
		    "\"is_active\": true, \"is_stale\": false, \"owners\": "
		    "[\"a\"], \"schedule_interval\": null, "
		    "\"timetable_summary\": null}", n > 0 ? ", " : "", i);
	buf_printf(b, "], \"total_entries\": %ld}", total);
}

/* The fake's answer to one request: a status and a JSON body. */
static int
route(const char *method, const char *path, const char *body, struct buf *b)
{
	const char *pre = fake_major == 3 ? "/api/v2" : "/api/v1";

	(void)body;
	if (strncmp(path, pre, 7) != 0) {
		buf_puts(b, "{\"detail\": \"Not Found\"}");
		return 404;
	}
	path += 7;
	if (strcmp(path, "/version") == 0) {
		buf_printf(b, "{\"version\": \"%s\", \"git_version\": null}",
		    fake_major == 3 ? "3.1.2" : "2.10.3");
		return 200;
	}
	if (strncmp(path, "/dags?", 6) == 0) {
		dags_page(b, query(path, "offset", 0), query(path, "limit", 100),
		    5);
		return 200;
	}
	if (strcmp(path, "/dags/d1/dagRuns/nope") == 0) {
		buf_puts(b, "{\"detail\": \"DAGRun not found\"}");
		return 404;
	}
	if (strncmp(path, "/pools", 6) == 0) {
		buf_puts(b, "{\"detail\": \"boom\"}");
		return 500;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/dags/~/dagRuns/~/taskInstances/list") == 0) {
		buf_puts(b, "{\"task_instances\": [{\"dag_id\": \"d1\", "
		    "\"dag_run_id\": \"r1\", \"task_id\": \"b\", \"map_index\": "
		    "-1, \"state\": \"failed\"}, {\"dag_id\": \"d2\", "
		    "\"dag_run_id\": \"r1\", \"task_id\": \"a\", \"map_index\": "
		    "-1, \"state\": \"failed\"}, {\"dag_id\": \"d1\", "
		    "\"dag_run_id\": \"r1\", \"task_id\": \"a\", \"map_index\": "
		    "-1, \"state\": \"up_for_retry\"}], \"total_entries\": 3}");
		return 200;
	}
	buf_puts(b, "{\"detail\": \"no route\"}");
	return 404;
}

/* Reads one request from fd and answers it; the connection then closes. */
static void
serve_one(int fd)
{
	char		 req[65536], method[8] = "", path[4096] = "";
	size_t		 len = 0;
	ssize_t		 n;
	char		*end, *cl;
	long		 want = 0;
	struct buf	 b = BUF_INIT, out = BUF_INIT;
	int		 status;

	for (;;) {
		n = read(fd, req + len, sizeof req - 1 - len);
		if (n <= 0)
			return;
		len += (size_t)n;
		req[len] = '\0';
		if ((end = strstr(req, "\r\n\r\n")) == NULL)
			continue;
		cl = strstr(req, "Content-Length:");
		want = cl != NULL && cl < end ? atol(cl + 15) : 0;
		if ((long)(len - (size_t)(end + 4 - req)) >= want)
			break;
	}
	sscanf(req, "%7s %4095s", method, path);
	status = route(method, path, end + 4, &b);
	buf_printf(&out, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", status, b.len,
	    buf_str(&b));
	(void)write(fd, out.data, out.len);
	buf_free(&b);
	buf_free(&out);
}

/* Forks the fake; returns its pid and port. */
static pid_t
fake_start(int major, int *port)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			lfd = socket(AF_INET, SOCK_STREAM, 0), fd;
	pid_t			pid;

	assert_true(lfd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	fake_major = major;
	if ((pid = fork()) == 0) {
		for (;;) {
			if ((fd = accept(lfd, NULL, NULL)) < 0)
				_exit(0);
			serve_one(fd);
			close(fd);
		}
	}
	close(lfd);
	return pid;
}

static void
fake_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

struct wait {
	bool	 called;
	bool	 inside;	/* still inside the fetch call */
	char	*err;
};

static void
done(void *arg, const char *err)
{
	struct wait *w = arg;

	assert_false(w->inside);
	w->called = true;
	w->err = err != NULL ? strdup(err) : NULL;
}

static void
run_until(struct loop *l, struct wait *w)
{
	for (int i = 0; i < 2000 && !w->called; i++)
		(void)loop_run_once(l);
	assert_true(w->called);
}

static struct sched *
open_fake(struct loop *l, int port, bool readonly, struct wait *w)
{
	struct airflow_api_opts	 o;
	struct http_opts	 ho = { false, NULL, NULL };
	struct buf		 url = BUF_INIT, err = BUF_INIT;
	struct sched		*sd;

	memset(&o, 0, sizeof o);
	buf_printf(&url, "http://127.0.0.1:%d", port);
	o.url = buf_str(&url);
	o.auth = "none";
	o.timeout = 5;
	o.readonly = readonly;
	memset(w, 0, sizeof *w);
	w->inside = true;
	sd = airflow_rest_open(l, &o, &ho, 100, done, w, &err);
	w->inside = false;
	assert_non_null(sd);
	run_until(l, w);
	assert_null(w->err);
	buf_free(&url);
	buf_free(&err);
	return sd;
}

static void
test_versions_and_pages(void **state)
{
	for (int major = 2; major <= 3; major++) {
		struct loop	*l = loop_new();
		struct wait	 w;
		struct af_dags	 d = { 0 };
		struct af_runs	 r = { 0 };
		struct af_pools	 p = { 0 };
		int		 port;
		pid_t		 pid = fake_start(major, &port);
		struct sched	*sd = open_fake(l, port, false, &w);

		(void)state;
		assert_int_equal(sched_about(sd)->major, major);
		assert_string_equal(sched_about(sd)->release, major == 3 ?
		    "3.1.2" : "2.10.3");
		assert_true(sched_about(sd)->ti_history);
		assert_null(sched_about(sd)->revision);
		assert_string_equal(sd->ops->kind, "api");
		assert_string_equal(sched_warnings(sd), "");

		/* Pages of 2 though 100 were asked: followed to 5. */
		memset(&w, 0, sizeof w);
		w.inside = true;
		sched_fetch_dags(sd, &d, done, &w);
		w.inside = false;
		run_until(l, &w);
		assert_null(w.err);
		assert_int_equal(d.n, 5);
		assert_string_equal(d.v[4].dag_id, "d4");
		af_dags_free(&d);

		/* No such run: none, and no error. */
		memset(&w, 0, sizeof w);
		sched_fetch_run(sd, "d1", "nope", &r, done, &w);
		run_until(l, &w);
		assert_null(w.err);
		assert_int_equal(r.n, 0);

		/* A failed answer: one line, nothing read. */
		memset(&w, 0, sizeof w);
		sched_fetch_pools(sd, &p, done, &w);
		run_until(l, &w);
		assert_non_null(w.err);
		assert_non_null(strstr(w.err, "HTTP 500"));
		assert_null(strchr(w.err, '\n'));
		assert_int_equal(p.n, 0);
		free(w.err);

		sched_free(sd);
		loop_free(l);
		fake_stop(pid);
	}
}

/* The batch list is a read: it passes under --readonly; sorted, filtered. */
static void
test_readonly_batch_read(void **state)
{
	struct loop		*l = loop_new();
	struct wait		 w;
	struct af_tis		 t = { 0 };
	struct af_run		 run = { .dag_id = "d1", .run_id = "r1" };
	const struct af_run	*runs[1] = { &run };
	int			 port;
	pid_t			 pid = fake_start(3, &port);
	struct sched		*sd = open_fake(l, port, true, &w);

	(void)state;
	memset(&w, 0, sizeof w);
	sched_fetch_attention_tis(sd, runs, 1, &t, done, &w);
	run_until(l, &w);
	assert_null(w.err);
	/* d2's r1 is another run: left out; the rest by task_id. */
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].task_id, "a");
	assert_string_equal(t.v[1].task_id, "b");
	af_tis_free(&t);
	sched_free(sd);
	loop_free(l);
	fake_stop(pid);
}

/*
 * The dependency reads' decoding (airflow_rest_deps.c), pure: v1 datasets
 * and v2 assets with their references and aliases, a record without its
 * key fields skipped with a warning but counted for the page, a reference
 * of the wrong type skipped, the consumers' expressions kept as compact
 * JSON (a 2.10 single-dataset expression is a bare string), the newest
 * event per asset, the queue with id and uri both, and a page without its
 * list refused.
 */
#define JS(s)	(s), strlen(s)

static void
test_deps_decoding(void **state)
{
	struct dep_facts	 f;
	struct dep_state	 st;
	struct buf		 err = BUF_INIT;
	long			 total;
	const char		*v1dags = "{\"dags\": [{\"dag_id\": \"a_mart\", "
	    "\"is_paused\": true, \"is_active\": true, \"schedule_interval\": "
	    "{\"__type\": \"CronExpression\", \"value\": \"Dataset\"}}, "
	    "{\"dag_id\": \"b_ingest\", \"is_paused\": false, \"is_active\": "
	    "false, \"schedule_interval\": {\"__type\": \"CronExpression\", "
	    "\"value\": \"0 1 * * *\"}}], \"total_entries\": 2}";
	const char		*v1sets = "{\"datasets\": [{\"id\": 7, \"uri\": "
	    "\"s3://x\", \"consuming_dags\": [{\"dag_id\": \"a_mart\"}, "
	    "{\"dag_id\": 5}], \"producing_tasks\": [{\"dag_id\": \"b_ingest\", "
	    "\"task_id\": \"load\"}]}, {\"id\": \"8\", \"uri\": \"s3://y\"}, "
	    "{\"id\": 9, \"uri\": \"s3://z\", \"consuming_dags\": null}], "
	    "\"total_entries\": 40}";
	const char		*v2sets = "{\"assets\": [{\"id\": 3, \"name\": "
	    "\"orders\", \"uri\": \"bq://o\", \"scheduled_dags\": [], "
	    "\"producing_tasks\": [], \"aliases\": [{\"id\": 1, \"name\": "
	    "\"al\"}]}], \"total_entries\": 1}";

	(void)state;
	memset(&f, 0, sizeof f);
	assert_int_equal(rest_deps_dags(v1dags, strlen(v1dags), 1, &f, &total,
	    &err), 2);
	assert_int_equal(f.ndags, 2);
	assert_true(f.dags[0].paused);
	assert_false(f.dags[0].timed);		/* dataset-triggered */
	assert_true(f.dags[1].timed);
	assert_false(f.dags[1].active);
	assert_int_equal(rest_deps_assets(v1sets, strlen(v1sets), 1, &f,
	    &total, &err), 3);
	assert_int_equal(total, 40);
	assert_int_equal(f.nassets, 2);		/* "8" is no id */
	assert_int_equal(f.assets[0].id, 7);
	assert_string_equal(f.assets[0].name, "s3://x");
	assert_true(f.assets[0].active);
	assert_false(f.assets[1].active);	/* no reference: orphaned */
	assert_int_equal(f.nschedules, 1);
	assert_string_equal(f.schedules[0].dag_id, "a_mart");
	assert_int_equal(f.schedules[0].kind, DEP_TO_ASSET);
	assert_int_equal(f.schedules[0].target, 0);
	assert_int_equal(f.noutlets, 1);
	assert_string_equal(f.outlets[0].task_id, "load");
	assert_non_null(strstr(buf_str(&f.warnings), "without a dag_id"));
	assert_non_null(strstr(buf_str(&f.warnings), "without an id"));

	/* Details: a bare string, an object, null; unknown DAG; no dag_id. */
	assert_int_equal(rest_deps_detail(JS("{\"dag_id\": \"a_mart\", "
	    "\"dataset_expression\": {\"any\": [\"s3://x\", \"s3://z\"]}}"),
	    1, &f, &err), 0);
	assert_string_equal(f.dags[0].expression,
	    "{\"any\":[\"s3://x\",\"s3://z\"]}");
	assert_int_equal(rest_deps_detail(JS("{\"dag_id\": \"b_ingest\", "
	    "\"dataset_expression\": \"s3://x\"}"), 1, &f, &err), 0);
	assert_string_equal(f.dags[1].expression, "\"s3://x\"");
	assert_int_equal(rest_deps_detail(JS("{\"dag_id\": \"zz\"}"), 1, &f,
	    &err), 0);
	assert_non_null(strstr(buf_str(&f.warnings), "DAG zz"));
	assert_int_equal(rest_deps_detail(JS("{\"dag_id\": 1}"), 1, &f, &err),
	    -1);
	buf_reset(&err);

	/* v2: name apart from uri, the alias it was resolved from. */
	assert_int_equal(rest_deps_assets(v2sets, strlen(v2sets), 2, &f,
	    &total, &err), 1);
	assert_string_equal(f.assets[2].name, "orders");
	assert_string_equal(f.assets[2].uri, "bq://o");
	assert_true(f.assets[2].active);	/* an alias resolved to it */
	assert_int_equal(f.naliases, 1);
	assert_int_equal(f.aliases[0].nassets, 1);
	assert_int_equal(f.aliases[0].assets[0], 2);
	assert_int_equal(rest_deps_aliases(JS("{\"asset_aliases\": [{\"name\": "
	    "\"al\"}, {\"name\": \"lone\"}, {\"name\": 3}], \"total_entries\": "
	    "3}"), &f, &total, &err), 3);
	assert_int_equal(f.naliases, 2);
	assert_string_equal(f.aliases[1].name, "lone");
	assert_int_equal(rest_deps_assets(JS("{\"dags\": []}"), 2, &f, &total,
	    &err), -1);
	assert_non_null(strstr(buf_str(&err), "\"assets\""));
	buf_reset(&err);
	assert_int_equal(rest_deps_assets(JS("[1"), 2, &f, &total, &err), -1);
	dep_facts_free(&f);

	/* Events: the newest per asset; the queue, id and uri both. */
	memset(&st, 0, sizeof st);
	assert_int_equal(rest_deps_events(JS("{\"dataset_events\": [{"
	    "\"dataset_id\": 7, \"dataset_uri\": \"s3://x\", \"timestamp\": "
	    "\"2026-03-09T01:12:00Z\", \"source_dag_id\": \"b_ingest\", "
	    "\"source_task_id\": \"load\", \"source_run_id\": \"r1\"}, {"
	    "\"dataset_id\": 7, \"dataset_uri\": \"s3://x\", \"timestamp\": "
	    "\"2026-03-08T01:12:00Z\", \"source_dag_id\": \"old\"}], "
	    "\"total_entries\": 2}"), 1, &st, &total, &err), 2);
	assert_int_equal(st.nassets, 1);
	assert_int_equal(st.assets[0].last_event, 1773018720);
	assert_string_equal(st.assets[0].source_dag, "b_ingest");
	assert_string_equal(st.assets[0].source_run, "r1");
	assert_int_equal(rest_deps_queued(JS("{\"datasets\": [{\"uri\": "
	    "\"s3://x\", \"dag_id\": \"a_mart\"}], \"total_entries\": 1}"), 1,
	    &st, &total, &err), 1);
	assert_int_equal(st.nqueued, 1);
	assert_int_equal(st.queued[0], 7);
	assert_string_equal(st.queued_uri[0], "s3://x");
	assert_int_equal(rest_deps_queued(JS("{\"queued_events\": [{\"asset_id\": "
	    "7}]}"), 2, &st, &total, &err), 1);
	assert_string_equal(st.queued_uri[1], "s3://x");
	dep_state_free(&st);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions_and_pages),
		cmocka_unit_test(test_readonly_batch_read),
		cmocka_unit_test(test_deps_decoding),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
