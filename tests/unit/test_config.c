/*
 * test_config.c: the configuration file, context choice and precedence,
 * connection strings in every form users write them, password masking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "composer.h"
#include "config.h"
#include "dbconn.h"
#include "logspool.h"
#include "options.h"
#include "serdag.h"
#include "tz.h"
#include "zoneinfo.h"

static char path[] = "/tmp/dagtop-config-test.XXXXXX";

/* The zone check dagtop's main gives config_load. */
static bool
zone_ok(const char *name, struct buf *why)
{
	struct tz	*z = zoneinfo_load(name, why);
	bool		 ok = z != NULL;

	tz_free(z);
	return ok;
}

static void
write_file(const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

static const char *
param(const struct db_params *p, const char *k)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->keywords[i], k) == 0)
			return p->values[i];
	return NULL;
}

static void
test_normalise(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	db_conninfo_normalise("postgresql+psycopg2://u:p@h:5432/db", &b);
	assert_string_equal(buf_str(&b), "postgresql://u:p@h:5432/db");
	db_conninfo_normalise("postgres+pg8000://h/db?sslmode=require", &b);
	assert_string_equal(buf_str(&b), "postgres://h/db?sslmode=require");
	db_conninfo_normalise("host=a+b dbname=x", &b);
	assert_string_equal(buf_str(&b), "host=a+b dbname=x");
	db_conninfo_normalise("postgresql://u@h/db", &b);
	assert_string_equal(buf_str(&b), "postgresql://u@h/db");
	buf_free(&b);
}

static void
test_masked(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	db_conninfo_masked("postgresql+psycopg2://airflow:s3cret@db:5432/airflow",
	    &b);
	assert_null(strstr(buf_str(&b), "s3cret"));
	assert_non_null(strstr(buf_str(&b), "password=********"));
	assert_non_null(strstr(buf_str(&b), "host=db"));
	buf_reset(&b);
	db_conninfo_masked("host=db password='it''s secret' user=x", &b);
	assert_null(strstr(buf_str(&b), "secret"));
	buf_reset(&b);
	db_conninfo_masked("host=db user='a b'", &b);
	assert_string_equal(buf_str(&b), "user='a b' host=db");
	buf_free(&b);
}

static void
test_params(void **state)
{
	struct db_options	 s;
	struct db_params	 p;
	struct buf		 err = BUF_INIT;

	(void)state;
	memset(&s, 0, sizeof s);
	s.database = "postgresql+psycopg2://reader@db/airflow?options=-c%20work_mem%3D8MB";
	s.statement_timeout = 12;
	s.connect_timeout = 4;
	s.database_password_env = "DAGTOP_UNIT_PW";
	setenv("DAGTOP_UNIT_PW", "pw-from-env", 1);
	assert_int_equal(db_params_build(&s, &p, &err), 0);
	assert_string_equal(param(&p, "host"), "db");
	assert_string_equal(param(&p, "user"), "reader");
	assert_string_equal(param(&p, "password"), "pw-from-env");
	assert_string_equal(param(&p, "application_name"), "dagtop");
	assert_string_equal(param(&p, "connect_timeout"), "4");
	/* The user's options come first; ours after them win. */
	assert_string_equal(param(&p, "options"), "-c work_mem=8MB "
	    "-c default_transaction_read_only=on -c statement_timeout=12000 "
	    "-c TimeZone=UTC -c idle_in_transaction_session_timeout=60000 "
	    "-c jit=off");
	db_params_free(&p);

	unsetenv("DAGTOP_UNIT_PW");
	assert_int_equal(db_params_build(&s, &p, &err), -1);
	assert_string_equal(buf_str(&err), "database_password_env names "
	    "DAGTOP_UNIT_PW, which is not set");
	buf_reset(&err);

	s.database_password_env = NULL;
	/* The command is pg_connect's, run in the loop (test_db_airflow). */
	s.database_password_command = "exit 3";
	assert_int_equal(db_params_build(&s, &p, &err), 0);
	assert_null(param(&p, "password"));
	assert_string_equal(p.password_command, "exit 3");
	db_params_free(&p);

	s.database_password_command = NULL;
	s.database = "host='unterminated";
	assert_int_equal(db_params_build(&s, &p, &err), -1);
	assert_non_null(strstr(buf_str(&err), "bad database connection string"));
	buf_free(&err);
}

