/*
 * commands.c: what keys and : commands do.  A key is looked up in the
 * keymap; its action runs the console's command of that name, or goes to
 * the focused pane.  The prompt's / filter and : line end here too.
 */
#include <stdlib.h>
#include <string.h>

#include "airflow_db.h"
#include "app.h"
#include "logctl.h"
#include "loop.h"
#include "rerun.h"

static const char *const command_words[] = { "view", "keymap", "sort",
	"context", "refresh", "help", "quit", "oncall", "compact", "wide",
	"default", "emacs", "attention", "name", "started", "duration", "slots",
	"fourkeys", NULL };

static const char	**candidates;	/* completions of the open prompt */

void
app_commands_free(void)
{
	free(candidates);
	candidates = NULL;
}

static void
filter_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	struct buf	 err = BUF_INIT;
	char		*keep;
	bool		 tasks = app_focused_kind(a) == PANE_TASKS;

	app_commands_free();
	a->dirty = true;
	if (line == NULL)
		return;
	if (filter_set(tasks ? &c->task_filter : &c->dag_filter, line,
	    &err) != 0) {
		buf_reset(&a->message);
		buf_puts(&a->message, buf_str(&err));
		buf_free(&err);
		return;
	}
	if (tasks)
		console_rebuild_task_vis(c);
	else {
		keep = console_selected_dag(c);
		console_rebuild_dag_order(c, keep);
		free(keep);
	}
	buf_reset(&a->message);
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
	} else {
		keymap_free(&a->c.keymap);
		a->c.keymap = tmp.c.keymap;
	}
	buf_free(&err);
}

static void
command_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	char		*copy, *w[3] = { NULL, NULL, NULL }, *save = NULL, *keep;
	int		 n = 0, k;

	app_commands_free();
	a->dirty = true;
	if (line == NULL)
		return;
	copy = xstrdup(line);
	for (w[n] = strtok_r(copy, " \t", &save); w[n] != NULL && n < 2;
	    w[++n] = strtok_r(NULL, " \t", &save))
		;
	buf_reset(&a->message);
	if (w[0] == NULL)
		;
	else if (strcmp(w[0], "quit") == 0 || strcmp(w[0], "q") == 0) {
		a->quit = true;
		loop_break(a->loop);
	} else if (strcmp(w[0], "refresh") == 0) {
		loop_timer_stop(a->refresh_timer);
		app_refresh(a);
	} else if (strcmp(w[0], "help") == 0)
		a->help = true;
	else if (strcmp(w[0], "context") == 0 && w[1] != NULL)
		app_switch_context(a, w[1]);
	else if ((strcmp(w[0], "view") == 0 || strcmp(w[0], "keymap") == 0) &&
	    w[1] != NULL)
		app_switch_data(a, w[0][0] == 'v', w[1]);
	else if (strcmp(w[0], "sort") == 0 && w[1] != NULL) {
		for (k = 0; k < SORT_COUNT; k++)
			if (strcmp(w[1], sort_name(k)) == 0)
				break;
		if (k == SORT_COUNT)
			buf_puts(&a->message, "sort by attention, name, started "
			    "or duration");
		else {
			c->sort = (enum sort_key)k;
			keep = console_selected_dag(c);
			console_rebuild_dag_order(c, keep);
			free(keep);
		}
	} else {
		buf_puts(&a->message, "unknown command '");
		buf_puts(&a->message, w[0]);
		buf_puts(&a->message, "' (view NAME, keymap NAME, sort KEY, "
		    "context NAME, refresh, help, quit)");
	}
	free(copy);
}

/* / in the log pane: a search, smart case. */
static void
search_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct buf	 err = BUF_INIT;

	a->dirty = true;
	if (line == NULL)
		return;
	buf_reset(&a->message);
	if (logctl_set_search(a->logs, line, &err) != 0)
		buf_puts(&a->message, buf_str(&err));
	buf_free(&err);
}

