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
	else
		open_on_message_line(a, "/", filter_candidate, filter_done);
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
