// Pretargeting (src/radiation/pretargeting.cc) against what is known without the model:
//  - doses of the conjugate alone give the plain agent's plasma curve (the pretargeting
//    states stay at zero; 1e-8 relative at rtol 1e-10: the two models have different
//    state vectors, so different error norms and steps, and cannot be bitwise equal);
//  - the hapten's label atoms are conserved: free, bound to conjugate (in every pool,
//    catabolised included), in the kidneys, excreted and decayed add up to the dose,
//    through clearing agent, tumour and decay (1e-10 relative at rtol 1e-12);
//  - without clearing agent and with binding made 1000 times faster (kon 1e10 /M/s), the
//    bound hapten is min(hapten, sites) at the hapten's dose, and follows the conjugate
//    (the bi-exponential of the two-compartment model) after it (1e-6: what the kidneys
//    take before binding is complete);
//  - Green 2014's tumour:blood ratio of 638:1 24 h after the hapten, against the shipped
//    scenario: reported, not met, with the reason and what is asserted instead above the
//    test; and the conventional one-step labelled antibody at <= ~1 (Green 2014: never
//    above 1:1);
//  - bad input: `of:` an unknown thing, a hapten dose without pretargeting, a negative
//    specific activity, an activity dose of the unlabelled conjugate, a label section
//    besides pretargeting: exit 2 naming file, line and key;
//  - the scenario a run writes (with `of:`) runs again to the same time series.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include "final_state.h"
#include "radiation/label.h"
#include "radiation/nuclide.h"
#include "support.h"

