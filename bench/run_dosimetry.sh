#!/usr/bin/env bash
# The dosimetry workload of the radioimmunoconjugates issue: 1,000 patients of
# 225Ac-DOTA-daratumumab on a two-clone myeloma (bench/data/ric-cohort.yaml): PK with
# the label's decay, the 225Ac chain's cellular S-values, the radionuclide effector,
# organ and nucleus doses, every file written. One thread; the whole command timed,
# with binding kinetic (the default) and in quasi-equilibrium, one after the other.
# Target: under 10 s. Usage: bench/run_dosimetry.sh [PATIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
patients=${1:-1000}
scripts/build.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for binding in kinetic quasi_equilibrium; do
  t0=$(date +%s.%N)
  build/icsim dosimetry bench/data/ric-cohort.yaml -o "$work/$binding" --threads 1 \
    --set "simulation.patients=$patients" --set "disease.binding=$binding" >"$work/$binding.log"
  t1=$(date +%s.%N)
  failed=$(sed -nE 's/.* ([0-9]+) failed, .*/\1/p' "$work/$binding.log" | head -n 1)
  awk -v a="$t0" -v b="$t1" -v n="$patients" -v f="$failed" -v m="$binding" \
    'BEGIN { printf "icsim dosimetry, binding %s: %d patients (%s failed) in %.2f s, one thread, whole command\n", m, n, f, b - a }'
done
