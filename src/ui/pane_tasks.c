/*
 * pane_tasks.c: the open run's task instances in graph order with depth
 * marks; a key highlights what a rerun of the selected task would touch.
 */
#include <stdlib.h>
#include <string.h>

#include "columns.h"
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

/* The pane's own state: how far the task column is scrolled (`<`, `>`). */
struct tasks_pane {
	int	 hoff;
	int	 depth;		/* depth marks shown at most, as wide as fits */
	bool	 focused;	/* while drawing */
};

/* The columns, left to right: downstream mark, state, try, took, task, start. */
enum { TC_MARK, TC_STATE, TC_TRY, TC_TOOK, TC_TASK, TC_MAP, TC_START, TC_N };

/*
 * The task cell of line i: up to depth marks of its depth, then the name
 * (or "[3] rendered" for a map index).  Depth marks are ". " in ASCII, two
 * columns either way, so the ASCII cell measures the drawn one.
 */
static void
task_cell(const struct console *c, size_t i, bool ascii, int depth,
    struct buf *b)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 inst = console_task_inst(c, i);
	const struct af_ti	*t = inst >= 0 ? &r->ti[inst] : r->ti;
	int			 d;

	buf_reset(b);
	for (d = 0; d < r->depth && d < depth; d++)
		buf_puts(b, ascii ? ". " : "\xc2\xb7 ");
	if (inst >= 0) {
		buf_printf(b, "  [%d] ", t->map_index);
		if (t->rendered_map_index != NULL)
			buf_puts(b, t->rendered_map_index);
		return;
	}
	buf_puts(b, r->ti->task_id);
}

/* A folded mapped task's count per state: "[3: 1s 1R 1r]"; else empty. */
static void
map_cell(const struct console *c, size_t i, struct buf *b)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 s;

	buf_reset(b);
	if (console_task_inst(c, i) >= 0 || r->nti <= 1)
		return;
	buf_printf(b, "[%zu:", r->nti);
	for (s = 0; s < TI_NSTATES; s++)
		if (r->counts[s] > 0)
			buf_printf(b, " %zu%c", r->counts[s], ti_state_letter(s));
	buf_putc(b, ']');
}

/* The line's state: its instance's, or the row's for a whole row. */
static enum ti_state
line_state(const struct console *c, size_t i)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 inst = console_task_inst(c, i);

	return inst >= 0 ? r->ti[inst].state : r->state;
}

/* The cell from hoff columns on (scrolled with `<` and `>`). */
static const char *
cell_from(const struct buf *b, int hoff)
{
	size_t off = hoff > 0 ? (size_t)hoff : 0;

	return buf_str(b) + (off < b->len ? off : b->len);
}

/* The short state, "cleared" for one with none that has run before. */
static const char *
state_brief(enum ti_state st, int try_number)
{
	return st == TI_NONE && try_number > 0 ? "cleared" : ti_state_brief(st);
}

/* The try number of line i's instance (of the row's first when folded). */
static int
line_try(const struct console *c, size_t i)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 inst = console_task_inst(c, i);

	return inst >= 0 ? r->ti[inst].try_number : r->ti->try_number;
}

/*
 * Sizes the columns from every line's cell; the state column is as wide as
 * the widest state name (the same whatever the run holds) or its short
 * forms.  A narrow task column shows fewer depth marks, as many as leave
 * it room for a name.
 */
static void
plan_tasks(struct console *c, struct tasks_pane *p, struct col *cl,
    int avail, bool *brief)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		len, idw = 4, mapw = 0, shrt = 5, longest = 0;

	for (i = 0; i < c->ntask_vis; i++) {
		task_cell(c, i, true, 8, &b);
		longest = (int)b.len > longest ? (int)b.len : longest;
		len = (int)strlen(cell_from(&b, p->hoff));
		idw = len > idw ? len : idw;
		map_cell(c, i, &b);
		mapw = (int)b.len > mapw ? (int)b.len : mapw;
		len = (int)strlen(state_brief(line_state(c, i),
		    line_try(c, i)));
		shrt = len > shrt ? len : shrt;
	}
	buf_free(&b);
	if (p->hoff > longest - 8)
		p->hoff = longest > 8 ? longest - 8 : 0;
	/*
	 * The task id, the key column, grows first; then the state in full
	 * (the foot line always has it).
	 */
	cl[TC_MARK] = (struct col){ 1, 1, 0, false, 0 };
	cl[TC_STATE] = (struct col){ shrt, 15, 4, false, 0 };
	cl[TC_TRY] = (struct col){ 6, 6, 2, false, 0 };	/* "3 of 3" */
	cl[TC_TOOK] = (struct col){ 7, 8, 3, false, 0 };
	cl[TC_TASK] = (struct col){ idw < 9 ? idw : 9, idw, 1, false, 0 };
	cl[TC_MAP] = (struct col){ mapw, mapw, 5, true, 0 };
	cl[TC_START] = (struct col){ 20, 30, 6, true, 0 };
	if (mapw == 0)	/* no mapped task folded: no column */
		cl[TC_MAP].min = cl[TC_MAP].want = avail + 1;
	cols_fit(cl, TC_N, avail, 1);
	*brief = cl[TC_STATE].width < 15;
	if (*brief) {	/* the short forms: their width, the rest to the task */
		cl[TC_STATE].want = shrt;
		cols_fit(cl, TC_N, avail, 1);
	}
	for (p->depth = 0; p->depth < 8 && (cl[TC_TASK].width >= idw ||
	    2 * p->depth < cl[TC_TASK].width - 7); p->depth++)
		;
}

