/*
 * test_db_report.c: the real dagtop binary as cron and runbooks use it:
 * `dagtop report status` and `dagtop config check`, their output, exit
 * status and messages, against the databases run.sh prepared.
 */
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "dbtest.h"

/* The major release of the schema under test (dbtest.h): 2 or 3. */
static int		 major;
static const char	*bin;
static char		 home[256], cfgpath[400];

struct result {
	int	 status;
	char	*out;
	char	*err;
};

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static void
slurp(int fd, char **dst, size_t *len)
{
	char	buf[4096];
	ssize_t	n;

	n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return;
	*dst = realloc(*dst, *len + (size_t)n + 1);
	memcpy(*dst + *len, buf, (size_t)n);
	*len += (size_t)n;
	(*dst)[*len] = '\0';
}

/*
 * Runs dagtop with argv in a clean environment (HOME in a scratch folder,
 * no DAGTOP_* unless given in env), no terminal, and collects its output.
 */
static void
run(struct result *r, const char *const *argv, const char *const *env)
{
	int		 po[2], pe[2], open_fds = 2;
	pid_t		 pid;
	size_t		 lo = 0, le = 0;
	struct pollfd	 pf[2];
	char		*args[32];
	int		 i;

	memset(r, 0, sizeof *r);
	r->out = strdup("");
	r->err = strdup("");
	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	args[0] = (char *)bin;
	for (i = 0; argv[i] != NULL; i++)
		args[i + 1] = (char *)argv[i];
	args[i + 1] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		clearenv();
		setenv("HOME", home, 1);
		setenv("PATH", "/usr/bin:/bin", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("ASAN_OPTIONS", "detect_leaks=1", 1);
		for (i = 0; env != NULL && env[i] != NULL; i += 2)
			setenv(env[i], env[i + 1], 1);
		execv(bin, args);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	pf[0].fd = po[0];
	pf[1].fd = pe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_fds > 0) {
		assert_true(poll(pf, 2, 60000) > 0);
		for (i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP)))
				continue;
			size_t before = i == 0 ? lo : le;
			slurp(pf[i].fd, i == 0 ? &r->out : &r->err,
			    i == 0 ? &lo : &le);
			if ((i == 0 ? lo : le) == before) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
	assert_true(WIFEXITED(r->status));
	r->status = WEXITSTATUS(r->status);
}

static const char *
url(const char *suffix)
{
	static char u[256];

	snprintf(u, sizeof u, "postgresql://reader@127.0.0.1:%s/af%d%s", port,
	    schema, suffix);
	return u;
}

#define assert_starts_with(s, prefix) do {				\
	if (strncmp((s), (prefix), strlen(prefix)) != 0)		\
		fail_msg("output does not start with \"%s\":\n%s",	\
		    (prefix), (s));					\
} while (0)

static const char *const pw_env[] = { "PGPASSWORD", "reader-secret", NULL };

/*
 * Renders a report's Markdown with a real CommonMark/GFM renderer
 * (cmark-gfm and GitHub's extensions): no link, image, comment or raw HTML
 * may come out of the data.
 */
static void
assert_md_inert(const char *md)
{
	char	 in[] = "/tmp/dagtop-test-md.XXXXXX", cmd[256];
	static char html[1 << 16];
	FILE	*f;
	size_t	 n;
	int	 fd;

	assert_true((fd = mkstemp(in)) >= 0);
	assert_int_equal(write(fd, md, strlen(md)), (ssize_t)strlen(md));
	close(fd);
	snprintf(cmd, sizeof cmd, "cmark-gfm -e table -e autolink "
	    "-e strikethrough -e tagfilter %s", in);
	assert_non_null(f = popen(cmd, "r"));
	n = fread(html, 1, sizeof html - 1, f);
	html[n] = '\0';
	unlink(in);
	assert_int_equal(pclose(f), 0);
	if (strstr(html, "<a ") != NULL || strstr(html, "<img") != NULL ||
	    strstr(html, "<!--") != NULL || strstr(html, "<script") != NULL)
		fail_msg("data rendered as Markdown:\n%s", html);
}

/* No byte of the output can drive a terminal. */
static void
assert_terminal_safe(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 && *p != '\n')
			fail_msg("control byte 0x%02x in output at %zu", *p,
			    (size_t)(p - (const unsigned char *)s));
		if (*p == 0x7f)
			fail_msg("DEL in output");
	}
	assert_null(strstr(s, "\xe2\x80\xae"));	/* RIGHT-TO-LEFT OVERRIDE */
	assert_null(strstr(s, "\xc2\x9b"));	/* C1 CSI */
}

static void
test_status_text(void **state)
{
	struct result	 r;
	const char	*argv[] = { "report", "status", "--database", url(""),
	    NULL };

	(void)state;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "WARNING: 2 failed runs, 1 DAG with import "
	    "errors\n");
	assert_non_null(strstr(r.out, "runs       1 success, 2 failed, 1 running, "
	    "1 queued\n"));
	assert_non_null(strstr(r.out, "DAGs       12 (11 active, 1 paused, 1 with "
	    "import errors)\n"));
	assert_non_null(strstr(r.out, "           import errors: broken_import\n"));
	assert_non_null(strstr(r.out, "scheduler  healthy, heartbeat "));
	assert_non_null(strstr(r.out, "(scheduler-0)\n"));
	assert_non_null(strstr(r.out, "\nfailed   etl_daily  scheduled__d1\n"));
	assert_non_null(strstr(r.out, "         failed           transform  try 3 of 3  "
	    "worker-1\n"));
	assert_non_null(strstr(r.out, "         upstream_failed  load, publish\n"));
	assert_non_null(strstr(r.out, "\nrunning  mapped.dag  scheduled__d1\n"));
	assert_non_null(strstr(r.out, "         up_for_retry     process[2]  try 1 of 2"));
	assert_non_null(strstr(r.out, "\nqueued   hourly_sync  scheduled__q\n"));
	/* Hostile ids arrive defused, visibly. */
	assert_non_null(strstr(r.out, "we'ird\xc3\xa9^[[31mdag"));
	assert_non_null(strstr(r.out, "task<U+202E>evil^G"));
	assert_terminal_safe(r.out);
	/* Failed runs come first; the three-day-old failure is not here. */
	assert_true(strstr(r.out, "\nfailed ") < strstr(r.out, "\nrunning "));
	assert_null(strstr(r.out, "scheduled__d4"));
	result_free(&r);
}

