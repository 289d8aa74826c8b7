# lib.sh: what the bench scripts share.  Source it (with PGHOST and PGPORT
# of the bench's server set, for the pgss_ functions).
#   now_ms, median FILE, ratio A B, ticks PID...   clock, statistics, CPU
#   full_screen TMUX TARGET NDAGS FILE   the console's first full screen
#   bench_summary LABEL FIGURE      a line of the summary bench.sh prints last
#   bench_measure FUNC ROUNDS FILE  FUNC's statements (once) and time
#                                   (median of ROUNDS runs, in BENCH_MS)
# What the database did for dagtop, from pg_stat_statements (the bench's
# server loads it; bench.sh creates the extension).  dagtop connects as its
# own role (dagtop_bench), so that its statements are told apart from the
# bench's own (postgres).
#   pgss_reset                  forget everything counted so far
#   pgss_show SECONDS [MAX]     per statement and in total, scaled to a
#                               minute when SECONDS is not 0: calls, DB ms
#                               (execution + planning) and rows, the query
#                               cut to 60 characters; sets PGSS_CALLS,
#                               PGSS_MS and PGSS_ROWS to the totals
PGSS_ROLE=dagtop_bench

now_ms() { date +%s%3N; }
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# CPU ticks (user + system) of the processes, summed.
ticks() {
	for _p in "$@"; do cat "/proc/$_p/stat" 2>/dev/null; done |
	    awk '{ s += $14 + $15 } END { print s + 0 }'
}

# The first full screen: the DAG list with every DAG counted, and no run
# strip on screen still waiting to be read (drawn with '?').  The console
# may show the list before its strips; the screen is full when both are.
full_screen() {
	$1 capture-pane -p -t "$2" >"$4" 2>/dev/null &&
	    grep -q "DAGs ($3)" "$4" && ! grep -q '??' "$4"
}

bench_summary() {
	[ -z "${BENCH_SUMMARY:-}" ] || printf '  %-44s %s\n' "$1" "$2" >>"$BENCH_SUMMARY"
}

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

pgss_show() {
	_f=1
	[ "$1" = 0 ] || _f=$(awk -v s="$1" 'BEGIN { print 60 / s }')
	_t=$(mktemp "${TMPDIR:-/tmp}/dagtop-pgss.XXXXXX")
	pgss_rows >"$_t"
	set -- $(awk -F'|' -v f="$_f" -v max="${2:-12}" '
	    { c += $1; m += $2; r += $3
	      if (NR <= max)
		printf "    %7.0f %9.1f %9.0f  %s\n", $1 * f, $2 * f, $3 * f, $4 >"/dev/stderr"
	      else
		rest++ }
	    END { if (rest) printf "    (and %d more statements)\n", rest >"/dev/stderr"
		  printf "%.0f %.1f %.0f\n", c * f, m * f, r * f }' \
	    "$_t" 2>"$_t.t")
	PGSS_CALLS=$1 PGSS_MS=$2 PGSS_ROWS=$3
	echo "      calls     DB ms      rows  statement"
	cat "$_t.t"
	printf '    %7s %9s %9s  total\n' "$PGSS_CALLS" "$PGSS_MS" "$PGSS_ROWS"
	rm -f "$_t" "$_t.t"
}

# A report's statements, DB ms and time: FUNC once with the counters reset
# (its statements into FILE, totals in PGSS_CALLS and PGSS_MS), then ROUNDS
# timed runs (their median in BENCH_MS).
bench_measure() {
	pgss_reset
	$1
	pgss_show 0 "${4:-12}" >"$3"
	: >"$3.t"
	_i=0
	while [ $_i -lt "$2" ]; do
		_a=$(now_ms); $1; _b=$(now_ms)
		echo $((_b - _a)) >>"$3.t"
		_i=$((_i + 1))
	done
	BENCH_MS=$(median "$3.t")
	rm -f "$3.t"
}
