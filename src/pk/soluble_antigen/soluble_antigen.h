// Soluble (shed) antigen, e.g. sBCMA: produced and eliminated on its own, binds free
// conjugate in plasma and is a sink (soluble-receptor block of the sHER2 models,
// SCIENCE.md 2.3).
#pragma once

#include "model/mechanism.h"

namespace icsim {

struct SolubleAntigenOptions final : OptionsBase<SolubleAntigenOptions> {
  double molecular_weight = 0.0;  // g/mol; converts its mass concentrations
  std::string name;               // e.g. "sBCMA", for the reader
  // A patient's measured sbcma covariate sets the baseline (src/io/scenario_reader.cc).
  bool baseline_from_covariate = true;
  bool is_valid(std::string* why) const override;
};

const Mechanism& soluble_antigen_mechanism();

}  // namespace icsim
