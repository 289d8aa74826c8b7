/*
 * ui.h: the interactive console.  Panes draw from the latest snapshot and
 * never fetch; the console owns the sources and the event loop.
 */
#ifndef DAGTOP_UI_H
#define DAGTOP_UI_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include <curses.h>
#include <regex.h>

#include "airflow.h"
#include "datafile.h"
#include "filterspec.h"
#include "graph.h"
#include "keymap.h"
#include "logsearch.h"
#include "sla.h"
#include "slots.h"
#include "taskrows.h"
#include "view.h"

struct config;
struct settings;
struct tz;

/* What the sources last read, complete: panes draw only from this. */
struct snapshot {
	struct af_health	 health;
	struct af_dags		 dags;
	struct af_runs		 runs;		/* newest runs per DAG */
	struct sla_history	 sla;		/* attempts of the SLAs */
	struct af_pools		 pools;
	int64_t			 read_at;	/* wall clock of the read */
	bool			 valid;
	/*
	 * The DAGs whose strips were read (sorted; the others' newest run
	 * only, refresh.c); NULL: every DAG's.
	 */
	char			**strips;
	size_t			 nstrips;
};

/* The run whose tasks are shown, and what was read of it. */
struct run_detail {
	char			*dag_id;
	char			*run_id;
	struct af_tis		 tis;
	struct graph		*graph;
	struct buf		 warnings;
	struct task_rows	 rows;
	bool			 loaded;
};

struct console;

/* What a pane's key handler asks of the console. */
enum pane_result { PANE_IGNORED, PANE_HANDLED, PANE_OPEN_RUN, PANE_FOCUS_NEXT,
	PANE_LOG_REFETCH, PANE_LOG_SCAN, PANE_LOG_SAVE, PANE_LOG_PAGER,
	PANE_JUMP_DAG, PANE_OPEN_DAG, PANE_OLDER_RUNS };

/*
 * A pane class: a small vtable, as tmux's window modes.  Its state of its
 * own (cursors) is priv_size bytes, zeroed when the pane is first shown
 * and again for a new context (panes.c); what panes share is in struct
 * console.  NULL members mean "not supported".  Its name is the view
 * files' (view.c).
 */
struct pane_ops {
	size_t		 priv_size;
	void		 (*draw)(struct console *, void *priv, WINDOW *,
			    bool focused);
	enum pane_result (*key)(struct console *, void *priv, enum action);
	/* Frees what priv points to (not priv itself); NULL: nothing. */
	void		 (*free)(void *priv);
	/*
	 * Nothing to show now (no run open, no task selected): a view's
	 * collapse pane of this class then takes no space.  NULL: never.
	 */
	bool		 (*empty)(const struct console *, const void *priv);
};

/*
 * A list cursor moved by the list actions over n rows: down, up, a page of
 * `page` rows down or up (SIZE_MAX: to either end), top and bottom; an
 * empty list leaves it at 0.  False, and the cursor as it was, for any
 * other action.
 */
bool	pane_list_move(size_t *sel, size_t n, enum action, size_t page);
/*
 * Before a list of n rows is drawn, rows at a time from *top: the cursor
 * is kept on the list and *top moved so that the cursor is shown.
 */
void	pane_list_scroll(size_t *sel, size_t *top, size_t n, int rows);

extern const struct pane_ops pane_runs_ops;
extern const struct pane_ops pane_tasks_ops;
extern const struct pane_ops pane_details_ops;
extern const struct pane_ops pane_log_ops;

struct logfetch;
enum logscan { LOGSCAN_NONE, LOGSCAN_SEARCH, LOGSCAN_ERROR };

/* The log pane: which try of which task instance, and how it is shown. */
struct logpane {
	struct logfetch	*fetch;		/* NULL: nothing to show (see note) */
	char		*dag_id, *run_id, *task_id;
	int		 map_index;
	int		 try_number;	/* shown */
	int		 latest_try;	/* the newest try with a log */
	int		 max_tries;	/* the instance's (retries; -1 unknown) */
	bool		 pinned_try;	/* the user stepped to an older try */
	bool		 running;
	size_t		 top;		/* first line shown */
	size_t		 top_row;	/* its first wrapped row shown */
	size_t		 hscroll;	/* columns cut on the left */
	bool		 stick;		/* stay at the bottom as lines come */
	bool		 wrap;
	bool		 timestamps;
	int		 rows, cols;	/* of the last draw */
	struct logsearch search;
	bool		 has_search;
	size_t		 match;		/* line of the current match */
	bool		 has_match;
	enum logscan	 scan;		/* a scan in progress */
	int		 scan_dir;
	size_t		 scan_at, scan_from;
	bool		 scan_kind_error;
	bool		 scan_wrapped;	/* went past an end and on */
	bool		 traced;	/* DAGTOP_TRACE_LOG written */
	struct buf	 note;		/* why there is no log to show */
	struct buf	 said;		/* a scan's result, for the message line */
};
extern const struct pane_ops pane_sla_ops;
extern const struct pane_ops pane_slaweek_ops;

