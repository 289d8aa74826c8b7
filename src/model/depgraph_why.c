/*
 * depgraph_why.c: upstream, why a DAG has not run (depgraph.h).
 *
 * The walk goes depth first from the DAG asked about through the links
 * that still block it, in a fixed order (its condition's branches as the
 * expression lists them, then its sensors and, for a DAG that only runs
 * when triggered, its triggers), and stops at the first bad link: a
 * producer that failed, is paused, never ran or runs past its median, an
 * asset never updated, a DAG the graph does not know.  A producer that
 * succeeded but has not run since the consumer's last run is passed
 * through: the walk continues upstream of it.  So is a DAG a sensor waits
 * on whose newest run is older than the period the sensing DAG waits for
 * (an ExternalTaskSensor waits for the run of its own logical date; a
 * success from an earlier period does not let it through).  Each DAG is
 * entered once and the depth is bounded, so a cycle ends the branch.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "depgraph_int.h"
#include "timefmt.h"
#include "tz.h"

/* How many DAGs deep the walk goes (dep_upstream_ask reads as far). */
#define WHY_DEPTH	8

struct why {
	const struct depgraph	*g;
	const struct dep_state	*st;
	const struct tz		*zone;
	struct dep_why		*out;
	size_t			 ncap;
	bool			*entered;	/* per DAG */
};

/* ----------------------------------------------------------------------
 * State.
 */

/* The newest update of asset a as read: by id, else by uri; NULL. */
static const struct dep_asset_state *
asset_state(const struct dep_state *st, const struct dg_asset *a)
{
	size_t	i;

	if (a->id != 0)
		for (i = 0; i < st->nassets; i++)
			if (st->assets[i].id == a->id)
				return &st->assets[i];
	for (i = 0; i < st->nassets; i++)
		if (st->assets[i].uri != NULL &&
		    strcmp(st->assets[i].uri, a->uri) == 0)
			return &st->assets[i];
	return NULL;
}

/*
 * Whether consumer c waits no more on asset a: it is in c's queue (when
 * the queue read is c's), else it was updated after c's newest run began.
 */
static bool
arrived(const struct why *w, size_t c, size_t a)
{
	const struct dep_state		*st = w->st;
	const struct dg_asset		*as = &w->g->assets[a];
	const struct dep_asset_state	*s;
	const struct dep_dag_state	*cs;
	size_t				 i;

	if (st->queued_for != NULL &&
	    strcmp(st->queued_for, w->g->dags[c].dag_id) == 0) {
		for (i = 0; i < st->nqueued; i++)
			if ((as->id != 0 && st->queued[i] == as->id) ||
			    (st->queued_uri != NULL &&
			    st->queued_uri[i] != NULL &&
			    strcmp(st->queued_uri[i], as->uri) == 0))
				return true;
		return false;
	}
	s = asset_state(st, as);
	cs = dep_state_dag(st, w->g->dags[c].dag_id);
	return s != NULL && s->last_event != TIME_NONE && cs != NULL &&
	    cs->has_run && cs->run_start != TIME_NONE &&
	    s->last_event > cs->run_start;
}

/* Whether node i of c's condition is satisfied. */
static bool
x_arrived(const struct why *w, size_t c, size_t i)
{
	const struct dg_dag	*d = &w->g->dags[c];
	const struct dg_x	*x = &d->x[i];
	const struct dg_alias	*al;
	size_t			 j;

	switch (x->kind) {
	case DGX_ASSET:
		return arrived(w, c, x->target);
	case DGX_ALIAS:
		al = &w->g->aliases[x->target];
		for (j = 0; j < al->assets.n; j++)
			if (arrived(w, c, al->assets.v[j]))
				return true;
		return false;
	case DGX_NONE:
		return false;
	case DGX_ALL:
		for (j = i + 1; j < x->end; j = d->x[j].end)
			if (!x_arrived(w, c, j))
				return false;
		return true;
	case DGX_ANY:
		for (j = i + 1; j < x->end; j = d->x[j].end)
			if (x_arrived(w, c, j))
				return true;
		return false;
	}
	return false;
}

