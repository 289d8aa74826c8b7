/*
 * report_sla.c: `dagtop report sla`, the weekly SLA summary for team leads
 * and for cron: every SLA of the configuration, a line per day, the
 * compliance of the period and of the trailing 26 weeks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <math.h>

#include "config.h"
#include "openmetrics.h"
#include "report.h"
#include "sanitize.h"
#include "scheduler.h"
#include "sla.h"
#include "slack.h"
#include "timefmt.h"
#include "tz.h"

static const char *const weekday_short[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const weekday_long[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

struct sla_job {
	struct report_read	 rd;
	const struct sla_def	**defs;
	size_t			 ndefs;
	int64_t			 from, to;
	struct sla_history	 hist;
};

/* The source is open: the SLAs' attempts over the period and before. */
static void
start(void *arg)
{
	struct sla_job *j = arg;

	sched_fetch_sla(j->rd.db, j->defs, j->ndefs, j->from, j->to, &j->hist,
	    report_read_last, &j->rd);
}

/* "10:00" */
static void
put_deadline(struct buf *b, int secs)
{
	buf_printf(b, "%02d:%02d", secs / 3600, secs / 60 % 60);
}

/* "late 25m" and the like, for a cell. */
static void
put_cell(struct buf *b, const struct sla_day *d)
{
	switch (d->outcome) {
	case SLA_LATE:
		buf_puts(b, "late ");
		fmt_duration(b, (double)d->late_by);
		if (d->finished_at == TIME_NONE)
			buf_puts(b, "+");
		break;
	case SLA_NOT_APPLICABLE:
		buf_puts(b, "-");
		break;
	default:
		buf_puts(b, sla_outcome_label(d->outcome));
		break;
	}
}

static void
put_pct(struct buf *b, const struct sla_summary *s)
{
	if (s->compliance < 0)
		buf_puts(b, "-");
	else
		buf_printf(b, "%.1f%% (%zu/%zu)", s->compliance * 100,
		    s->count[SLA_MET], s->judged);
}

static void
put_target(struct buf *b, const struct sla_def *d)
{
	report_put_id(b, d->dag_id);
	if (d->task_id != NULL) {
		buf_putc(b, '.');
		report_put_id(b, d->task_id);
	}
}

/*
 * The exit status of the period: 1 when something was late, failed or
 * missing, or an SLA names a DAG the database does not have (a
 * configuration error, not a miss: it is counted apart); 3 when nothing
 * was decided yet (every day pending or not applicable: a future week is
 * not OK); else 0.
 */
/* An SLA as the text forms head it: "name  target  by 10:00 UTC mon-fri". */
static void
put_sla_line(struct buf *b, const struct sla_def *d, const struct tz *zone)
{
	report_put_id(b, d->name);
	buf_puts(b, "  ");
	put_target(b, d);
	buf_puts(b, "  by ");
	put_deadline(b, d->deadline);
	buf_printf(b, " %s ", tz_name(zone));
	sla_days_format(d->days, b);
}

static int
sla_rc(const struct sla_eval *ev, size_t n)
{
	size_t	i, judged = 0;

	for (i = 0; i < n; i++) {
		if (ev[i].unknown_dag ||
		    ev[i].period.count[SLA_LATE] + ev[i].period.count[SLA_FAILED] +
		    ev[i].period.count[SLA_MISSING] > 0)
			return 1;
		judged += ev[i].period.judged;
	}
	return judged > 0 ? 0 : 3;
}

/* The exit status of the SLAs whose DAG exists (sla_rc without the rest). */
static int
known_rc(const struct sla_eval *ev, size_t n)
{
	size_t	i, judged = 0;
	bool	missed = false;

	for (i = 0; i < n; i++) {
		if (ev[i].unknown_dag)
			continue;
		if (ev[i].period.count[SLA_LATE] + ev[i].period.count[SLA_FAILED] +
		    ev[i].period.count[SLA_MISSING] > 0)
			missed = true;
		judged += ev[i].period.judged;
	}
	return missed ? 1 : judged > 0 ? 0 : 3;
}

/* The verdict line every format starts from, without its newline. */
static void
verdict(struct buf *b, const struct sla_eval *ev, size_t n,
    const char *period)
{
	struct buf	body = BUF_INIT;
	size_t		i, late = 0, failed = 0, missing = 0, risk = 0, clean = 0,
			pending = 0, unknown = 0;
	int		rc = sla_rc(ev, n), krc = known_rc(ev, n);

	for (i = 0; i < n; i++) {
		if (ev[i].unknown_dag) {
			unknown++;
			continue;
		}
		late += ev[i].period.count[SLA_LATE];
		failed += ev[i].period.count[SLA_FAILED];
		missing += ev[i].period.count[SLA_MISSING];
		risk += ev[i].period.count[SLA_AT_RISK];
		pending += ev[i].period.count[SLA_PENDING] +
		    ev[i].period.count[SLA_AT_RISK];
		if (ev[i].period.count[SLA_LATE] + ev[i].period.count[SLA_FAILED] +
		    ev[i].period.count[SLA_MISSING] == 0)
			clean++;
	}
	/*
	 * An SLA on an unknown DAG is named first, and the rest is told of
	 * the SLAs whose DAG exists.
	 */
	buf_printf(&body, "SLAs %s: ", period);
	if (unknown > 0)
		buf_printf(&body, "%zu SLA%s on an unknown DAG (not in the "
		    "Airflow database; see config check)%s", unknown,
		    unknown == 1 ? "" : "s", unknown < n ? "; " : "");
	if (unknown < n && krc == 3)
		buf_puts(&body, "nothing decided yet");
	else if (unknown < n && krc == 0)
		buf_printf(&body, "all %zu met%s", n - unknown,
		    pending > 0 ? " so far" : "");
	else if (unknown < n)
		buf_printf(&body, "%zu of %zu met every day; "
		    "%zu late, %zu failed, %zu missing", clean, n - unknown,
		    late, failed, missing);
	if (pending > 0)
		buf_printf(&body, "; %zu day%s pending", pending,
		    pending == 1 ? "" : "s");
	if (risk > 0)
		buf_printf(&body, ", %zu at risk now", risk);
	report_verdict(b, rc, "%s", buf_str(&body));
	b->data[--b->len] = '\0';	/* the newline */
	buf_free(&body);
}

