/*
 * airflow_clear.h: clearTaskInstances through the Airflow API: a dry run
 * for the preview, then the clear.  Both are POSTs and go through the
 * write gate, so in read-only mode neither leaves the process.
 */
#ifndef DAGTOP_AIRFLOW_CLEAR_H
#define DAGTOP_AIRFLOW_CLEAR_H

#include <stdbool.h>

#include "buf.h"
#include "clear.h"

struct airflow_api;
struct api_call;

/*
 * r is the answer (valid during the call), or NULL with err, one line;
 * then unknown says the request was sent but no usable answer came (a
 * timeout, a lost connection, a 5xx, an unreadable 2xx): the instances may
 * have been cleared.  Otherwise (a 4xx, or nothing sent) nothing was.
 */
typedef void (*clear_done_cb)(void *arg, const struct clear_result *r,
		    const char *err, bool unknown);

/*
 * POSTs /dags/{dag_id}/clearTaskInstances (dag_id percent-encoded).
 * Returns the call, or NULL with the reason in err when the write gate
 * (airflow_api_may_write) refuses.  Never retried by itself.
 */
struct api_call	*airflow_clear(struct airflow_api *, const char *dag_id,
		    const struct clear_request *, clear_done_cb, void *arg,
		    struct buf *err);

/* Stops a clear or dry run in flight; its callback never comes.  NULL: no-op. */
void		 airflow_clear_cancel(struct api_call *);

#endif
