-- Dependencies across DAGs (issue 19): one scenario, fixture_deps.sql,
-- written through the dx_* helpers here for the Airflow 3.1 asset
-- tables; fixture_deps2.sql has the same helpers for the 2.10 dataset
-- ones, so the facts are the same.  Load after fixture_v3.sql (3.2:
-- fixture_v32.sql) for its fx_* helpers and the dag_bundle row, into a
-- database of its own (tests/integration/run.sh: af<schema>_deps).
-- Times are fixed: the failure is at 2026-03-10 03:12 UTC.
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
-- Helpers, 3.1 spelling (asset tables).  fixture_deps2.sql has the same
-- signatures for the 2.10 dataset tables.  An asset's name is its URI, as
-- Asset("bq://...") makes it, so answers read the same on both.
-- ---------------------------------------------------------------------

-- Explicit ids, the same on both schemas; the sequences follow.
CREATE FUNCTION dx_asset(p_id int, p_uri text, p_active bool) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO asset (id, name, uri, "group", extra, created_at, updated_at)
  VALUES (p_id, p_uri, p_uri, 'asset', '{}', '2026-01-01 00:00+00',
          '2026-01-01 00:00+00');
  INSERT INTO asset_active (name, uri) SELECT p_uri, p_uri WHERE p_active;
  SELECT setval(pg_get_serial_sequence('asset', 'id'), max(id)) FROM asset;
$$;

