#!/usr/bin/env bash
# Installs, with apt-get, whatever tsign needs to build, test and benchmark that is missing.
# A no-op when everything is present. Debian 12 package names.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsecp256k1-dev libsodium-dev libboost1.81-dev   # the library
  libnats-dev                                       # the NATS transport (tsign_broker): the NATS C client
  nats-server openssl                               # NATS tests and benchmarks: the broker, and a CA for its TLS
  libp11-kit-dev                                    # pkcs11.h (PKCS#11 v2.40) for the HSM option
  catch2 libgmp-dev nlohmann-json3-dev softhsm2    # tests: Catch2 v2, GMP oracle, JSON vectors, PKCS#11 token
  libbenchmark-dev                                  # bench/
  iproute2 valgrind                                 # namespace and constant-time tests
  clang libclang-rt-14-dev                          # libFuzzer targets (tools/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "tsign: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
