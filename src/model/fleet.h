/*
 * fleet.h: one row of the console's environments overview, per context:
 * what its last good read said (status.h: health, DAGs, the window's
 * runs, the verdict report status gives) and how old that is, or why the
 * last read failed.  Pure: the caller passes the clock.
 */
#ifndef DAGTOP_FLEET_H
#define DAGTOP_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "airflow.h"
#include "sla.h"
#include "status.h"

struct buf;

struct fleet_row {
	char		*name;		/* the context */
	bool		 valid;		/* a read went well once */
	enum health	 job[AF_NJOBS];	/* HEALTH_ABSENT: never ran */
	char		*version;	/* "2.10.3"; NULL unknown */
	size_t		 nactive, npaused, nimport_errors;
	size_t		 failed, running, queued;	/* in the window */
	enum verdict	 verdict;	/* of the last good read */
	int64_t		 read_at;	/* it began, epoch s; 0 never */
	char		*error;		/* the last read's; NULL went well */
	/* Today's SLAs of the context, as the SLA pane judges them. */
	size_t		 nsla;		/* 0: none defined, no column */
	bool		 sla_read;	/* their runs were read once */
	size_t		 sla_risk;	/* at risk */
	size_t		 sla_missed;	/* late, failed or missing */
};

/* A row for context name with nothing read yet. */
void		 fleet_row_init(struct fleet_row *, const char *name);
void		 fleet_row_free(struct fleet_row *);
/*
 * A read begun at `at` went well: the status built from it (status_build,
 * as report status builds it) and the source's release (may be NULL).
 */
void		 fleet_row_set(struct fleet_row *, const struct status *,
		    const char *version, int64_t at);
/*
 * Today of each of the context's n SLAs (sla_eval_day, as the SLA pane
 * evaluates it): how many are at risk and how many missed.
 */
void		 fleet_row_sla(struct fleet_row *, const struct sla_day *,
		    size_t n);
/* "1/0" (at risk/missed); "-" with no SLA, "?" before they are read. */
void		 fleet_row_sla_cell(const struct fleet_row *, struct buf *);
/* A read (or the connection) failed: why; what was read stays, aged. */
void		 fleet_row_fail(struct fleet_row *, const char *err);
/*
 * The row's one word: the last read's verdict (report status's rules),
 * UNKNOWN when nothing was read or the last read failed, as report status
 * says UNKNOWN of a context it cannot reach.
 */
enum verdict	 fleet_row_verdict(const struct fleet_row *);
/* How old its data is at now: "3s", "2m", "1h"; "-" when never read. */
void		 fleet_row_age(const struct fleet_row *, int64_t now,
		    struct buf *);
/* A job's cell: "ok", "DOWN", "-" (never ran). */
const char	*fleet_health_cell(enum health);
/*
 * Every value of the row on one line, for the detail line: "prod: OK;
 * Airflow 2.10.3; scheduler ok, triggerer ok, processor -; DAGs 12 active,
 * 3 paused, 1 import error; runs 2 failed, 1 running, 0 queued; SLAs
 * today 1 at risk, 0 missed of 4; data 3s old; error: ...".  Outside text (the name, the error) unsanitised: the
 * caller shows it through its sanitising helpers.
 */
void		 fleet_row_detail(const struct fleet_row *, int64_t now,
		    struct buf *);

#endif
