/*
 * test_schema.c: which Airflow a metadata database belongs to
 * (src/model/schema.c): the release from the alembic revision (airflow.md
 * §1.2), the major version and features from the columns, and the exact
 * messages for unknown revisions, disagreeing revisions, missing tables and
 * missing columns.  The column lists are those of the reference schemas
 * /work/shared/reference/airflow2_schema.sql (2.10) and airflow3_schema.sql
 * (3.1), for the tables in schema_tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "schema.h"

#define NELEM(a) (sizeof (a) / sizeof *(a))

/* airflow2_schema.sql (2.10.x): every column of the tables in schema_tables. */
static const char *const cols_210[] = {
	"alembic_version.version_num", "dag.dag_id", "dag.root_dag_id",
	"dag.is_paused", "dag.is_subdag", "dag.is_active",
	"dag.last_parsed_time", "dag.last_pickled", "dag.last_expired",
	"dag.scheduler_lock", "dag.pickle_id", "dag.fileloc",
	"dag.processor_subdir", "dag.owners", "dag.dag_display_name",
	"dag.description", "dag.default_view", "dag.schedule_interval",
	"dag.timetable_description", "dag.dataset_expression",
	"dag.max_active_tasks", "dag.max_active_runs",
	"dag.max_consecutive_failed_dag_runs",
	"dag.has_task_concurrency_limits", "dag.has_import_errors",
	"dag.next_dagrun", "dag.next_dagrun_data_interval_start",
	"dag.next_dagrun_data_interval_end", "dag.next_dagrun_create_after",
	"dag_run.id", "dag_run.dag_id", "dag_run.queued_at",
	"dag_run.execution_date", "dag_run.start_date", "dag_run.end_date",
	"dag_run.state", "dag_run.run_id", "dag_run.creating_job_id",
	"dag_run.external_trigger", "dag_run.run_type", "dag_run.conf",
	"dag_run.data_interval_start", "dag_run.data_interval_end",
	"dag_run.last_scheduling_decision", "dag_run.dag_hash",
	"dag_run.log_template_id", "dag_run.updated_at",
	"dag_run.clear_number", "task_instance.task_id",
	"task_instance.dag_id", "task_instance.run_id",
	"task_instance.map_index", "task_instance.start_date",
	"task_instance.end_date", "task_instance.duration",
	"task_instance.state", "task_instance.try_number",
	"task_instance.max_tries", "task_instance.hostname",
	"task_instance.unixname", "task_instance.job_id", "task_instance.pool",
	"task_instance.pool_slots", "task_instance.queue",
	"task_instance.priority_weight", "task_instance.operator",
	"task_instance.custom_operator_name", "task_instance.queued_dttm",
	"task_instance.queued_by_job_id", "task_instance.pid",
	"task_instance.executor", "task_instance.executor_config",
	"task_instance.updated_at", "task_instance.rendered_map_index",
	"task_instance.external_executor_id", "task_instance.trigger_id",
	"task_instance.trigger_timeout", "task_instance.next_method",
	"task_instance.next_kwargs", "task_instance.task_display_name",
	"task_instance_history.id", "task_instance_history.task_id",
	"task_instance_history.dag_id", "task_instance_history.run_id",
	"task_instance_history.map_index", "task_instance_history.try_number",
	"task_instance_history.start_date", "task_instance_history.end_date",
	"task_instance_history.duration", "task_instance_history.state",
	"task_instance_history.max_tries", "task_instance_history.hostname",
	"task_instance_history.unixname", "task_instance_history.job_id",
	"task_instance_history.pool", "task_instance_history.pool_slots",
	"task_instance_history.queue", "task_instance_history.priority_weight",
	"task_instance_history.operator",
	"task_instance_history.custom_operator_name",
	"task_instance_history.queued_dttm",
	"task_instance_history.queued_by_job_id", "task_instance_history.pid",
	"task_instance_history.executor",
	"task_instance_history.executor_config",
	"task_instance_history.updated_at",
	"task_instance_history.rendered_map_index",
	"task_instance_history.external_executor_id",
	"task_instance_history.trigger_id",
	"task_instance_history.trigger_timeout",
	"task_instance_history.next_method",
	"task_instance_history.next_kwargs",
	"task_instance_history.task_display_name", "serialized_dag.dag_id",
	"serialized_dag.fileloc", "serialized_dag.fileloc_hash",
	"serialized_dag.data", "serialized_dag.data_compressed",
	"serialized_dag.last_updated", "serialized_dag.dag_hash",
	"serialized_dag.processor_subdir", "job.id", "job.dag_id", "job.state",
	"job.job_type", "job.start_date", "job.end_date",
	"job.latest_heartbeat", "job.executor_class", "job.hostname",
	"job.unixname", "sla_miss.task_id", "sla_miss.dag_id",
	"sla_miss.execution_date", "sla_miss.email_sent", "sla_miss.timestamp",
	"sla_miss.description", "sla_miss.notification_sent",
};

