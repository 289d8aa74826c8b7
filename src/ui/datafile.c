/* datafile.c: keymaps and views, the user's first, then the shipped ones. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datafile.h"
#include "sanitize.h"
#include "xdg.h"

static int
exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/*
 * Looks in $XDG_CONFIG_HOME/dagtop/KIND (or ~/.config), then ./KIND when
 * running from the source tree (DAGTOP_DATADIR unset), else
 * $DAGTOP_DATADIR/KIND, then the installed share/dagtop/KIND.  Names are
 * plain words: no slash, no dot first, so no name leaves its folder.
 */
char *
datafile_find(const char *kind, const char *name, const char *ext)
{
	const char	*dd = getenv("DAGTOP_DATADIR");
	struct buf	 b = BUF_INIT;
	const char	*p;
	char		*user;

	if (name[0] == '\0' || name[0] == '.')
		return NULL;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '.'))
			return NULL;
	if ((user = xdg_path(XDG_CONFIG, kind)) != NULL) {
		buf_printf(&b, "%s/%s%s", user, name, ext);
		free(user);
		if (exists(buf_str(&b)))
			return buf_detach(&b);
		buf_reset(&b);
	}
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
		if (out->len > DATAFILE_MAX) {
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

/* Says why NAME found nothing: not a name at all, or no such file. */
static void
not_found(struct buf *errors, const char *what, const char *name)
{
	buf_printf(errors, "no %s named '", what);
	sanitize_append(errors, name, strlen(name), SAN_SHOW_ESCAPES);
	buf_puts(errors, "'\n");
}

/*
 * The include resolver of keymap_load(): the same search as the top file,
 * so a user's keymap can include a shipped one.  A file that cannot be
 * read says why in the errors (arg) and resolves to nothing.
 */
static char *
resolve_keymap(const char *name, size_t *len, char **file, void *arg)
{
	struct buf	 text = BUF_INIT;
	char		*path = datafile_find("keymaps", name, ".keys");

	if (path == NULL)
		return NULL;
	if (datafile_read(path, &text, arg) != 0) {
		free(path);
		buf_free(&text);
		return NULL;
	}
	*len = text.len;
	*file = path;
	return buf_detach(&text);
}

int
keymap_load(const char *name, struct keymap *km, struct buf *errors)
{
	struct buf	 text = BUF_INIT;
	char		*path = datafile_find("keymaps", name, ".keys");
	int		 rc = -1;

	if (path == NULL)
		not_found(errors, "keymap", name);
	else if (datafile_read(path, &text, errors) == 0)
		rc = keymap_parse(km, text.data != NULL ? text.data : "",
		    text.len, path, resolve_keymap, errors, errors);
	free(path);
	buf_free(&text);
	return rc;
}

int
view_load(const char *name, struct view *v, struct buf *errors)
{
	struct buf	 text = BUF_INIT;
	char		*path = datafile_find("views", name, ".view");
	int		 rc = -1;

	memset(v, 0, sizeof *v);
	if (path == NULL)
		not_found(errors, "view", name);
	else if (datafile_read(path, &text, errors) == 0)
		rc = view_parse(v, text.data != NULL ? text.data : "",
		    text.len, name, path, errors);
	free(path);
	buf_free(&text);
	return rc;
}
