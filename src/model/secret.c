/*
 * secret.c: masking of URL userinfo and scrubbing of passwords from
 * messages (secret.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret.h"

/*
 * Passwords shorter than this are not searched for as bare text (a
 * one-letter password would mask every such letter of a message); the
 * patterns in context (user:PASS@, password=PASS) still hide them.
 */
#define SECRET_MIN_BARE	3
#define SECRET_MAX	8

struct secrets {
	char	*v[SECRET_MAX];
	size_t	 n;
};

static bool
url_stop(char c)
{
	return c == '\0' || isspace((unsigned char)c) || c == '"' ||
	    c == '\'' || c == '<' || c == '>' || c == '/' || c == '?' ||
	    c == '#';
}

/* The '@' that ends the userinfo of the authority at p, or NULL. */
static const char *
userinfo_end(const char *p)
{
	const char *at = NULL;

	for (; !url_stop(*p); p++)
		if (*p == '@')
			at = p;
	return at;
}

/* True when the scheme before "://" at p (text starts at start) is libpq's. */
static bool
scheme_is_pg(const char *start, const char *p)
{
	const char *s = p;

	while (s > start && (isalnum((unsigned char)s[-1]) || s[-1] == '+' ||
	    s[-1] == '-' || s[-1] == '.'))
		s--;
	return (size_t)(p - s) >= 8 && (strncasecmp(s, "postgres", 8) == 0);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
secrets_add(struct secrets *s, const char *p, size_t len)
{
	struct buf	 dec = BUF_INIT;
	size_t		 i;

	if (len == 0 || s->n + 2 > SECRET_MAX)
		return;
	s->v[s->n++] = xstrndup(p, len);
	for (i = 0; i < len; i++) {
		if (p[i] == '%' && i + 2 < len && hexval(p[i + 1]) >= 0 &&
		    hexval(p[i + 2]) >= 0) {
			buf_putc(&dec, (char)(hexval(p[i + 1]) * 16 +
			    hexval(p[i + 2])));
			i += 2;
		} else
			buf_putc(&dec, p[i]);
	}
	if (dec.len > 0 && (dec.len != len || memcmp(dec.data, p, len) != 0))
		s->v[s->n++] = buf_detach(&dec);
	buf_free(&dec);
}

static void
secrets_free(struct secrets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		wipe_free(s->v[i]);
	}
	s->n = 0;
}

