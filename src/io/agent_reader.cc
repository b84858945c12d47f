#include "io/agent_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "icsim/error.h"
#include "model/parameter_defs.h"
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

namespace {

const std::vector<std::string> kTopKeys = {"id", "name", "class", "antigen", "description", "molecular_weight",
                                           "disposition", "target", "soluble_antigen", "dar", "payload",
                                           "covariates", "covariate_effects", "variability", "covariance",
                                           "residual_error", "sources"};

class AgentReader {
 public:
  AgentReader(AgentSpec& a, const YamlDoc& doc, bool library) : a_(a), doc_(doc), library_(library) {}

  void read(const YAML::Node& root, const std::string& path, const std::vector<std::string>& extra_keys = {}) {
    std::vector<std::string> allowed = kTopKeys;
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
      else if (k == "description" || k == "sources") continue;
      else if (k == "molecular_weight") a_.molecular_weight = molecular_weight(v, key);
      else if (k == "disposition") disposition(v, key);
      else if (k == "target") target(v, key);
      else if (k == "soluble_antigen") soluble_antigen(v, key);
      else if (k == "dar") dar(v, key);
      else if (k == "payload") payload(v, key);
      else if (k == "covariates") covariates(v, key);
      else if (k == "covariate_effects") effects(v, key);
      else if (k == "variability") variability(v, key);
      else if (k == "covariance") covariance(v, key);
      else if (k == "residual_error") residual(v, key);
    }
  }

 private:
  // A value node: "0.926 L/day" or {value: 0.926 L/day, source: "..."}.
  YAML::Node value_node(const YAML::Node& v, const std::string& key, std::string* source) {
    if (v.IsMap()) {
      doc_.check_keys(v, key, {"value", "source"});
      if (!v["value"]) doc_.fail(v, key, "missing 'value'");
      if (v["source"]) *source = doc_.text(v["source"], key + ".source");
      else if (library_) doc_.fail(v, key, "library values must name their 'source'");
      return v["value"];
    }
    if (library_) doc_.fail(v, key, "library values must be written as {value: ..., source: ...}");
    return v;
  }

  void param(const YAML::Node& v, const std::string& name, const std::string& key) {
    ParamSpec p;
    p.name = name;
    YAML::Node val = value_node(v, key, &p.source);
    p.written = doc_.quantity(val, key);
    p.origin = doc_.origin(val, key);
    a_.params[name] = p;
  }

  double molecular_weight(const YAML::Node& v, const std::string& key) {
    std::string source;
    YAML::Node val = value_node(v, key, &source);
    const double mw = doc_.in_unit(val, key, "Da");
    if (!(mw > 0)) doc_.fail(val, key, "must be > 0");
    return mw;
  }

  // Reads the parameter keys of a section; `section` is the dotted prefix.
  void params(const YAML::Node& m, const std::string& key, const std::string& section,
              const std::vector<std::string>& names, const std::vector<std::string>& other) {
    std::vector<std::string> allowed = names;
    allowed.insert(allowed.end(), other.begin(), other.end());
    doc_.check_keys(m, key, allowed);
    for (const auto& n : names)
      if (m[n]) param(m[n], section + "." + n, join_key(key, n));
  }

  void disposition(const YAML::Node& m, const std::string& key) {
    params(m, key, "disposition", {"CL", "V1", "Q", "V2"}, {"compartments", "clearance_change"});
    if (m["compartments"]) {
      const long c = doc_.integer(m["compartments"], key + ".compartments");
      if (c != 1 && c != 2) doc_.fail(m["compartments"], key + ".compartments", "must be 1 or 2");
      a_.compartments = static_cast<int>(c);
    }
    if (m["clearance_change"]) {
      params(m["clearance_change"], key + ".clearance_change", "disposition.clearance_change",
             {"Imax", "T50", "gamma"}, {});
      a_.time_varying_clearance = true;
      origins_["clearance_change"] = doc_.origin(m["clearance_change"], key + ".clearance_change");
    }
  }

