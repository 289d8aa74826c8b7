/*
 * app.h: the console's own state and the calls between its files, inside
 * src/ui only.  Panes see struct console (ui.h); what only the console
 * itself needs (sources, timers, focus, the message line) is here.
 *
 *	console.c	set-up, signals, the terminal's keys, tear-down
 *	commands.c	the command table: : commands, key actions, help, completion
 *	refresh.c	the database: connect, refresh, reconnect, the open run
 *	lists.c		the DAG list and task lines derived from a snapshot
 *	screen.c	header, breadcrumb, status line, the panes of the view,
 *			focus, the too-small screen
 *	help.c		the help screen: scroll and filter
 *	panes.c		the pane classes, one line per kind
 */
#ifndef DAGTOP_APP_H
#define DAGTOP_APP_H

#include "dbconn.h"
#include "depread.h"
#include "pace.h"
#include "scheduler.h"
#include "ui.h"

struct sched;
struct logctl;
struct rerun;
struct loop_timer;
struct impact;
struct depq;
struct cmpwin;

#define STRIP_RUNS	10
#define BACKOFF_MAX	30

/* The console: what panes share (c), and what only the console keeps. */
struct app {
	struct console		 c;
	struct settings		*settings;	/* in force; :context replaces it */
	struct settings		*initial_settings;	/* the caller's */
	const struct config	*config;
	const struct cli_options *cli;
	struct loop		*loop;
	struct db_params	 params;
	struct sched		*db;
	struct logctl		*logs;		/* the log pane's fetches */
	struct rerun		*rerun;		/* the rerun modal */
	bool			 rerun_pending;	/* when the run's tasks are in */
	bool			 tearing_down;
	bool			 connected;
	int			 backoff;	/* seconds before the next try */
	int64_t			 retry_at;
	struct buf		 last_error;
	struct loop_timer	*refresh_timer;
	struct loop_timer	*reconnect_timer;
	struct loop_timer	*clock_timer;
	int			 pending;	/* reads of the refresh in flight */
	bool			 refreshing;
	struct snapshot		 next;
	struct sched_recent	 recent;	/* what next.runs reads */
	bool			 full_due;	/* the next refresh reads all */
	bool			 next_full;	/* the refresh in flight does */
	int64_t			 next_at;	/* when it began */
	int64_t			 runs_at;	/* snap.runs' read began */
	int64_t			 full_at;	/* the last full read's began */
	int64_t			 dags_at;	/* snap.dags' read began */
	bool			 next_pools;	/* the refresh reads the pools */
	bool			 next_sla;	/* and the SLAs' runs */
	int64_t			 sla_at;	/* snap.sla's read began */
	/* The open run's state when its task instances were last asked. */
	enum run_state		 detail_state;
	int64_t			 detail_end;
	bool			 detail_asked;
	struct pace		 pace;		/* the interval under load */
	/* Strips read between refreshes (the user scrolled): refresh.c. */
	struct loop_timer	*strips_timer;
	bool			 strips_pending;
	bool			 refresh_waits;	/* for the strips' read */
	struct sched_recent	 strips_req;
	struct af_runs		 strips_out;
	char			**strips_want;
	size_t			 nstrips_want;
	int64_t			 strips_at;
	int			 detail_pending;
	struct af_tis		 next_tis;
	size_t			 screen;	/* which screen of the view */
	size_t			 focus;		/* pane index in the screen */
	struct pane_rect	 layout[16];	/* of the last draw (mouse.c) */
	size_t			 nlayout;
	bool			 mouse;		/* clicks and the wheel */
	bool			 help;
	bool			 too_small;	/* the last draw said so */
	bool			 quit;
	int			 quit_signal;	/* SIGHUP, SIGTERM, SIGINT */
	bool			 dirty;
	struct buf		 message;
	bool			 message_from_read;	/* an error of a read */
	char			*describe;
	char			*sla_back_view;	/* the view before sla's */
	/* the help screen: first line shown, its / filter, being typed */
	size_t			 help_top;
	size_t			 help_rows, help_lines;	/* of the last draw */
	char			 help_filter[64];
	bool			 help_typing;
	/*
	 * Blast radius: the window (pane_impact.c), the reads (impactctl.c)
	 * and the context's dependency graph as last read (max_age
	 * full_refresh).
	 */
	struct impact		*impact;
	struct depq		*depq;
	struct dep_cache	 dep_cache;
	/*
	 * The environments overview (pane_fleet.c, fleetctl.c): NULL with
	 * one context; shown, or behind the context Enter opened.
	 */
	struct fleetctl		*fleet;
	bool			 fleet_shown;
	size_t			 fleet_sel, fleet_top;
	/* The compare window, :compare (pane_compare.c). */
	struct cmpwin		*compare;
};



