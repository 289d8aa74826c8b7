/*
 * logctl.c: keeps the log pane on the task instance selected in the tasks
 * pane.  It owns the HTTP client and the Airflow API client of the
 * console, starts a fetch a moment after the selection settles (moving on
 * cancels the one in flight), switches to a new try when a task is retried,
 * stops following when the task ends, and runs log scans in slices.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "airflow_api.h"
#include "airflow_db.h"
#include "airflow_log.h"
#include "command.h"
#include "config.h"
#include "http.h"
#include "logctl.h"
#include "loop.h"
#include "options.h"
#include "xdg.h"

#define SETTLE_MS	120	/* the selection must rest this long */
#define DRAW_MS		40	/* a log coming in is drawn this often at most */

struct logctl {
	struct loop		*loop;
	struct console		*c;
	void			 (*dirty)(void *);
	void			*arg;
	struct http		*http;
	struct airflow_api	*api;
	struct buf		 api_error;	/* why there is no API client */
	const struct settings	*settings;
	struct sched		*db;
	int			 major;
	bool			 ti_history;
	struct loop_timer	*settle;
	struct loop_timer	*scan;
	struct loop_timer	*draw;		/* the next draw of a log coming in */
	int64_t			 drawn_ms;	/* its last */
	char			*tmpl;		/* the run's log template */
	bool			 tmpl_pending;
	bool			 tmpl_read;	/* for the run in c->log.run_id */
	bool			 configured;	/* set_source was called */
};

static void
mark_dirty(struct logctl *l)
{
	if (l->dirty != NULL)
		l->dirty(l->arg);
}

/*
 * The fetch has news.  A log streaming in brings some every read (80 a
 * second, or more): the screen is drawn for the first lines and for every
 * change of state at once, and for more lines at most every DRAW_MS, which
 * the eye cannot tell from every read and which leaves the CPU to reading.
 */
static void
fetch_changed(void *arg)
{
	struct logctl	*l = arg;
	struct logfetch	*f = l->c->log.fetch;
	int64_t		 now = loop_now_ms();

	if (f != NULL && logfetch_state(f) == LOGF_LOADING &&
	    now - l->drawn_ms < DRAW_MS) {
		if (!loop_timer_pending(l->draw))
			loop_timer_set(l->draw, DRAW_MS - (now - l->drawn_ms));
		return;
	}
	loop_timer_stop(l->draw);
	l->drawn_ms = now;
	mark_dirty(l);
}

static void
draw_due(struct loop_timer *t, void *arg)
{
	struct logctl *l = arg;

	(void)t;
	l->drawn_ms = loop_now_ms();
	mark_dirty(l);
}

static void
stop_fetch(struct logctl *l)
{
	logfetch_free(l->c->log.fetch);
	l->c->log.fetch = NULL;
	l->c->log.scan = LOGSCAN_NONE;
}

static void	start_fetch(struct logctl *);

static void
tmpl_done(void *arg, const char *err)
{
	struct logctl *l = arg;

	l->tmpl_pending = false;
	if (l->db == NULL)
		return;		/* the connection is being closed */
	l->tmpl_read = true;
	(void)err;	/* no template: Airflow's default applies */
	start_fetch(l);
}

