// The conjugate at the myeloma cell (agent section `cellular`): binding to the
// cell-surface antigen, internalisation, lysosomal degradation, what the freed
// moiety does (the effector) and Fc effector function. Its parameters are read by
// the tumour of a scenario's `disease:` (src/disease/disease.cc); without a disease
// the section builds nothing.
#pragma once

#include <string>

#include "model/mechanism.h"

namespace icsim {

// What the internalised moiety does in the cell: an ADC's payload, or a radiolabel's
// radiation (src/disease/radionuclide_effector.cc).
enum class EffectorKind { kAdc, kRadionuclide };

struct CellularOptions : OptionsBase<CellularOptions> {
  EffectorKind effector = EffectorKind::kAdc;
  bool is_valid(std::string* why) const override;
};

const Mechanism& cellular_mechanism();

}  // namespace icsim
