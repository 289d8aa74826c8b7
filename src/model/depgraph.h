/*
 * depgraph.h: the dependency graph across DAGs, and the two questions it
 * answers: what a failure holds back (downstream, "impact") and why a DAG
 * or an SLA is late (upstream, "why").  Pure: the sources fill a dep_facts
 * with what Airflow stores (airflow_dependencies.md), depgraph_build()
 * turns it into a graph, and the walks read it with run states the source
 * read for the DAGs they touch.  Nothing here loops on a cycle or trusts a
 * reference: both are reported in the warnings.
 *
 * Nodes are DAGs, tasks, assets (datasets on 2.x) and asset aliases.
 * Edges, and where Airflow keeps them:
 *
 *   task -> task		the DAG's task graph (struct graph, serdag)
 *   task -> asset		task_outlet_*_reference; the serialized task's
 *				outlets (the only place of alias and Asset.ref
 *				outlets)
 *   task|DAG -> alias		an alias outlet (serialized DAG only; DAG level
 *				when only dag_dependencies names it)
 *   alias -> asset		what the alias resolved to (*_alias_*)
 *   asset|alias -> DAG		the DAG is scheduled on it, under the DAG's
 *				expression: all (AND) is held back when any
 *				branch is, any (OR) only when every branch is
 *   DAG -> DAG (sensor)	an ExternalTaskSensor in the target waits on
 *				the source (dag_dependencies)
 *   task|DAG -> DAG (trigger)	a TriggerDagRunOperator in the source
 *				triggers the target (dag_dependencies)
 *
 * An asset with several producers is like an any: it is held back only when
 * every producer is (another producer still updates it).  A DAG reached
 * through a hop past the first is held back as a whole: every outlet of it
 * counts (dagtop does not read the task graph of every DAG it passes).
 */
#ifndef DAGTOP_DEPGRAPH_H
#define DAGTOP_DEPGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "airflow.h"
#include "buf.h"
#include "graph.h"
#include "sla.h"

struct tz;

/* ----------------------------------------------------------------------
 * Facts: what a source reads.  Strings are owned by the facts; indexes
 * refer to the arrays of the same facts.  Any order; duplicates are fine.
 */

struct dep_dag_fact {
	char	*dag_id;
	bool	 paused;
	bool	 active;	/* 2.x is_active, 3.x NOT is_stale */
	/*
	 * dag.dataset_expression (2.9+) / asset_expression (3.x) as stored,
	 * JSON; NULL when the DAG is not asset-scheduled or the column is
	 * absent (2.7-2.8: then its schedule references are an all).
	 */
	char	*expression;
	/*
	 * Runs on a clock (a cron or timedelta timetable), so it is "not
	 * scheduled on time anyway" only when paused; false for asset-
	 * scheduled and unscheduled (None, triggered only) DAGs.
	 */
	bool	 timed;
	int64_t	 next_run_after;	/* next_dagrun_create_after; TIME_NONE */
};

struct dep_asset_fact {
	int64_t	 id;		/* dataset.id / asset.id; 0 when not known (API) */
	char	*name;		/* 2.x: the URI again */
	char	*uri;
	bool	 active;	/* 2.x NOT is_orphaned; 3.x an asset_active row */
};

enum dep_target_kind {
	DEP_TO_ASSET,		/* asset index */
	DEP_TO_ALIAS,		/* alias index */
	DEP_TO_NAME_REF,	/* 3.x Asset.ref(name=...): ref text */
	DEP_TO_URI_REF		/* 3.x Asset.ref(uri=...): ref text */
};

/* A task (or, task_id NULL, some task of the DAG) writes to an asset or alias. */
struct dep_outlet_fact {
	char			*dag_id;
	char			*task_id;	/* NULL: the DAG as a whole */
	enum dep_target_kind	 kind;
	size_t			 target;	/* DEP_TO_ASSET / DEP_TO_ALIAS */
	char			*ref;		/* DEP_TO_*_REF */
};

/* A DAG is scheduled on an asset, an alias or a reference. */
struct dep_schedule_fact {
	char			*dag_id;
	enum dep_target_kind	 kind;
	size_t			 target;
	char			*ref;
};

struct dep_alias_fact {
	char	*name;
	size_t	*assets;	/* indexes of the assets it resolved to */
	size_t	 nassets;
};

enum dep_link_kind { DEP_SENSOR, DEP_TRIGGER };

/* One sensor or trigger entry of a serialized DAG's dag_dependencies. */
struct dep_link_fact {
	enum dep_link_kind	 kind;
	char			*source;	/* DAG waited on / triggering DAG */
	char			*target;	/* sensing DAG / triggered DAG */
	char			*task_id;	/* the sensor (in target) or the
						   trigger task (in source) */
};

