/*
 * test_commands.c: the console's command table: every key action is one
 * command with its help line, names are unique, each says where it acts,
 * : lines are checked before anything runs, and TAB offers what each
 * command takes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "config.h"

static void
test_every_action_is_one_command(void **state)
{
	size_t	i, j;
	int	act, seen;

	(void)state;
	for (act = 1; act < ACTION_COUNT; act++) {
		seen = 0;
		for (i = 0; i < command_count(); i++)
			if (command_nth_action(i) == (enum action)act) {
				seen++;
				assert_string_equal(command_nth_name(i),
				    action_name(act));
				assert_true(strlen(command_nth_help(i)) > 5);
			}
		assert_int_equal(seen, 1);
	}
	for (i = 0; i < command_count(); i++)
		for (j = i + 1; j < command_count(); j++)
			assert_string_not_equal(command_nth_name(i),
			    command_nth_name(j));
	assert_null(command_nth_name(command_count()));
}

static void
test_help_lines(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < command_count(); i++) {
		if (command_nth_action(i) == ACTION_DOWNSTREAM)
			assert_string_equal(command_nth_help(i), "highlight what "
			    "a rerun of the selected task would touch");
		if (command_nth_action(i) == ACTION_UNFOLD)
			assert_string_equal(command_nth_help(i),
			    "fold or unfold a mapped task");
	}
}

/*
 * Where actions act, for the status bar: every action but the rerun
 * modal's acts in some pane; the log's keys only in the log, the tasks
 * pane's only there; help and quit everywhere.
 */
static void
test_panes_of_actions(void **state)
{
	int	act, k, n;

	(void)state;
	for (act = 1; act < ACTION_COUNT; act++) {
		for (n = 0, k = 0; k < PANE_KIND_COUNT; k++)
			n += command_acts_in(act, k);
		if (act == ACTION_ONLY_FAILED)
			assert_int_equal(n, 0);
		else if (n == 0)
			fail_msg("%s acts in no pane", action_name(act));
	}
	for (k = 0; k < PANE_KIND_COUNT; k++) {
		assert_true(command_acts_in(ACTION_HELP, k));
		assert_true(command_acts_in(ACTION_QUIT, k));
		assert_int_equal(command_acts_in(ACTION_FOLLOW, k), k == PANE_LOG);
		assert_int_equal(command_acts_in(ACTION_DOWNSTREAM, k),
		    k == PANE_TASKS);
		assert_int_equal(command_acts_in(ACTION_SORT, k), k == PANE_RUNS);
	}
	assert_false(command_acts_in(ACTION_COUNT, PANE_RUNS));
}

/* Every candidate TAB offers for the word at start of line, joined by ' '. */
static char *
candidates(struct app *a, const char *line, int start)
{
	struct buf	 b = BUF_INIT;
	const char	*c;
	size_t		 i;

	for (i = 0; (c = app_command_complete(a, line, start, i)) != NULL; i++)
		buf_printf(&b, "%s%s", i > 0 ? " " : "", c);
	return buf_detach(&b);
}

static void
test_completion(void **state)
{
	struct app	 a;
	struct config	 cfg;
	struct context	 ctx[2];
	char		*got;

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&cfg, 0, sizeof cfg);
	memset(ctx, 0, sizeof ctx);
	ctx[0].name = "prod";
	ctx[1].name = "staging";
	cfg.ctx = ctx;
	cfg.nctx = 2;
	a.config = &cfg;

	got = candidates(&a, "", 0);
	assert_non_null(strstr(got, "view keymap context"));
	assert_non_null(strstr(got, "follow"));
	assert_non_null(strstr(got, "quit"));
	free(got);
	got = candidates(&a, "sort ", 5);
	assert_string_equal(got, "attention name started duration");
	free(got);
	got = candidates(&a, "context ", 8);
	assert_string_equal(got, "prod staging");
	free(got);
	/* The shipped views, from ./views in the source tree. */
	setenv("XDG_CONFIG_HOME", "/nonexistent-dagtop-test", 1);
	unsetenv("DAGTOP_DATADIR");
	got = candidates(&a, "view ", 5);
	assert_non_null(strstr(got, "compact"));
	assert_non_null(strstr(got, "oncall"));
	assert_non_null(strstr(got, "sla"));
	free(got);
	got = candidates(&a, "keymap ", 7);
	assert_string_equal(got, "default emacs");
	free(got);
	/* Nothing for a command without an argument, or past the argument. */
	got = candidates(&a, "quit ", 5);
	assert_string_equal(got, "");
	free(got);
	got = candidates(&a, "view oncall ", 12);
	assert_string_equal(got, "");
	free(got);
	app_commands_free();
}

static void
test_command_line_mistakes(void **state)
{
	struct app a;

	(void)state;
	memset(&a, 0, sizeof a);
	app_command_line(&a, "frob");
	assert_non_null(strstr(buf_str(&a.message), "unknown command 'frob'"));
	app_command_line(&a, "quit now");
	assert_string_equal(buf_str(&a.message), ":quit takes no argument");
	app_command_line(&a, "view");
	assert_string_equal(buf_str(&a.message),
	    ":view needs a name (TAB lists them)");
	app_command_line(&a, "context a b");
	assert_string_equal(buf_str(&a.message),
	    ":context takes one argument");
	assert_false(a.quit);
	buf_free(&a.message);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_is_one_command),
		cmocka_unit_test(test_help_lines),
		cmocka_unit_test(test_panes_of_actions),
		cmocka_unit_test(test_completion),
		cmocka_unit_test(test_command_line_mistakes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
