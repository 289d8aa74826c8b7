/*
 * settings.c: the settings in force (config.h, struct settings): the
 * context's values over the table's defaults, the environment and the
 * command line over both; and freeing, by the same table.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "secret.h"
#include "slots.h"

/* The char * at a row's offset into base. */
static char **
string_at(void *base, size_t offset)
{
	return (char **)((char *)base + offset);
}

/* Frees every string a section's rows keep in base. */
static void
section_free(unsigned section, void *base)
{
	const struct setting_def *d;

	for (d = settings_table; d->name != NULL; d++)
		if ((d->sections & section) != 0 && setting_is_string(d) &&
		    d->offset != SETTING_NONE)
			free(*string_at(base, d->offset));
}

static void
context_free(struct context *c)
{
	section_free(SEC_CONTEXT, c);
	free(c->name);
	free(c->file);
}

static void
service_free(struct fk_service *d)
{
	section_free(SEC_SERVICE, d);
	free(d->name);
	free(d->file);
}

void
config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nctx; i++)
		context_free(&cfg->ctx[i]);
	free(cfg->ctx);
	for (i = 0; i < cfg->nsla; i++)
		sla_def_free(&cfg->sla[i]);
	free(cfg->sla);
	for (i = 0; i < cfg->nsvc; i++)
		service_free(&cfg->svc[i]);
	free(cfg->svc);
	section_free(SEC_DAGTOP, cfg);
	free(cfg->path);
	buf_free(&cfg->errors);
	buf_free(&cfg->warnings);
	memset(cfg, 0, sizeof *cfg);
}

/*
 * The context's values carried over into s (c NULL: none): strings
 * copied, ints as they are (-1 unset), flags with their default.
 */
static void
carry_context(const struct context *c, struct settings *s)
{
	const struct setting_def	*d;
	int				 v;

	for (d = settings_table; d->name != NULL; d++) {
		if ((d->sections & SEC_CONTEXT) == 0 ||
		    d->carried == SETTING_NONE)
			continue;
		if (setting_is_string(d)) {
			*string_at(s, d->carried) = c == NULL ? NULL :
			    dup_or_null(*string_at((void *)c, d->offset));
			continue;
		}
		v = c == NULL ? -1 : *(const int *)((const char *)c + d->offset);
		if (d->type != T_BOOL)
			*(int *)((char *)s + d->carried) = v;
		else if (v >= 0 || setting_parse_int(d, d->def, &v))
			*(bool *)((char *)s + d->carried) = v == 1;
	}
}

/* The table's defaults where s has nothing yet. */
static void
fill_defaults(struct settings *s)
{
	const struct setting_def	*d;
	char				**sp;
	int				 *ip;

	for (d = settings_table; d->name != NULL; d++) {
		if ((d->sections & SEC_CONTEXT) == 0 || d->def == NULL ||
		    d->carried == SETTING_NONE || d->type == T_BOOL)
			continue;
		sp = string_at(s, d->carried);
		ip = (int *)((char *)s + d->carried);
		if (setting_is_string(d) && *sp == NULL)
			*sp = xstrdup(d->def);
		else if (!setting_is_string(d) && *ip < 0)
			setting_parse_int(d, d->def, ip);
	}
}

/*
 * BigQuery's defaults that depend on other values: the project from
 * GOOGLE_CLOUD_PROJECT, the admin project from the reservation or the
 * project, the auth method from what is configured.
 */
static void
bigquery_defaults(const struct context *c, struct settings *s)
{
	const char *p = getenv("GOOGLE_CLOUD_PROJECT");

	s->bigquery_org_view = c != NULL && c->bigquery_jobs_view != NULL &&
	    strcmp(c->bigquery_jobs_view, "organization") == 0;
	if (p == NULL || *p == '\0')
		p = getenv("GCLOUD_PROJECT");
	if (s->bigquery_project == NULL && p != NULL && bq_valid_project(p))
		s->bigquery_project = xstrdup(p);
	/* A named reservation says which admin project holds it. */
	if (s->bigquery_reservation != NULL) {
		free(s->bigquery_admin_project);
		s->bigquery_admin_project = xstrndup(s->bigquery_reservation,
		    (size_t)(strrchr(s->bigquery_reservation, ':') -
		    s->bigquery_reservation));
	}
	if (s->bigquery_admin_project == NULL && s->bigquery_project != NULL)
		s->bigquery_admin_project = xstrdup(s->bigquery_project);
	if (s->google_auth == NULL)
		s->google_auth = xstrdup(s->google_token_command != NULL ?
		    "command" : s->google_key_file != NULL ? "service-account" :
		    "adc");
}

/*
 * The context to use: --context, DAGTOP_CONTEXT, [dagtop] context =, or
 * the only one.  0 with *out (NULL: none), or -1 with the reason in err.
 */
