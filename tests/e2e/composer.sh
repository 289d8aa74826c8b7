#!/bin/sh
# Cloud Composer without copy-paste: a context with composer_environment and
# no airflow_api finds the Airflow web server through a fake Composer API
# (environments.get in tests/emulator/bigquery_emu.py, which also serves the
# metadata server), with the Google token that the Airflow API emulator
# then checks (--auth bearer with the one token the Google emulator issues).
# Checked: config check --connect (the URL, the version, the token), the
# cache file and its lifetime, a stale cached URL looked up again once, a
# refused token with the IAM roles named, an unknown environment, report
# log through the resolved URL, and report status in API mode.
# The token check asks GET /dags?limit=1 and report status needs source =
# api: both need the rest of issue 16 (the emulator's read endpoints, the
# REST scheduler source); without them those checks fail, saying so.
# Usage: composer.sh DAGTOP_BINARY SCHEMA   (after run.sh loaded af<SCHEMA>)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
. tests/lib/bigquery_emu.sh
bin=$1
v=$2
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-composer.XXXXXX")
trap 'emu_stop_all; bq_emu_stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL: composer (schema $v): $*" >&2; fails=$((fails + 1)); }

case $v in
2) image=composer-2.9.7-airflow-2.10.5 ;;
3) image=composer-3-airflow-3.1.0 ;;
*) image=composer-3-airflow-3.2.0 ;;
esac
env_name=projects/emu-project/locations/us-central1/environments/emu
denied=projects/emu-project/locations/us-central1/environments/denied
token=gtok-composer-$$
dsn="host=127.0.0.1 port=$PGPORT dbname=af$v user=postgres"
emu_start A --airflow "$v" --dsn "$dsn" --auth bearer --token "$token" || exit 1
# The same Airflow, but expecting another token: Google's is refused.
emu_start D --airflow "$v" --dsn "$dsn" --auth bearer --token other || exit 1
BQ_EMU_ARGS="--fixed-token $token --composer $env_name=$A_URL,$image --composer $denied=$D_URL,$image"
export BQ_EMU_ARGS
bq_emu_start "$work/g" || exit 1
export XDG_CACHE_HOME="$work/cache"
cache="$XDG_CACHE_HOME/dagtop/composer/$(echo "$env_name" | tr / _).json"

# conf NAME ENV [KEY=VALUE...]: an API-only context in $work/NAME.conf
conf() {
	f="$work/$1.conf"
	printf '[context %s]\ncomposer_environment = %s\ncomposer_url = %s\n' \
	    "$1" "$2" "$BQ_EMU_URL" >"$f"
	printf 'google_auth = metadata\ngoogle_metadata_url = %s\n' \
	    "$BQ_EMU_URL" >>"$f"
	shift 2
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
	done
	chmod 600 "$f"
}
check() { "$bin" --config "$work/$1.conf" config check --connect >"$work/out" 2>&1; }
has() { grep -q "$2" "$work/out" || fail "$1: expected '$2', got: $(cat "$work/out")"; }
lookups() { grep -c "^GET composer $env_name" "$BQ_EMU_LOG"; }

conf api "$env_name"
check api || fail "config check --connect (its token check needs the emulator's GET /dags): exit $?: $(cat "$work/out")"
has "the environment" "Composer environment $env_name"
has "the resolved URL" "^connect: *$A_URL\$"
has "the version" "^airflow: *[23]\.[0-9]"
has "the token (needs the emulator's GET /dags)" "^token: *accepted (airflow_auth = google)"
grep -q "GET metadata-token" "$BQ_EMU_LOG" || fail "no token from the metadata server"
[ "$(lookups)" = 1 ] || fail "environments.get asked $(lookups) times, not once"

# The cache: one small file, 0600, the URL in it; a second start asks nothing.
[ -f "$cache" ] || fail "no cache file $cache"
[ "$(stat -c %a "$cache" 2>/dev/null)" = 600 ] || fail "the cache file is not mode 0600"
grep -qF "\"airflowUri\":\"$A_URL\"" "$cache" || fail "the cache holds no airflowUri: $(cat "$cache")"
check api || fail "config check --connect from the cache: $(cat "$work/out")"
[ "$(lookups)" = 1 ] || fail "the cache was not used ($(lookups) lookups)"
# Older than a day: asked again.
touch -d '25 hours ago' "$cache"
check api || fail "config check --connect, cache expired: $(cat "$work/out")"
[ "$(lookups)" = 2 ] || fail "an expired cache was used ($(lookups) lookups)"
# A stale URL (the server moved): refused, the file removed, asked again once.
sed "s|$A_URL|http://127.0.0.1:9|" "$cache" >"$cache.new" && mv "$cache.new" "$cache"
chmod 600 "$cache"
check api || fail "config check --connect, stale URL: $(cat "$work/out")"
has "a stale URL replaced" "^connect: *$A_URL\$"
[ "$(lookups)" = 3 ] || fail "a stale cached URL was not looked up again ($(lookups) lookups)"
grep -qF "$A_URL" "$cache" || fail "the cache still holds the stale URL"

# A token the Airflow server refuses: said, with the roles Composer needs.
conf denied "$denied"
check denied && fail "a refused token passed --connect"
has "a refused token" "^token: *REFUSED (airflow_auth = google): HTTP 401"
has "the IAM roles" "roles/composer.user"
# An environment the Composer API does not know.
conf unknown projects/emu-project/locations/us-central1/environments/nope
check unknown && fail "an unknown environment passed --connect"
has "an unknown environment" "FAILED: the Composer API on .*HTTP 404: Environment .* not found.*check composer_environment"
# composer_environment and airflow_api together: a configuration error.
conf both "$env_name" "airflow_api=$A_URL"
check both && fail "composer_environment with airflow_api passed"
has "both set" "sets both 'composer_environment' and 'airflow_api'"

# report log through the resolved URL (the run's tries from the database).
conf db "$env_name" "database=postgresql://reader@127.0.0.1:$PGPORT/af$v" database_password_env=DBPW
env DBPW=reader-secret "$bin" --config "$work/db.conf" report log \
    etl_daily scheduled__d1 transform >"$work/out" 2>&1 ||
    fail "report log through Composer: exit $?: $(head -c 300 "$work/out")"
has "report log through Composer" "ValueError: column"
# Only reads reached the Airflow server (it checked Google's token on each).
curl -s "$A_URL/_emu/requests" >"$work/req"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"]; sys.exit(any(x["method"] != "GET" for x in r))' "$work/req" ||
    fail "a write reached the Airflow emulator"

# report status with no database at all: the REST scheduler source
# (source = api, src/source/airflow_rest.c) reads it through Composer.
"$bin" --config "$work/api.conf" report status >"$work/out" 2>&1
rc=$?
if [ "$rc" -ge 3 ] || ! grep -q "etl_daily" "$work/out"; then
	fail "report status in API mode through Composer (exit $rc; needs source = api, the REST scheduler source): $(head -c 300 "$work/out")"
fi

[ "$fails" = 0 ] && echo "composer e2e (schema $v): ok"
exit "$fails"