/*
 * Why an SLA is late when the cause is in another DAG (pane_impact.c reads
 * it, at most once per SLA per full_refresh, while the SLA pane shows).
 */
struct sla_cause {
	enum sla_outcome	 outcome;	/* as the SLA pane last drew it */
	bool			 asked;		/* a read queued or in flight */
	int64_t			 read_at;	/* its last answer; 0: none */
	bool			 upstream;	/* a bad link in another DAG */
	char			*sentence;	/* then the root cause */
};

/* The SLAs of the context, for the SLA panes (pane_sla.c). */
struct sla_panes {
	const struct sla_def	**defs;
	struct tz		**zones;	/* per SLA */
	size_t			 n;
	int			 week_start;
	struct sla_cause	*cause;		/* per SLA */
	bool			 drawn;		/* the pane drew since asked */
	size_t			 selected;	/* under the cursor; SIZE_MAX: none */
	size_t			 want;		/* to put the cursor on; SIZE_MAX: none */
};
/* Loads the SLAs of the context and their zones; frees them. */
void	sla_panes_load(struct sla_panes *, const struct config *,
	    const struct settings *);
void	sla_panes_free(struct sla_panes *);
/* The period the console reads: the trailing weeks up to today. */
void	sla_panes_window(const struct sla_panes *, const struct tz *,
	    int64_t now, int64_t *from, int64_t *to);
extern const struct pane_ops pane_slots_ops;

/*
 * A / filter: state: words (filterspec.h) and an extended regular
 * expression, ! in front inverts it.
 */
struct filter {
	bool			 on;
	bool			 invert;
	bool			 has_re;	/* re compiled: a pattern given */
	char			*text;
	regex_t			 re;
	struct filter_spec	 spec;
};

enum sort_key { SORT_ATTENTION, SORT_NAME, SORT_STARTED, SORT_DURATION,
	SORT_COUNT };

/* The console's state that panes read (and their own cursors). */
struct console {
	const struct settings	*settings;
	struct tz		*zone;
	struct snapshot		 snap;
	struct run_detail	 detail;
	struct keymap		 keymap;
	struct view		 view;
	bool			 color;
	bool			 ascii;
	/* runs pane */
	int			 runs_level;	/* 0: DAGs, 1: runs of one DAG */
	size_t			 dag_sel, dag_top;
	size_t			 dag_rows;	/* on screen; 0: not drawn */
	size_t			 runs_rows, task_rows; /* list rows the panes show (mouse.c) */
	bool			 dag_chosen;	/* moved there: refreshes keep it */
	size_t			 run_sel, run_top;
	size_t			*dag_order;	/* indexes into snap.dags, sorted */
	size_t			 ndag_order;
	/*
	 * Over the DAGs of dag_order, for the list's columns (computed with
	 * it, not at each draw: 20,000 DAGs): the longest id in bytes, the
	 * longest name and short name of a newest run's state (0: no run).
	 */
	size_t			 dag_id_max;
	size_t			 dag_state_max, dag_state_brief_max;
	struct filter		 dag_filter;
	struct filter		 run_filter;	/* the open DAG's runs */
	enum sort_key		 sort;
	bool			 sort_reverse;
	/*
	 * tasks pane: the lines shown, each a row of detail.rows (inst -1)
	 * or one instance of an unfolded mapped row (inst >= 0).
	 */
	struct filter		 task_filter;
	struct task_line {
		size_t	row;
		int	inst;
	}			*task_vis;
	size_t			 ntask_vis;
	char			**unfolded;	/* task ids shown unfolded */
	size_t			 nunfolded;
	size_t			 task_sel, task_top;
	bool			 show_downstream;
	bool			*downstream;	/* per graph task */
	struct logpane		 log;
	struct sla_panes	 sla;
	/* the run the runs pane asks to open */
	const char		*want_dag, *want_run;
	/* slots pane: BigQuery (slots_feed.c), pools from the snapshot */
	struct slots_feed	*slots;
	/* Four Keys pane: GitHub or SQL (fourkeys_feed.c) */
	struct fk_feed		*fourkeys;
	/*
	 * The open DAG's runs older than the snapshot's, read a page at a
	 * time as the runs list's cursor reaches its end (lists.c).
	 */
	struct older_runs {
		char		*dag_id;
		struct af_runs	 runs;	/* from the snapshot's, newest first */
		unsigned	 gen;	/* a read of an older generation is late */
		bool		 loading;
		bool		 end;	/* no older run */
	}			 older;
	/* each pane class's own state (panes.c) */
	void			*pane_state[PANE_KIND_COUNT];
};

