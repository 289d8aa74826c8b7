/*
 * runmerge.h: a refresh that read only the runs changed since the last
 * one, merged into what that one gave: the run strips stay what a full
 * read would give.  Pure: no I/O, no clock.  The REST API source uses it
 * (updated_at_gte); the database source can (issue 18).
 */
#ifndef DAGTOP_RUNMERGE_H
#define DAGTOP_RUNMERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "airflow.h"

/*
 * *out = the runs of prev with fresh merged in, grouped by dag_id
 * (bytewise), newest first within a DAG (af_run_cmp_newest), at most
 * per_dag per DAG.  prev must be such a list itself (the newest per_dag
 * of each DAG, or every run of a DAG that had fewer); fresh holds every
 * run created or changed since prev was read, in any order, and maybe
 * more.  A run of fresh replaces prev's of the same (dag_id, run_id); a
 * new one joins; no run of prev is dropped but for the per_dag limit.
 * So *out holds the newest per_dag runs of every DAG prev or fresh has,
 * as a full read would, but for runs deleted since (those a full read
 * drops).  prev is left as it was (its runs are copied); fresh's runs
 * are moved into *out and fresh is left empty.  Every run of *out owns
 * its dag_id (shared_dag_id false).
 */
void	run_merge(const struct af_runs *prev, struct af_runs *fresh,
	    int per_dag, struct af_runs *out);

/*
 * Lists of ids sorted bytewise (sched_recent's strips, the DAGs a read
 * replaced): the order for qsort and bsearch of char *, and whether id
 * is in the n of ids.
 */
int	ids_cmp(const void *, const void *);
bool	ids_listed(const char *const *ids, size_t n, const char *id);

/*
 * Keeps, of runs as run_merge gives them (grouped by dag_id, newest
 * first, every run owning its dag_id), per_dag runs of each DAG listed in
 * strips and one of every other (strips NULL: per_dag of all), and only
 * the DAGs listed in dags (NULL: all); both lists sorted bytewise.  What
 * a full read of the strips reads, after a merge read more.
 */
void	run_keep(struct af_runs *runs, const char *const *strips,
	    size_t nstrips, int per_dag, const char *const *dags, size_t ndags);

#endif
