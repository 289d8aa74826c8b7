/*
 * logpath.h: where Airflow wrote a task's log in the log folder.  Renders
 * the run's log_filename_template (log_template.filename in the metadata
 * database, else the default for the Airflow version) for one task
 * instance.  The templates are Jinja or, in very old runs, Python format
 * strings; this renders the subset Airflow's own templates use, and says
 * which construct it cannot render rather than guessing.  Pure.
 */
#ifndef DAGTOP_LOGPATH_H
#define DAGTOP_LOGPATH_H

#include "buf.h"

struct logpath_ti {
	const char	*dag_id;
	const char	*run_id;
	const char	*task_id;
	int		 map_index;	/* -1 when not mapped */
	int		 try_number;
	const char	*ts;		/* logical date, ISO 8601; legacy {{ ts }} */
};

/* The default templates of Airflow 2.x and 3.x (airflow.md 6). */
extern const char logpath_default_v2[];
extern const char logpath_default_v3[];

/*
 * Appends the relative path for ti to out.  Returns 0, or -1 with one line
 * in err: an unsupported construct, an unterminated tag, or a rendered
 * path that would leave the log folder (an id holding "..").
 */
int	logpath_render(const char *tmpl, const struct logpath_ti *,
	    struct buf *out, struct buf *err);

#endif
