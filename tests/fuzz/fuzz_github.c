/*
 * fuzz_github.c: libFuzzer harness for what comes back from GitHub: the
 * input cut at each '\n' into pages, each decoded as every kind of Four
 * Keys page (github_decode.c).  Whatever arrives, a page is records or
 * one line of error, never both; the fields the header promises are
 * there; titles and links carry no control character; nothing crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "github_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Text for a terminal: no control character at all. */
static void
check_text(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void
check(const struct ghd_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		switch (p->kind) {
		case GHD_DEPLOYMENTS:
			if (p->dep[i].id == NULL || p->dep[i].sha == NULL)
				abort();
			break;
		case GHD_STATUSES:
			if (p->st[i].state == NULL)
				abort();
			break;
		case GHD_RELEASES:
			if (p->rel[i].tag == NULL || p->rel[i].published == 0)
				abort();
			check_text(p->rel[i].url);
			break;
		case GHD_PULLS:
			check_text(p->pr[i].url);
			break;
		case GHD_COMPARE:
			if (p->cm[i].sha == NULL)
				abort();
			break;
		case GHD_ISSUES:
			if (p->is[i].number == NULL || p->is[i].created == 0)
				abort();
			check_text(p->is[i].title);
			check_text(p->is[i].url);
			if (p->is[i].cause_sha != NULL &&
			    strlen(p->is[i].cause_sha) > 40)
				abort();
			break;
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*p = (const char *)data, *end = p + len;
	struct buf	 err = BUF_INIT;
	struct ghd_page	 pg;
	int		 k;

	while (p < end) {
		const char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t		 n = (size_t)((nl != NULL ? nl : end) - p);

		for (k = GHD_DEPLOYMENTS; k <= GHD_ISSUES; k++) {
			buf_reset(&err);
			if (ghd_decode_body(k, p, n, &pg, &err) != 0) {
				if (err.len == 0 || pg.n != 0 ||
				    memchr(err.data, '\n', err.len) != NULL)
					abort();
			} else if (err.len != 0)
				abort();
			check(&pg);
			ghd_page_free(&pg);
		}
		p += n + 1;
	}
	buf_free(&err);
	return 0;
}
