/*
 * tz.c: time zones without the global TZ variable.  Parses TZif data
 * (RFC 8536), and converts between UTC epoch seconds and local wall time in
 * a given zone (POSIX TZ strings: tz_posix.c; the calendar: tz_civil.c).
 * No I/O.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tz.h"
#include "tz_int.h"

/* Footer events tz_next_transition looks at before it gives up. */
#define FOOTER_SCAN_MAX	1000
#define TZIF_HEADER_LEN	44

static char utc_name[] = "UTC";
static struct tz_type utc_type = { 0, 0, "UTC" };
static struct tz utc_zone = {
	.name = utc_name,
	.builtin = 1,
	.ntypes = 1,
	.types = &utc_type,
};

/*
 * Big-endian integers from TZif data; the signed forms avoid
 * implementation-defined conversions.
 */
static uint32_t
get_u32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	    ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static int32_t
get_i32(const unsigned char *p)
{
	uint32_t u = get_u32(p);

	if (u <= INT32_MAX)
		return (int32_t)u;
	return (int32_t)(-(int64_t)(~u) - 1);
}

static int64_t
get_i64(const unsigned char *p)
{
	uint64_t u = ((uint64_t)get_u32(p) << 32) | get_u32(p + 4);

	if (u <= INT64_MAX)
		return (int64_t)u;
	return -(int64_t)(~u) - 1;
}

/*
 * The local time type in force at t, and the next transition instant after
 * t (INT64_MAX if none).  Before the first transition type 0 applies
 * (RFC 8536); from the last transition on, the footer rule if there is one.
 */
static void
lookup(const struct tz *z, int64_t t, struct tz_type *out, int64_t *next)
{
	size_t lo, hi, mid;

	if (z->ntrans == 0) {
		if (z->has_footer) {
			tz_posix_lookup(&z->footer, t, out, next);
			return;
		}
		*out = z->types[0];
		*next = INT64_MAX;
		return;
	}
	if (t < z->trans[0]) {
		*out = z->types[0];
		*next = z->trans[0];
		return;
	}
	/* Largest i with trans[i] <= t. */
	lo = 0;
	hi = z->ntrans;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 < z->ntrans) {
		*out = z->types[z->trans_type[lo]];
		*next = z->trans[lo + 1];
		return;
	}
	if (z->has_footer) {
		tz_posix_lookup(&z->footer, t, out, next);
		return;
	}
	*out = z->types[z->trans_type[lo]];
	*next = INT64_MAX;
}

static void
note_utoff(struct tz *z, int32_t utoff)
{
	if (utoff < z->min_utoff)
		z->min_utoff = utoff;
	if (utoff > z->max_utoff)
		z->max_utoff = utoff;
}

static void
compute_utoff_range(struct tz *z)
{
	size_t i;

	z->min_utoff = z->max_utoff = z->types[0].utoff;
	for (i = 1; i < z->ntypes; i++)
		note_utoff(z, z->types[i].utoff);
	if (z->has_footer) {
		note_utoff(z, z->footer.std.utoff);
		if (z->footer.has_dst)
			note_utoff(z, z->footer.dst.utoff);
	}
}

struct tz *
tz_parse_posix(const char *spec, struct buf *err)
{
	struct tz_posix	 p;
	struct tz	*z;
	struct buf	 msg = BUF_INIT;

	if (spec == NULL) {
		buf_puts(err, "no TZ string");
		return NULL;
	}
	if (tz_posix_parse(spec, &p, &msg) != 0) {
		buf_printf(err, "invalid TZ string '%s': %s", spec,
		    buf_str(&msg));
		buf_free(&msg);
		return NULL;
	}
	z = xcalloc(1, sizeof *z);
	z->name = xstrdup(spec);
	z->ntypes = 1;
	z->types = xcalloc(1, sizeof *z->types);
	z->types[0] = p.std;
	z->has_footer = 1;
	z->footer = p;
	compute_utoff_range(z);
	return z;
}

/* --- TZif --------------------------------------------------------------- */

struct tzif_header {
	int		version;	/* 1, 2, 3, ... */
	uint32_t	isutcnt;
	uint32_t	isstdcnt;
	uint32_t	leapcnt;
	uint32_t	timecnt;
	uint32_t	typecnt;
	uint32_t	charcnt;
};

