/*
 * commands.c: the command table.  Every key action and every : command is
 * one line of commands[], with its help line; a key runs the command of its
 * action, : runs one by name, the help screen and TAB completion read the
 * same table.  A command without a function is the focused pane's: the
 * pane's answer (open a run, fetch a log again, ...) is carried out here.
 * As in tmux, every key action can also be typed: ":follow", ":rerun".
 */
#include <stdlib.h>
#include <string.h>

#include "airflow_db.h"
#include "app.h"
#include "config.h"
#include "logctl.h"
#include "loop.h"
#include "rerun.h"

/* What a command's argument is, for checking and for TAB. */
enum cmd_arg { ARG_NONE, ARG_VIEW, ARG_KEYMAP, ARG_SORT, ARG_CONTEXT,
	ARG_LINE };	/* ARG_LINE: the rest of the line, the command parses it */

struct command {
	enum action	 action;	/* its key action; ACTION_NONE: : only */
	const char	*name;		/* : only: its name (else the action's) */
	const char	*alias;		/* a short : form */
	enum cmd_arg	 arg;
	bool		 arg_needed;
	/* NULL: the focused pane's; else run with the action and argument */
	void		(*run)(struct app *, enum action, const char *);
	const char	*help;
};

static void	cmd_back(struct app *, enum action, const char *);
static void	cmd_pane(struct app *, enum action, const char *);
static void	cmd_next_pane(struct app *, enum action, const char *);
static void	cmd_filter(struct app *, enum action, const char *);
static void	cmd_command(struct app *, enum action, const char *);
static void	cmd_help(struct app *, enum action, const char *);
static void	cmd_refresh(struct app *, enum action, const char *);
static void	cmd_sort(struct app *, enum action, const char *);
static void	cmd_sla(struct app *, enum action, const char *);
static void	cmd_quit(struct app *, enum action, const char *);
static void	cmd_rerun(struct app *, enum action, const char *);
static void	cmd_slots(struct app *, enum action, const char *);
static void	cmd_fourkeys(struct app *, enum action, const char *);
static void	cmd_view(struct app *, enum action, const char *);
static void	cmd_keymap(struct app *, enum action, const char *);
static void	cmd_context(struct app *, enum action, const char *);
static void	cmd_next_failed(struct app *, enum action, const char *);
static void	cmd_impact(struct app *, enum action, const char *);
static void	cmd_compare(struct app *, enum action, const char *);

