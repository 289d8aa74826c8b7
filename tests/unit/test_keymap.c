/* test_keymap.c: key names, actions, the .keys format and the shipped keymaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keymap.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

/* A shipped file, read from the source tree. */
static char *
slurp(const char *rel, size_t *len)
{
	char	 path[512];
	FILE	*fp;
	char	*s;
	long	 n;

	snprintf(path, sizeof path, "%s/%s", SRCDIR, rel);
	fp = fopen(path, "rb");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	s[n] = '\0';
	*len = (size_t)n;
	return s;
}

static int
parse_key(const char *s)
{
	int k = -2;

	if (keymap_key_parse(s, &k) != 0)
		return -1;
	return k;
}

static void
assert_name(int code, const char *want)
{
	struct buf b = BUF_INIT;

	keymap_key_name(code, &b);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

/* Names a code, reads the name back, and does the same with meta. */
static void
assert_round_trip(int code, const char *want)
{
	char meta[64];

	assert_name(code, want);
	assert_int_equal(parse_key(want), code);
	snprintf(meta, sizeof meta, "M-%s", want);
	assert_name(code | KEYC_META, meta);
	assert_int_equal(parse_key(meta), code | KEYC_META);
}

static void
test_named_keys(void **state)
{
	static const char *named[] = { "Up", "Down", "Left", "Right", "Home",
	    "End", "PageUp", "PageDown", "Insert", "Delete", "BTab", "F1",
	    "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12" };
	size_t	i;

	(void)state;
	assert_int_equal(sizeof named / sizeof *named,
	    KEYC_END_OF_NAMED - KEYC_BASE);
	for (i = 0; i < sizeof named / sizeof *named; i++)
		assert_round_trip(KEYC_BASE + (int)i, named[i]);
	assert_int_equal(KEYC_F12, KEYC_F1 + 11);
	assert_round_trip(' ', "Space");
	assert_round_trip(9, "Tab");
	assert_round_trip(13, "Enter");
	assert_round_trip(27, "Esc");
	assert_round_trip(127, "Backspace");
	/* Named keys in any case. */
	assert_int_equal(parse_key("pagedown"), KEYC_PAGEDOWN);
	assert_int_equal(parse_key("ENTER"), KEYC_ENTER);
	assert_int_equal(parse_key("space"), ' ');
	assert_int_equal(parse_key("f12"), KEYC_F12);
	assert_int_equal(parse_key("btab"), KEYC_BTAB);
}

static void
test_control_keys(void **state)
{
	static const char *names[32] = { "C-@", "C-a", "C-b", "C-c", "C-d",
	    "C-e", "C-f", "C-g", "C-h", "Tab", "C-j", "C-k", "C-l", "Enter",
	    "C-n", "C-o", "C-p", "C-q", "C-r", "C-s", "C-t", "C-u", "C-v",
	    "C-w", "C-x", "C-y", "C-z", "Esc", "C-\\", "C-]", "C-^", "C-_" };
	int	c;

	(void)state;
	for (c = 0; c < 32; c++)
		assert_round_trip(c, names[c]);
	/* C-x, C-X, ^x and ^X are one key. */
	assert_int_equal(parse_key("C-n"), 14);
	assert_int_equal(parse_key("C-N"), 14);
	assert_int_equal(parse_key("^N"), 14);
	assert_int_equal(parse_key("^n"), 14);
	assert_int_equal(parse_key("C-i"), 9);
	assert_int_equal(parse_key("C-m"), 13);
	assert_int_equal(parse_key("C-M"), 13);
	assert_int_equal(parse_key("C-["), 27);
	assert_int_equal(parse_key("^["), 27);
	assert_int_equal(parse_key("C-?"), 127);
	assert_int_equal(parse_key("M-C-n"), KEYC_META | 14);
	assert_int_equal(parse_key("M-^n"), KEYC_META | 14);
}

static void
test_characters(void **state)
{
	char	name[2];
	int	c;

	(void)state;
	for (c = 0x21; c < 0x7f; c++) {
		name[0] = (char)c;
		name[1] = '\0';
		assert_round_trip(c, name);
	}
	assert_int_equal(parse_key("j"), 'j');
	assert_int_equal(parse_key("J"), 'J');
	assert_int_equal(parse_key("^"), '^');
	assert_round_trip(0xe9, "\xc3\xa9");			/* é */
	assert_round_trip(0x4e2d, "\xe4\xb8\xad");		/* 中 */
	assert_round_trip(0x1f600, "\xf0\x9f\x98\x80");	/* an emoji */
	assert_round_trip(0x10ffff, "\xf4\x8f\xbf\xbf");
	assert_int_equal(parse_key("M-x"), KEYC_META | 'x');
	assert_int_equal(parse_key("M-X"), KEYC_META | 'X');
	assert_int_equal(parse_key("M-Space"), KEYC_META | ' ');
	assert_int_equal(parse_key(" "), ' ');	/* a quoted blank */
	assert_int_equal(parse_key("M- "), KEYC_META | ' ');
}

static void
test_bad_keys(void **state)
{
	static const char *bad[] = { "", "Ctrl-x", "C-", "C-1", "C--", "C-ab",
	    "^ab", "F0", "F13", "F1x", "F01", "jk", "M-", "M-M-x", "M-jk",
	    "\t", "\x1b", "\x7f", "\xc2\x9b", "\xff", "\xed\xa0\x80", "Upp",
	    "C-\xc3\xa9" };
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		if (parse_key(bad[i]) != -1)
			fail_msg("'%s' parsed", bad[i]);
	/* Codes that are no key have a name that reads back as nothing. */
	assert_name(-1, "<bad key 0xffffffff>");
	assert_name(0x80, "<bad key 0x80>");
	assert_name(0xd800, "<bad key 0xd800>");
	assert_name(KEYC_END_OF_NAMED, "<bad key 0x110017>");
	assert_name(KEYC_META | 0x80, "M-<bad key 0x1000080>");
	assert_int_equal(parse_key("<bad key 0x80>"), -1);
}

static void
test_actions(void **state)
{
	static const char *names[ACTION_COUNT] = { "none", "down", "up",
	    "page-down", "page-up", "top", "bottom", "left", "right", "enter",
	    "back", "next-pane", "prev-pane", "filter", "command", "help",
	    "refresh", "sort", "sort-reverse", "downstream", "unfold", "sla",
	    "sla-week", "quit",
	    "prev-try", "next-try", "follow", "search-next", "search-prev",
	    "jump-error", "wrap", "timestamps", "save", "pager", "rerun",
	    "only-failed", "slots", "fourkeys", "back-or-quit", "next-failed",
	    "prev-failed", "impact" };
	int a;

	(void)state;
	for (a = 0; a < ACTION_COUNT; a++) {
		assert_string_equal(action_name(a), names[a]);
		if (a > 0) {
			assert_int_equal(action_parse(names[a]), a);
		}
	}
	assert_int_equal(action_parse("dwn"), ACTION_NONE);
	assert_int_equal(action_parse("Down"), ACTION_NONE);
	assert_int_equal(action_parse(""), ACTION_NONE);
	assert_string_equal(action_name(ACTION_COUNT), "none");
}

static char *
resolver(const char *name, size_t *len, char **file, void *arg)
{
	static const struct {
		const char *name, *file, *text;
	} known[] = {
		{ "base", "base.keys", "bind x quit\nbind y up\n" },
		{ "broken", "broken.keys", "\n\nbind z zz\n" },
		{ "self", "self.keys", "bind s sort\ninclude self\n" },
		{ "a", "a.keys", "bind a up\ninclude b\n" },
		{ "b", "b.keys", "bind b up\ninclude a\n" },
		{ "top", "t.keys", "bind t top\n" },
		{ "d1", "d1.keys", "bind 1 up\ninclude d2\n" },
		{ "d2", "d2.keys", "bind 2 up\ninclude d3\n" },
		{ "d3", "d3.keys", "bind 3 up\ninclude d4\n" },
		{ "d4", "d4.keys", "bind 4 up\ninclude d5\n" },
		{ "d5", "d5.keys", "bind 5 up\ninclude d6\n" },
		{ "d6", "d6.keys", "bind 6 up\n" },
	};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof known / sizeof *known; i++) {
		if (strcmp(known[i].name, name) == 0) {
			*file = xstrdup(known[i].file);
			*len = strlen(known[i].text);
			return xstrdup(known[i].text);
		}
	}
	return NULL;
}

