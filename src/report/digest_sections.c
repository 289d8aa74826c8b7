/*
 * digest_sections.c: the weekly digest's sections read from sources of
 * their own (digest_read.h): the Four Keys of every [service], BigQuery
 * slots over the week, and every configured context's health.  Each runs
 * a loop of its own until its source has answered, then copies what the
 * digest needs: the digest owns everything it holds, the sources are
 * freed before the function returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "digest_read.h"
#include "fourkeys_src.h"
#include "loop.h"
#include "options.h"
#include "report.h"
#include "secret.h"
#include "slots_src.h"

/* At most this many top consumers: a page for people, not a dump. */
#define DIGEST_TOP	10

/*
 * Where a section's window ends: the week's end, or now while the week
 * (--week this) is not over, so no minute or day still to come is
 * counted as an empty one.
 */
static int64_t
so_far(const struct digest *d, int64_t now)
{
	return d->to < now ? d->to : now;
}

void
digest_set_error(struct digest_origin *o, const char *why)
{
	free(o->error);
	o->error = scrub_dup(why != NULL && *why != '\0' ? why : "no answer",
	    NULL);
}

/* --- Four Keys ------------------------------------------------------------ */

struct fk_wait {
	struct loop	*loop;
	struct fk_src	*src;
};

static void
fk_one_done(void *arg)
{
	struct fk_wait *w = arg;

	if (!fk_src_busy(w->src))
		loop_break(w->loop);
}

/* The newest deployment, incident opened or resolved before `to`. */
static int64_t
fk_newest(const struct fk_data *data, int64_t to)
{
	int64_t	t = TIME_NONE;
	size_t	i;

	for (i = 0; i < data->ndep; i++)
		if (data->dep[i].at < to && data->dep[i].at > t)
			t = data->dep[i].at;
	for (i = 0; i < data->ninc; i++) {
		if (data->inc[i].opened < to && data->inc[i].opened > t)
			t = data->inc[i].opened;
		if (data->inc[i].resolved > 0 && data->inc[i].resolved < to &&
		    data->inc[i].resolved > t)
			t = data->inc[i].resolved;
	}
	return t;
}

/*
 * One source over the 30 days that end at d->to: it reads twice the window
 * back (the period before too), which holds the 7 days and theirs as
 * well, so both results are computed here from its data with the model's
 * fk_evaluate and belong to the digest; nothing is read twice.
 */
void
digest_read_fourkeys(struct digest *d, const struct config *cfg)
{
	struct digest_origin	*o = &d->origin[DIGEST_FOURKEYS];
	struct fk_wait		 w;
	struct fk_svc_view	 v;
	struct buf		 err = BUF_INIT;
	size_t			 i, n;
	int			 year;
	int64_t			 began = (int64_t)time(NULL), end;

	if (cfg->nsvc == 0) {
		o->skipped = xstrdup("no [service] is configured");
		return;
	}
	w.loop = loop_new();
	end = so_far(d, began);
	w.src = fk_src_new(w.loop, cfg->svc, cfg->nsvc, &cfg->fk, NULL, 30,
	    end, &err);
	if (w.src == NULL) {
		digest_set_error(o, buf_str(&err));
		goto out;
	}
	/* The source's fetched_at is its window's end: began is the read's. */
	fk_src_refresh(w.src, fk_one_done, &w);
	if (fk_src_busy(w.src))
		loop_run(w.loop);
	n = fk_src_count(w.src);
	year = fk_src_year(w.src);
	d->services = xcalloc(n, sizeof *d->services);
	d->nservices = n;
	for (i = 0; i < n; i++) {
		struct digest_service *sv = &d->services[i];

		fk_src_service(w.src, i, &v);
		sv->name = xstrdup(v.name);
		sv->origin.source = xstrdup(v.describe);
		sv->origin.read_at = sv->origin.newest = TIME_NONE;
		if (!v.valid) {
			digest_set_error(&sv->origin, v.error);
			continue;
		}
		fk_evaluate(v.data, end, 7, year, &sv->week);
		fk_evaluate(v.data, end, 30, year, &sv->month);
		sv->origin.read_at = began;
		sv->origin.newest = fk_newest(v.data, end);
		if (sv->origin.newest > o->newest)
			o->newest = sv->origin.newest;
	}
	buf_printf(&err, "Four Keys of %zu service%s, DORA %d bands", n,
	    n == 1 ? "" : "s", year);
	if (end < d->to)
		buf_puts(&err, "; the days up to now (the week so far)");
	o->source = xstrdup(buf_str(&err));
	o->read_at = began;
out:
	fk_src_free(w.src);
	loop_free(w.loop);
	buf_free(&err);
}