/* In the help screen's order, which is the order of enum action. */
static const struct command commands[] = {
	{ ACTION_DOWN, NULL, NULL, ARG_NONE, false, NULL,
	  "move down one row" },
	{ ACTION_UP, NULL, NULL, ARG_NONE, false, NULL, "move up one row" },
	{ ACTION_PAGE_DOWN, NULL, NULL, ARG_NONE, false, NULL,
	  "move down one page" },
	{ ACTION_PAGE_UP, NULL, NULL, ARG_NONE, false, NULL,
	  "move up one page" },
	{ ACTION_TOP, NULL, NULL, ARG_NONE, false, NULL, "go to the first row" },
	{ ACTION_BOTTOM, NULL, NULL, ARG_NONE, false, NULL,
	  "go to the last row" },
	{ ACTION_LEFT, NULL, NULL, ARG_NONE, false, NULL, "scroll left" },
	{ ACTION_RIGHT, NULL, NULL, ARG_NONE, false, NULL, "scroll right" },
	{ ACTION_ENTER, NULL, NULL, ARG_NONE, false, NULL,
	  "open: context -> DAG -> runs -> tasks -> log (the context: in the "
	  "environments overview)" },
	{ ACTION_BACK, NULL, NULL, ARG_NONE, false, cmd_back,
	  "back one level (to the overview); at the top, clear the filter" },
	{ ACTION_NEXT_PANE, NULL, NULL, ARG_NONE, false, cmd_next_pane,
	  "focus the next pane" },
	{ ACTION_PREV_PANE, NULL, NULL, ARG_NONE, false, cmd_next_pane,
	  "focus the previous pane" },
	{ ACTION_FILTER, NULL, NULL, ARG_NONE, false, cmd_filter,
	  "filter rows by a regular expression (!re inverts)" },
	{ ACTION_COMMAND, NULL, NULL, ARG_NONE, false, cmd_command,
	  "type a command (:view, :sort, :quit ...)" },
	{ ACTION_HELP, NULL, NULL, ARG_NONE, false, cmd_help,
	  "show this help" },
	{ ACTION_REFRESH, NULL, NULL, ARG_NONE, false, cmd_refresh,
	  "read the database again now" },
	{ ACTION_SORT, NULL, NULL, ARG_SORT, false, cmd_sort,
	  "change the sort order (:sort attention|name|started|duration)" },
	{ ACTION_SORT_REVERSE, NULL, NULL, ARG_NONE, false, cmd_sort,
	  "reverse the sort order" },
	{ ACTION_DOWNSTREAM, NULL, NULL, ARG_NONE, false, NULL,
	  "highlight what a rerun of the selected task would touch" },
	{ ACTION_UNFOLD, NULL, NULL, ARG_NONE, false, NULL,
	  "fold or unfold a mapped task" },
	{ ACTION_SLA, NULL, NULL, ARG_NONE, false, cmd_sla,
	  "today's SLAs (the sla view when the view has none)" },
	{ ACTION_SLA_WEEK, NULL, NULL, ARG_NONE, false, cmd_sla,
	  "the weekly SLA summary; left/right change the week" },
	{ ACTION_QUIT, NULL, "q", ARG_NONE, false, cmd_quit, "quit dagtop" },
	{ ACTION_PREV_TRY, NULL, NULL, ARG_NONE, false, NULL,
	  "log: show the previous try" },
	{ ACTION_NEXT_TRY, NULL, NULL, ARG_NONE, false, NULL,
	  "log: show the next try" },
	{ ACTION_FOLLOW, NULL, NULL, ARG_NONE, false, NULL,
	  "log: stay at the bottom as lines arrive" },
	{ ACTION_SEARCH_NEXT, NULL, NULL, ARG_NONE, false, NULL,
	  "log: next match of the search" },
	{ ACTION_SEARCH_PREV, NULL, NULL, ARG_NONE, false, NULL,
	  "log: previous match of the search" },
	{ ACTION_JUMP_ERROR, NULL, NULL, ARG_NONE, false, NULL,
	  "log: go to the first ERROR or Traceback" },
	{ ACTION_WRAP, NULL, NULL, ARG_NONE, false, NULL,
	  "log: wrap long lines, or cut them" },
	{ ACTION_TIMESTAMPS, NULL, NULL, ARG_NONE, false, NULL,
	  "log: show or hide timestamps" },
	{ ACTION_SAVE, NULL, NULL, ARG_NONE, false, NULL,
	  "log: save it (sanitised) to a file" },
	{ ACTION_PAGER, NULL, NULL, ARG_NONE, false, NULL,
	  "log: open it in $PAGER" },
	{ ACTION_RERUN, NULL, NULL, ARG_NONE, false, cmd_rerun,
	  "clear the task and all after it (or a failed run's failed tasks): "
	  "preview, then y" },
	{ ACTION_ONLY_FAILED, NULL, NULL, ARG_NONE, false, NULL,
	  "rerun preview: clear only failed and upstream_failed" },
	{ ACTION_SLOTS, NULL, NULL, ARG_NONE, false, cmd_slots,
	  "BigQuery slots and Airflow pools (the slots view)" },
	{ ACTION_FOURKEYS, NULL, NULL, ARG_NONE, false, cmd_fourkeys,
	  "DORA Four Keys of the configured services (the fourkeys view)" },
	{ ACTION_BACK_OR_QUIT, NULL, NULL, ARG_NONE, false, cmd_back,
	  "back one level (to the overview); at the top, quit" },
	{ ACTION_NEXT_FAILED, NULL, NULL, ARG_NONE, false, cmd_next_failed,
	  "the next failed row: DAG whose latest run failed, run, task" },
	{ ACTION_PREV_FAILED, NULL, NULL, ARG_NONE, false, cmd_next_failed,
	  "the previous failed row (wraps round, as next-failed)" },
	{ ACTION_IMPACT, NULL, NULL, ARG_NONE, false, cmd_impact,
	  "what the selected task's or run's failure holds back; on an SLA, "
	  "why it is late" },
	{ ACTION_NONE, "view", NULL, ARG_VIEW, true, cmd_view,
	  "switch to view NAME (views/NAME.view)" },
	{ ACTION_NONE, "keymap", NULL, ARG_KEYMAP, true, cmd_keymap,
	  "switch to keymap NAME (keymaps/NAME.keys)" },
	{ ACTION_NONE, "context", NULL, ARG_CONTEXT, true, cmd_context,
	  "switch to context NAME of the configuration file" },
	{ ACTION_NONE, "compare", NULL, ARG_LINE, true, cmd_compare,
	  "BLUE GREEN [SPAN]: is green behaving like blue? (7d; r reads "
	  "again, back closes)" },
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

/*
 * Where each action does something: a bit per pane kind (1 << kind) for
 * the focused pane's kinds it acts in, ALL_PANES for what acts whatever
 * has the focus.  The status bar shows only these keys; none: the action
 * is a modal's (only-failed).  A new action adds its line here.
 */
#define IN(k)		(1u << (k))
#define ALL_PANES	((1u << PANE_KIND_COUNT) - 1)
#define LISTS		(IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG) | \
			    IN(PANE_SLA) | IN(PANE_SLOTS) | IN(PANE_FOURKEYS))
