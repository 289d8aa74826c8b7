/*
 * fourkeys.h: the DORA Four Keys of one service, computed from its
 * deployments, changes and incidents.  Pure: the sources (GitHub, SQL)
 * fill a struct fk_data; this file links the three together and computes
 * the metrics over a window and the window before it, with the DORA band
 * of each metric for a report year.  Facts and formulas:
 * ../shared/reference/fourkeys_bigquery.md; the rules are written in
 * dagtop.conf(5), FOUR KEYS.
 *
 * Times are Unix seconds (UTC).  Windows are half-open, [from, to).
 */
#ifndef DAGTOP_FOURKEYS_H
#define DAGTOP_FOURKEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A successful deployment to the service's environment. */
struct fk_deploy {
	char	*id;	/* unique within the service: "owner/repo#123", a tag */
	char	*sha;	/* the deployed commit, or NULL */
	char	*repo;	/* "owner/repo", or NULL */
	char	*url;	/* a link for people, or NULL */
	int64_t	 at;	/* when it went live */
};

/*
 * A change: a commit (or a pull request) with the time the work was done.
 * Either deploy_id names the deployment that shipped it (commit lead time:
 * deployment time minus at), or deploy_id is NULL and merged is set (pull
 * request lead time: merged minus at).  A change with neither is ignored.
 */
struct fk_change {
	char	*id;		/* commit sha, or "owner/repo#12" for a PR */
	char	*deploy_id;	/* NULL, or a struct fk_deploy id */
	int64_t	 at;		/* commit time, or when the PR was opened */
	int64_t	 merged;	/* PR merge time; 0 otherwise */
};

/* An incident: opened, resolved (0 while open), and its cause if known. */
struct fk_incident {
	char	*id;		/* "owner/repo#7", an incident number */
	char	*title;		/* or NULL */
	char	*url;		/* or NULL */
	char	*cause_sha;	/* "root cause: SHA" (7 to 40 hex), or NULL */
	char	*cause_deploy;	/* a deployment id named outright, or NULL */
	int64_t	 opened;
	int64_t	 resolved;
};

struct fk_data {
	struct fk_deploy	*dep;
	size_t			 ndep;
	struct fk_change	*chg;
	size_t			 nchg;
	struct fk_incident	*inc;
	size_t			 ninc;
};

/* Four Keys' deployment frequency classes, worst first. */
enum fk_freq {
	FK_FREQ_NONE = 0,	/* no deployment in the window */
	FK_FREQ_YEARLY,
	FK_FREQ_MONTHLY,
	FK_FREQ_WEEKLY,
	FK_FREQ_DAILY
};

/* DORA performance bands; FK_BAND_NONE is "no data", never a good band. */
enum fk_band {
	FK_BAND_NONE = 0,
	FK_BAND_LOW,
	FK_BAND_MEDIUM,
	FK_BAND_HIGH,
	FK_BAND_ELITE
};

/* The metrics of one window.  -1 (or < 0) means no data. */
struct fk_metrics {
	int64_t		 from, to;
	int		 days;		/* (to - from) / 86400 */
	int		 deployments;	/* deployments with at in the window */
	double		 per_day;	/* deployments / days */
	double		 per_week;	/* deployments / days * 7 */
	enum fk_freq	 freq;
	int		*daily;		/* deployments per day, days entries,
					   oldest first (day i: [from+i*86400,
					   from+(i+1)*86400)) */
	int		 changes;	/* lead-time samples (lead > 0) */
	int64_t		 lead_median;	/* seconds, -1: no data */
	int64_t		 lead_p90;	/* seconds, -1: no data */
	int		 failed;	/* distinct deployments in the window
					   with at least one incident */
	double		 cfr;		/* failed / deployments, 0..1; -1 when
					   there was no deployment */
	int		 incidents;	/* opened in the window */
	int		 restored;	/* of those, resolved */
	int64_t		 restore_median;	/* seconds, -1: no data */
};

/*
 * What fk_evaluate links: for each input deployment (same index as
 * data->dep) its changes, lead time and incidents; for each incident the
 * deployment it is blamed on.  For the detail list behind the numbers.
 */
struct fk_links {
	int		*inc_deploy;	/* per incident: index into dep, -1 */
	int		*dep_changes;	/* per deployment: changes shipped */
	int64_t		*dep_lead;	/* per deployment: median lead, -1 */
	int		*dep_incidents;	/* per deployment: incidents blamed */
	int		*chg_deploy;	/* per change: the deployment that
					   first shipped it, -1 */
};

