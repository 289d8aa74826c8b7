/*
 * config_table.c: every key of the configuration file, one row each
 * (config.h, struct setting_def).  The file's order is dagtop.conf(5)'s:
 * [dagtop], the Four Keys' [dagtop] keys, [sla], [context], [service],
 * then the keys refused to keep secrets out of the file.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "fourkeys.h"
#include "number.h"
#include "pace.h"
#include "sla.h"

#define NO	SETTING_NONE

/* [dagtop] and the Four Keys' [dagtop] keys: fields of struct config. */
#define D(name, type, lo, hi, def, field, help) \
	{ name, SEC_DAGTOP, type, lo, hi, NULL, def, \
	    offsetof(struct config, field), NO, false, help }
/* [sla "NAME"]: fields of struct sla_def. */
#define L(name, type, field, help) \
	{ name, SEC_SLA, type, 0, 0, NULL, NULL, \
	    offsetof(struct sla_def, field), NO, false, help }
/* [context NAME]: fields of struct context, carried to struct settings. */
#define C(name, type, lo, hi, words, def, field, secret, help) \
	{ name, SEC_CONTEXT, type, lo, hi, words, def, \
	    offsetof(struct context, field), \
	    offsetof(struct settings, field), secret, help }
/* [service "NAME"]: fields of struct fk_service. */
#define S(name, type, words, field, secret, help) \
	{ name, SEC_SERVICE, type, 0, 0, words, NULL, \
	    offsetof(struct fk_service, field), NO, secret, help }
/* Keys refused in the sections named, with what to use instead. */
#define R(name, sections, instead) \
	{ name, sections, T_REFUSED, 0, 0, instead, NULL, NO, NO, false, NULL }

