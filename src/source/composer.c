/*
 * composer.c: a Cloud Composer environment's Airflow web server, from the
 * Composer API or from the cache (composer.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api_client.h"
#include "composer.h"
#include "http.h"
#include "xdg.h"

struct composer {
	struct loop	*loop;
	struct http	*http;
	struct api_auth	*auth;
	char		*url;		/* the Composer API root */
	char		*environment;
	char		*cache;		/* the cache file, or NULL */
	long		 timeout_ms;
	struct http_req	*req;
	composer_cb	 cb;
	void		*arg;
	bool		 waiting;	/* for a token */
	bool		 retried;	/* after a 401 */
	bool		 from_cache;	/* the last answer came from the file */
	bool		 doubted;	/* the cache was removed once */
};

static void	ask(struct composer *);

bool
composer_valid_environment(const char *s)
{
	static const char *const parts[] = { "projects", "locations",
	    "environments" };
	size_t	i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(parts[i]);
		if (strncmp(s, parts[i], n) != 0 || s[n] != '/')
			return false;
		s += n + 1;
		n = strcspn(s, "/");
		if (n == 0 || strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") < n)
			return false;
		s += n;
		if (i < 2 && *s++ != '/')
			return false;
	}
	return *s == '\0';
}

int
composer_image_major(const char *image)
{
	const char *p = image != NULL ? strstr(image, "-airflow-") : NULL;

	if (p == NULL || p[9] < '1' || p[9] > '9')
		return 0;
	return p[9] - '0';
}

struct composer *
composer_new(struct loop *loop, struct http *http, struct api_auth *auth,
    const char *url, const char *environment, long timeout_ms)
{
	struct composer	*cp = xcalloc(1, sizeof *cp);
	struct buf	 b = BUF_INIT;
	char		*name, *p;

	cp->loop = loop;
	cp->http = http;
	cp->auth = auth;
	api_base(&b, url);
	cp->url = buf_detach(&b);
	cp->environment = xstrdup(environment);
	cp->timeout_ms = timeout_ms > 0 ? timeout_ms : 30000;
	/* One small file per environment: its name with '/' as '_'. */
	name = xstrdup(environment);
	for (p = name; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	buf_printf(&b, "composer/%s.json", name);
	cp->cache = xdg_path(XDG_CACHE, buf_str(&b));
	buf_free(&b);
	free(name);
	return cp;
}

void
composer_free(struct composer *cp)
{
	if (cp == NULL)
		return;
	http_cancel(cp->req);
	if (cp->waiting)
		api_auth_forget(cp->auth, cp);
	free(cp->url);
	free(cp->environment);
	free(cp->cache);
	free(cp);
}

const char *
composer_cache_path(const struct composer *cp)
{
	return cp->cache;
}

/* Ends the lookup: the callback is told once. */
static void
finish(struct composer *cp, const char *uri, int major, const char *err)
{
	composer_cb	 cb = cp->cb;

	cp->cb = NULL;
	if (cb != NULL)
		cb(cp->arg, uri, major, err);
}

/*
 * The cached answer, when the file is ours (mode 0600, this API, this
 * environment) and younger than COMPOSER_CACHE_SECONDS: true with uri set.
 */
static bool
cache_read(const struct composer *cp, struct buf *uri, int *major)
{
	struct stat	 st;
	json_t		*doc;
	bool		 ok;

	if (cp->cache == NULL || stat(cp->cache, &st) != 0 ||
	    (st.st_mode & 077) != 0 || st.st_uid != getuid() ||
	    time(NULL) - st.st_mtime > COMPOSER_CACHE_SECONDS ||
	    time(NULL) < st.st_mtime)
		return false;
	if ((doc = json_load_file(cp->cache, 0, NULL)) == NULL)
		return false;
	ok = json_is_string(json_object_get(doc, "airflowUri")) &&
	    json_is_string(json_object_get(doc, "composer_url")) &&
	    json_is_string(json_object_get(doc, "environment")) &&
	    strcmp(json_string_value(json_object_get(doc, "composer_url")),
	    cp->url) == 0 &&
	    strcmp(json_string_value(json_object_get(doc, "environment")),
	    cp->environment) == 0;
	if (ok) {
		buf_reset(uri);
		buf_puts(uri, json_string_value(json_object_get(doc,
		    "airflowUri")));
		*major = (int)json_integer_value(json_object_get(doc, "major"));
	}
	json_decref(doc);
	return ok;
}

/* Writes the answer whole, mode 0600 (a temporary file renamed over). */
static void
cache_write(const struct composer *cp, const char *uri, int major)
{
	struct buf	 tmp = BUF_INIT;
	char		*dir, *slash;
	json_t		*doc;
	int		 fd;

	if (cp->cache == NULL)
		return;
	dir = xstrdup(cp->cache);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		xdg_make_dirs(dir);
	}
	free(dir);
	doc = json_pack("{s:s, s:s, s:s, s:i}", "composer_url", cp->url,
	    "environment", cp->environment, "airflowUri", uri, "major", major);
	buf_printf(&tmp, "%s.%ld.tmp", cp->cache, (long)getpid());
	fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (fd >= 0) {
		bool ok = doc != NULL && json_dumpfd(doc, fd, JSON_COMPACT) == 0;

		ok = close(fd) == 0 && ok;
		if (!ok || rename(buf_str(&tmp), cp->cache) != 0)
			unlink(buf_str(&tmp));
	}
	json_decref(doc);
	buf_free(&tmp);
}

