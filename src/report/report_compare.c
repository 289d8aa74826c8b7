/*
 * report_compare.c: `dagtop report compare BLUE GREEN`, is green behaving
 * like blue?  Both contexts are read at once (report_reads), each through
 * its own source whatever its Airflow version; compare.c judges; the
 * writers here only say it (text, JSON, Markdown).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare.h"
#include "compareread.h"
#include "config.h"
#include "report.h"
#include "report_compare.h"
#include "scheduler.h"
#include "sla.h"
#include "timefmt.h"
#include "tz.h"

/* One side's reads, and the report's read that waits for them. */
struct side_job {
	struct report_read	*rd;
	struct cmp_read		 cr;
};

static void
side_done(void *arg, const char *err)
{
	struct side_job *j = arg;

	if (err != NULL)
		report_read_fail(j->rd, err);
	else
		report_read_done(j->rd);
}

/* The side's source is open: every read at once. */
static void
start(void *arg)
{
	struct side_job *j = arg;

	cmp_read_start(&j->cr, j->rd->db, side_done, j);
}

static const char *const severity_word[] = { "ok", "warning", "critical",
	"unknown" };

/* --- words shared by the writers ----------------------------------------- */

/* The verdict's text, without the word: ids defused (for text and Markdown). */
static void
verdict_body(struct buf *b, const struct cmp_report *r, bool md)
{
	const struct cmp_result *res = &r->res;

	buf_puts(b, "green ");
	report_put_text(b, r->name[CMP_GREEN], md);
	buf_puts(b, " against blue ");
	report_put_text(b, r->name[CMP_BLUE], md);
	buf_puts(b, " over ");
	fmt_duration(b, (double)(r->now - r->since));
	buf_puts(b, ": ");
	cmp_counts_text(b, res);
}

static void
put_rate(struct buf *b, double rate)
{
	if (rate < 0)
		buf_putc(b, '-');
	else
		buf_printf(b, "%.0f%%", rate * 100);
}

/* "+40%" or "-" */
static void
put_change(struct buf *b, double c)
{
	if (isnan(c))
		buf_putc(b, '-');
	else
		buf_printf(b, "%+.0f%%", c * 100);
}

/*
 * A task's figures, blue's then green's, the separators between them
 * (text and Markdown differ only there): median, median, change, failed
 * of instances, failed of instances.
 */
static void
put_task_figures(struct buf *b, const struct cmp_task_change *c,
    const char *const sep[5])
{
	fmt_duration(b, c->t[CMP_BLUE]->median);
	buf_puts(b, sep[0]);
	fmt_duration(b, c->t[CMP_GREEN]->median);
	buf_puts(b, sep[1]);
	put_change(b, c->median_change);
	buf_printf(b, "%s%zu/%zu%s%zu/%zu%s", sep[2], c->t[CMP_BLUE]->failed,
	    c->t[CMP_BLUE]->n, sep[3], c->t[CMP_GREEN]->failed,
	    c->t[CMP_GREEN]->n, sep[4]);
}

/* An edge "UP\tDOWN" as "UP -> DOWN", defused. */
static void
put_edge(struct buf *b, const char *e, bool md)
{
	const char	*tab = strchr(e, '\t');
	char		*up;

	if (tab == NULL) {
		report_put_text(b, e, md);
		return;
	}
	up = xstrndup(e, (size_t)(tab - e));
	report_put_text(b, up, md);
	buf_puts(b, md ? " \\-\\> " : " -> ");
	report_put_text(b, tab + 1, md);
	free(up);
}

/* The finding's subject: DAG, and its task or SLA. */
static void
put_subject(struct buf *b, const struct cmp_finding *f, bool md)
{
	report_put_text(b, f->dag_id, md);
	if (f->subject == NULL)
		return;
	buf_puts(b, f->kind == CMP_TASK ? "." : " SLA ");
	report_put_text(b, f->subject, md);
}

/* Whether a DAG is worth a row: on a side, or with runs. */
static bool
dag_shown(const struct cmp_dag *d)
{
	return d->present[0] || d->present[1] || d->st[0].runs > 0 ||
	    d->st[1].runs > 0;
}

