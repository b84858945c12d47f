#include "io/agent_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "icsim/error.h"
#include "model/mechanism.h"
#include "model/parameter_defs.h"
#include "model/registry.h"
#include "population/covariates.h"

#ifndef ICSIM_SOURCE_DATA_DIR
#define ICSIM_SOURCE_DATA_DIR "data"
#endif

namespace icsim {

namespace fs = std::filesystem;

std::string data_directory() {
  if (const char* env = std::getenv("ICSIM_DATA_DIR"); env && *env) return env;
  return ICSIM_SOURCE_DATA_DIR;
}

std::vector<std::string> library_agent_ids() {
  std::vector<std::string> ids;
  const fs::path dir = fs::path(data_directory()) / "agents";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".yaml") ids.push_back(entry.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string empty_library_reason() {
  const fs::path dir = fs::path(data_directory()) / "agents";
  const char* env = std::getenv("ICSIM_DATA_DIR");
  const std::string from = env && *env ? "ICSIM_DATA_DIR is " + std::string(env)
                                       : "ICSIM_DATA_DIR is not set, so the data directory built in is used; set "
                                         "ICSIM_DATA_DIR to the directory that holds agents/";
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  const std::string what = !fs::exists(st)          ? "does not exist"
                           : !fs::is_directory(st) ? "is not a directory"
                                                   : "holds no agent files (ID.yaml)";
  return fmt::format("no agents in the library: {} {} ({})", dir.string(), what, from);
}

std::string closest_agent_id(const std::string& id) {
  const std::vector<std::string> ids = library_agent_ids();
  std::string hint = closest_match(id, ids);
  if (hint.empty() && id.size() >= 3)
    for (const std::string& c : ids)
      if (c.find(id) != std::string::npos) return c;
  return hint;
}

namespace {

// Top-level keys: the agent's identity, one section per registered mechanism, then
// the population model.
std::vector<std::string> top_keys() {
  std::vector<std::string> keys = {"id", "name", "class", "antigen", "description", "molecular_weight"};
  for (const Mechanism* m : mechanisms())
    if (m->has_section() && !m->in_scenario()) keys.push_back(m->section());
  keys.insert(keys.end(), {"covariates", "covariate_effects", "variability", "covariance", "residual_error", "sources"});
  return keys;
}

// A value node: "0.926 L/day" or {value: 0.926 L/day, source: "..."}.
YAML::Node value_node(const YamlDoc& doc, bool library, const YAML::Node& v, const std::string& key,
                      std::string* source) {
  if (v.IsMap()) {
    doc.check_keys(v, key, {"value", "source"});
    if (!v["value"]) doc.fail(v, key, "missing 'value'");
    if (v["source"]) *source = doc.text(v["source"], key + ".source");
    else if (library) doc.fail(v, key, "library values must name their 'source'");
    return v["value"];
  }
  if (library) doc.fail(v, key, "library values must be written as {value: ..., source: ...}");
  return v;
}


// What is being read: a library or agent file (every value names its source), an
// agent written inline in a scenario (plain values), or a scenario's overrides of an
// agent (plain values; lists may add to the agent's or replace them).
enum class Reading { kFile, kInline, kOverride };

class AgentReader {
 public:
  AgentReader(AgentSpec& a, const YamlDoc& doc, Reading mode)
      : a_(a), doc_(doc), library_(mode == Reading::kFile), override_(mode == Reading::kOverride) {}

  void read(const YAML::Node& root, const std::string& path, const std::vector<std::string>& extra_keys = {}) {
    std::vector<std::string> allowed = top_keys();
    allowed.insert(allowed.end(), extra_keys.begin(), extra_keys.end());
    doc_.check_keys(root, path, allowed);
    for (const auto& kv : root) {
      const std::string k = kv.first.as<std::string>();
      const std::string key = join_key(path, k);
      const YAML::Node& v = kv.second;
      if (k == "id") a_.id = doc_.text(v, key);
      else if (k == "name") a_.name = doc_.text(v, key);
      else if (k == "class") a_.agent_class = doc_.text(v, key);
      else if (k == "antigen") a_.target_name = doc_.text(v, key);
      else if (k == "description") {  // not read, but text
        if (!v.IsScalar()) doc_.fail(v, key, "must be a single text value, not a list or mapping");
      }
      else if (k == "sources") continue;
      else if (k == "molecular_weight") a_.molecular_weight = molecular_weight(v, key);
      else if (k == "covariates") covariates(v, key);
      else if (k == "covariate_effects") effects(v, key);
      else if (k == "variability") variability(v, key);
      else if (k == "covariance") covariance(v, key);
      else if (k == "residual_error") residual(v, key);
      else if (const Mechanism* m = find_mechanism(k)) section(*m, v, key);
    }
  }

  // A mechanism's section: its parameters (some in subsections, such as
  // disposition.clearance_change, some per named member, such as disease.clones),
  // then its options, read by the mechanism.
  void section(const Mechanism& m, const YAML::Node& node, const std::string& key) {
    const std::string sec = m.section();
    const std::vector<ParamDecl> decls = m.parameters();
    std::vector<std::string> allowed;
    auto allow = [&](const std::string& k) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) allowed.push_back(k);
    };
    for (const ParamDecl& d : decls) allow(std::string(d.name).substr(0, std::string(d.name).find('.')));
    for (const auto& k : m.option_keys()) allow(k);
    if (m.member_list()) allow(m.member_list());
    doc_.check_keys(node, key, allowed);
    std::vector<std::string> checked;  // subsections whose keys were checked
    for (const ParamDecl& d : decls) {
      const std::string name = d.name;
      const size_t dot = name.find('.');
      if (dot == std::string::npos) {
        if (node[name]) param(node[name], sec + "." + name, join_key(key, name));
        continue;
      }
      const std::string sub = name.substr(0, dot), leaf = name.substr(dot + 1);
      const YAML::Node subnode = node[sub];
      if (!subnode) continue;
      const std::string sub_key = join_key(key, sub);
      if (std::find(checked.begin(), checked.end(), sub) == checked.end()) {
        std::vector<std::string> leaves;
        for (const ParamDecl& e : decls)
          if (std::string(e.name).rfind(sub + ".", 0) == 0) leaves.push_back(std::string(e.name).substr(dot + 1));
        doc_.check_keys(subnode, sub_key, leaves);
        checked.push_back(sub);
      }
      if (subnode[leaf]) param(subnode[leaf], sec + "." + name, join_key(sub_key, leaf));
    }
    if (m.member_list() && node[m.member_list()]) members(m, node[m.member_list()], join_key(key, m.member_list()));
    OptionsBox& box = a_.mechanisms[sec];
    if (!box.get()) box = OptionsBox(m.default_options());
    m.read_options(SectionInput{node, key, doc_, library_}, *box.get(), a_);
    a_.feature_origin[sec] = doc_.origin(node, key);
  }

 private:
  // The named members of a section: a list of mappings, each with a unique `name`
  // and the member parameters.
  void members(const Mechanism& m, const YAML::Node& list, const std::string& key) {
    const std::string prefix = std::string(m.section()) + "." + m.member_list() + ".";
    if (!list.IsSequence() || list.size() == 0)
      doc_.fail(list, key, "expected a list of named entries, e.g. [{name: sensitive, ...}]");
    std::vector<std::string> allowed = {"name"}, names;
    for (const ParamDecl& d : m.member_parameters()) allowed.push_back(d.name);
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string ek = fmt::format("{}[{}]", key, i);
      if (!e.IsMap()) doc_.fail(e, ek, "expected a mapping with 'name', e.g. {name: sensitive, fraction: 0.99}");
      doc_.check_keys(e, ek, allowed);
      if (!e["name"]) doc_.fail(e, ek, "missing 'name'");
      const std::string name = doc_.text(e["name"], ek + ".name");
      const bool word = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      });
      if (!word) doc_.fail(e["name"], ek + ".name", "a name is letters, digits, '_' and '-' (it names output columns)");
      if (std::find(names.begin(), names.end(), name) != names.end())
        doc_.fail(e["name"], ek + ".name", fmt::format("'{}' is named twice", name));
      names.push_back(name);
      for (const ParamDecl& d : m.member_parameters())
        if (e[d.name]) param(e[d.name], prefix + name + "." + d.name, ek + "." + d.name);
    }
  }

  void param(const YAML::Node& v, const std::string& name, const std::string& key) {
    ParamSpec p;
    p.name = name;
    YAML::Node val = value_node(doc_, library_, v, key, &p.source);
    p.written = doc_.quantity(val, key);
    p.origin = doc_.origin(val, key);
    a_.params[name] = p;
  }

  double molecular_weight(const YAML::Node& v, const std::string& key) {
    return read_molecular_weight(SectionInput{v, key, doc_, library_}, v, key);
  }

  void covariates(const YAML::Node& m, const std::string& key) {
    doc_.require_map(m, key);
    for (const auto& kv : m) {
      const std::string name = kv.first.as<std::string>();
      const std::string ck = join_key(key, name);
      const CovariateDef* def = find_covariate(name);
      if (!def) {
        std::vector<std::string> known;
        for (const auto& d : covariate_defs()) known.push_back(d.name);
        const std::string hint = closest_match(name, known);
        doc_.fail(kv.first, ck, hint.empty() ? "unknown covariate" : fmt::format("unknown covariate (did you mean '{}'?)", hint));
      }
      doc_.check_keys(kv.second, ck, {"reference", "source"});
      const YAML::Node ref = kv.second["reference"];
      if (!ref) doc_.fail(kv.second, ck, "missing 'reference'");
      if (library_ && !kv.second["source"]) doc_.fail(kv.second, ck, "library values must name their 'source'");
      if (def->levels.empty()) {
        const double v = doc_.in_unit(ref, ck + ".reference", def->unit);
        if (!(v > 0)) doc_.fail(ref, ck + ".reference", "a reference value must be > 0");
        a_.covariate_reference.values[name] = v;
      } else {
        a_.covariate_reference.levels[name] = level(*def, ref, ck + ".reference");
      }
    }
  }

  std::string level(const CovariateDef& def, const YAML::Node& n, const std::string& key) {
    const std::string v = doc_.text(n, key);
    if (std::find(def.levels.begin(), def.levels.end(), v) == def.levels.end())
      doc_.fail(n, key, fmt::format("must be one of: {}", fmt::join(def.levels, ", ")));
    return v;
  }

  // The list under `key` (covariate_effects, variability, covariance). In a file it
  // is written plainly. In an override it is {add: [...]} (appended to the agent's),
  // {replace: [...]}, or a bare list, which replaces too but warns: one added effect
  // silently dropping the library's sixteen was a trap. Clears `existing` when the
  // list replaces it; returns the list and sets `list_key` to its dotted key.
  template <class T>
  YAML::Node list_form(const YAML::Node& v, const std::string& key, std::vector<T>& existing, const char* what,
                       const char* what_one, std::string* list_key) {
    *list_key = key;
    if (!override_) {
      if (v.IsMap())
        doc_.fail(v, key,
                  "{add: [...]} and {replace: [...]} are for overrides of an agent (agent: {base: ...} or "
                  "{file: ...}); here write the list itself");
      if (!v.IsSequence()) doc_.fail(v, key, fmt::format("expected a list of {}", what));
      return v;
    }
    if (v.IsSequence()) {
      if (!existing.empty())
        doc_.warn(v, key,
                  fmt::format("this list replaces the {} {} of agent '{}' (a list in an override replaces); write "
                              "'{{add: [...]}}' to append to them, or '{{replace: [...]}}' to replace them without "
                              "this warning",
                              existing.size(), existing.size() == 1 ? what_one : what, a_.id));
      existing.clear();
      return v;
    }
    if (!v.IsMap()) doc_.fail(v, key, "expected {add: [...]}, {replace: [...]} or a list");
    doc_.check_keys(v, key, {"add", "replace"});
    if (v["add"] && v["replace"]) doc_.fail(v, key, "give either 'add' or 'replace', not both");
    if (!v["add"] && !v["replace"]) doc_.fail(v, key, "expected {add: [...]} or {replace: [...]}");
    const char* form = v["add"] ? "add" : "replace";
    *list_key = key + "." + form;
    const YAML::Node list = v[form];
    if (!list.IsSequence()) doc_.fail(list, *list_key, fmt::format("expected a list of {}", what));
    if (v["replace"]) existing.clear();
    return list;
  }

  void effects(const YAML::Node& v, const std::string& key_in) {
    std::string key;
    const YAML::Node list = list_form(v, key_in, a_.effects, "covariate effects", "covariate effect", &key);
    const size_t before = a_.effects.size();  // entries from the agent being overridden
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string ek = fmt::format("{}[{}]", key, i);
      doc_.check_keys(e, ek, {"parameter", "covariate", "form", "exponent", "coefficient", "factor", "level", "source"});
      CovariateEffectSpec c;
      c.origin = doc_.origin(e, ek);
      for (const char* req : {"parameter", "covariate", "form"})
        if (!e[req]) doc_.fail(e, ek, fmt::format("missing '{}'", req));
      c.parameter = known_parameter(e["parameter"], ek + ".parameter");
      c.covariate = doc_.text(e["covariate"], ek + ".covariate");
      const CovariateDef* def = find_covariate(c.covariate);
      if (!def) doc_.fail(e["covariate"], ek + ".covariate", "unknown covariate");
      const std::string form = doc_.text(e["form"], ek + ".form");
      const char* coef_key = nullptr;
      if (form == "power") c.form = EffectForm::kPower, coef_key = "exponent";
      else if (form == "exponential") c.form = EffectForm::kExponential, coef_key = "coefficient";
      else if (form == "linear") c.form = EffectForm::kLinear, coef_key = "coefficient";
      else if (form == "factor") c.form = EffectForm::kFactor, coef_key = "factor";
      else doc_.fail(e["form"], ek + ".form", "must be power, exponential, linear or factor");
      if (!e[coef_key]) doc_.fail(e, ek, fmt::format("a {} effect needs '{}'", form, coef_key));
      c.coefficient = doc_.number(e[coef_key], ek + "." + coef_key);
      if (c.form == EffectForm::kFactor) {
        if (def->levels.empty()) doc_.fail(e, ek, "a factor effect needs a categorical covariate");
        if (!e["level"]) doc_.fail(e, ek, "a factor effect needs 'level'");
        c.level = level(*def, e["level"], ek + ".level");
        if (!(c.coefficient > 0)) doc_.fail(e[coef_key], ek + ".factor", "must be > 0");
      } else if (!def->levels.empty()) {
        doc_.fail(e, ek, "a categorical covariate takes a factor effect");
      }
      if (e["source"]) c.source = doc_.text(e["source"], ek + ".source");
      else if (library_) doc_.fail(e, ek, "library values must name their 'source'");
      // Effects on one parameter multiply, so adding one the agent has applies the
      // covariate twice: more likely meant as a change.
      for (size_t j = 0; j < before; ++j) {
        const CovariateEffectSpec& o = a_.effects[j];
        if (o.parameter == c.parameter && o.covariate == c.covariate && o.level == c.level)
          doc_.warn(e, ek,
                    fmt::format("agent '{}' already has an effect of {} on {} ({}:{}); both apply, multiplied. To "
                                "change it, write the whole list as {{replace: [...]}}",
                                a_.id, c.covariate, c.parameter, o.origin.file, o.origin.line));
      }
      a_.effects.push_back(c);
    }
  }

  std::string known_parameter(const YAML::Node& n, const std::string& key) {
    const std::string p = doc_.text(n, key);
    if (!find_param_def(p)) {
      std::vector<std::string> all;
      for (const auto& d : parameter_defs()) all.push_back(d.name);
      const std::string hint = closest_match(p, all);
      doc_.fail(n, key, hint.empty() ? "unknown parameter" : fmt::format("unknown parameter (did you mean '{}'?)", hint));
    }
    return p;
  }

  void variability(const YAML::Node& v, const std::string& key_in) {
    std::string key;
    const YAML::Node list = list_form(v, key_in, a_.random_effects, "random effects", "random effect", &key);
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string ek = fmt::format("{}[{}]", key, i);
      doc_.check_keys(e, ek, {"parameter", "form", "variance", "cv", "source"});
      RandomEffectSpec r;
      r.origin = doc_.origin(e, ek);
      if (!e["parameter"] || !e["form"]) doc_.fail(e, ek, "needs 'parameter' and 'form'");
      r.parameter = known_parameter(e["parameter"], ek + ".parameter");
      const std::string form = doc_.text(e["form"], ek + ".form");
      if (form == "log-normal") r.form = RandomEffectForm::kLogNormal;
      else if (form == "additive") r.form = RandomEffectForm::kAdditive;
      else doc_.fail(e["form"], ek + ".form", "must be 'log-normal' or 'additive'");
      if (e["variance"]) {
        r.variance = doc_.number(e["variance"], ek + ".variance");
      } else if (e["cv"] && r.form == RandomEffectForm::kLogNormal) {
        const double cv = doc_.number(e["cv"], ek + ".cv");  // "26.1 %" reads as 0.261
        r.variance = std::log(1.0 + cv * cv);
      } else {
        doc_.fail(e, ek, "needs 'variance' (or 'cv' for a log-normal effect)");
      }
      if (!(r.variance >= 0)) doc_.fail(e, ek, "a variance must be >= 0");
      if (e["source"]) r.source = doc_.text(e["source"], ek + ".source");
      else if (library_) doc_.fail(e, ek, "library values must name their 'source'");
      a_.random_effects.push_back(r);
    }
  }

  void covariance(const YAML::Node& v, const std::string& key_in) {
    std::string key;
    const YAML::Node list = list_form(v, key_in, a_.covariances, "covariances", "covariance", &key);
    for (size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string ek = fmt::format("{}[{}]", key, i);
      doc_.check_keys(e, ek, {"between", "covariance", "source"});
      if (!e["between"] || !e["between"].IsSequence() || e["between"].size() != 2)
        doc_.fail(e, ek, "'between' must list two parameters");
      if (!e["covariance"]) doc_.fail(e, ek, "missing 'covariance'");
      CovarianceSpec c;
      c.origin = doc_.origin(e, ek);
      c.first = known_parameter(e["between"][0], ek + ".between");
      c.second = known_parameter(e["between"][1], ek + ".between");
      c.covariance = doc_.number(e["covariance"], ek + ".covariance");
      if (c.first == c.second)
        doc_.fail(e["between"], ek + ".between",
                  fmt::format("a covariance is between two different parameters (the variance of {} is given "
                              "under 'variability')",
                              c.first));
      if (library_ && !e["source"]) doc_.fail(e, ek, "library values must name their 'source'");
      // A pair given twice would keep the last value silently.
      for (const CovarianceSpec& o : a_.covariances)
        if ((o.first == c.first && o.second == c.second) || (o.first == c.second && o.second == c.first))
          doc_.fail(e, ek,
                    fmt::format("the covariance of {} and {} is already given ({}:{}){}", c.first, c.second,
                                o.origin.file, o.origin.line,
                                override_ ? "; to change it, write the whole list as {replace: [...]}" : ""));
      a_.covariances.push_back(c);
    }
  }

  void residual(const YAML::Node& m, const std::string& key) {
    doc_.check_keys(m, key, {"form", "sd", "variance", "source"});
    if (!m["form"]) doc_.fail(m, key, "missing 'form'");
    const std::string form = doc_.text(m["form"], key + ".form");
    if (form == "proportional") a_.residual.form = ResidualForm::kProportional;
    else if (form == "additive") a_.residual.form = ResidualForm::kAdditive;
    else if (form == "log-additive") a_.residual.form = ResidualForm::kLogAdditive;
    else if (form == "none") a_.residual.form = ResidualForm::kNone;
    else doc_.fail(m["form"], key + ".form", "must be proportional, additive, log-additive or none");
    if (m["sd"]) a_.residual.sd = doc_.number(m["sd"], key + ".sd");
    else if (m["variance"]) {
      const double v = doc_.number(m["variance"], key + ".variance");
      if (!(v >= 0)) doc_.fail(m["variance"], key + ".variance", "a variance must be >= 0");
      a_.residual.sd = std::sqrt(v);
    }
    else if (a_.residual.form != ResidualForm::kNone) doc_.fail(m, key, "needs 'sd' or 'variance'");
    if (!(a_.residual.sd >= 0)) doc_.fail(m, key, "a residual SD must be >= 0");
    if (m["source"]) a_.residual.source = doc_.text(m["source"], key + ".source");
    else if (library_) doc_.fail(m, key, "library values must name their 'source'");
  }

 private:
  AgentSpec& a_;
  const YamlDoc& doc_;
  bool library_;   // every value must name its source
  bool override_;  // changes an agent already read
};

}  // namespace

