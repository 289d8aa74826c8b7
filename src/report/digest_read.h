/*
 * digest_read.h: the weekly digest's sections that come from sources of
 * their own (digest_sections.c), each read in a loop of its own, one after
 * the other: a report has no screen to keep alive.  Each fills its part of
 * the digest and its origin (digest.h): the source's one-line name, when
 * it was read and the newest datum, or the error that kept it from being
 * read, or why it is skipped (not configured).  None fails the others.
 * The Airflow sections (SLA, failures, reruns) are report_digest.c's.
 */
#ifndef DAGTOP_DIGEST_READ_H
#define DAGTOP_DIGEST_READ_H

#include "digest.h"

struct config;
struct cli_options;
struct settings;

/*
 * The Four Keys of every [service], over the 7 and the 30 days that end at
 * d->to (or now, while the week is not over), each against the period
 * before (DIGEST_FOURKEYS, d->services).
 */
void	 digest_read_fourkeys(struct digest *, const struct config *);
/*
 * BigQuery slots over the week [d->from, d->to) (up to now while it is
 * not over): the peak minute, each
 * reservation's peak, average and minutes above capacity, and the top
 * consumers (DIGEST_SLOTS, d->slots); skipped when the context has no
 * BigQuery project.
 */
void	 digest_read_slots(struct digest *, const struct settings *);
/*
 * The health of every context of [dagtop] contexts =, whatever
 * --context chose for the rest of the digest, as `report status` judges it over the runs since the
 * week began (DIGEST_ENVIRONMENTS, d->envs), all read at once; skipped
 * (DIGEST_ENVS_SKIPPED) when that list has fewer than two.
 */
void	 digest_read_envs(struct digest *, const struct config *,
	    const struct cli_options *);
/*
 * A section's error from a source (why, or "no answer" when empty), with
 * any password scrubbed out: every section's errors go through here.
 */
void	 digest_set_error(struct digest_origin *, const char *why);

#define DIGEST_ENVS_SKIPPED \
	"no [dagtop] contexts = list names two or more contexts"


#endif
