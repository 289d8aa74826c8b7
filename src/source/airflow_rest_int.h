/*
 * airflow_rest_int.h: what the files of the REST API scheduler source
 * share (airflow_rest.c: jobs, reads, opening, DAGs, graph;
 * airflow_rest_runs.c: runs, task instances, SLA history; and
 * airflow_rest_deps.c: the dependency facts and state).  A fetch is a job
 * of reads; see airflow_rest.c.
 */
#ifndef DAGTOP_AIRFLOW_REST_INT_H
#define DAGTOP_AIRFLOW_REST_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "airflow.h"
#include "airflow_rest.h"
#include "buf.h"
#include "depgraph.h"
#include "graph.h"
#include "sla.h"

struct loop_timer;

struct rest {
	struct sched		 base;
	struct loop		*loop;
	struct http		*http;
	struct airflow_api	*api;
	int			 page_limit;
	struct sched_about	 about;
	char			*release;
	struct buf		 warnings;
	struct job		*jobs;		/* every live job */
	long			 requests;
	sched_cb		 ready;
	void			*arg;
};

enum req_kind {
	K_VERSION, K_HEALTH, K_DAGS, K_RUNS, K_RUN, K_TIS, K_POOLS, K_TASKS,
	K_EXISTS,
	/* airflow_rest_deps.c's, decoded by rest_deps_decode */
	K_DEP_DAGS, K_DEP_ASSETS, K_DEP_ALIASES, K_DEP_DETAIL, K_DEP_EVENTS,
	K_DEP_QUEUED
};

struct job;

/* One read: a GET or a list POST, paged or not. */
struct req {
	struct job		*job;
	enum req_kind		 kind;
	char			*path;	/* with its query, for a GET */
	json_t			*body;	/* a POST's; NULL for a GET */
	bool			 paged;
	long			 offset;
	long			 want;	/* stop after this many; -1: all */
	struct api_call		*call;
	/* What it read. */
	struct af_runs		 runs;
	struct af_tis		 tis;
	bool			 missing;	/* K_EXISTS: 404 */
	/* A 404 reads as nothing: a DAG Airflow does not know has no runs,
	   as the database's rows say. */
	bool			 none_on_404;
	char			*version;	/* K_VERSION */
	/* K_TASKS of a read of several graphs: its own (else job->graph). */
	struct graph		*graph;
};

/*
 * qsort for lists that may be empty: an empty list's array is NULL, which
 * qsort must not be given (UBSan says so).
 */
