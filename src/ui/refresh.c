/*
 * refresh.c: the console's database.  Reads go into a new snapshot that
 * replaces the old one only when complete, so panes always draw whole
 * data; when the database goes away the last snapshot stays, with its age,
 * and the console reconnects by itself with backoff.  The open run's task
 * instances and graph are read beside the snapshot.
 */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>

#include "airflow_db.h"
#include "app.h"
#include "impactctl.h"
#include "config.h"
#include "logctl.h"
#include "loop.h"
#include "options.h"
#include "runmerge.h"
#include "sched_open.h"
#include "tz.h"
#include "zoneinfo.h"

static void
ids_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
snapshot_free(struct snapshot *s)
{
	ids_free(s->strips, s->nstrips);
	s->strips = NULL;
	s->nstrips = 0;
	af_health_clear(&s->health);
	af_dags_free(&s->dags);
	af_runs_free(&s->runs);
	sla_history_free(&s->sla);
	af_pools_free(&s->pools);
	s->valid = false;
}

/* The new snapshot is whole: it replaces the old, selection kept by id. */
static void
swap_snapshot(struct app *a)
{
	struct console	*c = &a->c;
	/* A DAG nobody chose yet is no aim: the cursor stays on the top row. */
	char		*keep = c->dag_chosen || c->runs_level == 1 ?
			    console_selected_dag(c) : NULL;
	char		*keep_run = console_selected_run(c);

	/* What this refresh did not read stays as it was (read_snapshot). */
	if (!a->next_pools) {
		af_pools_free(&a->next.pools);
		a->next.pools = c->snap.pools;
		memset(&c->snap.pools, 0, sizeof c->snap.pools);
	}
	if (!a->next_sla) {
		sla_history_free(&a->next.sla);
		a->next.sla = c->snap.sla;
		memset(&c->snap.sla, 0, sizeof c->snap.sla);
	} else
		a->sla_at = a->next_at;
	snapshot_free(&c->snap);
	c->snap = a->next;
	memset(&a->next, 0, sizeof a->next);
	c->snap.valid = true;
	c->snap.read_at = (int64_t)time(NULL);
	a->runs_at = a->dags_at = a->next_at;
	if (a->next_full)
		a->full_at = a->next_at;
	console_sort_runs(c);
	console_rebuild_dag_order(c, keep);
	console_select_run(c, keep_run);
	free(keep);
	free(keep_run);
	a->dirty = true;
#ifdef __GLIBC__
	/*
	 * The old snapshot and the query results (megabytes on 2,000 DAGs)
	 * were freed between live strings of the new one: glibc keeps such
	 * holes mapped, and each refresh would leave more.  Give them back.
	 */
	malloc_trim(0);
#endif
	/* Strips the screen shows but this read did not: at once. */
	if (a->strips_timer != NULL)
		loop_timer_set(a->strips_timer, 0);
}

int
app_refresh_every(const struct app *a)
{
	if (sched_context_api(a->c.settings))
		return settings_refresh(a->c.settings);
	return pace_every(&a->pace, settings_refresh(a->c.settings));
}

/*
 * A refresh of the database ended: one slower than slow_refresh doubles
 * the interval, a fast one brings it back (pace.h), and the message line
 * says so unless it says something else.  Through the API the interval
 * stays the setting.  Returns the next interval in seconds.
 */
static int
paced(struct app *a)
{
	const struct settings	*s = a->c.settings;
	enum pace_turn		 t;
	int64_t			 took;

	if (sched_context_api(s))
		return settings_refresh(s);
	t = pace_end(&a->pace, loop_now_ms(), settings_refresh(s),
	    s->slow_refresh, &took);
	if (t != PACE_SAME && a->message.len == 0) {
		pace_say(&a->pace, t, took, settings_refresh(s), &a->message);
		a->message_from_read = true;
	}
	return app_refresh_every(a);
}

static void
read_done(void *arg, const char *err)
{
	struct app	*a = arg;
	bool		 now;
	int		 every;

	if (a->tearing_down)
		return;
	/* What failed was not read: the next refresh reads everything. */
	if (err != NULL)
		a->full_due = true;
	if (err != NULL && a->last_error.len == 0) {
		buf_reset(&a->message);
		buf_puts(&a->message, err);
		a->message_from_read = true;
	}
	if (--a->pending > 0)
		return;
	a->refreshing = false;
	if (err == NULL && a->message.len == 0)
		swap_snapshot(a);
	else if (err == NULL)
		swap_snapshot(a);
	/* A full refresh asked for while this one was in flight: now. */
	now = a->full_due && err == NULL && a->message.len == 0;
	every = paced(a);
	loop_timer_set(a->refresh_timer, now ? 0 : (int64_t)every * 1000);
	a->dirty = true;
}

