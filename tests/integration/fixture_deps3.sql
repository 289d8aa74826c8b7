-- Dependencies across DAGs (issue 19): one scenario, written for the
-- Airflow 3.1 asset tables here and, the same facts, for the 2.10 dataset ones in
-- fixture_deps2.sql (the scenario below the helpers is the same text in both).
-- Load after fixture_v<schema>.sql (its fx_* helpers, the dag_bundle row
-- on 3.x) or fixture_v32.sql for 3.2, into a database of its own (tests/integration/run.sh:
-- af<schema>_deps).  Times are fixed: the failure is at 2026-03-10 03:12 UTC.
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
--   DAG); assets bq://dwh/orders (load) and alias orders_alias (publish);
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
--   Root cause of report_x: its sensor on sales_mart, and so on up to the
--   same failure.

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
-- The scenario, the same text in fixture_deps2.sql and fixture_deps3.sql
-- (only the dx_* helpers above differ).
-- ---------------------------------------------------------------------

SELECT dx_asset(1, 'bq://dwh/orders', true);
SELECT dx_asset(2, 'bq://dwh/customers', true);
SELECT dx_asset(3, 'bq://dwh/exports', true);
SELECT dx_asset(4, 'bq://dwh/cyc_a_out', true);
SELECT dx_asset(5, 'bq://dwh/cyc_b_out', true);
SELECT dx_asset(6, 'bq://dwh/ghost', true);
SELECT dx_asset(7, 'bq://dwh/orders_snapshot', true);
SELECT dx_asset(8, 'bq://dwh/legacy', false);
SELECT dx_alias(1, 'orders_alias', 'bq://dwh/orders_snapshot');

SELECT dx_dag('ingest_orders', false, true, '0 1 * * *', NULL, '2026-03-11 01:00+00');
SELECT dx_dag('ingest_customers', false, true, '0 2 * * *', NULL, '2026-03-11 02:00+00');
SELECT dx_dag('sales_mart', false, true, 'asset',
    dx_all(dx_ref('bq://dwh/orders'), dx_ref('bq://dwh/customers')), NULL);
SELECT dx_dag('finance_mart', false, true, 'asset',
    dx_any(dx_ref('bq://dwh/orders'), dx_ref('bq://dwh/customers')), NULL);
SELECT dx_dag('alias_mart', false, true, 'asset', dx_alias_ref('orders_alias'), NULL);
SELECT dx_dag('report_x', false, true, '0 6 * * *', NULL, '2026-03-11 06:00+00');
SELECT dx_dag('exports', false, true, NULL, NULL, NULL);
SELECT dx_dag('archive', true, true, 'asset', dx_all(dx_ref('bq://dwh/exports')), NULL);
SELECT dx_dag('cyc_a', false, true, 'asset', dx_all(dx_ref('bq://dwh/cyc_b_out')), NULL);
SELECT dx_dag('cyc_b', false, true, 'asset', dx_all(dx_ref('bq://dwh/cyc_a_out')), NULL);
SELECT dx_dag('old_mart', false, false, 'asset', dx_all(dx_ref('bq://dwh/orders')), NULL);
SELECT dx_dag('ghost_mart', false, true, 'asset', dx_ref('bq://dwh/ghost'), NULL);

SELECT dx_outlet('ingest_orders', 'load', 'bq://dwh/orders');
SELECT dx_outlet('ingest_customers', 'load', 'bq://dwh/customers');
SELECT dx_outlet('exports', 'push', 'bq://dwh/exports');
SELECT dx_outlet('cyc_a', 'step', 'bq://dwh/cyc_a_out');
SELECT dx_outlet('cyc_b', 'step', 'bq://dwh/cyc_b_out');

SELECT dx_schedule('sales_mart', 'bq://dwh/orders');
SELECT dx_schedule('sales_mart', 'bq://dwh/customers');
SELECT dx_schedule('finance_mart', 'bq://dwh/orders');
SELECT dx_schedule('finance_mart', 'bq://dwh/customers');
SELECT dx_schedule_alias('alias_mart', 'orders_alias');
SELECT dx_schedule('archive', 'bq://dwh/exports');
SELECT dx_schedule('cyc_a', 'bq://dwh/cyc_b_out');
SELECT dx_schedule('cyc_b', 'bq://dwh/cyc_a_out');
SELECT dx_schedule('old_mart', 'bq://dwh/orders');
SELECT dx_schedule('ghost_mart', 'bq://dwh/ghost');