/* `report status` as CSV and Markdown, like the other reports. */
static void
test_status_csv_markdown(void **state)
{
	struct result	 r;
	const char	*argv[] = { "report", "status", "--format", "csv",
	    "--database", url(""), NULL };

	(void)state;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "");
	assert_starts_with(r.out, "kind,dag_id,run_id,state,run_type,"
	    "logical_date,start_date,end_date,duration_seconds,failed_tasks\n");
	assert_non_null(strstr(r.out, "\nrun,etl_daily,scheduled__d1,failed,"
	    "scheduled,"));
	assert_non_null(strstr(r.out, ",transform\n"));
	assert_non_null(strstr(r.out, "\nimport_error,broken_import,,"
	    "import_error,,,,,,\n"));
	assert_terminal_safe(r.out);
	result_free(&r);

	argv[3] = "markdown";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "## Airflow status\n\n**WARNING: 2 failed "
	    "runs, 1 DAG with import errors**\n");
	assert_non_null(strstr(r.out, "- import errors: broken\\_import\n"));
	assert_non_null(strstr(r.out, "| failed | etl\\_daily | "
	    "scheduled\\_\\_d1 | "));
	assert_md_inert(r.out);
	result_free(&r);
}

static json_t *
find_run(json_t *runs, const char *dag, const char *run_id)
{
	size_t	 i;
	json_t	*v;

	json_array_foreach(runs, i, v) {
		if (strcmp(json_string_value(json_object_get(v, "dag_id")),
		    dag) == 0 && strcmp(json_string_value(json_object_get(v,
		    "run_id")), run_id) == 0)
			return v;
	}
	return NULL;
}

static void
test_status_json(void **state)
{
	struct result	 r;
	const char	*argv[] = { "report", "status", "--format", "json",
	    "--database", url(""), NULL };
	json_t		*doc, *runs, *run_j, *tis, *ti, *h;
	json_error_t	 je;
	const unsigned char *p;

	(void)state;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	for (p = (const unsigned char *)r.out; *p != '\0'; p++)
		assert_true(*p < 0x80 && (*p >= 0x20 || *p == '\n'));
	doc = json_loads(r.out, 0, &je);
	if (doc == NULL)
		fail_msg("not JSON: %s", je.text);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "warning");
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")), 1);
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(doc, "airflow"), "major")), major);
	/* The release is known: no "unknown Airflow schema revision". */
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(doc, "airflow"), "release")), schema == 2 ?
	    "2.10.3-2.11" : schema == 3 ? "3.1.0-3.1.7" : "3.2.0-3.2.1");
	assert_null(strstr(r.out, "unknown Airflow schema revision"));
	assert_null(strstr(r.err, "unknown Airflow schema revision"));
	h = json_object_get(json_object_get(doc, "health"), "scheduler");
	assert_string_equal(json_string_value(json_object_get(h, "state")),
	    "healthy");
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(doc, "run_counts"), "failed")), 2);
	assert_int_equal(json_integer_value(json_object_get(
	    json_object_get(doc, "run_counts"), "total")), 5);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_object_get(doc, "dags"), "import_error_dag_ids"), 0)),
	    "broken_import");
	runs = json_object_get(doc, "runs");
	assert_int_equal(json_array_size(runs), 4);
	run_j = find_run(runs, "etl_daily", "scheduled__d1");
	assert_non_null(run_j);
	assert_string_equal(json_string_value(json_object_get(run_j, "state")),
	    "failed");
	assert_int_equal((int)json_real_value(json_object_get(run_j,
	    "duration")), 3600);
	tis = json_object_get(run_j, "task_instances");
	assert_int_equal(json_array_size(tis), 3);
	ti = json_array_get(tis, 2);
	assert_string_equal(json_string_value(json_object_get(ti, "task_id")),
	    "transform");
	assert_string_equal(json_string_value(json_object_get(ti, "state")),
	    "failed");
	assert_int_equal(json_integer_value(json_object_get(ti, "try_number")), 3);
	/* The hostile id is exact in JSON (escaped, not altered). */
	assert_non_null(find_run(runs, "we'ird\xc3\xa9\x1b[31mdag",
	    "scheduled__d1"));
	json_decref(doc);
	result_free(&r);
}

static void
test_status_critical(void **state)
{
	struct result	 r;
	const char	*argv[] = { "report", "status", "--database",
	    url("_down"), NULL };

	(void)state;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 2);
	assert_starts_with(r.out, "CRITICAL: scheduler down (last heartbeat 10m");
	assert_non_null(strstr(r.out, "scheduler  down, heartbeat 10m"));
	result_free(&r);
}

static void
test_status_ok_and_quiet(void **state)
{
	struct result	 r;
	const char	*argv[] = { "report", "status", "--database", url("_ok"),
	    NULL };
	const char	*quiet[] = { "report", "status", "--quiet", "--database",
	    url("_ok"), NULL };

	(void)state;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 0);
	assert_starts_with(r.out, "OK: scheduler healthy, 3 runs, none failed\n");
	result_free(&r);
	run(&r, quiet, pw_env);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
	result_free(&r);
}

static void
test_cannot_tell(void **state)
{
	struct result	 r;
	const char	*none[] = { "report", "status", NULL };
	const char	*refused[] = { "report", "status", "--format", "json",
	    "--database", "host=127.0.0.1 port=1 dbname=x user=x", NULL };
	const char	*notaf[] = { "report", "status", "--database", NULL, NULL };
	const char	*csv[] = { "report", "status", "--format", "csv",
	    "--database", "host=127.0.0.1 port=1 dbname=x user=x", NULL };
	const char	*badspan[] = { "report", "status", "--since", "soon", NULL };
	char		 u[256];
	json_t		*doc;

	(void)state;
	run(&r, none, NULL);
	assert_int_equal(r.status, 3);
	assert_starts_with(r.out, "UNKNOWN: configuration: no database "
	    "configured: pass --database CONNINFO");
	/* Errors go to stderr, always; the verdict line leads the text. */
	assert_non_null(strstr(r.err, "no database configured"));
	result_free(&r);

	run(&r, refused, NULL);
	assert_int_equal(r.status, 3);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "unknown");
	assert_non_null(strstr(json_string_value(json_object_get(doc, "error")),
	    "Connection refused"));
	json_decref(doc);
	assert_non_null(strstr(r.err, "Connection refused"));
	result_free(&r);

	snprintf(u, sizeof u, "postgresql://postgres@127.0.0.1:%s/notairflow",
	    port);
	notaf[3] = u;
	run(&r, notaf, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.out, "not an Airflow metadata database: no "
	    "table alembic_version, dag_run"));
	result_free(&r);

	/* CSV: the error on stderr alone. */
	run(&r, csv, pw_env);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "Connection refused"));
	result_free(&r);
	run(&r, badspan, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "--since takes a span"));
	result_free(&r);
}