const struct setting_def settings_table[] = {
	D("context", T_TEXT, 0, 0, NULL, default_context,
	    "the context used without --context or DAGTOP_CONTEXT"),
	D("contexts", T_STRING, 0, 0, NULL, contexts,
	    "the contexts the overview, report status and config check read "
	    "at once"),
	D("refresh", T_SECONDS, PACE_REFRESH_MIN, 3600, NULL, refresh,
	    "refresh interval of every context that sets none"),
	D("api_refresh", T_SECONDS, PACE_REFRESH_MIN, 3600, NULL, api_refresh,
	    "API refresh interval of every context that sets none"),
	D("week_start", T_WEEKDAY, 0, 0, "monday", week_start,
	    "the first day of an SLA week"),
	D("metrics_max_series", T_NUMBER, 1, 100000, "100",
	    metrics_max_series, "the most per-DAG (per-task, per-consumer) "
	    "series of each metric in --format openmetrics"),
	{ "include", SEC_DAGTOP, T_INCLUDE, 0, 0, NULL, NULL, NO, NO, false,
	    "read another file here" },
	D("github_url", T_URL, 0, 0, NULL, fk.github_url,
	    "the GitHub API (default https://api.github.com)"),
	D("github_token_env", T_ENVNAME, 0, 0, NULL, fk.github_token_env,
	    "the variable holding the GitHub token"),
	D("github_token_command", T_COMMAND, 0, 0, NULL,
	    fk.github_token_command, "a command printing the GitHub token"),
	D("github_ca_file", T_PATH, 0, 0, NULL, fk.github_ca_file,
	    "CA certificates for the GitHub API"),
	D("github_tls_verify", T_BOOL, 0, 0, NULL, fk.github_tls_verify,
	    "check the GitHub API's certificate (default true)"),
	D("github_timeout", T_SECONDS, 1, 3600, NULL, fk.github_timeout,
	    "a GitHub request's time limit (default 30)"),
	D("github_max_wait", T_SECONDS, 0, 86400, NULL, fk.github_max_wait,
	    "the longest wait for GitHub's rate limit"),
	D("dora_year", T_YEAR, 0, 0, NULL, fk.dora_year,
	    "the DORA report whose bands rate the Four Keys (default 2023)"),
	D("fourkeys_window", T_NUMBER, 1, 366, NULL, fk.window,
	    "the Four Keys' window in days (default 30)"),
	D("fourkeys_refresh", T_SECONDS, 60, 86400, NULL, fk.refresh,
	    "how often the Four Keys pane reads again"),

	L("dag", T_STRING, dag_id, "the DAG the SLA is about"),
	L("task", T_STRING, task_id, "a task of it instead of the whole run"),
	L("owner", T_STRING, owner, "who answers for the SLA"),
	L("note", T_STRING, note, "a line shown with the SLA"),
	L("context", T_STRING, context, "the only context the SLA applies to"),
	L("deadline", T_DEADLINE, deadline, "local time HH:MM of the day"),
	L("days", T_DAYS, days, "the days the SLA applies on"),
	L("timezone", T_ZONE, timezone, "the deadline's zone"),

	C("database", T_CONNINFO, 0, 0, NULL, NULL, database, true,
	    "the Airflow metadata database"),
	C("database_password_env", T_ENVNAME, 0, 0, NULL, NULL,
	    database_password_env, false,
	    "the variable holding the database password"),
	C("database_password_command", T_COMMAND, 0, 0, NULL, NULL,
	    database_password_command, false,
	    "a command printing the database password"),
	C("source", T_ENUM, 0, 0, "database api", NULL, source, false,
	    "where DAGs, runs and tasks are read (default: database if set)"),
	C("airflow_api", T_URL, 0, 0, NULL, NULL, airflow_api, true,
	    "the Airflow REST API, for logs and clearing"),
	C("composer_environment", T_STRING, 0, 0, NULL, NULL,
	    composer_environment, false,
	    "a Cloud Composer environment whose Airflow API is used"),
	C("composer_url", T_URL, 0, 0, NULL, "https://composer.googleapis.com",
	    composer_url, false, "the Cloud Composer API"),
	C("mwaa_environment", T_STRING, 0, 0, NULL, NULL, mwaa_environment,
	    false, "an Amazon MWAA environment, through InvokeRestApi"),
	C("aws_region", T_STRING, 0, 0, NULL, NULL, aws_region, false,
	    "the MWAA environment's region"),
	C("mwaa_url", T_URL, 0, 0, NULL, NULL, mwaa_url, false,
	    "the InvokeRestApi endpoint (default the region's)"),
	C("airflow_auth", T_ENUM, 0, 0,
	    "none basic bearer command login google aws-sigv4", NULL,
	    airflow_auth,
	    false, "how dagtop logs in to the API (default none)"),
	C("airflow_user", T_STRING, 0, 0, NULL, NULL, airflow_user, false,
	    "the API user (basic, login)"),
	C("airflow_password_env", T_ENVNAME, 0, 0, NULL, NULL,
	    airflow_password_env, false,
	    "the variable holding the API password"),
	C("airflow_token_env", T_ENVNAME, 0, 0, NULL, NULL, airflow_token_env,
	    false, "the variable holding the API token"),
	C("airflow_token_command", T_COMMAND, 0, 0, NULL, NULL,
	    airflow_token_command, false, "a command printing the API token"),
	C("airflow_tls_verify", T_BOOL, 0, 0, NULL, "true",
	    airflow_tls_verify, false, "check the API's certificate"),
	C("airflow_ca_file", T_PATH, 0, 0, NULL, NULL, airflow_ca_file, false,
	    "CA certificates for the API"),
	C("airflow_timeout", T_SECONDS, 1, 3600, NULL, "30", airflow_timeout,
	    false, "an API request's time limit"),
	C("log_folder", T_PATH, 0, 0, NULL, NULL, log_folder, false,
	    "Airflow's base_log_folder, read when the API is not"),
	C("log_spool_max", T_MIB, 1, 1 << 20, NULL, "4G", log_spool_max,
	    false, "where a log's spool is cut"),
	C("timezone", T_STRING, 0, 0, NULL, "UTC", timezone, false,
	    "the zone times are shown in, and the SLAs' zone"),
	C("readonly", T_BOOL, 0, 0, NULL, "false", readonly, false,
	    "never write"),
	C("mouse", T_BOOL, 0, 0, NULL, "false", mouse, false,
	    "the console takes clicks and the wheel"),
	C("statement_timeout", T_SECONDS, 1, 3600, NULL, "30",
	    statement_timeout, false, "a query's time limit"),
	C("connect_timeout", T_SECONDS, 1, 300, NULL, "10", connect_timeout,
	    false, "a connection's time limit"),
	C("scheduler_health_threshold", T_SECONDS, 1, 86400, NULL, "30",
	    scheduler_threshold, false,
	    "a heartbeat older than this is unhealthy"),
	C("refresh", T_SECONDS, PACE_REFRESH_MIN, 3600, NULL, "5", refresh,
	    false, "the console's refresh interval"),
	C("api_refresh", T_SECONDS, PACE_REFRESH_MIN, 3600, NULL, "30",
	    api_refresh, false,
	    "the console's refresh interval with source = api"),
	C("slow_refresh", T_SECONDS, 1, 3600, NULL, "2", slow_refresh, false,
	    "a refresh slower than this doubles the interval"),
	C("full_refresh", T_SECONDS, 1, 86400, NULL, "300", full_refresh,
	    false, "a full read at least this often (between: what changed)"),
	C("serialized_dag_max", T_NUMBER, 1, 1024, NULL, "32",
	    serialized_dag_max, false, "the largest serialized DAG read, MiB"),
	C("bigquery_project", T_PROJECT, 0, 0, NULL, NULL, bigquery_project,
	    false, "the project whose slots are shown"),
	C("bigquery_location", T_REGION, 0, 0, NULL, "US", bigquery_location,
	    false, "its BigQuery location"),
	C("bigquery_admin_project", T_PROJECT, 0, 0, NULL, NULL,
	    bigquery_admin_project, false, "the project holding reservations"),
	C("bigquery_url", T_URL, 0, 0, NULL, NULL, bigquery_url, false,
	    "the BigQuery API"),
	C("bigquery_refresh", T_SECONDS, 10, 86400, NULL, "60",
	    bigquery_refresh, false, "how often slots are read (billed)"),
	C("bigquery_hours", T_NUMBER, 1, 720, NULL, "24", bigquery_hours,
	    false, "the slots window in hours"),
	C("bigquery_capacity", T_NUMBER, 0, 10000000, NULL, NULL,
	    bigquery_capacity, false, "slots, instead of the reservations'"),
	C("bigquery_reservation", T_RESERVATION, 0, 0, NULL, NULL,
	    bigquery_reservation, false, "the one reservation shown"),
	{ "bigquery_jobs_view", SEC_CONTEXT, T_ENUM, 0, 0,
	    "project organization", NULL,
	    offsetof(struct context, bigquery_jobs_view), NO, false,
	    "whose jobs are read (settings: bigquery_org_view)" },
	C("google_auth", T_ENUM, 0, 0,
	    "command metadata service-account adc", NULL, google_auth, false,
	    "how dagtop gets a Google token"),
	C("google_token_command", T_COMMAND, 0, 0, NULL, NULL,
	    google_token_command, false, "a command printing a Google token"),
	C("google_key_file", T_PATH, 0, 0, NULL, NULL, google_key_file, false,
	    "a service account's key file"),
	C("google_token_url", T_URL, 0, 0, NULL, NULL, google_token_url,
	    false, "Google's token endpoint"),
	C("google_metadata_url", T_URL, 0, 0, NULL, NULL, google_metadata_url,
	    false, "the metadata server"),

	S("source", T_ENUM, "github sql", source, false,
	    "where the service's events come from (default github)"),
	S("repos", T_REPOS, NULL, repos, false, "the service's repositories"),
	S("environment", T_STRING, NULL, environment, false,
	    "the deployments' environment (default production)"),
	S("deployments", T_ENUM, "deployments releases merges", deployments,
	    false, "what counts as a deployment"),
	S("branch", T_STRING, NULL, branch, false, "the branch merged to"),
	S("lead_time", T_ENUM, "commits pull_requests", lead_time, false,
	    "where lead time starts"),
	S("incident_label", T_STRING, NULL, incident_label, false,
	    "the label of incident issues (default Incident)"),
	S("incident_repos", T_REPOS, NULL, incident_repos, false,
	    "where incidents are filed (default the repos)"),
	S("github_url", T_URL, NULL, github_url, false,
	    "overrides [dagtop] github_url"),
	S("github_token_env", T_ENVNAME, NULL, github_token_env, false,
	    "overrides [dagtop] github_token_env"),
	S("github_token_command", T_COMMAND, NULL, github_token_command,
	    false, "overrides [dagtop] github_token_command"),
	S("database", T_CONNINFO, NULL, database, true,
	    "source = sql: the events' database"),
	S("database_password_env", T_ENVNAME, NULL, database_password_env,
	    false, "the variable holding its password"),
	S("database_password_command", T_COMMAND, NULL,
	    database_password_command, false,
	    "a command printing its password"),
	S("query", T_STRING, NULL, query, false, "source = sql: the events"),
	S("query_file", T_PATH, NULL, query_file, false,
	    "source = sql: a file holding the query"),

	R("database_password", SEC_CONTEXT | SEC_SERVICE,
	    "database_password_env or database_password_command"),
	R("airflow_password", SEC_CONTEXT, "airflow_password_env"),
	R("airflow_token", SEC_CONTEXT,
	    "airflow_token_env or airflow_token_command"),
	R("google_token", SEC_CONTEXT,
	    "google_token_command, google_key_file or google_auth = adc"),
	R("google_private_key", SEC_CONTEXT, "google_key_file"),
	R("github_token", SEC_DAGTOP | SEC_CONTEXT | SEC_SERVICE,
	    "github_token_env or github_token_command"),
	{ NULL, 0, T_TEXT, 0, 0, NULL, NULL, NO, NO, false, NULL }
};

