/* pg.c: asynchronous libpq connection and query queue. */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "command.h"
#include "loop.h"
#include "number.h"
#include "pg.h"
#include "resolve.h"
#include "secret.h"

struct pg_query {
	char		 *sql;
	char		**params;
	int		  nparams;
	pg_result_cb	  cb;
	void		 *arg;
	struct pg_query	 *next;
};

enum pg_phase { PG_PASSWORD, PG_RESOLVING, PG_CONNECTING, PG_IDLE,
	PG_SENDING, PG_WAITING, PG_DEAD };

/*
 * What is in flight for the query at the head of the queue: the query
 * itself (unnamed, or a statement prepared before), its PREPARE, or the
 * DEALLOCATE that makes room for it.
 */
enum pg_step { PG_EXECUTE, PG_PREPARE, PG_DEALLOCATE };

/*
 * The statements prepared on this connection, named dagtop_TAG_ID: TAG is
 * random per connection, so that behind a pooler (PgBouncer) that hands
 * server sessions from client to client a name of ours never runs another
 * client's statement; it is missing there at worst (see step_done).
 */
#define PG_PREPARED_MAX	64
/* Texts run once, by hash: the second run prepares. */
#define PG_SEEN_MAX	256

struct pg_stmt {
	char		*sql;
	unsigned	 id;
	uint64_t	 used;		/* p->uses at its last run: LRU */
};

struct pg {
	struct loop		*loop;
	PGconn			*conn;
	enum pg_phase		 phase;
	bool			 was_ready;
	struct loop_fd		*watch;
	int			 watch_fd;
	struct loop_timer	*timer;
	int			 timeout_ms;
	int			 connect_ms;	/* the connect phase's limit */
	int64_t			 connect_by;	/* its deadline, or 0 */
	struct resolve		*resolve;	/* the host names' lookup */
	char			*where;		/* "HOST:PORT", for messages */
	pg_state_cb		 state_cb;
	void			*state_arg;
	struct pg_query		*head, *tail;
	enum pg_step		 step;		/* what is in flight for head */
	bool			 by_name;	/* the query runs prepared */
	bool			 no_names;	/* a name went missing: none */
	unsigned		 prepare_id;	/* the name PREPARE gives */
	unsigned		 tag;		/* of this connection's names */
	PGresult		*result;	/* first result of the query in flight */
	struct pg_stmt		 stmts[PG_PREPARED_MAX];
	size_t			 nstmts;
	unsigned		 next_id;
	uint64_t		 uses;
	uint64_t		 seen[PG_SEEN_MAX];	/* ring of text hashes */
	size_t			 seen_next;
	struct buf		 error;
	int			 in_cb;
	bool			 freed;
	bool			 told_dead;	/* the owner heard of the failure */
	bool			 starting;	/* inside pg_connect */
	FILE			*trace;		/* $DAGTOP_TRACE_SQL */
	struct buf		 secret;	/* "password='...'": kept out of
						   error messages */
	struct command		*pwcmd;		/* the password command running */
	char			**kw, **val;	/* the parameters, until it ends */
};

static void	pg_io(struct loop_fd *, int, void *);
static void	pg_pump(struct pg *);
static void	stmts_forget(struct pg *);

/* libpq's messages end in newlines and can span lines; keep the first line. */
static void
set_error(struct pg *p, const char *msg)
{
	struct buf	line = BUF_INIT;
	size_t		n;

	buf_reset(&p->error);
	if (msg == NULL || *msg == '\0')
		msg = "unknown error";
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	n = strcspn(msg, "\n");
	buf_append(&line, msg, n);
	/* libpq may repeat the connection string or a piece of it. */
	scrub_secrets(buf_str(&line), p->secret.len > 0 ?
	    buf_str(&p->secret) : NULL, &p->error);
	buf_free(&line);
}