static void
test_report_run(void **state)
{
	struct result	 r;
	const char	*text[] = { "report", "run", "etl_daily", "scheduled__d1",
	    "--database", url(""), NULL };
	const char	*mapped[] = { "report", "run", "mapped.dag", "--format",
	    "json", "--database", url(""), NULL };
	const char	*missing[] = { "report", "run", "etl_daily", "nope",
	    "--database", url(""), NULL };
	const char	*corrupt[] = { "report", "run", "corrupt_dag",
	    "--database", url(""), NULL };
	char		 order_db[300];
	const char	*rerun[] = { "report", "run", "rerun_dag",
	    "--database", order_db, NULL };
	json_t		*doc, *tasks, *t;

	(void)state;
	/* url() has one buffer: the others above point into it. */
	snprintf(order_db, sizeof order_db, "%s_order", url(""));
	run(&r, text, pw_env);
	assert_int_equal(r.status, 1);	/* the run failed */
	assert_starts_with(r.out, "WARNING: etl_daily  scheduled__d1  failed");
	/* Graph order with depth marks; upstream_failed after the failure. */
	assert_non_null(strstr(r.out,
	    "success          1 of 3  10m00s   extract  BashOperator\n"
	    "success          1 of 3  1m00s      notify  EmptyOperator\n"
	    "failed           3 of 3  30m00s     transform  PythonOperator\n"
	    "upstream_failed  0 of 3  -            load  BigQueryInsertJobOperator\n"
	    "upstream_failed  0 of 3  -              publish  BashOperator\n"));
	result_free(&r);

	run(&r, mapped, pw_env);
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_true(json_is_true(json_object_get(doc, "ordered")));
	tasks = json_object_get(doc, "tasks");
	assert_int_equal(json_array_size(tasks), 3);
	t = json_array_get(tasks, 1);
	assert_string_equal(json_string_value(json_object_get(t, "task_id")),
	    "process");
	assert_true(json_is_true(json_object_get(t, "mapped")));
	assert_int_equal(json_integer_value(json_object_get(t, "depth")), 1);
	assert_string_equal(json_string_value(json_object_get(t, "state")),
	    "up_for_retry");
	assert_int_equal(json_array_size(json_object_get(t, "task_instances")), 3);
	assert_true(json_is_null(json_object_get(json_array_get(tasks, 2),
	    "state")));
	json_decref(doc);
	result_free(&r);

	run(&r, missing, pw_env);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.out, "no run nope of DAG etl_daily"));
	result_free(&r);

	/*
	 * No run id: the DAG's latest as Airflow orders runs.  A manual run
	 * after a failed scheduled one (fixture_order.sql) is the latest, its
	 * success the verdict, on 2.x where its data interval ties too.
	 */
	run(&r, rerun, pw_env);
	assert_int_equal(r.status, 0);
	assert_starts_with(r.out, "OK: rerun_dag  manual__rerun  success");
	result_free(&r);

	/* An unreadable serialized DAG: tasks still listed, with a warning. */
	run(&r, corrupt, pw_env);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "(task graph unavailable: tasks in name "
	    "order)\n"));
	assert_non_null(strstr(r.out, "success          1 of 1  1m00s    x  "
	    "BashOperator\n"));
	assert_non_null(strstr(r.err, "serialized DAG unreadable (zlib"));
	result_free(&r);
}

/*
 * A run of each type is reported as Airflow wrote it: on 3.2 paused_dag's
 * old run is of the type 3.2 added, asset_materialization (fixture.sql).
 */
static void
test_report_run_type(void **state)
{
	struct result	 r;
	const char	*rid = schema == 32 ? "asset_materialization__old" :
	    "scheduled__old";
	const char	*type = schema == 32 ? "asset_materialization" :
	    "scheduled";
	const char	*text[] = { "report", "run", "paused_dag", rid,
	    "--database", url(""), NULL };
	const char	*json[] = { "report", "run", "paused_dag", rid,
	    "--format", "json", "--database", url(""), NULL };
	char		 want[128];
	json_t		*doc, *run_j;

	(void)state;
	run(&r, text, pw_env);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof want, "OK: paused_dag  %s  success", rid);
	assert_starts_with(r.out, want);
	/* paused_dag has no serialized DAG, said once; nothing else. */
	assert_string_equal(r.err, "dagtop: no serialized DAG in the database; "
	    "tasks are listed unordered\n");
	result_free(&r);

	run(&r, json, pw_env);
	assert_int_equal(r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	run_j = json_object_get(doc, "run");
	assert_string_equal(json_string_value(json_object_get(run_j,
	    "run_id")), rid);
	assert_string_equal(json_string_value(json_object_get(run_j,
	    "run_type")), type);
	assert_string_equal(json_string_value(json_object_get(run_j,
	    "state")), "success");
	json_decref(doc);
	result_free(&r);
}

static void
write_config(const char *text, mode_t mode)
{
	FILE *fp = fopen(cfgpath, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(cfgpath, mode);
}

static void
test_config_file(void **state)
{
	struct result	 r;
	char		 text[1024];
	const char	*status[] = { "report", "status", "--context", "prod",
	    NULL };
	const char	*check[] = { "config", "check", "--context", "prod", NULL };
	const char	*ambiguous[] = { "report", "status", NULL };
	const char	*by_env[] = { "DAGTOP_CONTEXT", "cmd", NULL };

	(void)state;
	/* A password in the URL, SQLAlchemy form, world-readable file. */
	snprintf(text, sizeof text,
	    "; dagtop test configuration\n"
	    "[context prod]\n"
	    "database = postgresql+psycopg2://reader:reader-secret@127.0.0.1:%s/af%d\n"
	    "timezone = Asia/Tokyo\n"
	    "readonly = yes\n"
	    "\n"
	    "[context cmd]\n"
	    "database = host=127.0.0.1 port=%s dbname=af%d user=reader\n"
	    "database_password_command = printf reader-secret\n",
	    port, schema, port, schema);
	write_config(text, 0644);
	run(&r, status, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "holds a password and is "
	    "readable by others"));
	assert_non_null(strstr(r.out, "context    prod, Airflow "));
	assert_non_null(strstr(r.out, " JST"));	/* shown in the context's zone */
	result_free(&r);

	run(&r, check, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "password=********"));
	assert_null(strstr(r.out, "reader-secret"));
	assert_null(strstr(r.err, "reader-secret"));
	assert_non_null(strstr(r.out, "timezone:    Asia/Tokyo"));
	assert_non_null(strstr(r.out, "readonly:    yes"));
	assert_non_null(strstr(r.out, "configuration OK"));
	result_free(&r);

	run(&r, ambiguous, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.out, "has 2 contexts; choose one with --context"));
	result_free(&r);

	/* DAGTOP_CONTEXT picks the context whose password comes from a command. */
	chmod(cfgpath, 0600);
	run(&r, ambiguous, by_env);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "");
	result_free(&r);
}