CREATE FUNCTION dx_alias(p_id int, p_name text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO asset_alias (id, name, "group") VALUES (p_id, p_name, 'asset');
  INSERT INTO asset_alias_asset (alias_id, asset_id)
  SELECT p_id, id FROM asset WHERE uri = p_uri;
  SELECT setval(pg_get_serial_sequence('asset_alias', 'id'), max(id)) FROM asset_alias;
$$;

-- Expressions as 3.1's as_expression writes them, with the id that
-- collection.py adds.
CREATE FUNCTION dx_ref(p_uri text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('asset', json_build_object('uri', uri, 'name', name,
                           'group', "group", 'id', id))
    FROM asset WHERE uri = p_uri
$$;
CREATE FUNCTION dx_alias_ref(p_name text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('alias', json_build_object('name', p_name,
                                                      'group', 'asset'))
$$;
CREATE FUNCTION dx_all(VARIADIC p json[]) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('all', to_json(p))
$$;
CREATE FUNCTION dx_any(VARIADIC p json[]) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('any', to_json(p))
$$;

-- p_schedule: a cron expression, 'asset' (scheduled on assets) or NULL
-- (None: triggered only).  What 3.x stores: timetable_summary is the
-- timetable's summary ("Asset", "None"); 3.2 also its type name.
CREATE FUNCTION dx_dag(p_id text, p_paused bool, p_active bool,
                       p_schedule text, p_expr json, p_next timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM fx_dag(p_id, p_paused, p_active, false,
                 CASE WHEN p_schedule = 'asset' THEN 'Asset'
                 ELSE p_schedule END);
  UPDATE dag SET asset_expression = p_expr,
         timetable_description = CASE
             WHEN p_schedule = 'asset' THEN 'Triggered by assets'
             WHEN p_schedule IS NULL THEN 'Never, external triggers only'
             ELSE 'At ' || split_part(p_schedule, ' ', 2) || ':00' END,
         next_dagrun = p_next - interval '1 day',
         next_dagrun_data_interval_start = p_next - interval '1 day',
         next_dagrun_data_interval_end = p_next,
         next_dagrun_create_after = p_next
   WHERE dag_id = p_id;
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_name = 'dag' AND column_name = 'timetable_type') THEN
    EXECUTE 'UPDATE dag SET timetable_type = $2 WHERE dag_id = $1'
      USING p_id, CASE WHEN p_schedule = 'asset' THEN 'AssetTriggeredTimetable'
                       WHEN p_schedule IS NULL THEN 'NullTimetable'
                       ELSE 'CronTriggerTimetable' END;
  END IF;
END $$;

CREATE FUNCTION dx_outlet(p_dag text, p_task text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO task_outlet_asset_reference (asset_id, dag_id, task_id,
                                           created_at, updated_at)
  SELECT id, p_dag, p_task, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM asset WHERE uri = p_uri
$$;

CREATE FUNCTION dx_schedule(p_dag text, p_uri text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dag_schedule_asset_reference (asset_id, dag_id, created_at,
                                            updated_at)
  SELECT id, p_dag, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM asset WHERE uri = p_uri
$$;

CREATE FUNCTION dx_schedule_alias(p_dag text, p_name text) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO dag_schedule_asset_alias_reference (alias_id, dag_id,
                                                  created_at, updated_at)
  SELECT id, p_dag, '2026-01-01 00:00+00', '2026-01-01 00:00+00'
    FROM asset_alias WHERE name = p_name
$$;

-- dag_dependencies entries (DependencyDetector, 3.1: with a label; an
-- asset's id is its key as a JSON string).
CREATE FUNCTION dx_dep(p_source text, p_target text, p_type text, p_id text,
                       p_label text)
RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('source', p_source, 'target', p_target,
                           'label', p_label, 'dependency_type', p_type,
                           'dependency_id', p_id)
$$;
CREATE FUNCTION dx_dep_key(p_uri text) RETURNS text LANGUAGE sql AS $$
  SELECT json_build_object('name', p_uri, 'uri', p_uri)::text
$$;
CREATE FUNCTION dx_dep_out(p_dag text, p_uri text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep(p_dag, 'asset', 'asset', dx_dep_key(p_uri), p_uri) $$;
CREATE FUNCTION dx_dep_in(p_dag text, p_uri text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep('asset', p_dag, 'asset', dx_dep_key(p_uri), p_uri) $$;
CREATE FUNCTION dx_dep_alias_out(p_dag text, p_name text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep(p_dag, 'asset-alias', 'asset-alias', p_name, p_name) $$;
CREATE FUNCTION dx_dep_alias_in(p_dag text, p_name text) RETURNS json
LANGUAGE sql AS $$ SELECT dx_dep('asset-alias', p_dag, 'asset-alias', p_name, p_name) $$;
CREATE FUNCTION dx_dep_sensor(p_waited text, p_dag text, p_task text)
RETURNS json LANGUAGE sql AS $$ SELECT dx_dep(p_waited, p_dag, 'sensor', p_task, p_task) $$;
CREATE FUNCTION dx_dep_trigger(p_dag text, p_target text, p_task text)
RETURNS json LANGUAGE sql AS $$ SELECT dx_dep(p_dag, p_target, 'trigger', p_task, p_task) $$;

-- A serialized task's outlets (3.1: "asset", "asset_alias"); the alias
-- outlets are only here, never in task_outlet_asset_reference.
CREATE FUNCTION dx_out_asset(p_uri text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('__type', 'asset', '__var',
                           json_build_object('name', p_uri, 'uri', p_uri,
                                             'group', 'asset', 'extra', '{}'::json))
$$;
CREATE FUNCTION dx_out_alias(p_name text) RETURNS json LANGUAGE sql AS $$
  SELECT json_build_object('__type', 'asset_alias', '__var',
                           json_build_object('name', p_name, 'group', 'asset'))
$$;

-- fx_task's task (wrapped) with these outlets.
CREATE FUNCTION dx_outlets(p_task json, VARIADIC p_outlets json[]) RETURNS json
LANGUAGE sql AS $$
  SELECT jsonb_set(p_task::jsonb, '{__var,outlets}', to_jsonb(p_outlets))::json
$$;

-- Each call adds a DAG version (fx_serdag); the newest counts.
CREATE FUNCTION dx_serdag(p_dag text, p_tasks json[], p_deps json[])
RETURNS void LANGUAGE sql AS $$
  SELECT fx_serdag(p_dag, jsonb_set(fx_document(p_dag, p_tasks)::jsonb,
                                    '{dag,dag_dependencies}',
                                    to_jsonb(p_deps))::text)
$$;

-- [core] compress_serialized_dags: data NULL, the zlib stream of this text
-- in data_compressed (made with Python's zlib.compress):
-- {"__version": 3, "dag": {"dag_id": "report_x", "fileloc": "/dags/report_x.py", "timezone": "UTC", "tasks": [{"__type": "operator", "__var": {"task_id": "wait_sales", "task_type": "ExternalTaskSensor", "_task_module": "airflow.providers.standard.sensors.external_task", "downstream_task_ids": ["render"]}}, {"__type": "operator", "__var": {"task_id": "render", "task_type": "BashOperator", "_task_module": "airflow.providers.standard.operators.bash"}}], "dag_dependencies": [{"source": "sales_mart", "target": "report_x", "label": "wait_sales", "dependency_type": "sensor", "dependency_id": "wait_sales"}]}}
CREATE FUNCTION dx_serdag_compressed(p_dag text) RETURNS void
LANGUAGE sql AS $$
  SELECT fx_serdag(p_dag, '{}');
  UPDATE serialized_dag SET data = NULL,
         data_compressed = decode('789c9551316ec3300cfc8aa13970866e1d5374eed0742a0281b19854a82c09a412c735fcf7528a6d04c9d24e96c9e3ddf13828adcf486c8357cfd5d3aa52068ef21af2575b234f451803257d51d23d58872e34b9bc1604afe7661dfbdc4fb6c59fe031033eb62fa504fccdf2ff398856ea63e98588042950068803a0a299a1936807366906873c732cb3af9784e4c16da5f88e9e279682698339b982024b0717ba3a52385b232bd69cc01b20537319e21a27a2329a394ce83c274268f564a5189704bc30a8dd38aeaa7f6d310dde6fb001fe7abb9dfdbbf75992ebbd90a871dc5d6fa60dc62ce61b8b53da1c4ed414be92a36e81d2d50a1d31dd5fd6c11edd63f20b6dbfb8e725f39be6c3d54649eb173ab5cf52', 'hex')
   WHERE dag_id = p_dag;
$$;

-- p_type: scheduled, asset (asset_triggered) or manual.  run_after is p_at;
-- a scheduled run's logical date is the start of its data interval.
CREATE FUNCTION dx_run(p_dag text, p_run text, p_state text, p_type text,
                       p_at timestamptz, p_start timestamptz,
                       p_end timestamptz) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dag_run (dag_id, run_id, state, run_type, logical_date,
                       run_after, queued_at, start_date, end_date,
                       data_interval_start, data_interval_end, triggered_by,
                       clear_number, created_dag_version_id)
  SELECT p_dag, p_run, p_state,
         CASE p_type WHEN 'asset' THEN 'asset_triggered' ELSE p_type END,
         CASE WHEN p_type = 'scheduled' THEN p_at - interval '1 day'
              ELSE p_at END,
         p_at, p_at, p_start, p_end,
         CASE WHEN p_type = 'scheduled' THEN p_at - interval '1 day' END,
         CASE WHEN p_type = 'scheduled' THEN p_at END,
         CASE p_type WHEN 'scheduled' THEN 'timetable' WHEN 'asset' THEN 'asset'
              ELSE 'operator' END, 0,
         (SELECT v.id FROM dag_version v WHERE v.dag_id = p_dag
           ORDER BY v.version_number DESC LIMIT 1)
$$;

CREATE FUNCTION dx_event(p_uri text, p_dag text, p_task text, p_run text,
                         p_at timestamptz, p_alias text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE ev int;
BEGIN
  INSERT INTO asset_event (asset_id, extra, source_task_id, source_dag_id,
                           source_run_id, source_map_index, timestamp)
  SELECT id, '{}', p_task, p_dag, p_run, -1, p_at FROM asset
   WHERE uri = p_uri RETURNING id INTO ev;
  IF p_alias IS NOT NULL THEN
    INSERT INTO asset_alias_asset_event (alias_id, event_id)
    SELECT id, ev FROM asset_alias WHERE name = p_alias;
  END IF;
END $$;

CREATE FUNCTION dx_queue(p_uri text, p_dag text, p_at timestamptz)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO asset_dag_run_queue (asset_id, target_dag_id, created_at)
  SELECT id, p_dag, p_at FROM asset WHERE uri = p_uri
$$;

-- ---------------------------------------------------------------------
-- The scenario, the same for both schemas: fixture_deps.sql.
-- ---------------------------------------------------------------------
\ir fixture_deps.sql
