/*
 * api_client.c: the base URL, the write gate, the retry policy and the
 * token sources that the Airflow, GitHub and BigQuery clients share
 * (api_client.h).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "api_client.h"
#include "command.h"
#include "google_auth.h"
#include "loop.h"

#define API_MAX_HEADERS	16

struct waiter {
	api_auth_cb	 cb;
	void		*arg;
	struct waiter	*next;
};

struct api_auth {
	struct loop		*loop;
	struct http		*http;
	enum api_auth_kind	 kind;
	char			*name;
	char			*user;
	char			*password_env;
	char			*token_env;
	char			*token_command;
	char			*login_url;
	long			 timeout_ms;
	void			(*error_text)(const struct http_response *,
				    struct buf *);
	struct gauth		*gauth;
	char			*token;		/* command, login, Google */
	struct command		*command;	/* a token command running */
	struct http_req		*login;		/* a login running */
	bool			 asking;	/* gauth_token under way */
	struct waiter		*waiting;
};

/* --- base URL -------------------------------------------------------------- */

void
api_base(struct buf *out, const char *url)
{
	buf_reset(out);
	buf_puts(out, url != NULL ? url : "");
	while (out->len > 0 && out->data[out->len - 1] == '/')
		out->data[--out->len] = '\0';
}

void
api_join(struct buf *out, const char *base, const char *path)
{
	buf_printf(out, "%s%s%s", base, *path == '/' ? "" : "/", path);
}

/* --- the write gate -------------------------------------------------------- */

enum api_refusal
api_gate(bool readonly, struct buf *why)
{
	if (!readonly)
		return API_ALLOWED;
	buf_puts(why, "read-only: writes are refused (--readonly or readonly "
	    "= true in the context)");
	return API_REFUSED_READONLY;
}

/* The POSTs of each Airflow API version that write nothing. */
static const struct {
	int		 api;
	const char	*path;
	enum api_intent	 intent;
} read_posts[] = {
	{ 1, "/dags/~/dagRuns/list", API_READ },
	{ 1, "/dags/~/dagRuns/~/taskInstances/list", API_READ },
	{ 2, "/dags/~/dagRuns/list", API_READ },
	{ 2, "/dags/~/dagRuns/~/taskInstances/list", API_READ },
	{ 2, "/auth/token", API_LOGIN },
};

enum api_intent
api_airflow_intent(int api, const char *method, const char *path)
{
	size_t	len = strcspn(path, "?#");
	size_t	i;

	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return API_READ;
	if (strcmp(method, "POST") != 0)
		return API_WRITE;
	for (i = 0; i < sizeof read_posts / sizeof read_posts[0]; i++)
		if (read_posts[i].api == api &&
		    strlen(read_posts[i].path) == len &&
		    strncmp(read_posts[i].path, path, len) == 0)
			return read_posts[i].intent;
	return API_WRITE;
}

struct http_req *
api_start(struct http *http, const struct http_request *req,
    enum api_intent intent, bool readonly, const char *auth_header,
    enum api_refusal *refused, struct buf *err)
{
	struct http_request	 q = *req;
	const char		*hdrs[API_MAX_HEADERS + 2];
	enum api_refusal	 gate = API_ALLOWED;
	size_t			 n = 0;

	if (intent == API_WRITE)
		gate = api_gate(readonly, err);
	if (refused != NULL)
		*refused = gate;
	if (gate != API_ALLOWED)
		return NULL;	/* nothing leaves the process */
	if (auth_header != NULL && *auth_header != '\0')
		hdrs[n++] = auth_header;
	for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL &&
	    n < API_MAX_HEADERS; i++)
		hdrs[n++] = req->headers[i];
	hdrs[n] = NULL;
	q.headers = hdrs;
	return http_start(http, &q, err);
}

/* --- the retry policy ------------------------------------------------------ */

long
api_retry_delay(const struct api_retry *p, bool idempotent,
    const struct http_response *r, bool reason_retryable, int tries)
{
	long	delay = p->first_ms;

	if (!idempotent || tries >= p->max_retries)
		return -1;
	if (r->error != HTTP_OK) {
		if (r->error == HTTP_ERR_TLS || r->error == HTTP_ERR_TOO_BIG)
			return -1;
	} else if (r->status != 429 && r->status < 500 && !reason_retryable)
		return -1;
	for (int i = 0; i < tries; i++)
		delay *= p->factor;
	return delay;
}

/* --- error text ----------------------------------------------------------- */

void
api_error_text(const struct http_response *resp, api_error_fn decode,
    struct buf *out)
{
	const char	*body = resp->body.data != NULL ? resp->body.data : "";
	size_t		 n;