/* --- BigQuery slots ------------------------------------------------------- */

static void
slots_one_done(void *arg)
{
	loop_break(arg);
}

/* Shown as report slots shows them: the configured one, else those used. */
static bool
resv_shown(const struct slots *sl, const struct slot_resv *r)
{
	if (r->id == NULL || sl->only == NULL)
		return r->used;
	return strcmp(r->id, sl->only) == 0;
}

/* Baseline + autoscale max of the window's last minute; -1 unknown. */
static double
resv_capacity(const struct slots *sl, const struct slot_resv *r)
{
	if (r->id != NULL && r->now.baseline >= 0)
		return r->now.baseline + r->now.autoscale_max;
	return sl->cap_kind == CAP_FIXED ? sl->cap_now : -1;
}

/*
 * The top consumers: the Airflow tasks (airflow-dag and airflow-task
 * labels), most slot-ms first, which is what a team lead acts on; the
 * users when no job of the week carries the labels.  One kind only, so
 * the shares never count a job twice.
 */
static void
slots_top(struct digest_slots *ds, const struct slots *sl)
{
	enum consumer_kind	kind = CONSUMER_DAG;
	size_t			i;

	for (i = 0; i < sl->nc && sl->c[i].kind != CONSUMER_DAG; i++)
		;
	if (i == sl->nc)
		kind = CONSUMER_USER;
	ds->top = xcalloc(DIGEST_TOP, sizeof *ds->top);
	for (i = 0; i < sl->nc && ds->ntop < DIGEST_TOP; i++) {
		const struct slot_consumer	*c = &sl->c[i];
		struct digest_consumer		*t = &ds->top[ds->ntop];

		if (c->kind != kind || c->key == NULL)
			continue;
		t->key = xstrdup(c->key);
		t->dag_id = dup_or_null(c->dag);
		t->task_id = dup_or_null(c->task);
		t->slot_ms = c->slot_ms;
		t->share = c->share;
		t->jobs = c->jobs;
		t->bytes_billed = c->bytes_billed;
		ds->ntop++;
	}
}

static void
slots_copy(struct digest *d, const struct slots *sl)
{
	struct digest_slots	*ds = &d->slots;
	size_t			 i, k;

	ds->peak = sl->peak;
	ds->peak_at = sl->peak_at;
	ds->average = sl->average;
	ds->resv = xcalloc(sl->nr > 0 ? sl->nr : 1, sizeof *ds->resv);
	for (i = 0; i < sl->nr; i++) {
		const struct slot_resv		*r = &sl->r[i];
		struct digest_reservation	*o = &ds->resv[ds->nresv];

		if (!resv_shown(sl, r))
			continue;
		o->id = dup_or_null(r->id);
		o->peak = r->peak;
		o->peak_at = r->peak_at;
		o->average = r->average;
		o->capacity = resv_capacity(sl, r);
		o->minutes_above = r->minutes_above;
		ds->nresv++;
	}
	slots_top(ds, sl);
	/* The newest datum: the last minute anything ran. */
	for (k = sl->n; k > 0; k--)
		if (sl->m[k - 1].slots > 0) {
			d->origin[DIGEST_SLOTS].newest = sl->m[k - 1].t;
			break;
		}
}

/*
 * The week's bounds go to the INFORMATION_SCHEMA queries as parameters
 * (slots_options from, until): the top consumers are summed by BigQuery,
 * so only the server can keep them to the week.
 */
