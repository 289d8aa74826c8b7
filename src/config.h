/*
 * config.h: the INI configuration file ($XDG_CONFIG_HOME/dagtop/config),
 * named contexts, and the effective settings after the command line and the
 * environment have had their say.  Format: dagtop.conf(5).
 */
#ifndef DAGTOP_CONFIG_H
#define DAGTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "fkdef.h"
#include "sla.h"

/* One Airflow environment: a [context NAME] section. */
struct context {
	char	*name;
	char	*file;		/* where it was defined, for messages */
	int	 line;
	char	*database;	/* libpq conninfo, postgresql:// URL or SQLAlchemy URL */
	char	*database_password_env;
	char	*database_password_command;
	char	*source;	/* database | api; NULL: from what is set */
	char	*airflow_api;
	char	*composer_environment;	/* projects/P/locations/L/environments/E */
	char	*composer_url;
	char	*mwaa_environment;	/* Amazon MWAA, through InvokeRestApi */
	char	*aws_region;
	char	*mwaa_url;
	char	*airflow_auth;	/* none | basic | bearer | command | login | google
				   | aws-sigv4 */
	char	*airflow_user;
	char	*airflow_password_env;
	char	*airflow_token_env;
	char	*airflow_token_command;
	char	*log_folder;
	int	 log_spool_max;	/* MiB, -1 unset */
	char	*timezone;	/* IANA name; display and SLA zone */
	char	*airflow_ca_file;
	int	 airflow_tls_verify;	/* -1 unset: on */
	int	 airflow_timeout;	/* seconds, -1 unset */
	int	 readonly;	/* -1 unset */
	int	 mouse;		/* -1 unset */
	int	 statement_timeout;	/* seconds, -1 unset */
	int	 connect_timeout;	/* seconds, -1 unset */
	int	 scheduler_threshold;	/* seconds, -1 unset */
	int	 refresh;		/* seconds, -1 unset */
	int	 api_refresh;		/* seconds, -1 unset */
	int	 full_refresh;	/* seconds, -1 unset */
	int	 slow_refresh;	/* seconds, -1 unset */
	int	 serialized_dag_max;	/* MiB, -1 unset */
	/* BigQuery slots and Google auth (dagtop.conf(5), BIGQUERY). */
	char	*bigquery_project;
	char	*bigquery_location;
	char	*bigquery_admin_project;
	char	*bigquery_url;
	int	 bigquery_refresh;	/* seconds, -1 unset */
	int	 bigquery_hours;	/* -1 unset */
	int	 bigquery_capacity;	/* slots, -1 unset */
	char	*bigquery_reservation;	/* ADMIN:LOCATION.NAME */
	char	*bigquery_jobs_view;	/* project | organization */
	char	*google_auth;		/* command | metadata | service-account | adc */
	char	*google_token_command;
	char	*google_key_file;
	char	*google_token_url;
	char	*google_metadata_url;
	/*
	 * Per row of settings_table, whether the value came from
	 * [context-defaults] (config check says so); NULL when none did.
	 */
	bool	*inherited;
};

struct config {
	char		*path;		/* the file read, or NULL */
	bool		 loaded;
	bool		 exposed;	/* readable by group or others */
	bool		 holds_secret;	/* a password in a database URL */
	char		*default_context;	/* [dagtop] context = */
	/*
	 * [dagtop] contexts = a, b: the contexts read at once (the
	 * console's overview, report status, config check), and where it
	 * was set, for messages.
	 */
	char		*contexts;
	char		*contexts_file;
	int		 contexts_line;
	/*
	 * [context-defaults]: the values every [context] takes where it
	 * sets none itself (config_load merges them in once every file is
	 * read, so a context's own value wins whatever the order); NULL
	 * when the file has no such section.
	 */
	struct context	*ctx_defaults;
	int		 refresh;		/* [dagtop] refresh =, -1 unset */
	int		 api_refresh;		/* [dagtop] api_refresh =, -1 unset */
	int		 week_start;		/* [dagtop] week_start =, 0 = Sunday */
	int		 metrics_max_series;	/* [dagtop] metrics_max_series = */
	struct context	*ctx;
	size_t		 nctx;
	struct sla_def	*sla;			/* [sla "NAME"] sections */
	size_t		 nsla;
	struct fk_service *svc;			/* [service "NAME"] sections */
	size_t		 nsvc;
	struct fk_config fk;			/* [dagtop] github_*, dora_year, ... */
	struct buf	 errors;	/* "file:line: message\n" each */
	struct buf	 warnings;
};

