// The command line's own commands: --version, help, and agents --detail.
#include <gtest/gtest.h>

#include <filesystem>

#include <string>

#include "icsim/icsim.h"
#include "io/cli_support.h"

namespace icsim {
namespace {

using test::contains;

TEST(CommandLineInfo, VersionPrintsTheLibraryVersion) {
  const test::Cli r = test::icsim_cli("version", "--version");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, std::string("icsim ") + version() + "\n");
  EXPECT_EQ(version(), std::string("0.1.0"));
}

TEST(CommandLineInfo, HelpIsTheSameAsDashDashHelpAndNamesTheReference) {
  const test::Cli help = test::icsim_cli("help", "help");
  const test::Cli dash = test::icsim_cli("dash-help", "--help");
  EXPECT_EQ(help.status, 0) << help.err;
  EXPECT_EQ(dash.status, 0) << dash.err;
  EXPECT_EQ(help.out, dash.out);
  EXPECT_TRUE(contains(help.out, "docs/scenarios.md")) << help.out;
  EXPECT_TRUE(contains(help.out, "simulate")) << help.out;
  EXPECT_TRUE(contains(help.out, "--version")) << help.out;
}

TEST(CommandLineInfo, HelpOnACommand) {
  const test::Cli help = test::icsim_cli("help-agents", "help agents");
  const test::Cli dash = test::icsim_cli("dash-help-agents", "agents --help");
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out, dash.out);
  EXPECT_TRUE(contains(help.out, "--detail")) << help.out;
  const test::Cli bad = test::icsim_cli("help-bad", "help simulat");
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.err, "no command 'simulat'")) << bad.err;
}

TEST(CommandLineInfo, AgentDetailShowsParametersEffectsAndRandomEffects) {
  const test::Cli r = test::icsim_cli("detail-belantamab", "agents --detail belantamab-mafodotin");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string& o = r.out;
  EXPECT_TRUE(contains(o, "belantamab-mafodotin: Belantamab mafodotin (BCMA, antibody-drug conjugate)")) << o;
  EXPECT_TRUE(contains(o, "molecular weight: 152 kDa")) << o;
  // dotted name, value in the engine unit, the unit, the source
  EXPECT_TRUE(contains(o, "disposition.CL ")) << o;
  EXPECT_TRUE(contains(o, "0.926 L/day      papathanasiou2025\n")) << o;
  EXPECT_TRUE(contains(o, "66.4 day        papathanasiou2025\n")) << o;
  EXPECT_TRUE(contains(o, "covariate effects:\n")) << o;
  EXPECT_TRUE(contains(o, "power exponent 0.542")) << o;
  EXPECT_TRUE(contains(o, "factor 0.913 when asian")) << o;
  EXPECT_TRUE(contains(o, "random effects:\n")) << o;
  EXPECT_TRUE(contains(o, "log-normal, variance 0.06593 (CV 26.1 %)")) << o;
  EXPECT_TRUE(contains(o, "covariance of disposition.CL and disposition.V1: 0.0328")) << o;
  EXPECT_TRUE(contains(o, "bmi          27 kg/m2")) << o;
}

TEST(CommandLineInfo, AgentDetailConvertsToEngineUnits) {
  const test::Cli r = test::icsim_cli("detail-daratumumab", "agents --detail daratumumab");
  ASSERT_EQ(r.status, 0) << r.err;
  // 0.0051 L/h is 0.1224 L/day; Kss 1.79 mg/L at 148 kDa is 12.09 nM.
  EXPECT_TRUE(contains(r.out, "0.1224 L/day")) << r.out;
  EXPECT_TRUE(contains(r.out, "12.0946 nM")) << r.out;
  EXPECT_TRUE(contains(r.out, "covariate effects: none")) << r.out;
  EXPECT_TRUE(contains(r.out, "random effects: none")) << r.out;
}

TEST(CommandLineInfo, UnknownAgentSuggestsAndExitsWithTwo) {
  test::Cli r = test::icsim_cli("detail-typo", "agents --detail belantamab-mafodotn");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "unknown agent 'belantamab-mafodotn' (did you mean 'belantamab-mafodotin'?)")) << r.err;
  r = test::icsim_cli("detail-short", "agents --detail belantamab");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "(did you mean 'belantamab-mafodotin'?)")) << r.err;
  r = test::icsim_cli("detail-unknown", "agents --detail xyzzy");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "unknown agent 'xyzzy' (library: ")) << r.err;
  EXPECT_TRUE(contains(r.err, "belantamab-mafodotin, daratumumab")) << r.err;
  EXPECT_EQ(r.out, "");
}

const std::string kCohort =
    "name: c\nagent: belantamab-mafodotin\npatient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8, start: 0 d}\n"
    "simulation: {until: 140 d, patients: 20, variability: true}\n";

TEST(CommandLineOutputs, WriteOnlyWhatIsAsked) {
  namespace fs = std::filesystem;
  const auto some = test::simulate_cli("outputs-some", kCohort, "--outputs intervals,patients");
  ASSERT_EQ(some.status, 0) << some.err;
  EXPECT_FALSE(fs::exists(some.dir / "out" / "timeseries.csv"));
  for (const char* f : {"intervals.csv", "patients.csv", "summary.json", "scenario.yaml"})
    EXPECT_TRUE(fs::exists(some.dir / "out" / f)) << f;
  const auto no_series = test::simulate_cli("outputs-no-series", kCohort, "--no-timeseries");
  ASSERT_EQ(no_series.status, 0) << no_series.err;
  EXPECT_FALSE(fs::exists(no_series.dir / "out" / "timeseries.csv"));
  EXPECT_TRUE(fs::exists(no_series.dir / "out" / "intervals.csv"));
  // The same intervals whether or not the grid is filled.
  EXPECT_EQ(test::slurp(some.dir / "out" / "intervals.csv"), test::slurp(no_series.dir / "out" / "intervals.csv"));
  const auto bad = test::simulate_cli("outputs-bad", kCohort, "--outputs intervalz");
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(test::contains(bad.err, "--outputs: intervalz: unknown output (known: timeseries, patients, intervals)"))
      << bad.err;
  EXPECT_FALSE(fs::exists(bad.dir / "out"));
}

TEST(CommandLineOutputs, DosesAfterTheEndAreReported) {
  // 8 doses every 21 days start on days 0..147; the run ends at day 140.
  const auto r = test::simulate_cli("outputs-after-end", kCohort);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(test::contains(r.out, "warning: 1 of 8 planned doses fall after the end of the simulation (140 d)"))
      << r.out;
  const std::string summary = test::slurp(r.dir / "out" / "summary.json");
  EXPECT_TRUE(test::contains(summary, "\"after_until\": 1")) << summary;
  // The last interval (day 126) is cut short of its 21 days: truncated, no trough.
  const std::string intervals = test::slurp(r.dir / "out" / "intervals.csv");
  EXPECT_TRUE(test::contains(intervals, "\n0,6,126,140,")) << intervals;
  const size_t row = intervals.find("\n0,6,126,140,");
  const std::string line = intervals.substr(row + 1, intervals.find('\n', row + 1) - row - 1);
  EXPECT_EQ(line.back(), '1') << line;                          // truncated
  EXPECT_TRUE(test::contains(line, ",,")) << line;              // no trough
}

}  // namespace
}  // namespace icsim
