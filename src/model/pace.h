/*
 * pace.h: how often the console reads the Airflow database.  The refresh
 * setting is the interval it asks for and never goes under (nor under
 * PACE_REFRESH_MIN, the floor every refresh setting is checked against).
 * A refresh slower than slow_refresh doubles the interval in use, up to
 * PACE_MAX_FACTOR times the setting or PACE_MAX_SECONDS, whichever is
 * less (never less than the setting); each fast refresh halves it again,
 * step by step, down to the setting.  Pure: the caller passes the clock.
 */
#ifndef DAGTOP_PACE_H
#define DAGTOP_PACE_H

#include <stdbool.h>
#include <stdint.h>

struct buf;

/* The lowest refresh and api_refresh accepted, in seconds. */
#define PACE_REFRESH_MIN	2
#define PACE_MAX_FACTOR		8
#define PACE_MAX_SECONDS	300

struct pace {
	int	every;		/* seconds in use; 0: the setting */
	int64_t	began_ms;	/* the refresh in flight began; -1 none */
};

enum pace_turn {
	PACE_SAME,	/* the interval in use stays */
	PACE_SLOWER,	/* it doubled */
	PACE_FASTER	/* it halved (perhaps back to the setting) */
};

/* A pace at the setting, no refresh in flight. */
void		pace_init(struct pace *);
/* A refresh begins at now_ms. */
void		pace_begin(struct pace *, int64_t now_ms);
/*
 * The refresh begun last ended at now_ms: the next interval follows from
 * how long it took against slow_s (seconds), with base_s the setting.
 * *took_ms (may be NULL) is how long it took.  A refresh never begun
 * changes nothing.
 */
enum pace_turn	pace_end(struct pace *, int64_t now_ms, int base_s,
		    int slow_s, int64_t *took_ms);
/* The interval in use, in seconds, for the setting base_s. */
int		pace_every(const struct pace *, int base_s);
/* Whether the interval in use is longer than the setting. */
bool		pace_backed_off(const struct pace *, int base_s);
/*
 * The message line's words for a turn: "refresh took 3.4 s: every 10 s
 * now", or "... every 5 s again" back at the setting.  Nothing for
 * PACE_SAME.
 */
void		pace_say(const struct pace *, enum pace_turn, int64_t took_ms,
		    int base_s, struct buf *);

#endif
