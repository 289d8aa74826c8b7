/* config.c: configuration file, contexts and effective settings. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>
#include <libpq-fe.h>

#include "config.h"
#include "dbconn.h"
#include "fourkeys.h"
#include "number.h"
#include "secret.h"
#include "serdag.h"
#include "sla.h"
#include "xdg.h"
#include "zoneinfo.h"

#define INCLUDE_DEPTH_MAX 8
#include "slots.h"

enum key_type { K_STRING, K_ENVNAME, K_COMMAND, K_BOOL, K_SECONDS, K_AUTH,
	K_URL, K_CONNINFO, K_PATH, K_NUMBER, K_GAUTH, K_PROJECT, K_REGION,
	K_FKSOURCE, K_FKDEPLOY, K_FKLEAD, K_REPOS, K_YEAR, K_MIB, K_RESERVATION,
	K_JOBSVIEW };

struct key {
	const char	*name;
	enum key_type	 type;
	size_t		 offset;
	int		 min, max;	/* K_SECONDS, K_NUMBER, K_MIB */
};

#define CTX(f) offsetof(struct context, f)

/* Every key a [context NAME] section may hold. */
static const struct key context_keys[] = {
	{ "database", K_CONNINFO, CTX(database), 0, 0 },
	{ "database_password_env", K_ENVNAME, CTX(database_password_env), 0, 0 },
	{ "database_password_command", K_COMMAND, CTX(database_password_command), 0, 0 },
	{ "airflow_api", K_URL, CTX(airflow_api), 0, 0 },
	{ "airflow_auth", K_AUTH, CTX(airflow_auth), 0, 0 },
	{ "airflow_user", K_STRING, CTX(airflow_user), 0, 0 },
	{ "airflow_password_env", K_ENVNAME, CTX(airflow_password_env), 0, 0 },
	{ "airflow_token_env", K_ENVNAME, CTX(airflow_token_env), 0, 0 },
	{ "airflow_token_command", K_COMMAND, CTX(airflow_token_command), 0, 0 },
	{ "airflow_tls_verify", K_BOOL, CTX(airflow_tls_verify), 0, 0 },
	{ "airflow_ca_file", K_PATH, CTX(airflow_ca_file), 0, 0 },
	{ "airflow_timeout", K_SECONDS, CTX(airflow_timeout), 1, 3600 },
	{ "log_folder", K_PATH, CTX(log_folder), 0, 0 },
	{ "log_spool_max", K_MIB, CTX(log_spool_max), 1, 1 << 20 },
	{ "timezone", K_STRING, CTX(timezone), 0, 0 },
	{ "readonly", K_BOOL, CTX(readonly), 0, 0 },
	{ "statement_timeout", K_SECONDS, CTX(statement_timeout), 1, 3600 },
	{ "connect_timeout", K_SECONDS, CTX(connect_timeout), 1, 300 },
	{ "scheduler_health_threshold", K_SECONDS, CTX(scheduler_threshold), 1, 86400 },
	{ "refresh", K_SECONDS, CTX(refresh), 1, 3600 },
	{ "serialized_dag_max", K_NUMBER, CTX(serialized_dag_max), 1, 1024 },
	/* BigQuery slots and Google auth. */
	{ "bigquery_project", K_PROJECT, CTX(bigquery_project), 0, 0 },
	{ "bigquery_location", K_REGION, CTX(bigquery_location), 0, 0 },
	{ "bigquery_admin_project", K_PROJECT, CTX(bigquery_admin_project), 0, 0 },
	{ "bigquery_url", K_URL, CTX(bigquery_url), 0, 0 },
	{ "bigquery_refresh", K_SECONDS, CTX(bigquery_refresh), 10, 86400 },
	{ "bigquery_hours", K_NUMBER, CTX(bigquery_hours), 1, 720 },
	{ "bigquery_capacity", K_NUMBER, CTX(bigquery_capacity), 0, 10000000 },
	{ "bigquery_reservation", K_RESERVATION, CTX(bigquery_reservation), 0, 0 },
	{ "bigquery_jobs_view", K_JOBSVIEW, CTX(bigquery_jobs_view), 0, 0 },
	{ "google_auth", K_GAUTH, CTX(google_auth), 0, 0 },
	{ "google_token_command", K_COMMAND, CTX(google_token_command), 0, 0 },
	{ "google_key_file", K_PATH, CTX(google_key_file), 0, 0 },
	{ "google_token_url", K_URL, CTX(google_token_url), 0, 0 },
	{ "google_metadata_url", K_URL, CTX(google_metadata_url), 0, 0 },
	{ NULL, K_STRING, 0, 0, 0 }
};

#define SVC(f) offsetof(struct fk_service, f)

/* Every key a [service "NAME"] section may hold. */
static const struct key service_keys[] = {
	{ "source", K_FKSOURCE, SVC(source), 0, 0 },
	{ "repos", K_REPOS, SVC(repos), 0, 0 },
	{ "environment", K_STRING, SVC(environment), 0, 0 },
	{ "deployments", K_FKDEPLOY, SVC(deployments), 0, 0 },
	{ "branch", K_STRING, SVC(branch), 0, 0 },
	{ "lead_time", K_FKLEAD, SVC(lead_time), 0, 0 },
	{ "incident_label", K_STRING, SVC(incident_label), 0, 0 },
	{ "incident_repos", K_REPOS, SVC(incident_repos), 0, 0 },
	{ "github_url", K_URL, SVC(github_url), 0, 0 },
	{ "github_token_env", K_ENVNAME, SVC(github_token_env), 0, 0 },
	{ "github_token_command", K_COMMAND, SVC(github_token_command), 0, 0 },
	{ "database", K_CONNINFO, SVC(database), 0, 0 },
	{ "database_password_env", K_ENVNAME, SVC(database_password_env), 0, 0 },
	{ "database_password_command", K_COMMAND, SVC(database_password_command), 0, 0 },
	{ "query", K_STRING, SVC(query), 0, 0 },
	{ "query_file", K_PATH, SVC(query_file), 0, 0 },
	{ NULL, K_STRING, 0, 0, 0 }
};

