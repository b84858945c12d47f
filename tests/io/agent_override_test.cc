// Overrides of a library agent in a scenario: lists are added to or replaced
// explicitly, and a bare list (which replaces) warns, naming file, line and key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "icsim/error.h"
#include "io/cli_support.h"
#include "support.h"

namespace icsim {
namespace {

using test::contains;

struct Loaded {
  Scenario s;
  std::vector<std::string> warnings;
};

Loaded load(const std::string& name, const std::string& text, const std::vector<std::string>& sets = {}) {
  Loaded l;
  const auto dir = test::temp_dir("override-" + name);
  l.s = load_scenario(test::write_file(dir / "s.yaml", text), sets, &l.warnings);
  return l;
}

// The error a scenario gives, or "" when it loads.
std::string error_of(const std::string& name, const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    load(name, text, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// belantamab-mafodotin with `agent_body` (YAML lines, indented by two) as overrides.
std::string belantamab(const std::string& agent_body) {
  return "name: o\n"
         "agent:\n"
         "  base: belantamab-mafodotin\n" +
         agent_body +
         "patient: {weight: 75 kg}\n"
         "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 2}\n"
         "simulation: {until: 42 d, output_every: 1 d}\n";
}

const char* kAgeEffect = "{parameter: disposition.CL, covariate: age, form: power, exponent: 0.1}";
const char* kAgeReference = "  covariates: {age: {reference: 60 years}}\n";

TEST(ListOverrides, AddAppendsToTheLibraryEffects) {
  const Loaded l = load("effects-add", belantamab(kAgeReference + std::string("  covariate_effects: {add: [") +
                                                  kAgeEffect + "]}\n"));
  ASSERT_EQ(l.s.agent.effects.size(), 17u);
  EXPECT_EQ(l.s.agent.effects.back().covariate, "age");
  EXPECT_EQ(l.s.agent.effects.front().covariate, "weight");
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ListOverrides, ReplaceReplacesWithoutWarning) {
  const Loaded l = load("effects-replace", belantamab(kAgeReference + std::string("  covariate_effects: {replace: [") +
                                                      kAgeEffect + "]}\n"));
  ASSERT_EQ(l.s.agent.effects.size(), 1u);
  EXPECT_EQ(l.s.agent.effects[0].covariate, "age");
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ListOverrides, BareListReplacesAndWarnsWithFileLineKeyAndCount) {
  const Loaded l =
      load("effects-bare", belantamab(kAgeReference + std::string("  covariate_effects: [") + kAgeEffect + "]\n"));
  ASSERT_EQ(l.s.agent.effects.size(), 1u);
  ASSERT_EQ(l.warnings.size(), 1u);
  const std::string& w = l.warnings[0];
  EXPECT_TRUE(contains(w, "s.yaml:5: agent.covariate_effects: ")) << w;
  EXPECT_TRUE(contains(w, "replaces the 16 covariate effects of agent 'belantamab-mafodotin'")) << w;
  EXPECT_TRUE(contains(w, "{add: [...]}")) << w;
}

TEST(ListOverrides, VariabilityAddReplaceAndBare) {
  const std::string re = "{parameter: disposition.V2, form: log-normal, cv: 10 %}";
  const std::string added = "{parameter: disposition.clearance_change.gamma, form: log-normal, cv: 10 %}";
  Loaded l = load("re-add", belantamab("  variability: {add: [" + added + "]}\n"));
  EXPECT_EQ(l.s.agent.random_effects.size(), 7u);
  EXPECT_EQ(l.s.agent.covariances.size(), 1u);  // the library's covariance still applies
  EXPECT_TRUE(l.warnings.empty());

  l = load("re-replace", belantamab("  variability: {replace: [" + re + "]}\n  covariance: {replace: []}\n"));
  EXPECT_EQ(l.s.agent.random_effects.size(), 1u);
  EXPECT_TRUE(l.s.agent.covariances.empty());
  EXPECT_TRUE(l.warnings.empty());

  l = load("re-bare", belantamab("  variability: [" + re + "]\n  covariance: []\n"));
  EXPECT_EQ(l.s.agent.random_effects.size(), 1u);
  EXPECT_TRUE(l.s.agent.covariances.empty());
  ASSERT_EQ(l.warnings.size(), 2u);
  EXPECT_TRUE(contains(l.warnings[0], "s.yaml:4: agent.variability: this list replaces the 6 random effects"))
      << l.warnings[0];
  EXPECT_TRUE(contains(l.warnings[1], "s.yaml:5: agent.covariance: this list replaces the 1 covariance of"))
      << l.warnings[1];
}

TEST(ListOverrides, CovarianceAdd) {
  const Loaded l = load(
      "cov-add", belantamab("  covariance: {add: [{between: [disposition.Q, disposition.V2], covariance: 0.01}]}\n"));
  ASSERT_EQ(l.s.agent.covariances.size(), 2u);
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ListOverrides, CovarianceGivenTwiceIsAnError) {
  const std::string e =
      error_of("cov-twice", belantamab("  covariance: {add: [{between: [disposition.V1, disposition.CL], "
                                       "covariance: 0.01}]}\n"));
  EXPECT_TRUE(contains(e, "s.yaml:4: agent.covariance.add[0]: the covariance of disposition.V1 and disposition.CL "
                          "is already given"))
      << e;
  EXPECT_TRUE(contains(e, "{replace: [...]}")) << e;
}

TEST(ListOverrides, ReplacedVariabilityNeedsReplacedCovariance) {
  const std::string e =
      error_of("re-cov", belantamab("  variability: {replace: [{parameter: disposition.CL, form: log-normal, "
                                    "cv: 30 %}]}\n"));
  EXPECT_TRUE(contains(e, "belantamab-mafodotin.yaml:")) << e;
  EXPECT_TRUE(contains(e, "a covariance names disposition.V1, which has no random effect")) << e;
  EXPECT_TRUE(contains(e, "covariance: {replace: [...]}")) << e;
}

TEST(ListOverrides, AddingAnEffectTheAgentHasWarns) {
  const Loaded l = load("effects-again", belantamab("  covariate_effects: {add: [{parameter: disposition.CL, "
                                                    "covariate: weight, form: power, exponent: 0.75}]}\n"));
  EXPECT_EQ(l.s.agent.effects.size(), 17u);
  ASSERT_EQ(l.warnings.size(), 1u);
  EXPECT_TRUE(contains(l.warnings[0], "s.yaml:4: agent.covariate_effects.add[0]: agent 'belantamab-mafodotin' "
                                      "already has an effect of weight on disposition.CL"))
      << l.warnings[0];
}

TEST(ListOverrides, MalformedForms) {
  std::string e = error_of("both", belantamab("  covariate_effects: {add: [], replace: []}\n"));
  EXPECT_TRUE(contains(e, "s.yaml:4: agent.covariate_effects: give either 'add' or 'replace', not both")) << e;
  e = error_of("typo", belantamab("  covariate_effects: {ad: []}\n"));
  EXPECT_TRUE(contains(e, "agent.covariate_effects.ad: unknown key (did you mean 'add'?)")) << e;
  e = error_of("not-list", belantamab("  variability: {add: {parameter: disposition.CL}}\n"));
  EXPECT_TRUE(contains(e, "s.yaml:4: agent.variability.add: expected a list of random effects")) << e;
  e = error_of("entry", belantamab("  covariate_effects: {add: [{parameter: disposition.CL}]}\n"));
  EXPECT_TRUE(contains(e, "agent.covariate_effects.add[0]: missing 'covariate'")) << e;
}

TEST(ListOverrides, AgentFilesWriteTheListItself) {
  const auto dir = test::temp_dir("override-file-forms");
  test::write_file(dir / "a.yaml",
                   "id: a\ndisposition:\n  compartments: 1\n  CL: {value: 0.3 L/day, source: t}\n"
                   "  V1: {value: 3 L, source: t}\n"
                   "variability: {add: [{parameter: disposition.CL, form: log-normal, cv: 10 %, source: t}]}\n");
  try {
    load_scenario_text("name: f\nagent: {file: a.yaml}\nregimen: {dose: 100 mg}\nsimulation: {until: 7 d}\n",
                       (dir / "s.yaml").string());
    FAIL() << "a list form in an agent file was accepted";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "a.yaml:6: variability: {add: [...]} and {replace: [...]} are for overrides"))
        << e.what();
  }
}

TEST(ListOverrides, SetAddsToALibraryList) {
  const Loaded l = load("set-add", belantamab(""),
                        {"agent.variability={add: [{parameter: disposition.clearance_change.gamma, "
                         "form: log-normal, cv: 10 %}]}"});
  EXPECT_EQ(l.s.agent.random_effects.size(), 7u);
  EXPECT_TRUE(l.warnings.empty());
}

TEST(ListOverrides, CommandLinePrintsTheWarningAndRuns) {
  const test::Cli r = test::simulate_cli(
      "bare-list-warning", belantamab(kAgeReference + std::string("  covariate_effects: [") + kAgeEffect + "]\n"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "icsim: warning: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "s.yaml:5: agent.covariate_effects: this list replaces the 16 covariate effects")) << r.err;
}

}  // namespace
}  // namespace icsim
