/*
 * report.h: report mode.  The same sources and model as the console; a
 * writer (text, JSON, CSV, Markdown) instead of panes.  Never starts curses,
 * needs no terminal, never writes anywhere but stdout and stderr.
 */
#ifndef DAGTOP_REPORT_H
#define DAGTOP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"

struct settings;

enum report_format {
	REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_MARKDOWN,
	REPORT_OPENMETRICS,	/* Prometheus text for node_exporter's textfiles */
	REPORT_SLACK,		/* a Slack Block Kit message (JSON) */
	REPORT_HTML,		/* a page for mail (the digest) */
	REPORT_NFORMATS
};
/* A set of formats, for what a report takes: FORMAT_BIT(REPORT_JSON) | ... */
#define FORMAT_BIT(f)	(1u << (f))

struct report_options {
	enum report_format	 format;
	int64_t			 since_span;	/* status: seconds back from now */
	bool			 quiet;		/* print nothing when all is good */
	int			 log_try;	/* log: --try, 0 the latest */
	int			 log_map_index;	/* log: --map-index, -1 none */
	const char		*week;		/* sla: "2026-W47", "last", "this" */
	const char		*from, *to;	/* sla: YYYY-MM-DD */
	int			 hours;		/* slots: the window, 0 default */
	int			 alert_minutes;	/* slots: alert window, 0 default */
	int			 window_days;	/* fourkeys: --window, 0 default */
	const char		*service;	/* fourkeys: --service, or NULL */
	const char		*date;		/* why: --date YYYY-MM-DD */
	const char		*dag;		/* why: --dag DAG_ID */
	double			 threshold;	/* compare: --threshold, 0.20 */
	int			 weeks;		/* sla: --weeks N, 0 none; digest */
	const char		*output;	/* --output FILE, or NULL: stdout */
};

/* Parses "text", "json", "csv", "markdown" (or "md"), "openmetrics",
   "slack", "html". */
int	 report_format_parse(const char *, enum report_format *);
const char *report_format_name(enum report_format);

/*
 * A report's read of the scheduler source, in a loop of its own
 * (report_read.c).  report_read_init makes the loop (a report may add
 * sources of its own to it); report_read_run opens the context's source,
 * calls start(job) once it is open, and runs until the job calls
 * report_read_done or report_read_fail (or the connection fails or is
 * lost).  r->db stays open for the writer until report_read_close.
 */
struct loop;
struct sched;
struct report_reads;
struct report_read {
	struct loop		*loop;
	struct sched		*db;
	struct buf		 error;		/* the first error */
	bool			 done;
	bool			 ended;		/* done or failed */
	void			(*start)(void *job);
	void			*job;
	struct report_reads	*group;		/* report_reads_run's, or NULL */
};
enum report_read_result {
	REPORT_READ_DONE,
	REPORT_READ_BAD_SETTINGS,	/* no connection could be set up */
	REPORT_READ_FAILED		/* the connection or a read failed */
};
void	 report_read_init(struct report_read *);
enum report_read_result report_read_run(struct report_read *,
	    const struct settings *, void (*start)(void *job), void *job);
/* The job's end: its reads are in, or one failed (the first error stays). */
void	 report_read_done(struct report_read *);
void	 report_read_fail(struct report_read *, const char *err);
/* A sched_cb for a job's last read (arg: its struct report_read). */
void	 report_read_last(void *rd, const char *err);
void	 report_read_close(struct report_read *);

/*
 * Several contexts read at once, in one loop (report status over several
 * contexts, report compare): r[i] reads context s[i] as report_read_run
 * does, every source opened together and each job started when its own
 * is open; the loop runs until every job has ended.  A context that fails
 * (bad settings, no connection, a read failing or stalling past the
 * source's time limit) has its error in r[i].error and result[i], and
 * delays none of the others.  A job ends with report_read_done or
 * report_read_fail on its own r[i], as alone; only the first end counts.
 */
struct report_reads {
	struct loop		*loop;
	struct report_read	*r;
	size_t			 n, left;
};
void	 report_reads_init(struct report_reads *, size_t n);
void	 report_reads_run(struct report_reads *,
	    const struct settings *const *s, void (*start)(void *job),
	    void *const *jobs, enum report_read_result *result);
void	 report_reads_close(struct report_reads *);
/*
 * What a report calls a read that did not finish, for report_unknown and
 * report_error: "database" when no connection could even be set up (the
 * settings are wrong), else what.
 */
const char *report_read_what(enum report_read_result, const char *what);

/*
 * `dagtop report status`: returns the exit status (0 OK, 1 warning, 2
 * critical, 3 cannot tell).
 */
int	 report_status(const struct settings *, const struct report_options *);

