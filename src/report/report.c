/* report.c: what every report shares. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "airflow.h"
#include "digest_write.h"
#include "openmetrics.h"
#include "report.h"
#include "secret.h"
#include "slack.h"
#include "sla.h"
#include "sanitize.h"
#include "timefmt.h"
#include "tz.h"
#include "zoneinfo.h"

static const char *const format_names[] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_CSV] = "csv",
	[REPORT_MARKDOWN] = "markdown",
	[REPORT_OPENMETRICS] = "openmetrics",
	[REPORT_SLACK] = "slack",
	[REPORT_HTML] = "html",
};

int
report_format_parse(const char *s, enum report_format *out)
{
	size_t i;

	if (strcmp(s, "md") == 0) {
		*out = REPORT_MARKDOWN;
		return 0;
	}
	for (i = 0; i < sizeof format_names / sizeof *format_names; i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum report_format)i;
			return 0;
		}
	}
	return -1;
}

const char *
report_format_name(enum report_format f)
{
	return format_names[f];
}

json_t *
report_json_string(const char *s)
{
	json_t	*v;
	char	*clean;

	if (s == NULL)
		return json_null();
	v = json_string(s);
	if (v != NULL)
		return v;
	/* Not valid UTF-8: jansson refuses it, so send the sanitised form. */
	clean = sanitize_dup(s, SAN_NEWLINES | SAN_SHOW_ESCAPES);
	v = json_string(clean);
	free(clean);
	return v != NULL ? v : json_null();
}

json_t *
report_json_time(int64_t t)
{
	struct buf	 b = BUF_INIT;
	json_t		*v;

	if (t == TIME_NONE)
		return json_null();
	fmt_time(&b, tz_utc(), t, FMT_ISO);
	v = json_string(buf_str(&b));
	buf_free(&b);
	return v;
}

json_t *
report_json_sla_summary(const struct sla_summary *s)
{
	json_t	*o = json_object();
	int	 k;

	for (k = SLA_MET; k < SLA_NOUTCOMES; k++)
		json_object_set_new(o, sla_outcome_name(k),
		    json_integer((json_int_t)s->count[k]));
	json_object_set_new(o, "judged", json_integer((json_int_t)s->judged));
	json_object_set_new(o, "compliance", s->compliance < 0 ? json_null() :
	    json_real(s->compliance));
	json_object_set_new(o, "worst_late_seconds",
	    json_integer(s->worst_late));
	return o;
}

