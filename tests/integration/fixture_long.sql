-- Long ids, as real deployments have them, for the console's column tests
-- (tests/e2e/console_sizes.sh), loaded after fixture_v<schema>.sql into a
-- database of its own: DAG ids up to 60 characters that share long
-- prefixes and differ only at the end, others that share a long tail and
-- differ at the start, and task ids up to 40 characters alike the same way.
-- Times are relative to now().

-- 12 DAGs alike but for their last two characters (60 characters each).
SELECT fx_dag('finance_reconciliation_payments_to_warehouse_region_daily_' ||
  lpad(i::text, 2, '0'), false, true, false, '@daily')
  FROM generate_series(1, 12) i;
-- 6 DAGs alike but for their start (45 characters).
SELECT fx_dag(r || '_marketing_attribution_sessions_rollup_hourly', false,
  true, false, '@hourly')
  FROM unnest(ARRAY['eu', 'us', 'ap', 'sa', 'af', 'me']) r;
-- And a few short ones.
SELECT fx_dag(d, false, true, false, '@daily')
  FROM unnest(ARRAY['etl', 'ads_kpi', 'hr_sync']) d;

-- Every DAG ran yesterday; the first of the long ones has older manual
-- runs too (newest first: scheduled, then manual _1 to _4), with run ids as
-- long as Airflow's manual ones get.
SELECT fx_run(dag_id, 'scheduled__' || to_char(date_trunc('day', now()) -
  interval '1 day', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
  CASE WHEN dag_id LIKE '%_03' OR dag_id LIKE 'us_%' THEN 'failed'
       ELSE 'success' END, 'scheduled',
  date_trunc('day', now()) - interval '1 day', now() - interval '20 hours',
  now() - interval '19 hours')
  FROM dag;
SELECT fx_run('finance_reconciliation_payments_to_warehouse_region_daily_01',
  'manual__2026-12-01T10:00:00+00:00_backfill_after_incident_' || i,
  CASE i WHEN 2 THEN 'failed' ELSE 'success' END, 'manual',
  now() - (i + 1 || ' days')::interval, now() - (i + 1 || ' days')::interval,
  now() - (i + 1 || ' days')::interval + interval '10 minutes')
  FROM generate_series(1, 4) i;

-- Its tasks: ids up to 40 characters, alike but for the end.
SELECT fx_serdag('finance_reconciliation_payments_to_warehouse_region_daily_01',
  fx_document('finance_reconciliation_payments_to_warehouse_region_daily_01',
  ARRAY[
  fx_task('extract_customer_orders_from_postgres_eu', 'PythonOperator',
    ARRAY['transform_customer_orders_deduplicate_v1'], false, true),
  fx_task('extract_customer_orders_from_postgres_us', 'PythonOperator',
    ARRAY['transform_customer_orders_deduplicate_v1'], false, true),
  fx_task('extract_customer_orders_from_postgres_ap', 'PythonOperator',
    ARRAY['transform_customer_orders_deduplicate_v1'], false, true),
  fx_task('transform_customer_orders_deduplicate_v1', 'PythonOperator',
    ARRAY['transform_customer_orders_deduplicate_v2'], false, true),
  fx_task('transform_customer_orders_deduplicate_v2', 'PythonOperator',
    ARRAY['load_customer_orders_to_bigquery_daily'], false, true),
  fx_task('load_customer_orders_to_bigquery_daily', 'BigQueryInsertJobOperator',
    ARRAY[]::text[], false, true)]));
SELECT fx_ti('finance_reconciliation_payments_to_warehouse_region_daily_01',
  'manual__2026-12-01T10:00:00+00:00_backfill_after_incident_2', t, -1, s,
  1, 2, now() - interval '2 days', now() - interval '2 days' +
  interval '5 minutes', 'PythonOperator')
  FROM (VALUES
    ('extract_customer_orders_from_postgres_eu', 'success'),
    ('extract_customer_orders_from_postgres_us', 'failed'),
    ('extract_customer_orders_from_postgres_ap', 'success'),
    ('transform_customer_orders_deduplicate_v1', 'upstream_failed'),
    ('transform_customer_orders_deduplicate_v2', 'upstream_failed'),
    ('load_customer_orders_to_bigquery_daily', 'upstream_failed')) v(t, s);

INSERT INTO job (dag_id, state, job_type, start_date, latest_heartbeat,
                 executor_class, hostname, unixname)
VALUES (NULL, 'running', 'SchedulerJob', now() - interval '2 days',
        now() - interval '2 seconds', 'CeleryExecutor', 'scheduler-0', 'airflow');
