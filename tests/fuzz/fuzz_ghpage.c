/*
 * fuzz_ghpage.c: libFuzzer harness for what GitHub sends back (gh_page.h):
 * the input's first line as a Link header, the rest as an error body
 * sorted under every status that matters.  A next page is a URL between
 * the header's brackets, a rate limit never ends before now, and nothing
 * crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gh_page.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const long statuses[] = { 200, 304, 401, 403, 404, 429, 502 };
	const char	*p = (const char *)data, *nl;
	char		*link, *next;
	struct buf	 b = BUF_INIT;
	size_t		 n, i;
	int64_t		 now = 1763800000, until;

	nl = memchr(p, '\n', len);
	n = nl != NULL ? (size_t)(nl - p) : len;
	link = xstrndup(p, n);
	next = gh_link_next(link);
	if (next != NULL && (strlen(next) > n || strchr(next, '>') != NULL))
		abort();
	if (next != NULL)
		(void)gh_on_base(next, "https://api.github.com");
	free(next);
	free(link);
	p += n < len ? n + 1 : n;
	len -= n < len ? n + 1 : n;
	for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		struct gh_limits l = { (long)(len % 3) - 1, (long)len, -1 };

		until = 0;
		if (gh_verdict(statuses[i], &l, p, len, now, &until) ==
		    GH_RATE_LIMITED && until < now && until != l.reset)
			abort();
		gh_status_text(&b, statuses[i], p, len, "/repos/o/r");
		if (strchr(buf_str(&b), '\033') != NULL)
			abort();
		buf_reset(&b);
	}
	buf_free(&b);
	return 0;
}
