/*
 * compare.c: blue/green, green judged against blue (compare.h states the
 * rules).  Pure: the facts each side read in, findings out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "timefmt.h"

static const char *const kind_names[CMP_NKINDS] = {
	"double_running", "only_on", "paused_on", "import_errors_on", "graph",
	"fails_where_blue_succeeded", "success_rate", "duration", "task",
	"sla", "not_compared"
};

const char *
cmp_kind_name(enum cmp_kind k)
{
	return (unsigned)k < CMP_NKINDS ? kind_names[k] : "?";
}

const char *
cmp_side_name(enum cmp_which w)
{
	return w == CMP_BLUE ? "blue" : "green";
}

/*
 * The findings counted, as every writer says them (the report's verdict
 * line, the console's compare window): fixed words and numbers only.
 */
void
cmp_counts_text(struct buf *b, const struct cmp_result *res)
{
	if (res->verdict == VERDICT_UNKNOWN) {
		buf_puts(b, "neither side lists a DAG: nothing to compare");
		return;
	}
	if (res->count[VERDICT_CRITICAL] + res->count[VERDICT_WARNING] == 0)
		buf_printf(b, "no difference that matters in %zu DAG%s",
		    res->ndags, res->ndags == 1 ? "" : "s");
	else
		buf_printf(b, "%zu critical, %zu warning%s",
		    res->count[VERDICT_CRITICAL], res->count[VERDICT_WARNING],
		    res->count[VERDICT_WARNING] == 1 ? "" : "s");
	if (res->count[VERDICT_OK] > 0)
		buf_printf(b, ", %zu note%s", res->count[VERDICT_OK],
		    res->count[VERDICT_OK] == 1 ? "" : "s");
}

void
cmp_options_default(struct cmp_options *o, int64_t since, int64_t now)
{
	memset(o, 0, sizeof *o);
	o->since = since;
	o->now = now;
	o->threshold = 0.20;
	o->top_tasks = 10;
	o->min_runs = 3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
cmp_percentile(double *v, size_t n, double f)
{
	double	k;
	size_t	i;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof *v, cmp_double);
	k = ceil(f * (double)n);
	i = k < 1 ? 0 : (size_t)k - 1;
	return v[i < n ? i : n - 1];
}

/* ----------------------------------------------------------------------
 * Lining the two sides up.
 */

static int
cmp_dag_ptr(const void *a, const void *b)
{
	const struct af_dag *x = *(const struct af_dag *const *)a;
	const struct af_dag *y = *(const struct af_dag *const *)b;

	return strcmp(x->dag_id, y->dag_id);
}

/*
 * Runs by DAG, then logical date (none first), then run id: a DAG's runs
 * together, and its dates in order for pairing.
 */
static int
cmp_run_ptr(const void *a, const void *b)
{
	const struct af_run *x = *(const struct af_run *const *)a;
	const struct af_run *y = *(const struct af_run *const *)b;
	int c;

	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	if (x->logical_date != y->logical_date)
		return x->logical_date < y->logical_date ? -1 : 1;
	return strcmp(x->run_id ? x->run_id : "", y->run_id ? y->run_id : "");
}

/* A side's DAGs with an id, sorted by it; duplicates keep the first. */
static const struct af_dag **
sorted_dags(const struct af_dags *d, size_t *n)
{
	const struct af_dag	**v;
	size_t			  i, k = 0;

	v = xcalloc(d != NULL && d->n > 0 ? d->n : 1, sizeof *v);
	for (i = 0; d != NULL && i < d->n; i++)
		if (d->v[i].dag_id != NULL)
			v[k++] = &d->v[i];
	qsort(v, k, sizeof *v, cmp_dag_ptr);
	*n = 0;
	for (i = 0; i < k; i++)
		if (*n == 0 || strcmp(v[*n - 1]->dag_id, v[i]->dag_id) != 0)
			v[(*n)++] = v[i];
	return v;
}

