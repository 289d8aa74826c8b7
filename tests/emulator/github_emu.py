#!/usr/bin/python3
"""github_emu.py: a GitHub REST API emulator for dagtop's Four Keys tests.

Standard library only.  Answers like api.github.com with version 2022-11-28
(field shapes from github/rest-api-description), on 127.0.0.1 and a port of
the system's choosing (written to --port-file).  Served, all GET, JSON:

  /repos/O/R                               the repository (minimal)
  /repos/O/R/deployments                   ?sha ref task environment, newest
                                           first
  /repos/O/R/deployments/ID/statuses       newest first
  /repos/O/R/compare/BASE...HEAD           commit-comparison; BASE and HEAD
                                           are shas, 7+ character sha
                                           prefixes, tags or the branch
                                           "main"; commits oldest first,
                                           files on page 1 only; without
                                           per_page and page the last 250
                                           commits and no Link
  /repos/O/R/releases                      newest first, drafts included
  /repos/O/R/pulls                         ?state base head sort direction
  /repos/O/R/issues                        ?labels state since sort
                                           direction; pull requests too, with
                                           a "pull_request" key
  /rate_limit                              resources.core and the deprecated
                                           rate; not counted
Each /repos/O/R/... path is also served as /repositories/ID/..., the form
GitHub writes in its Link headers (so follow rel="next" verbatim).

Like GitHub: per_page (default 30, at most 100, or --max-per-page) and page,
a Link header (next, prev, first, last; absolute URLs) when there is more
than one page; a weak ETag (sha256 of the body) on every 200 and 304 on a
matching If-None-Match (not counted against the rate limit); x-ratelimit-*
headers on every answer, --rate-limit N requests per --rate-window seconds,
then 403 "API rate limit exceeded" until the reset; 403 (plain text) for a
request without User-Agent; with --token T, 401 without "Authorization:
Bearer T" (or "token T").  Control endpoints (no auth, never counted):

  POST /_emu/exhaust?reset=S       the quota is used up now, reset in S s
  POST /_emu/secondary?retry_after=S
                                   the next API request gets 403 "You have
                                   exceeded a secondary rate limit" with
                                   retry-after: S, once
  GET  /_emu/stats                 {"requests", "not_modified",
                                   "rate_limited", "by_path"}
  GET  /_emu/services              the dagtop configuration of the
                                   dataset's services (text)
  GET  /_emu/now                   {"now": epoch} the dataset's NOW

Repositories with special names answer errors: owner "broken" 500 always;
repo "flaky" 502 on the first request of each path, then the data of
acme/api; repo "garbage" 200 with a body that is not JSON; repo "slow"
never answers (until the client hangs up); repo "gone" 404.

Datasets (--dataset): every time is relative to NOW, the emulator's start
rounded down to the minute; "dN hH" below is NOW - N days - H hours.

  test   small and hand-checked: the expected Four Keys over 30-day windows
         are in fixtures/github_expected.json, worked out by hand in
         fixtures/github_expected.md.  dagtop's configuration:
           [service "api"]   repos = acme/api, environment = production,
                             deployments = deployments, incident_label =
                             Incident
           [service "web"]   repos = acme/web, deployments = releases,
                             incident_label = Incident
           [service "data"]  repos = acme/data, deployments = merges,
                             branch = main, lead_time = pull_requests,
                             incident_label = Incident
  demo   120 days of livelier, seeded-random history for make demo: acme/
         airflow-dags (deployments, production, daily), acme/dbt-models
         (releases, weekly; incidents in acme/ops labelled dbt-incident),
         acme/ingest (merges into main, pull-request lead time) and acme/
         platform (deployments, environment prod, weekly-ish).

Each request is logged to --log as "METHOD PATH?QUERY STATUS api=V ua=yes|no
accept=A auth=bearer|token|none" (V is the X-GitHub-Api-Version sent, or
"none").  Errors go to stderr.
"""
import argparse
import base64
import hashlib
import json
import math
import os
import random
import select
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DAY = 86400
HOUR = 3600
MIN = 60
DOCS = "https://docs.github.com/rest"
LOCK = threading.Lock()
ARGS = None
NOW = 0
REPOS = {}          # "owner/name" -> Repo
REPO_IDS = {}       # id -> Repo
SERVICES = ""       # dagtop configuration of the dataset's services
STATE = {"used": 0, "reset": 0, "secondary": None, "flaky": set(),
         "requests": 0, "not_modified": 0, "rate_limited": 0,
         "by_path": {}}


def log(line):
    if ARGS.log:
        with LOCK, open(ARGS.log, "a") as f:
            f.write(line + "\n")


def iso(t):
    if t is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_iso(s):
    """ISO 8601 as GitHub takes it in since: YYYY-MM-DDTHH:MM:SS with Z or
    an offset, optional fraction; a bare date is midnight UTC."""
    s = s.strip()
    try:
        if len(s) == 10:
            return int(time.mktime(time.strptime(s, "%Y-%m-%d"))) - \
                time.timezone
        off = 0
        if s.endswith("Z") or s.endswith("z"):
            s = s[:-1]
        elif len(s) > 19 and s[-6] in "+-" and s[-3] == ":":
            sign = 1 if s[-6] == "+" else -1
            off = sign * (int(s[-5:-3]) * 3600 + int(s[-2:]) * 60)
            s = s[:-6]
        if "." in s:
            s = s.split(".")[0]
        tm = time.strptime(s, "%Y-%m-%dT%H:%M:%S")
        import calendar
        return calendar.timegm(tm) - off
    except (ValueError, IndexError):
        return None


def T(d, h=10, m=0):
    """NOW - d days - h hours - m minutes."""
    return NOW - d * DAY - h * HOUR - m * MIN


def node_id(kind, n):
    return base64.b64encode(("%s:%d" % (kind, n)).encode()).decode()


# --- the model ----------------------------------------------------------------

USERS = {"alice": 1001, "bob": 1002, "carol": 1003, "dave": 1004,
         "deploy-bot": 4001, "github-actions[bot]": 41898282}


def user(login, base):
    uid = USERS.get(login, 1999)
    u = base + "/users/" + urllib.parse.quote(login)
    return {"login": login, "id": uid, "node_id": node_id("User", uid),
            "avatar_url": "https://avatars.githubusercontent.com/u/%d?v=4"
            % uid, "gravatar_id": "", "url": u,
            "html_url": "https://github.com/" + login,
            "followers_url": u + "/followers",
            "following_url": u + "/following{/other_user}",
            "gists_url": u + "/gists{/gist_id}",
            "starred_url": u + "/starred{/owner}{/repo}",
            "subscriptions_url": u + "/subscriptions",
            "organizations_url": u + "/orgs", "repos_url": u + "/repos",
            "events_url": u + "/events{/privacy}",
            "received_events_url": u + "/received_events",
            "type": "Bot" if login.endswith("[bot]") or
            login.endswith("-bot") else "User", "site_admin": False}


