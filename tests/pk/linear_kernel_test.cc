// The fused right-hand side for plain linear disposition must give what the module
// composition gives. Reference: the composed model on the same cohort. Tolerance:
// bitwise equality (same terms in the same order), for both solvers.
#include <gtest/gtest.h>

#include "model/build.h"
#include "pk/linear_kernel.h"
#include "support.h"
#include "trial/simulate_patient.h"

namespace icsim {
namespace {

const char* kScenario =
    "name: kernel\nagent: belantamab-mafodotin\npatient: {weight: 64 kg, bmi: 27 kg/m2}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d, patients: 25, variability: true, seed: 5}\n";

test::CollectingSink run_with(bool fused, SolverKind kind) {
  Scenario s = test::scenario_from_text(fused ? "kernel-fused" : "kernel-composed", kScenario);
  s.simulation.solver.fused_kernels = fused;
  s.simulation.solver.kind = kind;
  return test::run(s);
}

TEST(LinearKernel, AppliesOnlyToPlainLinearDisposition) {
  const Scenario s = test::scenario_from_text("kernel-applies", kScenario);
  const IndividualModel individual(s.agent);
  EXPECT_TRUE(LinearDispositionKernel::applies(build_model(s.agent, individual, false)));
  // accumulators need the modules
  EXPECT_FALSE(LinearDispositionKernel::applies(build_model(s.agent, individual, true)));
}

TEST(LinearKernel, SameResultsAsTheComposedModules) {
  for (SolverKind kind : {SolverKind::kExplicit, SolverKind::kCvode}) {
    const auto fused = run_with(true, kind), composed = run_with(false, kind);
    ASSERT_EQ(fused.patients.size(), composed.patients.size());
    for (size_t i = 0; i < fused.patients.size(); ++i) {
      EXPECT_EQ(fused.patients[i].series, composed.patients[i].series);
      const auto f = test::intervals(fused.patients[i]), c = test::intervals(composed.patients[i]);
      ASSERT_EQ(f.size(), c.size());
      for (size_t k = 0; k < f.size(); ++k) EXPECT_EQ(f[k].auc, c[k].auc);
    }
  }
}

}  // namespace
}  // namespace icsim
