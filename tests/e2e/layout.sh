#!/bin/sh
# End-to-end test of the layout and the mouse: the real binary in a private
# tmux server, on its own copy of the Airflow database and the Airflow API
# emulator.  Panes with nothing to show give their space away (the DAG list
# has the width until a run is opened, the log takes rows once a task is
# selected, back collapses them again), the rerun modal is as high as its
# content, and with --mouse (or mouse = yes) a click selects and focuses,
# the wheel scrolls, a double click opens and a click never confirms.
# Run by run.sh for each build and each Airflow schema.
# Usage: layout.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=lay
. tests/lib/e2e_db.sh

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null
e2e_emulator || exit 1
{ e2e_context emu both; e2e_context clicks both "mouse = yes"; } | e2e_config
ENV=$E2E_ENV

screen() { $T capture-pane -p -t e2e; }
# line N of the screen
line() { screen | sed -n "$1p"; }
# The panes' area is lines 3 to H-2 (below the header and the breadcrumb
# row): the runs pane (DAGs, or the runs of
# one) alone has it, frame to frame, when its top line is one frame as wide
# as the terminal and no other pane is on screen.
alone() {
	top=$(line 3)
	bottom=$(line $(($2 - 2)))
	case $top in "┌─ "*"┐") ;; *) return 1 ;; esac
	[ "$(printf '%s' "$top" | wc -m)" = "$1" ] &&
	    [ "$(printf '%s' "$top" | grep -o '┌' | wc -l)" = 1 ] &&
	    [ "$(printf '%s' "$bottom" | wc -m)" = "$1" ] &&
	    case $bottom in "└"*"┘") true ;; *) false ;; esac &&
	    ! screen | grep -q "─ log\|─ tasks"
}
# Waits up to 5 s for alone W H to hold.
expect_alone() {
	i=0
	while [ $i -lt 50 ]; do
		alone "$1" "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "the DAG list does not have the whole $1x$2 screen ($3)"
}
# Mouse reports as tmux writes them for TERM=tmux-256color (kmous=\E[M,
# ncurses asks for mode 1000): ESC [ M, then 32 + the button (0 the left
# one, 3 a release, 65 the wheel down), 32 + x and 32 + y, 1-based; in hex
# for send-keys -H.
x10() { printf '1b 5b 4d %x %x %x' $((32 + $1)) $((32 + $2)) $((32 + $3)); }
send() { $T send-keys -t e2e -H $1; sleep 0.5; }
click() { send "$(x10 0 "$1" "$2") $(x10 3 "$1" "$2")"; }
double() { send "$(x10 0 "$1" "$2") $(x10 3 "$1" "$2") $(x10 0 "$1" "$2") $(x10 3 "$1" "$2")"; }
wheel_down() { send "$(x10 65 "$1" "$2")"; }

# The task cursor opens on the run's first failed task, transform; k and j
# move it a row at a time, and the log follows.
down_to_transform() {
	expect "log transform try 3 of 3"
	keys k
	expect "log notify try 1 of 3"
	keys j
	expect "log transform try 3 of 3"
}

# --- collapse: the first screen, opening, back ----------------------------
session "$ENV $bin --context emu; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 15
expect_alone 80 24 "first screen"
$T resize-window -t e2e -x 120 -y 40
sleep 0.5
expect_alone 120 40 "first screen"
$T resize-window -t e2e -x 80 -y 24
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
# A DAG opened, no run yet: still nothing for the tasks pane.
expect_alone 80 24 "the runs of a DAG"
keys j Enter
expect "tasks of scheduled__d1"
line 3 | grep -q "┌─ runs of etl_daily.*┐┌─ ▸ tasks of scheduled__d1" ||
    fail "opening a run did not bring the tasks pane beside the runs"