static void
test_contexts_and_precedence(void **state)
{
	struct config		cfg;
	struct settings		s;
	struct cli_options	cli = { NULL, NULL, NULL, -1, -1, false };
	struct buf		err = BUF_INIT;

	(void)state;
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	unsetenv("DAGTOP_CONFIG");
	write_file("[dagtop]\ncontext = stg\nrefresh = 9\n"
	    "[context prod]\ndatabase = host=prod\nreadonly = on\n"
	    "statement_timeout = 7\n"
	    "[context stg]\ndatabase = host=stg\ntimezone = Asia/Tokyo\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(cfg.nctx, 2);
	assert_false(cfg.exposed);

	/* [dagtop] context = picks stg; its refresh comes from [dagtop]. */
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.context, "stg");
	assert_string_equal(s.database, "host=stg");
	assert_string_equal(s.timezone, "Asia/Tokyo");
	assert_int_equal(s.refresh, 9);
	assert_false(s.readonly);
	assert_int_equal(s.statement_timeout, 30);
	settings_free(&s);

	/* DAGTOP_CONTEXT beats the file; --context beats both. */
	setenv("DAGTOP_CONTEXT", "prod", 1);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.context, "prod");
	assert_true(s.readonly);
	assert_int_equal(s.statement_timeout, 7);
	assert_string_equal(s.timezone, "UTC");
	settings_free(&s);
	cli.context = "stg";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.context, "stg");
	settings_free(&s);

	/* DAGTOP_DATABASE beats the context; --database beats it. */
	setenv("DAGTOP_DATABASE", "host=env", 1);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.database, "host=env");
	assert_string_equal(s.database_source, "DAGTOP_DATABASE");
	settings_free(&s);
	cli.database = "host=cli";
	cli.refresh = 2;
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.database, "host=cli");
	assert_int_equal(s.refresh, 2);
	settings_free(&s);
	unsetenv("DAGTOP_DATABASE");

	cli.context = "nope";
	cli.database = NULL;
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "no context 'nope' in"));
	assert_non_null(strstr(buf_str(&err), "(it has: prod stg)"));
	settings_free(&s);
	unsetenv("DAGTOP_CONTEXT");
	config_free(&cfg);
	buf_free(&err);
}

/*
 * source: database when one is set, else api when airflow_api is; api
 * needs no database (but an airflow_api); api_refresh from the context,
 * else [dagtop], else 30, and the console's interval follows the source.
 */
static void
test_source_and_api_refresh(void **state)
{
	struct config		cfg;
	struct settings		s;
	struct cli_options	cli = { NULL, NULL, NULL, -1, -1, false };
	struct buf		err = BUF_INIT;

	(void)state;
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	write_file("[dagtop]\napi_refresh = 45\n"
	    "[context db]\ndatabase = host=x\nairflow_api = http://a\n"
	    "[context api]\nairflow_api = http://a\napi_refresh = 60\n"
	    "[context both]\ndatabase = host=x\nairflow_api = http://a\n"
	    "source = api\n"
	    "[context bad]\nsource = api\n"
	    "[context none]\ntimezone = UTC\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	cli.context = "db";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.source, "database");
	assert_int_equal(s.api_refresh, 45);
	assert_int_equal(settings_refresh(&s), 5);
	settings_free(&s);
	cli.context = "api";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.source, "api");
	assert_null(s.database);
	assert_int_equal(settings_refresh(&s), 60);
	settings_free(&s);
	cli.context = "both";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.source, "api");
	assert_int_equal(settings_refresh(&s), 45);
	settings_free(&s);
	/* --refresh is the interval in force in either mode. */
	cli.context = "api";
	cli.refresh = 7;
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_int_equal(settings_refresh(&s), 7);
	settings_free(&s);
	cli.refresh = -1;
	cli.context = "bad";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "source = api needs"));
	settings_free(&s);
	buf_reset(&err);
	cli.context = "none";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "no database configured"));
	settings_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

static void
test_errors_with_lines(void **state)
{
	struct config cfg;

	(void)state;
	write_file("[context a]\n"
	    "database = postgresql://u:pw@h/db\n"
	    "airflow_auth = magic\n"
	    "airflow_api = ftp://x\n"
	    "database_password_env = 9LIVES\n"
	    "refresh = 5s\n", 0644);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_true(cfg.holds_secret);
	assert_true(cfg.exposed);
	assert_non_null(strstr(buf_str(&cfg.warnings), "holds a "
	    "password and is readable by others"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":3: 'airflow_auth' must "
	    "be none, basic, bearer, command, login, google or aws-sigv4, not "
	    "'magic'\n"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":4: 'airflow_api' must "
	    "be an http:// or https:// URL, not 'ftp://x'\n"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":5: "
	    "'database_password_env' names an environment variable"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":6: 'refresh' must be a "
	    "whole number of seconds"));
	config_free(&cfg);

	/* The default file may be absent; a named one may not. */
	unlink(path);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), "cannot read"));
	config_free(&cfg);
	setenv("XDG_CONFIG_HOME", "/nonexistent-dagtop", 1);
	assert_int_equal(config_load(&cfg, NULL, zone_ok), 0);
	assert_false(cfg.loaded);
	assert_string_equal(cfg.path, "/nonexistent-dagtop/dagtop/config");
	config_free(&cfg);
	/* A relative XDG value is ignored. */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/someone", 1);
	assert_int_equal(config_load(&cfg, NULL, zone_ok), 0);
	assert_string_equal(cfg.path, "/home/someone/.config/dagtop/config");
	config_free(&cfg);
}