/* airflow3_schema.sql (3.1.x): every column of the tables in schema_tables. */
static const char *const cols_31[] = {
	"alembic_version.version_num", "dag.dag_id", "dag.is_paused",
	"dag.is_stale", "dag.last_parsed_time", "dag.last_parse_duration",
	"dag.last_expired", "dag.fileloc", "dag.relative_fileloc",
	"dag.bundle_name", "dag.bundle_version", "dag.owners",
	"dag.dag_display_name", "dag.description", "dag.timetable_summary",
	"dag.timetable_description", "dag.asset_expression", "dag.deadline",
	"dag.max_active_tasks", "dag.max_active_runs",
	"dag.max_consecutive_failed_dag_runs",
	"dag.has_task_concurrency_limits", "dag.has_import_errors",
	"dag.next_dagrun", "dag.next_dagrun_data_interval_start",
	"dag.next_dagrun_data_interval_end", "dag.next_dagrun_create_after",
	"dag_version.id", "dag_version.version_number", "dag_version.dag_id",
	"dag_version.bundle_name", "dag_version.bundle_version",
	"dag_version.created_at", "dag_version.last_updated", "dag_run.id",
	"dag_run.dag_id", "dag_run.queued_at", "dag_run.logical_date",
	"dag_run.start_date", "dag_run.end_date", "dag_run.state",
	"dag_run.run_id", "dag_run.creating_job_id", "dag_run.run_type",
	"dag_run.triggered_by", "dag_run.triggering_user_name", "dag_run.conf",
	"dag_run.data_interval_start", "dag_run.data_interval_end",
	"dag_run.run_after", "dag_run.last_scheduling_decision",
	"dag_run.log_template_id", "dag_run.updated_at",
	"dag_run.clear_number", "dag_run.backfill_id",
	"dag_run.bundle_version", "dag_run.scheduled_by_job_id",
	"dag_run.context_carrier", "dag_run.span_status",
	"dag_run.created_dag_version_id", "task_instance.id",
	"task_instance.task_id", "task_instance.dag_id",
	"task_instance.run_id", "task_instance.map_index",
	"task_instance.start_date", "task_instance.end_date",
	"task_instance.duration", "task_instance.state",
	"task_instance.try_number", "task_instance.max_tries",
	"task_instance.hostname", "task_instance.unixname",
	"task_instance.pool", "task_instance.pool_slots",
	"task_instance.queue", "task_instance.priority_weight",
	"task_instance.operator", "task_instance.custom_operator_name",
	"task_instance.queued_dttm", "task_instance.scheduled_dttm",
	"task_instance.queued_by_job_id", "task_instance.last_heartbeat_at",
	"task_instance.pid", "task_instance.executor",
	"task_instance.executor_config", "task_instance.updated_at",
	"task_instance.rendered_map_index", "task_instance.context_carrier",
	"task_instance.span_status", "task_instance.external_executor_id",
	"task_instance.trigger_id", "task_instance.trigger_timeout",
	"task_instance.next_method", "task_instance.next_kwargs",
	"task_instance.task_display_name", "task_instance.dag_version_id",
	"task_instance_history.task_instance_id",
	"task_instance_history.task_id", "task_instance_history.dag_id",
	"task_instance_history.run_id", "task_instance_history.map_index",
	"task_instance_history.try_number", "task_instance_history.start_date",
	"task_instance_history.end_date", "task_instance_history.duration",
	"task_instance_history.state", "task_instance_history.max_tries",
	"task_instance_history.hostname", "task_instance_history.unixname",
	"task_instance_history.pool", "task_instance_history.pool_slots",
	"task_instance_history.queue", "task_instance_history.priority_weight",
	"task_instance_history.operator",
	"task_instance_history.custom_operator_name",
	"task_instance_history.queued_dttm",
	"task_instance_history.scheduled_dttm",
	"task_instance_history.queued_by_job_id", "task_instance_history.pid",
	"task_instance_history.executor",
	"task_instance_history.executor_config",
	"task_instance_history.updated_at",
	"task_instance_history.rendered_map_index",
	"task_instance_history.context_carrier",
	"task_instance_history.span_status",
	"task_instance_history.external_executor_id",
	"task_instance_history.trigger_id",
	"task_instance_history.trigger_timeout",
	"task_instance_history.next_method",
	"task_instance_history.next_kwargs",
	"task_instance_history.task_display_name",
	"task_instance_history.dag_version_id", "serialized_dag.id",
	"serialized_dag.dag_id", "serialized_dag.data",
	"serialized_dag.data_compressed", "serialized_dag.created_at",
	"serialized_dag.last_updated", "serialized_dag.dag_hash",
	"serialized_dag.dag_version_id", "job.id", "job.dag_id", "job.state",
	"job.job_type", "job.start_date", "job.end_date",
	"job.latest_heartbeat", "job.executor_class", "job.hostname",
	"job.unixname",
};

