#!/bin/sh
# Integration test of `dagtop report slots` through the BigQuery and Google
# auth emulator (tests/emulator/bigquery_emu.py): every auth method
# (service-account key with an RS256 JWT the emulator verifies with openssl,
# metadata server, token command, ADC in its three steps), jobs that are not
# complete at first and answer in several pages, BigQuery's errors, retries,
# a 401 that needs a new token, on-demand projects, every format, and the
# Airflow pools when the PostgreSQL of run.sh is there (DAGTOP_TEST_PORT).
# Slots per reservation against that reservation's capacity (baseline +
# autoscale max + borrowed idle slots), on-demand apart, the alert window,
# a named reservation, the organization's jobs view, billed bytes of slow
# queries (jobs.get) and the requestId limit.
# Usage: slots.sh DAGTOP_BINARY
set -u
cd "$(dirname "$0")/../.."
. tests/lib/bigquery_emu.sh
. tests/lib/markdown.sh
bin=$1
fails=0
dir=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-slots.XXXXXX")
cleanup() { bq_emu_stop; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

bq_emu_start "$dir" "etl_daily,sales_daily_etl" || exit 1
mkdir -p "$dir/home"

# conf NAME PROJECT KEY=VALUE...: a config file with one context.
conf() {
	_f=$dir/$1.conf
	_p=$2
	shift 2
	{
		echo "[context t]"
		echo "bigquery_project = $_p"
		echo "bigquery_location = US"
		echo "bigquery_url = $BQ_EMU_URL/bigquery/v2"
		for kv in "$@"; do printf '%s\n' "$kv"; done
	} >"$_f"
	chmod 600 "$_f"
}

# run NAME CONF [ARGS...]: the report, output in $dir/NAME.out/.err, status in $rc.
run() {
	_n=$1
	_c=$2
	shift 2
	env -u GOOGLE_APPLICATION_CREDENTIALS -u CLOUDSDK_CONFIG \
	    -u GCE_METADATA_HOST -u DAGTOP_DATABASE HOME="$dir/home" TZ=UTC \
	    ${RUN_ENV:-} "$bin" --config "$dir/$_c.conf" report slots "$@" \
	    >"$dir/$_n.out" 2>"$dir/$_n.err"
	rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || { fail "$2: exit $rc, expected $1"; sed 's/^/    /' "$dir/$2.out" "$dir/$2.err" >&2; }
}

expect_out() {
	grep -qF -- "$2" "$dir/$1.out" "$dir/$1.err" ||
	    { fail "$1: expected \"$2\""; sed 's/^/    /' "$dir/$1.out" "$dir/$1.err" >&2; }
}

log_count() { grep -c -- "$1" "$BQ_EMU_LOG"; }

# --- service account: JWT signed with the key, checked by the emulator -------
: >"$BQ_EMU_LOG"
conf sa demo-project "google_auth = service-account" "google_key_file = $dir/sa.json"
run sa sa
# adhoc was above its ceiling 130..110 minutes ago: not in the last 15.
expect_rc 0 sa
expect_out sa "OK: slots peak"
expect_out sa "0 minutes above capacity in the last 15 (20 in the window)"
expect_out sa "rule       above capacity: usage of a reservation over its baseline + autoscale max_slots + the idle slots of the admin project's other reservations (ignore_idle_slots is false); alert on the last 15 minutes"
expect_out sa "(the busiest minute's average)"
expect_out sa "the current minute is left out"
expect_out sa "baseline 50 + autoscale max 50 (now 0), idle slots ignored = ceiling 100; 20 minutes above (0 in the alert window)"
# etl borrows bi's idle slots (200 - 25) and adhoc's (50 - 30).
expect_out sa "baseline 300 + autoscale max 100 (now 0) + idle 195 = ceiling 595; 0 minutes above"
expect_out sa "now 25.0, peak 325.0 at"
expect_out sa "on-demand: no reservation, no ceiling"
expect_out sa "etl_daily.load_to_bq"
expect_out sa "job_0001_emu (etl_daily.load_to_bq)"
expect_out sa "airflow@demo-project.iam.gserviceaccount.com"
expect_out sa "this report's queries billed 30 MiB"
expect_out sa "service account ($dir/sa.json)"
[ "$(log_count 'POST token jwt ok')" = 1 ] || fail "sa: one token for three queries expected"
[ "$(log_count '^POST queries -- dagtop:')" = 3 ] || fail "sa: three queries expected"
# Quick jobs: jobs.query's answer said what it billed, no jobs.get.
[ "$(log_count '^GET jobs/')" = 0 ] || fail "sa: jobs.get for a quick query"
# Paged.
grep -q "GET queries/.* page=500" "$BQ_EMU_LOG" || fail "sa: no second page read"
grep -q "GET queries/.* page=1000" "$BQ_EMU_LOG" || fail "sa: no third page read"

# --- the alert window, a named reservation, the organization's view ---------
run alert180 sa --alert-minutes 180
expect_rc 1 alert180
expect_out alert180 "WARNING: slots peak"
expect_out alert180 "20 minutes above capacity in the last 180 (20 in the window)"
run alert0 sa --alert-minutes 0
expect_rc 3 alert0
expect_out alert0 "--alert-minutes takes 1 to 1440, not '0'"
run alertx sa --alert-minutes 1441
expect_rc 3 alertx
conf hot hot "google_auth = service-account" "google_key_file = $dir/sa.json"
run hot hot
expect_rc 1 hot
expect_out hot "10 minutes above capacity in the last 15 (30 in the window)"
conf named demo-project "google_auth = service-account" "google_key_file = $dir/sa.json" "bigquery_reservation = demo-project:US.etl"
run named named --alert-minutes 180
expect_rc 0 named		# adhoc is not the reservation asked about
expect_out named "demo-project:US.etl (ENTERPRISE)"
grep -q "US.adhoc" "$dir/named.out" && fail "named: another reservation shown"
# Its idle slots still come from the others.
expect_out named "+ idle 195 = ceiling 595"
conf badresv demo-project "bigquery_reservation = demo-project.etl"
run badresv badresv
expect_rc 3 badresv
expect_out badresv "must be ADMIN-PROJECT:LOCATION.NAME"
conf org demo-project "google_auth = service-account" "google_key_file = $dir/sa.json" "bigquery_jobs_view = organization"
: >"$BQ_EMU_LOG"
run org org --format json
/usr/bin/python3 - "$dir/org.out" <<'PY' || fail "org: another project's usage of bi"
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["reservation_id"]: x for x in d["reservations"]}
# Another project uses 150 of bi: bi lends 25, not 175.
assert r["demo-project:US.bi"]["slots_now"] == 175.0, r["demo-project:US.bi"]
assert r["demo-project:US.etl"]["idle_slots"] == 45.0, r["demo-project:US.etl"]
assert r["demo-project:US.etl"]["ceiling"] == 445.0
PY
[ "$(log_count 'POST queries -- dagtop:timeline')" = 1 ] || fail "org: no timeline query"
conf badview demo-project "bigquery_jobs_view = folder"
run badview badview
expect_rc 3 badview
expect_out badview "must be project or organization"

