/*
 * mouse.c: clicks and the wheel, when the mouse setting (or --mouse) is on;
 * off by default, so that the terminal's own selection keeps working.  As
 * in htop and lazygit: a click selects the row under it and focuses its
 * pane, the wheel moves the cursor of the pane under the pointer, a double
 * click opens as Enter does.  Each runs the actions the keys run, on the
 * rectangles of the last layout.  While the help, a prompt or a modal is
 * up the mouse does nothing: a modal's confirmation stays a key.
 */
#include "app.h"
#include "rerun.h"

#define WHEEL_ROWS	3	/* rows a notch of the wheel moves */
#define LIST_TOP	2	/* a list's first row: below frame and header */

void
app_mouse_start(struct app *a)
{
	if (!a->mouse)
		return;
	/* Presses are left to ncurses, which makes clicks of them. */
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
}

/* The pane of the last layout at (x, y); a->nlayout when none is. */
static size_t
pane_at(const struct app *a, int x, int y)
{
	const struct pane_rect	*r;
	size_t			 i;

	for (i = 0; i < a->nlayout; i++) {
		r = &a->layout[i];
		if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return i;
	}
	return a->nlayout;
}

/* The action n times, as n presses of its key. */
static void
repeat(struct app *a, enum action act, size_t n)
{
	while (n-- > 0)
		app_run_action(a, act);
}

/*
 * The cursor and first row shown of the list pane r, and its length;
 * false for a pane that is no list.
 */
static bool
list_of(struct app *a, const struct pane_rect *r, size_t **sel,
    size_t *top, size_t *n)
{
	struct console		*c = &a->c;
	const struct af_run	*runs[64];

	switch (r->kind) {
	case PANE_RUNS:
		if (c->runs_level == 0) {
			*sel = &c->dag_sel;
			*top = c->dag_top;
			*n = c->ndag_order;
			return true;
		}
		if (c->dag_sel >= c->ndag_order)
			return false;
		*sel = &c->run_sel;
		*top = c->run_top;
		*n = console_dag_runs(c, c->snap.dags.v[c->dag_order[
		    c->dag_sel]].dag_id, runs, 64);
		return true;
	case PANE_TASKS:
		if (!c->detail.loaded)
			return false;
		*sel = &c->task_sel;
		*top = c->task_top;
		*n = c->ntask_vis;
		return true;
	default:
		return false;
	}
}

/*
 * A click on the focused pane r at line y: the cursor goes to the row
 * there, by as many down or up actions as rows lie between; false when
 * no row is there (the frame, the column titles, the foot lines).
 */
static bool
select_row(struct app *a, const struct pane_rect *r, int y)
{
	size_t	*sel, top, n, row;

	if (!list_of(a, r, &sel, &top, &n))
		return true;	/* no rows: the click focused, that is all */
	/* Rows stop above the foot lines, not only above the frame. */
	if (y < r->y + LIST_TOP || (size_t)(y - r->y - LIST_TOP) >=
	    (r->kind == PANE_RUNS ? a->c.runs_rows : a->c.task_rows))
		return false;
	row = top + (size_t)(y - r->y - LIST_TOP);
	if (row >= n)
		return false;
	if (row > *sel)
		repeat(a, ACTION_DOWN, row - *sel);
	else
		repeat(a, ACTION_UP, *sel - row);
	return true;
}

/* The wheel over pane i: its cursor moves, the focus stays where it is. */
static void
wheel(struct app *a, size_t i, bool down)
{
	size_t focus = a->focus;

	a->focus = i;
	repeat(a, down ? ACTION_DOWN : ACTION_UP, WHEEL_ROWS);
	a->focus = focus;
}

void
app_mouse(struct app *a)
{
	MEVENT	ev;
	size_t	i;

	if (getmouse(&ev) != OK || !a->mouse)
		return;
	/* Nothing under a modal, the help or a prompt: confirming is a key. */
	if (a->help || prompt_active() || rerun_active(a->rerun) ||
	    app_impact_open_now(a) || app_too_small(a) ||
	    app_compare_open_now(a))
		return;
	if ((i = pane_at(a, ev.x, ev.y)) == a->nlayout)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		wheel(a, i, (ev.bstate & BUTTON5_PRESSED) != 0);
		return;
	}
	if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)) == 0)
		return;
	a->focus = i;
	if (select_row(a, &a->layout[i], ev.y) &&
	    (ev.bstate & BUTTON1_DOUBLE_CLICKED))
		app_run_action(a, ACTION_ENTER);
}
