#!/bin/sh
# Integration tests: a real PostgreSQL server started here, one database per
# Airflow schema loaded with the same facts, and the test programs of both
# builds (plain, and ASan+UBSan) run against each.
# Usage: run.sh BUILD_DIR...   (each holds dagtop and tests/test_db_*)
#
# The schemas are named as their files are (tests/schema/airflow*_schema.sql):
# 2 is Airflow 2.10, 3 is 3.1, 32 is 3.2.  Each has its databases af<schema>,
# af<schema>_down, _ok, _newer, _sla and _hostile, its fixture_v<schema>.sql,
# and is passed on as DAGTOP_TEST_SCHEMA (test_db_*) or as the argument of
# the e2e scripts.
set -eu
cd "$(dirname "$0")/../.."
. tests/lib/pg.sh

# DAGTOP_TEST_KEEP=1 leaves the server running for a developer to poke at.
if [ "${DAGTOP_TEST_KEEP:-0}" = 1 ]; then
	trap 'set +e; kill ${HEARTBEAT_PID:-} 2>/dev/null; echo "kept: PGHOST=$PGHOST PGPORT=$PGPORT (stop: pg_ctl -D $PG_DIR/data stop)"' EXIT
else
	# set +e: the server stops even when the heartbeat is already gone.
	trap 'set +e; kill ${HEARTBEAT_PID:-} 2>/dev/null; pg_stop' EXIT
fi
trap 'exit 130' INT TERM HUP PIPE QUIT
pg_start
echo "integration: PostgreSQL on 127.0.0.1:$PGPORT ($PG_DIR), schemas from $PG_REFERENCE"
SCHEMAS="2 3 32"
# release SCHEMA: the Airflow release a schema stands for, for messages.
release() {
	case $1 in
	2) echo 2.10 ;;
	3) echo 3.1 ;;
	32) echo 3.2 ;;
	esac
}

psql -q -X -v ON_ERROR_STOP=1 -d postgres <<'SQL'
CREATE ROLE reader LOGIN PASSWORD 'reader-secret';
SQL

