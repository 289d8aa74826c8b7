#!/bin/sh
# The blast radius on the bench database (issue 19): the failed task whose
# failure holds back the most DAGs, found by a query of the bench's own
# (a DAG-level closure over asset, sensor and trigger edges, from the
# outlets of the tasks that did not run to success in each DAG's newest
# failed run; an asset edge counts when the consumer's condition has no
# any, which another branch may still feed; compressed serialized DAGs'
# sensors and triggers are not counted there), then `report impact DAG RUN TASK --format json` on it,
# with SLAs on some of the DAGs it holds back: its time, median of a few
# runs, and the statements it sent with their DB ms (pg_stat_statements,
# tests/bench/lib.sh); then `report why` on the SLA of the DAG farthest
# downstream.  Run by bench.sh, which has the server up; usage: deps.sh
# CONNINFO (as dagtop_bench).  A dagtop without a working `report impact`
# is skipped with a line that says so.
set -u
db=$1
rounds=${DAGTOP_BENCH_DEPS_ROUNDS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-bench-deps.XXXXXX")
. tests/bench/lib.sh
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE QUIT

# Datasets (2.x) or assets (3.x); active DAGs by is_active or NOT is_stale.
a=dataset
active="d.is_active"
if [ "$(psql -X -A -t -d "$db" -c "SELECT to_regclass('asset') IS NOT NULL")" = t ]; then
	a=asset
	active="NOT d.is_stale"
fi
expr=${a}_expression
# root|run|task|held|farthest DAG|DAGs held back (comma separated, nearest first)
pick=$(psql -X -A -t -F '|' -d "$db" <<SQL
WITH RECURSIVE latest AS (
	SELECT DISTINCT ON (dag_id) dag_id, data FROM serialized_dag
	WHERE data IS NOT NULL ORDER BY dag_id, last_updated DESC
), edge(src, src_task, dst) AS (
	SELECT e->>'source', CASE e->>'dependency_type' WHEN 'trigger'
	    THEN e->>'dependency_id' END, e->>'target'
	FROM latest l, json_array_elements(l.data->'dag'->'dag_dependencies') e
	WHERE e->>'dependency_type' IN ('sensor', 'trigger')
    UNION ALL
	SELECT o.dag_id, o.task_id, r.dag_id
	FROM task_outlet_${a}_reference o
	JOIN dag_schedule_${a}_reference r ON r.${a}_id = o.${a}_id
	JOIN dag c ON c.dag_id = r.dag_id
	WHERE coalesce(c.$expr::text, '') NOT LIKE '%"any"%'
), failed AS (
	SELECT * FROM (SELECT DISTINCT ON (dag_id) dag_id, run_id, state
	    FROM dag_run ORDER BY dag_id, start_date DESC) n
	WHERE state = 'failed'
), reach(root, dag_id, hops) AS (
	SELECT DISTINCT f.dag_id, e.dst, 1 FROM failed f
	JOIN edge e ON e.src = f.dag_id
	WHERE e.src_task IS NULL OR EXISTS (SELECT 1 FROM task_instance ti
	    WHERE ti.dag_id = f.dag_id AND ti.run_id = f.run_id
	    AND ti.task_id = e.src_task
	    AND ti.state IN ('failed', 'upstream_failed'))
    UNION
	SELECT h.root, e.dst, h.hops + 1 FROM reach h
	JOIN edge e ON e.src = h.dag_id WHERE h.hops < 30
), held AS (
	SELECT h.root, h.dag_id, min(h.hops) AS hops FROM reach h
	JOIN dag d ON d.dag_id = h.dag_id AND $active
	WHERE h.dag_id <> h.root GROUP BY 1, 2
), best AS (
	SELECT root, count(*) AS n FROM held GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1
)
SELECT b.root, f.run_id,
    (SELECT ti.task_id FROM task_instance ti WHERE ti.dag_id = f.dag_id
     AND ti.run_id = f.run_id AND ti.state = 'failed'
     ORDER BY ti.end_date, ti.task_id LIMIT 1),
    b.n,
    (SELECT h.dag_id FROM held h WHERE h.root = b.root
     ORDER BY h.hops DESC, h.dag_id LIMIT 1),
    (SELECT string_agg(h.dag_id, ',' ORDER BY h.hops, h.dag_id)
     FROM held h WHERE h.root = b.root)
FROM best b JOIN failed f ON f.dag_id = b.root
SQL
)
IFS='|' read -r root run task nheld far held <<EOF2
$pick
EOF2
if [ -z "${task:-}" ]; then
	echo "report impact: no failed task in a DAG's newest run holds anything back; skipped"
	bench_summary "report impact: DB time" "skipped (nothing to hold back)"
	exit 0
fi

# SLAs: on the farthest DAG held back, on the first few, and a hundred on
# DAGs picked across the list, as a real configuration has.
{
	printf '[sla "deps farthest"]\ndag = %s\ndeadline = 23:30\n\n' "$far"
	echo "$held" | tr ',' '\n' | head -n 5 | awk '{
		printf "[sla \"deps held %d\"]\ndag = %s\ndeadline = %02d:15\n\n", NR, $1, (NR * 5) % 24 }'
	psql -X -A -t -d "$db" -c "SELECT dag_id FROM dag ORDER BY md5(dag_id) LIMIT 100" |
	    awk '{ printf "[sla \"deps other %03d\"]\ndag = %s\ndeadline = %02d:%02d\n\n", NR, $1, NR % 24, (NR * 7) % 60 }'
} >"$work/config"
chmod 600 "$work/config"