/* console.c */
void	app_mark_dirty(void *app);
/* Reads keymap or view NAME; the built-in default when none can be read. */
void	app_load_keymap(struct app *, const char *, struct buf *errors);
void	app_load_view(struct app *, const char *, struct buf *errors);

/* refresh.c */
/* The refresh, reconnect and clock timers, then the first connection. */
void	app_refresh_start(struct app *);
void	app_connect(struct app *);
/*
 * A full refresh of the snapshot now, or as soon as the one in flight is
 * in (the timer's refreshes may read only what changed: refresh.c).
 */
void	app_refresh(struct app *);
/* A view was swapped in: what it shows and was not read, soon. */
void	app_view_changed(struct app *);
/* The refresh interval in use, seconds: longer while the database is slow. */
int	app_refresh_every(const struct app *);
/* Drops a read of strips the source no longer runs (it was freed). */
void	app_strips_free(struct app *);
/* The open run's task instances again (and its graph when asked). */
void	app_fetch_detail(struct app *, bool with_graph);
/* Opens c->want_dag, c->want_run in the tasks pane; focus only when asked. */
void	app_open_run(struct app *, bool focus);
/* Lets the open run go: tasks and log panes empty. */
void	app_forget_run(struct app *);
/* :context NAME: another context's settings and a new connection. */
void	app_switch_context(struct app *, const char *name);
void	snapshot_free(struct snapshot *);

/* lists.c */
void	console_sort_runs(struct console *);
void	console_rebuild_dag_order(struct console *, const char *keep);
/* Whether DAG i of the snapshot passes the DAG filter (and is active). */
bool	console_dag_passes(const struct console *, size_t i);
/* The dag_id of the selected DAG (allocated), or NULL. */
char	*console_selected_dag(const struct console *);
void	console_rebuild_task_vis(struct console *);
/*
 * Moves the cursor of list k (DAGs or runs, tasks) to its next failed row
 * (dir 1) or previous (-1), round the end, and says so in msg when it
 * wrapped or found none.
 */
void	console_next_failed(struct console *, enum pane_kind k, int dir,
	    struct buf *msg);
/*
 * The run under the runs list's cursor (allocated; NULL at the DAG level),
 * and the cursor back on it after a refresh, where it has moved to.
 */
char	*console_selected_run(const struct console *);
void	console_select_run(struct console *, const char *run_id);
/*
 * The runs pane's older pages (lists.c): the store begun for a DAG and the
 * run the next page follows (NULL: none to read now), a page added to it,
 * and the store let go.
 */
#define OLDER_PAGE	24	/* a day of an hourly DAG */
const struct af_run *console_older_begin(struct console *, const char *dag_id);
void	console_older_add(struct console *, struct af_runs *page);
void	console_older_reset(struct console *);
/* A DAG opened, or the end: the runs filter and the older pages go. */
void	console_runs_forget(struct console *);
/* Reads the open DAG's next page of older runs (older.c). */
void	app_fetch_older_runs(struct app *);
/* A run's tasks just read: the cursor on its first failure (lists.c). */
void	console_select_first_failed_task(struct console *);
/* The task line under the cursor, by id; and back to it after a rebuild. */
char	*console_selected_task(const struct console *, int *map_index);
void	console_select_task(struct console *, const char *task_id,
	    int map_index);

/* screen.c */
void	app_draw(struct app *);
/* Draws now and marks the screen clean. */
void	app_draw_now(struct app *);
enum pane_kind app_focused_kind(const struct app *);
/* Moves focus to the first pane of this kind, on any screen. */
void	app_focus_kind(struct app *, enum pane_kind);
void	app_next_pane(struct app *, int dir);
bool	app_view_has(const struct app *, enum pane_kind);
/* The screen is, or is about to be, "terminal too small". */
bool	app_too_small(const struct app *);
/* The prompt on the message line is not on screen (no key may reach it). */
bool	app_prompt_hidden(const struct app *);

/* help.c */
/* The help screen in the area (y, w, h) of stdscr's columns. */
void	app_draw_help(struct app *, int y, int w, int h);
/*
 * A key while help is shown: it scrolls, filters (/, type, Enter or Esc),
 * back keys leave help; true when the key asks to quit dagtop.
 */
bool	app_help_key(struct app *, int key, enum action);

/* commands.c: the command table */
void	app_handle_key(struct app *, int key);
/* Runs a : line; mistakes go to the message line. */
void	app_command_line(struct app *, const char *line);
/* TAB on the : line (prompt_complete_cb's contract). */
const char *app_command_complete(struct app *, const char *line, int start,
	    size_t i);
