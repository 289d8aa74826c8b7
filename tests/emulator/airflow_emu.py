#!/usr/bin/python3
"""An emulator of the Airflow REST API (v1 of Airflow 2.x, v2 of 3.x) for
dagtop's tests and demo.

It answers with the shapes of the OpenAPI specs in shared/reference/openapi,
reads the task instances it talks about from a real Airflow metadata
database (PostgreSQL), and applies Airflow's own semantics to that database
when asked to clear task instances (shared/reference/airflow.md section 4).
Logs are generated from the task instance rows (or read from fixtures), so
every task instance of a test or demo database has one.

Standard library plus psycopg2 (Debian: python3-psycopg2).  See README.md
next to this file for the options and the /_emu/ control endpoints.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import re
import secrets
import ssl
import sys
import threading
import time
import urllib.parse
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import psycopg2.extras

sys.dont_write_bytecode = True          # no __pycache__ in the source tree
import airflow_emu_read                 # noqa: E402 (after the line above)

try:
    import openapi_check                # python3-yaml, python3-jsonschema
except ImportError as e:                # serve, unvalidated (/_emu/invalid says so)
    print("emulator: no request validation: %s" % e, file=sys.stderr)
    openapi_check = None

STATE = None        # the emulator's shared state, set in main()
RELEASES = {2: "2.10.5", 3: "3.1.7", 32: "3.2.1"}
SPECS = {2: "airflow-2.10-v1.yaml", 3: "airflow-3.1-v2.yaml", 32: "airflow-3.2-v2.yaml"}
# The POSTs that only read (dagtop's read-only gate allows them).
READ_POSTS = re.compile(r"^/api/v[12]/dags/[^/]+/dagRuns/(list|[^/]+/taskInstances/list)$")


class Emu:
    """Options, tokens, injected failures and the request record."""

    def __init__(self, opts):
        self.o = opts
        # --airflow names the schema as the tests do: 2 (2.10), 3 (3.1),
        # 32 (3.2).  The API is the major version's; the release is what
        # GET /version reports.
        self.major = 2 if opts.airflow == 2 else 3
        self.release = RELEASES[opts.airflow]
        self.prefix = "/api/v1" if self.major == 2 else "/api/v2"
        self.lock = threading.Lock()
        self.requests = []
        self.failures = []
        self.tokens = {}            # token -> expiry (epoch)
        self.started = time.time()
        self.hostile = set(opts.hostile or [])
        self.growing = set(opts.growing or [])
        self.page_limit = opts.page_limit
        self.invalid = []           # requests (and answers) the spec refuses
        self.spec = None
        if not opts.no_validate and openapi_check is not None:
            here = os.path.dirname(os.path.abspath(__file__))
            d = opts.openapi_dir or os.path.join(
                os.environ.get("DAGTOP_REFERENCE") or os.path.join(here, "..", "..", "..", "shared", "reference"),
                "openapi")
            f = os.path.join(d, SPECS[opts.airflow])
            if os.path.isfile(f):
                self.spec = openapi_check.Spec(f, self.prefix)
            else:
                print("emulator: %s not found: requests are not validated" % f, file=sys.stderr)
        self.huge = {}
        for h in opts.huge or []:
            key, _, mb = h.partition(":")
            self.huge[key] = int(mb) if mb else 200

    def unsupported(self, method, path, names):
        """Records parameters the spec allows but the emulator ignores."""
        with self.lock:
            self.invalid.append({"method": method, "path": path, "unsupported": True,
                                 "errors": [{"type": "emulator_unsupported", "loc": ["query or body", n],
                                             "msg": "valid, but the emulator does not apply it"} for n in sorted(names)]})

    def db(self):
        conn = psycopg2.connect(self.o.dsn)
        conn.autocommit = False
        return conn

    def has_table(self, cur, name):
        cur.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (name,))
        row = cur.fetchone()
        return row["present"] if isinstance(row, dict) else row[0]


# --- logs --------------------------------------------------------------------

def ts_text(t, major):
    """Airflow's timestamp in a log line: 2.x text and 3.x ISO forms."""
    g = time.gmtime(t)
    ms = int((t - int(t)) * 1000)
    if major == 2:
        return time.strftime("%Y-%m-%dT%H:%M:%S", g) + ".%03d+0000" % ms
    return time.strftime("%Y-%m-%dT%H:%M:%S", g) + ".%06dZ" % (ms * 1000)


