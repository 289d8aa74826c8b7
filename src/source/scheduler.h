/*
 * scheduler.h: the scheduler source.  Everything above src/source (the console,
 * the reports, dagtop clear) reads DAGs, runs, task instances, task graphs,
 * pools and SLA attempts through this small vtable, into model structs,
 * asynchronously, and knows nothing of where they come from: table names
 * and SQL stay in the implementation.
 *
 * Implementations: airflow_db.c (kind "database": the Airflow metadata
 * database, through libpq) and airflow_rest.c (kind "api": the Airflow
 * REST API, v1 and v2, for Cloud Composer and every deployment whose
 * database cannot be reached).  sched_open_context (src/sched_open.h)
 * opens the one a context names.  Another (a scheduler that keeps its
 * state elsewhere) is one more file with a `struct sched_ops` and a
 * constructor; see README, Layout.  Where a kind cannot give what a fetch
 * promises, the fetch fails with a line saying so, or the difference is
 * in dagtop(1)'s table of sources; it never silently gives less.
 *
 * The contract of every fetch: *out (and warn) must stay valid until cb is
 * called, once, with NULL or a one-line error for the user; on error *out
 * holds nothing.  Callbacks come from the event loop, never from inside the
 * fetch call itself.
 */
#ifndef DAGTOP_SCHEDULER_H
#define DAGTOP_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include "airflow.h"
#include "compare.h"
#include "depgraph.h"
#include "graph.h"
#include "sla.h"
#include "slots.h"

struct buf;

/* err is NULL on success, else one line for the user. */
typedef void (*sched_cb)(void *arg, const char *err);

/* What the source found out about the Airflow it reads. */
struct sched_about {
	int		 major;		/* 2 or 3 */
	const char	*release;	/* "2.10.3-2.11" (database), "2.10.3"
					   (api); NULL when unknown */
	const char	*revision;	/* the alembic revision; NULL (api) */
	bool		 ti_history;	/* earlier tries kept (2.10+) */
};

struct sched;

/* What sched_fetch_runs_recent is to read; see there. */
struct sched_recent {
	int			 per_dag;
	/*
	 * The DAG list fetch_dags read in this refresh: the source reads it
	 * no second time.  NULL: the source reads it itself.
	 */
	const struct af_dags	*dags;
	/*
	 * An incremental read: the answer of the last read of the same DAGs
	 * and per_dag, and when that read began (epoch seconds, this
	 * machine's clock).  The source may read only the runs changed since
	 * and merge them into prev (run_merge) or read everything; out is
	 * the same either way, but for runs deleted since (a full read, prev
	 * NULL, drops them).  The API source reads by updated_at; the
	 * database source what dagtop(1), Load on the database, lists.
	 */
	const struct af_runs	*prev;
	int64_t			 prev_at;
	/*
	 * The DAGs whose strips are wanted (per_dag runs; what the console
	 * shows), sorted bytewise; every other DAG gets only its newest run
	 * (what the DAG list's sorts need).  NULL: per_dag for every DAG.
	 * prev_strips: the same for prev's read, so that a DAG that comes
	 * into view has its strip read in full.
	 */
	const char *const	*strips;
	size_t			 nstrips;
	const char *const	*prev_strips;
	size_t			 nprev_strips;
};

struct sched_ops {
	const char	*kind;		/* "database" | "api" */
	void		 (*free)(struct sched *);
	const struct sched_about *(*about)(const struct sched *);
	/* Notes from detection (an unknown revision); "" when none. */
	const char	*(*warnings)(const struct sched *);
	/* "Airflow 2.10.3-2.11 (5f2621c13b39)", for headers. */
	void		 (*describe)(const struct sched *, struct buf *);

