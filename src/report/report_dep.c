/*
 * report_dep.c: the writers of report impact and report why
 * (report_dep.h): an answer of depread.h to text (a tree, a chain),
 * Markdown tables or JSON, every id from outside defused, the graph's
 * gaps and warnings in every format.  Pure: no read, no clock.
 */
#include <stdlib.h>
#include <string.h>

#include "report_dep.h"
#include "sanitize.h"
#include "taskrows.h"
#include "timefmt.h"
#include "tz.h"

static const char *const status_names[] = {
	"ok", "warning", "critical", "unknown"
};

/* "10:00" */
static void
put_deadline(struct buf *b, int secs)
{
	buf_printf(b, "%02d:%02d", secs / 3600, secs / 60 % 60);
}

/* A JSON string of what a writer put in a buffer, then the buffer empty. */
static json_t *
json_buf(struct buf *b)
{
	json_t *v = report_json_string(buf_str(b));

	buf_reset(b);
	return v;
}

/* The next non-empty line of *s, a copy to free (*s past it); NULL: none. */
static char *
next_line(const char **s)
{
	const char	*start, *nl;

	while (*s != NULL && **s != '\0') {
		start = *s;
		if ((nl = strchr(start, '\n')) == NULL)
			nl = start + strlen(start);
		*s = *nl != '\0' ? nl + 1 : nl;
		if (nl > start)
			return xstrndup(start, (size_t)(nl - start));
	}
	return NULL;
}

/* Each line of text from outside as a JSON array of strings. */
static json_t *
json_lines(const char *s)
{
	json_t	*a = json_array();
	char	*line;

	while ((line = next_line(&s)) != NULL) {
		json_array_append_new(a, report_json_string(line));
		free(line);
	}
	return a;
}

/* Lines of text from outside, each after a label ("gap", "warning"). */
static void
put_labelled(struct buf *b, const char *label, const char *s, bool md)
{
	char	*line;

	while ((line = next_line(&s)) != NULL) {
		if (md) {
			buf_printf(b, "- %s: ", label);
			report_md_text(b, line);
		} else {
			buf_printf(b, "%-11s", label);
			report_put_id(b, line);
		}
		buf_putc(b, '\n');
		free(line);
	}
}

/* What every answer ends with: gaps, warnings, reads. */
static void
put_tail(struct buf *b, const struct depgraph *g, const char *warnings,
    int reads, bool md)
{
	if (md)
		buf_puts(b, "\n");
	put_labelled(b, "gap", g != NULL ? depgraph_gaps(g) : "", md);
	put_labelled(b, "warning", warnings, md);
	buf_puts(b, md ? "- reads: " : "reads      ");
	buf_printf(b, "%d from the source (on the database at most 4 "
	    "statements)\n", reads);
}

/* The head every document starts with, in JSON. */
static json_t *
json_head(const char *report, int rc, const char *summary,
    const struct dep_doc_head *h, int64_t now)
{
	json_t *doc = json_object();

	json_object_set_new(doc, "report", json_string(report));
	json_object_set_new(doc, "status", json_string(status_names[rc]));
	json_object_set_new(doc, "exit_code", json_integer(rc));
	json_object_set_new(doc, "summary", report_json_string(summary));
	json_object_set_new(doc, "generated_at",
	    report_json_time(h->generated_at));
	json_object_set_new(doc, "now", report_json_time(now));
	json_object_set_new(doc, "context", report_json_string(h->context));
	json_object_set_new(doc, "source", report_json_string(h->source));
	json_object_set_new(doc, "airflow", report_json_string(h->airflow));
	return doc;
}

/*
 * Ends doc as every answer ends (gaps, warnings, reads), dumps it into b
 * with the flags of report_json_print, and frees it.
 */
