/* textfile.c: the line-oriented text files of keymaps and views. */
#include <string.h>

#include "sanitize.h"
#include "textfile.h"

char *
textfile_copy(const char *text, size_t len, const char *file,
    struct buf *errors)
{
	if (memchr(text, '\0', len) != NULL) {
		textfile_error(errors, file, 1, "contains a NUL byte (not a "
		    "text file?)", NULL);
		return NULL;
	}
	return xstrndup(text, len);
}

char *
textfile_line(char **cursor)
{
	char *line = *cursor, *nl;

	if (line == NULL)
		return NULL;
	if ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		*cursor = nl + 1;
		return line;
	}
	*cursor = NULL;
	return *line != '\0' ? line : NULL;
}

void
textfile_error(struct buf *errors, const char *file, int line,
    const char *what, const char *arg)
{
	buf_printf(errors, "%s:%d: %s", file, line, what);
	if (arg != NULL) {
		buf_puts(errors, " '");
		sanitize_append(errors, arg, strlen(arg), SAN_SHOW_ESCAPES);
		buf_putc(errors, '\'');
	}
	buf_putc(errors, '\n');
}