const struct setting_def *
setting_find(unsigned section, const char *name)
{
	const struct setting_def *d;

	for (d = settings_table; d->name != NULL; d++)
		if ((d->sections & section) != 0 && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

bool
setting_is_string(const struct setting_def *d)
{
	return d->type < T_BOOL;
}

/* A size with its unit, "512M" or "4G" (MB, MiB, GB, GiB too), in MiB. */
static bool
parse_mib(const char *v, int min, int max, int *out)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || end == v || n < 0 || n > (1LL << 40))
		return false;
	while (*end == ' ')
		end++;
	if (*end == 'G' || *end == 'g')
		n *= 1024;
	else if (*end == 'T' || *end == 't')
		n *= 1024 * 1024;
	else if (*end != 'M' && *end != 'm')
		return false;
	end++;
	if (strcmp(end, "") != 0 && strcmp(end, "B") != 0 &&
	    strcmp(end, "iB") != 0)
		return false;
	if (n < min || n > max)
		return false;
	*out = (int)n;
	return true;
}

static bool
parse_bool(const char *v, int *out)
{
	static const char *yes[] = { "true", "yes", "on", "1", NULL };
	static const char *no[] = { "false", "no", "off", "0", NULL };
	int i;

	for (i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return true;
		}
	for (i = 0; no[i] != NULL; i++)
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return true;
		}
	return false;
}

bool
setting_parse_int(const struct setting_def *d, const char *v, int *out)
{
	switch (d->type) {
	case T_BOOL:
		return parse_bool(v, out);
	case T_SECONDS:
	case T_NUMBER:
		return parse_int_range(v, d->min, d->max, out) == 0;
	case T_MIB:
		return parse_mib(v, d->min, d->max, out);
	case T_YEAR:
		return parse_int_range(v, 2000, 2100, out) == 0 &&
		    fk_year_known(*out);
	case T_WEEKDAY:
		return sla_parse_weekday(v, out) == 0;
	case T_DEADLINE:
		return sla_parse_deadline(v, out) == 0;
	default:
		return false;
	}
}

const char *
config_key_nth(size_t i)
{
	const struct setting_def *d;

	for (d = settings_table; d->name != NULL; d++)
		if (d->type != T_REFUSED && i-- == 0)
			return d->name;
	return NULL;
}