/* airflow.md §1.2, with the release texts schema.c gives them. */
static const struct {
	const char	*revision;
	const char	*release;
	int		 major;
} revisions[] = {
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
};

#define LACK "the Airflow tables lack columns dagtop reads: "
#define NOT_AIRFLOW "not an Airflow metadata database: "

/* A column list as the database would report it, editable. */
struct cols {
	const char	*v[256];
	size_t		 n;
};

static void
cols_from(struct cols *c, const char *const *v, size_t n)
{
	assert_true(n <= NELEM(c->v));
	memcpy(c->v, v, n * sizeof *v);
	c->n = n;
}

/* Drops every column of a table ("job") or one column ("job.hostname"). */
static void
cols_drop(struct cols *c, const char *what)
{
	size_t	i, k = 0, len = strlen(what);
	bool	table = strchr(what, '.') == NULL;

	for (i = 0; i < c->n; i++) {
		if (table ? strncmp(c->v[i], what, len) == 0 &&
		    c->v[i][len] == '.' : strcmp(c->v[i], what) == 0)
			continue;
		c->v[k++] = c->v[i];
	}
	assert_true(k < c->n);
	c->n = k;
}

static void
cols_add(struct cols *c, const char *col)
{
	assert_true(c->n < NELEM(c->v));
	c->v[c->n++] = col;
}

struct features {
	bool logical_date, run_after, is_stale, timetable_summary,
	    timetable_description, clear_number, rendered_map_index,
	    custom_operator_name, ti_history, dag_version,
	    created_dag_version, sla_miss, has_import_errors;
};

static const struct features features_210 = {
	.logical_date = false, .run_after = false, .is_stale = false,
	.timetable_summary = false, .timetable_description = true,
	.clear_number = true, .rendered_map_index = true,
	.custom_operator_name = true, .ti_history = true,
	.dag_version = false, .created_dag_version = false, .sla_miss = true,
	.has_import_errors = true,
};

static const struct features features_31 = {
	.logical_date = true, .run_after = true, .is_stale = true,
	.timetable_summary = true, .timetable_description = true,
	.clear_number = true, .rendered_map_index = true,
	.custom_operator_name = true, .ti_history = true,
	.dag_version = true, .created_dag_version = true, .sla_miss = false,
	.has_import_errors = true,
};

#define CHECK_FEATURE(s, f, name) do {					\
	if ((s)->name != (f)->name)					\
		fail_msg("feature " #name " is %d, want %d",		\
		    (int)(s)->name, (int)(f)->name);			\
} while (0)

static void
assert_features(const struct af_schema *s, const struct features *f)
{
	CHECK_FEATURE(s, f, logical_date);
	CHECK_FEATURE(s, f, run_after);
	CHECK_FEATURE(s, f, is_stale);
	CHECK_FEATURE(s, f, timetable_summary);
	CHECK_FEATURE(s, f, timetable_description);
	CHECK_FEATURE(s, f, clear_number);
	CHECK_FEATURE(s, f, rendered_map_index);
	CHECK_FEATURE(s, f, custom_operator_name);
	CHECK_FEATURE(s, f, ti_history);
	CHECK_FEATURE(s, f, dag_version);
	CHECK_FEATURE(s, f, created_dag_version);
	CHECK_FEATURE(s, f, sla_miss);
	CHECK_FEATURE(s, f, has_import_errors);
}

