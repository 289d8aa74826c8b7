/* fleet.c: a row of the environments overview (fleet.h). */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fleet.h"

void
fleet_row_init(struct fleet_row *r, const char *name)
{
	int j;

	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	for (j = 0; j < AF_NJOBS; j++)
		r->job[j] = HEALTH_ABSENT;
	r->verdict = VERDICT_UNKNOWN;
}

void
fleet_row_free(struct fleet_row *r)
{
	free(r->name);
	free(r->version);
	free(r->error);
	memset(r, 0, sizeof *r);
}

void
fleet_row_set(struct fleet_row *r, const struct status *st,
    const char *version, int64_t at)
{
	int j;

	r->valid = true;
	for (j = 0; j < AF_NJOBS; j++)
		r->job[j] = st->job[j];
	free(r->version);
	r->version = version != NULL ? xstrdup(version) : NULL;
	r->nactive = st->nactive;
	r->npaused = st->npaused;
	r->nimport_errors = st->nimport_errors;
	r->failed = st->runs_by_state[RUN_FAILED];
	r->running = st->runs_by_state[RUN_RUNNING];
	r->queued = st->runs_by_state[RUN_QUEUED];
	r->verdict = st->verdict;
	r->read_at = at;
	free(r->error);
	r->error = NULL;
}

void
fleet_row_sla(struct fleet_row *r, const struct sla_day *days, size_t n)
{
	size_t i;

	r->nsla = n;
	r->sla_read = true;
	r->sla_risk = r->sla_missed = 0;
	for (i = 0; i < n; i++) {
		if (days[i].outcome == SLA_AT_RISK)
			r->sla_risk++;
		else if (sla_outcome_missed(days[i].outcome))
			r->sla_missed++;
	}
}

void
fleet_row_sla_cell(const struct fleet_row *r, struct buf *b)
{
	if (r->nsla == 0)
		buf_puts(b, "-");
	else if (!r->sla_read)
		buf_puts(b, "?");
	else
		buf_printf(b, "%zu/%zu", r->sla_risk, r->sla_missed);
}

void
fleet_row_fail(struct fleet_row *r, const char *err)
{
	free(r->error);
	r->error = xstrdup(err != NULL && *err != '\0' ? err : "read failed");
}

enum verdict
fleet_row_verdict(const struct fleet_row *r)
{
	if (!r->valid || r->error != NULL)
		return VERDICT_UNKNOWN;
	return r->verdict;
}

void
fleet_row_age(const struct fleet_row *r, int64_t now, struct buf *b)
{
	int64_t s = now - r->read_at;

	if (!r->valid) {
		buf_puts(b, "-");
		return;
	}
	if (s < 0)
		s = 0;
	if (s < 120)
		buf_printf(b, "%llds", (long long)s);
	else if (s < 2 * 3600)
		buf_printf(b, "%lldm", (long long)(s / 60));
	else if (s < 2 * 86400)
		buf_printf(b, "%lldh", (long long)(s / 3600));
	else
		buf_printf(b, "%lldd", (long long)(s / 86400));
}

const char *
fleet_health_cell(enum health h)
{
	switch (h) {
	case HEALTH_OK:
		return "ok";
	case HEALTH_DOWN:
		return "DOWN";
	default:
		return "-";
	}
}

void
fleet_row_detail(const struct fleet_row *r, int64_t now, struct buf *b)
{
	buf_printf(b, "%s: %s", r->name, verdict_name(fleet_row_verdict(r)));
	if (r->valid) {
		buf_printf(b, "; Airflow %s", r->version != NULL ? r->version :
		    "(version unknown)");
		buf_printf(b, "; scheduler %s, triggerer %s, processor %s",
		    fleet_health_cell(r->job[AF_JOB_SCHEDULER]),
		    fleet_health_cell(r->job[AF_JOB_TRIGGERER]),
		    fleet_health_cell(r->job[AF_JOB_DAG_PROCESSOR]));
		buf_printf(b, "; DAGs %zu active, %zu paused, %zu import "
		    "error%s", r->nactive, r->npaused, r->nimport_errors,
		    r->nimport_errors == 1 ? "" : "s");
		buf_printf(b, "; runs %zu failed, %zu running, %zu queued",
		    r->failed, r->running, r->queued);
		if (r->nsla > 0 && r->sla_read)
			buf_printf(b, "; SLAs today %zu at risk, %zu missed "
			    "of %zu", r->sla_risk, r->sla_missed, r->nsla);
		buf_puts(b, "; data ");
		fleet_row_age(r, now, b);
		buf_puts(b, " old");
	} else if (r->error == NULL)
		buf_puts(b, "; reading");
	if (r->error != NULL)
		buf_printf(b, "; error: %s", r->error);
}
