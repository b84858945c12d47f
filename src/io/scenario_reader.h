// Scenario files: parse, apply command-line overrides, validate.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "trial/scenario.h"

namespace icsim {

// Reads and fully validates a scenario; `sets` are "dotted.key=value" overrides
// applied before validation. Throws InputError naming the file, line and key.
// Warnings ("FILE:LINE: KEY: message", e.g. a list override that replaces the
// library's list) go to `warnings` when given, else to stderr.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets = {},
                       std::vector<std::string>* warnings = nullptr);
// The same for a scenario written in `text`; `path` names it in errors and places
// relative agent files.
Scenario load_scenario_text(const std::string& text, const std::string& path, const std::vector<std::string>& sets = {},
                            std::vector<std::string>* warnings = nullptr);
Scenario load_scenario_node(YAML::Node root, const std::string& path, const std::vector<std::string>& sets,
                            std::vector<std::string>* warnings = nullptr);

}  // namespace icsim
