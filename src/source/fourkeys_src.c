/*
 * fourkeys_src.c: the Four Keys services read from GitHub or SQL
 * (fourkeys_src.h).  A GitHub refresh of one service, each step a paged
 * read through github.c:
 *
 *  1. the deployment signal of each repository, newest first, back to
 *     the start of the previous window plus a few older entries (the base
 *     the first compare starts from): deployments of the environment,
 *     releases (drafts and prereleases left out) or pull requests merged
 *     into the branch;
 *  2. for deployments, the statuses of each: a deployment counts when its
 *     latest status other than inactive is success, at the time of its
 *     earliest success;
 *  3. commit lead time: compare the previous deployment's commit (or tag)
 *     with each deployment's, every page; or pull-request lead time: the
 *     pull requests merged into the branch, opened to merged;
 *  4. incidents: issues with the label (pull requests skipped), updated
 *     since the start of the previous window, with "root cause: SHA".
 *
 * When every read is in, the data replaces the last and the model
 * measures it.  A SQL service runs one query under the column contract
 * (dagtop.conf(5)) on a read-only session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "buf.h"
#include "xdg.h"
#include "config.h"
#include "dbconn.h"
#include "fourkeys_src.h"
#include "github.h"
#include "http.h"
#include "loop.h"
#include "pg.h"
#include "sanitize.h"
#include "timefmt.h"

#define BASE_EXTRA	3	/* older entries read for the compare base */

enum signal { SIG_DEPLOYMENTS, SIG_RELEASES, SIG_MERGES };

/* A deployment signal entry before it is known to count. */
struct cand {
	char		*repo;
	char		*id;		/* deployment id, tag, PR number */
	char		*sha;		/* deployed commit, NULL for releases */
	char		*ref;		/* what compare takes: sha or tag */
	char		*url;
	int64_t		 created;	/* for the paging cut-off */
	int64_t		 at;		/* went live; 0: did not count */
	bool		 asked;		/* its statuses were asked for */
};

struct svc;

/* One read in flight: what it is for. */
struct job {
	struct svc	*svc;
	int		 kind;
	char		*repo;
	size_t		 cand;		/* index into svc->cand */
	size_t		 older;		/* entries older than since seen */
	struct gh_get	*get;
	struct job	*next;
};

enum { JOB_DEPLOYMENTS, JOB_STATUSES, JOB_RELEASES, JOB_MERGES, JOB_COMPARE,
	JOB_PULLS, JOB_ISSUES };

struct svc {
	struct fk_src		*src;
	const struct fk_service	*def;
	char			*describe;
	bool			 sql;
	enum signal		 signal;
	bool			 pr_lead;
	char			*env, *branch, *label;
	char			**repos;
	size_t			 nrepos;
	char			**inc_repos;
	size_t			 ninc_repos;
	struct gh		*gh;
	/* the refresh under way */
	bool			 busy;
	int64_t			 to;
	struct job		*jobs;
	int			 pending;	/* repos whose signal is not in */
	struct cand		*cand;
	size_t			 ncand;
	struct fk_data		 work;
	struct buf		 err;
	int			 req0, nm0;	/* gh stats at the start */
	/* the last result */
	bool			 valid;
	struct fk_data		 data;
	struct fk_result	 res;
	int64_t			 fetched_at;
	struct buf		 last_err;
	int			 requests, not_modified;
	struct buf		 waiting;
	/* SQL */
	struct pg		*pg;
	char			*query;
};

struct fk_src {
	struct loop		*loop;
	struct http		*http;
	struct svc		*svc;
	size_t			 nsvc;
	int			 days;
	int			 year;
	int			 interval;
	int64_t			 until;
	fk_src_cb		 cb;
	void			*arg;
	bool			 starting;	/* inside fk_src_refresh */
	bool			 done_early;	/* a service ended in there */
};

static void	svc_check_done(struct svc *);
static void	cand_deploy_id(const struct svc *, const struct cand *,
		    struct buf *);

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

/* A JSON string member, or NULL. */
static const char *
jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A JSON time member as epoch seconds, 0 when absent or unreadable. */
static int64_t
jtime(json_t *o, const char *k)
{
	const char	*s = jstr(o, k);
	int64_t		 t;

	if (s == NULL || parse_iso_time(s, &t) != 0)
		return 0;
	return t;
}