for v in $SCHEMAS; do
	pg_load_schema "af$v" "$v"
	psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f "tests/integration/fixture_v$v.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f tests/integration/fixture.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# The same deployment with its scheduler dead for ten minutes.
	createdb -T "af$v" "af${v}_down"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_down" -c \
	    "UPDATE job SET latest_heartbeat = now() - interval '10 minutes' WHERE job_type = 'SchedulerJob'" >/dev/null
	# All good: no failures, no import errors.
	createdb -T "af$v" "af${v}_ok"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_ok" -c \
	    "DELETE FROM dag_run WHERE state = 'failed'; UPDATE dag SET has_import_errors = false" >/dev/null
	# An Airflow newer than this build knows.
	createdb -T "af$v" "af${v}_newer"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_newer" -c \
	    "UPDATE alembic_version SET version_num = 'ffffffffffff'" >/dev/null
	# A manual run after a failed scheduled one: which is the latest.
	createdb -T "af$v" "af${v}_order"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_order" -f tests/integration/fixture_order.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_order" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# SLAs: their own runs, in their own database.
	createdb -T "af$v" "af${v}_sla"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_sla" -f tests/integration/fixture_sla.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_sla" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# Hostile ids: a run id that is a Markdown link, an empty one, a pool
	# name with '|'.
	createdb -T "af${v}_sla" "af${v}_hostile"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_hostile" -f tests/integration/fixture_hostile.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_hostile" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# --format openmetrics (report_metrics.sh): a DAG id with a quote, a
	# backslash and a newline, the most failed runs; the scheduler dead.
	createdb -T "af$v" "af${v}_metrics"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_metrics" -f tests/integration/fixture_metrics.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_metrics" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# SLAs over a generated history and its edge cases (test_db_sla):
	# the fixture's helpers first, for their dag_bundle row on 3.x.
	pg_load_schema "af${v}_slagen" "$v"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" -f "tests/integration/fixture_v$v.sql" >/dev/null
	build/rel/gen_history --schema "$v" --dags 30 --days 30 --seed 18 |
	    sed '/^INSERT INTO dag_bundle/d' |
	    psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" -f tests/integration/fixture_slagen.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	# Dependencies across DAGs (test_db_deps): the scenario of
	# fixture_deps2.sql (2.10) / fixture_deps3.sql (3.1, 3.2); the seed of
	# the reference examples (airflow_dependencies.md §2: the file
	# without its BEGIN, runs, deadlines and queries; 3.2's writer sets
	# timetable_type); on 2.x the scenario as 2.8 has it (no alias
	# tables, no dataset_expression); and the core schema alone.
	deps=3
	[ "$v" = 2 ] && deps=2
	pg_load_schema "af${v}_deps" "$v"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_deps" -f "tests/integration/fixture_v$v.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_deps" -f "tests/integration/fixture_deps$deps.sql" >/dev/null
	pg_load_schema "af${v}_depex" "$v"
	{
		[ "$v" = 32 ] && echo "ALTER TABLE dag ALTER COLUMN timetable_type SET DEFAULT '';"
		sed -e '/^BEGIN;/d' -e '/^-- Q1/,$d' -e '/^-- runs + deadlines/,$d' \
		    "$PG_REFERENCE/airflow${deps}_dependency_examples.sql"
	} | psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_depex" >/dev/null
	createdb -T template0 "af${v}_nodeps"
	psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_nodeps" -f "$PG_REFERENCE/airflow${v}_schema.sql" >/dev/null
	if [ "$v" = 2 ]; then
		createdb -T af2_deps af2_deps28
		psql -q -X -v ON_ERROR_STOP=1 -d af2_deps28 -c 'DROP TABLE dag_schedule_dataset_alias_reference, dataset_alias_dataset_event, dataset_alias_dataset, dataset_alias; ALTER TABLE dag DROP COLUMN dataset_expression' >/dev/null
	fi
	for db in "af${v}_deps" "af${v}_depex" "af${v}_nodeps" af2_deps28; do
		[ "$v" != 2 ] && [ "$db" = af2_deps28 ] && continue
		psql -q -X -v ON_ERROR_STOP=1 -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
	done
done
# Blue/green (test_db_compare, report compare): the same DAGs on Airflow
# 2.10 (afcmp_blue) and 3.1 (afcmp_green) with the differences designed in
# fixture_compare_blue.sql's header.
for side in blue:2 green:3; do
	pg_load_schema "afcmp_${side%:*}" "${side#*:}"
	psql -q -X -v ON_ERROR_STOP=1 -d "afcmp_${side%:*}" -f "tests/integration/fixture_v${side#*:}.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "afcmp_${side%:*}" -f tests/integration/fixture_compare_common.sql >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "afcmp_${side%:*}" -f "tests/integration/fixture_compare_${side%:*}.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "afcmp_${side%:*}" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
done
# A scheduler and a triggerer that stay alive: they heartbeat every two
# seconds, as Airflow's do, for as long as the tests run.
heartbeat() {
	while :; do
		for v in $SCHEMAS; do
			for db in "af$v" "af${v}_ok"; do
				psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() - interval '2 seconds' WHERE state = 'running'" >/dev/null 2>&1 || true
			done
		done
		# The dead scheduler stays dead for ten minutes, however long
		# the run takes.
		for v in $SCHEMAS; do
			psql -q -X -d "af${v}_down" -c "UPDATE job SET latest_heartbeat = now() - interval '10 minutes' WHERE job_type = 'SchedulerJob'" >/dev/null 2>&1 || true
		done
		sleep 2
	done
}
heartbeat &
HEARTBEAT_PID=$!

