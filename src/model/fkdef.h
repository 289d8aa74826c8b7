/*
 * fkdef.h: what the configuration says of the Four Keys, as plain data:
 * each [service "NAME"] section and the [dagtop] keys of the Four Keys
 * (dagtop.conf(5), FOUR KEYS).  config.c fills them; the source layer
 * (fourkeys_src.c) reads them and nothing else of the configuration.
 */
#ifndef DAGTOP_FKDEF_H
#define DAGTOP_FKDEF_H

/*
 * A Four Keys service: a [service "NAME"] section (dagtop.conf(5), FOUR
 * KEYS).  Values are kept as written and checked when read; the source
 * layer (fourkeys_src.c) turns them into requests.
 */
struct fk_service {
	char	*name;
	char	*file;
	int	 line;
	char	*source;	/* "github" (default) or "sql" */
	char	*repos;		/* "owner/repo, owner/repo" */
	char	*environment;	/* deployments: NULL is production */
	char	*deployments;	/* deployments | releases | merges */
	char	*branch;	/* merges and pull requests: NULL is main */
	char	*lead_time;	/* commits | pull_requests */
	char	*incident_label;	/* NULL is Incident */
	char	*incident_repos;	/* NULL: the repos */
	char	*github_url;	/* overrides [dagtop] github_url */
	char	*github_token_env;
	char	*github_token_command;
	char	*database;	/* source = sql */
	char	*database_password_env;
	char	*database_password_command;
	char	*query;
	char	*query_file;
};

/* The [dagtop] keys of the Four Keys; -1 or NULL when unset. */
struct fk_config {
	char	*github_url;	/* NULL: https://api.github.com */
	char	*github_token_env;
	char	*github_token_command;
	char	*github_ca_file;
	int	 github_tls_verify;
	int	 github_timeout;	/* seconds */
	int	 github_max_wait;	/* longest rate-limit wait, seconds */
	int	 dora_year;
	int	 window;		/* days */
	int	 refresh;		/* seconds */
};

#endif
