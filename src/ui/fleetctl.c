/*
 * fleetctl.c: the environments overview's reads (fleetctl.h): a source,
 * a timer and a pace per context, in the console's loop.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "airflow.h"
#include "buf.h"
#include "config.h"
#include "fleet.h"
#include "fleetctl.h"
#include "loop.h"
#include "pace.h"
#include "sched_open.h"
#include "scheduler.h"
#include "status.h"
#include "ui.h"

/* Seconds between attempts to reach a context out of reach, at most. */
#define FLEET_BACKOFF_MAX	30
/*
 * The SLAs' runs are read at most this often (the console's SLA pane
 * reads them as often), over the days today's verdict and the median of
 * the last successes need, not the pane's trailing weeks.
 */
#define FLEET_SLA_EVERY		60
#define FLEET_SLA_DAYS		21

/* One context: its source, its timer, its pace and its read in flight. */
struct fctx {
	struct fleetctl		*f;
	const struct settings	*s;
	struct fleet_row	 row;
	struct sched		*db;
	bool			 opening;	/* the source is being opened */
	bool			 connected;
	bool			 reading;
	bool			 closing;	/* sched_free: callbacks ignored */
	int			 pending;	/* reads of the refresh in flight */
	int			 backoff;	/* seconds before the next try */
	struct loop_timer	*timer;		/* the next refresh or try */
	struct pace		 pace;
	int64_t			 began;		/* the read began, epoch s */
	int64_t			 open_ms;	/* the source's opening began */
	int64_t			 since;
	struct af_health	 health;
	struct af_dags		 dags;
	struct af_runs		 runs;
	struct buf		 err;		/* the read's first error */
	struct sla_panes	 sla;		/* the context's SLAs, zones */
	struct sla_history	 sla_next;	/* being read */
	struct sla_history	 sla_hist;	/* as last read */
	bool			 sla_reading;	/* this refresh reads them */
	int64_t			 sla_at;	/* their last read began */
};

struct fleetctl {
	struct loop	*loop;
	struct fctx	*v;
	size_t		 n;
	bool		 paused;
	void		(*changed)(void *);
	void		*arg;
};

static void	fctx_connect(struct fctx *);

static void
fctx_changed(struct fctx *x)
{
	if (x->f->changed != NULL)
		x->f->changed(x->f->arg);
}

/* What a read left: nothing of it is kept past status_build. */
static void
fctx_forget_read(struct fctx *x)
{
	af_health_clear(&x->health);
	af_dags_free(&x->dags);
	af_runs_free(&x->runs);
	sla_history_free(&x->sla_next);
}

/* Today of each SLA (sla_eval_day, as the SLA pane), into the row. */
static void
fctx_judge_slas(struct fctx *x, int64_t now)
{
	struct sla_day			*days;
	const struct sla_history	*h = &x->sla_hist;
	const struct sla_attempt	*v;
	size_t				 i, n;

	if (x->sla.n == 0 || x->sla_at == 0)
		return;
	days = xcalloc(x->sla.n, sizeof *days);
	for (i = 0; i < x->sla.n; i++) {
		n = i < h->nsla ? h->count[i] : 0;
		v = n > 0 ? &h->v[h->first[i]] : NULL;
		sla_eval_day(x->sla.defs[i], x->sla.zones[i],
		    sla_local_day(x->sla.zones[i], now), v, n,
		    sla_median_duration(v, n, now), now, &days[i]);
		if (sla_history_unknown_dag(h, i))
			sla_day_unknown_dag(&days[i]);
	}
	fleet_row_sla(&x->row, days, x->sla.n);
	free(days);
}

/*
 * How often a row is read: the context's refresh, but at least
 * FLEET_REFRESH_MIN seconds.  A row's read is report status's (the whole
 * DAG list and a day of runs), a few hundred times what an idle console's
 * incremental refresh costs the database at 2,000 DAGs; an overview wants
 * the verdict, not every second of it.
 */
#define FLEET_REFRESH_MIN	30

static int
fleet_refresh(const struct settings *s)
{
	int r = settings_refresh(s);

	return r > FLEET_REFRESH_MIN ? r : FLEET_REFRESH_MIN;
}

