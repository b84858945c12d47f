#!/usr/bin/env bash
# Side-by-side speed of icsim and R deSolve on the same population PK workload
# (belantamab mafodotin, 10,000 patients with random effects, 8 doses Q3W, daily
# output to day 168, rtol 1e-6), one core each, run one after the other in one go so
# that both see the same machine state. Usage: bench/run_peer_comparison.sh [PATIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
patients=${1:-10000}
scripts/build.sh >/dev/null
icsim_line=$(build/bench/icsim_bench --benchmark_filter="Cohort/explicit/10000/1/" --benchmark_min_time=2 2>/dev/null |
  grep "Cohort/explicit")
icsim_rate=$(echo "$icsim_line" | sed -E 's/.*items_per_second=([0-9.]+)k\/s.*/\1/' | awk '{print $1 * 1000}')
desolve_line=$(Rscript bench/peer/belantamab_desolve.R "$patients" | grep "^deSolve")
desolve_rate=$(echo "$desolve_line" | sed -E 's/.*= ([0-9.]+) patients\/s.*/\1/')
echo "icsim (Dormand-Prince, 1 thread): ${icsim_rate} patients/s"
echo "$desolve_line"
awk -v a="$icsim_rate" -v b="$desolve_rate" 'BEGIN { printf "ratio icsim / deSolve: %.1f\n", a / b }'
