// IMWG response and progression (src/disease/imwg.h) on hand-made trajectories:
// every category, confirmation, the nadir and progression rules at their edges,
// light-chain-only disease, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "disease/imwg.h"

namespace icsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEvery = 21;  // days between visits; visit i (from 0) is on day 21 * (i + 1)

// Serum M-protein visits every 21 days from a baseline on day 0.
std::vector<Assessment> visits_of(const std::vector<double>& m) {
  std::vector<Assessment> v;
  for (size_t i = 0; i < m.size(); ++i) {
    Assessment a;
    a.day = kEvery * static_cast<double>(i + 1);
    a.m_protein_g_per_L = m[i];
    v.push_back(a);
  }
  return v;
}

Assessment baseline_of(double m0) {
  Assessment b;
  b.m_protein_g_per_L = m0;
  return b;
}

ImwgResult assess(double m0, const std::vector<double>& m, const ImwgOptions& o = {}) {
  return assess_imwg(baseline_of(m0), visits_of(m), o);
}

// The message of the std::invalid_argument `f` throws, or "" when it throws none.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

using R = Response;

TEST(ImwgNames, EveryCategoryAndMeasure) {
  EXPECT_STREQ(to_string(R::kSCR), "sCR");
  EXPECT_STREQ(to_string(R::kCR), "CR");
  EXPECT_STREQ(to_string(R::kVGPR), "VGPR");
  EXPECT_STREQ(to_string(R::kPR), "PR");
  EXPECT_STREQ(to_string(R::kMR), "MR");
  EXPECT_STREQ(to_string(R::kSD), "SD");
  EXPECT_STREQ(to_string(R::kPD), "PD");
  EXPECT_STREQ(to_string(ImwgMeasure::kAuto), "auto");
  EXPECT_STREQ(to_string(ImwgMeasure::kSerum), "serum");
  EXPECT_STREQ(to_string(ImwgMeasure::kLightChain), "light_chain");
}

TEST(ImwgOptions, DefaultsAreValidAndBadValuesSayWhy) {
  ImwgOptions o;
  std::string why;
  EXPECT_TRUE(o.is_valid(&why));
  EXPECT_TRUE(o.confirm_response);
  EXPECT_TRUE(o.confirm_progression);
  EXPECT_EQ(o.measure, ImwgMeasure::kAuto);
  EXPECT_DOUBLE_EQ(o.cr_threshold_g_per_L, 0.1);
  EXPECT_DOUBLE_EQ(o.scr_tumour_fraction, 1e-5);
  EXPECT_DOUBLE_EQ(o.cr_involved_flc_mg_per_L, 19.4);

  o.cr_threshold_g_per_L = -0.1;
  EXPECT_FALSE(o.is_valid(&why));
  EXPECT_NE(why.find("cr_threshold_g_per_L"), std::string::npos) << why;
  o = {};
  o.scr_tumour_fraction = 1.5;
  EXPECT_FALSE(o.is_valid(&why));
  EXPECT_NE(why.find("scr_tumour_fraction"), std::string::npos) << why;
  o.scr_tumour_fraction = kNaN;
  EXPECT_FALSE(o.is_valid(nullptr));
  o = {};
  o.cr_involved_flc_mg_per_L = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(o.is_valid(&why));
  EXPECT_NE(why.find("cr_involved_flc_mg_per_L"), std::string::npos) << why;
  // assess_imwg checks them too.
  EXPECT_NE(error_of([&] { assess_imwg(baseline_of(40), {}, o); }).find("assess_imwg: options: cr_involved"),
            std::string::npos);
}

// Baseline 40 g/L; two equal visits confirm each category.
TEST(ImwgCategories, EachCategoryFromTwoEqualVisits) {
  EXPECT_EQ(assess(40, {36, 36}).best, R::kSD);  // 10 % fall
  EXPECT_EQ(assess(40, {30, 30}).best, R::kMR);  // 25 % fall
  EXPECT_EQ(assess(40, {20, 20}).best, R::kPR);  // 50 %
  EXPECT_EQ(assess(40, {4, 4}).best, R::kVGPR);  // 90 %
  EXPECT_EQ(assess(40, {0.05, 0.05}).best, R::kCR);

  auto v = visits_of({0.05, 0.05});
  v[0].tumour_fraction = 1e-6;
  v[1].tumour_fraction = 2e-6;
  const ImwgResult s = assess_imwg(baseline_of(40), v);
  EXPECT_EQ(s.best, R::kSCR);
  EXPECT_EQ(s.per_visit, (std::vector<R>{R::kSCR, R::kSCR}));
  EXPECT_DOUBLE_EQ(s.cr_day, 21);

  const ImwgResult pd = assess(40, {40, 50, 52});
  EXPECT_EQ(pd.best, R::kPD);
  EXPECT_EQ(pd.per_visit, (std::vector<R>{R::kSD, R::kPD, R::kPD}));
  EXPECT_DOUBLE_EQ(pd.progression_day, 42);
}

