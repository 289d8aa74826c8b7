/*
 * airflow_api.c: calls to the Airflow REST API with their authentication
 * (airflow_api.h).
 *
 * Calls that need a token wait in a queue while one token request (a
 * command or a login) runs; when it ends they all go, or all fail with its
 * reason.  A streamed GET whose answer is not a success has its body
 * collected for the error message instead of being handed to the reader,
 * so a 404 page never shows up as log text.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "airflow_api.h"
#include "api_client.h"
#include "buf.h"
#include "composer.h"
#include "loop.h"
#include "mwaa.h"

#define GOOGLE_SCOPE	"https://www.googleapis.com/auth/cloud-platform"

struct airflow_api {
	struct loop		*loop;
	struct http		*http;
	char			*base;		/* scheme://host[:port][/prefix] */
	char			*shown;		/* base without user:password@ */
	char			*api_prefix;	/* base + /api/v1 or /api/v2 */
	int			 major;
	bool			 major_known;	/* from the database */
	struct api_auth		*auth;
	struct gauth		*gauth;		/* airflow_auth = google */
	struct composer		*composer;	/* the URL from Composer */
	char			*environment;	/* composer_environment */
	struct api_call		*url_waiting;	/* calls waiting for the URL */
	bool			 looking;	/* a Composer lookup under way */
	bool			 url_worked;	/* the URL answered a success */
	char			*mwaa;		/* MWAA's environment name */
	char			*mwaa_url;	/* its InvokeRestApi root */
	char			*aws_sign;	/* "aws:amz:REGION:airflow" */
	struct api_call		*waiting;	/* calls waiting for a token */
	struct api_call		*calls;		/* every live call */
	long			 timeout_ms;
	bool			 readonly;
};

struct api_call {
	struct airflow_api	*api;
	struct api_call		*next_wait;
	struct api_call		*next;
	char			*method;
	char			*path;
	char			*url;		/* NULL until the base is known */
	char			*accept;
	char			*body;
	http_data_cb		 on_data;
	api_done_cb		 on_done;
	void			*arg;
	struct http_req		*req;
	struct buf		 errbody;	/* a failed streamed answer */
	enum api_intent		 intent;	/* by method and path */
	bool			 retried;
	bool			 sent;		/* handed to curl at least once */
};

static void	call_send(struct api_call *);
static void	call_done(struct http_req *, const struct http_response *,
		    void *);

static enum api_auth_kind
parse_auth(const char *s)
{
	if (s == NULL || strcmp(s, "none") == 0 || strcmp(s, "aws-sigv4") == 0)
		return API_AUTH_NONE;	/* aws-sigv4: mwaa_send signs */
	if (strcmp(s, "basic") == 0)
		return API_AUTH_BASIC;
	if (strcmp(s, "bearer") == 0)
		return API_AUTH_BEARER;
	if (strcmp(s, "command") == 0)
		return API_AUTH_COMMAND;
	if (strcmp(s, "google") == 0)
		return API_AUTH_GOOGLE;
	return API_AUTH_LOGIN;
}

/* Why the auth settings cannot work, or NULL when they are complete. */
static const char *
auth_missing(const struct airflow_api_opts *o, enum api_auth_kind kind)
{
	switch (kind) {
	case API_AUTH_BASIC:
	case API_AUTH_LOGIN:
		if (kind == API_AUTH_LOGIN && o->composer_environment != NULL)
			return "cannot log in to Composer (use google)";
		if (o->user == NULL || o->password_env == NULL)
			return "needs airflow_user and airflow_password_env";
		break;
	case API_AUTH_BEARER:
		if (o->token_env == NULL)
			return "needs airflow_token_env";
		break;
	case API_AUTH_COMMAND:
		if (o->token_command == NULL)
			return "needs airflow_token_command";
		break;
	default:
		break;
	}
	return NULL;
}

/*
 * The server's URL: the user may give the server or the API root, with
 * slashes at the end; keep the server.  And for messages and the audit
 * log, the same without the userinfo.
 */