def entries_for(ti, try_number, major):
    """A realistic log for one try: (epoch, level, logger, event, extra)."""
    start = ti["start_epoch"] or time.time() - 600
    dag, task, run = ti["dag_id"], ti["task_id"], ti["run_id"]
    failed = ti["state"] in ("failed", "up_for_retry", "upstream_failed") or \
        try_number < (ti["try_number"] or 0)
    out = [
        (start, "info", "airflow.task", "Dependencies all met for dep_context=non-requeueable deps ti=<TaskInstance: %s.%s %s [queued]>" % (dag, task, run), {}),
        (start + 0.01, "info", "airflow.task", "Starting attempt %d of %d" % (try_number, (ti["max_tries"] or 0) + 1), {}),
        (start + 0.02, "info", "airflow.task", "Executing <Task(%s): %s> on %s" % (ti["operator"] or "BaseOperator", task, run), {}),
        (start + 0.05, "info", "airflow.task.hooks", "Running command: ['bash', '-c', 'run %s']" % task, {}),
    ]
    for i in range(24):
        out.append((start + 1 + i, "info", "airflow.task.operators", "processed batch %d of 24 (%d rows)" % (i + 1, 1000 + 37 * i), {"batch": i + 1}))
    if failed:
        out.append((start + 26, "warning", "airflow.task", "retrying the warehouse call once", {}))
        out.append((start + 27, "error", "airflow.task", "Task failed with exception", {"error": True}))
    else:
        out.append((start + 26, "info", "airflow.task", "Marking task as SUCCESS. dag_id=%s, task_id=%s, run_id=%s" % (dag, task, run), {}))
    return out, failed


TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/opt/airflow/dags/etl.py", line 42, in run',
    "    load(rows)",
    '  File "/opt/airflow/dags/etl.py", line 17, in load',
    "    raise ValueError(\"column 'amount' is not numeric\")",
    "ValueError: column 'amount' is not numeric",
]


def text_log(ti, try_number):
    entries, failed = entries_for(ti, try_number, 2)
    lines = []
    for t, level, logger, event, _ in entries:
        lines.append("[%s] {%s.py:%d} %s - %s" % (
            ts_text(t, 2), logger.split(".")[-1], 100 + len(lines),
            level.upper(), event))
        if event == "Task failed with exception":
            lines.extend(TRACEBACK)
    return "\n".join(lines) + "\n"


def json_entries(ti, try_number):
    entries, failed = entries_for(ti, try_number, 3)
    out = []
    for t, level, logger, event, extra in entries:
        e = {"timestamp": ts_text(t, 3), "level": level, "event": event,
             "logger": logger}
        if event == "Task failed with exception":
            e["error_detail"] = [{
                "exc_type": "ValueError",
                "exc_value": "column 'amount' is not numeric",
                "exc_notes": [], "syntax_error": None, "is_cause": False,
                "frames": [
                    {"filename": "/opt/airflow/dags/etl.py", "lineno": 42, "name": "run"},
                    {"filename": "/opt/airflow/dags/etl.py", "lineno": 17, "name": "load"}],
                "is_group": False, "exceptions": []}]
        else:
            e.update(extra)
        out.append(e)
    return out


HEADER_V3 = [{"event": "::group::Log message source details",
              "sources": ["/opt/airflow/logs/dag_id=x/attempt=1.log"]},
             {"event": "::endgroup::"}]


def fixture_path(dag, task):
    d = STATE.o.log_dir
    if not d:
        return None
    p = os.path.join(d, dag, task + ".log")
    return p if os.path.isfile(p) else None


def hostile_bytes():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "fixtures", "hostile.log"), "rb") as f:
        return f.read()


def huge_chunks(key, major, mb):
    """mb megabytes of distinct numbered lines, a traceback near the end."""
    total = mb * 1024 * 1024
    sent = 0
    n = 0
    t0 = 1767225600.0
    while sent < total:
        block = []
        size = 0
        while size < 256 * 1024 and sent + size < total:
            n += 1
            if major == 2:
                line = "[%s] {huge.py:%d} INFO - line %09d of the big log: payload %s\n" % (
                    ts_text(t0 + n / 1000.0, 2), n % 997, n, "x" * 40)
            else:
                line = json.dumps({"timestamp": ts_text(t0 + n / 1000.0, 3),
                                   "level": "info", "event": "line %09d of the big log" % n,
                                   "logger": "airflow.task", "payload": "x" * 40}) + "\n"
            block.append(line)
            size += len(line)
        sent += size
        yield "".join(block).encode()
    if major == 2:
        tail = "[%s] {huge.py:1} ERROR - the big task failed\n" % ts_text(t0, 2) + "\n".join(TRACEBACK) + "\n"
    else:
        tail = json.dumps({"timestamp": ts_text(t0, 3), "level": "error", "event": "the big task failed",
                           "error_detail": [{"exc_type": "ValueError", "exc_value": "too big", "is_cause": False,
                                             "frames": [{"filename": "/x.py", "lineno": 1, "name": "run"}]}]}) + "\n"
    yield tail.encode()


def growing_lines(ti, major):
    """The lines a running task has written so far: one every 0.5 s."""
    n = 3 + int((time.time() - STATE.started) / 0.5)
    out = []
    for i in range(n):
        t = STATE.started + i * 0.5
        if major == 2:
            out.append("[%s] {stream.py:9} INFO - still working: tick %d\n" % (ts_text(t, 2), i))
        else:
            out.append(json.dumps({"timestamp": ts_text(t, 3), "level": "info",
                                   "event": "still working: tick %d" % i, "logger": "airflow.task"}) + "\n")
    return out


def encode_token(pos, end):
    raw = json.dumps({"log_pos": pos, "end_of_log": end}).encode()
    sig = hashlib.sha256(b"emu" + raw).hexdigest()[:12]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=") + "." + sig


