/*
 * dagtop: an operations console for Apache Airflow.
 *
 * main.c: the command line.  Global options may stand anywhere; the first
 * words that are not options name the command.
 */
#include <locale.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_clear.h"
#include "cmd_config.h"
#include "config.h"
#include "number.h"
#include "pace.h"
#include "report.h"
#include "timefmt.h"
#include "ui.h"

#define EXIT_USAGE 64	/* sysexits.h EX_USAGE; report mode uses 3 instead */

static const char usage_text[] =
"usage: dagtop [global options] [COMMAND [options]]\n"
"\n"
"Without a command: the interactive console (needs a terminal; ? lists its\n"
"keys); over several contexts (--context a,b, --all-contexts, contexts =)\n"
"it opens on the environments overview, a row per context.\n"
"\n"
"commands:\n"
"  report status [--since SPAN] [--quiet]\n"
"                [--format text|json|csv|markdown|openmetrics|slack]\n"
"                      scheduler health, run counts, failed and running runs;\n"
"                      exit 0 all good, 1 needs attention, 2 critical,\n"
"                      3 cannot tell; over several contexts (--context a,b,\n"
"                      --all-contexts, contexts =) a section each, read at\n"
"                      once, and the worst (critical before unknown);\n"
"                      slack: a Block Kit message (JSON) for a webhook,\n"
"                      a section per failing DAG with its owners\n"
"  report run DAG_ID [RUN_ID] [--format text|json]\n"
"                      a run's task instances in task-graph order (the\n"
"                      latest run without RUN_ID); exit 1 if it failed\n"
"  report sla [--week 2026-W47|this|last | --from DATE [--to DATE]]\n"
"             [--weeks N] [--format text|json|csv|markdown|openmetrics|slack]\n"
"             [--quiet]\n"
"                      the SLAs of the configuration day by day (this week\n"
"                      by default), compliance for the period and the last\n"
"                      26 weeks; exit 0 all met, 1 late, failed or missing,\n"
"                      3 cannot tell; slack: a section per missed SLA with\n"
"                      its owner; with --weeks N (1 to 104) the N weeks\n"
"                      ending with --week instead, a column each: each\n"
"                      SLA's compliance and all SLAs', the worst lateness\n"
"                      (text, json, csv or markdown)\n"
"  report impact DAG_ID RUN_ID TASK_ID [--format text|json|markdown]\n"
"                      what a failed task holds back across DAGs: tasks,\n"
"                      assets, DAGs (paused, next run) and SLAs (deadline,\n"
"                      time left, whether the chain fits); exit 0 nothing\n"
"                      outside its DAG, 1 something, 2 an SLA missed or\n"
"                      out of reach, 3 cannot tell\n"
"  report why SLA_NAME [--date DATE] | --dag DAG_ID\n"
"             [--format text|json|markdown]\n"
"                      the first failed, missing, paused or late link\n"
"                      upstream of an SLA's DAG (or a DAG); exit 0 none,\n"
"                      1 found, 2 the SLA's day missed or at risk,\n"
"                      3 cannot tell\n"
"  report compare BLUE GREEN [--since SPAN] [--threshold N%]\n"
"               [--format text|json|markdown]\n"
"                      blue/green: green's DAGs, graphs, runs, tasks and\n"
"                      SLAs against blue's over --since (default 7d);\n"
"                      exit 0 the same, 1 green worse, 2 both running the\n"
"                      same logical dates, 3 cannot tell\n"
"  report digest [--week 2026-W49|last|this]\n"
"                [--format text|json|markdown|html] [--output FILE]\n"
"                      the team lead's week (last week by default): SLAs\n"
"                      day by day and over 26 weeks, failures, reruns from\n"
"                      the audit log, time to recovery, Four Keys, slots,\n"
"                      environments, each with its source and age; exit 0\n"
"                      all good, 1 an SLA missed or a context not OK, 3 a\n"
"                      section could not be read (the rest is written)\n"
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
"               [--format text|json|csv|markdown|openmetrics] [--quiet]\n"
"                      BigQuery slots per minute and reservation against\n"
"                      that reservation's capacity (baseline + autoscale\n"
"                      max, + idle slots unless ignore_idle_slots), on-demand\n"
"                      apart; top users, DAGs and jobs, Airflow pools;\n"
"                      exit 1 when a reservation went above capacity in the\n"
"                      last --alert-minutes (1 to 1440, default 15)\n"
"  report fourkeys [--window 7d|30d|90d] [--service NAME]\n"
"                  [--format text|json|csv|markdown|openmetrics]\n"
"                  [--quiet]\n"
"                      the DORA Four Keys of each [service]: deployment\n"
"                      frequency, lead time, change failure rate, time to\n"
"                      restore, with DORA bands and the trend against the\n"
"                      window before; exit 3 when a service cannot be read\n"
"  report ... --format openmetrics\n"
"                      Prometheus text for node_exporter's textfile\n"
"                      collector (metrics in dagtop(1), OpenMetrics)\n"
"  report ... --output FILE\n"
"                      write FILE atomically (a temporary beside it, then\n"
"                      renamed), left as it was when the write fails\n"
"  config check [--connect]\n"
"                      validate the configuration file and show the\n"
"                      effective settings (secrets masked); --connect also\n"
"                      reaches the Airflow API (Composer's URL, version,\n"
"                      whether the token is accepted); over several\n"
"                      contexts, reaches each at once, a line each\n"
"\n"
"global options:\n"
"  --context NAME      the [context NAME] of the configuration file to use;\n"
"                      a list a,b for the console's overview, report status\n"
"                      and config check\n"
"  --all-contexts      every context of the file, for the console's\n"
"                      overview, report status and config check\n"
"  --config FILE       configuration file (default\n"
"                      $XDG_CONFIG_HOME/dagtop/config)\n"
"  --database CONNINFO Airflow metadata database: libpq conninfo,\n"
"                      postgresql:// URL or postgresql+psycopg2:// URL\n"
"  --readonly          never write (reports are always read-only)\n"
"  --refresh SECONDS   refresh interval (default 5; 30 through the API; at\n"
"                      least 2, to spare the Airflow database)\n"
"  --view NAME         console layout: oncall (default), compact, wide, slots,\n"
"                      fourkeys, sla\n"
"  --keymap NAME       console keys: default (arrows and vi), emacs\n"
"  --color WHEN        auto (default; NO_COLOR disables), always, never\n"
"  --ascii             ASCII drawing only\n"
"  --mouse             the console takes clicks and the wheel (mouse = yes)\n"
"  -h, --help          this help\n"
"  -V, --version       version and licence\n"
"\n"
"environment: DAGTOP_CONFIG, DAGTOP_CONTEXT, DAGTOP_DATABASE, XDG_CONFIG_HOME;\n"
"  for BigQuery: GOOGLE_CLOUD_PROJECT, GOOGLE_APPLICATION_CREDENTIALS,\n"
"  CLOUDSDK_CONFIG, GCE_METADATA_HOST, DAGTOP_BIGQUERY_URL,\n"
"  DAGTOP_GOOGLE_TOKEN_URL; for the Four Keys: the github_token_env\n"
"  variable, DAGTOP_GITHUB_URL, XDG_CACHE_HOME (the ETag cache and\n"
"  Composer's URL); for MWAA: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,\n"
"  AWS_SESSION_TOKEN\n"
"See dagtop(1) and dagtop.conf(5).\n";

