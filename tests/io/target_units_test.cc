// Target parameters written in mass units need the target's molecular weight: they
// are no longer converted silently with the conjugate's.
#include <gtest/gtest.h>

#include <string>

#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/cli_support.h"
#include "support.h"

namespace icsim {
namespace {

using test::error_of;

using test::contains;

// A QSS agent written inline; `target` is the rest of its target section.
std::string scenario(const std::string& target) {
  return "name: t\n"
         "agent:\n"
         "  inline:\n"
         "    id: t\n"
         "    molecular_weight: 150 kDa\n"
         "    disposition: {compartments: 1, CL: 0.3 L/day, V1: 3 L}\n"
         "    target: {model: qss, kint: 2.2 /day, kdeg: 0.2 /day, " +
         target +
         "}\n"
         "regimen: {dose: 100 mg}\n"
         "simulation: {until: 7 d}\n";
}

TEST(TargetUnits, MassConcentrationNeedsTheTargetsMolecularWeight) {
  const std::string e = error_of("kss-mass", scenario("synthesis: 5 nM/day, Kss: 1.79 mg/L"));
  EXPECT_TRUE(contains(e, "scenario.yaml:7: agent.inline.target.Kss: written in mass units ('mg/L'); converting it "
                          "to nM needs the molecular weight"))
      << e;
  EXPECT_TRUE(contains(e, "give 'target.molecular_weight'")) << e;
  EXPECT_TRUE(contains(e, "the conjugate's 150 kDa when the source gives the value in drug equivalents")) << e;
}

TEST(TargetUnits, MassPerTimePerVolumeNeedsItToo) {
  const std::string e = error_of("syn-mass", scenario("synthesis: 0.178 mg/L/h, Kss: 2 nM"));
  EXPECT_TRUE(contains(e, "agent.inline.target.synthesis: written in mass units ('mg/L/h')")) << e;
  EXPECT_TRUE(contains(e, "give 'target.molecular_weight'")) << e;
}

TEST(TargetUnits, GivenMolecularWeightConverts) {
  const Scenario s = test::scenario_from_text(
      "target-mw", scenario("molecular_weight: 148 kDa, synthesis: 0.178 mg/L/h, Kss: 1.79 mg/L"));
  EXPECT_NEAR(s.agent.value("target.synthesis"), 0.178 * 24 * 1e6 / 148000, 1e-9);
  EXPECT_NEAR(s.agent.value("target.Kss"), 1.79e6 / 148000, 1e-9);
}

TEST(TargetUnits, MolarUnitsNeedNoMolecularWeight) {
  const Scenario s = test::scenario_from_text("target-molar", scenario("synthesis: 5 nM/day, Kss: 2 nM"));
  EXPECT_DOUBLE_EQ(s.agent.value("target.synthesis"), 5.0);
  EXPECT_DOUBLE_EQ(s.agent.value("target.Kss"), 2.0);
}

TEST(TargetUnits, LibraryAgentsStillLoad) {
  for (const std::string& id : library_agent_ids()) {
    AgentSpec a = read_agent_file(data_directory() + "/agents/" + id + ".yaml");
    EXPECT_NO_THROW(finalise_agent(a)) << id;
  }
  // Daratumumab's target values are drug equivalents at the antibody's 148 kDa, as before.
  AgentSpec d = read_agent_file(data_directory() + "/agents/daratumumab.yaml");
  finalise_agent(d);
  EXPECT_NEAR(d.value("target.Kss"), 1.79e6 / 148000, 1e-12);
  EXPECT_NEAR(d.value("target.synthesis"), 0.178 * 24 * 1e6 / 148000, 1e-9);
}

TEST(TargetUnits, OverrideOfALibraryTargetUsesItsMolecularWeight) {
  const Scenario s = test::scenario_from_text(
      "target-override", "name: d\nagent: {base: daratumumab, target: {Kss: 2 mg/L}}\npatient: {weight: 70 kg}\n"
                         "regimen: {dose: 16 mg/kg}\nsimulation: {until: 7 d}\n");
  EXPECT_NEAR(s.agent.value("target.Kss"), 2e6 / 148000, 1e-9);
}

TEST(TargetUnits, CommandLineExitsWithTwo) {
  const test::Cli r = test::simulate_cli("target-mass-cli", scenario("synthesis: 5 nM/day, Kss: 1.79 mg/L"));
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "s.yaml:7: agent.inline.target.Kss: written in mass units")) << r.err;
}

}  // namespace
}  // namespace icsim
