/*
 * report_digest.c: `dagtop report digest`, the team lead's Monday page:
 * the SLA week and its 26-week trend, the week's failures and reruns, the
 * Four Keys, BigQuery slots and the environments' health (digest.h), in
 * text, Markdown, HTML or JSON.
 *
 * The Airflow sections (SLA, failures) are read here in one read of the
 * context's source: the SLAs' attempts over the 26 weeks in one fetch, the
 * DAG list and the runs since the week began, at once; then the task
 * instances of the week's failed runs.  The reruns come from the audit
 * log; the other sections from digest_read.h, each on its own.  A source
 * that cannot be read leaves its section with the error (exit 3), and the
 * rest is still written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "digest.h"
#include "digest_read.h"
#include "digest_write.h"
#include "report.h"
#include "scheduler.h"
#include "secret.h"
#include "sla.h"
#include "tz.h"
#include "zoneinfo.h"

/*
 * Runs are read from a day before the week: a run that began its interval
 * then but ended in the week is the week's (runs_since selects by the
 * run's own time).
 */
#define RUNS_MARGIN	86400

struct digest_job {
	struct report_read	 rd;
	struct sla_history	*hist;		/* the caller's: see read_airflow */
	const struct sla_def	**defs;
	size_t			 ndefs;
	int64_t			 sla_from, sla_to;	/* attempts read */
	int64_t			 from, to;		/* the week */
	int			 pending;
	struct buf		 sla_error;	/* the SLA read's alone */
	struct af_dags		 dags;
	struct af_runs		 runs;
	struct af_tis		 tis;
};

/* The first reads are in: the task instances of the week's failed runs. */
static void
first_reads_done(void *arg, const char *err)
{
	struct digest_job	*j = arg;
	const struct af_run	**failed;
	size_t			  n;

	if (err != NULL) {
		report_read_fail(&j->rd, err);
		return;
	}
	if (--j->pending > 0)
		return;
	n = digest_failed_runs(&j->runs, j->from, j->to, &failed);
	if (n == 0)
		report_read_done(&j->rd);
	else
		sched_fetch_attention_tis(j->rd.db, failed, n, &j->tis,
		    report_read_last, &j->rd);
	free(failed);
}

/*
 * The SLA attempts are in, or their read failed: a failure of that read
 * alone is the SLA section's (the failures are still read); a lost
 * connection fails the other reads too.
 */
static void
sla_read_done(void *arg, const char *err)
{
	struct digest_job *j = arg;

	if (err != NULL)
		buf_puts(&j->sla_error, err);
	first_reads_done(j, NULL);
}

/* The source is open: SLA attempts, DAGs and runs, at once. */
static void
start(void *arg)
{
	struct digest_job *j = arg;

	j->pending = j->ndefs > 0 ? 3 : 2;
	if (j->ndefs > 0)
		sched_fetch_sla(j->rd.db, j->defs, j->ndefs, j->sla_from,
		    j->sla_to, j->hist, sla_read_done, j);
	sched_fetch_dags(j->rd.db, &j->dags, first_reads_done, j);
	sched_fetch_runs_since(j->rd.db, j->from - RUNS_MARGIN, &j->runs,
	    first_reads_done, j);
}

/* "Airflow database, context prod, Airflow 2.10.3-2.11". */
static char *
airflow_source(const struct settings *s, const struct sched *db)
{
	const struct sched_about	*a = db != NULL ? sched_about(db) : NULL;
	struct buf			 b = BUF_INIT;

	buf_puts(&b, s->source != NULL && strcmp(s->source, "api") == 0 ?
	    "Airflow REST API" : "Airflow database");
	buf_printf(&b, ", context %s", s->context != NULL ? s->context :
	    "(command line)");
	if (a != NULL && a->release != NULL)
		buf_printf(&b, ", Airflow %s", a->release);
	return buf_detach(&b);
}

/*
 * The SLA section from the attempts read: the week's days and the 26
 * weeks up to it, each SLA in its own zone.
 */
