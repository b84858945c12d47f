// Scenario files: parse, apply command-line overrides, validate.
#pragma once

#include <string>
#include <vector>

#include "trial/scenario.h"

namespace icsim {

// Reads and fully validates a scenario; `sets` are "dotted.key=value" overrides
// applied before validation. Throws InputError naming the file, line and key.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets = {});

}  // namespace icsim
