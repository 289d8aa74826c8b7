/*
 * bigquery.c: jobs.query, getQueryResults polling and paging (bigquery.h).
 *
 * One query is a small state machine: get a token, send the current step
 * (the POST, or a GET for the job's status or next page), read the answer,
 * then either finish or go on.  Timers space the polls and the retries, so
 * nothing here ever waits in place.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bigquery.h"
#include "google_auth.h"
#include "http.h"
#include "loop.h"

#define BIGQUERY_URL	"https://bigquery.googleapis.com/bigquery/v2"
#define SERVER_WAIT_MS	10000	/* timeoutMs: how long BigQuery may hold a call */
#define RETRIES		4

struct bq {
	struct loop	*loop;
	struct http	*http;
	struct gauth	*auth;
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
	bq_cb			 cb;
	void			*arg;
	char			 request_id[37];	/* a UUID: the API's limit is 36 */
	char			*token;
	char			*job_project;
	char			*job_location;
	char			*page_token;
	bool			 complete;	/* jobComplete seen */
	bool			 posted;	/* the POST was answered */
	bool			 stats;		/* the rows are in: jobs.get next */
	bool			 billed_seen;	/* totalBytesBilled was in an answer */
	bool			 reauthed;
	int			 retries;
	int64_t			 deadline;
	int64_t			 poll_delay;
	struct http_req		*req;
	struct loop_timer	*timer;
	struct bq_result	 res;
};

static void	send_step(struct bq_query *);
static void	job_stats(struct bq_query *, const json_t *);

struct bq *
bq_new(struct loop *loop, struct http *http, struct gauth *auth,
    const struct bq_opts *o)
{
	struct bq	*b = xcalloc(1, sizeof *b);
	const char	*env = getenv("DAGTOP_BIGQUERY_URL");
	size_t		 n;

	b->loop = loop;
	b->http = http;
	b->auth = auth;
	b->base = xstrdup(o->base_url != NULL ? o->base_url :
	    env != NULL && *env != '\0' ? env : BIGQUERY_URL);
	n = strlen(b->base);
	while (n > 0 && b->base[n - 1] == '/')
		b->base[--n] = '\0';
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
	gauth_cancel(q->bq->auth, q);
	loop_timer_free(q->timer);
	q->timer = NULL;
	q->bq = NULL;
}

