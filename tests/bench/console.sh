#!/bin/sh
# The console on the bench database: time to the first full screen, bytes
# written to the terminal and CPU over an idle minute, memory.  Run by
# bench.sh, which has the server up; usage: console.sh CONNINFO REPORT_MS
set -u
db=$1
report_ms=$2
idle=${DAGTOP_BENCH_IDLE:-60}
sock=dagtop-bench-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-console.XXXXXX")
T="tmux -L $sock -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

$T new-session -d -s b -x 80 -y 24 "sleep 600"
$T pipe-pane -t b -o "cat >> $work/bytes"
t0=$(now_ms)
$T respawn-pane -k -t b "env TERM=tmux-256color HOME=$work $(pwd)/dagtop --database '$db'"
ndags=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM dag WHERE is_active" 2>/dev/null || echo 2000)
i=0
until $T capture-pane -p -t b | grep -q "DAGs ($ndags)"; do
	sleep 0.02
	i=$((i + 1))
	[ $i -lt 3000 ] || { echo "console: no first screen in 60 s" >&2; exit 1; }
done
t1=$(now_ms)
first=$((t1 - t0))
pid=$(pgrep -n -f -- "dagtop --database $db")
sleep 2
b0=$(wc -c < "$work/bytes")
c0=$(ticks "$pid")
sleep "$idle"
b1=$(wc -c < "$work/bytes")
c1=$(ticks "$pid")
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hz=$(getconf CLK_TCK)
echo "console, 80x24, default refresh (5 s), $ndags DAGs:"
echo "  first full screen: ${first} ms; report status: ${report_ms} ms;" \
    "ratio $(awk -v a="$first" -v b="$report_ms" 'BEGIN { printf "%.2f", a / b }') (target <= 1.30)"
echo "  bytes to the terminal over ${idle} s idle: $((b1 - b0))" \
    "(per minute: $(( (b1 - b0) * 60 / idle )); target < 2048)"
echo "  CPU over ${idle} s idle: $(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.2f", 100 * t / hz / s }')% of a core (target < 1%)"
echo "  memory: ${rss} kB RSS (target < 30720 kB)"
