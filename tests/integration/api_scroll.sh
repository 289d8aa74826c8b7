#!/bin/sh
# The console through the Airflow REST API reads the run strips of the
# DAGs on screen and a page ahead only, every other DAG's newest run (the
# sorts), and the strips of the DAGs the user scrolls to at once: on 80x24
# with 90 daily DAGs of 12 runs (in pages of 50), the first screen takes
# fewer batch reads than every DAG's strip would fill (90 x 10 runs: 18
# pages), and after `G` (the bottom of the list) the lines on screen are
# the database's, strips and all (a strip not read is drawn with '?',
# which the database never shows).
# Usage: api_scroll.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=scroll
. tests/lib/e2e_db.sh

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SELECT fx_dag('scroll.d' || lpad(i::text, 3, '0'), false, true, false, '@daily')
  FROM generate_series(1, 90) i;
SELECT fx_run('scroll.d' || lpad(i::text, 3, '0'), 'scheduled__' || j,
  CASE WHEN (i + j) % 5 = 0 THEN 'failed' ELSE 'success' END, 'scheduled',
  now() - j * interval '1 day', now() - j * interval '1 day',
  now() - j * interval '1 day' + interval '5 minutes')
  FROM generate_series(1, 90) i, generate_series(1, 12) j;
SQL
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null

e2e_emulator --page-limit 50 || exit 1
{ e2e_context db db; e2e_context api api; } | e2e_config
ENV=$E2E_ENV

# lines: the DAG list's rows (id and strip) on screen now.
lines() {
	$T capture-pane -p -t e2e >"$home/raw"
	/usr/bin/python3 -c '
import re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"(scroll\.d\d+)\s+(.{10})\s", line)
    if m:
        print(m.group(1), m.group(2))' "$home/raw"
}

# screen CONTEXT: the bottom of the DAG list once read, after G.
screen() {
	e2e_console_start "$1" 80x24
	wait_for "scroll.d" 20 || { fail "$1: no DAG list"; return; }
	sleep 1
	if [ "$1" = api ]; then
		curl -s "$AF_URL/_emu/requests" >"$home/first.json"
	fi
	$T send-keys -t e2e G
	sleep 2
	lines
	e2e_console_quit "$1"
}

screen db >"$home/lines.db"
curl -s -XDELETE "$AF_URL/_emu/requests" >/dev/null
screen api >"$home/lines.api"
want=$(cat "$home/lines.db")
got=$(cat "$home/lines.api")
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	fail "Airflow schema $v: the bottom of the DAG list differs between the database and the API"
	echo "--- database" >&2; echo "$want" >&2
	echo "--- api" >&2; echo "$got" >&2
fi
# The first screen's batch reads of runs (each a page of 50).
posts=$(/usr/bin/python3 -c '
import json, sys
print(sum(1 for r in json.load(open(sys.argv[1]))["requests"]
          if r["method"] == "POST" and r["path"].endswith("/dagRuns/list")))' "$home/first.json")
ndags=$(psql -X -A -t -q -d "$db" -c 'SELECT count(*) FROM dag')
echo "api_scroll (schema $v): $ndags DAGs; $posts batch reads of runs for the first screen"
[ "$posts" -lt 18 ] || fail "the first screen took $posts batch reads: every DAG's strip"
echo "$got" | grep -q "scroll.d0" || fail "no DAG of the bottom of the list shown"
[ "$fails" = 0 ]