static void
build_sla(struct digest *d, const struct digest_job *j,
    const struct settings *s, int64_t now)
{
	struct digest_origin	*o = &d->origin[DIGEST_SLA];
	struct buf		 why = BUF_INIT;
	size_t			 i;

	d->sla = xcalloc(j->ndefs + 1, sizeof *d->sla);
	for (i = 0; i < j->ndefs; i++) {
		const struct sla_def	*def = j->defs[i];
		const char		*zn = def->timezone != NULL ?
					    def->timezone : s->timezone;
		struct tz		*z;
		size_t			 c = i < j->hist->nsla ?
					    j->hist->count[i] : 0;
		const struct sla_attempt *v = c > 0 ?
					    &j->hist->v[j->hist->first[i]] : NULL;

		if ((z = zoneinfo_load(zn, &why)) == NULL) {
			digest_set_error(o, buf_str(&why));
			break;
		}
		sla_evaluate(&d->sla[i].ev, def, z, d->first_day, d->last_day,
		    v, c, now);
		sla_weeks(def, z, d->first_day, SLA_TRAILING_WEEKS, v, c, now,
		    d->sla[i].weeks);
		if (sla_history_unknown_dag(j->hist, i))
			sla_eval_unknown_dag(&d->sla[i].ev);
		d->sla[i].zone = xstrdup(tz_name(z));
		d->nsla++;
		for (size_t k = 0; k < c; k++)
			if (v[k].end != TIME_NONE && v[k].end <= now &&
			    (o->newest == TIME_NONE || v[k].end > o->newest))
				o->newest = v[k].end;
		tz_free(z);
	}
	buf_free(&why);
}

/* The newest end among the runs read (up to now): the data's age. */
static int64_t
newest_run(const struct af_runs *runs, int64_t now)
{
	int64_t	t = TIME_NONE;
	size_t	i;

	for (i = 0; i < runs->n; i++)
		if (runs->v[i].end_date != TIME_NONE &&
		    runs->v[i].end_date <= now && runs->v[i].end_date > t)
			t = runs->v[i].end_date;
	return t;
}

/* The most of the audit log read: its tail, where this week's lines are. */
#define AUDIT_READ_MAX	((off_t)64 << 20)

/*
 * The reruns of the week from the audit log: a missing file is no rerun
 * (skipped), an unreadable one an error of this part alone.  Only a
 * regular file is read (a FIFO there must not hang a cron run), opened
 * non-blocking, and of it at most the last AUDIT_READ_MAX bytes from a
 * line's start; the origin says when the log was cut.
 */
static void
read_reruns(struct digest *d, int64_t now)
{
	struct digest_origin	*o = &d->failures.reruns_origin;
	struct buf		 text = BUF_INIT, src = BUF_INIT;
	struct stat		 st;
	char			*path = audit_path(), chunk[65536];
	const char		*why = NULL, *body;
	ssize_t			 got = 0;
	size_t			 bad, len;
	off_t			 left;
	bool			 cut = false;
	int			 fd;

	if (path == NULL) {
		o->skipped = xstrdup("no audit log: neither XDG_STATE_HOME, "
		    "HOME nor DAGTOP_AUDIT_LOG is set");
		return;
	}
	buf_printf(&src, "dagtop audit log %s", path);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		o->source = buf_detach(&src);
		if (errno == ENOENT)
			buf_printf(&text, "no audit log at %s", path);
		else
			buf_printf(&text, "cannot read the audit log %s: %s",
			    path, strerror(errno));
		if (errno == ENOENT)
			o->skipped = buf_detach(&text);
		else
			o->error = buf_detach(&text);
		free(path);
		return;
	}
	if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > AUDIT_READ_MAX) {
		cut = true;
		if (lseek(fd, st.st_size - AUDIT_READ_MAX, SEEK_SET) < 0)
			why = strerror(errno);
	}
	for (left = AUDIT_READ_MAX; why == NULL && left > 0; left -= got) {
		got = read(fd, chunk, left < (off_t)sizeof chunk ?
		    (size_t)left : sizeof chunk);
		if (got < 0 && errno == EINTR) {
			got = 0;
			continue;
		}
		if (got < 0)
			why = strerror(errno);
		if (got <= 0)
			break;
		buf_append(&text, chunk, (size_t)got);
	}
	if (why != NULL) {
		buf_reset(&text);
		buf_printf(&text, "cannot read the audit log %s: %s", path,
		    why);
		o->error = buf_detach(&text);
	} else {
		body = text.data != NULL ? text.data : "";
		len = text.len;
		if (cut) {
			/* The first line may be a part: start after it. */
			const char *nl = memchr(body, '\n', len);

			len = nl != NULL ? len - (size_t)(nl + 1 - body) : 0;
			body = nl != NULL ? nl + 1 : body;
			buf_printf(&src, " (only its last %lld MiB read)",
			    (long long)(AUDIT_READ_MAX >> 20));
		}
		bad = digest_reruns_parse(&d->failures, body, len, d->from,
		    d->to);
		if (bad > 0)
			buf_printf(&src, " (%zu malformed line%s skipped)", bad,
			    bad == 1 ? "" : "s");
		o->read_at = now;
		o->newest = (int64_t)st.st_mtime;
	}
	o->source = buf_detach(&src);
	close(fd);
	buf_free(&text);
	free(path);
}

