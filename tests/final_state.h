// The typical patient of a scenario simulated with BDF, and its final state: for
// tests that read states (mass balance, equilibria) rather than output columns.
#pragma once

#include <vector>

#include "model/build.h"
#include "population/covariates.h"
#include "population/individual.h"
#include "trial/observers/observers.h"
#include "trial/scenario.h"
#include "trial/simulate_patient.h"

namespace icsim::test {

struct FinalState {
  BuiltModel model;  // built with accumulators when `track_mass_balance`
  std::vector<double> y;
  PatientRecord record;

  // What every state carries, summed: total(&Carries::antibody) (nmol).
  double total(double Carries::*what) const {
    double sum = 0.0;
    for (size_t i = 0; i < y.size(); ++i) sum += model.model->carries()[i].*what * y[i];
    return sum;
  }
  // The states whose name contains `part`, summed.
  double sum_of(const std::string& part) const {
    double sum = 0.0;
    for (size_t i = 0; i < y.size(); ++i)
      if (model.model->state_names()[i].find(part) != std::string::npos) sum += y[i];
    return sum;
  }
};

inline FinalState simulate_typical(const Scenario& s, double until_day, double rtol, double atol,
                                   bool track_mass_balance) {
  const IndividualModel individual(s.agent);
  FinalState out{build_model(s.agent, individual, track_mass_balance), {}, {}};
  const Covariates cov = complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula);
  const std::vector<double> p = individual.typical(cov);
  SolverOptions o;
  o.kind = SolverKind::kCvode;
  o.rtol = rtol;
  o.atol = atol;
  PatientSimulator sim(out.model, o, standard_observers(*out.model.model, s.agent.molecular_weight, {0.0}));
  Schedule schedule(DoseFeed(s.regimen, cov, s.agent.molecular_weight), until_day);
  RandomStream rng(1, 0);
  sim.run(p.data(), schedule, Protocol{}, until_day, rng, out.record);
  out.y = sim.final_state();
  return out;
}

}  // namespace icsim::test
