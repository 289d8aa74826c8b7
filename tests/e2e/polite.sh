#!/bin/sh
# Issue 18, "stay polite under load": the console against its own copy of
# the Airflow database, as a DBA sees it.  One connection, named dagtop in
# pg_stat_activity, through a refresh with an SLA, an open run, :context
# and a reconnection; statements run again by name (prepared once); a
# refresh slowed by a lock doubles the interval, says so and shows it in
# the header, and the next fast one brings it back; r during a slow refresh
# starts no second one beside it.
# Run by run.sh for each build and schema.
# Usage: polite.sh DAGTOP_BINARY SCHEMA   (2: 2.10, 3: 3.1, 32: 3.2)
set -u
bin=$1
v=$2
name=polite
. tests/lib/e2e_db.sh

pg_load_schema "$db" "$v"
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
psql -q -X -d "$db" -c 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader' >/dev/null
psql -q -X -d "$db" -c "UPDATE job SET latest_heartbeat = now() WHERE state = 'running'" >/dev/null

# refresh at its floor; slow_refresh 3 s, so that a loaded machine's
# ordinary refresh is never the slow one.
{
	e2e_context one db "refresh = 2" "slow_refresh = 3"
	e2e_context two db "refresh = 2" "slow_refresh = 3"
	printf '[sla "etl"]\ndag = etl_daily\ndeadline = 10:00\ntimezone = UTC\n'
} | e2e_config
trace=$home/trace.sql
ENV="$E2E_ENV DAGTOP_TRACE_SQL=$trace"

# The console's sessions on the test's database: "COUNT|NAMES".
sessions() {
	psql -X -A -t -q -d "$db" -c "SELECT count(*) || '|' ||
	    coalesce(string_agg(DISTINCT application_name, ','), '')
	    FROM pg_stat_activity WHERE datname = current_database()
	    AND usename = 'reader'"
}
# one_session WHEN: within 5 s, exactly one session, named dagtop; and
# never two on the way.
one_session() {
	i=0
	while [ $i -lt 50 ]; do
		s=$(sessions)
		case $s in
		2*|3*|4*) fail "$1: $s sessions of the console"; return ;;
		"1|dagtop") return ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "$1: the console's sessions are '$s', not one named dagtop"
}
# Health reads sent so far (one per refresh: the first read of each).
health_reads() { grep -c 'FROM job' "$trace" 2>/dev/null || echo 0; }
header() { $T capture-pane -p -t e2e | head -1; }
# lock SECONDS: another session holds the DAG table for that long; returns
# once it holds it.
lock() {
	psql -X -q -d "$db" -c "BEGIN; LOCK TABLE dag IN ACCESS EXCLUSIVE MODE;
	    SELECT pg_sleep($1); COMMIT;" >/dev/null 2>&1 &
	lock_pid=$!
	i=0
	until [ "$(sql "SELECT count(*) FROM pg_locks l JOIN pg_class c ON
	    c.oid = l.relation WHERE c.relname = 'dag' AND
	    l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ] ||
	    [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

e2e_console_start one 80x24
expect "DAGs (11)" 15
one_session "started"
# --- prepared once: after two refreshes, statements run by name -------------
i=0
until grep -q '^-- prepared dagtop_' "$trace" 2>/dev/null || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q '^-- prepared dagtop_' "$trace" ||
    fail "no statement ran by name after several refreshes"
# The trace stays what tests/bench/trace2sql.awk reads: a PREPARE and an
# EXECUTE per query.
n=$(grep -c '^-- query ' "$trace")
[ "$(awk -f tests/bench/trace2sql.awk "$trace" | grep -c '^EXECUTE')" -ge "$n" ] ||
    fail "trace2sql.awk does not read every query of the trace"
# An open run (its tasks and graph) reads through the same session.
keys Enter
keys Enter
sleep 1
one_session "a run open"
keys Escape
keys Escape

# --- a slow refresh doubles the interval, a fast one brings it back ---------
lock 8
expect "every 4 s now" 15
header | grep -q "every 4 s" || fail "the header does not show the interval in use"
expect "every 2 s again" 15
sleep 0.5
header | grep -q "every" && fail "the header still shows a longer interval"
wait $lock_pid 2>/dev/null

# --- a refresh never starts while the last one runs -------------------------
lock 6
# The refresh blocked on the lock: one read of health went out before it.
i=0
until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname =
    current_database() AND usename = 'reader' AND wait_event_type = 'Lock'")" = 1 ] ||
    [ $i -ge 60 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ $i -lt 60 ] || fail "the console's refresh never waited on the lock"
before=$(health_reads)
keys r
keys r
wait $lock_pid 2>/dev/null
sleep 1.5
# After the lock: the refresh that waited ends, and r's one follows it; two
# more (r beside the one running) would have been three.
after=$(health_reads)
[ "$after" -le $((before + 1)) ] ||
    fail "r during a slow refresh started another beside it ($before health reads, then $after)"
one_session "after r during a slow refresh"

# --- :context: the old session goes, one stays ------------------------------
keys : ; keys "context two" Enter
expect "DAGs (11)" 15
one_session ":context two"
# --- the connection dies: the console reconnects, still one -----------------
psql -X -q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE datname = current_database() AND usename = 'reader'" >/dev/null
sleep 3
one_session "a reconnection"
expect "DAGs (11)" 15
e2e_console_quit one

if [ $fails -ne 0 ]; then
	echo "polite e2e ($bin, schema $v): $fails failed" >&2
	exit 1
fi
echo "polite e2e ($bin, schema $v): all checks passed"