/* Pools are the slots pane's extra: a refusal must not hold the rest back. */
static void
pools_read(void *arg, const char *err)
{
	(void)err;	/* the pane says "(not read)" */
	read_done(arg, NULL);
}

static void
detail_done(void *arg, const char *err)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	char		*keep;
	int		 keep_mi;

	if (a->tearing_down)
		return;
	if (err != NULL) {
		buf_reset(&a->message);
		buf_puts(&a->message, err);
	}
	if (--a->detail_pending > 0)
		return;
	if (c->detail.run_id == NULL) {
		/* The run was let go (a DAG was opened) while it was read. */
		af_tis_free(&a->next_tis);
		graph_free(c->detail.graph);
		c->detail.graph = NULL;
		return;
	}
	/* The cursor stays on its task, by id; a run just opened: its failure. */
	keep = c->detail.loaded ? console_selected_task(c, &keep_mi) : NULL;
	af_tis_free(&c->detail.tis);
	c->detail.tis = a->next_tis;
	memset(&a->next_tis, 0, sizeof a->next_tis);
	task_rows_free(&c->detail.rows);
	task_rows_build(&c->detail.rows, c->detail.graph, &c->detail.tis);
	console_rebuild_task_vis(c);
	if (c->detail.loaded)
		console_select_task(c, keep, keep_mi);
	else
		console_select_first_failed_task(c);
	free(keep);
	c->detail.loaded = true;
	a->dirty = true;
	logctl_sync(a->logs);
	app_impact_run_loaded(a);
	if (a->rerun_pending) {
		a->rerun_pending = false;
		app_rerun_failed(a);
	}
}

/* The open run as the snapshot has it, or NULL. */
static const struct af_run *
detail_run(const struct console *c)
{
	for (size_t i = 0; c->detail.run_id != NULL && i < c->snap.runs.n; i++) {
		const struct af_run *r = &c->snap.runs.v[i];

		if (strcmp(r->run_id, c->detail.run_id) == 0 &&
		    strcmp(r->dag_id, c->detail.dag_id) == 0)
			return r;
	}
	return NULL;
}

/*
 * Whether a refresh reads the open run's task instances again: while the
 * run is queued or running, once more after it ends or changes (cleared,
 * marked: the strips see it), and when the snapshot does not hold the run
 * (an older run: nothing says it is still).  A finished run that did not
 * move has the task instances it had; a full read reads them anyway.
 */
static bool
detail_stale(const struct app *a)
{
	const struct af_run *r = detail_run(&a->c);

	return !a->detail_asked || r == NULL || !run_state_finished(r->state) ||
	    r->state != a->detail_state || r->end_date != a->detail_end;
}

void
app_fetch_detail(struct app *a, bool with_graph)
{
	struct console		*c = &a->c;
	const struct af_run	*r;

	if (a->db == NULL || !a->connected || c->detail.run_id == NULL ||
	    a->detail_pending > 0)
		return;
	r = detail_run(c);
	a->detail_asked = true;
	a->detail_state = r != NULL ? r->state : RUN_UNKNOWN;
	a->detail_end = r != NULL ? r->end_date : TIME_NONE;
	a->detail_pending = with_graph ? 2 : 1;
	af_tis_free(&a->next_tis);
	sched_fetch_tis(a->db, c->detail.dag_id, c->detail.run_id, &a->next_tis,
	    detail_done, a);
	if (with_graph) {
		graph_free(c->detail.graph);
		c->detail.graph = NULL;
		buf_reset(&c->detail.warnings);
		sched_fetch_graph(a->db, c->detail.dag_id, c->detail.run_id,
		    &c->detail.graph, &c->detail.warnings, detail_done, a);
	}
}

/*
 * How often the SLA panes' runs are read while one shows: an attempt's
 * verdict moves when its run ends, and minutes are the SLAs' grain.
 */
#define SLA_REFRESH	60

