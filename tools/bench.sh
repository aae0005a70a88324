#!/usr/bin/env bash
# Runs the whole benchmark suite in a release build and writes BENCHMARKS.md and
# docs/signing-time.png (signing time against t for each protocol).
# Usage: tools/bench.sh [extra Google Benchmark flags, e.g. --benchmark_filter=frost]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3   # the interpreter Debian's matplotlib package serves
if ! "$py" -c 'import matplotlib' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends python3 python3-matplotlib >/dev/null
fi
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target tsign_bench
mkdir -p build/release/results
json=build/release/results/bench.json
build/release/bench/tsign_bench --benchmark_out="$json" --benchmark_out_format=json \
  --benchmark_min_time=0.2 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true "$@"
"$py" tools/bench_report.py "$json" BENCHMARKS.md docs/signing-time.png
echo "wrote BENCHMARKS.md and docs/signing-time.png"