struct dep_facts {
	struct dep_dag_fact	*dags;
	size_t			 ndags;
	struct dep_asset_fact	*assets;
	size_t			 nassets;
	struct dep_alias_fact	*aliases;
	size_t			 naliases;
	struct dep_outlet_fact	*outlets;
	size_t			 noutlets;
	struct dep_schedule_fact *schedules;
	size_t			 nschedules;
	struct dep_link_fact	*links;
	size_t			 nlinks;
	/*
	 * What the source could not give, one line per edge kind ("sensors
	 * and triggers: the REST API does not expose dag_dependencies");
	 * shown with every answer built on these facts.
	 */
	struct buf		 gaps;
	struct buf		 warnings;	/* rows that could not be read */
};

struct dep_dag_fact	*dep_facts_dag(struct dep_facts *);	/* zeroed, pushed */
struct dep_asset_fact	*dep_facts_asset(struct dep_facts *);
struct dep_alias_fact	*dep_facts_alias(struct dep_facts *);
struct dep_outlet_fact	*dep_facts_outlet(struct dep_facts *);
struct dep_schedule_fact *dep_facts_schedule(struct dep_facts *);
struct dep_link_fact	*dep_facts_link(struct dep_facts *);
/*
 * Index of the asset with this id (id != 0), else this uri, else (size_t)-1;
 * and of the alias of this name.  Linear until depgraph_build; for sources
 * that meet a reference before they have the whole list, add the asset
 * first.
 */
size_t	 dep_facts_find_asset(const struct dep_facts *, int64_t id,
	    const char *uri);
size_t	 dep_facts_find_alias(const struct dep_facts *, const char *name);
void	 dep_facts_free(struct dep_facts *);

/*
 * Reads one dag_dependencies list (the JSON array of a serialized DAG,
 * 2.7-3.2 spellings: "dataset"/"asset", "dataset-alias"/"asset-alias",
 * "asset-name-ref"/"asset-uri-ref", "sensor", "trigger") of DAG dag_id
 * into facts: sensor and trigger links, and alias outlets at DAG level
 * (the alias is added when new).  Asset edges are left to the reference
 * tables, which name the task.  Unreadable entries go to the warnings.
 * Returns the number of entries taken.
 */
size_t	 dep_facts_add_dependencies(struct dep_facts *, const char *dag_id,
	    const char *json, size_t len);

/* ----------------------------------------------------------------------
 * The graph.
 */

struct depgraph;

/*
 * Builds the graph from facts (which it copies what it needs from, so the
 * facts may be freed after).  Never fails on content: dangling references
 * (a schedule on an asset no row has, a sensor on a DAG Airflow does not
 * know, an expression naming an unknown asset) and cycles across DAGs are
 * named in depgraph_warnings(), one line each.  NULL only when out of
 * memory.
 */
struct depgraph	*depgraph_build(const struct dep_facts *);
void		 depgraph_free(struct depgraph *);
const char	*depgraph_warnings(const struct depgraph *);	/* "" if none */
const char	*depgraph_gaps(const struct depgraph *);	/* facts.gaps */
size_t		 depgraph_ndags(const struct depgraph *);
size_t		 depgraph_nassets(const struct depgraph *);
/* Whether dag_id takes part in any cross-DAG edge. */
bool		 depgraph_has_dag(const struct depgraph *, const char *dag_id);

/* ----------------------------------------------------------------------
 * Downstream: what a failure holds back.
 */

enum dep_node_kind { DEP_NODE_DAG, DEP_NODE_TASK, DEP_NODE_ASSET,
	DEP_NODE_ALIAS };

/* How an item was reached from its parent. */
enum dep_via {
	DEP_VIA_FAILURE,	/* the failed task itself (the root) */
	DEP_VIA_TASK,		/* downstream in the task graph */
	DEP_VIA_OUTLET,		/* a task (or held-back DAG) writes the asset */
	DEP_VIA_ALIAS,		/* through an alias */
	DEP_VIA_SCHEDULE,	/* the DAG is scheduled on the asset/alias */
	DEP_VIA_SENSOR,		/* the DAG's sensor waits on the parent DAG */
	DEP_VIA_TRIGGER		/* the parent (task) triggers the DAG */
};

struct dep_item {
	enum dep_node_kind	 kind;
	const char		*dag_id;	/* DAG and task items; borrowed
						   from the graph (or the
						   impact's own copy) */
	const char		*task_id;	/* task items (the impact's own
						   copy, tg may go); sensor/
						   trigger task for those vias */
	const char		*asset;		/* asset (its name, else uri)
						   and alias items */
	const char		*uri;		/* asset items */
	size_t			 parent;	/* index in items; (size_t)-1
						   for the root */
	enum dep_via		 via;
	int			 depth;		/* 0 for the root */
	bool			 paused;	/* DAG items */
	bool			 inactive;	/* DAG items: stale/inactive */
	/* DAG items: would not run on time anyway (paused, or not on a clock
	   and nothing else would trigger it). */
	bool			 not_on_time;
	/*
	 * Asset and alias items: this failure does not update it, but another
	 * producer that is not held back still may, so its consumers are not
	 * held back through it (the item has no children).
	 */
	bool			 other_producer;
	int64_t			 next_run_after;	/* DAG items, TIME_NONE */
	/*
	 * This item's SLAs in dep_impact.slas: nsla hits with .item equal
	 * to this item, the soonest at sla_first (slas are by deadline, so
	 * another item's may come between).
	 */
	size_t			 sla_first, nsla;
};

