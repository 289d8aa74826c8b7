/*
 * config.c: reading the configuration file into struct config, by the
 * table of settings (config_table.c); resolving and freeing are in
 * settings.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>
#include <libpq-fe.h>

#include "composer.h"
#include "config.h"
#include "conninfo.h"
#include "number.h"
#include "pace.h"
#include "secret.h"
#include "sla.h"
#include "slots.h"
#include "xdg.h"

#define INCLUDE_DEPTH_MAX 8

struct parse_state {
	struct config	*cfg;
	const char	*file;
	FILE		*fp;
	int		 line;		/* line last read by the reader */
	int		 section_line;	/* line of the last [section] header */
	struct context	*cur;		/* NULL outside a context section */
	struct sla_def	*cur_sla;	/* NULL outside an sla section */
	struct fk_service *cur_svc;	/* NULL outside a service section */
	config_zone_check zone_ok;	/* timezone = of an [sla] */
	bool		 in_dagtop;	/* inside [dagtop] */
	bool		 bad_section;	/* inside a section already reported */
	int		 bad_line;	/* the header of that section */
	int		 depth;		/* include depth, 0 for the main file */
	struct parse_state *parent;	/* the including file's state */
	char		*real;		/* realpath of the file, for cycles */
	const char	*value;		/* the value being read: kept out of
					   messages when it holds a password */
	bool		 holds_secret;	/* this file (not its includes) */
};

static int	parse_file(struct config *, const char *, struct parse_state *,
		    config_zone_check);

