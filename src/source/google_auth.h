/*
 * google_auth.h: OAuth 2.0 access tokens for Google APIs (BigQuery), from
 * one of four places, chosen by the configuration:
 *
 *   command          a command such as `gcloud auth print-access-token`,
 *                    run asynchronously; its first line is the token
 *   metadata         the GCE / GKE / Composer metadata server
 *   service-account  a key file: an RS256 JWT signed with libcrypto and
 *                    exchanged at the OAuth token endpoint
 *   adc              Application Default Credentials: the file named by
 *                    GOOGLE_APPLICATION_CREDENTIALS, then gcloud's
 *                    application_default_credentials.json (a service
 *                    account, or a user's refresh token), then the metadata
 *                    server
 *
 * Tokens are cached until shortly before they expire and are never
 * printed; messages name the method and the file, never a secret.
 */
#ifndef DAGTOP_GOOGLE_AUTH_H
#define DAGTOP_GOOGLE_AUTH_H

#include "buf.h"

struct loop;
struct http;
struct gauth;

struct gauth_opts {
	const char	*method;	/* command | metadata | service-account | adc */
	const char	*command;	/* method command */
	const char	*key_file;	/* method service-account */
	const char	*token_url;	/* NULL: the key's token_uri, else Google's */
	const char	*metadata_url;	/* NULL: $GCE_METADATA_HOST, else Google's */
	const char	*scope;		/* NULL: bigquery.readonly */
};

/* token is NULL and err says why when there is none. */
typedef void (*gauth_cb)(void *arg, const char *token, const char *err);

/* Returns NULL with the reason in err when the options cannot work. */
struct gauth	*gauth_new(struct loop *, struct http *,
		    const struct gauth_opts *, struct buf *err);
void		 gauth_free(struct gauth *);
/*
 * Asks for a token: cb is called once, never before this returns (from the
 * cache on the next loop pass, else when a fetch ends; one fetch serves
 * every caller waiting).
 */
void		 gauth_token(struct gauth *, gauth_cb, void *arg);
/* Forgets the callbacks waiting with this arg. */
void		 gauth_cancel(struct gauth *, void *arg);
/*
 * Drops the cached token after the API answered 401 to `failed` (NULL:
 * whatever is cached).  A newer token than the one that failed stays, so
 * queries that were in flight together fetch only one new token.
 */
void		 gauth_invalidate(struct gauth *, const char *failed);
/* "service account a@b.iam (key.json)": for status lines, no secret. */
const char	*gauth_describe(const struct gauth *);

#endif