static const unsigned acts_in[ACTION_COUNT] = {
	[ACTION_DOWN] = LISTS | IN(PANE_SLA_WEEK),
	[ACTION_UP] = LISTS | IN(PANE_SLA_WEEK),
	[ACTION_PAGE_DOWN] = LISTS,
	[ACTION_PAGE_UP] = LISTS,
	[ACTION_TOP] = LISTS,
	[ACTION_BOTTOM] = LISTS,
	[ACTION_LEFT] = IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG) |
	    IN(PANE_SLA_WEEK),
	[ACTION_RIGHT] = IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG) |
	    IN(PANE_SLA_WEEK),
	[ACTION_ENTER] = IN(PANE_RUNS) | IN(PANE_SLA) | IN(PANE_SLOTS) |
	    IN(PANE_FOURKEYS),
	[ACTION_BACK] = ALL_PANES,
	[ACTION_BACK_OR_QUIT] = ALL_PANES,
	[ACTION_NEXT_PANE] = ALL_PANES,
	[ACTION_PREV_PANE] = ALL_PANES,
	[ACTION_FILTER] = IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG),
	[ACTION_COMMAND] = ALL_PANES,
	[ACTION_HELP] = ALL_PANES,
	[ACTION_REFRESH] = ALL_PANES,
	[ACTION_SORT] = IN(PANE_RUNS),
	[ACTION_SORT_REVERSE] = IN(PANE_RUNS),
	[ACTION_DOWNSTREAM] = IN(PANE_TASKS),
	[ACTION_UNFOLD] = IN(PANE_TASKS),
	[ACTION_SLA] = ALL_PANES,
	[ACTION_SLA_WEEK] = ALL_PANES,
	[ACTION_QUIT] = ALL_PANES,
	[ACTION_PREV_TRY] = IN(PANE_LOG),
	[ACTION_NEXT_TRY] = IN(PANE_LOG),
	[ACTION_FOLLOW] = IN(PANE_LOG),
	[ACTION_SEARCH_NEXT] = IN(PANE_LOG),
	[ACTION_SEARCH_PREV] = IN(PANE_LOG),
	[ACTION_JUMP_ERROR] = IN(PANE_LOG),
	[ACTION_WRAP] = IN(PANE_LOG),
	[ACTION_TIMESTAMPS] = IN(PANE_LOG),
	[ACTION_SAVE] = IN(PANE_LOG),
	[ACTION_PAGER] = IN(PANE_LOG),
	[ACTION_RERUN] = IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG) |
	    IN(PANE_DETAILS),
	[ACTION_SLOTS] = ALL_PANES,
	[ACTION_FOURKEYS] = ALL_PANES,
	[ACTION_NEXT_FAILED] = IN(PANE_RUNS) | IN(PANE_TASKS),
	[ACTION_PREV_FAILED] = IN(PANE_RUNS) | IN(PANE_TASKS),
	[ACTION_IMPACT] = IN(PANE_RUNS) | IN(PANE_TASKS) | IN(PANE_LOG) |
	    IN(PANE_DETAILS) | IN(PANE_SLA),
};

