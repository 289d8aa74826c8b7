#!/bin/sh
# The console's run strips through the Airflow REST API are the database's:
# the real binary in a private tmux server, once with `database =` and once
# with `source = api` against the emulator serving the same database (in
# pages of 5), and the DAG list's lines must be equal.  Besides the
# fixture's DAGs, three DAGs whose runs are far apart take every path of
# the batch reads (airflow_rest_runs.c, recent_step): strip.dense's newest
# runs are all in the first window, strip.sparse's only in a wider one,
# strip.rare's in none (its own read), strip.none has no run at all.
# The refresh must take far fewer requests than one per DAG.
# Usage: api_strips.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=strips
. tests/lib/e2e_db.sh

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
SELECT fx_dag('strip.dense', false, true, false, '*/10 * * * *');
SELECT fx_dag('strip.sparse', false, true, false, '@daily');
SELECT fx_dag('strip.rare', false, true, false, NULL);
SELECT fx_dag('strip.none', false, true, false, NULL);
SELECT fx_run('strip.dense', 'scheduled__' || i, CASE WHEN i % 7 = 0 THEN 'failed' ELSE 'success' END,
  'scheduled', now() - i * interval '10 minutes', now() - i * interval '10 minutes',
  now() - i * interval '10 minutes' + interval '1 minute') FROM generate_series(1, 40) i;
SELECT fx_run('strip.sparse', 'scheduled__' || i, CASE WHEN i % 3 = 0 THEN 'failed' ELSE 'success' END,
  'scheduled', now() - i * interval '1 day', now() - i * interval '1 day',
  now() - i * interval '1 day' + interval '1 hour') FROM generate_series(1, 14) i;
SELECT fx_run('strip.rare', 'scheduled__' || i, CASE WHEN i = 2 THEN 'failed' ELSE 'success' END,
  'scheduled', now() - i * interval '200 days', now() - i * interval '200 days',
  now() - i * interval '200 days' + interval '1 hour') FROM generate_series(1, 4) i;
SQL
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null

e2e_emulator --page-limit 5 || exit 1
{ e2e_context db db; e2e_context api api; } | e2e_config
ENV=$E2E_ENV

# screen CONTEXT: the DAG list's lines (a DAG id, its strip, its latest
# state) once the console has read them.
screen() {
	e2e_console_start "$1" 150x40
	wait_for "strip.none" 20 || { fail "$1: no DAG list"; return; }
	wait_for "strip.rare" 20
	sleep 1
	$T capture-pane -p -t e2e >"$home/raw.$1"
	# The DAG pane's rows up to the latest state (STARTED is the same
	# instant; TOOK of a running run grows between the two screens).
	/usr/bin/python3 -c '
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    cells = line.split("\u2502")
    if len(cells) > 2 and cells[1].strip():
        print(cells[1][:45].rstrip())' "$home/raw.$1"
	e2e_console_quit "$1"
}

# Not in $(...): a failure inside must count.
screen db >"$home/lines.db"
curl -s -XDELETE "$AF_URL/_emu/requests" >/dev/null
screen api >"$home/lines.api"
want=$(cat "$home/lines.db")
got=$(cat "$home/lines.api")
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	fail "Airflow schema $v: the strips differ between the database and the API"
	echo "--- database" >&2; echo "$want" >&2
	echo "--- api" >&2; echo "$got" >&2
fi
echo "$got" | grep -q "strip.rare" || fail "strip.rare is not listed"
reads=$(curl -s "$AF_URL/_emu/requests" | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["reads"])')
ndags=$(psql -X -A -t -q -d "$db" -c 'SELECT count(*) FROM dag')
echo "api_strips (schema $v): $ndags DAGs, $reads reads for the console's first screen (pages of 5)"
[ "$fails" = 0 ]