void
report_json_print(json_t *doc)
{
	/*
	 * ENSURE_ASCII: every non-ASCII character, and every control
	 * character, leaves as a \u escape, so nothing in an id can act on a
	 * terminal that shows the file.
	 */
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	    JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

int
report_error(const char *what, const char *why)
{
	char	*plain = scrub_dup(why != NULL ? why : "", NULL);
	char	*clean = sanitize_dup(plain, 0);

	/* Cron mails this line: no password of a URL or conninfo in it. */
	fprintf(stderr, "dagtop: %s: %s\n", what, clean);
	free(clean);
	free(plain);
	return 3;
}

/* The scheduler source the report reads ("database", "api"), or NULL. */
static const char *report_source;
/* The report's name, for report_unknown's metrics; NULL before main sets it. */
static const char *report_name;
/* The context read, for report_unknown's metrics; NULL: none (yet). */
static const char *report_context;
/* [dagtop] metrics_max_series */
static size_t max_series = 100;

void
report_set_context(const char *context)
{
	report_context = context;
}

void
report_set_name(const char *name)
{
	report_name = name;
}

void
report_set_max_series(int n)
{
	if (n > 0)
		max_series = (size_t)n;
}

size_t
report_max_series(void)
{
	return max_series;
}

void
report_om_read(struct om *m, const char *report, const char *context,
    bool ok, int64_t now)
{
	om_family(m, "dagtop_report_success", OM_GAUGE,
	    "1 when the report read its sources, 0 when it could not "
	    "(the report's other metrics are then missing).");
	om_family(m, "dagtop_report_timestamp_seconds", OM_GAUGE,
	    "When the report was made, in seconds since the Unix epoch.");
	om_family(m, "dagtop_report_series_omitted", OM_GAUGE,
	    "Series of a per-DAG, per-task or per-consumer metric left out "
	    "by metrics_max_series (the worst are kept).");
	om_add(m, "dagtop_report_success", ok ? 1 : 0, "report", report,
	    "context", context, NULL);
	om_add(m, "dagtop_report_timestamp_seconds", (double)now,
	    "report", report, "context", context, NULL);
}

void
report_om_omitted(struct om *m, const char *report, const char *context,
    const char *metric, size_t omitted)
{
	om_add(m, "dagtop_report_series_omitted", (double)omitted,
	    "report", report, "context", context, "metric", metric, NULL);
}

void
report_om_print(struct om *m)
{
	struct buf b = BUF_INIT;

	om_write(m, &b);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
	om_free(m);
}

void
report_set_source(const char *source)
{
	report_source = source;
}

int
report_unknown(enum report_format f, const char *what, const char *why)
{
	json_t	*doc;
	char	*plain = scrub_dup(why != NULL ? why : "", NULL);
	char	*clean = sanitize_dup(plain, 0);

	report_error(what, why);
	/* Text keeps the monitoring convention: the verdict line first. */
	if (f == REPORT_TEXT || f == REPORT_MARKDOWN)
		printf("UNKNOWN: %s: %s\n", what, clean);
	if (f == REPORT_JSON) {
		doc = json_object();
		json_object_set_new(doc, "status", json_string("unknown"));
		json_object_set_new(doc, "exit_code", json_integer(3));
		json_object_set_new(doc, "error", report_json_string(plain));
		if (report_source != NULL)
			json_object_set_new(doc, "source",
			    json_string(report_source));
		report_json_print(doc);
		json_decref(doc);
	}
	if (f == REPORT_OPENMETRICS) {
		/* A collector must see the failure, not an old or empty file. */
		struct om m;

		om_init(&m);
		report_om_read(&m, report_name, report_context, false,
		    (int64_t)time(NULL));
		report_om_print(&m);
	}
	/* HTML (the digest's mail): a page saying so, never an empty one. */
	if (f == REPORT_HTML) {
		struct buf page = BUF_INIT;

		digest_write_html_unknown(&page, what, plain);
		fputs(buf_str(&page), stdout);
		buf_free(&page);
	}
	/* Slack: still a message, saying UNKNOWN and why (slack.h). */
	if (f == REPORT_SLACK) {
		doc = slack_unknown(what, plain, report_source);
		report_json_print(doc);
		json_decref(doc);
	}
	free(clean);
	free(plain);
	return 3;
}

struct tz *
report_zone(enum report_format f, const char *name, int *rc)
{
	struct tz	*zone;
	struct buf	 why = BUF_INIT;

	if ((zone = zoneinfo_load(name, &why)) == NULL)
		*rc = report_unknown(f, "configuration", buf_str(&why));
	buf_free(&why);
	return zone;
}

struct tz **
report_sla_zones(const struct sla_def *const *defs, size_t n,
    const char *context_zone, enum report_format f, int *rc)
{
	struct tz	**zones = xcalloc(n + 1, sizeof *zones);
	size_t		  i, k;

	for (i = 0; i < n; i++) {
		const char *zn = defs[i]->timezone != NULL ?
		    defs[i]->timezone : context_zone;

		if ((zones[i] = report_zone(f, zn, rc)) == NULL) {
			for (k = 0; k < i; k++)
				tz_free(zones[k]);
			free(zones);
			return NULL;
		}
	}
	return zones;
}

void
report_verdict(struct buf *b, int rc, const char *fmt, ...)
{
	va_list ap;

	buf_printf(b, "%s: ", report_verdict_word(rc));
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
	buf_putc(b, '\n');
}

void
report_put_id(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_putc(b, '-');
	else
		sanitize_append(b, s, strlen(s), SAN_SHOW_ESCAPES);
}

json_t *
report_json_ti(const struct af_ti *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "task_id", report_json_string(t->task_id));
	json_object_set_new(o, "map_index", json_integer(t->map_index));
	json_object_set_new(o, "state", t->state == TI_NONE ? json_null() :
	    report_json_string(t->state_raw != NULL ? t->state_raw :
	    ti_state_name(t->state)));
	json_object_set_new(o, "try_number", json_integer(t->try_number));
	json_object_set_new(o, "max_tries", json_integer(t->max_tries));
	json_object_set_new(o, "start_date", report_json_time(t->start_date));
	json_object_set_new(o, "end_date", report_json_time(t->end_date));
	json_object_set_new(o, "duration", t->duration >= 0 ?
	    json_real(t->duration) : json_null());
	json_object_set_new(o, "operator", report_json_string(t->operator));
	json_object_set_new(o, "pool", report_json_string(t->pool));
	json_object_set_new(o, "hostname", report_json_string(t->hostname));
	return o;
}

