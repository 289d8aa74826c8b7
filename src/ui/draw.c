/* draw.c: what every pane draws with: colours, frames, defused text. */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "logindex.h"
#include "sanitize.h"
#include "ui.h"

enum { PAIR_OK = 1, PAIR_FAIL, PAIR_RUN, PAIR_WAIT, PAIR_SKIP, PAIR_UPFAIL };

static bool have_color;
static bool ascii_marks;	/* '~' for a cut, not '…' */

void
ui_set_ascii(bool ascii)
{
	ascii_marks = ascii;
}

/* The mark that ends a cut. */
static const char *
cut_mark(bool ascii)
{
	return ascii ? "~" : "\xe2\x80\xa6";
}

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
	put_fit(w, s, maxcols, cut_mark(ascii_marks));
}

/*
 * An id in exactly width columns (padded with blanks): cut with its head,
 * the mark and its last tail columns (cols_tail) when it does not fit.
 */
void
ui_put_id(WINDOW *w, const char *s, int width, int tail)
{
	struct buf	b = BUF_INIT;
	size_t		used, n, t, cols;
	int		x, y;

	if (width <= 0)
		return;
	getyx(w, y, x);
	sanitize_append(&b, s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    SAN_SHOW_ESCAPES);
	n = text_fit(buf_str(&b), b.len, (size_t)width, &used);
	if (n < b.len && tail > 0 && tail < width) {
		/* The tail: back over tail characters (not continuation bytes). */
		for (t = b.len, cols = 0; t > 0 && cols < (size_t)tail; t--)
			if (((unsigned char)b.data[t - 1] & 0xc0) != 0x80)
				cols++;
		/* As cols_cut: the tail starts at a word when one is near. */
		for (n = 0; n < 8 && t > n && (size_t)tail + n + 4 <=
		    (size_t)width; n++)
			if (strchr("_-.", b.data[t - n]) != NULL) {
				t -= n;
				cols += n;
				break;
			}
		n = text_fit(buf_str(&b), t, (size_t)width - 1 - cols, &used);
		waddnstr(w, buf_str(&b), (int)n);
		waddstr(w, cut_mark(ascii_marks));
		waddnstr(w, buf_str(&b) + t, (int)(b.len - t));
	} else
		put_fit(w, s, width, cut_mark(ascii_marks));
	wmove(w, y, x + width);
	buf_free(&b);
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

/* Columns of the bottom line a list's foot may take: " foot " left of "v". */
static int
foot_room(int wd)
{
	return wd - 8;
}

#define FOOT_ROWS_MAX	2

/*
 * Lays the foot out: the rest that fits the bottom line, and before it up
 * to FOOT_ROWS_MAX rows above, each filled (broken at a blank in its
 * second half when there is one, "id · state" kept together).  Draws when
 * draw is true; returns the rows above it takes.
 */
static int
lay_foot(WINDOW *w, const char *foot, int h, int wd, bool draw)
{
	struct buf	 b = BUF_INIT;
	size_t		 used, n, k, off = 0, cut[FOOT_ROWS_MAX + 1];
	int		 rows = 0, i;

	if (foot == NULL || h < 6 || foot_room(wd) <= 0)
		return 0;
	sanitize_append(&b, foot, strlen(foot), SAN_SHOW_ESCAPES);
	for (;;) {
		text_fit(b.data + off, b.len - off, SIZE_MAX, &used);
		if (used <= (size_t)foot_room(wd) || rows == FOOT_ROWS_MAX)
			break;
		n = text_fit(b.data + off, b.len - off, (size_t)(wd - 2), &used);
		for (k = n; off + k < b.len && k > (size_t)(wd - 2) / 2; k--)
			if (b.data[off + k] == ' ') {
				/* Not after a lone separator: " · failed". */
				if (k >= 3 && b.data[off + k - 2] == ' ')
					k -= 2;
				else if (k >= 3 && b.data[off + k - 3] == ' ')
					k -= 3;
				n = k + 1;
				break;
			}
		cut[rows++] = n;
		off += n;
	}
	if (draw) {
		for (i = 0, off = 0; i < rows; i++) {
			mvwhline(w, h - 1 - rows + i, 1, ' ', wd - 2);
			wmove(w, h - 1 - rows + i, 1);
			wattron(w, A_BOLD);
			waddnstr(w, b.data + off, (int)cut[i]);
			wattroff(w, A_BOLD);
			off += cut[i];
		}
		if (off < b.len) {
			wmove(w, h - 1, 2);
			waddch(w, ' ');
			ui_put(w, b.data + off, foot_room(wd));
			waddch(w, ' ');
		}
	}
	buf_free(&b);
	return rows;
}

int
ui_list_foot_rows(WINDOW *w, const char *foot)
{
	int h, wd;

	getmaxyx(w, h, wd);
	return lay_foot(w, foot, h, wd, false);
}

attr_t
ui_cursor_attr(bool focused)
{
	return focused ? A_REVERSE : A_REVERSE | A_DIM;
}

/*
 * A list's frame: the title on the left of the top line, the counter and
 * a mark for rows above on its right; on the bottom line the selected
 * row in full (cut with a mark only when even the frame is too narrow)
 * and a mark for rows below.  Focused, the title starts with a mark too,
 * so that focus reads without colour or attributes.
 */
void
ui_list_frame(WINDOW *w, const struct list_frame *f, bool focused, bool ascii)
{
	char	count[48];
	int	h, wd, cw, x;

	getmaxyx(w, h, wd);
	if (ascii)
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
	else
		box(w, 0, 0);
	snprintf(count, sizeof count, " %zu/%zu %s", f->n > 0 ? f->sel + 1 : 0,
	    f->n, f->top > 0 ? (ascii ? "^ " : "\xe2\x96\xb2 ") : "");
	cw = (int)strlen(count) - (f->top > 0 && !ascii ? 2 : 0);
	if (wd < 12)
		return;
	if (wd - 6 - cw < 8)
		cw = 0;
	wattron(w, focused ? A_BOLD | A_REVERSE : A_BOLD);
	mvwaddch(w, 0, 2, ' ');
	if (focused)
		waddstr(w, ascii ? "> " : "\xe2\x96\xb8 ");
	getyx(w, h, x);
	ui_put(w, f->title, wd - 4 - cw - x);
	waddch(w, ' ');
	wattroff(w, focused ? A_BOLD | A_REVERSE : A_BOLD);
	getmaxyx(w, h, wd);
	if (cw > 0)
		mvwaddstr(w, 0, wd - 1 - cw, count);
	if (h > 2 && f->rows > 0 && f->top + (size_t)f->rows < f->n) {
		wattron(w, A_BOLD);
		mvwaddstr(w, h - 1, wd - 4, ascii ? " v " : " \xe2\x96\xbc ");
		wattroff(w, A_BOLD);
	}
	if (h > 2 && f->foot != NULL && *f->foot != '\0')
		lay_foot(w, f->foot, h, wd, true);
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
	put_fit(w, s, maxcols, cut_mark(ascii));
}

/*
 * Text from outside on up to rows rows of cols columns from (y, x): wrapped
 * at the last space that fits (else where the row is full), never inside a
 * character, and what still does not fit cut with the mark on the last row.  Returns the rows it takes; w
 * NULL only counts them.
 */
int
ui_put_wrap(WINDOW *w, int y, int x, const char *s, int cols, int rows,
    bool ascii)
{
	char	*clean, *part;
	size_t	 len, pos = 0, n;
	int	 r;

	if (cols <= 0 || rows <= 0)
		return 0;
	clean = sanitize_dup(s != NULL ? s : "", SAN_SHOW_ESCAPES);
	len = strlen(clean);
	for (r = 0; r < rows && (pos < len || r == 0); r++) {
		n = r == rows - 1 ? len - pos : logwrap_row_start(clean + pos,
		    len - pos, (size_t)cols, 1);
		if (n == 0 && pos < len)
			n = len - pos;	/* a character wider than cols */
		else if (r < rows - 1 && pos + n < len) {
			size_t k = n;	/* at the last space that fits */

			while (k > 0 && clean[pos + k - 1] != ' ')
				k--;
			if (k > 0)
				n = k;
		}
		if (w != NULL) {
			part = xstrndup(clean + pos, n);
			wmove(w, y + r, x);
			ui_put_cut(w, part, cols, ascii);
			free(part);
		}
		pos += n;
	}
	free(clean);
	return r;
}
