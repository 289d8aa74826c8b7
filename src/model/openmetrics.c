/* openmetrics.c: Prometheus text, checked and escaped (openmetrics.h). */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openmetrics.h"
#include "sanitize.h"

struct om_sample {
	char		*labels;	/* "{a=\"x\",b=\"y\"}" or "" */
	uint64_t	 hash;		/* of labels, to find a repeat fast */
	double		 value;
};

struct om_family {
	char		*name;
	char		*help;
	enum om_type	 type;
	struct om_sample *v;
	size_t		 n, cap;
};

static bool
name_char(char c, bool first, bool colon)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	if (colon && c == ':')
		return true;
	return !first && c >= '0' && c <= '9';
}

static bool
name_ok(const char *s, bool colon)
{
	const char *p;

	if (s == NULL || *s == '\0')
		return false;
	for (p = s; *p != '\0'; p++)
		if (!name_char(*p, p == s, colon))
			return false;
	return true;
}

bool
om_metric_name_ok(const char *s)
{
	return name_ok(s, true);
}

bool
om_label_name_ok(const char *s)
{
	return name_ok(s, false) && strncmp(s, "__", 2) != 0;
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

void
om_init(struct om *m)
{
	m->fam = NULL;
	m->nfam = 0;
}

void
om_free(struct om *m)
{
	size_t i, k;

	for (i = 0; i < m->nfam; i++) {
		for (k = 0; k < m->fam[i].n; k++)
			free(m->fam[i].v[k].labels);
		free(m->fam[i].v);
		free(m->fam[i].name);
		free(m->fam[i].help);
	}
	free(m->fam);
	om_init(m);
}

static struct om_family *
find_family(const struct om *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nfam; i++)
		if (strcmp(m->fam[i].name, name) == 0)
			return &m->fam[i];
	return NULL;
}

int
om_family(struct om *m, const char *name, enum om_type type, const char *help)
{
	struct om_family *f;

	if (!om_metric_name_ok(name) ||
	    ends_with(name, "_total") != (type == OM_COUNTER))
		return -1;
	if ((f = find_family(m, name)) != NULL)
		return f->type == type ? 0 : -1;
	m->fam = xreallocarray(m->fam, m->nfam + 1, sizeof *m->fam);
	f = &m->fam[m->nfam++];
	memset(f, 0, sizeof *f);
	f->name = xstrdup(name);
	f->help = xstrdup(help != NULL ? help : "");
	f->type = type;
	return 0;
}

/*
 * s made valid UTF-8 (ill-formed bytes become U+FFFD, escapes and other
 * controls are shown, not kept), then the escapes the format knows: a
 * backslash and a newline everywhere, a double quote in a label value only
 * (HELP text keeps it as it is).
 */
static void
put_escaped(struct buf *b, const char *s, bool quote)
{
	struct buf	 t = BUF_INIT;
	const char	*p;

	sanitize_append(&t, s, strlen(s), SAN_NEWLINES | SAN_SHOW_ESCAPES);
	for (p = buf_str(&t); *p != '\0'; p++) {
		if (*p == '\\')
			buf_puts(b, "\\\\");
		else if (*p == '"' && quote)
			buf_puts(b, "\\\"");
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *p);
	}
	buf_free(&t);
}

void
om_put_label_value(struct buf *b, const char *s)
{
	put_escaped(b, s, true);
}

/* The locale's decimal point (LC_NUMERIC) turned back into '.'. */
static void
put_number(struct buf *b, const char *s)
{
	const char	*dp = localeconv()->decimal_point;
	size_t		 n = dp != NULL ? strlen(dp) : 0;

	for (; *s != '\0'; s++) {
		if (n > 0 && strncmp(s, dp, n) == 0) {
			buf_putc(b, '.');
			s += n - 1;
		} else
			buf_putc(b, *s);
	}
}

void
om_put_value(struct buf *b, double v)
{
	char s[40];

	if (isnan(v)) {
		buf_puts(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_puts(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == 0) {
		buf_putc(b, '0');	/* not "-0" */
		return;
	}
	if (v == trunc(v) && fabs(v) < 1e17) {
		snprintf(s, sizeof s, "%.0f", v);
		buf_puts(b, s);
		return;
	}
	/* The shortest of 15 or 17 digits that reads back as v. */
	snprintf(s, sizeof s, "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof s, "%.17g", v);
	put_number(b, s);
}

int
om_addv(struct om *m, const char *name, double value,
    const struct om_label *l, size_t n)
{
	struct om_family	*f = find_family(m, name);
	struct om_sample	*smp;
	struct buf		 lb = BUF_INIT;
	size_t			 i, k, shown = 0;
	uint64_t		 h;

	if (f == NULL || n > OM_MAX_LABELS)
		return -1;
	for (i = 0; i < n; i++) {
		if (!om_label_name_ok(l[i].name))
			return -1;
		for (k = 0; k < i; k++)
			if (strcmp(l[k].name, l[i].name) == 0)
				return -1;
	}
	for (i = 0; i < n; i++) {
		/* An empty value is the label's absence to Prometheus. */
		if (l[i].value == NULL || *l[i].value == '\0')
			continue;
		buf_putc(&lb, shown++ == 0 ? '{' : ',');
		buf_printf(&lb, "%s=\"", l[i].name);
		om_put_label_value(&lb, l[i].value);
		buf_putc(&lb, '"');
	}
	if (shown > 0)
		buf_putc(&lb, '}');
	h = str_hash(buf_str(&lb));
	for (i = 0; i < f->n; i++) {
		if (f->v[i].hash == h &&
		    strcmp(f->v[i].labels, buf_str(&lb)) == 0) {
			buf_free(&lb);
			return 1;
		}
	}
	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 8 : f->cap * 2;
		f->v = xreallocarray(f->v, f->cap, sizeof *f->v);
	}
	smp = &f->v[f->n++];
	smp->labels = buf_detach(&lb);
	smp->hash = h;
	smp->value = value;
	return 0;
}

int
om_add(struct om *m, const char *name, double value, ...)
{
	struct om_label	 l[OM_MAX_LABELS + 1];
	size_t		 n = 0;
	const char	*ln;
	va_list		 ap;

	va_start(ap, value);
	while ((ln = va_arg(ap, const char *)) != NULL) {
		if (n == OM_MAX_LABELS + 1) {
			va_end(ap);
			return -1;
		}
		l[n].name = ln;
		l[n++].value = va_arg(ap, const char *);
	}
	va_end(ap);
	return om_addv(m, name, value, l, n);
}

void
om_write(const struct om *m, struct buf *b)
{
	size_t i, k;

	for (i = 0; i < m->nfam; i++) {
		const struct om_family *f = &m->fam[i];

		if (f->n == 0)
			continue;
		buf_printf(b, "# HELP %s ", f->name);
		put_escaped(b, f->help, false);
		buf_printf(b, "\n# TYPE %s %s\n", f->name,
		    f->type == OM_COUNTER ? "counter" : "gauge");
		for (k = 0; k < f->n; k++) {
			buf_printf(b, "%s%s ", f->name, f->v[k].labels);
			om_put_value(b, f->v[k].value);
			buf_putc(b, '\n');
		}
	}
}
