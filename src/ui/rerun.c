/*
 * rerun.c: the rerun modal.  The rerun key asks the Airflow API for a dry
 * run of clearing the selected task and its transitive downstream (or a
 * failed run's failed tasks, each with its downstream); the modal lists
 * every task instance the answer names, with its state and try as the
 * database has them; y clears, the only-failed key narrows the preview,
 * any other key cancels.  Requests go through airflow_clear, behind the
 * write gate.  Every clear is audited: the intent (the preview's list) is
 * written and fsync'd before the clear leaves, the outcome after; an
 * unanswered clear is "outcome unknown", and the modal then shows what the
 * database says once the panes are read again.  When the audit log cannot
 * be written the rerun is refused before any request.
 */
#include <stdlib.h>
#include <string.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "audit.h"
#include "config.h"
#include "loop.h"
#include "logindex.h"
#include "sanitize.h"
#include "rerun.h"

enum rerun_phase { RR_CLOSED, RR_PREVIEWING, RR_PREVIEW, RR_CLEARING,
	RR_FAILED, RR_UNKNOWN };

struct rerun {
	struct console		*c;
	const struct settings	*settings;
	struct airflow_api	*api;
	rerun_done_cb		 done;
	void			*arg;
	enum rerun_phase	 phase;
	char			*dag_id, *run_id;
	char			**task_ids;
	int			*map_indexes;
	size_t			 ntasks;
	bool			 only_failed;
	struct clear_result	 preview;
	struct api_call		*call;
	struct buf		 error;
	struct buf		 note;		/* what the failure holds back */
	char			 audit_id[64];	/* of the clear's records */
	bool			 shutting_down;	/* no callbacks to the console */
	int			 outcome;	/* CLEAR_EXIT_* of the last clear */
	/* What the last draw showed: a key acts only on what was seen. */
	enum rerun_phase	 shown;
	size_t			 top;		/* first line of the list shown */
	size_t			 nlines;	/* lines of the list */
	int			 list_rows;	/* rows the list had */
};

static bool
same_run(const struct console *c, const char *dag_id, const char *run_id)
{
	return c->detail.dag_id != NULL && c->detail.run_id != NULL &&
	    strcmp(c->detail.dag_id, dag_id) == 0 &&
	    strcmp(c->detail.run_id, run_id) == 0;
}

struct rerun *
rerun_new(struct console *c, rerun_done_cb done, void *arg)
{
	struct rerun *r = xcalloc(1, sizeof *r);

	r->c = c;
	r->done = done;
	r->arg = arg;
	return r;
}

static void
forget(struct rerun *r)
{
	size_t i;

	airflow_clear_cancel(r->call);
	r->call = NULL;
	for (i = 0; i < r->ntasks; i++)
		free(r->task_ids[i]);
	free(r->task_ids);
	free(r->map_indexes);
	r->task_ids = NULL;
	r->map_indexes = NULL;
	r->ntasks = 0;
	free(r->dag_id);
	free(r->run_id);
	r->dag_id = r->run_id = NULL;
	clear_result_free(&r->preview);
	buf_reset(&r->error);
	buf_reset(&r->note);
	r->audit_id[0] = '\0';
	r->phase = RR_CLOSED;
}

void
rerun_free(struct rerun *r)
{
	if (r == NULL)
		return;
	forget(r);
	buf_free(&r->error);
	buf_free(&r->note);
	free(r);
}

bool
rerun_active(const struct rerun *r)
{
	return r->phase != RR_CLOSED;
}

static void
make_request(const struct rerun *r, struct clear_request *q, bool dry)
{
	memset(q, 0, sizeof *q);
	q->dag_run_id = r->run_id;
	q->task_ids = (const char *const *)r->task_ids;
	q->map_indexes = r->map_indexes;
	q->ntasks = r->ntasks;
	q->include_downstream = true;
	q->only_failed = r->only_failed;
	q->dry_run = dry;
}

/* Writes one audit record; -1 with the reason in err when it cannot. */
static int
audit_record(struct rerun *r, enum audit_record kind,
    const struct clear_result *cleared, const char *what, struct buf *err)
{
	struct audit_clear	e;
	struct clear_request	q;

	make_request(r, &q, false);
	memset(&e, 0, sizeof e);
	e.id = r->audit_id[0] != '\0' ? r->audit_id : NULL;
	e.planned = &r->preview;
	e.context = r->settings->context;
	e.api_url = r->api != NULL ? airflow_api_url(r->api) :
	    r->settings->airflow_api_shown;
	e.dag_id = r->dag_id;
	e.run_id = r->run_id;
	e.asked = &q;
	e.cleared = cleared;
	e.result = what;
	return audit_write(&e, kind, err);
}

