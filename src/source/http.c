/*
 * http.c: libcurl's multi interface on the event loop (see http.h).
 *
 * curl tells us which sockets to watch (socket callback) and when it next
 * wants to run (timer callback); the loop tells curl what happened through
 * curl_multi_socket_action.  Finished transfers are collected with
 * curl_multi_info_read after every action.  curl forbids removing a handle
 * from inside its own callbacks, so a request cancelled from its data
 * callback is only marked, its transfer is stopped by the write callback's
 * return value, and it is reaped silently afterwards.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "buf.h"
#include "http.h"
#include "loop.h"

#ifndef DAGTOP_VERSION
#define DAGTOP_VERSION "0"
#endif

#define DEFAULT_TIMEOUT_MS		30000L
#define DEFAULT_CONNECT_TIMEOUT_MS	10000L
#define DEFAULT_MAX_BODY		(64u << 20)

struct http {
	struct loop		*loop;
	CURLM			*multi;
	struct loop_timer	*timer;
	struct http_req		*reqs;		/* in flight, a list */
	char			*ca_file;
	char			*user_agent;
	bool			 insecure;
	int			 active;
	int			 depth;		/* inside curl_multi_* */
};

struct http_req {
	struct http		*http;
	struct http_req		*next;
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			*body;
	size_t			 max_body;
	http_data_cb		 on_data;
	http_done_cb		 on_done;
	void			*arg;
	struct buf		 resp_body;
	struct buf		 resp_headers;
	long			 status;
	bool			 cancelled;
	bool			 stopped;	/* the reader said stop */
	bool			 too_big;
	bool			 in_done;	/* its done callback is running */
	char			 errbuf[CURL_ERROR_SIZE];
};

/* A watched socket: curl's socket pointer for it. */
struct http_sock {
	struct http	*http;
	struct loop_fd	*watch;
	curl_socket_t	 fd;
};

static void	http_reap(struct http *);

const char *
http_error_name(enum http_error e)
{
	switch (e) {
	case HTTP_OK:		return "ok";
	case HTTP_ERR_TIMEOUT:	return "timed out";
	case HTTP_ERR_CONNECT:	return "cannot connect";
	case HTTP_ERR_TLS:	return "TLS error";
	case HTTP_ERR_TOO_BIG:	return "answer too big";
	case HTTP_ERR_OTHER:	break;
	}
	return "transfer failed";
}

static enum http_error
map_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HTTP_ERR_CONNECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return HTTP_ERR_TLS;
	default:
		return HTTP_ERR_OTHER;
	}
}

/* curl's write callback: buffer, or hand the piece to the reader. */
static size_t
on_write(char *data, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;

	if (r->cancelled)
		return 0;
	if (r->status == 0)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->on_data != NULL) {
		if (r->on_data(r, data, len, r->arg) != 0) {
			r->stopped = true;
			return 0;
		}
		/* The reader may have cancelled us. */
		return r->cancelled ? 0 : len;
	}
	if (r->resp_body.len + len > r->max_body) {
		r->too_big = true;
		return 0;
	}
	buf_append(&r->resp_body, data, len);
	return len;
}

/* Keeps the headers of the last response only (after a 100 Continue). */
static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;

	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0)
		buf_reset(&r->resp_headers);
	else if (r->resp_headers.len < 65536)
		buf_append(&r->resp_headers, data, len);
	return len;
}

static void
sock_event(struct loop_fd *fd, int revents, void *arg)
{
	struct http_sock *s = arg;
	struct http *h = s->http;
	int running, ev = 0;

	(void)fd;
	if (revents & POLLIN)
		ev |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		ev |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		ev |= CURL_CSELECT_ERR;
	h->depth++;
	curl_multi_socket_action(h->multi, s->fd, ev, &running);
	h->depth--;
	/* s may be gone now: curl may have told us to stop watching it. */
	http_reap(h);
}

/*
 * Every socket curl opens is closed on exec, so a token or password
 * command started later inherits none of them.
 */
static int
on_sockopt(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	(void)arg;
	(void)purpose;
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	return CURL_SOCKOPT_OK;
}

/* curl's socket callback: watch fd for what curl asks, or stop. */
static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http *h = userp;
	struct http_sock *s = sockp;
	int events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			loop_fd_del(s->watch);
			free(s);
			curl_multi_assign(h->multi, fd, NULL);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		events |= POLLIN;
	if (what & CURL_POLL_OUT)
		events |= POLLOUT;
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->http = h;
		s->fd = fd;
		s->watch = loop_fd_add(h->loop, fd, events, sock_event, s);
		curl_multi_assign(h->multi, fd, s);
	} else
		loop_fd_set_events(s->watch, events);
	return 0;
}