bool
command_acts_in(enum action act, enum pane_kind k)
{
	return (unsigned)act < ACTION_COUNT && (acts_in[act] & IN(k)) != 0;
}

static char	**names;	/* views or keymaps, for TAB */

void
app_commands_free(void)
{
	datafile_names_free(names);
	names = NULL;
}

static const char *
command_name(const struct command *cmd)
{
	return cmd->name != NULL ? cmd->name : action_name(cmd->action);
}

size_t
command_count(void)
{
	return NCOMMANDS;
}

const char *
command_nth_name(size_t i)
{
	return i < NCOMMANDS ? command_name(&commands[i]) : NULL;
}

enum action
command_nth_action(size_t i)
{
	return i < NCOMMANDS ? commands[i].action : ACTION_NONE;
}

const char *
command_nth_help(size_t i)
{
	return i < NCOMMANDS ? commands[i].help : NULL;
}

static const struct command *
command_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(command_name(&commands[i]), name) == 0 ||
		    (commands[i].alias != NULL &&
		    strcmp(commands[i].alias, name) == 0))
			return &commands[i];
	return NULL;
}

static const struct command *
command_by_action(enum action act)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].action == act && act != ACTION_NONE)
			return &commands[i];
	return NULL;
}

/* Swaps in a view or keymap read from its file; the old one stays on error. */
void
app_switch_data(struct app *a, bool view, const char *name)
{
	struct app	tmp;
	struct buf	err = BUF_INIT;

	memset(&tmp, 0, sizeof tmp);
	if (view)
		app_load_view(&tmp, name, &err);
	else
		app_load_keymap(&tmp, name, &err);
	buf_reset(&a->message);
	if (err.len > 0) {
		err.len = strcspn(err.data, "\n");
		err.data[err.len] = '\0';
		buf_puts(&a->message, buf_str(&err));
		if (view)
			view_free(&tmp.c.view);
		else
			keymap_free(&tmp.c.keymap);
	} else if (view) {
		view_free(&a->c.view);
		a->c.view = tmp.c.view;
		a->screen = a->focus = 0;
		app_view_changed(a);
	} else {
		keymap_free(&a->c.keymap);
		a->c.keymap = tmp.c.keymap;
	}
	buf_free(&err);
}

/* Hands the terminal to $PAGER with the log, then takes it back. */
static void
run_pager(struct app *a)
{
	buf_reset(&a->message);
	def_prog_mode();
	endwin();
	logctl_pager(a->logs, &a->message);
	reset_prog_mode();
	clearok(curscr, TRUE);
	a->dirty = true;
}

/* The rerun of a failed run: its failed tasks, each with its downstream. */
void
app_rerun_failed(struct app *a)
{
	struct console	*c = &a->c;
	const char	**ids = xcalloc(c->detail.tis.n + 1, sizeof *ids);
	size_t		 i, k, n = 0;

	for (i = 0; i < c->detail.tis.n; i++) {
		const struct af_ti *t = &c->detail.tis.v[i];

		if (t->state != TI_FAILED)
			continue;
		for (k = 0; k < n && strcmp(ids[k], t->task_id) != 0; k++)
			;
		if (k == n)
			ids[n++] = t->task_id;
	}
	buf_reset(&a->message);
	if (n == 0)
		buf_puts(&a->message, "no failed task in this run: select a "
		    "task in the tasks pane to rerun it");
	else {
		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, NULL, n);
		app_impact_rerun(a);
	}
	free(ids);
	a->dirty = true;
}

