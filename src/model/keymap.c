/* keymap.c: key names, actions, and the keymap file format. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"
#include "sanitize.h"
#include "textfile.h"

/* The keymap's words for actions; what each does is in src/ui/commands.c. */
static const char *const actions[ACTION_COUNT] = {
	[ACTION_NONE] = "none",
	[ACTION_DOWN] = "down",
	[ACTION_UP] = "up",
	[ACTION_PAGE_DOWN] = "page-down",
	[ACTION_PAGE_UP] = "page-up",
	[ACTION_TOP] = "top",
	[ACTION_BOTTOM] = "bottom",
	[ACTION_LEFT] = "left",
	[ACTION_RIGHT] = "right",
	[ACTION_ENTER] = "enter",
	[ACTION_BACK] = "back",
	[ACTION_BACK_OR_QUIT] = "back-or-quit",
	[ACTION_NEXT_PANE] = "next-pane",
	[ACTION_PREV_PANE] = "prev-pane",
	[ACTION_FILTER] = "filter",
	[ACTION_COMMAND] = "command",
	[ACTION_HELP] = "help",
	[ACTION_REFRESH] = "refresh",
	[ACTION_SORT] = "sort",
	[ACTION_SORT_REVERSE] = "sort-reverse",
	[ACTION_DOWNSTREAM] = "downstream",
	[ACTION_UNFOLD] = "unfold",
	[ACTION_SLA] = "sla",
	[ACTION_SLA_WEEK] = "sla-week",
	[ACTION_QUIT] = "quit",
	[ACTION_PREV_TRY] = "prev-try",
	[ACTION_NEXT_TRY] = "next-try",
	[ACTION_FOLLOW] = "follow",
	[ACTION_SEARCH_NEXT] = "search-next",
	[ACTION_SEARCH_PREV] = "search-prev",
	[ACTION_JUMP_ERROR] = "jump-error",
	[ACTION_WRAP] = "wrap",
	[ACTION_TIMESTAMPS] = "timestamps",
	[ACTION_SAVE] = "save",
	[ACTION_PAGER] = "pager",
	[ACTION_RERUN] = "rerun",
	[ACTION_ONLY_FAILED] = "only-failed",
	[ACTION_SLOTS] = "slots",
	[ACTION_FOURKEYS] = "fourkeys",
	[ACTION_NEXT_FAILED] = "next-failed",
	[ACTION_PREV_FAILED] = "prev-failed",
	[ACTION_IMPACT] = "impact",
};

static const struct {
	const char	*name;
	int		 code;
} named_keys[] = {
	{ "Up", KEYC_UP }, { "Down", KEYC_DOWN }, { "Left", KEYC_LEFT },
	{ "Right", KEYC_RIGHT }, { "Home", KEYC_HOME }, { "End", KEYC_END },
	{ "PageUp", KEYC_PAGEUP }, { "PageDown", KEYC_PAGEDOWN },
	{ "Insert", KEYC_INSERT }, { "Delete", KEYC_DELETE },
	{ "BTab", KEYC_BTAB }, { "Space", ' ' }, { "Tab", KEYC_TAB },
	{ "Enter", KEYC_ENTER }, { "Esc", KEYC_ESC },
	{ "Backspace", KEYC_BACKSPACE },
	{ NULL, 0 }
};

enum action
action_parse(const char *s)
{
	int i;

	for (i = 1; i < ACTION_COUNT; i++)
		if (strcmp(actions[i], s) == 0)
			return (enum action)i;
	return ACTION_NONE;
}

const char *
action_name(enum action a)
{
	return (unsigned)a < ACTION_COUNT ? actions[a] : "none";
}

int
keymap_key_parse(const char *s, int *code)
{
	uint32_t	cp;
	int		i, n, c;

	if (s == NULL || *s == '\0')
		return -1;
	if (strncmp(s, "M-", 2) == 0 && s[2] != '\0') {
		if (keymap_key_parse(s + 2, &c) != 0 || (c & KEYC_META))
			return -1;
		*code = c | KEYC_META;
		return 0;
	}
	if ((strncmp(s, "C-", 2) == 0 && s[2] != '\0' && s[3] == '\0') ||
	    (s[0] == '^' && s[1] != '\0' && s[2] == '\0')) {
		c = toupper((unsigned char)s[s[0] == '^' ? 1 : 2]);
		if (c >= '@' && c <= '_')
			*code = c - '@';	/* C-@ 0 ... C-a 1 ... C-_ 31 */
		else if (c == '?')
			*code = KEYC_BACKSPACE;
		else
			return -1;
		return 0;
	}
	for (i = 0; named_keys[i].name != NULL; i++) {
		if (strcasecmp(named_keys[i].name, s) == 0) {
			*code = named_keys[i].code;
			return 0;
		}
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		n = atoi(s + 1);
		if (n >= 1 && n <= 12 && strlen(s) == (n >= 10 ? 3u : 2u)) {
			*code = KEYC_F1 + n - 1;
			return 0;
		}
	}
	/* One printable character, in UTF-8 (a blank only when quoted). */
	n = utf8_decode(s, strlen(s), &cp);
	if (n <= 0 || s[n] != '\0' || cp < 0x20 || cp == 0x7f ||
	    (cp >= 0x80 && cp < 0xa0))
		return -1;
	*code = (int)cp;
	return 0;
}