/* Starts fetching the try the pane wants. */
static void
start_fetch(struct logctl *l)
{
	struct logpane		*lp = &l->c->log;
	struct log_target	 t;
	struct buf		 err = BUF_INIT;

	stop_fetch(l);
	buf_reset(&lp->note);
	if (lp->task_id == NULL)
		return;
	if (lp->try_number < 1) {
		buf_puts(&lp->note, "This task instance has not run yet: no "
		    "log.");
		mark_dirty(l);
		return;
	}
	if (l->api == NULL && (l->settings->log_folder == NULL ||
	    *l->settings->log_folder == '\0')) {
		buf_puts(&lp->note, l->api_error.len > 0 ?
		    buf_str(&l->api_error) : "No log source: set airflow_api or "
		    "log_folder in the context (dagtop.conf(5)).");
		mark_dirty(l);
		return;
	}
	/* The log folder needs the run's template first. */
	if (l->api == NULL && !l->tmpl_read) {
		if (l->db == NULL) {
			buf_puts(&lp->note, "waiting for the database...");
			return;
		}
		if (!l->tmpl_pending) {
			l->tmpl_pending = true;
			free(l->tmpl);
			l->tmpl = NULL;
			sched_fetch_log_template(l->db, lp->dag_id, lp->run_id,
			    &l->tmpl, tmpl_done, l);
		}
		return;
	}
	memset(&t, 0, sizeof t);
	t.dag_id = lp->dag_id;
	t.run_id = lp->run_id;
	t.task_id = lp->task_id;
	t.map_index = lp->map_index;
	t.try_number = lp->try_number;
	t.major = l->major;
	t.log_template = l->tmpl;
	t.spool_max_mib = l->settings->log_spool_max;
	t.running = lp->running && lp->try_number == lp->latest_try;
	lp->top = lp->top_row = lp->hscroll = 0;
	lp->stick = true;
	lp->traced = false;
	lp->has_match = false;
	l->drawn_ms = 0;	/* its first lines are drawn at once */
	lp->fetch = logfetch_start(l->loop, l->api, l->settings->log_folder,
	    &t, fetch_changed, l, &err);
	if (lp->fetch == NULL)
		buf_puts(&lp->note, buf_str(&err));
	buf_free(&err);
	mark_dirty(l);
}

static void
settle_due(struct loop_timer *t, void *arg)
{
	(void)t;
	start_fetch(arg);
}

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/*
 * The try to show by default: the newest that has a log.  On 2.10+ and 3.x
 * (the versions with task_instance_history) try_number goes up when a task
 * is scheduled, so a scheduled or queued instance's try has no log yet.
 */
static int
default_try(const struct logctl *l, const struct af_ti *ti)
{
	/* A cleared instance (no state) keeps the try that last ran. */
	bool waiting = ti->state == TI_SCHEDULED || ti->state == TI_QUEUED;

	if (l->ti_history && waiting && ti->try_number > 1)
		return ti->try_number - 1;
	return ti->try_number;
}

void
logctl_sync(struct logctl *l)
{
	struct console		*c = l->c;
	struct logpane		*lp = &c->log;
	const struct task_row	*row = NULL;
	const struct af_ti	*ti = NULL;
	int			 inst, want_try;
	bool			 running;

	if (c->detail.loaded)
		row = console_task_row(c, c->task_sel);
	if (row != NULL) {
		inst = console_task_inst(c, c->task_sel);
		ti = inst >= 0 ? &row->ti[inst] : row->ti;
		/* A folded mapped task: its first failed instance, if any. */
		if (inst < 0 && row->nti > 1)
			for (size_t k = 0; k < row->nti; k++)
				if (row->ti[k].state == TI_FAILED) {
					ti = &row->ti[k];
					break;
				}
	}
	if (ti == NULL) {
		if (lp->task_id != NULL) {
			loop_timer_stop(l->settle);
			stop_fetch(l);
			free(lp->dag_id);
			free(lp->run_id);
			free(lp->task_id);
			lp->dag_id = lp->run_id = lp->task_id = NULL;
		}
		return;
	}
	want_try = default_try(l, ti);
	running = ti->state == TI_RUNNING || ti->state == TI_DEFERRED ||
	    ti->state == TI_UP_FOR_RESCHEDULE;
	if (same(lp->dag_id, ti->dag_id) && same(lp->run_id, ti->run_id) &&
	    same(lp->task_id, ti->task_id) && lp->map_index == ti->map_index) {
		/* The same instance: a new try, or the end of this one. */
		lp->latest_try = want_try;
		lp->max_tries = ti->max_tries;
		if (!lp->pinned_try && lp->try_number != want_try) {
			lp->try_number = want_try;
			lp->running = running;
			loop_timer_set(l->settle, SETTLE_MS);
		} else if (lp->running && !running) {
			lp->running = false;
			if (lp->fetch != NULL)
				logfetch_stop_following(lp->fetch);
		}
		return;
	}
	/* Another instance: forget this one, fetch that one soon. */
	stop_fetch(l);
	if (!same(lp->dag_id, ti->dag_id) || !same(lp->run_id, ti->run_id))
		l->tmpl_read = false;
	free(lp->dag_id);
	free(lp->run_id);
	free(lp->task_id);
	lp->dag_id = xstrdup(ti->dag_id);
	lp->run_id = xstrdup(ti->run_id);
	lp->task_id = xstrdup(ti->task_id);
	lp->map_index = ti->map_index;
	lp->try_number = lp->latest_try = want_try;
	lp->max_tries = ti->max_tries;
	lp->pinned_try = false;
	lp->running = running;
	buf_reset(&lp->note);
	buf_puts(&lp->note, "reading...");
	loop_timer_set(l->settle, SETTLE_MS);
}

