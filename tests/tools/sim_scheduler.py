#!/usr/bin/python3
"""A simulated Airflow scheduler, workers, users and DAG processor, for
dagtop's soak test (tests/integration/test_db_soak.c).

It changes a test metadata database (the 2.10, 3.1 or 3.2 schema of
tests/schema) at random, seeded, the way Airflow does: each change in its
own transaction, with the columns Airflow sets (airflow.md sections 1 and 4):

- the scheduler: scheduled runs created queued, advancing the DAG's
  next_dagrun fields (next_dagrun_create_after NULL while a DAG has
  max_active_runs runs, set again when one ends); queued runs started;
  task instances none -> scheduled (try_number + 1) -> queued, up_for_retry
  -> scheduled, upstream_failed below a failure; runs ended (success or
  failed by their task instances) once none is unfinished; job heartbeats.
- workers: queued -> running -> success, failed or up_for_retry, with the
  `log` rows 2.x's task runner writes ("running", "success", "failed").
- users, each action preceded by the audit `log` row Airflow commits before
  the action itself (2.10 airflow/www/decorators.py action_logging: "api."
  or "ui." + the endpoint for the REST API, the view's name for the UI;
  3.1 api_fastapi/logging/decorators.py: the endpoint's name; the CLI:
  "cli_" + the command): clear a run or a task (task instances to no state,
  a running one to restarting, the run to queued with clear_number + 1),
  mark a run success or failed, delete a run, pause and unpause a DAG,
  trigger a manual run.
- the DAG processor: a file's DAGs gaining and losing import errors
  (has_import_errors, and the import_error or parse_import_error row when
  the schema has the table), a new DAG, a DAG going stale and coming back.
- fast runs: created, run and ended in a burst of transactions, between
  two reads of a console.
- with --with, what no cheap read sees (OPTIONAL below): an edited DAG
  file re-parsed, and 2.x's Browse list actions.

Not written: task_instance_history rows of a clear, serialized DAGs, 3.x
task instance ids as UUIDv7 in bulk updates (gen_random_uuid() there).

Driven on stdin, one command a line: "resume" starts (or restarts) the
changes, "pause" finishes the action under way and answers "paused",
"last" prints the last actions then "end", "counts" the changes of each
kind then "end", "quit" the counts and exits.  "ready" is printed once the
simulator's own DAGs are in the database.

Standard library plus psycopg2 (Debian: python3-psycopg2).
"""

import argparse
import collections
import json
import queue
import random
import secrets
import sys
import threading
import time
import uuid

import psycopg2

sys.dont_write_bytecode = True

DAY = 86400
# Events of the audit log, per action and Airflow major version, with the
# origins that write them.  None as dag_id: the row names no DAG.
EVENTS = {
    2: {
        "pause": ["api.patch_dag", "ui.patch_dag", "paused", "cli_pause"],
        "unpause": ["api.patch_dag", "ui.patch_dag", "paused", "cli_unpause"],
        "trigger": ["api.post_dag_run", "trigger", "cli_trigger"],
        "clear_run": ["api.clear_dag_run", "ui.clear_dag_run", "clear"],
        "clear_task": ["api.post_clear_task_instances",
                       "ui.post_clear_task_instances", "clear", "cli_clear"],
        "mark_success": ["api.update_dag_run_state", "dagrun_success"],
        "mark_failed": ["api.update_dag_run_state", "dagrun_failed"],
        "delete_run": ["api.delete_dag_run", "ui.delete_dag_run"],
    },
    3: {
        "pause": ["patch_dag", "cli_pause"],
        "unpause": ["patch_dag", "cli_unpause"],
        "trigger": ["trigger_dag_run", "cli_trigger"],
        "clear_run": ["clear_dag_run"],
        "clear_task": ["post_clear_task_instances", "cli_clear"],
        "mark_success": ["patch_dag_run"],
        "mark_failed": ["patch_dag_run"],
        "delete_run": ["delete_dag_run"],
    },
}

# What a loop turn does, and how often, relative.
WEIGHTS = {
    "create_scheduled": 10, "start_runs": 8, "schedule_tis": 10,
    "queue_tis": 10, "run_tis": 10, "finish_tis": 10, "retry_tis": 3,
    "finish_runs": 8, "heartbeat": 2, "fast": 3,
    "clear_run": 2, "clear_task": 2, "mark_success": 1, "mark_failed": 1,
    "delete_run": 1, "pause": 1, "unpause": 1, "trigger": 2,
    "import_error": 1, "import_fixed": 1, "new_dag": 0.5, "stale": 0.5,
    "reactivate": 0.5,
}
# Changes Airflow makes that no cheap read can see, off unless --with
# names them: an edited DAG file re-parsed (schedule, owners: only
# last_parsed_time, unindexed, moves, as it does for every parse), and
# 2.x's Browse lists (Browse > DAG Runs, Task Instances), whose actions
# write audit rows that name no DAG (the form carries row ids).
OPTIONAL = {"dag_edit": 1, "browse": 1}


def uuid7():
    """A UUIDv7, as 3.x makes task instance ids."""
    b = bytearray(int(time.time() * 1000).to_bytes(6, "big") + secrets.token_bytes(10))
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))


