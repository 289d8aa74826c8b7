-- Dependencies across DAGs (issue 19): the scenario, in the dx_* helpers
-- of fixture_deps2.sql (the 2.10 dataset tables) and fixture_deps3.sql
-- (the 3.1 asset tables), which both include it; its expected impact and
-- root cause are in their header.  Not loaded on its own.

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
    dx_outlets(fx_task('load', 'BigQueryInsertJobOperator', ARRAY['publish'], false, true),
               dx_out_asset('bq://dwh/orders')),
    dx_outlets(fx_task('publish', 'PythonOperator', ARRAY[]::text[], false, true),
               dx_out_alias('orders_alias'))],
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
    dx_outlets(fx_task('push', 'GCSToS3Operator', ARRAY[]::text[], false, true),
               dx_out_asset('bq://dwh/exports'))],
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
