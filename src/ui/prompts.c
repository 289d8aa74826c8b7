/*
 * prompts.c: the prompts the console opens on its message line: / filters
 * the focused list (searches in the log pane), : takes a command, and the
 * log's save-as.  TAB completes from what is on screen now: DAG ids, task
 * ids, command names and their arguments.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "logctl.h"
#include "xdg.h"

/*
 * The list a / prompt filters, and what to go back to: the filter in
 * force when the prompt opened (Esc restores it) and the row the cursor
 * was on (it returns there whenever that row is let through again).
 */
static struct {
	enum { LIVE_DAGS, LIVE_RUNS, LIVE_TASKS } list;
	char	*before;	/* the filter's text then; NULL: none */
	char	*keep_dag;
	char	*keep_run;
	char	*keep_task;
	int	 keep_mi;
} live;

/* The filter of the list the prompt is for. */
static struct filter *
live_filter(struct console *c)
{
	switch (live.list) {
	case LIVE_RUNS:
		return &c->run_filter;
	case LIVE_TASKS:
		return &c->task_filter;
	default:
		return &c->dag_filter;
	}
}

static void
live_forget(void)
{
	free(live.before);
	free(live.keep_dag);
	free(live.keep_run);
	free(live.keep_task);
	memset(&live, 0, sizeof live);
}

/* The list again under its filter, the cursor back on its row by id. */
static void
live_rebuild(struct app *a)
{
	struct console *c = &a->c;

	if (live.list == LIVE_TASKS) {
		console_rebuild_task_vis(c);
		console_select_task(c, live.keep_task, live.keep_mi);
	} else if (live.list == LIVE_RUNS) {
		c->run_sel = 0;
		console_select_run(c, live.keep_run);
	} else
		console_rebuild_dag_order(c, live.keep_dag);
	a->dirty = true;
}

/*
 * Each key typed after /: the line filters the list at once.  A line that
 * is not a filter yet (an open bracket, an unknown state) leaves the list
 * as it last was, and says why beside the line.
 */
static void
filter_typed(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	struct buf	 err = BUF_INIT;

	if (filter_set(live_filter(c), line, &err) != 0)
		prompt_hint(buf_str(&err));
	else {
		prompt_hint(NULL);
		live_rebuild(a);
	}
	buf_free(&err);
}

/* Enter keeps the filter typed; Esc (line NULL), or a bad one, the old. */
static void
filter_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	struct filter	*f = live_filter(c);
	struct buf	 err = BUF_INIT;

	app_commands_free();
	a->dirty = true;
	buf_reset(&a->message);
	if (line == NULL || filter_set(f, line, &err) != 0) {
		buf_puts(&a->message, buf_str(&err));
		filter_set(f, live.before, &err);	/* it was valid */
	}
	buf_free(&err);
	live_rebuild(a);
	live_forget();
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

/* o ends here: logctl_save decides where ("" is the logs folder). */
static void
save_done(void *arg, const char *line)
{
	struct app	*a = arg;

	a->dirty = true;
	if (line == NULL || a->c.log.fetch == NULL)
		return;
	buf_reset(&a->message);
	logctl_save(a->logs, line, &a->message);
}

/* : ends here: the command table runs the line. */
static void
command_done(void *arg, const char *line)
{
	struct app *a = arg;

	app_commands_free();
	a->dirty = true;
	if (line != NULL)
		app_command_line(a, line);
}

/* TAB after /: the DAG ids of the snapshot, or the open run's task ids. */
static const char *
filter_candidate(void *arg, const char *line, int start, size_t i)
{
	struct app	*a = arg;
	struct console	*c = &a->c;

	(void)line;
	(void)start;
	if (app_focused_kind(a) == PANE_TASKS)
		return i < c->detail.rows.n ? c->detail.rows.v[i].ti->task_id :
		    NULL;
	return i < c->snap.dags.n ? c->snap.dags.v[i].dag_id : NULL;
}

static const char *
command_candidate(void *arg, const char *line, int start, size_t i)
{
	return app_command_complete(arg, line, start, i);
}

/* Draws the screen as it is, then opens the prompt on the message line. */
static void
open_on_message_line(struct app *a, const char *prompt,
    prompt_complete_cb complete, prompt_done_cb done)
{
	app_commands_free();
	a->dirty = true;
	app_draw_now(a);
	prompt_open(stdscr, getmaxy(stdscr) - 2, prompt, complete, done, a);
}

void
app_prompt_filter(struct app *a)
{
	if (app_focused_kind(a) == PANE_LOG)
		open_on_message_line(a, "/", NULL, search_done);
	else {
		struct console *c = &a->c;

		live_forget();
		live.list = app_focused_kind(a) == PANE_TASKS ? LIVE_TASKS :
		    app_focused_kind(a) == PANE_RUNS && c->runs_level == 1 ?
		    LIVE_RUNS : LIVE_DAGS;
		live.before = dup_or_null(live_filter(c)->text);
		live.keep_dag = console_selected_dag(c);
		live.keep_run = console_selected_run(c);
		live.keep_task = console_selected_task(c, &live.keep_mi);
		open_on_message_line(a, "/", filter_candidate, filter_done);
		prompt_on_change(filter_typed, a);
	}
}

void
app_prompt_command(struct app *a)
{
	open_on_message_line(a, ":", command_candidate, command_done);
}

void
app_prompt_save(struct app *a)
{
	char		*dir = xdg_path(XDG_DATA, "logs");
	const char	*home = getenv("HOME");
	size_t		 n = home != NULL ? strlen(home) : 0;
	struct buf	 b = BUF_INIT;

	/* The folder Enter saves into, with ~ for $HOME to keep it short. */
	if (dir == NULL)
		buf_puts(&b, "save log to (empty: DAG.TASK.TRY.log here): ");
	else if (n > 1 && strncmp(dir, home, n) == 0 && dir[n] == '/')
		buf_printf(&b, "save log to (empty: ~%s/): ", dir + n);
	else
		buf_printf(&b, "save log to (empty: %s/): ", dir);
	free(dir);
	open_on_message_line(a, buf_str(&b), NULL, save_done);
	buf_free(&b);
}

void
app_prompts_free(void)
{
	live_forget();
}