static void
query_free(struct pg_query *q)
{
	int i;

	for (i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	free(q);
}

static void
watch_socket(struct pg *p, int events)
{
	int fd = p->conn != NULL ? PQsocket(p->conn) : -1;

	if (p->watch != NULL && (fd != p->watch_fd || fd < 0)) {
		loop_fd_del(p->watch);
		p->watch = NULL;
	}
	if (fd < 0)
		return;
	if (p->watch == NULL) {
		/* libpq sets it too; a command we start must not inherit it. */
		fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
		p->watch = loop_fd_add(p->loop, fd, events, pg_io, p);
		p->watch_fd = fd;
	} else
		loop_fd_set_events(p->watch, events);
}

/* Runs a user callback; returns true if the pg was freed inside it. */
static bool
call_state(struct pg *p)
{
	if (p->state_cb == NULL)
		return false;
	p->in_cb++;
	p->state_cb(p, p->state_arg);
	p->in_cb--;
	if (p->freed && p->in_cb == 0) {
		pg_free(p);
		return true;
	}
	return p->freed;
}

static bool
call_result(struct pg *p, struct pg_query *q, const PGresult *res,
    const char *err)
{
	p->in_cb++;
	q->cb(q->arg, res, err);
	p->in_cb--;
	if (p->freed && p->in_cb == 0) {
		pg_free(p);
		return true;
	}
	return p->freed;
}

/*
 * The connection is gone: every queued query fails with the reason, then
 * the owner hears of it, once.  why NULL keeps the reason already set.
 */
static void
pg_die(struct pg *p, const char *why)
{
	struct pg_query *q;

	if (why != NULL)
		set_error(p, why);
	p->phase = PG_DEAD;
	loop_timer_stop(p->timer);
	resolve_cancel(p->resolve);
	p->resolve = NULL;
	if (p->watch != NULL) {
		loop_fd_del(p->watch);
		p->watch = NULL;
	}
	if (p->result != NULL) {
		PQclear(p->result);
		p->result = NULL;
	}
	if (p->conn != NULL) {
		PQfinish(p->conn);
		p->conn = NULL;
	}
	stmts_forget(p);	/* the names died with the session */
	if (p->starting) {
		/*
		 * Inside pg_connect, whose caller has no pointer yet: the
		 * owner hears of it from the loop, like every other failure.
		 */
		loop_timer_set(p->timer, 0);
		return;
	}
	while ((q = p->head) != NULL) {
		p->head = q->next;
		if (p->head == NULL)
			p->tail = NULL;
		if (call_result(p, q, NULL, buf_str(&p->error))) {
			query_free(q);
			return;
		}
		query_free(q);
	}
	if (!p->told_dead) {
		p->told_dead = true;
		call_state(p);
	}
}

static void
pg_timeout(struct loop_timer *t, void *arg)
{
	struct pg	*p = arg;
	char		 msg[512];

	(void)t;
	if (p->phase == PG_DEAD) {
		pg_die(p, NULL);	/* a failure that was waiting to be told */
		return;
	}
	if (p->phase == PG_RESOLVING)
		snprintf(msg, sizeof msg, "cannot resolve %s within %d s",
		    resolve_waiting_for(p->resolve) != NULL ?
		    resolve_waiting_for(p->resolve) : p->where,
		    (p->connect_ms + 999) / 1000);
	else if (p->phase == PG_CONNECTING)
		snprintf(msg, sizeof msg, "cannot connect to %s within %d s",
		    p->where, (p->connect_ms + 999) / 1000);
	else
		snprintf(msg, sizeof msg, "query timed out (no answer from "
		    "the server in %d s)", (p->timeout_ms + 999) / 1000);
	pg_die(p, msg);
}

static void
connect_step(struct pg *p)
{
	switch (PQconnectPoll(p->conn)) {
	case PGRES_POLLING_READING:
		watch_socket(p, POLLIN);
		return;
	case PGRES_POLLING_WRITING:
		watch_socket(p, POLLOUT);
		return;
	case PGRES_POLLING_OK:
		break;
	default:
		pg_die(p, PQerrorMessage(p->conn));
		return;
	}
	if (PQsetnonblocking(p->conn, 1) != 0) {
		pg_die(p, PQerrorMessage(p->conn));
		return;
	}
	p->phase = PG_IDLE;
	p->was_ready = true;
	loop_timer_stop(p->timer);
	watch_socket(p, POLLIN);
	if (call_state(p))
		return;
	pg_pump(p);
}

static void
trace_query(struct pg *p, const struct pg_query *q, unsigned id)
{
	int i;

	if (p->trace == NULL)
		return;
	/* A comment before the query: trace2sql.awk reads past it. */
	if (id != 0)
		fprintf(p->trace, "-- prepared dagtop_%08x_%u\n", p->tag, id);
	fprintf(p->trace, "-- query %d params\n", q->nparams);
	for (i = 0; i < q->nparams; i++)
		fprintf(p->trace, "-- $%d = %s\n", i + 1,
		    q->params[i] != NULL ? q->params[i] : "NULL");
	fprintf(p->trace, "%s\n;\n", q->sql);
	fflush(p->trace);
}

/*
 * Whether this text ran before on this connection (then it is worth a
 * name); a text never seen is remembered, the oldest forgotten.
 */
static bool
seen_before(struct pg *p, const char *sql)
{
	uint64_t	h = str_hash(sql);
	size_t		i;

	for (i = 0; i < PG_SEEN_MAX; i++)
		if (p->seen[i] == h && h != 0)
			return true;
	p->seen[p->seen_next] = h;
	p->seen_next = (p->seen_next + 1) % PG_SEEN_MAX;
	return false;
}

static struct pg_stmt *
stmt_find(struct pg *p, const char *sql)
{
	size_t i;

	for (i = 0; i < p->nstmts; i++)
		if (strcmp(p->stmts[i].sql, sql) == 0)
			return &p->stmts[i];
	return NULL;
}

/* Forgets the least recently run statement; returns its id. */
static unsigned
stmt_evict(struct pg *p)
{
	size_t		i, old = 0;
	unsigned	id;

	for (i = 1; i < p->nstmts; i++)
		if (p->stmts[i].used < p->stmts[old].used)
			old = i;
	id = p->stmts[old].id;
	free(p->stmts[old].sql);
	p->stmts[old] = p->stmts[--p->nstmts];
	return id;
}

static void
stmts_forget(struct pg *p)
{
	while (p->nstmts > 0)
		free(p->stmts[--p->nstmts].sql);
}

/*
 * Sends the next step of the query at the head when the connection is
 * idle.  Every statement is prepared once per connection, named
 * dagtop_TAG_ID: the first run of a text goes unnamed (PQsendQueryParams,
 * as a one-off should: report mode's short session pays no extra round
 * trip), the second prepares it (PQsendPrepare) and every later one runs
 * the name (PQsendQueryPrepared), so the server parses it once (and plans
 * it once where its generic plan is as good as a custom one).  The steps go one after the other, each a round trip of its own,
 * like the queries: one command in flight at a time keeps the queue's
 * order and its error handling simple, and a PREPARE costs one round trip
 * per text per connection.  At most PG_PREPARED_MAX names are kept (a few
 * texts vary, with the lists they carry): making room DEALLOCATEs the
 * least recently run first.  A new connection is a new struct pg, so the
 * names go with the old one.
 */
static void
pg_pump(struct pg *p)
{
	struct pg_query	*q = p->head;
	struct pg_stmt	*st;
	char		 name[64];
	int		 ok;

	if (p->phase != PG_IDLE || q == NULL)
		return;
	if ((st = stmt_find(p, q->sql)) != NULL) {
		st->used = ++p->uses;
		trace_query(p, q, st->id);
		snprintf(name, sizeof name, "dagtop_%08x_%u", p->tag, st->id);
		p->step = PG_EXECUTE;
		p->by_name = true;
		ok = PQsendQueryPrepared(p->conn, name, q->nparams,
		    (const char *const *)q->params, NULL, NULL, 0);
	} else if (p->step != PG_PREPARE && !p->no_names &&
	    seen_before(p, q->sql)) {
		if (p->nstmts == PG_PREPARED_MAX) {
			snprintf(name, sizeof name, "DEALLOCATE dagtop_%08x_%u",
			    p->tag, stmt_evict(p));
			p->step = PG_DEALLOCATE;
			ok = PQsendQuery(p->conn, name);
		} else {
			p->prepare_id = ++p->next_id;
			snprintf(name, sizeof name, "dagtop_%08x_%u", p->tag,
			    p->prepare_id);
			p->step = PG_PREPARE;
			ok = PQsendPrepare(p->conn, name, q->sql, 0, NULL);
		}
	} else {
		/* A first run, or one whose PREPARE failed: unnamed. */
		trace_query(p, q, 0);
		p->step = PG_EXECUTE;
		p->by_name = false;
		ok = PQsendQueryParams(p->conn, q->sql, q->nparams, NULL,
		    (const char *const *)q->params, NULL, NULL, 0);
	}
	if (!ok) {
		pg_die(p, PQerrorMessage(p->conn));
		return;
	}
	p->phase = PG_SENDING;
	if (p->timeout_ms > 0)
		loop_timer_set(p->timer, p->timeout_ms);
	watch_socket(p, POLLIN | POLLOUT);
}

static void
query_done(struct pg *p)
{
	struct pg_query	*q = p->head;
	PGresult	*res = p->result;
	ExecStatusType	 st;
	char		 why[512];

	p->result = NULL;
	p->head = q->next;
	if (p->head == NULL)
		p->tail = NULL;
	p->phase = PG_IDLE;
	loop_timer_stop(p->timer);
	watch_socket(p, POLLIN);

	st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
		if (call_result(p, q, res, NULL))
			goto out;
	} else {
		set_error(p, res != NULL ? PQresultErrorMessage(res) :
		    PQerrorMessage(p->conn));
		snprintf(why, sizeof why, "%s", buf_str(&p->error));
		if (call_result(p, q, NULL, why))
			goto out;
	}
	PQclear(res);
	query_free(q);
	pg_pump(p);
	return;
out:
	PQclear(res);
	query_free(q);
}