json_t *
report_json_run(const struct af_run *r, int64_t now)
{
	json_t	*o = json_object();
	double	 d = af_run_duration(r, now);

	json_object_set_new(o, "dag_id", report_json_string(r->dag_id));
	json_object_set_new(o, "run_id", report_json_string(r->run_id));
	json_object_set_new(o, "state", report_json_string(r->state_raw != NULL ?
	    r->state_raw : run_state_name(r->state)));
	json_object_set_new(o, "run_type", report_json_string(r->run_type));
	json_object_set_new(o, "logical_date", report_json_time(r->logical_date));
	json_object_set_new(o, "run_after", report_json_time(r->run_after));
	json_object_set_new(o, "start_date", report_json_time(r->start_date));
	json_object_set_new(o, "end_date", report_json_time(r->end_date));
	json_object_set_new(o, "duration", d >= 0 ? json_real(d) : json_null());
	return o;
}

void
report_put_lines(struct buf *b, const char *s)
{
	sanitize_append(b, s, strlen(s), SAN_NEWLINES | SAN_SHOW_ESCAPES);
}

void
report_csv_field(struct buf *b, const char *s)
{
	struct buf	 t = BUF_INIT;
	const char	*p;
	bool		 formula;

	if (s == NULL)
		return;
	report_put_id(&t, s);
	p = buf_str(&t);
	formula = *p != '\0' && strchr("=+-@", *p) != NULL;
	if (!formula && strpbrk(p, ",\"\r\n") == NULL) {
		buf_puts(b, p);
		buf_free(&t);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
	buf_free(&t);
}

void
report_put_text(struct buf *b, const char *s, bool md)
{
	if (md)
		report_md_text(b, s);
	else
		report_put_id(b, s);
}

void
report_md_text(struct buf *b, const char *s)
{
	struct buf	 t = BUF_INIT;
	const char	*p;

	if (s == NULL) {
		buf_putc(b, '-');
		return;
	}
	report_put_id(&t, s);
	for (p = buf_str(&t); *p != '\0'; p++) {
		if (*p == '@')
			buf_puts(b, "&#8203;");
		if ((unsigned char)*p < 0x80 && ispunct((unsigned char)*p))
			buf_putc(b, '\\');
		buf_putc(b, *p);
	}
	buf_free(&t);
}

const char *
report_verdict_word(int rc)
{
	static const char *const words[] = {
		"OK", "WARNING", "CRITICAL", "UNKNOWN"
	};

	return rc >= 0 && rc <= 3 ? words[rc] : "UNKNOWN";
}

const char *
report_status_word(int rc)
{
	static const char *const words[] = {
		"ok", "warning", "critical", "unknown"
	};

	return rc >= 0 && rc <= 3 ? words[rc] : "unknown";
}

void
report_begin(void)
{
	/* A reader that goes away is a write error, seen and reported. */
	signal(SIGPIPE, SIG_IGN);
}

/* --output: the file asked for, and the temporary stdout writes to. */
static char *output_file, *output_temp;

/* Interrupted (cron's kill, ^C): no temporary left behind, then as asked. */
static void
output_interrupted(int sig)
{
	if (output_temp != NULL)
		unlink(output_temp);
	signal(sig, SIG_DFL);
	raise(sig);
}

int
report_output(const char *file)
{
	const char	*slash = strrchr(file, '/');
	struct buf	 t = BUF_INIT;
	mode_t		 mask;
	int		 fd;

	/* ".NAME.XXXXXX" beside it: a collector reading *.prom skips it. */
	if (slash != NULL)
		buf_append(&t, file, (size_t)(slash - file) + 1);
	buf_printf(&t, ".%s.XXXXXX", slash != NULL ? slash + 1 : file);
	output_temp = buf_detach(&t);
	if ((fd = mkstemp(output_temp)) == -1) {
		fprintf(stderr, "dagtop: cannot write %s: %s\n", file,
		    strerror(errno));
		free(output_temp);
		output_temp = NULL;
		return 3;
	}
	/* mkstemp's 0600 would shut out a collector running as another user. */
	mask = umask(0);
	umask(mask);
	fflush(stdout);
	if (fchmod(fd, 0666 & ~mask) != 0 || dup2(fd, STDOUT_FILENO) == -1) {
		fprintf(stderr, "dagtop: cannot write %s: %s\n", file,
		    strerror(errno));
		close(fd);
		unlink(output_temp);
		free(output_temp);
		output_temp = NULL;
		return 3;
	}
	close(fd);
	output_file = xstrdup(file);
	signal(SIGINT, output_interrupted);
	signal(SIGTERM, output_interrupted);
	signal(SIGHUP, output_interrupted);
	return 0;
}

/* The temporary made whole and durable, then renamed over the file: 0 or errno. */
static int
output_commit(void)
{
	char	*dir, *slash;
	int	 fd;

	if (fsync(STDOUT_FILENO) != 0 && errno != EINVAL)
		return errno;
	if (fclose(stdout) != 0)
		return errno;
	if (rename(output_temp, output_file) != 0)
		return errno;
	/* The rename itself durable: the folder synced (best effort). */
	dir = xstrdup(output_file);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[slash == dir] = '\0';
	fd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY);
	if (fd != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	return 0;
}

int
report_end(int rc)
{
	int	e = 0;

	errno = 0;
	if (fflush(stdout) != 0)
		e = errno;
	if (output_temp != NULL) {
		struct stat	st;
		bool		empty;

		if (e == 0 && ferror(stdout))
			e = EIO;
		/*
		 * Nothing written (--quiet when all is good; a CSV that could
		 * not be made, its reason on stderr): FILE stays as it was,
		 * never replaced by an empty one.
		 */
		empty = e == 0 && fstat(STDOUT_FILENO, &st) == 0 &&
		    st.st_size == 0;
		if (e == 0 && !empty)
			e = output_commit();
		else
			fclose(stdout);
		if (e != 0 || empty)
			unlink(output_temp);
		/* The handler may unlink it until here: not once it is freed. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		free(output_temp);
		output_temp = NULL;
		if (e != 0) {
			fprintf(stderr, "dagtop: cannot write the report to "
			    "%s: %s (left as it was)\n", output_file,
			    strerror(e));
			rc = 3;
		}
		free(output_file);
		output_file = NULL;
		return rc;
	}
	if (ferror(stdout) || fclose(stdout) != 0) {
		if (e == 0)
			e = errno;
		fprintf(stderr, "dagtop: cannot write the report to standard "
		    "output%s%s\n", e != 0 ? ": " : "", e != 0 ? strerror(e) : "");
		return 3;
	}
	return rc;
}
