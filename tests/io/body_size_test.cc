// Weight, height, BMI and BSA of a scenario's patient must agree, and a weight given
// alone must not leave an effect of BMI or BSA at the reference patient's value.
#include <gtest/gtest.h>

#include <string>

#include "icsim/error.h"
#include "io/cli_support.h"
#include "support.h"

namespace icsim {
namespace {

using test::error_of;

using test::contains;

std::string with_patient(const std::string& agent, const std::string& patient) {
  return "name: b\nagent: " + agent + "\npatient: " + patient +
         "\nregimen: {dose: 2.5 mg/kg, infusion: 30 min}\nsimulation: {until: 21 d}\n";
}

TEST(BodySize, WeightAloneWithAnEffectOfBmiIsRejected) {
  const std::string e = error_of("weight-alone", with_patient("belantamab-mafodotin", "{weight: 60 kg}"));
  EXPECT_TRUE(contains(e, "scenario.yaml:3: patient.weight: the agent has a covariate effect of bmi on disposition.V1 "
                          "("))
      << e;
  EXPECT_TRUE(contains(e, "belantamab-mafodotin.yaml:")) << e;
  EXPECT_TRUE(contains(e, "bmi would stay at the agent's reference (27 kg/m2) whatever the weight; give "
                          "patient.height too"))
      << e;
  EXPECT_TRUE(contains(e, "or patient.bmi")) << e;
}

TEST(BodySize, WeightWithHeightOrBmiIsAccepted) {
  const Scenario h =
      test::scenario_from_text("weight-height", with_patient("belantamab-mafodotin", "{weight: 60 kg, height: 170 cm}"));
  const Covariates c = complete_covariates(h.patient, h.agent.covariate_reference, h.bsa_formula);
  EXPECT_NEAR(c.values.at("bmi"), 60 / (1.7 * 1.7), 1e-12);
  EXPECT_NO_THROW(
      test::scenario_from_text("weight-bmi", with_patient("belantamab-mafodotin", "{weight: 60 kg, bmi: 22 kg/m2}")));
}

TEST(BodySize, TheReferenceWeightAloneIsTheReferencePatient) {
  EXPECT_NO_THROW(test::scenario_from_text("reference-weight", with_patient("belantamab-mafodotin", "{weight: 75 kg}")));
  EXPECT_NO_THROW(
      test::scenario_from_text("reference-weight-g", with_patient("belantamab-mafodotin", "{weight: 75000 g}")));
}

TEST(BodySize, NoEffectOfBmiOrBsaNoCheck) {
  EXPECT_NO_THROW(test::scenario_from_text("dara-weight", with_patient("daratumumab", "{weight: 60 kg}")));
}

TEST(BodySize, WeightAloneWithAnEffectOfBsaIsRejected) {
  const std::string agent =
      "{inline: {id: a, disposition: {compartments: 1, CL: 0.3 L/day, V1: 3 L}, covariates: {bsa: {reference: 1.9 m2}, "
      "weight: {reference: 70 kg}}, covariate_effects: [{parameter: disposition.V1, covariate: bsa, form: power, "
      "exponent: 1}]}}";
  const std::string e = error_of("bsa-alone", with_patient(agent, "{weight: 90 kg}"));
  EXPECT_TRUE(contains(e, "scenario.yaml:3: patient.weight: the agent has a covariate effect of bsa on disposition.V1"))
      << e;
  EXPECT_TRUE(contains(e, "(1.9 m2)")) << e;
  EXPECT_TRUE(contains(e, "or patient.bsa")) << e;
  EXPECT_NO_THROW(test::scenario_from_text("bsa-height", with_patient(agent, "{weight: 90 kg, height: 180 cm}")));
  EXPECT_NO_THROW(test::scenario_from_text("bsa-given", with_patient(agent, "{weight: 90 kg, bsa: 2.1 m2}")));
}

TEST(BodySize, BmiThatDisagreesWithWeightAndHeightIsRejected) {
  const std::string e =
      error_of("bmi-disagrees", with_patient("daratumumab", "{weight: 70 kg, height: 170 cm, bmi: 30 kg/m2}"));
  EXPECT_TRUE(contains(e, "scenario.yaml:3: patient.bmi: 30 kg/m2 disagrees with weight 70 kg and height 170 cm, "
                          "which give 24.22 kg/m2 (more than 2 % apart)"))
      << e;
  // Within 2 %: a rounded value is fine.
  EXPECT_NO_THROW(
      test::scenario_from_text("bmi-rounded", with_patient("daratumumab", "{weight: 70 kg, height: 170 cm, bmi: 24.5 kg/m2}")));
}

TEST(BodySize, BsaThatDisagreesIsRejectedNamingTheFormula) {
  std::string e =
      error_of("bsa-disagrees", with_patient("daratumumab", "{weight: 70 kg, height: 170 cm, bsa: 2.2 m2}"));
  EXPECT_TRUE(contains(e, "scenario.yaml:3: patient.bsa: 2.2 m2 disagrees with weight 70 kg and height 170 cm, which "
                          "give 1.81 m2 by the Du Bois formula"))
      << e;
  e = error_of("bsa-mosteller",
               with_patient("daratumumab", "{weight: 70 kg, height: 170 cm, bsa: 2.2 m2, bsa_formula: mosteller}"));
  EXPECT_TRUE(contains(e, "by the Mosteller formula")) << e;
  EXPECT_NO_THROW(
      test::scenario_from_text("bsa-agrees", with_patient("daratumumab", "{weight: 70 kg, height: 170 cm, bsa: 1.81 m2}")));
}

TEST(BodySize, CommandLineExitsWithTwo) {
  const test::Cli r = test::simulate_cli("weight-alone-cli", with_patient("belantamab-mafodotin", "{weight: 75 kg}"),
                                         "--set patient.weight=\"60 kg\"");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "icsim: error: --set: patient.weight: the agent has a covariate effect of bmi")) << r.err;
}

}  // namespace
}  // namespace icsim
