/* draw.c: what every pane draws with: colours, frames, defused text. */
#include <string.h>

#include "sanitize.h"
#include "ui.h"

enum { PAIR_OK = 1, PAIR_FAIL, PAIR_RUN, PAIR_WAIT, PAIR_SKIP, PAIR_UPFAIL };

static bool have_color;

void
ui_colors_init(bool color)
{
	have_color = color && has_colors();
	if (!have_color)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_OK, COLOR_GREEN, -1);
	init_pair(PAIR_FAIL, COLOR_RED, -1);
	init_pair(PAIR_RUN, COLOR_CYAN, -1);
	init_pair(PAIR_WAIT, COLOR_YELLOW, -1);
	init_pair(PAIR_SKIP, COLOR_MAGENTA, -1);
	init_pair(PAIR_UPFAIL, COLOR_YELLOW, -1);
}

attr_t
ui_run_attr(enum run_state s)
{
	if (!have_color)
		return s == RUN_FAILED ? A_BOLD : A_NORMAL;
	switch (s) {
	case RUN_SUCCESS:
		return COLOR_PAIR(PAIR_OK);
	case RUN_FAILED:
		return COLOR_PAIR(PAIR_FAIL) | A_BOLD;
	case RUN_RUNNING:
		return COLOR_PAIR(PAIR_RUN);
	case RUN_QUEUED:
		return COLOR_PAIR(PAIR_WAIT);
	default:
		return A_NORMAL;
	}
}

attr_t
ui_ti_attr(enum ti_state s)
{
	if (!have_color)
		return ti_state_failed(s) ? A_BOLD : A_NORMAL;
	switch (s) {
	case TI_SUCCESS:
		return COLOR_PAIR(PAIR_OK);
	case TI_FAILED:
		return COLOR_PAIR(PAIR_FAIL) | A_BOLD;
	case TI_UPSTREAM_FAILED:
		return COLOR_PAIR(PAIR_UPFAIL) | A_BOLD;
	case TI_RUNNING:
	case TI_DEFERRED:
		return COLOR_PAIR(PAIR_RUN);
	case TI_QUEUED:
	case TI_SCHEDULED:
	case TI_UP_FOR_RETRY:
	case TI_UP_FOR_RESCHEDULE:
		return COLOR_PAIR(PAIR_WAIT);
	case TI_SKIPPED:
		return COLOR_PAIR(PAIR_SKIP);
	default:
		return A_NORMAL;
	}
}

/*
 * Text from outside, defused, in at most maxcols columns; when it is cut
 * and mark is not NULL, the last column holds the mark.
 */
static void
put_fit(WINDOW *w, const char *s, int maxcols, const char *mark)
{
	struct buf	b = BUF_INIT;
	size_t		used, n;

	if (maxcols <= 0 || s == NULL)
		return;
	sanitize_append(&b, s, strlen(s), SAN_SHOW_ESCAPES);
	n = text_fit(buf_str(&b), b.len, (size_t)maxcols, &used);
	if (n < b.len && mark != NULL) {
		n = text_fit(buf_str(&b), b.len, (size_t)maxcols - 1, &used);
		waddnstr(w, buf_str(&b), (int)n);
		waddstr(w, mark);
	} else
		waddnstr(w, buf_str(&b), (int)n);
	buf_free(&b);
}

void
ui_put(WINDOW *w, const char *s, int maxcols)
{
	put_fit(w, s, maxcols, NULL);
}

void
ui_frame(WINDOW *w, const char *title, bool focused, bool ascii)
{
	int h, wd;

	getmaxyx(w, h, wd);
	(void)h;
	if (ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
	if (wd > 4) {
		wattron(w, focused ? A_BOLD | A_REVERSE : A_BOLD);
		mvwaddch(w, 0, 2, ' ');
		ui_put(w, title, wd - 6);
		waddch(w, ' ');
		wattroff(w, focused ? A_BOLD | A_REVERSE : A_BOLD);
	}
}

attr_t
ui_log_attr(bool error, bool warning)
{
	if (error)
		return have_color ? COLOR_PAIR(PAIR_FAIL) | A_BOLD : A_BOLD;
	if (warning && have_color)
		return COLOR_PAIR(PAIR_WAIT);
	return A_NORMAL;
}

void
ui_put_cut(WINDOW *w, const char *s, int maxcols, bool ascii)
{
	put_fit(w, s, maxcols, ascii ? "~" : "\xe2\x80\xa6");
}