createdb notairflow
psql -q -X -v ON_ERROR_STOP=1 -d notairflow -c 'CREATE TABLE dag (dag_id text)' >/dev/null
# The Four Keys' SQL source: a team's own release log and incident records.
createdb fourkeys
psql -q -X -v ON_ERROR_STOP=1 -d fourkeys -f tests/integration/fixture_fourkeys.sql >/dev/null

export DAGTOP_TEST_HOST="$PG_DIR" DAGTOP_TEST_PORT="$PGPORT"
# test_db_soak (one of the test_db_* below): seconds of random changes by
# tests/tools/sim_scheduler.py per schema and build, a minute each here;
# set DAGTOP_SOAK_SECONDS for a longer soak (tests/emulator/README.md).
export DAGTOP_SOAK_SECONDS="${DAGTOP_SOAK_SECONDS:-60}"
failed=0
for v in $SCHEMAS; do
	echo "== the Airflow API emulator against the database (Airflow $(release "$v") schema)"
	if ! sh tests/emulator/test_airflow_emu.sh "$v"; then
		echo "FAILED: the Airflow API emulator on Airflow $(release "$v")" >&2
		failed=1
	fi
done
for build in "$@"; do
	for v in $SCHEMAS; do
		r=$(release "$v")
		for t in "$build"/tests/test_db_*; do
			echo "== $t (Airflow $r schema)"
			if ! DAGTOP_TEST_SCHEMA=$v DAGTOP_BIN="$build/dagtop" "$t"; then
				echo "FAILED: $t on the Airflow $r schema" >&2
				failed=1
			fi
		done
		echo "== console in tmux: $build/dagtop (Airflow $r schema)"
		if ! sh tests/e2e/console.sh "$build/dagtop" "af$v"; then
			echo "FAILED: console e2e on the Airflow $r schema" >&2
			failed=1
		fi
		echo "== SLA panes in tmux: $build/dagtop (Airflow $r schema)"
		if ! sh tests/e2e/sla.sh "$build/dagtop" "$v"; then
			echo "FAILED: SLA e2e on Airflow $r" >&2
			failed=1
		fi
		case $v in
		2|3)
			echo "== lists at four sizes with long ids in tmux: $build/dagtop (Airflow $r schema)"
			if ! sh tests/e2e/console_sizes.sh "$build/dagtop" "$v"; then
				echo "FAILED: console sizes e2e on Airflow $r" >&2
				failed=1
			fi ;;
		esac
		echo "== logs and reruns in tmux: $build/dagtop (Airflow $r, API emulator)"
		if ! sh tests/e2e/logs.sh "$build/dagtop" "$v"; then
			echo "FAILED: logs e2e on Airflow $r" >&2
			failed=1
		fi
		if [ "$v" != 32 ]; then
			echo "== layout and mouse in tmux: $build/dagtop (Airflow $r, API emulator)"
			if ! sh tests/e2e/layout.sh "$build/dagtop" "$v"; then
				echo "FAILED: layout e2e on Airflow $r" >&2
				failed=1
			fi
		fi
		case $v in
		2|3)
			echo "== failures in five keys in tmux: $build/dagtop (Airflow $r, API emulator)"
			if ! sh tests/e2e/failures.sh "$build/dagtop" "$v"; then
				echo "FAILED: failures e2e on Airflow $r" >&2
				failed=1
			fi
			echo "== blast radius in tmux: $build/dagtop (Airflow $r, dependency fixture, API emulator)"
			if ! sh tests/e2e/impact.sh "$build/dagtop" "$v"; then
				echo "FAILED: impact e2e on Airflow $r" >&2
				failed=1
			fi
			echo "== environments overview in tmux: $build/dagtop (Airflow $r, four contexts, one stalled)"
			if ! sh tests/e2e/overview.sh "$build/dagtop" "$v"; then
				echo "FAILED: overview e2e on Airflow $r" >&2
				failed=1
			fi ;;
		esac
		echo "== console in API mode, no database, in tmux: $build/dagtop (Airflow $r, API emulator)"
		if ! sh tests/e2e/console_api.sh "$build/dagtop" "$v"; then
			echo "FAILED: console API-mode e2e on Airflow $r" >&2
			failed=1
		fi
		echo "== every clear audited: $build/dagtop (Airflow $r, API emulator, tmux)"
		if ! sh tests/integration/clear_audit.sh "$build/dagtop" "$v"; then
			echo "FAILED: clear audit on Airflow $r" >&2
			failed=1
		fi
		echo "== every report from the database and through the API: $build/dagtop (Airflow $r, API emulator)"
		if ! sh tests/integration/api_parity.sh "$build/dagtop" "$v"; then
			echo "FAILED: report parity, database and API, on Airflow $r" >&2
			failed=1
		fi
		echo "== the console's run strips from the database and through the API: $build/dagtop (Airflow $r, tmux)"
		if ! sh tests/integration/api_strips.sh "$build/dagtop" "$v"; then
			echo "FAILED: run strips, database and API, on Airflow $r" >&2
			failed=1
		fi
		echo "== the strips on screen and a page ahead, then where the user scrolls: $build/dagtop (Airflow $r, API emulator, tmux)"
		if ! sh tests/integration/api_scroll.sh "$build/dagtop" "$v"; then
			echo "FAILED: the strips read as the user scrolls, on Airflow $r" >&2
			failed=1
		fi
		echo "== the same in pages of 5: $build/dagtop (Airflow $r, API emulator, --page-limit 5)"
		if ! sh tests/integration/api_parity.sh "$build/dagtop" "$v" 5; then
			echo "FAILED: report parity in pages of 5 on Airflow $r" >&2
			failed=1
		fi
		case $v in
		2|3)
			echo "== polite under load (one session named dagtop, prepared statements, back-off): $build/dagtop (Airflow $r schema, tmux)"
			if ! sh tests/e2e/polite.sh "$build/dagtop" "$v"; then
				echo "FAILED: polite e2e on Airflow $r" >&2
				failed=1
			fi ;;
		esac
	done