/* An outcome record; a failure to write it is said. */
static void
audit(struct rerun *r, const struct clear_result *cleared, const char *what)
{
	struct buf err = BUF_INIT;

	if (audit_record(r, AUDIT_OUTCOME, cleared, what, &err) != 0 &&
	    r->done != NULL && !r->shutting_down)
		r->done(r->arg, -1, buf_str(&err));
	buf_free(&err);
}

static void
preview_answer(void *arg, const struct clear_result *res, const char *err,
    bool unknown)
{
	struct rerun *r = arg;

	(void)unknown;	/* a dry run changes nothing */
	r->call = NULL;
	if (res == NULL) {
		struct buf what = BUF_INIT;

		/* Refused by Airflow at the preview: an attempt all the same. */
		buf_printf(&what, "failed: dry run: %s", err);
		audit(r, NULL, buf_str(&what));
		buf_free(&what);
		r->phase = RR_FAILED;
		buf_reset(&r->error);
		buf_printf(&r->error, "dry run failed: %s", err);
	} else {
		clear_result_free(&r->preview);
		r->preview.v = xcalloc(res->n + 1, sizeof *r->preview.v);
		for (size_t i = 0; i < res->n; i++) {
			r->preview.v[i].task_id = xstrdup(res->v[i].task_id);
			r->preview.v[i].map_index = res->v[i].map_index;
		}
		r->preview.n = res->n;
		r->phase = RR_PREVIEW;
	}
	if (r->done != NULL)
		r->done(r->arg, 0, NULL);	/* redraw */
}

/* No usable answer: the clear may have been applied. */
static void
clear_unknown(struct rerun *r, const char *why)
{
	struct buf msg = BUF_INIT;

	buf_printf(&msg, "outcome unknown: %s", why);
	audit(r, NULL, buf_str(&msg));
	r->outcome = CLEAR_EXIT_UNKNOWN;
	r->phase = RR_UNKNOWN;
	buf_reset(&r->error);
	buf_puts(&r->error, why);
	if (r->done != NULL && !r->shutting_down)
		/* Read the database again at once: the modal shows it. */
		r->done(r->arg, r->preview.n > 0 ? (int)r->preview.n : 1,
		    "clear: outcome unknown; the rerun window shows what the "
		    "database says now");
	buf_free(&msg);
}

static void
clear_answer(void *arg, const struct clear_result *res, const char *err,
    bool unknown)
{
	struct rerun	*r = arg;
	struct buf	 msg = BUF_INIT;
	int		 n;

	r->call = NULL;
	if (res == NULL && unknown) {
		clear_unknown(r, err);
		return;
	}
	if (res == NULL) {
		buf_printf(&msg, "failed: %s", err);
		audit(r, NULL, buf_str(&msg));
		r->outcome = CLEAR_EXIT_FAILED;
		r->phase = RR_FAILED;
		buf_reset(&r->error);
		buf_printf(&r->error, "clear failed: %s", err);
		buf_free(&msg);
		if (r->done != NULL && !r->shutting_down)
			r->done(r->arg, 0, NULL);
		return;
	}
	audit(r, res, "cleared");
	r->outcome = CLEAR_EXIT_OK;
	n = (int)res->n;
	forget(r);
	buf_printf(&msg, "cleared %d task instance%s; the panes show what the "
	    "database says", n, n == 1 ? "" : "s");
	if (r->done != NULL && !r->shutting_down)
		r->done(r->arg, n, buf_str(&msg));
	buf_free(&msg);
}

/* Sends the dry run (or, with dry false, the clear). */
static void
send(struct rerun *r, bool dry)
{
	struct clear_request	q;
	struct buf		err = BUF_INIT;

	make_request(r, &q, dry);
	if (!dry) {
		/* The intent, durably, before the clear leaves. */
		audit_new_id(r->audit_id, sizeof r->audit_id);
		if (audit_record(r, AUDIT_INTENT, NULL, NULL, &err) != 0) {
			r->phase = RR_FAILED;
			buf_reset(&r->error);
			buf_printf(&r->error, "%s: the clear is refused",
			    buf_str(&err));
			buf_free(&err);
			if (r->done != NULL)
				r->done(r->arg, 0, NULL);
			return;
		}
	}
	r->phase = dry ? RR_PREVIEWING : RR_CLEARING;
	r->call = airflow_clear(r->api, r->dag_id, &q, dry ? preview_answer :
	    clear_answer, r, &err);
	if (r->call == NULL && err.len > 0) {
		/* The write gate refused: no request left the process. */
		audit(r, NULL, "refused: read-only");
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, buf_str(&err));
	}
	buf_free(&err);
}