AgentSpec read_agent_file(const std::string& path) {
  YAML::Node root = load_yaml_file(path);
  YamlDoc doc(path);
  AgentSpec a;
  a.file = path;
  AgentReader r(a, doc, Reading::kFile);
  r.read(root, "");
  a.feature_origin["file"] = Origin{path, 1, ""};
  if (a.id.empty()) doc.fail(root, "id", "missing 'id'");
  return a;
}

AgentSpec read_scenario_agent(const YAML::Node& node, const YamlDoc& scenario) {
  AgentSpec a;
  if (node.IsMap() && node["inline"]) {
    // A complete agent written in the scenario: plain values, no sources needed.
    if (node["base"] || node["file"])
      scenario.fail(node, "agent", "'inline' is a complete agent: give it without 'base' or 'file'");
    for (const auto& kv : node)
      if (kv.first.as<std::string>() != "inline")
        scenario.fail(kv.first, "agent." + kv.first.as<std::string>(),
                      "with 'inline', write every key of the agent inside 'inline'");
    const YAML::Node body = node["inline"];
    scenario.require_map(body, "agent.inline");
    a.file = scenario.file();
    a.feature_origin["file"] = scenario.origin(body, "agent.inline");
    AgentReader(a, scenario, Reading::kInline).read(body, "agent.inline");
    if (a.id.empty()) scenario.fail(body, "agent.inline.id", "missing 'id'");
    return a;
  }
  if (node.IsMap() && node["file"]) {
    // An agent of the user's own, in a file beside the scenario.
    if (node["base"]) scenario.fail(node, "agent", "give either 'base' (a library id) or 'file', not both");
    fs::path path = scenario.text(node["file"], "agent.file");
    if (path.is_relative()) path = fs::path(scenario.file()).parent_path() / path;
    if (!fs::exists(path)) scenario.fail(node["file"], "agent.file", fmt::format("no such file: {}", path.string()));
    a = read_agent_file(path.string());
  } else {
    if (node.IsMap() && !node["base"])
      scenario.fail(node, "agent",
                    "an agent mapping needs 'base: ID' (a library agent), 'file: PATH' or 'inline: {id: ..., ...}'");
    // (yaml-cpp assignment would overwrite the node itself, so pick the node at construction.)
    const YAML::Node id_node = node.IsMap() ? node["base"] : node;
    const std::string key = node.IsMap() ? "agent.base" : "agent";
    const std::string id = scenario.text(id_node, key);
    const auto ids = library_agent_ids();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      const std::string hint = closest_agent_id(id);
      if (ids.empty()) scenario.fail(id_node, key, fmt::format("unknown agent '{}': {}", id, empty_library_reason()));
      scenario.fail(id_node, key,
                    hint.empty() ? fmt::format("unknown agent '{}' (library: {})", id, fmt::join(ids, ", "))
                                 : fmt::format("unknown agent '{}' (did you mean '{}'?)", id, hint));
    }
    a = read_agent_file((fs::path(data_directory()) / "agents" / (id + ".yaml")).string());
  }
  if (node.IsMap()) {
    AgentReader r(a, scenario, Reading::kOverride);
    r.read(node, "agent", {"base", "file"});
  }
  return a;
}

