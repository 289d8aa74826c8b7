/*
 * sla.h: service level agreements on Airflow work ("table A built by 10:00
 * Tokyo time on business days") and their evaluation.  Pure: definitions
 * and attempts (runs, or one task in runs) come in, an outcome per day and
 * compliance figures come out.  The rule, as dagtop.conf(5) states it:
 *
 *  - the day of an attempt is the local date, in the SLA's zone, of the end
 *    of its data interval (the logical date, or run_after, when the run has
 *    no interval).  Every run for that day counts: the scheduled one, a
 *    rerun of it (the same row, cleared), a manual or backfill run for the
 *    same interval;
 *  - the deadline of a day is its local wall time HH:MM in the SLA's zone
 *    (through DST: a time in a spring-forward gap is read with the offset
 *    before the gap, an ambiguous one as the earlier instant);
 *  - met: the earliest success ended at or before the deadline; late: it
 *    ended after (late by the difference), or nothing has succeeded yet,
 *    an attempt is still unfinished and the deadline has passed (late by
 *    now - deadline so far); failed: every attempt failed; missing: no
 *    attempt at all and the deadline has passed; pending: not done and the
 *    deadline ahead; at risk: pending, but the median duration of the
 *    recent successes says it will end after the deadline;
 *    not applicable: the day is not one of the SLA's days; unknown DAG:
 *    the SLA names a DAG the Airflow database does not have (a typo, a
 *    DAG of another deployment): a configuration error, not a miss, so
 *    no day of it is judged.
 */
#ifndef DAGTOP_SLA_H
#define DAGTOP_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct tz;

/* Weekday bits: 1 << 0 is Sunday ... 1 << 6 Saturday (tz_weekday). */
#define SLA_ALL_DAYS	0x7fu
#define SLA_WEEKDAYS	0x3eu
/* How many recent successes the median duration looks at. */
#define SLA_MEDIAN_RUNS	10
/* The trailing compliance window, in weeks. */
#define SLA_TRAILING_WEEKS 26

struct sla_def {
	char		*name;
	char		*dag_id;
	char		*task_id;	/* NULL: the whole run */
	int		 deadline;	/* seconds after local midnight */
	char		*timezone;	/* IANA name; NULL: the context's */
	unsigned	 days;		/* weekday bits */
	char		*owner;
	char		*note;
	char		*context;	/* only in this context; NULL: all */
	char		*file;		/* where it was defined */
	int		 line;
};

enum sla_outcome {
	SLA_NOT_APPLICABLE, SLA_MET, SLA_LATE, SLA_FAILED, SLA_MISSING,
	SLA_PENDING, SLA_AT_RISK, SLA_UNKNOWN_DAG, SLA_NOUTCOMES
};

enum sla_attempt_state {
	SLA_WAITING,	/* queued, scheduled, not started */
	SLA_RUNNING,
	SLA_SUCCEEDED,
	SLA_FAILED_ATTEMPT
};

/*
 * What a run (or the SLA's task in it) amounts to: run_state as stored;
 * for a task SLA, how many instances of the task the run has (a mapped
 * task has several), how many succeeded (success, skipped), how many
 * failed (failed, upstream_failed) and whether any started.
 */
enum sla_attempt_state sla_attempt_state(const char *run_state, bool task,
	    long n, long ok, long bad, bool started);

/* One run of the SLA's DAG (or its task in that run). */
struct sla_attempt {
	const char		*run_id;	/* borrowed */
	const char		*run_type;
	int64_t			 interval_end;	/* see the rule above */
	int64_t			 start;		/* TIME_NONE when not started */
	int64_t			 end;
	enum sla_attempt_state	 state;
	bool			 airflow_miss;	/* sla_miss row / missed deadline alert */
};

struct sla_day {
	int64_t			 day;		/* days since 1970-01-01 (local date) */
	int			 y, m, d;
	enum sla_outcome	 outcome;
	int64_t			 deadline;	/* instant; TIME_NONE when n/a */
	int64_t			 finished_at;	/* success (or last failure) */
	int64_t			 late_by;	/* seconds, 0 unless late */
	int64_t			 expected;	/* pending/at risk: estimated end */
	const char		*run_id;	/* the run that served, or NULL */
	int			 attempts;
	bool			 airflow_miss;
};

struct sla_summary {
	size_t	 count[SLA_NOUTCOMES];
	size_t	 judged;	/* met + late + failed + missing */
	double	 compliance;	/* met / judged, -1 when nothing judged */
	int64_t	 worst_late;	/* seconds, 0 when none */
};

/* An SLA over a period of local dates, with its trailing compliance. */
struct sla_eval {
	const struct sla_def	*def;
	struct sla_day		*days;
	size_t			 ndays;
	struct sla_summary	 period;
	struct sla_summary	 trailing;
	int64_t			 median;	/* seconds; -1 without history */
	bool			 unknown_dag;	/* sla_eval_unknown_dag */
};

/* The attempts the source read for a list of SLAs, grouped by SLA. */
struct sla_history {
	struct sla_attempt	*v;	/* run_id and run_type owned here */
	size_t			 n;
	size_t			*first;	/* per SLA: index of its first attempt */
	size_t			*count;
	size_t			 nsla;
	bool			*unknown_dag;	/* per SLA: no such DAG; may be NULL */
	bool			 airflow_sla_miss;	/* 2.x sla_miss read */
	bool			 airflow_deadlines;	/* 3.1 deadline read */
};