class Repo:
    SEQ = [0]

    def __init__(self, owner, name):
        Repo.SEQ[0] += 1
        self.owner, self.name = owner, name
        self.full = owner + "/" + name
        self.id = 500000 + Repo.SEQ[0]
        self.commits = []       # oldest first, linear history of main
        self.index = {}         # sha -> position in commits
        self.extra = {}         # sha -> commit not on main (PR heads)
        self.tags = {}
        self.deployments = []
        self.releases = []
        self.pulls = []
        self.issues = []
        self.number = 0
        self.labels = {}

    # commits
    def commit(self, at, message, committed=None, author="alice",
               on_main=True, parents=None):
        n = len(self.commits) + len(self.extra)
        sha = hashlib.sha1(("%s\0%d\0%s" % (self.full, n, message))
                           .encode()).hexdigest()
        if parents is None:
            parents = [self.commits[-1]["sha"]] if self.commits and \
                on_main else []
        c = {"sha": sha, "at": at, "committed": committed or at,
             "message": message, "author": author, "parents": parents}
        if on_main:
            self.index[sha] = len(self.commits)
            self.commits.append(c)
        else:
            self.extra[sha] = c
        return sha

    def head(self):
        return self.commits[-1]["sha"]

    def ship(self, at, leads, prefix="change"):
        """Commits authored leads (minutes, oldest first as given) before
        at; returns the sha of the last one."""
        for i, lead in enumerate(leads):
            self.commit(at - lead * MIN, "%s %d (%+d min)" %
                        (prefix, len(self.commits) + 1, lead))
        return self.head()

    def deploy(self, sha, env, at, states=None, creator="deploy-bot",
               ref="main", desc=None):
        """A deployment created 10 minutes before at, queued, in progress
        from 8 minutes before, and states (default: success at at)."""
        created = at - 10 * MIN
        if states is None:
            states = [("success", at)]
        sts = [("queued", created), ("in_progress", created + 2 * MIN)] + \
            list(states)
        d = {"sha": sha, "ref": ref, "env": env, "created": created,
             "creator": creator, "desc": desc or "Deploy %s to %s" %
             (sha[:7], env), "statuses": sts}
        self.deployments.append(d)
        return d

    def release(self, tag, sha, published, draft=False, prerelease=False,
                created=None, name=None):
        if not draft:
            self.tags[tag] = sha
        self.releases.append({"tag": tag, "sha": sha, "published":
                              None if draft else published,
                              "created": created if created is not None
                              else self.commits[self.index[sha]]
                              ["committed"],
                              "draft": draft, "prerelease": prerelease,
                              "name": name or tag, "author": "carol"})

    def pull(self, title, created, merged=None, closed=None, base="main",
             state=None, updated=None, labels=(), squash=False,
             author="bob"):
        self.number += 1
        n = self.number
        head_sha = self.commit(created - 30 * MIN, "%s (work)" % title,
                               author=author, on_main=False)
        merge_sha = None
        if merged is not None:
            closed = merged
            if base == "main":
                if squash:
                    merge_sha = self.commit(created - 30 * MIN,
                                            "%s (#%d)" % (title, n),
                                            committed=merged, author=author)
                else:
                    merge_sha = self.commit(merged, "Merge pull request #%d "
                                            "from acme/pr-%d\n\n%s" %
                                            (n, n, title), author=author,
                                            parents=[self.head(), head_sha]
                                            if self.commits else [head_sha])
            else:
                merge_sha = self.commit(merged, "%s (#%d)" % (title, n),
                                        author=author, on_main=False)
        else:
            # GitHub fills merge_commit_sha with a test merge while open.
            merge_sha = self.commit(created, "test merge #%d" % n,
                                    on_main=False)
        if state is None:
            state = "closed" if closed is not None else "open"
        self.pulls.append({"number": n, "title": title, "created": created,
                           "merged": merged, "closed": closed, "base": base,
                           "head_ref": "pr-%d" % n, "head_sha": head_sha,
                           "merge_sha": merge_sha, "state": state,
                           "updated": updated or (closed or created) + MIN,
                           "labels": list(labels), "author": author,
                           "body": "Changes for %s." % title.lower()})
        return self.pulls[-1]

    def issue(self, title, created, closed=None, labels=(), body="",
              updated=None, author="dave"):
        self.number += 1
        self.issues.append({"number": self.number, "title": title,
                            "created": created, "closed": closed,
                            "labels": list(labels), "body": body,
                            "updated": updated or (closed or created) + MIN,
                            "author": author})
        return self.issues[-1]

    def finalize(self):
        # GitHub ids grow with time.
        seq = 7000000 + self.id * 1000
        for d in sorted(self.deployments, key=lambda d: d["created"]):
            seq += 1
            d["id"] = seq
        sseq = 90000000 + self.id * 10000
        allst = []
        for d in self.deployments:
            d["statuses"].sort(key=lambda s: s[1])
            for s in d["statuses"]:
                allst.append((s[1], d, s))
        allst.sort(key=lambda x: (x[0], x[1]["id"]))
        d_ids = {}
        for _, d, s in allst:
            sseq += 1
            d_ids[(d["id"], s)] = sseq
        for d in self.deployments:
            d["status_ids"] = [d_ids[(d["id"], s)] for s in d["statuses"]]
        rseq = 150000000 + self.id * 1000
        for r in sorted(self.releases, key=lambda r: r["created"]):
            rseq += 1
            r["id"] = rseq
        names = set()
        for x in self.issues + self.pulls:
            names.update(x["labels"])
        colors = {"incident": "d73a4a", "sev1": "b60205", "bug": "d73a4a",
                  "enhancement": "a2eeef"}
        for i, name in enumerate(sorted(names)):
            self.labels[name] = {"id": 300000000 + self.id * 100 + i,
                                 "name": name,
                                 "color": colors.get(name.lower(), "ededed")}
        prefixes = set()
        for sha in list(self.index) + list(self.extra):
            assert sha[:7] not in prefixes, "sha prefix clash in " + self.full
            prefixes.add(sha[:7])


def add_repo(r):
    r.finalize()
    REPOS[r.full] = r
    REPO_IDS[r.id] = r


# --- the test dataset ---------------------------------------------------------
#
# Hand-checked: fixtures/github_expected.md works out every number of
# fixtures/github_expected.json from the lists below.  Times are T(d, h)
# = NOW - d days - h hours; every deployment, release, merge and incident
# lies 2 to 22 hours away from a multiple of 24 hours before NOW.

