#!/bin/sh
# Amazon MWAA: airflow_auth = aws-sigv4 sends every Airflow call through a
# fake InvokeRestApi (tests/emulator/mwaa_emu.py) that recomputes the
# request's SigV4 signature (service airflow, the region, the session
# token) and forwards the call inside to the Airflow API emulator.
# Checked: config check --connect (the version through MWAA), a wrong
# secret and missing credentials refused, report log through MWAA, and the
# read-only gate judging the Airflow call inside the POST.
# Usage: mwaa.sh DAGTOP_BINARY SCHEMA   (after run.sh loaded af<SCHEMA>)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
v=$2
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-mwaa.XXXXXX")
trap 'emu_stop_all; [ -n "${MW_PID:-}" ] && kill "$MW_PID" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL: mwaa (schema $v): $*" >&2; fails=$((fails + 1)); }
case $v in 2) prefix=/api/v1 ;; *) prefix=/api/v2 ;; esac

dsn="host=127.0.0.1 port=$PGPORT dbname=af$v user=postgres"
emu_start A --airflow "$v" --dsn "$dsn" || exit 1
/usr/bin/python3 tests/emulator/mwaa_emu.py --port-file "$work/port" \
    --airflow "$A_URL" --api-prefix "$prefix" --name MyEnvironment \
    --region eu-west-1 --access-key AKIDTEST --secret-key 'sec/ret+KEY' \
    --session-token sess-token-1 --log "$work/mwaa.log" 2>"$work/mwaa.err" &
MW_PID=$!
i=0
while [ ! -s "$work/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "mwaa emulator did not start" >&2; cat "$work/mwaa.err" >&2; exit 1; }
	sleep 0.1
done
MW_URL=http://127.0.0.1:$(cat "$work/port")
f="$work/c.conf"
printf '[context m]\nmwaa_environment = MyEnvironment\naws_region = eu-west-1\nmwaa_url = %s\n' "$MW_URL" >"$f"
printf 'database = postgresql://reader@127.0.0.1:%s/af%s\ndatabase_password_env = DBPW\n' "$PGPORT" "$v" >>"$f"
chmod 600 "$f"
aws() { env DBPW=reader-secret AWS_ACCESS_KEY_ID=AKIDTEST AWS_SECRET_ACCESS_KEY="${SECRET:-sec/ret+KEY}" AWS_SESSION_TOKEN=sess-token-1 "$bin" --config "$f" "$@"; }
has() { grep -q "$2" "$work/out" || fail "$1: expected '$2', got: $(tail -c 400 "$work/out")"; }

aws config check --connect >"$work/out" 2>&1
has "the endpoint" "^connect: *$MW_URL\$"
has "the version through InvokeRestApi" "^airflow: *[23]\.[0-9].* (API v[12])"
grep -q "sig=ok GET /version" "$work/mwaa.log" || fail "no signed GET /version: $(cat "$work/mwaa.log")"
grep -q "sig=" "$work/mwaa.log" && ! grep -qv "sig=ok" "$work/mwaa.log" || fail "a request failed its signature check: $(cat "$work/mwaa.log")"
SECRET=wrong aws config check --connect >"$work/out" 2>&1 && fail "a wrong secret passed --connect"
has "a wrong secret" "HTTP 403"
env DBPW=reader-secret "$bin" --config "$f" config check --connect >"$work/out" 2>&1 && fail "no credentials passed --connect"
has "no credentials" "needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"

# report log: a GET inside the POST, read whole; the gate judges the call
# inside, so it is a read even with --readonly.
aws --readonly report log etl_daily scheduled__d1 transform >"$work/out" 2>&1 ||
    fail "report log through MWAA: exit $?"
has "report log through MWAA" "ValueError: column"
grep -q "sig=ok GET /dags/etl_daily/dagRuns/scheduled__d1/taskInstances/transform/logs/" "$work/mwaa.log" ||
    fail "the log was not read through a signed InvokeRestApi: $(cat "$work/mwaa.log")"
# A clear in read-only mode never leaves.
: >"$work/mwaa.log"
DAGTOP_AUDIT_LOG="$work/audit.log" aws --readonly clear etl_daily scheduled__d1 transform --yes >"$work/out" 2>&1 &&
    fail "a clear passed --readonly"
has "read-only refusal" "read-only"
[ -s "$work/mwaa.log" ] && fail "a refused clear reached MWAA: $(cat "$work/mwaa.log")"
# ...and a dry run (a POST inside) goes through when writes are allowed.
DAGTOP_AUDIT_LOG="$work/audit.log" aws clear etl_daily scheduled__d1 transform >"$work/out" 2>&1 ||
    fail "a dry-run clear through MWAA: exit $?: $(tail -c 300 "$work/out")"
grep -q "sig=ok POST /dags/etl_daily/clearTaskInstances" "$work/mwaa.log" ||
    fail "the dry run did not reach MWAA as a signed POST: $(cat "$work/mwaa.log")"

[ "$fails" = 0 ] && echo "mwaa e2e (schema $v): ok"
exit "$fails"
