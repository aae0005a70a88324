#!/usr/bin/env bash
# The multi-process demo with each party in its own Linux network namespace. Three namespaces,
# one per party, each with one interface (eth0, an address on a private subnet) joined by a veth
# pair to a bridge in a fourth namespace. Every namespace's loopback stays down, so the parties
# can only reach each other over the virtual Ethernet; the host's own network is never touched.
# The demo's --setup mode writes the parties' configurations (addresses, pinned keys) and each
# party runs as `demo --party ID DIR` inside its namespace. CTest runs it as netns_demo.
#
# Usage: run_demo_in_namespaces.sh DEMO [--kill-party ID]
#   DEMO             the examples/demo binary
#   --kill-party ID  kill party ID (SIGKILL) once its key generation is done; passes only if the
#                    run then fails because of it (CTest: netns_demo_party_killed), which shows
#                    that a party lost mid-run fails netns_demo
# Exit status: 0 passed, 1 failed, 77 skipped because the machine does not allow network
# namespaces (not root, no ip command, `ip netns add` refused as in unprivileged containers, no
# veth or bridge support); the reason is printed.
set -uo pipefail

readonly subnet=10.77.0  # a /24 that exists only inside this run's namespaces
readonly port=7000
readonly deadline_s=60  # the whole run; CTest's TIMEOUT is longer, so cleanup always runs
readonly parties=(1 2 3)

usage() {
  echo "usage: $0 DEMO [--kill-party ID]" >&2
  exit 2
}
demo=${1:-}
[ -n "$demo" ] || usage
shift
kill_party=""
while [ $# -gt 0 ]; do
  case $1 in
    --kill-party) [ $# -ge 2 ] || usage; kill_party=$2; shift 2 ;;
    *) usage ;;
  esac
done

skip() {
  echo "SKIPPED: $*"
  exit 77
}
[ -x "$demo" ] || { echo "FAILED: no demo program at $demo"; exit 1; }
[ "$EUID" -eq 0 ] || skip "creating network namespaces needs root; this runs as uid $EUID"
command -v ip >/dev/null || skip "the ip command (iproute2) is not installed"

# Names unique to this run (parallel runs never collide). Namespaces and directories left behind
# by a run that was killed outright (SIGKILL runs no trap) are removed once their owner is gone.
tag="tsign-netns-$$-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
for stale in $(ip netns list 2>/dev/null | awk '{print $1}'); do
  if [[ $stale =~ ^tsign-netns-([0-9]+)-[0-9a-f]+-(sw|p[0-9]+)$ ]] && ! kill -0 "${BASH_REMATCH[1]}" 2>/dev/null; then
    ip netns del "$stale" 2>/dev/null
  fi
done
for stale in "${TMPDIR:-/tmp}"/tsign-netns-*; do
  if [[ $stale =~ /tsign-netns-([0-9]+)-[0-9a-f]+\.[A-Za-z0-9]+$ ]] && ! kill -0 "${BASH_REMATCH[1]}" 2>/dev/null; then
    rm -rf "$stale"
  fi
done

