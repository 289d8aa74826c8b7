#!/bin/sh
# End-to-end test of the console's compare window (issue 20): the real
# binary at 80x24 in a private tmux server, on its own copies of the
# blue/green fixtures (blue on Airflow 2.10, green on 3.1, the designed
# differences in fixture_compare_blue.sql's header) and a DAG on blue only
# whose id carries escape sequences.  :compare blue green lists the
# findings worst first (the double run), the selected one whole on the
# detail line; back returns the panes as they were; a context that cannot
# be reached says why in the window; no escape sequence from a DAG id
# reaches the terminal.
# Run by run.sh for each build.
# Usage: compare.sh DAGTOP_BINARY
set -u
bin=$1
v=2
name=cmpe
. tests/lib/e2e_db.sh
gdb="${db}_green"
. tests/lib/silent.sh
silent_start "$home"
trap 'cleanup; dropdb --if-exists "$gdb" 2>/dev/null; kill $SILENT_PID 2>/dev/null' EXIT

screen() { $T capture-pane -p -t e2e; }
# The row under the cursor (reverse video), without its attributes; the
# header (row 1, reverse too) and the status lines left out.
cursor_row() {
	$T capture-pane -e -p -t e2e | sed -n '2,21p' |
	    grep -F "$(printf '\033[7m')" |
	    sed 's/\x1b\[[0-9;]*m//g' | head -1
}

# psql_f DB FILE...: the fixtures, as run.sh loads them.
psql_f() {
	d=$1
	shift
	for f in "$@"; do
		psql -q -X -v ON_ERROR_STOP=1 -d "$d" \
		    -f "tests/integration/$f.sql" >/dev/null || exit 1
	done
}
pg_load_schema "$db" 2
pg_load_schema "$gdb" 3
psql_f "$db" fixture_v2 fixture_compare_common
psql_f "$gdb" fixture_v3 fixture_compare_common
# On blue only, unpaused with runs (a finding): an id that would set the
# terminal's title and ring its bell, ending in no_escapes.py's marker.
psql -q -X -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL' || exit 1
SELECT fx_dag(E'cmp_evil\033]0;PWNED-TITLE\007HOSTILE-END', false, true,
              false, '@daily');
SELECT cmp_runs(E'cmp_evil\033]0;PWNED-TITLE\007HOSTILE-END',
                interval '10 minutes', ARRAY['a'], ARRAY[10]);
SQL
psql_f "$db" fixture_compare_blue
psql_f "$gdb" fixture_compare_green
for d in "$db" "$gdb"; do
	psql -q -X -d "$d" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
done
e2e_config <<EOF
[sla "cmp_ready"]
dag = cmp_sla
deadline = 06:00
timezone = UTC
[context blue]
database = postgresql://reader@127.0.0.1:$PGPORT/$db
database_password_env = DBPW
timezone = UTC
[context green]
database = postgresql://reader@127.0.0.1:$PGPORT/$gdb
database_password_env = DBPW
timezone = UTC
[context gone]
database = postgresql://reader@127.0.0.1:1/nothing
database_password_env = DBPW
timezone = UTC
[context stalled]
database = postgresql://reader@127.0.0.1:$SILENT_PORT/nothing
database_password_env = DBPW
timezone = UTC
EOF

: >"$home/pty.raw"
session "$E2E_ENV $bin --context blue 2>$home/err; echo EXITED \$?; sleep 30"
$T pipe-pane -t e2e -o "cat >>$home/pty.raw"
expect "DAGs (" 15
# A selection of its own, to find again after the window.
keys j j
before=$(cursor_row)

# --- :compare blue green ------------------------------------------------
# Help names it; TAB completes the first context.
keys '?'
keys /
keys compare Enter
expect "is green behaving like blue?"
keys Escape
keys Escape
expect_not "is green behaving like blue?" 0.3
keys :
keys "compare bl"
keys Tab
expect ":compare blue"
keys " green" Enter
expect "compare blue / green"
expect "CRITICAL: 1 critical, 8 warnings" 20
cursor_row | grep -q "CRITICAL *double_running *cmp_double" ||
    fail "the double run is not the first finding, under the cursor"
