# pgss.sh: what the database did for dagtop, from pg_stat_statements (the
# bench server loads it; bench.sh creates the extension).  dagtop connects
# as its own role (dagtop_bench), so that its statements are told apart from
# the bench's own (postgres).  Source it, with PGHOST and PGPORT set.
#   pgss_reset                  forget everything counted so far
#   pgss_show SECONDS [MAX]     per statement and in total, scaled to a
#                               minute when SECONDS is not 0: calls, DB ms
#                               (execution + planning) and rows, the query
#                               cut to 60 characters; sets PGSS_CALLS,
#                               PGSS_MS and PGSS_ROWS to the totals
#   pgss_totals                 sets PGSS_CALLS, PGSS_MS and PGSS_ROWS (as
#                               counted, not scaled), prints nothing
#   bench_summary LABEL FIGURE  a line of the summary bench.sh prints last
PGSS_ROLE=dagtop_bench

pgss_psql() { psql -X -q -A -t -F '|' -d airflow "$@"; }

pgss_reset() { pgss_psql -c 'SELECT pg_stat_statements_reset()' >/dev/null; }

# Every statement of the role: calls|ms|rows|query on one line.
pgss_rows() {
	pgss_psql -c "SELECT s.calls, s.total_exec_time + s.total_plan_time,
	    s.rows, left(regexp_replace(s.query, '[[:space:]]+', ' ', 'g'), 60)
	    FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
	    WHERE r.rolname = '$PGSS_ROLE'
	    ORDER BY 2 DESC"
}

pgss_totals() {
	set -- $(pgss_rows | awk -F'|' '{ c += $1; m += $2; r += $3 }
	    END { printf "%d %.1f %d\n", c, m, r }')
	PGSS_CALLS=$1 PGSS_MS=$2 PGSS_ROWS=$3
}

pgss_show() {
	_f=1
	[ "$1" = 0 ] || _f=$(awk -v s="$1" 'BEGIN { print 60 / s }')
	pgss_rows >"${TMPDIR:-/tmp}/dagtop-pgss.$$"
	set -- $(awk -F'|' -v f="$_f" -v max="${2:-12}" '
	    { c += $1; m += $2; r += $3
	      if (NR <= max)
		printf "    %7.0f %9.1f %9.0f  %s\n", $1 * f, $2 * f, $3 * f, $4 >"/dev/stderr"
	      else
		rest++ }
	    END { if (rest) printf "    (and %d more statements)\n", rest >"/dev/stderr"
		  printf "%.0f %.1f %.0f\n", c * f, m * f, r * f }' \
	    "${TMPDIR:-/tmp}/dagtop-pgss.$$" 2>"${TMPDIR:-/tmp}/dagtop-pgss.$$.t")
	PGSS_CALLS=$1 PGSS_MS=$2 PGSS_ROWS=$3
	echo "      calls     DB ms      rows  statement"
	cat "${TMPDIR:-/tmp}/dagtop-pgss.$$.t"
	printf '    %7s %9s %9s  total\n' "$PGSS_CALLS" "$PGSS_MS" "$PGSS_ROWS"
	rm -f "${TMPDIR:-/tmp}/dagtop-pgss.$$" "${TMPDIR:-/tmp}/dagtop-pgss.$$.t"
}

bench_summary() {
	[ -z "${BENCH_SUMMARY:-}" ] || printf '  %-44s %s\n' "$1" "$2" >>"$BENCH_SUMMARY"
}
