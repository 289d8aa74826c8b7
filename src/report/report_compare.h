/*
 * report_compare.h: `dagtop report compare BLUE GREEN` (report_compare.c):
 * the command, and its writers apart so that a test can hand them a
 * comparison built by hand.
 */
#ifndef DAGTOP_REPORT_COMPARE_H
#define DAGTOP_REPORT_COMPARE_H

#include <jansson.h>

#include "buf.h"
#include "compare.h"
#include "report.h"

struct tz;

/* Everything a writer needs: the two sides' names and sources, the result. */
struct cmp_report {
	const struct report_options	*o;
	const char			*name[2];	/* the contexts */
	struct buf			 airflow[2];	/* describe() */
	const char			*kind[2];	/* "database" | "api" */
	struct buf			 warnings[2];	/* source's and reads' */
	const struct tz			*zone;		/* blue's, for times */
	int64_t				 since, now;
	struct cmp_result		 res;
	int				 rc;		/* res.verdict */
};

/* The report in r->o->format into b (JSON straight to stdout). */
void	 report_compare_write(struct buf *b, const struct cmp_report *r);
/* The JSON document every format's figures come from. */
json_t	*report_compare_json(const struct cmp_report *r);

#endif