/*
 * A step is done.  The query's own run ends it (query_done); a PREPARE
 * that worked names the text and the query runs by name next; one that
 * failed runs the query unnamed, whose answer (the same error, as a rule)
 * is the query's; a DEALLOCATE only made room.
 */
static void
step_done(struct pg *p)
{
	bool		 prepared;
	const char	*state;

	if (p->step == PG_EXECUTE && p->by_name && p->result != NULL &&
	    (state = PQresultErrorField(p->result,
	    PG_DIAG_SQLSTATE)) != NULL && strcmp(state, "26000") == 0) {
		/*
		 * Our name is not there: a pooler gave this statement
		 * another server session, or someone ran DEALLOCATE.  The
		 * query runs again unnamed, and this connection names
		 * nothing more.
		 */
		p->no_names = true;
		stmts_forget(p);
	} else if (p->step == PG_EXECUTE) {
		query_done(p);
		return;
	}
	prepared = p->step == PG_PREPARE && p->result != NULL &&
	    PQresultStatus(p->result) == PGRES_COMMAND_OK;
	if (prepared) {
		p->stmts[p->nstmts].sql = xstrdup(p->head->sql);
		p->stmts[p->nstmts].id = p->prepare_id;
		p->stmts[p->nstmts].used = ++p->uses;
		p->nstmts++;
		p->step = PG_EXECUTE;
	}
	/*
	 * A failed PREPARE leaves step so: pg_pump runs the text unnamed.
	 * So does a missing name, with no_names.
	 */
	if (p->result != NULL) {
		PQclear(p->result);
		p->result = NULL;
	}
	p->phase = PG_IDLE;
	loop_timer_stop(p->timer);
	watch_socket(p, POLLIN);
	pg_pump(p);
}

