# silent_dns.sh: a name server on loopback that answers NXDOMAIN for names
# whose first label is nx and nothing at all for the rest (a VPN down, a
# resolver timing out), and a way to run a program whose /etc/resolv.conf
# names it (a mount namespace of its own: needs root and unshare -m).
# Source it, then: dns_start DIR   sets DNS_PID and DNS_RESOLV (a
#   resolv.conf in DIR; the resolver waits 60 s for an answer), or fails;
#   the caller's EXIT trap must kill $DNS_PID (by its PID, never by name).
#   dns_run CMD ARGS...   runs CMD with that resolv.conf.
#   dns_usable            whether this machine can (root, unshare -m).
dns_usable() {
	[ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null
}

dns_start() {
	DNS_PID=
	# An address of its own (127/8 is all loopback): no other test's
	# port 53 in the way.
	for _ns in 127.53.20.1 127.53.20.2 127.53.20.3 127.53.20.4; do
		/usr/bin/python3 - "$_ns" >"$1/dns.out" 2>&1 <<'PY' &
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
		_i=0
		while [ ! -s "$1/dns.out" ] && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		grep -q ready "$1/dns.out" && break
		wait "$DNS_PID" 2>/dev/null
		DNS_PID=
	done
	[ -n "$DNS_PID" ] || return 1
	DNS_RESOLV=$1/resolv.conf
	printf 'nameserver %s\noptions timeout:60 attempts:1\n' "$_ns" >"$DNS_RESOLV"
}

dns_run() {
	unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
	    sh "$DNS_RESOLV" "$@"
}
