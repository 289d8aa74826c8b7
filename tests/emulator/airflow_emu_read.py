"""The read endpoints of the Airflow API emulator: DAGs, runs, task
instances, tasks, pools, import errors, health and version, answered from
the test database as Airflow 2.10 (API v1) and 3.1/3.2 (API v2) answer them.

serve(emu, method, path, params) answers (status, document) or None when
the path is not a read endpoint here.  params are the request's parameters
as openapi_check coerced them (spec defaults filled in; "__body__" holds a
JSON body).  Every list is paged: limit (or page_limit) is capped at the
emulator's --page-limit, Airflow's maximum_page_limit, and total_entries
counts every matching row.
"""

import datetime
import json
import re
import urllib.parse
import zlib

import psycopg2.extras

ROUTES = []
# The filters each list applies (v1 and v2 names; the spec has refused the
# other version's already).  A parameter or body field the spec allows but
# the route does not apply is recorded at /_emu/invalid as unsupported: a
# test then fails rather than read an unfiltered answer as a filtered one.
PAGE = "limit offset order_by"
DATES = ("(execution_date|logical_date|run_after|start_date|end_date|updated_at|duration)"
         "_(gte|gt|lte|lt)")
RUN_FILTERS = PAGE + " state run_type run_id_pattern dag_ids states page_offset page_limit " + DATES
TI_FILTERS = (PAGE + " state pool queue executor task_id try_number map_index operator dag_ids dag_run_ids "
              "task_ids page_offset page_limit " + DATES)


def route(method, pattern, handles=""):
    """Registers fn for method and pattern (under the API prefix)."""
    names = handles.split()
    rx = re.compile("^(" + "|".join(names) + ")$") if names else None

    def deco(fn):
        ROUTES.append((method, re.compile("^" + pattern + "$"), fn, rx))
        return fn
    return deco


def iso(v):
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        return v.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    return v.isoformat()


class Ctx:
    """One request: the emulator, a cursor, the parameters, helpers."""

    def __init__(self, emu, cur, params):
        self.emu = emu
        self.cur = cur
        self.p = params
        self.v2 = emu.major == 3
        self.cols = {}

    def columns(self, table):
        if table not in self.cols:
            self.cur.execute("SELECT column_name FROM information_schema.columns "
                             "WHERE table_schema = current_schema() AND table_name = %s", (table,))
            self.cols[table] = {r["column_name"] for r in self.cur.fetchall()}
        return self.cols[table]

    def page(self, limit_key="limit", offset_key="offset"):
        """(limit, offset): Airflow caps the limit at maximum_page_limit."""
        limit = self.p.get(limit_key)
        if limit is None:
            limit = 50 if self.v2 else 100
        if not self.v2 and limit == 0:
            limit = 100                 # v1: 0 means the default
        limit = min(limit, self.emu.page_limit)
        return limit, self.p.get(offset_key) or 0

    def body(self):
        return self.p.get("__body__") or {}


def paged(ctx, select, where, args, order, limit, offset, key, make):
    """SELECT one page and the total: {key: [...], total_entries: N}."""
    w = (" WHERE " + " AND ".join(where)) if where else ""
    ctx.cur.execute("SELECT count(*) AS n FROM (" + select + w + ") q", args)
    total = ctx.cur.fetchone()["n"]
    ctx.cur.execute(select + w + " ORDER BY " + order + " LIMIT %s OFFSET %s", args + [limit, offset])
    return 200, {key: [make(ctx, r) for r in ctx.cur.fetchall()], "total_entries": total}


def order_sql(ctx, order_by, allowed, default):
    """ORDER BY for Airflow's order_by ("-" descending), with a tie-break."""
    if order_by is None or order_by == []:
        order_by = [default]
    if isinstance(order_by, str):
        order_by = [order_by]
    out = []
    for o in order_by:
        desc = o.startswith("-")
        name = o.lstrip("-")
        if name not in allowed:
            return None, name
        out.append(allowed[name] + (" DESC NULLS LAST" if desc else " ASC NULLS FIRST"))
    out.append(allowed[default.lstrip("-")])
    return ", ".join(out), None