namespace icsim {
namespace {

namespace fs = std::filesystem;

constexpr double kLn2 = 0.69314718055994531;
// Green 2014's mouse PK (data/agents/okt10-sa-y90-dota-biotin.yaml): mL, mL/day.
constexpr double kCL = 0.25, kV1 = 1.0, kQ = 0.5, kV2 = 1.0;
constexpr double kMolecularWeight = 214000.0;
constexpr int kSites = 4;

double y90_lambda() { return radiation::NuclideLibrary::shared().get("Y-90").lambda_per_day; }

// An inline mouse agent: the library's disposition, with the pretargeting section
// `pretargeting` ("" for the plain conjugate).
std::string scenario(const std::string& pretargeting, const std::string& regimen, const std::string& until = "4 d",
                     const std::string& solver = "{solver: cvode, rtol: 1e-10, atol: 1e-16 nmol}") {
  std::string s =
      "name: pretargeting-test\n"
      "agent:\n"
      "  inline:\n"
      "    id: prit-test\n"
      "    name: pretargeting test agent\n"
      "    molecular_weight: 214 kDa\n"
      "    disposition: {compartments: 2, CL: 0.25 mL/day, V1: 1 mL, Q: 0.5 mL/day, V2: 1 mL}\n";
  if (!pretargeting.empty()) s += "    pretargeting: " + pretargeting + "\n";
  s += "patient: {species: mouse, weight: 25 g}\n"
       "regimen: " + regimen + "\n"
       "simulation: {until: " + until + ", output_every: 1 h, " + solver.substr(1) + "\n";
  return s;
}

std::string section(const std::string& kon = "1e7 /M/s", const std::string& kd = "1e-14 M",
                    const std::string& specific_activity = "24.7 MBq/nmol", bool clearing_agent = true) {
  return "{nuclide: Y-90, kon: " + kon + ", kd: " + kd + ", hapten: {specific_activity: " + specific_activity +
         ", volume: 5.5 mL, renal_clearance: 0.2019 L/day, kidney_retention: 0.01, kidney_half_life: 6.8 h}" +
         (clearing_agent ? ", clearing_agent: {molecular_weight: 8.62 kDa, volume: 1 mL, clearance: 45.5 /day,"
                           " complex_removal: 45.5 /day}"
                         : "") +
         "}";
}

// Conjugate in the body (central + peripheral, nmol) t days after a bolus of `dose`
// nmol: the two-compartment model's closed form (Gibaldi & Perrier, ch. 2).
double conjugate_in_body(double dose, double t) {
  const double k10 = kCL / kV1, k12 = kQ / kV1, k21 = kQ / kV2, s = k10 + k12 + k21;
  const double root = std::sqrt(s * s - 4.0 * k10 * k21);
  const double alpha = (s + root) / 2.0, beta = (s - root) / 2.0;
  const double central =
      dose * ((alpha - k21) * std::exp(-alpha * t) + (k21 - beta) * std::exp(-beta * t)) / (alpha - beta);
  const double peripheral = dose * k12 * (std::exp(-beta * t) - std::exp(-alpha * t)) / (alpha - beta);
  return central + peripheral;
}

TEST(Pretargeting, ConjugateAloneIsThePlainAgent) {
  const std::string regimen = "[{dose: 300 ug}, {dose: 50 ug, start: 2 d}]";
  const auto plain = test::run(test::scenario_from_text("prit-plain", scenario("", regimen)));
  const auto pretargeted = test::run(test::scenario_from_text("prit-alone", scenario(section(), regimen)));
  ASSERT_TRUE(plain.patients[0].ok && pretargeted.patients[0].ok);
  double worst = 0.0;
  for (size_t row = 0; row < plain.info.times.size(); ++row) {
    const double a = plain.at(0, row, "plasma_total_ug_per_mL"), b = pretargeted.at(0, row, "plasma_total_ug_per_mL");
    worst = std::max(worst, std::abs(a - b) / std::max(std::abs(a), 1e-300));
    EXPECT_EQ(pretargeted.at(0, row, "hapten_bound_nmol"), 0.0);
    EXPECT_EQ(pretargeted.at(0, row, "body_activity_MBq"), 0.0);
  }
  std::printf("[measured] conjugate alone, pretargeted against plain agent: plasma total within %.2e over %zu times\n",
              worst, plain.info.times.size());
  EXPECT_LT(worst, 1e-8);  // 100 x rtol: two solutions of one system, each within tolerance
}

TEST(Pretargeting, DosesOfOtherThingsAreConvertedWithTheirOwnUnits) {
  const Scenario s = test::scenario_from_text(
      "prit-units", scenario(section(), "[{dose: 300 ug}, {dose: 50 ug, of: clearing_agent, start: 22 h},"
                                        " {dose: 29.6 MBq, of: hapten, start: 24 h}]"));
  const std::vector<DoseEvent> events = expand_regimen(s.regimen, s.patient, s.agent.molecular_weight);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].of, "");
  EXPECT_NEAR(events[0].amount_nmol, 300e-6 / kMolecularWeight * 1e9, 1e-12);  // 1.40 nmol
  EXPECT_EQ(events[1].of, "clearing_agent");
  EXPECT_NEAR(events[1].amount_nmol, 50e-6 / 8620.0 * 1e9, 1e-12);  // 5.80 nmol (Green 2014)
  EXPECT_EQ(events[2].of, "hapten");
  EXPECT_NEAR(events[2].amount_nmol, 29.6 / 24.7, 1e-12);  // MBq over MBq/nmol
  EXPECT_NEAR(events[2].time_day, 1.0, 1e-12);
}

