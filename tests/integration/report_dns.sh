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
# resolver's 30 s), or at once with "cannot resolve HOST: REASON".
# Needs root (unshare -m, port 53); skipped with a message otherwise.
# Usage: report_dns.sh DAGTOP_BINARY   (inside run.sh: its server, the
#   reader role and its databases)
set -u
bin=$1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-dns.XXXXXX")
DNS_PID=
# The name server goes whatever happens: by its PID, never by name.
trap '[ -z "$DNS_PID" ] || kill "$DNS_PID" 2>/dev/null; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE

if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "SKIP: report_dns.sh needs root and unshare -m"
	exit 0
fi

# A name server on a loopback address of its own (127/8 is all loopback),
# so that no other test's port 53 is in the way.
for ns in 127.53.20.1 127.53.20.2 127.53.20.3 127.53.20.4; do
	/usr/bin/python3 - "$ns" >"$work/ns.out" 2>&1 <<'PY' &
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    u.bind((sys.argv[1], 53))
    t.bind((sys.argv[1], 53))
    t.listen(16)
except OSError as e:
    print("busy", e, flush=True)
    sys.exit(1)
print("ready", flush=True)
while True:
    q, peer = u.recvfrom(4096)
    # The question's first label: nx gets NXDOMAIN, the rest silence.
    if len(q) > 13 and q[13:13 + q[12]] == b"nx":
        u.sendto(q[:2] + b"\x81\x83" + q[4:6] + b"\0\0\0\0\0\0" + q[12:],
                 peer)
PY
	DNS_PID=$!
	i=0
	while [ ! -s "$work/ns.out" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q ready "$work/ns.out" && break
	wait "$DNS_PID" 2>/dev/null
	DNS_PID=
done
[ -n "$DNS_PID" ] || { fail "no name server: $(cat "$work/ns.out")"; exit 1; }
# The resolver would wait 30 s for an answer.
printf 'nameserver %s\noptions timeout:30 attempts:1\n' "$ns" >"$work/resolv.conf"

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
[context both]
database = postgresql://reader@db.dagtop-silent.test,127.0.0.1:$PGPORT,$PGPORT/af2_ok
EOF
chmod 600 "$work/conf"

# run OUT ARGS...: dagtop on the file, in its namespace; stdout in OUT,
# stderr in OUT.err, the exit status in $rc and the seconds taken in $took.
run() {
	out=$1
	shift
	t0=$(date +%s)
	env -i HOME="$work" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
	    DBPW=reader-secret unshare -m sh -c \
	    'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh \
	    "$work/resolv.conf" "$bin" --config "$work/conf" "$@" \
	    >"$out" 2>"$out.err"
	rc=$?
	took=$(($(date +%s) - t0))
}

has() {
	f=$1
	shift
	for want in "$@"; do
		grep -qF -- "$want" "$f" || fail "$(basename "$f"): no '$want' in: $(cat "$f")"
	done
}

# The namespace does what it should: the name hangs, nx fails at once.
t0=$(date +%s)
env -i PATH=/usr/bin:/bin unshare -m sh -c \
    'mount --bind "$1" /etc/resolv.conf && exec getent hosts nx.dagtop-silent.test' \
    sh "$work/resolv.conf" >/dev/null && fail "nx.dagtop-silent.test resolved"
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

# A host list whose first name hangs: the limit covers the lookup, as it
# covered the connection; libpq's own error when nothing resolves at all.
run "$work/both" report status --context both
[ $rc -eq 3 ] || fail "both: exit $rc, want 3"
[ $took -le $((limit + 1)) ] || fail "both: $took s"
has "$work/both" "cannot resolve db.dagtop-silent.test within $limit s"

grep -q "reader-secret" "$work/text" "$work/text.err" && fail "the password is out"
[ $fails -eq 0 ] || exit 1
echo "report_dns: ok (silent name: $limit s; NXDOMAIN at once)"
