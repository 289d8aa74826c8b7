/*
 * fuzz_view.c: libFuzzer harness for the view format.  Whatever the
 * bytes, parsing ends, and a view that parses tiles a few terminal sizes
 * exactly: every cell covered by one pane.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
tiles(const struct view *v, size_t s, int w, int h)
{
	struct pane_rect	 r[256];
	unsigned char		*grid = xcalloc((size_t)w * h, 1);
	size_t			 n, i;
	int			 x, y;

	n = view_layout(v, s, 0, 0, w, h, r, 256);
	for (i = 0; i < n; i++)
		for (y = r[i].y; y < r[i].y + r[i].h; y++)
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				if (x < 0 || x >= w || y < 0 || y >= h ||
				    grid[y * w + x]++ != 0)
					abort();
			}
	if (n < 256)
		for (i = 0; i < (size_t)w * h; i++)
			if (grid[i] != 1)
				abort();
	free(grid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct view	v;
	struct buf	err = BUF_INIT;
	size_t		s;

	if (view_parse(&v, (const char *)data, size, "fuzz", "fuzz.view",
	    &err) == 0) {
		for (s = 0; s < v.nscreens && s < 4; s++) {
			tiles(&v, s, 80, 24);
			tiles(&v, s, 7, 3);
			tiles(&v, s, 131, 41);
		}
	} else if (err.len == 0)
		abort();	/* a failure always says why */
	view_free(&v);
	buf_free(&err);
	return 0;
}
