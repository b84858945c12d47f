// One virtual patient: integrate from stop to stop of its schedule, applying what is
// due at each stop (infusion ends, visits with their rules, doses), while observers
// record what they need.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/aligned.h"
#include "core/random.h"
#include "icsim/record.h"
#include "model/build.h"
#include "ode/stepper.h"
#include "trial/observer.h"
#include "trial/protocol.h"
#include "trial/schedule.h"

namespace icsim {

class alignas(kCacheLine) PatientSimulator {
 public:
  PatientSimulator(const BuiltModel& m, const SolverOptions& o, std::vector<std::unique_ptr<Observer>> observers);
  ~PatientSimulator();
  // Declares the observers' tables and statistics.
  void describe(CohortInfo& info);
  // Solves one patient with individual parameters p (BuiltModel::individual_params)
  // on `schedule` under `protocol` until `until_day`, into r. Throws SolverError when
  // the integration fails. With SolverKind::kAuto the explicit method solves a
  // patient whose fastest rate (Model::fastest_rate) is below kStiffRate, BDF the
  // others, and BDF takes over a patient the explicit method finds stiff on the way
  // (Hairer-Wanner stiffness test) or cannot finish within its step budget.
  // `rng` is the patient's stream, for rules that draw.
  void run(const double* p, Schedule& schedule, const Protocol& protocol, double until_day, RandomStream& rng,
           PatientRecord& r);
  // The integrator `run` would pick first for these individual parameters.
  const char* solver_for(const double* p, double first_dose_day);

  // 1/day. Measured crossover on the mechanism test ADC: at kon*R0 = 250 /day the
  // explicit method was 3x faster than BDF, at 1000 /day even, at 10,000 /day 15x slower.
  static constexpr double kStiffRate = 500.0;
  // Full state at the end of the last run (for mass-balance checks).
  std::vector<double> final_state() const { return {y_.begin(), y_.end()}; }

 private:
  class Ode;
  Stepper& stepper(SolverKind kind);
  void solve(Stepper& s, Schedule& schedule, const Protocol& protocol, double until_day, RandomStream& rng,
             PatientRecord& r);
  const BuiltModel& m_;
  std::unique_ptr<Ode> ode_;
  std::unique_ptr<class LinearDispositionKernel> kernel_;
  SolverOptions options_;
  OdeRhs* rhs_ = nullptr;
  std::unique_ptr<Stepper> explicit_, bdf_;
  std::vector<std::unique_ptr<Observer>> observers_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<DoseEvent> given_;
  size_t tables_ = 0;  // tables the observers fill
  SolverWork work_at_start_;
  AlignedVector y_, q_, in_, p_;
};

}  // namespace icsim
