/*
 * test_builtin.c: the console's fallback keymap and view, made at build
 * time from keymaps/default.keys and views/oncall.view, parse cleanly and
 * bind every action, so a console without its data files still has every
 * key the help lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "builtin_data.h"
#include "keymap.h"
#include "view.h"

static void
test_builtin_keymap_binds_every_action(void **state)
{
	struct keymap	km;
	struct buf	err = BUF_INIT;
	int		act;

	(void)state;
	memset(&km, 0, sizeof km);
	assert_int_equal(keymap_parse(&km, builtin_keys, sizeof builtin_keys - 1,
	    "(built-in)", NULL, NULL, &err), 0);
	assert_int_equal(err.len, 0);
	for (act = 1; act < ACTION_COUNT; act++) {
		struct buf keys = BUF_INIT;

		keymap_keys_for(&km, act, &keys);
		if (keys.len == 0)
			fail_msg("no key for %s in the built-in keymap",
			    action_name(act));
		buf_free(&keys);
	}
	assert_int_equal(keymap_lookup(&km, '?'), ACTION_HELP);
	assert_int_equal(keymap_lookup(&km, 'q'), ACTION_BACK_OR_QUIT);
	keymap_free(&km);
}

static void
test_builtin_view_is_oncall(void **state)
{
	struct view	v;
	struct buf	err = BUF_INIT;

	(void)state;
	memset(&v, 0, sizeof v);
	assert_int_equal(view_parse(&v, builtin_view, sizeof builtin_view - 1,
	    "oncall", "(built-in)", &err), 0);
	assert_int_equal(err.len, 0);
	assert_int_equal(v.min_w, 80);
	assert_int_equal(v.min_h, 24);
	assert_int_equal(v.nscreens, 1);
	view_free(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_keymap_binds_every_action),
		cmocka_unit_test(test_builtin_view_is_oncall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
