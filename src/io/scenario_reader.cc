#include "io/scenario_reader.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "icsim/error.h"
#include "icsim/units.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "model/parameter_defs.h"
#include "disease/collins/collins_tgi.h"
#include "disease/disease.h"
#include "model/registry.h"
#include "pk/soluble_antigen/soluble_antigen.h"
#include "population/individual.h"
#include "radiation/haematology.h"
#include "radiation/pretargeting.h"

namespace icsim {

namespace {

YAML::Node apply_set(YAML::Node root, const std::string& assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("--set", 0, assignment, "expected KEY=VALUE, e.g. --set regimen.dose=\"3.4 mg/kg\"");
  const std::string key = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    throw InputError("--set", 0, key, "malformed value: " + e.msg);
  }
  try {
    reject_duplicate_keys(value, "--set", key);
  } catch (const InputError& e) {  // its line is within the value: name --set and the key
    throw InputError("--set", 0, e.key(), e.reason());
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(key.substr(start, dot - start));
  parts.push_back(key.substr(start));
  YAML::Node node = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.empty()) throw InputError("--set", 0, key, "empty part in the key");
    const bool last = i + 1 == parts.size();
    if (node.IsSequence() && !part.empty() && !std::isdigit(static_cast<unsigned char>(part[0]))) {
      // A list of named entries (disease.clones) is indexed by name too.
      std::vector<std::string> known;
      long found = -1;
      for (size_t k = 0; k < node.size(); ++k) {
        if (!node[k].IsMap() || !node[k]["name"] || !node[k]["name"].IsScalar()) continue;
        known.push_back(node[k]["name"].Scalar());
        if (known.back() == part) found = static_cast<long>(k);
      }
      if (found < 0)
        throw InputError("--set", 0, key,
                         known.empty() ? fmt::format("'{}' is not an index of the list '{}'", part, parts[i - 1])
                                       : fmt::format("no entry of '{}' is named '{}' (names: {})", parts[i - 1], part,
                                                     fmt::join(known, ", ")));
      if (last) node[found] = value;
      else node.reset(node[found]);
    } else if (node.IsSequence()) {
      char* end = nullptr;
      const long idx = std::strtol(part.c_str(), &end, 10);
      if (*end != '\0' || idx < 0 || static_cast<size_t>(idx) >= node.size())
        throw InputError("--set", 0, key,
                         node.size() == 0
                             ? fmt::format("'{}' is not an index of the list: '{}' is an empty list", part, parts[i - 1])
                             : fmt::format("'{}' is not an index of the list (0..{})", part, node.size() - 1));
      if (last) node[idx] = value;
      else node.reset(node[idx]);
    } else {
      if (i == 1 && parts[0] == "agent" && node.IsScalar()) {
        // `agent: ID` names a library agent; the forms that name one anew may
        // replace it with a mapping, keys of the agent need {base: ID} first.
        const std::string id = node.Scalar();
        if (part != "base" && part != "file" && part != "inline")
          throw InputError("--set", 0, key,
                           fmt::format("the scenario's agent is the library id '{}', which takes no keys: write "
                                       "'agent: {{base: {}}}' in the scenario, or pass --set agent.base={} before "
                                       "this --set",
                                       id, id, id));
        root["agent"] = YAML::Node(YAML::NodeType::Map);
        node.reset(root["agent"]);
      }
      if (node.IsDefined() && !node.IsNull() && !node.IsMap())
        throw InputError("--set", 0, key, fmt::format("'{}' holds a single value, not keys", parts[i - 1]));
      if (last) node[part] = value;
      else node.reset(node[part]);
    }
  }
  return value;
}

class ScenarioReader {
 public:
  explicit ScenarioReader(const YamlDoc& doc) : doc_(doc) {}

