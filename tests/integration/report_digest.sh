#!/bin/sh
# Issue 21: report digest, the team lead's Monday page, on a designed week
# (fixture_digest.sql: 2026-W45, a fixed past week, asked for with --week
# so the test does not depend on today) on the Airflow 2.10 and 3.1
# schemas, with an audit log of reruns in and out of the week and one
# garbage line.  The JSON's figures are checked exactly (computed by hand
# below); text, Markdown and HTML are made and carry the key figures; no
# escape sequence or raw HTML from the hostile DAG, task and user ids
# reaches any format; a database that cannot be reached leaves the
# Airflow sections with their error and exit 3, the rest still written.
# Usage: report_digest.sh DAGTOP_BINARY   (inside run.sh: its server and
#   the reader role; the databases afdigest2 and afdigest3 are made here)
set -u
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-digest.XXXXXX")
trap 'for v in 2 3; do dropdb --if-exists "afdigest$v" 2>/dev/null; done; [ -n "${DIGEST_KEEP:-}" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
. tests/lib/pg.sh
. tests/lib/report.sh
# run (tests/lib/report.sh): a run that hangs fails; the test's audit log.
RUN_WRAP="timeout 60"
RUN_ENV="DAGTOP_AUDIT_LOG=$work/audit.log"

# The audit log (audit.h: a JSON object a line).  In 2026-W45: alice's
# clear, bob's failed one, mallory's (a user name with an OSC title and a
# tag); an intent record (passed over); out of the week: carol's just
# after its end, dave's just before its start; one garbage line.
cat >"$work/audit.log" <<'EOF'
{"time":"2026-11-04T01:29:58Z","id":"1","record":"intent","user":"alice","pid":1,"context":"digest","api":null,"action":"clear","dag_id":"sales_etl","run_id":"scheduled__2026-11-03","tasks":[{"task_id":"transform"}],"include_downstream":true,"only_failed":false,"will_clear":[],"result":"intent"}
{"time":"2026-11-04T01:30:00Z","id":"1","record":"outcome","user":"alice","pid":1,"context":"digest","api":null,"action":"clear","dag_id":"sales_etl","run_id":"scheduled__2026-11-03","tasks":[{"task_id":"transform"}],"include_downstream":true,"only_failed":false,"cleared":[{"task_id":"transform"},{"task_id":"publish"}],"count":2,"result":"cleared"}
{"time":"2026-11-01T23:59:59Z","id":"2","record":"outcome","user":"dave","pid":2,"context":"digest","api":null,"action":"clear","dag_id":"sales_etl","run_id":"x","tasks":[],"include_downstream":false,"only_failed":false,"cleared":[],"count":1,"result":"cleared"}
this is not { json
{"time":"2026-11-06T09:00:00Z","id":"3","record":"outcome","user":"bob","pid":3,"context":null,"api":null,"action":"clear","dag_id":"billing_load","run_id":"scheduled__2026-11-04","tasks":[{"task_id":"load_a"}],"include_downstream":false,"only_failed":true,"cleared":[],"count":0,"result":"failed: 409 Conflict"}
{"time":"2026-11-07T10:00:00Z","id":"4","record":"outcome","user":"mal\u001b]0;PWNED-TITLE\u0007<b>lory</b>","pid":4,"context":"digest","api":null,"action":"clear","dag_id":"sales_etl","run_id":"y","tasks":[],"include_downstream":false,"only_failed":false,"cleared":[{"task_id":"t"}],"count":1,"result":"cleared"}
{"time":"2026-11-09T00:00:00Z","id":"5","record":"outcome","user":"carol","pid":5,"context":"digest","api":null,"action":"clear","dag_id":"sales_etl","run_id":"z","tasks":[],"include_downstream":false,"only_failed":false,"cleared":[],"count":1,"result":"cleared"}
EOF



# clean FILE: no escape sequence, C1 control or bidi control in FILE.
clean() {
	/usr/bin/python3 tests/e2e/no_escapes.py - <"$1" ||
	    fail "$(basename "$1"): an escape sequence got out"
	grep -q "PWNED-TITLE.*$(printf '\a')" "$1" && fail "$(basename "$1"): a BEL"
}

for v in 2 3; do
	db=afdigest$v
	dropdb --if-exists "$db" 2>/dev/null
	pg_load_schema "$db" "$v" || { fail "schema $v"; continue; }
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture_digest.sql >/dev/null &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null ||
	    { fail "fixture on schema $v"; continue; }
	cat >"$work/conf" <<EOF
[dagtop]
week_start = monday

[context-defaults]
database_password_env = DBPW
timezone = UTC
connect_timeout = 3
statement_timeout = 10

[context digest]
database = postgresql://reader@127.0.0.1:$PGPORT/$db

[context gone]
database = postgresql://reader@127.0.0.1:1/$db

[sla "sales_ready"]
dag = sales_etl
deadline = 02:00
timezone = UTC

[sla "billing_ready"]
dag = billing_load
deadline = 06:00
days = mon-fri
timezone = UTC
EOF
	chmod 600 "$work/conf"

	# JSON: every figure.  SLA week 2026-W45:
	#   sales_ready  met Mon Thu Fri Sun (4), late Tue 40m (2400 s) and
	#                Wed 2h10m (7800 s: the manual run at 04:10), missing
	#                Sat: judged 7, compliance 4/7 = 0.5714, worst 7800;
	#                26 weeks: W44 judged 1 (Sun 11-01 met, the days before
	#                the first run not judged), compliance 1; W20..W43 none.
	#   billing_ready met Mon Wed, failed Tue Thu, missing Fri, Sat and
	#                Sun not applicable: judged 5, compliance 0.4.
	# Failures: ended in the week: sales_etl 7 (6 scheduled, 1 manual),
	#   billing_load 4, the hostile DAG 1 = 12; failed 4.
	#   DAGs: billing_load 2 failed runs, 3 failed tasks (load_a twice,
	#   load_b); then 1 and 1 each, by id: the hostile id ("evil...")
	#   before sales_etl (publish was upstream_failed: not counted).
	#   Tasks: billing_load.load_a 2 in 2 runs, then 1 in 1 by DAG and
	#   task id: billing_load.load_b, evil's t, sales_etl.transform.
	#   Recoveries by failure: billing Tue 05:00 -> Wed 05:00 (86400 s),
	#   sales Wed 01:00 -> the manual run 04:10 (11400 s = 3h10m),
	#   billing Thu and the hostile DAG never: median (11400 + 86400) / 2
	#   = 48900, max 86400, 2 recovered, 2 not.
	# Reruns: alice, bob, mallory (3); 1 malformed line skipped.
	# Exit 1: SLAs missed.
	run "$work/json$v" report digest --context digest --week 2026-W45 --format json
	[ $rc -eq 1 ] || fail "json ($v): exit $rc, want 1: $(cat "$work/json$v.err")"
	/usr/bin/python3 - "$work/json$v" "$work/audit.log" <<'PY' || fail "json ($v): $(cat "$work/json$v")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "digest" and d["status"] == "warning" and d["exit_code"] == 1, d["status"]
p = d["period"]
assert p == {"week": "2026-W45", "first_day": "2026-11-02", "last_day": "2026-11-08",
             "from": "2026-11-02T00:00:00Z", "to": "2026-11-09T00:00:00Z",
             "timezone": "UTC"}, p
o = d["sla"]["origin"]
assert o["error"] is None and o["skipped"] is None, o
assert o["source"].startswith("Airflow database, context digest, Airflow "), o
assert o["read_at"] is not None and o["age_seconds"] > 0, o
assert o["newest"] == "2026-11-08T01:05:00Z", o
s = {x["name"]: x for x in d["sla"]["slas"]}
sales, billing = s["sales_ready"], s["billing_ready"]
assert [x["outcome"] for x in sales["days"]] == \
    ["met", "late", "late", "met", "met", "missing", "met"], sales["days"]
w = sales["week"]
assert (w["met"], w["late"], w["failed"], w["missing"], w["judged"]) == (4, 2, 0, 1, 7), w
assert w["compliance"] == 0.5714 and w["worst_late_seconds"] == 7800, w
assert sales["days"][1]["late_by_seconds"] == 2400, sales["days"][1]
assert sales["days"][2]["late_by_seconds"] == 7800, sales["days"][2]
assert len(sales["weeks"]) == 26, len(sales["weeks"])
assert sales["weeks"][25]["week"] == "2026-W45" and sales["weeks"][25]["judged"] == 7
assert sales["weeks"][25]["compliance"] == 0.5714, sales["weeks"][25]
assert sales["weeks"][24]["week"] == "2026-W44", sales["weeks"][24]
assert sales["weeks"][24]["judged"] == 1 and sales["weeks"][24]["compliance"] == 1, sales["weeks"][24]
assert sales["weeks"][0]["week"] == "2026-W20" and sales["weeks"][0]["from"] == "2026-05-11"
assert all(x["compliance"] is None for x in sales["weeks"][:24]), sales["weeks"][:24]
assert [x["outcome"] for x in billing["days"]] == \
    ["met", "failed", "met", "failed", "missing", "not_applicable", "not_applicable"], billing["days"]
w = billing["week"]
assert (w["met"], w["failed"], w["missing"], w["judged"]) == (2, 2, 1, 5), w
assert w["compliance"] == 0.4 and w["worst_late_seconds"] == 0, w
assert all(x["compliance"] is None for x in billing["weeks"][:25]), billing["weeks"]

f = d["failures"]
assert f["origin"]["error"] is None and f["origin"]["source"] == o["source"], f["origin"]
assert f["origin"]["newest"] == "2026-11-08T01:05:00Z", f["origin"]
assert f["runs"] == 12 and f["failed_runs"] == 4, (f["runs"], f["failed_runs"])
evil = "evil\x1b]0;PWNED-TITLE\x07<script>alert(1)</script>"
assert [(x["dag_id"], x["owner"], x["runs"], x["failed_runs"], x["failed_tasks"])
        for x in f["dags"]] == [
    ("billing_load", "team-billing", 4, 2, 3),
    (evil, "data-eng", 1, 1, 1),
    ("sales_etl", "team-sales", 7, 1, 1)], f["dags"]
assert [(x["dag_id"], x["task_id"], x["failures"], x["runs"]) for x in f["tasks"]] == [
    ("billing_load", "load_a", 2, 2), ("billing_load", "load_b", 1, 1),
    (evil, "t\x1b[31mRED", 1, 1), ("sales_etl", "transform", 1, 1)], f["tasks"]
assert [(x["dag_id"], x["run_id"], x["failed_at"], x["recovered_at"], x["recovered_by"], x["seconds"])
        for x in f["recoveries"]] == [
    ("billing_load", "scheduled__2026-11-02", "2026-11-03T05:00:00Z",
     "2026-11-04T05:00:00Z", "scheduled__2026-11-03", 86400),
    ("sales_etl", "scheduled__2026-11-03", "2026-11-04T01:00:00Z",
     "2026-11-04T04:10:00Z", "manual__2026-11-04T03:00:00+00:00", 11400),
    ("billing_load", "scheduled__2026-11-04", "2026-11-05T06:00:00Z", None, None, None),
    (evil, "scheduled__2026-11-05", "2026-11-06T12:00:00Z", None, None, None)], f["recoveries"]
assert f["recovery"] == {"median_seconds": 48900, "max_seconds": 86400,
                         "recovered": 2, "unrecovered": 2}, f["recovery"]
r = f["reruns"]
assert r["origin"]["source"] == "dagtop audit log %s (1 malformed line skipped)" % sys.argv[2], r["origin"]
assert r["origin"]["error"] is None and r["origin"]["skipped"] is None, r["origin"]
assert [(x["time"], x["user"], x["context"], x["dag_id"], x["run_id"], x["tasks"], x["result"])
        for x in r["items"]] == [
    ("2026-11-04T01:30:00Z", "alice", "digest", "sales_etl", "scheduled__2026-11-03", 2, "cleared"),
    ("2026-11-06T09:00:00Z", "bob", None, "billing_load", "scheduled__2026-11-04", None,
     "failed: 409 Conflict"),
    ("2026-11-07T10:00:00Z", "mal\x1b]0;PWNED-TITLE\x07<b>lory</b>", "digest", "sales_etl", "y", 1,
     "cleared")], r["items"]
for sec in ("fourkeys", "slots", "environments"):
    assert "origin" in d[sec] and set(d[sec]["origin"]) == \
        {"source", "read_at", "newest", "age_seconds", "error", "skipped"}, d[sec]
PY
	# JSON keeps the ids exact, as \u escapes: never a raw ESC or BEL.
	clean "$work/json$v"

	# Text, Markdown, HTML: made, with the key figures, nothing active.
	for fmt in text markdown html; do
		out=$work/$fmt$v
		run "$out" report digest --context digest --week 2026-W45 --format $fmt
		[ $rc -eq 1 ] || fail "$fmt ($v): exit $rc, want 1: $(cat "$out.err")"
		[ -s "$out" ] || fail "$fmt ($v): empty"
		# Markdown backslash-escapes punctuation (report_md_text): the
		# figures are looked for without the backslashes.
		sed 's/\\//g' "$out" >"$out.plain"
		has "$out.plain" "2026-W45" "sales_ready" "billing_ready" \
		    "billing_load" "load_a" "sales_etl" "3h10m" "alice" "bob"
		clean "$out"
		# Markdown escapes '<' (\<), HTML makes it an entity; text is
		# for a terminal, where a '<' is only a character.
		[ $fmt != text ] && grep -qiE '(^|[^\\])<(script|b>lory)' "$out" &&
		    fail "$fmt ($v): raw HTML from an id got out"
	done
	# The checker is in the tree: missing, it is a failure, not a skip.
	/usr/bin/python3 tests/tools/check_digest_html.py "$work/html$v" ||
	    fail "html ($v): check_digest_html.py"
	# Week parsing shares report sla's: a bad week is a usage error.
	run "$work/bad$v" report digest --context digest --week 2026-W99
	[ $rc -eq 3 ] || fail "--week 2026-W99: exit $rc, want 3"
	has "$work/bad$v.err" "--week takes an ISO week"

	# A database that cannot be reached: exit 3, the Airflow sections
	# carry the error, the reruns and the others are still written.
	run "$work/gone$v" report digest --context gone --week 2026-W45 --format json
	[ $rc -eq 3 ] || fail "gone ($v): exit $rc, want 3"
	has "$work/gone$v.err" "cannot read the Airflow database"
	grep -q "reader-secret" "$work/gone$v" "$work/gone$v.err" && fail "gone ($v): the password is out"
	/usr/bin/python3 - "$work/gone$v" <<'PY' || fail "gone ($v): $(cat "$work/gone$v")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "unknown" and d["exit_code"] == 3, d["status"]
for sec in ("sla", "failures"):
    e = d[sec]["origin"]["error"]
    assert e and "127.0.0.1" in e, (sec, e)
assert d["failures"]["runs"] == 0 and d["failures"]["dags"] == []
assert len(d["failures"]["reruns"]["items"]) == 3, d["failures"]["reruns"]
assert d["period"]["week"] == "2026-W45"
PY
	run "$work/gonetext$v" report digest --context gone --week 2026-W45
	[ $rc -eq 3 ] || fail "gone text ($v): exit $rc, want 3"
	has "$work/gonetext$v" "alice" "2026-W45"
	dropdb --if-exists "$db"
done

# No audit log: no reruns, and that is not an error.
rm -f "$work/audit.log"
v=3
db=afdigest$v
pg_load_schema "$db" "$v" &&
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null &&
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture_digest.sql >/dev/null &&
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null ||
    fail "fixture again"
run "$work/noaudit" report digest --context digest --week 2026-W45 --format json
[ $rc -eq 1 ] || fail "no audit log: exit $rc, want 1: $(cat "$work/noaudit.err")"
/usr/bin/python3 - "$work/noaudit" "$work/audit.log" <<'PY' || fail "no audit log: $(cat "$work/noaudit")"
import json, sys
r = json.load(open(sys.argv[1]))["failures"]["reruns"]
assert r["items"] == [] and r["origin"]["error"] is None, r
assert r["origin"]["skipped"] == "no audit log at %s" % sys.argv[2], r["origin"]
PY
# An audit log that cannot be read: that part's error, exit 3.
mkdir "$work/audit.log"
run "$work/badaudit" report digest --context digest --week 2026-W45 --format json
[ $rc -eq 3 ] || fail "unreadable audit log: exit $rc, want 3"
/usr/bin/python3 - "$work/badaudit" <<'PY' || fail "unreadable audit log: $(cat "$work/badaudit")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "cannot read the audit log" in d["failures"]["reruns"]["origin"]["error"], d["failures"]["reruns"]
assert d["failures"]["origin"]["error"] is None and d["failures"]["failed_runs"] == 4
PY

# A FIFO at the audit log's path: refused at once, not waited on.
rmdir "$work/audit.log"
mkfifo "$work/audit.log"
run "$work/fifoaudit" report digest --context digest --week 2026-W45 --format json
[ $rc -eq 3 ] || fail "audit log FIFO: exit $rc, want 3"
/usr/bin/python3 - "$work/fifoaudit" <<'PY' || fail "audit log FIFO: $(cat "$work/fifoaudit")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["failures"]["reruns"]["origin"]["error"].endswith(": not a regular file"), d["failures"]["reruns"]
assert d["failures"]["origin"]["error"] is None and d["failures"]["failed_runs"] == 4
PY

exit $((fails > 0))
