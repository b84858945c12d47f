#include "population/covariates.h"

#include <cmath>

namespace icsim {

const std::vector<CovariateDef>& covariate_defs() {
  static const std::vector<CovariateDef> defs = {
      // Ranges are wide physiological limits: they catch unit slips (75 g for 75 kg), not patients.
      {"weight", "kg", {}, "body weight (a mouse: 0.01 to 0.1 kg)", 0.01, 500},
      {"height", "cm", {}, "height", 30, 280},
      {"bsa", "m2", {}, "body-surface area (derived from weight and height when not given)", 0.1, 5},
      {"bmi", "kg/m2", {}, "body-mass index (derived from weight and height when not given)", 5, 150},
      {"age", "year", {}, "age", 0, 130},
      {"albumin", "g/L", {}, "serum albumin", 1, 100},
      {"igg", "g/L", {}, "serum IgG", 0, 300},
      {"sbcma", "ng/mL", {}, "serum soluble BCMA", 0, 1e6},
      {"sex", "", {"male", "female"}, "sex"},
      {"race", "", {"white", "asian", "black", "other"}, "race"},
      {"combination", "", {"false", "true"}, "given in combination with other myeloma therapy"},
      {"species", "", {"human", "mouse"}, "species: a mouse for the preclinical studies (docs/mouse.md)"},
  };
  return defs;
}

const CovariateDef* find_covariate(const std::string& name) {
  for (const auto& d : covariate_defs())
    if (name == d.name) return &d;
  return nullptr;
}

double body_surface_area(double weight_kg, double height_cm, BsaFormula f) {
  if (f == BsaFormula::kMosteller) return std::sqrt(weight_kg * height_cm / 3600.0);
  return 0.007184 * std::pow(weight_kg, 0.425) * std::pow(height_cm, 0.725);
}

double body_mass_index(double weight_kg, double height_cm) { return weight_kg / std::pow(height_cm / 100.0, 2); }

const char* to_string(BsaFormula f) { return f == BsaFormula::kMosteller ? "Mosteller" : "Du Bois"; }

Covariates complete_covariates(const Covariates& given, const Covariates& reference, BsaFormula f) {
  Covariates c = given;
  auto has = [&](const char* k) { return c.values.count(k) > 0; };
  if (has("weight") && has("height")) {
    const double w = c.values["weight"], h = c.values["height"];
    if (!has("bsa")) c.values["bsa"] = body_surface_area(w, h, f);
    if (!has("bmi")) c.values["bmi"] = body_mass_index(w, h);
  }
  for (const auto& [k, v] : reference.values) c.values.emplace(k, v);
  for (const auto& [k, v] : reference.levels) c.levels.emplace(k, v);
  return c;
}

}  // namespace icsim
