/* test_view.c: the .view format, the shipped views, and exact tiling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "view.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define MAX_RECTS	64

/* A shipped file, read from the source tree. */
static char *
slurp(const char *rel, size_t *len)
{
	char	 path[512];
	FILE	*fp;
	char	*s;
	long	 n;

	snprintf(path, sizeof path, "%s/%s", SRCDIR, rel);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

/* Parses a view that must be free of errors. */
static void
parse_ok(struct view *v, const char *text)
{
	struct buf err = BUF_INIT;

	if (view_parse(v, text, strlen(text), "t", "t.view", &err) != 0)
		fail_msg("%s", buf_str(&err));
	assert_string_equal(buf_str(&err), "");
	buf_free(&err);
}

/* Parses a view that must fail, and returns its messages, one string. */
static const char *
parse_bad(const char *text, size_t len)
{
	static char	 msg[2048];
	struct view	 v;
	struct buf	 err = BUF_INIT;

	assert_int_equal(view_parse(&v, text, len, "t", "t.view", &err), -1);
	snprintf(msg, sizeof msg, "%s", buf_str(&err));
	view_free(&v);
	buf_free(&err);
	return msg;
}

/* A literal, its length counted by the compiler (it may hold a NUL). */
#define BAD(s)	parse_bad((s), sizeof (s) - 1)

/*
 * The layout of one screen at (x0, y0, w, h) paints every cell of the area
 * exactly once, stays inside it, comes out in file order, is the same
 * twice, and has no empty pane when the area has room for one line per row
 * and one column per pane of every row.
 */
static void
assert_tiles(const struct view *v, size_t screen, int w, int h)
{
	struct pane_rect	 r[MAX_RECTS], again[MAX_RECTS];
	const struct view_screen *s = &v->screens[screen];
	unsigned char		*grid = calloc((size_t)w * h + 1, 1);
	size_t			 n, i, j, k, want = 0, widest = 0;
	int			 x, y, x0 = 3, y0 = 2;

	for (i = 0; i < s->nrows; i++) {
		want += s->rows[i].npanes;
		if (s->rows[i].npanes > widest)
			widest = s->rows[i].npanes;
	}
	n = view_layout(v, screen, x0, y0, w, h, r, MAX_RECTS);
	assert_int_equal(n, w > 0 && h > 0 ? want : 0);
	assert_int_equal(view_layout(v, screen, x0, y0, w, h, again,
	    MAX_RECTS), n);
	assert_memory_equal(r, again, n * sizeof *r);
	for (i = 0, k = 0; i < s->nrows; i++) {
		for (j = 0; j < s->rows[i].npanes; j++, k++) {
			if (k >= n)
				break;
			assert_int_equal(r[k].kind, s->rows[i].panes[j].kind);
			if ((size_t)h >= s->nrows && (size_t)w >= widest &&
			    (r[k].w < 1 || r[k].h < 1))
				fail_msg("%s screen %zu at %dx%d: pane %zu is "
				    "%dx%d", v->name, screen, w, h, k,
				    r[k].w, r[k].h);
		}
	}
	for (i = 0; i < n; i++) {
		assert_true(r[i].w >= 0 && r[i].h >= 0);
		for (y = r[i].y; y < r[i].y + r[i].h; y++)
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				if (x < x0 || x >= x0 + w || y < y0 ||
				    y >= y0 + h)
					fail_msg("%s at %dx%d: pane %zu leaves "
					    "the area", v->name, w, h, i);
				grid[(y - y0) * w + (x - x0)]++;
			}
	}
	for (i = 0; i < (size_t)w * h; i++)
		if (grid[i] != 1)
			fail_msg("%s screen %zu at %dx%d: cell %zu painted %d "
			    "times", v->name, screen, w, h, i, grid[i]);
	free(grid);
}

/* Every screen of v, at every size up to maxw x maxh. */
static void
assert_tiles_all(const struct view *v, int maxw, int maxh)
{
	size_t	s;
	int	w, h;

	for (s = 0; s < v->nscreens; s++)
		for (w = 1; w <= maxw; w++)
			for (h = 1; h <= maxh; h++)
				assert_tiles(v, s, w, h);
}

