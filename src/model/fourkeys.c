/*
 * fourkeys.c: the DORA Four Keys of one service: deployments, changes and
 * incidents linked together, and the metrics of a window and of the window
 * before it (the DORA bands and trends are fourkeys_band.c's).  Pure: no
 * clock, no I/O; every time comes in as an argument.
 *
 * Definitions chosen here (dagtop.conf(5), FOUR KEYS, says the same):
 *  - median of lead times and restore times: the middle value of an odd
 *    count, the mean of the two middle values of an even count rounded
 *    down to a whole second;
 *  - p90 of lead times: nearest rank, the ceil(0.9 * n)-th smallest;
 *  - the frequency class uses Four Keys' interpolated median
 *    (PERCENTILE_CONT 0.5) of per-block counts, so exactly half of the
 *    weeks deploying is a median of 0.5, not WEEKLY;
 *  - nothing here depends on the order of the input arrays: deployments
 *    are ranked by (at, id, sha, repo, url) before anything is chosen.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fourkeys.h"

#define DAY	86400
#define WEEK	(7 * DAY)

/* A cause_sha shorter than this is too ambiguous to name a commit. */
#define FK_SHA_MIN	7
#define FK_SHA_MAX	40

/* One lead-time sample: the time that puts it in a window, the lead. */
struct sample {
	int64_t	t;
	int64_t	v;
	int	dep;		/* deployment index, -1 for a pull request */
};

struct ctx {
	const struct fk_data	*d;
	size_t			 ndep;
	int			*order;	/* deployment indices, earliest first */
	int			*rank;	/* per deployment: place in order */
	bool			*dup;	/* a later entry with an id seen before */
	int			*byid;	/* kept deployments with an id, by id */
	size_t			 nbyid;
	struct sample		*smp;
	size_t			 nsmp;
};

/* --- small helpers -------------------------------------------------------- */

/* a - b, false when it does not fit (fuzzed or wild times). */
static bool
sub64(int64_t a, int64_t b, int64_t *out)
{
	if ((b > 0 && a < INT64_MIN + b) || (b < 0 && a > INT64_MAX + b))
		return false;
	*out = a - b;
	return true;
}

/* strcmp with NULL sorting first. */
static int
nstrcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The median of v[0..n) (sorted ascending, values >= 0): the middle one,
 * or the mean of the two middle ones rounded down; -1 when n is 0.
 */
