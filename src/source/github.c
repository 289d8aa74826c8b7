/*
 * github.c: GitHub's REST API, read-only, one request at a time, with
 * pages, ETags and the rate limit (github.h says what it promises).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "api_client.h"
#include "buf.h"
#include "gh_page.h"
#include "github.h"
#include "http.h"
#include "loop.h"
#include "xdg.h"

#define GH_DEFAULT_URL	"https://api.github.com"
#define GH_MAX_PAGES	1000	/* a runaway Link chain stops here */

/* 5xx and dropped connections: twice per page, after 1 s and 3 s. */
static const struct api_retry gh_retry = { 2, 1000, 3 };

struct gh_get {
	struct gh	*gh;
	char		*url;		/* the page to read next, absolute */
	gh_page_cb	 on_page;
	gh_done_cb	 on_done;
	void		*arg;
	int		 pages;
	int		 tries;		/* failed attempts of this page */
	bool		 skip_cache;	/* a 304 found no cached body */
	bool		 auth_retried;
	struct gh_get	*next;
};

struct gh {
	struct loop		*loop;
	struct http		*http;
	char			*base;
	char			*token_env;
	char			*token_command;
	char			*cache_dir;
	struct api_auth		*auth;		/* the env or the command */
	bool			 fetching;	/* the token command runs */
	long			 timeout_ms;
	int			 max_wait;
	struct gh_get		*queue;		/* waiting, head first */
	struct gh_get		*active;	/* the one request in flight */
	struct http_req		*req;
	struct loop_timer	*timer;		/* kick, backoff, rate wait */
	int64_t			 not_before;	/* ms: no request before */
	struct gh_stats		 stats;
};

static void	pump(struct gh *);

/* The token in force, or NULL (none configured, or the command pending). */
static const char *
token(const struct gh *gh)
{
	return api_auth_secret(gh->auth);
}

static void
hex_sha256(const char *s, size_t len, char out[65])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	n = 0, i;

	EVP_Digest(s, len, md, &n, EVP_sha256(), NULL);
	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

/*
 * The cache file of a URL: sha256(url NL sha256(token)), so answers read
 * with one token are never served to another and the name says nothing.
 */
static void
cache_path(const struct gh *gh, const char *url, struct buf *out)
{
	struct buf	 key = BUF_INIT;
	const char	*t = token(gh);
	char		 th[65], kh[65];

	hex_sha256(t != NULL ? t : "", t != NULL ? strlen(t) : 0, th);
	buf_printf(&key, "%s\n%s", url, th);
	hex_sha256(key.data, key.len, kh);
	buf_free(&key);
	buf_printf(out, "%s/%s", gh->cache_dir, kh);
}

/*
 * Reads a cache entry: the ETag on the first line, the Link header (or an
 * empty line) on the second, the body after them.
 */
static int
cache_read(const struct gh *gh, const char *url, struct buf *etag,
    struct buf *link, struct buf *body)
{
	struct buf	 path = BUF_INIT;
	char		 chunk[8192];
	FILE		*fp;
	size_t		 n;
	int		 c;

	if (gh->cache_dir == NULL)
		return -1;
	cache_path(gh, url, &path);
	fp = fopen(buf_str(&path), "re");
	buf_free(&path);
	if (fp == NULL)
		return -1;
	while ((c = fgetc(fp)) != EOF && c != '\n')
		buf_putc(etag, (char)c);
	while ((c = fgetc(fp)) != EOF && c != '\n')
		if (link != NULL)
			buf_putc(link, (char)c);
	if (body != NULL)
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_append(body, chunk, n);
	fclose(fp);
	return etag->len > 0 ? 0 : -1;
}

