/*
 * keymap.h: keys bound to named actions, read from keymaps/NAME.keys.
 * No key is hard-wired in a pane: panes receive actions.  Pure: the text
 * comes in, a table and file:line messages come out.
 *
 * Format, one directive per line; blank lines are ignored; '#' starts a
 * comment that runs to the end of the line, unless it is inside quotes:
 *
 *	bind KEY ACTION		KEY runs ACTION (a later bind of KEY replaces
 *				the earlier one, wherever it came from)
 *	unbind KEY		KEY does nothing
 *	include NAME		apply keymap NAME here, first (the loader
 *				finds it as it finds any keymap); includes
 *				nest at most 4 deep and a cycle is an error
 *
 * A word may be quoted with '...' or "..." to hold a '#' or a blank:
 * bind "#" help.  There are no escapes inside quotes.
 *
 * KEY is one character ("j" and "J" differ, "?", "/", "é"), a named key
 * (Up Down Left Right Home End PageUp PageDown Insert Delete BTab F1..F12
 * Space Tab Enter Esc Backspace, any case), C-x or ^x for control (any case;
 * C-@ C-[ C-\ C-] C-^ C-_ too, C-i is Tab, C-m is Enter, C-[ is Esc, C-? is
 * Backspace), and M-KEY for meta (Esc then the key).
 *
 * Errors read "file:line: message", for example:
 *	default.keys:3: unknown directive 'bnd'
 *	default.keys:4: unknown key name 'Ctrl-x'
 *	default.keys:5: unknown action 'dwn'
 *	default.keys:6: 'bind' needs a key and an action
 *	default.keys:7: 'unbind' needs one key
 *	default.keys:8: 'include' needs one keymap name
 *	default.keys:9: no keymap named 'nowhere'
 *	b.keys:1: include cycle: a.keys -> b.keys -> a.keys
 *	e.keys:1: includes nested more than 4 deep at 'f'
 *	default.keys:10: unterminated quote
 */
#ifndef DAGTOP_KEYMAP_H
#define DAGTOP_KEYMAP_H

#include <stddef.h>

#include "buf.h"

/*
 * Key codes, without curses: Unicode code points for characters
 * (0x20..0x10ffff), 0..31 for control keys (C-a is 1, Tab 9, Enter 13, Esc
 * 27), 127 for Backspace, KEYC_BASE + n for named keys, and KEYC_META or'ed
 * in for meta.  A terminal resize is not a key.
 */
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
	ACTION_DOWNSTREAM, ACTION_UNFOLD, ACTION_SLA, ACTION_SLA_WEEK,
	ACTION_QUIT,
	/* the log pane */
	ACTION_PREV_TRY, ACTION_NEXT_TRY, ACTION_FOLLOW, ACTION_SEARCH_NEXT,
	ACTION_SEARCH_PREV, ACTION_JUMP_ERROR, ACTION_WRAP, ACTION_TIMESTAMPS,
	ACTION_SAVE, ACTION_PAGER,
	/* rerun */
	ACTION_RERUN, ACTION_ONLY_FAILED,
	/* BigQuery slots */
	ACTION_SLOTS,
	/* DORA Four Keys */
	ACTION_FOURKEYS,
	/* q: back, and quit at the top level */
	ACTION_BACK_OR_QUIT,
	/* the next (previous) failed row of the focused list */
	ACTION_NEXT_FAILED, ACTION_PREV_FAILED,
	/* what a failure holds back, or why an SLA is late (issue 19) */
	ACTION_IMPACT,
	ACTION_COUNT
};

/* "down" -> ACTION_DOWN; ACTION_NONE when unknown. */
enum action	 action_parse(const char *);
const char	*action_name(enum action);

/* Parses a key name; returns 0 and the code, or -1. */
int		 keymap_key_parse(const char *, int *code);
/*
 * The canonical name of a key, which keymap_key_parse() reads back to the
 * same code ("C-n", "M-x", "PageDown", "j"); a code that is no key at all
 * is written as "<bad key 0x...>", which does not parse.
 */
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
 * An include asks the resolver; the file names it hands back identify a
 * file for cycle detection, so a resolver must name one file one way.
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
/*
 * The first key bound to an action (the one a hint names), appended to the
 * buffer; returns 0, or -1 and nothing appended when no key runs it.
 */
int		 keymap_first_key(const struct keymap *, enum action,
		    struct buf *);
void		 keymap_free(struct keymap *);

#endif
