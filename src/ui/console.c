/*
 * console.c: the interactive console.  One poll() loop over the terminal,
 * the signal self-pipe, the database socket and timers; a refresh in
 * flight never delays a key.  Reads go into a new snapshot that replaces
 * the old one only when complete, so panes always draw whole data; when
 * the database goes away the last snapshot stays, with its age, and the
 * console reconnects by itself with backoff.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "airflow_db.h"
#include "config.h"
#include "dbconn.h"
#include "logctl.h"
#include "loop.h"
#include "rerun.h"
#include "timefmt.h"
#include "tz.h"
#include "ui.h"
#include "zoneinfo.h"

#define STRIP_RUNS	10
#define BACKOFF_MAX	30

/* Used when no keymap or view file can be read: the shipped defaults. */
static const char builtin_keys[] =
    "bind j down\nbind Down down\nbind k up\nbind Up up\n"
    "bind PageDown page-down\nbind PageUp page-up\nbind g top\n"
    "bind Home top\nbind G bottom\nbind End bottom\nbind Enter enter\n"
    "bind Right enter\nbind q back-or-quit\nbind Esc back\nbind Left back\n"
    "bind Tab next-pane\nbind BTab prev-pane\nbind ? help\n"
    "bind r refresh\nbind d downstream\nbind Q quit\nbind R rerun\n"
    "bind F only-failed\nbind f follow\nbind / filter\nbind : command\n";
static const char builtin_view[] =
    "min-size 60x16\nrow 60%\npane runs 45%\npane tasks 55%\nrow\n"
    "pane log\n";

struct app {
	struct console		 c;
	struct settings		*settings;	/* in force; :context replaces it */
	struct settings		*initial_settings;	/* the caller's */
	const struct config	*config;
	const struct cli_options *cli;
	struct loop		*loop;
	struct db_params	 params;
	struct afdb		*db;
	struct logctl		*logs;		/* the log pane's fetches */
	struct rerun		*rerun;		/* the rerun modal */
	bool			 rerun_pending;	/* when the run's tasks are in */
	bool			 tearing_down;
	bool			 connected;
	int			 backoff;	/* seconds before the next try */
	int64_t			 retry_at;
	struct buf		 last_error;
	struct loop_timer	*refresh_timer;
	struct loop_timer	*reconnect_timer;
	struct loop_timer	*clock_timer;
	int			 pending;	/* reads of the refresh in flight */
	bool			 refreshing;
	struct snapshot		 next;
	int			 detail_pending;
	struct af_tis		 next_tis;
	size_t			 screen;	/* which screen of the view */
	size_t			 focus;		/* pane index in the screen */
	bool			 help;
	bool			 too_small;	/* the last draw said so */
	bool			 quit;
	int			 quit_signal;	/* SIGHUP, SIGTERM, SIGINT */
	bool			 dirty;
	struct buf		 message;
	bool			 message_from_read;	/* an error of a read */
	char			*describe;
	char			*sla_back_view;	/* the view before sla's */
	int			 sigpipe[2];
};

static struct app	*the_app;	/* for the signal handler only */

static void
mark_dirty(void *arg)
{
	((struct app *)arg)->dirty = true;
}

static void	start_refresh(struct app *);
static void	open_run(struct app *, bool);
static enum pane_kind focused_kind(const struct app *);
static void	fetch_detail(struct app *, bool);
static void	connect_db(struct app *);
static void	draw_now(struct app *);
static void	slots_changed(void *);
static void	forget_run(struct app *);

/* --- signals: a self-pipe, so handlers only write a byte ---------------- */

static void
on_signal(int signo)
{
	unsigned char	b = (unsigned char)signo;
	int		saved = errno;

	if (the_app != NULL)
		(void)!write(the_app->sigpipe[1], &b, 1);
	errno = saved;
}

/*
 * A crash must not leave the user's terminal in curses modes: restore it,
 * then die of the same signal.
 */
static void
on_fatal(int signo)
{
	endwin();
	signal(signo, SIG_DFL);
	raise(signo);
}

static void
signal_ready(struct loop_fd *f, int revents, void *arg)
{
	struct app	*a = arg;
	unsigned char	 b[16];
	ssize_t		 n, i;

	(void)f;
	(void)revents;
	while ((n = read(a->sigpipe[0], b, sizeof b)) > 0) {
		for (i = 0; i < n; i++) {
			if (b[i] == SIGWINCH) {
				endwin();
				refresh();
				a->dirty = true;
			} else {
				a->quit = true;
				if (a->quit_signal == 0)
					a->quit_signal = b[i];
				loop_break(a->loop);
			}
		}
	}
}

/* --- data ----------------------------------------------------------------- */

static const char *const sort_names[SORT_COUNT] = {
	[SORT_ATTENTION] = "attention", [SORT_NAME] = "name",
	[SORT_STARTED] = "started", [SORT_DURATION] = "duration",
};

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
	int		rc;

	memset(&nf, 0, sizeof nf);
	if (text == NULL || *text == '\0' || strcmp(text, "!") == 0) {
		filter_clear(f);
		return 0;
	}
	nf.invert = text[0] == '!';
	rc = regcomp(&nf.re, text + (nf.invert ? 1 : 0),
	    REG_EXTENDED | REG_NOSUB | REG_ICASE);
	if (rc != 0) {
		regerror(rc, &nf.re, msg, sizeof msg);
		buf_printf(err, "bad filter: %s", msg);
		return -1;
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
	if (f->on)
		regfree(&f->re);
	free(f->text);
	memset(f, 0, sizeof *f);
}

/* True when a or b (b may be NULL) matches, or inverted, neither does. */
bool
filter_match(const struct filter *f, const char *a, const char *b)
{
	bool m;

	if (!f->on)
		return true;
	m = (a != NULL && regexec(&f->re, a, 0, NULL, 0) == 0) ||
	    (b != NULL && regexec(&f->re, b, 0, NULL, 0) == 0);
	return f->invert ? !m : m;
}

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

