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
usage "--refresh takes 1 to 3600 seconds, not '4294967301'" \
    report status --database $dsn --refresh 4294967301
usage "--try takes a try number from 1 to 100000, not '4294967297'" \
    report status --database $dsn --try 4294967297
usage "--map-index takes a map index from -1 to 10000000, not '-4294967295'" \
    report status --database $dsn --map-index -4294967295
usage "--hours takes 1 to 720, not '18446744073709551617'" \
    report status --database $dsn --hours 18446744073709551617
usage "--hours takes 1 to 720, not ' 5'" \
    report status --database $dsn --hours ' 5'

exit $fail