# --- a slow query: jobComplete false first, billed bytes from jobs.get ------
: >"$BQ_EMU_LOG"
conf slow slow "google_auth = service-account" "google_key_file = $dir/sa.json"
run slow slow
expect_rc 0 slow
expect_out slow "this report's queries billed 30 MiB"
[ "$(log_count '^GET jobs/')" = 3 ] || fail "slow: one jobs.get per query expected"
grep -q "GET queries/.* page=$" "$BQ_EMU_LOG" || fail "slow: never polled"

# --- requestId: at most 36 characters, or 400 invalid ------------------------
/usr/bin/python3 - "$BQ_EMU_URL" <<'PY' || fail "emulator: a 39-character requestId was not refused"
import json, sys, urllib.request, urllib.error
url = sys.argv[1] + "/bigquery/v2/projects/demo-project/queries"
body = {"query": "-- dagtop:timeline\nSELECT 1", "useLegacySql": False,
        "location": "US", "requestId": "dagtop-" + "0" * 32}
req = urllib.request.Request(url, json.dumps(body).encode(), {
    "Authorization": "Bearer emu-command-token",
    "Content-Type": "application/json"})
try:
    urllib.request.urlopen(req)
    sys.exit(1)
except urllib.error.HTTPError as e:
    err = json.load(e)["error"]
    assert e.code == 400 and err["code"] == 400, err
    assert err["errors"][0]["reason"] == "invalid", err
