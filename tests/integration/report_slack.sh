#!/bin/sh
# Issue 21: report status and report sla with --format slack.  Every
# message is checked by tests/tools/check_blockkit.py (Block Kit's limits
# and required fields; first shown to reject bad messages), plus exact
# checks: the header says what the text report's verdict says, the count
# in "…and N more" is what was cut, the owner is shown, hostile ids are
# inert.  Databases: the fixtures of run.sh (af<v>, af<v>_ok, af<v>_sla),
# and af<v>_slack500 made here: af<v>_sla (which no heartbeat of run.sh
# holds open) with 500 more DAGs whose runs failed
# in the last hour, hostile ids among them (quotes, <!channel>, *bold*,
# newlines, escape sequences, UTF-8) and a run whose failed tasks fill
# more than a section.  Schemas 2.10 and 3.1; one context and several.
# Usage: report_slack.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role and its databases)
set -u
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-slack.XXXXXX")
. tests/lib/report.sh
trap 'rm -rf "$work"; for v in 2 3; do dropdb --if-exists "af${v}_slack500" 2>/dev/null; done' EXIT
trap 'exit 130' INT TERM HUP PIPE
check=tests/tools/check_blockkit.py
# Hostile text that must never reach a message as it is.
forbid="--forbid <!channel> --forbid *bold* --forbid <@U0AB> --forbid _it_ --forbid ~st~"

# The checker can fail: each of these messages breaks one rule.
bad() {
	printf '%s' "$2" >"$work/bad.json"
	python3 "$check" "$work/bad.json" 2>/dev/null &&
	    fail "check_blockkit accepted a message with $1"
}
ok='{"type":"section","text":{"type":"mrkdwn","text":"x"}}'
python3 - "$work/big.json" <<'PY'
import json, sys
s = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
json.dump({"text": "t", "blocks": [s] * 51}, open(sys.argv[1], "w"))
PY
python3 "$check" "$work/big.json" 2>/dev/null && fail "check_blockkit accepted 51 blocks"
long=$(printf '%3001s' '' | tr ' ' x)
bad "no top-level text" "{\"blocks\":[$ok]}"
bad "no blocks" '{"text":"t","blocks":[]}'
bad "a header over 150" "{\"text\":\"t\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"$(printf '%151s' '' | tr ' ' h)\"}}]}"
bad "a mrkdwn header" '{"text":"t","blocks":[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]}'
bad "a section over 3000" "{\"text\":\"t\",\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"$long\"}}]}"
bad "a section without text or fields" '{"text":"t","blocks":[{"type":"section"}]}'
bad "11 fields" "{\"text\":\"t\",\"blocks\":[{\"type\":\"section\",\"fields\":[$(printf '{"type":"mrkdwn","text":"f"},%.0s' 1 2 3 4 5 6 7 8 9 10){\"type\":\"mrkdwn\",\"text\":\"f\"}]}]}"
bad "a field over 2000" "{\"text\":\"t\",\"blocks\":[{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":\"$(printf '%2001s' '' | tr ' ' f)\"}]}]}"
bad "11 context elements" "{\"text\":\"t\",\"blocks\":[{\"type\":\"context\",\"elements\":[$(printf '{"type":"mrkdwn","text":"c"},%.0s' 1 2 3 4 5 6 7 8 9 10){\"type\":\"mrkdwn\",\"text\":\"c\"}]}]}"
bad "a block_id over 255" "{\"text\":\"t\",\"blocks\":[{\"type\":\"divider\",\"block_id\":\"$(printf '%256s' '' | tr ' ' b)\"}]}"
bad "a block_id twice" '{"text":"t","blocks":[{"type":"divider","block_id":"a"},{"type":"divider","block_id":"a"}]}'
bad "a block without type" '{"text":"t","blocks":[{"text":{"type":"mrkdwn","text":"x"}}]}'
bad "<!channel> in mrkdwn" '{"text":"t","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"hi <!channel>"}}]}'
bad "a bare &" '{"text":"a & b","blocks":[{"type":"divider"}]}'
bad "an escape" '{"text":"t","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"\u001b[31m"}}]}'
printf '{"text":"t","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*bold*"}}]}' >"$work/forbid.json"
python3 "$check" --forbid '*bold*' "$work/forbid.json" 2>/dev/null && fail "check_blockkit missed a forbidden text"
printf '{"text":"t","blocks":[%s,{"type":"divider"},{"type":"context","elements":[{"type":"mrkdwn","text":"a &amp; &lt;b&gt;"}]}]}' "$ok" >"$work/good.json"
python3 "$check" "$work/good.json" || fail "check_blockkit rejected a valid message"

