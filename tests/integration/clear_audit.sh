#!/bin/sh
# Every clear is audited, whatever happens (issue 13, section 3): the
# intent is written before the clear leaves and the outcome after; a clear
# with no answer (a timeout, a lost connection, a signal) is "outcome
# unknown", exit status 4, and the database is read back; no audit log
# means no clear.  `dagtop clear` against the API emulator, which applies
# the clear to a database of its own and then answers late, never, or
# with a gateway error; and the console in tmux, hung up during a clear.
# Usage: clear_audit.sh DAGTOP_BINARY SCHEMA   (2, 3 or 32; after run.sh
# started PostgreSQL)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
v=$2
sock=dagtop-audit-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-audit.XXXXXX")
tpl="afaudit${v}_$$"
dbs=""
cleanup() {
	$T kill-server 2>/dev/null
	emu_stop_all
	for d in $dbs $tpl; do
		dropdb --if-exists "$d" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

pg_load_schema "$tpl" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$tpl" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$tpl" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$tpl" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null

# fresh NAME: a database of its own (from the template), an emulator
# serving it (NAME_URL) and a context file $work/NAME.conf; extra
# KEY=VALUE lines follow.  The API URL carries a password: never audited.
fresh() {
	n=$1
	shift
	db="${tpl}_$n"
	dbs="$dbs $db"
	createdb -T "$tpl" "$db"
	emu_start "$n" --airflow "$v" --dsn "host=127.0.0.1 port=$PGPORT dbname=$db user=postgres" ||
	    exit 1
	eval "url=\$${n}_URL"
	printf '[context %s]\ndatabase = postgresql://reader@127.0.0.1:%s/%s\n' "$n" "$PGPORT" "$db" >"$work/$n.conf"
	printf 'database_password_env = DBPW\nairflow_api = %s\ntimezone = UTC\n' \
	    "$(echo "$url" | sed 's|://|://u:url-s3cret@|')" >>"$work/$n.conf"
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$work/$n.conf"
	done
	chmod 600 "$work/$n.conf"
	DB=$db
	URL=$url
	AUDIT="$work/$n.audit/audit.log"
}
sql() { psql -X -A -t -q -d "$DB" -c "$1"; }
states() { sql "SELECT string_agg(task_id || '=' || coalesce(state, 'none'), ',' ORDER BY task_id) FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1'"; }
before="extract=success,load=upstream_failed,notify=success,publish=upstream_failed,transform=failed"
clears() { curl -s "$URL/_emu/requests" | grep -o '"path": *"[^"]*clearTaskInstances"' | wc -l; }
# A fault on the real clear only (not the dry run), after it was applied.
after() { curl -s -XPOST "$URL/_emu/fail" -d "{\"path_regex\": \"clearTaskInstances\", \"body_regex\": \"\\\"dry_run\\\":false\", \"after\": true, $1}" >/dev/null; }
# run NAME ENV...: dagtop clear --yes of transform and its downstream.
run() {
	n=$1
	shift
	env DBPW=reader-secret DAGTOP_AUDIT_LOG="$AUDIT" "$@" "$bin" \
	    --config "$work/$n.conf" clear etl_daily scheduled__d1 transform \
	    --downstream --yes >"$work/out" 2>"$work/err"
}
# The same, as a background job whose $! is dagtop itself.
runbg() {
	n=$1
	shift
	(exec env DBPW=reader-secret DAGTOP_AUDIT_LOG="$AUDIT" "$@" "$bin" \
	    --config "$work/$n.conf" clear etl_daily scheduled__d1 transform \
	    --downstream --yes >"$work/out" 2>"$work/err") &
	pid=$!
}
said() { cat "$work/out" "$work/err" | head -c 600; }
# Waits (up to 10 s) until the emulator has seen the real clear.
wait_clear() {
	i=0
	while [ $i -lt 100 ]; do
		curl -s "$URL/_emu/requests" | grep -q 'dry_run\\":false\|dry_run\\": false' && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# paired RESULT: an intent and an outcome with the same id, the outcome's
# result starting with RESULT, the intent listing the three instances.
paired() {
	/usr/bin/python3 - "$AUDIT" "$1" <<'PY' || fail "$n: audit: $(cat "$AUDIT" 2>/dev/null | head -c 800)"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
intent = [r for r in recs if r.get("record") == "intent"]
out = [r for r in recs if r.get("record") == "outcome"]
assert len(intent) == 1 and len(out) == 1, "want one intent and one outcome"
i, o = intent[0], out[0]
assert i["id"] == o["id"] and i["id"], "not paired by id"
assert sorted(t["task_id"] for t in i["will_clear"]) == ["load", "publish", "transform"], i
assert i["dag_id"] == "etl_daily" and i["run_id"] == "scheduled__d1" and i["include_downstream"] is True
assert o["result"].startswith(sys.argv[2]), o["result"]
assert recs.index(i) < recs.index(o)
assert "url-s3cret" not in open(sys.argv[1]).read(), "a secret is in the audit log"
PY
}

# --- no place for the audit log: refused, nothing sent -------------------------
fresh nohome
env -u HOME -u XDG_STATE_HOME DBPW=reader-secret "$bin" --config "$work/nohome.conf" \
    clear etl_daily scheduled__d1 transform --downstream --yes >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] || fail "nohome: exit status $rc, not 1 (refused): $(said)"
grep -q "cannot write the audit log: set XDG_STATE_HOME or HOME, or DAGTOP_AUDIT_LOG" "$work/err" ||
    fail "nohome: no clear refusal: $(said)"
[ "$(clears)" = 0 ] || fail "nohome: a clear request was sent"
[ "$(states)" = "$before" ] || fail "nohome: the database changed: $(states)"

# --- an audit log that cannot be written: refused, nothing sent ----------------
fresh unwritable
: >"$work/afile"
AUDIT="$work/afile/audit.log"
run unwritable
rc=$?
[ $rc = 1 ] || fail "unwritable: exit status $rc, not 1 (refused): $(said)"
grep -q "cannot write the audit log" "$work/err" || fail "unwritable: no refusal: $(said)"
[ "$(clears)" = 0 ] || fail "unwritable: a clear request was sent"
[ "$(states)" = "$before" ] || fail "unwritable: the database changed: $(states)"

# --- a plain clear: intent then outcome, fsync'd, paired ------------------------
fresh plain
run plain
rc=$?
[ $rc = 0 ] || fail "plain: exit status $rc: $(said)"
grep -q "cleared 3 task instances" "$work/out" || fail "plain: $(said)"
paired "cleared"
grep -q '"count":3' "$AUDIT" || fail "plain: the outcome does not count 3"
[ "$(stat -c %a "$AUDIT")" = 600 ] || fail "plain: the audit log is not mode 600"

# --- SIGTERM while the clear is in flight: waits, records, exits 4 -------------
fresh sigterm
after '"delay_ms": 9000'
runbg sigterm
wait_clear || fail "sigterm: the clear was never sent"
sleep 0.3
t0=$(date +%s)
kill -TERM $pid
wait $pid
rc=$?
t1=$(date +%s)
[ $rc = 4 ] || fail "sigterm: exit status $rc, not 4 (outcome unknown): $(said)"
[ $((t1 - t0)) -le 8 ] || fail "sigterm: the wait was not bounded ($((t1 - t0)) s)"
paired "outcome unknown: interrupted by SIGTERM"
grep -q "outcome unknown" "$work/out" || fail "sigterm: the output does not say the outcome is unknown: $(said)"
grep -q "changed *none .*transform" "$work/out" || fail "sigterm: not what the database now shows: $(said)"

# SIGTERM, and the answer comes within the wait: the real outcome.
fresh sigtermok
after '"delay_ms": 2500'
runbg sigtermok
wait_clear || fail "sigtermok: the clear was never sent"
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 0 ] || fail "sigtermok: exit status $rc, not 0 (cleared within the wait): $(said)"
paired "cleared"