PY

# A key the emulator does not know: the signature is refused.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/other.pem" 2>/dev/null
/usr/bin/python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
k = json.load(open(d + "/sa.json"))
k["private_key"] = open(d + "/other.pem").read()
json.dump(k, open(d + "/bad.json", "w"))
PY
conf badkey demo-project "google_auth = service-account" "google_key_file = $dir/bad.json"
run badkey badkey
expect_rc 3 badkey
expect_out badkey "invalid_grant: invalid JWT signature"
# A file that is not a key at all.
echo '{"type": "authorized_user"}' >"$dir/notkey.json"
conf notkey demo-project "google_auth = service-account" "google_key_file = $dir/notkey.json"
run notkey notkey
expect_rc 3 notkey
expect_out notkey "is not a service-account key"

# --- metadata server: configured URL, then GCE_METADATA_HOST -----------------
: >"$BQ_EMU_LOG"
conf md demo-project "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run md md
expect_rc 0 md
expect_out md "metadata server"
[ "$(log_count 'GET metadata-token')" = 1 ] || fail "md: one metadata token expected"
conf mdenv demo-project "google_auth = metadata"
RUN_ENV="GCE_METADATA_HOST=127.0.0.1:$BQ_EMU_PORT" run mdenv mdenv
expect_rc 0 mdenv

# --- token command ---------------------------------------------------------
conf cmd demo-project "google_auth = command" "google_token_command = printf 'emu-command-token\\n'"
run cmd cmd
expect_rc 0 cmd
expect_out cmd "token command"
conf cmdfail demo-project "google_token_command = echo 'ERROR: (gcloud) no account' >&2; exit 4"
run cmdfail cmdfail
expect_rc 3 cmdfail
expect_out cmdfail "the token command failed: exited with status 4: ERROR: (gcloud) no account"

# --- ADC: the variable, then gcloud's file (refresh token), then metadata ----
: >"$BQ_EMU_LOG"
conf adc demo-project "google_auth = adc"
RUN_ENV="GOOGLE_APPLICATION_CREDENTIALS=$dir/sa.json" run adc1 adc
expect_rc 0 adc1
expect_out adc1 "ADC: service account ($dir/sa.json)"
RUN_ENV="CLOUDSDK_CONFIG=$dir/adc DAGTOP_GOOGLE_TOKEN_URL=$BQ_EMU_URL/token" run adc2 adc
expect_rc 0 adc2
expect_out adc2 "ADC: user credentials ($dir/adc/application_default_credentials.json)"
[ "$(log_count 'POST token refresh ok')" = 1 ] || fail "adc: refresh-token grant expected"
# gcloud's default place under HOME, found without CLOUDSDK_CONFIG.
mkdir -p "$dir/home/.config/gcloud"
cp "$dir/adc/application_default_credentials.json" "$dir/home/.config/gcloud/"
RUN_ENV="DAGTOP_GOOGLE_TOKEN_URL=$BQ_EMU_URL/token" run adc3 adc
expect_rc 0 adc3
expect_out adc3 "ADC: user credentials ($dir/home/.config/gcloud/"
rm -rf "$dir/home/.config"
RUN_ENV="GCE_METADATA_HOST=127.0.0.1:$BQ_EMU_PORT" run adc4 adc
expect_rc 0 adc4
expect_out adc4 "ADC: metadata server"
# A refresh token the endpoint refuses.
sed 's/emu-refresh-token/revoked/' "$dir/adc/application_default_credentials.json" >"$dir/revoked.json"
RUN_ENV="GOOGLE_APPLICATION_CREDENTIALS=$dir/revoked.json DAGTOP_GOOGLE_TOKEN_URL=$BQ_EMU_URL/token" run adc5 adc
expect_rc 3 adc5
expect_out adc5 "invalid_grant: Bad Request"

