# pg.sh: a throwaway PostgreSQL server for tests, the demo and the bench.
# Source it, then:   pg_start [extra postgres -c settings...]   ...   pg_stop
# pg_start sets PGHOST (its socket folder), PGPORT, PGUSER=postgres and
# PG_DIR.  The server listens on a Unix socket in PG_DIR and on 127.0.0.1
# only.  It runs as an unprivileged user when we are root (PostgreSQL
# refuses to run as root).  pg_stop stops it and removes PG_DIR; callers
# trap it so the server goes whatever happens.

pg_bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	command -v pg_config >/dev/null 2>&1 && { pg_config --bindir; return 0; }
	echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
	return 1
}

# Runs a command as the server's owner.
pg_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$PG_OWNER" -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	PG_BIN=$(pg_bindir) || return 1
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dagtop-pg.XXXXXX") || return 1
	PG_OWNER=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		PG_OWNER=nobody
		chown "$PG_OWNER" "$PG_DIR"
		chmod 755 "$PG_DIR"
	fi
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
	    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
	    --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	# Superuser and fixtures over the socket without a password; over TCP
	# the reader roles need their password, so a wrong one is refused.
	cat >"$PG_DIR/data/pg_hba.conf" <<HBA
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
	tries=0
	while :; do
		PGPORT=$(( 20000 + ($$ * 7 + tries * 131 + $(date +%N | sed 's/^0*//;s/^$/0/') % 997) % 30000 ))
		set -- "$@"
		opts="-p $PGPORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
		for o in "$@"; do opts="$opts -c $o"; done
		if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" \
		    -o "$opts" -w -t 60 start >/dev/null 2>&1; then
			PG_OPTS=$opts
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 5 ]; then
			echo "pg.sh: the test server did not start:" >&2
			tail -n 20 "$PG_DIR/server.log" >&2
			return 1
		fi
	done
	PGHOST=$PG_DIR
	PGUSER=postgres
	export PGHOST PGPORT PGUSER PG_DIR PG_BIN PG_OPTS PG_OWNER
	unset PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
	    >/dev/null 2>&1 || true
	rm -rf "$PG_DIR"
	PG_DIR=
}

# pg_load_schema DB 2|3|32: a new database with Airflow's 2.10, 3.1 or 3.2
# schema (airflow2_schema.sql, airflow3_schema.sql, airflow32_schema.sql)
# and its dataset or asset tables (airflow2_assets.sql, airflow3_assets.sql;
# 3.2 takes 3.1's, whose tables dagtop reads are the same there).  The
# deadline table at the end of airflow3_assets.sql is left out: the SLA
# fixtures create the shape of the release they test (3.1 or 3.2).
pg_load_schema() {
	createdb -T template0 "$1" &&
	psql -q -X -v ON_ERROR_STOP=1 -d "$1" -f "$PG_REFERENCE/airflow$2_schema.sql" >/dev/null &&
	case $2 in
	2) psql -q -X -v ON_ERROR_STOP=1 -d "$1" -f "$PG_REFERENCE/airflow2_assets.sql" >/dev/null ;;
	*) sed '/^-- Deadline alerts/,$d' "$PG_REFERENCE/airflow3_assets.sql" |
	    psql -q -X -v ON_ERROR_STOP=1 -d "$1" >/dev/null ;;
	esac
}

# The schema files: ../shared/reference next to the checkout (the source of
# truth, as CI has it), else the copies kept in tests/schema.
PG_REFERENCE=${DAGTOP_REFERENCE:-}
if [ -z "$PG_REFERENCE" ]; then
	PG_REFERENCE=$(pwd)/tests/schema
	if [ -f "$(pwd)/../shared/reference/airflow2_schema.sql" ]; then
		PG_REFERENCE=$(cd "$(pwd)/../shared/reference" && pwd)
	fi
fi
