// The population PK workload of the issue: belantamab mafodotin (Papathanasiou 2025)
// with random effects, 2.5 mg/kg 30-min infusions Q3W x8, output every day to day 168.
// Reported as patients per second (items_per_second) on 1 and 2 threads, with each
// solver. Run: build/bench/icsim_bench (see bench/README.md for the peer comparison).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "icsim/icsim.h"

namespace {

class CountingSink final : public icsim::ResultSink {
 public:
  void begin(const icsim::CohortInfo&) override {}
  void patient(const icsim::PatientRecord& r) override {
    // Touch the results so nothing is optimised away.
    if (!r.series.empty()) checksum += r.series[r.series.size() / 2];
    failed += !r.ok;
  }
  void end() override {}
  double checksum = 0;
  long failed = 0;
};

// Simulates the scenario's cohort once per iteration; patients per second is
// items_per_second.
void simulate_cohort(benchmark::State& state, const std::string& scenario, std::vector<std::string> sets,
                     long patients, int threads) {
  sets.push_back("simulation.patients=" + std::to_string(patients));
  const icsim::LoadedScenario s = icsim::LoadedScenario::from_file(scenario, sets);
  icsim::RunOptions o;
  o.threads = threads;
  for (auto _ : state) {
    CountingSink sink;
    icsim::run(s, sink, o);
    benchmark::DoNotOptimize(sink.checksum);
    if (sink.failed) state.SkipWithError("patients failed");
  }
  state.SetItemsProcessed(state.iterations() * patients);
  state.counters["threads"] = threads;
}

void Cohort(benchmark::State& state, const std::string& solver) {
  simulate_cohort(state, std::string(ICSIM_SCENARIO_DIR) + "/belantamab-cohort.yaml",
                  {"simulation.residual_error=false", "simulation.solver=" + solver, "simulation.rtol=1e-6",
                   "simulation.atol=1e-6 nmol"},
                  state.range(0), static_cast<int>(state.range(1)));
}

BENCHMARK_CAPTURE(Cohort, explicit, std::string("explicit"))
    ->Args({10000, 1})
    ->Args({10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(Cohort, cvode, std::string("cvode"))
    ->Args({10000, 1})
    ->Args({10000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Baselines for models with target binding, for work on the stiff path:
// daratumumab QSS TMDD (explicit by the automatic choice) and the mechanism test ADC
// (full TMDD, soluble antigen, DAR 0-6, payload: 33 states) forced onto BDF.
void Binding(benchmark::State& state, const std::string& scenario, const std::vector<std::string>& sets) {
  simulate_cohort(state, scenario, sets, state.range(0), 1);
}

BENCHMARK_CAPTURE(Binding, daratumumab_qss, std::string(ICSIM_SCENARIO_DIR) + "/daratumumab-16mgkg.yaml",
                  std::vector<std::string>{})
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(Binding, adc_full_tmdd_bdf, std::string(ICSIM_TEST_DATA_DIR) + "/adc-full-scenario.yaml",
                  std::vector<std::string>{"simulation.solver=cvode"})
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The user's ADC with full TMDD (kon 50 /nM/day, target 5 nM): stiff only once drug
// is on board. The automatic choice must stay close to BDF, not 20x slower.
BENCHMARK_CAPTURE(Binding, user_adc2_auto, std::string(ICSIM_TEST_DATA_DIR) + "/user-adc2-scenario.yaml",
                  std::vector<std::string>{"simulation.solver=auto"})
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(Binding, user_adc2_bdf, std::string(ICSIM_TEST_DATA_DIR) + "/user-adc2-scenario.yaml",
                  std::vector<std::string>{"simulation.solver=cvode"})
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The disease model (issue: myeloma in the patient): typical belantamab patients
// with two clones (BCMA 670 per cell and antigen-negative), 8 cycles, daily output,
// PK variability, rtol 1e-6; the model as written (binding and the interstitial
// payload kinetic: BDF) or with both fast processes in quasi-equilibrium (explicit
// by the automatic choice). The peer comparison is bench/run_myeloma_comparison.sh.
void Disease(benchmark::State& state, const std::string& fast_processes) {
  simulate_cohort(state, std::string(ICSIM_BENCH_DATA_DIR) + "/myeloma-two-clones.yaml",
                  {"disease.binding=" + fast_processes, "disease.interstitial_payload=" + fast_processes},
                  state.range(0), 1);
}

BENCHMARK_CAPTURE(Disease, kinetic, std::string("kinetic"))
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(Disease, quasi_equilibrium, std::string("quasi_equilibrium"))
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