#define FKC(f) offsetof(struct config, fk) + offsetof(struct fk_config, f)

/* The Four Keys' keys of the [dagtop] section. */
static const struct key fourkeys_keys[] = {
	{ "github_url", K_URL, FKC(github_url), 0, 0 },
	{ "github_token_env", K_ENVNAME, FKC(github_token_env), 0, 0 },
	{ "github_token_command", K_COMMAND, FKC(github_token_command), 0, 0 },
	{ "github_ca_file", K_PATH, FKC(github_ca_file), 0, 0 },
	{ "github_tls_verify", K_BOOL, FKC(github_tls_verify), 0, 0 },
	{ "github_timeout", K_SECONDS, FKC(github_timeout), 1, 3600 },
	{ "github_max_wait", K_SECONDS, FKC(github_max_wait), 0, 86400 },
	{ "dora_year", K_YEAR, FKC(dora_year), 0, 0 },
	{ "fourkeys_window", K_NUMBER, FKC(window), 1, 366 },
	{ "fourkeys_refresh", K_SECONDS, FKC(refresh), 60, 86400 },
	{ NULL, K_STRING, 0, 0, 0 }
};

/* Keys that would put a secret in the file: refused with a pointer. */
static const struct {
	const char *name, *instead;
} secret_keys[] = {
	{ "database_password", "database_password_env or database_password_command" },
	{ "airflow_password", "airflow_password_env" },
	{ "airflow_token", "airflow_token_env or airflow_token_command" },
	{ "google_token", "google_token_command, google_key_file or google_auth = adc" },
	{ "google_private_key", "google_key_file" },
	{ "github_token", "github_token_env or github_token_command" },
	{ NULL, NULL }
};

struct parse_state {
	struct config	*cfg;
	const char	*file;
	FILE		*fp;
	int		 line;		/* line last read by the reader */
	int		 section_line;	/* line of the last [section] header */
	struct context	*cur;		/* NULL outside a context section */
	struct sla_def	*cur_sla;	/* NULL outside an sla section */
	struct fk_service *cur_svc;	/* NULL outside a service section */
	bool		 in_dagtop;	/* inside [dagtop] */
	bool		 bad_section;	/* inside a section already reported */
	int		 bad_line;	/* the header of that section */
	int		 depth;		/* include depth, 0 for the main file */
	struct parse_state *parent;	/* the including file's state */
	char		*real;		/* realpath of the file, for cycles */
	const char	*value;		/* the value being read: kept out of
					   messages when it holds a password */
	bool		 holds_secret;	/* this file (not its includes) */
};

static int	parse_file(struct config *, const char *, struct parse_state *,
		    int line);