static void
json_out(struct buf *b, json_t *doc, const struct depgraph *g,
    const char *warnings, int reads)
{
	char *s;

	json_object_set_new(doc, "gaps", json_lines(g != NULL ?
	    depgraph_gaps(g) : ""));
	json_object_set_new(doc, "warnings", json_lines(warnings));
	json_object_set_new(doc, "source_reads", json_integer(reads));
	s = json_dumps(doc, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	    JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		buf_puts(b, s);
		buf_putc(b, '\n');
	}
	free(s);
	json_decref(doc);
}

/* context and now, the lines after the verdict in text. */
static void
put_head(struct buf *b, const struct dep_doc_head *h, int64_t now)
{
	buf_printf(b, "%-11s", "context");
	report_put_id(b, h->context != NULL ? h->context : "(command line)");
	if (h->airflow != NULL)
		buf_printf(b, ", %s", h->airflow);
	buf_printf(b, "\n%-11s", "now");
	fmt_time(b, h->zone, now, FMT_LONG);
	buf_puts(b, " (the database's clock)\n");
}

/* ----------------------------------------------------------------------
 * Impact.
 */

/* A node's kind for people: "DAG", "task", "asset", "alias". */
static const char *
kind_label(enum dep_node_kind k)
{
	return k == DEP_NODE_DAG ? "DAG" : dep_node_kind_name(k);
}

/* SLA hit h spells its time left and fit: "2h10m left, chain 1h05m, fits". */
static void
put_hit_fit(struct buf *b, const struct dep_sla_hit *h)
{
	if (h->left < 0) {
		buf_puts(b, "missed ");
		fmt_duration(b, (double)-h->left);
		buf_puts(b, " ago");
	} else {
		fmt_duration(b, (double)h->left);
		buf_puts(b, " left");
	}
	if (h->chain < 0) {
		buf_puts(b, ", chain unknown");
		return;
	}
	buf_puts(b, ", chain ");
	fmt_duration(b, (double)h->chain);
	buf_puts(b, h->fits ? ", fits" : ", does not fit");
}

static bool
hit_critical(const struct dep_sla_hit *h)
{
	return h->left < 0 || (h->chain >= 0 && !h->fits);
}

int
impact_rc(const struct impact_answer *a, const char *dag_id)
{
	const struct dep_impact	*im = &a->impact;
	size_t			 i;

	for (i = 0; i < im->nslas; i++)
		if (hit_critical(&im->slas[i]))
			return 2;
	if (im->nslas > 0)
		return 1;
	for (i = 0; i < im->nitems; i++) {
		const struct dep_item *it = &im->items[i];

		if (it->kind == DEP_NODE_ASSET || it->kind == DEP_NODE_ALIAS ||
		    (it->kind == DEP_NODE_DAG && it->dag_id != NULL &&
		    strcmp(it->dag_id, dag_id) != 0))
			return 1;
	}
	return 0;
}

/* An item's name: DAG.task, the DAG, the asset (its URI when another). */
static void
put_item_name(struct buf *b, const struct dep_item *it, bool md)
{
	switch (it->kind) {
	case DEP_NODE_TASK:
		report_put_text(b, it->dag_id, md);
		buf_puts(b, md ? "\\." : ".");
		report_put_text(b, it->task_id, md);
		break;
	case DEP_NODE_DAG:
		report_put_text(b, it->dag_id, md);
		break;
	default:
		report_put_text(b, it->asset != NULL ? it->asset : it->uri, md);
		if (it->uri != NULL && it->asset != NULL &&
		    strcmp(it->uri, it->asset) != 0) {
			buf_puts(b, " (");
			report_put_text(b, it->uri, md);
			buf_putc(b, ')');
		}
		break;
	}
}

