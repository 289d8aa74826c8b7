/* jwt.c: base64url and the unsigned half of a service-account JWT. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jwt.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
b64url_encode(struct buf *b, const void *data, size_t len)
{
	const unsigned char	*p = data;
	size_t			 i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
		    p[i + 2];

		buf_putc(b, b64url[v >> 18 & 63]);
		buf_putc(b, b64url[v >> 12 & 63]);
		buf_putc(b, b64url[v >> 6 & 63]);
		buf_putc(b, b64url[v & 63]);
	}
	if (len - i == 1) {
		unsigned v = (unsigned)p[i] << 16;

		buf_putc(b, b64url[v >> 18 & 63]);
		buf_putc(b, b64url[v >> 12 & 63]);
	} else if (len - i == 2) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;

		buf_putc(b, b64url[v >> 18 & 63]);
		buf_putc(b, b64url[v >> 12 & 63]);
		buf_putc(b, b64url[v >> 6 & 63]);
	}
	if (b->data == NULL)
		buf_puts(b, "");
}

static int
b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

int
b64url_decode(struct buf *out, const char *s, size_t len)
{
	unsigned	v = 0;
	int		bits = 0, d;
	size_t		i, n;

	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return -1;
	for (i = n = 0; i < len; i++) {
		if ((d = b64_value(s[i])) < 0)
			return -1;
		v = (v << 6 | (unsigned)d) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)(v >> bits & 0xff));
			n++;
		}
	}
	/* Leftover bits must be zero for a canonical encoding. */
	if (bits > 0 && (v & ((1u << bits) - 1)) != 0)
		return -1;
	if (out->data == NULL)
		buf_puts(out, "");
	return 0;
}

/* Appends base64url of a JSON object, compact, keys in insertion order. */
static void
put_json(struct buf *b, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s == NULL)
		s = strdup("{}");
	b64url_encode(b, s, strlen(s));
	free(s);
	json_decref(o);
}

void
jwt_signing_input(struct buf *b, const struct jwt_claims *c)
{
	json_t *h = json_object(), *o = json_object();

	json_object_set_new(h, "alg", json_string("RS256"));
	json_object_set_new(h, "typ", json_string("JWT"));
	if (c->kid != NULL && *c->kid != '\0')
		json_object_set_new(h, "kid", json_string(c->kid));
	put_json(b, h);
	buf_putc(b, '.');
	json_object_set_new(o, "iss", json_string(c->iss != NULL ? c->iss : ""));
	if (c->sub != NULL && *c->sub != '\0')
		json_object_set_new(o, "sub", json_string(c->sub));
	json_object_set_new(o, "scope",
	    json_string(c->scope != NULL ? c->scope : ""));
	json_object_set_new(o, "aud", json_string(c->aud != NULL ? c->aud : ""));
	json_object_set_new(o, "iat", json_integer(c->iat));
	json_object_set_new(o, "exp", json_integer(c->iat +
	    (c->lifetime > 0 && c->lifetime <= 3600 ? c->lifetime : 3600)));
	put_json(b, o);
}

void
jwt_finish(struct buf *b, const unsigned char *sig, size_t len)
{
	buf_putc(b, '.');
	b64url_encode(b, sig, len);
}
