// The explicit Dormand-Prince path and CVODE BDF must agree wherever both apply,
// and `auto` must pick BDF when binding is fast (kon*R0 = 10,000 /day here). Reference: each other at tight
// tolerance (rtol 1e-10). Tolerance: 1e-7 relative, far above both solvers' error.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>

#include <fmt/format.h>

#include "support.h"

namespace icsim {
namespace {

test::CollectingSink run_with(const std::string& agent, const std::string& solver, const std::string& extra = "") {
  const std::string text = fmt::format(
      "name: agreement\nagent: {}\npatient: {{weight: 82 kg, bmi: 27 kg/m2, albumin: 36 g/L}}\n"
      "regimen: {{dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}}\n"
      "simulation: {{until: 168 d, output_every: 0.5 d, patients: 20, variability: true, seed: 7, "
      "solver: {}, rtol: 1e-10, atol: 1e-12 nmol{}}}\n",
      agent, solver, extra);
  return test::run(test::scenario_from_text("agreement-" + solver, text));
}

TEST(SolverAgreement, ExplicitAndBdfAgreeOnBelantamabCohort) {
  const auto a = run_with("belantamab-mafodotin", "explicit");
  const auto b = run_with("belantamab-mafodotin", "cvode");
  EXPECT_EQ(a.info.solver, "dopri5");
  EXPECT_EQ(b.info.solver, "cvode-bdf");
  ASSERT_EQ(a.patients.size(), b.patients.size());
  double worst = 0;
  for (size_t p = 0; p < a.patients.size(); ++p) {
    ASSERT_TRUE(a.patients[p].ok && b.patients[p].ok);
    ASSERT_EQ(a.patients[p].series.size(), b.patients[p].series.size());
    for (size_t i = 0; i < a.patients[p].series.size(); ++i) {
      const double x = a.patients[p].series[i], y = b.patients[p].series[i];
      if (y > 1e-9) worst = std::max(worst, std::abs(x / y - 1));
    }
    const auto ia = test::intervals(a.patients[p]), ib = test::intervals(b.patients[p]);
    for (size_t k = 0; k < ia.size(); ++k) EXPECT_NEAR(ia[k].auc, ib[k].auc, 1e-7 * ib[k].auc);
  }
  std::printf("[measured] explicit vs BDF, 20 patients: max relative difference %.2e\n", worst);
  EXPECT_LT(worst, 1e-7);
}

TEST(SolverAgreement, AutoPicksExplicitForLinearAndBdfForStiffBinding) {
  EXPECT_EQ(run_with("belantamab-mafodotin", "auto").info.solver, "dopri5");
  const std::string full = fmt::format("{{file: {}, target: {{model: full}}}}", test::test_data("agents/tmdd-qss.yaml"));
  const std::string text = fmt::format(
      "name: auto\nagent: {}\nregimen: {{dose: 100 mg}}\nsimulation: {{until: 10 d}}\n", full);
  EXPECT_EQ(test::run(test::scenario_from_text("auto", text)).info.solver, "cvode-bdf");
}

}  // namespace
}  // namespace icsim
