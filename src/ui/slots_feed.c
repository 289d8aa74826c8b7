/*
 * slots_feed.c: the console's BigQuery source for the slots pane.  The
 * INFORMATION_SCHEMA queries are billed (10 MB at least each, never cached),
 * so the feed scheduler (feed.c) reads them only while a slots pane is on
 * screen, every bigquery_refresh seconds.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "loop.h"
#include "options.h"
#include "slots_src.h"
#include "ui.h"

struct slots_feed {
	struct slots_src	*src;
	struct feed		*feed;
	struct buf		 error;		/* the source could not be made */
	int			 interval;	/* seconds */
};

/* The feed's view of this source (its argument is the slots_feed). */
static void
src_refresh(void *arg, void (*done)(void *), void *done_arg)
{
	slots_src_refresh(((struct slots_feed *)arg)->src, done, done_arg);
}

static bool
src_busy(const void *arg)
{
	return slots_src_busy(((const struct slots_feed *)arg)->src);
}

static int
src_interval(const void *arg)
{
	return ((const struct slots_feed *)arg)->interval;
}

static const struct feed_source slots_feed_source = {
	src_refresh, src_busy, src_interval
};

struct slots_feed *
slots_feed_new(struct loop *loop, const struct settings *s,
    void (*changed)(void *), void *arg)
{
	struct slots_feed	*f = xcalloc(1, sizeof *f);
	struct slots_options	 so;

	f->interval = s->bigquery_refresh > 0 ? s->bigquery_refresh : 60;
	f->src = slots_src_new(loop, options_slots(s, &so), 0,
	    &f->error);
	if (f->src != NULL)
		f->feed = feed_new(loop, &slots_feed_source, f, changed, arg);
	return f;
}

void
slots_feed_free(struct slots_feed *f)
{
	if (f == NULL)
		return;
	slots_src_free(f->src);		/* first: its callbacks go with it */
	feed_free(f->feed);
	buf_free(&f->error);
	free(f);
}

void
slots_feed_seen(struct slots_feed *f)
{
	if (f != NULL)
		feed_seen(f->feed);
}

void
slots_feed_refresh(struct slots_feed *f)
{
	if (f != NULL)
		feed_refresh(f->feed);
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
