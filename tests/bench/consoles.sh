#!/bin/sh
# Fifty consoles at once on the bench database, as fifty on-call engineers
# and team leads would have them: 80x24, default refresh, started a second
# apart.  Once every one shows its first full screen, the database's share
# of one CPU core over an idle minute: the DB ms of every statement they
# sent (pg_stat_statements, tests/bench/lib.sh) over the minute's ms, and
# beside it the server processes' CPU as the kernel counts it (DB ms also
# count the time a statement waits for a core, so they can pass 100% of
# the machine when it is saturated).
# Every console is stopped whatever happens.  Run by bench.sh, which has
# the server up; usage: consoles.sh CONNINFO (as dagtop_bench).
set -u
db=$1
n=${DAGTOP_BENCH_CONSOLES:-50}
idle=${DAGTOP_BENCH_IDLE:-60}
sock=dagtop-bench-many-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-consoles.XXXXXX")
T="tmux -L $sock -f /dev/null"
. tests/bench/lib.sh
# tmux's end hangs the consoles up; any left after it are ended by pid.
stop_all() {
	set +e
	$T kill-server 2>/dev/null
	[ -s "$work/pids" ] && kill $(cat "$work/pids") 2>/dev/null
	rm -rf "$work"
}
trap stop_all EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

ndags=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM dag WHERE is_active" 2>/dev/null || echo 2000)
$T new-session -d -s keep -x 80 -y 24 "sleep 3600"
: >"$work/pids"
i=1
while [ $i -le "$n" ]; do
	$T new-session -d -s "c$i" -x 80 -y 24 \
	    "env TERM=tmux-256color HOME=$work $(pwd)/dagtop --database '$db'"
	$T display-message -p -t "c$i" '#{pane_pid}' >>"$work/pids"
	sleep 1
	i=$((i + 1))
done
# Full: the DAG list with every DAG counted and no strip left unread.
waited=0
while :; do
	full=0
	i=1
	while [ $i -le "$n" ]; do
		full_screen "$T" "c$i" "$ndags" "$work/screen" && full=$((full + 1))
		i=$((i + 1))
	done
	[ "$full" -lt "$n" ] && [ $waited -lt 120 ] || break
	sleep 1
	waited=$((waited + 1))
done
alive=0
for p in $(cat "$work/pids"); do
	[ -d "/proc/$p" ] && alive=$((alive + 1))
done
sleep 5
# The server's own processes (the postmaster and its children: the
# consoles' backends among them), for their CPU as the kernel counts it.
pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
server="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
pgss_reset
c0=$(ticks $(cat "$work/pids"))
s0=$(ticks $server)
sleep "$idle"
c1=$(ticks $(cat "$work/pids"))
s1=$(ticks $server)
hz=$(getconf CLK_TCK)
echo "$n consoles at once, 80x24, default refresh, started a second apart, $ndags DAGs:"
echo "  $full of $n showed a full first screen ($alive running) before the idle minute"
echo "  the database over ${idle} s idle, per minute (pg_stat_statements):"
pgss_show "$idle" 6
share=$(awk -v m="$PGSS_MS" 'BEGIN { printf "%.1f", 100 * m / 60000 }')
echo "  the database's CPU: $share% of one core" \
    "($PGSS_MS DB ms a minute; target < 5% at 2,000 DAGs)"
bench_summary "$n idle consoles: the database's CPU" "$share% of a core (target < 5% at 2,000 DAGs)"
kernel=$(awk -v t=$((s1 - s0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.1f", 100 * t / hz / s }')
echo "  the server's processes' CPU (the kernel's count; DB ms above also count"
echo "  the time statements waited for a core): $kernel% of one core"
bench_summary "$n idle consoles: the server's CPU (kernel)" "$kernel% of a core"
echo "  the consoles' own CPU: $(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "%.1f", 100 * t / hz / s }')% of one core in all"