static void
write_text(struct buf *b, const struct sla_eval *ev, size_t n,
    struct tz **zones, const char *period, const char *context)
{
	size_t	i, k;

	verdict(b, ev, n, period);
	buf_puts(b, "\ncontext    ");
	report_put_id(b, context != NULL ? context : "(command line)");
	buf_putc(b, '\n');
	for (i = 0; i < n; i++) {
		const struct sla_def *d = ev[i].def;

		buf_puts(b, "\n");
		put_sla_line(b, d, zones[i]);
		if (d->owner != NULL) {
			buf_puts(b, "  owner ");
			report_put_id(b, d->owner);
		}
		if (ev[i].unknown_dag)
			buf_puts(b, "\n  unknown DAG: the Airflow database has no "
			    "such DAG; no day is judged");
		buf_putc(b, '\n');
		for (k = 0; k < ev[i].ndays; k++) {
			const struct sla_day *day = &ev[i].days[k];

			buf_printf(b, "  %s %04d-%02d-%02d  %-8s",
			    weekday_short[tz_weekday(day->day)], day->y, day->m,
			    day->d, sla_outcome_label(day->outcome));
			if (day->finished_at != TIME_NONE) {
				buf_puts(b, " ended ");
				fmt_time(b, zones[i], day->finished_at, FMT_SHORT);
			}
			if (day->outcome == SLA_LATE) {
				buf_puts(b, day->finished_at == TIME_NONE ?
				    " still running, " : ", ");
				fmt_duration(b, (double)day->late_by);
				buf_puts(b, " late");
			}
			if ((day->outcome == SLA_PENDING ||
			    day->outcome == SLA_AT_RISK) &&
			    day->expected != TIME_NONE) {
				buf_puts(b, " expected ");
				fmt_time(b, zones[i], day->expected, FMT_SHORT);
			}
			if (day->airflow_miss)
				buf_puts(b, "  (Airflow: missed)");
			buf_putc(b, '\n');
		}
		buf_puts(b, "  period ");
		put_pct(b, &ev[i].period);
		buf_printf(b, "  %d weeks ", SLA_TRAILING_WEEKS);
		put_pct(b, &ev[i].trailing);
		if (ev[i].period.worst_late > 0) {
			buf_puts(b, "  worst late ");
			fmt_duration(b, (double)ev[i].period.worst_late);
		}
		buf_putc(b, '\n');
	}
}

static void
write_markdown(struct buf *b, const struct sla_eval *ev, size_t n,
    struct tz **zones, const char *period, int64_t first, int64_t last)
{
	struct buf	 v = BUF_INIT;
	size_t		 i, k;
	int64_t		 dn;
	bool		 grid = last - first < 7;

	buf_printf(b, "## SLA report %s\n\n", period);
	verdict(&v, ev, n, period);
	buf_printf(b, "**%s**\n\n", buf_str(&v));
	buf_free(&v);
	buf_puts(b, "| SLA | deadline |");
	if (grid)
		for (dn = first; dn <= last; dn++) {
			int y, m, d;

			tz_civil_from_days(dn, &y, &m, &d);
			buf_printf(b, " %s %02d-%02d |",
			    weekday_short[tz_weekday(dn)], m, d);
		}
	buf_printf(b, " period | %d weeks | worst late |\n|---|---|",
	    SLA_TRAILING_WEEKS);
	if (grid)
		for (dn = first; dn <= last; dn++)
			buf_puts(b, "---|");
	buf_puts(b, "---:|---:|---:|\n");
	for (i = 0; i < n; i++) {
		const struct sla_def *d = ev[i].def;

		buf_puts(b, "| ");
		report_md_text(b, d->name);
		buf_puts(b, " | ");
		put_deadline(b, d->deadline);
		buf_printf(b, " %s |", tz_name(zones[i]));
		for (k = 0; grid && k < ev[i].ndays; k++) {
			bool miss = sla_outcome_missed(ev[i].days[k].outcome);

			buf_puts(b, miss ? " **" : " ");
			put_cell(b, &ev[i].days[k]);
			buf_puts(b, miss ? "** |" : " |");
		}
		buf_putc(b, ' ');
		put_pct(b, &ev[i].period);
		buf_puts(b, " | ");
		put_pct(b, &ev[i].trailing);
		buf_puts(b, " | ");
		if (ev[i].period.worst_late > 0)
			fmt_duration(b, (double)ev[i].period.worst_late);
		else
			buf_puts(b, "-");
		buf_puts(b, " |\n");
	}
	/* The misses spelled out, for the reader who acts on them. */
	for (i = 0, k = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < ev[i].ndays; j++) {
			const struct sla_day *day = &ev[i].days[j];

			if (!sla_outcome_missed(day->outcome))
				continue;
			if (k++ == 0)
				buf_puts(b, "\nMisses:\n\n");
			buf_printf(b, "- %04d-%02d-%02d ", day->y, day->m, day->d);
			report_md_text(b, ev[i].def->name);
			buf_puts(b, " (");
			report_md_text(b, ev[i].def->dag_id);
			if (ev[i].def->task_id != NULL) {
				buf_putc(b, '.');
				report_md_text(b, ev[i].def->task_id);
			}
			buf_puts(b, "): ");
			put_cell(b, day);
			if (day->run_id != NULL) {
				buf_puts(b, ", run ");
				report_md_text(b, day->run_id);
			}
			if (ev[i].def->owner != NULL) {
				buf_puts(b, ", owner ");
				report_md_text(b, ev[i].def->owner);
			}
			buf_putc(b, '\n');
		}
	}
}

