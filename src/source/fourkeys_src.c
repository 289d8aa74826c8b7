/*
 * fourkeys_src.c: the Four Keys services read from GitHub or SQL
 * (fourkeys_src.h).  Each service is one of two kinds (fourkeys_int.h):
 * read from GitHub (fourkeys_github.c) or by a SQL query
 * (fourkeys_sql.c).  A refresh runs the kind's reads; when every read is
 * in, the data replaces the last and the model measures it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fourkeys_int.h"
#include "fourkeys_src.h"
#include "http.h"
#include "xdg.h"

/* Splits "a, b,c" into trimmed words. */
static char **
split_list(const char *s, size_t *n)
{
	char	**v = NULL;
	size_t	  len;

	*n = 0;
	while (s != NULL && *s != '\0') {
		s += strspn(s, " \t,");
		len = strcspn(s, ",");
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len > 0) {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = xstrndup(s, len);
		}
		s += strcspn(s, ",");
	}
	return v;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
fks_iso(int64_t t, struct buf *out)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t
fks_since(const struct svc *s)
{
	return s->to - 2 * (int64_t)s->src->days * 86400;
}

void
fks_fail(struct svc *s, const char *why)
{
	if (s->err.len == 0)
		buf_puts(&s->err, why);
}

struct fk_deploy *
fks_add_deploy(struct fk_data *d)
{
	d->dep = xreallocarray(d->dep, d->ndep + 1, sizeof *d->dep);
	memset(&d->dep[d->ndep], 0, sizeof *d->dep);
	return &d->dep[d->ndep++];
}

struct fk_change *
fks_add_change(struct fk_data *d)
{
	d->chg = xreallocarray(d->chg, d->nchg + 1, sizeof *d->chg);
	memset(&d->chg[d->nchg], 0, sizeof *d->chg);
	return &d->chg[d->nchg++];
}

struct fk_incident *
fks_add_incident(struct fk_data *d)
{
	d->inc = xreallocarray(d->inc, d->ninc + 1, sizeof *d->inc);
	memset(&d->inc[d->ninc], 0, sizeof *d->inc);
	return &d->inc[d->ninc++];
}

static void
svc_describe(struct svc *s)
{
	struct buf b = BUF_INIT;

	if (s->kind == &fks_sql) {
		buf_puts(&b, "SQL query");
		if (s->def->query_file != NULL)
			buf_printf(&b, " %s", s->def->query_file);
	} else {
		buf_printf(&b, "GitHub %s, ", s->def->repos);
		if (s->signal == SIG_DEPLOYMENTS)
			buf_printf(&b, "deployments to %s", s->env);
		else if (s->signal == SIG_RELEASES)
			buf_puts(&b, "releases");
		else
			buf_printf(&b, "merges into %s", s->branch);
		buf_printf(&b, ", lead time from %s",
		    s->pr_lead ? "pull requests" : "commits");
	}
	s->describe = buf_detach(&b);
}

void
fks_check_done(struct svc *s)
{
	if (s->kind->reading(s) || !s->busy)
		return;
	s->busy = false;
	s->kind->finish(s);
	if (s->err.len == 0) {
		fk_data_free(&s->data);
		fk_result_free(&s->res);
		s->data = s->work;
		memset(&s->work, 0, sizeof s->work);
		fk_evaluate(&s->data, s->to, s->src->days, s->src->year,
		    &s->res);
		s->valid = true;
		s->fetched_at = s->to;
		buf_reset(&s->last_err);
	} else {
		buf_reset(&s->last_err);
		buf_puts(&s->last_err, buf_str(&s->err));
		fk_data_free(&s->work);
	}
	/* Never from inside fk_src_refresh: the caller is not ready yet. */
	if (s->src->starting)
		s->src->done_early = true;
	else if (s->src->cb != NULL)
		s->src->cb(s->src->arg);
}

static void
svc_refresh(struct svc *s, int64_t to)
{
	s->busy = true;
	s->to = to;
	buf_reset(&s->err);
	s->kind->refresh(s);
}

/* $XDG_CACHE_HOME/dagtop/github, or ~/.cache/dagtop/github. */
static char *
cache_dir(void)
{
	return xdg_path(XDG_CACHE, "github");
}

/* What the section says, with the defaults of dagtop.conf(5). */
static int
svc_init(struct fk_src *src, struct svc *s, const struct fk_config *fk,
    const struct fk_service *d, char *cache, struct buf *why)
{
	const char	*v;

	s->src = src;
	s->def = d;
	s->kind = d->source != NULL && strcmp(d->source, "sql") == 0 ?
	    &fks_sql : &fks_github;
	v = d->deployments;
	s->signal = v == NULL || strcmp(v, "deployments") == 0 ?
	    SIG_DEPLOYMENTS : strcmp(v, "releases") == 0 ? SIG_RELEASES :
	    SIG_MERGES;
	s->pr_lead = d->lead_time != NULL &&
	    strcmp(d->lead_time, "pull_requests") == 0;
	s->env = xstrdup(d->environment != NULL ? d->environment :
	    "production");
	s->branch = xstrdup(d->branch != NULL ? d->branch : "main");
	s->label = xstrdup(d->incident_label != NULL ? d->incident_label :
	    "Incident");
	s->repos = split_list(d->repos, &s->nrepos);
	s->inc_repos = split_list(d->incident_repos != NULL ?
	    d->incident_repos : d->repos, &s->ninc_repos);
	svc_describe(s);
	return s->kind->init(s, fk, cache, why);
}

