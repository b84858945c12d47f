// Assembles the modules of an agent's switched-on mechanisms into one Model, in the
// order their declared dependencies give (src/model/mechanism.h).
#pragma once

#include <memory>
#include <vector>

#include "model/mechanism.h"
#include "model/model.h"
#include "model/spec.h"
#include "pk/conjugate.h"
#include "population/individual.h"

namespace icsim {

struct BuiltModel {
  std::unique_ptr<Model> model;
  ConjugateLayout layout;
  int individual_params = 0;  // derived parameters follow them (Model::param_count)
  int first_dose_param = -1;  // derived parameter: time of the first dose, when a module needs it
};

// The agent's switched-on mechanisms in build order: a mechanism that creates a
// quantity comes before those that add to it, and those before the ones that read
// it; ties keep the registry's order. Throws std::logic_error on a cycle.
std::vector<const Mechanism*> build_order(const AgentSpec& agent);

BuiltModel build_model(const AgentSpec& agent, const IndividualModel& individual, bool track_mass_balance);

// The individual parameters followed by the derived ones the modules read
// (Model::prepare), for a patient whose first dose is at first_dose_day.
std::vector<double> prepare_params(const BuiltModel& m, const double* p, double first_dose_day);

// Terminal half-life (day) of the linear disposition at time t (the function the
// disposition provides); p from prepare_params. NaN when undefined (nonlinear).
double terminal_half_life(const BuiltModel& m, const double* p, double t);

}  // namespace icsim
