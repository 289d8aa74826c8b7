/*
 * logctl.h: the console's log controller (logctl.c): the log pane follows
 * the task instance selected in the tasks pane.
 */
#ifndef DAGTOP_LOGCTL_H
#define DAGTOP_LOGCTL_H

#include <stdbool.h>

#include "buf.h"
#include "ui.h"

struct sched;
struct loop;
struct settings;
struct logctl;

/* dirty(arg) is called whenever the pane has something new to draw. */
struct logctl	*logctl_new(struct loop *, struct console *,
		    const struct settings *, void (*dirty)(void *), void *arg);
void		 logctl_free(struct logctl *);
/*
 * The database is up (again), maybe for another context: the Airflow
 * version decides between API v1 and v2, and between the 2.x and 3.x file
 * formats.
 */
void		 logctl_set_source(struct logctl *, const struct settings *,
		    struct sched *, int major, bool ti_history);
/*
 * :context: drops the Airflow API client and the HTTP client of the old
 * context (nothing of it is used again) and builds an HTTP client with the
 * TLS settings of s; the API client follows in logctl_set_source.
 */
void		 logctl_switch(struct logctl *, const struct settings *);
/* The console's Airflow API client (NULL, and why, when there is none). */
struct airflow_api *logctl_api(struct logctl *);
const char	*logctl_api_error(struct logctl *);
/* The database is going away: no more queries through it. */
void		 logctl_forget_db(struct logctl *);
/* The selection or the run's task instances changed: follow them. */
void		 logctl_sync(struct logctl *);
/* Fetches the shown try again (the retry key, a stepped try). */
void		 logctl_refetch(struct logctl *);
/* Runs the scan the pane started, a slice per loop turn. */
void		 logctl_scan(struct logctl *);
/* Sets (or with "" clears) the search and looks for the first match. */
int		 logctl_set_search(struct logctl *, const char *pattern,
		    struct buf *err);
/*
 * Writes the sanitised log (mode 0600) to the path typed at the prompt
 * ("~/" is $HOME; relative is from the working folder) or, for "", to
 * $XDG_DATA_HOME/dagtop/logs/DAG.TASK[.MAP].TRY.log, making the folder.
 * The message names the full path written, or why not.
 */
int		 logctl_save(struct logctl *, const char *typed, struct buf *msg);
/* Shows the sanitised log in $PAGER (less); curses must be suspended. */
int		 logctl_pager(struct logctl *, struct buf *msg);

#endif
