#!/bin/sh
# End-to-end test of the SLA panes: the real binary in a private tmux
# server, on a copy of the SLA fixture database (fixture_sla.sql: week
# 2026-W45, and a run for today, still running).
# Usage: sla.sh DAGTOP_BINARY SCHEMA   (2, 3 or 32: the database af<SCHEMA>_sla)
set -u
. tests/lib/pg.sh
bin=$1
v=$2
db="afsla${v}_$$"
sock=dagtop-sla-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh
home=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-sla-home.XXXXXX")
cleanup() { $T kill-server 2>/dev/null || true; dropdb --if-exists "$db" 2>/dev/null; rm -rf "$home"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

createdb -T "af${v}_sla" "$db" || exit 1
mkdir -p "$home/.config/dagtop"
cat >"$home/.config/dagtop/config" <<CONF
[context sla]
database = postgresql://reader@127.0.0.1:$PGPORT/$db
[sla "table_a_ready"]
dag = sla_etl
task = build_table_a
deadline = 10:00
timezone = Asia/Tokyo
days = mon-fri
owner = data-eng
[sla "feed"]
dag = sla_etl
deadline = 13:00
timezone = UTC
[sla "typo"]
dag = sla_etI
deadline = 10:00
timezone = UTC
CONF
# check_week COLUMNS FIRST: the heading names the seven days from FIRST
# (YYYY-MM-DD), computed here with date(1), in order and whole ("Mon 30",
# or "Mo 30" at 80 columns: never "Mon 3" for the 30th); WEEK, 26W and
# WORST have their headings; the legend says what every cell means.
check_week() {
	scr=$($T capture-pane -p -t e2e)
	pat=""
	k=0
	while [ $k -lt 7 ]; do
		d=$(date -u -d "$2 + $k days" +%-d)
		a=$(date -u -d "$2 + $k days" +%a)
		if [ "$1" -le 80 ] && [ ${#d} -eq 2 ]; then
			a=$(printf %.2s "$a")
		fi
		pat="$pat +$a $d"
		k=$((k + 1))
	done
	printf '%s\n' "$scr" | grep -Eq "^│ SLA$pat +WEEK +26W +WORST +│" ||
	    fail "at $1 columns the week's heading is not SLA$pat WEEK 26W WORST"
	for l in "✓ met" "+25m late by" "FAIL failed" "MISS no run" \
	    "risk at risk" ".. not due yet" "· no SLA that day" "DAG? unknown DAG"; do
		printf '%s\n' "$scr" | grep -qF -- "$l" ||
		    fail "at $1 columns the legend lacks \"$l\""
	done
}

session "env PGPASSWORD=reader-secret TERM=tmux-256color LANG=C.UTF-8 HOME=$home $bin --context sla; echo EXITED \$?; sleep 30"
expect "DAGs (" 15

# Today's SLAs; Enter on one opens today's run.
keys a
expect "SLAs today (3)"
expect "table_a_ready"
expect "feed"
# An SLA on a DAG the database does not have: unknown DAG, not missing.
expect "unknown DAG"
$T capture-pane -p -t e2e | grep "typo" | grep -q "unknown DAG" ||
    fail "the SLA on sla_etI does not say unknown DAG"
$T capture-pane -p -t e2e | grep "typo" | grep -q "missing" &&
    fail "the SLA on sla_etI says missing"
keys g
for try in 1 2; do
	keys Enter
	wait_for "tasks of scheduled__today" 3 && break
	keys q a j
done
expect "tasks of scheduled__today"

# The weekly summary: back to week 2026-W45 of the fixture.
keys W
expect "SLA week $(date -u +%G-W%V)"
monday=$(date -u -d "$(date -u +%F) -$(( $(date -u +%u) - 1 )) days" +%F)
check_week 80 "$monday"
back=$(( ( $(date -u +%s) / 86400 + 3 ) / 7 - ( $(date -u -d 2026-11-02 +%s) / 86400 + 3 ) / 7 ))
if [ "$back" -ge 26 ]; then
	fail "the fixture's week 2026-W45 is more than 26 weeks ago: move it"
else
	i=0
	while [ $i -lt "$back" ]; do keys '<'; i=$((i + 1)); done
	expect "SLA week 2026-W45"
	# table_a_ready: met, late 25m, met, failed, missing; 2 of 5 = 40%.
	$T capture-pane -p -t e2e | grep "table_a_ready" | grep -q "40%" ||
	    fail "table_a_ready is not at 40% in 2026-W45"
	$T capture-pane -p -t e2e | grep "table_a_ready" | grep -q "25m" ||
	    fail "table_a_ready's worst lateness is not 25m"
	$T capture-pane -p -t e2e | grep "typo" | grep -q "DAG?" ||
	    fail "the SLA on sla_etI is not DAG? in the week"
	$T capture-pane -p -t e2e | grep "typo" | grep -q "MISS" &&
	    fail "the SLA on sla_etI is MISS in the week"
	check_week 80 2026-11-02
	for size in 100x30 120x40 200x60; do
		$T resize-window -t e2e -x "${size%x*}" -y "${size#*x}"
		sleep 0.5
		check_week "${size%x*}" 2026-11-02
	done
	$T resize-window -t e2e -x 80 -y 24
fi
keys Q
expect "EXITED 0"

# ASCII, no colour: the grid still reads.
session "env PGPASSWORD=reader-secret TERM=vt100 NO_COLOR=1 LANG=C HOME=$home $bin --ascii --context sla; echo EXITED \$?; sleep 30"
expect "DAGs (" 15
keys W
expect "SLA week"
$T capture-pane -p -t e2e | grep -q '^+-' || fail "no ASCII frame"
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "sla e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "sla e2e ($bin, schema $v): all checks passed"