static void
test_config_errors(void **state)
{
	struct result	 r;
	const char	*check[] = { "config", "check", NULL };
	const char	*status[] = { "report", "status", "--format", "json", NULL };
	const char	*missing[] = { "report", "status", "--config",
	    "/nonexistent/dagtop.conf", NULL };
	json_t		*doc;

	(void)state;
	write_config("[context prod]\n"
	    "database = host=x\n"
	    "databse = host=y\n"
	    "readonly = maybe\n"
	    "airflow_password = hunter2\n"
	    "timezone = Asia/Tokio\n"
	    "statement_timeout = 0\n"
	    "[nonsense]\n"
	    "a = b\n", 0600);
	run(&r, check, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/config:3: unknown key 'databse' in "
	    "[context prod]\n"));
	assert_non_null(strstr(r.err, "/config:4: 'readonly' must be true or "
	    "false, not 'maybe'\n"));
	assert_non_null(strstr(r.err, "/config:5: 'airflow_password' is not "
	    "read from the file"));
	assert_null(strstr(r.err, "hunter2"));
	assert_non_null(strstr(r.err, "/config:7: 'statement_timeout' must be "
	    "a whole number of seconds from 1 to 3600, not '0'"));
	assert_non_null(strstr(r.err, "/config:8: unknown section [nonsense]"));
	assert_non_null(strstr(r.err, "unknown time zone 'Asia/Tokio'"));
	assert_non_null(strstr(r.out, "configuration has errors"));
	result_free(&r);

	write_config("[context prod\ndatabase = host=x\n", 0600);
	run(&r, check, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/config:1: syntax error"));
	result_free(&r);
	run(&r, status, NULL);
	assert_int_equal(r.status, 3);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "unknown");
	json_decref(doc);
	result_free(&r);

	run(&r, missing, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "/nonexistent/dagtop.conf: cannot read: "
	    "No such file or directory"));
	result_free(&r);
	unlink(cfgpath);
}

/*
 * Issue 13: a password never comes back in an error, whatever the output
 * (the UNKNOWN line cron mails, JSON, stderr, config check), and an
 * included file that holds one is checked like the main file.
 */
static void
test_no_password_in_errors(void **state)
{
	struct result	 r;
	static const char stray[] =
	    "postgresql://reader:MyDbPass%zz9@127.0.0.1/af2";
	const char	*text[] = { "report", "status", "--database", stray,
	    NULL };
	const char	*json[] = { "report", "status", "--format", "json",
	    "--database", stray, NULL };
	const char	*check[] = { "config", "check", NULL };
	const char	*status[] = { "report", "status", NULL };
	const char	*status_json[] = { "report", "status", "--format",
	    "json", NULL };
	const char	*const *cmds[] = { text, json, check, status,
	    status_json };
	char		 cfg[1024], inc[512];
	size_t		 i;
	FILE		*fp;

	(void)state;
	for (i = 0; i < 2; i++) {
		run(&r, cmds[i], NULL);
		assert_int_equal(r.status, 3);
		assert_non_null(strstr(i == 0 ? r.out : r.err,
		    "bad database connection string"));
		assert_null(strstr(r.out, "MyDbPass"));
		assert_null(strstr(r.err, "MyDbPass"));
		result_free(&r);
	}

	/* The same URL in the file, and a password in airflow_api. */
	snprintf(cfg, sizeof cfg, "[context prod]\n"
	    "database = %s\n"
	    "airflow_api = https://oncall:ApiPass9@127.0.0.1:1\n", stray);
	write_config(cfg, 0600);
	for (i = 2; i < 5; i++) {
		run(&r, cmds[i], NULL);
		assert_true(r.status == 1 || r.status == 3);
		assert_null(strstr(r.out, "MyDbPass"));
		assert_null(strstr(r.err, "MyDbPass"));
		assert_null(strstr(r.out, "ApiPass9"));
		assert_null(strstr(r.err, "ApiPass9"));
		result_free(&r);
	}
	snprintf(cfg, sizeof cfg, "[context prod]\n"
	    "database = postgresql://reader@127.0.0.1:%s/af%d\n"
	    "airflow_api = https://oncall:ApiPass9@127.0.0.1:1\n", port, schema);
	write_config(cfg, 0600);
	run(&r, check, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "airflow_api: https://oncall:***@"
	    "127.0.0.1:1\n"));
	assert_null(strstr(r.out, "ApiPass9"));
	assert_null(strstr(r.err, "ApiPass9"));
	result_free(&r);

	/* A read-only refusal's audit line names the API without it. */
	{
		const char	*clear[] = { "--readonly", "clear", "etl_daily",
		    "scheduled__d1", "transform", "--yes", NULL };
		const char	*audit_env[] = { "DAGTOP_AUDIT_LOG", NULL, NULL };
		char		 audit[512], line[2048];

		snprintf(audit, sizeof audit, "%s/audit.log", home);
		audit_env[1] = audit;
		run(&r, clear, audit_env);
		assert_int_equal(r.status, 1);
		result_free(&r);
		fp = fopen(audit, "r");
		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof line, fp));
		fclose(fp);
		unlink(audit);
		assert_non_null(strstr(line, "\"refused: read-only\""));
		assert_non_null(strstr(line, "\"api\":\"https://oncall:***@"
		    "127.0.0.1:1\""));
		assert_null(strstr(line, "ApiPass9"));
	}

	/* config check shows the API's user and timeout, and the key file. */
	snprintf(cfg, sizeof cfg, "[context prod]\n"
	    "database = postgresql://reader@127.0.0.1:%s/af%d\n"
	    "airflow_api = https://127.0.0.1:1\n"
	    "airflow_auth = basic\n"
	    "airflow_user = oncall\n"
	    "airflow_password_env = AFPW\n"
	    "airflow_timeout = 12\n"
	    "bigquery_project = proj\n"
	    "google_auth = service-account\n"
	    "google_key_file = /etc/dagtop/sa.json\n", port, schema);
	write_config(cfg, 0600);
	run(&r, check, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "auth:        basic (user oncall), "
	    "timeout 12s\n"));
	assert_non_null(strstr(r.out, "key file /etc/dagtop/sa.json\n"));
	result_free(&r);

	/* An included file at 0644 with a password: warned, by its name. */
	snprintf(inc, sizeof inc, "%s.inc", cfgpath);
	fp = fopen(inc, "w");
	assert_non_null(fp);
	fprintf(fp, "[context prod]\n"
	    "database = postgresql://reader:reader-secret@127.0.0.1:%s/af%d\n",
	    port, schema);
	fclose(fp);
	chmod(inc, 0644);
	snprintf(cfg, sizeof cfg, "include = %s\n", inc);
	write_config(cfg, 0600);
	run(&r, check, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, inc));
	assert_non_null(strstr(r.err, "holds a password and is readable by "
	    "others"));
	assert_null(strstr(r.err, "reader-secret"));
	assert_null(strstr(r.out, "reader-secret"));
	result_free(&r);
	run(&r, status, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "holds a password and is readable by "
	    "others"));
	result_free(&r);
	unlink(inc);
	unlink(cfgpath);
}

