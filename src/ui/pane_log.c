/*
 * pane_log.c: the selected task instance's log.  Lines come from the
 * spool of the fetch in flight (airflow_log.h) and pass the sanitiser one
 * by one as they are drawn, so a 200 MB log costs a screenful of work per
 * draw.  The pane follows the bottom until the user scrolls up; search and
 * "first error" scan in slices (logpane_scan_step) so that a long scan never
 * holds a key.
 */
#include <stdlib.h>
#include <string.h>

#include "airflow_log.h"
#include "logindex.h"
#include "logtext.h"
#include "loop.h"
#include "sanitize.h"
#include "ui.h"

#define SCAN_SLICE	20000		/* lines scanned per loop turn */

/* Line i, sanitised, timestamps hidden if asked; severity of the raw line. */
static bool
get_line(struct console *c, size_t i, struct buf *out, int *sev)
{
	struct logpane	*lp = &c->log;
	const char	*s;
	size_t		 len, skip = 0;
	uint64_t	 full;

	buf_reset(out);
	s = logspool_line(logfetch_spool(lp->fetch), i, LOGTEXT_LINE_MAX, &len,
	    &full);
	if (s == NULL)
		return false;
	if (sev != NULL)
		*sev = logtext_severity(s, len);
	if (full > len)
		len = logtext_cut(s, len);
	if (!lp->timestamps)
		skip = logtext_timestamp_prefix(s, len);
	sanitize_append(out, s + skip, len - skip, SAN_TABS);
	if (full > len)
		logtext_more(out, (unsigned long long)(full - len), c->ascii);
	return true;
}

/* Rows line text takes in the pane. */
static size_t
line_rows(const struct logpane *lp, const struct buf *text, size_t cols)
{
	if (!lp->wrap || cols == 0)
		return 1;
	return logwrap_rows(buf_str(text), text->len, cols);
}

/* Puts s[0..len) (sanitised) with search matches reversed. */
static void
put_highlighted(struct console *c, WINDOW *w, const char *s, size_t len,
    size_t line_off, const char *whole, size_t whole_len)
{
	struct logpane	*lp = &c->log;
	size_t		 pos = 0, moff, mlen;

	while (pos < len) {
		size_t upto = len;
		bool hit = false;

		if (lp->has_search && logsearch_next_match(&lp->search, whole,
		    whole_len, line_off + pos, &moff, &mlen) && mlen > 0) {
			if (moff < line_off + pos)
				moff = line_off + pos;
			if (moff < line_off + len) {
				if (moff > line_off + pos)
					upto = moff - line_off;
				else {
					hit = true;
					upto = moff + mlen - line_off;
					if (upto > len)
						upto = len;
				}
			}
		}
		if (hit)
			wattron(w, A_REVERSE);
		if (c->ascii) {
			for (size_t k = pos; k < upto; k++)
				waddch(w, (unsigned char)s[k] < 0x80 ?
				    (chtype)(unsigned char)s[k] :
				    ((unsigned char)s[k] & 0xc0) == 0x80 ? 0 :
				    '?');
		} else
			waddnstr(w, s + pos, (int)(upto - pos));
		if (hit)
			wattroff(w, A_REVERSE);
		pos = upto;
	}
}

static void
title(struct console *c, struct buf *b)
{
	struct logpane *lp = &c->log;
	char		try[24];

	buf_puts(b, "log");
	if (lp->task_id == NULL)
		return;
	buf_printf(b, " %s", lp->task_id);
	if (lp->map_index >= 0)
		buf_printf(b, "[%d]", lp->map_index);
	/* "try 2 of 3" as everywhere; an older try than the newest says so. */
	ti_try_text(try, sizeof try, lp->try_number, lp->max_tries);
	buf_printf(b, " try %s", try);
	if (lp->latest_try > lp->try_number)
		buf_printf(b, " (newest %d)", lp->latest_try);
	if (lp->fetch == NULL)
		return;
	/* Before the source, which may be a long path. */
	if (logspool_cut(logfetch_spool(lp->fetch)))
		buf_puts(b, "  CUT");
	buf_printf(b, "  %s  %zu lines", logfetch_source(lp->fetch),
	    logspool_lines(logfetch_spool(lp->fetch)));
	switch (logfetch_state(lp->fetch)) {
	case LOGF_LOADING:
		buf_puts(b, "  reading...");
		break;
	case LOGF_FOLLOWING:
		buf_puts(b, lp->stick ? "  following" : "  following (paused)");
		break;
	default:
		break;
	}
	if (lp->wrap)
		buf_puts(b, "  wrap");
}