/*
 * `dagtop report status` over several contexts (config_resolve_contexts'
 * s[0..n)), read at once: a section per context, then the overall
 * verdict; returns the worst exit status, CRITICAL before UNKNOWN before
 * WARNING before OK.
 */
int	 report_status_many(const struct settings *, size_t n,
	    const struct report_options *);
/*
 * Each of s[0..n)'s health judged as `report status` judges it (status_build
 * over the runs since `since`), every context read at once, without the
 * task instances the report lists: judged(arg, i, st, release, error) per
 * context, in order, with st and release (may be NULL) when it was read,
 * else st NULL and error the line that says why (secrets scrubbed).  The
 * arguments live only during the call.  The weekly digest's environments.
 */
struct status;
typedef void (*report_judged_cb)(void *arg, size_t i, const struct status *,
	    const char *release, const char *error);
void	 report_status_judge(const struct settings *, size_t n, int64_t since,
	    report_judged_cb, void *arg);

/*
 * `dagtop report run DAG_ID [RUN_ID]`: exit 0, 1 when the run failed, 3
 * when it cannot tell (no such DAG or run).
 */
int	 report_run(const struct settings *, const struct report_options *,
	    const char *dag_id, const char *run_id);

struct config;
/*
 * `dagtop report sla`: the SLAs of the configuration over a week (or a
 * range of dates): exit 0 when nothing was late, failed or missing, 1 when
 * something was, 3 when it cannot tell.
 */
int	 report_sla(const struct settings *, const struct config *,
	    const struct report_options *);

/*
 * `dagtop report log DAG_ID RUN_ID TASK_ID`: the sanitised log of one try
 * on stdout; exit 0, or 3 when there is no log to print (and why).
 */
int	 report_log(const struct settings *, const struct report_options *,
	    const char *dag_id, const char *run_id, const char *task_id);

/*
 * `dagtop report slots`: BigQuery slots against capacity, top consumers,
 * Airflow pools; exit 0, 1 when usage went above capacity, 3 cannot tell.
 */
int	 report_slots(const struct settings *, const struct report_options *);

/*
 * `dagtop report fourkeys`: the Four Keys of the configured services;
 * exit 0, or 3 when a service could not be read (the rest are written).
 */
int	 report_fourkeys(const struct config *, const struct report_options *);

/*
 * `dagtop report impact DAG_ID RUN_ID TASK_ID`: what the failure of a
 * task holds back across DAGs; exit 0 nothing outside its DAG, 1
 * something, 2 an SLA already missed or out of reach, 3 cannot tell.
 * `dagtop report why SLA_NAME | --dag DAG_ID`: the first bad link
 * upstream; exit 0 none (and the SLA not missed), 1 one found, 2 the SLA's
 * day missed or at risk, 3 cannot tell (report_dep.h).
 */
int	 report_impact(const struct settings *, const struct config *,
	    const struct report_options *, const char *dag_id,
	    const char *run_id, const char *task_id);
int	 report_why(const struct settings *, const struct config *,
	    const struct report_options *, const char *sla_name);

struct cli_options;
/*
 * `dagtop report compare BLUE GREEN`: green judged against blue, each
 * context read with its own settings (cli with each name as --context);
 * exit 0 the same, 1 green worse, 2 critical (running twice), 3 cannot
 * tell (report_compare.c, compare.h).
 */
int	 report_compare(const struct config *, const struct cli_options *,
	    const struct report_options *, const char *blue,
	    const char *green);

/*
 * Says why a report could not be made: one line on stderr, always; then on
 * stdout the verdict line "UNKNOWN: ..." for text and Markdown, and for
 * JSON an object {"status": "unknown", "error": ...} so that a parser
 * downstream still reads valid JSON; for Slack a message saying UNKNOWN
 * and why (slack_unknown).  Returns 3.
 */
int	 report_unknown(enum report_format, const char *what, const char *why);
/*
 * The scheduler source the settings chose ("database", "api"), named in
 * report_unknown's JSON as every report's JSON names it; NULL: none.  Set
 * once, before the report runs (a report is a process of its own).
 */
void	 report_set_source(const char *);
/* Only the line on stderr (for a report whose stdout is data): returns 3. */
int	 report_error(const char *what, const char *why);
/*
 * The zone named (a context's or an SLA's timezone) for a report's times;
 * NULL when it cannot be loaded, once report_unknown has said so as a
 * "configuration" problem and *rc holds its exit status.
 */
struct tz *report_zone(enum report_format, const char *name, int *rc);
/*
 * The zone of each SLA of defs[0..n), its own or context_zone; NULL when
 * one cannot be loaded, once report_zone has said so (*rc).  tz_free each.
 */
struct sla_def;
struct tz **report_sla_zones(const struct sla_def *const *defs, size_t n,
	    const char *context_zone, enum report_format, int *rc);
