// Bad input through the command line: a clear message naming file, line and key,
// exit status 2 and nothing written to the output directory.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support.h"

namespace icsim {
namespace {

using test::replace;

namespace fs = std::filesystem;

struct CliRun {
  int status;
  std::string err;
  bool output_exists;
};

CliRun run_cli(const std::string& name, const std::string& scenario, const std::string& args = "") {
  const fs::path dir = test::temp_dir("cli-" + name);
  const std::string file = test::write_file(dir / "s.yaml", scenario);
  const fs::path out = dir / "out";
  const std::string cmd = std::string(ICSIM_BINARY) + " simulate " + file + " -o " + out.string() + " " + args +
                          " >" + (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  const int rc = std::system(cmd.c_str());
  std::stringstream err;
  err << std::ifstream(dir / "stderr").rdbuf();
  bool leftovers = false;  // no temporary directory may remain either
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) leftovers = true;
  return {WEXITSTATUS(rc), err.str(), fs::exists(out) || leftovers};
}

const std::string kGood =
    "name: ok\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d}\n";

void expect_rejected(const std::string& name, const std::string& scenario, const std::string& where,
                     const std::string& why, const std::string& args = "") {
  const CliRun r = run_cli(name, scenario, args);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(where), std::string::npos) << "expected '" << where << "' in: " << r.err;
  EXPECT_NE(r.err.find(why), std::string::npos) << "expected '" << why << "' in: " << r.err;
  EXPECT_FALSE(r.output_exists) << name;
}

TEST(BadInput, GoodScenarioRuns) {
  const CliRun r = run_cli("good", kGood);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.output_exists);
}

TEST(BadInput, MalformedYaml) {
  expect_rejected("malformed", "name: x\nagent: [belantamab\nregimen: {}\n", "s.yaml:", "malformed YAML");
}

TEST(BadInput, UnknownKeyWithSuggestion) {
  expect_rejected("unknown-key", replace(kGood, "output_every", "output_evry"), "s.yaml:5: simulation.output_evry",
                  "did you mean 'output_every'");
  expect_rejected("unknown-top", kGood + "regime: {}\n", "s.yaml:6: regime", "did you mean 'regimen'");
}

TEST(BadInput, DuplicateKey) {
  expect_rejected("duplicate", kGood + "regimen: {dose: 3.4 mg/kg}\n", "s.yaml:6: regimen", "key given twice (first at line 4)");
}

TEST(BadInput, KeyThatIsNotAName) {
  expect_rejected("complex-key", kGood + "? [a, b]\n: 1\n", "s.yaml:6", "a key must be a plain name");
}

TEST(BadInput, MissingUnit) {
  expect_rejected("missing-unit", replace(kGood, "every: 21 d", "every: 21"), "s.yaml:4: regimen.every",
                  "missing unit");
  expect_rejected("missing-dose-unit", replace(kGood, "2.5 mg/kg", "2.5"), "s.yaml:4: regimen.dose", "missing unit");
}

TEST(BadInput, IncompatibleUnit) {
  expect_rejected("wrong-unit", replace(kGood, "infusion: 30 min", "infusion: 30 mg"), "s.yaml:4: regimen.infusion",
                  "cannot be converted");
  expect_rejected("wrong-weight", replace(kGood, "weight: 75 kg", "weight: 75 L"), "s.yaml:3: patient.weight",
                  "cannot be converted");
}

TEST(BadInput, NegativeOrZeroDoseAndInterval) {
  expect_rejected("negative-dose", replace(kGood, "2.5 mg/kg", "-2.5 mg/kg"), "s.yaml:4: regimen.dose", "must be > 0");
  expect_rejected("zero-dose", replace(kGood, "2.5 mg/kg", "0 mg/kg"), "s.yaml:4: regimen.dose", "must be > 0");
  expect_rejected("zero-interval", replace(kGood, "every: 21 d", "every: 0 d"), "s.yaml:4: regimen.every",
                  "must be > 0");
}

TEST(BadInput, ImplausibleCovariate) {
  expect_rejected("grams", replace(kGood, "weight: 75 kg", "weight: 75 g"), "s.yaml:3: patient.weight",
                  "outside the plausible range");
}

TEST(BadInput, UnknownAgent) {
  expect_rejected("unknown-agent", replace(kGood, "belantamab-mafodotin", "belantamab-mafodotn"), "s.yaml:2: agent",
                  "did you mean 'belantamab-mafodotin'");
}

TEST(BadInput, ImpossibleParameter) {
  expect_rejected("negative-volume",
                  replace(kGood, "agent: belantamab-mafodotin",
                          "agent:\n  base: belantamab-mafodotin\n  disposition: {V1: -4.21 L}"),
                  "s.yaml:4: agent.disposition.V1", "must be > 0");
}

TEST(BadInput, CommandLineOverrides) {
  expect_rejected("set-unknown", kGood, "--set: simulation.patientz", "did you mean 'patients'",
                  "--set simulation.patientz=3");
  expect_rejected("set-negative", kGood, "--set: regimen.dose", "must be > 0", "--set regimen.dose=\"-1 mg/kg\"");
  expect_rejected("set-malformed", kGood, "expected KEY=VALUE", "", "--set regimen.dose");
}

TEST(CommandLine, OutputFilesAreIdenticalWhateverTheThreads) {
  const std::string args = "--set simulation.patients=200 --set simulation.variability=true "
                           "--set simulation.residual_error=true ";
  const CliRun one = run_cli("threads-1", kGood, args + "--threads 1");
  const CliRun two = run_cli("threads-2", kGood, args + "--threads 2");
  ASSERT_EQ(one.status, 0) << one.err;
  ASSERT_EQ(two.status, 0) << two.err;
  auto read = [](const std::string& name, const char* file) {
    std::stringstream ss;
    ss << std::ifstream(test::temp_dir_path("cli-" + name) / "out" / file).rdbuf();
    return ss.str();
  };
  // The runs read the same scenario from two directories: only that path may differ.
  auto without_path = [](std::string json) {
    const size_t a = json.find("\"scenario_file\"");
    return json.erase(a, json.find('\n', a) - a);
  };
  EXPECT_TRUE(read("threads-1", "timeseries.csv") == read("threads-2", "timeseries.csv"));
  EXPECT_TRUE(without_path(read("threads-1", "summary.json")) == without_path(read("threads-2", "summary.json")));
  EXPECT_GT(read("threads-1", "timeseries.csv").size(), 200u * 169u * 10u);
}

TEST(BadInput, SetOverridesApply) {
  const Scenario s = test::scenario_from_text(
      "set-apply", kGood, {"regimen.dose=3.4 mg/kg", "simulation.patients=1000", "simulation.variability=true"});
  EXPECT_DOUBLE_EQ(s.regimen.phases[0].dose.value, 3.4);
  EXPECT_EQ(s.simulation.patients, 1000);
  EXPECT_TRUE(s.simulation.variability);
}

}  // namespace
}  // namespace icsim
