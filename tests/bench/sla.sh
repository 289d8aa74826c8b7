#!/bin/sh
# The SLA report on the bench database: 200 SLAs of every kind (whole runs
# and tasks, a mapped task, five zones, every form of days, deadlines
# before and after the runs end, two DAGs that do not exist), then
# `report sla` (this week and the trailing 26 weeks): its time, median of
# a few runs, and the statements it sent with their DB ms
# (pg_stat_statements, tests/bench/lib.sh).  Run by bench.sh, which has
# the server up; usage: sla.sh CONNINFO (as dagtop_bench).
set -u
db=$1
rounds=${DAGTOP_BENCH_SLA_ROUNDS:-5}
nsla=${DAGTOP_BENCH_SLAS:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-sla.XXXXXX")
. tests/bench/lib.sh
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

# The bench's DAGs as gen_history names them (--bench and --huge): DAG i
# is <team>_<subject>_<i>, runs daily at hour 5i mod 24 UTC; every DAG has
# quality_check and publish; DAG i with i mod 4 = 1 maps process_partition
# (when it has room for it, which most have).
ndags=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM dag")
awk -v n="$nsla" -v ndags="$ndags" 'BEGIN {
	split("sales marketing finance partner inventory customer billing ads search growth risk logistics support product hr", P, " ")
	split("daily_etl attribution ledger_load feed_export snapshot churn_model revenue_rollup sheet_export events_ingest dedup kpi_dashboard reconciliation", S, " ")
	split("UTC Europe/Berlin America/New_York Asia/Tokyo Australia/Sydney", Z, " ")
	split("UTC:0 Europe/Berlin:1 America/New_York:-5 Asia/Tokyo:9 Australia/Sydney:11", O, " ")
	split("daily|weekdays|mon-fri|fri-mon|mon,wed,fri|mon-wed,sat|sat-sun", D, "|")
	step = int(ndags / n); if (step < 1) step = 1
	for (k = 0; k < n; k++) {
		i = (k * step) % ndags
		if (k % 4 == 1) i = i - i % 4 + 1	# a DAG that maps
		if (i >= ndags) i -= 4
		id = sprintf("%s_%s_%04d", P[i % 15 + 1], S[int(i / 15) % 12 + 1], i)
		if (k == 17 || k == 113) id = "no_such_dag_" k
		z = k % 5 + 1
		split(O[z], zo, ":")
		# Runs start at 5i mod 24 UTC and take one to three hours: a
		# deadline two hours later is met or late, six hours later met.
		h = ((i * 5) % 24 + (k % 3 == 0 ? 2 : 6) + zo[2] + 48) % 24
		printf "[sla \"bench %03d\"]\ndag = %s\n", k, id
		if (k % 4 == 1) printf "task = process_partition\n"
		else if (k % 4 == 2) printf "task = %s\n", (k % 8 == 2 ? "publish" : "quality_check")
		printf "deadline = %02d:%02d\n", h, (k * 7) % 60
		if (z > 1) printf "timezone = %s\n", Z[z]
		if (k % 7 > 0) printf "days = %s\n", D[k % 7 + 1]
		if (k % 10 == 0) printf "owner = team-%s\nnote = page the on-call\n", P[i % 15 + 1]
		printf "\n"
	}
}' >"$work/config"
chmod 600 "$work/config"

run() {
	env HOME="$work" "$(pwd)/dagtop" --config "$work/config" --database "$db" \
	    report sla --format json >"$work/out.json" 2>"$work/err"
	rc=$?
}
bench_measure run "$rounds" "$work/stmts"
[ "$rc" -le 1 ] || {
	echo "bench sla: report sla exited $rc:" >&2
	head -c 2000 "$work/err" "$work/out.json" >&2
}
nrep=$(/usr/bin/python3 -c '
import json, sys
print(len(json.load(open(sys.argv[1]))["slas"]))' "$work/out.json" 2>/dev/null || echo "?")
echo "report sla (this week and the trailing 26 weeks), $nsla SLAs ($nrep reported), $ndags DAGs:"
echo "  time: $BENCH_MS ms, median of $rounds runs (target < 1000 ms)"
echo "  statements: $PGSS_CALLS (target <= 3), $PGSS_MS DB ms; each:"
bench_summary "report sla, $nsla SLAs, 26 weeks: time" "$BENCH_MS ms (target < 1000 ms)"
bench_summary "report sla, $nsla SLAs, 26 weeks: statements" "$PGSS_CALLS (target <= 3)"
cat "$work/stmts"

# The half-year view: `report sla --weeks 26`, a column per week, from one
# read of the 26 weeks.
run_weeks() {
	env HOME="$work" "$(pwd)/dagtop" --config "$work/config" --database "$db" \
	    report sla --weeks 26 --format json >"$work/weeks.json" 2>"$work/err"
	rc=$?
}
bench_measure run_weeks "$rounds" "$work/stmts.weeks"
[ "$rc" -le 1 ] || {
	echo "bench sla: report sla --weeks 26 exited $rc:" >&2
	head -c 2000 "$work/err" "$work/weeks.json" >&2
}
nrep=$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert all(len(s["weeks"]) == 26 for s in d["slas"])
print(len(d["slas"]))' "$work/weeks.json" 2>/dev/null || echo "?")
echo "report sla --weeks 26 (a column per week), $nsla SLAs ($nrep reported):"
echo "  time: $BENCH_MS ms, median of $rounds runs (target < 1000 ms)"
echo "  statements: $PGSS_CALLS (target <= 3), $PGSS_MS DB ms; each:"
bench_summary "report sla --weeks 26, $nsla SLAs: time" "$BENCH_MS ms (target < 1000 ms)"
bench_summary "report sla --weeks 26, $nsla SLAs: statements" "$PGSS_CALLS (target <= 3)"
cat "$work/stmts.weeks"
