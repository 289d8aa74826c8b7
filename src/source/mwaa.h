/*
 * mwaa.h: the Airflow REST API of an Amazon MWAA environment through
 * InvokeRestApi: every Airflow call becomes POST {mwaa_url}/restapi/{Name}
 * with {"Path", "Method", "QueryParameters", "Body"}, signed with SigV4
 * (service "airflow") by libcurl, and answers {"RestApiStatusCode",
 * "RestApiResponse"}.  Credentials come from AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, live only in memory and are
 * wiped after use.
 */
#ifndef DAGTOP_MWAA_H
#define DAGTOP_MWAA_H

#include <stdbool.h>

#include "buf.h"

/*
 * The InvokeRestApi body for an Airflow call: method, path (relative to
 * the API root, with its query string, already escaped) and its JSON body
 * or NULL.  The query becomes QueryParameters (a repeated key an array).
 * NULL when body is not JSON.
 */
char	*mwaa_wrap(const char *method, const char *path, const char *body);
/*
 * The Airflow answer inside an InvokeRestApi answer (its body, whatever
 * its status: a RestApiClientException carries the same two fields): the
 * status in *status and RestApiResponse in out (a string as it is, else
 * JSON).  False when the body has no RestApiStatusCode.
 */
bool	 mwaa_unwrap(const char *body, size_t len, long *status,
	    struct buf *out);
/*
 * The signing inputs: keys "ACCESS:SECRET" and, with a session token,
 * the header "X-Amz-Security-Token: ..." in token_hdr.  -1 with why in
 * err when a variable is missing.
 */
int	 mwaa_credentials(struct buf *keys, struct buf *token_hdr,
	    struct buf *err);

#endif
