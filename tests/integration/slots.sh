#!/bin/sh
# Integration test of `dagtop report slots` through the BigQuery and Google
# auth emulator (tests/emulator/bigquery_emu.py): every auth method
# (service-account key with an RS256 JWT the emulator verifies with openssl,
# metadata server, token command, ADC in its three steps), jobs that are not
# complete at first and answer in several pages, BigQuery's errors, retries,
# a 401 that needs a new token, on-demand projects, every format, and the
# Airflow pools when the PostgreSQL of run.sh is there (DAGTOP_TEST_PORT).
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
expect_rc 1 sa		# the morning peak went above capacity
expect_out sa "WARNING: slots peak"
expect_out sa "minutes above capacity (500 slots)"
expect_out sa "500 slots now (reservation)"
expect_out sa "etl_daily.load_to_bq"
expect_out sa "job_0001_emu (etl_daily.load_to_bq)"
expect_out sa "airflow@demo-project.iam.gserviceaccount.com"
expect_out sa "this report's queries billed 30 MiB"
expect_out sa "service account ($dir/sa.json)"
[ "$(log_count 'POST token jwt ok')" = 1 ] || fail "sa: one token for three queries expected"
[ "$(log_count '^POST queries -- dagtop:')" = 3 ] || fail "sa: three queries expected"
# Polled while jobComplete was false, then paged.
grep -q "GET queries/.* page=500" "$BQ_EMU_LOG" || fail "sa: no second page read"
grep -q "GET queries/.* page=1000" "$BQ_EMU_LOG" || fail "sa: no third page read"

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
expect_rc 1 md
expect_out md "metadata server"
[ "$(log_count 'GET metadata-token')" = 1 ] || fail "md: one metadata token expected"
conf mdenv demo-project "google_auth = metadata"
RUN_ENV="GCE_METADATA_HOST=127.0.0.1:$BQ_EMU_PORT" run mdenv mdenv
expect_rc 1 mdenv

# --- token command ---------------------------------------------------------
conf cmd demo-project "google_auth = command" "google_token_command = printf 'emu-command-token\\n'"
run cmd cmd
expect_rc 1 cmd
expect_out cmd "token command"
conf cmdfail demo-project "google_token_command = echo 'ERROR: (gcloud) no account' >&2; exit 4"
run cmdfail cmdfail
expect_rc 3 cmdfail
expect_out cmdfail "the token command failed: exited with status 4: ERROR: (gcloud) no account"

# --- ADC: the variable, then gcloud's file (refresh token), then metadata ----
: >"$BQ_EMU_LOG"
conf adc demo-project "google_auth = adc"
RUN_ENV="GOOGLE_APPLICATION_CREDENTIALS=$dir/sa.json" run adc1 adc
expect_rc 1 adc1
expect_out adc1 "ADC: service account ($dir/sa.json)"
RUN_ENV="CLOUDSDK_CONFIG=$dir/adc DAGTOP_GOOGLE_TOKEN_URL=$BQ_EMU_URL/token" run adc2 adc
expect_rc 1 adc2
expect_out adc2 "ADC: user credentials ($dir/adc/application_default_credentials.json)"
[ "$(log_count 'POST token refresh ok')" = 1 ] || fail "adc: refresh-token grant expected"
# gcloud's default place under HOME, found without CLOUDSDK_CONFIG.
mkdir -p "$dir/home/.config/gcloud"
cp "$dir/adc/application_default_credentials.json" "$dir/home/.config/gcloud/"
RUN_ENV="DAGTOP_GOOGLE_TOKEN_URL=$BQ_EMU_URL/token" run adc3 adc
expect_rc 1 adc3
expect_out adc3 "ADC: user credentials ($dir/home/.config/gcloud/"
rm -rf "$dir/home/.config"
RUN_ENV="GCE_METADATA_HOST=127.0.0.1:$BQ_EMU_PORT" run adc4 adc
expect_rc 1 adc4
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
expect_rc 1 flaky
[ "$(log_count '^POST queries')" = 4 ] || fail "flaky: the 503 was not retried once"
: >"$BQ_EMU_LOG"
conf reauth reauth "google_auth = metadata" "google_metadata_url = $BQ_EMU_URL"
run reauth reauth
expect_rc 1 reauth
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
run json sa --format json --hours 2
/usr/bin/python3 - "$dir/json.out" "$rc" <<'PY' || fail "json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
above = d["minutes_above_capacity"]
assert above == sum(1 for m in d["minutes"] if m["slots"] > m["capacity"])
assert d["report"] == "slots"
assert d["status"] == ("warning" if above else "ok"), d["status"]
assert d["exit_code"] == int(sys.argv[2]) == (1 if above else 0)
assert d["window"]["minutes"] == 120 and len(d["minutes"]) == 120
assert d["capacity"] == {"kind": "reservation", "slots": 500.0}, d["capacity"]
assert d["query_bytes_billed"] == 3 * 10485760
assert d["top"]["dags"][0]["dag_id"] == "etl_daily"
assert d["top"]["dags"][0]["task_id"] == "load_to_bq"
assert d["top"]["users"][0]["user"].startswith("airflow@")
assert d["pools"] is None
for m in d["minutes"]:
    assert set(m) == {"minute", "slots", "capacity", "running", "pending"}