  void target(const YAML::Node& m, const std::string& key) {
    params(m, key, "target", {"kon", "koff", "kint", "kdeg", "baseline", "synthesis", "Kss"},
           {"model", "molecular_weight"});
    if (m["model"]) {
      const std::string mode = doc_.text(m["model"], key + ".model");
      if (mode == "full") a_.tmdd = TmddMode::kFull;
      else if (mode == "qss") a_.tmdd = TmddMode::kQss;
      else if (mode == "none") a_.tmdd = TmddMode::kNone;
      else doc_.fail(m["model"], key + ".model", "must be 'full', 'qss' or 'none'");
    } else if (a_.tmdd == TmddMode::kNone) {
      doc_.fail(m, key, "missing 'model' (full or qss)");
    }
    if (m["molecular_weight"]) a_.target_molecular_weight = molecular_weight(m["molecular_weight"], key + ".molecular_weight");
    if (m["synthesis"]) a_.target_given_as_synthesis = true;
    if (m["baseline"]) a_.target_given_as_synthesis = false;
    if (m["synthesis"] && m["baseline"]) doc_.fail(m, key, "give either 'baseline' or 'synthesis', not both");
    if (m["synthesis"]) a_.params.erase("target.baseline");
    if (m["baseline"]) a_.params.erase("target.synthesis");
    origins_["target"] = doc_.origin(m, key);
  }

  void soluble_antigen(const YAML::Node& m, const std::string& key) {
    params(m, key, "soluble_antigen", {"baseline", "kdeg", "kon", "koff", "complex_elimination"},
           {"molecular_weight", "name"});
    if (m["molecular_weight"])
      a_.soluble_antigen_molecular_weight = molecular_weight(m["molecular_weight"], key + ".molecular_weight");
    a_.soluble_antigen = true;
    origins_["soluble_antigen"] = doc_.origin(m, key);
  }

  void dar(const YAML::Node& m, const std::string& key) {
    params(m, key, "dar", {"deconjugation"}, {"distribution", "source"});
    if (library_ && m["distribution"] && !m["source"]) doc_.fail(m, key, "library values must name their 'source'");
    if (m["distribution"]) {
      const YAML::Node d = m["distribution"];
      const std::string dk = key + ".distribution";
      doc_.require_map(d, dk);
      a_.dar_initial.clear();
      double sum = 0.0;
      for (const auto& kv : d) {
        const std::string nk = join_key(dk, kv.first.Scalar());
        const long n = doc_.integer(kv.first, nk);
        if (n < 0 || n > 32) doc_.fail(kv.first, nk, "a DAR must be a whole number from 0 to 32");
        const double f = doc_.number(kv.second, nk);
        if (!(f >= 0.0 && f <= 1.0)) doc_.fail(kv.second, nk, "a fraction must be between 0 and 1");
        a_.dar_initial[static_cast<int>(n)] = f;
        sum += f;
      }
      if (d.size() == 0 || std::abs(sum - 1.0) > 1e-6)
        doc_.fail(d, dk, fmt::format("fractions must add up to 1 (they add up to {:.6g})", sum));
    }
    a_.dar = true;
    origins_["dar"] = doc_.origin(m, key);
  }