for d in "only_on         cmp_gone" "paused_on       cmp_paused" \
    "graph           cmp_graph" "duration        cmp_slow" \
    "sla             cmp_sla SLA cmp_"; do
	expect "$d"
done
# The detail line: the selected finding whole, where its row is cut.
expect "CRITICAL double_running cmp_double: unpaused on both sides, and both ran 6"
expect "logical dates ("
# The last finding, selected: its text on the detail line.
keys End
cursor_row | grep -qF "sla             cmp_sla SLA cmp_" ||
    fail "End does not select the last finding"
expect "WARNING sla cmp_sla SLA cmp_ready: blue 6 met"
keys Home
cursor_row | grep -qF "cmp_double" || fail "Home does not select the first"
# The panes behind take no key: j moves the window's cursor, onto the
# hostile id, whole on the detail line, defused.
keys j
cursor_row | grep -qF "only_on" || fail "j does not move the window's cursor"
expect "PWNED-TITLE"
expect "HOSTILE-END: "
# r reads both again: the cursor back on the first finding.
keys r
expect "CRITICAL: 1 critical, 8 warnings" 20
cursor_row | grep -qF "cmp_double" || fail "r did not read again"
keys j
cursor_row | grep -qF "cmp_evil" || fail "j did not select the second"
# Too small a screen: no key acts on the window or behind it, back
# included; at 80x24 again it is as it was.
$T resize-window -t e2e -x 30 -y 10
expect "terminal too small"
keys j
keys Escape
keys Enter
$T resize-window -t e2e -x 80 -y 24
expect "compare blue / green"
cursor_row | grep -qF "cmp_evil" ||
    fail "a key acted while the screen was too small ($(cursor_row))"

# --- back: the panes as they were -----------------------------------------
keys Escape
expect_not "compare blue / green" 0.5
expect "DAGs ("
[ "$(cursor_row)" = "$before" ] ||
    fail "back did not return the selection ($(cursor_row), was $before)"
# q (back-or-quit) closes the window and does not quit.
keys :
keys "compare blue green" Enter
expect "CRITICAL: 1 critical" 20
keys q
expect_not "compare blue / green" 0.5
screen | grep -qF "EXITED" && fail "q in the window quit the console"
[ "$(cursor_row)" = "$before" ] || fail "q did not return the selection"

# --- a context that cannot be reached -------------------------------------
keys :
keys "compare blue gone" Enter
expect "compare blue / green"
expect "green gone: " 20
screen | grep -F "green gone: " | grep -qi "connect\|refused" ||
    fail "the unreachable side does not say why"
keys Escape
# A side that never answers: the other is read, no key waits, and the
# window closes at once, its connection with it.
keys :
keys "compare blue stalled" Enter
expect "green stalled: connecting"
expect "blue  blue: read"
ss -tn state established "( dport = :$SILENT_PORT )" | grep -q "127.0.0.1" ||
    fail "no connection to the stalled side"
keys Escape
expect_not "compare blue / green" 0.3
sleep 0.3
ss -tn state established "( dport = :$SILENT_PORT )" | grep -q "127.0.0.1" &&
    fail "the stalled side's connection outlived the window"
# A context the file does not have, and mistakes on the : line.
keys :
keys "compare blue nowhere" Enter
expect "green nowhere: "
keys Escape
keys :
keys "compare blue" Enter
expect ":compare takes BLUE GREEN"

# --- nothing from a DAG id reaches the terminal ---------------------------
sleep 0.5
/usr/bin/python3 tests/e2e/no_escapes.py "$home/pty.raw" ||
    fail "a control sequence from a DAG id reached the terminal"
case "$($T display -p -t e2e '#{pane_title}')" in
*PWNED*) fail "a DAG id set the terminal's title" ;;
esac

keys Q
expect "EXITED 0"
[ -s "$home/err" ] && fail "stderr: $(head -c 2000 "$home/err")"
[ $fails -eq 0 ] && echo "compare e2e: ok"
exit $((fails > 0))