  Scenario read(const YAML::Node& root) {
    Scenario s;
    s.file = doc_.file();
    doc_.check_keys(root, "",
                    {"name", "description", "agent", "patient", "disease", "haematology", "regimen", "protocol",
                     "simulation"});
    for (const char* req : {"name", "agent", "regimen", "simulation"})
      if (!root[req]) doc_.fail(root, req, "missing (every scenario needs name, agent, regimen and simulation)");
    s.name = doc_.text(root["name"], "name");
    if (root["description"] && !root["description"].IsScalar())  // not read, but text
      doc_.fail(root["description"], "description", "must be a single text value, not a list or mapping");
    // The patient first: its species selects the haematology's parameter set.
    if (root["patient"]) patient(root["patient"], s);
    s.agent = read_scenario_agent(root["agent"], doc_);
    if (root["disease"]) disease(root["disease"], s);
    if (root["haematology"]) haematology(root["haematology"], s);
    finalise_agent(s.agent);
    soluble_antigen_from_sbcma(s);
    collins_sbcma_from_patient(s);
    check_body_size(s);
    regimen(root["regimen"], s);
    if (s.assessment.on && !(s.assessment.every_day > 0)) {  // the first phase's interval, else monthly
      const double every = s.regimen.phases.empty() ? 0.0 : s.regimen.phases.front().every_day;
      s.assessment.every_day = every > 0 ? every : 28.0;
    }
    if (root["protocol"]) s.protocol = read_protocol(root["protocol"], "protocol", doc_);
    simulation(root["simulation"], s.simulation);
    return s;
  }

 private:
  void patient(const YAML::Node& m, Scenario& s) {
    std::vector<std::string> allowed = {"bsa_formula"};
    for (const auto& d : covariate_defs()) allowed.push_back(d.name);
    doc_.check_keys(m, "patient", allowed);
    for (const auto& kv : m) {
      const std::string name = kv.first.as<std::string>();
      const std::string key = "patient." + name;
      if (name == "bsa_formula") {
        const std::string f = doc_.text(kv.second, key);
        if (f == "dubois") s.bsa_formula = BsaFormula::kDuBois;
        else if (f == "mosteller") s.bsa_formula = BsaFormula::kMosteller;
        else doc_.fail(kv.second, key, "must be 'dubois' or 'mosteller'");
        continue;
      }
      const CovariateDef* def = find_covariate(name);
      patient_nodes_[name] = kv.second;
      if (def->levels.empty()) {
        const double v = doc_.in_unit(kv.second, key, def->unit);
        if (!(v > def->min && v <= def->max))
          doc_.fail(kv.second, key,
                    fmt::format("{:g} {} is outside the plausible range ({:g} to {:g} {})", v, def->unit, def->min,
                                def->max, def->unit));
        s.patient.values[name] = v;
      } else {
        const std::string v = doc_.text(kv.second, key);
        if (std::find(def->levels.begin(), def->levels.end(), v) == def->levels.end())
          doc_.fail(kv.second, key, fmt::format("must be one of: {}", fmt::join(def->levels, ", ")));
        s.patient.levels[name] = v;
      }
    }
  }

