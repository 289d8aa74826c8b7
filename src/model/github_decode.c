/*
 * github_decode.c: GitHub's Four Keys pages as typed records
 * (github_decode.h).  Members are read leniently, as GitHub documents
 * them: a member of the wrong type counts as absent; an id may be a
 * number or a string; a time is ISO 8601.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "fourkeys.h"
#include "github_decode.h"
#include "sanitize.h"
#include "timefmt.h"

/* A JSON string member, or NULL (also for a non-object). */
static const char *
jstr(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A JSON time member as epoch seconds, 0 when absent or unreadable. */
static int64_t
jtime(const json_t *o, const char *k)
{
	const char	*s = jstr(o, k);
	int64_t		 t;

	if (s == NULL || parse_iso_time(s, &t) != 0)
		return 0;
	return t;
}

/* A JSON member as text (numbers too), for ids; allocated, or NULL. */
static char *
jid(const json_t *o, const char *k)
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

/* Text from GitHub for a terminal: sanitised, one line; NULL stays. */
static char *
clean(const char *s)
{
	return s != NULL ? sanitize_dup(s, SAN_SHOW_ESCAPES) : NULL;
}

/* Room for one more entry in an array of n, zeroed. */
static void *
grow(void *v, size_t n, size_t size)
{
	v = xreallocarray(v, n + 1, size);
	memset((char *)v + n * size, 0, size);
	return v;
}

static void
dec_deployments(const json_t *doc, struct ghd_page *p)
{
	json_t	*d;
	size_t	 i;

	json_array_foreach(doc, i, d) {
		char		*id = jid(d, "id");
		const char	*sha = jstr(d, "sha");

		if (id == NULL || sha == NULL) {
			free(id);
			continue;
		}
		p->dep = grow(p->dep, p->n, sizeof *p->dep);
		p->dep[p->n].id = id;
		p->dep[p->n].sha = xstrdup(sha);
		p->dep[p->n++].created = jtime(d, "created_at");
	}
}

static void
dec_statuses(const json_t *doc, struct ghd_page *p)
{
	json_t		*st;
	size_t		 i;
	const char	*state;

	json_array_foreach(doc, i, st) {
		if ((state = jstr(st, "state")) == NULL)
			continue;
		p->st = grow(p->st, p->n, sizeof *p->st);
		p->st[p->n].state = xstrdup(state);
		p->st[p->n++].created = jtime(st, "created_at");
	}
}

static void
dec_releases(const json_t *doc, struct ghd_page *p)
{
	json_t	*r;
	size_t	 i;

	json_array_foreach(doc, i, r) {
		const char	*tag = jstr(r, "tag_name");
		int64_t		 at = jtime(r, "published_at");

		if (json_is_true(json_object_get(r, "draft")) ||
		    json_is_true(json_object_get(r, "prerelease")) ||
		    tag == NULL || at == 0)
			continue;
		p->rel = grow(p->rel, p->n, sizeof *p->rel);
		p->rel[p->n].tag = xstrdup(tag);
		p->rel[p->n].url = clean(jstr(r, "html_url"));
		p->rel[p->n++].published = at;
	}
}

static void
dec_pulls(const json_t *doc, struct ghd_page *p)
{
	json_t		*o;
	size_t		 i;

	json_array_foreach(doc, i, o) {
		struct ghd_pull *pr;

		if (!json_is_object(o))
			continue;
		p->pr = grow(p->pr, p->n, sizeof *p->pr);
		pr = &p->pr[p->n++];
		pr->number = jid(o, "number");
		pr->base = dup_or_null(jstr(json_object_get(o, "base"), "ref"));
		pr->merge_sha = dup_or_null(jstr(o, "merge_commit_sha"));
		pr->url = clean(jstr(o, "html_url"));
		pr->created = jtime(o, "created_at");
		pr->updated = jtime(o, "updated_at");
		pr->merged = jtime(o, "merged_at");
	}
}

static int
dec_compare(const json_t *doc, struct ghd_page *p, struct buf *err)
{
	json_t	*commits = json_object_get(doc, "commits"), *cm;
	size_t	 i;

	if (!json_is_array(commits)) {
		buf_puts(err, "GitHub's compare answer has no commit list");
		return -1;
	}
	json_array_foreach(commits, i, cm) {
		const char	*sha = jstr(cm, "sha");
		json_t		*author = json_object_get(json_object_get(cm,
				    "commit"), "author");

		if (sha == NULL)
			continue;
		if (i + 1 == json_array_size(commits))
			p->last_sha = xstrdup(sha);
		p->cm = grow(p->cm, p->n, sizeof *p->cm);
		p->cm[p->n].sha = xstrdup(sha);
		p->cm[p->n++].date = jtime(author, "date");
	}
	return 0;
}

static void
dec_issues(const json_t *doc, struct ghd_page *p)
{
	json_t	*o;
	size_t	 i;

	json_array_foreach(doc, i, o) {
		struct ghd_issue	*is;
		char			*num = jid(o, "number"), sha[41];

		if (json_object_get(o, "pull_request") != NULL ||
		    num == NULL || jtime(o, "created_at") == 0) {
			free(num);
			continue;
		}
		p->is = grow(p->is, p->n, sizeof *p->is);
		is = &p->is[p->n++];
		is->number = num;
		is->title = clean(jstr(o, "title"));
		is->url = clean(jstr(o, "html_url"));
		is->created = jtime(o, "created_at");
		is->closed = jtime(o, "closed_at");
		if (fk_root_cause(jstr(o, "body"), sha) == 0)
			is->cause_sha = xstrdup(sha);
	}
}

int
ghd_decode(enum ghd_kind kind, const json_t *doc, struct ghd_page *p,
    struct buf *err)
{
	memset(p, 0, sizeof *p);
	p->kind = kind;
	if (kind == GHD_COMPARE)
		return dec_compare(doc, p, err);
	if (!json_is_array(doc)) {
		buf_puts(err, kind == GHD_STATUSES ? "GitHub's status list is "
		    "not a list" : "GitHub answered with something other "
		    "than a list");
		return -1;
	}
	switch (kind) {
	case GHD_DEPLOYMENTS:
		dec_deployments(doc, p);
		break;
	case GHD_STATUSES:
		dec_statuses(doc, p);
		break;
	case GHD_RELEASES:
		dec_releases(doc, p);
		break;
	case GHD_PULLS:
		dec_pulls(doc, p);
		break;
	case GHD_ISSUES:
		dec_issues(doc, p);
		break;
	case GHD_COMPARE:
		break;
	}
	return 0;
}

int
ghd_decode_body(enum ghd_kind kind, const char *body, size_t len,
    struct ghd_page *p, struct buf *err)
{
	json_error_t	 je;
	json_t		*doc;
	int		 rc;

	memset(p, 0, sizeof *p);
	p->kind = kind;
	if ((doc = json_loadb(body, len, 0, &je)) == NULL) {
		buf_printf(err, "GitHub's answer is not JSON: %s", je.text);
		return -1;
	}
	rc = ghd_decode(kind, doc, p, err);
	json_decref(doc);
	return rc;
}

void
ghd_page_free(struct ghd_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (p->dep != NULL) {
			free(p->dep[i].id);
			free(p->dep[i].sha);
		} else if (p->st != NULL)
			free(p->st[i].state);
		else if (p->rel != NULL) {
			free(p->rel[i].tag);
			free(p->rel[i].url);
		} else if (p->pr != NULL) {
			free(p->pr[i].number);
			free(p->pr[i].base);
			free(p->pr[i].merge_sha);
			free(p->pr[i].url);
		} else if (p->cm != NULL)
			free(p->cm[i].sha);
		else if (p->is != NULL) {
			free(p->is[i].number);
			free(p->is[i].title);
			free(p->is[i].url);
			free(p->is[i].cause_sha);
		}
	}
	free(p->dep);
	free(p->st);
	free(p->rel);
	free(p->pr);
	free(p->cm);
	free(p->is);
	free(p->last_sha);
	memset(p, 0, sizeof *p);
}