def bad_order(ctx, name):
    msg = "Ordering with '%s' is disallowed or the attribute does not exist on the model" % name
    if ctx.v2:
        return 400, {"detail": msg}
    return 400, {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": msg}


def not_found(ctx, title, detail):
    if ctx.v2:
        return 404, {"detail": detail}
    return 404, {"type": "about:blank", "title": title, "status": 404, "detail": detail}


def date_filters(ctx, src, fields, where, args):
    """name_gte/_gt/_lte/_lt filters of src (a dict) on SQL columns."""
    ops = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<"}
    for name, col in fields.items():
        for suffix, op in ops.items():
            v = src.get(name + "_" + suffix)
            if v is not None:
                where.append(col + " " + op + " %s::timestamptz")
                args.append(v)


def in_filter(col, values, where, args, none_words=("none", "no_status")):
    """col IN values; Airflow's "none" (v1) or "no_status" (v2) is NULL."""
    if not values:
        return
    vals = [v for v in values if v not in none_words and v is not None]
    has_null = len(vals) != len(values)
    parts = []
    if vals:
        parts.append(col + " = ANY(%s)")
        args.append(vals)
    if has_null:
        parts.append(col + " IS NULL")
    where.append("(" + " OR ".join(parts) + ")")


# --- version and health ----------------------------------------------------

@route("GET", r"/version")
def version(ctx, m):
    return 200, {"version": ctx.emu.release, "git_version": None}


THRESHOLDS = {"SchedulerJob": 30.0, "TriggererJob": 30.0, "DagProcessorJob": 5.0 * 2.1}


def component(ctx, job_type, key):
    """Airflow's most_recent_job and Job.is_alive for one job type."""
    ctx.cur.execute("""SELECT state, latest_heartbeat,
                       extract(epoch FROM now() - latest_heartbeat)::float8 AS age
                       FROM job WHERE job_type = %s
                       ORDER BY (state = 'running') DESC NULLS LAST, latest_heartbeat DESC NULLS LAST LIMIT 1""",
                    (job_type,))
    j = ctx.cur.fetchone()
    if j is None:
        status = "unhealthy" if job_type == "SchedulerJob" else None
        return {"status": status, key: None}
    alive = j["state"] == "running" and j["age"] is not None and j["age"] < THRESHOLDS[job_type]
    return {"status": "healthy" if alive else "unhealthy", key: iso(j["latest_heartbeat"])}


def health(ctx, m):
    return 200, {
        "metadatabase": {"status": "healthy"},
        "scheduler": component(ctx, "SchedulerJob", "latest_scheduler_heartbeat"),
        "triggerer": component(ctx, "TriggererJob", "latest_triggerer_heartbeat"),
        "dag_processor": component(ctx, "DagProcessorJob", "latest_dag_processor_heartbeat"),
    }


route("GET", r"/health")(health)
route("GET", r"/monitor/health")(health)


# --- DAGs ---------------------------------------------------------------------

def dag_select(ctx):
    c = ctx.columns("dag")
    tags = ("(SELECT coalesce(array_agg(t.name ORDER BY t.name), '{}') FROM dag_tag t WHERE t.dag_id = d.dag_id)"
            if ctx.columns("dag_tag") else "'{}'::text[]")
    return "SELECT d.*, " + tags + " AS tag_names FROM dag d", c


def dag_json(ctx, r, details=False):
    owners = [o.strip() for o in (r.get("owners") or "").split(",") if o.strip()]
    tags = [{"name": t, "dag_id": r["dag_id"]} if ctx.v2 else {"name": t} for t in r["tag_names"] or []]
    d = {
        "dag_id": r["dag_id"],
        "dag_display_name": r.get("dag_display_name") or r["dag_id"],
        "is_paused": bool(r.get("is_paused")),
        "description": r.get("description"),
        "fileloc": r.get("fileloc") or "",
        "file_token": "emu." + r["dag_id"],
        "owners": owners,
        "tags": tags,
        "timetable_description": r.get("timetable_description"),
        "max_active_tasks": r.get("max_active_tasks") or 16,
        "max_active_runs": r.get("max_active_runs"),
        "max_consecutive_failed_dag_runs": r.get("max_consecutive_failed_dag_runs") or 0,
        "has_task_concurrency_limits": bool(r.get("has_task_concurrency_limits")),
        "has_import_errors": bool(r.get("has_import_errors")),
        "last_parsed_time": iso(r.get("last_parsed_time")),
        "last_expired": iso(r.get("last_expired")),
        "next_dagrun_data_interval_start": iso(r.get("next_dagrun_data_interval_start")),
        "next_dagrun_data_interval_end": iso(r.get("next_dagrun_data_interval_end")),
    }
    if ctx.v2:
        d.update({
            "is_stale": bool(r.get("is_stale")),
            "timetable_summary": r.get("timetable_summary"),
            "timetable_partitioned": bool(r.get("timetable_partitioned")),
            "bundle_name": r.get("bundle_name"),
            "bundle_version": r.get("bundle_version"),
            "relative_fileloc": r.get("relative_fileloc"),
            "last_parse_duration": r.get("last_parse_duration"),
            "next_dagrun_logical_date": iso(r.get("next_dagrun")),
            "next_dagrun_run_after": iso(r.get("next_dagrun_create_after")),
        })
    else:
        si = r.get("schedule_interval")
        if isinstance(si, str):
            try:
                si = json.loads(si)
            except ValueError:
                si = {"__type": "CronExpression", "value": si}
        if isinstance(si, str):
            si = {"__type": "CronExpression", "value": si}
        d.update({
            "is_active": bool(r.get("is_active")),
            "is_subdag": bool(r.get("is_subdag")),
            "root_dag_id": r.get("root_dag_id"),
            "default_view": r.get("default_view"),
            "last_pickled": iso(r.get("last_pickled")),
            "pickle_id": r.get("pickle_id"),
            "scheduler_lock": r.get("scheduler_lock"),
            "schedule_interval": si,
            "next_dagrun": iso(r.get("next_dagrun")),
            "next_dagrun_create_after": iso(r.get("next_dagrun_create_after")),
        })
    if details:
        d.update({"catchup": False, "concurrency": d["max_active_tasks"], "render_template_as_native_obj": False,
                  "is_paused_upon_creation": None, "start_date": None, "end_date": None, "timezone": "UTC",
                  "last_parsed": d["last_parsed_time"], "params": {}, "doc_md": None, "dag_run_timeout": None,
                  "template_search_path": None, "orientation": "LR"})
        # The JSON column as stored (psycopg2 decodes it; 2.7-2.8 have
        # none): null when the DAG is not scheduled on assets.
        expr = r.get("asset_expression" if ctx.v2 else "dataset_expression")
        if ctx.v2:
            d.update({"owner_links": None, "asset_expression": expr, "default_args": None, "latest_dag_version": None})
        else:
            d["dataset_expression"] = expr
    return d


@route("GET", r"/dags", PAGE + " tags only_active exclude_stale paused has_import_errors dag_id_pattern")
def dags(ctx, m):
    select, c = dag_select(ctx)
    where, args = [], []
    if ctx.v2:
        if ctx.p.get("exclude_stale", True) and "is_stale" in c:
            where.append("NOT coalesce(d.is_stale, false)")
        if ctx.p.get("has_import_errors") is not None:
            where.append("coalesce(d.has_import_errors, false) = %s")
            args.append(ctx.p["has_import_errors"])
    elif ctx.p.get("only_active", True):
        where.append("coalesce(d.is_active, false)")
    if ctx.p.get("paused") is not None:
        where.append("coalesce(d.is_paused, false) = %s")
        args.append(ctx.p["paused"])
    if ctx.p.get("dag_id_pattern"):
        where.append("d.dag_id ILIKE %s")
        args.append("%" + ctx.p["dag_id_pattern"] + "%")
    tags = ctx.p.get("tags") or []
    if tags:
        if not ctx.columns("dag_tag"):
            where.append("false")
        else:
            where.append("EXISTS (SELECT 1 FROM dag_tag t WHERE t.dag_id = d.dag_id AND t.name = ANY(%s))")
            args.append(tags)
    order, bad = order_sql(ctx, ctx.p.get("order_by"), {
        "dag_id": "d.dag_id", "dag_display_name": "coalesce(d.dag_display_name, d.dag_id)",
        "next_dagrun": "d.next_dagrun", "last_parsed_time": "d.last_parsed_time",
        "is_paused": "d.is_paused", "owners": "d.owners"}, "dag_id")
    if bad:
        return bad_order(ctx, bad)
    limit, offset = ctx.page()
    return paged(ctx, select + " ", where, args, order, limit, offset, "dags", lambda c, r: dag_json(c, r))


def one_dag(ctx, dag_id, details):
    select, _ = dag_select(ctx)
    ctx.cur.execute(select + " WHERE d.dag_id = %s", (dag_id,))
    r = ctx.cur.fetchone()
    if r is None:
        return not_found(ctx, "DAG not found", "Dag with id %s was not found" % dag_id)
    return 200, dag_json(ctx, r, details)


@route("GET", r"/dags/([^/]+)")
def dag(ctx, m):
    return one_dag(ctx, m[0], False)


@route("GET", r"/dags/([^/]+)/details")
def dag_details(ctx, m):
    return one_dag(ctx, m[0], True)


@route("GET", r"/importErrors", PAGE)
def import_errors(ctx, m):
    limit, offset = ctx.page()
    if not ctx.columns("import_error"):
        return 200, {"import_errors": [], "total_entries": 0}
    order, bad = order_sql(ctx, ctx.p.get("order_by"), {
        "id": "e.id", "import_error_id": "e.id", "timestamp": "e.timestamp", "filename": "e.filename"}, "id")
    if bad:
        return bad_order(ctx, bad)
    return paged(ctx, "SELECT e.* FROM import_error e", [], [], order, limit, offset, "import_errors",
                 lambda c, r: {"import_error_id": r["id"], "timestamp": iso(r["timestamp"]),
                               "filename": r["filename"], "stack_trace": r["stacktrace"],
                               **({"bundle_name": r.get("bundle_name")} if c.v2 else {})})


# --- runs -----------------------------------------------------------------------

def run_select(ctx):
    if ctx.v2:
        dn = "coalesce(d.dag_display_name, r.dag_id)"
        return ("SELECT r.*, " + dn + " AS dag_display_name, v.id::text AS v_id, v.version_number AS v_number, "
                "v.bundle_name AS v_bundle, v.bundle_version AS v_bundle_version, v.created_at AS v_created "
                "FROM dag_run r LEFT JOIN dag d ON d.dag_id = r.dag_id "
                "LEFT JOIN dag_version v ON v.id = r.created_dag_version_id")
    return "SELECT r.* FROM dag_run r"


def run_json(ctx, r):
    conf = r.get("conf")
    if isinstance(conf, (bytes, memoryview)):
        conf = None                     # 2.x pickles conf: not readable here
    d = {"dag_run_id": r["run_id"], "dag_id": r["dag_id"], "state": r["state"], "run_type": r["run_type"],
         "start_date": iso(r["start_date"]), "end_date": iso(r["end_date"]),
         "data_interval_start": iso(r["data_interval_start"]), "data_interval_end": iso(r["data_interval_end"]),
         "last_scheduling_decision": iso(r["last_scheduling_decision"]), "conf": conf if isinstance(conf, dict) else {},
         "note": None}
    if ctx.v2:
        dur = None
        if r["start_date"] and r["end_date"]:
            dur = (r["end_date"] - r["start_date"]).total_seconds()
        versions = []
        if r.get("v_id"):
            versions.append({"id": r["v_id"], "version_number": r["v_number"], "dag_id": r["dag_id"],
                             "bundle_name": r["v_bundle"], "bundle_version": r["v_bundle_version"],
                             "created_at": iso(r["v_created"]), "dag_display_name": r["dag_display_name"],
                             "bundle_url": None})
        d.update({"logical_date": iso(r["logical_date"]), "run_after": iso(r["run_after"]),
                  "queued_at": iso(r["queued_at"]), "triggered_by": r.get("triggered_by"),
                  "triggering_user_name": r.get("triggering_user_name"), "bundle_version": r.get("bundle_version"),
                  "dag_versions": versions, "dag_display_name": r["dag_display_name"], "duration": dur})
        if ctx.emu.release.startswith("3.2"):
            d["partition_key"] = r.get("partition_key")
    else:
        d.update({"logical_date": iso(r["execution_date"]), "execution_date": iso(r["execution_date"]),
                  "external_trigger": bool(r["external_trigger"])})
    return d


def run_orders(ctx):
    if ctx.v2:
        return {"id": "r.id", "state": "r.state", "dag_id": "r.dag_id", "run_id": "r.run_id", "dag_run_id": "r.run_id",
                "logical_date": "r.logical_date", "run_after": "r.run_after", "start_date": "r.start_date",
                "end_date": "r.end_date", "updated_at": "r.updated_at", "conf": "r.conf::text",
                "duration": "(r.end_date - r.start_date)"}
    return {"id": "r.id", "state": "r.state", "dag_id": "r.dag_id", "execution_date": "r.execution_date",
            "dag_run_id": "r.run_id", "start_date": "r.start_date", "end_date": "r.end_date",
            "updated_at": "r.updated_at", "external_trigger": "r.external_trigger", "conf": "r.conf"}


def run_dates(ctx):
    if ctx.v2:
        return {"logical_date": "r.logical_date", "run_after": "r.run_after", "start_date": "r.start_date",
                "end_date": "r.end_date", "updated_at": "r.updated_at"}
    return {"execution_date": "r.execution_date", "start_date": "r.start_date", "end_date": "r.end_date",
            "updated_at": "r.updated_at"}


def runs_query(ctx, dag_ids, states, src, order_by, limit, offset):
    where, args = [], []
    if dag_ids is not None:
        where.append("r.dag_id = ANY(%s)")
        args.append(list(dag_ids))
    in_filter("r.state", states, where, args)
    date_filters(ctx, src, run_dates(ctx), where, args)
    for suffix, op in (("gte", ">="), ("gt", ">"), ("lte", "<="), ("lt", "<")):
        if src.get("duration_" + suffix) is not None:
            where.append("extract(epoch FROM r.end_date - r.start_date) " + op + " %s")
            args.append(src["duration_" + suffix])
    if ctx.v2:
        for key, col in (("run_type", "r.run_type"),):
            if src.get(key):
                in_filter(col, src[key], where, args)
        if src.get("run_id_pattern"):
            where.append("r.run_id ILIKE %s")
            args.append("%" + src["run_id_pattern"] + "%")
    order, bad = order_sql(ctx, order_by, run_orders(ctx), "id")
    if bad:
        return bad_order(ctx, bad)
    return paged(ctx, run_select(ctx), where, args, order, limit, offset, "dag_runs", run_json)


def dag_exists(ctx, dag_id):
    ctx.cur.execute("SELECT 1 FROM dag WHERE dag_id = %s", (dag_id,))
    return ctx.cur.fetchone() is not None


@route("GET", r"/dags/([^/]+)/dagRuns", RUN_FILTERS)
def runs(ctx, m):
    dag_id = m[0]
    if dag_id != "~" and not dag_exists(ctx, dag_id):
        return not_found(ctx, "DAG not found", "The Dag with ID: `%s` was not found" % dag_id)
    limit, offset = ctx.page()
    return runs_query(ctx, None if dag_id == "~" else [dag_id], ctx.p.get("state"), ctx.p,
                      ctx.p.get("order_by"), limit, offset)


@route("POST", r"/dags/([^/]+)/dagRuns/list", RUN_FILTERS)
def runs_batch(ctx, m):
    """Both documents allow only ~ here; unvalidated, a dag_id in the path filters."""
    b = ctx.body()
    limit = min(b.get("page_limit", 100), ctx.emu.page_limit)
    offset = b.get("page_offset") or 0
    dag_ids = b.get("dag_ids") or None
    if m[0] != "~":
        dag_ids = [d for d in dag_ids or [m[0]] if d == m[0]]
    return runs_query(ctx, dag_ids, b.get("states"), b, b.get("order_by"), limit, offset)


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)")
def run(ctx, m):
    ctx.cur.execute(run_select(ctx) + " WHERE r.dag_id = %s AND r.run_id = %s", (m[0], m[1]))
    r = ctx.cur.fetchone()
    if r is None:
        return not_found(ctx, "DAGRun not found",
                         "The DagRun with dag_id: `%s` and run_id: `%s` was not found" % (m[0], m[1]))
    return 200, run_json(ctx, r)


