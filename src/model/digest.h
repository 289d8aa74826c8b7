/*
 * digest.h: the weekly digest (`dagtop report digest`), the team lead's
 * Monday page.  Pure data and pure computation: report_digest.c reads the
 * sources and fills a struct digest; the writers (digest_write.c: text,
 * Markdown, HTML; digest_json.c: JSON) only render it, each format the
 * same content.
 *
 * Every section carries its origin: where its numbers come from and how old
 * they are.  A section whose source could not be read keeps its error and
 * is written with it (the report exits 3, the other sections are still
 * written); a section that is not configured (no SLAs, no BigQuery, no Four
 * Keys service, a single context) says so and is not an error.
 *
 * Every string here is owned by the digest and comes from outside (DAG ids,
 * task ids, users, incident titles, error messages): the writers escape or
 * defuse each for their format; nothing here is trusted.
 */
#ifndef DAGTOP_DIGEST_H
#define DAGTOP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fourkeys.h"
#include "sla.h"
#include "status.h"

/* The sections, in the order every format writes them. */
enum digest_section {
	DIGEST_SLA,		/* the SLA week and its 26-week trend */
	DIGEST_FAILURES,	/* the week's failures, reruns, recovery */
	DIGEST_FOURKEYS,	/* the Four Keys, 7 and 30 days */
	DIGEST_SLOTS,		/* BigQuery slot peaks, top consumers */
	DIGEST_ENVIRONMENTS,	/* every context's health (several only) */
	DIGEST_NSECTIONS
};

/* Where a section's numbers come from, and how old they are. */
struct digest_origin {
	char	*source;	/* one line: "Airflow database (context prod, 2.10.3)" */
	int64_t	 read_at;	/* when they were read; TIME_NONE: not read */
	int64_t	 newest;	/* the newest datum in them; TIME_NONE: unknown */
	char	*error;		/* NULL: read; else why not (exit status 3) */
	char	*skipped;	/* NULL; else why there is nothing ("no SLAs
				   are configured"): not an error */
};

/* One SLA: the week's days and the 26 weeks up to it. */
struct digest_sla {
	struct sla_eval		 ev;	/* the week's 7 days; ev.period the week,
					   ev.trailing the 26 weeks together */
	struct sla_summary	 weeks[SLA_TRAILING_WEEKS];
					/* oldest first; the last is the week */
	char			*zone;	/* the SLA's IANA zone, for its deadline */
};

/* A DAG's failures in the week. */
struct digest_dag {
	char	*dag_id;
	char	*owner;		/* the DAG's owners, or NULL */
	size_t	 runs;		/* runs that ended in the week */
	size_t	 failed_runs;
	size_t	 failed_tasks;	/* failed task instances in those runs */
};

/* A task's failures in the week. */
struct digest_task {
	char	*dag_id;
	char	*task_id;
	size_t	 failures;	/* failed task instances (each try counts once:
				   the instance's final state) */
	size_t	 runs;		/* distinct runs it failed in */
};

/* A failed run and the time to the DAG's next success. */
struct digest_recovery {
	char	*dag_id;
	char	*run_id;
	int64_t	 failed_at;	/* the failed run's end */
	int64_t	 recovered_at;	/* the end of the next successful run of the
				   DAG (same logical date or later); TIME_NONE:
				   not yet */
	char	*recovered_by;	/* that run's id, or NULL */
};

/* A rerun done from dagtop, from the audit log (an outcome record). */
struct digest_rerun {
	int64_t	 time;
	char	*user;
	char	*context;	/* or NULL */
	char	*dag_id;
	char	*run_id;
	size_t	 tasks;		/* task instances cleared (count), 0 unknown */
	char	*result;	/* "cleared", "failed: ...", "refused: ..." */
};

struct digest_failures {
	size_t			 runs, failed_runs;	/* ended in the week */
	struct digest_dag	*dags;		/* most failed runs first */
	size_t			 ndags;
	struct digest_task	*tasks;		/* most failures first */
	size_t			 ntasks;
	struct digest_recovery	*recoveries;	/* by failed_at */
	size_t			 nrecoveries;
	int64_t			 recovery_median;	/* seconds; -1 none */
	int64_t			 recovery_max;		/* seconds; -1 none */
	size_t			 unrecovered;	/* recovered_at TIME_NONE */
	struct digest_rerun	*reruns;	/* by time */
	size_t			 nreruns;
	struct digest_origin	 reruns_origin;	/* the audit log's */
};

