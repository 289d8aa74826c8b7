#!/bin/sh
# End-to-end test of task logs and reruns: the real binary in a private tmux
# server, against its own copy of the Airflow database (the PostgreSQL that
# tests/integration/run.sh started) and the Airflow REST API emulator
# (tests/emulator) serving that database.  Run by run.sh for each build and
# each Airflow schema.
# Usage: logs.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=log
. tests/lib/e2e_db.sh

requests() { curl -s "$AF_URL/_emu/requests"; }
# posts login|writes: what the emulator got since its record was emptied,
# counted apart: the login (POST /auth/token, Airflow 3: the one request
# read-only mode sends with a body, and it writes nothing) and the writes
# (every other POST, PUT, PATCH or DELETE).
posts() { requests | /usr/bin/python3 -c '
import json, sys
rs = json.load(sys.stdin)["requests"]
login = [r for r in rs if r["method"] == "POST" and r["path"] == "/auth/token"]
writes = [r for r in rs if r["method"] in ("POST", "PUT", "PATCH", "DELETE")
          and r["path"] != "/auth/token"]
print(len(login if sys.argv[1] == "login" else writes))' "$1"; }

# A database of our own: the clears below change it.
pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null
# A run of mapped.dag that mostly succeeded, with 20 instances: its rerun
# lists more than the modal holds.
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SELECT fx_run('mapped.dag', 'manual__big', 'failed', 'manual',
  now() - interval '3 days', now() - interval '3 days', now() - interval '3 days' + interval '9 minutes');
SELECT fx_ti('mapped.dag', 'manual__big', 'fetch', -1, 'success', 1, 0,
  now() - interval '3 days', now() - interval '3 days', 'PythonOperator');
SELECT fx_ti('mapped.dag', 'manual__big', 'process', i, CASE i WHEN 3 THEN 'failed' ELSE 'success' END, 1, 0,
  now() - interval '3 days', now() - interval '3 days', 'PythonOperator') FROM generate_series(0, 19) i;
SELECT fx_ti('mapped.dag', 'manual__big', 'report', -1, 'success', 1, 0,
  now() - interval '3 days', now() - interval '3 days', 'EmptyOperator');
SQL

# Airflow 2 with basic auth, Airflow 3 with its login; the password only in
# the environment.
e2e_emulator --hostile etl_daily/extract --growing mapped.dag/process || exit 1
e2e_context emu both | e2e_config
ENV="$E2E_ENV XDG_DATA_HOME=$home/data PAGER='cat >$home/paged.txt'"

# --- report log and dagtop clear (no terminal) ---------------------------------
out=$(eval "$ENV $bin report log etl_daily scheduled__d1 transform")
echo "$out" | grep -q "ValueError: column 'amount' is not numeric" ||
    fail "report log: no traceback in the failed try's log"
echo "$out" | grep -q "Starting attempt 3 of 3" || fail "report log: not the latest try"
out=$(eval "$ENV $bin report log etl_daily scheduled__d1 transform --try 1")
echo "$out" | grep -q "Starting attempt 1 of 3" || fail "report log --try 1"
out=$(eval "$ENV $bin report log etl_daily scheduled__d1 extract")
printf '%s' "$out" | /usr/bin/python3 tests/e2e/no_escapes.py - ||
    fail "report log: the hostile log's controls reached stdout"
eval "$ENV $bin report log etl_daily scheduled__d1 nosuch" >/dev/null 2>&1
[ $? = 3 ] || fail "report log of a missing task: exit status is not 3"
out=$(eval "$ENV AFPW=wrong $bin report log etl_daily scheduled__d1 transform" 2>&1)
echo "$out" | grep -q "401" || fail "report log with a wrong password: no 401 ($out)"
echo "$out" | grep -q "s3cret\|wrong" && fail "a password was printed"

out=$(eval "$ENV $bin clear etl_daily scheduled__d4 transform --downstream")
echo "$out" | grep -q "would clear" || fail "dagtop clear: no dry run ($out)"
[ "$(sql "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d4' AND task_id='transform'")" = failed ] ||
    fail "dagtop clear without --yes changed the database"
eval "$ENV $bin --readonly clear etl_daily scheduled__d4 transform --yes" >/dev/null 2>&1
[ $? = 1 ] || fail "dagtop --readonly clear was not refused"
curl -s -XDELETE "$AF_URL/_emu/requests" >/dev/null
eval "$ENV $bin --readonly clear etl_daily scheduled__d4 transform --yes" >/dev/null 2>&1
requests | grep -q clearTaskInstances && fail "read-only clear sent a request"
[ "$(posts writes) $(posts login)" = "0 0" ] ||
    fail "read-only clear: $(posts writes) writes, $(posts login) logins (want 0 0)"
out=$(eval "$ENV $bin clear etl_daily scheduled__d4 transform --downstream --yes")
# That run has only transform's instance: the downstream was never created.
echo "$out" | grep -q "cleared 1 task instance" || fail "dagtop clear --yes: $out"
[ "$(sql "SELECT coalesce(state, 'null') FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d4' AND task_id='transform'")" = null ] ||
    fail "dagtop clear --yes did not clear transform"
[ "$(sql "SELECT state || ' ' || clear_number FROM dag_run WHERE dag_id='etl_daily' AND run_id='scheduled__d4'")" = "queued 1" ] ||
    fail "the run is not queued again with clear_number 1"

# --- the log folder in the console: special files, the spool's cap ------------
# A FIFO under the log's name is refused at once (the console stays
# responsive: Q quits); a log past log_spool_max says it was cut.
lf="$home/lf"
d="$lf/dag_id=etl_daily/run_id=scheduled__d1/task_id"
mkdir -p "$d=extract" "$d=transform"
mkfifo "$d=extract/attempt=1.log"
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "line %06d of a log that goes on\n", i }' >"$d=transform/attempt=3.log"
cat >>"$home/.config/dagtop/config" <<CONF
[context folder]
database = postgresql://reader@127.0.0.1:$PGPORT/$db
database_password_env = DBPW
log_folder = $lf
log_spool_max = 1M
timezone = UTC
CONF
session "$ENV $bin --context folder; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 15
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
# The cursor opens on the failed task: up to extract first.
expect "upfail 0 of 3"
keys g
expect "refused: the log is a FIFO, not a regular file"
keys j j
expect "log transform try 3 of 3  CUT"
expect "the log was cut here, after 1 MB: log_spool_max"
keys Q
expect "EXITED 0"

# --- the console ---------------------------------------------------------------
: >"$home/pty.raw"
session "$ENV $bin --context emu; echo EXITED \$?; sleep 30"
$T pipe-pane -t e2e -o "cat >>$home/pty.raw"
expect "DAGs (11)" 15
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
expect "upfail 0 of 3"
keys g	# the cursor opens on the failed task

# The first task, extract, has the hostile log: it shows defused, and not
# one of its controls reaches the terminal.
expect "HOSTILE-END"
expect "log extract try 1 of 3"
sleep 0.5
/usr/bin/python3 tests/e2e/no_escapes.py "$home/pty.raw" ||
    fail "a control sequence from the log reached the terminal"
case "$($T display -p -t e2e '#{pane_title}')" in
*PWNED*) fail "the log set the terminal's title" ;;
esac

# The failed task's latest try, with its traceback.
keys j j
expect "log transform try 3 of 3"
expect "API v$((major - 1))"
expect "ValueError: column"
# Into the log: search, next match, the first error, an older try.
keys Tab
keys / p r o c e s s e d Space b a t c h Space 1 Enter
expect "match at line"
$T capture-pane -e -p -t e2e | grep -q "$(printf '\033\\[7m')processed batch 1" ||
    $T capture-pane -e -p -t e2e | grep -q "$(printf '\033\\[[0-9;]*7m')processed batch 1" ||
    fail "the search match is not highlighted"
keys n
expect "match at line"
keys e
expect "first error at line"
keys '['
expect "log transform try 2 of 3 (newest 3)"
keys g
expect "Starting attempt 2 of 3"
keys ']'
expect "log transform try 3 of 3"
keys t
expect_not "[20" 0.5
keys t
keys w
expect "wrap"
keys w
# The pager gets the sanitised log, and the console comes back.
keys '|'
expect "log transform try 3 of 3"
grep -q "ValueError: column" "$home/paged.txt" 2>/dev/null || fail "the pager did not get the log"
# Save it: mode 0600, sanitised.
keys o
keys "$home/saved.log" Enter
expect "saved "
[ "$(stat -c %a "$home/saved.log" 2>/dev/null)" = 600 ] || fail "saved log is not mode 600"
grep -q "ValueError" "$home/saved.log" || fail "the saved log lacks the traceback"
# Enter alone saves under $XDG_DATA_HOME/dagtop/logs/ (made 0700), and the
# message names the full path; "~/" is $HOME.  200 columns: the whole path.
$T resize-window -t e2e -x 200 -y 60
keys o
expect "save log to (empty: ~/data/dagtop/logs/):"
keys Enter
expect "lines to $home/data/dagtop/logs/etl_daily.transform.3.log"
[ "$(stat -c %a "$home/data/dagtop/logs/etl_daily.transform.3.log" 2>/dev/null)" = 600 ] ||
    fail "the log saved by default is not in \$XDG_DATA_HOME/dagtop/logs/ mode 600"
[ "$(stat -c %a "$home/data/dagtop/logs" 2>/dev/null)" = 700 ] ||
    fail "the logs folder is not mode 700"
keys o
keys "~/tilde.log" Enter
expect "lines to $home/tilde.log"
grep -q "ValueError" "$home/tilde.log" 2>/dev/null || fail "~/tilde.log was not saved"
$T resize-window -t e2e -x 80 -y 24
sleep 0.3

# A token that expired (Airflow 3's login) is renewed, once, by itself.
if [ "$major" = 3 ]; then
	curl -s -XPOST "$AF_URL/_emu/expire-tokens" >/dev/null
	keys '['
	expect "log transform try 2 of 3 (newest 3)"
	expect "ValueError: column"
	keys ']'
fi
# Errors show in the pane with a retry key.
curl -s -XPOST "$AF_URL/_emu/fail" -d '{"path_regex": "/logs/", "status": 500, "count": 1}' >/dev/null
keys r
expect "HTTP 500"
expect "r fetches it again"
keys r
expect "ValueError: column"

# A running task's log is followed as it grows.
keys q q
keys / m a p p e d Enter
keys Enter Enter
expect "tasks of scheduled__d1"
keys Space j j	# the cursor opens on process, up_for_retry
expect "log process[1]"
expect "following"
n1=$($T capture-pane -p -t e2e | grep -o 'tick [0-9]*' | tail -1 | cut -d' ' -f2)
sleep 3
n2=$($T capture-pane -p -t e2e | grep -o 'tick [0-9]*' | tail -1 | cut -d' ' -f2)
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ] ||
    fail "the followed log did not grow ($n1 -> $n2)"