/* Sorts c->dag_order: keys computed once, then qsort (2,000 DAGs: ~1 ms). */
static void
sort_dags(struct console *c)
{
	struct dag_key		*k = xcalloc(c->ndag_order + 1, sizeof *k);
	const struct af_run	*r[1];
	size_t			 i;

	for (i = 0; i < c->ndag_order; i++) {
		k[i].idx = c->dag_order[i];
		k[i].dag_id = c->snap.dags.v[k[i].idx].dag_id;
		k[i].rank = 3;
		k[i].started = -1e18;
		k[i].took = -1;
		if (console_dag_runs(c, k[i].dag_id, r, 1) == 1) {
			k[i].rank = r[0]->state == RUN_FAILED ? 0 :
			    r[0]->state == RUN_RUNNING ? 1 :
			    r[0]->state == RUN_QUEUED ? 2 : 3;
			if (r[0]->start_date != TIME_NONE)
				k[i].started = (double)r[0]->start_date;
			k[i].took = af_run_duration(r[0], c->snap.health.now);
		}
	}
	sort_by = c->sort;
	sort_rev = c->sort_reverse;
	qsort(k, c->ndag_order, sizeof *k, cmp_dag_key);
	for (i = 0; i < c->ndag_order; i++)
		c->dag_order[i] = k[i].idx;
	free(k);
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
	return n;
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

static void
snapshot_free(struct snapshot *s)
{
	af_health_clear(&s->health);
	af_dags_free(&s->dags);
	af_runs_free(&s->runs);
	sla_history_free(&s->sla);
	af_pools_free(&s->pools);
	s->valid = false;
}

/* The DAG list from the snapshot, filter and sort; selection kept by id. */
static void
rebuild_dag_order(struct console *c, const char *keep)
{
	size_t i;

	free(c->dag_order);
	c->dag_order = xcalloc(c->snap.dags.n + 1, sizeof *c->dag_order);
	c->ndag_order = 0;
	for (i = 0; i < c->snap.dags.n; i++)
		if (c->snap.dags.v[i].active && filter_match(&c->dag_filter,
		    c->snap.dags.v[i].dag_id, c->snap.dags.v[i].owners))
			c->dag_order[c->ndag_order++] = i;
	sort_dags(c);
	c->dag_sel = 0;
	for (i = 0; keep != NULL && i < c->ndag_order; i++)
		if (strcmp(c->snap.dags.v[c->dag_order[i]].dag_id, keep) == 0)
			c->dag_sel = i;
	if (c->runs_level == 1 && c->ndag_order == 0)
		c->runs_level = 0;
}

static char *
selected_dag(const struct console *c)
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
static void
rebuild_task_vis(struct console *c)
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
		    r->ti->operator))
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
			rebuild_task_vis(c);
			return;
		}
	}
	c->unfolded = xreallocarray(c->unfolded, c->nunfolded + 1,
	    sizeof *c->unfolded);
	c->unfolded[c->nunfolded++] = xstrdup(r->ti->task_id);
	rebuild_task_vis(c);
}

/* The new snapshot is whole: it replaces the old, selection kept by id. */
static void
swap_snapshot(struct app *a)
{
	struct console	*c = &a->c;
	char		*keep = selected_dag(c);

	snapshot_free(&c->snap);
	c->snap = a->next;
	memset(&a->next, 0, sizeof a->next);
	c->snap.valid = true;
	c->snap.read_at = (int64_t)time(NULL);
	qsort(c->snap.runs.v, c->snap.runs.n, sizeof *c->snap.runs.v, cmp_run);
	rebuild_dag_order(c, keep);
	free(keep);
	a->dirty = true;
#ifdef __GLIBC__
	/*
	 * The old snapshot and the query results (megabytes on 2,000 DAGs)
	 * were freed between live strings of the new one: glibc keeps such
	 * holes mapped, and each refresh would leave more.  Give them back.
	 */
	malloc_trim(0);
#endif
}

static void
read_done(void *arg, const char *err)
{
	struct app *a = arg;

	if (a->tearing_down)
		return;
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
	loop_timer_set(a->refresh_timer, (int64_t)a->c.settings->refresh * 1000);
	a->dirty = true;
}

/* The rerun of a failed run: its failed tasks, each with its downstream. */
static void
rerun_failed_tasks(struct app *a)
{
	struct console	*c = &a->c;
	const char	**ids = xcalloc(c->detail.tis.n + 1, sizeof *ids);
	size_t		 i, k, n = 0;

	for (i = 0; i < c->detail.tis.n; i++) {
		const struct af_ti *t = &c->detail.tis.v[i];

		if (t->state != TI_FAILED)
			continue;
		for (k = 0; k < n && strcmp(ids[k], t->task_id) != 0; k++)
			;
		if (k == n)
			ids[n++] = t->task_id;
	}
	buf_reset(&a->message);
	if (n == 0)
		buf_puts(&a->message, "no failed task in this run: select a "
		    "task in the tasks pane to rerun it");
	else
		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, NULL, n);
	free(ids);
	a->dirty = true;
}

/* The rerun key: the selected task instance, or a failed run's tasks. */
static void
rerun_selected(struct app *a)
{
	struct console		*c = &a->c;
	const struct task_row	*row = NULL;
	enum pane_kind		 k = focused_kind(a);

	buf_reset(&a->message);
	if (k == PANE_RUNS) {
		if (c->runs_level == 0 || pane_runs_ops.key(c, ACTION_ENTER) !=
		    PANE_OPEN_RUN) {
			buf_puts(&a->message, "rerun: open a DAG's runs and "
			    "select a failed run, or select a task");
			return;
		}
		a->rerun_pending = true;
		open_run(a, false);
		return;
	}
	if (c->detail.loaded)
		row = console_task_row(c, c->task_sel);
	if (row == NULL) {
		buf_puts(&a->message, "rerun: select a task instance first");
		return;
	}
	{
		int		 inst = console_task_inst(c, c->task_sel);
		const struct af_ti *t = inst >= 0 ? &row->ti[inst] : row->ti;
		const char	*ids[1] = { t->task_id };
		/* 3.x clears one instance of a mapped task; 2.x the whole task. */
		int		 mis[1] = { inst >= 0 && a->db != NULL &&
				    afdb_schema(a->db)->major >= 3 ?
				    t->map_index : -1 };

		rerun_start(a->rerun, logctl_api(a->logs), c->settings,
		    logctl_api_error(a->logs), c->detail.dag_id,
		    c->detail.run_id, ids, mis, 1);
	}
}

static void
rerun_done(void *arg, int n, const char *msg)
{
	struct app *a = arg;

	if (n > 0) {
		/* The new states come from the database, read now. */
		loop_timer_stop(a->refresh_timer);
		start_refresh(a);
		fetch_detail(a, false);
	}
	/* After start_refresh, which clears the message line. */
	if (msg != NULL) {
		buf_reset(&a->message);
		buf_puts(&a->message, msg);
	}
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
	af_tis_free(&c->detail.tis);
	c->detail.tis = a->next_tis;
	memset(&a->next_tis, 0, sizeof a->next_tis);
	task_rows_free(&c->detail.rows);
	task_rows_build(&c->detail.rows, c->detail.graph, &c->detail.tis);
	rebuild_task_vis(c);
	c->detail.loaded = true;
	a->dirty = true;
	logctl_sync(a->logs);
	if (a->rerun_pending) {
		a->rerun_pending = false;
		rerun_failed_tasks(a);
	}
}