# --- task instances -------------------------------------------------------------

def ti_select(ctx, table="task_instance"):
    date = "r.logical_date" if ctx.v2 else "r.execution_date"
    extra = ""
    if ctx.v2:
        extra = (", r.run_after AS run_after, coalesce(d.dag_display_name, t.dag_id) AS dag_display_name"
                 + (", t.id::text AS id_text" if table == "task_instance" else ", t.task_instance_id::text AS id_text"))
    return ("SELECT t.*, " + date + " AS run_date" + extra + " FROM " + table + " t "
            "JOIN dag_run r ON r.dag_id = t.dag_id AND r.run_id = t.run_id "
            "LEFT JOIN dag d ON d.dag_id = t.dag_id")


def ti_json(ctx, r):
    ec = r.get("executor_config")
    d = {"task_id": r["task_id"], "dag_id": r["dag_id"], "dag_run_id": r["run_id"], "map_index": r["map_index"],
         "start_date": iso(r["start_date"]), "end_date": iso(r["end_date"]), "duration": r["duration"],
         "state": r["state"], "try_number": r["try_number"] or 0, "max_tries": r["max_tries"] or 0,
         "task_display_name": r.get("task_display_name") or r["task_id"], "hostname": r["hostname"] or "",
         "unixname": r["unixname"], "pool": r["pool"], "pool_slots": r["pool_slots"], "queue": r["queue"],
         "priority_weight": r["priority_weight"], "operator": r["operator"], "queued_when": iso(r["queued_dttm"]),
         "pid": r["pid"], "executor": r.get("executor"), "executor_config": "{}" if ec is not None else "{}",
         "rendered_map_index": r.get("rendered_map_index"), "rendered_fields": {}, "trigger": None,
         "triggerer_job": None, "note": None}
    if ctx.v2:
        d.update({"id": r["id_text"], "logical_date": iso(r["run_date"]), "run_after": iso(r["run_after"]),
                  "scheduled_when": iso(r.get("scheduled_dttm")), "dag_display_name": r["dag_display_name"],
                  "operator_name": r.get("custom_operator_name") or r["operator"], "dag_version": None})
    else:
        d.update({"execution_date": iso(r["run_date"]), "sla_miss": None})
    return d


