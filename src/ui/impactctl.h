/*
 * impactctl.h: the console's dependency reads (impactctl.c), for the
 * impact window (pane_impact.c), the rerun modal's line and the SLA
 * pane's upstream causes.
 */
#ifndef DAGTOP_IMPACTCTL_H
#define DAGTOP_IMPACTCTL_H

#include <stddef.h>

#include "depread.h"

struct app;

/* In the order they are served: the window's first, the SLA pane's last. */
enum depq_kind { DQ_IMPACT, DQ_RERUN, DQ_WHY, DQ_SLA };

/* One read, queued or in flight, and its answer. */
struct dep_req {
	struct app		*a;
	enum depq_kind		 kind;
	unsigned		 gen;		/* the window's, DQ_IMPACT/DQ_WHY */
	size_t			 sla;		/* DQ_SLA, DQ_WHY */
	char			*dag_id, *run_id, *task_id;
	struct dep_slas		 slas;
	struct impact_answer	 imp;
	struct why_answer	 why;
	struct dep_req		*next;
};

/* A read to queue (depq_push); run_id and task_id may be NULL. */
struct dep_req	*depq_req(struct app *, enum depq_kind, const char *dag_id,
		    const char *run_id, const char *task_id);
/*
 * Queues q by its kind and starts it when no read is in flight and the
 * source is connected (else when it is: depq_connected).
 */
void		 depq_push(struct app *, struct dep_req *q);
/* The source is (again) connected: the first queued read starts. */
void		 depq_connected(struct app *);
/*
 * The console freed its source: a read it was running without calling
 * back (the API source drops its callbacks) is let go, so that the queue
 * moves on with the next source.
 */
void		 depq_source_gone(struct app *);
/* The queue, the graph cache; an answer in flight went with the source. */
void		 depq_free(struct app *);

/* pane_impact.c: a DQ_IMPACT or DQ_WHY answer, err NULL or the error. */
void		 impact_window_answer(struct app *, struct dep_req *,
		    const char *err);

#endif
