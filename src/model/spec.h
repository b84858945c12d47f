// What an agent's model is made of, as parsed from its library entry and the
// scenario's overrides, every value in engine units (include/icsim/units.h).
#pragma once

#include <map>

#include "core/quantity.h"
#include <optional>
#include <string>
#include <vector>

namespace icsim {

// Where a value was written, for error messages.
struct Origin {
  std::string file;
  int line = 0;
  std::string key;
};

// One scalar model parameter. `name` is its dotted path ("disposition.CL").
struct ParamSpec {
  std::string name;
  Quantity written;  // as read; converted to `value` once the agent is complete
  double value = 0.0;
  std::string source;  // literature source, required in library entries
  Origin origin;
};

// Patient covariates: continuous ones in the unit their definition names
// (src/population/covariates.h), categorical ones as a level.
struct Covariates {
  std::map<std::string, double> values;
  std::map<std::string, std::string> levels;
};

enum class EffectForm { kPower, kExponential, kLinear, kFactor };

// Covariate effect on a parameter:
//   power        (x / ref)^c
//   exponential  exp(c * (x - ref))
//   linear       1 + c * (x - ref)
//   factor       c if the categorical covariate equals `level`, else 1
struct CovariateEffectSpec {
  std::string parameter;
  std::string covariate;
  EffectForm form = EffectForm::kPower;
  double coefficient = 0.0;
  std::string level;
  std::string source;
  Origin origin;
};

enum class RandomEffectForm { kLogNormal, kAdditive };

struct RandomEffectSpec {
  std::string parameter;
  RandomEffectForm form = RandomEffectForm::kLogNormal;
  double variance = 0.0;
  std::string source;
  Origin origin;
};

struct CovarianceSpec {
  std::string first, second;
  double covariance = 0.0;
  Origin origin;
};

enum class ResidualForm { kNone, kProportional, kAdditive, kLogAdditive };

struct ResidualErrorSpec {
  ResidualForm form = ResidualForm::kNone;
  double sd = 0.0;  // proportional: fraction; additive: ug/mL; log-additive: SD on ln scale
  std::string source;
};

enum class TmddMode { kNone, kFull, kQss };

struct AgentSpec {
  std::string id, name, agent_class, target_name, file;
  double molecular_weight = 150000.0;  // g/mol
  double target_molecular_weight = 0.0;  // g/mol; 0: concentrations in conjugate equivalents
  int compartments = 2;
  bool time_varying_clearance = false;
  TmddMode tmdd = TmddMode::kNone;
  bool target_given_as_synthesis = false;
  bool soluble_antigen = false;
  double soluble_antigen_molecular_weight = 0.0;  // g/mol
  bool dar = false;
  std::map<int, double> dar_initial;  // DAR value -> fraction of antibody
  bool payload = false;
  std::string payload_name;
  int payload_compartments = 1;
  double payload_molecular_weight = 0.0;
  std::map<std::string, ParamSpec> params;  // by dotted name
  Covariates covariate_reference;  // the model's reference patient
  std::vector<CovariateEffectSpec> effects;
  std::vector<RandomEffectSpec> random_effects;
  std::vector<CovarianceSpec> covariances;
  ResidualErrorSpec residual;
  std::map<std::string, Origin> feature_origin;  // where each section was written

  bool has(const std::string& p) const { return params.count(p) > 0; }
  double value(const std::string& p) const { return params.at(p).value; }
};

}  // namespace icsim