TEST(Pretargeting, HaptenLabelAtomsAreConserved) {
  Scenario s = load_scenario(std::string(ICSIM_TEST_DATA_DIR) + "/../../scenarios/green2014-cd38-prit.yaml");
  const test::FinalState f = test::simulate_typical(s, 7.0, 1e-12, 1e-18, true);
  const double lambda = y90_lambda();
  const double hapten = 29.6 / 24.7, labelled = hapten * 24.7 / mbq_per_nmol(lambda);
  const double atoms = f.total(&Carries::payload);
  const double decayed = f.sum_of("label.decayed"), excreted = f.sum_of("pretargeting.excreted.labelled");
  std::printf("[measured] label atoms of %.6g nmol of 90Y-DOTA-biotin after 7 days: %.12g nmol (relative error "
              "%.2e); decayed %.3g, excreted %.3g, in the body %.3g\n",
              labelled, atoms, std::abs(atoms / labelled - 1), decayed, excreted, atoms - decayed - excreted);
  EXPECT_NEAR(atoms, labelled, 1e-10 * labelled);
  // The balance means something: the label decayed, left in the urine and stays bound.
  EXPECT_GT(decayed, 0.5 * labelled);
  EXPECT_GT(excreted, 0.0);
  EXPECT_GT(atoms - decayed - excreted, 0.1 * labelled);
  // The antibody is conserved through the clearing agent's hepatic removal.
  const double antibody = f.total(&Carries::antibody), dose = 300e-6 / kMolecularWeight * 1e9;
  EXPECT_NEAR(antibody, dose, 1e-10 * dose);
}

// Binding 1000 times faster than the library's and KD 1e-22 M (unbinding at 8.6e-8 /day),
// no clearing agent: bound = min(H, sites) at the dose, then in proportion to the
// conjugate left, as the occupied share of the sites is then the same in every pool.
void expect_bound_is_min_of_hapten_and_sites(const std::string& hapten_dose, double hapten_nmol) {
  const double dose = 300e-6 / kMolecularWeight * 1e9, t_hapten = 1.0;
  const std::string regimen = "[{dose: 300 ug}, {dose: " + hapten_dose + ", of: hapten, start: 1 d}]";
  const auto out = test::run(test::scenario_from_text(
      "prit-closed-" + hapten_dose.substr(0, 3), scenario(section("1e10 /M/s", "1e-22 M", "24.7 MBq/nmol", false),
                                                        regimen, "3 d")));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double lambda = y90_lambda(), f = 24.7 / mbq_per_nmol(lambda);
  const double sites = kSites * conjugate_in_body(dose, t_hapten);
  const double bound0 = std::min(hapten_nmol, sites);
  double worst = 0.0, worst_activity = 0.0;
  for (size_t row = 0; row < out.info.times.size(); ++row) {
    const double t = out.info.times[row];
    if (t <= t_hapten + 1e-9) {
      EXPECT_EQ(out.at(0, row, "hapten_bound_nmol"), 0.0);
      continue;
    }
    const double expected = bound0 * conjugate_in_body(dose, t) / conjugate_in_body(dose, t_hapten);
    worst = std::max(worst, std::abs(out.at(0, row, "hapten_bound_nmol") / expected - 1));
    // The labelled share of the bound hapten, decaying: the body's activity less the free
    // hapten, the kidneys' and what catabolism of the conjugate left behind.
    const double on_conjugate = out.at(0, row, "body_activity_MBq") - out.at(0, row, "kidney_activity_MBq") -
                                out.at(0, row, "hapten_plasma_activity_kBq_per_mL") * 5.5e-3 -
                                out.at(0, row, "catabolised_activity_MBq");
    const double activity = f * expected * std::exp(-lambda * (t - t_hapten)) * mbq_per_nmol(lambda);
    if (t > t_hapten + 0.5) worst_activity = std::max(worst_activity, std::abs(on_conjugate / activity - 1));
  }
  std::printf("[measured] kon 1e10 /M/s, %s of hapten (%.4g nmol) on %.4g nmol of sites: bound against "
              "min(H, sites) x A(t)/A(t_h) %.2e, its activity %.2e\n",
              hapten_dose.c_str(), hapten_nmol, sites, worst, worst_activity);
  EXPECT_LT(worst, 1e-6);
  EXPECT_LT(worst_activity, 1e-6);
}

TEST(Pretargeting, BoundHaptenIsMinOfHaptenAndSitesWhenBindingIsInstant) {
  expect_bound_is_min_of_hapten_and_sites("1 nmol", 1.0);   // fewer haptens than sites (about 4.8 nmol)
  expect_bound_is_min_of_hapten_and_sites("20 nmol", 20.0);  // more: the sites saturate
}

