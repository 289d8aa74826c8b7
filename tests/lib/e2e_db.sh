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