# acme/api: production deployments at T(d, 10), the lead times (minutes,
# author date to deploy time) of the commits each one ships.
API_DEPLOYS = [
    # base, older than 60 days (no compare before it)
    (70, [200, 45]),
    # previous window [NOW-60d, NOW-30d)
    (59, [725, 605]),
    (53, [10 * k for k in range(120, 0, -1)]),  # 120 commits: 2 pages
    (39, [95, 35]),
    (34, [45]),
    (32, [2880, 15]),        # the 2880 commit is incident I1's root cause
    # current window [NOW-30d, NOW)
    (28, [120, 60]),
    (26, [30]),
    (24, [240]),             # 35 statuses, first success on page 2
    (22, [90, 45]),
    (17, [180]),
    (15, [20]),              # also ships the failed d16 deployment's
    (12, [150]),
    (10, [300, 75]),
    (8, [15]),
    (5, [100]),              # also ships a commit authored after it
    (3, [360]),              # committer date 5 min before the deployment
    (1, [50, 10]),
]


def build_api(owner="acme", name="api"):
    r = Repo(owner, name)
    r.commit(T(80, 12), "Initial commit", author="carol")
    r.commit(T(75, 9), "Service skeleton", author="carol")
    shas = {}
    for d, leads in API_DEPLOYS:
        at = T(d)
        if d == 15:
            # The d16 deployment failed; its commits (1500 and 1470
            # minutes before this one) go out with this deployment.
            failed = r.ship(T(16), [60, 30], "fix")
            r.deploy(failed, "production", T(16),
                     states=[("failure", T(16))])
            shas["failed"] = failed
        if d == 5:
            r.commit(at + 30 * MIN, "clock-skewed change (author date after "
                     "the deployment)", author="dave")
        if d == 3:
            r.commit(at - 360 * MIN, "rebased change", committed=at - 5 * MIN)
        else:
            r.ship(at, leads)
        shas[d] = r.head()
        if d == 24:
            st = [("success", at)]
            for k in range(1, 17):
                st.append(("in_progress", at + (2 * k - 1) * MIN))
                st.append(("success", at + 2 * k * MIN))
            r.deploy(r.head(), "production", at, states=st)
        elif d == 34:
            r.deploy(r.head(), "production", at,
                     states=[("success", at), ("inactive", T(31, 10))])
        else:
            r.deploy(r.head(), "production", at)
        if d == 32:
            shas["cause_I1"] = r.commits[-2]["sha"]
    # Still going: queued and in progress only.
    r.commit(T(0, 4), "change in flight")
    r.deploy(r.head(), "production", T(0, 3), states=[])
    # Staging deployments: ignored by environment=production.
    r.deploy(shas[1], "staging", T(1, 14))
    r.deploy(shas[10], "staging", T(10, 15))
    r.deploy(shas[17], "staging", T(18, 20), states=[("error", T(18, 20))])
    r.deploy(r.head(), "staging", T(0, 5))
    # Incidents.
    inc = "Incident"
    r.issue("Old incident", T(65, 6), T(65, 5), [inc], "Before both windows.")
    r.issue("I7: queue backlog", T(33, 4), T(33, 4) + 30 * HOUR, [inc],
            "Jobs piled up.\n\nRoot Cause: %s\n" % shas[53][:12])
    r.issue("I6: 500s on /health", T(38, 20), T(38, 18), [inc],
            "Health checks failed for two hours.")
    r.issue("I1: checkout errors", T(20, 4), T(20, 1), [inc],
            "Checkout failed for some users.\n\nroot cause: %s\n"
            % shas["cause_I1"][:7])
    r.issue("Add dark mode", T(14, 6), labels=["enhancement"],
            body="Not an incident.")
    r.issue("I2: login latency", T(12, 4), T(12, 4) + 90 * MIN, [inc],
            "Slow logins, no root cause found.")
    r.pull("Revert cache change", T(7, 5), closed=T(7, 3), labels=[inc])
    r.issue("I3: search down", T(5, 8), T(5, 4), [inc, "sev1"],
            "Search returned errors.")
    r.issue("I4: search slow", T(5, 6), T(5, 5), [inc],
            "Search was slow while I3 was open.")
    r.issue("I5: flaky exports", T(1, 3), labels=[inc],
            body="Still investigating.")
    add_repo(r)
    return r


def build_web():
    r = Repo("acme", "web")
    r.commit(T(90, 12), "Initial commit", author="carol")
    r.ship(T(75), [100])
    r.release("v1.0.0", r.head(), T(75))
    # previous window
    r.ship(T(50), [270, 180, 90])
    r.release("v1.1.0", r.head(), T(50))
    r.ship(T(45), [45])
    r.release("v1.2.0", r.head(), T(45))
    # current window
    r.ship(T(27), [1440, 120])
    r.release("v1.3.0", r.head(), T(27))
    r.ship(T(16), [60])
    r.release("v1.4.0", r.head(), T(16))
    r.ship(T(9), [4320, 30])
    r.release("v1.5.0", r.head(), T(9))
    r.ship(T(2), [2000])                       # 2000 min before T(2)
    r.release("v1.6.0-rc.1", r.head(), T(3, 12), prerelease=True)
    r.ship(T(2), [200, 10])
    r.release("v1.6.0", r.head(), T(2))
    r.commit(T(0, 8), "next release work")
    r.release("v1.7.0", r.head(), None, draft=True, created=T(0, 5))
    r.issue("W1: broken assets", T(9, 4), T(9, 4) + 45 * MIN, ["Incident"],
            "CSS missing after v1.5.0.")
    r.issue("Typo on the pricing page", T(20, 7), T(19, 7), ["bug"])
    add_repo(r)
    return r


DATA_MERGES = [
    # (d, lead minutes, squash)
    (65, 300, False),                      # before both windows
    (52, 2880, False), (48, 180, True), (46, 160, False), (44, 140, True),
    (40, 120, False), (38, 100, True), (37, 80, False), (33, 60, False),
    (31, 40, True), (30, 20, False),
    (29, 90, True), (19, 1440, False), (5, 60, True), (3, 240, False),
    (2, 30, True),
]


def build_data():
    r = Repo("acme", "data")
    r.commit(T(100, 12), "Initial commit", author="carol")
    merged = {}
    for d, lead, squash in DATA_MERGES:
        at = T(d)
        upd = T(10, 6) if d == 65 else None  # commented on long after
        p = r.pull("Pipeline change from day %d" % d, at - lead * MIN,
                   merged=at, squash=squash, updated=upd)
        merged[d] = p
        if d == 5:
            r.pull("Abandoned refactor", T(6, 12), closed=T(4, 12))
            r.pull("Backport to release/1.x", T(7, 12), merged=T(6, 10),
                   base="release/1.x")
    r.pull("Work in progress", T(1, 6))
    r.issue("M1: stale partitions", T(36, 4), T(36, 4) + 6 * HOUR,
            ["Incident"], "root cause: %s" % merged[44]["merge_sha"][:7])
    r.issue("M2: duplicate rows", T(2, 6), labels=["Incident"],
            body="Rows loaded twice since this morning.")
    add_repo(r)
    return r