static void
pg_io(struct loop_fd *f, int revents, void *arg)
{
	struct pg	*p = arg;
	PGresult	*res;
	int		 rc;

	(void)f;
	if (p->phase == PG_CONNECTING) {
		connect_step(p);
		return;
	}
	if (p->phase == PG_SENDING && (revents & (POLLOUT | POLLERR | POLLHUP))) {
		rc = PQflush(p->conn);
		if (rc < 0) {
			pg_die(p, PQerrorMessage(p->conn));
			return;
		}
		if (rc == 0) {
			p->phase = PG_WAITING;
			watch_socket(p, POLLIN);
		}
	}
	if (!(revents & (POLLIN | POLLERR | POLLHUP)))
		return;
	if (!PQconsumeInput(p->conn)) {
		pg_die(p, PQerrorMessage(p->conn));
		return;
	}
	if (p->phase == PG_IDLE) {
		/* Nothing asked: a notice, or the server going away. */
		if (PQstatus(p->conn) == CONNECTION_BAD)
			pg_die(p, PQerrorMessage(p->conn));
		return;
	}
	while (!PQisBusy(p->conn)) {
		res = PQgetResult(p->conn);
		if (res == NULL) {
			step_done(p);
			return;
		}
		if (p->result == NULL)
			p->result = res;	/* one statement, one result */
		else
			PQclear(res);
	}
	if (PQstatus(p->conn) == CONNECTION_BAD)
		pg_die(p, PQerrorMessage(p->conn));
}