struct airflow_api *
logctl_api(struct logctl *l)
{
	return l->api;
}

const char *
logctl_api_error(struct logctl *l)
{
	return buf_str(&l->api_error);
}

void
logctl_forget_db(struct logctl *l)
{
	l->db = NULL;
	l->tmpl_pending = false;
}

void
logctl_refetch(struct logctl *l)
{
	loop_timer_stop(l->settle);
	start_fetch(l);
}

static void
scan_due(struct loop_timer *t, void *arg)
{
	struct logctl *l = arg;

	if (logpane_scan_step(l->c))
		loop_timer_set(t, 0);	/* more, after any key */
	mark_dirty(l);
}

void
logctl_scan(struct logctl *l)
{
	loop_timer_set(l->scan, 0);
}

/*
 * The HTTP client carries a context's TLS settings (airflow_tls_verify,
 * airflow_ca_file), so every context gets a client of its own: a client
 * built for one context is never used for another's server.
 */
static void
new_http(struct logctl *l, const struct settings *s)
{
	struct http_opts o;

	http_free(l->http);
	memset(&o, 0, sizeof o);
	o.insecure = !s->airflow_tls_verify;
	o.ca_file = s->airflow_ca_file;
	l->http = http_new(l->loop, &o);
}

void
logctl_switch(struct logctl *l, const struct settings *s)
{
	stop_fetch(l);
	airflow_api_free(l->api);
	l->api = NULL;
	buf_reset(&l->api_error);
	buf_puts(&l->api_error, "Airflow API: waiting for the database");
	l->configured = false;
	l->settings = s;
	l->db = NULL;
	l->tmpl_pending = false;
	new_http(l, s);
}

void
logctl_set_source(struct logctl *l, const struct settings *s,
    struct sched *db, int major, bool ti_history)
{
	bool changed = !l->configured || l->settings != s || l->major != major;

	l->settings = s;
	l->db = db;
	l->ti_history = ti_history;
	if (!changed)
		return;
	l->configured = true;
	l->major = major;
	stop_fetch(l);
	airflow_api_free(l->api);
	l->api = NULL;
	buf_reset(&l->api_error);
	new_http(l, s);
	if (settings_has_api(s)) {
		struct buf err = BUF_INIT;

		struct airflow_api_opts ao;

		options_airflow_api(s, &ao);
		l->api = airflow_api_new(l->loop, l->http, &ao, major, &err);
		if (l->api == NULL)
			buf_printf(&l->api_error, "Airflow API: %s",
			    buf_str(&err));
		buf_free(&err);
	}
	if (l->c->log.task_id != NULL)
		loop_timer_set(l->settle, 0);
}

struct logctl *
logctl_new(struct loop *loop, struct console *c, const struct settings *s,
    void (*dirty)(void *), void *arg)
{
	struct logctl	*l = xcalloc(1, sizeof *l);

	l->loop = loop;
	l->c = c;
	l->dirty = dirty;
	l->arg = arg;
	l->settings = s;
	new_http(l, s);
	l->settle = loop_timer_new(loop, settle_due, l);
	l->scan = loop_timer_new(loop, scan_due, l);
	l->draw = loop_timer_new(loop, draw_due, l);
	c->log.stick = true;
	c->log.timestamps = true;
	return l;
}

