/*
 * view.h: which panes a screen shows and how they split, read from
 * views/NAME.view.  Pure: text in, a layout tree and file:line messages out;
 * view_layout() turns it into rectangles for a terminal size.
 *
 * Format, one directive per line; '#' lines are comments:
 *
 *	min-size WxH		below this size the console says "terminal
 *				too small (need WxH)"; default 60x16
 *	screen [NAME]		starts a screen; a view has one or more and
 *				shows one at a time
 *	row [PCT%]		starts a row of the current screen, PCT% of
 *				its height; rows without a percentage share
 *				what is left equally
 *	pane KIND [PCT%]	a pane of the current row, PCT% of its width,
 *				same sharing rule
 *
 * A pane before any row starts one row, a row before any screen one screen.
 * Pane kinds: runs, tasks, log, details, help, sla, fourkeys, slots.
 */
#ifndef DAGTOP_VIEW_H
#define DAGTOP_VIEW_H

#include <stddef.h>

#include "buf.h"

enum pane_kind {
	PANE_RUNS, PANE_TASKS, PANE_LOG, PANE_DETAILS, PANE_HELP, PANE_SLA,
	PANE_FOURKEYS, PANE_SLOTS, PANE_KIND_COUNT
};

struct view_pane {
	enum pane_kind	 kind;
	int		 pct;	/* 0: share what is left */
};

struct view_row {
	int			 pct;
	int			 line;	/* where it was declared, for messages */
	struct view_pane	*panes;
	size_t			 npanes;
};

struct view_screen {
	char		*name;
	struct view_row	*rows;
	size_t		 nrows;
};

struct view {
	char			*name;
	int			 min_w, min_h;
	struct view_screen	*screens;
	size_t			 nscreens;
};

struct pane_rect {
	enum pane_kind	kind;
	int		x, y, w, h;
};

const char	*pane_kind_name(enum pane_kind);
int		 pane_kind_parse(const char *, enum pane_kind *);

/*
 * Parses a view.  Problems go to errors as "file:line: message\n"; returns
 * -1 if there was any (v then holds what could be read, possibly nothing).
 */
int		 view_parse(struct view *, const char *text, size_t len,
		    const char *name, const char *file, struct buf *errors);
void		 view_free(struct view *);

/*
 * The rectangles of one screen in the area (x, y, w, h): they tile it
 * exactly, rounding remainders going to the last row and the last pane of
 * a row.  Returns how many were written (at most max).
 */
size_t		 view_layout(const struct view *, size_t screen, int x, int y,
		    int w, int h, struct pane_rect *, size_t max);

#endif