// Each reduction threshold is inclusive; a hair above it is the category below.
TEST(ImwgCategories, ReductionThresholdsAreInclusive) {
  auto one = [](double m) { return assess(40, {m, m}).per_visit[0]; };
  EXPECT_EQ(one(30), R::kMR);     // exactly 25 %
  EXPECT_EQ(one(30.01), R::kSD);  // 24.975 %
  EXPECT_EQ(one(20), R::kPR);     // exactly 50 %
  EXPECT_EQ(one(20.01), R::kMR);
  EXPECT_EQ(one(4), R::kVGPR);    // exactly 90 %
  EXPECT_EQ(one(4.01), R::kPR);
  EXPECT_EQ(one(0.0999), R::kCR);  // below cr_threshold_g_per_L = 0.1
  EXPECT_EQ(one(0.1), R::kVGPR);   // "below" is strict
  EXPECT_EQ(one(0), R::kCR);
  // Other hand-made baselines with exact edges.
  EXPECT_EQ(assess(50, {25, 25}).best, R::kPR);
  EXPECT_EQ(assess(70, {7, 7}).best, R::kVGPR);
  EXPECT_EQ(assess(30, {15, 15}).best, R::kPR);
}

TEST(ImwgCategories, SurrogatesForCrAndScr) {
  // CR needs the VGPR fall too: from a baseline of 0.5 g/L, 0.09 g/L is only an 82 % fall.
  EXPECT_EQ(assess(0.5, {0.09, 0.09}).best, R::kPR);
  EXPECT_EQ(assess(0.5, {0.05, 0.05}).best, R::kCR);
  // sCR: tumour fraction strictly below 1e-5; unknown (NaN) leaves CR the best.
  auto with_fraction = [](double f) {
    auto v = visits_of({0.05, 0.05});
    v[0].tumour_fraction = v[1].tumour_fraction = f;
    return assess_imwg(baseline_of(40), v).best;
  };
  EXPECT_EQ(with_fraction(9.99e-6), R::kSCR);
  EXPECT_EQ(with_fraction(1e-5), R::kCR);
  EXPECT_EQ(with_fraction(kNaN), R::kCR);
  EXPECT_EQ(with_fraction(0), R::kSCR);
  // A tiny tumour fraction without the CR surrogate is no sCR.
  auto v = visits_of({4, 4});
  v[0].tumour_fraction = v[1].tumour_fraction = 0;
  EXPECT_EQ(assess_imwg(baseline_of(40), v).best, R::kVGPR);
  // A higher threshold calls CR sooner.
  ImwgOptions o;
  o.cr_threshold_g_per_L = 0.5;
  EXPECT_EQ(assess(40, {0.3, 0.3}, o).best, R::kCR);
  EXPECT_EQ(assess(40, {0.3, 0.3}).best, R::kVGPR);
}

TEST(ImwgConfirmation, AnIsolatedVisitDoesNotCountTwoDo) {
  // PR at visits 1 and 3 only, MR between (a rise to SD would be progression from the
  // nadir of 20 g/L): no PR is confirmed, only MR.
  ImwgResult r = assess(40, {20, 24, 20, 24});
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kPR, R::kMR, R::kPR, R::kMR}));
  EXPECT_EQ(r.best, R::kMR);
  EXPECT_TRUE(std::isnan(r.response_day));
  EXPECT_FALSE(r.response_censored);
  // The same series unconfirmed: the first PR visit counts.
  ImwgOptions o;
  o.confirm_response = false;
  r = assess(40, {20, 24, 20, 24}, o);
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_DOUBLE_EQ(r.response_day, 21);
  // Two consecutive PR visits: confirmed, dated at the first.
  r = assess(40, {36, 19, 18, 22});
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kSD, R::kPR, R::kPR, R::kMR}));
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_DOUBLE_EQ(r.response_day, 42);
  // A PR at the last visit alone cannot be confirmed.
  r = assess(40, {36, 36, 20});
  EXPECT_EQ(r.best, R::kSD);
  EXPECT_TRUE(std::isnan(r.response_day));
}

