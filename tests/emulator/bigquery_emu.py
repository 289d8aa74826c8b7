#!/usr/bin/python3
"""bigquery_emu.py: a BigQuery and Google auth emulator for dagtop's tests.

Standard library only (RS256 is checked with the openssl command).  Serves,
on 127.0.0.1 and a port of the system's choosing (written to --port-file):

  POST /bigquery/v2/projects/P/queries          jobs.query
  GET  /bigquery/v2/projects/P/queries/JOB      getQueryResults
  GET  /bigquery/v2/projects/P/jobs/JOB         jobs.get
  POST /token                                   OAuth token endpoint: JWT
                                                bearer (signature checked with
                                                --public-key) and refresh_token
  GET  /computeMetadata/v1/instance/service-accounts/default/token
                                                the metadata server (needs
                                                Metadata-Flavor: Google)
  GET  /v1/projects/P/locations/L/environments/E
                                                Cloud Composer's
                                                environments.get, for each
                                                --composer ENV=URL[,IMAGE]:
                                                config.airflowUri is URL

jobs.query answers at once (jobComplete true, the first page, and
totalBytesBilled, as the real one does for a quick query); a slow job
answers jobComplete false, then false once more to the first
getQueryResults.  getQueryResults never carries totalBytesBilled (the real
GetQueryResultsResponse has no such field): jobs.get has it, in
statistics.query.totalBytesBilled.  Rows come in pages of at most
PAGE_ROWS.  A requestId longer than 36 characters is refused (400 invalid),
as the jobs.query reference says.

The SQL is not run: the "-- dagtop:NAME" comment at its start says which
answer to give, computed from the fixture below; the view name
(JOBS_TIMELINE or JOBS_TIMELINE_BY_ORGANIZATION) and the filter on the
current minute are recognised too.  The fixture: reservations of the admin
project (RESERVATIONS):
  etl    baseline 300, autoscale max 100, borrows idle slots; its usage
         (a day with a morning peak near 500) passes 400 but stays within
         what bi's idle slots add
  bi     baseline 200, lends idle slots; 25 slots used by this project
         (175 with the organization view: another project uses 150)
  adhoc  baseline 50, autoscale max 50, ignore_idle_slots: 140 slots from
         130 to 110 minutes ago (above its 100), 30 otherwise
and on-demand usage (reservation_id NULL): 25 slots, 325 from 60 to 50
minutes ago.  Consumers are tied to the DAGs of --dags by the airflow-dag
labels.  Projects with special names:
  denied    403 accessDenied          badsql   400 invalidQuery
  flaky     503 backendError once     jobfail  the job fails (resourcesExceeded)
  reauth    401 once, then fine       ondemand no reservation (capacity empty)
  slow      every job slow            hot      adhoc also above in the
                                               last 10 minutes
Each request is logged to --log as "METHOD PATH [detail]".

A query may carry named TIMESTAMP parameters (parameterMode NAMED): every
@name in the SQL must be one of them (else 400 invalidQuery, as BigQuery
says), and @window_start and @window_end bound the answer to the minutes
[start, end) instead of the last 1500 (logged as "PARAMS name=value ...").
The project "pastweek" answers only with them, from a fixed week of its
own, 2026-11-16 to 2026-11-23 UTC, every figure easy to work out by hand
(PASTWEEK and PW_* below), with decoys just outside it.  The parameters
bound the answer only when the SQL filters on both of them in a WHERE
(period_start, and job_creation_time for the jobs' views, as slots_sql.c
writes it); a query that dropped its window gets every row: "pastweek"
the day either side of its week, decoys included, any other project its
last 1500 minutes.
"""
import argparse
import base64
import datetime
import re
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE_ROWS = 500
SLOW = ("slow", "jobfail")
BILLED = "10485760"     # INFORMATION_SCHEMA: the 10 MB minimum
LOCK = threading.Lock()
STATE = {"tokens": set(["emu-command-token"]), "jobs": {}, "seq": 0,
         "once": set()}
