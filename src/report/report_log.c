/*
 * report_log.c: `dagtop report log DAG_ID RUN_ID TASK_ID [--try N]
 * [--map-index N]`: one try of a task instance's log, sanitised, on
 * stdout.  The database says which Airflow this is (API v1 or v2, text or
 * JSON lines in the log folder), which try is the latest and which log
 * template the run used; the text comes from the API when the context has
 * one, else from the log folder.  The log is spooled to an unlinked
 * temporary file, so a 200 MB log costs no more memory than a small one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "airflow_api.h"
#include "airflow_log.h"
#include "config.h"
#include "http.h"
#include "logtext.h"
#include "options.h"
#include "report.h"
#include "sanitize.h"
#include "scheduler.h"

struct log_job {
	const struct settings		*s;
	const struct report_options	*o;
	const char			*dag_id, *run_id, *task_id;
	struct report_read		 rd;
	struct http			*http;
	struct airflow_api		*api;
	struct logfetch			*fetch;
	struct af_tis			 tis;
	char				*tmpl;
	int				 try_number;
};

static void
fetched(void *arg)
{
	struct log_job *j = arg;

	switch (logfetch_state(j->fetch)) {
	case LOGF_DONE:
		report_read_done(&j->rd);
		break;
	case LOGF_FAILED:
		report_read_fail(&j->rd, logfetch_error(j->fetch));
		break;
	default:
		break;
	}
}

static void
start_fetch(struct log_job *j)
{
	struct log_target	t;
	struct buf		err = BUF_INIT;
	int			major = sched_about(j->rd.db)->major;

	memset(&t, 0, sizeof t);
	t.dag_id = j->dag_id;
	t.run_id = j->run_id;
	t.task_id = j->task_id;
	t.map_index = j->o->log_map_index;
	t.try_number = j->try_number;
	t.major = major;
	t.log_template = j->tmpl;
	t.spool_max_mib = j->s->log_spool_max;
	j->fetch = logfetch_start(j->rd.loop, j->api, j->s->log_folder, &t,
	    fetched, j, &err);
	if (j->fetch == NULL)
		report_read_fail(&j->rd, buf_str(&err));
	buf_free(&err);
}

static void
template_done(void *arg, const char *err)
{
	struct log_job *j = arg;

	if (err != NULL) {
		report_read_fail(&j->rd, err);
		return;
	}
	start_fetch(j);
}

static void
tis_done(void *arg, const char *err)
{
	struct log_job		*j = arg;
	const struct af_ti	*ti = NULL;
	const struct sched_about	*sc = sched_about(j->rd.db);
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (err != NULL) {
		report_read_fail(&j->rd, err);
		return;
	}
	for (i = 0; i < j->tis.n; i++)
		if (strcmp(j->tis.v[i].task_id, j->task_id) == 0 &&
		    j->tis.v[i].map_index == j->o->log_map_index)
			ti = &j->tis.v[i];
	if (ti == NULL) {
		buf_puts(&b, "no task instance ");
		report_put_id(&b, j->task_id);
		if (j->o->log_map_index >= 0)
			buf_printf(&b, "[%d]", j->o->log_map_index);
		buf_puts(&b, " in run ");
		report_put_id(&b, j->run_id);
		buf_puts(&b, " of DAG ");
		report_put_id(&b, j->dag_id);
		for (i = 0; i < j->tis.n; i++)
			if (strcmp(j->tis.v[i].task_id, j->task_id) == 0 &&
			    j->tis.v[i].map_index >= 0) {
				buf_puts(&b, " (a mapped task: give "
				    "--map-index)");
				break;
			}
		report_read_fail(&j->rd, buf_str(&b));
		buf_free(&b);
		return;
	}
	j->try_number = j->o->log_try;
	if (j->try_number <= 0) {
		/* The newest try with a log (see logctl.c default_try). */
		bool waiting = ti->state == TI_SCHEDULED ||
		    ti->state == TI_QUEUED;

		j->try_number = ti->try_number;
		if (sc->ti_history && waiting && ti->try_number > 1)
			j->try_number--;
	}
	if (j->try_number < 1) {
		report_read_fail(&j->rd, "this task instance has not run yet: no log");
		return;
	}
	if (settings_has_api(j->s)) {
		struct airflow_api_opts ao;

		options_airflow_api(j->s, &ao);
		j->api = airflow_api_new(j->rd.loop, j->http, &ao, sc->major,
		    &b);
		if (j->api == NULL) {
			report_read_fail(&j->rd, buf_str(&b));
			buf_free(&b);
			return;
		}
		start_fetch(j);
	} else if (j->s->log_folder != NULL && *j->s->log_folder != '\0')
		sched_fetch_log_template(j->rd.db, j->dag_id, j->run_id, &j->tmpl,
		    template_done, j);
	else
		report_read_fail(&j->rd, "no log source: set airflow_api or log_folder in the "
		    "context (dagtop.conf(5))");
	buf_free(&b);
}

