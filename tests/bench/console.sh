#!/bin/sh
# The console on the bench database: time to the first full screen against
# `report status`, then over one idle minute the database's work for it
# (pg_stat_statements, tests/bench/lib.sh), bytes written to the terminal,
# CPU and memory.  Run by bench.sh, which has the server up; usage:
#   console.sh CONNINFO REPORT_MS
# CONNINFO connects as dagtop_bench (lib.sh), so that the database's work
# for the console is told apart from the bench's.
set -u
db=$1
report_ms=$2
idle=${DAGTOP_BENCH_IDLE:-60}
sock=dagtop-bench-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-console.XXXXXX")
T="tmux -L $sock -f /dev/null"
. tests/bench/lib.sh
pid=
trap 'set +e; $T kill-server 2>/dev/null; [ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

ndags=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM dag WHERE is_active" 2>/dev/null || echo 2000)
$T new-session -d -s b -x 80 -y 24 "sleep 900"
# The first full screen, the median of DAGTOP_BENCH_SCREENS starts (5; the
# report's figure is a median too): from the pane's respawn to the screen,
# polled every 5 ms, so that one start's luck and the poll's step weigh
# little.  The last start stays for the idle minute.
screens=${DAGTOP_BENCH_SCREENS:-5}
: >"$work/firsts"
n=0
while [ $n -lt "$screens" ]; do
	[ $n -lt $((screens - 1)) ] || $T pipe-pane -t b -o "cat >> $work/bytes"
	t0=$(now_ms)
	$T respawn-pane -k -t b "env TERM=tmux-256color HOME=$work $(pwd)/dagtop --database '$db'"
	i=0
	until full_screen "$T" b "$ndags" "$work/screen"; do
		sleep 0.005
		i=$((i + 1))
		[ $i -lt 12000 ] || {
			echo "console: no first screen in 60 s" >&2
			cat "$work/screen" >&2
			exit 1
		}
	done
	t1=$(now_ms)
	echo $((t1 - t0)) >>"$work/firsts"
	n=$((n + 1))
done
first=$(median "$work/firsts")
pid=$($T display-message -p -t b '#{pane_pid}')
sleep 2
pgss_reset
b0=$(wc -c < "$work/bytes")
c0=$(ticks "$pid")
sleep "$idle"
b1=$(wc -c < "$work/bytes")
c1=$(ticks "$pid")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hz=$(getconf CLK_TCK)
echo "console, 80x24, default refresh (5 s), $ndags DAGs:"
echo "  first full screen (DAG list and its strips), median of $screens starts:" \
    "${first} ms ($(tr '\n' ' ' <"$work/firsts")ms);" \
    "report status: ${report_ms} ms; ratio $(ratio "$first" "$report_ms") (target <= 1.00)"
bench_summary "first full screen / report status" "$(ratio "$first" "$report_ms") (target <= 1.00)"
echo "  the database over ${idle} s idle, per minute (pg_stat_statements; DB ms:"
echo "  execution and planning):"
pgss_show "$idle"
if [ "$ndags" -le 5000 ]; then
	tms="target <= 60" trows=" (target <= 5000)"
else
	tms="target <= 200" trows=
fi
echo "  per idle minute: ${PGSS_MS} DB ms ($tms), ${PGSS_ROWS} rows$trows," \
    "${PGSS_CALLS} statements"
bench_summary "one idle console: DB ms a minute" "$PGSS_MS ($tms)"
bench_summary "one idle console: rows a minute" "$PGSS_ROWS${trows:- (no target)}"
bench_summary "one idle console: statements a minute" "$PGSS_CALLS (no target)"
echo "  bytes to the terminal over ${idle} s idle: $((b1 - b0))" \
    "(per minute: $(( (b1 - b0) * 60 / idle )); target < 2048)"
echo "  CPU over ${idle} s idle: $(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / hz / s }')% of a core (target < 1%)"
echo "  memory: ${rss} kB RSS (target < 30720 kB)"
