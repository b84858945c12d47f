// A cohort of virtual patients simulated in parallel (oneTBB), delivered to a sink
// in patient order, chunk by chunk, so memory does not grow with the cohort.
#pragma once

#include <string>
#include <vector>

#include "trial/scenario.h"
#include "trial/simulate_patient.h"

namespace icsim {

struct CohortInfo {
  std::vector<std::string> columns;      // output columns after patient and time_day
  std::vector<double> times;             // output grid, day
  std::vector<std::string> parameters;   // individual parameter names
  std::vector<std::string> random_effects;
  std::string solver;  // the integrator for the typical patient (each patient's is in its result)
  bool observed = false;                 // a residual-error column follows the outputs
};

class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void begin(const CohortInfo& info) = 0;
  virtual void patient(const PatientResult& r) = 0;
  virtual void end() = 0;
};

struct CohortOptions {
  int threads = 0;        // 0: all cores
  long chunk = 256;       // patients held in flight
  bool keep_series = true;  // fill the time series (off for benchmarks)
};

struct CohortSummary {
  long patients = 0, failed = 0;
  double seconds = 0;
};

// Throws InputError for problems only a patient reveals (a missing covariate).
CohortSummary run_cohort(const Scenario& s, const CohortOptions& o, ResultSink& sink);

}  // namespace icsim
