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

# grant DB: the reader role (dagtop's, in the tests) may read all of DB.
grant() {
	psql -q -X -v ON_ERROR_STOP=1 -d "$1" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
}
# derive DB TEMPLATE FIXTURE: a copy of the database TEMPLATE with
# tests/integration/FIXTURE on top, readable by the reader role.
derive() {
	createdb -T "$2" "$1"
	psql -q -X -v ON_ERROR_STOP=1 -d "$1" -f "tests/integration/$3" >/dev/null
	grant "$1"
}
# load_fixtures: every database the tests read, loaded with the facts the
# tests expect.  Many are written against today, UTC (runs "yesterday",
# windows of "the last 7 days" ending now, SLA days): see fresh_fixtures.
load_fixtures() {
	FIXTURE_DAY=$(date -u +%F)
	for v in $SCHEMAS; do
		pg_load_schema "af$v" "$v"
		psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f "tests/integration/fixture_v$v.sql" >/dev/null
		psql -q -X -v ON_ERROR_STOP=1 -d "af$v" -f tests/integration/fixture.sql >/dev/null
		grant "af$v"
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
		derive "af${v}_order" "af$v" fixture_order.sql
		# SLAs: their own runs, in their own database.
		derive "af${v}_sla" "af$v" fixture_sla.sql
		# Hostile ids: a run id that is a Markdown link, an empty one, a pool
		# name with '|'.
		derive "af${v}_hostile" "af${v}_sla" fixture_hostile.sql
		# --format openmetrics (report_metrics.sh): a DAG id with a quote, a
		# backslash and a newline, the most failed runs; the scheduler dead.
		derive "af${v}_metrics" "af$v" fixture_metrics.sql
		# SLAs over a generated history and its edge cases (test_db_sla):
		# the fixture's helpers first, for their dag_bundle row on 3.x.
		pg_load_schema "af${v}_slagen" "$v"
		psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" -f "tests/integration/fixture_v$v.sql" >/dev/null
		build/rel/gen_history --schema "$v" --dags 30 --days 30 --seed 18 |
		    sed '/^INSERT INTO dag_bundle/d' |
		    psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" >/dev/null
		psql -q -X -v ON_ERROR_STOP=1 -d "af${v}_slagen" -f tests/integration/fixture_slagen.sql >/dev/null
		grant "af${v}_slagen"
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
			grant "$db"
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
		grant "afcmp_${side%:*}"
	done
	createdb notairflow
	psql -q -X -v ON_ERROR_STOP=1 -d notairflow -c 'CREATE TABLE dag (dag_id text)' >/dev/null
	# The Four Keys' SQL source: a team's own release log and incident records.
	createdb fourkeys
	psql -q -X -v ON_ERROR_STOP=1 -d fourkeys -f tests/integration/fixture_fourkeys.sql >/dev/null
}

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

# fresh_fixtures: before each step.  A fixture judged on another day than
# the one it was loaded on finds a run fewer in its window (CI once started
# at 23:20 UTC and the compare step, 40 minutes on, failed so).  So no step
# starts in the last $MIDNIGHT_GUARD seconds before midnight UTC (no step
# takes that long): it waits for the new day; and when the day has turned
# since the load, every database goes and is loaded again, the heartbeat
# stopped meanwhile (createdb -T needs its template unused).
MIDNIGHT_GUARD=${DAGTOP_TEST_MIDNIGHT_GUARD:-600}
midnight_wait() {
	left=$((86400 - $(date -u +%s) % 86400))
	if [ "$left" -le "$MIDNIGHT_GUARD" ]; then
		echo "integration: waiting $((left + 2))s for midnight UTC (the fixtures are written against today)"
		sleep $((left + 2))
	fi
}
fresh_fixtures() {
	midnight_wait
	[ "$(date -u +%F)" = "$FIXTURE_DAY" ] && return 0
	echo "integration: the day turned (UTC $(date -u +%F), fixtures of $FIXTURE_DAY): loading them again"
	kill "$HEARTBEAT_PID" 2>/dev/null || true
	wait "$HEARTBEAT_PID" 2>/dev/null || true
	for db in $(psql -X -A -t -d postgres -c "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"); do
		dropdb --force "$db"
	done
	load_fixtures
	heartbeat &
	HEARTBEAT_PID=$!
}

midnight_wait
load_fixtures
heartbeat &
HEARTBEAT_PID=$!

