/* columns.c: list column widths from their content; cuts that tell ids apart. */
#include <string.h>

#include "columns.h"

int
cols_fit(struct col *c, size_t n, int avail, int gap)
{
	size_t	i, k, order[64];
	int	used = 0, shown = 0, room, w;

	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		if (c[i].want < c[i].min)
			c[i].want = c[i].min;
		c[i].width = 0;
		if (!c[i].optional) {
			used += c[i].min + (shown > 0 ? gap : 0);
			c[i].width = c[i].min;
			shown++;
		}
	}
	/* Stable order by priority: insertion sort of indexes. */
	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && c[order[k - 1]].prio > c[i].prio; k--)
			order[k] = order[k - 1];
		order[k] = i;
	}
	for (k = 0; k < n; k++) {
		i = order[k];
		room = avail - used;
		if (!c[i].optional) {
			w = c[i].want - c[i].min;
			if (w > room)
				w = room;
			if (w > 0) {
				c[i].width += w;
				used += w;
			}
			continue;
		}
		if (room < c[i].min + (shown > 0 ? gap : 0))
			continue;
		room -= shown > 0 ? gap : 0;
		c[i].width = c[i].want < room ? c[i].want : room;
		used += c[i].width + (shown > 0 ? gap : 0);
		shown++;
	}
	return used;
}

void
cols_xs(const struct col *c, size_t n, int x0, int gap, int *x)
{
	size_t i;

	for (i = 0; i < n; i++) {
		x[i] = x0;
		if (c[i].width > 0)
			x0 += c[i].width + gap;
	}
}

void
cols_cut(char *out, size_t outsz, const char *id, int width, int tail,
    const char *mark)
{
	size_t	len, head, t, m;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (id == NULL || width <= 0)
		return;
	len = strlen(id);
	if (len <= (size_t)width) {
		if (len >= outsz)
			len = outsz - 1;
		memcpy(out, id, len);
		out[len] = '\0';
		return;
	}
	t = tail > 0 && tail < width ? (size_t)tail : 0;
	/* A tail reads better from a word's start: "finance_…_daily_v2". */
	for (m = 0; t > 0 && m < 8 && t + m + 4 <= (size_t)width; m++)
		if (strchr("_-.", id[len - t - m]) != NULL) {
			t += m;
			break;
		}
	head = (size_t)width - 1 - t;
	m = strlen(mark);
	if (head + m + t >= outsz)
		return;
	memcpy(out, id, head);
	memcpy(out + head, mark, m);
	memcpy(out + head + m, id + len - t, t);
	out[head + m + t] = '\0';
}

/* True when cutting the n ids with this tail leaves two alike. */
static int
cut_collide(const char *const *ids, size_t n, int width, int tail)
{
	char	a[512], b[512];
	size_t	i, j;

	for (i = 0; i < n; i++) {
		cols_cut(a, sizeof a, ids[i] ? ids[i] : "", width, tail, "\1");
		for (j = i + 1; j < n; j++) {
			if (ids[i] != NULL && ids[j] != NULL &&
			    strcmp(ids[i], ids[j]) == 0)
				continue;
			cols_cut(b, sizeof b, ids[j] ? ids[j] : "", width,
			    tail, "\1");
			if (strcmp(a, b) == 0)
				return 1;
		}
	}
	return 0;
}

int
cols_tail(const char *const *ids, size_t n, int width)
{
	int tail;

	if (width < 4 || width > 250)
		return 0;
	if (!cut_collide(ids, n, width, 0))
		return 0;
	/* A tail of a third of the width at least, for it to read as one. */
	for (tail = width / 3; tail < width - 1; tail++)
		if (!cut_collide(ids, n, width, tail))
			return tail;
	return 0;
}