# --- the database connection drops during the clear: still audited -------------
fresh dbdrop
after '"delay_ms": 3000'
runbg dbdrop
wait_clear || fail "dbdrop: the clear was never sent"
psql -X -q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND usename = 'reader'" >/dev/null
wait $pid
rc=$?
[ $rc = 0 ] || fail "dbdrop: exit status $rc, not 0 (the answer came): $(said)"
grep -q "cleared 3 task instances" "$work/out" || fail "dbdrop: $(said)"
paired "cleared"

# --- airflow_timeout passes: outcome unknown, what the database shows ----------
fresh timeout airflow_timeout=2
after '"delay_ms": 6000'
run timeout
rc=$?
[ $rc = 4 ] || fail "timeout: exit status $rc, not 4 (outcome unknown): $(said)"
paired "outcome unknown"
grep -q '"result":"failed' "$AUDIT" && fail "timeout: audited as failed"
grep -q '"count":0' "$AUDIT" && fail "timeout: audited with count 0"
grep -q '"count":null' "$AUDIT" || fail "timeout: the outcome's count is not null (unknown)"
grep -q "the database now shows" "$work/out" || fail "timeout: not read back: $(said)"
for t in transform load publish; do
	grep -q "changed *none .*$t\$" "$work/out" || fail "timeout: $t not shown cleared: $(said)"
