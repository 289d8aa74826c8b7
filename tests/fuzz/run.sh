#!/bin/sh
# Builds every libFuzzer harness in tests/fuzz with clang (address and
# undefined-behaviour sanitizers on) and runs each for a short while:
# DAGTOP_FUZZ_SECONDS (default 10).  A crash fails the run and leaves the
# input that caused it in build/fuzz.
set -eu
cd "$(dirname "$0")/../.."
secs=${DAGTOP_FUZZ_SECONDS:-10}
out=build/fuzz
mkdir -p "$out"
if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
-Isrc/model -Isrc/source $(pkg-config --cflags jansson zlib)"
libs="$(pkg-config --libs jansson zlib) -lm"
failed=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	# shellcheck disable=SC2086
	clang $cflags -o "$out/$name" "$src" src/model/*.c $libs
	corpus="$out/corpus-$name"
	mkdir -p "$corpus"
	seed="tests/fuzz/corpus/${name#fuzz_}"
	[ -d "$seed" ] || seed=
	echo "== $name (${secs}s)"
	# shellcheck disable=SC2086
	if ! "$out/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/$name-" -print_final_stats=0 "$corpus" $seed \
	    >"$out/$name.log" 2>&1; then
		tail -n 30 "$out/$name.log" >&2
		echo "FAILED: $name (see $out/$name.log)" >&2
		failed=1
	else
		grep -E '^(Done|#[0-9]+ +DONE)' "$out/$name.log" | tail -n 1 || true
	fi
done
exit $failed
