/* logsearch.c: see logsearch.h. */
#include <stdlib.h>
#include <string.h>

#include "logsearch.h"

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
logsearch_compile(struct logsearch *s, const char *pattern, struct buf *err)
{
	memset(s, 0, sizeof *s);
	if (pattern == NULL || *pattern == '\0') {
		buf_puts(err, "nothing to search for");
		return -1;
	}
	s->pattern = xstrdup(pattern);
	s->len = strlen(pattern);
	s->fold = true;
	for (const char *p = pattern; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			s->fold = false;
	return 0;
}

void
logsearch_free(struct logsearch *s)
{
	free(s->pattern);
	memset(s, 0, sizeof *s);
}

bool
logsearch_next_match(const struct logsearch *s, const char *line, size_t len,
    size_t from, size_t *match_off, size_t *match_len)
{
	size_t i, k;

	if (s->len == 0 || len < s->len || from > len - s->len)
		return false;
	for (i = from; i + s->len <= len; i++) {
		if (s->fold) {
			if (lower(line[i]) != s->pattern[0])
				continue;
			for (k = 1; k < s->len && lower(line[i + k]) ==
			    lower(s->pattern[k]); k++)
				;
		} else {
			if (line[i] != s->pattern[0])
				continue;
			for (k = 1; k < s->len && line[i + k] == s->pattern[k];
			    k++)
				;
		}
		if (k == s->len) {
			*match_off = i;
			*match_len = s->len;
			return true;
		}
	}
	return false;
}

bool
logsearch_match(const struct logsearch *s, const char *line, size_t len,
    size_t *match_off, size_t *match_len)
{
	return logsearch_next_match(s, line, len, 0, match_off, match_len);
}