  // The patient's disease: the tumour of the mechanistic model (src/disease/disease.h)
  // or a published empirical M-protein model, and how response is assessed.
  void disease(const YAML::Node& n, Scenario& s) {
    doc_.require_map(n, "disease");
    std::string model = "mechanistic";
    if (n["model"]) model = doc_.text(n["model"], "disease.model");
    ResponseAssessment& a = s.assessment;
    a.on = true;
    if (n["assessment_every"]) a.every_day = positive_time(n["assessment_every"], "disease.assessment_every");
    else a.every_day = 0.0;  // the regimen's interval, once it is read
    if (n["assessment_start"]) a.start_day = positive_time(n["assessment_start"], "disease.assessment_start", true);
    if (n["measurement_error"]) a.measurement_error = doc_.boolean(n["measurement_error"], "disease.measurement_error");
    if (n["cr_threshold"]) {
      a.cr_threshold_g_per_L = doc_.in_unit(n["cr_threshold"], "disease.cr_threshold", "g/L");
      if (!(a.cr_threshold_g_per_L > 0)) doc_.fail(n["cr_threshold"], "disease.cr_threshold", "must be > 0");
    }
    const bool variability = !n["variability"] || doc_.boolean(n["variability"], "disease.variability");
    // Either model comes with its between-patient variability (drawn when
    // simulation.variability is true), except where the agent already gives some.
    auto has_effect = [&](const std::string& p) {
      return std::any_of(s.agent.random_effects.begin(), s.agent.random_effects.end(),
                         [&](const RandomEffectSpec& r) { return r.parameter == p; });
    };
    if (model == "mechanistic") {
      read_scenario_section(s.agent, disease_mechanism(), n, doc_);
      const auto* o = s.agent.options<DiseaseOptions>("disease");
      if (variability && o)
        for (RandomEffectSpec r : disease_random_effects(o->clones)) {
          if (has_effect(r.parameter)) continue;
          r.origin = doc_.origin(n, "disease");
          s.agent.random_effects.push_back(r);
        }
      return;
    }
    const Mechanism* empirical = model == "collins2023" ? find_mechanism("collins_tgi") : nullptr;
    if (!empirical) doc_.fail(n["model"], "disease.model", "must be 'mechanistic' or 'collins2023'");
    // The empirical model reads the section without the assessment keys.
    YAML::Node section(YAML::NodeType::Map);
    for (const auto& kv : n) {
      const std::string k = kv.first.as<std::string>();
      if (k != "model" && k != "assessment_every" && k != "assessment_start" && k != "measurement_error" &&
          k != "cr_threshold" && k != "variability")
        section[kv.first] = kv.second;
    }
    read_scenario_section(s.agent, *empirical, section, doc_);
    collins_sbcma_written_ = static_cast<bool>(n["sbcma"]);
    if (!variability) return;
    bool added = false;
    for (RandomEffectSpec r : collins_tgi_random_effects()) {
      if (has_effect(r.parameter)) continue;
      r.origin = doc_.origin(n, "disease");
      s.agent.random_effects.push_back(r);
      added = true;
    }
    if (added)
      for (CovarianceSpec c : collins_tgi_covariances()) {
        c.origin = doc_.origin(n, "disease");
        s.agent.covariances.push_back(c);
      }
  }

  // Marrow toxicity (src/radiation/haematology.h): `haematology: true`, or a mapping of
  // values that replace those of the species' set in data/haematology/myelosuppression.yaml.
  void haematology(const YAML::Node& n, Scenario& s) {
    const Mechanism& m = haematology_mechanism();
    if (n.IsScalar() && !doc_.boolean(n, m.section())) return;
    read_scenario_section(s.agent, m, n.IsScalar() ? YAML::Node(YAML::NodeType::Map) : n, doc_);
    s.agent.feature_origin[m.section()] = doc_.origin(n, m.section());
    s.agent.mutable_options<HaematologyOptions>(m.section())->species = s.species();
    for (ParamSpec& p : myelosuppression_parameters(s.species()))
      if (!s.agent.has(p.name)) s.agent.params[p.name] = std::move(p);
  }

  // The patient's serum sBCMA is the measured baseline of the shed-antigen sink: it
  // wins over the agent's soluble_antigen.baseline, which is a population value,
  // unless the agent says baseline_from_covariate: false.
  void soluble_antigen_from_sbcma(Scenario& s) {
    const auto* o = s.agent.options<SolubleAntigenOptions>("soluble_antigen");
    if (!o || !o->baseline_from_covariate || !s.patient.values.count("sbcma")) return;
    param_from_sbcma(s, "soluble_antigen.baseline", o->molecular_weight);
  }

  // The Collins 2023 model's sBCMA covariate (on KEO) is the patient's serum sBCMA
  // unless the disease section gives it.
  void collins_sbcma_from_patient(Scenario& s) {
    if (collins_sbcma_written_ || !s.agent.has("collins_tgi.sbcma") || !s.patient.values.count("sbcma")) return;
    param_from_sbcma(s, "collins_tgi.sbcma", 0.0);
  }