def decode_token(tok):
    try:
        body, _, _ = tok.partition(".")
        body += "=" * (-len(body) % 4)
        return json.loads(base64.urlsafe_b64decode(body))
    except Exception:
        return None


# --- the database ------------------------------------------------------------

def ti_row(cur, dag, run, task, map_index):
    cur.execute("""SELECT dag_id, run_id, task_id, map_index, state, try_number,
                   max_tries, operator, hostname,
                   extract(epoch FROM start_date)::float8 AS start_epoch
                   FROM task_instance WHERE dag_id=%s AND run_id=%s AND
                   task_id=%s AND map_index=%s""", (dag, run, task, map_index))
    return cur.fetchone()


def serialized_tasks(cur, dag_id, run_id):
    """{task_id: (downstream list, retries)} from serialized_dag."""
    cols = set()
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name='serialized_dag'")
    cols = {r[0] for r in cur.fetchall()}
    sel = "data" + (", data_compressed" if "data_compressed" in cols else ", NULL")
    row = None
    if "dag_version_id" in cols and run_id is not None:
        cur.execute("SELECT " + sel + " FROM serialized_dag s JOIN dag_run r ON r.created_dag_version_id = s.dag_version_id "
                    "WHERE r.dag_id=%s AND r.run_id=%s", (dag_id, run_id))
        row = cur.fetchone()
    if row is None:
        order = "created_at" if "created_at" in cols else "last_updated"
        cur.execute("SELECT " + sel + " FROM serialized_dag WHERE dag_id=%s ORDER BY " + order + " DESC LIMIT 1", (dag_id,))
        row = cur.fetchone()
    if row is None:
        return {}
    data = row[0]
    if data is None and row[1] is not None:
        data = json.loads(zlib.decompress(bytes(row[1])))
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, dict):
        return {}
    tasks = {}
    for t in (data.get("dag") or {}).get("tasks") or []:
        if isinstance(t, dict) and "__var" in t:
            t = t["__var"]
        if not isinstance(t, dict) or "task_id" not in t:
            continue
        retries = t.get("retries", 0)
        if isinstance(retries, dict):
            retries = retries.get("__var", 0)
        tasks[t["task_id"]] = (list(t.get("downstream_task_ids") or []), int(retries or 0))
    return tasks


def closure(tasks, start, down=True):
    edges = {k: v[0] for k, v in tasks.items()}
    if not down:
        rev = {}
        for a, ds in edges.items():
            for d in ds:
                rev.setdefault(d, []).append(a)
        edges = rev
    seen, todo = set(), list(start)
    while todo:
        t = todo.pop()
        for d in edges.get(t, []):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def uuid7():
    ms = int(time.time() * 1000)
    b = ms.to_bytes(6, "big") + secrets.token_bytes(10)
    b = bytearray(b)
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


CLEAR_FIELDS_V2 = {"dry_run", "start_date", "end_date", "only_failed", "only_running",
                   "reset_dag_runs", "task_ids", "dag_run_id", "include_upstream",
                   "include_downstream", "include_future", "include_past",
                   "run_on_latest_version"}
CLEAR_FIELDS_V1 = {"dry_run", "task_ids", "dag_run_id", "start_date", "end_date",
                   "only_failed", "only_running", "include_subdags", "include_parentdag",
                   "reset_dag_runs", "include_upstream", "include_downstream",
                   "include_future", "include_past"}