/* How many leaves under node i still block c. */
static size_t
x_missing(const struct why *w, size_t c, size_t i)
{
	const struct dg_dag	*d = &w->g->dags[c];
	size_t			 j, n = 0, m, best = (size_t)-1;

	if (x_arrived(w, c, i))
		return 0;
	if (d->x[i].kind != DGX_ALL && d->x[i].kind != DGX_ANY)
		return 1;
	for (j = i + 1; j < d->x[i].end; j = d->x[j].end) {
		m = x_missing(w, c, j);
		n += m;
		if (m > 0 && m < best)
			best = m;
	}
	return d->x[i].kind == DGX_ALL ? n : best;
}

/* ----------------------------------------------------------------------
 * The chain.
 */

static struct dep_link *
push_link(struct why *w, enum dep_node_kind kind, enum dep_via via)
{
	struct dep_why	*o = w->out;
	struct dep_link	*l;

	if (o->nchain == w->ncap) {
		w->ncap = w->ncap == 0 ? 8 : w->ncap * 2;
		o->chain = xreallocarray(o->chain, w->ncap, sizeof *o->chain);
	}
	l = &o->chain[o->nchain++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->via = via;
	l->when = TIME_NONE;
	return l;
}

/* A link that explains the wait: anything but fine or on its way. */
static bool
bad(enum dep_verdict v)
{
	return v != DEP_OK && v != DEP_WAITING;
}

/* A DAG's own verdict from its newest run, into link l. */
static enum dep_verdict
dag_verdict(const struct why *w, size_t d, struct dep_link *l)
{
	const struct dg_dag		*dag = &w->g->dags[d];
	const struct dep_dag_state	*s = dep_state_dag(w->st, dag->dag_id);

	l->dag_id = dag->dag_id;
	if (s != NULL) {
		l->run_id = s->run_id;
		l->when = s->run_end != TIME_NONE ? s->run_end : s->run_start;
	}
	if (dag->known && dag->paused)
		return DEP_PAUSED;
	if (!dag->known && s == NULL)
		return DEP_UNKNOWN;
	if (s == NULL || !s->has_run)
		return DEP_MISSING;
	if (s->bad_task != NULL) {
		l->kind = DEP_NODE_TASK;
		l->task_id = s->bad_task;
		l->ti_state = s->bad_state;
		l->try_number = s->bad_try;
		l->max_tries = s->bad_max_tries;
		if (s->bad_end != TIME_NONE)
			l->when = s->bad_end;
		if (ti_state_failed(s->bad_state))
			return DEP_FAILED;
	}
	if (s->run_state == RUN_FAILED)
		return DEP_FAILED;
	if (s->run_state == RUN_SUCCESS)
		return DEP_OK;
	if (s->median >= 0 && s->run_start != TIME_NONE &&
	    w->st->now - s->run_start > s->median &&
	    s->bad_state != TI_UP_FOR_RETRY)
		return DEP_LATE;
	return DEP_WAITING;
}

/* When a DAG's newest run is due: its run_after, else its start. */
static int64_t
run_due(const struct dep_dag_state *s)
{
	if (s == NULL || !s->has_run)
		return TIME_NONE;
	return s->run_after != TIME_NONE ? s->run_after : s->run_start;
}

/*
 * Since when the DAGs consumer c waits on must have run for the period c
 * waits for (TIME_NONE: not known).  When c's newest run is done, c waits
 * for the period its next run covers, which starts where that run's ends:
 * its run_after.  When it is queued or running, c waits for that run's
 * period, which starts one interval before its run_after: the scheduler
 * set next_run_after one interval after it (a clock DAG; for one without,
 * the period is not known).  A run that never ran: not known either.
 */
static int64_t
period_start(const struct why *w, size_t c)
{
	const struct dep_dag_state	*s = dep_state_dag(w->st,
					    w->g->dags[c].dag_id);
	int64_t				 due = run_due(s);
	int64_t				 next = w->g->dags[c].next_run_after;

	if (due == TIME_NONE)
		return TIME_NONE;
	if (s->run_state != RUN_QUEUED && s->run_state != RUN_RUNNING)
		return due;
	if (next == TIME_NONE || next <= due)
		return TIME_NONE;
	return due - (next - due);
}

/*
 * Whether DAG p's newest run is older than the period consumer c waits
 * for (an earlier period's run): then p has not run for c yet, and a
 * success of p does not mean that c's sensor on it is through.
 */
static bool
stale_for(const struct why *w, size_t p, size_t c)
{
	int64_t	since = period_start(w, c);
	int64_t	due = run_due(dep_state_dag(w->st, w->g->dags[p].dag_id));

	return since != TIME_NONE && due != TIME_NONE && due <= since;
}

static bool walk_dag(struct why *, size_t, int);

/*
 * A producer (or sensed, or triggering) DAG: its own verdict; when it
 * succeeded but what d waits on has not come since, what holds it back
 * upstream.  True when a bad link ends the chain.
 */
static bool
walk_source(struct why *w, size_t p, enum dep_via via, bool passed,
    int depth)
{
	size_t		 mark = w->out->nchain;
	struct dep_link	*l = push_link(w, DEP_NODE_DAG, via);

	l->verdict = dag_verdict(w, p, l);
	if (bad(l->verdict))
		return true;
	if (passed && l->verdict == DEP_OK && walk_dag(w, p, depth + 1))
		return true;
	w->out->nchain = mark;
	return false;
}

/* An asset (or alias) d waits on, and its producers. */
static bool
walk_leaf(struct why *w, size_t d, const struct dg_x *x, int depth)
{
	const struct depgraph		*g = w->g;
	const struct dg_list		*prod;
	const struct dep_asset_state	*s = NULL;
	struct dg_list			 all = { NULL, 0 };
	struct dep_link			*l;
	size_t				 mark = w->out->nchain, i, k;
	bool				 found = false;

	if (x->kind == DGX_NONE) {
		l = push_link(w, DEP_NODE_ASSET, DEP_VIA_SCHEDULE);
		l->dag_id = g->dags[d].dag_id;
		l->verdict = DEP_UNKNOWN;
		return true;
	}
	l = push_link(w, x->kind == DGX_ALIAS ? DEP_NODE_ALIAS :
	    DEP_NODE_ASSET, DEP_VIA_SCHEDULE);
	l->dag_id = g->dags[d].dag_id;
	l->verdict = DEP_WAITING;
	if (x->kind == DGX_ASSET) {
		l->asset = g->assets[x->target].uri;
		s = asset_state(w->st, &g->assets[x->target]);
		for (i = 0; i < g->assets[x->target].prod.n; i++)
			dg_push(&all, g->assets[x->target].prod.v[i]);
		/* the writers of the aliases that resolved to it */
		for (k = 0; k < g->assets[x->target].aliases.n; k++) {
			prod = &g->aliases[g->assets[x->target].
			    aliases.v[k]].prod;
			for (i = 0; i < prod->n; i++)
				dg_push(&all, prod->v[i]);
		}
	} else {
		const struct dg_alias *al = &g->aliases[x->target];

		l->asset = al->name;
		for (i = 0; i < al->prod.n; i++)
			dg_push(&all, al->prod.v[i]);
		/* what it resolved to: their producers, their newest update */
		for (k = 0; k < al->assets.n; k++) {
			const struct dep_asset_state *r = asset_state(w->st,
			    &g->assets[al->assets.v[k]]);

			if (r != NULL && r->last_event != TIME_NONE &&
			    (l->when == TIME_NONE || r->last_event > l->when))
				l->when = r->last_event;
			prod = &g->assets[al->assets.v[k]].prod;
			for (i = 0; i < prod->n; i++)
				dg_push(&all, prod->v[i]);
		}
	}
	if (s != NULL) {
		l->when = s->last_event;
		l->run_id = s->source_run;
	}
	if (all.n == 0) {
		/* nothing writes it: only a REST event would */
		l->verdict = s == NULL || s->last_event == TIME_NONE ?
		    DEP_MISSING : DEP_LATE;
		dg_list_free(&all);
		return true;
	}
	/* several producers: bad only when every one is */
	found = true;
	for (i = 0; i < all.n && found; i++) {
		const struct dg_outlet *o = &g->outlets[all.v[i]];

		if (i > 0 && g->outlets[all.v[i - 1]].dag == o->dag)
			continue;
		w->out->nchain = mark + 1;
		found = walk_source(w, o->dag, DEP_VIA_OUTLET, true, depth);
		if (found && w->out->chain[mark + 1].task_id == NULL)
			w->out->chain[mark + 1].task_id = o->task_id;
	}
	if (!found)
		w->out->nchain = mark;
	dg_list_free(&all);
	return found;
}

/*
 * Whether the branch at node i of d's condition blocks d through a bad
 * link upstream, leaving that chain on when it does.  Every missing
 * branch of an all is walked until one is bad.  An any blocks d only
 * when every branch still missing is bad: one that is merely on its way
 * (a healthy producer that has not run yet) will let d run, so the wait
 * is not caused upstream; when all are bad the chain is that of the
 * branch nearest to satisfied (the fewest leaves missing).
 */
static bool
walk_x(struct why *w, size_t d, size_t i, int depth)
{
	const struct dg_dag	*dag = &w->g->dags[d];
	size_t			 mark = w->out->nchain, before, j, k, n = 0;
	size_t			*kids, *miss;
	bool			 hit = false;

	if (x_arrived(w, d, i))
		return false;
	if (dag->x[i].kind == DGX_ALL) {
		for (j = i + 1; j < dag->x[i].end && !hit; j = dag->x[j].end)
			if (!(hit = walk_x(w, d, j, depth)))
				w->out->nchain = mark;
		return hit;
	}
	if (dag->x[i].kind != DGX_ANY)
		return walk_leaf(w, d, &dag->x[i], depth);
	for (j = i + 1; j < dag->x[i].end; j = dag->x[j].end)
		n++;
	kids = xcalloc(n + 1, sizeof *kids);
	miss = xcalloc(n + 1, sizeof *miss);
	/* nearest to satisfied first (insertion sort: a handful) */
	for (n = 0, j = i + 1; j < dag->x[i].end; j = dag->x[j].end) {
		size_t m = x_missing(w, d, j);

		for (k = n; k > 0 && miss[k - 1] > m; k--) {
			kids[k] = kids[k - 1];
			miss[k] = miss[k - 1];
		}
		kids[k] = j;
		miss[k] = m;
		n++;
	}
	for (k = 0, hit = n > 0; k < n && hit; k++) {
		before = w->out->nchain;
		hit = walk_x(w, d, kids[k], depth);
		/* the first branch's chain is the one kept */
		if (k > 0)
			w->out->nchain = before;
	}
	if (!hit)
		w->out->nchain = mark;
	free(kids);
	free(miss);
	return hit;
}

/*
 * The links that block DAG d, in order, to the first bad one; false (the
 * chain as it was) when all are fine.  For the DAG asked about (depth 0)
 * the other links are looked at too, and the bad ones counted in also_bad.
 */
static bool
walk_dag(struct why *w, size_t d, int depth)
{
	const struct dg_dag	*dag = &w->g->dags[d];
	const struct dg_link	*k;
	struct dg_list		 top = { NULL, 0 };
	size_t			 i, mark;
	bool			 found = false, hit;

	if (depth > WHY_DEPTH || w->entered[d])
		return false;
	w->entered[d] = true;
	/* the branches of a top all one by one, for also_bad */
	if (dag->nx > 0 && dag->x[0].kind == DGX_ALL) {
		for (i = 1; i < dag->x[0].end; i = dag->x[i].end)
			dg_push(&top, i);
	} else if (dag->nx > 0)
		dg_push(&top, 0);
	for (i = 0; i < top.n + dag->links_in.n; i++) {
		if (found && depth > 0)
			break;
		mark = w->out->nchain;
		if (i < top.n)
			hit = walk_x(w, d, top.v[i], depth);
		else {
			k = &w->g->links[dag->links_in.v[i - top.n]];
			/* a trigger matters to a DAG that only runs by one */
			if (k->kind == DEP_TRIGGER &&
			    (dag->timed || dag->nx > 0))
				continue;
			/*
			 * a sensed DAG that has not run for d's period yet
			 * is passed through, as a trigger always is
			 */
			hit = walk_source(w, k->source, k->kind == DEP_SENSOR ?
			    DEP_VIA_SENSOR : DEP_VIA_TRIGGER,
			    k->kind == DEP_TRIGGER ||
			    stale_for(w, k->source, d), depth);
		}
		if (hit && found)
			w->out->also_bad++;
		if (!hit || found)
			w->out->nchain = mark;
		found = found || hit;
	}
	dg_list_free(&top);
	return found;
}

/* ----------------------------------------------------------------------
 * The sentence.
 */

/* "03:12", or "12-03 03:12" when more than a day from now. */
static void
when_text(const struct why *w, int64_t t, struct buf *b)
{
	struct tz_local	tl;
	const struct tz	*z = w->zone != NULL ? w->zone : tz_utc();

	if (t - w->st->now > 86400 || w->st->now - t > 86400) {
		fmt_time(b, z, t, FMT_SHORT);
		return;
	}
	tz_localtime(z, t, &tl);
	buf_printf(b, "%02d:%02d", tl.hour, tl.min);
}

static void
ago_text(const struct why *w, int64_t t, struct buf *b)
{
	fmt_duration(b, (double)(w->st->now - t));
	buf_puts(b, " ago");
}

/* What is wrong with a DAG link: ", which failed at 03:12, try 3/3". */
static void
dag_text(const struct why *w, const struct dep_link *l, const char *who,
    struct buf *b)
{
	const struct dep_dag_state *s = dep_state_dag(w->st, l->dag_id);

	switch (l->verdict) {
	case DEP_FAILED:
		buf_printf(b, "%s failed", who);
		if (l->when != TIME_NONE) {
			buf_puts(b, " at ");
			when_text(w, l->when, b);
		}
		if (l->max_tries > 0)
			buf_printf(b, ", try %d/%d", l->try_number,
			    l->max_tries);
		break;
	case DEP_PAUSED:
		buf_printf(b, "%s is paused", who);
		break;
	case DEP_MISSING:
		buf_printf(b, "%s has never run", who);
		break;
	case DEP_UNKNOWN:
		buf_printf(b, "%s is a DAG Airflow does not know", who);
		break;
	case DEP_LATE:
		buf_printf(b, "%s has run ", who);
		fmt_duration(b, (double)(w->st->now - s->run_start));
		buf_puts(b, ", past its median of ");
		fmt_duration(b, (double)s->median);
		break;
	default:
		buf_printf(b, "%s is %s", who, dep_verdict_name(l->verdict));
		break;
	}
}

/* The sensor task of consumer that waits on source, or NULL. */
static const char *
sensor_task(const struct why *w, const char *consumer, const char *source)
{
	const struct dg_list	*in;
	const struct dg_link	*k;
	size_t			 c = dg_find_dag(w->g, consumer), i;

	if (c == DG_NONE)
		return NULL;
	in = &w->g->dags[c].links_in;
	for (i = 0; i < in->n; i++) {
		k = &w->g->links[in->v[i]];
		if (k->kind == DEP_SENSOR &&
		    strcmp(w->g->dags[k->source].dag_id, source) == 0)
			return k->task_id;
	}
	return NULL;
}

/* The newest update of the asset of this uri, as read. */
static const struct dep_asset_state *
update_of(const struct why *w, const char *uri)
{
	size_t	i;

	for (i = 0; uri != NULL && i < w->st->nassets; i++)
		if (w->st->assets[i].uri != NULL &&
		    strcmp(w->st->assets[i].uri, uri) == 0)
			return &w->st->assets[i];
	return NULL;
}

/*
 * "C waits for asset U, last updated 26h ago by P.t" and what follows,
 * for the hop from consumer C through asset link a to the bad link.
 * True when the sentence is complete.
 */
static bool
asset_text(const struct why *w, const char *consumer,
    const struct dep_link *a, const struct dep_link *bad_l, struct buf *b)
{
	const struct dep_asset_state	*s;

	if (a->verdict == DEP_UNKNOWN) {
		buf_printf(b, "%s's schedule names an asset Airflow does "
		    "not have", consumer);
		return true;
	}
	buf_printf(b, "%s waits for %s %s", consumer, a->kind ==
	    DEP_NODE_ALIAS ? "alias" : "asset", a->asset);
	s = a->kind == DEP_NODE_ASSET ? update_of(w, a->asset) : NULL;
	if (a->when == TIME_NONE)
		buf_puts(b, ", never updated");
	else {
		buf_puts(b, ", last updated ");
		ago_text(w, a->when, b);
		if (s != NULL && s->source_dag != NULL)
			buf_printf(b, " by %s%s%s", s->source_dag,
			    s->source_task != NULL ? "." : "",
			    s->source_task != NULL ? s->source_task : "");
	}
	if (bad_l == a) {
		buf_puts(b, "; no DAG writes it");
		return true;
	}
	if (s != NULL && s->source_dag != NULL && a->when != TIME_NONE &&
	    strcmp(s->source_dag, bad_l->dag_id) == 0 &&
	    bad_l->kind == DEP_NODE_TASK && s->source_task != NULL &&
	    strcmp(s->source_task, bad_l->task_id) == 0) {
		dag_text(w, bad_l, ", which", b);
		return true;
	}
	buf_puts(b, "; ");
	return false;
}

/*
 * The sentence names the last hop: the DAG that waits (the one asked
 * about, or the last DAG the walk passed through, named after "waits
 * through"), what it waits on, and what is wrong with the bad link.  A
 * sensed DAG the walk passed through (it has not run for the period the
 * sensor waits for) is named first, with when it last ran.
 */
static void
sentence(struct why *w, const char *asked)
{
	struct dep_why		*o = w->out;
	const struct dep_link	*bad_l = &o->chain[o->nchain - 1];
	const struct dep_link	*hop;
	struct buf		*b = &o->sentence;
	struct buf		 who = BUF_INIT;
	size_t			 i, start = o->nchain - 1, first = 1;
	const char		*consumer = asked, *sensor;

	if (start > 0 && (o->chain[start - 1].kind == DEP_NODE_ASSET ||
	    o->chain[start - 1].kind == DEP_NODE_ALIAS))
		start--;
	if (start > 1 && o->chain[1].via == DEP_VIA_SENSOR) {
		/* a sensed DAG passed through: it has not run for the period */
		sensor = sensor_task(w, asked, o->chain[1].dag_id);
		buf_printf(b, "%s's sensor%s%s waits on %s, which ", asked,
		    sensor != NULL ? " " : "", sensor != NULL ? sensor : "",
		    o->chain[1].dag_id);
		if (o->chain[1].when != TIME_NONE) {
			buf_puts(b, "last ran ");
			ago_text(w, o->chain[1].when, b);
		} else
			buf_puts(b, "has not run for this period");
		buf_puts(b, "; ");
		consumer = asked = o->chain[1].dag_id;
		first = 2;
	}
	if (start > first) {
		consumer = o->chain[start - 1].dag_id;
		buf_printf(b, "%s waits through", asked);
		for (i = first; i < start; i++)
			if (o->chain[i].kind == DEP_NODE_DAG ||
			    o->chain[i].kind == DEP_NODE_TASK)
				buf_printf(b, " %s", o->chain[i].dag_id);
		buf_puts(b, ": ");
	}
	hop = &o->chain[start];
	if (hop->kind == DEP_NODE_ASSET || hop->kind == DEP_NODE_ALIAS) {
		if (asset_text(w, consumer, hop, bad_l, b))
			return;
	} else if (bad_l->via == DEP_VIA_SENSOR) {
		sensor = sensor_task(w, consumer, bad_l->dag_id);
		buf_printf(b, "%s's sensor%s%s waits on %s; ", consumer,
		    sensor != NULL ? " " : "", sensor != NULL ? sensor : "",
		    bad_l->dag_id);
	} else if (bad_l->via == DEP_VIA_TRIGGER)
		buf_printf(b, "%s runs when %s triggers it; ", consumer,
		    bad_l->dag_id);
	buf_puts(&who, bad_l->dag_id);
	if (bad_l->kind == DEP_NODE_TASK && bad_l->task_id != NULL)
		buf_printf(&who, ".%s", bad_l->task_id);
	dag_text(w, bad_l, buf_str(&who), b);
	buf_free(&who);
}

void
dep_why(const struct depgraph *g, const char *dag_id,
    const struct dep_state *st, const struct tz *zone, struct dep_why *out)
{
	static const struct dep_state	 none;
	const struct dep_dag_state	*s;
	struct why			 w;
	struct dep_link			*l;
	const struct dg_dag		*dag;
	size_t				 d;

	if (dag_id == NULL)
		dag_id = "";
	d = dg_find_dag(g, dag_id);
	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.g = g;
	w.st = st != NULL ? st : &none;
	w.zone = zone;
	w.out = out;
	l = push_link(&w, DEP_NODE_DAG, DEP_VIA_FAILURE);
	l->dag_id = d != DG_NONE ? g->dags[d].dag_id : dag_id;
	l->verdict = DEP_OK;
	if ((s = dep_state_dag(w.st, l->dag_id)) != NULL) {
		/* its own newest run, for the first line of a chain */
		l->run_id = s->run_id;
		l->when = s->run_end != TIME_NONE ? s->run_end : s->run_start;
	}
	if (d == DG_NONE) {
		buf_printf(&out->sentence, "%s depends on no other DAG or "
		    "asset", dag_id);
		return;
	}
	dag = &g->dags[d];
	if (dag->known && dag->paused) {
		l->verdict = DEP_PAUSED;
		out->found = true;
		buf_printf(&out->sentence, "%s is paused", dag->dag_id);
		return;
	}
	w.entered = xcalloc(g->ndags + 1, sizeof *w.entered);
	out->found = walk_dag(&w, d, 0);
	if (out->found)
		sentence(&w, dag->dag_id);
	else if (dag->nx == 0 && dag->links_in.n == 0)
		buf_printf(&out->sentence, "%s depends on no other DAG or "
		    "asset", dag->dag_id);
	else
		buf_printf(&out->sentence, "%s: every link upstream is fine; "
		    "the DAG itself is slow", dag->dag_id);
	free(w.entered);
}

void
dep_why_free(struct dep_why *w)
{
	free(w->chain);
	buf_free(&w->sentence);
	buf_free(&w->warnings);
	memset(w, 0, sizeof *w);
}
