#!/bin/sh
# test_airflow_emu.sh SCHEMA: checks the Airflow API emulator's reads against
# the database they come from (after run.sh loaded af<SCHEMA> and
# af<SCHEMA>_down): every list followed over pages of 5 gives exactly
# total_entries rows, as many as the tables hold; every answer matches the
# OpenAPI response schema (--self-test); health follows the job heartbeats;
# requests the spec refuses are answered in the version's error shape and
# listed at /_emu/invalid; reads and read-only POSTs are counted apart from
# writes.  The dataset (2.x) and asset (3.x) reads the same way on
# af<SCHEMA>_deps (run.sh's dependency scenario): assets, aliases, events
# and a consumer's queue as the tables hold them.  Exits non-zero on a
# failure.
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
emu_start Edeps --airflow "$v" --page-limit 5 --self-test \
    --dsn "host=127.0.0.1 port=$PGPORT dbname=af${v}_deps user=postgres" || exit 1
/usr/bin/python3 - "$v" "$E_URL" "$Edown_URL" "host=127.0.0.1 port=$PGPORT dbname=af$v user=postgres" \
    "$Edeps_URL" "host=127.0.0.1 port=$PGPORT dbname=af${v}_deps user=postgres" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request
import psycopg2

v, url, down, dsn, deps_url, deps_dsn = sys.argv[1:7]
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


def pages(path, key, ident, query="", body=None, base=None):
    """Every row of a list, page by page: (rows, total, requests); from
    the API at base (default: the emulator on af<SCHEMA>)."""
    base = base or api
    rows, offset, n, total = [], 0, 0, None
    while True:
        n += 1
        if body is None:
            sep = "&" if "?" in path else "?"
            st, d = call(base + path + sep + "limit=50&offset=%d" % offset + query)
        else:
            b = dict(body, page_offset=offset)
            if v2 or "dagRuns/list" in path and not path.endswith("taskInstances/list"):
                b["page_limit"] = 50
            st, d = call(base + path, b)
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
# The dataset/asset reads on the dependency scenario: every list as the
# tables hold it, the consumer's queue, a DAG with none queued a 404, and
# no answer the response schema refuses.
dapi = deps_url + ("/api/v2" if v2 else "/api/v1")
conn.close()
conn = psycopg2.connect(deps_dsn)
cur = conn.cursor()
t = "asset" if v2 else "dataset"
cases = [
    ("/assets?only_active=false" if v2 else "/datasets", "assets" if v2 else "datasets",
     lambda r: (r["id"], r["uri"]), sql("SELECT count(*) FROM " + t)),
    ("/assets/events" if v2 else "/datasets/events", "asset_events" if v2 else "dataset_events",
     lambda r: r["id"], sql("SELECT count(*) FROM " + t + "_event")),
]
if v2:
    cases += [
        ("/assets", "assets", lambda r: (r["id"], r["uri"]),
         sql("SELECT count(*) FROM asset a WHERE EXISTS (SELECT 1 FROM asset_active x WHERE x.name = a.name AND x.uri = a.uri)")),
        ("/assets/aliases", "asset_aliases", lambda r: r["name"], sql("SELECT count(*) FROM asset_alias")),
    ]
for path, key, ident, want in cases:
    rows, total, n = pages(path, key, ident, base=dapi)
    check("deps %s: total_entries %s, the database has %d" % (path, total, want), total == want and want > 0)
    check("deps %s: %d rows over %d pages, all distinct" % (path, len(rows), n), len(rows) == want and len(set(rows)) == want)
queue = "/assets/queuedEvents" if v2 else "/datasets/queuedEvent"
want = sql("SELECT count(*) FROM " + t + "_dag_run_queue WHERE target_dag_id = 'sales_mart'")
st, d = call(dapi + "/dags/sales_mart" + queue)
got = d.get("queued_events" if v2 else "datasets", []) if st == 200 else []
check("deps: sales_mart's queue: HTTP %d, %d entries, the database has %d" % (st, len(got), want),
      st == 200 and len(got) == want > 0 and d.get("total_entries") == want)
st, d = call(dapi + "/dags/ingest_orders" + queue)
check("deps: nothing queued for ingest_orders is a 404: %d" % st, st == 404)
st, d = call(deps_url + "/_emu/invalid")
check("deps: every answer matched the response schema (%s)" % d["invalid"][:2], d["validating"] and not d["invalid"])

if not fails:
    print("Airflow API emulator (schema %s): all checks passed" % v)
sys.exit(1 if fails else 0)
PY
