/* slots_src.c: the slots pane's and report's BigQuery source (slots_src.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bigquery.h"
#include "google_auth.h"
#include "http.h"
#include "loop.h"
#include "slots_src.h"

#define TOP_CONSUMERS	15

enum { Q_TIMELINE, Q_CAPACITY, Q_CONSUMERS, Q_COUNT };

struct slots_src {
	struct loop		*loop;
	struct http		*http;
	struct gauth		*auth;
	struct bq		*bq;
	char			*project, *admin, *location;
	char			*reservation;	/* NULL: every one used */
	enum jobs_view		 view;
	int			 minutes;
	int64_t			 until;		/* 0: the window ends now */
	json_t			*params;	/* the window's, or NULL */
	int			 alert_minutes;
	int			 refresh_s;
	int			 capacity;	/* configured, -1 none */
	struct slots		 last;
	struct slots		 next;
	struct bq_query		*q[Q_COUNT];
	int			 pending;
	struct buf		 error, next_error;
	struct buf		 warning, next_warning;
	struct buf		 describe;
	slots_src_cb		 cb;
	void			*cb_arg;
	bool			 autorefresh;
	struct loop_timer	*timer;
};

static void	refresh_due(struct loop_timer *, void *);

/*
 * A TIMESTAMP query parameter at epoch seconds t, its value as the API
 * takes one: "2026-11-16 00:00:00+00:00" (a string, as every value).
 */
static json_t *
ts_param(const char *name, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		v[40];

	gmtime_r(&tt, &tm);
	strftime(v, sizeof v, "%Y-%m-%d %H:%M:%S+00:00", &tm);
	return json_pack("{s:s, s:{s:s}, s:{s:s}}", "name", name,
	    "parameterType", "type", "TIMESTAMP", "parameterValue", "value", v);
}

struct slots_src *
slots_src_new(struct loop *loop, const struct slots_options *o, int hours,
    struct buf *err)
{
	struct slots_src	*src;
	struct bq_opts		 bo;

	if (o->project == NULL) {
		buf_puts(err, "no BigQuery project: set bigquery_project in the "
		    "context, or GOOGLE_CLOUD_PROJECT");
		return NULL;
	}
	/* A past window must hold a whole minute: not "the last hours". */
	if (o->until > 0 && o->until / 60 * 60 - o->from < 60) {
		buf_puts(err, "the BigQuery slots window is shorter than a "
		    "whole minute");
		return NULL;
	}
	src = xcalloc(1, sizeof *src);
	src->loop = loop;
	src->http = http_new(loop, NULL);
	src->auth = gauth_new(loop, src->http, &o->auth, err);
	if (src->auth == NULL) {
		http_free(src->http);
		free(src);
		return NULL;
	}
	memset(&bo, 0, sizeof bo);
	bo.base_url = o->url;
	bo.project = o->project;
	bo.location = o->location;
	bo.page_rows = 5000;
	src->bq = bq_new(loop, src->http, src->auth, &bo);
	src->project = xstrdup(o->project);
	src->admin = xstrdup(o->admin_project != NULL ?
	    o->admin_project : o->project);
	src->location = xstrdup(o->location);
	src->minutes = (hours > 0 ? hours : o->hours) * 60;
	if (o->until > 0) {
		src->until = o->until / 60 * 60;
		src->minutes = (int)((src->until - o->from) / 60);
		src->params = json_pack("[o, o]", ts_param("window_start",
		    src->until - (int64_t)src->minutes * 60),
		    ts_param("window_end", src->until));
	}
	src->refresh_s = o->refresh > 0 ? o->refresh : 60;
	src->capacity = o->capacity;
	src->reservation = o->reservation != NULL ?
	    xstrdup(o->reservation) : NULL;
	src->view = o->org_view ? JOBS_VIEW_ORGANIZATION :
	    JOBS_VIEW_PROJECT;
	src->alert_minutes = SLOTS_ALERT_MINUTES;
	src->timer = loop_timer_new(loop, refresh_due, src);
	buf_printf(&src->describe, "project %s, %s, %s", src->project,
	    src->location, gauth_describe(src->auth));
	return src;
}

void
slots_src_free(struct slots_src *src)
{
	int i;

	if (src == NULL)
		return;
	for (i = 0; i < Q_COUNT; i++)
		bq_cancel(src->q[i]);
	bq_free(src->bq);
	gauth_free(src->auth);
	http_free(src->http);
	loop_timer_free(src->timer);
	slots_free(&src->last);
	slots_free(&src->next);
	buf_free(&src->error);
	buf_free(&src->next_error);
	buf_free(&src->warning);
	buf_free(&src->next_warning);
	buf_free(&src->describe);
	free(src->project);
	free(src->admin);
	free(src->location);
	free(src->reservation);
	json_decref(src->params);
	free(src);
}

