#!/usr/bin/env bash
# Builds tsign and runs the multi-party demo.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release -DTSIGN_BUILD_EXAMPLES=ON >/dev/null
cmake --build --preset release -j "$(nproc)" --target demo
exec build/release/examples/demo "$@"
