/*
 * logindex.h: where the lines of a log start, for logs of hundreds of
 * megabytes whose bytes live elsewhere (a spool file).  The index is
 * sparse: a mark (16 bytes) every LOGINDEX_EVERY lines or LOGINDEX_SPAN
 * bytes, whichever comes first, so its memory is bounded by the log's size
 * over 4,096 lines of the smallest kind (200 MB of newlines: 0.8 MB), and
 * a line is found by reading at most LOGINDEX_SPAN bytes after its mark.
 * Plus the arithmetic of wrapping a sanitised line at a width.  Pure.
 */
#ifndef DAGTOP_LOGINDEX_H
#define DAGTOP_LOGINDEX_H

#include <stddef.h>
#include <stdint.h>

#define LOGINDEX_EVERY	4096		/* lines between marks, at most */
#define LOGINDEX_SPAN	(64u << 10)	/* bytes from a mark to a line start */

struct logindex_mark {
	uint64_t	 line;		/* this line starts */
	uint64_t	 off;		/* at this byte */
};

struct logindex {
	struct logindex_mark *mark;
	size_t		 nmark, cap;
	uint64_t	 starts;	/* line starts seen (one may be at the end) */
	uint64_t	 last;		/* the offset of the last of them */
	uint64_t	 total;		/* bytes fed */
};

/*
 * The stretch of the log that holds a line: it begins with line `line`
 * at byte `off`; every line of it before `next_line` starts before
 * off + LOGINDEX_SPAN; the text of its last line (next_line - 1) ends at
 * byte `end` (its newline not counted).
 */
struct logindex_span {
	uint64_t	 line, off;
	uint64_t	 next_line;
	uint64_t	 end;
};

void		 logindex_init(struct logindex *);
void		 logindex_free(struct logindex *);
void		 logindex_reset(struct logindex *);
/* Appends data at the stream's end; -1 when memory runs out. */
int		 logindex_feed(struct logindex *, const char *data, size_t len);
/* Lines, counting a last line without its newline. */
size_t		 logindex_count(const struct logindex *);
uint64_t	 logindex_bytes(const struct logindex *);
/* Bytes of memory the index holds (for the bench and the tests). */
size_t		 logindex_memory(const struct logindex *);
/* The stretch that holds line i (< logindex_count). */
void		 logindex_span(const struct logindex *, size_t i,
		    struct logindex_span *);
/*
 * Line i of span sp: its offset and length (newline not counted).  buf
 * holds the log's bytes [base, base + buflen), from a known line start
 * (line from_line at byte from_off, in sp, at most i) on; bytes up to
 * sp->off + LOGINDEX_SPAN (or sp->end) are enough.  Returns 0, or -1 when
 * buf is too short.
 */
int		 logindex_locate(const struct logindex_span *sp, size_t i,
		    uint64_t from_line, uint64_t from_off, const char *buf,
		    size_t buflen, uint64_t base, uint64_t *off,
		    uint64_t *len);

/*
 * Rows a sanitised line takes wrapped at cols columns (at least 1); a
 * character is never split, and one wider than cols gets a row of its own.
 */
size_t		 logwrap_rows(const char *line, size_t len, size_t cols);
/* The byte where wrapped row `row` of the line starts (len past the end). */
size_t		 logwrap_row_start(const char *line, size_t len, size_t cols,
		    size_t row);

#endif