static int
parse_header(const unsigned char *p, size_t len, struct tzif_header *h,
    struct buf *err)
{
	if (len >= 4 && memcmp(p, "TZif", 4) != 0) {
		buf_puts(err, "TZif: bad magic (not a TZif file)");
		return -1;
	}
	if (len < TZIF_HEADER_LEN) {
		buf_puts(err, "TZif: truncated header");
		return -1;
	}
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '9')
		h->version = p[4] - '0';
	else {
		buf_printf(err, "TZif: unknown version byte 0x%02x",
		    p[4]);
		return -1;
	}
	h->isutcnt = get_u32(p + 20);
	h->isstdcnt = get_u32(p + 24);
	h->leapcnt = get_u32(p + 28);
	h->timecnt = get_u32(p + 32);
	h->typecnt = get_u32(p + 36);
	h->charcnt = get_u32(p + 40);
	if (h->typecnt == 0 || h->typecnt > 256) {
		buf_printf(err, "TZif: type count %u not in 1-256",
		    (unsigned)h->typecnt);
		return -1;
	}
	if (h->charcnt == 0) {
		buf_puts(err, "TZif: no abbreviation characters");
		return -1;
	}
	if (h->isutcnt != 0 && h->isutcnt != h->typecnt) {
		buf_printf(err, "TZif: UT indicator count %u, "
		    "type count %u", (unsigned)h->isutcnt,
		    (unsigned)h->typecnt);
		return -1;
	}
	if (h->isstdcnt != 0 && h->isstdcnt != h->typecnt) {
		buf_printf(err, "TZif: standard indicator count %u, "
		    "type count %u", (unsigned)h->isstdcnt,
		    (unsigned)h->typecnt);
		return -1;
	}
	return 0;
}

