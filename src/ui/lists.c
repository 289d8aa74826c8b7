/*
 * lists.c: what the panes list, derived from the snapshot: the DAG list in
 * its filter and sort order, the runs per DAG, and the task lines with
 * unfolded mapped tasks.  No I/O: a new snapshot or a new filter rebuilds
 * them, keeping the selection by id.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"

static const char *const sort_names[SORT_COUNT] = {
	[SORT_ATTENTION] = "attention", [SORT_NAME] = "name",
	[SORT_STARTED] = "started", [SORT_DURATION] = "duration",
};

/* What the DAG list is sorted by, computed once per DAG. */
struct dag_key {
	size_t		 idx;
	const char	*dag_id;
	int		 rank;		/* failing 0, running 1, queued 2, else 3 */
	double		 started;
	double		 took;
};

static enum sort_key	sort_by;	/* qsort has no context argument */
static bool		sort_rev;

/* The last (oldest) run of dag_id in the snapshot, or NULL. */
static const struct af_run *
snapshot_last(const struct console *c, const char *dag_id)
{
	const struct af_run	*last = NULL;
	size_t			 i;

	/* Sorted by dag_id, newest first: the last of its block. */
	for (i = 0; i < c->snap.runs.n; i++)
		if (strcmp(c->snap.runs.v[i].dag_id, dag_id) == 0)
			last = &c->snap.runs.v[i];
	return last;
}

/*
 * Whether runs between the snapshot's last run (NULL: none) and the older
 * store are missing: the store holds none of it, and begins older.
 */
static bool
older_gap(const struct older_runs *o, const struct af_run *last)
{
	size_t i;

	if (last == NULL || o->runs.n == 0 ||
	    af_run_cmp_newest(&o->runs.v[0], last) <= 0)
		return false;
	for (i = 0; i < o->runs.n; i++)
		if (af_run_cmp_newest(&o->runs.v[i], last) == 0)
			return false;
	return true;
}

const char *
sort_name(enum sort_key k)
{
	return (unsigned)k < SORT_COUNT ? sort_names[k] : "?";
}

int
filter_set(struct filter *f, const char *text, struct buf *err)
{
	struct filter	nf;
	char		msg[256];
	const char	*pat;
	int		rc;

	memset(&nf, 0, sizeof nf);
	if (text == NULL || *text == '\0' || strcmp(text, "!") == 0) {
		filter_clear(f);
		return 0;
	}
	if (filter_spec_parse(text, &nf.spec, err) != 0)
		return -1;
	pat = nf.spec.pattern;
	nf.invert = pat[0] == '!';
	if (strcmp(pat, "") != 0 && strcmp(pat, "!") != 0) {
		rc = regcomp(&nf.re, pat + (nf.invert ? 1 : 0),
		    REG_EXTENDED | REG_NOSUB | REG_ICASE);
		if (rc != 0) {
			regerror(rc, &nf.re, msg, sizeof msg);
			buf_printf(err, "bad filter: %s", msg);
			filter_spec_free(&nf.spec);
			return -1;
		}
		nf.has_re = true;
	}
	filter_clear(f);
	*f = nf;
	f->on = true;
	f->text = xstrdup(text);
	return 0;
}

void
filter_clear(struct filter *f)
{
	if (f->has_re)
		regfree(&f->re);
	filter_spec_free(&f->spec);
	free(f->text);
	memset(f, 0, sizeof *f);
}

/* True when a or b (b may be NULL) matches, or inverted, neither does. */
bool
filter_match(const struct filter *f, const char *a, const char *b)
{
	bool m;

	if (!f->on || !f->has_re)
		return true;
	m = (a != NULL && regexec(&f->re, a, 0, NULL, 0) == 0) ||
	    (b != NULL && regexec(&f->re, b, 0, NULL, 0) == 0);
	return f->invert ? !m : m;
}

bool
filter_match_ti(const struct filter *f, enum ti_state st)
{
	return !f->on || filter_spec_ti(&f->spec, st);
}

