// The observers icsim ships (src/trial/observer.h).
#pragma once

#include <memory>
#include <vector>

#include "model/model.h"
#include "trial/scenario.h"
#include "trial/observer.h"

namespace icsim {

std::unique_ptr<Observer> make_output_grid(const Model& m, const std::vector<double>& times);
// Exposure of one output column over each dosing interval; `auc_state` integrates
// that column in nM (converted with the molecular weight to ug*day/mL).
std::unique_ptr<Observer> make_exposure(const Model& m, int analyte_column, int auc_state, double molecular_weight);
std::unique_ptr<Observer> make_half_life(const Model& m);
// Every output column just before each dose given, at the end of its infusion, or a
// time after it (table "samples").
std::unique_ptr<Observer> make_dose_samples(const Model& m, const std::vector<DoseSample>& samples);
// Exposure of the analyte over chosen windows (table "windows").
// IMWG response at the disease's assessment visits (tables "response", one row per
// patient, and "assessments", one row per visit).
std::unique_ptr<Observer> make_response(const Model& m, const ResponseAssessment& a);
// Marrow toxicity of a scenario with `haematology:` (table "haematology", one row per
// patient): nadirs of neutrophils and platelets, their days and CTCAE v5 grades.
std::unique_ptr<Observer> make_haematology(const Model& m);
// What ends an animal's (or patient's) life in the model: output column `output`
// reaching the individual parameter `param` (at or above it, or at or below it);
// `cause` indexes the levels "alive", "tumour", "marrow".
struct DeathCriterion {
  int output = -1, param = -1;
  bool at_or_above = true;
  int cause = 1;
};
// The model's criteria: tumour_cells >= disease.lethal_burden, and
// marrow_progenitors_fraction <= haematology.lethal_progenitor_fraction, where the
// model has them.
std::vector<DeathCriterion> death_criteria(const Model& m);
// Survival (table "survival", one row per patient): the first daily check meeting a
// criterion, else censored at the end of the simulation.
std::unique_ptr<Observer> make_survival(const Model& m, std::vector<DeathCriterion> criteria);
std::unique_ptr<Observer> make_windows(const Model& m, const std::vector<ExposureWindow>& windows,
                                       double molecular_weight);

}  // namespace icsim
