# Shared by the report tests that run dagtop over a configuration of their
# own: set bin (the binary) and work (a folder holding conf) before
# sourcing; failures are counted in $fails.  RUN_WRAP, when set, is a
# command dagtop runs under (silent_dns.sh's dns_run, timeout 60);
# RUN_ENV, when set, more VAR=value words for its environment.
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# run OUT ARGS...: dagtop ARGS with the test's configuration in a clean
# environment, stdout to OUT and stderr to OUT.err; sets rc and took
# (whole seconds).
run() {
	out=$1
	shift
	t0=$(date +%s)
	${RUN_WRAP:-} env -i HOME="$work" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 \
	    DBPW=reader-secret ${RUN_ENV:-} "$bin" --config "$work/conf" "$@" \
	    >"$out" 2>"$out.err"
	rc=$?
	took=$(($(date +%s) - t0))
}

# has FILE TEXT...: each TEXT is in FILE.
has() {
	f=$1
	shift
	for want in "$@"; do
		grep -qF -- "$want" "$f" || fail "$(basename "$f"): no '$want' in: $(cat "$f")"
	done
}