/* An SLA held back by the failure (dep_impact_slas). */
struct dep_sla_hit {
	size_t		 sla;		/* index into the caller's defs */
	size_t		 item;		/* the DAG or task item that holds it */
	int64_t		 deadline;	/* the next deadline not yet judged */
	int64_t		 left;		/* deadline - now (negative: passed) */
	/*
	 * The median durations along the chain from the failure to the SLA's
	 * DAG (each held-back DAG's median run, and the failed DAG's whole
	 * median run: the rerun runs it again); -1 when a median is unknown.
	 */
	int64_t		 chain;
	bool		 fits;		/* now + chain <= deadline */
};

struct dep_impact {
	struct dep_item		*items;		/* tree order: a parent before
						   its children, depth first */
	size_t			 nitems;
	size_t			 ntasks, nassets, ndags;	/* held back */
	struct dep_sla_hit	*slas;		/* by deadline, soonest first */
	size_t			 nslas;
	struct buf		 warnings;	/* cycles met, dangling refs */
};

/*
 * What a failure of dag_id.task_id holds back.  tg is the failed DAG's task
 * graph (the run's version; NULL when unreadable: then only the failed
 * task's own outlets and DAG-level edges count, and the warnings say so).
 * The failed DAG itself is an item (depth 0 is the task; its downstream
 * tasks follow), then every asset, alias and DAG held back, transitively, as
 * a tree (each node once, under the first parent a breadth-first walk meets;
 * a cycle back to a node already in the tree is named in the warnings).
 * dags (may be NULL) gives paused, schedule and next run for DAG items where
 * the facts lack them.  Returns 0, or -1 when dag_id is unknown to the graph
 * and tg is NULL (nothing to say).
 */
int	 dep_impact(const struct depgraph *, const char *dag_id,
	    const char *task_id, const struct graph *tg,
	    const struct af_dags *dags, struct dep_impact *out);

/*
 * The SLAs of defs[0..n) that the impact holds back: an SLA on a held-back
 * DAG, or on a held-back task of the failed DAG (an SLA on a task of a
 * held-back DAG counts too, the whole DAG being held).  today[i] is SLA i's
 * current day (sla_eval_day at now; its deadline and outcome), may be NULL
 * for an SLA without one.  st (may be NULL: chains unknown) gives each
 * DAG's median for the chain; now is the database clock.  Fills out->slas
 * and each item's sla_first/nsla.
 */
struct dep_state;
void	 dep_impact_slas(struct dep_impact *, const struct sla_def *const *defs,
	    const struct sla_day *const *today, size_t n,
	    const struct dep_state *st, int64_t now);

/*
 * The one line the rerun modal shows: "holds back 3 DAGs and 2 SLAs; next
 * deadline acc_export 10:00 JST, 2h10m left", "holds back nothing outside
 * this DAG", "holds back 1 DAG (paused)".  Whole, however long the SLA's
 * name: cutting it to a width, with the mark, is the UI's job.  zones give
 * each SLA's own time zone for the deadline (NULL: UTC); defs as given to
 * dep_impact_slas.  dated writes the deadline with its date, "2026-11-22
 * 10:00:00 JST", for a report read later; else the wall clock, "10:00 JST".
 */
void	 dep_impact_line(const struct dep_impact *,
	    const struct sla_def *const *defs, const struct tz *const *zones,
	    int64_t now, bool dated, struct buf *out);
void	 dep_impact_free(struct dep_impact *);
const char	*dep_via_name(enum dep_via);	/* "sensor", "schedule", ... */
const char	*dep_node_kind_name(enum dep_node_kind);

/* ----------------------------------------------------------------------
 * Upstream: why a DAG has not run (or an SLA is at risk).
 */

/* The state of one DAG the walk asks about (the source reads it). */
struct dep_dag_state {
	char		*dag_id;
	/* Its newest run: state, and when it ended (or started). */
	bool		 has_run;
	enum run_state	 run_state;
	char		*run_id;
	int64_t		 run_start, run_end, run_after;
	/*
	 * The task instance that failed (or is retrying) in that run, if any:
	 * its try and the tries it may have in all, Airflow's max_tries + 1
	 * (max_tries counts the retries), as "try 3/3" shows them.
	 */
	char		*bad_task;
	enum ti_state	 bad_state;
	int		 bad_try, bad_max_tries;
	int64_t		 bad_end;
	int64_t		 median;	/* median run seconds, -1 unknown */
};