void read_scenario_section(AgentSpec& a, const Mechanism& m, const YAML::Node& node, const YamlDoc& scenario) {
  AgentReader(a, scenario, Reading::kInline).section(m, node, m.section());
}

double read_molecular_weight(const SectionInput& in, const YAML::Node& v, const std::string& key) {
  std::string source;
  YAML::Node val = value_node(in.doc, in.library, v, key, &source);
  const double mw = in.doc.in_unit(val, key, "Da");
  if (!(mw > 0)) in.doc.fail(val, key, "must be > 0");
  return mw;
}

int read_compartments(const SectionInput& in, const YAML::Node& v) {
  const std::string key = in.key + ".compartments";
  const long c = in.doc.integer(v, key);
  if (c != 1 && c != 2) in.doc.fail(v, key, "must be 1 or 2");
  return static_cast<int>(c);
}

void finalise_agent(AgentSpec& a) {
  const Origin file = a.feature_origin["file"];
  auto origin_of = [&](const std::string& feature) {
    auto it = a.feature_origin.find(feature);
    return it == a.feature_origin.end() ? file : it->second;
  };
  auto fail = [](const Origin& o, const std::string& why) { throw InputError(o.file, o.line, o.key, why); };
  for (const Mechanism* m : mechanisms())
    if (m->always_on() && !a.has_mechanism(m->section())) a.mechanisms[m->section()] = OptionsBox(m->default_options());
  // Mechanisms their options switch off take no part (target model: none).
  for (const Mechanism* m : mechanisms()) {
    auto it = a.mechanisms.find(m->section());
    if (it != a.mechanisms.end() && !m->active(*it->second.get())) a.mechanisms.erase(it);
  }
  for (const Mechanism* m : mechanisms()) {
    const std::string sec = m->section();
    const MechanismOptions* o = a.options<MechanismOptions>(sec);
    if (!o) continue;
    for (const std::string& r : m->required(*o)) {
      if (a.has(sec + "." + r)) continue;
      const size_t dot = r.find('.');
      fail(origin_of(dot == std::string::npos ? sec : r.substr(0, dot)), fmt::format("missing parameter '{}.{}'", sec, r));
    }
    std::string why;
    if (!o->is_valid(&why)) fail(origin_of(sec), why);
    why = m->check(a, *o);
    if (!why.empty()) fail(origin_of(sec), why);
    auto add_default = [&](const ParamDecl& d, const std::string& relative) {
      const std::string name = sec + "." + relative;
      if (!d.default_value || a.has(name) || !m->uses(relative, *o)) return;
      ParamSpec p;
      p.name = name;
      p.written = parse_quantity(d.default_value);
      p.source = d.default_source;
      p.origin = origin_of(sec);
      a.params[name] = p;
    };
    for (const ParamDecl& d : m->parameters()) add_default(d, d.name);
    if (m->member_list())
      for (const std::string& member : m->members(*o))
        for (const ParamDecl& d : m->member_parameters())
          add_default(d, std::string(m->member_list()) + "." + member + "." + d.name);
  }
  // Parameters of mechanisms that are off, or unused with these options, are
  // dropped, so they cannot be used by accident.
  for (auto it = a.params.begin(); it != a.params.end();) {
    const std::string& n = it->first;
    const std::string sec = n.substr(0, n.find('.'));
    const Mechanism* m = find_mechanism(sec);
    const MechanismOptions* o = a.options<MechanismOptions>(sec);
    const bool off = !m || !o || !m->uses(n.substr(sec.size() + 1), *o);
    it = off ? a.params.erase(it) : std::next(it);
  }
  for (auto& [name, p] : a.params) {
    const ParamDef* def = find_param_def(name);
    const double mw = def->mechanism->molecular_weight(a, *a.options<MechanismOptions>(def->mechanism->section()));
    const Unit unit = parse_unit(def->engine_unit);
    if (!p.written.has_unit && !unit.dim.dimensionless()) {
      // "write it as e.g. '670 /cell'", with the number written (as yaml_doc says it).
      const std::string engine = def->engine_unit, dim = describe(unit.dim);
      throw InputError(p.origin.file, p.origin.line, p.origin.key,
                       fmt::format("missing unit: write it as e.g. '{:g} {}'{}", p.written.written,
                                   engine.rfind("1/", 0) == 0 ? engine.substr(1) : engine,
                                   dim == engine ? "" : " (a " + dim + ")"));
    }
    try {
      p.value = convert(p.written, unit, mw);
    } catch (const std::invalid_argument& e) {
      const std::string sec = def->mechanism->section();
      // Mass in place of amount, in a section with no molecular weight: say which one.
      auto converts_with_a_weight = [&] {
        try {
          convert(p.written, unit, 1.0);
          return true;
        } catch (const std::invalid_argument&) {
          return false;
        }
      };
      if (!(mw > 0) && converts_with_a_weight())
        throw InputError(p.origin.file, p.origin.line, p.origin.key,
                         fmt::format("written in mass units ('{}'); converting it to {} needs the molecular weight of what "
                                     "it counts: give '{}.molecular_weight' (the {}'s own, or the conjugate's {:g} kDa "
                                     "when the source gives the value in drug equivalents), or write the value in "
                                     "molar units",
                                     p.written.unit_text, def->engine_unit, sec, sec, a.molecular_weight / 1000.0));
      throw InputError(p.origin.file, p.origin.line, p.origin.key,
                       fmt::format("{} (expected e.g. '{}')", e.what(), def->engine_unit));
    }
    const std::string why = check_bound(def->bound, p.value);
    if (!why.empty()) throw InputError(p.origin.file, p.origin.line, p.origin.key, why);
  }
  for (const auto& e : a.effects)
    if (!a.has(e.parameter))
      throw InputError(e.origin.file, e.origin.line, e.origin.key,
                       fmt::format("'{}' is not a parameter of this model", e.parameter));
  for (const auto& r : a.random_effects)
    if (!a.has(r.parameter))
      throw InputError(r.origin.file, r.origin.line, r.origin.key,
                       fmt::format("'{}' is not a parameter of this model", r.parameter));
  // Replacing `variability` leaves the agent's covariances naming effects that are
  // gone: say how to fix it.
  for (const auto& c : a.covariances)
    for (const std::string* p : {&c.first, &c.second})
      if (std::none_of(a.random_effects.begin(), a.random_effects.end(),
                       [&](const RandomEffectSpec& r) { return r.parameter == *p; }))
        throw InputError(c.origin.file, c.origin.line, c.origin.key,
                         fmt::format("a covariance names {}, which has no random effect (after replacing "
                                     "'variability' in an override, replace 'covariance' too: "
                                     "covariance: {{replace: [...]}}, or {{replace: []}} for none)",
                                     *p));
}

}  // namespace icsim
