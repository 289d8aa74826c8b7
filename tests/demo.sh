#!/bin/sh
# make demo: a throwaway PostgreSQL in a temporary folder, loaded with the
# Airflow 2.10 schema (DAGTOP_DEMO_SCHEMA: 2 for 2.10, 3 for 3.1, 32 for
# 3.2) and two weeks of generated history (DAGs that
# succeed, fail, retry, branch and map; a running run; a paused DAG; a DAG
# with import errors; a compressed serialized DAG), a scheduler that keeps
# heartbeating, the Airflow REST API emulator serving a log for every task
# instance and moving cleared ones through a simulated scheduler (so a rerun
# with R visibly completes), and the dagtop console on it (the status
# report when there is no terminal).  BigQuery too: an emulator serves a
# day of slot usage in three reservations and on demand (a morning peak
# that borrows idle slots, a burst above a reservation's ceiling two hours
# ago), its jobs labelled with the demo's DAGs (b shows the slots pane).  GitHub too:
# an emulator serves four months of deployments, releases, merged pull
# requests and incidents for a few services (D shows the Four Keys).
# SLAs too: four of the DAGs with deadlines, one a task's in Tokyo on
# weekdays (a and W in the console, dagtop report sla).
# Assets too: datasets (assets on 3.x) produced and consumed across DAGs,
# sensors, a trigger and an alias, and a failed ingest whose blast radius
# reaches an SLA due later today (demo_blast_sla).
# Blue/green too (issue 20): a second environment, green, the same DAGs on
# Airflow 3.1 (3.2 when the demo's is 3.1) in the middle of an upgrade
# (demo_green); the console opens on the overview of both, and
# `dagtop report compare demo green` (or :compare) says how green differs.
# Cloud Composer too: the context composer has no database and no URL, only
# composer_environment; the Google emulator answers environments.get with a
# second Airflow API emulator's URL, which takes the Google token
# (:context composer in the console).
# Everything is removed on exit.
set -eu
cd "$(dirname "$0")/.."
. tests/lib/pg.sh
. tests/lib/emu.sh
. tests/lib/bigquery_emu.sh
. tests/lib/github_emu.sh
SCHEMA=${DAGTOP_DEMO_SCHEMA:-2}
case $SCHEMA in
2) RELEASE=2.10 GREEN=3 GREEN_RELEASE=3.1 ;;
3) RELEASE=3.1 GREEN=32 GREEN_RELEASE=3.2 ;;
32) RELEASE=3.2 GREEN=32 GREEN_RELEASE=3.2 ;;
*) echo "demo: DAGTOP_DEMO_SCHEMA is 2 (Airflow 2.10), 3 (3.1) or 32 (3.2), not '$SCHEMA'" >&2; exit 2 ;;
esac
demo=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-demo.XXXXXX")

# Every step runs, whatever fails: set -e would end the clean-up at the
# first (the heartbeat already gone with the terminal's SIGHUP).
cleanup() {
	set +e
	[ -n "${HEARTBEAT_PID:-}" ] && kill "$HEARTBEAT_PID" 2>/dev/null
	emu_stop_all
	bq_emu_stop || true
	gh_emu_stop || true
	[ -n "${BQ_DIR:-}" ] && rm -rf "$BQ_DIR"
	[ -n "${GH_DIR:-}" ] && rm -rf "$GH_DIR"
	pg_stop
	rm -rf "$demo"
}
trap cleanup EXIT

