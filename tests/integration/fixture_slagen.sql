-- The SLA read's edge cases, added to a generated history (gen_history,
-- loaded into af<schema>_slagen with fixture_v<schema>.sql's helpers):
-- test_db_sla.c compares the SLA read with the single statement it
-- replaced over this database.  For the first eight DAGs with runs (each
-- instant off the hour, where no generated run has its logical date):
--   a manual run for an interval ten days ago, triggered the day after
--     (2.x: its logical date is the trigger; 3.x: it has none);
--   a manual run triggered now for an interval 150 days ago (its logical
--     date far from its day, within the year the read allows);
--   a backfill run, still running, with task instances mapped and in
--     every state (and one with no state);
--   a run without a data interval (the day is its logical date; on 3.x a
--     manual one has neither, and the day is run_after);
--   a queued run for today, not started;
-- then Airflow's own verdicts: sla_miss rows on 2.x (of the SLA's task,
-- of another task, and of an interval that has no run), deadline alerts
-- on 3.x (missed and not; 3.1's table has no missed column, 3.2's has).

DO $$
DECLARE
  d text;
  t text;
  k int := 0;
  today timestamptz := date_trunc('day', now());
BEGIN
  FOR d IN SELECT r.dag_id FROM dag_run r GROUP BY r.dag_id
            ORDER BY r.dag_id LIMIT 8 LOOP
    k := k + 1;
    SELECT ti.task_id INTO t FROM task_instance ti WHERE ti.dag_id = d
     ORDER BY ti.task_id LIMIT 1;
    PERFORM fx_manual(d, 'manual__edge_ten', 'success',
                      today - interval '9 days' + k * interval '1 hour' +
                      interval '17 seconds', today - interval '11 days',
                      today - interval '9 days' + k * interval '1 hour',
                      today - interval '9 days' + k * interval '2 hours');
    PERFORM fx_ti(d, 'manual__edge_ten', t, -1, 'success', 1, 0,
                  today - interval '9 days', today - interval '9 days' +
                  interval '20 minutes', 'BashOperator');
    PERFORM fx_manual(d, 'manual__edge_far', CASE WHEN k % 2 = 0
                      THEN 'failed' ELSE 'success' END, now(),
                      today - interval '151 days', now(), NULL);
    PERFORM fx_ti(d, 'manual__edge_far', t, -1, CASE WHEN k % 2 = 0
                  THEN 'upstream_failed' ELSE 'success' END, 1, 0,
                  NULL, NULL, 'BashOperator');
    PERFORM fx_run(d, 'backfill__edge', 'running', 'backfill',
                   today - interval '40 days' + k * interval '1 minute',
                   today - interval '1 hour', NULL);
    PERFORM fx_ti(d, 'backfill__edge', t, 0, 'success', 1, 0,
                  today - interval '1 hour', today - interval '50 minutes',
                  'BashOperator');
    PERFORM fx_ti(d, 'backfill__edge', t, 1, 'failed', 2, 1,
                  today - interval '1 hour', today - interval '40 minutes',
                  'BashOperator');
    PERFORM fx_ti(d, 'backfill__edge', t, 2, CASE WHEN k % 2 = 0
                  THEN 'skipped' ELSE NULL END, 0, 1, NULL, NULL,
                  'BashOperator');
    PERFORM fx_run(d, 'manual__edge_nointerval', 'success', 'manual',
                   today - interval '20 days' - k * interval '1 hour' +
                   interval '7 seconds',
                   today - interval '20 days', today - interval '19 days');
    UPDATE dag_run SET data_interval_start = NULL, data_interval_end = NULL
     WHERE dag_id = d AND run_id = 'manual__edge_nointerval';
    PERFORM fx_run(d, 'scheduled__edge_queued', 'queued', 'scheduled',
                   today + interval '1 hour 13 seconds', NULL, NULL);
    IF k % 3 = 0 THEN
      -- A run of the same day as a generated one, its twin by run_id.
      PERFORM fx_manual(d, 'manual__edge_twin', 'success',
                        today - interval '3 days' + interval '5 hours 29 seconds',
                        today - interval '4 days', NULL, NULL);
    END IF;
  END LOOP;
END $$;

DO $$
DECLARE
  logical text := CASE WHEN (SELECT count(*) FROM information_schema.columns
                             WHERE table_name = 'dag_run'
                               AND column_name = 'logical_date') = 1
                  THEN 'logical_date' ELSE 'execution_date' END;
BEGIN
  IF (SELECT count(*) FROM information_schema.tables
      WHERE table_name = 'sla_miss') = 1 THEN
    EXECUTE format($q$
      INSERT INTO sla_miss (task_id, dag_id, execution_date, email_sent,
                            timestamp, description, notification_sent)
      SELECT ti.task_id, r.dag_id, r.%1$I, false, now(), 'late', false
        FROM dag_run r JOIN task_instance ti ON ti.dag_id = r.dag_id
         AND ti.run_id = r.run_id AND ti.map_index <= 0
       WHERE r.%1$I IS NOT NULL AND hashtext(r.run_id || ti.task_id) %% 23 = 0
      ON CONFLICT DO NOTHING$q$, logical);
    INSERT INTO sla_miss (task_id, dag_id, execution_date, email_sent,
                          timestamp, description, notification_sent)
    SELECT 'ghost_task', d.dag_id, '2001-01-01 00:00+00', false, now(),
           'no run', false FROM dag d ORDER BY d.dag_id LIMIT 3;
  ELSE
    IF (SELECT count(*) FROM information_schema.columns
        WHERE table_name = 'dag' AND column_name = 'timetable_type') = 1 THEN
      CREATE TABLE deadline (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dagrun_id integer REFERENCES dag_run (id) ON DELETE CASCADE,
        deadline_time timestamptz NOT NULL,
        missed boolean NOT NULL DEFAULT false);
      INSERT INTO deadline (dagrun_id, deadline_time, missed)
      SELECT r.id, coalesce(r.end_date, now()) - interval '5 minutes',
             hashtext(r.run_id) % 3 = 0
        FROM dag_run r WHERE hashtext(r.dag_id || r.run_id) % 7 = 0;
    ELSE
      -- 3.1: no missed column; a deadline before the run's end is missed.
      CREATE TABLE deadline (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dagrun_id integer REFERENCES dag_run (id) ON DELETE CASCADE,
        deadline_time timestamptz NOT NULL);
      INSERT INTO deadline (dagrun_id, deadline_time)
      SELECT r.id, coalesce(r.end_date, now()) +
             (hashtext(r.run_id) % 3 - 1) * interval '10 minutes'
        FROM dag_run r WHERE hashtext(r.dag_id || r.run_id) % 7 = 0;
    END IF;
  END IF;
END $$;
