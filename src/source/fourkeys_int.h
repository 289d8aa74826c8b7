/*
 * fourkeys_int.h: what the parts of the Four Keys source share
 * (fourkeys_src.c: the services and their refresh; fourkeys_github.c:
 * a service read from GitHub; fourkeys_sql.c: a service read by a SQL
 * query).  Not for use outside src/source/fourkeys_*.c.
 */
#ifndef DAGTOP_FOURKEYS_INT_H
#define DAGTOP_FOURKEYS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "fkdef.h"
#include "fourkeys.h"
#include "fourkeys_src.h"

struct fk_src;
struct svc;
struct loop;
struct http;

enum signal { SIG_DEPLOYMENTS, SIG_RELEASES, SIG_MERGES };

/* One way to read a service: GitHub or SQL. */
struct fks_kind {
	/* Ready to refresh, or -1 with why ("service NAME: ..."). */
	int	(*init)(struct svc *, const struct fk_config *,
		    const char *cache, struct buf *why);
	/* Starts the reads; each ends in fks_check_done. */
	void	(*refresh)(struct svc *);
	/* Whether a read is still in flight. */
	bool	(*reading)(const struct svc *);
	/* The reads are over: counts, and the data gathered into work. */
	void	(*finish)(struct svc *);
	/* A wait to tell the user about into out, or nothing. */
	void	(*waiting)(const struct svc *, struct buf *out);
	void	(*free)(struct svc *);
};

extern const struct fks_kind fks_github, fks_sql;

struct svc {
	struct fk_src		*src;
	const struct fks_kind	*kind;
	const struct fk_service	*def;
	char			*describe;
	enum signal		 signal;
	bool			 pr_lead;
	char			*env, *branch, *label;
	char			**repos;
	size_t			 nrepos;
	char			**inc_repos;
	size_t			 ninc_repos;
	/* the refresh under way */
	bool			 busy;
	int64_t			 to;
	struct fk_data		 work;
	struct buf		 err;
	/* the last result */
	bool			 valid;
	struct fk_data		 data;
	struct fk_result	 res;
	int64_t			 fetched_at;
	struct buf		 last_err;
	int			 requests, not_modified;
	struct buf		 waiting;
	/* GitHub (fourkeys_github.c) */
	struct gh		*gh;
	struct job		*jobs;
	int			 pending;	/* repos whose signal is not in */
	struct cand		*cand;
	size_t			 ncand;
	int			 req0, nm0;	/* gh stats at the start */
	/* SQL (fourkeys_sql.c) */
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

/* The first error of a refresh is the one kept. */
void	fks_fail(struct svc *, const char *why);
/* The refresh is over when no read is left: measure, or keep the last. */
void	fks_check_done(struct svc *);
/* The start of the previous window: nothing older matters but a base. */
int64_t	fks_since(const struct svc *);
/* t as 2006-01-02T15:04:05Z. */
void	fks_iso(int64_t t, struct buf *out);
/* Room for one more change or incident in the data, zeroed. */
struct fk_change	*fks_add_change(struct fk_data *);
struct fk_incident	*fks_add_incident(struct fk_data *);
struct fk_deploy	*fks_add_deploy(struct fk_data *);

#endif
