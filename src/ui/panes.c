/*
 * panes.c: the pane classes, one line per kind of pane a view may name.
 * A new pane is its file and one line here.
 */
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