/* One Four Keys service over the last 7 and 30 days (each with the before). */
struct digest_service {
	char			*name;
	struct fk_result	 week;		/* window 7 days: cur and prev */
	struct fk_result	 month;		/* window 30 days */
	struct digest_origin	 origin;	/* this service's source */
};

/* A reservation's (or on-demand's: id NULL) week. */
struct digest_reservation {
	char	*id;
	double	 peak;		/* the busiest minute's average slots */
	int64_t	 peak_at;
	double	 average;
	double	 capacity;	/* baseline + autoscale max, -1 unknown */
	int	 minutes_above;	/* minutes above its ceiling in the week */
};

struct digest_consumer {
	char	*key;		/* "dag.task", user e-mail, job id */
	char	*dag_id;	/* airflow-dag label, or NULL */
	char	*task_id;	/* airflow-task label, or NULL */
	double	 slot_ms;
	double	 share;		/* of the week's slot-ms, 0..1 */
	int64_t	 jobs;
	int64_t	 bytes_billed;
};

struct digest_slots {
	double				 peak;		/* all reservations */
	int64_t				 peak_at;
	double				 average;
	struct digest_reservation	*resv;
	size_t				 nresv;
	struct digest_consumer		*top;		/* most slot-ms first */
	size_t				 ntop;
};

/* One context's health (struct fleet_row's facts, as `report status` judges). */
struct digest_env {
	char		*context;
	enum verdict	 verdict;
	char		*summary;	/* the verdict's one line */
	char		*version;	/* NULL unknown */
	size_t		 active, paused, import_errors;
	size_t		 failed, running, queued;	/* in the week */
	char		*error;		/* NULL read; else why not (UNKNOWN) */
};

struct digest {
	char			*context;	/* the context it is for */
	char			*week;		/* "2026-W49" */
	int64_t			 first_day, last_day;	/* local dates, sla.h's */
	int64_t			 from, to;	/* the week as instants [from, to) */
	char			*zone;		/* the context's IANA zone */
	int64_t			 generated_at;
	struct digest_origin	 origin[DIGEST_NSECTIONS];

	struct digest_sla	*sla;
	size_t			 nsla;
	struct digest_failures	 failures;
	struct digest_service	*services;
	size_t			 nservices;
	struct digest_slots	 slots;
	struct digest_env	*envs;
	size_t			 nenvs;
};

void	 digest_init(struct digest *);
void	 digest_free(struct digest *);
void	 digest_origin_free(struct digest_origin *);

/*
 * The exit status of the digest: 3 when a section's source could not be
 * read (origin[i].error, a service's or the audit log's), else 1 when an
 * SLA was missed in the week or a context is not OK, else 0.
 */
int	 digest_rc(const struct digest *);

/*
 * --- digest_failures.c: the week's failures and reruns (report digest) ---
 * Pure: the sources' answers in, struct digest_failures out.
 */
struct af_runs;
struct af_tis;
struct af_dags;
struct af_run;

/*
 * The failed runs that ended in [from, to), whose task instances the
 * failures section counts: *out (free it) holds n borrowed pointers.
 */
size_t	 digest_failed_runs(const struct af_runs *, int64_t from, int64_t to,
	    const struct af_run ***out);
/*
 * The failures of the week [from, to) into f (whose reruns it leaves as
 * they are): runs are those read since the week began and up to now, so
 * the runs after the week are there and serve only to find recoveries;
 * tis the failed runs' task instances (any order; those of other runs are
 * ignored); dags the DAG list, for owners.  A run is the week's when it
 * ended in [from, to); f->dags holds the DAGs with a failed run in the
 * week.  A failed task is an instance whose final state is
 * failed (upstream_failed ones never ran and are not counted).  A failed
 * run recovers at the end of the DAG's first successful run that ended
 * after it, for the same or a later logical date (run_after where a run
 * has none).
 */
void	 digest_failures_build(struct digest_failures *, int64_t from,
	    int64_t to, const struct af_runs *, const struct af_tis *,
	    const struct af_dags *);
/*
 * The reruns of the week from the audit log's text (audit.h: a JSON object
 * a line): the outcome records of action "clear" whose time is in
 * [from, to), appended to f->reruns, which end sorted by time.  Intent
 * records and other actions are passed over; blank lines too.  Returns how
 * many lines were malformed (not JSON, or an outcome of a clear without
 * its time, user, DAG, run or result): skipped, never fatal.
 */
size_t	 digest_reruns_parse(struct digest_failures *, const char *text,
	    size_t len, int64_t from, int64_t to);

#endif