/* Runs schema_detect expecting -1 and exactly this err, no warning. */
static void
assert_refused(const struct cols *c, const char *revision, const char *want)
{
	struct af_schema	s;
	struct buf		err = BUF_INIT, warn = BUF_INIT;

	if (schema_detect(&s, c->v, c->n, revision, &err, &warn) != -1)
		fail_msg("accepted, want \"%s\"", want);
	if (strcmp(buf_str(&err), want) != 0)
		fail_msg("err \"%s\", want \"%s\"", buf_str(&err), want);
	assert_string_equal(buf_str(&warn), "");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

static void
test_schema_tables(void **state)
{
	static const char *const want[] = {
		"alembic_version", "dag", "dag_run", "task_instance",
		"serialized_dag", "job", "task_instance_history",
		"dag_version", "sla_miss", "deadline", "dataset",
		"dataset_alias", "dataset_alias_dataset", "dataset_event",
		"dataset_dag_run_queue", "dag_schedule_dataset_reference",
		"dag_schedule_dataset_alias_reference",
		"task_outlet_dataset_reference", "asset", "asset_active",
		"asset_alias", "asset_alias_asset", "asset_event",
		"asset_dag_run_queue", "dag_schedule_asset_reference",
		"dag_schedule_asset_alias_reference",
		"dag_schedule_asset_name_reference",
		"dag_schedule_asset_uri_reference", "task_outlet_asset_reference",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(want); i++) {
		assert_non_null(schema_tables[i]);
		assert_string_equal(schema_tables[i], want[i]);
	}
	assert_null(schema_tables[NELEM(want)]);
}

static void
test_schema_release(void **state)
{
	size_t	i;
	int	major;

	(void)state;
	for (i = 0; i < NELEM(revisions); i++) {
		major = -1;
		assert_string_equal(schema_release(revisions[i].revision,
		    &major), revisions[i].release);
		assert_int_equal(major, revisions[i].major);
		assert_string_equal(schema_release(revisions[i].revision,
		    NULL), revisions[i].release);
	}
	major = -1;
	assert_null(schema_release(NULL, &major));
	assert_null(schema_release("", &major));
	assert_null(schema_release("405de8318b3", &major));	/* a prefix */
	assert_null(schema_release("405DE8318B3A", &major));
	assert_null(schema_release("eaf332f43c7c", &major));
	assert_int_equal(major, -1);
}

/* Each known revision on the columns of its own major version. */
static void
test_detect_known_revisions(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(revisions); i++) {
		bool three = revisions[i].major == 3;

		assert_int_equal(schema_detect(&s, three ? cols_31 : cols_210,
		    three ? NELEM(cols_31) : NELEM(cols_210),
		    revisions[i].revision, &err, &warn), 0);
		assert_int_equal(s.major, revisions[i].major);
		assert_non_null(s.release);
		assert_string_equal(s.release, revisions[i].release);
		assert_non_null(s.revision);
		assert_string_equal(s.revision, revisions[i].revision);
		/* A copy, owned by s. */
		assert_true(s.revision != revisions[i].revision);
		assert_features(&s, three ? &features_31 : &features_210);
		assert_string_equal(buf_str(&err), "");
		assert_string_equal(buf_str(&warn), "");
		schema_clear(&s);
		assert_null(s.revision);
		assert_null(s.release);
	}
	buf_free(&err);
	buf_free(&warn);
}

/* The order columns come in does not matter. */
static void
test_detect_column_order(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct cols		 c;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(cols_31); i++)
		c.v[i] = cols_31[NELEM(cols_31) - 1 - i];
	c.n = NELEM(cols_31);
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_int_equal(s.major, 3);
	assert_features(&s, &features_31);
	assert_string_equal(buf_str(&warn), "");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

/*
 * A 2.7 database: no clear_number (2.8), rendered_map_index (2.9) or
 * task_instance_history (2.10).
 */
static void
test_detect_27_features(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct cols		 c;
	struct features		 f = features_210;

	(void)state;
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "dag_run.clear_number");
	cols_drop(&c, "task_instance.rendered_map_index");
	cols_drop(&c, "task_instance.task_display_name");
	cols_drop(&c, "task_instance.executor");
	cols_drop(&c, "dag.dag_display_name");
	cols_drop(&c, "dag.dataset_expression");
	cols_drop(&c, "dag.max_consecutive_failed_dag_runs");
	cols_drop(&c, "task_instance_history");
	assert_int_equal(schema_detect(&s, c.v, c.n, "405de8318b3a", &err,
	    &warn), 0);
	f.clear_number = false;
	f.rendered_map_index = false;
	f.ti_history = false;
	assert_int_equal(s.major, 2);
	assert_string_equal(s.release, "2.7.0-2.7.3");
	assert_features(&s, &f);
	assert_string_equal(buf_str(&warn), "");
	schema_clear(&s);

	/* dag_version needs serialized_dag.dag_version_id and the table. */
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "dag_version");
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_false(s.dag_version);
	assert_true(s.created_dag_version);
	schema_clear(&s);
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "serialized_dag.dag_version_id");
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_false(s.dag_version);
	schema_clear(&s);
	/* An upgraded 3.x database keeps its unused sla_miss table. */
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_add(&c, "sla_miss.dag_id");
	cols_add(&c, "sla_miss.task_id");
	cols_add(&c, "sla_miss.execution_date");
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_true(s.sla_miss);
	assert_false(s.deadline);
	assert_int_equal(s.major, 3);
	schema_clear(&s);
	/* 3.1 deadline alerts, with and without the missed flag. */
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_add(&c, "deadline.dagrun_id");
	cols_add(&c, "deadline.deadline_time");
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_true(s.deadline);
	assert_false(s.deadline_missed);
	schema_clear(&s);
	cols_add(&c, "deadline.missed");
	assert_int_equal(schema_detect(&s, c.v, c.n, "cc92b33c6709", &err,
	    &warn), 0);
	assert_true(s.deadline_missed);
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

