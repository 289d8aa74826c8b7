#!/bin/sh
# End-to-end test of the console: the real binary inside a private tmux
# server (send-keys to type, capture-pane to read the screen), against the
# PostgreSQL that tests/integration/run.sh started and loaded.
# Usage: console.sh DAGTOP_BINARY DBNAME
set -u
. tests/lib/pg.sh
bin=$1
db=$2
sock=dagtop-e2e-$$
T="tmux -L $sock -f /dev/null"
. tests/lib/tmux.sh

home=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-e2e-home.XXXXXX")
cleanup() { $T kill-server 2>/dev/null; rm -rf "$home"; }
trap cleanup EXIT

url="postgresql://reader@127.0.0.1:$PGPORT/$db"
session "env PGPASSWORD=reader-secret TERM=tmux-256color LANG=C.UTF-8 HOME=$home $bin --database '$url'; echo EXITED \$?; sleep 30"

expect "DAGs (11)" 15
# The failed DAG comes first (under the header and the breadcrumb); its
# id's escape sequence is shown, not obeyed.
$T capture-pane -p -t e2e | sed -n 5p | grep -q "we'ird.*F failed" ||
    fail "the failed DAG is not the first row"
$T capture-pane -p -t e2e | grep -q '\^\[\[31' || fail "escape not shown visibly"
expect "scheduler healthy"
# The header keeps the health and the clock with its zone at 80 columns;
# what it cuts of the rest ends in the mark.
$T capture-pane -p -t e2e | sed -n 1p | grep -q '…  scheduler healthy  [0-9-]* [0-9:]* UTC$' ||
    fail "the header's cut has no mark, or the clock no zone"

# Filters: a regular expression over DAG ids and owners, ! inverts, empty
# clears; each line goes to the history file (mode 0600).
keys / e t l Enter
expect "DAGs (1, /etl)"
keys / '!etl' Enter
expect "DAGs (10, /!etl)"
keys / Enter
expect "DAGs (11)"
[ "$(stat -c %a "$home/.local/state/dagtop/history" 2>/dev/null)" = 600 ] ||
    fail "history file missing or not mode 600"
grep -qx '!etl' "$home/.local/state/dagtop/history" ||
    fail "filter not in the history"
keys : f r o b Enter
expect "unknown command 'frob'"

# Drill down: the DAG's runs, then the failed run's tasks in graph order.
keys j j j j j j j j
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
expect "failed 3 of 3 30m00s"
expect "upfail 0 of 3"
# The cursor lands on the run's first failed task; the selected task's
# fields below; the downstream mark.
expect "state     failed, try 3 of 3"
keys g
expect "operator  BashOperator"
keys j j
expect "state     failed, try 3 of 3"
# The breadcrumb names the context, the DAG, the run and the task.
$T capture-pane -p -t e2e | sed -n 2p |
    grep -q '^(command line) › etl_daily › scheduled__d1 › transform *$' ||
    fail "the breadcrumb does not name DAG, run and task"
keys d
$T capture-pane -p -t e2e | grep -q '^\S*│\* failed' ||
    $T capture-pane -p -t e2e | grep -q '\* failed' ||
    fail "downstream of transform not marked"

# The status bar shows the keys that act in the focused pane: the tasks
# pane's, then (Tab) the log's, then the DAG list's; help and quit always.
status() { $T capture-pane -p -t e2e | sed -n 24p; }
status | grep -q 'd downstream' || fail "no downstream key in the tasks pane's bar"
status | grep -q 's sort' && fail "sort in the tasks pane's bar"
keys Tab
status | grep -q 'e error' || fail "no jump-error key in the log pane's bar"
status | grep -q 'd downstream' && fail "downstream in the log pane's bar"
keys Tab
status | grep -q 's sort' || fail "no sort key in the runs pane's bar"
status | grep -q 'Space unfold' && fail "unfold in the runs pane's bar"
status | grep -q '? help  Q quit$' || fail "help and quit not at the bar's end"
keys Tab

# Help lists the keys of the keymap file in use, with descriptions; at
# 80x24 it scrolls to its last line, says where it is, and filters.
keys '?'
expect "j, Down"
expect "move down one row"
expect "highlight what a rerun"
expect "more ↓"
keys G
expect ":context NAME"
$T capture-pane -p -t e2e | grep -q 'keys [0-9]*-\([0-9]*\) of \1 ' ||
    fail "help's position does not say its last line is shown"
keys g / t r y
expect "/try_"
expect "prev-try"
expect_not "move down one row" 0.3
keys Enter
expect "/try "
# Back clears the filter, then leaves help; it never quits.
keys q
expect "move down one row"
keys q
expect_not "move down one row" 0.3
expect "tasks of scheduled__d1"