ARGS = None


def log(line):
    if ARGS.log:
        with LOCK, open(ARGS.log, "a") as f:
            f.write(line + "\n")


def bq_time(t):
    """A TIMESTAMP as BigQuery writes it: float seconds, scientific."""
    return repr(t / 1e9) + "E9"


def google_error(code, reason, message, status=None):
    e = {"code": code, "message": message,
         "errors": [{"domain": "global", "reason": reason,
                     "message": message}]}
    if status:
        e["status"] = status
    return code, {"error": e}


# --- the data -----------------------------------------------------------------

def minute_usage(t):
    """Slots in use in the minute starting at t (UTC): quiet nights, a busy
    day, and a morning peak from 08:00 to 09:10 that passes the capacity."""
    h = (t % 86400) / 3600.0
    slots = 60 + 40 * math.sin(t / 900.0) ** 2
    if 6 <= h < 20:
        slots += 150 + 60 * math.sin((h - 6) / 14 * math.pi)
    if 8 <= h < 9 + 1 / 6.0:
        # The morning load: rises to 900 slots at 08:35.
        slots += 650 * math.sin((h - 8) / (7 / 6.0) * math.pi)
    return slots


ADMIN = "demo-project"
# name: (baseline, autoscale max, ignore_idle_slots)
RESERVATIONS = {"etl": (300, 100, False), "bi": (200, 0, False),
                "adhoc": (50, 50, True)}


