-- A release log, its commits and an incident bot's records, as a team whose
-- data lives in their own PostgreSQL might keep them: the SQL source of the
-- Four Keys (dagtop.conf(5), "The SQL column contract").  Times are relative
-- to now(), each at least two hours from a whole number of days, so the
-- windows of a run at any time see the same facts.  Hand-computed keys for
-- service billing over 30 days (tests/integration/fourkeys.sh checks them):
--   deployments r1 (now-20d), r2 (now-10d), r3 (now-2d): 3, 0.1/day,
--     0.7/week; 7-day blocks back from now had a deployment 1,1,1,0:
--     interpolated median 1, days per block median 1 -> weekly (2023: high)
--   lead: c1 2h, c2 6h (r1), c3 1h (r2), c4 4h (r3), c5 -1h dropped
--     -> 4 changes, median (2h+4h)/2 = 3h = 10800 s (elite), p90 6h
--   incidents: i1 on r2 named outright, 3h; i2 no cause, opened after r2
--     -> r2, 1h; i3 no cause, after r3, still open -> r3
--     -> failed 2 of 3 = 0.6667 (low); 3 incidents, 2 restored, median
--     (1h+3h)/2 = 2h = 7200 s (high)
--   previous window: r0 (now-40d) with c6 3h; no incident
--     -> 1 deployment, lead 3h, failure rate 0, restore no data
-- Service other (same tables) has nothing at all: no data everywhere.
CREATE TABLE releases (id text PRIMARY KEY, service text NOT NULL,
    finished_at timestamptz NOT NULL, sha text);
CREATE TABLE commits (sha text, release_id text, committed_at timestamptz);
CREATE TABLE incidents (id text, service text, opened timestamptz,
    resolved timestamptz, release_id text, title text);

INSERT INTO releases VALUES
    ('r0', 'billing', now() - interval '40 days 5 hours', 'aaaaaaa0'),
    ('r1', 'billing', now() - interval '20 days 5 hours', 'aaaaaaa1'),
    ('r2', 'billing', now() - interval '10 days 5 hours', 'aaaaaaa2'),
    ('r3', 'billing', now() - interval '2 days 5 hours', 'aaaaaaa3');
INSERT INTO commits VALUES
    ('c6', 'r0', now() - interval '40 days 8 hours'),
    ('c1', 'r1', now() - interval '20 days 7 hours'),
    ('c2', 'r1', now() - interval '20 days 11 hours'),
    ('c3', 'r2', now() - interval '10 days 6 hours'),
    ('c4', 'r3', now() - interval '2 days 9 hours'),
    ('c5', 'r3', now() - interval '2 days 4 hours');
INSERT INTO incidents VALUES
    ('INC-1', 'billing', now() - interval '10 days 3 hours',
     now() - interval '10 days', 'r2', 'payments time out'),
    ('INC-2', 'billing', now() - interval '9 days 22 hours',
     now() - interval '9 days 21 hours', NULL, 'refunds stuck'),
    ('INC-3', 'billing', now() - interval '2 days 4 hours', NULL, NULL,
     'invoice totals off by a cent');
GRANT SELECT ON releases, commits, incidents TO reader;
-- A query that would write (nextval) is refused by the read-only session.
CREATE SEQUENCE release_seq;
GRANT USAGE, SELECT, UPDATE ON release_seq TO reader;
