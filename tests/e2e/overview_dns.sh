#!/bin/sh
# End-to-end test of the environments overview (issue 20) with a context
# whose host name does not resolve: the real binary in a private tmux
# server at 80x24, in a mount namespace whose /etc/resolv.conf names a
# name server that never answers (tests/lib/silent_dns.sh).  libpq would
# look the name up inside the loop and freeze the console for the
# resolver's 60 s; dagtop looks it up off the loop, so while it waits the
# other rows are read and shown and the keys act at once, and the row
# says "cannot resolve HOST within N s" when its connect_timeout is up.
# Needs root (unshare -m, port 53); skipped with a message otherwise.
# Run by run.sh for each build, on the 2.10 schema (the resolver, not the
# schema, is what it tests).
# Usage: overview_dns.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1)
set -u
bin=$1
v=$2
name=ovdns
. tests/lib/e2e_db.sh
. tests/lib/silent_dns.sh
if ! dns_usable; then
	echo "SKIP: overview_dns.sh needs root and unshare -m"
	exit 0
fi

screen() { $T capture-pane -p -t e2e; }
row_of() { screen | grep -E "^[|│] ?$1 " | head -1; }

DNS_PID=
trap 'cleanup; [ -z "$DNS_PID" ] || kill "$DNS_PID" 2>/dev/null' EXIT
dns_start "$home" || { fail "no name server: $(cat "$home/dns.out")"; exit 1; }

cto=6  # not limit: wait_for (tmux.sh) sets that
e2e_config <<EOF2
[dagtop]
contexts = ok, dns, warn

[context-defaults]
database_password_env = DBPW
timezone = UTC
refresh = 2
connect_timeout = $cto
statement_timeout = $cto

[context ok]
database = postgresql://reader@127.0.0.1:$PGPORT/af${v}_ok
[context dns]
database = postgresql://reader@db.dagtop-silent.test:$PGPORT/af${v}_ok
[context warn]
database = postgresql://reader@127.0.0.1:$PGPORT/af${v}
EOF2

session "unshare -m sh -c 'mount --bind $DNS_RESOLV /etc/resolv.conf && exec \"\$@\"' sh $E2E_ENV $bin 2>$home/err; echo EXITED \$? >>$home/err; sleep 30"
t0=$(date +%s)
expect "overview: 3 contexts" 5
# While the name is looked up, the other rows are read and shown.
expect "ok: OK; Airflow " 3
wait_for "WARNING" 3 || fail "warn was not read while dns waited: $(row_of warn)"
row_of ok | grep -qF "OK" || fail "ok: $(row_of ok)"
# ... and the keys act at once: the cursor goes down to dns and back.
keys j
expect "dns: " 1
keys k
expect "ok: OK; Airflow " 1
[ $(($(date +%s) - t0)) -lt $cto ] ||
    fail "the name's lookup was over before the checks: $(($(date +%s) - t0)) s"
row_of dns | grep -qF "cannot resolve" && fail "dns failed before its time: $(row_of dns)"
# The lookup ends on connect_timeout, with its own error on its own row.
wait_for "cannot resolve db.dagtop-silent.test within $cto s" $((cto + 3)) ||
    fail "dns does not say why: $(screen)"
row_of dns | grep -qF "UNKNOWN" || fail "dns: $(row_of dns)"
row_of ok | grep -qF "OK" || fail "ok: $(row_of ok)"

quit_clean "$home/err"
exit $((fails > 0))
