# trace2sql.awk: turns a DAGTOP_TRACE_SQL file into a psql script that runs
# the same statements with the same parameters, as PREPARE and EXECUTE.
# With -v explain=1 each EXECUTE is wrapped in EXPLAIN (ANALYZE, BUFFERS).
function lit(v) {
	if (v == "NULL")
		return "NULL"
	gsub(/'/, "''", v)
	return "'" v "'"
}
/^-- query [0-9]+ params$/ { n++; np = 0; sql = ""; inq = 1; next }
inq && /^-- \$[0-9]+ = / {
	v = $0
	sub(/^-- \$[0-9]+ = /, "", v)
	p[++np] = v
	next
}
inq && /^;$/ {
	args = ""
	for (i = 1; i <= np; i++)
		args = args (i > 1 ? ", " : "") lit(p[i])
	printf "PREPARE q%d AS %s;\n", n, sql
	if (explain)
		printf "\\echo ==== query %d\n\\echo %s\nEXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE q%d%s;\n", n, substr(sql, 1, 100), n, (np ? "(" args ")" : "")
	else
		printf "EXECUTE q%d%s;\n", n, (np ? "(" args ")" : "")
	printf "DEALLOCATE q%d;\n", n
	inq = 0
	next
}
inq { sql = sql (sql == "" ? "" : "\n") $0 }
