#!/bin/sh
# Every report, once from the database and once through the Airflow REST API
# (the emulator serving the same database), must say the same thing.
# Usage: api_parity.sh DAGTOP_BINARY SCHEMA [PAGE_LIMIT]
#   (after run.sh loaded af<SCHEMA>, af<SCHEMA>_ok, _down and _sla)
#
# Each report (status in text, json, csv and markdown; run; sla with the
# fixture's SLAs; log) runs with a context that has `database =` and with
# one that has `source = api` and only `airflow_api =`.  Their exit
# statuses must be equal and their outputs equal apart from the source:
#   - JSON: the top-level "source" ("database" or "api", and it must be
#     there and say so) and the "airflow" object's release and revision
#     (the database names a migration range, the API its /version);
#   - text and Markdown: the header line that names the context and source
#     ("context ..." or "- context ...").
# and apart from what the REST API cannot give (dagtop(1) lists these per
# feature; each is named here so that nothing else may differ):
#   - the host and the number of running jobs of the scheduler, triggerer
#     and DAG processor (the health endpoints give a status and the newest
#     heartbeat only): JSON health.*.hostname and .running, the "(host)"
#     after the heartbeat in text;
#   - Airflow's own SLA misses (sla_miss in 2.x, deadline in 3.x; no
#     endpoint in either API): JSON and CSV airflow_missed and
#     airflow_sla_source, text "(Airflow: missed)".
# Reports that read the clock (ages, running durations) are compared with a
# database run just before and one just after; either may match.
#
# With PAGE_LIMIT the emulator's maximum_page_limit is that small, so every
# list must be followed over pages.  In every case the emulator must have
# counted reads and no write, must have validated every request against the
# OpenAPI document of the version and found none invalid, and with a small
# PAGE_LIMIT must have been asked for a page past the first.  There is no
# skip: without API mode the test fails.
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
v=$2
limit=${3:-100}
case $v in 2) auth=basic ;; *) auth=login ;; esac
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-parity.XXXXXX")
trap 'emu_stop_all; [ "${DAGTOP_TEST_KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL (Airflow schema $v, page limit $limit): $*" >&2; fails=$((fails + 1)); }

# One emulator per database, with the login the real servers ask for.
for db in "" _ok _down _sla; do
	name=E$(echo "$db" | tr -d _)
	emu_start "$name" --airflow "$v" --page-limit "$limit" --self-test \
	    --dsn "host=127.0.0.1 port=$PGPORT dbname=af$v$db user=postgres" \
	    --auth "$auth" --user oncall --password 's3cret pass' || exit 1
done

# The configurations, db.conf and api.conf: a context per database
# (ctx<SUFFIX>), and the fixture's SLAs (as test_db_report.c has them).
for mode in db api; do
	{
	printf '[dagtop]\nweek_start = monday\n'
	printf '[sla "table_a_ready"]\ndag = sla_etl\ntask = build_table_a\n'
	printf 'deadline = 10:00\ntimezone = Asia/Tokyo\ndays = mon-fri\nowner = data-eng\n'
	printf '[sla "feed"]\ndag = sla_etl\ndeadline = 13:00\ntimezone = UTC\n'
	for db in "" _ok _down _sla; do
		eval "url=\$E$(echo "$db" | tr -d _)_URL"
			printf '[context ctx%s]\n' "$db"
			if [ "$mode" = db ]; then
				printf 'database = postgresql://reader@127.0.0.1:%s/af%s%s\n' "$PGPORT" "$v" "$db"
				printf 'database_password_env = DBPW\n'
			else
				printf 'source = api\n'
			fi
			printf 'airflow_api = %s\nairflow_auth = %s\nairflow_user = oncall\n' "$url" "$auth"
			printf 'airflow_password_env = AFPW\ntimezone = UTC\n'
	done
	} >"$work/$mode.conf"
	chmod 600 "$work/$mode.conf"
done

# run MODE SUFFIX OUT ARGS...: dagtop with MODE.conf in context ctx<SUFFIX>;
# stdout in OUT, the exit status appended as the last line.  A
# configuration error is a failure, not a shared answer of both modes.
run() {
	mode=$1 db=$2 out=$3
	shift 3
	env -i HOME="$work" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 DBPW=reader-secret \
	    AFPW='s3cret pass' "$bin" --config "$work/$mode.conf" --context "ctx$db" "$@" \
	    >"$out" 2>"$out.err"
	echo "exit $?" >>"$out"
	if grep -q "configuration" "$out.err"; then
		echo "CONFIG: $mode: $(head -n 2 "$out.err" | tr '\n' ' ')" >>"$out"
	fi
}

