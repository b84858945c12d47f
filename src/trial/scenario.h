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

// How the response of a disease is assessed (IMWG, src/disease/imwg.h): at visits
// every `every_day` from `start_day`, on the model's M-protein or on an observation
// with measurement error.
struct ResponseAssessment {
  bool on = false;  // the scenario has a disease
  double every_day = 28;
  double start_day = -1;  // < 0: one interval after the first dose
  bool measurement_error = false;
  double cr_threshold_g_per_L = 0.1;
};

struct Scenario {
  std::string name, file;
  // The patient's species as written in patient.species: "human" unless "mouse".
  const std::string& species() const {
    static const std::string human = "human";
    auto it = patient.levels.find("species");
    return it == patient.levels.end() ? human : it->second;
  }
  AgentSpec agent;
  Covariates patient;  // as given; completed with the agent's references when simulated
  BsaFormula bsa_formula = BsaFormula::kDuBois;
  Regimen regimen;
  Protocol protocol;  // rules at visits; empty: the regimen as planned
  ResponseAssessment assessment;
  SimulationSettings simulation;
};

}  // namespace icsim
