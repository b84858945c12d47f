#include "population/individual.h"

#include <cmath>

#include <fmt/format.h>

#include "icsim/error.h"
#include "model/parameter_defs.h"
#include "population/covariates.h"

namespace icsim {

IndividualModel::IndividualModel(const AgentSpec& agent) {
  std::unordered_map<std::string, int> idx;
  for (const auto& [name, ps] : agent.params) {
    idx[name] = static_cast<int>(names_.size());
    names_.push_back(name);
    values_.push_back(ps.value);
    const ParamDef* def = find_param_def(name);
    bound_.push_back(static_cast<int>(def ? def->bound : Bound::kAny));
  }
  auto param_of = [&](const std::string& name, const Origin& o) {
    auto it = idx.find(name);
    if (it == idx.end())
      throw InputError(o.file, o.line, o.key, fmt::format("parameter '{}' is not set for this agent", name));
    return it->second;
  };
  reference_ = agent.covariate_reference;
  for (const auto& e : agent.effects) {
    if (e.form != EffectForm::kFactor && !reference_.values.count(e.covariate))
      throw InputError(e.origin.file, e.origin.line, e.origin.key,
                       fmt::format("covariate '{}' needs a reference value under 'covariates'", e.covariate));
    effects_.push_back({param_of(e.parameter, e.origin), e.covariate, e.form, e.coefficient, e.level, e.origin});
  }

  const int n = static_cast<int>(agent.random_effects.size());
  std::unordered_map<std::string, int> re_index;
  Eigen::MatrixXd omega = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    const auto& r = agent.random_effects[i];
    re_param_.push_back(param_of(r.parameter, r.origin));
    re_form_.push_back(r.form);
    re_names_.push_back(r.parameter);
    if (re_index.count(r.parameter))
      throw InputError(r.origin.file, r.origin.line, r.origin.key,
                       fmt::format("'{}' has more than one random effect", r.parameter));
    re_index[r.parameter] = i;
    omega(i, i) = r.variance;
  }
  for (const auto& c : agent.covariances) {
    auto a = re_index.find(c.first), b = re_index.find(c.second);
    if (a == re_index.end() || b == re_index.end())
      throw InputError(c.origin.file, c.origin.line, c.origin.key,
                       "a covariance names a parameter without a random effect");
    omega(a->second, b->second) = omega(b->second, a->second) = c.covariance;
  }
  if (n > 0) {
    // A variance of 0 fixes its random effect (the usual way to switch one off): it
    // takes no part in the factorisation, and its covariances must be 0.
    std::vector<int> free;
    for (int i = 0; i < n; ++i) {
      if (omega(i, i) > 0) {
        free.push_back(i);
        continue;
      }
      for (const auto& c : agent.covariances)
        if ((c.first == re_names_[i] || c.second == re_names_[i]) && c.covariance != 0)
          throw InputError(c.origin.file, c.origin.line, c.origin.key,
                           fmt::format("a covariance with {}, whose variance is 0 (a fixed effect), must be 0",
                                       re_names_[i]));
    }
    // A correlation outside [-1, 1] is the usual cause of a matrix that cannot be
    // factorised: name the covariance that makes it.
    for (const auto& c : agent.covariances) {
      const int a = re_index.at(c.first), b = re_index.at(c.second);
      const double r = c.covariance / std::sqrt(omega(a, a) * omega(b, b));
      if (omega(a, a) > 0 && omega(b, b) > 0 && !(std::abs(r) < 1))
        throw InputError(c.origin.file, c.origin.line, c.origin.key,
                         fmt::format("the covariance of {} and {} ({:g}) makes their correlation {:.4g}; it must be "
                                     "between -1 and 1 (|covariance| < sqrt of the product of the variances, {:.4g})",
                                     c.first, c.second, c.covariance, r, std::sqrt(omega(a, a) * omega(b, b))));
    }
    const int m = static_cast<int>(free.size());
    Eigen::MatrixXd sub(m, m);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) sub(i, j) = omega(free[i], free[j]);
    Eigen::LLT<Eigen::MatrixXd> llt(sub);
    if (llt.info() != Eigen::Success) {
      // Blame the user's most recent covariance (an override's come last), else the first effect.
      const Origin& o = agent.covariances.empty() ? agent.random_effects.front().origin : agent.covariances.back().origin;
      throw InputError(o.file, o.line, agent.covariances.empty() ? "variability" : o.key,
                       "the random-effect covariance matrix is not positive definite (the correlations together "
                       "are impossible)");
    }
    const Eigen::MatrixXd l = llt.matrixL();
    chol_ = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < m; ++j) chol_(free[i], free[j]) = l(i, j);
  }
}

