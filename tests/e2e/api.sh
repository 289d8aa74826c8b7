#!/bin/sh
# The Airflow API client against the emulator, without a terminal: every
# auth scheme, TLS verification (on by default, a private CA, off by name),
# timeouts and error answers, through `dagtop report log`.
# Usage: api.sh DAGTOP_BINARY   (after run.sh loaded af2 and af3)
set -u
. tests/lib/pg.sh
. tests/lib/emu.sh
bin=$1
fails=0
work=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-api.XXXXXX")
trap 'emu_stop_all; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# conf NAME SCHEMA URL KEY=VALUE...: a context file in $work/NAME.conf (af<SCHEMA>)
conf() {
	f="$work/$1.conf"
	printf '[context %s]\ndatabase = postgresql://reader@127.0.0.1:%s/af%s\n' \
	    "$1" "$PGPORT" "$2" >"$f"
	printf 'database_password_env = DBPW\nairflow_api = %s\n' "$3" >>"$f"
	shift 3
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
	done
	chmod 600 "$f"
}
# log NAME [ENV...]: report log of the failed task, output in $work/out
log() {
	n=$1
	shift
	env DBPW=reader-secret "$@" "$bin" --config "$work/$n.conf" report log \
	    etl_daily scheduled__d1 transform >"$work/out" 2>&1
}
ok() { grep -q "ValueError: column" "$work/out" || fail "$1: $(head -c 300 "$work/out")"; }
refused() { grep -q "$2" "$work/out" || fail "$1: expected '$2', got: $(head -c 300 "$work/out")"; }

dsn2="host=127.0.0.1 port=$PGPORT dbname=af2 user=postgres"
dsn3="host=127.0.0.1 port=$PGPORT dbname=af3 user=postgres"
dsn32="host=127.0.0.1 port=$PGPORT dbname=af32 user=postgres"

# Airflow 2 with a static bearer token, and a token from a command.
emu_start B --airflow 2 --dsn "$dsn2" --auth bearer --token tok-123 || exit 1
conf bearer 2 "$B_URL" airflow_auth=bearer airflow_token_env=AFTOKEN
log bearer AFTOKEN=tok-123 && ok "bearer"
log bearer AFTOKEN=nope; refused "bearer, wrong token" "HTTP 401"
log bearer; refused "bearer, no variable" "AFTOKEN, which is not set"
conf cmd 2 "$B_URL" airflow_auth=command "airflow_token_command=printf 'tok-123\\n'"
log cmd && ok "token command"
conf cmdfail 2 "$B_URL" airflow_auth=command "airflow_token_command=echo no token here >&2; exit 3"
log cmdfail; refused "failing token command" "airflow_token_command failed: exited with status 3: no token here"
grep -q "tok-123" "$work/out" && fail "a token was printed"
# A token command inherits no descriptor of dagtop's (the database socket,
# curl's, files, pipes): above 2, only ls's own (on /proc) is open in it.
conf fds 2 "$B_URL" airflow_auth=command \
    "airflow_token_command=ls -l /proc/self/fd | awk '\$9>2 && \$11!~\"^/proc/\"' >$work/fds && [ ! -s $work/fds ] && echo tok-123 || (cat $work/fds >&2 && exit 9)"
log fds && ok "token command with no inherited descriptor"

# Airflow 3 login: a wrong password is refused with Airflow's message.
emu_start L --airflow 3 --dsn "$dsn3" --auth login --user u --password 'p w' || exit 1
conf login 3 "$L_URL" airflow_auth=login airflow_user=u airflow_password_env=AFPW
log login "AFPW=p w" && ok "login"
log login AFPW=bad; refused "login, wrong password" "Invalid credentials"
grep -q "p w" "$work/out" && fail "a password was printed"

