#!/bin/sh
# The 200 MB log bench (part of make bench): the console at 80x24 in tmux
# opens a task whose log the API emulator streams at 200 MB, on Airflow 2
# (text/plain) and 3 (NDJSON).  Reported, from one run each:
#  - time from the first body bytes to the first log lines on screen
#    (target < 300 ms) and from the request;
#  - the console's peak RSS (VmHWM) once the whole log is in (target
#    < 64 MB), against its RSS on a small log;
#  - the whole fetch against curl downloading the same answer to
#    /dev/null, as a ratio (same machine, same moment).
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
. tests/lib/emu.sh
MB=${DAGTOP_BENCH_LOG_MB:-200}
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-biglog.XXXXXX")
T="tmux -L dagtop-biglog-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null || true; emu_stop_all; pg_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
pg_start
psql -q -X -d postgres -c "CREATE ROLE reader LOGIN PASSWORD 'reader-secret'" >/dev/null

now_ms() { date +%s%3N; }
screen_has() { $T capture-pane -p -t b 2>/dev/null | grep -qF -- "$1"; }
wait_screen() {
	i=0
	while ! screen_has "$1"; do
		i=$((i + 1))
		[ $i -lt "${2:-600}" ] || { echo "biglog: timed out waiting for '$1'" >&2; return 1; }
		sleep 0.05
	done
}

for v in 2 3; do
	pg_load_schema "af$v" "$v"
	psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f "tests/integration/fixture_v$v.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f tests/integration/fixture.sql >/dev/null
	psql -q -X -d "af$v" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	emu_start "E$v" --airflow "$v" --dsn "host=127.0.0.1 port=$PGPORT dbname=af$v user=postgres" \
	    --huge "etl_daily/transform:$MB"
	eval url=\$E${v}_URL
	cat >"$work/c$v" <<CONF
[context big]
database = postgresql://reader@127.0.0.1:$PGPORT/af$v
database_password_env = DBPW
airflow_api = $url
CONF
	# curl reading the same answer, for the ratio.
	if [ "$v" = 2 ]; then accept="text/plain"; else accept="application/x-ndjson"; fi
	path="/api/v$((v - 1))/dags/etl_daily/dagRuns/scheduled__d1/taskInstances/transform/logs/3?full_content=true&map_index=-1"
	t0=$(now_ms)
	curl -s -H "Accept: $accept" "$url$path" -o /dev/null
	t1=$(now_ms)
	curl_ms=$((t1 - t0))

	rm -f "$work/trace$v"
	$T new-session -d -s b -x 80 -y 24 \
	    "env DBPW=reader-secret DAGTOP_TRACE_LOG=$work/trace$v TERM=tmux-256color LANG=C.UTF-8 HOME=$work ./dagtop --config $work/c$v; sleep 30"
	wait_screen "DAGs (11)"
	pid=$(pgrep -n -f -- "dagtop --config $work/c$v")
	$T send-keys -t b / e t l _ d a i l y Enter; sleep 0.3
	$T send-keys -t b Enter; sleep 0.3
	$T send-keys -t b j Enter
	wait_screen "tasks of scheduled__d1"
	small=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
	$T send-keys -t b j j
	t0=$(now_ms)
	wait_screen "log transform try 3/3"
	# Reading until the title no longer says so.
	sleep 0.5
	i=0
	while screen_has "reading..."; do sleep 0.1; i=$((i + 1)); [ $i -lt 1200 ] || break; done
	t1=$(now_ms)
	screen_has "the big task failed" || echo "biglog: the end of the log is not on screen" >&2
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	lines=$($T capture-pane -p -t b | sed -n 's/.*API v[12]  \([0-9]*\) lines.*/\1/p' | head -1)
	echo "biglog: Airflow $v.x, $MB MB log ($lines lines)"
	sed 's/^/biglog:   /' "$work/trace$v"
	echo "biglog:   whole log in the pane: $((t1 - t0)) ms; curl alone: $curl_ms ms; ratio $(awk -v a=$((t1 - t0)) -v b=$curl_ms 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')"
	echo "biglog:   peak RSS $((hwm / 1024)) MB (target < 64); RSS before the log $((small / 1024)) MB"
	$T kill-server 2>/dev/null || true
done
