// Assembles the modules an agent needs into one Model.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "model/model.h"
#include "model/spec.h"
#include "pk/modules.h"
#include "population/individual.h"

namespace icsim {

struct BuiltModel {
  std::unique_ptr<Model> model;
  ConjugateLayout layout;
  std::vector<std::pair<int, double>> dose_targets;  // state index, fraction of each dose
  int auc_state = -1;
  int individual_params = 0;  // derived parameters follow them (Model::param_count)
  int first_dose_param = -1;  // derived parameter: time of the first dose, when a module needs it
  bool linear = false;  // linear disposition only: terminal half-life is defined
  // Only disposition of one species and the exposure integral: the fused kernel applies.
  bool plain_linear = false;
  ClearanceCourse clearance_course;
  // Parameter indices for the half-life (-1 when absent).
  int cl = -1, v1 = -1, q = -1, v2 = -1;
};

BuiltModel build_model(const AgentSpec& agent, const IndividualModel& individual, bool track_mass_balance);

// The individual parameters followed by the derived ones the modules read
// (Model::prepare), for a patient whose first dose is at first_dose_day.
std::vector<double> prepare_params(const BuiltModel& m, const double* p, double first_dose_day);

// Terminal half-life (day) of the linear disposition at time t, from the smallest
// eigenvalue of the 1- or 2-compartment system with CL(t); p from prepare_params.
// NaN when undefined (nonlinear disposition).
double terminal_half_life(const BuiltModel& m, const double* p, double t);

}  // namespace icsim