void
keymap_key_name(int code, struct buf *b)
{
	int	i;
	char	u[4];
	int	c = code & ~KEYC_META;

	if (code < 0) {
		buf_printf(b, "<bad key 0x%x>", (unsigned)code);
		return;
	}
	if (code & KEYC_META)
		buf_puts(b, "M-");
	for (i = 0; named_keys[i].name != NULL; i++) {
		if (named_keys[i].code == c) {
			buf_puts(b, named_keys[i].name);
			return;
		}
	}
	if (c >= KEYC_F1 && c <= KEYC_F12) {
		buf_printf(b, "F%d", c - KEYC_F1 + 1);
		return;
	}
	if (c >= 0 && c <= 31) {
		buf_printf(b, "C-%c", c >= 1 && c <= 26 ? 'a' + c - 1 : '@' + c);
		return;
	}
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff) {
		buf_printf(b, "<bad key 0x%x>", (unsigned)code);
		return;
	}
	if (c < 0x80) {
		buf_putc(b, (char)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		buf_append(b, u, 4);
	}
}

void
keymap_bind(struct keymap *km, int key, enum action a)
{
	size_t i;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].key == key) {
			km->v[i].action = a;
			return;
		}
	}
	if ((km->n & (km->n - 1)) == 0)
		km->v = xreallocarray(km->v, km->n ? km->n * 2 : 1,
		    sizeof *km->v);
	km->v[km->n].key = key;
	km->v[km->n].action = a;
	km->n++;
}

void
keymap_unbind(struct keymap *km, int key)
{
	size_t i;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].key == key) {
			memmove(&km->v[i], &km->v[i + 1],
			    (km->n - i - 1) * sizeof *km->v);
			km->n--;
			return;
		}
	}
}

enum action
keymap_lookup(const struct keymap *km, int key)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->v[i].key == key)
			return km->v[i].action;
	return ACTION_NONE;
}

void
keymap_keys_for(const struct keymap *km, enum action a, struct buf *b)
{
	size_t	i;
	bool	first = true;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].action != a)
			continue;
		if (!first)
			buf_puts(b, ", ");
		first = false;
		keymap_key_name(km->v[i].key, b);
	}
}

int
keymap_first_key(const struct keymap *km, enum action a, struct buf *b)
{
	size_t i;

	for (i = 0; i < km->n; i++) {
		if (km->v[i].action == a) {
			keymap_key_name(km->v[i].key, b);
			return 0;
		}
	}
	return -1;
}

void
keymap_free(struct keymap *km)
{
	free(km->v);
	km->v = NULL;
	km->n = 0;
}

/*
 * Splits a line into at most max words, in place: blanks separate words, a
 * word may be quoted, wholly or in part, with '...' or "..." (to hold a '#'
 * or a blank), and an unquoted '#' ends the line.  Returns the number of
 * words, max + 1 when there are more, or -1 for an unterminated quote.
 */
static int
split_words(char *line, char **w, int max)
{
	char	*out, q, c;
	int	 n = 0;

	for (;;) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			return n;
		if (n == max)
			return max + 1;
		w[n++] = out = line;
		while (*line != '\0' && *line != ' ' && *line != '\t' &&
		    *line != '#') {
			if (*line != '"' && *line != '\'') {
				*out++ = *line++;
				continue;
			}
			q = *line++;
			while (*line != q) {
				if (*line == '\0')
					return -1;
				*out++ = *line++;
			}
			line++;
		}
		c = *line;		/* out may point at it: read it first */
		*out = '\0';
		if (c == '\0' || c == '#')
			return n;
		line++;
	}
}

/*
 * The include chain is kept as the files being read, outermost first, so
 * that a cycle is reported as one, with its path, before it is entered.
 */
#define KEYMAP_MAX_DEPTH	4

struct include_chain {
	const char	*file[KEYMAP_MAX_DEPTH + 1];
	int		 depth;		/* index of the file being read */
};

