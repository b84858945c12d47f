// Target-mediated disposition against independent references:
//  - QSS agrees with full TMDD when binding is fast (Gibiansky et al. 2008): the gap
//    shrinks in proportion to 1/kon at fixed Kss; tolerance 1e-3 at kon = 1000 /nM/day.
//  - With no target (baseline 0) and no soluble antigen, both reduce to the linear
//    2-compartment closed form; tolerance 1e-6.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>

#include <fmt/format.h>

#include "support.h"

namespace icsim {
namespace {

test::CollectingSink run_agent(const std::string& agent, const std::string& tag) {
  const std::string text = fmt::format(
      "name: tmdd\nagent: {}\nregimen: {{dose: 20 mg, infusion: 1 h, every: 7 d, doses: 3}}\n"
      "simulation: {{until: 42 d, output_every: 0.25 d, rtol: 1e-10, atol: 1e-14 nmol}}\n",
      agent);
  auto sink = test::run(test::scenario_from_text("tmdd-" + tag, text));
  EXPECT_TRUE(sink.patients.at(0).ok) << sink.patients.at(0).error;
  return sink;
}

double max_rel_gap(const test::CollectingSink& a, const test::CollectingSink& b, const std::string& col) {
  double worst = 0;
  for (size_t i = 0; i < a.info.times.size(); ++i) {
    const double x = a.at(0, i, col), y = b.at(0, i, col);
    if (y > 1e-6) worst = std::max(worst, std::abs(x / y - 1));
  }
  return worst;
}

TEST(Tmdd, QssApproachesFullModelAsBindingGetsFaster) {
  const std::string file = test::test_data("agents/tmdd-qss.yaml");
  auto full = [&](double kon) {
    return fmt::format("{{file: {}, target: {{model: full, kon: {} /nM/day, koff: {} /day}}}}", file, kon, kon);
  };
  auto qss = [&](double kon) {
    return fmt::format("{{file: {}, target: {{model: qss, Kss: {} nM}}}}", file, (kon + 2.0) / kon);
  };
  const double gap_fast = max_rel_gap(run_agent(full(1000), "full1000"), run_agent(qss(1000), "qss1000"),
                                      "plasma_total_ug_per_mL");
  const double gap_slow = max_rel_gap(run_agent(full(100), "full100"), run_agent(qss(100), "qss100"),
                                      "plasma_total_ug_per_mL");
  std::printf("[measured] QSS vs full TMDD max relative gap: kon 1000 %.2e, kon 100 %.2e\n", gap_fast, gap_slow);
  EXPECT_LT(gap_fast, 1e-3);
  EXPECT_LT(gap_fast, gap_slow / 5);  // first order in 1/kon
  // The target is depleted by the dose: the model is doing something nonlinear.
  const auto q = run_agent(qss(1000), "qss-target");
  EXPECT_LT(q.at(0, 4, "target_free_nM"), 0.5 * q.at(0, 0, "target_free_nM"));
}

TEST(Tmdd, NoTargetReducesToLinearDisposition) {
  const std::string file = test::test_data("agents/tmdd-qss.yaml");
  const auto linear = run_agent(fmt::format("{{file: {}, target: {{model: none}}}}", file), "none");
  const auto full0 = run_agent(fmt::format("{{file: {}, target: {{model: full, baseline: 0 nM}}}}", file), "full0");
  const auto qss0 = run_agent(fmt::format("{{file: {}, target: {{baseline: 0 nM}}}}", file), "qss0");
  EXPECT_LT(max_rel_gap(full0, linear, "plasma_total_ug_per_mL"), 1e-6);
  EXPECT_LT(max_rel_gap(qss0, linear, "plasma_total_ug_per_mL"), 1e-6);
  // A soluble antigen with no antigen is no sink either.
  const auto sag0 = run_agent(
      fmt::format("{{file: {}, target: {{model: none}}, soluble_antigen: {{molecular_weight: 6 kDa, baseline: 0 nM, "
                  "kdeg: 1 /day, kon: 10 /nM/day, koff: 1 /day, complex_elimination: 0.5 /day}}}}",
                  file),
      "sag0");
  EXPECT_LT(max_rel_gap(sag0, linear, "plasma_total_ug_per_mL"), 1e-6);
}

TEST(Tmdd, SolubleAntigenIsASink) {
  const std::string file = test::test_data("agents/tmdd-qss.yaml");
  const auto linear = run_agent(fmt::format("{{file: {}, target: {{model: none}}}}", file), "nosink");
  const auto sink = run_agent(
      fmt::format("{{file: {}, target: {{model: none}}, soluble_antigen: {{molecular_weight: 6 kDa, "
                  "baseline: 500 ng/mL, kdeg: 0.46 /h, kon: 10 /nM/day, koff: 1 /day, complex_elimination: 2 /day}}}}",
                  file),
      "sink");
  const auto a = test::intervals(linear.patients[0]).front();
  const auto b = test::intervals(sink.patients[0]).front();
  EXPECT_LT(b.auc, 0.95 * a.auc);  // faster elimination through the complex
  EXPECT_GT(sink.at(0, 1, "soluble_antigen_free_ng_per_mL"), 0.0);
  EXPECT_LT(sink.at(0, 1, "soluble_antigen_free_ng_per_mL"), 500.0);  // bound by the drug
}

}  // namespace
}  // namespace icsim
