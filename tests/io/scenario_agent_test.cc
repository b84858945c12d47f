// The agent a scenario names: a complete agent written inline, and --set on a
// scenario whose agent is a plain library id.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "icsim/error.h"
#include "io/cli_support.h"
#include "support.h"

namespace icsim {
namespace {

using test::error_of;

using test::contains;

const std::string kTail =
    "patient: {weight: 80 kg}\n"
    "regimen: {dose: 3 mg/kg, infusion: 1 h, every: 21 d, doses: 2}\n"
    "simulation: {until: 42 d, output_every: 1 d, patients: 4, variability: true}\n";

// A complete agent in the scenario, plain values and no sources.
const std::string kInline =
    "name: inline\n"
    "agent:\n"
    "  inline:\n"
    "    id: my-adc\n"
    "    name: My ADC\n"
    "    molecular_weight: 150 kDa\n"
    "    disposition: {compartments: 1, CL: 0.3 L/day, V1: 3 L}\n"
    "    covariates: {weight: {reference: 70 kg}}\n"
    "    covariate_effects:\n"
    "      - {parameter: disposition.CL, covariate: weight, form: power, exponent: 0.75}\n"
    "    variability:\n"
    "      - {parameter: disposition.CL, form: log-normal, cv: 30 %}\n" +
    kTail;

TEST(InlineAgent, ReadsACompleteAgentWithPlainValues) {
  std::vector<std::string> warnings;
  const auto dir = test::temp_dir("inline-read");
  const Scenario s = load_scenario(test::write_file(dir / "s.yaml", kInline), {}, &warnings);
  EXPECT_EQ(s.agent.id, "my-adc");
  EXPECT_EQ(s.agent.name, "My ADC");
  EXPECT_DOUBLE_EQ(s.agent.value("disposition.CL"), 0.3);
  EXPECT_DOUBLE_EQ(s.agent.value("disposition.V1"), 3.0);
  EXPECT_FALSE(s.agent.has("disposition.Q"));
  EXPECT_EQ(s.agent.effects.size(), 1u);
  EXPECT_EQ(s.agent.random_effects.size(), 1u);
  EXPECT_TRUE(warnings.empty());  // a plain list is the normal form of a complete agent
}

TEST(InlineAgent, SameModelAsTheSameAgentInAFile) {
  const Scenario in = test::scenario_from_text(
      "inline-same", "name: a\nagent: {inline: {id: linear-1cmt, molecular_weight: 150 kDa, disposition: "
                     "{compartments: 1, CL: 1.0 L/day, V1: 5 L}}}\nregimen: {dose: 100 mg}\nsimulation: {until: 7 d}\n");
  const Scenario file = test::scenario_from_text(
      "inline-file", "name: a\nagent: {file: " + test::test_data("agents/linear-1cmt.yaml") +
                         "}\nregimen: {dose: 100 mg}\nsimulation: {until: 7 d}\n");
  ASSERT_EQ(in.agent.params.size(), file.agent.params.size());
  for (const auto& [name, p] : file.agent.params) EXPECT_EQ(in.agent.value(name), p.value) << name;
  const auto a = test::run(in), b = test::run(file);
  EXPECT_EQ(a.patients.at(0).series, b.patients.at(0).series);
}

TEST(InlineAgent, RunsFromTheCommandLine) {
  const test::Cli r = test::simulate_cli("inline-cli", kInline);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "my-adc with 4 patient(s)")) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(InlineAgent, ExcludesBaseAndFile) {
  std::string e = error_of("inline-base", "name: a\nagent: {base: daratumumab, inline: {id: x}}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:2: agent: 'inline' is a complete agent: give it without 'base' or 'file'"))
      << e;
  e = error_of("inline-file", "name: a\nagent: {file: a.yaml, inline: {id: x}}\n" + kTail);
  EXPECT_TRUE(contains(e, "give it without 'base' or 'file'")) << e;
  e = error_of("inline-extra", "name: a\nagent:\n  inline: {id: x}\n  disposition: {CL: 1 L/day}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:4: agent.disposition: with 'inline', write every key of the agent inside"))
      << e;
}