static void	include_file(struct parse_state *, const char *);
static void config_error(struct parse_state *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Records "file:line: message" for the line being parsed. */
static void
config_error(struct parse_state *ps, const char *fmt, ...)
{
	va_list		ap;
	struct buf	msg = BUF_INIT;

	buf_printf(&ps->cfg->errors, "%s:%d: ", ps->file, ps->line);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	/* libpq's messages and ours may quote a password of the value. */
	scrub_secrets(buf_str(&msg), ps->value, &ps->cfg->errors);
	buf_free(&msg);
	buf_putc(&ps->cfg->errors, '\n');
}

/* A value with a password in it (URL userinfo, password=): a secret. */
static bool
value_has_secret(const char *v)
{
	char	*m = scrub_dup(v, v);
	bool	 differs = strcmp(m, v) != 0;

	free(m);
	return differs;
}

/* inih's reader: fgets that counts lines, so the handler knows where it is. */
static char *
counting_reader(char *str, int num, void *stream)
{
	struct parse_state *ps = stream;
	char *s = fgets(str, num, ps->fp);

	if (s != NULL) {
		ps->line++;
		if (s[strspn(s, " \t")] == '[')
			ps->section_line = ps->line;
	}
	return s;
}

/* A password inside a conninfo or URL: the file then holds a secret. */
static bool
conninfo_has_password(const char *v)
{
	PQconninfoOption	*opts, *o;
	char			*err = NULL;
	bool			 found = false;

	opts = PQconninfoParse(v, &err);
	if (opts == NULL) {
		PQfreemem(err);
		return false;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			found = true;
	PQconninfoFree(opts);
	return found;
}

static bool
valid_env_name(const char *v)
{
	const char *p;

	if (*v == '\0' || (*v >= '0' && *v <= '9'))
		return false;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* Whether v is one of the space-separated words of list. */
static bool
one_of(const char *v, const char *list)
{
	size_t n = strlen(v);
	const char *p = list;

	while (*p != '\0') {
		size_t m = strcspn(p, " ");

		if (m == n && n > 0 && strncmp(p, v, n) == 0)
			return true;
		p += m;
		p += strspn(p, " ");
	}
	return false;
}

/* "owner/name, owner/name": GitHub's characters, one slash each. */
static bool
valid_repos(const char *v)
{
	int	 slashes = 0, chars = 0, items = 0;

	for (;; v++) {
		if (*v == ',' || *v == '\0') {
			if (slashes != 1 || chars == 0)
				return false;
			items++;
			slashes = chars = 0;
			if (*v == '\0')
				return items > 0;
		} else if (*v == '/') {
			if (chars == 0 || slashes > 0)
				return false;
			slashes++;
			chars = 0;	/* the name after the slash counts now */
		} else if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_' ||
		    *v == '.')
			chars++;
		else if (*v != ' ' && *v != '\t')
			return false;
	}
}

/* "a b c" as "a, b or c", for messages. */
static void
words_said(const char *list, struct buf *out)
{
	const char	*p = list, *last = strrchr(list, ' ');

	while (*p != '\0') {
		size_t m = strcspn(p, " ");

		if (p != list)
			buf_puts(out, p == last + 1 ? " or " : ", ");
		buf_append(out, p, m);
		p += m;
		p += strspn(p, " ");
	}
}

/* Checks a database value; the file holds a secret if it has a password. */
static bool
conninfo_ok(struct parse_state *ps, const struct setting_def *d,
    const char *value)
{
	struct buf		 norm = BUF_INIT;
	PQconninfoOption	*opts;
	char			*err = NULL;

	db_conninfo_normalise(value, &norm);
	opts = PQconninfoParse(buf_str(&norm), &err);
	if (opts == NULL) {
		/* libpq's message names the offending part, not the password. */
		config_error(ps, "'%s' is not a valid connection string: %s",
		    d->name, err != NULL ? strtok(err, "\n") : "out of memory");
		PQfreemem(err);
		buf_free(&norm);
		return false;
	}
	PQconninfoFree(opts);
	if (conninfo_has_password(buf_str(&norm)))
		ps->cfg->holds_secret = ps->holds_secret = true;
	buf_free(&norm);
	return true;
}

/* Whether a string value fits its row; says why not. */
static bool
string_ok(struct parse_state *ps, const struct setting_def *d,
    const char *value)
{
	struct buf	 list = BUF_INIT, why = BUF_INIT;

	switch (d->type) {
	case T_ENUM:
		if (one_of(value, d->words))
			return true;
		words_said(d->words, &list);
		config_error(ps, "'%s' must be %s, not '%s'", d->name,
		    buf_str(&list), value);
		buf_free(&list);
		return false;
	case T_RESERVATION:
		if (bq_valid_reservation(value))
			return true;
		config_error(ps, "'%s' must be ADMIN-PROJECT:LOCATION.NAME (as "
		    "reservation_id spells it), not '%s'", d->name, value);
		return false;
	case T_PROJECT:
		if (bq_valid_project(value))
			return true;
		config_error(ps, "'%s' is not a valid project id: '%s'",
		    d->name, value);
		return false;
	case T_REGION:
		if (bq_valid_region(value))
			return true;
		config_error(ps, "'%s' is not a valid location: '%s'", d->name,
		    value);
		return false;
	case T_ENVNAME:
		if (valid_env_name(value))
			return true;
		config_error(ps, "'%s' names an environment variable; '%s' is "
		    "not a variable name", d->name, value);
		return false;
	case T_URL:
		if (strncmp(value, "http://", 7) == 0 ||
		    strncmp(value, "https://", 8) == 0)
			return true;
		config_error(ps, "'%s' must be an http:// or https:// URL, not "
		    "'%s'", d->name, value);
		return false;
	case T_CONNINFO:
		return conninfo_ok(ps, d, value);
	case T_REPOS:
		if (valid_repos(value))
			return true;
		config_error(ps, "'%s' must list repositories as owner/name, "
		    "separated by commas, not '%s'", d->name, value);
		return false;
	case T_ZONE:
		if (ps->zone_ok != NULL && !ps->zone_ok(value, &why)) {
			config_error(ps, "'%s': %s", d->name, buf_str(&why));
			buf_free(&why);
			return false;
		}
		/* FALLTHROUGH */
	case T_STRING:
	case T_COMMAND:
	case T_PATH:
		if (*value != '\0')
			return true;
		config_error(ps, "'%s' is empty", d->name);
		return false;
	default:
		return true;
	}
}

/* Why a number, a flag or a day does not fit its row. */
static void
int_error(struct parse_state *ps, const struct setting_def *d,
    const char *value)
{
	int n;

	switch (d->type) {
	case T_BOOL:
		config_error(ps, "'%s' must be true or false, not '%s'",
		    d->name, value);
		break;
	case T_SECONDS:
		if (d->min == PACE_REFRESH_MIN &&
		    parse_int_range(value, 0, d->min - 1, &n) == 0) {
			config_error(ps, "'%s' = %s is under the minimum refresh "
			    "of %d seconds, which spares the Airflow database",
			    d->name, value, d->min);
			break;
		}
		config_error(ps, "'%s' must be a whole number of seconds from "
		    "%d to %d, not '%s'", d->name, d->min, d->max, value);
		break;
	case T_NUMBER:
		config_error(ps, "'%s' must be a whole number from %d to %d, "
		    "not '%s'", d->name, d->min, d->max, value);
		break;
	case T_MIB:
		config_error(ps, "'%s' must be a size from 1M to 1T such as 512M "
		    "or 4G, not '%s'", d->name, value);
		break;
	case T_YEAR:
		config_error(ps, "'%s' must be a DORA report year with bands: "
		    "2021, 2022, 2023 or 2024, not '%s'", d->name, value);
		break;
	case T_WEEKDAY:
		config_error(ps, "'%s' must be a day (monday, sunday, ...), not "
		    "'%s'", d->name, value);
		break;
	default:	/* T_DEADLINE */
		config_error(ps, "'%s' must be a local time HH:MM from 00:00 to "
		    "23:59, not '%s'", d->name, value);
		break;
	}
}

/* Stores a value into its field of base (the section's struct). */
static void
set_value(struct parse_state *ps, void *base, const struct setting_def *d,
    const char *value)
{
	char		**sp = (char **)((char *)base + d->offset);
	int		 *ip = (int *)((char *)base + d->offset), n;
	struct buf	  err = BUF_INIT;

	if (d->type == T_DAYS) {
		if (sla_parse_days(value, (unsigned *)ip, &err) != 0)
			config_error(ps, "'%s': %s", d->name, buf_str(&err));
		buf_free(&err);
	} else if (!setting_is_string(d)) {
		if (setting_parse_int(d, value, &n))
			*ip = n;
		else
			int_error(ps, d, value);
	} else if (string_ok(ps, d, value)) {
		free(*sp);
		*sp = xstrdup(value);
	}
}

/* A key of a section: its row's value, refused, or unknown. */
static void
set_key(struct parse_state *ps, unsigned section, void *base,
    const char *header, const char *name, const char *value)
{
	const struct setting_def *d = setting_find(section, name);

	if (d == NULL || d->type == T_INCLUDE)
		config_error(ps, "unknown key '%s' in [%s]", name, header);
	else if (d->type == T_REFUSED)
		config_error(ps, "'%s' is not read from the file, to keep "
		    "secrets out of it; use %s", name, d->words);
	else
		set_value(ps, base, d, value);
}

/*
 * Sets a section's ints to their default, or -1 (unset) where the table
 * has none; its strings are NULL already.
 */
static void
section_unset(unsigned section, void *base)
{
	const struct setting_def	*d;
	int				*ip;

	for (d = settings_table; d->name != NULL; d++) {
		if ((d->sections & section) == 0 || d->offset == SETTING_NONE ||
		    setting_is_string(d) || d->type == T_DAYS)
			continue;
		ip = (int *)((char *)base + d->offset);
		if (d->def == NULL || section == SEC_CONTEXT ||
		    !setting_parse_int(d, d->def, ip))
			*ip = -1;
	}
}

static struct context *
context_new(struct config *cfg, const char *name, const char *file, int line)
{
	struct context *c;

	cfg->ctx = xreallocarray(cfg->ctx, cfg->nctx + 1, sizeof *cfg->ctx);
	c = &cfg->ctx[cfg->nctx++];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->file = xstrdup(file);
	c->line = line;
	section_unset(SEC_CONTEXT, c);
	return c;
}

/* The NAME of [sla "NAME"] or [sla NAME]; NULL when there is none. */
static char *
sla_section_name(const char *section)
{
	const char	*p = section + strcspn(section, " \t");
	size_t		 n;

	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p++;
		n -= 2;
	}
	if (n == 0)
		return NULL;
	return xstrndup(p, n);
}

static struct sla_def *
sla_new(struct config *cfg, char *name, const char *file, int line)
{
	struct sla_def *d;

	cfg->sla = xreallocarray(cfg->sla, cfg->nsla + 1, sizeof *cfg->sla);
	d = &cfg->sla[cfg->nsla++];
	memset(d, 0, sizeof *d);
	d->name = name;
	d->file = xstrdup(file);
	d->line = line;
	d->deadline = -1;
	d->days = SLA_ALL_DAYS;
	return d;
}

/* Where an SLA of that name was defined: 0 with file and line, or -1. */
static int
sla_defined(const struct config *cfg, const char *name, const char **file,
    int *line)
{
	size_t i;

	for (i = 0; i < cfg->nsla; i++) {
		if (strcmp(cfg->sla[i].name, name) == 0) {
			*file = cfg->sla[i].file;
			*line = cfg->sla[i].line;
			return 0;
		}
	}
	return -1;
}

/* Where a service of that name was defined: 0 with file and line, or -1. */
static int
service_defined(const struct config *cfg, const char *name, const char **file,
    int *line)
{
	size_t i;

	for (i = 0; i < cfg->nsvc; i++) {
		if (strcmp(cfg->svc[i].name, name) == 0) {
			*file = cfg->svc[i].file;
			*line = cfg->svc[i].line;
			return 0;
		}
	}
	return -1;
}

/*
 * The NAME of a new [KIND "NAME"] section, read at its header; NULL when
 * it has none (noname says so) or one defined before (said at the header
 * with label, "SLA" or "service"); either way the section is skipped.
 */
static char *
new_section_name(struct parse_state *ps, const char *section,
    const char *noname, const char *label,
    int (*defined)(const struct config *, const char *, const char **, int *))
{
	char		*name = sla_section_name(section);
	const char	*file;
	int		 line, here = ps->line;

	ps->line = ps->section_line;
	if (name == NULL)
		config_error(ps, "%s", noname);
	else if (defined(ps->cfg, name, &file, &line) == 0) {
		config_error(ps, "%s '%s' is already defined at %s:%d", label,
		    name, file, line);
		free(name);
		name = NULL;
	}
	if (name == NULL) {
		ps->bad_section = true;
		ps->bad_line = ps->section_line;
	}
	ps->line = here;
	return name;
}

/* Whether the section being read is the one at file:line already. */
static bool
section_current(struct parse_state *ps, const char *file, int line)
{
	return line == ps->section_line && strcmp(file, ps->file) == 0;
}

/* The [sla "NAME"] being read: a new one at its header; NULL if refused. */
static struct sla_def *
sla_section(struct parse_state *ps, const char *section)
{
	char *name;

	if (ps->cur_sla != NULL && section_current(ps, ps->cur_sla->file,
	    ps->cur_sla->line))
		return ps->cur_sla;
	if ((name = new_section_name(ps, section,
	    "an [sla] section needs a name: [sla \"NAME\"]", "SLA",
	    sla_defined)) == NULL)
		return NULL;
	return ps->cur_sla = sla_new(ps->cfg, name, ps->file,
	    ps->section_line);
}

/* The [service "NAME"] being read: a new one at its header; NULL if refused. */
static struct fk_service *
service_section(struct parse_state *ps, const char *section)
{
	struct fk_service	*d;
	char			*name;

	if (ps->cur_svc != NULL && section_current(ps, ps->cur_svc->file,
	    ps->cur_svc->line))
		return ps->cur_svc;
	if ((name = new_section_name(ps, section,
	    "a [service] section needs a name: [service \"NAME\"]", "service",
	    service_defined)) == NULL)
		return NULL;
	ps->cfg->svc = xreallocarray(ps->cfg->svc, ps->cfg->nsvc + 1,
	    sizeof *ps->cfg->svc);
	d = ps->cur_svc = &ps->cfg->svc[ps->cfg->nsvc++];
	memset(d, 0, sizeof *d);
	d->name = name;
	d->file = xstrdup(ps->file);
	d->line = ps->section_line;
	return d;
}

/* The [context NAME] being read (a name again adds to it). */
static struct context *
context_section(struct parse_state *ps, const char *section)
{
	const char	*cname = section + 8;
	size_t		 i;

	while (*cname == ' ')
		cname++;
	if (ps->cur == NULL || strcmp(ps->cur->name, cname) != 0) {
		ps->cur = NULL;
		for (i = 0; i < ps->cfg->nctx; i++)
			if (strcmp(ps->cfg->ctx[i].name, cname) == 0)
				ps->cur = &ps->cfg->ctx[i];
		if (ps->cur == NULL)
			ps->cur = context_new(ps->cfg, cname, ps->file,
			    ps->line);
	}
	return ps->cur;
}

/*
 * inih keeps this many bytes of a section header (its MAX_SECTION, 50,
 * with the terminating NUL): a longer one reaches the handler cut short.
 */
#define INI_SECTION_KEPT	49

/* Whether section is "WORD NAME" (or WORD alone when bare may be). */
static bool
section_is(const char *section, const char *word, bool bare)
{
	size_t n = strlen(word);

	return strncmp(section, word, n) == 0 && (section[n] == ' ' ||
	    section[n] == '\t' || (bare && section[n] == '\0'));
}

static int
config_ini_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct parse_state	*ps = user;
	struct fk_service	*svc;
	void			*base;
	unsigned		 which;

	/* Builds with INI_CALL_HANDLER_ON_NEW_SECTION call once per section. */
	if (name == NULL)
		return 1;
	if (ps->bad_section && ps->bad_line == ps->section_line)
		return 1;
	ps->bad_section = false;
	ps->value = value;
	if (value_has_secret(value))
		ps->cfg->holds_secret = ps->holds_secret = true;

	if (strcmp(name, "include") == 0 && (*section == '\0' ||
	    strcmp(section, "dagtop") == 0)) {
		include_file(ps, value);
		return 1;
	}
	if (strlen(section) >= INI_SECTION_KEPT) {
		/* inih cut it: a name that is not the one written. */
		int here = ps->line;

		ps->line = ps->section_line;	/* point at the header */
		config_error(ps, "section header too long (at most %d "
		    "characters between [ and ]): [%s...", INI_SECTION_KEPT - 1,
		    section);
		ps->line = here;
		ps->bad_section = true;
		ps->bad_line = ps->section_line;
		return 1;
	}
	if (section_is(section, "sla", false)) {
		which = SEC_SLA;
		base = sla_section(ps, section);
	} else if (section_is(section, "service", true)) {
		which = SEC_SERVICE;
		base = svc = service_section(ps, section);
		/* inih hands each continuation line over as the key again. */
		if (svc != NULL && strcmp(name, "query") == 0 &&
		    svc->query != NULL) {
			struct buf q = BUF_INIT;

			buf_printf(&q, "%s\n%s", svc->query, value);
			free(svc->query);
			svc->query = buf_detach(&q);
			return 1;
		}
	} else if (strcmp(section, "dagtop") == 0) {
		which = SEC_DAGTOP;
		base = ps->cfg;
	} else if (strncmp(section, "context ", 8) == 0) {
		which = SEC_CONTEXT;
		base = context_section(ps, section);
	} else if (strcmp(section, "context-defaults") == 0) {
		which = SEC_CONTEXT;
		if (ps->cfg->ctx_defaults == NULL) {
			ps->cfg->ctx_defaults = xcalloc(1,
			    sizeof *ps->cfg->ctx_defaults);
			section_unset(SEC_CONTEXT, ps->cfg->ctx_defaults);
		}
		base = ps->cfg->ctx_defaults;
	} else {
		int here = ps->line;

		ps->line = ps->section_line;	/* point at the header */
		config_error(ps, "unknown section [%s]", section);
		ps->line = here;
		ps->bad_section = true;
		ps->bad_line = ps->section_line;
		return 1;
	}
	if (base != NULL)
		set_key(ps, which, base, section, name, value);
	if (which == SEC_DAGTOP && strcmp(name, "contexts") == 0) {
		/* Where, for the check once every context is read. */
		free(ps->cfg->contexts_file);
		ps->cfg->contexts_file = xstrdup(ps->file);
		ps->cfg->contexts_line = ps->line;
	}
	return 1;
}

