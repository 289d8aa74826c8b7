/*
 * airflow_api.h: the Airflow REST API, v1 on Airflow 2.x and v2 on 3.x,
 * with its authentication (none, basic, a static bearer token, a token
 * command, Airflow 3's login at /auth/token).  Secrets come from the
 * environment or a command, live only in memory, are wiped when dropped,
 * and are never shown, logged or stored.
 *
 * Writes pass the one write gate of dagtop (api_gate in api_client.h):
 * airflow_api_may_write asks it, and airflow_api_post is refused by it
 * before anything leaves the process.  Callers ask too, to say so before
 * they start.
 */
#ifndef DAGTOP_AIRFLOW_API_H
#define DAGTOP_AIRFLOW_API_H

#include <stdbool.h>

#include "google_auth.h"
#include "http.h"

struct loop;
struct airflow_api;
struct api_call;

/* The answer to a call, or why there is none; valid during the callback. */
typedef void (*api_done_cb)(struct api_call *, const struct http_response *,
		    void *arg);

/* What the client reads of a context (options_api.h fills it). */
struct airflow_api_opts {
	const char	*url;		/* airflow_api: the server or API root */
	const char	*composer_environment;	/* or: the URL from Composer */
	const char	*composer_url;	/* the Composer API; NULL: Google's */
	const char	*mwaa_environment;	/* or: MWAA's InvokeRestApi */
	const char	*aws_region;
	const char	*mwaa_url;	/* NULL: https://env.airflow.REGION... */
	const char	*auth;		/* none | basic | bearer | command | login
					   | google | aws-sigv4 */
	struct gauth_opts google;	/* auth = google (scope: cloud-platform) */
	const char	*user;
	const char	*password_env;
	const char	*token_env;
	const char	*token_command;
	int		 timeout;	/* seconds; <= 0: 30 */
	bool		 readonly;	/* the write gate is closed */
};

/*
 * Makes a client for the context's airflow_api URL and the Airflow major
 * version read from the database (2 or 3).  Returns NULL with a reason in
 * err when no API is configured or the auth settings are incomplete.
 * With a composer_environment instead, the URL is looked up (composer.h)
 * when the first call needs it, and calls wait for it as they wait for a
 * token; major <= 0 then takes the version the environment's image names.
 */
struct airflow_api *airflow_api_new(struct loop *, struct http *,
		    const struct airflow_api_opts *, int major,
		    struct buf *err);
void		 airflow_api_free(struct airflow_api *);
int		 airflow_api_major(const struct airflow_api *);
/*
 * After detection (the REST source's GET /version): the calls made from
 * now on go to /api/v2 for 3, /api/v1 otherwise.
 */
void		 airflow_api_set_major(struct airflow_api *, int major);
/*
 * The base URL, for messages and the audit log (no credentials in it);
 * before a Composer lookup ended, the environment's name.
 */
const char	*airflow_api_url(const struct airflow_api *);
/* The Composer environment the URL comes from, or NULL. */
const char	*airflow_api_composer(const struct airflow_api *);
/*
 * The write gate: false, with "read-only: writes are refused (...)" in why,
 * when the context is read-only (--readonly, readonly = true).
 */
bool		 airflow_api_may_write(const struct airflow_api *,
		    struct buf *why);
/*
 * The same gate asked of a context's readonly flag, by a caller that has
 * no client yet: dagtop clear asks before it reads anything.
 */
bool		 airflow_api_context_may_write(bool readonly, struct buf *why);

/*
 * GET prefix/path ("/api/v1" or "/api/v2" is put in front; path is already
 * escaped, with its query).  on_data, when not NULL, streams the body.  A
 * 401 with a token from a command or a login gets a new token and one
 * retry; any other answer is given to on_done as it is.
 */
struct api_call	*airflow_api_get(struct airflow_api *, const char *path,
		    const char *accept, http_data_cb on_data, api_done_cb,
		    void *arg);
/*
 * POST a JSON body.  A write (every POST but the read-only list endpoints:
 * api_airflow_intent) is refused by the write gate: returns NULL with its
 * reason in err, and no socket is opened.  Otherwise NULL only when the
 * call failed at once (its callback has then run).  A write is never
 * retried: a 401 drops the token so that the user's next attempt logs in
 * again; a read POST gets one retry with a new token, as a GET does.
 */
struct api_call	*airflow_api_post(struct airflow_api *, const char *path,
		    const char *json, api_done_cb, void *arg, struct buf *err);
void		 airflow_api_cancel(struct api_call *);
/* The arg the call was made with (to free it when cancelling). */
void		*airflow_api_call_arg(const struct api_call *);
/* The HTTP request of a call, for header lookups while streaming. */
struct http_req	*airflow_api_req(const struct api_call *);
/*
 * True once the request was handed to the network: from then on a write
 * may have reached the server even when no answer comes.  False when the
 * call failed before (a missing secret, a failed login or token command).
 * Valid during the done callback.
 */
bool		 airflow_api_sent(const struct api_call *);

/*
 * The message an error answer carries: Airflow's "detail" (a string, or
 * FastAPI's list of {loc, msg}) or "title", else the first line of the
 * body, else the status line; plus the transport error when there was no
 * answer.  Appended to out, unsanitised.
 */
void		 airflow_api_error(const struct http_response *,
		    struct buf *out);

#endif
