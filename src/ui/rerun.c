/*
 * rerun.c: the rerun modal.  The rerun key asks the Airflow API for a dry
 * run of clearing the selected task and its transitive downstream (or a
 * failed run's failed tasks, each with its downstream); the modal lists
 * every task instance the answer names, with its state and try as the
 * database has them; y clears, the only-failed key narrows the preview,
 * any other key cancels.  Requests go through airflow_clear, behind the
 * write gate; every clear and every refused or failed attempt is audited.
 */
#include <stdlib.h>
#include <string.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "audit.h"
#include "config.h"
#include "logindex.h"
#include "sanitize.h"
#include "rerun.h"

enum rerun_phase { RR_CLOSED, RR_PREVIEWING, RR_PREVIEW, RR_CLEARING,
	RR_FAILED };

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

	airflow_api_cancel(r->call);
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
	r->phase = RR_CLOSED;
}

void
rerun_free(struct rerun *r)
{
	if (r == NULL)
		return;
	forget(r);
	buf_free(&r->error);
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

static void
audit(struct rerun *r, const struct clear_result *cleared, const char *what)
{
	struct audit_clear	e;
	struct clear_request	q;
	struct buf		err = BUF_INIT;

	make_request(r, &q, false);
	memset(&e, 0, sizeof e);
	e.context = r->settings->context;
	e.api_url = r->api != NULL ? airflow_api_url(r->api) :
	    r->settings->airflow_api_shown;
	e.dag_id = r->dag_id;
	e.run_id = r->run_id;
	e.asked = &q;
	e.cleared = cleared;
	e.result = what;
	if (audit_clear(&e, &err) != 0 && r->done != NULL)
		r->done(r->arg, -1, buf_str(&err));
	buf_free(&err);
}

static void
preview_answer(void *arg, const struct clear_result *res, const char *err)
{
	struct rerun *r = arg;

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

static void
clear_answer(void *arg, const struct clear_result *res, const char *err)
{
	struct rerun	*r = arg;
	struct buf	 msg = BUF_INIT;
	int		 n;

	r->call = NULL;
	if (res == NULL) {
		buf_printf(&msg, "failed: %s", err);
		audit(r, NULL, buf_str(&msg));
		r->phase = RR_FAILED;
		buf_reset(&r->error);
		buf_printf(&r->error, "clear failed: %s", err);
		buf_free(&msg);
		if (r->done != NULL)
			r->done(r->arg, 0, NULL);
		return;
	}
	audit(r, res, "cleared");
	n = (int)res->n;
	forget(r);
	buf_printf(&msg, "cleared %d task instance%s; the panes show what the "
	    "database says", n, n == 1 ? "" : "s");
	if (r->done != NULL)
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
	r->phase = dry ? RR_PREVIEWING : RR_CLEARING;
	r->call = airflow_clear(r->api, r->dag_id, &q, dry ? preview_answer :
	    clear_answer, r, &err);
	if (r->call == NULL && err.len > 0) {
		/* The write gate is closed: no request left the process. */
		audit(r, NULL, "refused: read-only");
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, "read-only: clearing is refused "
			    "(--readonly or readonly = true in the context)");
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
	if (s->readonly) {
		audit(r, NULL, "refused: read-only");
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, "read-only: clearing is refused "
			    "(--readonly or readonly = true in the context)");
		return;
	}
	if (api == NULL) {
		forget(r);
		if (r->done != NULL)
			r->done(r->arg, -1, why_no_api != NULL && *why_no_api ?
			    why_no_api : "rerun needs airflow_api in the "
			    "context (dagtop.conf(5))");
		return;
	}
	send(r, true);
}

bool
rerun_key(struct rerun *r, int key, enum action act)
{
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
			send(r, true);
			return true;
		}
		break;
	case RR_PREVIEWING:
	case RR_CLEARING:
		/* A clear in flight cannot be called back; a preview can. */
		if (r->phase == RR_CLEARING)
			return true;
		break;
	case RR_FAILED:
		break;
	}
	forget(r);
	if (r->done != NULL)
		r->done(r->arg, -1, "rerun cancelled: nothing was cleared");
	return true;
}