static void
test_usage(void **state)
{
	struct result	 r;
	const char	*help[] = { "--help", NULL };
	const char	*version[] = { "--version", NULL };
	const char	*bogus[] = { "frobnicate", NULL };
	const char	*badopt[] = { "report", "status", "--frob", NULL };
	const char	*global[] = { "--database", "host=x", "report", "status",
	    "--since", "bad", NULL };

	(void)state;
	run(&r, help, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "report status [--since SPAN]"));
	result_free(&r);
	run(&r, version, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "GPL-3.0-or-later"));
	result_free(&r);
	run(&r, bogus, NULL);
	assert_int_equal(r.status, 64);
	assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
	result_free(&r);
	run(&r, badopt, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "unknown option '--frob'"));
	result_free(&r);
	/* A global option before report: still report mode, exit 3. */
	run(&r, global, NULL);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "--since takes a span"));
	result_free(&r);
}

/* `report sla` on the SLA fixture (fixture_sla.sql), in all four formats. */
static void
test_report_sla(void **state)
{
	struct result	 r;
	json_t		*doc, *slas, *days, *d;
	json_error_t	 jerr;
	char		 db[256];
	const char	*argv[12];

	(void)state;
	write_config("[dagtop]\nweek_start = monday\n"
	    "[sla \"table_a_ready\"]\ndag = sla_etl\ntask = build_table_a\n"
	    "deadline = 10:00\ntimezone = Asia/Tokyo\ndays = mon-fri\n"
	    "owner = data-eng\n"
	    "[sla \"feed\"]\ndag = sla_etl\ndeadline = 13:00\n"
	    "timezone = UTC\n", 0600);
	snprintf(db, sizeof db, "%s", url("_sla"));

	argv[0] = "--config"; argv[1] = cfgpath; argv[2] = "--database";
	argv[3] = db; argv[4] = "report"; argv[5] = "sla"; argv[6] = "--week";
	argv[7] = "2026-W45"; argv[8] = "--format"; argv[9] = "json";
	argv[10] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	doc = json_loads(r.out, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "warning");
	assert_string_equal(json_string_value(json_object_get(doc,
	    "airflow_sla_source")), major == 2 ? "sla_miss" : "deadline");
	slas = json_object_get(doc, "slas");
	assert_int_equal(json_array_size(slas), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(slas, 0), "name")), "table_a_ready");
	days = json_object_get(json_array_get(slas, 0), "days");
	assert_int_equal(json_array_size(days), 7);
#define DAY(i, field) json_object_get(json_array_get(days, (i)), (field))
	assert_string_equal(json_string_value(DAY(0, "date")), "2026-11-02");
	assert_string_equal(json_string_value(DAY(0, "outcome")), "met");
	assert_string_equal(json_string_value(DAY(0, "finished_at")),
	    "2026-11-02T00:40:00Z");
	assert_int_equal(json_integer_value(DAY(0, "late_by_seconds")), 0);
	assert_string_equal(json_string_value(DAY(1, "outcome")), "late");
	assert_int_equal(json_integer_value(DAY(1, "late_by_seconds")), 1500);
	assert_true(json_is_true(DAY(1, "airflow_missed")));
	/* Wednesday: the failed run's manual rerun made it in time. */
	assert_string_equal(json_string_value(DAY(2, "outcome")), "met");
	assert_string_equal(json_string_value(DAY(2, "run_id")),
	    "manual__2026-11-04");
	assert_string_equal(json_string_value(DAY(3, "outcome")), "failed");
	assert_string_equal(json_string_value(DAY(4, "outcome")), "missing");
	assert_true(json_is_null(DAY(4, "finished_at")));
	assert_string_equal(json_string_value(DAY(5, "outcome")),
	    "not_applicable");
	d = json_object_get(json_array_get(slas, 0), "period");
	assert_int_equal(json_integer_value(json_object_get(d, "judged")), 5);
	assert_int_equal(json_integer_value(json_object_get(d, "met")), 2);