static void config_error(struct parse_state *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Records "file:line: message" for the line being parsed. */
static void
config_error(struct parse_state *ps, const char *fmt, ...)
{
	va_list		ap;
	struct buf	msg = BUF_INIT;

	buf_printf(&ps->cfg->errors, "%s:%d: ", ps->file, ps->line);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	/* libpq's messages and ours may quote a password of the value. */
	scrub_secrets(buf_str(&msg), ps->value, &ps->cfg->errors);
	buf_free(&msg);
	buf_putc(&ps->cfg->errors, '\n');
}

/* A value with a password in it (URL userinfo, password=): a secret. */
static bool
value_has_secret(const char *v)
{
	char	*m = scrub_dup(v, v);
	bool	 differs = strcmp(m, v) != 0;

	free(m);
	return differs;
}

/* inih's reader: fgets that counts lines, so the handler knows where it is. */
static char *
counting_reader(char *str, int num, void *stream)
{
	struct parse_state *ps = stream;
	char *s = fgets(str, num, ps->fp);

	if (s != NULL) {
		ps->line++;
		if (s[strspn(s, " \t")] == '[')
			ps->section_line = ps->line;
	}
	return s;
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

static bool
parse_int(const char *v, int min, int max, int *out)
{
	return parse_int_range(v, min, max, out) == 0;
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

/* A password inside a conninfo or URL: the file then holds a secret. */
static bool
conninfo_has_password(const char *v)
{
	PQconninfoOption	*opts, *o;
	char			*err = NULL;
	bool			 found = false;

	opts = PQconninfoParse(v, &err);
	if (opts == NULL) {
		PQfreemem(err);
		return false;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			found = true;
	PQconninfoFree(opts);
	return found;
}

static bool
valid_env_name(const char *v)
{
	const char *p;

	if (*v == '\0' || (*v >= '0' && *v <= '9'))
		return false;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Whether v is one of the space-separated words of list. */
static bool
one_of(const char *v, const char *list)
{
	size_t n = strlen(v);
	const char *p = list;

	while (*p != '\0') {
		size_t m = strcspn(p, " ");

		if (m == n && n > 0 && strncmp(p, v, n) == 0)
			return true;
		p += m;
		p += strspn(p, " ");
	}
	return false;
}

/* "owner/name, owner/name": GitHub's characters, one slash each. */
static bool
valid_repos(const char *v)
{
	int	 slashes = 0, chars = 0, items = 0;

	for (;; v++) {
		if (*v == ',' || *v == '\0') {
			if (slashes != 1 || chars == 0)
				return false;
			items++;
			slashes = chars = 0;
			if (*v == '\0')
				return items > 0;
		} else if (*v == '/') {
			if (chars == 0 || slashes > 0)
				return false;
			slashes++;
			chars = 0;	/* the name after the slash counts now */
		} else if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' ||
		    *v == '.')
			chars++;
		else if (*v != ' ' && *v != '\t')
			return false;
	}
}

static void
set_key(struct parse_state *ps, void *base, const struct key *k,
    const char *value)
{
	char	**sp = (char **)((char *)base + k->offset);
	int	 *ip = (int *)((char *)base + k->offset), n;
	char	 *err = NULL;
	struct buf norm = BUF_INIT;
	PQconninfoOption *opts;

	switch (k->type) {
	case K_BOOL:
		if (!parse_bool(value, &n)) {
			config_error(ps, "'%s' must be true or false, not '%s'",
			    k->name, value);
			return;
		}
		*ip = n;
		return;
	case K_SECONDS:
		if (!parse_int(value, k->min, k->max, &n)) {
			config_error(ps, "'%s' must be a whole number of seconds "
			    "from %d to %d, not '%s'", k->name, k->min, k->max,
			    value);
			return;
		}
		*ip = n;
		return;
	case K_NUMBER:
		if (!parse_int(value, k->min, k->max, &n)) {
			config_error(ps, "'%s' must be a whole number from %d to "
			    "%d, not '%s'", k->name, k->min, k->max, value);
			return;
		}
		*ip = n;
		return;
	case K_MIB:
		if (!parse_mib(value, k->min, k->max, &n)) {
			config_error(ps, "'%s' must be a size from 1M to 1T such "
			    "as 512M or 4G, not '%s'", k->name, value);
			return;
		}
		*ip = n;
		return;
	case K_RESERVATION:
		if (!bq_valid_reservation(value)) {
			config_error(ps, "'%s' must be ADMIN-PROJECT:LOCATION.NAME "
			    "(as reservation_id spells it), not '%s'", k->name,
			    value);
			return;
		}
		break;
	case K_JOBSVIEW:
		if (strcmp(value, "project") != 0 &&
		    strcmp(value, "organization") != 0) {
			config_error(ps, "'%s' must be project or organization, "
			    "not '%s'", k->name, value);
			return;
		}
		break;
	case K_GAUTH:
		if (strcmp(value, "command") != 0 &&
		    strcmp(value, "metadata") != 0 &&
		    strcmp(value, "service-account") != 0 &&
		    strcmp(value, "adc") != 0) {
			config_error(ps, "'%s' must be command, metadata, "
			    "service-account or adc, not '%s'", k->name, value);
			return;
		}
		break;
	case K_PROJECT:
	case K_REGION:
		if (k->type == K_PROJECT ? !bq_valid_project(value) :
		    !bq_valid_region(value)) {
			config_error(ps, "'%s' is not a valid %s: '%s'", k->name,
			    k->type == K_PROJECT ? "project id" : "location",
			    value);
			return;
		}
		break;
	case K_AUTH:
		if (strcmp(value, "none") != 0 && strcmp(value, "basic") != 0 &&
		    strcmp(value, "bearer") != 0 &&
		    strcmp(value, "command") != 0 &&
		    strcmp(value, "login") != 0) {
			config_error(ps, "'%s' must be none, basic, bearer, "
			    "command or login, not '%s'", k->name, value);
			return;
		}
		break;
	case K_ENVNAME:
		if (!valid_env_name(value)) {
			config_error(ps, "'%s' names an environment variable; "
			    "'%s' is not a variable name", k->name, value);
			return;
		}
		break;
	case K_URL:
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			config_error(ps, "'%s' must be an http:// or https:// "
			    "URL, not '%s'", k->name, value);
			return;
		}
		break;
	case K_CONNINFO:
		db_conninfo_normalise(value, &norm);
		opts = PQconninfoParse(buf_str(&norm), &err);
		buf_free(&norm);
		if (opts == NULL) {
			/* libpq's message names the offending part, not the password. */
			config_error(ps, "'%s' is not a valid connection string: %s",
			    k->name, err != NULL ? strtok(err, "\n") :
			    "out of memory");
			PQfreemem(err);
			return;
		}
		PQconninfoFree(opts);
		db_conninfo_normalise(value, &norm);
		if (conninfo_has_password(buf_str(&norm)))
			ps->cfg->holds_secret = ps->holds_secret = true;
		buf_free(&norm);
		break;
	case K_YEAR:
		if (!parse_int(value, 2000, 2100, &n) || !fk_year_known(n)) {
			config_error(ps, "'%s' must be a DORA report year with "
			    "bands: 2021, 2022, 2023 or 2024, not '%s'", k->name,
			    value);
			return;
		}
		*ip = n;
		return;
	case K_FKSOURCE:
	case K_FKDEPLOY:
	case K_FKLEAD:
		if (!one_of(value, k->type == K_FKSOURCE ? "github sql" :
		    k->type == K_FKDEPLOY ? "deployments releases merges" :
		    "commits pull_requests")) {
			config_error(ps, "'%s' must be %s, not '%s'", k->name,
			    k->type == K_FKSOURCE ? "github or sql" :
			    k->type == K_FKDEPLOY ?
			    "deployments, releases or merges" :
			    "commits or pull_requests", value);
			return;
		}
		break;
	case K_REPOS:
		if (!valid_repos(value)) {
			config_error(ps, "'%s' must list repositories as "
			    "owner/name, separated by commas, not '%s'",
			    k->name, value);
			return;
		}
		break;
	case K_STRING:
	case K_COMMAND:
	case K_PATH:
		if (*value == '\0') {
			config_error(ps, "'%s' is empty", k->name);
			return;
		}
		break;
	}
	free(*sp);
	*sp = xstrdup(value);
}

static struct context *
context_new(struct config *cfg, const char *name, const char *file, int line)
{
	struct context *c;

	cfg->ctx = xreallocarray(cfg->ctx, cfg->nctx + 1, sizeof *cfg->ctx);
	c = &cfg->ctx[cfg->nctx++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->file = xstrdup(file);
	c->line = line;
	c->readonly = c->statement_timeout = c->connect_timeout = -1;
	c->scheduler_threshold = c->refresh = -1;
	c->serialized_dag_max = -1;
	c->airflow_tls_verify = c->airflow_timeout = -1;
	c->log_spool_max = -1;
	c->bigquery_refresh = c->bigquery_hours = c->bigquery_capacity = -1;
	return c;
}

/* The NAME of [sla "NAME"] or [sla NAME]; NULL when there is none. */
static char *
sla_section_name(const char *section)
{
	const char	*p = section + strcspn(section, " \t");
	size_t		 n;

	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	if (n == 0)
		return NULL;
	return xstrndup(p, n);
}

static struct sla_def *
sla_new(struct config *cfg, char *name, const char *file, int line)
{
	struct sla_def *d;

	cfg->sla = xreallocarray(cfg->sla, cfg->nsla + 1, sizeof *cfg->sla);
	d = &cfg->sla[cfg->nsla++];
	memset(d, 0, sizeof *d);
	d->name = name;
	d->file = xstrdup(file);
	d->line = line;
	d->deadline = -1;
	d->days = SLA_ALL_DAYS;
	return d;
}

static void
sla_set(struct parse_state *ps, char **field, const char *name,
    const char *value)
{
	if (*value == '\0') {
		config_error(ps, "'%s' is empty", name);
		return;
	}
	free(*field);
	*field = xstrdup(value);
}

#define SLA(f) offsetof(struct sla_def, f)

/* Every key an [sla "NAME"] section may hold, and how it is read. */
static const struct sla_key {
	const char	*name;
	enum { SLA_TEXT, SLA_DEADLINE, SLA_DAYS, SLA_ZONE, SLA_UNKNOWN } how;
	size_t		 offset;	/* SLA_TEXT: the char * field */
} sla_keys[] = {
	{ "dag", SLA_TEXT, SLA(dag_id) },
	{ "task", SLA_TEXT, SLA(task_id) },
	{ "owner", SLA_TEXT, SLA(owner) },
	{ "note", SLA_TEXT, SLA(note) },
	{ "context", SLA_TEXT, SLA(context) },
	{ "deadline", SLA_DEADLINE, 0 },
	{ "days", SLA_DAYS, 0 },
	{ "timezone", SLA_ZONE, 0 },
	{ NULL, SLA_UNKNOWN, 0 }
};

/* A key of an [sla "NAME"] section. */
static void
sla_key(struct parse_state *ps, const char *section, const char *name,
    const char *value)
{
	struct sla_def		*d = ps->cur_sla;
	const struct sla_key	*k;
	struct buf		 err = BUF_INIT;
	char			*sname;
	struct tz		*z;
	size_t			 i;
	int			 here = ps->line;

	if (d == NULL || d->line != ps->section_line ||
	    strcmp(d->file, ps->file) != 0) {
		sname = sla_section_name(section);
		ps->line = ps->section_line;
		if (sname == NULL) {
			config_error(ps, "an [sla] section needs a name: "
			    "[sla \"NAME\"]");
			ps->bad_section = true;
			ps->bad_line = ps->section_line;
			ps->line = here;
			return;
		}
		for (i = 0; i < ps->cfg->nsla; i++) {
			if (strcmp(ps->cfg->sla[i].name, sname) == 0) {
				config_error(ps, "SLA '%s' is already defined "
				    "at %s:%d", sname, ps->cfg->sla[i].file,
				    ps->cfg->sla[i].line);
				free(sname);
				ps->bad_section = true;
				ps->bad_line = ps->section_line;
				ps->line = here;
				return;
			}
		}
		d = ps->cur_sla = sla_new(ps->cfg, sname, ps->file,
		    ps->section_line);
		ps->line = here;
	}
	for (k = sla_keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			break;
	switch (k->how) {
	case SLA_TEXT:
		sla_set(ps, (char **)((char *)d + k->offset), name, value);
		break;
	case SLA_DEADLINE:
		if (sla_parse_deadline(value, &d->deadline) != 0)
			config_error(ps, "'deadline' must be a local time HH:MM "
			    "from 00:00 to 23:59, not '%s'", value);
		break;
	case SLA_DAYS:
		if (sla_parse_days(value, &d->days, &err) != 0)
			config_error(ps, "'days': %s", buf_str(&err));
		break;
	case SLA_ZONE:
		if ((z = zoneinfo_load(value, &err)) == NULL)
			config_error(ps, "'timezone': %s", buf_str(&err));
		else {
			tz_free(z);
			sla_set(ps, &d->timezone, name, value);
		}
		break;
	default:
		config_error(ps, "unknown key '%s' in [%s]", name, section);
	}
	buf_free(&err);
}

/* A key of a [service "NAME"] section (the Four Keys). */
static void
service_key(struct parse_state *ps, const char *section, const char *name,
    const char *value)
{
	struct fk_service	*d = ps->cur_svc;
	const struct key	*k;
	char			*sname;
	size_t			 i;
	int			 here = ps->line;

	if (d == NULL || d->line != ps->section_line ||
	    strcmp(d->file, ps->file) != 0) {
		sname = sla_section_name(section);
		ps->line = ps->section_line;
		for (i = 0; sname != NULL && i < ps->cfg->nsvc; i++) {
			if (strcmp(ps->cfg->svc[i].name, sname) == 0) {
				config_error(ps, "service '%s' is already "
				    "defined at %s:%d", sname,
				    ps->cfg->svc[i].file, ps->cfg->svc[i].line);
				free(sname);
				sname = NULL;
				ps->line = here;	/* reported; skip below */
				ps->bad_section = true;
				ps->bad_line = ps->section_line;
				return;
			}
		}
		if (sname == NULL) {
			config_error(ps, "a [service] section needs a name: "
			    "[service \"NAME\"]");
			ps->bad_section = true;
			ps->bad_line = ps->section_line;
			ps->line = here;
			return;
		}
		ps->cfg->svc = xreallocarray(ps->cfg->svc, ps->cfg->nsvc + 1,
		    sizeof *ps->cfg->svc);
		d = ps->cur_svc = &ps->cfg->svc[ps->cfg->nsvc++];
		memset(d, 0, sizeof *d);
		d->name = sname;
		d->file = xstrdup(ps->file);
		d->line = ps->section_line;
		ps->line = here;
	}
	if (strcmp(name, "database_password") == 0) {
		config_error(ps, "'%s' is not read from the file, to keep "
		    "secrets out of it; use database_password_env or "
		    "database_password_command", name);
		return;
	}
	if (strcmp(name, "github_token") == 0) {
		config_error(ps, "'%s' is not read from the file, to keep "
		    "secrets out of it; use github_token_env or "
		    "github_token_command", name);
		return;
	}
	/* inih hands each continuation line of a value over as the key again. */
	if (strcmp(name, "query") == 0 && d->query != NULL) {
		struct buf q = BUF_INIT;

		buf_printf(&q, "%s\n%s", d->query, value);
		free(d->query);
		d->query = buf_detach(&q);
		return;
	}
	for (k = service_keys; k->name != NULL; k++) {
		if (strcmp(k->name, name) == 0) {
			set_key(ps, d, k, value);
			return;
		}
	}
	config_error(ps, "unknown key '%s' in [%s]", name, section);
}

/* include = FILE: read it here; relative to the including file's folder. */
static void
include_file(struct parse_state *ps, const char *value)
{
	struct buf		 path = BUF_INIT;
	const char		*slash;
	char			 real[PATH_MAX];
	struct parse_state	*p;

	if (*value == '\0') {
		config_error(ps, "'include' needs a file name");
		return;
	}
	if (value[0] == '~' && value[1] == '/' && getenv("HOME") != NULL)
		buf_printf(&path, "%s%s", getenv("HOME"), value + 1);
	else if (value[0] != '/' && (slash = strrchr(ps->file, '/')) != NULL)
		buf_printf(&path, "%.*s/%s", (int)(slash - ps->file), ps->file,
		    value);
	else
		buf_puts(&path, value);
	if (ps->depth + 1 > INCLUDE_DEPTH_MAX) {
		config_error(ps, "includes nested more than %d deep at '%s'",
		    INCLUDE_DEPTH_MAX, value);
		buf_free(&path);
		return;
	}
	if (realpath(buf_str(&path), real) != NULL) {
		for (p = ps; p != NULL; p = p->parent) {
			if (p->real != NULL && strcmp(p->real, real) == 0) {
				config_error(ps, "include cycle: '%s' is "
				    "already being read", value);
				buf_free(&path);
				return;
			}
		}
	}
	if (parse_file(ps->cfg, buf_str(&path), ps, ps->line) != 0)
		config_error(ps, "cannot include '%s': %s", value,
		    strerror(errno));
	buf_free(&path);
}

/* [dagtop]'s own keys (the Four Keys' are in fourkeys_keys). */
static void
set_week_start(struct parse_state *ps, const char *name, const char *value)
{
	int d;

	(void)name;
	if (sla_parse_weekday(value, &d) != 0)
		config_error(ps, "'week_start' must be a day (monday, sunday, "
		    "...), not '%s'", value);
	else
		ps->cfg->week_start = d;
}

static void
set_default_context(struct parse_state *ps, const char *name,
    const char *value)
{
	(void)name;
	free(ps->cfg->default_context);
	ps->cfg->default_context = xstrdup(value);
}

static void
set_refresh(struct parse_state *ps, const char *name, const char *value)
{
	int n;

	if (!parse_int(value, 1, 3600, &n))
		config_error(ps, "'%s' must be a whole number of seconds from 1 "
		    "to 3600, not '%s'", name, value);
	else
		ps->cfg->refresh = n;
}

static const struct dagtop_key {
	const char	*name;
	void		(*set)(struct parse_state *, const char *, const char *);
} dagtop_keys[] = {
	{ "context", set_default_context },
	{ "refresh", set_refresh },
	{ "week_start", set_week_start },
	{ "include", NULL },	/* read by the parser itself: include_file */
	{ NULL, NULL }
};

static int
config_ini_handler(void *user, const char *section, const char *name,
    const char *value)
{
	const struct dagtop_key	*dk;
	struct parse_state	*ps = user;
	const struct key	*k;
	size_t			 i;
	const char		*cname;

	/* Builds with INI_CALL_HANDLER_ON_NEW_SECTION call once per section. */
	if (name == NULL)
		return 1;
	if (ps->bad_section && ps->bad_line == ps->section_line)
		return 1;
	ps->bad_section = false;
	ps->value = value;
	if (value_has_secret(value))
		ps->cfg->holds_secret = ps->holds_secret = true;

	if (strcmp(name, "include") == 0 && (*section == '\0' ||
	    strcmp(section, "dagtop") == 0)) {
		include_file(ps, value);
		return 1;
	}
	if (strncmp(section, "sla", 3) == 0 && (section[3] == ' ' ||
	    section[3] == '\t')) {
		sla_key(ps, section, name, value);
		return 1;
	}
	if (strncmp(section, "service", 7) == 0 && (section[7] == ' ' ||
	    section[7] == '\t' || section[7] == '\0')) {
		service_key(ps, section, name, value);
		return 1;
	}
	if (strcmp(section, "dagtop") == 0) {
		for (k = fourkeys_keys; k->name != NULL; k++) {
			if (strcmp(k->name, name) == 0) {
				set_key(ps, ps->cfg, k, value);
				return 1;
			}
		}
		if (strcmp(name, "github_token") == 0) {
			config_error(ps, "'%s' is not read from the file, to "
			    "keep secrets out of it; use github_token_env or "
			    "github_token_command", name);
			return 1;
		}
		for (dk = dagtop_keys; dk->name != NULL; dk++)
			if (strcmp(dk->name, name) == 0)
				break;
		if (dk->name != NULL && dk->set != NULL)
			dk->set(ps, name, value);
		else
			config_error(ps, "unknown key '%s' in [%s]", name, section);
		return 1;
	}
	if (strncmp(section, "context ", 8) != 0) {
		int here = ps->line;

		ps->line = ps->section_line;	/* point at the header */
		config_error(ps, "unknown section [%s]", section);
		ps->line = here;
		ps->bad_section = true;
		ps->bad_line = ps->section_line;
		return 1;
	}
	cname = section + 8;
	while (*cname == ' ')
		cname++;
	if (ps->cur == NULL || strcmp(ps->cur->name, cname) != 0) {
		ps->cur = NULL;
		for (i = 0; i < ps->cfg->nctx; i++)
			if (strcmp(ps->cfg->ctx[i].name, cname) == 0)
				ps->cur = &ps->cfg->ctx[i];
		if (ps->cur == NULL)
			ps->cur = context_new(ps->cfg, cname, ps->file, ps->line);
	}
	for (i = 0; secret_keys[i].name != NULL; i++) {
		if (strcmp(name, secret_keys[i].name) == 0) {
			config_error(ps, "'%s' is not read from the file, to keep "
			    "secrets out of it; use %s", name,
			    secret_keys[i].instead);
			return 1;
		}
	}
	for (k = context_keys; k->name != NULL; k++) {
		if (strcmp(k->name, name) == 0) {
			set_key(ps, ps->cur, k, value);
			return 1;
		}
	}
	config_error(ps, "unknown key '%s' in [%s]", name, section);
	return 1;
}

char *
config_default_path(void)
{
	char *p = xdg_path(XDG_CONFIG, "config");

	/* No absolute home: a path that cannot exist, so no file is read. */
	return p != NULL ? p : xstrdup("/.config/dagtop/config");
}

/*
 * Reads one file into cfg: the main file (parent NULL) or an included one.
 * Returns -1 with errno when it cannot be opened; parse problems are
 * recorded in cfg->errors.
 */
static int
parse_file(struct config *cfg, const char *path, struct parse_state *parent,
    int line)
{
	struct parse_state	 ps;
	char			 real[PATH_MAX];
	int			 rc;

	(void)line;
	memset(&ps, 0, sizeof ps);
	ps.cfg = cfg;
	ps.file = path;
	ps.parent = parent;
	ps.depth = parent != NULL ? parent->depth + 1 : 0;
	ps.fp = fopen(path, "re");
	if (ps.fp == NULL)
		return -1;
	if (realpath(path, real) != NULL)
		ps.real = xstrdup(real);
	rc = ini_parse_stream(counting_reader, &ps, config_ini_handler, &ps);
	/* Each file that holds a password is checked, included ones too. */
	{
		struct stat st;

		if (fstat(fileno(ps.fp), &st) == 0 && (st.st_mode & 077) != 0) {
			if (parent == NULL)
				cfg->exposed = true;
			if (ps.holds_secret)
				buf_printf(&cfg->warnings, "%s holds a "
				    "password and is readable by others; chmod "
				    "600 it, or take the password from the "
				    "environment (database_password_env)\n",
				    path);
		}
	}
	fclose(ps.fp);
	free(ps.real);
	if (rc > 0)
		buf_printf(&cfg->errors, "%s:%d: syntax error (expected "
		    "[section], key = value, or a ; comment)\n", path, rc);
	else if (rc < 0)
		buf_printf(&cfg->errors, "%s: cannot parse (out of memory)\n",
		    path);
	return 0;
}

/* What an SLA must say, checked once every file has been read. */
static void
check_slas(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsla; i++) {
		const struct sla_def *d = &cfg->sla[i];

		if (d->dag_id == NULL)
			buf_printf(&cfg->errors, "%s:%d: [sla \"%s\"] needs "
			    "'dag ='\n", d->file, d->line, d->name);
		if (d->deadline < 0)
			buf_printf(&cfg->errors, "%s:%d: [sla \"%s\"] needs "
			    "'deadline = HH:MM'\n", d->file, d->line, d->name);
	}
}

/* What a service must say, checked once every file has been read. */
static void
check_services(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsvc; i++) {
		const struct fk_service *d = &cfg->svc[i];
		bool sql = d->source != NULL && strcmp(d->source, "sql") == 0;

		if (sql && d->database == NULL)
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "with source = sql needs 'database ='\n",
			    d->file, d->line, d->name);
		if (sql && (d->query == NULL) == (d->query_file == NULL))
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "with source = sql needs one of 'query =' or "
			    "'query_file ='\n", d->file, d->line, d->name);
		if (!sql && d->repos == NULL)
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "needs 'repos = owner/name'\n", d->file, d->line,
			    d->name);
	}
}