TEST(ImwgConfirmation, ThePairCountsAsTheWorseOfItsTwo) {
  ImwgResult r = assess(40, {4, 4.9});  // VGPR then PR
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_DOUBLE_EQ(r.response_day, 21);
  EXPECT_TRUE(std::isnan(r.vgpr_day));
  r = assess(40, {0.05, 4, 0.05});  // CR, VGPR, CR
  EXPECT_EQ(r.best, R::kVGPR);
  EXPECT_TRUE(std::isnan(r.cr_day));
  EXPECT_DOUBLE_EQ(r.vgpr_day, 21);
  // Deepening response: the best pair, with the first day of each level.
  r = assess(40, {30, 20, 20, 4, 4, 0.05, 0.05, 0.05});
  EXPECT_EQ(r.best, R::kCR);
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kMR, R::kPR, R::kPR, R::kVGPR, R::kVGPR, R::kCR, R::kCR, R::kCR}));
  EXPECT_DOUBLE_EQ(r.response_day, 42);
  EXPECT_DOUBLE_EQ(r.vgpr_day, 84);
  EXPECT_DOUBLE_EQ(r.cr_day, 126);
  EXPECT_TRUE(r.response_censored);
  EXPECT_DOUBLE_EQ(r.censoring_day, 168);
  EXPECT_TRUE(std::isnan(r.duration_of_response_day));
}

// Nadir: running minimum over baseline and visits; 25 % and 5 g/L above it, confirmed.
TEST(ImwgProgression, FromTheNadirConfirmedAtTheNextVisit) {
  const ImwgResult r = assess(40, {12, 10, 15, 16, 3, 3});
  EXPECT_DOUBLE_EQ(r.nadir, 10);
  EXPECT_DOUBLE_EQ(r.nadir_day, 42);
  EXPECT_DOUBLE_EQ(r.progression_day, 63);  // 15 g/L: +50 % and exactly +5 g/L
  EXPECT_EQ(r.best, R::kPR);                // confirmed PR before progression
  EXPECT_DOUBLE_EQ(r.response_day, 21);
  EXPECT_DOUBLE_EQ(r.duration_of_response_day, 42);
  EXPECT_FALSE(r.response_censored);
  EXPECT_TRUE(std::isnan(r.censoring_day));
  EXPECT_TRUE(std::isnan(r.unconfirmed_progression_day));
  // The patient leaves at the confirming visit: the later fall changes nothing.
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kPR, R::kPR, R::kPD, R::kPD}));
}

TEST(ImwgProgression, ThresholdsAtTheirEdges) {
  // Nadir 40 g/L (baseline): exactly +25 % is PD, +24.99 % is not.
  EXPECT_DOUBLE_EQ(assess(40, {50, 50}).progression_day, 21);
  ImwgResult r = assess(40, {49.996, 49.996});
  EXPECT_TRUE(std::isnan(r.progression_day));
  EXPECT_EQ(r.best, R::kSD);
  // Nadir 20: 25 g/L is +25 % and exactly +5 g/L; nadir 19.6: 24.5 g/L is +25 % but only +4.9 g/L.
  EXPECT_DOUBLE_EQ(assess(40, {20, 20, 25, 25}).progression_day, 63);
  r = assess(40, {19.6, 19.6, 24.5, 24.5});
  EXPECT_TRUE(std::isnan(r.progression_day));
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kPR, R::kPR, R::kMR, R::kMR}));
  // Nadir 16: 20 g/L is +25 % but +4 g/L; 21 g/L is +31 % and +5 g/L.
  EXPECT_TRUE(std::isnan(assess(16, {16, 20, 20}).progression_day));
  EXPECT_DOUBLE_EQ(assess(16, {16, 21, 21}).progression_day, 42);
  // A nadir of 0 (complete response): +5 g/L is progression, +4.9 g/L is not.
  r = assess(40, {0, 0, 5, 5});
  EXPECT_DOUBLE_EQ(r.progression_day, 63);
  EXPECT_EQ(r.best, R::kCR);
  EXPECT_TRUE(std::isnan(assess(40, {0, 0, 4.9, 4.9}).progression_day));
}