/*
 * The first line of every text report: the verdict word for the exit
 * status rc ("WARNING: "), the text, a newline.
 */
void	 report_verdict(struct buf *, int rc, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/* A JSON string from untrusted text: exact when valid UTF-8, else sanitised. */
json_t	*report_json_string(const char *);
/* An ISO 8601 instant in UTC, or JSON null for TIME_NONE. */
json_t	*report_json_time(int64_t);
/*
 * An SLA summary as every JSON form writes it: the days of each outcome,
 * judged, compliance (0..1, null when nothing was judged) and
 * worst_late_seconds.
 */
struct sla_summary;
json_t	*report_json_sla_summary(const struct sla_summary *);
struct af_ti;
struct af_run;
/* A task instance and a run as JSON objects, named as Airflow's API names them. */
json_t	*report_json_ti(const struct af_ti *);
json_t	*report_json_run(const struct af_run *, int64_t now);
/* An id from outside, defused for a terminal: escapes shown, not obeyed. */
void	 report_put_id(struct buf *, const char *);
/* Lines of text from outside (warnings naming tasks), defused, newlines kept. */
void	 report_put_lines(struct buf *, const char *);
/*
 * A CSV field (RFC 4180) from outside: defused as report_put_id, quoted when
 * it holds a comma, a quote or a line break, and made text when it starts
 * with = + - @ (a formula in a spreadsheet).  NULL is an empty field.
 */
void	 report_csv_field(struct buf *, const char *);
/*
 * Markdown text from outside, inert under CommonMark and GFM: every ASCII
 * punctuation character backslash-escaped (no link, image, HTML, emphasis,
 * code or table-cell break can come out of it), and a zero-width space
 * before '@' so that no e-mail autolink forms.  NULL is "-".
 */
void	 report_md_text(struct buf *, const char *);
/* Text from outside: inert Markdown when md, else defused as report_put_id. */
void	 report_put_text(struct buf *, const char *, bool md);
/*
 * The first word of a text report, as monitoring plugins spell it, for an
 * exit status 0..3: "OK", "WARNING", "CRITICAL", "UNKNOWN".
 */
const char *report_verdict_word(int);
/* The same in lower case, as JSON reports spell their "status". */
const char *report_status_word(int);
/*
 * Around every report: report_begin ignores SIGPIPE, so that a closed pipe
 * is a write error; report_end(rc) flushes and closes stdout and returns
 * rc, or 3 with a message on stderr when the report could not be written
 * (a full disk, a closed pipe).
 */
void	 report_begin(void);
int	 report_end(int rc);
/* Prints a JSON document with the flags every report uses. */
void	 report_json_print(json_t *);

/*
 * `dagtop report digest [--week W]`: the weekly digest (digest.h) of the
 * context, its SLA week and trend, failures and reruns, Four Keys, slots
 * and environments; exit 0 all good, 1 an SLA missed or a context not OK,
 * 3 a section's source could not be read (the rest is written).
 */
int	 report_digest(const struct settings *, const struct config *,
	    const struct cli_options *, const struct report_options *);

/*
 * --output FILE: from here on stdout goes to a temporary file beside FILE
 * (".FILE.XXXXXX", a plain file under the umask), which report_end syncs
 * and renames over FILE, so that a reader (node_exporter's textfile
 * collector) sees the old file or the new one whole, never a part.  On a
 * failure FILE stays as it was, no temporary is left, and report_end says
 * why and returns 3.  Returns 0, or 3 (said on stderr) when the temporary
 * cannot be made.
 */
int	 report_output(const char *file);

/* --- OpenMetrics (Prometheus text), what every report's shares --- */
struct om;
/*
 * The report's name ("status", "sla"), for the metrics report_unknown
 * writes; and [dagtop] metrics_max_series, the cap on each per-DAG (per
 * task, per consumer) metric.  Set once, before the report runs.
 */
void	 report_set_name(const char *);
/* The context read (NULL: none), so a failure's series is a success's. */
void	 report_set_context(const char *);
void	 report_set_max_series(int);
size_t	 report_max_series(void);
/*
 * Declares the families every report writes (dagtop_report_success,
 * dagtop_report_timestamp_seconds, dagtop_report_series_omitted) and adds
 * the first two for a read of context (NULL: no context label) that
 * succeeded or not, at now.
 */
void	 report_om_read(struct om *, const char *report, const char *context,
	    bool ok, int64_t now);
/* How many series of metric the cap left out (0 too: an alert may watch). */
void	 report_om_omitted(struct om *, const char *report,
	    const char *context, const char *metric, size_t omitted);
/* Writes the metrics to stdout and frees them. */
void	 report_om_print(struct om *);

#endif