int
config_load(struct config *cfg, const char *explicit_path)
{
	const char	*env = getenv("DAGTOP_CONFIG");

	memset(cfg, 0, sizeof *cfg);
	cfg->refresh = -1;
	cfg->week_start = 1;	/* Monday, as ISO 8601 */
	cfg->fk.github_tls_verify = cfg->fk.github_timeout = -1;
	cfg->fk.github_max_wait = cfg->fk.dora_year = -1;
	cfg->fk.window = cfg->fk.refresh = -1;
	if (explicit_path == NULL && env != NULL && *env != '\0')
		explicit_path = env;
	cfg->path = explicit_path != NULL ? xstrdup(explicit_path) :
	    config_default_path();

	if (parse_file(cfg, cfg->path, NULL, 0) != 0) {
		if (errno == ENOENT && explicit_path == NULL)
			return 0;	/* no file: no configuration */
		buf_printf(&cfg->errors, "%s: cannot read: %s\n", cfg->path,
		    strerror(errno));
		return -1;
	}
	cfg->loaded = true;
	check_slas(cfg);
	check_services(cfg);
	return cfg->errors.len > 0 ? -1 : 0;
}

size_t
config_slas(const struct config *cfg, const char *context,
    const struct sla_def **out)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nsla; i++) {
		const struct sla_def *d = &cfg->sla[i];

		if (d->context == NULL || (context != NULL &&
		    strcmp(d->context, context) == 0))
			out[n++] = d;
	}
	return n;
}