bool
filter_match_run(const struct filter *f, enum run_state st)
{
	return !f->on || filter_spec_run(&f->spec, st);
}

/*
 * The order of the DAG list: by attention (failing, running, queued first),
 * name, latest start (newest first) or latest duration (longest first);
 * ties by name.
 */
static int
cmp_dag_key(const void *x, const void *y)
{
	const struct dag_key *a = x, *b = y;
	int r = 0;

	switch (sort_by) {
	case SORT_ATTENTION:
		r = a->rank - b->rank;
		break;
	case SORT_STARTED:
		r = a->started > b->started ? -1 : a->started < b->started;
		break;
	case SORT_DURATION:
		r = a->took > b->took ? -1 : a->took < b->took;
		break;
	default:
		break;
	}
	if (r == 0)
		r = strcmp(a->dag_id, b->dag_id);
	return sort_rev ? -r : r;
}

/*
 * Each DAG's newest run, for the list's filter and sort: the snapshot's
 * runs are grouped by dag_id, newest first, so one pass puts each group's
 * first in a hash table by dag_id.  A lookup each then, where a binary
 * search through the runs for each of 20,000 DAGs missed the cache at
 * every step (60 ms of every refresh).
 */
struct newest {
	const struct af_run	**slot;
	size_t			  mask;
};

static void
newest_build(const struct console *c, struct newest *ix)
{
	const struct af_runs	*rs = &c->snap.runs;
	size_t			 n = 16, i, h;

	while (n < 2 * rs->n)
		n *= 2;
	ix->slot = xcalloc(n, sizeof *ix->slot);
	ix->mask = n - 1;
	for (i = 0; i < rs->n; i++) {
		if (i > 0 && strcmp(rs->v[i - 1].dag_id, rs->v[i].dag_id) == 0)
			continue;
		for (h = (size_t)str_hash(rs->v[i].dag_id) & ix->mask;
		    ix->slot[h] != NULL; h = (h + 1) & ix->mask)
			;
		ix->slot[h] = &rs->v[i];
	}
}

/*
 * dag_id's newest run, or NULL; console_dag_runs's first (an older page
 * of the open DAG only when the snapshot has none of its runs).
 */
static const struct af_run *
newest_find(const struct console *c, const struct newest *ix,
    const char *dag_id)
{
	const struct af_run	*r[1];
	size_t			 h;

	for (h = (size_t)str_hash(dag_id) & ix->mask; ix->slot[h] != NULL;
	    h = (h + 1) & ix->mask)
		if (strcmp(ix->slot[h]->dag_id, dag_id) == 0)
			return ix->slot[h];
	if (c->older.dag_id == NULL || strcmp(c->older.dag_id, dag_id) != 0)
		return NULL;
	return console_dag_runs(c, dag_id, r, 1) == 1 ? r[0] : NULL;
}

/* Sorts c->dag_order: keys computed once, then qsort (2,000 DAGs: ~1 ms). */
static void
sort_dags(struct console *c, const struct newest *ix)
{
	struct dag_key		*k = xcalloc(c->ndag_order + 1, sizeof *k);
	const struct af_run	*r;
	size_t			 i;

	for (i = 0; i < c->ndag_order; i++) {
		k[i].idx = c->dag_order[i];
		k[i].dag_id = c->snap.dags.v[k[i].idx].dag_id;
		k[i].rank = 3;
		k[i].started = -1e18;
		k[i].took = -1;
		if ((r = newest_find(c, ix, k[i].dag_id)) != NULL) {
			k[i].rank = r->state == RUN_FAILED ? 0 :
			    r->state == RUN_RUNNING ? 1 :
			    r->state == RUN_QUEUED ? 2 : 3;
			if (r->start_date != TIME_NONE)
				k[i].started = (double)r->start_date;
			k[i].took = af_run_duration(r, c->snap.health.now);
		}
	}
	sort_by = c->sort;
	sort_rev = c->sort_reverse;
	qsort(k, c->ndag_order, sizeof *k, cmp_dag_key);
	for (i = 0; i < c->ndag_order; i++)
		c->dag_order[i] = k[i].idx;
	free(k);
}

