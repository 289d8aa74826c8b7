/*
 * slots_feed.c: the console's BigQuery source for the slots pane.  The
 * INFORMATION_SCHEMA queries are billed (10 MB at least each, never cached),
 * so they run only while a slots pane is on screen: the first draw starts
 * a refresh, and one is due every bigquery_refresh seconds only if the
 * pane is still on screen then (drawn in the last few seconds: the console
 * redraws every second for its clock).  The last result stays between
 * refreshes and when one fails.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "loop.h"
#include "slots_src.h"
#include "ui.h"

struct slots_feed {
	struct slots_src	*src;
	struct loop_timer	*timer;
	struct buf		 error;		/* the source could not be made */
	int			 interval;	/* seconds */
	int64_t			 seen_at;	/* last drawn, loop_now_ms() */
	bool			 idle;		/* no refresh pending or due */
	void			 (*changed)(void *);
	void			*arg;
};

static void
refreshed(void *arg)
{
	struct slots_feed *f = arg;

	loop_timer_set(f->timer, (int64_t)f->interval * 1000);
	if (f->changed != NULL)
		f->changed(f->arg);
}

static void
start(struct slots_feed *f)
{
	f->idle = false;
	slots_src_refresh(f->src, refreshed, f);
	if (f->changed != NULL)
		f->changed(f->arg);	/* "refreshing" */
}

static void
due(struct loop_timer *t, void *arg)
{
	struct slots_feed *f = arg;

	(void)t;
	if (loop_now_ms() - f->seen_at < 2500)
		start(f);
	else
		f->idle = true;	/* the pane is away: wait until it is back */
}

struct slots_feed *
slots_feed_new(struct loop *loop, const struct settings *s,
    void (*changed)(void *), void *arg)
{
	struct slots_feed *f = xcalloc(1, sizeof *f);

	f->changed = changed;
	f->arg = arg;
	f->interval = s->bigquery_refresh > 0 ? s->bigquery_refresh : 60;
	f->idle = true;
	f->src = slots_src_new(loop, s, 0, &f->error);
	if (f->src != NULL)
		f->timer = loop_timer_new(loop, due, f);
	return f;
}

void
slots_feed_free(struct slots_feed *f)
{
	if (f == NULL)
		return;
	if (f->timer != NULL)
		loop_timer_free(f->timer);
	slots_src_free(f->src);
	buf_free(&f->error);
	free(f);
}

void
slots_feed_seen(struct slots_feed *f)
{
	if (f == NULL || f->src == NULL)
		return;
	f->seen_at = loop_now_ms();
	if (f->idle)
		start(f);
}

void
slots_feed_refresh(struct slots_feed *f)
{
	if (f == NULL || f->src == NULL || slots_src_busy(f->src))
		return;
	loop_timer_stop(f->timer);
	start(f);
}

const struct slots *
slots_feed_data(const struct slots_feed *f)
{
	return f != NULL && f->src != NULL ? slots_src_last(f->src) : NULL;
}

const char *
slots_feed_describe(const struct slots_feed *f)
{
	return f != NULL && f->src != NULL ? slots_src_describe(f->src) : "";
}

const char *
slots_feed_error(const struct slots_feed *f)
{
	if (f == NULL)
		return "";
	return f->src != NULL ? slots_src_error(f->src) : buf_str(&f->error);
}

const char *
slots_feed_warning(const struct slots_feed *f)
{
	return f != NULL && f->src != NULL ? slots_src_warning(f->src) : "";
}

bool
slots_feed_busy(const struct slots_feed *f)
{
	return f != NULL && f->src != NULL && slots_src_busy(f->src);
}

int
slots_feed_interval(const struct slots_feed *f)
{
	return f != NULL ? f->interval : 0;
}
