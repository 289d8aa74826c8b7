/*
 * depgraph_sla.c: the SLAs a failure holds back, and the one line the
 * rerun modal shows of it (depgraph.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"
#include "timefmt.h"
#include "tz.h"

/*
 * The median durations along the chain from the failure to item i: every
 * DAG item on the way, and the failed DAG itself (its whole run: the rerun
 * runs the failed task and what follows it, which the run's median bounds
 * from above, and the median of a part of a run is not read).  -1 when one
 * is unknown.
 */
static int64_t
chain_of(const struct dep_impact *im, size_t i, const struct dep_state *st)
{
	const struct dep_dag_state	*s;
	int64_t				 sum = 0;

	for (;; i = im->items[i].parent) {
		if (im->items[i].kind == DEP_NODE_DAG || i == 0) {
			s = dep_state_dag(st, im->items[i].dag_id);
			if (s == NULL || s->median < 0)
				return -1;
			sum += s->median;
		}
		if (i == 0)
			return sum;
	}
}

/* The item an SLA on dag_id (task_id) is held by, or DG_NONE. */
static size_t
sla_item(const struct dep_impact *im, const struct sla_def *def)
{
	const struct dep_item	*it;
	size_t			 i;

	if (im->nitems == 0 || def->dag_id == NULL)
		return DG_NONE;
	if (strcmp(im->items[0].dag_id, def->dag_id) == 0) {
		if (def->task_id == NULL)
			return 0;
		for (i = 0; i < im->nitems; i++) {
			it = &im->items[i];
			if (it->kind == DEP_NODE_TASK &&
			    strcmp(it->task_id, def->task_id) == 0)
				return i;
		}
		return DG_NONE;
	}
	for (i = 1; i < im->nitems; i++) {
		it = &im->items[i];
		if (it->kind == DEP_NODE_DAG &&
		    strcmp(it->dag_id, def->dag_id) == 0)
			return i;
	}
	return DG_NONE;
}

/* Whether a day still has a deadline to judge: not met, not done late. */
static bool
open_day(const struct sla_day *day)
{
	if (day == NULL || day->deadline == TIME_NONE)
		return false;
	switch (day->outcome) {
	case SLA_MET:
	case SLA_NOT_APPLICABLE:
	case SLA_UNKNOWN_DAG:
		return false;
	case SLA_LATE:
		return day->finished_at == TIME_NONE;
	default:
		return true;
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	const struct dep_sla_hit *x = a, *y = b;

	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return x->sla < y->sla ? -1 : x->sla > y->sla;
}

void
dep_impact_slas(struct dep_impact *im, const struct sla_def *const *defs,
    const struct sla_day *const *today, size_t n, const struct dep_state *st,
    int64_t now)
{
	struct dep_sla_hit	*h;
	size_t			 i, item;

	free(im->slas);
	im->slas = xcalloc(n + 1, sizeof *im->slas);
	im->nslas = 0;
	for (i = 0; i < im->nitems; i++)
		im->items[i].sla_first = im->items[i].nsla = 0;
	for (i = 0; i < n; i++) {
		if (defs[i] == NULL || today == NULL || !open_day(today[i]) ||
		    (item = sla_item(im, defs[i])) == DG_NONE)
			continue;
		h = &im->slas[im->nslas++];
		h->sla = i;
		h->item = item;
		h->deadline = today[i]->deadline;
		h->left = h->deadline - now;
		h->chain = chain_of(im, item, st);
		h->fits = h->chain >= 0 && now + h->chain <= h->deadline;
	}
	qsort(im->slas, im->nslas, sizeof *im->slas, hit_cmp);
	for (i = im->nslas; i > 0; i--) {
		item = im->slas[i - 1].item;
		im->items[item].sla_first = i - 1;
		im->items[item].nsla++;
	}
}

/* "10:00 JST": the wall clock of t in zone (NULL: UTC). */
static void
clock_text(struct buf *b, const struct tz *zone, int64_t t)
{
	struct tz_local	tl;

	tz_localtime(zone != NULL ? zone : tz_utc(), t, &tl);
	buf_printf(b, "%02d:%02d %s", tl.hour, tl.min, tl.abbr);
}

/*
 * The line's deadline part for hit h, whole (the UI cuts the line to its
 * room, with its mark): "; next deadline NAME 10:00 JST, 2h10m left";
 * when the chain's medians say it will not make it, "; NAME due 10:00
 * JST, 2h10m left, needs 3h05m"; when the deadline passed, "; NAME
 * deadline 10:00 JST passed 35m00s ago".
 */
static void
deadline_text(const struct dep_sla_hit *h, const struct sla_def *const *defs,
    const struct tz *const *zones, int64_t now, bool dated, struct buf *out)
{
	const struct tz	*zone = zones != NULL ? zones[h->sla] : NULL;
	const char	*name = defs[h->sla]->name != NULL ?
			    defs[h->sla]->name : defs[h->sla]->dag_id;
	struct buf	 when = BUF_INIT, left = BUF_INIT;
	int64_t		 dt = h->deadline - now;

	if (dated)
		fmt_time(&when, zone != NULL ? zone : tz_utc(), h->deadline,
		    FMT_LONG);
	else
		clock_text(&when, zone, h->deadline);
	fmt_duration(&left, (double)(dt < 0 ? -dt : dt));
	if (dt < 0)
		buf_printf(out, "; %s deadline %s passed %s ago", name,
		    buf_str(&when), buf_str(&left));
	else if (h->chain >= 0 && now + h->chain > h->deadline) {
		buf_printf(out, "; %s due %s, %s left, needs ", name,
		    buf_str(&when), buf_str(&left));
		fmt_duration(out, (double)h->chain);
	} else
		buf_printf(out, "; next deadline %s %s, %s left", name,
		    buf_str(&when), buf_str(&left));
	buf_free(&when);
	buf_free(&left);
}

void
dep_impact_line(const struct dep_impact *im, const struct sla_def *const *defs,
    const struct tz *const *zones, int64_t now, bool dated, struct buf *out)
{
	const struct dep_sla_hit	*h = NULL;
	size_t				 i, paused = 0;

	if (im->ndags == 0 && im->nassets == 0 && im->nslas == 0) {
		buf_puts(out, "holds back nothing outside this DAG");
		return;
	}
	for (i = 0; i < im->nitems; i++)
		if (im->items[i].kind == DEP_NODE_DAG &&
		    !im->items[i].inactive && im->items[i].paused)
			paused++;
	buf_puts(out, "holds back ");
	if (im->ndags > 0) {
		buf_printf(out, "%zu DAG%s", im->ndags, im->ndags > 1 ? "s" :
		    "");
		if (paused == im->ndags)
			buf_puts(out, im->ndags == 1 ? " (paused)" :
			    " (all paused)");
		else if (paused > 0)
			buf_printf(out, " (%zu paused)", paused);
	} else if (im->nassets > 0)
		buf_printf(out, "%zu asset%s", im->nassets,
		    im->nassets > 1 ? "s" : "");
	if (im->nslas > 0)
		buf_printf(out, "%s%zu SLA%s", im->ndags + im->nassets > 0 ?
		    " and " : "", im->nslas, im->nslas > 1 ? "s" : "");
	for (i = 0; i < im->nslas && h == NULL; i++)
		if (im->slas[i].deadline >= now)
			h = &im->slas[i];
	if (h == NULL && im->nslas > 0)
		h = &im->slas[0];
	if (h != NULL && defs != NULL && defs[h->sla] != NULL)
		deadline_text(h, defs, zones, now, dated, out);
}
