#!/bin/sh
# Issue 20: report status and config check --connect over several
# contexts at once.  Real databases of run.sh (af2_ok all good, af3 with
# failed runs and import errors, af3_down with its scheduler dead) and two
# contexts on a server that accepts connections and never answers: each
# context has its own section, the stalled ones their own error, the
# others are reported in full, the overall verdict (first) and exit status are
# the worst (CRITICAL before UNKNOWN), in every format; the stalled
# contexts fail together on their own time limit, not one after another.
# The contexts share their settings through [context-defaults].
# Usage: report_fleet.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role and its databases)
set -u
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-fleet.XXXXXX")
SILENT_PID=
# The silent server goes whatever happens: by its PID, never by name.
trap '[ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE

. tests/lib/report.sh
. tests/lib/silent.sh
silent_start "$work"
port=$SILENT_PORT
[ -n "$port" ] || { fail "the silent server did not start"; exit 1; }

# Each stalled context waits 3 s: two in turn would take 6.
limit=3
cat >"$work/conf" <<EOF
[dagtop]
contexts = ok, warn, down, stalled1, stalled2

[context-defaults]
database_password_env = DBPW
timezone = UTC
connect_timeout = $limit
statement_timeout = $limit

[context ok]
database = postgresql://reader@127.0.0.1:$PGPORT/af2_ok
[context warn]
database = postgresql://reader@127.0.0.1:$PGPORT/af3
[context down]
database = postgresql://reader@127.0.0.1:$PGPORT/af3_down
[context stalled1]
database = postgresql://reader@127.0.0.1:$port/af
[context stalled2]
database = postgresql://reader@127.0.0.1:$port/af
[context ok3]
database = postgresql://reader@127.0.0.1:$PGPORT/af3_ok
EOF
chmod 600 "$work/conf"

stalled="cannot connect to 127.0.0.1:$port within $limit s"

# Text: contexts = with no --context; a section each, in its order.
run "$work/text" report status
[ $rc -eq 2 ] || fail "text: exit $rc, want 2 (CRITICAL over UNKNOWN)"
# Two stalled contexts, 3 s each: together, not 6 s.
[ $took -lt $((2 * limit)) ] || fail "text: $took s: the stalled contexts' waits added up"
has "$work/text" "== ok" "OK: scheduler healthy" "== warn" \
    "WARNING: " "import errors: " "== down" "CRITICAL: scheduler down" \
    "scheduler  down, heartbeat 10m" "== stalled1" "== stalled2" \
    "UNKNOWN: cannot read the Airflow database: $stalled" \
    "CRITICAL: 5 contexts: 1 critical (down), 2 unknown (stalled1, stalled2), 1 warning (warn), 1 ok"
[ "$(sed -n '1p' "$work/text")" = "CRITICAL: 5 contexts: 1 critical (down), 2 unknown (stalled1, stalled2), 1 warning (warn), 1 ok" ] ||
    fail "text: the first line is not the overall verdict: $(sed -n '1p' "$work/text")"
[ "$(sed -n '3p' "$work/text")" = "== ok" ] || fail "text: the first section is not ok's"
# The others in full: the failed runs of warn with their tasks.
grep -q "^failed   " "$work/text" || fail "text: warn's failed runs are missing"
has "$work/text.err" "dagtop: stalled1: cannot read the Airflow database: $stalled"
grep -q "reader-secret" "$work/text" "$work/text.err" && fail "text: the password is out"
# The sections are the single-context report's, word for word.
run "$work/one" report status --context warn
[ $rc -eq 1 ] || fail "one context: exit $rc, want 1"
# (But for the ages and times, read a few seconds apart.)
awk '/^== warn$/ {on = 1; next} /^== / {on = 0} on' "$work/text" | sed '$d' |
    tr -d '0-9' >"$work/sec_nd"
tr -d '0-9' <"$work/one" >"$work/one_nd"
cmp -s "$work/one_nd" "$work/sec_nd" || fail "text: warn's section is not report status --context warn: $(diff "$work/one_nd" "$work/sec_nd")"

# Unknown alone: UNKNOWN (3) over WARNING; --context's list, its order.
run "$work/unknown" report status --context warn,stalled1,ok
[ $rc -eq 3 ] || fail "unknown: exit $rc, want 3"
has "$work/unknown" "UNKNOWN: 3 contexts: 1 unknown (stalled1), 1 warning (warn), 1 ok"
[ "$(sed -n '3p' "$work/unknown")" = "== warn" ] || fail "--context a,b: not in its order"

# --all-contexts: every context, in file order.
run "$work/all" report status --all-contexts
[ $rc -eq 2 ] || fail "--all-contexts: exit $rc, want 2"
has "$work/all" "== ok3" "CRITICAL: 6 contexts: 1 critical (down), 2 unknown (stalled1, stalled2), 1 warning (warn), 2 ok"

