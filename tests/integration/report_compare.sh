#!/bin/sh
# report compare on the blue/green fixtures: blue on Airflow 2.10
# (afcmp_blue, fixture_compare_blue.sql, whose header designs the
# differences) and green on 3.1 (afcmp_green), each read through its own
# database: exactly the designed differences are found, and nothing else,
# in text, JSON and Markdown, with dagtop(1)'s exit statuses; then the
# sides swapped (what was worse on green is better on it now); and green
# read through the REST API (the emulator serving afcmp_green), as a green
# Composer 3 is, and both through it (blue's API v1 on 2.10, green's v2 on
# 3.1: a Composer 2 against a Composer 3): the same findings; and each
# side against itself, on the same version (2.10 and 3.1; database and
# API): nothing but the double run, every DAG running on both.
# Usage: report_compare.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role, and the databases afcmp_blue and afcmp_green it loads)
#
# The findings, worst first (compare.h's order; the rules in dagtop(1)):
#   CRITICAL double_running  cmp_double   unpaused on both, 6 dates on both
#   WARNING  only_on         cmp_gone     blue runs it, green lacks it
#   WARNING  paused_on       cmp_paused   paused on green only
#   WARNING  graph           cmp_graph    +1 task, +2 edges, -1 edge
#   WARNING  duration        cmp_slow     median run 600s -> 840s (+40%)
#   WARNING  task            cmp_slow     crunch 500s -> 700s (+40%)
#   WARNING  task            cmp_slow     publish 100s -> 140s (+40%)
#   WARNING  sla             cmp_sla      cmp_ready met on blue, late on green
set -u
. tests/lib/emu.sh
bin=$1
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-compare.XXXXXX")
trap 'emu_stop_all; [ "${DAGTOP_TEST_KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
esc=$(printf '\033')

emu_start G --airflow 3 --self-test \
    --dsn "host=127.0.0.1 port=$PGPORT dbname=afcmp_green user=postgres" \
    --auth login --user oncall --password 's3cret pass' || exit 1
emu_start B --airflow 2 --self-test \
    --dsn "host=127.0.0.1 port=$PGPORT dbname=afcmp_blue user=postgres" \
    --auth basic --user oncall --password 's3cret pass' || exit 1
cat >"$work/conf" <<EOF
[sla "cmp_ready"]
dag = cmp_sla
deadline = 06:00
timezone = UTC
[context blue]
database = postgresql://reader@127.0.0.1:$PGPORT/afcmp_blue
database_password_env = DBPW
timezone = UTC
[context green]
database = postgresql://reader@127.0.0.1:$PGPORT/afcmp_green
database_password_env = DBPW
timezone = UTC
[context green-api]
source = api
airflow_api = $G_URL
airflow_auth = login
airflow_user = oncall
airflow_password_env = AFPW
timezone = UTC
[context blue-api]
source = api
airflow_api = $B_URL
airflow_auth = basic
airflow_user = oncall
airflow_password_env = AFPW
timezone = UTC
EOF
chmod 600 "$work/conf"
export DBPW=reader-secret AFPW='s3cret pass'
unset DAGTOP_DATABASE DAGTOP_CONTEXT

# rep NAME ARGS...: report compare ARGS; NAME.out, NAME.err, NAME.rc.
rep() {
	n=$1
	shift
	"$bin" --config "$work/conf" report compare "$@" \
	    >"$work/$n.out" 2>"$work/$n.err"
	echo $? >"$work/$n.rc"
	if grep -q "$esc" "$work/$n.out" "$work/$n.err"; then
		fail "$n: an escape sequence reached the output"
	fi
}

# rc NAME WANT: the exit status.
rc() {
	got=$(cat "$work/$1.rc")
	[ "$got" = "$2" ] || { fail "$1: exit $got, expected $2"; sed 's/^/  /' "$work/$1.out" "$work/$1.err" | head -40 >&2; }
}