static const struct af_run **
sorted_runs(const struct af_runs *r, size_t *n)
{
	const struct af_run	**v;
	size_t			  i;

	*n = 0;
	v = xcalloc(r != NULL && r->n > 0 ? r->n : 1, sizeof *v);
	for (i = 0; r != NULL && i < r->n; i++)
		if (r->v[i].dag_id != NULL)
			v[(*n)++] = &r->v[i];
	qsort(v, *n, sizeof *v, cmp_run_ptr);
	return v;
}

static const struct cmp_shape *
find_shape(const struct cmp_shapes *s, const char *dag_id)
{
	size_t lo = 0, hi = s != NULL ? s->n : 0;

	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	c = strcmp(s->v[mid].dag_id, dag_id);

		if (c == 0)
			return &s->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ----------------------------------------------------------------------
 * Per DAG.
 */

/* The figures of runs[0..n) (one DAG's). */
static void
run_stats(const struct af_run *const *runs, size_t n, struct cmp_runstats *st)
{
	double	*d = xcalloc(n > 0 ? n : 1, sizeof *d);
	size_t	 i;

	memset(st, 0, sizeof *st);
	st->runs = n;
	for (i = 0; i < n; i++) {
		const struct af_run *r = runs[i];

		if (r->state == RUN_SUCCESS)
			st->success++;
		else if (r->state == RUN_FAILED)
			st->failed++;
		else
			st->unfinished++;
		if ((r->state == RUN_SUCCESS || r->state == RUN_FAILED) &&
		    r->start_date != TIME_NONE && r->end_date != TIME_NONE &&
		    r->end_date >= r->start_date)
			d[st->ndurations++] =
			    (double)(r->end_date - r->start_date);
	}
	st->success_rate = st->success + st->failed > 0 ?
	    (double)st->success / (double)(st->success + st->failed) : -1;
	st->median = cmp_percentile(d, st->ndurations, 0.5);
	st->p90 = cmp_percentile(d, st->ndurations, 0.9);
	free(d);
}

/* What runs of one logical date amount to on a side. */
struct date_state {
	bool	 any, success, failed;
};

static void
date_state(const struct af_run *const *r, size_t n, size_t *i, int64_t date,
    struct date_state *ds)
{
	memset(ds, 0, sizeof *ds);
	for (; *i < n && r[*i]->logical_date == date; (*i)++) {
		ds->any = true;
		ds->success |= r[*i]->state == RUN_SUCCESS;
		ds->failed |= r[*i]->state == RUN_FAILED;
	}
}

/*
 * Pairs one DAG's runs of both sides by logical date (both sorted by it):
 * the dates run on both, and those blue succeeded and green failed
 * without succeeding.
 */
static void
pair_dates(struct cmp_dag *d, const struct af_run *const *b, size_t nb,
    const struct af_run *const *g, size_t ng)
{
	size_t			i = 0, k = 0;
	struct date_state	bs, gs;

	d->first_both = d->last_both = d->first_fail = TIME_NONE;
	while (i < nb && b[i]->logical_date == TIME_NONE)
		i++;
	while (k < ng && g[k]->logical_date == TIME_NONE)
		k++;
	while (i < nb && k < ng) {
		int64_t bd = b[i]->logical_date, gd = g[k]->logical_date;

		if (bd < gd) {
			date_state(b, nb, &i, bd, &bs);
			continue;
		}
		if (gd < bd) {
			date_state(g, ng, &k, gd, &gs);
			continue;
		}
		date_state(b, nb, &i, bd, &bs);
		date_state(g, ng, &k, gd, &gs);
		if (d->both_dates++ == 0)
			d->first_both = bd;
		d->last_both = bd;
		if (bs.success && gs.failed && !gs.success &&
		    d->fails++ == 0)
			d->first_fail = bd;
	}
}

/*
 * The sorted a[0..na) minus the sorted b[0..nb): borrowed pointers into a,
 * in a's order.
 */
static const char **
set_minus(char *const *a, size_t na, char *const *b, size_t nb, size_t *n)
{
	const char	**v = xcalloc(na > 0 ? na : 1, sizeof *v);
	size_t		  i, k = 0;

	*n = 0;
	for (i = 0; i < na; i++) {
		while (k < nb && strcmp(b[k], a[i]) < 0)
			k++;
		if (k < nb && strcmp(b[k], a[i]) == 0)
			continue;
		v[(*n)++] = a[i];
	}
	return v;
}

/* The graph's differences, when both shapes are known. */
static void
diff_graph(struct cmp_dag *d)
{
	const struct cmp_shape *b = d->shape[CMP_BLUE], *g = d->shape[CMP_GREEN];

	if (b == NULL || g == NULL || b->unknown || g->unknown)
		return;
	d->graph_compared = true;
	d->tasks_added = set_minus(g->tasks, g->ntasks, b->tasks, b->ntasks,
	    &d->ntasks_added);
	d->tasks_removed = set_minus(b->tasks, b->ntasks, g->tasks, g->ntasks,
	    &d->ntasks_removed);
	d->edges_added = set_minus(g->edges, g->nedges, b->edges, b->nedges,
	    &d->nedges_added);
	d->edges_removed = set_minus(b->edges, b->nedges, g->edges, g->nedges,
	    &d->nedges_removed);
}

/* ----------------------------------------------------------------------
 * Findings.
 */

static struct cmp_finding *
add_finding(struct cmp_result *res, enum cmp_kind kind, enum verdict sev,
    enum cmp_which side, const struct cmp_dag *d, const char *dag_id,
    const char *subject)
{
	struct cmp_finding *f;

	res->findings = xreallocarray(res->findings, res->nfindings + 1,
	    sizeof *res->findings);
	f = &res->findings[res->nfindings++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->severity = sev;
	f->side = side;
	f->dag = d;
	f->dag_id = dag_id;
	f->subject = subject;
	res->count[sev]++;
	return f;
}

static void
put_pct(struct buf *b, double frac)
{
	buf_printf(b, "%.0f%%", frac * 100);
}

/* A logical date in UTC: "2026-11-22", and "T01:00" when not midnight. */
static void
put_date(struct buf *b, int64_t t)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - day * 86400;

	sla_date_format(day, b);
	if (secs != 0)
		buf_printf(b, "T%02d:%02d", (int)(secs / 3600),
		    (int)(secs / 60 % 60));
}

static void
set_detail(struct cmp_finding *f, struct buf *b)
{
	f->detail = buf_detach(b);
}

/* Presence, pause and import errors (active DAGs only). */
static void
find_presence(struct cmp_result *res, struct cmp_dag *d)
{
	struct buf		 b = BUF_INIT;
	struct cmp_finding	*f;
	enum cmp_which		 on, off;

	if (d->present[CMP_BLUE] != d->present[CMP_GREEN]) {
		on = d->present[CMP_BLUE] ? CMP_BLUE : CMP_GREEN;
		off = on == CMP_BLUE ? CMP_GREEN : CMP_BLUE;
		/* Blue runs it and green would not: a cut-over stops it. */
		f = add_finding(res, CMP_ONLY_ON,
		    on == CMP_BLUE && !d->dag[on]->paused ? VERDICT_WARNING :
		    VERDICT_OK, on, d, d->dag_id, NULL);
		buf_printf(&b, "on %s only%s (%s: %s)", cmp_side_name(on),
		    d->dag[on]->paused ? ", paused there" : "",
		    cmp_side_name(off), d->dag[off] != NULL ?
		    "listed but inactive: its file is gone" : "not listed");
		set_detail(f, &b);
		return;
	}
	if (!d->present[CMP_BLUE])
		return;
	if (d->dag[CMP_BLUE]->paused != d->dag[CMP_GREEN]->paused) {
		on = d->dag[CMP_BLUE]->paused ? CMP_BLUE : CMP_GREEN;
		f = add_finding(res, CMP_PAUSED_ON, on == CMP_GREEN ?
		    VERDICT_WARNING : VERDICT_OK, on, d, d->dag_id, NULL);
		buf_printf(&b, "paused on %s only", cmp_side_name(on));
		set_detail(f, &b);
	}
	if (d->dag[CMP_BLUE]->import_errors !=
	    d->dag[CMP_GREEN]->import_errors) {
		on = d->dag[CMP_BLUE]->import_errors ? CMP_BLUE : CMP_GREEN;
		f = add_finding(res, CMP_IMPORT_ERRORS_ON, on == CMP_GREEN ?
		    VERDICT_WARNING : VERDICT_OK, on, d, d->dag_id, NULL);
		buf_printf(&b, "import errors on %s only", cmp_side_name(on));
		set_detail(f, &b);
	}
}

static void
put_count(struct buf *b, const char *sign, size_t n, const char *what)
{
	if (n == 0)
		return;
	if (b->len > 0)
		buf_puts(b, ", ");
	buf_printf(b, "%s%zu %s%s", sign, n, what, n == 1 ? "" : "s");
}

/* The task graph. */
static void
find_graph(struct cmp_result *res, struct cmp_dag *d)
{
	struct buf		 b = BUF_INIT, c = BUF_INIT;
	struct cmp_finding	*f;

	if (!d->present[CMP_BLUE] || !d->present[CMP_GREEN])
		return;
	if (!d->graph_compared) {
		f = add_finding(res, CMP_NOT_COMPARED, VERDICT_OK,
		    d->shape[CMP_BLUE] == NULL || d->shape[CMP_BLUE]->unknown ?
		    CMP_BLUE : CMP_GREEN, d, d->dag_id, NULL);
		buf_printf(&b, "task graph not compared: not read on %s",
		    d->shape[CMP_BLUE] == NULL || d->shape[CMP_BLUE]->unknown ?
		    (d->shape[CMP_GREEN] == NULL ||
		    d->shape[CMP_GREEN]->unknown ? "either side" : "blue") :
		    "green");
		set_detail(f, &b);
		return;
	}
	if (d->ntasks_added + d->ntasks_removed + d->nedges_added +
	    d->nedges_removed == 0)
		return;
	put_count(&c, "+", d->ntasks_added, "task");
	put_count(&c, "-", d->ntasks_removed, "task");
	put_count(&c, "+", d->nedges_added, "edge");
	put_count(&c, "-", d->nedges_removed, "edge");
	buf_printf(&b, "task graph differs on green: %s", buf_str(&c));
	buf_free(&c);
	f = add_finding(res, CMP_GRAPH, VERDICT_WARNING, CMP_GREEN, d,
	    d->dag_id, NULL);
	set_detail(f, &b);
}

/* Runs: failures where blue succeeded, success rate, duration. */
static void
find_runs(struct cmp_result *res, struct cmp_dag *d,
    const struct cmp_options *o)
{
	const struct cmp_runstats	*b = &d->st[CMP_BLUE], *g = &d->st[CMP_GREEN];
	struct buf			 t = BUF_INIT;
	struct cmp_finding		*f;

	if (!d->present[CMP_BLUE] || !d->present[CMP_GREEN])
		return;
	if (d->fails > 0) {
		f = add_finding(res, CMP_FAILS, VERDICT_WARNING, CMP_GREEN, d,
		    d->dag_id, NULL);
		buf_printf(&t, "failed on green where blue succeeded: %zu "
		    "logical date%s, the first ", d->fails,
		    d->fails == 1 ? "" : "s");
		put_date(&t, d->first_fail);
		set_detail(f, &t);
	}
	if (b->success + b->failed >= o->min_runs &&
	    g->success + g->failed >= o->min_runs &&
	    g->success_rate < b->success_rate - o->threshold - 1e-9) {
		f = add_finding(res, CMP_SUCCESS_RATE, VERDICT_WARNING,
		    CMP_GREEN, d, d->dag_id, NULL);
		buf_puts(&t, "success rate ");
		put_pct(&t, b->success_rate);
		buf_printf(&t, " on blue (%zu/%zu), ", b->success,
		    b->success + b->failed);
		put_pct(&t, g->success_rate);
		buf_printf(&t, " on green (%zu/%zu)", g->success,
		    g->success + g->failed);
		set_detail(f, &t);
	}
	if (b->ndurations >= o->min_runs && g->ndurations >= o->min_runs &&
	    b->median > 0 &&
	    g->median - b->median > b->median * o->threshold + 1e-9) {
		f = add_finding(res, CMP_DURATION, VERDICT_WARNING, CMP_GREEN,
		    d, d->dag_id, NULL);
		buf_puts(&t, "median run ");
		fmt_duration(&t, b->median);
		buf_puts(&t, " on blue, ");
		fmt_duration(&t, g->median);
		buf_printf(&t, " on green (+%.0f%%); p90 ",
		    (g->median / b->median - 1) * 100);
		fmt_duration(&t, b->p90);
		buf_puts(&t, " and ");
		fmt_duration(&t, g->p90);
		set_detail(f, &t);
	}
}

/*
 * Both sides unpaused and running the same logical dates: the same
 * intervals written twice.
 */
static void
find_double(struct cmp_result *res, struct cmp_dag *d)
{
	struct buf		 t = BUF_INIT;
	struct cmp_finding	*f;

	if (!d->present[CMP_BLUE] || !d->present[CMP_GREEN] ||
	    d->dag[CMP_BLUE]->paused || d->dag[CMP_GREEN]->paused ||
	    d->both_dates == 0)
		return;
	f = add_finding(res, CMP_DOUBLE_RUNNING, VERDICT_CRITICAL, CMP_GREEN,
	    d, d->dag_id, NULL);
	buf_printf(&t, "unpaused on both sides, and both ran %zu logical "
	    "date%s (", d->both_dates, d->both_dates == 1 ? "" : "s");
	put_date(&t, d->first_both);
	if (d->last_both != d->first_both) {
		buf_puts(&t, " to ");
		put_date(&t, d->last_both);
	}
	buf_puts(&t, "): the work is done twice");
	set_detail(f, &t);
}

/* ----------------------------------------------------------------------
 * Tasks.
 */

static int
cmp_change(const void *a, const void *b)
{
	const struct cmp_task_change *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if ((c = strcmp(x->dag_id, y->dag_id)) != 0)
		return c;
	return strcmp(x->task_id, y->task_id);
}

static int
cmp_task_key(const struct cmp_task *x, const struct cmp_task *y)
{
	int c = strcmp(x->dag_id, y->dag_id);

	return c != 0 ? c : strcmp(x->task_id, y->task_id);
}

/* One task seen on both sides with enough instances: its change. */
static bool
task_change(const struct cmp_task *b, const struct cmp_task *g,
    const struct cmp_options *o, struct cmp_task_change *c)
{
	memset(c, 0, sizeof *c);
	if (b->n < o->min_runs || g->n < o->min_runs)
		return false;
	c->dag_id = b->dag_id;
	c->task_id = b->task_id;
	c->t[CMP_BLUE] = b;
	c->t[CMP_GREEN] = g;
	c->median_change = b->median > 0 && g->median >= 0 ?
	    (g->median - b->median) / b->median : NAN;
	c->failed_change = ((double)g->failed - (double)b->failed) /
	    (double)(b->failed > 0 ? b->failed : 1);
	c->score = fabs(c->failed_change);
	if (!isnan(c->median_change) && fabs(c->median_change) > c->score)
		c->score = fabs(c->median_change);
	c->worse = (!isnan(c->median_change) &&
	    c->median_change > o->threshold) ||
	    (g->failed > b->failed && c->failed_change > o->threshold);
	return true;
}

/* The tasks on both sides, the top_tasks by change; the worse are found. */
static void
find_tasks(struct cmp_result *res, const struct cmp_tasks *tb,
    const struct cmp_tasks *tg, const struct cmp_options *o)
{
	struct cmp_task_change	*v = NULL;
	size_t			 n = 0, i = 0, k = 0;

	while (tb != NULL && tg != NULL && i < tb->n && k < tg->n) {
		int c = cmp_task_key(&tb->v[i], &tg->v[k]);

		if (c < 0)
			i++;
		else if (c > 0)
			k++;
		else {
			v = xreallocarray(v, n + 1, sizeof *v);
			if (task_change(&tb->v[i], &tg->v[k], o, &v[n]) &&
			    v[n].score > 0)
				n++;
			i++;
			k++;
		}
	}
	if (n > 0)
		qsort(v, n, sizeof *v, cmp_change);
	res->tasks = v;
	res->ntasks = n < o->top_tasks ? n : o->top_tasks;
	for (i = 0; i < res->ntasks; i++) {
		const struct cmp_task_change	*c = &v[i];
		struct buf			 t = BUF_INIT;
		struct cmp_finding		*f;

		if (!c->worse)
			continue;
		f = add_finding(res, CMP_TASK, VERDICT_WARNING, CMP_GREEN, NULL,
		    c->dag_id, c->task_id);
		buf_puts(&t, "task median ");
		fmt_duration(&t, c->t[CMP_BLUE]->median);
		buf_puts(&t, " on blue, ");
		fmt_duration(&t, c->t[CMP_GREEN]->median);
		buf_printf(&t, " on green; failed %zu of %zu on blue, %zu of "
		    "%zu on green", c->t[CMP_BLUE]->failed, c->t[CMP_BLUE]->n,
		    c->t[CMP_GREEN]->failed, c->t[CMP_GREEN]->n);
		set_detail(f, &t);
	}
}

/* ----------------------------------------------------------------------
 * SLAs.
 */

static size_t
missed(const struct sla_eval *ev)
{
	return ev->period.count[SLA_LATE] + ev->period.count[SLA_FAILED] +
	    ev->period.count[SLA_MISSING];
}

static void
put_sla_side(struct buf *t, const struct sla_eval *ev, const char *side)
{
	buf_printf(t, "%s ", side);
	if (ev->unknown_dag) {
		buf_puts(t, "does not know the DAG");
		return;
	}
	buf_printf(t, "%zu met, %zu late, %zu failed, %zu missing",
	    ev->period.count[SLA_MET], ev->period.count[SLA_LATE],
	    ev->period.count[SLA_FAILED], ev->period.count[SLA_MISSING]);
	if (ev->period.compliance >= 0) {
		buf_puts(t, " (");
		put_pct(t, ev->period.compliance);
		buf_putc(t, ')');
	}
}

/*
 * The same SLAs on both sides: green is worse when it missed (late,
 * failed, missing) more days than blue, or does not know a DAG blue does.
 */
static void
find_slas(struct cmp_result *res, const struct cmp_side *blue,
    const struct cmp_side *green)
{
	size_t i, n = blue->nslas < green->nslas ? blue->nslas : green->nslas;

	res->nslas = n;
	res->slas = xcalloc(n > 0 ? n : 1, sizeof *res->slas);
	for (i = 0; i < n; i++) {
		struct cmp_sla		*s = &res->slas[i];
		struct buf		 t = BUF_INIT;
		struct cmp_finding	*f;
		bool			 unknown;

		s->def = blue->slas[i].def;
		s->ev[CMP_BLUE] = &blue->slas[i];
		s->ev[CMP_GREEN] = &green->slas[i];
		s->missed[CMP_BLUE] = missed(s->ev[CMP_BLUE]);
		s->missed[CMP_GREEN] = missed(s->ev[CMP_GREEN]);
		unknown = s->ev[CMP_GREEN]->unknown_dag &&
		    !s->ev[CMP_BLUE]->unknown_dag;
		s->worse = unknown || (!s->ev[CMP_GREEN]->unknown_dag &&
		    s->missed[CMP_GREEN] > s->missed[CMP_BLUE]);
		if (!s->worse && !s->ev[CMP_BLUE]->unknown_dag)
			continue;
		f = add_finding(res, s->worse ? CMP_SLA : CMP_NOT_COMPARED,
		    s->worse ? VERDICT_WARNING : VERDICT_OK, s->worse ?
		    CMP_GREEN : CMP_BLUE, NULL, s->def->dag_id, s->def->name);
		put_sla_side(&t, s->ev[CMP_BLUE], "blue");
		put_sla_side(&t, s->ev[CMP_GREEN], "; green");
		set_detail(f, &t);
	}
}

/* ----------------------------------------------------------------------
 * The whole.
 */

static int
cmp_finding_order(const void *a, const void *b)
{
	const struct cmp_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->dag_id ? x->dag_id : "",
	    y->dag_id ? y->dag_id : "")) != 0)
		return c;
	return strcmp(x->subject ? x->subject : "",
	    y->subject ? y->subject : "");
}