/*
 * Issue 14: numbers in the file never wrap (4294967297 is not 1), and
 * serialized_dag_max is a setting in MiB with a default.
 */
static void
test_numbers_and_serdag_max(void **state)
{
	struct config		cfg;
	struct settings		s;
	struct cli_options	cli = { NULL, "a", NULL, -1, -1, false };
	struct buf		err = BUF_INIT;

	(void)state;
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	write_file("[context a]\ndatabase = host=a\n"
	    "refresh = 4294967301\n"
	    "statement_timeout = 4294967297\n"
	    "serialized_dag_max = 4294967297\n"
	    "connect_timeout = -4294967290\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":3: 'refresh' must be a "
	    "whole number of seconds"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":4: 'statement_timeout' "));
	assert_non_null(strstr(buf_str(&cfg.errors), ":5: 'serialized_dag_max' "
	    "must be a whole number from 1 to 1024, not '4294967297'\n"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":6: 'connect_timeout' "));
	config_free(&cfg);

	write_file("[context a]\ndatabase = host=a\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_int_equal(s.serialized_dag_max, 32);
	settings_free(&s);
	config_free(&cfg);
	write_file("[context a]\ndatabase = host=a\nserialized_dag_max = 4\n",
	    0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_int_equal(s.serialized_dag_max, 4);
	settings_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

/* [sla "NAME"] sections, week_start and include, with file:line errors. */
static void
test_slas(void **state)
{
	struct config		 cfg;
	const struct sla_def	*v[8];
	char			 inc[64];
	FILE			*fp;

	(void)state;
	snprintf(inc, sizeof inc, "%s.inc", path);
	fp = fopen(inc, "w");
	assert_non_null(fp);
	fputs("[sla \"feed\"]\n"
	    "dag = partner_feed\n"
	    "deadline = 13:00\n"
	    "context = prod\n", fp);
	fclose(fp);
	{
		char text[512];

		snprintf(text, sizeof text, "[dagtop]\n"
		    "week_start = sunday\n"
		    "include = %s\n"
		    "[sla \"table_a_ready\"]\n"
		    "dag = daily_etl\n"
		    "task = build_table_a\n"
		    "deadline = 10:00\n"
		    "timezone = Asia/Tokyo\n"
		    "days = mon-fri\n"
		    "owner = data-eng\n"
		    "note = the sheet waits\n", strrchr(inc, '/') + 1);
		write_file(text, 0600);
	}
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_string_equal(buf_str(&cfg.errors), "");
	assert_int_equal(cfg.week_start, 0);
	assert_int_equal(cfg.nsla, 2);
	assert_string_equal(cfg.sla[0].name, "feed");
	assert_string_equal(cfg.sla[0].file, inc);
	assert_int_equal(cfg.sla[0].line, 1);
	assert_int_equal(cfg.sla[0].days, SLA_ALL_DAYS);
	assert_null(cfg.sla[0].task_id);
	assert_string_equal(cfg.sla[1].task_id, "build_table_a");
	assert_int_equal(cfg.sla[1].deadline, 36000);
	assert_int_equal(cfg.sla[1].days, SLA_WEEKDAYS);
	assert_string_equal(cfg.sla[1].timezone, "Asia/Tokyo");
	assert_int_equal(cfg.sla[1].line, 4);
	/* feed is for the prod context only. */
	assert_int_equal(config_slas(&cfg, NULL, v), 1);
	assert_int_equal(config_slas(&cfg, "prod", v), 2);
	config_free(&cfg);

	write_file("[sla \"a\"]\n"
	    "dag = x\n"
	    "deadline = 25:00\n"
	    "timezone = Asia/Tokio\n"
	    "days = mon-frx\n"
	    "colour = red\n"
	    "[sla \"b\"]\n"
	    "task = t\n"
	    "[sla \"a\"]\n"
	    "dag = y\n"
	    "[dagtop]\n"
	    "week_start = someday\n"
	    "include = /nonexistent/x.conf\n"
	    "[nonsense]\n"
	    "x = 1\n"
	    "[sla \"c\"]\n"
	    "dag = z\n"
	    "deadline = 08:00\n"
	    "[sla \"partner_revenue_rollup_payments_to_warehouse by 6\"]\n"
	    "dag = w\n"
	    "deadline = 06:00\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
#define HAS(s) do {							\
	if (strstr(buf_str(&cfg.errors), (s)) == NULL)			\
		fail_msg("no \"%s\" in:\n%s", (s), buf_str(&cfg.errors));	\
} while (0)
	HAS(":3: 'deadline' must be a local time HH:MM");
	HAS(":4: 'timezone': unknown time zone 'Asia/Tokio'");
	HAS(":5: 'days': 'mon-frx' is not a day");
	HAS(":6: unknown key 'colour' in [sla \"a\"]");
	HAS(":7: [sla \"b\"] needs 'dag ='");
	HAS(":7: [sla \"b\"] needs 'deadline = HH:MM'");
	HAS(":9: SLA 'a' is already defined at ");
	HAS(":12: 'week_start' must be a day");
	HAS(":13: cannot include '/nonexistent/x.conf'");
	HAS(":14: unknown section [nonsense]");
	/* inih cuts a longer header: the name would not be the one written. */
	HAS(":19: section header too long (at most 48 characters");
#undef HAS
	/* A section after an unknown one is read again. */
	assert_int_equal(cfg.nsla, 3);
	assert_string_equal(cfg.sla[2].name, "c");
	config_free(&cfg);

	/* An include cycle. */
	fp = fopen(inc, "w");
	assert_non_null(fp);
	fprintf(fp, "include = %s\n", strrchr(path, '/') + 1);
	fclose(fp);
	{
		char text[256];

		snprintf(text, sizeof text, "include = %s\n", inc);
		write_file(text, 0600);
	}
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ".inc:1: include cycle"));
	config_free(&cfg);
	unlink(inc);
}

