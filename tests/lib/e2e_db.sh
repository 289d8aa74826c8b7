# Shared by the tests that drive the console in tmux on a database of their
# own next to the Airflow emulator.  Set name, bin and v (the schema: 2, 3
# or 32), then source it: it sets major (2 or 3), db (af<name><v>_<pid>),
# T (a private tmux server, with tests/lib/tmux.sh loaded), home (a
# throwaway HOME) and sql(), and traps EXIT to stop tmux and every
# emulator, drop the database and remove home, whatever happens.
. tests/lib/pg.sh
. tests/lib/emu.sh
major=${v%"${v#?}"}	# 2 or 3
db="af${name}${v}_$$"
sock=dagtop-$name-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh
home=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-$name-home.XXXXXX")
cleanup() {
	$T kill-server 2>/dev/null
	emu_stop_all
	dropdb --if-exists "$db" 2>/dev/null
	rm -rf "$home"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

sql() { psql -X -A -t -q -d "$db" -c "$1"; }

# What the console runs with: the passwords only in the environment.
E2E_ENV="env DBPW=reader-secret AFPW='s3cret pass' HOME=$home LANG=C.UTF-8 TERM=tmux-256color"

# The Airflow API emulator on $db ($AF_URL), with the login the version
# asks for (basic on 2.x, Airflow 3's own login; $auth), user oncall,
# password in AFPW; more emulator options in "$@".
e2e_emulator() {
	if [ "$major" = 2 ]; then auth=basic; else auth=login; fi
	emu_start AF --airflow "$v" "$@" \
	    --dsn "host=127.0.0.1 port=$PGPORT dbname=$db user=postgres" \
	    --auth "$auth" --user oncall --password 's3cret pass'
}

# e2e_context NAME KIND [LINE...]: a [context NAME] section of the test's
# configuration on stdout.  KIND: db (the database alone), api (the
# emulator alone: source = api), both (the database, and the emulator for
# logs and reruns).  Each LINE is added as is.
e2e_context() {
	ctx_name=$1
	ctx_kind=$2
	shift 2
	echo "[context $ctx_name]"
	[ "$ctx_kind" = api ] && echo "source = api"
	if [ "$ctx_kind" != api ]; then
		echo "database = postgresql://reader@127.0.0.1:$PGPORT/$db"
		echo "database_password_env = DBPW"
	fi
	if [ "$ctx_kind" != db ]; then
		echo "airflow_api = $AF_URL"
		echo "airflow_auth = $auth"
		echo "airflow_user = oncall"
		echo "airflow_password_env = AFPW"
	fi
	echo "timezone = UTC"
	for line in "$@"; do echo "$line"; done
}

# The configuration file (mode 0600) from stdin.
e2e_config() {
	mkdir -p "$home/.config/dagtop"
	cat >"$home/.config/dagtop/config"
	chmod 600 "$home/.config/dagtop/config"
}

# e2e_console_start CONTEXT WxH: the console on CONTEXT in a new session,
# its stderr in $home/err.CONTEXT and its exit status in $home/exit.CONTEXT.
e2e_console_start() {
	$T kill-server 2>/dev/null || true
	sleep 0.3
	$T new-session -d -s e2e -x "${2%x*}" -y "${2#*x}" \
	    "$ENV $bin --context $1 2>$home/err.$1; echo \$? >$home/exit.$1; sleep 30"
}

# e2e_console_quit CONTEXT: q, then a failure unless the console exited 0
# with nothing on stderr (a sanitizer's report, or any other complaint).
e2e_console_quit() {
	$T send-keys -t e2e q
	i=0
	while [ ! -s "$home/exit.$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(cat "$home/exit.$1" 2>/dev/null)" = 0 ] && [ ! -s "$home/err.$1" ] ||
	    fail "$1: exit status $(cat "$home/exit.$1" 2>/dev/null), stderr: $(head -c 2000 "$home/err.$1")"
}
