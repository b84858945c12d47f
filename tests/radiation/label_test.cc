// The radiolabel (src/radiation/label.cc) against what is known without the model:
//  - a residualising label never leaves the body, so the body's activity is the
//    administered activity times exp(-lambda t) and its time integral
//    A0 (1 - exp(-lambda t)) / lambda, whatever the antibody does (to 1e-8 relative
//    at rtol 1e-10: round-off and the tolerance);
//  - the label is a tracer on the antibody: the plasma activity concentration is the
//    specific activity times the plasma antibody concentration times exp(-lambda t),
//    also under target-mediated disposition (to 1e-7: the 8 printed digits);
//  - antibody and label atoms are conserved (decayed label counted) to 1e-8;
//  - a non-residualising label leaves with the catabolites: the body keeps less;
//  - a dose given as activity is the antibody mass at the specific activity.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "io/agent_reader.h"
#include "radiation/label.h"
#include "radiation/nuclide.h"
#include "support.h"

namespace icsim {
namespace {

constexpr double kLn2 = 0.69314718055994531;

// 1850 MBq of 177Lu-daratumumab at 185 MBq/mg (10 mg): target-mediated disposition.
std::string lutetium(const std::string& label_extra = "", const std::string& dose = "1850 MBq") {
  return "name: label-test\n"
         "agent: {base: daratumumab, label: {nuclide: Lu-177, specific_activity: 185 MBq/mg" + label_extra + "}}\n"
         "patient: {weight: 75 kg}\n"
         "regimen: {dose: " + dose + "}\n"
         "simulation: {until: 42 d, output_every: 1 d, solver: cvode, rtol: 1e-10, atol: 1e-14 nmol}\n";
}

double lu177_lambda() { return radiation::NuclideLibrary::read_default().get("Lu-177").lambda_per_day; }

TEST(Label, ResidualisingLabelDecaysInTheBodyOnly) {
  const auto out = test::run(test::scenario_from_text("label-residual", lutetium()));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double a0 = 1850.0, lambda = lu177_lambda();
  double worst_activity = 0.0, worst_tia = 0.0;
  for (size_t row = 1; row < out.info.times.size(); ++row) {
    const double t = out.info.times[row];
    worst_activity = std::max(worst_activity, std::abs(out.at(0, row, "body_activity_MBq") / (a0 * std::exp(-lambda * t)) - 1));
    const double tia = a0 * (1 - std::exp(-lambda * t)) / lambda * 24.0;
    worst_tia = std::max(worst_tia, std::abs(out.at(0, row, "tia_body_MBq_h") / tia - 1));
  }
  std::printf("[measured] residualising 177Lu: body activity against A0 exp(-lambda t) %.2e, its integral %.2e "
              "(largest relative difference over 42 days)\n", worst_activity, worst_tia);
  EXPECT_LT(worst_activity, 1e-7);
  EXPECT_LT(worst_tia, 1e-7);
  // Most of it went where daratumumab is catabolised through its target: the test is
  // not satisfied by activity left in plasma.
  const size_t day7 = 7;
  EXPECT_GT(out.at(0, day7, "target_cells_activity_MBq"), 0.5 * out.at(0, day7, "body_activity_MBq"));
}

TEST(Label, PlasmaActivityIsSpecificActivityTimesConcentrationTimesDecay) {
  const auto out = test::run(test::scenario_from_text("label-tracer", lutetium()));
  ASSERT_TRUE(out.patients[0].ok);
  const double lambda = lu177_lambda();
  double worst = 0.0;
  for (size_t row = 1; row < out.info.times.size(); ++row) {
    const double c = out.at(0, row, "plasma_total_ug_per_mL");
    if (c < 1e-6) continue;  // printed with too few digits to compare
    const double expected = 185.0 * c * std::exp(-lambda * out.info.times[row]);  // kBq/mL
    worst = std::max(worst, std::abs(out.at(0, row, "plasma_activity_kBq_per_mL") / expected - 1));
  }
  std::printf("[measured] plasma activity against specific activity x concentration x decay (TMDD): %.2e\n", worst);
  EXPECT_LT(worst, 1e-7);
}

TEST(Label, NonResidualisingLabelLeavesWithTheCatabolites) {
  const auto kept = test::run(test::scenario_from_text("label-kept", lutetium()));
  const auto iodine = test::run(test::scenario_from_text("label-iodine", lutetium(", residualising: false")));
  ASSERT_TRUE(kept.patients[0].ok && iodine.patients[0].ok);
  const size_t day7 = 7;
  const double a = kept.at(0, day7, "body_activity_MBq"), b = iodine.at(0, day7, "body_activity_MBq");
  std::printf("[measured] body activity at day 7: %.4g MBq residualising, %.4g MBq not\n", a, b);
  EXPECT_LT(b, 0.5 * a);
  // Without residualising, nothing is kept where the antibody was catabolised.
  EXPECT_LT(iodine.column("catabolised_activity_MBq"), 0);  // no such column
  EXPECT_LT(iodine.at(0, day7, "tia_body_MBq_h"), kept.at(0, day7, "tia_body_MBq_h"));
}

TEST(Label, ActivityDoseIsTheAntibodyMassAtTheSpecificActivity) {
  const auto out = test::run(test::scenario_from_text("label-dose", lutetium()));
  ASSERT_TRUE(out.patients[0].ok);
  const Table& intervals = out.patients[0].table("intervals");
  EXPECT_NEAR(intervals.at(0, "dose_mg"), 10.0, 1e-12);  // 1850 MBq / 185 MBq/mg
  // The same mass given as mg is the same patient.
  const auto by_mass = test::run(test::scenario_from_text("label-dose-mg", lutetium("", "10 mg")));
  EXPECT_EQ(out.at(0, 7, "body_activity_MBq"), by_mass.at(0, 7, "body_activity_MBq"));
}

TEST(Label, ActivityOfANanomoleAndTheCarrierFreeLimit) {
  // 177Lu: lambda = ln 2 / 6.647 d; 1 nmol is 6.022e14 atoms: 726.8 MBq. One label per
  // 148 kDa antibody: 726.8 MBq/nmol x 6757 nmol/g = 4911 MBq/mg.
  const double lambda = lu177_lambda();
  EXPECT_NEAR(mbq_per_nmol(lambda), 726.8, 0.05);
  EXPECT_NEAR(mbq_per_nmol(lambda) * 1e6 / 148000.0, 4911.0, 1.0);  // MBq/mg: 6.757 nmol per mg
  EXPECT_NEAR(lambda, kLn2 / 6.647, 1e-12);
}

TEST(Label, BadInputIsNamed) {
  auto error = [](const std::string& name, const std::string& text) { return test::error_of(name, text); };
  EXPECT_NE(error("label-unknown", test::replace(lutetium(), "Lu-177", "Lu-178")).find("unknown nuclide 'Lu-178'"),
            std::string::npos);
  EXPECT_NE(error("label-stable", test::replace(lutetium(), "Lu-177", "Hf-177")).find("is stable"), std::string::npos);
  EXPECT_NE(error("label-no-unit", lutetium("", "1850")).find("missing unit"), std::string::npos);
  EXPECT_NE(error("label-negative", lutetium("", "-1850 MBq")).find("must be > 0"), std::string::npos);
  EXPECT_NE(error("label-carrier-free", test::replace(lutetium(), "185 MBq/mg", "50000 MBq/mg"))
                .find("carrier-free limit"),
            std::string::npos);
  const std::string unlabelled = test::replace(lutetium(), ", label: {nuclide: Lu-177, specific_activity: 185 MBq/mg}", "");
  EXPECT_NE(error("label-unlabelled", unlabelled).find("needs a labelled agent"), std::string::npos);
  EXPECT_NE(error("label-dar", lutetium("}, dar: {distribution: {2: 1}")).find("remove 'dar'"), std::string::npos);
}

}  // namespace
}  // namespace icsim
