#!/bin/sh
# Runs each unit test binary given on the command line; fails if any fails.
set -u
failed=0
for t in "$@"; do
	echo "== $t"
	if ! "$t"; then
		echo "FAILED: $t" >&2
		failed=1
	fi
done
exit $failed