// Tumour:blood activity per gram. Blood is plasma times the plasma fraction of mouse
// blood, 0.84 / 1.225 mL (data/dosimetry/mouse.yaml); the tumour is 0.2 mL (0.2 g).
double tumour_to_blood(const test::CollectingSink& out, size_t row, double tumour_g) {
  const double tumour = out.at(0, row, "tumour_activity_MBq") / tumour_g;
  double plasma = out.at(0, row, "plasma_activity_kBq_per_mL") * 1e-3;  // MBq/mL
  if (out.column("hapten_plasma_activity_kBq_per_mL") >= 0)
    plasma += out.at(0, row, "hapten_plasma_activity_kBq_per_mL") * 1e-3;
  return tumour / (plasma * 0.84 / 1.225);
}

size_t row_at(const test::CollectingSink& out, double t) {
  for (size_t row = 0; row < out.info.times.size(); ++row)
    if (std::abs(out.info.times[row] - t) < 1e-9) return row;
  ADD_FAILURE() << "no output at day " << t;
  return 0;
}

std::string shipped_scenario() {
  std::stringstream text;
  text << std::ifstream(std::string(ICSIM_TEST_DATA_DIR) + "/../../scenarios/green2014-cd38-prit.yaml").rdbuf();
  return text.str();
}

// The same antibody labelled directly (29.6 MBq on its 300 ug), same tumour, one step.
std::string conventional_scenario() {
  std::string text = test::replace(shipped_scenario(), "agent: okt10-sa-y90-dota-biotin",
                                   "agent:\n  inline:\n    id: y90-okt10\n    name: 90Y-OKT10\n"
                                   "    molecular_weight: 214 kDa\n"
                                   "    disposition: {compartments: 2, CL: 0.25 mL/day, V1: 1 mL, Q: 0.5 mL/day,"
                                   " V2: 1 mL}\n"
                                   "    cellular: {effector: radionuclide, kon: 8.88 /nM/day, koff: 29.3 /day,"
                                   " internalisation: 2.2 /day, antigen_turnover: 2.2 /day,"
                                   " lysosomal_degradation: 0.72 /day}\n"
                                   "    label: {nuclide: Y-90, specific_activity: 98.7 MBq/mg}");
  text = test::replace(text, "  - {dose: 50 ug, of: clearing_agent, start: 22 h}\n", "");
  return test::replace(text, "  - {dose: 29.6 MBq, of: hapten, start: 24 h}\n", "");
}

TEST(Pretargeting, ConventionalLabelledAntibodyStaysAtOrBelowBlood) {
  const auto out = test::run(test::scenario_from_text("prit-conventional", conventional_scenario()));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double day1 = tumour_to_blood(out, row_at(out, 1.0), 0.2), day2 = tumour_to_blood(out, row_at(out, 2.0), 0.2);
  std::printf("[measured] conventional 90Y-OKT10 (one step): tumour:blood %.3g:1 at 24 h, %.3g:1 at 48 h "
              "(Green 2014: never above 1:1)\n",
              day1, day2);
  // "~1": Green 2014 measured <= 1 with its own tumours; 1.5 leaves room for the
  // estimated tumour (its CD38, size and exchange) without allowing a pretargeting-like ratio.
  EXPECT_LT(day1, 1.5);
  EXPECT_LT(day2, 1.5);
}