/* A JSON member as text (numbers too), for ids; allocated. */
static char *
jid(json_t *o, const char *k)
{
	json_t		*v = json_object_get(o, k);
	struct buf	 b = BUF_INIT;

	if (json_is_integer(v))
		buf_printf(&b, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		buf_puts(&b, json_string_value(v));
	else
		return NULL;
	return buf_detach(&b);
}

/* Text from GitHub for a terminal: sanitised, one line. */
static char *
clean(const char *s)
{
	return s != NULL ? sanitize_dup(s, SAN_SHOW_ESCAPES) : NULL;
}

static void
iso(int64_t t, struct buf *out)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	gmtime_r(&tt, &tm);
	buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The start of the previous window: nothing older matters but a base. */
static int64_t
since(const struct svc *s)
{
	return s->to - 2 * (int64_t)s->src->days * 86400;
}

static void
svc_fail(struct svc *s, const char *why)
{
	if (s->err.len == 0)
		buf_puts(&s->err, why);
}

static struct job *
job_new(struct svc *s, int kind, const char *repo)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->svc = s;
	j->kind = kind;
	j->repo = dup_or_null(repo);
	j->next = s->jobs;
	s->jobs = j;
	return j;
}

static void
job_free(struct job *j)
{
	struct svc	 *s = j->svc;
	struct job	**pp;

	for (pp = &s->jobs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	free(j->repo);
	free(j);
}

static void	job_done(void *arg, const char *err);
static int	job_page(void *arg, json_t *doc);

static void
job_start(struct svc *s, int kind, const char *repo, size_t cand,
    const char *path)
{
	struct job *j = job_new(s, kind, repo);

	j->cand = cand;
	j->get = gh_get(s->gh, path, job_page, job_done, j);
}

static struct cand *
cand_add(struct svc *s, const char *repo)
{
	struct cand *c;

	s->cand = xreallocarray(s->cand, s->ncand + 1, sizeof *s->cand);
	c = &s->cand[s->ncand++];
	memset(c, 0, sizeof *c);
	c->repo = xstrdup(repo);
	return c;
}

static void
cand_free_all(struct svc *s)
{
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		free(s->cand[i].repo);
		free(s->cand[i].id);
		free(s->cand[i].sha);
		free(s->cand[i].ref);
		free(s->cand[i].url);
	}
	free(s->cand);
	s->cand = NULL;
	s->ncand = 0;
}

/*
 * Whether a list sorted newest first has gone far enough: BASE_EXTRA
 * entries older than the previous window have been seen.
 */
static int
enough(struct job *j, int64_t t)
{
	if (t != 0 && t < since(j->svc))
		j->older++;
	return j->older >= BASE_EXTRA;
}

static int
page_deployments(struct job *j, json_t *doc)
{
	struct svc	*s = j->svc;
	json_t		*d;
	size_t		 i;
	int		 stop = 0;

	json_array_foreach(doc, i, d) {
		struct cand	*c;
		char		*id = jid(d, "id");
		const char	*sha = jstr(d, "sha");

		if (id == NULL || sha == NULL) {
			free(id);
			continue;
		}
		if (j->older >= BASE_EXTRA) {
			free(id);
			stop = 1;
			break;
		}
		c = cand_add(s, j->repo);
		c->id = id;
		c->sha = xstrdup(sha);
		c->ref = xstrdup(sha);
		c->created = jtime(d, "created_at");
		stop = enough(j, c->created);
	}
	return stop;
}

/*
 * A deployment's statuses, newest first: it counts when the latest one
 * that is not "inactive" is "success" (GitHub marks superseded deployments
 * inactive), at the time of the earliest success.
 */
