/*
 * slots_src.h: slot usage as a source.  Owns the HTTP client, the Google
 * auth and the BigQuery client; one refresh runs the three INFORMATION_SCHEMA
 * queries (timeline, capacity, consumers) side by side and, when they are
 * all in, replaces the last result.  A failed refresh keeps the last result
 * and says why.  The queries are billed, so refreshes are rare (60 s by
 * default, bigquery_refresh).
 */
#ifndef DAGTOP_SLOTS_SRC_H
#define DAGTOP_SLOTS_SRC_H

#include <stdbool.h>
#include <stdint.h>

#include "google_auth.h"
#include "slots.h"

struct loop;
struct slots_src;

/* What the source reads; the config side fills it (options.c), borrowed. */
struct slots_options {
	struct gauth_opts auth;		/* scope unused: bigquery.readonly */
	const char	*url;		/* NULL: BigQuery's */
	const char	*project;	/* NULL: no source */
	const char	*admin_project;	/* NULL: project */
	const char	*location;
	const char	*reservation;	/* NULL: every one used */
	bool		 org_view;	/* JOBS_TIMELINE_BY_ORGANIZATION */
	int		 refresh;	/* seconds; 0 or less: 60 */
	int		 hours;		/* the window */
	/*
	 * A past window [from, until), whole minutes, instead of the last
	 * hours (until 0): its bounds go to the queries as parameters.
	 */
	int64_t		 from, until;
	int		 capacity;	/* -1: read from the reservations */
};

/* After every refresh, good or bad. */
typedef void (*slots_src_cb)(void *arg);

/*
 * NULL with the reason in err when the options cannot work (no project,
 * an auth method without what it needs).  hours: the window (0: the
 * options' hours), unless the options name a past one (from, until).
 */
struct slots_src *slots_src_new(struct loop *, const struct slots_options *,
		    int hours, struct buf *err);
void		 slots_src_free(struct slots_src *);
/*
 * How many of the last minutes count for the alert (recent_above):
 * SLOTS_ALERT_MINUTES unless set; effective from the next refresh.
 */
void		 slots_src_alert_minutes(struct slots_src *, int minutes);
/* Starts a refresh now unless one is running; cb after it. */
void		 slots_src_refresh(struct slots_src *, slots_src_cb, void *arg);
/* Refreshes every bigquery_refresh seconds from now on (first at once). */
void		 slots_src_auto(struct slots_src *, slots_src_cb, void *arg);
/* The last complete result (valid false before the first). */
const struct slots *slots_src_last(const struct slots_src *);
/* Why the last refresh failed, or "". */
const char	*slots_src_error(const struct slots_src *);
/* Notes of the last refresh (capacity unreadable), or "". */
const char	*slots_src_warning(const struct slots_src *);
bool		 slots_src_busy(const struct slots_src *);
/* "project my-proj, US, service account (key.json)". */
const char	*slots_src_describe(const struct slots_src *);

#endif