/* How it was reached: "schedule", "sensor wait_sales", "the failure". */
static void
put_item_via(struct buf *b, const struct dep_item *it, bool md)
{
	if (it->via == DEP_VIA_FAILURE) {
		buf_puts(b, "the failure");
		return;
	}
	buf_puts(b, dep_via_name(it->via));
	if (it->kind == DEP_NODE_DAG && it->task_id != NULL &&
	    (it->via == DEP_VIA_SENSOR || it->via == DEP_VIA_TRIGGER)) {
		buf_putc(b, ' ');
		report_put_text(b, it->task_id, md);
	}
}

/* The marks of an item, ", " between them; whether any. */
static bool
put_item_marks(struct buf *b, const struct dep_item *it)
{
	const char	*sep = "";
	size_t		 len = b->len;

	if (it->paused) {
		buf_puts(b, "paused");
		sep = ", ";
	}
	if (it->inactive) {
		buf_printf(b, "%sinactive", sep);
		sep = ", ";
	}
	if (it->not_on_time) {
		buf_printf(b, "%snot on time anyway", sep);
		sep = ", ";
	}
	if (it->other_producer)
		buf_printf(b, "%sanother producer still updates it", sep);
	return b->len > len;
}

/* The SLA of hit h: name, where, deadline in its zone. */
static void
put_hit(struct buf *b, const struct dep_sla_hit *h, const struct dep_slas *sl,
    bool md)
{
	const struct sla_def	*d = sl->defs[h->sla];

	report_put_text(b, d->name, md);
	buf_puts(b, md ? " | " : "  deadline ");
	fmt_time(b, sl->zones[h->sla], h->deadline, FMT_LONG);
	buf_puts(b, md ? " | " : "  ");
	put_hit_fit(b, h);
}

/*
 * The verdict's text: "ingest.load (run R) holds back 3 DAGs and 2 SLAs;
 * next deadline ...": the console's line, its deadline with date and zone
 * in full (dep_impact_line, dated), then how many SLAs are lost.
 */
static void
impact_summary(struct buf *b, const struct impact_doc *d, int rc)
{
	const struct dep_impact	*im = &d->a->impact;
	struct buf		 line = BUF_INIT;
	size_t			 i, bad = 0;

	report_put_id(b, d->dag_id);
	buf_putc(b, '.');
	report_put_id(b, d->task_id);
	buf_puts(b, " (run ");
	report_put_id(b, d->run_id);
	buf_puts(b, ") ");
	dep_impact_line(im, d->slas != NULL ? d->slas->defs : NULL,
	    d->slas != NULL ? d->slas->zones : NULL, d->a->state.now, true,
	    &line);
	report_put_id(b, buf_str(&line));
	buf_free(&line);
	for (i = 0; i < im->nslas; i++)
		bad += hit_critical(&im->slas[i]);
	if (rc == 2)
		buf_printf(b, "; %zu SLA%s missed or out of reach", bad,
		    bad == 1 ? "" : "s");
}

/* The failure line: the run's and the task's state as the source read. */
static void
put_failure(struct buf *b, const struct impact_doc *d)
{
	const struct dep_dag_state	*ds;
	char				 try[32];

	ds = dep_state_dag(&d->a->state, d->dag_id);
	buf_printf(b, "%-11s", "failure");
	report_put_id(b, d->dag_id);
	buf_putc(b, '.');
	report_put_id(b, d->task_id);
	buf_puts(b, "  run ");
	report_put_id(b, d->run_id);
	if (ds == NULL || !ds->has_run || ds->run_id == NULL) {
		buf_putc(b, '\n');
		return;
	}
	if (strcmp(ds->run_id, d->run_id) != 0) {
		buf_puts(b, "  (the DAG's newest run is ");
		report_put_id(b, ds->run_id);
		buf_printf(b, ", %s)\n", run_state_name(ds->run_state));
		return;
	}
	buf_printf(b, "  %s", run_state_name(ds->run_state));
	if (ds->bad_task != NULL && strcmp(ds->bad_task, d->task_id) == 0) {
		/* ti_try_text takes Airflow's max_tries (the retries). */
		ti_try_text(try, sizeof try, ds->bad_try, ds->bad_max_tries - 1);
		buf_printf(b, ", task %s, try %s", ti_state_name(ds->bad_state),
		    try);
		if (ds->bad_end != TIME_NONE) {
			buf_puts(b, " at ");
			fmt_time(b, d->head.zone, ds->bad_end, FMT_LONG);
		}
	}
	buf_putc(b, '\n');
}

