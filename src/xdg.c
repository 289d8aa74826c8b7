/* xdg.c: the XDG base folders (see xdg.h). */
#include <stdlib.h>
#include <sys/stat.h>

#include "buf.h"
#include "xdg.h"

static const struct {
	const char	*var;
	const char	*under_home;
} bases[] = {
	[XDG_CONFIG] = { "XDG_CONFIG_HOME", ".config" },
	[XDG_STATE] = { "XDG_STATE_HOME", ".local/state" },
	[XDG_CACHE] = { "XDG_CACHE_HOME", ".cache" },
	[XDG_DATA] = { "XDG_DATA_HOME", ".local/share" },
};

char *
xdg_path(enum xdg_base base, const char *rest)
{
	const char	*x = getenv(bases[base].var), *home = getenv("HOME");
	struct buf	 b = BUF_INIT;

	if (x != NULL && x[0] == '/')
		buf_printf(&b, "%s/dagtop", x);
	else if (home != NULL && home[0] == '/')
		buf_printf(&b, "%s/%s/dagtop", home, bases[base].under_home);
	else
		return NULL;
	if (rest != NULL && *rest != '\0')
		buf_printf(&b, "/%s", rest);
	return buf_detach(&b);
}

void
xdg_make_dirs(const char *dir)
{
	char	*p = xstrdup(dir), *s;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	}
	mkdir(p, 0700);
	free(p);
}
