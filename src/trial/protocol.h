// A protocol: rules called at a patient's visits that change its future schedule
// (hold, change the dose level, stop, add visits), as a trial protocol's
// dose-modification rules do. Each patient gets fresh copies of the rules, so a
// rule's memory is per patient; a rule that draws uses the patient's own stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "trial/patient_view.h"
#include "trial/schedule.h"

namespace icsim {

class YamlDoc;

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const char* name() const = 0;
  // A copy with the memory of a patient who has not started.
  virtual std::unique_ptr<Rule> fresh() const = 0;
  // Before the patient's first event (time 0): e.g. asks for its visits.
  virtual void start(ScheduleEditor& /*e*/) {}
  // At a visit, before the doses due then.
  virtual void visit(const PatientView& v, ScheduleEditor& e) = 0;
  // The rule as a scenario file writes it (YAML flow mapping), for the record of
  // what was run; "" for a rule that scenario files cannot name.
  virtual std::string to_yaml() const { return ""; }
};

struct Protocol {
  std::vector<std::shared_ptr<const Rule>> rules;
};

// The rules a scenario can name, each with its keys (explicit list in protocol.cc).
struct RuleDef {
  const char* name;
  const char* doc;
  std::unique_ptr<Rule> (*read)(const YAML::Node& node, const std::string& key, const YamlDoc& doc);
};
const std::vector<RuleDef>& rule_defs();

// Reads `protocol:` (a list of {rule: NAME, ...}). Throws InputError.
Protocol read_protocol(const YAML::Node& node, const std::string& key, const YamlDoc& doc);

// Built-in: no dose from day `from` on (doses before it are given as planned).
std::unique_ptr<Rule> make_stop_dosing_rule(double from_day);

}  // namespace icsim