# 500 failing DAGs on top of af<v>, hostile ids first (the newest runs).
for v in 2 3; do
	db="af${v}_slack500"
	dropdb --if-exists "$db" 2>/dev/null
	createdb -T "af${v}_sla" "$db" &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' &&
DO $$
DECLARE
  ids text[] := ARRAY[E'q"uo\'te', '<!channel>', '*bold*', E'new\nline',
    E'esc\x1b[31mred\x1b]0;pwned\x07', 'données_✓_日本', '_it_', '~st~',
    '`code`', 'a&b<c>', '<https://evil.example|click>', 'long_tasks'];
  id text;
  i int;
  k int;
BEGIN
  FOR i IN 1..500 LOOP
    id := CASE WHEN i <= array_length(ids, 1) THEN ids[i]
               ELSE 'fail_' || lpad(i::text, 3, '0') END;
    PERFORM fx_dag(id, false, true, false, '@daily');
    PERFORM fx_run(id, 'scheduled__' || i, 'failed', 'scheduled',
                   now() - interval '1 hour' - i * interval '1 second',
                   now() - interval '50 minutes', now() - interval '40 minutes');
    PERFORM fx_ti(id, 'scheduled__' || i, 'task_*x*_' || i, -1, 'failed', 1, 0,
                  now() - interval '50 minutes', now() - interval '40 minutes',
                  'BashOperator');
  END LOOP;
  -- A run whose failed tasks fill more than a section's 3000 characters.
  FOR k IN 1..19 LOOP
    PERFORM fx_ti('long_tasks', 'scheduled__12', repeat('t', 200) || k, -1,
                  'failed', 1, 0, now() - interval '50 minutes',
                  now() - interval '40 minutes', 'BashOperator');
  END LOOP;
  UPDATE dag SET owners = 'ops <@U0AB> *team*' WHERE dag_id = '*bold*';
END $$;
SQL
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null ||
	    { fail "cannot make $db"; exit 1; }
done

# The contexts of the report over several; "one" for a database given with
# --database; the SLA contexts, each with its own SLAs (fixture_sla.sql's
# week 2026-W45: table_a_ready and feed missed, monday_only met).
{
	cat <<EOF
[dagtop]
contexts = ok, warn, big, down, gone

[context-defaults]
database_password_env = DBPW
timezone = UTC

[context ok]
database = postgresql://reader@127.0.0.1:$PGPORT/af2_ok
[context ok3]
database = postgresql://reader@127.0.0.1:$PGPORT/af3_ok
[context warn]
database = postgresql://reader@127.0.0.1:$PGPORT/af3
[context big]
database = postgresql://reader@127.0.0.1:$PGPORT/af3_slack500
[context down]
database = postgresql://reader@127.0.0.1:$PGPORT/af2_down
[context gone]
database = postgresql://reader@127.0.0.1:1/af
[context one]
timezone = UTC
[context sla]
timezone = UTC
[context slaok]
timezone = UTC
[context sla60]
timezone = UTC

[sla "table_a_ready"]
context = sla
dag = sla_etl
task = build_table_a
deadline = 10:00
timezone = Asia/Tokyo
days = mon-fri
owner = data-eng <@U0AB>
[sla "feed"]
context = sla
dag = sla_etl
deadline = 13:00
timezone = UTC
[sla "monday_only"]
context = sla
dag = sla_etl
task = build_table_a
deadline = 10:00
timezone = Asia/Tokyo
days = mon
[sla "mondays"]
context = slaok
dag = sla_etl
task = build_table_a
deadline = 10:00
timezone = Asia/Tokyo
days = mon
EOF
	# Sixty SLAs, all missed as table_a_ready, hostile names.
	i=1
	while [ $i -le 60 ]; do
		printf '[sla "s%02d <!channel> *bold*"]\ncontext = sla60\ndag = sla_etl\ntask = build_table_a\ndeadline = 10:00\ntimezone = Asia/Tokyo\ndays = mon-fri\nowner = team %d\n' \
		    $i $i
		i=$((i + 1))
	done
} >"$work/conf"
chmod 600 "$work/conf"

