/*
 * airflow.h: the model of what dagtop reads from Airflow: states, DAGs, runs,
 * task instances, scheduler health.  Pure data and pure functions; sources fill
 * these structs, panes and reports read them.
 */
#ifndef DAGTOP_AIRFLOW_H
#define DAGTOP_AIRFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Epoch seconds; TIME_NONE where the database has NULL. */
#define TIME_NONE INT64_MIN

/* Task instance states (airflow.md §2).  TI_NONE is SQL NULL ("no status"). */
enum ti_state {
	TI_NONE,
	TI_SCHEDULED,
	TI_QUEUED,
	TI_RUNNING,
	TI_SUCCESS,
	TI_FAILED,
	TI_UPSTREAM_FAILED,
	TI_SKIPPED,
	TI_UP_FOR_RETRY,
	TI_UP_FOR_RESCHEDULE,
	TI_RESTARTING,
	TI_DEFERRED,
	TI_REMOVED,
	TI_SHUTDOWN,
	TI_UNKNOWN,	/* a string this build does not know */
	TI_NSTATES
};

enum run_state {
	RUN_QUEUED,
	RUN_RUNNING,
	RUN_SUCCESS,
	RUN_FAILED,
	RUN_UNKNOWN,
	RUN_NSTATES
};

enum ti_state	 ti_state_parse(const char *);	/* NULL or "" or "none" -> TI_NONE */
const char	*ti_state_name(enum ti_state);	/* "none" for TI_NONE */
/*
 * The short form narrow list columns show ("ok", "upfail", "retry"...):
 * at most STATE_SHORT_MAX columns, distinct per state; dagtop(1) lists them.
 */
#define STATE_SHORT_MAX	7
const char	*ti_state_brief(enum ti_state);
/*
 * A task instance's state for people: as ti_state_name, except that one
 * with no state that has run before (try_number > 0) was cleared and
 * says what Airflow does next: "cleared, waiting for the scheduler", or in
 * 15 columns "cleared, to run".  Reports in JSON keep the bare state.
 */
const char	*ti_state_text(enum ti_state, int try_number, bool brief);
/* One letter per state, for screens and reports without colour. */
char		 ti_state_letter(enum ti_state);
bool		 ti_state_finished(enum ti_state);
bool		 ti_state_unfinished(enum ti_state);
bool		 ti_state_failed(enum ti_state);	/* failed, upstream_failed */
/* Needs a human: failed, upstream_failed, or up_for_retry. */
bool		 ti_state_attention(enum ti_state);

enum run_state	 run_state_parse(const char *);
const char	*run_state_name(enum run_state);
const char	*run_state_brief(enum run_state);	/* as ti_state_brief */
char		 run_state_letter(enum run_state);
bool		 run_state_finished(enum run_state);

struct af_dag {
	char	*dag_id;
	bool	 paused;
	bool	 active;	/* 2.x is_active; 3.x NOT is_stale */
	bool	 import_errors;
	char	*owners;
	char	*schedule;	/* readable summary, see schedule_summary() */
	char	*timetable_description;
	char	*fileloc;
	int64_t	 next_run;	/* next_dagrun (logical date) */
	int64_t	 next_run_after; /* next_dagrun_create_after */
	int	 open_runs;	/* queued and running runs (database; 0: API) */
};

struct af_run {
	char		*dag_id;
	char		*run_id;
	enum run_state	 state;
	/*
	 * dag_id belongs to an earlier run of the same array (the run strips
	 * share one copy per DAG): af_runs_free frees it once, with its owner.
	 */
	bool		 shared_dag_id;
	char		*state_raw;	/* as stored, only when RUN_UNKNOWN */
	char		*run_type;
	int64_t		 logical_date;	/* 2.x execution_date; 3.x logical_date (may be none) */
	int64_t		 run_after;	/* 3.x run_after; 2.x data_interval_end or logical date */
	/*
	 * The instant Airflow orders a DAG's runs by, newest first: 3.x
	 * run_after, 2.x execution_date.  Not run_after on 2.x: a manual run
	 * there gets the last complete data interval, the scheduled run's, and
	 * only its execution_date (the trigger time) says it came later.
	 */
	int64_t		 order;
	int64_t		 queued_at;
	int64_t		 start_date;
	int64_t		 end_date;
	int64_t		 data_interval_start;
	int64_t		 data_interval_end;
	int		 clear_number;
};

