/*
 * sparkline.h: a row of small bars for a series of counts, one cell each
 * (deployments per day in the Four Keys pane and report).
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

#endif
