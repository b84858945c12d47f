// The covariates icsim knows, their units and levels, and derived covariates
// (body-surface area, body-mass index).
#pragma once

#include <string>
#include <vector>

#include "model/spec.h"

namespace icsim {

struct CovariateDef {
  const char* name;
  const char* unit;                 // continuous: unit of the stored value; categorical: ""
  std::vector<std::string> levels;  // categorical levels; empty for continuous
  const char* doc;
  double min = 0, max = 0;          // plausible range of a continuous covariate (exclusive min)
};

const std::vector<CovariateDef>& covariate_defs();
const CovariateDef* find_covariate(const std::string& name);

enum class BsaFormula { kDuBois, kMosteller };

// Body-surface area in m2 from weight (kg) and height (cm).
// Du Bois & Du Bois 1916: 0.007184 * W^0.425 * H^0.725; Mosteller 1987: sqrt(W*H/3600).
double body_surface_area(double weight_kg, double height_cm, BsaFormula f);
// Body-mass index in kg/m2 from weight (kg) and height (cm).
double body_mass_index(double weight_kg, double height_cm);
const char* to_string(BsaFormula f);

// The covariates of one patient: what was given, then derived values (BSA, BMI
// from weight and height), then the model's reference values for the rest.
Covariates complete_covariates(const Covariates& given, const Covariates& reference, BsaFormula f);

}  // namespace icsim
