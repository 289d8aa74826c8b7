-- Hostile ids, loaded on top of fixture_sla.sql into their own databases
-- (af2_hostile, af3_hostile): no report may let them act.  In week 2026-W45
-- Tuesday's late run carries a run id that is a Markdown link, Thursday's
-- failed run an empty run id (the database allows it); a pool's name splits
-- a table and carries a link.
SET session_replication_role = replica;	-- rename runs under their TIs
UPDATE dag_run SET run_id = 'manual__\[Re-authenticate here\](https://evil.example/login)'
 WHERE dag_id = 'sla_etl' AND run_id = 'scheduled__2026-11-02';
UPDATE task_instance SET run_id = 'manual__\[Re-authenticate here\](https://evil.example/login)'
 WHERE dag_id = 'sla_etl' AND run_id = 'scheduled__2026-11-02';
UPDATE dag_run SET run_id = '' WHERE dag_id = 'sla_etl'
   AND run_id = 'scheduled__2026-11-04';
UPDATE task_instance SET run_id = '' WHERE dag_id = 'sla_etl'
   AND run_id = 'scheduled__2026-11-04';
SET session_replication_role = DEFAULT;
INSERT INTO slot_pool (pool, slots, description, include_deferred)
VALUES ('a|b [Re-authenticate](https://evil.example/login) ![p](https://evil.example/p.png) <!-- x -->',
        4, 'hostile', false);