// From a nadir >= 50 g/L a rise of 10 g/L is enough, without 25 %.
TEST(ImwgProgression, TenGramRuleFromANadirOfFiftyOrMore) {
  ImwgResult r = assess(60, {60, 70, 70});  // +16.7 %, +10 g/L
  EXPECT_DOUBLE_EQ(r.nadir, 60);
  EXPECT_DOUBLE_EQ(r.progression_day, 42);
  EXPECT_EQ(r.best, R::kPD);
  EXPECT_TRUE(std::isnan(assess(60, {60, 69.9, 69.9}).progression_day));
  // Exactly 50: 60 g/L (+20 %, +10 g/L) is progression.
  EXPECT_DOUBLE_EQ(assess(50, {60, 60}).progression_day, 21);
  // Nadir 48 (< 50): +10 g/L is only +20.8 %, so not progression; 60 g/L (+25 %, +12) is.
  EXPECT_TRUE(std::isnan(assess(48, {58, 58}).progression_day));
  EXPECT_DOUBLE_EQ(assess(48, {60, 60}).progression_day, 21);
}

TEST(ImwgProgression, ConfirmationAndTheLastVisit) {
  // A single rise that falls back is not progression and does not move the nadir.
  ImwgResult r = assess(40, {20, 20, 30, 20, 20});
  EXPECT_TRUE(std::isnan(r.progression_day));
  EXPECT_TRUE(std::isnan(r.unconfirmed_progression_day));
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kPR, R::kPR, R::kPD, R::kPR, R::kPR}));
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_DOUBLE_EQ(r.nadir, 20);
  EXPECT_DOUBLE_EQ(r.nadir_day, 21);
  EXPECT_DOUBLE_EQ(r.censoring_day, 105);
  // A rise at the last visit cannot be confirmed: reported, not progression.
  r = assess(40, {20, 20, 30});
  EXPECT_TRUE(std::isnan(r.progression_day));
  EXPECT_DOUBLE_EQ(r.unconfirmed_progression_day, 63);
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_TRUE(r.response_censored);
  EXPECT_DOUBLE_EQ(r.censoring_day, 63);
  // Without confirmation the first rise is progression.
  ImwgOptions o;
  o.confirm_progression = false;
  r = assess(40, {20, 20, 30, 20, 20}, o);
  EXPECT_DOUBLE_EQ(r.progression_day, 63);
  EXPECT_EQ(r.per_visit.size(), 3u);
  EXPECT_DOUBLE_EQ(r.duration_of_response_day, 42);
  // Both confirming visits are judged against the same nadir.
  r = assess(40, {8, 8, 13, 13.5});
  EXPECT_DOUBLE_EQ(r.progression_day, 63);
  EXPECT_DOUBLE_EQ(r.nadir, 8);
}

TEST(ImwgProgression, BestIsPdOnlyWithoutAConfirmedResponseBeforeIt) {
  // A confirmed MR before progression keeps MR.
  ImwgResult r = assess(40, {30, 30, 40, 40});
  EXPECT_DOUBLE_EQ(r.progression_day, 63);
  EXPECT_EQ(r.best, R::kMR);
  EXPECT_TRUE(std::isnan(r.response_day));  // MR is no response for the response day
  EXPECT_TRUE(std::isnan(r.duration_of_response_day));
  // An unconfirmed PR before progression: PD.
  r = assess(40, {20, 40, 41});
  EXPECT_DOUBLE_EQ(r.progression_day, 42);
  EXPECT_EQ(r.best, R::kPD);
  // A visit meeting the progression rule confirms no response even when it is a deep
  // fall from baseline (nadir 2, then 8 g/L: 80 % below baseline, +300 % from nadir).
  r = assess(40, {2, 8, 9});
  EXPECT_EQ(r.per_visit, (std::vector<R>{R::kVGPR, R::kPD, R::kPD}));
  EXPECT_DOUBLE_EQ(r.progression_day, 42);
  EXPECT_EQ(r.best, R::kPD);
}

TEST(ImwgProgression, NoVisits) {
  const ImwgResult r = assess(40, {});
  EXPECT_EQ(r.best, R::kSD);
  EXPECT_EQ(r.measure, ImwgMeasure::kSerum);
  EXPECT_TRUE(r.per_visit.empty());
  EXPECT_TRUE(std::isnan(r.response_day));
  EXPECT_TRUE(std::isnan(r.progression_day));
  EXPECT_TRUE(std::isnan(r.unconfirmed_progression_day));
  EXPECT_DOUBLE_EQ(r.nadir, 40);
  EXPECT_DOUBLE_EQ(r.nadir_day, 0);
  EXPECT_FALSE(r.response_censored);
  EXPECT_DOUBLE_EQ(r.censoring_day, 0);
}

