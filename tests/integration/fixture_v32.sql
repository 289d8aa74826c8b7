-- Fixture helpers for the Airflow 3.2 schema (same signatures as
-- fixture_v2.sql): 3.1's, with what 3.2 requires of a writer
-- (airflow32_changes.md).  serialized_dag.data is JSONB now: fx_serdag's
-- json value is cast on assignment, as Airflow's own JSON text is.
\ir fixture_v3.sql

-- dag.timetable_type is NOT NULL without a default (0100): the DAG
-- processor writes the timetable's type name.
CREATE OR REPLACE FUNCTION fx_dag(p_id text, p_paused bool, p_active bool,
                                  p_errors bool, p_schedule text)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag (dag_id, is_paused, is_stale, fileloc, relative_fileloc,
                   bundle_name, owners, timetable_summary, timetable_description,
                   timetable_type, max_active_tasks, max_active_runs,
                   max_consecutive_failed_dag_runs, has_task_concurrency_limits,
                   has_import_errors, next_dagrun, next_dagrun_data_interval_start,
                   next_dagrun_data_interval_end, next_dagrun_create_after)
  VALUES (p_id, p_paused, NOT p_active, '/dags/' || p_id || '.py', p_id || '.py',
          'dags-folder', 'data-eng', coalesce(p_schedule, 'None'), 'At 02:00',
          CASE WHEN p_schedule IS NULL THEN 'NullTimetable'
               ELSE 'CronTriggerTimetable' END,
          16, 16, 0, false, p_errors,
          date_trunc('day', now()), date_trunc('day', now()),
          date_trunc('day', now()) + interval '1 day',
          date_trunc('day', now()) + interval '1 day')
$$;
