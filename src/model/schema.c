/* schema.c: Airflow version and feature detection. */
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* airflow.md §1.2: alembic heads of the releases dagtop supports. */
static const struct {
	const char	*revision;
	const char	*release;
	int		 major;
} heads[] = {
	{ "405de8318b3a", "2.7.0-2.7.3", 2 },
	{ "10b52ebd31f7", "2.8.0", 2 },
	{ "88344c1d9134", "2.8.1-2.8.4", 2 },
	{ "1949afb29106", "2.9.0-2.9.1", 2 },
	{ "686269002441", "2.9.2-2.9.3", 2 },
	{ "22ed7efa9da2", "2.10.0-2.10.2", 2 },
	{ "5f2621c13b39", "2.10.3-2.11", 2 },
	{ "29ce7909c52b", "3.0.0-3.0.2", 3 },
	{ "fe199e1abd77", "3.0.3-3.0.6", 3 },
	{ "cc92b33c6709", "3.1.0-3.1.7", 3 },
	{ "509b94a1042d", "3.1.8", 3 },
	{ "1d6611b6ab7c", "3.2.0-3.2.1", 3 },
	{ NULL, NULL, 0 }
};

const char *const schema_tables[] = {
	"alembic_version", "dag", "dag_run", "task_instance", "serialized_dag",
	"job", "task_instance_history", "dag_version", "sla_miss", "deadline",
	"dataset", "dataset_alias", "dataset_alias_dataset", "dataset_event",
	"dataset_dag_run_queue", "dag_schedule_dataset_reference",
	"dag_schedule_dataset_alias_reference", "task_outlet_dataset_reference",
	"asset", "asset_active", "asset_alias", "asset_alias_asset",
	"asset_event", "asset_dag_run_queue", "dag_schedule_asset_reference",
	"dag_schedule_asset_alias_reference",
	"dag_schedule_asset_name_reference", "dag_schedule_asset_uri_reference",
	"task_outlet_asset_reference",
	NULL
};

/*
 * The dependency tables' columns dagtop reads, '*' standing for the word
 * ("dataset" on 2.x, "asset" on 3.x).  NULL ends each set.
 */
static const char *const asset_cols[] = {
	"*.id", "*.uri", "task_outlet_*_reference.*_id",
	"task_outlet_*_reference.dag_id", "task_outlet_*_reference.task_id",
	"dag_schedule_*_reference.*_id", "dag_schedule_*_reference.dag_id",
	"*_event.*_id", "*_event.timestamp", "*_event.source_dag_id",
	"*_event.source_task_id", "*_event.source_run_id",
	"*_dag_run_queue.*_id", "*_dag_run_queue.target_dag_id", NULL
};
static const char *const alias_cols[] = {
	"*_alias.id", "*_alias.name", "*_alias_*.alias_id", "*_alias_*.*_id",
	"dag_schedule_*_alias_reference.alias_id",
	"dag_schedule_*_alias_reference.dag_id", NULL
};
static const char *const ref_cols[] = {
	"dag_schedule_*_name_reference.name",
	"dag_schedule_*_name_reference.dag_id",
	"dag_schedule_*_uri_reference.uri",
	"dag_schedule_*_uri_reference.dag_id", NULL
};

/* Columns without which dagtop cannot read a table at all. */
static const char *const required[] = {
	"dag.dag_id", "dag.is_paused", "dag.owners", "dag.fileloc",
	"dag.next_dagrun", "dag.next_dagrun_create_after",
	"dag.next_dagrun_data_interval_start", "dag.next_dagrun_data_interval_end",
	"dag_run.dag_id", "dag_run.run_id", "dag_run.state", "dag_run.run_type",
	"dag_run.start_date", "dag_run.end_date", "dag_run.queued_at",
	"dag_run.data_interval_start", "dag_run.data_interval_end",
	"task_instance.dag_id", "task_instance.task_id",
	"task_instance.run_id", "task_instance.map_index",
	"task_instance.state", "task_instance.try_number",
	"task_instance.max_tries", "task_instance.start_date",
	"task_instance.end_date", "task_instance.duration",
	"task_instance.operator", "task_instance.pool",
	"task_instance.hostname",
	"job.job_type", "job.state", "job.latest_heartbeat", "job.hostname",
	"serialized_dag.dag_id", "serialized_dag.data",
	"serialized_dag.data_compressed",
	NULL
};

static const char *const core_tables[] = {
	"alembic_version", "dag", "dag_run", "task_instance", "serialized_dag",
	"job", NULL
};

const char *
schema_release(const char *revision, int *major)
{
	int i;

	if (revision == NULL)
		return NULL;
	for (i = 0; heads[i].revision != NULL; i++) {
		if (strcmp(heads[i].revision, revision) == 0) {
			if (major != NULL)
				*major = heads[i].major;
			return heads[i].release;
		}
	}
	return NULL;
}

static bool
has(const char *const *cols, size_t n, const char *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(cols[i], want) == 0)
			return true;
	return false;
}

static bool
has_table(const char *const *cols, size_t n, const char *table)
{
	size_t i, len = strlen(table);

	for (i = 0; i < n; i++)
		if (strncmp(cols[i], table, len) == 0 && cols[i][len] == '.')
			return true;
	return false;
}

