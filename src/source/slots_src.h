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

#include "slots.h"

struct loop;
struct settings;
struct slots_src;

/* After every refresh, good or bad. */
typedef void (*slots_src_cb)(void *arg);

/*
 * NULL with the reason in err when the settings cannot work (no project,
 * an auth method without what it needs).  hours: the window (0: the
 * settings' bigquery_hours).
 */
struct slots_src *slots_src_new(struct loop *, const struct settings *,
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