static int
page_statuses(struct job *j, json_t *doc)
{
	struct cand	*c = &j->svc->cand[j->cand];
	json_t		*st;
	size_t		 i;
	const char	*state;

	json_array_foreach(doc, i, st) {
		state = jstr(st, "state");
		if (state == NULL || strcmp(state, "inactive") == 0)
			continue;
		if (j->older == 0) {	/* the latest that is not inactive */
			j->older = strcmp(state, "success") == 0 ? 1 : 2;
		}
		if (j->older == 1 && strcmp(state, "success") == 0)
			c->at = jtime(st, "created_at");
	}
	if (j->older == 2)
		c->at = 0;
	return 0;
}

static int
page_releases(struct job *j, json_t *doc)
{
	struct svc	*s = j->svc;
	json_t		*r;
	size_t		 i;
	int		 stop = 0;

	json_array_foreach(doc, i, r) {
		struct cand	*c;
		const char	*tag = jstr(r, "tag_name");
		int64_t		 at = jtime(r, "published_at");

		if (json_is_true(json_object_get(r, "draft")) ||
		    json_is_true(json_object_get(r, "prerelease")) ||
		    tag == NULL || at == 0)
			continue;
		if (j->older >= BASE_EXTRA) {
			stop = 1;
			break;
		}
		c = cand_add(s, j->repo);
		c->id = xstrdup(tag);
		c->ref = xstrdup(tag);
		c->url = clean(jstr(r, "html_url"));
		c->created = c->at = at;
		stop = enough(j, at);
	}
	return stop;
}

/* Pull requests, recently updated first: merged ones into the branch. */
static int
page_pulls(struct job *j, json_t *doc)
{
	struct svc	*s = j->svc;
	json_t		*p, *base;
	size_t		 i;
	int		 stop = 0;

	json_array_foreach(doc, i, p) {
		int64_t		 merged = jtime(p, "merged_at");
		int64_t		 updated = jtime(p, "updated_at");
		const char	*bref;
		char		*num = jid(p, "number");
		struct buf	 id = BUF_INIT;

		base = json_object_get(p, "base");
		bref = jstr(base, "ref");
		if (updated != 0 && updated < since(s))
			stop = 1;	/* sorted by update: the rest is older */
		if (merged == 0 || num == NULL || bref == NULL ||
		    strcmp(bref, s->branch) != 0) {
			free(num);
			continue;
		}
		buf_printf(&id, "%s#%s", j->repo, num);
		free(num);
		if (j->kind == JOB_MERGES) {
			struct cand *c = cand_add(s, j->repo);
			const char *sha = jstr(p, "merge_commit_sha");

			c->id = buf_detach(&id);
			c->sha = dup_or_null(sha);
			c->ref = dup_or_null(sha);
			c->url = clean(jstr(p, "html_url"));
			c->created = c->at = merged;
		}
		if (s->pr_lead) {
			struct fk_change *ch;

			s->work.chg = xreallocarray(s->work.chg,
			    s->work.nchg + 1, sizeof *s->work.chg);
			ch = &s->work.chg[s->work.nchg++];
			memset(ch, 0, sizeof *ch);
			ch->id = j->kind == JOB_MERGES ?
			    xstrdup(s->cand[s->ncand - 1].id) : buf_detach(&id);
			ch->at = jtime(p, "created_at");
			ch->merged = merged;
		}
		buf_free(&id);
	}
	return stop;
}

static int
page_compare(struct job *j, json_t *doc)
{
	struct svc	*s = j->svc;
	struct cand	*c = &s->cand[j->cand];
	json_t		*commits = json_object_get(doc, "commits"), *cm;
	size_t		 i;

	if (!json_is_array(commits)) {
		svc_fail(s, "GitHub's compare answer has no commit list");
		return 1;
	}
	json_array_foreach(commits, i, cm) {
		const char	*sha = jstr(cm, "sha");
		json_t		*author = json_object_get(json_object_get(cm,
				    "commit"), "author");
		struct fk_change *ch;

		if (sha == NULL)
			continue;
		if (c->sha == NULL && i + 1 == json_array_size(commits))
			c->sha = xstrdup(sha);	/* a tag's commit, for blame */
		if (s->pr_lead)
			continue;
		s->work.chg = xreallocarray(s->work.chg, s->work.nchg + 1,
		    sizeof *s->work.chg);
		ch = &s->work.chg[s->work.nchg++];
		memset(ch, 0, sizeof *ch);
		ch->id = xstrdup(sha);
		ch->at = jtime(author, "date");
		{
			struct buf id = BUF_INIT;

			cand_deploy_id(s, c, &id);
			ch->deploy_id = buf_detach(&id);
		}
	}
	return 0;
}