# Errors and timeouts.
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "status": 503, "count": 1, "body": "garbage"}' >/dev/null
log bearer AFTOKEN=tok-123; refused "503 with a non-JSON body" "HTTP 503"
grep -q "$(printf '\033')" "$work/out" && fail "an escape from the error body reached the output"
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "status": 404, "count": 1}' >/dev/null
log bearer AFTOKEN=tok-123; refused "404" "no log for this try yet"
conf slow 2 "$B_URL" airflow_auth=bearer airflow_token_env=AFTOKEN airflow_timeout=1
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "delay_ms": 4000, "status": 200, "count": 1, "body": "{}"}' >/dev/null
log slow AFTOKEN=tok-123; refused "a silent server" "timed out"
curl -s -XPOST "$B_URL/_emu/fail" -d '{"path_regex": "/logs/", "close": true, "count": 1}' >/dev/null
log bearer AFTOKEN=tok-123; refused "a dropped connection" "dagtop: report log: "
# Standard output is the log: an error goes to standard error alone.
env DBPW=reader-secret AFTOKEN=nope "$bin" --config "$work/bearer.conf" \
    report log etl_daily scheduled__d1 transform >"$work/out" 2>"$work/err"
rc=$?
[ "$rc" = 3 ] && [ ! -s "$work/out" ] && grep -q "HTTP 401" "$work/err" ||
    fail "report log: exit $rc, the error not on standard error alone: $(head -c 300 "$work/out")"

# TLS: verified by default, a private CA by name, verification off by name.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" \
    -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl could not make a certificate"
emu_start S --airflow 2 --dsn "$dsn2" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" || exit 1
case "$S_URL" in https://*) ;; *) fail "the TLS emulator is not on https" ;; esac
conf tls 2 "$S_URL"
log tls; refused "self-signed certificate" "TLS error"
conf tlsca 2 "$S_URL" "airflow_ca_file=$work/cert.pem"
log tlsca && ok "a private CA"
conf tlsoff 2 "$S_URL" airflow_tls_verify=false
log tlsoff && ok "verification off by name"