def clear(dag_id, body):
    """Airflow's clear_task_instances on the database: (status, json)."""
    major = STATE.major
    if not isinstance(body, dict):
        return 400, problem(400, "Bad Request", "the body must be a JSON object")
    allowed = CLEAR_FIELDS_V1 if major == 2 else CLEAR_FIELDS_V2
    unknown = [k for k in body if k not in allowed]
    if unknown:
        if major == 3:
            return 422, {"detail": [{"type": "extra_forbidden", "loc": ["body", k],
                                     "msg": "Extra inputs are not permitted", "input": body[k]} for k in unknown]}
        return 400, problem(400, "Bad Request", "{'%s': ['Unknown field.']}" % unknown[0])
    for k in ("dry_run", "only_failed", "only_running", "reset_dag_runs", "include_upstream",
              "include_downstream", "include_future", "include_past"):
        if k in body and not isinstance(body[k], bool):
            if major == 3:
                return 422, {"detail": [{"type": "bool_type", "loc": ["body", k], "msg": "Input should be a valid boolean"}]}
            return 400, problem(400, "Bad Request", "{'%s': ['Not a valid boolean.']}" % k)
    dry = body.get("dry_run", True)
    only_failed = body.get("only_failed", True)
    only_running = body.get("only_running", False)
    reset = body.get("reset_dag_runs", major == 3)
    run_id = body.get("dag_run_id")
    if major == 2 and only_failed and only_running:
        return 400, problem(400, "Bad Request", "only_failed and only_running both are set to True")
    if major == 2 and run_id and (body.get("start_date") or body.get("end_date")):
        return 400, problem(400, "Bad Request", "Exactly one of dag_run_id or (start_date and end_date) must be provided")
    ids = body.get("task_ids")
    if major == 2 and (not isinstance(ids, list) or not ids):
        return 400, problem(400, "Bad Request", "{'task_ids': ['Shorter than minimum length 1.']}")
    wanted = {}                         # task_id -> set of map indexes or None
    for t in ids or []:
        if isinstance(t, str):
            wanted[t] = None
        elif major == 3 and isinstance(t, list) and len(t) == 2 and isinstance(t[0], str) and isinstance(t[1], int):
            if wanted.get(t[0], set()) is not None:
                wanted.setdefault(t[0], set()).add(t[1])
        else:
            return 422 if major == 3 else 400, {"detail": "task_ids: bad item %r" % (t,)}
    conn = STATE.db()
    try:
        cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
        cur.execute("SELECT 1 FROM dag WHERE dag_id=%s", (dag_id,))
        if cur.fetchone() is None:
            return 404, problem(404, "DAG not found", "DAG with dag_id: '%s' was not found" % dag_id)
        if run_id is not None:
            cur.execute("SELECT state FROM dag_run WHERE dag_id=%s AND run_id=%s", (dag_id, run_id))
            if cur.fetchone() is None:
                return 404, problem(404, "DAGRun not found", "DAGRun with DAG ID: '%s' and DagRun ID: '%s' not found" % (dag_id, run_id))
        plain = conn.cursor()
        tasks = serialized_tasks(plain, dag_id, run_id)
        names = set(wanted)
        if body.get("include_downstream"):
            names |= closure(tasks, wanted.keys(), True)
        if body.get("include_upstream"):
            names |= closure(tasks, wanted.keys(), False)
        q = ("SELECT *" + (", id::text AS id_text" if major == 3 else "") +
             " FROM task_instance WHERE dag_id=%s AND task_id = ANY(%s)")
        args = [dag_id, list(names) or [""]]
        if run_id is not None:
            q += " AND run_id=%s"
            args.append(run_id)
        q += " ORDER BY run_id, task_id, map_index"
        cur.execute(q, args)
        tis = []
        for ti in cur.fetchall():
            sel = wanted.get(ti["task_id"], None) if ti["task_id"] in wanted else None
            if sel is not None and ti["map_index"] not in sel:
                continue
            if only_failed and ti["state"] not in ("failed", "upstream_failed"):
                continue
            if only_running and ti["state"] != "running":
                continue
            tis.append(ti)
        if not dry:
            apply_clear(conn, cur, dag_id, tis, tasks, reset)
            conn.commit()
        else:
            conn.rollback()
        return 200, clear_answer(cur, tis, dry)
    finally:
        conn.close()


def apply_clear(conn, cur, dag_id, tis, tasks, reset):
    major = STATE.major
    has_tih = STATE.has_table(cur, "task_instance_history")
    has_resched = STATE.has_table(cur, "task_reschedule")
    runs = set()
    for ti in tis:
        key = (ti["dag_id"], ti["task_id"], ti["run_id"], ti["map_index"])
        if has_tih:
            cur.execute("SELECT 1 FROM task_instance_history WHERE dag_id=%s AND task_id=%s AND run_id=%s "
                        "AND map_index=%s AND try_number=%s", key + (ti["try_number"],))
            if cur.fetchone() is None:
                copy_to_history(cur, ti, major)
        if ti["state"] == "running":
            cur.execute("UPDATE task_instance SET state='restarting' WHERE dag_id=%s AND task_id=%s AND run_id=%s AND map_index=%s", key)
        else:
            retries = tasks.get(ti["task_id"], (None, None))[1]
            max_tries = (ti["try_number"] or 0) + retries if retries is not None else max(ti["max_tries"] or 0, ti["try_number"] or 0)
            sets = "state=NULL, max_tries=%s, external_executor_id=NULL, next_method=NULL, next_kwargs=NULL"
            args = [max_tries]
            if major == 3:
                sets += ", id=%s"
                args.append(uuid7())
            cur.execute("UPDATE task_instance SET " + sets + " WHERE dag_id=%s AND task_id=%s AND run_id=%s AND map_index=%s", args + list(key))
        if has_resched:
            cur.execute("DELETE FROM task_reschedule WHERE dag_id=%s AND task_id=%s AND run_id=%s AND map_index=%s", key)
        runs.add(ti["run_id"])
    for run in runs:
        if reset:
            # updated_at as Airflow's ORM sets it on every write (the
            # console's incremental refresh reads by it).
            cur.execute("UPDATE dag_run SET state='queued', queued_at=now(), start_date=NULL, end_date=NULL, updated_at=now(), "
                        "last_scheduling_decision=NULL, clear_number=clear_number+1 "
                        "WHERE dag_id=%s AND run_id=%s AND state IN ('success','failed')", (dag_id, run))
    date_col = "logical_date" if major == 3 else "execution_date"
    cur.execute("INSERT INTO log (dttm, dag_id, event, owner, extra, " + date_col + ") VALUES (now(), %s, %s, %s, %s, NULL)",
                (dag_id, "post_clear_task_instances", "emulator", json.dumps({"task_instances": len(tis)})))