void
rerun_start(struct rerun *r, struct airflow_api *api,
    const struct settings *s, const char *why_no_api, const char *dag_id,
    const char *run_id, const char *const *task_ids, const int *map_indexes,
    size_t n)
{
	forget(r);
	r->settings = s;
	r->api = api;
	r->dag_id = xstrdup(dag_id);
	r->run_id = xstrdup(run_id);
	r->task_ids = xcalloc(n + 1, sizeof *r->task_ids);
	r->map_indexes = xcalloc(n + 1, sizeof *r->map_indexes);
	for (size_t i = 0; i < n; i++) {
		r->task_ids[i] = xstrdup(task_ids[i]);
		r->map_indexes[i] = map_indexes != NULL ? map_indexes[i] : -1;
	}
	r->ntasks = n;
	r->only_failed = false;
	r->shown = RR_CLOSED;
	r->top = r->nlines = 0;
	if (api == NULL) {
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, why_no_api != NULL && *why_no_api ?
			    why_no_api : "rerun needs airflow_api in the "
			    "context (dagtop.conf(5))");
		return;
	}
	{
		/* The write gate first, then: no audit, no rerun. */
		struct buf err = BUF_INIT;

		if (!airflow_api_may_write(api, &err)) {
			audit(r, NULL, "refused: read-only");
			forget(r);
			if (r->done != NULL)
				r->done(r->arg, -1, buf_str(&err));
			buf_free(&err);
			return;
		}
		if (audit_check(&err) != 0) {
			forget(r);
			buf_puts(&err, "; rerun refused, nothing was sent");
			if (r->done != NULL)
				r->done(r->arg, -1, buf_str(&err));
			buf_free(&err);
			return;
		}
		buf_free(&err);
	}
	send(r, true);
}

bool
rerun_target(const struct rerun *r, const char **dag_id, const char **run_id,
    const char **task_id)
{
	if (r == NULL || r->phase == RR_CLOSED || r->ntasks == 0)
		return false;
	*dag_id = r->dag_id;
	*run_id = r->run_id;
	*task_id = r->task_ids[0];
	return true;
}

void
rerun_set_note(struct rerun *r, const char *s)
{
	buf_reset(&r->note);
	buf_puts(&r->note, s);
}

void
rerun_hide(struct rerun *r)
{
	r->shown = RR_CLOSED;
}

bool
rerun_shown(const struct rerun *r)
{
	return r->phase != RR_CLOSED && r->shown == r->phase;
}

/* Scrolls the list; false when the action is no movement. */
static bool
scroll_list(struct rerun *r, enum action act)
{
	size_t	page = r->list_rows > 1 ? (size_t)r->list_rows - 1 : 1;
	size_t	last = r->nlines > (size_t)r->list_rows ?
		    r->nlines - (size_t)r->list_rows : 0;

	switch (act) {
	case ACTION_DOWN:
		r->top++;
		break;
	case ACTION_UP:
		r->top = r->top > 0 ? r->top - 1 : 0;
		break;
	case ACTION_PAGE_DOWN:
		r->top += page;
		break;
	case ACTION_PAGE_UP:
		r->top = r->top > page ? r->top - page : 0;
		break;
	case ACTION_TOP:
		r->top = 0;
		break;
	case ACTION_BOTTOM:
		r->top = last;
		break;
	default:
		return false;
	}
	if (r->top > last)
		r->top = last;
	return true;
}

