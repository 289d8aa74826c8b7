/*
 * cmd_config.c: `dagtop config check`, every problem of the configuration
 * file with file:line, then the settings in force, walking the table of
 * settings (config_table.c); and the zone check config_load is given.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "airflow_api.h"
#include "cmd_config.h"
#include "config.h"
#include "dbconn.h"
#include "loop.h"
#include "options.h"
#include "report.h"
#include "sanitize.h"
#include "scheduler.h"
#include "sched_open.h"
#include "secret.h"
#include "sla.h"
#include "tz.h"
#include "zoneinfo.h"

bool
config_zone_ok(const char *name, struct buf *why)
{
	struct tz	*z = zoneinfo_load(name, why);
	bool		 ok = z != NULL;

	tz_free(z);
	return ok;
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
	if (n == 0 || (s->database == NULL && !sched_context_api(s))) {
		free(v);
		return 0;
	}
	/* config check promises not to run the password command. */
	if (!sched_context_api(s) && s->database_password_command != NULL) {
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
		    REPORT_READ_FAILED ? sched_context_api(s) ?
		    "cannot read the Airflow API: " :
		    "cannot read the Airflow database: " : "", buf_str(&masked));
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

/*
 * A setting's value as config check shows it: a password masked (a secret
 * row), a variable named with whether it is set, a command not run.
 */
static void
setting_shown(const struct setting_def *d, const struct settings *s,
    struct buf *out)
{
	const char	*at = (const char *)s + d->carried;
	const char	*v = setting_is_string(d) ? *(char *const *)at : NULL;
	/* A bool is a bool in struct settings: read as int, a misaligned load. */
	int		 n = setting_is_string(d) || d->type == T_BOOL ? 0 :
			    *(const int *)at;

	switch (d->type) {
	case T_ENVNAME:
		buf_printf(out, "$%s (%s)", v, getenv(v) != NULL ? "set" :
		    "NOT SET");
		break;
	case T_COMMAND:
		buf_puts(out, "a command (not run)");
		break;
	case T_BOOL:
		buf_puts(out, *(const bool *)at ? "yes" : "no");
		break;
	case T_SECONDS:
		buf_printf(out, "%ds", n);
		break;
	case T_MIB:
		buf_printf(out, n % 1024 == 0 ? "%dG" : "%dM",
		    n % 1024 == 0 ? n / 1024 : n);
		break;
	case T_NUMBER:
		buf_printf(out, "%d", n);
		break;
	case T_CONNINFO:
		db_conninfo_masked(v, out);
		break;
	default:
		if (d->secret)
			mask_url_userinfo(v, out);
		else
			buf_puts(out, v);
		break;
	}
}

/* Whether a setting has its table default because the context sets none. */
static bool
setting_defaulted(const struct setting_def *d, const struct context *c,
    const struct settings *s)
{
	const char	*at = (const char *)s + d->carried;
	int		 n;

	if (d->def == NULL || (c != NULL && (setting_is_string(d) ?
	    *(char *const *)((const char *)c + d->offset) != NULL :
	    *(const int *)((const char *)c + d->offset) >= 0)))
		return false;
	if (setting_is_string(d))
		return strcmp(*(char *const *)at, d->def) == 0;
	if (!setting_parse_int(d, d->def, &n))
		return false;
	return d->type == T_BOOL ? *(const bool *)at == (n == 1) :
	    *(const int *)at == n;
}

/*
 * The settings in force, walking the table: one line a setting the context
 * carries, "name: value", with where the database came from and which
 * values are the defaults; unset ones are left out.
 */
static void
print_settings(const struct config *cfg, const struct settings *s)
{
	const struct setting_def	*d;
	const struct context		*c = NULL;
	struct buf			 b = BUF_INIT, label = BUF_INIT;
	size_t				 i;

	for (i = 0; s->context != NULL && i < cfg->nctx; i++)
		if (strcmp(cfg->ctx[i].name, s->context) == 0)
			c = &cfg->ctx[i];
	printf("context:     %s\n", s->context != NULL ? s->context :
	    "(none: command line or environment)");
	for (d = settings_table; d->name != NULL; d++) {
		if ((d->sections & SEC_CONTEXT) == 0 ||
		    d->carried == SETTING_NONE || (setting_is_string(d) ?
		    *(char *const *)((const char *)s + d->carried) == NULL :
		    d->type != T_BOOL &&
		    *(const int *)((const char *)s + d->carried) < 0))
			continue;
		buf_reset(&b);
		buf_reset(&label);
		buf_printf(&label, "%s:", d->name);
		setting_shown(d, s, &b);
		printf("%-12s %s", buf_str(&label), buf_str(&b));
		if (d->carried == offsetof(struct settings, database))
			printf("  (from %s)", s->database_source);
		else if (setting_defaulted(d, c, s))
			printf("  (default)");
		else if (c != NULL && c->inherited != NULL &&
		    c->inherited[d - settings_table])
			printf("  (context-defaults)");
		putchar('\n');
	}
	buf_free(&b);
	buf_free(&label);
}