/* The top line and row that put the last line at the bottom. */
static void
bottom_position(struct console *c, size_t n, size_t rows, size_t cols,
    size_t *top, size_t *top_row)
{
	struct buf	text = BUF_INIT;
	size_t		used = 0, i = n;

	*top = n > rows ? n - rows : 0;
	*top_row = 0;
	if (!c->log.wrap)
		return;
	while (i > 0) {
		size_t r;

		get_line(c, i - 1, &text, NULL);
		r = line_rows(&c->log, &text, cols);
		if (used + r >= rows) {
			*top = i - 1;
			*top_row = used + r - rows;
			break;
		}
		used += r;
		i--;
		*top = i;
	}
	buf_free(&text);
}

/*
 * DAGTOP_TRACE_LOG=FILE: the bench's probe.  Appends how long after the
 * first body bytes (and after the request) the first lines were drawn.
 */
static void
trace_first_line(struct logpane *lp)
{
	const char	*path = getenv("DAGTOP_TRACE_LOG");
	int64_t		 start, first, now = loop_now_ms();
	FILE		*fp;

	lp->traced = true;
	if (path == NULL || *path == '\0')
		return;
	logfetch_times(lp->fetch, &start, &first);
	if ((fp = fopen(path, "ae")) == NULL)
		return;
	fprintf(fp, "first_line_after_response_ms %lld\n"
	    "first_line_after_request_ms %lld\n",
	    (long long)(first > 0 ? now - first : -1),
	    (long long)(now - start));
	fclose(fp);
}

/*
 * No log to show: the instance's fields and why there is no log, or the
 * line that says where a log will show.
 */
static void
draw_no_log(struct console *c, WINDOW *w, int h, size_t rows, size_t cols,
    bool focused)
{
	struct logpane *lp = &c->log;

	if (lp->task_id != NULL && rows >= 3) {
		pane_details_ops.draw(c, NULL, w, focused);
		wattron(w, A_DIM);
		mvwhline(w, h - 2, 1, ' ', (int)cols);
		wmove(w, h - 2, 1);
		ui_put(w, buf_str(&lp->note), (int)cols);
		wattroff(w, A_DIM);
		return;
	}
	wmove(w, 1, 1);
	ui_put(w, lp->note.len > 0 ? buf_str(&lp->note) :
	    "The selected task's log shows here.", (int)cols);
}

/* The fetch failed: why, and the key that fetches it again. */
static void
draw_failed(struct console *c, WINDOW *w, size_t rows, size_t cols)
{
	struct logpane	*lp = &c->log;
	struct buf	 b = BUF_INIT, keys = BUF_INIT;

	wmove(w, 1, 1);
	wattron(w, A_BOLD);
	ui_put(w, logfetch_error(lp->fetch), (int)cols);
	wattroff(w, A_BOLD);
	if (rows <= 1)
		return;
	keymap_keys_for(&c->keymap, ACTION_REFRESH, &keys);
	keys.len = strcspn(buf_str(&keys), ",");
	buf_printf(&b, "%.*s fetches it again", (int)keys.len, buf_str(&keys));
	buf_free(&keys);
	wmove(w, 2, 1);
	ui_put(w, buf_str(&b), (int)cols);
	buf_free(&b);
}

/*
 * Line i of the log (text) from row y on: wrapped over as many rows as it
 * takes (the first, lp->top's, from lp->top_row), or one row scrolled
 * sideways by lp->hscroll.  Returns the next row.
 */
static int
draw_log_line(struct console *c, WINDOW *w, size_t i, const struct buf *text,
    int y, size_t rows, size_t cols)
{
	struct logpane *lp = &c->log;

	if (lp->wrap) {
		size_t r = i == lp->top ? lp->top_row : 0;
		size_t nr = line_rows(lp, text, cols);

		for (; r < nr && y <= (int)rows; r++, y++) {
			size_t s0 = logwrap_row_start(buf_str(text),
			    text->len, cols, r);
			size_t s1 = r + 1 < nr ? logwrap_row_start(
			    buf_str(text), text->len, cols, r + 1) :
			    text->len;

			wmove(w, y, 1);
			put_highlighted(c, w, text->data + s0, s1 - s0, s0,
			    buf_str(text), text->len);
		}
	} else {
		size_t skip = text_fit(buf_str(text), text->len, lp->hscroll,
		    NULL);
		size_t fit = text_fit(buf_str(text) + skip, text->len - skip,
		    cols, NULL);

		wmove(w, y, 1);
		put_highlighted(c, w, buf_str(text) + skip, fit, skip,
		    buf_str(text), text->len);
		y++;
	}
	return y;
}