static void
impact_text(struct buf *b, const struct impact_doc *d, int rc)
{
	const struct dep_impact	*im = &d->a->impact;
	struct buf		 s = BUF_INIT;
	size_t			 i, k;

	impact_summary(&s, d, rc);
	report_verdict(b, rc, "%s", buf_str(&s));
	buf_free(&s);
	put_head(b, &d->head, d->a->state.now);
	put_failure(b, d);
	buf_printf(b, "%-11s%zu task%s, %zu asset%s, %zu DAG%s, %zu SLA%s\n\n",
	    "held back", im->ntasks, im->ntasks == 1 ? "" : "s", im->nassets,
	    im->nassets == 1 ? "" : "s", im->ndags, im->ndags == 1 ? "" : "s",
	    im->nslas, im->nslas == 1 ? "" : "s");
	for (i = 0; i < im->nitems; i++) {
		const struct dep_item *it = &im->items[i];
		int ind = 2 + 2 * it->depth;

		buf_printf(b, "%*s%-6s ", ind, "", kind_label(it->kind));
		put_item_name(b, it, false);
		buf_puts(b, "  ");
		put_item_via(b, it, false);
		buf_puts(b, "  ");
		if (put_item_marks(b, it))
			buf_puts(b, "  ");
		if (it->kind == DEP_NODE_DAG &&
		    it->next_run_after != TIME_NONE) {
			buf_puts(b, "next run ");
			fmt_time(b, d->head.zone, it->next_run_after, FMT_LONG);
		}
		while (b->len > 0 && b->data[b->len - 1] == ' ')
			b->data[--b->len] = '\0';
		buf_putc(b, '\n');
		for (k = 0; k < im->nslas && d->slas != NULL; k++) {
			if (im->slas[k].item != i)
				continue;
			buf_printf(b, "%*s%-6s ", ind + 2, "", "SLA");
			put_hit(b, &im->slas[k], d->slas, false);
			buf_putc(b, '\n');
		}
	}
	buf_putc(b, '\n');
	put_tail(b, d->a->graph, buf_str(&d->a->warnings), d->a->statements,
	    false);
}

static void
impact_markdown(struct buf *b, const struct impact_doc *d, int rc)
{
	const struct dep_impact	*im = &d->a->impact;
	struct buf		 s = BUF_INIT;
	size_t			 i;

	buf_puts(b, "## Impact of ");
	report_md_text(b, d->dag_id);
	buf_puts(b, "\\.");
	report_md_text(b, d->task_id);
	impact_summary(&s, d, rc);
	buf_printf(b, "\n\n**%s: ", report_verdict_word(rc));
	report_md_text(b, buf_str(&s));
	buf_puts(b, "**\n\n| depth | kind | name | via | marks | next run |\n"
	    "|---:|---|---|---|---|---|\n");
	for (i = 0; i < im->nitems; i++) {
		const struct dep_item *it = &im->items[i];

		buf_printf(b, "| %d | %s | ", it->depth, kind_label(it->kind));
		put_item_name(b, it, true);
		buf_puts(b, " | ");
		put_item_via(b, it, true);
		buf_puts(b, " | ");
		put_item_marks(b, it);
		buf_puts(b, " | ");
		if (it->kind == DEP_NODE_DAG && it->next_run_after != TIME_NONE)
			fmt_time(b, d->head.zone, it->next_run_after, FMT_LONG);
		buf_puts(b, " |\n");
	}
	if (im->nslas > 0 && d->slas != NULL) {
		buf_puts(b, "\n| SLA | deadline | time left |\n|---|---|---|\n");
		for (i = 0; i < im->nslas; i++) {
			buf_puts(b, "| ");
			put_hit(b, &im->slas[i], d->slas, true);
			buf_puts(b, " |\n");
		}
	}
	put_tail(b, d->a->graph, buf_str(&d->a->warnings), d->a->statements,
	    true);
	buf_free(&s);
}