# The cursor on a task: the log takes the rows below.
expect "log transform try 3 of 3"
screen | grep -q "^┌─ log transform" || fail "the log pane is not below"
down_to_transform
# Back: the tasks pane gives the focus to the runs, back again lets the
# run go, and the DAG list has the screen again.
keys Escape
expect "tasks of scheduled__d1"
keys Escape
expect_alone 80 24 "back at the DAG list"

# --- the rerun modal is as high as its content -----------------------------
keys Enter
expect "runs of etl_daily"
keys j Enter
expect "tasks of scheduled__d1"
down_to_transform
keys R
expect "Clear 3 task instances"
top=$(screen | grep -n "┌─ rerun transform" | cut -d: -f1)
bottom=$(screen | grep -n "y clears" | cut -d: -f1)
# Frame, DAG and run, "Clear 3", three lines, a blank, the keys, frame.
[ -n "$top" ] && [ -n "$bottom" ] && [ $((bottom - top)) = 7 ] ||
    fail "the rerun modal is not as high as its content ($top to $bottom)"
line $((bottom + 1)) | grep -q "└" || fail "the rerun modal's frame is not right below its keys"
keys n
expect "rerun cancelled"
keys Q
expect "EXITED 0"

# --- the mouse ------------------------------------------------------------
# mouse = yes in the context; the DAG list has the screen.
session "$ENV $bin --context clicks; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 15
expect_alone 80 24 "mouse session"
# The third DAG's row is line 7 (header, breadcrumb, frame, column titles,
# two rows).
third=$(line 7 | sed 's/^│ *\([^ ]*\).*/\1/')
click 10 7
keys Enter
expect "runs of $third"
keys Escape
expect_alone 80 24 "back from $third"
# A double click opens the row it is on.
first=$(line 5 | sed 's/^│ *\([^ ]*\).*/\1/')
double 10 5
expect "runs of $first"
keys Escape
# The wheel over the runs of etl_daily moves their cursor three rows:
# Enter then opens the fourth run.
keys / e t l _ d a i l y Enter
keys Enter
expect "runs of etl_daily"
fourth=$(line 8 | sed 's/.* \([a-z_]*__[a-z0-9]*\) *│$/\1/')
wheel_down 20 6
keys Enter
expect "tasks of $fourth"
keys Escape
keys Escape
keys Enter
keys j Enter
expect "tasks of scheduled__d1"
expect "log transform try 3 of 3"
# A click on the runs (below their last row) focuses them: j then moves
# the run cursor (its foot names scheduled__d2), not the task cursor, and
# the log stays on transform.
click 5 11
keys j
expect "└─ scheduled__d2 · success"
expect_not "task      load"
expect "log transform try 3 of 3"
# A click on the tasks pane's fourth row selects load: its log pane (which
# says it has not run) and its details.
x=$(( $(line 3 | sed 's/┐┌.*//' | wc -m) + 5 ))
click "$x" 8
expect "task      load"
# The wheel over the log does not take the focus from the tasks: j moves
# the task cursor.
wheel_down 20 18
keys j
expect "task      publish"
keys Q
expect "EXITED 0"

# --- a click does not confirm a modal --------------------------------------
session "$ENV $bin --context emu --mouse; echo EXITED \$?; sleep 30"
expect "DAGs (11)" 15
keys / e t l _ d a i l y Enter
keys Enter
keys j Enter
expect "tasks of scheduled__d1"
down_to_transform
keys R
expect "Clear 3 task instances"
y=$(screen | grep -n "y clears" | cut -d: -f1)
click 5 "$y"
click 40 "$y"
double 5 "$y"
click 5 22
wheel_down 5 22
expect "y clears"
expect "rerun transform and 2 downstream"
[ "$(sql "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" = failed ] ||
    fail "a click on the rerun modal cleared the task"
keys n
expect "rerun cancelled"
keys Q
expect "EXITED 0"

[ "$fails" -eq 0 ] || { echo "layout e2e: $fails failure(s)" >&2; exit 1; }
echo "layout e2e: ok"
