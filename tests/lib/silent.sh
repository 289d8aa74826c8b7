# silent.sh: a server on loopback that accepts connections and never
# answers (a stalled database, a hung proxy), for the tests of time limits.
# Source it, then: silent_start DIR   sets SILENT_PID and SILENT_PORT (its
# port file is DIR/port); the caller's EXIT trap must kill $SILENT_PID
# (by its PID, never by name: other tests run their own).
silent_start() {
	/usr/bin/python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"$1/port" &
	SILENT_PID=$!
	_i=0
	while [ ! -s "$1/port" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	SILENT_PORT=$(cat "$1/port")
}