# Rerun: R on the failed task previews exactly its transitive downstream.
keys q q
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
expect "log transform try 3 of 3"	# the cursor opens on the failed task
keys R
expect "Clear 3 task instances"
for t in transform load publish; do
	$T capture-pane -p -t e2e | grep -q "try [0-9] *$t" || fail "$t not in the preview"
done
$T capture-pane -p -t e2e | grep -q "try [0-9] *notify" && fail "notify is not downstream of transform"
# It says what it will do: the task, how many follow, the DAG and the run;
# the chosen task first, then the rest in graph order, each with its state.
expect "rerun transform and 2 downstream"
expect "DAG etl_daily  run scheduled__d1"
[ "$($T capture-pane -p -t e2e | sed -n 's/.*\(failed\|upstream_failed\) *try [0-9] *\([a-z]*\).*/\2/p' | tr '\n' ' ')" = "transform load publish " ] ||
    fail "the preview is not transform, load, publish in that order"
keys n
expect "rerun cancelled"
# A modal never takes a key pressed while it was not drawn: R, shrink the
# terminal until only "terminal too small" shows, y, grow it back.  Nothing
# was cleared, and the modal is still there to answer.
keys R
expect "rerun transform and 2 downstream"
$T resize-window -t e2e -x 60 -y 20
expect "terminal too small"
keys y
keys Escape
keys F
sleep 1
$T resize-window -t e2e -x 80 -y 24
expect "rerun transform and 2 downstream"
expect "only failed: off"
sleep 1
[ "$(sql "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" = failed ] ||
    fail "y on the 'terminal too small' screen cleared the tasks"
requests | grep -q 'dry_run.: *false' && fail "y on the 'terminal too small' screen sent a clear"
# The other keys on that screen did nothing either: the pane is where it was.
keys Escape
expect "rerun cancelled"
expect "log transform try 3 of 3"
[ "$(sql "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" = failed ] ||
    fail "cancel changed the database"
# The only-failed toggle narrows the preview.
keys R
expect "Clear 3 task instances"
keys F
expect "only failed"
keys Escape
expect "rerun cancelled"
# A refusal shows the API's reason.
curl -s -XPOST "$AF_URL/_emu/fail" -d '{"path_regex": "clearTaskInstances", "status": 403, "count": 1}' >/dev/null
keys R
expect "HTTP 403"
expect "not clear tasks"
keys Escape
# On a failed run in the runs pane, R offers the run's failed tasks.
keys BTab
keys R
expect "Clear 3 task instances"
expect "rerun transform and 2 downstream"
keys Escape
expect "rerun cancelled"
# That opened the run again, and the focus stayed on the runs pane: R
# again is the run's rerun, not one of its selected task (extract, the
# root: all five).
expect "tasks of scheduled__d1"
keys R
expect "Clear 3 task instances"
expect "rerun transform and 2 downstream"
keys Escape
expect "rerun cancelled"
keys Tab
expect "log transform try 3 of 3"
# y clears; the panes show the new states as the database has them.
keys R
expect "Clear 3 task instances"
keys y
expect "cleared 3 task instances"
[ "$(sql "SELECT count(*) FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND state IS NULL")" = 3 ] ||
    fail "the clear did not reach the database"
[ "$(sql "SELECT state FROM dag_run WHERE dag_id='etl_daily' AND run_id='scheduled__d1'")" = queued ] ||
    fail "the run is not queued again"
expect_not "failed 3 of 3" 1.5
expect "queued"
# A cleared instance that had run says what Airflow does next, not "none":
# in the tasks pane (the clear raised its most tries), and in report
# run.  (load and publish never ran: nothing tells them from new ones.)
expect "cleared 3 of "
expect "cleared, waiting for the"
$T capture-pane -p -t e2e | grep "· transfo" | grep -q "none " &&
    fail "the cleared transform shows none"
eval "$ENV $bin --context emu report run etl_daily scheduled__d1" |
    grep -q "^cleared, waiting for the scheduler .*transform" ||
    fail "report run does not say the cleared transform waits for the scheduler"
# The audit log: one line per clear and per refused or failed attempt.
audit="$home/.local/state/dagtop/audit.log"
[ "$(stat -c %a "$audit" 2>/dev/null)" = 600 ] || fail "audit log missing or not mode 600"
grep -q '"result":"cleared".*' "$audit" || fail "no audit line for the clear"
grep -q '"count":3' "$audit" || fail "the audit line does not count 3 instances"
grep -q 'failed: dry run: HTTP 403' "$audit" || fail "the refused attempt is not audited"
grep -q "s3cret" "$audit" && fail "a secret is in the audit log"
# A rerun of work that mostly succeeded says so, and a long list scrolls;
# the count is the list's length, 2.x or 3.x.
keys q q
keys / m a p p e d Enter
keys Enter
expect "runs of mapped.dag"
keys j Enter
expect "tasks of manual__big"
expect "process"
keys g	# the cursor opens on the failed process
keys R
expect "rerun fetch and 21 downstream"
expect "DAG mapped.dag  run manual__big"
expect "Clear 22 task instances"
expect "21 of 22 succeeded"
expect "lines 1-13 of 22"
$T capture-pane -p -t e2e | grep -q "try 1 *report" && fail "the list did not need to scroll"
[ "$($T capture-pane -p -t e2e | grep -o 'try [0-9] *[a-z]*\(\[[0-9]*\]\)\?' | head -3 | awk '{print $3}' | tr '\n' ' ')" = "fetch process[0] process[1] " ] ||
    fail "the preview is not fetch, then process by map index"
keys G
expect "lines 10-22 of 22"
expect "try 1   report"
keys k
expect "lines 9-21 of 22"
keys g
expect "lines 1-13 of 22"
keys Escape
expect "rerun cancelled"
[ "$(sql "SELECT count(*) FROM task_instance WHERE dag_id='mapped.dag' AND run_id='manual__big' AND state IS NULL")" = 0 ] ||
    fail "scrolling the preview cleared something"
keys Q
expect "EXITED 0"

# Read-only: the key answers, no request leaves the process.
curl -s -XDELETE "$AF_URL/_emu/requests" >/dev/null
session "$ENV $bin --context emu --readonly; echo EXITED \$?; sleep 30"
expect "READ-ONLY" 15
keys / e t l _ d a i l y Enter
keys Enter
keys j Enter
expect "tasks of scheduled__d1"
keys j
keys R
expect "read-only"
sleep 0.5
requests | grep -q clearTaskInstances && fail "read-only sent a clear request"
# The log needed one login on Airflow 3 (basic auth on 2): no write at all.
if [ "$major" = 3 ]; then logins=1; else logins=0; fi
[ "$(posts writes)" = 0 ] || fail "read-only console: $(posts writes) writes"
[ "$(posts login)" = "$logins" ] ||
    fail "read-only console: $(posts login) logins, want $logins"
grep -q "refused: read-only" "$audit" || fail "the refused attempt is not audited"
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "logs e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "logs e2e ($bin, schema $v): all checks passed"