static void
context_free(struct context *c)
{
	free(c->name);
	free(c->file);
	free(c->database);
	free(c->database_password_env);
	free(c->database_password_command);
	free(c->airflow_api);
	free(c->airflow_auth);
	free(c->airflow_user);
	free(c->airflow_password_env);
	free(c->airflow_token_env);
	free(c->airflow_token_command);
	free(c->log_folder);
	free(c->airflow_ca_file);
	free(c->timezone);
	free(c->bigquery_project);
	free(c->bigquery_location);
	free(c->bigquery_admin_project);
	free(c->bigquery_url);
	free(c->bigquery_reservation);
	free(c->bigquery_jobs_view);
	free(c->google_auth);
	free(c->google_token_command);
	free(c->google_key_file);
	free(c->google_token_url);
	free(c->google_metadata_url);
}

static void
service_free(struct fk_service *d)
{
	const struct key *k;

	for (k = service_keys; k->name != NULL; k++)
		free(*(char **)((char *)d + k->offset));
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
	free(cfg->fk.github_url);
	free(cfg->fk.github_token_env);
	free(cfg->fk.github_token_command);
	free(cfg->fk.github_ca_file);
	free(cfg->path);
	free(cfg->default_context);
	buf_free(&cfg->errors);
	buf_free(&cfg->warnings);
	memset(cfg, 0, sizeof *cfg);
}

