/*
 * older.c: the runs pane's pages back.  When the runs list's cursor
 * reaches the last run it holds, the next older page of the DAG's runs is
 * read (sched_fetch_dag_runs_before: keyset, never OFFSET) and added after
 * it; the snapshot's refreshes go on meanwhile.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "scheduler.h"

/* One page under way: what it follows, kept until it is in. */
struct older_read {
	struct app	*a;
	unsigned	 gen;
	struct af_run	 before;
	struct af_runs	 page;
};

static void
older_read_free(struct older_read *q)
{
	af_run_clear(&q->before);
	af_runs_free(&q->page);
	free(q);
}

static void
older_done(void *arg, const char *err)
{
	struct older_read	*q = arg;
	struct app		*a = q->a;
	struct console		*c = &a->c;

	if (a->tearing_down || q->gen != c->older.gen) {
		/* The console let that DAG go meanwhile. */
		older_read_free(q);
		return;
	}
	if (err != NULL) {
		c->older.loading = false;
		buf_reset(&a->message);
		buf_printf(&a->message, "older runs: %s", err);
	} else
		console_older_add(c, &q->page);
	a->dirty = true;
	older_read_free(q);
}

void
app_fetch_older_runs(struct app *a)
{
	struct console		*c = &a->c;
	const struct af_run	*before;
	struct older_read	*q;
	const char		*dag_id;

	if (a->db == NULL || !a->connected || c->runs_level != 1 ||
	    c->ndag_order == 0)
		return;
	dag_id = c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id;
	if ((before = console_older_begin(c, dag_id)) == NULL)
		return;
	q = xcalloc(1, sizeof *q);
	q->a = a;
	q->gen = c->older.gen;
	q->before = *before;
	q->before.dag_id = xstrdup(before->dag_id);
	q->before.shared_dag_id = false;
	q->before.run_id = xstrdup(before->run_id);
	q->before.state_raw = NULL;
	q->before.run_type = NULL;
	c->older.loading = true;
	a->dirty = true;
	sched_fetch_dag_runs_before(a->db, c->older.dag_id, &q->before,
	    OLDER_PAGE, &q->page, older_done, q);
}
