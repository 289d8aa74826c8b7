/*
 * serdag.h: Airflow's serialized DAG (serialized_dag.data or the zlib stream
 * in data_compressed), every version from 2.7 to 3.1, read into a graph.
 */
#ifndef DAGTOP_SERDAG_H
#define DAGTOP_SERDAG_H

#include <stddef.h>

#include "buf.h"
#include "graph.h"

/* The largest inflated document accepted: a zlib bomb stops here. */
#define SERDAG_MAX_BYTES (256u * 1024 * 1024)

/*
 * Inflates a zlib (RFC 1950) stream into out.  Returns 0, or -1 with a
 * one-line reason in err.
 */
int		 serdag_inflate(const unsigned char *, size_t, struct buf *out,
		    struct buf *err);

/*
 * Parses the JSON text of a serialized DAG.  Returns a finished graph, or
 * NULL with a one-line reason in err when the text is not a serialized DAG
 * at all.  Problems inside an otherwise readable document (an edge to an
 * unknown task, a cycle, a task without an id) are in graph->warnings.
 * Handles: tasks wrapped as {"__type": "operator", "__var": {...}} (2.10,
 * 3.x) or bare (2.7-2.9); "_task_type" (2.x) or "task_type" (3.x);
 * downstream_task_ids absent when empty (3.x).
 */
struct graph	*serdag_parse(const char *json, size_t len, struct buf *err);

#endif
