/*
 * slots_int.h: what slots.c and slots_capacity.c share and nobody else
 * needs: the window's minute of a time, the reservation of an id, and the
 * column lookups that report a missing column.
 */
#ifndef SLOTS_INT_H
#define SLOTS_INT_H

#include "slots.h"

/* The column named a (else b, when not NULL), or -1 with err set. */
int		 slots_need_col(const struct bq_table *, const char *a,
		    const char *b, struct buf *err);
/* The minute index of t in the window, or -1. */
long		 slots_minute(const struct slots *, double t);
/* The reservation of that id (NULL or "": on-demand), added when new. */
struct slot_resv *slots_resv_get(struct slots *, const char *id);
/* The ceilings per reservation and minute, and the minutes above them. */
void		 slots_resv_finish(struct slots *);

#endif