static void
set_base(struct airflow_api *api, const char *url)
{
	struct buf	 b = BUF_INIT;
	const char	*scheme, *host, *at, *slash;
	size_t		 len;

	wipe_free(api->base);
	free(api->shown);
	free(api->api_prefix);
	api_base(&b, url);
	len = b.len;
	if (len >= 7 && (strcmp(b.data + len - 7, "/api/v1") == 0 ||
	    strcmp(b.data + len - 7, "/api/v2") == 0))
		b.data[b.len = len - 7] = '\0';
	api->base = buf_detach(&b);
	scheme = strstr(api->base, "://");
	host = scheme != NULL ? scheme + 3 : api->base;
	at = strchr(host, '@');
	slash = strchr(host, '/');
	if (at != NULL && (slash == NULL || at < slash))
		buf_printf(&b, "%.*s%s", (int)(host - api->base), api->base,
		    at + 1);
	else
		buf_puts(&b, api->base);
	api->shown = buf_detach(&b);
	buf_printf(&b, "%s/api/v%d", api->base, api->major == 3 ? 2 : 1);
	api->api_prefix = buf_detach(&b);
}

/* The message of a failed login's answer (api_auth_opts.error_text). */
static void
login_error(const struct http_response *resp, struct buf *out)
{
	airflow_api_error(resp, out);
}

/*
 * The Google side of a client: a token source with the cloud-platform
 * scope (Composer's web server and API both take it), and the Composer
 * lookup when the URL is to come from an environment.  False with why.
 */
static bool
google_setup(struct airflow_api *api, const struct airflow_api_opts *o,
    enum api_auth_kind kind, struct buf *err)
{
	struct gauth_opts	 go = o->google;
	struct buf		 why = BUF_INIT;

	if (kind == API_AUTH_GOOGLE) {
		if (go.scope == NULL)
			go.scope = GOOGLE_SCOPE;
		api->gauth = gauth_new(api->loop, api->http, &go, &why);
		if (api->gauth == NULL) {
			buf_printf(err, "airflow_auth = google: %s",
			    buf_str(&why));
			buf_free(&why);
			return false;
		}
	}
	if (o->composer_environment != NULL) {
		api->environment = xstrdup(o->composer_environment);
		api->shown = xstrdup(o->composer_environment);
	}
	return true;
}

/*
 * MWAA: every call goes to InvokeRestApi at mwaa_url (by default the
 * region's env.airflow endpoint), signed for the service "airflow".
 */
static void
mwaa_setup(struct airflow_api *api, const struct airflow_api_opts *o)
{
	struct buf b = BUF_INIT;

	api->mwaa = xstrdup(o->mwaa_environment);
	if (o->mwaa_url != NULL)
		api_base(&b, o->mwaa_url);
	else
		buf_printf(&b, "https://env.airflow.%s.amazonaws.com",
		    o->aws_region);
	api->mwaa_url = buf_detach(&b);
	buf_printf(&b, "aws:amz:%s:airflow", o->aws_region);
	api->aws_sign = buf_detach(&b);
	set_base(api, api->mwaa_url);
}

struct airflow_api *
airflow_api_new(struct loop *loop, struct http *http,
    const struct airflow_api_opts *o, int major, struct buf *err)
{
	struct airflow_api	*api;
	struct api_auth_opts	 ao;
	struct buf		 login = BUF_INIT;
	enum api_auth_kind	 kind = parse_auth(o->auth);
	const char		*missing = auth_missing(o, kind);

	if ((o->url == NULL || *o->url == '\0') &&
	    o->composer_environment == NULL && o->mwaa_environment == NULL) {
		buf_puts(err, "no airflow_api URL in this context");
		return NULL;
	}
	if (o->mwaa_environment != NULL && (o->aws_region == NULL ||
	    o->auth == NULL || strcmp(o->auth, "aws-sigv4") != 0)) {
		buf_puts(err, "mwaa_environment needs aws_region and "
		    "airflow_auth = aws-sigv4");
		return NULL;
	}
	if (missing != NULL) {
		buf_printf(err, "airflow_auth = %s %s", o->auth, missing);
		return NULL;
	}
	api = xcalloc(1, sizeof *api);
	api->loop = loop;
	api->http = http;
	api->major = major >= 3 ? 3 : 2;
	api->major_known = major > 0;
	api->readonly = o->readonly;
	api->timeout_ms = (o->timeout > 0 ? o->timeout : 30) * 1000L;
	if (!google_setup(api, o, kind, err)) {
		free(api);
		return NULL;
	}
	if (o->mwaa_environment != NULL)
		mwaa_setup(api, o);
	else if (api->environment == NULL) {
		set_base(api, o->url);
		buf_printf(&login, "%s/auth/token", api->base);
	}
	memset(&ao, 0, sizeof ao);
	ao.kind = kind;
	ao.name = "airflow";
	ao.user = o->user;
	ao.password_env = o->password_env;
	ao.token_env = o->token_env;
	ao.token_command = o->token_command;
	ao.login_url = login.len > 0 ? buf_str(&login) : NULL;
	ao.timeout_ms = api->timeout_ms;
	ao.error_text = login_error;
	ao.gauth = api->gauth;
	api->auth = api_auth_new(loop, http, &ao);
	buf_free(&login);
	if (api->environment != NULL)
		api->composer = composer_new(loop, http, api->auth,
		    o->composer_url != NULL ? o->composer_url :
		    "https://composer.googleapis.com", api->environment,
		    api->timeout_ms);
	return api;
}