void
digest_read_slots(struct digest *d, const struct settings *s)
{
	struct digest_origin	*o = &d->origin[DIGEST_SLOTS];
	struct slots_options	 so;
	struct slots_src	*src;
	struct loop		*loop;
	struct buf		 err = BUF_INIT;
	const struct slots	*sl;

	options_slots(s, &so);
	if (so.project == NULL) {
		o->skipped = xstrdup("no BigQuery project is configured");
		return;
	}
	so.from = d->from;
	so.until = so_far(d, (int64_t)time(NULL));
	loop = loop_new();
	if ((src = slots_src_new(loop, &so, 0, &err)) == NULL) {
		digest_set_error(o, buf_str(&err));
		goto out;
	}
	slots_src_refresh(src, slots_one_done, loop);
	if (slots_src_busy(src))
		loop_run(loop);
	buf_printf(&err, "BigQuery (%s)", slots_src_describe(src));
	if (so.until < d->to)
		buf_puts(&err, "; the week so far");
	if (*slots_src_warning(src) != '\0')
		buf_printf(&err, "; %s", slots_src_warning(src));
	o->source = xstrdup(buf_str(&err));
	sl = slots_src_last(src);
	if (!sl->valid) {
		digest_set_error(o, slots_src_error(src));
		goto out;
	}
	o->read_at = sl->read_at;
	slots_copy(d, sl);
out:
	slots_src_free(src);
	loop_free(loop);
	buf_free(&err);
}

/* --- environments --------------------------------------------------------- */

static void
env_judged(void *arg, size_t i, const struct status *st, const char *release,
    const char *error)
{
	struct digest		*d = arg;
	struct digest_env	*e = &d->envs[i];

	if (st == NULL) {
		e->verdict = VERDICT_UNKNOWN;
		e->error = xstrdup(error);
		return;
	}
	e->verdict = st->verdict;
	e->summary = xstrdup(buf_str(&st->summary));
	e->version = dup_or_null(release);
	e->active = st->nactive;
	e->paused = st->npaused;
	e->import_errors = st->nimport_errors;
	e->failed = st->runs_by_state[RUN_FAILED];
	e->running = st->runs_by_state[RUN_RUNNING];
	e->queued = st->runs_by_state[RUN_QUEUED];
	if (st->now > d->origin[DIGEST_ENVIRONMENTS].newest)
		d->origin[DIGEST_ENVIRONMENTS].newest = st->now;
}

/*
 * The window is [d->from, now), not the week alone: the health of a
 * context is what it is now (its scheduler, its import errors), and the
 * runs are those since the week began, as `report status --since` counts
 * them; for the last week that is the week and the hours since.
 */
void
digest_read_envs(struct digest *d, const struct config *cfg,
    const struct cli_options *cli)
{
	struct digest_origin	*o = &d->origin[DIGEST_ENVIRONMENTS];
	struct settings		*v = NULL;
	struct cli_options	 all = *cli;
	struct buf		 err = BUF_INIT;
	size_t			 i, n = 0;

	/*
	 * The digest is one context's (--context NAME); its environments are
	 * the file's: [dagtop] contexts = (or --all-contexts), whatever
	 * --context or DAGTOP_CONTEXT chose for the rest.
	 */
	if (!all.all_contexts && cfg->contexts != NULL && all.database == NULL)
		all.context = cfg->contexts;
	if (config_resolve_contexts(cfg, &all, &v, &n, &err) != 0) {
		digest_set_error(o, buf_str(&err));
		buf_free(&err);
		return;
	}
	if (n < 2) {
		o->skipped = xstrdup(DIGEST_ENVS_SKIPPED);
		goto out;
	}
	buf_printf(&err, "Airflow of %zu contexts:", n);
	d->envs = xcalloc(n, sizeof *d->envs);
	d->nenvs = n;
	for (i = 0; i < n; i++) {
		v[i].readonly = true;	/* reports never write */
		d->envs[i].context = xstrdup(v[i].context);
		buf_printf(&err, "%s %s", i > 0 ? "," : "", v[i].context);
	}
	o->source = xstrdup(buf_str(&err));
	report_status_judge(v, n, d->from, env_judged, d);
	o->read_at = (int64_t)time(NULL);
out:
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	buf_free(&err);
}