static json_t *
json_item(const struct dep_item *it, const struct impact_doc *d, size_t i)
{
	const struct dep_impact	*im = &d->a->impact;
	json_t			*o = json_object(), *slas = json_array();
	size_t			 k;

	json_object_set_new(o, "kind", json_string(dep_node_kind_name(it->kind)));
	json_object_set_new(o, "dag_id", report_json_string(it->dag_id));
	json_object_set_new(o, "task_id", report_json_string(it->task_id));
	json_object_set_new(o, "asset", report_json_string(it->asset));
	json_object_set_new(o, "uri", report_json_string(it->uri));
	json_object_set_new(o, "via", json_string(it->via == DEP_VIA_FAILURE ?
	    "failure" : dep_via_name(it->via)));
	json_object_set_new(o, "depth", json_integer(it->depth));
	json_object_set_new(o, "parent", it->parent == (size_t)-1 ?
	    json_null() : json_integer((json_int_t)it->parent));
	json_object_set_new(o, "paused", json_boolean(it->paused));
	json_object_set_new(o, "inactive", json_boolean(it->inactive));
	json_object_set_new(o, "not_on_time", json_boolean(it->not_on_time));
	json_object_set_new(o, "other_producer",
	    json_boolean(it->other_producer));
	json_object_set_new(o, "next_run_after", it->kind == DEP_NODE_DAG ?
	    report_json_time(it->next_run_after) : json_null());
	for (k = 0; k < im->nslas && d->slas != NULL; k++)
		if (im->slas[k].item == i)
			json_array_append_new(slas, report_json_string(
			    d->slas->defs[im->slas[k].sla]->name));
	json_object_set_new(o, "slas", slas);
	return o;
}

static json_t *
json_hit(const struct dep_sla_hit *h, const struct dep_slas *sl)
{
	const struct sla_def	*def = sl->defs[h->sla];
	json_t			*o = json_object();
	struct buf		 b = BUF_INIT;

	json_object_set_new(o, "name", report_json_string(def->name));
	json_object_set_new(o, "dag_id", report_json_string(def->dag_id));
	json_object_set_new(o, "task_id", report_json_string(def->task_id));
	put_deadline(&b, def->deadline);
	json_object_set_new(o, "deadline", json_buf(&b));
	json_object_set_new(o, "timezone", json_string(tz_name(sl->zones[h->sla])));
	json_object_set_new(o, "deadline_at", report_json_time(h->deadline));
	fmt_time(&b, sl->zones[h->sla], h->deadline, FMT_ISO);
	json_object_set_new(o, "deadline_local", json_buf(&b));
	json_object_set_new(o, "left_seconds", json_integer(h->left));
	json_object_set_new(o, "chain_seconds", h->chain >= 0 ?
	    json_integer(h->chain) : json_null());
	json_object_set_new(o, "fits", h->chain >= 0 ? json_boolean(h->fits) :
	    json_null());
	json_object_set_new(o, "missed", json_boolean(h->left < 0));
	json_object_set_new(o, "item", json_integer((json_int_t)h->item));
	buf_free(&b);
	return o;
}

