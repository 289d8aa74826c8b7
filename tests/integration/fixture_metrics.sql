-- report_metrics.sh's database (af<schema>_metrics), on top of fixture.sql:
-- a DAG whose id carries a double quote, a backslash and a newline, with
-- three failed runs in the 24-hour window, the most of any DAG (etl_daily
-- and the DAG with the escape sequence in its id have one each), so that
-- --format openmetrics must escape its label and a cap of 2 keeps it and
-- etl_daily (the tie broken by dag_id) and leaves one DAG out.  The
-- scheduler is dead (no heartbeat for ten minutes; the heartbeat of run.sh
-- leaves this database alone): the verdict is critical, whenever it runs.

SELECT fx_dag(E'q"uote\\back\nline', false, true, false, '@daily');
SELECT fx_run(E'q"uote\\back\nline', 'manual__a', 'failed', 'manual',
  now() - interval '4 hours', now() - interval '4 hours',
  now() - interval '230 minutes');
SELECT fx_run(E'q"uote\\back\nline', 'manual__b', 'failed', 'manual',
  now() - interval '3 hours', now() - interval '3 hours',
  now() - interval '170 minutes');
SELECT fx_run(E'q"uote\\back\nline', 'manual__c', 'failed', 'manual',
  now() - interval '2 hours', now() - interval '2 hours',
  now() - interval '110 minutes');
UPDATE job SET latest_heartbeat = now() - interval '10 minutes'
 WHERE job_type = 'SchedulerJob';