/* --- text ---------------------------------------------------------------- */

static void
text_graph(struct buf *b, const struct cmp_result *res)
{
	size_t i, k;
	bool head = false;

	for (i = 0; i < res->ndags; i++) {
		const struct cmp_dag *d = &res->dags[i];

		if (d->ntasks_added + d->ntasks_removed + d->nedges_added +
		    d->nedges_removed == 0)
			continue;
		if (!head)
			buf_puts(b, "\ngraph differences (green against blue)\n");
		head = true;
		buf_puts(b, "  ");
		report_put_id(b, d->dag_id);
		buf_putc(b, '\n');
		for (k = 0; k < d->ntasks_added; k++) {
			buf_puts(b, "    + task ");
			report_put_id(b, d->tasks_added[k]);
			buf_putc(b, '\n');
		}
		for (k = 0; k < d->ntasks_removed; k++) {
			buf_puts(b, "    - task ");
			report_put_id(b, d->tasks_removed[k]);
			buf_putc(b, '\n');
		}
		for (k = 0; k < d->nedges_added; k++) {
			buf_puts(b, "    + edge ");
			put_edge(b, d->edges_added[k], false);
			buf_putc(b, '\n');
		}
		for (k = 0; k < d->nedges_removed; k++) {
			buf_puts(b, "    - edge ");
			put_edge(b, d->edges_removed[k], false);
			buf_putc(b, '\n');
		}
	}
}

static void
text_side_stats(struct buf *b, const struct cmp_runstats *s)
{
	struct buf cell = BUF_INIT;

	buf_printf(b, "%5zu %4zu ", s->runs, s->failed);
	put_rate(&cell, s->success_rate);
	buf_printf(b, "%5s ", buf_str(&cell));
	buf_reset(&cell);
	fmt_duration(&cell, s->median);
	buf_printf(b, "%7s ", buf_str(&cell));
	buf_reset(&cell);
	fmt_duration(&cell, s->p90);
	buf_printf(b, "%7s", buf_str(&cell));
	buf_free(&cell);
}

static void
text_dags(struct buf *b, const struct cmp_result *res)
{
	size_t i;

	/* Each side's cells are 32 columns wide (text_side_stats). */
	buf_puts(b, "\nruns\n"
	    "  ------------- blue -------------  "
	    "------------ green -------------\n"
	    "   runs fail    ok  median     p90  "
	    " runs fail    ok  median     p90  DAG\n");
	for (i = 0; i < res->ndags; i++) {
		const struct cmp_dag *d = &res->dags[i];

		if (!dag_shown(d))
			continue;
		buf_puts(b, "  ");
		text_side_stats(b, &d->st[CMP_BLUE]);
		buf_puts(b, "  ");
		text_side_stats(b, &d->st[CMP_GREEN]);
		buf_puts(b, "  ");
		report_put_id(b, d->dag_id);
		buf_putc(b, '\n');
	}
}

static void
text_tasks(struct buf *b, const struct cmp_result *res)
{
	size_t i;

	if (res->ntasks == 0)
		return;
	buf_puts(b, "\ntasks that changed most (median blue -> green, "
	    "failed blue -> green)\n");
	for (i = 0; i < res->ntasks; i++) {
		const struct cmp_task_change *c = &res->tasks[i];

		static const char *const sep[5] = { " -> ", " (",
		    "), failed ", " -> ", "" };

		buf_puts(b, "  ");
		report_put_id(b, c->dag_id);
		buf_putc(b, '.');
		report_put_id(b, c->task_id);
		buf_puts(b, "  ");
		put_task_figures(b, c, sep);
		buf_puts(b, c->worse ? "  worse\n" : "\n");
	}
}

