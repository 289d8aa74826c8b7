-- The facts the integration tests check, stated once for every schema
-- through the fx_* helpers of fixture_v2.sql, fixture_v3.sql and
-- fixture_v32.sql.  Times are relative to now() so that "the last 24 hours"
-- always means the same rows.
--
-- In the 24-hour window: etl_daily failed (yesterday's run) and a manual
-- success, mapped.dag running, hourly_sync queued, and the DAG with the
-- hostile id failed: 1 success, 2 failed, 1 running, 1 queued.

\set yesterday 'date_trunc(''day'', now()) - interval ''1 day'''

SELECT fx_dag('etl_daily', false, true, false, '0 2 * * *');
SELECT fx_dag('mapped.dag', false, true, false, '@daily');
SELECT fx_dag('hourly_sync', false, true, false, '@daily');
SELECT fx_dag('paused_dag', true, true, false, '@daily');
SELECT fx_dag('stale_dag', false, false, false, NULL);
SELECT fx_dag('broken_import', false, true, true, '@daily');
SELECT fx_dag('old_style', false, true, false, '@daily');
SELECT fx_dag('compressed_dag', false, true, false, '@daily');
SELECT fx_dag('corrupt_dag', false, true, false, '@daily');
SELECT fx_dag('badjson_dag', false, true, false, '@daily');
SELECT fx_dag('cycle_dag', false, true, false, '@daily');
SELECT fx_dag(E'we''ird\u00e9' || chr(27) || '[31mdag', false, true, false, '@daily');

-- Task graphs.
SELECT fx_serdag('etl_daily', fx_document('etl_daily', ARRAY[
  fx_task('extract', 'BashOperator', ARRAY['notify', 'transform'], false, true),
  fx_task('transform', 'PythonOperator', ARRAY['load'], false, true),
  fx_task('load', 'BigQueryInsertJobOperator', ARRAY['publish'], false, true),
  fx_task('publish', 'BashOperator', ARRAY[]::text[], false, true),
  fx_task('notify', 'EmptyOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('mapped.dag', fx_document('mapped.dag', ARRAY[
  fx_task('fetch', 'PythonOperator', ARRAY['process'], false, true),
  fx_task('process', 'PythonOperator', ARRAY['report'], true, true),
  fx_task('report', 'EmptyOperator', ARRAY[]::text[], false, true)]));
-- 2.7-2.9 wrote tasks without the {"__type", "__var"} wrapper.
SELECT fx_serdag('old_style', fx_document('old_style', ARRAY[
  fx_task('a', 'BashOperator', ARRAY['b'], false, false),
  fx_task('b', 'BashOperator', ARRAY[]::text[], false, false)]));
SELECT fx_serdag('compressed_dag', fx_document('compressed_dag', ARRAY[
  fx_task('first', 'BashOperator', ARRAY['second'], false, true),
  fx_task('second', 'BashOperator', ARRAY['third'], false, true),
  fx_task('third', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('corrupt_dag', fx_document('corrupt_dag', ARRAY[
  fx_task('x', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('badjson_dag', '{"__version": 1, "dag": {"tasks": 5}}');
SELECT fx_serdag('cycle_dag', fx_document('cycle_dag', ARRAY[
  fx_task('start', 'BashOperator', ARRAY['a'], false, true),
  fx_task('a', 'BashOperator', ARRAY['b'], false, true),
  fx_task('b', 'BashOperator', ARRAY['a', 'ghost'], false, true)]));
-- corrupt_dag: a compressed document that is not zlib at all.
UPDATE serialized_dag SET data = NULL, data_compressed = '\xdeadbeef'
 WHERE dag_id = 'corrupt_dag';

-- etl_daily: older runs, then yesterday's run that failed in transform.
SELECT fx_run('etl_daily', 'scheduled__d4', 'failed', 'scheduled',
  :yesterday - interval '3 days', now() - interval '3 days',
  now() - interval '3 days' + interval '20 minutes');
SELECT fx_run('etl_daily', 'scheduled__d3', 'success', 'scheduled',
  :yesterday - interval '2 days', now() - interval '2 days',
  now() - interval '2 days' + interval '20 minutes');
SELECT fx_run('etl_daily', 'scheduled__d2', 'success', 'scheduled',
  :yesterday - interval '1 day', now() - interval '1 day 2 hours',
  now() - interval '1 day 1 hour');
SELECT fx_run('etl_daily', 'scheduled__d1', 'failed', 'scheduled',
  :yesterday, now() - interval '3 hours', now() - interval '2 hours');
-- Triggered after yesterday's scheduled run came due (its run_after is
-- today's midnight on 3.x), whatever the hour the fixture is loaded at.
SELECT fx_run('etl_daily', 'manual__today', 'success', 'manual',
  greatest(now() - interval '5 hours', :yesterday + interval '1 day 1 second'),
  now() - interval '5 hours',
  now() - interval '4 hours 50 minutes');
SELECT fx_ti('etl_daily', 'scheduled__d1', 'extract', -1, 'success', 1, 2,
  now() - interval '3 hours', now() - interval '2 hours 50 minutes', 'BashOperator');
SELECT fx_ti('etl_daily', 'scheduled__d1', 'transform', -1, 'failed', 3, 2,
  now() - interval '2 hours 30 minutes', now() - interval '2 hours', 'PythonOperator');
SELECT fx_ti('etl_daily', 'scheduled__d1', 'load', -1, 'upstream_failed', 0, 2,
  NULL, NULL, 'BigQueryInsertJobOperator');
SELECT fx_ti('etl_daily', 'scheduled__d1', 'publish', -1, 'upstream_failed', 0, 2,
  NULL, NULL, 'BashOperator');
SELECT fx_ti('etl_daily', 'scheduled__d1', 'notify', -1, 'success', 1, 2,
  now() - interval '2 hours 50 minutes', now() - interval '2 hours 49 minutes', 'EmptyOperator');
SELECT fx_ti('etl_daily', 'scheduled__d4', 'transform', -1, 'failed', 1, 0,
  now() - interval '3 days', now() - interval '3 days' + interval '5 minutes', 'PythonOperator');

-- mapped.dag: running now, the mapped task half done.
SELECT fx_run('mapped.dag', 'scheduled__d1', 'running', 'scheduled',
  :yesterday, now() - interval '10 minutes', NULL);
SELECT fx_ti('mapped.dag', 'scheduled__d1', 'fetch', -1, 'success', 1, 0,
  now() - interval '10 minutes', now() - interval '8 minutes', 'PythonOperator');
SELECT fx_ti('mapped.dag', 'scheduled__d1', 'process', 0, 'success', 1, 0,
  now() - interval '8 minutes', now() - interval '5 minutes', 'PythonOperator');
SELECT fx_ti('mapped.dag', 'scheduled__d1', 'process', 1, 'running', 1, 0,
  now() - interval '8 minutes', NULL, 'PythonOperator');
SELECT fx_ti('mapped.dag', 'scheduled__d1', 'process', 2, 'up_for_retry', 1, 1,
  now() - interval '8 minutes', now() - interval '1 minute', 'PythonOperator');
SELECT fx_ti('mapped.dag', 'scheduled__d1', 'report', -1, NULL, 0, 0,
  NULL, NULL, 'EmptyOperator');

-- hourly_sync: queued a minute ago.
SELECT fx_run('hourly_sync', 'scheduled__q', 'queued', 'scheduled',
  now() - interval '1 day 1 minute', NULL, NULL);

-- paused_dag: nothing recent.
SELECT fx_run('paused_dag', 'scheduled__old', 'success', 'scheduled',
  :yesterday - interval '5 days', now() - interval '5 days',
  now() - interval '5 days' + interval '1 minute');
-- On 3.2 (the first schema with dag.timetable_type) that run was of the
-- run type 3.2 added, asset_materialization, with the run id it makes.
UPDATE dag_run SET run_type = 'asset_materialization',
       run_id = 'asset_materialization__old'
 WHERE dag_id = 'paused_dag' AND run_id = 'scheduled__old'
   AND EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_name = 'dag' AND column_name = 'timetable_type');

-- A DAG and task whose ids carry a quote, an accent, an escape sequence and
-- a bidi override: parameters must carry them, writers must defuse them.
SELECT fx_run(E'we''ird\u00e9' || chr(27) || '[31mdag', 'scheduled__d1', 'failed',
  'scheduled', :yesterday, now() - interval '1 hour', now() - interval '50 minutes');
SELECT fx_ti(E'we''ird\u00e9' || chr(27) || '[31mdag', 'scheduled__d1',
  'task' || U&'\202E' || 'evil' || chr(7), -1, 'failed', 1, 0,
  now() - interval '1 hour', now() - interval '50 minutes', 'BashOperator');

-- Scheduler and triggerer alive; an old scheduler that stopped cleanly.
INSERT INTO job (dag_id, state, job_type, start_date, latest_heartbeat,
                 executor_class, hostname, unixname)
VALUES (NULL, 'running', 'SchedulerJob', now() - interval '2 days',
        now() - interval '2 seconds', 'CeleryExecutor', 'scheduler-0', 'airflow'),
       (NULL, 'success', 'SchedulerJob', now() - interval '9 days',
        now() - interval '2 days', 'CeleryExecutor', 'scheduler-old', 'airflow'),
       (NULL, 'running', 'TriggererJob', now() - interval '2 days',
        now() - interval '3 seconds', NULL, 'triggerer-0', 'airflow');

INSERT INTO slot_pool (pool, slots, description, include_deferred)
VALUES ('default_pool', 128, 'Default pool', false);

-- The DAG version that etl_daily's runs were created with is the one above;
-- on 3.x a later version exists too, with one more task.
SELECT fx_serdag('etl_daily', fx_document('etl_daily', ARRAY[
  fx_task('extract', 'BashOperator', ARRAY['notify', 'transform'], false, true),
  fx_task('transform', 'PythonOperator', ARRAY['load'], false, true),
  fx_task('load', 'BigQueryInsertJobOperator', ARRAY['publish'], false, true),
  fx_task('publish', 'BashOperator', ARRAY['audit'], false, true),
  fx_task('audit', 'BashOperator', ARRAY[]::text[], false, true),
  fx_task('notify', 'EmptyOperator', ARRAY[]::text[], false, true)]))
WHERE (SELECT count(*) FROM information_schema.tables
       WHERE table_name = 'dag_version') = 1;

-- corrupt_dag has a run, so `report run` shows its tasks unordered.
SELECT fx_run('corrupt_dag', 'scheduled__d1', 'success', 'scheduled',
  :yesterday - interval '4 days', now() - interval '4 days',
  now() - interval '4 days' + interval '1 minute');
SELECT fx_ti('corrupt_dag', 'scheduled__d1', 'x', -1, 'success', 1, 0,
  now() - interval '4 days', now() - interval '4 days' + interval '1 minute',
  'BashOperator');