static void
fetch_detail(struct app *a, bool with_graph)
{
	struct console *c = &a->c;

	if (a->db == NULL || !a->connected || c->detail.run_id == NULL ||
	    a->detail_pending > 0)
		return;
	a->detail_pending = with_graph ? 2 : 1;
	af_tis_free(&a->next_tis);
	afdb_fetch_tis(a->db, c->detail.dag_id, c->detail.run_id, &a->next_tis,
	    detail_done, a);
	if (with_graph) {
		graph_free(c->detail.graph);
		c->detail.graph = NULL;
		buf_reset(&c->detail.warnings);
		afdb_fetch_graph(a->db, c->detail.dag_id, c->detail.run_id,
		    &c->detail.graph, &c->detail.warnings, detail_done, a);
	}
}

/* The SLAs' runs of the trailing weeks, when there are SLAs. */
static void
fetch_sla(struct app *a)
{
	int64_t from, to;

	if (a->c.sla.n == 0)
		return;
	a->pending++;
	sla_panes_window(&a->c.sla, a->c.zone, (int64_t)time(NULL), &from,
	    &to);
	afdb_fetch_sla(a->db, a->c.sla.defs, a->c.sla.n, from, to,
	    &a->next.sla, read_done, a);
}

static void
start_refresh(struct app *a)
{
	if (a->db == NULL || !a->connected || a->refreshing)
		return;
	a->refreshing = true;
	a->pending = 4;
	/* A read's error goes with the next read; what the user did stays. */
	if (a->message_from_read) {
		buf_reset(&a->message);
		a->message_from_read = false;
	}
	snapshot_free(&a->next);
	afdb_fetch_health(a->db, &a->next.health, read_done, a);
	afdb_fetch_dags(a->db, &a->next.dags, read_done, a);
	afdb_fetch_runs_recent(a->db, STRIP_RUNS, &a->next.runs, read_done, a);
	afdb_fetch_pools(a->db, &a->next.pools, pools_read, a);
	fetch_sla(a);
	fetch_detail(a, false);
}

static void
refresh_due(struct loop_timer *t, void *arg)
{
	(void)t;
	start_refresh(arg);
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

		afdb_describe(a->db, &b);
		a->describe = buf_detach(&b);
	}
	logctl_set_source(a->logs, a->c.settings, a->db,
	    afdb_schema(a->db)->major, afdb_schema(a->db)->ti_history);
	start_refresh(a);
	fetch_detail(a, a->c.detail.run_id != NULL);
}

static void
db_lost(void *arg, const char *err)
{
	struct app *a = arg;

	if (a->tearing_down)
		return;
	schedule_reconnect(a, err);
}

static void
connect_db(struct app *a)
{
	if (a->db != NULL) {
		a->tearing_down = true;
		logctl_forget_db(a->logs);
		afdb_free(a->db);
		a->tearing_down = false;
		a->db = NULL;
	}
	a->db = afdb_open(a->loop, &a->params,
	    (a->c.settings->statement_timeout + 5) * 1000, db_ready, db_lost, a);
	afdb_set_serdag_max(a->db,
	    (size_t)a->c.settings->serialized_dag_max << 20);
}

static void
reconnect_due(struct loop_timer *t, void *arg)
{
	(void)t;
	connect_db(arg);
}

static void
clock_tick(struct loop_timer *t, void *arg)
{
	struct app *a = arg;

	a->dirty = true;	/* the header shows minutes and the data's age */
	loop_timer_set(t, 1000);
}

/* --- drawing -------------------------------------------------------------- */

static const struct pane_ops *
ops_for(enum pane_kind k)
{
	switch (k) {
	case PANE_RUNS:
		return &pane_runs_ops;
	case PANE_TASKS:
		return &pane_tasks_ops;
	case PANE_LOG:
		return &pane_log_ops;
	case PANE_SLA:
		return &pane_sla_ops;
	case PANE_SLA_WEEK:
		return &pane_slaweek_ops;
	case PANE_SLOTS:
		return &pane_slots_ops;
	case PANE_FOURKEYS:
		return &pane_fourkeys_ops;
	default:
		return &pane_details_ops;
	}
}

static void
draw_header(struct app *a, int w)
{
	struct console		*c = &a->c;
	struct buf		 b = BUF_INIT;
	enum health		 h;
	int64_t			 now = (int64_t)time(NULL);

	move(0, 0);
	clrtoeol();
	attron(A_BOLD);
	addstr("dagtop");
	attroff(A_BOLD);
	buf_puts(&b, "  ");
	buf_puts(&b, c->settings->context != NULL ? c->settings->context :
	    "(command line)");
	if (a->describe != NULL)
		buf_printf(&b, "  %s", a->describe);
	ui_put(stdscr, buf_str(&b), w - 40);
	buf_reset(&b);
	if (c->snap.valid) {
		h = af_job_state(&c->snap.health.job[AF_JOB_SCHEDULER],
		    c->snap.health.now, c->settings->scheduler_threshold);
		buf_printf(&b, "  scheduler %s", health_name(h == HEALTH_ABSENT ?
		    HEALTH_DOWN : h));
		if (h != HEALTH_OK)
			attron(A_BOLD | A_REVERSE);
		addstr(buf_str(&b));
		if (h != HEALTH_OK)
			attroff(A_BOLD | A_REVERSE);
		buf_reset(&b);
	}
	buf_puts(&b, "  ");
	fmt_time(&b, c->zone, now, FMT_SHORT);
	if (c->snap.valid && now - c->snap.read_at > 2 * c->settings->refresh) {
		buf_puts(&b, "  data ");
		fmt_duration(&b, (double)(now - c->snap.read_at));
		buf_puts(&b, " old");
	}
	addstr(buf_str(&b));
	if (c->settings->readonly && w > 11) {
		/* At the right edge, over whatever did not fit: always seen. */
		attron(A_REVERSE | A_BOLD);
		mvaddstr(0, w - 11, " READ-ONLY ");
		attroff(A_REVERSE | A_BOLD);
	}
	buf_free(&b);
}