	if (resp->status == 0) {
		buf_printf(out, "%s", http_error_name(resp->error));
		if (resp->error_text != NULL && *resp->error_text != '\0')
			buf_printf(out, ": %s", resp->error_text);
		return;
	}
	buf_printf(out, "HTTP %ld", resp->status);
	if (decode != NULL && decode(body, resp->body.len, out))
		return;
	if (resp->body.len > 0) {
		n = strcspn(body, "\r\n");
		buf_printf(out, ": %.*s", (int)(n > 200 ? 200 : n), body);
	}
}

/* --- the token source ------------------------------------------------------ */

struct api_auth *
api_auth_new(struct loop *loop, struct http *http,
    const struct api_auth_opts *o)
{
	struct api_auth *a = xcalloc(1, sizeof *a);

	a->loop = loop;
	a->http = http;
	a->kind = o->kind;
	a->name = xstrdup(o->name != NULL ? o->name : "api");
	a->user = dup_or_null(o->user);
	a->password_env = dup_or_null(o->password_env);
	a->token_env = dup_or_null(o->token_env);
	a->token_command = dup_or_null(o->token_command);
	a->login_url = dup_or_null(o->login_url);
	a->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	a->error_text = o->error_text;
	a->gauth = o->gauth;
	return a;
}

static void
drop_token(struct api_auth *a)
{
	wipe_free(a->token);
	a->token = NULL;
}

void
api_auth_free(struct api_auth *a)
{
	struct waiter *w;

	if (a == NULL)
		return;
	command_cancel(a->command);
	http_cancel(a->login);
	if (a->asking)
		gauth_cancel(a->gauth, a);
	while ((w = a->waiting) != NULL) {
		a->waiting = w->next;
		free(w);
	}
	drop_token(a);
	free(a->name);
	free(a->user);
	free(a->password_env);
	free(a->token_env);
	free(a->token_command);
	free(a->login_url);
	free(a);
}

/* The secret in the variable a *_env key names; NULL and why when unset. */
static const char *
env_secret(const struct api_auth *a, const char *key, const char *var,
    struct buf *why)
{
	const char *v = var != NULL ? getenv(var) : NULL;

	if (v == NULL || *v == '\0') {
		buf_printf(why, "%s_%s names %s, which is not set", a->name,
		    key, var != NULL ? var : "nothing");
		return NULL;
	}
	return v;
}

/* "Authorization: Basic base64(user:password)", wiping the clear copy. */
static void
basic_header(const char *user, const char *pw, struct buf *hdr)
{
	struct buf	 plain = BUF_INIT;
	unsigned char	*enc;
	size_t		 cap;

	buf_printf(&plain, "%s:%s", user, pw);
	cap = 4 * ((plain.len + 2) / 3) + 1;
	enc = xmalloc(cap);
	EVP_EncodeBlock(enc, (const unsigned char *)plain.data, (int)plain.len);
	buf_printf(hdr, "Authorization: Basic %s", (char *)enc);
	explicit_bzero(enc, cap);
	free(enc);
	explicit_bzero(plain.data, plain.len);
	buf_free(&plain);
}

int
api_auth_header(struct api_auth *a, struct buf *hdr, struct buf *err)
{
	const char *s;

	switch (a->kind) {
	case API_AUTH_NONE:
		return 0;
	case API_AUTH_BASIC:
		if ((s = env_secret(a, "password_env", a->password_env,
		    err)) == NULL)
			return -1;
		basic_header(a->user, s, hdr);
		return 0;
	case API_AUTH_BEARER:
		if ((s = env_secret(a, "token_env", a->token_env, err)) == NULL)
			return -1;
		buf_printf(hdr, "Authorization: Bearer %s", s);
		return 0;
	case API_AUTH_COMMAND:
	case API_AUTH_LOGIN:
	case API_AUTH_GOOGLE:
		break;
	}
	if (a->token == NULL)
		return 1;
	buf_printf(hdr, "Authorization: Bearer %s", a->token);
	return 0;
}

/* Tells every waiter, one at a time: a callback may add or forget some. */
static void
release(struct api_auth *a, const char *why)
{
	struct waiter *w;

	while ((w = a->waiting) != NULL) {
		api_auth_cb	 cb = w->cb;
		void		*arg = w->arg;

		a->waiting = w->next;
		free(w);
		cb(arg, why);
	}
}

static void
got_token(struct api_auth *a, const char *token)
{
	drop_token(a);
	a->token = xstrdup(token);
	release(a, NULL);
}

static void
command_done(void *arg, const char *out, const char *why)
{
	struct api_auth	*a = arg;
	struct buf	 b = BUF_INIT;

	a->command = NULL;
	if (out != NULL && *out != '\0') {
		got_token(a, out);
		return;
	}
	buf_printf(&b, "%s_token_command failed: %s", a->name,
	    why != NULL ? why : "it printed nothing");
	release(a, buf_str(&b));
	buf_free(&b);
}