/* The newest update of an asset (matched by id, else by uri). */
struct dep_asset_state {
	int64_t		 id;
	char		*uri;
	int64_t		 last_event;	/* TIME_NONE: never updated */
	char		*source_dag, *source_task, *source_run;
};

struct dep_state {
	struct dep_dag_state	*dags;		/* sorted by dag_id, bytewise */
	size_t			 ndags;
	struct dep_asset_state	*assets;
	size_t			 nassets;
	/*
	 * The consumer's queue (asset_dag_run_queue / dataset_dag_run_queue):
	 * the assets updated since its last run, which it waits no more on.
	 */
	char			*queued_for;	/* the consumer's dag_id */
	int64_t			*queued;	/* asset ids (API: 0) */
	char			**queued_uri;	/* their uris */
	size_t			 nqueued;
	int64_t			 now;		/* database clock */
};

void	 dep_state_free(struct dep_state *);
/* The state read for dag_id (binary search: dags is sorted); NULL if none. */
const struct dep_dag_state *dep_state_dag(const struct dep_state *,
	    const char *dag_id);

/*
 * What to read state for, in one go (struct sched's fetch_dep_state): the
 * DAG ids (sorted, unique) and assets (id and uri) a walk touches.  The
 * strings are borrowed from the graph.
 */
struct dep_ask {
	const char	**dag_ids;
	size_t		  ndags;
	int64_t		 *asset_ids;
	const char	**asset_uris;
	size_t		  nassets;
	const char	 *consumer;	/* whose queue to read; NULL: none */
};

/*
 * Every DAG and asset upstream of dag_id, up to max_depth hops (a bounded
 * read), dag_id itself included; consumer is dag_id.
 */
void	 dep_upstream_ask(const struct depgraph *, const char *dag_id,
	    int max_depth, struct dep_ask *out);
/* Every DAG of an impact (for the medians of its chains). */
void	 dep_impact_ask(const struct dep_impact *, struct dep_ask *out);
void	 dep_ask_free(struct dep_ask *);

enum dep_verdict {
	DEP_OK,		/* the link is fine: updated, succeeded */
	DEP_WAITING,	/* running or queued, not late yet */
	DEP_LATE,	/* has not happened since the consumer's last run and
			   its producer's run is later than its median says */
	DEP_FAILED,	/* the producer's newest run (or task) failed */
	DEP_MISSING,	/* never updated / no run at all */
	DEP_PAUSED,	/* the producer is paused */
	DEP_UNKNOWN	/* dangling: no such DAG or asset */
};

struct dep_link {
	enum dep_node_kind	 kind;	/* DAG, task or asset */
	const char		*dag_id, *task_id, *asset;
	enum dep_via		 via;	/* how the previous link depends on it */
	enum dep_verdict	 verdict;
	int64_t			 when;	/* last update / run end / failure */
	enum ti_state		 ti_state;
	int			 try_number;
	int			 max_tries;	/* all tries: Airflow's max_tries + 1 */
	const char		*run_id;
};

struct dep_why {
	/* From the DAG asked about up to the first bad link, in that order. */
	struct dep_link		*chain;
	size_t			 nchain;
	bool			 found;		/* a bad link was found */
	/* Other branches that are bad too (an all waiting on two failures). */
	size_t			 also_bad;
	struct buf		 sentence;	/* "sales_mart waits for asset ..." */
	struct buf		 warnings;
};

/*
 * Walks upstream from dag_id to the first failed, missing, paused or late
 * link: through the assets of its expression that are not yet queued for
 * it (only the branches that still block it: of an any, the one nearest
 * to being satisfied), their producers and those producers' own upstream,
 * its sensors' DAGs and its triggers.  A sensed DAG whose newest run is
 * older than the period the sensing DAG waits for (from the sensing DAG's
 * newest run_after and its DAG's next_run_after) has not run for it yet:
 * the walk goes on upstream of it.  st must hold what dep_upstream_ask
 * named.  The sentence reads like "sales_mart waits for asset
 * bq://dwh/orders, last updated 26h ago by ingest_orders.load, which
 * failed at 03:12, try 3/3"; times in zone (NULL: UTC).  found is false,
 * with a sentence saying why, when every link upstream is fine (the DAG
 * itself is slow) or it has no upstream.
 */
void	 dep_why(const struct depgraph *, const char *dag_id,
	    const struct dep_state *st, const struct tz *zone,
	    struct dep_why *out);
void	 dep_why_free(struct dep_why *);
const char	*dep_verdict_name(enum dep_verdict);	/* "failed", ... */

#endif
