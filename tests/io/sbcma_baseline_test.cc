// The patient's serum sBCMA (covariate sbcma, ng/mL) sets the baseline of the
// shed-antigen sink, converted with the soluble antigen's molecular weight, unless
// the agent says baseline_from_covariate: false.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "icsim/error.h"
#include "support.h"

namespace icsim {
namespace {

// tests/data/agents/adc-full.yaml: soluble antigen of 6 kDa with a baseline of 50 ng/mL.
std::string scenario(const std::string& patient, const std::string& agent_extra = "") {
  return "name: sbcma\n"
         "agent: {file: " +
         test::test_data("agents/adc-full.yaml") + agent_extra +
         "}\n"
         "patient: " +
         patient +
         "\n"
         "regimen: {dose: 3 mg/kg, infusion: 1 h, every: 21 d, doses: 2}\n"
         "simulation: {until: 7 d, output_every: 1 d}\n";
}

double antigen_at_zero(const Scenario& s) {
  const test::CollectingSink r = test::run(s);
  EXPECT_TRUE(r.patients.at(0).ok);
  return r.at(0, 0, "soluble_antigen_free_ng_per_mL");
}

TEST(SbcmaBaseline, PatientSbcmaIsTheBaseline) {
  const Scenario s = test::scenario_from_text("sbcma-120", scenario("{weight: 70 kg, sbcma: 120 ng/mL}"));
  const ParamSpec& p = s.agent.params.at("soluble_antigen.baseline");
  EXPECT_NEAR(p.value, 120.0 / 6.0, 1e-12);  // 120 ng/mL at 6 kDa is 20 nM
  EXPECT_EQ(p.source, "patient covariate sbcma");
  EXPECT_EQ(p.origin.key, "patient.sbcma");
  EXPECT_EQ(p.origin.line, 3);
  const double c0 = antigen_at_zero(s);
  EXPECT_LT(std::abs(c0 / 120.0 - 1.0), 1e-9) << c0;
}

TEST(SbcmaBaseline, AnyMassUnitConverts) {
  const Scenario s = test::scenario_from_text("sbcma-ug", scenario("{weight: 70 kg, sbcma: 0.12 ug/mL}"));
  EXPECT_NEAR(s.agent.value("soluble_antigen.baseline"), 20.0, 1e-12);
}

TEST(SbcmaBaseline, WithoutThePatientsSbcmaTheAgentsBaselineStays) {
  const Scenario s = test::scenario_from_text("sbcma-none", scenario("{weight: 70 kg}"));
  EXPECT_NEAR(s.agent.value("soluble_antigen.baseline"), 50.0 / 6.0, 1e-12);
  EXPECT_EQ(s.agent.params.at("soluble_antigen.baseline").source, "test");
  EXPECT_LT(std::abs(antigen_at_zero(s) / 50.0 - 1.0), 1e-9);
}

TEST(SbcmaBaseline, AgentCanSayNo) {
  const Scenario s = test::scenario_from_text(
      "sbcma-off", scenario("{weight: 70 kg, sbcma: 120 ng/mL}", ", soluble_antigen: {baseline_from_covariate: false}"));
  EXPECT_NEAR(s.agent.value("soluble_antigen.baseline"), 50.0 / 6.0, 1e-12);
  EXPECT_LT(std::abs(antigen_at_zero(s) / 50.0 - 1.0), 1e-9);
}

TEST(SbcmaBaseline, SetOnTheCommandLine) {
  const Scenario s =
      test::scenario_from_text("sbcma-set", scenario("{weight: 70 kg}"), {"patient.sbcma=300 ng/mL"});
  EXPECT_NEAR(s.agent.value("soluble_antigen.baseline"), 50.0, 1e-12);
  EXPECT_EQ(s.agent.params.at("soluble_antigen.baseline").origin.file, "--set");
}

TEST(SbcmaBaseline, AgentWithoutSolubleAntigenIsUnchanged) {
  const Scenario s = test::scenario_from_text(
      "sbcma-belantamab", "name: b\nagent: belantamab-mafodotin\npatient: {weight: 75 kg, sbcma: 120 ng/mL}\n"
                          "regimen: {dose: 2.5 mg/kg}\nsimulation: {until: 7 d}\n");
  EXPECT_FALSE(s.agent.has("soluble_antigen.baseline"));
}

TEST(SbcmaBaseline, OptionMustBeABoolean) {
  try {
    test::scenario_from_text("sbcma-bad", scenario("{weight: 70 kg}", ", soluble_antigen: {baseline_from_covariate: no}"));
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("agent.soluble_antigen.baseline_from_covariate: expected true or false"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace icsim