static int
page_issues(struct job *j, json_t *doc)
{
	struct svc	*s = j->svc;
	json_t		*is;
	size_t		 i;

	if (!json_is_array(doc)) {
		svc_fail(s, "GitHub's issue list is not a list");
		return 1;
	}
	json_array_foreach(doc, i, is) {
		struct fk_incident	*in;
		char			*num = jid(is, "number"), sha[41];
		struct buf		 id = BUF_INIT;

		if (json_object_get(is, "pull_request") != NULL ||
		    num == NULL || jtime(is, "created_at") == 0) {
			free(num);
			continue;
		}
		s->work.inc = xreallocarray(s->work.inc, s->work.ninc + 1,
		    sizeof *s->work.inc);
		in = &s->work.inc[s->work.ninc++];
		memset(in, 0, sizeof *in);
		buf_printf(&id, "%s#%s", j->repo, num);
		free(num);
		in->id = buf_detach(&id);
		in->title = clean(jstr(is, "title"));
		in->url = clean(jstr(is, "html_url"));
		in->opened = jtime(is, "created_at");
		in->resolved = jtime(is, "closed_at");
		if (fk_root_cause(jstr(is, "body"), sha) == 0)
			in->cause_sha = xstrdup(sha);
	}
	return 0;
}

static int
job_page(void *arg, json_t *doc)
{
	struct job *j = arg;

	if (j->kind != JOB_COMPARE && j->kind != JOB_STATUSES &&
	    !json_is_array(doc)) {
		svc_fail(j->svc, "GitHub answered with something other than "
		    "a list");
		return 1;
	}
	switch (j->kind) {
	case JOB_DEPLOYMENTS:
		return page_deployments(j, doc);
	case JOB_STATUSES:
		if (!json_is_array(doc)) {
			svc_fail(j->svc, "GitHub's status list is not a list");
			return 1;
		}
		return page_statuses(j, doc);
	case JOB_RELEASES:
		return page_releases(j, doc);
	case JOB_MERGES:
	case JOB_PULLS:
		return page_pulls(j, doc);
	case JOB_COMPARE:
		return page_compare(j, doc);
	case JOB_ISSUES:
		return page_issues(j, doc);
	}
	return 1;
}

/* A deployment's id in the data: "owner/repo@id", or "owner/repo#12". */
static void
cand_deploy_id(const struct svc *s, const struct cand *c, struct buf *out)
{
	if (s->signal == SIG_MERGES)
		buf_puts(out, c->id);	/* already repo#number */
	else
		buf_printf(out, "%s@%s", c->repo, c->id);
}

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int r = strcmp(x->repo, y->repo);

	if (r != 0)
		return r;
	return x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Every repository's signal (and statuses) is in: the deployments that
 * count become the data, and each is compared with the one before it in
 * its repository (the first one older than the previous window is only
 * the base).
 */
static void
signal_complete(struct svc *s)
{
	size_t		 i;
	struct buf	 path = BUF_INIT;

	qsort(s->cand, s->ncand, sizeof *s->cand, cand_cmp);
	for (i = 0; i < s->ncand; i++) {
		struct cand	*c = &s->cand[i], *prev = NULL;
		size_t		 k;

		if (c->at == 0)
			continue;
		for (k = i; k-- > 0;) {
			if (strcmp(s->cand[k].repo, c->repo) != 0)
				break;
			if (s->cand[k].at != 0) {
				prev = &s->cand[k];
				break;
			}
		}
		if (c->at < since(s) || prev == NULL || s->pr_lead ||
		    prev->ref == NULL || c->ref == NULL)
			continue;
		buf_reset(&path);
		buf_printf(&path, "/repos/%s/compare/", c->repo);
		http_escape(&path, prev->ref);
		buf_puts(&path, "...");
		http_escape(&path, c->ref);
		buf_puts(&path, "?per_page=100");
		job_start(s, JOB_COMPARE, c->repo, i, buf_str(&path));
	}
	buf_free(&path);
}

