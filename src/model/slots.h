/*
 * slots.h: BigQuery slot usage as the slots pane and `report slots` show it,
 * and Airflow pools.  Pure: BigQuery answers (already parsed JSON) in,
 * per-minute series, capacity, peaks and top consumers out.
 *
 * A BigQuery result is decoded with its schema: every cell is kept as the
 * text BigQuery sent (INT64 and NUMERIC arrive as JSON strings, TIMESTAMP as
 * float seconds, often in scientific notation: "1.7e9"), NULL as NULL;
 * typed accessors convert on demand.  REPEATED and RECORD cells keep their
 * JSON text.
 */
#ifndef DAGTOP_SLOTS_H
#define DAGTOP_SLOTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"

enum bq_type { BQ_STRING, BQ_INT64, BQ_FLOAT64, BQ_NUMERIC, BQ_BOOL,
	BQ_TIMESTAMP, BQ_DATE, BQ_DATETIME, BQ_TIME, BQ_BYTES, BQ_RECORD,
	BQ_OTHER };

struct bq_field {
	char		*name;
	enum bq_type	 type;
	bool		 repeated;
};

struct bq_table {
	struct bq_field	*fields;
	size_t		 nfields;
	char		**cells;	/* nrows * nfields; NULL is SQL NULL */
	size_t		 nrows;
	int64_t		 total_rows;	/* as BigQuery counts them, -1 unknown */
};

/* "INTEGER"/"INT64" -> BQ_INT64, ...; BQ_OTHER when unknown. */
enum bq_type	 bq_type_parse(const char *);
/*
 * Adds one page of a jobs.query or getQueryResults answer: the schema from
 * the first page (a later page must match it), then its rows.  Returns 0,
 * or -1 with the reason in err (the table keeps what was added before).
 */
int		 bq_table_add_page(struct bq_table *, const json_t *page,
		    struct buf *err);
void		 bq_table_free(struct bq_table *);
/* The column of that name, or -1. */
int		 bq_col(const struct bq_table *, const char *name);
/* The cell's text, or NULL for NULL (and for a column out of range). */
const char	*bq_cell(const struct bq_table *, size_t row, int col);
/* Typed reads: false for NULL or text that is not a number. */
bool		 bq_int64(const struct bq_table *, size_t row, int col,
		    int64_t *);
bool		 bq_double(const struct bq_table *, size_t row, int col,
		    double *);
/* A TIMESTAMP as epoch seconds (float seconds, or int64 microseconds). */
bool		 bq_time(const struct bq_table *, size_t row, int col,
		    double *);
/*
 * A Google API error body ({"error":{"code","message","errors":[{reason,
 * message}]}}) as one line "reason: message"; with no such body, the HTTP
 * status.  Appends to out.
 */
void		 bq_error_text(struct buf *out, long status, const char *body,
		    size_t len);
/* The reason of such a body ("backendError"), or "" when there is none. */
void		 bq_error_reason(struct buf *out, const char *body, size_t len);

/* --- slot usage ------------------------------------------------------------ */

struct slot_minute {
	int64_t	 t;		/* start of the minute, epoch seconds */
	double	 slots;		/* average slots in use over the minute, all */
	double	 capacity;	/* the ceilings counted against, -1 unknown */
	int	 above;		/* reservations above their ceiling */
	int	 running;	/* jobs running during the minute */
	int	 pending;	/* jobs waiting during the minute */
};

enum slot_capacity { CAP_UNKNOWN, CAP_ON_DEMAND, CAP_RESERVATION, CAP_FIXED };

/* One reservation's minute, as RESERVATIONS_TIMELINE and the jobs tell it. */
struct slot_resv_minute {
	double	 slots;		/* this reservation's usage (average) */
	double	 baseline;	/* slot_capacity, -1 no row yet */
	double	 autoscale;	/* autoscale.current_slots */
	double	 autoscale_max;	/* autoscale.max_slots */
	double	 idle;		/* idle slots it may borrow; 0 if it ignores */
	double	 limit;		/* baseline + autoscale max (+ idle), -1 */
	bool	 ignore_idle;
	bool	 above;
};

/*
 * A reservation ("ADMIN:LOCATION.NAME", as reservation_id spells it) or,
 * with id NULL, on-demand usage (reservation_id NULL: no reservation, or
 * the free pool of a project assigned to none).
 */
