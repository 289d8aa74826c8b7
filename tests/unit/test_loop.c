/*
 * test_loop.c: the event loop's signal catching: a signal becomes a call
 * inside the loop, in order, and the previous handlers come back.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "loop.h"

static int	seen[8];
static int	nseen;

static void
caught(int signo, void *arg)
{
	struct loop *l = arg;

	if (nseen < 8)
		seen[nseen++] = signo;
	loop_break(l);
}

static void
test_signals_reach_the_loop(void **state)
{
	struct loop		*l = loop_new();
	struct loop		*other = loop_new();
	struct sigaction	 mine, now;
	const int		 sigs[2] = { SIGUSR1, SIGUSR2 };

	(void)state;
	memset(&mine, 0, sizeof mine);
	mine.sa_handler = SIG_IGN;
	sigemptyset(&mine.sa_mask);
	sigaction(SIGUSR1, &mine, NULL);
	nseen = 0;
	assert_int_equal(loop_signals(l, sigs, 2, caught, l), 0);
	/* The process has one set of handlers: a second loop is refused. */
	assert_int_equal(loop_signals(other, sigs, 2, caught, other), -1);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGUSR2);
	while (nseen < 3 && loop_run_once(l) > 0)
		;
	assert_int_equal(nseen, 3);
	assert_int_equal(seen[0], SIGUSR2);
	assert_int_equal(seen[1], SIGUSR1);
	assert_int_equal(seen[2], SIGUSR2);
	loop_free(l);
	/* The handler from before is back, and a new loop may catch again. */
	sigaction(SIGUSR1, NULL, &now);
	assert_true(now.sa_handler == SIG_IGN);
	assert_int_equal(loop_signals(other, sigs, 1, caught, other), 0);
	raise(SIGUSR1);
	while (nseen < 4 && loop_run_once(other) > 0)
		;
	assert_int_equal(seen[3], SIGUSR1);
	loop_free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signals_reach_the_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
