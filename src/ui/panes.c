/*
 * panes.c: the pane classes, one line per kind of pane a view may name.
 * A new pane is its file and one line here.
 */
#include <stdlib.h>

#include "app.h"

static const struct pane_ops *const classes[PANE_KIND_COUNT] = {
	[PANE_RUNS] = &pane_runs_ops,
	[PANE_TASKS] = &pane_tasks_ops,
	[PANE_LOG] = &pane_log_ops,
	[PANE_DETAILS] = &pane_details_ops,
	[PANE_HELP] = &pane_details_ops,
	[PANE_SLA] = &pane_sla_ops,
	[PANE_SLA_WEEK] = &pane_slaweek_ops,
	[PANE_SLOTS] = &pane_slots_ops,
	[PANE_FOURKEYS] = &pane_fourkeys_ops,
};

const struct pane_ops *
pane_class(enum pane_kind k)
{
	return (unsigned)k < PANE_KIND_COUNT && classes[k] != NULL ?
	    classes[k] : &pane_details_ops;
}

void *
pane_state(struct console *c, enum pane_kind k)
{
	const struct pane_ops *ops = pane_class(k);

	if ((unsigned)k >= PANE_KIND_COUNT || ops->priv_size == 0)
		return NULL;
	if (c->pane_state[k] == NULL)
		c->pane_state[k] = xcalloc(1, ops->priv_size);
	return c->pane_state[k];
}

void
panes_reset(struct console *c)
{
	int k;

	for (k = 0; k < PANE_KIND_COUNT; k++) {
		if (c->pane_state[k] == NULL)
			continue;
		if (pane_class(k)->free != NULL)
			pane_class(k)->free(c->pane_state[k]);
		free(c->pane_state[k]);
		c->pane_state[k] = NULL;
	}
}

/* Each class's empty hook, NULL meaning never empty. */
void
panes_empty(struct console *c, bool empty[PANE_KIND_COUNT])
{
	const struct pane_ops	*ops;
	int			 k;

	for (k = 0; k < PANE_KIND_COUNT; k++) {
		ops = pane_class((enum pane_kind)k);
		/* priv NULL: not shown yet, nothing made for it. */
		empty[k] = ops->empty != NULL &&
		    ops->empty(c, c->pane_state[k]);
	}
}

bool
panes_collapsed(struct console *c, size_t screen, size_t i)
{
	struct pane_rect	r[16];
	bool			empty[PANE_KIND_COUNT];
	size_t			n;

	panes_empty(c, empty);
	/* The size does not matter: a collapsed pane has none at any. */
	n = view_layout_fit(&c->view, screen, 0, 0, 200, 100, empty, r, 16);
	return i < n && r[i].w == 0;
}

bool
pane_list_move(size_t *sel, size_t n, enum action a, size_t page)
{
	size_t last = n > 0 ? n - 1 : 0;

	switch (a) {
	case ACTION_DOWN:
		if (*sel + 1 < n)
			(*sel)++;
		return true;
	case ACTION_UP:
		if (*sel > 0)
			(*sel)--;
		return true;
	case ACTION_PAGE_DOWN:
		*sel = *sel <= last && last - *sel >= page ? *sel + page : last;
		return true;
	case ACTION_PAGE_UP:
		*sel = *sel > page ? *sel - page : 0;
		return true;
	case ACTION_TOP:
		*sel = 0;
		return true;
	case ACTION_BOTTOM:
		*sel = last;
		return true;
	default:
		return false;
	}
}

void
pane_list_scroll(size_t *sel, size_t *top, size_t n, int rows)
{
	if (n > 0 && *sel >= n)
		*sel = n - 1;
	if (*sel < *top)
		*top = *sel;
	if (rows > 0 && *sel >= *top + (size_t)rows)
		*top = *sel - (size_t)rows + 1;
}
