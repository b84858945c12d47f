#include "model/parameter_defs.h"

#include <cmath>

namespace icsim {

const std::vector<ParamDef>& parameter_defs() {
  static const std::vector<ParamDef> defs = {
      {"disposition.CL", "L/day", Bound::kPositive, "linear clearance at t = 0"},
      {"disposition.V1", "L", Bound::kPositive, "central volume"},
      {"disposition.Q", "L/day", Bound::kNonNegative, "inter-compartmental clearance"},
      {"disposition.V2", "L", Bound::kPositive, "peripheral volume"},
      {"disposition.clearance_change.Imax", "1", Bound::kAny, "log-fold change of CL as t -> infinity"},
      {"disposition.clearance_change.T50", "day", Bound::kPositive, "time of half the change"},
      {"disposition.clearance_change.gamma", "1", Bound::kPositive, "Hill exponent of the change"},
      {"target.kon", "1/nM/day", Bound::kPositive, "association rate constant"},
      {"target.koff", "1/day", Bound::kNonNegative, "dissociation rate constant"},
      {"target.kint", "1/day", Bound::kNonNegative, "internalisation of the drug-target complex"},
      {"target.kdeg", "1/day", Bound::kPositive, "degradation of free target"},
      {"target.baseline", "nM", Bound::kNonNegative, "drug-free target concentration R0"},
      {"target.synthesis", "nM/day", Bound::kNonNegative, "target synthesis ksyn (R0 = ksyn/kdeg)"},
      {"target.Kss", "nM", Bound::kPositive, "quasi-steady-state constant (koff + kint)/kon"},
      {"soluble_antigen.baseline", "nM", Bound::kNonNegative, "drug-free soluble antigen"},
      {"soluble_antigen.kdeg", "1/day", Bound::kPositive, "elimination of free soluble antigen"},
      {"soluble_antigen.kon", "1/nM/day", Bound::kNonNegative, "association with the conjugate"},
      {"soluble_antigen.koff", "1/day", Bound::kNonNegative, "dissociation"},
      {"soluble_antigen.complex_elimination", "1/day", Bound::kNonNegative, "elimination of the complex"},
      {"dar.deconjugation", "1/day", Bound::kNonNegative, "loss rate of each conjugated payload"},
      {"payload.CL", "L/day", Bound::kPositive, "payload clearance"},
      {"payload.V1", "L", Bound::kPositive, "payload central volume"},
      {"payload.Q", "L/day", Bound::kNonNegative, "payload inter-compartmental clearance"},
      {"payload.V2", "L", Bound::kPositive, "payload peripheral volume"},
      {"payload.release_on_catabolism", "1", Bound::kFraction,
       "fraction of the payload on catabolised conjugate released to plasma"},
  };
  return defs;
}

const ParamDef* find_param_def(const std::string& name) {
  for (const auto& d : parameter_defs())
    if (name == d.name) return &d;
  return nullptr;
}

std::string check_bound(Bound b, double v) {
  if (!std::isfinite(v)) return "must be a finite number";
  switch (b) {
    case Bound::kAny: return "";
    case Bound::kPositive: return v > 0.0 ? "" : "must be > 0";
    case Bound::kNonNegative: return v >= 0.0 ? "" : "must be >= 0";
    case Bound::kFraction: return (v >= 0.0 && v <= 1.0) ? "" : "must be between 0 and 1";
  }
  return "";
}

}  // namespace icsim
