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

#include "buf.h"
#include "command.h"
#include "github.h"
#include "http.h"
#include "loop.h"
#include "sanitize.h"

#define GH_DEFAULT_URL	"https://api.github.com"
#define GH_MAX_PAGES	1000	/* a runaway Link chain stops here */
#define GH_RETRIES	2	/* 5xx and dropped connections, per page */
#define GH_SECONDARY_WAIT 60	/* a secondary limit without retry-after */

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
	char			*token;		/* from the command */
	struct command		*command;
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
	const char *v;

	if (gh->token_env != NULL) {
		v = getenv(gh->token_env);
		return v != NULL && *v != '\0' ? v : NULL;
	}
	return gh->token;
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

/* mkdir -p with mode 0700 for what it makes. */
static void
make_dirs(const char *dir)
{
	char	*p = xstrdup(dir), *s;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	mkdir(p, 0700);
	free(p);
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
	make_dirs(gh->cache_dir);
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

/* The URL of rel="next" in a Link header, or NULL; allocated. */
static char *
link_next(const char *link)
{
	const char *p = link, *lt, *gt, *end;

	while (p != NULL && (lt = strchr(p, '<')) != NULL) {
		gt = strchr(lt, '>');
		if (gt == NULL)
			return NULL;
		end = strchr(gt, ',');
		if (end == NULL)
			end = gt + strlen(gt);
		/* the parameters between > and the next entry */
		{
			char *params = xstrndup(gt + 1, (size_t)(end - gt - 1));
			bool next = strstr(params, "rel=\"next\"") != NULL ||
			    strstr(params, "rel=next") != NULL;

			free(params);
			if (next)
				return xstrndup(lt + 1, (size_t)(gt - lt - 1));
		}
		p = *end != '\0' ? end + 1 : NULL;
	}
	return NULL;
}

/* GitHub's "message" from an error body, sanitised; "" when none. */
static void
error_message(const struct http_response *r, struct buf *out)
{
	json_t		*doc, *m;
	char		*clean;

	doc = json_loadb(r->body.data != NULL ? r->body.data : "", r->body.len,
	    0, NULL);
	m = json_object_get(doc, "message");
	if (json_is_string(m)) {
		clean = sanitize_dup(json_string_value(m), SAN_SHOW_ESCAPES);
		buf_printf(out, " (%.200s)", clean);
		free(clean);
	}
	json_decref(doc);
}

/* Whether GitHub's message speaks of a (secondary) rate limit. */
static bool
mentions_rate_limit(const char *msg)
{
	const char *p;

	for (p = msg; *p != '\0'; p++)
		if (strncasecmp(p, "rate limit", 10) == 0)
			return true;
	return false;
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

static void
page_done(struct http_req *req, const struct http_response *r, void *arg)
{
	struct gh	*gh = arg;
	struct gh_get	*g = gh->active;
	struct buf	 why = BUF_INIT, etag = BUF_INIT, cached = BUF_INIT;
	struct buf	 scratch = BUF_INIT, link = BUF_INIT;
	const char	*body;
	size_t		 blen;
	json_t		*doc;
	char		*next = NULL;
	long		 remaining, reset, retry_after;
	int		 stop;

	(void)req;
	gh->req = NULL;
	if (g == NULL)
		return;
	gh->stats.waiting_until = 0;
	if (r->error != HTTP_OK) {
		if (r->error != HTTP_ERR_TLS && g->tries < GH_RETRIES) {
			g->tries++;
			gh->stats.retries++;
			requeue(gh, g, 1000L * (2 * g->tries - 1));
			return;
		}
		buf_printf(&why, "GitHub at %s: %s", gh->base, r->error_text);
		goto fail;
	}
	remaining = header_long(r, "x-ratelimit-remaining", -1);
	reset = header_long(r, "x-ratelimit-reset", 0);
	if (remaining >= 0) {
		gh->stats.remaining = (int)remaining;
		gh->stats.reset = reset;
	}
	if (r->status == 403 || r->status == 429) {
		retry_after = header_long(r, "retry-after", -1);
		if (remaining == 0 && reset > 0) {
			rate_wait(gh, g, reset);
			goto out;
		}
		error_message(r, &scratch);
		if (retry_after >= 0 || r->status == 429 ||
		    mentions_rate_limit(buf_str(&scratch))) {
			rate_wait(gh, g, (int64_t)time(NULL) +
			    (retry_after >= 0 ? retry_after : GH_SECONDARY_WAIT));
			goto out;
		}
		buf_printf(&why, "GitHub answered %ld%s for %s", r->status,
		    buf_str(&scratch), g->url + strlen(gh->base));
		if (r->status == 403)
			buf_puts(&why, ": the token may lack access");
		goto fail;
	}
	if (r->status == 401) {
		if (gh->token_command != NULL && !g->auth_retried) {
			g->auth_retried = true;
			wipe_free(gh->token);
			gh->token = NULL;
			requeue(gh, g, 0);
			goto out;
		}
		error_message(r, &scratch);
		buf_printf(&why, "GitHub answered 401%s: ", buf_str(&scratch));
		if (gh->token_env != NULL)
			buf_printf(&why, "check the token in $%s", gh->token_env);
		else if (gh->token_command != NULL)
			buf_puts(&why, "check github_token_command");
		else
			buf_puts(&why, "set github_token_env or "
			    "github_token_command");
		goto fail;
	}
	if (r->status == 304) {
		if (cache_read(gh, g->url, &etag, &link, &cached) != 0) {
			g->skip_cache = true;	/* the entry went away */
			requeue(gh, g, 0);
			goto out;
		}
		gh->stats.not_modified++;
		body = cached.data != NULL ? cached.data : "";
		blen = cached.len;
	} else if (r->status / 100 == 2) {
		const char *e = http_response_header(r, "etag", &scratch);
		const char *l;

		if (e != NULL && *e != '\0') {
			e = xstrdup(e);
			l = http_response_header(r, "link", &link);
			cache_write(gh, g->url, e, l, &r->body);
			free((char *)e);
		}
		buf_reset(&link);
		if ((l = http_response_header(r, "link", &scratch)) != NULL)
			buf_puts(&link, l);
		body = r->body.data != NULL ? r->body.data : "";
		blen = r->body.len;
	} else if (r->status >= 500 && g->tries < GH_RETRIES) {
		g->tries++;
		gh->stats.retries++;
		requeue(gh, g, 1000L * (2 * g->tries - 1));
		goto out;
	} else {
		buf_reset(&scratch);
		error_message(r, &scratch);
		buf_printf(&why, "GitHub answered %ld%s for %s", r->status,
		    buf_str(&scratch), g->url + strlen(gh->base));
		if (r->status == 404)
			buf_puts(&why, ": no such repository or path, or the "
			    "token cannot see it");
		goto fail;
	}
	doc = json_loadb(body, blen, 0, NULL);
	if (doc == NULL) {
		buf_printf(&why, "GitHub sent an answer that is not JSON for %s",
		    g->url + strlen(gh->base));
		goto fail;
	}
	/* A 304's Link is the cached one: the page's own, as first read. */
	if (link.len > 0)
		next = link_next(buf_str(&link));
	g->pages++;
	g->tries = 0;
	g->skip_cache = false;
	stop = g->on_page(g->arg, doc);
	json_decref(doc);
	if (stop == 0 && next != NULL) {
		if (strncmp(next, gh->base, strlen(gh->base)) != 0 ||
		    next[strlen(gh->base)] != '/') {
			buf_puts(&why, "GitHub's next page is not on the base "
			    "URL; not following it with the token");
			goto fail;
		}
		if (g->pages >= GH_MAX_PAGES) {
			buf_printf(&why, "more than %d pages for %s",
			    GH_MAX_PAGES, g->url + strlen(gh->base));
			goto fail;
		}
		free(g->url);
		g->url = next;
		next = NULL;
		requeue(gh, g, 0);
		goto out;
	}
	if (remaining == 0 && reset > 0)
		gh->not_before = (reset - (int64_t)time(NULL) + 1) * 1000 +
		    loop_now_ms();
	finish(gh, g, NULL);
	goto out;
fail:
	finish(gh, g, buf_str(&why));
out:
	free(next);
	buf_free(&why);
	buf_free(&etag);
	buf_free(&cached);
	buf_free(&scratch);
	buf_free(&link);
}

static void
send_active(struct gh *gh)
{
	struct gh_get		*g = gh->active;
	struct buf		 auth = BUF_INIT, inm = BUF_INIT, etag = BUF_INIT;
	struct buf		 err = BUF_INIT, why = BUF_INIT;
	const char		*hdrs[6], *t = token(gh);
	struct http_request	 q;
	int			 n = 0;

	hdrs[n++] = "Accept: application/vnd.github+json";
	hdrs[n++] = "X-GitHub-Api-Version: 2022-11-28";
	if (t != NULL) {
		buf_printf(&auth, "Authorization: Bearer %s", t);
		hdrs[n++] = buf_str(&auth);
	}
	if (!g->skip_cache && cache_read(gh, g->url, &etag, NULL, NULL) == 0) {
		buf_printf(&inm, "If-None-Match: %s", buf_str(&etag));
		hdrs[n++] = buf_str(&inm);
	}
	hdrs[n] = NULL;
	memset(&q, 0, sizeof q);
	q.url = g->url;
	q.headers = hdrs;
	q.timeout_ms = gh->timeout_ms;
	q.max_body = 32 << 20;
	q.on_done = page_done;
	q.arg = gh;
	gh->stats.requests++;
	gh->req = http_start(gh->http, &q, &err);
	if (auth.data != NULL)
		memset(auth.data, 0, auth.len);
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

static void
command_done(void *arg, const char *out, const char *why)
{
	struct gh	*gh = arg;
	struct buf	 b = BUF_INIT;

	gh->command = NULL;
	if (out != NULL && *out != '\0') {
		gh->token = xstrdup(out);
		pump(gh);
		return;
	}
	buf_printf(&b, "github_token_command failed: %s",
	    why != NULL ? why : "it printed nothing");
	fail_all(gh, buf_str(&b));
	buf_free(&b);
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

	if (gh->active != NULL || gh->queue == NULL || gh->command != NULL)
		return;
	if (gh->not_before > now) {
		loop_timer_set(gh->timer, gh->not_before - now);
		return;
	}
	gh->stats.waiting_until = 0;
	if (gh->token_command != NULL && gh->token == NULL) {
		gh->command = command_run(gh->loop, gh->token_command,
		    (int)gh->timeout_ms, command_done, gh);
		if (gh->command == NULL)
			fail_all(gh, "cannot run github_token_command");
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
	struct gh	*gh;
	size_t		 n;

	if (o->token_env != NULL && (getenv(o->token_env) == NULL ||
	    *getenv(o->token_env) == '\0')) {
		buf_printf(why, "github_token_env names %s, which is not set",
		    o->token_env);
		return NULL;
	}
	gh = xcalloc(1, sizeof *gh);
	gh->loop = loop;
	gh->http = http;
	gh->base = xstrdup(o->base_url != NULL ? o->base_url : GH_DEFAULT_URL);
	n = strlen(gh->base);
	while (n > 0 && gh->base[n - 1] == '/')
		gh->base[--n] = '\0';
	gh->token_env = dup_or_null(o->token_env);
	gh->token_command = o->token_env == NULL ?
	    dup_or_null(o->token_command) : NULL;
	gh->cache_dir = dup_or_null(o->cache_dir);
	gh->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	gh->max_wait = o->max_wait;
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
	if (gh->command != NULL)
		command_cancel(gh->command);
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
	wipe_free(gh->token);
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
