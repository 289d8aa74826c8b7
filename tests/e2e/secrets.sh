#!/bin/sh
# End-to-end test of issue 13's secrets in the console (tmux), against the
# Airflow API emulator: every context has its own TLS settings (a switch
# with :context never carries the old context's verification or CA over),
# and a token or password command inherits no descriptor of dagtop's.
# Usage: secrets.sh DAGTOP_BINARY   (after run.sh loaded af2)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
sock=dagtop-secrets-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh
home=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-secrets.XXXXXX")
cleanup() {
	$T kill-server 2>/dev/null
	emu_stop_all
	rm -rf "$home"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

dsn="host=127.0.0.1 port=$PGPORT dbname=af2 user=postgres"
# requests URL: how many requests an emulator answered (its own record).
requests() { curl -sk "$1/_emu/requests" | /usr/bin/python3 -c \
    'import json, sys; print(len(json.load(sys.stdin)["requests"]))'; }

# Two servers with self-signed certificates; b's claims a name of its own.
for n in a b; do
	cn=127.0.0.1
	[ $n = b ] && cn=airflow.evil
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$cn" \
	    -addext subjectAltName=IP:127.0.0.1 -keyout "$home/$n.key" \
	    -out "$home/$n.pem" >/dev/null 2>&1 || { echo "openssl failed" >&2; exit 1; }
done
emu_start A --airflow 2 --dsn "$dsn" --auth basic --user oncall \
    --password 'pw-a' --tls-cert "$home/a.pem" --tls-key "$home/a.key" || exit 1
emu_start B --airflow 2 --dsn "$dsn" --auth basic --user oncall \
    --password 'pw-b' --tls-cert "$home/b.pem" --tls-key "$home/b.key" || exit 1
# Plain HTTP, its token from a command that fails when it inherited more
# than stdin, stdout and stderr.
emu_start C --airflow 2 --dsn "$dsn" --auth bearer --token tok-123 || exit 1
# fdcheck NAME SECRET: a command that writes to $HOME/NAME.fds every
# descriptor above 2 it got across exec (ls's own, on /proc, aside), and
# prints SECRET only when there is none.
fdcheck() {
	printf '%s' "ls -l /proc/self/fd | awk '\$9>2 && \$11!~\"^/proc/\"' >\$HOME/$1.fds && [ ! -s \$HOME/$1.fds ] && echo $2 || (cat \$HOME/$1.fds >&2 && exit 9)"
}
mkdir -p "$home/.config/dagtop"
cat >"$home/.config/dagtop/config" <<CONF
[context a]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
database_password_env = DBPW
airflow_api = $A_URL
airflow_auth = basic
airflow_user = oncall
airflow_password_env = AFPW_A
airflow_tls_verify = false

[context b]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
database_password_env = DBPW
airflow_api = $B_URL
airflow_auth = basic
airflow_user = oncall
airflow_password_env = AFPW_B

[context c]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
database_password_env = DBPW
airflow_api = $C_URL
airflow_auth = command
airflow_token_command = $(fdcheck token tok-123)

[context d]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
database_password_command = $(fdcheck dbpw reader-secret)
CONF
chmod 600 "$home/.config/dagtop/config"
ENV="env DBPW=reader-secret AFPW_A=pw-a AFPW_B=pw-b HOME=$home LANG=C.UTF-8 TERM=tmux-256color"

# The failed task of etl_daily's first run, and its log.
open_log() {
	expect "DAGs (" 15
	keys / e t l _ d a i l y Enter
	expect "DAGs (1, /etl_daily)" 15
	keys Enter
	expect "runs of etl_daily"
	keys j Enter
	expect "tasks of scheduled__d1"
	expect "log transform try 3 of 3"
}
context() {
	keys q q	# back to the DAGs first
	$T send-keys -t e2e -l ":context $1"
	sleep 0.3
	keys Enter
	expect "context $1"
}

# --- a (verification off by name) -> b (verification on, no CA) -----------------
session "$ENV $bin --context a; echo EXITED \$?; sleep 30"
open_log
expect "ValueError: column"
context b
open_log
expect "TLS error"
expect_not "ValueError: column" 0.5
[ "$(requests "$B_URL")" = 0 ] ||
    fail "b's self-signed server got a request (and its Authorization header)"
keys Q
expect "EXITED 0"

# --- b -> a: a's own setting (off) applies after the switch -------------------
session "$ENV $bin --context b; echo EXITED \$?; sleep 30"
open_log
expect "TLS error"
context a
open_log
expect "ValueError: column"
[ "$(requests "$B_URL")" = 0 ] || fail "b's server got a request"
keys Q
expect "EXITED 0"

# --- commands inherit nothing: the token command with the database and the
# --- terminal open, the password command of :context with curl's sockets too -
session "$ENV $bin --context c; echo EXITED \$?; sleep 30"
open_log
expect "ValueError: column"
expect_not "inherited" 0.2
[ -f "$home/token.fds" ] && [ ! -s "$home/token.fds" ] ||
    fail "the token command inherited: $(cat "$home/token.fds" 2>/dev/null)"
context d
expect "DAGs (" 15
expect_not "database_password_command failed" 0.5
[ -f "$home/dbpw.fds" ] && [ ! -s "$home/dbpw.fds" ] ||
    fail "the password command inherited: $(cat "$home/dbpw.fds" 2>/dev/null)"
keys Q
expect "EXITED 0"

if [ $fails -gt 0 ]; then
	echo "secrets e2e ($bin): $fails failed" >&2
	exit 1
fi
echo "secrets e2e ($bin): all checks passed"
