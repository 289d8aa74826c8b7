/*
 * audit.h: the audit log of write attempts, one JSON line per record,
 * appended to $XDG_STATE_HOME/dagtop/audit.log
 * (~/.local/state/dagtop/audit.log), mode 0600.
 *
 * A clear writes two records with the same "id": an intent, written and
 * fsync'd before the request leaves (who, context, DAG, run, tasks,
 * options, and the instances the dry run named), and an outcome after
 * ("cleared", "failed: ...", "outcome unknown: ...").  An attempt refused
 * before any request has only an outcome record ("refused: ...").  When
 * the intent cannot be written the clear is refused.  Nothing in a record
 * is a secret (no token, no password, no header; user:password@ is taken
 * out of URLs).
 */
#ifndef DAGTOP_AUDIT_H
#define DAGTOP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "clear.h"

enum audit_record { AUDIT_INTENT, AUDIT_OUTCOME };

struct audit_clear {
	const char			*id;		/* NULL: a new one */
	const char			*context;	/* NULL: command line */
	const char			*api_url;
	const char			*dag_id;
	const char			*run_id;
	const struct clear_request	*asked;
	const struct clear_result	*planned;	/* the dry run's list */
	const struct clear_result	*cleared;	/* NULL when none */
	/* Outcome: "cleared", "refused: ...", "failed: ...",
	   "outcome unknown: ..." */
	const char			*result;
};

/* The message when no path can be found. */
#define AUDIT_NO_PATH "cannot write the audit log: set XDG_STATE_HOME or " \
	"HOME, or DAGTOP_AUDIT_LOG"

/* The file's path ($DAGTOP_AUDIT_LOG overrides); allocated, or NULL. */
char	*audit_path(void);
/*
 * Can a record be written?  Opens (creating it and its folders) and
 * closes the file; -1 with the reason in err when it cannot.
 */
int	 audit_check(struct buf *err);
/* A new record id: "YYYYmmddTHHMMSSZ-PID-RANDOM" in out. */
void	 audit_new_id(char *out, size_t size);
/*
 * Appends one record and fsyncs it (and the folder when the file is new);
 * -1 with the reason in err when it cannot.
 */
int	 audit_write(const struct audit_clear *, enum audit_record,
	    struct buf *err);
/* An outcome record with no intent before it (refusals). */
int	 audit_clear(const struct audit_clear *, struct buf *err);

#endif