/* What the API client and the BigQuery source will do, in a line or two. */
static void
print_summaries(const struct settings *s)
{
	printf("auth:        %s", s->airflow_auth);
	if (s->airflow_user != NULL)
		printf(" (user %s)", s->airflow_user);
	printf(", timeout %ds\n", s->airflow_timeout);
	if (s->bigquery_project == NULL)
		return;
	printf("bigquery:    project %s, %s, admin %s, auth %s, every %ds, "
	    "%dh\n", s->bigquery_project, s->bigquery_location,
	    s->bigquery_admin_project, s->google_auth, s->bigquery_refresh,
	    s->bigquery_hours);
	if (s->google_key_file != NULL)
		printf("             key file %s\n", s->google_key_file);
	printf("             reservation %s, jobs of the %s\n",
	    s->bigquery_reservation != NULL ? s->bigquery_reservation :
	    "(every one used)", s->bigquery_org_view ? "organization" :
	    "project");
}

/* The contexts' time zones, which only a zone database can judge. */
static int
check_zones(const struct config *cfg)
{
	struct buf	 why = BUF_INIT;
	size_t		 i;
	int		 bad = 0;

	for (i = 0; i < cfg->nctx; i++) {
		buf_reset(&why);
		if (cfg->ctx[i].timezone == NULL ||
		    config_zone_ok(cfg->ctx[i].timezone, &why))
			continue;
		fprintf(stderr, "%s: [context %s]: %s\n", cfg->ctx[i].file,
		    cfg->ctx[i].name, buf_str(&why));
		bad = 1;
	}
	buf_free(&why);
	return bad;
}

/* --- config check --connect ---------------------------------------------- */

/* One GET of --connect and its answer. */
struct probe {
	bool		 done;
	long		 status;	/* 0: no answer */
	struct buf	 body;
	struct buf	 err;		/* why it failed, unsanitised */
};

static void
probe_done(struct api_call *c, const struct http_response *r, void *arg)
{
	struct probe *p = arg;

	(void)c;
	p->done = true;
	p->status = r->status;
	buf_append(&p->body, r->body.data != NULL ? r->body.data : "",
	    r->body.len);
	if (r->status == 0 && r->error == HTTP_ERR_OTHER &&
	    r->error_text != NULL && *r->error_text != '\0')
		buf_puts(&p->err, r->error_text);	/* the lookup's, the token's */
	else if (r->status / 100 != 2)
		airflow_api_error(r, &p->err);
}

/* GET path and wait for the answer (the Composer lookup, the token). */
static void
probe_get(struct loop *loop, struct airflow_api *api, const char *path,
    struct probe *p)
{
	buf_reset(&p->body);
	buf_reset(&p->err);
	p->done = false;
	p->status = 0;
	airflow_api_get(api, path, NULL, NULL, probe_done, p);
	while (!p->done)
		loop_run_once(loop);
}

/* Appends server text to out, sanitised: it reaches a terminal. */
static void
probe_said(struct buf *out, const char *s)
{
	sanitize_append(out, s, strlen(s), 0);
}

/*
 * The Airflow version the API reports: GET /version on the context's
 * client, trying the other API version when the first is not there (the
 * version is known only from a database or a Composer image).  Returns
 * the client that answered, or NULL with why in p->err.
 */
static struct airflow_api *
probe_version(struct loop *loop, struct http *http, const struct settings *s,
    struct probe *p, struct buf *version)
{
	struct airflow_api_opts	 ao;
	struct airflow_api	*api = NULL;
	json_t			*doc;
	int			 major = 0;

