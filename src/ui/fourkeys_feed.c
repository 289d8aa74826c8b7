/*
 * fourkeys_feed.c: the console's Four Keys source.  GitHub's rate limit is
 * shared with everything else the user's token does, so the services are
 * read only while a Four Keys pane is on screen: the first draw starts a
 * refresh, and one is due every fourkeys_refresh seconds (15 minutes by
 * default) only if the pane is still on screen then.  Each service keeps
 * its last result between refreshes and when one fails.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fourkeys_src.h"
#include "loop.h"
#include "ui.h"

struct fk_feed {
	struct fk_src		*src;
	struct loop_timer	*timer;
	struct buf		 error;		/* the source could not be made */
	int64_t			 seen_at;	/* last drawn, loop_now_ms() */
	bool			 idle;		/* no refresh pending or due */
	void			 (*changed)(void *);
	void			*arg;
};

static void
refreshed(void *arg)
{
	struct fk_feed *f = arg;

	if (!fk_src_busy(f->src))
		loop_timer_set(f->timer, (int64_t)fk_src_interval(f->src) *
		    1000);
	if (f->changed != NULL)
		f->changed(f->arg);
}

static void
start(struct fk_feed *f)
{
	f->idle = false;
	fk_src_refresh(f->src, refreshed, f);
	if (f->changed != NULL)
		f->changed(f->arg);	/* "reading" */
}

static void
due(struct loop_timer *t, void *arg)
{
	struct fk_feed *f = arg;

	(void)t;
	if (loop_now_ms() - f->seen_at < 2500)
		start(f);
	else
		f->idle = true;	/* the pane is away: wait until it is back */
}

struct fk_feed *
fk_feed_new(struct loop *loop, const struct config *cfg,
    void (*changed)(void *), void *arg)
{
	struct fk_feed *f = xcalloc(1, sizeof *f);

	f->changed = changed;
	f->arg = arg;
	f->idle = true;
	if (cfg != NULL)
		f->src = fk_src_new(loop, cfg, NULL, 0, 0, &f->error);
	else
		buf_puts(&f->error, "no configuration file");
	if (f->src != NULL)
		f->timer = loop_timer_new(loop, due, f);
	return f;
}

void
fk_feed_free(struct fk_feed *f)
{
	if (f == NULL)
		return;
	if (f->timer != NULL)
		loop_timer_free(f->timer);
	fk_src_free(f->src);
	buf_free(&f->error);
	free(f);
}

void
fk_feed_seen(struct fk_feed *f)
{
	if (f == NULL || f->src == NULL)
		return;
	f->seen_at = loop_now_ms();
	if (f->idle)
		start(f);
}

void
fk_feed_refresh(struct fk_feed *f)
{
	if (f == NULL || f->src == NULL || fk_src_busy(f->src))
		return;
	loop_timer_stop(f->timer);
	start(f);
}

const struct fk_src *
fk_feed_src(const struct fk_feed *f)
{
	return f != NULL ? f->src : NULL;
}

const char *
fk_feed_error(const struct fk_feed *f)
{
	return f != NULL ? buf_str(&f->error) : "";
}