impact() {
	env HOME="$work" "$(pwd)/dagtop" --config "$work/config" --database "$db" \
	    report impact "$root" "$run" "$task" --format json >"$work/out.json" 2>"$work/err"
	rc=$?
}
why() {
	env HOME="$work" "$(pwd)/dagtop" --config "$work/config" --database "$db" \
	    report why "deps farthest" --format json >"$work/why.json" 2>"$work/why.err"
	wrc=$?
}
# Whether a report answered: an exit status of the scheme (0 all good, 1
# needs attention, 2 critical; not 3, cannot tell) and JSON.
answered() {
	[ "$1" -le 2 ] && /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$2" 2>/dev/null
}

echo "report impact $root $run $task: the failure holds back $nheld DAGs (the bench's own query), the farthest $far"
impact
if ! answered "$rc" "$work/out.json"; then
	echo "  skipped: this dagtop has no working report impact yet (exit $rc: $(head -n 1 "$work/err"))"
	bench_summary "report impact: DB time" "skipped (no working report impact)"
	exit 0
fi
bench_measure impact "$rounds" "$work/stmts"
held_json=$(/usr/bin/python3 -c '
import json, sys
h = json.load(open(sys.argv[1])).get("held_back", {})
print("%s DAGs, %s assets, %s tasks and %s SLAs" % tuple(
    h.get(k, "?") for k in ("dags", "assets", "tasks", "slas")))' "$work/out.json" 2>/dev/null || echo "?")
echo "  dagtop: it holds back $held_json"
echo "  time: $BENCH_MS ms, median of $rounds runs (exit $rc)"
ms=$PGSS_MS calls=$PGSS_CALLS
echo "  statements: $calls (target <= 4), $ms DB ms (target < 100 ms); each:"
cat "$work/stmts"
bench_summary "report impact: DB time" "$ms ms (target < 100 ms)"
bench_summary "report impact: statements" "$calls (target <= 4)"
bench_summary "report impact: time" "$BENCH_MS ms"

why
if answered "$wrc" "$work/why.json"; then
	bench_measure why "$rounds" "$work/wstmts"
	echo "report why \"deps farthest\" (SLA on $far):"
	echo "  time: $BENCH_MS ms, median of $rounds runs (exit $wrc)"
	echo "  statements: $PGSS_CALLS, $PGSS_MS DB ms; each:"
	cat "$work/wstmts"
	bench_summary "report why: DB time, statements" "$PGSS_MS ms, $PGSS_CALLS"
else
	echo "report why: skipped, no working report why in this dagtop (exit $wrc: $(head -n 1 "$work/why.err"))"
fi
