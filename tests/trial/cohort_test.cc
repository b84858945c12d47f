// Cohorts: the same seed gives identical results whatever the number of threads;
// one failed patient is reported and the rest of the cohort completes.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.h"

namespace icsim {
namespace {

const char* kCohort =
    "name: cohort\nagent: belantamab-mafodotin\nregimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 4}\n"
    "simulation: {until: 84 d, output_every: 1 d, patients: 300, variability: true, residual_error: true, seed: 11}\n";

TEST(Cohort, ThreadCountDoesNotChangeResults) {
  const Scenario s = test::scenario_from_text("cohort", kCohort);
  const auto one = test::run(s, 1);
  const auto two = test::run(s, 2);
  ASSERT_EQ(one.patients.size(), 300u);
  ASSERT_EQ(two.patients.size(), 300u);
  for (size_t i = 0; i < 300; ++i) {
    EXPECT_EQ(one.patients[i].index, static_cast<long>(i));
    EXPECT_EQ(one.patients[i].series, two.patients[i].series);  // bitwise equal
    EXPECT_EQ(one.patients[i].eta, two.patients[i].eta);
  }
  EXPECT_TRUE(one.info.observed);
  // Patients differ from one another and from the typical patient.
  EXPECT_NE(one.patients[0].params, one.patients[1].params);
}

TEST(Cohort, DifferentSeedsGiveDifferentPatients) {
  const auto a = test::run(test::scenario_from_text("seed-a", kCohort));
  const auto b = test::run(test::scenario_from_text("seed-b", kCohort, {"simulation.seed=12"}));
  EXPECT_NE(a.patients[0].eta, b.patients[0].eta);
}

TEST(Cohort, FailedPatientIsReportedAndOthersComplete) {
  // Stiff binding with the explicit solver and a step budget: patients with fast
  // binding exhaust the budget, the others finish.
  const std::string text = fmt::format(
      "name: failing\nagent: {{file: {}, target: {{model: full}}, variability: [{{parameter: target.kon, "
      "form: log-normal, variance: 4}}]}}\nregimen: {{dose: 20 mg}}\n"
      "simulation: {{until: 7 d, patients: 40, variability: true, seed: 3, solver: explicit, max_steps: 3000}}\n",
      test::test_data("agents/tmdd-qss.yaml"));
  const auto sink = test::run(test::scenario_from_text("failing", text));
  ASSERT_EQ(sink.patients.size(), 40u);
  int failed = 0;
  for (const auto& p : sink.patients) {
    if (p.ok) {
      EXPECT_EQ(p.series.size(), sink.info.times.size() * sink.info.columns.size());
      continue;
    }
    ++failed;
    EXPECT_NE(p.error.find("more than 3000 steps"), std::string::npos);
    EXPECT_GE(p.error_time_day, 0.0);
    EXPECT_LT(p.error_time_day, 7.0);
  }
  EXPECT_GT(failed, 0);
  EXPECT_LT(failed, 40);
}

TEST(Cohort, AutomaticSolverChoicePerPatientWithFallback) {
  // Typical binding rate kon*R0 = 100 /day (explicit); log-normal kon with variance 4
  // puts some patients far above PatientSimulator::kStiffRate (BDF). A step budget the
  // explicit method cannot meet for the stiffest makes BDF take over: every patient
  // completes, whichever integrator solved it.
  const std::string text = fmt::format(
      "name: auto\nagent: {{file: {}, target: {{model: full, kon: 10 /nM/day, koff: 10 /day}}, "
      "variability: [{{parameter: target.kon, form: log-normal, variance: 4}}]}}\nregimen: {{dose: 20 mg}}\n"
      "simulation: {{until: 7 d, patients: 40, variability: true, seed: 3, max_steps: 3000}}\n",
      test::test_data("agents/tmdd-qss.yaml"));
  const auto sink = test::run(test::scenario_from_text("auto-fallback", text));
  EXPECT_EQ(sink.info.solver, "dopri5");
  int bdf = 0;
  for (const auto& p : sink.patients) {
    EXPECT_TRUE(p.ok) << p.error;
    bdf += std::string(p.solver) == "cvode-bdf";
  }
  EXPECT_GT(bdf, 0);
  EXPECT_LT(bdf, 40);
}

}  // namespace
}  // namespace icsim
