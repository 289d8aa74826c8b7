#!/bin/sh
# End-to-end test of the environments overview (issue 20): the real
# binary in a private tmux server at 80x24 on four contexts at once, three
# on real databases (its own copy of the fixture, with failed runs and
# import errors; run.sh's af<v>_ok, all good; af<v>_down, its scheduler
# dead) and one on a server that accepts connections and never answers.
# Each row shows its verdict; the stalled row its own error while the
# others keep refreshing (a run's state changed after the stall began
# shows in its row); Enter opens a context's DAG list with the
# breadcrumb naming it, back returns to the overview with the cursor
# where it was; a tiny terminal shows the too-small screen and no key
# acts behind it.
# Run by run.sh for each build on the 2.10 and 3.1 schemas.
# Usage: overview.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1)
set -u
bin=$1
v=$2
name=overview
. tests/lib/e2e_db.sh

screen() { $T capture-pane -p -t e2e; }
# The row of context $1 on the screen, its frame's sides left out.
row_of() { screen | grep -E "^[|│] ?$1 " | head -1; }

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null

# Its scheduler and triggerer heartbeat as run.sh keeps af<v>'s alive;
# they and the silent server go whatever happens: by PID, never by name.
SILENT_PID=
beat=
trap 'cleanup; [ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null; [ -n "$beat" ] && kill "$beat" 2>/dev/null' EXIT
while :; do
	sql "UPDATE job SET latest_heartbeat = now() - interval '2 seconds' WHERE state = 'running'" >/dev/null 2>&1
	sleep 2
done &
beat=$!
. tests/lib/silent.sh
silent_start "$home"
port=$SILENT_PORT
[ -n "$port" ] || { fail "the silent server did not start"; exit 1; }

e2e_config <<EOF2
[dagtop]
contexts = warn, ok, down, stalled

[context-defaults]
database_password_env = DBPW
timezone = UTC
refresh = 2
connect_timeout = 3
statement_timeout = 3

[context warn]
database = postgresql://reader@127.0.0.1:$PGPORT/$db
[context ok]
database = postgresql://reader@127.0.0.1:$PGPORT/af${v}_ok
[context down]
database = postgresql://reader@127.0.0.1:$PGPORT/af${v}_down
[context stalled]
database = postgresql://reader@127.0.0.1:$port/af

# Yesterday's scheduled run of etl_daily failed (fixture.sql): missed.
[sla "etl_ready"]
dag = etl_daily
deadline = 00:01
timezone = UTC
context = warn
EOF2
ENV=$E2E_ENV

session "$ENV $bin 2>$home/err; echo EXITED \$? >>$home/err; sleep 30"
expect "overview: 4 contexts" 10
expect "CONTEXT"
wait_for "cannot connect to 127.0.0.1:$port" 10 ||
    fail "the stalled context does not say why"
row_of warn | grep -qF "WARNING" || fail "warn: $(row_of warn)"
row_of ok | grep -qF "OK" || fail "ok: $(row_of ok)"
row_of down | grep -qF "CRITICAL" || fail "down: $(row_of down)"
row_of down | grep -qF "DOWN" || fail "down's scheduler: $(row_of down)"
row_of stalled | grep -qF "UNKNOWN" || fail "stalled: $(row_of stalled)"
row_of stalled | grep -qF "cannot connect" || fail "stalled: $(row_of stalled)"
# The cursor's row in full on the frame's foot; today's SLA of warn
# missed, as the SLA pane says it; the other contexts have none.
expect "warn: WARNING; Airflow "
expect "SLAs today 0 at risk, 1 missed of 1"
row_of warn | grep -qF " 0/1 " || fail "warn's SLA cell: $(row_of warn)"
row_of ok | grep -qF " - " || fail "ok's SLA cell: $(row_of ok)"

screen >"$home/screen.first"; [ -n "${OVERVIEW_SHOW:-}" ] && cp "$home/screen.first" "$OVERVIEW_SHOW"
# --- the others refresh while the stalled one waits ------------------------
before=$(row_of warn)
sql "UPDATE dag_run SET state = 'queued' WHERE state = 'success' AND start_date > now() - interval '20 hours'" >/dev/null
# A row is read every 30 s at most (fleetctl.c): r reads each now, but the
# stalled one, whose read still waits.
keys r
i=0
while [ "$(row_of warn)" = "$before" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(row_of warn)" != "$before" ] ||
    fail "warn did not refresh while stalled waited: $before"
row_of stalled | grep -qF "cannot connect" || fail "stalled: $(row_of stalled)"

# --- Enter opens a context; back returns, the cursor kept -------------------
# The frame's foot holds the row under the cursor in full.
keys j
expect "ok: OK; Airflow "
keys Enter
expect "DAGs (" 15
screen | sed -n 2p | grep -qF "ok" || fail "the breadcrumb does not name ok: $(screen | sed -n 2p)"
expect_not "overview: 4 contexts" 0.3
keys Escape
expect "overview: 4 contexts"
expect "ok: OK; Airflow "
# q on an open context goes back too; on the overview it quits.
keys j
keys Enter
expect "DAGs (" 15
screen | sed -n 2p | grep -qF "down" || fail "the breadcrumb does not name down"
keys q
expect "overview: 4 contexts"
expect "down: CRITICAL; Airflow "

# --- help lists the overview -------------------------------------------------
keys '?'
expect "open: context -> DAG -> runs"
keys Escape
expect "overview: 4 contexts"

# --- a tiny terminal: too small, and no key acts behind it ------------------
$T resize-window -t e2e -x 30 -y 8
expect "terminal too small"
keys Enter
$T resize-window -t e2e -x 80 -y 24
expect "overview: 4 contexts"
expect_not "DAGs (" 0.5

quit_clean "$home/err"
exit $((fails > 0))