	for (int tries = 0; tries < 2; tries++) {
		airflow_api_free(api);
		api = airflow_api_new(loop, http, options_airflow_api(s, &ao),
		    major, &p->err);
		if (api == NULL)
			return NULL;
		probe_get(loop, api, "/version", p);
		if (p->status != 404)
			break;
		major = airflow_api_major(api) == 3 ? 2 : 3;
	}
	if (p->status / 100 != 2) {
		airflow_api_free(api);
		return NULL;
	}
	doc = json_loadb(buf_str(&p->body), p->body.len, 0, NULL);
	if (json_is_string(json_object_get(doc, "version")))
		probe_said(version, json_string_value(json_object_get(doc,
		    "version")));
	else
		buf_puts(version, "(not reported)");
	json_decref(doc);
	return api;
}

/*
 * config check --connect: reaches the context's Airflow API as the console
 * would (Composer's lookup, the token) and says the URL, the version and
 * whether the token is accepted, with the IAM roles Composer needs when it
 * is not.  0 when all went well, 1 otherwise.
 */
static int
connect_check(const struct settings *s)
{
	struct loop		*loop = loop_new();
	struct http_opts	 ho;
	struct http		*http;
	struct airflow_api	*api;
	struct probe		 p;
	struct buf		 out = BUF_INIT, version = BUF_INIT;
	int			 bad = 0;

	memset(&ho, 0, sizeof ho);
	ho.insecure = !s->airflow_tls_verify;
	ho.ca_file = s->airflow_ca_file;
	http = http_new(loop, &ho);
	memset(&p, 0, sizeof p);
	if (s->composer_environment != NULL)
		printf("connect:     Composer environment %s (%s)\n",
		    s->composer_environment, s->composer_url);
	api = probe_version(loop, http, s, &p, &version);
	if (api == NULL) {
		probe_said(&out, buf_str(&p.err));
		printf("connect:     FAILED: %s\n", buf_str(&out));
		bad = 1;
		goto out;
	}
	printf("connect:     %s\n", airflow_api_url(api));
	printf("airflow:     %s (API v%d)\n", buf_str(&version),
	    airflow_api_major(api) == 3 ? 2 : 1);
	probe_get(loop, api, "/dags?limit=1", &p);
	if (p.status / 100 == 2)
		printf("token:       accepted (airflow_auth = %s)\n",
		    s->airflow_auth);
	else {
		probe_said(&out, buf_str(&p.err));
		printf("token:       %s (airflow_auth = %s): %s\n",
		    p.status == 401 ? "REFUSED" : p.status == 403 ?
		    "accepted, but not allowed to read DAGs" : "not checked",
		    s->airflow_auth, buf_str(&out));
		if (s->composer_environment != NULL &&
		    (p.status == 401 || p.status == 403))
			printf("             Composer needs roles/composer.user "
			    "on the project and an Airflow role: Viewer reads, "
			    "User or Op clears (dagtop(1), config check)\n");
		bad = 1;
	}
	airflow_api_free(api);
out:
	http_free(http);
	loop_free(loop);
	buf_free(&p.body);
	buf_free(&p.err);
	buf_free(&out);
	buf_free(&version);
	return bad;
}

/*
 * The settings config check shows: a context with an Airflow API but no
 * database is complete (source = api); any other is resolved as the
 * console would, database required.
 */
static int
check_resolve(const struct config *cfg, const struct cli_options *cli,
    struct settings *s, struct buf *err)
{
	if (config_resolve_no_database(cfg, cli, s, err) != 0)
		return -1;
	if (s->database != NULL || settings_has_api(s))
		return 0;
	settings_free(s);
	return config_resolve(cfg, cli, s, err);
}

/* --- several contexts ------------------------------------------------ */

/* One context's reach: its source opened (schema or API found), one read. */
struct reach {
	struct report_read	*rd;
	struct af_health	 health;
};

static void
reach_start(void *arg)
{
	struct reach *r = arg;

	sched_fetch_health(r->rd->db, &r->health, report_read_last, r->rd);
}

/*
 * config check --connect over several contexts: each reached through its
 * own source (the database: connected and its schema detected; the API:
 * its version and a read with the token), all at once in one loop, so one
 * that stalls fails on its own time limit and delays none of the others.
 * A line each, "connect:     NAME: OK, Airflow ..." or "NAME: FAILED:
 * why"; returns 1 when any is out of reach.
 */
