// The public API (include/icsim/icsim.h) as a library user calls it: load a scenario
// from text or a file with overrides, run it into memory or a sink, read records.
#include <gtest/gtest.h>

#include <filesystem>

#include "icsim/icsim.h"
#include "support.h"

namespace icsim {
namespace {

const std::string kText =
    "name: api\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d}\n";

TEST(Api, RunInMemoryFromText) {
  const LoadedScenario s = LoadedScenario::from_text(kText, "api.yaml", {"simulation.patients=3"});
  EXPECT_EQ(s.name(), "api");
  EXPECT_EQ(s.agent_id(), "belantamab-mafodotin");
  EXPECT_EQ(s.patients(), 3);
  const CohortResult r = run_in_memory(s);
  ASSERT_EQ(r.patients.size(), 3u);
  EXPECT_EQ(r.summary.patients, 3);
  EXPECT_EQ(r.info.columns.front(), "plasma_total_ug_per_mL");
  const Table& iv = r.patients[0].table("intervals");
  EXPECT_EQ(iv.rows(), 8u);
  // Papathanasiou 2025 typical patient, cycle 1: Cmax 44.2 ug/mL (docs/validation.md: within 1%).
  EXPECT_NEAR(iv.at(0, "cmax_ug_per_mL"), 44.2, 0.01 * 44.2);
  EXPECT_THROW(iv.at(0, "no_such_column"), std::out_of_range);
  EXPECT_THROW(r.patients[0].table("no_such_table"), std::out_of_range);
}

TEST(Api, BadInputIsAnInputErrorNamingTheKey) {
  try {
    LoadedScenario::from_text(kText, "api.yaml", {"regimen.dose=-1 mg/kg"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.key(), "regimen.dose");
    EXPECT_EQ(e.file(), "--set");
  }
}

TEST(Api, LibraryAgentsAndVersion) {
  const auto agents = library_agents();
  ASSERT_GE(agents.size(), 2u);
  bool bela = false;
  for (const auto& a : agents) bela |= a.id == "belantamab-mafodotin" && a.antigen == "BCMA";
  EXPECT_TRUE(bela);
  EXPECT_STRNE(version(), "");
}

}  // namespace
}  // namespace icsim
