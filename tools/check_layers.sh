#!/usr/bin/env bash
# Refuses an include that runs up (or sideways) the library's layers (cmake/layers.txt): a file
# in src/<layer>/ or include/tsign/<layer>/ may include only its own layer and the layers it
# builds on, directly or through them. Prints each offending include with its file and line.
# Usage: tools/check_layers.sh [root]      (root: a source tree, default this one)
#        tools/check_layers.sh --self-test (plants an upward include in a copy; must be refused)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "${1:-}" = "--self-test" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/cmake"
  cp -r "$here/src" "$here/include" "$tmp/"
  cp "$here/cmake/layers.txt" "$tmp/cmake/"
  "$0" "$tmp" >/dev/null || { echo "check_layers self-test: the clean tree was refused" >&2; exit 1; }
  echo '#include "tsign/ecdsa/sign.hpp"' >> "$tmp/src/core/bytes.cpp"   # core reaching up to ecdsa
  if "$0" "$tmp" >/dev/null 2>&1; then
    echo "check_layers self-test: a planted upward include was not refused" >&2
    exit 1
  fi
  echo "check_layers self-test: a planted upward include (core -> ecdsa) is refused"
  exit 0
fi

root="${1:-$here}"
declare -A direct allowed
layers=()
while IFS= read -r line; do
  [[ "$line" =~ ^([a-z]+):(.*)$ ]] || continue
  layer="${BASH_REMATCH[1]}"
  layers+=("$layer")
  direct[$layer]="${BASH_REMATCH[2]}"
done < "$root/cmake/layers.txt"

# Each layer may reach itself and, through the layers it builds on, everything below.
closure() {
  local layer=$1 out=" $1 " dep
  for dep in ${direct[$layer]}; do
    [ -n "${direct[$dep]+x}" ] || { echo "cmake/layers.txt: $layer builds on unknown layer $dep" >&2; exit 2; }
    for d in $(closure "$dep"); do [[ "$out" == *" $d "* ]] || out+="$d "; done
  done
  echo "$out"
}
for layer in "${layers[@]}"; do allowed[$layer]="$(closure "$layer")"; done

status=0
for layer in "${layers[@]}"; do
  for dir in "$root/src/$layer" "$root/include/tsign/$layer"; do
    [ -d "$dir" ] || continue
    while IFS=: read -r file line text; do
      [[ "$text" =~ \#include\ \"(tsign/)?([a-z0-9_]+)/ ]] || continue
      target="${BASH_REMATCH[2]}"
      [ -n "${direct[$target]+x}" ] || continue   # not a layer (a system or local header)
      if [[ "${allowed[$layer]}" != *" $target "* ]]; then
        echo "${file#"$root"/}:$line: layer '$layer' includes layer '$target', which it does not build on" >&2
        status=1
      fi
    done < <(grep -rn --include='*.hpp' --include='*.cpp' '^#include "' "$dir" || true)
  done
done
# Every source belongs to a layer.
for dir in "$root"/src/*/; do
  name=$(basename "$dir")
  [ -n "${direct[$name]+x}" ] || { echo "src/$name: not a layer of cmake/layers.txt" >&2; status=1; }
done
[ $status -eq 0 ] && echo "layers: every include runs down (${#layers[@]} layers)"
exit $status
