/*
 * config.h: the INI configuration file ($XDG_CONFIG_HOME/dagtop/config),
 * named contexts, and the effective settings after the command line and the
 * environment have had their say.  Format: dagtop.conf(5).
 */
#ifndef DAGTOP_CONFIG_H
#define DAGTOP_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "fkdef.h"
#include "sla.h"

/* A log spool's size cap (MiB) unless log_spool_max says otherwise. */
#define LOG_SPOOL_MAX_DEFAULT	4096

/* One Airflow environment: a [context NAME] section. */
struct context {
	char	*name;
	char	*file;		/* where it was defined, for messages */
	int	 line;
	char	*database;	/* libpq conninfo, postgresql:// URL or SQLAlchemy URL */
	char	*database_password_env;
	char	*database_password_command;
	char	*airflow_api;
	char	*airflow_auth;	/* none | basic | bearer | command | login */
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
	int	 statement_timeout;	/* seconds, -1 unset */
	int	 connect_timeout;	/* seconds, -1 unset */
	int	 scheduler_threshold;	/* seconds, -1 unset */
	int	 refresh;		/* seconds, -1 unset */
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
};

struct config {
	char		*path;		/* the file read, or NULL */
	bool		 loaded;
	bool		 exposed;	/* readable by group or others */
	bool		 holds_secret;	/* a password in a database URL */
	char		*default_context;	/* [dagtop] context = */
	int		 refresh;		/* [dagtop] refresh =, -1 unset */
	int		 week_start;		/* [dagtop] week_start =, 0 = Sunday */
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
};

/* The settings in force after file, environment and command line. */
struct settings {
	char	*context;	/* name, or NULL when only --database was given */
	char	*database;
	char	*database_source;	/* "--database", "DAGTOP_DATABASE", "file:line" */
	char	*database_password_env;
	char	*database_password_command;
	char	*airflow_api;
	char	*airflow_api_shown;	/* airflow_api, password masked: for
					   messages and the audit log */
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
	int	 statement_timeout;
	int	 connect_timeout;
	int	 scheduler_threshold;
	int	 refresh;
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
 * Reads the file named by --config, $DAGTOP_CONFIG or the XDG default.  A
 * missing default file is no error; a missing named one is.  Problems are
 * collected in cfg->errors with file:line so config check can list them
 * all.  Returns 0 when the file (if any) was read without error.
 */
int	 config_load(struct config *, const char *explicit_path);
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
 * DAGTOP_DATABASE) and command line.  Returns 0, or -1 with one line in err;
 * either way the caller frees the settings with settings_free().
 */
int	 config_resolve(const struct config *, const struct cli_options *,
	    struct settings *, struct buf *err);
/* The same, without requiring a database (report slots: pools if one is set). */
int	 config_resolve_no_database(const struct config *,
	    const struct cli_options *, struct settings *, struct buf *err);
void	 settings_free(struct settings *);

#endif
