// The integral of the plasma total concentration as a state (always on): the
// exposure observer reads AUC over any interval from it, exact to the tolerance.
#pragma once

#include "model/mechanism.h"

namespace icsim {

inline constexpr const char* kExposureState = "exposure.auc";
const Mechanism& exposure_mechanism();

}  // namespace icsim
