// One virtual patient: the ODE solve over the dosing events, the time series at
// the output grid and the exposure metrics of each dosing interval.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/aligned.h"
#include "model/build.h"
#include "ode/stepper.h"
#include "trial/regimen.h"

namespace icsim {

// Exposure of the primary analyte (plasma_total) over one dosing interval.
struct IntervalMetrics {
  double start_day = 0, end_day = 0, dose_mg = 0;
  double cmax = 0, tmax_day = 0;  // ug/mL; the maximum over event and solver step points
  double ctrough = 0;             // ug/mL just before the interval ends (next dose)
  double auc = 0;                 // ug*day/mL, integrated with the ODE
  double cavg = 0;                // auc / (end - start)
};

struct PatientResult {
  long index = 0;
  bool ok = true;
  std::string error;
  double error_time_day = 0;
  std::vector<double> params, eta;
  std::vector<double> series;  // times x outputs, row-major
  std::vector<IntervalMetrics> intervals;
  double half_life_initial_day = 0, half_life_final_day = 0;
  long rhs_evaluations = 0;
};

class alignas(kCacheLine) PatientSimulator {
 public:
  PatientSimulator(const BuiltModel& m, const SolverOptions& o);
  ~PatientSimulator();
  // Throws SolverError when the integration fails.
  void run(const double* p, const std::vector<DoseEvent>& events, double until_day,
           const std::vector<double>& output_times, PatientResult& r);
  const char* solver_name() const;
  // Full state at the end of the last run (for mass-balance checks).
  std::vector<double> final_state() const { return {y_.begin(), y_.end()}; }

 private:
  class Ode;
  double analyte(double t, const double* y);
  const BuiltModel& m_;
  std::unique_ptr<Ode> ode_;
  std::unique_ptr<class LinearDispositionKernel> kernel_;
  std::unique_ptr<Stepper> stepper_;
  AlignedVector y_, tmp_, q_, in_, p_;
};

}  // namespace icsim
