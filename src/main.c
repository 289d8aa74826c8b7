/*
 * dagtop: an operations console for Apache Airflow.
 *
 * main.c: the command line.  Global options may stand anywhere; the first
 * words that are not options name the command.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_clear.h"
#include "config.h"
#include "dbconn.h"
#include "number.h"
#include "report.h"
#include "sanitize.h"
#include "sched.h"
#include "secret.h"
#include "sla.h"
#include "timefmt.h"
#include "tz.h"
#include "ui.h"
#include "zoneinfo.h"

#define EXIT_USAGE 64	/* sysexits.h EX_USAGE; report mode uses 3 instead */

static const char usage_text[] =
"usage: dagtop [global options] [COMMAND [options]]\n"
"\n"
"Without a command: the interactive console (needs a terminal; ? lists its\n"
"keys).\n"
"\n"
"commands:\n"
"  report status [--since SPAN] [--format text|json|csv|markdown] [--quiet]\n"
"                      scheduler health, run counts, failed and running runs;\n"
"                      exit 0 all good, 1 needs attention, 2 critical,\n"
"                      3 cannot tell\n"
"  report run DAG_ID [RUN_ID] [--format text|json]\n"
"                      a run's task instances in task-graph order (the\n"
"                      latest run without RUN_ID); exit 1 if it failed\n"
"  report sla [--week 2026-W47|this|last | --from DATE [--to DATE]]\n"
"             [--format text|json|csv|markdown]\n"
"                      the SLAs of the configuration day by day (this week\n"
"                      by default), compliance for the period and the last\n"
"                      26 weeks; exit 0 all met, 1 late, failed or missing,\n"
"                      3 cannot tell\n"
"  report log DAG_ID RUN_ID TASK_ID [--try N] [--map-index N]\n"
"                      one try of a task's log (the latest by default),\n"
"                      sanitised, from the Airflow API or the log folder\n"
"  clear DAG_ID RUN_ID TASK_ID [--downstream] [--only-failed]\n"
"        [--map-index N] [--yes]\n"
"                      rerun a task (and with --downstream everything after\n"
"                      it) through the Airflow API; without --yes a dry run\n"
"                      that lists what would be cleared; refused read-only\n"
"                      or when the audit log cannot be written; exit 0\n"
"                      cleared, 1 refused or failed (nothing cleared),\n"
"                      3 cannot tell, 4 sent but outcome unknown (the\n"
"                      database's states are printed)\n"
"  report slots [--hours N] [--alert-minutes N]\n"
"               [--format text|json|csv|markdown] [--quiet]\n"
"                      BigQuery slots per minute and reservation against\n"
"                      that reservation's capacity (baseline + autoscale\n"
"                      max, + idle slots unless ignore_idle_slots), on-demand\n"
"                      apart; top users, DAGs and jobs, Airflow pools;\n"
"                      exit 1 when a reservation went above capacity in the\n"
"                      last --alert-minutes (1 to 1440, default 15)\n"
"  report fourkeys [--window 7d|30d|90d] [--service NAME]\n"
"                  [--format text|json|csv|markdown] [--quiet]\n"
"                      the DORA Four Keys of each [service]: deployment\n"
"                      frequency, lead time, change failure rate, time to\n"
"                      restore, with DORA bands and the trend against the\n"
"                      window before; exit 3 when a service cannot be read\n"
"  config check        validate the configuration file and show the\n"
"                      effective settings (secrets masked)\n"
"\n"
"global options:\n"
"  --context NAME      the [context NAME] of the configuration file to use\n"
"  --config FILE       configuration file (default $XDG_CONFIG_HOME/dagtop/config)\n"
"  --database CONNINFO Airflow metadata database: libpq conninfo,\n"
"                      postgresql:// URL or postgresql+psycopg2:// URL\n"
"  --readonly          never write (reports are always read-only)\n"
"  --refresh SECONDS   refresh interval (default 5)\n"
"  --view NAME         console layout: oncall (default), compact, wide, slots,\n"
"                      fourkeys, sla\n"
"  --keymap NAME       console keys: default (arrows and vi), emacs\n"
"  --color WHEN        auto (default; NO_COLOR disables), always, never\n"
"  --ascii             ASCII drawing only\n"
"  -h, --help          this help\n"
"  -V, --version       version and licence\n"
"\n"
"environment: DAGTOP_CONFIG, DAGTOP_CONTEXT, DAGTOP_DATABASE, XDG_CONFIG_HOME;\n"
"  for BigQuery: GOOGLE_CLOUD_PROJECT, GOOGLE_APPLICATION_CREDENTIALS,\n"
"  CLOUDSDK_CONFIG, GCE_METADATA_HOST, DAGTOP_BIGQUERY_URL,\n"
"  DAGTOP_GOOGLE_TOKEN_URL; for the Four Keys: the github_token_env\n"
"  variable, DAGTOP_GITHUB_URL, XDG_CACHE_HOME (the ETag cache)\n"
"See dagtop(1) and dagtop.conf(5).\n";

