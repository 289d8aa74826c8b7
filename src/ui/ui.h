/*
 * ui.h: the interactive console.  Panes draw from the latest snapshot and
 * never fetch; the console owns the sources and the event loop.
 */
#ifndef DAGTOP_UI_H
#define DAGTOP_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>
#include <regex.h>

#include "airflow.h"
#include "datafile.h"
#include "graph.h"
#include "keymap.h"
#include "slots.h"
#include "taskrows.h"
#include "view.h"

struct settings;
struct tz;

/* What the sources last read, complete: panes draw only from this. */
struct snapshot {
	struct af_health	 health;
	struct af_dags		 dags;
	struct af_runs		 runs;		/* newest runs per DAG */
	struct af_pools		 pools;
	int64_t			 read_at;	/* wall clock of the read */
	bool			 valid;
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
	PANE_JUMP_DAG };

/* A pane: a small vtable; NULL members mean "not supported". */
struct pane_ops {
	const char	*name;
	void		 (*draw)(struct console *, WINDOW *, bool focused);
	enum pane_result (*key)(struct console *, enum action);
};

extern const struct pane_ops pane_runs_ops;
extern const struct pane_ops pane_tasks_ops;
extern const struct pane_ops pane_details_ops;
extern const struct pane_ops pane_slots_ops;

/* A / filter: an extended regular expression, ! in front inverts it. */
struct filter {
	bool	 on;
	bool	 invert;
	char	*text;
	regex_t	 re;
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
	size_t			 run_sel, run_top;
	size_t			*dag_order;	/* indexes into snap.dags, sorted */
	size_t			 ndag_order;
	struct filter		 dag_filter;
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
	/* the run the runs pane asks to open */
	const char		*want_dag, *want_run;
	/* slots pane: BigQuery (slots_feed.c), pools from the snapshot */
	struct slots_feed	*slots;
	size_t			 slot_sel, slot_top;
};

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

/* Colours and attributes per state; letters when there is no colour. */
void	ui_colors_init(bool color);
attr_t	ui_run_attr(enum run_state);
attr_t	ui_ti_attr(enum ti_state);
/* Writes text from outside, defused and cut to the columns left. */
void	ui_put(WINDOW *, const char *, int maxcols);
/* A frame with a title; focused panes are drawn bold. */
void	ui_frame(WINDOW *, const char *title, bool focused, bool ascii);

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
const char *sort_name(enum sort_key);

/* The runs of one DAG in the snapshot, newest first. */
size_t	console_dag_runs(const struct console *, const char *dag_id,
	    const struct af_run **out, size_t max);

struct config;
struct cli_options;

/*
 * `dagtop` with no command on a terminal; returns the exit status.  The
 * configuration stays for :context, which resolves another context of it.
 */
int	console_main(struct settings *, const struct config *,
	    const struct cli_options *, const char *view, const char *keymap,
	    int color, bool ascii);

/* The readline prompt on the message line (prompt.c). */
typedef void (*prompt_done_cb)(void *arg, const char *line);	/* NULL: cancelled */
void	prompt_init(void);
void	prompt_shutdown(void);
void	prompt_open(WINDOW *, int y, const char *prompt,
	    const char *const *completions, prompt_done_cb, void *arg);
bool	prompt_active(void);
void	prompt_cancel(void);
void	prompt_feed(const char *, size_t);
void	prompt_redraw(WINDOW *, int y);


#endif
