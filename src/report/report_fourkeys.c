/*
 * report_fourkeys.c: `dagtop report fourkeys`: the DORA Four Keys of each
 * configured service over a window, with the previous window for the
 * trend and the DORA band of each metric, as text, JSON, CSV or Markdown.
 * Exit 0 when every service was read, 3 when one could not be (the others
 * are still written).  Read-only: GitHub GETs and a read-only SQL session.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "fourkeys_src.h"
#include "loop.h"
#include "openmetrics.h"
#include "report.h"
#include "sparkline.h"
#include "timefmt.h"

struct fk_job {
	struct loop	*loop;
	struct fk_src	*src;
};

static void
one_done(void *arg)
{
	struct fk_job *j = arg;

	if (!fk_src_busy(j->src))
		loop_break(j->loop);
}

/* The trend, or "n/a" when either window has no data to compare. */
static const char *
trend_or_na(int t, bool comparable)
{
	return comparable ? fk_trend_word(t) : "n/a";
}

static void
put_rate(struct buf *b, const struct fk_metrics *m)
{
	if (m->per_day >= 1)
		buf_printf(b, "%.1f/day", m->per_day);
	else
		buf_printf(b, "%.1f/week", m->per_week);
}

static void
put_secs(struct buf *b, int64_t s)
{
	if (s < 0)
		buf_puts(b, "no data");
	else
		fmt_duration(b, (double)s);
}

static void
put_cfr(struct buf *b, const struct fk_metrics *m)
{
	if (m->cfr < 0)
		buf_puts(b, "no data");
	else
		buf_printf(b, "%.0f%% (%d of %d)", m->cfr * 100, m->failed,
		    m->deployments);
}