/* Writes a cache entry whole (a temporary file renamed over the old one). */
static void
cache_write(const struct gh *gh, const char *url, const char *etag,
    const char *link, const struct buf *body)
{
	struct buf	 path = BUF_INIT, tmp = BUF_INIT;
	int		 fd;
	FILE		*fp;
	bool		 ok;

	if (link == NULL)
		link = "";
	if (gh->cache_dir == NULL || strchr(etag, '\n') != NULL ||
	    strchr(link, '\n') != NULL)
		return;
	xdg_make_dirs(gh->cache_dir);
	cache_path(gh, url, &path);
	buf_printf(&tmp, "%s.%ld.tmp", buf_str(&path), (long)getpid());
	fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (fd >= 0 && (fp = fdopen(fd, "w")) != NULL) {
		ok = fprintf(fp, "%s\n%s\n", etag, link) > 0 &&
		    fwrite(body->data != NULL ? body->data : "", 1, body->len,
		    fp) == body->len;
		ok = fclose(fp) == 0 && ok;
		if (!ok || rename(buf_str(&tmp), buf_str(&path)) != 0)
			unlink(buf_str(&tmp));
	} else if (fd >= 0)
		close(fd);
	buf_free(&path);
	buf_free(&tmp);
}

static long
header_long(const struct http_response *r, const char *name, long dflt)
{
	struct buf	 scratch = BUF_INIT;
	const char	*v = http_response_header(r, name, &scratch);
	char		*end;
	long		 n = dflt;

	if (v != NULL) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v)
			n = dflt;
	}
	buf_free(&scratch);
	return n;
}

static void
finish(struct gh *gh, struct gh_get *g, const char *err)
{
	gh_done_cb	 cb = g->on_done;
	void		*arg = g->arg;

	if (gh->active == g)
		gh->active = NULL;
	free(g->url);
	free(g);
	cb(arg, err);
	pump(gh);
}

/* Puts the active read back at the head of the queue, to go again later. */
static void
requeue(struct gh *gh, struct gh_get *g, int64_t delay_ms)
{
	gh->active = NULL;
	g->next = gh->queue;
	gh->queue = g;
	if (delay_ms > 0 && loop_now_ms() + delay_ms > gh->not_before)
		gh->not_before = loop_now_ms() + delay_ms;
	pump(gh);
}

/* "14:05 UTC" */
static void
fmt_utc(int64_t t, struct buf *out)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	buf_printf(out, "%02d:%02d UTC", tm.tm_hour, tm.tm_min);
}

/*
 * A rate-limit pause until reset (epoch seconds): the read waits, or fails
 * when that is further away than max_wait.
 */
static void
rate_wait(struct gh *gh, struct gh_get *g, int64_t reset)
{
	int64_t		now = (int64_t)time(NULL), wait = reset - now + 1;
	struct buf	why = BUF_INIT;

	if (wait < 1)
		wait = 1;
	if (wait > gh->max_wait) {
		buf_puts(&why, "GitHub's rate limit is used up until ");
		fmt_utc(reset, &why);
		buf_printf(&why, " (in %lld min), longer than github_max_wait",
		    (long long)(wait + 59) / 60);
		gh->active = NULL;
		finish(gh, g, buf_str(&why));
		buf_free(&why);
		return;
	}
	gh->stats.rate_waits++;
	gh->stats.waiting_until = now + wait;
	requeue(gh, g, wait * 1000);
}

/* A failed attempt: again after the policy's pause, if it allows. */
static bool
retry(struct gh *gh, struct gh_get *g, const struct http_response *r)
{
	long delay = api_retry_delay(&gh_retry, true, r, false, g->tries);

	if (delay < 0)
		return false;
	g->tries++;
	gh->stats.retries++;
	requeue(gh, g, delay);
	return true;
}

/* A 401: one new token from the command, else a hint at the settings. */
static void
unauthorized(struct gh *gh, struct gh_get *g, const struct http_response *r)
{
	struct buf why = BUF_INIT;

	if (gh->token_command != NULL && !g->auth_retried) {
		g->auth_retried = true;
		(void)api_auth_expired(gh->auth);
		requeue(gh, g, 0);
		return;
	}
	buf_puts(&why, "GitHub answered 401");
	gh_error_message(&why, r->body.data, r->body.len);
	buf_puts(&why, ": ");
	if (gh->token_env != NULL)
		buf_printf(&why, "check the token in $%s", gh->token_env);
	else if (gh->token_command != NULL)
		buf_puts(&why, "check github_token_command");
	else
		buf_puts(&why, "set github_token_env or github_token_command");
	finish(gh, g, buf_str(&why));
	buf_free(&why);
}

