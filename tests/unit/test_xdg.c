/* test_xdg.c: the folders dagtop keeps its files in, and the small helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "xdg.h"

static void
expect_path(enum xdg_base base, const char *rest, const char *want)
{
	char *p = xdg_path(base, rest);

	if (want == NULL)
		assert_null(p);
	else {
		assert_non_null(p);
		assert_string_equal(p, want);
	}
	free(p);
}

static void
test_xdg_variables_win(void **state)
{
	(void)state;
	setenv("HOME", "/home/oncall", 1);
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("XDG_STATE_HOME", "/st", 1);
	setenv("XDG_CACHE_HOME", "/ca", 1);
	expect_path(XDG_CONFIG, "config", "/cfg/dagtop/config");
	expect_path(XDG_STATE, "audit.log", "/st/dagtop/audit.log");
	expect_path(XDG_CACHE, "github", "/ca/dagtop/github");
	setenv("XDG_DATA_HOME", "/da", 1);
	expect_path(XDG_DATA, "logs/d.t.1.log", "/da/dagtop/logs/d.t.1.log");
	unsetenv("XDG_DATA_HOME");
	expect_path(XDG_DATA, "logs", "/home/oncall/.local/share/dagtop/logs");
	expect_path(XDG_STATE, "", "/st/dagtop");
	expect_path(XDG_STATE, NULL, "/st/dagtop");
}

static void
test_xdg_home_fallbacks(void **state)
{
	(void)state;
	setenv("HOME", "/home/oncall", 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_STATE_HOME", "", 1);
	/* A relative value is ignored, as the specification says. */
	setenv("XDG_CACHE_HOME", "relative/cache", 1);
	expect_path(XDG_CONFIG, "views", "/home/oncall/.config/dagtop/views");
	expect_path(XDG_STATE, "history", "/home/oncall/.local/state/dagtop/history");
	expect_path(XDG_CACHE, "github", "/home/oncall/.cache/dagtop/github");
}

static void
test_xdg_no_home(void **state)
{
	(void)state;
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	expect_path(XDG_STATE, "audit.log", NULL);
	/* A relative home would put the audit log wherever dagtop runs. */
	setenv("HOME", "oncall", 1);
	expect_path(XDG_STATE, "audit.log", NULL);
	setenv("XDG_STATE_HOME", "/st", 1);
	expect_path(XDG_STATE, "audit.log", "/st/dagtop/audit.log");
}

static void
test_small_helpers(void **state)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	(void)state;
	assert_null(dup_or_null(NULL));
	s = dup_or_null("");
	assert_string_equal(s, "");
	free(s);
	assert_null(dup_nonempty(""));
	assert_null(dup_nonempty(NULL));
	s = dup_nonempty("tok");
	assert_string_equal(s, "tok");
	wipe_free(s);
	wipe_free(NULL);
	buf_puts(&b, "secret");
	buf_wipe(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_wipe(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg_variables_win),
		cmocka_unit_test(test_xdg_home_fallbacks),
		cmocka_unit_test(test_xdg_no_home),
		cmocka_unit_test(test_small_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