/* Continues a log search or error scan; true while more is to scan. */
bool	logpane_scan_step(struct console *);
/* Starts a search from the current match (dir 1 down, -1 up). */
void	logpane_search(struct console *, int dir);
/* Writes the log, sanitised, a line each; -1 on a write error. */
int	logpane_write(struct console *, FILE *);
/*
 * The feed scheduler (feed.c): reads a costly source only while a pane
 * that shows it is drawn (feed_seen at each draw), then again an interval
 * after each read ends, while the pane is still on screen.  The source is
 * freed before its feed, which drops its callbacks.
 */
struct feed;
struct loop;
struct feed_source {
	void	(*fetch)(void *src, void (*done)(void *), void *arg);
	bool	(*busy)(const void *src);
	int	(*interval)(const void *src);	/* seconds */
};
struct feed	*feed_new(struct loop *, const struct feed_source *, void *src,
		    void (*changed)(void *), void *arg);
void		 feed_free(struct feed *);
void		 feed_seen(struct feed *);
/* A read now (the refresh key), unless one is in flight. */
void		 feed_refresh(struct feed *);

/*
 * The slots pane's BigQuery source in the console (slots_feed.c).  It
 * queries only while a slots pane is on screen: the queries are billed.
 */
struct slots_feed;
struct loop;
struct slots_feed *slots_feed_new(struct loop *, const struct settings *,
		    void (*changed)(void *), void *arg);
void		 slots_feed_free(struct slots_feed *);
/* The pane was drawn: refreshes start, or go on, every bigquery_refresh. */
void		 slots_feed_seen(struct slots_feed *);
void		 slots_feed_refresh(struct slots_feed *);
const struct slots *slots_feed_data(const struct slots_feed *);
/* One line for the pane's title and status: source, error, age. */
const char	*slots_feed_describe(const struct slots_feed *);
const char	*slots_feed_error(const struct slots_feed *);
const char	*slots_feed_warning(const struct slots_feed *);
bool		 slots_feed_busy(const struct slots_feed *);
int		 slots_feed_interval(const struct slots_feed *);

/*
 * The Four Keys pane's source in the console (fourkeys_feed.c): services
 * are read only while the pane is on screen (GitHub's rate limit is the
 * user's), then every fourkeys_refresh seconds.
 */
struct fk_feed;
struct fk_src;
struct fk_feed	*fk_feed_new(struct loop *, const struct config *,
		    void (*changed)(void *), void *arg);
void		 fk_feed_free(struct fk_feed *);
void		 fk_feed_seen(struct fk_feed *);
void		 fk_feed_refresh(struct fk_feed *);
/* NULL when there are no services (fk_feed_error says why). */
const struct fk_src *fk_feed_src(const struct fk_feed *);
const char	*fk_feed_error(const struct fk_feed *);
extern const struct pane_ops pane_fourkeys_ops;

/* Colours and attributes per state; letters when there is no colour. */
void	ui_colors_init(bool color);
attr_t	ui_run_attr(enum run_state);
attr_t	ui_ti_attr(enum ti_state);
/* Log lines: errors stand out, warnings are coloured. */
attr_t	ui_log_attr(bool error, bool warning);
/* Writes text from outside, defused and cut to the columns left. */
void	ui_put(WINDOW *, const char *, int maxcols);
/*
 * The same, and when the text has to be cut its last column shows that it
 * was: an ellipsis ('~' in ASCII).
 */
void	ui_put_cut(WINDOW *, const char *, int maxcols, bool ascii);
/*
 * Text from outside wrapped on up to rows rows of cols columns from (y, x),
 * never inside a character, the rest cut with the mark; returns the rows
 * it takes (w NULL: only counts).
 */
int	ui_put_wrap(WINDOW *, int y, int x, const char *, int cols, int rows,
	    bool ascii);
