#!/usr/bin/env bash
# End-to-end speed of the command line against the in-memory run, side by side in
# one go (best of ROUNDS, interleaved): the population PK workload (belantamab, 10,000
# patients, daily output to day 168, rtol 1e-6), 1 and 2 threads.
#   in memory:  icsim_bench Cohort/explicit (records to a counting sink, no text)
#   writing:    copying the run's output files to a new directory (the bytes alone)
#   command:    icsim simulate ... -o DIR, everything included (load, simulate,
#               format, write, move into place)
# Targets (issue "What a first-day user tripped over"): command <= 1.5 x (in memory +
# writing), and 2 threads >= 1.7 x 1 thread end to end.
# Usage: bench/end_to_end.sh [ROUNDS] [PATIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
patients=${2:-10000}
bin=build/icsim
bench=build/bench/icsim_bench
sets=(--set simulation.patients="$patients" --set simulation.residual_error=false --set simulation.solver=explicit
  --set simulation.rtol=1e-6 --set "simulation.atol=1e-6 nmol")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
best() { sort -g | head -1; }
for threads in 1 2; do
  : >"$work/mem" ; : >"$work/cli" ; : >"$work/write"
  for _ in $(seq "$rounds"); do
    ms=$("$bench" --benchmark_filter="Cohort/explicit/10000/$threads/" --benchmark_format=csv 2>/dev/null |
      grep '^"' | cut -d, -f3)
    awk -v ms="$ms" -v n="$patients" "BEGIN { print ms / 1000 * n / 10000 }" >>"$work/mem"
    rm -rf "$work/out" "$work/copy"
    t0=$(now)
    "$bin" simulate scenarios/belantamab-cohort.yaml -o "$work/out" --threads "$threads" "${sets[@]}" >/dev/null
    t1=$(now)
    cp -r "$work/out" "$work/copy"
    t2=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }' >>"$work/cli"
    awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }' >>"$work/write"
  done
  mem=$(best <"$work/mem") cli=$(best <"$work/cli") write=$(best <"$work/write")
  printf "%d thread(s): in memory %.3f s, writing %.3f s, command %.3f s -> command / (memory + writing) = %.2f\n" \
    "$threads" "$mem" "$write" "$cli" "$(awk -v c="$cli" -v m="$mem" -v w="$write" 'BEGIN { print c / (m + w) }')"
  echo "$cli" >"$work/cli_$threads"
done
printf "bytes written: %s; 2 threads vs 1, end to end: %.2fx\n" "$(du -sh "$work/out" | cut -f1)" \
  "$(awk -v a="$(cat "$work/cli_1")" -v b="$(cat "$work/cli_2")" 'BEGIN { print a / b }')"