bool
rerun_key(struct rerun *r, int key, enum action act)
{
	if (r->phase != RR_CLOSED && r->shown != r->phase)
		return true;	/* not what is on screen: the key does nothing */
	switch (r->phase) {
	case RR_CLOSED:
		return false;
	case RR_PREVIEW:
		if (key == 'y') {
			send(r, false);
			return true;
		}
		if (act == ACTION_ONLY_FAILED) {
			r->only_failed = !r->only_failed;
			r->top = 0;
			send(r, true);
			return true;
		}
		if (scroll_list(r, act))
			return true;
		break;
	case RR_PREVIEWING:
	case RR_CLEARING:
		/* A clear in flight cannot be called back; a preview can. */
		if (r->phase == RR_CLEARING)
			/* Quit: rerun_shutdown waits and records the outcome. */
			return act != ACTION_QUIT;
		break;
	case RR_FAILED:
		break;
	case RR_UNKNOWN:
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, "the clear's outcome is unknown: "
			    "the panes show what the database says");
		return true;
	}
	forget(r);
	if (r->done != NULL)
		r->done(r->arg, -1, "rerun cancelled: nothing was cleared");
	return true;
}

bool
rerun_in_flight(const struct rerun *r)
{
	return r->phase == RR_CLEARING;
}

static void
shutdown_due(struct loop_timer *t, void *arg)
{
	(void)t;
	*(bool *)arg = true;
}

int
rerun_shutdown(struct rerun *r, struct loop *loop, int timeout_ms,
    const char *why, struct buf *said)
{
	struct loop_timer	*t;
	bool			 late = false;

	r->shutting_down = true;
	if (r->phase != RR_CLEARING && r->phase != RR_UNKNOWN)
		return 0;
	t = loop_timer_new(loop, shutdown_due, &late);
	loop_timer_set(t, r->phase == RR_CLEARING ? timeout_ms : 0);
	while (r->phase == RR_CLEARING && !late)
		if (loop_run_once(loop) <= 0)
			break;
	loop_timer_free(t);
	if (r->phase == RR_CLEARING) {
		struct buf b = BUF_INIT;

		airflow_clear_cancel(r->call);
		r->call = NULL;
		buf_printf(&b, "%s before the answer came", why);
		clear_unknown(r, buf_str(&b));
		buf_free(&b);
	}
	switch (r->outcome) {
	case CLEAR_EXIT_OK:
		buf_puts(said, "the clear was answered: cleared (audited)");
		return 0;
	case CLEAR_EXIT_FAILED:
		buf_puts(said, "the clear failed: nothing was cleared "
		    "(audited)");
		return 0;
	default:
		buf_printf(said, "clear: outcome unknown (%s); audited as "
		    "such: check the task instances before clearing again",
		    buf_str(&r->error));
		return CLEAR_EXIT_UNKNOWN;
	}
}

/* The plan of the preview against what the tasks pane has of the run. */
static void
build_plan(const struct rerun *r, struct clear_plan *p)
{
	const struct console	*c = r->c;
	bool			 same = same_run(c, r->dag_id, r->run_id);
	const char		**order = xcalloc(c->detail.rows.n + 1,
				    sizeof *order);
	size_t			 i;

	for (i = 0; same && i < c->detail.rows.n; i++)
		order[i] = c->detail.rows.v[i].ti->task_id;
	clear_plan_build(p, &r->preview, (const char *const *)r->task_ids,
	    r->map_indexes, r->ntasks, order, same ? c->detail.rows.n : 0,
	    same ? &c->detail.tis : NULL);
	free(order);
}

/* The error, wrapped at spaces into rows of wd - 4 columns; returns rows. */
static int
draw_error(WINDOW *w, const char *text, int row, int last, int wd)
{
	/* The API's own words, wrapped: they are the useful part. */
	char	*clean = sanitize_dup(text, SAN_SHOW_ESCAPES);
	size_t	 len = strlen(clean), pos = 0;
	int	 n0 = row;

	if (w != NULL)
		wattron(w, A_BOLD);
	while (pos < len && row < last) {
		size_t n = logwrap_row_start(clean + pos, len - pos,
		    (size_t)(wd - 4), 1);

		if (n == 0)
			break;
		if (pos + n < len) {
			/* Break at the last space that fits, if any. */
			size_t k = n;

			while (k > 0 && clean[pos + k - 1] != ' ')
				k--;
			if (k > 0)
				n = k;
		}
		if (w != NULL)
			mvwaddnstr(w, row, 2, clean + pos, (int)n);
		row++;
		pos += n;
	}
	if (w != NULL)
		wattroff(w, A_BOLD);
	free(clean);
	return row - n0;
}

