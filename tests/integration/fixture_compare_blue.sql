-- Blue/green comparison, the BLUE side: Airflow 2.10 (database afcmp_blue).
-- Load into a database with the 2.10 schema after fixture_v2.sql (its fx_*
-- helpers) and fixture_compare_common.sql (cmp_run, cmp_runs); fixture_compare_green.sql is the same environment upgraded to
-- Airflow 3.1.  Both state the same DAGs with the same runs and task
-- instances but for the designed differences below, so a comparison of
-- blue against green over --since 7d finds exactly those:
--
--   DAG           blue                      green
--   cmp_gone      unpaused, runs            (no such DAG)
--   cmp_paused    unpaused                  PAUSED (same runs on both)
--   cmp_slow      runs as below             every duration x1.4 (40% slower)
--   cmp_double    unpaused                  unpaused, runs for the same
--                                           logical dates: DOUBLE-RUNNING
--   cmp_graph     start -> ingest.extract   + task audit; edge start->check
--                 -> ingest.load,           becomes ingest.extract->check;
--                 start -> check            + ingest.load->audit (newest
--                                           version only, see green)
--   cmp_sla       runs end at 01:30 UTC     runs end at 06:30 UTC: SLA
--                                           "cmp_ready" missed
--   cmp_same      identical (a failed run on both, for the task figures)
--
-- Pause: the copies under comparison (cmp_same, cmp_slow, cmp_graph,
-- cmp_sla) are paused on both sides, as a team validating green pauses
-- them after its test runs: unpaused on both with runs for the same
-- logical dates is the double run the comparison must flag, and only
-- cmp_double is that.  cmp_gone is unpaused on blue (it is missing on
-- green anyway); no DAG has import errors.
--
-- Runs: every DAG has six scheduled daily runs, logical dates D-7 .. D-2
-- (D: today 00:00 UTC), data interval [L, L+1d), so their data interval
-- end (2.x) / run_after (3.x) lies in the last 7 days whenever the tests
-- run, and they all ended before now.  A run starts 10 minutes after its
-- interval ends (cmp_sla: see below); its tasks run one after the other
-- in the order given; the run ends when the last does.  All runs succeed
-- but cmp_same's of D-4 (both sides).
--
-- Task figures (sched_fetch_task_stats --since 7d; percentile_disc: the
-- sorted successful durations x1..xn, median = x[ceil(n/2)], p90 =
-- x[ceil(0.9n)]; "ended": success, failed, skipped, upstream_failed,
-- removed; "failed": failed only), blue:
--   dag         task            n  failed  median  p90
--   cmp_double  write           6  0        50     50
--   cmp_gone    a               6  0        10     10
--   cmp_gone    b               6  0        20     20
--   cmp_graph   check           6  0        10     10
--   cmp_graph   ingest.extract  6  0        40     40
--   cmp_graph   ingest.load     6  0        20     20
--   cmp_graph   start           6  0         5      5
--   cmp_paused  only            6  0       100    100
--   cmp_same    extract         6  0        66     90   (62 60 75 70 66 90)
--   cmp_same    load            6  0        30     32   (30 32 28 - 31 29;
--                                                        D-4 upstream_failed)
--   cmp_same    transform       6  1       300    320   (300 280 320 - 310
--                                                        290; D-4 failed 45s)
--   cmp_sla     build           6  0      3600   3600
--   cmp_slow    crunch          6  0       500    700   (500 600 400 700 550
--                                                        450, D-7 .. D-2)
--   cmp_slow    publish         6  0       100    100
-- Green: the same but cmp_gone's (none) and cmp_slow's: crunch 700 / 980
-- (x1.4 each), publish 140 / 140.  cmp_slow's run durations, blue 600 700
-- 500 800 650 550 s (median 600 as percentile_disc, 625 interpolated),
-- green 840 980 700 1120 910 770 (840; 875): 40% slower at every run.
--
-- SLA, in the test's config (the same definition applies to both sides):
--   [sla "cmp_ready"]
--   dag = cmp_sla
--   deadline = 06:00
--   timezone = UTC
-- cmp_sla ('0 0 * * *') runs for day d (interval end d 00:00 UTC) start
-- at d 00:30 and end at d 01:30 on blue (met every day d = D-6 .. D-1),
-- start 05:30 and end 06:30 on green (late by 30m each day).  Days
-- without a run in the window (D-7, today) are the same on both sides.
--
-- Serialized DAGs: cmp_graph's is stored compressed (data NULL,
-- data_compressed a zlib stream, as with compress_serialized_dags), with
-- its task group "ingest" (tasks by their full ids); the others as JSON.