/* The rerun key: the selected task instance, or a failed run's tasks. */
static void
rerun_selected(struct app *a)
{
	struct console		*c = &a->c;
	const struct task_row	*row = NULL;
	enum pane_kind		 k = app_focused_kind(a);

	buf_reset(&a->message);
	if (k == PANE_RUNS) {
		if (c->runs_level == 0 || pane_runs_ops.key(c, NULL, ACTION_ENTER) !=
		    PANE_OPEN_RUN) {
			buf_puts(&a->message, "rerun: open a DAG's runs and "
			    "select a failed run, or select a task");
			return;
		}
		a->rerun_pending = true;
		app_open_run(a, false);
		return;
	}
	if (c->detail.loaded)
		row = console_task_row(c, c->task_sel);
	if (row == NULL) {
		buf_puts(&a->message, "rerun: select a task instance first");
		return;
	}
	{
		int		 inst = console_task_inst(c, c->task_sel);
		const struct af_ti *t = inst >= 0 ? &row->ti[inst] : row->ti;
		const char	*ids[1] = { t->task_id };
		/* 3.x clears one instance of a mapped task; 2.x the whole task. */
		int		 mis[1] = { inst >= 0 && a->db != NULL &&
				    sched_about(a->db)->major >= 3 ?
				    t->map_index : -1 };

		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, mis, 1);
		app_impact_rerun(a);
	}
}

void
app_rerun_done(void *arg, int n, const char *msg)
{
	struct app *a = arg;

	if (n > 0) {
		/* The new states come from the database, read now. */
		loop_timer_stop(a->refresh_timer);
		app_refresh(a);
		app_fetch_detail(a, false);
	}
	/* After app_refresh, which clears the message line. */
	if (msg != NULL) {
		buf_reset(&a->message);
		buf_puts(&a->message, msg);
	}
	a->dirty = true;
}

/* Enter on a consumer with an airflow-dag label: that DAG's runs. */
static void
jump_to_dag(struct app *a)
{
	struct console	*c = &a->c;
	char		*dag = xstrdup(c->want_dag);
	size_t		 i;

	for (i = 0; i < c->snap.dags.n; i++)
		if (strcmp(c->snap.dags.v[i].dag_id, dag) == 0)
			break;
	buf_reset(&a->message);
	if (i == c->snap.dags.n) {
		buf_printf(&a->message, "no DAG '%s' in this Airflow", dag);
		free(dag);
		return;
	}
	if (!c->snap.dags.v[i].active) {
		/* Not in the DAG list: opening "it" would open another. */
		buf_printf(&a->message, "DAG '%s' is not active in this Airflow "
		    "(its file is gone): it has no runs to open", dag);
		free(dag);
		return;
	}
	/* A filter that hides it goes. */
	if (c->dag_filter.on && !console_dag_passes(c, i))
		filter_clear(&c->dag_filter);
	console_rebuild_dag_order(c, dag);
	if (c->ndag_order == 0 || strcmp(c->snap.dags.v[c->dag_order[
	    c->dag_sel]].dag_id, dag) != 0) {
		buf_printf(&a->message, "DAG '%s' is not in the DAG list", dag);
		free(dag);
		return;
	}
	c->runs_level = 1;
	c->run_sel = c->run_top = 0;
	app_forget_run(a);
	app_focus_kind(a, PANE_RUNS);
	free(dag);
}

void
app_jump_dag(struct app *a, const char *dag_id)
{
	a->c.want_dag = dag_id;
	jump_to_dag(a);
}

/*
 * Back that no pane took: to the runs pane; at the top level (the DAG
 * list) Esc, Left and h clear the filter or do nothing, and only q (as in
 * htop and less), Q and :quit leave.
 */