def ti_orders(ctx):
    o = {"task_id": "t.task_id", "map_index": "t.map_index", "state": "t.state", "start_date": "t.start_date",
         "end_date": "t.end_date", "duration": "t.duration", "try_number": "t.try_number", "pool": "t.pool",
         "queue": "t.queue", "priority_weight": "t.priority_weight", "dag_id": "t.dag_id", "run_id": "t.run_id",
         "dag_run_id": "t.run_id", "id": "t.dag_id, t.run_id, t.task_id, t.map_index",
         "operator": "t.operator", "executor": "t.executor", "updated_at": "t.updated_at",
         "logical_date": "r.logical_date" if ctx.v2 else "r.execution_date",
         "execution_date": "r.logical_date" if ctx.v2 else "r.execution_date",
         "run_after": "r.run_after" if ctx.v2 else "r.execution_date",
         "rendered_map_index": "t.rendered_map_index"}
    return o


def ti_query(ctx, src, where, args, order_by, limit, offset):
    in_filter("t.state", src.get("state"), where, args)
    for key in ("pool", "queue", "executor"):
        v = src.get(key)
        if v:
            where.append("t." + key + " = ANY(%s)")
            args.append(list(v))
    if src.get("task_ids"):
        where.append("t.task_id = ANY(%s)")
        args.append(list(src["task_ids"]))
    dates = {"start_date": "t.start_date", "end_date": "t.end_date", "updated_at": "t.updated_at"}
    if ctx.v2:
        dates.update({"logical_date": "r.logical_date", "run_after": "r.run_after"})
    else:
        dates["execution_date"] = "r.execution_date"
    date_filters(ctx, src, dates, where, args)
    for suffix, op in (("gte", ">="), ("gt", ">"), ("lte", "<="), ("lt", "<")):
        v = src.get("duration_" + suffix)
        if v is not None:
            where.append("t.duration " + op + " %s")
            args.append(v)
    if ctx.v2:
        for key in ("try_number", "map_index"):
            if src.get(key):
                where.append("t." + key + " = ANY(%s)")
                args.append(list(src[key]))
        if src.get("operator"):
            where.append("t.operator = ANY(%s)")
            args.append(list(src["operator"]))
    order, bad = order_sql(ctx, order_by, ti_orders(ctx), "id")
    if bad:
        return bad_order(ctx, bad)
    return paged(ctx, ti_select(ctx), where, args, order, limit, offset, "task_instances", ti_json)


