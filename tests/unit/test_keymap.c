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

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "rb");
	char	*s;
	long	 n;

	assert_non_null(fp);
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

static void
test_key_names(void **state)
{
	static const char *names[] = { "Up", "Down", "Left", "Right", "Home",
	    "End", "PageUp", "PageDown", "Insert", "Delete", "BTab", "Space",
	    "Tab", "Enter", "Esc", "Backspace", "F1", "F9", "F10", "F12",
	    "C-a", "C-z", "M-x", "M-Down", "j", "J", "?", "/", ":", "\xc3\xa9" };
	struct buf	b = BUF_INIT;
	size_t		i;
	int		k;

	(void)state;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		assert_int_equal(keymap_key_parse(names[i], &k), 0);
		buf_reset(&b);
		keymap_key_name(k, &b);
		assert_string_equal(buf_str(&b), names[i]);
	}
	assert_int_equal(keymap_key_parse("C-N", &k), 0);
	assert_int_equal(k, 14);
	assert_int_equal(keymap_key_parse("^n", &k), 0);
	assert_int_equal(k, 14);
	assert_int_equal(keymap_key_parse("C-m", &k), 0);
	assert_int_equal(k, KEYC_ENTER);
	assert_int_equal(keymap_key_parse("enter", &k), 0);
	assert_int_equal(k, KEYC_ENTER);
	assert_int_equal(keymap_key_parse("j", &k), 0);
	assert_int_equal(k, 'j');
	static const char *bad[] = { "", "Ctrl-x", "C-", "C-1", "F13", "F0",
	    "jk", "M-", "M-M-x", "\x1b", "\x7f", "\xc2\x9b", "\xff" };
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(keymap_key_parse(bad[i], &k), -1);
	buf_free(&b);
}

static void
test_actions(void **state)
{
	int a;

	(void)state;
	for (a = 1; a < ACTION_COUNT; a++) {
		assert_int_equal(action_parse(action_name(a)), a);
		assert_true(strlen(action_description(a)) > 5);
	}
	assert_int_equal(action_parse("dwn"), ACTION_NONE);
}

static char *
resolver(const char *name, size_t *len, char **file, void *arg)
{
	(void)arg;
	if (strcmp(name, "base") == 0) {
		*file = strdup("base.keys");
		*len = strlen("bind x quit\nbind y up\n");
		return strdup("bind x quit\nbind y up\n");
	}
	if (strcmp(name, "loop") == 0) {
		*file = strdup("loop.keys");
		*len = strlen("include loop\n");
		return strdup("include loop\n");
	}
	return NULL;
}

static void
test_format(void **state)
{
	static const char text[] =
	    "# a comment\n"
	    "\n"
	    "include base\n"
	    "bind j down\n"
	    "bind j up\n"		/* a later bind wins */
	    "bind y down\n"		/* replaces the included one */
	    "unbind x\n"
	    "  bind   Down\tdown  \r\n"
	    "bnd k up\n"
	    "bind Ctrl-x quit\n"
	    "bind k dwn\n"
	    "bind k\n"
	    "unbind\n"
	    "include nowhere\n"
	    "include loop\n";
	struct keymap	km = { 0 };
	struct buf	err = BUF_INIT, b = BUF_INIT;
	int		k;

	(void)state;
	assert_int_equal(keymap_parse(&km, text, strlen(text), "t.keys",
	    resolver, NULL, &err), -1);
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, 'y'), ACTION_DOWN);
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_NONE);
	keymap_key_parse("Down", &k);
	assert_int_equal(keymap_lookup(&km, k), ACTION_DOWN);
	keymap_keys_for(&km, ACTION_DOWN, &b);
	assert_string_equal(buf_str(&b), "y, Down");
	assert_string_equal(buf_str(&err),
	    "t.keys:9: unknown directive 'bnd'\n"
	    "t.keys:10: unknown key name 'Ctrl-x'\n"
	    "t.keys:11: unknown action 'dwn'\n"
	    "t.keys:12: 'bind' needs a key and an action\n"
	    "t.keys:13: 'unbind' needs one key name\n"
	    "t.keys:14: no keymap named 'nowhere'\n"
	    "loop.keys:1: includes nested too deep (a cycle?) at 'loop'\n");
	keymap_free(&km);
	buf_free(&err);
	buf_free(&b);
}

static void
test_shipped(void **state)
{
	static const char *files[] = { "keymaps/default.keys",
	    "keymaps/emacs.keys" };
	struct keymap	 km;
	struct buf	 err = BUF_INIT;
	char		*text;
	size_t		 len, i;
	int		 a, k;

	(void)state;
	for (i = 0; i < 2; i++) {
		memset(&km, 0, sizeof km);
		text = slurp(files[i], &len);
		assert_int_equal(keymap_parse(&km, text, len, files[i], NULL,
		    NULL, &err), 0);
		assert_string_equal(buf_str(&err), "");
		/* Every action has a key. */
		for (a = 1; a < ACTION_COUNT; a++) {
			struct buf keys = BUF_INIT;

			keymap_keys_for(&km, a, &keys);
			if (keys.len == 0)
				fail_msg("%s: no key for %s", files[i],
				    action_name(a));
			buf_free(&keys);
		}
		/* The arrows work in both. */
		keymap_key_parse("Down", &k);
		assert_int_equal(keymap_lookup(&km, k), ACTION_DOWN);
		free(text);
		keymap_free(&km);
	}
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_shipped),
	};

	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
