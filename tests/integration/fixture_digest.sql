-- The weekly digest's designed week (report_digest.sh), loaded on top of
-- fixture_v<schema>.sql's helpers into a database of its own.  Week
-- 2026-W45: Monday 2026-11-02 00:00 UTC to Monday 2026-11-09 00:00 UTC.
-- Every run is daily at 00:00 UTC: the run for day D has the logical date
-- D-1 and the data interval [D-1, D), which ends on D.
--
-- sales_etl (owners team-sales; SLA sales_ready by 02:00 UTC daily)
--   Sun 11-01 (week 44)  success, ended 01:00      met
--   Mon 11-02            success, ended 01:30      met
--   Tue 11-03            success, ended 02:40      late 40m
--   Wed 11-04            FAILED, ended 01:00: transform failed, publish
--                        upstream_failed; a manual run for the same
--                        interval succeeded at 04:10: recovered after
--                        3h10m; the day is late 2h10m
--   Thu 11-05, Fri 11-06 success, ended 01:00, 01:10  met
--   Sat 11-07            no run                    missing
--   Sun 11-08            success, ended 01:05      met
-- billing_load (owners team-billing; SLA billing_ready by 06:00 mon-fri)
--   Mon 11-02  success, ended 05:00                met
--   Tue 11-03  FAILED, ended 05:00: load_a, load_b failed; Wednesday's
--              run recovers it after 24h           failed
--   Wed 11-04  success, ended 05:00                met
--   Thu 11-05  FAILED, ended 06:00: load_a failed; never recovered  failed
--   Fri 11-06  no run                              missing
-- a DAG with a hostile id (an OSC title, BEL, a script tag) whose task id
-- carries a colour sequence: Fri 11-06 FAILED, ended 12:00, never recovered.

SELECT fx_dag('sales_etl', false, true, false, '0 0 * * *');
SELECT fx_dag('billing_load', false, true, false, '0 0 * * *');
SELECT fx_dag(E'evil\x1b]0;PWNED-TITLE\x07<script>alert(1)</script>', false,
              true, false, '0 0 * * *');
UPDATE dag SET owners = 'team-sales' WHERE dag_id = 'sales_etl';
UPDATE dag SET owners = 'team-billing' WHERE dag_id = 'billing_load';

-- fx_day(DAG, D, state, end hh:mm): the scheduled run for day D.
CREATE FUNCTION fx_day(p_dag text, p_day date, p_state text, p_end text)
RETURNS void LANGUAGE sql AS $$
  SELECT fx_run(p_dag, 'scheduled__' || (p_day - 1)::text, p_state,
                'scheduled', (p_day - 1)::timestamp AT TIME ZONE 'UTC',
                (p_day::text || ' ' || p_end || '+00')::timestamptz
                  - interval '20 minutes',
                (p_day::text || ' ' || p_end || '+00')::timestamptz)
$$;

SELECT fx_day('sales_etl', '2026-11-01', 'success', '01:00');
SELECT fx_day('sales_etl', '2026-11-02', 'success', '01:30');
SELECT fx_day('sales_etl', '2026-11-03', 'success', '02:40');
SELECT fx_day('sales_etl', '2026-11-04', 'failed', '01:00');
SELECT fx_ti('sales_etl', 'scheduled__2026-11-03', 'transform', -1, 'failed',
             2, 1, '2026-11-04 00:45+00', '2026-11-04 01:00+00', 'BashOperator');
SELECT fx_ti('sales_etl', 'scheduled__2026-11-03', 'publish', -1,
             'upstream_failed', 0, 1, NULL, NULL, 'BashOperator');
SELECT fx_manual('sales_etl', 'manual__2026-11-04T03:00:00+00:00', 'success',
                 '2026-11-04 03:00+00', '2026-11-03 00:00+00',
                 '2026-11-04 03:05+00', '2026-11-04 04:10+00');
SELECT fx_day('sales_etl', '2026-11-05', 'success', '01:00');
SELECT fx_day('sales_etl', '2026-11-06', 'success', '01:10');
SELECT fx_day('sales_etl', '2026-11-08', 'success', '01:05');

SELECT fx_day('billing_load', '2026-11-02', 'success', '05:00');
SELECT fx_day('billing_load', '2026-11-03', 'failed', '05:00');
SELECT fx_ti('billing_load', 'scheduled__2026-11-02', 'load_a', -1, 'failed',
             1, 0, '2026-11-03 04:40+00', '2026-11-03 05:00+00', 'BashOperator');
SELECT fx_ti('billing_load', 'scheduled__2026-11-02', 'load_b', -1, 'failed',
             1, 0, '2026-11-03 04:40+00', '2026-11-03 04:55+00', 'BashOperator');
SELECT fx_day('billing_load', '2026-11-04', 'success', '05:00');
SELECT fx_day('billing_load', '2026-11-05', 'failed', '06:00');
SELECT fx_ti('billing_load', 'scheduled__2026-11-04', 'load_a', -1, 'failed',
             1, 0, '2026-11-05 05:40+00', '2026-11-05 06:00+00', 'BashOperator');

SELECT fx_day(E'evil\x1b]0;PWNED-TITLE\x07<script>alert(1)</script>',
              '2026-11-06', 'failed', '12:00');
SELECT fx_ti(E'evil\x1b]0;PWNED-TITLE\x07<script>alert(1)</script>',
             'scheduled__2026-11-05', E't\x1b[31mRED', -1, 'failed', 1, 0,
             '2026-11-06 11:40+00', '2026-11-06 12:00+00', 'BashOperator');
