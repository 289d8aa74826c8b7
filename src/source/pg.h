/*
 * pg.h: asynchronous PostgreSQL over libpq, driven by the event loop.
 * PQconnectStartParams/PQconnectPoll to connect, PQsendQueryParams,
 * PQsendPrepare and PQsendQueryPrepared, PQconsumeInput and PQisBusy to
 * query: nothing here ever blocks.  Queries are parameterised and sent one
 * at a time in the order they were asked for; a text run a second time on
 * a connection is prepared there, once, and runs by name from then on
 * (unnamed again if a pooler loses the name).
 */
#ifndef DAGTOP_PG_H
#define DAGTOP_PG_H

#include <stdbool.h>

#include <libpq-fe.h>

struct loop;
struct pg;

/* Called once when the connection is up or has failed, and when it is lost. */
typedef void (*pg_state_cb)(struct pg *, void *arg);
/*
 * Called once per query: res is the result (valid only during the call), or
 * NULL with err, a one-line reason, when the query or the connection failed.
 */
typedef void (*pg_result_cb)(void *arg, const PGresult *res, const char *err);

/* How long a password command may take (gcloud's first run is slow). */
#define PG_PASSWORD_COMMAND_MS	30000

/*
 * Starts connecting with libpq keyword/value arrays (NULL-terminated).
 * With a password_command, that command runs first, in the loop
 * (command.h: nothing inherited, at most PG_PASSWORD_COMMAND_MS), and the
 * first line it prints is the password; its failure is the connection's
 * ("database_password_command failed: exited with status 3").  It runs
 * again for every connection, so a short-lived token is always fresh.
 * The connection attempt is bounded by the connect_timeout among the
 * keywords (libpq ignores it for an asynchronous connection; the loop
 * applies it: "cannot connect to HOST:PORT within N s"), else by
 * timeout_ms.  timeout_ms bounds each query (the client's own guard against
 * a silent network; the server's statement_timeout is the first line).
 */
struct pg	*pg_connect(struct loop *, const char *const *keywords,
		    const char *const *values, const char *password_command,
		    int timeout_ms, pg_state_cb, void *arg);
bool		 pg_ready(const struct pg *);
bool		 pg_failed(const struct pg *);
/* The last connection or query error as one line, or "". */
const char	*pg_error(const struct pg *);
int		 pg_server_version(const struct pg *);
/* Queues a query; sql and params are copied. */
void		 pg_query(struct pg *, const char *sql, int nparams,
		    const char *const *params, pg_result_cb, void *arg);
/* True while queries are queued or in flight. */
bool		 pg_busy(const struct pg *);
/*
 * Closes the connection.  Queries still queued get their callback once,
 * with the error "connection closed".  Safe to call from inside a callback
 * of the same connection: the close then happens when that callback
 * returns.
 */
void		 pg_free(struct pg *);

/* Writes a PostgreSQL array literal of the strings ({"a","b\"c"}). */
struct buf;
void		 pg_array_literal(struct buf *, const char *const *, size_t);

#endif