static void
test_detect_unknown_revision(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;

	(void)state;
	assert_int_equal(schema_detect(&s, cols_210, NELEM(cols_210),
	    "0123456789ab", &err, &warn), 0);
	assert_int_equal(s.major, 2);
	assert_null(s.release);
	assert_string_equal(s.revision, "0123456789ab");
	assert_features(&s, &features_210);
	assert_string_equal(buf_str(&warn), "unknown Airflow schema revision "
	    "0123456789ab; reading it as Airflow 2.x from its columns\n");
	assert_string_equal(buf_str(&err), "");
	schema_clear(&s);

	buf_reset(&warn);
	assert_int_equal(schema_detect(&s, cols_31, NELEM(cols_31),
	    "eaf332f43c7c", &err, &warn), 0);
	assert_int_equal(s.major, 3);
	assert_null(s.release);
	assert_features(&s, &features_31);
	assert_string_equal(buf_str(&warn), "unknown Airflow schema revision "
	    "eaf332f43c7c; reading it as Airflow 3.x from its columns\n");
	schema_clear(&s);

	/* alembic_version exists but has no row. */
	buf_reset(&warn);
	assert_int_equal(schema_detect(&s, cols_31, NELEM(cols_31), NULL,
	    &err, &warn), 0);
	assert_int_equal(s.major, 3);
	assert_null(s.revision);
	assert_null(s.release);
	assert_string_equal(buf_str(&warn), "unknown Airflow schema revision "
	    "(alembic_version is empty); reading it as Airflow 3.x from its "
	    "columns\n");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

/*
 * Airflow 3.2 (1d6611b6ab7c): the 3.1 columns dagtop reads plus the new ones
 * (airflow32_changes.md), and the 3.2 deadline table with its missed flag
 * and without callback, callback_state and trigger_id.  Known, so no
 * "unknown Airflow schema revision" warning, and the deadline's missed
 * flag is read.
 */
/* airflow2_assets.sql (2.10): the columns of the tables dagtop reads. */
static const char *const cols_210_assets[] = {
	"dataset.id", "dataset.uri", "dataset.extra", "dataset.created_at",
	"dataset.updated_at", "dataset.is_orphaned", "dataset_alias.id",
	"dataset_alias.name", "dataset_alias_dataset.alias_id",
	"dataset_alias_dataset.dataset_id",
	"dag_schedule_dataset_reference.dataset_id",
	"dag_schedule_dataset_reference.dag_id",
	"dag_schedule_dataset_alias_reference.alias_id",
	"dag_schedule_dataset_alias_reference.dag_id",
	"task_outlet_dataset_reference.dataset_id",
	"task_outlet_dataset_reference.dag_id",
	"task_outlet_dataset_reference.task_id",
	"dataset_dag_run_queue.dataset_id",
	"dataset_dag_run_queue.target_dag_id", "dataset_event.id",
	"dataset_event.dataset_id", "dataset_event.source_task_id",
	"dataset_event.source_dag_id", "dataset_event.source_run_id",
	"dataset_event.timestamp",
};

/* airflow3_assets.sql (3.1): the same. */
static const char *const cols_31_assets[] = {
	"asset.id", "asset.name", "asset.uri", "asset.group", "asset_active.name",
	"asset_active.uri", "asset_alias.id", "asset_alias.name",
	"asset_alias_asset.alias_id", "asset_alias_asset.asset_id",
	"dag_schedule_asset_reference.asset_id",
	"dag_schedule_asset_reference.dag_id",
	"dag_schedule_asset_alias_reference.alias_id",
	"dag_schedule_asset_alias_reference.dag_id",
	"dag_schedule_asset_name_reference.name",
	"dag_schedule_asset_name_reference.dag_id",
	"dag_schedule_asset_uri_reference.uri",
	"dag_schedule_asset_uri_reference.dag_id",
	"task_outlet_asset_reference.asset_id",
	"task_outlet_asset_reference.dag_id",
	"task_outlet_asset_reference.task_id",
	"asset_dag_run_queue.asset_id", "asset_dag_run_queue.target_dag_id",
	"asset_event.id", "asset_event.asset_id", "asset_event.source_task_id",
	"asset_event.source_dag_id", "asset_event.source_run_id",
	"asset_event.timestamp",
};

static void
detect_ok(struct af_schema *s, const struct cols *c, const char *revision)
{
	struct buf err = BUF_INIT, warn = BUF_INIT;

	assert_int_equal(schema_detect(s, c->v, c->n, revision, &err, &warn),
	    0);
	assert_string_equal(buf_str(&err), "");
	buf_free(&err);
	buf_free(&warn);
}

#define ASSETS(s, word, expr, alias, refs, active) do {			\
	if ((word) == NULL)						\
		assert_null((s)->assets);				\
	else {								\
		assert_non_null((s)->assets);				\
		assert_string_equal((s)->assets, (word));		\
	}								\
	assert_int_equal((s)->asset_expression, (expr));		\
	assert_int_equal((s)->asset_aliases, (alias));			\
	assert_int_equal((s)->asset_refs, (refs));			\
	assert_int_equal((s)->asset_active, (active));			\
} while (0)