/* Moves the counted deployments into the data, once every read is in. */
static void
cands_to_data(struct svc *s)
{
	size_t i;

	for (i = 0; i < s->ncand; i++) {
		struct cand	 *c = &s->cand[i];
		struct fk_deploy *d;
		struct buf	  id = BUF_INIT;

		if (c->at == 0)
			continue;
		s->work.dep = xreallocarray(s->work.dep, s->work.ndep + 1,
		    sizeof *s->work.dep);
		d = &s->work.dep[s->work.ndep++];
		memset(d, 0, sizeof *d);
		cand_deploy_id(s, c, &id);
		d->id = buf_detach(&id);
		d->sha = dup_or_null(c->sha);
		d->repo = xstrdup(c->repo);
		d->url = dup_or_null(c->url);
		d->at = c->at;
	}
}

static void
job_done(void *arg, const char *err)
{
	struct job	*j = arg;
	struct svc	*s = j->svc;
	int		 kind = j->kind;
	size_t		 i;

	if (err != NULL)
		svc_fail(s, err);
	j->get = NULL;
	job_free(j);
	if (kind == JOB_DEPLOYMENTS && err == NULL) {
		/* the statuses of the candidates listed so far */
		for (i = 0; i < s->ncand; i++) {
			struct buf path = BUF_INIT;

			if (s->cand[i].asked)
				continue;
			s->cand[i].asked = true;
			buf_printf(&path, "/repos/%s/deployments/%s/statuses"
			    "?per_page=100", s->cand[i].repo, s->cand[i].id);
			s->pending++;
			job_start(s, JOB_STATUSES, s->cand[i].repo, i,
			    buf_str(&path));
			buf_free(&path);
		}
	}
	if (kind == JOB_DEPLOYMENTS || kind == JOB_RELEASES ||
	    kind == JOB_MERGES || kind == JOB_STATUSES) {
		if (--s->pending == 0 && s->err.len == 0)
			signal_complete(s);
	}
	svc_check_done(s);
}