/* include = FILE: read it here; relative to the including file's folder. */
static void
include_file(struct parse_state *ps, const char *value)
{
	struct buf		 path = BUF_INIT;
	const char		*slash;
	char			 real[PATH_MAX];
	struct parse_state	*p;

	if (*value == '\0') {
		config_error(ps, "'include' needs a file name");
		return;
	}
	if (value[0] == '~' && value[1] == '/' && getenv("HOME") != NULL)
		buf_printf(&path, "%s%s", getenv("HOME"), value + 1);
	else if (value[0] != '/' && (slash = strrchr(ps->file, '/')) != NULL)
		buf_printf(&path, "%.*s/%s", (int)(slash - ps->file), ps->file,
		    value);
	else
		buf_puts(&path, value);
	if (ps->depth + 1 > INCLUDE_DEPTH_MAX) {
		config_error(ps, "includes nested more than %d deep at '%s'",
		    INCLUDE_DEPTH_MAX, value);
		buf_free(&path);
		return;
	}
	if (realpath(buf_str(&path), real) != NULL) {
		for (p = ps; p != NULL; p = p->parent) {
			if (p->real != NULL && strcmp(p->real, real) == 0) {
				config_error(ps, "include cycle: '%s' is "
				    "already being read", value);
				buf_free(&path);
				return;
			}
		}
	}
	if (parse_file(ps->cfg, buf_str(&path), ps, ps->zone_ok) != 0)
		config_error(ps, "cannot include '%s': %s", value,
		    strerror(errno));
	buf_free(&path);
}