class Sim:
    def __init__(self, o):
        self.o = o
        self.schema = o.schema
        self.major = 2 if o.schema == 2 else 3
        self.rng = random.Random(o.seed)
        self.conn = psycopg2.connect(o.dsn)
        self.conn.autocommit = False
        self.cur = self.conn.cursor()
        self.counts = collections.Counter()
        self.last = collections.deque(maxlen=40)
        self.date_col = "execution_date" if self.major == 2 else "logical_date"
        self.tables = {t: self.has_table(t) for t in (
            "import_error", "parse_import_error", "task_instance_history",
            "dag_version", "log_template", "dag_bundle")}
        self.conn.commit()
        self.sched_job = None
        self.dags = {}          # dag_id -> {"interval", "tasks", "retries", "mar", "file"}
        self.serial = 0
        self.weights = dict(WEIGHTS)
        for k in o.with_ or []:
            self.weights[k] = OPTIONAL[k]

    # --- helpers ------------------------------------------------------

    def has_table(self, name):
        self.cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return self.cur.fetchone()[0]

    def q(self, sql, args=()):
        self.cur.execute(sql, args)

    def rows(self, sql, args=()):
        self.cur.execute(sql, args)
        return self.cur.fetchall()

    def one(self, sql, args=()):
        self.cur.execute(sql, args)
        return self.cur.fetchone()

    def commit(self):
        # Now and then the commit lands a little after the instants the
        # transaction wrote (now() is its start), as an ORM flush does;
        # rarely seconds after, as a scheduler loop on a busy database.
        u = self.rng.random()
        if u < 0.01:
            time.sleep(0.5 + self.rng.random() * 1.5)
        elif u < 0.1:
            time.sleep(self.rng.random() * 0.05)
        self.conn.commit()

    def note(self, kind, what):
        self.counts[kind] += 1
        self.last.append("%.3f %s %s" % (time.time(), kind, what))

    def pick(self, sql, args=()):
        r = self.rows(sql + " ORDER BY random() LIMIT 1", args)
        return r[0] if r else None

    def version_of(self, dag_id):
        if not self.tables["dag_version"]:
            return None
        r = self.one("SELECT id FROM dag_version WHERE dag_id = %s "
                     "ORDER BY version_number DESC LIMIT 1", (dag_id,))
        return r[0] if r else None

    def audit(self, action, dag_id, run_id=None, extra=None, task_id=None):
        """The audit row Airflow commits before the action itself."""
        event = self.rng.choice(EVENTS[self.major][action])
        ex = dict(extra or {})
        if self.major == 3 and not event.startswith("cli_"):
            ex["method"] = "DELETE" if "delete" in event else \
                "PATCH" if "patch" in event else "POST"
        if event.startswith("cli_"):
            ex = {"host_name": "airflow-cli", "full_command": "['airflow', '%s', '%s']" % (event[4:], dag_id)}
        self.q("INSERT INTO log (dttm, dag_id, task_id, event, " + self.date_col +
               ", run_id, owner, owner_display_name, extra) VALUES "
               "(now(), %s, %s, %s, NULL, %s, 'admin', 'Admin', %s)",
               (dag_id, task_id, event, None if event.startswith("cli_") else run_id,
                json.dumps(ex)))
        self.commit()
        # The endpoint runs after the decorator's commit.
        if self.rng.random() < 0.3:
            time.sleep(self.rng.random() * 0.02)
        return event

    def worker_log(self, event, dag_id, task_id, run_id, try_number, map_index):
        """2.x's task runner: Log(state, ti) in the state change's transaction."""
        if self.major != 2:
            return
        self.q("INSERT INTO log (dttm, dag_id, task_id, map_index, event, execution_date, "
               "run_id, owner, extra, try_number) SELECT now(), %s, %s, %s, %s, r.execution_date, "
               "%s, 'data-eng', NULL, %s FROM dag_run r WHERE r.dag_id = %s AND r.run_id = %s",
               (dag_id, task_id, map_index, event, run_id, try_number, dag_id, run_id))

    # --- set-up -------------------------------------------------------

    def insert_dag(self, dag_id, interval, paused, first):
        """A DAG as the DAG processor writes it, next run at first."""
        fileloc = "/dags/%s.py" % dag_id.rsplit("_", 1)[0]
        summary = {3600: "@hourly", DAY: "@daily", 300: "*/5 * * * *"}[interval]
        nxt = (iso(first), iso(first), iso(first + interval), iso(first + interval))
        if self.major == 2:
            self.q("INSERT INTO dag (dag_id, is_paused, is_subdag, is_active, last_parsed_time, "
                   "fileloc, owners, schedule_interval, timetable_description, max_active_tasks, "
                   "max_active_runs, max_consecutive_failed_dag_runs, has_task_concurrency_limits, "
                   "has_import_errors, next_dagrun, next_dagrun_data_interval_start, "
                   "next_dagrun_data_interval_end, next_dagrun_create_after) VALUES "
                   "(%s, %s, false, true, now(), %s, 'data-eng', %s, %s, 16, 3, 0, false, false, "
                   "%s, %s, %s, %s)",
                   (dag_id, paused, fileloc, json.dumps(summary), "soak " + summary) + nxt)
            return
        cols = ("dag_id, is_paused, is_stale, last_parsed_time, fileloc, relative_fileloc, "
                "bundle_name, owners, timetable_summary, timetable_description, max_active_tasks, "
                "max_active_runs, max_consecutive_failed_dag_runs, has_task_concurrency_limits, "
                "has_import_errors, next_dagrun, next_dagrun_data_interval_start, "
                "next_dagrun_data_interval_end, next_dagrun_create_after")
        vals = "%s, %s, false, now(), %s, %s, 'dags-folder', 'data-eng', %s, %s, 16, 3, 0, false, false, %s, %s, %s, %s"
        args = (dag_id, paused, fileloc, fileloc[7:], summary, "soak " + summary) + nxt
        if self.schema == 32:
            cols += ", timetable_type"
            vals += ", 'CronTriggerTimetable'"
        self.q("INSERT INTO dag (" + cols + ") VALUES (" + vals + ")", args)
        self.q("INSERT INTO dag_version (id, version_number, dag_id, bundle_name, created_at, "
               "last_updated) VALUES (%s, 1, %s, 'dags-folder', now(), now())", (uuid7(), dag_id))

    def new_dag_spec(self):
        return {"interval": self.rng.choice([300, 3600, 3600, DAY]),
                "tasks": ["t%d" % i for i in range(self.rng.randint(1, 4))],
                "retries": self.rng.choice([0, 1]), "mar": 3}

    def setup(self):
        """The simulator's DAGs, some with more history than a run strip."""
        if self.tables["dag_bundle"]:
            self.q("INSERT INTO dag_bundle (name, active) VALUES ('dags-folder', true) "
                   "ON CONFLICT DO NOTHING")
        r = self.one("SELECT id FROM job WHERE job_type = 'SchedulerJob' AND state = 'running' "
                     "ORDER BY id LIMIT 1")
        self.sched_job = r[0] if r else None
        now = int(time.time())
        for k in range(self.o.dags):
            dag_id = "soak_%02d_%d" % (k // 3, k)
            spec = self.new_dag_spec()
            history = self.rng.choice([0, 2, 5, 9, 10, 11, 14])
            first = (now // spec["interval"] - history - 2) * spec["interval"]
            self.insert_dag(dag_id, spec["interval"], self.rng.random() < 0.1, first)
            self.dags[dag_id] = spec
            for _ in range(history):
                self.create_run(dag_id, finished=True)
        self.conn.commit()
        # The fixture's own DAGs take user actions and manual runs too.
        for (d,) in self.rows("SELECT dag_id FROM dag WHERE dag_id NOT IN %s",
                              (tuple(self.dags) or ("",),)):
            self.dags[d] = {"interval": DAY, "tasks": ["t0"], "retries": 0, "mar": 16,
                            "foreign": True}
        self.conn.commit()

    # --- runs ---------------------------------------------------------

    def insert_run(self, dag_id, run_id, run_type, logical, after, dis, die, state,
                   start=None, end=None):
        """One dag_run row with the columns the scheduler or the API sets."""
        ver = self.version_of(dag_id)
        lt = None
        if self.tables["log_template"]:
            r = self.one("SELECT max(id) FROM log_template")
            lt = r[0] if r else None
        if self.major == 2:
            self.q("INSERT INTO dag_run (dag_id, queued_at, execution_date, start_date, end_date, "
                   "state, run_id, creating_job_id, external_trigger, run_type, data_interval_start, "
                   "data_interval_end, last_scheduling_decision, dag_hash, log_template_id, "
                   "updated_at, clear_number) VALUES (%s, now(), %s, %s, %s, %s, %s, %s, %s, %s, "
                   "%s, %s, NULL, md5(%s), %s, now(), 0)",
                   (dag_id, logical, start, end, state, run_id, self.sched_job,
                    run_type == "manual", run_type, dis, die, dag_id, lt))
        else:
            cols = ("dag_id, queued_at, logical_date, start_date, end_date, state, run_id, "
                    "creating_job_id, run_type, triggered_by, triggering_user_name, "
                    "data_interval_start, data_interval_end, run_after, log_template_id, "
                    "updated_at, clear_number, created_dag_version_id")
            vals = "%s, now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now(), 0, %s"
            args = [dag_id, logical, start, end, state, run_id, self.sched_job, run_type,
                    "timetable" if run_type == "scheduled" else "rest_api",
                    None if run_type == "scheduled" else "admin", dis, die, after, lt, ver]
            if self.schema == 32:
                cols += ", created_at"
                vals += ", now()"
            self.q("INSERT INTO dag_run (" + cols + ") VALUES (" + vals + ")", args)
        spec = self.dags[dag_id]
        for t in spec["tasks"]:
            st = "success" if state == "success" else None
            if self.major == 2:
                self.q("INSERT INTO task_instance (task_id, dag_id, run_id, map_index, state, "
                       "try_number, max_tries, start_date, end_date, duration, hostname, unixname, "
                       "pool, pool_slots, queue, priority_weight, operator, updated_at) VALUES "
                       "(%s, %s, %s, -1, %s, %s, %s, %s, %s, %s, '', 'airflow', 'default_pool', 1, "
                       "'default', 1, 'BashOperator', now())",
                       (t, dag_id, run_id, st, 1 if st else 0, spec["retries"], start, end,
                        1.0 if st else None))
            else:
                self.q("INSERT INTO task_instance (id, task_id, dag_id, run_id, map_index, state, "
                       "try_number, max_tries, start_date, end_date, duration, hostname, unixname, "
                       "pool, pool_slots, queue, priority_weight, operator, updated_at, "
                       "dag_version_id) VALUES (%s, %s, %s, %s, -1, %s, %s, %s, %s, %s, %s, '', "
                       "'airflow', 'default_pool', 1, 'default', 1, 'BashOperator', now(), %s)",
                       (uuid7(), t, dag_id, run_id, st, 1 if st else 0, spec["retries"], start,
                        end, 1.0 if st else None, ver))

    def active_runs(self, dag_id):
        return self.one("SELECT count(*) FROM dag_run WHERE dag_id = %s AND state IN "
                        "('queued', 'running')", (dag_id,))[0]

    def create_run(self, dag_id, finished=False):
        """The next scheduled run of dag_id, and the DAG's next_dagrun fields
        moved on, in the caller's transaction.  Returns the run_id or None."""
        spec = self.dags[dag_id]
        r = self.one("SELECT extract(epoch FROM next_dagrun)::int8, "
                     "extract(epoch FROM next_dagrun_create_after)::int8 FROM dag "
                     "WHERE dag_id = %s", (dag_id,))
        if r is None or r[0] is None:
            return None
        logical, iv = r[0], spec["interval"]
        run_id = "scheduled__" + iso(logical)
        end = logical + iv
        if finished:
            self.insert_run(dag_id, run_id, "scheduled", iso(logical), iso(end), iso(logical),
                            iso(end), "success", iso(end + 60), iso(end + 120))
        else:
            self.insert_run(dag_id, run_id, "scheduled", iso(logical), iso(end), iso(logical),
                            iso(end), "queued")
        # calculate_dagrun_date_fields; NULL create_after at max_active_runs.
        full = not finished and self.active_runs(dag_id) >= spec["mar"]
        self.q("UPDATE dag SET next_dagrun = %s, next_dagrun_data_interval_start = %s, "
               "next_dagrun_data_interval_end = %s, next_dagrun_create_after = %s "
               "WHERE dag_id = %s", (iso(end), iso(end), iso(end + iv),
                                     None if full else iso(end + iv), dag_id))
        return run_id

    def do_create_scheduled(self):
        d = self.pick("SELECT dag_id FROM dag WHERE NOT coalesce(is_paused, false) AND " +
                      self.active_sql() + " AND next_dagrun_create_after IS NOT NULL AND "
                      "dag_id = ANY(%s)", (self.own(),))
        if d is None:
            return None
        run = self.create_run(d[0])
        self.commit()
        return "%s/%s" % (d[0], run) if run else None

    def active_sql(self):
        return "coalesce(is_active, false)" if self.major == 2 else "NOT coalesce(is_stale, false)"

    def own(self):
        return [d for d, s in self.dags.items() if not s.get("foreign")]

    def do_start_runs(self):
        r = self.rows("UPDATE dag_run r SET state = 'running', start_date = now(), "
                      "last_scheduling_decision = now(), updated_at = now() WHERE r.id IN "
                      "(SELECT q.id FROM dag_run q JOIN dag d USING (dag_id) WHERE q.state = "
                      "'queued' AND NOT coalesce(d.is_paused, false) ORDER BY random() LIMIT %s) "
                      "RETURNING dag_id, run_id", (self.rng.randint(1, 3),))
        self.commit()
        return ", ".join("%s/%s" % x for x in r) or None

    def reopen_dag(self, dag_id):
        """A run of a DAG at max_active_runs ended: it may create again."""
        self.q("UPDATE dag SET next_dagrun_create_after = next_dagrun_data_interval_end "
               "WHERE dag_id = %s AND next_dagrun_create_after IS NULL AND "
               "next_dagrun IS NOT NULL AND (SELECT count(*) FROM dag_run WHERE dag_id = %s "
               "AND state IN ('queued', 'running')) < coalesce(max_active_runs, 16)",
               (dag_id, dag_id))

    def do_finish_runs(self):
        """DagRun.update_state: no unfinished task instance left."""
        r = self.rows("SELECT dag_id, run_id, EXISTS (SELECT 1 FROM task_instance t WHERE "
                      "t.dag_id = r.dag_id AND t.run_id = r.run_id AND t.state IN "
                      "('failed', 'upstream_failed')) FROM dag_run r WHERE state = 'running' AND "
                      "NOT EXISTS (SELECT 1 FROM task_instance t WHERE t.dag_id = r.dag_id AND "
                      "t.run_id = r.run_id AND (t.state IS NULL OR t.state IN ('scheduled', "
                      "'queued', 'running', 'restarting', 'up_for_retry', 'up_for_reschedule', "
                      "'deferred'))) ORDER BY random() LIMIT 3")
        done = []
        for dag_id, run_id, failed in r:
            self.q("UPDATE dag_run SET state = %s, end_date = now(), last_scheduling_decision = "
                   "now(), updated_at = now() WHERE dag_id = %s AND run_id = %s",
                   ("failed" if failed else "success", dag_id, run_id))
            self.reopen_dag(dag_id)
            done.append("%s/%s %s" % (dag_id, run_id, "failed" if failed else "success"))
        self.commit()
        return ", ".join(done) or None

    # --- task instances -----------------------------------------------

    def ti_step(self, sql, args=()):
        r = self.rows(sql, args)
        self.commit()
        return ", ".join("%s/%s/%s" % tuple(x[:3]) for x in r) or None

    def do_schedule_tis(self):
        # Upstream (a lower task id in the chain) failed: upstream_failed.
        self.q("UPDATE task_instance ti SET state = 'upstream_failed', start_date = now(), "
               "end_date = now(), duration = 0, updated_at = now() FROM dag_run r WHERE "
               "r.dag_id = ti.dag_id AND r.run_id = ti.run_id AND r.state = 'running' AND "
               "ti.state IS NULL AND EXISTS (SELECT 1 FROM task_instance u WHERE u.dag_id = "
               "ti.dag_id AND u.run_id = ti.run_id AND u.task_id < ti.task_id AND u.state IN "
               "('failed', 'upstream_failed'))")
        # The loop examines running runs: last_scheduling_decision (and the
        # ORM's updated_at) move though nothing the console shows does.
        self.q("UPDATE dag_run SET last_scheduling_decision = now(), updated_at = now() "
               "WHERE state = 'running' AND random() < 0.3")
        extra = ", scheduled_dttm = now()" if self.major == 3 else ""
        return self.ti_step(
            "UPDATE task_instance ti SET state = 'scheduled', try_number = try_number + 1, "
            "updated_at = now()" + extra + " FROM dag_run r WHERE r.dag_id = ti.dag_id AND "
            "r.run_id = ti.run_id AND r.state = 'running' AND ti.state IS NULL AND random() < 0.6 "
            "AND NOT EXISTS (SELECT 1 FROM task_instance u WHERE u.dag_id = ti.dag_id AND "
            "u.run_id = ti.run_id AND u.task_id < ti.task_id AND (u.state IS NULL OR u.state NOT IN "
            "('success', 'skipped'))) RETURNING ti.dag_id, ti.run_id, ti.task_id")

    def do_retry_tis(self):
        extra = ", scheduled_dttm = now(), id = gen_random_uuid()" if self.major == 3 else ""
        self.q("UPDATE task_instance SET state = 'up_for_retry', end_date = now(), "
               "updated_at = now() WHERE state = 'restarting'")
        return self.ti_step(
            "UPDATE task_instance SET state = 'scheduled', try_number = try_number + 1, "
            "updated_at = now()" + extra + " WHERE state = 'up_for_retry' AND end_date < now() - "
            "interval '0.5 seconds' RETURNING dag_id, run_id, task_id")

    def do_queue_tis(self):
        return self.ti_step(
            "UPDATE task_instance SET state = 'queued', queued_dttm = now(), queued_by_job_id = %s, "
            "updated_at = now() WHERE state = 'scheduled' AND random() < 0.7 "
            "RETURNING dag_id, run_id, task_id", (self.sched_job,))

    def do_run_tis(self):
        r = self.rows("SELECT dag_id, run_id, task_id, try_number, map_index FROM task_instance "
                      "WHERE state = 'queued' ORDER BY random() LIMIT 3")
        hb = ", last_heartbeat_at = now()" if self.major == 3 else ""
        for dag_id, run_id, task_id, tn, mi in r:
            self.worker_log("running", dag_id, task_id, run_id, tn, mi)
            self.q("UPDATE task_instance SET state = 'running', start_date = now(), end_date = NULL, "
                   "duration = NULL, hostname = %s, unixname = 'airflow', pid = %s, updated_at = now()"
                   + hb + " WHERE dag_id = %s AND run_id = %s AND task_id = %s AND map_index = %s",
                   ("worker-%d" % self.rng.randint(1, 3), self.rng.randint(100, 30000),
                    dag_id, run_id, task_id, mi))
        self.commit()
        return ", ".join("%s/%s/%s" % x[:3] for x in r) or None

    def do_finish_tis(self):
        r = self.rows("SELECT dag_id, run_id, task_id, try_number, max_tries, map_index FROM "
                      "task_instance WHERE state = 'running' AND start_date < now() - "
                      "interval '0.1 seconds' ORDER BY random() LIMIT 3")
        out = []
        for dag_id, run_id, task_id, tn, mt, mi in r:
            if self.rng.random() < 0.85:
                st = "success"
            else:
                st = "up_for_retry" if (tn or 0) <= (mt or 0) else "failed"
            self.worker_log("failed" if st == "up_for_retry" else st, dag_id, task_id, run_id, tn, mi)
            self.q("UPDATE task_instance SET state = %s, end_date = now(), duration = "
                   "extract(epoch FROM now() - start_date), updated_at = now() WHERE dag_id = %s "
                   "AND run_id = %s AND task_id = %s AND map_index = %s",
                   (st, dag_id, run_id, task_id, mi))
            out.append("%s/%s/%s %s" % (dag_id, run_id, task_id, st))
        self.commit()
        return ", ".join(out) or None

    def do_heartbeat(self):
        self.q("UPDATE job SET latest_heartbeat = now() WHERE state = 'running'")
        self.commit()
        return "jobs"

    def do_fast(self):
        """A manual run that is created, runs and ends between two reads."""
        d = self.pick("SELECT dag_id FROM dag WHERE dag_id = ANY(%s) AND " + self.active_sql(),
                      (self.own(),))
        if d is None:
            return None
        run_id = self.trigger_run(d[0])
        self.commit()
        self.q("UPDATE dag_run SET state = 'running', start_date = now(), updated_at = now() "
               "WHERE dag_id = %s AND run_id = %s", (d[0], run_id))
        self.commit()
        for t in self.dags[d[0]]["tasks"]:
            self.q("UPDATE task_instance SET state = 'success', try_number = 1, start_date = now(), "
                   "end_date = now(), duration = 0.01, updated_at = now() WHERE dag_id = %s AND "
                   "run_id = %s AND task_id = %s", (d[0], run_id, t))
            self.commit()
        self.q("UPDATE dag_run SET state = 'success', end_date = now(), updated_at = now(), "
               "last_scheduling_decision = now() WHERE dag_id = %s AND run_id = %s", (d[0], run_id))
        self.commit()
        return "%s/%s" % (d[0], run_id)

    # --- users --------------------------------------------------------

    def trigger_run(self, dag_id):
        """A manual run as the API makes it (the caller commits)."""
        now = time.time()
        iv = self.dags[dag_id]["interval"]
        die = int(now) // iv * iv
        run_id = "manual__" + time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + \
            ".%06d+00:00" % int((now % 1) * 1e6)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + \
            ".%06d+00:00" % int((now % 1) * 1e6)
        logical = stamp if self.major == 2 or self.rng.random() < 0.5 else None
        self.insert_run(dag_id, run_id, "manual", logical, stamp, iso(die - iv), iso(die), "queued")
        return run_id

    def do_trigger(self):
        d = self.pick("SELECT dag_id FROM dag WHERE " + self.active_sql())
        if d is None:
            return None
        ev = self.audit("trigger", d[0], extra={"conf": {}})
        run_id = self.trigger_run(d[0])
        self.commit()
        return "%s/%s (%s)" % (d[0], run_id, ev)

    def clear(self, dag_id, run_id, tasks, action):
        ev = self.audit(action, dag_id, run_id, {"dry_run": False, "task_ids": tasks,
                                                   "only_failed": False, "reset_dag_runs": True})
        newid = ", id = gen_random_uuid()" if self.major == 3 else ""
        self.q("UPDATE task_instance SET state = 'restarting', updated_at = now() WHERE dag_id = %s "
               "AND run_id = %s AND task_id = ANY(%s) AND state = 'running'", (dag_id, run_id, tasks))
        self.q("UPDATE task_instance SET state = NULL, max_tries = coalesce(try_number, 0) + %s, "
               "external_executor_id = NULL, next_method = NULL, next_kwargs = NULL, "
               "updated_at = now()" + newid + " WHERE dag_id = %s AND run_id = %s AND "
               "task_id = ANY(%s) AND (state IS NULL OR state <> 'restarting')",
               (self.dags.get(dag_id, {}).get("retries", 0), dag_id, run_id, tasks))
        self.q("UPDATE dag_run SET state = 'queued', queued_at = now(), start_date = NULL, "
               "end_date = NULL, last_scheduling_decision = NULL, clear_number = clear_number + 1, "
               "updated_at = now() WHERE dag_id = %s AND run_id = %s AND state IN "
               "('success', 'failed')", (dag_id, run_id))
        self.commit()
        return "%s/%s %s (%s)" % (dag_id, run_id, ",".join(tasks), ev)

    def do_clear_run(self):
        r = self.pick("SELECT dag_id, run_id FROM dag_run WHERE state IN ('success', 'failed')")
        if r is None:
            return None
        tasks = [t for (t,) in self.rows("SELECT task_id FROM task_instance WHERE dag_id = %s "
                                         "AND run_id = %s", r)]
        return self.clear(r[0], r[1], tasks, "clear_run")

    def do_clear_task(self):
        r = self.pick("SELECT dag_id, run_id, task_id FROM task_instance")
        if r is None:
            return None
        # The task and its downstream: the later ones of the chain.
        tasks = [t for (t,) in self.rows("SELECT task_id FROM task_instance WHERE dag_id = %s "
                                         "AND run_id = %s AND task_id >= %s", r)]
        return self.clear(r[0], r[1], tasks, "clear_task")

    def mark(self, state):
        r = self.pick("SELECT dag_id, run_id FROM dag_run WHERE state IN ('success', 'failed', "
                      "'running') AND state <> %s", (state,))
        if r is None:
            return None
        ev = self.audit("mark_" + state, r[0], r[1], {"state": state})
        if state == "success":
            self.q("UPDATE task_instance SET state = 'success', end_date = coalesce(end_date, now()), "
                   "updated_at = now() WHERE dag_id = %s AND run_id = %s AND (state IS NULL OR "
                   "state <> 'success')", r)
        else:
            self.q("UPDATE task_instance SET state = 'failed', end_date = now(), updated_at = now() "
                   "WHERE dag_id = %s AND run_id = %s AND state = 'running'", r)
            self.q("UPDATE task_instance SET state = 'skipped', updated_at = now() WHERE dag_id = %s "
                   "AND run_id = %s AND (state IS NULL OR state IN ('scheduled', 'queued', "
                   "'up_for_retry', 'restarting'))", r)
        self.q("UPDATE dag_run SET state = %s, end_date = now(), updated_at = now() "
               "WHERE dag_id = %s AND run_id = %s", (state,) + tuple(r))
        self.reopen_dag(r[0])
        self.commit()
        return "%s/%s (%s)" % (r[0], r[1], ev)

    def do_mark_success(self):
        return self.mark("success")

    def do_mark_failed(self):
        return self.mark("failed")

    def do_delete_run(self):
        r = self.pick("SELECT dag_id, run_id FROM dag_run")
        if r is None:
            return None
        ev = self.audit("delete_run", r[0], r[1])
        self.q("DELETE FROM dag_run WHERE dag_id = %s AND run_id = %s", r)
        self.reopen_dag(r[0])
        self.commit()
        return "%s/%s (%s)" % (r[0], r[1], ev)

    def set_paused(self, paused):
        d = self.pick("SELECT dag_id FROM dag WHERE coalesce(is_paused, false) <> %s", (paused,))
        if d is None:
            return None
        ev = self.audit("pause" if paused else "unpause", d[0],
                        extra={"is_paused": paused})
        self.q("UPDATE dag SET is_paused = %s WHERE dag_id = %s", (paused, d[0]))
        self.commit()
        return "%s (%s)" % (d[0], ev)

    def do_pause(self):
        return self.set_paused(True)

    def do_unpause(self):
        return self.set_paused(False)

    # --- the DAG processor --------------------------------------------

    def file_dags(self, errors):
        f = self.pick("SELECT fileloc FROM dag WHERE fileloc IS NOT NULL AND "
                      "coalesce(has_import_errors, false) = %s AND " + self.active_sql(), (errors,))
        return f[0] if f else None

    def do_import_error(self):
        f = self.file_dags(False)
        if f is None:
            return None
        self.q("UPDATE dag SET has_import_errors = true WHERE fileloc = %s", (f,))
        tb = "Traceback (most recent call last):\nSyntaxError: invalid syntax"
        if self.tables["parse_import_error"]:
            self.q("INSERT INTO parse_import_error (timestamp, filename, bundle_name, stacktrace) "
                   "VALUES (now(), %s, 'dags-folder', %s)", (f, tb))
        elif self.tables["import_error"]:
            self.q("INSERT INTO import_error (timestamp, filename, stacktrace) VALUES "
                   "(now(), %s, %s)", (f, tb))
        self.commit()
        return f

    def do_import_fixed(self):
        f = self.file_dags(True)
        if f is None:
            return None
        self.q("UPDATE dag SET has_import_errors = false, last_parsed_time = now() "
               "WHERE fileloc = %s", (f,))
        for t in ("parse_import_error", "import_error"):
            if self.tables[t]:
                self.q("DELETE FROM " + t + " WHERE filename = %s", (f,))
                break
        self.commit()
        return f

    def do_new_dag(self):
        self.serial += 1
        dag_id = "soak_new_%d_%d" % (self.o.seed, self.serial)
        spec = self.new_dag_spec()
        first = (int(time.time()) // spec["interval"] - 3) * spec["interval"]
        self.insert_dag(dag_id, spec["interval"], False, first)
        self.dags[dag_id] = spec
        self.commit()
        return dag_id

    def do_stale(self):
        d = self.pick("SELECT dag_id FROM dag WHERE dag_id = ANY(%s) AND " + self.active_sql(),
                      (self.own(),))
        if d is None:
            return None
        col = "is_active = false" if self.major == 2 else "is_stale = true"
        self.q("UPDATE dag SET " + col + " WHERE dag_id = %s", d)
        self.commit()
        return d[0]

    def do_reactivate(self):
        d = self.pick("SELECT dag_id FROM dag WHERE dag_id = ANY(%s) AND NOT " + self.active_sql(),
                      (self.own(),))
        if d is None:
            return None
        col = "is_active = true" if self.major == 2 else "is_stale = false"
        self.q("UPDATE dag SET " + col + ", last_parsed_time = now() WHERE dag_id = %s", d)
        self.commit()
        return d[0]

    # --- the loop -----------------------------------------------------

    def do_dag_edit(self):
        """The DAG processor re-parses an edited file: a new schedule."""
        d = self.pick("SELECT dag_id FROM dag WHERE dag_id = ANY(%s) AND " + self.active_sql(),
                      (self.own(),))
        if d is None:
            return None
        spec = self.dags[d[0]]
        spec["interval"] = self.rng.choice([300, 3600, DAY])
        summary = {3600: "@hourly", DAY: "@daily", 300: "*/5 * * * *"}[spec["interval"]]
        # The next run after the latest one, as the timetable finds it.
        latest = self.one("SELECT extract(epoch FROM max(" + self.date_col + "))::int8 "
                          "FROM dag_run WHERE dag_id = %s", d)[0] or 0
        first = (max(int(time.time()), latest) // spec["interval"] + 1) * spec["interval"]
        col = "schedule_interval" if self.major == 2 else "timetable_summary"
        self.q("UPDATE dag SET " + col + " = %s, timetable_description = %s, owners = %s, "
               "last_parsed_time = now(), next_dagrun = %s, next_dagrun_data_interval_start = %s, "
               "next_dagrun_data_interval_end = %s, next_dagrun_create_after = %s "
               "WHERE dag_id = %s",
               (json.dumps(summary) if self.major == 2 else summary, "soak " + summary,
                self.rng.choice(["data-eng", "analytics", "data-eng,analytics"]),
                iso(first), iso(first), iso(first + spec["interval"]),
                iso(first + spec["interval"]), d[0]))
        self.commit()
        return "%s %s" % (d[0], summary)

    def do_browse(self):
        """2.x Browse > DAG Runs: a list action on one run, its audit row
        without dag_id (the form carries the row id)."""
        if self.major != 2:
            return None
        r = self.pick("SELECT id, dag_id, run_id, state FROM dag_run")
        if r is None:
            return None
        event = self.rng.choice(["action_muldelete", "action_set_success",
                                 "action_set_failed"])
        self.q("INSERT INTO log (dttm, dag_id, event, owner, owner_display_name, extra) "
               "VALUES (now(), NULL, %s, 'admin', 'Admin', %s)",
               (event, json.dumps({"rowid": str(r[0]), "action": event[7:]})))
        self.commit()
        if event == "action_muldelete":
            self.q("DELETE FROM dag_run WHERE id = %s", (r[0],))
        else:
            self.q("UPDATE dag_run SET state = %s, end_date = now(), updated_at = now() "
                   "WHERE id = %s", (event[11:], r[0]))
        self.reopen_dag(r[1])
        self.commit()
        return "%s/%s (%s)" % (r[1], r[2], event)

    def step(self):
        kinds = list(self.weights)
        kind = self.rng.choices(kinds, [self.weights[k] for k in kinds])[0]
        try:
            what = getattr(self, "do_" + kind)()
        except psycopg2.Error as e:
            self.conn.rollback()
            self.counts["error"] += 1
            self.last.append("%.3f error %s: %s" % (time.time(), kind, str(e).strip()))
            print("sim_scheduler: %s: %s" % (kind, str(e).strip()), file=sys.stderr)
            return
        if what is not None:
            self.note(kind, what)

    def say(self, *lines):
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def counts_lines(self):
        return ["count %s %d" % (k, self.counts[k]) for k in sorted(self.counts)] + \
               ["count total %d" % sum(v for k, v in self.counts.items() if k != "error")]

    def run(self, commands):
        running = False
        while True:
            try:
                cmd = commands.get(block=not running)
            except queue.Empty:
                cmd = None
            if cmd is not None:
                cmd = cmd.strip()
                if cmd == "resume":
                    running = True
                elif cmd == "pause":
                    running = False
                    self.say("paused")
                elif cmd == "last":
                    self.say(*(["last " + x for x in self.last] + ["end"]))
                elif cmd == "counts":
                    self.say(*(self.counts_lines() + ["end"]))
                elif cmd in ("quit", ""):
                    self.say(*(self.counts_lines() + ["end"]))
                    return
                continue
            self.step()
            if self.o.delay > 0:
                time.sleep(self.rng.random() * self.o.delay)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dsn", required=True, help="libpq connection string of the test database")
    ap.add_argument("--schema", type=int, choices=(2, 3, 32), required=True,
                    help="2 (Airflow 2.10), 3 (3.1) or 32 (3.2), as tests/schema names them")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dags", type=int, default=45, help="the simulator's own DAGs (default 45)")
    ap.add_argument("--delay", type=float, default=0.01,
                    help="the most seconds between two changes (default 0.01)")
    ap.add_argument("--with", dest="with_", action="append", choices=sorted(OPTIONAL),
                    help="also these changes, which no cheap read sees: dag_edit (an edited "
                    "DAG file re-parsed), browse (2.x Browse list actions, audit rows "
                    "without dag_id)")
    o = ap.parse_args()
    sim = Sim(o)
    sim.setup()
    commands = queue.Queue()

    def reader():
        for line in iter(sys.stdin.readline, ""):
            commands.put(line)
        commands.put("")            # end of input: quit

    threading.Thread(target=reader, daemon=True).start()
    sim.say("ready")
    sim.run(commands)
    sim.conn.close()


if __name__ == "__main__":
    main()
