-- Fixture helpers for the Airflow 3.1 schema (same signatures as fixture_v2.sql).
INSERT INTO dag_bundle (name, active) VALUES ('dags-folder', true);

CREATE FUNCTION fx_dag(p_id text, p_paused bool, p_active bool, p_errors bool,
                       p_schedule text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag (dag_id, is_paused, is_stale, fileloc, relative_fileloc,
                   bundle_name, owners, timetable_summary, timetable_description,
                   max_active_tasks, max_active_runs,
                   max_consecutive_failed_dag_runs, has_task_concurrency_limits,
                   has_import_errors, next_dagrun, next_dagrun_data_interval_start,
                   next_dagrun_data_interval_end, next_dagrun_create_after)
  VALUES (p_id, p_paused, NOT p_active, '/dags/' || p_id || '.py', p_id || '.py',
          'dags-folder', 'data-eng', coalesce(p_schedule, 'None'), 'At 02:00',
          16, 16, 0, false, p_errors,
          date_trunc('day', now()), date_trunc('day', now()),
          date_trunc('day', now()) + interval '1 day',
          date_trunc('day', now()) + interval '1 day')
$$;

-- run_after is the end of the data interval for scheduled runs and the
-- trigger time for manual ones, whose logical date may be NULL.
CREATE FUNCTION fx_run(p_dag text, p_run text, p_state text, p_type text,
                       p_logical timestamptz, p_start timestamptz,
                       p_end timestamptz) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date,
                       run_after, queued_at, start_date, end_date,
                       data_interval_start, data_interval_end, triggered_by,
                       clear_number, created_dag_version_id)
  VALUES (p_dag, p_run, p_state, p_type,
          CASE WHEN p_type = 'manual' THEN NULL ELSE p_logical END,
          CASE WHEN p_type = 'manual' THEN p_logical
               ELSE p_logical + interval '1 day' END,
          p_start, p_start, p_end, p_logical, p_logical + interval '1 day',
          CASE WHEN p_type = 'manual' THEN 'ui' ELSE 'timetable' END, 0,
          (SELECT v.id FROM dag_version v WHERE v.dag_id = p_dag
           ORDER BY v.version_number DESC LIMIT 1))
$$;

-- A run triggered by hand at p_trigger, as 3.x makes one from the UI: its
-- logical date and run_after are the trigger time, its data interval the
-- last complete one (the day from p_interval).
CREATE FUNCTION fx_manual(p_dag text, p_run text, p_state text,
                          p_trigger timestamptz, p_interval timestamptz,
                          p_start timestamptz, p_end timestamptz)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date,
                       run_after, queued_at, start_date, end_date,
                       data_interval_start, data_interval_end, triggered_by,
                       clear_number, created_dag_version_id)
  VALUES (p_dag, p_run, p_state, 'manual', p_trigger, p_trigger, p_trigger,
          p_start, p_end, p_interval, p_interval + interval '1 day', 'ui', 0,
          (SELECT v.id FROM dag_version v WHERE v.dag_id = p_dag
           ORDER BY v.version_number DESC LIMIT 1))
$$;

CREATE FUNCTION fx_ti(p_dag text, p_run text, p_task text, p_map int,
                      p_state text, p_try int, p_max int, p_start timestamptz,
                      p_end timestamptz, p_operator text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO task_instance (id, dag_id, run_id, task_id, map_index, state,
                             try_number, max_tries, start_date, end_date,
                             duration, pool, pool_slots, queue, operator,
                             hostname, unixname, priority_weight)
  VALUES (gen_random_uuid(), p_dag, p_run, p_task, p_map, p_state, p_try,
          p_max, p_start, p_end, extract(epoch FROM p_end - p_start),
          'default_pool', 1, 'default', p_operator, 'worker-1', 'airflow', 1)
$$;

-- One row per DAG version: each call adds a version.
CREATE FUNCTION fx_serdag(p_dag text, p_json text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v uuid := gen_random_uuid(); n int;
BEGIN
  SELECT coalesce(max(version_number), 0) + 1 INTO n FROM dag_version
   WHERE dag_id = p_dag;
  INSERT INTO dag_version (id, version_number, dag_id, bundle_name, created_at,
                           last_updated)
  VALUES (v, n, p_dag, 'dags-folder', now() + n * interval '1 ms', now());
  INSERT INTO serialized_dag (id, dag_id, data, created_at, last_updated,
                              dag_hash, dag_version_id)
  VALUES (gen_random_uuid(), p_dag, p_json::json, now() + n * interval '1 ms',
          now(), md5(p_json), v);
END $$;

-- 3.x: "task_type", and an empty downstream list is left out.
CREATE FUNCTION fx_task(p_id text, p_type text, p_down text[], p_mapped bool,
                        p_wrapped bool) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('__type', 'operator', '__var',
    (json_build_object('task_id', p_id, 'task_type', p_type,
      '_task_module', 'airflow.providers.standard.operators.bash')::jsonb
     || CASE WHEN cardinality(p_down) > 0
        THEN jsonb_build_object('downstream_task_ids', to_jsonb(p_down))
        ELSE '{}'::jsonb END
     || CASE WHEN p_mapped THEN '{"_is_mapped": true}'::jsonb
        ELSE '{}'::jsonb END)::json)
$$;

CREATE FUNCTION fx_document(p_dag text, p_tasks json[]) RETURNS text
LANGUAGE sql AS $$
  SELECT json_build_object('__version', 3, 'dag',
         json_build_object('dag_id', p_dag, 'fileloc', '/dags/x.py',
                           'timezone', 'UTC', 'tasks', to_json(p_tasks)))::text
$$;
