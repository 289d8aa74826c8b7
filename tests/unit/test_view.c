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

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*s;
	long	 n;

	assert_non_null(fp);
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

/* Paints every rectangle on a w*h grid: each cell exactly once. */
static void
assert_tiles(const struct view *v, size_t screen, int w, int h)
{
	struct pane_rect	 r[32];
	unsigned char		*grid = calloc((size_t)w * h + 1, 1);
	size_t			 n, i;
	int			 x, y;

	n = view_layout(v, screen, 0, 0, w, h, r, 32);
	for (i = 0; i < n; i++) {
		assert_true(r[i].w >= 0 && r[i].h >= 0);
		for (y = r[i].y; y < r[i].y + r[i].h; y++)
			for (x = r[i].x; x < r[i].x + r[i].w; x++) {
				assert_true(x >= 0 && x < w && y >= 0 && y < h);
				grid[y * w + x]++;
			}
	}
	for (i = 0; i < (size_t)w * h; i++)
		if (grid[i] != 1)
			fail_msg("%s screen %zu at %dx%d: cell %zu painted %d "
			    "times", v->name, screen, w, h, i, grid[i]);
	free(grid);
}

static void
test_oncall(void **state)
{
	struct view		 v;
	struct buf		 err = BUF_INIT;
	struct pane_rect	 r[8];
	char			*text;
	size_t			 len, n;

	(void)state;
	text = slurp("views/oncall.view", &len);
	assert_int_equal(view_parse(&v, text, len, "oncall", "oncall.view",
	    &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(v.min_w, 80);
	assert_int_equal(v.min_h, 24);
	n = view_layout(&v, 0, 0, 1, 80, 21, r, 8);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].kind, PANE_RUNS);
	assert_int_equal(r[0].x, 0);
	assert_int_equal(r[0].y, 1);
	assert_int_equal(r[0].w, 36);		/* 45% of 80 */
	assert_int_equal(r[0].h, 12);		/* 60% of 21 */
	assert_int_equal(r[1].kind, PANE_TASKS);
	assert_int_equal(r[1].x, 36);
	assert_int_equal(r[1].w, 44);		/* the rest */
	assert_int_equal(r[2].kind, PANE_LOG);
	assert_int_equal(r[2].y, 13);
	assert_int_equal(r[2].h, 9);		/* the rest of the height */
	assert_int_equal(r[2].w, 80);
	assert_tiles(&v, 0, 80, 24);
	assert_tiles(&v, 0, 60, 20);
	assert_tiles(&v, 0, 200, 60);
	assert_tiles(&v, 0, 1, 1);
	assert_int_equal(view_layout(&v, 0, 0, 0, 0, 0, r, 8), 0);
	assert_int_equal(view_layout(&v, 1, 0, 0, 80, 24, r, 8), 0);
	view_free(&v);
	free(text);
	buf_free(&err);
}

static void
test_shipped(void **state)
{
	static const char *names[] = { "oncall", "compact", "wide" };
	struct view	 v;
	struct buf	 err = BUF_INIT;
	char		 path[64], *text;
	size_t		 len, i, s;
	int		 w, h;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "views/%s.view", names[i]);
		text = slurp(path, &len);
		assert_int_equal(view_parse(&v, text, len, names[i], path,
		    &err), 0);
		assert_string_equal(buf_str(&err), "");
		for (s = 0; s < v.nscreens; s++)
			for (w = 1; w < 230; w += 13)
				for (h = 1; h < 70; h += 7)
					assert_tiles(&v, s, w, h);
		if (i == 1) {
			assert_int_equal(v.nscreens, 3);
			assert_string_equal(v.screens[2].name, "log");
			assert_int_equal(v.screens[1].rows[0].panes[0].kind,
			    PANE_TASKS);
		}
		view_free(&v);
		free(text);
	}
	buf_free(&err);
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
	struct view	v;
	struct buf	err = BUF_INIT;

	(void)state;
	assert_int_equal(view_parse(&v, text, strlen(text), "bad", "bad.view",
	    &err), -1);
	assert_string_equal(buf_str(&err),
	    "bad.view:2: min-size must be WxH with W >= 20 and H >= 8, not '10x5'\n"
	    "bad.view:3: 'row' takes a percentage from 1% to 100%, not '150%'\n"
	    "bad.view:6: unknown pane kind 'graph'\n"
	    "bad.view:7: a pane takes a percentage from 1% to 100%, not '0%'\n"
	    "bad.view:8: unknown directive 'split'\n"
	    "bad.view:4: the panes of this row ask for more than 100%\n"
	    "bad.view:11: 'pane' needs a kind and may have a percentage\n"
	    "bad.view:12: too many words\n"
	    "bad.view:9: a row has no pane\n"
	    "bad.view:10: the rows of a screen ask for more than 100%\n");
	view_free(&v);
	buf_reset(&err);
	assert_int_equal(view_parse(&v, "# nothing\n", 10, "e", "e.view",
	    &err), -1);
	assert_string_equal(buf_str(&err), "e.view:1: the view has no pane\n");
	view_free(&v);
	buf_reset(&err);
	assert_int_equal(view_parse(&v, "screen a\npane runs\nscreen b\n", 28,
	    "e", "e.view", &err), -1);
	assert_string_equal(buf_str(&err), "e.view:3: a screen has no pane 'b'\n");
	view_free(&v);
	buf_reset(&err);
	assert_int_equal(view_parse(&v, "pane runs\0pane log\n", 19, "e",
	    "e.view", &err), -1);
	assert_string_equal(buf_str(&err),
	    "e.view:1: contains a NUL byte (not a text file?)\n");
	view_free(&v);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oncall),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
