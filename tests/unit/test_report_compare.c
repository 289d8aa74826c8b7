/*
 * test_report_compare.c: the writers of `dagtop report compare`
 * (src/report/report_compare.c) on a comparison built by hand: the
 * verdict line first, every finding and table in each format, the JSON
 * document's shape, and ids from outside (escapes, Markdown, newlines)
 * inert in every format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"
#include "report.h"
#include "report_compare.h"
#include "tz.h"

#define DAY	INT64_C(86400)
#define T0	INT64_C(1795132800)	/* 2026-11-20 00:00 UTC */

#define EVIL	"evil\x1b]52;c;QUJD\x07|*[x](http://e)<b>\n@me"

struct fx {
	struct af_dags		dags[2];
	struct af_runs		runs[2];
	struct cmp_shapes	shapes[2];
	struct cmp_shape	shape[2];
	char			*tasks[2][2];
	char			*edges[2][1];
	struct cmp_tasks	tasks_[2];
	struct cmp_task		task[2];
	struct sla_eval		sla[2];
	struct sla_def		def;
	struct cmp_side		side[2];
	struct report_options	o;
	struct cmp_report	r;
	struct tz		*zone;
};

static void
dag(struct af_dags *d, const char *id, bool paused)
{
	struct af_dag *x = af_dags_push(d);

	x->dag_id = xstrdup(id);
	x->paused = paused;
	x->active = true;
}

static void
run(struct af_runs *r, const char *id, const char *run_id,
    enum run_state st, int64_t day, int64_t secs)
{
	struct af_run *x = af_runs_push(r);

	x->dag_id = xstrdup(id);
	x->run_id = xstrdup(run_id);
	x->state = st;
	x->logical_date = x->run_after = x->order = T0 + day * DAY;
	x->start_date = T0 + day * DAY + 60;
	x->end_date = x->start_date + secs;
}

static int
setup(void **state)
{
	struct fx	*f = xcalloc(1, sizeof *f);
	size_t		 w, i;

	f->zone = tz_utc();
	for (w = 0; w < 2; w++) {
		dag(&f->dags[w], "both", false);
		dag(&f->dags[w], EVIL, false);
		dag(&f->dags[w], "slow", w == 1);
		for (i = 0; i < 3; i++) {
			run(&f->runs[w], "both", w ? "g" : "b", RUN_SUCCESS,
			    (int64_t)i, 100);
			run(&f->runs[w], "slow", w ? "g" : "b", RUN_SUCCESS,
			    (int64_t)i, w ? 140 : 100);
		}
		/* The graph of EVIL: a task only on green, an edge on blue. */
		f->tasks[w][0] = xstrdup("a");
		f->tasks[w][1] = xstrdup(w ? EVIL : "b");
		f->edges[w][0] = xstrdup("a\t" EVIL);
		f->shape[w].dag_id = EVIL;
		f->shape[w].tasks = f->tasks[w];
		f->shape[w].ntasks = 2;
		f->shape[w].edges = f->edges[w];
		f->shape[w].nedges = w ? 0 : 1;
		f->shapes[w].v = &f->shape[w];
		f->shapes[w].n = 1;
		f->task[w].dag_id = EVIL;
		f->task[w].task_id = EVIL;
		f->task[w].n = 10;
		f->task[w].failed = w ? 5 : 0;
		f->task[w].median = f->task[w].p90 = 30;
		f->tasks_[w].v = &f->task[w];
		f->tasks_[w].n = 1;
		f->sla[w].def = &f->def;
		f->sla[w].period.count[SLA_MET] = w ? 2 : 3;
		f->sla[w].period.count[SLA_LATE] = w ? 1 : 0;
		f->sla[w].period.judged = 3;
		f->sla[w].period.compliance = w ? 2 / 3.0 : 1;
		f->side[w].dags = &f->dags[w];
		f->side[w].runs = &f->runs[w];
		f->side[w].shapes = &f->shapes[w];
		f->side[w].tasks = &f->tasks_[w];
		f->side[w].slas = &f->sla[w];
		f->side[w].nslas = 1;
		f->r.name[w] = w ? "green\x1b[2J" : "blue";
		f->r.kind[w] = "database";
		buf_puts(&f->r.airflow[w], w ? "Airflow 3.1.0" : "Airflow 2.10.3");
	}
	buf_puts(&f->r.warnings[1], "no graph for " EVIL "\n");
	f->def.name = (char *)EVIL;
	f->def.dag_id = (char *)"both";
	f->o.format = REPORT_TEXT;
	f->o.threshold = 0.20;
	f->r.o = &f->o;
	f->r.zone = f->zone;
	f->r.since = T0;
	f->r.now = T0 + 7 * DAY;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	size_t		 w;

	cmp_result_free(&f->r.res);
	for (w = 0; w < 2; w++) {
		af_dags_free(&f->dags[w]);
		af_runs_free(&f->runs[w]);
		free(f->tasks[w][0]);
		free(f->tasks[w][1]);
		free(f->edges[w][0]);
		buf_free(&f->r.airflow[w]);
		buf_free(&f->r.warnings[w]);
	}
	tz_free(f->zone);
	free(f);
	return 0;
}