export DAGTOP_TEST_HOST="$PG_DIR" DAGTOP_TEST_PORT="$PGPORT"
# test_db_soak (one of the test_db_* below): seconds of random changes by
# tests/tools/sim_scheduler.py per schema and build, a minute each here;
# set DAGTOP_SOAK_SECONDS for a longer soak (tests/emulator/README.md).
export DAGTOP_SOAK_SECONDS="${DAGTOP_SOAK_SECONDS:-60}"
failed=0
# step TITLE FAILURE COMMAND...: runs one test on fresh fixtures; a failure
# is said and counted, and the run goes on.
step() {
	fresh_fixtures
	echo "== $1"
	_failure=$2
	shift 2
	if ! "$@"; then
		echo "FAILED: $_failure" >&2
		failed=1
	fi
}
for v in $SCHEMAS; do
	step "the Airflow API emulator against the database (Airflow $(release "$v") schema)" "the Airflow API emulator on Airflow $(release "$v")" \
	    sh tests/emulator/test_airflow_emu.sh "$v"
done
for build in "$@"; do
	for v in $SCHEMAS; do
		r=$(release "$v")
		for t in "$build"/tests/test_db_*; do
			step "$t (Airflow $r schema)" "$t on the Airflow $r schema" \
			    env DAGTOP_TEST_SCHEMA=$v DAGTOP_BIN="$build/dagtop" "$t"
		done
		step "console in tmux: $build/dagtop (Airflow $r schema)" "console e2e on the Airflow $r schema" \
		    sh tests/e2e/console.sh "$build/dagtop" "af$v"
		step "SLA panes in tmux: $build/dagtop (Airflow $r schema)" "SLA e2e on Airflow $r" \
		    sh tests/e2e/sla.sh "$build/dagtop" "$v"
		case $v in
		2|3)
			step "lists at four sizes with long ids in tmux: $build/dagtop (Airflow $r schema)" "console sizes e2e on Airflow $r" \
			    sh tests/e2e/console_sizes.sh "$build/dagtop" "$v" ;;
		esac
		step "logs and reruns in tmux: $build/dagtop (Airflow $r, API emulator)" "logs e2e on Airflow $r" \
		    sh tests/e2e/logs.sh "$build/dagtop" "$v"
		if [ "$v" != 32 ]; then
			step "layout and mouse in tmux: $build/dagtop (Airflow $r, API emulator)" "layout e2e on Airflow $r" \
			    sh tests/e2e/layout.sh "$build/dagtop" "$v"
		fi
		case $v in
		2|3)
			step "failures in five keys in tmux: $build/dagtop (Airflow $r, API emulator)" "failures e2e on Airflow $r" \
			    sh tests/e2e/failures.sh "$build/dagtop" "$v"
			step "blast radius in tmux: $build/dagtop (Airflow $r, dependency fixture, API emulator)" "impact e2e on Airflow $r" \
			    sh tests/e2e/impact.sh "$build/dagtop" "$v"
			step "environments overview in tmux: $build/dagtop (Airflow $r, four contexts, one stalled)" "overview e2e on Airflow $r" \
			    sh tests/e2e/overview.sh "$build/dagtop" "$v" ;;
		esac
		step "console in API mode, no database, in tmux: $build/dagtop (Airflow $r, API emulator)" "console API-mode e2e on Airflow $r" \
		    sh tests/e2e/console_api.sh "$build/dagtop" "$v"
		step "every clear audited: $build/dagtop (Airflow $r, API emulator, tmux)" "clear audit on Airflow $r" \
		    sh tests/integration/clear_audit.sh "$build/dagtop" "$v"
		step "every report from the database and through the API: $build/dagtop (Airflow $r, API emulator)" "report parity, database and API, on Airflow $r" \
		    sh tests/integration/api_parity.sh "$build/dagtop" "$v"
		step "the console's run strips from the database and through the API: $build/dagtop (Airflow $r, tmux)" "run strips, database and API, on Airflow $r" \
		    sh tests/integration/api_strips.sh "$build/dagtop" "$v"
		step "the strips on screen and a page ahead, then where the user scrolls: $build/dagtop (Airflow $r, API emulator, tmux)" "the strips read as the user scrolls, on Airflow $r" \
		    sh tests/integration/api_scroll.sh "$build/dagtop" "$v"
		step "the same in pages of 5: $build/dagtop (Airflow $r, API emulator, --page-limit 5)" "report parity in pages of 5 on Airflow $r" \
		    sh tests/integration/api_parity.sh "$build/dagtop" "$v" 5
		case $v in
		2|3)
			step "polite under load (one session named dagtop, prepared statements, back-off): $build/dagtop (Airflow $r schema, tmux)" "polite e2e on Airflow $r" \
			    sh tests/e2e/polite.sh "$build/dagtop" "$v" ;;
		esac
	done
