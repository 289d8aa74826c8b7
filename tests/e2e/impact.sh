#!/bin/sh
# End-to-end test of blast radius in the console (issue 19): the real
# binary in a private tmux server, on its own copy of the dependency
# fixture (fixture_deps<schema>.sql: ingest_orders.load failed, the
# expected impact and root cause in its header) and the Airflow REST API
# emulator (for the rerun's dry run).  From the failed task the impact
# window opens in one key and names the DAGs and the SLA held back, paused
# ones marked; Enter on a DAG opens its runs and back returns to the
# window, then to the failed task; the rerun modal says what the failure
# holds back; the SLA pane marks the SLA whose cause is upstream and says
# the root cause.
# Run by run.sh for each build on the 2.10 and 3.1 schemas.
# Usage: impact.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1)
set -u
bin=$1
v=$2
name=impact
. tests/lib/e2e_db.sh

screen() { $T capture-pane -p -t e2e; }
# The row under the cursor (reverse video) of the window, without its
# attributes.
cursor_row() {
	$T capture-pane -e -p -t e2e | grep -F "$(printf '\033[7m')" |
	    sed 's/\x1b\[[0-9;]*m//g' | head -1
}
# Moves the window's cursor down to the row that has $1; fails after 30.
cursor_to() {
	k=0
	while [ $k -lt 30 ]; do
		cursor_row | grep -qF -- "$1" && return 0
		keys j
		k=$((k + 1))
	done
	fail "no row with \"$1\" under the cursor"
	return 1
}

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_deps$v.sql" >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null

e2e_emulator || exit 1
# An SLA on sales_mart, which the failure holds back (missing today: its
# deadline is past before any run), and one on finance_mart, which it does
# not (an any: customers still feeds it).
{ e2e_context emu both; e2e_context api api; } | e2e_config
cat >>"$home/.config/dagtop/config" <<'CONF'
[sla "sales_ready"]
dag = sales_mart
deadline = 00:01
timezone = Asia/Tokyo
[sla "finance_ready"]
dag = finance_mart
deadline = 23:59
timezone = UTC
CONF
# And one on sales_mart still pending whatever the hour: 14:00 in a zone
# where it is now about noon (Etc/GMT-N is N hours east of UTC).
off=$((12 - $(date -u +%H | sed 's/^0//')))
case $off in
0) zone=Etc/GMT ;;
-*) zone="Etc/GMT+${off#-}" ;;
*) zone="Etc/GMT-$off" ;;
esac
printf '[sla "sales_noon"]\ndag = sales_mart\ndeadline = 14:00\ntimezone = %s\n' \
    "$zone" >>"$home/.config/dagtop/config"
ENV=$E2E_ENV

session "$ENV $bin --context emu; echo EXITED \$?; sleep 30"
expect "DAGs (" 15

# --- from the failed task: one key ----------------------------------------
keys /
keys ingest_orders Enter
keys Enter
expect "runs of ingest_orders"
keys Enter
expect "tasks of scheduled__2026-03-0"
# The cursor is on the failed task (load): i opens the window.
keys i
expect "impact of ingest_orders.load"
expect "holds back" 15
for d in "DAG sales_mart" "DAG report_x" "DAG exports" \
    "asset bq://dwh/orders" "SLA sales_ready"; do
	expect "$d"
done
screen | grep -F "DAG archive" | grep -qF "[paused]" ||
    fail "the paused DAG archive is not marked"
screen | grep -qF "DAG finance_mart" &&
    fail "finance_mart (an any still fed) is held back"
screen | grep -qF "SLA finance_ready" &&
    fail "the SLA on finance_mart is held back"
# The graph's cycle or dangling references, on the warnings line.
expect "! "

# --- Enter on a DAG opens it; back returns ------------------------------------
cursor_to "DAG sales_mart"
keys Enter
expect "runs of sales_mart"
expect_not "impact of ingest_orders.load" 0.5
keys Escape
expect "impact of ingest_orders.load"
keys Escape
expect "tasks of scheduled__2026-03-0"
expect_not "impact of ingest_orders.load" 0.5
expect "runs of ingest_orders"