/* Try, time taken, and when it started with its operator. */
static void
draw_task_numbers(const struct console *c, WINDOW *w, int y,
    const struct col *cl, const int *x, const struct af_ti *t, bool single)
{
	struct buf	b = BUF_INIT;

	if (cl[TC_TRY].width > 0) {
		if (single) {
			char try[24];

			ti_try_text(try, sizeof try, t->try_number,
			    t->max_tries);
			buf_puts(&b, try);
		} else
			buf_putc(&b, '-');
		wmove(w, y, x[TC_TRY]);
		ui_put(w, buf_str(&b), cl[TC_TRY].width);
	}
	if (cl[TC_TOOK].width > 0) {
		buf_reset(&b);
		if (single)
			fmt_duration(&b, t->duration);
		else
			buf_putc(&b, '-');
		wmove(w, y, x[TC_TOOK]);
		ui_put(w, buf_str(&b), cl[TC_TOOK].width);
	}
	if (cl[TC_START].width > 0) {
		buf_reset(&b);
		fmt_time(&b, c->zone, t->start_date, FMT_CLOCK);
		buf_putc(&b, ' ');
		buf_puts(&b, t->operator != NULL ? t->operator : "-");
		wmove(w, y, x[TC_START]);
		ui_put(w, buf_str(&b), cl[TC_START].width);
	}
	buf_free(&b);
}

/* The i-th task line shown, at row y. */
static void
draw_task_line(struct console *c, struct tasks_pane *p, WINDOW *w, int y,
    int wd, size_t i, const struct col *cl, const int *x, int tail,
    bool brief)
{
	const struct task_row	*r = console_task_row(c, i);
	int			 inst = console_task_inst(c, i);
	const struct af_ti	*t = inst >= 0 ? &r->ti[inst] : r->ti;
	enum ti_state		 st = line_state(c, i);
	bool			 down = in_downstream(c, r->ti->task_id);
	struct buf		 cell = BUF_INIT;
	attr_t			 cur = ui_cursor_attr(p->focused);

	if (i == c->task_sel) {
		wattron(w, cur);
		mvwhline(w, y, 1, ' ', wd - 2);
	}
	mvwaddch(w, y, x[TC_MARK], down ? '*' : ' ');
	wattron(w, ui_ti_attr(st));
	mvwaddstr(w, y, x[TC_STATE], brief ? state_brief(st, t->try_number) :
	    ti_state_text(st, t->try_number, true));
	wattroff(w, ui_ti_attr(st));
	draw_task_numbers(c, w, y, cl, x, t, inst >= 0 || r->nti == 1);
	task_cell(c, i, c->ascii, p->depth, &cell);
	if (down)
		wattron(w, A_BOLD);
	wmove(w, y, x[TC_TASK]);
	/* Scrolled by bytes of the ASCII cell: the same count of columns. */
	if (p->hoff > 0) {
		struct buf plain = BUF_INIT;

		task_cell(c, i, true, p->depth, &plain);
		ui_put_id(w, cell_from(&plain, p->hoff), cl[TC_TASK].width,
		    tail);
		buf_free(&plain);
	} else
		ui_put_id(w, buf_str(&cell), cl[TC_TASK].width, tail);
	if (down)
		wattroff(w, A_BOLD);
	if (cl[TC_MAP].width > 0) {
		map_cell(c, i, &cell);
		wmove(w, y, x[TC_MAP]);
		ui_put(w, buf_str(&cell), cl[TC_MAP].width);
	}
	buf_free(&cell);
	if (i == c->task_sel)
		wattroff(w, cur);
}

/* The visible lines' cells, for cols_tail: which tail keeps them apart. */
static int
tasks_tail(const struct console *c, const struct tasks_pane *p, int rows,
    int width)
{
	struct buf	 cells[64];
	const char	*ids[64];
	size_t		 i, n;
	int		 tail;

	for (n = 0, i = c->task_top; n < 64 && n < (size_t)rows &&
	    i < c->ntask_vis; n++, i++) {
		cells[n] = (struct buf)BUF_INIT;
		task_cell(c, i, true, p->depth, &cells[n]);
		ids[n] = cell_from(&cells[n], p->hoff);
	}
	tail = cols_tail(ids, n, width);
	for (i = 0; i < n; i++)
		buf_free(&cells[i]);
	return tail;
}