static void
save_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct logpane	*lp = &a->c.log;
	struct buf	 path = BUF_INIT;

	a->dirty = true;
	if (line == NULL || lp->fetch == NULL)
		return;
	if (*line != '\0')
		buf_puts(&path, line);
	else {
		/* dag.task[.map].try.log in the current directory, no '/' */
		char *p;

		buf_printf(&path, "%s.%s", lp->dag_id, lp->task_id);
		if (lp->map_index >= 0)
			buf_printf(&path, ".%d", lp->map_index);
		buf_printf(&path, ".%d.log", lp->try_number);
		for (p = path.data; *p != '\0'; p++)
			if (*p == '/' || (unsigned char)*p < 0x20)
				*p = '_';
	}
	buf_reset(&a->message);
	logctl_save(a->logs, buf_str(&path), &a->message);
	buf_free(&path);
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

static void
open_log_prompt(struct app *a, bool search)
{
	int h = getmaxy(stdscr);

	app_commands_free();
	a->dirty = true;
	app_draw_now(a);
	prompt_open(stdscr, h - 2, search ? "/" : "save log to (empty: "
	    "dag.task.try.log): ", NULL, search ? search_done : save_done, a);
}

static void
open_prompt(struct app *a, bool filter)
{
	struct console	*c = &a->c;
	size_t		 i, n = 0;
	int		 h = getmaxy(stdscr);

	app_commands_free();
	if (filter && app_focused_kind(a) == PANE_TASKS) {
		candidates = xcalloc(c->detail.rows.n + 1, sizeof *candidates);
		for (i = 0; i < c->detail.rows.n; i++)
			candidates[n++] = c->detail.rows.v[i].ti->task_id;
	} else if (filter) {
		candidates = xcalloc(c->snap.dags.n + 1, sizeof *candidates);
		for (i = 0; i < c->snap.dags.n; i++)
			candidates[n++] = c->snap.dags.v[i].dag_id;
	}
	a->dirty = true;
	app_draw_now(a);
	prompt_open(stdscr, h - 2, filter ? "/" : ":", filter ? candidates :
	    command_words, filter ? filter_done : command_done, a);
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
	else
		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, NULL, n);
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
		if (c->runs_level == 0 || pane_runs_ops.key(c, ACTION_ENTER) !=
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
				    afdb_schema(a->db)->major >= 3 ?
				    t->map_index : -1 };

		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, mis, 1);
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

/* The SLA panes: focus one, or switch to the sla view that has them. */
static void
show_sla(struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++)
			if (r[i].kind == k) {
				app_focus_kind(a, k);
				return;
			}
	}
	free(a->sla_back_view);
	a->sla_back_view = xstrdup(a->c.view.name != NULL ? a->c.view.name :
	    "oncall");
	app_switch_data(a, true, "sla");
	app_focus_kind(a, k);
}

