// Every model parameter an agent or a scenario's disease can set, gathered from the registered mechanisms
// (src/model/registry.cc): its dotted name, engine unit and bounds.
#pragma once

#include <string>
#include <vector>

namespace icsim {

enum class Bound { kAny, kPositive, kNonNegative, kFraction };

struct ParamDef {
  std::string name;         // dotted path as written in agent files ("disposition.CL")
  const char* engine_unit;  // unit the value is stored in (include/icsim/units.h)
  Bound bound;
  const char* doc;
  const class Mechanism* mechanism;  // the slice that declares it
};

const std::vector<ParamDef>& parameter_defs();
// The parameters of named members (src/model/mechanism.h), one per parameter, named
// with "*" for the member: "disease.clones.*.antigen".
const std::vector<ParamDef>& member_parameter_defs();
const ParamDef* find_param_def(const std::string& name);
// Empty when the value is allowed, else why not ("must be > 0").
std::string check_bound(Bound b, double v);
const char* to_string(Bound b);

}  // namespace icsim
