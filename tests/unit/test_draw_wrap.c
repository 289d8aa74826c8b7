/*
 * test_draw_wrap.c: ui_put_wrap, the console's way of showing a whole
 * value from outside on a few rows (the impact window's selected row, the
 * SLA pane's upstream cause): rows counted as drawn, never a character
 * split, the rest cut with the mark, escapes defused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>

#include <cmocka.h>

#include "ui.h"

static SCREEN	*scr;
static FILE	*out;

static int
setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	out = fopen("/dev/null", "w");
	scr = newterm("xterm", out, stdin);
	return scr == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	endwin();
	delscreen(scr);
	fclose(out);
	return 0;
}

/* Row r of w from column x, n columns, as text (wide characters too). */
static void
row_text(WINDOW *w, int r, int x, int n, char *buf, size_t size)
{
	wchar_t	wbuf[256];
	int	k;

	memset(wbuf, 0, sizeof wbuf);
	mvwinnwstr(w, r, x, wbuf, n);
	for (k = n - 1; k >= 0 && (wbuf[k] == L' ' || wbuf[k] == 0); k--)
		wbuf[k] = 0;
	wcstombs(buf, wbuf, size);
}

static void
test_wrap_counts(void **state)
{
	(void)state;
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "short", 10, 2, false), 1);
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "", 10, 2, false), 1);
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "0123456789abc", 10, 2,
	    false), 2);
	/* At most rows: the rest is cut on the last one. */
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "0123456789012345678901234",
	    10, 2, false), 2);
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "x", 0, 2, false), 0);
	assert_int_equal(ui_put_wrap(NULL, 0, 0, "x", 10, 0, false), 0);
}

static void
test_wrap_draws(void **state)
{
	WINDOW	*w = newwin(4, 20, 0, 0);
	char	 buf[256];

	(void)state;
	assert_non_null(w);
	werase(w);
	/* Wrapped at 10 columns; the third part cut with the mark. */
	assert_int_equal(ui_put_wrap(w, 0, 0, "aaaaaaaaaabbbbbbbbbbcccc", 10,
	    2, true), 2);
	row_text(w, 0, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "aaaaaaaaaa");
	row_text(w, 1, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "bbbbbbbbb~");
	/* At a space when there is one. */
	werase(w);
	assert_int_equal(ui_put_wrap(w, 0, 0, "waits for asset orders", 10,
	    3, false), 3);
	row_text(w, 0, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "waits for");
	row_text(w, 1, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "asset");
	row_text(w, 2, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "orders");
	/* A wide character is never split between rows. */
	werase(w);
	assert_int_equal(ui_put_wrap(w, 0, 0, "abcdefghi\xe6\x97\xa5\xe6\x9c\xac",
	    10, 3, false), 2);
	row_text(w, 0, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "abcdefghi");
	row_text(w, 1, 0, 10, buf, sizeof buf);
	assert_string_equal(buf, "\xe6\x97\xa5\xe6\x9c\xac");
	/* An escape from outside is shown, not sent to the terminal. */
	werase(w);
	ui_put_wrap(w, 0, 0, "x\033[2Jy", 18, 1, true);
	row_text(w, 0, 0, 18, buf, sizeof buf);
	assert_null(strchr(buf, '\033'));
	assert_non_null(strchr(buf, 'y'));
	delwin(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_counts),
		cmocka_unit_test(test_wrap_draws),
	};

	return cmocka_run_group_tests_name("draw_wrap", tests, setup,
	    teardown);
}
