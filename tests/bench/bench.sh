#!/bin/sh
# make bench: a large Airflow metadata database (2,000 DAGs, 90 days of
# daily runs, about 5 million task instances, with the schema's indexes;
# --huge: 20,000 DAGs and about 50 million), then `dagtop report status
# --format json` against psql running the same statements, in the same run,
# on the same server; then the EXPLAIN plan of every statement dagtop sent;
# then the console (first screen, and the database's work over an idle
# minute from pg_stat_statements, which the server loads), fifty consoles at
# once, the environments overview of five contexts of that size
# (tests/bench/fleet.sh), the 26-week SLA report with 200 SLAs, the
# impact of the failure that holds back the most across the asset web
# (tests/bench/deps.sh), the Four
# Keys SQL source over a year of releases, and the reports and the console
# again through the Airflow REST API emulator (tests/bench/api.sh).
# Figures are ratios or per-minute figures beside their targets (issue 18):
# the machine's noise moves both sides of a ratio alike.
# Usage: bench.sh [--huge]   (make bench BENCH=--huge)
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
. tests/bench/lib.sh
ROUNDS=${DAGTOP_BENCH_ROUNDS:-15}
SCHEMA=${DAGTOP_BENCH_SCHEMA:-2}	# 2 (Airflow 2.10), 3 (3.1) or 32 (3.2)
case $SCHEMA in
2) RELEASE=2.10 ;;
3) RELEASE=3.1 ;;
32) RELEASE=3.2 ;;
*) echo "bench: DAGTOP_BENCH_SCHEMA is 2 (Airflow 2.10), 3 (3.1) or 32 (3.2), not '$SCHEMA'" >&2; exit 2 ;;
esac
SIZE=bench
case ${1:-} in
'') ;;
--huge) SIZE=huge ;;
*) echo "usage: bench.sh [--huge]   (make bench BENCH=--huge)" >&2; exit 2 ;;
esac
# What the huge database takes, as measured on a 2-core machine (32 GB and
# 48 MB of WAL: gen_history empties the run tables in its transaction, so
# that they are written without WAL), and some room.  It is refused unless
# that much is free and 20 GB more, and stopped if the free space falls
# under 20 GB while it runs.
HUGE_GB=35
MIN_FREE_GB=20
free_gb() { df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 { print int($4 / 1048576) }'; }
if [ "$SIZE" = huge ]; then
	echo "bench --huge: 20,000 DAGs, about 50 million task instances."
	echo "  It takes long: generating and loading took 22 minutes on 2 cores"
	echo "  (39,000 task instances a second; 32 GB), VACUUM ANALYZE a minute, the"
	echo "  measurements 10 minutes, the API part 9: 41 minutes in all here; it"
	echo "  needs about $HUGE_GB GB in ${TMPDIR:-/tmp}."
	if [ "$(free_gb)" -lt $((HUGE_GB + MIN_FREE_GB)) ]; then
		echo "bench --huge: $(free_gb) GB free in ${TMPDIR:-/tmp}; it needs $((HUGE_GB + MIN_FREE_GB)) ($HUGE_GB and $MIN_FREE_GB to spare)" >&2
		exit 1
	fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench.XXXXXX")
export BENCH_SUMMARY="$work/summary"
: >"$BENCH_SUMMARY"
watch=
# DAGTOP_BENCH_KEEP=1 leaves the server up for a developer to poke at.
if [ "${DAGTOP_BENCH_KEEP:-0}" = 1 ]; then
	trap 'set +e; [ -z "$watch" ] || kill "$watch"; echo "kept: PGHOST=$PGHOST PGPORT=$PGPORT work=$work"' EXIT
else
	trap 'set +e; [ -z "$watch" ] || kill "$watch"; pg_stop; rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM HUP PIPE QUIT

pg_start shared_buffers=1GB work_mem=64MB maintenance_work_mem=1GB \
    max_wal_size=$([ "$SIZE" = huge ] && echo 4GB || echo 8GB) \
    wal_level=minimal max_wal_senders=0 autovacuum=off \
    shared_preload_libraries=pg_stat_statements \
    pg_stat_statements.track_planning=on
echo "bench: PostgreSQL on 127.0.0.1:$PGPORT, Airflow $RELEASE schema"
pg_load_schema airflow "$SCHEMA"
if [ "$SIZE" = huge ]; then
	# The disk guard: ends the bench (and so the load) under 20 GB free.
	main=$$
	( while sleep 10; do
		[ "$(free_gb)" -ge $MIN_FREE_GB ] && continue
		echo "bench: under $MIN_FREE_GB GB free in ${TMPDIR:-/tmp}: stopped" >&2
		# The shell runs its trap once its command ends: end that too.
		kill -TERM "$main"
		pkill -TERM -P "$main"
		exit 0
	done ) &
	watch=$!
fi
t0=$(now_ms)
build/rel/gen_history --schema "$SCHEMA" --$SIZE --seed 7 |
    psql -q -X -v ON_ERROR_STOP=1 -d airflow >/dev/null
t1=$(now_ms)
psql -X -A -t -d airflow -c "SELECT 'loaded: ' || (SELECT count(*) FROM dag) || ' DAGs, ' || (SELECT count(*) FROM dag_run) || ' runs, ' || (SELECT count(*) FROM task_instance) || ' task instances, ' || pg_size_pretty(pg_database_size('airflow')) || ' (and ' || pg_size_pretty((SELECT sum(size) FROM pg_ls_waldir())) || ' of WAL)'"
nti=$(psql -X -A -t -d airflow -c "SELECT count(*) FROM task_instance")
echo "generate + load: $(( (t1 - t0) / 1000 )) s ($(( nti / ((t1 - t0) / 1000 + 1) )) task instances a second)"
psql -q -X -d airflow -c 'VACUUM ANALYZE' >/dev/null
echo "VACUUM ANALYZE: $(( ($(now_ms) - t1) / 1000 )) s"
# The scheduler is alive, as in production.
psql -q -X -d airflow -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null
# The consoles and reports connect as a role of their own, so that
# pg_stat_statements tells their statements apart from the bench's
# (tests/bench/lib.sh); it reads everything and, on loopback, needs no
# password.
psql -q -X -d airflow -c 'CREATE EXTENSION pg_stat_statements' \
    -c 'CREATE ROLE dagtop_bench LOGIN' -c 'GRANT pg_read_all_data TO dagtop_bench' >/dev/null
{ echo "host all dagtop_bench 127.0.0.1/32 trust"; cat "$PG_DIR/data/pg_hba.conf"; } >"$work/hba"
cat "$work/hba" >"$PG_DIR/data/pg_hba.conf"
psql -q -X -d airflow -c 'SELECT pg_reload_conf()' >/dev/null
CDB="host=127.0.0.1 port=$PGPORT dbname=airflow user=dagtop_bench"

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
md=$(median "$work/d.txt"); mp=$(median "$work/p.txt")
echo
echo "report status --format json, median of $ROUNDS alternating runs:"
echo "  dagtop: ${md} ms   psql (same $(grep -c '^EXECUTE' "$work/same.sql") statements): ${mp} ms"
ratio=$(awk -v d="$md" -v p="$mp" 'BEGIN { printf "%.2f", d / p }')
echo "  ratio dagtop/psql: $ratio (target <= 1.30)"
bench_summary "report status / psql, same statements" "$ratio (target <= 1.30 at 20,000 DAGs)"

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
sh tests/bench/console.sh "$CDB" "$md" || echo "bench: the console FAILED"
echo
sh tests/bench/consoles.sh "$CDB" || echo "bench: fifty consoles FAILED"
echo
sh tests/bench/fleet.sh "$CDB" || echo "bench: the environments overview FAILED"
echo
sh tests/bench/sla.sh "$CDB" || echo "bench: the SLA report FAILED"
echo
sh tests/bench/deps.sh "$CDB" || echo "bench: the blast radius FAILED"
echo
sh tests/bench/fourkeys.sh || echo "bench: the Four Keys FAILED"

# The same through the Airflow REST API: the emulator on this database.
echo
sh tests/bench/api.sh "$SCHEMA" "$DB" || echo "bench: API mode FAILED"

# Task logs: a 200 MB log through the API emulator (its own small server;
# the database's size does not change it, so --huge leaves it out).
if [ "$SIZE" = bench ]; then
	echo
	sh tests/bench/biglog.sh || echo "bench: the task log FAILED"
fi

echo
echo "summary ($(psql -X -A -t -d airflow -c "SELECT count(*) FROM dag") DAGs, $nti task instances, Airflow $RELEASE schema; targets from issue 18):"
cat "$BENCH_SUMMARY"
echo "the bench took $(( ($(now_ms) - t0) / 60000 )) minutes after the schema was loaded"
