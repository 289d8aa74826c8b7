#!/bin/sh
# report impact and report why on the shared dependency scenario
# (fixture_deps2.sql / fixture_deps3.sql, whose header works the answer
# out), on Airflow 2.10 and 3.1: the same answer on both schemas in text,
# JSON and Markdown, the exit statuses dagtop(1) gives, and no escape
# sequence of a hostile DAG id or asset URI on the output.
# Usage: report_impact.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role; the databases af2_impact and af3_impact are made here)
#
# The scenario's failure is ingest_orders.load in
# scheduled__2026-03-09T01:00:00+00:00.  Added here: a DAG and an asset
# with hostile names that the failure holds back (sales_mart's SLAs are
# the configuration's).  Times that follow the clock (the database's now,
# the time left) are the only things that may differ between the schemas.
set -u
. tests/lib/pg.sh
bin=$1
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-impact.XXXXXX")
trap '[ "${DAGTOP_TEST_KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
run_id='scheduled__2026-03-09T01:00:00+00:00'
esc=$(printf '\033')
bel=$(printf '\007')

for v in 2 3; do
	db="af${v}_impact"
	psql -q -X -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
	pg_load_schema "$db" "$v" &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_deps$v.sql" >/dev/null &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' &&
-- Held back by the failure: a mart with an escape sequence in its id, on
-- orders, and an asset with one in its URI, written by the failed task.
SELECT dx_dag(E'evil\x1b]0;pwned\x07_mart', false, true, 'asset',
    dx_all(dx_ref('bq://dwh/orders')), NULL);
SELECT dx_schedule(E'evil\x1b]0;pwned\x07_mart', 'bq://dwh/orders');
SELECT dx_asset(9, E'bq://dwh/\x1b[2Jwiped', true);
SELECT dx_outlet('ingest_orders', 'load', E'bq://dwh/\x1b[2Jwiped');
SQL
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null ||
	    { fail "cannot load the scenario on schema $v"; exit 1; }
done

# sales_sla: 10:00 UTC, met on 2026-03-09 (sales_mart ended 02:29), and
# missing on 2026-03-10 (the failure held it back).
cat >"$work/conf" <<EOF
[sla "sales_sla"]
dag = sales_mart
deadline = 10:00
timezone = UTC
[sla "report_sla"]
dag = report_x
deadline = 12:00
timezone = Asia/Tokyo
[context ctx2]
database = postgresql://reader@127.0.0.1:$PGPORT/af2_impact
database_password_env = DBPW
timezone = UTC
[context ctx3]
database = postgresql://reader@127.0.0.1:$PGPORT/af3_impact
database_password_env = DBPW
timezone = UTC
EOF
chmod 600 "$work/conf"
export DBPW=reader-secret

# rep SCHEMA NAME ARGS...: a report; stdout in NAME.SCHEMA.out, its exit
# status in NAME.SCHEMA.rc.
rep() {
	s=$1 n=$2
	shift 2
	"$bin" --config "$work/conf" --context "ctx$s" report "$@" \
	    >"$work/$n.$s.out" 2>"$work/$n.$s.err"
	echo $? >"$work/$n.$s.rc"
}

# What may differ between the schemas: the clock and the Airflow release.
norm() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
path, fmt = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="replace").read()
# Durations that follow the clock: "13h05m", "2d03h", "45s", in the text
# and in JSON's sentences ("48m36s left" on one schema, "48m35s" on the
# other when a second turns between the two runs).
DURATION = r"\b\d+[dhms](\d+[dhms])?\b"
if fmt == "json":
    def strip(o):
        if isinstance(o, dict):
            return {k: strip(x) for k, x in o.items()
                    if k not in ("generated_at", "now", "airflow", "context",
                                 "left_seconds", "expected_at")}
        if isinstance(o, list):
            return [strip(x) for x in o]
        if isinstance(o, str):
            return re.sub(DURATION, "D", o)
        return o
    print(json.dumps(strip(json.loads(text)), sort_keys=True, indent=1))
