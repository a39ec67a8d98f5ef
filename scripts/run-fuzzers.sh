#!/bin/sh
# run-fuzzers.sh BUILD_DIR [SECONDS] — runs every libFuzzer harness built in BUILD_DIR
# (fuzz_* executables; configure with -DHAMYAR_FUZZ=ON -DCMAKE_C_COMPILER=clang) for
# SECONDS each (default 60), each on a scratch copy of its seed corpus
# fuzz/corpus/<name without fuzz_>/, so the seeds in the repository stay as they are.
# Exits non-zero if any harness crashed, leaked or timed out; the reproducer is kept
# and its path printed.
set -u
build=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)

found=0
failed=0
for bin in "$build"/fuzz_*; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  found=1
  name=$(basename "$bin")
  seeds="$root/fuzz/corpus/${name#fuzz_}"
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/hamyar-$name-XXXXXX")
  mkdir -p "$scratch/corpus" "$scratch/artifacts"
  if [ -d "$seeds" ]; then cp -R "$seeds"/. "$scratch/corpus/"; fi
  echo "== $name: ${seconds}s on a copy of $seeds"
  if "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" >"$scratch/log" 2>&1; then
    echo "   ok ($(grep -c . "$scratch/log") log lines; corpus now $(ls "$scratch/corpus" | wc -l) inputs)"
    rm -rf "$scratch"
  else
    failed=1
    echo "   FAILED: log $scratch/log, reproducer(s):"
    ls "$scratch/artifacts" | sed "s|^|     $scratch/artifacts/|"
    tail -n 40 "$scratch/log" | sed 's/^/   | /'
  fi
done

if [ "$found" = 0 ]; then
  echo "no fuzz_* executables in $build (configure with -DHAMYAR_FUZZ=ON -DCMAKE_C_COMPILER=clang)" >&2
  exit 2
fi
exit "$failed"
