// A membrane target that binds the conjugate in plasma: full target-mediated drug
// disposition (Mager & Jusko 2001) or its quasi-steady-state form (Gibiansky 2008).
#pragma once

#include "model/mechanism.h"

namespace icsim {

enum class TmddMode { kUnset, kNone, kFull, kQss };
const char* to_string(TmddMode m);

struct TargetOptions final : OptionsBase<TargetOptions> {
  TmddMode model = TmddMode::kUnset;
  double molecular_weight = 0.0;  // g/mol; 0: concentrations in conjugate equivalents
  bool synthesis_given = false;   // synthesis given instead of the baseline
  bool is_valid(std::string* why) const override;
};

const Mechanism& target_mechanism();

}  // namespace icsim
