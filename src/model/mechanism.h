// A mechanism is a vertical slice of the model: what an agent file switches on with
// a section (disposition, target, soluble_antigen, dar, payload, and later clones,
// effectors, toxicities, nuclides). The slice owns its section of the file, its
// parameters (engine unit, bounds, documentation, whether required), its options
// struct, the modules it builds and what its states carry. Every slice is listed
// once in src/model/registry.cc; docs/developer.md says how to add one.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/parameter_defs.h"
#include "model/spec.h"

namespace icsim {

class ModelBuilder;
class YamlDoc;
class IndividualModel;
struct ConjugateLayout;

// One parameter of a mechanism. `name` is relative to the section ("kdeg"), or to a
// subsection ("clearance_change.T50"); the agent's dotted name is "section.name".
struct ParamDecl {
  const char* name;
  const char* engine_unit;  // include/icsim/units.h
  Bound bound;
  const char* doc;
  // A value used when the agent gives none (written with its unit), or nullptr.
  const char* default_value = nullptr;
  const char* default_source = nullptr;
};

// What a mechanism's section says, besides parameters. Each slice derives its own
// options struct; `is_valid` is called by the file reader and by the library alike.
struct MechanismOptions {
  virtual ~MechanismOptions() = default;
  virtual std::unique_ptr<MechanismOptions> clone() const = 0;
  // True when the options can be used; else `why` says what is wrong.
  virtual bool is_valid(std::string* why) const = 0;
};

template <class Derived>
struct OptionsBase : MechanismOptions {
  std::unique_ptr<MechanismOptions> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

// The section as the reader hands it to the slice: the YAML node, its dotted key,
// the document for errors, and whether values must name a source (library files).
struct SectionInput {
  const YAML::Node& node;
  const std::string& key;
  const YamlDoc& doc;
  bool library;
};

// What the build of every mechanism shares, decided before any module is built.
struct BuildPlan {
  const AgentSpec& agent;
  const IndividualModel& individual;
  ConjugateLayout& layout;
};

// Quantities a mechanism creates, adds to and reads while it is built. The build
// order follows them: creators first, then the mechanisms that add to a quantity,
// then those that read it (ties keep the registry's order).
struct Dependencies {
  std::vector<std::string> creates, adds_to, reads;
};

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  // The key of the agent-file section; also the prefix of the parameters' names.
  virtual const char* section() const = 0;
  virtual const char* summary() const = 0;
  // On for every agent, with or without a section (disposition, the exposure integral).
  virtual bool always_on() const { return false; }
  // False for a mechanism with nothing to set in agent files (the exposure integral).
  virtual bool has_section() const { return true; }
  virtual std::vector<ParamDecl> parameters() const = 0;
  // A family of named members, each with the same parameters (the clones of a
  // disease): the key of their list in the section, or nullptr. A member's
  // parameter is named "section.list.member.param" ("disease.clones.negative.antigen").
  virtual const char* member_list() const { return nullptr; }
  virtual std::vector<ParamDecl> member_parameters() const { return {}; }
  // The members these options name, in the order written.
  virtual std::vector<std::string> members(const MechanismOptions& /*o*/) const { return {}; }
  // Read from a scenario's top level (the patient's disease), not from agent files.
  virtual bool in_scenario() const { return false; }
  // Keys of the section that are not parameters ("model", "molecular_weight").
  virtual std::vector<std::string> option_keys() const { return {}; }
  virtual std::unique_ptr<MechanismOptions> default_options() const = 0;
  // The option keys as a file writes them (key, YAML text), so that reading them
  // back gives the same options: the record of what was run.
  virtual std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& /*o*/) const {
    return {};
  }
  // Reads the option keys of a section into `o`, on top of what is there (a
  // scenario's override changes a library agent). May add or drop parameters of
  // its own section in `agent` (e.g. target synthesis replaces baseline).
  virtual void read_options(const SectionInput& /*in*/, MechanismOptions& /*o*/, AgentSpec& /*agent*/) const {}
  // False when the options switch the mechanism off (target model: none).
  virtual bool active(const MechanismOptions& /*o*/) const { return true; }
  // Parameters (relative names) the agent must give with these options.
  virtual std::vector<std::string> required(const MechanismOptions& o) const = 0;
  // Whether a parameter it declares is used with these options; unused ones are
  // dropped so nothing can read them by accident (Q and V2 of one compartment).
  virtual bool uses(const std::string& /*relative_name*/, const MechanismOptions& /*o*/) const { return true; }
  // What else the agent must have for this mechanism (another section, a molecular
  // weight); "" when complete.
  virtual std::string check(const AgentSpec& /*agent*/, const MechanismOptions& /*o*/) const { return ""; }
  // Molecular weight (g/mol) that converts this section's mass and molar units.
  virtual double molecular_weight(const AgentSpec& agent, const MechanismOptions& /*o*/) const {
    return agent.molecular_weight;
  }
  virtual Dependencies dependencies() const = 0;
  // Contributes to what every module is built with (the conjugate's species).
  virtual void plan(BuildPlan& /*plan*/, const MechanismOptions& /*o*/) const {}
  // Declares its states, quantities and outputs and adds its modules to `b`.
  virtual void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& o) const = 0;

  // For the contract tests (tests/model/mechanism_contract_test.cc) and the docs:
  // a complete section that switches the mechanism on (YAML), the sections it needs
  // besides disposition, and parameter values (YAML of the section) that switch its
  // effect on the conjugate off, or "" when it has no such switch.
  virtual const char* example() const = 0;
  virtual std::vector<std::string> needs_sections() const { return {}; }
  virtual const char* switched_off() const { return ""; }
};

// A parameter of mechanism m (`relative` to its section) as the agent wrote it, else
// m's default, in `unit`; NaN when it has neither or its unit does not convert (the
// reader says so afterwards). For check(), which runs before engine values are set.
double written_value(const AgentSpec& agent, const Mechanism& m, const std::string& relative, const char* unit);

}  // namespace icsim
