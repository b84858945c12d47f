// What an agent's model is made of, as parsed from its library entry and the
// scenario's overrides, every value in engine units (include/icsim/units.h).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/quantity.h"

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

struct MechanismOptions;

// The options of one switched-on mechanism, copied with the agent.
class OptionsBox {
 public:
  OptionsBox() = default;
  explicit OptionsBox(std::unique_ptr<MechanismOptions> o);
  OptionsBox(const OptionsBox& o);
  OptionsBox& operator=(const OptionsBox& o);
  OptionsBox(OptionsBox&&) noexcept = default;
  OptionsBox& operator=(OptionsBox&&) noexcept = default;
  ~OptionsBox();
  MechanismOptions* get() const { return p_.get(); }

 private:
  std::unique_ptr<MechanismOptions> p_;
};

struct AgentSpec {
  std::string id, name, agent_class, target_name, file;
  double molecular_weight = 150000.0;  // g/mol of the conjugate
  // The mechanisms the agent's file switches on, by section (src/model/registry.cc).
  std::map<std::string, OptionsBox> mechanisms;
  std::map<std::string, ParamSpec> params;  // by dotted name
  Covariates covariate_reference;  // the model's reference patient
  std::vector<CovariateEffectSpec> effects;
  std::vector<RandomEffectSpec> random_effects;
  std::vector<CovarianceSpec> covariances;
  ResidualErrorSpec residual;
  std::map<std::string, Origin> feature_origin;  // where each section was written

  bool has(const std::string& p) const { return params.count(p) > 0; }
  double value(const std::string& p) const { return params.at(p).value; }
  bool has_mechanism(const std::string& section) const { return mechanisms.count(section) > 0; }
  // The options of a switched-on mechanism, or nullptr.
  template <class T>
  const T* options(const std::string& section) const {
    auto it = mechanisms.find(section);
    return it == mechanisms.end() ? nullptr : static_cast<const T*>(it->second.get());
  }
  template <class T>
  T* mutable_options(const std::string& section) {
    auto it = mechanisms.find(section);
    return it == mechanisms.end() ? nullptr : static_cast<T*>(it->second.get());
  }
};

}  // namespace icsim