void
rerun_draw(struct rerun *r, int y0, int width, int height)
{
	struct console	*c = r->c;
	struct buf	 b = BUF_INIT;
	WINDOW		*w;
	int		 h, wd, row;
	size_t		 i, shown = 0, total = 0;

	if (r->phase == RR_CLOSED)
		return;
	wd = width > 76 ? 76 : width;
	h = height;
	if (wd < 20 || h < 6)
		return;
	w = newwin(h, wd, y0, (width - wd) / 2);
	if (w == NULL)
		return;
	werase(w);
	buf_puts(&b, "rerun ");
	buf_puts(&b, r->dag_id);
	buf_puts(&b, " ");
	buf_puts(&b, r->run_id);
	ui_frame(w, buf_str(&b), true, c->ascii);
	buf_reset(&b);
	row = 1;
	switch (r->phase) {
	case RR_PREVIEWING:
		mvwaddstr(w, row, 2, "asking Airflow for a dry run...");
		break;
	case RR_CLEARING:
		mvwaddstr(w, row, 2, "clearing...");
		break;
	case RR_FAILED: {
		/* The API's own words, wrapped: they are the useful part. */
		char	*clean = sanitize_dup(buf_str(&r->error),
			    SAN_SHOW_ESCAPES);
		size_t	 len = strlen(clean), pos = 0;

		wattron(w, A_BOLD);
		while (pos < len && row < h - 3) {
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
			mvwaddnstr(w, row++, 2, clean + pos, (int)n);
			pos += n;
		}
		wattroff(w, A_BOLD);
		free(clean);
		mvwaddstr(w, row + 1, 2, "Nothing was cleared. Any key closes.");
		break;
	}
	case RR_PREVIEW:
		buf_printf(&b, "Clear %zu task instance%s%s:", r->preview.n,
		    r->preview.n == 1 ? "" : "s", r->only_failed ?
		    " (only failed and upstream_failed)" : "");
		wmove(w, row++, 2);
		ui_put(w, buf_str(&b), wd - 4);
		for (i = 0; i < c->detail.tis.n; i++) {
			const struct af_ti *t = &c->detail.tis.v[i];

			if (!same_run(c, r->dag_id, r->run_id) ||
			    !clear_result_has(&r->preview, t->task_id,
			    t->map_index))
				continue;
			total++;
			if (row >= h - 3)
				continue;
			buf_reset(&b);
			buf_printf(&b, "%-16s try %-3d ", ti_state_name(t->state),
			    t->try_number);
			wmove(w, row, 2);
			wattron(w, ui_ti_attr(t->state));
			ui_put(w, buf_str(&b), wd - 4);
			wattroff(w, ui_ti_attr(t->state));
			buf_reset(&b);
			buf_puts(&b, t->task_id);
			if (t->map_index >= 0)
				buf_printf(&b, "[%d]", t->map_index);
			ui_put(w, buf_str(&b), wd - 26);
			row++;
			shown++;
		}
		if (total > shown)
			mvwprintw(w, row++, 2, "... and %zu more", total - shown);
		if (total == 0)
			mvwaddstr(w, row++, 2, r->preview.n == 0 ?
			    "(nothing to clear)" :
			    "(the instances are not in the tasks pane)");
		{
			struct buf keys = BUF_INIT;

			keymap_keys_for(&c->keymap, ACTION_ONLY_FAILED, &keys);
			keys.len = strcspn(buf_str(&keys), ",");
			buf_reset(&b);
			buf_printf(&b, "y clears   %.*s only failed: %s   any other "
			    "key cancels", (int)keys.len, buf_str(&keys),
			    r->only_failed ? "on" : "off");
			buf_free(&keys);
		}
		wattron(w, A_BOLD);
		wmove(w, h - 2, 2);
		ui_put(w, buf_str(&b), wd - 4);
		wattroff(w, A_BOLD);
		break;
	case RR_CLOSED:
		break;
	}
	wnoutrefresh(w);
	delwin(w);
	buf_free(&b);
}
