// The icsim library: simulate a scenario file into a results directory.
//
//   icsim::RunSummary s = icsim::simulate_to_directory("scenarios/belantamab-typical.yaml",
//                                                      "results/typical", {"regimen.dose=3.4 mg/kg"});
//
// Throws icsim::InputError (include/icsim/error.h) for bad input, before anything is
// written. Engine units are documented in include/icsim/units.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "icsim/error.h"

namespace icsim {

struct RunOptions {
  int threads = 0;  // worker threads; 0: all cores. Results do not depend on it.
  // Called for each patient whose simulation failed (patient index, time in days, reason).
  std::function<void(long, double, const std::string&)> on_failure;
};

struct RunSummary {
  std::string scenario, agent;
  long patients = 0, failed = 0;
  double seconds = 0;
  std::string first_interval;  // cycle-1 exposure across the cohort, as printable lines
};

// Loads and validates SCENARIO with "dotted.key=value" overrides, simulates every
// patient and writes DIR/timeseries.csv and DIR/summary.json (moved into place only
// when complete).
RunSummary simulate_to_directory(const std::string& scenario, const std::string& dir,
                                 const std::vector<std::string>& sets = {}, const RunOptions& options = {});

}  // namespace icsim