static void
draw_footer(struct app *a, int w, int h)
{
	struct buf	b = BUF_INIT;
	static const enum action hints[] = { ACTION_HELP, ACTION_ENTER,
	    ACTION_BACK, ACTION_NEXT_PANE, ACTION_DOWNSTREAM, ACTION_REFRESH,
	    ACTION_QUIT };
	size_t		i;

	move(h - 2, 0);
	clrtoeol();
	if (!a->connected && a->last_error.len > 0) {
		int64_t left = a->retry_at - (int64_t)time(NULL);

		buf_printf(&b, "disconnected, retrying in %llds: ",
		    (long long)(left > 0 ? left : 0));
		buf_puts(&b, buf_str(&a->last_error));
		attron(A_BOLD);
		ui_put(stdscr, buf_str(&b), w);
		attroff(A_BOLD);
	} else if (a->message.len > 0)
		ui_put(stdscr, buf_str(&a->message), w);
	else if (a->c.log.said.len > 0)
		ui_put(stdscr, buf_str(&a->c.log.said), w);
	buf_reset(&b);
	move(h - 1, 0);
	clrtoeol();
	for (i = 0; i < sizeof hints / sizeof *hints; i++) {
		struct buf keys = BUF_INIT;

		keymap_keys_for(&a->c.keymap, hints[i], &keys);
		if (keys.len == 0) {
			buf_free(&keys);
			continue;
		}
		keys.len = strcspn(keys.data, ",");
		keys.data[keys.len] = '\0';
		buf_printf(&b, "%s %s  ", buf_str(&keys), action_name(hints[i]));
		buf_free(&keys);
	}
	attron(A_DIM);
	ui_put(stdscr, buf_str(&b), w);
	attroff(A_DIM);
	buf_free(&b);
}

static void
draw_help(struct app *a, int y, int w, int h)
{
	WINDOW	*win = newwin(h, w, y, 0);
	int	 row = 1, act;

	if (win == NULL)
		return;
	ui_frame(win, "keys (any key closes)", true, a->c.ascii);
	for (act = 1; act < ACTION_COUNT && row < h - 1; act++) {
		struct buf keys = BUF_INIT;

		keymap_keys_for(&a->c.keymap, act, &keys);
		if (keys.len == 0) {
			buf_free(&keys);
			continue;
		}
		mvwaddstr(win, row, 2, "");
		wattron(win, A_BOLD);
		ui_put(win, buf_str(&keys), 22);
		wattroff(win, A_BOLD);
		wmove(win, row, 25);
		wprintw(win, "%-13s ", action_name(act));
		ui_put(win, action_description(act), w - 42);
		row++;
		buf_free(&keys);
	}
	wnoutrefresh(win);
	delwin(win);
}

static void
draw(struct app *a)
{
	struct console		*c = &a->c;
	struct pane_rect	 r[16];
	size_t			 n, i;
	int			 w, h;
	WINDOW			*win;

	getmaxyx(stdscr, h, w);
	erase();
	rerun_hide(a->rerun);
	a->too_small = w < c->view.min_w || h < c->view.min_h;
	if (a->too_small) {
		mvprintw(0, 0, "terminal too small (need %dx%d)", c->view.min_w,
		    c->view.min_h);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(a, w);
	draw_footer(a, w, h);
	wnoutrefresh(stdscr);
	if (a->help) {
		draw_help(a, 1, w, h - 3);
		doupdate();
		return;
	}
	n = view_layout(&c->view, a->screen, 0, 1, w, h - 3, r, 16);
	if (a->focus >= n)
		a->focus = 0;
	for (i = 0; i < n; i++) {
		if (r[i].w < 4 || r[i].h < 3)
			continue;
		win = newwin(r[i].h, r[i].w, r[i].y, r[i].x);
		if (win == NULL)
			continue;
		ops_for(r[i].kind)->draw(c, win, i == a->focus);
		wnoutrefresh(win);
		delwin(win);
	}
	rerun_draw(a->rerun, 1, w, h - 3);
	doupdate();
	if (prompt_active())
		prompt_redraw(stdscr, h - 2);
}

static void
draw_now(struct app *a)
{
	draw(a);
	a->dirty = false;
}

/* --- the prompt: / filters and : commands --------------------------------- */

static const char *const command_words[] = { "view", "keymap", "sort",
	"context", "refresh", "help", "quit", "oncall", "compact", "wide",
	"default", "emacs", "attention", "name", "started", "duration", "slots",
	"fourkeys", NULL };

static const char	**candidates;	/* completions of the open prompt */

static void
free_candidates(void)
{
	free(candidates);
	candidates = NULL;
}

static void	load_view(struct app *, const char *, struct buf *);
static void	load_keymap(struct app *, const char *, struct buf *);
static enum pane_kind focused_kind(const struct app *);

static void
filter_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	struct buf	 err = BUF_INIT;
	char		*keep;
	bool		 tasks = focused_kind(a) == PANE_TASKS;

	free_candidates();
	a->dirty = true;
	if (line == NULL)
		return;
	if (filter_set(tasks ? &c->task_filter : &c->dag_filter, line,
	    &err) != 0) {
		buf_reset(&a->message);
		buf_puts(&a->message, buf_str(&err));
		buf_free(&err);
		return;
	}
	if (tasks)
		rebuild_task_vis(c);
	else {
		keep = selected_dag(c);
		rebuild_dag_order(c, keep);
		free(keep);
	}
	buf_reset(&a->message);
}

/* Swaps in a view or keymap read from its file; the old one stays on error. */
static void
switch_data(struct app *a, bool view, const char *name)
{
	struct app	tmp;
	struct buf	err = BUF_INIT;

	memset(&tmp, 0, sizeof tmp);
	if (view)
		load_view(&tmp, name, &err);
	else
		load_keymap(&tmp, name, &err);
	buf_reset(&a->message);
	if (err.len > 0) {
		err.len = strcspn(err.data, "\n");
		err.data[err.len] = '\0';
		buf_puts(&a->message, buf_str(&err));
		if (view)
			view_free(&tmp.c.view);
		else
			keymap_free(&tmp.c.keymap);
	} else if (view) {
		view_free(&a->c.view);
		a->c.view = tmp.c.view;
		a->screen = a->focus = 0;
	} else {
		keymap_free(&a->c.keymap);
		a->c.keymap = tmp.c.keymap;
	}
	buf_free(&err);
}