done

# A dropped connection after the clear was applied, and a gateway's 504.
fresh dropped
after '"close": true'
run dropped
rc=$?
[ $rc = 4 ] || fail "dropped: exit status $rc, not 4: $(said)"
paired "outcome unknown"
[ "$(clears)" = 2 ] || fail "dropped: the clear was sent again ($(clears) requests)"
fresh gateway
after '"status": 504'
run gateway
rc=$?
[ $rc = 4 ] || fail "gateway: exit status $rc, not 4: $(said)"
paired "outcome unknown"
# A 4xx is an answer: failed, nothing cleared, exit 1.
fresh refused
curl -s -XPOST "$URL/_emu/fail" -d '{"path_regex": "clearTaskInstances", "body_regex": "\"dry_run\":false", "status": 409}' >/dev/null
run refused
rc=$?
[ $rc = 1 ] || fail "refused: exit status $rc, not 1: $(said)"
paired "failed: HTTP 409"

# --- the console: hung up (an SSH drop) during a clear -------------------------
console() {
	n=$1
	session "env DBPW=reader-secret DAGTOP_AUDIT_LOG=$AUDIT LANG=C.UTF-8 TERM=tmux-256color sh -c 'echo \$\$ >$work/pid; exec $bin --config $work/$n.conf'; echo EXITED \$?; sleep 30"
	expect "DAGs (" 15
	keys / e t l _ d a i l y Enter
	keys Enter
	expect "runs of etl_daily"
	keys j Enter
	expect "tasks of scheduled__d1"
	expect "log transform try 3 of 3"	# the cursor opens on the failed task
	keys R
	expect "Clear 3 task instances"
	keys y
	wait_clear || fail "$n: the clear was never sent"
}
fresh hup
after '"delay_ms": 9000'
console hup
kill -HUP "$(cat "$work/pid")"
expect "EXITED 4" 10
paired "outcome unknown: interrupted by SIGHUP"

# Q during a clear in flight quits after the bounded wait, never silently.
fresh quit
after '"delay_ms": 9000'
console quit
keys Q
expect "waiting up to 5 s"
expect "EXITED 4" 10
paired "outcome unknown: the user quit"

# The console's answer lost: the modal says so and shows the database.
fresh lost airflow_timeout=2
after '"delay_ms": 6000'
console lost
expect "Outcome unknown" 10
expect "The database now shows"
paired "outcome unknown"
keys Escape
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "clear audit ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "clear audit ($bin, schema $v): all checks passed"
