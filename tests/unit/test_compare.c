/*
 * test_compare.c: blue/green (src/model/compare.c) on hand-built sides
 * with hand-computed figures: every rule in both directions, the
 * thresholds at and past their edge, empty windows, unknown shapes, runs
 * without a logical date, ties, and ids from outside kept out of the
 * findings' words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"

#define DAY	INT64_C(86400)
#define T0	INT64_C(1795132800)	/* 2026-11-20 00:00 UTC */
#define NOW	(T0 + 7 * DAY)

/* One side's facts, owned here. */
struct fside {
	struct af_dags		dags;
	struct af_runs		runs;
	struct cmp_shapes	shapes;
	struct cmp_tasks	tasks;
	struct sla_eval		slas[2];
	size_t			nslas;
	struct cmp_side		side;
};

struct fx {
	struct fside		s[2];
	struct cmp_options	o;
	struct cmp_result	res;
};

static struct sla_def sla_a = { .name = "a_by_ten", .dag_id = "a" };
static struct sla_def sla_b = { .name = "b_by_ten", .dag_id = "b" };

static void
dag(struct fside *s, const char *id, bool paused, bool active, bool ie)
{
	struct af_dag *d = af_dags_push(&s->dags);

	d->dag_id = xstrdup(id);
	d->paused = paused;
	d->active = active;
	d->import_errors = ie;
	d->next_run = d->next_run_after = TIME_NONE;
}

/* A DAG both sides list, active and unpaused. */
static void
both(struct fx *f, const char *id)
{
	dag(&f->s[0], id, false, true, false);
	dag(&f->s[1], id, false, true, false);
}

static void
run(struct fside *s, const char *id, const char *run_id, enum run_state st,
    int64_t logical, int64_t secs)
{
	struct af_run *r = af_runs_push(&s->runs);

	r->dag_id = xstrdup(id);
	r->run_id = xstrdup(run_id);
	r->state = st;
	r->logical_date = logical;
	r->run_after = r->order = logical;
	r->queued_at = r->data_interval_start = r->data_interval_end =
	    TIME_NONE;
	r->start_date = T0 + DAY;
	r->end_date = st == RUN_SUCCESS || st == RUN_FAILED ?
	    r->start_date + secs : TIME_NONE;
}

/* n successful runs of secs each, on days 0..n-1 (run ids "prefix-i"). */
static void
runs_ok(struct fside *s, const char *id, size_t n, int64_t secs)
{
	char	rid[32];
	size_t	i;

	for (i = 0; i < n; i++) {
		snprintf(rid, sizeof rid, "r%zu", i);
		run(s, id, rid, RUN_SUCCESS, T0 + (int64_t)i * DAY, secs);
	}
}

static char **
strv(const char *const *v, size_t n)
{
	char	**o = xcalloc(n + 1, sizeof *o);
	size_t	  i;

	for (i = 0; i < n; i++)
		o[i] = xstrdup(v[i]);
	return o;
}

static void
shape(struct fside *s, const char *id, const char *const *tasks, size_t nt,
    const char *const *edges, size_t ne, bool unknown)
{
	struct cmp_shape *sh;

	s->shapes.v = xreallocarray(s->shapes.v, s->shapes.n + 1,
	    sizeof *s->shapes.v);
	sh = &s->shapes.v[s->shapes.n++];
	sh->dag_id = xstrdup(id);
	sh->tasks = strv(tasks, nt);
	sh->ntasks = nt;
	sh->edges = strv(edges, ne);
	sh->nedges = ne;
	sh->unknown = unknown;
}

static void
task(struct fside *s, const char *d, const char *t, size_t n, size_t failed,
    double median)
{
	struct cmp_task *k;

	s->tasks.v = xreallocarray(s->tasks.v, s->tasks.n + 1,
	    sizeof *s->tasks.v);
	k = &s->tasks.v[s->tasks.n++];
	k->dag_id = xstrdup(d);
	k->task_id = xstrdup(t);
	k->n = n;
	k->failed = failed;
	k->median = median;
	k->p90 = median;
}