char *
config_default_path(void)
{
	char *p = xdg_path(XDG_CONFIG, "config");

	/* No absolute home: a path that cannot exist, so no file is read. */
	return p != NULL ? p : xstrdup("/.config/dagtop/config");
}

/*
 * Reads one file into cfg: the main file (parent NULL) or an included one.
 * Returns -1 with errno when it cannot be opened; parse problems are
 * recorded in cfg->errors.
 */
static int
parse_file(struct config *cfg, const char *path, struct parse_state *parent,
    config_zone_check zone_ok)
{
	struct parse_state	 ps;
	char			 real[PATH_MAX];
	int			 rc;

	memset(&ps, 0, sizeof ps);
	ps.cfg = cfg;
	ps.zone_ok = zone_ok;
	ps.file = path;
	ps.parent = parent;
	ps.depth = parent != NULL ? parent->depth + 1 : 0;
	ps.fp = fopen(path, "re");
	if (ps.fp == NULL)
		return -1;
	if (realpath(path, real) != NULL)
		ps.real = xstrdup(real);
	rc = ini_parse_stream(counting_reader, &ps, config_ini_handler, &ps);
	/* Each file that holds a password is checked, included ones too. */
	{
		struct stat st;

		if (fstat(fileno(ps.fp), &st) == 0 && (st.st_mode & 077) != 0) {
			if (parent == NULL)
				cfg->exposed = true;
			if (ps.holds_secret)
				buf_printf(&cfg->warnings, "%s holds a "
				    "password and is readable by others; chmod "
				    "600 it, or take the password from the "
				    "environment (database_password_env)\n",
				    path);
		}
	}
	fclose(ps.fp);
	free(ps.real);
	if (rc > 0)
		buf_printf(&cfg->errors, "%s:%d: syntax error (expected "
		    "[section], key = value, or a ; comment)\n", path, rc);
	else if (rc < 0)
		buf_printf(&cfg->errors, "%s: cannot parse (out of memory)\n",
		    path);
	return 0;
}

