/*
 * serdag.h: Airflow's serialized DAG (serialized_dag.data or the zlib stream
 * in data_compressed), every version from 2.7 to 3.1, read into a graph.
 */
#ifndef DAGTOP_SERDAG_H
#define DAGTOP_SERDAG_H

#include <stddef.h>

#include "buf.h"
#include "graph.h"

/*
 * The largest document accepted by default (the setting serialized_dag_max,
 * dagtop.conf(5)): the largest real serialized DAGs, thousands of tasks,
 * are a few MB of JSON.  A zlib bomb in data_compressed stops here.
 */
#define SERDAG_MAX_DEFAULT	(32u * 1024 * 1024)
/*
 * jansson has no memory budget of its own: the parse of a document may
 * allocate at most this many times the largest document accepted (256 MiB
 * by default; a real DAG needs about eight times its size, a hostile one
 * such as [{},{},...] about 70 times).  Measured at the defaults, a
 * hostile document is refused within 0.9 s (inflate and parse) and 300 MB.
 */
#define SERDAG_PARSE_FACTOR	8
/* ... and at least this much, however small the setting. */
#define SERDAG_PARSE_MIN	(1u << 20)

/*
 * Inflates a zlib (RFC 1950) stream into out, at most max bytes.  Returns
 * 0, or -1 with a one-line reason in err.
 */
int		 serdag_inflate(const unsigned char *, size_t, size_t max,
		    struct buf *out, struct buf *err);

/*
 * Parses the JSON text of a serialized DAG.  Returns a finished graph, or
 * NULL with a one-line reason in err when the text is not a serialized DAG
 * at all.  Problems inside an otherwise readable document (an edge to an
 * unknown task, a cycle, a task without an id) are in graph->warnings.
 * Handles: tasks wrapped as {"__type": "operator", "__var": {...}} (2.10,
 * 3.x) or bare (2.7-2.9); "_task_type" (2.x) or "task_type" (3.x);
 * downstream_task_ids absent when empty (3.x).  A document longer than max
 * bytes is refused, and the parse may allocate at most SERDAG_PARSE_FACTOR
 * times max: past that it stops with "too large to read" in err.
 */
struct graph	*serdag_parse(const char *json, size_t len, size_t max,
		    struct buf *err);

/*
 * The dag_dependencies list of a serialized DAG's JSON text, written back
 * as compact JSON text into out ("[]" when the document has none), for a
 * reader of a row whose data is compressed (the database extracts it from
 * the others).  Same limits as serdag_parse.  Returns 0, or -1 with a
 * one-line reason in err.
 */
int		 serdag_dependencies(const char *json, size_t len, size_t max,
		    struct buf *out, struct buf *err);

#endif