def minutes_back(sql, win=None):
    """The minutes of the answer: the last 1500, the current one too unless
    the query leaves it out as dagtop's does; or those of the window."""
    if win:
        start, end = win
        return list(range(start // 60 * 60, end, 60)), end
    now = int(time.time()) // 60 * 60
    last = 1 if "period_start < TIMESTAMP_TRUNC(CURRENT_TIMESTAMP(), " \
        "MINUTE)" in sql else 0
    return [now - i * 60 for i in range(1500, last - 1, -1)], now


def usage(project, t, now, org):
    """{reservation_id or None: slots} in the minute starting at t."""
    ago = (now - t) // 60
    rid = lambda n: "%s:US.%s" % (ADMIN, n)  # noqa: E731
    if project == "ondemand":
        return {None: minute_usage(t)}
    adhoc = 140 if 110 < ago <= 130 else 30
    if project == "hot" and 1 <= ago <= 10:
        adhoc = 140
    return {rid("etl"): 0.55 * minute_usage(t),
            rid("bi"): 25 + (150 if org else 0),
            rid("adhoc"): adhoc,
            None: 325 if 50 < ago <= 60 else 25}


def timeline_rows(project, sql, win=None):
    ts, now = minutes_back(sql, win)
    org = "JOBS_TIMELINE_BY_ORGANIZATION" in sql
    rows = []
    for t in ts:
        for k, (rid, slots) in enumerate(sorted(
                usage(project, t, now, org).items(),
                key=lambda kv: kv[0] or "")):
            running = int(slots / 40) + 1
            pending = 0 if (t // 60) % 97 else None  # some NULLs
            rows.append([bq_time(t), rid, str(int(round(slots * 60000))),
                         str(running), None if pending is None else
                         str(pending)])
    schema = [("minute", "TIMESTAMP"), ("reservation_id", "STRING"),
              ("slot_ms", "INTEGER"), ("running", "INTEGER"),
              ("pending", "INTEGER")]
    return schema, rows


def capacity_rows(project, sql, win=None):
    schema = [("period_start", "TIMESTAMP"), ("reservation_id", "STRING"),
              ("edition", "STRING"), ("baseline", "INTEGER"),
              ("autoscale_current", "INTEGER"), ("autoscale_max", "INTEGER"),
              ("ignore_idle_slots", "BOOLEAN")]
    if project == "ondemand":
        return schema, []
    ts, now = minutes_back(sql, win)
    rows = []
    for t in ts:
        use = usage(project, t, now, False)
        for name in sorted(RESERVATIONS):
            base, amax, ignore = RESERVATIONS[name]
            rid = "%s:US.%s" % (ADMIN, name)
            cur = int(min(amax, max(0, use.get(rid, 0) - base)))
            rows.append([bq_time(t), rid, "ENTERPRISE", str(base), str(cur),
                         str(amax), "true" if ignore else "false"])
    return schema, rows


def consumer_rows():
    dags = [d for d in ARGS.dags.split(",") if d]
    tasks = ["load_to_bq", "transform", "aggregate"]
    total_ms = sum(minute_usage(int(time.time()) // 60 * 60 - i * 60) * 60000
                   for i in range(1440))
    rows = [["total", None, None, None, None, str(int(total_ms)), "4321",
             str(7 * 2**40), str(7 * 2**40 + 2**30)]]
    users = [("airflow@demo-project.iam.gserviceaccount.com", 0.62),
             ("analyst@example.com", 0.25), ("looker@example.com", 0.13)]
    for u, share in users:
        rows.append(["user", u, u, None, None, str(int(total_ms * share)),
                     str(int(4321 * share)), str(int(7 * 2**40 * share)),
                     str(int(7 * 2**40 * share))])
    share = 0.3
    for i, d in enumerate(dags):
        t = tasks[i % len(tasks)]
        rows.append(["dag", d + "." + t, None, d, t,
                     str(int(total_ms * share)), str(40 - i),
                     str(2**40 // (i + 1)), str(2**40 // (i + 1))])
        share /= 2
    for i, d in enumerate(dags[:4] + [None]):
        rows.append(["job", "job_%04d_emu" % (i + 1),
                     users[0][0] if d else users[1][0], d,
                     tasks[i % len(tasks)] if d else None,
                     str(int(total_ms * 0.05 / (i + 1))), "1",
                     str(2**38 // (i + 1)), str(2**38 // (i + 1))])
    schema = [("kind", "STRING"), ("key", "STRING"), ("user", "STRING"),
              ("dag", "STRING"), ("task", "STRING"), ("slot_ms", "INTEGER"),
              ("jobs", "INTEGER"), ("bytes_processed", "INTEGER"),
              ("bytes_billed", "INTEGER")]
    return schema, rows


# --- the fixed past week of project "pastweek" --------------------------------

def utc(*a):
    return int(datetime.datetime(*a, tzinfo=datetime.timezone.utc)
               .timestamp())


PASTWEEK = (utc(2026, 11, 16), utc(2026, 11, 23))
PW_ETL_SPIKE = utc(2026, 11, 19, 10, 0)          # etl 420 for a minute
PW_ADHOC = (utc(2026, 11, 20, 14, 0), utc(2026, 11, 20, 14, 20))  # 140
PW_ONDEMAND = (utc(2026, 11, 18, 9, 0), utc(2026, 11, 18, 10, 0))  # 50
# Just outside the week: 999 slots on etl, seen only past its bounds.
PW_DECOYS = (PASTWEEK[0] - 60, PASTWEEK[1])
# (job, user, dag, task, minute, slot_ms, bytes billed); the last two are
# outside the week.
PW_AIRFLOW = "airflow@demo-project.iam.gserviceaccount.com"
PW_JOBS = [
    ("job_pw_1", PW_AIRFLOW, "etl_daily", "load_to_bq",
     utc(2026, 11, 17, 3, 0), 6000000, 2**30),
    ("job_pw_2", PW_AIRFLOW, "etl_daily", "load_to_bq",
     utc(2026, 11, 18, 3, 0), 4000000, 2**30),
    ("job_pw_3", "analyst@example.com", None, None,
     utc(2026, 11, 19, 10, 0), 8000000, 2 * 2**30),
    ("job_pw_4", PW_AIRFLOW, "report_weekly", "build",
     utc(2026, 11, 20, 14, 0), 2000000, 2**29),
    ("job_pw_5", "analyst@example.com", "etl_daily", "transform",
     PASTWEEK[1], 50000000, 2**40),
    ("job_pw_6", "looker@example.com", "adhoc_dag", "x",
     PASTWEEK[0] - 60, 30000000, 2**40),
]


def pastweek_usage(t):
    """{reservation_id or None: slots} in the minute starting at t."""
    rid = lambda n: "%s:US.%s" % (ADMIN, n)  # noqa: E731
    u = {rid("etl"): 100}
    if t == PW_ETL_SPIKE:
        u[rid("etl")] = 420
    if t in PW_DECOYS:
        u[rid("etl")] = 999
    if PW_ADHOC[0] <= t < PW_ADHOC[1]:
        u[rid("adhoc")] = 140
    if PW_ONDEMAND[0] <= t < PW_ONDEMAND[1]:
        u[None] = 50
    return u


def pastweek_timeline(win):
    ts, _ = minutes_back("", win)
    rows = []
    for t in ts:
        for rid, slots in sorted(pastweek_usage(t).items(),
                                 key=lambda kv: kv[0] or ""):
            rows.append([bq_time(t), rid, str(slots * 60000), "1", "0"])
    schema = [("minute", "TIMESTAMP"), ("reservation_id", "STRING"),
              ("slot_ms", "INTEGER"), ("running", "INTEGER"),
              ("pending", "INTEGER")]
    return schema, rows


def pastweek_capacity(win):
    """One row per reservation an hour before the window (the query reaches
    a day back for it): it carries into every minute."""
    schema = [("period_start", "TIMESTAMP"), ("reservation_id", "STRING"),
              ("edition", "STRING"), ("baseline", "INTEGER"),
              ("autoscale_current", "INTEGER"), ("autoscale_max", "INTEGER"),
              ("ignore_idle_slots", "BOOLEAN")]
    rows = []
    for name in sorted(RESERVATIONS):
        base, amax, ignore = RESERVATIONS[name]
        rows.append([bq_time(win[0] - 3600), "%s:US.%s" % (ADMIN, name),
                     "ENTERPRISE", str(base), "0", str(amax),
                     "true" if ignore else "false"])
    return schema, rows


def pastweek_consumers(win, top):
    """The SQL's four groupings over the jobs of the window."""
    jobs = [j for j in PW_JOBS if win[0] <= j[4] < win[1]]

    def group(keyf, label):
        g = {}
        for j in jobs:
            k = keyf(j)
            if k is None:
                continue
            e = g.setdefault(k, [0, 0, 0])
            e[0] += j[5]
            e[1] += 1
            e[2] += j[6]
        out = sorted(g.items(), key=lambda kv: -kv[1][0])[:top]
        return [label(k, e) for k, e in out]
    rows = [["total", None, None, None, None,
             str(sum(j[5] for j in jobs)), str(len(jobs)),
             str(sum(j[6] for j in jobs)), str(sum(j[6] for j in jobs))]]
    rows += group(lambda j: j[1], lambda k, e: [
        "user", k, k, None, None, str(e[0]), str(e[1]), str(e[2]),
        str(e[2])])
    rows += group(lambda j: (j[2], j[3]) if j[2] else None,
                  lambda k, e: ["dag", k[0] + ("." + k[1] if k[1] else ""),
                                None, k[0], k[1], str(e[0]), str(e[1]),
                                str(e[2]), str(e[2])])
    for j in sorted(jobs, key=lambda j: -j[5])[:top]:
        rows.append(["job", j[0], j[1], j[2], j[3], str(j[5]), "1",
                     str(j[6]), str(j[6])])
    schema = [("kind", "STRING"), ("key", "STRING"), ("user", "STRING"),
              ("dag", "STRING"), ("task", "STRING"), ("slot_ms", "INTEGER"),
              ("jobs", "INTEGER"), ("bytes_processed", "INTEGER"),
              ("bytes_billed", "INTEGER")]
    return schema, rows


def query_window(params):
    """(start, end) epoch seconds from @window_start and @window_end, or
    None."""
    v = {}
    for p in params or []:
        try:
            if p["parameterType"]["type"] != "TIMESTAMP":
                continue
            v[p["name"]] = int(datetime.datetime.fromisoformat(
                p["parameterValue"]["value"]).timestamp())
        except (KeyError, TypeError, ValueError):
            continue
    if "window_start" in v and "window_end" in v:
        return v["window_start"], v["window_end"]
    return None


def missing_param(sql, params):
    """The first @name of the SQL that no parameter declares, or None."""
    names = set(p.get("name") for p in params or [] if isinstance(p, dict))
    for n in re.findall(r"@([A-Za-z_][A-Za-z_0-9]*)", sql):
        if n not in names:
            return n
    return None


# The bounds a windowed query must filter on, in its WHERE, as slots_sql.c
# writes them: period_start within the window, and for the jobs' views
# job_creation_time (the partition column) too.
PERIOD_BOUNDS = (
    re.compile(r"\bWHERE\b[\s\S]*\bperiod_start\s*>=\s*"
               r"(?:TIMESTAMP_SUB\(\s*)?@window_start\b"),
    re.compile(r"\bWHERE\b[\s\S]*\bperiod_start\s*<\s*@window_end\b"))
CREATION_BOUNDS = (
    re.compile(r"\bWHERE\b[\s\S]*\bjob_creation_time\s*>=\s*"
               r"(?:TIMESTAMP_SUB\(\s*)?@window_start\b"),
    re.compile(r"\bWHERE\b[\s\S]*\bjob_creation_time\s*<\s*@window_end\b"))


def bounds_window(sql):
    """Whether the SQL filters on both window parameters as it should: a
    query that carries them but dropped its WHERE on them gets no window."""
    need = PERIOD_BOUNDS
    if "JOBS_TIMELINE" in sql:
        need += CREATION_BOUNDS
    return all(r.search(sql) for r in need)


def answer_for(project, sql, params=None):
    first = sql.split("\n", 1)[0].strip()
    win = query_window(params)
    if win is not None and not bounds_window(sql):
        # Unfiltered, BigQuery would answer every row: the decoys too.
        win = (PASTWEEK[0] - 86400, PASTWEEK[1] + 86400) \
            if project == "pastweek" else None
    if project == "pastweek":
        if win is None:
            return None
        m = re.search(r"LIMIT (\d+)", sql)
        top = int(m.group(1)) if m else 15
        if first == "-- dagtop:timeline":
            return pastweek_timeline(win)
        if first == "-- dagtop:capacity":
            return pastweek_capacity(win)
        if first == "-- dagtop:consumers":
            return pastweek_consumers(win, top)
        return None
    if first == "-- dagtop:timeline":
        return timeline_rows(project, sql, win)
    if first == "-- dagtop:capacity":
        return capacity_rows(project, sql, win)
    if first == "-- dagtop:consumers":
        return consumer_rows()
    return None


# --- JWT ----------------------------------------------------------------------

def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def check_jwt(assertion, audience):
    parts = assertion.split(".")
    if len(parts) != 3:
        return "the assertion is not a JWT"
    if any("=" in p for p in parts):
        return "base64url must not be padded"
    try:
        header = json.loads(b64d(parts[0]))
        claims = json.loads(b64d(parts[1]))
        sig = b64d(parts[2])
    except Exception as e:  # noqa: BLE001
        return "undecodable JWT: %s" % e
    if header.get("alg") != "RS256" or header.get("typ") != "JWT":
        return "header must be RS256 JWT"
    if header.get("kid") != "emu-key-1":
        return "kid %r is not the key's private_key_id" % header.get("kid")
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "in"), "wb") as f:
            f.write((parts[0] + "." + parts[1]).encode())
        with open(os.path.join(d, "sig"), "wb") as f:
            f.write(sig)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify",
                            ARGS.public_key, "-signature",
                            os.path.join(d, "sig"), os.path.join(d, "in")],
                           capture_output=True)
        if r.returncode != 0:
            return "invalid JWT signature"
    now = time.time()
    if claims.get("aud") != audience:
        return "aud %r is not %r" % (claims.get("aud"), audience)
    if claims.get("iss") != "dagtop-test@emu-project.iam.gserviceaccount.com":
        return "unknown iss"
    # cloud-platform covers BigQuery and Cloud Composer (airflow_auth =
    # google asks it), as Google's own scopes do.
    scope = claims.get("scope", "")
    if "bigquery" not in scope and not scope.endswith("/auth/cloud-platform"):
        return "scope lacks BigQuery"
    iat, exp = claims.get("iat", 0), claims.get("exp", 0)
    if abs(iat - now) > 300 or exp - iat > 3600 or exp <= now:
        return "iat/exp out of range"
    return None


def issue(prefix):
    with LOCK:
        STATE["seq"] += 1
        # --fixed-token: one token, so that the Airflow emulator can be
        # told it (--auth bearer --token) and check what dagtop sends.
        tok = ARGS.fixed_token or "emu-%s-%d" % (prefix, STATE["seq"])
        STATE["tokens"].add(tok)
    return {"access_token": tok, "expires_in": 3599, "token_type": "Bearer"}


# --- HTTP ---------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):  # quiet
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def authorized(self):
        a = self.headers.get("Authorization", "")
        if a.startswith("Bearer ") and a[7:] in STATE["tokens"]:
            return True
        self.reply(*google_error(401, "authError", "Request had invalid "
                                 "authentication credentials.",
                                 "UNAUTHENTICATED"))
        return False

    def once(self, key):
        with LOCK:
            if key in STATE["once"]:
                return False
            STATE["once"].add(key)
            return True

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        p = u.path.split("/")
        if u.path == "/computeMetadata/v1/instance/service-accounts/default/token":
            log("GET metadata-token")
            if self.headers.get("Metadata-Flavor") != "Google":
                self.reply(403, {"error": "Missing Metadata-Flavor:Google "
                                 "header"})
                return
            self.reply(200, issue("md"))
            return
        if len(p) == 8 and p[1:3] == ["v1", "projects"] and \
                p[4] == "locations" and p[6] == "environments":
            self.environment("/".join(p[2:]))
            return
        if len(p) == 7 and p[1:4] == ["bigquery", "v2", "projects"] and \
                p[5] == "jobs":
            self.jobs_get(p[4], p[6], q)
            return
        if len(p) == 7 and p[1:4] == ["bigquery", "v2", "projects"] and \
                p[5] == "queries":
            project, job_id = p[4], p[6]
            log("GET queries/%s page=%s" % (job_id, q.get("pageToken",
                                                         [""])[0]))
            if not self.authorized():
                return
            job = STATE["jobs"].get(job_id)
            if job is None or job["project"] != project:
                self.reply(*google_error(404, "notFound", "Not found: Job "
                                         "%s:%s" % (project, job_id)))
                return
            if q.get("location", [""])[0] != job["location"]:
                self.reply(*google_error(404, "notFound", "Not found: Job "
                                         "%s in location %s" %
                                         (job_id, q.get("location", [""])[0])))
                return
            job["polls"] += 1
            if job["slow"] and job["polls"] < 2:
                self.reply(200, {"kind": "bigquery#getQueryResultsResponse",
                                 "jobReference": job["ref"],
                                 "jobComplete": False})
                return
            if project == "jobfail":
                self.reply(*google_error(400, "resourcesExceeded",
                                         "Resources exceeded during query "
                                         "execution."))
                return
            start = int(q.get("pageToken", ["0"])[0] or 0)
            size = min(PAGE_ROWS, int(q.get("maxResults", [PAGE_ROWS])[0]))
            self.reply(200, self.page(job, start, size))
            return
        self.reply(404, {"error": {"code": 404, "message": "no such path"}})

    def environment(self, name):
        """environments.get: the Environment resource, as Composer 2/3's."""
        log("GET composer %s" % name)
        if not self.authorized():
            return
        for c in ARGS.composer or []:
            env, _, rest = c.partition("=")
            url, _, image = rest.partition(",")
            if env != name:
                continue
            self.reply(200, {
                "name": name, "uuid": "00000000-0000-4000-8000-000000000001",
                "state": "RUNNING",
                "config": {
                    "airflowUri": url,
                    "dagGcsPrefix": "gs://emu-bucket/dags",
                    "softwareConfig": {"imageVersion": image or
                                       "composer-3-airflow-2.10.5"},
                    "environmentSize": "ENVIRONMENT_SIZE_SMALL"}})
            return
        self.reply(*google_error(404, "notFound", "Environment %s not found."
                                 % name, "NOT_FOUND"))

    def jobs_get(self, project, job_id, q):
        """jobs.get: the Job resource, its statistics once DONE."""
        log("GET jobs/%s" % job_id)
        if not self.authorized():
            return
        job = STATE["jobs"].get(job_id)
        if job is None or job["project"] != project or \
                q.get("location", [""])[0] != job["location"]:
            self.reply(*google_error(404, "notFound", "Not found: Job "
                                     "%s:%s" % (project, job_id)))
            return
        done = job["polls"] >= 2 or not job["slow"]
        out = {"kind": "bigquery#job", "id": "%s:%s.%s" % (
            project, job["location"], job_id), "jobReference": job["ref"],
            "status": {"state": "DONE" if done else "RUNNING"},
            "statistics": {"creationTime": "1700000000000"}}
        if done:
            out["statistics"].update({
                "totalBytesProcessed": "1048576",
                "query": {"totalBytesProcessed": "1048576",
                          "totalBytesBilled": BILLED, "cacheHit": False}})
        self.reply(200, out)

    def page(self, job, start, size, kind="getQueryResults"):
        """A page of rows.  GetQueryResultsResponse has no totalBytesBilled;
        the QueryResponse of jobs.query does."""
        rows = job["rows"][start:start + size]
        out = {"kind": "bigquery#%sResponse" % kind,
               "jobReference": job["ref"], "jobComplete": True,
               "schema": {"fields": [{"name": n, "type": t,
                                      "mode": "NULLABLE"}
                                     for n, t in job["schema"]]},
               "totalRows": str(len(job["rows"])),
               "rows": [{"f": [{"v": c} for c in r]} for r in rows],
               "totalBytesProcessed": "1048576", "cacheHit": False}
        if kind == "query":
            out["totalBytesBilled"] = BILLED
        if start + size < len(job["rows"]):
            out["pageToken"] = str(start + size)
        return out

    def do_POST(self):
        u = urllib.parse.urlsplit(self.path)
        p = u.path.split("/")
        raw = self.body()
        if u.path == "/token":
            self.token(urllib.parse.parse_qs(raw.decode()))
            return
        if len(p) == 6 and p[1:4] == ["bigquery", "v2", "projects"] and \
                p[5] == "queries":
            project = p[4]
            if not self.authorized():
                log("POST queries 401")
                return
            try:
                req = json.loads(raw)
            except ValueError:
                self.reply(*google_error(400, "parseError", "bad JSON"))
                return
            sql = req.get("query", "")
            rid = req.get("requestId")
            log("POST queries %s" % sql.split("\n", 1)[0])
            if rid is not None and (not isinstance(rid, str) or
                                    len(rid) > 36 or not rid.isascii()):
                self.reply(*google_error(400, "invalid", "Invalid value "
                                         "for requestId: at most 36 ASCII "
                                         "characters", "INVALID_ARGUMENT"))
                return
            if project == "reauth" and self.once("reauth"):
                STATE["tokens"].discard(self.headers["Authorization"][7:])
                self.reply(*google_error(401, "authError", "Request had "
                                         "invalid authentication "
                                         "credentials.", "UNAUTHENTICATED"))
                return
            if project == "flaky" and self.once("flaky"):
                self.reply(*google_error(503, "backendError", "Backend "
                                         "error. Job aborted."))
                return
            if project == "denied":
                self.reply(*google_error(403, "accessDenied", "Access Denied:"
                                         " Project denied: User does not have"
                                         " bigquery.jobs.create permission "
                                         "in project denied."))
                return
            if req.get("useLegacySql") is not False:
                self.reply(*google_error(400, "invalidQuery", "Legacy SQL "
                                         "cannot read INFORMATION_SCHEMA"))
                return
            params = req.get("queryParameters")
            if params is not None:
                log("PARAMS " + " ".join(
                    "%s=%s" % (p.get("name"), (p.get("parameterValue") or
                                               {}).get("value"))
                    for p in params if isinstance(p, dict)))
            missing = missing_param(sql, params)
            if missing is not None:
                self.reply(*google_error(400, "invalidQuery", "Query "
                                         "parameter '%s' not found" %
                                         missing))
                return
            if project == "badsql" or \
                    answer_for(project, sql, params) is None:
                self.reply(*google_error(400, "invalidQuery", "Syntax error: "
                                         "Unexpected identifier at [1:1]"))
                return
            loc = req.get("location")
            if not loc:
                self.reply(*google_error(400, "invalid", "location is "
                                         "required for region-qualified "
                                         "INFORMATION_SCHEMA"))
                return
            schema, rows = answer_for(project, sql, params)
            with LOCK:
                STATE["seq"] += 1
                job_id = "job_emu_%d" % STATE["seq"]
            ref = {"projectId": project, "jobId": job_id, "location": loc}
            slow = project in SLOW
            job = {"project": project, "location": loc, "schema": schema,
                   "rows": rows, "ref": ref, "polls": 0, "slow": slow}
            STATE["jobs"][job_id] = job
            if slow:
                self.reply(200, {"kind": "bigquery#queryResponse",
                                 "jobReference": ref, "jobComplete": False})
                return
            size = min(PAGE_ROWS, int(req.get("maxResults") or PAGE_ROWS))
            self.reply(200, self.page(job, 0, size, "query"))
            return
        self.reply(404, {"error": {"code": 404, "message": "no such path"}})

    def token(self, form):
        grant = form.get("grant_type", [""])[0]
        audience = "http://127.0.0.1:%d/token" % self.server.server_port
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            why = check_jwt(form.get("assertion", [""])[0], audience)
            log("POST token jwt %s" % ("ok" if why is None else why))
            if why:
                self.reply(400, {"error": "invalid_grant",
                                 "error_description": why})
                return
            self.reply(200, issue("sa"))
            return
        if grant == "refresh_token":
            ok = (form.get("client_id", [""])[0] == "emu-client.apps" and
                  form.get("client_secret", [""])[0] == "emu-secret" and
                  form.get("refresh_token", [""])[0] == "emu-refresh-token")
            log("POST token refresh %s" % ("ok" if ok else "bad"))
            if not ok:
                self.reply(400, {"error": "invalid_grant",
                                 "error_description": "Bad Request"})
                return
            self.reply(200, issue("user"))
            return
        log("POST token unsupported")
        self.reply(400, {"error": "unsupported_grant_type"})


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--public-key", help="PEM public key for JWT checks")
    ap.add_argument("--log")
    ap.add_argument("--dags", default="etl_daily")
    ap.add_argument("--composer", action="append",
                    metavar="projects/P/locations/L/environments/E=URL[,IMAGE]")
    ap.add_argument("--fixed-token", help="the one access token issued")
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_port)
    os.rename(tmp, ARGS.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