/* What an SLA must say, checked once every file has been read. */
static void
check_slas(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsla; i++) {
		const struct sla_def *d = &cfg->sla[i];

		if (d->dag_id == NULL)
			buf_printf(&cfg->errors, "%s:%d: [sla \"%s\"] needs "
			    "'dag ='\n", d->file, d->line, d->name);
		if (d->deadline < 0)
			buf_printf(&cfg->errors, "%s:%d: [sla \"%s\"] needs "
			    "'deadline = HH:MM'\n", d->file, d->line, d->name);
	}
}

/*
 * What a context must say, checked once every file has been read: a
 * Composer environment in the shape its API names it, and not beside an
 * airflow_api (the environment gives the URL: two would disagree).
 */
static void
check_contexts(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nctx; i++) {
		const struct context *c = &cfg->ctx[i];

		if (c->mwaa_environment != NULL && (c->airflow_api != NULL ||
		    c->composer_environment != NULL))
			buf_printf(&cfg->errors, "%s:%d: [context %s] sets "
			    "'mwaa_environment' with 'airflow_api' or "
			    "'composer_environment'; keep one\n", c->file,
			    c->line, c->name);
		if (c->mwaa_environment != NULL && c->aws_region == NULL)
			buf_printf(&cfg->errors, "%s:%d: [context %s] "
			    "'mwaa_environment' needs 'aws_region'\n", c->file,
			    c->line, c->name);
		if (c->composer_environment == NULL)
			continue;
		if (!composer_valid_environment(c->composer_environment))
			buf_printf(&cfg->errors, "%s:%d: [context %s] "
			    "'composer_environment' must be projects/PROJECT/"
			    "locations/REGION/environments/NAME, not '%s'\n",
			    c->file, c->line, c->name, c->composer_environment);
		if (c->airflow_api != NULL)
			buf_printf(&cfg->errors, "%s:%d: [context %s] sets "
			    "both 'composer_environment' and 'airflow_api': "
			    "the environment gives the API's URL; keep one\n",
			    c->file, c->line, c->name);
	}
}