#undef DAY
	json_decref(doc);
	result_free(&r);

	argv[9] = "text";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "WARNING: SLAs 2026-W45 (2026-11-02..2026-11-08)");
	assert_non_null(strstr(r.out, "Tue 2026-11-03  late     ended 11-03 10:25, 25m00s late"));
	assert_non_null(strstr(r.out, "period 40.0% (2/5)"));
	result_free(&r);

	argv[9] = "markdown";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "## SLA report 2026-W45 (2026-11-02..2026-11-08)"
	    "\n\n**WARNING: SLAs 2026-W45");
	assert_non_null(strstr(r.out, "| table\\_a\\_ready | 10:00 Asia/Tokyo | met | **late 25m00s** | met | **failed** | **missing** | - | - |"));
	assert_non_null(strstr(r.out, "Misses:"));
	result_free(&r);

	argv[9] = "csv";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "sla,dag_id,task_id,date,weekday,outcome,");
	assert_non_null(strstr(r.out, "\ntable_a_ready,sla_etl,build_table_a,"
	    "2026-11-03,tuesday,late,2026-11-03T01:00:00Z,"
	    "2026-11-03T01:25:00Z,1500,scheduled__2026-11-02,true\n"));
	result_free(&r);

	/* Monday alone: all met, exit 0. */
	argv[6] = "--from"; argv[7] = "2026-11-02"; argv[8] = "--to";
	argv[9] = "2026-11-02"; argv[10] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 0);
	assert_starts_with(r.out, "OK: SLAs 2026-11-02..2026-11-02: all 2 met");
	result_free(&r);

	/* A future week: every day pending, nothing decided, not OK. */
	argv[6] = "--week"; argv[7] = "2099-W10"; argv[8] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 3);
	assert_starts_with(r.out, "UNKNOWN: SLAs 2099-W10 (2099-03-02..2099-03-08)"
	    ": nothing decided yet; ");
	/* No forecast for a day whose run has not started. */
	assert_null(strstr(r.out, "expected"));
	result_free(&r);

	/* Cannot tell: a bad week, no database. */
	argv[6] = "--week"; argv[7] = "2026-W99"; argv[8] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 3);
	result_free(&r);
	argv[3] = "postgresql://reader@127.0.0.1:1/none";
	argv[7] = "2026-W45";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 3);
	assert_starts_with(r.out, "UNKNOWN:");
	result_free(&r);
	unlink(cfgpath);
}

/*
 * `report sla --weeks 26` on the SLA fixture, in all four formats, the 26
 * weeks ending with 2026-W48, figures by hand from fixture_sla.sql: the DAG
 * is born in 2026-W45, so W23..W44 are not judged ("-");
 *   table_a_ready (mon-fri): W45 2/5 = 40%, W46..W48 0/5 (missing);
 *     the span 2/20 = 10.0%, worst late 25m in W45;
 *   feed (daily, 13:00 UTC): W45 Mon..Wed met, Thu failed, Fri..Sun
 *     missing: 3/7 = 43%; W46..W48 0/7; the span 3/28 = 10.7%;
 *   typo: an unknown DAG, no week judged;
 *   every SLA: W45 5/12 = 42%, the span 5/48 = 10.4%; exit 1.
 */
static void
test_report_sla_weeks(void **state)
{
	struct result	 r;
	json_t		*doc, *slas, *wk, *all;
	json_error_t	 jerr;
	char		 db[256];
	const char	*argv[14], *p, *nl;
	size_t		 lines;

	(void)state;
	write_config("[dagtop]\nweek_start = monday\n"
	    "[sla \"table_a_ready\"]\ndag = sla_etl\ntask = build_table_a\n"
	    "deadline = 10:00\ntimezone = Asia/Tokyo\ndays = mon-fri\n"
	    "owner = data-eng\n"
	    "[sla \"feed\"]\ndag = sla_etl\ndeadline = 13:00\n"
	    "timezone = UTC\n"
	    "[sla \"typo\"]\ndag = sla_etI\ndeadline = 10:00\n"
	    "timezone = UTC\n", 0600);
	snprintf(db, sizeof db, "%s", url("_sla"));
	argv[0] = "--config"; argv[1] = cfgpath; argv[2] = "--database";
	argv[3] = db; argv[4] = "report"; argv[5] = "sla"; argv[6] = "--week";
	argv[7] = "2026-W48"; argv[8] = "--weeks"; argv[9] = "26";
	argv[10] = "--format"; argv[11] = "text"; argv[12] = NULL;

	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "WARNING: SLAs 2026-W23..2026-W48 (26 weeks, "
	    "2026-06-01..2026-11-29): 1 SLA on an unknown DAG");
	assert_non_null(strstr(r.out, "\nweeks 2026-W23..2026-W35 (2026-06-01.."
	    "2026-08-30), compliance per week\n"));
	assert_non_null(strstr(r.out, "\nSLA            W36  W37  W38  W39  "
	    "W40  W41  W42  W43  W44  W45  W46  W47  W48\n"
	    "table_a_ready    -    -    -    -    -    -    -    -    -  40%"
	    "   0%   0%   0%\n"
	    "feed             -    -    -    -    -    -    -    -    -  43%"
	    "   0%   0%   0%\n"
	    "typo          DAG? DAG? DAG? DAG? DAG? DAG? DAG? DAG? DAG? DAG?"
	    " DAG? DAG? DAG?\n"
	    "all SLAs         -    -    -    -    -    -    -    -    -  42%"
	    "   0%   0%   0%\n"));
	assert_non_null(strstr(r.out, "\ntable_a_ready  sla_etl.build_table_a  "
	    "by 10:00 Asia/Tokyo mon-fri\n  26 weeks 10.0% (2/20)  worst late "
	    "25m00s in 2026-W45\n"));
	assert_non_null(strstr(r.out, "\n  26 weeks 10.7% (3/28)\n"));
	assert_non_null(strstr(r.out, "\nall SLAs\n  26 weeks 10.4% (5/48)\n"));
	/* 80 columns past the verdict line (one line, as monitors read it). */
	for (p = strchr(r.out, '\n') + 1; (nl = strchr(p, '\n')) != NULL;
	    p = nl + 1)
		assert_true(nl - p <= 80);
	result_free(&r);

	argv[11] = "json";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	doc = json_loads(r.out, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc,
	    "period"), "weeks")), 26);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    doc, "period"), "from")), "2026-06-01");
	slas = json_object_get(doc, "slas");
	assert_int_equal(json_array_size(slas), 3);
	wk = json_object_get(json_array_get(slas, 0), "weeks");
	assert_int_equal(json_array_size(wk), 26);
#define WK(i, f) json_object_get(json_array_get(wk, (i)), (f))
	assert_string_equal(json_string_value(WK(0, "week")), "2026-W23");
	assert_true(json_is_null(WK(21, "compliance")));
	assert_int_equal(json_integer_value(WK(21, "judged")), 0);
	assert_string_equal(json_string_value(WK(22, "week")), "2026-W45");
	assert_int_equal(json_integer_value(WK(22, "met")), 2);
	assert_int_equal(json_integer_value(WK(22, "late")), 1);
	assert_int_equal(json_integer_value(WK(22, "failed")), 1);
	assert_int_equal(json_integer_value(WK(22, "missing")), 1);
	assert_int_equal(json_integer_value(WK(22, "judged")), 5);
	assert_int_equal(json_integer_value(WK(22, "worst_late_seconds")), 1500);
	assert_int_equal(json_integer_value(WK(25, "missing")), 5);
	assert_true(json_real_value(WK(25, "compliance")) == 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_array_get(slas, 0), "span"), "judged")), 20);
	wk = json_object_get(json_array_get(slas, 1), "weeks");
	assert_int_equal(json_integer_value(WK(22, "met")), 3);
	assert_int_equal(json_integer_value(WK(22, "judged")), 7);
	assert_true(json_is_true(json_object_get(json_array_get(slas, 2),
	    "unknown_dag")));
	wk = json_object_get(json_array_get(slas, 2), "weeks");
	assert_int_equal(json_integer_value(WK(25, "judged")), 0);
	all = json_object_get(doc, "all_slas");
	wk = json_object_get(all, "weeks");
	assert_int_equal(json_integer_value(WK(22, "met")), 5);
	assert_int_equal(json_integer_value(WK(22, "judged")), 12);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(all,
	    "span"), "judged")), 48);