static void
bigquery_resolve(const struct context *c, struct settings *s)
{
	s->bigquery_project = dup_or_null(c->bigquery_project);
	s->bigquery_location = dup_or_null(c->bigquery_location);
	s->bigquery_admin_project = dup_or_null(c->bigquery_admin_project);
	s->bigquery_url = dup_or_null(c->bigquery_url);
	s->bigquery_reservation = dup_or_null(c->bigquery_reservation);
	s->bigquery_org_view = c->bigquery_jobs_view != NULL &&
	    strcmp(c->bigquery_jobs_view, "organization") == 0;
	s->bigquery_refresh = c->bigquery_refresh;
	s->bigquery_hours = c->bigquery_hours;
	s->bigquery_capacity = c->bigquery_capacity;
	s->google_auth = dup_or_null(c->google_auth);
	s->google_token_command = dup_or_null(c->google_token_command);
	s->google_key_file = dup_or_null(c->google_key_file);
	s->google_token_url = dup_or_null(c->google_token_url);
	s->google_metadata_url = dup_or_null(c->google_metadata_url);
}

/* BigQuery defaults: project from GOOGLE_CLOUD_PROJECT, region US, 60 s. */
static void
bigquery_defaults(struct settings *s)
{
	const char *p = getenv("GOOGLE_CLOUD_PROJECT");

	if (p == NULL || *p == '\0')
		p = getenv("GCLOUD_PROJECT");
	if (s->bigquery_project == NULL && p != NULL && bq_valid_project(p))
		s->bigquery_project = xstrdup(p);
	if (s->bigquery_location == NULL)
		s->bigquery_location = xstrdup("US");
	/* A named reservation says which admin project holds it. */
	if (s->bigquery_reservation != NULL) {
		free(s->bigquery_admin_project);
		s->bigquery_admin_project = xstrndup(s->bigquery_reservation,
		    (size_t)(strrchr(s->bigquery_reservation, ':') -
		    s->bigquery_reservation));
	}
	if (s->bigquery_admin_project == NULL && s->bigquery_project != NULL)
		s->bigquery_admin_project = xstrdup(s->bigquery_project);
	if (s->bigquery_refresh < 0)
		s->bigquery_refresh = 60;
	if (s->bigquery_hours < 0)
		s->bigquery_hours = 24;
	if (s->google_auth == NULL)
		s->google_auth = xstrdup(s->google_token_command != NULL ?
		    "command" : s->google_key_file != NULL ? "service-account" :
		    "adc");
}

