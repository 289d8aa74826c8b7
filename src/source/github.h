/*
 * github.h: GitHub's REST API (api.github.com or an Enterprise Server's
 * /api/v3), read-only, on the event loop.  It keeps GitHub's etiquette:
 *
 *  - one request at a time per client (GitHub asks integrators for serial
 *    requests), with the API version header and a User-Agent;
 *  - every page through the Link header's rel="next", followed verbatim
 *    but only while it stays on the configured base URL (the token is
 *    never sent elsewhere);
 *  - conditional requests: each answer's ETag and body are kept in an
 *    on-disk cache ($XDG_CACHE_HOME/dagtop/github, files 0600) and sent
 *    back as If-None-Match, so an unchanged page costs a 304, which does
 *    not count against the rate limit;
 *  - the rate limit: when x-ratelimit-remaining reaches 0 (or GitHub says
 *    403/429 with it, or a secondary limit with retry-after), requests
 *    wait until x-ratelimit-reset; a wait longer than max_wait fails with
 *    the time the limit resets.
 *
 * The token comes from an environment variable or a command (run on the
 * loop, cached until a 401); it is never logged, shown or cached in clear
 * (cache files are named by a hash that mixes in a hash of the token).
 */
#ifndef DAGTOP_GITHUB_H
#define DAGTOP_GITHUB_H

#include <stdint.h>

#include <jansson.h>

struct loop;
struct http;
struct gh;
struct gh_get;

struct gh_opts {
	const char	*base_url;	/* NULL: https://api.github.com */
	const char	*token_env;	/* variable that holds the token */
	const char	*token_command;	/* or a command that prints it */
	const char	*cache_dir;	/* NULL: no ETag cache */
	long		 timeout_ms;	/* per request; 0: 30 s */
	int		 max_wait;	/* longest rate-limit wait, seconds */
};

/*
 * Called with each page, in order.  Return 0 for the next page (if the
 * Link header names one), 1 to stop: the caller has seen enough (a list
 * sorted newest first has gone past the window).
 */
typedef int	(*gh_page_cb)(void *arg, json_t *doc);
/* Called once at the end; err is NULL when every page wanted was read. */
typedef void	(*gh_done_cb)(void *arg, const char *err);

struct gh_stats {
	int		 requests;	/* sent, including 304s and retries */
	int		 not_modified;	/* answered 304 from the cache */
	int		 retries;
	int		 rate_waits;	/* pauses for the rate limit */
	int		 remaining;	/* x-ratelimit-remaining; -1 unknown */
	int64_t		 reset;		/* x-ratelimit-reset, epoch seconds */
	int64_t		 waiting_until;	/* a rate-limit pause ends; 0: none */
};

/* NULL with why when the options cannot work (an unset token variable). */
struct gh	*gh_new(struct loop *, struct http *, const struct gh_opts *,
		    struct buf *why);
/* Cancels every request without calling back. */
void		 gh_free(struct gh *);
/*
 * Reads path ("/repos/o/r/deployments?per_page=100": already escaped,
 * relative to the base URL) and its next pages.  Never calls back before
 * it returns.
 */
struct gh_get	*gh_get(struct gh *, const char *path, gh_page_cb, gh_done_cb,
		    void *arg);
/* Stops a read; its callbacks are not called again. */
void		 gh_cancel(struct gh_get *);
const struct gh_stats *gh_stats(const struct gh *);
/* The base URL in use, for messages. */
const char	*gh_base(const struct gh *);

#endif
