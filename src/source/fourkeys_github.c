/*
 * fourkeys_github.c: a Four Keys service read from GitHub (fourkeys_int.h).
 * A refresh, each step a paged read through github.c, each page decoded
 * by github_decode.c:
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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "fourkeys_int.h"
#include "github.h"
#include "github_decode.h"
#include "http.h"

#define BASE_EXTRA	3	/* older entries read for the compare base */

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

enum { JOB_DEPLOYMENTS, JOB_STATUSES, JOB_RELEASES, JOB_MERGES, JOB_COMPARE,
	JOB_PULLS, JOB_ISSUES };

/* The page each job reads. */
static const enum ghd_kind job_page_kind[] = {
	[JOB_DEPLOYMENTS] = GHD_DEPLOYMENTS,
	[JOB_STATUSES] = GHD_STATUSES,
	[JOB_RELEASES] = GHD_RELEASES,
	[JOB_MERGES] = GHD_PULLS,
	[JOB_COMPARE] = GHD_COMPARE,
	[JOB_PULLS] = GHD_PULLS,
	[JOB_ISSUES] = GHD_ISSUES,
};

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

/* A deployment's id in the data: "owner/repo@id", or "owner/repo#12". */
static void
cand_deploy_id(const struct svc *s, const struct cand *c, struct buf *out)
{
	if (s->signal == SIG_MERGES)
		buf_puts(out, c->id);	/* already repo#number */
	else
		buf_printf(out, "%s@%s", c->repo, c->id);
}

/*
 * Whether a list sorted newest first has gone far enough: BASE_EXTRA
 * entries older than the previous window have been seen.
 */
static int
enough(struct job *j, int64_t t)
{
	if (t != 0 && t < fks_since(j->svc))
		j->older++;
	return j->older >= BASE_EXTRA;
}

/*
 * A deployment's statuses, newest first: it counts when the latest one
 * that is not "inactive" is "success" (GitHub marks superseded deployments
 * inactive), at the time of the earliest success.
 */
static int
page_statuses(struct job *j, const struct ghd_page *p)
{
	struct cand	*c = &j->svc->cand[j->cand];
	size_t		 i;
	const char	*state;

	for (i = 0; i < p->n; i++) {
		state = p->st[i].state;
		if (strcmp(state, "inactive") == 0)
			continue;
		if (j->older == 0) {	/* the latest that is not inactive */
			j->older = strcmp(state, "success") == 0 ? 1 : 2;
		}
		if (j->older == 1 && strcmp(state, "success") == 0)
			c->at = p->st[i].created;
	}
	if (j->older == 2)
		c->at = 0;
	return 0;
}

/*
 * Deployments or releases, newest first, into the candidates, until
 * BASE_EXTRA entries older than the previous window are in.
 */
static int
page_signal(struct job *j, const struct ghd_page *p)
{
	size_t	i;
	int	stop = 0;

	for (i = 0; i < p->n; i++) {
		struct cand *c;

		if (j->older >= BASE_EXTRA)
			return 1;
		c = cand_add(j->svc, j->repo);
		if (p->kind == GHD_DEPLOYMENTS) {
			c->id = xstrdup(p->dep[i].id);
			c->sha = xstrdup(p->dep[i].sha);
			c->ref = xstrdup(p->dep[i].sha);
			c->created = p->dep[i].created;
		} else {
			c->id = xstrdup(p->rel[i].tag);
			c->ref = xstrdup(p->rel[i].tag);
			c->url = dup_or_null(p->rel[i].url);
			c->created = c->at = p->rel[i].published;
		}
		stop = enough(j, c->created);
	}
	return stop;
}

/* A merged pull request as a deployment (the signal is merges). */
static void
pull_deploys(struct job *j, const struct ghd_pull *pr, const char *id)
{
	struct cand *c = cand_add(j->svc, j->repo);

	c->id = xstrdup(id);
	c->sha = dup_or_null(pr->merge_sha);
	c->ref = dup_or_null(pr->merge_sha);
	c->url = dup_or_null(pr->url);
	c->created = c->at = pr->merged;
}

/* Pull requests, recently updated first: merged ones into the branch. */
static int
page_pulls(struct job *j, const struct ghd_page *p)
{
	struct svc	*s = j->svc;
	size_t		 i;
	int		 stop = 0;

	for (i = 0; i < p->n; i++) {
		const struct ghd_pull	*pr = &p->pr[i];
		struct fk_change	*ch;
		struct buf		 id = BUF_INIT;

		if (pr->updated != 0 && pr->updated < fks_since(s))
			stop = 1;	/* sorted by update: the rest is older */
		if (pr->merged == 0 || pr->number == NULL || pr->base == NULL ||
		    strcmp(pr->base, s->branch) != 0)
			continue;
		buf_printf(&id, "%s#%s", j->repo, pr->number);
		if (j->kind == JOB_MERGES)
			pull_deploys(j, pr, buf_str(&id));
		if (s->pr_lead) {
			ch = fks_add_change(&s->work);
			ch->id = buf_detach(&id);
			ch->at = pr->created;
			ch->merged = pr->merged;
		}
		buf_free(&id);
	}
	return stop;
}