# reads SUFFIX: the reads the emulator of that database has counted.
reads() {
	eval "u=\$E$(echo "$1" | tr -d _)_URL"
	curl -s "$u/_emu/requests" | /usr/bin/python3 -c \
	    'import json, sys; d = json.load(sys.stdin); print(d.get("reads", 0) + d.get("read_posts", 0))'
}

# normalize MODE FILE: the output without what names the source; checks that
# JSON says which source it came from.
normalize() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, re, sys
mode, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="surrogateescape").read()
body, _, status = text.rstrip("\n").rpartition("\n")
GAPS = ("airflow_missed", "airflow_sla_source")


def drop_gaps(node):
    if isinstance(node, list):
        return [drop_gaps(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: drop_gaps(x) for k, x in node.items() if k not in GAPS}
    if isinstance(out.get("health"), dict):
        for comp in out["health"].values():
            if isinstance(comp, dict):
                comp.pop("hostname", None)
                comp.pop("running", None)
    return out


if body.lstrip().startswith("{"):
    doc = json.loads(body)
    want = "database" if mode == "db" else "api"
    if doc.get("source") != want:
        print("NO-SOURCE: \"source\" is %r, not %r" % (doc.get("source"), want))
    doc.pop("source", None)
    if isinstance(doc.get("airflow"), dict):
        doc["airflow"].pop("release", None)
        doc["airflow"].pop("revision", None)
    elif isinstance(doc.get("airflow"), str):
        doc["airflow"] = re.sub(r"^(Airflow \d+).*", r"\1", doc["airflow"])
    body = json.dumps(drop_gaps(doc), indent=1, sort_keys=True, ensure_ascii=False)
else:
    lines = [l for l in body.split("\n") if not re.match(r"^(- )?context\b", l)]
    head = lines[0].split(",") if lines else []
    if "airflow_missed" in head:
        i = head.index("airflow_missed")
        lines = [",".join(c for j, c in enumerate(l.split(",")) if j != i) for l in lines]
    lines = [re.sub(r"^((scheduler|triggerer|dag.processor) .*ago) \([^()]*\)$", r"\1", l) for l in lines]
    body = "\n".join(l.replace("  (Airflow: missed)", "") for l in lines)
sys.stdout.write(body + "\n" + status + "\n")
PY
}

# close A B: the two normalised outputs are the same but for the clock:
# every number and ISO instant equal within 3 (seconds: a report's age,
# a heartbeat's, a running task's duration read a moment apart on a busy
# machine), everything else equal, token for token.
close() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import datetime, re, sys
TOK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d+(?:\.\d+)?|\D")


def value(t):
    if "T" in t:
        return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ").timestamp()
    return float(t)


a, b = (TOK.findall(open(p, encoding="utf-8", errors="surrogateescape").read())
        for p in sys.argv[1:3])
if len(a) != len(b):
    sys.exit(1)
for x, y in zip(a, b):
    if x == y:
        continue
    if not (x[0].isdigit() and y[0].isdigit()) or abs(value(x) - value(y)) > 3:
        sys.exit(1)
PY
}

# same LABEL SUFFIX ARGS...: the report both ways, equal apart from the
# source (a database run before and after the API one; three tries for the
# clock's sake; then equal but for a clock a few seconds on, close).
same() {
	label=$1 db=$2
	shift 2
	tries=0
	while :; do
		run db "$db" "$work/db1" "$@"
		before=$(reads "$db")
		run api "$db" "$work/api" "$@"
		after=$(reads "$db")
		if grep -q '^CONFIG' "$work/db1" "$work/api"; then
			fail "$label: $(grep -h '^CONFIG' "$work/db1" "$work/api" | head -n 2)"
			return
		fi
		if [ "$after" -le "$before" ]; then
			fail "$label: API mode read nothing through the API"
			return
		fi
		normalize db "$work/db1" >"$work/n1"
		normalize api "$work/api" >"$work/na"
		if grep -q '^NO-SOURCE' "$work/n1" "$work/na"; then
			fail "$label: $(grep -h '^NO-SOURCE' "$work/n1" "$work/na" | head -n 2)"
			return
		fi
		cmp -s "$work/n1" "$work/na" && return
		# The clock moved on between the two: a database run after.
		run db "$db" "$work/db2" "$@"
		normalize db "$work/db2" >"$work/n2"
		cmp -s "$work/n2" "$work/na" && return
		tries=$((tries + 1))
		if [ $tries -ge 3 ] && close "$work/n2" "$work/na"; then
			return
		fi
		if [ $tries -ge 3 ]; then
			fail "$label: the API's output differs from the database's:"
			diff "$work/n2" "$work/na" | head -n 40 >&2
			sed 's/^/  api stderr: /' "$work/api.err" | head -n 5 >&2
			return
		fi
		sleep 1
	done
}

