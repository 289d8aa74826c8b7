/* datafile.c: keymaps and views, the user's first, then the shipped ones. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

static bool
exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * Looks in $XDG_CONFIG_HOME/dagtop/KIND (or ~/.config), then
 * $DAGTOP_DATADIR/KIND, then ./KIND when running from the source tree
 * (DAGTOP_DATADIR unset), then the installed share/dagtop/KIND.  Names are
 * plain words: no slash, no dot first.
 */
char *
datafile_find(const char *kind, const char *name, const char *ext)
{
	const char	*x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char	*dd = getenv("DAGTOP_DATADIR");
	struct buf	 b = BUF_INIT;
	const char	*p;

	if (name[0] == '\0' || name[0] == '.')
		return NULL;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '.'))
			return NULL;
	if (x != NULL && x[0] == '/')
		buf_printf(&b, "%s/dagtop/%s/%s%s", x, kind, name, ext);
	else if (home != NULL)
		buf_printf(&b, "%s/.config/dagtop/%s/%s%s", home, kind, name, ext);
	if (b.len > 0 && exists(buf_str(&b)))
		return buf_detach(&b);
	buf_reset(&b);
	if (dd != NULL && dd[0] != '\0') {
		buf_printf(&b, "%s/%s/%s%s", dd, kind, name, ext);
		if (exists(buf_str(&b)))
			return buf_detach(&b);
		buf_reset(&b);
	} else {
		buf_printf(&b, "%s/%s%s", kind, name, ext);
		if (exists(buf_str(&b)))
			return buf_detach(&b);
		buf_reset(&b);
	}
	buf_printf(&b, "%s/%s/%s%s", DAGTOP_DATADIR, kind, name, ext);
	if (exists(buf_str(&b)))
		return buf_detach(&b);
	buf_free(&b);
	return NULL;
}

int
datafile_read(const char *path, struct buf *out, struct buf *err)
{
	char	chunk[4096];
	ssize_t	n;
	int	fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		buf_append(out, chunk, (size_t)n);
		if (out->len > 1024 * 1024) {
			buf_printf(err, "%s: larger than 1 MiB\n", path);
			close(fd);
			return -1;
		}
	}
	close(fd);
	if (n < 0) {
		buf_printf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
