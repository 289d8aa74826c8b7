/*
 * dbconn.h: from what the user wrote (libpq conninfo, postgresql:// URL, or
 * Airflow's SQLAlchemy URL) to the libpq parameters dagtop connects with:
 * read-only session, statement timeout, UTC, application_name, and the
 * password from the environment or a command, never from the command line.
 */
#ifndef DAGTOP_DBCONN_H
#define DAGTOP_DBCONN_H

#include <stddef.h>

#include "buf.h"
#include "conninfo.h"	/* db_conninfo_normalise */

/*
 * What db_params_build reads: the config side fills it (options.c) from the
 * settings or a [service]; the strings are borrowed.
 */
struct db_options {
	const char	*database;	/* as written: conninfo or URL */
	const char	*database_password_env;
	const char	*database_password_command;
	int		 connect_timeout;	/* seconds */
	int		 statement_timeout;	/* seconds */
};

struct db_params {
	const char	**keywords;	/* NULL-terminated */
	const char	**values;
	size_t		  n;
	char		 *password_command;	/* run at each connection */
};

/*
 * Builds the connection parameters.  Returns 0, or -1 with one line in err
 * (bad connection string, unset password variable).  A password command is
 * not run here: pg_connect runs it, in the loop, for each connection.
 */
int	db_params_build(const struct db_options *, struct db_params *,
	    struct buf *err);
void	db_params_free(struct db_params *);

/* The connection string with any password replaced by "********". */
void	db_conninfo_masked(const char *, struct buf *out);

#endif