static void
svc_describe(struct svc *s)
{
	struct buf b = BUF_INIT;

	if (s->sql) {
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

/* The refresh is over when no read is left: measure, or keep the last. */
static void
svc_check_done(struct svc *s)
{
	const struct gh_stats *st;

	if (s->jobs != NULL || s->pg != NULL)
		return;
	if (!s->busy)
		return;
	s->busy = false;
	if (s->gh != NULL) {
		st = gh_stats(s->gh);
		s->requests = st->requests - s->req0;
		s->not_modified = st->not_modified - s->nm0;
	}
	if (s->err.len == 0) {
		cands_to_data(s);
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
	cand_free_all(s);
	/* Never from inside fk_src_refresh: the caller is not ready yet. */
	if (s->src->starting)
		s->src->done_early = true;
	else if (s->src->cb != NULL)
		s->src->cb(s->src->arg);
}

/* --- SQL ----------------------------------------------------------------- */

static void	sql_rows(struct svc *, const PGresult *);

static void
sql_result(void *arg, const PGresult *res, const char *err)
{
	struct svc	*s = arg;

	if (res == NULL) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "service query: %s", err);
		svc_fail(s, buf_str(&b));
		buf_free(&b);
	} else
		sql_rows(s, res);
	/* One query per refresh: close (pg.h allows it from here). */
	pg_free(s->pg);
	s->pg = NULL;
	svc_check_done(s);
}

/* The rows of the contract: kind, id, time, end_time, ref, title. */
static void
sql_rows(struct svc *s, const PGresult *res)
{
	int r, n;

	n = PQntuples(res);
	for (r = 0; r < n && s->err.len == 0; r++) {
		const char	*kind = PQgetvalue(res, r, 0);
		const char	*id = PQgetisnull(res, r, 1) ? NULL :
				    PQgetvalue(res, r, 1);
		int64_t		 t = PQgetisnull(res, r, 2) ? 0 :
				    (int64_t)strtod(PQgetvalue(res, r, 2), NULL);
		int64_t		 e = PQgetisnull(res, r, 3) ? 0 :
				    (int64_t)strtod(PQgetvalue(res, r, 3), NULL);
		char		*ref = PQgetisnull(res, r, 4) ? NULL :
				    clean(PQgetvalue(res, r, 4));
		char		*title = PQgetisnull(res, r, 5) ? NULL :
				    clean(PQgetvalue(res, r, 5));

		if (id == NULL || t == 0) {
			free(ref);
			free(title);
			continue;
		}
		if (strcmp(kind, "deployment") == 0) {
			struct fk_deploy *d;

			s->work.dep = xreallocarray(s->work.dep,
			    s->work.ndep + 1, sizeof *s->work.dep);
			d = &s->work.dep[s->work.ndep++];
			memset(d, 0, sizeof *d);
			d->id = clean(id);
			d->sha = ref;
			d->at = t;
			free(title);
		} else if (strcmp(kind, "change") == 0) {
			struct fk_change *c;

			s->work.chg = xreallocarray(s->work.chg,
			    s->work.nchg + 1, sizeof *s->work.chg);
			c = &s->work.chg[s->work.nchg++];
			memset(c, 0, sizeof *c);
			c->id = clean(id);
			c->deploy_id = ref;
			c->at = t;
			c->merged = ref == NULL ? e : 0;
			free(title);
		} else if (strcmp(kind, "incident") == 0) {
			struct fk_incident *in;

			s->work.inc = xreallocarray(s->work.inc,
			    s->work.ninc + 1, sizeof *s->work.inc);
			in = &s->work.inc[s->work.ninc++];
			memset(in, 0, sizeof *in);
			in->id = clean(id);
			in->cause_deploy = ref;
			in->title = title;
			in->opened = t;
			in->resolved = e;
		} else {
			struct buf b = BUF_INIT;
			char *k = clean(kind);

			buf_printf(&b, "service query: row %d has kind '%s'; "
			    "the kinds are deployment, change and incident",
			    r + 1, k);
			free(k);
			svc_fail(s, buf_str(&b));
			buf_free(&b);
			free(ref);
			free(title);
		}
	}
}

static void
sql_state(struct pg *pg, void *arg)
{
	struct svc	*s = arg;
	struct buf	 since_s = BUF_INIT, b = BUF_INIT;
	const char	*params[2];

	if (pg_failed(pg)) {
		buf_printf(&b, "service database: %s", pg_error(pg));
		svc_fail(s, buf_str(&b));
		buf_free(&b);
		s->pg = NULL;
		pg_free(pg);
		svc_check_done(s);
		return;
	}
	if (!pg_ready(pg))
		return;
	iso(since(s), &since_s);
	params[0] = buf_str(&since_s);
	params[1] = s->def->name;
	/*
	 * The contract by column name, whatever else the query returns; $1
	 * and $2 are typed here, so a query may leave either out.
	 */
	buf_printf(&b, "SELECT q.kind::text, q.id::text, "
	    "extract(epoch FROM q.time)::float8, "
	    "extract(epoch FROM q.end_time)::float8, q.ref::text, "
	    "q.title::text FROM (%s\n) AS q, (SELECT $1::timestamptz, "
	    "$2::text) AS dagtop_params", s->query);
	pg_query(pg, buf_str(&b), 2, params, sql_result, s);
	buf_free(&since_s);
	buf_free(&b);
}

static void
sql_refresh(struct svc *s)
{
	struct db_options st;
	struct db_params p;
	struct buf	 err = BUF_INIT, b = BUF_INIT;

	memset(&st, 0, sizeof st);
	st.database = s->def->database;
	st.database_password_env = s->def->database_password_env;
	st.database_password_command = s->def->database_password_command;
	st.connect_timeout = 10;
	st.statement_timeout = 60;
	if (db_params_build(&st, &p, &err) != 0) {
		buf_printf(&b, "service database: %s", buf_str(&err));
		svc_fail(s, buf_str(&b));
		buf_free(&b);
		buf_free(&err);
		return;
	}
	s->pg = pg_connect(s->src->loop, p.keywords, p.values,
	    p.password_command, 70000, sql_state, s);
	db_params_free(&p);
	buf_free(&err);
}

/* --- services ------------------------------------------------------------ */

static void
svc_refresh(struct svc *s, int64_t to)
{
	struct buf	 path = BUF_INIT, since_s = BUF_INIT;
	size_t		 i;
	const struct gh_stats *st;

	s->busy = true;
	s->to = to;
	buf_reset(&s->err);
	if (s->sql) {
		sql_refresh(s);
		if (s->pg == NULL) {
			s->jobs = NULL;
			svc_check_done(s);
		}
		return;
	}
	st = gh_stats(s->gh);
	s->req0 = st->requests;
	s->nm0 = st->not_modified;
	s->pending = (int)s->nrepos;
	for (i = 0; i < s->nrepos; i++) {
		buf_reset(&path);
		if (s->signal == SIG_DEPLOYMENTS) {
			buf_printf(&path, "/repos/%s/deployments?environment=",
			    s->repos[i]);
			http_escape(&path, s->env);
			buf_puts(&path, "&per_page=100");
			job_start(s, JOB_DEPLOYMENTS, s->repos[i], 0,
			    buf_str(&path));
		} else if (s->signal == SIG_RELEASES) {
			buf_printf(&path, "/repos/%s/releases?per_page=100",
			    s->repos[i]);
			job_start(s, JOB_RELEASES, s->repos[i], 0,
			    buf_str(&path));
		} else {
			buf_printf(&path, "/repos/%s/pulls?state=closed&base=",
			    s->repos[i]);
			http_escape(&path, s->branch);
			buf_puts(&path, "&sort=updated&direction=desc"
			    "&per_page=100");
			job_start(s, JOB_MERGES, s->repos[i], 0,
			    buf_str(&path));
		}
		if (s->pr_lead && s->signal != SIG_MERGES) {
			buf_reset(&path);
			buf_printf(&path, "/repos/%s/pulls?state=closed&base=",
			    s->repos[i]);
			http_escape(&path, s->branch);
			buf_puts(&path, "&sort=updated&direction=desc"
			    "&per_page=100");
			job_start(s, JOB_PULLS, s->repos[i], 0, buf_str(&path));
		}
	}
	/* Whole hours: the same URL all hour long, so its ETag can answer. */
	iso(since(s) / 3600 * 3600, &since_s);
	for (i = 0; i < s->ninc_repos; i++) {
		buf_reset(&path);
		buf_printf(&path, "/repos/%s/issues?labels=", s->inc_repos[i]);
		http_escape(&path, s->label);
		buf_puts(&path, "&state=all&since=");
		http_escape(&path, buf_str(&since_s));
		buf_puts(&path, "&per_page=100");
		job_start(s, JOB_ISSUES, s->inc_repos[i], 0, buf_str(&path));
	}
	buf_free(&path);
	buf_free(&since_s);
}

/* $XDG_CACHE_HOME/dagtop/github, or ~/.cache/dagtop/github. */
static char *
cache_dir(void)
{
	return xdg_path(XDG_CACHE, "github");
}

static int
svc_init(struct fk_src *src, struct svc *s, const struct config *cfg,
    const struct fk_service *d, char *cache, struct buf *why)
{
	struct gh_opts	o;
	const char	*v;

	s->src = src;
	s->def = d;
	s->sql = d->source != NULL && strcmp(d->source, "sql") == 0;
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
	if (s->sql) {
		if (d->query != NULL)
			s->query = xstrdup(d->query);
		else {
			FILE		*fp = fopen(d->query_file, "re");
			struct buf	 q = BUF_INIT;
			char		 chunk[4096];
			size_t		 n;

			if (fp == NULL) {
				buf_printf(why, "service %s: cannot read "
				    "query_file %s", d->name, d->query_file);
				return -1;
			}
			while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
				buf_append(&q, chunk, n);
			fclose(fp);
			s->query = buf_detach(&q);
		}
		/* A trailing ';' would end the subquery dagtop wraps it in. */
		{
			size_t n = strlen(s->query);

			while (n > 0 && strchr(" \t\r\n;", s->query[n - 1]))
				s->query[--n] = '\0';
		}
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.base_url = d->github_url != NULL ? d->github_url :
	    cfg->fk.github_url;
	if (o.base_url == NULL && getenv("DAGTOP_GITHUB_URL") != NULL &&
	    *getenv("DAGTOP_GITHUB_URL") != '\0')
		o.base_url = getenv("DAGTOP_GITHUB_URL");
	if (d->github_token_env != NULL || d->github_token_command != NULL) {
		o.token_env = d->github_token_env;
		o.token_command = d->github_token_command;
	} else {
		o.token_env = cfg->fk.github_token_env;
		o.token_command = cfg->fk.github_token_command;
	}
	o.cache_dir = cache;
	o.timeout_ms = cfg->fk.github_timeout > 0 ?
	    cfg->fk.github_timeout * 1000L : 30000;
	o.max_wait = cfg->fk.github_max_wait >= 0 ? cfg->fk.github_max_wait :
	    900;
	{
		struct buf err = BUF_INIT;

		s->gh = gh_new(src->loop, src->http, &o, &err);
		if (s->gh == NULL) {
			buf_printf(why, "service %s: %s", d->name,
			    buf_str(&err));
			buf_free(&err);
			return -1;
		}
	}
	return 0;
}

static void
svc_free(struct svc *s)
{
	while (s->jobs != NULL) {
		struct job *j = s->jobs;

		if (j->get != NULL)
			gh_cancel(j->get);
		job_free(j);
	}
	gh_free(s->gh);
	if (s->pg != NULL)
		pg_free(s->pg);
	cand_free_all(s);
	fk_data_free(&s->work);
	fk_data_free(&s->data);
	fk_result_free(&s->res);
	free_list(s->repos, s->nrepos);
	free_list(s->inc_repos, s->ninc_repos);
	free(s->env);
	free(s->branch);
	free(s->label);
	free(s->describe);
	free(s->query);
	buf_free(&s->err);
	buf_free(&s->last_err);
	buf_free(&s->waiting);
}

struct fk_src *
fk_src_new(struct loop *loop, const struct config *cfg, const char *service,
    int days, int64_t until, struct buf *why)
{
	struct fk_src	*src;
	struct http_opts ho;
	size_t		 i;
	char		*cache;

	if (cfg->nsvc == 0) {
		buf_puts(why, "no Four Keys services are configured: add a "
		    "[service \"NAME\"] section (dagtop.conf(5), FOUR KEYS)");
		return NULL;
	}
	if (service != NULL) {
		for (i = 0; i < cfg->nsvc; i++)
			if (strcmp(cfg->svc[i].name, service) == 0)
				break;
		if (i == cfg->nsvc) {
			buf_printf(why, "no service '%s' in the configuration",
			    service);
			return NULL;
		}
	}
	src = xcalloc(1, sizeof *src);
	src->loop = loop;
	src->days = days > 0 ? days : cfg->fk.window > 0 ? cfg->fk.window : 30;
	src->year = cfg->fk.dora_year > 0 ? cfg->fk.dora_year : 2023;
	src->interval = cfg->fk.refresh > 0 ? cfg->fk.refresh : 900;
	src->until = until;
	memset(&ho, 0, sizeof ho);
	ho.insecure = cfg->fk.github_tls_verify == 0;
	ho.ca_file = cfg->fk.github_ca_file;
	src->http = http_new(loop, &ho);
	src->svc = xcalloc(cfg->nsvc, sizeof *src->svc);
	cache = cache_dir();
	for (i = 0; i < cfg->nsvc; i++) {
		if (service != NULL && strcmp(cfg->svc[i].name, service) != 0)
			continue;
		if (svc_init(src, &src->svc[src->nsvc++], cfg, &cfg->svc[i],
		    cache, why) != 0) {
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
	struct svc		*s = &src->svc[i];
	const struct gh_stats	*st;

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
	if (s->gh != NULL && (st = gh_stats(s->gh))->waiting_until > 0) {
		time_t		tt = (time_t)st->waiting_until;
		struct tm	tm;

		gmtime_r(&tt, &tm);
		buf_printf(&s->waiting, "GitHub rate limit: waiting until "
		    "%02d:%02d:%02d UTC", tm.tm_hour, tm.tm_min, tm.tm_sec);
	}
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
