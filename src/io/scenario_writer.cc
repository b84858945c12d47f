#include "io/scenario_writer.h"

#include <map>

#include <fmt/format.h>

#include "icsim/icsim.h"
#include "io/yaml_text.h"
#include "model/mechanism.h"
#include "model/parameter_defs.h"
#include "model/registry.h"
#include "population/covariates.h"
#include "radiation/haematology.h"

namespace icsim {

namespace {

// Enum names as scenario and agent files write them.
const char* effect_form(EffectForm f) {
  switch (f) {
    case EffectForm::kPower: return "power";
    case EffectForm::kExponential: return "exponential";
    case EffectForm::kLinear: return "linear";
    case EffectForm::kFactor: return "factor";
  }
  return "";
}
const char* effect_coefficient_key(EffectForm f) {
  switch (f) {
    case EffectForm::kPower: return "exponent";
    case EffectForm::kFactor: return "factor";
    default: return "coefficient";
  }
}
const char* residual_form(ResidualForm f) {
  switch (f) {
    case ResidualForm::kNone: return "none";
    case ResidualForm::kProportional: return "proportional";
    case ResidualForm::kAdditive: return "additive";
    case ResidualForm::kLogAdditive: return "log-additive";
  }
  return "";
}

// "0.926 L/day": the value in its engine unit, which reads back exactly.
std::string quantity(double v, const char* unit) {
  const std::string u = unit;
  return u == "1" ? format_exact(v) : format_exact(v) + " " + u;
}

std::string days(double v) { return format_exact(v) + " day"; }

std::string source_field(const std::string& source) {
  return source.empty() ? "" : ", source: " + yaml_quote(source);
}

class Writer {
 public:
  void line(int indent, const std::string& text) { out_ += std::string(2 * indent, ' ') + text + "\n"; }
  std::string out_;
};

// A mechanism's options and parameters at `indent` (its section's key written by the
// caller); parameters grouped by subsection (disposition.clearance_change.T50), the
// members of its list (disease clones) as a list of mappings.
void write_section(Writer& w, int indent, const AgentSpec& a, const Mechanism& m, const MechanismOptions& o) {
  for (const auto& [key, text] : m.write_options(o)) w.line(indent, key + ": " + text);
  auto entry = [&](const std::string& name, const std::string& key, const char* unit) {
    const ParamSpec& p = a.params.at(name);
    return fmt::format("{}: {{value: {}{}}}", key, quantity(p.value, unit), source_field(p.source));
  };
  std::map<std::string, std::vector<std::string>> sub;
  for (const ParamDecl& d : m.parameters()) {
    const std::string name = std::string(m.section()) + "." + d.name;
    if (!a.params.count(name)) continue;
    const std::string rel = d.name;
    const size_t dot = rel.find('.');
    if (dot == std::string::npos) w.line(indent, entry(name, rel, d.engine_unit));
    else sub[rel.substr(0, dot)].push_back(entry(name, rel.substr(dot + 1), d.engine_unit));
  }
  for (const auto& [name, entries] : sub) {
    w.line(indent, name + ":");
    for (const auto& e : entries) w.line(indent + 1, e);
  }
  const std::vector<std::string> members = m.members(o);
  if (members.empty()) return;
  w.line(indent, std::string(m.member_list()) + ":");
  for (const std::string& member : members) {
    w.line(indent + 1, "- name: " + yaml_quote(member));
    for (const ParamDecl& d : m.member_parameters()) {
      const std::string name = fmt::format("{}.{}.{}.{}", m.section(), m.member_list(), member, d.name);
      if (a.params.count(name)) w.line(indent + 2, entry(name, d.name, d.engine_unit));
    }
  }
}

// The mechanism a scenario's disease section holds: the mechanistic tumour, or the
// empirical model it names (written in the agent when there is no disease).
const Mechanism* disease_section(const Scenario& s) {
  if (!s.assessment.on) return nullptr;
  for (const Mechanism* m : mechanisms())
    if (m != &haematology_mechanism() && s.agent.options<MechanismOptions>(m->section()) &&
        (m->in_scenario() || m->section() == std::string("collins_tgi")))
      return m;
  return nullptr;
}

void write_disease(Writer& w, const Scenario& s) {
  const Mechanism* m = disease_section(s);
  if (!m) return;
  const ResponseAssessment& r = s.assessment;
  w.line(0, "disease:");
  if (!m->in_scenario()) w.line(1, "model: collins2023");
  if (r.every_day > 0) w.line(1, "assessment_every: " + days(r.every_day));
  if (r.start_day >= 0) w.line(1, "assessment_start: " + days(r.start_day));
  w.line(1, std::string("measurement_error: ") + (r.measurement_error ? "true" : "false"));
  w.line(1, "cr_threshold: " + format_exact(r.cr_threshold_g_per_L) + " g/L");
  w.line(1, "variability: false  # what was drawn is the agent's variability above");
  write_section(w, 1, s.agent, *m, *s.agent.options<MechanismOptions>(m->section()));
}

// The marrow toxicity, a scenario section too: every value as run, so that the
// species' data file is not needed to run it again.
void write_haematology(Writer& w, const Scenario& s) {
  const Mechanism& m = haematology_mechanism();
  const MechanismOptions* o = s.agent.options<MechanismOptions>(m.section());
  if (!o) return;
  w.line(0, std::string(m.section()) + ":");
  write_section(w, 1, s.agent, m, *o);
}

void write_agent(Writer& w, const AgentSpec& a, const Mechanism* in_disease) {
  w.line(1, "inline:");
  w.line(2, "id: " + yaml_quote(a.id));
  w.line(2, "name: " + yaml_quote(a.name));
  if (!a.agent_class.empty()) w.line(2, "class: " + yaml_quote(a.agent_class));
  if (!a.target_name.empty()) w.line(2, "antigen: " + yaml_quote(a.target_name));
  w.line(2, "molecular_weight: " + format_exact(a.molecular_weight) + " Da");
  for (const Mechanism* m : mechanisms()) {
    const MechanismOptions* o = a.options<MechanismOptions>(m->section());
    if (!o || !m->has_section() || m == in_disease || m->in_scenario()) continue;
    // A section with nothing to write is implied by another (a pretargeted hapten's label).
    Writer section;
    write_section(section, 3, a, *m, *o);
    if (section.out_.empty()) continue;
    w.line(2, std::string(m->section()) + ":");
    w.out_ += section.out_;
  }
  if (!a.covariate_reference.values.empty() || !a.covariate_reference.levels.empty()) {
    w.line(2, "covariates:");
    for (const auto& [name, v] : a.covariate_reference.values)
      w.line(3, fmt::format("{}: {{reference: {} {}}}", name, format_exact(v), find_covariate(name)->unit));
    for (const auto& [name, level] : a.covariate_reference.levels)
      w.line(3, fmt::format("{}: {{reference: {}}}", name, yaml_quote(level)));
  }
  if (!a.effects.empty()) {
    w.line(2, "covariate_effects:");
    for (const auto& e : a.effects)
      w.line(3, fmt::format("- {{parameter: {}, covariate: {}, form: {}, {}: {}{}{}}}", e.parameter, e.covariate,
                            effect_form(e.form), effect_coefficient_key(e.form), format_exact(e.coefficient),
                            e.form == EffectForm::kFactor ? ", level: " + yaml_quote(e.level) : "",
                            source_field(e.source)));
  }
  if (!a.random_effects.empty()) {
    w.line(2, "variability:");
    for (const auto& r : a.random_effects)
      w.line(3, fmt::format("- {{parameter: {}, form: {}, variance: {}{}}}", r.parameter,
                            r.form == RandomEffectForm::kLogNormal ? "log-normal" : "additive",
                            format_exact(r.variance), source_field(r.source)));
  }
  if (!a.covariances.empty()) {
    w.line(2, "covariance:");
    for (const auto& c : a.covariances)
      w.line(3, fmt::format("- {{between: [{}, {}], covariance: {}}}", c.first, c.second, format_exact(c.covariance)));
  }
  if (a.residual.form != ResidualForm::kNone)
    w.line(2, fmt::format("residual_error: {{form: {}, sd: {}{}}}", residual_form(a.residual.form),
                          format_exact(a.residual.sd), source_field(a.residual.source)));
}

}  // namespace

std::string resolved_scenario_yaml(const Scenario& s) {
  Writer w;
  w.line(0, fmt::format("# What icsim {} ran: {} after its overrides, with the agent written out in full", version(),
                        s.file));
  w.line(0, "# (every parameter in engine units, with its source). Run it again with");
  w.line(0, "#   icsim simulate THIS_FILE -o DIR");
  w.line(0, "# for byte-identical results.");
  w.line(0, "name: " + yaml_quote(s.name));
  w.line(0, "agent:");
  write_agent(w, s.agent, disease_section(s));
  if (!s.patient.values.empty() || !s.patient.levels.empty()) {
    w.line(0, "patient:");
    for (const auto& [name, v] : s.patient.values)
      w.line(1, fmt::format("{}: {} {}", name, format_exact(v), find_covariate(name)->unit));
    for (const auto& [name, level] : s.patient.levels) w.line(1, fmt::format("{}: {}", name, yaml_quote(level)));
    w.line(1, std::string("bsa_formula: ") + (s.bsa_formula == BsaFormula::kMosteller ? "mosteller" : "dubois"));
  }
  write_disease(w, s);
  write_haematology(w, s);
  w.line(0, s.regimen.phases.empty() ? "regimen: none" : "regimen:");
  for (const Phase& ph : s.regimen.phases) {
    std::string p = "- {dose: " + yaml_quote(ph.dose.text);
    if (!ph.of.empty()) p += ", of: " + ph.of;
    if (ph.infusion_day > 0) p += ", infusion: " + days(ph.infusion_day);
    if (!ph.times_day.empty()) {
      p += ", times: [";
      for (size_t i = 0; i < ph.times_day.size(); ++i) p += (i ? ", " : "") + days(ph.times_day[i]);
      p += "]";
    } else {
      if (ph.every_day > 0) p += ", every: " + days(ph.every_day);
      p += ", doses: " + std::to_string(ph.doses);
      if (ph.has_start) p += ", start: " + days(ph.start_day);
    }
    w.line(1, p + "}");
  }
  if (!s.protocol.rules.empty()) {
    w.line(0, "protocol:");
    for (const auto& r : s.protocol.rules) {
      const std::string text = r->to_yaml();
      w.line(1, text.empty() ? fmt::format("# rule '{}' cannot be written to a file", r->name()) : "- " + text);
    }
  }
  const SimulationSettings& sim = s.simulation;
  w.line(0, "simulation:");
  w.line(1, "until: " + days(sim.until_day));
  if (sim.grid) w.line(1, "output_every: " + days(sim.output_every_day));
  else w.line(1, "grid: false");
  if (!sim.times_day.empty()) {
    std::string t = "times: [";
    for (size_t i = 0; i < sim.times_day.size(); ++i) t += (i ? ", " : "") + days(sim.times_day[i]);
    w.line(1, t + "]");
  }
  if (!sim.dose_samples.empty()) {
    std::string t = "samples: [";
    for (size_t i = 0; i < sim.dose_samples.size(); ++i) {
      const DoseSample& d = sim.dose_samples[i];
      t += i ? ", " : "";
      if (d.kind == DoseSample::Kind::kPredose) t += "predose";
      else if (d.kind == DoseSample::Kind::kEndOfInfusion) t += "end_of_infusion";
      else t += days(d.after_day);
    }
    w.line(1, t + "]");
  }
  if (!sim.windows.empty()) {
    std::string t = "windows: [";
    for (size_t i = 0; i < sim.windows.size(); ++i)
      t += (i ? ", [" : "[") + days(sim.windows[i].from_day) + ", " + days(sim.windows[i].to_day) + "]";
    w.line(1, t + "]");
  }
  w.line(1, "patients: " + std::to_string(sim.patients));
  w.line(1, std::string("variability: ") + (sim.variability ? "true" : "false"));
  w.line(1, std::string("residual_error: ") + (sim.residual_error ? "true" : "false"));
  w.line(1, "seed: " + std::to_string(sim.seed));
  w.line(1, std::string("solver: ") + to_string(sim.solver.kind));
  w.line(1, "rtol: " + format_exact(sim.solver.rtol));
  w.line(1, "atol: " + format_exact(sim.solver.atol) + " nmol");
  w.line(1, "max_steps: " + std::to_string(sim.solver.max_steps));
  return w.out_;
}

}  // namespace icsim