/* The table, for the help screen and the tests. */
size_t	command_count(void);
const char *command_nth_name(size_t);
enum action command_nth_action(size_t);
const char *command_nth_help(size_t);
/* The action does something when a pane of this kind has the focus. */
bool	command_acts_in(enum action, enum pane_kind);
/* Swaps in a view or keymap read from its file; the old one stays on error. */
void	app_switch_data(struct app *, bool view, const char *name);
/* The failed tasks of the open run, to the rerun modal. */
void	app_rerun_failed(struct app *);
/* The rerun modal's end: n instances cleared, and what to say. */
void	app_rerun_done(void *app, int n, const char *msg);
void	app_commands_free(void);

/* prompts.c: / filter (search in the log pane), : and save-as */
void	app_prompt_filter(struct app *);
void	app_prompt_command(struct app *);
void	app_prompt_save(struct app *);
/* What a / prompt left open at the end kept (the filter before it). */
void	app_prompts_free(void);

/* mouse.c: clicks and the wheel, when a->mouse */
void	app_mouse_start(struct app *);
/* KEY_MOUSE came: the event's click, double click or wheel. */
void	app_mouse(struct app *);
/* An action as its key runs it (commands.c), for the mouse. */
void	app_run_action(struct app *, enum action);

/*
 * pane_impact.c: the impact window over the panes; its reads, the rerun
 * modal's line and the SLA pane's upstream causes are impactctl.c's, every
 * read asynchronous, one at a time, through app->dep_cache.
 */
/* The impact key: the window for the selected task, run or SLA. */
void	app_impact_open(struct app *);
/*
 * A key while the window is open (taken; acted on only when it was on
 * screen) or waits behind what its Enter opened (back shows it again).
 */
bool	app_impact_key(struct app *, enum action);
/* Draws the window in rows y .. y + h - 1 when open; each draw calls it. */
void	app_impact_draw(struct app *, int y, int w, int h);	/* h 0: hides */
/* Open, and not behind what its Enter opened. */
bool	app_impact_open_now(const struct app *);
bool	app_impact_shown(const struct app *);
/*
 * The open run's task instances are in (refresh.c): the failure of a run
 * the window asks about, and the cursor on the task its Enter opened.
 */
void	app_impact_run_loaded(struct app *);
void	app_impact_free(struct app *);
/* impactctl.c: the rerun modal just opened: its line on what it holds back. */
void	app_impact_rerun(struct app *);
/* After a draw that showed the SLA pane: the whys due (full_refresh). */
void	app_impact_sla_tick(struct app *);
/* commands.c: DAG dag_id's runs in the runs pane, as Enter on it opens. */
void	app_jump_dag(struct app *, const char *dag_id);

/*
 * pane_fleet.c: the environments overview, over the whole screen while
 * shown (its reads: fleetctl.h).
 */
bool	app_fleet_shown(const struct app *);
/* h 0: rows 0 and 1 (header, breadcrumb); else the list in rows y .. y + h - 1. */
void	app_fleet_draw(struct app *, int y, int w, int h);
/* The columns the overview needs: its cells and a short name. */
int	app_fleet_min_w(void);
/* screen.c: the narrowest screen that shows what is open. */
int	app_min_w(const struct app *);
/* A key while the overview is shown: taken, or false (quit, help, :). */
bool	app_fleet_key(struct app *, enum action);
/* Context name opened as :context opens it; the overview waits behind. */
void	app_fleet_open(struct app *, const char *name);
/* Back from the open context's top: the overview again (false: none). */
bool	app_fleet_back(struct app *);
/* refresh.c: the context's connection closed, its reads and data gone. */
void	app_disconnect(struct app *);

/*
 * pane_compare.c: the compare window over the panes, blue against green,
 * on two connections of its own that close with it.
 */
/* :compare BLUE GREEN [SPAN] (arg: the rest of the line). */
void	app_compare_open(struct app *, const char *arg);
/* A key while the window is open: taken, as app_impact_key's. */
bool	app_compare_key(struct app *, enum action);
/* Draws the window in rows y .. y + h - 1 when open; each draw calls it. */
void	app_compare_draw(struct app *, int y, int w, int h);	/* h 0: hides */
bool	app_compare_open_now(const struct app *);
bool	app_compare_shown(const struct app *);
void	app_compare_free(struct app *);

/* panes.c */
const struct pane_ops *pane_class(enum pane_kind);
/* The class's own state for this console, made (zeroed) when first asked. */
void	*pane_state(struct console *, enum pane_kind);
/* Every pane's own state goes (a new context; the end). */
void	 panes_reset(struct console *);
/* Which kinds have nothing to show now, for view_layout_fit. */
void	 panes_empty(struct console *, bool empty[PANE_KIND_COUNT]);
/* Pane i of the screen takes no space now: it cannot hold the focus. */
bool	 panes_collapsed(struct console *, size_t screen, size_t i);

#endif