# The log folder on the scheduler host, without an API: Airflow's default
# template, plain text on 2.x, JSON lines on 3.x.
for v in 2 3 32; do
	major=${v%"${v#?}"}	# schema 32 is Airflow 3.2
	d="$work/logs$v/dag_id=etl_daily/run_id=scheduled__d1/task_id=transform"
	mkdir -p "$d"
	if [ "$major" = 2 ]; then
		printf '[2026-01-01T00:00:05.000+0000] {x.py:1} ERROR - from the folder\n' >"$d/attempt=3.log"
	else
		printf '{"timestamp": "2026-01-01T00:00:05Z", "level": "error", "event": "from the folder", "logger": "airflow.task"}\n' >"$d/attempt=3.log"
	fi
	f="$work/folder$v.conf"
	printf '[context f]\ndatabase = postgresql://reader@127.0.0.1:%s/af%s\ndatabase_password_env = DBPW\nlog_folder = %s\n' \
	    "$PGPORT" "$v" "$work/logs$v" >"$f"
	env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform >"$work/out" 2>&1
	if [ "$major" = 2 ]; then want="ERROR - from the folder"; else want="ERROR    [airflow.task] from the folder"; fi
	grep -qF "$want" "$work/out" || fail "log folder on schema $v: $(head -c 300 "$work/out")"
	env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform --try 2 >"$work/out" 2>&1
	refused "log folder, a try without a file" "attempt=2.log: No such file"
	# Special files under the log's name: refused at once, never waited
	# on (a FIFO without a writer) nor read without end (/dev/zero).  A
	# symlink to a regular file is read.
	rm -f "$d/attempt=2.log"
	mkfifo "$d/attempt=2.log"
	timeout 20 env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform --try 2 >"$work/out" 2>&1
	[ $? = 3 ] || fail "log folder, a FIFO: not exit status 3"
	refused "log folder, a FIFO" "refused: the log is a FIFO, not a regular file: .*/attempt=2.log"
	rm -f "$d/attempt=2.log"
	ln -s /dev/zero "$d/attempt=2.log"
	timeout 20 env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform --try 2 >"$work/out" 2>&1
	[ $? = 3 ] || fail "log folder, a symlink to /dev/zero: not exit status 3"
	refused "log folder, a symlink to /dev/zero" "refused: the log is a character device, not a regular file: .*/attempt=2.log"
	rm -f "$d/attempt=2.log"
	ln -s "attempt=3.log" "$d/attempt=2.log"
	timeout 20 env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform --try 2 >"$work/out" 2>&1
	grep -qF "$want" "$work/out" || fail "log folder, a symlink to a log: $(head -c 300 "$work/out")"
	rm -f "$d/attempt=2.log"
	# A line longer than 64 KiB: its first 64 KiB, then how much more.
	if [ "$major" = 2 ]; then
		{ head -c 300000 /dev/zero | tr '\0' x; printf '\nafter the long line\n'; } >"$d/attempt=1.log"
		env DBPW=reader-secret "$bin" --config "$f" report log etl_daily scheduled__d1 transform --try 1 >"$work/out" 2>&1 ||
		    fail "log folder, a long line: exit status $?"
		# 64 KiB of x, " … 234464 bytes more" (22 bytes), a newline.
		[ "$(grep -x "x*x … 234464 bytes more" "$work/out" | wc -c)" = 65559 ] ||
		    fail "log folder, a long line: not cut at 64 KiB with the rest told"
		grep -qx "after the long line" "$work/out" || fail "log folder, a long line: the next line is lost"
		# The spool's cap: what fits, then where and why it was cut.
		awk 'BEGIN { for (i = 0; i < 60000; i++) printf "line %06d of a log that goes on\n", i }' >"$d/attempt=1.log"
		cp "$f" "$work/capped.conf"
		printf 'log_spool_max = 1M\n' >>"$work/capped.conf"
		env DBPW=reader-secret "$bin" --config "$work/capped.conf" report log etl_daily scheduled__d1 transform --try 1 >"$work/out" 2>"$work/err" ||
		    fail "log_spool_max: exit status $?"
		[ "$(tail -n 1 "$work/out")" = "… the log was cut here, after 1 MB: log_spool_max (dagtop.conf(5))" ] ||
		    fail "log_spool_max: no cut mark at the end: $(tail -n 2 "$work/out")"
		[ "$(wc -c <"$work/out")" -lt 1100000 ] || fail "log_spool_max: more than 1 MB kept"
		grep -q "^line 029000 of" "$work/out" || fail "log_spool_max: the first megabyte is not all there"
		grep -q "report log: the log was cut after 1 MB" "$work/err" || fail "log_spool_max: nothing said on stderr"
		env DBPW=reader-secret "$bin" --config "$work/capped.conf" config check >"$work/out" 2>&1
		grep -q "^log_spool_max: 1M" "$work/out" || fail "config check does not show log_spool_max: $(cat "$work/out")"
		printf 'log_spool_max = 12\n' >>"$work/capped.conf"
		env DBPW=reader-secret "$bin" --config "$work/capped.conf" config check >"$work/out" 2>&1 &&
		    fail "log_spool_max without a unit accepted"
		grep -q "'log_spool_max' must be a size from 1M to 1T such as 512M or 4G, not '12'" "$work/out" ||
		    fail "log_spool_max without a unit: $(cat "$work/out")"
	fi
done

# The spool's cap on a log from the API (text on 2.x, NDJSON on 3.x): the
# transfer stops there, and the text says where it was cut.
for v in 2 3 32; do
	major=${v%"${v#?}"}	# schema 32 is Airflow 3.2
	eval dsn=\$dsn$v
	emu_start "H$v" --airflow "$v" --dsn "$dsn" --huge "etl_daily/transform:5" || exit 1
	eval url=\$H${v}_URL
	conf "huge$v" "$v" "$url" log_spool_max=2M
	log "huge$v"
	[ $? = 0 ] || fail "log_spool_max on API v$((major - 1)): exit status not 0"
	# (stderr's note follows the text in $work/out)
	[ "$(tail -n 2 "$work/out" | head -n 1)" = "… the log was cut here, after 2 MB: log_spool_max (dagtop.conf(5))" ] ||
	    fail "log_spool_max on API v$((major - 1)): no cut mark at the end: $(tail -n 2 "$work/out" | cut -c 1-200)"
	grep -q "the log was cut after 2 MB" "$work/out" || fail "log_spool_max on API v$((major - 1)): nothing said on stderr"
	grep -q "the big task failed" "$work/out" && fail "log_spool_max on API v$((major - 1)): read past the cap"
