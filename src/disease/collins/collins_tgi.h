// The empirical M-protein tumour-growth-inhibition model of belantamab mafodotin
// (Collins et al. 2023, CPT Pharmacometrics Syst Pharmacol 12:1411; transcribed in
// nlmixr2lib as Collins_2023_belantamab_mprotein): an effect compartment driven by
// the plasma conjugate, logistic growth with a weak Allee term, and a saturating kill
// that wanes with time since the first dose. It reads the PK and changes nothing in
// it. Equations, parameters and checks: docs/disease-collins.md.
#pragma once

#include <vector>

#include "model/mechanism.h"
#include "model/spec.h"

namespace icsim {

struct CollinsTgiOptions final : OptionsBase<CollinsTgiOptions> {
  bool is_valid(std::string* /*why*/) const override { return true; }
};

const Mechanism& collins_tgi_mechanism();

// Collins 2023 Table 1 between-patient variability, on the log scale (log-normal),
// for parameters "collins_tgi.KGR", "collins_tgi.KD", "collins_tgi.lambda" (one
// block) and "collins_tgi.KEO", "collins_tgi.slope", "collins_tgi.A50" (variance
// 0.015 each, fixed in the paper). For an agent's `variability` list.
std::vector<RandomEffectSpec> collins_tgi_random_effects();
// The covariances of the KGR-KD-lambda block (eta scale), for `covariance`.
std::vector<CovarianceSpec> collins_tgi_covariances();

// Collins 2023 Table 1 residual error of M-protein: combined additive and proportional.
struct CollinsResidualError {
  double additive_sd_g_per_L = 0.832;  // SD of the additive term, g/L
  double proportional_sd = 0.0633;     // SD of the proportional term, a fraction
};
CollinsResidualError collins_tgi_residual_error();

}  // namespace icsim