# --- BigQuery's errors, retries, a 401 -------------------------------------
conf denied denied "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run denied denied
expect_rc 3 denied
expect_out denied "accessDenied: Access Denied: Project denied"
conf badsql badsql "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run badsql badsql
expect_rc 3 badsql
expect_out badsql "invalidQuery: Syntax error"
conf jobfail jobfail "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run jobfail jobfail
expect_rc 3 jobfail
expect_out jobfail "resourcesExceeded: Resources exceeded"
: >"$BQ_EMU_LOG"
conf flaky flaky "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run flaky flaky
expect_rc 0 flaky
[ "$(log_count '^POST queries')" = 4 ] || fail "flaky: the 503 was not retried once"
: >"$BQ_EMU_LOG"
conf reauth reauth "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run reauth reauth
expect_rc 0 reauth
[ "$(log_count 'GET metadata-token')" = 2 ] || fail "reauth: no new token after the 401"
# Nobody listening.
conf down demo-project "google_auth = metadata" "google_metadata_url = http://127.0.0.1:9" "bigquery_url = http://127.0.0.1:9/bigquery/v2"
run down down
expect_rc 3 down
# Settings that cannot work.
conf noproj demo-project
sed -i '/bigquery_project/d' "$dir/noproj.conf"
run noproj noproj
expect_rc 3 noproj
expect_out noproj "no BigQuery project"

# --- capacity: on-demand, configured ----------------------------------------
conf od ondemand "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run od od
expect_rc 0 od
expect_out od "on-demand (no reservation)"
conf fixed ondemand "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL" "bigquery_capacity = 2000"
run fixed fixed
expect_rc 0 fixed
expect_out fixed "2000 slots now (configured)"

# --- formats ----------------------------------------------------------------
run json sa --format json --hours 3 --alert-minutes 180
/usr/bin/python3 - "$dir/json.out" "$rc" <<'PY' || fail "json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "slots"
assert d["status"] == "warning" and d["exit_code"] == int(sys.argv[2]) == 1
assert d["alert_minutes"] == 180
assert d["minutes_above_capacity"] == 20, d["minutes_above_capacity"]
assert d["minutes_above_capacity_recent"] == 20
assert "autoscale max_slots" in d["capacity_rule"], d["capacity_rule"]
assert d["window"]["minutes"] == 180 and len(d["minutes"]) == 180
assert d["capacity"]["kind"] == "reservation", d["capacity"]
r = {x["reservation_id"]: x for x in d["reservations"]}
assert sorted(r) == ["demo-project:US.adhoc", "demo-project:US.bi",
                     "demo-project:US.etl"], sorted(r)
a = r["demo-project:US.adhoc"]
assert (a["baseline"], a["autoscale_max"], a["idle_slots"], a["ceiling"]) == \
    (50.0, 50.0, 0.0, 100.0), a
assert a["ignore_idle_slots"] is True and a["minutes_above"] == 20
assert a["peak"] == 140.0 and a["slots_now"] == 30.0
e = r["demo-project:US.etl"]
assert e["ignore_idle_slots"] is False and e["idle_slots"] == 195.0, e
assert e["minutes_above"] == 0
od = d["on_demand"]
assert od["reservation_id"] is None and od["ceiling"] is None
assert od["peak"] == 325.0 and od["minutes_above"] == 0, od
assert sum(1 for m in d["minutes"] if m["slots"] > 0) == 180
assert d["query_bytes_billed"] == 3 * 10485760
assert d["top"]["dags"][0]["dag_id"] == "etl_daily"
assert d["top"]["dags"][0]["task_id"] == "load_to_bq"
assert d["top"]["users"][0]["user"].startswith("airflow@")
assert d["pools"] is None
for m in d["minutes"]:
    assert set(m) == {"minute", "slots", "capacity", "running", "pending"}