struct slot_resv {
	char	*id;
	char	*edition;	/* NULL unknown */
	struct slot_resv_minute *m;	/* the window's minutes */
	bool	 capacity;	/* RESERVATIONS_TIMELINE has it */
	bool	 used;		/* the jobs used it in the window */
	/* Derived by slots_finish(). */
	double	 peak;		/* the busiest minute's average */
	int64_t	 peak_at;
	double	 average;
	double	 slot_ms;
	int	 minutes_above;	/* in the whole window */
	int	 recent_above;	/* in the alert window */
	int64_t	 last_above;	/* -1 never */
	struct slot_resv_minute now;	/* the last whole minute */
};

enum consumer_kind { CONSUMER_USER, CONSUMER_DAG, CONSUMER_JOB,
	CONSUMER_KIND_COUNT };

struct slot_consumer {
	enum consumer_kind kind;
	char		*key;		/* user email, "dag" or "dag.task", job id */
	char		*user;		/* NULL unless known */
	char		*dag;		/* airflow-dag label, NULL when none */
	char		*task;		/* airflow-task label, NULL when none */
	double		 slot_ms;
	int64_t		 jobs;
	int64_t		 bytes_processed;
	int64_t		 bytes_billed;
	double		 avg_slots;	/* slot_ms over the window */
	double		 share;		/* of all slot-ms in the window, 0..1 */
};

struct slots {
	int64_t		 start, end;	/* window [start, end), whole minutes */
	struct slot_minute *m;
	size_t		 n;
	enum slot_capacity cap_kind;
	double		 cap_now;	/* capacity of the last known minute */
	/* Reservations seen, then on-demand (id NULL) last once finished. */
	struct slot_resv *r;
	size_t		 nr;
	char		*only;		/* the configured reservation, or NULL */
	int		 alert_minutes;	/* the alert window, minutes back */
	/* Derived by slots_finish(). */
	double		 peak;		/* the busiest minute's average */
	int64_t		 peak_at;
	double		 average;
	int		 minutes_above;	/* minutes with a reservation above */
	int		 recent_above;	/* of them, in the last alert_minutes */
	bool		 idle_rule;	/* a shown reservation borrows idle */
	int		 pending_max;
	int64_t		 pending_max_at;
	int		 running_now, pending_now;	/* the last minute */
	double		 slot_ms;	/* all of the window */
	/* Top consumers, each kind ordered by slot-ms, most first. */
	struct slot_consumer *c;
	size_t		 nc;
	int64_t		 jobs;
	int64_t		 bytes_processed;	/* by the jobs of the window */
	int64_t		 bytes_billed;
	/* What dagtop's own queries billed to read this. */
	int64_t		 query_bytes_billed;
	int64_t		 query_bytes_processed;
	int64_t		 read_at;
	bool		 valid;
};

/*
 * An empty window of `minutes` whole minutes ending where the minute of
 * `now` begins: the current minute is still filling up, and its average
 * would read low, so it is never part of the window.  alert_minutes starts
 * at SLOTS_ALERT_MINUTES.
 */
#define SLOTS_ALERT_MINUTES	15
void	slots_init(struct slots *, int64_t now, int minutes);
/*
 * Keeps to one reservation ("admin:LOCATION.name"): the others are still
 * read (their idle slots may be lent) but not shown or counted.
 */
void	slots_only(struct slots *, const char *reservation_id);
void	slots_free(struct slots *);
/* Moves everything from src to dst (dst freed first); src ends empty. */
void	slots_move(struct slots *dst, struct slots *src);

/*
 * Adds a timeline: rows with a TIMESTAMP column `minute` (or period_start:
 * per-second rows are summed into their minute), slot-ms in `slot_ms`
 * (or period_slot_ms), optional `reservation_id` (NULL: on-demand), and
 * optional `running` and `pending` job counts.  Rows outside the window
 * are ignored.  Returns -1 with err when a column is missing.
 */
int	slots_add_timeline(struct slots *, const struct bq_table *,
	    struct buf *err);
