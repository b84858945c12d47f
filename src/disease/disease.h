// The patient's myeloma (a scenario's `disease:` section): clones of tumour cells at
// one or two sites (marrow, extramedullary), their growth, the conjugate reaching
// them, binding, internalisation and degradation, the effector's kill (the agent's
// `cellular:` section, src/disease/cellular.h), Fc effector kill, serum M-protein
// and free light chains, and shed antigen fed to the soluble-antigen sink.
// Equations and sources: docs/disease.md.
#pragma once

#include <string>
#include <vector>

#include "model/mechanism.h"

namespace icsim {

// Net growth of the untreated tumour, each parameterised by the doubling time at
// the baseline burden:
//   exponential  g = r
//   gompertz     g = r ln(K/N) / ln(K/N0)        (the default; Sullivan & Salmon 1972)
//   logistic     g = r (1 - N/K) / (1 - N0/K)
//   none         g = 0                           (a plateau: no net growth)
// with r = ln 2 / doubling_time times the clone's growth_factor, N the total burden.
enum class GrowthLaw { kGompertz, kExponential, kLogistic, kNone };
// How the conjugate binds the cells' antigen: with its rate constants, or in
// quasi-equilibrium at every instant (the site's total conjugate and each pool's
// total antigen are the states; free and bound follow from KD = koff / kon).
enum class Binding { kKinetic, kQuasiEquilibrium };

const char* to_string(GrowthLaw g);
const char* to_string(Binding b);

struct DiseaseOptions : OptionsBase<DiseaseOptions> {
  std::vector<std::string> clones;  // names, in the order written
  GrowthLaw growth = GrowthLaw::kGompertz;
  Binding binding = Binding::kKinetic;
  // The ADC's freed payload in the sites' fluid: a state (kinetic) or at equilibrium
  // with plasma and the cells at every instant.
  Binding interstitial_payload = Binding::kKinetic;
  bool extramedullary = false;  // a second site, from disease.emd_fraction
  bool free_light_chains = false;  // from disease.flc
  bool is_valid(std::string* why) const override;
};

const Mechanism& disease_mechanism();

// The between-patient variability a mechanistic disease brings (drawn when
// simulation.variability is true; `disease: {variability: false}` leaves it out):
// the doubling time and each clone's antigen density, log-normal, with sources.
std::vector<RandomEffectSpec> disease_random_effects(const std::vector<std::string>& clones);

// Names the tumour shares with other mechanisms.
namespace names {
// Total tumour burden over its baseline (1 before treatment): shed antigen follows it.
inline constexpr const char* kBurdenRatio = "tumour.burden_ratio";
}  // namespace names

}  // namespace icsim