/*
 * The Airflow sections: one read of the context's source; on failure both
 * carry its error and the others are still read.  The SLA days borrow
 * their run ids from hist, which must outlive the digest's writing.
 * True when a failed read was said on stderr (say_errors then skips it).
 */
static bool
read_airflow(struct digest *d, const struct settings *s,
    const struct config *cfg, struct sla_history *hist, int64_t now)
{
	struct digest_job	 j;
	enum report_read_result	 res;
	size_t			 i;
	bool			 said = false;

	memset(&j, 0, sizeof j);
	j.hist = hist;
	j.defs = xcalloc(cfg->nsla + 1, sizeof *j.defs);
	j.ndefs = config_slas(cfg, s->context, j.defs);
	j.from = d->from;
	j.to = d->to;
	/* Two days of margin either side: zones are up to 14 h off UTC. */
	j.sla_from = (d->first_day - SLA_TRAILING_WEEKS * 7 - 2) * 86400;
	j.sla_to = (d->last_day + 2) * 86400;
	report_read_init(&j.rd);
	res = report_read_run(&j.rd, s, start, &j);
	for (i = DIGEST_SLA; i <= DIGEST_FAILURES; i++) {
		free(d->origin[i].source);
		d->origin[i].source = airflow_source(s, j.rd.db);
	}
	if (res != REPORT_READ_DONE) {
		digest_set_error(&d->origin[DIGEST_SLA],
		    buf_str(&j.rd.error));
		digest_set_error(&d->origin[DIGEST_FAILURES],
		    buf_str(&j.rd.error));
		report_error(report_read_what(res,
		    "cannot read the Airflow database"), buf_str(&j.rd.error));
		said = true;
	} else {
		d->origin[DIGEST_SLA].read_at = now;
		d->origin[DIGEST_FAILURES].read_at = now;
		if (j.ndefs == 0)
			d->origin[DIGEST_SLA].skipped = xstrdup("no SLA is "
			    "defined for this context");
		else if (j.sla_error.len > 0)
			digest_set_error(&d->origin[DIGEST_SLA],
			    buf_str(&j.sla_error));
		else
			build_sla(d, &j, s, now);
		digest_failures_build(&d->failures, d->from, d->to, &j.runs,
		    &j.tis, &j.dags);
		d->origin[DIGEST_FAILURES].newest = newest_run(&j.runs, now);
	}
	report_read_close(&j.rd);
	buf_free(&j.sla_error);
	af_dags_free(&j.dags);
	af_runs_free(&j.runs);
	af_tis_free(&j.tis);
	free(j.defs);
	return said;
}

/*
 * The week asked for (--week 2026-W49, "last", the default, or "this"),
 * in the context's zone, weeks starting on week_start: its first local
 * date and name; 0, or -1 with the reason in err.
 */