struct args {
	struct cli_options	 cli;
	const char		*view;
	const char		*keymap;
	int			 color;		/* -1 auto */
	bool			 ascii;
	bool			 mouse;		/* --mouse */
	struct report_options	 report;
	struct clear_options	 clear;
	const char		*words[8];
	int			 nwords;
	bool			 format_given;
	bool			 since_given;	/* compare: else 7d */
	bool			 connect;	/* config check --connect */
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
	    "--only-failed", "--yes", "-y", "--ascii", "--quiet", "-q",
	    "--mouse" };
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

#define ARG(f)	offsetof(struct args, f)

/* The options that take a word: where it goes, and what an empty one says. */
static const struct text_option {
	const char	*name;
	size_t		 offset;	/* a const char * of struct args */
	const char	*empty;
} text_options[] = {
	{ "--context", ARG(cli.context), "--context needs a name" },
	{ "--config", ARG(cli.config), "--config needs a file" },
	{ "--database", ARG(cli.database),
	    "--database needs a connection string" },
	{ "--view", ARG(view), "--view needs a name" },
	{ "--keymap", ARG(keymap), "--keymap needs a name" },
	{ "--week", ARG(report.week),
	    "--week takes an ISO week such as 2026-W47" },
	{ "--from", ARG(report.from), "--from takes a date YYYY-MM-DD" },
	{ "--to", ARG(report.to), "--to takes a date YYYY-MM-DD" },
	{ "--service", ARG(report.service), "--service needs a name" },
	{ "--date", ARG(report.date), "--date takes a date YYYY-MM-DD" },
	{ "--dag", ARG(report.dag), "--dag needs a DAG id" },
	{ "--output", ARG(report.output), "--output needs a file" },
};

