/*
 * logindex.h: where each line of a log starts, for logs of hundreds of
 * megabytes whose bytes live elsewhere (a spool file): 8 bytes a line, the
 * bytes themselves never.  Plus the arithmetic of wrapping a sanitised line
 * at a width.  Pure.
 */
#ifndef DAGTOP_LOGINDEX_H
#define DAGTOP_LOGINDEX_H

#include <stddef.h>
#include <stdint.h>

struct logindex {
	uint64_t	*start;		/* offset of each line's first byte */
	size_t		 n, cap;
	uint64_t	 total;		/* bytes fed */
};

void		 logindex_init(struct logindex *);
void		 logindex_free(struct logindex *);
void		 logindex_reset(struct logindex *);
/* Appends data at the stream's end; -1 when memory runs out. */
int		 logindex_feed(struct logindex *, const char *data, size_t len);
/* Lines, counting a last line without its newline. */
size_t		 logindex_count(const struct logindex *);
/* Line i's offset and length, its newline not counted. */
void		 logindex_line(const struct logindex *, size_t i, uint64_t *off,
		    uint64_t *len);
uint64_t	 logindex_bytes(const struct logindex *);
/* The line holding byte off (the last line for off past the end). */
size_t		 logindex_find_line(const struct logindex *, uint64_t off);

/*
 * Rows a sanitised line takes wrapped at cols columns (at least 1); a
 * character is never split, and one wider than cols gets a row of its own.
 */
size_t		 logwrap_rows(const char *line, size_t len, size_t cols);
/* The byte where wrapped row `row` of the line starts (len past the end). */
size_t		 logwrap_row_start(const char *line, size_t len, size_t cols,
		    size_t row);

#endif