created=()
workdir=$(mktemp -d "${TMPDIR:-/tmp}/$tag.XXXXXX") || { echo "FAILED: mktemp"; exit 1; }
cleanup() {
  local -a running
  read -ra running <<<"$(jobs -p | tr '\n' ' ')"
  [ ${#running[@]} -eq 0 ] || { kill -KILL "${running[@]}" 2>/dev/null; wait 2>/dev/null; }
  # Deleting a namespace destroys its interfaces, and with them the veth pairs and the bridge.
  for n in "${created[@]}"; do ip netns del "$n" 2>/dev/null; done
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs an ip command that builds the network; a refusal means the machine does not allow it.
net() {
  local err
  err=$("$@" 2>&1) || skip "the machine refuses to build the virtual network: '$*' failed: $err"
}
add_namespace() {
  local err
  err=$(ip netns add "$1" 2>&1) || skip "'ip netns add' failed (network namespaces not allowed here): $err"
  created+=("$1")
  err=$(ip netns exec "$1" true 2>&1) || skip "'ip netns exec' failed: $err"
}

switch_ns="$tag-sw"
add_namespace "$switch_ns"
net ip -n "$switch_ns" link add br0 type bridge
net ip -n "$switch_ns" link set br0 up
declare -A ns
addresses=()
for i in "${parties[@]}"; do
  ns[$i]="$tag-p$i"
  add_namespace "${ns[$i]}"
  net ip -n "$switch_ns" link add "port$i" type veth peer name eth0 netns "${ns[$i]}"
  net ip -n "$switch_ns" link set "port$i" master br0 up
  net ip -n "${ns[$i]}" addr add "$subnet.$i/24" dev eth0
  net ip -n "${ns[$i]}" link set eth0 up
  addresses+=("$subnet.$i:$port")
done

if ! "$demo" --setup "$workdir/cluster" "${addresses[@]}" >"$workdir/setup.log" 2>&1; then
  echo "FAILED: demo --setup"
  cat "$workdir/setup.log"
  exit 1
fi

echo "netns_demo: parties at ${addresses[*]}, namespaces $tag-*"
declare -A party_of
for i in "${parties[@]}"; do
  ip netns exec "${ns[$i]}" "$demo" --party "$i" "$workdir/cluster" >"$workdir/party$i.log" 2>&1 &
  party_of[$!]=$i
  [ "$i" != "$kill_party" ] || victim=$!
done
sleep "$deadline_s" &
watchdog=$!
if [ -n "$kill_party" ]; then
  [ -n "${victim:-}" ] || { echo "FAILED: no party $kill_party"; exit 1; }
  (until grep -q "DKG done" "$workdir/party$kill_party.log"; do sleep 0.02; done; kill -KILL "$victim") &
fi

# The first party to fail ends the run (cleanup stops the others).
failure=""
left=${#parties[@]}
while [ "$left" -gt 0 ]; do
  finished=""
  wait -n -p finished
  rc=$?
  if [ -z "$finished" ]; then
    failure="lost track of the party processes"
    break
  fi
  if [ "$finished" = "$watchdog" ]; then
    failure="parties still running after ${deadline_s}s"
    break
  fi
  [ -n "${party_of[$finished]:-}" ] || continue  # the --kill-party helper
  i=${party_of[$finished]}
  left=$((left - 1))
  if [ "$rc" -gt 128 ]; then
    failure="party $i was killed by signal $((rc - 128))"
    break
  elif [ "$rc" -ne 0 ]; then
    failure="party $i exited with status $rc"
    break
  fi
done

for i in "${parties[@]}"; do cat "$workdir/party$i.log"; done

# What the parties printed must show the whole run: one key for all, two verified signatures of
# each kind, and traffic on every party's eth0.
if [ -z "$failure" ]; then
  keys=$(grep -ho "DKG done: Taproot output key [0-9a-f]*" "$workdir"/party*.log | sort | uniq -c)
  [ "$(echo "$keys" | wc -l)" -eq 1 ] && [[ $keys =~ ^\ *3\  ]] || failure="the parties do not agree on one key: $keys"
fi
if [ -z "$failure" ]; then
  schnorr=$(cat "$workdir"/party*.log | grep -c "schnorrsig_verify accepts")
  ecdsa=$(cat "$workdir"/party*.log | grep -c "ecdsa_verify accepts")
  [ "$schnorr" -eq 2 ] && [ "$ecdsa" -eq 2 ] ||
    failure="expected 2 verified FROST and 2 verified ECDSA signatures, got $schnorr and $ecdsa"
fi
if [ -z "$failure" ]; then
  for i in "${parties[@]}"; do
    stats=/sys/class/net/eth0/statistics
    read -r rx tx < <(ip netns exec "${ns[$i]}" sh -c "echo \$(cat $stats/rx_bytes) \$(cat $stats/tx_bytes)")
    echo "netns_demo: party $i eth0 received $rx bytes, sent $tx bytes"
    [ "${rx:-0}" -gt 10000 ] && [ "${tx:-0}" -gt 10000 ] || failure="party $i: too little traffic on eth0"
  done
fi

if [ -n "$kill_party" ]; then
  if [ "$failure" = "party $kill_party was killed by signal 9" ]; then
    echo "PASSED: the run failed as it must: $failure"
    exit 0
  fi
  echo "FAILED: expected the run to fail because party $kill_party was killed; got: ${failure:-success}"
  exit 1
fi
if [ -n "$failure" ]; then
  echo "FAILED: $failure"
  exit 1
fi
echo "PASSED: every party in its own network namespace; every signature verified"