  // Parameter `name` of the agent set to the patient's sbcma as written (converted
  // with `molecular_weight` where the parameter is molar), naming it as the source.
  void param_from_sbcma(Scenario& s, const std::string& name, double molecular_weight) {
    const YAML::Node n = patient_nodes_.at("sbcma");
    ParamSpec& p = s.agent.params.at(name);
    p.written = doc_.quantity(n, "patient.sbcma");
    try {
      p.value = convert(p.written, parse_unit(find_param_def(p.name)->engine_unit), molecular_weight);
    } catch (const std::invalid_argument& e) {
      doc_.fail(n, "patient.sbcma", e.what());
    }
    p.source = "patient covariate sbcma";
    p.origin = doc_.origin(n, "patient.sbcma");
  }

  // Weight, height, BMI and BSA must tell one story. A patient giving weight alone
  // keeps the reference BMI/BSA, so an effect of BMI or BSA would describe another
  // patient; a patient giving all three must give values that agree.
  void check_body_size(const Scenario& s) {
    const auto& v = s.patient.values;
    if (!v.count("weight")) return;
    const double w = v.at("weight");
    // The covariate's range spans both species; each has its own.
    const bool mouse = s.species() == "mouse";
    const double lo = mouse ? 0.01 : 0.5, hi = mouse ? 0.1 : 500.0;
    if (!(w >= lo && w <= hi))
      doc_.fail(patient_nodes_.at("weight"), "patient.weight",
                fmt::format("{:g} kg is outside the plausible range for a {} ({:g} to {:g} kg)", w, s.species(), lo,
                            hi));
    struct Derived {
      const char* name;
      const char* unit;
    };
    for (const Derived d : {Derived{"bmi", "kg/m2"}, Derived{"bsa", "m2"}}) {
      if (v.count("height") || v.count(d.name)) continue;
      const auto& ref = s.agent.covariate_reference.values;
      if (!ref.count(d.name)) continue;  // IndividualModel says the reference is missing
      // At the reference weight the patient is the reference patient, BMI and BSA included.
      if (ref.count("weight") && std::abs(w / ref.at("weight") - 1.0) < 1e-9) continue;
      for (const CovariateEffectSpec& e : s.agent.effects) {
        if (e.covariate != d.name) continue;
        doc_.fail(patient_nodes_.at("weight"), "patient.weight",
                  fmt::format("the agent has a covariate effect of {} on {} ({}:{}), and the patient gives weight "
                              "without height or {}, so {} would stay at the agent's reference ({:g} {}) whatever the "
                              "weight; give patient.height too ({} is then derived from weight and height), or "
                              "patient.{}",
                              d.name, e.parameter, e.origin.file, e.origin.line, d.name, d.name, ref.at(d.name), d.unit,
                              d.name, d.name));
      }
    }
    if (!v.count("height")) return;
    const double h = v.at("height");
    const double bmi = body_mass_index(w, h), bsa = body_surface_area(w, h, s.bsa_formula);
    for (const Derived d : {Derived{"bmi", "kg/m2"}, Derived{"bsa", "m2"}}) {
      if (!v.count(d.name)) continue;
      const double given = v.at(d.name), derived = d.name == std::string("bmi") ? bmi : bsa;
      if (std::abs(given / derived - 1.0) <= 0.02) continue;
      const std::string how = d.name == std::string("bsa") ? fmt::format(" by the {} formula", to_string(s.bsa_formula)) : "";
      doc_.fail(patient_nodes_.at(d.name), std::string("patient.") + d.name,
                fmt::format("{:.4g} {} disagrees with weight {:g} kg and height {:g} cm, which give {:.4g} {}{} (more "
                            "than 2 % apart); give two of the three, or make them agree",
                            given, d.unit, w, h, derived, d.unit, how));
    }
  }