/*
 * The context failed (its source could not open, was lost, or a read
 * failed): the row says why and keeps what it had; the next try after a
 * backoff that doubles up to FLEET_BACKOFF_MAX, through a new source.
 */
static void
fctx_fail(struct fctx *x, const char *why)
{
	if (x->reading)
		pace_end(&x->pace, loop_now_ms(), fleet_refresh(x->s),
		    x->s->slow_refresh, NULL);
	x->reading = false;
	x->pending = 0;
	x->connected = x->opening = false;
	fctx_forget_read(x);
	fleet_row_fail(&x->row, why);
	x->backoff = x->backoff == 0 ? 1 : x->backoff * 2;
	if (x->backoff > FLEET_BACKOFF_MAX)
		x->backoff = FLEET_BACKOFF_MAX;
	loop_timer_set(x->timer, (int64_t)x->backoff * 1000);
	fctx_changed(x);
}

/* One of the refresh's three reads is in; the last judges (status.h). */
static void
read_done(void *arg, const char *err)
{
	struct fctx	*x = arg;
	struct status	 st;

	if (x->closing || !x->reading)
		return;
	if (err != NULL && x->err.len == 0)
		buf_puts(&x->err, err);
	if (--x->pending > 0)
		return;
	if (x->err.len > 0) {
		fctx_fail(x, buf_str(&x->err));
		return;
	}
	x->reading = false;
	status_build(&st, &x->health, &x->dags, &x->runs, x->since,
	    x->s->scheduler_threshold);
	fleet_row_set(&x->row, &st, sched_about(x->db)->release, x->began);
	status_clear(&st);
	if (x->sla_reading) {
		sla_history_free(&x->sla_hist);
		x->sla_hist = x->sla_next;
		memset(&x->sla_next, 0, sizeof x->sla_next);
		x->sla_at = x->began;
	}
	fctx_judge_slas(x, (int64_t)time(NULL));
	fctx_forget_read(x);
	pace_end(&x->pace, loop_now_ms(), fleet_refresh(x->s),
	    x->s->slow_refresh, NULL);
	loop_timer_set(x->timer,
	    (int64_t)pace_every(&x->pace, fleet_refresh(x->s)) * 1000);
	fctx_changed(x);
}

/*
 * A refresh: report status's three first reads at once.  Never while the
 * last one runs (pace.h), nor while the overview is paused.
 */
static void
fctx_read(struct fctx *x)
{
	if (!x->connected || x->reading || x->f->paused)
		return;
	loop_timer_stop(x->timer);
	x->reading = true;
	x->pending = 3;
	buf_reset(&x->err);
	pace_begin(&x->pace, loop_now_ms());
	x->began = (int64_t)time(NULL);
	x->since = x->began - FLEET_WINDOW;
	fctx_forget_read(x);
	x->sla_reading = x->sla.n > 0 && (x->sla_at == 0 ||
	    x->began - x->sla_at >= FLEET_SLA_EVERY);
	if (x->sla_reading)
		x->pending++;
	sched_fetch_health(x->db, &x->health, read_done, x);
	sched_fetch_dags(x->db, &x->dags, read_done, x);
	sched_fetch_runs_since(x->db, x->since, &x->runs, read_done, x);
	if (x->sla_reading)
		sched_fetch_sla(x->db, x->sla.defs, x->sla.n,
		    x->began - FLEET_SLA_DAYS * 86400, x->began + 2 * 86400,
		    &x->sla_next, read_done, x);
}

static void
opened(void *arg, const char *err)
{
	struct fctx *x = arg;

	if (x->closing)
		return;
	if (err != NULL) {
		fctx_fail(x, err);
		return;
	}
	x->connected = true;
	x->opening = false;
	x->backoff = 0;
	fctx_read(x);
}

static void
lost(void *arg, const char *err)
{
	struct fctx *x = arg;

	if (x->closing)
		return;
	fctx_fail(x, err);
}