static void
assert_rect(const struct pane_rect *r, enum pane_kind kind, int x, int y,
    int w, int h)
{
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->x, x);
	assert_int_equal(r->y, y);
	assert_int_equal(r->w, w);
	assert_int_equal(r->h, h);
}

static void
load(struct view *v, const char *name)
{
	char		 rel[64];
	struct buf	 err = BUF_INIT;
	char		*text;
	size_t		 len;

	snprintf(rel, sizeof rel, "views/%s.view", name);
	text = slurp(rel, &len);
	if (view_parse(v, text, len, name, rel, &err) != 0)
		fail_msg("%s", buf_str(&err));
	assert_string_equal(buf_str(&err), "");
	free(text);
	buf_free(&err);
}

static void
test_oncall(void **state)
{
	struct view		 v;
	struct pane_rect	 r[8];

	(void)state;
	load(&v, "oncall");
	assert_string_equal(v.name, "oncall");
	assert_int_equal(v.min_w, 80);
	assert_int_equal(v.min_h, 24);
	assert_int_equal(v.nscreens, 1);
	assert_int_equal(v.screens[0].nrows, 2);
	assert_int_equal(v.screens[0].rows[0].pct, 60);
	assert_int_equal(v.screens[0].rows[1].pct, 40);
	assert_int_equal(v.screens[0].rows[0].panes[0].pct, 45);
	assert_int_equal(v.screens[0].rows[0].panes[1].pct, 55);

	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 24, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 36, 14);	/* 45%, 60% */
	assert_rect(&r[1], PANE_TASKS, 36, 0, 44, 14);
	assert_rect(&r[2], PANE_LOG, 0, 14, 80, 10);
	assert_int_equal(view_layout(&v, 0, 0, 1, 80, 21, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 36, 12);
	assert_rect(&r[1], PANE_TASKS, 36, 1, 44, 12);
	assert_rect(&r[2], PANE_LOG, 0, 13, 80, 9);
	assert_int_equal(view_layout(&v, 0, 0, 0, 60, 20, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 27, 12);
	assert_rect(&r[1], PANE_TASKS, 27, 0, 33, 12);
	assert_rect(&r[2], PANE_LOG, 0, 12, 60, 8);
	assert_int_equal(view_layout(&v, 0, 0, 0, 200, 60, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 90, 36);
	assert_rect(&r[1], PANE_TASKS, 90, 0, 110, 36);
	assert_rect(&r[2], PANE_LOG, 0, 36, 200, 24);
	/* Too small for one line per row: the last row has the line. */
	assert_int_equal(view_layout(&v, 0, 0, 0, 1, 1, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 0, 0);
	assert_rect(&r[1], PANE_TASKS, 0, 0, 1, 0);
	assert_rect(&r[2], PANE_LOG, 0, 0, 1, 1);
	assert_int_equal(view_layout(&v, 0, 0, 0, 2, 2, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 1, 1);
	assert_rect(&r[1], PANE_TASKS, 1, 0, 1, 1);
	assert_rect(&r[2], PANE_LOG, 0, 1, 2, 1);
	assert_int_equal(view_layout(&v, 0, 0, 0, 0, 0, r, 8), 0);
	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 0, r, 8), 0);
	assert_int_equal(view_layout(&v, 0, 0, 0, -5, 24, r, 8), 0);
	assert_int_equal(view_layout(&v, 1, 0, 0, 80, 24, r, 8), 0);
	/* max is respected. */
	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 24, r, 2), 2);
	assert_rect(&r[1], PANE_TASKS, 36, 0, 44, 14);
	assert_tiles(&v, 0, 80, 24);
	assert_tiles(&v, 0, 60, 20);
	assert_tiles(&v, 0, 200, 60);
	assert_tiles(&v, 0, 1, 1);
	assert_tiles_all(&v, 90, 40);
	view_free(&v);
	assert_null(v.screens);
	assert_null(v.name);
}

