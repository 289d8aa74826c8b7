/* pace.c: the console's refresh interval under load (pace.h). */
#include "buf.h"
#include "pace.h"

void
pace_init(struct pace *p)
{
	p->every = 0;
	p->began_ms = -1;
}

void
pace_begin(struct pace *p, int64_t now_ms)
{
	p->began_ms = now_ms;
}

/*
 * The longest interval for the setting: PACE_MAX_FACTOR times it, at most
 * PACE_MAX_SECONDS, and never shorter than the setting itself (a setting
 * above PACE_MAX_SECONDS does not back off).
 */
static int
pace_cap(int base_s)
{
	int64_t cap = (int64_t)base_s * PACE_MAX_FACTOR;

	if (cap > PACE_MAX_SECONDS)
		cap = PACE_MAX_SECONDS;
	if (cap < base_s)
		cap = base_s;
	return (int)cap;
}

int
pace_every(const struct pace *p, int base_s)
{
	int cap = pace_cap(base_s);

	if (p->every <= base_s)
		return base_s;
	return p->every > cap ? cap : p->every;
}

bool
pace_backed_off(const struct pace *p, int base_s)
{
	return pace_every(p, base_s) > base_s;
}

enum pace_turn
pace_end(struct pace *p, int64_t now_ms, int base_s, int slow_s,
    int64_t *took_ms)
{
	int	 now_every = pace_every(p, base_s), next;
	int64_t	 took;

	if (took_ms != NULL)
		*took_ms = 0;
	if (p->began_ms < 0)
		return PACE_SAME;
	took = now_ms >= p->began_ms ? now_ms - p->began_ms : 0;
	p->began_ms = -1;
	if (took_ms != NULL)
		*took_ms = took;
	if (took > (int64_t)slow_s * 1000)
		next = now_every * 2 > pace_cap(base_s) ? pace_cap(base_s) :
		    now_every * 2;
	else
		next = now_every / 2 < base_s ? base_s : now_every / 2;
	p->every = next;
	if (next > now_every)
		return PACE_SLOWER;
	return next < now_every ? PACE_FASTER : PACE_SAME;
}

void
pace_say(const struct pace *p, enum pace_turn t, int64_t took_ms, int base_s,
    struct buf *out)
{
	if (t == PACE_SAME)
		return;
	buf_printf(out, "refresh took %lld.%lld s: every %d s %s",
	    (long long)(took_ms / 1000), (long long)(took_ms % 1000 / 100),
	    pace_every(p, base_s), pace_backed_off(p, base_s) ? "now" :
	    "again");
}
