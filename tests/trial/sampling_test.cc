// Exposure over chosen windows and samples relative to doses, against what the same
// run already reports another way: a window equal to a dosing interval has that
// interval's AUC, Cavg and Cmax (tolerance 1e-6 relative: the window adds stops, so
// the integration path differs at the tolerance level); a pre-dose sample is the
// interval's trough; a sample at a grid time equals the grid's value (1e-6).
#include <gtest/gtest.h>

#include <cmath>

#include "support.h"

namespace icsim {
namespace {

const std::string kBela =
    "name: bela\n"
    "agent: belantamab-mafodotin\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 8}\n"
    "simulation: {until: 168 d, output_every: 1 d, rtol: 1e-9, atol: 1e-12 nmol}\n";

TEST(Windows, AWindowOnADosingIntervalHasItsExposure) {
  Scenario s = test::scenario_from_text("windows", kBela);
  s.simulation.windows = {{0, 21}, {147, 168}, {10, 30}};
  const auto sink = test::run(s);
  const auto& p = sink.patients.at(0);
  const Table& w = p.table("windows");
  ASSERT_EQ(w.rows(), 3u);
  const auto iv = test::intervals(p);
  for (size_t row : {0u, 1u}) {
    const auto& ref = row == 0 ? iv.front() : iv.back();
    EXPECT_NEAR(w.at(row, "auc_ug_day_per_mL"), ref.auc, 1e-6 * ref.auc);
    EXPECT_NEAR(w.at(row, "cavg_ug_per_mL"), ref.cavg, 1e-6 * ref.cavg);
    EXPECT_NEAR(w.at(row, "cmax_ug_per_mL"), ref.cmax, 1e-6 * ref.cmax);
  }
  // A window across a dose: its AUC is the cumulative AUC's difference (grid column).
  const double a30 = sink.at(0, 30, "auc_cumulative_ug_day_per_mL"), a10 = sink.at(0, 10, "auc_cumulative_ug_day_per_mL");
  EXPECT_NEAR(w.at(2, "auc_ug_day_per_mL"), a30 - a10, 1e-6 * (a30 - a10));
  EXPECT_LT(w.at(2, "cmin_ug_per_mL"), w.at(2, "cmax_ug_per_mL"));
}

TEST(DoseSamples, PredoseIsTheTroughAndLaterSamplesMatchTheGrid) {
  Scenario s = test::scenario_from_text("samples", kBela);
  s.simulation.dose_samples = {{DoseSample::Kind::kPredose, 0, "predose"},
                               {DoseSample::Kind::kEndOfInfusion, 0, "end_of_infusion"},
                               {DoseSample::Kind::kAfter, 2.0, "2 d"}};
  const auto sink = test::run(s);
  const auto& p = sink.patients.at(0);
  const Table& t = p.table("samples");
  const auto iv = test::intervals(p);
  int predose = 0, end_of_infusion = 0, after = 0;
  for (size_t row = 0; row < t.rows(); ++row) {
    const int kind = static_cast<int>(t.at(row, "kind"));
    const size_t dose = static_cast<size_t>(t.at(row, "dose"));
    const double time = t.at(row, "time_day"), c = t.at(row, "plasma_total_ug_per_mL");
    if (kind == 0) {
      ++predose;
      EXPECT_EQ(time, 21.0 * dose);
      if (dose == 0) EXPECT_EQ(c, 0.0);
      else EXPECT_NEAR(c, iv[dose - 1].ctrough, 1e-9 * iv[dose - 1].ctrough);
    } else if (kind == 1) {
      ++end_of_infusion;
      EXPECT_NEAR(time, 21.0 * dose + 30.0 / 1440, 1e-12);
      EXPECT_NEAR(c, iv[dose].cmax, 1e-6 * iv[dose].cmax);  // IV input peaks at the end of the infusion
    } else {
      ++after;
      const size_t grid_row = static_cast<size_t>(std::lround(time));  // daily grid
      const double g = sink.at(0, grid_row, "plasma_total_ug_per_mL");
      EXPECT_NEAR(c, g, 1e-6 * g);
    }
  }
  EXPECT_EQ(predose, 8);
  EXPECT_EQ(end_of_infusion, 8);
  EXPECT_EQ(after, 8);
}

}  // namespace
}  // namespace icsim
