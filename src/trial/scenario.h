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

// A sample taken relative to each dose given: just before it, at the end of its
// infusion, or a time after its start.
struct DoseSample {
  enum class Kind { kPredose, kEndOfInfusion, kAfter };
  Kind kind = Kind::kAfter;
  double after_day = 0;  // for kAfter, > 0
  std::string text;      // as written
};

// An exposure window [from, to] (day).
struct ExposureWindow {
  double from_day = 0, to_day = 0;
};

struct SimulationSettings {
  double until_day = 0;
  double output_every_day = 1;
  bool grid = true;                      // the regular grid 0, output_every, ... until
  std::vector<double> times_day;         // further output times (sorted, within [0, until])
  std::vector<DoseSample> dose_samples;  // samples relative to each dose given
  std::vector<ExposureWindow> windows;   // exposure over chosen windows
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