else:
    for line in text.splitlines():
        if re.match(r"^(- )?(context|now)\b", line):
            continue
        print(re.sub(DURATION, "D", line))
PY
}

# same NAME FORMAT: the two schemas' outputs and statuses agree.
same() {
	a=$(cat "$work/$1.2.rc") b=$(cat "$work/$1.3.rc")
	[ "$a" = "$b" ] || fail "$1: exit $a on 2.10, $b on 3.1"
	norm "$work/$1.2.out" "$2" >"$work/$1.2.norm" 2>&1
	norm "$work/$1.3.out" "$2" >"$work/$1.3.norm" 2>&1
	if ! cmp -s "$work/$1.2.norm" "$work/$1.3.norm"; then
		fail "$1: 2.10 and 3.1 differ:"
		diff "$work/$1.2.norm" "$work/$1.3.norm" | head -20 >&2
	fi
	for s in 2 3; do
		if grep -q "[$esc$bel]" "$work/$1.$s.out" "$work/$1.$s.err"; then
			fail "$1 on schema $s: an escape sequence reached the output"
		fi
	done
}

# expect NAME RC: its exit status on 2.10 (same() checked 3.1 against it).
expect() {
	got=$(cat "$work/$1.2.rc")
	[ "$got" = "$2" ] || { fail "$1: exit $got, expected $2"; sed 's/^/  /' "$work/$1.2.out" "$work/$1.2.err" | head -30 >&2; }
}

# has NAME TEXT / hasnt NAME TEXT: in the 2.10 output or not.
has() { grep -qF -- "$2" "$work/$1.2.out" || fail "$1: no '$2' in the output"; }
hasnt() { ! grep -qF -- "$2" "$work/$1.2.out" || fail "$1: '$2' in the output"; }

for f in text json markdown; do
	for s in 2 3; do
		rep $s "impact_$f" impact ingest_orders "$run_id" load --format $f
		rep $s "why_$f" why sales_sla --date 2026-03-09 --format $f
		rep $s "whyday_$f" why sales_sla --date 2026-03-10 --format $f
		rep $s "whydag_$f" why --dag sales_mart --format $f
	done
	for n in impact why whyday whydag; do
		same "${n}_$f" $f
	done
	# The SLA on sales_mart is held back: WARNING or CRITICAL after the
	# time of day (missed or not), never OK, never UNKNOWN.
	case $(cat "$work/impact_$f.2.rc") in
	1|2) ;;
	*) fail "impact_$f: exit $(cat "$work/impact_$f.2.rc"), expected 1 or 2"
	   sed 's/^/  /' "$work/impact_$f.2.out" "$work/impact_$f.2.err" | head -30 >&2 ;;
	esac
	expect "why_$f" 1
	expect "whyday_$f" 2
	expect "whydag_$f" 1
done

# Text: the verdict word matches the status; the tree as the fixture says.
rc=$(cat "$work/impact_text.2.rc")
case $rc in 1) word=WARNING ;; *) word=CRITICAL ;; esac
head -n 1 "$work/impact_text.2.out" | grep -q "^$word: ingest_orders.load (run $run_id) holds back" ||
    fail "impact_text: first line is not the $word verdict: $(head -n 1 "$work/impact_text.2.out")"
for t in "ingest_orders.publish" "bq://dwh/orders" "orders_alias" "sales_mart" \
    "report_x  sensor wait_sales" "exports  trigger kick" "archive" "paused" \
    "alias_mart" "old_mart" "inactive" "SLA    sales_sla  deadline" "evil^[]0;pwned^G_mart" \
    "bq://dwh/^[[2Jwiped" "reads      "; do
	has impact_text "$t"