/* Parses text as t.keys; the errors, or "" */
static int
parse(struct keymap *km, const char *text, struct buf *err)
{
	memset(km, 0, sizeof *km);
	buf_reset(err);
	return keymap_parse(km, text, strlen(text), "t.keys", resolver, NULL,
	    err);
}

/* The keys of an action as the help screen lists them. */
static struct buf keys_buf = BUF_INIT;

static const char *
keys_for(const struct keymap *km, enum action a)
{
	buf_reset(&keys_buf);
	keymap_keys_for(km, a, &keys_buf);
	return buf_str(&keys_buf);
}

static void
test_directives(void **state)
{
	struct keymap	km;
	struct buf	err = BUF_INIT;

	(void)state;
	assert_int_equal(parse(&km,
	    "# a comment\n"
	    "\n"
	    "   \t\n"
	    "bind j down\n"
	    "bind Down down   # the arrow\n"
	    "  bind\tk\t up#vi\r\n"
	    "bind '#' help\n"
	    "bind \"M-#\" quit\n"
	    "bind ' ' unfold\n"
	    "bind \"'\" sort\n"
	    "bind '\"' sort-reverse\n"
	    "bind n n'o'ne\n"		/* partly quoted: "none" */
	    "bind J bottom\n"
	    "bind j up\n"			/* a later bind replaces */
	    "bind k down\n"
	    "unbind J\n"
	    "unbind F5\n",			/* not bound: nothing to do */
	    &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, 'k'), ACTION_DOWN);
	assert_int_equal(keymap_lookup(&km, KEYC_DOWN), ACTION_DOWN);
	assert_int_equal(keymap_lookup(&km, '#'), ACTION_HELP);
	assert_int_equal(keymap_lookup(&km, KEYC_META | '#'), ACTION_QUIT);
	assert_int_equal(keymap_lookup(&km, ' '), ACTION_UNFOLD);
	assert_int_equal(keymap_lookup(&km, '\''), ACTION_SORT);
	assert_int_equal(keymap_lookup(&km, '"'), ACTION_SORT_REVERSE);
	assert_int_equal(keymap_lookup(&km, 'n'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, 'J'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_NONE);
	/* Keys listed in the order they were first bound. */
	assert_string_equal(keys_for(&km, ACTION_DOWN), "Down, k");
	assert_string_equal(keys_for(&km, ACTION_UP), "j");
	assert_string_equal(keys_for(&km, ACTION_BOTTOM), "");
	/* The first key, as hints name it; none: -1 and nothing written. */
	buf_reset(&keys_buf);
	assert_int_equal(keymap_first_key(&km, ACTION_DOWN, &keys_buf), 0);
	assert_string_equal(buf_str(&keys_buf), "Down");
	buf_reset(&keys_buf);
	assert_int_equal(keymap_first_key(&km, ACTION_BOTTOM, &keys_buf), -1);
	assert_int_equal(keys_buf.len, 0);
	assert_int_equal(km.n, 9);
	keymap_free(&km);
	assert_int_equal(km.n, 0);
	assert_null(km.v);

	/* The same through the functions. */
	keymap_bind(&km, 'a', ACTION_TOP);
	keymap_bind(&km, 'b', ACTION_TOP);
	keymap_bind(&km, 'a', ACTION_BOTTOM);
	assert_string_equal(keys_for(&km, ACTION_TOP), "b");
	keymap_unbind(&km, 'b');
	keymap_unbind(&km, 'b');
	assert_int_equal(km.n, 1);
	assert_int_equal(keymap_lookup(&km, 'a'), ACTION_BOTTOM);
	keymap_free(&km);
	buf_free(&err);
}

static void
test_errors(void **state)
{
	struct keymap	km;
	struct buf	err = BUF_INIT;

	(void)state;
	assert_int_equal(parse(&km,
	    "bind j down\n"
	    "bnd k up\n"
	    "bind Ctrl-x quit\n"
	    "bind k dwn\n"
	    "bind k\n"
	    "bind\n"
	    "bind k up now\n"
	    "unbind\n"
	    "unbind j k\n"
	    "unbind Ctrl-y\n"
	    "include\n"
	    "include a b\n"
	    "include nowhere\n"
	    "bind \"k up\n"
	    "bind k up # fine\n"
	    "BIND k up\n"
	    "bind \x1b[A up\n"
	    "bind x down",			/* no final newline */
	    &err), -1);
	assert_string_equal(buf_str(&err),
	    "t.keys:2: unknown directive 'bnd'\n"
	    "t.keys:3: unknown key name 'Ctrl-x'\n"
	    "t.keys:4: unknown action 'dwn'\n"
	    "t.keys:5: 'bind' needs a key and an action\n"
	    "t.keys:6: 'bind' needs a key and an action\n"
	    "t.keys:7: 'bind' needs a key and an action\n"
	    "t.keys:8: 'unbind' needs one key\n"
	    "t.keys:9: 'unbind' needs one key\n"
	    "t.keys:10: unknown key name 'Ctrl-y'\n"
	    "t.keys:11: 'include' needs one keymap name\n"
	    "t.keys:12: 'include' needs one keymap name\n"
	    "t.keys:13: no keymap named 'nowhere'\n"
	    "t.keys:14: unterminated quote\n"
	    "t.keys:16: unknown directive 'BIND'\n"
	    "t.keys:17: unknown key name '^[[A'\n");
	/* Parsing went on past every error. */
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_DOWN);
	assert_int_equal(keymap_lookup(&km, 'k'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_DOWN);
	keymap_free(&km);

	memset(&km, 0, sizeof km);
	buf_reset(&err);
	assert_int_equal(keymap_parse(&km, "bind j down\0bind k up\n", 22,
	    "t.keys", NULL, NULL, &err), -1);
	assert_string_equal(buf_str(&err),
	    "t.keys:1: contains a NUL byte (not a text file?)\n");
	assert_int_equal(km.n, 0);
	keymap_free(&km);

	/* Without a resolver, nothing can be included. */
	memset(&km, 0, sizeof km);
	buf_reset(&err);
	assert_int_equal(keymap_parse(&km, "include base\n", 13, "t.keys",
	    NULL, NULL, &err), -1);
	assert_string_equal(buf_str(&err), "t.keys:1: no keymap named 'base'\n");
	keymap_free(&km);
	buf_free(&err);
}

static void
test_include(void **state)
{
	struct keymap	km;
	struct buf	err = BUF_INIT;

	(void)state;
	/* Included bindings apply in place; later lines replace them. */
	assert_int_equal(parse(&km,
	    "bind x down\n"
	    "include base\n"
	    "bind y down\n"
	    "unbind q\n", &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_QUIT);
	assert_int_equal(keymap_lookup(&km, 'y'), ACTION_DOWN);
	keymap_free(&km);

	/* An error inside an included file names that file and its line. */
	assert_int_equal(parse(&km, "include broken\nbind j down\n", &err), -1);
	assert_string_equal(buf_str(&err), "broken.keys:3: unknown action 'zz'\n");
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_DOWN);
	keymap_free(&km);

	/* Cycles are found before they are entered, and shown whole. */
	assert_int_equal(parse(&km, "include self\n", &err), -1);
	assert_string_equal(buf_str(&err),
	    "self.keys:2: include cycle: self.keys -> self.keys\n");
	assert_int_equal(keymap_lookup(&km, 's'), ACTION_SORT);
	keymap_free(&km);
	assert_int_equal(parse(&km, "bind q quit\ninclude a\n", &err), -1);
	assert_string_equal(buf_str(&err),
	    "b.keys:2: include cycle: a.keys -> b.keys -> a.keys\n");
	assert_int_equal(keymap_lookup(&km, 'a'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, 'b'), ACTION_UP);
	keymap_free(&km);
	/* A file including the file being read, under another name. */
	assert_int_equal(parse(&km, "bind 0 up\ninclude top\n", &err), -1);
	assert_string_equal(buf_str(&err),
	    "t.keys:2: include cycle: t.keys -> t.keys\n");
	assert_int_equal(keymap_lookup(&km, 't'), ACTION_NONE);
	keymap_free(&km);

	/* Four levels of include are fine, a fifth is not. */
	assert_int_equal(parse(&km, "include d1\n", &err), -1);
	assert_string_equal(buf_str(&err),
	    "d4.keys:2: includes nested more than 4 deep at 'd5'\n");
	assert_int_equal(keymap_lookup(&km, '4'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, '5'), ACTION_NONE);
	keymap_free(&km);
	assert_int_equal(parse(&km, "include d3\n", &err), 0);
	assert_int_equal(keymap_lookup(&km, '6'), ACTION_UP);
	keymap_free(&km);
	buf_free(&err);
}

static void
test_shipped(void **state)
{
	static const char *files[] = { "keymaps/default.keys",
	    "keymaps/emacs.keys" };
	static const struct {
		size_t		 file;
		enum action	 action;
		const char	*keys;
	} want[] = {
		{ 0, ACTION_DOWN, "j, Down" },
		{ 0, ACTION_UP, "k, Up" },
		{ 0, ACTION_PAGE_DOWN, "C-d, PageDown, C-f" },
		{ 0, ACTION_PAGE_UP, "C-u, PageUp, C-b" },
		{ 0, ACTION_TOP, "g, Home" },
		{ 0, ACTION_BOTTOM, "G, End" },
		{ 0, ACTION_ENTER, "Enter, l, Right" },
		{ 0, ACTION_BACK, "Esc, h, Left" },
		{ 0, ACTION_BACK_OR_QUIT, "q" },
		{ 0, ACTION_NEXT_PANE, "Tab" },
		{ 0, ACTION_PREV_PANE, "BTab" },
		{ 0, ACTION_FILTER, "/" },
		{ 0, ACTION_COMMAND, ":" },
		{ 0, ACTION_HELP, "?, F1" },
		{ 0, ACTION_REFRESH, "r, C-l" },
		{ 0, ACTION_SORT, "s" },
		{ 0, ACTION_SORT_REVERSE, "S" },
		{ 0, ACTION_DOWNSTREAM, "d" },
		{ 0, ACTION_UNFOLD, "Space" },
		{ 0, ACTION_SLA, "a" },
		{ 0, ACTION_SLA_WEEK, "W" },
		{ 0, ACTION_WRAP, "w" },
		{ 0, ACTION_RERUN, "R" },
		{ 0, ACTION_PREV_TRY, "[" },
		{ 0, ACTION_QUIT, "Q" },
		{ 1, ACTION_DOWN, "C-n, Down" },
		{ 1, ACTION_UP, "C-p, Up" },
		{ 1, ACTION_PAGE_DOWN, "C-v, PageDown" },
		{ 1, ACTION_PAGE_UP, "M-v, PageUp" },
		{ 1, ACTION_TOP, "M-<, Home" },
		{ 1, ACTION_BOTTOM, "M->, End" },
		{ 1, ACTION_BACK, "C-g, C-b, Left" },
		{ 1, ACTION_FILTER, "C-s" },
		{ 1, ACTION_COMMAND, "M-x" },
	};
	struct keymap	 km;
	struct buf	 err = BUF_INIT;
	char		*text;
	size_t		 len, i, j;
	int		 a;

	(void)state;
	for (i = 0; i < 2; i++) {
		memset(&km, 0, sizeof km);
		text = slurp(files[i], &len);
		assert_int_equal(keymap_parse(&km, text, len, files[i], NULL,
		    NULL, &err), 0);
		assert_string_equal(buf_str(&err), "");
		for (a = 1; a < ACTION_COUNT; a++)
			if (*keys_for(&km, a) == '\0')
				fail_msg("%s: no key for %s", files[i],
				    action_name(a));
		for (j = 0; j < sizeof want / sizeof *want; j++)
			if (want[j].file == i)
				assert_string_equal(keys_for(&km,
				    want[j].action), want[j].keys);
		assert_int_equal(keymap_lookup(&km, KEYC_UP), ACTION_UP);
		assert_int_equal(keymap_lookup(&km, KEYC_LEFT), ACTION_BACK);
		assert_int_equal(keymap_lookup(&km, KEYC_F1), ACTION_HELP);
		free(text);
		keymap_free(&km);
	}
	buf_free(&err);
}

static int
teardown(void **state)
{
	(void)state;
	buf_free(&keys_buf);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_keys),
		cmocka_unit_test(test_control_keys),
		cmocka_unit_test(test_characters),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests_name("keymap", tests, NULL, teardown);
}