static void
text_sla_side(struct buf *b, const struct sla_eval *ev)
{
	if (ev->unknown_dag) {
		buf_puts(b, "unknown DAG");
		return;
	}
	buf_printf(b, "%zu met, %zu late, %zu failed, %zu missing (",
	    ev->period.count[SLA_MET], ev->period.count[SLA_LATE],
	    ev->period.count[SLA_FAILED], ev->period.count[SLA_MISSING]);
	put_rate(b, ev->period.compliance);
	buf_putc(b, ')');
}

static void
text_slas(struct buf *b, const struct cmp_result *res)
{
	size_t i;

	if (res->nslas == 0)
		return;
	buf_puts(b, "\nSLAs\n");
	for (i = 0; i < res->nslas; i++) {
		const struct cmp_sla *s = &res->slas[i];

		buf_puts(b, "  ");
		report_put_id(b, s->def->name);
		buf_puts(b, "  blue ");
		text_sla_side(b, s->ev[CMP_BLUE]);
		buf_puts(b, "; green ");
		text_sla_side(b, s->ev[CMP_GREEN]);
		buf_puts(b, s->worse ? "  worse\n" : "\n");
	}
}

static void
write_text(struct buf *b, const struct cmp_report *r)
{
	struct buf	body = BUF_INIT;
	size_t		i, w;

	verdict_body(&body, r, false);
	report_verdict(b, r->rc, "%s", buf_str(&body));
	buf_free(&body);
	for (w = 0; w < 2; w++) {
		buf_printf(b, "%-7s", cmp_side_name(w));
		report_put_id(b, r->name[w]);
		buf_puts(b, "  ");
		report_put_id(b, buf_str(&r->airflow[w]));
		buf_printf(b, " (%s)\n", r->kind[w]);
	}
	buf_puts(b, "window ");
	fmt_time(b, r->zone, r->since, FMT_LONG);
	buf_puts(b, " .. now, threshold ");
	buf_printf(b, "%.0f%%\n", r->res.threshold * 100);
	if (r->res.nfindings > 0)
		buf_puts(b, "\nfindings\n");
	for (i = 0; i < r->res.nfindings; i++) {
		const struct cmp_finding *f = &r->res.findings[i];

		buf_printf(b, "  %-8s ", verdict_name(f->severity));
		put_subject(b, f, false);
		buf_printf(b, ": %s\n", f->detail);
	}
	text_graph(b, &r->res);
	text_dags(b, &r->res);
	text_tasks(b, &r->res);
	text_slas(b, &r->res);
	for (w = 0; w < 2; w++) {
		if (r->warnings[w].len == 0)
			continue;
		buf_printf(b, "\n%s warnings\n", cmp_side_name(w));
		report_put_lines(b, buf_str(&r->warnings[w]));
	}
}

/* --- Markdown ------------------------------------------------------------ */

static void
md_stat_cells(struct buf *b, const struct cmp_runstats *s)
{
	buf_printf(b, " %zu | %zu | ", s->runs, s->failed);
	put_rate(b, s->success_rate);
	buf_puts(b, " | ");
	fmt_duration(b, s->median);
	buf_puts(b, " | ");
	fmt_duration(b, s->p90);
	buf_puts(b, " |");
}

static void
md_graph(struct buf *b, const struct cmp_result *res)
{
	static const char *const what[4] = { "\\+ task", "\\- task",
	    "\\+ edge", "\\- edge" };
	size_t i, k, c;
	bool head = false;

	for (i = 0; i < res->ndags; i++) {
		const struct cmp_dag	*d = &res->dags[i];
		const char *const	*v[4] = { d->tasks_added,
		    d->tasks_removed, d->edges_added, d->edges_removed };
		size_t			 n[4] = { d->ntasks_added,
		    d->ntasks_removed, d->nedges_added, d->nedges_removed };

		for (c = 0; c < 4; c++)
			for (k = 0; k < n[c]; k++) {
				if (!head)
					buf_puts(b, "\n### Graph differences "
					    "(green against blue)\n\n"
					    "| DAG | Change | Task or edge |\n"
					    "|---|---|---|\n");
				head = true;
				buf_puts(b, "| ");
				report_md_text(b, d->dag_id);
				buf_printf(b, " | %s | ", what[c]);
				put_edge(b, v[c][k], true);
				buf_puts(b, " |\n");
			}
	}
}