static void
back_from_top(struct app *a, enum pane_kind k, bool quit_at_top)
{
	struct console	*c = &a->c;
	char		*keep;

	if (k != PANE_RUNS && app_view_has(a, PANE_RUNS)) {
		app_focus_kind(a, PANE_RUNS);
		return;
	}
	if (app_fleet_back(a))
		return;		/* the environments overview, never quit */
	if (quit_at_top) {
		a->quit = true;
		loop_break(a->loop);
		return;
	}
	buf_reset(&a->message);
	if (k == PANE_RUNS && c->dag_filter.on) {
		filter_clear(&c->dag_filter);
		keep = console_selected_dag(c);
		console_rebuild_dag_order(c, keep);
		free(keep);
		buf_puts(&a->message, "filter cleared");
		return;
	}
	{
		struct buf keys = BUF_INIT;

		keymap_keys_for(&c->keymap, ACTION_QUIT, &keys);
		keys.len = strcspn(buf_str(&keys), ",");
		if (keys.len > 0)
			buf_printf(&a->message, "at the top; %.*s quits",
			    (int)keys.len, buf_str(&keys));
		else
			buf_puts(&a->message, "at the top; :quit quits");
		buf_free(&keys);
	}
}

/*
 * The focused pane's action, and what the pane asks of the console in
 * return.  Back that no pane took goes up a level (or from the sla view
 * back to the view it replaced).
 */
static void
cmd_pane(struct app *a, enum action act, const char *arg)
{
	enum pane_kind		k = app_focused_kind(a);
	const struct pane_ops	*ops = pane_class(k);
	enum pane_result	r;

	(void)arg;
	r = ops->key != NULL ? ops->key(&a->c, pane_state(&a->c, k),
	    act == ACTION_BACK_OR_QUIT ?
	    ACTION_BACK : act) : PANE_IGNORED;
	if (k == PANE_RUNS && a->c.runs_level == 0 && r == PANE_HANDLED)
		a->c.dag_chosen = true;	/* the DAG list's cursor moved */
	switch (r) {
	case PANE_LOG_REFETCH:
		logctl_refetch(a->logs);
		break;
	case PANE_LOG_SCAN:
		logctl_scan(a->logs);
		break;
	case PANE_LOG_SAVE:
		app_prompt_save(a);
		break;
	case PANE_LOG_PAGER:
		run_pager(a);
		break;
	case PANE_OPEN_RUN:
		app_open_run(a, true);
		break;
	case PANE_OPEN_DAG:
		app_forget_run(a);
		break;
	case PANE_JUMP_DAG:
		jump_to_dag(a);
		break;
	case PANE_OLDER_RUNS:
		app_fetch_older_runs(a);
		break;
	case PANE_FOCUS_NEXT:
		app_focus_kind(a, PANE_RUNS);
		break;
	case PANE_IGNORED:
		if (act != ACTION_BACK && act != ACTION_BACK_OR_QUIT)
			break;
		if (a->sla_back_view != NULL && (k == PANE_SLA ||
		    k == PANE_SLA_WEEK)) {
			/* Back from the sla view to the one it replaced. */
			app_switch_data(a, true, a->sla_back_view);
			free(a->sla_back_view);
			a->sla_back_view = NULL;
		} else
			back_from_top(a, k, act == ACTION_BACK_OR_QUIT);
		break;
	default:
		break;
	}
}

/* Back and back-or-quit: the pane first (q: back, and quit at the top). */
static void
cmd_back(struct app *a, enum action act, const char *arg)
{
	cmd_pane(a, act, arg);
}

static void
cmd_next_pane(struct app *a, enum action act, const char *arg)
{
	(void)arg;
	app_next_pane(a, act == ACTION_PREV_PANE ? -1 : 1);
}

static void
cmd_filter(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	app_prompt_filter(a);
}

static void
cmd_command(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	app_prompt_command(a);
}

static void
cmd_help(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	a->help = true;
}

/* Everything again now: the snapshot, and what the focused pane shows. */
static void
cmd_refresh(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	loop_timer_stop(a->refresh_timer);
	app_refresh(a);
	switch (app_focused_kind(a)) {
	case PANE_LOG:
		logctl_refetch(a->logs);
		break;
	case PANE_SLOTS:
		slots_feed_refresh(a->c.slots);
		break;
	case PANE_FOURKEYS:
		fk_feed_refresh(a->c.fourkeys);
		break;
	default:
		break;
	}
}

