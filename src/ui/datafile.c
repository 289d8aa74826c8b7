/* datafile.c: keymaps and views, the user's first, then the shipped ones. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
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
 * The folders a KIND file is looked for in, in order: the user's
 * ($XDG_CONFIG_HOME/dagtop/KIND, or ~/.config), then ./KIND when running
 * from the source tree (DAGTOP_DATADIR unset), else $DAGTOP_DATADIR/KIND,
 * then the installed share/dagtop/KIND.  Each allocated; returns how many.
 */
static size_t
folders(const char *kind, char *dir[3])
{
	const char	*dd = getenv("DAGTOP_DATADIR");
	struct buf	 b = BUF_INIT;
	size_t		 n = 0;

	if ((dir[n] = xdg_path(XDG_CONFIG, kind)) != NULL)
		n++;
	if (dd != NULL && dd[0] != '\0')
		buf_printf(&b, "%s/%s", dd, kind);
	else
		buf_puts(&b, kind);
	dir[n++] = buf_detach(&b);
	buf_printf(&b, "%s/%s", DAGTOP_DATADIR, kind);
	dir[n++] = buf_detach(&b);
	return n;
}

/* A plain name: [A-Za-z0-9_.-]+, no dot first, so no name leaves its folder. */
static bool
plain_name(const char *name)
{
	const char *p;

	if (name[0] == '\0' || name[0] == '.')
		return false;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '.'))
			return false;
	return true;
}

char *
datafile_find(const char *kind, const char *name, const char *ext)
{
	char		*dir[3], *found = NULL;
	size_t		 n, i;
	struct buf	 b = BUF_INIT;

	if (!plain_name(name))
		return NULL;
	n = folders(kind, dir);
	for (i = 0; i < n; i++) {
		if (found == NULL) {
			buf_reset(&b);
			buf_printf(&b, "%s/%s%s", dir[i], name, ext);
			if (exists(buf_str(&b)))
				found = buf_detach(&b);
		}
		free(dir[i]);
	}
	buf_free(&b);
	return found;
}

static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

char **
datafile_names(const char *kind, const char *ext)
{
	char		*dir[3], **v = xcalloc(1, sizeof *v);
	size_t		 nd, i, n = 0, k, elen = strlen(ext);
	DIR		*d;
	struct dirent	*e;

	nd = folders(kind, dir);
	for (i = 0; i < nd; i++) {
		if ((d = opendir(dir[i])) == NULL) {
			free(dir[i]);
			continue;
		}
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			char *name;

			if (len <= elen || strcmp(e->d_name + len - elen,
			    ext) != 0)
				continue;
			name = xstrndup(e->d_name, len - elen);
			for (k = 0; k < n && strcmp(v[k], name) != 0; k++)
				;
			if (k < n || !plain_name(name)) {
				free(name);
				continue;
			}
			v = xreallocarray(v, n + 2, sizeof *v);
			v[n++] = name;
			v[n] = NULL;
		}
		closedir(d);
		free(dir[i]);
	}
	qsort(v, n, sizeof *v, cmp_str);
	return v;
}

void
datafile_names_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
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
