#!/bin/sh
# Issue 20: a context whose host name does not resolve (a VPN down, a name
# server that never answers) shows its own error and never delays the
# others.  libpq looks a host name up synchronously, so dagtop looks it up
# off the loop first (src/source/resolve.c).  Here dagtop runs in a mount
# namespace of its own whose /etc/resolv.conf names a name server on
# loopback that answers NXDOMAIN for nx.* and nothing at all for the rest;
# report status reads a context on a real database and one on such a name
# at once: the good one is reported in full, the other fails with
# "cannot resolve HOST within N s" when its connect_timeout is up (not the
# resolver's 60 s), or at once with "cannot resolve HOST: REASON".
# Needs root (unshare -m, port 53); skipped with a message otherwise.
# Usage: report_dns.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role and its databases)
set -u
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-dns.XXXXXX")
DNS_PID=
# The name server goes whatever happens: by its PID, never by name.
trap '[ -z "$DNS_PID" ] || kill "$DNS_PID" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE

. tests/lib/report.sh
RUN_WRAP=dns_run
. tests/lib/silent_dns.sh
if ! dns_usable; then
	echo "SKIP: report_dns.sh needs root and unshare -m"
	exit 0
fi

dns_start "$work" || { fail "no name server: $(cat "$work/dns.out")"; exit 1; }

limit=3
cat >"$work/conf" <<EOF
[dagtop]
contexts = ok, silent, nx

[context-defaults]
database_password_env = DBPW
timezone = UTC
connect_timeout = $limit
statement_timeout = $limit

[context ok]
database = postgresql://reader@127.0.0.1:$PGPORT/af2_ok
[context silent]
database = postgresql://reader@db.dagtop-silent.test:$PGPORT/af2_ok
[context nx]
database = postgresql://reader@nx.dagtop-silent.test:$PGPORT/af2_ok
[context local]
database = postgresql://reader@localhost:$PGPORT/af2_ok
[context both]
database = postgresql://reader@db.dagtop-silent.test,127.0.0.1:$PGPORT,$PGPORT/af2_ok
EOF
chmod 600 "$work/conf"

# run (tests/lib/report.sh) runs dagtop in the namespace: RUN_WRAP above.
# The namespace does what it should: the name hangs, nx fails at once.
t0=$(date +%s)
dns_run getent hosts nx.dagtop-silent.test >/dev/null &&
    fail "nx.dagtop-silent.test resolved"
[ $(($(date +%s) - t0)) -lt 3 ] || fail "NXDOMAIN took $(($(date +%s) - t0)) s"

# A silent name server: the good context in full, the other on its limit.
run "$work/text" report status --context ok,silent,nx
[ $rc -eq 3 ] || fail "text: exit $rc, want 3 (UNKNOWN)"
[ $took -le $((limit + 1)) ] || fail "text: $took s, not about the $limit s of connect_timeout"
has "$work/text" "== ok" "OK: scheduler healthy" "== silent" "== nx" \
    "UNKNOWN: cannot read the Airflow database: cannot resolve db.dagtop-silent.test within $limit s" \
    "UNKNOWN: cannot read the Airflow database: cannot resolve nx.dagtop-silent.test: Name or service not known" \
    "UNKNOWN: 3 contexts: 2 unknown (silent, nx), 1 ok"
# The good context's section is the one it has on its own.
run "$work/one" report status --context ok
[ $rc -eq 0 ] || fail "one context: exit $rc, want 0: $(cat "$work/one.err")"
awk '/^== ok$/ {on = 1; next} /^== / {on = 0} on' "$work/text" | sed '$d' |
    tr -d '0-9' >"$work/sec_nd"
tr -d '0-9' <"$work/one" >"$work/one_nd"
cmp -s "$work/one_nd" "$work/sec_nd" || fail "text: ok's section is not report status --context ok: $(diff "$work/one_nd" "$work/sec_nd")"

# A host list whose first name hangs: every name is looked up at once and
# the attempt waits for all, within the same limit (dagtop.conf(5)).
run "$work/both" report status --context both
[ $rc -eq 3 ] || fail "both: exit $rc, want 3"
[ $took -le $((limit + 1)) ] || fail "both: $took s"
has "$work/both" "cannot resolve db.dagtop-silent.test within $limit s"

# A name that resolves (localhost, from /etc/hosts, to 127.0.0.1 and ::1
# perhaps): libpq gets each address in turn, the name kept as host.
run "$work/local" report status --context local
[ $rc -eq 0 ] || fail "localhost: exit $rc, want 0: $(cat "$work/local.err")"
has "$work/local" "OK: scheduler healthy" "context    local"

grep -q "reader-secret" "$work/text" "$work/text.err" && fail "the password is out"
[ $fails -eq 0 ] || exit 1
echo "report_dns: ok (silent name: $limit s; NXDOMAIN at once)"
