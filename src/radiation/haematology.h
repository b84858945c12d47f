// Marrow toxicity of a radioimmunoconjugate (a scenario's `haematology:` section;
// docs/haematology.md): the red marrow's absorbed dose rate, computed as the model
// runs from the label's activities by the MIRD schema of `icsim dosimetry`, kills the
// marrow's progenitors by the linear-quadratic hazard with repair, and the neutrophils
// and platelets follow the semi-mechanistic model of Friberg et al. 2002 (J Clin Oncol
// 20:4713): proliferating cells, three transit compartments, circulating cells and a
// feedback of the circulating count on proliferation. Parameters by species from
// data/haematology/myelosuppression.yaml; per patient the nadir of each count, its
// day and its CTCAE v5 grade (src/trial/observers/haematology.cc).
#pragma once

#include <string>
#include <vector>

#include "model/mechanism.h"
#include "model/spec.h"

namespace icsim {

namespace radiation {
struct Phantom;
}

struct HaematologyOptions final : OptionsBase<HaematologyOptions> {
  // The patient's species (Scenario::species()): which parameter set of the data file
  // and which phantom. Set by the scenario reader from patient.species.
  std::string species = "human";
  bool is_valid(std::string* why) const override;
};

const Mechanism& haematology_mechanism();

// The parameter set of data/haematology/myelosuppression.yaml for `species`, as
// parameters of the haematology section ("haematology.neutrophils.mtt"), each with its
// source and its place in the data file. Throws InputError naming the data file, the
// line and the key.
std::vector<ParamSpec> myelosuppression_parameters(const std::string& species);

// The phantom whose red-marrow S-values give the marrow's dose rate for `species`.
// Throws std::invalid_argument, saying why, for a species that has none.
const radiation::Phantom& marrow_phantom(const std::string& species);

namespace haematology {

// The compartments of one lineage, in the order of its states.
enum Compartment { kProliferating = 0, kTransit1, kTransit2, kTransit3, kCirculating, kCompartments };

// One lineage of Friberg 2002: the circulating count at baseline (1e9/L), the
// transit rate ktr = 4 / MTT (1/day; Friberg's kprol = ktr = kcirc) and the feedback
// exponent gamma.
struct Lineage {
  double baseline = 0, ktr = 0, gamma = 0;
};

// Adds the lineage's derivatives (Friberg 2002, Eq. 1-5, the drug effect replaced by
// a kill hazard on the proliferating cells):
//   dProl/dt = ktr Prol (Circ0 / Circ)^gamma - ktr Prol - hazard Prol   (Prol >= 0 in the first term)
//   dT1/dt   = ktr (Prol - T1),  dT2/dt = ktr (T1 - T2),  dT3/dt = ktr (T2 - T3)
//   dCirc/dt = ktr (T3 - Circ)
// x and dx hold the five compartments (1e9/L); hazard in 1/day.
void add_lineage_rhs(const Lineage& l, const double* x, double hazard_per_day, double* dx);

// CTCAE v5 grade (0-4) of a nadir (1e9/L), given the lower limit of normal (1e9/L):
// neutrophil count decreased: 1 < LLN, 2 < 1.5, 3 < 1.0, 4 < 0.5;
// platelet count decreased:   1 < LLN, 2 < 75,  3 < 50,  4 < 25.
int neutropenia_grade(double count_1e9_per_L, double lower_limit_normal_1e9_per_L);
int thrombocytopenia_grade(double count_1e9_per_L, double lower_limit_normal_1e9_per_L);

}  // namespace haematology

// Names of the model's haematology states and outputs, for observers and tests.
namespace names {
inline constexpr const char* kNeutrophilsCirculating = "haematology.neutrophils.circulating";
inline constexpr const char* kPlateletsCirculating = "haematology.platelets.circulating";
inline constexpr const char* kNeutrophilsProliferating = "haematology.neutrophils.proliferating";
inline constexpr const char* kMarrowDose = "haematology.red_marrow_dose";
inline constexpr const char* kNeutrophilsColumn = "neutrophils_1e9_per_L";
inline constexpr const char* kPlateletsColumn = "platelets_1e9_per_L";
inline constexpr const char* kMarrowDoseColumn = "red_marrow_dose_Gy";
inline constexpr const char* kMarrowDoseRateColumn = "red_marrow_dose_rate_Gy_per_day";
inline constexpr const char* kProgenitorsColumn = "marrow_progenitors_fraction";
}  // namespace names

}  // namespace icsim