done
hasnt impact_text "finance_mart"
hasnt impact_text "cyc_a  "
# The graph's warnings are shown: the cycle and the dangling references.
has impact_text "warning    "
grep -q "cyc_a" "$work/impact_text.2.out" || fail "impact_text: the cycle is not named in the warnings"
grep -q "legacy_dag\|bq://dwh/ghost" "$work/impact_text.2.out" || fail "impact_text: the dangling references are not named"
python3 - "$work/impact_json.2.out" <<'PY' || fail "impact_json: fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "impact" and d["exit_code"] in (1, 2), d.get("exit_code")
assert d["failure"] == {"dag_id": "ingest_orders",
    "run_id": "scheduled__2026-03-09T01:00:00+00:00", "task_id": "load"}
dags = {i["dag_id"] for i in d["items"] if i["kind"] == "dag"}
for want in ("sales_mart", "report_x", "exports", "archive", "alias_mart",
             "old_mart", "evil\x1b]0;pwned\x07_mart"):
    assert want in dags, want
assert "finance_mart" not in dags
assert [i for i in d["items"] if i["dag_id"] == "archive"][0]["paused"]
assert any(s["name"] == "sales_sla" for s in d["slas"])
assert d["warnings"], "no warnings"
assert 1 <= d["source_reads"] <= 4
PY
has impact_markdown "| depth | kind | name | via | marks | next run |"

head -n 1 "$work/why_text.2.out" | grep -q "^WARNING: SLA sales_sla on 2026-03-09 met; sales_mart waits for asset bq://dwh/orders" ||
    fail "why_text: $(head -n 1 "$work/why_text.2.out")"
has why_text "ingest_orders.load"
has why_text "failed"
head -n 1 "$work/whyday_text.2.out" | grep -q "^CRITICAL: SLA sales_sla on 2026-03-10 missing; " ||
    fail "whyday_text: $(head -n 1 "$work/whyday_text.2.out")"
python3 - "$work/why_json.2.out" <<'PY' || fail "why_json: fields"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "why" and d["found"] is True and d["exit_code"] == 1
assert d["sla"]["name"] == "sales_sla" and d["sla"]["outcome"] == "met"
assert d["chain"][0]["dag_id"] == "sales_mart"
assert any(l["verdict"] == "failed" and l["dag_id"] == "ingest_orders"
           for l in d["chain"]), d["chain"]
assert 1 <= d["source_reads"] <= 4
PY

# Nothing outside the DAG: archive's only task writes nothing.
rep 2 nothing impact archive 'dataset_triggered__2026-03-01T00:00:00+00:00' copy
expect nothing 0
head -n 1 "$work/nothing.2.out" | grep -q "^OK: " || fail "nothing: $(head -n 1 "$work/nothing.2.out")"
# An upstream that is fine: ingest_customers waits on nothing.
rep 2 fine why --dag ingest_customers
expect fine 0
# Cannot tell: no such DAG, task, SLA; --date with --dag; CSV.
rep 2 nodag impact nosuch_dag "$run_id" load
expect nodag 3
rep 2 notask impact ingest_orders "$run_id" nosuch_task
expect notask 3
head -n 1 "$work/notask.2.out" | grep -q "^UNKNOWN: " || fail "notask: no UNKNOWN line"
rep 2 nosla why nosuch_sla
expect nosla 3
rep 2 nosladag why --dag nosuch_dag --format json
expect nosladag 3
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["status"] == "unknown"' \
    "$work/nosladag.2.out" || fail "nosladag: JSON is not status unknown"
rep 2 both why sales_sla --dag sales_mart
expect both 3
rep 2 csv impact ingest_orders "$run_id" load --format csv
expect csv 3

for v in 2 3; do
	psql -q -X -d postgres -c "DROP DATABASE IF EXISTS af${v}_impact" >/dev/null 2>&1
done
[ $fails -eq 0 ] && echo "report impact and why: same on 2.10 and 3.1, statuses and formats as documented"
exit $((fails > 0))
