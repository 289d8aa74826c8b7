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
	free(c->inherited);
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
	if (cfg->ctx_defaults != NULL)
		context_free(cfg->ctx_defaults);
	free(cfg->ctx_defaults);
	free(cfg->contexts_file);
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
 * The context to use: --context, DAGTOP_CONTEXT, [dagtop] contexts = when
 * it names one, [dagtop] context =, or the only one.  A list, or
 * --all-contexts over several, is refused: it is config_resolve_contexts'.
 * 0 with *out (NULL: none), or -1 with the reason in err.
 */
static int
pick_context(const struct config *cfg, const struct cli_options *cli,
    const char *envdb, const struct context **out, struct buf *err)
{
	const char	*want = cli->context, *env = getenv("DAGTOP_CONTEXT");
	size_t		 i;

	*out = NULL;
	if (cli->all_contexts && cfg->nctx > 1) {
		buf_puts(err, "--all-contexts: this command reads one context; "
		    "choose it with --context");
		return -1;
	}
	if (want == NULL && env != NULL && *env != '\0')
		want = env;
	if (want == NULL && cfg->contexts != NULL &&
	    strchr(cfg->contexts, ',') == NULL) {
		/* contexts = naming one: that one, before context =. */
		const struct context **v;

		if (config_context_list(cfg, cfg->contexts, &v, &i, err) != 0)
			return -1;
		*out = v[0];
		free(v);
		return 0;
	}
	if (want == NULL)
		want = cfg->default_context;
	if (want != NULL && strchr(want, ',') != NULL) {
		buf_printf(err, "'%s' names several contexts; this command "
		    "reads one: choose it with --context", want);
		return -1;
	}
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

/*
 * "a" of " a , b": the next name of a list at *p, its length in *len;
 * *more says whether a comma followed (another name, maybe empty, comes).
 */
static const char *
list_next(const char **p, size_t *len, bool *more)
{
	const char	*name;

	*p += strspn(*p, " \t");
	name = *p;
	*len = strcspn(name, ",");
	*p += *len;
	*more = **p == ',';
	if (*more)
		(*p)++;
	while (*len > 0 && (name[*len - 1] == ' ' || name[*len - 1] == '\t'))
		(*len)--;
	return name;
}

int
config_context_list(const struct config *cfg, const char *list,
    const struct context ***out, size_t *n, struct buf *err)
{
	const char	*p = list, *name;
	size_t		 len, i, k;
	bool		 more = true;

	*out = NULL;
	*n = 0;
	while (more) {
		name = list_next(&p, &len, &more);
		for (i = 0; i < cfg->nctx && (strlen(cfg->ctx[i].name) != len ||
		    strncmp(cfg->ctx[i].name, name, len) != 0); i++)
			;
		for (k = 0; len > 0 && i < cfg->nctx && k < *n; k++)
			if ((*out)[k] == &cfg->ctx[i])
				break;
		if (len == 0)
			buf_printf(err, "an empty name in the list '%s'", list);
		else if (i == cfg->nctx)
			buf_printf(err, "no context '%.*s' in %s", (int)len,
			    name, cfg->loaded ? cfg->path :
			    "the configuration (no file)");
		else if (k < *n)
			buf_printf(err, "context '%.*s' is named twice",
			    (int)len, name);
		else {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = &cfg->ctx[i];
			continue;
		}
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/*
 * The list config_resolve_contexts reads, and what it is called in
 * messages; NULL when none is asked (one context, or --database).
 */
static const char *
asked_list(const struct config *cfg, const struct cli_options *cli,
    const char **said)
{
	const char *env = getenv("DAGTOP_CONTEXT");

	if (cli->context != NULL) {
		*said = "--context";
		return cli->context;
	}
	if (env != NULL && *env != '\0') {
		*said = "DAGTOP_CONTEXT";
		return env;
	}
	*said = "[dagtop] contexts";
	if (cli->database != NULL || (getenv("DAGTOP_DATABASE") != NULL &&
	    *getenv("DAGTOP_DATABASE") != '\0'))
		return NULL;	/* one database named: as today */
	return cfg->contexts;
}

int
config_resolve_contexts(const struct config *cfg,
    const struct cli_options *cli, struct settings **out, size_t *n,
    struct buf *err)
{
	const struct context	**v = NULL;
	const char		*list, *said, *envdb = getenv("DAGTOP_DATABASE");
	struct cli_options	 one = *cli;
	struct buf		 why = BUF_INIT;
	size_t			 i, k, nv = 0;

	*out = NULL;
	*n = 0;
	if (cli->all_contexts && cli->context != NULL) {
		buf_puts(err, "--all-contexts and --context: choose one");
		return -1;
	}
	if (cli->all_contexts) {
		said = "--all-contexts";
		if (cfg->nctx == 0) {
			buf_printf(err, "--all-contexts: %s defines no context",
			    cfg->loaded ? cfg->path : "the configuration (no "
			    "file)");
			return -1;
		}
		v = xcalloc(cfg->nctx, sizeof *v);
		for (nv = 0; nv < cfg->nctx; nv++)
			v[nv] = &cfg->ctx[nv];
	} else if ((list = asked_list(cfg, cli, &said)) == NULL ||
	    strchr(list, ',') == NULL)
		return 0;	/* one name: config_resolve's, as today */
	else if (config_context_list(cfg, list, &v, &nv, &why) != 0) {
		buf_printf(err, "%s: %s", said, buf_str(&why));
		buf_free(&why);
		return -1;
	}
	if (nv == 1) {
		free(v);	/* one context: config_resolve's, as today */
		return 0;
	}
	if (cli->database != NULL || (envdb != NULL && *envdb != '\0')) {
		buf_printf(err, "%s names one database; it cannot go with %s "
		    "(%zu contexts)", cli->database != NULL ? "--database" :
		    "DAGTOP_DATABASE", said, nv);
		free(v);
		return -1;
	}
	*out = xcalloc(nv, sizeof **out);
	one.all_contexts = false;
	for (i = 0; i < nv; i++) {
		one.context = v[i]->name;
		if (config_resolve(cfg, &one, &(*out)[i], err) == 0)
			continue;
		buf_printf(err, " (context %s)", v[i]->name);
		for (k = 0; k <= i; k++)
			settings_free(&(*out)[k]);
		free(*out);
		*out = NULL;
		free(v);
		return -1;
	}
	*n = nv;
	free(v);
	return 0;
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
