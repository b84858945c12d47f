// Agent library entries (data/agents/ID.yaml) and a scenario's overrides of them.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/yaml_doc.h"
#include "model/spec.h"

namespace icsim {

// Where the library lives: $ICSIM_DATA_DIR, else the data/ folder of the source tree.
std::string data_directory();
std::vector<std::string> library_agent_ids();

// Reads a library entry; every value must name its source.
AgentSpec read_agent_file(const std::string& path);

// Reads the agent a scenario names: a library id, {base: ID, ...overrides} or
// {file: PATH, ...overrides} (PATH relative to the scenario file).
AgentSpec read_scenario_agent(const YAML::Node& node, const YamlDoc& scenario);

// Converts every value to engine units and checks that the model is complete and
// every value within its bounds.
void finalise_agent(AgentSpec& a);

}  // namespace icsim