/* The DAGs of both sides, merged by id, with their runs' figures. */
static void
build_dags(struct cmp_result *res, const struct cmp_side *const side[2])
{
	const struct af_dag	**dv[2];
	const struct af_run	**rv[2];
	size_t			  nd[2], nr[2], di[2] = { 0, 0 },
				  ri[2] = { 0, 0 }, w;

	for (w = 0; w < 2; w++) {
		dv[w] = sorted_dags(side[w]->dags, &nd[w]);
		rv[w] = sorted_runs(side[w]->runs, &nr[w]);
	}
	res->dags = xcalloc(nd[0] + nd[1] + 1, sizeof *res->dags);
	while (di[0] < nd[0] || di[1] < nd[1]) {
		struct cmp_dag	*d = &res->dags[res->ndags++];
		const char	*id;
		size_t		 first[2];
		int		 c;

		c = di[0] == nd[0] ? 1 : di[1] == nd[1] ? -1 :
		    strcmp(dv[0][di[0]]->dag_id, dv[1][di[1]]->dag_id);
		id = c <= 0 ? dv[0][di[0]]->dag_id : dv[1][di[1]]->dag_id;
		d->dag_id = id;
		for (w = 0; w < 2; w++) {
			if ((w == 0 && c <= 0) || (w == 1 && c >= 0))
				d->dag[w] = dv[w][di[w]++];
			d->present[w] = d->dag[w] != NULL && d->dag[w]->active;
			d->shape[w] = find_shape(side[w]->shapes, id);
			while (ri[w] < nr[w] &&
			    strcmp(rv[w][ri[w]]->dag_id, id) < 0)
				ri[w]++;
			first[w] = ri[w];
			while (ri[w] < nr[w] &&
			    strcmp(rv[w][ri[w]]->dag_id, id) == 0)
				ri[w]++;
			run_stats(rv[w] + first[w], ri[w] - first[w], &d->st[w]);
		}
		pair_dates(d, rv[0] + first[0], ri[0] - first[0],
		    rv[1] + first[1], ri[1] - first[1]);
		diff_graph(d);
	}
	for (w = 0; w < 2; w++) {
		free(dv[w]);
		free(rv[w]);
	}
}

