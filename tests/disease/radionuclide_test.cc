// The radionuclide effector (src/disease/radionuclide_effector.cc), against what is
// known without it:
//  - antibody and label atoms are conserved through plasma, marrow, cell surfaces,
//    endosomes, the label kept in the cells and what dying cells release (1e-8 of the
//    dose; BDF at rtol 1e-10);
//  - with lq_alpha = lq_beta = 0 nothing is killed: every clone follows its untreated
//    closed form (1e-6);
//  - the linear-quadratic hazard with beta = 0 leaves N0 exp(-alpha D) cells once the
//    dose has been delivered and the damaged cells have died, D being the nucleus dose
//    the model reports (growth none; 2e-3: the kills of the last days still in transit);
//  - the antigen-negative clone is irradiated by cross-fire alone: less than the
//    antigen-positive clone, more than nothing, and it is killed (the radiation
//    bystander).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "final_state.h"
#include "radiation/nuclide.h"
#include "radiation/organ_dosimetry.h"
#include "support.h"

namespace icsim {
namespace {

// 177Lu-DOTA-daratumumab without its lumped CD38 target (so the tumour's antigen is
// the only one), on a two-clone myeloma.
std::string scenario(const std::string& cellular_extra = "", const std::string& disease_extra = "",
                     const std::string& sim = "") {
  return "name: ric-test\n"
         "agent:\n"
         "  base: lu177-dota-daratumumab\n"
         "  target: {model: none}\n"
         "  cellular: {effector: radionuclide, kon: 8.88 /nM/day, koff: 2.64 /day, internalisation: 2.4 /day,"
         " antigen_turnover: 2.4 /day, lysosomal_degradation: 0.72 /day" + cellular_extra + "}\n"
         "patient: {weight: 75 kg}\n"
         "disease: {m_protein: 30 g/L, growth: none" + disease_extra + ", clones: [{name: pos, fraction: 0.9,"
         " antigen: 30000 /cell}, {name: neg, fraction: 0.1, antigen: 0 /cell}]}\n"
         "regimen: {dose: 3700 MBq, infusion: 30 min}\n"
         "simulation: {until: 84 d, output_every: 7 d, solver: cvode, rtol: 1e-10, atol: 1e-14 nmol" + sim + "}\n";
}

test::CollectingSink run_text(const std::string& text) { return test::run(test::scenario_from_text("ric", text)); }

TEST(Radionuclide, AntibodyAndLabelAreConserved) {
  const Scenario s = test::scenario_from_text("ric-balance", scenario());
  const test::FinalState f = test::simulate_typical(s, 42.0, 1e-10, 1e-16, true);
  ASSERT_TRUE(f.record.ok) << f.record.error;
  const BuiltModel& m = f.model;
  const double antibody = f.total(&Carries::antibody), label = f.total(&Carries::payload);
  const double residue = f.sum_of("label_residue");
  const double dose_mg = 3700.0 / 185.0, dose_nmol = dose_mg * 1e6 / s.agent.molecular_weight;
  const double labelled = dose_nmol * m.layout.dose_fraction[1];
  std::printf("[measured] 177Lu with a radionuclide-treated myeloma: antibody relative error %.2e, label atoms "
              "relative error %.2e; label kept in tumour cells at day 42 %.3g nmol\n",
              std::abs(antibody / dose_nmol - 1), std::abs(label / labelled - 1), residue);
  EXPECT_NEAR(antibody, dose_nmol, 1e-8 * dose_nmol);
  EXPECT_NEAR(label, labelled, 1e-8 * labelled);
  EXPECT_GT(residue, 0.0);  // the path through the lysosomes was taken
}

TEST(Radionuclide, NoRadiosensitivityNoKill) {
  const auto out = run_text(scenario(", lq_alpha: 0 /Gy, lq_beta: 0 /Gy^2"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double n0 = 30.0 * 2.1e10;
  double worst = 0.0;
  for (size_t row = 0; row < out.info.times.size(); ++row) {
    worst = std::max(worst, std::abs(out.at(0, row, "clone_pos_cells") / (0.9 * n0) - 1));
    worst = std::max(worst, std::abs(out.at(0, row, "clone_neg_cells") / (0.1 * n0) - 1));
  }
  EXPECT_LT(worst, 1e-6);
  EXPECT_GT(out.at(0, out.info.times.size() - 1, "clone_pos_nucleus_Gy"), 0.1);  // irradiated all the same
}

// The tumour's mean dose (icsim dosimetry's organs.tumour): with no kill and no growth
// the cells' mass is constant, so the dose is the chain's non-penetrating energy times
// the cells' time-integrated activity over their mass.
TEST(Radionuclide, TumourMeanDoseIsEnergyTimesIntegratedActivityOverMass) {
  const auto out = run_text(scenario(", lq_alpha: 0 /Gy, lq_beta: 0 /Gy^2"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
  const double lambda = library.get("Lu-177").lambda_per_day;
  const double mev = radiation::chain_energy(library, "Lu-177", 20.0 * std::log(2.0) / lambda).nonpenetrating_MeV();
  const double mass_g = 30.0 * 2.1e10 * 1.4e-12 * 1000.0;  // cells x 1.4 pL, 1 g/mL
  const size_t last = out.info.times.size() - 1;
  const double tia_MBq_h = out.at(0, last, "tia_tumour_cells_MBq_h");
  const double expected = tia_MBq_h * 3600.0 * 1e6 * mev * 1.602176634e-13 / (mass_g * 1e-3);
  std::printf("[measured] 177Lu tumour mean dose %.6g Gy against %.6g Gy from its integrated activity\n",
              out.at(0, last, "tumour_mean_dose_Gy"), expected);
  EXPECT_GT(tia_MBq_h, 0.0);
  EXPECT_NEAR(out.at(0, last, "tumour_mean_dose_Gy"), expected, 1e-6 * expected);
}

// 225Ac whose daughters recoil out of the chelator: label on the cells' surface and in
// the fluid keeps only 225Ac's own decays (5.79 of 27.5 MeV), label inside the cells
// keeps its chain. The nucleus dose must fall, but not below the parent-only share.
TEST(Radionuclide, ReleasedDaughtersLowerTheNucleusDoseWithinTheParentsShare) {
  auto ac = [](const std::string& daughters) {
    std::string text = test::replace(scenario(", lq_alpha: 0 /Gy, lq_beta: 0 /Gy^2"), "base: lu177-dota-daratumumab",
                                     "base: ac225-dota-daratumumab\n  label: {daughters: " + daughters + "}");
    text = test::replace(text, "dose: 3700 MBq", "dose: 5 MBq");
    return run_text(text);
  };
  const auto released = ac("released"), retained = ac("retained");
  ASSERT_TRUE(released.patients[0].ok && retained.patients[0].ok);
  const size_t last = released.info.times.size() - 1;
  for (const char* clone : {"clone_pos_nucleus_Gy", "clone_neg_nucleus_Gy"}) {
    const double r = released.at(0, last, clone) / retained.at(0, last, clone);
    std::printf("[measured] 225Ac %s: released / retained daughters %.4f\n", clone, r);
    EXPECT_LT(r, 1.0) << clone;
    // At least the parent's own decays stay (0.21 of the chain's energy); half of that
    // leaves room for the members' different S-values per MeV.
    EXPECT_GT(r, 0.5 * 5.79 / 27.49) << clone;
  }
}

TEST(Radionuclide, LinearKillFollowsTheNucleusDose) {
  // beta = 0, no ADCC: viable cells are N0 exp(-alpha D); by day 84 the dose rate is
  // 1e-4 of its start and the damaged cells have died (kill_delay 1 day).
  const double alpha = 0.3;
  const auto out = run_text(scenario(", lq_alpha: 0.3 /Gy, lq_beta: 0 /Gy^2"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const size_t last = out.info.times.size() - 1;
  const double n0 = 30.0 * 2.1e10;
  for (const char* clone : {"pos", "neg"}) {
    const double fraction = std::string(clone) == "pos" ? 0.9 : 0.1;
    const double d = out.at(0, last, std::string("clone_") + clone + "_nucleus_Gy");
    const double cells = out.at(0, last, std::string("clone_") + clone + "_cells");
    const double expected = fraction * n0 * std::exp(-alpha * d);
    std::printf("[measured] clone %s: nucleus dose %.4g Gy, cells %.6g against N0 exp(-alpha D) %.6g (relative %.2e)\n",
                clone, d, cells, expected, std::abs(cells / expected - 1));
    EXPECT_NEAR(cells, expected, 2e-3 * expected) << clone;
  }
}

TEST(Radionuclide, CrossfireReachesTheAntigenNegativeClone) {
  const auto out = run_text(scenario());
  ASSERT_TRUE(out.patients[0].ok);
  const size_t last = out.info.times.size() - 1;
  const double pos = out.at(0, last, "clone_pos_nucleus_Gy"), neg = out.at(0, last, "clone_neg_nucleus_Gy");
  std::printf("[measured] 3700 MBq 177Lu: nucleus dose %.4g Gy (CD38 30000/cell), %.4g Gy (antigen-negative, "
              "cross-fire)\n", pos, neg);
  EXPECT_GT(neg, 0.0);
  EXPECT_LT(neg, pos);
  EXPECT_LT(out.at(0, last, "clone_neg_cells"), 0.99 * 0.1 * 30.0 * 2.1e10);  // killed by its neighbours' label
}

TEST(Radionuclide, AlphaParticlesActThroughTheirRbe) {
  // 225Ac, beta = 0: with RBE 1 the cells left are N0 exp(-alpha D) as for any
  // radiation; with RBE 5 the log kill lies between alpha D and 5 alpha D (the chain's
  // betas count once).
  std::string text = test::replace(scenario(", lq_alpha: 0.3 /Gy, lq_beta: 0 /Gy^2, alpha_rbe: 1"),
                                   "lu177-dota-daratumumab", "ac225-dota-daratumumab");
  text = test::replace(text, "3700 MBq", "5 MBq");
  const auto rbe1 = run_text(text);
  const auto rbe5 = run_text(test::replace(text, "alpha_rbe: 1", "alpha_rbe: 5"));
  ASSERT_TRUE(rbe1.patients[0].ok && rbe5.patients[0].ok);
  const size_t last = rbe1.info.times.size() - 1;
  const double n0 = 0.9 * 30.0 * 2.1e10, alpha = 0.3;
  const double d1 = rbe1.at(0, last, "clone_pos_nucleus_Gy"), d5 = rbe5.at(0, last, "clone_pos_nucleus_Gy");
  const double kill1 = std::log(n0 / rbe1.at(0, last, "clone_pos_cells"));
  const double kill5 = std::log(n0 / rbe5.at(0, last, "clone_pos_cells"));
  std::printf("[measured] 225Ac, RBE 1: log kill %.4f against alpha D %.4f; RBE 5: log kill %.4f for alpha D %.4f\n",
              kill1, alpha * d1, kill5, alpha * d5);
  EXPECT_NEAR(kill1, alpha * d1, 2e-3 * alpha * d1);
  EXPECT_GT(kill5, 4.0 * alpha * d5);  // mostly alpha: close to 5 alpha D
  EXPECT_LT(kill5, 5.0 * alpha * d5 * (1 + 2e-3));
}

TEST(Radionuclide, ANonResidualisingLabelLeavesTheCells) {
  // Radioiodine freed in the lysosomes leaves with the catabolites: the targeted
  // cells' own dose falls; the cells still receive what is bound and in endosomes.
  const auto kept = run_text(scenario());
  const auto iodine = run_text(test::replace(scenario(), "base: lu177-dota-daratumumab",
                                             "base: lu177-dota-daratumumab\n  label: {residualising: false}"));
  ASSERT_TRUE(kept.patients[0].ok && iodine.patients[0].ok) << iodine.patients[0].error;
  const size_t last = kept.info.times.size() - 1;
  const double a = kept.at(0, last, "clone_pos_nucleus_Gy"), b = iodine.at(0, last, "clone_pos_nucleus_Gy");
  std::printf("[measured] nucleus dose of the targeted clone: %.4g Gy residualising, %.4g Gy not\n", a, b);
  EXPECT_LT(b, 0.9 * a);
  EXPECT_GT(b, 0.0);
}

TEST(Radionuclide, EachSiteHasItsNucleusDose) {
  const auto out = run_text(test::replace(scenario(), "growth: none", "growth: none, emd_fraction: 0.2"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const size_t last = out.info.times.size() - 1;
  EXPECT_GT(out.at(0, last, "clone_pos_emd_nucleus_Gy"), 0.0);
  EXPECT_GT(out.at(0, last, "clone_pos_nucleus_Gy"), 0.0);
}

TEST(Radionuclide, AWipedOutCloneDoesNotStopTheSolver) {
  // 225Ac on a clone of 137,000 antigens per cell (a patient of the dosimetry bench
  // whose solver failed when the clone's last cells shared its label): the clone goes
  // below one cell and the patient finishes.
  std::string text = scenario();
  text = test::replace(text, "lu177-dota-daratumumab", "ac225-dota-daratumumab");
  text = test::replace(text, "growth: none", "doubling_time: 85.6 d");
  text = test::replace(text, "antigen: 30000 /cell", "antigen: 137005 /cell");
  text = test::replace(text, "3700 MBq", "74 kBq/kg");
  text = test::replace(text, "solver: cvode, rtol: 1e-10, atol: 1e-14 nmol", "solver: auto");
  const auto out = run_text(text);
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  EXPECT_LT(out.at(0, out.info.times.size() - 1, "clone_pos_cells"), 1000.0);
}

TEST(Radionuclide, EffectorAndLabelGoTogether) {
  const std::string no_label = test::replace(test::replace(scenario(), "lu177-dota-daratumumab", "daratumumab"),
                                             "3700 MBq", "20 mg");
  EXPECT_NE(test::error_of("ric-no-label", no_label).find("effector: radionuclide needs a labelled agent"),
            std::string::npos);
  const std::string adc = test::replace(scenario(), "effector: radionuclide", "effector: adc, payload_permeability: "
                                                                              "0 /day, kill_max: 1 /day, kill_ec50: 1 nM");
  EXPECT_NE(test::error_of("ric-adc", adc).find("set effector: radionuclide"), std::string::npos);
}

}  // namespace
}  // namespace icsim
