#!/bin/sh
# The Airflow API client against the emulator, without a terminal: every
# auth scheme, TLS verification (on by default, a private CA, off by name),
# timeouts and error answers, through `dagtop report log`.
# Usage: api.sh DAGTOP_BINARY   (after run.sh loaded af2 and af3)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-api.XXXXXX")
trap 'emu_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# conf NAME MAJOR URL KEY=VALUE...: a context file in $work/NAME.conf
conf() {
	f="$work/$1.conf"
	printf '[context %s]\ndatabase = postgresql://reader@127.0.0.1:%s/af%s\n' \
	    "$1" "$PGPORT" "$2" >"$f"
	printf 'database_password_env = DBPW\nairflow_api = %s\n' "$3" >>"$f"
	shift 3
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
	done
	chmod 600 "$f"
}
# log NAME [ENV...]: report log of the failed task, output in $work/out
log() {
	n=$1
	shift
	env DBPW=reader-secret "$@" "$bin" --config "$work/$n.conf" report log \
	    etl_daily scheduled__d1 transform >"$work/out" 2>&1
}
ok() { grep -q "ValueError: column" "$work/out" || fail "$1: $(head -c 300 "$work/out")"; }
refused() { grep -q "$2" "$work/out" || fail "$1: expected '$2', got: $(head -c 300 "$work/out")"; }

dsn2="host=127.0.0.1 port=$PGPORT dbname=af2 user=postgres"
dsn3="host=127.0.0.1 port=$PGPORT dbname=af3 user=postgres"

# Airflow 2 with a static bearer token, and a token from a command.
emu_start B --airflow 2 --dsn "$dsn2" --auth bearer --token tok-123 || exit 1
conf bearer 2 "$B_URL" airflow_auth=bearer airflow_token_env=AFTOKEN
log bearer AFTOKEN=tok-123 && ok "bearer"
log bearer AFTOKEN=nope; refused "bearer, wrong token" "HTTP 401"
log bearer; refused "bearer, no variable" "AFTOKEN, which is not set"
conf cmd 2 "$B_URL" airflow_auth=command "airflow_token_command=printf 'tok-123\\n'"
log cmd && ok "token command"
conf cmdfail 2 "$B_URL" airflow_auth=command "airflow_token_command=echo no token here >&2; exit 3"
log cmdfail; refused "failing token command" "airflow_token_command failed: exited with status 3: no token here"
grep -q "tok-123" "$work/out" && fail "a token was printed"

# Airflow 3 login: a wrong password is refused with Airflow's message.
emu_start L --airflow 3 --dsn "$dsn3" --auth login --user u --password 'p w' || exit 1
conf login 3 "$L_URL" airflow_auth=login airflow_user=u airflow_password_env=AFPW
log login "AFPW=p w" && ok "login"
log login AFPW=bad; refused "login, wrong password" "Invalid credentials"
grep -q "p w" "$work/out" && fail "a password was printed"

# Errors and timeouts.
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "status": 503, "count": 1, "body": "garbage"}' >/dev/null
log bearer AFTOKEN=tok-123; refused "503 with a non-JSON body" "HTTP 503"
grep -q "$(printf '\033')" "$work/out" && fail "an escape from the error body reached the output"
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "status": 404, "count": 1}' >/dev/null
log bearer AFTOKEN=tok-123; refused "404" "no log for this try yet"
conf slow 2 "$B_URL" airflow_auth=bearer airflow_token_env=AFTOKEN airflow_timeout=1
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "delay_ms": 4000, "status": 200, "count": 1, "body": "{}"}' >/dev/null
log slow AFTOKEN=tok-123; refused "a silent server" "timed out"
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "close": true, "count": 1}' >/dev/null
log bearer AFTOKEN=tok-123; refused "a dropped connection" "UNKNOWN"

# TLS: verified by default, a private CA by name, verification off by name.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" \
    -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a certificate"
emu_start S --airflow 2 --dsn "$dsn2" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" || exit 1
case "$S_URL" in https://*) ;; *) fail "the TLS emulator is not on https" ;; esac
conf tls 2 "$S_URL"
log tls; refused "self-signed certificate" "TLS error"
conf tlsca 2 "$S_URL" "airflow_ca_file=$work/cert.pem"
log tlsca && ok "a private CA"
conf tlsoff 2 "$S_URL" airflow_tls_verify=false
log tlsoff && ok "verification off by name"

if [ $fails -gt 0 ]; then
	echo "api ($bin): $fails failed" >&2
	exit 1
fi
echo "api ($bin): all checks passed"
