# Shared by the end-to-end tests of the console: the real binary in a
# private tmux server (send-keys to type, capture-pane to read the screen).
# Set T="tmux -L NAME -f /dev/null" before sourcing; failures are counted
# in $fails.
fails=0

fail() {
	echo "FAIL: $*" >&2
	echo "---- screen ----" >&2
	$T capture-pane -p -t e2e >&2 2>/dev/null
	echo "----------------" >&2
	fails=$((fails + 1))
}

# Waits up to $2 seconds (default 10) for text $1 on the screen.
wait_for() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt $limit ]; do
		if $T capture-pane -p -t e2e 2>/dev/null | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

expect() { wait_for "$1" "${2:-10}" || fail "expected \"$1\" on the screen"; }

# $1 must not be on the screen after $2 seconds (default 1).
expect_not() {
	sleep "${2:-1}"
	if $T capture-pane -p -t e2e | grep -qF -- "$1"; then
		fail "did not expect \"$1\" on the screen"
	fi
}

keys() { $T send-keys -t e2e "$@"; sleep 0.3; }

# quit_clean ERRFILE: q quits the console, which exits 0 and says nothing
# on stderr (the session's command sends stderr to ERRFILE, then appends
# "EXITED $?").
quit_clean() {
	keys q
	i=0
	while ! grep -q EXITED "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "EXITED 0" "$1" || fail "exit: $(cat "$1")"
	[ "$(grep -v EXITED "$1")" = "" ] || fail "stderr: $(cat "$1")"
}

# Runs the shell command $1 in a new 80x24 session "e2e" on a fresh server:
# the old server is gone first, so the new session never meets a dying one.
session() {
	$T kill-server 2>/dev/null || true
	i=0
	while $T list-sessions >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# Under load a new server can die as it starts ("server exited
	# unexpectedly") before the command runs: one more try, on a new server.
	$T new-session -d -s e2e -x 80 -y 24 "$1" && return 0
	echo "tmux: the server died as it started; starting it again" >&2
	sleep 0.5
	$T kill-server 2>/dev/null || true
	$T new-session -d -s e2e -x 80 -y 24 "$1"
}