# --- on a run: its failed task; a run with none says so --------------------
keys Left
keys i
expect "impact of ingest_orders.load"
expect "holds back" 15
keys Escape
keys j
keys i
expect "impact: no failed or retrying task in run scheduled__2026-03-08" 15
keys k
keys Enter
expect "tasks of scheduled__2026-03-0"

# --- the rerun modal's line ---------------------------------------------------
keys R
expect "rerun load"
# The line's row is there from the start ("reading…"); the answer fills it.
expect "and 2 SLAs" 15
$T capture-pane -p -t e2e | grep -F "holds back" | grep -qF "SLA" ||
    fail "the rerun modal's line names no SLA"
# The model gives the line whole: the SLA's name is there in full, and the
# line, longer than the modal, is cut by the modal with the mark at its end
# (a cut in the model once left "; ~ deadline 00:01 JST passed"); the
# next deadline is sales_noon's, sales_ready's being past.
$T capture-pane -p -t e2e | grep -F "holds back" |
    grep -qF "and 2 SLAs; next deadline sales_noon 14:00" ||
    fail "the rerun modal's line does not name sales_noon whole"
$T capture-pane -p -t e2e | grep -F "holds back" | grep -qF "…" ||
    fail "the rerun modal's line is not cut with the mark"
$T capture-pane -p -t e2e | grep -F "holds back" | grep -qF "~" &&
    fail "the rerun modal's line has a cut of the model's"
$T capture-pane -p -t e2e | grep -qF "y clears" ||
    fail "the rerun modal's keys moved away"
keys Escape
expect "rerun cancelled"

# --- the SLA pane: the upstream mark and the cause ----------------------------
keys a
expect "SLAs today (3)"
expect "↑" 15
screen | grep -F "sales_ready" | grep -qF "↑" ||
    fail "sales_ready is not marked as late upstream"
# A pending SLA is marked too once its cause is read.
k=0
until screen | grep -F "sales_noon" | grep -qF "↑"; do
	[ $k -lt 150 ] ||
	    fail "the pending sales_noon is not marked as held back upstream"
	sleep 0.1
	k=$((k + 1))
done
screen | grep -F "sales_noon" | grep -qF "pending" ||
    fail "sales_noon is not pending"
screen | grep -F "finance_ready" | grep -qF "↑" &&
    fail "finance_ready is marked as late upstream"
# i on the SLA row: why, upstream, ending in the root cause.
k=0
while ! cursor_row | grep -qF sales_ready && [ $k -lt 3 ]; do
	keys j
	k=$((k + 1))
done
expect "upstream: sales_mart waits for"
keys i
expect "why is SLA sales_ready late"
expect "ingest_orders" 15
keys Escape
expect "SLAs today (3)"

keys Q
expect "EXITED 0"

# --- through the REST API: the same key, and what the API cannot give --------
session "$ENV $bin --context api; echo EXITED \$?; sleep 30"
expect "DAGs (" 15
keys /
keys ingest_orders Enter
# The API's first answer may come after the filter: Enter once it is there.
expect "ingest_orders · failed" 15
keys Enter
expect "runs of ingest_orders"
keys Enter
expect "tasks of scheduled__2026-03-0"
keys i
expect "impact of ingest_orders.load"
expect "DAG sales_mart" 15
expect "source gaps: "
# A tiny terminal: the compact view, and the window in it, cut with the mark.
$T resize-window -t e2e -x 40 -y 10
expect "terminal too small"
keys : v i e w Space c o m p a c t Enter
expect "impact of ingest_orders"
screen | grep -F "impact of ingest_orders" | grep -qF "…" ||
    fail "the window's title is not cut with the mark at 40 columns"
keys Escape
expect_not "impact of ingest_orders" 0.5
expect "ingest_orders"
keys Q
expect "EXITED 0"
[ "$fails" -eq 0 ] || exit 1
echo "impact e2e: ok (Airflow schema $v)"
