/*
 * openmetrics.h: Prometheus text (exposition format 0.0.4, what
 * node_exporter's textfile collector and `promtool check metrics' read),
 * built in memory and written in one go.  Pure: no I/O.
 *
 * A family is declared once (name, type, help); samples are added to it in
 * any order and come out together under its one HELP and TYPE line, as
 * the format requires.  Names are checked against Prometheus' rules, label
 * values escaped and made valid UTF-8 that cannot drive a terminal, a
 * series added twice is kept once, and no sample carries a timestamp (the
 * textfile collector refuses them).  No "# EOF": that is OpenMetrics 1.0,
 * whose other rules (counter names, units) this text does not follow.
 */
#ifndef DAGTOP_OPENMETRICS_H
#define DAGTOP_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum om_type { OM_GAUGE, OM_COUNTER };

struct om_label {
	const char	*name;
	const char	*value;	/* NULL or "": the label is left out */
};

struct om_sample;
struct om_family;
struct om {
	struct om_family	*fam;
	size_t			 nfam;
};

#define OM_MAX_LABELS	8

/* [a-zA-Z_:][a-zA-Z0-9_:]* */
bool	 om_metric_name_ok(const char *);
/* [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved). */
bool	 om_label_name_ok(const char *);

void	 om_init(struct om *);
void	 om_free(struct om *);
/*
 * Declares a family: 0, or -1 when the name is not a metric name, a
 * counter's does not end in "_total" or a gauge's does, or the name was
 * declared before with another type.  Declaring it again alike is fine
 * (each context of a report may declare what it writes).
 */
int	 om_family(struct om *, const char *name, enum om_type,
	    const char *help);
/*
 * A sample of a declared family with n labels (in the order given): 0;
 * 1 when that series is there already (the first value stays); -1 when
 * the family is unknown, a label name is invalid or given twice, or
 * there are more than OM_MAX_LABELS labels.
 */
int	 om_addv(struct om *, const char *name, double value,
	    const struct om_label *, size_t n);
/* om_addv with label name, value pairs, ended by a NULL name. */
int	 om_add(struct om *, const char *name, double value, ...);
/* The families that have samples, in the order declared. */
void	 om_write(const struct om *, struct buf *);

/*
 * A sample value as Prometheus spells it: integers as integers, other
 * numbers so that they read back exactly, "NaN", "+Inf", "-Inf"; '.'
 * whatever the locale.
 */
void	 om_put_value(struct buf *, double);
/* A label value, escaped (\\, \", \n), valid UTF-8, controls shown. */
void	 om_put_label_value(struct buf *, const char *);

#endif
