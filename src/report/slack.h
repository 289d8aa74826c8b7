/*
 * slack.h: a Slack Block Kit message (JSON) for `--format slack`, ready for
 * an incoming webhook (`curl -d @- "$SLACK_WEBHOOK_URL"`); dagtop itself
 * sends nothing.
 *
 * The builder keeps every message within Slack's documented limits, so a
 * report on 500 failing DAGs is still a message Slack accepts: what does
 * not fit is cut, and the cut says so ("…and 451 more failing DAGs"; a cut
 * text ends with "…").  Lengths are counted in bytes of UTF-8, which is
 * never less than Slack's count of characters, however Slack counts them.
 *
 * Text from outside (DAG, task and run ids, owners, SLA names, errors)
 * enters mrkdwn only through slack_put_text, which makes it inert.
 */
#ifndef DAGTOP_SLACK_H
#define DAGTOP_SLACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"

/*
 * Slack's limits (https://api.slack.com/reference/block-kit/blocks, now
 * docs.slack.dev/reference/block-kit/blocks): "up to 50 blocks in each
 * message"; header: "plain_text ... Maximum length for the text in this
 * field is 150 characters"; section: text "Maximum length ... is 3000
 * characters", fields "Maximum number of items is 10. Maximum length for the
 * text in each item is 2000 characters"; context: elements "Maximum number
 * of items is 10"; block_id "Maximum length for this field is 255
 * characters".  A context element is a text object, held to a section's
 * 3000 here.
 */
#define SLACK_MAX_BLOCKS	50
#define SLACK_HEADER_MAX	150
#define SLACK_TEXT_MAX		3000
#define SLACK_FIELDS_MAX	10
#define SLACK_FIELD_MAX		2000
#define SLACK_CONTEXT_MAX	10

struct slack_msg;

struct slack_msg *slack_msg_new(void);
/* The header: plain text (sanitised, no formatting), cut to 150. */
void	 slack_header(struct slack_msg *, const char *plain);
/*
 * A section of mrkdwn built by the caller (its own markup, and outside
 * text only through slack_put_text), cut to 3000.  An item is one of the
 * things the report lists (a failing DAG, a missed SLA): items are what
 * a message too long for 50 blocks loses first, counted in "…and N more".
 * fields: up to 10 more texts shown in two columns (NULL, 0: none); more
 * are dropped, the last kept one saying how many.
 */
void	 slack_section(struct slack_msg *, const char *mrkdwn, bool item);
void	 slack_section_fields(struct slack_msg *, const char *mrkdwn,
	    const char *const *fields, size_t nfields, bool item);
/* A context block of mrkdwn elements (at most 10 kept); never cut away. */
void	 slack_context(struct slack_msg *, const char *const *mrkdwn,
	    size_t n);
void	 slack_divider(struct slack_msg *);
/*
 * The message {"text": fallback, "blocks": [...]}, within 50 blocks: when
 * there are more, the last items (and what is neither header nor context)
 * give way to a section "…and N more <noun>".  fallback is mrkdwn as a
 * section's (the notification's text).  Frees the builder.
 */
json_t	*slack_msg_finish(struct slack_msg *, const char *fallback,
	    const char *noun);
void	 slack_msg_free(struct slack_msg *);

/*
 * Text from outside, inert in mrkdwn: sanitised (escape sequences removed,
 * other controls shown as "^X", ill-formed UTF-8 as U+FFFD), &, < and >
 * written as &amp; &lt; &gt; (no mention, channel ping or link can form),
 * a zero-width space either side of each of * _ ~ ` and after '@' and
 * "://" (no emphasis, code, @-mention or bare URL).  NULL is "-", "" is "\"\"".
 */
void	 slack_put_text(struct buf *, const char *);
/*
 * Cuts b to at most max bytes, ending with "…", never inside a UTF-8
 * character or an entity (&lt;); returns true when it cut.
 */
bool	 slack_cut(struct buf *, size_t max);

/*
 * A context element's text: "read 2s ago from Airflow database: Airflow
 * 2.10.3 (5f2621c13b39)", how old the numbers are (now - read_at, never
 * below 0) and where they come from: kind "database" or "api", about the
 * source's own description (outside text, made inert), or NULL.
 */
void	 slack_read_from(struct buf *, int64_t read_at, int64_t now,
	    const char *kind, const char *about);

/* A message saying a report could not be made: UNKNOWN, what and why. */
json_t	*slack_unknown(const char *what, const char *why, const char *source);

#endif