/*
 * The SLAs' runs of the trailing weeks, when there are SLAs and a pane
 * shows them (at most every SLA_REFRESH seconds but on a full read).
 * Otherwise the snapshot keeps the last answer (swap_snapshot).
 */
static void
fetch_sla(struct app *a)
{
	int64_t from, to;

	a->next_sla = false;
	if (a->c.sla.n == 0 || (!a->next_full && (!(app_view_has(a,
	    PANE_SLA) || app_view_has(a, PANE_SLA_WEEK)) ||
	    (a->sla_at != 0 && a->next_at - a->sla_at < SLA_REFRESH))))
		return;
	a->next_sla = true;
	sla_panes_window(&a->c.sla, a->c.zone, (int64_t)time(NULL), &from,
	    &to);
	sched_fetch_sla(a->db, a->c.sla.defs, a->c.sla.n, from, to,
	    &a->next.sla, read_done, a);
}

bool
console_strip_known(const struct console *c, const char *dag_id)
{
	return c->snap.strips == NULL || ids_listed((const char *const *)
	    c->snap.strips, c->snap.nstrips, dag_id);
}

/*
 * The DAGs whose strips the screen wants, sorted copies: the DAG list's
 * rows on screen and a page ahead, and the selected DAG (the runs pane
 * shows its runs).  Before the first snapshot, none: the first read
 * gives every DAG's newest run, the order follows, then these.
 */
static char **
wanted_strips(const struct console *c, size_t *n)
{
	size_t	 rows = c->dag_rows > 0 ? c->dag_rows : 24;
	size_t	 from = c->dag_top, to = from + 2 * rows, k = 0;
	char	**v;

	if (!c->snap.valid || from > c->ndag_order)
		from = to = 0;
	if (to > c->ndag_order)
		to = c->ndag_order;
	v = xcalloc(to - from + 2, sizeof *v);
	for (size_t i = from; i < to; i++)
		v[k++] = xstrdup(c->snap.dags.v[c->dag_order[i]].dag_id);
	if (c->snap.valid && c->dag_sel < c->ndag_order &&
	    (c->dag_sel < from || c->dag_sel >= to))
		v[k++] = xstrdup(c->snap.dags.v[c->dag_order[c->dag_sel]].dag_id);
	if (k > 1)
		qsort(v, k, sizeof *v, ids_cmp);
	*n = k;
	return v;
}

/*
 * The DAG list is in: the strips' runs of those DAGs (the source reads
 * the list no second time).  Two reads pend on this one.
 */
static void
dags_read(void *arg, const char *err)
{
	struct app *a = arg;

	if (a->tearing_down)
		return;
	if (err != NULL) {
		read_done(a, err);
		read_done(a, NULL);	/* the runs', never started */
		return;
	}
	a->recent.per_dag = STRIP_RUNS;
	a->recent.dags = &a->next.dags;
	/* The snapshot's runs stay until this read is in (swap_snapshot). */
	/* A DAG came or went (the list's mark moved): the runs whole too. */
	a->recent.prev = a->next_full || a->next.dags.mark !=
	    a->c.snap.dags.mark ? NULL : &a->c.snap.runs;
	a->recent.prev_at = a->runs_at;
	/*
	 * The strips on screen and a page ahead (of a first read of DAGs
	 * that all fit on two pages, all); every other DAG's newest run.
	 */
	a->recent.strips = NULL;
	a->recent.nstrips = 0;
	if (a->c.snap.valid ||
	    a->next.dags.n > 2 * (a->c.dag_rows > 0 ? a->c.dag_rows : 24)) {
		a->next.strips = wanted_strips(&a->c, &a->next.nstrips);
		a->recent.strips = (const char *const *)a->next.strips;
		a->recent.nstrips = a->next.nstrips;
	}
	a->recent.prev_strips = (const char *const *)a->c.snap.strips;
	a->recent.nprev_strips = a->c.snap.nstrips;
	sched_fetch_runs_recent(a->db, &a->recent, &a->next.runs, read_done, a);
	read_done(a, NULL);
}

/*
 * A refresh.  The runs are read whole (next_full) when asked (r, a rerun,
 * a new connection: app_refresh), after a read failed, when there is no
 * snapshot yet, and every full_refresh seconds; between, the source may
 * read only the runs changed since the snapshot's (sched_recent.prev).
 */