/* What the command line says; NULL or -1 where it says nothing. */
struct cli_options {
	const char	*config;
	const char	*context;
	const char	*database;
	int		 readonly;
	int		 refresh;
	bool		 all_contexts;	/* --all-contexts */
};

/* The settings in force after file, environment and command line. */
struct settings {
	char	*context;	/* name, or NULL when only --database was given */
	char	*database;
	char	*database_source;	/* "--database", "DAGTOP_DATABASE", "file:line" */
	char	*database_password_env;
	char	*database_password_command;
	/*
	 * "database" or "api": the scheduler source (sched_open_context).
	 * Default: database when one is set, else api when airflow_api is.
	 */
	char	*source;
	char	*airflow_api;
	char	*airflow_api_shown;	/* airflow_api, password masked: for
					   messages and the audit log */
	char	*composer_environment;	/* the web server from Composer's API */
	char	*composer_url;
	char	*mwaa_environment;
	char	*aws_region;
	char	*mwaa_url;
	char	*airflow_auth;
	char	*airflow_user;
	char	*airflow_password_env;
	char	*airflow_token_env;
	char	*airflow_token_command;
	char	*log_folder;
	int	 log_spool_max;	/* MiB: a log's spool is cut there */
	char	*timezone;
	char	*airflow_ca_file;
	bool	 airflow_tls_verify;	/* off only by name in the file */
	int	 airflow_timeout;	/* seconds */
	bool	 readonly;
	bool	 mouse;		/* the console takes clicks and the wheel */
	int	 statement_timeout;
	int	 connect_timeout;
	int	 scheduler_threshold;
	int	 refresh;
	int	 api_refresh;		/* the console's, with source = api */
	/*
	 * Between full reads a refresh may read only what changed (the API
	 * source: runs by updated_at); a full read at least this often.
	 */
	int	 full_refresh;
	/* A refresh slower than this doubles the interval (pace.h). */
	int	 slow_refresh;
	int	 serialized_dag_max;	/* MiB */
	/* BigQuery slots; project NULL: no slots pane data, no report slots. */
	char	*bigquery_project;
	char	*bigquery_location;
	char	*bigquery_admin_project;
	char	*bigquery_url;
	int	 bigquery_refresh;
	int	 bigquery_hours;
	int	 bigquery_capacity;	/* -1: read from the reservations */
	char	*bigquery_reservation;	/* NULL: every reservation used */
	bool	 bigquery_org_view;	/* JOBS_TIMELINE_BY_ORGANIZATION */
	char	*google_auth;
	char	*google_token_command;
	char	*google_key_file;
	char	*google_token_url;
	char	*google_metadata_url;
};

/*
 * The settings as one table (config_table.c), as tmux's options-table.c:
 * each key the file takes, in which sections, how it is read, its bounds,
 * its default, where it is kept, whether config check masks it, and a help
 * line.  Reading (config.c), resolving and freeing (settings.c), config
 * check (main.c) and the keys dagtop.conf(5) must describe all walk it:
 * adding a setting is one row, plus its field in the section's struct (and
 * in struct settings when a context carries it over).
 */
enum setting_section {
	SEC_DAGTOP	= 1 << 0,	/* struct config */
	SEC_CONTEXT	= 1 << 1,	/* struct context */
	SEC_SERVICE	= 1 << 2,	/* struct fk_service */
	SEC_SLA		= 1 << 3,	/* struct sla_def */
};

enum setting_type {
	/* Kept as char *. */
	T_TEXT,		/* anything */
	T_STRING,	/* anything but empty */
	T_ENVNAME,	/* a variable's name */
	T_COMMAND,	/* a shell command */
	T_PATH,
	T_URL,		/* http:// or https:// */
	T_CONNINFO,	/* libpq conninfo or URL: may hold a password */
	T_ENUM,		/* one of words */
	T_PROJECT,	/* a Google Cloud project id */
	T_REGION,	/* a BigQuery location */
	T_RESERVATION,	/* ADMIN:LOCATION.NAME */
	T_REPOS,	/* owner/name, owner/name */
	T_ZONE,		/* an IANA zone the zone check accepts */
	/* Kept as int (in struct settings, T_BOOL as bool); -1 unset. */
	T_BOOL,
	T_SECONDS,	/* min to max */
	T_NUMBER,	/* min to max */
	T_MIB,		/* a size with its unit, min to max MiB */
	T_YEAR,		/* a DORA report year */
	T_WEEKDAY,	/* monday, ... as 0 (Sunday) to 6 */
	T_DEADLINE,	/* HH:MM, seconds after midnight */
	T_DAYS,		/* SLA days: unsigned weekday bits */
	/* Not kept. */
	T_INCLUDE,	/* include = FILE: read by the parser */
	T_REFUSED,	/* would put a secret in the file: words say instead */
};

