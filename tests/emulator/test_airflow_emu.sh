#!/bin/sh
# test_airflow_emu.sh SCHEMA: checks the Airflow API emulator's reads against
# the database they come from (after run.sh loaded af<SCHEMA> and
# af<SCHEMA>_down): every list followed over pages of 5 gives exactly
# total_entries rows, as many as the tables hold; every answer matches the
# OpenAPI response schema (--self-test); health follows the job heartbeats;
# requests the spec refuses are answered in the version's error shape and
# listed at /_emu/invalid; reads and read-only POSTs are counted apart from
# writes.  Exits non-zero on a failure.
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
v=$1
trap 'emu_stop_all' EXIT
trap 'exit 130' INT TERM HUP PIPE
for db in "" _down; do
	emu_start "E$(echo "$db" | tr -d _)" --airflow "$v" --page-limit 5 --self-test \
	    --dsn "host=127.0.0.1 port=$PGPORT dbname=af$v$db user=postgres" || exit 1
done
/usr/bin/python3 - "$v" "$E_URL" "$Edown_URL" "host=127.0.0.1 port=$PGPORT dbname=af$v user=postgres" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request
import psycopg2

v, url, down, dsn = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
api = url + ("/api/v1" if v == "2" else "/api/v2")
v2 = v != "2"
fails = []


