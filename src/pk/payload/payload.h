// Payload released into plasma, with its own 1- or 2-compartment disposition.
#pragma once

#include "model/mechanism.h"

namespace icsim {

struct PayloadOptions final : OptionsBase<PayloadOptions> {
  std::string name;
  double molecular_weight = 0.0;  // g/mol
  int compartments = 1;
  bool is_valid(std::string* why) const override;
};

const Mechanism& payload_mechanism();

}  // namespace icsim