/* sort: the next order, or the one named; sort-reverse turns it round. */
static void
cmd_sort(struct app *a, enum action act, const char *arg)
{
	struct console	*c = &a->c;
	char		*keep;
	int		 k;

	buf_reset(&a->message);
	if (act == ACTION_SORT_REVERSE)
		c->sort_reverse = !c->sort_reverse;
	else if (arg == NULL)
		c->sort = (enum sort_key)((c->sort + 1) % SORT_COUNT);
	else {
		for (k = 0; k < SORT_COUNT; k++)
			if (strcmp(arg, sort_name(k)) == 0)
				break;
		if (k == SORT_COUNT) {
			buf_puts(&a->message, "sort by attention, name, started "
			    "or duration");
			return;
		}
		c->sort = (enum sort_key)k;
	}
	keep = console_selected_dag(c);
	console_rebuild_dag_order(c, keep);
	free(keep);
	buf_printf(&a->message, "sorted by %s%s", sort_name(c->sort),
	    c->sort_reverse ? ", reversed" : "");
}

/* The SLA panes: focus one, or switch to the sla view that has them. */
static void
cmd_sla(struct app *a, enum action act, const char *arg)
{
	enum pane_kind k = act == ACTION_SLA_WEEK ? PANE_SLA_WEEK : PANE_SLA;

	(void)arg;
	if (!app_view_has(a, k)) {
		free(a->sla_back_view);
		a->sla_back_view = xstrdup(a->c.view.name != NULL ?
		    a->c.view.name : "oncall");
		app_switch_data(a, true, "sla");
	}
	app_focus_kind(a, k);
}

static void
cmd_quit(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	a->quit = true;
	loop_break(a->loop);
}

static void
cmd_rerun(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	rerun_selected(a);
}

/* A pane of its own view: focus it, switching to its view if need be. */
static void
show_pane_of_view(struct app *a, enum pane_kind k, const char *view)
{
	if (!app_view_has(a, k))
		app_switch_data(a, true, view);
	if (app_view_has(a, k))
		app_focus_kind(a, k);
}

static void
cmd_slots(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	show_pane_of_view(a, PANE_SLOTS, "slots");
}

static void
cmd_fourkeys(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	show_pane_of_view(a, PANE_FOURKEYS, "fourkeys");
}

static void
cmd_view(struct app *a, enum action act, const char *arg)
{
	(void)act;
	app_switch_data(a, true, arg);
}

static void
cmd_keymap(struct app *a, enum action act, const char *arg)
{
	(void)act;
	app_switch_data(a, false, arg);
}

static void
cmd_context(struct app *a, enum action act, const char *arg)
{
	(void)act;
	app_fleet_open(a, arg);
}

static void
cmd_impact(struct app *a, enum action act, const char *arg)
{
	(void)act;
	(void)arg;
	app_impact_open(a);
}

static void
cmd_compare(struct app *a, enum action act, const char *arg)
{
	(void)act;
	app_compare_open(a, arg);
}

/* next-failed, prev-failed: the focused list's cursor, or why it stays. */
static void
cmd_next_failed(struct app *a, enum action act, const char *arg)
{
	(void)arg;
	buf_reset(&a->message);
	console_next_failed(&a->c, app_focused_kind(a),
	    act == ACTION_PREV_FAILED ? -1 : 1, &a->message);
}

static void
run(struct app *a, const struct command *cmd, const char *arg)
{
	if (cmd->run != NULL)
		cmd->run(a, cmd->action, arg);
	else
		cmd_pane(a, cmd->action, arg);
}

void
app_handle_key(struct app *a, int key)
{
	enum action		 act = keymap_lookup(&a->c.keymap, key);
	const struct command	*cmd;

	/*
	 * No key acts on what the user cannot see: while the screen says
	 * "terminal too small" (or is about to), and while an open modal is
	 * not on screen as it is now, only quit does anything.
	 */
	if (app_too_small(a) || (rerun_active(a->rerun) &&
	    !rerun_shown(a->rerun) && !a->help) || (app_impact_open_now(a) &&
	    !app_impact_shown(a) && !a->help && !rerun_active(a->rerun))) {
		/* The too-small screen says how to switch: with :view. */
		if (act == ACTION_QUIT)
			cmd_quit(a, act, NULL);
		else if (act == ACTION_COMMAND && app_too_small(a))
			cmd_command(a, act, NULL);
		return;
	}
	if (a->help) {
		if (app_help_key(a, key, act))
			cmd_quit(a, act, NULL);
		return;
	}
	/* The compare window is over whatever is under it, the overview too. */
	if (app_compare_key(a, act))
		return;
	if (app_fleet_key(a, act))
		return;
	if (rerun_key(a->rerun, key, act))
		return;
	if (app_impact_key(a, act))
		return;
	buf_reset(&a->c.log.said);
	if ((cmd = command_by_action(act)) != NULL)
		run(a, cmd, NULL);
}