# SLAs: four of the demo's DAGs with deadlines (one a task's, in Tokyo on
# weekdays), so that a and W have met, late, failed and pending days.
demo_sla() {
	set -- $(psql -At -X -d airflow -c "SELECT dag_id FROM dag WHERE NOT is_paused
	    AND dag_id IN (SELECT dag_id FROM dag_run) ORDER BY md5(dag_id) LIMIT 4")
	[ $# -eq 4 ] || return 0
	task=$(psql -At -X -d airflow -c "SELECT task_id FROM task_instance
	    WHERE dag_id = '$3' ORDER BY task_id DESC LIMIT 1")
	cat >>"$demo/config" <<CONF

[sla "warehouse by 06:00"]
dag = $1
deadline = 06:00
owner = data-eng

[sla "dashboards by 09:00"]
dag = $2
deadline = 09:00
owner = analytics
note = the morning dashboards read it

[sla "Tokyo close, weekdays"]
dag = $3
task = $task
deadline = 10:00
timezone = Asia/Tokyo
days = weekdays
owner = finance-jp

[sla "nightly by 23:30"]
dag = $4
deadline = 23:30
owner = data-eng
CONF
}

# The blast radius (issue 19): gen_history's story fails the newest run of
# ingest_orders_from_shop_postgres at its load (try 3/3), so the asset
# bq://dwh/raw/orders is not updated; sales_mart_daily_revenue_by_region,
# scheduled on orders AND customers, waits (customers queued); the sensor of
# exec_dashboard_refresh_morning waits on the mart; and that DAG's SLA is
# due later today (its next run, two and a half hours after it starts, at
# the latest 23:59 UTC): pending, held back upstream.
demo_blast_sla() {
	deadline=$(psql -At -X -d airflow -c "SELECT to_char(least(
	    next_dagrun_create_after + interval '150 minutes',
	    date_trunc('day', now()) + interval '23 hours 59 minutes')
	    AT TIME ZONE 'UTC', 'HH24:MI') FROM dag
	    WHERE dag_id = 'exec_dashboard_refresh_morning'")
	[ -n "$deadline" ] || return 0
	cat >>"$demo/config" <<CONF

[sla "exec dashboard refreshed"]
dag = exec_dashboard_refresh_morning
deadline = $deadline
timezone = UTC
owner = exec-reporting
note = its data waits on ingest_orders through the sales mart
CONF
}

# Green: the same history on Airflow $GREEN_RELEASE, as a team has it early
# in a blue/green upgrade: its DAGs paused, not yet moved, but
# billing_revenue_rollup_events_to_lake, unpaused there and left unpaused
# on blue too (the double run report compare calls critical);
# sales_revenue_rollup_events_incremental ran 40% slower there, the newest
# run of growth_daily_etl_orders_to_lake failed there, and
# marketing.attribution_refunds_incremental's file is not deployed yet.
demo_green() {
	pg_load_schema airflow_green "$GREEN"
	build/rel/gen_history --schema "$GREEN" --dags 32 --days 14 \
	    --now "$NOW" | psql -q -X -v ON_ERROR_STOP=1 -d airflow_green >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d airflow_green <<'SQL' >/dev/null
UPDATE dag SET is_paused = dag_id <> 'billing_revenue_rollup_events_to_lake';
UPDATE dag SET is_stale = true
 WHERE dag_id = 'marketing.attribution_refunds_incremental';
UPDATE task_instance SET end_date = start_date + (end_date - start_date) * 1.4,
       duration = duration * 1.4
 WHERE dag_id = 'sales_revenue_rollup_events_incremental'
   AND end_date IS NOT NULL;
UPDATE dag_run SET end_date = start_date + (end_date - start_date) * 1.4
 WHERE dag_id = 'sales_revenue_rollup_events_incremental'
   AND end_date IS NOT NULL;
WITH r AS (SELECT id, run_id FROM dag_run
            WHERE dag_id = 'growth_daily_etl_orders_to_lake'
              AND state = 'success' ORDER BY logical_date DESC LIMIT 1)
UPDATE dag_run SET state = 'failed' FROM r WHERE dag_run.id = r.id;
UPDATE task_instance SET state = 'failed'
 WHERE (dag_id, run_id, task_id) IN (SELECT t.dag_id, t.run_id, t.task_id
         FROM task_instance t JOIN dag_run r ON r.dag_id = t.dag_id
          AND r.run_id = t.run_id
        WHERE t.dag_id = 'growth_daily_etl_orders_to_lake'
          AND r.state = 'failed' ORDER BY r.logical_date DESC,
          t.end_date DESC LIMIT 1);
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dagtop_reader;
SQL
}

# BigQuery: the emulator, its jobs labelled with the demo's busiest DAGs,
# and the demo context pointed at it with a service-account key.
demo_bigquery() {
	BQ_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-demo-bq.XXXXXX")
	dags=$(psql -At -X -d airflow -c "SELECT string_agg(dag_id, ',') FROM
	    (SELECT dag_id FROM dag WHERE NOT is_paused ORDER BY dag_id LIMIT 6) d")
	bq_emu_start "$BQ_DIR" "$dags" || return 0
	cat >>"$demo/config" <<CONF
bigquery_project = demo-project
bigquery_location = US
bigquery_url = $BQ_EMU_URL/bigquery/v2
google_auth = service-account
google_key_file = $BQ_DIR/sa.json
CONF
	echo "demo: BigQuery emulator on $BQ_EMU_URL (b in the console: slots)"
}

# Cloud Composer: an Airflow API that takes the Google emulator's one token,
# and the environment that names it (bq_emu_start reads BQ_EMU_ARGS).
COMPOSER_ENV=projects/demo-project/locations/us-central1/environments/demo
demo_composer_start() {
	emu_start CMP --airflow "$SCHEMA" \
	    --dsn "host=127.0.0.1 port=$PGPORT dbname=airflow user=$PGUSER" \
	    --auth bearer --token demo-google-token --simulate-scheduler 2 ||
	    return 0
	case $SCHEMA in
	2) image=composer-2.9.7-airflow-2.10.5 ;;
	*) image=composer-3-airflow-3.1.0 ;;
	esac
	BQ_EMU_ARGS="--fixed-token demo-google-token --composer $COMPOSER_ENV=$CMP_URL,$image"
}

# The composer context, once the Google emulator runs: API only.
demo_composer() {
	[ -n "${BQ_EMU_URL:-}" ] && [ -n "${CMP_URL:-}" ] || return 0
	cat >>"$demo/config" <<CONF

[context composer]
composer_environment = $COMPOSER_ENV
composer_url = $BQ_EMU_URL
google_auth = service-account
google_key_file = $BQ_DIR/sa.json
CONF
	echo "demo: Cloud Composer $COMPOSER_ENV on the Google emulator, Airflow API on $CMP_URL (:context composer)"
}

# GitHub: the emulator's demo history, and its services in the config.
demo_github() {
	GH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-demo-gh.XXXXXX")
	gh_emu_start "$GH_DIR" --dataset demo || return 0
	{
		echo
		echo "[dagtop]"
		echo "github_url = $GH_EMU_URL"
		curl -fsS "$GH_EMU_URL/_emu/services"
	} >>"$demo/config" || return 0
	echo "demo: GitHub emulator on $GH_EMU_URL (D in the console: Four Keys)"
}
trap 'exit 130' INT TERM HUP PIPE QUIT

pg_start
pg_load_schema airflow "$SCHEMA"
# One instant for both environments' histories: the same runs on both.
NOW=$(date +%s)
build/rel/gen_history --schema "$SCHEMA" --dags 32 --days 14 --now "$NOW" |
    psql -q -X -v ON_ERROR_STOP=1 -d airflow >/dev/null
# A read-only role, as a real deployment would give dagtop.
psql -q -X -v ON_ERROR_STOP=1 -d airflow <<'SQL' >/dev/null
CREATE ROLE dagtop_reader LOGIN PASSWORD 'demo';
GRANT SELECT ON ALL TABLES IN SCHEMA public TO dagtop_reader;
SQL
demo_green

# The scheduler and triggerer of the demo stay alive while it runs.
(
	while :; do
		psql -q -X -d airflow -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null 2>&1 || exit 0
		psql -q -X -d airflow_green -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null 2>&1 || true
		sleep 5
	done
) &
HEARTBEAT_PID=$!

# The Airflow API: logs for every task instance, clears applied to the
# database, and a scheduler that runs what was cleared.
emu_start API --airflow "$SCHEMA" \
    --dsn "host=127.0.0.1 port=$PGPORT dbname=airflow user=$PGUSER" \
    --auth basic --user demo --password demo --simulate-scheduler 2
cat >"$demo/config" <<CONF
[dagtop]
context = demo
contexts = demo, green

[context-defaults]
database_password_env = PGPASSWORD

[context demo]
database = postgresql://dagtop_reader@127.0.0.1:$PGPORT/airflow
airflow_api = $API_URL
airflow_auth = basic
airflow_user = demo
airflow_password_env = DEMO_AIRFLOW_PASSWORD

[context green]
database = postgresql://dagtop_reader@127.0.0.1:$PGPORT/airflow_green
CONF
chmod 600 "$demo/config"
export DAGTOP_CONFIG="$demo/config" PGPASSWORD=demo DEMO_AIRFLOW_PASSWORD=demo
# The audit log of the demo's reruns stays in the demo's folder.
export DAGTOP_AUDIT_LOG="$demo/audit.log"
echo "demo: Airflow $RELEASE metadata database on 127.0.0.1:$PGPORT, API on $API_URL"
echo "demo: green, Airflow $GREEN_RELEASE, on the same server (database airflow_green)"
demo_composer_start
demo_bigquery
demo_composer
demo_github
demo_sla	# sections of its own: after the contexts' keys
demo_blast_sla
# The ETag cache of the demo stays in the demo's folder.
export XDG_CACHE_HOME="$demo/cache"
if [ -t 0 ] && [ -t 1 ]; then
	# The console; q (at the top) or Q quits, and the demo goes with it.
	./dagtop || true
	exit 0
fi
echo
./dagtop report slots --hours 24 | head -12 || true
echo
./dagtop report fourkeys | head -16 || true
if [ -n "${CMP_URL:-}" ]; then
	echo
	./dagtop --context composer config check --connect 2>&1 |
	    grep -E '^(connect|airflow|token): ' || true
fi
# The story's failure and what it holds back (i in the console).
set -- $(psql -At -X -d airflow -c "SELECT run_id, task_id FROM task_instance
    WHERE dag_id = 'ingest_orders_from_shop_postgres' AND state = 'failed'
    ORDER BY end_date DESC LIMIT 1" | tr '|' ' ')
rc=3
if [ $# -eq 2 ]; then
	rc=0
	./dagtop report impact ingest_orders_from_shop_postgres "$1" "$2" \
	    >"$demo/impact" 2>/dev/null || rc=$?
fi
if [ $rc -le 2 ]; then
	echo
	head -20 "$demo/impact"
fi
echo
./dagtop report compare demo green | head -12 || true
# The team lead's Monday page, about the week so far here.
echo
./dagtop --context demo report digest --week this | head -24 || true
echo
status=0
./dagtop report status || status=$?
echo
echo "(dagtop report status exited $status: 0 all good, 1 needs attention, 2 critical;"
echo " on a terminal, make demo opens the console)"
