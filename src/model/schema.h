/*
 * schema.h: which Airflow a metadata database belongs to.  The version
 * comes from alembic_version (airflow.md §1.2), never from the user's
 * config; the features actually used come from the columns the database
 * has, so an unknown or newer revision still works.
 */
#ifndef DAGTOP_SCHEMA_H
#define DAGTOP_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct af_schema {
	int		 major;		/* 2 or 3 */
	char		*revision;	/* alembic version_num, or NULL */
	const char	*release;	/* "2.10.3-2.10.5"; NULL when unknown */
	/* Features, each read from information_schema. */
	bool		 logical_date;	/* dag_run.logical_date (3.x) */
	bool		 run_after;	/* dag_run.run_after (3.x) */
	bool		 is_stale;	/* dag.is_stale (3.x) or dag.is_active */
	bool		 timetable_summary; /* or dag.schedule_interval */
	bool		 timetable_description;
	bool		 clear_number;	/* 2.8+ */
	bool		 rendered_map_index; /* 2.9+ */
	bool		 custom_operator_name;
	bool		 ti_history;	/* task_instance_history, 2.10+ */
	bool		 dag_version;	/* 3.x: serialized_dag per version */
	bool		 created_dag_version; /* dag_run.created_dag_version_id */
	bool		 sla_miss;	/* sla_miss (2.x; kept by upgraded 3.x) */
	bool		 deadline;	/* deadline alerts (3.1+) */
	bool		 deadline_missed;	/* deadline.missed */
	bool		 has_import_errors;
	/*
	 * Dependencies across DAGs (airflow_dependencies.md §6): the word
	 * the reference tables are named with, "dataset" (2.x: dataset,
	 * dataset_event, task_outlet_dataset_reference, ...) or "asset"
	 * (3.x), NULL when the database has neither set whole.
	 */
	const char	*assets;
	bool		 asset_expression; /* dag.<word>_expression (2.9+) */
	bool		 asset_aliases;	/* the alias tables (2.10+) */
	bool		 asset_refs;	/* name/uri reference schedules (3.0+) */
	/* Activity readable: dataset.is_orphaned (2.x), asset_active (3.x). */
	bool		 asset_active;
};

/* Known alembic heads: revision -> releases. NULL when unknown. */
const char	*schema_release(const char *revision, int *major);

/*
 * Decides the schema from the "table.column" names the database reported
 * and its alembic revision (NULL when alembic_version is empty).  Returns
 * 0, or -1 with a one-line reason in err naming what is missing.  Notes for
 * the user (an unknown revision) go to warn.
 */
int		 schema_detect(struct af_schema *, const char *const *columns,
		    size_t ncolumns, const char *revision, struct buf *err,
		    struct buf *warn);
void		 schema_clear(struct af_schema *);

/* The tables whose columns schema_detect needs to see. */
extern const char *const schema_tables[];

#endif