static void
impact_json(struct buf *b, const struct impact_doc *d, int rc)
{
	const struct dep_impact	*im = &d->a->impact;
	struct buf		 s = BUF_INIT;
	json_t			*doc, *o, *a;
	size_t			 i;

	impact_summary(&s, d, rc);
	doc = json_head("impact", rc, buf_str(&s), &d->head, d->a->state.now);
	o = json_object();
	json_object_set_new(o, "dag_id", report_json_string(d->dag_id));
	json_object_set_new(o, "run_id", report_json_string(d->run_id));
	json_object_set_new(o, "task_id", report_json_string(d->task_id));
	json_object_set_new(doc, "failure", o);
	json_object_set_new(doc, "line", report_json_string(buf_str(&d->a->line)));
	o = json_object();
	json_object_set_new(o, "tasks", json_integer((json_int_t)im->ntasks));
	json_object_set_new(o, "assets", json_integer((json_int_t)im->nassets));
	json_object_set_new(o, "dags", json_integer((json_int_t)im->ndags));
	json_object_set_new(o, "slas", json_integer((json_int_t)im->nslas));
	json_object_set_new(doc, "held_back", o);
	a = json_array();
	for (i = 0; i < im->nitems; i++)
		json_array_append_new(a, json_item(&im->items[i], d, i));
	json_object_set_new(doc, "items", a);
	a = json_array();
	for (i = 0; i < im->nslas && d->slas != NULL; i++)
		json_array_append_new(a, json_hit(&im->slas[i], d->slas));
	json_object_set_new(doc, "slas", a);
	json_out(b, doc, d->a->graph, buf_str(&d->a->warnings),
	    d->a->statements);
	buf_free(&s);
}

void
impact_write(struct buf *b, enum report_format f, const struct impact_doc *d)
{
	int rc = impact_rc(d->a, d->dag_id);

	if (f == REPORT_JSON)
		impact_json(b, d, rc);
	else if (f == REPORT_MARKDOWN)
		impact_markdown(b, d, rc);
	else
		impact_text(b, d, rc);
}

/* ----------------------------------------------------------------------
 * Why.
 */

int
why_rc(const struct why_doc *d)
{
	if (d->day != NULL && (sla_outcome_missed(d->day->outcome) ||
	    d->day->outcome == SLA_AT_RISK))
		return 2;
	return d->a->why.found ? 1 : 0;
}

/* The verdict's text: "SLA s on 2026-03-10: missing; sales_mart waits ...". */
static void
why_summary(struct buf *b, const struct why_doc *d)
{
	if (d->sla != NULL) {
		buf_puts(b, "SLA ");
		report_put_id(b, d->sla->name);
		if (d->day != NULL) {
			buf_puts(b, " on ");
			sla_date_format(d->day->day, b);
			buf_printf(b, " %s",
			    sla_outcome_label(d->day->outcome));
		}
		buf_puts(b, "; ");
	}
	report_put_id(b, buf_str(&d->a->why.sentence));
}

/* The SLA line: "s  sales_mart  by 10:00 Asia/Tokyo  deadline ... met". */
static void
put_sla_line(struct buf *b, const struct why_doc *d, bool md)
{
	const struct sla_def *s = d->sla;

	report_put_text(b, s->name, md);
	buf_puts(b, md ? " | " : "  ");
	report_put_text(b, s->dag_id, md);
	if (s->task_id != NULL) {
		buf_puts(b, md ? "\\." : ".");
		report_put_text(b, s->task_id, md);
	}
	buf_puts(b, md ? " | " : "  by ");
	put_deadline(b, s->deadline);
	buf_printf(b, " %s", tz_name(d->sla_zone));
	if (d->day == NULL)
		return;
	buf_puts(b, md ? " | " : "  ");
	sla_date_format(d->day->day, b);
	buf_printf(b, md ? " | %s" : " %s", sla_outcome_label(d->day->outcome));
	if (d->day->finished_at != TIME_NONE) {
		buf_puts(b, ", ended ");
		fmt_time(b, d->sla_zone, d->day->finished_at, FMT_LONG);
	} else if (d->day->expected != TIME_NONE) {
		buf_puts(b, ", expected ");
		fmt_time(b, d->sla_zone, d->day->expected, FMT_LONG);
	}
}