static void
sla(struct fside *s, const struct sla_def *def, size_t met, size_t late,
    size_t failed, size_t missing, bool unknown)
{
	struct sla_eval *ev = &s->slas[s->nslas++];

	memset(ev, 0, sizeof *ev);
	ev->def = def;
	ev->period.count[SLA_MET] = met;
	ev->period.count[SLA_LATE] = late;
	ev->period.count[SLA_FAILED] = failed;
	ev->period.count[SLA_MISSING] = missing;
	ev->period.judged = met + late + failed + missing;
	ev->period.compliance = ev->period.judged > 0 ?
	    (double)met / (double)ev->period.judged : -1;
	ev->unknown_dag = unknown;
	ev->median = -1;
}

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);

	cmp_options_default(&f->o, T0, NOW);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	size_t		 w;

	cmp_result_free(&f->res);
	for (w = 0; w < 2; w++) {
		struct fside *s = &f->s[w];

		af_dags_free(&s->dags);
		af_runs_free(&s->runs);
		cmp_shapes_free(&s->shapes);
		cmp_tasks_free(&s->tasks);
	}
	free(f);
	return 0;
}

static void
build(struct fx *f)
{
	size_t w;

	cmp_result_free(&f->res);
	for (w = 0; w < 2; w++) {
		struct fside *s = &f->s[w];

		s->side.context = w == 0 ? "blue" : "green";
		s->side.dags = &s->dags;
		s->side.runs = &s->runs;
		s->side.shapes = &s->shapes;
		s->side.tasks = &s->tasks;
		s->side.slas = s->nslas > 0 ? s->slas : NULL;
		s->side.nslas = s->nslas;
	}
	compare_build(&f->res, &f->s[0].side, &f->s[1].side, &f->o);
}

/* The one finding of that kind about that DAG, or NULL. */
static const struct cmp_finding *
finding(const struct fx *f, enum cmp_kind k, const char *dag_id)
{
	const struct cmp_finding *hit = NULL;

	for (size_t i = 0; i < f->res.nfindings; i++)
		if (f->res.findings[i].kind == k &&
		    strcmp(f->res.findings[i].dag_id, dag_id) == 0) {
			assert_null(hit);
			hit = &f->res.findings[i];
		}
	return hit;
}

static const struct cmp_dag *
find_dag(const struct fx *f, const char *id)
{
	for (size_t i = 0; i < f->res.ndags; i++)
		if (strcmp(f->res.dags[i].dag_id, id) == 0)
			return &f->res.dags[i];
	return NULL;
}

