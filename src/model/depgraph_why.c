/*
 * depgraph_why.c: upstream, why a DAG has not run (depgraph.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"

void
dep_upstream_ask(const struct depgraph *g, const char *dag_id, int max_depth,
    struct dep_ask *out)
{
	(void)g;
	(void)dag_id;
	(void)max_depth;
	memset(out, 0, sizeof *out);
}

void
dep_why(const struct depgraph *g, const char *dag_id,
    const struct dep_state *st, const struct tz *zone, struct dep_why *out)
{
	(void)g;
	(void)st;
	(void)zone;
	memset(out, 0, sizeof *out);
	buf_printf(&out->sentence, "%s: nothing upstream is known", dag_id);
}

void
dep_why_free(struct dep_why *w)
{
	free(w->chain);
	buf_free(&w->sentence);
	buf_free(&w->warnings);
	memset(w, 0, sizeof *w);
}

void
dep_state_free(struct dep_state *st)
{
	size_t	i;

	for (i = 0; i < st->ndags; i++) {
		free(st->dags[i].dag_id);
		free(st->dags[i].run_id);
		free(st->dags[i].bad_task);
	}
	for (i = 0; i < st->nassets; i++) {
		free(st->assets[i].uri);
		free(st->assets[i].source_dag);
		free(st->assets[i].source_task);
		free(st->assets[i].source_run);
	}
	for (i = 0; i < st->nqueued; i++)
		free(st->queued_uri[i]);
	free(st->dags);
	free(st->assets);
	free(st->queued_for);
	free(st->queued);
	free(st->queued_uri);
	memset(st, 0, sizeof *st);
}