PY
run csv sa --format csv
expect_rc 1 csv
[ "$(head -1 "$dir/csv.out")" = "minute,slots,capacity,running,pending" ] || fail "csv: header"
[ "$(wc -l <"$dir/csv.out")" = 1441 ] || fail "csv: 1440 minutes expected"
grep -q '^20[0-9-]*T[0-9:]*Z,[0-9.]*,500,[0-9]*,[0-9]*$' "$dir/csv.out" || fail "csv: row shape"
run md2 sa --format markdown
expect_out md2 "# BigQuery slots"
expect_out md2 "| hour | peak | average | capacity | minutes above |"
run quiet od --quiet
[ ! -s "$dir/quiet.out" ] || fail "quiet: output when all is good"

# --- Airflow pools from the metadata database --------------------------------
if [ -n "${DAGTOP_TEST_PORT:-}" ]; then
	RUN_ENV="PGPASSWORD=reader-secret" run pools sa --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2"
	expect_rc 1 pools
	expect_out pools "Airflow pools"
	grep -q '^ *128 .*default_pool$' "$dir/pools.out" || fail "pools: default_pool row"
	RUN_ENV="PGPASSWORD=reader-secret" run poolsj sa --format json --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2"
	/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["pools"]; assert any(x["pool"]=="default_pool" and x["slots"]==128 for x in p), p' "$dir/poolsj.out" || fail "pools: JSON"
	# A pool name that would split the table and carry a link (run.sh's
	# af2_hostile): one cell of text.
	RUN_ENV="PGPASSWORD=reader-secret" run poolsmd sa --format markdown --database "postgresql://reader@127.0.0.1:$DAGTOP_TEST_PORT/af2_hostile"
	expect_rc 1 poolsmd
	expect_out poolsmd "## Airflow pools"
	md_inert "$dir/poolsmd.out" || fail "poolsmd: data rendered as Markdown"
	grep -q '^| a\\|b .* | 4 | 0 | 0 | 0 | 4 |$' "$dir/poolsmd.out" ||
	    fail "poolsmd: the hostile pool's row"
	md_inert "$dir/md2.out" || fail "md2: data rendered as Markdown"
	# A database that is down costs the pools only.
	run poolsdown sa --database "postgresql://reader@127.0.0.1:9/af2"
	expect_rc 1 poolsdown
	expect_out poolsdown "Airflow pools"
	expect_out poolsdown "unreadable"
fi

# --- no token ever reaches the output ---------------------------------------
if grep -l 'emu-sa-\|emu-md-\|emu-user-\|emu-command-token\|emu-refresh-token\|PRIVATE KEY' "$dir"/*.out "$dir"/*.err 2>/dev/null; then
	fail "a secret was printed"
fi

[ $fails = 0 ] && echo "slots: all good ($bin)"
exit $((fails > 0))