/* At p, "password" as a whole word followed by '='?  Returns the value. */
static const char *
password_key(const char *start, const char *p)
{
	if (strncasecmp(p, "password", 8) != 0)
		return NULL;
	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
		return NULL;
	p += 8;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return NULL;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The end of the value at v; its unquoted content goes to val if asked. */
static const char *
value_end(const char *v, struct buf *val)
{
	if (*v == '\'' || *v == '"') {
		char q = *v++;

		while (*v != '\0' && *v != q) {
			if (*v == '\\' && v[1] != '\0')
				v++;
			if (val != NULL)
				buf_putc(val, *v);
			v++;
		}
		return *v == q ? v + 1 : v;
	}
	while (*v != '\0' && !isspace((unsigned char)*v) && *v != '&' &&
	    *v != '#' && *v != '"' && *v != '\'' && *v != ',' && *v != ';' &&
	    *v != ')') {
		if (val != NULL)
			buf_putc(val, *v);
		v++;
	}
	return v;
}

/* Reads the passwords written in a connection string or URL. */
static void
secrets_from_conninfo(const char *ci, struct secrets *s)
{
	const char	*p, *at, *colon, *v;
	struct buf	 val = BUF_INIT;

	if ((p = strstr(ci, "://")) != NULL &&
	    (at = userinfo_end(p + 3)) != NULL) {
		colon = memchr(p + 3, ':', (size_t)(at - (p + 3)));
		if (colon != NULL)
			secrets_add(s, colon + 1, (size_t)(at - colon - 1));
		else if (!scheme_is_pg(ci, p))
			secrets_add(s, p + 3, (size_t)(at - (p + 3)));
	}
	for (p = ci; *p != '\0'; p++) {
		if ((v = password_key(ci, p)) == NULL)
			continue;
		buf_reset(&val);
		p = value_end(v, &val) - 1;
		secrets_add(s, buf_str(&val), val.len);
		if (p < v)
			p = v;
	}
	if (val.data != NULL)
		memset(val.data, 0, val.len);
	buf_free(&val);
}

/* The length of the longest secret that starts at p, or 0. */
static size_t
secret_at(const struct secrets *s, const char *p)
{
	size_t i, len, best = 0;

	for (i = 0; i < s->n; i++) {
		len = strlen(s->v[i]);
		if (len >= SECRET_MIN_BARE && len > best &&
		    strncmp(p, s->v[i], len) == 0)
			best = len;
	}
	return best;
}

/* Emits the authority's userinfo at p (after "://") masked; returns past '@'. */
static const char *
put_userinfo(struct buf *out, const char *p, const char *at, bool keep_user)
{
	const char *colon = memchr(p, ':', (size_t)(at - p));

	if (colon != NULL) {
		buf_append(out, p, (size_t)(colon - p));
		buf_puts(out, ":" SECRET_MASK "@");
	} else if (keep_user)
		buf_append(out, p, (size_t)(at - p + 1));
	else
		buf_puts(out, SECRET_MASK "@");
	return at + 1;
}

void
mask_url_userinfo(const char *url, struct buf *out)
{
	const char *p, *at;

	if (url == NULL)
		return;
	p = strstr(url, "://");
	if (p == NULL || (at = userinfo_end(p + 3)) == NULL) {
		buf_puts(out, url);
		return;
	}
	buf_append(out, url, (size_t)(p + 3 - url));
	buf_puts(out, put_userinfo(out, p + 3, at, scheme_is_pg(url, p)));
}

void
url_for_log(const char *url, struct buf *out)
{
	struct buf	masked = BUF_INIT;

	if (url == NULL)
		return;
	mask_url_userinfo(url, &masked);
	buf_append(out, buf_str(&masked), strcspn(buf_str(&masked), "?#"));
	buf_free(&masked);
}

char *
mask_url_dup(const char *url)
{
	struct buf out = BUF_INIT;

	if (url == NULL)
		return NULL;
	mask_url_userinfo(url, &out);
	return buf_detach(&out);
}

void
scrub_secrets(const char *text, const char *conninfo, struct buf *out)
{
	static const char	 tok[] = "percent-encoded token: \"";
	struct secrets		 s = { { NULL }, 0 };
	const char		*p, *v, *at;
	size_t			 n;

	if (text == NULL)
		return;
	if (conninfo != NULL)
		secrets_from_conninfo(conninfo, &s);
	for (p = text; *p != '\0';) {
		if ((n = secret_at(&s, p)) > 0) {
			buf_puts(out, SECRET_MASK);
			p += n;
		} else if (strncmp(p, "://", 3) == 0) {
			buf_puts(out, "://");
			at = userinfo_end(p + 3);
			p = at == NULL ? p + 3 :
			    put_userinfo(out, p + 3, at, scheme_is_pg(text, p));
		} else if ((v = password_key(text, p)) != NULL) {
			buf_append(out, p, (size_t)(v - p));
			buf_puts(out, SECRET_MASK);
			p = value_end(v, NULL);
		} else if (strncmp(p, tok, sizeof tok - 1) == 0) {
			buf_puts(out, tok);
			buf_puts(out, SECRET_MASK "\"");
			p = value_end(p + sizeof tok - 2, NULL);
		} else
			buf_putc(out, *p++);
	}
	secrets_free(&s);
}

char *
scrub_dup(const char *text, const char *conninfo)
{
	struct buf out = BUF_INIT;

	if (text == NULL)
		return NULL;
	scrub_secrets(text, conninfo, &out);
	return buf_detach(&out);
}