static int64_t
median_sorted(const int64_t *v, size_t n)
{
	if (n == 0)
		return -1;
	if (n % 2 == 1)
		return v[n / 2];
	return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

/* Nearest-rank 90th percentile of v[0..n) sorted: the ceil(0.9n)-th. */
static int64_t
p90_sorted(const int64_t *v, size_t n)
{
	size_t r;

	if (n == 0)
		return -1;
	r = (9 * n + 9) / 10;		/* ceil(9n / 10), 1..n */
	return v[r - 1];
}

/*
 * Four Keys' PERCENTILE_CONT(0.5) of v[0..n) (sorts v): exact in a double
 * since the values are small counts.  n must be at least 1.
 */
static double
median_cont(int *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_int);
	if (n % 2 == 1)
		return v[n / 2];
	return (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* --- linking -------------------------------------------------------------- */

/* A deployment with its index, for sorting without a global. */
struct depref {
	const struct fk_deploy	*dep;
	int			 idx;
};

/*
 * The order in which deployments are "earlier": by time, then by the
 * strings, then by index, so that the choice of the earliest deployment of
 * a change, or of the latest before an incident, never depends on the
 * order the source listed them in (the index only breaks ties between
 * entries that are equal in every field).
 */
static int
cmp_dep(const void *a, const void *b)
{
	const struct depref	*x = a, *y = b;
	int			 c;

	if (x->dep->at != y->dep->at)
		return x->dep->at < y->dep->at ? -1 : 1;
	if ((c = nstrcmp(x->dep->id, y->dep->id)) != 0 ||
	    (c = nstrcmp(x->dep->sha, y->dep->sha)) != 0 ||
	    (c = nstrcmp(x->dep->repo, y->dep->repo)) != 0 ||
	    (c = nstrcmp(x->dep->url, y->dep->url)) != 0)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Deployments with an id, by id then rank: the earliest of an id first. */
struct idrank {
	const char	*id;
	int		 rank;
	int		 idx;
};

static int
cmp_idrank(const void *a, const void *b)
{
	const struct idrank	*x = a, *y = b;
	int			 c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/*
 * Ranks the deployments (earliest first) and builds the id index.  A
 * second entry with the id of an earlier one is the same deployment seen
 * twice (overlapping pages of a source): it is marked dup and counts
 * nowhere, as Four Keys counts distinct deploy_id.
 */
static void
link_deploys(struct ctx *c)
{
	const struct fk_data	*d = c->d;
	struct depref		*dr;
	struct idrank		*ir;
	size_t			 i, n = c->ndep, nir = 0;

	c->order = xcalloc(n, sizeof *c->order);
	c->rank = xcalloc(n, sizeof *c->rank);
	c->dup = xcalloc(n, sizeof *c->dup);
	c->byid = xcalloc(n, sizeof *c->byid);
	dr = xcalloc(n, sizeof *dr);
	for (i = 0; i < n; i++) {
		dr[i].dep = &d->dep[i];
		dr[i].idx = (int)i;
	}
	qsort(dr, n, sizeof *dr, cmp_dep);
	for (i = 0; i < n; i++) {
		c->order[i] = dr[i].idx;
		c->rank[dr[i].idx] = (int)i;
	}
	free(dr);

	ir = xcalloc(n, sizeof *ir);
	for (i = 0; i < n; i++)
		if (d->dep[i].id != NULL) {
			ir[nir].id = d->dep[i].id;
			ir[nir].rank = c->rank[i];
			ir[nir].idx = (int)i;
			nir++;
		}
	qsort(ir, nir, sizeof *ir, cmp_idrank);
	for (i = 0; i < nir; i++) {
		if (i > 0 && strcmp(ir[i].id, ir[i - 1].id) == 0)
			c->dup[ir[i].idx] = true;
		else
			c->byid[c->nbyid++] = ir[i].idx;
	}
	free(ir);
}

/* The index of the (kept) deployment called id, or -1. */
static int
find_deploy(const struct ctx *c, const char *id)
{
	size_t lo = 0, hi = c->nbyid;

	if (id == NULL)
		return -1;
	while (lo < hi) {
		size_t	mid = lo + (hi - lo) / 2;
		int	r = strcmp(id, c->d->dep[c->byid[mid]].id);

		if (r == 0)
			return c->byid[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Of two deployment indices (-1: none), the earlier. */
static int
earlier(const struct ctx *c, int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return c->rank[a] <= c->rank[b] ? a : b;
}

/* A change entry with the deployment its deploy_id names (-1: none). */
struct chgref {
	const struct fk_change	*ch;
	int			 idx;
	int			 dep;
	int			 kind;	/* 0 shipped, 1 pull request, 2 neither */
	int			 rank;	/* of dep, INT_MAX without one */
};

/*
 * Entries of one change (same id) together; within it, the one to count
 * first: shipped by the earliest deployment, else a pull request merged
 * earliest; then the earliest at.  Entries without an id stay apart.
 */
static int
cmp_chgref(const void *a, const void *b)
{
	const struct chgref	*x = a, *y = b;
	int			 c = nstrcmp(x->ch->id, y->ch->id);

	if (c != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->kind == 1 && x->ch->merged != y->ch->merged)
		return x->ch->merged < y->ch->merged ? -1 : 1;
	if (x->ch->at != y->ch->at)
		return x->ch->at < y->ch->at ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/*
 * Links changes to deployments and collects the lead-time samples.  A
 * change listed several times (by id) is one change: it belongs to the
 * earliest known deployment that lists it (chg_deploy of every entry says
 * which); with no known deployment, a pull-request entry (deploy_id NULL,
 * merged set) counts with merged - at; an entry whose deploy_id names no
 * deployment, or a dup one, counts nowhere.  Samples <= 0 are dropped.
 */
static void
link_changes(struct ctx *c, struct fk_links *l)
{
	const struct fk_data	*d = c->d;
	struct chgref		*r;
	size_t			 i, j, k, n = d->nchg;

	r = xcalloc(n, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].ch = &d->chg[i];
		r[i].idx = (int)i;
		r[i].dep = find_deploy(c, d->chg[i].deploy_id);
		r[i].rank = r[i].dep >= 0 ? c->rank[r[i].dep] : INT_MAX;
		if (r[i].dep >= 0)
			r[i].kind = 0;
		else if (d->chg[i].deploy_id == NULL && d->chg[i].merged != 0)
			r[i].kind = 1;
		else
			r[i].kind = 2;
	}
	qsort(r, n, sizeof *r, cmp_chgref);
	c->smp = xcalloc(n, sizeof *c->smp);
	for (i = 0; i < n; i = j) {
		const struct chgref	*best = &r[i];
		int64_t			 t, lead;

		for (j = i + 1; j < n && r[i].ch->id != NULL &&
		    nstrcmp(r[j].ch->id, r[i].ch->id) == 0; j++)
			;
		/* best is r[i]: the sort put the entry to count first. */
		for (k = i; k < j; k++)
			l->chg_deploy[r[k].idx] = best->dep;
		if (best->kind == 0) {
			t = d->dep[best->dep].at;
			l->dep_changes[best->dep]++;
		} else if (best->kind == 1)
			t = best->ch->merged;
		else
			continue;
		if (!sub64(t, best->ch->at, &lead) || lead <= 0)
			continue;
		c->smp[c->nsmp].t = t;
		c->smp[c->nsmp].v = lead;
		c->smp[c->nsmp].dep = best->dep;
		c->nsmp++;
	}
	free(r);
}

static int
cmp_sample_dep(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->dep != y->dep)
		return x->dep < y->dep ? -1 : 1;
	return (x->v > y->v) - (x->v < y->v);
}

/* dep_lead: the median lead of each deployment's samples, -1 for none. */
static void
link_dep_lead(struct ctx *c, struct fk_links *l)
{
	struct sample	*s;
	int64_t		*v;
	size_t		 i, j, k;

	for (i = 0; i < c->ndep; i++)
		l->dep_lead[i] = -1;
	s = xcalloc(c->nsmp, sizeof *s);
	v = xcalloc(c->nsmp, sizeof *v);
	memcpy(s, c->smp, c->nsmp * sizeof *s);
	qsort(s, c->nsmp, sizeof *s, cmp_sample_dep);
	for (i = 0; i < c->nsmp; i = j) {
		for (j = i; j < c->nsmp && s[j].dep == s[i].dep; j++)
			v[j - i] = s[j].v;
		k = j - i;
		if (s[i].dep >= 0)
			l->dep_lead[s[i].dep] = median_sorted(v, k);
	}
	free(v);
	free(s);
}

/* Does sha start with the (lower-case) prefix p of length n?  Any case. */
static bool
sha_prefix(const char *sha, const char *p, size_t n)
{
	return sha != NULL && strlen(sha) >= n && strncasecmp(sha, p, n) == 0;
}

/*
 * The deployment an incident is blamed on: cause_deploy if it names one;
 * else the earliest deployment whose sha starts with cause_sha or that
 * first shipped a change whose id starts with it (the first deployment
 * that put the bad commit live); else the latest deployment at or before
 * the incident opened; else -1.
 */
static int
blame(const struct ctx *c, const struct fk_links *l,
    const struct fk_incident *in)
{
	const struct fk_data	*d = c->d;
	int			 b = -1;
	size_t			 i, n, lo, hi;

	if ((b = find_deploy(c, in->cause_deploy)) >= 0)
		return b;
	if (in->cause_sha != NULL &&
	    (n = strlen(in->cause_sha)) >= FK_SHA_MIN) {
		for (i = 0; i < c->ndep; i++)
			if (!c->dup[i] &&
			    sha_prefix(d->dep[i].sha, in->cause_sha, n))
				b = earlier(c, b, (int)i);
		for (i = 0; i < d->nchg; i++)
			if (l->chg_deploy[i] >= 0 &&
			    sha_prefix(d->chg[i].id, in->cause_sha, n))
				b = earlier(c, b, l->chg_deploy[i]);
		if (b >= 0)
			return b;
	}
	/* The first place in order with at > opened. */
	lo = 0;
	hi = c->ndep;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->dep[c->order[mid]].at <= in->opened)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo > 0) {
		int k = c->order[--lo];

		if (!c->dup[k])
			return k;
	}
	return -1;
}

/* --- one window ----------------------------------------------------------- */

static bool
in_window(const struct fk_metrics *m, int64_t t)
{
	return t >= m->from && t < m->to;
}

/*
 * Four Keys' class from the daily counts of a window: blocks are counted
 * back from to, only full ones; DAILY if the median of deployment days
 * per 7-day block >= 3, WEEKLY if the median of "the block deployed"
 * (0 or 1) >= 1, MONTHLY the same over 30-day blocks, YEARLY if anything
 * deployed at all.  A window too short for a block cannot reach its class.
 */
static enum fk_freq
freq_class(const struct fk_metrics *m)
{
	int		*v;
	size_t		 nb, b, i, base;
	enum fk_freq	 f = FK_FREQ_NONE;

	if (m->deployments == 0)
		return FK_FREQ_NONE;
	v = xcalloc((size_t)m->days / 7 + 1, sizeof *v);
	nb = (size_t)m->days / 7;
	if (nb > 0) {
		for (b = 0; b < nb; b++) {	/* b = 0: the newest block */
			base = (size_t)m->days - 7 * (b + 1);
			v[b] = 0;
			for (i = 0; i < 7; i++)
				v[b] += m->daily[base + i] > 0;
		}
		if (median_cont(v, nb) >= 3) {
			f = FK_FREQ_DAILY;
			goto out;
		}
		for (b = 0; b < nb; b++)
			v[b] = v[b] > 0;
		if (median_cont(v, nb) >= 1) {
			f = FK_FREQ_WEEKLY;
			goto out;
		}
	}
	nb = (size_t)m->days / 30;
	if (nb > 0) {
		for (b = 0; b < nb; b++) {
			base = (size_t)m->days - 30 * (b + 1);
			v[b] = 0;
			for (i = 0; i < 30; i++)
				if (m->daily[base + i] > 0)
					v[b] = 1;
		}
		if (median_cont(v, nb) >= 1) {
			f = FK_FREQ_MONTHLY;
			goto out;
		}
	}
	f = FK_FREQ_YEARLY;
out:
	free(v);
	return f;
}

/* The metrics of [from, to), from - to being days whole days. */
static void
window(const struct ctx *c, const struct fk_links *l, struct fk_metrics *m,
    int64_t from, int days)
{
	const struct fk_data	*d = c->d;
	int64_t			*v;
	size_t			 i, n;

	m->from = from;
	m->to = from + (int64_t)days * DAY;
	m->days = days;
	m->daily = xcalloc((size_t)days, sizeof *m->daily);
	for (i = 0; i < c->ndep; i++) {
		if (c->dup[i] || !in_window(m, d->dep[i].at))
			continue;
		m->deployments++;
		m->daily[(d->dep[i].at - from) / DAY]++;
		if (l->dep_incidents[i] > 0)
			m->failed++;
	}
	m->per_day = (double)m->deployments / days;
	m->per_week = (double)m->deployments / days * 7;
	m->freq = freq_class(m);
	m->cfr = m->deployments > 0 ?
	    (double)m->failed / m->deployments : -1;

	v = xcalloc(c->nsmp > d->ninc ? c->nsmp : d->ninc, sizeof *v);
	for (i = n = 0; i < c->nsmp; i++)
		if (in_window(m, c->smp[i].t))
			v[n++] = c->smp[i].v;
	qsort(v, n, sizeof *v, cmp_i64);
	m->changes = (int)n;
	m->lead_median = median_sorted(v, n);
	m->lead_p90 = p90_sorted(v, n);

	for (i = n = 0; i < d->ninc; i++) {
		const struct fk_incident	*in = &d->inc[i];
		int64_t				 r;

		if (!in_window(m, in->opened))
			continue;
		m->incidents++;
		/* Open (0), or resolved before it opened: no sample. */
		if (in->resolved != 0 && sub64(in->resolved, in->opened, &r) &&
		    r >= 0)
			v[n++] = r;
	}
	qsort(v, n, sizeof *v, cmp_i64);
	m->restored = (int)n;
	m->restore_median = median_sorted(v, n);
	free(v);
}

/* --- the public functions ------------------------------------------------- */

void
fk_evaluate(const struct fk_data *data, int64_t to, int days, int year,
    struct fk_result *res)
{
	static const struct fk_data	 empty;
	struct ctx			 c;
	struct fk_links			*l = &res->links;
	const int64_t			 lim = (int64_t)2 * 366 * DAY;
	size_t				 i;

	if (data == NULL)
		data = &empty;
	if (days < 1)
		days = 1;
	if (days > 366)
		days = 366;
	/* Keep both windows representable (only wild input is moved). */
	if (to < INT64_MIN + lim)
		to = INT64_MIN + lim;
	memset(res, 0, sizeof *res);
	res->year = fk_year_known(year) ? year : 2023;

	memset(&c, 0, sizeof c);
	c.d = data;
	c.ndep = data->ndep;
	link_deploys(&c);

	l->inc_deploy = xcalloc(data->ninc, sizeof *l->inc_deploy);
	l->dep_changes = xcalloc(c.ndep, sizeof *l->dep_changes);
	l->dep_lead = xcalloc(c.ndep, sizeof *l->dep_lead);
	l->dep_incidents = xcalloc(c.ndep, sizeof *l->dep_incidents);
	l->chg_deploy = xcalloc(data->nchg, sizeof *l->chg_deploy);
	link_changes(&c, l);
	link_dep_lead(&c, l);
	for (i = 0; i < data->ninc; i++) {
		l->inc_deploy[i] = blame(&c, l, &data->inc[i]);
		if (l->inc_deploy[i] >= 0)
			l->dep_incidents[l->inc_deploy[i]]++;
	}

	window(&c, l, &res->cur, to - (int64_t)days * DAY, days);
	window(&c, l, &res->prev, to - (int64_t)2 * days * DAY, days);
	res->band_freq = fk_band_freq(res->year, res->cur.freq,
	    res->cur.deployments);
	res->band_lead = fk_band_lead(res->year, res->cur.lead_median);
	res->band_cfr = fk_band_cfr(res->year, res->cur.cfr);
	res->band_restore = fk_band_restore(res->year, res->cur.restore_median);

	free(c.order);
	free(c.rank);
	free(c.dup);
	free(c.byid);
	free(c.smp);
}

void
fk_result_free(struct fk_result *res)
{
	if (res == NULL)
		return;
	free(res->cur.daily);
	free(res->prev.daily);
	free(res->links.inc_deploy);
	free(res->links.dep_changes);
	free(res->links.dep_lead);
	free(res->links.dep_incidents);
	free(res->links.chg_deploy);
	memset(res, 0, sizeof *res);
}

/* --- root cause ----------------------------------------------------------- */

static bool
is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
	    (ch >= 'A' && ch <= 'F');
}

static bool
is_alnum(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z');
}

/*
 * The first "root cause: SHA" in text: "root cause" in any case, spaces
 * or tabs, a colon, spaces or tabs, then 7 to 40 hex digits not followed
 * by a letter or digit ("abcdefg..." is a word, not a sha).  An
 * occurrence that does not fit is skipped and the search goes on.
 */
int
fk_root_cause(const char *text, char out[41])
{
	static const char	 key[] = "root cause";
	const char		*p, *q;
	size_t			 n, i;

	if (text == NULL)
		return -1;
	for (p = text; *p != '\0'; p++) {
		if (strncasecmp(p, key, sizeof key - 1) != 0)
			continue;
		q = p + sizeof key - 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q++ != ':')
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		for (n = 0; is_hex(q[n]); n++)
			if (n > FK_SHA_MAX)
				break;
		if (n < FK_SHA_MIN || n > FK_SHA_MAX || is_alnum(q[n]))
			continue;
		for (i = 0; i < n; i++)
			out[i] = (q[i] >= 'A' && q[i] <= 'F') ?
			    (char)(q[i] - 'A' + 'a') : q[i];
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* --- data ----------------------------------------------------------------- */

void
fk_data_free(struct fk_data *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ndep; i++) {
		free(d->dep[i].id);
		free(d->dep[i].sha);
		free(d->dep[i].repo);
		free(d->dep[i].url);
	}
	for (i = 0; i < d->nchg; i++) {
		free(d->chg[i].id);
		free(d->chg[i].deploy_id);
	}
	for (i = 0; i < d->ninc; i++) {
		free(d->inc[i].id);
		free(d->inc[i].title);
		free(d->inc[i].url);
		free(d->inc[i].cause_sha);
		free(d->inc[i].cause_deploy);
	}
	free(d->dep);
	free(d->chg);
	free(d->inc);
	memset(d, 0, sizeof *d);
}