/* Bytes of the data block after a header, for 4- or 8-byte times. */
static uint64_t
block_size(const struct tzif_header *h, unsigned tsize)
{
	return (uint64_t)h->timecnt * (tsize + 1) +
	    (uint64_t)h->typecnt * 6 + h->charcnt +
	    (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static int64_t
sub_saturating(int64_t a, int32_t b)
{
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	return a - b;
}

/* The local time types and their abbreviations, checked. */
static int
read_types(struct tz *z, const struct tzif_header *h,
    const unsigned char *types, const unsigned char *chars, struct buf *err)
{
	const unsigned char	*abbr, *nul;
	size_t			 i, n;
	unsigned		 idx;

	for (i = 0; i < z->ntypes; i++) {
		z->types[i].utoff = get_i32(types + i * 6);
		if (z->types[i].utoff < UTOFF_MIN ||
		    z->types[i].utoff > UTOFF_MAX) {
			buf_printf(err, "TZif: type %zu has UT offset "
			    "%ld, outside -89999..93599", i,
			    (long)z->types[i].utoff);
			return -1;
		}
		if (types[i * 6 + 4] > 1) {
			buf_printf(err, "TZif: type %zu has DST flag "
			    "%u", i, types[i * 6 + 4]);
			return -1;
		}
		z->types[i].isdst = types[i * 6 + 4];
		idx = types[i * 6 + 5];
		if (idx >= h->charcnt) {
			buf_printf(err, "TZif: type %zu abbreviation "
			    "index %u beyond %u characters", i, idx,
			    (unsigned)h->charcnt);
			return -1;
		}
		abbr = chars + idx;
		nul = memchr(abbr, '\0', h->charcnt - idx);
		if (nul == NULL) {
			buf_printf(err, "TZif: type %zu abbreviation "
			    "not NUL-terminated", i);
			return -1;
		}
		n = (size_t)(nul - abbr);
		if (n > sizeof z->types[i].abbr - 1)
			n = sizeof z->types[i].abbr - 1;
		memcpy(z->types[i].abbr, abbr, n);
		z->types[i].abbr[n] = '\0';
	}
	return 0;
}

/* The standard/wall and UT/local indicators: each 0 or 1. */
static int
check_indicators(const struct tzif_header *h, const unsigned char *isstd,
    const unsigned char *isut, struct buf *err)
{
	size_t i;

	for (i = 0; i < h->isstdcnt; i++) {
		if (isstd[i] > 1) {
			buf_printf(err, "TZif: standard/wall "
			    "indicator %zu is %u", i, isstd[i]);
			return -1;
		}
	}
	for (i = 0; i < h->isutcnt; i++) {
		if (isut[i] > 1) {
			buf_printf(err, "TZif: UT/local indicator %zu "
			    "is %u", i, isut[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * The leap-second records: each must come after the one before, and each
 * transition after a leap second has its correction taken off, so that
 * transitions count POSIX seconds.
 */
static int
apply_leaps(struct tz *z, const struct tzif_header *h,
    const unsigned char *leaps, unsigned tsize, struct buf *err)
{
	int64_t	 occur, prev_occur = 0, *leap_at;
	int32_t	*leap_corr;
	size_t	 i, j;

	if (h->leapcnt == 0)
		return 0;
	leap_at = xreallocarray(NULL, h->leapcnt, sizeof *leap_at);
	leap_corr = xreallocarray(NULL, h->leapcnt, sizeof *leap_corr);
	for (i = 0; i < h->leapcnt; i++) {
		const unsigned char *rec = leaps + i * (tsize + 4);

		occur = tsize == 8 ? get_i64(rec) : get_i32(rec);
		if (i > 0 && occur <= prev_occur) {
			buf_printf(err, "TZif: leap second "
			    "%zu not after the previous one", i);
			free(leap_at);
			free(leap_corr);
			return -1;
		}
		prev_occur = occur;
		leap_at[i] = occur;
		leap_corr[i] = get_i32(rec + tsize);
	}
	/* Both lists ascend, so one pass pairs them up. */
	j = 0;
	for (i = 0; i < z->ntrans; i++) {
		int64_t at = z->trans[i];

		while (j < h->leapcnt && leap_at[j] <= at)
			j++;
		if (j > 0)
			z->trans[i] = sub_saturating(at, leap_corr[j - 1]);
	}
	free(leap_at);
	free(leap_corr);
	return 0;
}

/*
 * Reads the data block at p (its size already checked) into z.  Leap-second
 * corrections are subtracted from the transition times so they count POSIX
 * seconds; the times must then be strictly ascending.
 */
static int
parse_block(const unsigned char *p, const struct tzif_header *h,
    unsigned tsize, struct tz *z, struct buf *err)
{
	const unsigned char	*types, *chars, *leaps, *isstd, *isut;
	size_t			 i;

	z->ntrans = h->timecnt;
	z->ntypes = h->typecnt;
	z->trans = xreallocarray(NULL, z->ntrans, sizeof *z->trans);
	z->trans_type = xmalloc(z->ntrans);
	z->types = xcalloc(z->ntypes, sizeof *z->types);

	for (i = 0; i < z->ntrans; i++) {
		if (tsize == 8)
			z->trans[i] = get_i64(p + i * 8);
		else
			z->trans[i] = get_i32(p + i * 4);
	}
	p += (size_t)h->timecnt * tsize;
	for (i = 0; i < z->ntrans; i++) {
		if (p[i] >= h->typecnt) {
			buf_printf(err, "TZif: transition %zu uses "
			    "type %u of %u", i, p[i], (unsigned)h->typecnt);
			return -1;
		}
		z->trans_type[i] = p[i];
	}
	p += h->timecnt;
	types = p;
	chars = types + (size_t)h->typecnt * 6;
	leaps = chars + h->charcnt;
	isstd = leaps + (size_t)h->leapcnt * (tsize + 4);
	isut = isstd + h->isstdcnt;

	if (read_types(z, h, types, chars, err) != 0 ||
	    check_indicators(h, isstd, isut, err) != 0 ||
	    apply_leaps(z, h, leaps, tsize, err) != 0)
		return -1;
	for (i = 1; i < z->ntrans; i++) {
		if (z->trans[i] <= z->trans[i - 1]) {
			buf_printf(err, "TZif: transition %zu not "
			    "after the previous one", i);
			return -1;
		}
	}
	return 0;
}

struct tz *
tz_parse_tzif(const unsigned char *data, size_t len, const char *name,
    struct buf *err)
{
	struct tzif_header h;
	struct tz *z;
	const unsigned char *p = data, *nl;
	uint64_t need;
	size_t left = len, flen;
	unsigned tsize = 4;
	char *footer;
	struct buf msg = BUF_INIT;

	if (data == NULL)
		left = 0;
	if (parse_header(p, left, &h, err) != 0)
		return NULL;
	p += TZIF_HEADER_LEN;
	left -= TZIF_HEADER_LEN;
	need = block_size(&h, 4);
	if (need > left) {
		buf_printf(err, "TZif: version 1 data needs %llu "
		    "bytes, %zu left", (unsigned long long)need, left);
		return NULL;
	}
	if (h.version >= 2) {
		/* Skip the 32-bit block; the 64-bit one follows. */
		p += need;
		left -= need;
		if (parse_header(p, left, &h, err) != 0)
			return NULL;
		if (h.version < 2) {
			buf_puts(err, "TZif: second header is not "
			    "version 2 or later");
			return NULL;
		}
		p += TZIF_HEADER_LEN;
		left -= TZIF_HEADER_LEN;
		tsize = 8;
		need = block_size(&h, 8);
		if (need > left) {
			buf_printf(err, "TZif: 64-bit data needs %llu "
			    "bytes, %zu left", (unsigned long long)need,
			    left);
			return NULL;
		}
	}

	z = xcalloc(1, sizeof *z);
	z->name = xstrdup(name != NULL ? name : "");
	if (parse_block(p, &h, tsize, z, err) != 0) {
		tz_free(z);
		return NULL;
	}
	p += need;
	left -= need;

	if (h.version >= 2) {
		if (left < 2 || p[0] != '\n' ||
		    (nl = memchr(p + 1, '\n', left - 1)) == NULL) {
			buf_puts(err, "TZif: missing footer");
			tz_free(z);
			return NULL;
		}
		flen = (size_t)(nl - (p + 1));
		if (memchr(p + 1, '\0', flen) != NULL) {
			buf_puts(err, "TZif: NUL in footer");
			tz_free(z);
			return NULL;
		}
		if (flen > 0) {
			footer = xstrndup((const char *)p + 1, flen);
			if (tz_posix_parse(footer, &z->footer, &msg) != 0) {
				buf_printf(err, "TZif: footer '%s': %s",
				    footer, buf_str(&msg));
				buf_free(&msg);
				free(footer);
				tz_free(z);
				return NULL;
			}
			free(footer);
			z->has_footer = 1;
		}
	}
	compute_utoff_range(z);
	return z;
}

/* --- Queries ------------------------------------------------------------ */

struct tz *
tz_utc(void)
{
	return &utc_zone;
}

void
tz_free(struct tz *z)
{
	if (z == NULL || z->builtin)
		return;
	free(z->name);
	free(z->trans);
	free(z->trans_type);
	free(z->types);
	free(z);
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

void
tz_localtime(const struct tz *z, int64_t t, struct tz_local *out)
{
	struct tz_type type;
	int64_t next, local, days, secs, year;

	t = tz_clamp_time(t);
	lookup(z, t, &type, &next);
	local = t + type.utoff;
	days = tz_floor_div(local, SECS_PER_DAY);
	secs = local - days * SECS_PER_DAY;
	tz_civil_from_days64(days, &year, &out->mon, &out->mday);
	out->year = (int)year;
	out->hour = (int)(secs / SECS_PER_HOUR);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->wday = tz_weekday(days);
	out->yday = (int)(days - tz_days_from_civil64(year, 1, 1));
	out->utoff = type.utoff;
	out->isdst = type.isdst;
	memcpy(out->abbr, type.abbr, sizeof out->abbr);
}

/*
 * Every instant whose wall time is the target lies within
 * [wall - max_utoff, wall - min_utoff].  Walking the runs of constant
 * offset through that window in time order, the first run that contains
 * wall - its offset is the earliest answer.  If none does, the wall time
 * fell into a gap, and the offset before the gap is used.
 */
int64_t
tz_mktime(const struct tz *z, int year, int mon, int mday, int hour, int min,
    int sec)
{
	struct tz_type cur, nxt;
	int64_t wall, lo, hi, start, next, after, cand, gap = 0;
	int have_gap = 0;

	wall = tz_days_from_civil64(year, mon, mday) * SECS_PER_DAY +
	    (int64_t)hour * SECS_PER_HOUR + (int64_t)min * 60 + sec;
	lo = wall - z->max_utoff;
	hi = wall - z->min_utoff;
	start = lo;
	lookup(z, start, &cur, &next);
	for (;;) {
		cand = wall - cur.utoff;
		if (cand >= start && cand < next)
			return cand;
		if (next > hi)
			break;
		lookup(z, next, &nxt, &after);
		if (!have_gap && wall - cur.utoff >= next &&
		    wall - nxt.utoff < next) {
			gap = wall - cur.utoff;
			have_gap = 1;
		}
		start = next;
		cur = nxt;
		next = after;
	}
	if (have_gap)
		return gap;
	return wall - cur.utoff;
}

static int
same_type(const struct tz_type *a, const struct tz_type *b)
{
	return a->utoff == b->utoff && a->isdst == b->isdst &&
	    strcmp(a->abbr, b->abbr) == 0;
}

int
tz_next_transition(const struct tz *z, int64_t t, int64_t *next)
{
	struct tz_type cur, nxt;
	int64_t at, after;
	int footer_steps = 0;

	lookup(z, t, &cur, &at);
	while (at != INT64_MAX && at <= TZ_TIME_MAX) {
		lookup(z, at, &nxt, &after);
		if (!same_type(&cur, &nxt)) {
			*next = at;
			return 1;
		}
		if (z->ntrans == 0 || at >= z->trans[z->ntrans - 1]) {
			/* Under the footer rule; it repeats every year. */
			if (++footer_steps > FOOTER_SCAN_MAX)
				break;
		}
		at = after;
	}
	return 0;
}
