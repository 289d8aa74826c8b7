/*
 * test_gate.c: the one write gate (api_gate in api_client.c).  In read-only
 * mode a write is refused in the API client core and never leaves the
 * process: the server, a real socket listening on loopback, sees no
 * connection; the refusal is typed (API_REFUSED_READONLY).  The same POST
 * with the gate open does reach it, so the check can fail; so does a read,
 * or a POST that only reads, in read-only mode.  The Airflow client and
 * its clear are asked the same way.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "api_client.h"
#include "http.h"
#include "loop.h"

static int
listen_loopback(int *port)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void
tick(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
}

/* Runs the loop for about ms, then says whether anyone connected. */
static bool
connected_within(struct loop *l, int lfd, int ms)
{
	struct pollfd	p = { lfd, POLLIN, 0 };
	int		i;

	for (i = 0; i < ms / 10; i++) {
		struct loop_timer *t = loop_timer_new(l, tick, NULL);

		loop_timer_set(t, 10);
		(void)loop_run_once(l);
		loop_timer_free(t);
		if (poll(&p, 1, 0) == 1)
			return true;
	}
	return false;
}

static void
done(struct api_call *c, const struct http_response *r, void *arg)
{
	(void)c;
	(void)r;
	*(int *)arg += 1;
}

/* A POST of path (or a clear) under the gate; a write only if not reaches. */
static void
try_post_path(bool readonly, bool via_clear, const char *path, int major)
{
	struct loop		*l = loop_new();
	struct http_opts	 ho = { false, NULL, NULL };
	struct http		*h = http_new(l, &ho);
	struct airflow_api_opts	 s;
	struct buf		 err = BUF_INIT, url = BUF_INIT;
	struct airflow_api	*api;
	struct api_call		*call;
	int			 port, lfd = listen_loopback(&port), answers = 0;

	memset(&s, 0, sizeof s);
	buf_printf(&url, "http://127.0.0.1:%d", port);
	s.url = url.data;
	s.auth = "none";
	s.readonly = readonly;
	s.timeout = 5;
	api = airflow_api_new(l, h, &s, major, &err);
	assert_non_null(api);
	assert_int_equal(airflow_api_may_write(api, &err), !readonly);
	buf_reset(&err);
	if (via_clear) {
		const char		*ids[1] = { "t" };
		struct clear_request	 q;

		memset(&q, 0, sizeof q);
		q.dag_run_id = "r";
		q.task_ids = ids;
		q.ntasks = 1;
		q.dry_run = true;
		call = airflow_clear(api, "d", &q, NULL, NULL, &err);
	} else
		call = airflow_api_post(api, path, "{}", done, &answers, &err);
	if (readonly && api_airflow_intent(major >= 3 ? 2 : 1, "POST",
	    path) == API_WRITE) {
		assert_null(call);
		assert_non_null(strstr(buf_str(&err), "read-only: writes are "
		    "refused"));
		assert_false(connected_within(l, lfd, 300));
	} else {
		assert_non_null(call);
		assert_int_equal(err.len, 0);
		assert_true(connected_within(l, lfd, 3000));
		if (via_clear)
			airflow_clear_cancel(call);
		else
			airflow_api_cancel(call);
	}
	assert_int_equal(answers, 0);
	airflow_api_free(api);
	http_free(h);
	loop_free(l);
	close(lfd);
	buf_free(&err);
	buf_free(&url);
}

static void
try_post(bool readonly, bool via_clear)
{
	try_post_path(readonly, via_clear, "/dags/d/clearTaskInstances", 3);
}

static void
req_done(struct http_req *r, const struct http_response *resp, void *arg)
{
	(void)r;
	(void)resp;
	*(int *)arg += 1;
}

/* api_start itself: a write under the gate, or a read. */
static void
core_start(bool readonly, enum api_intent intent, bool reaches)
{
	struct loop		*l = loop_new();
	struct http_opts	 ho = { false, NULL, NULL };
	struct http		*h = http_new(l, &ho);
	struct buf		 err = BUF_INIT, url = BUF_INIT;
	struct http_request	 q;
	struct http_req		*req;
	enum api_refusal	 refused = API_REFUSED_READONLY;
	int			 port, lfd = listen_loopback(&port), answers = 0;

	buf_printf(&url, "http://127.0.0.1:%d/x", port);
	memset(&q, 0, sizeof q);
	q.method = intent == API_READ ? "GET" : "POST";
	q.url = buf_str(&url);
	q.body = "{}";
	q.body_len = 2;
	q.timeout_ms = 5000;
	q.on_done = req_done;
	q.arg = &answers;
	req = api_start(h, &q, intent, readonly, "Authorization: Bearer s",
	    &refused, &err);
	if (!reaches) {
		assert_null(req);
		assert_int_equal(refused, API_REFUSED_READONLY);
		assert_non_null(strstr(buf_str(&err), "read-only: writes are "
		    "refused"));
		assert_false(connected_within(l, lfd, 300));
	} else {
		assert_non_null(req);
		assert_int_equal(refused, API_ALLOWED);
		assert_true(connected_within(l, lfd, 3000));
		http_cancel(req);
	}
	assert_int_equal(answers, 0);
	http_free(h);
	loop_free(l);
	close(lfd);
	buf_free(&err);
	buf_free(&url);
}

static void
test_core_refuses_a_write(void **state)
{
	struct buf why = BUF_INIT;

	(void)state;
	assert_int_equal(api_gate(false, &why), API_ALLOWED);
	assert_int_equal(why.len, 0);
	assert_int_equal(api_gate(true, &why), API_REFUSED_READONLY);
	core_start(true, API_WRITE, false);
	core_start(false, API_WRITE, true);
	/* reads and logins are not writes: the gate lets them by */
	core_start(true, API_READ, true);
	core_start(true, API_LOGIN, true);
	assert_true(airflow_api_context_may_write(false, &why));
	assert_false(airflow_api_context_may_write(true, &why));
	buf_free(&why);
}

static void
test_readonly_post_never_leaves(void **state)
{
	(void)state;
	try_post(true, false);
	try_post(true, true);
}

/*
 * The list endpoints are POSTs that only read: they pass the gate in
 * read-only mode, on both versions; a clear on the same client does not.
 */
static void
test_read_posts_pass(void **state)
{
	(void)state;
	try_post_path(true, false, "/dags/~/dagRuns/list", 2);
	try_post_path(true, false, "/dags/~/dagRuns/list", 3);
	try_post_path(true, false, "/dags/~/dagRuns/~/taskInstances/list", 2);
	try_post_path(true, false, "/dags/~/dagRuns/~/taskInstances/list", 3);
	try_post_path(true, false, "/dags/~/dagRuns/list/x", 3);
	try_post_path(true, false, "/dags/d/dagRuns", 2);
	try_post_path(true, false, "/dags/d/clearTaskInstances", 2);
}

static void
test_open_gate_reaches_the_server(void **state)
{
	(void)state;
	try_post(false, false);
	try_post(false, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_refuses_a_write),
		cmocka_unit_test(test_readonly_post_never_leaves),
		cmocka_unit_test(test_open_gate_reaches_the_server),
		cmocka_unit_test(test_read_posts_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
