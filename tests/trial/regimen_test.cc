// Regimens expand to the doses they describe; body-size doses use the named formula.
#include <gtest/gtest.h>

#include <cmath>

#include "icsim/error.h"
#include "support.h"
#include "trial/regimen.h"

namespace icsim {
namespace {

Scenario scenario(const std::string& regimen, const std::string& patient = "{weight: 70 kg}",
                  const std::vector<std::string>& sets = {}) {
  return test::scenario_from_text(
      "regimen", "name: r\nagent: daratumumab\npatient: " + patient + "\nregimen: " + regimen +
                     "\nsimulation: {until: 300 d}\n",
      sets);
}

std::vector<DoseEvent> expand(const Scenario& s) {
  Covariates c = complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula);
  return expand_regimen(s.regimen, c, s.agent.molecular_weight);
}

TEST(Regimen, PhasesFollowEachOther) {
  const auto e = expand(scenario(
      "[{dose: 16 mg/kg, infusion: 4 h, every: 7 d, doses: 8}, {dose: 16 mg/kg, every: 14 d, doses: 8},"
      " {dose: 16 mg/kg, every: 28 d, doses: 2}]"));
  ASSERT_EQ(e.size(), 18u);
  EXPECT_DOUBLE_EQ(e[7].time_day, 49);
  EXPECT_DOUBLE_EQ(e[8].time_day, 56);   // second phase starts one interval after the last weekly dose
  EXPECT_DOUBLE_EQ(e[15].time_day, 154);
  EXPECT_DOUBLE_EQ(e[16].time_day, 168);
  EXPECT_DOUBLE_EQ(e[17].time_day, 196);
  EXPECT_DOUBLE_EQ(e[0].amount_mg, 16 * 70);
  EXPECT_DOUBLE_EQ(e[0].duration_day, 4.0 / 24);
  EXPECT_DOUBLE_EQ(e[8].duration_day, 0.0);
  EXPECT_NEAR(e[0].amount_nmol, 1120.0 * 1e6 / 148000, 1e-9);
}

TEST(Regimen, ExplicitTimesAndStart) {
  auto e = expand(scenario("{dose: 100 mg, times: [0 d, 1 d, 3.5 d]}"));
  ASSERT_EQ(e.size(), 3u);
  EXPECT_DOUBLE_EQ(e[2].time_day, 3.5);
  e = expand(scenario("{dose: 100 mg, every: 1 wk, doses: 2, start: 2 d}"));
  EXPECT_DOUBLE_EQ(e[0].time_day, 2);
  EXPECT_DOUBLE_EQ(e[1].time_day, 9);
}

TEST(Regimen, DosesPerBodySurfaceArea) {
  // Du Bois: 0.007184 * 70^0.425 * 170^0.725 = 1.8097 m2; Mosteller: sqrt(70*170/3600) = 1.8181 m2.
  EXPECT_NEAR(body_surface_area(70, 170, BsaFormula::kDuBois), 1.8097, 1e-4);
  EXPECT_NEAR(body_surface_area(70, 170, BsaFormula::kMosteller), 1.8181, 1e-4);
  auto e = expand(scenario("{dose: 100 mg/m2}", "{weight: 70 kg, height: 170 cm}"));
  EXPECT_NEAR(e[0].amount_mg, 180.97, 0.01);
  e = expand(scenario("{dose: 100 mg/m2}", "{weight: 70 kg, height: 170 cm, bsa_formula: mosteller}"));
  EXPECT_NEAR(e[0].amount_mg, 181.81, 0.01);
  e = expand(scenario("{dose: 100 mg/m2}", "{bsa: 2 m2}"));
  EXPECT_DOUBLE_EQ(e[0].amount_mg, 200);
  EXPECT_THROW(scenario("{dose: 100 mg/m2}", "{weight: 70 kg}"), InputError);
}

TEST(Regimen, FlatAndMolarDoses) {
  EXPECT_DOUBLE_EQ(expand(scenario("{dose: 1.2 g}"))[0].amount_mg, 1200);
  EXPECT_DOUBLE_EQ(expand(scenario("{dose: 500 nmol}"))[0].amount_nmol, 500);
}

}  // namespace
}  // namespace icsim