_Static_assert(PACE_REFRESH_MIN == 2, "--refresh's range says 2");

/* The options that take a whole number: its bounds and where it goes. */
static const struct number_option {
	const char	*name;
	int		 min, max;
	size_t		 offset, also;	/* ints of struct args; also: 0 */
	const char	*range;		/* "--name takes RANGE, not 'x'" */
} number_options[] = {
	{ "--refresh", PACE_REFRESH_MIN, 3600, ARG(cli.refresh), 0,
	    "2 to 3600 seconds" },
	{ "--try", 1, 100000, ARG(report.log_try), 0,
	    "a try number from 1 to 100000" },
	{ "--map-index", -1, 10000000, ARG(report.log_map_index),
	    ARG(clear.map_index), "a map index from -1 to 10000000" },
	{ "--hours", 1, 720, ARG(report.hours), 0, "1 to 720" },
	{ "--alert-minutes", 1, 1440, ARG(report.alert_minutes), 0,
	    "1 to 1440" },
	{ "--weeks", 1, 104, ARG(report.weeks), 0, "1 to 104 weeks" },
};

/* A flag without a value: whether arg is one.  -h and -V exit here. */
static bool
parse_flag(const char *arg, struct args *a)
{
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
	if (strcmp(arg, "--readonly") == 0)
		a->cli.readonly = 1;
	else if (strcmp(arg, "--downstream") == 0)
		a->clear.downstream = true;
	else if (strcmp(arg, "--only-failed") == 0)
		a->clear.only_failed = true;
	else if (strcmp(arg, "--yes") == 0 || strcmp(arg, "-y") == 0)
		a->clear.yes = true;
	else if (strcmp(arg, "--ascii") == 0)
		a->ascii = true;
	else if (strcmp(arg, "--mouse") == 0)
		a->mouse = true;
	else if (strcmp(arg, "--connect") == 0)
		a->connect = true;
	else if (strcmp(arg, "--all-contexts") == 0)
		a->cli.all_contexts = true;
	else if (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0)
		a->report.quiet = true;
	else
		return false;
	return true;
}

/*
 * The options whose value is read by hand (--color, --format, --since,
 * --window).  Returns -1 when argv[*i] is none of them or its value is
 * good, else the usage error's exit status; *taken says which.
 */
static int
parse_special(int argc, char **argv, int *i, struct args *a, bool report,
    bool *taken)
{
	const char	*v;
	int		 n;

	*taken = true;
	if ((v = option_value(argc, argv, i, "--color")) != NULL) {
		if (strcmp(v, "auto") == 0)
			a->color = -1;
		else if (strcmp(v, "always") == 0)
			a->color = 1;
		else if (strcmp(v, "never") == 0)
			a->color = 0;
		else
			return usage_error(report, "--color takes auto, always or never, not '%s'", v);
	} else if ((v = option_value(argc, argv, i, "--format")) != NULL) {
		if (report_format_parse(v, &a->report.format) != 0)
			return usage_error(report, "--format takes text, json, csv, markdown, openmetrics, slack or html, not '%s'", v);
		a->format_given = true;
	} else if ((v = option_value(argc, argv, i, "--since")) != NULL) {
		if (parse_span(v, &a->report.since_span) != 0 ||
		    a->report.since_span <= 0)
			return usage_error(report, "--since takes a span such as 30m, 24h or 7d, not '%s'", v);
		a->since_given = true;
	} else if ((v = option_value(argc, argv, i, "--threshold")) != NULL) {
		char pct[16];

		snprintf(pct, sizeof pct, "%s", v);
		if (*pct != '\0' && pct[strlen(pct) - 1] == '%')
			pct[strlen(pct) - 1] = '\0';
		if (strlen(v) >= sizeof pct || parse_int_range(pct, 0, 1000, &n) != 0)
			return usage_error(report, "--threshold takes a percentage from 0%% to 1000%%, not '%s'", v);
		a->report.threshold = n / 100.0;
	} else if ((v = option_value(argc, argv, i, "--window")) != NULL) {
		if (parse_days(v, &n) != 0)
			return usage_error(report, "--window takes days such as 7d, 30d or 90d (1 to 366), not '%s'", v);
		a->report.window_days = n;
	} else
		*taken = false;
	return -1;
}

