-- SLA facts, loaded into their own databases (af2_sla, af3_sla) on top of
-- fixture.sql, so the counts other tests make stay as they are.
--
-- sla_etl runs daily at 00:00 UTC: the run for day D has the data interval
-- [D-1, D) UTC, which ends on D in UTC and at 09:00 on D in Tokyo.  Week
-- 2026-W45 (Mon 2026-11-02 .. Sun 11-08):
--   Mon  build_table_a ends 00:40 UTC (09:40 JST): met (deadline 10:00 JST)
--   Tue  ends 01:25 UTC: late by 25m; Airflow recorded a miss too
--   Wed  the scheduled run failed; a manual run for the same interval
--        succeeded at 00:50 UTC: met
--   Thu  failed
--   Fri  no run: missing
--   Sat, Sun  no run (not business days for table_a_ready)

SELECT fx_dag('sla_etl', false, true, false, '0 0 * * *');

CREATE FUNCTION fx_sla_day(p_day date, p_run text, p_type text, p_state text,
                           p_task_state text, p_end_hhmm text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  lo timestamptz := (p_day - 1)::timestamp AT TIME ZONE 'UTC';
  fin timestamptz := (p_day::text || ' ' || p_end_hhmm || '+00')::timestamptz;
BEGIN
  -- A manual run has its own logical date (2.x keeps it unique) but the
  -- data interval of the day it was triggered for.
  PERFORM fx_run('sla_etl', p_run, p_state, p_type,
                 CASE WHEN p_type = 'manual' THEN fin - interval '31 minutes'
                      ELSE lo END,
                 fin - interval '30 minutes', fin);
  UPDATE dag_run SET data_interval_start = lo,
                     data_interval_end = lo + interval '1 day'
   WHERE dag_id = 'sla_etl' AND run_id = p_run;
  PERFORM fx_ti('sla_etl', p_run, 'build_table_a', -1, p_task_state, 1, 0,
                fin - interval '30 minutes', fin, 'BigQueryInsertJobOperator');
END $$;

SELECT fx_sla_day('2026-11-02', 'scheduled__2026-11-01', 'scheduled', 'success', 'success', '00:40');
SELECT fx_sla_day('2026-11-03', 'scheduled__2026-11-02', 'scheduled', 'success', 'success', '01:25');
SELECT fx_sla_day('2026-11-04', 'scheduled__2026-11-03', 'scheduled', 'failed', 'failed', '00:20');
SELECT fx_sla_day('2026-11-04', 'manual__2026-11-04', 'manual', 'success', 'success', '00:50');
SELECT fx_sla_day('2026-11-05', 'scheduled__2026-11-04', 'scheduled', 'failed', 'failed', '00:45');

-- Airflow's own verdict on Tuesday's run: sla_miss on 2.x, a missed
-- deadline alert on 3.x (the table is created here, with the columns dagtop
-- reads, as the schema files leave it out).
DO $$
BEGIN
  IF (SELECT count(*) FROM information_schema.tables
      WHERE table_name = 'sla_miss') = 1 THEN
    INSERT INTO sla_miss (task_id, dag_id, execution_date, email_sent,
                          timestamp, description, notification_sent)
    VALUES ('build_table_a', 'sla_etl', '2026-11-02 00:00+00', false,
            '2026-11-03 01:10+00', 'late', false);
  ELSE
    CREATE TABLE IF NOT EXISTS deadline (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      created_at timestamptz NOT NULL DEFAULT now(),
      dagrun_id integer REFERENCES dag_run (id) ON DELETE CASCADE,
      deadline_time timestamptz NOT NULL,
      missed boolean NOT NULL DEFAULT false);
    INSERT INTO deadline (dagrun_id, deadline_time, missed)
    SELECT r.id, '2026-11-03 01:00+00', true FROM dag_run r
     WHERE r.dag_id = 'sla_etl' AND r.run_id = 'scheduled__2026-11-02';
  END IF;
END $$;

-- Today: the whole-run SLA's run is done, the task SLA's run is running.
SELECT fx_run('sla_etl', 'scheduled__today', 'running', 'scheduled',
  date_trunc('day', now()) - interval '1 day', now() - interval '1 minute', NULL);
