/*
 * feed.c: the console's feed scheduler, for sources that cost something
 * each time they are read (BigQuery bills every INFORMATION_SCHEMA query;
 * GitHub's rate limit is the user's).  A source is read only while a pane
 * that shows it is on screen: the first draw starts a refresh, and the
 * next is due an interval after the last ended, only if the pane is still
 * on screen then (drawn in the last few seconds: the console redraws every
 * second for its clock).  The source keeps its last result between
 * refreshes and when one fails; the feed only decides when to read.
 */
#include <stdlib.h>

#include "buf.h"
#include "loop.h"
#include "ui.h"

/* Drawn this recently, the pane is on screen. */
#define FEED_SEEN_MS	2500

struct feed {
	const struct feed_source *ops;
	void			*src;
	struct loop_timer	*timer;
	int64_t			 seen_at;	/* last drawn, loop_now_ms() */
	bool			 idle;		/* no refresh pending or due */
	void			 (*changed)(void *);
	void			*arg;
};

static void
refreshed(void *arg)
{
	struct feed *f = arg;

	if (!f->ops->busy(f->src))
		loop_timer_set(f->timer, (int64_t)f->ops->interval(f->src) *
		    1000);
	if (f->changed != NULL)
		f->changed(f->arg);
}

static void
start(struct feed *f)
{
	f->idle = false;
	f->ops->fetch(f->src, refreshed, f);
	if (f->changed != NULL)
		f->changed(f->arg);	/* "reading" */
}

static void
due(struct loop_timer *t, void *arg)
{
	struct feed *f = arg;

	(void)t;
	if (loop_now_ms() - f->seen_at < FEED_SEEN_MS)
		start(f);
	else
		f->idle = true;	/* the pane is away: wait until it is back */
}

struct feed *
feed_new(struct loop *loop, const struct feed_source *ops, void *src,
    void (*changed)(void *), void *arg)
{
	struct feed *f = xcalloc(1, sizeof *f);

	f->ops = ops;
	f->src = src;
	f->changed = changed;
	f->arg = arg;
	f->idle = true;
	f->timer = loop_timer_new(loop, due, f);
	return f;
}

void
feed_free(struct feed *f)
{
	if (f == NULL)
		return;
	loop_timer_free(f->timer);
	free(f);
}

void
feed_seen(struct feed *f)
{
	if (f == NULL)
		return;
	f->seen_at = loop_now_ms();
	if (f->idle)
		start(f);
}

void
feed_refresh(struct feed *f)
{
	if (f == NULL || f->ops->busy(f->src))
		return;
	loop_timer_stop(f->timer);
	start(f);
}
