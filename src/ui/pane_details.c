/*
 * pane_details.c: the selected task instance, field by field; the slot a
 * later release gives to its log.
 */
#include "timefmt.h"
#include "ui.h"

static void
field(struct console *c, WINDOW *w, int y, const char *label, const char *v)
{
	int h, wd;

	getmaxyx(w, h, wd);
	if (y >= h - 1)
		return;
	(void)c;
	wattron(w, A_DIM);
	mvwprintw(w, y, 2, "%-10s", label);
	wattroff(w, A_DIM);
	ui_put(w, v != NULL ? v : "-", wd - 14);
}

static void
details_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	const struct task_row	*row = console_task_row(c, c->task_sel);
	const struct af_ti	*t;
	struct buf		 b = BUF_INIT;
	int			 y = 1;

	(void)priv;
	werase(w);
	ui_frame(w, "task instance", focused, c->ascii);
	if (!c->detail.loaded || row == NULL) {
		wmove(w, 1, 2);
		ui_put(w, "Select a task to see it here.", getmaxx(w) - 4);
		return;
	}
	t = console_task_inst(c, c->task_sel) >= 0 ?
	    &row->ti[console_task_inst(c, c->task_sel)] : row->ti;
	field(c, w, y++, "task", t->task_id);
	buf_printf(&b, "%s, try %d of %d", ti_state_name(
	    console_task_inst(c, c->task_sel) >= 0 ? t->state : row->state),
	    t->try_number, t->max_tries + 1);
	if (console_task_inst(c, c->task_sel) >= 0)
		buf_printf(&b, ", map index %d", t->map_index);
	else if (row->nti > 1)
		buf_printf(&b, ", %zu mapped instances", row->nti);
	field(c, w, y++, "state", buf_str(&b));
	buf_reset(&b);
	fmt_time(&b, c->zone, t->start_date, FMT_LONG);
	buf_puts(&b, "  ->  ");
	fmt_time(&b, c->zone, t->end_date, FMT_LONG);
	buf_puts(&b, "  (");
	fmt_duration(&b, t->duration);
	buf_putc(&b, ')');
	field(c, w, y++, "time", buf_str(&b));
	field(c, w, y++, "operator", t->operator);
	field(c, w, y++, "pool", t->pool);
	field(c, w, y++, "host", t->hostname);
	if (c->detail.warnings.len > 0)
		field(c, w, y++, "warning", buf_str(&c->detail.warnings));
	buf_free(&b);
}

/* No task selected: nothing to show. */
static bool
details_empty(const struct console *c, const void *priv)
{
	(void)priv;
	return !c->detail.loaded || console_task_row(c, c->task_sel) == NULL;
}

const struct pane_ops pane_details_ops = {
	.draw = details_draw,
	.key = NULL,
	.empty = details_empty,
};