static void
svc_free(struct svc *s)
{
	s->kind->free(s);
	fk_data_free(&s->work);
	fk_data_free(&s->data);
	fk_result_free(&s->res);
	free_list(s->repos, s->nrepos);
	free_list(s->inc_repos, s->ninc_repos);
	free(s->env);
	free(s->branch);
	free(s->label);
	free(s->describe);
	buf_free(&s->err);
	buf_free(&s->last_err);
	buf_free(&s->waiting);
}

/* Whether there is a service to read: any, or the one named. */
static int
svc_check(const struct fk_service *svc, size_t nsvc, const char *service,
    struct buf *why)
{
	size_t i;

	if (nsvc == 0) {
		buf_puts(why, "no Four Keys services are configured: add a "
		    "[service \"NAME\"] section (dagtop.conf(5), FOUR KEYS)");
		return -1;
	}
	if (service == NULL)
		return 0;
	for (i = 0; i < nsvc; i++)
		if (strcmp(svc[i].name, service) == 0)
			return 0;
	buf_printf(why, "no service '%s' in the configuration", service);
	return -1;
}

struct fk_src *
fk_src_new(struct loop *loop, const struct fk_service *svc, size_t nsvc,
    const struct fk_config *fk, const char *service, int days,
    int64_t until, struct buf *why)
{
	struct fk_src	*src;
	struct http_opts ho;
	size_t		 i;
	char		*cache;

	if (svc_check(svc, nsvc, service, why) != 0)
		return NULL;
	src = xcalloc(1, sizeof *src);
	src->loop = loop;
	src->days = days > 0 ? days : fk->window > 0 ? fk->window : 30;
	src->year = fk->dora_year > 0 ? fk->dora_year : 2023;
	src->interval = fk->refresh > 0 ? fk->refresh : 900;
	src->until = until;
	memset(&ho, 0, sizeof ho);
	ho.insecure = fk->github_tls_verify == 0;
	ho.ca_file = fk->github_ca_file;
	src->http = http_new(loop, &ho);
	src->svc = xcalloc(nsvc, sizeof *src->svc);
	cache = cache_dir();
	for (i = 0; i < nsvc; i++) {
		if (service != NULL && strcmp(svc[i].name, service) != 0)
			continue;
		if (svc_init(src, &src->svc[src->nsvc++], fk, &svc[i], cache,
		    why) != 0) {
			free(cache);
			fk_src_free(src);
			return NULL;
		}
	}
	free(cache);
	return src;
}

void
fk_src_free(struct fk_src *src)
{
	size_t i;

	if (src == NULL)
		return;
	for (i = 0; i < src->nsvc; i++)
		svc_free(&src->svc[i]);
	free(src->svc);
	http_free(src->http);
	free(src);
}

void
fk_src_refresh(struct fk_src *src, fk_src_cb cb, void *arg)
{
	int64_t	to = src->until > 0 ? src->until : (int64_t)time(NULL);
	size_t	i;

	src->cb = cb;
	src->arg = arg;
	src->starting = true;
	src->done_early = false;
	for (i = 0; i < src->nsvc; i++)
		if (!src->svc[i].busy)
			svc_refresh(&src->svc[i], to);
	src->starting = false;
	if (src->done_early && cb != NULL)
		cb(arg);
}

size_t
fk_src_count(const struct fk_src *src)
{
	return src->nsvc;
}

void
fk_src_service(const struct fk_src *src, size_t i, struct fk_svc_view *v)
{
	struct svc *s = &src->svc[i];

	memset(v, 0, sizeof *v);
	v->name = s->def->name;
	v->describe = s->describe;
	v->valid = s->valid;
	v->data = &s->data;
	v->res = &s->res;
	v->fetched_at = s->fetched_at;
	v->error = buf_str(&s->last_err);
	v->busy = s->busy;
	v->requests = s->requests;
	v->not_modified = s->not_modified;
	buf_reset(&s->waiting);
	s->kind->waiting(s, &s->waiting);
	v->waiting = buf_str(&s->waiting);
}

bool
fk_src_busy(const struct fk_src *src)
{
	size_t i;

	for (i = 0; i < src->nsvc; i++)
		if (src->svc[i].busy)
			return true;
	return false;
}

int
fk_src_days(const struct fk_src *src)
{
	return src->days;
}

int
fk_src_year(const struct fk_src *src)
{
	return src->year;
}

int
fk_src_interval(const struct fk_src *src)
{
	return src->interval;
}