/*
 * The older pages read for dag_id after the snapshot's n runs in out:
 * those older than the snapshot's last (the store begins with a copy of
 * the snapshot's runs when the first page was asked for, so newer runs
 * that pushed some out of the snapshot since leave no hole, up to a
 * snapshot's worth; older_gap says when they did).
 */
static size_t
older_after(const struct console *c, const char *dag_id,
    const struct af_run **out, size_t n, size_t max)
{
	const struct older_runs	*o = &c->older;
	size_t			 i;

	if (o->dag_id == NULL || strcmp(o->dag_id, dag_id) != 0 ||
	    older_gap(o, n > 0 ? out[n - 1] : NULL))
		return n;
	for (i = 0; i < o->runs.n && n < max; i++)
		if (n == 0 || af_run_cmp_newest(&o->runs.v[i], out[n - 1]) > 0)
			out[n++] = &o->runs.v[i];
	return n;
}

size_t
console_dag_runs(const struct console *c, const char *dag_id,
    const struct af_run **out, size_t max)
{
	size_t lo = 0, hi = c->snap.runs.n, mid, n = 0;

	/* runs are sorted by dag_id (bytewise), newest first within a DAG. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(c->snap.runs.v[mid].dag_id, dag_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < c->snap.runs.n && n < max &&
	    strcmp(c->snap.runs.v[lo].dag_id, dag_id) == 0)
		out[n++] = &c->snap.runs.v[lo++];
	return older_after(c, dag_id, out, n, max);
}

static int
cmp_run(const void *x, const void *y)
{
	const struct af_run *a = x, *b = y;
	int c = strcmp(a->dag_id, b->dag_id);

	if (c != 0)
		return c;
	return af_run_cmp_newest(a, b);
}

/*
 * Whether DAG i of the snapshot is in the DAG list: active, its id or
 * owners match the filter, and its latest run's state its state: words
 * (a DAG without runs has no state to pass them).
 */
static bool
dag_passes(const struct console *c, size_t i, const struct af_run *newest)
{
	const struct af_dag *d = &c->snap.dags.v[i];

	if (!d->active || !filter_match(&c->dag_filter, d->dag_id, d->owners))
		return false;
	if (!c->dag_filter.on || !c->dag_filter.spec.states)
		return true;
	return newest != NULL && filter_match_run(&c->dag_filter,
	    newest->state);
}

bool
console_dag_passes(const struct console *c, size_t i)
{
	const struct af_run *r[1];

	return dag_passes(c, i, console_dag_runs(c, c->snap.dags.v[i].dag_id,
	    r, 1) == 1 ? r[0] : NULL);
}

/* The DAG list from the snapshot, filter and sort; selection kept by id. */
void
console_rebuild_dag_order(struct console *c, const char *keep)
{
	struct newest	ix;
	size_t		i;

	newest_build(c, &ix);
	free(c->dag_order);
	c->dag_order = xcalloc(c->snap.dags.n + 1, sizeof *c->dag_order);
	c->ndag_order = 0;
	c->dag_id_max = c->dag_state_max = c->dag_state_brief_max = 0;
	for (i = 0; i < c->snap.dags.n; i++) {
		const char		*id = c->snap.dags.v[i].dag_id;
		const struct af_run	*r = newest_find(c, &ix, id);
		size_t			 len;

		if (!dag_passes(c, i, r))
			continue;
		c->dag_order[c->ndag_order++] = i;
		if ((len = strlen(id)) > c->dag_id_max)
			c->dag_id_max = len;
		if (r == NULL)
			continue;
		if ((len = strlen(run_state_name(r->state))) >
		    c->dag_state_max)
			c->dag_state_max = len;
		if ((len = strlen(run_state_brief(r->state))) >
		    c->dag_state_brief_max)
			c->dag_state_brief_max = len;
	}
	sort_dags(c, &ix);
	free(ix.slot);
	c->dag_sel = 0;
	for (i = 0; keep != NULL && i < c->ndag_order; i++)
		if (strcmp(c->snap.dags.v[c->dag_order[i]].dag_id, keep) == 0)
			break;
	if (keep != NULL && i < c->ndag_order)
		c->dag_sel = i;
	else if (keep != NULL && c->runs_level == 1)
		/* The open DAG is gone from the list: never another's runs. */
		c->runs_level = 0;
	if (c->runs_level == 1 && c->ndag_order == 0)
		c->runs_level = 0;
}

char *
console_selected_dag(const struct console *c)
{
	if (c->ndag_order > 0 && c->dag_sel < c->ndag_order)
		return xstrdup(c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id);
	return NULL;
}

static bool
is_unfolded(const struct console *c, const char *task_id)
{
	size_t i;

	for (i = 0; i < c->nunfolded; i++)
		if (strcmp(c->unfolded[i], task_id) == 0)
			return true;
	return false;
}

/*
 * The task lines shown: the rows the task filter lets through, each
 * unfolded mapped row followed by a line per instance.
 */
void
console_rebuild_task_vis(struct console *c)
{
	size_t	i, cap = 1;
	int	k;

	for (i = 0; i < c->detail.rows.n; i++)
		cap += 1 + c->detail.rows.v[i].nti;
	free(c->task_vis);
	c->task_vis = xcalloc(cap, sizeof *c->task_vis);
	c->ntask_vis = 0;
	for (i = 0; i < c->detail.rows.n; i++) {
		const struct task_row *r = &c->detail.rows.v[i];

		if (!filter_match(&c->task_filter, r->ti->task_id,
		    r->ti->operator) || !filter_match_ti(&c->task_filter,
		    r->state))
			continue;
		c->task_vis[c->ntask_vis].row = i;
		c->task_vis[c->ntask_vis++].inst = -1;
		if (r->nti > 1 && is_unfolded(c, r->ti->task_id))
			for (k = 0; k < (int)r->nti; k++) {
				c->task_vis[c->ntask_vis].row = i;
				c->task_vis[c->ntask_vis++].inst = k;
			}
	}
	if (c->task_sel >= c->ntask_vis)
		c->task_sel = c->ntask_vis > 0 ? c->ntask_vis - 1 : 0;
}

const struct task_row *
console_task_row(const struct console *c, size_t i)
{
	if (i >= c->ntask_vis)
		return NULL;
	return &c->detail.rows.v[c->task_vis[i].row];
}

int
console_task_inst(const struct console *c, size_t i)
{
	return i < c->ntask_vis ? c->task_vis[i].inst : -1;
}

void
console_toggle_unfold(struct console *c, size_t line)
{
	const struct task_row	*r = console_task_row(c, line);
	size_t			 i;

	if (r == NULL || r->nti < 2)
		return;
	for (i = 0; i < c->nunfolded; i++) {
		if (strcmp(c->unfolded[i], r->ti->task_id) == 0) {
			free(c->unfolded[i]);
			c->unfolded[i] = c->unfolded[--c->nunfolded];
			console_rebuild_task_vis(c);
			return;
		}
	}
	c->unfolded = xreallocarray(c->unfolded, c->nunfolded + 1,
	    sizeof *c->unfolded);
	c->unfolded[c->nunfolded++] = xstrdup(r->ti->task_id);
	console_rebuild_task_vis(c);
}

/*
 * Runs by dag_id (bytewise), newest first within a DAG: console_dag_runs.
 * An incremental refresh's runs come so already (run_merge): one pass
 * over them says so, where a sort of 20,000 would compare at random.
 */
void
console_sort_runs(struct console *c)
{
	size_t i;

	for (i = 1; i < c->snap.runs.n; i++)
		if (cmp_run(&c->snap.runs.v[i - 1], &c->snap.runs.v[i]) > 0)
			break;
	if (i < c->snap.runs.n)
		qsort(c->snap.runs.v, c->snap.runs.n, sizeof *c->snap.runs.v,
		    cmp_run);
}

/* Whether row i of list k is a failure (k: PANE_RUNS at its level). */
static bool
row_failed(const struct console *c, enum pane_kind k, size_t i)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	const struct task_row	*row;
	enum ti_state		 st;
	int			 inst;

	if (k == PANE_TASKS) {
		if ((row = console_task_row(c, i)) == NULL)
			return false;
		inst = console_task_inst(c, i);
		st = inst >= 0 ? row->ti[inst].state : row->state;
		return st == TI_FAILED || st == TI_UPSTREAM_FAILED;
	}
	if (c->runs_level == 0)
		return console_dag_runs(c, c->snap.dags.v[c->dag_order[i]].dag_id,
		    r, 1) == 1 && r[0]->state == RUN_FAILED;
	return console_run_list(c, r, RUNS_LIST_MAX) > i &&
	    r[i]->state == RUN_FAILED;
}

