-- A manual run after a failed scheduled one, in its own database (run.sh:
-- af2_order, af3_order, copies of af2/af3) so that no count of fixture.sql
-- changes.  rerun_dag's scheduled run for yesterday failed; an engineer
-- triggered it by hand an hour ago and it succeeded.  On 2.x the manual
-- run's data interval is yesterday's, the failed run's: its data interval
-- end ties, and only execution_date (the trigger time) says it is the
-- newer.  Airflow shows it as the DAG's latest run; so must dagtop.

\set yesterday 'date_trunc(''day'', now()) - interval ''1 day'''

SELECT fx_dag('rerun_dag', false, true, false, '@daily');
SELECT fx_run('rerun_dag', 'scheduled__d2', 'success', 'scheduled',
  :yesterday - interval '1 day', now() - interval '1 day 2 hours',
  now() - interval '1 day 1 hour');
SELECT fx_run('rerun_dag', 'scheduled__d1', 'failed', 'scheduled',
  :yesterday, now() - interval '3 hours', now() - interval '2 hours 30 minutes');
-- Triggered after scheduled__d1 came due (today's midnight on 3.x), at any
-- hour the fixture is loaded.
SELECT fx_manual('rerun_dag', 'manual__rerun', 'success',
  greatest(now() - interval '1 hour', :yesterday + interval '1 day 1 second'),
  :yesterday, now() - interval '1 hour',
  now() - interval '50 minutes');
SELECT fx_ti('rerun_dag', 'scheduled__d1', 'work', -1, 'failed', 1, 0,
  now() - interval '3 hours', now() - interval '2 hours 30 minutes',
  'BashOperator');
SELECT fx_ti('rerun_dag', 'manual__rerun', 'work', -1, 'success', 1, 0,
  now() - interval '1 hour', now() - interval '50 minutes', 'BashOperator');
