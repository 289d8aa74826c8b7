-- Blue/green comparison: what both sides' fixtures share (load it after
-- fixture_v2.sql or fixture_v3.sql, before fixture_compare_blue.sql or
-- fixture_compare_green.sql).

-- One run of p_dag for logical date D - p_k days, starting p_offset after
-- its data interval ends; its tasks p_tasks one after the other, each in
-- p_states[i] for p_secs[i] seconds (upstream_failed: never started).
CREATE FUNCTION cmp_run(p_dag text, p_k int, p_state text, p_offset interval,
                        p_tasks text[], p_states text[], p_secs int[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  l timestamptz := (date_trunc('day', now() AT TIME ZONE 'UTC')
                    - p_k * interval '1 day') AT TIME ZONE 'UTC';
  run text := 'scheduled__' || to_char(l AT TIME ZONE 'UTC',
                                       'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00';
  t timestamptz := l + interval '1 day' + p_offset;
  s timestamptz := t;
  i int;
BEGIN
  FOR i IN 1 .. cardinality(p_tasks) LOOP
    t := t + p_secs[i] * interval '1 second';
  END LOOP;
  PERFORM fx_run(p_dag, run, p_state, 'scheduled', l, s, t);
  t := s;
  FOR i IN 1 .. cardinality(p_tasks) LOOP
    IF p_states[i] = 'upstream_failed' THEN
      PERFORM fx_ti(p_dag, run, p_tasks[i], -1, p_states[i], 0, 2, NULL, NULL,
                    'EmptyOperator');
    ELSE
      PERFORM fx_ti(p_dag, run, p_tasks[i], -1, p_states[i], 1, 2, t,
                    t + p_secs[i] * interval '1 second', 'BashOperator');
      t := t + p_secs[i] * interval '1 second';
    END IF;
  END LOOP;
END $$;

-- Six successful runs D-7 .. D-2 of the same tasks and durations.
CREATE FUNCTION cmp_runs(p_dag text, p_offset interval, p_tasks text[],
                         p_secs int[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE k int; ok text[] := array_fill('success'::text,
                                       ARRAY[cardinality(p_tasks)]);
BEGIN
  FOR k IN 2 .. 7 LOOP
    PERFORM cmp_run(p_dag, k, 'success', p_offset, p_tasks, ok, p_secs);
  END LOOP;
END $$;

-- The runs both sides hold alike: cmp_paused, cmp_double and cmp_graph
-- (six successes each), and cmp_same: extract 62 60 75 70 66 90,
-- transform 300 280 320 (45, failed) 310 290, load 30 32 28
-- (upstream_failed) 31 29.
CREATE FUNCTION cmp_same_runs() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cmp_runs('cmp_paused', interval '10 minutes', ARRAY['only'],
                  ARRAY[100]);
  PERFORM cmp_runs('cmp_double', interval '10 minutes', ARRAY['write'],
                  ARRAY[50]);
  PERFORM cmp_runs('cmp_graph', interval '10 minutes',
                  ARRAY['start', 'ingest.extract', 'ingest.load', 'check'],
                  ARRAY[5, 40, 20, 10]);
  PERFORM cmp_run('cmp_same', 7, 'success', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'success', 'success'], ARRAY[62, 300, 30]);
  PERFORM cmp_run('cmp_same', 6, 'success', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'success', 'success'], ARRAY[60, 280, 32]);
  PERFORM cmp_run('cmp_same', 5, 'success', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'success', 'success'], ARRAY[75, 320, 28]);
  PERFORM cmp_run('cmp_same', 4, 'failed', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'failed', 'upstream_failed'], ARRAY[70, 45, 0]);
  PERFORM cmp_run('cmp_same', 3, 'success', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'success', 'success'], ARRAY[66, 310, 31]);
  PERFORM cmp_run('cmp_same', 2, 'success', interval '10 minutes',
    ARRAY['extract', 'transform', 'load'],
    ARRAY['success', 'success', 'success'], ARRAY[90, 290, 29]);
END $$;