#undef WK
	json_decref(doc);
	result_free(&r);

	argv[11] = "csv";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "row,sla,dag_id,task_id,week,first_day,"
	    "last_day,met,late,failed,missing,judged,compliance,"
	    "worst_late_seconds\nsla,table_a_ready,sla_etl,build_table_a,"
	    "2026-W23,2026-06-01,2026-06-07,0,0,0,0,0,,0\n");
	assert_non_null(strstr(r.out, "\nsla,table_a_ready,sla_etl,build_table_a,"
	    "2026-W45,2026-11-02,2026-11-08,2,1,1,1,5,0.4000,1500\n"));
	assert_non_null(strstr(r.out, "\nsla,feed,sla_etl,,2026-W45,2026-11-02,"
	    "2026-11-08,3,0,1,3,7,0.4286,0\n"));
	assert_non_null(strstr(r.out, "\nall,,,,2026-W45,2026-11-02,2026-11-08,"
	    "5,1,2,4,12,0.4167,1500\n"));
	assert_non_null(strstr(r.out, "\nall,,,,2026-W48,2026-11-23,2026-11-29,"
	    "0,0,0,12,12,0.0000,0\n"));
	for (lines = 0, p = r.out; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	assert_int_equal(lines, 1 + 26 * 4);
	result_free(&r);

	argv[11] = "markdown";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "## SLA weeks 2026-W23..2026-W48 (26 weeks, "
	    "2026-06-01..2026-11-29)\n\n**WARNING: SLAs 2026-W23..2026-W48");
	assert_non_null(strstr(r.out, "| SLA | deadline | 2026-W23 | 2026-W24 |"));
	assert_non_null(strstr(r.out, "| table\\_a\\_ready | 10:00 Asia/Tokyo |"
	    " - | - | - | - | - | - | - | - | - | - | - | - | - | - | - | - |"
	    " - | - | - | - | - | - | 40% | 0% | 0% | 0% | 10.0% (2/20) |"
	    " 25m00s |\n"));
	assert_non_null(strstr(r.out, "| **all SLAs** | | - |"));
	assert_non_null(strstr(r.out, " 42% | 0% | 0% | 0% | 10.4% (5/48) |"
	    " 25m00s |\n"));
	result_free(&r);

	/* With --from/--to: a usage error that says why. */
	argv[6] = "--from"; argv[7] = "2026-11-02";
	argv[11] = "text";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "--weeks counts back from --week"));
	result_free(&r);
	/* Out of range. */
	argv[6] = "--week"; argv[7] = "2026-W48"; argv[9] = "105";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 3);
	assert_non_null(strstr(r.err, "1 to 104 weeks"));
	result_free(&r);
	unlink(cfgpath);
}

/*
 * An SLA on a DAG the database does not have (a typo: sla_etI): `config
 * check` warns with file:line; `report sla` says "unknown DAG", not
 * "missing", and counts no miss for it, but the verdict is WARNING.
 */
static void
test_report_sla_unknown_dag(void **state)
{
	struct result	 r;
	json_t		*doc, *slas, *ghost, *days;
	char		 db[256], want[512];
	const char	*argv[14], *cmd[5];
	const char	*cfgtext = "[dagtop]\nweek_start = monday\n"
	    "[sla \"feed\"]\ndag = sla_etl\ndeadline = 13:00\n"
	    "timezone = UTC\n"
	    "[sla \"typo\"]\ndag = sla_etI\ndeadline = 10:00\n"
	    "timezone = UTC\ndays = mon-fri\n";
	size_t		 k;

	(void)state;
	write_config(cfgtext, 0600);
	snprintf(db, sizeof db, "%s", url("_sla"));

	argv[0] = "--config"; argv[1] = cfgpath; argv[2] = "--database";
	argv[3] = db; argv[4] = "config"; argv[5] = "check"; argv[6] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 0);	/* a warning, the file is valid */
	snprintf(want, sizeof want, "%s:7: warning: [sla \"typo\"]: unknown "
	    "DAG 'sla_etI': the Airflow database has no such DAG", cfgpath);
	if (strstr(r.err, want) == NULL)
		fail_msg("no warning \"%s\" in:\n%s", want, r.err);
	assert_null(strstr(r.err, "'sla_etl'"));
	assert_non_null(strstr(r.out, "SLA DAGs:    1 of 2 on an unknown DAG"));
	result_free(&r);

	argv[4] = "report"; argv[5] = "sla"; argv[6] = "--week";
	argv[7] = "2026-W45"; argv[8] = "--format"; argv[9] = "json";
	argv[10] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	doc = json_loads(r.out, 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	    "warning");
	slas = json_object_get(doc, "slas");
	assert_int_equal(json_array_size(slas), 2);
	assert_true(json_is_false(json_object_get(json_array_get(slas, 0),
	    "unknown_dag")));
	ghost = json_array_get(slas, 1);
	assert_string_equal(json_string_value(json_object_get(ghost, "name")),
	    "typo");
	assert_true(json_is_true(json_object_get(ghost, "unknown_dag")));
	days = json_object_get(ghost, "days");
	assert_int_equal(json_array_size(days), 7);
	for (k = 0; k < 7; k++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(days, k), "outcome")), k < 5 ?
		    "unknown_dag" : "not_applicable");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    ghost, "period"), "missing")), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    ghost, "period"), "unknown_dag")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    ghost, "period"), "judged")), 0);
	json_decref(doc);
	result_free(&r);

	argv[9] = "text";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "WARNING: SLAs 2026-W45 (2026-11-02..2026-11-08)"
	    ": 1 SLA on an unknown DAG (not in the Airflow database; see config "
	    "check); 0 of 1 met every day;");
	assert_non_null(strstr(r.out, "Mon 2026-11-02  unknown DAG\n"));
	assert_non_null(strstr(r.out, "  unknown DAG: the Airflow database has "
	    "no such DAG"));
	result_free(&r);

	/* A password from a command: config check runs no command. */
	snprintf(want, sizeof want, "[context c]\ndatabase = host=127.0.0.1 "
	    "port=%s dbname=af%d_sla user=reader\n"
	    "database_password_command = false\n"
	    "[sla \"typo\"]\ndag = sla_etI\ndeadline = 10:00\n", port, major);
	write_config(want, 0600);
	cmd[0] = "--config"; cmd[1] = cfgpath; cmd[2] = "config";
	cmd[3] = "check"; cmd[4] = NULL;
	run(&r, cmd, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "SLA DAGs:    not checked (the password "
	    "comes from a command"));
	assert_null(strstr(r.err, "unknown DAG"));
	result_free(&r);
	write_config(cfgtext, 0600);

	/* The real SLA met on Monday: still WARNING, for the typo. */
	argv[6] = "--from"; argv[7] = "2026-11-02"; argv[8] = "--to";
	argv[9] = "2026-11-02"; argv[10] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_starts_with(r.out, "WARNING: SLAs 2026-11-02..2026-11-02: 1 SLA "
	    "on an unknown DAG (not in the Airflow database; see config "
	    "check); all 1 met\n");
	result_free(&r);
	unlink(cfgpath);
}

