// Covariate effects against hand calculation from Papathanasiou 2025 Table 2, and
// random effects against their covariance: the sample covariance of 20,000 draws
// lies within 5 standard errors of the model's (SE of a variance ~ sqrt(2/n) * var).
#include <gtest/gtest.h>

#include <cmath>

#include <Eigen/Dense>

#include "io/agent_reader.h"
#include "population/covariates.h"
#include "population/individual.h"
#include "support.h"

namespace icsim {
namespace {

AgentSpec belantamab() {
  AgentSpec a = read_agent_file(data_directory() + "/agents/belantamab-mafodotin.yaml");
  finalise_agent(a);
  return a;
}

TEST(Individual, CovariateEffectsMatchHandCalculation) {
  const AgentSpec a = belantamab();
  const IndividualModel m(a);
  Covariates given;
  given.values = {{"weight", 60}, {"albumin", 35}, {"igg", 30}, {"sbcma", 200}, {"bmi", 22}};
  given.levels = {{"race", "asian"}, {"combination", "true"}};
  const auto p = m.typical(complete_covariates(given, a.covariate_reference, BsaFormula::kDuBois));
  const auto idx = m.index();
  const double cl = 0.926 * std::pow(60 / 75.0, 0.542) * std::pow(35 / 40.0, -0.698) * std::pow(200 / 50.0, 0.113) *
                    std::pow(30 / 15.0, 0.170) * 0.913;
  const double v1 = 4.21 * std::pow(60 / 75.0, 0.929) * std::pow(35 / 40.0, -0.302) * std::pow(22 / 27.0, -0.459) *
                    std::pow(200 / 50.0, 0.0401);
  const double imax = -0.403 * 1.44 * std::pow(30 / 15.0, 0.192) * std::pow(200 / 50.0, 0.160);
  EXPECT_NEAR(p[idx.at("disposition.CL")], cl, 1e-12);
  EXPECT_NEAR(p[idx.at("disposition.V1")], v1, 1e-12);
  EXPECT_NEAR(p[idx.at("disposition.V2")], 6.63 * std::pow(60 / 75.0, 0.929) * std::pow(35 / 40.0, 0.567), 1e-12);
  EXPECT_NEAR(p[idx.at("disposition.clearance_change.Imax")], imax, 1e-12);
  // The reference patient gets the typical values.
  const auto ref = m.typical(complete_covariates({}, a.covariate_reference, BsaFormula::kDuBois));
  EXPECT_DOUBLE_EQ(ref[idx.at("disposition.CL")], 0.926);
  EXPECT_DOUBLE_EQ(ref[idx.at("disposition.clearance_change.T50")], 66.4);
}

TEST(Individual, RandomEffectsHaveTheModelCovariance) {
  const AgentSpec a = belantamab();
  const IndividualModel m(a);
  const auto typical = m.typical(complete_covariates({}, a.covariate_reference, BsaFormula::kDuBois));
  const int n = 20000, k = m.random_effect_count();
  ASSERT_EQ(k, 6);
  Eigen::MatrixXd eta(n, k);
  std::vector<double> p(m.size()), e(k);
  for (int i = 0; i < n; ++i) {
    RandomStream rng(42, i);
    ASSERT_EQ(m.individualise(typical, &rng, p.data(), e.data()), "");
    for (int j = 0; j < k; ++j) eta(i, j) = e[j];
  }
  const Eigen::MatrixXd centred = eta.rowwise() - eta.colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred / (n - 1);
  const double omega[] = {0.06593, 0.03922, 0.03546, 0.08945, 0.01366, 0.39236};
  for (int j = 0; j < k; ++j) EXPECT_NEAR(cov(j, j), omega[j], 5 * std::sqrt(2.0 / n) * omega[j]) << j;
  // CL-V1 covariance 0.0328 (correlation 0.646); SE ~ sqrt((s11 s22 + s12^2)/n).
  const double se = std::sqrt((0.06593 * 0.03922 + 0.0328 * 0.0328) / n);
  EXPECT_NEAR(cov(0, 1), 0.0328, 5 * se);
  EXPECT_NEAR(cov(0, 2), 0.0, 5 * std::sqrt(0.06593 * 0.03546 / n));
}

TEST(Individual, SameStreamSameDraws) {
  RandomStream a(1, 17), b(1, 17), c(1, 18);
  const double x = a.normal();
  EXPECT_EQ(x, b.normal());
  EXPECT_NE(x, c.normal());
}

}  // namespace
}  // namespace icsim