static int
connect_contexts(struct settings *v, size_t n)
{
	struct report_reads	  g;
	struct reach		 *r = xcalloc(n, sizeof *r);
	const struct settings	**s = xcalloc(n, sizeof *s);
	void			**jobs = xcalloc(n, sizeof *jobs);
	enum report_read_result	 *res = xcalloc(n, sizeof *res);
	struct buf		  b = BUF_INIT, said = BUF_INIT;
	size_t			  i;
	int			  bad = 0;

	report_reads_init(&g, n);
	for (i = 0; i < n; i++) {
		r[i].rd = &g.r[i];
		s[i] = &v[i];
		jobs[i] = &r[i];
	}
	report_reads_run(&g, s, reach_start, jobs, res);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_reset(&said);
		if (res[i] == REPORT_READ_DONE) {
			sched_describe(g.r[i].db, &b);
			probe_said(&said, buf_str(&b));
			printf("connect:     %s: OK, %s (%s)\n", v[i].context,
			    buf_str(&said), g.r[i].db->ops->kind);
		} else {
			scrub_secrets(buf_str(&g.r[i].error), v[i].database, &b);
			probe_said(&said, buf_str(&b));
			printf("connect:     %s: FAILED: %s%s\n", v[i].context,
			    res[i] == REPORT_READ_BAD_SETTINGS ? "" :
			    sched_context_api(&v[i]) ? "cannot read the Airflow "
			    "API: " : "cannot read the Airflow database: ",
			    buf_str(&said));
			bad = 1;
		}
		af_health_clear(&r[i].health);
	}
	report_reads_close(&g);
	buf_free(&b);
	buf_free(&said);
	free(r);
	free(s);
	free(jobs);
	free(res);
	return bad;
}

/*
 * config check over several contexts (config_resolve_contexts): the
 * settings in force of each, as for one, then with connect each one's
 * reach.  Returns 1 when one is out of reach.
 */
static int
check_contexts(const struct config *cfg, struct settings *v, size_t n,
    bool connect)
{
	size_t i;

	printf("contexts:    %zu:", n);
	for (i = 0; i < n; i++)
		printf("%s %s", i > 0 ? "," : "", v[i].context);
	putchar('\n');
	for (i = 0; i < n; i++) {
		putchar('\n');
		print_settings(cfg, &v[i]);
		print_summaries(&v[i]);
		print_slas(cfg, &v[i]);
	}
	putchar('\n');
	print_services(cfg);
	return connect ? connect_contexts(v, n) : 0;
}

int
cmd_config_check(const struct cli_options *cli, bool connect)
{
	struct config	 cfg;
	struct settings	 s, *many = NULL;
	struct buf	 err = BUF_INIT, masked = BUF_INIT;
	size_t		 nmany = 0;
	int		 bad = 0;

	bad = config_load(&cfg, cli->config, config_zone_ok) != 0;
	if (cfg.loaded)
		printf("config file: %s\n", cfg.path);
	else if (cfg.errors.len == 0)
		printf("config file: %s (absent; using the command line and "
		    "environment)\n", cfg.path);
	fputs(buf_str(&cfg.warnings), stderr);
	fputs(buf_str(&cfg.errors), stderr);
	bad |= check_zones(&cfg);
	if ((cfg.loaded || cfg.errors.len == 0) &&
	    config_resolve_contexts(&cfg, cli, &many, &nmany, &err) != 0) {
		scrub_secrets(buf_str(&err), NULL, &masked);
		fprintf(stderr, "dagtop: %s\n", buf_str(&masked));
		bad = 1;
	} else if (nmany > 0) {
		bad |= check_contexts(&cfg, many, nmany, connect);
		for (size_t i = 0; i < nmany; i++)
			settings_free(&many[i]);
		free(many);
	} else if (cfg.loaded || cfg.errors.len == 0) {
		if (check_resolve(&cfg, cli, &s, &err) != 0) {
			scrub_secrets(buf_str(&err), NULL, &masked);
			fprintf(stderr, "dagtop: %s\n", buf_str(&masked));
			bad = 1;
		} else {
			print_settings(&cfg, &s);
			print_summaries(&s);
			print_slas(&cfg, &s);
			check_sla_dags(&cfg, &s);
			print_services(&cfg);
			if (connect)
				bad |= connect_check(&s);
		}
		settings_free(&s);
	}
	printf("%s\n", bad ? "configuration has errors" : "configuration OK");
	buf_free(&err);
	buf_free(&masked);
	config_free(&cfg);
	return bad ? 1 : 0;
}
