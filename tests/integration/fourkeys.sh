#!/bin/sh
# Integration test of `dagtop report fourkeys`: GitHub through the emulator
# (tests/emulator/github_emu.py, dataset "test": the keys its author worked
# out by hand are in tests/emulator/fixtures/github_expected.json), with
# pages forced small, conditional requests answered 304 from the ETag cache,
# a rate-limit pause, a secondary limit, GitHub's errors, a bad token, every
# format; and the SQL source on the PostgreSQL of run.sh (DAGTOP_TEST_PORT,
# database fourkeys, tests/integration/fixture_fourkeys.sql).
# Usage: fourkeys.sh DAGTOP_BINARY
set -u
cd "$(dirname "$0")/../.."
. tests/lib/github_emu.sh
. tests/lib/markdown.sh
bin=$1
fails=0
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-fourkeys.XXXXXX")
cleanup() { gh_emu_stop; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

TOKEN=ghp_emuTestToken0123456789
gh_emu_start "$dir" --dataset test --token "$TOKEN" --max-per-page 5 || exit 1
mkdir -p "$dir/home"

services() {
	cat <<EOF
[service "api"]
repos = acme/api
environment = production
deployments = deployments
incident_label = Incident

[service "web"]
repos = acme/web
deployments = releases

[service "data"]
repos = acme/data
deployments = merges
branch = main
lead_time = pull_requests
EOF
}

# conf NAME [LINES...]: [dagtop] for the emulator, then the lines.
conf() {
	_f=$dir/$1.conf
	shift
	{
		echo "[dagtop]"
		echo "github_url = $GH_EMU_URL"
		echo "github_token_env = GH_TEST_TOKEN"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$_f"
	chmod 600 "$_f"
}

# run NAME CONF [ARGS...]: the report; output in NAME.out/.err, status in $rc.
run() {
	_n=$1
	_c=$2
	shift 2
	env GH_TEST_TOKEN="${GH_TOKEN_VALUE-$TOKEN}" HOME="$dir/home" \
	    XDG_CACHE_HOME="$dir/cache" TZ=UTC ${RUN_ENV:-} \
	    "$bin" --config "$dir/$_c.conf" report fourkeys "$@" \
	    >"$dir/$_n.out" 2>"$dir/$_n.err"
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || { fail "$2: exit $rc, expected $1"; sed 's/^/    /' "$dir/$2.out" "$dir/$2.err" >&2; }
}

expect_out() {
	touch "$dir/$1.err"
	grep -qF -- "$2" "$dir/$1.out" "$dir/$1.err" ||
	    { fail "$1: expected \"$2\""; sed 's/^/    /' "$dir/$1.out" "$dir/$1.err" >&2; }
}

stats() { curl -s "$GH_EMU_URL/_emu/stats"; }
stat_of() { stats | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

# --- the hand-computed keys, through pages of five --------------------------
{ conf gh; services >>"$dir/gh.conf"; }
run first gh --format json
expect_rc 0 first
/usr/bin/python3 tests/integration/fourkeys_check.py \
    tests/emulator/fixtures/github_expected.json "$dir/first.out" ||
    fail "first: the keys differ from the hand-computed ones"
requests1=$(stat_of requests)
nm1=$(stat_of not_modified)
[ "$nm1" = 0 ] || fail "a 304 on the first run, with an empty cache"

# --- again: every page is conditional, answered 304 from the cache ----------
run second gh --format json
expect_rc 0 second
/usr/bin/python3 tests/integration/fourkeys_check.py \
    tests/emulator/fixtures/github_expected.json "$dir/second.out" ||
    fail "second: the keys differ when read through the ETag cache"
requests2=$(stat_of requests)
nm2=$(stat_of not_modified)
[ $((nm2 - nm1)) -gt 0 ] && [ $((nm2 - nm1)) = $((requests2 - requests1)) ] ||
    fail "second run: $((nm2 - nm1)) of $((requests2 - requests1)) requests answered 304, expected all"
[ -d "$dir/cache/dagtop/github" ] || fail "no ETag cache in XDG_CACHE_HOME"
bad=$(find "$dir/cache/dagtop" -type f ! -perm 600 | head -1)
[ -z "$bad" ] || fail "cache file $bad is not 0600"
[ "$(stat -c %a "$dir/cache/dagtop/github")" = 700 ] || fail "cache folder is not 0700"
if grep -rqF "$TOKEN" "$dir/cache" "$dir"/*.out "$dir"/*.err; then
	fail "the token was written somewhere"
fi
# Another token must not be served the first one's answers.
RUN_ENV="GH_TEST_TOKEN=other" GH_TOKEN_VALUE=other run othertok gh --format json
expect_rc 3 othertok
expect_out othertok "GitHub answered 401"
expect_out othertok "check the token in \$GH_TEST_TOKEN"

# --- formats ------------------------------------------------------------------
run text gh
expect_rc 0 text
expect_out text "FOUR KEYS"
[ "$(head -1 "$dir/text.out")" = "OK: Four Keys of 3 services over 30 days" ] ||
    fail "text: the verdict line: $(head -1 "$dir/text.out")"
expect_out text "deployment frequency"
expect_out text "lead time for changes"
expect_out text "change failure rate"
expect_out text "time to restore"
expect_out text "deployments per day"
expect_out text "DORA 2023 bands"
run md gh --format markdown
expect_out md "## Four Keys"
expect_out md "| metric | value | band | trend |"
expect_out md "### api"
md_inert "$dir/md.out" || fail "md: data rendered as Markdown"
run csv gh --format csv
expect_out csv "service,window_days,from,to,deployments,per_day"
[ "$(sed 1d "$dir/csv.out" | wc -l)" = 3 ] || fail "csv: expected 3 service rows"
grep -q '^api,30,' "$dir/csv.out" || fail "csv: no row for service api"
run one gh --format json --service web
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert [s['name'] for s in d['services']] == ['web'], d" "$dir/one.out" ||
    fail "--service web: not only web"
run nosvc gh --service nope
expect_rc 3 nosvc
expect_out nosvc "no service 'nope' in the configuration"
run w7 gh --format json --window 7d
expect_rc 0 w7
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['window_days'] == 7 and len(d['services'][0]['daily_deployments']) == 7, d['window_days']" "$dir/w7.out" ||
    fail "--window 7d: not a 7-day window"
run badwin gh --window 0d
[ "$rc" = 3 ] || [ "$rc" = 64 ] || fail "--window 0d accepted (exit $rc)"

# --- the rate limit: a pause until it resets, or a clear refusal -------------
curl -s -X POST "$GH_EMU_URL/_emu/exhaust?reset=3" >/dev/null
rm -rf "$dir/cache"
t0=$(date +%s)
run ratelimit gh --format json --service api
t1=$(date +%s)
expect_rc 0 ratelimit
[ $((t1 - t0)) -ge 2 ] || fail "rate limit: did not wait for the reset ($((t1 - t0)) s)"
[ "$(stat_of rate_limited)" -ge 1 ] || fail "rate limit: the emulator never refused"
{ conf impatient "github_max_wait = 1"; services >>"$dir/impatient.conf"; }
curl -s -X POST "$GH_EMU_URL/_emu/exhaust?reset=120" >/dev/null
rm -rf "$dir/cache"
run impatient impatient --service api
expect_rc 3 impatient
expect_out impatient "rate limit is used up until"
expect_out impatient "longer than github_max_wait"
# let the quota come back for what follows
curl -s -X POST "$GH_EMU_URL/_emu/exhaust?reset=0" >/dev/null
sleep 1
curl -s -X POST "$GH_EMU_URL/_emu/secondary?retry_after=1" >/dev/null
run secondary gh --format json --service api
expect_rc 0 secondary

# --- GitHub's errors: named, and the other services still reported ----------
{ conf errs; services >>"$dir/errs.conf"; cat >>"$dir/errs.conf" <<'EOF'

[service "broken"]
repos = broken/api

[service "garbage"]
repos = acme/garbage

[service "gone"]
repos = acme/gone
EOF
}
run errs errs --format json
expect_rc 3 errs
expect_out errs "GitHub answered 500"
expect_out errs "not JSON"
expect_out errs "GitHub answered 404"
/usr/bin/python3 - "$dir/errs.out" <<'PY' || fail "errors: the good services are not all there"
import json, sys
d = json.load(open(sys.argv[1]))
by = {s["name"]: s for s in d["services"]}
assert d["status"] == "unknown" and d["exit_code"] == 3
for good in ("api", "web", "data"):
    assert by[good]["error"] is None and "lead_time" in by[good], good
for bad in ("broken", "garbage", "gone"):
    assert by[bad]["error"], bad
PY
GH_TOKEN_VALUE= run notoken gh
expect_rc 3 notoken
expect_out notoken "github_token_env names GH_TEST_TOKEN, which is not set"
{ conf cmdtok; sed 's/^github_token_env.*$//' "$dir/cmdtok.conf" >"$dir/cmdtok.tmp"; }
{ cat "$dir/cmdtok.tmp"; echo "github_token_command = printf '%s\\\\n' $TOKEN"; services; } >"$dir/cmdtok.conf"
rm -rf "$dir/cache"
run cmdtok cmdtok --format json --service web
expect_rc 0 cmdtok

# --- the configuration says what is wrong, with file:line --------------------
cat >"$dir/bad.conf" <<'EOF'
[dagtop]
github_token = abc
dora_year = 2019

[service "x"]
repos = not a repo
deployments = tags
EOF
"$bin" --config "$dir/bad.conf" config check >"$dir/badconf.out" 2>&1
rc=$?
expect_rc 1 badconf
expect_out badconf "bad.conf:2: 'github_token' is not read from the file"
expect_out badconf "bad.conf:3: 'dora_year' must be a DORA report year"
expect_out badconf "bad.conf:6: 'repos' must list repositories"
expect_out badconf "bad.conf:7: 'deployments' must be deployments, releases or merges"
"$bin" --config "$dir/gh.conf" --database "host=127.0.0.1 dbname=x" config check >"$dir/goodconf.out" 2>&1
rc=$?
expect_rc 0 goodconf
expect_out goodconf "four keys:   3 services, 30-day window, DORA 2023 bands"

# --- the SQL source -------------------------------------------------------------
# A service database that refuses the connection: every format says so and
# exits 3 (text used to crash after printing).
cat >"$dir/sqldown.conf" <<'EOF'
[service "billing"]
source = sql
database = postgresql://reader@127.0.0.1:1/fourkeys
query = SELECT 1
EOF
chmod 600 "$dir/sqldown.conf"
for f in text json csv markdown; do
	run "sqldown$f" sqldown --format "$f"
	expect_rc 3 "sqldown$f"
	expect_out "sqldown$f" "Connection refused"
done
if [ -n "${DAGTOP_TEST_PORT:-}" ]; then
	cat >"$dir/sql.conf" <<EOF
[service "billing"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query = SELECT 'deployment' AS kind, id, finished_at AS time,
  NULL::timestamptz AS end_time, sha AS ref, NULL AS title
  FROM releases WHERE service = \$2 AND finished_at >= \$1
  UNION ALL SELECT 'change', c.sha, c.committed_at, NULL, c.release_id, NULL
  FROM commits c JOIN releases r ON r.id = c.release_id WHERE r.service = \$2
  UNION ALL SELECT 'incident', id, opened, resolved, release_id, title
  FROM incidents WHERE service = \$2;

[service "other"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query_file = $dir/other.sql

[service "writer"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query = SELECT 'deployment' AS kind, nextval('release_seq')::text AS id, now() AS time, NULL::timestamptz AS end_time, NULL AS ref, NULL AS title

[service "badkind"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query = SELECT 'deploy' AS kind, 'x' AS id, now() AS time, NULL::timestamptz AS end_time, NULL AS ref, NULL AS title

[service "nocolumn"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query = SELECT 'deployment' AS kind, id FROM releases
EOF
	cat >"$dir/other.sql" <<'EOF'
-- nothing for this service yet
SELECT 'deployment' AS kind, id, finished_at AS time,
       NULL::timestamptz AS end_time, sha AS ref, NULL AS title
FROM releases WHERE service = $2
EOF
	chmod 600 "$dir/sql.conf"
	RUN_ENV="FK_DB_PW=reader-secret" run sql sql --format json
	expect_rc 3 sql		# the writer is refused by the read-only session
	expect_out sql "read-only transaction"
	expect_out sql "row 1 has kind 'deploy'; the kinds are deployment, change and incident"
	expect_out sql "column q.time does not exist"
	/usr/bin/python3 - "$dir/sql.out" <<'PY' || fail "sql: the keys differ from the hand-computed ones (fixture_fourkeys.sql)"
import json, sys
d = json.load(open(sys.argv[1]))
by = {s["name"]: s for s in d["services"]}
b = by["billing"]
assert b["error"] is None, b["error"]
f, l, c, r = (b["deployment_frequency"], b["lead_time"],
              b["change_failure_rate"], b["time_to_restore"])
assert (f["deployments"], f["class"], f["band"]) == (3, "weekly", "high"), f
assert abs(f["per_day"] - 0.1) < 1e-9 and abs(f["per_week"] - 0.7) < 1e-9, f
assert (l["changes"], l["median_seconds"], l["p90_seconds"], l["band"]) == \
    (4, 10800, 21600, "elite"), l
assert (c["failed_deployments"], c["deployments"], c["band"]) == (2, 3, "low"), c
assert abs(c["rate"] - 0.6667) < 1e-4, c
assert (r["incidents"], r["restored"], r["median_seconds"], r["band"]) == \
    (3, 2, 7200, "high"), r
assert f["previous"]["deployments"] == 1 and l["previous"]["median_seconds"] == 10800
assert c["previous"]["rate"] == 0 and r["previous"]["median_seconds"] is None
assert f["trend"] == "better" and c["trend"] == "worse", (f["trend"], c["trend"])
blamed = {i["id"]: i["deployment"] for i in b["incidents"]}
assert blamed == {"INC-1": "r2", "INC-2": "r2", "INC-3": "r3"}, blamed
assert sum(b["daily_deployments"]) == 3 and len(b["daily_deployments"]) == 30
o = by["other"]
assert o["error"] is None
assert o["deployment_frequency"]["deployments"] == 0
assert o["deployment_frequency"]["band"] == "low"
for k in ("lead_time", "change_failure_rate", "time_to_restore"):
    assert o[k]["band"] == "no data", (k, o[k])
assert o["lead_time"]["median_seconds"] is None
assert o["change_failure_rate"]["rate"] is None
assert "read-only transaction" in by["writer"]["error"]
assert by["badkind"]["error"] and by["nocolumn"]["error"]
PY
	# Incident titles and ids from outside: links, a tracking pixel, HTML.
	cat >"$dir/hostile.conf" <<EOF
[service "evil|svc [x](https://evil.example/s)"]
source = sql
database = postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/fourkeys
database_password_env = FK_DB_PW
query = SELECT 'deployment' AS kind, '[r1](https://evil.example/d)' AS id,
  now() - interval '3 days' AS time, NULL::timestamptz AS end_time,
  NULL AS ref, NULL AS title
  UNION ALL SELECT 'incident', 'INC|9 <!-- c -->', now() - interval '2 days',
  NULL, '[r1](https://evil.example/d)',
  'Re-authenticate [here](https://evil.example/login) ![](https://evil.example/pixel.png) <img src=https://evil.example/p.png> oncall@evil.example www.evil.example'
EOF
	chmod 600 "$dir/hostile.conf"
	RUN_ENV="FK_DB_PW=reader-secret" run hostile hostile --format markdown
	expect_rc 0 hostile
	expect_out hostile "pixel"
	md_inert "$dir/hostile.out" || fail "hostile: data rendered as Markdown"
	RUN_ENV="FK_DB_PW=reader-secret" run hostilecsv hostile --format csv
	expect_rc 0 hostilecsv
	[ "$(wc -l <"$dir/hostilecsv.out")" = 2 ] || fail "hostilecsv: a record split"
	RUN_ENV="FK_DB_PW=wrong" run sqlpw sql --service billing
	expect_rc 3 sqlpw
	expect_out sqlpw "password authentication failed"
	[ "$(head -1 "$dir/sqlpw.out")" = "UNKNOWN: Four Keys: 1 of 1 service could not be read" ] ||
	    fail "sqlpw: the verdict line: $(head -1 "$dir/sqlpw.out")"
	if grep -qF "reader-secret" "$dir"/sql*.out "$dir"/sql*.err; then
		fail "the database password was printed"
	fi
fi

if [ "$fails" -gt 0 ]; then
	echo "fourkeys: $fails failure(s) ($bin)" >&2
	exit 1
fi
echo "fourkeys: all good ($bin)"