static void
md_sla_cells(struct buf *b, const struct sla_eval *ev)
{
	if (ev->unknown_dag) {
		buf_puts(b, " unknown DAG | | | | |");
		return;
	}
	buf_printf(b, " %zu | %zu | %zu | %zu | ", ev->period.count[SLA_MET],
	    ev->period.count[SLA_LATE], ev->period.count[SLA_FAILED],
	    ev->period.count[SLA_MISSING]);
	put_rate(b, ev->period.compliance);
	buf_puts(b, " |");
}

static void
md_tables(struct buf *b, const struct cmp_result *res)
{
	size_t i;

	buf_puts(b, "\n### Runs\n\n| DAG | Blue runs | Blue failed | Blue "
	    "success | Blue median | Blue p90 | Green runs | Green failed | "
	    "Green success | Green median | Green p90 |\n"
	    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < res->ndags; i++) {
		if (!dag_shown(&res->dags[i]))
			continue;
		buf_puts(b, "| ");
		report_md_text(b, res->dags[i].dag_id);
		buf_puts(b, " |");
		md_stat_cells(b, &res->dags[i].st[CMP_BLUE]);
		md_stat_cells(b, &res->dags[i].st[CMP_GREEN]);
		buf_putc(b, '\n');
	}
	if (res->ntasks > 0)
		buf_puts(b, "\n### Tasks that changed most\n\n| DAG | Task | "
		    "Blue median | Green median | Change | Blue failed | "
		    "Green failed | Worse |\n|---|---|--:|--:|--:|--:|--:|---|\n");
	for (i = 0; i < res->ntasks; i++) {
		const struct cmp_task_change *c = &res->tasks[i];

		static const char *const sep[5] = { " | ", " | ", " | ",
		    " | ", " | " };

		buf_puts(b, "| ");
		report_md_text(b, c->dag_id);
		buf_puts(b, " | ");
		report_md_text(b, c->task_id);
		buf_puts(b, " | ");
		put_task_figures(b, c, sep);
		buf_puts(b, c->worse ? "yes |\n" : "no |\n");
	}
	if (res->nslas > 0)
		buf_puts(b, "\n### SLAs\n\n| SLA | Blue met | Blue late | "
		    "Blue failed | Blue missing | Blue compliance | Green met | "
		    "Green late | Green failed | Green missing | Green "
		    "compliance |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < res->nslas; i++) {
		buf_puts(b, "| ");
		report_md_text(b, res->slas[i].def->name);
		buf_puts(b, " |");
		md_sla_cells(b, res->slas[i].ev[CMP_BLUE]);
		md_sla_cells(b, res->slas[i].ev[CMP_GREEN]);
		buf_putc(b, '\n');
	}
}

/* Lines from outside as a list, one item each. */
static void
md_lines(struct buf *b, const char *text)
{
	const char	*p, *nl;
	char		*line;

	for (p = text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		line = xstrndup(p, (size_t)(nl - p));
		buf_puts(b, "- ");
		report_md_text(b, line);
		buf_putc(b, '\n');
		free(line);
	}
}