static void
draw_line(WINDOW *w, int row, int wd, const struct clear_line *l)
{
	struct buf	b = BUF_INIT;
	attr_t		at = l->ti != NULL ? ui_ti_attr(l->ti->state) : A_DIM;

	if (l->ti != NULL)
		buf_printf(&b, "%-16s try %-3d ", ti_state_name(l->ti->state),
		    l->ti->try_number);
	else
		buf_printf(&b, "%-16s try %-3s ", "?", "?");
	wmove(w, row, 2);
	wattron(w, at);
	ui_put(w, buf_str(&b), wd - 4);
	wattroff(w, at);
	buf_reset(&b);
	buf_puts(&b, l->task_id);
	if (l->map_index >= 0)
		buf_printf(&b, "[%d]", l->map_index);
	if (l->chosen)
		wattron(w, A_BOLD);
	ui_put(w, buf_str(&b), wd - 4 - 25);
	if (l->chosen)
		wattroff(w, A_BOLD);
	buf_free(&b);
}

/*
 * Outcome unknown: why, and the preview's instances as the tasks pane has
 * them now (the console refreshed it when the answer did not come).
 */
static void
draw_unknown(struct rerun *r, WINDOW *w, const struct clear_plan *p,
    int row, int h, int wd)
{
	size_t i;

	wattron(w, A_BOLD);
	wmove(w, row++, 2);
	ui_put(w, "Outcome unknown: the clear was sent, no answer came", wd - 4);
	wattroff(w, A_BOLD);
	row += draw_error(w, buf_str(&r->error), row, h - 4, wd);
	wmove(w, row++, 2);
	ui_put(w, "The database now shows:", wd - 4);
	for (i = 0; i < p->n && row < h - 3; i++)
		draw_line(w, row++, wd, &p->v[i]);
	wattron(w, A_BOLD);
	wmove(w, h - 2, 2);
	ui_put(w, "Check before clearing again. Any key closes.", wd - 4);
	wattroff(w, A_BOLD);
}

/*
 * The modal, sized to what it says: the title names the tasks chosen and
 * how many follow, the line below the DAG and the run; the list (chosen
 * first, then graph order, each with its state) scrolls, and its count is
 * the number of its lines.  Drawn or not, it records what was seen.
 */
/*
 * The rows the box needs for this phase (the frame, the DAG and run, the
 * body, a blank, the keys and the frame); *head gets the rows above the
 * body.
 */
static int
rerun_rows(const struct rerun *r, const struct clear_plan *plan, bool most,
    int wd, int *head)
{
	int need;

	/* Rows: frame, DAG and run, the body, a blank, the keys, frame. */
	*head = 2;
	switch (r->phase) {
	case RR_PREVIEW:
		*head = 3 + (most ? 1 : 0);
		need = *head + (plan->n > 0 ? (int)plan->n : 1) + 3;
		break;
	case RR_FAILED:
		need = *head + draw_error(NULL, buf_str(&r->error), 0, 1000,
		    wd) + 4;
		break;
	case RR_UNKNOWN:
		need = *head + 2 + draw_error(NULL, buf_str(&r->error), 0,
		    1000, wd) + (plan->n > 0 ? (int)plan->n : 1) + 3;
		break;
	default:
		need = *head + 1 + 3;
		break;
	}
	return need;
}

/*
 * The preview: the task instances a clear would touch, scrolled at
 * r->top, a line on the runs it brings back (most), and the keys.
 */