def copy_to_history(cur, ti, major):
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name='task_instance_history'")
    hcols = [r["column_name"] for r in cur.fetchall()]
    cols, vals = [], []
    for c in hcols:
        if c == "id":
            continue
        if c == "task_instance_id":
            cols.append(c)
            vals.append(ti["id_text"])
            continue
        if c not in ti:
            continue
        v = ti[c]
        if c == "state" and v not in ("success", "failed", "skipped", "upstream_failed", "removed"):
            v = "failed"
        if c == "end_date" and ti["state"] not in ("success", "failed", "skipped", "upstream_failed", "removed"):
            v = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
        if isinstance(v, (dict, list)):
            v = json.dumps(v)
        cols.append(c)
        vals.append(v)
    cur.execute("INSERT INTO task_instance_history (" + ",".join(cols) + ") VALUES (" +
                ",".join(["%s"] * len(vals)) + ")", vals)


def iso(v):
    return v.isoformat() if v is not None else None


def clear_answer(cur, tis, dry):
    if STATE.major == 2:
        return {"task_instances": [{"task_id": t["task_id"], "dag_id": t["dag_id"],
                                    "execution_date": iso(t.get("execution_date")) if "execution_date" in t else None,
                                    "dag_run_id": t["run_id"]} for t in tis]}
    out = []
    for t in tis:
        out.append({"id": t["id_text"], "task_id": t["task_id"], "dag_id": t["dag_id"],
                    "dag_run_id": t["run_id"], "map_index": t["map_index"],
                    "state": t["state"] if dry else None, "try_number": t["try_number"],
                    "max_tries": t["max_tries"], "start_date": iso(t["start_date"]),
                    "end_date": iso(t["end_date"]), "duration": t["duration"],
                    "operator": t["operator"], "pool": t["pool"], "queue": t["queue"]})
    return {"task_instances": out, "total_entries": len(out)}


def problem(status, title, detail):
    if STATE.major == 3:
        return {"detail": detail}
    return {"type": "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors",
            "title": title, "status": status, "detail": detail}


# --- the scheduler of the demo -----------------------------------------------

def simulate_scheduler(period):
    """Moves cleared task instances on as Airflow's scheduler would."""
    rng = random.Random(7)
    step = {None: "scheduled", "scheduled": "queued", "queued": "running"}
    while True:
        time.sleep(period)
        try:
            conn = STATE.db()
            cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
            has_tih = STATE.has_table(cur, "task_instance_history")
            cur.execute("""SELECT ti.dag_id, ti.run_id, ti.task_id, ti.map_index, ti.state
                           FROM task_instance ti JOIN dag_run r USING (dag_id, run_id)
                           WHERE r.state IN ('queued','running') AND
                           (ti.state IS NULL OR ti.state IN ('scheduled','queued','running','restarting'))""")
            for ti in cur.fetchall():
                key = (ti["dag_id"], ti["task_id"], ti["run_id"], ti["map_index"])
                if ti["state"] in step:
                    nxt = step[ti["state"]]
                    extra = ""
                    if nxt == "scheduled" and has_tih:
                        extra = ", try_number = try_number + 1"
                    if nxt == "running":
                        extra = ", start_date = now(), end_date = NULL, duration = NULL, hostname = 'worker-1'"
                    cur.execute("UPDATE task_instance SET state=%s" + extra +
                                " WHERE dag_id=%s AND task_id=%s AND run_id=%s AND map_index=%s", (nxt,) + key)
                else:
                    end = "failed" if rng.random() < 0.125 else "success"
                    cur.execute("UPDATE task_instance SET state=%s, end_date=now(), "
                                "duration=extract(epoch FROM now()-start_date) "
                                "WHERE dag_id=%s AND task_id=%s AND run_id=%s AND map_index=%s", (end,) + key)
            cur.execute("UPDATE dag_run SET state='running', start_date=now(), updated_at=now() WHERE state='queued'")
            cur.execute("""UPDATE dag_run r SET state = CASE WHEN EXISTS (SELECT 1 FROM task_instance t
                           WHERE t.dag_id=r.dag_id AND t.run_id=r.run_id AND t.state IN ('failed','upstream_failed'))
                           THEN 'failed' ELSE 'success' END, end_date=now(), updated_at=now()
                           WHERE r.state='running' AND NOT EXISTS (SELECT 1 FROM task_instance t
                           WHERE t.dag_id=r.dag_id AND t.run_id=r.run_id AND
                           (t.state IS NULL OR t.state IN ('scheduled','queued','running','restarting','up_for_retry')))""")
            conn.commit()
            conn.close()
        except Exception as e:          # the database restarts in tests
            print("emulator: scheduler: %s" % e, file=sys.stderr)


# --- HTTP ----------------------------------------------------------------------