/* The slots action: the slots pane, from the slots view if need be. */
static void
show_slots(struct app *a)
{
	if (!app_view_has(a, PANE_SLOTS))
		app_switch_data(a, true, "slots");
	if (app_view_has(a, PANE_SLOTS))
		app_focus_kind(a, PANE_SLOTS);
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
	if (c->dag_filter.on && !filter_match(&c->dag_filter, dag,
	    c->snap.dags.v[i].owners))
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

void
app_handle_key(struct app *a, int key)
{
	enum action		 act = keymap_lookup(&a->c.keymap, key);
	enum pane_result	 r;
	enum pane_kind		 k;
	bool			 quit_at_top = act == ACTION_BACK_OR_QUIT;

	/*
	 * No key acts on what the user cannot see: while the screen says
	 * "terminal too small" (or is about to), and while an open modal is
	 * not on screen as it is now, only quit does anything.
	 */
	if (app_too_small(a) || (rerun_active(a->rerun) &&
	    !rerun_shown(a->rerun) && !a->help)) {
		if (act == ACTION_QUIT) {
			a->quit = true;
			loop_break(a->loop);
		}
		return;
	}
	if (a->help) {
		a->help = false;
		return;
	}
	if (rerun_key(a->rerun, key, act))
		return;
	if (quit_at_top)
		act = ACTION_BACK;	/* q: back, and quit at the top */
	buf_reset(&a->c.log.said);
	switch (act) {
	case ACTION_QUIT:
		a->quit = true;
		loop_break(a->loop);
		return;
	case ACTION_HELP:
		a->help = true;
		return;
	case ACTION_NEXT_PANE:
		app_next_pane(a, 1);
		return;
	case ACTION_PREV_PANE:
		app_next_pane(a, -1);
		return;
	case ACTION_REFRESH:
		loop_timer_stop(a->refresh_timer);
		app_refresh(a);
		if (app_focused_kind(a) == PANE_LOG)
			logctl_refetch(a->logs);
		if (app_focused_kind(a) == PANE_SLOTS)
			slots_feed_refresh(a->c.slots);
		if (app_focused_kind(a) == PANE_FOURKEYS)
			fk_feed_refresh(a->c.fourkeys);
		return;
	case ACTION_SLOTS:
		show_slots(a);
		return;
	case ACTION_FOURKEYS:
		if (!app_view_has(a, PANE_FOURKEYS))
			app_switch_data(a, true, "fourkeys");
		if (app_view_has(a, PANE_FOURKEYS))
			app_focus_kind(a, PANE_FOURKEYS);
		return;
	case ACTION_FILTER:
		if (app_focused_kind(a) == PANE_LOG)
			open_log_prompt(a, true);
		else
			open_prompt(a, true);
		return;
	case ACTION_COMMAND:
		open_prompt(a, false);
		return;
	case ACTION_SORT:
	case ACTION_SORT_REVERSE: {
		char *keep = console_selected_dag(&a->c);

		if (act == ACTION_SORT)
			a->c.sort = (enum sort_key)((a->c.sort + 1) % SORT_COUNT);
		else
			a->c.sort_reverse = !a->c.sort_reverse;
		console_rebuild_dag_order(&a->c, keep);
		free(keep);
		buf_reset(&a->message);
		buf_printf(&a->message, "sorted by %s%s", sort_name(a->c.sort),
		    a->c.sort_reverse ? ", reversed" : "");
		return;
	}
	case ACTION_RERUN:
		rerun_selected(a);
		return;
	case ACTION_SLA:
	case ACTION_SLA_WEEK:
		show_sla(a, act == ACTION_SLA ? PANE_SLA : PANE_SLA_WEEK);
		return;
	case ACTION_NONE:
		return;
	default:
		break;
	}
	k = app_focused_kind(a);
	r = pane_class(k)->key != NULL ? pane_class(k)->key(&a->c, act) :
	    PANE_IGNORED;
	if (r == PANE_LOG_REFETCH)
		logctl_refetch(a->logs);
	else if (r == PANE_LOG_SCAN)
		logctl_scan(a->logs);
	else if (r == PANE_LOG_SAVE)
		open_log_prompt(a, false);
	else if (r == PANE_LOG_PAGER)
		run_pager(a);
	else if (r == PANE_OPEN_RUN)
		app_open_run(a, true);
	else if (r == PANE_OPEN_DAG)
		app_forget_run(a);
	else if (r == PANE_JUMP_DAG)
		jump_to_dag(a);
	else if (r == PANE_FOCUS_NEXT)
		app_focus_kind(a, PANE_RUNS);
	else if (r == PANE_IGNORED && act == ACTION_BACK &&
	    a->sla_back_view != NULL && (k == PANE_SLA || k == PANE_SLA_WEEK)) {
		/* Back from the sla view to the one it replaced. */
		app_switch_data(a, true, a->sla_back_view);
		free(a->sla_back_view);
		a->sla_back_view = NULL;
	} else if (r == PANE_IGNORED && act == ACTION_BACK)
		back_from_top(a, k, quit_at_top);
}