# beat: the slack500 databases' scheduler alive now (run.sh's heartbeat
# does not know them).
beat() {
	for v in 2 3; do
		psql -q -X -d "af${v}_slack500" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null
	done
}
# valid FILE: the message passes the checker.
valid() {
	# shellcheck disable=SC2086
	python3 "$check" $forbid "$1" 2>"$1.check" ||
	    fail "$(basename "$1"): not a valid Block Kit message: $(cat "$1.check")"
}
# expect FILE RC: the exit status.
expect() {
	[ "$rc" = "$2" ] || fail "$(basename "$1"): exit $rc, want $2: $(cat "$1.err")"
}

for v in 2 3; do
	url="postgresql://reader:reader-secret@127.0.0.1:$PGPORT"

	# One context, warnings: the header is the text report's verdict.
	run "$work/s$v" --context one --database "$url/af$v" report status --format slack
	expect "$work/s$v" 1
	valid "$work/s$v"
	run "$work/s$v.txt" --context one --database "$url/af$v" report status
	python3 - "$work/s$v" "$work/s$v.txt" <<'PY' || fail "status on af$v"
import json, sys
m = json.load(open(sys.argv[1]))
want = open(sys.argv[2], encoding="utf-8").readline().rstrip("\n")
b = m["blocks"]
assert b[0]["type"] == "header" and b[0]["text"]["text"] == want, (b[0], want)
assert m["text"] == want, m["text"]
assert b[-1]["type"] == "context", b[-1]
c = b[-1]["elements"][0]["text"]
assert c.startswith("read ") and " ago from Airflow database: Airflow " in c, c
dags = [x["text"]["text"] for x in b if x["type"] == "section"
        and x["text"]["text"].startswith(":x: *DAG* ")]
etl = [t for t in dags if t.startswith(":x: *DAG* etl\u200b_\u200bdaily\n")]
assert len(etl) == 1, dags
assert "\n*Owner* data-eng" in etl[0], etl
assert "\n*Failed tasks* transform" in etl[0], etl
assert not any("…and" in x.get("text", {}).get("text", "") for x in b)
PY

	# All good: a short valid message; nothing at all with --quiet.
	run "$work/ok$v" --context one --database "$url/af${v}_ok" report status --format slack
	expect "$work/ok$v" 0
	valid "$work/ok$v"
	grep -q '"text": "OK' "$work/ok$v" || fail "ok$v: no OK header: $(cat "$work/ok$v")"
	run "$work/okq$v" --context one --database "$url/af${v}_ok" report status --format slack --quiet
	expect "$work/okq$v" 0
	[ -s "$work/okq$v" ] && fail "okq$v: --quiet wrote: $(cat "$work/okq$v")"

	# 500 failing DAGs: cut to 50 blocks, "…and N more" exact, hostile
	# ids inert, the long section cut with "…".
	beat
	run "$work/big$v" --context one --database "$url/af${v}_slack500" report status --format slack
	expect "$work/big$v" 1
	valid "$work/big$v"
	beat
	run "$work/big$v.json" --context one --database "$url/af${v}_slack500" report status --format json
	python3 - "$work/big$v" "$work/big$v.json" <<'PY' || fail "status on af${v}_slack500"
import json, sys
m = json.load(open(sys.argv[1]))
j = json.load(open(sys.argv[2]))
failing = {r["dag_id"] for r in j["runs"] if r["state"] == "failed"}
assert len(failing) >= 500, len(failing)
b = m["blocks"]
assert len(b) == 50, len(b)
items = [x for x in b if x["type"] == "section"
         and x["text"]["text"].startswith(":x: *DAG* ")]
