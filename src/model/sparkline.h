/*
 * sparkline.h: a row of small bars for a series of counts, one cell each
 * (deployments per day in the Four Keys pane and report; SLA compliance
 * per week in the SLA week pane).
 */
#ifndef DAGTOP_SPARKLINE_H
#define DAGTOP_SPARKLINE_H

#include <stdbool.h>

#include "buf.h"

/*
 * Appends the last `width` values (all when width <= 0 or larger than n)
 * as one cell each: a zero is "·" ('.' in ASCII), anything else an eighth
 * block scaled to the largest value shown, never below the lowest block
 * (ASCII: digits 1-9 of the same scale), so a single deployment is
 * always visible.  Negative values count as zero.
 */
void	sparkline(struct buf *, const int *values, int n, int width,
	    bool ascii);
/*
 * One cell for a ratio 0..1 (SLA compliance): the full block only for 1,
 * else an eighth block from the lowest (0 to 1/7 is the lowest, so 0 is
 * still drawn), "·" for a negative ratio (nothing to judge).  ASCII: '#'
 * for 1, else the tens digit ('4' for 0.4 to 0.49), '.' for none.
 */
void	sparkline_ratio(struct buf *, double ratio, bool ascii);

#endif
