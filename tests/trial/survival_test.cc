// Kaplan-Meier estimate (src/trial/survival.h) against hand-computed product limits,
// and the survival observer on an untreated animal against the closed form of its
// tumour's growth. R's survival package is checked on the same times by
// tests/validation/survival_crosscheck.R.
#include "trial/survival.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "support.h"

namespace icsim {
namespace {

TEST(KaplanMeier, ProductLimitWithCensoring) {
  // Deaths at 2, 4, 4, 7; censored at 3 and 8. At risk: 6 at 2, 4 at 4, 2 at 7.
  const KaplanMeier km = kaplan_meier({2, 3, 4, 4, 7, 8}, {false, true, false, false, false, true});
  ASSERT_EQ(km.times.size(), 3u);
  EXPECT_DOUBLE_EQ(km.survival[0], 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(km.survival[1], 5.0 / 6.0 * 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(km.survival[2], 5.0 / 6.0 * 2.0 / 4.0 * 1.0 / 2.0);
  EXPECT_EQ(km.events, 4);
  EXPECT_EQ(km.subjects, 6);
  EXPECT_DOUBLE_EQ(km.at(3.9), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(km.median(), 4.0);  // S(4) = 0.4167 <= 0.5
}

TEST(KaplanMeier, MedianOnAnExactHalfIsTheMidpointAsInR) {
  // S = 0.75, 0.5 at 1, 2, then a death at 3: R's survfit gives 2.5.
  EXPECT_DOUBLE_EQ(kaplan_meier({1, 2, 3, 4}, {false, false, false, true}).median(), 2.5);
  // No event after the half: R gives the time of the half itself.
  EXPECT_DOUBLE_EQ(kaplan_meier({1, 2, 3, 4}, {false, false, true, true}).median(), 2.0);
}

TEST(KaplanMeier, MedianNotReachedAndBadInput) {
  EXPECT_TRUE(std::isnan(kaplan_meier({5, 6, 7, 8}, {true, false, true, true}).median()));
  EXPECT_TRUE(std::isnan(kaplan_meier({}, {}).median()));
  EXPECT_THROW(kaplan_meier({1, 2}, {false}), std::invalid_argument);
  EXPECT_THROW(kaplan_meier({-1}, {false}), std::invalid_argument);
}

// An untreated mouse: logistic growth from N0 at rate r with capacity K reaches the
// lethal burden L at t* = ln[(L (K - N0)) / (N0 (K - L))] / r; the observer reports the
// first daily check at or after it.
TEST(SurvivalObserver, UntreatedAnimalDiesOnTheFirstCheckAfterTheClosedForm) {
  const std::string text = R"(
name: untreated
agent:
  base: ac225-dota-daratumumab
  target: {model: none}
  cellular: {effector: radionuclide, kon: 8.88 /nM/day, koff: 2.64 /day, internalisation: 2.4 /day,
             antigen_turnover: 2.4 /day, lysosomal_degradation: 0.72 /day}
patient: {species: mouse, weight: 25 g}
disease:
  cells: 1e5 cell
  growth: logistic
  carrying_capacity: 1e10 cell
  doubling_time: 3.3 d
  lethal_burden: 2e8 cell
  variability: false
  clones: [{name: a, fraction: 1, antigen: 30000 /cell}]
regimen: none
simulation: {until: 60 d, output_every: 1 d}
)";
  const auto sink = test::run(test::scenario_from_text("survival-untreated", text));
  const double r = std::log(2.0) / 3.3, n0 = 1e5, k = 1e10, lethal = 2e8;
  const double t_star = std::log(lethal * (k - n0) / (n0 * (k - lethal))) / r;
  const Table& t = sink.patients.at(0).table("survival");
  EXPECT_DOUBLE_EQ(t.at(0, "survival_day"), std::ceil(t_star));
  EXPECT_EQ(t.at(0, "survival_censored"), 0.0);
  EXPECT_EQ(t.schema().level(2, t.at(0, "death_cause")), std::string("tumour"));
  // The tumour's own output crosses the lethal burden between the day before and that day.
  const size_t day = static_cast<size_t>(std::ceil(t_star));
  EXPECT_LT(sink.at(0, day - 1, "tumour_cells"), lethal);
  EXPECT_GE(sink.at(0, day, "tumour_cells"), lethal);
  // Its M-protein never rises 5 g/L, so IMWG never calls progression: PFS ends at death.
  const Table& response = sink.patients.at(0).table("response");
  EXPECT_TRUE(std::isnan(response.at(0, "progression_day")));
  EXPECT_DOUBLE_EQ(response.at(0, "pfs_day"), std::ceil(t_star));
  EXPECT_EQ(response.at(0, "pfs_censored"), 0.0);
}

}  // namespace
}  // namespace icsim