more = [x["text"]["text"] for x in b if x["type"] == "section"
        and x["text"]["text"].startswith("…and ")]
assert more == ["…and %d more failing DAGs" % (len(failing) - len(items))], \
    (more, len(failing), len(items))
assert b[-2]["text"]["text"] == more[0], b[-2]
assert b[-1]["type"] == "context"
text = {x["text"]["text"].split("\n")[0]: x["text"]["text"] for x in items}
Z = "\u200b"
def dag(s):
    return ":x: *DAG* " + s
def fmt(c):
    return Z + c + Z
want = [dag('q"uo\'te'), dag("&lt;!channel&gt;"), dag(fmt("*") + "bold" + fmt("*")),
        dag("new^Jline"), dag("escred"),
        dag("données" + fmt("_") + "✓" + fmt("_") + "日本"),
        dag(fmt("_") + "it" + fmt("_")), dag(fmt("~") + "st" + fmt("~")),
        dag(fmt("`") + "code" + fmt("`")), dag("a&amp;b&lt;c&gt;"),
        dag("&lt;https:" + Z + "//evil.example|click&gt;")]
for w in want:
    assert w in text, (w, sorted(text)[:15])
bold = text[dag(fmt("*") + "bold" + fmt("*"))]
assert "\n*Owner* ops &lt;@" + Z + "U0AB&gt; " + fmt("*") + "team" + fmt("*") in bold, bold
lt = [t for k, t in text.items() if k.startswith(dag("long"))][0]
assert lt.endswith("…") and len(lt.encode()) <= 3000, (len(lt.encode()), lt[-20:])
assert b[0]["text"]["text"].startswith("WARNING: ")
PY

	# SLAs: the fixture's week (fixture_sla.sql): two missed, one with
	# its owner, and one met (Mondays only).
	run "$work/sla$v" --context sla --database "$url/af${v}_sla" \
	    report sla --week 2026-W45 --format slack
	expect "$work/sla$v" 1
	valid "$work/sla$v"
	run "$work/sla$v.txt" --context sla --database "$url/af${v}_sla" \
	    report sla --week 2026-W45
	python3 - "$work/sla$v" "$work/sla$v.txt" <<'PY' || fail "sla on af${v}_sla"
import json, sys
m = json.load(open(sys.argv[1]))
want = open(sys.argv[2], encoding="utf-8").readline().rstrip("\n")
b = m["blocks"]
h = b[0]["text"]["text"]
assert h == want or (len(want.encode()) > 150 and h.endswith("…")
                     and want.startswith(h[:-1])), (h, want)
sla = [x["text"]["text"] for x in b if x["type"] == "section"
       and x["text"]["text"].startswith(":warning: *SLA* ")]
assert len(sla) == 2, sla
s = sla[0]
Z = "\u200b"
U = Z + "_" + Z
assert s.startswith(":warning: *SLA* table" + U + "a" + U + "ready\n*Target* sla"
                    + U + "etl.build" + U + "table" + U + "a by 10:00 Asia/Tokyo\n"), s
assert "\n*Missed* 1 late, 1 failed, 1 missing\n" in s, s
assert "\n*Days* Tue 2026-11-03 late 25m00s, Thu 2026-11-05 failed, " \
    "Fri 2026-11-06 missing\n" in s, s
assert s.endswith("\n*Owner* data-eng &lt;@" + Z + "U0AB&gt;"), s
# feed: the whole run by 13:00 UTC, every day; no owner.
assert sla[1].startswith(":warning: *SLA* feed\n"), sla[1]
assert "\n*Missed* 0 late, 1 failed, 3 missing\n" in sla[1], sla[1]
assert sla[1].endswith("\n*Owner* -"), sla[1]
met = [x["text"]["text"] for x in b if x["type"] == "section"
       and x["text"]["text"].startswith("*Met")]
