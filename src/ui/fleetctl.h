/*
 * fleetctl.h: the environments overview's reads (the console opened on
 * several contexts: --context a,b, --all-contexts, contexts =).  Each
 * context has its own asynchronous source (sched_open_context), its own
 * timer and its own pace (pace.h: a refresh never starts while its last
 * runs, a slow one backs off), all in the console's one loop, so a
 * context that is slow or out of reach shows its own error and age and
 * never delays another.  Each read is report status's: health, DAGs and
 * the runs of the last 24 hours, judged by status_build (fleet.h); and,
 * at most once a minute, the runs of the context's SLAs, whose today is
 * judged as the SLA pane judges it.
 */
#ifndef DAGTOP_FLEETCTL_H
#define DAGTOP_FLEETCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config;
struct loop;
struct settings;
struct fleet_row;
struct fleetctl;

/* The window of the runs counted: report status's default. */
#define FLEET_WINDOW	(24 * 3600)

/*
 * Opens a source per context of v (borrowed, as cfg, whose SLAs each
 * context takes: they must outlive it) and reads each at once;
 * changed(arg) is called when a row changes.
 */
struct fleetctl	*fleetctl_new(struct loop *, const struct config *cfg,
		    const struct settings *v, size_t n, void (*changed)(void *),
		    void *arg);
void		 fleetctl_free(struct fleetctl *);
size_t		 fleetctl_count(const struct fleetctl *);
const struct fleet_row *fleetctl_row(const struct fleetctl *, size_t);
const struct settings *fleetctl_settings(const struct fleetctl *, size_t);
/*
 * How long the read in flight has run, seconds at now_ms (-1: none), and
 * the interval in use (longer while the context is slow).
 */
int64_t		 fleetctl_reading(const struct fleetctl *, size_t,
		    int64_t now_ms);
int		 fleetctl_every(const struct fleetctl *, size_t);
/*
 * Paused (a context is open in the console): the connections stay, no
 * read starts.  Resumed: each context not reading is read at once.
 */
void		 fleetctl_pause(struct fleetctl *, bool);
/* Every context not reading now, now (the refresh key). */
void		 fleetctl_refresh(struct fleetctl *);

#endif
