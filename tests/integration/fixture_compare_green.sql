-- Blue/green comparison, the GREEN side: Airflow 3.1 (database afcmp_green).
-- Load into a database with the 3.1 schema after fixture_v3.sql (its fx_*
-- helpers) and fixture_compare_common.sql (cmp_run, cmp_runs).  The
-- same environment as fixture_compare_blue.sql, whose header works out
-- the differences and the expected figures; here:
--   cmp_gone      absent
--   cmp_paused    paused (unpaused on blue)
--   cmp_slow      every task 1.4 times as long: crunch 700 840 560 980 770
--                 630 (D-7 .. D-2; median 700, p90 980), publish 140
--   cmp_double    unpaused, as on blue: the double run
--   cmp_graph     two versions: 1, the graph blue has (the runs were made
--                 with it), and 2, the newest, compressed, which the
--                 comparison reads: start -> ingest.extract -> ingest.load
--                 -> audit, ingest.extract -> check (task audit added; edge
--                 start->check gone, ingest.extract->check and
--                 ingest.load->audit new).  audit has no task instances
--                 (the runs predate it).
--   cmp_sla       starts 05:30 and ends 06:30 UTC: SLA "cmp_ready" (06:00
--                 UTC) missed, late by 30m, every day it is met on blue
--   cmp_same      identical to blue

SELECT fx_dag('cmp_paused', true, true, false, '@daily');
SELECT fx_dag('cmp_slow', true, true, false, '@daily');
SELECT fx_dag('cmp_double', false, true, false, '@daily');
SELECT fx_dag('cmp_graph', true, true, false, '@daily');
SELECT fx_dag('cmp_sla', true, true, false, '0 0 * * *');
SELECT fx_dag('cmp_same', true, true, false, '@daily');

-- Task graphs.
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
-- cmp_graph version 1, blue's graph, which the runs below are made with.
SELECT fx_serdag('cmp_graph', fx_document('cmp_graph', ARRAY[
  fx_task('start', 'EmptyOperator', ARRAY['check', 'ingest.extract'], false, true),
  fx_task('ingest.extract', 'BashOperator', ARRAY['ingest.load'], false, true),
  fx_task('ingest.load', 'BashOperator', ARRAY[]::text[], false, true),
  fx_task('check', 'EmptyOperator', ARRAY[]::text[], false, true)]));

-- Runs.
SELECT cmp_runs('cmp_sla', interval '5 hours 30 minutes', ARRAY['build'],
                ARRAY[3600]);
-- cmp_slow: crunch 700 840 560 980 770 630 (D-7 .. D-2), publish 140.
SELECT cmp_run('cmp_slow', 7, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[700, 140]);
SELECT cmp_run('cmp_slow', 6, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[840, 140]);
SELECT cmp_run('cmp_slow', 5, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[560, 140]);
SELECT cmp_run('cmp_slow', 4, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[980, 140]);
SELECT cmp_run('cmp_slow', 3, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[770, 140]);
SELECT cmp_run('cmp_slow', 2, 'success', interval '10 minutes',
  ARRAY['crunch', 'publish'], ARRAY['success', 'success'], ARRAY[630, 140]);
-- The runs that are the same on both sides (fixture_compare_common.sql).
SELECT cmp_same_runs();

-- cmp_graph version 2, the newest, compressed: start -> ingest.extract,
-- ingest.extract -> [check, ingest.load], ingest.load -> audit (the JSON
-- of the zlib stream below).
SELECT fx_serdag('cmp_graph', '{}');
UPDATE serialized_dag SET data = NULL,
       data_compressed = '\x789cbd53b16e833010fd17cf880cdd181b75eed24e154227ec8015635b67939422febd670c518c3a3495e88475efeebde7e37964557511e8a4d1ac78ca1887861563f85492b382d59dad1a04dbb28c9da412cad4543d10ee0e372cb703c15e76e2cb6841f8fbdb3114c09d1d2b3e46d2f0830d80b102c11b249474018356688b62ce03fa65709d78e9ac1f5eefc666b033bc570106892765aeb94573919c2e921389e6803c5fb55c2e0207cd7273d5cea380ae5a44833d2675239ccfc5a747a83d2ba729fbb5e5cd6ceafd195cbbaff5ba15f599e0c58632c0ffe47f1efc6ff3d073f9e0bad7fbee9390479c44f3fb392917ea064d6f83743ccde2ba572aa35d48c551e800c697433bbd331d6be51a8e8006c6489825846b4b4abac976cabe7d3469067fec5dd35966cb7f4cbb628dc0b8da14bc65659abe018cbdaea6'
 WHERE dag_version_id = (SELECT id FROM dag_version WHERE dag_id = 'cmp_graph'
                          AND version_number = 2);

DROP FUNCTION cmp_same_runs();
DROP FUNCTION cmp_runs(text, interval, text[], int[]);
DROP FUNCTION cmp_run(text, int, text, interval, text[], text[], int[]);
