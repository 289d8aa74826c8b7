/*
 * fourkeys_feed.c: the console's Four Keys source.  GitHub's rate limit is
 * shared with everything else the user's token does, so the feed scheduler
 * (feed.c) reads the services only while a Four Keys pane is on screen,
 * every fourkeys_refresh seconds (15 minutes by default).  Each service
 * keeps its last result between refreshes and when one fails.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fourkeys_src.h"
#include "loop.h"
#include "ui.h"

struct fk_feed {
	struct fk_src		*src;
	struct feed		*feed;
	struct buf		 error;		/* the source could not be made */
};

/* The feed's view of this source (its argument is the fk_src). */
static void
src_refresh(void *src, void (*done)(void *), void *arg)
{
	fk_src_refresh(src, done, arg);
}

static bool
src_busy(const void *src)
{
	return fk_src_busy(src);
}

static int
src_interval(const void *src)
{
	return fk_src_interval(src);
}

static const struct feed_source fk_feed_source = {
	src_refresh, src_busy, src_interval
};

struct fk_feed *
fk_feed_new(struct loop *loop, const struct config *cfg,
    void (*changed)(void *), void *arg)
{
	struct fk_feed *f = xcalloc(1, sizeof *f);

	if (cfg != NULL)
		f->src = fk_src_new(loop, cfg->svc, cfg->nsvc, &cfg->fk, NULL,
		    0, 0, &f->error);
	else
		buf_puts(&f->error, "no configuration file");
	if (f->src != NULL)
		f->feed = feed_new(loop, &fk_feed_source, f->src, changed, arg);
	return f;
}

void
fk_feed_free(struct fk_feed *f)
{
	if (f == NULL)
		return;
	fk_src_free(f->src);		/* first: its callbacks go with it */
	feed_free(f->feed);
	buf_free(&f->error);
	free(f);
}

void
fk_feed_seen(struct fk_feed *f)
{
	if (f != NULL)
		feed_seen(f->feed);
}

void
fk_feed_refresh(struct fk_feed *f)
{
	if (f != NULL)
		feed_refresh(f->feed);
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
