/*
 * report_dep.h: the writers of `dagtop report impact` and `dagtop report
 * why` (report_impact.c), apart from their reads so that a test can hold
 * the formats to what dagtop(1) says: pure, from an answer of depread.h to
 * text, Markdown or JSON in a buffer, every id from outside defused.
 */
#ifndef DAGTOP_REPORT_DEP_H
#define DAGTOP_REPORT_DEP_H

#include <stdint.h>

#include "buf.h"
#include "depread.h"
#include "report.h"

/* What the report names beside the answer. */
struct dep_doc_head {
	const char	*context;	/* NULL: the command line */
	const char	*source;	/* "database", "api" */
	const char	*airflow;	/* "Airflow 2.10.3-2.11 (...)" */
	const struct tz	*zone;		/* the context's: next runs, now */
	int64_t		 generated_at;
};

struct impact_doc {
	struct dep_doc_head		 head;
	const char			*dag_id, *run_id, *task_id;
	const struct impact_answer	*a;
	const struct dep_slas		*slas;	/* as given to impact_read */
};

/*
 * The exit status of an impact: 0 nothing outside the failed DAG is held
 * back (nor an SLA), 1 something is, 2 an SLA is held back that has
 * already missed its deadline or whose chain no longer fits before it.
 */
int	 impact_rc(const struct impact_answer *, const char *dag_id);
void	 impact_write(struct buf *, enum report_format,
	    const struct impact_doc *);

struct why_doc {
	struct dep_doc_head		 head;
	const char			*dag_id;
	const struct sla_def		*sla;	/* NULL: report why --dag */
	const struct tz			*sla_zone;
	const struct sla_day		*day;	/* the SLA's day asked */
	const struct why_answer		*a;
};

/*
 * The exit status of a why: 2 the SLA's day is missed (late, failed,
 * missing) or at risk; else 1 a failed, missing, paused or late link was
 * found upstream; else 0.
 */
int	 why_rc(const struct why_doc *);
void	 why_write(struct buf *, enum report_format, const struct why_doc *);

#endif