static void
write_markdown(struct buf *b, const struct cmp_report *r)
{
	struct buf	body = BUF_INIT;
	size_t		i, w;

	verdict_body(&body, r, true);
	buf_printf(b, "## Blue/green comparison\n\n**%s: %s**\n\n",
	    report_verdict_word(r->rc), buf_str(&body));
	buf_free(&body);
	for (w = 0; w < 2; w++) {
		buf_printf(b, "- %s ", cmp_side_name(w));
		report_md_text(b, r->name[w]);
		buf_puts(b, ", ");
		report_md_text(b, buf_str(&r->airflow[w]));
		buf_printf(b, " (%s)\n", r->kind[w]);
	}
	buf_puts(b, "- window ");
	fmt_time(b, r->zone, r->since, FMT_LONG);
	buf_printf(b, " .. now, threshold %.0f%%\n", r->res.threshold * 100);
	if (r->res.nfindings > 0)
		buf_puts(b, "\n### Findings\n\n| Severity | Finding | DAG | "
		    "Detail |\n|---|---|---|---|\n");
	for (i = 0; i < r->res.nfindings; i++) {
		const struct cmp_finding *f = &r->res.findings[i];

		buf_printf(b, "| %s | %s | ", verdict_name(f->severity),
		    cmp_kind_name(f->kind));
		put_subject(b, f, true);
		buf_puts(b, " | ");
		report_md_text(b, f->detail);
		buf_puts(b, " |\n");
	}
	md_graph(b, &r->res);
	md_tables(b, &r->res);
	for (w = 0; w < 2; w++) {
		if (r->warnings[w].len == 0)
			continue;
		buf_printf(b, "\n### Warnings from %s\n\n", cmp_side_name(w));
		md_lines(b, buf_str(&r->warnings[w]));
	}
}

/* --- JSON ---------------------------------------------------------------- */

static json_t *
json_seconds(double s)
{
	return s < 0 ? json_null() : json_real(s);
}

static json_t *
json_ids(const char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, report_json_string(v[i]));
	return a;
}

static json_t *
json_dag_side(const struct cmp_dag *d, enum cmp_which w)
{
	const struct cmp_runstats	*s = &d->st[w];
	json_t				*o;

	if (d->dag[w] == NULL && s->runs == 0)
		return json_null();
	o = json_object();
	json_object_set_new(o, "listed", json_boolean(d->dag[w] != NULL));
	json_object_set_new(o, "active", json_boolean(d->present[w]));
	json_object_set_new(o, "paused", d->dag[w] != NULL ?
	    json_boolean(d->dag[w]->paused) : json_null());
	json_object_set_new(o, "import_errors", d->dag[w] != NULL ?
	    json_boolean(d->dag[w]->import_errors) : json_null());
	json_object_set_new(o, "runs", json_integer((json_int_t)s->runs));
	json_object_set_new(o, "success", json_integer((json_int_t)s->success));
	json_object_set_new(o, "failed", json_integer((json_int_t)s->failed));
	json_object_set_new(o, "unfinished",
	    json_integer((json_int_t)s->unfinished));
	json_object_set_new(o, "success_rate", s->success_rate < 0 ?
	    json_null() : json_real(s->success_rate));
	json_object_set_new(o, "median_seconds", json_seconds(s->median));
	json_object_set_new(o, "p90_seconds", json_seconds(s->p90));
	return o;
}

static json_t *
json_dag(const struct cmp_dag *d)
{
	json_t *o = json_object(), *g;

	json_object_set_new(o, "dag_id", report_json_string(d->dag_id));
	json_object_set_new(o, "blue", json_dag_side(d, CMP_BLUE));
	json_object_set_new(o, "green", json_dag_side(d, CMP_GREEN));
	g = json_object();
	json_object_set_new(g, "compared", json_boolean(d->graph_compared));
	json_object_set_new(g, "tasks_added",
	    json_ids(d->tasks_added, d->ntasks_added));
	json_object_set_new(g, "tasks_removed",
	    json_ids(d->tasks_removed, d->ntasks_removed));
	json_object_set_new(g, "edges_added",
	    json_ids(d->edges_added, d->nedges_added));
	json_object_set_new(g, "edges_removed",
	    json_ids(d->edges_removed, d->nedges_removed));
	json_object_set_new(o, "graph", g);
	json_object_set_new(o, "logical_dates_on_both",
	    json_integer((json_int_t)d->both_dates));
	json_object_set_new(o, "failed_where_blue_succeeded",
	    json_integer((json_int_t)d->fails));
	return o;
}

static json_t *
json_task_side(const struct cmp_task *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "instances", json_integer((json_int_t)t->n));
	json_object_set_new(o, "failed", json_integer((json_int_t)t->failed));
	json_object_set_new(o, "median_seconds", json_seconds(t->median));
	json_object_set_new(o, "p90_seconds", json_seconds(t->p90));
	return o;
}

