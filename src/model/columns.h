/*
 * columns.h: one rule for the widths of every list's columns, from what
 * they hold, and how to cut ids so that rows stay told apart.
 */
#ifndef DAGTOP_COLUMNS_H
#define DAGTOP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

struct col {
	int	 min;		/* never narrower while shown */
	int	 want;		/* natural width: the widest content */
	int	 prio;		/* lower gets its width first */
	bool	 optional;	/* may be left out (width 0) for want of room */
	int	 width;		/* out: 0 when left out */
};

/*
 * Gives n columns their widths out of avail columns, with gap columns
 * between shown ones.  Required columns are always shown, at least at
 * their minimum (even when that overflows avail: the caller cuts).  Then,
 * in priority order (ties: left to right), a required column grows toward
 * its natural width and an optional one is shown when its minimum still
 * fits, as wide as it wants and the room allows.  So the key column, given
 * the lowest priority, reaches its full width before an optional column
 * appears.  Returns the columns used, gaps included.
 */
int	cols_fit(struct col *, size_t n, int avail, int gap);

/* Where each column starts: from x0, shown ones gap apart. */
void	cols_xs(const struct col *, size_t n, int x0, int gap, int *x);

/*
 * How many trailing columns to keep when ids wider than width are cut
 * (head, a one-column mark, tail): 0 (cut at the end) when that tells the
 * n ids apart, else the shortest tail that does, else 0.  An id is taken
 * one column per byte (Airflow ids are ASCII); NULLs count as empty.
 */
int	cols_tail(const char *const *ids, size_t n, int width);

/* The string cols_tail's cut shows, for tests: head, mark, tail; NUL-ended. */
void	cols_cut(char *out, size_t outsz, const char *id, int width, int tail,
	    const char *mark);

#endif