static void
iso_utc(struct buf *b, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	buf_printf(b, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* One metric line: "  name   value   band   trend (before: prev)". */
static void
text_line(struct buf *b, bool md, const char *name, const char *value,
    enum fk_band band, const char *trend, const char *prev)
{
	const char *bn = band == FK_BAND_NONE ? "-" : fk_band_name(band);

	if (md)
		buf_printf(b, "| %s | %s | %s | %s (before: %s) |\n", name,
		    value, bn, trend, prev);
	else
		buf_printf(b, "  %-22s %-30s %-7s %s (before: %s)\n", name,
		    value, bn, trend, prev);
}

/* The four metric lines of a measured service and its sparkline. */
static void
text_metrics(struct buf *b, bool md, const struct fk_result *r)
{
	const struct fk_metrics	*c = &r->cur, *p = &r->prev;
	struct buf		 val = BUF_INIT, prev = BUF_INIT;

	if (md)
		buf_puts(b, "| metric | value | band | trend |\n"
		    "|---|---|---|---|\n");
	buf_printf(&val, "%d, ", c->deployments);
	put_rate(&val, c);
	buf_printf(&val, ", %s", fk_freq_name(c->freq));
	buf_printf(&prev, "%d, ", p->deployments);
	put_rate(&prev, p);
	text_line(b, md, "deployment frequency", buf_str(&val),
	    r->band_freq, fk_trend_word(fk_trend_freq(c, p)), buf_str(&prev));
	buf_reset(&val);
	put_secs(&val, c->lead_median);
	if (c->lead_median >= 0) {
		buf_puts(&val, ", p90 ");
		put_secs(&val, c->lead_p90);
		buf_printf(&val, ", %d changes", c->changes);
	}
	buf_reset(&prev);
	put_secs(&prev, p->lead_median);
	text_line(b, md, "lead time for changes", buf_str(&val),
	    r->band_lead, trend_or_na(fk_trend_lead(c, p),
	    c->lead_median >= 0 && p->lead_median >= 0), buf_str(&prev));
	buf_reset(&val);
	put_cfr(&val, c);
	buf_reset(&prev);
	put_cfr(&prev, p);
	text_line(b, md, "change failure rate", buf_str(&val), r->band_cfr,
	    trend_or_na(fk_trend_cfr(c, p), c->cfr >= 0 && p->cfr >= 0),
	    buf_str(&prev));
	buf_reset(&val);
	if (c->incidents == 0)
		buf_puts(&val, "no data (no incident)");
	else {
		put_secs(&val, c->restore_median);
		buf_printf(&val, ", %d of %d restored", c->restored,
		    c->incidents);
	}
	buf_reset(&prev);
	put_secs(&prev, p->restore_median);
	text_line(b, md, "time to restore", buf_str(&val), r->band_restore,
	    trend_or_na(fk_trend_restore(c, p), c->restore_median >= 0 &&
	    p->restore_median >= 0), buf_str(&prev));
	buf_reset(&val);
	sparkline(&val, c->daily, c->days, 0, md);
	if (md)
		buf_printf(b, "\nDeployments per day: `%s`\n", buf_str(&val));
	else
		buf_printf(b, "  %-22s %s\n", "deployments per day",
		    buf_str(&val));
	buf_free(&val);
	buf_free(&prev);
}

/* The incidents behind the failure rate and restore time, one a line. */
static void
text_incidents(struct buf *b, bool md, const struct fk_svc_view *v)
{
	const struct fk_result	*r = v->res;
	const struct fk_metrics	*c = &r->cur;
	size_t			 k;
	bool			 listed = false;

	for (k = 0; k < v->data->ninc; k++) {
		const struct fk_incident *in = &v->data->inc[k];
		int d = r->links.inc_deploy[k];

		if (in->opened < c->from || in->opened >= c->to)
			continue;
		if (md && !listed)
			buf_putc(b, '\n');
		listed = true;
		buf_puts(b, md ? "- incident " : "  incident ");
		report_put_text(b, in->id, md);
		if (in->resolved > 0) {
			buf_puts(b, ", restored in ");
			fmt_duration(b, (double)(in->resolved - in->opened));
		} else
			buf_puts(b, ", still open");
		if (d >= 0) {
			buf_puts(b, ", caused by ");
			report_put_text(b, v->data->dep[d].id, md);
		}
		if (in->title != NULL) {
			buf_puts(b, ": ");
			report_put_text(b, in->title, md);
		}
		buf_putc(b, '\n');
	}
}

static void
write_text(struct fk_src *src, bool md, struct buf *b)
{
	struct fk_svc_view	 v;
	size_t			 i;

	for (i = 0; i < fk_src_count(src); i++) {
		fk_src_service(src, i, &v);
		if (i > 0)
			buf_putc(b, '\n');
		buf_puts(b, md ? "### " : "");
		report_put_text(b, v.name, md);
		buf_puts(b, md ? "\n\n_" : " (");
		report_put_text(b, v.describe, md);
		buf_puts(b, md ? "_\n\n" : ")\n");
		if (!v.valid) {
			buf_puts(b, md ? "UNKNOWN: " : "  UNKNOWN: ");
			report_put_text(b, *v.error != '\0' ? v.error :
			    "no answer", md);
			buf_putc(b, '\n');
			continue;
		}
		text_metrics(b, md, v.res);
		text_incidents(b, md, &v);
	}
}

/* "FOUR KEYS  30 days, ... to ...; DORA 2023 bands" and a blank line. */
static void
write_heading(struct fk_src *src, bool md, struct buf *b)
{
	struct fk_svc_view	v;
	size_t			i;

	if (!md)
		buf_puts(b, "FOUR KEYS  ");
	for (i = 0; i < fk_src_count(src); i++) {
		fk_src_service(src, i, &v);
		if (v.valid) {
			buf_printf(b, "%d days, ", v.res->cur.days);
			iso_utc(b, v.res->cur.from);
			buf_puts(b, " to ");
			iso_utc(b, v.res->cur.to);
			buf_puts(b, "; ");
			break;
		}
	}
	buf_printf(b, "DORA %d bands\n\n", fk_src_year(src));
}

/* The verdict line: every service read (OK), or which could not be. */
static void
write_verdict(struct fk_src *src, int rc, bool md, struct buf *b)
{
	struct fk_svc_view	 v;
	struct buf		 line = BUF_INIT;
	size_t			 i, bad = 0, n = fk_src_count(src);

	for (i = 0; i < n; i++) {
		fk_src_service(src, i, &v);
		if (!v.valid)
			bad++;
	}
	if (bad == 0)
		report_verdict(&line, rc, "Four Keys of %zu service%s over %d "
		    "days", n, n == 1 ? "" : "s", fk_src_days(src));
	else
		report_verdict(&line, rc, "Four Keys: %zu of %zu service%s "
		    "could not be read", bad, n, n == 1 ? "" : "s");
	if (md) {
		line.data[--line.len] = '\0';
		buf_printf(b, "## Four Keys\n\n**%s**\n\n", buf_str(&line));
	} else
		buf_puts(b, buf_str(&line));
	buf_free(&line);
}

static json_t *
jsecs(int64_t s)
{
	return s >= 0 ? json_integer(s) : json_null();
}

static json_t *
jrate(double r)
{
	return r >= 0 ? json_real(round(r * 10000) / 10000) : json_null();
}

/* A metric's band and trend ("better", "worse", "same"; null: no data). */
static json_t *
json_metric(const char *band, int trend, bool comparable)
{
	json_t *o = json_object();

	json_object_set_new(o, "band", json_string(band));
	json_object_set_new(o, "trend", comparable ?
	    json_string(fk_trend_word(trend)) : json_null());
	return o;
}

/* The window's deployments with what is linked to each. */
static json_t *
json_deployments(const struct fk_svc_view *v)
{
	const struct fk_result	*r = v->res;
	const struct fk_metrics	*c = &r->cur;
	json_t			*a, *e;
	size_t			 k;

	a = json_array();
	for (k = 0; k < v->data->ndep; k++) {
		const struct fk_deploy *d = &v->data->dep[k];

		if (d->at < c->from || d->at >= c->to)
			continue;
		e = json_object();
		json_object_set_new(e, "id", report_json_string(d->id));
		json_object_set_new(e, "at", report_json_time(d->at));
		json_object_set_new(e, "sha", d->sha != NULL ?
		    report_json_string(d->sha) : json_null());
		json_object_set_new(e, "changes",
		    json_integer(r->links.dep_changes[k]));
		json_object_set_new(e, "lead_median_seconds",
		    jsecs(r->links.dep_lead[k]));
		json_object_set_new(e, "incidents",
		    json_integer(r->links.dep_incidents[k]));
		json_array_append_new(a, e);
	}
	return a;
}

/* The window's incidents, restore times and causes. */
static json_t *
json_incidents(const struct fk_svc_view *v)
{
	const struct fk_result	*r = v->res;
	const struct fk_metrics	*c = &r->cur;
	json_t			*a, *e;
	size_t			 k;

	a = json_array();
	for (k = 0; k < v->data->ninc; k++) {
		const struct fk_incident *in = &v->data->inc[k];
		int d = r->links.inc_deploy[k];

		if (in->opened < c->from || in->opened >= c->to)
			continue;
		e = json_object();
		json_object_set_new(e, "id", report_json_string(in->id));
		json_object_set_new(e, "title", in->title != NULL ?
		    report_json_string(in->title) : json_null());
		json_object_set_new(e, "opened", report_json_time(in->opened));
		json_object_set_new(e, "resolved", in->resolved > 0 ?
		    report_json_time(in->resolved) : json_null());
		json_object_set_new(e, "restore_seconds", in->resolved > 0 ?
		    json_integer(in->resolved - in->opened) : json_null());
		json_object_set_new(e, "deployment", d >= 0 ?
		    report_json_string(v->data->dep[d].id) : json_null());
		json_array_append_new(a, e);
	}
	return a;
}

static json_t *
json_service(const struct fk_svc_view *v)
{
	const struct fk_result	*r = v->res;
	const struct fk_metrics	*c = &r->cur, *p = &r->prev;
	json_t			*o = json_object(), *m, *a;
	int			 i;

	json_object_set_new(o, "name", report_json_string(v->name));
	json_object_set_new(o, "source", report_json_string(v->describe));
	json_object_set_new(o, "fetched_at", report_json_time(v->fetched_at));
	m = json_metric(fk_band_name(r->band_freq), fk_trend_freq(c, p), true);
	json_object_set_new(m, "deployments", json_integer(c->deployments));
	json_object_set_new(m, "per_day", jrate(c->per_day));
	json_object_set_new(m, "per_week", jrate(c->per_week));
	json_object_set_new(m, "class", json_string(fk_freq_name(c->freq)));
	json_object_set_new(m, "previous", json_pack("{s:i, s:o, s:s}",
	    "deployments", p->deployments, "per_week", jrate(p->per_week),
	    "class", fk_freq_name(p->freq)));
	json_object_set_new(o, "deployment_frequency", m);
	m = json_metric(fk_band_name(r->band_lead), fk_trend_lead(c, p),
	    c->lead_median >= 0 && p->lead_median >= 0);
	json_object_set_new(m, "changes", json_integer(c->changes));
	json_object_set_new(m, "median_seconds", jsecs(c->lead_median));
	json_object_set_new(m, "p90_seconds", jsecs(c->lead_p90));
	json_object_set_new(m, "previous", json_pack("{s:i, s:o, s:o}",
	    "changes", p->changes, "median_seconds", jsecs(p->lead_median),
	    "p90_seconds", jsecs(p->lead_p90)));
	json_object_set_new(o, "lead_time", m);
	m = json_metric(fk_band_name(r->band_cfr), fk_trend_cfr(c, p),
	    c->cfr >= 0 && p->cfr >= 0);
	json_object_set_new(m, "failed_deployments", json_integer(c->failed));
	json_object_set_new(m, "deployments", json_integer(c->deployments));
	json_object_set_new(m, "rate", jrate(c->cfr));
	json_object_set_new(m, "previous", json_pack("{s:i, s:i, s:o}",
	    "failed_deployments", p->failed, "deployments", p->deployments,
	    "rate", jrate(p->cfr)));
	json_object_set_new(o, "change_failure_rate", m);
	m = json_metric(fk_band_name(r->band_restore), fk_trend_restore(c, p),
	    c->restore_median >= 0 && p->restore_median >= 0);
	json_object_set_new(m, "incidents", json_integer(c->incidents));
	json_object_set_new(m, "restored", json_integer(c->restored));
	json_object_set_new(m, "median_seconds", jsecs(c->restore_median));
	json_object_set_new(m, "previous", json_pack("{s:i, s:i, s:o}",
	    "incidents", p->incidents, "restored", p->restored,
	    "median_seconds", jsecs(p->restore_median)));
	json_object_set_new(o, "time_to_restore", m);
	a = json_array();
	for (i = 0; i < c->days; i++)
		json_array_append_new(a, json_integer(c->daily[i]));
	json_object_set_new(o, "daily_deployments", a);
	json_object_set_new(o, "deployments", json_deployments(v));
	json_object_set_new(o, "incidents", json_incidents(v));
	return o;
}

static void
write_json(struct fk_src *src, int rc)
{
	json_t			*doc = json_object(), *a = json_array(), *o;
	struct fk_svc_view	 v;
	size_t			 i;
	int64_t			 from = 0, to = 0;

	for (i = 0; i < fk_src_count(src); i++) {
		fk_src_service(src, i, &v);
		if (v.valid) {
			o = json_service(&v);
			from = v.res->cur.from;
			to = v.res->cur.to;
		} else {
			o = json_object();
			json_object_set_new(o, "name",
			    report_json_string(v.name));
			json_object_set_new(o, "source",
			    report_json_string(v.describe));
		}
		json_object_set_new(o, "error", *v.error != '\0' ?
		    report_json_string(v.error) : json_null());
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "status", json_string(rc == 0 ? "ok" :
	    "unknown"));
	json_object_set_new(doc, "exit_code", json_integer(rc));
	json_object_set_new(doc, "window_days", json_integer(fk_src_days(src)));
	json_object_set_new(doc, "from", from ? report_json_time(from) :
	    json_null());
	json_object_set_new(doc, "to", to ? report_json_time(to) : json_null());
	json_object_set_new(doc, "dora_year", json_integer(fk_src_year(src)));
	json_object_set_new(doc, "services", a);
	report_json_print(doc);
	json_decref(doc);
}

static void
csv_num(struct buf *b, int64_t v)
{
	if (v >= 0)
		buf_printf(b, ",%lld", (long long)v);
	else
		buf_putc(b, ',');
}

static void
csv_rate(struct buf *b, double v)
{
	if (v >= 0)
		buf_printf(b, ",%.4f", v);
	else
		buf_putc(b, ',');
}

static void
write_csv(struct fk_src *src, struct buf *b)
{
	struct fk_svc_view	v;
	size_t			i;

	buf_puts(b, "service,window_days,from,to,deployments,per_day,"
	    "per_week,frequency_class,frequency_band,changes,"
	    "lead_median_seconds,lead_p90_seconds,lead_band,"
	    "failed_deployments,change_failure_rate,cfr_band,incidents,"
	    "restored,restore_median_seconds,restore_band,"
	    "previous_deployments,previous_lead_median_seconds,"
	    "previous_change_failure_rate,previous_restore_median_seconds,"
	    "error\n");
	for (i = 0; i < fk_src_count(src); i++) {
		const struct fk_metrics *c, *p;

		fk_src_service(src, i, &v);
		report_csv_field(b, v.name);
		if (!v.valid) {
			buf_printf(b, ",%d,,,,,,,,,,,,,,,,,,,,,,,",
			    fk_src_days(src));
			report_csv_field(b, v.error);
			buf_putc(b, '\n');
			continue;
		}
		c = &v.res->cur;
		p = &v.res->prev;
		buf_printf(b, ",%d,", c->days);
		{
			char		s1[32], s2[32];
			time_t		t1 = (time_t)c->from, t2 = (time_t)c->to;
			struct tm	tm;

			gmtime_r(&t1, &tm);
			strftime(s1, sizeof s1, "%Y-%m-%dT%H:%M:%SZ", &tm);
			gmtime_r(&t2, &tm);
			strftime(s2, sizeof s2, "%Y-%m-%dT%H:%M:%SZ", &tm);
			buf_printf(b, "%s,%s", s1, s2);
		}
		csv_num(b, c->deployments);
		csv_rate(b, c->per_day);
		csv_rate(b, c->per_week);
		buf_printf(b, ",%s,%s", fk_freq_name(c->freq),
		    fk_band_name(v.res->band_freq));
		csv_num(b, c->changes);
		csv_num(b, c->lead_median);
		csv_num(b, c->lead_p90);
		buf_printf(b, ",%s", fk_band_name(v.res->band_lead));
		csv_num(b, c->failed);
		csv_rate(b, c->cfr);
		buf_printf(b, ",%s", fk_band_name(v.res->band_cfr));
		csv_num(b, c->incidents);
		csv_num(b, c->restored);
		csv_num(b, c->restore_median);
		buf_printf(b, ",%s", fk_band_name(v.res->band_restore));
		csv_num(b, p->deployments);
		csv_num(b, p->lead_median);
		csv_rate(b, p->cfr);
		csv_num(b, p->restore_median);
		buf_puts(b, ",\n");
	}
}

/* --- OpenMetrics ------------------------------------------------------------ */

/* Seconds, or NaN for "no data" (-1). */
static double
om_secs(int64_t s)
{
	return s >= 0 ? (double)s : NAN;
}

/*
 * Per service (the configuration's, so the label cannot grow on its own):
 * whether it was read, and its Four Keys over the window.
 */
static void
write_openmetrics(struct fk_src *src, int rc)
{
	struct om		 m;
	struct fk_svc_view	 v;
	size_t			 i;

	om_init(&m);
	report_om_read(&m, "fourkeys", NULL, rc == 0, (int64_t)time(NULL));
	om_family(&m, "dagtop_fourkeys_window_seconds", OM_GAUGE,
	    "The window the Four Keys cover (--window), in seconds.");
	om_family(&m, "dagtop_fourkeys_service_up", OM_GAUGE,
	    "1 when the service's deployments and incidents were read, 0 "
	    "when not (its other metrics are then missing).");
	om_family(&m, "dagtop_fourkeys_deployments", OM_GAUGE,
	    "Deployments in the window.");
	om_family(&m, "dagtop_fourkeys_deployments_per_day", OM_GAUGE,
	    "Deployment frequency: deployments per day over the window.");
	om_family(&m, "dagtop_fourkeys_lead_time_median_seconds", OM_GAUGE,
	    "Lead time for changes, median; NaN without changes.");
	om_family(&m, "dagtop_fourkeys_lead_time_p90_seconds", OM_GAUGE,
	    "Lead time for changes, 90th percentile; NaN without changes.");
	om_family(&m, "dagtop_fourkeys_change_failure_ratio", OM_GAUGE,
	    "Deployments followed by an incident, of all (0..1); NaN without "
	    "deployments.");
	om_family(&m, "dagtop_fourkeys_incidents", OM_GAUGE,
	    "Incidents opened in the window.");
	om_family(&m, "dagtop_fourkeys_time_to_restore_median_seconds",
	    OM_GAUGE, "Time to restore service, median over the window's "
	    "resolved incidents; NaN without any.");
	om_add(&m, "dagtop_fourkeys_window_seconds",
	    fk_src_days(src) * 86400.0, NULL);
	for (i = 0; i < fk_src_count(src); i++) {
		const struct fk_metrics *c;

		fk_src_service(src, i, &v);
		om_add(&m, "dagtop_fourkeys_service_up", v.valid, "service",
		    v.name, NULL);
		if (!v.valid)
			continue;
		c = &v.res->cur;
		om_add(&m, "dagtop_fourkeys_deployments", c->deployments,
		    "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_deployments_per_day", c->per_day,
		    "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_lead_time_median_seconds",
		    om_secs(c->lead_median), "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_lead_time_p90_seconds",
		    om_secs(c->lead_p90), "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_change_failure_ratio",
		    c->cfr >= 0 ? c->cfr : NAN, "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_incidents", c->incidents,
		    "service", v.name, NULL);
		om_add(&m, "dagtop_fourkeys_time_to_restore_median_seconds",
		    om_secs(c->restore_median), "service", v.name, NULL);
	}
	report_om_print(&m);
}

int
report_fourkeys(const struct config *cfg, const struct report_options *o)
{
	struct fk_job		 j;
	struct buf		 err = BUF_INIT, out = BUF_INIT;
	struct fk_svc_view	 v;
	size_t			 i;
	int			 rc = 0;

	memset(&j, 0, sizeof j);
	j.loop = loop_new();
	j.src = fk_src_new(j.loop, cfg->svc, cfg->nsvc, &cfg->fk,
	    o->service, o->window_days, 0, &err);
	if (j.src == NULL) {
		rc = report_unknown(o->format, "Four Keys", buf_str(&err));
		goto out;
	}
	fk_src_refresh(j.src, one_done, &j);
	if (fk_src_busy(j.src))
		loop_run(j.loop);
	for (i = 0; i < fk_src_count(j.src); i++) {
		fk_src_service(j.src, i, &v);
		if (!v.valid) {
			struct buf clean = BUF_INIT;

			rc = 3;
			buf_puts(&clean, "dagtop: service ");
			report_put_id(&clean, v.name);
			buf_puts(&clean, ": ");
			report_put_id(&clean, v.error);
			fprintf(stderr, "%s\n", buf_str(&clean));
			buf_free(&clean);
		}
	}
	if (o->format == REPORT_JSON)
		write_json(j.src, rc);
	else if (o->format == REPORT_CSV)
		write_csv(j.src, &out);
	else if (o->format == REPORT_OPENMETRICS)
		write_openmetrics(j.src, rc);
	else if (!(o->quiet && rc == 0)) {
		write_verdict(j.src, rc, o->format == REPORT_MARKDOWN, &out);
		write_heading(j.src, o->format == REPORT_MARKDOWN, &out);
		write_text(j.src, o->format == REPORT_MARKDOWN, &out);
	}
	fputs(buf_str(&out), stdout);
out:
	fflush(stdout);
	fk_src_free(j.src);
	loop_free(j.loop);
	buf_free(&err);
	buf_free(&out);
	return rc;
}