/* A keyword's value in libpq's arrays, or NULL. */
static const char *
param(const char *const *kw, const char *const *val, const char *name)
{
	size_t	i;

	for (i = 0; kw[i] != NULL; i++)
		if (strcmp(kw[i], name) == 0 && val[i] != NULL &&
		    *val[i] != '\0')
			return val[i];
	return NULL;
}

/*
 * The connect phase's limit: the connection's connect_timeout as libpq
 * reads it (whole seconds; 0 or none: no limit of its own, 1 counts as 2),
 * else the caller's overall limit.
 */
static int
connect_timeout_ms(const char *const *kw, const char *const *val,
    int dflt_ms)
{
	const char	*v = param(kw, val, "connect_timeout");
	int		 s;

	if (v == NULL || parse_int_range(v, 0, 86400, &s) != 0 || s == 0)
		return dflt_ms;
	return (s < 2 ? 2 : s) * 1000;
}

/* "HOST:PORT" of the connection for messages (never its password). */
static char *
connect_where(const char *const *kw, const char *const *val)
{
	const char	*host = param(kw, val, "host");
	const char	*port = param(kw, val, "port");
	struct buf	 b = BUF_INIT;

	if (host == NULL)
		host = param(kw, val, "hostaddr");
	if (host == NULL)
		host = getenv("PGHOST");
	if (port == NULL)
		port = getenv("PGPORT");
	buf_printf(&b, "%s:%s", host != NULL && *host != '\0' ? host :
	    "localhost", port != NULL && *port != '\0' ? port : "5432");
	return buf_detach(&b);
}

/* Copies a NULL-terminated keyword or value array, one slot to spare. */
static char **
params_copy(const char *const *v, size_t n)
{
	char	**c = xcalloc(n + 2, sizeof *c);
	size_t	  i;

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

static void
params_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		wipe_free(v[i]);
	free(v);
}

/* libpq's part of pg_connect: PQconnectStartParams, then the loop polls. */
static void
connect_start(struct pg *p, const char *const *kw, const char *const *val)
{
	size_t i;

	for (i = 0; kw[i] != NULL; i++) {
		const char *v = val[i];

		if (strcmp(kw[i], "password") != 0 || v == NULL)
			continue;
		buf_puts(&p->secret, "password='");
		for (; *v != '\0'; v++) {
			if (*v == '\'' || *v == '\\')
				buf_putc(&p->secret, '\\');
			buf_putc(&p->secret, *v);
		}
		buf_putc(&p->secret, '\'');
	}
	p->phase = PG_CONNECTING;
	p->conn = PQconnectStartParams(kw, val, 0);
	if (p->conn == NULL) {
		set_error(p, "out of memory");
		p->phase = PG_DEAD;
		loop_timer_set(p->timer, 0);
		return;
	}
	if (PQstatus(p->conn) == CONNECTION_BAD) {
		set_error(p, PQerrorMessage(p->conn));
		PQfinish(p->conn);
		p->conn = NULL;
		p->phase = PG_DEAD;
		/* Report asynchronously, like every other failure. */
		loop_timer_set(p->timer, 0);
		return;
	}
	/*
	 * libpq applies connect_timeout only in its blocking calls; with
	 * PQconnectPoll the loop must.  It bounds the whole attempt, the
	 * host names' lookup included: a server that accepts and never
	 * answers is abandoned on time.
	 */
	if (p->connect_by != 0)
		loop_timer_set(p->timer, p->connect_by > loop_now_ms() ?
		    p->connect_by - loop_now_ms() : 0);
	connect_step(p);
}

