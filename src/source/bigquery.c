/*
 * bigquery.c: jobs.query, getQueryResults polling and paging (bigquery.h).
 *
 * One query is a small state machine: get a token, send the current step
 * (the POST, or a GET for the job's status or next page), read the answer
 * (bq_answer.h), then either finish or go on.  Timers space the polls and
 * the retries, so nothing here ever waits in place.  The token source,
 * the base URL and the retry policy are api_client.h's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api_client.h"
#include "bigquery.h"
#include "google_auth.h"
#include "http.h"
#include "loop.h"

#define BIGQUERY_URL	"https://bigquery.googleapis.com/bigquery/v2"
#define SERVER_WAIT_MS	10000	/* timeoutMs: how long BigQuery may hold a call */

/* 1, 2, 4 and 8 seconds: the POST too, made idempotent by its requestId. */
static const struct api_retry bq_retry = { 4, 1000, 2 };

struct bq {
	struct loop	*loop;
	struct http	*http;
	struct api_auth	*auth;
	char		*base;
	char		*project;
	char		*location;
	long		 timeout_ms;
	int		 page_rows;
	struct bq_query	*queries;
};

struct bq_query {
	struct bq		*bq;
	struct bq_query		*next;
	char			*sql;
	json_t			*params;	/* queryParameters, or NULL */
	bq_cb			 cb;
	void			*arg;
	char			 request_id[37];	/* a UUID: the API's limit is 36 */
	bool			 posted;	/* the POST was answered */
	bool			 stats;		/* the rows are in: jobs.get next */
	bool			 reauthed;
	int			 retries;
	int64_t			 deadline;
	int64_t			 poll_delay;
	struct http_req		*req;
	struct loop_timer	*timer;
	struct bq_state		 st;
};

static void	send_step(struct bq_query *);

struct bq *
bq_new(struct loop *loop, struct http *http, struct gauth *auth,
    const struct bq_opts *o)
{
	struct bq		*b = xcalloc(1, sizeof *b);
	const char		*env = getenv("DAGTOP_BIGQUERY_URL");
	struct api_auth_opts	 ao;
	struct buf		 base = BUF_INIT;

	b->loop = loop;
	b->http = http;
	memset(&ao, 0, sizeof ao);
	ao.kind = API_AUTH_GOOGLE;
	ao.name = "google";
	ao.gauth = auth;
	b->auth = api_auth_new(loop, http, &ao);
	api_base(&base, o->base_url != NULL ? o->base_url :
	    env != NULL && *env != '\0' ? env : BIGQUERY_URL);
	b->base = buf_detach(&base);
	b->project = xstrdup(o->project != NULL ? o->project : "");
	b->location = xstrdup(o->location != NULL ? o->location : "US");
	b->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 300000;
	b->page_rows = o->page_rows;
	return b;
}

/* Out of the client's list, nothing in flight: the client may go now. */
static void
query_detach(struct bq_query *q)
{
	struct bq_query **pp;

	if (q->bq == NULL)
		return;
	for (pp = &q->bq->queries; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
	if (q->req != NULL)
		http_cancel(q->req);
	q->req = NULL;
	api_auth_forget(q->bq->auth, q);
	loop_timer_free(q->timer);
	q->timer = NULL;
	q->bq = NULL;
}

static void
query_free(struct bq_query *q)
{
	query_detach(q);
	free(q->sql);
	json_decref(q->params);
	bq_state_free(&q->st);
	free(q);
}

void
bq_cancel(struct bq_query *q)
{
	if (q != NULL)
		query_free(q);
}

void
bq_free(struct bq *b)
{
	if (b == NULL)
		return;
	while (b->queries != NULL)
		query_free(b->queries);
	api_auth_free(b->auth);
	free(b->base);
	free(b->project);
	free(b->location);
	free(b);
}

static void
finish(struct bq_query *q, const char *err)
{
	bq_cb	 cb = q->cb;
	void	*arg = q->arg;

	q->req = NULL;
	/* Detached first: the callback may free the client. */
	query_detach(q);
	if (err != NULL) {
		char *e = xstrdup(err);

		query_free(q);
		cb(arg, NULL, e);
		free(e);
		return;
	}
	cb(arg, &q->st.res, NULL);
	query_free(q);
}

static void
failf(struct bq_query *q, const char *what, const char *why)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "BigQuery %s: %s", what, why);
	finish(q, buf_str(&b));
	buf_free(&b);
}