done
# BigQuery slots after the timed tests above (the *_down databases' heartbeat
# ages are read against the time they were made).
for build in "$@"; do
	for v in $SCHEMAS; do
		r=$(release "$v")
		echo "== slots pane in tmux: $build/dagtop (Airflow $r schema)"
		if ! sh tests/e2e/slots.sh "$build/dagtop" "af$v"; then
			echo "FAILED: slots pane e2e on the Airflow $r schema" >&2
			failed=1
		fi
	done
	echo "== report slots through the BigQuery emulator: $build/dagtop"
	if ! sh tests/integration/slots.sh "$build/dagtop"; then
		echo "FAILED: report slots through the BigQuery emulator" >&2
		failed=1
	fi
done
for build in "$@"; do
	echo "== report fourkeys through the GitHub emulator and SQL: $build/dagtop"
	if ! sh tests/integration/fourkeys.sh "$build/dagtop"; then
		echo "FAILED: report fourkeys" >&2
		failed=1
	fi
	echo "== Four Keys pane in tmux: $build/dagtop (GitHub emulator)"
	if ! sh tests/e2e/fourkeys.sh "$build/dagtop"; then
		echo "FAILED: Four Keys pane e2e" >&2
		failed=1
	fi
done
for build in "$@"; do
	echo "== secrets in the console: $build/dagtop (:context TLS, inherited descriptors)"
	if ! sh tests/e2e/secrets.sh "$build/dagtop"; then
		echo "FAILED: secrets e2e" >&2
		failed=1
	fi
	echo "== outsiders' limits: $build/dagtop (numbers, connect_timeout)"
	if ! sh tests/integration/inputs.sh "$build/dagtop"; then
		echo "FAILED: input limits" >&2
		failed=1
	fi
	echo "== Airflow API client: $build/dagtop (auth, TLS, errors; emulator)"
	if ! sh tests/e2e/api.sh "$build/dagtop"; then
		echo "FAILED: API client checks" >&2
		failed=1
	fi
	for v in $SCHEMAS; do
		echo "== Cloud Composer: $build/dagtop (Airflow $(release "$v"), fake Composer API, metadata server)"
		if ! sh tests/e2e/composer.sh "$build/dagtop" "$v"; then
			echo "FAILED: Composer e2e on Airflow $(release "$v")" >&2
			failed=1
		fi
		echo "== Amazon MWAA: $build/dagtop (Airflow $(release "$v"), InvokeRestApi with SigV4)"
		if ! sh tests/e2e/mwaa.sh "$build/dagtop" "$v"; then
			echo "FAILED: MWAA e2e on Airflow $(release "$v")" >&2
			failed=1
		fi
	done