static void
params_wipe(char **kw, char **val)
{
	size_t i;

	for (i = 0; kw != NULL && kw[i] != NULL; i++) {
		free(kw[i]);
		wipe_free(val[i]);
	}
	free(kw);
	free(val);
}

/* The host names are looked up (resolve.h): libpq starts on the addresses. */
static void
resolved(void *arg, char **kw, char **val, const char *err)
{
	struct pg *p = arg;

	p->resolve = NULL;
	if (kw == NULL)
		pg_die(p, err);
	else
		connect_start(p, (const char *const *)kw,
		    (const char *const *)val);
	params_wipe(kw, val);
}

/*
 * Starts the connection attempt and its time limit.  libpq would look a
 * host name up inside PQconnectStartParams and PQconnectPoll, blocking the
 * loop for as long as the name server takes: names are looked up off the
 * loop first (resolve.h) and libpq connects to the addresses as hostaddr.
 */
static void
connect_begin(struct pg *p, const char *const *kw, const char *const *val)
{
	p->connect_ms = connect_timeout_ms(kw, val, p->timeout_ms);
	p->connect_by = p->connect_ms > 0 ? loop_now_ms() + p->connect_ms : 0;
	p->resolve = resolve_start(p->loop, kw, val, resolved, p);
	if (p->resolve == NULL) {
		connect_start(p, kw, val);
		return;
	}
	p->phase = PG_RESOLVING;
	if (p->connect_ms > 0)
		loop_timer_set(p->timer, p->connect_ms);
}

/*
 * The password command has ended: its first line is the password, and the
 * connection starts; a failure is the connection's failure, told by the
 * loop like any other.
 */
static void
password_done(void *arg, const char *out, const char *why)
{
	struct pg	*p = arg;
	char		**kw = p->kw, **val = p->val;
	size_t		  n;

	/* Taken first: the connection's callbacks may free p. */
	p->pwcmd = NULL;
	p->kw = p->val = NULL;
	if (out == NULL || strcspn(out, "\r\n") == 0) {
		buf_reset(&p->error);
		buf_printf(&p->error, "database_password_command failed: %s",
		    out == NULL ? why : "it printed no password");
		p->phase = PG_DEAD;
		loop_timer_set(p->timer, 0);
	} else {
		for (n = 0; kw[n] != NULL; n++)
			;
		kw[n] = xstrdup("password");
		val[n] = xstrndup(out, strcspn(out, "\r\n"));
		connect_begin(p, (const char *const *)kw,
		    (const char *const *)val);
	}
	params_free(kw);
	params_free(val);
}

/* A random tag for this connection's statement names. */
static unsigned
random_tag(const struct pg *p)
{
	unsigned	tag = 0;
	int		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &tag, sizeof tag) != (ssize_t)sizeof tag)
		tag = (unsigned)getpid() << 16 ^ (unsigned)loop_now_ms() ^
		    (unsigned)(uintptr_t)p;
	if (fd >= 0)
		close(fd);
	return tag;
}