static void
got_token(void *arg, const char *err)
{
	struct bq_query *q = arg;

	if (err != NULL) {
		finish(q, err);
		return;
	}
	send_step(q);
}

static void
timer_due(struct loop_timer *t, void *arg)
{
	struct bq_query *q = arg;

	(void)t;
	if (loop_now_ms() > q->deadline) {
		failf(q, "query", "no answer within the query timeout");
		return;
	}
	send_step(q);
}

/*
 * An answer that is not a success: a retry when the policy allows, one
 * new token after a 401, else the end (which, once the rows are in, is
 * only a missing billing figure).
 */
static void
answer_failed(struct bq_query *q, const struct http_response *resp)
{
	struct buf	 reason = BUF_INIT, e = BUF_INIT;
	long		 delay;

	if (resp->error == HTTP_OK && resp->status == 401 && !q->reauthed) {
		/* An expired or revoked token: one new one, then the same step. */
		q->reauthed = true;
		(void)api_auth_expired(q->bq->auth);
		api_auth_fetch(q->bq->auth, got_token, q);
		return;
	}
	if (resp->error == HTTP_OK)
		bq_error_reason(&reason, resp->body.data, resp->body.len);
	delay = api_retry_delay(&bq_retry, true, resp,
	    bq_reason_retryable(buf_str(&reason)), q->retries);
	buf_free(&reason);
	if (delay >= 0) {
		q->retries++;
		loop_timer_set(q->timer, delay);
	} else if (q->stats) {
		/* The rows are in: only the billing figure is missing. */
		q->st.res.bytes_billed = -1;
		finish(q, NULL);
	} else if (resp->error != HTTP_OK)
		failf(q, "request", resp->error_text);
	else {
		bq_error_text(&e, resp->status, resp->body.data,
		    resp->body.len);
		failf(q, "error", buf_str(&e));
		buf_free(&e);
	}
}

static void
answered(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct bq_query	*q = arg;
	struct buf	 e = BUF_INIT;
	enum bq_next	 next;

	(void)req;
	q->req = NULL;
	if (resp->error != HTTP_OK || resp->status < 200 ||
	    resp->status > 299) {
		answer_failed(q, resp);
		return;
	}
	q->retries = 0;
	if (q->stats)
		next = bq_answer_job(&q->st, resp->body.data, resp->body.len, &e);
	else
		next = bq_answer_query(&q->st, resp->body.data, resp->body.len,
		    &e);
	q->posted = true;
	switch (next) {
	case BQ_NEXT_FAIL:
		failf(q, "answer", buf_str(&e));
		break;
	case BQ_NEXT_POLL:
		loop_timer_set(q->timer, q->poll_delay);
		q->poll_delay = q->poll_delay * 2 > 2000 ? 2000 :
		    q->poll_delay * 2;
		break;
	case BQ_NEXT_STATS:
		q->stats = true;
		send_step(q);
		break;
	case BQ_NEXT_PAGE:
		send_step(q);
		break;
	case BQ_NEXT_DONE:
		finish(q, NULL);
		break;
	}
	buf_free(&e);
}

/* The jobs.query body: standard SQL, the location, labels, a requestId. */
static char *
query_body(const struct bq_query *q)
{
	const struct bq	*b = q->bq;
	json_t		*o = json_object(), *labels = json_object();
	char		*body;

	json_object_set_new(o, "query", json_string(q->sql));
	json_object_set_new(o, "useLegacySql", json_false());
	json_object_set_new(o, "location", json_string(b->location));
	json_object_set_new(o, "timeoutMs", json_integer(SERVER_WAIT_MS));
	json_object_set_new(o, "requestId", json_string(q->request_id));
	if (q->params != NULL) {
		json_object_set_new(o, "parameterMode", json_string("NAMED"));
		json_object_set(o, "queryParameters", q->params);
	}
	if (b->page_rows > 0)
		json_object_set_new(o, "maxResults", json_integer(b->page_rows));
	json_object_set_new(labels, "client", json_string("dagtop"));
	json_object_set_new(o, "labels", labels);
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return body;
}

