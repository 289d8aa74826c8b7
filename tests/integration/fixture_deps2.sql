-- Dependencies across DAGs (issue 19): one scenario, fixture_deps.sql,
-- written through the dx_* helpers here for the Airflow 2.10 dataset
-- tables; fixture_deps3.sql has the same helpers for the 3.1 asset
-- ones, so the facts are the same.  Load after fixture_v2.sql for its
-- fx_* helpers, into a database of its own (tests/integration/run.sh:
-- af<schema>_deps).  Times are fixed: the failure is at 2026-03-10 03:12
-- UTC.
--
--   ingest_orders (0 1 * * *): extract -> load -> publish
--       load writes bq://dwh/orders; publish emits through alias
--       orders_alias (serialized DAG only), which resolved to
--       bq://dwh/orders_snapshot
--   ingest_customers (0 2 * * *): load writes bq://dwh/customers
--   sales_mart: orders & customers (all); build -> kick, a
--       TriggerDagRunOperator on exports (its older version on 3.x triggered
--       exports_old: only the newest serialized DAG counts)
--   finance_mart: orders | customers (any)
--   alias_mart: on alias orders_alias
--   report_x (0 6 * * *): ExternalTaskSensor wait_sales on sales_mart; its
--       serialized DAG is stored compressed (data_compressed, zlib)
--   exports (None): push writes bq://dwh/exports
--   archive (paused): on exports
--   cyc_a <-> cyc_b: each scheduled on what the other writes (a cycle)
--   old_mart (inactive / stale): on orders, references left behind
--   ghost_mart: on bq://dwh/ghost, which no task writes, and a sensor on
--       legacy_dag, which Airflow does not know (both dangling)
--   bq://dwh/legacy: no reference, orphaned (not active)
--
-- Runs: ingest_orders' newest run (scheduled__2026-03-09T01:00:00+00:00,
-- due 03-10 01:00) failed at 03:12, load failed on try 3 of 3 (max_tries
-- 2); its 11 earlier runs succeeded (median of the newest 10: 1230 s).  orders was last updated 2026-03-09 01:12 by
-- ingest_orders.load (run scheduled__2026-03-08T01:00:00+00:00), 26 h before
-- the failure; customers at 2026-03-10 02:08, already queued for
-- sales_mart; finance_mart ran on it at 02:08:30.
--
-- Expected, worked out by hand:
--   Impact of ingest_orders.load failing: task publish (downstream in the
--   DAG); assets bq://dwh/orders (load) and alias orders_alias (publish)
--   with bq://dwh/orders_snapshot, which only publish writes through it;
--   DAGs held back: sales_mart (all: orders is one branch), alias_mart
--   (alias), old_mart (inactive, marked), then through sales_mart: report_x
--   (sensor wait_sales), exports (trigger kick), and through exports'
--   bq://dwh/exports: archive (paused, marked).  finance_mart is NOT held
--   back: it is an any and customers still feeds it.  cyc_a, cyc_b and
--   ghost_mart are untouched; the cycle and the dangling schedule/sensor are
--   named in the graph's warnings.
--   Root cause of sales_mart (upstream): customers is queued, orders is not;
--   "sales_mart waits for asset bq://dwh/orders, last updated 26h ago by
--   ingest_orders.load, which failed at 03:12, try 3/3" (now = the failure).

-- ---------------------------------------------------------------------
-- Helpers, 2.10 spelling (dataset tables).  fixture_deps3.sql has the same
-- signatures for the 3.1 asset tables.
-- ---------------------------------------------------------------------

-- Explicit ids, the same on both schemas; the sequences follow.
CREATE FUNCTION dx_asset(p_id int, p_uri text, p_active bool) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dataset (id, uri, extra, created_at, updated_at, is_orphaned)
  VALUES (p_id, p_uri, '{}', '2026-01-01 00:00+00', '2026-01-01 00:00+00',
          NOT p_active);
  SELECT setval(pg_get_serial_sequence('dataset', 'id'), max(id)) FROM dataset;
$$;

