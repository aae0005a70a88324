#!/usr/bin/env bash
# Generates the API reference from the public headers with Doxygen (build/docs/html/).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v doxygen >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends doxygen >/dev/null
fi
doxygen docs/Doxyfile
echo "API reference: build/docs/html/index.html"
