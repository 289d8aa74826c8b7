/*
 * audit.h: the audit log of write attempts, one JSON line each, appended
 * to $XDG_STATE_HOME/dagtop/audit.log (~/.local/state/dagtop/audit.log),
 * mode 0600.  Every clear, and every refused or failed attempt, is written;
 * nothing in it is a secret (no token, no password, no header).
 */
#ifndef DAGTOP_AUDIT_H
#define DAGTOP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "clear.h"

struct audit_clear {
	const char			*context;	/* NULL: command line */
	const char			*api_url;
	const char			*dag_id;
	const char			*run_id;
	const struct clear_request	*asked;
	const struct clear_result	*cleared;	/* NULL when none */
	const char			*result;	/* "cleared", "refused: read-only", "failed: ..." */
};

/* The file's path ($DAGTOP_AUDIT_LOG overrides, for tests); allocated. */
char	*audit_path(void);
/* Appends one line; -1 with the reason in err when it cannot. */
int	 audit_clear(const struct audit_clear *, struct buf *err);

#endif
