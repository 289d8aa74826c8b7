#!/bin/sh
# End-to-end test of the slots pane: the real binary in a private tmux
# server, the Airflow database of tests/integration/run.sh and the BigQuery
# emulator.  The chart against capacity, the numbers, the top consumers,
# the Airflow pools, Enter on a DAG's consumer to its runs, the ASCII
# drawing, and a refresh that fails while the last result stays.
# Usage: slots.sh DAGTOP_BINARY DBNAME
set -u
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh
. tests/lib/bigquery_emu.sh
bin=$1
db=$2
sock=dagtop-slots-$$
fails=0
T="tmux -L $sock -f /dev/null"
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-e2e-slots.XXXXXX")
cleanup() { bq_emu_stop; $T kill-server 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
	echo "FAIL: $*" >&2
	echo "---- screen ----" >&2
	$T capture-pane -p -t e2e >&2 2>/dev/null
	echo "----------------" >&2
	fails=$((fails + 1))
}

wait_for() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt $limit ]; do
		if $T capture-pane -p -t e2e 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

expect() { wait_for "$1" "${2:-10}" || fail "expected \"$1\" on the screen"; }
keys() { $T send-keys -t e2e "$@"; sleep 0.3; }

bq_emu_start "$dir" "etl_daily,stale_dag,not_in_airflow" || exit 1
mkdir -p "$dir/home"
cat >"$dir/config" <<CONF
[context e2e]
database = postgresql://reader@127.0.0.1:$PGPORT/$db
database_password_env = E2E_PW
bigquery_project = demo-project
bigquery_location = US
bigquery_url = $BQ_EMU_URL/bigquery/v2
bigquery_refresh = 10
google_auth = service-account
google_key_file = $dir/sa.json
CONF
chmod 600 "$dir/config"

n=0
start() {
	$T kill-server 2>/dev/null
	n=$((n + 1))
	T="tmux -L $sock-$n -f /dev/null"
	# 31 rows: the panes' 27 of 100x30 before the breadcrumb took one.
	$T new-session -d -s e2e -x 100 -y 31 \
	    "env E2E_PW=reader-secret TERM=tmux-256color LANG=${1:-C.UTF-8} HOME=$dir/home TZ=UTC $bin --config $dir/config --view slots ${2:-}; echo EXITED \$?; sleep 30"
}

start
expect "DAGs (11)" 15
# A run of another DAG open below, with its log: opening a DAG from the
# slots pane must not leave them beside its runs.
keys / m a p p e d Enter
keys Enter Enter
expect "tasks of scheduled__d1"
expect "process"
# Nothing asks BigQuery until the slots pane is shown: its queries are billed.
sleep 1
grep -q "POST queries" "$BQ_EMU_LOG" && fail "BigQuery was queried before the slots pane was shown"
keys b
expect "BigQuery slots: project demo-project, US, service account" 10
# adhoc was above its ceiling two hours ago, not in the last 15 minutes.
expect "above 20 min, 0 in last 15" 15
# The peak's height depends on the day (a sine of the epoch rides on it):
# the morning load's hour, in UTC; the busiest minute's average.
$T capture-pane -p -t e2e | grep -Eq "peak [5-9][0-9][0-9] at 0[89]:[0-5][0-9] \(busiest minute\)" ||
    fail "no morning peak in the header"
# One line per reservation, its usage now and peak against its ceiling.
expect "RESERVATION"
$T capture-pane -p -t e2e | grep -Eq "demo-project:US.adhoc +30 +140 +100 +20" ||
    fail "adhoc's line"
$T capture-pane -p -t e2e | grep -Eq "demo-project:US.etl +[0-9]+ +[0-9]+ +595 +0" ||
    fail "etl's line (ceiling 300 + 100 + 195 idle)"
$T capture-pane -p -t e2e | grep -Eq "on-demand +25 +325 +- +-" ||
    fail "on-demand's line"