/* [service "NAME"] sections and the Four Keys keys of [dagtop]. */
static void
test_services(void **state)
{
	struct config	cfg;
	const char	*e;

	(void)state;
	write_file("[dagtop]\n"
	    "github_url = https://ghe.example.com/api/v3\n"
	    "github_token_env = GITHUB_TOKEN\n"
	    "dora_year = 2021\n"
	    "fourkeys_window = 90\n"
	    "github_max_wait = 0\n"
	    "[service \"checkout\"]\n"
	    "repos = acme/checkout-api, acme/checkout.web\n"
	    "environment = prod-eu\n"
	    "deployments = releases\n"
	    "lead_time = pull_requests\n"
	    "incident_label = sev1\n"
	    "[service \"billing\"]\n"
	    "source = sql\n"
	    "database = host=db dbname=ops\n"
	    "database_password_env = OPS_PW\n"
	    "query = SELECT 1\n"
	    "  FROM x\n"
	    "  WHERE y = $2\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_string_equal(buf_str(&cfg.errors), "");
	assert_string_equal(cfg.fk.github_url, "https://ghe.example.com/api/v3");
	assert_string_equal(cfg.fk.github_token_env, "GITHUB_TOKEN");
	assert_int_equal(cfg.fk.dora_year, 2021);
	assert_int_equal(cfg.fk.window, 90);
	assert_int_equal(cfg.fk.github_max_wait, 0);
	assert_int_equal(cfg.fk.refresh, -1);
	assert_int_equal(cfg.nsvc, 2);
	assert_string_equal(cfg.svc[0].name, "checkout");
	assert_int_equal(cfg.svc[0].line, 7);
	assert_string_equal(cfg.svc[0].repos,
	    "acme/checkout-api, acme/checkout.web");
	assert_string_equal(cfg.svc[0].deployments, "releases");
	assert_string_equal(cfg.svc[0].lead_time, "pull_requests");
	assert_null(cfg.svc[0].branch);
	/* a query over several lines stays whole */
	assert_string_equal(cfg.svc[1].query,
	    "SELECT 1\nFROM x\nWHERE y = $2");
	config_free(&cfg);

	write_file("[dagtop]\n"
	    "github_token = ghp_x\n"
	    "dora_year = 2019\n"
	    "[service]\n"
	    "repos = a/b\n"
	    "[service \"x\"]\n"
	    "repos = a/b/c\n"
	    "deployments = tags\n"
	    "lead_time = vibes\n"
	    "github_url = ftp://x\n"
	    "database_password = hunter2\n"
	    "colour = blue\n"
	    "[service \"x\"]\n"
	    "repos = a/b\n"
	    "[service \"y\"]\n"
	    "source = sql\n"
	    "[service \"z\"]\n"
	    "environment = production\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	e = buf_str(&cfg.errors);
	assert_non_null(strstr(e, ":2: 'github_token' is not read from the file"));
	assert_null(strstr(e, "ghp_x"));
	assert_non_null(strstr(e, ":3: 'dora_year' must be a DORA report year"));
	assert_non_null(strstr(e, ":4: a [service] section needs a name"));
	assert_non_null(strstr(e, ":7: 'repos' must list repositories"));
	assert_non_null(strstr(e, ":8: 'deployments' must be deployments, "
	    "releases or merges, not 'tags'"));
	assert_non_null(strstr(e, ":9: 'lead_time' must be commits or "
	    "pull_requests"));
	assert_non_null(strstr(e, ":10: 'github_url' must be an http"));
	assert_non_null(strstr(e, ":11: 'database_password' is not read"));
	assert_null(strstr(e, "hunter2"));
	assert_non_null(strstr(e, ":12: unknown key 'colour'"));
	assert_non_null(strstr(e, ":13: service 'x' is already defined at"));
	assert_non_null(strstr(e, "[service \"y\"] with source = sql needs "
	    "'database ='"));
	assert_non_null(strstr(e, "[service \"y\"] with source = sql needs "
	    "one of 'query ='"));
	assert_non_null(strstr(e, ":17: [service \"z\"] needs 'repos = "));
	config_free(&cfg);
}

/* An included file at 0644 that holds a password is named in a warning. */
static void
test_included_file_exposed(void **state)
{
	struct config	 cfg;
	char		 inc[] = "/tmp/dagtop-config-inc.XXXXXX";
	char		 text[256];
	FILE		*fp;
	int		 fd;

	(void)state;
	fd = mkstemp(inc);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("[context p]\n"
	    "database = postgresql://reader:IncPass1@h/db\n", fp);
	fclose(fp);
	chmod(inc, 0644);
	snprintf(text, sizeof text, "include = %s\n", inc);
	write_file(text, 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_non_null(strstr(buf_str(&cfg.warnings), inc));
	assert_non_null(strstr(buf_str(&cfg.warnings), "holds a password and "
	    "is readable by others"));
	assert_null(strstr(buf_str(&cfg.warnings), "IncPass1"));
	config_free(&cfg);

	/* At 0600 it is quiet, and a main file without secrets too. */
	chmod(inc, 0600);
	write_file(text, 0644);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_string_equal(buf_str(&cfg.warnings), "");
	config_free(&cfg);

	/* A password in the airflow_api URL is a secret as well. */
	write_file("[context a]\n"
	    "airflow_api = https://oncall:ApiPass9@airflow.example.com\n", 0640);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_non_null(strstr(buf_str(&cfg.warnings), "holds a password"));
	config_free(&cfg);
	unlink(inc);
}

/* A value that libpq cannot parse never comes back with its password. */
static void
test_errors_without_passwords(void **state)
{
	struct config cfg;

	(void)state;
	write_file("[context a]\n"
	    "database = postgresql://reader:MyDbPass%zz9@127.0.0.1/af2\n"
	    "airflow_api = ftp://u:FtpPass7@host\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":2: 'database' is not "
	    "a valid connection string"));
	assert_null(strstr(buf_str(&cfg.errors), "MyDbPass"));
	assert_null(strstr(buf_str(&cfg.errors), "FtpPass7"));
	assert_non_null(strstr(buf_str(&cfg.errors), "ftp://u:***@host"));
	config_free(&cfg);
}

/* The key names a tagged paragraph's header line of dagtop.conf(5) names. */
static void
header_keys(const char *line, char names[][64], size_t *n, size_t max)
{
	const char	*p = line + 4;	/* past ".BI " or ".BR " */
	bool		 quoted = false;
	char		 word[64];
	size_t		 len = 0;

	for (;; p++) {
		bool end = *p == '\0' || *p == '"' || *p == ' ' || *p == ',';

		if (!end && len < sizeof word - 1 && ((*p >= 'a' && *p <= 'z') ||
		    *p == '_'))
			word[len++] = *p;
		else if (!end)
			len = sizeof word;	/* not a key: \fR, HH:MM, ... */
		if (end) {
			word[len < sizeof word ? len : 0] = '\0';
			/* Outside quotes every word is a key; inside, one
			 * followed by " = " ("owner = TEXT", ", note = TEXT"). */
			if (len > 0 && len < sizeof word && *n < max &&
			    (!quoted || strncmp(p, " = ", 3) == 0))
				strcpy(names[(*n)++], word);
			len = 0;
		}
		if (*p == '"')
			quoted = !quoted;
		if (*p == '\0')
			break;
	}
}

/*
 * dagtop.conf(5) describes every key the parser takes, and no other: each
 * table's names against the headers of the page's tagged paragraphs.
 */
/*
 * composer_environment: its shape is checked, it may not sit beside
 * airflow_api, and it makes airflow_auth default to google.
 */
static void
test_composer(void **state)
{
	struct config		cfg;
	struct settings		s;
	struct cli_options	cli = { NULL, "c", NULL, -1, -1, false };
	struct buf		err = BUF_INIT;

	(void)state;
	assert_true(composer_valid_environment(
	    "projects/p-1/locations/us-central1/environments/prod"));
	assert_false(composer_valid_environment(
	    "projects/p/locations/l/environments/"));
	assert_false(composer_valid_environment(
	    "projects/p/locations/l/environments/e/x"));
	assert_false(composer_valid_environment("projects/p/environments/e"));
	assert_false(composer_valid_environment(
	    "projects/p/locations/l/environments/a b"));
	assert_int_equal(composer_image_major("composer-2.9.7-airflow-2.9.3"),
	    2);
	assert_int_equal(composer_image_major("composer-3-airflow-3.1.0"), 3);
	assert_int_equal(composer_image_major("composer-3"), 0);
	assert_int_equal(composer_image_major(NULL), 0);

	write_file("[context c]\n"
	    "composer_environment = projects/p/locations/l/environments\n"
	    "[context d]\n"
	    "composer_environment = projects/p/locations/l/environments/e\n"
	    "airflow_api = http://x\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":2: [context c] "
	    "'composer_environment' must be projects/PROJECT/locations/REGION/"
	    "environments/NAME, not 'projects/p/locations/l/environments'"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":4: [context d] sets "
	    "both 'composer_environment' and 'airflow_api'"));
	config_free(&cfg);

	write_file("[context c]\n"
	    "composer_environment = projects/p/locations/l/environments/e\n"
	    "google_auth = metadata\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve_no_database(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.airflow_auth, "google");
	assert_string_equal(s.composer_url, "https://composer.googleapis.com");
	assert_true(settings_has_api(&s));
	settings_free(&s);
	config_free(&cfg);
	buf_free(&err);
}

static void
test_man_page_keys(void **state)
{
	FILE		*fp = fopen("man/dagtop.conf.5", "r");
	char		 line[1024], prev[1024] = "", names[400][64];
	size_t		 n = 0, i, k;
	const char	*key;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(prev, ".TP") == 0 && (strncmp(line, ".BI ", 4) == 0 ||
		    strncmp(line, ".BR ", 4) == 0))
			header_keys(line, names, &n, 400);
		snprintf(prev, sizeof prev, "%s", line);
	}
	fclose(fp);
	assert_true(n > 50);
	for (i = 0; (key = config_key_nth(i)) != NULL; i++) {
		for (k = 0; k < n && strcmp(names[k], key) != 0; k++)
			;
		if (k == n)
			fail_msg("key '%s' is not in dagtop.conf(5)", key);
	}
	for (k = 0; k < n; k++) {
		for (i = 0; (key = config_key_nth(i)) != NULL &&
		    strcmp(names[k], key) != 0; i++)
			;
		if (key == NULL)
			fail_msg("dagtop.conf(5) describes '%s', which no "
			    "section takes", names[k]);
	}
}

