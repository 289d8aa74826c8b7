/*
 * http.h: HTTP over libcurl's multi interface, driven by the event loop.
 * curl's sockets and timer are registered with the loop (the socket and
 * timer callbacks of curl_multi_socket_action), so a request never blocks
 * a key press.  One struct http per process serves every source: the
 * Airflow API, and later BigQuery, GitHub and Google's token endpoints.
 *
 * TLS verification is on; it goes off only when the caller sets
 * http_opts.insecure, which the configuration allows only by name.  Bodies
 * and headers may carry secrets: nothing here logs them.
 */
#ifndef DAGTOP_HTTP_H
#define DAGTOP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct loop;
struct http;
struct http_req;

/* Why a request got no usable answer; HTTP_OK covers every status code. */
enum http_error {
	HTTP_OK = 0,
	HTTP_ERR_TIMEOUT,	/* connect or total timeout */
	HTTP_ERR_CONNECT,	/* refused, unreachable, name not resolved */
	HTTP_ERR_TLS,		/* handshake, certificate, verification */
	HTTP_ERR_TOO_BIG,	/* the body passed max_body */
	HTTP_ERR_OTHER		/* anything else curl reports */
};

struct http_opts {
	bool		 insecure;	/* skip TLS verification (named option) */
	const char	*ca_file;	/* extra CA bundle, or NULL */
	const char	*user_agent;	/* NULL: "dagtop/VERSION" */
};

/* What came back.  Valid only during the done callback. */
struct http_response {
	long		 status;	/* 0 when there was no HTTP answer */
	enum http_error	 error;
	const char	*error_text;	/* one line; "" when error is HTTP_OK */
	const char	*content_type;	/* "" when absent */
	struct buf	 body;		/* empty when on_data took the body */
	/* Response headers, "Name: value\r\n" each, of the last response. */
	struct buf	 headers;
	double		 seconds;	/* total time */
};

/*
 * Streaming: called with each piece of the body as it arrives, after the
 * status line and headers are known (http_req_status works).  Return 0 to
 * go on, -1 to stop the transfer (the done callback then reports
 * HTTP_ERR_OTHER with "stopped by the reader").
 */
typedef int (*http_data_cb)(struct http_req *, const char *data, size_t len,
		    void *arg);
/* Called exactly once per request unless the request was cancelled. */
typedef void (*http_done_cb)(struct http_req *, const struct http_response *,
		    void *arg);

struct http_request {
	const char		*method;	/* NULL: GET */
	const char		*url;
	const char *const	*headers;	/* "Name: value", NULL-terminated */
	const char		*body;		/* copied; NULL for none */
	size_t			 body_len;
	long			 timeout_ms;	/* whole transfer; 0: 30 s */
	long			 connect_timeout_ms;	/* 0: 10 s */
	long			 stall_timeout_ms;	/* give up when no byte
						   came for this long; 0: never */
	size_t			 max_body;	/* 0: 64 MiB when buffering */
	const char		*aws_sigv4;	/* "aws:amz:REGION:SERVICE": curl
						   signs the request (SigV4) */
	const char		*aws_keys;	/* "ACCESS_KEY:SECRET_KEY" */
	http_data_cb		 on_data;	/* NULL: buffer the body */
	http_done_cb		 on_done;
	void			*arg;
};

struct http	*http_new(struct loop *, const struct http_opts *);
/*
 * Cancels what is in flight without calling back, then frees the client.
 */
void		 http_free(struct http *);

/*
 * Starts a request; everything in *req is copied.  Returns NULL only when
 * curl refuses the request outright (a malformed URL), with the reason in
 * err when err is not NULL.  Never calls on_done before returning.
 */
struct http_req	*http_start(struct http *, const struct http_request *,
		    struct buf *err);
/* Stops a request in flight; its callbacks are never called again. */
void		 http_cancel(struct http_req *);
/* The status code once headers have arrived, else 0. */
long		 http_req_status(const struct http_req *);
/* The value of a response header (case-insensitive), or NULL. */
const char	*http_req_header(const struct http_req *, const char *name,
		    struct buf *scratch);
/* Same, on a finished response. */
const char	*http_response_header(const struct http_response *,
		    const char *name, struct buf *scratch);
/* Requests in flight. */
int		 http_active(const struct http *);

/*
 * Appends s to out percent-encoded as one URL path segment or query value:
 * everything but RFC 3986's unreserved characters is encoded, so '/', ':',
 * '+', '?', '#' and '%' in a run id cannot change the URL's shape; a
 * segment that is "." or ".." is escaped whole.
 */
void		 http_escape(struct buf *out, const char *s);

/* A one-line description of an error, for messages: "timed out", ... */
const char	*http_error_name(enum http_error);

#endif