static int
pick_context(const struct config *cfg, const struct cli_options *cli,
    const char *envdb, const struct context **out, struct buf *err)
{
	const char	*want = cli->context, *env = getenv("DAGTOP_CONTEXT");
	size_t		 i;

	*out = NULL;
	if (want == NULL && env != NULL && *env != '\0')
		want = env;
	if (want == NULL)
		want = cfg->default_context;
	if (want != NULL) {
		for (i = 0; i < cfg->nctx; i++)
			if (strcmp(cfg->ctx[i].name, want) == 0)
				*out = &cfg->ctx[i];
		if (*out != NULL)
			return 0;
		buf_printf(err, "no context '%s' in %s", want,
		    cfg->loaded ? cfg->path : "the configuration (no file)");
		if (cfg->nctx > 0) {
			buf_puts(err, " (it has:");
			for (i = 0; i < cfg->nctx; i++)
				buf_printf(err, " %s", cfg->ctx[i].name);
			buf_putc(err, ')');
		}
		return -1;
	}
	if (cfg->nctx == 1)
		*out = &cfg->ctx[0];
	else if (cfg->nctx > 1 && cli->database == NULL &&
	    (envdb == NULL || *envdb == '\0')) {
		buf_printf(err, "%s has %zu contexts; choose one with --context "
		    "or [dagtop] context =", cfg->path, cfg->nctx);
		return -1;
	}
	return 0;
}

/* The database and where it came from: --database, the environment, file. */
static void
pick_database(const struct context *c, const struct cli_options *cli,
    const char *envdb, struct settings *s)
{
	struct buf b = BUF_INIT;

	if (cli->database != NULL) {
		free(s->database);
		s->database = xstrdup(cli->database);
		s->database_source = xstrdup("--database");
	} else if (envdb != NULL && *envdb != '\0') {
		free(s->database);
		s->database = xstrdup(envdb);
		s->database_source = xstrdup("DAGTOP_DATABASE");
	} else if (c != NULL && c->database != NULL) {
		buf_printf(&b, "%s [context %s]", c->file, c->name);
		s->database_source = buf_detach(&b);
	}
}

static int
resolve(const struct config *cfg, const struct cli_options *cli,
    struct settings *s, struct buf *err, bool need_database)
{
	const struct context	*c;
	const char		*envdb = getenv("DAGTOP_DATABASE");

	memset(s, 0, sizeof *s);
	if (pick_context(cfg, cli, envdb, &c, err) != 0)
		return -1;
	carry_context(c, s);
	if (c != NULL) {
		s->context = xstrdup(c->name);
		s->airflow_api_shown = mask_url_dup(c->airflow_api);
	}
	bigquery_defaults(c, s);
	if (s->airflow_auth == NULL)
		s->airflow_auth = xstrdup(s->composer_environment != NULL ?
		    "google" : s->mwaa_environment != NULL ? "aws-sigv4" :
		    "none");
	pick_database(c, cli, envdb, s);
	if (s->refresh < 0)
		s->refresh = cfg->refresh;
	if (s->api_refresh < 0)
		s->api_refresh = cfg->api_refresh;
	if (cli->readonly == 1)
		s->readonly = true;
	/* --refresh is the interval in force, whichever the source. */
	if (cli->refresh > 0)
		s->refresh = s->api_refresh = cli->refresh;
	fill_defaults(s);
	if (s->source == NULL)
		s->source = xstrdup(s->database == NULL &&
		    settings_has_api(s) ? "api" : "database");
	if (strcmp(s->source, "api") == 0) {
		/* The REST API instead of a database: it must be there. */
		if (!settings_has_api(s)) {
			buf_printf(err, "source = api needs 'airflow_api =', "
			    "'composer_environment =' or 'mwaa_environment =' "
			    "in the context (see dagtop.conf(5))");
			return -1;
		}
		return 0;
	}
	if (s->database == NULL && need_database) {
		buf_printf(err, "no database configured: pass --database "
		    "CONNINFO, set DAGTOP_DATABASE, or add 'database =' to a "
		    "context in %s (see dagtop.conf(5))", cfg->path);
		return -1;
	}
	return 0;
}

int
config_resolve(const struct config *cfg, const struct cli_options *cli,
    struct settings *s, struct buf *err)
{
	return resolve(cfg, cli, s, err, true);
}

int
config_resolve_no_database(const struct config *cfg,
    const struct cli_options *cli, struct settings *s, struct buf *err)
{
	return resolve(cfg, cli, s, err, false);
}

bool
settings_has_api(const struct settings *s)
{
	return (s->airflow_api != NULL && *s->airflow_api != '\0') ||
	    s->composer_environment != NULL || s->mwaa_environment != NULL;
}

int
settings_refresh(const struct settings *s)
{
	if (s->source != NULL && strcmp(s->source, "api") == 0)
		return s->api_refresh;
	return s->refresh;
}

void
settings_free(struct settings *s)
{
	const struct setting_def *d;

	for (d = settings_table; d->name != NULL; d++)
		if ((d->sections & SEC_CONTEXT) != 0 && setting_is_string(d) &&
		    d->carried != SETTING_NONE)
			free(*string_at(s, d->carried));
	free(s->context);
	free(s->database_source);
	free(s->airflow_api_shown);
	memset(s, 0, sizeof *s);
}
