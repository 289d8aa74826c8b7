/*
 * test_datafile.c: where keymaps and views are found (the user's folder
 * first, then the source tree or DAGTOP_DATADIR), reading with a size cap,
 * and keymap_load()/view_load() with includes, in a temporary folder.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "datafile.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

static char	 root[64];
static char	*made[64];		/* what the tests created, in order */
static size_t	 nmade;

/* root/rel, in one of 8 static buffers used in turn. */
static const char *
at(const char *rel)
{
	static char	path[8][512];
	static size_t	which;

	which = (which + 1) % 8;
	snprintf(path[which], sizeof path[which], "%s/%s", root, rel);
	return path[which];
}

/* Writes len bytes of text at root/rel, making its folders. */
static void
put_len(const char *rel, const char *text, size_t len)
{
	char	 path[512], *slash;
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (slash = path + strlen(root) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		if (mkdir(path, 0700) == 0)
			made[nmade++] = strdup(path);
		*slash = '/';
	}
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	made[nmade++] = strdup(path);
	assert_true(nmade < sizeof made / sizeof *made);
}

static void
put(const char *rel, const char *text)
{
	put_len(rel, text, strlen(text));
}

static void
assert_found(const char *kind, const char *name, const char *ext,
    const char *want)
{
	char *path = datafile_find(kind, name, ext);

	if (want == NULL) {
		if (path != NULL)
			fail_msg("%s/%s%s found at %s", kind, name, ext, path);
		return;
	}
	if (path == NULL)
		fail_msg("%s/%s%s not found, want %s", kind, name, ext, want);
	assert_string_equal(path, want);
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	if (chdir(SRCDIR) != 0)
		return -1;
	snprintf(root, sizeof root, "/tmp/dagtop-test-XXXXXX");
	if (mkdtemp(root) == NULL)
		return -1;
	setenv("XDG_CONFIG_HOME", at("xdg"), 1);
	setenv("HOME", at("home"), 1);
	unsetenv("DAGTOP_DATADIR");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	while (nmade > 0) {
		nmade--;
		if (remove(made[nmade]) != 0)
			return -1;
		free(made[nmade]);
	}
	return rmdir(root);
}

static void
test_find(void **state)
{
	(void)state;
	/* Nothing of the user's: the source tree. */
	assert_found("views", "oncall", ".view", "views/oncall.view");
	assert_found("keymaps", "emacs", ".keys", "keymaps/emacs.keys");
	assert_found("views", "nonesuch", ".view", NULL);

	/* The user's copy wins. */
	put("xdg/dagtop/views/oncall.view", "pane log\n");
	assert_found("views", "oncall", ".view",
	    at("xdg/dagtop/views/oncall.view"));
	assert_found("views", "compact", ".view", "views/compact.view");

	/* A relative or unset XDG_CONFIG_HOME means $HOME/.config. */
	put("home/.config/dagtop/views/oncall.view", "pane runs\n");
	setenv("XDG_CONFIG_HOME", "xdg", 1);
	assert_found("views", "oncall", ".view",
	    at("home/.config/dagtop/views/oncall.view"));
	unsetenv("XDG_CONFIG_HOME");
	assert_found("views", "oncall", ".view",
	    at("home/.config/dagtop/views/oncall.view"));
	unsetenv("HOME");
	assert_found("views", "oncall", ".view", "views/oncall.view");
	setenv("HOME", at("home"), 1);
	setenv("XDG_CONFIG_HOME", at("xdg"), 1);

	/* DAGTOP_DATADIR replaces the source tree. */
	put("data/views/special.view", "pane sla\n");
	assert_found("views", "special", ".view", NULL);
	setenv("DAGTOP_DATADIR", at("data"), 1);
	assert_found("views", "special", ".view", at("data/views/special.view"));
	assert_found("views", "oncall", ".view",
	    at("xdg/dagtop/views/oncall.view"));
	{
		char *p = datafile_find("views", "compact", ".view");

		/* Not ./views: only the installed copy, if there is one. */
		if (p != NULL)
			assert_string_equal(p, DAGTOP_DATADIR
			    "/views/compact.view");
		free(p);
	}
	setenv("DAGTOP_DATADIR", "", 1);	/* empty is unset */
	assert_found("views", "compact", ".view", "views/compact.view");
	unsetenv("DAGTOP_DATADIR");
}

static void
test_names(void **state)
{
	static const char *bad[] = { "", ".", "..", ".oncall", "views/oncall",
	    "../views/oncall", "/etc/passwd", "on call", "oncall\n",
	    "caf\xc3\xa9", "a\\b", "*" };
	size_t i;

	(void)state;
	put("xdg/dagtop/views/A.b-c_9.view", "pane runs\n");
	assert_found("views", "A.b-c_9", ".view",
	    at("xdg/dagtop/views/A.b-c_9.view"));
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_found("views", bad[i], ".view", NULL);
}

static void
test_read(void **state)
{
	struct buf	 out = BUF_INIT, err = BUF_INIT, want = BUF_INIT;
	char		*big;

	(void)state;
	buf_puts(&out, "kept ");
	put("r/small", "bind j down\n");
	assert_int_equal(datafile_read(at("r/small"), &out, &err), 0);
	assert_string_equal(buf_str(&out), "kept bind j down\n");
	assert_string_equal(buf_str(&err), "");

	buf_reset(&out);
	assert_int_equal(datafile_read(at("r/missing"), &out, &err), -1);
	buf_printf(&want, "%s: No such file or directory\n", at("r/missing"));
	assert_string_equal(buf_str(&err), buf_str(&want));

	big = malloc(DATAFILE_MAX + 1);
	memset(big, '#', DATAFILE_MAX + 1);
	put_len("r/max", big, DATAFILE_MAX);
	put_len("r/over", big, DATAFILE_MAX + 1);
	free(big);
	buf_reset(&err);
	assert_int_equal(datafile_read(at("r/max"), &out, &err), 0);
	assert_int_equal(out.len, DATAFILE_MAX);
	assert_string_equal(buf_str(&err), "");
	buf_reset(&out);
	assert_int_equal(datafile_read(at("r/over"), &out, &err), -1);
	buf_reset(&want);
	buf_printf(&want, "%s: larger than 1 MiB\n", at("r/over"));
	assert_string_equal(buf_str(&err), buf_str(&want));
	buf_free(&out);
	buf_free(&err);
	buf_free(&want);
}

