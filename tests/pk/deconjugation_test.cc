// Deconjugation against the closed form: with every payload lost at rate k and
// elimination independent of DAR, a dose of DAR N keeps an average DAR of
// N*exp(-k t), and the fraction of antibody still conjugated is 1 - (1 - exp(-k t))^N
// (each payload survives independently; binomial). A bolus, so every antibody has
// the same age. Tolerance: 1e-7 relative.
#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

#include "support.h"

namespace icsim {
namespace {

TEST(Deconjugation, AverageDarAndConjugatedFractionFollowClosedForm) {
  const std::string text = fmt::format(
      "name: dar\nagent: {{file: {}}}\nregimen: {{dose: 300 mg}}\n"
      "simulation: {{until: 28 d, output_every: 1 d, rtol: 1e-11, atol: 1e-15 nmol}}\n",
      test::test_data("agents/adc-dar.yaml"));
  const auto sink = test::run(test::scenario_from_text("dar", text));
  ASSERT_TRUE(sink.patients[0].ok);
  const double k = 0.15;
  for (size_t i = 1; i < sink.info.times.size(); ++i) {
    const double t = sink.info.times[i];
    EXPECT_NEAR(sink.at(0, i, "plasma_average_dar"), 8 * std::exp(-k * t), 1e-7 * 8 * std::exp(-k * t)) << t;
    const double conjugated = 1 - std::pow(1 - std::exp(-k * t), 8);
    EXPECT_NEAR(sink.at(0, i, "plasma_conjugated_ug_per_mL") / sink.at(0, i, "plasma_total_ug_per_mL"), conjugated,
                1e-7)
        << t;
  }
}

TEST(Deconjugation, NoLossKeepsDarConstant) {
  const std::string text = fmt::format(
      "name: dar0\nagent: {{file: {}, dar: {{deconjugation: 0 /day}}}}\nregimen: {{dose: 300 mg}}\n"
      "simulation: {{until: 10 d}}\n",
      test::test_data("agents/adc-dar.yaml"));
  const auto sink = test::run(test::scenario_from_text("dar0", text));
  // With no loss only the DAR-8 species is simulated.
  EXPECT_EQ(sink.column("plasma_average_dar"), -1);
  EXPECT_TRUE(sink.patients[0].ok);
}

}  // namespace
}  // namespace icsim
