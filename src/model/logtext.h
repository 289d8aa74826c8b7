/*
 * logtext.h: Airflow log bodies to display text.  Airflow 2 writes plain
 * text lines; Airflow 3 writes structured entries (JSON objects with
 * timestamp, level, event, logger and more) as JSON lines in files, as
 * NDJSON or a JSON document from the API.  The text made here is what the
 * log pane shows, one line per '\n', not yet sanitised: every byte still
 * passes the sanitiser on its way to a terminal.  Pure.
 */
#ifndef DAGTOP_LOGTEXT_H
#define DAGTOP_LOGTEXT_H

#include <stddef.h>

#include "buf.h"

enum { LOG_SEV_NONE, LOG_SEV_WARNING, LOG_SEV_ERROR };

/*
 * One structured entry: "TIMESTAMP LEVEL [logger] event key=value ...",
 * then its error details as a Python traceback.  Returns 0; -1 when the
 * input is not a JSON object, which is then appended as it is (text is
 * never lost).
 */
int	logtext_entry(const char *json, size_t len, struct buf *out);
/*
 * logtext_entry's two ways: a flat object (string, integer, true, false and
 * null values, no key with a layout of its own but timestamp, level, logger
 * and event) read in one pass, -1 with nothing appended for any other
 * input; and jansson, for everything.  They write the same text for what
 * the first takes (fuzz_logtext.c).
 */
int	logtext_entry_flat(const char *json, size_t len, struct buf *out);
int	logtext_entry_tree(const char *json, size_t len, struct buf *out);

/* NDJSON in pieces, however the pieces split it. */
struct logtext_ndjson {
	struct buf	partial;	/* a line not ended yet */
	size_t		max_line;	/* longer lines pass through raw */
	int		overlong;	/* inside such a line */
};

void	logtext_ndjson_init(struct logtext_ndjson *);
void	logtext_ndjson_feed(struct logtext_ndjson *, const char *data,
	    size_t len, struct buf *out);
/* The end of the input: a last line without newline is converted too. */
void	logtext_ndjson_finish(struct logtext_ndjson *, struct buf *out);
void	logtext_ndjson_free(struct logtext_ndjson *);

/*
 * Airflow 3's JSON answer {"content": [entries], "continuation_token": ...}
 * and Airflow 2's {"continuation_token": ..., "content": "<Python repr of
 * [(host, text), ...]>"}.  *token is the token (allocated) or NULL.
 * Returns 0, or -1 with one line in err when the body is not of that shape.
 */
int	logtext_v2_document(const char *body, size_t len, struct buf *out,
	    char **token, struct buf *err);
int	logtext_v1_document(const char *body, size_t len, struct buf *out,
	    char **token, struct buf *err);

/*
 * Bytes of one log line shown (pane, report log, save, pager): the rest of
 * a longer line is left in the spool and told as " … N bytes more".
 */
#define LOGTEXT_LINE_MAX	(64u << 10)

/* len, or less so that a line cut there does not end inside a character. */
size_t	logtext_cut(const char *s, size_t len);
/* Appends " … N bytes more" (" ... N bytes more" when ascii). */
void	logtext_more(struct buf *out, unsigned long long more, int ascii);

/* Bytes of a leading timestamp ("[2024-...] " or "2025-...Z "), else 0. */
size_t	logtext_timestamp_prefix(const char *line, size_t len);
/* LOG_SEV_ERROR for ERROR/CRITICAL lines, tracebacks and exception lines. */
int	logtext_severity(const char *line, size_t len);

#endif
