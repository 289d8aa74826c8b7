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
#include <openssl/evp.h>

#include "airflow_api.h"
#include "buf.h"
#include "command.h"
#include "config.h"
#include "loop.h"

enum auth { AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_COMMAND, AUTH_LOGIN };

struct airflow_api {
	struct loop		*loop;
	struct http		*http;
	char			*base;		/* scheme://host[:port][/prefix] */
	char			*shown;		/* base without user:password@ */
	char			*api_prefix;	/* base + /api/v1 or /api/v2 */
	int			 major;
	enum auth		 auth;
	char			*user;
	char			*password_env;
	char			*token_env;
	char			*token_command;
	char			*token;		/* from a command or a login */
	struct command		*command;	/* a token command running */
	struct http_req		*login;		/* a login running */
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
	char			*url;
	char			*accept;
	char			*body;
	http_data_cb		 on_data;
	api_done_cb		 on_done;
	void			*arg;
	struct http_req		*req;
	struct buf		 errbody;	/* a failed streamed answer */
	bool			 retried;
	bool			 sent;		/* handed to curl at least once */
};

static void	call_send(struct api_call *);

static void
drop_token(struct airflow_api *api)
{
	wipe_free(api->token);
	api->token = NULL;
}

/* The secret in the variable a *_env key names; NULL and why when unset. */
static const char *
env_secret(const char *key, const char *var, struct buf *why)
{
	const char *v = getenv(var);

	if (v == NULL || *v == '\0') {
		buf_printf(why, "%s names %s, which is not set", key, var);
		return NULL;
	}
	return v;
}

static enum auth
parse_auth(const char *s)
{
	if (s == NULL || strcmp(s, "none") == 0)
		return AUTH_NONE;
	if (strcmp(s, "basic") == 0)
		return AUTH_BASIC;
	if (strcmp(s, "bearer") == 0)
		return AUTH_BEARER;
	if (strcmp(s, "command") == 0)
		return AUTH_COMMAND;
	return AUTH_LOGIN;
}