TEST_SERVICES = """[service "api"]
repos = acme/api
environment = production
deployments = deployments
incident_label = Incident

[service "web"]
repos = acme/web
deployments = releases
incident_label = Incident

[service "data"]
repos = acme/data
deployments = merges
branch = main
lead_time = pull_requests
incident_label = Incident
"""


def dataset_test():
    build_api()
    build_web()
    build_data()
    return TEST_SERVICES


# --- the demo dataset ---------------------------------------------------------

def lead_minutes(rnd):
    """Minutes from a commit to its deployment: minutes to days,
    log-normal around three hours."""
    return int(min(6 * 1440, max(4, rnd.lognormvariate(math.log(180), 1.2))))


def demo_deploy_repo(name, env, seed, per_day, weekend, fail_p, inc_p,
                     inc_repo=None, label="Incident"):
    rnd = random.Random(seed)
    r = Repo("acme", name)
    r.commit(T(130, 12), "Initial commit", author="carol")
    people = ["alice", "bob", "carol", "dave"]
    shipped = []
    for d in range(125, -1, -1):
        wd = time.gmtime(T(d)).tm_wday
        n = 0
        if wd < 5 or rnd.random() < weekend:
            n = sum(1 for _ in range(3) if rnd.random() < per_day / 3.0)
        hours = sorted(rnd.sample(range(3, 21), n), reverse=True)
        for h in hours:
            at = T(d, h, rnd.randrange(60))
            if at >= NOW - 30 * MIN:
                continue
            leads = sorted((lead_minutes(rnd) for _ in
                            range(rnd.randint(1, 5))), reverse=True)
            for lead in leads:
                r.commit(at - lead * MIN, "%s: %s" % (
                    rnd.choice(["dags", "ops", "sensors", "sql", "deps"]),
                    rnd.choice(["tune retries", "new task", "fix schedule",
                                "bump provider", "refactor hook"])),
                    author=rnd.choice(people))
            if rnd.random() < fail_p:
                r.deploy(r.head(), env, at, states=[("failure", at)])
                continue
            r.deploy(r.head(), env, at)
            shipped.append((at, r.head(), [c["sha"] for c in
                                           r.commits[-len(leads):]]))
            if rnd.random() < 0.3:
                r.deploy(r.head(), "staging", at - 2 * HOUR)
    ir = inc_repo or r
    for at, sha, commits in shipped:
        if rnd.random() >= inc_p:
            continue
        opened = at + rnd.randint(20, 600) * MIN
        if opened >= NOW:
            continue
        restore = int(min(3 * DAY, rnd.lognormvariate(math.log(5400), 1.0)))
        closed = opened + restore if opened + restore < NOW - 10 * MIN and \
            rnd.random() < 0.9 else None
        body = "Alerts fired after the deployment."
        if rnd.random() < 0.5:
            body += "\n\nroot cause: %s" % rnd.choice(commits)[:7]
        ir.issue("%s incident %s" % (name, iso(opened)[:10]), opened, closed,
                 [label] + (["sev%d" % rnd.randint(1, 3)]), body)
    return r


def dataset_demo():
    ops = Repo("acme", "ops")
    add_repo(demo_deploy_repo("airflow-dags", "production", 11, 2.2, 0.15,
                              0.06, 0.08))
    add_repo(demo_deploy_repo("platform", "prod", 13, 0.5, 0.0, 0.1, 0.15))
    # dbt-models: weekly releases, a prerelease now and then.
    rnd = random.Random(17)
    r = Repo("acme", "dbt-models")
    r.commit(T(130, 12), "Initial commit", author="carol")
    d, minor = 124, 0
    tags = []
    while d > 0:
        minor += 1
        at = T(d, rnd.randint(3, 20))
        for _ in range(rnd.randint(2, 8)):
            r.commit(at - lead_minutes(rnd) * 4 * MIN, "models: %s" %
                     rnd.choice(["new mart", "fix join", "add test",
                                 "rename column", "incremental model"]),
                     author=rnd.choice(["alice", "bob", "carol"]))
        if rnd.random() < 0.15:
            r.release("v2.%d.0-rc.1" % minor, r.head(), at - DAY,
                      prerelease=True)
            r.commit(at - 3 * HOUR, "models: rc fixes")
        r.release("v2.%d.0" % minor, r.head(), at)
        tags.append((at, r.head()))
        d -= rnd.choice([5, 6, 7, 7, 7, 8, 9, 12])
    r.commit(T(0, 6), "models: next")
    r.release("v2.%d.0" % (minor + 1), r.head(), None, draft=True,
              created=T(0, 4))
    for at, sha in tags:
        if rnd.random() < 0.2:
            opened = at + rnd.randint(60, 2000) * MIN
            if opened < NOW - HOUR:
                closed = opened + rnd.randint(30, 3000) * MIN
                ops.issue("dbt: wrong numbers %s" % iso(opened)[:10], opened,
                          closed if closed < NOW else None, ["dbt-incident"],
                          "root cause: %s" % sha[:7] if rnd.random() < 0.5
                          else "Dashboards showed wrong totals.")
    add_repo(r)
    # ingest: merges into main with pull-request lead time.
    rnd = random.Random(19)
    r = Repo("acme", "ingest")
    r.commit(T(130, 12), "Initial commit", author="carol")
    t = T(122)
    while True:
        t += int(rnd.expovariate(1 / (0.8 * DAY)))
        if t >= NOW - HOUR:
            break
        created = t - int(min(8 * DAY, rnd.lognormvariate(math.log(6 * HOUR),
                                                            1.3)))
        x = rnd.random()
        if x < 0.08:
            r.pull("Abandoned: %d" % t, created, closed=t)
        elif x < 0.13:
            r.pull("Backport %d" % t, created, merged=t, base="release")
        else:
            r.pull(rnd.choice(["Add source", "Fix schema drift",
                               "Retry on 429", "Partition by day",
                               "Bump client"]), created, merged=t,
                   squash=rnd.random() < 0.6)
            if rnd.random() < 0.05:
                closed = t + rnd.randint(60, 600) * MIN
                r.issue("ingest: missing rows", t + 30 * MIN,
                        closed if closed < NOW else None, ["Incident"],
                        "Loads dropped rows after the merge.")
    r.pull("Work in progress", NOW - 5 * HOUR)
    add_repo(r)
    add_repo(ops)
    return """[service "airflow-dags"]
repos = acme/airflow-dags
environment = production
deployments = deployments
incident_label = Incident

[service "dbt-models"]
repos = acme/dbt-models
deployments = releases
incident_label = dbt-incident
incident_repos = acme/ops

[service "ingest"]
repos = acme/ingest
deployments = merges
branch = main
lead_time = pull_requests
incident_label = Incident

[service "platform"]
repos = acme/platform
environment = prod
deployments = deployments
incident_label = Incident
"""