/*
 * One option with a value at argv[*i] (advanced past its value).  Returns
 * -1 when it was read, or is no option (*taken false), else the usage
 * error's exit status.
 */
static int
parse_option(int argc, char **argv, int *i, struct args *a, bool report,
    bool *taken)
{
	const char	*v;
	size_t		 k;
	int		 n;

	for (k = 0; k < sizeof text_options / sizeof *text_options; k++) {
		const struct text_option *o = &text_options[k];

		if ((v = option_value(argc, argv, i, o->name)) == NULL)
			continue;
		*taken = true;
		if (*v == '\0')
			return usage_error(report, "%s", o->empty);
		*(const char **)((char *)a + o->offset) = v;
		return -1;
	}
	for (k = 0; k < sizeof number_options / sizeof *number_options; k++) {
		const struct number_option *o = &number_options[k];

		if ((v = option_value(argc, argv, i, o->name)) == NULL)
			continue;
		*taken = true;
		if (o->min == PACE_REFRESH_MIN &&
		    parse_int_range(v, 0, o->min - 1, &n) == 0)
			return usage_error(report, "%s %s is under the minimum "
			    "refresh of %d seconds, which spares the Airflow "
			    "database", o->name, v, o->min);
		if (parse_int_range(v, o->min, o->max, &n) != 0)
			return usage_error(report, "%s takes %s, not '%s'",
			    o->name, o->range, v);
		*(int *)((char *)a + o->offset) = n;
		if (o->also != 0)
			*(int *)((char *)a + o->also) = n;
		return -1;
	}
	return parse_special(argc, argv, i, a, report, taken);
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	bool	report, taken;
	int	i, rc;

	memset(a, 0, sizeof *a);
	a->cli.readonly = -1;
	a->cli.refresh = -1;
	a->color = -1;
	a->report.format = REPORT_TEXT;
	a->report.since_span = 24 * 3600;
	a->report.threshold = 0.20;
	a->report.log_map_index = -1;
	a->clear.map_index = -1;
	report = report_mode(argc, argv);

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (parse_flag(arg, a))
			continue;
		if ((rc = parse_option(argc, argv, &i, a, report, &taken)) >= 0)
			return rc;
		if (taken)
			continue;
		if (arg[0] == '-' && arg[1] != '\0')
			return usage_error(report, "unknown option '%s'", arg);
		if (a->nwords == (int)(sizeof a->words / sizeof *a->words))
			return usage_error(report, "too many arguments");
		a->words[a->nwords++] = arg;
	}
	return -1;
}

/* What a report is handed: the settings (NULL for fourkeys), the file, its words. */
struct report_call {
	const struct settings		*s;
	const struct config		*cfg;
	const struct report_options	*o;
	const char *const		*args;	/* the words after its name */
	int				 nargs;
	const struct args		*a;
};

static int
call_status(const struct report_call *c)
{
	return report_status(c->s, c->o);
}

static int
call_run(const struct report_call *c)
{
	return report_run(c->s, c->o, c->args[0],
	    c->nargs > 1 ? c->args[1] : NULL);
}

static int
call_log(const struct report_call *c)
{
	return report_log(c->s, c->o, c->args[0], c->args[1], c->args[2]);
}

static int
call_sla(const struct report_call *c)
{
	return report_sla(c->s, c->cfg, c->o);
}

static int
call_impact(const struct report_call *c)
{
	return report_impact(c->s, c->cfg, c->o, c->args[0], c->args[1],
	    c->args[2]);
}

