/*
 * logsearch.h: the log pane's search.  A plain substring, not a regular
 * expression (log text is full of brackets and dots); smart case as in
 * less -i and vim: case matters only when the pattern has a capital
 * letter.  Case folding is ASCII's; other characters match exactly.  Pure.
 */
#ifndef DAGTOP_LOGSEARCH_H
#define DAGTOP_LOGSEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct logsearch {
	char	*pattern;
	size_t	 len;
	bool	 fold;		/* ignore ASCII case */
};

/* -1 with a reason in err for an empty pattern. */
int	logsearch_compile(struct logsearch *, const char *pattern,
	    struct buf *err);
void	logsearch_free(struct logsearch *);
/* The first match in line[0..len): its offset and length. */
bool	logsearch_match(const struct logsearch *, const char *line, size_t len,
	    size_t *match_off, size_t *match_len);
/* The first match starting at or after byte `from`. */
bool	logsearch_next_match(const struct logsearch *, const char *line,
	    size_t len, size_t from, size_t *match_off, size_t *match_len);

#endif
