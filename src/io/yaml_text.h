// Writing YAML by hand for files icsim reads back (the record of what was run):
// numbers in their shortest text that reads back bit for bit, strings quoted.
#pragma once

#include <string>

namespace icsim {

// The shortest decimal text that reads back as exactly v.
std::string format_exact(double v);
// A YAML double-quoted scalar.
std::string yaml_quote(const std::string& s);

}  // namespace icsim