// Light-chain-only disease: serum M < 10 g/L, involved FLC >= 100 mg/L.
Assessment flc(double day, double involved, double uninvolved = 0, double m = 0) {
  Assessment a;
  a.day = day;
  a.m_protein_g_per_L = m;
  a.involved_flc_mg_per_L = involved;
  a.uninvolved_flc_mg_per_L = uninvolved;
  return a;
}

TEST(ImwgLightChain, ChosenFromTheBaselinesOrForced) {
  // 5 g/L serum, 400 mg/L involved: light chain; dFLC halves.
  ImwgResult r = assess_imwg(flc(0, 400, 10, 5), {flc(21, 205, 10, 5), flc(42, 205, 10, 5)});
  EXPECT_EQ(r.measure, ImwgMeasure::kLightChain);
  EXPECT_EQ(r.best, R::kPR);  // dFLC 390 -> 195: exactly 50 %
  EXPECT_DOUBLE_EQ(r.nadir, 195);
  // Serum M measurable (>= 10 g/L): serum, whatever the FLC.
  r = assess_imwg(flc(0, 400, 0, 10), {flc(21, 400, 0, 5), flc(42, 400, 0, 5)});
  EXPECT_EQ(r.measure, ImwgMeasure::kSerum);
  EXPECT_EQ(r.best, R::kPR);
  // Neither measurable: serum (relative change only).
  r = assess_imwg(flc(0, 99, 0, 5), {flc(21, 99, 0, 2.5), flc(42, 99, 0, 2.5)});
  EXPECT_EQ(r.measure, ImwgMeasure::kSerum);
  EXPECT_EQ(r.best, R::kPR);
  // Forced either way.
  ImwgOptions o;
  o.measure = ImwgMeasure::kLightChain;
  r = assess_imwg(flc(0, 400, 0, 20), {flc(21, 40, 0, 20), flc(42, 40, 0, 20)}, o);
  EXPECT_EQ(r.measure, ImwgMeasure::kLightChain);
  EXPECT_EQ(r.best, R::kVGPR);
  o.measure = ImwgMeasure::kSerum;
  r = assess_imwg(flc(0, 400, 0, 5), {flc(21, 40, 0, 5), flc(42, 40, 0, 5)}, o);
  EXPECT_EQ(r.measure, ImwgMeasure::kSerum);
  EXPECT_EQ(r.best, R::kSD);
}

TEST(ImwgLightChain, CategoriesFromDflc) {
  auto best = [](double involved, double uninvolved = 0, double m = 0) {
    return assess_imwg(flc(0, 400), {flc(21, involved, uninvolved, m), flc(42, involved, uninvolved, m)}).best;
  };
  EXPECT_EQ(best(200), R::kPR);    // exactly 50 %
  EXPECT_EQ(best(201), R::kSD);    // no MR by FLC
  EXPECT_EQ(best(250), R::kSD);    // 37.5 % fall: would be MR in serum, SD here
  EXPECT_EQ(best(40), R::kVGPR);   // exactly 90 %
  EXPECT_EQ(best(41), R::kPR);
  EXPECT_EQ(best(19.4), R::kCR);   // normal involved FLC and no serum M
  EXPECT_EQ(best(19.5), R::kVGPR);
  EXPECT_EQ(best(15, 0, 0.2), R::kVGPR);  // serum M still seen
  EXPECT_EQ(best(30, 20), R::kVGPR);      // dFLC 10 (97.5 % fall) but involved FLC above normal
  EXPECT_EQ(best(10, 15), R::kCR);        // involved below uninvolved: dFLC 0
}

TEST(ImwgLightChain, ProgressionNeedsMoreThan100MgPerL) {
  auto series = [](std::vector<double> involved) {
    std::vector<Assessment> v;
    for (size_t i = 0; i < involved.size(); ++i) v.push_back(flc(21.0 * (i + 1), involved[i]));
    return assess_imwg(flc(0, 400), v);
  };
  // Nadir 200: 300 is +50 % but exactly +100 (not > 100); 301 is progression.
  EXPECT_TRUE(std::isnan(series({200, 200, 300, 300}).progression_day));
  ImwgResult r = series({200, 200, 301, 305});
  EXPECT_DOUBLE_EQ(r.progression_day, 63);
  EXPECT_EQ(r.best, R::kPR);
  EXPECT_DOUBLE_EQ(r.duration_of_response_day, 42);
  // Nadir 800 from a high baseline: +120 mg/L is only +15 %; +200 (25 %) is progression.
  auto high = [](double involved) {
    return assess_imwg(flc(0, 800), {flc(21, involved), flc(42, involved)}).progression_day;
  };
  EXPECT_TRUE(std::isnan(high(920)));
  EXPECT_DOUBLE_EQ(high(1000), 21);
}