static json_t *
json_sla_side(const struct sla_eval *ev)
{
	json_t *o = json_object();

	json_object_set_new(o, "unknown_dag", json_boolean(ev->unknown_dag));
	json_object_set_new(o, "met",
	    json_integer((json_int_t)ev->period.count[SLA_MET]));
	json_object_set_new(o, "late",
	    json_integer((json_int_t)ev->period.count[SLA_LATE]));
	json_object_set_new(o, "failed",
	    json_integer((json_int_t)ev->period.count[SLA_FAILED]));
	json_object_set_new(o, "missing",
	    json_integer((json_int_t)ev->period.count[SLA_MISSING]));
	json_object_set_new(o, "compliance", ev->period.compliance < 0 ?
	    json_null() : json_real(ev->period.compliance));
	return o;
}

static json_t *
json_lists(const struct cmp_result *res)
{
	json_t	*doc = json_object(), *a;
	size_t	 i;

	a = json_array();
	for (i = 0; i < res->ndags; i++)
		if (dag_shown(&res->dags[i]))
			json_array_append_new(a, json_dag(&res->dags[i]));
	json_object_set_new(doc, "dags", a);
	a = json_array();
	for (i = 0; i < res->ntasks; i++) {
		const struct cmp_task_change	*c = &res->tasks[i];
		json_t				*o = json_object();

		json_object_set_new(o, "dag_id", report_json_string(c->dag_id));
		json_object_set_new(o, "task_id",
		    report_json_string(c->task_id));
		json_object_set_new(o, "blue", json_task_side(c->t[CMP_BLUE]));
		json_object_set_new(o, "green",
		    json_task_side(c->t[CMP_GREEN]));
		json_object_set_new(o, "median_change", isnan(c->median_change) ?
		    json_null() : json_real(c->median_change));
		json_object_set_new(o, "failed_change",
		    json_real(c->failed_change));
		json_object_set_new(o, "worse", json_boolean(c->worse));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "tasks", a);
	a = json_array();
	for (i = 0; i < res->nslas; i++) {
		const struct cmp_sla	*s = &res->slas[i];
		json_t			*o = json_object();

		json_object_set_new(o, "name", report_json_string(s->def->name));
		json_object_set_new(o, "dag_id",
		    report_json_string(s->def->dag_id));
		json_object_set_new(o, "task_id",
		    report_json_string(s->def->task_id));
		json_object_set_new(o, "blue", json_sla_side(s->ev[CMP_BLUE]));
		json_object_set_new(o, "green",
		    json_sla_side(s->ev[CMP_GREEN]));
		json_object_set_new(o, "worse", json_boolean(s->worse));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "slas", a);
	return doc;
}

/* The JSON document (report_compare_json: the writers' test reads it). */
json_t *
report_compare_json(const struct cmp_report *r)
{
	json_t	*doc = json_object(), *o, *a;
	size_t	 i, w;

	json_object_set_new(doc, "report", json_string("compare"));
	json_object_set_new(doc, "status", json_string(severity_word[r->rc]));
	json_object_set_new(doc, "exit_code", json_integer(r->rc));
	json_object_set_new(doc, "generated_at", report_json_time(r->now));
	o = json_object();
	json_object_set_new(o, "since", report_json_time(r->since));
	json_object_set_new(o, "seconds", json_integer(r->now - r->since));
	json_object_set_new(doc, "window", o);
	json_object_set_new(doc, "threshold", json_real(r->res.threshold));
	for (w = 0; w < 2; w++) {
		o = json_object();
		json_object_set_new(o, "context", report_json_string(r->name[w]));
		json_object_set_new(o, "source", json_string(r->kind[w]));
		json_object_set_new(o, "airflow",
		    report_json_string(buf_str(&r->airflow[w])));
		json_object_set_new(doc, cmp_side_name(w), o);
	}
	a = json_array();
	for (i = 0; i < r->res.nfindings; i++) {
		const struct cmp_finding *f = &r->res.findings[i];

		o = json_object();
		json_object_set_new(o, "severity",
		    json_string(severity_word[f->severity]));
		json_object_set_new(o, "kind", json_string(cmp_kind_name(f->kind)));
		json_object_set_new(o, "side", json_string(cmp_side_name(f->side)));
		json_object_set_new(o, "dag_id", report_json_string(f->dag_id));
		if (f->subject != NULL)
			json_object_set_new(o, f->kind == CMP_TASK ?
			    "task_id" : "sla", report_json_string(f->subject));
		json_object_set_new(o, "detail", json_string(f->detail));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "findings", a);
	json_object_update(doc, o = json_lists(&r->res));
	json_decref(o);
	a = json_array();
	for (w = 0; w < 2; w++) {
		if (r->warnings[w].len == 0)
			continue;
		o = json_object();
		json_object_set_new(o, "side", json_string(cmp_side_name(w)));
		json_object_set_new(o, "text",
		    report_json_string(buf_str(&r->warnings[w])));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "warnings", a);
	return doc;
}