def run_exists(ctx, dag_id, run_id):
    ctx.cur.execute("SELECT 1 FROM dag_run WHERE dag_id = %s AND run_id = %s", (dag_id, run_id))
    return ctx.cur.fetchone() is not None


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances", TI_FILTERS)
def tis(ctx, m):
    dag_id, run_id = m
    where, args = [], []
    if dag_id != "~":
        where.append("t.dag_id = %s")
        args.append(dag_id)
    if run_id != "~":
        where.append("t.run_id = %s")
        args.append(run_id)
    if dag_id != "~" and run_id != "~" and not run_exists(ctx, dag_id, run_id):
        return not_found(ctx, "DAGRun not found", "DagRun with run_id: `%s` was not found" % run_id)
    if ctx.v2 and ctx.p.get("task_id"):
        where.append("t.task_id = %s")
        args.append(ctx.p["task_id"])
    limit, offset = ctx.page()
    return ti_query(ctx, ctx.p, where, args, ctx.p.get("order_by"), limit, offset)


@route("POST", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/list", TI_FILTERS)
def tis_batch(ctx, m):
    """Both documents allow only ~/~ here; unvalidated, ids in the path filter."""
    b = ctx.body()
    where, args = [], []
    for value, col in zip(m, ("t.dag_id", "t.run_id")):
        if value != "~":
            where.append(col + " = %s")
            args.append(value)
    if b.get("dag_ids"):
        where.append("t.dag_id = ANY(%s)")
        args.append(list(b["dag_ids"]))
    if b.get("dag_run_ids"):
        where.append("t.run_id = ANY(%s)")
        args.append(list(b["dag_run_ids"]))
    if ctx.v2:
        limit = min(b.get("page_limit", 100), ctx.emu.page_limit)
        offset = b.get("page_offset") or 0
    else:
        # 2.10's form has no paging: every match in one answer.
        limit, offset = None, 0
    return ti_query(ctx, b, where, args, b.get("order_by"), limit, offset)


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)/listMapped", TI_FILTERS)
def mapped(ctx, m):
    dag_id, run_id, task_id = m
    if not run_exists(ctx, dag_id, run_id):
        return not_found(ctx, "DAGRun not found", "DagRun with run_id: `%s` was not found" % run_id)
    where = ["t.dag_id = %s", "t.run_id = %s", "t.task_id = %s", "t.map_index >= 0"]
    limit, offset = ctx.page()
    return ti_query(ctx, ctx.p, where, [dag_id, run_id, task_id], ctx.p.get("order_by") or "map_index",
                    limit, offset)


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)")
def one_ti(ctx, m):
    return ti_one(ctx, m[0], m[1], m[2], -1)


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)/(-?\d+)")
def one_mapped_ti(ctx, m):
    return ti_one(ctx, m[0], m[1], m[2], int(m[3]))


def ti_one(ctx, dag_id, run_id, task_id, map_index):
    ctx.cur.execute(ti_select(ctx) + " WHERE t.dag_id = %s AND t.run_id = %s AND t.task_id = %s AND t.map_index = %s",
                    (dag_id, run_id, task_id, map_index))
    r = ctx.cur.fetchone()
    if r is None:
        return not_found(ctx, "Task instance not found", "Task instance not found")
    return 200, ti_json(ctx, r)


def tries(ctx, dag_id, run_id, task_id, map_index):
    """Earlier tries (task_instance_history) and the current one."""
    key = (dag_id, run_id, task_id, map_index)
    cond = " WHERE t.dag_id = %s AND t.run_id = %s AND t.task_id = %s AND t.map_index = %s"
    ctx.cur.execute(ti_select(ctx) + cond, key)
    cur_row = ctx.cur.fetchone()
    if cur_row is None:
        return not_found(ctx, "Task instance not found", "Task instance not found")
    rows = []
    if ctx.columns("task_instance_history"):
        ctx.cur.execute(ti_select(ctx, "task_instance_history") + cond + " ORDER BY t.try_number", key)
        rows = ctx.cur.fetchall()
    # History, then the task instance, all of them: 2.10 takes limit and
    # offset but applies neither (get_task_instance_tries), nor does 3.x.
    out = [ti_json(ctx, r) for r in rows] + [ti_json(ctx, cur_row)]
    return 200, {"task_instances": out, "total_entries": len(out)}


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)/tries", "limit offset map_index")
def ti_tries(ctx, m):
    mi = ctx.p.get("map_index", -1) if ctx.v2 else -1
    return tries(ctx, m[0], m[1], m[2], -1 if mi is None else mi)


@route("GET", r"/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)/(-?\d+)/tries", "limit offset")
def ti_mapped_tries(ctx, m):
    return tries(ctx, m[0], m[1], m[2], int(m[3]))


# --- the task graph -------------------------------------------------------------