void
console_next_failed(struct console *c, enum pane_kind k, int dir,
    struct buf *msg)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	size_t			*sel, n, i, step;

	if (k == PANE_TASKS) {
		sel = &c->task_sel;
		n = c->detail.loaded ? c->ntask_vis : 0;
	} else if (k != PANE_RUNS) {
		buf_puts(msg, "next-failed: in the DAG, runs and tasks lists");
		return;
	} else if (c->runs_level == 0) {
		sel = &c->dag_sel;
		n = c->ndag_order;
	} else {
		sel = &c->run_sel;
		n = console_run_list(c, r, RUNS_LIST_MAX);
	}
	for (step = 1; step <= n; step++) {
		i = dir > 0 ? (*sel + step) % n : (*sel + n - step % n) % n;
		if (!row_failed(c, k, i))
			continue;
		if (i == *sel)
			buf_puts(msg, "no other failed row");
		else if (dir > 0 ? i < *sel : i > *sel)
			buf_puts(msg, dir > 0 ? "next-failed: wrapped to the top" :
			    "prev-failed: wrapped to the bottom");
		*sel = i;
		if (k == PANE_TASKS)
			c->show_downstream = false;	/* marked for another */
		if (sel == &c->dag_sel)
			c->dag_chosen = true;
		return;
	}
	buf_puts(msg, "no failed rows");
}