static void
write_csv(struct buf *b, const struct sla_eval *ev, size_t n)
{
	size_t	i, k;

	buf_puts(b, "sla,dag_id,task_id,date,weekday,outcome,deadline,"
	    "finished_at,late_by_seconds,run_id,airflow_missed\n");
	for (i = 0; i < n; i++) {
		for (k = 0; k < ev[i].ndays; k++) {
			const struct sla_day *d = &ev[i].days[k];

			report_csv_field(b, ev[i].def->name);
			buf_putc(b, ',');
			report_csv_field(b, ev[i].def->dag_id);
			buf_putc(b, ',');
			report_csv_field(b, ev[i].def->task_id);
			buf_printf(b, ",%04d-%02d-%02d,%s,%s,", d->y, d->m, d->d,
			    weekday_long[tz_weekday(d->day)],
			    sla_outcome_name(d->outcome));
			if (d->deadline != TIME_NONE)
				fmt_time(b, tz_utc(), d->deadline, FMT_ISO);
			buf_putc(b, ',');
			if (d->finished_at != TIME_NONE)
				fmt_time(b, tz_utc(), d->finished_at, FMT_ISO);
			buf_putc(b, ',');
			if (d->outcome == SLA_LATE || d->outcome == SLA_MET)
				buf_printf(b, "%lld", (long long)d->late_by);
			buf_putc(b, ',');
			report_csv_field(b, d->run_id);
			buf_printf(b, ",%s\n", d->airflow_miss ? "true" : "false");
		}
	}
}

/*
 * The fields every JSON form of the report starts with: the verdict and its
 * line for the period named label, when, the context, and what was read.
 */