static void
login_done(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct api_auth	*a = arg;
	struct buf	 why = BUF_INIT;
	json_t		*doc = NULL, *tok;

	(void)req;
	a->login = NULL;
	if (resp->error == HTTP_OK && resp->status / 100 == 2) {
		doc = json_loadb(resp->body.data != NULL ? resp->body.data : "",
		    resp->body.len, 0, NULL);
		tok = json_object_get(doc, "access_token");
		if (json_is_string(tok) && json_string_length(tok) > 0) {
			got_token(a, json_string_value(tok));
			json_decref(doc);
			return;
		}
		buf_puts(&why, "login at /auth/token: the answer has no "
		    "access_token");
	} else {
		buf_puts(&why, "login at /auth/token failed: ");
		if (a->error_text != NULL)
			a->error_text(resp, &why);
		else
			buf_printf(&why, "HTTP %ld", resp->status);
	}
	json_decref(doc);
	release(a, buf_str(&why));
	buf_free(&why);
}

/* POST {username, password} to the login URL: authentication, no write. */
static void
start_login(struct api_auth *a)
{
	static const char *const hdrs[] = {
		"Content-Type: application/json",
		"Accept: application/json", NULL };
	struct buf		 err = BUF_INIT, why = BUF_INIT;
	const char		*pw = env_secret(a, "password_env",
				    a->password_env, &err);
	struct http_request	 q;
	json_t			*doc;
	char			*body;

	if (pw == NULL) {
		release(a, buf_str(&err));
		buf_free(&err);
		return;
	}
	doc = json_pack("{s:s, s:s}", "username", a->user, "password", pw);
	body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	memset(&q, 0, sizeof q);
	q.method = "POST";
	q.url = a->login_url;
	q.headers = hdrs;
	q.body = body;
	q.body_len = body != NULL ? strlen(body) : 0;
	q.timeout_ms = a->timeout_ms;
	q.max_body = 1 << 20;
	q.on_done = login_done;
	q.arg = a;
	a->login = api_start(a->http, &q, API_LOGIN, false, NULL, NULL, &err);
	wipe_free(body);
	if (a->login == NULL) {
		buf_printf(&why, "login at /auth/token: %s", buf_str(&err));
		release(a, buf_str(&why));
	}
	buf_free(&why);
	buf_free(&err);
}

static void
google_done(void *arg, const char *token, const char *err)
{
	struct api_auth *a = arg;

	a->asking = false;
	if (token != NULL)
		got_token(a, token);
	else
		release(a, err);
}

void
api_auth_fetch(struct api_auth *a, api_auth_cb cb, void *arg)
{
	struct waiter *w = xcalloc(1, sizeof *w), **tail;
	struct buf b = BUF_INIT;

	w->cb = cb;
	w->arg = arg;
	for (tail = &a->waiting; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = w;
	if (a->command != NULL || a->login != NULL || a->asking)
		return;
	switch (a->kind) {
	case API_AUTH_COMMAND:
		a->command = command_run(a->loop, a->token_command,
		    (int)a->timeout_ms, command_done, a);
		if (a->command == NULL) {
			buf_printf(&b, "cannot run %s_token_command", a->name);
			release(a, buf_str(&b));
			buf_free(&b);
		}
		break;
	case API_AUTH_LOGIN:
		start_login(a);
		break;
	case API_AUTH_GOOGLE:
		a->asking = true;
		gauth_token(a->gauth, google_done, a);
		break;
	default:
		release(a, NULL);	/* nothing to fetch */
		break;
	}
}

void
api_auth_forget(struct api_auth *a, void *arg)
{
	struct waiter **pp = &a->waiting, *w;

	while ((w = *pp) != NULL) {
		if (w->arg == arg) {
			*pp = w->next;
			free(w);
		} else
			pp = &w->next;
	}
}

bool
api_auth_expired(struct api_auth *a)
{
	switch (a->kind) {
	case API_AUTH_COMMAND:
	case API_AUTH_LOGIN:
		drop_token(a);
		return true;
	case API_AUTH_GOOGLE:
		gauth_invalidate(a->gauth, a->token);
		drop_token(a);
		return true;
	default:
		return false;
	}
}

bool
api_auth_has_token(const struct api_auth *a)
{
	return a->token != NULL;
}

const char *
api_auth_secret(const struct api_auth *a)
{
	const char *v;

	if (a->kind == API_AUTH_BEARER) {
		v = a->token_env != NULL ? getenv(a->token_env) : NULL;
		return v != NULL && *v != '\0' ? v : NULL;
	}
	return a->token;
}