struct af_ti {
	char		*dag_id;
	char		*run_id;
	char		*task_id;
	int		 map_index;	/* -1 when not mapped */
	enum ti_state	 state;
	char		*state_raw;	/* as stored, only when TI_UNKNOWN */
	int		 try_number;
	int		 max_tries;
	int64_t		 start_date;
	int64_t		 end_date;
	double		 duration;	/* seconds; < 0 when NULL */
	char		*operator;
	char		*pool;
	char		*hostname;
	char		*rendered_map_index;
};

/* Liveness of one kind of Airflow job (scheduler, triggerer, dag processor). */
struct af_job_health {
	bool	 seen;		/* any row of this job type at all */
	int	 running;	/* rows in state running */
	int64_t	 last_heartbeat;	/* newest heartbeat of a running row */
	int64_t	 last_seen;	/* newest heartbeat of any row */
	char	*hostname;	/* host of the newest running row */
};

enum af_job { AF_JOB_SCHEDULER, AF_JOB_TRIGGERER, AF_JOB_DAG_PROCESSOR, AF_NJOBS };

struct af_health {
	int64_t			now;	/* database clock, epoch seconds */
	struct af_job_health	job[AF_NJOBS];
};

extern const char *const af_job_type[AF_NJOBS];	/* "SchedulerJob", ... */

/* Growable arrays of the above, owned by whoever holds them. */
/*
 * mark, in both lists: where the source that read the list starts its next
 * incremental read of the same (the database source: the highest
 * dag_run.id it saw); 0 when it keeps none.  Opaque above src/source.
 */
struct af_dags {
	struct af_dag	*v;
	size_t		 n;
	int64_t		 mark;
	/* database: signatures of the DAGs' flags and of their open runs */
	int64_t		 flags, opens;
};
struct af_runs {
	struct af_run	*v;
	size_t		 n;
	size_t		 cap;	/* 0: a power of two at or above n */
	int64_t		 mark;
};
struct af_tis {
	struct af_ti	*v;
	size_t		 n;
};

struct af_dag	*af_dags_push(struct af_dags *);	/* zeroed new element */
struct af_run	*af_runs_push(struct af_runs *);
/* Room for n runs in all, so that n pushes never reallocate. */
void		 af_runs_reserve(struct af_runs *, size_t n);
struct af_ti	*af_tis_push(struct af_tis *);
void		 af_dags_free(struct af_dags *);
void		 af_runs_free(struct af_runs *);
void		 af_tis_free(struct af_tis *);

/*
 * Newest first, as Airflow orders a DAG's runs: by `order`, ties by run_id
 * (descending, so that of two runs at one instant the answer never depends
 * on the order they came in).  < 0 when a is the newer.
 */
int	 af_run_cmp_newest(const struct af_run *a, const struct af_run *b);

void	 af_dag_clear(struct af_dag *);
void	 af_run_clear(struct af_run *);
void	 af_ti_clear(struct af_ti *);
/* Frees and resets; every instant becomes TIME_NONE. */
void	 af_health_clear(struct af_health *);

/* Run duration in seconds: end - start, or now - start while running; < 0 when unknown. */
double	 af_run_duration(const struct af_run *, int64_t now);

/*
 * Turns what the dag table stores about a schedule into a short readable text:
 * 2.x schedule_interval is JSON ('"0 2 * * *"', 'null', a timedelta object),
 * 3.x timetable_summary is plain text.  Returns an allocated string.
 */
char	*schedule_summary(const char *raw);

/* Scheduler health with the threshold in seconds. */
enum health { HEALTH_OK, HEALTH_DOWN, HEALTH_ABSENT };
enum health af_job_state(const struct af_job_health *, int64_t now, int threshold);
const char *health_name(enum health);

#endif
