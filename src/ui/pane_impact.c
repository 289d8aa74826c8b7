/*
 * pane_impact.c: blast radius in the console (issue 19).  The impact key
 * opens a window over the panes: on a task instance (tasks, details or
 * log pane) what its failure holds back, downstream, as a tree of tasks,
 * assets, DAGs and SLAs; on a run (runs pane) the same for the run's first
 * failed or retrying task instance in task order, the others named in the
 * header (one read, one tree: the first failure is what a rerun starts
 * with); on an SLA row (SLA pane) why that SLA's DAG is late, upstream, as
 * a chain that ends in the root-cause sentence.  Enter on a node opens it
 * as the console drills down (a DAG: its runs; a task: its instance in its
 * run; an SLA: the SLA pane on it), and the window waits behind: the first
 * back key shows it again, and back in the window closes it and puts the
 * panes back where the user was.  The window never moves the focus on its
 * own: an answer only fills it.
 *
 * The window asks its questions through impactctl.c, which holds the
 * reads (and the rerun modal's and the SLA pane's); it is filled by
 * impact_window_answer when the answer comes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "config.h"
#include "depread.h"
#include "impactctl.h"
#include "rerun.h"
#include "timefmt.h"
#include "tz.h"

enum irow_kind { IR_TASK, IR_DAG, IR_ASSET, IR_ALIAS, IR_SLA, IR_TEXT };

/* One row of the window: what it says and what Enter opens. */
struct irow {
	enum irow_kind	 kind;
	int		 depth;
	attr_t		 attr;
	char		*text;		/* raw: drawn through the sanitiser */
	char		*dag_id, *run_id, *task_id;
	size_t		 sla;		/* IR_SLA: index into c->sla.defs */
};

enum iw_state { IW_CLOSED, IW_READING, IW_READY, IW_FAILED };

/* Where the user was when the window opened, to go back there. */
struct origin {
	enum pane_kind	 focus;
	char		*view;
	char		*dag_id, *run_id, *task_id;
	int		 map_index;
	int		 runs_level;
};

struct impact {
	enum iw_state	 state;
	bool		 parked;	/* Enter opened a node: back returns */
	bool		 moved;		/* the panes moved since it opened */
	bool		 upstream;	/* a why chain, not an impact tree */
	bool		 shown;		/* on screen at the last draw */
	unsigned	 gen;		/* of the question asked */
	struct buf	 title;
	struct buf	 head;		/* the summary line */
	struct buf	 foot;		/* warnings and gaps */
	struct buf	 error;
	struct irow	*rows;
	size_t		 nrows, sel, top;
	int		 list_rows;
	struct origin	 from;
	/* a run's failure, asked once its task instances are in */
	char		*want_dag, *want_run;
	/* Enter on a task: the cursor on it once its run is in */
	char		*sel_dag, *sel_run, *sel_task;
};

static struct impact *
imp_of(struct app *a)
{
	if (a->impact == NULL)
		a->impact = xcalloc(1, sizeof *a->impact);
	return a->impact;
}

/* ----------------------------------------------------------------------
 * The window's rows.
 */

static void
rows_free(struct impact *im)
{
	size_t i;

	for (i = 0; i < im->nrows; i++) {
		free(im->rows[i].text);
		free(im->rows[i].dag_id);
		free(im->rows[i].run_id);
		free(im->rows[i].task_id);
	}
	free(im->rows);
	im->rows = NULL;
	im->nrows = im->sel = im->top = 0;
}