struct fk_result {
	int		 year;		/* DORA report year of the bands */
	struct fk_metrics cur;		/* [to - days*86400, to) */
	struct fk_metrics prev;		/* the window before it */
	enum fk_band	 band_freq, band_lead, band_cfr, band_restore;
	struct fk_links	 links;
};

/*
 * Links and measures.  Rules (dagtop.conf(5) says the same):
 *  - a change shipped by several deployments belongs to the earliest;
 *    a change whose deployment is unknown counts nowhere;
 *  - lead time per change = deployment at - change at (or merged - at for
 *    pull requests), samples <= 0 are dropped (Four Keys' rule for merge
 *    pushes and clock skew); a change belongs to the window its deployment
 *    (or merge) falls in;
 *  - an incident is blamed on cause_deploy if that names a deployment;
 *    else on the deployment whose sha starts with cause_sha, or that
 *    first shipped a change whose id starts with it; else on the latest
 *    deployment at or before the incident opened (none: no blame);
 *  - change failure rate = distinct deployments in the window blamed for
 *    at least one incident / deployments in the window (never above 1);
 *  - time to restore = resolved - opened over incidents opened in the
 *    window and resolved (open ones drop out); median;
 *  - frequency class (Four Keys): over the full 7-day blocks counted back
 *    from to, DAILY if the median of deployment days per block >= 3,
 *    WEEKLY if the median of "the block had a deployment" (0 or 1,
 *    interpolated median) >= 1, MONTHLY if in the full 30-day blocks
 *    counted back from to (at least one) the median of "the block had a
 *    deployment" >= 1, YEARLY if there was any deployment, else NONE.
 * days is 1..366; year is a report year fk_year_known accepts (else
 * 2023).  Free with fk_result_free.
 */
void	 fk_evaluate(const struct fk_data *, int64_t to, int days, int year,
	    struct fk_result *);
void	 fk_result_free(struct fk_result *);

/* Report years with band tables: 2021, 2022, 2023, 2024. */
bool	 fk_year_known(int year);

/*
 * The DORA band of each metric for a report year (contiguous thresholds;
 * the tables and their sources are in dagtop.conf(5)).  No data (NONE
 * frequency aside: no deployment is the low band), a negative value,
 * gives FK_BAND_NONE.
 */
enum fk_band fk_band_freq(int year, enum fk_freq, int deployments);
enum fk_band fk_band_lead(int year, int64_t seconds);
enum fk_band fk_band_cfr(int year, double rate);
enum fk_band fk_band_restore(int year, int64_t seconds);

/* "elite", "high", "medium", "low", "no data". */
const char	*fk_band_name(enum fk_band);
/* "daily", "weekly", "monthly", "yearly", "none". */
const char	*fk_freq_name(enum fk_freq);

/*
 * Trend of a metric from the previous window to this one: +1 better, -1
 * worse, 0 the same or not comparable (no data on either side).  For
 * frequency more is better; for lead time, failure rate and restore time
 * less is better.
 */
int	 fk_trend_freq(const struct fk_metrics *cur, const struct fk_metrics *prev);
int	 fk_trend_lead(const struct fk_metrics *, const struct fk_metrics *);
int	 fk_trend_cfr(const struct fk_metrics *, const struct fk_metrics *);
int	 fk_trend_restore(const struct fk_metrics *, const struct fk_metrics *);
/* "better", "worse" or "same" for a trend: the pane and the report agree. */
const char	*fk_trend_word(int trend);
/*
 * The cue beside a metric's own figure: an arrow for the way the value
 * moved (up or down: the trend, turned round when less is better) and
 * whether that is better, as "+"/"-" or, with words, the word: "\u2191-"
 * for a lead time that went up, "\u2193 better" for one that went down;
 * '^' and 'v' with ascii.  "" when the trend is 0.
 */
const char	*fk_trend_cue(int trend, bool more_is_better, bool ascii,
		    bool words);

/*
 * Finds "root cause: SHA" in an incident's text (case-insensitive
 * "root cause", optional spaces, a colon, 7 to 40 hex digits ending at a
 * non-alphanumeric); writes the lower-cased SHA to out (41 bytes) and
 * returns 0, or -1 when there is none.
 */
int	 fk_root_cause(const char *text, char out[41]);

/* Frees the strings and arrays of a struct fk_data and zeroes it. */
void	 fk_data_free(struct fk_data *);

#endif
