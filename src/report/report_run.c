/*
 * report_run.c: `dagtop report run DAG_ID [RUN_ID]`, one run's task
 * instances in the order of the task graph, with depth, tries and
 * durations; mapped tasks folded with counts per state.  The latest run
 * when no run id is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "report.h"
#include "scheduler.h"
#include "taskrows.h"
#include "timefmt.h"
#include "tz.h"

struct run_job {
	const struct settings		*s;
	const struct report_options	*o;
	const char			*dag_id;
	const char			*run_id;
	struct report_read		 rd;
	struct af_runs			 runs;
	struct af_tis			 tis;
	struct graph			*graph;
	struct buf			 warnings;
	int				 pending;
};

static void
last_reads_done(void *arg, const char *err)
{
	struct run_job *j = arg;

	if (err != NULL) {
		report_read_fail(&j->rd, err);
		return;
	}
	if (--j->pending == 0)
		report_read_done(&j->rd);
}

static void
runs_done(void *arg, const char *err)
{
	struct run_job		*j = arg;
	const struct af_run	*r;
	struct buf		 b = BUF_INIT;

	if (err != NULL) {
		report_read_fail(&j->rd, err);
		return;
	}
	if (j->runs.n == 0) {
		buf_puts(&b, "no run ");
		if (j->run_id != NULL) {
			report_put_id(&b, j->run_id);
			buf_puts(&b, " ");
		}
		buf_puts(&b, "of DAG ");
		report_put_id(&b, j->dag_id);
		report_read_fail(&j->rd, buf_str(&b));
		buf_free(&b);
		return;
	}
	r = &j->runs.v[0];
	j->pending = 2;
	sched_fetch_tis(j->rd.db, r->dag_id, r->run_id, &j->tis,
	    last_reads_done, j);
	sched_fetch_graph(j->rd.db, r->dag_id, r->run_id, &j->graph,
	    &j->warnings, last_reads_done, j);
}

/* The source is open: the run asked for, or the DAG's latest. */
static void
start(void *arg)
{
	struct run_job	*j = arg;

	if (j->run_id != NULL)
		sched_fetch_run(j->rd.db, j->dag_id, j->run_id, &j->runs,
		    runs_done, j);
	else
		sched_fetch_dag_runs(j->rd.db, j->dag_id, 1, &j->runs,
		    runs_done, j);
}

static void
text_counts(struct buf *b, const struct task_row *row)
{
	const char	*sep = "";
	int		 s;

	buf_printf(b, " [%zu:", row->nti);
	for (s = 0; s < TI_NSTATES; s++) {
		if (row->counts[s] == 0)
			continue;
		buf_printf(b, "%s %zu %s", sep, row->counts[s], ti_state_name(s));
		sep = ",";
	}
	buf_putc(b, ']');
}

static void
write_text(struct run_job *j, const struct task_rows *rows,
    const struct tz *zone, int64_t now, struct buf *b)
{
	const struct af_run	*r = &j->runs.v[0];
	struct buf		 line = BUF_INIT;
	size_t			 i;
	int			 d;

	report_put_id(&line, r->dag_id);
	buf_puts(&line, "  ");
	report_put_id(&line, r->run_id);
	buf_printf(&line, "  %s", run_state_name(r->state));
	if (r->start_date != TIME_NONE) {
		buf_puts(&line, "  started ");
		fmt_time(&line, zone, r->start_date, FMT_LONG);
	}
	if (af_run_duration(r, now) >= 0) {
		buf_puts(&line, " (");
		fmt_duration(&line, af_run_duration(r, now));
		buf_putc(&line, ')');
	}
	report_verdict(b, r->state == RUN_FAILED ? 1 : 0, "%s", buf_str(&line));
	buf_free(&line);
	if (!rows->ordered)
		buf_puts(b, "(task graph unavailable: tasks in name order)\n");
	buf_printf(b, "%-16s %-7s %-8s %s\n", "STATE", "TRY", "DURATION",
	    "TASK");
	for (i = 0; i < rows->n; i++) {
		const struct task_row	*row = &rows->v[i];
		const struct af_ti	*t = row->ti;
		char			 try[24];
		struct buf		 dur = BUF_INIT;

		ti_try_text(try, sizeof try, t->try_number, t->max_tries);
		if (row->nti == 1)
			fmt_duration(&dur, t->duration);
		else
			buf_putc(&dur, '-');
		buf_printf(b, "%-16s %-7s %-8s ", ti_state_text(row->state,
		    row->nti == 1 ? t->try_number : 0, false),
		    row->nti == 1 ? try : "-", buf_str(&dur));
		buf_free(&dur);
		/* Depth marks, capped so a deep graph stays on the screen. */
		for (d = 0; d < row->depth && d < 12; d++)
			buf_puts(b, "  ");
		report_put_id(b, t->task_id);
		if (row->nti == 1 && t->map_index >= 0)
			buf_printf(b, "[%d]", t->map_index);
		if (row->nti > 1)
			text_counts(b, row);
		if (t->operator != NULL) {
			buf_puts(b, "  ");
			report_put_id(b, t->operator);
		}
		buf_putc(b, '\n');
	}
}

