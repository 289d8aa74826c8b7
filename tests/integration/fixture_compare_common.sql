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