static void
build(struct fx *f, enum report_format fmt, struct buf *out)
{
	struct cmp_options o;

	cmp_options_default(&o, f->r.since, f->r.now);
	cmp_result_free(&f->r.res);
	compare_build(&f->r.res, &f->side[0], &f->side[1], &o);
	f->r.rc = (int)f->r.res.verdict;
	f->o.format = fmt;
	if (out != NULL)
		report_compare_write(out, &f->r);
}

/* No byte from outside acts on a terminal: no ESC, no BEL, no CR. */
static void
assert_inert(const char *s)
{
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\x07'));
	assert_null(strchr(s, '\r'));
}

static void
test_text(void **state)
{
	struct fx	*f = *state;
	struct buf	 b = BUF_INIT;
	const char	*s, *p;

	build(f, REPORT_TEXT, &b);
	s = buf_str(&b);
	assert_inert(s);
	/* The verdict line first: double running on "both" is critical. */
	assert_int_equal(f->r.rc, 2);
	assert_true(strncmp(s, "CRITICAL: green green^[[2J against blue blue "
	    "over 7d00h: 1 critical, 5 warnings, 2 notes\n", 82) == 0);
	assert_non_null(strstr(s, "\nblue   blue  Airflow 2.10.3 (database)\n"));
	assert_non_null(strstr(s, "  CRITICAL both: unpaused on both sides"));
	assert_non_null(strstr(s, "  WARNING  slow: paused on green only\n"));
	assert_non_null(strstr(s, "median run 1m40s on blue, 2m20s on green "
	    "(+40%)"));
	assert_non_null(strstr(s, "graph differences (green against blue)"));
	assert_non_null(strstr(s, "    - edge a -> evil"));
	/* The runs table: each side's five columns under their heads. */
	assert_non_null(strstr(s, "\n   runs fail    ok  median     p90   runs "
	    "fail    ok  median     p90  DAG\n"));
	assert_non_null(strstr(s, "\n      3    0  100%   1m40s   1m40s      3 "
	    "   0  100%   2m20s   2m20s  slow\n"));
	assert_non_null(strstr(s, "tasks that changed most"));
	assert_non_null(strstr(s, "^J@me  30s -> 30s (+0%), failed 0/10 -> "
	    "5/10  worse\n"));
	assert_non_null(strstr(s, "\nSLAs\n"));
	assert_non_null(strstr(s, "blue 3 met, 0 late, 0 failed, 0 missing "
	    "(100%); green 2 met, 1 late, 0 failed, 0 missing (67%)  worse"));
	assert_non_null(strstr(s, "\ngreen warnings\nno graph for evil"));
	/* Each id stays on its line: the newline inside it is shown. */
	p = strstr(s, "\ngreen warnings\n");
	assert_true(strstr(s, "\n@me") > p);
	assert_non_null(strstr(s, "<b>^J@me: task graph differs"));
	buf_free(&b);
}

