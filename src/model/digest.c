/*
 * digest.c: the weekly digest's content (digest.h): its life cycle and
 * its exit status.  The computations that fill it from the sources' data
 * live with them (digest_failures.c).
 */
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "airflow.h"

void
digest_init(struct digest *d)
{
	size_t i;

	memset(d, 0, sizeof *d);
	d->generated_at = TIME_NONE;
	d->failures.recovery_median = d->failures.recovery_max = -1;
	d->slots.peak_at = TIME_NONE;
	for (i = 0; i < DIGEST_NSECTIONS; i++)
		d->origin[i].read_at = d->origin[i].newest = TIME_NONE;
	d->failures.reruns_origin.read_at = TIME_NONE;
	d->failures.reruns_origin.newest = TIME_NONE;
}

void
digest_origin_free(struct digest_origin *o)
{
	free(o->source);
	free(o->error);
	free(o->skipped);
	o->source = o->error = o->skipped = NULL;
}

static void
failures_free(struct digest_failures *f)
{
	size_t i;

	for (i = 0; i < f->ndags; i++) {
		free(f->dags[i].dag_id);
		free(f->dags[i].owner);
	}
	free(f->dags);
	for (i = 0; i < f->ntasks; i++) {
		free(f->tasks[i].dag_id);
		free(f->tasks[i].task_id);
	}
	free(f->tasks);
	for (i = 0; i < f->nrecoveries; i++) {
		free(f->recoveries[i].dag_id);
		free(f->recoveries[i].run_id);
		free(f->recoveries[i].recovered_by);
	}
	free(f->recoveries);
	for (i = 0; i < f->nreruns; i++) {
		free(f->reruns[i].user);
		free(f->reruns[i].context);
		free(f->reruns[i].dag_id);
		free(f->reruns[i].run_id);
		free(f->reruns[i].result);
	}
	free(f->reruns);
	digest_origin_free(&f->reruns_origin);
}

static void
slots_free(struct digest_slots *s)
{
	size_t i;

	for (i = 0; i < s->nresv; i++)
		free(s->resv[i].id);
	free(s->resv);
	for (i = 0; i < s->ntop; i++) {
		free(s->top[i].key);
		free(s->top[i].dag_id);
		free(s->top[i].task_id);
	}
	free(s->top);
}

void
digest_free(struct digest *d)
{
	size_t i;

	free(d->context);
	free(d->week);
	free(d->zone);
	for (i = 0; i < DIGEST_NSECTIONS; i++)
		digest_origin_free(&d->origin[i]);
	for (i = 0; i < d->nsla; i++) {
		sla_eval_free(&d->sla[i].ev);
		free(d->sla[i].zone);
	}
	free(d->sla);
	failures_free(&d->failures);
	for (i = 0; i < d->nservices; i++) {
		free(d->services[i].name);
		fk_result_free(&d->services[i].week);
		fk_result_free(&d->services[i].month);
		digest_origin_free(&d->services[i].origin);
	}
	free(d->services);
	slots_free(&d->slots);
	for (i = 0; i < d->nenvs; i++) {
		free(d->envs[i].context);
		free(d->envs[i].summary);
		free(d->envs[i].version);
		free(d->envs[i].error);
	}
	free(d->envs);
	digest_init(d);
}

int
digest_rc(const struct digest *d)
{
	size_t	i, k;
	bool	bad = false;

	for (i = 0; i < DIGEST_NSECTIONS; i++)
		if (d->origin[i].error != NULL)
			return 3;
	if (d->failures.reruns_origin.error != NULL)
		return 3;
	for (i = 0; i < d->nservices; i++)
		if (d->services[i].origin.error != NULL)
			return 3;
	for (i = 0; i < d->nenvs; i++) {
		if (d->envs[i].error != NULL)
			return 3;
		if (d->envs[i].verdict != VERDICT_OK)
			bad = true;
	}
	for (i = 0; i < d->nsla; i++)
		for (k = 0; k < SLA_NOUTCOMES; k++)
			if (sla_outcome_missed((enum sla_outcome)k) &&
			    d->sla[i].ev.period.count[k] > 0)
				bad = true;
	return bad ? 1 : 0;
}