CREATE FUNCTION dx_alias(p_id int, p_name text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dataset_alias (id, name) VALUES (p_id, p_name);
  INSERT INTO dataset_alias_dataset (alias_id, dataset_id)
  SELECT p_id, id FROM dataset WHERE uri = p_uri;
  SELECT setval(pg_get_serial_sequence('dataset_alias', 'id'), max(id)) FROM dataset_alias;
$$;

-- Expressions as 2.10's as_expression writes them: a dataset is its URI.
CREATE FUNCTION dx_ref(p_uri text) RETURNS json LANGUAGE sql AS $$
  SELECT to_json(p_uri)
$$;
CREATE FUNCTION dx_alias_ref(p_name text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('alias', p_name)
$$;
CREATE FUNCTION dx_all(VARIADIC p json[]) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('all', to_json(p))
$$;
CREATE FUNCTION dx_any(VARIADIC p json[]) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('any', to_json(p))
$$;

-- p_schedule: a cron expression, 'asset' (scheduled on datasets) or NULL
-- (None: triggered only).  What 2.10 stores: schedule_interval is the
-- timetable's summary JSON-encoded ("Dataset" for a dataset schedule, null
-- for None), and the description Airflow renders.
CREATE FUNCTION dx_dag(p_id text, p_paused bool, p_active bool,
                       p_schedule text, p_expr json, p_next timestamptz)
RETURNS void LANGUAGE sql AS $$
  SELECT fx_dag(p_id, p_paused, p_active, false,
                CASE WHEN p_schedule = 'asset' THEN 'Dataset' ELSE p_schedule END);
  UPDATE dag SET dataset_expression = p_expr,
         timetable_description = CASE
             WHEN p_schedule = 'asset' THEN 'Triggered by datasets'
             WHEN p_schedule IS NULL THEN 'Never, external triggers only'
             ELSE 'At ' || split_part(p_schedule, ' ', 2) || ':00' END,
         next_dagrun = p_next - interval '1 day',
         next_dagrun_data_interval_start = p_next - interval '1 day',
         next_dagrun_data_interval_end = p_next,
         next_dagrun_create_after = p_next
   WHERE dag_id = p_id;
$$;

CREATE FUNCTION dx_outlet(p_dag text, p_task text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO task_outlet_dataset_reference (dataset_id, dag_id, task_id,
                                             created_at, updated_at)
  SELECT id, p_dag, p_task, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM dataset WHERE uri = p_uri
$$;

CREATE FUNCTION dx_schedule(p_dag text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dag_schedule_dataset_reference (dataset_id, dag_id, created_at,
                                              updated_at)
  SELECT id, p_dag, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM dataset WHERE uri = p_uri
$$;

CREATE FUNCTION dx_schedule_alias(p_dag text, p_name text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dag_schedule_dataset_alias_reference (alias_id, dag_id,
                                                    created_at, updated_at)
  SELECT id, p_dag, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM dataset_alias WHERE name = p_name
$$;

-- dag_dependencies entries (DependencyDetector, 2.10).
CREATE FUNCTION dx_dep(p_source text, p_target text, p_type text, p_id text)
RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('source', p_source, 'target', p_target,
                           'dependency_type', p_type, 'dependency_id', p_id)
$$;
CREATE FUNCTION dx_dep_out(p_dag text, p_uri text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep(p_dag, 'dataset', 'dataset', p_uri) $$;
CREATE FUNCTION dx_dep_in(p_dag text, p_uri text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep('dataset', p_dag, 'dataset', p_uri) $$;
CREATE FUNCTION dx_dep_alias_out(p_dag text, p_name text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep(p_dag, 'dataset-alias', 'dataset-alias', p_name) $$;
CREATE FUNCTION dx_dep_alias_in(p_dag text, p_name text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep('dataset-alias', p_dag, 'dataset-alias', p_name) $$;
CREATE FUNCTION dx_dep_sensor(p_waited text, p_dag text, p_task text)
RETURNS json LANGUAGE sql AS $$ SELECT dx_dep(p_waited, p_dag, 'sensor', p_task) $$;
CREATE FUNCTION dx_dep_trigger(p_dag text, p_target text, p_task text)
RETURNS json LANGUAGE sql AS $$ SELECT dx_dep(p_dag, p_target, 'trigger', p_task) $$;

-- A serialized task's outlets (2.10: "dataset", "dataset_alias"); the alias
-- outlets are only here, never in task_outlet_dataset_reference.
CREATE FUNCTION dx_out_asset(p_uri text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('__type', 'dataset', '__var',
                           json_build_object('uri', p_uri, 'extra', '{}'::json))
$$;
CREATE FUNCTION dx_out_alias(p_name text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('__type', 'dataset_alias', '__var',
                           json_build_object('name', p_name))
$$;

-- fx_task's task (wrapped) with these outlets.
CREATE FUNCTION dx_outlets(p_task json, VARIADIC p_outlets json[]) RETURNS json
LANGUAGE sql AS $$
  SELECT jsonb_set(p_task::jsonb, '{__var,outlets}', to_jsonb(p_outlets))::json
$$;

-- One row per DAG on 2.x: a newer serialization replaces the row.
CREATE FUNCTION dx_serdag(p_dag text, p_tasks json[], p_deps json[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO serialized_dag (dag_id, fileloc, fileloc_hash, data,
                              last_updated, dag_hash)
  SELECT p_dag, '/dags/' || p_dag || '.py', 1, doc::json,
         '2026-03-01 00:00+00', md5(doc)
    FROM (SELECT jsonb_set(fx_document(p_dag, p_tasks)::jsonb,
                           '{dag,dag_dependencies}', to_jsonb(p_deps))::text
                 AS doc) x
  ON CONFLICT (dag_id) DO UPDATE SET data = EXCLUDED.data,
                                     dag_hash = EXCLUDED.dag_hash
$$;

-- [core] compress_serialized_dags: data NULL, the zlib stream of this text
-- in data_compressed (made with Python's zlib.compress):
-- {"__version": 1, "dag": {"_dag_id": "report_x", "fileloc": "/dags/report_x.py", "timezone": "UTC", "tasks": [{"task_id": "wait_sales", "_task_type": "ExternalTaskSensor", "_task_module": "airflow.sensors.external_task", "downstream_task_ids": ["render"], "retries": 2}, {"task_id": "render", "_task_type": "BashOperator", "_task_module": "airflow.operators.bash", "downstream_task_ids": [], "retries": 2}], "dag_dependencies": [{"source": "sales_mart", "target": "report_x", "dependency_type": "sensor", "dependency_id": "wait_sales"}]}}
CREATE FUNCTION dx_serdag_compressed(p_dag text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO serialized_dag (dag_id, fileloc, fileloc_hash, data,
                              data_compressed, last_updated, dag_hash)
  VALUES (p_dag, '/dags/' || p_dag || '.py', 1, NULL,
          decode('789c7d91414fc3300c85ff4a9573d5098e1c419c39304ea88ab2c61b11691cd9195d57f5bf93a4a1c026ede6f87d2f79b12721e517101b74e2a1baab2ba1d521569390b19046c75a1078a4204f22ca7b63c16297da9b48f0e6476cfc98f4607a38a38304bc6d9f724bf127c7f3fb94cb72e9a04c90ac2c70626456c2e8b3f1f914809cb2dbd87c05c748bf4c8ffa6833a50ced2d0e0d67821b28aecc2583c6c1712050bd2c0fe718f13f4e0389b64e5f0b6420b5efe7bafa17b05057e11e157fbc7820156ec7c2c270b38b8e1b792e73b4cb16a4069f22b86e11e2f8188fd4e547f2e064af282c13a60384cb55adfe71cdceeb30ff8857fb98db79fe0627d4b65a', 'hex'), '2026-03-01 00:00+00',
          md5(p_dag))
$$;

-- p_type: scheduled, asset (dataset_triggered) or manual; p_at: see below.
CREATE FUNCTION dx_run(p_dag text, p_run text, p_state text, p_type text,
                       p_at timestamptz, p_start timestamptz,
                       p_end timestamptz) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, execution_date,
                       queued_at, start_date, end_date, data_interval_start,
                       data_interval_end, external_trigger, log_template_id,
                       clear_number)
  SELECT p_dag, p_run, p_state, t, e, p_at, p_start, p_end, e,
         CASE WHEN p_type = 'scheduled' THEN p_at ELSE e END,
         p_type = 'manual', NULL, 0
    FROM (SELECT CASE p_type WHEN 'asset' THEN 'dataset_triggered'
                 ELSE p_type END AS t,
                 CASE WHEN p_type = 'scheduled' THEN p_at - interval '1 day'
                 ELSE p_at END AS e) x
$$;

CREATE FUNCTION dx_event(p_uri text, p_dag text, p_task text, p_run text,
                         p_at timestamptz, p_alias text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE ev int;
BEGIN
  INSERT INTO dataset_event (dataset_id, extra, source_task_id, source_dag_id,
                             source_run_id, source_map_index, timestamp)
  SELECT id, '{}', p_task, p_dag, p_run, -1, p_at FROM dataset
   WHERE uri = p_uri RETURNING id INTO ev;
  IF p_alias IS NOT NULL THEN
    INSERT INTO dataset_alias_dataset_event (alias_id, event_id)
    SELECT id, ev FROM dataset_alias WHERE name = p_alias;
  END IF;
END $$;

CREATE FUNCTION dx_queue(p_uri text, p_dag text, p_at timestamptz)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO dataset_dag_run_queue (dataset_id, target_dag_id, created_at)
  SELECT id, p_dag, p_at FROM dataset WHERE uri = p_uri
$$;

-- ---------------------------------------------------------------------
-- The scenario, the same for both schemas: fixture_deps.sql.
-- ---------------------------------------------------------------------
\ir fixture_deps.sql