static void
forget_data(struct app *a)
{
	struct console *c = &a->c;

	snapshot_free(&c->snap);
	forget_run(a);
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
static void
switch_context(struct app *a, const char *name)
{
	struct cli_options	 cli = *a->cli;
	struct settings		*s = xcalloc(1, sizeof *s);
	struct db_params	 p;
	struct buf		 err = BUF_INIT;
	struct tz		*zone;
	char			 why[256];

	cli.context = name;
	cli.database = NULL;
	unsetenv("DAGTOP_DATABASE");
	if (config_resolve(a->config, &cli, s, &err) != 0 ||
	    db_params_build(s, &p, &err) != 0) {
		buf_reset(&a->message);
		buf_puts(&a->message, buf_str(&err));
		settings_free(s);
		free(s);
		buf_free(&err);
		return;
	}
	if ((zone = zoneinfo_load(s->timezone, why, sizeof why)) == NULL) {
		buf_reset(&a->message);
		buf_puts(&a->message, why);
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
	slots_feed_free(a->c.slots);
	a->c.slots = slots_feed_new(a->loop, s, slots_changed, a);
	forget_data(a);
	a->backoff = 0;
	a->connected = false;
	connect_db(a);
	buf_reset(&a->message);
	buf_printf(&a->message, "context %s", name);
}

static void
command_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct console	*c = &a->c;
	char		*copy, *w[3] = { NULL, NULL, NULL }, *save = NULL, *keep;
	int		 n = 0, k;

	free_candidates();
	a->dirty = true;
	if (line == NULL)
		return;
	copy = xstrdup(line);
	for (w[n] = strtok_r(copy, " \t", &save); w[n] != NULL && n < 2;
	    w[++n] = strtok_r(NULL, " \t", &save))
		;
	buf_reset(&a->message);
	if (w[0] == NULL)
		;
	else if (strcmp(w[0], "quit") == 0 || strcmp(w[0], "q") == 0) {
		a->quit = true;
		loop_break(a->loop);
	} else if (strcmp(w[0], "refresh") == 0) {
		loop_timer_stop(a->refresh_timer);
		start_refresh(a);
	} else if (strcmp(w[0], "help") == 0)
		a->help = true;
	else if (strcmp(w[0], "context") == 0 && w[1] != NULL)
		switch_context(a, w[1]);
	else if ((strcmp(w[0], "view") == 0 || strcmp(w[0], "keymap") == 0) &&
	    w[1] != NULL)
		switch_data(a, w[0][0] == 'v', w[1]);
	else if (strcmp(w[0], "sort") == 0 && w[1] != NULL) {
		for (k = 0; k < SORT_COUNT; k++)
			if (strcmp(w[1], sort_name(k)) == 0)
				break;
		if (k == SORT_COUNT)
			buf_puts(&a->message, "sort by attention, name, started "
			    "or duration");
		else {
			c->sort = (enum sort_key)k;
			keep = selected_dag(c);
			rebuild_dag_order(c, keep);
			free(keep);
		}
	} else {
		buf_puts(&a->message, "unknown command '");
		buf_puts(&a->message, w[0]);
		buf_puts(&a->message, "' (view NAME, keymap NAME, sort KEY, "
		    "context NAME, refresh, help, quit)");
	}
	free(copy);
}

/* / in the log pane: a search, smart case. */
static void
search_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct buf	 err = BUF_INIT;

	a->dirty = true;
	if (line == NULL)
		return;
	buf_reset(&a->message);
	if (logctl_set_search(a->logs, line, &err) != 0)
		buf_puts(&a->message, buf_str(&err));
	buf_free(&err);
}

static void
save_done(void *arg, const char *line)
{
	struct app	*a = arg;
	struct logpane	*lp = &a->c.log;
	struct buf	 path = BUF_INIT;

	a->dirty = true;
	if (line == NULL || lp->fetch == NULL)
		return;
	if (*line != '\0')
		buf_puts(&path, line);
	else {
		/* dag.task[.map].try.log in the current directory, no '/' */
		char *p;

		buf_printf(&path, "%s.%s", lp->dag_id, lp->task_id);
		if (lp->map_index >= 0)
			buf_printf(&path, ".%d", lp->map_index);
		buf_printf(&path, ".%d.log", lp->try_number);
		for (p = path.data; *p != '\0'; p++)
			if (*p == '/' || (unsigned char)*p < 0x20)
				*p = '_';
	}
	buf_reset(&a->message);
	logctl_save(a->logs, buf_str(&path), &a->message);
	buf_free(&path);
}

/* Hands the terminal to $PAGER with the log, then takes it back. */
static void
run_pager(struct app *a)
{
	buf_reset(&a->message);
	def_prog_mode();
	endwin();
	logctl_pager(a->logs, &a->message);
	reset_prog_mode();
	clearok(curscr, TRUE);
	a->dirty = true;
}

static void
open_log_prompt(struct app *a, bool search)
{
	int h = getmaxy(stdscr);

	free_candidates();
	a->dirty = true;
	draw_now(a);
	prompt_open(stdscr, h - 2, search ? "/" : "save log to (empty: "
	    "dag.task.try.log): ", NULL, search ? search_done : save_done, a);
}

static void
open_prompt(struct app *a, bool filter)
{
	struct console	*c = &a->c;
	size_t		 i, n = 0;
	int		 h = getmaxy(stdscr);

	free_candidates();
	if (filter && focused_kind(a) == PANE_TASKS) {
		candidates = xcalloc(c->detail.rows.n + 1, sizeof *candidates);
		for (i = 0; i < c->detail.rows.n; i++)
			candidates[n++] = c->detail.rows.v[i].ti->task_id;
	} else if (filter) {
		candidates = xcalloc(c->snap.dags.n + 1, sizeof *candidates);
		for (i = 0; i < c->snap.dags.n; i++)
			candidates[n++] = c->snap.dags.v[i].dag_id;
	}
	a->dirty = true;
	draw_now(a);
	prompt_open(stdscr, h - 2, filter ? "/" : ":", filter ? candidates :
	    command_words, filter ? filter_done : command_done, a);
}

/* --- keys ----------------------------------------------------------------- */

static size_t
panes_in_screen(const struct app *a, size_t screen)
{
	size_t i, n = 0;

	if (screen >= a->c.view.nscreens)
		return 0;
	for (i = 0; i < a->c.view.screens[screen].nrows; i++)
		n += a->c.view.screens[screen].rows[i].npanes;
	return n;
}

static enum pane_kind
focused_kind(const struct app *a)
{
	struct pane_rect	r[16];
	size_t			n = view_layout(&a->c.view, a->screen, 0, 0, 200,
				    100, r, 16);

	return a->focus < n ? r[a->focus].kind : PANE_RUNS;
}

/* Moves focus to the first pane of this kind, on any screen. */
static void
focus_kind(struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++) {
			if (r[i].kind == k) {
				a->screen = s;
				a->focus = i;
				return;
			}
		}
	}
}

static void
next_pane(struct app *a, int dir)
{
	size_t n = panes_in_screen(a, a->screen);

	if (n > 1) {
		a->focus = (a->focus + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
		return;
	}
	/* One pane per screen: move between screens. */
	n = a->c.view.nscreens;
	a->screen = (a->screen + n + (size_t)(dir > 0 ? 1 : n - 1)) % n;
	a->focus = 0;
}

/*
 * Opens the run c->want_dag, c->want_run in the tasks pane.  Enter moves
 * the focus there; a rerun key on a run does not (focus moves only when
 * the user moves it).
 */
static void
open_run(struct app *a, bool focus)
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
	fetch_detail(a, true);
	if (focus)
		focus_kind(a, PANE_TASKS);
}