static json_t *
json_head(const struct sla_eval *ev, size_t n, const char *label, int rc,
    const char *context, const struct sla_history *h, struct sched *db)
{
	json_t		*doc = json_object();
	struct buf	 b = BUF_INIT;

	json_object_set_new(doc, "report", json_string("sla"));
	json_object_set_new(doc, "status", json_string(rc == 0 ? "ok" :
	    rc == 1 ? "warning" : "unknown"));
	json_object_set_new(doc, "exit_code", json_integer(rc));
	verdict(&b, ev, n, label);
	json_object_set_new(doc, "summary", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(doc, "generated_at",
	    report_json_time((int64_t)time(NULL)));
	json_object_set_new(doc, "context", report_json_string(context));
	json_object_set_new(doc, "source", json_string(db->ops->kind));
	sched_describe(db, &b);
	json_object_set_new(doc, "airflow", json_string(buf_str(&b)));
	json_object_set_new(doc, "airflow_sla_source", h->airflow_sla_miss ?
	    json_string("sla_miss") : h->airflow_deadlines ?
	    json_string("deadline") : json_null());
	buf_free(&b);
	return doc;
}

/*
 * An SLA's definition as both JSON forms (the period's and --weeks') start
 * its object: name, DAG, task, deadline, zone, days, owner, and whether its
 * DAG is known.
 */
static json_t *
json_sla_def(const struct sla_eval *e, const struct tz *zone)
{
	const struct sla_def	*d = e->def;
	json_t			*o = json_object();
	struct buf		 b = BUF_INIT;

	json_object_set_new(o, "name", report_json_string(d->name));
	json_object_set_new(o, "dag_id", report_json_string(d->dag_id));
	json_object_set_new(o, "task_id", report_json_string(d->task_id));
	put_deadline(&b, d->deadline);
	json_object_set_new(o, "deadline", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(o, "timezone", json_string(tz_name(zone)));
	sla_days_format(d->days, &b);
	json_object_set_new(o, "applies_on", json_string(buf_str(&b)));
	json_object_set_new(o, "owner", report_json_string(d->owner));
	json_object_set_new(o, "unknown_dag", json_boolean(e->unknown_dag));
	buf_free(&b);
	return o;
}

static void
write_json(const struct sla_eval *ev, size_t n, struct tz **zones,
    const char *week, int64_t first, int64_t last, int week_start, int rc,
    const char *context, const struct sla_history *h, struct sched *db)
{
	json_t		*doc, *o, *a, *days, *dj;
	struct buf	 b = BUF_INIT;
	size_t		 i, k;

	doc = json_head(ev, n, week != NULL ? week : "", rc, context, h, db);
	o = json_object();
	sla_date_format(first, &b);
	json_object_set_new(o, "from", json_string(buf_str(&b)));
	buf_reset(&b);
	sla_date_format(last, &b);
	json_object_set_new(o, "to", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(o, "week", week != NULL && week[0] != '\0' &&
	    week[4] == '-' && week[5] == 'W' ? json_string(week) : json_null());
	json_object_set_new(o, "week_start",
	    json_string(weekday_long[week_start]));
	json_object_set_new(doc, "period", o);

	a = json_array();
	for (i = 0; i < n; i++) {
		const struct sla_def *d = ev[i].def;

		o = json_sla_def(&ev[i], zones[i]);
		json_object_set_new(o, "note", report_json_string(d->note));
		json_object_set_new(o, "median_duration_seconds",
		    ev[i].median >= 0 ? json_integer(ev[i].median) : json_null());
		days = json_array();
		for (k = 0; k < ev[i].ndays; k++) {
			const struct sla_day *day = &ev[i].days[k];

			dj = json_object();
			sla_date_format(day->day, &b);
			json_object_set_new(dj, "date", json_string(buf_str(&b)));
			buf_reset(&b);
			json_object_set_new(dj, "weekday",
			    json_string(weekday_long[tz_weekday(day->day)]));
			json_object_set_new(dj, "outcome",
			    json_string(sla_outcome_name(day->outcome)));
			json_object_set_new(dj, "deadline",
			    report_json_time(day->deadline));
			json_object_set_new(dj, "finished_at",
			    report_json_time(day->finished_at));
			json_object_set_new(dj, "late_by_seconds",
			    day->outcome == SLA_LATE || day->outcome == SLA_MET ?
			    json_integer(day->late_by) : json_null());
			json_object_set_new(dj, "expected_at",
			    report_json_time(day->expected));
			json_object_set_new(dj, "run_id",
			    report_json_string(day->run_id));
			json_object_set_new(dj, "runs", json_integer(day->attempts));
			json_object_set_new(dj, "airflow_missed",
			    h->airflow_sla_miss || h->airflow_deadlines ?
			    json_boolean(day->airflow_miss) : json_null());
			json_array_append_new(days, dj);
		}
		json_object_set_new(o, "days", days);
		json_object_set_new(o, "period",
		    report_json_sla_summary(&ev[i].period));
		json_object_set_new(o, "trailing_26_weeks",
		    report_json_sla_summary(&ev[i].trailing));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "slas", a);
	report_json_print(doc);
	json_decref(doc);
	buf_free(&b);
}

/* The period asked for: --week, --from/--to, or this week. */
static int
period(const struct report_options *o, int week_start, const struct tz *z,
    int64_t now, int64_t *first, int64_t *last, struct buf *name,
    struct buf *err)
{
	int64_t today = sla_local_day(z, now);

	if (o->week != NULL && (o->from != NULL || o->to != NULL)) {
		buf_puts(err, "give --week or --from/--to, not both");
		return -1;
	}
	if (o->from != NULL || o->to != NULL) {
		if (o->from == NULL || sla_date_parse(o->from, first) != 0) {
			buf_printf(err, "--from takes a date YYYY-MM-DD, not '%s'",
			    o->from != NULL ? o->from : "");
			return -1;
		}
		if (o->to == NULL)
			*last = today;
		else if (sla_date_parse(o->to, last) != 0) {
			buf_printf(err, "--to takes a date YYYY-MM-DD, not '%s'",
			    o->to);
			return -1;
		}
		if (*last < *first || *last - *first > 366) {
			buf_puts(err, "--from must be before --to, at most a "
			    "year apart");
			return -1;
		}
		sla_date_format(*first, name);
		buf_puts(name, "..");
		sla_date_format(*last, name);
		return 0;
	}
	if (o->week == NULL || strcmp(o->week, "this") == 0)
		*first = sla_week_first(today, week_start);
	else if (strcmp(o->week, "last") == 0)
		*first = sla_week_first(today, week_start) - 7;
	else if (sla_week_parse(o->week, week_start, first) != 0) {
		buf_printf(err, "--week takes an ISO week such as 2026-W47, "
		    "'this' or 'last', not '%s'", o->week);
		return -1;
	}
	*last = *first + 6;
	sla_week_name(*first, week_start, name);
	return 0;
}

/* --- OpenMetrics ------------------------------------------------------------ */

/* One SLA's compliance over a window ("period", "26w"); NaN: nothing judged. */
static void
om_compliance(struct om *m, const struct sla_def *d, const char *context,
    const char *window, const struct sla_summary *sum)
{
	om_add(m, "dagtop_sla_compliance_ratio", sum->compliance < 0 ? NAN :
	    sum->compliance, "context", context, "sla", d->name, "dag_id",
	    d->dag_id, "task_id", d->task_id, "window", window, NULL);
}

/*
 * Per SLA: compliance of the period and the trailing 26 weeks, the
 * period's days by outcome, its worst lateness.  The SLAs are the
 * configuration's, so their labels cannot grow on their own.
 */
static void
write_openmetrics(const struct sla_eval *ev, size_t n, const char *context,
    int rc, int64_t now)
{
	struct om	m;
	size_t		i;
	int		k;

	om_init(&m);
	report_om_read(&m, "sla", context, true, now);
	om_family(&m, "dagtop_sla_verdict", OM_GAUGE, "The SLA report's exit "
	    "status: 0 all met, 1 late, failed or missing, 3 nothing judged "
	    "yet.");
	om_family(&m, "dagtop_sla_compliance_ratio", OM_GAUGE, "Days met of "
	    "the days judged (0..1) over the period (window=\"period\") and "
	    "the trailing 26 weeks (window=\"26w\"); NaN when none was "
	    "judged.");
	om_family(&m, "dagtop_sla_outcomes", OM_GAUGE,
	    "Days of the period by outcome.");
	om_family(&m, "dagtop_sla_worst_lateness_seconds", OM_GAUGE,
	    "The period's longest lateness past the deadline, 0 when none.");
	om_add(&m, "dagtop_sla_verdict", rc, "context", context, NULL);
	for (i = 0; i < n; i++) {
		const struct sla_def *d = ev[i].def;

		om_compliance(&m, d, context, "period", &ev[i].period);
		om_compliance(&m, d, context, "26w", &ev[i].trailing);
		for (k = 0; k < SLA_NOUTCOMES; k++)
			om_add(&m, "dagtop_sla_outcomes",
			    (double)ev[i].period.count[k], "context", context,
			    "sla", d->name, "dag_id", d->dag_id, "task_id",
			    d->task_id, "outcome", sla_outcome_name(k), NULL);
		om_add(&m, "dagtop_sla_worst_lateness_seconds",
		    (double)ev[i].period.worst_late, "context", context, "sla",
		    d->name, "dag_id", d->dag_id, "task_id", d->task_id, NULL);
	}
	report_om_print(&m);
}

/* --- Slack --- */

/* Whether the SLA missed a day of the period, or names an unknown DAG. */
static bool
sla_missed_any(const struct sla_eval *e)
{
	return e->unknown_dag || e->period.count[SLA_LATE] +
	    e->period.count[SLA_FAILED] + e->period.count[SLA_MISSING] > 0;
}

/* A missed SLA as a section (an item): what, how it missed, whose. */
static void
slack_missed(struct buf *t, const struct sla_eval *e, const struct tz *zone)
{
	const struct sla_def	*d = e->def;
	size_t			 k, shown = 0;

	buf_puts(t, ":warning: *SLA* ");
	slack_put_text(t, d->name);
	buf_puts(t, "\n*Target* ");
	slack_put_text(t, d->dag_id);
	if (d->task_id != NULL) {
		buf_putc(t, '.');
		slack_put_text(t, d->task_id);
	}
	buf_puts(t, " by ");
	put_deadline(t, d->deadline);
	buf_printf(t, " %s", tz_name(zone));
	if (e->unknown_dag)
		buf_puts(t, "\n*Unknown DAG* the Airflow database has no such "
		    "DAG; no day is judged");
	else
		buf_printf(t, "\n*Missed* %zu late, %zu failed, %zu missing",
		    e->period.count[SLA_LATE], e->period.count[SLA_FAILED],
		    e->period.count[SLA_MISSING]);
	for (k = 0; k < e->ndays; k++) {
		const struct sla_day *day = &e->days[k];

		if (!sla_outcome_missed(day->outcome))
			continue;
		buf_printf(t, "%s%s %04d-%02d-%02d ", shown++ == 0 ?
		    "\n*Days* " : ", ", weekday_short[tz_weekday(day->day)],
		    day->y, day->m, day->d);
		put_cell(t, day);
	}
	if (!e->unknown_dag) {
		buf_puts(t, "\n*Compliance* ");
		put_pct(t, &e->period);
		buf_printf(t, ", %d weeks ", SLA_TRAILING_WEEKS);
		put_pct(t, &e->trailing);
		if (e->period.worst_late > 0) {
			buf_puts(t, "; worst late ");
			fmt_duration(t, (double)e->period.worst_late);
		}
	}
	buf_puts(t, "\n*Owner* ");
	slack_put_text(t, d->owner);
}

/*
 * The message: the verdict as header, a section per SLA missed (or on an
 * unknown DAG), the SLAs met named in one section, and where and when the
 * numbers were read.
 */
static json_t *
sla_slack(const struct sla_eval *ev, size_t n, struct tz **zones,
    const char *period, const char *context, struct sched *db,
    int64_t read_at)
{
	struct slack_msg	*m = slack_msg_new();
	struct buf		 t = BUF_INIT, src = BUF_INIT, ver = BUF_INIT;
	const char		*ctx[1];
	json_t			*doc;
	size_t			 i, met = 0, missed = 0;
	int64_t			 now = (int64_t)time(NULL);

	verdict(&t, ev, n, period);
	slack_header(m, buf_str(&t));
	slack_put_text(&src, buf_str(&t));	/* the fallback */
	buf_reset(&t);
	for (i = 0; i < n; i++) {
		if (sla_missed_any(&ev[i]))
			continue;
		buf_puts(&t, met++ == 0 ? "*Met or not judged yet* " : ", ");
		slack_put_text(&t, ev[i].def->name);
	}
	if (met > 0)
		slack_section(m, buf_str(&t), false);
	for (i = 0; i < n; i++) {
		if (!sla_missed_any(&ev[i]))
			continue;
		if (missed++ == 0)
			slack_divider(m);
		buf_reset(&t);
		slack_missed(&t, &ev[i], zones[i]);
		slack_section(m, buf_str(&t), true);
	}
	buf_reset(&t);
	sched_describe(db, &ver);
	slack_read_from(&t, read_at, now, db->ops->kind, buf_str(&ver));
	buf_puts(&t, "; context ");
	slack_put_text(&t, context != NULL ? context : "(command line)");
	buf_puts(&t, "; dagtop report sla");
	ctx[0] = buf_str(&t);
	slack_context(m, ctx, 1);
	doc = slack_msg_finish(m, buf_str(&src), "missed SLAs");
	buf_free(&t);
	buf_free(&src);
	buf_free(&ver);
	return doc;
}

/*
 * Judges each SLA over the period [first, last] (days) from the attempts
 * read, and writes the report in the format asked; returns its exit status.
 */
static int
evaluate_and_write(const struct sla_job *j, const struct settings *s,
    const struct config *cfg, const struct report_options *o,
    struct tz **zones, const char *name, int64_t first, int64_t last,
    int64_t now)
{
	struct buf	 out = BUF_INIT, label = BUF_INIT;
	struct sla_eval	*ev;
	size_t		 i;
	int		 rc;

	ev = xcalloc(j->ndefs, sizeof *ev);
	for (i = 0; i < j->ndefs; i++) {
		size_t c = i < j->hist.nsla ? j->hist.count[i] : 0;

		sla_evaluate(&ev[i], j->defs[i], zones[i], first, last,
		    c > 0 ? &j->hist.v[j->hist.first[i]] : NULL, c, now);
		if (sla_history_unknown_dag(&j->hist, i))
			sla_eval_unknown_dag(&ev[i]);
	}
	rc = sla_rc(ev, j->ndefs);
	buf_puts(&label, name);
	if (name[4] == '-' && name[5] == 'W') {
		buf_puts(&label, " (");
		sla_date_format(first, &label);
		buf_puts(&label, "..");
		sla_date_format(last, &label);
		buf_putc(&label, ')');
	}
	switch (o->format) {
	case REPORT_JSON:
		write_json(ev, j->ndefs, zones, name, first, last,
		    cfg->week_start, rc, s->context, &j->hist, j->rd.db);
		break;
	case REPORT_CSV:
		write_csv(&out, ev, j->ndefs);
		break;
	case REPORT_MARKDOWN:
		write_markdown(&out, ev, j->ndefs, zones, buf_str(&label),
		    first, last);
		break;
	case REPORT_OPENMETRICS:
		write_openmetrics(ev, j->ndefs, s->context, rc, now);
		break;
	case REPORT_SLACK:
		if (!(o->quiet && rc == 0)) {
			json_t *doc = sla_slack(ev, j->ndefs, zones,
			    buf_str(&label), s->context, j->rd.db, now);

			report_json_print(doc);
			json_decref(doc);
		}
		break;
	default:
		if (!(o->quiet && rc == 0))
			write_text(&out, ev, j->ndefs, zones,
			    buf_str(&label), s->context);
		break;
	}
	fputs(buf_str(&out), stdout);
	for (i = 0; i < j->ndefs; i++)
		sla_eval_free(&ev[i]);
	free(ev);
	buf_free(&out);
	buf_free(&label);
	return rc;
}

/* --- week by week --- */

/*
 * `report sla --weeks N`, for the half-year review: the N weeks that end
 * with the week --week names (this week by default), a row per SLA and a
 * column per week, each cell the week's compliance, and a last row of
 * every SLA together.  Its figures come from sla_weeks, so a week is
 * judged as `report sla` judges its days.
 */
struct sla_weeks_table {
	struct sla_eval		*ev;	/* per SLA: def, unknown_dag, the span */
	struct sla_summary	*cell;	/* [sla * nweeks + week] */
	struct sla_summary	*all;	/* [week]: every SLA whose DAG exists */
	struct sla_summary	 all_span;
	size_t			 nsla, nweeks;
	int64_t			 first;	/* the oldest week's first day */
	int			 week_start;
};

#define WEEK_CELL	5	/* " 100%" */
#define WEEK_NAME_MAX	20	/* the widest SLA name in text */

static void
weeks_table_build(struct sla_weeks_table *t, const struct sla_job *j,
    struct tz **zones, int64_t last_week, size_t nweeks, int week_start,
    int64_t now)
{
	size_t i, w;

	memset(t, 0, sizeof *t);
	t->nsla = j->ndefs;
	t->nweeks = nweeks;
	t->first = last_week - 7 * (int64_t)(nweeks - 1);
	t->week_start = week_start;
	t->ev = xcalloc(t->nsla + 1, sizeof *t->ev);
	t->cell = xcalloc(t->nsla * nweeks + 1, sizeof *t->cell);
	t->all = xcalloc(nweeks, sizeof *t->all);
	t->all_span.compliance = -1;
	for (w = 0; w < nweeks; w++)
		t->all[w].compliance = -1;
	for (i = 0; i < t->nsla; i++) {
		size_t			 c = i < j->hist.nsla ? j->hist.count[i] : 0;
		const struct sla_attempt *v = c > 0 ?
					    &j->hist.v[j->hist.first[i]] : NULL;
		struct sla_summary	*row = &t->cell[i * nweeks];

		t->ev[i].def = j->defs[i];
		t->ev[i].period.compliance = t->ev[i].trailing.compliance = -1;
		t->ev[i].median = sla_median_duration(v, c, now);
		if (sla_history_unknown_dag(&j->hist, i)) {
			/* No week of it is judged: a configuration error. */
			t->ev[i].unknown_dag = true;
			t->ev[i].median = -1;
			for (w = 0; w < nweeks; w++)
				row[w].compliance = -1;
			continue;
		}
		sla_weeks(j->defs[i], zones[i], last_week, nweeks, v, c, now,
		    row);
		for (w = 0; w < nweeks; w++) {
			sla_summary_add(&t->ev[i].period, &row[w]);
			sla_summary_add(&t->all[w], &row[w]);
		}
		sla_summary_add(&t->all_span, &t->ev[i].period);
	}
}

static void
weeks_table_free(struct sla_weeks_table *t)
{
	free(t->ev);
	free(t->cell);
	free(t->all);
	memset(t, 0, sizeof *t);
}

/* The first day of week w (0: the oldest). */
static int64_t
week_day(const struct sla_weeks_table *t, size_t w)
{
	return t->first + 7 * (int64_t)w;
}

/* The week SLA i's worst lateness fell in (first of equals), or SIZE_MAX. */
static size_t
worst_week(const struct sla_weeks_table *t, size_t i)
{
	size_t w, at = SIZE_MAX;

	for (w = 0; w < t->nweeks; w++)
		if (t->cell[i * t->nweeks + w].worst_late > 0 &&
		    (at == SIZE_MAX || t->cell[i * t->nweeks + w].worst_late >
		    t->cell[i * t->nweeks + at].worst_late))
			at = w;
	return at;
}

/* "2026-W23..2026-W48 (26 weeks, 2026-06-01..2026-11-29)" */
static void
weeks_label(struct buf *b, const struct sla_weeks_table *t)
{
	sla_week_name(t->first, t->week_start, b);
	buf_puts(b, "..");
	sla_week_name(week_day(t, t->nweeks - 1), t->week_start, b);
	buf_printf(b, " (%zu week%s, ", t->nweeks, t->nweeks == 1 ? "" : "s");
	sla_date_format(t->first, b);
	buf_puts(b, "..");
	sla_date_format(week_day(t, t->nweeks - 1) + 6, b);
	buf_putc(b, ')');
}

/*
 * A name in exactly width columns, sanitised, cut with "…" when wider:
 * the full name is in the summary under the tables.
 */
static void
put_name_cell(struct buf *b, const char *name, size_t width)
{
	struct buf	clean = BUF_INIT;
	size_t		w, used, cut;

	report_put_id(&clean, name);
	w = text_width(clean.data, clean.len);
	if (w <= width) {
		buf_puts(b, buf_str(&clean));
		used = w;
	} else {
		cut = text_fit(clean.data, clean.len, width - 1, &used);
		buf_printf(b, "%.*s\xe2\x80\xa6", (int)cut, clean.data);
		used++;
	}
	for (; used < width; used++)
		buf_putc(b, ' ');
	buf_free(&clean);
}

/*
 * Text in 80 columns: the weeks in blocks, each as many weeks as fit
 * beside the names (blocks of even size), so no week is cut; then a line
 * per SLA with its full name, the span and its worst lateness.
 */
static void
weeks_write_text(struct buf *b, const struct sla_weeks_table *t,
    struct tz **zones, const char *context)
{
	struct buf	 v = BUF_INIT, l = BUF_INIT;
	size_t		 i, w, namew = 8, per, nblocks, from, to, at;

	weeks_label(&l, t);
	verdict(&v, t->ev, t->nsla, buf_str(&l));
	buf_puts(b, buf_str(&v));
	buf_puts(b, "\ncontext    ");
	report_put_id(b, context != NULL ? context : "(command line)");
	buf_putc(b, '\n');
	for (i = 0; i < t->nsla; i++) {
		buf_reset(&v);
		report_put_id(&v, t->ev[i].def->name);
		w = text_width(v.data, v.len);
		if (w > namew)
			namew = w;
	}
	if (namew > WEEK_NAME_MAX)
		namew = WEEK_NAME_MAX;
	per = (80 - namew) / WEEK_CELL;
	nblocks = (t->nweeks + per - 1) / per;
	per = (t->nweeks + nblocks - 1) / nblocks;
	for (from = 0; from < t->nweeks; from = to) {
		to = from + per < t->nweeks ? from + per : t->nweeks;
		buf_puts(b, "\nweeks ");
		sla_week_name(week_day(t, from), t->week_start, b);
		buf_puts(b, "..");
		sla_week_name(week_day(t, to - 1), t->week_start, b);
		buf_puts(b, " (");
		sla_date_format(week_day(t, from), b);
		buf_puts(b, "..");
		sla_date_format(week_day(t, to - 1) + 6, b);
		buf_puts(b, "), compliance per week\n");
		put_name_cell(b, "SLA", namew);
		for (w = from; w < to; w++) {
			buf_reset(&v);
			sla_week_name(week_day(t, w), t->week_start, &v);
			buf_printf(b, "%*s", WEEK_CELL, buf_str(&v) + 5);
		}
		buf_putc(b, '\n');
		for (i = 0; i <= t->nsla; i++) {
			const struct sla_summary *row = i < t->nsla ?
			    &t->cell[i * t->nweeks] : t->all;

			put_name_cell(b, i < t->nsla ? t->ev[i].def->name :
			    "all SLAs", namew);
			for (w = from; w < to; w++) {
				buf_reset(&v);
				if (i < t->nsla && t->ev[i].unknown_dag)
					buf_puts(&v, "DAG?");
				else
					sla_compliance_pct(&v, &row[w]);
				buf_printf(b, "%*s", WEEK_CELL, buf_str(&v));
			}
			buf_putc(b, '\n');
		}
	}
	buf_puts(b, "\n");
	for (i = 0; i < t->nsla; i++) {
		const struct sla_def *d = t->ev[i].def;

		put_sla_line(b, d, zones[i]);
		buf_puts(b, "\n  ");
		if (t->ev[i].unknown_dag) {
			buf_puts(b, "unknown DAG: the Airflow database has no "
			    "such DAG; no week is judged\n");
			continue;
		}
		buf_printf(b, "%zu weeks ", t->nweeks);
		put_pct(b, &t->ev[i].period);
		if ((at = worst_week(t, i)) != SIZE_MAX) {
			buf_puts(b, "  worst late ");
			fmt_duration(b, (double)t->ev[i].period.worst_late);
			buf_puts(b, " in ");
			sla_week_name(week_day(t, at), t->week_start, b);
		}
		buf_putc(b, '\n');
	}
	buf_printf(b, "all SLAs\n  %zu weeks ", t->nweeks);
	put_pct(b, &t->all_span);
	buf_putc(b, '\n');
	buf_free(&v);
	buf_free(&l);
}

static void
weeks_write_markdown(struct buf *b, const struct sla_weeks_table *t,
    struct tz **zones)
{
	struct buf	l = BUF_INIT, v = BUF_INIT;
	size_t		i, w;

	weeks_label(&l, t);
	buf_printf(b, "## SLA weeks %s\n\n", buf_str(&l));
	verdict(&v, t->ev, t->nsla, buf_str(&l));
	buf_printf(b, "**%s**\n\n", buf_str(&v));
	buf_puts(b, "Met/judged per week.\n\n| SLA | deadline |");
	for (w = 0; w < t->nweeks; w++) {
		buf_putc(b, ' ');
		sla_week_name(week_day(t, w), t->week_start, b);
		buf_puts(b, " |");
	}
	buf_printf(b, " %zu weeks | worst late |\n|---|---|", t->nweeks);
	for (w = 0; w < t->nweeks; w++)
		buf_puts(b, "---:|");
	buf_puts(b, "---:|---:|\n");
	for (i = 0; i <= t->nsla; i++) {
		const struct sla_summary *row = i < t->nsla ?
		    &t->cell[i * t->nweeks] : t->all;
		const struct sla_summary *span = i < t->nsla ?
		    &t->ev[i].period : &t->all_span;
		bool unknown = i < t->nsla && t->ev[i].unknown_dag;

		buf_puts(b, "| ");
		if (i < t->nsla) {
			report_md_text(b, t->ev[i].def->name);
			buf_puts(b, " | ");
			put_deadline(b, t->ev[i].def->deadline);
			buf_printf(b, " %s |", tz_name(zones[i]));
		} else
			buf_puts(b, "**all SLAs** | |");
		for (w = 0; w < t->nweeks; w++) {
			buf_putc(b, ' ');
			if (unknown)
				buf_puts(b, "unknown DAG");
			else
				sla_compliance_pct(b, &row[w]);
			buf_puts(b, " |");
		}
		buf_putc(b, ' ');
		put_pct(b, span);
		buf_puts(b, " | ");
		if (span->worst_late > 0)
			fmt_duration(b, (double)span->worst_late);
		else
			buf_puts(b, "-");
		buf_puts(b, " |\n");
	}
	buf_free(&l);
	buf_free(&v);
}

/* A row per SLA and week, then a row per week for every SLA ("all"). */
static void
weeks_write_csv(struct buf *b, const struct sla_weeks_table *t)
{
	size_t i, w;

	buf_puts(b, "row,sla,dag_id,task_id,week,first_day,last_day,met,late,"
	    "failed,missing,judged,compliance,worst_late_seconds\n");
	for (i = 0; i <= t->nsla; i++) {
		const struct sla_def *d = i < t->nsla ? t->ev[i].def : NULL;

		for (w = 0; w < t->nweeks; w++) {
			const struct sla_summary *s = d != NULL ?
			    &t->cell[i * t->nweeks + w] : &t->all[w];

			buf_puts(b, d != NULL ? "sla," : "all,");
			if (d != NULL) {
				report_csv_field(b, d->name);
				buf_putc(b, ',');
				report_csv_field(b, d->dag_id);
				buf_putc(b, ',');
				report_csv_field(b, d->task_id);
			} else
				buf_puts(b, ",,");
			buf_putc(b, ',');
			sla_week_name(week_day(t, w), t->week_start, b);
			buf_putc(b, ',');
			sla_date_format(week_day(t, w), b);
			buf_putc(b, ',');
			sla_date_format(week_day(t, w) + 6, b);
			buf_printf(b, ",%zu,%zu,%zu,%zu,%zu,", s->count[SLA_MET],
			    s->count[SLA_LATE], s->count[SLA_FAILED],
			    s->count[SLA_MISSING], s->judged);
			if (s->compliance >= 0)
				buf_printf(b, "%.4f", s->compliance);
			buf_printf(b, ",%lld\n", (long long)s->worst_late);
		}
	}
}

/* The weeks of a row, each week's summary with its name and days. */
static json_t *
json_weeks(const struct sla_weeks_table *t, const struct sla_summary *row)
{
	json_t		*a = json_array(), *o;
	struct buf	 b = BUF_INIT;
	size_t		 w;

	for (w = 0; w < t->nweeks; w++) {
		o = report_json_sla_summary(&row[w]);
		sla_week_name(week_day(t, w), t->week_start, &b);
		json_object_set_new(o, "week", json_string(buf_str(&b)));
		buf_reset(&b);
		sla_date_format(week_day(t, w), &b);
		json_object_set_new(o, "from", json_string(buf_str(&b)));
		buf_reset(&b);
		sla_date_format(week_day(t, w) + 6, &b);
		json_object_set_new(o, "to", json_string(buf_str(&b)));
		buf_reset(&b);
		json_array_append_new(a, o);
	}
	buf_free(&b);
	return a;
}

static void
weeks_write_json(const struct sla_weeks_table *t, struct tz **zones,
    int rc, const char *context, const struct sla_history *h,
    struct sched *db)
{
	json_t		*doc, *o, *a;
	struct buf	 b = BUF_INIT, l = BUF_INIT;
	size_t		 i;

	weeks_label(&l, t);
	doc = json_head(t->ev, t->nsla, buf_str(&l), rc, context, h, db);
	o = json_object();
	sla_date_format(t->first, &b);
	json_object_set_new(o, "from", json_string(buf_str(&b)));
	buf_reset(&b);
	sla_date_format(week_day(t, t->nweeks - 1) + 6, &b);
	json_object_set_new(o, "to", json_string(buf_str(&b)));
	buf_reset(&b);
	sla_week_name(week_day(t, t->nweeks - 1), t->week_start, &b);
	json_object_set_new(o, "week", json_string(buf_str(&b)));
	buf_reset(&b);
	json_object_set_new(o, "weeks", json_integer((json_int_t)t->nweeks));
	json_object_set_new(o, "week_start",
	    json_string(weekday_long[t->week_start]));
	json_object_set_new(doc, "period", o);

	a = json_array();
	for (i = 0; i < t->nsla; i++) {
		o = json_sla_def(&t->ev[i], zones[i]);
		json_object_set_new(o, "weeks",
		    json_weeks(t, &t->cell[i * t->nweeks]));
		json_object_set_new(o, "span",
		    report_json_sla_summary(&t->ev[i].period));
		json_array_append_new(a, o);
	}
	json_object_set_new(doc, "slas", a);
	o = json_object();
	json_object_set_new(o, "weeks", json_weeks(t, t->all));
	json_object_set_new(o, "span", report_json_sla_summary(&t->all_span));
	json_object_set_new(doc, "all_slas", o);
	report_json_print(doc);
	json_decref(doc);
	buf_free(&b);
	buf_free(&l);
}

/*
 * The N weeks that end with the week starting on last_week, from the
 * attempts read once over the whole span; returns the exit status of the
 * span (as sla_rc: 1 for any miss or unknown DAG, 3 nothing judged).
 */
static int
weeks_evaluate_and_write(const struct sla_job *j, const struct settings *s,
    const struct config *cfg, const struct report_options *o,
    struct tz **zones, int64_t last_week, int64_t now)
{
	struct sla_weeks_table	 t;
	struct buf		 out = BUF_INIT;
	int			 rc;

	weeks_table_build(&t, j, zones, last_week, (size_t)o->weeks,
	    cfg->week_start, now);
	rc = sla_rc(t.ev, t.nsla);
	switch (o->format) {
	case REPORT_JSON:
		weeks_write_json(&t, zones, rc, s->context, &j->hist, j->rd.db);
		break;
	case REPORT_CSV:
		weeks_write_csv(&out, &t);
		break;
	case REPORT_MARKDOWN:
		weeks_write_markdown(&out, &t, zones);
		break;
	default:
		if (!(o->quiet && rc == 0))
			weeks_write_text(&out, &t, zones, s->context);
		break;
	}
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	weeks_table_free(&t);
	return rc;
}

int
report_sla(const struct settings *s, const struct config *cfg,
    const struct report_options *o)
{
	struct sla_job		 j;
	enum report_read_result	 read;
	struct buf		 err = BUF_INIT, name = BUF_INIT;
	struct tz		*home, **zones;
	int64_t			 now = (int64_t)time(NULL), first, last;
	size_t			 i;
	int			 rc = 0;

	memset(&j, 0, sizeof j);
	j.defs = xcalloc(cfg->nsla + 1, sizeof *j.defs);
	j.ndefs = config_slas(cfg, s->context, j.defs);
	if (j.ndefs == 0) {
		free(j.defs);
		return report_unknown(o->format, "report sla", "no SLA is "
		    "defined for this context (add [sla \"NAME\"] sections; "
		    "see dagtop.conf(5))");
	}
	if ((home = report_zone(o->format, s->timezone, &rc)) == NULL) {
		free(j.defs);
		return rc;
	}
	if (o->weeks > 0 && (o->from != NULL || o->to != NULL))
		buf_puts(&err, "--weeks counts back from --week (this week by "
		    "default); it takes no --from/--to");
	else if (o->weeks > 0 && (o->format == REPORT_OPENMETRICS ||
	    o->format == REPORT_SLACK))
		buf_printf(&err, "--weeks writes text, json, csv or markdown, "
		    "not %s", report_format_name(o->format));
	if (err.len > 0 || period(o, cfg->week_start, home, now, &first,
	    &last, &name, &err) != 0) {
		rc = report_unknown(o->format, "report sla", buf_str(&err));
		goto out_early;
	}
	if ((zones = report_sla_zones(j.defs, j.ndefs, s->timezone,
	    o->format, &rc)) == NULL)
		goto out_early;
	/* Two days of margin either side: zones are up to 14 h off UTC. */
	j.from = (first - SLA_TRAILING_WEEKS * 7 - 2) * 86400;
	/*
	 * --weeks reads at least what the plain report and the W pane read
	 * (26 weeks back): a week is judged from the DAG's first run read,
	 * so a shorter read would make a week's figure depend on N.
	 */
	if (o->weeks > SLA_TRAILING_WEEKS)
		j.from = (first - 7 * (int64_t)(o->weeks - 1) - 2) * 86400;
	j.to = (last + 2) * 86400;
	report_read_init(&j.rd);
	read = report_read_run(&j.rd, s, start, &j);
	if (read != REPORT_READ_DONE)
		rc = report_unknown(o->format, report_read_what(read,
		    "cannot read the Airflow database"), buf_str(&j.rd.error));
	else if (o->weeks > 0)
		rc = weeks_evaluate_and_write(&j, s, cfg, o, zones, first, now);
	else
		rc = evaluate_and_write(&j, s, cfg, o, zones, buf_str(&name),
		    first, last, now);
	fflush(stdout);
	for (i = 0; i < j.ndefs; i++)
		tz_free(zones[i]);
	free(zones);
	report_read_close(&j.rd);
	sla_history_free(&j.hist);
out_early:
	buf_free(&err);
	buf_free(&name);
	free(j.defs);
	tz_free(home);
	return rc;
}
