#!/usr/bin/env bash
# Side-by-side speed of two builds of icsim_bench, interleaved round by round so both
# see the same machine state. Prints each benchmark's best time per build and the ratio.
# Usage: bench/compare_builds.sh OLD_BENCH NEW_BENCH [ROUNDS] [FILTER]
set -euo pipefail
old=$1 new=$2 rounds=${3:-5}
filter=${4:-"Cohort/explicit/10000/1/|Cohort/cvode/10000/1/|Binding/"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq "$rounds"); do
  for side in old new; do
    bin=$old; [[ $side == new ]] && bin=$new
    "$bin" --benchmark_filter="$filter" --benchmark_format=csv 2>/dev/null | grep '^"' >>"$out/$side.csv"
  done
done
# name,iterations,real_time,... : keep the best real time per benchmark and build.
awk -F, '
  FNR == 1 { side = (FILENAME ~ /old/) ? "old" : "new" }
  { gsub(/"/, "", $1); t = $3 + 0; key = $1
    if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
    if (!((side, key) in best) || t < best[side, key]) best[side, key] = t }
  END { printf "%-45s %12s %12s %8s\n", "benchmark (best real time, ms)", "old", "new", "new/old"
        for (i = 1; i <= n; i++) { k = order[i]
          printf "%-45s %12.2f %12.2f %8.3f\n", k, best["old", k], best["new", k], best["new", k] / best["old", k] } }
' "$out/old.csv" "$out/new.csv"