bool
composer_invalidate(struct composer *cp)
{
	if (!cp->from_cache || cp->doubted)
		return false;
	cp->doubted = true;
	cp->from_cache = false;
	if (cp->cache != NULL)
		unlink(cp->cache);
	return true;
}

/* Google's error shape (api_error_fn): {"error": {"message": ...}}. */
static bool
google_error(const char *body, size_t len, struct buf *out)
{
	json_t	*doc = json_loadb(body, len, 0, NULL);
	json_t	*msg = json_object_get(json_object_get(doc, "error"), "message");

	if (doc == NULL)
		return false;
	if (json_is_string(msg))
		buf_printf(out, ": %s", json_string_value(msg));
	json_decref(doc);
	return true;
}

/* environments.get answered: the URL and the version, or why not. */
static void
answered(struct http_req *req, const struct http_response *resp, void *arg)
{
	struct composer	*cp = arg;
	struct buf	 why = BUF_INIT;
	json_t		*doc = NULL, *config, *uri;
	int		 major;

	(void)req;
	cp->req = NULL;
	if (resp->status == 401 && api_auth_has_token(cp->auth) &&
	    !cp->retried && api_auth_expired(cp->auth)) {
		cp->retried = true;	/* the token expired: one more */
		ask(cp);
		return;
	}
	if (resp->error == HTTP_OK && resp->status / 100 == 2) {
		doc = json_loadb(resp->body.data != NULL ? resp->body.data : "",
		    resp->body.len, 0, NULL);
		config = json_object_get(doc, "config");
		uri = json_object_get(config, "airflowUri");
		if (json_is_string(uri) && json_string_length(uri) > 0) {
			major = composer_image_major(json_string_value(
			    json_object_get(json_object_get(config,
			    "softwareConfig"), "imageVersion")));
			cache_write(cp, json_string_value(uri), major);
			finish(cp, json_string_value(uri), major, NULL);
			json_decref(doc);
			return;
		}
		buf_printf(&why, "%s has no config.airflowUri (is the "
		    "environment still being created?)", cp->environment);
	} else {
		buf_printf(&why, "the Composer API on %s: ", cp->environment);
		api_error_text(resp, google_error, &why);
		if (resp->status == 403 || resp->status == 401)
			buf_puts(&why, " (reading the environment needs "
			    "roles/composer.user on its project)");
		else if (resp->status == 404)
			buf_puts(&why, " (check composer_environment)");
	}
	json_decref(doc);
	finish(cp, NULL, 0, buf_str(&why));
	buf_free(&why);
}

static void
token_ready(void *arg, const char *err)
{
	struct composer *cp = arg;

	cp->waiting = false;
	if (err != NULL)
		finish(cp, NULL, 0, err);
	else
		ask(cp);
}

/* GET {composer_url}/v1/{environment} with the Google token. */
static void
ask(struct composer *cp)
{
	struct buf		 url = BUF_INIT, hdr = BUF_INIT, err = BUF_INIT;
	static const char *const hdrs[] = { "Accept: application/json", NULL };
	struct http_request	 q;
	int			 ready = api_auth_header(cp->auth, &hdr, &err);

	if (ready > 0) {
		cp->waiting = true;
		api_auth_fetch(cp->auth, token_ready, cp);
	} else if (ready < 0)
		finish(cp, NULL, 0, buf_str(&err));
	else {
		buf_printf(&url, "%s/v1/%s", cp->url, cp->environment);
		memset(&q, 0, sizeof q);
		q.url = buf_str(&url);
		q.headers = hdrs;
		q.timeout_ms = cp->timeout_ms;
		q.max_body = 1 << 20;
		q.on_done = answered;
		q.arg = cp;
		cp->req = api_start(cp->http, &q, API_READ, false,
		    buf_str(&hdr), NULL, &err);
		if (cp->req == NULL)
			finish(cp, NULL, 0, buf_str(&err));
	}
	if (hdr.data != NULL)
		explicit_bzero(hdr.data, hdr.len);
	buf_free(&hdr);
	buf_free(&url);
	buf_free(&err);
}

void
composer_lookup(struct composer *cp, composer_cb cb, void *arg)
{
	struct buf	 uri = BUF_INIT;
	int		 major = 0;

	cp->cb = cb;
	cp->arg = arg;
	cp->retried = false;
	if (cache_read(cp, &uri, &major)) {
		cp->from_cache = true;
		finish(cp, buf_str(&uri), major, NULL);
	} else {
		cp->from_cache = false;
		ask(cp);
	}
	buf_free(&uri);
}