/*
 * Adds capacity from RESERVATIONS_TIMELINE: one row per reservation and
 * minute with period_start, reservation_id, baseline (slot_capacity),
 * autoscale_current, autoscale_max, ignore_idle_slots and optional
 * edition.  A minute without a row keeps the reservation's last known
 * values (a row before the window carries into it).  No rows at all:
 * on-demand.  The autoscale figures are those of the minute's row; within
 * a minute autoscaling may change (per_second_details), which matters
 * little here as the rule counts against autoscale.max_slots.
 */
int	slots_add_capacity(struct slots *, const struct bq_table *,
	    struct buf *err);
/* A fixed capacity from the configuration, for every minute. */
void	slots_set_capacity(struct slots *, double);
/*
 * Adds consumers: columns kind ("user", "dag", "job" or "total"), key,
 * user, dag, task, slot_ms, jobs, bytes_processed, bytes_billed.
 */
int	slots_add_consumers(struct slots *, const struct bq_table *,
	    struct buf *err);
/*
 * Peak, average, minutes above capacity, pending, shares; sorts consumers.
 * A reservation's minute is above capacity when its usage passes baseline
 * + autoscale.max_slots, plus, when ignore_idle_slots is false, the idle
 * slots of the admin project's other reservations of the same edition
 * (their baseline less the usage seen there): borrowed idle slots are free
 * and legitimate.  On-demand usage has no ceiling here.  recent_above
 * counts such minutes in the last alert_minutes of the window only.
 */
void	slots_finish(struct slots *);
/* The reservation of that id (NULL: on-demand), or NULL. */
const struct slot_resv *slots_resv(const struct slots *, const char *id);
/* The capacity rule slots_finish used, one sentence. */
const char *slots_rule_text(const struct slots *);

/*
 * The chart's columns: the window cut into ncols buckets, each the highest
 * minute (so a peak never disappears), its capacity, and whether any of its
 * minutes had a reservation above its ceiling.  Returns the
 * number of columns filled (min(ncols, n)).
 */
size_t	slots_buckets(const struct slots *, size_t ncols, double *slots,
	    double *capacity, int64_t *t, bool *above);
const char *consumer_kind_name(enum consumer_kind);
const char *slot_capacity_name(enum slot_capacity);
/* "1.5 GiB" style, 1024-based; "0 B". */
void	fmt_bytes(struct buf *, int64_t);

/* --- the SQL, one statement per question ------------------------------------ */

/* true when s is a project id or region dagtop will put in a query. */
bool	bq_valid_project(const char *);
bool	bq_valid_region(const char *);
/* true when s is "admin-project:LOCATION.name", as reservation_id is. */
bool	bq_valid_reservation(const char *);
#define SLOTS_SQL_WINDOW	0
/* Where the jobs are read: this project's, or the whole organization's. */
enum jobs_view { JOBS_VIEW_PROJECT, JOBS_VIEW_ORGANIZATION };

/*
 * The statements over `project`.`region-REGION`.INFORMATION_SCHEMA for the
 * last `minutes` whole minutes (the current one left out), or, with
 * minutes SLOTS_SQL_WINDOW, for [@window_start, @window_end): TIMESTAMP
 * query parameters the caller sends with the statement (a past week).  Each starts
 * with a "-- dagtop:NAME" comment that says which question it answers
 * (timeline, capacity, consumers).  The timeline groups per minute and
 * reservation_id; with JOBS_VIEW_ORGANIZATION it reads
 * JOBS_TIMELINE_BY_ORGANIZATION and keeps this project's jobs and every
 * project's jobs in the admin project's reservations.
 */
void	slots_sql_timeline(struct buf *, const char *project,
	    const char *region, int minutes, enum jobs_view,
	    const char *admin_project);
void	slots_sql_capacity(struct buf *, const char *admin_project,
	    const char *region, int minutes);
void	slots_sql_consumers(struct buf *, const char *project,
	    const char *region, int minutes, int top);

/* --- Airflow pools --------------------------------------------------------- */

struct af_pool {
	char	*name;
	int	 slots;		/* -1: unlimited */
	bool	 include_deferred;
	int	 running, queued, deferred, scheduled;
};

struct af_pools {
	struct af_pool	*v;
	size_t		 n;
	bool		 valid;
};

void	af_pools_free(struct af_pools *);
/* Slots taken as Airflow counts them (deferred only when included). */
int	af_pool_used(const struct af_pool *);

#endif
