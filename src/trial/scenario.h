// A scenario: which agent, which patient, which regimen, how to simulate.
#pragma once

#include <cstdint>
#include <string>

#include "model/spec.h"
#include "ode/stepper.h"
#include "population/covariates.h"
#include "trial/protocol.h"
#include "trial/regimen.h"

namespace icsim {

struct SimulationSettings {
  double until_day = 0;
  double output_every_day = 1;
  long patients = 1;
  bool variability = false;   // draw between-patient random effects
  bool residual_error = false;  // add an observed column with the model's residual error
  uint64_t seed = 1;
  SolverOptions solver;
  bool is_valid(std::string* why) const;
};

struct Scenario {
  std::string name, file;
  AgentSpec agent;
  Covariates patient;  // as given; completed with the agent's references when simulated
  BsaFormula bsa_formula = BsaFormula::kDuBois;
  Regimen regimen;
  Protocol protocol;  // rules at visits; empty: the regimen as planned
  SimulationSettings simulation;
};

}  // namespace icsim