PY
run csv sa --format csv
expect_rc 0 csv
[ "$(head -1 "$dir/csv.out")" = "minute,reservation,slots,baseline,autoscale_current,autoscale_max,idle,ceiling,above" ] || fail "csv: header"
# 1440 minutes, three reservations and on-demand.
[ "$(wc -l <"$dir/csv.out")" = 5761 ] || fail "csv: 1440 x 4 rows expected"
grep -q '^20[0-9-]*T[0-9:]*Z,demo-project:US.adhoc,140.000,50.000,50.000,50.000,0.000,100.000,1$' "$dir/csv.out" || fail "csv: adhoc above"
grep -q '^20[0-9-]*T[0-9:]*Z,on-demand,25.000,,,,,,$' "$dir/csv.out" || fail "csv: on-demand row"
[ "$(grep -c ',1$' "$dir/csv.out")" = 20 ] || fail "csv: 20 minutes above"
run md2 sa --format markdown
expect_out md2 "# BigQuery slots"
expect_out md2 "| hour | peak | average | capacity | minutes above |"
expect_out md2 "## By reservation"
expect_out md2 "| demo\\-project\\:US\\.adhoc | 30.0 | 140.0 | "
expect_out md2 "| on\\-demand | 25.0 | 325.0 | "
expect_out md2 "| 50 | 0 / 50 | 0 (ignored) | 100 | 20 (0 recent) |"
run quiet od --quiet
[ ! -s "$dir/quiet.out" ] || fail "quiet: output when all is good"

# --- Airflow pools from the metadata database --------------------------------
if [ -n "${DAGTOP_TEST_PORT:-}" ]; then
	RUN_ENV="PGPASSWORD=reader-secret" run pools sa --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2"
	expect_rc 0 pools
	expect_out pools "Airflow pools"
	grep -q '^ *128 .*default_pool$' "$dir/pools.out" || fail "pools: default_pool row"
	RUN_ENV="PGPASSWORD=reader-secret" run poolsj sa --format json --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2"
	/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["pools"]; assert any(x["pool"]=="default_pool" and x["slots"]==128 for x in p), p' "$dir/poolsj.out" || fail "pools: JSON"
	# A pool name that would split the table and carry a link (run.sh's
	# af2_hostile): one cell of text.
	RUN_ENV="PGPASSWORD=reader-secret" run poolsmd sa --format markdown --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2_hostile"
	expect_rc 0 poolsmd
	expect_out poolsmd "## Airflow pools"
	md_inert "$dir/poolsmd.out" || fail "poolsmd: data rendered as Markdown"
	grep -q '^| a\\|b .* | 4 | 0 | 0 | 0 | 4 |$' "$dir/poolsmd.out" ||
	    fail "poolsmd: the hostile pool's row"
	md_inert "$dir/md2.out" || fail "md2: data rendered as Markdown"
	# A database that is down costs the pools only.
	run poolsdown sa --database "postgresql://reader@127.0.0.1:9/af2"
	expect_rc 0 poolsdown
	expect_out poolsdown "Airflow pools"
	expect_out poolsdown "unreadable"
fi

# --- no token ever reaches the output ---------------------------------------
if grep -l 'emu-sa-\|emu-md-\|emu-user-\|emu-command-token\|emu-refresh-token\|PRIVATE KEY' "$dir"/*.out "$dir"/*.err 2>/dev/null; then
	fail "a secret was printed"
fi

[ $fails = 0 ] && echo "slots: all good ($bin)"
exit $((fails > 0))
