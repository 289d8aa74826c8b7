#!/bin/sh
# The Four Keys SQL source (dagtop.conf(5), "The SQL column contract") over
# a year of releases: twelve services in a database of their own, each
# deploying 0 to 4 times a working day with 1 to 8 commits a release and an
# incident after about one release in twenty (a third of them naming it,
# the newest still open), indexed as such a team would have it; then
# `report fourkeys` over a 365-day window: its time, median of a few runs,
# and the statements it sent with their DB ms (pg_stat_statements,
# tests/bench/lib.sh).  Run by bench.sh, which has the server up (PGHOST,
# PGPORT as the superuser); usage: fourkeys.sh (dagtop connects as
# dagtop_bench).
set -u
rounds=${DAGTOP_BENCH_FK_ROUNDS:-5}
nsvc=12
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-fk.XXXXXX")
. tests/bench/lib.sh
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

dropdb --if-exists fourkeys 2>/dev/null
createdb -T template0 fourkeys || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d fourkeys >/dev/null <<SQL || exit 1
SELECT setseed(0.18);
CREATE TABLE releases (id text PRIMARY KEY, service text NOT NULL,
    finished_at timestamptz NOT NULL, sha text);
CREATE TABLE commits (sha text, release_id text, committed_at timestamptz);
CREATE TABLE incidents (id text, service text, opened timestamptz,
    resolved timestamptz, release_id text, title text);
INSERT INTO releases
SELECT format('svc%s-%s-%s', s, d, k), format('svc%s', s),
    date_trunc('day', now()) - make_interval(days => d)
	+ make_interval(hours => 8) + random() * interval '10 hours',
    md5(format('svc%s-%s-%s', s, d, k))
FROM generate_series(1, $nsvc) s, generate_series(1, 365) d,
    LATERAL generate_series(1, floor(random() * 5 + s * 0 + d * 0)::int) k
WHERE extract(isodow FROM now() - make_interval(days => d)) < 6;
INSERT INTO commits
SELECT md5(r.id || '/' || c), r.id,
    r.finished_at - (0.2 + random() * 72) * interval '1 hour'
FROM releases r, LATERAL generate_series(1, 1 + floor(random() * 8
    + length(r.id) * 0)::int) c;
INSERT INTO incidents
SELECT 'INC-' || row_number() OVER (ORDER BY finished_at), service,
    finished_at + random() * interval '6 hours',
    CASE WHEN finished_at > now() - interval '2 days' THEN NULL
	ELSE finished_at + interval '6 hours' + random() * interval '20 hours' END,
    CASE WHEN random() < 0.33 THEN id END, 'checkout errors after ' || id
FROM releases WHERE random() < 0.05;
CREATE INDEX ON releases (service, finished_at);
CREATE INDEX ON commits (release_id);
CREATE INDEX ON incidents (service, opened);
VACUUM ANALYZE;
SQL
counts=$(psql -X -A -t -d fourkeys -c "SELECT (SELECT count(*) FROM releases) || ' releases, ' || (SELECT count(*) FROM commits) || ' commits, ' || (SELECT count(*) FROM incidents) || ' incidents'")

{
	printf '[dagtop]\nfourkeys_window = 365\n'
	i=1
	while [ $i -le $nsvc ]; do
		cat <<CONF

[service "svc$i"]
source = sql
database = postgresql://dagtop_bench@127.0.0.1:$PGPORT/fourkeys
query = SELECT 'deployment' AS kind, id, finished_at AS time,
  NULL::timestamptz AS end_time, sha AS ref, NULL AS title
  FROM releases WHERE service = \$2 AND finished_at >= \$1
  UNION ALL SELECT 'change', c.sha, c.committed_at, NULL, c.release_id, NULL
  FROM commits c JOIN releases r ON r.id = c.release_id
  WHERE r.service = \$2 AND r.finished_at >= \$1
  UNION ALL SELECT 'incident', id, opened, resolved, release_id, title
  FROM incidents WHERE service = \$2 AND opened >= \$1
CONF
		i=$((i + 1))
	done
} >"$work/config"
chmod 600 "$work/config"

run() {
	env HOME="$work" XDG_CACHE_HOME="$work/cache" "$(pwd)/dagtop" \
	    --config "$work/config" report fourkeys --format json \
	    >"$work/out.json" 2>"$work/err"
	rc=$?
}
bench_measure run "$rounds" "$work/stmts" 3
[ "$rc" = 0 ] || {
	echo "bench fourkeys: report fourkeys exited $rc:" >&2
	head -c 2000 "$work/err" "$work/out.json" >&2
}
echo "report fourkeys, SQL source, $nsvc services, a 365-day window over a year: $counts:"
echo "  time: $BENCH_MS ms, median of $rounds runs (no target in issue 18)"
echo "  statements: $PGSS_CALLS ($nsvc services: one query each), $PGSS_MS DB ms; the heaviest:"
bench_summary "report fourkeys, SQL, a year, $nsvc services" "$BENCH_MS ms, $PGSS_CALLS statements (no target)"
cat "$work/stmts"
dropdb fourkeys
