#!/usr/bin/env bash
# Side-by-side speed of icsim and R deSolve on the disease-model workload
# (bench/data/myeloma-two-clones.yaml: belantamab mafodotin 2.5 mg/kg Q3W x8 with
# population PK and disease variability, a myeloma of two clones, daily output to day
# 168), one core each, one after the other in one go so that both see the same machine
# state. Two models, each on both sides:
#   kinetic  icsim's default (binding and the marrow payload kinetic);
#            deSolve: derivs in bench/peer/myeloma_rhs.c
#   reduced  icsim with --set disease.binding=quasi_equilibrium
#            --set disease.interstitial_payload=quasi_equilibrium;
#            deSolve: derivs_reduced (myeloma_desolve.R --reduced)
# deSolve simulates the very patients icsim drew: it reads icsim's patients.csv.
# For each model: both rates and their ratio, each side's work per patient (icsim's from
# its patients.csv, lsoda's over the first 100 patients, counted after the timing), and
# the largest relative difference of the M-protein at days 21, 42, ..., 168. Then
# icsim's Google Benchmark Disease/ cases (in memory) against the deSolve rates.
#
# Usage: bench/run_myeloma_comparison.sh [PATIENTS] [--tight]
#   PATIENTS  default 1000 (for each model)
#   --tight   rtol 1e-10, atol 1e-14 on both sides (the equality check) instead of
#             icsim's defaults for this scenario, rtol 1e-6, atol 1e-9 (also deSolve's here)
set -euo pipefail
cd "$(dirname "$0")/.."
patients=1000
tight=0
for a in "$@"; do
  case "$a" in
    --tight) tight=1 ;;
    *) patients=$a ;;
  esac
done
scenario=bench/data/myeloma-two-clones.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

scripts/build.sh >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
tolerances="rtol 1e-6, atol 1e-9"
common_sets=(--set "simulation.patients=$patients")
common_flags=()
if [ "$tight" = 1 ]; then
  tolerances="rtol 1e-10, atol 1e-14"
  common_sets+=(--set simulation.rtol=1e-10 --set "simulation.atol=1e-14 nmol")
  common_flags+=(--tight)
fi
echo "workload: $scenario, $patients patients per model, $tolerances, one core each"