static int
call_why(const struct report_call *c)
{
	return report_why(c->s, c->cfg, c->o, c->nargs > 0 ? c->args[0] : NULL);
}

static int
call_slots(const struct report_call *c)
{
	return report_slots(c->s, c->o);
}

static int
call_fourkeys(const struct report_call *c)
{
	return report_fourkeys(c->cfg, c->o);
}

static int
call_digest(const struct report_call *c)
{
	return report_digest(c->s, c->cfg, &c->a->cli, c->o);
}

static int
call_compare(const struct report_call *c)
{
	struct report_options o = *c->o;

	if (!c->a->since_given)
		o.since_span = 7 * 86400;
	return report_compare(c->cfg, &c->a->cli, &o, c->args[0], c->args[1]);
}

/* What a report reads the context's settings for. */
enum report_needs {
	NEEDS_AIRFLOW,		/* the context, with its database */
	AIRFLOW_OPTIONAL,	/* the context; a database only adds to it */
	NEEDS_FILE_ONLY		/* the file's own sections, no context */
};

/*
 * Every report, in the order --help and the messages name them: a new
 * report is a file in src/report and one line here.  usage NULL: the
 * report takes no argument.
 */
#define T	FORMAT_BIT(REPORT_TEXT)
#define TJ	(T | FORMAT_BIT(REPORT_JSON))
#define TJM	(TJ | FORMAT_BIT(REPORT_MARKDOWN))
#define TJCM	(TJM | FORMAT_BIT(REPORT_CSV))
#define TJCMO	(TJCM | FORMAT_BIT(REPORT_OPENMETRICS))
static const struct report_kind {
	const char		*name;
	int			 min_args, max_args;
	const char		*usage;
	enum report_needs	 needs;
	int			(*run)(const struct report_call *);
	unsigned		 formats;	/* FORMAT_BIT()s it writes */
} report_kinds[] = {
	{ "status", 0, 0, NULL, NEEDS_AIRFLOW, call_status,
	    TJCMO | FORMAT_BIT(REPORT_SLACK) },
	{ "run", 1, 2, "usage: dagtop report run DAG_ID [RUN_ID]",
	    NEEDS_AIRFLOW, call_run, TJ },
	{ "log", 3, 3, "usage: dagtop report log DAG_ID RUN_ID TASK_ID "
	    "[--try N] [--map-index N]", NEEDS_AIRFLOW, call_log, T },
	{ "sla", 0, 0, NULL, NEEDS_AIRFLOW, call_sla,
	    TJCMO | FORMAT_BIT(REPORT_SLACK) },
	{ "impact", 3, 3, "usage: dagtop report impact DAG_ID RUN_ID TASK_ID",
	    NEEDS_AIRFLOW, call_impact, TJM },
	{ "why", 0, 1, "usage: dagtop report why SLA_NAME [--date YYYY-MM-DD] "
	    "| --dag DAG_ID", NEEDS_AIRFLOW, call_why, TJM },
	/* BigQuery alone makes a slots report; a database adds the pools. */
	{ "slots", 0, 0, NULL, AIRFLOW_OPTIONAL, call_slots, TJCMO },
	/* The Four Keys need no Airflow: GitHub or their own database. */
	{ "fourkeys", 0, 0, NULL, NEEDS_FILE_ONLY, call_fourkeys, TJCMO },
	/* Two contexts, each resolved by the report itself. */
	{ "compare", 2, 2, "usage: dagtop report compare BLUE GREEN "
	    "[--since SPAN] [--threshold N%]", NEEDS_FILE_ONLY, call_compare, TJM },
	/* The team lead's Monday page: mail wants HTML. */
	{ "digest", 0, 0, NULL, NEEDS_AIRFLOW, call_digest,
	    TJM | FORMAT_BIT(REPORT_HTML) },
};
#undef T
#undef TJ
#undef TJM
#undef TJCM
#undef TJCMO
#define NREPORTS (sizeof report_kinds / sizeof *report_kinds)

/* The reports' names, "a, b, c" (last_sep ", ") or "a, b or c". */
static void
report_names(struct buf *out, const char *last_sep)
{
	size_t i;

	for (i = 0; i < NREPORTS; i++) {
		if (i > 0)
			buf_puts(out, i + 1 == NREPORTS ? last_sep : ", ");
		buf_puts(out, report_kinds[i].name);
	}
}