struct airflow_api *
airflow_api_new(struct loop *loop, struct http *http,
    const struct settings *s, int major, struct buf *err)
{
	struct airflow_api	*api;
	struct buf		 b = BUF_INIT;
	size_t			 len;

	if (s->airflow_api == NULL || *s->airflow_api == '\0') {
		buf_puts(err, "no airflow_api URL in this context");
		return NULL;
	}
	api = xcalloc(1, sizeof *api);
	api->loop = loop;
	api->http = http;
	api->major = major >= 3 ? 3 : 2;
	api->auth = parse_auth(s->airflow_auth);
	api->user = dup_or_null(s->airflow_user);
	api->password_env = dup_or_null(s->airflow_password_env);
	api->token_env = dup_or_null(s->airflow_token_env);
	api->token_command = dup_or_null(s->airflow_token_command);
	api->readonly = s->readonly;
	api->timeout_ms = (s->airflow_timeout > 0 ? s->airflow_timeout : 30) *
	    1000L;
	/* The user may give the server or the API root: keep the server. */
	buf_puts(&b, s->airflow_api);
	while (b.len > 0 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	len = b.len;
	if (len >= 7 && (strcmp(b.data + len - 7, "/api/v1") == 0 ||
	    strcmp(b.data + len - 7, "/api/v2") == 0))
		b.data[b.len = len - 7] = '\0';
	api->base = buf_detach(&b);
	{
		/* For messages and the audit log: never the userinfo. */
		const char *scheme = strstr(api->base, "://");
		const char *host = scheme != NULL ? scheme + 3 : api->base;
		const char *at = strchr(host, '@');
		const char *slash = strchr(host, '/');

		if (at != NULL && (slash == NULL || at < slash))
			buf_printf(&b, "%.*s%s", (int)(host - api->base),
			    api->base, at + 1);
		else
			buf_puts(&b, api->base);
		api->shown = buf_detach(&b);
	}
	buf_printf(&b, "%s/api/v%d", api->base, api->major == 3 ? 2 : 1);
	api->api_prefix = buf_detach(&b);

	switch (api->auth) {
	case AUTH_BASIC:
	case AUTH_LOGIN:
		if (api->user == NULL || api->password_env == NULL) {
			buf_printf(err, "airflow_auth = %s needs airflow_user "
			    "and airflow_password_env", s->airflow_auth);
			goto fail;
		}
		break;
	case AUTH_BEARER:
		if (api->token_env == NULL) {
			buf_puts(err, "airflow_auth = bearer needs "
			    "airflow_token_env");
			goto fail;
		}
		break;
	case AUTH_COMMAND:
		if (api->token_command == NULL) {
			buf_puts(err, "airflow_auth = command needs "
			    "airflow_token_command");
			goto fail;
		}
		break;
	case AUTH_NONE:
		break;
	}
	return api;
fail:
	airflow_api_free(api);
	return NULL;
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
	for (pp = &c->api->waiting; *pp != NULL; pp = &(*pp)->next_wait)
		if (*pp == c) {
			*pp = c->next_wait;
			break;
		}
	free(c->method);
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
	command_cancel(api->command);
	http_cancel(api->login);
	drop_token(api);
	wipe_free(api->base);
	free(api->shown);
	free(api->api_prefix);
	free(api->user);
	free(api->password_env);
	free(api->token_env);
	free(api->token_command);
	free(api);
}

int
airflow_api_major(const struct airflow_api *api)
{
	return api->major;
}

const char *
airflow_api_url(const struct airflow_api *api)
{
	return api->shown;
}

/* The write gate itself: the one place that decides. */
static bool
write_gate(bool readonly, struct buf *why)
{
	if (!readonly)
		return true;
	buf_puts(why, "read-only: writes are refused (--readonly or readonly "
	    "= true in the context)");
	return false;
}

bool
airflow_api_may_write(const struct airflow_api *api, struct buf *why)
{
	return write_gate(api->readonly, why);
}

bool
airflow_api_context_may_write(const struct settings *s, struct buf *why)
{
	return write_gate(s->readonly, why);
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

static void
token_command_done(void *arg, const char *out, const char *why)
{
	struct airflow_api *api = arg;
	struct buf b = BUF_INIT;

	api->command = NULL;
	if (out != NULL) {
		drop_token(api);
		api->token = xstrdup(out);
		release_waiting(api, NULL);
		return;
	}
	buf_printf(&b, "airflow_token_command failed: %s", why);
	release_waiting(api, buf_str(&b));
	buf_free(&b);
}

static void
login_done(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct airflow_api	*api = arg;
	struct buf		 why = BUF_INIT;
	json_t			*doc = NULL, *tok;

	(void)req;
	api->login = NULL;
	if (resp->error == HTTP_OK && resp->status / 100 == 2) {
		doc = json_loadb(resp->body.data != NULL ? resp->body.data : "",
		    resp->body.len, 0, NULL);
		tok = json_object_get(doc, "access_token");
		if (json_is_string(tok) && json_string_length(tok) > 0) {
			drop_token(api);
			api->token = xstrdup(json_string_value(tok));
			json_decref(doc);
			release_waiting(api, NULL);
			return;
		}
		buf_puts(&why, "login at /auth/token: the answer has no "
		    "access_token");
	} else {
		buf_puts(&why, "login at /auth/token failed: ");
		airflow_api_error(resp, &why);
	}
	json_decref(doc);
	release_waiting(api, buf_str(&why));
	buf_free(&why);
}

/* Starts getting a token, unless that is already under way. */
static void
fetch_token(struct airflow_api *api)
{
	if (api->command != NULL || api->login != NULL)
		return;
	if (api->auth == AUTH_COMMAND) {
		api->command = command_run(api->loop, api->token_command,
		    (int)api->timeout_ms, token_command_done, api);
		if (api->command == NULL)
			release_waiting(api, "cannot run airflow_token_command");
		return;
	}
	/* AUTH_LOGIN */
	{
		struct buf	 url = BUF_INIT, err = BUF_INIT;
		const char	*pw = env_secret("airflow_password_env",
				    api->password_env, &err);
		char		*body;
		json_t		*doc;
		static const char *const hdrs[] = {
			"Content-Type: application/json",
			"Accept: application/json", NULL };
		struct http_request q;

		if (pw == NULL) {
			release_waiting(api, buf_str(&err));
			buf_free(&err);
			return;
		}
		doc = json_pack("{s:s, s:s}", "username", api->user,
		    "password", pw);
		body = json_dumps(doc, JSON_COMPACT);
		json_decref(doc);
		buf_printf(&url, "%s/auth/token", api->base);
		memset(&q, 0, sizeof q);
		q.method = "POST";
		q.url = buf_str(&url);
		q.headers = hdrs;
		q.body = body;
		q.body_len = body != NULL ? strlen(body) : 0;
		q.timeout_ms = api->timeout_ms;
		q.max_body = 1 << 20;
		q.on_done = login_done;
		q.arg = api;
		api->login = http_start(api->http, &q, &err);
		wipe_free(body);
		buf_free(&url);
		if (api->login == NULL) {
			struct buf why = BUF_INIT;

			buf_printf(&why, "login at /auth/token: %s",
			    buf_str(&err));
			release_waiting(api, buf_str(&why));
			buf_free(&why);
		}
		buf_free(&err);
	}
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

	(void)req;
	c->req = NULL;
	if (resp->status == 401 && api->token != NULL &&
	    (api->auth == AUTH_COMMAND || api->auth == AUTH_LOGIN)) {
		/* The token expired or was revoked: get a new one. */
		drop_token(api);
		if (!c->retried && strcmp(c->method, "GET") == 0) {
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
	const char		*hdrs[5];
	size_t			 n = 0;
	struct http_request	 q;

	switch (api->auth) {
	case AUTH_NONE:
		break;
	case AUTH_BASIC: {
		const char *pw = env_secret("airflow_password_env",
		    api->password_env, &err);
		struct buf plain = BUF_INIT;
		unsigned char *enc;
		size_t cap;

		if (pw == NULL)
			goto refuse;
		buf_printf(&plain, "%s:%s", api->user, pw);
		cap = 4 * ((plain.len + 2) / 3) + 1;
		enc = xmalloc(cap);
		EVP_EncodeBlock(enc, (const unsigned char *)plain.data,
		    (int)plain.len);
		buf_printf(&auth, "Authorization: Basic %s", (char *)enc);
		memset(enc, 0, cap);
		free(enc);
		memset(plain.data, 0, plain.len);
		buf_free(&plain);
		break;
	}
	case AUTH_BEARER: {
		const char *tok = env_secret("airflow_token_env",
		    api->token_env, &err);

		if (tok == NULL)
			goto refuse;
		buf_printf(&auth, "Authorization: Bearer %s", tok);
		break;
	}
	case AUTH_COMMAND:
	case AUTH_LOGIN:
		if (api->token == NULL) {
			c->next_wait = api->waiting;
			api->waiting = c;
			fetch_token(api);
			return;
		}
		buf_printf(&auth, "Authorization: Bearer %s", api->token);
		break;
	}
	if (auth.len > 0)
		hdrs[n++] = buf_str(&auth);
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
	q.timeout_ms = c->on_data != NULL ? 0 : api->timeout_ms;
	q.on_data = c->on_data != NULL ? call_data : NULL;
	q.on_done = call_done;
	q.arg = c;
	if (c->on_data != NULL) {
		/* A big log streams for as long as it takes, if it flows. */
		q.timeout_ms = 24L * 3600 * 1000;
		q.stall_timeout_ms = api->timeout_ms;
	}
	c->req = http_start(api->http, &q, &err);
	if (c->req != NULL)
		c->sent = true;
	if (auth.data != NULL)
		memset(auth.data, 0, auth.len);
	buf_free(&auth);
	buf_free(&accept);
	if (c->req == NULL)
		call_fail(c, buf_str(&err));
	buf_free(&err);
	return;
refuse:
	/* A secret is missing: the call fails before anything is sent. */
	call_fail(c, buf_str(&err));
	buf_free(&err);
}

static struct api_call *
call_new(struct airflow_api *api, const char *method, const char *path,
    const char *accept, const char *body, http_data_cb on_data,
    api_done_cb on_done, void *arg)
{
	struct api_call *c = xcalloc(1, sizeof *c);
	struct buf url = BUF_INIT;

	c->api = api;
	c->method = xstrdup(method);
	buf_printf(&url, "%s%s%s", api->api_prefix, *path == '/' ? "" : "/",
	    path);
	c->url = buf_detach(&url);
	c->accept = xstrdup(accept != NULL ? accept : "application/json");
	c->body = body != NULL ? xstrdup(body) : NULL;
	c->on_data = on_data;
	c->on_done = on_done;
	c->arg = arg;
	c->next = api->calls;
	api->calls = c;
	return c;
}

struct api_call *
airflow_api_get(struct airflow_api *api, const char *path, const char *accept,
    http_data_cb on_data, api_done_cb on_done, void *arg)
{
	struct api_call *c = call_new(api, "GET", path, accept, NULL, on_data,
	    on_done, arg);

	/*
	 * call_send may fail the call at once (a missing variable); the
	 * caller then gets its callback before this returns, and NULL.
	 */
	call_send(c);
	for (struct api_call *p = api->calls; p != NULL; p = p->next)
		if (p == c)
			return c;
	return NULL;
}

struct api_call *
airflow_api_post(struct airflow_api *api, const char *path, const char *json,
    api_done_cb on_done, void *arg, struct buf *err)
{
	struct api_call *c;

	/* The write gate: nothing leaves the process in read-only mode. */
	if (!airflow_api_may_write(api, err))
		return NULL;
	c = call_new(api, "POST", path, "application/json", json, NULL,
	    on_done, arg);
	call_send(c);
	for (struct api_call *p = api->calls; p != NULL; p = p->next)
		if (p == c)
			return c;
	return NULL;
}

void
airflow_api_error(const struct http_response *resp, struct buf *out)
{
	json_t		*doc, *d;
	const char	*body = resp->body.data != NULL ? resp->body.data : "";

	if (resp->status == 0) {
		buf_printf(out, "%s", http_error_name(resp->error));
		if (resp->error_text != NULL && *resp->error_text != '\0')
			buf_printf(out, ": %s", resp->error_text);
		return;
	}
	buf_printf(out, "HTTP %ld", resp->status);
	doc = json_loadb(body, resp->body.len, 0, NULL);
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
	else if (doc == NULL && resp->body.len > 0) {
		size_t n = strcspn(body, "\r\n");

		buf_printf(out, ": %.*s", (int)(n > 200 ? 200 : n), body);
	}
	json_decref(doc);
	if (resp->status == 401)
		buf_puts(out, " (check airflow_auth and its credentials)");
}