static struct irow *
row_add(struct impact *im, enum irow_kind kind, int depth, const char *text)
{
	struct irow *r;

	im->rows = xrealloc(im->rows, (im->nrows + 1) * sizeof *im->rows);
	r = &im->rows[im->nrows++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->depth = depth;
	r->text = xstrdup(text);
	return r;
}

/* A node's kind as the console names it elsewhere ("DAG", not "dag"). */
static const char *
kind_label(enum dep_node_kind k)
{
	switch (k) {
	case DEP_NODE_DAG:
		return "DAG";
	case DEP_NODE_TASK:
		return "task";
	case DEP_NODE_ASSET:
		return "asset";
	default:
		return "alias";
	}
}

/* "10:00 JST": an instant in a zone, to the minute. */
static void
clock_in(struct buf *b, const struct tz *zone, int64_t t)
{
	struct tz_local l;

	if (t == TIME_NONE) {
		buf_puts(b, "-");
		return;
	}
	tz_localtime(zone, t, &l);
	buf_printf(b, "%02d:%02d %s", l.hour, l.min, l.abbr);
}

/* One SLA held back: deadline in its zone, time left, fits or not. */
static void
sla_hit_text(struct buf *b, const struct console *c,
    const struct dep_sla_hit *h)
{
	const struct sla_def	*def = c->sla.defs[h->sla];

	buf_printf(b, "SLA %s  deadline ", def->name);
	clock_in(b, c->sla.zones[h->sla], h->deadline);
	buf_puts(b, "  ");
	if (h->left >= 0) {
		fmt_duration(b, (double)h->left);
		buf_puts(b, " left");
	} else {
		buf_puts(b, "passed ");
		fmt_duration(b, (double)-h->left);
		buf_puts(b, " ago");
	}
	if (h->chain < 0)
		buf_puts(b, "  chain time unknown");
	else {
		buf_puts(b, h->fits ? "  fits (chain " : "  does not fit "
		    "(chain ");
		fmt_duration(b, (double)h->chain);
		buf_putc(b, ')');
	}
}

/* " newest run failed": a held-back DAG's state as the read found it. */
static void
dag_state_text(struct buf *b, const struct dep_state *st, const char *dag_id)
{
	const struct dep_dag_state *d;

	if ((d = dep_state_dag(st, dag_id)) == NULL)
		return;
	if (d->has_run)
		buf_printf(b, "  newest run %s", run_state_name(d->run_state));
	else
		buf_puts(b, "  no run yet");
}

/* A task of the open run: its state as the tasks pane has it, or NULL. */
static const struct af_ti *
open_ti(const struct console *c, const struct dep_req *q, const char *task_id)
{
	size_t i;

	if (!c->detail.loaded || c->detail.run_id == NULL || q->run_id == NULL ||
	    strcmp(c->detail.dag_id, q->dag_id) != 0 ||
	    strcmp(c->detail.run_id, q->run_id) != 0 || task_id == NULL)
		return NULL;
	for (i = 0; i < c->detail.tis.n; i++)
		if (strcmp(c->detail.tis.v[i].task_id, task_id) == 0)
			return &c->detail.tis.v[i];
	return NULL;
}

/*
 * One item of an impact as its row says it: task rows their state in the
 * open run, DAG rows their newest run, next run (console zone) and the
 * marks (paused, not on time, inactive), then how it was reached.
 */
static void
item_text(struct buf *b, const struct console *c, const struct dep_req *q,
    const struct dep_item *it)
{
	const struct af_ti *ti;

	buf_printf(b, "%s ", kind_label(it->kind));
	switch (it->kind) {
	case DEP_NODE_TASK:
		/* the failed DAG's tasks: the title names the DAG */
		if (it->dag_id != NULL && q->dag_id != NULL &&
		    strcmp(it->dag_id, q->dag_id) == 0)
			buf_puts(b, it->task_id);
		else
			buf_printf(b, "%s.%s", it->dag_id, it->task_id);
		if ((ti = open_ti(c, q, it->task_id)) != NULL)
			buf_printf(b, "  %s", ti_state_name(ti->state));
		if (it->via == DEP_VIA_FAILURE)
			buf_puts(b, "  (the failure)");
		break;
	case DEP_NODE_DAG:
		buf_puts(b, it->dag_id);
		dag_state_text(b, &q->imp.state, it->dag_id);
		if (it->next_run_after != TIME_NONE) {
			buf_puts(b, "  next ");
			fmt_time(b, c->zone, it->next_run_after, FMT_SHORT);
		}
		if (it->paused)
			buf_puts(b, "  [paused]");
		else if (it->not_on_time)
			buf_puts(b, "  [not on time anyway]");
		if (it->inactive)
			buf_puts(b, "  [inactive]");
		break;
	default:
		buf_puts(b, it->asset != NULL ? it->asset : "?");
		if (it->other_producer)
			buf_puts(b, "  (another producer still updates it)");
		break;
	}
	if (it->depth > 0) {
		buf_printf(b, "  via %s", dep_via_name(it->via));
		if ((it->via == DEP_VIA_SENSOR || it->via == DEP_VIA_TRIGGER) &&
		    it->task_id != NULL && it->kind == DEP_NODE_DAG)
			buf_printf(b, " %s", it->task_id);
	}
}

/*
 * The tree of an impact: each item under its parent (depth), then the SLAs
 * it holds, one row each; Enter on a task of the failed DAG opens it in
 * the failed run.
 */
static void
rows_impact(struct impact *im, const struct console *c,
    const struct dep_req *q)
{
	const struct dep_impact	*d = &q->imp.impact;
	struct buf		 b = BUF_INIT;
	struct irow		*r;
	size_t			 i, k, n;

	for (i = 0; i < d->nitems; i++) {
		const struct dep_item *it = &d->items[i];

		buf_reset(&b);
		item_text(&b, c, q, it);
		r = row_add(im, it->kind == DEP_NODE_TASK ? IR_TASK :
		    it->kind == DEP_NODE_DAG ? IR_DAG : it->kind ==
		    DEP_NODE_ASSET ? IR_ASSET : IR_ALIAS, it->depth,
		    buf_str(&b));
		r->dag_id = dup_or_null(it->dag_id);
		if (it->kind == DEP_NODE_TASK) {
			r->task_id = dup_or_null(it->task_id);
			if (it->dag_id != NULL &&
			    strcmp(it->dag_id, q->dag_id) == 0)
				r->run_id = dup_or_null(q->run_id);
			r->attr = it->via == DEP_VIA_FAILURE ?
			    ui_ti_attr(TI_FAILED) : ui_ti_attr(TI_UPSTREAM_FAILED);
		} else if (it->kind == DEP_NODE_DAG)
			r->attr = it->paused || it->not_on_time ? A_DIM :
			    A_BOLD;
		/* Its SLAs: from the soonest on, those it holds (by deadline). */
		for (k = it->sla_first, n = 0; n < it->nsla && k < d->nslas;
		    k++) {
			const struct dep_sla_hit *h = &d->slas[k];

			if (h->item != i)
				continue;
			n++;
			if (h->sla >= c->sla.n)
				continue;
			buf_reset(&b);
			sla_hit_text(&b, c, h);
			r = row_add(im, IR_SLA, it->depth + 1, buf_str(&b));
			r->sla = h->sla;
			r->attr = h->fits ? ui_run_attr(RUN_QUEUED) :
			    ui_run_attr(RUN_FAILED) | A_BOLD;
		}
	}
	buf_free(&b);
}

/* A link of a why chain: what it is and what is wrong with it. */
static void
link_text(struct buf *b, const struct console *c, const struct dep_link *l,
    bool first)
{
	buf_printf(b, "%s ", kind_label(l->kind));
	if (l->kind == DEP_NODE_ASSET)
		buf_puts(b, l->asset != NULL ? l->asset : "?");
	else if (l->kind == DEP_NODE_TASK)
		buf_printf(b, "%s.%s", l->dag_id != NULL ? l->dag_id : "?",
		    l->task_id != NULL ? l->task_id : "?");
	else
		buf_puts(b, l->dag_id != NULL ? l->dag_id : "?");
	/* The DAG asked about is fine in itself: only the links say why. */
	if (l->verdict != DEP_OK || !first)
		buf_printf(b, "  %s", dep_verdict_name(l->verdict));
	if (l->when != TIME_NONE && l->when != 0) {
		buf_puts(b, " ");
		fmt_time(b, c->zone, l->when, FMT_SHORT);
	}
	/* Tries as the tasks pane says them ("try 3 of 3"). */
	if (l->kind == DEP_NODE_TASK && l->try_number > 0)
		buf_printf(b, ", try %d of %d", l->try_number, l->max_tries);
}

/* The chain upstream, then the root-cause sentence. */
static void
rows_why(struct impact *im, const struct console *c, const struct dep_req *q)
{
	const struct dep_why	*w = &q->why.why;
	struct buf		 b = BUF_INIT;
	struct irow		*r;
	size_t			 i;

	for (i = 0; i < w->nchain; i++) {
		const struct dep_link *l = &w->chain[i];

		buf_reset(&b);
		link_text(&b, c, l, i == 0);
		if (i > 0)
			buf_printf(&b, "  (%s)", dep_via_name(l->via));
		r = row_add(im, l->kind == DEP_NODE_TASK ? IR_TASK :
		    l->kind == DEP_NODE_DAG ? IR_DAG : IR_ASSET, (int)i,
		    buf_str(&b));
		r->dag_id = dup_or_null(l->dag_id);
		r->task_id = dup_or_null(l->task_id);
		r->run_id = dup_or_null(l->run_id);
		switch (l->verdict) {
		case DEP_FAILED:
		case DEP_MISSING:
			r->attr = ui_run_attr(RUN_FAILED) | A_BOLD;
			break;
		case DEP_LATE:
		case DEP_PAUSED:
		case DEP_UNKNOWN:
			r->attr = ui_run_attr(RUN_QUEUED) | A_BOLD;
			break;
		default:
			r->attr = A_NORMAL;
			break;
		}
	}
	r = row_add(im, IR_TEXT, 0, buf_str(&w->sentence));
	r->attr = A_BOLD;
	buf_free(&b);
}

/* The warnings and gaps, one line: the first and how many more. */
static void
foot_of(struct buf *foot, const char *warnings, const char *gaps)
{
	size_t	n = 0;
	const char *p;

	buf_reset(foot);
	for (p = warnings; p != NULL && *p != '\0'; p = strchr(p, '\n'))
		if (*p == '\n' ? *++p != '\0' : true)
			n++;
	if (n > 0) {
		buf_printf(foot, "! %.*s", (int)strcspn(warnings, "\n"),
		    warnings);
		if (n > 1)
			buf_printf(foot, " (+%zu more)", n - 1);
	}
	if (gaps != NULL && *gaps != '\0') {
		if (foot->len > 0)
			buf_puts(foot, "; ");
		buf_printf(foot, "source gaps: %.*s", (int)strcspn(gaps, "\n"),
		    gaps);
	}
}

void
impact_window_answer(struct app *a, struct dep_req *q, const char *err)
{
	struct impact	*im = a->impact;
	struct console	*c = &a->c;
	const struct dep_impact *d = &q->imp.impact;
	const struct depgraph	*graph;

	if (im == NULL || im->state != IW_READING || q->gen != im->gen)
		return;		/* closed, or another question since */
	rows_free(im);
	buf_reset(&im->error);
	if (err != NULL) {
		im->state = IW_FAILED;
		buf_puts(&im->error, err);
		return;
	}
	im->state = IW_READY;
	buf_reset(&im->head);
	if (q->kind == DQ_IMPACT) {
		/* The summary is the rerun modal's line: one wording. */
		buf_puts(&im->head, buf_str(&q->imp.line));
		buf_printf(&im->title, ": %zu task%s, %zu asset%s",
		    d->ntasks, d->ntasks == 1 ? "" : "s", d->nassets,
		    d->nassets == 1 ? "" : "s");
		rows_impact(im, c, q);
	} else {
		buf_puts(&im->head, q->why.why.found ? "root cause upstream:" :
		    "no bad link upstream:");
		buf_printf(&im->head, " %zu link%s", q->why.why.nchain,
		    q->why.why.nchain == 1 ? "" : "s");
		if (q->why.why.also_bad > 0)
			buf_printf(&im->head, ", %zu other branch%s bad too",
			    q->why.why.also_bad, q->why.why.also_bad == 1 ?
			    "" : "es");
		rows_why(im, c, q);
	}
	/* Cycles, dangling references and what the source cannot give. */
	graph = q->kind == DQ_IMPACT ? q->imp.graph : q->why.graph;
	foot_of(&im->foot, q->kind == DQ_IMPACT ? buf_str(&q->imp.warnings) :
	    buf_str(&q->why.warnings), graph != NULL ? depgraph_gaps(graph) :
	    NULL);
}

/* ----------------------------------------------------------------------
 * Opening and closing.
 */

static void
origin_free(struct origin *o)
{
	free(o->view);
	free(o->dag_id);
	free(o->run_id);
	free(o->task_id);
	memset(o, 0, sizeof *o);
}

static void
origin_save(struct app *a, struct origin *o)
{
	struct console *c = &a->c;

	origin_free(o);
	o->focus = app_focused_kind(a);
	o->view = dup_or_null(c->view.name);
	o->runs_level = c->runs_level;
	o->dag_id = console_selected_dag(c);
	o->run_id = c->detail.run_id != NULL ? xstrdup(c->detail.run_id) :
	    console_selected_run(c);
	if (c->detail.loaded)
		o->task_id = console_selected_task(c, &o->map_index);
}

/* The panes as they were when the window opened. */
static void
origin_restore(struct app *a, const struct origin *o)
{
	struct console *c = &a->c;

	if (o->view != NULL && (c->view.name == NULL ||
	    strcmp(o->view, c->view.name) != 0)) {
		app_switch_data(a, true, o->view);
		free(a->sla_back_view);
		a->sla_back_view = NULL;
	}
	if (o->dag_id != NULL) {
		app_jump_dag(a, o->dag_id);
		if (o->runs_level == 0)
			c->runs_level = 0;	/* the DAG list, on that DAG */
		else if (o->run_id != NULL) {
			struct impact *im = imp_of(a);

			console_select_run(c, o->run_id);
			c->want_dag = o->dag_id;
			c->want_run = o->run_id;
			app_open_run(a, false);
			/* The cursor back on the task once the run is in. */
			free(im->sel_dag);
			free(im->sel_run);
			free(im->sel_task);
			im->sel_dag = xstrdup(o->dag_id);
			im->sel_run = xstrdup(o->run_id);
			im->sel_task = dup_or_null(o->task_id);
		}
	}
	app_focus_kind(a, o->focus);
}

static void
window_close(struct app *a)
{
	struct impact *im = imp_of(a);

	if (im->moved)
		origin_restore(a, &im->from);
	im->state = IW_CLOSED;
	im->parked = im->moved = false;
	im->gen++;
	rows_free(im);
	buf_reset(&im->title);
	free(im->want_dag);
	free(im->want_run);
	im->want_dag = im->want_run = NULL;
	origin_free(&im->from);
	buf_reset(&a->message);
}

/* Asks the question and shows "reading…" until the answer is in. */
static void
window_ask(struct app *a, enum depq_kind kind, const char *title,
    const char *dag_id, const char *run_id, const char *task_id, size_t sla)
{
	struct impact	*im = imp_of(a);
	struct dep_req	*q;

	rows_free(im);
	buf_reset(&im->head);
	buf_reset(&im->foot);
	buf_reset(&im->error);
	buf_reset(&im->title);
	buf_puts(&im->title, title);
	im->state = IW_READING;
	im->upstream = kind == DQ_WHY;
	im->gen++;
	q = depq_req(a, kind, dag_id, run_id, task_id);
	q->gen = im->gen;
	q->sla = sla;
	depq_push(a, q);
	if (a->db == NULL || !a->connected) {
		buf_reset(&a->message);
		buf_puts(&a->message, "impact: not connected; read when the "
		    "database is back");
	}
}

/* A run's failures: the first failed or retrying instance, in task order. */
static void
ask_run_failure(struct app *a)
{
	struct console	*c = &a->c;
	const struct af_ti *first = NULL;
	struct buf	 t = BUF_INIT;
	size_t		 i, more = 0;

	for (i = 0; i < c->detail.rows.n; i++) {
		const struct task_row *row = &c->detail.rows.v[i];

		if (row->state != TI_FAILED && row->state != TI_UP_FOR_RETRY)
			continue;
		if (first == NULL)
			first = row->ti;
		else
			more++;
	}
	if (first == NULL) {
		window_close(a);
		buf_printf(&a->message, "impact: no failed or retrying task in "
		    "run %s", c->detail.run_id);
		return;
	}
	buf_printf(&t, "impact of %s.%s", first->dag_id != NULL ?
	    first->dag_id : c->detail.dag_id, first->task_id);
	if (more > 0)
		buf_printf(&t, " (first of %zu failures)", more + 1);
	window_ask(a, DQ_IMPACT, buf_str(&t), c->detail.dag_id,
	    c->detail.run_id, first->task_id, 0);
	buf_free(&t);
}

void
app_impact_open(struct app *a)
{
	struct console		*c = &a->c;
	struct impact		*im = imp_of(a);
	enum pane_kind		 k = app_focused_kind(a);
	const struct task_row	*row;
	struct buf		 t = BUF_INIT;

	buf_reset(&a->message);
	if (im->parked)
		im->moved = false;	/* a new question from where they are */
	if (im->state != IW_CLOSED)
		window_close(a);
	origin_save(a, &im->from);
	if (k == PANE_SLA) {
		size_t i = c->sla.selected;

		if (i >= c->sla.n) {
			buf_puts(&a->message, "impact: select an SLA first");
			return;
		}
		buf_printf(&t, "why is SLA %s late (%s)", c->sla.defs[i]->name,
		    c->sla.defs[i]->dag_id);
		window_ask(a, DQ_WHY, buf_str(&t), c->sla.defs[i]->dag_id, NULL,
		    NULL, i);
	} else if (k == PANE_RUNS) {
		char *run = console_selected_run(c);
		char *dag = console_selected_dag(c);

		if (run == NULL || dag == NULL) {
			buf_puts(&a->message, "impact: open a DAG's runs and "
			    "select a run, or select a task");
		} else if (c->detail.loaded && c->detail.run_id != NULL &&
		    strcmp(c->detail.run_id, run) == 0 &&
		    strcmp(c->detail.dag_id, dag) == 0)
			ask_run_failure(a);
		else {
			/* Its task instances first: asked when they are in. */
			im->want_dag = xstrdup(dag);
			im->want_run = xstrdup(run);
			im->state = IW_READING;
			im->gen++;
			buf_printf(&t, "impact of run %s", run);
			buf_reset(&im->title);
			buf_puts(&im->title, buf_str(&t));
			c->want_dag = im->want_dag;
			c->want_run = im->want_run;
			app_open_run(a, false);
		}
		free(run);
		free(dag);
	} else if (c->detail.loaded && (row = console_task_row(c,
	    c->task_sel)) != NULL) {
		buf_printf(&t, "impact of %s.%s", c->detail.dag_id,
		    row->ti->task_id);
		window_ask(a, DQ_IMPACT, buf_str(&t), c->detail.dag_id,
		    c->detail.run_id, row->ti->task_id, 0);
	} else
		buf_puts(&a->message, "impact: select a task instance, a run "
		    "or an SLA first");
	buf_free(&t);
	a->dirty = true;
}

/* Enter on a row: open what it names; the window waits behind. */
static void
window_enter(struct app *a, const struct irow *r)
{
	struct console *c = &a->c;

	buf_reset(&a->message);
	switch (r->kind) {
	case IR_SLA:
		app_run_action(a, ACTION_SLA);
		c->sla.want = r->sla;
		break;
	case IR_DAG:
		app_jump_dag(a, r->dag_id);
		break;
	case IR_TASK:
		if (r->run_id == NULL) {
			app_jump_dag(a, r->dag_id);
			break;
		}
		app_jump_dag(a, r->dag_id);
		console_select_run(c, r->run_id);
		c->want_dag = r->dag_id;
		c->want_run = r->run_id;
		app_open_run(a, true);
		free(imp_of(a)->sel_dag);
		free(imp_of(a)->sel_run);
		free(imp_of(a)->sel_task);
		imp_of(a)->sel_dag = xstrdup(r->dag_id);
		imp_of(a)->sel_run = xstrdup(r->run_id);
		imp_of(a)->sel_task = xstrdup(r->task_id);
		break;
	default:
		buf_puts(&a->message, r->kind == IR_TEXT ? "the root cause: "
		    "Enter on a DAG or task of the chain opens it" :
		    "an asset: Enter on the DAG or task that writes it");
		return;
	}
	imp_of(a)->parked = true;
	imp_of(a)->moved = true;
}

bool
app_impact_key(struct app *a, enum action act)
{
	struct impact	*im = a->impact;
	size_t		 page;

	if (im == NULL || im->state == IW_CLOSED)
		return false;
	if (im->parked) {
		if (act != ACTION_BACK && act != ACTION_BACK_OR_QUIT)
			return false;
		/* Back from what Enter opened: the window again. */
		im->parked = false;
		a->dirty = true;
		return true;
	}
	if (!im->shown)
		return act != ACTION_QUIT;	/* not on screen: no key acts */
	a->dirty = true;
	page = im->list_rows > 1 ? (size_t)im->list_rows - 1 : 1;
	if (pane_list_move(&im->sel, im->nrows, act, page))
		return true;
	switch (act) {
	case ACTION_BACK:
	case ACTION_BACK_OR_QUIT:
		window_close(a);
		return true;
	case ACTION_ENTER:
		if (im->sel < im->nrows)
			window_enter(a, &im->rows[im->sel]);
		return true;
	case ACTION_QUIT:
	case ACTION_HELP:
	case ACTION_COMMAND:
	case ACTION_REFRESH:
		return false;
	default:
		return true;	/* the panes behind take no key */
	}
}

/* The run's task instances are in: its failure is asked now. */
static void
window_run_loaded(struct app *a)
{
	struct impact	*im = a->impact;
	struct console	*c = &a->c;

	if (im->want_run == NULL || !c->detail.loaded ||
	    c->detail.run_id == NULL || c->detail.dag_id == NULL)
		return;
	if (strcmp(c->detail.run_id, im->want_run) != 0 ||
	    strcmp(c->detail.dag_id, im->want_dag) != 0) {
		window_close(a);	/* the user opened another run */
		return;
	}
	free(im->want_dag);
	free(im->want_run);
	im->want_dag = im->want_run = NULL;
	ask_run_failure(a);
}

/* Enter opened a task's run: once it is in, the cursor goes on the task. */
static void
task_loaded(struct app *a)
{
	struct impact	*im = a->impact;
	struct console	*c = &a->c;

	if (im->sel_task == NULL || !c->detail.loaded ||
	    c->detail.run_id == NULL)
		return;
	if (strcmp(c->detail.run_id, im->sel_run) == 0 &&
	    strcmp(c->detail.dag_id, im->sel_dag) == 0)
		console_select_task(c, im->sel_task, -1);
	free(im->sel_dag);
	free(im->sel_run);
	free(im->sel_task);
	im->sel_dag = im->sel_run = im->sel_task = NULL;
}

void
app_impact_run_loaded(struct app *a)
{
	if (a->impact == NULL)
		return;
	if (a->impact->want_run != NULL)
		window_run_loaded(a);
	task_loaded(a);
}

/* ----------------------------------------------------------------------
 * Drawing.
 */

static void
draw_list(struct impact *im, WINDOW *w, int y0, int rows, int wd, bool ascii)
{
	size_t	i;
	int	y, ind;

	pane_list_scroll(&im->sel, &im->top, im->nrows, rows);
	for (y = 0, i = im->top; y < rows && i < im->nrows; y++, i++) {
		const struct irow *r = &im->rows[i];

		ind = 2 + 2 * (r->depth > 8 ? 8 : r->depth);
		if (ind > wd / 3)
			ind = wd / 3;
		if (i == im->sel) {
			wattron(w, A_REVERSE);
			mvwhline(w, y0 + y, 1, ' ', wd - 2);
		}
		wattron(w, r->attr);
		wmove(w, y0 + y, ind);
		ui_put_cut(w, r->text, wd - 1 - ind, ascii);
		wattroff(w, r->attr);
		if (i == im->sel)
			wattroff(w, A_REVERSE);
	}
}

void
app_impact_draw(struct app *a, int y0, int width, int height)
{
	struct console	*c = &a->c;
	struct impact	*im = a->impact;
	WINDOW		*w;
	const char	*detail = NULL;
	int		 h = height, wd = width, drows, frows, list, y;

	if (im == NULL)
		return;
	im->shown = false;
	if (im->state == IW_CLOSED || im->parked)
		return;
	if (wd < 20 || h < 5)
		return;		/* too small: not drawn, no key acts on it */
	if ((w = newwin(h, wd, y0, 0)) == NULL)
		return;
	werase(w);
	ui_frame(w, buf_str(&im->title), true, c->ascii);
	wmove(w, 1, 2);
	switch (im->state) {
	case IW_READING:
		ui_put_cut(w, c->ascii ? "reading..." : "reading\u2026",
		    wd - 4, c->ascii);
		break;
	case IW_FAILED:
		wattron(w, ui_run_attr(RUN_FAILED));
		ui_put_cut(w, "the read failed: ", wd - 4, c->ascii);
		ui_put_cut(w, buf_str(&im->error), wd - 4 - 17, c->ascii);
		wattroff(w, ui_run_attr(RUN_FAILED));
		break;
	default:
		wattron(w, A_BOLD);
		ui_put_cut(w, buf_str(&im->head), wd - 4, c->ascii);
		wattroff(w, A_BOLD);
		break;
	}
	if (im->sel < im->nrows)
		detail = im->rows[im->sel].text;
	frows = im->foot.len > 0 && h >= 9 ? 1 : 0;
	/* The selected row whole: up to two rows when the window is tall. */
	drows = detail != NULL && h >= 8 ? ui_put_wrap(NULL, 0, 0, detail,
	    wd - 4, h >= 12 ? 2 : 1, c->ascii) : 0;
	list = h - 2 - 1 - frows - drows;
	im->list_rows = list > 0 ? list : 0;
	if (list > 0)
		draw_list(im, w, 2, list, wd, c->ascii);
	y = 2 + (list > 0 ? list : 0);
	if (frows > 0) {
		wattron(w, ui_run_attr(RUN_QUEUED));
		wmove(w, y, 2);
		ui_put_cut(w, buf_str(&im->foot), wd - 4, c->ascii);
		wattroff(w, ui_run_attr(RUN_QUEUED));
		y++;
	}
	if (drows > 0) {
		wattron(w, A_DIM);
		ui_put_wrap(w, y, 2, detail, wd - 4, drows, c->ascii);
		wattroff(w, A_DIM);
	}
	if (wd > 40) {
		wmove(w, h - 1, 2);
		ui_put_cut(w, im->upstream ? " Enter opens  back closes " :
		    " Enter opens  back closes  (tree: what it holds back) ",
		    wd - 4, c->ascii);
	}
	wnoutrefresh(w);
	delwin(w);
	im->shown = true;
}

bool
app_impact_shown(const struct app *a)
{
	return a->impact != NULL && a->impact->shown &&
	    a->impact->state != IW_CLOSED && !a->impact->parked;
}

bool
app_impact_open_now(const struct app *a)
{
	return a->impact != NULL && a->impact->state != IW_CLOSED &&
	    !a->impact->parked;
}

void
app_impact_free(struct app *a)
{
	struct impact	*im = a->impact;

	if (im == NULL)
		return;
	rows_free(im);
	origin_free(&im->from);
	buf_free(&im->title);
	free(im->want_dag);
	free(im->want_run);
	free(im->sel_dag);
	free(im->sel_run);
	free(im->sel_task);
	buf_free(&im->head);
	buf_free(&im->foot);
	buf_free(&im->error);
	free(im);
	a->impact = NULL;
}