/*
 * The page's body and Link: a 2xx's own (kept in the cache when it has an
 * ETag), or a 304's from the cache.  -1 when the cache entry went away:
 * the read goes again without If-None-Match.
 */
static int
page_body(struct gh *gh, struct gh_get *g, const struct http_response *r,
    struct buf *body, struct buf *link)
{
	struct buf	 etag = BUF_INIT, scratch = BUF_INIT;
	const char	*e, *l;

	if (r->status == 304) {
		if (cache_read(gh, g->url, &etag, link, body) != 0) {
			buf_free(&etag);
			g->skip_cache = true;
			requeue(gh, g, 0);
			return -1;
		}
		gh->stats.not_modified++;
		buf_free(&etag);
		return 0;
	}
	buf_append(body, r->body.data != NULL ? r->body.data : "",
	    r->body.len);
	if ((l = http_response_header(r, "link", &scratch)) != NULL)
		buf_puts(link, l);
	e = http_response_header(r, "etag", &scratch);
	if (e != NULL && *e != '\0')
		cache_write(gh, g->url, e, link->len > 0 ? buf_str(link) :
		    NULL, &r->body);
	buf_free(&scratch);
	return 0;
}

/*
 * Hands a page to the reader, then follows Link's next page (only on the
 * base URL, the token's home) or ends the read.  A 304's Link is the
 * cached one: the page's own, as first read.
 */
static void
got_page(struct gh *gh, struct gh_get *g, const struct buf *body,
    const char *link, const struct gh_limits *lim)
{
	struct buf	 why = BUF_INIT;
	json_t		*doc = json_loadb(body->data != NULL ? body->data : "",
			    body->len, 0, NULL);
	char		*next;
	int		 stop;

	if (doc == NULL) {
		buf_printf(&why, "GitHub sent an answer that is not JSON for %s",
		    g->url + strlen(gh->base));
		goto fail;
	}
	next = *link != '\0' ? gh_link_next(link) : NULL;
	g->pages++;
	g->tries = 0;
	g->skip_cache = false;
	stop = g->on_page(g->arg, doc);
	json_decref(doc);
	if (stop == 0 && next != NULL) {
		if (!gh_on_base(next, gh->base))
			buf_puts(&why, "GitHub's next page is not on the base "
			    "URL; not following it with the token");
		else if (g->pages >= GH_MAX_PAGES)
			buf_printf(&why, "more than %d pages for %s",
			    GH_MAX_PAGES, g->url + strlen(gh->base));
		else {
			free(g->url);
			g->url = next;
			requeue(gh, g, 0);
			return;
		}
		free(next);
		goto fail;
	}
	free(next);
	if (lim->remaining == 0 && lim->reset > 0)
		gh->not_before = (lim->reset - (int64_t)time(NULL) + 1) * 1000 +
		    loop_now_ms();
	finish(gh, g, NULL);
	return;
fail:
	finish(gh, g, buf_str(&why));
	buf_free(&why);
}

