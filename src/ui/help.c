/*
 * help.c: the help screen: the command table's lines with the keys of the
 * keymap in force, scrolled with the move keys and filtered with / as you
 * type; back keys leave it, and never quit.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "sanitize.h"

/* needle in hay, ASCII letters in any case; an empty needle is in all. */
static bool
has_text(const char *hay, const char *needle)
{
	size_t i;

	if (*needle == '\0')
		return true;
	for (; *hay != '\0'; hay++) {
		for (i = 0; needle[i] != '\0' && tolower((unsigned char)hay[i]) ==
		    tolower((unsigned char)needle[i]); i++)
			;
		if (needle[i] == '\0')
			return true;
	}
	return false;
}

/*
 * Help's line for command i: its keys in the keymap in force (": NAME"
 * for a : command); false when no key runs it or the filter leaves it out.
 */
static bool
help_entry(const struct app *a, size_t i, struct buf *keys)
{
	enum action act = command_nth_action(i);

	buf_reset(keys);
	if (act != ACTION_NONE)
		keymap_keys_for(&a->c.keymap, act, keys);
	else
		buf_printf(keys, ":%s NAME", command_nth_name(i));
	return keys->len > 0 && (has_text(buf_str(keys), a->help_filter) ||
	    has_text(command_nth_name(i), a->help_filter) ||
	    has_text(command_nth_help(i), a->help_filter));
}

/*
 * The help screen: the command table's lines that the filter leaves, from
 * help_top on; the title says which lines are shown of how many, the
 * bottom border the filter and whether more lines follow.
 */
void
app_draw_help(struct app *a, int y, int w, int h)
{
	struct console	*c = &a->c;
	WINDOW		*win;
	struct buf	 keys = BUF_INIT, t = BUF_INIT;
	size_t		*match, n = 0, i, rows;
	int		 kw, row;

	if (h < 3 || w < 20 || (win = newwin(h, w, y, 0)) == NULL)
		return;
	/* The keys' column as wide as its widest, up to a third. */
	match = xcalloc(command_count(), sizeof *match);
	for (kw = 4, i = 0; i < command_count(); i++) {
		if (!help_entry(a, i, &keys))
			continue;
		match[n++] = i;
		if ((int)text_width(buf_str(&keys), keys.len) > kw)
			kw = (int)text_width(buf_str(&keys), keys.len);
	}
	if (kw > w / 3)
		kw = w / 3;
	rows = (size_t)h - 2;
	if (a->help_top + rows > n)
		a->help_top = n > rows ? n - rows : 0;
	a->help_rows = rows;
	a->help_lines = n;
	if (n == 0)
		buf_puts(&t, "keys: none match");
	else
		buf_printf(&t, "keys %zu-%zu of %zu", a->help_top + 1,
		    a->help_top + (n < rows ? n : rows), n);
	ui_frame(win, buf_str(&t), true, c->ascii);
	for (row = 1; row <= (int)rows && a->help_top + (size_t)row - 1 < n;
	    row++) {
		i = match[a->help_top + (size_t)row - 1];
		help_entry(a, i, &keys);
		wmove(win, row, 2);
		wattron(win, A_BOLD);
		ui_put_cut(win, buf_str(&keys), kw, c->ascii);
		wattroff(win, A_BOLD);
		/* Narrow: what the key does before the action's name. */
		if (w >= 60) {
			wmove(win, row, kw + 3);
			ui_put_cut(win, command_nth_name(i), 13, c->ascii);
		}
		wmove(win, row, kw + (w >= 60 ? 17 : 3));
		ui_put_cut(win, command_nth_help(i), w - kw - (w >= 60 ? 19 : 5),
		    c->ascii);
	}
	/* The bottom border: the filter, and what is below. */
	buf_reset(&t);
	if (a->help_typing || a->help_filter[0] != '\0')
		buf_printf(&t, " /%s%s ", a->help_filter, a->help_typing ?
		    "_" : "");
	if (t.len > 0) {
		wmove(win, h - 1, 2);
		ui_put_cut(win, buf_str(&t), w - 16, c->ascii);
	}
	if (a->help_top + rows < n)
		mvwprintw(win, h - 1, w - 12, " %zu more %s ", n - a->help_top -
		    rows, c->ascii ? "v" : "\xe2\x86\x93");
	wnoutrefresh(win);
	delwin(win);
	free(match);
	buf_free(&keys);
	buf_free(&t);
}

bool
app_help_key(struct app *a, int key, enum action act)
{
	size_t	 page = a->help_rows > 1 ? a->help_rows - 1 : 1;
	size_t	 last = a->help_lines > a->help_rows ? a->help_lines -
		    a->help_rows : 0, len = strlen(a->help_filter);
	struct buf ch = BUF_INIT;

	if (a->help_typing) {
		if (key == KEYC_ENTER || key == KEYC_ESC) {
			if (key == KEYC_ESC)
				a->help_filter[0] = '\0';
			a->help_typing = false;
			return false;
		}
		if (key == KEYC_BACKSPACE || key == 8) {
			while (len > 0 && ((unsigned char)a->help_filter[--len] &
			    0xc0) == 0x80)
				;
			a->help_filter[len] = '\0';
			a->help_top = 0;
			return false;
		}
		if (key >= 0x20 && key < KEYC_BASE) {
			if (key == ' ')
				buf_putc(&ch, ' ');
			else
				keymap_key_name(key, &ch);
			if (len + ch.len < sizeof a->help_filter)
				memcpy(a->help_filter + len, ch.data, ch.len + 1);
			buf_free(&ch);
			a->help_top = 0;
			return false;
		}
		/* Named keys (arrows, pages) still scroll. */
	}
	switch (act) {
	case ACTION_DOWN:
		a->help_top += a->help_top < last;
		break;
	case ACTION_UP:
		a->help_top -= a->help_top > 0;
		break;
	case ACTION_PAGE_DOWN:
		a->help_top = a->help_top + page < last ? a->help_top + page :
		    last;
		break;
	case ACTION_PAGE_UP:
		a->help_top = a->help_top > page ? a->help_top - page : 0;
		break;
	case ACTION_TOP:
		a->help_top = 0;
		break;
	case ACTION_BOTTOM:
		a->help_top = last;
		break;
	case ACTION_FILTER:
		a->help_typing = true;
		break;
	case ACTION_QUIT:
		return true;
	case ACTION_BACK:
	case ACTION_BACK_OR_QUIT:
		/* Back clears the filter first, then leaves help. */
		if (a->help_filter[0] != '\0') {
			a->help_filter[0] = '\0';
			a->help_top = 0;
			break;
		}
		/* FALLTHROUGH */
	case ACTION_HELP:
		a->help = a->help_typing = false;
		a->help_filter[0] = '\0';
		a->help_top = 0;
		break;
	default:
		break;
	}
	return false;
}