SELECT fx_dag('cmp_gone', false, true, false, '@daily');
SELECT fx_dag('cmp_paused', false, true, false, '@daily');
SELECT fx_dag('cmp_slow', true, true, false, '@daily');
SELECT fx_dag('cmp_double', false, true, false, '@daily');
SELECT fx_dag('cmp_graph', true, true, false, '@daily');
SELECT fx_dag('cmp_sla', true, true, false, '0 0 * * *');
SELECT fx_dag('cmp_same', true, true, false, '@daily');

-- Task graphs.
SELECT fx_serdag('cmp_gone', fx_document('cmp_gone', ARRAY[
  fx_task('a', 'BashOperator', ARRAY['b'], false, true),
  fx_task('b', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('cmp_paused', fx_document('cmp_paused', ARRAY[
  fx_task('only', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('cmp_slow', fx_document('cmp_slow', ARRAY[
  fx_task('crunch', 'BashOperator', ARRAY['publish'], false, true),
  fx_task('publish', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('cmp_double', fx_document('cmp_double', ARRAY[
  fx_task('write', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('cmp_sla', fx_document('cmp_sla', ARRAY[
  fx_task('build', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_serdag('cmp_same', fx_document('cmp_same', ARRAY[
  fx_task('extract', 'BashOperator', ARRAY['transform'], false, true),
  fx_task('transform', 'BashOperator', ARRAY['load'], false, true),
  fx_task('load', 'BashOperator', ARRAY[]::text[], false, true)]));
-- cmp_graph, compressed: start -> [check, ingest.extract],
-- ingest.extract -> ingest.load (the JSON of the zlib stream below).
SELECT fx_serdag('cmp_graph', '{}');
UPDATE serialized_dag SET data = NULL,
       data_compressed = '\x789cb593414f84301085ffcb9c091b3d72d478f6a227439a0666a1d9429b6971c50dffdd690b06d08351f704996ffae695795c40885724a74c0fc54d06b56ca0b880e0a750351450755634246d0b191c95466d2aae1e98bbc327cbedc8d8ab0edf4d8fcc9f9fee4341ba9383e285f5841f6d00c622496f88290f96148685b634cc79493ea0589a8f3c74d68f8fab731176a61e74c052d1519b73be28bb1cc3016eaccdb9779e5076621e11cc40d5627562acfa069dcff1cd93ac3c9419107a52c84db7d394fdd8f44e67e7fe4ebaf61fcdcfc3b491f59f1d4791abdafdb5c36547d70cc2ce5cb9083664061b7f82f8160df583d619bb52ba26ec034c51e58dac2e926ae512ad40836212cc36824bcb567417a5adfad7bcaef7f86d6f8a49bc5bfaa2dbae54633e4d1f05576d48'
 WHERE dag_id = 'cmp_graph';

-- Runs.
SELECT cmp_runs('cmp_gone', interval '10 minutes', ARRAY['a', 'b'],
                ARRAY[10, 20]);
SELECT cmp_runs('cmp_sla', interval '30 minutes', ARRAY['build'],
                ARRAY[3600]);
-- cmp_slow: crunch 500 600 400 700 550 450 (D-7 .. D-2), publish 100.
SELECT cmp_run('cmp_slow', 7, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[500, 100]);
SELECT cmp_run('cmp_slow', 6, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[600, 100]);
SELECT cmp_run('cmp_slow', 5, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[400, 100]);
SELECT cmp_run('cmp_slow', 4, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[700, 100]);
SELECT cmp_run('cmp_slow', 3, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[550, 100]);
SELECT cmp_run('cmp_slow', 2, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[450, 100]);
-- The runs that are the same on both sides (fixture_compare_common.sql).
SELECT cmp_same_runs();

DROP FUNCTION cmp_same_runs();
DROP FUNCTION cmp_runs(text, interval, text[], int[]);
DROP FUNCTION cmp_run(text, int, text, interval, text[], text[], int[]);