static void
draw_preview(struct rerun *r, WINDOW *w, const struct clear_plan *plan,
    bool most, struct buf *sum, int h, int wd)
{
	struct buf	 b = BUF_INIT, keys = BUF_INIT;
	int		 row = 2, list;
	size_t		 i;

	buf_printf(&b, "Clear %zu task instance%s%s:", plan->n,
	    plan->n == 1 ? "" : "s", r->only_failed ?
	    " (only failed and upstream_failed)" : "");
	wmove(w, row++, 2);
	ui_put(w, buf_str(&b), wd - 4);
	if (most) {
		buf_puts(sum, ": clearing runs that work again");
		wattron(w, A_BOLD);
		wmove(w, row++, 2);
		ui_put(w, buf_str(sum), wd - 4);
		wattroff(w, A_BOLD);
	}
	list = h - 3 - row;
	r->nlines = plan->n;
	if ((int)plan->n > list && list > 1)
		list--;		/* a row says where the list is */
	r->list_rows = list > 0 ? list : 0;
	if (r->top + (size_t)r->list_rows > plan->n)
		r->top = plan->n > (size_t)r->list_rows ?
		    plan->n - (size_t)r->list_rows : 0;
	for (i = r->top; i < plan->n && (int)(i - r->top) < list; i++)
		draw_line(w, row++, wd, &plan->v[i]);
	if (plan->n == 0)
		mvwaddstr(w, row++, 2, "(nothing to clear)");
	else if ((int)plan->n > list) {
		buf_reset(&b);
		buf_printf(&b, "lines %zu-%zu of %zu (j, k, PageDown, "
		    "PageUp scroll)", r->top + 1, r->top + (size_t)list,
		    plan->n);
		wattron(w, A_DIM);
		wmove(w, row++, 2);
		ui_put(w, buf_str(&b), wd - 4);
		wattroff(w, A_DIM);
	}
	/*
	 * What the failure holds back, on the row above the keys that is
	 * blank otherwise: there before the answer, so nothing moves.  The
	 * model gives the line whole; here it is cut to the modal, marked.
	 */
	wmove(w, h - 3, 2);
	ui_put_cut(w, r->note.len > 0 ? buf_str(&r->note) : r->c->ascii ?
	    "what it holds back: reading..." :
	    "what it holds back: reading\u2026", wd - 4, r->c->ascii);
	keymap_keys_for(&r->c->keymap, ACTION_ONLY_FAILED, &keys);
	keys.len = strcspn(buf_str(&keys), ",");
	buf_reset(&b);
	buf_printf(&b, "y clears   %.*s only failed: %s   any other key "
	    "cancels", (int)keys.len, buf_str(&keys),
	    r->only_failed ? "on" : "off");
	buf_free(&keys);
	wattron(w, A_BOLD);
	wmove(w, h - 2, 2);
	ui_put(w, buf_str(&b), wd - 4);
	wattroff(w, A_BOLD);
	buf_free(&b);
}

void
rerun_draw(struct rerun *r, int y0, int width, int height)
{
	struct console		*c = r->c;
	struct buf		 b = BUF_INIT, sum = BUF_INIT;
	struct clear_plan	 plan;
	WINDOW			*w;
	int			 h, wd, row, need, head;
	bool			 most = false;

	r->shown = RR_CLOSED;
	if (r->phase == RR_CLOSED)
		return;
	wd = width > 76 ? 76 : width;
	memset(&plan, 0, sizeof plan);
	if (r->phase == RR_PREVIEW || r->phase == RR_UNKNOWN)
		build_plan(r, &plan);
	if (r->phase == RR_PREVIEW)
		most = clear_plan_succeeded(&sum, &plan);
	need = rerun_rows(r, &plan, most, wd, &head);
	h = need < height ? need : height;
	if (wd < 20 || h < head + 4) {
		clear_plan_free(&plan);
		buf_free(&sum);
		return;		/* not drawn: no key acts on it */
	}
	w = newwin(h, wd, y0, (width - wd) / 2);
	if (w == NULL) {
		clear_plan_free(&plan);
		buf_free(&sum);
		return;
	}
	werase(w);
	clear_plan_title(&b, &plan, (const char *const *)r->task_ids,
	    r->map_indexes, r->ntasks);
	ui_frame(w, buf_str(&b), true, c->ascii);
	buf_reset(&b);
	buf_printf(&b, "DAG %s  run %s", r->dag_id, r->run_id);
	wmove(w, 1, 2);
	ui_put(w, buf_str(&b), wd - 4);
	buf_reset(&b);
	row = 2;
	switch (r->phase) {
	case RR_PREVIEWING:
		mvwaddstr(w, row, 2, "asking Airflow for a dry run...");
		mvwaddstr(w, h - 2, 2, "any key cancels");
		break;
	case RR_CLEARING:
		mvwaddstr(w, row, 2, "clearing...");
		break;
	case RR_UNKNOWN:
		draw_unknown(r, w, &plan, row, h, wd);
		break;
	case RR_FAILED:
		row += draw_error(w, buf_str(&r->error), row, h - 3, wd);
		mvwaddstr(w, h - 2, 2, "Nothing was cleared. Any key closes.");
		break;
	case RR_PREVIEW:
		draw_preview(r, w, &plan, most, &sum, h, wd);
		break;
	case RR_CLOSED:
		break;
	}
	wnoutrefresh(w);
	delwin(w);
	r->shown = r->phase;
	clear_plan_free(&plan);
	buf_free(&sum);
	buf_free(&b);
}
