#!/bin/sh
# End-to-end test of finding failures in the console: the real binary in a
# private tmux server, against its own copy of the Airflow database and the
# Airflow REST API emulator (for the rerun).  "Find and rerun the failure"
# in five keys from the first screen (x Enter Enter R y), the next-failed
# keys, the state: filter and "no matches", the filter as it is typed, and
# the cursors kept on their DAG and run by id across refreshes that re-sort.
# Run by run.sh for each build and each Airflow schema.
# Usage: failures.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=fail
. tests/lib/e2e_db.sh

screen() { $T capture-pane -p -t e2e; }
# The row under the cursor (reverse video) of the leftmost list, without
# its attributes.
cursor_row() {
	$T capture-pane -e -p -t e2e |
	    sed -n 's/^\(\x1b\[[0-9;]*m\)*│\(\x1b\[[0-9;]*m\)*\x1b\[7m\([^│]*\).*/\3/p' |
	    sed 's/\x1b\[[0-9;]*m//g' | head -1
}

# In the runs of zz_hourly_billing: G to the last run read, twice for the
# two pages back (24 runs each), once more to find none older; the oldest
# run, a day and a half back, opens.
pages_back() {
	keys G
	wait_for "loading older runs" 2 || true	# it may come and go unseen
	sleep 1
	keys G
	sleep 1
	keys G
	expect "(no older runs)"
	keys Enter
	expect "tasks of scheduled__h36"
}

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
# An hourly DAG whose newest run failed in transform, and the day and a
# half of runs before it (the runs pane holds the newest 10).
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SELECT fx_dag('zz_hourly_billing', false, true, false, '@hourly');
SELECT fx_serdag('zz_hourly_billing', fx_document('zz_hourly_billing', ARRAY[
  fx_task('extract', 'BashOperator', ARRAY['transform'], false, true),
  fx_task('transform', 'PythonOperator', ARRAY['load'], false, true),
  fx_task('load', 'BashOperator', ARRAY[]::text[], false, true)]));
SELECT fx_run('zz_hourly_billing', 'scheduled__h' || lpad(i::text, 2, '0'),
  CASE i WHEN 1 THEN 'failed' WHEN 2 THEN 'failed' ELSE 'success' END,
  'scheduled', date_trunc('hour', now()) - i * interval '1 hour',
  date_trunc('hour', now()) - i * interval '1 hour' + interval '1 minute',
  date_trunc('hour', now()) - i * interval '1 hour' + interval '9 minutes')
  FROM generate_series(1, 36) i;
SELECT fx_ti('zz_hourly_billing', 'scheduled__h01', t, -1, s, 1, 0,
  now() - interval '50 minutes', now() - interval '49 minutes', 'BashOperator')
  FROM (VALUES ('extract', 'success'), ('transform', 'failed'),
               ('load', 'upstream_failed')) AS x(t, s);
SELECT fx_ti('zz_hourly_billing', 'scheduled__h02', t, -1, s, 1, 0,
  now() - interval '110 minutes', now() - interval '109 minutes', 'BashOperator')
  FROM (VALUES ('extract', 'failed'), ('transform', 'upstream_failed'),
               ('load', 'upstream_failed')) AS x(t, s);
SQL
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null

e2e_emulator || exit 1
{ e2e_context emu both; e2e_context api api; } | e2e_config
ENV=$E2E_ENV

session "$ENV $bin --context emu; echo EXITED \$?; sleep 30"
expect "DAGs (12)" 15
expect "scheduler healthy"

# --- find and rerun the failure: five keys -----------------------------------
# The first screen: the cursor on the first row (the hostile DAG, failed).
# x: the next failed DAG; Enter: its runs, the newest (failed) under the
# cursor; Enter: its tasks, the cursor on the failed one; R: the rerun's
# preview; y: clear.  Nothing else is typed in between.
keys x
cursor_row | grep -q "zz_hourly" || fail "x did not go to the next failed DAG"
keys Enter
expect "runs of zz_hourly_bi"
keys Enter
expect "tasks of scheduled__h01"
expect "log transform"
keys R
expect "rerun transform and 1 downstream"
expect "Clear 2 task instances"
keys y
expect "cleared 2 task instances"
[ "$(sql "SELECT coalesce(state, 'null') FROM task_instance WHERE dag_id='zz_hourly_billing' AND run_id='scheduled__h01' AND task_id='transform'")" = null ] ||
    fail "five keys did not clear the failed task"

# --- next-failed and prev-failed in the runs and tasks lists ------------------
keys BTab
expect "runs of zz_hourly_bi"
keys x
cursor_row | grep -q "failed" || fail "x did not go to the failed run"
keys Enter
expect "tasks of scheduled__h02"
# Its first failed task is extract; x goes on to upstream_failed ones.
expect "log extract"
keys x
expect "log transform"
keys X
expect "log extract"
keys X
expect "prev-failed: wrapped to the bottom"
expect "log load"
# The state filter in the tasks list, and its "no matches".
keys / s t a t e : u p s t r e a m _ f a i l e d Enter
keys g
expect "log transform"
keys / s t a t e : r u n n i n g Enter
expect "no matches"
keys / Enter
keys g
expect "log extract"

