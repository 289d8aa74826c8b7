#!/bin/sh
# End-to-end test of the lists at four terminal sizes, in UTF-8 and with
# --ascii: the real binary in a private tmux server on a database of its own
# loaded with long ids (fixture_long.sql: DAG ids of 60 characters alike but
# for their end, task ids of 40).  On each screen (console_cells.py): every
# cut id ends in the mark, no two rows of a list read alike, each list's
# frame shows its counter, and the selected row's id is there in full.
# Usage: console_sizes.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=sizes
. tests/lib/e2e_db.sh

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture_long.sql >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
ids=$home/ids
sql "SELECT dag_id FROM dag UNION SELECT run_id FROM dag_run
     UNION SELECT task_id FROM task_instance" >"$ids"
url="postgresql://reader@127.0.0.1:$PGPORT/$db"
long=finance_reconciliation_payments_to_warehouse_region_daily_01
run=manual__2026-12-01T10:00:00+00:00_backfill_after_incident_2

# check WHAT MODE TITLE...: the screen passes console_cells.py.
check() {
	_what=$1
	_mode=$2
	shift 2
	$T capture-pane -p -t e2e >"$home/screen"
	if ! /usr/bin/python3 tests/e2e/console_cells.py "$ids" "$_mode" "$@" \
	    <"$home/screen" >"$home/why"; then
		fail "$_what: $(cat "$home/why")"
	fi
}

for mode in utf8 ascii; do
	flag=
	[ "$mode" = ascii ] && flag=--ascii
	for size in 80x24 100x30 120x40 200x60; do
		session "env PGPASSWORD=reader-secret TERM=tmux-256color LANG=C.UTF-8 HOME=$home $bin $flag --database '$url'; echo EXITED \$?; sleep 30"
		$T resize-window -t e2e -x "${size%x*}" -y "${size#*x}"
		expect "DAGs (21)" 15
		expect " 1/21 "
		check "$size $mode: DAGs" "$mode" "DAGs ("
		# The one DAG with long runs and tasks: its runs, then the
		# failed manual run's tasks.
		keys / "daily_01\$" Enter
		expect "DAGs (1, "
		keys Enter
		expect "runs of "
		keys j j
		check "$size $mode: runs" "$mode" "runs of "
		keys Enter
		expect "tasks of "
		# The cursor opens on the run's first failed task, the second.
		expect " 2/6 "
		check "$size $mode: tasks" "$mode" "runs of " "tasks of "
		# > scrolls the task ids: their start leaves the column.
		keys '>'
		expect "TASK +8"
		keys '<'
		expect_not "TASK +8" 0.5
	done
done
[ "$fails" -eq 0 ] || exit 1
echo "console_sizes: ok ($v)"
