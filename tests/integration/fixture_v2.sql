-- Fixture helpers for the Airflow 2.10 schema.  fixture.sql states the facts
-- once through these functions; fixture_v3.sql has the same signatures.
CREATE FUNCTION fx_dag(p_id text, p_paused bool, p_active bool, p_errors bool,
                       p_schedule text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag (dag_id, is_paused, is_subdag, is_active, fileloc, owners,
                   schedule_interval, timetable_description, max_active_tasks,
                   max_active_runs, max_consecutive_failed_dag_runs,
                   has_task_concurrency_limits, has_import_errors, next_dagrun,
                   next_dagrun_data_interval_start, next_dagrun_data_interval_end,
                   next_dagrun_create_after)
  VALUES (p_id, p_paused, false, p_active, '/dags/' || p_id || '.py', 'data-eng',
          CASE WHEN p_schedule IS NULL THEN 'null' ELSE to_json(p_schedule)::text END,
          'At 02:00', 16, 16, 0, false, p_errors,
          date_trunc('day', now()), date_trunc('day', now()),
          date_trunc('day', now()) + interval '1 day',
          date_trunc('day', now()) + interval '1 day')
$$;

CREATE FUNCTION fx_run(p_dag text, p_run text, p_state text, p_type text,
                       p_logical timestamptz, p_start timestamptz,
                       p_end timestamptz) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, execution_date,
                       queued_at, start_date, end_date, data_interval_start,
                       data_interval_end, external_trigger, log_template_id,
                       clear_number)
  VALUES (p_dag, p_run, p_state, p_type, p_logical, p_start, p_start, p_end,
          p_logical, p_logical + interval '1 day', p_type = 'manual', NULL, 0)
$$;

-- A run triggered by hand at p_trigger, as 2.x makes one: its
-- execution_date is the trigger time, its data interval the last complete
-- one (the day from p_interval, the latest scheduled run's), so its data
-- interval end ties with that run's.
CREATE FUNCTION fx_manual(p_dag text, p_run text, p_state text,
                          p_trigger timestamptz, p_interval timestamptz,
                          p_start timestamptz, p_end timestamptz)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, execution_date,
                       queued_at, start_date, end_date, data_interval_start,
                       data_interval_end, external_trigger, log_template_id,
                       clear_number)
  VALUES (p_dag, p_run, p_state, 'manual', p_trigger, p_trigger, p_start,
          p_end, p_interval, p_interval + interval '1 day', true, NULL, 0)
$$;

CREATE FUNCTION fx_ti(p_dag text, p_run text, p_task text, p_map int,
                      p_state text, p_try int, p_max int, p_start timestamptz,
                      p_end timestamptz, p_operator text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO task_instance (dag_id, run_id, task_id, map_index, state,
                             try_number, max_tries, start_date, end_date,
                             duration, pool, pool_slots, queue, operator,
                             hostname, unixname, priority_weight)
  VALUES (p_dag, p_run, p_task, p_map, p_state, p_try, p_max, p_start, p_end,
          extract(epoch FROM p_end - p_start), 'default_pool', 1, 'default',
          p_operator, 'worker-1', 'airflow', 1)
$$;

CREATE FUNCTION fx_serdag(p_dag text, p_json text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO serialized_dag (dag_id, fileloc, fileloc_hash, data,
                              last_updated, dag_hash)
  VALUES (p_dag, '/dags/x.py', 1, p_json::json, now(), md5(p_json))
$$;

-- 2.x encodes tasks with "_task_type" and writes empty downstream lists.
CREATE FUNCTION fx_task(p_id text, p_type text, p_down text[], p_mapped bool,
                        p_wrapped bool) RETURNS json LANGUAGE sql AS $$
  SELECT CASE WHEN p_wrapped
         THEN json_build_object('__type', 'operator', '__var', t)
         ELSE t END
  FROM (SELECT (json_build_object('task_id', p_id, '_task_type', p_type,
                 '_task_module', 'airflow.operators.bash',
                 'downstream_task_ids', to_json(p_down), 'retries', 2)::jsonb
               || CASE WHEN p_mapped THEN '{"_is_mapped": true}'::jsonb
                  ELSE '{}'::jsonb END)::json AS t) x
$$;

CREATE FUNCTION fx_document(p_dag text, p_tasks json[]) RETURNS text
LANGUAGE sql AS $$
  SELECT json_build_object('__version', 1, 'dag',
         json_build_object('_dag_id', p_dag, 'fileloc', '/dags/x.py',
                           'timezone', 'UTC', 'tasks', to_json(p_tasks)))::text
$$;
