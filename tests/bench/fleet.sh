#!/bin/sh
# The environments overview (issue 20) of DAGTOP_BENCH_CONTEXTS contexts
# (5), each the bench database (its own connection each, as five
# environments of that size would have), at 80x24: the time to a row with
# a verdict for every context, then over an idle minute the console's CPU
# and memory against five times the single console's targets (1% of a
# core, 30 MB: the contexts' share), and what the database did for it
# (pg_stat_statements, tests/bench/lib.sh; a row is read at most every
# 30 s, fleetctl.c).  The console is stopped whatever happens.  Run by
# bench.sh, which has the server up; usage: fleet.sh CONNINFO (as
# dagtop_bench).
set -u
db=$1
n=${DAGTOP_BENCH_CONTEXTS:-5}
idle=${DAGTOP_BENCH_IDLE:-60}
sock=dagtop-bench-fleet-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-fleet.XXXXXX")
T="tmux -L $sock -f /dev/null"
. tests/bench/lib.sh
pid=
trap 'set +e; $T kill-server 2>/dev/null; [ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

names=
i=1
{
	while [ $i -le "$n" ]; do
		names="$names${names:+, }env$i"
		printf '[context env%d]\ndatabase = %s\n\n' "$i" "$db"
		i=$((i + 1))
	done
	printf '[dagtop]\ncontexts = %s\n' "$names"
} >"$work/config"

ndags=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM dag WHERE is_active" 2>/dev/null || echo 2000)
t0=$(now_ms)
$T new-session -d -s f -x 80 -y 24 \
    "env TERM=tmux-256color HOME=$work DAGTOP_CONFIG=$work/config $(pwd)/dagtop"
# Every row judged: n verdicts on screen, none still reading.
k=0
until $T capture-pane -p -t f >"$work/screen" 2>/dev/null &&
    [ "$(grep -cE '^│env[0-9]+ +(OK|WARNING|CRITICAL)' "$work/screen")" -eq "$n" ]; do
	sleep 0.05
	k=$((k + 1))
	[ $k -lt 2400 ] || {
		echo "fleet: not every row judged in 120 s" >&2
		cat "$work/screen" >&2
		exit 1
	}
done
first=$(( $(now_ms) - t0 ))
pid=$($T display-message -p -t f '#{pane_pid}')
sleep 2
pgss_reset
c0=$(ticks "$pid")
sleep "$idle"
c1=$(ticks "$pid")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hz=$(getconf CLK_TCK)
cpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
echo "environments overview, $n contexts of $ndags DAGs each, 80x24:"
echo "  every row judged: ${first} ms after the start"
echo "  the database over ${idle} s idle, per minute (pg_stat_statements):"
pgss_show "$idle" 6
echo "  per idle minute: ${PGSS_MS} DB ms, ${PGSS_ROWS} rows, ${PGSS_CALLS} statements (no target)"
echo "  CPU over ${idle} s idle: ${cpu}% of a core (target < $n%: $n contexts of 1%)"
echo "  memory: ${rss} kB RSS (target < $((n * 30720)) kB: $n contexts of 30 MB)"
bench_summary "overview of $n contexts: CPU" "${cpu}% of a core (target < $n%)"
bench_summary "overview of $n contexts: memory" "${rss} kB (target < $((n * 30720)) kB)"
bench_summary "overview of $n contexts: DB ms a minute" "$PGSS_MS (no target)"