static void
test_percentile(void **state)
{
	double	v5[] = { 500, 100, 400, 200, 300 }, v1[] = { 7 },
		v2[] = { 20, 10 }, v10[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	(void)state;
	assert_true(cmp_percentile(NULL, 0, 0.5) == -1);
	assert_true(cmp_percentile(v1, 1, 0.5) == 7);
	assert_true(cmp_percentile(v1, 1, 0.9) == 7);
	/* ceil(0.5 * 2) = 1: the first; ceil(0.9 * 2) = 2. */
	assert_true(cmp_percentile(v2, 2, 0.5) == 10);
	assert_true(cmp_percentile(v2, 2, 0.9) == 20);
	assert_true(cmp_percentile(v5, 5, 0.5) == 300);
	assert_true(cmp_percentile(v5, 5, 0.9) == 500);
	assert_true(cmp_percentile(v10, 10, 0.9) == 9);
	assert_true(cmp_percentile(v10, 10, 0.5) == 5);
}

static void
test_empty(void **state)
{
	struct fx *f = *state;

	build(f);
	assert_int_equal(f->res.ndags, 0);
	assert_int_equal(f->res.nfindings, 0);
	assert_int_equal(f->res.verdict, VERDICT_UNKNOWN);
	/* One DAG alike on both, no runs at all: the same. */
	both(f, "a");
	build(f);
	assert_int_equal(f->res.ndags, 1);
	assert_int_equal(f->res.verdict, VERDICT_OK);
	/* Its graph was not read on either side: said, and OK. */
	assert_int_equal(f->res.nfindings, 1);
	assert_int_equal(f->res.findings[0].kind, CMP_NOT_COMPARED);
	assert_string_equal(f->res.findings[0].detail,
	    "task graph not compared: not read on either side");
	assert_true(f->res.dags[0].st[0].success_rate == -1);
	assert_true(f->res.dags[0].st[1].median == -1);
}

static void
test_presence(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	dag(&f->s[0], "blue_only", false, true, false);
	dag(&f->s[0], "blue_only_paused", true, true, false);
	dag(&f->s[1], "green_only", false, true, false);
	dag(&f->s[0], "gone_on_green", false, true, false);
	dag(&f->s[1], "gone_on_green", false, false, false);
	dag(&f->s[0], "gone_both", false, false, false);
	dag(&f->s[1], "gone_both", false, false, false);
	build(f);
	assert_int_equal(f->res.ndags, 5);
	x = finding(f, CMP_ONLY_ON, "blue_only");
	assert_non_null(x);
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_int_equal(x->side, CMP_BLUE);
	assert_string_equal(x->detail, "on blue only (green: not listed)");
	x = finding(f, CMP_ONLY_ON, "blue_only_paused");
	assert_int_equal(x->severity, VERDICT_OK);
	assert_string_equal(x->detail,
	    "on blue only, paused there (green: not listed)");
	x = finding(f, CMP_ONLY_ON, "green_only");
	assert_int_equal(x->severity, VERDICT_OK);
	assert_int_equal(x->side, CMP_GREEN);
	assert_string_equal(x->detail, "on green only (blue: not listed)");
	x = finding(f, CMP_ONLY_ON, "gone_on_green");
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_string_equal(x->detail,
	    "on blue only (green: listed but inactive: its file is gone)");
	assert_null(finding(f, CMP_ONLY_ON, "gone_both"));
	assert_null(finding(f, CMP_NOT_COMPARED, "gone_both"));
	assert_int_equal(f->res.nfindings, 4);
	assert_int_equal(f->res.verdict, VERDICT_WARNING);
	/* Worst first, then by DAG. */
	assert_string_equal(f->res.findings[0].dag_id, "blue_only");
	assert_string_equal(f->res.findings[1].dag_id, "gone_on_green");
	assert_string_equal(f->res.findings[2].dag_id, "blue_only_paused");
	assert_string_equal(f->res.findings[3].dag_id, "green_only");
}

static void
test_paused_and_import_errors(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	dag(&f->s[0], "p_green", false, true, false);
	dag(&f->s[1], "p_green", true, true, false);
	dag(&f->s[0], "p_blue", true, true, false);
	dag(&f->s[1], "p_blue", false, true, false);
	dag(&f->s[0], "ie_green", false, true, false);
	dag(&f->s[1], "ie_green", false, true, true);
	dag(&f->s[0], "ie_blue", false, true, true);
	dag(&f->s[1], "ie_blue", false, true, false);
	dag(&f->s[0], "ie_both", true, true, true);
	dag(&f->s[1], "ie_both", true, true, true);
	build(f);
	x = finding(f, CMP_PAUSED_ON, "p_green");
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_string_equal(x->detail, "paused on green only");
	x = finding(f, CMP_PAUSED_ON, "p_blue");
	assert_int_equal(x->severity, VERDICT_OK);
	assert_string_equal(x->detail, "paused on blue only");
	x = finding(f, CMP_IMPORT_ERRORS_ON, "ie_green");
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_string_equal(x->detail, "import errors on green only");
	x = finding(f, CMP_IMPORT_ERRORS_ON, "ie_blue");
	assert_int_equal(x->severity, VERDICT_OK);
	assert_null(finding(f, CMP_PAUSED_ON, "ie_both"));
	assert_null(finding(f, CMP_IMPORT_ERRORS_ON, "ie_both"));
	assert_int_equal(f->res.count[VERDICT_WARNING], 2);
	assert_int_equal(f->res.count[VERDICT_CRITICAL], 0);
}

static void
test_graph(void **state)
{
	static const char *const bt[] = { "extract", "load", "old" };
	static const char *const be[] = { "extract\tload", "extract\told" };
	static const char *const gt[] = { "extract", "load", "new", "z" };
	static const char *const ge[] = { "extract\tload", "load\tnew" };
	struct fx			*f = *state;
	const struct cmp_finding	*x;
	const struct cmp_dag		*d;

	both(f, "changed");
	both(f, "same");
	both(f, "unknown_green");
	both(f, "none_blue");
	shape(&f->s[0], "changed", bt, 3, be, 2, false);
	shape(&f->s[1], "changed", gt, 4, ge, 2, false);
	shape(&f->s[0], "none_blue", bt, 3, be, 2, false);
	shape(&f->s[0], "same", bt, 3, be, 2, false);
	shape(&f->s[0], "unknown_green", bt, 3, be, 2, false);
	shape(&f->s[1], "none_blue", bt, 3, be, 2, false);
	shape(&f->s[1], "same", bt, 3, be, 2, false);
	shape(&f->s[1], "unknown_green", NULL, 0, NULL, 0, true);
	/* Sorted by dag_id, as the sources give them. */
	build(f);
	x = finding(f, CMP_GRAPH, "changed");
	assert_non_null(x);
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_string_equal(x->detail,
	    "task graph differs on green: +2 tasks, -1 task, +1 edge, -1 edge");
	d = x->dag;
	assert_int_equal(d->ntasks_added, 2);
	assert_string_equal(d->tasks_added[0], "new");
	assert_string_equal(d->tasks_added[1], "z");
	assert_string_equal(d->tasks_removed[0], "old");
	assert_string_equal(d->edges_added[0], "load\tnew");
	assert_string_equal(d->edges_removed[0], "extract\told");
	assert_null(finding(f, CMP_GRAPH, "same"));
	assert_null(finding(f, CMP_NOT_COMPARED, "same"));
	x = finding(f, CMP_NOT_COMPARED, "unknown_green");
	assert_int_equal(x->severity, VERDICT_OK);
	assert_string_equal(x->detail,
	    "task graph not compared: not read on green");
	assert_null(finding(f, CMP_GRAPH, "unknown_green"));
	/* none_blue: blue's shape listed, green's too: compared, same. */
	assert_null(finding(f, CMP_NOT_COMPARED, "none_blue"));
	assert_int_equal(f->res.nfindings, 2);
}

static void
test_graph_reverse(void **state)
{
	static const char *const bt[] = { "a", "b" };
	static const char *const be[] = { "a\tb" };
	static const char *const gt[] = { "a" };
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "d");
	shape(&f->s[0], "d", bt, 2, be, 1, false);
	shape(&f->s[1], "d", gt, 1, NULL, 0, false);
	build(f);
	x = finding(f, CMP_GRAPH, "d");
	assert_string_equal(x->detail,
	    "task graph differs on green: -1 task, -1 edge");
	assert_int_equal(x->dag->ntasks_added, 0);
	assert_int_equal(x->dag->nedges_added, 0);
}

