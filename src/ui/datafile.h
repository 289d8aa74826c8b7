/*
 * datafile.h: finding and reading keymaps/NAME.keys and views/NAME.view,
 * the user's copy first, then the shipped one.  The parsers stay pure in
 * src/model; this is the part that touches the file system.
 */
#ifndef DAGTOP_DATAFILE_H
#define DAGTOP_DATAFILE_H

#include "buf.h"
#include "keymap.h"
#include "view.h"

/* The largest keymap or view read, in bytes. */
#define DATAFILE_MAX	(1024 * 1024)

/*
 * The path of KIND/NAMEEXT ("keymaps", "default", ".keys"), allocated, or
 * NULL when there is none or NAME is not a plain name ([A-Za-z0-9_.-]+, not
 * starting with a dot).  Looks in $XDG_CONFIG_HOME/dagtop/KIND (or
 * $HOME/.config/dagtop/KIND when XDG_CONFIG_HOME is unset or relative),
 * then ./KIND when DAGTOP_DATADIR is unset or empty (running from the
 * source tree), then $DAGTOP_DATADIR/KIND, then the installed
 * DAGTOP_DATADIR/KIND.
 */
char	*datafile_find(const char *kind, const char *name, const char *ext);

/*
 * The names of every KIND file (NAME with EXT) in the folders
 * datafile_find looks in, sorted, each once: what :view and :keymap can
 * open.  A NULL-terminated array; free it with datafile_names_free.
 */
char	**datafile_names(const char *kind, const char *ext);
void	 datafile_names_free(char **);

/*
 * Appends the file at path to out.  On failure, or past DATAFILE_MAX
 * bytes, says "path: why" on a line of err and returns -1.
 */
int	 datafile_read(const char *path, struct buf *out, struct buf *err);

/*
 * Finds, reads and applies keymap NAME on top of km (zeroed by the caller
 * for a fresh one); an include is found the same way.  Every problem is a
 * line in errors; returns 0, or -1 if there was any.
 */
int	 keymap_load(const char *name, struct keymap *km, struct buf *errors);

/*
 * Finds, reads and parses view NAME into v, which view_free() takes in
 * every case.  Returns 0, or -1 with the reasons in errors.
 */
int	 view_load(const char *name, struct view *v, struct buf *errors);

#endif
