/*
 * fourkeys_src.h: the Four Keys services of the configuration as a source.
 * Each [service] is read from GitHub (github.c: deployments and their
 * statuses, releases or merged pull requests; compare between deployed
 * commits; pull requests; labelled issues) or from a SQL query under the
 * column contract of dagtop.conf(5); the data goes through the model
 * (fourkeys.h).  Services refresh side by side; a failed refresh keeps the
 * service's last result and says why.  Nothing here writes anywhere but
 * the ETag cache.
 */
#ifndef DAGTOP_FOURKEYS_SRC_H
#define DAGTOP_FOURKEYS_SRC_H

#include <stdbool.h>
#include <stdint.h>

#include "fkdef.h"
#include "fourkeys.h"

struct loop;
struct buf;
struct fk_src;

/* One service as the panes and reports see it. */
struct fk_svc_view {
	const char		*name;
	const char		*describe;	/* "GitHub acme/api, deployments
						   to production" */
	bool			 valid;		/* a result is there */
	const struct fk_data	*data;		/* of the last result */
	const struct fk_result	*res;
	int64_t			 fetched_at;	/* epoch seconds, 0: never */
	const char		*error;		/* the last refresh's, or "" */
	bool			 busy;
	const char		*waiting;	/* "rate limit until 14:05 UTC" or "" */
	int			 requests, not_modified;	/* last refresh */
};

/* After each service's refresh, good or bad. */
typedef void (*fk_src_cb)(void *arg);

/*
 * The nsvc services of svc (only the one named service when service is
 * not NULL), with the [dagtop] keys of fk; a window of days (0:
 * fourkeys_window, else 30) ending when each refresh starts (until: 0) or
 * at until.  svc and fk must outlive the source.  NULL with why when
 * there are no services, the named one does not exist, or one cannot work.
 */
struct fk_src	*fk_src_new(struct loop *, const struct fk_service *svc,
		    size_t nsvc, const struct fk_config *fk,
		    const char *service, int days, int64_t until,
		    struct buf *why);
void		 fk_src_free(struct fk_src *);
/*
 * Refreshes every service that is not already refreshing; cb after each
 * (after this returns, or once before it returns when a service could
 * not even start).  Callbacks must not free the source.
 */
void		 fk_src_refresh(struct fk_src *, fk_src_cb, void *arg);
size_t		 fk_src_count(const struct fk_src *);
/* Filled in *out; valid until the next refresh completes or the free. */
void		 fk_src_service(const struct fk_src *, size_t, struct fk_svc_view *);
bool		 fk_src_busy(const struct fk_src *);
int		 fk_src_days(const struct fk_src *);
int		 fk_src_year(const struct fk_src *);
/* The configured refresh interval in seconds. */
int		 fk_src_interval(const struct fk_src *);

#endif