LOG_RE = re.compile(r"^/api/v([12])/dags/([^/]+)/dagRuns/([^/]+)/taskInstances/([^/]+)/logs/([^/]+)$")
CLEAR_RE = re.compile(r"^/api/v([12])/dags/([^/]+)/clearTaskInstances$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "airflow-emulator"

    def log_message(self, *args):
        pass

    # -- plumbing
    def send_json(self, status, doc, headers=None):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_bytes(self, status, ctype, body, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, status, ctype, chunks, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            for c in chunks:
                if c:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True    # the client moved on

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def record(self, raw):
        hdrs = {}
        for k, v in self.headers.items():
            hdrs[k] = "***" if k.lower() == "authorization" else v
        u = urllib.parse.urlsplit(self.path)
        if self.command == "GET":
            kind = "read"
        elif self.command == "POST" and READ_POSTS.match(u.path):
            kind = "read_post"
        elif self.command == "POST" and u.path == "/auth/token":
            kind = "login"
        else:
            kind = "write"
        with STATE.lock:
            STATE.requests.append({"method": self.command, "path": u.path, "query": u.query,
                                   "headers": hdrs, "body": raw.decode("utf-8", "replace"),
                                   "time": time.time(), "kind": kind})

    def injected(self, raw=b""):
        """An injected failure for this request, if one matches.

        POST /_emu/fail takes {path_regex, method, body_regex, count,
        delay_ms, close, status, body, after}: the first fault whose
        path_regex, method and body_regex (over the request body) match is
        used, count times (-1: forever).  It waits delay_ms, then drops the
        connection (close) or answers status with body.  With after true
        (clears only) the clear is applied and committed first: the answer
        is then late, lost or a gateway's error, as after a real timeout."""
        path = urllib.parse.urlsplit(self.path).path
        with STATE.lock:
            for f in STATE.failures:
                if f["count"] == 0:
                    continue
                if f.get("method") and f["method"] != self.command:
                    continue
                if not re.search(f.get("path_regex", ""), path):
                    continue
                if f.get("body_regex") and not re.search(f["body_regex"], raw.decode("utf-8", "replace")):
                    continue
                if f["count"] > 0:
                    f["count"] -= 1
                return dict(f)
        return None

    def authorised(self):
        auth = STATE.o.auth
        h = self.headers.get("Authorization", "")
        if auth == "none":
            return True
        if auth == "basic":
            want = "Basic " + base64.b64encode(("%s:%s" % (STATE.o.user, STATE.o.password)).encode()).decode()
            return h == want
        if auth == "bearer":
            return h == "Bearer " + (STATE.o.token or "")
        if h.startswith("Bearer "):
            with STATE.lock:
                exp = STATE.tokens.get(h[7:])
            return exp is not None and exp > time.time()
        return False

    # -- verbs
    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:          # a bug here is a 500, as in Airflow
            import traceback
            traceback.print_exc()
            try:
                self.send_json(500, problem(500, "Internal Server Error", str(e)))
            except OSError:
                self.close_connection = True

    def route(self):
        raw = self.body() if self.command in ("POST", "PUT", "PATCH") else b""
        u = urllib.parse.urlsplit(self.path)
        if u.path.startswith("/_emu/"):
            return self.control(u.path, raw)
        self.record(raw)
        f = self.injected(raw)
        if f and not f.get("after"):
            if f.get("delay_ms"):
                time.sleep(f["delay_ms"] / 1000.0)
            if f.get("close"):
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if f.get("status"):
                b = f.get("body")
                if b == "garbage":
                    return self.send_bytes(f["status"], "application/json", b"<html>\x1b]0;pwned\x07 not json")
                if b is not None:
                    return self.send_bytes(f["status"], "application/json", b.encode())
                return self.send_json(f["status"], problem(f["status"], "Injected", "injected failure %d" % f["status"]))
        if u.path == "/auth/token" and self.command == "POST" and STATE.major == 3:
            return self.login(raw)
        public = u.path in (STATE.prefix + "/health", STATE.prefix + "/monitor/health", STATE.prefix + "/version")
        if not public and not self.authorised():
            if STATE.major == 3:
                return self.send_json(401, {"detail": "Not authenticated"})
            return self.send_json(401, problem(401, "Unauthorized", "No credentials"),
                                  {"WWW-Authenticate": "Basic"})
        op, params, errors = self.validate(u, raw)
        if errors and (LOG_RE.match(u.path) or CLEAR_RE.match(u.path)):
            errors = None               # logged; these answer as they always did
        if errors:
            return self.send_json(*self.invalid_answer(errors))
        given = set(urllib.parse.parse_qs(u.query, keep_blank_values=True))
        if isinstance(params.get("__body__"), dict):
            given |= set(params["__body__"])
        answer = airflow_emu_read.serve(STATE, self.command, u.path, params, given)
        if answer is not None:
            if op is not None and STATE.o.self_test:
                bad = STATE.spec.check_response(op, answer[0], answer[1])
                if bad:
                    with STATE.lock:
                        STATE.invalid.append({"method": self.command, "path": u.path, "query": u.query,
                                              "response": True, "errors": bad[:20]})
            return self.send_json(*answer)
        m = LOG_RE.match(u.path)
        if m and self.command == "GET" and int(m.group(1)) + 1 == STATE.major:
            dag, run, task, tr = (urllib.parse.unquote(x) for x in m.groups()[1:])
            return self.log(dag, run, task, tr, urllib.parse.parse_qs(u.query))
        m = CLEAR_RE.match(u.path)
        if m and self.command == "POST" and int(m.group(1)) + 1 == STATE.major:
            try:
                doc = json.loads(raw or b"null")
            except ValueError:
                return self.send_json(422 if STATE.major == 3 else 400,
                                      problem(400, "Bad Request", "the body is not JSON"))
            status, answer = clear(urllib.parse.unquote(m.group(2)), doc)
            if f and f.get("after"):
                # The clear is applied (committed); then the answer is
                # late, lost, or replaced: what a client cannot tell from
                # a clear that never happened.
                if f.get("delay_ms"):
                    time.sleep(f["delay_ms"] / 1000.0)
                if f.get("close"):
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if f.get("status"):
                    return self.send_json(f["status"], problem(f["status"], "Injected",
                                                               "injected failure %d" % f["status"]))
            return self.send_json(status, answer)
        self.send_json(404, problem(404, "Not Found", "no route for %s %s" % (self.command, u.path)))

    # Without the spec: the query parameters that repeat (arrays).
    ARRAYS = {"state", "tags", "run_type", "pool", "queue", "executor", "order_by",
              "try_number", "map_index", "operator", "owners"}

    def validate(self, u, raw):
        """(op, params, errors) against the spec; invalid ones are kept.
        Without it the query is only parsed (numbers, booleans, arrays)."""
        if STATE.spec is None:
            params = {"__body__": self.json_or_none(raw)}
            for k, vals in urllib.parse.parse_qs(u.query).items():
                vals = [int(x) if re.match(r"^-?\d+$", x) else
                        (x == "true") if x in ("true", "false") else x for x in vals]
                params[k] = vals if k in self.ARRAYS else vals[-1]
            return None, params, []
        op, params, errors = STATE.spec.check(self.command, u.path, u.query, raw or None)
        if errors:
            with STATE.lock:
                STATE.invalid.append({"method": self.command, "path": u.path, "query": u.query,
                                      "body": raw.decode("utf-8", "replace"), "errors": errors})
        return op, params, errors

    @staticmethod
    def json_or_none(raw):
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def invalid_answer(self, errors):
        """The real servers' answer to a request their spec refuses."""
        if STATE.major == 3:
            return 422, {"detail": errors}
        e = errors[0]
        return 400, {"type": "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/BadRequest",
                     "title": "Bad Request", "status": 400,
                     "detail": "%s: %s" % (".".join(str(x) for x in e["loc"]), e["msg"])}

    def login(self, raw):
        try:
            doc = json.loads(raw or b"{}")
        except ValueError:
            doc = {}
        if doc.get("username") != STATE.o.user or doc.get("password") != STATE.o.password:
            return self.send_json(401, {"detail": "Invalid credentials"})
        tok = "emu." + secrets.token_urlsafe(24)
        with STATE.lock:
            STATE.tokens[tok] = time.time() + STATE.o.token_ttl
        self.send_json(201, {"access_token": tok})

    def control(self, path, raw):
        if path == "/_emu/requests":
            if self.command == "DELETE":
                with STATE.lock:
                    STATE.requests.clear()
                return self.send_json(200, {"ok": True})
            with STATE.lock:
                reqs = list(STATE.requests)
            count = {k: sum(1 for r in reqs if r["kind"] == k) for k in ("read", "read_post", "write", "login")}
            return self.send_json(200, {"requests": reqs, "reads": count["read"], "read_posts": count["read_post"],
                                        "writes": count["write"], "logins": count["login"]})
        if path == "/_emu/invalid":
            with STATE.lock:
                if self.command == "DELETE":
                    STATE.invalid.clear()
                return self.send_json(200, {"validating": STATE.spec is not None,
                                            "self_test": bool(STATE.o.self_test),
                                            "invalid": list(STATE.invalid)})
        if path == "/_emu/fail" and self.command == "POST":
            f = json.loads(raw or b"{}")
            f.setdefault("count", 1)
            with STATE.lock:
                STATE.failures.append(f)
            return self.send_json(200, {"ok": True})
        if path == "/_emu/reset" and self.command == "POST":
            with STATE.lock:
                STATE.failures.clear()
                STATE.requests.clear()
                STATE.invalid.clear()
            return self.send_json(200, {"ok": True})
        if path == "/_emu/expire-tokens" and self.command == "POST":
            with STATE.lock:
                STATE.tokens.clear()
            return self.send_json(200, {"ok": True})
        self.send_json(404, {"detail": "no such control endpoint"})

    def log(self, dag, run, task, tr, q):
        major = STATE.major
        try:
            try_number = int(tr)
            map_index = int((q.get("map_index") or ["-1"])[0])
        except ValueError:
            return self.send_json(422 if major == 3 else 400, problem(400, "Bad Request", "bad try number"))
        if try_number < (0 if major == 3 else 1):
            return self.send_json(422 if major == 3 else 400, problem(400, "Bad Request", "try_number must be positive"))
        conn = STATE.db()
        try:
            cur = conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor)
            ti = ti_row(cur, dag, run, task, map_index)
            conn.rollback()
        finally:
            conn.close()
        if ti is None:
            return self.send_json(404, problem(404, "TaskInstance not found", "TaskInstance not found"))
        if try_number > max(ti["try_number"] or 0, 0):
            return self.send_json(404, problem(404, "TaskInstance not found",
                                               "Task Instance try %d not found" % try_number))
        accept = self.headers.get("Accept", "application/json")
        token = (q.get("token") or [None])[0]
        key = "%s/%s" % (dag, task)
        if major == 3 and "text/plain" in accept and "json" not in accept:
            return self.send_json(406, {"detail": "Only application/json or application/x-ndjson is supported"})
        # Which text, as lines (str) or a generator of bytes (huge).
        if key in STATE.huge:
            mb = STATE.huge[key]
            if major == 2:
                return self.stream(200, "text/plain", huge_chunks(key, 2, mb))
            if "ndjson" in accept:
                return self.stream(200, "application/x-ndjson", huge_chunks(key, 3, mb))
            return self.stream(200, "application/json", self.huge_document(mb))
        if key in STATE.growing:
            lines = growing_lines(ti, major)
            done = ti["state"] != "running"
        elif key in STATE.hostile or fixture_path(dag, task):
            data = hostile_bytes() if key in STATE.hostile else open(fixture_path(dag, task), "rb").read()
            text = data.decode("utf-8", "surrogateescape")
            lines = text.splitlines(keepends=True)
            done = True
            if major == 3:
                # Each raw line becomes the event of a structured entry.
                lines = [json.dumps({"timestamp": ts_text(STATE.started, 3), "level": "info",
                                     "event": l.rstrip("\n"), "logger": "airflow.task"},
                                    ensure_ascii=False).encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape") + "\n"
                         for l in lines]
        else:
            if major == 2:
                lines = text_log(ti, try_number).splitlines(keepends=True)
            else:
                lines = [json.dumps(e) + "\n" for e in json_entries(ti, try_number)]
            done = True
        pos = 0
        if token:
            t = decode_token(token)
            if t is None:
                return self.send_json(400 if major == 2 else 422, problem(400, "Bad Request", "bad continuation token"))
            pos = int(t.get("log_pos", 0))
        new = lines[pos:]
        tok = encode_token(len(lines), done)
        if major == 2:
            text = "".join(new)
            if "text/plain" in accept:
                body = (("" if token else "worker-1\n") + text).encode("utf-8", "surrogateescape")
                return self.send_bytes(200, "text/plain", body)
            content = repr([("worker-1", text)])
            return self.send_json(200, {"continuation_token": tok, "content": content})
        entries = [] if token else list(HEADER_V3)
        raw_entries = [json.loads(l) for l in new]
        if "ndjson" in accept and "application/json" not in accept.split(",")[0]:
            body = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries + raw_entries)
            hdrs = {} if done else {"Airflow-Continuation-Token": tok}
            return self.send_bytes(200, "application/x-ndjson", body.encode("utf-8", "surrogateescape"), hdrs)
        return self.send_json(200, {"content": entries + raw_entries,
                                    "continuation_token": None if done else tok})

    def huge_document(self, mb):
        yield b'{"content": ['
        first = True
        for chunk in huge_chunks("", 3, mb):
            lines = chunk.decode().splitlines()
            part = ",".join(lines)
            if part:
                yield (("" if first else ",") + part).encode()
                first = False
        yield b'], "continuation_token": null}'


