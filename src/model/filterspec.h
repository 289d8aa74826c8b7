/*
 * filterspec.h: what a / filter's text asks for.  Words "state:NAME" (or
 * "state:A,B") name the states a row must be in, task-instance or DAG-run
 * state names as Airflow writes them (state:failed, state:running,
 * state:upstream_failed,up_for_retry); the rest of the text, trimmed, is
 * the regular expression the ids must match (empty: any).  Pure: the
 * console compiles the pattern and applies both.
 *
 *	"state:failed"		failed rows
 *	"etl state:running"	running rows whose id matches etl
 *	"!etl state:failed"	failed rows whose id does not
 */
#ifndef DAGTOP_FILTERSPEC_H
#define DAGTOP_FILTERSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "airflow.h"
#include "buf.h"

struct filter_spec {
	bool		 states;	/* state: words were given */
	uint32_t	 ti_states;	/* bit 1 << enum ti_state */
	uint32_t	 run_states;	/* bit 1 << enum run_state */
	char		*pattern;	/* the rest, trimmed; "" for none */
};

/*
 * Splits text; 0, or -1 with "unknown state 'x' ..." in err (and nothing
 * to free) when a state: word names no state.
 */
int	filter_spec_parse(const char *text, struct filter_spec *,
	    struct buf *err);
void	filter_spec_free(struct filter_spec *);
/* Whether a row in this state passes (true when no state: was given). */
bool	filter_spec_ti(const struct filter_spec *, enum ti_state);
bool	filter_spec_run(const struct filter_spec *, enum run_state);

#endif