struct args {
	struct cli_options	 cli;
	const char		*view;
	const char		*keymap;
	int			 color;		/* -1 auto */
	bool			 ascii;
	struct report_options	 report;
	struct clear_options	 clear;
	const char		*words[8];
	int			 nwords;
	bool			 format_given;
};

/* A window in days: "30d" or "30", 1 to 366. */
static int
parse_days(const char *v, int *out)
{
	char	days[32];
	size_t	len = strlen(v);

	if (len > 0 && v[len - 1] == 'd')
		len--;
	if (len == 0 || len >= sizeof days)
		return -1;
	memcpy(days, v, len);
	days[len] = '\0';
	return parse_int_range(days, 1, 366, out);
}

static int usage_error(bool, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* A usage error: exit 3 in report mode ("cannot tell"), 64 elsewhere. */
static int
usage_error(bool report, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dagtop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'dagtop --help'.\n");
	return report ? 3 : EXIT_USAGE;
}

/* Returns the value of --name VALUE or --name=VALUE, advancing *i. */
static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

/*
 * Report mode: the first word is "report", global options before it or
 * not (their usage errors exit 3 too).  Every option but a flag takes a
 * value, as --name VALUE or --name=VALUE.
 */
static bool
report_mode(int argc, char **argv)
{
	static const char *const flags[] = { "--readonly", "--downstream",
	    "--only-failed", "--yes", "-y", "--ascii", "--quiet", "-q" };
	size_t	k;
	int	i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-')
			return strcmp(argv[i], "report") == 0;
		for (k = 0; k < sizeof flags / sizeof *flags; k++)
			if (strcmp(argv[i], flags[k]) == 0)
				break;
		if (k == sizeof flags / sizeof *flags &&
		    strchr(argv[i], '=') == NULL)
			i++;
	}
	return false;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	const char	*v;
	int		 i, n;
	bool		 report;

	memset(a, 0, sizeof *a);
	a->cli.readonly = -1;
	a->cli.refresh = -1;
	a->color = -1;
	a->report.format = REPORT_TEXT;
	a->report.since_span = 24 * 3600;
	a->report.log_map_index = -1;
	a->clear.map_index = -1;
	report = report_mode(argc, argv);

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0) {
			printf("dagtop %s\nCopyright (C) 2026 the dagtop authors.\n"
			    "License GPL-3.0-or-later: GNU GPL version 3 or "
			    "later <https://gnu.org/licenses/gpl.html>.\n"
			    "This is free software: you are free to change and "
			    "redistribute it.\nThere is NO WARRANTY, to the "
			    "extent permitted by law.\n", DAGTOP_VERSION);
			exit(0);
		}
		if (strcmp(arg, "--readonly") == 0) {
			a->cli.readonly = 1;
			continue;
		}
		if (strcmp(arg, "--downstream") == 0) {
			a->clear.downstream = true;
			continue;
		}
		if (strcmp(arg, "--only-failed") == 0) {
			a->clear.only_failed = true;
			continue;
		}
		if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0) {
			a->clear.yes = true;
			continue;
		}
		if (strcmp(arg, "--ascii") == 0) {
			a->ascii = true;
			continue;
		}
		if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0) {
			a->report.quiet = true;
			continue;
		}
		if ((v = option_value(argc, argv, &i, "--context")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--context needs a name");
			a->cli.context = v;
		} else if ((v = option_value(argc, argv, &i, "--config")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--config needs a file");
			a->cli.config = v;
		} else if ((v = option_value(argc, argv, &i, "--database")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--database needs a connection string");
			a->cli.database = v;
		} else if ((v = option_value(argc, argv, &i, "--refresh")) != NULL) {
			if (parse_int_range(v, 1, 3600, &n) != 0)
				return usage_error(report, "--refresh takes 1 to 3600 seconds, not '%s'", v);
			a->cli.refresh = n;
		} else if ((v = option_value(argc, argv, &i, "--view")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--view needs a name");
			a->view = v;
		} else if ((v = option_value(argc, argv, &i, "--keymap")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--keymap needs a name");
			a->keymap = v;
		} else if ((v = option_value(argc, argv, &i, "--color")) != NULL) {
			if (strcmp(v, "auto") == 0)
				a->color = -1;
			else if (strcmp(v, "always") == 0)
				a->color = 1;
			else if (strcmp(v, "never") == 0)
				a->color = 0;
			else
				return usage_error(report, "--color takes auto, always or never, not '%s'", v);
		} else if ((v = option_value(argc, argv, &i, "--format")) != NULL) {
			if (report_format_parse(v, &a->report.format) != 0)
				return usage_error(report, "--format takes text, json, csv or markdown, not '%s'", v);
			a->format_given = true;
		} else if ((v = option_value(argc, argv, &i, "--week")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--week takes an ISO week such as 2026-W47");
			a->report.week = v;
		} else if ((v = option_value(argc, argv, &i, "--from")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--from takes a date YYYY-MM-DD");
			a->report.from = v;
		} else if ((v = option_value(argc, argv, &i, "--to")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--to takes a date YYYY-MM-DD");
			a->report.to = v;
		} else if ((v = option_value(argc, argv, &i, "--since")) != NULL) {
			if (parse_span(v, &a->report.since_span) != 0 ||
			    a->report.since_span <= 0)
				return usage_error(report, "--since takes a span such as 30m, 24h or 7d, not '%s'", v);
		} else if ((v = option_value(argc, argv, &i, "--try")) != NULL) {
			if (parse_int_range(v, 1, 100000, &n) != 0)
				return usage_error(report, "--try takes a try number from 1 to 100000, not '%s'", v);
			a->report.log_try = n;
		} else if ((v = option_value(argc, argv, &i, "--map-index")) != NULL) {
			if (parse_int_range(v, -1, 10000000, &n) != 0)
				return usage_error(report, "--map-index takes a map index from -1 to 10000000, not '%s'", v);
			a->report.log_map_index = n;
			a->clear.map_index = n;
		} else if ((v = option_value(argc, argv, &i, "--hours")) != NULL) {
			if (parse_int_range(v, 1, 720, &n) != 0)
				return usage_error(report, "--hours takes 1 to 720, not '%s'", v);
			a->report.hours = n;
		} else if ((v = option_value(argc, argv, &i, "--alert-minutes")) != NULL) {
			if (parse_int_range(v, 1, 1440, &n) != 0)
				return usage_error(report, "--alert-minutes takes 1 to 1440, not '%s'", v);
			a->report.alert_minutes = n;
		} else if ((v = option_value(argc, argv, &i, "--window")) != NULL) {
			if (parse_days(v, &n) != 0)
				return usage_error(report, "--window takes days such as 7d, 30d or 90d (1 to 366), not '%s'", v);
			a->report.window_days = n;
		} else if ((v = option_value(argc, argv, &i, "--service")) != NULL) {
			if (*v == '\0')
				return usage_error(report, "--service needs a name");
			a->report.service = v;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			return usage_error(report, "unknown option '%s'", arg);
		} else {
			if (a->nwords == (int)(sizeof a->words / sizeof *a->words))
				return usage_error(report, "too many arguments");
			a->words[a->nwords++] = arg;
		}
	}
	return -1;
}

/* The Four Keys services and their GitHub settings, for config check. */
static void
print_services(const struct config *cfg)
{
	size_t	i;

	printf("four keys:   %zu service%s, %d-day window, DORA %d bands, "
	    "GitHub %s\n", cfg->nsvc, cfg->nsvc == 1 ? "" : "s",
	    cfg->fk.window > 0 ? cfg->fk.window : 30,
	    cfg->fk.dora_year > 0 ? cfg->fk.dora_year : 2023,
	    cfg->fk.github_url != NULL ? cfg->fk.github_url :
	    "https://api.github.com");
	if (cfg->fk.github_token_env != NULL)
		printf("  token from $%s (%s)\n", cfg->fk.github_token_env,
		    getenv(cfg->fk.github_token_env) != NULL ? "set" :
		    "NOT SET");
	else if (cfg->fk.github_token_command != NULL)
		printf("  token from github_token_command\n");
	for (i = 0; i < cfg->nsvc; i++) {
		const struct fk_service *d = &cfg->svc[i];

		if (d->source != NULL && strcmp(d->source, "sql") == 0)
			printf("  %s: SQL %s  (%s:%d)\n", d->name,
			    d->query_file != NULL ? d->query_file : "query",
			    d->file, d->line);
		else
			printf("  %s: %s, %s%s%s  (%s:%d)\n", d->name, d->repos,
			    d->deployments != NULL ? d->deployments :
			    "deployments",
			    d->lead_time != NULL ? ", lead time from " : "",
			    d->lead_time != NULL ? d->lead_time : "",
			    d->file, d->line);
	}
}

/* The SLAs in force, one line each, for config check. */
static void
print_slas(const struct config *cfg, const struct settings *s)
{
	const struct sla_def	**v = xcalloc(cfg->nsla + 1, sizeof *v);
	size_t			  i, n = config_slas(cfg, s->context, v);
	struct buf		  b = BUF_INIT;

	printf("week_start:  %s\n", (const char *[]){ "sunday", "monday",
	    "tuesday", "wednesday", "thursday", "friday",
	    "saturday" }[cfg->week_start]);
	printf("SLAs:        %zu\n", n);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		sanitize_append(&b, v[i]->name, strlen(v[i]->name), 0);
		buf_puts(&b, ": ");
		sanitize_append(&b, v[i]->dag_id, strlen(v[i]->dag_id), 0);
		if (v[i]->task_id != NULL) {
			buf_putc(&b, '.');
			sanitize_append(&b, v[i]->task_id,
			    strlen(v[i]->task_id), 0);
		}
		buf_printf(&b, " by %02d:%02d %s ", v[i]->deadline / 3600,
		    v[i]->deadline / 60 % 60, v[i]->timezone != NULL ?
		    v[i]->timezone : s->timezone);
		sla_days_format(v[i]->days, &b);
		printf("  %s  (%s:%d)\n", buf_str(&b), v[i]->file, v[i]->line);
	}
	buf_free(&b);
	free(v);
}

struct dag_check {
	struct report_read	 rd;
	bool			*unknown;
	const char		**dag_ids;
	size_t			 n;
};

static void
dag_check_read(void *arg, const char *err)
{
	struct dag_check *k = arg;

	if (err != NULL)
		report_read_fail(&k->rd, err);
	else
		report_read_done(&k->rd);
}

static void
dag_check_start(void *arg)
{
	struct dag_check *k = arg;

	sched_fetch_unknown_dags(k->rd.db, k->dag_ids, k->n, k->unknown,
	    dag_check_read, k);
}

/*
 * The SLAs in force whose DAG the database does not have, for config
 * check: a warning each on stderr with file:line (an SLA on an unknown DAG
 * would never be judged; report sla and the SLA panes say "unknown DAG").
 * A warning, not an error: the file is valid, the database may be another
 * deployment's.  A database out of reach is said, and is no error either;
 * nor is a password from a command, which config check never runs.
 * Returns the number of SLAs on an unknown DAG.
 */
static size_t
check_sla_dags(const struct config *cfg, const struct settings *s)
{
	const struct sla_def	**v = xcalloc(cfg->nsla + 1, sizeof *v);
	struct dag_check	  k;
	enum report_read_result	  read;
	struct buf		  b = BUF_INIT, masked = BUF_INIT;
	size_t			  i, n = config_slas(cfg, s->context, v), bad = 0;

	memset(&k, 0, sizeof k);
	if (n == 0 || s->database == NULL) {
		free(v);
		return 0;
	}
	/* config check promises not to run the password command. */
	if (s->database_password_command != NULL) {
		printf("SLA DAGs:    not checked (the password comes from a "
		    "command, which config check does not run)\n");
		free(v);
		return 0;
	}
	k.n = n;
	k.unknown = xcalloc(n + 1, sizeof *k.unknown);
	k.dag_ids = xcalloc(n + 1, sizeof *k.dag_ids);
	for (i = 0; i < n; i++)
		k.dag_ids[i] = v[i]->dag_id;
	report_read_init(&k.rd);
	read = report_read_run(&k.rd, s, dag_check_start, &k);
	if (read != REPORT_READ_DONE) {
		scrub_secrets(buf_str(&k.rd.error), s->database, &masked);
		printf("SLA DAGs:    not checked (%s%s)\n", read ==
		    REPORT_READ_FAILED ? "cannot read the Airflow database: " :
		    "", buf_str(&masked));
	} else {
		for (i = 0; i < n; i++) {
			if (!k.unknown[i])
				continue;
			bad++;
			buf_reset(&b);
			sanitize_append(&b, v[i]->name, strlen(v[i]->name), 0);
			buf_puts(&b, "\"]: unknown DAG '");
			sanitize_append(&b, v[i]->dag_id, strlen(v[i]->dag_id),
			    0);
			fprintf(stderr, "%s:%d: warning: [sla \"%s': the Airflow "
			    "database has no such DAG; the SLA is never "
			    "judged\n", v[i]->file, v[i]->line, buf_str(&b));
		}
		if (bad == 0)
			printf("SLA DAGs:    all %zu in the Airflow database\n",
			    n);
		else
			printf("SLA DAGs:    %zu of %zu on an unknown DAG "
			    "(warnings above)\n", bad, n);
	}
	report_read_close(&k.rd);
	free(k.unknown);
	free(k.dag_ids);
	buf_free(&b);
	buf_free(&masked);
	free(v);
	return bad;
}

/* `dagtop config check`: every problem with file:line, then the settings. */
static int
config_check(const struct args *a)
{
	struct config	 cfg;
	struct settings	 s;
	struct buf	 err = BUF_INIT, masked = BUF_INIT, tzerr = BUF_INIT;
	struct tz	*zone;
	size_t		 i;
	int		 bad = 0;

	bad = config_load(&cfg, a->cli.config) != 0;
	if (cfg.loaded)
		printf("config file: %s\n", cfg.path);
	else if (cfg.errors.len == 0)
		printf("config file: %s (absent; using the command line and "
		    "environment)\n", cfg.path);
	fputs(buf_str(&cfg.warnings), stderr);
	fputs(buf_str(&cfg.errors), stderr);
	for (i = 0; i < cfg.nctx; i++) {
		const char	*zname = cfg.ctx[i].timezone;
		struct buf	 why = BUF_INIT;

		if (zname == NULL)
			continue;
		zone = zoneinfo_load(zname, &why);
		if (zone == NULL) {
			fprintf(stderr, "%s: [context %s]: %s\n", cfg.ctx[i].file,
			    cfg.ctx[i].name, buf_str(&why));
			bad = 1;
		} else
			tz_free(zone);
		buf_free(&why);
	}
	if (cfg.loaded || cfg.errors.len == 0) {
		if (config_resolve(&cfg, &a->cli, &s, &err) != 0) {
			buf_reset(&masked);
			scrub_secrets(buf_str(&err), NULL, &masked);
			fprintf(stderr, "dagtop: %s\n", buf_str(&masked));
			settings_free(&s);
			bad = 1;
		} else {
			printf("context:     %s\n", s.context != NULL ? s.context :
			    "(none: command line or environment)");
			db_conninfo_masked(s.database, &masked);
			printf("database:    %s  (from %s)\n", buf_str(&masked),
			    s.database_source);
			if (s.database_password_env != NULL)
				printf("  password:  from $%s (%s)\n",
				    s.database_password_env,
				    getenv(s.database_password_env) != NULL ?
				    "set" : "NOT SET");
			if (s.database_password_command != NULL)
				printf("  password:  from a command (not run)\n");
			buf_reset(&masked);
			mask_url_userinfo(s.airflow_api != NULL ?
			    s.airflow_api : "(none)", &masked);
			printf("airflow_api: %s\n", buf_str(&masked));
			printf("auth:        %s", s.airflow_auth);
			if (s.airflow_user != NULL)
				printf(" (user %s)", s.airflow_user);
			printf(", timeout %ds\n", s.airflow_timeout > 0 ?
			    s.airflow_timeout : 30);
			if (s.log_folder != NULL)
				printf("log_folder:  %s\n", s.log_folder);
			if (s.log_spool_max % 1024 == 0)
				printf("log_spool_max: %dG", s.log_spool_max /
				    1024);
			else
				printf("log_spool_max: %dM", s.log_spool_max);
			printf(" (a log is cut there, or at half the free "
			    "space of the temporary folder)\n");
			printf("timezone:    %s\n", s.timezone);
			printf("readonly:    %s\n", s.readonly ? "yes" : "no");
			if (s.bigquery_project != NULL)
				printf("bigquery:    project %s, %s, admin %s, "
				    "auth %s, every %ds, %dh\n",
				    s.bigquery_project, s.bigquery_location,
				    s.bigquery_admin_project, s.google_auth,
				    s.bigquery_refresh, s.bigquery_hours);
			if (s.bigquery_project != NULL &&
			    s.google_key_file != NULL)
				printf("             key file %s\n",
				    s.google_key_file);
			if (s.bigquery_project != NULL)
				printf("             reservation %s, jobs of the "
				    "%s\n", s.bigquery_reservation != NULL ?
				    s.bigquery_reservation : "(every one used)",
				    s.bigquery_org_view ? "organization" :
				    "project");
			printf("statement_timeout: %ds, connect_timeout: %ds, "
			    "scheduler_health_threshold: %ds, refresh: %ds\n",
			    s.statement_timeout, s.connect_timeout,
			    s.scheduler_threshold, s.refresh);
			printf("serialized_dag_max: %d MiB\n",
			    s.serialized_dag_max);
			print_slas(&cfg, &s);
			check_sla_dags(&cfg, &s);
			print_services(&cfg);
			settings_free(&s);
		}
	}
	printf("%s\n", bad ? "configuration has errors" : "configuration OK");
	buf_free(&err);
	buf_free(&masked);
	buf_free(&tzerr);
	config_free(&cfg);
	return bad ? 1 : 0;
}

static int
run_report(const struct args *a)
{
	struct config	 cfg;
	struct settings	 s;
	struct buf	 err = BUF_INIT;
	int		 rc;

	if (a->nwords < 2)
		return usage_error(true, "report needs a kind: status, run, log, sla, slots or fourkeys");
	if (strcmp(a->words[1], "status") == 0) {
		if (a->nwords > 2)
			return usage_error(true, "report status takes no "
			    "argument '%s'", a->words[2]);
	} else if (strcmp(a->words[1], "sla") == 0) {
		if (a->nwords > 2)
			return usage_error(true, "report sla takes no "
			    "argument '%s'", a->words[2]);
	} else if (strcmp(a->words[1], "run") == 0) {
		if (a->nwords < 3 || a->nwords > 4)
			return usage_error(true, "usage: dagtop report run "
			    "DAG_ID [RUN_ID]");
	} else if (strcmp(a->words[1], "log") == 0) {
		if (a->nwords != 5)
			return usage_error(true, "usage: dagtop report log "
			    "DAG_ID RUN_ID TASK_ID [--try N] [--map-index N]");
	} else if (strcmp(a->words[1], "slots") == 0) {
		if (a->nwords > 2)
			return usage_error(true, "report slots takes no "
			    "argument '%s'", a->words[2]);
	} else if (strcmp(a->words[1], "fourkeys") == 0) {
		if (a->nwords > 2)
			return usage_error(true, "report fourkeys takes no "
			    "argument '%s'", a->words[2]);
	} else
		return usage_error(true, "unknown report '%s' (this release "
		    "has: status, run, log, sla, slots, fourkeys)", a->words[1]);
	if (config_load(&cfg, a->cli.config) != 0) {
		fputs(buf_str(&cfg.errors), stderr);
		rc = report_unknown(a->report.format, "configuration",
		    "errors in the configuration file (see dagtop config check)");
		config_free(&cfg);
		return rc;
	}
	fputs(buf_str(&cfg.warnings), stderr);
	/* The Four Keys need no Airflow: GitHub or their own database. */
	if (strcmp(a->words[1], "fourkeys") == 0) {
		rc = report_fourkeys(&cfg, &a->report);
		config_free(&cfg);
		return rc;
	}
	/* BigQuery alone makes a slots report; a database adds the pools. */
	if ((strcmp(a->words[1], "slots") == 0 ?
	    config_resolve_no_database(&cfg, &a->cli, &s, &err) :
	    config_resolve(&cfg, &a->cli, &s, &err)) != 0) {
		rc = report_unknown(a->report.format, "configuration",
		    buf_str(&err));
		buf_free(&err);
		settings_free(&s);
		config_free(&cfg);
		return rc;
	}
	/* Reports never write: the read-only gate is closed for them. */
	s.readonly = true;
	if (strcmp(a->words[1], "slots") == 0)
		rc = report_slots(&s, &a->report);
	else if (strcmp(a->words[1], "sla") == 0)
		rc = report_sla(&s, &cfg, &a->report);
	else if (strcmp(a->words[1], "log") == 0)
		rc = report_log(&s, &a->report, a->words[2], a->words[3],
		    a->words[4]);
	else if (strcmp(a->words[1], "run") == 0)
		rc = report_run(&s, &a->report, a->words[2],
		    a->nwords > 3 ? a->words[3] : NULL);
	else
		rc = report_status(&s, &a->report);
	settings_free(&s);
	config_free(&cfg);
	return rc;
}

/*
 * The configuration file and the context's settings, for the console and
 * dagtop clear; 0, or the exit status (78) with the reason on stderr.
 */
static int
load_context(const struct args *a, struct config *cfg, struct settings *s)
{
	struct buf err = BUF_INIT;

	memset(s, 0, sizeof *s);
	if (config_load(cfg, a->cli.config) != 0) {
		fputs(buf_str(&cfg->errors), stderr);
		fprintf(stderr, "dagtop: errors in the configuration file (see "
		    "dagtop config check)\n");
		config_free(cfg);
		return 78;
	}
	fputs(buf_str(&cfg->warnings), stderr);
	if (config_resolve(cfg, &a->cli, s, &err) != 0) {
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		buf_free(&err);
		settings_free(s);
		config_free(cfg);
		return 78;
	}
	return 0;
}

/* `dagtop clear`: the settings of the context, then the clear. */
static int
run_clear(const struct args *a)
{
	struct config	 cfg;
	struct settings	 s;
	int		 rc;

	if ((rc = load_context(a, &cfg, &s)) != 0)
		return rc;
	rc = cmd_clear(&s, &a->clear, a->words[1], a->words[2], a->words[3]);
	settings_free(&s);
	config_free(&cfg);
	return rc;
}

/* `dagtop` alone: the interactive console. */
static int
run_console(const struct args *a)
{
	struct config	 cfg;
	struct settings	 s;
	int		 rc;

	if ((rc = load_context(a, &cfg, &s)) != 0)
		return rc;
	rc = console_main(&s, &cfg, &a->cli, a->view, a->keymap, a->color,
	    a->ascii);
	settings_free(&s);
	config_free(&cfg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct args	a;
	int		rc;

	setlocale(LC_ALL, "");
	rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (a.nwords == 0)
		return run_console(&a);
	if (strcmp(a.words[0], "report") == 0) {
		report_begin();
		return report_end(run_report(&a));
	}
	if (strcmp(a.words[0], "config") == 0) {
		if (a.nwords != 2 || strcmp(a.words[1], "check") != 0)
			return usage_error(false, "usage: dagtop config check");
		return config_check(&a);
	}
	if (strcmp(a.words[0], "clear") == 0) {
		if (a.nwords != 4)
			return usage_error(false, "usage: dagtop clear DAG_ID "
			    "RUN_ID TASK_ID [--downstream] [--only-failed] "
			    "[--map-index N] [--yes]");
		return run_clear(&a);
	}
	return usage_error(false, "unknown command '%s'", a.words[0]);
}