/* The formats of a set, "text, json or markdown". */
static void
format_names(struct buf *out, unsigned set)
{
	int	f, left = 0;

	for (f = 0; f < REPORT_NFORMATS; f++)
		left += (set & FORMAT_BIT(f)) != 0;
	for (f = 0; f < REPORT_NFORMATS; f++) {
		if (!(set & FORMAT_BIT(f)))
			continue;
		buf_puts(out, report_format_name((enum report_format)f));
		if (--left > 0)
			buf_puts(out, left == 1 ? " or " : ", ");
	}
}

/* The report the words name, or NULL after a usage error (*rc set). */
static const struct report_kind *
report_kind(const struct args *a, int *rc)
{
	const struct report_kind	*k = NULL;
	struct buf			 names = BUF_INIT;
	size_t				 i;
	int				 nargs = a->nwords - 2;

	for (i = 0; a->nwords >= 2 && i < NREPORTS; i++)
		if (strcmp(a->words[1], report_kinds[i].name) == 0)
			k = &report_kinds[i];
	if (a->nwords < 2) {
		report_names(&names, " or ");
		*rc = usage_error(true, "report needs a kind: %s",
		    buf_str(&names));
	} else if (k == NULL) {
		report_names(&names, ", ");
		*rc = usage_error(true, "unknown report '%s' (this release "
		    "has: %s)", a->words[1], buf_str(&names));
	} else if (nargs >= k->min_args && nargs <= k->max_args) {
		if (k->formats & FORMAT_BIT(a->report.format)) {
			buf_free(&names);
			return k;
		}
		format_names(&names, k->formats);
		*rc = usage_error(true, "report %s takes --format %s, not '%s'",
		    k->name, buf_str(&names),
		    report_format_name(a->report.format));
	} else if (k->usage != NULL)
		*rc = usage_error(true, "%s", k->usage);
	else
		*rc = usage_error(true, "report %s takes no argument '%s'",
		    k->name, a->words[2]);
	buf_free(&names);
	return NULL;
}

/*
 * report status over several contexts (config_resolve_contexts): its exit
 * status, or -1 when one context is asked (then as every report).
 */
static int
status_many(const struct args *a, const struct config *cfg)
{
	struct settings	*v;
	struct buf	 err = BUF_INIT;
	size_t		 i, n;
	int		 rc;

	if (config_resolve_contexts(cfg, &a->cli, &v, &n, &err) != 0) {
		rc = report_unknown(a->report.format, "configuration",
		    buf_str(&err));
		buf_free(&err);
		return rc;
	}
	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		v[i].readonly = true;	/* reports never write */
	rc = report_status_many(v, n, &a->report);
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	return rc;
}