void
logctl_free(struct logctl *l)
{
	struct logpane *lp;

	if (l == NULL)
		return;
	lp = &l->c->log;
	stop_fetch(l);
	airflow_api_free(l->api);
	http_free(l->http);
	loop_timer_free(l->settle);
	loop_timer_free(l->scan);
	loop_timer_free(l->draw);
	free(l->tmpl);
	buf_free(&l->api_error);
	free(lp->dag_id);
	free(lp->run_id);
	free(lp->task_id);
	lp->dag_id = lp->run_id = lp->task_id = NULL;
	if (lp->has_search)
		logsearch_free(&lp->search);
	lp->has_search = false;
	buf_free(&lp->note);
	buf_free(&lp->said);
	free(l);
}

int
logctl_set_search(struct logctl *l, const char *pattern, struct buf *err)
{
	struct logpane	*lp = &l->c->log;
	struct logsearch s;

	if (pattern == NULL || *pattern == '\0') {
		if (lp->has_search)
			logsearch_free(&lp->search);
		lp->has_search = lp->has_match = false;
		return 0;
	}
	if (logsearch_compile(&s, pattern, err) != 0)
		return -1;
	if (lp->has_search)
		logsearch_free(&lp->search);
	lp->search = s;
	lp->has_search = true;
	lp->has_match = false;
	lp->scan_kind_error = false;
	logpane_search(l->c, 1);
	logctl_scan(l);
	return 0;
}

/*
 * Where o saves: see logctl_save.  A default name holds no '/' and no
 * control character, whatever the DAG and task ids hold.
 */
static char *
save_path(const struct logpane *lp, const char *typed)
{
	struct buf	 b = BUF_INIT;
	const char	*home = getenv("HOME");
	char		*dir, *p;

	if (*typed != '\0') {
		if (strncmp(typed, "~/", 2) == 0 && home != NULL)
			buf_printf(&b, "%s/%s", home, typed + 2);
		else
			buf_puts(&b, typed);
		return buf_detach(&b);
	}
	buf_printf(&b, "%s.%s", lp->dag_id, lp->task_id);
	if (lp->map_index >= 0)
		buf_printf(&b, ".%d", lp->map_index);
	buf_printf(&b, ".%d.log", lp->try_number);
	for (p = b.data; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			*p = '_';
	if ((dir = xdg_path(XDG_DATA, "logs")) == NULL)
		return buf_detach(&b);	/* no $HOME: the working folder */
	xdg_make_dirs(dir);
	p = xstrdup(buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "%s/%s", dir, p);
	free(p);
	free(dir);
	return buf_detach(&b);
}

int
logctl_save(struct logctl *l, const char *typed, struct buf *msg)
{
	int	 fd;
	FILE	*fp;
	int	 rc;
	char	*path = save_path(&l->c->log, typed), *full;

	/* Logs can hold secrets: the copy is the user's alone. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		buf_printf(msg, "cannot write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	rc = logpane_write(l->c, fp);
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0) {
		buf_printf(msg, "cannot write %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	/* The full path, so that it can be found from another shell. */
	full = realpath(path, NULL);
	buf_printf(msg, "saved %zu lines to %s",
	    logspool_lines(logfetch_spool(l->c->log.fetch)),
	    full != NULL ? full : path);
	free(full);
	free(path);
	return 0;
}

int
logctl_pager(struct logctl *l, struct buf *msg)
{
	const char	*pager = getenv("PAGER");
	FILE		*fp;
	struct sigaction sa, old;
	int		 rc;
	pid_t		 pid;

	if (pager == NULL || *pager == '\0')
		pager = "less";
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old);
	fp = command_popen(pager, true, &pid);
	if (fp == NULL) {
		sigaction(SIGPIPE, &old, NULL);
		buf_printf(msg, "cannot run %s: %s", pager, strerror(errno));
		return -1;
	}
	/* A pager that quits early closes the pipe: not an error. */
	logpane_write(l->c, fp);
	rc = command_pclose(fp, pid);
	sigaction(SIGPIPE, &old, NULL);
	if (rc != 0 && rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 127)
		buf_printf(msg, "cannot run %s", pager);
	return 0;
}