TEST(ImwgInput, BadValuesThrowNamingTheArgument) {
  auto msg = [](const Assessment& b, const std::vector<Assessment>& v, ImwgOptions o = {}) {
    return error_of([&] { assess_imwg(b, v, o); });
  };
  EXPECT_NE(msg(baseline_of(0), {}).find("baseline.m_protein_g_per_L must be > 0"), std::string::npos);
  EXPECT_NE(msg(baseline_of(-1), {}).find("baseline.m_protein_g_per_L must be finite and >= 0"),
            std::string::npos);
  EXPECT_NE(msg(baseline_of(kNaN), {}).find("baseline.m_protein_g_per_L"), std::string::npos);
  // Days must increase strictly from the baseline on.
  auto v = visits_of({20, 20, 20});
  v[2].day = 42;
  EXPECT_NE(msg(baseline_of(40), v).find("visits[2].day (42) must be after"), std::string::npos);
  v = visits_of({20});
  v[0].day = 0;
  EXPECT_NE(msg(baseline_of(40), v).find("visits[0].day (0) must be after"), std::string::npos);
  v[0].day = kNaN;
  EXPECT_NE(msg(baseline_of(40), v).find("visits[0].day must be finite"), std::string::npos);
  // A missing or negative visit value, a negative tumour fraction.
  EXPECT_NE(msg(baseline_of(40), visits_of({20, kNaN})).find("visits[1].m_protein_g_per_L"), std::string::npos);
  EXPECT_NE(msg(baseline_of(40), visits_of({-0.1})).find("visits[0].m_protein_g_per_L"), std::string::npos);
  v = visits_of({20});
  v[0].tumour_fraction = -1e-6;
  EXPECT_NE(msg(baseline_of(40), v).find("visits[0].tumour_fraction"), std::string::npos);
  // Light chain: the involved FLC is needed, and the baseline dFLC must be > 0.
  EXPECT_NE(msg(flc(0, 400), {flc(21, kNaN)}).find("visits[0].involved_flc_mg_per_L"), std::string::npos);
  EXPECT_NE(msg(flc(0, 400), {flc(21, 200, -1)}).find("visits[0].uninvolved_flc_mg_per_L"), std::string::npos);
  ImwgOptions o;
  o.measure = ImwgMeasure::kLightChain;
  EXPECT_NE(msg(baseline_of(40), {}, o).find("baseline.involved_flc_mg_per_L"), std::string::npos);
  EXPECT_NE(msg(flc(0, 50, 50, 40), {}, o).find("baseline dFLC"), std::string::npos);
  // Every message names the function.
  EXPECT_EQ(msg(baseline_of(0), {}).rfind("assess_imwg: ", 0), 0u);
  // Valid input throws nothing.
  EXPECT_EQ(msg(baseline_of(40), visits_of({20, 20})), "");
}

TEST(ImwgObservation, ResidualErrorIsCombinedAndFloored) {
  // z = 0: the true value.
  EXPECT_DOUBLE_EQ(observe_m_protein(30, 0.832, 0.063, 0), 30);
  // sd = sqrt(3^2 + (0.1*40)^2) = 5.
  EXPECT_DOUBLE_EQ(observe_m_protein(40, 3, 0.1, 1), 45);
  EXPECT_DOUBLE_EQ(observe_m_protein(40, 3, 0.1, -2), 30);
  // Additive only at m = 0; the floor at 0.
  EXPECT_DOUBLE_EQ(observe_m_protein(0, 0.832, 0.063, 1.5), 0.832 * 1.5);
  EXPECT_DOUBLE_EQ(observe_m_protein(1, 0.832, 0.063, -5), 0);
  EXPECT_NE(error_of([] { observe_m_protein(-1, 1, 0.1, 0); }).find("observe_m_protein: m must be"),
            std::string::npos);
  EXPECT_NE(error_of([] { observe_m_protein(1, -1, 0.1, 0); }).find("additive_sd"), std::string::npos);
  EXPECT_NE(error_of([] { observe_m_protein(1, 1, kNaN, 0); }).find("proportional_sd"), std::string::npos);
  EXPECT_NE(error_of([] { observe_m_protein(1, 1, 0.1, kNaN); }).find("z must be finite"), std::string::npos);
}

}  // namespace
}  // namespace icsim