/* Takes c out of a wait queue (linked by next_wait), if it is there. */
static void
unwait(struct api_call **head, struct api_call *c)
{
	for (; *head != NULL; head = &(*head)->next_wait)
		if (*head == c) {
			*head = c->next_wait;
			return;
		}
}

static void
call_free(struct api_call *c)
{
	struct api_call **pp;

	for (pp = &c->api->calls; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	unwait(&c->api->waiting, c);
	unwait(&c->api->url_waiting, c);
	free(c->method);
	free(c->path);
	free(c->url);
	free(c->accept);
	wipe_free(c->body);
	buf_free(&c->errbody);
	free(c);
}

void
airflow_api_cancel(struct api_call *c)
{
	if (c == NULL)
		return;
	if (c->req != NULL)
		http_cancel(c->req);
	call_free(c);
}

void
airflow_api_free(struct airflow_api *api)
{
	if (api == NULL)
		return;
	while (api->calls != NULL)
		airflow_api_cancel(api->calls);
	composer_free(api->composer);
	free(api->mwaa);
	free(api->mwaa_url);
	free(api->aws_sign);
	api_auth_free(api->auth);
	gauth_free(api->gauth);
	free(api->environment);
	wipe_free(api->base);
	free(api->shown);
	free(api->api_prefix);
	free(api);
}

int
airflow_api_major(const struct airflow_api *api)
{
	return api->major;
}

void
airflow_api_set_major(struct airflow_api *api, int major)
{
	struct buf b = BUF_INIT;

	api->major = major >= 3 ? 3 : 2;
	api->major_known = true;
	/* Before a Composer lookup ends there is no base: it builds the prefix. */
	if (api->base == NULL)
		return;
	buf_printf(&b, "%s/api/v%d", api->base, api->major == 3 ? 2 : 1);
	free(api->api_prefix);
	api->api_prefix = buf_detach(&b);
}

const char *
airflow_api_url(const struct airflow_api *api)
{
	return api->shown;
}

const char *
airflow_api_composer(const struct airflow_api *api)
{
	return api->environment;
}

/* The write gate is api_gate's: these two only ask it. */
bool
airflow_api_may_write(const struct airflow_api *api, struct buf *why)
{
	return api_gate(api->readonly, why) == API_ALLOWED;
}

bool
airflow_api_context_may_write(bool readonly, struct buf *why)
{
	return api_gate(readonly, why) == API_ALLOWED;
}

struct http_req *
airflow_api_req(const struct api_call *c)
{
	return c->req;
}

void *
airflow_api_call_arg(const struct api_call *c)
{
	return c->arg;
}

bool
airflow_api_sent(const struct api_call *c)
{
	return c->sent;
}

/* Fails a call that never got an answer: the reason as a transport error. */
static void
call_fail(struct api_call *c, const char *why)
{
	struct http_response resp;

	memset(&resp, 0, sizeof resp);
	resp.error = HTTP_ERR_OTHER;
	resp.error_text = why;
	resp.content_type = "";
	c->req = NULL;
	c->on_done(c, &resp, c->arg);
	call_free(c);
}

static void
release_waiting(struct airflow_api *api, const char *why)
{
	while (api->waiting != NULL) {
		struct api_call *c = api->waiting;

		api->waiting = c->next_wait;
		c->next_wait = NULL;
		if (why != NULL)
			call_fail(c, why);
		else
			call_send(c);
	}
}

/* The token source is done: the waiting calls go, or fail with why. */
static void
token_ready(void *arg, const char *why)
{
	release_waiting(arg, why);
}

/*
 * The Composer lookup ended: the waiting calls go to the URL found, or
 * fail with why.
 */
static void
url_found(void *arg, const char *uri, int major, const char *why)
{
	struct airflow_api	*api = arg;
	struct api_call		*c;

	api->looking = false;
	if (uri != NULL) {
		if (!api->major_known && major > 0)
			api->major = major >= 3 ? 3 : 2;
		set_base(api, uri);
	}
	while ((c = api->url_waiting) != NULL) {
		api->url_waiting = c->next_wait;
		c->next_wait = NULL;
		if (uri == NULL)
			call_fail(c, why);
		else
			call_send(c);
	}
}

/*
 * Whether a failed answer puts the Composer URL in doubt (the server is
 * gone or the path is not Airflow's): true when it came from the cache
 * and has not answered a success yet; the file is then removed and the
 * URL looked up again.
 */
static bool
url_doubted(struct airflow_api *api, const struct http_response *resp)
{
	if (resp->status / 100 == 2)
		api->url_worked = true;
	if (api->composer == NULL || api->url_worked ||
	    (resp->error != HTTP_ERR_CONNECT && resp->status != 404) ||
	    !composer_invalidate(api->composer))
		return false;
	wipe_free(api->base);
	free(api->shown);
	free(api->api_prefix);
	api->base = api->api_prefix = NULL;
	api->shown = xstrdup(api->environment);
	return true;
}

/*
 * A call whose URL is not known yet (Composer's lookup): it waits, and
 * the first one starts the lookup.  True when it waits.
 */
static bool
url_wait(struct api_call *c)
{
	struct airflow_api	*api = c->api;
	struct buf		 url = BUF_INIT;

	if (c->url != NULL)
		return false;
	if (api->api_prefix != NULL) {
		api_join(&url, api->api_prefix, c->path);
		c->url = buf_detach(&url);
		return false;
	}
	c->next_wait = api->url_waiting;
	api->url_waiting = c;
	if (!api->looking) {
		api->looking = true;
		composer_lookup(api->composer, url_found, api);
	}
	return true;
}

/*
 * The call as MWAA's InvokeRestApi: POST {Path, Method, QueryParameters,
 * Body}, signed by curl.  The gate judges the Airflow call inside, not
 * the POST that carries it: a GET stays a read.
 */
static void
mwaa_send(struct api_call *c)
{
	struct airflow_api	*api = c->api;
	struct buf		 keys = BUF_INIT, tok = BUF_INIT, url = BUF_INIT;
	struct buf		 err = BUF_INIT;
	const char		*hdrs[4] = { "Content-Type: application/json",
				    "Accept: application/json", NULL, NULL };
	struct http_request	 q;
	char			*wrapped = NULL;

	if (mwaa_credentials(&keys, &tok, &err) != 0)
		goto fail;
	if ((wrapped = mwaa_wrap(c->method, c->path, c->body)) == NULL) {
		buf_puts(&err, "the request body is not JSON");
		goto fail;
	}
	if (tok.len > 0)
		hdrs[2] = buf_str(&tok);
	buf_printf(&url, "%s/restapi/%s", api->mwaa_url, api->mwaa);
	memset(&q, 0, sizeof q);
	q.method = "POST";
	q.url = buf_str(&url);
	q.headers = hdrs;
	q.body = wrapped;
	q.body_len = strlen(wrapped);
	q.timeout_ms = api->timeout_ms;
	q.aws_sigv4 = api->aws_sign;
	q.aws_keys = buf_str(&keys);
	q.on_done = call_done;
	q.arg = c;
	c->req = api_start(api->http, &q, strcmp(c->method, "GET") == 0 ?
	    API_READ : API_WRITE, api->readonly, NULL, NULL, &err);
	if (c->req != NULL)
		c->sent = true;
fail:
	if (c->req == NULL)
		call_fail(c, buf_str(&err));
	if (keys.data != NULL)
		explicit_bzero(keys.data, keys.len);
	if (tok.data != NULL)
		explicit_bzero(tok.data, tok.len);
	buf_free(&keys);
	buf_free(&tok);
	buf_free(&url);
	buf_free(&err);
	wipe_free(wrapped);
}

/*
 * InvokeRestApi answered: the Airflow answer inside it goes to the
 * caller (a streamed GET gets its body in one piece).  False when the
 * answer is not InvokeRestApi's (AWS refused the call itself).
 */
static bool
mwaa_answer(struct http_req *req, struct api_call *c,
    const struct http_response *resp)
{
	struct http_response	 r = *resp;
	struct buf		 inner = BUF_INIT;

	if (resp->error != HTTP_OK || !mwaa_unwrap(resp->body.data,
	    resp->body.len, &r.status, &inner))
		return false;
	r.body = inner;
	r.content_type = "application/json";
	if (c->on_data != NULL && r.status / 100 == 2 && inner.len > 0 &&
	    c->on_data(req, inner.data, inner.len, c->arg) != 0) {
		r.error = HTTP_ERR_OTHER;
		r.error_text = "stopped by the reader";
	}
	c->on_done(c, &r, c->arg);
	call_free(c);
	buf_free(&inner);
	return true;
}

static int
call_data(struct http_req *req, const char *data, size_t len, void *arg)
{
	struct api_call *c = arg;
	long status = http_req_status(req);

	if (status / 100 != 2) {
		if (c->errbody.len < 65536)
			buf_append(&c->errbody, data, len);
		return 0;
	}
	return c->on_data(req, data, len, c->arg);
}

static void
call_done(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct api_call		*c = arg;
	struct airflow_api	*api = c->api;
	struct http_response	 r = *resp;

	c->req = NULL;
	if (api->mwaa != NULL && mwaa_answer(req, c, resp))
		return;
	if (url_doubted(api, resp)) {
		/* The cached URL failed: ask Composer again, once. */
		free(c->url);
		c->url = NULL;
		buf_reset(&c->errbody);
		call_send(c);
		return;
	}
	if (resp->status == 401 && api_auth_has_token(api->auth) &&
	    api_auth_expired(api->auth)) {
		/* The token expired or was revoked: get a new one. */
		if (!c->retried && c->intent == API_READ) {
			c->retried = true;
			buf_reset(&c->errbody);
			call_send(c);
			return;
		}
	}
	if (c->errbody.len > 0)
		r.body = c->errbody;
	c->on_done(c, &r, c->arg);
	call_free(c);
}

/* Sends the call now if it can be authenticated, else waits for a token. */
static void
call_send(struct api_call *c)
{
	struct airflow_api	*api = c->api;
	struct buf		 auth = BUF_INIT, accept = BUF_INIT;
	struct buf		 err = BUF_INIT;
	const char		*hdrs[3];
	size_t			 n = 0;
	struct http_request	 q;
	int			 ready;

	if (url_wait(c))
		return;
	if (api->mwaa != NULL) {
		mwaa_send(c);
		return;
	}
	ready = api_auth_header(api->auth, &auth, &err);
	if (ready > 0) {
		bool first = api->waiting == NULL;

		c->next_wait = api->waiting;
		api->waiting = c;
		if (first)
			api_auth_fetch(api->auth, token_ready, api);
		buf_free(&err);
		return;
	}
	if (ready < 0) {
		/* A secret is missing: the call fails before anything is sent. */
		call_fail(c, buf_str(&err));
		buf_free(&err);
		return;
	}
	buf_printf(&accept, "Accept: %s", c->accept);
	hdrs[n++] = buf_str(&accept);
	if (c->body != NULL)
		hdrs[n++] = "Content-Type: application/json";
	hdrs[n] = NULL;
	memset(&q, 0, sizeof q);
	q.method = c->method;
	q.url = c->url;
	q.headers = hdrs;
	q.body = c->body;
	q.body_len = c->body != NULL ? strlen(c->body) : 0;
	q.timeout_ms = api->timeout_ms;
	q.on_data = c->on_data != NULL ? call_data : NULL;
	q.on_done = call_done;
	q.arg = c;
	if (c->on_data != NULL) {
		/* A big log streams for as long as it takes, if it flows. */
		q.timeout_ms = 24L * 3600 * 1000;
		q.stall_timeout_ms = api->timeout_ms;
	}
	c->req = api_start(api->http, &q, c->intent, api->readonly,
	    buf_str(&auth), NULL, &err);
	if (c->req != NULL)
		c->sent = true;
	if (auth.data != NULL)
		explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	buf_free(&accept);
	if (c->req == NULL)
		call_fail(c, buf_str(&err));
	buf_free(&err);
}

/*
 * Makes a call and sends it (or queues it for a token).  NULL when it
 * failed at once (a missing variable): its callback has then run.
 */
static struct api_call *
call_start(struct airflow_api *api, const char *method, const char *path,
    const char *accept, const char *body, http_data_cb on_data,
    api_done_cb on_done, void *arg)
{
	struct api_call	*c = xcalloc(1, sizeof *c);

	*c = (struct api_call){ .api = api, .method = xstrdup(method),
	    .path = xstrdup(path), .on_data = on_data, .on_done = on_done,
	    .arg = arg, .next = api->calls,
	    .accept = xstrdup(accept != NULL ? accept : "application/json"),
	    .body = body != NULL ? xstrdup(body) : NULL,
	    .intent = api_airflow_intent(api->major >= 3 ? 2 : 1, method,
	    path) };
	api->calls = c;
	call_send(c);
	for (struct api_call *p = api->calls; p != NULL; p = p->next)
		if (p == c)
			return c;
	return NULL;
}

struct api_call *
airflow_api_get(struct airflow_api *api, const char *path, const char *accept,
    http_data_cb on_data, api_done_cb on_done, void *arg)
{
	return call_start(api, "GET", path, accept, NULL, on_data, on_done,
	    arg);
}

struct api_call *
airflow_api_post(struct airflow_api *api, const char *path, const char *json,
    api_done_cb on_done, void *arg, struct buf *err)
{
	/*
	 * The write gate: nothing leaves the process in read-only mode, but
	 * for the list endpoints, which only read (api_airflow_intent).
	 */
	if (api_airflow_intent(api->major >= 3 ? 2 : 1, "POST", path) ==
	    API_WRITE && !airflow_api_may_write(api, err))
		return NULL;
	return call_start(api, "POST", path, "application/json", json, NULL,
	    on_done, arg);
}

/*
 * Airflow's error shape (api_error_fn): "detail", a string or FastAPI's
 * list of {loc, msg}, else "title".
 */
static bool
airflow_error_detail(const char *body, size_t len, struct buf *out)
{
	json_t	*doc = json_loadb(body, len, 0, NULL), *d;

	if (doc == NULL)
		return false;
	d = json_object_get(doc, "detail");
	if (json_is_string(d))
		buf_printf(out, ": %s", json_string_value(d));
	else if (json_is_array(d)) {
		/* FastAPI's validation errors: [{loc: [...], msg}, ...] */
		size_t i;
		json_t *e;

		buf_puts(out, ":");
		json_array_foreach(d, i, e) {
			json_t *loc = json_object_get(e, "loc");
			json_t *msg = json_object_get(e, "msg");
			json_t *part;
			size_t j;

			if (i >= 3)
				break;
			buf_puts(out, i > 0 ? ";" : "");
			buf_puts(out, " ");
			json_array_foreach(loc, j, part) {
				if (j == 0 && json_is_string(part) &&
				    strcmp(json_string_value(part), "body") == 0)
					continue;
				if (json_is_string(part))
					buf_printf(out, "%s.",
					    json_string_value(part));
			}
			if (out->len > 0 && out->data[out->len - 1] == '.')
				out->data[--out->len] = '\0';
			if (json_is_string(msg))
				buf_printf(out, " %s", json_string_value(msg));
		}
	} else if (json_is_string(json_object_get(doc, "title")))
		buf_printf(out, ": %s", json_string_value(json_object_get(doc,
		    "title")));
	json_decref(doc);
	return true;
}

void
airflow_api_error(const struct http_response *resp, struct buf *out)
{
	api_error_text(resp, airflow_error_detail, out);
	if (resp->status == 401)
		buf_puts(out, " (check airflow_auth and its credentials)");
}