/* The URL of the step after the POST: jobs.get, or getQueryResults. */
static void
step_url(const struct bq_query *q, struct buf *url)
{
	const struct bq *b = q->bq;

	buf_puts(url, q->stats ? "/jobs/" : "/queries/");
	http_escape(url, q->st.res.job_id);
	buf_puts(url, "?location=");
	http_escape(url, q->st.job_location != NULL ? q->st.job_location :
	    b->location);
	if (q->stats)
		return;
	buf_printf(url, "&timeoutMs=%d", q->st.complete ? 0 : SERVER_WAIT_MS);
	if (b->page_rows > 0)
		buf_printf(url, "&maxResults=%d", b->page_rows);
	if (q->st.page_token != NULL) {
		buf_puts(url, "&pageToken=");
		http_escape(url, q->st.page_token);
	}
}

/* The POST, the GET that polls or pages, or the final jobs.get. */
static void
send_step(struct bq_query *q)
{
	struct bq		*b = q->bq;
	struct http_request	 r;
	struct buf		 url = BUF_INIT, auth = BUF_INIT, err = BUF_INIT;
	char			*body = NULL;
	static const char *const hdrs[] = { "Accept: application/json",
		"Content-Type: application/json", NULL };

	if (api_auth_header(b->auth, &auth, &err) != 0) {
		/* Dropped after another query's 401: a new one first. */
		buf_free(&err);
		api_auth_fetch(b->auth, got_token, q);
		return;
	}
	memset(&r, 0, sizeof r);
	r.headers = hdrs;
	r.timeout_ms = SERVER_WAIT_MS + 30000;
	r.on_done = answered;
	r.arg = q;
	buf_printf(&url, "%s/projects/", b->base);
	http_escape(&url, q->st.job_project != NULL ? q->st.job_project :
	    b->project);
	if (!q->posted) {
		buf_puts(&url, "/queries");
		body = query_body(q);
		r.method = "POST";
		r.body = body;
		r.body_len = strlen(body);
	} else
		step_url(q, &url);
	r.url = buf_str(&url);
	/* A query only reads, whatever its method: no write gate here. */
	q->req = api_start(b->http, &r, API_READ, false, buf_str(&auth), NULL,
	    &err);
	explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	free(body);
	buf_free(&url);
	if (q->req == NULL)
		failf(q, "request", buf_str(&err));
	buf_free(&err);
}

/*
 * A requestId makes a retried POST run the job only once (15 minutes).
 * jobs.query allows at most 36 ASCII characters; a version-4 UUID in its
 * usual 8-4-4-4-12 form is exactly that, and what the reference suggests.
 */
static void
make_request_id(char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 rnd[16];
	int		 fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t		 i, o = 0;

	if (len < 37) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	if (fd < 0 || read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd)
		for (i = 0; i < sizeof rnd; i++)
			rnd[i] = (unsigned char)(rand() ^ (int)time(NULL));
	if (fd >= 0)
		close(fd);
	rnd[6] = (unsigned char)((rnd[6] & 0x0f) | 0x40);	/* version 4 */
	rnd[8] = (unsigned char)((rnd[8] & 0x3f) | 0x80);	/* RFC 4122 */
	for (i = 0; i < sizeof rnd; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[rnd[i] >> 4];
		out[o++] = hex[rnd[i] & 15];
	}
	out[o] = '\0';
}

struct bq_query *
bq_query(struct bq *b, const char *sql, bq_cb cb, void *arg)
{
	return bq_query_params(b, sql, NULL, cb, arg);
}

struct bq_query *
bq_query_params(struct bq *b, const char *sql, json_t *params, bq_cb cb,
    void *arg)
{
	struct bq_query *q = xcalloc(1, sizeof *q);

	q->bq = b;
	q->sql = xstrdup(sql);
	q->params = params != NULL ? json_incref(params) : NULL;
	q->cb = cb;
	q->arg = arg;
	bq_state_init(&q->st);
	q->deadline = loop_now_ms() + b->timeout_ms;
	q->poll_delay = 200;
	q->timer = loop_timer_new(b->loop, timer_due, q);
	make_request_id(q->request_id, sizeof q->request_id);
	q->next = b->queries;
	b->queries = q;
	/* The token comes on a later loop pass, so cb never runs in here. */
	api_auth_fetch(b->auth, got_token, q);
	return q;
}