/*
 * [context-defaults] merged into every context, once every file is read:
 * each value a context does not set itself, so that its own wins wherever
 * either stands in the files; c->inherited marks the values taken.
 */
static void
apply_context_defaults(struct config *cfg)
{
	const struct setting_def	*d;
	const struct context		*def = cfg->ctx_defaults;
	size_t				 i, rows = 0;

	while (settings_table[rows].name != NULL)
		rows++;
	for (i = 0; def != NULL && i < cfg->nctx; i++) {
		struct context *c = &cfg->ctx[i];

		for (d = settings_table; d->name != NULL; d++) {
			const char *from = (const char *)def + d->offset;
			char *to = (char *)c + d->offset;
			bool took = false;

			if ((d->sections & SEC_CONTEXT) == 0 ||
			    d->offset == SETTING_NONE)
				continue;
			if (setting_is_string(d)) {
				took = *(char **)to == NULL &&
				    *(char *const *)from != NULL;
				if (took)
					*(char **)to =
					    xstrdup(*(char *const *)from);
			} else if ((took = *(int *)to < 0 &&
			    *(const int *)from >= 0))
				*(int *)to = *(const int *)from;
			if (took && c->inherited == NULL)
				c->inherited = xcalloc(rows,
				    sizeof *c->inherited);
			if (took)
				c->inherited[d - settings_table] = true;
		}
	}
}

