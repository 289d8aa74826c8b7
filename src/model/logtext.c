/*
 * logtext.c: see logtext.h.
 *
 * Airflow 3's error details come from structlog's dict tracebacks: a list of
 * exceptions, the one raised last first, each with exc_type, exc_value,
 * is_cause and frames [{filename, lineno, name}].  They are printed the way
 * Python prints a chain: causes first, then "The above exception was ...".
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "logtext.h"
#include "sanitize.h"

#define NDJSON_MAX_LINE	(1u << 20)
#define FLAT_MAX	24	/* fields of a flat entry, at most */

static void	put_utf8(struct buf *, unsigned long);
static int	hexval(char);

static const char *
str_or(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A field's value as text: strings bare, the rest as compact JSON. */
static void
put_value(struct buf *out, json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		buf_puts(out, json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s != NULL)
		buf_puts(out, s);
	free(s);
}

static void
put_frames(struct buf *out, json_t *exc)
{
	json_t	*frames = json_object_get(exc, "frames"), *f;
	json_t	*v;
	size_t	 i;

	if (json_is_array(frames) && json_array_size(frames) > 0) {
		buf_puts(out, "Traceback (most recent call last):\n");
		json_array_foreach(frames, i, f) {
			const char *file = str_or(f, "filename");
			const char *name = str_or(f, "name");
			json_t *line = json_object_get(f, "lineno");

			buf_printf(out, "  File \"%s\", line %lld, in %s\n",
			    file != NULL ? file : "?",
			    json_is_integer(line) ?
			    (long long)json_integer_value(line) : 0LL,
			    name != NULL ? name : "?");
		}
	}
	buf_puts(out, str_or(exc, "exc_type") != NULL ?
	    str_or(exc, "exc_type") : "Exception");
	v = json_object_get(exc, "exc_value");
	if (v != NULL && !json_is_null(v) && !(json_is_string(v) &&
	    json_string_length(v) == 0)) {
		buf_puts(out, ": ");
		put_value(out, v);
	}
	buf_putc(out, '\n');
}

/* A chain of exceptions, the innermost cause first, as Python prints it. */
static void
put_error_detail(struct buf *out, json_t *detail)
{
	size_t n, i;

	if (json_is_object(detail)) {
		put_frames(out, detail);
		return;
	}
	if (!json_is_array(detail))
		return;
	n = json_array_size(detail);
	for (i = n; i > 0; i--) {
		json_t *exc = json_array_get(detail, i - 1);

		if (!json_is_object(exc))
			continue;
		put_frames(out, exc);
		if (i > 1) {
			/* The next one printed was raised from or during this. */
			json_t *next = json_array_get(detail, i - 2);

			buf_puts(out, json_is_true(json_object_get(next,
			    "is_cause")) ? "\nThe above exception was the direct "
			    "cause of the following exception:\n\n" :
			    "\nDuring handling of the above exception, another "
			    "exception occurred:\n\n");
		}
	}
}

/* Keys shown in their own place, not as key=value. */
static bool
placed(const char *k)
{
	static const char *const keys[] = { "timestamp", "level", "event",
	    "logger", "error_detail", "exc_info", "exception", "sources",
	    NULL };

	for (size_t i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

static void
entry_text(json_t *o, struct buf *out)
{
	const char	*ts = str_or(o, "timestamp");
	const char	*level = str_or(o, "level");
	const char	*logger = str_or(o, "logger");
	json_t		*event = json_object_get(o, "event"), *v;
	const char	*k;
	size_t		 i;

	if (json_is_string(event) &&
	    strncmp(json_string_value(event), "::group::", 9) == 0) {
		json_t *src = json_object_get(o, "sources");

		buf_printf(out, "> %s\n", json_string_value(event) + 9);
		json_array_foreach(src, i, v) {
			buf_puts(out, "  ");
			put_value(out, v);
			buf_putc(out, '\n');
		}
		return;
	}
	if (json_is_string(event) &&
	    strcmp(json_string_value(event), "::endgroup::") == 0)
		return;
	if (ts != NULL)
		buf_printf(out, "%s ", ts);
	if (level != NULL) {
		size_t n = strlen(level);

		for (i = 0; i < n; i++)
			buf_putc(out, (char)toupper((unsigned char)level[i]));
		for (; i < 8; i++)
			buf_putc(out, ' ');
		buf_putc(out, ' ');
	}
	if (logger != NULL)
		buf_printf(out, "[%s] ", logger);
	if (event != NULL)
		put_value(out, event);
	json_object_foreach(o, k, v) {
		if (placed(k))
			continue;
		buf_printf(out, " %s=", k);
		put_value(out, v);
	}
	buf_putc(out, '\n');
	if ((v = json_object_get(o, "error_detail")) != NULL)
		put_error_detail(out, v);
	else if ((v = json_object_get(o, "exception")) != NULL)
		put_error_detail(out, v);
	if (json_is_string(v = json_object_get(o, "exc_info")) ||
	    (json_is_string(v = json_object_get(o, "exception")))) {
		buf_puts(out, json_string_value(v));
		if (json_string_length(v) > 0 &&
		    json_string_value(v)[json_string_length(v) - 1] != '\n')
			buf_putc(out, '\n');
	}
}

int
logtext_entry_tree(const char *json, size_t len, struct buf *out)
{
	json_t *o = json_loadb(json, len, JSON_ALLOW_NUL, NULL);

	if (!json_is_object(o)) {
		json_decref(o);
		buf_append(out, json, len);
		buf_putc(out, '\n');
		return -1;
	}
	entry_text(o, out);
	json_decref(o);
	return 0;
}

/*
 * --- flat entries, without a JSON tree -------------------------------------
 *
 * Nearly every line of an Airflow 3 log is a flat object of strings (and a
 * few integers).  jansson builds a tree of it, a malloc per key and value,
 * and that was 58% of the console's time on a 200 MB log (tests/bench/
 * biglog.sh, perf), five times what the rest of the path costs.  So a flat
 * object is read here in two passes over the bytes, its fields as spans of
 * the input; anything this scanner does not reproduce byte for byte
 * (nesting, reals, escapes to NUL or lone surrogates, ill-formed UTF-8,
 * duplicate keys, the keys with a layout of their own) goes to jansson
 * instead, and fuzz_logtext.c holds the two outputs equal.
 */

struct flat_field {
	const char	*key, *val;	/* strings: between the quotes */
	size_t		 klen, vlen;
	bool		 string, escaped;
};

static bool
json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t
skip_json_space(const char *s, size_t len, size_t i)
{
	while (i < len && json_space(s[i]))
		i++;
	return i;
}

/* Four hex digits at s (len bytes there) into *cp. */
static bool
hex4(const char *s, size_t len, uint32_t *cp)
{
	*cp = 0;
	if (len < 4)
		return false;
	for (int k = 0; k < 4; k++) {
		if (hexval(s[k]) < 0)
			return false;
		*cp = *cp * 16 + (uint32_t)hexval(s[k]);
	}
	return true;
}

/*
 * The escape after a backslash at s[p] (p is past the backslash): its code
 * point and its length past p, or 0 when the scanner leaves it to jansson
 * (an unknown escape, \u0000, a lone or reversed surrogate).
 */
static size_t
flat_escape(const char *s, size_t len, size_t p, uint32_t *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char	*e;
	uint32_t	 lo;

	if (p >= len)
		return 0;
	if (s[p] != 'u') {
		if (s[p] == '\0' || (e = strchr(from, s[p])) == NULL)
			return 0;
		*cp = (unsigned char)to[e - from];
		return 1;
	}
	if (!hex4(s + p + 1, len - p - 1, cp) || *cp == 0 ||
	    (*cp >= 0xdc00 && *cp <= 0xdfff))
		return 0;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 5;
	/* A high surrogate: its low half must follow. */
	if (p + 6 >= len || s[p + 5] != '\\' || s[p + 6] != 'u' ||
	    !hex4(s + p + 7, len - p - 7, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return 0;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 11;
}

/*
 * The string whose opening quote is s[*i]: its span and whether it holds
 * escapes; *i moves past the closing quote.  false when jansson must judge
 * it (a control byte, ill-formed UTF-8, an escape flat_escape leaves).
 */
static bool
flat_string(const char *s, size_t len, size_t *i, const char **start,
    size_t *slen, bool *escaped)
{
	size_t		p = *i + 1, n;
	uint32_t	cp;
	int		k;

	*escaped = false;
	*start = s + p;
	while (p < len) {
		unsigned char c = (unsigned char)s[p];

		if (c == '"') {
			*slen = p - (size_t)(*start - s);
			*i = p + 1;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if ((n = flat_escape(s, len, p + 1, &cp)) == 0)
				return false;
			*escaped = true;
			p += 1 + n;
		} else if (c < 0x80)
			p++;
		else if ((k = utf8_decode(s + p, len - p, &cp)) > 0)
			p += (size_t)k;
		else
			return false;
	}
	return false;
}

/*
 * true, false, null or an integer jansson prints back the same (no "-0",
 * at most 18 digits), at s[*i], followed by what may follow a value.
 */
static bool
flat_literal(const char *s, size_t len, size_t *i)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t	p = *i, digits = 0;

	for (size_t w = 0; w < 3 && p == *i; w++) {
		size_t n = strlen(words[w]);

		if (len - p >= n && memcmp(s + p, words[w], n) == 0)
			p += n;
	}
	if (p == *i) {
		if (p < len && s[p] == '-')
			p++;
		while (p + digits < len && isdigit((unsigned char)s[p + digits]))
			digits++;
		if (digits == 0 || digits > 18 || (digits > 1 && s[p] == '0') ||
		    (s[*i] == '-' && s[p] == '0'))
			return false;
		p += digits;
	}
	if (p < len && !json_space(s[p]) && s[p] != ',' && s[p] != '}')
		return false;
	*i = p;
	return true;
}

/* The fields of a flat object that is the whole of s; -1 if it is not one. */
static int
flat_parse(const char *s, size_t len, struct flat_field *f, size_t *nf)
{
	size_t	i = skip_json_space(s, len, 0), n = 0;

	if (i >= len || s[i++] != '{')
		return -1;
	i = skip_json_space(s, len, i);
	if (i < len && s[i] == '}')
		i++;
	else
		for (;;) {
			if (n == FLAT_MAX || i >= len || s[i] != '"' ||
			    !flat_string(s, len, &i, &f[n].key, &f[n].klen,
			    &f[n].escaped) || f[n].escaped)
				return -1;
			i = skip_json_space(s, len, i);
			if (i >= len || s[i++] != ':')
				return -1;
			i = skip_json_space(s, len, i);
			f[n].string = i < len && s[i] == '"';
			f[n].val = s + i;
			if (f[n].string ? !flat_string(s, len, &i, &f[n].val,
			    &f[n].vlen, &f[n].escaped) : !flat_literal(s, len, &i))
				return -1;
			if (!f[n].string)
				f[n].vlen = (size_t)(s + i - f[n].val);
			n++;
			i = skip_json_space(s, len, i);
			if (i < len && s[i] == ',') {
				i = skip_json_space(s, len, i + 1);
				continue;
			}
			if (i >= len || s[i++] != '}')
				return -1;
			break;
		}
	if (skip_json_space(s, len, i) != len)
		return -1;
	/* jansson keeps the last of two equal keys, at the first's place. */
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (f[a].klen == f[b].klen &&
			    memcmp(f[a].key, f[b].key, f[a].klen) == 0)
				return -1;
	*nf = n;
	return 0;
}

/* A string field's value, decoded; a literal as it is. */
static void
flat_put(struct buf *out, const struct flat_field *f)
{
	const char	*s = f->val, *bs;
	size_t		 len = f->vlen, p = 0, n;
	uint32_t	 cp;

	if (!f->escaped) {
		buf_append(out, s, len);
		return;
	}
	while (p < len) {
		bs = memchr(s + p, '\\', len - p);
		n = bs != NULL ? (size_t)(bs - s) - p : len - p;
		buf_append(out, s + p, n);
		p += n;
		if (p >= len)
			break;
		/* flat_string checked every escape. */
		n = flat_escape(s, len, p + 1, &cp);
		put_utf8(out, cp);
		p += 1 + n;
	}
}

static bool
key_is(const struct flat_field *f, const char *k)
{
	return f->klen == strlen(k) && memcmp(f->key, k, f->klen) == 0;
}

/*
 * An event that entry_text lays out as a group ("::group::...",
 * "::endgroup::").  Up to its first backslash an escaped string is its
 * text; a simple escape there gives a character neither marker holds, so
 * only a \u within the markers' 12 bytes needs the decoded text: jansson's.
 */
static bool
flat_group(const struct flat_field *f)
{
	size_t		 head = f->vlen < 12 ? f->vlen : 12;
	const char	*bs = f->escaped ? memchr(f->val, '\\', head) : NULL;

	if (bs != NULL && bs[1] == 'u')
		return true;
	return (f->vlen >= 9 && memcmp(f->val, "::group::", 9) == 0) ||
	    (f->vlen == 12 && memcmp(f->val, "::endgroup::", 12) == 0);
}

int
logtext_entry_flat(const char *json, size_t len, struct buf *out)
{
	struct flat_field	 f[FLAT_MAX];
	const struct flat_field	*ts = NULL, *level = NULL, *logger = NULL;
	const struct flat_field	*event = NULL;
	size_t			 n, i, at;

	if (flat_parse(json, len, f, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct flat_field **slot = key_is(&f[i], "timestamp") ?
		    &ts : key_is(&f[i], "level") ? &level :
		    key_is(&f[i], "logger") ? &logger :
		    key_is(&f[i], "event") ? &event : NULL;

		if (slot != NULL) {
			if (!f[i].string)
				return -1;
			*slot = &f[i];
		} else if (key_is(&f[i], "error_detail") ||
		    key_is(&f[i], "exc_info") || key_is(&f[i], "exception") ||
		    key_is(&f[i], "sources"))
			return -1;
	}
	if (event != NULL && flat_group(event))
		return -1;
	/* As entry_text writes it. */
	if (ts != NULL) {
		flat_put(out, ts);
		buf_putc(out, ' ');
	}
	if (level != NULL) {
		at = out->len;
		flat_put(out, level);
		for (i = at; i < out->len; i++)
			out->data[i] = (char)toupper((unsigned char)out->data[i]);
		for (i = out->len - at; i < 8; i++)
			buf_putc(out, ' ');
		buf_putc(out, ' ');
	}
	if (logger != NULL) {
		buf_putc(out, '[');
		flat_put(out, logger);
		buf_puts(out, "] ");
	}
	if (event != NULL)
		flat_put(out, event);
	for (i = 0; i < n; i++) {
		if (&f[i] == ts || &f[i] == level || &f[i] == logger ||
		    &f[i] == event)
			continue;
		buf_putc(out, ' ');
		buf_append(out, f[i].key, f[i].klen);
		buf_putc(out, '=');
		flat_put(out, &f[i]);
	}
	buf_putc(out, '\n');
	return 0;
}

int
logtext_entry(const char *json, size_t len, struct buf *out)
{
	if (logtext_entry_flat(json, len, out) == 0)
		return 0;
	return logtext_entry_tree(json, len, out);
}

void
logtext_ndjson_init(struct logtext_ndjson *n)
{
	memset(n, 0, sizeof *n);
	n->max_line = NDJSON_MAX_LINE;
}

static void
ndjson_line(const char *s, size_t len, struct buf *out)
{
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len == 0)
		return;
	logtext_entry(s, len, out);
}

void
logtext_ndjson_feed(struct logtext_ndjson *n, const char *data, size_t len,
    struct buf *out)
{
	const char *p = data, *end = data + len, *nl, *seg_end;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		seg_end = nl != NULL ? nl : end;
		if (n->overlong ||
		    n->partial.len + (size_t)(seg_end - p) > n->max_line) {
			/*
			 * A line longer than max_line, wherever the input
			 * was split: raw, in pieces, so memory stays bounded.
			 */
			buf_append(out, n->partial.data, n->partial.len);
			buf_reset(&n->partial);
			buf_append(out, p, (size_t)(seg_end - p));
			n->overlong = nl == NULL;
			if (nl != NULL)
				buf_putc(out, '\n');
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		if (nl == NULL) {
			buf_append(&n->partial, p, (size_t)(end - p));
			return;
		}
		if (n->partial.len > 0) {
			buf_append(&n->partial, p, (size_t)(nl - p));
			ndjson_line(n->partial.data, n->partial.len, out);
			buf_reset(&n->partial);
		} else
			ndjson_line(p, (size_t)(nl - p), out);
		p = nl + 1;
	}
}

void
logtext_ndjson_finish(struct logtext_ndjson *n, struct buf *out)
{
	if (n->overlong)
		buf_putc(out, '\n');
	else if (n->partial.len > 0)
		ndjson_line(n->partial.data, n->partial.len, out);
	buf_reset(&n->partial);
	n->overlong = 0;
}

void
logtext_ndjson_free(struct logtext_ndjson *n)
{
	buf_free(&n->partial);
}

static void
take_token(json_t *doc, char **token)
{
	const char *t = str_or(doc, "continuation_token");

	*token = t != NULL && *t != '\0' ? xstrdup(t) : NULL;
}

/* The answer as a JSON object, or NULL with the reason; *token NULL. */
static json_t *
load_answer(const char *body, size_t len, char **token, struct buf *err)
{
	json_error_t	 je;
	json_t		*doc;

	*token = NULL;
	doc = json_loadb(body, len, JSON_ALLOW_NUL, &je);
	if (!json_is_object(doc)) {
		buf_printf(err, "not a JSON object (%s)", doc == NULL ?
		    je.text : "another JSON value");
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int
logtext_v2_document(const char *body, size_t len, struct buf *out,
    char **token, struct buf *err)
{
	json_t		*doc, *content, *e;
	size_t		 i;

	if ((doc = load_answer(body, len, token, err)) == NULL)
		return -1;
	content = json_object_get(doc, "content");
	if (!json_is_array(content)) {
		buf_puts(err, "no \"content\" list in the answer");
		json_decref(doc);
		return -1;
	}
	json_array_foreach(content, i, e) {
		if (json_is_object(e))
			entry_text(e, out);
		else {
			put_value(out, e);
			buf_putc(out, '\n');
		}
	}
	take_token(doc, token);
	json_decref(doc);
	return 0;
}

/* Appends code point cp as UTF-8 (U+FFFD for what cannot be one). */
static void
put_utf8(struct buf *out, unsigned long cp)
{
	char b[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80)
		buf_putc(out, (char)cp);
	else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, b, 4);
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Parses a Python str literal ('...' or "...") at *p, appending its value.
 * Returns 0 and moves *p past it, or -1.
 */
static int
py_string(const char **p, const char *end, struct buf *out)
{
	const char	*s = *p;
	char		 q;

	if (s >= end || (*s != '\'' && *s != '"'))
		return -1;
	q = *s++;
	while (s < end && *s != q) {
		if (*s != '\\') {
			buf_putc(out, *s++);
			continue;
		}
		if (++s >= end)
			return -1;
		switch (*s) {
		case 'n': buf_putc(out, '\n'); s++; break;
		case 't': buf_putc(out, '\t'); s++; break;
		case 'r': buf_putc(out, '\r'); s++; break;
		case 'a': buf_putc(out, '\a'); s++; break;
		case 'b': buf_putc(out, '\b'); s++; break;
		case 'f': buf_putc(out, '\f'); s++; break;
		case 'v': buf_putc(out, '\v'); s++; break;
		case '0': buf_putc(out, '\0'); s++; break;
		case 'x': case 'u': case 'U': {
			int digits = *s == 'x' ? 2 : *s == 'u' ? 4 : 8, k;
			unsigned long cp = 0;

			s++;
			for (k = 0; k < digits; k++) {
				if (s >= end || hexval(*s) < 0)
					return -1;
				cp = cp * 16 + (unsigned long)hexval(*s++);
			}
			put_utf8(out, cp);
			break;
		}
		default:
			/* \\, \', \" and anything Python keeps as it is. */
			if (*s != '\\' && *s != '\'' && *s != '"')
				buf_putc(out, '\\');
			buf_putc(out, *s++);
		}
	}
	if (s >= end)
		return -1;
	*p = s + 1;
	return 0;
}

static void
skip_space(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == ',' || **p == '\n'))
		(*p)++;
}

/* [('host', 'text'), ...] to the texts; -1 when it is not that. */
static int
py_tuples(const char *s, size_t len, struct buf *out)
{
	const char	*p = s, *end = s + len;
	struct buf	 host = BUF_INIT;
	size_t		 start = out->len;

	skip_space(&p, end);
	if (p >= end || *p++ != '[')
		return -1;
	for (;;) {
		skip_space(&p, end);
		if (p < end && *p == ']')
			break;
		if (p >= end || *p++ != '(')
			goto bad;
		skip_space(&p, end);
		buf_reset(&host);
		if (py_string(&p, end, &host) != 0)
			goto bad;
		skip_space(&p, end);
		if (py_string(&p, end, out) != 0)
			goto bad;
		if (out->len > start && out->data[out->len - 1] != '\n')
			buf_putc(out, '\n');
		skip_space(&p, end);
		if (p >= end || *p++ != ')')
			goto bad;
	}
	buf_free(&host);
	return 0;
bad:
	buf_free(&host);
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

int
logtext_v1_document(const char *body, size_t len, struct buf *out,
    char **token, struct buf *err)
{
	json_t		*doc, *content;

	if ((doc = load_answer(body, len, token, err)) == NULL)
		return -1;
	content = json_object_get(doc, "content");
	if (!json_is_string(content)) {
		buf_puts(err, "no \"content\" text in the answer");
		json_decref(doc);
		return -1;
	}
	if (py_tuples(json_string_value(content), json_string_length(content),
	    out) != 0) {
		/* Not the tuple list: the text as it is. */
		buf_append(out, json_string_value(content),
		    json_string_length(content));
		if (json_string_length(content) > 0 &&
		    out->data[out->len - 1] != '\n')
			buf_putc(out, '\n');
	}
	take_token(doc, token);
	json_decref(doc);
	return 0;
}

size_t
logtext_cut(const char *s, size_t len)
{
	size_t	i = len, k;

	/* Back over an unfinished UTF-8 sequence at the end, if any. */
	for (k = 0; k < 3 && i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80;
	    k++)
		i--;
	if (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0xc0) {
		unsigned char	lead = (unsigned char)s[i - 1];
		size_t		need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

		if (len - (i - 1) < need)
			return i - 1;
	}
	return len;
}

void
logtext_more(struct buf *out, unsigned long long more, int ascii)
{
	buf_printf(out, " %s %llu byte%s more", ascii ? "..." : "\xe2\x80\xa6",
	    more, more == 1 ? "" : "s");
}

size_t
logtext_timestamp_prefix(const char *line, size_t len)
{
	size_t i;

	/* Airflow 2: "[2024-01-01T00:00:05.123+0000] " or "[2024-01-01, ...] " */
	if (len >= 13 && line[0] == '[' && isdigit((unsigned char)line[1]) &&
	    isdigit((unsigned char)line[4]) && line[5] == '-') {
		for (i = 1; i < len && i < 64; i++)
			if (line[i] == ']')
				return i + 1 < len && line[i + 1] == ' ' ?
				    i + 2 : i + 1;
		return 0;
	}
	/* Airflow 3 as rendered here: "2025-01-01T00:00:05.123Z " */
	if (len >= 11 && isdigit((unsigned char)line[0]) &&
	    isdigit((unsigned char)line[3]) && line[4] == '-' &&
	    line[7] == '-' && line[10] == 'T') {
		for (i = 10; i < len && i < 48; i++)
			if (line[i] == ' ')
				return i + 1;
	}
	return 0;
}

static bool
has_word(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, w, n) == 0 &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + n == len || !isalnum((unsigned char)s[i + n])))
			return true;
	return false;
}

/* "ValueError: ..." or "airflow.exceptions.AirflowException" at column 0. */
static bool
exception_line(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
	    s[i] == '.'))
		i++;
	if (i < len && s[i] != ':')
		return false;
	return (i >= 5 && memcmp(s + i - 5, "Error", 5) == 0) ||
	    (i >= 9 && memcmp(s + i - 9, "Exception", 9) == 0) ||
	    (i >= 4 && memcmp(s + i - 4, "Exit", 4) == 0) ||
	    (i >= 9 && memcmp(s + i - 9, "Interrupt", 9) == 0);
}

int
logtext_severity(const char *line, size_t len)
{
	size_t	 skip = logtext_timestamp_prefix(line, len);
	const char *s = line + skip;
	size_t	 n = len - skip;
	size_t	 head = n < 96 ? n : 96;	/* the level is near the start */

	if (len >= 34 && memcmp(line, "Traceback (most recent call last):",
	    34) == 0)
		return LOG_SEV_ERROR;
	if (exception_line(line, len))
		return LOG_SEV_ERROR;
	if (has_word(s, head, "ERROR") || has_word(s, head, "CRITICAL") ||
	    has_word(s, head, "FATAL"))
		return LOG_SEV_ERROR;
	if (has_word(s, head, "WARNING") || has_word(s, head, "WARN"))
		return LOG_SEV_WARNING;
	return LOG_SEV_NONE;
}