/*
 * The dependency tables, by release (airflow_dependencies.md §6): 2.10 has
 * the dataset tables, the expression and the aliases; 2.9 no aliases; 2.7
 * and 2.8 no expression either; 3.x the asset tables with name/uri
 * references and asset_active; a set missing a table is no set.
 */
static void
test_detect_assets(void **state)
{
	struct af_schema	 s;
	struct cols		 c;
	size_t			 i;

	(void)state;
	/* Without the tables (the core schemas alone): none. */
	cols_from(&c, cols_210, NELEM(cols_210));
	detect_ok(&s, &c, "5f2621c13b39");
	ASSETS(&s, NULL, false, false, false, false);
	schema_clear(&s);

	for (i = 0; i < NELEM(cols_210_assets); i++)
		cols_add(&c, cols_210_assets[i]);
	detect_ok(&s, &c, "5f2621c13b39");
	ASSETS(&s, "dataset", true, true, false, true);
	schema_clear(&s);
	cols_drop(&c, "dataset_alias_dataset");		/* 2.9 */
	detect_ok(&s, &c, "686269002441");
	ASSETS(&s, "dataset", true, false, false, true);
	schema_clear(&s);
	cols_drop(&c, "dag.dataset_expression");	/* 2.7, 2.8 */
	detect_ok(&s, &c, "405de8318b3a");
	ASSETS(&s, "dataset", false, false, false, true);
	schema_clear(&s);
	cols_drop(&c, "dataset.is_orphaned");
	detect_ok(&s, &c, "405de8318b3a");
	ASSETS(&s, "dataset", false, false, false, false);
	schema_clear(&s);
	cols_drop(&c, "dataset_event");
	detect_ok(&s, &c, "405de8318b3a");
	ASSETS(&s, NULL, false, false, false, false);
	schema_clear(&s);

	cols_from(&c, cols_31, NELEM(cols_31));
	for (i = 0; i < NELEM(cols_31_assets); i++)
		cols_add(&c, cols_31_assets[i]);
	detect_ok(&s, &c, "cc92b33c6709");
	ASSETS(&s, "asset", true, true, true, true);
	schema_clear(&s);
	cols_drop(&c, "asset_active");
	cols_drop(&c, "dag_schedule_asset_uri_reference.uri");
	detect_ok(&s, &c, "cc92b33c6709");
	ASSETS(&s, "asset", true, true, false, false);
	schema_clear(&s);
	cols_drop(&c, "task_outlet_asset_reference.task_id");
	detect_ok(&s, &c, "cc92b33c6709");
	ASSETS(&s, NULL, false, false, false, false);
	schema_clear(&s);
}