static void
test_run_stats(void **state)
{
	struct fx		*f = *state;
	const struct cmp_dag	*d;

	both(f, "a");
	run(&f->s[0], "a", "1", RUN_SUCCESS, T0, 500);
	run(&f->s[0], "a", "2", RUN_SUCCESS, T0 + DAY, 100);
	run(&f->s[0], "a", "3", RUN_FAILED, T0 + 2 * DAY, 400);
	run(&f->s[0], "a", "4", RUN_SUCCESS, T0 + 3 * DAY, 200);
	run(&f->s[0], "a", "5", RUN_SUCCESS, T0 + 4 * DAY, 300);
	run(&f->s[0], "a", "6", RUN_RUNNING, T0 + 5 * DAY, 0);
	run(&f->s[0], "a", "7", RUN_QUEUED, TIME_NONE, 0);
	build(f);
	d = find_dag(f, "a");
	assert_int_equal(d->st[0].runs, 7);
	assert_int_equal(d->st[0].success, 4);
	assert_int_equal(d->st[0].failed, 1);
	assert_int_equal(d->st[0].unfinished, 2);
	assert_int_equal(d->st[0].ndurations, 5);
	assert_true(d->st[0].success_rate == 0.8);
	assert_true(d->st[0].median == 300);
	assert_true(d->st[0].p90 == 500);
	assert_int_equal(d->st[1].runs, 0);
	assert_true(d->st[1].success_rate == -1);
	/* Nothing on green to be worse with. */
	assert_null(finding(f, CMP_DURATION, "a"));
	assert_null(finding(f, CMP_SUCCESS_RATE, "a"));
}

