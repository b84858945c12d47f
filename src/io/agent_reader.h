// Agent library entries (data/agents/ID.yaml) and a scenario's overrides of them.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "io/yaml_doc.h"
#include "model/mechanism.h"
#include "model/spec.h"

namespace icsim {

// Where the library lives: $ICSIM_DATA_DIR, else the data/ folder of the source tree.
std::string data_directory();
std::vector<std::string> library_agent_ids();
// Why library_agent_ids() is empty: where it looked, where that directory came from
// and what is wrong with it ("... does not exist ..."). Meant for an empty list only.
std::string empty_library_reason();
// For "did you mean": the library id closest to `id` by spelling, else one that
// contains it ("belantamab" -> "belantamab-mafodotin"), else "".
std::string closest_agent_id(const std::string& id);

// Reads a library entry; every value must name its source.
AgentSpec read_agent_file(const std::string& path);

// Reads the agent a scenario names: a library id, {base: ID, ...overrides} or
// {file: PATH, ...overrides} (PATH relative to the scenario file).
AgentSpec read_scenario_agent(const YAML::Node& node, const YamlDoc& scenario);

// Reads a mechanism's section written in a scenario (the patient's disease) into
// the agent, as plain values; finalise_agent checks it with the rest.
void read_scenario_section(AgentSpec& a, const Mechanism& m, const YAML::Node& node, const YamlDoc& scenario);

// For mechanisms reading their sections (src/model/mechanism.h): a molecular
// weight ("150 kDa", or {value, source} in library files) in g/mol, and a number of
// compartments (1 or 2) under `in.key`.compartments.
double read_molecular_weight(const SectionInput& in, const YAML::Node& v, const std::string& key);
int read_compartments(const SectionInput& in, const YAML::Node& v);

// Converts every value to engine units and checks that the model is complete and
// every value within its bounds.
void finalise_agent(AgentSpec& a);

}  // namespace icsim