/* The source is open: the run's task instances, to find the try. */
static void
start(void *arg)
{
	struct log_job *j = arg;

	sched_fetch_tis(j->rd.db, j->dag_id, j->run_id, &j->tis, tis_done, j);
}

/* Prints the spool, a sanitised line at a time. */
static int
print_log(struct logspool *sp)
{
	struct buf	out = BUF_INIT;
	size_t		i, n = logspool_lines(sp), len;
	uint64_t	full;

	for (i = 0; i < n; i++) {
		const char *s = logspool_line(sp, i, LOGTEXT_LINE_MAX, &len,
		    &full);

		if (s == NULL)
			break;
		if (full > len)
			len = logtext_cut(s, len);
		buf_reset(&out);
		sanitize_append(&out, s, len, SAN_TABS);
		if (full > len)
			logtext_more(&out, (unsigned long long)(full - len), 0);
		buf_putc(&out, '\n');
		if (fwrite(out.data, 1, out.len, stdout) != out.len)
			break;
	}
	buf_free(&out);
	return fflush(stdout) == 0 ? 0 : -1;
}

int
report_log(const struct settings *s, const struct report_options *o,
    const char *dag_id, const char *run_id, const char *task_id)
{
	struct log_job		 j;
	enum report_read_result	 read;
	struct http_opts	 ho;
	int			 rc;

	/* Standard output is the log: every error goes to stderr only. */
	if (o->format != REPORT_TEXT)
		return report_error("report log",
		    "prints text only (the log as Airflow wrote it, sanitised)");
	memset(&j, 0, sizeof j);
	j.s = s;
	j.o = o;
	j.dag_id = dag_id;
	j.run_id = run_id;
	j.task_id = task_id;
	report_read_init(&j.rd);
	memset(&ho, 0, sizeof ho);
	ho.insecure = !s->airflow_tls_verify;
	ho.ca_file = s->airflow_ca_file;
	j.http = http_new(j.rd.loop, &ho);
	read = report_read_run(&j.rd, s, start, &j);
	if (read != REPORT_READ_DONE)
		rc = report_error(report_read_what(read, "report log"),
		    buf_str(&j.rd.error));
	else {
		rc = print_log(logfetch_spool(j.fetch)) == 0 ? 0 : 3;
		/* Said at the end of the text too; here for cron's mail. */
		if (logspool_cut(logfetch_spool(j.fetch)))
			fprintf(stderr, "dagtop: report log: the log was cut "
			    "after %llu MB (log_spool_max, or half the free "
			    "space of the temporary folder)\n",
			    (unsigned long long)(logfetch_spool(j.fetch)->cut_at
			    >> 20));
	}
	logfetch_free(j.fetch);
	airflow_api_free(j.api);
	http_free(j.http);
	report_read_close(&j.rd);
	af_tis_free(&j.tis);
	free(j.tmpl);
	return rc;
}