static void
query_free(struct bq_query *q)
{
	query_detach(q);
	if (q->token != NULL) {
		explicit_bzero(q->token, strlen(q->token));
		free(q->token);
	}
	free(q->sql);
	free(q->job_project);
	free(q->job_location);
	free(q->page_token);
	bq_table_free(&q->res.table);
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
	cb(arg, &q->res, NULL);
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
got_token(void *arg, const char *token, const char *err)
{
	struct bq_query *q = arg;

	if (token == NULL) {
		finish(q, err);
		return;
	}
	if (q->token != NULL) {
		explicit_bzero(q->token, strlen(q->token));
		free(q->token);
	}
	q->token = xstrdup(token);
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

/* Retries 429 and 5xx, and BigQuery's own "try again" reasons. */
static bool
retryable(long status, const struct buf *reason)
{
	const char *r = buf_str(reason);

	return status == 429 || status >= 500 ||
	    strcmp(r, "backendError") == 0 ||
	    strcmp(r, "rateLimitExceeded") == 0 ||
	    strcmp(r, "internalError") == 0;
}

static int64_t
json_int64(const json_t *v)
{
	if (json_is_string(v))
		return strtoll(json_string_value(v), NULL, 10);
	if (json_is_integer(v))
		return json_integer_value(v);
	return 0;
}

static void
answered(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct bq_query	*q = arg;
	struct buf	 e = BUF_INIT, reason = BUF_INIT;
	json_t		*doc, *ref;
	const char	*s;

	(void)req;
	q->req = NULL;
	if (resp->error != HTTP_OK) {
		if (resp->error != HTTP_ERR_TOO_BIG && q->retries < RETRIES) {
			q->retries++;
			loop_timer_set(q->timer, 500LL << q->retries);
			return;
		}
		if (q->stats) {
			/* The rows are in: only the billing figure is missing. */
			q->res.bytes_billed = -1;
			finish(q, NULL);
			return;
		}
		failf(q, "request", resp->error_text);
		return;
	}
	if (resp->status == 401 && !q->reauthed) {
		/* An expired or revoked token: one new one, then the same step. */
		q->reauthed = true;
		gauth_invalidate(q->bq->auth, q->token);
		gauth_token(q->bq->auth, got_token, q);
		return;
	}
	if (resp->status < 200 || resp->status > 299) {
		bq_error_reason(&reason, resp->body.data, resp->body.len);
		if (q->stats && !(retryable(resp->status, &reason) &&
		    q->retries < RETRIES)) {
			/* The rows are in: only the billing figure is missing. */
			q->res.bytes_billed = -1;
			buf_free(&reason);
			finish(q, NULL);
			return;
		}
		if (retryable(resp->status, &reason) && q->retries < RETRIES) {
			q->retries++;
			buf_free(&reason);
			loop_timer_set(q->timer, 500LL << q->retries);
			return;
		}
		bq_error_text(&e, resp->status, resp->body.data, resp->body.len);
		failf(q, "error", buf_str(&e));
		buf_free(&e);
		buf_free(&reason);
		return;
	}
	q->retries = 0;
	doc = json_loadb(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		failf(q, "answer", "not a JSON object");
		return;
	}
	if (q->stats) {
		job_stats(q, doc);
		json_decref(doc);
		finish(q, NULL);
		return;
	}
	q->posted = true;
	ref = json_object_get(doc, "jobReference");
	if (json_is_object(ref) && q->res.job_id[0] == '\0') {
		s = json_string_value(json_object_get(ref, "jobId"));
		if (s != NULL)
			snprintf(q->res.job_id, sizeof q->res.job_id, "%s", s);
		s = json_string_value(json_object_get(ref, "projectId"));
		free(q->job_project);
		q->job_project = s != NULL ? xstrdup(s) : NULL;
		s = json_string_value(json_object_get(ref, "location"));
		free(q->job_location);
		q->job_location = s != NULL ? xstrdup(s) : NULL;
	}
	if (!json_is_true(json_object_get(doc, "jobComplete"))) {
		json_decref(doc);
		if (q->res.job_id[0] == '\0') {
			failf(q, "answer", "an incomplete job without a jobId");
			return;
		}
		q->res.polls++;
		loop_timer_set(q->timer, q->poll_delay);
		q->poll_delay = q->poll_delay * 2 > 2000 ? 2000 :
		    q->poll_delay * 2;
		return;
	}
	if (!q->complete) {
		/*
		 * jobs.query's answer carries totalBytesBilled; getQueryResults'
		 * has no such field, so a slow query asks jobs.get at the end.
		 */
		q->complete = true;
		q->billed_seen = json_object_get(doc, "totalBytesBilled") !=
		    NULL;
		q->res.bytes_billed = json_int64(json_object_get(doc,
		    "totalBytesBilled"));
		q->res.bytes_processed = json_int64(json_object_get(doc,
		    "totalBytesProcessed"));
	}
	if (bq_table_add_page(&q->res.table, doc, &e) != 0) {
		json_decref(doc);
		failf(q, "answer", buf_str(&e));
		buf_free(&e);
		return;
	}
	q->res.pages++;
	s = json_string_value(json_object_get(doc, "pageToken"));
	free(q->page_token);
	q->page_token = s != NULL && *s != '\0' ? xstrdup(s) : NULL;
	json_decref(doc);
	if (q->page_token == NULL) {
		if (q->billed_seen || q->res.job_id[0] == '\0') {
			finish(q, NULL);
			return;
		}
		q->stats = true;
		send_step(q);
		return;
	}
	if (q->res.job_id[0] == '\0') {
		failf(q, "answer", "a pageToken without a jobId");
		return;
	}
	send_step(q);
}

/*
 * A jobs.get answer: statistics.query.totalBytesBilled (and processed), the
 * authoritative figures once the job is done.  A field that is absent
 * leaves what jobs.query or getQueryResults said.
 */
static void
job_stats(struct bq_query *q, const json_t *job)
{
	const json_t *st = json_object_get(job, "statistics");
	const json_t *qs = json_object_get(st, "query"), *v;

	if ((v = json_object_get(qs, "totalBytesBilled")) != NULL)
		q->res.bytes_billed = json_int64(v);
	if ((v = json_object_get(qs, "totalBytesProcessed")) != NULL ||
	    (v = json_object_get(st, "totalBytesProcessed")) != NULL)
		q->res.bytes_processed = json_int64(v);
}

/* The POST, the GET that polls or pages, or the final jobs.get. */
static void
send_step(struct bq_query *q)
{
	struct bq		*b = q->bq;
	struct http_request	 r;
	struct buf		 url = BUF_INIT, auth = BUF_INIT, err = BUF_INIT;
	char			*body = NULL;
	const char		*hdrs[4];

	if (q->token == NULL) {
		gauth_token(b->auth, got_token, q);
		return;
	}
	buf_printf(&auth, "Authorization: Bearer %s", q->token);
	hdrs[0] = buf_str(&auth);
	hdrs[1] = "Accept: application/json";
	hdrs[2] = "Content-Type: application/json";
	hdrs[3] = NULL;
	memset(&r, 0, sizeof r);
	r.headers = hdrs;
	r.timeout_ms = SERVER_WAIT_MS + 30000;
	r.on_done = answered;
	r.arg = q;
	buf_printf(&url, "%s/projects/", b->base);
	http_escape(&url, q->job_project != NULL ? q->job_project : b->project);
	if (!q->posted) {
		json_t *o = json_object(), *labels = json_object();

		buf_puts(&url, "/queries");
		json_object_set_new(o, "query", json_string(q->sql));
		json_object_set_new(o, "useLegacySql", json_false());
		json_object_set_new(o, "location", json_string(b->location));
		json_object_set_new(o, "timeoutMs", json_integer(SERVER_WAIT_MS));
		json_object_set_new(o, "requestId", json_string(q->request_id));
		if (b->page_rows > 0)
			json_object_set_new(o, "maxResults",
			    json_integer(b->page_rows));
		json_object_set_new(labels, "client", json_string("dagtop"));
		json_object_set_new(o, "labels", labels);
		body = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		r.method = "POST";
		r.body = body;
		r.body_len = strlen(body);
	} else if (q->stats) {
		buf_puts(&url, "/jobs/");
		http_escape(&url, q->res.job_id);
		buf_puts(&url, "?location=");
		http_escape(&url, q->job_location != NULL ? q->job_location :
		    b->location);
	} else {
		buf_puts(&url, "/queries/");
		http_escape(&url, q->res.job_id);
		buf_puts(&url, "?location=");
		http_escape(&url, q->job_location != NULL ? q->job_location :
		    b->location);
		buf_printf(&url, "&timeoutMs=%d", q->complete ? 0 :
		    SERVER_WAIT_MS);
		if (b->page_rows > 0)
			buf_printf(&url, "&maxResults=%d", b->page_rows);
		if (q->page_token != NULL) {
			buf_puts(&url, "&pageToken=");
			http_escape(&url, q->page_token);
		}
	}
	r.url = buf_str(&url);
	q->req = http_start(b->http, &r, &err);
	explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	free(body);
	buf_free(&url);
	if (q->req == NULL) {
		failf(q, "request", buf_str(&err));
		buf_free(&err);
		return;
	}
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
	struct bq_query *q = xcalloc(1, sizeof *q);

	q->bq = b;
	q->sql = xstrdup(sql);
	q->cb = cb;
	q->arg = arg;
	q->res.table.total_rows = -1;
	q->deadline = loop_now_ms() + b->timeout_ms;
	q->poll_delay = 200;
	q->timer = loop_timer_new(b->loop, timer_due, q);
	make_request_id(q->request_id, sizeof q->request_id);
	q->next = b->queries;
	b->queries = q;
	/* The token comes on a later loop pass, so cb never runs in here. */
	gauth_token(b->auth, got_token, q);
	return q;
}