# Resize below the view's minimum, and back.
$T resize-window -t e2e -x 60 -y 20
expect "terminal too small (need 80x24)"
# It names the views that fit and how to switch; :view works from there.
expect "views that fit 60x20: compact (40x10)"
expect "switch: :view compact"
keys : v i e w Space c o m p a c t Enter
expect "runs of etl_daily"
keys : v i e w Space o n c a l l Enter
expect "terminal too small (need 80x24)"
$T resize-window -t e2e -x 80 -y 24
expect "tasks of scheduled__d1"

# The database goes away and comes back: the console stays up, says so,
# and recovers by itself (only when run.sh lets us restart the server).
if [ "${DAGTOP_E2E_RESTART:-0}" = 1 ]; then
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
	expect "disconnected, retrying in" 40
	expect "tasks of scheduled__d1"
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
	    -o "$PG_OPTS" -w start >/dev/null
	i=0
	while [ $i -lt 400 ]; do
		$T capture-pane -p -t e2e | grep -qF "disconnected" || break
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 400 ] || fail "the console did not reconnect"
	expect "scheduler healthy" 20
fi

# :view switches the layout: compact has one pane per screen, Tab moves on.
keys : v i e w Space c o m p a c t Enter
expect "STARTED     TOOK"
keys Tab
expect "tasks of scheduled__d1"
keys : v i e w Space o n c a l l Enter
expect "task instance"

# Tab moves the focus on; q goes back a level at a time, then leaves, and
# the terminal is restored.
keys Tab
keys q
expect "runs of etl_daily"
keys q
expect "DAGs (11)"

# A mapped task is one row with a count; Space unfolds its instances.
keys g j Enter
expect "runs of mapped.dag"
keys Enter
expect "retry -      -        · process"
# No task failed: the cursor is on the first up_for_retry one, process.
keys Space
expect "[2]"
keys j j j
expect "map index 2"
keys Space

# Back to the top.  There Esc clears a filter, and Esc, Left and h do
# nothing more: only q (as in htop and less), Q and :quit leave.
keys q q
expect "DAGs (11)"
keys / e t l Enter
expect "DAGs (1, /etl)"
keys Escape
expect "DAGs (11)"
expect "filter cleared"
keys Escape
keys Left
keys h
expect "at the top; Q quits"
expect_not "EXITED" 0.5
expect "DAGs (11)"
# Then q leaves and the terminal is restored.
keys q
expect "EXITED 0"
$T capture-pane -p -t e2e | grep -q "DAGs (11)" &&
    fail "the console's screen is still there after quitting"

# Other terminals: vt100 with ASCII drawing and no colour; SIGTERM leaves
# the terminal restored.
if [ "${DAGTOP_E2E_RESTART:-0}" != 1 ]; then
		session "env PGPASSWORD=reader-secret TERM=vt100 NO_COLOR=1 LANG=C HOME=$home $bin --ascii --refresh 3 --database '$url'; echo EXITED \$?; sleep 30"
	expect "DAGs (11)" 15
	$T capture-pane -p -t e2e | grep -q '^+-' || fail "no ASCII frame on vt100"
	expect "~  scheduler healthy"
	$T capture-pane -p -t e2e | sed -n 2p | grep -q '^(command line) > ' ||
	    fail "no ASCII breadcrumb on vt100"
	pid=$(pgrep -n -f -- "--ascii --refresh 3 --database $url")
	if [ -n "$pid" ]; then
		kill -TERM "$pid"
		expect "EXITED 0"
	else
		fail "cannot find the console's process"
	fi

	# :context switches to another Airflow of the configuration file.
	mkdir -p "$home/.config/dagtop"
	cat >"$home/.config/dagtop/config" <<CONF
[context two]
database = postgresql://reader@127.0.0.1:$PGPORT/af2
[context three]
database = postgresql://reader@127.0.0.1:$PGPORT/af3
timezone = Asia/Tokyo
CONF
		session "env PGPASSWORD=reader-secret TERM=tmux-256color LANG=C.UTF-8 HOME=$home $bin --context two; echo EXITED \$?; sleep 30"
	expect "two  Airflow 2." 15
	keys : c o n t e x t Space t h r e e Enter
	expect "three  Airflow 3." 15
	expect "DAGs (11)"
	keys : c o n t e x t Space n o p e Enter
	expect "no context 'nope'"
	# Another keymap: the bar names its keys, and still ends in help and
	# quit.
	keys : k e y m a p Space e m a c s Enter
	$T capture-pane -p -t e2e | sed -n 24p | grep -q 'C-s filter.*F1 help  C-x quit$' ||
	    fail "the emacs keymap's bar does not end in help and quit"
	keys C-x
	expect "EXITED 0"
fi

if [ $fails -gt 0 ]; then
	echo "console e2e ($bin, $db): $fails failed" >&2
	exit 1
fi
echo "console e2e ($bin, $db): all checks passed"