/* `dagtop report KIND ...`: the file, the context (as the kind needs), the report. */
static int
run_report(const struct args *a)
{
	const struct report_kind	*k;
	struct report_call		 call;
	struct config			 cfg;
	struct settings			 s;
	struct buf			 err = BUF_INIT;
	int				 rc, r;

	if ((k = report_kind(a, &rc)) == NULL)
		return rc;
	report_set_name(k->name);
	/* Before the file is read: its errors belong in the output too. */
	if (a->report.output != NULL &&
	    (rc = report_output(a->report.output)) != 0)
		return rc;
	if (config_load(&cfg, a->cli.config, config_zone_ok) != 0) {
		fputs(buf_str(&cfg.errors), stderr);
		rc = report_unknown(a->report.format, "configuration",
		    "errors in the configuration file (see dagtop config check)");
		config_free(&cfg);
		return rc;
	}
	fputs(buf_str(&cfg.warnings), stderr);
	report_set_max_series(cfg.metrics_max_series);
	if (k->run == call_status && (rc = status_many(a, &cfg)) >= 0) {
		config_free(&cfg);
		return rc;
	}
	memset(&s, 0, sizeof s);
	call.s = k->needs == NEEDS_FILE_ONLY ? NULL : &s;
	call.cfg = &cfg;
	call.o = &a->report;
	call.args = a->words + 2;
	call.nargs = a->nwords - 2;
	call.a = a;
	if (k->needs != NEEDS_FILE_ONLY) {
		/*
		 * The context asked for labels a failure to resolve it, as a
		 * read of it would be labelled (--format openmetrics).
		 */
		report_set_context(a->cli.context != NULL ? a->cli.context :
		    getenv("DAGTOP_CONTEXT"));
		r = k->needs == AIRFLOW_OPTIONAL ?
		    config_resolve_no_database(&cfg, &a->cli, &s, &err) :
		    config_resolve(&cfg, &a->cli, &s, &err);
		if (r != 0) {
			rc = report_unknown(a->report.format, "configuration",
			    buf_str(&err));
			report_set_context(NULL);
			buf_free(&err);
			settings_free(&s);
			config_free(&cfg);
			return rc;
		}
		/* Reports never write: the read-only gate is closed for them. */
		s.readonly = true;
		report_set_source(s.source);
		report_set_context(s.context);
	}
	rc = k->run(&call);
	report_set_source(NULL);
	report_set_context(NULL);
	if (k->needs != NEEDS_FILE_ONLY)
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
	if (config_load(cfg, a->cli.config, config_zone_ok) != 0) {
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

static int
call_clear(const struct args *a, struct settings *s,
    const struct config *cfg)
{
	(void)cfg;
	return cmd_clear(s, &a->clear, a->words[1], a->words[2], a->words[3]);
}

/*
 * The console over several contexts (config_resolve_contexts): the
 * environments overview.  Its exit status, or -1 when one context is
 * asked (then the console as always), or 78 on a configuration error.
 */
static int
console_many(const struct args *a)
{
	struct config	 cfg;
	struct settings	*v;
	struct buf	 err = BUF_INIT;
	size_t		 i, n;
	int		 rc;

	if (config_load(&cfg, a->cli.config, config_zone_ok) != 0) {
		config_free(&cfg);
		return -1;	/* load_context says why */
	}
	if (config_resolve_contexts(&cfg, &a->cli, &v, &n, &err) != 0) {
		fputs(buf_str(&cfg.warnings), stderr);
		fprintf(stderr, "dagtop: %s\n", buf_str(&err));
		buf_free(&err);
		config_free(&cfg);
		return 78;
	}
	if (n == 0) {
		config_free(&cfg);
		return -1;
	}
	fputs(buf_str(&cfg.warnings), stderr);
	for (i = 0; i < n && a->mouse; i++)
		v[i].mouse = true;
	rc = console_main_many(v, n, &cfg, &a->cli, a->view, a->keymap,
	    a->color, a->ascii);
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	config_free(&cfg);
	return rc;
}

static int
call_console(const struct args *a, struct settings *s,
    const struct config *cfg)
{
	if (a->mouse)
		s->mouse = true;	/* over the context's mouse = no */
	return console_main(s, cfg, &a->cli, a->view, a->keymap, a->color,
	    a->ascii);
}

/*
 * The commands that need a context (the console, dagtop clear): the file
 * and the context's settings, then the command, then both freed.
 */
static int
with_context(const struct args *a, int (*run)(const struct args *,
    struct settings *, const struct config *))
{
	struct config	 cfg;
	struct settings	 s;
	int		 rc;

	if ((rc = load_context(a, &cfg, &s)) != 0)
		return rc;
	rc = run(a, &s, &cfg);
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
	if (a.nwords == 0 && (rc = console_many(&a)) >= 0)
		return rc;
	if (a.nwords == 0)
		return with_context(&a, call_console);
	if (strcmp(a.words[0], "report") == 0) {
		report_begin();
		return report_end(run_report(&a));
	}
	if (strcmp(a.words[0], "config") == 0) {
		if (a.nwords != 2 || strcmp(a.words[1], "check") != 0)
			return usage_error(false, "usage: dagtop config check "
			    "[--connect]");
		return cmd_config_check(&a.cli, a.connect);
	}
	if (strcmp(a.words[0], "clear") == 0) {
		if (a.nwords != 4)
			return usage_error(false, "usage: dagtop clear DAG_ID "
			    "RUN_ID TASK_ID [--downstream] [--only-failed] "
			    "[--map-index N] [--yes]");
		return with_context(&a, call_clear);
	}
	return usage_error(false, "unknown command '%s'", a.words[0]);
}