-- Serialized DAGs: the task graph and dag_dependencies.  sales_mart has
-- two versions on 3.x (one row on 2.x, replaced): only the newest, which
-- triggers exports, counts; the older one triggered exports_old.
SELECT dx_serdag('ingest_orders', ARRAY[
    fx_task('extract', 'BashOperator', ARRAY['load'], false, true),
    fx_task('load', 'BigQueryInsertJobOperator', ARRAY['publish'], false, true),
    fx_task('publish', 'PythonOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_out('ingest_orders', 'bq://dwh/orders'),
          dx_dep_alias_out('ingest_orders', 'orders_alias')]);
SELECT dx_serdag('ingest_customers', ARRAY[
    fx_task('load', 'BigQueryInsertJobOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_out('ingest_customers', 'bq://dwh/customers')]);
SELECT dx_serdag('sales_mart', ARRAY[
    fx_task('build', 'BigQueryInsertJobOperator', ARRAY['kick'], false, true),
    fx_task('kick', 'TriggerDagRunOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('sales_mart', 'bq://dwh/customers'),
          dx_dep_in('sales_mart', 'bq://dwh/orders'),
          dx_dep_trigger('sales_mart', 'exports_old', 'kick')]);
SELECT dx_serdag('sales_mart', ARRAY[
    fx_task('build', 'BigQueryInsertJobOperator', ARRAY['kick'], false, true),
    fx_task('kick', 'TriggerDagRunOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('sales_mart', 'bq://dwh/customers'),
          dx_dep_in('sales_mart', 'bq://dwh/orders'),
          dx_dep_trigger('sales_mart', 'exports', 'kick')]);
SELECT dx_serdag('finance_mart', ARRAY[
    fx_task('build', 'BigQueryInsertJobOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('finance_mart', 'bq://dwh/customers'),
          dx_dep_in('finance_mart', 'bq://dwh/orders')]);
SELECT dx_serdag('alias_mart', ARRAY[
    fx_task('build', 'BigQueryInsertJobOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_alias_in('alias_mart', 'orders_alias')]);
SELECT dx_serdag('exports', ARRAY[
    fx_task('push', 'GCSToS3Operator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_out('exports', 'bq://dwh/exports')]);
SELECT dx_serdag('archive', ARRAY[
    fx_task('copy', 'BashOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('archive', 'bq://dwh/exports')]);
SELECT dx_serdag('cyc_a', ARRAY[
    fx_task('step', 'BashOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('cyc_a', 'bq://dwh/cyc_b_out'),
          dx_dep_out('cyc_a', 'bq://dwh/cyc_a_out')]);
SELECT dx_serdag('cyc_b', ARRAY[
    fx_task('step', 'BashOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('cyc_b', 'bq://dwh/cyc_a_out'),
          dx_dep_out('cyc_b', 'bq://dwh/cyc_b_out')]);
SELECT dx_serdag('old_mart', ARRAY[
    fx_task('build', 'BashOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('old_mart', 'bq://dwh/orders')]);
SELECT dx_serdag('ghost_mart', ARRAY[
    fx_task('wait_legacy', 'ExternalTaskSensor', ARRAY['build'], false, true),
    fx_task('build', 'BashOperator', ARRAY[]::text[], false, true)],
    ARRAY[dx_dep_in('ghost_mart', 'bq://dwh/ghost'),
          dx_dep_sensor('legacy_dag', 'ghost_mart', 'wait_legacy')]);
-- report_x is stored compressed (data NULL, zlib in data_compressed).
SELECT dx_serdag_compressed('report_x');

-- Runs.  A scheduled run's id names its logical date, the start of its
-- data interval, a day before it is due.  dx_run's p_at is when it was due: the end of its data
-- interval for a scheduled run, the trigger time otherwise (2.x orders by
-- execution_date, 3.x by run_after; both give the same newest run).
--
-- ingest_orders: 11 successful runs before the failed one, each started at
-- 01:00 and lasting, newest first, 20 18 22 19 21 25 17 23 24 16 60 min.
-- The median of the newest 10 is 20.5 min = 1230 s (of all 11: 1260 s).
SELECT dx_run('ingest_orders', 'scheduled__' || to_char('2026-03-09 01:00'::timestamp - k * interval '1 day',
                  'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
              'success', 'scheduled',
              ('2026-03-10 01:00+00'::timestamptz - k * interval '1 day'),
              ('2026-03-10 01:00+00'::timestamptz - k * interval '1 day'),
              ('2026-03-10 01:00+00'::timestamptz - k * interval '1 day')
                + (ARRAY[20,18,22,19,21,25,17,23,24,16,60])[k] * interval '1 minute')
  FROM generate_series(1, 11) k;
-- The newest run: load failed for good at 03:12 on its third try.
SELECT dx_run('ingest_orders', 'scheduled__2026-03-09T01:00:00+00:00', 'failed',
              'scheduled', '2026-03-10 01:00+00', '2026-03-10 01:00+00',
              '2026-03-10 03:12+00');
SELECT fx_ti('ingest_orders', 'scheduled__2026-03-09T01:00:00+00:00', 'extract', -1,
             'success', 1, 2, '2026-03-10 01:00+00', '2026-03-10 01:05+00', 'BashOperator');
SELECT fx_ti('ingest_orders', 'scheduled__2026-03-09T01:00:00+00:00', 'load', -1,
             'failed', 3, 2, '2026-03-10 03:02+00', '2026-03-10 03:12+00',
             'BigQueryInsertJobOperator');
SELECT fx_ti('ingest_orders', 'scheduled__2026-03-09T01:00:00+00:00', 'publish', -1,
             'upstream_failed', 0, 2, NULL, '2026-03-10 03:12+00', 'PythonOperator');
-- An older retry of an earlier run is not the newest failure.
SELECT fx_ti('ingest_orders', 'scheduled__2026-03-08T01:00:00+00:00', 'load', -1,
             'success', 2, 2, '2026-03-09 01:05+00', '2026-03-09 01:12+00',
             'BigQueryInsertJobOperator');
-- orders was last updated 26 h before the failure, by the 03-09 run.
SELECT dx_event('bq://dwh/orders', 'ingest_orders', 'load',
                'scheduled__' || to_char('2026-03-09 01:00'::timestamp - k * interval '1 day',
                  'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
                '2026-03-10 01:12+00'::timestamptz - k * interval '1 day', NULL)
  FROM generate_series(1, 3) k;
-- publish emitted through the alias, which resolved to orders_snapshot.
SELECT dx_event('bq://dwh/orders_snapshot', 'ingest_orders', 'publish',
                'scheduled__2026-03-08T01:00:00+00:00', '2026-03-09 01:13+00',
                'orders_alias');

-- ingest_customers: daily at 02:00, 10 minutes, fine; customers updated
-- at 02:08, today's update already queued for sales_mart.
SELECT dx_run('ingest_customers', 'scheduled__' || to_char('2026-03-09 02:00'::timestamp - k * interval '1 day',
                  'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
              'success', 'scheduled',
              '2026-03-10 02:00+00'::timestamptz - k * interval '1 day',
              '2026-03-10 02:00+00'::timestamptz - k * interval '1 day',
              '2026-03-10 02:10+00'::timestamptz - k * interval '1 day')
  FROM generate_series(0, 4) k;
SELECT dx_event('bq://dwh/customers', 'ingest_customers', 'load',
                'scheduled__' || to_char('2026-03-09 02:00'::timestamp - k * interval '1 day',
                  'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
                '2026-03-10 02:08+00'::timestamptz - k * interval '1 day', NULL)
  FROM generate_series(0, 2) k;
SELECT dx_queue('bq://dwh/customers', 'sales_mart', '2026-03-10 02:08+00');

-- The consumers' own runs.
SELECT dx_run('sales_mart', 'dataset_triggered__2026-03-0' || d || 'T02:08:30+00:00', 'success',
              'asset', ('2026-03-0' || d || ' 02:08:30+00')::timestamptz,
              ('2026-03-0' || d || ' 02:09+00')::timestamptz,
              ('2026-03-0' || d || ' 02:29+00')::timestamptz)
  FROM generate_series(7, 9) d;
SELECT dx_run('finance_mart', 'dataset_triggered__2026-03-10T02:08:30+00:00', 'success',
              'asset', '2026-03-10 02:08:30+00', '2026-03-10 02:09+00',
              '2026-03-10 02:15+00');
SELECT dx_run('alias_mart', 'dataset_triggered__2026-03-09T01:13:30+00:00', 'success',
              'asset', '2026-03-09 01:13:30+00', '2026-03-09 01:14+00',
              '2026-03-09 01:20+00');
SELECT dx_run('exports', 'manual__2026-03-09T02:29:00+00:00', 'success', 'manual',
              '2026-03-09 02:29+00', '2026-03-09 02:29:30+00', '2026-03-09 02:40+00');
SELECT dx_run('report_x', 'scheduled__2026-03-08T06:00:00+00:00', 'success',
              'scheduled', '2026-03-09 06:00+00', '2026-03-09 06:00+00',
              '2026-03-09 06:30+00');
SELECT dx_run('archive', 'dataset_triggered__2026-03-01T00:00:00+00:00', 'success',
              'asset', '2026-03-01 00:00+00', '2026-03-01 00:01+00',
              '2026-03-01 00:05+00');
SELECT dx_run('old_mart', 'dataset_triggered__2026-01-01T00:00:00+00:00', 'success',
              'asset', '2026-01-01 00:00+00', '2026-01-01 00:01+00',
              '2026-01-01 00:05+00');