static void
test_duration(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "slow");	/* +40% */
	both(f, "edge");	/* +20% exactly: not beyond */
	both(f, "fast");	/* green faster */
	both(f, "few");		/* too few runs on green */
	runs_ok(&f->s[0], "slow", 3, 600);
	runs_ok(&f->s[1], "slow", 3, 840);
	runs_ok(&f->s[0], "edge", 3, 600);
	runs_ok(&f->s[1], "edge", 3, 720);
	runs_ok(&f->s[0], "fast", 3, 840);
	runs_ok(&f->s[1], "fast", 3, 600);
	runs_ok(&f->s[0], "few", 3, 600);
	runs_ok(&f->s[1], "few", 2, 6000);
	/* The same dates on both, but one side paused: not double. */
	f->s[1].dags.v[0].paused = f->s[1].dags.v[1].paused = true;
	f->s[1].dags.v[2].paused = f->s[1].dags.v[3].paused = true;
	build(f);
	x = finding(f, CMP_DURATION, "slow");
	assert_non_null(x);
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_string_equal(x->detail, "median run 10m00s on blue, 14m00s "
	    "on green (+40%); p90 10m00s and 14m00s");
	assert_null(finding(f, CMP_DURATION, "edge"));
	assert_null(finding(f, CMP_DURATION, "fast"));
	assert_null(finding(f, CMP_DURATION, "few"));
	assert_null(finding(f, CMP_DOUBLE_RUNNING, "slow"));
	/* A lower threshold catches the edge. */
	f->o.threshold = 0.10;
	build(f);
	assert_non_null(finding(f, CMP_DURATION, "edge"));
	/* And the reverse: the same sides swapped, nothing is worse. */
	f->o.threshold = 0.20;
	{
		struct fside tmp = f->s[0];

		f->s[0] = f->s[1];
		f->s[1] = tmp;
	}
	build(f);
	assert_null(finding(f, CMP_DURATION, "slow"));
	assert_non_null(finding(f, CMP_DURATION, "fast"));
}

static void
test_success_rate(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "worse");	/* 100% vs 75%: 25 points */
	both(f, "edge");	/* 100% vs 80%: 20 points, not beyond */
	dag(&f->s[0], "better", true, true, false);
	dag(&f->s[1], "better", true, true, false);
	f->s[1].dags.v[0].paused = f->s[1].dags.v[1].paused = true;
	runs_ok(&f->s[0], "worse", 4, 60);
	run(&f->s[1], "worse", "g1", RUN_SUCCESS, T0 + 10 * DAY, 60);
	run(&f->s[1], "worse", "g2", RUN_SUCCESS, T0 + 11 * DAY, 60);
	run(&f->s[1], "worse", "g3", RUN_SUCCESS, T0 + 12 * DAY, 60);
	run(&f->s[1], "worse", "g4", RUN_FAILED, T0 + 13 * DAY, 60);
	runs_ok(&f->s[0], "edge", 5, 60);
	runs_ok(&f->s[1], "edge", 4, 60);
	run(&f->s[1], "edge", "g5", RUN_FAILED, T0 + 14 * DAY, 60);
	run(&f->s[0], "better", "b1", RUN_FAILED, T0, 60);
	run(&f->s[0], "better", "b2", RUN_FAILED, T0 + DAY, 60);
	run(&f->s[0], "better", "b3", RUN_FAILED, T0 + 2 * DAY, 60);
	runs_ok(&f->s[1], "better", 3, 60);
	build(f);
	x = finding(f, CMP_SUCCESS_RATE, "worse");
	assert_non_null(x);
	assert_string_equal(x->detail,
	    "success rate 100% on blue (4/4), 75% on green (3/4)");
	assert_null(finding(f, CMP_SUCCESS_RATE, "edge"));
	assert_null(finding(f, CMP_SUCCESS_RATE, "better"));
	/* Different dates: no pairing, so no failure where blue succeeded. */
	assert_null(finding(f, CMP_FAILS, "worse"));
	assert_null(finding(f, CMP_FAILS, "better"));
}