/*
 * The table of settings: every default reads as the file would write it,
 * the ones other code names as macros agree, every key has a help line,
 * and no key stands twice in a section.
 */
static void
test_table(void **state)
{
	const struct setting_def	*d, *e;
	int				 n;

	(void)state;
	for (d = settings_table; d->name != NULL; d++) {
		if (d->type != T_REFUSED && d->help == NULL)
			fail_msg("'%s' has no help line", d->name);
		for (e = d + 1; e->name != NULL; e++)
			if ((d->sections & e->sections) != 0 &&
			    strcmp(d->name, e->name) == 0)
				fail_msg("'%s' stands twice", d->name);
		if (d->def == NULL || setting_is_string(d))
			continue;
		if (!setting_parse_int(d, d->def, &n))
			fail_msg("'%s' default '%s' does not read", d->name,
			    d->def);
	}
	assert_true(setting_parse_int(setting_find(SEC_CONTEXT,
	    "log_spool_max"), setting_find(SEC_CONTEXT, "log_spool_max")->def,
	    &n));
	assert_int_equal(n, LOG_SPOOL_MAX_DEFAULT);
	assert_true(setting_parse_int(setting_find(SEC_CONTEXT,
	    "serialized_dag_max"), setting_find(SEC_CONTEXT,
	    "serialized_dag_max")->def, &n));
	assert_int_equal(n, SERDAG_MAX_DEFAULT >> 20);
	assert_null(setting_find(SEC_SLA, "database"));
	assert_int_equal(setting_find(SEC_SERVICE, "github_token")->type,
	    T_REFUSED);
}