/* One link of the chain: name, how, verdict, when, try, run. */
static void
put_link(struct buf *b, const struct dep_link *l, bool first,
    const struct tz *z, bool md)
{
	const char	*sep = md ? " | " : "  ";
	char		 try[32];

	if (l->kind == DEP_NODE_TASK || l->kind == DEP_NODE_DAG)
		report_put_text(b, l->dag_id, md);
	if (l->kind == DEP_NODE_TASK) {
		buf_puts(b, md ? "\\." : ".");
		report_put_text(b, l->task_id, md);
	} else if (l->kind != DEP_NODE_DAG)
		report_put_text(b, l->asset, md);
	/*
	 * The first link is the DAG asked about: nothing leads to it, and
	 * its own verdict is the question, not an answer.
	 */
	if (first && !md)
		return;
	buf_printf(b, "%s%s%s%s", sep, first ? "-" : dep_via_name(l->via), sep,
	    first ? "-" : dep_verdict_name(l->verdict));
	/* Text leaves out what a link does not have; a table keeps cells. */
	if (md || l->when != TIME_NONE)
		buf_puts(b, sep);
	if (l->when != TIME_NONE)
		fmt_time(b, z, l->when, FMT_LONG);
	if (md || l->try_number > 0)
		buf_puts(b, sep);
	if (l->try_number > 0) {
		ti_try_text(try, sizeof try, l->try_number, l->max_tries - 1);
		buf_printf(b, "%s try %s", ti_state_name(l->ti_state), try);
	}
	if (md || l->run_id != NULL)
		buf_puts(b, md ? sep : "  run ");
	if (l->run_id != NULL)
		report_put_text(b, l->run_id, md);
}

static void
why_text(struct buf *b, const struct why_doc *d, int rc, bool md)
{
	const struct dep_why	*w = &d->a->why;
	const struct tz		*z = d->sla_zone != NULL ? d->sla_zone :
				    d->head.zone;
	struct buf		 s = BUF_INIT, v = BUF_INIT;
	size_t			 i;

	why_summary(&s, d);
	report_verdict(&v, rc, "%s", buf_str(&s));
	if (md) {
		buf_puts(b, "## Why ");
		report_md_text(b, d->sla != NULL ? d->sla->name : d->dag_id);
		buf_printf(b, " is late\n\n**%s: ", report_verdict_word(rc));
		report_md_text(b, buf_str(&s));
		buf_puts(b, "**\n\n");
		if (d->sla != NULL) {
			buf_puts(b, "| SLA | target | deadline | day | outcome |\n"
			    "|---|---|---|---|---|\n| ");
			put_sla_line(b, d, true);
			buf_puts(b, " |\n\n");
		}
		buf_puts(b, "| link | via | verdict | when | try | run |\n"
		    "|---|---|---|---|---|---|\n");
	} else {
		buf_puts(b, buf_str(&v));
		put_head(b, &d->head, d->a->state.now);
		if (d->sla != NULL) {
			buf_printf(b, "%-11s", "sla");
			put_sla_line(b, d, false);
			buf_putc(b, '\n');
		}
		buf_puts(b, "chain\n");
	}
	for (i = 0; i < w->nchain; i++) {
		buf_puts(b, md ? "| " : "  ");
		if (!md)
			buf_printf(b, "%-6s ", kind_label(w->chain[i].kind));
		put_link(b, &w->chain[i], i == 0, z, md);
		if (md)
			buf_puts(b, " |");
		while (!md && b->len > 0 && b->data[b->len - 1] == ' ')
			b->data[--b->len] = '\0';
		buf_putc(b, '\n');
	}
	if (w->also_bad > 0)
		buf_printf(b, "%s%zu more branch%s upstream %s bad too\n",
		    md ? "\n" : "also       ", w->also_bad,
		    w->also_bad == 1 ? "" : "es", w->also_bad == 1 ? "is" : "are");
	if (!md)
		buf_putc(b, '\n');
	put_tail(b, d->a->graph, buf_str(&d->a->warnings), d->a->statements,
	    md);
	buf_free(&s);
	buf_free(&v);
}

