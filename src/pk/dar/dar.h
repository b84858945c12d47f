// Drug-to-antibody ratio: the conjugate as one species per DAR value, and
// first-order deconjugation DAR n -> n-1 (Bender et al. 2014).
#pragma once

#include <map>

#include "model/mechanism.h"

namespace icsim {

struct DarOptions final : OptionsBase<DarOptions> {
  std::map<int, double> distribution;  // DAR value -> fraction of the antibody dosed
  bool is_valid(std::string* why) const override;
};

const Mechanism& dar_mechanism();

}  // namespace icsim
