#include "model/parameter_defs.h"

#include <cmath>

#include "model/mechanism.h"
#include "model/registry.h"

namespace icsim {

const std::vector<ParamDef>& parameter_defs() {
  static const std::vector<ParamDef> defs = [] {
    std::vector<ParamDef> out;
    for (const Mechanism* m : mechanisms())
      for (const ParamDecl& d : m->parameters())
        out.push_back({std::string(m->section()) + "." + d.name, d.engine_unit, d.bound, d.doc, m});
    return out;
  }();
  return defs;
}

const std::vector<ParamDef>& member_parameter_defs() {
  static const std::vector<ParamDef> defs = [] {
    std::vector<ParamDef> out;
    for (const Mechanism* m : mechanisms())
      if (m->member_list())
        for (const ParamDecl& d : m->member_parameters())
          out.push_back({std::string(m->section()) + "." + m->member_list() + ".*." + d.name, d.engine_unit, d.bound,
                         d.doc, m});
    return out;
  }();
  return defs;
}

const ParamDef* find_param_def(const std::string& name) {
  for (const auto& d : parameter_defs())
    if (name == d.name) return &d;
  // "section.list.member.param": the member's name is any single part.
  const size_t last = name.rfind('.');
  if (last == std::string::npos) return nullptr;
  const size_t member = name.rfind('.', last - 1);
  if (member == std::string::npos || member + 1 == last) return nullptr;
  const std::string pattern = name.substr(0, member) + ".*" + name.substr(last);
  for (const auto& d : member_parameter_defs())
    if (pattern == d.name) return &d;
  return nullptr;
}

std::string check_bound(Bound b, double v) {
  if (!std::isfinite(v)) return "must be a finite number";
  switch (b) {
    case Bound::kAny: return "";
    case Bound::kPositive: return v > 0.0 ? "" : "must be > 0";
    case Bound::kNonNegative: return v >= 0.0 ? "" : "must be >= 0";
    case Bound::kFraction: return (v >= 0.0 && v <= 1.0) ? "" : "must be between 0 and 1";
  }
  return "";
}

const char* to_string(Bound b) {
  switch (b) {
    case Bound::kAny: return "any";
    case Bound::kPositive: return "> 0";
    case Bound::kNonNegative: return ">= 0";
    case Bound::kFraction: return "0 to 1";
  }
  return "";
}

}  // namespace icsim