  void payload(const YAML::Node& m, const std::string& key) {
    params(m, key, "payload", {"CL", "V1", "Q", "V2", "release_on_catabolism"},
           {"name", "molecular_weight", "compartments"});
    if (m["name"]) a_.payload_name = doc_.text(m["name"], key + ".name");
    if (m["molecular_weight"]) a_.payload_molecular_weight = molecular_weight(m["molecular_weight"], key + ".molecular_weight");
    if (m["compartments"]) {
      const long c = doc_.integer(m["compartments"], key + ".compartments");
      if (c != 1 && c != 2) doc_.fail(m["compartments"], key + ".compartments", "must be 1 or 2");
      a_.payload_compartments = static_cast<int>(c);
    }
    a_.payload = true;
    origins_["payload"] = doc_.origin(m, key);
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

  void effects(const YAML::Node& list, const std::string& key) {
    if (!list.IsSequence()) doc_.fail(list, key, "expected a list of effects");
    if (!library_) a_.effects.clear();  // an override's list replaces the library's
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

  void variability(const YAML::Node& list, const std::string& key) {
    if (!list.IsSequence()) doc_.fail(list, key, "expected a list of random effects");
    if (!library_) a_.random_effects.clear();
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

  void covariance(const YAML::Node& list, const std::string& key) {
    if (!list.IsSequence()) doc_.fail(list, key, "expected a list of covariances");
    if (!library_) a_.covariances.clear();
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
      if (library_ && !e["source"]) doc_.fail(e, ek, "library values must name their 'source'");
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
    else if (m["variance"]) a_.residual.sd = std::sqrt(std::max(0.0, doc_.number(m["variance"], key + ".variance")));
    else if (a_.residual.form != ResidualForm::kNone) doc_.fail(m, key, "needs 'sd' or 'variance'");
    if (!(a_.residual.sd >= 0)) doc_.fail(m, key, "a residual SD must be >= 0");
    if (m["source"]) a_.residual.source = doc_.text(m["source"], key + ".source");
    else if (library_) doc_.fail(m, key, "library values must name their 'source'");
  }

 public:
  std::map<std::string, Origin> origins_;

 private:
  AgentSpec& a_;
  const YamlDoc& doc_;
  bool library_;
};

}  // namespace

AgentSpec read_agent_file(const std::string& path) {
  YAML::Node root = load_yaml_file(path);
  YamlDoc doc(path);
  AgentSpec a;
  a.file = path;
  AgentReader r(a, doc, true);
  r.read(root, "");
  a.feature_origin = r.origins_;
  a.feature_origin["file"] = Origin{path, 1, ""};
  if (a.id.empty()) doc.fail(root, "id", "missing 'id'");
  return a;
}

AgentSpec read_scenario_agent(const YAML::Node& node, const YamlDoc& scenario) {
  AgentSpec a;
  if (node.IsMap() && node["file"]) {
    // An agent of the user's own, in a file beside the scenario.
    if (node["base"]) scenario.fail(node, "agent", "give either 'base' (a library id) or 'file', not both");
    fs::path path = scenario.text(node["file"], "agent.file");
    if (path.is_relative()) path = fs::path(scenario.file()).parent_path() / path;
    if (!fs::exists(path)) scenario.fail(node["file"], "agent.file", fmt::format("no such file: {}", path.string()));
    a = read_agent_file(path.string());
  } else {
    if (node.IsMap() && !node["base"])
      scenario.fail(node, "agent", "an agent mapping needs 'base: ID' (a library agent) or 'file: PATH'");
    // (yaml-cpp assignment would overwrite the node itself, so pick the node at construction.)
    const YAML::Node id_node = node.IsMap() ? node["base"] : node;
    const std::string key = node.IsMap() ? "agent.base" : "agent";
    const std::string id = scenario.text(id_node, key);
    const auto ids = library_agent_ids();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      const std::string hint = closest_match(id, ids);
      scenario.fail(id_node, key,
                    hint.empty() ? fmt::format("unknown agent '{}' (library: {})", id, fmt::join(ids, ", "))
                                 : fmt::format("unknown agent '{}' (did you mean '{}'?)", id, hint));
    }
    a = read_agent_file((fs::path(data_directory()) / "agents" / (id + ".yaml")).string());
  }
  if (node.IsMap()) {
    AgentReader r(a, scenario, false);
    r.read(node, "agent", {"base", "file"});
    for (const auto& [k, o] : r.origins_) a.feature_origin[k] = o;
  }
  return a;
}

void finalise_agent(AgentSpec& a) {
  const Origin& file = a.feature_origin["file"];
  auto missing = [&](const char* feature, const std::string& what) {
    const Origin o = a.feature_origin.count(feature) ? a.feature_origin[feature] : file;
    throw InputError(o.file, o.line, o.key, what);
  };
  auto require = [&](const char* feature, std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (!a.has(n)) missing(feature, fmt::format("missing parameter '{}'", n));
  };
  require("file", {"disposition.CL", "disposition.V1"});
  if (a.compartments == 2) require("file", {"disposition.Q", "disposition.V2"});
  if (a.time_varying_clearance)
    require("clearance_change", {"disposition.clearance_change.Imax", "disposition.clearance_change.T50",
                                 "disposition.clearance_change.gamma"});
  if (a.tmdd != TmddMode::kNone) {
    require("target", {"target.kint", "target.kdeg"});
    if (!a.has("target.baseline") && !a.has("target.synthesis"))
      missing("target", "the target needs 'baseline' or 'synthesis'");
    if (a.tmdd == TmddMode::kFull) require("target", {"target.kon", "target.koff"});
    if (a.tmdd == TmddMode::kQss) require("target", {"target.Kss"});
  }
  if (a.soluble_antigen) {
    require("soluble_antigen", {"soluble_antigen.baseline", "soluble_antigen.kdeg", "soluble_antigen.kon",
                                "soluble_antigen.koff", "soluble_antigen.complex_elimination"});
    if (!(a.soluble_antigen_molecular_weight > 0)) missing("soluble_antigen", "missing 'molecular_weight' of the soluble antigen");
  }
  if (a.dar && a.dar_initial.empty()) missing("dar", "missing 'distribution' of DAR values");
  if (a.payload) {
    require("payload", {"payload.CL", "payload.V1"});
    if (a.payload_compartments == 2) require("payload", {"payload.Q", "payload.V2"});
    if (!(a.payload_molecular_weight > 0)) missing("payload", "missing 'molecular_weight' of the payload");
    if (!a.dar) missing("payload", "a payload needs a 'dar' section (how many payloads each antibody carries)");
  }
  if (a.payload && !a.has("payload.release_on_catabolism")) {
    ParamSpec p;
    p.name = "payload.release_on_catabolism";
    p.written = parse_quantity("1");
    p.source = "default: all payload on catabolised conjugate is released";
    p.origin = a.feature_origin["payload"];
    a.params[p.name] = p;
  }
  // Parameters of features that are off are dropped, so they cannot be used by accident.
  for (auto it = a.params.begin(); it != a.params.end();) {
    const std::string& n = it->first;
    const bool off = (n.rfind("target.", 0) == 0 && a.tmdd == TmddMode::kNone) ||
                     (n.rfind("soluble_antigen.", 0) == 0 && !a.soluble_antigen) ||
                     (n.rfind("payload.", 0) == 0 && !a.payload) || (n.rfind("dar.", 0) == 0 && !a.dar) ||
                     (n.rfind("disposition.clearance_change.", 0) == 0 && !a.time_varying_clearance) ||
                     ((n == "disposition.Q" || n == "disposition.V2") && a.compartments == 1) ||
                     ((n == "payload.Q" || n == "payload.V2") && a.payload_compartments == 1);
    it = off ? a.params.erase(it) : std::next(it);
  }
  for (auto& [name, p] : a.params) {
    const ParamDef* def = find_param_def(name);
    double mw = a.molecular_weight;
    if (name.rfind("target.", 0) == 0 && a.target_molecular_weight > 0) mw = a.target_molecular_weight;
    if (name.rfind("soluble_antigen.", 0) == 0) mw = a.soluble_antigen_molecular_weight;
    if (name.rfind("payload.", 0) == 0) mw = a.payload_molecular_weight;
    const Unit unit = parse_unit(def->engine_unit);
    if (!p.written.has_unit && !unit.dim.dimensionless())
      throw InputError(p.origin.file, p.origin.line, p.origin.key,
                       fmt::format("missing unit (expected a {}, e.g. '{}')", describe(unit.dim), def->engine_unit));
    try {
      p.value = convert(p.written, unit, mw);
    } catch (const std::invalid_argument& e) {
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
}

}  // namespace icsim
