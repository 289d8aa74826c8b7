/*
 * slots_capacity.c: what a reservation may use each minute (baseline,
 * autoscale and the idle slots it can borrow), the configured capacity,
 * and the minutes that pass it.
 */
#include <string.h>
#include <strings.h>

#include "slots.h"
#include "slots_int.h"

static bool
cell_bool(const struct bq_table *t, size_t row, int col)
{
	const char *v = bq_cell(t, row, col);

	return v != NULL && strcasecmp(v, "true") == 0;
}

int
slots_add_capacity(struct slots *s, const struct bq_table *t,
    struct buf *err)
{
	int	ct, cid, cb, ca, cm, ci, ce;
	size_t	i, j, k0;

	if ((ct = slots_need_col(t, "period_start", "minute", err)) < 0 ||
	    (cid = slots_need_col(t, "reservation_id", NULL, err)) < 0 ||
	    (cb = slots_need_col(t, "baseline", "slot_capacity", err)) < 0)
		return -1;
	ca = bq_col(t, "autoscale_current");
	cm = bq_col(t, "autoscale_max");
	ci = bq_col(t, "ignore_idle_slots");
	ce = bq_col(t, "edition");
	if (t->nrows == 0) {
		s->cap_kind = CAP_ON_DEMAND;
		return 0;
	}
	for (i = 0; i < t->nrows; i++) {
		struct slot_resv	*r;
		struct slot_resv_minute	 v;
		const char		*id = bq_cell(t, i, cid), *ed;
		double			 when;
		long			 k;

		memset(&v, 0, sizeof v);
		if (id == NULL || *id == '\0' || !bq_time(t, i, ct, &when) ||
		    !bq_double(t, i, cb, &v.baseline) || v.baseline < 0)
			continue;
		if (when >= (double)s->end)
			continue;
		k = slots_minute(s, when);
		r = slots_resv_get(s, id);
		r->capacity = true;
		if (ca >= 0 && (!bq_double(t, i, ca, &v.autoscale) ||
		    v.autoscale < 0))
			v.autoscale = 0;
		if (cm >= 0 && (!bq_double(t, i, cm, &v.autoscale_max) ||
		    v.autoscale_max < 0))
			v.autoscale_max = 0;
		v.ignore_idle = ci >= 0 && cell_bool(t, i, ci);
		if (ce >= 0 && (ed = bq_cell(t, i, ce)) != NULL &&
		    r->edition == NULL)
			r->edition = xstrdup(ed);
		/* A row before the window: minute 0 unless one of its own. */
		k0 = k < 0 ? 0 : (size_t)k;
		if (k < 0 && r->m[0].limit == -2)
			continue;
		v.slots = r->m[k0].slots;
		v.limit = k < 0 ? -3 : -2;	/* set here; -3: carried in */
		r->m[k0] = v;
	}
	/* Carry each reservation's values forward over minutes without a row. */
	for (i = 0; i < s->nr; i++) {
		struct slot_resv *r = &s->r[i];
		struct slot_resv_minute last;
		bool known = false;

		if (!r->capacity)
			continue;
		for (j = 0; j < s->n; j++) {
			if (r->m[j].limit <= -2) {
				last = r->m[j];
				known = true;
			} else if (known) {
				double u = r->m[j].slots;

				r->m[j] = last;
				r->m[j].slots = u;
			}
			r->m[j].limit = -1;
		}
	}
	s->cap_kind = CAP_RESERVATION;
	return 0;
}

void
slots_set_capacity(struct slots *s, double cap)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		s->m[i].capacity = cap;
	s->cap_kind = CAP_FIXED;
	s->cap_now = cap;
}

/* Counted and shown: used, or the configured one; on-demand when used. */
static bool
resv_shown(const struct slots *s, const struct slot_resv *r)
{
	if (r->id == NULL)
		return r->used;
	if (s->only != NULL)
		return strcmp(r->id, s->only) == 0;
	return r->used;
}

static bool
same_edition(const struct slot_resv *a, const struct slot_resv *b)
{
	return a->edition == NULL || b->edition == NULL ||
	    strcasecmp(a->edition, b->edition) == 0;
}

/* The ceilings per reservation and minute, and what passes them. */
void
slots_resv_finish(struct slots *s)
{
	size_t	i, j, q;
	int64_t	alert_from = s->end - (int64_t)s->alert_minutes * 60;

	s->idle_rule = false;
	for (i = 0; i < s->n; i++)
		s->m[i].above = 0;
	for (i = 0; i < s->nr; i++) {
		struct slot_resv *r = &s->r[i];
		double sum = 0;

		r->peak = 0;
		r->peak_at = -1;
		r->minutes_above = r->recent_above = 0;
		r->last_above = -1;
		for (j = 0; j < s->n; j++) {
			struct slot_resv_minute *m = &r->m[j];

			sum += m->slots;
			if (r->peak_at < 0 || m->slots > r->peak) {
				r->peak = m->slots;
				r->peak_at = s->m[j].t;
			}
			m->above = false;
			m->idle = 0;
			m->limit = -1;
			if (r->id == NULL || !r->capacity || m->baseline < 0)
				continue;
			if (!m->ignore_idle) {
				for (q = 0; q < s->nr; q++) {
					const struct slot_resv *o = &s->r[q];
					double spare;

					if (q == i || o->id == NULL ||
					    !o->capacity || o->m[j].baseline < 0 ||
					    !same_edition(r, o))
						continue;
					spare = o->m[j].baseline - o->m[j].slots;
					if (spare > 0)
						m->idle += spare;
				}
			}
			m->limit = m->baseline + m->autoscale_max + m->idle;
			if (m->slots > m->limit + 1e-9 && resv_shown(s, r)) {
				m->above = true;
				r->minutes_above++;
				r->last_above = s->m[j].t;
				if (s->m[j].t >= alert_from)
					r->recent_above++;
				s->m[j].above++;
			}
		}
		r->average = s->n > 0 ? sum / (double)s->n : 0;
		r->slot_ms = sum * 60000.0;
		if (s->n > 0)
			r->now = r->m[s->n - 1];
		if (r->id != NULL && r->capacity && resv_shown(s, r) &&
		    !r->now.ignore_idle)
			s->idle_rule = true;
	}
	/* The chart's capacity: the shown reservations' ceilings. */
	if (s->cap_kind != CAP_RESERVATION)
		return;
	s->cap_now = -1;
	for (j = 0; j < s->n; j++) {
		double cap = -1;

		for (i = 0; i < s->nr; i++)
			if (s->r[i].m[j].limit >= 0 && resv_shown(s, &s->r[i]))
				cap = (cap < 0 ? 0 : cap) + s->r[i].m[j].limit;
		s->m[j].capacity = cap;
		if (cap >= 0)
			s->cap_now = cap;
	}
}

const char *
slots_rule_text(const struct slots *s)
{
	switch (s->cap_kind) {
	case CAP_RESERVATION:
		return s->idle_rule ? "above capacity: usage of a reservation "
		    "over its baseline + autoscale max_slots + the idle slots "
		    "of the admin project's other reservations (ignore_idle_"
		    "slots is false)" : "above capacity: usage of a "
		    "reservation over its baseline + autoscale max_slots "
		    "(ignore_idle_slots is true: no idle slots borrowed)";
	case CAP_FIXED:
		return "above capacity: all usage over the configured "
		    "bigquery_capacity";
	case CAP_ON_DEMAND:
		return "on-demand: no reservation, no capacity to pass";
	default:
		return "capacity unknown: nothing counted above it";
	}
}
