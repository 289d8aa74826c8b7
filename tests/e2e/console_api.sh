#!/bin/sh
# End-to-end test of the console in API mode: the real binary in a private
# tmux server with a context that has no database at all (`source = api`,
# only airflow_api, with the login the server asks for), reading everything
# through the Airflow REST API emulator (tests/emulator) serving its own copy
# of the test database.  The same screens as console.sh and logs.sh check in
# database mode: the DAG list with the failing DAG first, runs, tasks in
# graph order with a mapped task, a log, a rerun that reaches the database,
# and --readonly with not one write counted at the emulator.
# Usage: console_api.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=api
. tests/lib/e2e_db.sh

# count FIELD: the emulator's count of reads, read_posts, writes or logins
# since its record was emptied.
count() {
	curl -s --max-time 5 "$AF_URL/_emu/requests" |
	    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}
screen() { $T capture-pane -p -t e2e; }
# requests: what the emulator counted, one line per kind, method and path
# (ids folded), for a failure's message.
requests() {
	curl -s --max-time 5 "$AF_URL/_emu/requests" | /usr/bin/python3 -c '
import collections, json, sys
rs = json.load(sys.stdin)["requests"]
c = collections.Counter((r["kind"], r["method"], r["path"]) for r in rs)
for (k, m, p), n in sorted(c.items()):
	print("  %4d %-9s %-6s %s" % (n, k, m, p))' >&2
}

# A database of our own: the rerun below changes it.
pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null

if [ "$major" = 2 ]; then auth=basic; else auth=login; fi
emu_start AF --airflow "$v" --dsn "host=127.0.0.1 port=$PGPORT dbname=$db user=postgres" \
    --auth "$auth" --user oncall --password 's3cret pass' || exit 1

# No database in the context: everything through the API.
mkdir -p "$home/.config/dagtop"
cat >"$home/.config/dagtop/config" <<CONF
[context api]
source = api
airflow_api = $AF_URL
airflow_auth = $auth
airflow_user = oncall
airflow_password_env = AFPW
timezone = UTC
CONF
chmod 600 "$home/.config/dagtop/config"
ENV="env AFPW='s3cret pass' HOME=$home LANG=C.UTF-8 TERM=tmux-256color PGHOST=/nonexistent PGPORT=1"

# --- the DAG list, runs, tasks, a log ------------------------------------------
session "$ENV $bin --context api; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 20
# The header names the source: the API and its version.
expect "REST API v$((major - 1))"
# The failed DAG comes first, with its run strip.
screen | sed -n 5p | grep -q "we'ird.*F failed" ||
    fail "the failed DAG is not the first row"
expect "scheduler healthy"
keys / e t l _ d a i l y Enter
expect "DAGs (1, /etl_daily)"
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
expect "failed 3 of 3 30m00s"
expect "upfail 0 of 3"
# Graph order (as the database gives it): extract, its downstream notify
# and transform, then load and publish after transform.
order=$(screen | sed -n '5,9p' | sed 's/ *│$//; s/.* //' | tr '\n' ' ')
[ "$order" = "extract notify transform load publish " ] ||
    fail "the tasks are not in graph order: $order"
# The failed task's latest try, with its traceback, through the API (the
# cursor opens on the run's failed task).
expect "log transform try 3 of 3"
expect "ValueError: column"

# A mapped task is one row with a count; Space unfolds its instances.
keys q q
keys / m a p p e d Enter
keys Enter
expect "runs of mapped.dag"
keys Enter
expect "retry -      -        · process"
keys Space	# the cursor opens on process, up_for_retry
expect "[2]"
keys j j j
expect "log process[2]"
keys Space

# --- a rerun: preview, confirm, the database and the panes follow -------------
keys q q
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
expect "log transform try 3 of 3"
keys R
expect "Clear 3 task instances"
expect "rerun transform and 2 downstream"
[ "$(screen | sed -n 's/.*\(failed\|upstream_failed\) *try [0-9] *\([a-z]*\).*/\2/p' | tr '\n' ' ')" = "transform load publish " ] ||
    fail "the preview is not transform, load, publish in that order"
[ "$(sql "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" = failed ] ||
    fail "the dry-run preview changed the database"
[ "$(count writes)" = 1 ] || fail "the preview is one dry-run POST: $(count writes) writes"
keys y
expect "cleared 3 task instances"
[ "$(sql "SELECT count(*) FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND state IS NULL")" = 3 ] ||
    fail "the clear did not reach the database"
[ "$(sql "SELECT state FROM dag_run WHERE dag_id='etl_daily' AND run_id='scheduled__d1'")" = queued ] ||
    fail "the run is not queued again"
# The console reads the new states back at once, not at the next 30 s tick.
expect_not "failed 3 of 3" 3
expect "queued" 5
keys Q
expect "EXITED 0"

# --- read-only: the key answers, nothing is written ---------------------------
curl -s -XDELETE "$AF_URL/_emu/requests" >/dev/null
session "$ENV $bin --context api --readonly; echo EXITED \$?; sleep 30"
expect "READ-ONLY" 20
expect "DAGs (11)" 20
keys / m a p p e d Enter
keys Enter
expect "runs of mapped.dag"
keys Enter
expect "tasks of scheduled__d1"
keys R
expect "read-only"
sleep 0.5
[ "$(count writes)" = 0 ] || fail "read-only console: $(count writes) writes, want 0"
[ "$(count reads)" -gt 0 ] || fail "read-only console: no reads counted"
[ "$(count read_posts)" -gt 0 ] || {
	fail "read-only console: no read-only POST (list endpoint) counted"
	requests
}
curl -s "$AF_URL/_emu/requests" | grep -q clearTaskInstances &&
    fail "read-only sent a clear request"
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "console API e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "console API e2e ($bin, schema $v): all checks passed"
