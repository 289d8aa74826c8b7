/*
 * github_decode.h: the pages GitHub's REST API answers for the Four Keys,
 * decoded into typed records.  Pure: no I/O.  Each decoder takes one page
 * (a parsed document, or the body as received) and either fills a
 * struct ghd_page or says in one line why the page cannot be read.
 *
 * A page's entries keep GitHub's order.  Entries that cannot count are
 * left out here (a deployment without id or commit, a draft or
 * prerelease, a status without state, an issue that is a pull request),
 * except pull requests, which all come back: the list is sorted by
 * update, and the caller stops paging on the update time of any of them.
 * Text meant for people (titles, links) is sanitised for a terminal.
 */
#ifndef DAGTOP_GITHUB_DECODE_H
#define DAGTOP_GITHUB_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct buf;

enum ghd_kind {
	GHD_DEPLOYMENTS,	/* /repos/O/R/deployments */
	GHD_STATUSES,		/* /repos/O/R/deployments/ID/statuses */
	GHD_RELEASES,		/* /repos/O/R/releases */
	GHD_PULLS,		/* /repos/O/R/pulls */
	GHD_COMPARE,		/* /repos/O/R/compare/A...B */
	GHD_ISSUES		/* /repos/O/R/issues */
};

/* Times are Unix seconds; 0 when absent or unreadable. */
struct ghd_deployment {
	char	*id;		/* the number as text */
	char	*sha;
	int64_t	 created;
};

struct ghd_status {
	char	*state;		/* "success", "inactive", "failure", ... */
	int64_t	 created;
};

/* Published releases only. */
struct ghd_release {
	char	*tag;
	char	*url;		/* or NULL */
	int64_t	 published;	/* never 0 */
};

/* Every pull request of the page; any field may be NULL or 0. */
struct ghd_pull {
	char	*number;
	char	*base;		/* the branch it goes into */
	char	*merge_sha;
	char	*url;
	int64_t	 created, updated, merged;
};

struct ghd_commit {
	char	*sha;
	int64_t	 date;		/* the author's date */
};

/* Issues proper: pull requests are left out. */
struct ghd_issue {
	char	*number;
	char	*title;		/* or NULL */
	char	*url;		/* or NULL */
	char	*cause_sha;	/* "root cause: SHA" in the body, or NULL */
	int64_t	 created;	/* never 0 */
	int64_t	 closed;
};

/* One page: n entries in the array of its kind; the others are NULL. */
struct ghd_page {
	enum ghd_kind		 kind;
	size_t			 n;
	struct ghd_deployment	*dep;
	struct ghd_status	*st;
	struct ghd_release	*rel;
	struct ghd_pull		*pr;
	struct ghd_commit	*cm;
	struct ghd_issue	*is;
	char			*last_sha;	/* compare: the newest commit's
						   sha, or NULL */
};

/*
 * Decodes a parsed page of the kind.  Returns 0, or -1 with one line in
 * err (the page is not the list or object GitHub sends); *out is filled
 * either way and must be freed.
 */
int	ghd_decode(enum ghd_kind, const json_t *doc, struct ghd_page *out,
	    struct buf *err);
/* The same from the body as received (JSON, UTF-8). */
int	ghd_decode_body(enum ghd_kind, const char *body, size_t len,
	    struct ghd_page *out, struct buf *err);
void	ghd_page_free(struct ghd_page *);

#endif
