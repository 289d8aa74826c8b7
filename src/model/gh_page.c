/*
 * gh_page.c: GitHub's answers sorted, their Link headers and error
 * messages read (gh_page.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "gh_page.h"
#include "sanitize.h"

void
gh_error_message(struct buf *out, const char *body, size_t len)
{
	json_t	*doc, *m;
	char	*clean;

	doc = json_loadb(body != NULL ? body : "", len, 0, NULL);
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

enum gh_verdict
gh_verdict(long status, const struct gh_limits *l, const char *body,
    size_t len, int64_t now, int64_t *until)
{
	struct buf	msg = BUF_INIT;
	bool		limited;

	if (status == 304)
		return GH_NOT_MODIFIED;
	if (status / 100 == 2)
		return GH_PAGE;
	if (status == 401)
		return GH_UNAUTHORIZED;
	if (status >= 500)
		return GH_SERVER_ERROR;
	if (status != 403 && status != 429)
		return GH_FAILED;
	if (l->remaining == 0 && l->reset > 0) {
		*until = l->reset;
		return GH_RATE_LIMITED;
	}
	gh_error_message(&msg, body, len);
	limited = l->retry_after >= 0 || status == 429 ||
	    mentions_rate_limit(buf_str(&msg));
	buf_free(&msg);
	if (!limited)
		return GH_FAILED;
	*until = now + (l->retry_after >= 0 ? l->retry_after :
	    GH_SECONDARY_WAIT);
	return GH_RATE_LIMITED;
}

void
gh_status_text(struct buf *out, long status, const char *body, size_t len,
    const char *path)
{
	buf_printf(out, "GitHub answered %ld", status);
	gh_error_message(out, body, len);
	buf_printf(out, " for %s", path);
	if (status == 403)
		buf_puts(out, ": the token may lack access");
	else if (status == 404)
		buf_puts(out, ": no such repository or path, or the token "
		    "cannot see it");
}

char *
gh_link_next(const char *link)
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

bool
gh_on_base(const char *url, const char *base)
{
	size_t n = strlen(base);

	return strncmp(url, base, n) == 0 && url[n] == '/';
}