/* The selected line in full: task id, map index, state and try. */
static void
tasks_foot(const struct console *c, struct buf *foot)
{
	const struct task_row	*r = console_task_row(c, c->task_sel);
	int			 inst = console_task_inst(c, c->task_sel);
	const struct af_ti	*t;

	if (r == NULL)
		return;
	t = inst >= 0 ? &r->ti[inst] : r->ti;
	buf_puts(foot, t->task_id);
	if (inst >= 0)
		buf_printf(foot, "[%d]", t->map_index);
	buf_printf(foot, c->ascii ? " - %s" : " \xc2\xb7 %s",
	    ti_state_text(line_state(c, c->task_sel), t->try_number, false));
	if (inst >= 0 || r->nti == 1) {
		char try[24];

		ti_try_text(try, sizeof try, t->try_number, t->max_tries);
		buf_printf(foot, ", try %s", try);
	}
}

static void
tasks_draw(struct console *c, void *priv, WINDOW *w, bool focused)
{
	struct tasks_pane	*p = priv;
	struct list_frame	 f = { 0 };
	struct buf		 b = BUF_INIT, foot = BUF_INIT;
	struct col		 cl[TC_N];
	int			 h, wd, y, x[TC_N], tail;
	size_t			 i;
	bool			 brief;

	getmaxyx(w, h, wd);
	werase(w);
	p->focused = focused;
	if (c->detail.run_id == NULL) {
		ui_frame(w, "tasks", focused, c->ascii);
		wmove(w, 2, 2);
		ui_put(w, "Enter on a run shows its tasks here.", getmaxx(w) - 4);
		return;
	}
	buf_puts(&b, "tasks of ");
	buf_puts(&b, c->detail.run_id);
	if (!c->detail.loaded) {
		ui_frame(w, buf_str(&b), focused, c->ascii);
		wmove(w, 2, 2);
		ui_put(w, "reading...", getmaxx(w) - 4);
		buf_free(&b);
		return;
	}
	tasks_foot(c, &foot);
	h -= ui_list_foot_rows(w, buf_str(&foot));
	pane_list_scroll(&c->task_sel, &c->task_top, c->ntask_vis, h - 3);
	plan_tasks(c, p, cl, wd - 2, &brief);
	cols_xs(cl, TC_N, 1, 1, x);
	f.title = buf_str(&b);
	f.top = c->task_top;
	f.sel = c->task_sel;
	f.n = c->ntask_vis;
	c->task_rows = h > 3 ? (size_t)(h - 3) : 0;
	f.rows = h - 3;
	f.foot = buf_str(&foot);
	ui_list_frame(w, &f, focused, c->ascii);
	wattron(w, A_DIM);
	mvwaddstr(w, 1, x[TC_STATE], "STATE");
	if (cl[TC_TRY].width > 0)
		mvwaddstr(w, 1, x[TC_TRY], "TRY");
	if (cl[TC_TOOK].width > 0)
		mvwaddstr(w, 1, x[TC_TOOK], "TOOK");
	buf_reset(&b);
	buf_puts(&b, c->detail.rows.ordered ? "TASK" : "TASK (no graph: by name)");
	if (p->hoff > 0)
		buf_printf(&b, " +%d", p->hoff);
	wmove(w, 1, x[TC_TASK]);
	ui_put(w, buf_str(&b), cl[TC_TASK].width);
	if (cl[TC_MAP].width > 0) {
		wmove(w, 1, x[TC_MAP]);
		ui_put(w, "MAPPED", cl[TC_MAP].width);
	}
	if (cl[TC_START].width > 0)
		mvwaddstr(w, 1, x[TC_START], "STARTED");
	wattroff(w, A_DIM);
	tail = tasks_tail(c, p, h - 3, cl[TC_TASK].width);
	for (y = 2, i = c->task_top; y < h - 1 && i < c->ntask_vis; y++, i++)
		draw_task_line(c, p, w, y, wd, i, cl, x, tail, brief);
	if (c->ntask_vis == 0 && c->task_filter.on) {
		wmove(w, 2, 2);
		ui_put_cut(w, "no matches (/ Enter: no filter)",
		    wd - 4, c->ascii);
	}
	buf_free(&b);
	buf_free(&foot);
}

static enum pane_result
tasks_key(struct console *c, void *priv, enum action a)
{
	struct tasks_pane *p = priv;

	if (!pane_list_move(&c->task_sel, c->ntask_vis, a, 10)) {
		switch (a) {
		case ACTION_LEFT:
			p->hoff = p->hoff > 8 ? p->hoff - 8 : 0;
			break;
		case ACTION_RIGHT:
			if (p->hoff < 200)
				p->hoff += 8;
			break;
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

/* No run open: the tasks pane has nothing to show. */
static bool
tasks_empty(const struct console *c, const void *priv)
{
	(void)priv;
	return c->detail.run_id == NULL;
}

const struct pane_ops pane_tasks_ops = {
	.priv_size = sizeof (struct tasks_pane),
	.draw = tasks_draw,
	.key = tasks_key,
	.empty = tasks_empty,
};