static void
test_detect_32(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct cols		 c;
	int			 major = 0;

	(void)state;
	assert_string_equal(schema_release("1d6611b6ab7c", &major),
	    "3.2.0-3.2.1");
	assert_int_equal(major, 3);
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_add(&c, "dag.timetable_type");
	cols_add(&c, "dag.fail_fast");
	cols_add(&c, "dag.exceeds_max_non_backfill");
	cols_add(&c, "dag.timetable_partitioned");
	cols_add(&c, "dag.allowed_run_types");
	cols_add(&c, "dag_run.partition_key");
	cols_add(&c, "dag_run.partition_date");
	cols_add(&c, "dag_run.created_at");
	cols_add(&c, "slot_pool.team_name");
	cols_add(&c, "deadline.id");
	cols_add(&c, "deadline.dagrun_id");
	cols_add(&c, "deadline.deadline_time");
	cols_add(&c, "deadline.missed");
	cols_add(&c, "deadline.callback_id");
	cols_add(&c, "deadline.deadline_alert_id");
	cols_add(&c, "deadline.created_at");
	cols_add(&c, "deadline.last_updated_at");
	assert_int_equal(schema_detect(&s, c.v, c.n, "1d6611b6ab7c", &err,
	    &warn), 0);
	assert_int_equal(s.major, 3);
	assert_string_equal(s.release, "3.2.0-3.2.1");
	assert_string_equal(s.revision, "1d6611b6ab7c");
	assert_features(&s, &features_31);
	assert_true(s.deadline);
	assert_true(s.deadline_missed);
	assert_string_equal(buf_str(&warn), "");
	assert_string_equal(buf_str(&err), "");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

/* Revision says one major, columns the other: the columns win, with a note. */
static void
test_detect_major_disagrees(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct buf		 want = BUF_INIT;
	size_t			 i;

	(void)state;
	for (i = 0; i < NELEM(revisions); i++) {
		bool three = revisions[i].major == 3;

		buf_reset(&warn);
		buf_reset(&want);
		assert_int_equal(schema_detect(&s, three ? cols_210 : cols_31,
		    three ? NELEM(cols_210) : NELEM(cols_31),
		    revisions[i].revision, &err, &warn), 0);
		assert_int_equal(s.major, three ? 2 : 3);
		assert_features(&s, three ? &features_210 : &features_31);
		assert_string_equal(s.release, revisions[i].release);
		buf_printf(&want, "alembic revision %s is Airflow %s but the "
		    "columns look like Airflow %d.x; going by the columns\n",
		    revisions[i].revision, revisions[i].release,
		    three ? 2 : 3);
		assert_string_equal(buf_str(&warn), buf_str(&want));
		assert_string_equal(buf_str(&err), "");
		schema_clear(&s);
	}
	buf_free(&err);
	buf_free(&warn);
	buf_free(&want);
}

static void
test_detect_missing_tables(void **state)
{
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct cols		 c;

	(void)state;
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "job");
	assert_refused(&c, "5f2621c13b39", NOT_AIRFLOW "no table job");

	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "dag_run");
	cols_drop(&c, "job");
	assert_refused(&c, "cc92b33c6709", NOT_AIRFLOW "no table dag_run, job");

	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "alembic_version");
	assert_refused(&c, NULL, NOT_AIRFLOW "no table alembic_version");

	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "serialized_dag");
	cols_drop(&c, "task_instance");
	assert_refused(&c, "cc92b33c6709",
	    NOT_AIRFLOW "no table task_instance, serialized_dag");

	/* Only dag: every other core table named, in order. */
	c.n = 0;
	cols_add(&c, "dag.dag_id");
	cols_add(&c, "dag.is_paused");
	assert_refused(&c, NULL, NOT_AIRFLOW "no table alembic_version, "
	    "dag_run, task_instance, serialized_dag, job");

	/* A table whose name only starts like one of ours is not it. */
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "job");
	cols_add(&c, "jobs.id");
	cols_add(&c, "job_run.state");
	cols_add(&c, "job");
	assert_refused(&c, "5f2621c13b39", NOT_AIRFLOW "no table job");

	/* The optional tables may all be missing. */
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "task_instance_history");
	cols_drop(&c, "sla_miss");
	assert_int_equal(schema_detect(&s, c.v, c.n, "22ed7efa9da2", &err,
	    &warn), 0);
	assert_false(s.ti_history);
	assert_false(s.sla_miss);
	assert_string_equal(buf_str(&err), "");
	schema_clear(&s);
	buf_free(&err);
	buf_free(&warn);
}

static void
test_detect_missing_columns(void **state)
{
	struct cols c;

	(void)state;
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "task_instance.hostname");
	assert_refused(&c, "5f2621c13b39", LACK "task_instance.hostname");

	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "serialized_dag.data_compressed");
	assert_refused(&c, "cc92b33c6709",
	    LACK "serialized_dag.data_compressed");

	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "dag_run.execution_date");
	assert_refused(&c, "5f2621c13b39",
	    LACK "dag_run.execution_date (or logical_date)");
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "dag_run.logical_date");
	assert_refused(&c, "cc92b33c6709",
	    LACK "dag_run.execution_date (or logical_date)");

	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "dag.is_active");
	assert_refused(&c, "5f2621c13b39", LACK "dag.is_active (or is_stale)");
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "dag.is_stale");
	assert_refused(&c, "cc92b33c6709", LACK "dag.is_active (or is_stale)");

	/* Several: all named, comma separated. */
	cols_from(&c, cols_210, NELEM(cols_210));
	cols_drop(&c, "dag.dag_id");
	cols_drop(&c, "job.latest_heartbeat");
	cols_drop(&c, "dag.is_active");
	assert_refused(&c, "5f2621c13b39", LACK "dag.dag_id, "
	    "job.latest_heartbeat, dag.is_active (or is_stale)");

	/* A table that is there with only one column. */
	cols_from(&c, cols_31, NELEM(cols_31));
	cols_drop(&c, "job");
	cols_add(&c, "job.id");
	assert_refused(&c, "cc92b33c6709", LACK "job.job_type, job.state, "
	    "job.latest_heartbeat, job.hostname");
}