static void
test_markdown(void **state)
{
	struct fx	*f = *state;
	struct buf	 b = BUF_INIT;
	const char	*s, *p;

	build(f, REPORT_MARKDOWN, &b);
	s = buf_str(&b);
	assert_inert(s);
	assert_true(strncmp(s, "## Blue/green comparison\n\n**CRITICAL: ", 38)
	    == 0);
	assert_non_null(strstr(s, "| CRITICAL | double_running | both |"));
	assert_non_null(strstr(s, "### Runs\n"));
	assert_non_null(strstr(s, "### Tasks that changed most\n"));
	assert_non_null(strstr(s, "@me | 30s | 30s | +0% | 0/10 | 5/10 | yes "
	    "|\n"));
	assert_non_null(strstr(s, "### SLAs\n"));
	assert_non_null(strstr(s, "### Graph differences"));
	/* The hostile id: no cell break, no link, no HTML, no autolink. */
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "](http"));
	assert_null(strstr(s, " @me"));
	for (p = s; (p = strstr(p, "evil")) != NULL; p++) {
		const char *bar = strchr(p, '|');
		const char *nl = strchr(p, '\n');

		/* The id's own '|' comes escaped. */
		assert_non_null(bar);
		assert_true(bar[-1] == '\\' || (nl != NULL && nl < bar) ||
		    bar[-1] == ' ');
	}
	assert_non_null(strstr(s, "\\|\\*\\[x\\]"));
	assert_non_null(strstr(s, "\n### Warnings from green\n\n- no graph for "
	    "evil"));
	buf_free(&b);
}

static void
test_json(void **state)
{
	struct fx	*f = *state;
	json_t		*doc, *a, *o;
	char		*text;

	build(f, REPORT_JSON, NULL);
	doc = report_compare_json(&f->r);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "critical");
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")),
	    2);
	o = json_object_get(doc, "blue");
	assert_string_equal(json_string_value(json_object_get(o, "airflow")),
	    "Airflow 2.10.3");
	assert_string_equal(json_string_value(json_object_get(o, "source")),
	    "database");
	o = json_object_get(doc, "green");
	assert_string_equal(json_string_value(json_object_get(o, "context")),
	    "green\x1b[2J");
	a = json_object_get(doc, "findings");
	assert_true(json_array_size(a) == f->r.res.nfindings);
	o = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(o, "kind")),
	    "double_running");
	assert_string_equal(json_string_value(json_object_get(o, "severity")),
	    "critical");
	assert_string_equal(json_string_value(json_object_get(o, "dag_id")),
	    "both");
	assert_true(json_array_size(json_object_get(doc, "dags")) == 3);
	assert_true(json_array_size(json_object_get(doc, "tasks")) == 1);
	o = json_array_get(json_object_get(doc, "slas"), 0);
	assert_true(json_is_true(json_object_get(o, "worse")));
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(o, "green"), "late")), 1);
	o = json_array_get(json_object_get(doc, "warnings"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "side")),
	    "green");
	/* The id exact in JSON (a parser downstream gets it whole). */
	o = json_array_get(json_object_get(doc, "tasks"), 0);
	assert_string_equal(json_string_value(json_object_get(o, "task_id")),
	    EVIL);
	text = json_dumps(doc, JSON_COMPACT);
	assert_null(strchr(text, '\x1b'));
	free(text);
	json_decref(doc);
}

static void
test_quiet_and_unknown(void **state)
{
	struct fx	*f = *state;
	struct buf	 b = BUF_INIT;
	struct cmp_side	 none[2];

	memset(none, 0, sizeof none);
	f->o.quiet = true;
	build(f, REPORT_TEXT, &b);
	assert_true(b.len > 0);		/* not OK: written */
	buf_reset(&b);
	/* Nothing listed on either side: cannot tell, said. */
	f->o.quiet = false;
	f->side[0] = none[0];
	f->side[1] = none[1];
	build(f, REPORT_TEXT, &b);
	assert_int_equal(f->r.rc, 3);
	assert_non_null(strstr(buf_str(&b), "UNKNOWN: "));
	assert_non_null(strstr(buf_str(&b), "neither side lists a DAG"));
	buf_free(&b);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_text),
		T(test_markdown),
		T(test_json),
		T(test_quiet_and_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
