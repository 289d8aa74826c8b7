/* logindex.c: see logindex.h. */
#include <stdlib.h>
#include <string.h>

#include "logindex.h"
#include "sanitize.h"

void
logindex_init(struct logindex *x)
{
	memset(x, 0, sizeof *x);
}

void
logindex_free(struct logindex *x)
{
	free(x->mark);
	memset(x, 0, sizeof *x);
}

void
logindex_reset(struct logindex *x)
{
	x->nmark = 0;
	x->starts = 0;
	x->last = 0;
	x->total = 0;
}

/* Line number x->starts begins at off: a mark when it is due. */
static int
start_at(struct logindex *x, uint64_t off)
{
	struct logindex_mark *m = x->nmark > 0 ? &x->mark[x->nmark - 1] : NULL;

	if (m == NULL || x->starts - m->line >= LOGINDEX_EVERY ||
	    off - m->off >= LOGINDEX_SPAN) {
		if (x->nmark == x->cap) {
			size_t	cap = x->cap < 256 ? 256 : x->cap + x->cap / 2;
			struct logindex_mark *p = realloc(x->mark,
			    cap * sizeof *p);

			if (p == NULL)
				return -1;
			x->mark = p;
			x->cap = cap;
		}
		x->mark[x->nmark].line = x->starts;
		x->mark[x->nmark].off = off;
		x->nmark++;
	}
	x->starts++;
	x->last = off;
	return 0;
}

int
logindex_feed(struct logindex *x, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;

	if (len == 0)
		return 0;
	/* The first byte of the stream, or the byte after a newline. */
	if (x->total == 0 && start_at(x, 0) != 0)
		return -1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (start_at(x, x->total + (uint64_t)(nl - data) + 1) != 0)
			return -1;
		p = nl + 1;
	}
	x->total += len;
	return 0;
}

size_t
logindex_count(const struct logindex *x)
{
	/* A start at the very end belongs to no line yet. */
	if (x->starts > 0 && x->last == x->total)
		return (size_t)(x->starts - 1);
	return (size_t)x->starts;
}

uint64_t
logindex_bytes(const struct logindex *x)
{
	return x->total;
}

size_t
logindex_memory(const struct logindex *x)
{
	return x->cap * sizeof *x->mark;
}

void
logindex_span(const struct logindex *x, size_t i, struct logindex_span *sp)
{
	size_t lo = 0, hi = x->nmark;

	/* The last mark at or before line i. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->mark[mid].line <= i)
			lo = mid;
		else
			hi = mid;
	}
	sp->line = x->mark[lo].line;
	sp->off = x->mark[lo].off;
	if (lo + 1 < x->nmark) {
		sp->next_line = x->mark[lo + 1].line;
		sp->end = x->mark[lo + 1].off - 1;
	} else {
		sp->next_line = logindex_count(x);
		/* Ended by a newline, or not. */
		sp->end = x->last == x->total && x->total > 0 ? x->total - 1 :
		    x->total;
	}
}

int
logindex_locate(const struct logindex_span *sp, size_t i, uint64_t from_line,
    uint64_t from_off, const char *buf, size_t buflen, uint64_t base,
    uint64_t *off, uint64_t *len)
{
	uint64_t	 p = from_off, j = from_line;
	const char	*nl;

	if (from_off < base)
		return -1;
	for (; j < i; j++) {
		if (p - base >= buflen)
			return -1;
		nl = memchr(buf + (p - base), '\n', buflen - (size_t)(p - base));
		if (nl == NULL)
			return -1;
		p = base + (uint64_t)(nl - buf) + 1;
	}
	*off = p;
	if (i + 1 >= sp->next_line) {
		/* The last line of the stretch: its end is known. */
		*len = sp->end - p;
		return 0;
	}
	if (p - base > buflen)
		return -1;
	nl = memchr(buf + (p - base), '\n', buflen - (size_t)(p - base));
	if (nl == NULL)
		return -1;
	*len = base + (uint64_t)(nl - buf) - p;
	return 0;
}

/* Bytes of the next row at pos: what fits, or one character if none does. */
static size_t
row_bytes(const char *line, size_t len, size_t pos, size_t cols)
{
	size_t n = text_fit(line + pos, len - pos, cols, NULL);

	if (n == 0) {
		uint32_t cp;
		int k = utf8_decode(line + pos, len - pos, &cp);

		n = (size_t)(k < 0 ? -k : k);
		if (n == 0)
			n = 1;
	}
	return n;
}

size_t
logwrap_rows(const char *line, size_t len, size_t cols)
{
	size_t pos = 0, rows = 0;

	if (cols == 0)
		return 1;
	while (pos < len) {
		pos += row_bytes(line, len, pos, cols);
		rows++;
	}
	return rows > 0 ? rows : 1;
}

size_t
logwrap_row_start(const char *line, size_t len, size_t cols, size_t row)
{
	size_t pos = 0;

	if (cols == 0)
		return row == 0 ? 0 : len;
	while (row > 0 && pos < len) {
		pos += row_bytes(line, len, pos, cols);
		row--;
	}
	return pos;
}