static void
cycle_error(struct buf *errors, const char *file, int line,
    const struct include_chain *chain, int from, const char *again)
{
	int i;

	buf_printf(errors, "%s:%d: include cycle: ", file, line);
	for (i = from; i <= chain->depth; i++) {
		sanitize_append(errors, chain->file[i], strlen(chain->file[i]),
		    SAN_SHOW_ESCAPES);
		buf_puts(errors, " -> ");
	}
	sanitize_append(errors, again, strlen(again), SAN_SHOW_ESCAPES);
	buf_putc(errors, '\n');
}

static int	parse_file(struct keymap *, const char *, size_t, const char *,
		    keymap_resolver, void *, struct buf *,
		    struct include_chain *);

/* "bind KEY ACTION" and "unbind KEY" (n words in w); -1 when wrong. */
static int
parse_bind(struct keymap *km, char **w, int n, const char *file, int lineno,
    struct buf *errors)
{
	bool	bind = strcmp(w[0], "bind") == 0;
	int	key;
	enum action a = ACTION_NONE;

	if (n != (bind ? 3 : 2)) {
		textfile_error(errors, file, lineno, bind ?
		    "'bind' needs a key and an action" :
		    "'unbind' needs one key", NULL);
		return -1;
	}
	if (keymap_key_parse(w[1], &key) != 0) {
		textfile_error(errors, file, lineno, "unknown key name", w[1]);
		return -1;
	}
	if (bind && (a = action_parse(w[2])) == ACTION_NONE &&
	    strcmp(w[2], "none") != 0) {
		textfile_error(errors, file, lineno, "unknown action", w[2]);
		return -1;
	}
	if (bind)
		keymap_bind(km, key, a);
	else
		keymap_unbind(km, key);
	return 0;
}

/*
 * "include NAME": the named keymap read in place, unless the chain is
 * already 4 deep or NAME is one of the files being read (a cycle).
 */
static int
parse_include(struct keymap *km, char **w, int n, const char *file,
    int lineno, keymap_resolver resolve, void *arg, struct buf *errors,
    struct include_chain *chain)
{
	size_t	 ilen;
	char	*itext, *ifile;
	int	 i, again, bad = 0;

	if (n != 2) {
		textfile_error(errors, file, lineno,
		    "'include' needs one keymap name", NULL);
		return -1;
	}
	if (chain->depth >= KEYMAP_MAX_DEPTH) {
		textfile_error(errors, file, lineno, "includes "
		    "nested more than 4 deep at", w[1]);
		return -1;
	}
	if (resolve == NULL || (itext = resolve(w[1], &ilen,
	    &ifile, arg)) == NULL) {
		textfile_error(errors, file, lineno, "no keymap named", w[1]);
		return -1;
	}
	for (again = -1, i = 0; i <= chain->depth; i++)
		if (strcmp(chain->file[i], ifile) == 0)
			again = i;
	if (again >= 0) {
		cycle_error(errors, file, lineno, chain, again, ifile);
		bad = 1;
	} else {
		chain->file[++chain->depth] = ifile;
		bad = parse_file(km, itext, ilen, ifile, resolve, arg, errors,
		    chain) != 0;
		chain->depth--;
	}
	free(itext);
	free(ifile);
	return bad ? -1 : 0;
}

static int
parse_file(struct keymap *km, const char *text, size_t len, const char *file,
    keymap_resolver resolve, void *arg, struct buf *errors,
    struct include_chain *chain)
{
	char	*copy, *rest, *line, *w[4];
	int	 lineno = 0, n, bad = 0;

	if ((copy = textfile_copy(text, len, file, errors)) == NULL)
		return -1;
	for (rest = copy; (line = textfile_line(&rest)) != NULL;) {
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		n = split_words(line, w, 3);
		if (n == 0)
			continue;
		if (n < 0) {
			textfile_error(errors, file, lineno,
			    "unterminated quote", NULL);
			bad = 1;
		} else if (strcmp(w[0], "bind") == 0 ||
		    strcmp(w[0], "unbind") == 0)
			bad |= parse_bind(km, w, n, file, lineno, errors) != 0;
		else if (strcmp(w[0], "include") == 0)
			bad |= parse_include(km, w, n, file, lineno, resolve,
			    arg, errors, chain) != 0;
		else {
			textfile_error(errors, file, lineno,
			    "unknown directive", w[0]);
			bad = 1;
		}
	}
	free(copy);
	return bad ? -1 : 0;
}

int
keymap_parse(struct keymap *km, const char *text, size_t len,
    const char *file, keymap_resolver resolve, void *arg, struct buf *errors)
{
	struct include_chain chain;

	memset(&chain, 0, sizeof chain);
	chain.file[0] = file;
	return parse_file(km, text, len, file, resolve, arg, errors, &chain);
}