struct pg *
pg_connect(struct loop *loop, const char *const *kw, const char *const *val,
    const char *password_command, int timeout_ms, pg_state_cb cb, void *arg)
{
	struct pg	*p = xcalloc(1, sizeof *p);
	const char	*trace = getenv("DAGTOP_TRACE_SQL");
	size_t		 n;

	p->loop = loop;
	p->tag = random_tag(p);
	p->timeout_ms = timeout_ms;
	p->state_cb = cb;
	p->state_arg = arg;
	p->timer = loop_timer_new(loop, pg_timeout, p);
	p->watch_fd = -1;
	p->where = connect_where(kw, val);
	if (trace != NULL && *trace != '\0') {
		int fd = open(trace, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600);

		if (fd >= 0)
			p->trace = fdopen(fd, "a");
	}
	p->starting = true;
	if (password_command != NULL) {
		/* Run in the loop like any command: the UI goes on meanwhile. */
		for (n = 0; kw[n] != NULL; n++)
			;
		p->kw = params_copy(kw, n);
		p->val = params_copy(val, n);
		p->phase = PG_PASSWORD;
		p->pwcmd = command_run(loop, password_command,
		    PG_PASSWORD_COMMAND_MS, password_done, p);
		if (p->pwcmd == NULL) {
			set_error(p, "database_password_command failed: "
			    "cannot start /bin/sh");
			p->phase = PG_DEAD;
			loop_timer_set(p->timer, 0);
		}
	} else
		connect_begin(p, kw, val);
	p->starting = false;
	return p;
}

bool
pg_ready(const struct pg *p)
{
	return p->phase != PG_PASSWORD && p->phase != PG_RESOLVING &&
	    p->phase != PG_CONNECTING && p->phase != PG_DEAD;
}

bool
pg_failed(const struct pg *p)
{
	return p->phase == PG_DEAD;
}

const char *
pg_error(const struct pg *p)
{
	return buf_str(&p->error);
}

int
pg_server_version(const struct pg *p)
{
	return p->conn != NULL ? PQserverVersion(p->conn) : 0;
}

bool
pg_busy(const struct pg *p)
{
	return p->head != NULL;
}

void
pg_query(struct pg *p, const char *sql, int nparams,
    const char *const *params, pg_result_cb cb, void *arg)
{
	struct pg_query	*q = xcalloc(1, sizeof *q);
	int		 i;

	q->sql = xstrdup(sql);
	q->nparams = nparams;
	q->params = xcalloc((size_t)nparams + 1, sizeof *q->params);
	for (i = 0; i < nparams; i++)
		q->params[i] = params[i] != NULL ? xstrdup(params[i]) : NULL;
	q->cb = cb;
	q->arg = arg;
	if (p->tail != NULL)
		p->tail->next = q;
	else
		p->head = q;
	p->tail = q;
	if (p->phase == PG_DEAD) {
		/* Fail it from the loop, never inside the caller. */
		loop_timer_set(p->timer, 0);
		return;
	}
	pg_pump(p);
}

void
pg_free(struct pg *p)
{
	struct pg_query *q;

	if (p == NULL)
		return;
	if (p->in_cb > 0) {
		p->freed = true;
		p->state_cb = NULL;
		return;
	}
	/* Queued queries hear that they will not run, so nothing leaks. */
	p->in_cb++;
	while ((q = p->head) != NULL) {
		p->head = q->next;
		q->cb(q->arg, NULL, "connection closed");
		query_free(q);
	}
	p->in_cb--;
	if (p->watch != NULL)
		loop_fd_del(p->watch);
	command_cancel(p->pwcmd);
	resolve_cancel(p->resolve);
	params_free(p->kw);
	params_free(p->val);
	loop_timer_free(p->timer);
	if (p->result != NULL)
		PQclear(p->result);
	if (p->conn != NULL)
		PQfinish(p->conn);
	if (p->trace != NULL)
		fclose(p->trace);
	stmts_forget(p);
	buf_free(&p->error);
	free(p->where);
	if (p->secret.data != NULL)
		memset(p->secret.data, 0, p->secret.cap);
	buf_free(&p->secret);
	free(p);
}

void
pg_array_literal(struct buf *b, const char *const *v, size_t n)
{
	size_t		 i;
	const char	*s;

	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_putc(b, '"');
		for (s = v[i]; *s != '\0'; s++) {
			if (*s == '"' || *s == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}
