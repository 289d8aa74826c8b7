/*
 * jwt.h: the unsigned parts of a Google service-account JWT (RFC 7519) and
 * base64url (RFC 4648 section 5, no padding).  Pure: the RS256 signature
 * itself is made with libcrypto in the source layer (google_auth.c).
 */
#ifndef DAGTOP_JWT_H
#define DAGTOP_JWT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Appends the base64url form of data, without '=' padding. */
void	b64url_encode(struct buf *, const void *data, size_t len);
/*
 * Decodes base64url (padding and standard '+' '/' tolerated) into out;
 * returns 0, or -1 on a character outside the alphabet or a bad length.
 */
int	b64url_decode(struct buf *out, const char *s, size_t len);

/* What a service-account assertion claims (Google's OAuth 2.0 profile). */
struct jwt_claims {
	const char	*iss;		/* the key's client_email */
	const char	*scope;		/* space-separated scopes */
	const char	*aud;		/* the token endpoint */
	const char	*sub;		/* NULL: no domain-wide delegation */
	const char	*kid;		/* the key's private_key_id, or NULL */
	int64_t		 iat;		/* issued at, epoch seconds */
	int64_t		 lifetime;	/* exp - iat; Google allows <= 3600 */
};

/*
 * Appends base64url(header) "." base64url(claims): the bytes an RS256
 * signature covers.  Header {"alg":"RS256","typ":"JWT"[,"kid":...]}.
 */
void	jwt_signing_input(struct buf *, const struct jwt_claims *);
/* Appends "." base64url(sig) to a signing input, making the JWT. */
void	jwt_finish(struct buf *, const unsigned char *sig, size_t len);

#endif
