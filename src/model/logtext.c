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
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "logtext.h"

#define NDJSON_MAX_LINE	(1u << 20)

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
logtext_entry(const char *json, size_t len, struct buf *out)
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
