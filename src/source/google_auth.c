/*
 * google_auth.c: access tokens for Google APIs (see google_auth.h).
 *
 * Every way to a token ends in the same reply, {"access_token", "expires_in",
 * "token_type"}, except the command, which prints the bare token.  A token
 * is reused until less than REFRESH_MARGIN seconds of it are left, as
 * google-auth does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "command.h"
#include "google_auth.h"
#include "http.h"
#include "jwt.h"
#include "loop.h"
#include "slots.h"

#define GOOGLE_TOKEN_URL	"https://oauth2.googleapis.com/token"
#define METADATA_URL		"http://metadata.google.internal"
#define METADATA_PATH		"/computeMetadata/v1/instance/service-accounts/default/token"
#define DEFAULT_SCOPE		"https://www.googleapis.com/auth/bigquery.readonly"
#define REFRESH_MARGIN		225	/* seconds: 3 min 45 s */
#define COMMAND_TTL		600	/* a command's token: reused 10 min */
#define COMMAND_TIMEOUT_MS	30000

enum gauth_method { GA_COMMAND, GA_METADATA, GA_SERVICE_ACCOUNT,
	GA_AUTHORIZED_USER, GA_ADC };

struct waiter {
	gauth_cb	 cb;
	void		*arg;
};

struct gauth {
	struct loop		*loop;
	struct http		*http;
	enum gauth_method	 method;
	char			*command;
	char			*key_file;
	char			*token_url;	/* configured override */
	char			*metadata_url;
	char			*scope;
	char			*describe;
	/* the cache */
	char			*token;
	int64_t			 expires;	/* wall clock, epoch seconds */
	/* waiting callers, and those being called back */
	struct waiter		*w;
	size_t			 nw;
	struct waiter		*calling;
	size_t			 ncalling;
	struct loop_timer	*deliver;	/* hands out a cached token */
	bool			 fetching;
	struct http_req		*req;
	struct command		*cmd;		/* the token command running */
};

static void	fetch(struct gauth *);

const char *
gauth_describe(const struct gauth *g)
{
	return g->describe;
}