static void
log_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct logpane	*lp = &c->log;
	struct buf	 b = BUF_INIT, text = BUF_INIT;
	int		 h, wd, y;
	size_t		 n, i, rows, cols;

	(void)priv;
	getmaxyx(w, h, wd);
	werase(w);
	title(c, &b);
	ui_frame(w, buf_str(&b), focused, c->ascii);
	buf_free(&b);
	rows = h > 2 ? (size_t)(h - 2) : 0;
	cols = wd > 2 ? (size_t)(wd - 2) : 0;
	lp->rows = (int)rows;
	lp->cols = (int)cols;
	if (lp->fetch == NULL) {
		draw_no_log(c, w, h, rows, cols, focused);
		return;
	}
	n = logspool_lines(logfetch_spool(lp->fetch));
	if (logfetch_state(lp->fetch) == LOGF_FAILED) {
		draw_failed(c, w, rows, cols);
		if (n == 0)
			return;
	}
	if (n > 0 && !lp->traced)
		trace_first_line(lp);
	if (lp->stick)
		bottom_position(c, n, rows, cols, &lp->top, &lp->top_row);
	if (lp->top >= n)
		lp->top = n > 0 ? n - 1 : 0;
	y = 1;
	for (i = lp->top; i < n && y <= (int)rows; i++) {
		int	sev = LOG_SEV_NONE;
		attr_t	a;

		if (!get_line(c, i, &text, &sev))
			break;
		a = ui_log_attr(sev == LOG_SEV_ERROR, sev == LOG_SEV_WARNING);
		if (lp->has_match && i == lp->match)
			a |= A_UNDERLINE;
		wattron(w, a);
		y = draw_log_line(c, w, i, &text, y, rows, cols);
		wattroff(w, a);
	}
	if (n == 0 && logfetch_state(lp->fetch) != LOGF_FAILED) {
		wmove(w, 1, 1);
		ui_put(w, logfetch_state(lp->fetch) == LOGF_DONE ?
		    "(the log is empty)" : "reading...", (int)cols);
	}
	buf_free(&text);
}

/* Starts a scan for the search (dir 1 or -1) or the first error. */
static void
start_scan(struct console *c, int kind, int dir, size_t from)
{
	c->log.scan_wrapped = false;
	c->log.scan = kind;
	c->log.scan_dir = dir;
	c->log.scan_at = from;
	c->log.scan_from = from;
}

void
logpane_search(struct console *c, int dir)
{
	struct logpane *lp = &c->log;
	size_t from;

	if (!lp->has_search || lp->fetch == NULL)
		return;
	if (lp->has_match)
		from = dir > 0 ? lp->match + 1 : (lp->match > 0 ?
		    lp->match - 1 : (size_t)-1);
	else
		from = lp->top;
	start_scan(c, LOGSCAN_SEARCH, dir, from);
}

bool
logpane_scan_step(struct console *c)
{
	struct logpane	*lp = &c->log;
	struct buf	 text = BUF_INIT;
	size_t		 n, k, moff, mlen;

	if (lp->scan == LOGSCAN_NONE || lp->fetch == NULL) {
		lp->scan = LOGSCAN_NONE;
		return false;
	}
	n = logspool_lines(logfetch_spool(lp->fetch));
	for (k = 0; k < SCAN_SLICE; k++) {
		size_t	i = lp->scan_at;
		int	sev;
		bool	hit;

		if (i >= n && !lp->scan_wrapped && !lp->scan_kind_error &&
		    n > 0) {
			/* Past an end: go on from the other one, as vim does. */
			lp->scan_wrapped = true;
			lp->scan_at = lp->scan_dir > 0 ? 0 : n - 1;
			continue;
		}
		/* Off an end again, or all the way round: no match. */
		if (i >= n || (lp->scan_wrapped && i == lp->scan_from)) {
			lp->scan = LOGSCAN_NONE;
			buf_reset(&lp->said);
			if (lp->scan_kind_error)
				buf_puts(&lp->said, "no ERROR or Traceback in "
				    "this log");
			else
				buf_puts(&lp->said, "no match in this log");
			buf_free(&text);
			return false;
		}
		if (!get_line(c, i, &text, &sev))
			break;
		hit = lp->scan_kind_error ? sev == LOG_SEV_ERROR :
		    logsearch_match(&lp->search, buf_str(&text), text.len,
		    &moff, &mlen);
		if (hit) {
			lp->match = i;
			lp->has_match = true;
			lp->stick = false;
			/* A match past the right edge: scroll it into view. */
			if (!lp->wrap && !lp->scan_kind_error && lp->cols > 0) {
				size_t col = text_width(buf_str(&text), moff);
				size_t mw = text_width(buf_str(&text) + moff,
				    mlen);

				if (col < lp->hscroll ||
				    col + mw > lp->hscroll + (size_t)lp->cols)
					lp->hscroll = col > (size_t)lp->cols / 3 ?
					    col - (size_t)lp->cols / 3 : 0;
			}
			lp->top = i > (size_t)lp->rows / 3 ?
			    i - (size_t)lp->rows / 3 : 0;
			lp->top_row = 0;
			lp->scan = LOGSCAN_NONE;
			buf_reset(&lp->said);
			buf_printf(&lp->said, "%s at line %zu of %zu%s",
			    lp->scan_kind_error ? "first error" : "match",
			    i + 1, n, lp->scan_wrapped ? " (search wrapped)" :
			    "");
			buf_free(&text);
			return false;
		}
		lp->scan_at = lp->scan_dir > 0 ? i + 1 : i - 1;
	}
	buf_free(&text);
	return true;
}