static void
test_compact(void **state)
{
	static const char *names[] = { "runs", "tasks", "log" };
	static const enum pane_kind kinds[] = { PANE_RUNS, PANE_TASKS,
	    PANE_LOG };
	struct view		 v;
	struct pane_rect	 r[4];
	size_t			 s;

	(void)state;
	load(&v, "compact");
	assert_int_equal(v.min_w, 40);
	assert_int_equal(v.min_h, 10);
	assert_int_equal(v.nscreens, 3);
	for (s = 0; s < 3; s++) {
		assert_string_equal(v.screens[s].name, names[s]);
		assert_int_equal(v.screens[s].nrows, 1);
		assert_int_equal(v.screens[s].rows[0].npanes, 1);
		assert_int_equal(view_layout(&v, s, 0, 1, 40, 9, r, 4), 1);
		assert_rect(&r[0], kinds[s], 0, 1, 40, 9);
	}
	assert_int_equal(view_layout(&v, 3, 0, 0, 40, 10, r, 4), 0);
	assert_tiles_all(&v, 50, 20);
	view_free(&v);
}

static void
test_wide(void **state)
{
	struct view		 v;
	struct pane_rect	 r[8];

	(void)state;
	load(&v, "wide");
	assert_int_equal(v.nscreens, 1);
	assert_int_equal(v.screens[0].rows[0].npanes, 3);
	assert_int_equal(view_layout(&v, 0, 0, 0, 200, 60, r, 8), 5);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 70, 33);
	assert_rect(&r[1], PANE_TASKS, 70, 0, 80, 33);
	assert_rect(&r[2], PANE_DETAILS, 150, 0, 50, 33);
	assert_rect(&r[3], PANE_LOG, 0, 33, 120, 27);
	assert_rect(&r[4], PANE_SLA, 120, 33, 80, 27);
	assert_tiles_all(&v, 60, 30);
	assert_tiles(&v, 0, 80, 24);
	assert_tiles(&v, 0, 60, 20);
	assert_tiles(&v, 0, 200, 60);
	view_free(&v);
}

static void
test_directives(void **state)
{
	struct view v;

	(void)state;
	/* Defaults, implicit screen and row, comments anywhere, CR LF. */
	parse_ok(&v, "# just panes\r\npane runs # left\npane log\t#\r\n");
	assert_string_equal(v.name, "t");
	assert_int_equal(v.min_w, 60);
	assert_int_equal(v.min_h, 16);
	assert_int_equal(v.nscreens, 1);
	assert_string_equal(v.screens[0].name, "");
	assert_int_equal(v.screens[0].line, 2);
	assert_int_equal(v.screens[0].nrows, 1);
	assert_int_equal(v.screens[0].rows[0].pct, 0);
	assert_int_equal(v.screens[0].rows[0].line, 2);
	assert_int_equal(v.screens[0].rows[0].npanes, 2);
	assert_int_equal(v.screens[0].rows[0].panes[1].kind, PANE_LOG);
	view_free(&v);

	/* Every pane kind, every directive, the bounds of each. */
	parse_ok(&v,
	    "min-size 20x8\n"
	    "screen one\n"
	    "row 100%\n"
	    "pane runs 1%\n"
	    "pane tasks 99%\n"
	    "screen two\n"
	    "pane log 100%\n"
	    "row\n"
	    "pane details\n"
	    "pane help\n"
	    "pane sla\n"
	    "screen\n"
	    "row 50%\n"
	    "pane fourkeys 50%\n"
	    "pane slots 50%\n"
	    "row 50%\n"
	    "pane runs\n"
	    "min-size 1000x1000\n");
	assert_int_equal(v.min_w, 1000);
	assert_int_equal(v.min_h, 1000);
	assert_int_equal(v.nscreens, 3);
	assert_string_equal(v.screens[1].name, "two");
	assert_int_equal(v.screens[1].line, 6);
	assert_int_equal(v.screens[1].nrows, 2);
	assert_int_equal(v.screens[1].rows[0].line, 7);
	assert_int_equal(v.screens[1].rows[1].npanes, 3);
	assert_int_equal(v.screens[1].rows[1].panes[2].kind, PANE_SLA);
	assert_string_equal(v.screens[2].name, "");
	assert_int_equal(v.screens[2].rows[0].panes[1].kind, PANE_SLOTS);
	assert_int_equal(v.screens[2].rows[0].panes[1].pct, 50);
	assert_tiles_all(&v, 40, 12);
	view_free(&v);
}