/* Writes the report in the format asked (nothing for --quiet when OK). */
void
report_compare_write(struct buf *b, const struct cmp_report *r)
{
	json_t *doc;

	switch (r->o->format) {
	case REPORT_JSON:
		doc = report_compare_json(r);
		report_json_print(doc);
		json_decref(doc);
		break;
	case REPORT_MARKDOWN:
		if (!(r->o->quiet && r->rc == 0))
			write_markdown(b, r);
		break;
	default:
		if (!(r->o->quiet && r->rc == 0))
			write_text(b, r);
		break;
	}
}

/* --- the command --------------------------------------------------------- */

/*
 * The SLAs that apply to both contexts (config_slas of each: the same
 * definitions judge both sides); *n of them, in the file's order.
 */
static const struct sla_def **
common_slas(const struct config *cfg, const char *blue, const char *green,
    size_t *n)
{
	const struct sla_def	**b, **g;
	size_t			  nb, ng, i, k;

	b = xcalloc(cfg->nsla + 1, sizeof *b);
	g = xcalloc(cfg->nsla + 1, sizeof *g);
	nb = config_slas(cfg, blue, b);
	ng = config_slas(cfg, green, g);
	*n = 0;
	for (i = 0; i < nb; i++)
		for (k = 0; k < ng; k++)
			if (b[i] == g[k]) {
				b[(*n)++] = b[i];
				break;
			}
	free(g);
	return b;
}

/* Each side's settings; 0, or the exit status once said. */
static int
resolve_sides(const struct config *cfg, const struct cli_options *cli,
    const struct report_options *o, const char *const name[2],
    struct settings s[2])
{
	struct cli_options	c = *cli;
	struct buf		err = BUF_INIT;
	size_t			w;
	int			rc = 0;

	for (w = 0; w < 2; w++)
		memset(&s[w], 0, sizeof s[w]);
	for (w = 0; w < 2 && rc == 0; w++) {
		c.context = name[w];
		if (config_resolve(cfg, &c, &s[w], &err) != 0)
			rc = report_unknown(o->format, "configuration",
			    buf_str(&err));
		else if (s[w].database_source != NULL &&
		    (strcmp(s[w].database_source, "--database") == 0 ||
		    strcmp(s[w].database_source, "DAGTOP_DATABASE") == 0))
			rc = report_unknown(o->format, "configuration",
			    "report compare reads each context's own "
			    "database: --database and DAGTOP_DATABASE would "
			    "name one for both");
		s[w].readonly = true;
	}
	buf_free(&err);
	return rc;
}

/* Both sides read: compare and write; returns the exit status. */
static int
compare_and_write(struct side_job job[2], struct report_reads *g,
    const struct report_options *o, const char *const name[2],
    struct tz **zones, const struct tz *home, int64_t since, int64_t now)
{
	struct cmp_report	 r;
	struct cmp_side		 side[2];
	struct cmp_options	 co;
	struct buf		 out = BUF_INIT;
	size_t			 w;