/*
 * A DAG was opened (its runs in the runs pane): every pane below it, the
 * tasks of a run and its log, goes, so nothing on screen belongs to
 * another DAG and no key acts on one.
 */
static void
forget_run(struct app *a)
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
	rebuild_task_vis(c);
	c->task_sel = c->task_top = 0;
	c->show_downstream = false;
	a->rerun_pending = false;
	logctl_sync(a->logs);
}

/* The SLA panes: focus one, or switch to the sla view that has them. */
static void
show_sla(struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++)
			if (r[i].kind == k) {
				focus_kind(a, k);
				return;
			}
	}
	free(a->sla_back_view);
	a->sla_back_view = xstrdup(a->c.view.name != NULL ? a->c.view.name :
	    "oncall");
	switch_data(a, true, "sla");
	focus_kind(a, k);
}

/* --- the slots pane's ties to the rest ---------------------------------- */

static void
slots_changed(void *arg)
{
	((struct app *)arg)->dirty = true;
}

static bool
view_has(const struct app *a, enum pane_kind k)
{
	struct pane_rect	r[16];
	size_t			s, n, i;

	for (s = 0; s < a->c.view.nscreens; s++) {
		n = view_layout(&a->c.view, s, 0, 0, 200, 100, r, 16);
		for (i = 0; i < n; i++)
			if (r[i].kind == k)
				return true;
	}
	return false;
}

/* The slots action: the slots pane, from the slots view if need be. */
static void
show_slots(struct app *a)
{
	if (!view_has(a, PANE_SLOTS))
		switch_data(a, true, "slots");
	if (view_has(a, PANE_SLOTS))
		focus_kind(a, PANE_SLOTS);
}

/* Enter on a consumer with an airflow-dag label: that DAG's runs. */
static void
jump_to_dag(struct app *a)
{
	struct console	*c = &a->c;
	char		*dag = xstrdup(c->want_dag);
	size_t		 i;

	for (i = 0; i < c->snap.dags.n; i++)
		if (strcmp(c->snap.dags.v[i].dag_id, dag) == 0)
			break;
	buf_reset(&a->message);
	if (i == c->snap.dags.n) {
		buf_printf(&a->message, "no DAG '%s' in this Airflow", dag);
		free(dag);
		return;
	}
	if (!c->snap.dags.v[i].active) {
		/* Not in the DAG list: opening "it" would open another. */
		buf_printf(&a->message, "DAG '%s' is not active in this Airflow "
		    "(its file is gone): it has no runs to open", dag);
		free(dag);
		return;
	}
	/* A filter that hides it goes. */
	if (c->dag_filter.on && !filter_match(&c->dag_filter, dag,
	    c->snap.dags.v[i].owners))
		filter_clear(&c->dag_filter);
	rebuild_dag_order(c, dag);
	if (c->ndag_order == 0 || strcmp(c->snap.dags.v[c->dag_order[
	    c->dag_sel]].dag_id, dag) != 0) {
		buf_printf(&a->message, "DAG '%s' is not in the DAG list", dag);
		free(dag);
		return;
	}
	c->runs_level = 1;
	c->run_sel = c->run_top = 0;
	forget_run(a);
	focus_kind(a, PANE_RUNS);
	free(dag);
}

/* The screen is, or is about to be, "terminal too small". */
static bool
screen_too_small(const struct app *a)
{
	int h, w;

	getmaxyx(stdscr, h, w);
	return a->too_small || w < a->c.view.min_w || h < a->c.view.min_h;
}

/*
 * Back that no pane took: to the runs pane; at the top level (the DAG
 * list) Esc, Left and h clear the filter or do nothing, and only q (as in
 * htop and less), Q and :quit leave.
 */
static void
back_from_top(struct app *a, enum pane_kind k, bool quit_at_top)
{
	struct console	*c = &a->c;
	char		*keep;

	if (k != PANE_RUNS && view_has(a, PANE_RUNS)) {
		focus_kind(a, PANE_RUNS);
		return;
	}
	if (quit_at_top) {
		a->quit = true;
		loop_break(a->loop);
		return;
	}
	buf_reset(&a->message);
	if (k == PANE_RUNS && c->dag_filter.on) {
		filter_clear(&c->dag_filter);
		keep = selected_dag(c);
		rebuild_dag_order(c, keep);
		free(keep);
		buf_puts(&a->message, "filter cleared");
		return;
	}
	{
		struct buf keys = BUF_INIT;

		keymap_keys_for(&c->keymap, ACTION_QUIT, &keys);
		keys.len = strcspn(buf_str(&keys), ",");
		if (keys.len > 0)
			buf_printf(&a->message, "at the top; %.*s quits",
			    (int)keys.len, buf_str(&keys));
		else
			buf_puts(&a->message, "at the top; :quit quits");
		buf_free(&keys);
	}
}