/* The source closed (its reads' callbacks ignored), then a new one. */
static void
fctx_close(struct fctx *x)
{
	x->closing = true;
	sched_free(x->db);
	x->closing = false;
	x->db = NULL;
	x->connected = x->reading = x->opening = false;
	x->pending = 0;
	fctx_forget_read(x);
}

static void
fctx_connect(struct fctx *x)
{
	struct buf err = BUF_INIT;

	fctx_close(x);
	x->open_ms = loop_now_ms();
	x->opening = true;
	x->db = sched_open_context(x->f->loop, x->s, opened, lost, x, &err);
	if (x->db == NULL)
		fctx_fail(x, buf_str(&err));
	buf_free(&err);
}

/* The timer: the next refresh, or the next try to reach the context. */
static void
fctx_due(struct loop_timer *t, void *arg)
{
	struct fctx *x = arg;

	(void)t;
	if (x->f->paused)
		return;		/* fleetctl_pause(false) catches up */
	if (!x->connected)
		fctx_connect(x);
	else
		fctx_read(x);
}

struct fleetctl *
fleetctl_new(struct loop *loop, const struct config *cfg,
    const struct settings *v, size_t n, void (*changed)(void *), void *arg)
{
	struct fleetctl	*f = xcalloc(1, sizeof *f);
	size_t		 i;

	f->loop = loop;
	f->n = n;
	f->v = xcalloc(n, sizeof *f->v);
	f->changed = changed;
	f->arg = arg;
	for (i = 0; i < n; i++) {
		struct fctx *x = &f->v[i];

		x->f = f;
		x->s = &v[i];
		fleet_row_init(&x->row, v[i].context != NULL ? v[i].context :
		    "(command line)");
		af_health_clear(&x->health);
		x->err = (struct buf)BUF_INIT;
		x->timer = loop_timer_new(loop, fctx_due, x);
		pace_init(&x->pace);
		sla_panes_load(&x->sla, cfg, &v[i]);
		x->row.nsla = x->sla.n;
	}
	for (i = 0; i < n; i++)
		fctx_connect(&f->v[i]);
	return f;
}

void
fleetctl_free(struct fleetctl *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		fctx_close(&f->v[i]);
		loop_timer_free(f->v[i].timer);
		fleet_row_free(&f->v[i].row);
		buf_free(&f->v[i].err);
		sla_history_free(&f->v[i].sla_hist);
		sla_panes_free(&f->v[i].sla);
	}
	free(f->v);
	free(f);
}

size_t
fleetctl_count(const struct fleetctl *f)
{
	return f->n;
}

const struct fleet_row *
fleetctl_row(const struct fleetctl *f, size_t i)
{
	return &f->v[i].row;
}

const struct settings *
fleetctl_settings(const struct fleetctl *f, size_t i)
{
	return f->v[i].s;
}

int64_t
fleetctl_reading(const struct fleetctl *f, size_t i, int64_t now_ms)
{
	const struct fctx *x = &f->v[i];

	if (x->reading)
		return (now_ms - x->pace.began_ms) / 1000;
	if (x->opening)
		return (now_ms - x->open_ms) / 1000;	/* connecting */
	return -1;
}

int
fleetctl_every(const struct fleetctl *f, size_t i)
{
	return pace_every(&f->v[i].pace, fleet_refresh(f->v[i].s));
}

void
fleetctl_pause(struct fleetctl *f, bool paused)
{
	size_t i;

	f->paused = paused;
	if (paused)
		return;
	for (i = 0; i < f->n; i++) {
		struct fctx	*x = &f->v[i];
		int64_t		 age = (int64_t)time(NULL) - x->began;
		int		 every = pace_every(&x->pace, fleet_refresh(x->s));

		/*
		 * Back from a context: a row read within its interval waits
		 * for its timer (Enter and back again read nothing more).
		 */
		if (x->connected && x->began != 0 && age < every)
			loop_timer_set(x->timer, (int64_t)(every - age) * 1000);
		else if (x->connected)
			fctx_read(x);
		else if (!x->opening && !loop_timer_pending(x->timer))
			fctx_connect(x);	/* its try fell in the pause */
	}
}

void
fleetctl_refresh(struct fleetctl *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		fctx_read(&f->v[i]);
}
