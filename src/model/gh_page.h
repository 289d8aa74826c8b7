/*
 * gh_page.h: what an answer of GitHub's REST API says, read without I/O:
 * whether it is a page, the cached page (304), a rate limit to wait out,
 * a token to renew, a server error to retry or a failure; the Link
 * header's next page and whether it stays on the base URL; the message of
 * an error body.  github.c keeps the network, the queue and the cache.
 */
#ifndef DAGTOP_GH_PAGE_H
#define DAGTOP_GH_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define GH_SECONDARY_WAIT 60	/* a secondary limit without retry-after */

/* The rate-limit headers of an answer; -1 (reset: 0) when absent. */
struct gh_limits {
	long	remaining;	/* x-ratelimit-remaining */
	long	reset;		/* x-ratelimit-reset, epoch seconds */
	long	retry_after;	/* retry-after, seconds */
};

enum gh_verdict {
	GH_PAGE,		/* 2xx */
	GH_NOT_MODIFIED,	/* 304: the cached page is still right */
	GH_RATE_LIMITED,	/* wait until *until (epoch seconds) */
	GH_UNAUTHORIZED,	/* 401 */
	GH_SERVER_ERROR,	/* 5xx: the retry policy decides */
	GH_FAILED		/* anything else: gh_status_text says it */
};

/*
 * Sorts an answer.  A 403 or 429 is a rate limit when the limit is used
 * up (until its reset), when GitHub gives retry-after, says 429, or its
 * message speaks of a rate limit (until now + retry-after, or a minute).
 */
enum gh_verdict	 gh_verdict(long status, const struct gh_limits *,
		    const char *body, size_t len, int64_t now, int64_t *until);
/*
 * "GitHub answered 404 (Not Found) for /repos/o/r: no such repository or
 * path, or the token cannot see it": a failed answer for path, with the
 * body's message (sanitised) and a hint for 403 and 404.
 */
void		 gh_status_text(struct buf *out, long status, const char *body,
		    size_t len, const char *path);
/* GitHub's "message" of an error body as " (message)", sanitised; or "". */
void		 gh_error_message(struct buf *out, const char *body, size_t len);
/* The URL of rel="next" in a Link header, or NULL; allocated. */
char		*gh_link_next(const char *link);
/* Whether url lies under base (base + '/'), so the token may go there. */
bool		 gh_on_base(const char *url, const char *base);

#endif