/*
 * Every single column of both schemas: without it, schema_detect either
 * still succeeds or names exactly that column.
 */
static void
test_detect_each_column_missing(void **state)
{
	static const struct {
		const char *const	*v;
		size_t			 n;
		const char		*revision;
	} sets[] = {
		{ cols_210, NELEM(cols_210), "5f2621c13b39" },
		{ cols_31, NELEM(cols_31), "cc92b33c6709" },
	};
	struct af_schema	 s;
	struct buf		 err = BUF_INIT, warn = BUF_INIT;
	struct buf		 want = BUF_INIT;
	struct cols		 c;
	size_t			 i, k, refused = 0;

	(void)state;
	for (k = 0; k < NELEM(sets); k++) {
		for (i = 0; i < sets[k].n; i++) {
			const char *col = sets[k].v[i];

			cols_from(&c, sets[k].v, sets[k].n);
			cols_drop(&c, col);
			buf_reset(&err);
			buf_reset(&want);
			if (schema_detect(&s, c.v, c.n, sets[k].revision, &err,
			    &warn) == 0) {
				assert_string_equal(buf_str(&err), "");
				schema_clear(&s);
				continue;
			}
			refused++;
			if (strcmp(col, "alembic_version.version_num") == 0)
				buf_puts(&want, NOT_AIRFLOW
				    "no table alembic_version");
			else if (strcmp(col, "dag_run.execution_date") == 0 ||
			    strcmp(col, "dag_run.logical_date") == 0)
				buf_puts(&want, LACK "dag_run.execution_date "
				    "(or logical_date)");
			else if (strcmp(col, "dag.is_active") == 0 ||
			    strcmp(col, "dag.is_stale") == 0)
				buf_puts(&want, LACK "dag.is_active (or "
				    "is_stale)");
			else
				buf_printf(&want, LACK "%s", col);
			if (strcmp(buf_str(&err), buf_str(&want)) != 0)
				fail_msg("without %s: err \"%s\", want \"%s\"",
				    col, buf_str(&err), buf_str(&want));
			schema_clear(&s);
		}
	}
	/* 37 required columns + the two either-or pairs + alembic, twice. */
	assert_int_equal(refused, 2 * (37 + 2 + 1));
	buf_free(&err);
	buf_free(&warn);
	buf_free(&want);
}

static void
test_detect_no_airflow_tables(void **state)
{
	static const char *const other[] = {
		"users.id", "users.name", "orders.id", "dags.dag_id",
		"pg_stat_activity.pid",
	};
	static const char msg[] = NOT_AIRFLOW "none of the tables "
	    "alembic_version, dag, dag_run, task_instance, serialized_dag, job "
	    "is visible (wrong database or schema, or no SELECT privilege)";
	struct cols c;

	(void)state;
	cols_from(&c, other, NELEM(other));
	assert_refused(&c, NULL, msg);
	c.n = 0;
	assert_refused(&c, NULL, msg);
	assert_refused(&c, "5f2621c13b39", msg);
	/* Optional tables alone do not make an Airflow database. */
	cols_add(&c, "sla_miss.dag_id");
	cols_add(&c, "dag_version.id");
	cols_add(&c, "task_instance_history.id");
	assert_refused(&c, NULL, msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_tables),
		cmocka_unit_test(test_schema_release),
		cmocka_unit_test(test_detect_known_revisions),
		cmocka_unit_test(test_detect_column_order),
		cmocka_unit_test(test_detect_27_features),
		cmocka_unit_test(test_detect_unknown_revision),
		cmocka_unit_test(test_detect_32),
		cmocka_unit_test(test_detect_assets),
		cmocka_unit_test(test_detect_major_disagrees),
		cmocka_unit_test(test_detect_missing_tables),
		cmocka_unit_test(test_detect_missing_columns),
		cmocka_unit_test(test_detect_each_column_missing),
		cmocka_unit_test(test_detect_no_airflow_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
