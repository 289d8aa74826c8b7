/* cmd_clear.h: `dagtop clear`, the rerun for runbooks (cmd_clear.c). */
#ifndef DAGTOP_CMD_CLEAR_H
#define DAGTOP_CMD_CLEAR_H

#include <stdbool.h>

struct settings;

struct clear_options {
	bool	downstream;	/* --downstream */
	bool	only_failed;	/* --only-failed */
	bool	yes;		/* --yes: clear; else a dry run */
	int	map_index;	/* --map-index, -1 the whole task */
};

/*
 * Returns 0 when the dry run was printed or the clear was made, 1 when it
 * was refused (read-only, or the API said no), 3 when it cannot tell (no
 * database, no such task).
 */
int	cmd_clear(const struct settings *, const struct clear_options *,
	    const char *dag_id, const char *run_id, const char *task_id);

#endif