static int
digest_week(const char *week, int week_start, const struct tz *z,
    int64_t now, int64_t *first, struct buf *name, struct buf *err)
{
	int64_t today = sla_local_day(z, now);

	if (week == NULL || strcmp(week, "last") == 0)
		*first = sla_week_first(today, week_start) - 7;
	else if (strcmp(week, "this") == 0)
		*first = sla_week_first(today, week_start);
	else if (sla_week_parse(week, week_start, first) != 0) {
		buf_printf(err, "--week takes an ISO week such as 2026-W49, "
		    "'this' or 'last', not '%s'", week);
		return -1;
	}
	sla_week_name(*first, week_start, name);
	return 0;
}

/* Midnight at the start of a local date, as an instant. */
static int64_t
local_midnight(const struct tz *z, int64_t day)
{
	int y, m, dd;

	tz_civil_from_days(day, &y, &m, &dd);
	return tz_mktime(z, y, m, dd, 0, 0, 0);
}

/*
 * Each section's error on stderr too, once: cron mails stderr.  An
 * Airflow read already said (airflow_said) is the SLA's and failures'.
 */
static void
say_errors(const struct digest *d, bool airflow_said)
{
	static const char *const names[DIGEST_NSECTIONS] = {
		"SLA", "failures", "Four Keys", "slots", "environments"
	};
	struct buf	what = BUF_INIT;
	size_t		i;

	for (i = 0; i < DIGEST_NSECTIONS; i++)
		if (d->origin[i].error != NULL && !(airflow_said &&
		    (i == DIGEST_SLA || i == DIGEST_FAILURES))) {
			buf_reset(&what);
			buf_printf(&what, "digest: %s", names[i]);
			report_error(buf_str(&what), d->origin[i].error);
		}
	for (i = 0; i < d->nservices; i++)
		if (d->services[i].origin.error != NULL) {
			buf_reset(&what);
			buf_printf(&what, "digest: Four Keys of %s",
			    d->services[i].name != NULL ? d->services[i].name :
			    "a service");
			report_error(buf_str(&what), d->services[i].origin.error);
		}
	if (d->failures.reruns_origin.error != NULL)
		report_error("digest: reruns", d->failures.reruns_origin.error);
	buf_free(&what);
}

int
report_digest(const struct settings *s, const struct config *cfg,
    const struct cli_options *cli, const struct report_options *o)
{
	struct digest		 d;
	struct sla_history	 hist;
	struct tz		*zone;
	struct buf		 err = BUF_INIT, name = BUF_INIT, out = BUF_INIT;
	int64_t			 now = (int64_t)time(NULL), first;
	json_t			*doc;
	int			 rc = 0;
	bool			 said;

	if ((zone = report_zone(o->format, s->timezone, &rc)) == NULL)
		return rc;
	if (o->from != NULL || o->to != NULL)
		buf_puts(&err, "give --week, not --from/--to");
	else
		(void)digest_week(o->week, cfg->week_start, zone, now, &first,
		    &name, &err);
	if (err.len > 0) {
		rc = report_unknown(o->format, "report digest", buf_str(&err));
		goto out;
	}
	digest_init(&d);
	d.context = dup_or_null(s->context);
	d.week = buf_detach(&name);
	d.first_day = first;
	d.last_day = first + 6;
	d.from = local_midnight(zone, first);
	d.to = local_midnight(zone, first + 7);
	d.zone = xstrdup(tz_name(zone));
	d.generated_at = now;

	memset(&hist, 0, sizeof hist);
	said = read_airflow(&d, s, cfg, &hist, now);
	read_reruns(&d, now);
	digest_read_fourkeys(&d, cfg);
	digest_read_slots(&d, s);
	digest_read_envs(&d, cfg, cli);
	say_errors(&d, said);

	rc = digest_rc(&d);
	switch (o->format) {
	case REPORT_JSON:
		doc = digest_json(&d);
		report_json_print(doc);
		json_decref(doc);
		break;
	case REPORT_MARKDOWN:
		digest_write_markdown(&out, &d);
		break;
	case REPORT_HTML:
		digest_write_html(&out, &d);
		break;
	default:
		digest_write_text(&out, &d);
		break;
	}
	fputs(buf_str(&out), stdout);
	fflush(stdout);
	digest_free(&d);
	sla_history_free(&hist);
out:
	buf_free(&out);
	buf_free(&err);
	buf_free(&name);
	tz_free(zone);
	return rc;
}