# --- JSON shapes --------------------------------------------------------------

def repo_json(r, base):
    u = base + "/repos/" + r.full
    return {"id": r.id, "node_id": node_id("Repository", r.id),
            "name": r.name, "full_name": r.full, "private": True,
            "owner": user(r.owner, base) | {"type": "Organization"},
            "html_url": "https://github.com/" + r.full,
            "description": None, "fork": False, "url": u,
            "default_branch": "main", "visibility": "private"}


def commit_json(r, c, base):
    u = base + "/repos/%s/commits/%s" % (r.full, c["sha"])
    html = "https://github.com/%s/commit/%s" % (r.full, c["sha"])

    def who(t):
        return {"name": c["author"].capitalize(),
                "email": "%s@acme.example" % c["author"], "date": iso(t)}
    return {"sha": c["sha"], "node_id": node_id("Commit", r.id) +
            c["sha"][:8], "commit": {
                "author": who(c["at"]), "committer": who(c["committed"]),
                "message": c["message"],
                "tree": {"sha": hashlib.sha1(c["sha"].encode()).hexdigest(),
                         "url": base + "/repos/%s/git/trees/x" % r.full},
                "url": base + "/repos/%s/git/commits/%s" % (r.full,
                                                           c["sha"]),
                "comment_count": 0,
                "verification": {"verified": False, "reason": "unsigned",
                                 "signature": None, "payload": None,
                                 "verified_at": None}},
            "url": u, "html_url": html, "comments_url": u + "/comments",
            "author": user(c["author"], base),
            "committer": user(c["author"], base),
            "parents": [{"sha": p, "url": base + "/repos/%s/commits/%s" %
                         (r.full, p), "html_url": "https://github.com/%s/"
                         "commit/%s" % (r.full, p)} for p in c["parents"]]}


def deployment_json(r, d, base):
    u = base + "/repos/%s/deployments/%d" % (r.full, d["id"])
    return {"url": u, "id": d["id"], "node_id": node_id("Deployment",
                                                        d["id"]),
            "sha": d["sha"], "ref": d["ref"], "task": "deploy",
            "payload": {}, "original_environment": d["env"],
            "environment": d["env"], "description": d["desc"],
            "creator": user(d["creator"], base),
            "created_at": iso(d["created"]),
            "updated_at": iso(d["statuses"][-1][1] if d["statuses"]
                              else d["created"]),
            "statuses_url": u + "/statuses",
            "repository_url": base + "/repos/" + r.full,
            "transient_environment": False,
            "production_environment": d["env"] in ("production", "prod"),
            "performed_via_github_app": None}


def status_json(r, d, i, base):
    state, at = d["statuses"][i][0], d["statuses"][i][1]
    sid = d["status_ids"][i]
    du = base + "/repos/%s/deployments/%d" % (r.full, d["id"])
    run = "https://github.com/%s/actions/runs/%d" % (r.full, d["id"])
    return {"url": du + "/statuses/%d" % sid, "id": sid,
            "node_id": node_id("DeploymentStatus", sid), "state": state,
            "creator": user(d["creator"], base),
            "description": "Deployment %s" % state.replace("_", " "),
            "environment": d["env"], "target_url": run, "log_url": run,
            "environment_url": "https://%s.%s.acme.example" % (d["env"],
                                                              r.name),
            "created_at": iso(at), "updated_at": iso(at),
            "deployment_url": du, "repository_url": base + "/repos/" +
            r.full, "performed_via_github_app": None}


def release_json(r, x, base):
    u = base + "/repos/%s/releases/%d" % (r.full, x["id"])
    html = "https://github.com/%s/releases/%s" % (
        r.full, ("tag/" + x["tag"]) if not x["draft"] else
        "untagged-%08x" % x["id"])
    return {"url": u, "html_url": html, "assets_url": u + "/assets",
            "upload_url": "https://uploads.github.com/repos/%s/releases/%d/"
            "assets{?name,label}" % (r.full, x["id"]),
            "tarball_url": base + "/repos/%s/tarball/%s" % (r.full,
                                                           x["tag"]),
            "zipball_url": base + "/repos/%s/zipball/%s" % (r.full,
                                                           x["tag"]),
            "id": x["id"], "node_id": node_id("Release", x["id"]),
            "tag_name": x["tag"], "target_commitish": "main",
            "name": x["name"], "body": "Release %s." % x["tag"],
            "draft": x["draft"], "prerelease": x["prerelease"],
            "created_at": iso(x["created"]),
            "published_at": iso(x["published"]),
            "author": user(x["author"], base), "assets": []}


def label_json(r, name, base):
    lb = r.labels[name]
    return {"id": lb["id"], "node_id": node_id("Label", lb["id"]),
            "url": base + "/repos/%s/labels/%s" % (r.full,
                                                   urllib.parse.quote(name)),
            "name": name, "color": lb["color"], "default": False,
            "description": None}


def pull_json(r, p, base):
    u = base + "/repos/%s/pulls/%d" % (r.full, p["number"])
    html = "https://github.com/%s/pull/%d" % (r.full, p["number"])
    rj = repo_json(r, base)
    base_sha = r.head()
    return {"url": u, "id": 2000000000 + r.id * 1000 + p["number"],
            "node_id": node_id("PullRequest", p["number"]),
            "html_url": html, "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "issue_url": base + "/repos/%s/issues/%d" % (r.full,
                                                         p["number"]),
            "commits_url": u + "/commits",
            "review_comments_url": u + "/comments",
            "comments_url": base + "/repos/%s/issues/%d/comments" %
            (r.full, p["number"]),
            "statuses_url": base + "/repos/%s/statuses/%s" % (r.full,
                                                              p["head_sha"]),
            "number": p["number"], "state": p["state"], "locked": False,
            "title": p["title"], "user": user(p["author"], base),
            "body": p["body"],
            "labels": [label_json(r, n, base) for n in p["labels"]],
            "milestone": None, "active_lock_reason": None,
            "created_at": iso(p["created"]), "updated_at": iso(p["updated"]),
            "closed_at": iso(p["closed"]), "merged_at": iso(p["merged"]),
            "merge_commit_sha": p["merge_sha"], "assignee": None,
            "assignees": [], "requested_reviewers": [],
            "requested_teams": [],
            "head": {"label": "acme:" + p["head_ref"], "ref": p["head_ref"],
                     "sha": p["head_sha"], "user": user("acme", base),
                     "repo": rj},
            "base": {"label": "acme:" + p["base"], "ref": p["base"],
                     "sha": base_sha, "user": user("acme", base),
                     "repo": rj},
            "_links": {"self": {"href": u}, "html": {"href": html}},
            "author_association": "MEMBER", "auto_merge": None,
            "draft": False}


