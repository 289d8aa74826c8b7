# Shell helpers for the Airflow REST API emulator (tests/emulator): start it
# on 127.0.0.1 on a free port, and always stop it.  Source after pg.sh.
#
#   emu_start NAME ARGS...   starts one (NAME_URL, NAME_PID set); ARGS are
#                            airflow_emu.py's (--airflow, --dsn, --page-limit,
#                            --auth, --self-test...; tests/emulator/README.md)
#   emu_stop_all             stops every emulator started here
EMU_PIDS=""
EMU_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-emu.XXXXXX")

emu_start() {
	name=$1
	shift
	rm -f "$EMU_DIR/$name.port"
	/usr/bin/python3 tests/emulator/airflow_emu.py --port-file "$EMU_DIR/$name.port" \
	    "$@" 2>"$EMU_DIR/$name.log" &
	pid=$!
	EMU_PIDS="$EMU_PIDS $pid"
	i=0
	while [ ! -s "$EMU_DIR/$name.port" ]; do
		if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 100 ]; then
			echo "emulator $name did not start:" >&2
			cat "$EMU_DIR/$name.log" >&2
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	port=$(cat "$EMU_DIR/$name.port")
	scheme=http
	case " $* " in *" --tls-cert "*) scheme=https ;; esac
	eval "${name}_URL=$scheme://127.0.0.1:$port"
	eval "${name}_PID=$pid"
}

emu_stop_all() {
	for p in $EMU_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $EMU_PIDS; do
		wait "$p" 2>/dev/null || true
	done
	EMU_PIDS=""
	rm -rf "$EMU_DIR"
}
