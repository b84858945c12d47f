#include "trial/protocol.h"

#include <fmt/format.h>

#include "io/yaml_doc.h"

namespace icsim {

namespace {

class StopDosing final : public Rule {
 public:
  explicit StopDosing(double from) : from_(from) {}
  const char* name() const override { return "stop_dosing"; }
  std::unique_ptr<Rule> fresh() const override { return std::make_unique<StopDosing>(from_); }
  void start(ScheduleEditor& e) override { e.add_visit(from_); }
  void visit(const PatientView& v, ScheduleEditor& e) override {
    if (v.time() >= from_ - Schedule::kEps) e.stop_dosing();
  }
  std::string to_yaml() const override { return fmt::format("{{rule: stop_dosing, from: {} day}}", from_); }

 private:
  double from_;
};

std::unique_ptr<Rule> read_stop_dosing(const YAML::Node& n, const std::string& key, const YamlDoc& doc) {
  doc.check_keys(n, key, {"rule", "from"});
  if (!n["from"]) doc.fail(n, key, "missing 'from' (the day from which no dose is given, e.g. '100 d')");
  const double from = doc.in_unit(n["from"], key + ".from", "day");
  if (!(from >= 0)) doc.fail(n["from"], key + ".from", "must be >= 0");
  return make_stop_dosing_rule(from);
}

}  // namespace

std::unique_ptr<Rule> make_stop_dosing_rule(double from_day) { return std::make_unique<StopDosing>(from_day); }

const std::vector<RuleDef>& rule_defs() {
  static const std::vector<RuleDef> defs = {
      {"stop_dosing", "no dose from day `from` on", &read_stop_dosing},
  };
  return defs;
}

Protocol read_protocol(const YAML::Node& node, const std::string& key, const YamlDoc& doc) {
  if (!node.IsSequence()) doc.fail(node, key, "expected a list of rules, e.g. [{rule: stop_dosing, from: 100 d}]");
  Protocol p;
  std::vector<std::string> names;
  for (const auto& d : rule_defs()) names.push_back(d.name);
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node r = node[i];
    const std::string rk = fmt::format("{}[{}]", key, i);
    doc.require_map(r, rk);
    if (!r["rule"]) doc.fail(r, rk, fmt::format("missing 'rule' (one of: {})", fmt::join(names, ", ")));
    const std::string name = doc.text(r["rule"], rk + ".rule");
    const RuleDef* def = nullptr;
    for (const auto& d : rule_defs())
      if (name == d.name) def = &d;
    if (!def) {
      const std::string hint = closest_match(name, names);
      doc.fail(r["rule"], rk + ".rule",
               hint.empty() ? fmt::format("unknown rule (known: {})", fmt::join(names, ", "))
                            : fmt::format("unknown rule (did you mean '{}'?)", hint));
    }
    p.rules.push_back(def->read(r, rk, doc));
  }
  return p;
}

}  // namespace icsim