static void
test_fails_where_blue_succeeded(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "a");
	f->s[1].dags.v[0].paused = true;
	/* Day 0: blue ok, green failed: counted. */
	run(&f->s[0], "a", "b0", RUN_SUCCESS, T0, 60);
	run(&f->s[1], "a", "g0", RUN_FAILED, T0, 60);
	/* Day 1: green failed, then a manual run succeeded: not. */
	run(&f->s[0], "a", "b1", RUN_SUCCESS, T0 + DAY, 60);
	run(&f->s[1], "a", "g1", RUN_FAILED, T0 + DAY, 60);
	run(&f->s[1], "a", "g1b", RUN_SUCCESS, T0 + DAY, 60);
	/* Day 2: the reverse (blue failed, green ok): not. */
	run(&f->s[0], "a", "b2", RUN_FAILED, T0 + 2 * DAY, 60);
	run(&f->s[1], "a", "g2", RUN_SUCCESS, T0 + 2 * DAY, 60);
	/* Day 3 (12:00): both; then runs without a logical date: never pair. */
	run(&f->s[0], "a", "b3", RUN_SUCCESS, T0 + 3 * DAY + 43200, 60);
	run(&f->s[1], "a", "g3", RUN_FAILED, T0 + 3 * DAY + 43200, 60);
	run(&f->s[0], "a", "bm", RUN_SUCCESS, TIME_NONE, 60);
	run(&f->s[1], "a", "gm", RUN_FAILED, TIME_NONE, 60);
	build(f);
	x = finding(f, CMP_FAILS, "a");
	assert_non_null(x);
	assert_int_equal(x->severity, VERDICT_WARNING);
	assert_int_equal(x->dag->fails, 2);
	assert_int_equal(x->dag->both_dates, 4);
	assert_string_equal(x->detail, "failed on green where blue "
	    "succeeded: 2 logical dates, the first 2026-11-20");
	/* Green paused: dates in common are not double running. */
	assert_null(finding(f, CMP_DOUBLE_RUNNING, "a"));
}

static void
test_double_running(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "twice");
	both(f, "apart");	/* unpaused both, different dates */
	both(f, "manual");	/* only runs without a logical date */
	run(&f->s[0], "twice", "b0", RUN_SUCCESS, T0, 60);
	run(&f->s[0], "twice", "b1", RUN_SUCCESS, T0 + DAY, 60);
	run(&f->s[1], "twice", "g1", RUN_RUNNING, T0 + DAY, 0);
	run(&f->s[1], "twice", "g2", RUN_SUCCESS, T0 + 2 * DAY + 3600, 60);
	run(&f->s[0], "twice", "b2", RUN_SUCCESS, T0 + 2 * DAY + 3600, 60);
	run(&f->s[0], "apart", "b0", RUN_SUCCESS, T0, 60);
	run(&f->s[1], "apart", "g0", RUN_SUCCESS, T0 + 1, 60);
	run(&f->s[0], "manual", "b0", RUN_SUCCESS, TIME_NONE, 60);
	run(&f->s[1], "manual", "g0", RUN_SUCCESS, TIME_NONE, 60);
	build(f);
	x = finding(f, CMP_DOUBLE_RUNNING, "twice");
	assert_non_null(x);
	assert_int_equal(x->severity, VERDICT_CRITICAL);
	assert_string_equal(x->detail, "unpaused on both sides, and both ran "
	    "2 logical dates (2026-11-21 to 2026-11-22T01:00): the work is "
	    "done twice");
	assert_null(finding(f, CMP_DOUBLE_RUNNING, "apart"));
	assert_null(finding(f, CMP_DOUBLE_RUNNING, "manual"));
	assert_int_equal(f->res.verdict, VERDICT_CRITICAL);
	assert_int_equal(f->res.findings[0].kind, CMP_DOUBLE_RUNNING);
	/* Paused on blue: no longer. */
	f->s[0].dags.v[0].paused = true;
	build(f);
	assert_null(finding(f, CMP_DOUBLE_RUNNING, "twice"));
	assert_int_equal(f->res.verdict, VERDICT_OK);
}