static void
page_done(struct http_req *req, const struct http_response *r, void *arg)
{
	struct gh	*gh = arg;
	struct gh_get	*g = gh->active;
	struct buf	 why = BUF_INIT, body = BUF_INIT, link = BUF_INIT;
	struct gh_limits lim;
	int64_t		 until = 0;

	(void)req;
	gh->req = NULL;
	if (g == NULL)
		return;
	gh->stats.waiting_until = 0;
	if (r->error != HTTP_OK) {
		if (retry(gh, g, r))
			return;
		buf_printf(&why, "GitHub at %s: %s", gh->base, r->error_text);
		finish(gh, g, buf_str(&why));
		buf_free(&why);
		return;
	}
	lim.remaining = header_long(r, "x-ratelimit-remaining", -1);
	lim.reset = header_long(r, "x-ratelimit-reset", 0);
	lim.retry_after = header_long(r, "retry-after", -1);
	if (lim.remaining >= 0) {
		gh->stats.remaining = (int)lim.remaining;
		gh->stats.reset = lim.reset;
	}
	switch (gh_verdict(r->status, &lim, r->body.data, r->body.len,
	    (int64_t)time(NULL), &until)) {
	case GH_RATE_LIMITED:
		rate_wait(gh, g, until);
		break;
	case GH_UNAUTHORIZED:
		unauthorized(gh, g, r);
		break;
	case GH_SERVER_ERROR:
		if (retry(gh, g, r))
			break;
		/* FALLTHROUGH */
	case GH_FAILED:
		gh_status_text(&why, r->status, r->body.data, r->body.len,
		    g->url + strlen(gh->base));
		finish(gh, g, buf_str(&why));
		break;
	case GH_PAGE:
	case GH_NOT_MODIFIED:
		if (page_body(gh, g, r, &body, &link) == 0)
			got_page(gh, g, &body, buf_str(&link), &lim);
		break;
	}
	buf_free(&why);
	buf_free(&body);
	buf_free(&link);
}

static void
send_active(struct gh *gh)
{
	struct gh_get		*g = gh->active;
	struct buf		 auth = BUF_INIT, inm = BUF_INIT, etag = BUF_INIT;
	struct buf		 err = BUF_INIT, why = BUF_INIT;
	const char		*hdrs[4];
	struct http_request	 q;
	int			 n = 0;

	hdrs[n++] = "Accept: application/vnd.github+json";
	hdrs[n++] = "X-GitHub-Api-Version: 2022-11-28";
	if (!g->skip_cache && cache_read(gh, g->url, &etag, NULL, NULL) == 0) {
		buf_printf(&inm, "If-None-Match: %s", buf_str(&etag));
		hdrs[n++] = buf_str(&inm);
	}
	hdrs[n] = NULL;
	/* An unset variable (checked at gh_new) goes without a token. */
	if (api_auth_header(gh->auth, &auth, &err) != 0)
		buf_reset(&auth);
	buf_reset(&err);
	memset(&q, 0, sizeof q);
	q.url = g->url;
	q.headers = hdrs;
	q.timeout_ms = gh->timeout_ms;
	q.max_body = 32 << 20;
	q.on_done = page_done;
	q.arg = gh;
	gh->stats.requests++;
	gh->req = api_start(gh->http, &q, API_READ, false, buf_str(&auth),
	    NULL, &err);
	if (auth.data != NULL)
		explicit_bzero(auth.data, auth.len);
	buf_free(&auth);
	buf_free(&inm);
	buf_free(&etag);
	if (gh->req == NULL) {
		buf_printf(&why, "GitHub: %s", buf_str(&err));
		finish(gh, g, buf_str(&why));
	}
	buf_free(&err);
	buf_free(&why);
}

static void
fail_all(struct gh *gh, const char *why)
{
	struct gh_get *g;

	while ((g = gh->queue) != NULL) {
		gh->queue = g->next;
		gh->active = g;
		finish(gh, g, why);
	}
}

/* The token command ended (api_auth_fetch): the queue goes, or fails. */
static void
token_done(void *arg, const char *why)
{
	struct gh *gh = arg;

	gh->fetching = false;
	if (why != NULL)
		fail_all(gh, why);
	else
		pump(gh);
}

static void
kick(struct loop_timer *t, void *arg)
{
	(void)t;
	pump(arg);
}

/*
 * Sends the next queued read when nothing is in flight, no pause is on and
 * the token is at hand; otherwise arranges to come back.
 */