	void	(*fetch_health)(struct sched *, struct af_health *, sched_cb,
		    void *);
	void	(*fetch_dags)(struct sched *, struct af_dags *, sched_cb,
		    void *);
	/* NULL: sched_fetch_dags_since reads everything (fetch_dags). */
	void	(*fetch_dags_since)(struct sched *, const struct af_dags *prev,
		    int64_t prev_at, struct af_dags *, sched_cb, void *);
	void	(*fetch_runs_since)(struct sched *, int64_t since,
		    struct af_runs *, sched_cb, void *);
	void	(*fetch_runs_recent)(struct sched *,
		    const struct sched_recent *, struct af_runs *, sched_cb,
		    void *);
	void	(*fetch_dag_runs)(struct sched *, const char *dag_id, int limit,
		    struct af_runs *, sched_cb, void *);
	void	(*fetch_run)(struct sched *, const char *dag_id,
		    const char *run_id, struct af_runs *, sched_cb, void *);
	void	(*fetch_tis)(struct sched *, const char *dag_id,
		    const char *run_id, struct af_tis *, sched_cb, void *);
	void	(*fetch_attention_tis)(struct sched *,
		    const struct af_run *const *, size_t, struct af_tis *,
		    sched_cb, void *);
	void	(*fetch_graph)(struct sched *, const char *dag_id,
		    const char *run_id, struct graph **, struct buf *warn,
		    sched_cb, void *);
	void	(*fetch_pools)(struct sched *, struct af_pools *, sched_cb,
		    void *);
	void	(*fetch_log_template)(struct sched *, const char *dag_id,
		    const char *run_id, char **, sched_cb, void *);
	void	(*fetch_sla)(struct sched *, const struct sla_def *const *,
		    size_t, int64_t from, int64_t to, struct sla_history *,
		    sched_cb, void *);
	void	(*fetch_unknown_dags)(struct sched *, const char *const *,
		    size_t, bool *, sched_cb, void *);
	void	(*fetch_dag_runs_before)(struct sched *, const char *dag_id,
		    const struct af_run *before, int limit, struct af_runs *,
		    sched_cb, void *);
	void	(*fetch_deps)(struct sched *, struct dep_facts *, sched_cb,
		    void *);
	void	(*fetch_dep_state)(struct sched *, const struct dep_ask *,
		    struct dep_state *, sched_cb, void *);
	void	(*fetch_shapes)(struct sched *, struct cmp_shapes *,
		    struct buf *warn, sched_cb, void *);
	void	(*fetch_task_stats)(struct sched *, int64_t since,
		    struct cmp_tasks *, sched_cb, void *);
};

/* Every implementation's struct begins with this. */
struct sched {
	const struct sched_ops	*ops;
};

/* NULL is fine. */
void		 sched_free(struct sched *);
const struct sched_about *sched_about(const struct sched *);
const char	*sched_warnings(const struct sched *);
void		 sched_describe(const struct sched *, struct buf *);

/* Scheduler, triggerer and DAG processor heartbeats, and the time now. */
void	sched_fetch_health(struct sched *, struct af_health *out, sched_cb,
	    void *arg);
/* Every DAG with its schedule, owners, pause and import-error state. */
void	sched_fetch_dags(struct sched *, struct af_dags *out, sched_cb,
	    void *arg);
/*
 * The DAG list again after a read of it: prev, the answer of a read that
 * began at prev_at (epoch seconds, this machine's clock).  The source may
 * read only what can have changed since and merge it into a copy of prev
 * (prev stays as it is); *out is what sched_fetch_dags would give but for
 * the limits dagtop(1) names (Load on the database), which a full read
 * (sched_fetch_dags) clears.  out->mark changes when a DAG comes or goes:
 * then the runs must be read whole too.
 */
void	sched_fetch_dags_since(struct sched *, const struct af_dags *prev,
	    int64_t prev_at, struct af_dags *out, sched_cb, void *arg);
/*
 * Runs that belong to the window since `since` (epoch seconds): those whose
 * run_after (3.x), or data interval end or logical date (2.x), is in it, every
 * unfinished run, and every failed run that ended in it.
 */
void	sched_fetch_runs_since(struct sched *, int64_t since,
	    struct af_runs *out, sched_cb, void *arg);
/*
 * The newest `w->per_dag` runs of every DAG, grouped by DAG, newest first
 * within a DAG as Airflow orders them (execution_date on 2.x, run_after on
 * 3.x: af_run.order): only dag_id (one copy per DAG, shared), run_id, state,
 * run_after, order, start_date and end_date are read; the other instants
 * are TIME_NONE, run_type NULL.  What the run strips draw, and no more.
 * The DAGs are those of w->dags when it is given (a refresh reads the DAG
 * list once: fetch_dags, then this with its answer); w->prev asks for an
 * incremental read (struct sched_recent).  *w and what it points to must
 * stay valid until cb.
 */
void	sched_fetch_runs_recent(struct sched *, const struct sched_recent *w,
	    struct af_runs *out, sched_cb, void *arg);
/*
 * The newest `limit` runs of one DAG, newest first as Airflow orders them
 * (af_run.order): after a manual run, that run, on 2.x as on 3.x.
 */
void	sched_fetch_dag_runs(struct sched *, const char *dag_id, int limit,
	    struct af_runs *out, sched_cb, void *arg);