/*
 * Issue 20: [context-defaults] fills what a context does not set, in any
 * file order, its own value winning; it wins over [dagtop] refresh as a
 * context's own value does; an include can hold it; bad keys say file:line.
 */
static void
test_context_defaults(void **state)
{
	struct config		cfg;
	struct settings		s;
	struct cli_options	cli = { NULL, "b", NULL, -1, -1, false };
	struct buf		err = BUF_INIT;
	char			inc[] = "/tmp/dagtop-config-inc.XXXXXX";
	char			text[512];
	FILE			*fp;
	int			fd;

	(void)state;
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	write_file("[dagtop]\nrefresh = 9\napi_refresh = 40\n"
	    "[context a]\ndatabase = host=a\nstatement_timeout = 7\n"
	    "[context-defaults]\nstatement_timeout = 12\nconnect_timeout = 3\n"
	    "readonly = yes\ntimezone = Europe/Paris\nrefresh = 11\n"
	    "[context b]\ndatabase = host=b\nreadonly = no\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(cfg.nctx, 2);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.database, "host=b");
	assert_int_equal(s.statement_timeout, 12);
	assert_int_equal(s.connect_timeout, 3);
	assert_false(s.readonly);	/* its own, over the defaults' */
	assert_string_equal(s.timezone, "Europe/Paris");
	assert_int_equal(s.refresh, 11);	/* the defaults', over [dagtop] */
	assert_int_equal(s.api_refresh, 40);	/* [dagtop]'s: none set it */
	settings_free(&s);
	cli.context = "a";
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_int_equal(s.statement_timeout, 7);	/* its own, before */
	assert_true(s.readonly);
	settings_free(&s);
	/* Which values came from [context-defaults], for config check. */
	assert_non_null(cfg.ctx[0].inherited);
	assert_false(cfg.ctx[0].inherited[setting_find(SEC_CONTEXT,
	    "statement_timeout") - settings_table]);
	assert_true(cfg.ctx[0].inherited[setting_find(SEC_CONTEXT,
	    "connect_timeout") - settings_table]);
	assert_true(cfg.ctx[0].inherited[setting_find(SEC_CONTEXT,
	    "timezone") - settings_table]);
	assert_false(cfg.ctx[0].inherited[setting_find(SEC_CONTEXT,
	    "database") - settings_table]);
	config_free(&cfg);

	/* In an included file, and a section given twice adds to it. */
	fd = mkstemp(inc);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs("[context-defaults]\nconnect_timeout = 4\n", fp);
	fclose(fp);
	snprintf(text, sizeof text, "include = %s\n[context a]\n"
	    "database = host=a\n[context-defaults]\nstatement_timeout = 5\n",
	    inc);
	write_file(text, 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_int_equal(s.connect_timeout, 4);
	assert_int_equal(s.statement_timeout, 5);
	settings_free(&s);
	config_free(&cfg);
	unlink(inc);

	/* Its errors have file:line; a [dagtop] key is no context key. */
	write_file("[context a]\ndatabase = host=a\n"
	    "[context-defaults]\nrefresh = 1\nweek_start = monday\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":4: 'refresh' = 1 is "
	    "under the minimum refresh"));
	assert_non_null(strstr(buf_str(&cfg.errors), ":5: unknown key "
	    "'week_start' in [context-defaults]"));
	config_free(&cfg);
	buf_free(&err);
}

/* The settings of several contexts, and what makes the list go wrong. */
static void
resolve_err(const char *file_text, struct cli_options *cli, const char *want)
{
	struct config	 cfg;
	struct settings	*v = NULL;
	size_t		 n = 99;
	struct buf	 err = BUF_INIT;

	write_file(file_text, 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve_contexts(&cfg, cli, &v, &n, &err), -1);
	assert_null(v);
	assert_int_equal(n, 0);
	if (strstr(buf_str(&err), want) == NULL)
		fail_msg("'%s' is not in '%s'", want, buf_str(&err));
	config_free(&cfg);
	buf_free(&err);
}

/*
 * Issue 20: --all-contexts, --context a,b, DAGTOP_CONTEXT and [dagtop]
 * contexts = in that order; one name is config_resolve's (n 0); each
 * context resolved as alone, --readonly and --refresh on each.
 */
static void
test_resolve_contexts(void **state)
{
	static const char three[] = "[dagtop]\ncontext = b\n"
	    "contexts = c , a\n"
	    "[context a]\ndatabase = host=a\n"
	    "[context b]\ndatabase = host=b\nrefresh = 8\n"
	    "[context c]\nairflow_api = https://c.example.com\n";
	struct config		cfg;
	struct settings		*v, s;
	struct cli_options	cli = { NULL, NULL, NULL, -1, -1, false };
	struct buf		err = BUF_INIT;
	size_t			n, i;

	(void)state;
	unsetenv("DAGTOP_CONTEXT");
	unsetenv("DAGTOP_DATABASE");
	write_file(three, 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);

	/* contexts = with nothing asked: its order. */
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].context, "c");
	assert_string_equal(v[0].source, "api");
	assert_string_equal(v[1].context, "a");
	assert_string_equal(v[1].database, "host=a");
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	/* ...and a command of one context still takes context =. */
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.context, "b");
	settings_free(&s);

	/* --all-contexts: file order; --readonly and --refresh on each. */
	cli.all_contexts = true;
	cli.readonly = 1;
	cli.refresh = 3;
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		static const char *const names[] = { "a", "b", "c" };

		assert_string_equal(v[i].context, names[i]);
		assert_true(v[i].readonly);
		assert_int_equal(v[i].refresh, 3);
		settings_free(&v[i]);
	}
	free(v);
	/* A command that reads one context refuses --all-contexts. */
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "--all-contexts: this command "
	    "reads one context"));
	settings_free(&s);
	buf_reset(&err);
	cli.all_contexts = false;
	cli.readonly = cli.refresh = -1;

	/* A list on the command line; DAGTOP_CONTEXT's below it. */
	setenv("DAGTOP_CONTEXT", "a,c", 1);
	cli.context = " b,a ";
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].context, "b");
	assert_int_equal(v[0].refresh, 8);
	assert_string_equal(v[1].context, "a");
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	cli.context = NULL;
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].context, "a");
	assert_string_equal(v[1].context, "c");
	for (i = 0; i < n; i++)
		settings_free(&v[i]);
	free(v);
	/* A list cannot be the one context of config_resolve. */
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), -1);
	assert_non_null(strstr(buf_str(&err), "'a,c' names several contexts"));
	settings_free(&s);
	buf_reset(&err);

	/* One name, from anywhere: n 0, config_resolve's as today. */
	setenv("DAGTOP_CONTEXT", "a", 1);
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	unsetenv("DAGTOP_CONTEXT");
	cli.context = "c";
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	/* --database without a list: that one database, as today. */
	cli.context = NULL;
	cli.database = "host=x";
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	cli.database = NULL;
	assert_string_equal(buf_str(&err), "");
	config_free(&cfg);

	/* contexts = naming one is the context in force. */
	write_file("[dagtop]\ncontexts = a\n[context a]\ndatabase = host=a\n"
	    "[context b]\ndatabase = host=b\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), 0);
	assert_int_equal(config_resolve_contexts(&cfg, &cli, &v, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(config_resolve(&cfg, &cli, &s, &err), 0);
	assert_string_equal(s.context, "a");
	settings_free(&s);
	config_free(&cfg);

	/* The errors, one line each. */
	cli.context = "a,nope";
	resolve_err(three, &cli, "--context: no context 'nope' in ");
	cli.context = "a,b,a";
	resolve_err(three, &cli, "--context: context 'a' is named twice");
	cli.context = "a,";
	resolve_err(three, &cli, "--context: an empty name in the list 'a,'");
	cli.context = "a,b";
	cli.database = "host=x";
	resolve_err(three, &cli, "--database names one database; it cannot go "
	    "with --context (2 contexts)");
	cli.context = NULL;
	cli.all_contexts = true;
	resolve_err(three, &cli, "--database names one database; it cannot go "
	    "with --all-contexts (3 contexts)");
	cli.database = NULL;
	cli.context = "a";
	resolve_err(three, &cli, "--all-contexts and --context: choose one");
	cli.context = NULL;
	resolve_err("[dagtop]\nrefresh = 5\n", &cli, "defines no context");
	cli.all_contexts = false;
	setenv("DAGTOP_CONTEXT", "b,zz", 1);
	resolve_err(three, &cli, "DAGTOP_CONTEXT: no context 'zz' in ");
	setenv("DAGTOP_CONTEXT", "a,b", 1);
	setenv("DAGTOP_DATABASE", "host=env", 1);
	resolve_err(three, &cli, "DAGTOP_DATABASE names one database");
	unsetenv("DAGTOP_DATABASE");
	unsetenv("DAGTOP_CONTEXT");
	/* A context that cannot be resolved is named. */
	cli.context = "a,x";
	resolve_err("[context a]\ndatabase = host=a\n[context x]\n"
	    "timezone = UTC\n", &cli, "no database configured: pass --database "
	    "CONNINFO");
	resolve_err("[context a]\ndatabase = host=a\n[context x]\n"
	    "timezone = UTC\n", &cli, " (context x)");
	cli.context = NULL;

	/* contexts = is checked at load, with file:line. */
	write_file("[context a]\ndatabase = host=a\n[dagtop]\n"
	    "contexts = a, b\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":4: 'contexts': no "
	    "context 'b' in "));
	config_free(&cfg);
	write_file("[dagtop]\ncontexts = a, a\n[context a]\n"
	    "database = host=a\n", 0600);
	assert_int_equal(config_load(&cfg, path, zone_ok), -1);
	assert_non_null(strstr(buf_str(&cfg.errors), ":2: 'contexts': context "
	    "'a' is named twice\n"));
	config_free(&cfg);
	buf_free(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_man_page_keys),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_masked),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_contexts_and_precedence),
		cmocka_unit_test(test_source_and_api_refresh),
		cmocka_unit_test(test_errors_with_lines),
		cmocka_unit_test(test_numbers_and_serdag_max),
		cmocka_unit_test(test_slas),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_included_file_exposed),
		cmocka_unit_test(test_errors_without_passwords),
		cmocka_unit_test(test_composer),
		cmocka_unit_test(test_context_defaults),
		cmocka_unit_test(test_resolve_contexts),
	};
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return 1;
	close(fd);
	rc = cmocka_run_group_tests_name("config", tests, NULL, NULL);
	unlink(path);
	return rc;
}