done
for build in "$@"; do
	echo "== report impact and why on the dependency scenario: $build/dagtop (Airflow 2.10 and 3.1)"
	if ! sh tests/integration/report_impact.sh "$build/dagtop"; then
		echo "FAILED: report impact and why" >&2
		failed=1
	fi
	echo "== report status and config check --connect over five contexts, two stalled: $build/dagtop (Airflow 2.10 and 3.1)"
	if ! sh tests/integration/report_fleet.sh "$build/dagtop"; then
		echo "FAILED: report status over several contexts" >&2
		failed=1
	fi
	echo "== report digest on a designed week, every format, an audit log, an unreachable database: $build/dagtop (Airflow 2.10 and 3.1)"
	if ! sh tests/integration/report_digest.sh "$build/dagtop"; then
		echo "FAILED: report digest" >&2
		failed=1
	fi
	echo "== --format openmetrics of report status, sla, slots and fourkeys through promtool, and --output: $build/dagtop (Airflow $SCHEMAS)"
	if ! sh tests/integration/report_metrics.sh "$build/dagtop" $SCHEMAS; then
		echo "FAILED: report --format openmetrics and --output" >&2
		failed=1
	fi
	echo "== report status and sla --format slack: Block Kit's limits, 500 failing DAGs, hostile ids, several contexts: $build/dagtop (Airflow 2.10 and 3.1)"
	if ! sh tests/integration/report_slack.sh "$build/dagtop"; then
		echo "FAILED: report --format slack" >&2
		failed=1
	fi
	echo "== report status with a context whose host name does not resolve (silent name server): $build/dagtop"
	if ! sh tests/integration/report_dns.sh "$build/dagtop"; then
		echo "FAILED: report status with a silent name server" >&2
		failed=1
	fi
	echo "== environments overview in tmux with a context whose host name does not resolve: $build/dagtop (Airflow 2.10)"
	if ! sh tests/e2e/overview_dns.sh "$build/dagtop" 2; then
		echo "FAILED: overview e2e with a silent name server" >&2
		failed=1
	fi
done
for build in "$@"; do
	echo "== report compare, blue 2.10 against green 3.1: $build/dagtop"
	if ! sh tests/integration/report_compare.sh "$build/dagtop"; then
		echo "FAILED: report compare" >&2
		failed=1
	fi
	echo "== console in tmux: the compare window, blue 2.10 against green 3.1: $build/dagtop"
	if ! sh tests/e2e/compare.sh "$build/dagtop"; then
		echo "FAILED: console e2e compare window" >&2
		failed=1
	fi
done
# Last, as it stops and starts the server: the console across an outage.
echo "== console in tmux: $1/dagtop while PostgreSQL restarts"
if ! DAGTOP_E2E_RESTART=1 sh tests/e2e/console.sh "$1/dagtop" af2; then
	echo "FAILED: console e2e across a database restart" >&2
	failed=1
fi
exit $failed