assert met == ["*Met or not judged yet* monday" + U + "only"], met
assert b[-1]["type"] == "context"
PY

	# All met: a short message, and nothing with --quiet.
	run "$work/slaok$v" --context slaok --database "$url/af${v}_sla" \
	    report sla --week 2026-W45 --format slack
	expect "$work/slaok$v" 0
	valid "$work/slaok$v"
	grep -q '"text": "OK: SLAs 2026-W45' "$work/slaok$v" ||
	    fail "slaok$v: no OK header: $(cat "$work/slaok$v")"
	run "$work/slaokq$v" --context slaok --database "$url/af${v}_sla" \
	    report sla --week 2026-W45 --format slack --quiet
	expect "$work/slaokq$v" 0
	[ -s "$work/slaokq$v" ] && fail "slaokq$v: --quiet wrote: $(cat "$work/slaokq$v")"

	# Sixty SLAs, all missed, hostile names: cut, with their exact count.
	run "$work/sla60_$v" --context sla60 --database "$url/af${v}_sla" \
	    report sla --week 2026-W45 --format slack
	expect "$work/sla60_$v" 1
	valid "$work/sla60_$v"
	python3 - "$work/sla60_$v" <<'PY' || fail "sixty SLAs on af${v}_sla"
import json, sys
m = json.load(open(sys.argv[1]))
b = m["blocks"]
assert len(b) == 50, len(b)
sla = [x["text"]["text"] for x in b if x["type"] == "section"
       and x["text"]["text"].startswith(":warning: *SLA* ")]
more = [x["text"]["text"] for x in b if x["type"] == "section"
        and x["text"]["text"].startswith("…and ")]
assert more == ["…and %d more missed SLAs" % (60 - len(sla))], (more, len(sla))
Z = "\u200b"
assert sla[0].startswith(":warning: *SLA* s01 &lt;!channel&gt; " + Z + "*" + Z + "bold"
                         + Z + "*" + Z + "\n"), sla[0]
assert sla[0].endswith("\n*Owner* team 1"), sla[0]
PY
done

# Several contexts: one message, a section per context not OK, the header
# the text report's verdict without the names; exit 2.
beat
run "$work/many" report status --format slack
expect "$work/many" 2
valid "$work/many"
beat
run "$work/many.txt" report status
python3 - "$work/many" "$work/many.txt" <<'PY' || fail "several contexts"
import json, re, sys
m = json.load(open(sys.argv[1]))
line = open(sys.argv[2], encoding="utf-8").readline().rstrip("\n")
want = re.sub(r" \([^)]*\)", "", line)
b = m["blocks"]
assert b[0]["text"]["text"] == want, (b[0], want)
assert want == "CRITICAL: 5 contexts: 1 critical, 1 unknown, 2 warning, 1 ok", want
heads = [x["text"]["text"].split("\n")[0] for x in b if x["type"] == "section"]
for h in ("*CRITICAL* down", "*UNKNOWN* gone", "*WARNING* warn", "*WARNING* big",
          "*OK* ok"):
    assert h in heads, (h, heads)
assert len(b) == 50, len(b)
assert any(h.startswith("…and ") and h.endswith(" more failing DAGs") for h in heads), heads
assert "reader-secret" not in json.dumps(m), "a password in the message"
assert b[-1]["type"] == "context" and len(b[-1]["elements"]) == 2, b[-1]
PY

# Several contexts all good: nothing with --quiet, else a short message.
run "$work/manyq" --context ok,ok3 report status --format slack --quiet
expect "$work/manyq" 0
[ -s "$work/manyq" ] && fail "manyq: --quiet wrote: $(cat "$work/manyq")"
run "$work/manyok" --context ok,ok3 report status --format slack
expect "$work/manyok" 0
valid "$work/manyok"

# Cannot tell: still a message, UNKNOWN and why, exit 3, no password.
run "$work/unk" --context one --database "postgresql://reader:reader-secret@127.0.0.1:1/af" \
    report status --format slack
expect "$work/unk" 3
valid "$work/unk"
grep -q '"text": "UNKNOWN: ' "$work/unk" || fail "unk: no UNKNOWN header: $(cat "$work/unk")"
grep -q 'reader-secret' "$work/unk" && fail "unk: the password in the message"

[ "$fails" = 0 ] && echo "report --format slack: all checks passed"
exit "$fails"