/*
 * The cursor of a run just opened: its first failed task line, else its
 * first upstream_failed or up_for_retry one, else the first line; the
 * on-call engineer opens a run to see what broke.
 */
void
console_select_first_failed_task(struct console *c)
{
	const struct task_row	*row;
	size_t			 i, other = SIZE_MAX;

	c->task_sel = c->task_top = 0;
	for (i = 0; (row = console_task_row(c, i)) != NULL; i++) {
		if (row->state == TI_FAILED) {
			c->task_sel = i;
			return;
		}
		if (other == SIZE_MAX && (row->state == TI_UPSTREAM_FAILED ||
		    row->state == TI_UP_FOR_RETRY))
			other = i;
	}
	if (other != SIZE_MAX)
		c->task_sel = other;
}

/*
 * The task line shown under the cursor, by id: its task id (allocated)
 * and the map index of an instance line (-1 for a whole row); NULL when
 * there is none.
 */
char *
console_selected_task(const struct console *c, int *map_index)
{
	const struct task_row	*row = console_task_row(c, c->task_sel);
	int			 inst = console_task_inst(c, c->task_sel);

	*map_index = inst >= 0 && row != NULL ? row->ti[inst].map_index : -1;
	return row != NULL ? xstrdup(row->ti->task_id) : NULL;
}

/* The cursor back on that line, if it is still shown; else where it was. */
void
console_select_task(struct console *c, const char *task_id, int map_index)
{
	const struct task_row	*row;
	size_t			 i;
	int			 inst, mi;

	for (i = 0; task_id != NULL && (row = console_task_row(c, i)) != NULL;
	    i++) {
		inst = console_task_inst(c, i);
		mi = inst >= 0 ? row->ti[inst].map_index : -1;
		if (mi == map_index && strcmp(row->ti->task_id, task_id) == 0) {
			c->task_sel = i;
			return;
		}
	}
}

