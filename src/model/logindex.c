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
	free(x->start);
	memset(x, 0, sizeof *x);
}

void
logindex_reset(struct logindex *x)
{
	x->n = 0;
	x->total = 0;
}

static int
push(struct logindex *x, uint64_t off)
{
	if (x->n == x->cap) {
		size_t	  cap = x->cap < 1024 ? 1024 : x->cap * 2;
		uint64_t *p = realloc(x->start, cap * sizeof *p);

		if (p == NULL)
			return -1;
		x->start = p;
		x->cap = cap;
	}
	x->start[x->n++] = off;
	return 0;
}

int
logindex_feed(struct logindex *x, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;

	if (len == 0)
		return 0;
	/* The first byte of the stream, or the byte after a newline. */
	if (x->total == 0 && push(x, 0) != 0)
		return -1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (push(x, x->total + (uint64_t)(nl - data) + 1) != 0)
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
	if (x->n > 0 && x->start[x->n - 1] == x->total)
		return x->n - 1;
	return x->n;
}

void
logindex_line(const struct logindex *x, size_t i, uint64_t *off,
    uint64_t *len)
{
	uint64_t end;

	*off = x->start[i];
	end = i + 1 < x->n ? x->start[i + 1] - 1 : x->total;
	*len = end - *off;
}

uint64_t
logindex_bytes(const struct logindex *x)
{
	return x->total;
}

size_t
logindex_find_line(const struct logindex *x, uint64_t off)
{
	size_t lo = 0, hi = logindex_count(x);

	if (hi == 0)
		return 0;
	/* The last start <= off. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (x->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
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
