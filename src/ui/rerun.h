/* rerun.h: the rerun modal of the console (rerun.c). */
#ifndef DAGTOP_RERUN_H
#define DAGTOP_RERUN_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

struct airflow_api;
struct loop;
struct settings;
struct rerun;

/*
 * Told when the modal needs a redraw (n 0, msg NULL), when it closed with
 * something to say (n -1: cancelled, refused, failed), and after a clear
 * (n > 0 instances cleared, or the outcome is unknown and the modal stays
 * open to show the database's states): then the console refreshes at once.
 */
typedef void (*rerun_done_cb)(void *arg, int n, const char *msg);

struct rerun	*rerun_new(struct console *, rerun_done_cb, void *arg);
void		 rerun_free(struct rerun *);
bool		 rerun_active(const struct rerun *);
/*
 * Opens the modal with a dry run for these tasks (map index -1: the whole
 * task) and everything downstream of them, in one run.  api NULL: says
 * why_no_api instead.  Read-only: refused, audited, nothing sent.
 */
void		 rerun_start(struct rerun *, struct airflow_api *api,
		    const struct settings *, const char *why_no_api,
		    const char *dag_id, const char *run_id,
		    const char *const *task_ids, const int *map_indexes,
		    size_t n);
/*
 * A key while the modal is open: always taken, and acted on only when the
 * modal, as it is now, was on screen at the last draw (a key pressed while
 * it was hidden, or before its preview showed, does nothing).  In the
 * preview the movement actions scroll the list, y clears, only-failed
 * narrows it, any other key cancels.
 */
bool		 rerun_key(struct rerun *, int key, enum action);
/*
 * Draws the modal in the rows y .. y + height - 1, as tall as its content;
 * a modal that does not fit is not drawn.  Each draw of the screen calls it
 * (or rerun_hide when the screen shows something else instead).
 */
void		 rerun_draw(struct rerun *, int y, int width, int height);
/* A clear is in flight: its answer is awaited. */
bool		 rerun_in_flight(const struct rerun *);
/*
 * The console is leaving (why: "the user quit", "interrupted by SIGHUP").
 * A clear in flight is waited for, running the loop for at most
 * timeout_ms, and its outcome is audited ("outcome unknown: why ..." when
 * no answer came); no callback reaches the console from here on.  Says
 * what happened in said; returns 4 (CLEAR_EXIT_UNKNOWN) when the outcome
 * of a clear is unknown, else 0.
 */
int		 rerun_shutdown(struct rerun *, struct loop *, int timeout_ms,
		    const char *why, struct buf *said);
void		 rerun_hide(struct rerun *);
/* Open and on screen as it is now. */
bool		 rerun_shown(const struct rerun *);
/*
 * What the open modal reruns: its DAG, run and first task (the one the
 * line below is about); false when it is closed.
 */
bool		 rerun_target(const struct rerun *, const char **dag_id,
		    const char **run_id, const char **task_id);
/*
 * The preview's line on what the failure holds back (pane_impact.c, when
 * its read ends): its row is kept from the start, so neither the list nor
 * the keys move when it comes.
 */
void		 rerun_set_note(struct rerun *, const char *);

#endif
