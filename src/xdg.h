/*
 * xdg.h: where dagtop keeps its files, by the XDG Base Directory rules.
 *
 * One place decides the folders so that the audit log, the prompt history,
 * the GitHub cache and the user's views and keymaps always agree.
 */
#ifndef DAGTOP_XDG_H
#define DAGTOP_XDG_H

enum xdg_base {
	XDG_CONFIG,	/* $XDG_CONFIG_HOME, else ~/.config */
	XDG_STATE,	/* $XDG_STATE_HOME, else ~/.local/state */
	XDG_CACHE,	/* $XDG_CACHE_HOME, else ~/.cache */
	XDG_DATA,	/* $XDG_DATA_HOME, else ~/.local/share */
};

/*
 * The path BASE/dagtop/REST (REST may be "" for the folder itself), freshly
 * allocated; NULL when neither the variable nor $HOME gives an absolute
 * folder.  A relative $XDG_* is ignored, as the specification says; a
 * relative $HOME is refused rather than resolved against the working folder.
 * Nothing is created.
 */
char	*xdg_path(enum xdg_base, const char *rest);
/* mkdir -p dir, mode 0700 for each folder it makes; errors are ignored. */
void	 xdg_make_dirs(const char *dir);

#endif
