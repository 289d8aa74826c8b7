/*
 * logspool.h: a task log kept on disk, not in memory.  The text (already
 * converted to display lines, not yet sanitised) goes to an unlinked
 * temporary file of mode 0600; memory holds only the sparse line index
 * (logindex.h) and one window of the file around what is on screen.  That is how
 * a 200 MB log stays within the pane's memory budget.
 */
#ifndef DAGTOP_LOGSPOOL_H
#define DAGTOP_LOGSPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "logindex.h"

/* A log spool's size cap (MiB) unless log_spool_max says otherwise
   (config_table.c writes the same default, and a test holds them together). */
#define LOG_SPOOL_MAX_DEFAULT	4096

struct logspool {
	int		 fd;
	uint64_t	 size;
	struct logindex	 idx;
	char		*win;		/* a window of the file */
	uint64_t	 win_off;
	size_t		 win_len;
	size_t		 win_cap;
	struct buf	 line;		/* a line longer than the window */
	bool		 found_ok;	/* the line found last: */
	uint64_t	 found_line;
	uint64_t	 found_off;
	uint64_t	 max;		/* bytes kept at most, 0 no cap */
	bool		 max_by_space;	/* max is half the free space */
	bool		 cut;		/* the log went past max */
	uint64_t	 cut_at;
};

/* Opens an empty spool in $TMPDIR (or /tmp); -1 with the reason in err. */
int		 logspool_open(struct logspool *, struct buf *err);
void		 logspool_close(struct logspool *);
/* Empties the spool for a new log. */
void		 logspool_reset(struct logspool *);
/*
 * Caps the spool at max bytes, or at half the free space of its folder
 * when that is less (never below 1 MiB).
 */
void		 logspool_set_max(struct logspool *, uint64_t max);
/*
 * Appends text; -1 when the disk refuses it (full).  Past the cap it keeps
 * what fits, ends the text with a line saying where it was cut and why,
 * and returns 1, as it does for everything appended after.
 */
int		 logspool_append(struct logspool *, const char *, size_t);
/* The text went past the cap (logspool_append returned 1). */
bool		 logspool_cut(const struct logspool *);
size_t		 logspool_lines(const struct logspool *);
uint64_t	 logspool_bytes(const struct logspool *);
/*
 * Line i without its newline, at most max bytes of it (*len), and its whole
 * length in *full_len.  The pointer is valid until the next call.  Returns
 * NULL when i is out of range or the file cannot be read.
 */
const char	*logspool_line(struct logspool *, size_t i, size_t max,
		    size_t *len, uint64_t *full_len);

#endif