static int	resolve(const struct config *, const struct cli_options *,
		    struct settings *, struct buf *, bool);

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

static int
resolve(const struct config *cfg, const struct cli_options *cli,
    struct settings *s, struct buf *err, bool need_database)
{
	const struct context	*c = NULL;
	const char		*want, *envdb = getenv("DAGTOP_DATABASE");
	size_t			 i;
	struct buf		 b = BUF_INIT;

	memset(s, 0, sizeof *s);
	want = cli->context;
	if (want == NULL && getenv("DAGTOP_CONTEXT") != NULL &&
	    *getenv("DAGTOP_CONTEXT") != '\0')
		want = getenv("DAGTOP_CONTEXT");
	if (want == NULL)
		want = cfg->default_context;
	if (want != NULL) {
		for (i = 0; i < cfg->nctx; i++)
			if (strcmp(cfg->ctx[i].name, want) == 0)
				c = &cfg->ctx[i];
		if (c == NULL) {
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
	} else if (cfg->nctx == 1)
		c = &cfg->ctx[0];
	else if (cfg->nctx > 1 && cli->database == NULL &&
	    (envdb == NULL || *envdb == '\0')) {
		buf_printf(err, "%s has %zu contexts; choose one with --context "
		    "or [dagtop] context =", cfg->path, cfg->nctx);
		return -1;
	}

	if (c != NULL) {
		s->context = xstrdup(c->name);
		s->database = dup_or_null(c->database);
		if (c->database != NULL) {
			buf_printf(&b, "%s [context %s]", c->file, c->name);
			s->database_source = buf_detach(&b);
		}
		s->database_password_env = dup_or_null(c->database_password_env);
		s->database_password_command =
		    dup_or_null(c->database_password_command);
		s->airflow_api = dup_or_null(c->airflow_api);
		s->airflow_api_shown = mask_url_dup(c->airflow_api);
		s->airflow_auth = dup_or_null(c->airflow_auth);
		s->airflow_user = dup_or_null(c->airflow_user);
		s->airflow_password_env = dup_or_null(c->airflow_password_env);
		s->airflow_token_env = dup_or_null(c->airflow_token_env);
		s->airflow_token_command = dup_or_null(c->airflow_token_command);
		s->log_folder = dup_or_null(c->log_folder);
		s->log_spool_max = c->log_spool_max;
		s->airflow_ca_file = dup_or_null(c->airflow_ca_file);
		s->airflow_tls_verify = c->airflow_tls_verify != 0;
		s->airflow_timeout = c->airflow_timeout;
		s->timezone = dup_or_null(c->timezone);
		s->readonly = c->readonly == 1;
		s->statement_timeout = c->statement_timeout;
		s->connect_timeout = c->connect_timeout;
		s->scheduler_threshold = c->scheduler_threshold;
		s->serialized_dag_max = c->serialized_dag_max;
		s->refresh = c->refresh;
		bigquery_resolve(c, s);
	} else {
		s->statement_timeout = s->connect_timeout = -1;
		s->scheduler_threshold = s->refresh = -1;
		s->serialized_dag_max = -1;
		s->airflow_tls_verify = true;
		s->airflow_timeout = -1;
		s->log_spool_max = -1;
		s->bigquery_refresh = s->bigquery_hours = -1;
		s->bigquery_capacity = -1;
	}
	bigquery_defaults(s);
	if (s->refresh < 0)
		s->refresh = cfg->refresh;

	if (cli->database != NULL) {
		free(s->database);
		free(s->database_source);
		s->database = xstrdup(cli->database);
		s->database_source = xstrdup("--database");
	} else if (envdb != NULL && *envdb != '\0') {
		free(s->database);
		free(s->database_source);
		s->database = xstrdup(envdb);
		s->database_source = xstrdup("DAGTOP_DATABASE");
	}
	if (cli->readonly == 1)
		s->readonly = true;
	if (cli->refresh > 0)
		s->refresh = cli->refresh;

	/* Defaults. */
	if (s->airflow_auth == NULL)
		s->airflow_auth = xstrdup("none");
	if (s->timezone == NULL)
		s->timezone = xstrdup("UTC");
	if (s->statement_timeout < 0)
		s->statement_timeout = 30;
	if (s->airflow_timeout < 0)
		s->airflow_timeout = 30;
	if (s->log_spool_max < 0)
		s->log_spool_max = LOG_SPOOL_MAX_DEFAULT;
	if (s->connect_timeout < 0)
		s->connect_timeout = 10;
	if (s->scheduler_threshold < 0)
		s->scheduler_threshold = 30;
	if (s->serialized_dag_max < 0)
		s->serialized_dag_max = SERDAG_MAX_DEFAULT >> 20;
	if (s->refresh < 0)
		s->refresh = 5;

	if (s->database == NULL && need_database) {
		buf_printf(err, "no database configured: pass --database "
		    "CONNINFO, set DAGTOP_DATABASE, or add 'database =' to a "
		    "context in %s (see dagtop.conf(5))", cfg->path);
		return -1;
	}
	return 0;
}

void
settings_free(struct settings *s)
{
	free(s->context);
	free(s->database);
	free(s->database_source);
	free(s->database_password_env);
	free(s->database_password_command);
	free(s->airflow_api);
	free(s->airflow_api_shown);
	free(s->airflow_auth);
	free(s->airflow_user);
	free(s->airflow_password_env);
	free(s->airflow_token_env);
	free(s->airflow_token_command);
	free(s->log_folder);
	free(s->airflow_ca_file);
	free(s->timezone);
	free(s->bigquery_project);
	free(s->bigquery_location);
	free(s->bigquery_admin_project);
	free(s->bigquery_url);
	free(s->bigquery_reservation);
	free(s->google_auth);
	free(s->google_token_command);
	free(s->google_key_file);
	free(s->google_token_url);
	free(s->google_metadata_url);
	memset(s, 0, sizeof *s);
}

const char *
config_key_nth(size_t i)
{
	size_t n;

	for (n = 0; dagtop_keys[n].name != NULL; n++)
		if (i-- == 0)
			return dagtop_keys[n].name;
	for (n = 0; fourkeys_keys[n].name != NULL; n++)
		if (i-- == 0)
			return fourkeys_keys[n].name;
	for (n = 0; sla_keys[n].name != NULL; n++)
		if (i-- == 0)
			return sla_keys[n].name;
	for (n = 0; context_keys[n].name != NULL; n++)
		if (i-- == 0)
			return context_keys[n].name;
	for (n = 0; service_keys[n].name != NULL; n++)
		if (i-- == 0)
			return service_keys[n].name;
	return NULL;
}
