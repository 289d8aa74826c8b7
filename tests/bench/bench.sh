#!/bin/sh
# make bench: a large Airflow metadata database (2,000 DAGs, 90 days of
# daily runs, about 5 million task instances, with the schema's indexes),
# then `dagtop report status --format json` against psql running the same
# statements, in the same run, on the same server; then the EXPLAIN plan of
# every statement dagtop sent; then the console, and both again through the
# Airflow REST API emulator (tests/bench/api.sh).  Figures are ratios: the
# machine's noise moves both sides alike.
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
ROUNDS=${DAGTOP_BENCH_ROUNDS:-15}
SCHEMA=${DAGTOP_BENCH_SCHEMA:-2}	# 2 (Airflow 2.10), 3 (3.1) or 32 (3.2)
case $SCHEMA in
2) RELEASE=2.10 ;;
3) RELEASE=3.1 ;;
32) RELEASE=3.2 ;;
*) echo "bench: DAGTOP_BENCH_SCHEMA is 2 (Airflow 2.10), 3 (3.1) or 32 (3.2), not '$SCHEMA'" >&2; exit 2 ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench.XXXXXX")
# DAGTOP_BENCH_KEEP=1 leaves the server up for a developer to poke at.
if [ "${DAGTOP_BENCH_KEEP:-0}" = 1 ]; then
	trap 'echo "kept: PGHOST=$PGHOST PGPORT=$PGPORT work=$work"' EXIT
else
	trap 'set +e; pg_stop; rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM HUP PIPE QUIT

now_ms() { date +%s%3N; }

pg_start shared_buffers=1GB work_mem=64MB maintenance_work_mem=1GB \
    max_wal_size=8GB wal_level=minimal max_wal_senders=0 autovacuum=off
echo "bench: PostgreSQL on 127.0.0.1:$PGPORT, Airflow $RELEASE schema"
pg_load_schema airflow "$SCHEMA"
t0=$(now_ms)
build/rel/gen_history --schema "$SCHEMA" --bench --seed 7 |
    psql -q -X -v ON_ERROR_STOP=1 -d airflow >/dev/null
t1=$(now_ms)
psql -X -A -t -d airflow -c "SELECT 'loaded: ' || (SELECT count(*) FROM dag) || ' DAGs, ' || (SELECT count(*) FROM dag_run) || ' runs, ' || (SELECT count(*) FROM task_instance) || ' task instances, ' || pg_size_pretty(pg_database_size('airflow'))"
echo "generate + load: $(( (t1 - t0) / 1000 )) s"
psql -q -X -d airflow -c 'VACUUM ANALYZE' >/dev/null
# The scheduler is alive, as in production.
psql -q -X -d airflow -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null

DB="host=127.0.0.1 port=$PGPORT dbname=airflow user=postgres"
# What dagtop sends, with its parameters.
DAGTOP_TRACE_SQL="$work/trace.sql" ./dagtop report status --format json \
    --database "$DB" >"$work/report.json" || true
awk -f tests/bench/trace2sql.awk "$work/trace.sql" >"$work/same.sql"
awk -v explain=1 -f tests/bench/trace2sql.awk "$work/trace.sql" >"$work/explain.sql"
# psql connects with the same session settings dagtop uses.
export PGOPTIONS="-c default_transaction_read_only=on -c statement_timeout=30000 -c TimeZone=UTC -c jit=off"

run_dagtop() { ./dagtop report status --format json --database "$DB" >/dev/null || true; }
run_psql() { psql -q -X -d "$DB" -f "$work/same.sql" >/dev/null; }
# The same statements with psql's timer on, twice in one new session: the
# first pass is what a new session pays (report mode: a new backend maps
# the shared buffers it touches), the second what the console's long-lived
# session pays at each refresh.  Each PREPARE, EXECUTE, DEALLOCATE triple
# reports three times; the EXECUTE is the second.
time_statements() {
	(printf '%s\n' '\timing on'; cat "$work/same.sql" "$work/same.sql") |
	    psql -q -X -d "$DB" 2>&1 | awk '/^Time:/ { n++; if (n % 3 == 2) print $2 }'
}

# Warm both, then alternate so that drift hits both sides alike.
run_dagtop; run_psql
: >"$work/d.txt"; : >"$work/p.txt"
i=0
while [ $i -lt "$ROUNDS" ]; do
	a=$(now_ms); run_dagtop; b=$(now_ms); run_psql; c=$(now_ms)
	echo $((b - a)) >>"$work/d.txt"
	echo $((c - b)) >>"$work/p.txt"
	time_statements >>"$work/stmt.txt"
	i=$((i + 1))
done
nstmt=$(grep -c '^EXECUTE' "$work/same.sql")
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
md=$(median "$work/d.txt"); mp=$(median "$work/p.txt")
echo
echo "report status --format json, median of $ROUNDS alternating runs:"
echo "  dagtop: ${md} ms   psql (same $(grep -c '^EXECUTE' "$work/same.sql") statements): ${mp} ms"
awk -v d="$md" -v p="$mp" 'BEGIN { printf "  ratio dagtop/psql: %.2f (target <= 1.30)\n", d / p }'

echo
echo "each statement, median over $ROUNDS rounds (psql's timer, ms):"
echo "  new session = first run in a fresh backend; warm = run again in it"
awk -v n="$nstmt" '{ k = (NR - 1) % (2 * n); q = k % n + 1; w = (k >= n);
	v[q, w, ++c[q, w]] = $1 }
    function med(q, w,   m, i, j, t, a) {
	m = c[q, w]; for (i = 1; i <= m; i++) a[i] = v[q, w, i];
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
		if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
    END { for (q = 1; q <= n; q++) {
	c0 = med(q, 0); c1 = med(q, 1);
	printf "  statement %d: new session %6.1f   warm %6.1f%s\n", q, c0, c1,
	    (c1 >= 50 ? "  (warm over 50 ms)" : "") } }' "$work/stmt.txt"

echo
echo "EXPLAIN (ANALYZE, BUFFERS) of every statement dagtop sent (instrumented:"
echo "per-node timing inflates these times; the figures above are the real ones):"
psql -X -d "$DB" -f "$work/explain.sql" >"$work/plans.txt" 2>&1
cat "$work/plans.txt"
echo
echo "plan checks:"
if grep -E 'Seq Scan on (task_instance|dag_run)' "$work/plans.txt"; then
	echo "  FAIL: a sequential scan of task_instance or dag_run"
else
	echo "  no sequential scan of task_instance or dag_run"
fi
grep -q 'Index Scan\|Index Only Scan\|Bitmap Index Scan' "$work/plans.txt" &&
    echo "  dag_run and task_instance are reached through their indexes"

echo
unset PGOPTIONS
sh tests/bench/console.sh "$DB" "$md"

# The same through the Airflow REST API: the emulator on this database.
echo
sh tests/bench/api.sh "$SCHEMA" "$DB" || echo "bench: API mode FAILED"

# Task logs: a 200 MB log through the API emulator (its own small server).
echo
sh tests/bench/biglog.sh