#define SETTING_NONE	((size_t)-1)

struct setting_def {
	const char		*name;
	unsigned		 sections;	/* enum setting_section bits */
	enum setting_type	 type;
	int			 min, max;	/* T_SECONDS, T_NUMBER, T_MIB */
	const char		*words;		/* T_ENUM: "a b c"; T_REFUSED */
	const char		*def;		/* as the file writes it; NULL */
	size_t			 offset;	/* into the section's struct */
	size_t			 carried;	/* into struct settings, or
						   SETTING_NONE */
	bool			 secret;	/* config check masks a password */
	const char		*help;
};

/* The table, ended by a row whose name is NULL. */
extern const struct setting_def settings_table[];
/* The row for name in a section (one SEC_ bit), or NULL. */
const struct setting_def *setting_find(unsigned section, const char *name);
/* Whether a row keeps a char * (else an int, or nothing). */
bool	 setting_is_string(const struct setting_def *);
/*
 * Reads text as the file would hold it for the row (an int type) into
 * *out; false when it does not fit.  Used for the table's defaults too.
 */
bool	 setting_parse_int(const struct setting_def *, const char *text,
	    int *out);

/*
 * The zone check config_load uses for timezone = (the [sla] key): true,
 * or false with the reason in why.  NULL: every name is taken.  Supplied
 * by the caller, so that config.c needs nothing of src/source.
 */
typedef bool (*config_zone_check)(const char *name, struct buf *why);

/*
 * Reads the file named by --config, $DAGTOP_CONFIG or the XDG default.  A
 * missing default file is no error; a missing named one is.  Problems are
 * collected in cfg->errors with file:line so config check can list them
 * all.  Returns 0 when the file (if any) was read without error.
 */
int	 config_load(struct config *, const char *explicit_path,
	    config_zone_check);
void	 config_free(struct config *);
/*
 * The SLAs that apply in a context (those without context = and those
 * naming it), in file order; returns how many were written to out (an
 * array of cfg->nsla).
 */
size_t	 config_slas(const struct config *, const char *context,
	    const struct sla_def **out);
/* The default path ($XDG_CONFIG_HOME/dagtop/config); allocated. */
char	*config_default_path(void);
/*
 * The i-th key the file may hold, over every section ([dagtop], [sla],
 * [context], [service]; a name may come more than once), NULL past the
 * last: what dagtop.conf(5) must describe, and a test holds it to that.
 */
const char *config_key_nth(size_t i);

/*
 * Picks the context and merges file, environment (DAGTOP_CONTEXT,
 * DAGTOP_DATABASE) and command line; a list of contexts (or
 * --all-contexts over several) is an error here.  Returns 0, or -1 with one line in err;
 * either way the caller frees the settings with settings_free().
 */
int	 config_resolve(const struct config *, const struct cli_options *,
	    struct settings *, struct buf *err);
/*
 * The contexts a list names ("a, b": commas, blanks around names
 * ignored), in its order, into *out (an array to free; the contexts are
 * cfg's).  -1 with why in err: an empty name, a name no [context] has, or
 * a name twice.
 */
int	 config_context_list(const struct config *, const char *list,
	    const struct context ***out, size_t *n, struct buf *err);
/*
 * The contexts asked for at once: --all-contexts (every [context], in file
 * order), --context a,b (a comma list), DAGTOP_CONTEXT holding a list, or
 * else [dagtop] contexts =, in that order.  Returns 0 with *n == 0 when
 * they come to one context (a single name, or --database or
 * DAGTOP_DATABASE without a list): the caller then uses config_resolve as
 * for one.  Else 0 with *out an array of *n settings, each resolved as
 * config_resolve resolves that one context (--readonly and --refresh
 * apply to each); the caller frees each with settings_free and the array
 * with free.  -1 with one line in err: a name no [context] has, a name
 * twice, an empty name, --database or DAGTOP_DATABASE with a list, or a
 * context that cannot be resolved (named in the line).
 */
int	 config_resolve_contexts(const struct config *,
	    const struct cli_options *, struct settings **out, size_t *n,
	    struct buf *err);
/* The same, without requiring a database (report slots: pools if one is set). */
int	 config_resolve_no_database(const struct config *,
	    const struct cli_options *, struct settings *, struct buf *err);
/* Whether the context has an Airflow API: a URL, Composer or MWAA. */
bool	 settings_has_api(const struct settings *);
/*
 * The console's refresh interval in seconds: api_refresh when the
 * context reads through the API (source = api), else refresh.
 */
int	 settings_refresh(const struct settings *);
void	 settings_free(struct settings *);

#endif