static void
read_snapshot(struct app *a)
{
	int64_t now = (int64_t)time(NULL);

	if (a->db == NULL || !a->connected || a->refreshing)
		return;
	if (a->strips_pending) {
		/* It replaces the runs this one would merge into: after it. */
		a->refresh_waits = true;
		return;
	}
	a->refreshing = true;
	pace_begin(&a->pace, loop_now_ms());
	a->next_at = now;
	a->next_full = a->full_due || !a->c.snap.valid || a->full_at == 0 ||
	    now - a->full_at >= a->c.settings->full_refresh;
	a->full_due = false;
	a->pending = 3;
	/* A read's error goes with the next read; what the user did stays. */
	if (a->message_from_read) {
		buf_reset(&a->message);
		a->message_from_read = false;
	}
	snapshot_free(&a->next);
	sched_fetch_health(a->db, &a->next.health, read_done, a);
	if (a->next_full)
		sched_fetch_dags(a->db, &a->next.dags, dags_read, a);
	else
		sched_fetch_dags_since(a->db, &a->c.snap.dags, a->dags_at,
		    &a->next.dags, dags_read, a);
	/*
	 * The pools when the slots pane shows them (app_view_changed); else
	 * they stay as last read, or unread.
	 */
	a->next_pools = app_view_has(a, PANE_SLOTS);
	if (a->next_pools) {
		a->pending++;
		sched_fetch_pools(a->db, &a->next.pools, pools_read, a);
	}
	fetch_sla(a);
	if (a->next_sla)
		a->pending++;
	if (a->next_full || detail_stale(a))
		app_fetch_detail(a, false);
}

/*
 * A view was swapped in: when it shows the pools and they were never
 * read, the next refresh is now (an incremental one), not in a refresh
 * interval's time.
 */
void
app_view_changed(struct app *a)
{
	if (a->refresh_timer != NULL && !a->refreshing &&
	    app_view_has(a, PANE_SLOTS) && !a->c.snap.pools.valid)
		loop_timer_set(a->refresh_timer, 0);
}

void
app_refresh(struct app *a)
{
	a->full_due = true;
	read_snapshot(a);
}

static void
refresh_due(struct loop_timer *t, void *arg)
{
	(void)t;
	read_snapshot(arg);
}

void
app_strips_free(struct app *a)
{
	af_runs_free(&a->strips_out);
	ids_free(a->strips_want, a->nstrips_want);
	a->strips_want = NULL;
	a->nstrips_want = 0;
	a->strips_pending = a->refresh_waits = false;
}

/* The strips the user scrolled to are in: the snapshot's runs now. */
static void
strips_done(void *arg, const char *err)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	char		*keep;

	if (a->tearing_down)
		return;
	a->strips_pending = false;
	if (err != NULL) {
		/* Drawn as unknown until the next refresh reads them. */
		af_runs_free(&a->strips_out);
		ids_free(a->strips_want, a->nstrips_want);
	} else {
		keep = console_selected_dag(c);
		af_runs_free(&c->snap.runs);
		c->snap.runs = a->strips_out;
		ids_free(c->snap.strips, c->snap.nstrips);
		c->snap.strips = a->strips_want;
		c->snap.nstrips = a->nstrips_want;
		a->runs_at = a->strips_at;
		console_sort_runs(c);
		console_rebuild_dag_order(c, keep);
		free(keep);
		a->dirty = true;
	}
	memset(&a->strips_out, 0, sizeof a->strips_out);
	a->strips_want = NULL;
	a->nstrips_want = 0;
	if (a->refresh_waits) {
		a->refresh_waits = false;
		read_snapshot(a);
	}
}

/*
 * Four times a second: when the DAG list shows (or is a page from) DAGs
 * whose strips were not read, one read of them (the changed runs too,
 * merged in), without waiting for the next refresh.
 */
