# github_emu.sh: start and stop tests/emulator/github_emu.py for a test.
# Sourced.  gh_emu_start DIR [ARGS...] starts the emulator on 127.0.0.1 and
# a free port (written to DIR/port), with ARGS passed on (--dataset demo,
# --token T, --max-per-page N, --rate-limit N, ...), logging requests to
# DIR/emu.log and errors to DIR/emu.err, and sets GH_EMU_PORT, GH_EMU_URL
# (its root, the API base URL), GH_EMU_LOG and GH_EMU_PID.  The caller
# stops it with gh_emu_stop, from a trap.
GH_EMU_PY=${GH_EMU_PY:-/usr/bin/python3}
GH_EMU_DIR_=$(cd "$(dirname "${BASH_SOURCE:-$0}")/../.." 2>/dev/null && pwd)

gh_emu_start() {
	_d=$1
	shift
	mkdir -p "$_d"
	GH_EMU_LOG=$_d/emu.log
	: >"$GH_EMU_LOG"
	rm -f "$_d/port"
	_py=tests/emulator/github_emu.py
	[ -f "$_py" ] || _py=$GH_EMU_DIR_/tests/emulator/github_emu.py
	"$GH_EMU_PY" "$_py" --port-file "$_d/port" --log "$GH_EMU_LOG" "$@" \
	    2>"$_d/emu.err" &
	GH_EMU_PID=$!
	_i=0
	while [ ! -s "$_d/port" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$GH_EMU_PID" 2>/dev/null; then
			echo "github emulator did not start:" >&2
			cat "$_d/emu.err" >&2
			gh_emu_stop
			return 1
		fi
		sleep 0.1
	done
	GH_EMU_PORT=$(cat "$_d/port")
	GH_EMU_URL=http://127.0.0.1:$GH_EMU_PORT
}

# Safe under set -e and from traps: never fails.
gh_emu_stop() {
	if [ -n "${GH_EMU_PID:-}" ]; then
		kill "$GH_EMU_PID" 2>/dev/null || true
		wait "$GH_EMU_PID" 2>/dev/null || true
		GH_EMU_PID=
	fi
	return 0
}