def main():
    global STATE
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--airflow", type=int, choices=(2, 3, 32), required=True,
                    help="the schema: 2 (2.10), 3 (3.1) or 32 (3.2)")
    ap.add_argument("--dsn", required=True, help="libpq connection string (a role that may write)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--auth", choices=("none", "basic", "bearer", "login"), default="none")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default="admin")
    ap.add_argument("--token", default=None)
    ap.add_argument("--token-ttl", type=float, default=3600)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--log-dir")
    ap.add_argument("--hostile", action="append", metavar="DAG/TASK")
    ap.add_argument("--huge", action="append", metavar="DAG/TASK[:MB]")
    ap.add_argument("--growing", action="append", metavar="DAG/TASK")
    ap.add_argument("--simulate-scheduler", type=float, metavar="SECONDS")
    ap.add_argument("--page-limit", type=int, default=100, metavar="N",
                    help="the server's maximum_page_limit: every page is capped at N (Airflow's default 100)")
    ap.add_argument("--openapi-dir", help="the OpenAPI documents (default: shared/reference/openapi)")
    ap.add_argument("--no-validate", action="store_true", help="do not check requests against the spec")
    ap.add_argument("--self-test", action="store_true",
                    help="also check every read answer against the spec's response schema")
    opts = ap.parse_args()
    STATE = Emu(opts)
    srv = ThreadingHTTPServer(("127.0.0.1", opts.port), Handler)
    srv.daemon_threads = True
    if opts.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(opts.tls_cert, opts.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    if opts.simulate_scheduler:
        threading.Thread(target=simulate_scheduler, args=(opts.simulate_scheduler,), daemon=True).start()
    port = srv.server_address[1]
    if opts.port_file:
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, opts.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