static void
strips_check(struct loop_timer *t, void *arg)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	size_t		 n, i;
	char		**v;

	loop_timer_set(t, 250);
	if (a->db == NULL || !a->connected || a->refreshing ||
	    a->strips_pending || !c->snap.valid || c->snap.strips == NULL)
		return;
	v = wanted_strips(c, &n);
	for (i = 0; i < n && console_strip_known(c, v[i]); i++)
		;
	if (i == n) {
		ids_free(v, n);
		return;
	}
	a->strips_pending = true;
	a->strips_want = v;
	a->nstrips_want = n;
	a->strips_at = (int64_t)time(NULL);
	memset(&a->strips_req, 0, sizeof a->strips_req);
	a->strips_req.per_dag = STRIP_RUNS;
	a->strips_req.dags = &c->snap.dags;
	a->strips_req.prev = &c->snap.runs;
	a->strips_req.prev_at = a->runs_at;
	a->strips_req.strips = (const char *const *)v;
	a->strips_req.nstrips = n;
	a->strips_req.prev_strips = (const char *const *)c->snap.strips;
	a->strips_req.nprev_strips = c->snap.nstrips;
	sched_fetch_runs_recent(a->db, &a->strips_req, &a->strips_out,
	    strips_done, a);
}

static void
schedule_reconnect(struct app *a, const char *why)
{
	a->connected = false;
	a->refreshing = false;
	a->pending = 0;
	a->detail_pending = 0;
	buf_reset(&a->last_error);
	buf_puts(&a->last_error, why);
	a->backoff = a->backoff == 0 ? 1 : a->backoff * 2;
	if (a->backoff > BACKOFF_MAX)
		a->backoff = BACKOFF_MAX;
	a->retry_at = (int64_t)time(NULL) + a->backoff;
	loop_timer_set(a->reconnect_timer, (int64_t)a->backoff * 1000);
	a->dirty = true;
}

static void
db_ready(void *arg, const char *err)
{
	struct app *a = arg;

	if (a->tearing_down)
		return;
	if (err != NULL) {
		schedule_reconnect(a, err);
		return;
	}
	a->connected = true;
	a->backoff = 0;
	buf_reset(&a->last_error);
	free(a->describe);
	{
		struct buf b = BUF_INIT;

		sched_describe(a->db, &b);
		a->describe = buf_detach(&b);
	}
	logctl_set_source(a->logs, a->c.settings, a->db,
	    sched_about(a->db)->major, sched_about(a->db)->ti_history);
	app_refresh(a);
	app_fetch_detail(a, a->c.detail.run_id != NULL);
	depq_connected(a);	/* a question asked while it was down */
}

static void
db_lost(void *arg, const char *err)
{
	struct app *a = arg;

	if (a->tearing_down)
		return;
	schedule_reconnect(a, err);
}

/* The source closed: its reads are gone, and their callbacks with them. */
static void
close_db(struct app *a)
{
	if (a->db != NULL) {
		a->tearing_down = true;
		logctl_forget_db(a->logs);
		sched_free(a->db);
		depq_source_gone(a);
		a->tearing_down = false;
		a->db = NULL;
	}
	app_strips_free(a);
}

void
app_connect(struct app *a)
{
	close_db(a);
	{
		struct buf err = BUF_INIT;

		a->db = sched_open_context(a->loop, a->c.settings, db_ready,
		    db_lost, a, &err);
		if (a->db == NULL)
			/* Settings that cannot work: said, and tried again. */
			schedule_reconnect(a, buf_str(&err));
		buf_free(&err);
	}
}

static void
reconnect_due(struct loop_timer *t, void *arg)
{
	(void)t;
	app_connect(arg);
}

static void
clock_tick(struct loop_timer *t, void *arg)
{
	struct app *a = arg;

	a->dirty = true;	/* the header shows minutes and the data's age */
	loop_timer_set(t, 1000);
}

/*
 * Opens the run c->want_dag, c->want_run in the tasks pane.  Enter moves
 * the focus there; a rerun key on a run does not (focus moves only when
 * the user moves it).
 */
void
app_open_run(struct app *a, bool focus)
{
	struct console *c = &a->c;

	free(c->detail.dag_id);
	free(c->detail.run_id);
	c->detail.dag_id = xstrdup(c->want_dag);
	c->detail.run_id = xstrdup(c->want_run);
	c->detail.loaded = false;
	c->task_sel = c->task_top = 0;
	c->show_downstream = false;
	a->detail_pending = 0;
	app_fetch_detail(a, true);
	if (focus)
		app_focus_kind(a, PANE_TASKS);
}

/*
 * A DAG was opened (its runs in the runs pane): every pane below it, the
 * tasks of a run and its log, goes, so nothing on screen belongs to
 * another DAG and no key acts on one.
 */