/* One run by its id (0 or 1 element in *out). */
void	sched_fetch_run(struct sched *, const char *dag_id, const char *run_id,
	    struct af_runs *out, sched_cb, void *arg);
/* Every task instance of one run. */
void	sched_fetch_tis(struct sched *, const char *dag_id, const char *run_id,
	    struct af_tis *out, sched_cb, void *arg);
/*
 * Failed, upstream_failed and up_for_retry task instances of these runs,
 * sorted bytewise by dag_id, run_id, task_id (status_run_tis relies on it).
 */
void	sched_fetch_attention_tis(struct sched *, const struct af_run *const *,
	    size_t, struct af_tis *out, sched_cb, void *arg);
/*
 * The task graph of a DAG: the version the run was created with on 3.x
 * (run_id may be NULL for the latest).  *out is NULL and the reason is in
 * warn when the stored document is unreadable; that is not an error (cb
 * gets NULL), the tasks can still be listed.
 */
void	sched_fetch_graph(struct sched *, const char *dag_id,
	    const char *run_id, struct graph **out, struct buf *warn, sched_cb,
	    void *arg);
/* Every pool with the slots its task instances take, by state. */
void	sched_fetch_pools(struct sched *, struct af_pools *out, sched_cb,
	    void *arg);
/*
 * The log file name template the run was made with; *out stays NULL when
 * the run has none (the default applies).
 */
void	sched_fetch_log_template(struct sched *, const char *dag_id,
	    const char *run_id, char **out, sched_cb, void *arg);
/*
 * The attempts of these SLAs whose data interval ends in [from, to): the
 * DAG's runs, or the SLA's task in them, with Airflow's own verdict (SLA
 * misses on 2.x, deadline alerts on 3.1+) where it keeps one; and
 * out->unknown_dag[i] for each SLA whose DAG Airflow does not know.
 */
void	sched_fetch_sla(struct sched *, const struct sla_def *const *, size_t,
	    int64_t from, int64_t to, struct sla_history *out, sched_cb,
	    void *arg);
/*
 * out[i] = whether Airflow does not know dag_ids[i] at all (a DAG gone from
 * the files is still known): config check warns of an SLA on one.
 */
void	sched_fetch_unknown_dags(struct sched *, const char *const *dag_ids,
	    size_t n, bool *out, sched_cb, void *arg);
/*
 * The `limit` runs of one DAG next older than `before` (one of its runs)
 * in Airflow's order, newest first (af_run_cmp_newest: af_run.order, then
 * run_id): the runs pane's next page back, read with the columns of
 * sched_fetch_dag_runs.  Keyset, never OFFSET: runs that arrive between
 * two pages neither repeat a run nor skip one.
 */
void	sched_fetch_dag_runs_before(struct sched *, const char *dag_id,
	    const struct af_run *before, int limit, struct af_runs *out,
	    sched_cb, void *arg);
/*
 * The facts of the dependency graph across DAGs (depgraph.h): every DAG
 * that takes part with its pause state, expression and next run, every
 * asset and alias, task outlets, schedule references, and the sensor and
 * trigger links of the newest serialized DAGs.  The database source reads
 * them in at most two statements whatever the size; the API source in a
 * number of pages that grows with the assets, and writes in out->gaps each
 * edge kind the REST API cannot give.
 */
void	sched_fetch_deps(struct sched *, struct dep_facts *out, sched_cb,
	    void *arg);
/*
 * The state a walk needs (one statement on the database): for each DAG of
 * ask, its newest run, the failed or retrying task instance of that run
 * (the newest such), and its median duration over its last SLA_MEDIAN_RUNS
 * successful runs; for each asset, its newest event and who wrote it; the
 * assets queued for ask->consumer; and the database clock.
 */
void	sched_fetch_dep_state(struct sched *, const struct dep_ask *ask,
	    struct dep_state *out, sched_cb, void *arg);

/*
 * Blue/green (compare.h).  Every active DAG's task graph as its newest
 * serialized DAG (database) or its tasks endpoint (API) gives it, task
 * ids and edges; a DAG whose graph cannot be read is marked unknown and
 * named in warn, one line each.
 */
void	sched_fetch_shapes(struct sched *, struct cmp_shapes *out,
	    struct buf *warn, sched_cb, void *arg);
/*
 * Per task, over the runs of the window since `since` (as
 * sched_fetch_runs_since chooses them): the task instances that ended,
 * the failed ones, the median and p90 of the successful ones' durations.
 */
void	sched_fetch_task_stats(struct sched *, int64_t since,
	    struct cmp_tasks *out, sched_cb, void *arg);

#endif
