/*
 * view.h: which panes a screen shows and how they split, read from
 * views/NAME.view.  Pure: text in, a layout tree and file:line messages out;
 * view_layout() turns it into rectangles for a terminal size.
 *
 * Format, one directive per line; '#' starts a comment that runs to the end
 * of the line; blank lines are ignored:
 *
 *	min-size WxH		below this size the console says "terminal
 *				too small (need WxH)"; W >= 20, H >= 8;
 *				default 60x16
 *	screen [NAME]		starts a screen; a view has one or more and
 *				shows one at a time
 *	row [PCT%] [min N]	starts a row of the current screen, PCT% of
 *				its height; rows without a percentage share
 *				what is left equally; min: at least N lines
 *				when the other rows can spare them
 *	pane KIND [PCT%] [min N] [collapse]
 *				a pane of the current row, PCT% of its width,
 *				same sharing rule; min: at least N columns
 *				when its siblings can spare them; collapse:
 *				while the pane has nothing to show it takes
 *				no space, its siblings share it (a row whose
 *				panes all collapse gives its lines to the
 *				other rows)
 *
 * A pane before any row starts one row, a row before any screen one screen.
 * Pane kinds: runs, tasks, log, details, help, sla, fourkeys, slots,
 * sla-week.
 * The words after KIND (or row) come in any order.  N is 1 to 1000.
 * Percentages are 1% to 100%, and the explicit ones of a row, or of the
 * rows of a screen, add up to at most 100%.  Every screen and every row
 * needs a pane.
 *
 * next-pane (Tab) moves the focus among the panes of the screen shown; in a
 * view whose screens have one pane each it moves to the next screen.
 *
 * Errors read "file:line: message", for example:
 *	x.view:2: min-size must be WxH with W >= 20 and H >= 8, not '10x5'
 *	x.view:3: 'row' takes a percentage from 1% to 100%, not '150%'
 *	x.view:4: unknown pane kind 'graph'
 *	x.view:5: a pane takes a percentage from 1% to 100%, not '0%'
 *	x.view:6: unknown directive 'split'
 *	x.view:6: 'min' takes a number from 1 to 1000, not 'x'
 *	x.view:6: a pane takes a percentage, min N and collapse, not 'fold'
 *	x.view:7: the panes of this row ask for more than 100%
 *	x.view:8: the rows of a screen ask for more than 100%
 *	x.view:9: a row has no pane
 *	x.view:10: a screen has no pane 'log'
 *	x.view:11: the view has no pane
 */
#ifndef DAGTOP_VIEW_H
#define DAGTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum pane_kind {
	PANE_RUNS, PANE_TASKS, PANE_LOG, PANE_DETAILS, PANE_HELP, PANE_SLA,
	PANE_FOURKEYS, PANE_SLOTS, PANE_SLA_WEEK, PANE_KIND_COUNT
};

struct view_pane {
	enum pane_kind	 kind;
	int		 pct;	/* 0: share what is left */
	int		 min;	/* columns; 0: none */
	bool		 collapse;	/* no space while it has nothing */
};

struct view_row {
	int			 pct;
	int			 min;	/* lines; 0: none */
	int			 line;	/* where it was declared, for messages */
	struct view_pane	*panes;
	size_t			 npanes;
};

struct view_screen {
	char		*name;
	int		 line;	/* where it was declared, for messages */
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
 * The rectangles of one screen in the area (x, y, w, h), in file order:
 * they tile it exactly, with no gap and no overlap, rounding remainders
 * going to the last row and the last pane of a row.  Every row is at least
 * one line high when h is at least the number of rows, and every pane at
 * least one column wide when w is at least the number of panes in its row
 * (the space comes from the largest sibling).  Then a part below its min
 * takes what its siblings have above theirs (and above one), the largest
 * first.  Returns how many were written (at most max); 0 for an empty area
 * or a screen past the last.
 */
size_t		 view_layout(const struct view *, size_t screen, int x, int y,
		    int w, int h, struct pane_rect *, size_t max);
/*
 * The same for what the panes have now: empty[kind] (PANE_KIND_COUNT of
 * them; NULL: none) says which kinds have nothing to show.  A collapse
 * pane of an empty kind is written with no size (w and h 0) at the place
 * it would start, and the rest of its row is laid out without it; a row
 * whose panes are all collapsed gets no lines, the other rows are laid out
 * without it.  When every row of the screen would go, nothing collapses.
 * Panes keep their file order and index, collapsed or not.
 */
size_t		 view_layout_fit(const struct view *, size_t screen, int x,
		    int y, int w, int h, const bool *empty, struct pane_rect *,
		    size_t max);

#endif