/* A frame with a title; focused panes are drawn bold. */
void	ui_frame(WINDOW *, const char *title, bool focused, bool ascii);
/* ui_put's cut mark: '~' when ascii, else an ellipsis (console.c sets it). */
void	ui_set_ascii(bool ascii);
/*
 * An id in exactly width columns; when cut, its head, the mark and its last
 * tail columns (columns.h: cols_tail picks tail so rows stay apart).
 */
void	ui_put_id(WINDOW *, const char *, int width, int tail);
/* The selected row: reversed, and dimmed when its pane is not focused. */
attr_t	ui_cursor_attr(bool focused);
/* What a list's frame shows besides its title. */
struct list_frame {
	const char	*title;
	size_t		 top;	/* first row shown */
	size_t		 sel;	/* the cursor */
	size_t		 n;	/* rows in the list */
	int		 rows;	/* rows shown */
	const char	*foot;	/* the selected row in full, or NULL */
};
/*
 * A list's frame: a focus mark and the title, the counter ("12/31") and a
 * mark when rows lie above on the top line; the selected row's full id
 * and state and a mark when rows lie below on the bottom line.
 */
void	ui_list_frame(WINDOW *, const struct list_frame *, bool focused,
	    bool ascii);
/*
 * Rows the foot takes above the bottom line (0 to 2): a list shows that
 * many rows fewer, for a foot wider than the bottom line to read whole.
 */
int	ui_list_foot_rows(WINDOW *, const char *foot);

/* The row of the i-th task line shown (after the filter), or NULL. */
const struct task_row *console_task_row(const struct console *, size_t);
/* The i-th line's instance: -1 for a whole row. */
int	console_task_inst(const struct console *, size_t);
/* Folds or unfolds the mapped task of line i. */
void	console_toggle_unfold(struct console *, size_t);
/* Compiles a filter; returns 0, or -1 with the reason in err. */
int	filter_set(struct filter *, const char *text, struct buf *err);
void	filter_clear(struct filter *);
bool	filter_match(const struct filter *, const char *, const char *);
/* Whether the state: words let this state through (all do without any). */
bool	filter_match_ti(const struct filter *, enum ti_state);
bool	filter_match_run(const struct filter *, enum run_state);
const char *sort_name(enum sort_key);

/*
 * The runs of one DAG in the snapshot, newest first, then the older pages
 * read for it (at most RUNS_LIST_MAX in all).
 */
#define RUNS_LIST_MAX	1024
/* The open DAG's runs as the runs list shows them: the runs filter's. */
size_t	console_run_list(const struct console *, const struct af_run **out,
	    size_t max);
size_t	console_dag_runs(const struct console *, const char *dag_id,
	    const struct af_run **out, size_t max);
/* refresh.c: whether the DAG's strip was read (else only its newest run). */
bool	console_strip_known(const struct console *, const char *dag_id);

struct config;
struct cli_options;

/*
 * `dagtop` with no command on a terminal; returns the exit status.  The
 * configuration stays for :context, which resolves another context of it.
 */
int	console_main(struct settings *, const struct config *,
	    const struct cli_options *, const char *view, const char *keymap,
	    int color, bool ascii);
/*
 * The same on several contexts (v, n from config_resolve_contexts): the
 * environments overview, a row per context; Enter opens one.
 */
int	console_main_many(struct settings *v, size_t n,
	    const struct config *, const struct cli_options *,
	    const char *view, const char *keymap, int color, bool ascii);

/* The readline prompt on the message line (prompt.c). */
typedef void (*prompt_done_cb)(void *arg, const char *line);	/* NULL: cancelled */
/*
 * TAB's candidates: the i-th for the word that starts at byte start of
 * line, or NULL after the last.  The prompt keeps only those that begin
 * with what was typed.  The string must live until the next call.
 */
typedef const char *(*prompt_complete_cb)(void *arg, const char *line,
		    int start, size_t i);
void	prompt_init(void);
void	prompt_shutdown(void);
/* Opens the prompt; complete (may be NULL) and done both get arg. */
void	prompt_open(WINDOW *, int y, const char *prompt, prompt_complete_cb,
	    prompt_done_cb, void *arg);
/*
 * The line as it is typed: cb gets it after each key that changed it
 * (until the prompt closes; set it after prompt_open).  prompt_hint shows
 * a note beside the line (NULL: none), such as why it does not apply.
 */
typedef void (*prompt_change_cb)(void *arg, const char *line);
void	prompt_on_change(prompt_change_cb, void *arg);
void	prompt_hint(const char *);
bool	prompt_active(void);
void	prompt_cancel(void);
void	prompt_feed(const char *, size_t);
void	prompt_redraw(WINDOW *, int y);


#endif