/*
 * An action's command, as its key runs it once app_handle_key has let the
 * key through: the caller (the mouse) has checked that no modal, help or
 * prompt is up.
 */
void
app_run_action(struct app *a, enum action act)
{
	const struct command *cmd = command_by_action(act);

	buf_reset(&a->c.log.said);
	if (cmd != NULL)
		run(a, cmd, NULL);
}

/*
 * A : line: a command's name (or alias) and at most one argument.  Nothing
 * runs on a mistake: an unknown name, a missing or extra argument.
 */
void
app_command_line(struct app *a, const char *line)
{
	char			*copy = xstrdup(line), *w[3] = { NULL, NULL,
				    NULL }, *save = NULL;
	const struct command	*cmd;
	int			 n = 0;

	for (w[n] = strtok_r(copy, " \t", &save); w[n] != NULL && n < 2;
	    w[++n] = strtok_r(NULL, " \t", &save))
		;
	buf_reset(&a->message);
	if (w[0] == NULL)
		;
	else if ((cmd = command_by_name(w[0])) == NULL)
		buf_printf(&a->message, "unknown command '%s' (TAB lists the "
		    "commands, ? the keys)", w[0]);
	else if (cmd->arg == ARG_LINE) {
		/* The words after the name, as typed: the command reads them. */
		line += strspn(line, " \t");
		line += strcspn(line, " \t");
		buf_reset(&a->c.log.said);
		run(a, cmd, line + strspn(line, " \t"));
	}
	else if (w[2] != NULL || (w[1] != NULL && cmd->arg == ARG_NONE))
		buf_printf(&a->message, ":%s takes %s", command_name(cmd),
		    cmd->arg == ARG_NONE ? "no argument" : "one argument");
	else if (w[1] == NULL && cmd->arg_needed)
		buf_printf(&a->message, ":%s needs a name (TAB lists them)",
		    command_name(cmd));
	else {
		buf_reset(&a->c.log.said);
		run(a, cmd, w[1]);
	}
	free(copy);
}

/*
 * TAB on the : line: command names for the first word; for the second,
 * what the command takes (the views and keymaps that can be opened, the
 * sort orders, the contexts of the configuration file).
 */
const char *
app_command_complete(struct app *a, const char *line, int start, size_t i)
{
	const struct command	*cmd;
	char			*first;
	size_t			 len;

	len = strspn(line, " \t");
	if ((size_t)start <= len)
		return command_nth_name(i);
	first = xstrndup(line + len, strcspn(line + len, " \t"));
	cmd = command_by_name(first);
	free(first);
	/* Only the word after the name. */
	len += strcspn(line + len, " \t");
	len += strspn(line + len, " \t");
	if (cmd == NULL || (size_t)start != len)
		return NULL;
	switch (cmd->arg) {
	case ARG_VIEW:
	case ARG_KEYMAP:
		if (i == 0) {
			app_commands_free();
			names = cmd->arg == ARG_VIEW ?
			    datafile_names("views", ".view") :
			    datafile_names("keymaps", ".keys");
		}
		for (len = 0; names[len] != NULL && len < i; len++)
			;
		return names[len];	/* NULL-terminated */
	case ARG_SORT:
		return i < SORT_COUNT ? sort_name((enum sort_key)i) : NULL;
	case ARG_CONTEXT:
	case ARG_LINE:		/* :compare's BLUE */
		return a->config != NULL && i < a->config->nctx ?
		    a->config->ctx[i].name : NULL;
	default:
		return NULL;
	}
}