static void
test_tasks(void **state)
{
	struct fx	*f = *state;

	f->o.top_tasks = 3;
	both(f, "d");
	/* +50% median: worse, score 0.5. */
	task(&f->s[0], "d", "a_slow", 10, 0, 100);
	task(&f->s[1], "d", "a_slow", 10, 0, 150);
	/* Failures 1 -> 4: +300%, score 3. */
	task(&f->s[0], "d", "b_fails", 10, 1, 100);
	task(&f->s[1], "d", "b_fails", 10, 4, 100);
	/* -50%: better, score 0.5 (a tie with a_slow: by id). */
	task(&f->s[0], "d", "c_fast", 10, 0, 100);
	task(&f->s[1], "d", "c_fast", 10, 0, 50);
	/* Too few on blue: not listed. */
	task(&f->s[0], "d", "d_few", 2, 0, 100);
	task(&f->s[1], "d", "d_few", 10, 9, 900);
	/* +10%: listed only past the top 3. */
	task(&f->s[0], "d", "e_bit", 10, 0, 100);
	task(&f->s[1], "d", "e_bit", 10, 0, 110);
	/* On one side only, and unchanged: not listed. */
	task(&f->s[0], "d", "f_blue", 10, 0, 100);
	task(&f->s[0], "d", "g_same", 10, 0, 100);
	task(&f->s[1], "d", "g_same", 10, 0, 100);
	build(f);
	assert_int_equal(f->res.ntasks, 3);
	assert_string_equal(f->res.tasks[0].task_id, "b_fails");
	assert_true(f->res.tasks[0].failed_change == 3.0);
	assert_string_equal(f->res.tasks[1].task_id, "a_slow");
	assert_true(f->res.tasks[1].median_change == 0.5);
	assert_string_equal(f->res.tasks[2].task_id, "c_fast");
	assert_true(f->res.tasks[2].median_change == -0.5);
	assert_false(f->res.tasks[2].worse);
	assert_int_equal(f->res.count[VERDICT_WARNING], 2);
	assert_string_equal(f->res.findings[0].subject, "a_slow");
	assert_string_equal(f->res.findings[0].detail, "task median 1m40s on "
	    "blue, 2m30s on green; failed 0 of 10 on blue, 0 of 10 on green");
	assert_string_equal(f->res.findings[1].subject, "b_fails");
	/* No failures on blue, one on green: +100%, worse. */
	f->o.top_tasks = 10;
	f->s[1].tasks.v[5].failed = 1;	/* g_same */
	build(f);
	assert_int_equal(f->res.ntasks, 5);
	assert_string_equal(f->res.tasks[1].task_id, "g_same");
	assert_true(f->res.tasks[1].worse);
	assert_true(f->res.tasks[1].failed_change == 1.0);
	assert_string_equal(f->res.tasks[4].task_id, "e_bit");
	assert_false(f->res.tasks[4].worse);
}