void
app_forget_run(struct app *a)
{
	struct console *c = &a->c;

	free(c->detail.dag_id);
	free(c->detail.run_id);
	c->detail.dag_id = c->detail.run_id = NULL;
	af_tis_free(&c->detail.tis);
	graph_free(c->detail.graph);
	c->detail.graph = NULL;
	buf_reset(&c->detail.warnings);
	task_rows_free(&c->detail.rows);
	c->detail.loaded = false;
	console_rebuild_task_vis(c);
	c->task_sel = c->task_top = 0;
	c->show_downstream = false;
	a->rerun_pending = false;
	console_runs_forget(c);	/* a DAG opened: its runs from the start */
	logctl_sync(a->logs);
}

static void
forget_data(struct app *a)
{
	struct console *c = &a->c;

	snapshot_free(&c->snap);
	a->sla_at = 0;
	a->detail_asked = false;
	app_forget_run(a);
	c->ndag_order = 0;
	c->runs_level = 0;
	c->dag_sel = c->dag_top = 0;
	free(a->describe);
	a->describe = NULL;
}

/*
 * :context NAME: the settings of another context of the configuration
 * file (the command line's --database no longer applies), a new
 * connection, and a clean screen.  On any error the current context stays.
 */
void
app_switch_context(struct app *a, const char *name)
{
	struct cli_options	 cli = *a->cli;
	struct settings		*s = xcalloc(1, sizeof *s);
	struct db_params	 p;
	struct db_options	 dbo;
	struct buf		 err = BUF_INIT;
	struct tz		*zone;

	cli.context = name;
	cli.database = NULL;
	cli.all_contexts = false;	/* the overview's list named it */
	unsetenv("DAGTOP_DATABASE");
	memset(&p, 0, sizeof p);
	if (config_resolve(a->config, &cli, s, &err) != 0 ||
	    (!sched_context_api(s) &&
	    db_params_build(options_db(s, &dbo), &p, &err) != 0)) {
		buf_reset(&a->message);
		buf_puts(&a->message, buf_str(&err));
		settings_free(s);
		free(s);
		buf_free(&err);
		return;
	}
	if ((zone = zoneinfo_load(s->timezone, &err)) == NULL) {
		buf_reset(&a->message);
		buf_puts(&a->message, buf_str(&err));
		buf_free(&err);
		db_params_free(&p);
		settings_free(s);
		free(s);
		return;
	}
	db_params_free(&a->params);
	a->params = p;
	tz_free(a->c.zone);
	a->c.zone = zone;
	if (a->settings != NULL && a->settings != a->initial_settings) {
		settings_free(a->settings);
		free(a->settings);
	}
	a->settings = s;
	a->c.settings = s;
	logctl_switch(a->logs, s);	/* its own TLS settings, at once */
	sla_panes_load(&a->c.sla, a->config, s);
	panes_reset(&a->c);	/* cursors of the old context's lists */
	slots_feed_free(a->c.slots);
	a->c.slots = slots_feed_new(a->loop, s, app_mark_dirty, a);
	forget_data(a);
	pace_init(&a->pace);	/* the new context's own refresh */
	a->backoff = 0;
	a->connected = false;
	app_connect(a);
	buf_reset(&a->message);
	buf_printf(&a->message, "context %s", name);
}

/* The refresh, reconnect and clock timers, and the first connection. */
void
app_refresh_start(struct app *a)
{
	a->refresh_timer = loop_timer_new(a->loop, refresh_due, a);
	pace_init(&a->pace);
	a->reconnect_timer = loop_timer_new(a->loop, reconnect_due, a);
	a->clock_timer = loop_timer_new(a->loop, clock_tick, a);
	loop_timer_set(a->clock_timer, 1000);
	a->strips_timer = loop_timer_new(a->loop, strips_check, a);
	loop_timer_set(a->strips_timer, 250);
	if (a->fleet == NULL)
		app_connect(a);	/* the overview connects on Enter */
}

/*
 * Back to the environments overview: the open context's connection
 * closes (the overview reads it through its own), its timers stop and
 * what it read goes; Enter opens a context anew (app_switch_context).
 */
void
app_disconnect(struct app *a)
{
	close_db(a);
	loop_timer_stop(a->refresh_timer);
	loop_timer_stop(a->reconnect_timer);
	a->connected = a->refreshing = false;
	a->pending = a->detail_pending = 0;
	buf_reset(&a->last_error);
	forget_data(a);
}