static json_t *
json_link(const struct dep_link *l, bool first)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(dep_node_kind_name(l->kind)));
	json_object_set_new(o, "dag_id", report_json_string(l->dag_id));
	json_object_set_new(o, "task_id", report_json_string(l->task_id));
	json_object_set_new(o, "asset", report_json_string(l->asset));
	json_object_set_new(o, "via", first ? json_null() :
	    json_string(dep_via_name(l->via)));
	json_object_set_new(o, "verdict",
	    json_string(dep_verdict_name(l->verdict)));
	json_object_set_new(o, "when", report_json_time(l->when));
	json_object_set_new(o, "ti_state", l->ti_state == TI_NONE ?
	    json_null() : json_string(ti_state_name(l->ti_state)));
	json_object_set_new(o, "try_number", l->try_number > 0 ?
	    json_integer(l->try_number) : json_null());
	json_object_set_new(o, "max_tries", l->try_number > 0 ?
	    json_integer(l->max_tries - 1) : json_null());
	json_object_set_new(o, "run_id", report_json_string(l->run_id));
	return o;
}

static json_t *
json_sla(const struct why_doc *d)
{
	json_t		*o = json_object();
	struct buf	 b = BUF_INIT;

	json_object_set_new(o, "name", report_json_string(d->sla->name));
	json_object_set_new(o, "dag_id", report_json_string(d->sla->dag_id));
	json_object_set_new(o, "task_id", report_json_string(d->sla->task_id));
	put_deadline(&b, d->sla->deadline);
	json_object_set_new(o, "deadline", json_buf(&b));
	json_object_set_new(o, "timezone", json_string(tz_name(d->sla_zone)));
	if (d->day != NULL) {
		sla_date_format(d->day->day, &b);
		json_object_set_new(o, "date", json_buf(&b));
		json_object_set_new(o, "outcome",
		    json_string(sla_outcome_name(d->day->outcome)));
		json_object_set_new(o, "deadline_at",
		    report_json_time(d->day->deadline));
		json_object_set_new(o, "finished_at",
		    report_json_time(d->day->finished_at));
		json_object_set_new(o, "expected_at",
		    report_json_time(d->day->expected));
	}
	buf_free(&b);
	return o;
}

static void
why_json(struct buf *b, const struct why_doc *d, int rc)
{
	const struct dep_why	*w = &d->a->why;
	struct buf		 s = BUF_INIT;
	json_t			*doc, *a;
	size_t			 i;

	why_summary(&s, d);
	doc = json_head("why", rc, buf_str(&s), &d->head, d->a->state.now);
	json_object_set_new(doc, "dag_id", report_json_string(d->dag_id));
	json_object_set_new(doc, "sla", d->sla != NULL ? json_sla(d) :
	    json_null());
	json_object_set_new(doc, "found", json_boolean(w->found));
	json_object_set_new(doc, "sentence",
	    report_json_string(buf_str(&w->sentence)));
	a = json_array();
	for (i = 0; i < w->nchain; i++)
		json_array_append_new(a, json_link(&w->chain[i], i == 0));
	json_object_set_new(doc, "chain", a);
	json_object_set_new(doc, "also_bad",
	    json_integer((json_int_t)w->also_bad));
	json_out(b, doc, d->a->graph, buf_str(&d->a->warnings),
	    d->a->statements);
	buf_free(&s);
}

void
why_write(struct buf *b, enum report_format f, const struct why_doc *d)
{
	int rc = why_rc(d);

	if (f == REPORT_JSON)
		why_json(b, d, rc);
	else
		why_text(b, d, rc, f == REPORT_MARKDOWN);
}