static void
test_slas(void **state)
{
	struct fx			*f = *state;
	const struct cmp_finding	*x;

	both(f, "a");
	both(f, "b");
	shape(&f->s[0], "a", NULL, 0, NULL, 0, false);
	shape(&f->s[0], "b", NULL, 0, NULL, 0, false);
	shape(&f->s[1], "a", NULL, 0, NULL, 0, false);
	shape(&f->s[1], "b", NULL, 0, NULL, 0, false);
	sla(&f->s[0], &sla_a, 7, 0, 0, 0, false);
	sla(&f->s[1], &sla_a, 5, 1, 0, 1, false);
	sla(&f->s[0], &sla_b, 5, 2, 0, 0, false);
	sla(&f->s[1], &sla_b, 7, 0, 0, 0, false);
	build(f);
	assert_int_equal(f->res.nslas, 2);
	assert_int_equal(f->res.slas[0].missed[0], 0);
	assert_int_equal(f->res.slas[0].missed[1], 2);
	assert_true(f->res.slas[0].worse);
	assert_false(f->res.slas[1].worse);
	x = finding(f, CMP_SLA, "a");
	assert_non_null(x);
	assert_string_equal(x->subject, "a_by_ten");
	assert_string_equal(x->detail, "blue 7 met, 0 late, 0 failed, "
	    "0 missing (100%); green 5 met, 1 late, 0 failed, 1 missing (71%)");
	assert_null(finding(f, CMP_SLA, "b"));
	/* Green does not know the DAG: worse; blue neither: not compared. */
	f->s[1].slas[1].unknown_dag = true;
	build(f);
	x = finding(f, CMP_SLA, "b");
	assert_string_equal(x->detail, "blue 5 met, 2 late, 0 failed, "
	    "0 missing (71%); green does not know the DAG");
	f->s[0].slas[1].unknown_dag = true;
	build(f);
	assert_null(finding(f, CMP_SLA, "b"));
	x = finding(f, CMP_NOT_COMPARED, "b");
	assert_int_equal(x->severity, VERDICT_OK);
}

static void
test_hostile_ids(void **state)
{
	static const char *const t[] = { "t\x1b]52;c;QUJD\x07" };
	struct fx	*f = *state;
	const char	*evil = "x\x1b[2J\n|*[a](javascript:1)";
	size_t		 i;

	dag(&f->s[0], evil, false, true, false);
	both(f, "\xff\xfe");
	shape(&f->s[0], "\xff\xfe", t, 1, NULL, 0, false);
	shape(&f->s[1], "\xff\xfe", NULL, 0, NULL, 0, false);
	task(&f->s[0], evil, t[0], 5, 0, 10);
	task(&f->s[1], evil, t[0], 5, 5, 10);
	build(f);
	assert_int_equal(f->res.ndags, 2);
	/* The ids stay as they were, for the writers; no detail holds them. */
	for (i = 0; i < f->res.nfindings; i++) {
		const char *d = f->res.findings[i].detail;

		assert_null(strchr(d, '\x1b'));
		assert_null(strchr(d, '\n'));
		assert_null(strstr(d, "javascript"));
	}
	assert_non_null(finding(f, CMP_ONLY_ON, evil));
	assert_non_null(finding(f, CMP_GRAPH, "\xff\xfe"));
	assert_string_equal(find_dag(f, "\xff\xfe")->tasks_removed[0], t[0]);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(cmp_kind_name(CMP_DOUBLE_RUNNING),
	    "double_running");
	assert_string_equal(cmp_kind_name(CMP_NOT_COMPARED), "not_compared");
	assert_string_equal(cmp_kind_name(CMP_NKINDS), "?");
	assert_string_equal(cmp_side_name(CMP_BLUE), "blue");
	assert_string_equal(cmp_side_name(CMP_GREEN), "green");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentile),
		T(test_empty),
		T(test_presence),
		T(test_paused_and_import_errors),
		T(test_graph),
		T(test_graph_reverse),
		T(test_run_stats),
		T(test_duration),
		T(test_success_rate),
		T(test_fails_where_blue_succeeded),
		T(test_double_running),
		T(test_tasks),
		T(test_slas),
		T(test_hostile_ids),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
