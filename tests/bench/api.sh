#!/bin/sh
# make bench, API mode: the Airflow REST API emulator (tests/emulator) on the
# bench database with Airflow's default page limit (100), then
#   - `report status --format json` with a context that has no database
#     (source = api) timed beside the same report from the database, in
#     alternating runs, and the requests one API report sends;
#   - the console in API mode: time to the first full screen (strips
#     drawn), the requests of one refresh (r, a full read), and the
#     requests over an idle minute at the default api_refresh (30 s; the
#     refreshes between full reads read only what changed).
# Run by bench.sh, which has the server up; also usable on any loaded
# database (the demo's).  The emulator is stopped whatever happens.
# Usage: api.sh SCHEMA CONNINFO   (a role that may write; the emulator's)
set -u
schema=$1
db=$2
rounds=${DAGTOP_BENCH_API_ROUNDS:-5}
idle=${DAGTOP_BENCH_IDLE:-60}
bin=${DAGTOP_BENCH_BIN:-$(pwd)/dagtop}
sock=dagtop-bench-api-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/emu.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-api.XXXXXX")
trap '$T kill-server 2>/dev/null; emu_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

. tests/bench/lib.sh
# The emulator checks requests against the OpenAPI documents in the tests;
# here it does not, so that the figures are the client's and the data's.
emu_start AF --airflow "$schema" --page-limit 100 --no-validate --dsn "$db" || exit 1
mkdir -p "$work/.config/dagtop"
printf '[context bench]\nsource = api\nairflow_api = %s\ntimezone = UTC\n' "$AF_URL" \
    >"$work/.config/dagtop/config"
chmod 600 "$work/.config/dagtop/config"

reset() { curl -s --max-time 10 -XDELETE "$AF_URL/_emu/requests" >/dev/null; }
# counts: "TOTAL READS READ_POSTS WRITES" of what the emulator got since reset.
counts() {
	curl -s --max-time 30 "$AF_URL/_emu/requests" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["requests"]), d["reads"], d["read_posts"], d["writes"])'
}
show() { echo "$1" | awk '{ printf "%d requests (%d GET, %d list POST, %d writes)", $1, $2, $3, $4 }'; }

run_db() { "$bin" report status --format json --database "$db" >"$work/db.json" 2>&1 || true; }
run_api() {
	env HOME="$work" "$bin" --context bench report status --format json \
	    >"$work/api.json" 2>&1 || true
}

# One API report alone: its requests, and that it answered.
reset
run_api
one=$(counts)
grep -q '"source": *"api"' "$work/api.json" || {
	echo "bench api: report status through the API failed:" >&2
	head -c 2000 "$work/api.json" >&2
	exit 1
}
# Warm both, then alternate so that drift hits both sides alike.
run_db
: >"$work/d.txt"; : >"$work/a.txt"
i=0
while [ $i -lt "$rounds" ]; do
	a=$(now_ms); run_db; b=$(now_ms); run_api; c=$(now_ms)
	echo $((b - a)) >>"$work/d.txt"
	echo $((c - b)) >>"$work/a.txt"
	i=$((i + 1))
done
md=$(median "$work/d.txt"); ma=$(median "$work/a.txt")
echo "report status --format json, API mode (emulator, page limit 100), median of $rounds alternating runs:"
echo "  database: ${md} ms   API: ${ma} ms   ratio API/database:" \
    "$(awk -v d="$md" -v a="$ma" 'BEGIN { printf "%.2f", a / d }')"
echo "  one API report: $(show "$one")"

# The console in API mode: the first full screen is the DAG list's count.
$T new-session -d -s b -x 80 -y 24 "sleep 900"
reset
t0=$(now_ms)
$T respawn-pane -k -t b "env TERM=tmux-256color HOME=$work $bin --context bench"
i=0
# Full: the DAG list is there and no strip on screen waits to be read
# (drawn with '?').
full_screen() {
	$T capture-pane -p -t b >"$work/screen"
	grep -q "DAGs ([1-9]" "$work/screen" && ! grep -q '??' "$work/screen"
}
until full_screen; do
	sleep 0.1
	i=$((i + 1))
	[ $i -lt 3000 ] || {
		echo "console (API mode): no first screen in 300 s" >&2
		$T capture-pane -p -t b >&2
		exit 1
	}
done
first=$(( $(now_ms) - t0 ))
first_n=$(counts)
# settle: waits (at most 120 s) until the emulator's count stays still for 3 s.
settle() {
	last=-1; still=0; i=0
	while [ $still -lt 3 ] && [ $i -lt 120 ]; do
		n=$(counts | cut -d' ' -f1)
		if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; fi
		last=$n
		sleep 1
		i=$((i + 1))
	done
}
settle
reset
$T send-keys -t b r
sleep 1
settle
refresh_n=$(counts)
reset
sleep "$idle"
idle_n=$(counts)
echo "console, API mode (api_refresh 30 s), 80x24:"
echo "  first full screen: ${first} ms, $(show "$first_n")"
echo "  one refresh (r): $(show "$refresh_n")"
echo "  over ${idle} s idle: $(show "$idle_n");" \
    "per minute: $(( $(echo "$idle_n" | cut -d' ' -f1) * 60 / idle ))"