TEST(InlineAgent, ErrorsNameTheLineAndKeyInsideInline) {
  std::string e = error_of("inline-unit", "name: a\nagent:\n  inline:\n    id: x\n    disposition: {compartments: 1, "
                                          "CL: 0.3, V1: 3 L}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:5: agent.inline.disposition.CL: missing unit")) << e;
  e = error_of("inline-id", "name: a\nagent:\n  inline:\n    disposition: {compartments: 1, CL: 0.3 L/day, "
                            "V1: 3 L}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:4: agent.inline.id: missing 'id'")) << e;
  e = error_of("inline-missing", "name: a\nagent:\n  inline:\n    id: x\n    disposition: {compartments: 1, "
                                 "CL: 0.3 L/day}\n" + kTail);
  EXPECT_TRUE(contains(e, "missing parameter 'disposition.V1'")) << e;
  e = error_of("inline-add", "name: a\nagent:\n  inline:\n    id: x\n    disposition: {compartments: 1, "
                             "CL: 0.3 L/day, V1: 3 L}\n    variability: {add: []}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:6: agent.inline.variability: {add: [...]} and {replace: [...]} are for "
                          "overrides"))
      << e;
  e = error_of("inline-scalar", "name: a\nagent: {inline: my-adc}\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:2: agent.inline: expected a mapping")) << e;
}

TEST(InlineAgent, AMappingNamesTheThreeForms) {
  const std::string e = error_of("no-form", "name: a\nagent: {disposition: {CL: 1 L/day}}\n" + kTail);
  EXPECT_TRUE(contains(e, "'base: ID' (a library agent), 'file: PATH' or 'inline: {id: ..., ...}'")) << e;
}

TEST(LibraryId, AShortenedIdSuggestsTheOneContainingIt) {
  const std::string e = error_of("short-id", "name: a\nagent: belantamab\n" + kTail);
  EXPECT_TRUE(contains(e, "scenario.yaml:2: agent: unknown agent 'belantamab' (did you mean 'belantamab-mafodotin'?)"))
      << e;
}

const std::string kLibraryId =
    "name: s\nagent: belantamab-mafodotin\npatient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 2}\nsimulation: {until: 42 d}\n";

TEST(SetOnLibraryId, SaysWhichFormWorks) {
  const std::string e = error_of("set-id", kLibraryId, {"agent.disposition.CL=0.8 L/day"});
  EXPECT_TRUE(contains(e, "--set: agent.disposition.CL: the scenario's agent is the library id "
                          "'belantamab-mafodotin', which takes no keys: write 'agent: {base: belantamab-mafodotin}' "
                          "in the scenario, or pass --set agent.base=belantamab-mafodotin before this --set"))
      << e;
}

TEST(SetOnLibraryId, BaseThenKeysWorks) {
  const Scenario s =
      test::scenario_from_text("set-base", kLibraryId, {"agent.base=belantamab-mafodotin", "agent.disposition.CL=0.8 L/day"});
  EXPECT_EQ(s.agent.id, "belantamab-mafodotin");
  EXPECT_DOUBLE_EQ(s.agent.value("disposition.CL"), 0.8);
  EXPECT_EQ(s.agent.effects.size(), 16u);
  // Another library agent by the same route.
  const Scenario d = test::scenario_from_text("set-base-other", kLibraryId, {"agent.base=daratumumab"});
  EXPECT_EQ(d.agent.id, "daratumumab");
}

TEST(SetOnLibraryId, CommandLineExitsWithTwo) {
  const test::Cli r = test::simulate_cli("set-id-cli", kLibraryId, "--set agent.disposition.CL=\"0.8 L/day\"");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "icsim: error: --set: agent.disposition.CL: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "--set agent.base=belantamab-mafodotin")) << r.err;
}

}  // namespace
}  // namespace icsim