static void
timer_fired(struct loop_timer *t, void *arg)
{
	struct http *h = arg;
	int running;

	(void)t;
	h->depth++;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	h->depth--;
	http_reap(h);
}

/* curl's timer callback: -1 stops the timer, 0 means "as soon as you can". */
static int
on_timer(CURLM *multi, long timeout_ms, void *userp)
{
	struct http *h = userp;

	(void)multi;
	if (timeout_ms < 0)
		loop_timer_stop(h->timer);
	else
		loop_timer_set(h->timer, timeout_ms);
	return 0;
}

struct http *
http_new(struct loop *loop, const struct http_opts *opts)
{
	static bool global_done;
	struct http *h;
	struct buf ua = BUF_INIT;

	if (!global_done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		global_done = true;
	}
	h = xcalloc(1, sizeof *h);
	h->loop = loop;
	h->multi = curl_multi_init();
	h->timer = loop_timer_new(loop, timer_fired, h);
	if (opts != NULL) {
		h->insecure = opts->insecure;
		if (opts->ca_file != NULL)
			h->ca_file = xstrdup(opts->ca_file);
		if (opts->user_agent != NULL)
			buf_puts(&ua, opts->user_agent);
	}
	if (ua.len == 0)
		buf_puts(&ua, "dagtop/" DAGTOP_VERSION);
	h->user_agent = buf_detach(&ua);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static void
req_unlink(struct http_req *r)
{
	struct http_req **pp;

	for (pp = &r->http->reqs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
}

static void
req_free(struct http_req *r)
{
	struct http *h = r->http;

	req_unlink(r);
	curl_multi_remove_handle(h->multi, r->easy);
	curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	free(r->body);
	buf_free(&r->resp_body);
	buf_free(&r->resp_headers);
	h->active--;
	free(r);
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	while (h->reqs != NULL)
		req_free(h->reqs);
	curl_multi_cleanup(h->multi);
	loop_timer_free(h->timer);
	free(h->ca_file);
	free(h->user_agent);
	free(h);
}

struct http_req *
http_start(struct http *h, const struct http_request *q, struct buf *err)
{
	struct http_req *r;
	const char *method = q->method != NULL ? q->method : "GET";
	CURLMcode mrc;

	r = xcalloc(1, sizeof *r);
	r->http = h;
	r->easy = curl_easy_init();
	r->on_data = q->on_data;
	r->on_done = q->on_done;
	r->arg = q->arg;
	r->max_body = q->max_body != 0 ? q->max_body : DEFAULT_MAX_BODY;
	if (r->easy == NULL)
		goto fail;
	if (q->headers != NULL)
		for (const char *const *p = q->headers; *p != NULL; p++)
			r->hdrs = curl_slist_append(r->hdrs, *p);
	curl_easy_setopt(r->easy, CURLOPT_URL, q->url);
	curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
	/* Ours are escaped already: no dot-segment squashing. */
	curl_easy_setopt(r->easy, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(r->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(r->easy, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS,
	    q->timeout_ms > 0 ? q->timeout_ms : DEFAULT_TIMEOUT_MS);
	curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    q->connect_timeout_ms > 0 ? q->connect_timeout_ms :
	    DEFAULT_CONNECT_TIMEOUT_MS);
	if (q->stall_timeout_ms > 0) {
		/* Less than a byte a second for that long: stalled. */
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(r->easy, CURLOPT_LOW_SPEED_TIME,
		    (q->stall_timeout_ms + 999) / 1000);
	}
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
	curl_easy_setopt(r->easy, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	if (h->insecure) {
		curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (h->ca_file != NULL)
		curl_easy_setopt(r->easy, CURLOPT_CAINFO, h->ca_file);
	if (q->aws_sigv4 != NULL) {
		/* curl copies both; it signs the headers and the body. */
		curl_easy_setopt(r->easy, CURLOPT_AWS_SIGV4, q->aws_sigv4);
		curl_easy_setopt(r->easy, CURLOPT_USERPWD, q->aws_keys);
	}
	if (strcmp(method, "GET") != 0 || q->body != NULL) {
		r->body = xmalloc(q->body_len + 1);
		if (q->body_len > 0)
			memcpy(r->body, q->body, q->body_len);
		r->body[q->body_len] = '\0';
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)q->body_len);
		curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(r->easy, CURLOPT_CUSTOMREQUEST, method);
		/*
		 * A write goes once: on a kept-alive connection that dies
		 * before the answer, curl sends the request again by itself,
		 * and a clear sent twice stops the rerun the first started.
		 */
		curl_easy_setopt(r->easy, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(r->easy, CURLOPT_FORBID_REUSE, 1L);
	}
	mrc = curl_multi_add_handle(h->multi, r->easy);
	if (mrc != CURLM_OK) {
		if (err != NULL)
			buf_printf(err, "%s", curl_multi_strerror(mrc));
		goto fail;
	}
	r->next = h->reqs;
	h->reqs = r;
	h->active++;
	return r;
fail:
	if (err != NULL && err->len == 0)
		buf_puts(err, "cannot start the request");
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	free(r->body);
	free(r);
	return NULL;
}

void
http_cancel(struct http_req *r)
{
	if (r == NULL)
		return;
	r->cancelled = true;
	r->on_done = NULL;
	r->on_data = NULL;
	/*
	 * Inside curl (a write callback of this or another transfer) the
	 * handle must stay; the write callback refuses further data and the
	 * reaper frees it once curl reports it done.
	 */
	if (r->http->depth == 0 && !r->in_done)
		req_free(r);
}

long
http_req_status(const struct http_req *r)
{
	return r->status;
}

static const char *
find_header(const struct buf *hdrs, const char *name, struct buf *scratch)
{
	size_t nl = strlen(name);
	const char *p = hdrs->data, *end = hdrs->data + hdrs->len;

	if (p == NULL)
		return NULL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol != NULL ? eol : end;

		if ((size_t)(le - p) > nl && p[nl] == ':' &&
		    strncasecmp(p, name, nl) == 0) {
			const char *v = p + nl + 1;
			const char *ve = le;

			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
				ve--;
			buf_reset(scratch);
			buf_append(scratch, v, (size_t)(ve - v));
			return buf_str(scratch);
		}
		p = le + 1;
	}
	return NULL;
}

const char *
http_req_header(const struct http_req *r, const char *name,
    struct buf *scratch)
{
	return find_header(&r->resp_headers, name, scratch);
}

const char *
http_response_header(const struct http_response *resp, const char *name,
    struct buf *scratch)
{
	return find_header(&resp->headers, name, scratch);
}

int
http_active(const struct http *h)
{
	return h->active;
}

/* Calls back for every finished transfer, then frees it. */
static void
http_reap(struct http *h)
{
	CURLMsg *m;
	int left;

	if (h->depth > 0)
		return;
	while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
		struct http_req *r = NULL;
		struct http_response resp;
		char *ct = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r == NULL)
			continue;
		if (r->cancelled || r->on_done == NULL) {
			req_free(r);
			continue;
		}
		memset(&resp, 0, sizeof resp);
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status);
		curl_easy_getinfo(r->easy, CURLINFO_CONTENT_TYPE, &ct);
		curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME, &resp.seconds);
		resp.content_type = ct != NULL ? ct : "";
		resp.error = map_error(m->data.result);
		resp.error_text = "";
		if (r->too_big) {
			resp.error = HTTP_ERR_TOO_BIG;
			resp.error_text = "the answer is larger than allowed";
		} else if (r->stopped) {
			resp.error = HTTP_ERR_OTHER;
			resp.error_text = "stopped by the reader";
		} else if (resp.error != HTTP_OK)
			resp.error_text = r->errbuf[0] != '\0' ? r->errbuf :
			    curl_easy_strerror(m->data.result);
		resp.body = r->resp_body;
		resp.headers = r->resp_headers;
		/* The callback may start or cancel other requests. */
		r->in_done = true;
		r->on_done(r, &resp, r->arg);
		req_free(r);
	}
	/* Requests cancelled while curl was running. */
	for (struct http_req *r = h->reqs, *next; r != NULL; r = next) {
		next = r->next;
		if (r->cancelled)
			req_free(r);
	}
}

void
http_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	/* "." and ".." are path steps, not names: escape them too. */
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		for (; *s != '\0'; s++)
			buf_puts(out, "%2E");
		return;
	}
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_putc(out, (char)c);
		else {
			buf_putc(out, '%');
			buf_putc(out, hex[c >> 4]);
			buf_putc(out, hex[c & 15]);
		}
	}
}