static int
page_compare(struct job *j, const struct ghd_page *p)
{
	struct svc	*s = j->svc;
	struct cand	*c = &s->cand[j->cand];
	size_t		 i;

	if (c->sha == NULL && p->last_sha != NULL)
		c->sha = xstrdup(p->last_sha);	/* a tag's commit, for blame */
	if (s->pr_lead)
		return 0;
	for (i = 0; i < p->n; i++) {
		struct fk_change	*ch = fks_add_change(&s->work);
		struct buf		 id = BUF_INIT;

		ch->id = xstrdup(p->cm[i].sha);
		ch->at = p->cm[i].date;
		cand_deploy_id(s, c, &id);
		ch->deploy_id = buf_detach(&id);
	}
	return 0;
}

static int
page_issues(struct job *j, const struct ghd_page *p)
{
	struct svc	*s = j->svc;
	size_t		 i;

	for (i = 0; i < p->n; i++) {
		struct fk_incident	*in = fks_add_incident(&s->work);
		struct buf		 id = BUF_INIT;

		buf_printf(&id, "%s#%s", j->repo, p->is[i].number);
		in->id = buf_detach(&id);
		in->title = dup_or_null(p->is[i].title);
		in->url = dup_or_null(p->is[i].url);
		in->opened = p->is[i].created;
		in->resolved = p->is[i].closed;
		in->cause_sha = dup_or_null(p->is[i].cause_sha);
	}
	return 0;
}

