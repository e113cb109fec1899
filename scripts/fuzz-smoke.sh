#!/bin/sh
# Builds the libFuzzer harnesses of tests/fuzz and runs each for a while.
#
#   scripts/fuzz-smoke.sh [SECONDS]      (default 10 per harness)
#
# Environment: BUILD_DIR (default build-fuzz, a clang build with
# -Dfuzz=true, configured here if missing), FUZZERS (default: all).
# The seed corpora in tests/fuzz/corpus/ are copied to a scratch directory,
# so the tree is not touched; crashes land in $BUILD_DIR/fuzz-artifacts/.
# Exits non-zero if any harness finds a crash, leak or failed invariant.
set -eu

secs=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-build-fuzz}
case $build in /*) ;; *) build=$root/$build ;; esac
fuzzers=${FUZZERS:-"note checkpoint dsse proofjson merkle jsonx media"}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false
fi
for f in $fuzzers; do
	ninja -C "$build" "tests/fuzz/fuzz_$f"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-artifacts"
status=0
for f in $fuzzers; do
	mkdir -p "$work/$f"
	if [ -d "$root/tests/fuzz/corpus/$f" ]; then
		cp "$root/tests/fuzz/corpus/$f"/* "$work/$f/"
	fi
	echo "== fuzz_$f for ${secs}s"
	if ! "$build/tests/fuzz/fuzz_$f" -max_total_time="$secs" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 \
		-artifact_prefix="$build/fuzz-artifacts/$f-" "$work/$f" \
		>"$work/$f.log" 2>&1; then
		tail -n 40 "$work/$f.log"
		echo "fuzz_$f: FAILED (artifacts in $build/fuzz-artifacts/)"
		status=1
	else
		grep -E 'stat::number_of_executed_runs|cov:' "$work/$f.log" |
			tail -n 2
	fi
done
exit $status
