// The record of what was run: every results directory holds scenario.yaml (the
// scenario after --set, its agent written out in full in engine units with sources,
// numbers that read back bit for bit) and summary.json (version, seed, solver
// options, solver work). Reference: re-running scenario.yaml must give
// byte-identical output files; only the path of the scenario file may differ.
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_support.h"

namespace icsim {
namespace {

namespace fs = std::filesystem;

std::string without_line_containing(std::string text, const std::string& part) {
  const size_t a = text.find(part);
  if (a == std::string::npos) return text;
  const size_t start = text.rfind('\n', a) == std::string::npos ? 0 : text.rfind('\n', a) + 1;
  return text.erase(start, text.find('\n', a) + 1 - start);
}

void expect_rerun_identical(const std::string& name, const std::string& args) {
  const auto first = test::icsim_cli(name + "-1", "simulate " + args + " -o " + (test::temp_dir_path("cli-" + name + "-1") / "out").string());
  ASSERT_EQ(first.status, 0) << first.err;
  const fs::path a = first.dir / "out";
  const auto again = test::icsim_cli(
      name + "-2", "simulate " + (a / "scenario.yaml").string() + " -o " + (test::temp_dir_path("cli-" + name + "-2") / "out").string());
  ASSERT_EQ(again.status, 0) << again.err;
  const fs::path b = again.dir / "out";
  int files = 0;
  for (const auto& e : fs::directory_iterator(a)) {
    const std::string f = e.path().filename().string();
    ASSERT_TRUE(fs::exists(b / f)) << f;
    std::string x = test::slurp(a / f), y = test::slurp(b / f);
    if (f == "summary.json") {
      x = without_line_containing(x, "\"scenario_file\"");
      y = without_line_containing(y, "\"scenario_file\"");
    }
    if (f == "scenario.yaml") {  // the first line names the file it came from
      x = x.substr(x.find('\n'));
      y = y.substr(y.find('\n'));
    }
    EXPECT_TRUE(x == y) << name << ": " << f << " differs on re-running the recorded scenario";
    ++files;
  }
  EXPECT_GE(files, 5) << name;
}

const std::string kRoot = std::string(ICSIM_TEST_DATA_DIR) + "/../..";

TEST(Provenance, RerunningTheRecordedScenarioGivesTheSameBytes) {
  expect_rerun_identical("pv-bela", kRoot + "/scenarios/belantamab-cohort.yaml --set simulation.patients=30 "
                                            "--set 'regimen.dose=3.4 mg/kg' --set patient.combination=true");
  expect_rerun_identical("pv-dara", kRoot + "/scenarios/daratumumab-16mgkg.yaml --set simulation.patients=5 "
                                            "--set simulation.variability=true --set 'simulation.until=120 d'");
  expect_rerun_identical("pv-adc", std::string(ICSIM_TEST_DATA_DIR) +
                                       "/adc-full-scenario.yaml --set agent.target.model=qss --set 'agent.target.Kss=2 nM' "
                                       "--set 'patient.sbcma=100 ng/mL' --set simulation.solver=cvode");
  expect_rerun_identical("pv-user", std::string(ICSIM_TEST_DATA_DIR) + "/user-adc2-scenario.yaml --set simulation.patients=4");
  expect_rerun_identical("pv-sampling", std::string(ICSIM_TEST_DATA_DIR) + "/sampling-scenario.yaml --threads 2");
}

// A disease is a scenario section: recorded at the top level with its assessment,
// its options and every clone, not inside the agent (where it failed to read back).
TEST(Provenance, RerunningADiseaseScenarioGivesTheSameBytes) {
  expect_rerun_identical("pv-disease", kRoot + "/scenarios/myeloma-negative-clone.yaml --set disease.binding=quasi_equilibrium "
                                               "--set 'disease.clones.negative.efflux=2 /day' --set 'disease.cr_threshold=0.2 g/L'");
  expect_rerun_identical("pv-indatuximab", kRoot + "/scenarios/indatuximab-cd138.yaml");
  expect_rerun_identical("pv-collins", kRoot + "/scenarios/belantamab-collins2023-cohort.yaml --set simulation.patients=5");
}

TEST(Provenance, TheRecordNamesVersionSeedSolverAndSources) {
  const auto r = test::icsim_cli("pv-content", "simulate " + kRoot + "/scenarios/belantamab-typical.yaml -o " +
                                                   (test::temp_dir_path("cli-pv-content") / "out").string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string yaml = test::slurp(r.dir / "out" / "scenario.yaml");
  EXPECT_TRUE(test::contains(yaml, "CL: {value: 0.926 L/day, source: \"papathanasiou2025\"}")) << yaml;
  EXPECT_TRUE(test::contains(yaml, "seed: 1"));
  const std::string summary = test::slurp(r.dir / "out" / "summary.json");
  for (const char* key : {"\"icsim_version\"", "\"seed\"", "\"rtol\"", "\"atol_nmol\"", "\"steps_total\"",
                          "\"jacobian_evaluations_total\"", "\"patients_by_solver\""})
    EXPECT_TRUE(test::contains(summary, key)) << key;
}

}  // namespace
}  // namespace icsim
