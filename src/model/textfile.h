/*
 * textfile.h: what the line-oriented files the console reads (keymaps and
 * views) share: taking the text apart line by line, and saying where a
 * line is wrong.
 */
#ifndef DAGTOP_TEXTFILE_H
#define DAGTOP_TEXTFILE_H

#include <stddef.h>

#include "buf.h"

/*
 * A NUL-terminated copy of the len bytes of text to take apart; NULL, and
 * "FILE:1: contains a NUL byte" in errors, when the text holds a NUL (it
 * is not a text file, and its lines could not be told apart).
 */
char	*textfile_copy(const char *text, size_t len, const char *file,
	    struct buf *errors);
/*
 * The next line at *cursor, cut in place at its newline; *cursor moves on.
 * NULL at the end: a last line without a newline counts, the empty tail
 * after the last newline does not.
 */
char	*textfile_line(char **cursor);
/*
 * "FILE:LINE: what 'arg'\n" appended to errors; arg (NULL: left out) is
 * shown with its control bytes escaped, as it came from the file.
 */
void	 textfile_error(struct buf *errors, const char *file, int line,
	    const char *what, const char *arg);

#endif