done

# The emulator's clear is Airflow's (airflow.md 4.5), on a database of its own.
for v in 2 3 32; do
	major=${v%"${v#?}"}	# schema 32 is Airflow 3.2
	db="afclear${v}_$$"
	pg_load_schema "$db" "$v"
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f "tests/integration/fixture_v$v.sql" >/dev/null
	psql -q -X -v ON_ERROR_STOP=1 -d "$db" -f tests/integration/fixture.sql >/dev/null
	emu_start "C$v" --airflow "$v" --dsn "host=127.0.0.1 port=$PGPORT dbname=$db user=postgres" || exit 1
	eval url=\$C${v}_URL
	q() { psql -X -A -t -q -d "$db" -c "$1"; }
	api="$url/api/v$((major - 1))/dags/etl_daily/clearTaskInstances"
	# The serialized tasks say retries 2 in the 2.x fixture, nothing in 3.x.
	if [ "$major" = 2 ]; then retries=2; else retries=0; fi
	if [ "$major" = 3 ]; then
		code=$(curl -s -o "$work/body" -w '%{http_code}' -XPOST "$api" \
		    -H 'Content-Type: application/json' -d '{"dag_run_id": "scheduled__d1", "task_ids": ["transform"], "include_subdags": true}')
		[ "$code" = 422 ] || fail "v2 accepted an unknown field ($code)"
		grep -q extra_forbidden "$work/body" || fail "v2's 422 is not FastAPI's shape"
		before=$(q "SELECT id FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")
	fi
	body='{"dry_run": false, "dag_run_id": "scheduled__d1", "task_ids": ["transform"], "include_downstream": true, "include_upstream": false, "only_failed": false, "reset_dag_runs": true}'
	code=$(curl -s -o "$work/body" -w '%{http_code}' -XPOST "$api" -H 'Content-Type: application/json' -d "$body")
	[ "$code" = 200 ] || fail "schema $v clear: HTTP $code"
	[ "$(q "SELECT count(*) FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND state IS NULL")" = 3 ] ||
	    fail "schema $v clear: not exactly 3 instances reset"
	[ "$(q "SELECT state FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='notify'")" = success ] ||
	    fail "schema $v clear: an instance outside the downstream changed"
	[ "$(q "SELECT max_tries FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" = \
	  "$(q "SELECT try_number + $retries FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")" ] ||
	    fail "schema $v clear: max_tries is not try_number + retries"
	[ "$(q "SELECT count(*) FROM task_instance_history WHERE dag_id='etl_daily' AND run_id='scheduled__d1'")" = 3 ] ||
	    fail "schema $v clear: no history row per cleared instance"
	[ "$(q "SELECT state || ' ' || clear_number || ' ' || (start_date IS NULL) FROM dag_run WHERE dag_id='etl_daily' AND run_id='scheduled__d1'")" = "queued 1 true" ] ||
	    fail "schema $v clear: the run is not queued again with clear_number + 1"
	[ "$(q "SELECT count(*) FROM log WHERE event = 'post_clear_task_instances'")" = 1 ] ||
	    fail "schema $v clear: no audit row in log"
	if [ "$major" = 3 ]; then
		after=$(q "SELECT id FROM task_instance WHERE dag_id='etl_daily' AND run_id='scheduled__d1' AND task_id='transform'")
		[ -n "$before" ] && [ "$before" != "$after" ] || fail "Airflow 3 clear: the instance kept its id"
		[ "$(q "SELECT count(*) FROM task_instance_history WHERE task_instance_id = '$before'")" = 1 ] ||
		    fail "Airflow 3 clear: the history row does not carry the old id"
	fi
	dropdb "$db"
done

if [ $fails -gt 0 ]; then
	echo "api ($bin): $fails failed" >&2
	exit 1
fi
echo "api ($bin): all checks passed"
