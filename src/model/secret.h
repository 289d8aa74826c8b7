/*
 * secret.h: keeps passwords out of text that dagtop prints, logs or writes
 * to a report.  Pure: no I/O.
 *
 * Two kinds of text carry secrets by accident: URLs with a password in
 * their userinfo (https://user:pass@host, postgresql://user:pass@host/db)
 * and libpq connection strings (password=... or 'quoted value'), which
 * libpq and dagtop both repeat in error messages.  A libpq parse error may
 * also quote the password alone ("invalid percent-encoded token:
 * \"MyPass%zz\""), so the scrubber also removes any password it can read
 * from the connection string the message is about, raw and percent-decoded.
 */
#ifndef DAGTOP_SECRET_H
#define DAGTOP_SECRET_H

#include "buf.h"

#define SECRET_MASK	"***"

/*
 * Appends url to out with the password of its userinfo replaced by
 * SECRET_MASK: https://user:pass@host/ -> https://user:***@host/; a
 * userinfo without a colon (a token as the user name) is masked whole:
 * https://tok@host -> https://(mask)@host.  Text that is not a URL with
 * userinfo is appended unchanged.
 */
void	 mask_url_userinfo(const char *url, struct buf *out);
/* The same as a new string (never NULL; NULL in, NULL out). */
char	*mask_url_dup(const char *url);
/*
 * A URL as logs and the audit show it: the userinfo password masked as
 * above, and the query and fragment left out (they may carry a token):
 * http://u:p@host:1/x?token=abc#f -> http://u:***@host:1/x.
 */
void	 url_for_log(const char *url, struct buf *out);

/*
 * Appends text to out with every secret it can find replaced by
 * SECRET_MASK: the userinfo password of every scheme://user:pass@ in it,
 * the value of every password=VALUE (quoted or not, any case, in a libpq
 * connection string or a URL query), the token libpq quotes after
 * "percent-encoded token:", and, when conninfo is not NULL, every
 * occurrence of a password written in conninfo (as written and
 * percent-decoded).
 */
void	 scrub_secrets(const char *text, const char *conninfo,
	    struct buf *out);
/* The same as a new string (NULL in, NULL out). */
char	*scrub_dup(const char *text, const char *conninfo);

#endif