static void
write_json(struct run_job *j, const struct task_rows *rows, int64_t now)
{
	json_t	*doc = json_object(), *a, *o, *tis, *w;
	size_t	 i, k;
	char	*line, *save = NULL;

	json_object_set_new(doc, "report", json_string("run"));
	json_object_set_new(doc, "source", json_string(j->rd.db->ops->kind));
	json_object_set_new(doc, "run", report_json_run(&j->runs.v[0], now));
	json_object_set_new(doc, "ordered", json_boolean(rows->ordered));
	a = json_array();
	for (i = 0; i < rows->n; i++) {
		const struct task_row *row = &rows->v[i];

		o = json_object();
		json_object_set_new(o, "task_id",
		    report_json_string(row->ti->task_id));
		json_object_set_new(o, "depth", json_integer(row->depth));
		json_object_set_new(o, "mapped", json_boolean(row->mapped));
		json_object_set_new(o, "state", row->state == TI_NONE ?
		    json_null() : json_string(ti_state_name(row->state)));
		tis = json_array();
		for (k = 0; k < row->nti; k++)
			json_array_append_new(tis, report_json_ti(&row->ti[k]));
		json_object_set_new(o, "task_instances", tis);
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "tasks", a);
	w = json_array();
	if (j->warnings.len > 0) {
		for (line = strtok_r(j->warnings.data, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			json_array_append_new(w, report_json_string(line));
	}
	json_object_set_new(doc, "warnings", w);
	report_json_print(doc);
	json_decref(doc);
}

int
report_run(const struct settings *s, const struct report_options *o,
    const char *dag_id, const char *run_id)
{
	struct run_job		 j;
	enum report_read_result	 read;
	struct buf		 out = BUF_INIT;
	struct task_rows	 rows;
	struct tz		*zone;
	int			 rc;
	int64_t			 now = (int64_t)time(NULL);

	if (o->format != REPORT_TEXT && o->format != REPORT_JSON)
		return report_unknown(o->format, "report run",
		    "supports --format text or json");
	if ((zone = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	memset(&j, 0, sizeof j);
	j.s = s;
	j.o = o;
	j.dag_id = dag_id;
	j.run_id = run_id;
	report_read_init(&j.rd);
	read = report_read_run(&j.rd, s, start, &j);
	if (read != REPORT_READ_DONE)
		rc = report_unknown(o->format, report_read_what(read,
		    "report run"), buf_str(&j.rd.error));
	else {
		task_rows_build(&rows, j.graph, &j.tis);
		if (j.warnings.len > 0 && o->format == REPORT_TEXT) {
			struct buf clean = BUF_INIT;

			report_put_lines(&clean, buf_str(&j.warnings));
			fprintf(stderr, "dagtop: %s", buf_str(&clean));
			buf_free(&clean);
		}
		if (o->format == REPORT_JSON)
			write_json(&j, &rows, now);
		else {
			write_text(&j, &rows, zone, now, &out);
			fputs(buf_str(&out), stdout);
		}
		task_rows_free(&rows);
		rc = j.runs.v[0].state == RUN_FAILED ? 1 : 0;
	}
	fflush(stdout);
	report_read_close(&j.rd);
	af_runs_free(&j.runs);
	af_tis_free(&j.tis);
	graph_free(j.graph);
	buf_free(&j.warnings);
	buf_free(&out);
	tz_free(zone);
	return rc;
}
