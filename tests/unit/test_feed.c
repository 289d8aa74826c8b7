/*
 * test_feed.c: the feed scheduler reads a costly source only while its
 * pane is drawn: the first draw reads, the next read comes an interval
 * after the last one ended if the pane was drawn since, and none while
 * the pane is away, until it is drawn again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "loop.h"
#include "ui.h"

struct fake {
	struct loop_timer	*answer;	/* the read ends 10 ms later */
	void			(*done)(void *);
	void			*arg;
	int			 reads;
	bool			 busy;
};

static void
answered(struct loop_timer *t, void *arg)
{
	struct fake *f = arg;

	(void)t;
	f->busy = false;
	f->done(f->arg);
}

static void
fake_fetch(void *src, void (*done)(void *), void *arg)
{
	struct fake *f = src;

	f->reads++;
	f->busy = true;
	f->done = done;
	f->arg = arg;
	loop_timer_set(f->answer, 10);
}

static bool
fake_busy(const void *src)
{
	return ((const struct fake *)src)->busy;
}

static int
fake_interval(const void *src)
{
	(void)src;
	return 1;
}

static const struct feed_source fake_source = {
	fake_fetch, fake_busy, fake_interval
};

static void
tick(struct loop_timer *t, void *arg)
{
	(void)t;
	(void)arg;
}

/* Runs the loop for ms, drawing the pane every 100 ms when shown. */
static void
run_for(struct loop *l, struct feed *feed, int ms, bool shown)
{
	struct loop_timer	*t = loop_timer_new(l, tick, NULL);
	int64_t			 end = loop_now_ms() + ms;

	while (loop_now_ms() < end) {
		if (shown)
			feed_seen(feed);
		loop_timer_set(t, 100);
		(void)loop_run_once(l);
	}
	loop_timer_free(t);
}

static void
test_reads_only_while_shown(void **state)
{
	struct loop	*l = loop_new();
	struct fake	 f;
	struct feed	*feed;

	(void)state;
	memset(&f, 0, sizeof f);
	f.answer = loop_timer_new(l, answered, &f);
	feed = feed_new(l, &fake_source, &f, NULL, NULL);
	run_for(l, feed, 300, false);
	assert_int_equal(f.reads, 0);		/* never drawn: nothing read */
	run_for(l, feed, 300, true);
	assert_int_equal(f.reads, 1);		/* the first draw reads */
	run_for(l, feed, 1200, true);
	assert_int_equal(f.reads, 2);		/* an interval later, shown */
	/* Away: reads due within the grace after the last draw, then none. */
	run_for(l, feed, 4000, false);
	{
		int away = f.reads;

		run_for(l, feed, 1500, false);
		assert_int_equal(f.reads, away);	/* away: no read */
		run_for(l, feed, 200, true);
		assert_int_equal(f.reads, away + 1);	/* back: at once */
	}
	/* The refresh key reads now, but not over a read in flight. */
	while (f.busy)
		(void)loop_run_once(l);
	feed_refresh(feed);
	feed_refresh(feed);
	assert_true(f.busy);
	feed_free(feed);
	loop_timer_free(f.answer);
	loop_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_only_while_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
