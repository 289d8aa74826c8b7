#!/bin/sh
# Issue 14, section 3: numbers on the command line never wrap (2^32 + k is
# not k), and a server that accepts a connection and never answers is
# abandoned after connect_timeout.  Needs no database.
# Usage: inputs.sh DAGTOP_BINARY
set -u
bin=$1
fail=0
dsn=postgresql://nobody@127.0.0.1:1/db

# usage WANT_MESSAGE ARGS...: exit 3 (report mode) with the message.
usage() {
	want=$1
	shift
	out=$("$bin" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 3 ]; then
		echo "FAIL: dagtop $*: exit $rc, want 3" >&2
		fail=1
	fi
	case $out in
	*"$want"*) ;;
	*)	echo "FAIL: dagtop $*: '$out' does not say '$want'" >&2
		fail=1 ;;
	esac
}

usage "--hours takes 1 to 720, not '4294967297'" \
    report status --database $dsn --hours 4294967297
usage "--window takes days such as 7d, 30d or 90d (1 to 366), not '4294967303d'" \
    report fourkeys --database $dsn --window 4294967303d
usage "--refresh takes 2 to 3600 seconds, not '4294967301'" \
    report status --database $dsn --refresh 4294967301
# Issue 18: a floor that spares the Airflow database, on the command line
# and in the file.
usage "--refresh 1 is under the minimum refresh of 2 seconds, which spares the Airflow database" \
    report status --database $dsn --refresh 1
floor=$(mktemp "${TMPDIR:-/tmp}/dagtop-floor.XXXXXX")
printf '[dagtop]\napi_refresh = 1\n[context a]\ndatabase = host=x\nrefresh = 0\n' >"$floor"
out=$("$bin" --config "$floor" config check 2>&1)
rm -f "$floor"
for want in ":2: 'api_refresh' = 1 is under the minimum refresh of 2 seconds" \
    ":5: 'refresh' = 0 is under the minimum refresh of 2 seconds"; do
	case $out in
	*"$want"*) ;;
	*)	echo "FAIL: config check: '$out' does not say '$want'" >&2
		fail=1 ;;
	esac
done
usage "--try takes a try number from 1 to 100000, not '4294967297'" \
    report status --database $dsn --try 4294967297
usage "--map-index takes a map index from -1 to 10000000, not '-4294967295'" \
    report status --database $dsn --map-index -4294967295
usage "--hours takes 1 to 720, not '18446744073709551617'" \
    report status --database $dsn --hours 18446744073709551617
usage "--hours takes 1 to 720, not ' 5'" \
    report status --database $dsn --hours ' 5'

# A server that accepts and never answers: libpq's connect_timeout does not
# apply to an asynchronous connection, so the loop must (issue 14: 35 s
# against a documented 10).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-inputs.XXXXXX")
. tests/lib/silent.sh
SILENT_PID=
trap '[ -z "$SILENT_PID" ] || kill "$SILENT_PID" 2>/dev/null; rm -rf "$tmp"' EXIT
silent_start "$tmp"
port=$SILENT_PORT

# silent TIMEOUT MAX_SECONDS URL_QUERY ARGS...: exit 3 within MAX_SECONDS
# with "cannot connect to 127.0.0.1:PORT within TIMEOUT s", no password.
silent() {
	want="cannot connect to 127.0.0.1:$port within $1 s"
	max=$2
	url="postgresql://x:hunter2@127.0.0.1:$port/db$3"
	shift 3
	t0=$(date +%s)
	out=$("$bin" report status --database "$url" "$@" 2>&1)
	rc=$?
	t=$(($(date +%s) - t0))
	if [ $rc -ne 3 ]; then
		echo "FAIL: silent server $url: exit $rc, want 3" >&2
		fail=1
	fi
	if [ $t -gt "$max" ]; then
		echo "FAIL: silent server $url: $t s, want at most $max" >&2
		fail=1
	fi
	case $out in
	*"$want"*) ;;
	*)	echo "FAIL: silent server $url: '$out' does not say '$want'" >&2
		fail=1 ;;
	esac
	case $out in
	*hunter2*)
		echo "FAIL: silent server: the password is in '$out'" >&2
		fail=1 ;;
	esac
}

silent 2 4 "?connect_timeout=2"
# From the configuration, with a long statement_timeout that used to add
# itself to the wait.
cat >"$tmp/config" <<EOC
[context silent]
database = host=127.0.0.1 port=$port dbname=db user=x
connect_timeout = 3
statement_timeout = 60
EOC
chmod 600 "$tmp/config"
t0=$(date +%s)
out=$("$bin" report status --config "$tmp/config" --context silent 2>&1)
rc=$?
t=$(($(date +%s) - t0))
if [ $rc -ne 3 ] || [ $t -gt 5 ]; then
	echo "FAIL: silent server from the configuration: exit $rc after $t s" >&2
	fail=1
fi
case $out in
*"cannot connect to 127.0.0.1:$port within 3 s"*) ;;
*)	echo "FAIL: silent server from the configuration: '$out'" >&2
	fail=1 ;;
esac

# The console says it too, and tries again.
if command -v tmux >/dev/null 2>&1; then
	T="tmux -L dagtop-inputs-$$ -f /dev/null"
	$T new-session -d -x 120 -y 30 "exec env TERM=xterm-256color \
	    DAGTOP_CONFIG=/dev/null $bin --database \
	    'postgresql://x:hunter2@127.0.0.1:$port/db?connect_timeout=2'"
	seen=
	i=0
	while [ $i -lt 40 ] && [ -z "$seen" ]; do
		sleep 0.1
		$T capture-pane -p | grep -q "cannot connect to 127.0.0.1:$port within 2 s" && seen=1
		i=$((i + 1))
	done
	# Not before 2 s, and by about 4.
	[ $i -ge 18 ] || { echo "FAIL: console: gave up on the connection after $i tenths" >&2; fail=1; }
	[ -n "$seen" ] || { echo "FAIL: console: no 'cannot connect' in: $($T capture-pane -p | tail -3)" >&2; fail=1; }
	$T kill-server 2>/dev/null
fi

exit $fail