def issue_json(r, x, base, pr=None):
    u = base + "/repos/%s/issues/%d" % (r.full, x["number"])
    html = "https://github.com/%s/%s/%d" % (r.full, "pull" if pr else
                                             "issues", x["number"])
    out = {"url": u, "repository_url": base + "/repos/" + r.full,
           "labels_url": u + "/labels{/name}", "comments_url":
           u + "/comments", "events_url": u + "/events", "html_url": html,
           "id": 1000000000 + r.id * 1000 + x["number"],
           "node_id": node_id("Issue", x["number"]), "number": x["number"],
           "title": x["title"], "user": user(x["author"], base),
           "labels": [label_json(r, n, base) for n in x["labels"]],
           "state": "closed" if x["closed"] is not None else "open",
           "locked": False, "assignee": None, "assignees": [],
           "milestone": None, "comments": 0,
           "created_at": iso(x["created"]), "updated_at": iso(x["updated"]),
           "closed_at": iso(x["closed"]), "author_association": "MEMBER",
           "active_lock_reason": None, "body": x["body"],
           "state_reason": None if x["closed"] is None else "completed",
           "reactions": {"url": u + "/reactions", "total_count": 0}}
    if pr:
        out["draft"] = False
        out["pull_request"] = {
            "url": base + "/repos/%s/pulls/%d" % (r.full, x["number"]),
            "html_url": html, "diff_url": html + ".diff",
            "patch_url": html + ".patch", "merged_at": iso(x["merged"])}
    return out


def file_json(r, c, base):
    name = "src/%s.py" % hashlib.md5(c["sha"].encode()).hexdigest()[:6]
    return {"sha": hashlib.sha1(name.encode() + c["sha"].encode())
            .hexdigest(), "filename": name, "status": "modified",
            "additions": 3, "deletions": 1, "changes": 4,
            "blob_url": "https://github.com/%s/blob/%s/%s" % (r.full,
                                                             c["sha"], name),
            "raw_url": "https://github.com/%s/raw/%s/%s" % (r.full, c["sha"],
                                                           name),
            "contents_url": base + "/repos/%s/contents/%s?ref=%s" %
            (r.full, name, c["sha"]),
            "patch": "@@ -1,2 +1,4 @@\n-old\n+new\n+more\n+lines"}


# --- HTTP ---------------------------------------------------------------------

def not_found():
    return 404, {"message": "Not Found", "documentation_url": DOCS,
                 "status": "404"}


def rate_state():
    """The primary limit now: (limit, remaining, used, reset).  Call under
    LOCK."""
    now = time.time()
    if now >= STATE["reset"]:
        STATE["used"] = 0
        STATE["reset"] = int(now) + ARGS.rate_window
    used = min(STATE["used"], ARGS.rate_limit)
    return ARGS.rate_limit, ARGS.rate_limit - used, used, STATE["reset"]