static void
pump(struct gh *gh)
{
	int64_t now = loop_now_ms();

	if (gh->active != NULL || gh->queue == NULL || gh->fetching)
		return;
	if (gh->not_before > now) {
		loop_timer_set(gh->timer, gh->not_before - now);
		return;
	}
	gh->stats.waiting_until = 0;
	if (gh->token_command != NULL && !api_auth_has_token(gh->auth)) {
		gh->fetching = true;
		api_auth_fetch(gh->auth, token_done, gh);
		return;
	}
	gh->active = gh->queue;
	gh->queue = gh->active->next;
	gh->active->next = NULL;
	send_active(gh);
}

struct gh *
gh_new(struct loop *loop, struct http *http, const struct gh_opts *o,
    struct buf *why)
{
	struct gh		*gh;
	struct api_auth_opts	 ao;
	struct buf		 base = BUF_INIT;

	if (o->token_env != NULL && (getenv(o->token_env) == NULL ||
	    *getenv(o->token_env) == '\0')) {
		buf_printf(why, "github_token_env names %s, which is not set",
		    o->token_env);
		return NULL;
	}
	gh = xcalloc(1, sizeof *gh);
	gh->loop = loop;
	gh->http = http;
	api_base(&base, o->base_url != NULL ? o->base_url : GH_DEFAULT_URL);
	gh->base = buf_detach(&base);
	gh->token_env = dup_or_null(o->token_env);
	gh->token_command = o->token_env == NULL ?
	    dup_or_null(o->token_command) : NULL;
	gh->cache_dir = dup_or_null(o->cache_dir);
	gh->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	gh->max_wait = o->max_wait;
	memset(&ao, 0, sizeof ao);
	ao.kind = gh->token_env != NULL ? API_AUTH_BEARER :
	    gh->token_command != NULL ? API_AUTH_COMMAND : API_AUTH_NONE;
	ao.name = "github";
	ao.token_env = gh->token_env;
	ao.token_command = gh->token_command;
	ao.timeout_ms = gh->timeout_ms;
	gh->auth = api_auth_new(loop, http, &ao);
	gh->timer = loop_timer_new(loop, kick, gh);
	gh->stats.remaining = -1;
	return gh;
}

void
gh_free(struct gh *gh)
{
	struct gh_get *g;

	if (gh == NULL)
		return;
	if (gh->req != NULL)
		http_cancel(gh->req);
	api_auth_free(gh->auth);
	if (gh->active != NULL) {
		free(gh->active->url);
		free(gh->active);
	}
	while ((g = gh->queue) != NULL) {
		gh->queue = g->next;
		free(g->url);
		free(g);
	}
	loop_timer_free(gh->timer);
	free(gh->base);
	free(gh->token_env);
	free(gh->token_command);
	free(gh->cache_dir);
	free(gh);
}

struct gh_get *
gh_get(struct gh *gh, const char *path, gh_page_cb on_page, gh_done_cb on_done,
    void *arg)
{
	struct gh_get	*g = xcalloc(1, sizeof *g), **tail;
	struct buf	 url = BUF_INIT;

	buf_printf(&url, "%s%s%s", gh->base, path[0] == '/' ? "" : "/", path);
	g->gh = gh;
	g->url = buf_detach(&url);
	g->on_page = on_page;
	g->on_done = on_done;
	g->arg = arg;
	for (tail = &gh->queue; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = g;
	if (gh->active == NULL && !loop_timer_pending(gh->timer))
		loop_timer_set(gh->timer, 0);	/* never call back from here */
	return g;
}

void
gh_cancel(struct gh_get *g)
{
	struct gh	 *gh = g->gh;
	struct gh_get	**pp;

	if (gh->active == g) {
		if (gh->req != NULL)
			http_cancel(gh->req);
		gh->req = NULL;
		gh->active = NULL;
	} else {
		for (pp = &gh->queue; *pp != NULL; pp = &(*pp)->next)
			if (*pp == g) {
				*pp = g->next;
				break;
			}
	}
	free(g->url);
	free(g);
	if (!loop_timer_pending(gh->timer))
		loop_timer_set(gh->timer, 0);
}

const struct gh_stats *
gh_stats(const struct gh *gh)
{
	return &gh->stats;
}

const char *
gh_base(const struct gh *gh)
{
	return gh->base;
}
