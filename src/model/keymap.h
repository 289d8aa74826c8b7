/*
 * keymap.h: keys bound to named actions, read from keymaps/NAME.keys.
 * No key is hard-wired in a pane: panes receive actions.  Pure: the text
 * comes in, a table and file:line messages come out.
 *
 * Format, one directive per line; a line whose first non-blank character
 * is '#' is a comment; blank lines are ignored:
 *
 *	bind KEY ACTION		KEY runs ACTION (a later bind of KEY wins)
 *	unbind KEY		KEY does nothing
 *	include NAME		apply keymap NAME first (up to 4 deep)
 *
 * KEY is one character ("j", "?", "/"), a named key (Up Down Left Right
 * Home End PageUp PageDown Insert Delete BTab F1..F12 Space Tab Enter Esc
 * Backspace), C-x or ^x for control, M-x for meta (Esc then x).
 */
#ifndef DAGTOP_KEYMAP_H
#define DAGTOP_KEYMAP_H

#include <stddef.h>

#include "buf.h"

/* Key codes: Unicode code points, and named keys past Unicode. */
#define KEYC_BASE	0x110000
enum {
	KEYC_UP = KEYC_BASE, KEYC_DOWN, KEYC_LEFT, KEYC_RIGHT, KEYC_HOME,
	KEYC_END, KEYC_PAGEUP, KEYC_PAGEDOWN, KEYC_INSERT, KEYC_DELETE,
	KEYC_BTAB, KEYC_F1, KEYC_F12 = KEYC_F1 + 11, KEYC_END_OF_NAMED
};
#define KEYC_META	0x1000000
#define KEYC_TAB	9
#define KEYC_ENTER	13
#define KEYC_ESC	27
#define KEYC_BACKSPACE	127

enum action {
	ACTION_NONE,
	ACTION_DOWN, ACTION_UP, ACTION_PAGE_DOWN, ACTION_PAGE_UP, ACTION_TOP,
	ACTION_BOTTOM, ACTION_LEFT, ACTION_RIGHT, ACTION_ENTER, ACTION_BACK,
	ACTION_NEXT_PANE, ACTION_PREV_PANE, ACTION_FILTER, ACTION_COMMAND,
	ACTION_HELP, ACTION_REFRESH, ACTION_SORT, ACTION_SORT_REVERSE,
	ACTION_DOWNSTREAM, ACTION_UNFOLD, ACTION_QUIT,
	ACTION_COUNT
};

/* "down" -> ACTION_DOWN; ACTION_NONE when unknown. */
enum action	 action_parse(const char *);
const char	*action_name(enum action);
/* One line for the help screen. */
const char	*action_description(enum action);

/* Parses a key name; returns 0 and the code, or -1. */
int		 keymap_key_parse(const char *, int *code);
/* The canonical name of a key, as key_parse reads it back. */
void		 keymap_key_name(int code, struct buf *);

struct keymap_entry {
	int		 key;
	enum action	 action;
};

struct keymap {
	struct keymap_entry	*v;	/* in the order keys were first bound */
	size_t			 n;
};

/*
 * Finds the text of an included keymap: returns an allocated text and its
 * file name (also allocated) for messages, or NULL.
 */
typedef char *(*keymap_resolver)(const char *name, size_t *len,
		    char **file, void *arg);

/*
 * Applies the directives of text to km.  Every problem goes to errors as
 * "file:line: message\n" and parsing goes on; returns -1 if there was any.
 */
int		 keymap_parse(struct keymap *, const char *text, size_t len,
		    const char *file, keymap_resolver, void *arg,
		    struct buf *errors);
void		 keymap_bind(struct keymap *, int key, enum action);
void		 keymap_unbind(struct keymap *, int key);
enum action	 keymap_lookup(const struct keymap *, int key);
/* The keys bound to an action, comma-separated, in binding order. */
void		 keymap_keys_for(const struct keymap *, enum action,
		    struct buf *);
void		 keymap_free(struct keymap *);

#endif