void
compare_build(struct cmp_result *res, const struct cmp_side *blue,
    const struct cmp_side *green, const struct cmp_options *o)
{
	const struct cmp_side	*side[2] = { blue, green };
	size_t			 i;

	memset(res, 0, sizeof *res);
	res->threshold = o->threshold;
	build_dags(res, side);
	for (i = 0; i < res->ndags; i++) {
		find_double(res, &res->dags[i]);
		find_presence(res, &res->dags[i]);
		find_graph(res, &res->dags[i]);
		find_runs(res, &res->dags[i], o);
	}
	find_tasks(res, blue->tasks, green->tasks, o);
	find_slas(res, blue, green);
	if (res->nfindings > 0)
		qsort(res->findings, res->nfindings, sizeof *res->findings,
		    cmp_finding_order);
	res->verdict = res->count[VERDICT_CRITICAL] > 0 ? VERDICT_CRITICAL :
	    res->count[VERDICT_WARNING] > 0 ? VERDICT_WARNING :
	    res->ndags == 0 ? VERDICT_UNKNOWN : VERDICT_OK;
}

void
cmp_result_free(struct cmp_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++)
		free(res->findings[i].detail);
	free(res->findings);
	for (i = 0; i < res->ndags; i++) {
		free(res->dags[i].tasks_added);
		free(res->dags[i].tasks_removed);
		free(res->dags[i].edges_added);
		free(res->dags[i].edges_removed);
	}
	free(res->dags);
	free(res->tasks);
	free(res->slas);
	memset(res, 0, sizeof *res);
}