# Runs one model on both sides; leaves the deSolve rate in $work/MODEL.desolve_rate.
compare() {
  local model=$1 out=$work/$1
  local sets=("${common_sets[@]}") flags=(${common_flags[@]+"${common_flags[@]}"})
  if [ "$model" = reduced ]; then
    sets+=(--set disease.binding=quasi_equilibrium --set disease.interstitial_payload=quasi_equilibrium)
    flags+=(--reduced)
  fi
  echo
  echo "== $model model =="

  # icsim: the whole command, timed from outside.
  local t0 t1
  t0=$(date +%s.%N)
  build/icsim simulate "$scenario" --output "$out" --threads 1 "${sets[@]}" >"$work/$model.log"
  t1=$(date +%s.%N)
  local cli_s run_s failed solvers
  cli_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  # icsim's own figure: the cohort run (simulation, response assessment and writing the
  # result rows), without start-up, reading the scenario and closing the files.
  run_s=$(sed -nE 's/.* failed, ([0-9.]+) s$/\1/p' "$work/$model.log" | head -n 1)
  failed=$(sed -nE 's/.* ([0-9]+) failed, .*/\1/p' "$work/$model.log" | head -n 1)
  solvers=$(sed -n 's/^solvers: //p' "$work/$model.log")

  # deSolve: the same patients; the R script times the lsoda loop alone, then counts
  # lsoda's work on the first 100 patients (untimed).
  local r_out desolve_line desolve_s
  r_out=$(Rscript bench/peer/myeloma_desolve.R "$out/patients.csv" "$patients" "$work/$model.desolve_m.csv" \
    "${flags[@]}" --diagnostics=100)
  desolve_line=$(echo "$r_out" | grep "^deSolve")
  desolve_s=$(echo "$desolve_line" | sed -E 's/.* patients in ([0-9.]+) s .*/\1/')
  awk -v n="$patients" -v d="$desolve_s" 'BEGIN { print n / d }' >"$work/$model.desolve_rate"

  awk -v n="$patients" -v cli="$cli_s" -v run="$run_s" -v f="$failed" -v sv="$solvers" 'BEGIN {
    printf "icsim CLI (solver: %s; %s failed), whole command (start-up, reading the scenario, simulation, writing the result files): %.2f s = %.1f patients/s\n", sv, f, cli, n / cli
    printf "icsim CLI, its own cohort time (simulation, response assessment and writing the result rows; no start-up or reading): %.2f s = %.1f patients/s\n", run, n / run
  }'
  echo "$desolve_line (the lsoda loop alone: no reading, no compiling, no writing)"
  awk -v cli="$cli_s" -v run="$run_s" -v d="$desolve_s" 'BEGIN {
    printf "ratio icsim / deSolve in patients/s: %.2f (whole command), %.2f (cohort time)\n", d / cli, d / run
  }'

  # Work per patient: icsim's counts are columns of its patients.csv.
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { n++; s += $col["steps"]; r += $col["rejected_steps"]; f += $col["rhs_evaluations"]; j += $col["jacobian_evaluations"] }
    END { printf "icsim work per patient, mean over %d: %.0f steps (%.0f rejected), %.0f right-hand-side calls (with the Jacobians'"'"' difference quotients), %.0f Jacobians\n", n, s / n, r / n, f / n, j / n }' \
    "$out/patients.csv"
  echo "$r_out" | grep "^lsoda per patient"

  # Largest relative difference of the M-protein at days 21, 42, ..., 168 over all patients.
  awk -F, '
    FNR == 1 { file++ }
    file == 1 && FNR == 1 { for (i = 2; i <= NF; i++) { d = $i; sub(/.*_day/, "", d); day[i] = d }; next }
    file == 1 { for (i = 2; i in day; i++) ref[$1 "," day[i]] = $i; next }
    file == 2 && FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    file == 2 {
      key = $col["patient"] "," ($col["time_day"] + 0)
      if (!(key in ref)) next
      a = $col["m_protein_g_per_L"] + 0; b = ref[key] + 0
      m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
      r = m > 0 ? (a > b ? a - b : b - a) / m : 0
      count++
      if (r > worst) { worst = r; where = key; wa = a; wb = b }
    }
    END {
      printf "M-protein at days 21..168, %d values: largest relative difference %.3g (patient,day %s: icsim %.8g, deSolve %.8g g/L)\n", count, worst, where, wa, wb
    }' "$work/$model.desolve_m.csv" "$out/timeseries.csv"
}

compare kinetic
compare reduced

# icsim in memory: the Google Benchmark cases of bench/bench_cohort.cc, one thread,
# rtol 1e-6, their own number of patients (Disease/kinetic 100, Disease/quasi_equilibrium
# 1000, the first patients of the same cohort). Their time: drawing the patients,
# simulation and response assessment into memory; the scenario is read before the clock.
echo
echo "== icsim in memory (Google Benchmark Disease/) =="
if build/bench/icsim_bench --benchmark_list_tests 2>/dev/null | grep -q '^Disease/'; then
  build/bench/icsim_bench --benchmark_filter='^Disease/' 2>/dev/null | grep '^Disease/' |
    awk -v kinetic="$(cat "$work/kinetic.desolve_rate")" -v reduced="$(cat "$work/reduced.desolve_rate")" -v tight="$tight" '{
      rate = ""
      for (i = 1; i <= NF; i++)
        if ($i ~ /^items_per_second=/) {
          v = $i; sub(/^items_per_second=/, "", v); sub(/\/s$/, "", v)
          scale = 1; if (v ~ /k$/) scale = 1e3; if (v ~ /M$/) scale = 1e6
          sub(/[kM]$/, "", v); rate = v * scale
        }
      if (rate == "") { print "icsim in memory: " $0; next }
      printf "icsim in memory (%s, rtol 1e-6): %.1f patients/s", $1, rate
      if (!tight) {
        if ($1 ~ /^Disease\/kinetic/) printf "; ratio to deSolve, kinetic model: %.2f", rate / kinetic
        if ($1 ~ /^Disease\/quasi_equilibrium/) printf "; ratio to deSolve, reduced model: %.2f", rate / reduced
      }
      printf "\n"
    }'
else
  echo "icsim in memory: no Disease/ case in build/bench/icsim_bench"
fi