$T capture-pane -p -t e2e | grep -q "▁\|▂\|▃\|▄\|▅\|▆\|▇\|█" || fail "no chart blocks"
$T capture-pane -p -t e2e | grep -q "─" || fail "no capacity line"
# The capacity line: the ceilings of the reservations used, summed (the
# idle slots etl borrows move with the hour, so the sum is read from the
# CEILING column on the same screen).
ceilings=$($T capture-pane -p -t e2e | awk '$2 ~ /^demo-project:US\./ { s += $5 } END { print s + 0 }')
$T capture-pane -p -t e2e | grep -Eq " $ceilings ─" ||
    fail "no capacity label at the sum of the ceilings ($ceilings)"
expect "KIND  SLOT-H  AVG  SHARE  TOP CONSUMER"
expect "airflow@demo-project.iam.gserviceaccount.com"
expect "dag   1"
expect "etl_daily.load_to_bq"
expect "these queries billed 30 MiB every 10s"
# The pools of the Airflow database, next to BigQuery's slots.
expect "Airflow pools"
$T capture-pane -p -t e2e | grep -q "128 .*default_pool" || fail "default_pool row"
[ "$(grep -c 'POST token jwt ok' "$BQ_EMU_LOG")" = 1 ] || fail "one token expected"

# The DAG consumers (after the three users): etl_daily, a DAG whose file
# is gone (not in the DAG list: it opened the list's first DAG), then one
# that Airflow does not know.
keys j j j j j
keys Enter
expect "no DAG 'not_in_airflow' in this Airflow"
keys k
keys Enter
expect "DAG 'stale_dag' is not active in this Airflow"
$T capture-pane -p -t e2e | grep -q "runs of" && fail "a stale DAG's consumer opened some DAG's runs"
keys k
keys Enter
expect "runs of etl_daily"
# Every pane below the DAG is cleared: mapped.dag's tasks and log are gone.
sleep 0.5
$T capture-pane -p -t e2e | grep -q "tasks of scheduled__d1\|process\|fetch" &&
    fail "the tasks or log of another DAG stayed beside etl_daily's runs"
# Away from the slots pane, its billed refreshes (every 10 s here) stop.
n=$(grep -c "POST queries" "$BQ_EMU_LOG")
sleep 12
[ "$(grep -c "POST queries" "$BQ_EMU_LOG")" = "$n" ] ||
    fail "BigQuery was queried while the slots pane was away"
keys b
expect "BigQuery slots"

# Back on the pane, it reads at once; then a refresh (r) reads again, and
# the cached token serves both.
sleep 3
n=$(grep -c "POST queries" "$BQ_EMU_LOG")
keys r
sleep 2
[ "$(grep -c "POST queries" "$BQ_EMU_LOG")" -gt "$n" ] || fail "r did not refresh the slots"
[ "$(grep -c 'POST token jwt ok' "$BQ_EMU_LOG")" = 1 ] || fail "the token was not reused"

# BigQuery goes away: the last result stays, with why.
bq_emu_stop
keys r
expect "last refresh failed" 20
expect "etl_daily.load_to_bq"

# ASCII: '#' bars and a '-' capacity line, no block characters.
bq_emu_start "$dir" "etl_daily" || exit 1
sed -i "s#^bigquery_url = .*#bigquery_url = $BQ_EMU_URL/bigquery/v2#" "$dir/config"
start C.UTF-8 --ascii
expect "DAGs (11)" 15
keys b
expect "RESERVATION" 15
$T capture-pane -p -t e2e | grep -q "#" || fail "no ASCII bars"
$T capture-pane -p -t e2e | grep -q "▁\|█\|─" && fail "Unicode in ASCII mode"
keys Q
expect "EXITED 0"

# 80x24: the summary and the reservations still readable; what is cut
# says so with an ellipsis.
$T kill-server 2>/dev/null
T="tmux -L $sock-80 -f /dev/null"
$T new-session -d -s e2e -x 80 -y 24 \
    "env E2E_PW=reader-secret TERM=tmux-256color LANG=C.UTF-8 HOME=$dir/home TZ=UTC $bin --config $dir/config --view slots; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 15
keys b
expect "RESERVATION" 15
expect "demo-project:US.adhoc"
expect "on-demand"
$T capture-pane -p -t e2e | grep -q "peak [0-9]* at .*…" || fail "80x24: the summary is not cut with an ellipsis"
keys Q
$T kill-server 2>/dev/null

[ $fails = 0 ] && echo "slots pane: all good ($bin)"
exit $((fails > 0))
