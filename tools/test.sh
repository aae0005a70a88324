#!/usr/bin/env bash
# Checks the layering, builds tsign, runs a short fuzzing pass over every decoder, then every test
# twice: under ASan + UBSan, and in a strict-warnings build (whose summary closes the output).
# Usage: tools/test.sh [--quick]   (--quick skips the sanitizer and fuzzing passes)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/check_layers.sh              # no include runs up the layers (cmake/layers.txt)
tools/check_layers.sh --self-test  # and the check refuses one that does

jobs=$(nproc)
run_suite() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
}

if [ "${1:-}" != "--quick" ]; then
  tools/fuzz.sh 5    # a short pass over every decoder; tools/fuzz.sh 600 is the long one
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_suite asan
fi
run_suite default
