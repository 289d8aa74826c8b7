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
	    "risk at risk" ".. not due yet" "· no SLA that day" "DAG? unknown DAG" \
	    "▁▄█ met % a week"; do
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
	# The strips: the 26 weeks ending with this one, W45 at cell
	# 26 - back (1-based); before it nothing judged (the DAG is born in
	# W45), W45 at 40% (table_a_ready, lowest but two of the eighths)
	# and 43% (feed), then every week missed (0%, the lowest block) up
	# to last week.  This week's cell depends on the hour: not checked.
	pre=""
	i=0
	while [ $i -lt $((25 - back)) ]; do pre="$pre·"; i=$((i + 1)); done
	post=""
	i=1
	while [ $i -lt "$back" ]; do post="$post▁"; i=$((i + 1)); done
	check_strips() {
		scr=$($T capture-pane -p -t e2e)
		printf '%s\n' "$scr" | grep -m1 -A1 "table_a_ready " | tail -n 1 |
		    grep -q "W[0-9][0-9]\.\.W[0-9][0-9] *$pre▃$post.* 26w .*worst +25m" ||
		    fail "$1: table_a_ready's strip is not $pre▃$post… worst +25m"
		printf '%s\n' "$scr" | grep -m1 -A1 "│ feed " | tail -n 1 |
		    grep -q " $pre▄$post" ||
		    fail "$1: feed's strip is not $pre▄$post…"
		printf '%s\n' "$scr" | grep -m1 -A1 "│ typo " | tail -n 1 |
		    grep -q " ??????????????????????????" ||
		    fail "$1: the unknown DAG's strip is not ?s"
	}
	check_strips "2026-W45"
	expect "table_a_ready 2026-W45: 40% (2/5), 1 late, 1 failed, 1 missing, worst +25m"
	# The shown week is marked (reverse video) on feed's strip (table_a_ready,
	# the selected row, is all reverse but that cell).
	line=$($T capture-pane -p -e -t e2e | grep -m1 -A1 "feed " | tail -n 1)
	seg=${line##*·}
	seg=${seg%%▄*}
	case "$seg" in
	*'[7m'*|*';7m'*|*'[7;'*|*';7;'*) ;;
	*) fail "feed's W45 cell is not marked (reverse video)" ;;
	esac
	seg=${line#*▄}
	seg=${seg%%▁*}
	case "$seg" in
	*'[7m'*|*';7m'*|*'[7;'*|*';7;'*) fail "feed's W46 cell is marked too" ;;
	esac
	# A week back: the strips stay where they are, the mark moves.
	strip_before=$($T capture-pane -p -t e2e | grep -m1 -A1 "table_a_ready " | tail -n 1)
	keys '<'
	expect "SLA week 2026-W44"
	expect "table_a_ready 2026-W44: nothing judged"
	strip_after=$($T capture-pane -p -t e2e | grep -m1 -A1 "table_a_ready " | tail -n 1)
	[ "$strip_before" = "$strip_after" ] ||
	    fail "the strip moved with the week: '$strip_before' then '$strip_after'"
	line=$($T capture-pane -p -e -t e2e | grep -m1 -A1 "feed " | tail -n 1)
	seg=${line#*▄}
	seg=${seg%%▁*}
	case "$seg" in
	*'[7m'*|*';7m'*|*'[7;'*|*';7;'*) fail "feed's W45 cell is still marked at W44" ;;
	esac
	keys '>'
	expect "SLA week 2026-W45"
	for size in 100x30 120x40 200x60; do
		$T resize-window -t e2e -x "${size%x*}" -y "${size#*x}"
		sleep 0.5
		check_week "${size%x*}" 2026-11-02
		check_strips "$size"
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
if [ "$back" -lt 26 ]; then
	# The strips in ASCII: '.' nothing judged, the tens digit, '#' all met.
	apre=$(printf '%s' "$pre" | sed 's/·/./g')
	apost=$(printf '%s' "$post" | sed 's/▁/0/g')
	$T capture-pane -p -t e2e | grep -m1 -A1 "table_a_ready " | tail -n 1 |
	    grep -q " ${apre}4$apost" || fail "ASCII: table_a_ready's strip is not ${apre}4$apost…"
	$T capture-pane -p -t e2e | grep -q "0-9# met % a week" ||
	    fail "ASCII: the legend does not say what the strip's digits are"
fi
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "sla e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "sla e2e ($bin, schema $v): all checks passed"