static enum pane_result
log_key(struct console *c, void *priv, enum action act)
{
	struct logpane	*lp = &c->log;
	size_t		 n = lp->fetch != NULL ?
			    logspool_lines(logfetch_spool(lp->fetch)) : 0;
	size_t		 page = lp->rows > 1 ? (size_t)lp->rows - 1 : 1;

	(void)priv;
	switch (act) {
	case ACTION_DOWN:
	case ACTION_PAGE_DOWN: {
		size_t step = act == ACTION_DOWN ? 1 : page;

		lp->top_row = 0;
		lp->top = lp->top + step < n ? lp->top + step :
		    (n > 0 ? n - 1 : 0);
		/* Back at the bottom: follow again. */
		lp->stick = lp->top + (size_t)lp->rows >= n;
		return PANE_HANDLED;
	}
	case ACTION_UP:
	case ACTION_PAGE_UP: {
		size_t step = act == ACTION_UP ? 1 : page;

		lp->stick = false;
		lp->top_row = 0;
		lp->top = lp->top > step ? lp->top - step : 0;
		return PANE_HANDLED;
	}
	case ACTION_TOP:
		lp->stick = false;
		lp->top = lp->top_row = 0;
		return PANE_HANDLED;
	case ACTION_BOTTOM:
	case ACTION_FOLLOW:
		lp->stick = true;
		return PANE_HANDLED;
	case ACTION_LEFT:
		lp->hscroll = lp->hscroll > 8 ? lp->hscroll - 8 : 0;
		return PANE_HANDLED;
	case ACTION_RIGHT:
		if (!lp->wrap)
			lp->hscroll += 8;
		return PANE_HANDLED;
	case ACTION_WRAP:
		lp->wrap = !lp->wrap;
		lp->hscroll = 0;
		lp->top_row = 0;
		return PANE_HANDLED;
	case ACTION_TIMESTAMPS:
		lp->timestamps = !lp->timestamps;
		return PANE_HANDLED;
	case ACTION_SEARCH_NEXT:
	case ACTION_SEARCH_PREV:
		if (!lp->has_search)
			return PANE_HANDLED;
		lp->scan_kind_error = false;
		logpane_search(c, act == ACTION_SEARCH_NEXT ? 1 : -1);
		return PANE_LOG_SCAN;
	case ACTION_JUMP_ERROR:
		if (lp->fetch == NULL)
			return PANE_HANDLED;
		lp->scan_kind_error = true;
		start_scan(c, LOGSCAN_ERROR, 1, 0);
		return PANE_LOG_SCAN;
	case ACTION_PREV_TRY:
		if (lp->task_id == NULL || lp->try_number <= 1)
			return PANE_HANDLED;
		lp->try_number--;
		lp->pinned_try = true;
		return PANE_LOG_REFETCH;
	case ACTION_NEXT_TRY:
		if (lp->task_id == NULL || lp->try_number >= lp->latest_try)
			return PANE_HANDLED;
		lp->try_number++;
		lp->pinned_try = lp->try_number < lp->latest_try;
		return PANE_LOG_REFETCH;
	case ACTION_SAVE:
		return lp->fetch != NULL ? PANE_LOG_SAVE : PANE_HANDLED;
	case ACTION_PAGER:
		return lp->fetch != NULL ? PANE_LOG_PAGER : PANE_HANDLED;
	default:
		return PANE_IGNORED;
	}
}

int
logpane_write(struct console *c, FILE *fp)
{
	struct logpane	*lp = &c->log;
	struct buf	 text = BUF_INIT;
	size_t		 i, n;

	if (lp->fetch == NULL)
		return 0;
	n = logspool_lines(logfetch_spool(lp->fetch));
	for (i = 0; i < n; i++) {
		if (!get_line(c, i, &text, NULL))
			break;
		buf_putc(&text, '\n');
		if (fwrite(text.data, 1, text.len, fp) != text.len) {
			buf_free(&text);
			return -1;
		}
	}
	buf_free(&text);
	return 0;
}

/* No task selected: no log to show. */
static bool
log_empty(const struct console *c, const void *priv)
{
	(void)priv;
	return c->log.task_id == NULL;
}

const struct pane_ops pane_log_ops = {
	.draw = log_draw,
	.key = log_key,
	.empty = log_empty,
};