/* [dagtop] contexts = names contexts the files define, each once. */
static void
check_context_list(struct config *cfg)
{
	struct buf		 why = BUF_INIT;
	const struct context	**v = NULL;
	size_t			 n;

	if (cfg->contexts == NULL)
		return;
	if (config_context_list(cfg, cfg->contexts, &v, &n, &why) != 0)
		buf_printf(&cfg->errors, "%s:%d: 'contexts': %s\n",
		    cfg->contexts_file, cfg->contexts_line, buf_str(&why));
	free(v);
	buf_free(&why);
}

/* What a service must say, checked once every file has been read. */
static void
check_services(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsvc; i++) {
		const struct fk_service *d = &cfg->svc[i];
		bool sql = d->source != NULL && strcmp(d->source, "sql") == 0;

		if (sql && d->database == NULL)
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "with source = sql needs 'database ='\n",
			    d->file, d->line, d->name);
		if (sql && (d->query == NULL) == (d->query_file == NULL))
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "with source = sql needs one of 'query =' or "
			    "'query_file ='\n", d->file, d->line, d->name);
		if (!sql && d->repos == NULL)
			buf_printf(&cfg->errors, "%s:%d: [service \"%s\"] "
			    "needs 'repos = owner/name'\n", d->file, d->line,
			    d->name);
	}
}

int
config_load(struct config *cfg, const char *explicit_path,
    config_zone_check zone_ok)
{
	const char	*env = getenv("DAGTOP_CONFIG");

	memset(cfg, 0, sizeof *cfg);
	section_unset(SEC_DAGTOP, cfg);	/* week_start: monday, as ISO 8601 */
	if (explicit_path == NULL && env != NULL && *env != '\0')
		explicit_path = env;
	cfg->path = explicit_path != NULL ? xstrdup(explicit_path) :
	    config_default_path();

	if (parse_file(cfg, cfg->path, NULL, zone_ok) != 0) {
		if (errno == ENOENT && explicit_path == NULL)
			return 0;	/* no file: no configuration */
		buf_printf(&cfg->errors, "%s: cannot read: %s\n", cfg->path,
		    strerror(errno));
		return -1;
	}
	cfg->loaded = true;
	check_slas(cfg);
	apply_context_defaults(cfg);
	check_contexts(cfg);
	check_context_list(cfg);
	check_services(cfg);
	return cfg->errors.len > 0 ? -1 : 0;
}

size_t
config_slas(const struct config *cfg, const char *context,
    const struct sla_def **out)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->nsla; i++) {
		const struct sla_def *d = &cfg->sla[i];

		if (d->context == NULL || (context != NULL &&
		    strcmp(d->context, context) == 0))
			out[n++] = d;
	}
	return n;
}