static void
handle_key(struct app *a, int key)
{
	enum action		 act = keymap_lookup(&a->c.keymap, key);
	enum pane_result	 r;
	enum pane_kind		 k;
	bool			 quit_at_top = act == ACTION_BACK_OR_QUIT;

	/*
	 * No key acts on what the user cannot see: while the screen says
	 * "terminal too small" (or is about to), and while an open modal is
	 * not on screen as it is now, only quit does anything.
	 */
	if (screen_too_small(a) || (rerun_active(a->rerun) &&
	    !rerun_shown(a->rerun) && !a->help)) {
		if (act == ACTION_QUIT) {
			a->quit = true;
			loop_break(a->loop);
		}
		return;
	}
	if (a->help) {
		a->help = false;
		return;
	}
	if (rerun_key(a->rerun, key, act))
		return;
	if (quit_at_top)
		act = ACTION_BACK;	/* q: back, and quit at the top */
	buf_reset(&a->c.log.said);
	switch (act) {
	case ACTION_QUIT:
		a->quit = true;
		loop_break(a->loop);
		return;
	case ACTION_HELP:
		a->help = true;
		return;
	case ACTION_NEXT_PANE:
		next_pane(a, 1);
		return;
	case ACTION_PREV_PANE:
		next_pane(a, -1);
		return;
	case ACTION_REFRESH:
		loop_timer_stop(a->refresh_timer);
		start_refresh(a);
		if (focused_kind(a) == PANE_LOG)
			logctl_refetch(a->logs);
		if (focused_kind(a) == PANE_SLOTS)
			slots_feed_refresh(a->c.slots);
		if (focused_kind(a) == PANE_FOURKEYS)
			fk_feed_refresh(a->c.fourkeys);
		return;
	case ACTION_SLOTS:
		show_slots(a);
		return;
	case ACTION_FOURKEYS:
		if (!view_has(a, PANE_FOURKEYS))
			switch_data(a, true, "fourkeys");
		if (view_has(a, PANE_FOURKEYS))
			focus_kind(a, PANE_FOURKEYS);
		return;
	case ACTION_FILTER:
		if (focused_kind(a) == PANE_LOG)
			open_log_prompt(a, true);
		else
			open_prompt(a, true);
		return;
	case ACTION_COMMAND:
		open_prompt(a, false);
		return;
	case ACTION_SORT:
	case ACTION_SORT_REVERSE: {
		char *keep = selected_dag(&a->c);

		if (act == ACTION_SORT)
			a->c.sort = (enum sort_key)((a->c.sort + 1) % SORT_COUNT);
		else
			a->c.sort_reverse = !a->c.sort_reverse;
		rebuild_dag_order(&a->c, keep);
		free(keep);
		buf_reset(&a->message);
		buf_printf(&a->message, "sorted by %s%s", sort_name(a->c.sort),
		    a->c.sort_reverse ? ", reversed" : "");
		return;
	}
	case ACTION_RERUN:
		rerun_selected(a);
		return;
	case ACTION_SLA:
	case ACTION_SLA_WEEK:
		show_sla(a, act == ACTION_SLA ? PANE_SLA : PANE_SLA_WEEK);
		return;
	case ACTION_NONE:
		return;
	default:
		break;
	}
	k = focused_kind(a);
	r = ops_for(k)->key != NULL ? ops_for(k)->key(&a->c, act) :
	    PANE_IGNORED;
	if (r == PANE_LOG_REFETCH)
		logctl_refetch(a->logs);
	else if (r == PANE_LOG_SCAN)
		logctl_scan(a->logs);
	else if (r == PANE_LOG_SAVE)
		open_log_prompt(a, false);
	else if (r == PANE_LOG_PAGER)
		run_pager(a);
	else if (r == PANE_OPEN_RUN)
		open_run(a, true);
	else if (r == PANE_OPEN_DAG)
		forget_run(a);
	else if (r == PANE_JUMP_DAG)
		jump_to_dag(a);
	else if (r == PANE_FOCUS_NEXT)
		focus_kind(a, PANE_RUNS);
	else if (r == PANE_IGNORED && act == ACTION_BACK &&
	    a->sla_back_view != NULL && (k == PANE_SLA || k == PANE_SLA_WEEK)) {
		/* Back from the sla view to the one it replaced. */
		switch_data(a, true, a->sla_back_view);
		free(a->sla_back_view);
		a->sla_back_view = NULL;
	} else if (r == PANE_IGNORED && act == ACTION_BACK)
		back_from_top(a, k, quit_at_top);
}

/* Turns curses' key codes into keymap codes. */
static int
translate(int is_key, wint_t ch)
{
	if (!is_key)
		return ch == '\n' || ch == '\r' ? KEYC_ENTER : (int)ch;
	switch (ch) {
	case KEY_UP: return KEYC_UP;
	case KEY_DOWN: return KEYC_DOWN;
	case KEY_LEFT: return KEYC_LEFT;
	case KEY_RIGHT: return KEYC_RIGHT;
	case KEY_HOME: return KEYC_HOME;
	case KEY_END: return KEYC_END;
	case KEY_PPAGE: return KEYC_PAGEUP;
	case KEY_NPAGE: return KEYC_PAGEDOWN;
	case KEY_IC: return KEYC_INSERT;
	case KEY_DC: return KEYC_DELETE;
	case KEY_BTAB: return KEYC_BTAB;
	case KEY_ENTER: return KEYC_ENTER;
	case KEY_BACKSPACE: return KEYC_BACKSPACE;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return KEYC_F1 + (int)(ch - KEY_F(1));
		return -1;
	}
}

/*
 * Keys for readline: characters as UTF-8, curses' key codes back into the
 * escape sequences readline knows; Esc alone cancels.
 */
static void
feed_prompt(struct app *a, int rc, wint_t ch)
{
	char	u[8];
	size_t	n = 0;
	wint_t	next;

	a->dirty = true;
	if (rc == KEY_CODE_YES) {
		const char *seq = NULL;

		switch (ch) {
		case KEY_LEFT: seq = "\033[D"; break;
		case KEY_RIGHT: seq = "\033[C"; break;
		case KEY_UP: seq = "\033[A"; break;
		case KEY_DOWN: seq = "\033[B"; break;
		case KEY_HOME: seq = "\033[H"; break;
		case KEY_END: seq = "\033[F"; break;
		case KEY_DC: seq = "\033[3~"; break;
		case KEY_BACKSPACE: seq = "\177"; break;
		case KEY_ENTER: seq = "\r"; break;
		default: return;
		}
		prompt_feed(seq, strlen(seq));
		return;
	}
	if (ch == 27) {
		if (get_wch(&next) == ERR) {
			prompt_cancel();
			return;
		}
		prompt_feed("\033", 1);
		ch = next;
	}
	if (ch < 0x80)
		u[n++] = (char)ch;
	else if (ch < 0x800) {
		u[n++] = (char)(0xc0 | ch >> 6);
		u[n++] = (char)(0x80 | (ch & 0x3f));
	} else if (ch < 0x10000) {
		u[n++] = (char)(0xe0 | ch >> 12);
		u[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (ch & 0x3f));
	} else {
		u[n++] = (char)(0xf0 | ch >> 18);
		u[n++] = (char)(0x80 | (ch >> 12 & 0x3f));
		u[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (ch & 0x3f));
	}
	prompt_feed(u, n);
}

static void
stdin_ready(struct loop_fd *f, int revents, void *arg)
{
	struct app	*a = arg;
	wint_t		 ch;
	int		 rc, key, meta = 0;

	(void)f;
	(void)revents;
	while ((rc = get_wch(&ch)) != ERR) {
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			a->dirty = true;
			continue;
		}
		if (prompt_active()) {
			/* A prompt that is not on screen takes no key. */
			if (!screen_too_small(a))
				feed_prompt(a, rc, ch);
			continue;
		}
		if (rc == OK && ch == 27) {
			/* Esc then a key within ESCDELAY: meta. */
			if (get_wch(&ch) != ERR) {
				meta = KEYC_META;
				key = translate(0, ch);
			} else
				key = KEYC_ESC;
		} else
			key = translate(rc == KEY_CODE_YES, ch);
		if (key >= 0) {
			handle_key(a, key | meta);
			logctl_sync(a->logs);
		}
		meta = 0;
		a->dirty = true;
		if (a->quit)
			return;
	}
}