# findings NAME EXPECTED: the JSON's findings, one "severity kind dag
# [subject]" a line, are exactly EXPECTED; the rest of the document holds
# together (dags, tasks, slas, both sides named).
findings() {
	python3 - "$work/$1.out" "$2" <<'PY' || fail "$1: the JSON's findings differ"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
want = sys.argv[2].strip().splitlines()
got = [" ".join(x for x in (f["severity"], f["kind"], f["dag_id"],
                            f.get("task_id") or f.get("sla")) if x)
       for f in doc["findings"]]
ok = got == [w.strip() for w in want]
if not ok:
    print("  got:\n    " + "\n    ".join(got), file=sys.stderr)
    print("  expected:\n    " + "\n    ".join(w.strip() for w in want),
          file=sys.stderr)
for side in ("blue", "green"):
    if doc[side]["source"] not in ("database", "api") or \
            not doc[side]["airflow"]:
        print("  %s: no source or Airflow" % side, file=sys.stderr)
        ok = False
if doc["window"]["seconds"] != 7 * 86400:
    print("  the window is not 7 days", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
}

# has NAME TEXT / hasnt NAME TEXT: in the output or not.
has() { grep -qF -- "$2" "$work/$1.out" || fail "$1: no '$2' in the output"; }
hasnt() { ! grep -qF -- "$2" "$work/$1.out" || fail "$1: '$2' in the output"; }

# --- blue 2.10 against green 3.1 ------------------------------------------
# The designed differences, as the JSON's findings list them.
designed="
critical double_running cmp_double
warning only_on cmp_gone
warning paused_on cmp_paused
warning graph cmp_graph
warning duration cmp_slow
warning task cmp_slow crunch
warning task cmp_slow publish
warning sla cmp_sla cmp_ready
"
rep json blue green --format json
rc json 2
findings json "$designed"
# The figures behind them, as the fixture's header works them out.
python3 - "$work/json.out" <<'PY' || fail "json: the figures differ from the fixture's header"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
dags = {d["dag_id"]: d for d in doc["dags"]}
bad = []
def check(what, got, want):
    if got != want:
        bad.append("%s: %r, expected %r" % (what, got, want))
check("dags", sorted(dags), ["cmp_double", "cmp_gone", "cmp_graph",
      "cmp_paused", "cmp_same", "cmp_sla", "cmp_slow"])
s = dags["cmp_slow"]
check("cmp_slow blue median", s["blue"]["median_seconds"], 600)
check("cmp_slow blue p90", s["blue"]["p90_seconds"], 800)
check("cmp_slow green median", s["green"]["median_seconds"], 840)
check("cmp_slow green p90", s["green"]["p90_seconds"], 1120)
check("cmp_slow runs", (s["blue"]["runs"], s["green"]["runs"]), (6, 6))
m = dags["cmp_same"]
check("cmp_same failed", (m["blue"]["failed"], m["green"]["failed"]), (1, 1))
check("cmp_same rate", round(m["green"]["success_rate"], 9), 0.833333333)
check("cmp_double dates", dags["cmp_double"]["logical_dates_on_both"], 6)
check("cmp_gone green", dags["cmp_gone"]["green"], None)
g = dags["cmp_graph"]["graph"]
check("graph compared", g["compared"], True)
check("tasks added", g["tasks_added"], ["audit"])
check("tasks removed", g["tasks_removed"], [])
check("edges added", g["edges_added"], ["ingest.extract\tcheck",
      "ingest.load\taudit"])
check("edges removed", g["edges_removed"], ["start\tcheck"])
for d in ("cmp_double", "cmp_paused", "cmp_same", "cmp_sla", "cmp_slow"):
    check(d + " graph", (dags[d]["graph"]["compared"],
          dags[d]["graph"]["tasks_added"], dags[d]["graph"]["edges_added"]),
          (True, [], []))
tasks = [(t["dag_id"], t["task_id"], t["worse"],
          t["blue"]["median_seconds"], t["green"]["median_seconds"])
         for t in doc["tasks"]]
check("tasks", tasks, [("cmp_slow", "crunch", True, 500, 700),
      ("cmp_slow", "publish", True, 100, 140)])
sla = doc["slas"][0]
check("sla", (sla["name"], sla["worse"]), ("cmp_ready", True))
check("sla blue", (sla["blue"]["met"], sla["blue"]["late"]), (6, 0))
check("sla green", (sla["green"]["met"], sla["green"]["late"]), (0, 6))
check("sla missing alike", sla["blue"]["missing"], sla["green"]["missing"])
check("status", (doc["status"], doc["exit_code"]), ("critical", 2))
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

rep text blue green
rc text 2
has text "CRITICAL: green green against blue blue over 7d00h: 1 critical, 7 warnings"
hasnt text "note"
has text "  CRITICAL cmp_double: unpaused on both sides, and both ran 6 logical dates"
has text "  WARNING  cmp_gone: on blue only (green: not listed)"
has text "  WARNING  cmp_paused: paused on green only"
has text "  WARNING  cmp_graph: task graph differs on green: +1 task, +2 edges, -1 edge"
has text "  WARNING  cmp_slow: median run 10m00s on blue, 14m00s on green (+40%); p90 13m20s and 18m40s"
has text "  WARNING  cmp_slow.crunch: task median 8m20s on blue, 11m40s on green"
has text "  WARNING  cmp_slow.publish: task median 1m40s on blue, 2m20s on green"
has text "  WARNING  cmp_sla SLA cmp_ready: blue 6 met, 0 late, 0 failed"
has text "    + task audit"
has text "    + edge ingest.extract -> check"
has text "    - edge start -> check"
[ "$(grep -c '^  \(CRITICAL\|WARNING\|OK\) ' "$work/text.out")" = 8 ] ||
    fail "text: not exactly 8 findings"
head -1 "$work/text.out" | grep -q '^CRITICAL: ' || fail "text: the verdict is not the first line"

rep md blue green --format markdown
rc md 2
has md "**CRITICAL: green green against blue blue over 7d00h: 1 critical, 7 warnings**"
has md "| CRITICAL | double_running | cmp\\_double |"
has md "| WARNING | only_on | cmp\\_gone |"
has md "| WARNING | paused_on | cmp\\_paused |"
has md "| WARNING | graph | cmp\\_graph |"
has md "| WARNING | duration | cmp\\_slow |"
has md "| WARNING | task | cmp\\_slow.crunch |"
has md "| WARNING | task | cmp\\_slow.publish |"
has md "| WARNING | sla | cmp\\_sla SLA cmp\\_ready |"
[ "$(grep -c '^| \(CRITICAL\|WARNING\|OK\) |' "$work/md.out")" = 8 ] ||
    fail "markdown: not exactly 8 findings"

# A higher threshold: the 40% no longer counts; the rest stays.
rep thr blue green --format json --threshold 50%
rc thr 2
findings thr "
critical double_running cmp_double
warning only_on cmp_gone
warning paused_on cmp_paused
warning graph cmp_graph
warning sla cmp_sla cmp_ready
"

# --- the sides swapped: green 3.1 as blue -----------------------------------
# What was worse on green is better on it now: only the double run and the
# graph stay; cmp_gone (new on green) and the pause on blue are notes.
rep swap green blue --format json
rc swap 2
findings swap "
critical double_running cmp_double
warning graph cmp_graph
ok only_on cmp_gone
ok paused_on cmp_paused
"

# --- green through the REST API ----------------------------------------------
rep api blue green-api --format json
rc api 2
findings api "$designed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["green"]["source"] != "api" or d["blue"]["source"] != "database")' \
    "$work/api.out" || fail "api: the sides' sources are not database and api"

# --- both through the REST API: Composer 2 against Composer 3 ----------------
rep apis blue-api green-api --format json
rc apis 2
findings apis "$designed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["green"]["source"] != "api" or d["blue"]["source"] != "api")' \
    "$work/apis.out" || fail "apis: the sides' sources are not both api"

# --- the same version on both sides: each against itself --------------------
# Every DAG unpaused there runs twice: those double runs, nothing else
# (blue: cmp_double, cmp_gone, cmp_paused; green: cmp_double).
rep same_blue blue blue-api --format json
rc same_blue 2
findings same_blue "
critical double_running cmp_double
critical double_running cmp_gone
critical double_running cmp_paused
"
rep same_green green green-api --format json
rc same_green 2
findings same_green "
critical double_running cmp_double
"

# --- cannot tell ---------------------------------------------------------------
rep nosuch blue nosuch
rc nosuch 3
has nosuch "UNKNOWN: configuration: no context 'nosuch'"
(DAGTOP_DATABASE=postgresql://x@127.0.0.1:1/y; export DAGTOP_DATABASE
    rep envdb blue green)
rc envdb 3
sed "s|/afcmp_green|/afcmp_nosuch|" "$work/conf" >"$work/conf2"
chmod 600 "$work/conf2"
"$bin" --config "$work/conf2" report compare blue green --format json \
    >"$work/down.out" 2>"$work/down.err"
echo $? >"$work/down.rc"
rc down 3
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["status"] != "unknown")' \
    "$work/down.out" || fail "down: not an unknown JSON object"
grep -q "cannot read green (context green)" "$work/down.err" ||
    fail "down: the green side's error is not named"

[ "$fails" = 0 ] && echo "report compare: all checks passed"
exit $((fails > 0))