done
# BigQuery slots after the timed tests above (the *_down databases' heartbeat
# ages are read against the time they were made).
for build in "$@"; do
	for v in $SCHEMAS; do
		r=$(release "$v")
		step "slots pane in tmux: $build/dagtop (Airflow $r schema)" "slots pane e2e on the Airflow $r schema" \
		    sh tests/e2e/slots.sh "$build/dagtop" "af$v"
	done
	step "report slots through the BigQuery emulator: $build/dagtop" "report slots through the BigQuery emulator" \
	    sh tests/integration/slots.sh "$build/dagtop"
done
for build in "$@"; do
	step "report fourkeys through the GitHub emulator and SQL: $build/dagtop" "report fourkeys" \
	    sh tests/integration/fourkeys.sh "$build/dagtop"
	step "Four Keys pane in tmux: $build/dagtop (GitHub emulator)" "Four Keys pane e2e" \
	    sh tests/e2e/fourkeys.sh "$build/dagtop"
done
for build in "$@"; do
	step "secrets in the console: $build/dagtop (:context TLS, inherited descriptors)" "secrets e2e" \
	    sh tests/e2e/secrets.sh "$build/dagtop"
	step "outsiders' limits: $build/dagtop (numbers, connect_timeout)" "input limits" \
	    sh tests/integration/inputs.sh "$build/dagtop"
	step "Airflow API client: $build/dagtop (auth, TLS, errors; emulator)" "API client checks" \
	    sh tests/e2e/api.sh "$build/dagtop"
	for v in $SCHEMAS; do
		step "Cloud Composer: $build/dagtop (Airflow $(release "$v"), fake Composer API, metadata server)" "Composer e2e on Airflow $(release "$v")" \
		    sh tests/e2e/composer.sh "$build/dagtop" "$v"
		step "Amazon MWAA: $build/dagtop (Airflow $(release "$v"), InvokeRestApi with SigV4)" "MWAA e2e on Airflow $(release "$v")" \
		    sh tests/e2e/mwaa.sh "$build/dagtop" "$v"
	done
done
for build in "$@"; do
	step "report impact and why on the dependency scenario: $build/dagtop (Airflow 2.10 and 3.1)" "report impact and why" \
	    sh tests/integration/report_impact.sh "$build/dagtop"
	step "report status and config check --connect over five contexts, two stalled: $build/dagtop (Airflow 2.10 and 3.1)" "report status over several contexts" \
	    sh tests/integration/report_fleet.sh "$build/dagtop"
	step "report digest on a designed week, every format, an audit log, an unreachable database: $build/dagtop (Airflow 2.10 and 3.1)" "report digest" \
	    sh tests/integration/report_digest.sh "$build/dagtop"
	step "--format openmetrics of report status, sla, slots and fourkeys through promtool, and --output: $build/dagtop (Airflow $SCHEMAS)" "report --format openmetrics and --output" \
	    sh tests/integration/report_metrics.sh "$build/dagtop" $SCHEMAS
	step "report status and sla --format slack: Block Kit's limits, 500 failing DAGs, hostile ids, several contexts: $build/dagtop (Airflow 2.10 and 3.1)" "report --format slack" \
	    sh tests/integration/report_slack.sh "$build/dagtop"
	step "report status with a context whose host name does not resolve (silent name server): $build/dagtop" "report status with a silent name server" \
	    sh tests/integration/report_dns.sh "$build/dagtop"
	step "environments overview in tmux with a context whose host name does not resolve: $build/dagtop (Airflow 2.10)" "overview e2e with a silent name server" \
	    sh tests/e2e/overview_dns.sh "$build/dagtop" 2
done
for build in "$@"; do
	step "report compare, blue 2.10 against green 3.1: $build/dagtop" "report compare" \
	    sh tests/integration/report_compare.sh "$build/dagtop"
	step "console in tmux: the compare window, blue 2.10 against green 3.1: $build/dagtop" "console e2e compare window" \
	    sh tests/e2e/compare.sh "$build/dagtop"
done
# Last, as it stops and starts the server: the console across an outage.
step "console in tmux: $1/dagtop while PostgreSQL restarts" "console e2e across a database restart" \
    env DAGTOP_E2E_RESTART=1 sh tests/e2e/console.sh "$1/dagtop" af2
exit $failed