// Green 2014: tumour:blood up to 638:1 24 h after the hapten. The model does not reach
// it with the library's estimates, and no tolerance around 638 is asserted: it gives
// 0.80:1 (6.8:1 4 h after the hapten). The reason is the conjugate in the tissues. With
// the IgG-like mouse PK of the agent file, 0.38 nmol of the 1.4 nmol of conjugate is in
// the peripheral compartment when the clearing agent comes (it clears the plasma only):
// 1.5 nmol of biotin sites against 1.2 nmol of hapten. The hapten binds them within
// minutes (96 % is bound 4 h later, against > 80 % in the urine in Axworthy 2000), and the
// conjugate carries it back into the blood over the next day. What is asserted:
//  - the direction Green 2014 found: pretargeting above the conventional antibody at
//    24 h after the activity;
//  - the mechanism: without the tissue pool (Q 1e-4 mL/day), the same design gives a
//    ratio within a factor of 10 of 638:1 (Green 2014's is a best case, "up to", and the
//    tumour and clearing-agent values are estimates, so no closer agreement is meaningful).
TEST(Pretargeting, TumourToBloodAgainstGreen2014) {
  const auto out = test::run(test::scenario_from_text("prit-green", shipped_scenario()));
  const auto conventional = test::run(test::scenario_from_text("prit-green-conventional", conventional_scenario()));
  const auto no_tissue = test::run(test::scenario_from_text(
      "prit-green-no-tissue", shipped_scenario(),
      {"agent.base=okt10-sa-y90-dota-biotin", "agent.disposition.Q=0.0001 mL/day", "simulation.rtol=1e-10",
       "simulation.atol=1e-15 nmol"}));
  ASSERT_TRUE(out.patients[0].ok && conventional.patients[0].ok && no_tissue.patients[0].ok);
  const size_t day2 = row_at(out, 2.0);  // 24 h after the hapten
  const double ratio = tumour_to_blood(out, day2, 0.2), early = tumour_to_blood(out, row_at(out, 1.0 + 4.0 / 24), 0.2);
  const double one_step = tumour_to_blood(conventional, row_at(conventional, 1.0), 0.2);
  const double without = tumour_to_blood(no_tissue, row_at(no_tissue, 2.0), 0.2);
  const double hapten = 29.6 / 24.7, bound = out.at(0, row_at(out, 1.0 + 4.0 / 24), "hapten_bound_nmol");
  std::printf("[measured] Green 2014 design, 24 h after 29.6 MBq of 90Y-DOTA-biotin: tumour %.3g %%ID/g, "
              "tumour:blood %.3g:1 (%.3g:1 at 4 h; Green 2014: up to 638:1); %.0f %% of the hapten bound at 4 h; "
              "conventional %.3g:1 at 24 h; without the tissue pool %.4g:1\n",
              out.at(0, day2, "tumour_activity_MBq") / 29.6 * 100 / 0.2, ratio, early, 100 * bound / hapten, one_step,
              without);
  EXPECT_GT(ratio, one_step);
  EXPECT_GT(without, 638.0 / 10.0);
  EXPECT_LT(without, 638.0 * 10.0);
}

// icsim simulate on `text`: exit status, stderr, and whether an output directory exists.
struct Cli {
  int status;
  std::string err;
  bool wrote;
};
Cli simulate(const std::string& name, const std::string& text) {
  const fs::path dir = test::temp_dir("prit-cli-" + name);
  const std::string file = test::write_file(dir / "s.yaml", text);
  const std::string cmd = std::string(ICSIM_BINARY) + " simulate " + file + " -o " + (dir / "out").string() + " >" +
                          (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  const int rc = std::system(cmd.c_str());
  std::stringstream err;
  err << std::ifstream(dir / "stderr").rdbuf();
  return {WEXITSTATUS(rc), err.str(), fs::exists(dir / "out")};
}

void expect_rejected(const std::string& name, const std::string& text, const std::string& where,
                     const std::string& why) {
  const Cli r = simulate(name, text);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find(where), std::string::npos) << "expected '" << where << "' in: " << r.err;
  EXPECT_NE(r.err.find(why), std::string::npos) << "expected '" << why << "' in: " << r.err;
  EXPECT_FALSE(r.wrote) << name;
}