/* One page of a job's read, decoded; 1 stops the read. */
static int
job_page(void *arg, json_t *doc)
{
	struct job	*j = arg;
	struct ghd_page	 p;
	struct buf	 err = BUF_INIT;
	int		 stop = 1;

	if (ghd_decode(job_page_kind[j->kind], doc, &p, &err) != 0)
		fks_fail(j->svc, buf_str(&err));
	else
		switch (j->kind) {
		case JOB_DEPLOYMENTS:
		case JOB_RELEASES:
			stop = page_signal(j, &p);
			break;
		case JOB_STATUSES:
			stop = page_statuses(j, &p);
			break;
		case JOB_MERGES:
		case JOB_PULLS:
			stop = page_pulls(j, &p);
			break;
		case JOB_COMPARE:
			stop = page_compare(j, &p);
			break;
		case JOB_ISSUES:
			stop = page_issues(j, &p);
			break;
		}
	ghd_page_free(&p);
	buf_free(&err);
	return stop;
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

/* The deployment that counted before cand i in its repository, or NULL. */
static const struct cand *
cand_prev(const struct svc *s, size_t i)
{
	size_t k;

	for (k = i; k-- > 0;) {
		if (strcmp(s->cand[k].repo, s->cand[i].repo) != 0)
			break;
		if (s->cand[k].at != 0)
			return &s->cand[k];
	}
	return NULL;
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
		struct cand		*c = &s->cand[i];
		const struct cand	*prev;

		if (c->at == 0)
			continue;
		prev = cand_prev(s, i);
		if (c->at < fks_since(s) || prev == NULL || s->pr_lead ||
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
		d = fks_add_deploy(&s->work);
		cand_deploy_id(s, c, &id);
		d->id = buf_detach(&id);
		d->sha = dup_or_null(c->sha);
		d->repo = xstrdup(c->repo);
		d->url = dup_or_null(c->url);
		d->at = c->at;
	}
}

/* The statuses of the deployments listed so far and not yet asked. */
static void
ask_statuses(struct svc *s)
{
	size_t i;

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

static void
job_done(void *arg, const char *err)
{
	struct job	*j = arg;
	struct svc	*s = j->svc;
	int		 kind = j->kind;

	if (err != NULL)
		fks_fail(s, err);
	j->get = NULL;
	job_free(j);
	if (kind == JOB_DEPLOYMENTS && err == NULL)
		ask_statuses(s);
	if (kind == JOB_DEPLOYMENTS || kind == JOB_RELEASES ||
	    kind == JOB_MERGES || kind == JOB_STATUSES) {
		if (--s->pending == 0 && s->err.len == 0)
			signal_complete(s);
	}
	fks_check_done(s);
}

/* The closed pull requests into the branch, recently updated first. */
static void
start_pulls(struct svc *s, int kind, const char *repo, struct buf *path)
{
	buf_reset(path);
	buf_printf(path, "/repos/%s/pulls?state=closed&base=", repo);
	http_escape(path, s->branch);
	buf_puts(path, "&sort=updated&direction=desc&per_page=100");
	job_start(s, kind, repo, 0, buf_str(path));
}

/* Reads one repository's deployment signal (and its pull requests). */
static void
start_signal(struct svc *s, const char *repo, struct buf *path)
{
	buf_reset(path);
	if (s->signal == SIG_DEPLOYMENTS) {
		buf_printf(path, "/repos/%s/deployments?environment=", repo);
		http_escape(path, s->env);
		buf_puts(path, "&per_page=100");
		job_start(s, JOB_DEPLOYMENTS, repo, 0, buf_str(path));
	} else if (s->signal == SIG_RELEASES) {
		buf_printf(path, "/repos/%s/releases?per_page=100", repo);
		job_start(s, JOB_RELEASES, repo, 0, buf_str(path));
	} else
		start_pulls(s, JOB_MERGES, repo, path);
	if (s->pr_lead && s->signal != SIG_MERGES)
		start_pulls(s, JOB_PULLS, repo, path);
}

static void
gh_refresh(struct svc *s)
{
	struct buf	 path = BUF_INIT, since_s = BUF_INIT;
	size_t		 i;
	const struct gh_stats *st;

	st = gh_stats(s->gh);
	s->req0 = st->requests;
	s->nm0 = st->not_modified;
	s->pending = (int)s->nrepos;
	for (i = 0; i < s->nrepos; i++)
		start_signal(s, s->repos[i], &path);
	/* Whole hours: the same URL all hour long, so its ETag can answer. */
	fks_iso(fks_since(s) / 3600 * 3600, &since_s);
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

/*
 * The GitHub client of a service: its own URL and token, or those of
 * [dagtop]; DAGTOP_GITHUB_URL when neither names a URL.
 */
static int
gh_init(struct svc *s, const struct fk_config *fk, const char *cache,
    struct buf *why)
{
	const struct fk_service	*d = s->def;
	struct gh_opts		 o;
	struct buf		 err = BUF_INIT;

	memset(&o, 0, sizeof o);
	o.base_url = d->github_url != NULL ? d->github_url : fk->github_url;
	if (o.base_url == NULL && getenv("DAGTOP_GITHUB_URL") != NULL &&
	    *getenv("DAGTOP_GITHUB_URL") != '\0')
		o.base_url = getenv("DAGTOP_GITHUB_URL");
	if (d->github_token_env != NULL || d->github_token_command != NULL) {
		o.token_env = d->github_token_env;
		o.token_command = d->github_token_command;
	} else {
		o.token_env = fk->github_token_env;
		o.token_command = fk->github_token_command;
	}
	o.cache_dir = cache;
	o.timeout_ms = fk->github_timeout > 0 ? fk->github_timeout * 1000L :
	    30000;
	o.max_wait = fk->github_max_wait >= 0 ? fk->github_max_wait : 900;
	s->gh = gh_new(s->src->loop, s->src->http, &o, &err);
	if (s->gh == NULL) {
		buf_printf(why, "service %s: %s", d->name, buf_str(&err));
		buf_free(&err);
		return -1;
	}
	return 0;
}

static bool
gh_reading(const struct svc *s)
{
	return s->jobs != NULL;
}

static void
gh_finish(struct svc *s)
{
	const struct gh_stats *st = gh_stats(s->gh);

	s->requests = st->requests - s->req0;
	s->not_modified = st->not_modified - s->nm0;
	if (s->err.len == 0)
		cands_to_data(s);
	cand_free_all(s);
}

static void
gh_waiting(const struct svc *s, struct buf *out)
{
	const struct gh_stats	*st = gh_stats(s->gh);
	time_t			 tt = (time_t)st->waiting_until;
	struct tm		 tm;

	if (st->waiting_until <= 0)
		return;
	gmtime_r(&tt, &tm);
	buf_printf(out, "GitHub rate limit: waiting until %02d:%02d:%02d UTC",
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
gh_svc_free(struct svc *s)
{
	while (s->jobs != NULL) {
		struct job *j = s->jobs;

		if (j->get != NULL)
			gh_cancel(j->get);
		job_free(j);
	}
	gh_free(s->gh);
	cand_free_all(s);
}

const struct fks_kind fks_github = {
	gh_init, gh_refresh, gh_reading, gh_finish, gh_waiting, gh_svc_free
};