static inline void
rest_sort(void *v, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

typedef void (*job_end_fn)(struct job *);

struct job {
	struct rest		*rs;
	struct job		*next;
	sched_cb		 cb;
	void			*arg;
	struct loop_timer	*timer;
	struct req		**reqs;
	size_t			 nreqs;
	size_t			 started;
	size_t			 done;
	bool			 starting;	/* inside job_next or req_send */
	struct buf		 err;
	job_end_fn		 end;	/* success: fills the output */
	job_end_fn		 fail;	/* failure: empties it */
	/* The output and what the end needs. */
	void			*out;
	struct graph		*graph;
	struct af_dags		*dags;		/* the strips' DAG list */
	int64_t			 since;
	int			 per_dag;
	const struct af_runs	*prev;	/* the strips merged into, or NULL */
	const struct sched_recent *want;	/* the strips' request */
	int			 step;		/* the strips' window */
	int			 limit;
	size_t			 n;	/* attention pairs */
	char			**pairs;	/* dag_id, run_id, ...: copies */
	/* SLAs: per SLA its DAG and task (copies), runs and TI read. */
	struct af_runs		*sla_runs;
	struct req		**sla_tis;
	int64_t			 from, to;
	/* A fetch's own state, freed with the job by extra_free. */
	void			*extra;
	job_end_fn		 extra_free;
};

/* A job for a fetch: cb(arg, err) once its reads are in. */
struct job	*rest_job_new(struct rest *, void *out, sched_cb, void *arg);
/* One more read; a POST when body is not NULL (the job owns it). */
struct req	*rest_job_add(struct job *, enum req_kind, const char *path,
		    json_t *body, bool paged);
/* Starts the job on the next loop pass. */
void		 rest_job_go(struct job *);
/* Starts reads that wait; finishes the job when all are in. */
void		 rest_job_next(struct job *);
/* Fills or empties the output, frees the job, calls back. */
void		 rest_job_finish(struct job *);
/*
 * For a job that waits on another fetch first: when that fetch failed
 * (err), the job ends with its error and true is returned (the job is
 * gone); else false.
 */
bool		 rest_job_ended(struct job *, const char *err);
/* 1 or 2: the API version in use. */
int		 rest_api_version(const struct rest *);
/* Appends /dags/{dag_id}[/dagRuns/{run_id}], escaped; run_id may be NULL. */
void		 rest_dag_path(struct buf *, const char *dag_id,
		    const char *run_id);
/* A paged read of /dags/{dag_id}/dagRuns?query: want runs (-1: all). */
struct req	*rest_add_runs(struct job *, const char *dag_id,
		    const char *query, long want);
/* A run list body {"order_by": order_by}. */
json_t		*rest_runs_body(const char *order_by);
/* The instant t, ISO 8601 in UTC (to free). */
char		*rest_iso(int64_t t);
/* Sets key to the instant t, ISO 8601 in UTC. */
void		 rest_body_time(json_t *, const char *key, int64_t t);
/* ["a", "b", "c"]: b and c may be NULL. */
json_t		*rest_states(const char *a, const char *b, const char *c);
/* Moves the runs every read of the job holds into out. */
void		 rest_gather_runs(struct job *, struct af_runs *out);
/* job->fail for a job whose out is a struct af_runs or af_tis. */
void		 rest_fail_runs(struct job *);
void		 rest_fail_tis(struct job *);

/* The fetches, for the vtable (scheduler.h says what each promises). */
void	rest_fetch_dags(struct sched *, struct af_dags *, sched_cb, void *);
void	rest_fetch_runs_since(struct sched *, int64_t, struct af_runs *,
	    sched_cb, void *);
void	rest_fetch_runs_recent(struct sched *, const struct sched_recent *,
	    struct af_runs *, sched_cb, void *);
void	rest_fetch_dag_runs_before(struct sched *, const char *,
	    const struct af_run *, int, struct af_runs *, sched_cb, void *);
void	rest_fetch_dag_runs(struct sched *, const char *, int,
	    struct af_runs *, sched_cb, void *);
void	rest_fetch_run(struct sched *, const char *, const char *,
	    struct af_runs *, sched_cb, void *);
void	rest_fetch_tis(struct sched *, const char *, const char *,
	    struct af_tis *, sched_cb, void *);
void	rest_fetch_attention_tis(struct sched *, const struct af_run *const *,
	    size_t, struct af_tis *, sched_cb, void *);
void	rest_fetch_sla(struct sched *, const struct sla_def *const *, size_t,
	    int64_t, int64_t, struct sla_history *, sched_cb, void *);
void	rest_fetch_deps(struct sched *, struct dep_facts *, sched_cb, void *);
void	rest_fetch_dep_state(struct sched *, const struct dep_ask *,
	    struct dep_state *, sched_cb, void *);

void	rest_fetch_shapes(struct sched *, struct cmp_shapes *, struct buf *,
	    sched_cb, void *);
void	rest_fetch_task_stats(struct sched *, int64_t, struct cmp_tasks *,
	    sched_cb, void *);
/*
 * airflow_rest_deps.c's decoders, pure (tests/unit/test_airflow_rest.c):
 * one page (one object for a detail) of the answer as received, api 1 or
 * 2, appended to the facts or the state.  Each returns the records of
 * the page (the detail 0) and *total (total_entries, -1 when absent), or
 * -1 with one line in err; a record without its key fields is a line in
 * the facts' warnings and is skipped, a field of the wrong type is as
 * absent.
 */
long	rest_deps_dags(const char *, size_t, int api, struct dep_facts *,
	    long *total, struct buf *err);
long	rest_deps_assets(const char *, size_t, int api, struct dep_facts *,
	    long *total, struct buf *err);
long	rest_deps_aliases(const char *, size_t, struct dep_facts *,
	    long *total, struct buf *err);
int	rest_deps_detail(const char *, size_t, int api, struct dep_facts *,
	    struct buf *err);
long	rest_deps_events(const char *, size_t, int api, struct dep_state *,
	    long *total, struct buf *err);
long	rest_deps_queued(const char *, size_t, int api, struct dep_state *,
	    long *total, struct buf *err);
/* req_decode for the K_DEP_* reads: into the job's facts or state. */
long	rest_deps_decode(struct req *, const char *, size_t, long *total,
	    struct buf *err);

#endif