def serialized(ctx, dag_id):
    c = ctx.columns("serialized_dag")
    if not c:
        return None
    sel = "SELECT s.data::text AS data, " + ("s.data_compressed" if "data_compressed" in c else "NULL") + " AS z FROM serialized_dag s"
    if "dag_version_id" in c:
        ctx.cur.execute(sel + " LEFT JOIN dag_version v ON v.id = s.dag_version_id WHERE s.dag_id = %s "
                        "ORDER BY v.version_number DESC NULLS LAST, s.last_updated DESC LIMIT 1", (dag_id,))
    else:
        ctx.cur.execute(sel + " WHERE s.dag_id = %s", (dag_id,))
    r = ctx.cur.fetchone()
    if r is None:
        return None
    if r["data"] is not None:
        return json.loads(r["data"])
    if r["z"] is not None:
        return json.loads(zlib.decompress(bytes(r["z"])))
    return None


def unvar(v):
    return v.get("__var") if isinstance(v, dict) and "__var" in v else v


def task_json(ctx, t):
    def seconds(v):
        v = unvar(v)
        if isinstance(v, (int, float)):
            return {"__type": "TimeDelta", "days": int(v // 86400), "seconds": int(v % 86400), "microseconds": 0}
        return None
    module = t.get("_task_module") or t.get("task_module") or "airflow.models.baseoperator"
    cls = t.get("task_type") or t.get("_task_type") or "BaseOperator"
    d = {"task_id": t["task_id"], "task_display_name": t.get("task_display_name") or t["task_id"],
         "owner": t.get("owner") or "airflow", "start_date": None, "end_date": None,
         "trigger_rule": t.get("trigger_rule") or "all_success", "extra_links": [],
         "depends_on_past": bool(t.get("depends_on_past")), "wait_for_downstream": bool(t.get("wait_for_downstream")),
         "retries": float(unvar(t.get("retries")) or 0), "queue": t.get("queue") or "default",
         "pool": t.get("pool") or "default_pool", "pool_slots": float(t.get("pool_slots") or 1),
         "execution_timeout": seconds(t.get("execution_timeout")), "retry_delay": seconds(t.get("retry_delay")),
         "retry_exponential_backoff": bool(t.get("retry_exponential_backoff")),
         "priority_weight": float(t.get("priority_weight") or 1), "weight_rule": t.get("weight_rule") or "downstream",
         "ui_color": t.get("ui_color") or "#fff", "ui_fgcolor": t.get("ui_fgcolor") or "#000",
         "template_fields": list(t.get("template_fields") or []), "downstream_task_ids": sorted(t.get("downstream_task_ids") or []),
         "doc_md": t.get("doc_md"), "is_mapped": bool(t.get("_is_mapped") or t.get("is_mapped"))}
    if ctx.v2:
        d["operator_name"] = t.get("_operator_name") or cls
        d["class_ref"] = {"class_name": cls, "module_path": module}
        d["params"] = None
        if ctx.emu.release.startswith("3.2"):
            # 3.2: the backoff is a number (the multiplier; 0 when off).
            d["retry_exponential_backoff"] = float(unvar(t.get("retry_exponential_backoff")) or 0)
        for k in ("retries", "pool_slots", "priority_weight"):
            d[k] = int(d[k])
        if d["retry_delay"] is not None:
            d["retry_delay"] = {k: v for k, v in d["retry_delay"].items() if k != "__type"}
        if d["execution_timeout"] is not None:
            d["execution_timeout"] = {k: v for k, v in d["execution_timeout"].items() if k != "__type"}
    else:
        d["class_ref"] = {"class_name": cls, "module_path": module}
        d["executor"] = None
    return d


@route("GET", r"/dags/([^/]+)/tasks", "order_by")
def tasks(ctx, m):
    if not dag_exists(ctx, m[0]):
        return not_found(ctx, "DAG not found", "Dag with id %s was not found" % m[0])
    data = serialized(ctx, m[0])
    raw = (((data or {}).get("dag") or {}).get("tasks")) or []
    out = []
    for t in raw:
        t = unvar(t)
        if isinstance(t, dict) and "task_id" in t:
            out.append(task_json(ctx, t))
    key = ctx.p.get("order_by") or "task_id"
    desc = key.startswith("-")
    key = key.lstrip("-")
    if out and key not in out[0]:
        return bad_order(ctx, key)
    out.sort(key=lambda x: (x.get(key) is None, str(x.get(key))), reverse=desc)
    return 200, {"tasks": out, "total_entries": len(out)}


# --- pools ------------------------------------------------------------------------

def pool_json(ctx, r):
    occupied = r["running"] + r["queued"] + (r["deferred"] if r["include_deferred"] else 0)
    opened = -1 if r["slots"] == -1 else r["slots"] - occupied
    d = {"name": r["pool"], "slots": r["slots"], "occupied_slots": occupied, "running_slots": r["running"],
         "queued_slots": r["queued"], "scheduled_slots": r["scheduled"], "open_slots": opened,
         "deferred_slots": r["deferred"], "description": r["description"],
         "include_deferred": bool(r["include_deferred"])}
    if ctx.v2 and "team_name" in r:
        d["team_name"] = r["team_name"]
    return d


@route("GET", r"/pools", PAGE + " pool_name_pattern")
def pools(ctx, m):
    c = ctx.columns("slot_pool")
    inc = "coalesce(p.include_deferred, false)" if "include_deferred" in c else "false"
    team = ", p.team_name" if "team_name" in c else ""
    sel = ("SELECT p.id, p.pool, p.slots, p.description, " + inc + " AS include_deferred" + team + ", "
           + ", ".join("coalesce((SELECT sum(t.pool_slots) FROM task_instance t WHERE t.pool = p.pool AND t.state = '%s'), 0)::int AS %s"
                       % (s, s) for s in ("running", "queued", "scheduled", "deferred"))
           + " FROM slot_pool p")
    where, args = [], []
    if ctx.v2 and ctx.p.get("pool_name_pattern"):
        where.append("p.pool ILIKE %s")
        args.append("%" + ctx.p["pool_name_pattern"] + "%")
    order, bad = order_sql(ctx, ctx.p.get("order_by"), {"id": "p.id", "name": "p.pool", "pool": "p.pool",
                                                        "slots": "p.slots", "description": "p.description"}, "id")
    if bad:
        return bad_order(ctx, bad)
    limit, offset = ctx.page()
    return paged(ctx, "SELECT * FROM (" + sel + ") p", where, args, order, limit, offset, "pools", pool_json)


# --- datasets (v1) and assets (v2) ----------------------------------------------
#
# As Airflow's endpoints answer them: an asset's consuming_dags (v2
# scheduled_dags) are its dag_schedule_*_reference rows, producing_tasks its
# task_outlet_*_reference rows (v2 consuming_tasks: task_inlet_*), v2 aliases
# the asset_alias_asset rows; events newest by the order asked; a DAG's queue
# its *_dag_run_queue rows, a 404 when it has none.

def only(v2, fn):
    """fn for one API version: the other's path is no route (a 404)."""
    return lambda ctx, m: fn(ctx, m) if ctx.v2 == v2 else None


def asset_names(ctx):
    """(asset table, alias table, reference prefix, id column) of the schema."""
    if ctx.v2:
        return "asset", "asset_alias", "asset", "asset_id"
    return "dataset", "dataset_alias", "dataset", "dataset_id"


def refs(ctx, sql, aid):
    ctx.cur.execute(sql, (aid,))
    return ctx.cur.fetchall()


def asset_json(ctx, r):
    t, _, ref, col = asset_names(ctx)
    stamp = "created_at, updated_at"
    sched = [{"dag_id": x["dag_id"], "created_at": iso(x["created_at"]), "updated_at": iso(x["updated_at"])}
             for x in refs(ctx, "SELECT dag_id, " + stamp + " FROM dag_schedule_" + ref + "_reference WHERE " + col +
                           " = %s ORDER BY dag_id", r["id"])]
    prod = [{"dag_id": x["dag_id"], "task_id": x["task_id"], "created_at": iso(x["created_at"]),
             "updated_at": iso(x["updated_at"])}
            for x in refs(ctx, "SELECT dag_id, task_id, " + stamp + " FROM task_outlet_" + ref + "_reference WHERE " +
                          col + " = %s ORDER BY dag_id, task_id", r["id"])]
    d = {"id": r["id"], "uri": r["uri"], "extra": r.get("extra"), "created_at": iso(r["created_at"]),
         "updated_at": iso(r["updated_at"]), "producing_tasks": prod}
    if not ctx.v2:
        d["consuming_dags"] = sched
        return d
    cons = [{"dag_id": x["dag_id"], "task_id": x["task_id"], "created_at": iso(x["created_at"]),
             "updated_at": iso(x["updated_at"])}
            for x in refs(ctx, "SELECT dag_id, task_id, " + stamp + " FROM task_inlet_asset_reference WHERE "
                          "asset_id = %s ORDER BY dag_id, task_id", r["id"])]
    aliases = [{"id": x["id"], "name": x["name"], "group": x["group"]}
               for x in refs(ctx, 'SELECT a.id, a.name, a."group" FROM asset_alias a JOIN asset_alias_asset aa '
                             "ON aa.alias_id = a.id WHERE aa.asset_id = %s ORDER BY a.id", r["id"])]
    ctx.cur.execute("SELECT id, timestamp FROM asset_event WHERE asset_id = %s ORDER BY timestamp DESC, id DESC "
                    "LIMIT 1", (r["id"],))
    last = ctx.cur.fetchone()
    d.update({"name": r["name"], "group": r["group"], "scheduled_dags": sched, "consuming_tasks": cons,
              "aliases": aliases,
              "last_asset_event": {"id": last["id"], "timestamp": iso(last["timestamp"])} if last else None})
    if ctx.emu.o.airflow == 32:
        d["watchers"] = []
    return d


def assets(ctx, m):
    t, _, ref, col = asset_names(ctx)
    where, args = [], []
    if ctx.v2 and ctx.p.get("only_active", True):
        where.append("EXISTS (SELECT 1 FROM asset_active x WHERE x.name = a.name AND x.uri = a.uri)")
    for key, c in (("uri_pattern", "a.uri"), ("name_pattern", "a.name")):
        if ctx.p.get(key):
            where.append(c + (" LIKE %s" if ctx.v2 else " ILIKE %s"))
            args.append(ctx.p[key] if ctx.v2 else "%" + ctx.p[key] + "%")
    ids = ctx.p.get("dag_ids")
    if ids:
        ids = ids if isinstance(ids, list) else [x for x in ids.split(",") if x]
        where.append("(EXISTS (SELECT 1 FROM dag_schedule_" + ref + "_reference s WHERE s." + col +
                     " = a.id AND s.dag_id = ANY(%s)) OR EXISTS (SELECT 1 FROM task_outlet_" + ref +
                     "_reference o WHERE o." + col + " = a.id AND o.dag_id = ANY(%s)))")
        args += [ids, ids]
    allowed = {"id": "a.id", "uri": "a.uri", "created_at": "a.created_at", "updated_at": "a.updated_at"}
    if ctx.v2:
        allowed["name"] = "a.name"
    order, bad = order_sql(ctx, ctx.p.get("order_by"), allowed, "id")
    if bad:
        return bad_order(ctx, bad)
    limit, offset = ctx.page()
    return paged(ctx, "SELECT a.* FROM " + t + " a", where, args, order, limit, offset,
                 "assets" if ctx.v2 else "datasets", asset_json)


def asset_aliases(ctx, m):
    where, args = [], []
    if ctx.p.get("name_pattern"):
        where.append("a.name LIKE %s")
        args.append(ctx.p["name_pattern"])
    order, bad = order_sql(ctx, ctx.p.get("order_by"), {"id": "a.id", "name": "a.name"}, "id")
    if bad:
        return bad_order(ctx, bad)
    limit, offset = ctx.page()
    return paged(ctx, "SELECT a.* FROM asset_alias a", where, args, order, limit, offset, "asset_aliases",
                 lambda c, r: {"id": r["id"], "name": r["name"], "group": r["group"]})


def event_json(ctx, r):
    t, _, ref, col = asset_names(ctx)
    ctx.cur.execute("SELECT d.* FROM dag_run d JOIN dagrun_" + ref + "_event e ON e.dag_run_id = d.id "
                    "WHERE e.event_id = %s ORDER BY d.id", (r["id"],))
    runs = []
    for x in ctx.cur.fetchall():
        run = {"run_id": x["run_id"], "dag_id": x["dag_id"], "start_date": iso(x["start_date"]),
               "end_date": iso(x["end_date"]), "state": x["state"],
               "data_interval_start": iso(x.get("data_interval_start")),
               "data_interval_end": iso(x.get("data_interval_end"))}
        if ctx.v2:
            run["logical_date"] = iso(x.get("logical_date"))
            if run["start_date"] is None:
                run["start_date"] = iso(x.get("queued_at") or x.get("run_after"))
        else:
            run["logical_date"] = iso(x.get("execution_date"))
        runs.append(run)
    d = {"id": r["id"], "extra": r.get("extra"), "source_dag_id": r["source_dag_id"],
         "source_task_id": r["source_task_id"], "source_run_id": r["source_run_id"],
         "source_map_index": r["source_map_index"] if r["source_map_index"] is not None else -1,
         "timestamp": iso(r["timestamp"]), "created_dagruns": runs}
    if ctx.v2:
        d.update({"asset_id": r["asset_id"], "uri": r["a_uri"], "name": r["a_name"], "group": r["a_group"]})
    else:
        d.update({"dataset_id": r["dataset_id"], "dataset_uri": r["a_uri"]})
    return d


def asset_events(ctx, m):
    t, _, ref, col = asset_names(ctx)
    sel = ("SELECT e.*, a.uri AS a_uri, " + ('a.name AS a_name, a."group" AS a_group' if ctx.v2 else
                                             "a.uri AS a_name") +
           " FROM " + t + "_event e JOIN " + t + " a ON a.id = e." + col)
    where, args = [], []
    for key in (col, "source_dag_id", "source_task_id", "source_run_id", "source_map_index"):
        if ctx.p.get(key) is not None:
            where.append("e." + key + " = %s")
            args.append(ctx.p[key])
    date_filters(ctx, ctx.p, {"timestamp": "e.timestamp"}, where, args)
    order, bad = order_sql(ctx, ctx.p.get("order_by"), {
        "id": "e.id", "timestamp": "e.timestamp", "source_dag_id": "e.source_dag_id",
        "source_task_id": "e.source_task_id", "source_run_id": "e.source_run_id",
        "source_map_index": "e.source_map_index"}, "timestamp")
    if bad:
        return bad_order(ctx, bad)
    limit, offset = ctx.page()
    return paged(ctx, "SELECT * FROM (" + sel + ") e", where, args,
                 order + ", e.id", limit, offset, "asset_events" if ctx.v2 else "dataset_events", event_json)


def queued_events(ctx, m):
    t, _, ref, col = asset_names(ctx)
    where, args = ["q.target_dag_id = %s"], [m[0]]
    if ctx.p.get("before"):
        where.append("q.created_at < %s::timestamptz")
        args.append(ctx.p["before"])
    ctx.cur.execute("SELECT q.*, a.uri, coalesce(" + ("d.dag_display_name, " if ctx.v2 else "") +
                    "q.target_dag_id) AS dn FROM " + t + "_dag_run_queue q JOIN " + t + " a ON a.id = q." + col +
                    " LEFT JOIN dag d ON d.dag_id = q.target_dag_id WHERE " + " AND ".join(where) +
                    " ORDER BY q." + col, args)
    rows = ctx.cur.fetchall()
    if not rows:
        return not_found(ctx, "Queue event not found", "Queue event with dag_id: `%s` was not found" % m[0])
    if ctx.v2:
        return 200, {"queued_events": [{"asset_id": r["asset_id"], "dag_id": r["target_dag_id"],
                                        "created_at": iso(r["created_at"]), "dag_display_name": r["dn"]}
                                       for r in rows], "total_entries": len(rows)}
    return 200, {"datasets": [{"uri": r["uri"], "dag_id": r["target_dag_id"], "created_at": iso(r["created_at"])}
                              for r in rows], "total_entries": len(rows)}


EVENT_FILTERS = PAGE + " source_dag_id source_task_id source_run_id source_map_index"
route("GET", r"/datasets", PAGE + " uri_pattern dag_ids")(only(False, assets))
route("GET", r"/assets", PAGE + " name_pattern uri_pattern dag_ids only_active")(only(True, assets))
route("GET", r"/assets/aliases", PAGE + " name_pattern")(only(True, asset_aliases))
route("GET", r"/datasets/events", EVENT_FILTERS + " dataset_id")(only(False, asset_events))
route("GET", r"/assets/events", EVENT_FILTERS + " asset_id timestamp_(gte|gt|lte|lt)")(only(True, asset_events))
route("GET", r"/dags/([^/]+)/datasets/queuedEvent", "before")(only(False, queued_events))
route("GET", r"/dags/([^/]+)/assets/queuedEvents", "before")(only(True, queued_events))


# --- dispatch ---------------------------------------------------------------------

def serve(emu, method, path, params, given=()):
    """(status, document) for a read endpoint, or None.  given: the names
    of the query parameters and body fields the request carried."""
    if not path.startswith(emu.prefix + "/"):
        return None
    rest = path[len(emu.prefix):]
    for m, rx, fn, handles in ROUTES:
        if m != method:
            continue
        mt = rx.match(rest)
        if mt:
            unsupported = [g for g in given if handles is None or not handles.match(g)]
            if unsupported:
                emu.unsupported(method, path, unsupported)
            args = [urllib.parse.unquote(g) for g in mt.groups()]
            conn = emu.db()
            try:
                cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
                return fn(Ctx(emu, cur, params), args)
            finally:
                conn.rollback()
                conn.close()
    return None
