#!/usr/bin/env bash
# Byte-identity guard: runs every case of tests/golden/cases.txt with ICSIM and
# compares the sha256 of every file it writes with tests/golden/outputs.sha256.
# Usage: check_outputs.sh ICSIM SOURCE_DIR          (check)
#        check_outputs.sh ICSIM SOURCE_DIR --write  (record the sums of this build)
set -euo pipefail
icsim=$(realpath "$1")
cd "$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sums="$work/sums"
: >"$sums"
while read -r name scenario rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  eval "extra=($rest)"
  "$icsim" simulate "$scenario" -o "$work/$name" --threads 2 "${extra[@]}" >/dev/null
  for f in $(ls "$work/$name" | LC_ALL=C sort); do
    echo "$(sha256sum <"$work/$name/$f" | cut -d' ' -f1)  $name/$f" >>"$sums"
  done
done <tests/golden/cases.txt
if [[ "${3:-}" == "--write" ]]; then
  cp "$sums" tests/golden/outputs.sha256
  echo "recorded $(wc -l <"$sums") sums"
  exit 0
fi
if diff -u tests/golden/outputs.sha256 "$sums"; then
  echo "golden outputs: $(wc -l <"$sums") files byte-identical"
else
  echo "golden outputs differ (lines marked + are this build's)" >&2
  exit 1
fi