/* Groups the attempts (which must be ordered by SLA) for nsla SLAs. */
void	 sla_history_index(struct sla_history *, const size_t *sla_of,
	    size_t nsla);
void	 sla_history_free(struct sla_history *);
/* Whether SLA i names a DAG the database does not have (false if unread). */
bool	 sla_history_unknown_dag(const struct sla_history *, size_t i);

const char	*sla_outcome_name(enum sla_outcome);	/* "at_risk", ... */
const char	*sla_outcome_label(enum sla_outcome);	/* "at risk", ... */
/* An attempt outcome is a miss: late, failed or missing. */
bool		 sla_outcome_missed(enum sla_outcome);

/* "10:00" or "9:05" (00:00 to 23:59): seconds after midnight; 0 or -1. */
int	 sla_parse_deadline(const char *, int *);
/* "mon" .. "sun", also full names, any case: 0 = Sunday; 0 or -1. */
int	 sla_parse_weekday(const char *, int *);
/*
 * "daily", "weekdays", "mon-fri", "sat-sun", "mon,wed,fri", "mon-wed,fri"
 * (ranges may wrap: "fri-mon"): weekday bits; 0, or -1 with the reason
 * in err.
 */
int	 sla_parse_days(const char *, unsigned *, struct buf *err);
/* The canonical text: "daily", "mon-fri", "mon,wed,fri". */
void	 sla_days_format(unsigned, struct buf *);
/* A deadline (seconds after local midnight) as its wall time: "06:00". */
void	 sla_deadline_format(int deadline, struct buf *);

/* The local date number (days since 1970-01-01) of an instant. */
int64_t	 sla_local_day(const struct tz *, int64_t t);
/* The first day of the week holding day, weeks starting on week_start. */
int64_t	 sla_week_first(int64_t day, int week_start);
/*
 * "2026-W47": the first day of that week.  ISO weeks; with another
 * week_start the week is the one that holds the ISO week's Monday and
 * starts on week_start (for sunday, the day before the Monday).  0 or -1.
 */
int	 sla_week_parse(const char *, int week_start, int64_t *first);
/* The name of the week that starts on first ("2026-W47"). */
void	 sla_week_name(int64_t first, int week_start, struct buf *);
/* "2026-11-22" for a day number; and back (0 or -1). */
void	 sla_date_format(int64_t day, struct buf *);
/*
 * The heading of a day's column in at most width columns: "Mon 30",
 * "Mo 30", "Mo30", then "30" alone.  The day of the month is never cut (a
 * cut "Mon 3" for Monday the 30th reads as the 3rd); nothing below 2.
 */
void	 sla_day_label(int64_t day, int width, struct buf *);
int	 sla_date_parse(const char *, int64_t *day);

/* Median duration of the newest successes that ended by now; -1 if none. */
int64_t	 sla_median_duration(const struct sla_attempt *, size_t, int64_t now);

/* One day of one SLA. */
void	 sla_eval_day(const struct sla_def *, const struct tz *, int64_t day,
	    const struct sla_attempt *, size_t, int64_t median, int64_t now,
	    struct sla_day *);

/* Adds days up. */
void	 sla_summarise(const struct sla_day *, size_t, struct sla_summary *);
/* Adds the counts of b to a, the worse lateness kept, compliance anew. */
void	 sla_summary_add(struct sla_summary *a, const struct sla_summary *b);
/* A summary's compliance in a cell: "40%", "-" when nothing was judged. */
void	 sla_compliance_pct(struct buf *, const struct sla_summary *);

/*
 * The days first..last (local dates) of an SLA and the summary of the
 * SLA_TRAILING_WEEKS weeks that end on last.  Free with sla_eval_free.
 */
void	 sla_evaluate(struct sla_eval *, const struct sla_def *,
	    const struct tz *, int64_t first, int64_t last,
	    const struct sla_attempt *, size_t, int64_t now);
void	 sla_eval_free(struct sla_eval *);
/*
 * Week by week: out[0..nweeks) summarise the weeks (7 local dates each)
 * that end with the week starting on last_week (a local date), oldest
 * first, so out[nweeks - 1] is that week.  Days before the first attempt's
 * day are not judged (a DAG younger than a week broke no SLA before it
 * existed), so such a week has compliance -1.  Each day is judged as
 * sla_evaluate judges it.
 */
void	 sla_weeks(const struct sla_def *, const struct tz *,
	    int64_t last_week, size_t nweeks, const struct sla_attempt *,
	    size_t, int64_t now, struct sla_summary *out);
/*
 * The SLA's DAG is not in the database: every day it applies on becomes
 * SLA_UNKNOWN_DAG (no run, no lateness, no forecast), nothing is judged,
 * and both compliance figures are -1.  Days it does not apply on stay n/a.
 */
void	 sla_day_unknown_dag(struct sla_day *);
void	 sla_eval_unknown_dag(struct sla_eval *);

/*
 * Today of every SLA, ordered for a screen: at risk, late, failed and
 * missing first, then pending, then met, then unknown DAG (nothing to
 * open: a configuration error); not applicable last.  order holds
 * n indexes into days.
 */
void	 sla_order_today(const struct sla_day *const *days, size_t n,
	    size_t *order);

void	 sla_def_free(struct sla_def *);

#endif