static void
test_view_load(void **state)
{
	struct view	v;
	struct buf	err = BUF_INIT, want = BUF_INIT;

	(void)state;
	/* The shipped one, then the user's over it. */
	assert_int_equal(view_load("compact", &v, &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(v.nscreens, 3);
	view_free(&v);
	put("xdg/dagtop/views/compact.view",
	    "min-size 100x30  # mine\nrow 50%\npane log\nrow\npane runs\n");
	assert_int_equal(view_load("compact", &v, &err), 0);
	assert_string_equal(v.name, "compact");
	assert_int_equal(v.min_w, 100);
	assert_int_equal(v.min_h, 30);
	assert_int_equal(v.nscreens, 1);
	assert_int_equal(v.screens[0].nrows, 2);
	assert_int_equal(v.screens[0].rows[0].panes[0].kind, PANE_LOG);
	view_free(&v);

	/* Messages name the file that was read. */
	put("xdg/dagtop/views/broken.view", "pane runs\npane graph\n");
	assert_int_equal(view_load("broken", &v, &err), -1);
	buf_printf(&want, "%s:2: unknown pane kind 'graph'\n",
	    at("xdg/dagtop/views/broken.view"));
	assert_string_equal(buf_str(&err), buf_str(&want));
	view_free(&v);
	buf_reset(&err);
	assert_int_equal(view_load("nope", &v, &err), -1);
	assert_string_equal(buf_str(&err), "no view named 'nope'\n");
	assert_int_equal(v.nscreens, 0);
	view_free(&v);
	buf_reset(&err);
	assert_int_equal(view_load("../x\x1b", &v, &err), -1);
	assert_string_equal(buf_str(&err), "no view named '../x^['\n");
	view_free(&v);
	buf_free(&err);
	buf_free(&want);
}

static void
test_keymap_load(void **state)
{
	struct keymap	km;
	struct buf	err = BUF_INIT, want = BUF_INIT;

	(void)state;
	/* A keymap of one's own on top of the shipped default. */
	put("xdg/dagtop/keymaps/mine.keys",
	    "include default   # the shipped one\nbind x quit\nunbind j\n");
	memset(&km, 0, sizeof km);
	assert_int_equal(keymap_load("mine", &km, &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(keymap_lookup(&km, 'x'), ACTION_QUIT);
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_NONE);
	assert_int_equal(keymap_lookup(&km, 'k'), ACTION_UP);
	assert_int_equal(keymap_lookup(&km, KEYC_DOWN), ACTION_DOWN);
	keymap_free(&km);

	/* Cycles, through the files found. */
	put("xdg/dagtop/keymaps/a.keys", "include b\n");
	put("xdg/dagtop/keymaps/b.keys", "bind b back\ninclude a\n");
	assert_int_equal(keymap_load("a", &km, &err), -1);
	buf_printf(&want, "%s:2: include cycle: %s -> %s -> %s\n",
	    at("xdg/dagtop/keymaps/b.keys"), at("xdg/dagtop/keymaps/a.keys"),
	    at("xdg/dagtop/keymaps/b.keys"), at("xdg/dagtop/keymaps/a.keys"));
	assert_string_equal(buf_str(&err), buf_str(&want));
	assert_int_equal(keymap_lookup(&km, 'b'), ACTION_BACK);
	keymap_free(&km);

	/* A user's default.keys replaces the shipped one, so including
	 * "default" from it is a cycle. */
	put("xdg/dagtop/keymaps/default.keys", "include default\n");
	buf_reset(&err);
	buf_reset(&want);
	assert_int_equal(keymap_load("default", &km, &err), -1);
	buf_printf(&want, "%s:1: include cycle: %s -> %s\n",
	    at("xdg/dagtop/keymaps/default.keys"),
	    at("xdg/dagtop/keymaps/default.keys"),
	    at("xdg/dagtop/keymaps/default.keys"));
	assert_string_equal(buf_str(&err), buf_str(&want));
	keymap_free(&km);

	buf_reset(&err);
	buf_reset(&want);
	put("xdg/dagtop/keymaps/lost.keys", "bind j down\ninclude zzz\n");
	assert_int_equal(keymap_load("lost", &km, &err), -1);
	buf_printf(&want, "%s:2: no keymap named 'zzz'\n",
	    at("xdg/dagtop/keymaps/lost.keys"));
	assert_string_equal(buf_str(&err), buf_str(&want));
	assert_int_equal(keymap_lookup(&km, 'j'), ACTION_DOWN);
	keymap_free(&km);
	buf_reset(&err);
	assert_int_equal(keymap_load("nope", &km, &err), -1);
	assert_string_equal(buf_str(&err), "no keymap named 'nope'\n");
	assert_int_equal(km.n, 0);
	buf_free(&err);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_view_load),
		cmocka_unit_test(test_keymap_load),
	};

	return cmocka_run_group_tests_name("datafile", tests, setup, teardown);
}
