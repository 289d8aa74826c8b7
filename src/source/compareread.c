/*
 * compareread.c: one side of a blue/green comparison (compareread.h).
 * The five reads go out at once on the side's source; the side is
 * complete when the last one ends.  Nothing here blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "compareread.h"

void
cmp_read_init(struct cmp_read *r, const struct sla_def **defs, size_t ndefs,
    int64_t since, int64_t now)
{
	memset(r, 0, sizeof *r);
	r->defs = defs;
	r->ndefs = ndefs;
	r->since = since;
	r->now = now;
}

/* Each read's end: the first error is kept; the last end calls back. */
static void
read_done(void *arg, const char *err)
{
	struct cmp_read *r = arg;

	if (err != NULL && r->error.len == 0)
		buf_puts(&r->error, err[0] != '\0' ? err : "read failed");
	if (--r->pending > 0)
		return;
	r->cb(r->arg, r->error.len > 0 ? buf_str(&r->error) : NULL);
}

void
cmp_read_start(struct cmp_read *r, struct sched *s, sched_cb cb, void *arg)
{
	r->cb = cb;
	r->arg = arg;
	buf_reset(&r->error);
	/* A source without the blue/green reads says so, never crashes. */
	if (s->ops->fetch_shapes == NULL || s->ops->fetch_task_stats == NULL) {
		cb(arg, "this source cannot read task graphs and task figures "
		    "yet");
		return;
	}
	/* One more than the reads: none can end the job before all are out. */
	r->pending = (r->ndefs > 0 ? 5 : 4) + 1;
	sched_fetch_dags(s, &r->dags, read_done, r);
	sched_fetch_shapes(s, &r->shapes, &r->warn, read_done, r);
	sched_fetch_runs_since(s, r->since, &r->runs, read_done, r);
	sched_fetch_task_stats(s, r->since, &r->tasks, read_done, r);
	/* Zones are up to 14 h off UTC: a day of margin either side. */
	if (r->ndefs > 0)
		sched_fetch_sla(s, r->defs, r->ndefs, r->since - 2 * 86400,
		    r->now + 2 * 86400, &r->hist, read_done, r);
	read_done(r, NULL);
}

/* Evaluates the side's SLAs over the window's local days. */
static struct sla_eval *
side_slas(const struct cmp_read *r, struct tz *const *zones)
{
	struct sla_eval	*ev = xcalloc(r->ndefs + 1, sizeof *ev);
	size_t		 i;

	for (i = 0; i < r->ndefs; i++) {
		size_t c = i < r->hist.nsla ? r->hist.count[i] : 0;

		sla_evaluate(&ev[i], r->defs[i], zones[i],
		    sla_local_day(zones[i], r->since),
		    sla_local_day(zones[i], r->now),
		    c > 0 ? &r->hist.v[r->hist.first[i]] : NULL, c, r->now);
		if (sla_history_unknown_dag(&r->hist, i))
			sla_eval_unknown_dag(&ev[i]);
	}
	return ev;
}

static void
free_evals(struct cmp_read *r)
{
	size_t i;

	if (r->ev == NULL)
		return;
	for (i = 0; i < r->ndefs; i++)
		sla_eval_free(&r->ev[i]);
	free(r->ev);
	r->ev = NULL;
}

void
cmp_read_side(struct cmp_read *r, const struct sched *s, const char *context,
    struct tz *const *zones, struct buf *airflow, struct buf *warnings,
    struct cmp_side *out)
{
	memset(out, 0, sizeof *out);
	buf_reset(airflow);
	buf_reset(warnings);
	sched_describe(s, airflow);
	buf_puts(warnings, sched_warnings(s));
	buf_puts(warnings, buf_str(&r->warn));
	free_evals(r);
	r->ev = side_slas(r, zones);
	out->context = context;
	out->airflow = buf_str(airflow);
	out->kind = s->ops->kind;
	out->dags = &r->dags;
	out->shapes = &r->shapes;
	out->runs = &r->runs;
	out->tasks = &r->tasks;
	out->slas = r->ev;
	out->nslas = r->ndefs;
}

void
cmp_read_free(struct cmp_read *r)
{
	free_evals(r);
	cmp_shapes_free(&r->shapes);
	cmp_tasks_free(&r->tasks);
	af_dags_free(&r->dags);
	af_runs_free(&r->runs);
	sla_history_free(&r->hist);
	buf_free(&r->warn);
	buf_free(&r->error);
	memset(r, 0, sizeof *r);
}
