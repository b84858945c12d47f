// Individual parameters: typical values, covariate effects and between-patient
// random effects with a full covariance block.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <Eigen/Dense>

#include "core/random.h"
#include "model/spec.h"

namespace icsim {

class IndividualModel {
 public:
  // Throws InputError when the random-effect covariance is not positive definite or
  // an effect names a parameter the agent lacks.
  explicit IndividualModel(const AgentSpec& agent);

  int size() const { return static_cast<int>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }
  std::unordered_map<std::string, int> index() const;
  int random_effect_count() const { return static_cast<int>(re_param_.size()); }
  const std::vector<std::string>& random_effect_names() const { return re_names_; }

  // Typical values (engine units) for a patient with these covariates.
  // Throws InputError when an effect's covariate has no value.
  std::vector<double> typical(const Covariates& c) const;

  // Throws InputError when a typical value (from typical(c)) is outside its
  // parameter's bound, naming the covariate effect that took it out (or, if none
  // did, the parameter) with the value: an impossible patient is an input error,
  // found before any patient is simulated.
  void check_typical(const Covariates& c, const std::vector<double>& typical,
                     const std::map<std::string, Origin>& param_origin) const;

  // p = typical with random effects drawn from rng (none when rng is null);
  // eta receives the draws. Returns why the patient's parameters are impossible,
  // or "" when they are fine.
  std::string individualise(const std::vector<double>& typical, RandomStream* rng, double* p,
                            double* eta) const;

 private:
  struct Effect;
  double factor(const Effect& e, const Covariates& c) const;
  struct Effect {
    int param;
    std::string covariate;
    EffectForm form;
    double coefficient;
    std::string level;
    Origin origin;
  };
  std::vector<std::string> names_;
  std::vector<double> values_;
  std::vector<Effect> effects_;
  std::vector<int> re_param_;
  std::vector<RandomEffectForm> re_form_;
  std::vector<std::string> re_names_;
  Eigen::MatrixXd chol_;  // lower Cholesky factor of the covariance
  std::vector<int> bound_;  // Bound per parameter
  Covariates reference_;
};

}  // namespace icsim