	memset(&r, 0, sizeof r);
	r.o = o;
	r.zone = home;
	r.since = since;
	r.now = now;
	for (w = 0; w < 2; w++) {
		r.name[w] = name[w];
		r.kind[w] = g->r[w].db->ops->kind;
		cmp_read_side(&job[w].cr, g->r[w].db, name[w], zones,
		    &r.airflow[w], &r.warnings[w], &side[w]);
	}
	cmp_options_default(&co, since, now);
	co.threshold = o->threshold;
	compare_build(&r.res, &side[0], &side[1], &co);
	r.rc = (int)r.res.verdict;
	report_compare_write(&out, &r);
	fputs(buf_str(&out), stdout);
	cmp_result_free(&r.res);
	for (w = 0; w < 2; w++) {
		buf_free(&r.airflow[w]);
		buf_free(&r.warnings[w]);
	}
	buf_free(&out);
	return r.rc;
}

/* Both sides at once; the exit status (3 with the first side's error). */
static int
read_and_compare(const struct settings s[2], const struct report_options *o,
    const char *const name[2], const struct sla_def **defs, size_t ndefs,
    struct tz **zones, const struct tz *home)
{
	struct report_reads	 g;
	struct side_job		 job[2];
	const struct settings	*sp[2] = { &s[0], &s[1] };
	void			*jobs[2] = { &job[0], &job[1] };
	enum report_read_result	 res[2];
	struct buf		 what = BUF_INIT;
	int64_t			 now = (int64_t)time(NULL);
	int64_t			 since = now - o->since_span;
	size_t			 w;
	int			 rc = -1;

	memset(job, 0, sizeof job);
	report_reads_init(&g, 2);
	for (w = 0; w < 2; w++) {
		job[w].rd = &g.r[w];
		cmp_read_init(&job[w].cr, defs, ndefs, since, now);
	}
	report_reads_run(&g, sp, start, jobs, res);
	for (w = 0; w < 2 && rc < 0; w++) {
		if (res[w] == REPORT_READ_DONE)
			continue;
		buf_printf(&what, "cannot read %s (context ", cmp_side_name(w));
		report_put_id(&what, name[w]);
		buf_putc(&what, ')');
		rc = report_unknown(o->format, report_read_what(res[w],
		    buf_str(&what)), buf_str(&g.r[w].error));
	}
	if (rc < 0)
		rc = compare_and_write(job, &g, o, name, zones, home, since,
		    now);
	fflush(stdout);
	report_reads_close(&g);
	for (w = 0; w < 2; w++)
		cmp_read_free(&job[w].cr);
	buf_free(&what);
	return rc;
}

int
report_compare(const struct config *cfg, const struct cli_options *cli,
    const struct report_options *o, const char *blue, const char *green)
{
	const char		*name[2] = { blue, green };
	const struct sla_def	**defs;
	struct settings		 s[2];
	struct tz		*home, **zones;
	size_t			 ndefs, i;
	int			 rc = 0;

	if (o->format == REPORT_CSV)
		return report_unknown(o->format, "report compare",
		    "writes text, json or markdown, not csv");
	if (strcmp(blue, green) == 0)
		return report_unknown(o->format, "report compare",
		    "blue and green must be two contexts");
	if ((rc = resolve_sides(cfg, cli, o, name, s)) != 0)
		goto out_settings;
	if ((home = report_zone(o->format, s[0].timezone, &rc)) == NULL)
		goto out_settings;
	defs = common_slas(cfg, s[0].context, s[1].context, &ndefs);
	/* The SLAs' zones: their own, else blue's, for both sides alike. */
	zones = report_sla_zones(defs, ndefs, s[0].timezone, o->format, &rc);
	if (zones != NULL) {
		rc = read_and_compare(s, o, name, defs, ndefs, zones, home);
		for (i = 0; i < ndefs; i++)
			tz_free(zones[i]);
		free(zones);
	}
	free(defs);
	tz_free(home);
out_settings:
	settings_free(&s[0]);
	settings_free(&s[1]);
	return rc;
}
