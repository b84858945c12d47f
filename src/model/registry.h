// The registered mechanisms, in the order their sections are documented and their
// modules are built when nothing else decides (src/model/registry.cc).
#pragma once

#include <string>
#include <vector>

namespace icsim {

class Mechanism;

const std::vector<const Mechanism*>& mechanisms();
// The mechanism whose section is `section`, or nullptr.
const Mechanism* find_mechanism(const std::string& section);

}  // namespace icsim