  // A dose of the agent, or (`form`) of something else the agent's mechanisms give
  // (`of:`), converted with that thing's molecular weight and specific activity.
  DoseSpec dose(const YAML::Node& n, const std::string& key, const DoseForm* form = nullptr) {
    DoseSpec d;
    d.text = doc_.text(n, key);
    Quantity q = doc_.quantity(n, key);
    std::string unit = q.unit_text;
    unit.erase(std::remove(unit.begin(), unit.end(), ' '), unit.end());
    auto ends_with = [&](const std::string& suffix) {
      return unit.size() > suffix.size() && unit.compare(unit.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    std::string numerator = unit;
    if (ends_with("/kg")) {
      d.basis = DoseBasis::kPerWeight;
      numerator = unit.substr(0, unit.size() - 3);
    } else if (ends_with("/m2") || ends_with("/m^2")) {
      d.basis = DoseBasis::kPerBsa;
      numerator = unit.substr(0, unit.rfind('/'));
    }
    if (!q.has_unit)
      doc_.fail(n, key, "missing unit: write e.g. '2.5 mg/kg', '16 mg/kg', '100 mg/m2', '200 mg' or, for a labelled "
                        "agent, '3.7 MBq'");
    Unit u;
    try {
      u = parse_unit(numerator);
    } catch (const std::invalid_argument& e) {
      doc_.fail(n, key, e.what());
    }
    const double number = q.value / parse_unit(q.unit_text).si;  // the number as written
    const Unit mg = parse_unit("mg"), nmol = parse_unit("nmol"), mbq = parse_unit("MBq");
    if (form) {
      dose_of(n, key, *form, number * u.si, u, d);
    } else if (u.dim == mg.dim) {
      d.value = number * u.si / mg.si;
    } else if (u.dim == nmol.dim && d.basis == DoseBasis::kMass) {
      d.basis = DoseBasis::kAmount;
      d.value = number * u.si / nmol.si;
    } else if (u.dim == mbq.dim) {
      if (!forms_.empty())
        doc_.fail(n, key, fmt::format("a pretargeted antibody is given unlabelled: give '{}' as a dose of the hapten "
                                      "({{dose: {}, of: hapten}}) and the antibody in mg or nmol",
                                      d.text, d.text));
      // An activity: the antibody mass it comes with, at the agent's specific activity.
      if (!agent_ || !agent_->has("label.specific_activity"))
        doc_.fail(n, key, fmt::format("a dose of activity ('{}') needs a labelled agent: label: {{nuclide: ..., "
                                      "specific_activity: ...}}", d.text));
      d.value = number * u.si / mbq.si / agent_->value("label.specific_activity");
    } else {
      doc_.fail(n, key, fmt::format("'{}' is not a dose: use mg, mg/kg, mg/m2, nmol or an activity (MBq)", d.text));
    }
    if (!(d.value > 0)) doc_.fail(n, key, "a dose must be > 0");
    return d;
  }

  // A dose of `form` (si: the amount as written, in SI units of `u`): mass with its
  // molecular weight, amount, or activity with its specific activity, per patient or
  // (as mass) per kg or m2.
  void dose_of(const YAML::Node& n, const std::string& key, const DoseForm& form, double si, const Unit& u,
               DoseSpec& d) {
    const Unit mg = parse_unit("mg"), nmol = parse_unit("nmol"), mbq = parse_unit("MBq");
    const bool absolute = d.basis == DoseBasis::kMass;
    double amount = 0.0;  // nmol (per basis unit)
    if (u.dim == mg.dim) {
      if (!(form.molecular_weight > 0))
        doc_.fail(n, key, fmt::format("a dose of {} in mass units ('{}') needs its molecular weight, which the agent "
                                      "does not give: give the dose in nmol{}",
                                      form.name, d.text, form.mbq_per_nmol > 0 ? " or MBq" : ""));
      d.value = si / mg.si;
      return;
    }
    if (u.dim == nmol.dim) {
      amount = si / nmol.si;
    } else if (u.dim == mbq.dim) {
      if (!(form.mbq_per_nmol > 0))
        doc_.fail(n, key, fmt::format("the {} is not radioactive: give its dose in mg or nmol, not '{}'", form.name,
                                      d.text));
      amount = si / mbq.si / form.mbq_per_nmol;
    } else {
      doc_.fail(n, key, fmt::format("'{}' is not a dose of the {}: use mg, nmol{}", d.text, form.name,
                                    form.mbq_per_nmol > 0 ? " or MBq" : ""));
    }
    if (absolute) {
      d.basis = DoseBasis::kAmount;
      d.value = amount;
    } else if (form.molecular_weight > 0) {
      d.value = amount / units::nmol_per_mg(form.molecular_weight);  // mg per kg or m2
    } else {
      doc_.fail(n, key, fmt::format("a dose of {} per kg or m2 ('{}') needs its molecular weight, which the agent does "
                                    "not give: give the dose per patient",
                                    form.name, d.text));
    }
  }

  // What `of:` names: something the agent's mechanisms give.
  const DoseForm& dose_form(const YAML::Node& n, const std::string& key, const std::string& name) {
    for (const DoseForm& f : forms_)
      if (f.name == name) return f;
    std::vector<std::string> known;
    for (const DoseForm& f : forms_) known.push_back(f.name);
    doc_.fail(n, key,
              known.empty() ? fmt::format("agent '{}' gives nothing but itself, so there is no '{}' to dose (doses of "
                                          "a hapten or clearing agent need a pretargeting section)",
                                          agent_->id, name)
                            : fmt::format("agent '{}' has no '{}' to dose: of: {} (or no 'of' for the agent)",
                                          agent_->id, name, fmt::join(known, ", ")));
  }

  double positive_time(const YAML::Node& n, const std::string& key, bool allow_zero = false) {
    const double t = doc_.in_unit(n, key, "day");
    if (allow_zero ? !(t >= 0) : !(t > 0)) doc_.fail(n, key, allow_zero ? "must be >= 0" : "must be > 0");
    return t;
  }

  Phase phase(const YAML::Node& m, const std::string& key) {
    doc_.check_keys(m, key, {"dose", "of", "infusion", "every", "doses", "start", "times"});
    Phase p;
    p.origin = doc_.origin(m, key);
    if (!m["dose"]) doc_.fail(m, key, "missing 'dose'");
    const DoseForm* form = nullptr;
    if (m["of"]) {
      p.of = doc_.text(m["of"], key + ".of");
      form = &dose_form(m["of"], key + ".of", p.of);
      p.molecular_weight = form->molecular_weight;
    }
    p.dose = dose(m["dose"], key + ".dose", form);
    if (m["infusion"]) p.infusion_day = positive_time(m["infusion"], key + ".infusion", true);
    if (m["times"]) {
      if (m["every"] || m["doses"] || m["start"]) doc_.fail(m, key, "give either 'times' or 'every'/'doses'/'start'");
      const YAML::Node t = m["times"];
      if (!t.IsSequence() || t.size() == 0) doc_.fail(t, key + ".times", "expected a list of times, e.g. [0 d, 7 d]");
      for (size_t i = 0; i < t.size(); ++i) {
        const double v = positive_time(t[i], fmt::format("{}.times[{}]", key, i), true);
        if (!p.times_day.empty() && v <= p.times_day.back())
          doc_.fail(t[i], fmt::format("{}.times[{}]", key, i), "dose times must increase");
        p.times_day.push_back(v);
      }
      return p;
    }
    if (m["doses"]) {
      const long n = doc_.integer(m["doses"], key + ".doses");
      if (n < 1 || n > 100000) doc_.fail(m["doses"], key + ".doses", "must be a whole number from 1 to 100000");
      p.doses = static_cast<int>(n);
    }
    if (m["every"]) p.every_day = positive_time(m["every"], key + ".every");
    else if (p.doses > 1) doc_.fail(m, key, "several doses need 'every' (the interval)");
    if (m["start"]) {
      p.has_start = true;
      p.start_day = positive_time(m["start"], key + ".start", true);
    }
    return p;
  }

  void regimen(const YAML::Node& n, Scenario& s) {
    agent_ = &s.agent;
    forms_ = pretargeting_dose_forms(s.agent);
    // `regimen: none`: an untreated arm (the control of an animal study).
    if (n.IsScalar() && n.Scalar() == "none") return;
    if (n.IsMap()) {
      s.regimen.phases.push_back(phase(n, "regimen"));
    } else if (n.IsSequence() && n.size() > 0) {
      for (size_t i = 0; i < n.size(); ++i) s.regimen.phases.push_back(phase(n[i], fmt::format("regimen[{}]", i)));
    } else {
      doc_.fail(n, "regimen", "expected a mapping (one schedule), a list of phases, or 'none' (no treatment)");
    }
  }

  // A list of times within [0, until] (extra output times), in any order.
  std::vector<double> sample_times(const YAML::Node& n, const std::string& key, double until) {
    if (!n.IsSequence() || n.size() == 0) doc_.fail(n, key, "expected a list of times, e.g. [0.5 d, 2 d]");
    std::vector<double> out;
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string k = fmt::format("{}[{}]", key, i);
      const double t = positive_time(n[i], k, true);
      if (t > until) doc_.fail(n[i], k, fmt::format("after the end of the simulation ({:g} d)", until));
      out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  // Samples relative to each dose: predose, end_of_infusion, or a time after it.
  std::vector<DoseSample> dose_samples(const YAML::Node& n, const std::string& key) {
    if (!n.IsSequence() || n.size() == 0)
      doc_.fail(n, key, "expected a list, e.g. [predose, end_of_infusion, 1 h, 1 d]");
    std::vector<DoseSample> out;
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string k = fmt::format("{}[{}]", key, i);
      DoseSample d;
      d.text = doc_.text(n[i], k);
      if (d.text == "predose") d.kind = DoseSample::Kind::kPredose;
      else if (d.text == "end_of_infusion") d.kind = DoseSample::Kind::kEndOfInfusion;
      else d.after_day = positive_time(n[i], k);
      out.push_back(d);
    }
    return out;
  }

  // Exposure windows: [[from, to], ...] within [0, until].
  std::vector<ExposureWindow> windows(const YAML::Node& n, const std::string& key, double until) {
    if (!n.IsSequence() || n.size() == 0) doc_.fail(n, key, "expected a list of [from, to] pairs, e.g. [[0 d, 21 d]]");
    std::vector<ExposureWindow> out;
    for (size_t i = 0; i < n.size(); ++i) {
      const std::string k = fmt::format("{}[{}]", key, i);
      if (!n[i].IsSequence() || n[i].size() != 2) doc_.fail(n[i], k, "expected [from, to], e.g. [147 d, 168 d]");
      ExposureWindow w{positive_time(n[i][0], k + "[0]", true), positive_time(n[i][1], k + "[1]")};
      if (!(w.to_day > w.from_day)) doc_.fail(n[i], k, "a window must end after it starts");
      if (w.to_day > until) doc_.fail(n[i][1], k + "[1]", fmt::format("after the end of the simulation ({:g} d)", until));
      out.push_back(w);
    }
    return out;
  }

  void simulation(const YAML::Node& m, SimulationSettings& sim) {
    doc_.check_keys(m, "simulation", {"until", "output_every", "grid", "times", "samples", "windows", "patients",
                                      "variability", "residual_error", "seed", "solver", "rtol", "atol", "max_steps"});
    if (!m["until"]) doc_.fail(m, "simulation.until", "missing (how long to simulate, e.g. '168 d')");
    sim.until_day = positive_time(m["until"], "simulation.until");
    if (m["output_every"]) sim.output_every_day = positive_time(m["output_every"], "simulation.output_every");
    if (m["grid"]) sim.grid = doc_.boolean(m["grid"], "simulation.grid");
    if (m["grid"] && m["output_every"] && !sim.grid)
      doc_.fail(m["grid"], "simulation.grid", "'grid: false' leaves only 'times': drop 'output_every'");
    if (m["times"]) sim.times_day = sample_times(m["times"], "simulation.times", sim.until_day);
    if (!sim.grid && sim.times_day.empty())
      doc_.fail(m, "simulation", "'grid: false' needs 'times' (the output times you want)");
    if (m["samples"]) sim.dose_samples = dose_samples(m["samples"], "simulation.samples");
    if (m["windows"]) sim.windows = windows(m["windows"], "simulation.windows", sim.until_day);
    if (sim.until_day / sim.output_every_day > 1e7)
      doc_.fail(m["output_every"], "simulation.output_every", "more than 10 million output times per patient");
    if (m["patients"]) {
      sim.patients = doc_.integer(m["patients"], "simulation.patients");
      if (sim.patients < 1) doc_.fail(m["patients"], "simulation.patients", "must be >= 1");
    }
    if (m["variability"]) sim.variability = doc_.boolean(m["variability"], "simulation.variability");
    if (m["residual_error"]) sim.residual_error = doc_.boolean(m["residual_error"], "simulation.residual_error");
    if (m["seed"]) {
      const long seed = doc_.integer(m["seed"], "simulation.seed");
      if (seed < 0) doc_.fail(m["seed"], "simulation.seed", "must be >= 0");
      sim.seed = static_cast<uint64_t>(seed);
    }
    if (m["solver"]) {
      const std::string k = doc_.text(m["solver"], "simulation.solver");
      if (!solver_kind_from_string(k, &sim.solver.kind))
        doc_.fail(m["solver"], "simulation.solver", "must be auto, cvode or explicit");
    }
    if (m["rtol"]) {
      sim.solver.rtol = doc_.number(m["rtol"], "simulation.rtol");
      if (!(sim.solver.rtol > 0 && sim.solver.rtol < 1)) doc_.fail(m["rtol"], "simulation.rtol", "must be between 0 and 1");
    }
    if (m["max_steps"]) {
      sim.solver.max_steps = doc_.integer(m["max_steps"], "simulation.max_steps");
      if (sim.solver.max_steps < 1) doc_.fail(m["max_steps"], "simulation.max_steps", "must be >= 1");
    }
    if (m["atol"]) {
      sim.solver.atol = doc_.in_unit(m["atol"], "simulation.atol", "nmol");
      if (!(sim.solver.atol > 0)) doc_.fail(m["atol"], "simulation.atol", "must be > 0");
    }
    // The check the library API makes too.
    std::string why;
    if (!sim.is_valid(&why)) doc_.fail(m, "simulation", why);
  }

  const YamlDoc& doc_;
  std::map<std::string, YAML::Node> patient_nodes_;  // where each covariate was written
  bool collins_sbcma_written_ = false;
  std::vector<DoseForm> forms_;  // what the agent gives besides itself (`of:`)
  const AgentSpec* agent_ = nullptr;  // the scenario's agent, once read (activity doses)  // the Collins disease section gave its own sbcma
};

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& sets,
                       std::vector<std::string>* warnings) {
  return load_scenario_node(load_yaml_file(path), path, sets, warnings);
}

Scenario load_scenario_text(const std::string& text, const std::string& path, const std::vector<std::string>& sets,
                            std::vector<std::string>* warnings) {
  return load_scenario_node(load_yaml_text(text, path), path, sets, warnings);
}

Scenario load_scenario_node(YAML::Node root, const std::string& path, const std::vector<std::string>& sets,
                            std::vector<std::string>* warnings) {
  YamlDoc doc(path);
  doc.collect_warnings(warnings);
  for (const auto& a : sets) doc.add_override(apply_set(root, a));
  Scenario s = ScenarioReader(doc).read(root);
  // Everything a patient needs is checked now, before any output is written.
  const IndividualModel individual(s.agent);
  const Covariates c = complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula);
  std::map<std::string, Origin> param_origin;
  for (const auto& [name, ps] : s.agent.params) param_origin[name] = ps.origin;
  individual.check_typical(c, individual.typical(c), param_origin);
  expand_regimen(s.regimen, c, s.agent.molecular_weight);
  return s;
}

}  // namespace icsim