char *
console_selected_run(const struct console *c)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	size_t			 n;

	if (c->runs_level != 1)
		return NULL;
	n = console_run_list(c, r, RUNS_LIST_MAX);
	return c->run_sel < n ? xstrdup(r[c->run_sel]->run_id) : NULL;
}

/* A run gone from the list (too old now) leaves the cursor where it was. */
void
console_select_run(struct console *c, const char *run_id)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	size_t			 n, i;

	if (run_id == NULL || c->runs_level != 1)
		return;
	n = console_run_list(c, r, RUNS_LIST_MAX);
	for (i = 0; i < n; i++)
		if (strcmp(r[i]->run_id, run_id) == 0)
			c->run_sel = i;
}

/*
 * The runs list of the open DAG: its runs (console_dag_runs) that pass the
 * runs filter, by run id and run type, and by state.
 */
size_t
console_run_list(const struct console *c, const struct af_run **out,
    size_t max)
{
	size_t i, n, k = 0;

	if (c->ndag_order == 0 || c->dag_sel >= c->ndag_order)
		return 0;
	n = console_dag_runs(c, c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id,
	    out, max);
	for (i = 0; i < n; i++)
		if (filter_match(&c->run_filter, out[i]->run_id,
		    out[i]->run_type) && filter_match_run(&c->run_filter,
		    out[i]->state))
			out[k++] = out[i];
	return k;
}

/* A DAG opened (or the end): its runs list starts unfiltered, unpaged. */
void
console_runs_forget(struct console *c)
{
	filter_clear(&c->run_filter);
	console_older_reset(c);
}

/* The older pages go (another DAG opened, another context). */
void
console_older_reset(struct console *c)
{
	free(c->older.dag_id);
	af_runs_free(&c->older.runs);
	c->older.dag_id = NULL;
	c->older.loading = c->older.end = false;
	c->older.gen++;		/* a read under way is for nothing now */
}

/* A copy of r that owns its strings. */
static void
run_copy(struct af_run *to, const struct af_run *r)
{
	*to = *r;
	to->dag_id = dup_or_null(r->dag_id);
	to->shared_dag_id = false;
	to->run_id = dup_or_null(r->run_id);
	to->state_raw = dup_or_null(r->state_raw);
	to->run_type = dup_or_null(r->run_type);
}

/*
 * Before the next page of dag_id's runs is read: the store is (again) for
 * this DAG and begins with a copy of the snapshot's runs.  NULL when no
 * page is to be read (one is under way, or there is no older run); else
 * the run the page follows, the last the list holds.
 */
const struct af_run *
console_older_begin(struct console *c, const char *dag_id)
{
	const struct af_run	*r[RUNS_LIST_MAX];
	size_t			 n, i;

	n = console_dag_runs(c, dag_id, r, RUNS_LIST_MAX);
	if (c->older.dag_id != NULL && (strcmp(c->older.dag_id, dag_id) != 0 ||
	    older_gap(&c->older, snapshot_last(c, dag_id))))
		console_older_reset(c);
	if (c->older.loading || c->older.end || n == 0 ||
	    n + OLDER_PAGE > RUNS_LIST_MAX)
		return NULL;
	if (c->older.dag_id == NULL) {
		c->older.dag_id = xstrdup(dag_id);
		for (i = 0; i < n; i++)
			run_copy(af_runs_push(&c->older.runs), r[i]);
		return &c->older.runs.v[n - 1];
	}
	return r[n - 1];
}

/* A page read: its runs go after the store's, an empty one ends it. */
void
console_older_add(struct console *c, struct af_runs *page)
{
	size_t i;

	c->older.loading = false;
	c->older.end = page->n == 0;
	for (i = 0; i < page->n; i++) {
		*af_runs_push(&c->older.runs) = page->v[i];
		memset(&page->v[i], 0, sizeof page->v[i]);
	}
	af_runs_free(page);
}