const std::string kGreen =
    "name: prit-hostile\n"
    "agent: okt10-sa-y90-dota-biotin\n"
    "patient: {species: mouse, weight: 25 g}\n"
    "regimen:\n"
    "  - {dose: 300 ug}\n"
    "  - {dose: 29.6 MBq, of: hapten, start: 24 h}\n"
    "simulation: {until: 3 d, output_every: 1 d}\n";

TEST(PretargetingBadInput, DoseOfAnUnknownThing) {
  expect_rejected("unknown-of", test::replace(kGreen, "of: hapten", "of: vaccine"), "s.yaml:6: regimen[1].of",
                  "has no 'vaccine' to dose: of: hapten, clearing_agent");
}

TEST(PretargetingBadInput, HaptenDoseWithoutPretargeting) {
  expect_rejected("no-section", test::replace(kGreen, "agent: okt10-sa-y90-dota-biotin", "agent: daratumumab"),
                  "s.yaml:6: regimen[1].of", "gives nothing but itself, so there is no 'hapten' to dose");
}

TEST(PretargetingBadInput, NegativeSpecificActivity) {
  expect_rejected("negative-sa",
                  test::replace(kGreen, "agent: okt10-sa-y90-dota-biotin",
                                "agent: {base: okt10-sa-y90-dota-biotin, pretargeting: {hapten: "
                                "{specific_activity: -24.7 MBq/nmol}}}"),
                  "s.yaml:2: agent.pretargeting.hapten.specific_activity", "must be > 0");
}

TEST(PretargetingBadInput, ActivityDoseOfTheUnlabelledConjugate) {
  expect_rejected("activity-of-conjugate", test::replace(kGreen, "{dose: 300 ug}", "{dose: 29.6 MBq}"),
                  "s.yaml:5: regimen[0].dose", "a pretargeted antibody is given unlabelled");
}

TEST(PretargetingBadInput, LabelBesidesPretargeting) {
  expect_rejected("label-too",
                  test::replace(kGreen, "agent: okt10-sa-y90-dota-biotin",
                                "agent: {base: okt10-sa-y90-dota-biotin, label: {nuclide: Y-90}}"),
                  "s.yaml:2: agent.label", "carries its label on the hapten");
}

TEST(PretargetingBadInput, HaptenAboveTheCarrierFreeLimit) {
  expect_rejected("carrier-free",
                  test::replace(kGreen, "agent: okt10-sa-y90-dota-biotin",
                                "agent: {base: okt10-sa-y90-dota-biotin, pretargeting: {hapten: "
                                "{specific_activity: 2000 MBq/nmol}}}"),
                  "agent.pretargeting", "above the carrier-free limit");
}

TEST(Pretargeting, WrittenScenarioRunsAgainToTheSameSeries) {
  const fs::path dir = test::temp_dir("prit-roundtrip");
  const std::string first = (dir / "first").string(), second = (dir / "second").string();
  const std::string scenario = std::string(ICSIM_TEST_DATA_DIR) + "/../../scenarios/green2014-cd38-prit.yaml";
  const std::string quiet = " >" + (dir / "log").string() + " 2>&1";
  ASSERT_EQ(std::system((std::string(ICSIM_BINARY) + " simulate " + scenario + " -o " + first + quiet).c_str()), 0);
  std::stringstream written;
  written << std::ifstream(first + "/scenario.yaml").rdbuf();
  EXPECT_NE(written.str().find("of: clearing_agent"), std::string::npos);
  EXPECT_NE(written.str().find("of: hapten"), std::string::npos);
  const std::string again = std::string(ICSIM_BINARY) + " simulate " + first + "/scenario.yaml -o " + second + quiet;
  ASSERT_EQ(std::system(again.c_str()), 0);
  std::stringstream a, b;
  a << std::ifstream(first + "/timeseries.csv").rdbuf();
  b << std::ifstream(second + "/timeseries.csv").rdbuf();
  EXPECT_FALSE(a.str().empty());
  EXPECT_EQ(a.str(), b.str());
}

}  // namespace
}  // namespace icsim
