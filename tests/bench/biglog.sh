#!/bin/sh
# The 200 MB log bench (part of make bench): the console at 80x24 in tmux
# opens a task whose log the API emulator streams at 200 MB, on Airflow 2
# (text/plain) and 3 (NDJSON).  Reported:
#  - time from the first body bytes to the first log lines on screen
#    (target < 300 ms) and from the request;
#  - the console's peak RSS (VmHWM) once the whole log is in (target
#    < 64 MB), against its RSS on a small log;
#  - the whole fetch against curl downloading the same answer to
#    /dev/null, as a ratio (same machine, same moment), and the console's
#    CPU time for it: DAGTOP_BENCH_LOG_ROUNDS rounds (3) of curl then the
#    console, each round's figures and their medians;
#  - then `report log` from a log folder on logs of hostile shapes (200 MB
#    of newlines, one line of 100 MiB): peak RSS (target < 64 MB).
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
. tests/lib/emu.sh
MB=${DAGTOP_BENCH_LOG_MB:-200}
ROUNDS=${DAGTOP_BENCH_LOG_ROUNDS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-biglog.XXXXXX")
T="tmux -L dagtop-biglog-$$ -f /dev/null"
trap 'set +e; $T kill-server 2>/dev/null; emu_stop_all; pg_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
pg_start
psql -q -X -d postgres -c "CREATE ROLE reader LOGIN PASSWORD 'reader-secret'" >/dev/null

now_ms() { date +%s%3N; }
# The process's CPU time (user and system) so far, in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }
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

	rm -f "$work/trace$v"
	$T new-session -d -s b -x 80 -y 24 \
	    "env DBPW=reader-secret DAGTOP_TRACE_LOG=$work/trace$v TERM=tmux-256color LANG=C.UTF-8 HOME=$work ./dagtop --config $work/c$v; sleep 30"
	wait_screen "DAGs (11)"
	pid=$(pgrep -n -f -- "dagtop --config $work/c$v")
	$T send-keys -t b / e t l _ d a i l y Enter; sleep 0.3
	$T send-keys -t b Enter; sleep 0.3
	$T send-keys -t b j Enter
	wait_screen "tasks of scheduled__d1"
	# The cursor opens on the failed transform: up to extract first.
	wait_screen "upfail"
	$T send-keys -t b g
	wait_screen "log extract"
	small=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
	# Rounds of curl then the console, side by side in time, so that the
	# load of a shared machine weighs on both; the medians are the figures.
	: >"$work/rounds$v"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		t0=$(now_ms)
		curl -s -H "Accept: $accept" "$url$path" -o /dev/null
		t1=$(now_ms)
		curl_ms=$((t1 - t0))
		c0=$(cpu_ms "$pid")
		$T send-keys -t b j j
		t0=$(now_ms)
		wait_screen "log transform try 3 of 3"
		# Reading until the title no longer says so.
		sleep 0.5
		i=0
		while screen_has "reading..."; do sleep 0.1; i=$((i + 1)); [ $i -lt 1200 ] || break; done
		t1=$(now_ms)
		c1=$(cpu_ms "$pid")
		# The log's last line (the pane is shorter than the traceback).
		if [ "$v" = 2 ]; then last="is not numeric"; else last="ValueError: too big"; fi
		screen_has "$last" || echo "biglog: the end of the log is not on screen" >&2
		echo "$((t1 - t0)) $curl_ms $((c1 - c0))" >>"$work/rounds$v"
		$T send-keys -t b g
		wait_screen "log extract"
	done
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	lines=$($T capture-pane -p -t b | sed -n 's/.*API v[12]  \([0-9]*\) lines.*/\1/p' | head -1)
	echo "biglog: Airflow $v.x, $MB MB log"
	sed 's/^/biglog:   /' "$work/trace$v"
	awk '{ printf "biglog:   round %d: whole log in the pane %d ms; curl alone %d ms; ratio %.2f; the console'"'"'s CPU %d ms\n", NR, $1, $2, $1 / ($2 > 0 ? $2 : 1), $3 }' "$work/rounds$v"
	med() { awk "{ print $1 }" "$work/rounds$v" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
	echo "biglog:   median of $ROUNDS: whole log in the pane $(med '$1') ms; curl alone $(med '$2') ms; ratio $(med '$1 / ($2 > 0 ? $2 : 1)' | awk '{ printf "%.2f", $1 }') (target < 1.2); the console's CPU $(med '$3') ms"
	echo "biglog:   peak RSS $((hwm / 1024)) MB (target < 64); RSS before the log $((small / 1024)) MB"
	$T kill-server 2>/dev/null || true
done

# Logs of hostile shapes, through `report log` from a log folder: 200 MB
# of newlines (what 204 KB of gzip unpacks to) and one line of 100 MiB.
# Peak RSS of the process (getrusage through Python's wait4), target
# < 64 MB whatever the shape; the output is checked, not kept.
peak() {	# peak CMD...: runs it, stdout to $work/out; prints max RSS in KB
	python3 -c 'import os, sys
pid = os.fork()
if pid == 0:
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
print(ru.ru_maxrss, os.waitstatus_to_exitcode(status))' "$work/out" "$@"
}
d="$work/logs/dag_id=etl_daily/run_id=scheduled__d1/task_id=transform"
mkdir -p "$d"
printf '[context f]\ndatabase = postgresql://reader@127.0.0.1:%s/af2\ndatabase_password_env = DBPW\nlog_folder = %s\n' \
    "$PGPORT" "$work/logs" >"$work/folder.conf"
for shape in newlines longline; do
	if [ $shape = newlines ]; then
		head -c $((MB * 1000000)) /dev/zero | tr '\0' '\n' >"$d/attempt=3.log"
		what="$MB MB of newlines"
	else
		{ head -c 104857600 /dev/zero | tr '\0' x; printf '\nthe end\n'; } >"$d/attempt=3.log"
		what="one line of 100 MiB"
	fi
	t0=$(now_ms)
	set -- $(peak env DBPW=reader-secret ./dagtop --config "$work/folder.conf" report log etl_daily scheduled__d1 transform)
	t1=$(now_ms)
	[ "$2" = 0 ] || echo "biglog: report log of $what: exit status $2" >&2
	if [ $shape = newlines ]; then
		[ "$(wc -l <"$work/out")" = $((MB * 1000000)) ] || echo "biglog: report log of $what: not every line printed" >&2
	else
		grep -q "… 104792064 bytes more$" "$work/out" || echo "biglog: report log of $what: no \"… N bytes more\"" >&2
	fi
	echo "biglog: report log of $what: peak RSS $(($1 / 1024)) MB (target < 64), $((t1 - t0)) ms"
	rm -f "$d/attempt=3.log" "$work/out"
done