std::unordered_map<std::string, int> IndividualModel::index() const {
  std::unordered_map<std::string, int> m;
  for (size_t i = 0; i < names_.size(); ++i) m[names_[i]] = static_cast<int>(i);
  return m;
}

double IndividualModel::factor(const Effect& e, const Covariates& c) const {
  auto missing = [&] {
    return InputError(e.origin.file, e.origin.line, e.origin.key,
                      fmt::format("covariate '{}' has no value for this patient and no reference", e.covariate));
  };
  if (e.form == EffectForm::kFactor) {
    auto it = c.levels.find(e.covariate);
    if (it == c.levels.end()) throw missing();
    return it->second == e.level ? e.coefficient : 1.0;
  }
  auto it = c.values.find(e.covariate);
  if (it == c.values.end()) throw missing();
  const double x = it->second, ref = reference_.values.at(e.covariate);
  switch (e.form) {
    case EffectForm::kPower: return std::pow(x / ref, e.coefficient);
    case EffectForm::kExponential: return std::exp(e.coefficient * (x - ref));
    case EffectForm::kLinear: return 1.0 + e.coefficient * (x - ref);
    case EffectForm::kFactor: break;
  }
  return 1.0;
}

std::vector<double> IndividualModel::typical(const Covariates& c) const {
  std::vector<double> p = values_;
  for (const auto& e : effects_) p[e.param] *= factor(e, c);
  return p;
}

void IndividualModel::check_typical(const Covariates& c, const std::vector<double>& typical,
                                    const std::map<std::string, Origin>& param_origin) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    const Bound b = static_cast<Bound>(bound_[i]);
    const std::string why = check_bound(b, typical[i]);
    if (why.empty()) continue;
    const ParamDef* def = find_param_def(names_[i]);
    const std::string unit = def ? std::string(" ") + def->engine_unit : "";
    // Replay the effects on this parameter: blame the first that takes it out of bounds.
    double v = values_[i];
    for (const auto& e : effects_) {
      if (e.param != static_cast<int>(i)) continue;
      const double f = factor(e, c), before = v;
      v *= f;
      if (!check_bound(b, before).empty() || check_bound(b, v).empty()) continue;
      std::string x;
      if (e.form == EffectForm::kFactor) {
        x = fmt::format("{} {}", e.covariate, c.levels.at(e.covariate));
      } else {
        const CovariateDef* cd = find_covariate(e.covariate);
        const std::string cu = cd && *cd->unit ? std::string(" ") + cd->unit : "";
        x = fmt::format("{} {:.6g}{}, reference {:.6g}{}", e.covariate, c.values.at(e.covariate), cu,
                        reference_.values.at(e.covariate), cu);
      }
      throw InputError(e.origin.file, e.origin.line, e.origin.key,
                       fmt::format("this covariate effect makes the typical {} {:.6g}{} for the scenario's patient "
                                   "({}: a factor of {:.6g} on {:.6g}{}); {} {}",
                                   names_[i], typical[i], unit, x, f, before, unit, names_[i], why));
    }
    auto it = param_origin.find(names_[i]);
    const Origin o = it == param_origin.end() ? Origin{} : it->second;
    throw InputError(o.file, o.line, o.key.empty() ? names_[i] : o.key,
                     fmt::format("the typical {} is {:.6g}{} for the scenario's patient; it {}", names_[i], typical[i],
                                 unit, why));
  }
}

std::string IndividualModel::individualise(const std::vector<double>& typical, RandomStream* rng, double* p,
                                           double* eta) const {
  const int n = static_cast<int>(typical.size());
  for (int i = 0; i < n; ++i) p[i] = typical[i];
  const int m = random_effect_count();
  if (rng && m > 0) {
    Eigen::VectorXd z(m);
    for (int i = 0; i < m; ++i) z[i] = rng->normal();
    Eigen::VectorXd e = chol_ * z;
    for (int i = 0; i < m; ++i) {
      eta[i] = e[i];
      double& v = p[re_param_[i]];
      v = re_form_[i] == RandomEffectForm::kLogNormal ? v * std::exp(e[i]) : v + e[i];
    }
  } else {
    for (int i = 0; i < m; ++i) eta[i] = 0.0;
  }
  for (int i = 0; i < n; ++i) {
    std::string why = check_bound(static_cast<Bound>(bound_[i]), p[i]);
    if (!why.empty()) return fmt::format("individual {} = {:.6g} {}", names_[i], p[i], why);
  }
  return "";
}

}  // namespace icsim