for f in text json csv markdown; do
	same "report status --format $f" "" report status --format "$f"
	same "report status --format $f (all good)" _ok report status --format "$f"
	same "report status --format $f (scheduler down)" _down report status --format "$f"
	same "report status --since 7d --format $f" "" report status --since 7d --format "$f"
done
for f in text json; do
	same "report run etl_daily scheduled__d1 --format $f" "" report run etl_daily scheduled__d1 --format "$f"
	same "report run etl_daily (the latest) --format $f" "" report run etl_daily --format "$f"
	same "report run mapped.dag --format $f" "" report run mapped.dag --format "$f"
	same "report run rerun_dag --format $f" "" report run rerun_dag --format "$f"
	same "report run etl_daily nope --format $f" "" report run etl_daily nope --format "$f"
done
for f in text json csv markdown; do
	same "report sla --week 2026-W45 --format $f" _sla report sla --week 2026-W45 --format "$f"
	same "report sla --from 2026-11-01 --to 2026-11-10 --format $f" _sla \
	    report sla --from 2026-11-01 --to 2026-11-10 --format "$f"
done
same "report log etl_daily scheduled__d1 transform" "" report log etl_daily scheduled__d1 transform
same "report log --try 1" "" report log etl_daily scheduled__d1 transform --try 1
same "report log of a mapped task" "" report log mapped.dag scheduled__d1 process --map-index 2

# What the emulators saw: reads, no write, nothing the spec refuses, pages.
for db in "" _ok _down _sla; do
	name=E$(echo "$db" | tr -d _)
	eval "url=\$${name}_URL"
	curl -s "$url/_emu/requests" >"$work/requests.json"
	curl -s "$url/_emu/invalid" >"$work/invalid.json"
	/usr/bin/python3 - "$work/requests.json" "$work/invalid.json" "$limit" "af$v$db" <<'PY' || fails=$((fails + 1))
import json, sys, urllib.parse
req = json.load(open(sys.argv[1]))
inv = json.load(open(sys.argv[2]))
limit, db = int(sys.argv[3]), sys.argv[4]
bad = []
if req.get("reads", 0) + req.get("read_posts", 0) == 0:
    bad.append("no read reached the emulator")
if req.get("writes") != 0:
    bad.append("%s writes: %s" % (req.get("writes"), [r["method"] + " " + r["path"] for r in req["requests"] if r.get("kind") == "write"][:5]))
if not inv.get("validating"):
    bad.append("the emulator did not validate requests (no OpenAPI document?)")
for i in inv.get("invalid", [])[:5]:
    bad.append("invalid %s: %s %s?%s: %s" % ("answer" if i.get("response") else "request", i["method"], i["path"], i.get("query", ""), i["errors"][:2]))
def offset(r):
    q = urllib.parse.parse_qs(r.get("query") or "")
    n = int((q.get("offset") or ["0"])[0] or 0)
    try:
        b = json.loads(r.get("body") or "null")
    except ValueError:
        b = None
    if isinstance(b, dict):
        n = max(n, int(b.get("page_offset") or 0))
    return n
if limit < 100 and db.endswith(("2", "3", "32")) and not any(offset(r) > 0 for r in req["requests"]):
    bad.append("page limit %d, yet no page past the first was asked for" % limit)
for b in bad:
    print("FAIL (%s, page limit %d): emulator: %s" % (db, limit, b), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
done
[ $fails -eq 0 ] && echo "api parity (Airflow schema $v, page limit $limit): every report the same both ways"
exit $((fails > 0))