# --- the state filter in the DAG list -----------------------------------------
keys q q
expect "DAGs (12)"
keys / s t a t e : f a i l e d Enter
expect "DAGs (1, /state:failed)"
keys / s t a t e : q u e u e d Enter
expect "DAGs (2, /state:queued)"
keys / z z Space s t a t e : q u e u e d Enter
expect "DAGs (1, /zz state:queued)"
keys / e t l Space s t a t e : r u n n i n g Enter
expect "DAGs (0, /etl state:running)"
expect "no matches"
# A state that does not exist: said, and the filter before stays.
keys / s t a t e : n o p e Enter
expect "unknown state 'nope'"
expect "DAGs (0, /etl state:running)"
keys Escape
expect "DAGs (12)"

# --- / filters as it is typed -------------------------------------------------
keys / e t l
expect "DAGs (1, /etl)"
# A bracket left open is no filter yet: it says why, the list stays.
keys '('
expect "bad filter"
expect "DAGs (1, /etl)"
# Esc: the filter there before (none).
keys Escape
expect "DAGs (12)"
keys / m a p Enter
expect "DAGs (1, /map)"
keys / x y z
expect "DAGs (0, /xyz)"
expect "no matches"
keys Escape
expect "DAGs (1, /map)"
keys Escape
expect "DAGs (12)"

# --- the cursor stays on its DAG across a refresh that re-sorts ---------------
keys g
row=$(screen | grep -n "│  corrupt_dag" | head -1 | cut -d: -f1)
[ -n "$row" ] || fail "corrupt_dag is not on the first screen"
n=$(( ${row:-5} - 5 ))
while [ "$n" -gt 0 ]; do keys j; n=$((n - 1)); done
cursor_row | grep -q "corrupt_dag" || fail "the cursor is not on corrupt_dag"
# Its latest run fails: it moves to the top of the attention order.
sql "UPDATE dag_run SET state = 'failed' WHERE dag_id = 'corrupt_dag'"
keys r
i=0
while [ $i -lt 50 ] && ! screen | sed -n 5p | grep -q corrupt_dag; do
	sleep 0.1
	i=$((i + 1))
done
screen | sed -n 5p | grep -q corrupt_dag || fail "corrupt_dag did not move up"
cursor_row | grep -q "corrupt_dag" || fail "the cursor did not stay on corrupt_dag"
keys Enter
expect "runs of corrupt_dag"

# --- and on its run when a newer run arrives ----------------------------------
keys q
keys / z z Enter
keys Enter
expect "runs of zz_hourly_bi"
keys j
sql "SELECT fx_run('zz_hourly_billing', 'scheduled__h00', 'running', 'scheduled',
  date_trunc('hour', now()), date_trunc('hour', now()) + interval '1 minute', NULL)" >/dev/null
keys r
expect "running"
keys Enter
expect "tasks of scheduled__h02"

# --- the state filter in the runs list ----------------------------------------
keys BTab
keys / s t a t e : f a i l e d Enter
sleep 0.5
screen | sed -n 5p | grep -q "failed" || fail "the failed run is not first"
screen | sed -n 6p | cut -c1-20 | grep -q "[a-z]" &&
    fail "the runs filter let more than the failed run through"
keys g Enter
expect "tasks of scheduled__h02"
keys BTab
keys / n o s u c h Enter
expect "no matches"
keys / Enter
expect "running"

# --- the runs pane pages back: yesterday's runs of an hourly DAG --------------
# It holds the newest 10; the cursor at the last one read asks for the next
# page, and the next, until there is none older.
pages_back

keys Q
expect "EXITED 0"

# The same pages back through the Airflow API, which has no keyset cursor:
# a date filter, and the runs not older dropped.
session "$ENV $bin --context api; echo EXITED \$?; sleep 30"
expect "DAGs (12)" 20
# Before any move the cursor aims at nothing: when the first row's DAG
# moves down at a refresh, the cursor stays on the top row.
first=$(screen | awk 'NR == 5 { print $2 }')
sql "UPDATE dag_run SET state = 'success' WHERE dag_id = 'corrupt_dag'"
keys r
i=0
while [ $i -lt 50 ] && screen | sed -n 5p | grep -qF "$first"; do
	sleep 0.1
	i=$((i + 1))
done
screen | sed -n 5p | grep -qF "$first" && fail "$first did not move down"
cursor_row | grep -qF "$(screen | awk 'NR == 5 { print $2 }')" ||
    fail "the cursor followed a DAG nobody chose off the top row"
keys / z z Enter
keys Enter
expect "runs of zz_hourly_bi"
pages_back
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "failures e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "failures e2e ($bin, schema $v): all checks passed"