def call(u, body=None, method=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(u, data=data, method=method or ("POST" if data else "GET"),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def check(what, cond):
    if not cond:
        print("FAIL (Airflow schema %s): emulator: %s" % (v, what), file=sys.stderr)
        fails.append(what)


def pages(path, key, ident, query="", body=None):
    """Every row of a list, page by page: (rows, total, requests)."""
    rows, offset, n, total = [], 0, 0, None
    while True:
        n += 1
        if body is None:
            sep = "&" if "?" in path else "?"
            st, d = call(api + path + sep + "limit=50&offset=%d" % offset + query)
        else:
            b = dict(body, page_offset=offset)
            if v2 or "dagRuns/list" in path and not path.endswith("taskInstances/list"):
                b["page_limit"] = 50
            st, d = call(api + path, b)
        if st != 200:
            check("%s: HTTP %d %s" % (path, st, d), False)
            return rows, total, n
        total = d["total_entries"]
        got = d[key]
        if len(got) > 5 and (v2 or not path.endswith("taskInstances/list")):
            check("%s: a page of %d rows above the page limit 5" % (path, len(got)), False)
        rows += [ident(r) for r in got]
        offset += len(got)
        if not got or offset >= total or n > 100:
            return rows, total, n


conn = psycopg2.connect(dsn)
cur = conn.cursor()


def sql(q):
    cur.execute(q)
    return cur.fetchone()[0]


active = "NOT coalesce(is_stale, false)" if v2 else "coalesce(is_active, false)"
stale_arg = "exclude_stale=false" if v2 else "only_active=false"
cases = [
    ("/dags", "dags", lambda r: r["dag_id"], "", None, sql("SELECT count(*) FROM dag WHERE " + active)),
    ("/dags?" + stale_arg, "dags", lambda r: r["dag_id"], "", None, sql("SELECT count(*) FROM dag")),
    ("/dags/~/dagRuns", "dag_runs", lambda r: (r["dag_id"], r["dag_run_id"]), "", None, sql("SELECT count(*) FROM dag_run")),
    # The console's incremental refresh: the runs Airflow wrote since.
    ("/dags/~/dagRuns?order_by=id&updated_at_gte=2000-01-01T00:00:00Z", "dag_runs",
     lambda r: (r["dag_id"], r["dag_run_id"]), "", None,
     sql("SELECT count(*) FROM dag_run WHERE updated_at >= '2000-01-01T00:00:00Z'")),
    ("/dags/~/dagRuns?state=failed", "dag_runs", lambda r: (r["dag_id"], r["dag_run_id"]), "", None,
     sql("SELECT count(*) FROM dag_run WHERE state = 'failed'")),
    ("/dags/~/dagRuns/list", "dag_runs", lambda r: (r["dag_id"], r["dag_run_id"]), "",
     {"dag_ids": ["etl_daily", "mapped.dag"], "states": ["failed", "success", "running"]},
     sql("SELECT count(*) FROM dag_run WHERE dag_id IN ('etl_daily', 'mapped.dag') AND state IN ('failed', 'success', 'running')")),
    ("/dags/~/dagRuns/~/taskInstances", "task_instances",
     lambda r: (r["dag_id"], r["dag_run_id"], r["task_id"], r["map_index"]), "", None, sql("SELECT count(*) FROM task_instance")),
    ("/dags/~/dagRuns/~/taskInstances/list", "task_instances",
     lambda r: (r["dag_id"], r["dag_run_id"], r["task_id"], r["map_index"]), "", {"dag_ids": ["etl_daily", "mapped.dag"]},
     sql("SELECT count(*) FROM task_instance WHERE dag_id IN ('etl_daily', 'mapped.dag')")),
    ("/dags/mapped.dag/dagRuns/scheduled__d1/taskInstances/process/listMapped", "task_instances",
     lambda r: r["map_index"], "", None,
     sql("SELECT count(*) FROM task_instance WHERE dag_id = 'mapped.dag' AND run_id = 'scheduled__d1' AND task_id = 'process' AND map_index >= 0")),
    ("/pools", "pools", lambda r: r["name"], "", None, sql("SELECT count(*) FROM slot_pool")),
]
for path, key, ident, q, body, want in cases:
    rows, total, n = pages(path, key, ident, q, body)
    if not v2 and path.endswith("taskInstances/list"):
        check("%s: v1's batch form is not paged: %d rows in one answer" % (path, len(rows)), n == 1 or len(rows) == want)
        continue
    check("%s: total_entries %s, the database has %d" % (path, total, want), total == want)
    check("%s: %d rows over %d pages, all distinct" % (path, len(rows), n), len(rows) == want and len(set(rows)) == want)

st, d = call(api + "/dags/etl_daily/tasks")
graph = {t["task_id"]: sorted(t["downstream_task_ids"]) for t in d.get("tasks", [])}
check("the task graph of etl_daily from serialized_dag: %s" % graph, st == 200 and graph.get("extract") and "transform" in graph["extract"])

health = "/monitor/health" if v2 else "/health"
st, d = call(api + health)
check("scheduler healthy with a fresh heartbeat: %s" % d.get("scheduler"), d["scheduler"]["status"] == "healthy")
st, d = call(down + ("/api/v2" if v2 else "/api/v1") + health)
check("scheduler unhealthy ten minutes after its heartbeat: %s" % d.get("scheduler"), d["scheduler"]["status"] == "unhealthy")

# Requests the spec refuses: the real error shape, and listed.
call(url + "/_emu/invalid", method="DELETE")
st, d = call(api + "/dags?limit=-1" if v2 else api + "/dags?limit=x")
check("a bad limit: %d %s" % (st, d), (st, "detail" in d and isinstance(d["detail"], list)) == (422, True) if v2
      else st == 400 and d.get("title") == "Bad Request" and d.get("status") == 400)
st, d = call(api + "/dags?frobnicate=1")
check("an unknown query parameter is refused: %d" % st, st == (422 if v2 else 400))
st, d = call(api + "/dags/~/dagRuns/list", {"dag_ids": "etl_daily"})
check("a body against the schema is refused: %d" % st, st == (422 if v2 else 400))
st, d = call(api + "/dags/~/dagRuns?" + ("logical_date_gte" if v2 else "execution_date_gte") + "=2026-01-01T00:00:00")
check("a date-time without a zone is refused: %d" % st, st == (422 if v2 else 400))
st, d = call(url + "/_emu/invalid")
bad = [i for i in d["invalid"] if not i.get("response")]
check("/_emu/invalid lists the four: %d" % len(bad), d["validating"] and len(bad) == 4)
answers = [i for i in d["invalid"] if i.get("response")]
check("every answer matched the response schema (%s)" % answers[:2], not answers)

call(url + "/_emu/requests", method="DELETE")
call(api + "/dags")
call(api + "/dags/~/dagRuns/list", {"dag_ids": ["etl_daily"]})
call(api + "/dags/~/dagRuns/~/taskInstances/list", {"dag_ids": ["etl_daily"]})
call(api + "/dags/etl_daily/clearTaskInstances", {"dry_run": True, "task_ids": ["transform"]})
st, d = call(url + "/_emu/requests")
check("counted: %d reads, %d read POSTs, %d writes" % (d["reads"], d["read_posts"], d["writes"]),
      (d["reads"], d["read_posts"], d["writes"]) == (1, 2, 1) and len(d["requests"]) == 4)
if not fails:
    print("Airflow API emulator (schema %s): all checks passed" % v)
sys.exit(1 if fails else 0)
PY
