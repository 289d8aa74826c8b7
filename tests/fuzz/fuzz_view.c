/*
 * fuzz_view.c: libFuzzer harness for the view format.  Whatever the
 * bytes, parsing ends, a failure always says why, and a view that parses
 * tiles several terminal sizes exactly (every cell covered by one pane,
 * in the area) with no empty pane when there is room for one; and with
 * some kinds empty, still exactly, only collapse panes of those kinds
 * taking no space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_RECTS	256

static void
tiles(const struct view *v, size_t s, int w, int h)
{
	const struct view_screen *sc = &v->screens[s];
	struct pane_rect	 r[MAX_RECTS];
	unsigned char		*grid = xcalloc((size_t)w * h, 1);
	size_t			 n, i, want = 0, widest = 0;
	int			 x, y, x0 = 2, y0 = 1;

	for (i = 0; i < sc->nrows; i++) {
		want += sc->rows[i].npanes;
		if (sc->rows[i].npanes > widest)
			widest = sc->rows[i].npanes;
	}
	n = view_layout(v, s, x0, y0, w, h, r, MAX_RECTS);
	if (n != (want < MAX_RECTS ? want : MAX_RECTS))
		abort();
	for (i = 0; i < n; i++) {
		if (r[i].w < 0 || r[i].h < 0)
			abort();
		if ((size_t)w >= widest && (size_t)h >= sc->nrows &&
		    (r[i].w == 0 || r[i].h == 0))
			abort();
		for (y = r[i].y; y < r[i].y + r[i].h; y++)
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				if (x < x0 || x >= x0 + w || y < y0 ||
				    y >= y0 + h ||
				    grid[(y - y0) * w + x - x0]++ != 0)
					abort();
			}
	}
	if (want <= MAX_RECTS)
		for (i = 0; i < (size_t)w * h; i++)
			if (grid[i] != 1)
				abort();
	free(grid);
}

/* Whether pane k of screen s (file order) may collapse with these kinds. */
static int
may_collapse(const struct view_screen *sc, size_t k, const bool *empty)
{
	size_t i;

	for (i = 0; i < sc->nrows; i++) {
		if (k < sc->rows[i].npanes)
			return sc->rows[i].panes[k].collapse &&
			    empty[sc->rows[i].panes[k].kind];
		k -= sc->rows[i].npanes;
	}
	return 0;
}

/* view_layout_fit: exact tiling; only collapse panes of empty kinds go. */
static void
tiles_fit(const struct view *v, size_t s, int w, int h, const bool *empty)
{
	const struct view_screen *sc = &v->screens[s];
	struct pane_rect	 r[MAX_RECTS];
	unsigned char		*grid = xcalloc((size_t)w * h, 1);
	size_t			 n, i, want = 0, widest = 0;
	int			 x, y, x0 = 2, y0 = 1;

	for (i = 0; i < sc->nrows; i++) {
		want += sc->rows[i].npanes;
		if (sc->rows[i].npanes > widest)
			widest = sc->rows[i].npanes;
	}
	n = view_layout_fit(v, s, x0, y0, w, h, empty, r, MAX_RECTS);
	if (n != (want < MAX_RECTS ? want : MAX_RECTS))
		abort();
	for (i = 0; i < n; i++) {
		if (r[i].w < 0 || r[i].h < 0)
			abort();
		if ((size_t)w >= widest && (size_t)h >= sc->nrows &&
		    (r[i].w == 0 || r[i].h == 0) && !may_collapse(sc, i, empty))
			abort();
		for (y = r[i].y; y < r[i].y + r[i].h; y++)
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				if (x < x0 || x >= x0 + w || y < y0 ||
				    y >= y0 + h ||
				    grid[(y - y0) * w + x - x0]++ != 0)
					abort();
			}
	}
	if (want <= MAX_RECTS)
		for (i = 0; i < (size_t)w * h; i++)
			if (grid[i] != 1)
				abort();
	free(grid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int sizes[][2] = { { 80, 24 }, { 7, 3 }, { 131, 41 },
	    { 1, 1 }, { 60, 20 }, { 3, 200 }, { 200, 120 } };
	struct view	v;
	struct buf	err = BUF_INIT;
	size_t		s, i;
	bool		empty[PANE_KIND_COUNT];

	/* Which kinds are empty: the input's length picks them. */
	for (i = 0; i < PANE_KIND_COUNT; i++)
		empty[i] = (size >> i & 1) != 0;

	if (view_parse(&v, (const char *)data, size, "fuzz", "fuzz.view",
	    &err) == 0) {
		if (err.len != 0)
			abort();
		for (s = 0; s < v.nscreens && s < 4; s++)
			for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
				tiles(&v, s, sizes[i][0], sizes[i][1]);
				tiles_fit(&v, s, sizes[i][0], sizes[i][1],
				    empty);
			}
	} else if (err.len == 0)
		abort();	/* a failure always says why */
	view_free(&v);
	buf_free(&err);
	return 0;
}
