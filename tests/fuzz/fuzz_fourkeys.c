/*
 * fuzz_fourkeys.c: libFuzzer harness for the Four Keys model: deployments,
 * changes and incidents built from the input bytes (short ids so that
 * they collide, times near the windows), evaluated for each report year;
 * the input is also searched for "root cause: SHA".  Whatever arrives,
 * the failure rate stays in [0, 1] or -1, failed <= deployments, medians
 * are -1 or more, links point at real entries, and nothing crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fourkeys.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define TO	((int64_t)1800000000)

struct rd {
	const uint8_t	*p;
	size_t		 n;
};

static unsigned
byte(struct rd *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

/* A short id from a small alphabet, or NULL: ids collide on purpose. */
static char *
str(struct rd *r)
{
	static const char	 al[] = "0123456789abcdefAB#";
	unsigned		 b = byte(r), n = b % 10, i;
	char			 s[16];

	if (b >= 240)
		return NULL;
	for (i = 0; i < n; i++)
		s[i] = al[byte(r) % (sizeof al - 1)];
	s[n] = '\0';
	return xstrdup(s);
}

/* A time within a few windows of TO, or a wild one now and then. */
static int64_t
tm(struct rd *r)
{
	unsigned	b = byte(r);
	int64_t		v = (int64_t)(byte(r) | byte(r) << 8 | byte(r) << 16);

	if (b == 255)
		return (int64_t)((uint64_t)v << 40 | (uint64_t)byte(r) << 63);
	return TO - (int64_t)(b % 200) * 86400 + v % 86400;
}

static void
check(const struct fk_metrics *m)
{
	int i, sum = 0;

	if (m->failed > m->deployments || m->failed < 0)
		abort();
	if (!(m->cfr == -1 || (m->cfr >= 0 && m->cfr <= 1)))
		abort();
	if ((m->deployments == 0) != (m->cfr == -1))
		abort();
	if (m->lead_median < -1 || m->lead_p90 < -1 ||
	    m->restore_median < -1 || m->lead_p90 < m->lead_median)
		abort();
	if (m->restored > m->incidents)
		abort();
	for (i = 0; i < m->days; i++)
		sum += m->daily[i];
	if (sum != m->deployments)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rd		 r = { data, len };
	struct fk_data		 d;
	struct fk_result	 res;
	char			 out[41], *text;
	size_t			 i;
	int			 y, days;

	text = xstrndup((const char *)data, len);
	if (fk_root_cause(text, out) == 0 &&
	    (strlen(out) < 7 || strlen(out) > 40))
		abort();
	free(text);

	memset(&d, 0, sizeof d);
	days = (int)(byte(&r) % 100) + 1;
	d.ndep = byte(&r) % 32;
	d.nchg = byte(&r) % 64;
	d.ninc = byte(&r) % 32;
	d.dep = xcalloc(d.ndep, sizeof *d.dep);
	d.chg = xcalloc(d.nchg, sizeof *d.chg);
	d.inc = xcalloc(d.ninc, sizeof *d.inc);
	for (i = 0; i < d.ndep; i++) {
		d.dep[i].id = str(&r);
		d.dep[i].sha = str(&r);
		d.dep[i].at = tm(&r);
	}
	for (i = 0; i < d.nchg; i++) {
		d.chg[i].id = str(&r);
		d.chg[i].deploy_id = str(&r);
		d.chg[i].at = tm(&r);
		d.chg[i].merged = byte(&r) & 1 ? tm(&r) : 0;
	}
	for (i = 0; i < d.ninc; i++) {
		d.inc[i].cause_sha = str(&r);
		d.inc[i].cause_deploy = str(&r);
		d.inc[i].opened = tm(&r);
		d.inc[i].resolved = byte(&r) & 1 ? tm(&r) : 0;
	}
	for (y = 2020; y <= 2025; y++) {
		fk_evaluate(&d, TO, days, y, &res);
		check(&res.cur);
		check(&res.prev);
		for (i = 0; i < d.ninc; i++)
			if (res.links.inc_deploy[i] < -1 ||
			    res.links.inc_deploy[i] >= (int)d.ndep)
				abort();
		for (i = 0; i < d.nchg; i++)
			if (res.links.chg_deploy[i] < -1 ||
			    res.links.chg_deploy[i] >= (int)d.ndep)
				abort();
		(void)fk_trend_freq(&res.cur, &res.prev);
		(void)fk_trend_lead(&res.cur, &res.prev);
		(void)fk_trend_cfr(&res.cur, &res.prev);
		(void)fk_trend_restore(&res.cur, &res.prev);
		fk_result_free(&res);
	}
	fk_data_free(&d);
	return 0;
}
