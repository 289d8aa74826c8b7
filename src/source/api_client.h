/*
 * api_client.h: what the Airflow, GitHub and BigQuery clients share.
 *
 *  - the base URL (no trailing '/') and the joining of paths onto it;
 *  - the token source: none, basic, a bearer token from the environment,
 *    a token command, Airflow 3's login (POST /auth/token), or Google's
 *    auth (metadata server, service account, command: google_auth.h);
 *  - the retry policy: which answers are worth another try and after how
 *    long; only an idempotent request (a GET, or a POST the caller makes
 *    idempotent, as BigQuery's requestId does) is ever retried;
 *  - the write gate: the one place that refuses a write in read-only mode,
 *    with a typed refusal; a refused write never reaches http_start.
 *
 * Each API keeps what is its own: Airflow's token queue, GitHub's rate
 * limit and ETag cache, BigQuery's job polling.  Secrets live only in
 * memory, are wiped when dropped, and are never shown or logged.
 */
#ifndef DAGTOP_API_CLIENT_H
#define DAGTOP_API_CLIENT_H

#include <stdbool.h>

#include "buf.h"
#include "http.h"

struct loop;
struct gauth;
struct api_auth;

/* --- base URL -------------------------------------------------------------- */

/* Sets out to url without its trailing slashes. */
void		 api_base(struct buf *out, const char *url);
/* Appends base, a '/' unless path has one, and path (already escaped). */
void		 api_join(struct buf *out, const char *base, const char *path);

/* --- the write gate -------------------------------------------------------- */

enum api_refusal {
	API_ALLOWED = 0,
	API_REFUSED_READONLY	/* --readonly, readonly = true, report mode */
};

/* What a request does, as the gate sees it. */
enum api_intent {
	API_READ,	/* a GET, or a POST that only reads (a query) */
	API_LOGIN,	/* a POST that authenticates: changes nothing */
	API_WRITE	/* changes the server: asks the gate */
};

/*
 * The gate itself: API_REFUSED_READONLY, with "read-only: writes are
 * refused (...)" appended to why, when readonly is set.  Nothing else in
 * dagtop decides whether a write may happen.
 */
enum api_refusal api_gate(bool readonly, struct buf *why);

/*
 * What a request to the Airflow API does, by method and path (relative to
 * /api/v1 or /api/v2, with or without its query), for API version api (1
 * or 2): a GET is a read; a POST on the allow-list of read-only POSTs of
 * that version is a read (v1 and v2: /dags/~/dagRuns/list and
 * /dags/~/dagRuns/~/taskInstances/list) or a login (v2: /auth/token, which
 * lives outside the prefix); every other POST, and every PATCH, PUT and
 * DELETE, is a write.
 */
enum api_intent	 api_airflow_intent(int api, const char *method,
		    const char *path);

/*
 * http_start behind the gate: a write in read-only mode returns NULL, sets
 * *refused (when not NULL) and opens no socket.  Otherwise as http_start;
 * auth_header ("Authorization: ...", or NULL) is added to the request's
 * headers and the copy wiped.
 */
struct http_req	*api_start(struct http *, const struct http_request *,
		    enum api_intent, bool readonly, const char *auth_header,
		    enum api_refusal *refused, struct buf *err);

/* --- the retry policy ------------------------------------------------------ */

struct api_retry {
	int	 max_retries;	/* per request */
	long	 first_ms;	/* the first pause */
	int	 factor;	/* each next pause is this many times longer */
};

/*
 * The pause before retry number tries + 1 of an answer, or -1 when it is
 * not to be retried: a request that is not idempotent, no retries left, a
 * TLS failure or a body too big, or a status other than 429 and 5xx
 * (unless the API's own error reason says "try again": reason_retryable).
 */
long		 api_retry_delay(const struct api_retry *, bool idempotent,
		    const struct http_response *, bool reason_retryable,
		    int tries);

/* --- error text ----------------------------------------------------------- */

/*
 * An API's error shape: appends ": message" from an error body to out.
 * Returns false when the body is not that API's JSON at all.
 */
typedef bool (*api_error_fn)(const char *body, size_t len, struct buf *out);

/*
 * The message of an answer that failed: the transport error ("timed out:
 * ...") when there was no answer, else "HTTP status" and what decode
 * finds, or the body's first line (at most 200 bytes) when it is not
 * JSON.  Appended to out, unsanitised.
 */
void		 api_error_text(const struct http_response *, api_error_fn,
		    struct buf *out);

/* --- the token source ------------------------------------------------------ */

enum api_auth_kind {
	API_AUTH_NONE,
	API_AUTH_BASIC,		/* user and password_env */
	API_AUTH_BEARER,	/* token_env */
	API_AUTH_COMMAND,	/* token_command, until a 401 */
	API_AUTH_LOGIN,		/* POST login_url {username, password} */
	API_AUTH_GOOGLE		/* gauth, which caches and renews */
};

struct api_auth_opts {
	enum api_auth_kind	 kind;
	const char		*user;
	const char		*password_env;
	const char		*token_env;
	const char		*token_command;
	const char		*name;		/* "airflow": keys in messages */
	const char		*login_url;
	/* The message of a failed login's answer, appended to out. */
	void			(*error_text)(const struct http_response *,
				    struct buf *out);
	long			 timeout_ms;
	struct gauth		*gauth;		/* not owned */
};

/* Called once a fetch ends: err is NULL when a token is at hand. */
typedef void (*api_auth_cb)(void *arg, const char *err);

struct api_auth	*api_auth_new(struct loop *, struct http *,
		    const struct api_auth_opts *);
/* Stops a fetch without calling back and wipes the token. */
void		 api_auth_free(struct api_auth *);
/*
 * The Authorization header line for the next request, in hdr (left empty
 * with API_AUTH_NONE): 0.  -1 with why in err when a secret is missing.
 * 1 when a token must be fetched first (api_auth_fetch).
 */
int		 api_auth_header(struct api_auth *, struct buf *hdr,
		    struct buf *err);
/*
 * Fetches a token; one fetch serves every caller waiting.  cb may run
 * before this returns when the fetch cannot start; with API_AUTH_GOOGLE
 * it never does (gauth calls back on a later loop pass).
 */
void		 api_auth_fetch(struct api_auth *, api_auth_cb, void *arg);
/* Forgets the callbacks waiting with this arg. */
void		 api_auth_forget(struct api_auth *, void *arg);
/*
 * After a 401: drops the token in force (Google's too).  True when the
 * source can give another (a command, a login, Google), so one retry is
 * worth it.
 */
bool		 api_auth_expired(struct api_auth *);
/* True when a token is held (from a command, a login or Google). */
bool		 api_auth_has_token(const struct api_auth *);
/* The secret in force, for cache keys only: never shown; NULL if none. */
const char	*api_auth_secret(const struct api_auth *);

#endif