def qint(q, name, default):
    try:
        return int(q[name][0])
    except (KeyError, ValueError, IndexError):
        return default


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):  # quiet
        pass

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_port

    def send(self, code, body, ctype="application/json; charset=utf-8",
             headers=()):
        self.status = code
        self.send_response(code)
        if body is not None:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body or b"")))
        with LOCK:
            limit, rem, used, reset = rate_state()
        self.send_header("x-ratelimit-limit", str(limit))
        self.send_header("x-ratelimit-remaining", str(rem))
        self.send_header("x-ratelimit-used", str(used))
        self.send_header("x-ratelimit-reset", str(reset))
        self.send_header("x-ratelimit-resource", "core")
        self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def reply(self, code, obj, headers=()):
        self.send(code, json.dumps(obj, indent=2).encode() + b"\n",
                  headers=headers)

    def log_request_line(self):
        h = self.headers
        ver = h.get("X-GitHub-Api-Version") or "none"
        acc = h.get("Accept")
        if acc is None:
            acc = "none"
        elif "application/vnd.github" in acc:
            acc = "github"
        elif "application/json" in acc:
            acc = "json"
        elif "*/*" in acc:
            acc = "any"
        else:
            acc = "other"
        a = h.get("Authorization", "")
        auth = "bearer" if a.startswith("Bearer ") else \
            "token" if a.startswith("token ") else \
            "none" if not a else "other"
        log("%s %s %d api=%s ua=%s accept=%s auth=%s" % (
            self.command, self.path, getattr(self, "status", 0), ver,
            "yes" if h.get("User-Agent") else "no", acc, auth))

    def do_GET(self):
        self.status = 0
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as e:  # noqa: BLE001
            print("github_emu: %s %s: %r" % (self.command, self.path, e),
                  file=sys.stderr)
            self.reply(500, {"message": "Server Error"})
        self.log_request_line()

    do_POST = do_GET

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        if u.path.startswith("/_emu/"):
            self.control(u.path, q)
            return
        if self.command != "GET":
            self.reply(404, {"message": "Not Found",
                             "documentation_url": DOCS, "status": "404"})
            return
        with LOCK:
            STATE["requests"] += 1
            STATE["by_path"][u.path] = STATE["by_path"].get(u.path, 0) + 1
        if not self.headers.get("User-Agent"):
            self.send(403, b"Request forbidden by administrative rules. "
                      b"Please make sure your request has a User-Agent "
                      b"header (https://docs.github.com/en/rest/overview/"
                      b"resources-in-the-rest-api#user-agent-required). "
                      b"Check https://developer.github.com for other "
                      b"possible causes.\n", "text/plain; charset=utf-8")
            return
        if ARGS.token:
            a = self.headers.get("Authorization")
            if not a:
                self.reply(401, {"message": "Requires authentication",
                                 "documentation_url": DOCS, "status": "401"})
                return
            if a not in ("Bearer " + ARGS.token, "token " + ARGS.token):
                self.reply(401, {"message": "Bad credentials",
                                 "documentation_url": DOCS, "status": "401"})
                return
        if u.path == "/rate_limit":
            with LOCK:
                limit, rem, used, reset = rate_state()
            core = {"limit": limit, "used": used, "remaining": rem,
                    "reset": reset}
            now = int(time.time())
            self.answer(200, {"resources": {
                "core": core,
                "search": {"limit": 30, "used": 0, "remaining": 30,
                           "reset": now + 60},
                "graphql": {"limit": 5000, "used": 0, "remaining": 5000,
                            "reset": now + 3600},
                "integration_manifest": {"limit": 5000, "used": 0,
                                         "remaining": 5000,
                                         "reset": now + 3600},
                "code_search": {"limit": 10, "used": 0, "remaining": 10,
                                "reset": now + 60}},
                "rate": core})
            return
        with LOCK:
            limit, rem, used, reset = rate_state()
            if rem <= 0:
                STATE["rate_limited"] += 1
                limited = "primary"
            elif STATE["secondary"] is not None:
                limited = STATE["secondary"]
                STATE["secondary"] = None
                STATE["rate_limited"] += 1
            else:
                limited = None
        if limited == "primary":
            self.reply(403, {"message": "API rate limit exceeded for user "
                             "ID 1.", "documentation_url":
                             "https://docs.github.com/rest/overview/"
                             "rate-limits-for-the-rest-api",
                             "status": "403"})
            return
        if limited is not None:
            self.reply(403, {"message": "You have exceeded a secondary rate "
                             "limit. Please wait a few minutes before you "
                             "try again. If you reach out to GitHub Support "
                             "for help, please include the request ID "
                             "EMU:0001.", "documentation_url":
                             "https://docs.github.com/free-pro-team@latest/"
                             "rest/overview/rate-limits-for-the-rest-api"
                             "#about-secondary-rate-limits",
                             "status": "403"},
                       headers=[("retry-after", str(limited))])
            return
        code, obj, headers = self.api(u.path, q)
        self.answer(code, obj, headers, count=True)

    def answer(self, code, obj, headers=(), count=False):
        """Sends obj (or raw bytes) with an ETag on 200, or 304 when the
        client has it; counts against the primary limit unless 304."""
        if isinstance(obj, bytes):
            body = obj
        else:
            body = json.dumps(obj, indent=2).encode() + b"\n"
        headers = list(headers)
        if code == 200:
            etag = 'W/"%s"' % hashlib.sha256(body).hexdigest()
            headers.append(("ETag", etag))
            inm = self.headers.get("If-None-Match")
            if inm and (inm.strip() == "*" or etag in
                        [x.strip() for x in inm.split(",")] or
                        etag[2:] in [x.strip() for x in inm.split(",")]):
                with LOCK:
                    STATE["not_modified"] += 1
                self.send(304, None, headers=headers)
                return
            headers.append(("Cache-Control", "private, max-age=60, "
                            "s-maxage=60"))
            headers.append(("Vary", "Accept, Authorization, Cookie, "
                            "X-GitHub-OTP"))
        if count:
            with LOCK:
                rate_state()
                STATE["used"] += 1
        self.send(code, body, headers=headers)

    def control(self, path, q):
        if path == "/_emu/exhaust" and self.command == "POST":
            s = qint(q, "reset", 60)
            with LOCK:
                rate_state()
                STATE["used"] = ARGS.rate_limit
                STATE["reset"] = int(time.time()) + s
            self.reply(200, {"reset": STATE["reset"]})
        elif path == "/_emu/secondary" and self.command == "POST":
            with LOCK:
                STATE["secondary"] = qint(q, "retry_after", 60)
            self.reply(200, {"retry_after": STATE["secondary"]})
        elif path == "/_emu/stats":
            with LOCK:
                st = json.loads(json.dumps(
                    {k: STATE[k] for k in ("requests", "not_modified",
                                           "rate_limited", "by_path")}))
            self.reply(200, st)
        elif path == "/_emu/services":
            self.send(200, SERVICES.encode(), "text/plain; charset=utf-8")
        elif path == "/_emu/now":
            self.reply(200, {"now": NOW, "now_iso": iso(NOW)})
        else:
            self.reply(404, {"message": "Not Found"})

    # --- the API ---

    def api(self, path, q):
        p = path.split("/")
        if len(p) >= 3 and p[1] == "repositories":
            try:
                r = REPO_IDS.get(int(p[2]))
            except ValueError:
                r = None
            if r is None:
                return not_found() + ((),)
            owner, name, rest = r.owner, r.name, p[3:]
        elif len(p) >= 4 and p[1] == "repos":
            owner, name, rest = p[2], p[3], p[4:]
        else:
            return not_found() + ((),)
        full = owner + "/" + name
        if owner == "broken":
            return 500, {"message": "Server Error"}, ()
        if name == "gone":
            return not_found() + ((),)
        if name == "flaky":
            with LOCK:
                first = path not in STATE["flaky"]
                STATE["flaky"].add(path)
            if first:
                return 502, {"message": "Server Error"}, ()
        if name == "garbage":
            return 200, b"<html><body><h1>Unicorn!</h1> This page is " \
                b"taking too long to load.</body></html>\n", ()
        if name == "slow":
            self.hang()
            raise BrokenPipeError
        r = REPOS.get(full)
        if r is None and name == "flaky":
            r = REPOS.get("acme/flaky")
        if r is None:
            return not_found() + ((),)
        base = self.base()
        rbase = "/repositories/%d" % r.id
        if not rest:
            return 200, repo_json(r, base), ()
        if rest == ["deployments"]:
            ds = [d for d in r.deployments
                  if all(k not in q or q[k][0] == d[f] for k, f in
                         (("environment", "env"), ("sha", "sha"),
                          ("ref", "ref")))
                  and q.get("task", ["deploy"])[0] == "deploy"]
            ds.sort(key=lambda d: (d["created"], d["id"]), reverse=True)
            return self.page([deployment_json(r, d, base) for d in ds], q,
                             rbase + "/deployments")
        if len(rest) == 3 and rest[0] == "deployments" and \
                rest[2] == "statuses":
            d = next((d for d in r.deployments
                      if str(d["id"]) == rest[1]), None)
            if d is None:
                return not_found() + ((),)
            sts = [status_json(r, d, i, base)
                   for i in range(len(d["statuses"]))]
            sts.reverse()
            return self.page(sts, q, rbase + "/deployments/%d/statuses" %
                             d["id"])
        if len(rest) == 2 and rest[0] == "compare":
            return self.compare(r, rest[1], q, base, rbase)
        if rest == ["releases"]:
            xs = sorted(r.releases, key=lambda x: (
                x["published"] if x["published"] is not None else NOW * 2,
                x["id"]), reverse=True)
            return self.page([release_json(r, x, base) for x in xs], q,
                             rbase + "/releases")
        if rest == ["pulls"]:
            return self.pulls(r, q, base, rbase)
        if rest == ["issues"]:
            return self.issues(r, q, base, rbase)
        return not_found() + ((),)

    def hang(self):
        """Never answers; returns when the client hangs up."""
        end = time.time() + 600
        while time.time() < end:
            rd, _, _ = select.select([self.connection], [], [], 0.5)
            if rd:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return

    def page(self, items, q, rpath, extra=None):
        """One page of items, GitHub style: per_page (default 30, at most
        100 or --max-per-page), page (from 1), a Link header when there
        is more than one page."""
        cap = min(100, ARGS.max_per_page)
        per = qint(q, "per_page", 30)
        per = cap if per > cap else 30 if per < 1 else per
        pg = max(1, qint(q, "page", 1))
        last = max(1, (len(items) + per - 1) // per)
        chunk = items[(pg - 1) * per:pg * per]
        headers = []
        if last > 1:
            headers.append(("Link", self.link(q, rpath, pg, last)))
        if extra is not None:
            return 200, extra(chunk, pg), headers
        return 200, chunk, headers

    def link(self, q, rpath, pg, last):
        def url(n):
            qq = [(k, v[0]) for k, v in q.items() if k != "page"]
            qq.append(("page", str(n)))
            return "<%s%s?%s>" % (self.base(), rpath,
                                  urllib.parse.urlencode(qq, safe=",:"))
        parts = []
        if pg > 1:
            parts.append(url(min(pg - 1, last)) + '; rel="prev"')
        if pg < last:
            parts.append(url(pg + 1) + '; rel="next"')
            parts.append(url(last) + '; rel="last"')
        if pg > 1:
            parts.append(url(1) + '; rel="first"')
        return ", ".join(parts)

    def compare(self, r, basehead, q, base, rbase):
        basehead = urllib.parse.unquote(basehead)
        if "..." not in basehead:
            return not_found() + ((),)
        b, h = basehead.split("...", 1)

        def resolve(ref):
            if ref in r.tags:
                ref = r.tags[ref]
            elif ref in ("main", "HEAD"):
                ref = r.head()
            ref = ref.lower()
            if len(ref) < 7 or any(c not in "0123456789abcdef"
                                   for c in ref):
                return None
            hits = [i for s, i in r.index.items() if s.startswith(ref)]
            return hits[0] if len(hits) == 1 else None
        bi, hi = resolve(b), resolve(h)
        if bi is None or hi is None:
            return not_found() + ((),)
        ahead = max(0, hi - bi)
        behind = max(0, bi - hi)
        status = "identical" if bi == hi else "ahead" if hi > bi else \
            "behind"
        commits = r.commits[bi + 1:hi + 1] if hi > bi else []
        html = "https://github.com/%s/compare/%s...%s" % (r.full, b, h)

        def body(chunk, pg):
            out = {"url": base + "/repos/%s/compare/%s...%s" % (r.full, b, h),
                   "html_url": html,
                   "permalink_url": "https://github.com/%s/compare/acme:%s..."
                   "acme:%s" % (r.full, r.commits[bi]["sha"][:7],
                                r.commits[hi]["sha"][:7]),
                   "diff_url": html + ".diff", "patch_url": html + ".patch",
                   "base_commit": commit_json(r, r.commits[bi], base),
                   "merge_base_commit": commit_json(
                       r, r.commits[min(bi, hi)], base),
                   "status": status, "ahead_by": ahead, "behind_by": behind,
                   "total_commits": ahead,
                   "commits": [commit_json(r, c, base) for c in chunk]}
            if pg == 1:
                out["files"] = [file_json(r, c, base)
                                for c in commits[:300]]
            return out
        if "per_page" not in q and "page" not in q:
            return 200, body(commits[-250:], 1), ()
        return self.page(commits, q, rbase + "/compare/%s...%s" % (b, h),
                         extra=body)

    def pulls(self, r, q, base, rbase):
        state = q.get("state", ["open"])[0]
        if state not in ("open", "closed", "all"):
            return 422, {"message": "Validation Failed", "errors": [
                {"resource": "Issue", "field": "state",
                 "code": "invalid"}], "documentation_url": DOCS,
                "status": "422"}, ()
        xs = [p for p in r.pulls if state == "all" or p["state"] == state]
        if "base" in q:
            xs = [p for p in xs if p["base"] == q["base"][0]]
        if "head" in q:
            hd = q["head"][0].split(":")[-1]
            xs = [p for p in xs if p["head_ref"] == hd]
        sort = q.get("sort", ["created"])[0]
        key = {"created": "created", "updated": "updated"}.get(sort)
        if key is None and sort not in ("popularity", "long-running"):
            return 422, {"message": "Validation Failed",
                         "documentation_url": DOCS, "status": "422"}, ()
        key = key or "created"
        direction = q.get("direction", ["desc" if sort == "created"
                                        else "asc"])[0]
        xs.sort(key=lambda p: (p[key], p["number"]),
                reverse=direction == "desc")
        return self.page([pull_json(r, p, base) for p in xs], q,
                         rbase + "/pulls")

    def issues(self, r, q, base, rbase):
        state = q.get("state", ["open"])[0]
        if state not in ("open", "closed", "all"):
            return 422, {"message": "Validation Failed",
                         "documentation_url": DOCS, "status": "422"}, ()
        items = [(x, None) for x in r.issues] + \
            [(p, True) for p in r.pulls]
        out = []
        want = [x.strip().lower() for x in q.get("labels", [""])[0]
                .split(",") if x.strip()]
        since = None
        if "since" in q:
            since = parse_iso(q["since"][0])
            if since is None:
                return 422, {"message": "Invalid value for `since`",
                             "documentation_url": DOCS, "status": "422"}, ()
        for x, pr in items:
            st = "closed" if x["closed"] is not None else "open"
            if state != "all" and st != state:
                continue
            have = set(n.lower() for n in x["labels"])
            if any(w not in have for w in want):
                continue
            if since is not None and x["updated"] < since:
                continue
            out.append((x, pr))
        sort = q.get("sort", ["created"])[0]
        key = {"created": "created", "updated": "updated",
               "comments": "created"}.get(sort, "created")
        direction = q.get("direction", ["desc"])[0]
        out.sort(key=lambda xp: (xp[0][key], xp[0]["number"]),
                 reverse=direction != "asc")
        return self.page([issue_json(r, x, base, pr) for x, pr in out], q,
                         rbase + "/issues")


def main():
    global ARGS, NOW, SERVICES
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--dataset", choices=("test", "demo"), default="test")
    ap.add_argument("--token", help="require Authorization: Bearer TOKEN")
    ap.add_argument("--max-per-page", type=int, default=100)
    ap.add_argument("--rate-limit", type=int, default=5000)
    ap.add_argument("--rate-window", type=int, default=3600)
    ap.add_argument("--now", type=int, help="NOW (epoch seconds) instead "
                    "of the start time; rounded down to the minute")
    ARGS = ap.parse_args()
    if ARGS.max_per_page < 1:
        ap.error("--max-per-page must be at least 1")
    NOW = (ARGS.now if ARGS.now is not None else int(time.time())) // 60 * 60
    SERVICES = dataset_test() if ARGS.dataset == "test" else dataset_demo()
    build_api("acme", "flaky")      # what repo "flaky" serves once up
    STATE["reset"] = int(time.time()) + ARGS.rate_window
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