/* Whether every column of want, '*' read as word, is there. */
static bool
has_all(const char *const *cols, size_t n, const char *word,
    const char *const *want)
{
	char		 name[128];
	const char	*p;
	size_t		 i, k, wl = strlen(word);

	for (i = 0; want[i] != NULL; i++) {
		for (k = 0, p = want[i]; *p != '\0' && k + wl < sizeof name;
		    p++) {
			if (*p == '*') {
				memcpy(name + k, word, wl);
				k += wl;
			} else
				name[k++] = *p;
		}
		name[k] = '\0';
		if (!has(cols, n, name))
			return false;
	}
	return true;
}

/* Which dependency tables there are (struct af_schema's assets..). */
static void
detect_assets(struct af_schema *s, const char *const *cols, size_t n)
{
	static const char *const expression[] = { "dag.*_expression", NULL };
	static const char *const active[] = { "asset_active.uri", NULL };
	static const char *const orphaned[] = { "*.is_orphaned", NULL };

	if (has_all(cols, n, "asset", asset_cols))
		s->assets = "asset";
	else if (has_all(cols, n, "dataset", asset_cols))
		s->assets = "dataset";
	else
		return;
	s->asset_expression = has_all(cols, n, s->assets, expression);
	s->asset_aliases = has_all(cols, n, s->assets, alias_cols);
	s->asset_refs = has_all(cols, n, s->assets, ref_cols);
	s->asset_active = has_all(cols, n, s->assets,
	    s->assets[0] == 'a' ? active : orphaned);
}

int
schema_detect(struct af_schema *s, const char *const *cols, size_t n,
    const char *revision, struct buf *err, struct buf *warn)
{
	int	i, missing = 0, major = 0;
	bool	any = false;

	memset(s, 0, sizeof *s);
	for (i = 0; core_tables[i] != NULL; i++) {
		if (has_table(cols, n, core_tables[i]))
			any = true;
		else {
			buf_puts(err, missing++ == 0 ?
			    "not an Airflow metadata database: no table " : ", ");
			buf_puts(err, core_tables[i]);
		}
	}
	if (missing > 0) {
		if (!any) {
			buf_reset(err);
			buf_puts(err, "not an Airflow metadata database: none of "
			    "the tables alembic_version, dag, dag_run, "
			    "task_instance, serialized_dag, job is visible "
			    "(wrong database or schema, or no SELECT privilege)");
		}
		return -1;
	}
	for (i = 0; required[i] != NULL; i++) {
		if (!has(cols, n, required[i])) {
			buf_puts(err, missing++ == 0 ? "the Airflow tables lack "
			    "columns dagtop reads: " : ", ");
			buf_puts(err, required[i]);
		}
	}
	s->logical_date = has(cols, n, "dag_run.logical_date");
	if (!s->logical_date && !has(cols, n, "dag_run.execution_date")) {
		buf_puts(err, missing++ == 0 ? "the Airflow tables lack "
		    "columns dagtop reads: " : ", ");
		buf_puts(err, "dag_run.execution_date (or logical_date)");
	}
	s->is_stale = has(cols, n, "dag.is_stale");
	if (!s->is_stale && !has(cols, n, "dag.is_active")) {
		buf_puts(err, missing++ == 0 ? "the Airflow tables lack "
		    "columns dagtop reads: " : ", ");
		buf_puts(err, "dag.is_active (or is_stale)");
	}
	if (missing > 0)
		return -1;

	s->run_after = has(cols, n, "dag_run.run_after");
	s->timetable_summary = has(cols, n, "dag.timetable_summary");
	s->timetable_description = has(cols, n, "dag.timetable_description");
	s->clear_number = has(cols, n, "dag_run.clear_number");
	s->rendered_map_index = has(cols, n, "task_instance.rendered_map_index");
	s->custom_operator_name = has(cols, n,
	    "task_instance.custom_operator_name");
	s->ti_history = has_table(cols, n, "task_instance_history");
	s->dag_version = has(cols, n, "serialized_dag.dag_version_id") &&
	    has(cols, n, "dag_version.version_number");
	s->created_dag_version = has(cols, n, "dag_run.created_dag_version_id");
	s->sla_miss = has(cols, n, "sla_miss.execution_date") &&
	    has(cols, n, "sla_miss.task_id");
	s->deadline = has(cols, n, "deadline.dagrun_id") &&
	    has(cols, n, "deadline.deadline_time");
	s->deadline_missed = s->deadline && has(cols, n, "deadline.missed");
	s->has_import_errors = has(cols, n, "dag.has_import_errors");
	detect_assets(s, cols, n);

	s->revision = revision != NULL ? xstrdup(revision) : NULL;
	s->release = schema_release(revision, &major);
	s->major = s->logical_date ? 3 : 2;
	if (s->release == NULL) {
		buf_printf(warn, "unknown Airflow schema revision %s; reading "
		    "it as Airflow %d.x from its columns\n",
		    revision != NULL ? revision : "(alembic_version is empty)",
		    s->major);
	} else if (major != s->major) {
		buf_printf(warn, "alembic revision %s is Airflow %s but the "
		    "columns look like Airflow %d.x; going by the columns\n",
		    revision, s->release, s->major);
	}
	return 0;
}

void
schema_clear(struct af_schema *s)
{
	free(s->revision);
	memset(s, 0, sizeof *s);
}
