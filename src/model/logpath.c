/*
 * logpath.c: the subset of Jinja (and of str.format) that Airflow's log
 * filename templates use; see logpath.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "logpath.h"

const char logpath_default_v2[] =
    "dag_id={{ ti.dag_id }}/run_id={{ ti.run_id }}/task_id={{ ti.task_id }}/"
    "{% if ti.map_index >= 0 %}map_index={{ ti.map_index }}/{% endif %}"
    "attempt={{ try_number }}.log";
const char logpath_default_v3[] =
    "dag_id={{ ti.dag_id }}/run_id={{ ti.run_id }}/task_id={{ ti.task_id }}/"
    "{% if ti.map_index >= 0 %}map_index={{ ti.map_index }}/{% endif %}"
    "attempt={{ try_number|default(ti.try_number) }}.log";

/* The expression between the braces, spaces removed. */
static void
squeeze(const char *s, size_t len, char *out, size_t outsz)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < outsz; i++)
		if (!isspace((unsigned char)s[i]))
			out[n++] = s[i];
	out[n] = '\0';
}

/* Appends the value of a variable; -1 when it is not one we know. */
static int
variable(const char *name, const struct logpath_ti *ti, struct buf *out)
{
	if (strncmp(name, "ti.", 3) == 0)
		name += 3;
	else if (strncmp(name, "task_instance.", 14) == 0)
		name += 14;
	if (strcmp(name, "dag_id") == 0)
		buf_puts(out, ti->dag_id);
	else if (strcmp(name, "run_id") == 0)
		buf_puts(out, ti->run_id);
	else if (strcmp(name, "task_id") == 0)
		buf_puts(out, ti->task_id);
	else if (strcmp(name, "map_index") == 0)
		buf_printf(out, "%d", ti->map_index);
	else if (strcmp(name, "try_number") == 0 ||
	    strcmp(name, "try_number|default(ti.try_number)") == 0 ||
	    strcmp(name, "try_number|default(try_number)") == 0)
		buf_printf(out, "%d", ti->try_number);
	else if (strcmp(name, "ts") == 0 && ti->ts != NULL)
		buf_puts(out, ti->ts);
	else
		return -1;
	return 0;
}

/* Evaluates the conditions Airflow's templates use on map_index. */
static int
condition(const char *cond, const struct logpath_ti *ti, bool *value)
{
	if (strcmp(cond, "ti.map_index>=0") == 0 ||
	    strcmp(cond, "ti.map_index>-1") == 0)
		*value = ti->map_index >= 0;
	else if (strcmp(cond, "ti.map_index<0") == 0 ||
	    strcmp(cond, "ti.map_index==-1") == 0)
		*value = ti->map_index < 0;
	else
		return -1;
	return 0;
}

static int
render_jinja(const char *t, const struct logpath_ti *ti, struct buf *out,
    struct buf *err)
{
	bool	 skipping = false, in_if = false;
	char	 expr[128];

	while (*t != '\0') {
		const char *end;

		if (t[0] == '{' && (t[1] == '{' || t[1] == '%')) {
			bool stmt = t[1] == '%';

			end = strstr(t + 2, stmt ? "%}" : "}}");
			if (end == NULL) {
				buf_printf(err, "unterminated %s in the log "
				    "filename template", stmt ? "{%" : "{{");
				return -1;
			}
			squeeze(t + 2, (size_t)(end - t - 2), expr, sizeof expr);
			/* Jinja's whitespace control: {%- and -%}. */
			if (expr[0] == '-')
				memmove(expr, expr + 1, strlen(expr));
			if (expr[0] != '\0' && expr[strlen(expr) - 1] == '-')
				expr[strlen(expr) - 1] = '\0';
			if (stmt && strncmp(expr, "if", 2) == 0 && !in_if) {
				bool v;

				if (condition(expr + 2, ti, &v) != 0)
					goto unsupported;
				in_if = true;
				skipping = !v;
			} else if (stmt && strcmp(expr, "else") == 0 && in_if)
				skipping = !skipping;
			else if (stmt && strcmp(expr, "endif") == 0 && in_if)
				in_if = skipping = false;
			else if (stmt)
				goto unsupported;
			else if (!skipping && variable(expr, ti, out) != 0)
				goto unsupported;
			t = end + 2;
			continue;
		}
		if (!skipping)
			buf_putc(out, *t);
		t++;
	}
	if (in_if) {
		buf_puts(err, "{% if %} without {% endif %} in the log filename "
		    "template");
		return -1;
	}
	return 0;
unsupported:
	buf_printf(err, "the log filename template uses '%s', which dagtop "
	    "cannot render; set log_folder's template with the API instead",
	    expr);
	return -1;
}

/* Python str.format: {dag_id}/{task_id}/{ts}/{try_number}.log */
static int
render_format(const char *t, const struct logpath_ti *ti, struct buf *out,
    struct buf *err)
{
	char expr[128];

	while (*t != '\0') {
		if (t[0] == '{' && t[1] == '{') {
			buf_putc(out, '{');
			t += 2;
		} else if (t[0] == '}' && t[1] == '}') {
			buf_putc(out, '}');
			t += 2;
		} else if (t[0] == '{') {
			const char *end = strchr(t, '}');

			if (end == NULL) {
				buf_puts(err, "unterminated { in the log "
				    "filename template");
				return -1;
			}
			squeeze(t + 1, (size_t)(end - t - 1), expr, sizeof expr);
			if (variable(expr, ti, out) != 0) {
				buf_printf(err, "the log filename template uses "
				    "'{%s}', which dagtop cannot render", expr);
				return -1;
			}
			t = end + 1;
		} else
			buf_putc(out, *t++);
	}
	return 0;
}

int
logpath_render(const char *tmpl, const struct logpath_ti *ti,
    struct buf *out, struct buf *err)
{
	size_t	start = out->len;
	int	rc;
	const char *p;

	if (strstr(tmpl, "{{") != NULL || strstr(tmpl, "{%") != NULL)
		rc = render_jinja(tmpl, ti, out, err);
	else
		rc = render_format(tmpl, ti, out, err);
	if (rc != 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return -1;
	}
	/* No segment may climb out of the folder, and no path may be absolute. */
	p = out->data != NULL ? out->data + start : "";
	if (*p == '/' || strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0 ||
	    strstr(p, "/../") != NULL ||
	    (strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0)) {
		out->len = start;
		out->data[start] = '\0';
		buf_puts(err, "the log path would leave the log folder (an id "
		    "holds '..' or starts with '/')");
		return -1;
	}
	return 0;
}
