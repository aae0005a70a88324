#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each over its seed corpus.
# Usage: tools/fuzz.sh [seconds per target]   (default 5; a long run: tools/fuzz.sh 600)
# New inputs that raise coverage go to build/fuzz/corpus/<target>, leaving fuzz/corpus as seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
seconds=${1:-5}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
for target in build/fuzz/fuzz/fuzz_*; do
  name=$(basename "$target")
  work=build/fuzz/corpus/$name
  mkdir -p "$work" "fuzz/corpus/$name"
  echo "fuzzing $name for ${seconds}s"
  "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    "$work" "fuzz/corpus/$name" 2>&1 | tail -n 2
done
echo "fuzz: every target ran ${seconds}s without a finding"