# --quiet: nothing when all are OK, everything when one is not.
run "$work/quiet" report status --quiet --context ok,ok3
[ $rc -eq 0 ] && [ ! -s "$work/quiet" ] || fail "--quiet all OK: exit $rc, '$(cat "$work/quiet")'"
run "$work/quiet2" report status --quiet --context ok,down
[ $rc -eq 2 ] || fail "--quiet: exit $rc, want 2"
has "$work/quiet2" "== ok" "CRITICAL: 2 contexts: 1 critical (down), 1 ok"

# JSON: {"status", "contexts": [one object per context]}.
run "$work/json" report status --format json
[ $rc -eq 2 ] || fail "json: exit $rc, want 2"
[ $took -lt $((2 * limit)) ] || fail "json: $took s"
/usr/bin/python3 - "$work/json" "$stalled" <<'PY' || fail "json: $(cat "$work/json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "critical" and d["exit_code"] == 2, d["status"]
names = [c["context"] for c in d["contexts"]]
assert names == ["ok", "warn", "down", "stalled1", "stalled2"], names
by = {c["context"]: c for c in d["contexts"]}
assert by["ok"]["status"] == "ok" and by["ok"]["report"] == "status"
assert by["warn"]["status"] == "warning" and by["warn"]["runs"], by["warn"]
assert by["warn"]["dags"]["import_errors"] >= 1
assert by["down"]["status"] == "critical"
assert by["down"]["health"]["scheduler"]["state"] == "down"
for s in ("stalled1", "stalled2"):
    assert by[s]["status"] == "unknown" and by[s]["exit_code"] == 3
    assert sys.argv[2] in by[s]["error"], by[s]["error"]
    assert by[s]["source"] == "database"
PY

# Markdown: the overall verdict, then a section headed by each name.
run "$work/md" report status --format markdown
[ $rc -eq 2 ] || fail "markdown: exit $rc, want 2"
has "$work/md" "## ok" "## warn" "## down" "## stalled1" \
    "**UNKNOWN: cannot read the Airflow database: cannot connect to 127\\.0\\.0\\.1\\:$port within $limit s**"
[ "$(sed -n '1p' "$work/md")" = "**CRITICAL: 5 contexts: 1 critical (down), 2 unknown (stalled1, stalled2), 1 warning (warn), 1 ok**" ] ||
    fail "markdown: the first line is not the overall verdict: $(sed -n '1p' "$work/md")"

# CSV: a context column; a context not read is a row of kind unknown.
run "$work/csv" report status --format csv
[ $rc -eq 2 ] || fail "csv: exit $rc, want 2"
[ "$(sed -n '1p' "$work/csv")" = "context,kind,dag_id,run_id,state,run_type,logical_date,start_date,end_date,duration_seconds,failed_tasks" ] ||
    fail "csv: header $(sed -n '1p' "$work/csv")"
has "$work/csv" "stalled1,unknown,,,unknown,,,,,," "stalled2,unknown,,,unknown,,,,,,"
grep -q '^warn,run,' "$work/csv" || fail "csv: no run row of warn"
grep -q '^warn,import_error,' "$work/csv" || fail "csv: no import error row of warn"
/usr/bin/python3 - "$work/csv" <<'PY' || fail "csv: rows of uneven width"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert len({len(r) for r in rows}) == 1, rows
PY

# The usage errors: one line, exit 3.
run "$work/err" report status --context ok,nope
[ $rc -eq 3 ] || fail "unknown name: exit $rc"
has "$work/err.err" "--context: no context 'nope' in"
run "$work/err" report status --context ok,ok
has "$work/err.err" "--context: context 'ok' is named twice"
run "$work/err" report status --context ok,warn --database host=x
has "$work/err.err" "--database names one database; it cannot go with --context (2 contexts)"
run "$work/err" report run some_dag --all-contexts
[ $rc -eq 3 ] || fail "report run --all-contexts: exit $rc"
has "$work/err.err" "--all-contexts: this command reads one context"

# config check --connect: a line per context, reached at once; exit 1.
run "$work/check" config check --connect --context ok,down,stalled1,stalled2
[ $rc -eq 1 ] || fail "config check --connect: exit $rc, want 1"
[ $took -lt $((2 * limit)) ] || fail "config check --connect: $took s: the waits added up"
has "$work/check" "contexts:    4: ok, down, stalled1, stalled2" \
    "connect:     ok: OK, Airflow 2." "connect:     down: OK, Airflow 3." \
    "connect:     stalled1: FAILED: cannot read the Airflow database: $stalled" \
    "connect_timeout: ${limit}s  (context-defaults)" "configuration has errors"
run "$work/check2" config check --connect --context ok,warn
[ $rc -eq 0 ] || fail "config check --connect, all reached: exit $rc: $(cat "$work/check2.err")"
has "$work/check2" "connect:     warn: OK, Airflow 3." "configuration OK"

exit $((fails > 0))