static void
test_kinds(void **state)
{
	static const char *names[PANE_KIND_COUNT] = { "runs", "tasks", "log",
	    "details", "help", "sla", "fourkeys", "slots", "sla-week" };
	enum pane_kind	k;
	int		i;

	(void)state;
	for (i = 0; i < PANE_KIND_COUNT; i++) {
		assert_string_equal(pane_kind_name((enum pane_kind)i),
		    names[i]);
		assert_int_equal(pane_kind_parse(names[i], &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(pane_kind_parse("Runs", &k), -1);
	assert_int_equal(pane_kind_parse("graph", &k), -1);
	assert_string_equal(pane_kind_name(PANE_KIND_COUNT), "?");
}

static void
test_errors(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "min-size 10x5\n"
	    "row 150%\n"
	    "pane runs 60%\n"
	    "pane tasks 50%\n"
	    "pane graph\n"
	    "pane log 0%\n"
	    "split vertical\n"
	    "row 70%\n"
	    "row 40%\n"
	    "pane log extra words\n"
	    "pane log 10% and more\n"
	    "pane log\n";

	(void)state;
	assert_string_equal(BAD(text),
	    "t.view:2: min-size must be WxH with W >= 20 and H >= 8, not '10x5'\n"
	    "t.view:3: 'row' takes a percentage from 1% to 100%, not '150%'\n"
	    "t.view:6: unknown pane kind 'graph'\n"
	    "t.view:7: a pane takes a percentage from 1% to 100%, not '0%'\n"
	    "t.view:8: unknown directive 'split'\n"
	    "t.view:4: the panes of this row ask for more than 100%\n"
	    "t.view:11: a pane takes a percentage from 1% to 100%, not 'extra'\n"
	    "t.view:12: a pane takes a percentage, min N and collapse, not 'and'\n"
	    "t.view:9: a row has no pane\n"
	    "t.view:10: the rows of a screen ask for more than 100%\n");
	assert_string_equal(BAD(
	    "min-size 19x8\nmin-size 20x7\nmin-size 80\nmin-size 80x24x1\n"
	    "min-size x24\nmin-size 80x\nmin-size\nmin-size 1001x24\n"
	    "min-size 80 24\nmin-size 80X24\npane runs\n"),
	    "t.view:1: min-size must be WxH with W >= 20 and H >= 8, not '19x8'\n"
	    "t.view:2: min-size must be WxH with W >= 20 and H >= 8, not '20x7'\n"
	    "t.view:3: min-size must be WxH with W >= 20 and H >= 8, not '80'\n"
	    "t.view:4: min-size must be WxH with W >= 20 and H >= 8, not '80x24x1'\n"
	    "t.view:5: min-size must be WxH with W >= 20 and H >= 8, not 'x24'\n"
	    "t.view:6: min-size must be WxH with W >= 20 and H >= 8, not '80x'\n"
	    "t.view:7: min-size must be WxH with W >= 20 and H >= 8, not ''\n"
	    "t.view:8: min-size must be WxH with W >= 20 and H >= 8, not '1001x24'\n"
	    "t.view:9: min-size must be WxH with W >= 20 and H >= 8, not ''\n"
	    "t.view:10: min-size must be WxH with W >= 20 and H >= 8, not '80X24'\n");
	assert_string_equal(BAD(
	    "row 0%\nrow 101%\nrow 50\nrow %\nrow -5%\nrow 5%%\nrow 1% 2%\n"
	    "pane runs 50\npane\nscreen a b\npane log\n"),
	    "t.view:1: 'row' takes a percentage from 1% to 100%, not '0%'\n"
	    "t.view:2: 'row' takes a percentage from 1% to 100%, not '101%'\n"
	    "t.view:3: 'row' takes a percentage from 1% to 100%, not '50'\n"
	    "t.view:4: 'row' takes a percentage from 1% to 100%, not '%'\n"
	    "t.view:5: 'row' takes a percentage from 1% to 100%, not '-5%'\n"
	    "t.view:6: 'row' takes a percentage from 1% to 100%, not '5%%'\n"
	    "t.view:7: 'row' takes a percentage, min N, not '2%'\n"
	    "t.view:8: a pane takes a percentage from 1% to 100%, not '50'\n"
	    "t.view:9: 'pane' needs a kind and may have a percentage\n"
	    "t.view:10: 'screen' takes at most a name\n");
	/* Screens and rows with no pane, at the line that declared them. */
	assert_string_equal(BAD(
	    "screen a\nscreen b\npane runs\nrow\nscreen c\nrow 10%\nrow 20%\n"),
	    "t.view:1: a screen has no pane 'a'\n"
	    "t.view:4: a row has no pane\n"
	    "t.view:6: a row has no pane\n"
	    "t.view:7: a row has no pane\n");
	assert_string_equal(BAD("# nothing\n"),
	    "t.view:1: the view has no pane\n");
	assert_string_equal(BAD(""), "t.view:1: the view has no pane\n");
	assert_string_equal(BAD("pane runs\0pane log\n"),
	    "t.view:1: contains a NUL byte (not a text file?)\n");
	assert_string_equal(BAD("pane runs\nPane log\npane \x1b[2J\n"),
	    "t.view:2: unknown directive 'Pane'\n"
	    "t.view:3: unknown pane kind '^[[2J'\n");
	/* Exactly 100% is fine; the implicit share is then empty. */
	assert_string_equal(BAD(
	    "row 60%\npane runs 60%\npane log 41%\nrow 41%\npane log\n"),
	    "t.view:1: the panes of this row ask for more than 100%\n"
	    "t.view:4: the rows of a screen ask for more than 100%\n");
}

static void
test_layout_rules(void **state)
{
	struct view		v;
	struct pane_rect	r[8];

	(void)state;
	/* Rows without a percentage share what is left; the last rounds. */
	parse_ok(&v, "row 50%\npane runs\nrow\npane tasks\nrow\npane log\n");
	assert_int_equal(view_layout(&v, 0, 0, 0, 10, 11, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 10, 5);
	assert_rect(&r[1], PANE_TASKS, 0, 5, 10, 3);
	assert_rect(&r[2], PANE_LOG, 0, 8, 10, 3);
	view_free(&v);
	/* Unasked space goes to the last. */
	parse_ok(&v, "pane runs 20%\npane log 30%\n");
	assert_int_equal(view_layout(&v, 0, 5, 7, 100, 3, r, 8), 2);
	assert_rect(&r[0], PANE_RUNS, 5, 7, 20, 3);
	assert_rect(&r[1], PANE_LOG, 25, 7, 80, 3);
	view_free(&v);
	/* A percentage that rounds to nothing still gets a line... */
	parse_ok(&v, "row 1%\npane runs\nrow\npane log\n");
	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 10, r, 8), 2);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 80, 1);
	assert_rect(&r[1], PANE_LOG, 0, 1, 80, 9);
	view_free(&v);
	/* ... and so does a share of nothing, taken from the largest. */
	parse_ok(&v, "row 100%\npane runs\nrow\npane log\n");
	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 24, r, 8), 2);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 80, 23);
	assert_rect(&r[1], PANE_LOG, 0, 23, 80, 1);
	view_free(&v);
	parse_ok(&v, "pane runs 50%\npane tasks 50%\npane log\n");
	assert_int_equal(view_layout(&v, 0, 0, 0, 80, 24, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 40, 24);
	assert_rect(&r[1], PANE_TASKS, 40, 0, 39, 24);	/* last of equals */
	assert_rect(&r[2], PANE_LOG, 79, 0, 1, 24);
	assert_int_equal(view_layout(&v, 0, 0, 0, 3, 1, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 1, 1);
	assert_rect(&r[1], PANE_TASKS, 1, 0, 1, 1);
	assert_rect(&r[2], PANE_LOG, 2, 0, 1, 1);
	/* Huge areas do not overflow. */
	assert_int_equal(view_layout(&v, 0, 0, 0, 2000000000, 2, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 1000000000, 2);
	assert_rect(&r[1], PANE_TASKS, 1000000000, 0, 999999999, 2);
	assert_rect(&r[2], PANE_LOG, 1999999999, 0, 1, 2);
	view_free(&v);
}

/* min and collapse: read in any order, and their errors. */
static void
test_min_collapse_words(void **state)
{
	struct view v;

	(void)state;
	parse_ok(&v, "row 60% min 5\npane runs min 30 45%\n"
	    "pane tasks collapse 55% min 20\nrow min 3\npane log collapse\n");
	assert_int_equal(v.screens[0].rows[0].pct, 60);
	assert_int_equal(v.screens[0].rows[0].min, 5);
	assert_int_equal(v.screens[0].rows[0].panes[0].pct, 45);
	assert_int_equal(v.screens[0].rows[0].panes[0].min, 30);
	assert_false(v.screens[0].rows[0].panes[0].collapse);
	assert_int_equal(v.screens[0].rows[0].panes[1].pct, 55);
	assert_int_equal(v.screens[0].rows[0].panes[1].min, 20);
	assert_true(v.screens[0].rows[0].panes[1].collapse);
	assert_int_equal(v.screens[0].rows[1].pct, 0);
	assert_int_equal(v.screens[0].rows[1].min, 3);
	assert_true(v.screens[0].rows[1].panes[0].collapse);
	view_free(&v);
	assert_string_equal(BAD(
	    "pane runs min\npane runs min 0\npane runs min 1001\n"
	    "pane runs min x\npane runs min 5x\nrow collapse\n"
	    "pane runs 10% 20%\npane runs fold\nrow 5% min 2 3\n"
	    "pane log\n"),
	    "t.view:1: 'min' takes a number from 1 to 1000, not ''\n"
	    "t.view:2: 'min' takes a number from 1 to 1000, not '0'\n"
	    "t.view:3: 'min' takes a number from 1 to 1000, not '1001'\n"
	    "t.view:4: 'min' takes a number from 1 to 1000, not 'x'\n"
	    "t.view:5: 'min' takes a number from 1 to 1000, not '5x'\n"
	    "t.view:6: 'row' takes a percentage from 1% to 100%, not 'collapse'\n"
	    "t.view:7: a pane takes a percentage, min N and collapse, not '20%'\n"
	    "t.view:8: a pane takes a percentage from 1% to 100%, not 'fold'\n"
	    "t.view:9: 'row' takes a percentage, min N, not '3'\n");
}

/*
 * A collapsed pane's columns go to its row, an empty row's lines to the
 * other rows; nothing collapses when the screen would be empty; min
 * takes from the siblings above theirs.
 */
static void
test_layout_collapse(void **state)
{
	struct view		v;
	struct pane_rect	r[8];
	bool			empty[PANE_KIND_COUNT] = { false };

	(void)state;
	load(&v, "oncall");
	/* Nothing is empty: as view_layout. */
	assert_int_equal(view_layout_fit(&v, 0, 0, 1, 80, 21, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 36, 12);
	assert_rect(&r[1], PANE_TASKS, 36, 1, 44, 12);
	assert_rect(&r[2], PANE_LOG, 0, 13, 80, 9);
	/* No run open, no task: the DAG list has the screen. */
	empty[PANE_TASKS] = empty[PANE_LOG] = true;
	assert_int_equal(view_layout_fit(&v, 0, 0, 1, 80, 21, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 80, 21);
	assert_rect(&r[1], PANE_TASKS, 80, 1, 0, 0);
	assert_rect(&r[2], PANE_LOG, 0, 22, 0, 0);
	assert_int_equal(view_layout_fit(&v, 0, 0, 1, 120, 37, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 120, 37);
	/* A run open, no task yet: the log's row goes. */
	empty[PANE_TASKS] = false;
	assert_int_equal(view_layout_fit(&v, 0, 0, 1, 80, 21, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 36, 21);
	assert_rect(&r[1], PANE_TASKS, 36, 1, 44, 21);
	assert_rect(&r[2], PANE_LOG, 0, 22, 0, 0);
	/* A kind that does not collapse in the file stays. */
	empty[PANE_RUNS] = true;
	assert_int_equal(view_layout_fit(&v, 0, 0, 1, 80, 21, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 1, 36, 21);
	view_free(&v);
	/* Every pane empty: the screen is laid out as if none were. */
	parse_ok(&v, "row 30%\npane tasks collapse\nrow\npane log collapse\n");
	empty[PANE_TASKS] = empty[PANE_LOG] = true;
	assert_int_equal(view_layout_fit(&v, 0, 0, 0, 80, 10, empty, r, 8), 2);
	assert_rect(&r[0], PANE_TASKS, 0, 0, 80, 3);
	assert_rect(&r[1], PANE_LOG, 0, 3, 80, 7);
	empty[PANE_LOG] = false;
	assert_int_equal(view_layout_fit(&v, 0, 0, 0, 80, 10, empty, r, 8), 2);
	assert_rect(&r[0], PANE_TASKS, 0, 0, 0, 0);
	assert_rect(&r[1], PANE_LOG, 0, 0, 80, 10);
	view_free(&v);
	/* The freed share goes to the panes without a percentage. */
	parse_ok(&v, "pane runs 30%\npane tasks 40% collapse\npane details\n");
	empty[PANE_TASKS] = true;
	assert_int_equal(view_layout_fit(&v, 0, 0, 0, 100, 10, empty, r, 8), 3);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 30, 10);
	assert_rect(&r[1], PANE_TASKS, 30, 0, 0, 0);
	assert_rect(&r[2], PANE_DETAILS, 30, 0, 70, 10);
	assert_int_equal(view_layout_fit(&v, 0, 0, 0, 100, 10, NULL, r, 8), 3);
	assert_rect(&r[1], PANE_TASKS, 30, 0, 40, 10);
	view_free(&v);
	/* min: from the siblings above theirs, never below one. */
	parse_ok(&v, "row 10% min 4\npane runs 20% min 30\npane tasks min 50\n"
	    "pane log\nrow\npane sla\n");
	assert_int_equal(view_layout(&v, 0, 0, 0, 100, 20, r, 8), 4);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 30, 4);
	assert_rect(&r[1], PANE_TASKS, 30, 0, 50, 4);
	assert_rect(&r[2], PANE_LOG, 80, 0, 20, 4);
	assert_rect(&r[3], PANE_SLA, 0, 4, 100, 16);
	assert_int_equal(view_layout(&v, 0, 0, 0, 60, 3, r, 8), 4);
	assert_rect(&r[0], PANE_RUNS, 0, 0, 30, 2);
	assert_rect(&r[1], PANE_TASKS, 30, 0, 29, 2);
	assert_rect(&r[2], PANE_LOG, 59, 0, 1, 2);
	assert_rect(&r[3], PANE_SLA, 0, 2, 60, 1);
	assert_tiles_all(&v, 70, 30);
	view_free(&v);
}

/* Tiling for many shapes of view, at every size up to 70x30. */
static void
test_tiling(void **state)
{
	static const char *views[] = {
		"pane runs\n",
		"row 1%\npane runs 1%\npane log 1%\nrow 1%\npane tasks\n",
		"row 33%\npane runs 33%\npane log 33%\npane tasks 34%\n"
		    "row 33%\npane help\nrow\npane sla 99%\npane slots\n",
		"row\npane runs\npane log\npane tasks\npane details\n"
		    "pane help\npane sla\npane fourkeys\npane slots\n"
		    "row 90%\npane runs 7%\npane log\npane tasks 13%\n",
		"screen a\nrow 3%\npane runs\nrow 3%\npane log\nrow 3%\n"
		    "pane tasks\nrow\npane help\nscreen b\npane slots 100%\n"
		    "pane sla\n",
		"row 100%\npane runs 100%\npane log\npane tasks\n",
	};
	struct view	v;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof views / sizeof *views; i++) {
		parse_ok(&v, views[i]);
		assert_tiles_all(&v, 70, 30);
		assert_tiles(&v, 0, 200, 60);
		assert_tiles(&v, 0, 1000, 7);
		view_free(&v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oncall),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_layout_rules),
		cmocka_unit_test(test_tiling),
		cmocka_unit_test(test_min_collapse_words),
		cmocka_unit_test(test_layout_collapse),
	};

	return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