static void
all_in(struct slots_src *src)
{
	buf_reset(&src->error);
	buf_puts(&src->error, buf_str(&src->next_error));
	if (src->next_error.len == 0) {
		slots_finish(&src->next);
		src->next.read_at = (int64_t)time(NULL);
		src->next.valid = true;
		slots_move(&src->last, &src->next);
		buf_reset(&src->warning);
		buf_puts(&src->warning, buf_str(&src->next_warning));
	} else
		slots_free(&src->next);
	/* ADC settles on a way to a token only once it has looked. */
	buf_reset(&src->describe);
	buf_printf(&src->describe, "project %s, %s, %s", src->project,
	    src->location, gauth_describe(src->auth));
	if (src->autorefresh)
		loop_timer_set(src->timer, (int64_t)src->refresh_s * 1000);
	if (src->cb != NULL)
		src->cb(src->cb_arg);
}

static void
query_done(struct slots_src *src, int which, struct bq_result *res,
    const char *err)
{
	struct buf e = BUF_INIT;
	int rc = 0;

	src->q[which] = NULL;
	if (res != NULL) {
		/* -1: jobs.get did not say; the rows still count. */
		if (res->bytes_billed > 0)
			src->next.query_bytes_billed += res->bytes_billed;
		src->next.query_bytes_processed += res->bytes_processed;
		if (which == Q_TIMELINE)
			rc = slots_add_timeline(&src->next, &res->table, &e);
		else if (which == Q_CAPACITY)
			rc = slots_add_capacity(&src->next, &res->table, &e);
		else
			rc = slots_add_consumers(&src->next, &res->table, &e);
		if (rc != 0)
			err = buf_str(&e);
	}
	if (err != NULL) {
		if (which == Q_CAPACITY) {
			/* Reservations may be out of reach: usage still counts. */
			buf_printf(&src->next_warning, "capacity unknown: %s",
			    err);
			src->next.cap_kind = CAP_UNKNOWN;
		} else if (src->next_error.len == 0)
			buf_puts(&src->next_error, err);
	}
	buf_free(&e);
	if (--src->pending == 0)
		all_in(src);
}

static void
timeline_done(void *arg, struct bq_result *res, const char *err)
{
	query_done(arg, Q_TIMELINE, res, err);
}

static void
capacity_done(void *arg, struct bq_result *res, const char *err)
{
	query_done(arg, Q_CAPACITY, res, err);
}

static void
consumers_done(void *arg, struct bq_result *res, const char *err)
{
	query_done(arg, Q_CONSUMERS, res, err);
}

/* A statement of the window: over the parameters when it is a past one. */
static struct bq_query *
ask(struct slots_src *src, const char *sql, bq_cb cb)
{
	return bq_query_params(src->bq, sql, src->params, cb, src);
}

static void
start(struct slots_src *src)
{
	struct buf	sql = BUF_INIT;
	int		minutes = src->params != NULL ? SLOTS_SQL_WINDOW :
			    src->minutes;

	if (src->pending > 0)
		return;
	slots_free(&src->next);
	slots_init(&src->next, src->until > 0 ? src->until :
	    (int64_t)time(NULL), src->minutes);
	src->next.alert_minutes = src->alert_minutes;
	slots_only(&src->next, src->reservation);
	buf_reset(&src->next_error);
	buf_reset(&src->next_warning);
	src->pending = 2;
	slots_sql_timeline(&sql, src->project, src->location, minutes,
	    src->view, src->admin);
	src->q[Q_TIMELINE] = ask(src, buf_str(&sql), timeline_done);
	buf_reset(&sql);
	slots_sql_consumers(&sql, src->project, src->location, minutes,
	    TOP_CONSUMERS);
	src->q[Q_CONSUMERS] = ask(src, buf_str(&sql), consumers_done);
	buf_reset(&sql);
	if (src->capacity >= 0)
		slots_set_capacity(&src->next, src->capacity);
	else {
		src->pending++;
		slots_sql_capacity(&sql, src->admin, src->location, minutes);
		src->q[Q_CAPACITY] = ask(src, buf_str(&sql), capacity_done);
	}
	buf_free(&sql);
}

void
slots_src_alert_minutes(struct slots_src *src, int minutes)
{
	if (minutes > 0)
		src->alert_minutes = minutes;
}

static void
refresh_due(struct loop_timer *t, void *arg)
{
	(void)t;
	start(arg);
}

void
slots_src_refresh(struct slots_src *src, slots_src_cb cb, void *arg)
{
	src->cb = cb;
	src->cb_arg = arg;
	loop_timer_stop(src->timer);
	start(src);
}

void
slots_src_auto(struct slots_src *src, slots_src_cb cb, void *arg)
{
	src->autorefresh = true;
	slots_src_refresh(src, cb, arg);
}

const struct slots *
slots_src_last(const struct slots_src *src)
{
	return &src->last;
}

const char *
slots_src_error(const struct slots_src *src)
{
	return buf_str(&src->error);
}

const char *
slots_src_warning(const struct slots_src *src)
{
	return buf_str(&src->warning);
}

bool
slots_src_busy(const struct slots_src *src)
{
	return src->pending > 0;
}

const char *
slots_src_describe(const struct slots_src *src)
{
	return buf_str(&src->describe);
}
