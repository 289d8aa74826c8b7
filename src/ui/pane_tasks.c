/*
 * pane_tasks.c: the open run's task instances in graph order with depth
 * marks; a key highlights what a rerun of the selected task would touch.
 */
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "ui.h"

/* Marks the selected task's transitive downstream in c->downstream. */
static void
mark_downstream(struct console *c)
{
	const struct graph	*g = c->detail.graph;
	size_t			 t;

	free(c->downstream);
	c->downstream = NULL;
	if (g == NULL || console_task_row(c, c->task_sel) == NULL)
		return;
	c->downstream = xcalloc(g->ntasks + 1, sizeof *c->downstream);
	t = graph_find(g, console_task_row(c, c->task_sel)->ti->task_id);
	if (t != (size_t)-1)
		graph_downstream(g, t, c->downstream);
}

static bool
in_downstream(const struct console *c, const char *task_id)
{
	size_t t;

	if (!c->show_downstream || c->downstream == NULL ||
	    c->detail.graph == NULL)
		return false;
	t = graph_find(c->detail.graph, task_id);
	return t != (size_t)-1 && c->downstream[t];
}

/*
 * The task's name (or its map index), indented by its depth in the graph;
 * a mapped task folded shows its instances' count per state.
 */
static void
draw_task_name(const struct console *c, WINDOW *w, int y, int wd,
    const struct task_row *r, const struct af_ti *t, int inst, bool down)
{
	int d;

	wmove(w, y, 34);
	for (d = 0; d < r->depth && d < 8 && 34 + 2 * d < wd - 8; d++)
		waddstr(w, c->ascii ? ". " : "\xc2\xb7 ");
	if (down)
		wattron(w, A_BOLD);
	if (inst >= 0) {
		char idx[32];

		snprintf(idx, sizeof idx, "  [%d] ", t->map_index);
		ui_put(w, idx, wd - 35 - 2 * d);
		ui_put(w, t->rendered_map_index, wd - 42 - 2 * d);
	} else {
		ui_put(w, r->ti->task_id, wd - 35 - 2 * d);
		if (r->nti > 1) {
			/* Counts per state: " [3: 1s 1R 1r]". */
			struct buf	more = BUF_INIT;
			int		s;

			buf_printf(&more, " [%zu:", r->nti);
			for (s = 0; s < TI_NSTATES; s++)
				if (r->counts[s] > 0)
					buf_printf(&more, " %zu%c", r->counts[s],
					    ti_state_letter(s));
			buf_putc(&more, ']');
			ui_put(w, buf_str(&more), wd - 35 - 2 * d -
			    (int)strlen(r->ti->task_id));
			buf_free(&more);
		}
	}
	if (down)
		wattroff(w, A_BOLD);
}

/* Wide panes also show when the task started and its operator. */
static void
draw_task_started(const struct console *c, WINDOW *w, int y, int wd,
    const struct af_ti *t)
{
	struct buf right = BUF_INIT;

	fmt_time(&right, c->zone, t->start_date, FMT_CLOCK);
	buf_putc(&right, ' ');
	buf_puts(&right, t->operator != NULL ? t->operator : "-");
	if (right.len > 30)
		right.len = 30;
	right.data[right.len] = '\0';
	wmove(w, y, wd - 1 - 31);
	wclrtoeol(w);
	ui_put(w, buf_str(&right), 30);
	buf_free(&right);
	mvwaddch(w, y, wd - 1, c->ascii ? '|' : ACS_VLINE);
}

/* The i-th task line shown, at row y: state, try, time taken, name. */
static void
draw_task_line(struct console *c, WINDOW *w, int y, int wd, size_t i)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 inst = console_task_inst(c, i);
	const struct af_ti	*t = inst >= 0 ? &r->ti[inst] : r->ti;
	enum ti_state		 st = inst >= 0 ? t->state : r->state;
	bool			 down = in_downstream(c, r->ti->task_id);
	bool			 single = inst >= 0 || r->nti == 1;
	struct buf		 b = BUF_INIT;
	char			 try[16];

	if (i == c->task_sel) {
		wattron(w, A_REVERSE);
		mvwhline(w, y, 1, ' ', wd - 2);
	}
	mvwaddch(w, y, 1, down ? '*' : ' ');
	wattron(w, ui_ti_attr(st));
	mvwaddnstr(w, y, 3, ti_state_text(st, t->try_number, true), 15);
	wattroff(w, ui_ti_attr(st));
	ti_try_text(try, sizeof try, t->try_number, t->max_tries);
	buf_printf(&b, "%-6s ", single ? try : "-");
	if (single)
		fmt_duration(&b, t->duration);
	else
		buf_putc(&b, '-');
	if (wd > 34)
		mvwaddnstr(w, y, 19, buf_str(&b), 14);
	buf_free(&b);
	if (wd > 36)
		draw_task_name(c, w, y, wd, r, t, inst, down);
	if (wd >= 90)
		draw_task_started(c, w, y, wd, t);
	if (i == c->task_sel)
		wattroff(w, A_REVERSE);
}

static void
tasks_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	const struct task_rows	*rows = &c->detail.rows;
	struct buf		 b = BUF_INIT;
	int			 h, wd, y;
	size_t			 i;

	(void)priv;
	getmaxyx(w, h, wd);
	werase(w);
	if (c->detail.run_id == NULL) {
		ui_frame(w, "tasks", focused, c->ascii);
		mvwaddstr(w, 2, 2, "Enter on a run shows its tasks here.");
		return;
	}
	buf_puts(&b, "tasks of ");
	buf_puts(&b, c->detail.run_id);
	ui_frame(w, buf_str(&b), focused, c->ascii);
	buf_free(&b);
	if (!c->detail.loaded) {
		mvwaddstr(w, 2, 2, "reading...");
		return;
	}
	pane_list_scroll(&c->task_sel, &c->task_top, c->ntask_vis, h - 3);
	wattron(w, A_DIM);
	mvwaddnstr(w, 1, 1, rows->ordered ? "  STATE           TRY    TOOK    TASK" :
	    "  STATE           TRY    TOOK    TASK (no graph: by name)", wd - 2);
	wattroff(w, A_DIM);
	for (y = 2, i = c->task_top; y < h - 1 && i < c->ntask_vis; y++, i++)
		draw_task_line(c, w, y, wd, i);
}

static enum pane_result
tasks_key(struct console *c, void *priv, enum action a)
{
	(void)priv;
	if (!pane_list_move(&c->task_sel, c->ntask_vis, a, 10)) {
		switch (a) {
		case ACTION_DOWNSTREAM:
			c->show_downstream = !c->show_downstream;
			break;
		case ACTION_UNFOLD:
			console_toggle_unfold(c, c->task_sel);
			break;
		case ACTION_BACK:
			return PANE_FOCUS_NEXT;
		default:
			return PANE_IGNORED;
		}
	}
	if (c->show_downstream)
		mark_downstream(c);
	return PANE_HANDLED;
}

const struct pane_ops pane_tasks_ops = {
	.draw = tasks_draw,
	.key = tasks_key,
};