static void set_describe(struct gauth *, const char *, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(struct gauth *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_describe(struct gauth *g, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	free(g->describe);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g->describe = buf_detach(&b);
}

/*
 * Calls every waiter.  The list is emptied first, as callbacks may add to
 * it; one callback may cancel another waiter (gauth_cancel looks here too).
 */
static void
finish(struct gauth *g, const char *token, const char *err)
{
	size_t i;

	g->calling = g->w;
	g->ncalling = g->nw;
	g->w = NULL;
	g->nw = 0;
	g->fetching = false;
	for (i = 0; i < g->ncalling; i++) {
		gauth_cb cb = g->calling[i].cb;

		g->calling[i].cb = NULL;
		if (cb != NULL)
			cb(g->calling[i].arg, token, err);
	}
	free(g->calling);
	g->calling = NULL;
	g->ncalling = 0;
}

static bool
cache_fresh(const struct gauth *g)
{
	return g->token != NULL && g->expires - (int64_t)time(NULL) >
	    REFRESH_MARGIN;
}

static void
deliver_due(struct loop_timer *t, void *arg)
{
	struct gauth *g = arg;

	(void)t;
	if (g->fetching)
		return;
	if (cache_fresh(g)) {
		char *tok = xstrdup(g->token);

		finish(g, tok, NULL);
		wipe_free(tok);
	} else if (g->nw > 0)
		fetch(g);
}

void
gauth_token(struct gauth *g, gauth_cb cb, void *arg)
{
	g->w = xreallocarray(g->w, g->nw + 1, sizeof *g->w);
	g->w[g->nw].cb = cb;
	g->w[g->nw].arg = arg;
	g->nw++;
	if (!g->fetching)
		loop_timer_set(g->deliver, 0);
}

void
gauth_cancel(struct gauth *g, void *arg)
{
	size_t i;

	for (i = 0; i < g->nw; i++)
		if (g->w[i].arg == arg)
			g->w[i].cb = NULL;
	for (i = 0; i < g->ncalling; i++)
		if (g->calling[i].arg == arg)
			g->calling[i].cb = NULL;
}

static void
forget_token(struct gauth *g)
{
	wipe_free(g->token);
	g->token = NULL;
	g->expires = 0;
}

void
gauth_invalidate(struct gauth *g, const char *failed)
{
	if (failed == NULL || (g->token != NULL &&
	    strcmp(g->token, failed) == 0))
		forget_token(g);
}

static void
got_token(struct gauth *g, const char *token, int64_t lifetime)
{
	char *copy = xstrdup(token);

	forget_token(g);
	g->token = xstrdup(token);
	g->expires = (int64_t)time(NULL) + lifetime;
	/* A callback may drop the cache (gauth_invalidate): hand out a copy. */
	finish(g, copy, NULL);
	wipe_free(copy);
}

static void
fail(struct gauth *g, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	buf_printf(&b, "%s: ", g->describe);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	finish(g, NULL, buf_str(&b));
	buf_free(&b);
}

/* --- the token endpoints' replies ------------------------------------------ */

static void
token_reply(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct gauth	*g = arg;
	json_t		*doc;
	const char	*tok;
	json_int_t	 life = 3600;
	struct buf	 e = BUF_INIT;

	(void)req;
	g->req = NULL;
	if (resp->error != HTTP_OK) {
		fail(g, "%s", resp->error_text);
		return;
	}
	if (resp->status != 200) {
		bq_error_text(&e, resp->status, resp->body.data, resp->body.len);
		fail(g, "the token endpoint refused: %s", buf_str(&e));
		buf_free(&e);
		return;
	}
	doc = json_loadb(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, 0, NULL);
	tok = json_string_value(json_object_get(doc, "access_token"));
	if (tok == NULL || *tok == '\0') {
		json_decref(doc);
		fail(g, "%s", "the token endpoint's answer has no access_token");
		return;
	}
	if (json_is_integer(json_object_get(doc, "expires_in")))
		life = json_integer_value(json_object_get(doc, "expires_in"));
	got_token(g, tok, (int64_t)life);
	json_decref(doc);
}

/* Starts a request whose answer is a token (token_reply reads it). */
static void
ask_token(struct gauth *g, struct http_request *q)
{
	struct buf err = BUF_INIT;

	q->max_body = 1 << 20;
	q->on_done = token_reply;
	q->arg = g;
	g->req = http_start(g->http, q, &err);
	if (g->req == NULL)
		fail(g, "%s", buf_str(&err));
	buf_free(&err);
}

static void
post_form(struct gauth *g, const char *url, const char *form)
{
	static const char *const hdrs[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json", NULL };
	struct http_request q = { .method = "POST", .url = url,
	    .headers = hdrs, .body = form, .body_len = strlen(form),
	    .timeout_ms = 30000 };

	ask_token(g, &q);
}

/* --- metadata server ------------------------------------------------------- */

static void
metadata_base(const struct gauth *g, struct buf *b)
{
	const char *host = getenv("GCE_METADATA_HOST");

	if (g->metadata_url != NULL)
		buf_puts(b, g->metadata_url);
	else if (host != NULL && *host != '\0')
		buf_printf(b, "http://%s", host);
	else
		buf_puts(b, METADATA_URL);
	while (b->len > 0 && b->data[b->len - 1] == '/')
		b->data[--b->len] = '\0';
}

static void
fetch_metadata(struct gauth *g)
{
	static const char *const hdrs[] = { "Metadata-Flavor: Google", NULL };
	struct http_request	q;
	struct buf		url = BUF_INIT;

	metadata_base(g, &url);
	buf_puts(&url, METADATA_PATH "?scopes=");
	http_escape(&url, g->scope);
	memset(&q, 0, sizeof q);
	q.url = buf_str(&url);
	q.headers = hdrs;
	q.timeout_ms = 10000;
	q.connect_timeout_ms = 3000;
	ask_token(g, &q);
	buf_free(&url);
}

/* --- key files ------------------------------------------------------------- */

static json_t *
read_json_file(const char *path, struct buf *err)
{
	json_error_t	je;
	json_t		*doc;

	doc = json_load_file(path, 0, &je);
	if (doc == NULL) {
		if (access(path, R_OK) != 0)
			buf_printf(err, "cannot read %s: %s", path,
			    strerror(errno));
		else
			/* je.text may quote the file: keep only the place. */
			buf_printf(err, "%s is not valid JSON (line %d)", path,
			    je.line);
		return NULL;
	}
	if (!json_is_object(doc)) {
		buf_printf(err, "%s is not a JSON object", path);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* RS256 over the signing input with the PEM key; 0 or -1. */
static int
rs256_sign(const char *pem, const struct buf *input, struct buf *sig,
    struct buf *err)
{
	BIO		*bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY	*key = NULL;
	EVP_MD_CTX	*md = NULL;
	size_t		 len = 0;
	int		 rc = -1;

	if (bio == NULL)
		goto out;
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (key == NULL) {
		buf_puts(err, "its private_key is not a PEM private key");
		goto out;
	}
	if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
		buf_puts(err, "its private_key is not an RSA key");
		goto out;
	}
	md = EVP_MD_CTX_new();
	if (md == NULL ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSignUpdate(md, input->data, input->len) != 1 ||
	    EVP_DigestSignFinal(md, NULL, &len) != 1) {
		buf_puts(err, "cannot sign with its private_key");
		goto out;
	}
	buf_reset(sig);
	buf_append(sig, "", 0);
	sig->data = xrealloc(sig->data, len + 1);
	sig->cap = len + 1;
	if (EVP_DigestSignFinal(md, (unsigned char *)sig->data, &len) != 1) {
		buf_puts(err, "cannot sign with its private_key");
		goto out;
	}
	sig->len = len;
	sig->data[len] = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(key);
	BIO_free(bio);
	return rc;
}

/* The token endpoint: configured, then $DAGTOP_GOOGLE_TOKEN_URL, the key's, Google's. */
static const char *
token_url(const struct gauth *g, const char *from_key)
{
	const char *env = getenv("DAGTOP_GOOGLE_TOKEN_URL");

	if (g->token_url != NULL)
		return g->token_url;
	if (env != NULL && *env != '\0')
		return env;
	if (from_key != NULL && *from_key != '\0')
		return from_key;
	return GOOGLE_TOKEN_URL;
}

static void
fetch_service_account(struct gauth *g, const char *path, json_t *key)
{
	const char		*email, *pem, *uri;
	struct jwt_claims	 c;
	struct buf		 jwt = BUF_INIT, sig = BUF_INIT, form = BUF_INIT;
	struct buf		 err = BUF_INIT;

	email = json_string_value(json_object_get(key, "client_email"));
	pem = json_string_value(json_object_get(key, "private_key"));
	if (email == NULL || pem == NULL) {
		fail(g, "%s has no client_email or private_key", path);
		return;
	}
	uri = token_url(g, json_string_value(json_object_get(key,
	    "token_uri")));
	memset(&c, 0, sizeof c);
	c.iss = email;
	c.scope = g->scope;
	c.aud = uri;
	c.kid = json_string_value(json_object_get(key, "private_key_id"));
	c.iat = (int64_t)time(NULL);
	c.lifetime = 3600;
	jwt_signing_input(&jwt, &c);
	if (rs256_sign(pem, &jwt, &sig, &err) != 0) {
		buf_printf(&form, "%s: %s", path, buf_str(&err));
		fail(g, "%s", buf_str(&form));
		goto out;
	}
	jwt_finish(&jwt, (const unsigned char *)sig.data, sig.len);
	buf_puts(&form, "grant_type=");
	http_escape(&form, "urn:ietf:params:oauth:grant-type:jwt-bearer");
	buf_puts(&form, "&assertion=");
	buf_puts(&form, buf_str(&jwt));	/* base64url and '.' need no escape */
	post_form(g, uri, buf_str(&form));
out:
	buf_free(&jwt);
	buf_free(&sig);
	buf_wipe(&form);
	buf_free(&err);
}

static void
fetch_authorized_user(struct gauth *g, const char *path, json_t *cred)
{
	const char	*id, *secret, *refresh;
	struct buf	 form = BUF_INIT;

	id = json_string_value(json_object_get(cred, "client_id"));
	secret = json_string_value(json_object_get(cred, "client_secret"));
	refresh = json_string_value(json_object_get(cred, "refresh_token"));
	if (id == NULL || secret == NULL || refresh == NULL) {
		fail(g, "%s lacks client_id, client_secret or refresh_token",
		    path);
		return;
	}
	buf_puts(&form, "grant_type=refresh_token&client_id=");
	http_escape(&form, id);
	buf_puts(&form, "&client_secret=");
	http_escape(&form, secret);
	buf_puts(&form, "&refresh_token=");
	http_escape(&form, refresh);
	post_form(g, token_url(g, json_string_value(json_object_get(cred,
	    "token_uri"))), buf_str(&form));
	buf_wipe(&form);
}

/* A credentials file, by its type. */
static void
fetch_file(struct gauth *g, const char *path, bool adc)
{
	struct buf	 err = BUF_INIT;
	json_t		*doc = read_json_file(path, &err);
	const char	*type;

	if (doc == NULL) {
		fail(g, "%s", buf_str(&err));
		buf_free(&err);
		return;
	}
	type = json_string_value(json_object_get(doc, "type"));
	if (type != NULL && strcmp(type, "service_account") == 0) {
		set_describe(g, adc ? "ADC: service account (%s)" :
		    "service account (%s)", path);
		fetch_service_account(g, path, doc);
	} else if (adc && type != NULL && strcmp(type, "authorized_user") == 0) {
		set_describe(g, "ADC: user credentials (%s)", path);
		fetch_authorized_user(g, path, doc);
	} else
		fail(g, adc ? "%s: credentials of this type are not supported "
		    "(service_account or authorized_user)" :
		    "%s is not a service-account key (type service_account)",
		    path);
	json_decref(doc);
}

/* ADC: $GOOGLE_APPLICATION_CREDENTIALS, gcloud's file, the metadata server. */
static void
fetch_adc(struct gauth *g)
{
	const char	*env = getenv("GOOGLE_APPLICATION_CREDENTIALS");
	const char	*cfg = getenv("CLOUDSDK_CONFIG"), *home = getenv("HOME");
	struct buf	 path = BUF_INIT;

	if (env != NULL && *env != '\0') {
		fetch_file(g, env, true);
		return;
	}
	if (cfg != NULL && *cfg != '\0')
		buf_printf(&path, "%s/application_default_credentials.json",
		    cfg);
	else if (home != NULL)
		buf_printf(&path, "%s/.config/gcloud/"
		    "application_default_credentials.json", home);
	if (path.len > 0 && access(buf_str(&path), F_OK) == 0)
		fetch_file(g, buf_str(&path), true);
	else {
		set_describe(g, "ADC: metadata server");
		fetch_metadata(g);
	}
	buf_free(&path);
}

/* --- the token command ----------------------------------------------------- */

/*
 * The command has ended (command.c: nothing inherited, stdin from
 * /dev/null, killed after COMMAND_TIMEOUT_MS): its first word is the token.
 */
static void
cmd_done(void *arg, const char *out, const char *why)
{
	struct gauth	*g = arg;
	char		*copy, *tok;

	g->cmd = NULL;
	if (out == NULL) {
		fail(g, "the token command failed: %s", why);
		return;
	}
	copy = xstrdup(out);
	tok = copy + strspn(copy, " \t\r\n");
	tok[strcspn(tok, " \t\r\n")] = '\0';
	if (*tok == '\0')
		fail(g, "%s", "the token command printed nothing");
	else
		got_token(g, tok, COMMAND_TTL);
	wipe_free(copy);
}

static void
fetch_command(struct gauth *g)
{
	g->cmd = command_run(g->loop, g->command, COMMAND_TIMEOUT_MS, cmd_done,
	    g);
	if (g->cmd == NULL)
		fail(g, "cannot run the token command: %s", strerror(errno));
}

/* --- the four ways --------------------------------------------------------- */

static void
fetch(struct gauth *g)
{
	g->fetching = true;
	switch (g->method) {
	case GA_COMMAND:
		fetch_command(g);
		break;
	case GA_METADATA:
		fetch_metadata(g);
		break;
	case GA_SERVICE_ACCOUNT:
	case GA_AUTHORIZED_USER:
		fetch_file(g, g->key_file, false);
		break;
	case GA_ADC:
		fetch_adc(g);
		break;
	}
}

struct gauth *
gauth_new(struct loop *loop, struct http *http, const struct gauth_opts *o,
    struct buf *err)
{
	struct gauth	*g;
	const char	*m = o->method != NULL ? o->method : "adc";

	g = xcalloc(1, sizeof *g);
	g->loop = loop;
	g->http = http;
	g->command = dup_nonempty(o->command);
	g->key_file = dup_nonempty(o->key_file);
	g->token_url = dup_nonempty(o->token_url);
	g->metadata_url = dup_nonempty(o->metadata_url);
	g->scope = xstrdup(o->scope != NULL ? o->scope : DEFAULT_SCOPE);
	if (strcmp(m, "command") == 0) {
		g->method = GA_COMMAND;
		if (g->command == NULL) {
			buf_puts(err, "google_auth = command needs "
			    "google_token_command");
			goto fail;
		}
		set_describe(g, "token command");
	} else if (strcmp(m, "metadata") == 0) {
		g->method = GA_METADATA;
		set_describe(g, "metadata server");
	} else if (strcmp(m, "service-account") == 0) {
		g->method = GA_SERVICE_ACCOUNT;
		if (g->key_file == NULL) {
			buf_puts(err, "google_auth = service-account needs "
			    "google_key_file");
			goto fail;
		}
		set_describe(g, "service account (%s)", g->key_file);
	} else if (strcmp(m, "adc") == 0) {
		g->method = GA_ADC;
		set_describe(g, "application default credentials");
	} else {
		buf_printf(err, "unknown google_auth '%s'", m);
		goto fail;
	}
	g->deliver = loop_timer_new(loop, deliver_due, g);
	return g;
fail:
	g->deliver = NULL;
	gauth_free(g);
	return NULL;
}

void
gauth_free(struct gauth *g)
{
	if (g == NULL)
		return;
	if (g->req != NULL)
		http_cancel(g->req);
	command_cancel(g->cmd);
	if (g->deliver != NULL)
		loop_timer_free(g->deliver);
	forget_token(g);
	free(g->w);
	free(g->command);
	free(g->key_file);
	free(g->token_url);
	free(g->metadata_url);
	free(g->scope);
	free(g->describe);
	free(g);
}