/*
 * `report sla` on hostile ids (fixture_hostile.sql): a run id that is a
 * Markdown link, an empty run id.  CSV keeps one record a line and does not
 * crash; Markdown renders no link.
 */
static void
test_report_hostile(void **state)
{
	struct result	 r;
	char		 db[256];
	const char	*argv[12];

	(void)state;
	write_config("[dagtop]\nweek_start = monday\n"
	    "[sla \"table_a_ready\"]\ndag = sla_etl\ntask = build_table_a\n"
	    "deadline = 10:00\ntimezone = Asia/Tokyo\ndays = mon-fri\n"
	    "owner = [data-eng](https://evil.example/owner)\n", 0600);
	snprintf(db, sizeof db, "%s", url("_hostile"));
	argv[0] = "--config"; argv[1] = cfgpath; argv[2] = "--database";
	argv[3] = db; argv[4] = "report"; argv[5] = "sla"; argv[6] = "--week";
	argv[7] = "2026-W45"; argv[8] = "--format"; argv[9] = "csv";
	argv[10] = NULL;
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "\ntable_a_ready,sla_etl,build_table_a,"
	    "2026-11-05,thursday,failed,2026-11-05T01:00:00Z,"
	    "2026-11-05T00:45:00Z,,,false\n"));
	result_free(&r);

	argv[9] = "markdown";
	run(&r, argv, pw_env);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "Misses:"));
	assert_non_null(strstr(r.out, "Re\\-authenticate"));
	assert_md_inert(r.out);
	result_free(&r);
	unlink(cfgpath);
}

/*
 * Runs dagtop with stdout on the descriptor fd and stderr collected in err;
 * returns its exit status, or 128 + N when signal N killed it.
 */
static int
run_to(int fd, const char *const *argv, const char *const *env, char *err,
    size_t errsize)
{
	char	 path[] = "/tmp/dagtop-test-err.XXXXXX", *args[32];
	int	 efd, status, i;
	pid_t	 pid;
	ssize_t	 n;

	assert_true((efd = mkstemp(path)) >= 0);
	args[0] = (char *)bin;
	for (i = 0; argv[i] != NULL; i++)
		args[i + 1] = (char *)argv[i];
	args[i + 1] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd, 1);
		dup2(efd, 2);
		clearenv();
		setenv("HOME", home, 1);
		setenv("PATH", "/usr/bin:/bin", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		for (i = 0; env != NULL && env[i] != NULL; i += 2)
			setenv(env[i], env[i + 1], 1);
		execv(bin, args);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	n = pread(efd, err, errsize - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(efd);
	unlink(path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A report that could not be written exits 3 and says so. */
static void
test_write_errors(void **state)
{
	const char	*runa[] = { "report", "run", "etl_daily", "scheduled__d1",
	    "--database", url(""), NULL };
	const char	*status[] = { "report", "status", "--format", "json",
	    "--database", url(""), NULL };
	char		 err[4096];
	int		 fd, p[2];

	(void)state;
	if ((fd = open("/dev/full", O_WRONLY)) < 0)
		skip();
	assert_int_equal(run_to(fd, runa, pw_env, err, sizeof err), 3);
	assert_non_null(strstr(err, "cannot write the report to standard "
	    "output"));
	assert_int_equal(run_to(fd, status, pw_env, err, sizeof err), 3);
	close(fd);

	/* A reader that went away: exit 3, not killed by SIGPIPE. */
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(run_to(p[1], status, pw_env, err, sizeof err), 3);
	assert_non_null(strstr(err, "cannot write the report"));
	close(p[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_status_json),
		cmocka_unit_test(test_status_csv_markdown),
		cmocka_unit_test(test_status_critical),
		cmocka_unit_test(test_status_ok_and_quiet),
		cmocka_unit_test(test_cannot_tell),
		cmocka_unit_test(test_report_run),
		cmocka_unit_test(test_report_run_type),
		cmocka_unit_test(test_report_sla),
		cmocka_unit_test(test_report_sla_weeks),
		cmocka_unit_test(test_report_sla_unknown_dag),
		cmocka_unit_test(test_report_hostile),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_no_password_in_errors),
		cmocka_unit_test(test_usage),
	};
	char dir[320];
	int rc;

	if ((bin = getenv("DAGTOP_BIN")) == NULL) {
		fprintf(stderr, "run me through tests/integration/run.sh\n");
		return 1;
	}
	if (dbtest_env(false) == -1)
		return 1;
	major = schema == 2 ? 2 : 3;
	snprintf(home, sizeof home, "%s/dagtop-report-test.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(home) == NULL)
		return 1;
	snprintf(dir, sizeof dir, "%s/.config", home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/.config/dagtop", home);
	mkdir(dir, 0700);
	snprintf(cfgpath, sizeof cfgpath, "%s/config", dir);
	rc = cmocka_run_group_tests_name(dbtest_group("report-"), tests, NULL,
	    NULL);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/.config", home);
	rmdir(dir);
	rmdir(home);
	return rc;
}
