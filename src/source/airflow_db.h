/*
 * airflow_db.h: the Airflow metadata database, one implementation of the
 * scheduler source (scheduler.h).  Detects the Airflow version and features,
 * then answers the fetches with one SQL text per question and per schema
 * generation; every value from outside goes in as a parameter.
 */
#ifndef DAGTOP_AIRFLOW_DB_H
#define DAGTOP_AIRFLOW_DB_H

#include <stdint.h>

#include "airflow.h"
#include "graph.h"
#include "schema.h"
#include "sla.h"
#include "scheduler.h"
#include "slots.h"

struct loop;
struct db_params;

/*
 * The Airflow metadata database as a scheduler source (scheduler.h).
 * Connects (asynchronously, in a read-only session: dbconn.h), detects the
 * schema; ready is called once either way.  timeout_ms guards the
 * connection and each query.  When an open connection is later lost, lost
 * (if not NULL) is called once.
 */
struct sched	*afdb_open(struct loop *, const struct db_params *,
		    int timeout_ms, sched_cb ready, sched_cb lost, void *arg);
/*
 * The largest serialized DAG read, inflated (serialized_dag_max; the
 * default is SERDAG_MAX_DEFAULT): a larger one fails that DAG's graph.
 * Does nothing to another kind of source.
 */
void		 afdb_set_serdag_max(struct sched *, size_t);
/* The columns and tables found: this source's own detail (its tests). */
const struct af_schema *afdb_schema(const struct sched *);

#endif