/* --- setup ---------------------------------------------------------------- */

static void
load_keymap(struct app *a, const char *name, struct buf *errors)
{
	/* The file (with its includes), else the built-in default. */
	if (keymap_load(name, &a->c.keymap, errors) != 0) {
		keymap_free(&a->c.keymap);
		keymap_parse(&a->c.keymap, builtin_keys, sizeof builtin_keys - 1,
		    "(built-in)", NULL, NULL, errors);
	}
}

static void
load_view(struct app *a, const char *name, struct buf *errors)
{
	if (view_load(name, &a->c.view, errors) != 0) {
		view_free(&a->c.view);
		view_parse(&a->c.view, builtin_view, sizeof builtin_view - 1,
		    "oncall", "(built-in)", errors);
	}
}

int
console_main(struct settings *s, const struct config *cfg,
    const struct cli_options *cli, const char *view_name,
    const char *keymap_name, int color, bool ascii)
{
	struct app		 a;
	struct buf		 err = BUF_INIT;
	char			 why[256];
	const char		*nc = getenv("NO_COLOR");
	struct sigaction	 sa;
	struct buf		 said = BUF_INIT;
	struct loop_fd		*stdin_fd;
	int			 i, exit_rc;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dagtop: the console needs a terminal; scripts "
		    "and cron use 'dagtop report status'\n");
		return 64;
	}
	memset(&a, 0, sizeof a);
	a.c.settings = s;
	a.settings = a.initial_settings = s;
	a.config = cfg;
	a.cli = cli;
	a.c.zone = zoneinfo_load(s->timezone, why, sizeof why);
	if (a.c.zone == NULL) {
		fprintf(stderr, "dagtop: %s\n", why);
		return 78;
	}
	if (db_params_build(s, &a.params, &err) != 0) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		tz_free(a.c.zone);
		buf_free(&err);
		return 78;
	}
	sla_panes_load(&a.c.sla, cfg, s);
	load_keymap(&a, keymap_name != NULL ? keymap_name : "default", &err);
	load_view(&a, view_name != NULL ? view_name : "oncall", &err);
	if (err.len > 0) {
		/* Said before curses takes the screen; the built-ins still open. */
		fputs(buf_str(&err), stderr);
		sleep(1);
	}
	/* Line drawing needs UTF-8; anything else draws with ASCII. */
	a.c.ascii = ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
	if (color < 0)
		color = nc == NULL || *nc == '\0';
	if (pipe(a.sigpipe) != 0) {
		perror("dagtop: pipe");
		return 70;
	}
	for (i = 0; i < 2; i++) {
		fcntl(a.sigpipe[i], F_SETFL, O_NONBLOCK | fcntl(a.sigpipe[i],
		    F_GETFL));
		fcntl(a.sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	the_app = &a;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);

	set_escdelay(25);
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	ui_colors_init(color != 0);
	prompt_init();

	a.loop = loop_new();
	stdin_fd = loop_fd_add(a.loop, STDIN_FILENO, POLLIN, stdin_ready, &a);
	loop_fd_add(a.loop, a.sigpipe[0], POLLIN, signal_ready, &a);
	a.refresh_timer = loop_timer_new(a.loop, refresh_due, &a);
	a.reconnect_timer = loop_timer_new(a.loop, reconnect_due, &a);
	a.clock_timer = loop_timer_new(a.loop, clock_tick, &a);
	loop_timer_set(a.clock_timer, 1000);
	a.logs = logctl_new(a.loop, &a.c, s, mark_dirty, &a);
	a.rerun = rerun_new(&a.c, rerun_done, &a);
	a.c.slots = slots_feed_new(a.loop, s, slots_changed, &a);
	a.c.fourkeys = fk_feed_new(a.loop, a.config, slots_changed, &a);
	connect_db(&a);
	a.dirty = true;
	while (!a.quit) {
		if (a.dirty) {
			draw(&a);
			a.dirty = false;
		}
		if (loop_run_once(a.loop) < 0)
			break;
	}
	if (rerun_in_flight(a.rerun) && a.quit_signal == 0) {
		/* Q during a clear: say why the screen waits. */
		buf_reset(&a.message);
		buf_puts(&a.message, "waiting up to 5 s for the clear's answer, "
		    "to record it...");
		draw(&a);
	}
	/* A clear in flight gets its outcome recorded before we leave. */
	loop_fd_del(stdin_fd);	/* keys are over; a hung-up tty would spin */
	exit_rc = rerun_shutdown(a.rerun, a.loop, 5000, a.quit_signal ==
	    SIGHUP ? "interrupted by SIGHUP" : a.quit_signal == SIGTERM ?
	    "interrupted by SIGTERM" : a.quit_signal == SIGINT ?
	    "interrupted by SIGINT" : "the user quit", &said);
	prompt_shutdown();
	free_candidates();
	endwin();
	if (said.len > 0)
		fprintf(stderr, "dagtop: %s\n", buf_str(&said));
	buf_free(&said);
	if (a.settings != a.initial_settings) {
		settings_free(a.settings);
		free(a.settings);
	}
	the_app = NULL;
	a.tearing_down = true;
	logctl_forget_db(a.logs);
	slots_feed_free(a.c.slots);
	fk_feed_free(a.c.fourkeys);
	afdb_free(a.db);
	rerun_free(a.rerun);
	logctl_free(a.logs);
	db_params_free(&a.params);
	snapshot_free(&a.c.snap);
	snapshot_free(&a.next);
	af_tis_free(&a.next_tis);
	af_tis_free(&a.c.detail.tis);
	graph_free(a.c.detail.graph);
	task_rows_free(&a.c.detail.rows);
	buf_free(&a.c.detail.warnings);
	free(a.c.detail.dag_id);
	free(a.c.detail.run_id);
	free(a.c.dag_order);
	free(a.c.downstream);
	free(a.c.task_vis);
	for (i = 0; i < (int)a.c.nunfolded; i++)
		free(a.c.unfolded[i]);
	free(a.c.unfolded);
	filter_clear(&a.c.dag_filter);
	filter_clear(&a.c.task_filter);
	keymap_free(&a.c.keymap);
	view_free(&a.c.view);
	sla_panes_free(&a.c.sla);
	loop_free(a.loop);
	tz_free(a.c.zone);
	buf_free(&a.message);
	buf_free(&a.last_error);
	buf_free(&err);
	free(a.describe);
	free(a.sla_back_view);
	close(a.sigpipe[0]);
	close(a.sigpipe[1]);
	return exit_rc;
}
