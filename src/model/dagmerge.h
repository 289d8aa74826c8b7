/*
 * dagmerge.h: a refresh that read only the DAGs that can have changed
 * since the last read, merged into that read's list: the DAG list stays
 * what a full read would give.  Pure: no I/O, no clock.
 */
#ifndef DAGTOP_DAGMERGE_H
#define DAGTOP_DAGMERGE_H

#include <stdbool.h>

#include "airflow.h"

/*
 * *out = prev (copied; prev stays) with each DAG of fresh in place of
 * prev's of the same dag_id; fresh's DAGs are moved into *out and fresh
 * is left empty.  The order is prev's (a full read's: the database's
 * collation, which this machine cannot reproduce), which is why a DAG of
 * fresh that prev lacks cannot be placed: then *out is left empty and
 * the answer is false (the caller reads the list whole).  out->mark is
 * prev's.
 */
bool	dag_merge(const struct af_dags *prev, struct af_dags *fresh,
	    struct af_dags *out);

#endif
