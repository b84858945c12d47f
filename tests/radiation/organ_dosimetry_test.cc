// Organ-level MIRD dosimetry (src/radiation/organ_dosimetry.cc):
//  - the phantom file reads (ICRP 89 adult male masses, OLINDA 2 S-values for 177Lu);
//  - the non-penetrating self-dose estimate against the published OLINDA 2 self-dose
//    S-values for 177Lu (the tables add the photons' share: within 10 %);
//  - the remainder-of-body correction reproduces the total-body S-value when activity
//    is spread uniformly over the body (its defining property; to 1e-12);
//  - decays per parent decay of the 225Ac and 211At chains, and 211At's alpha energy
//    per decay against the PRISMAP data sheet (6.785 MeV; within 1 %);
//  - a hand-computed dose from a time-integrated activity;
//  - the organ sources' data (ICRP 89 blood shares, Shah & Betts 2013 coefficients)
//    read as published, and sources that would exceed the body's activity are
//    scaled down to it, the remainder never negative.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "radiation/organ_dosimetry.h"

namespace icsim::radiation {
namespace {

const Phantom& phantom() {
  static const Phantom p = Phantom::read_default();
  return p;
}
const NuclideLibrary& library() {
  static const NuclideLibrary l = NuclideLibrary::read_default();
  return l;
}

TEST(OrganDosimetry, PhantomReads) {
  EXPECT_EQ(phantom().mass("liver"), 1800.0);
  EXPECT_EQ(phantom().mass("red_marrow"), 1170.0);
  EXPECT_EQ(phantom().mass("total_body"), 73000.0);
  EXPECT_NEAR(phantom().marrow_ecf_fraction, 0.19, 1e-12);
  ASSERT_TRUE(phantom().tables.count("Lu-177"));
  EXPECT_EQ(phantom().tables.at("Lu-177").at({"liver", "liver"}), 1.37e-5);
  EXPECT_FALSE(phantom().tables.count("Y-90"));  // its entries are estimates, not a table
}

TEST(OrganDosimetry, SelfDoseEstimateAgreesWithPublishedLutetiumTable) {
  const ChainEnergy e = chain_energy(library(), "Lu-177", 1000.0);
  // An empty table: every S is estimated from the nuclide's energy.
  Phantom bare = phantom();
  bare.tables.clear();
  const OrganDosimetry estimate(bare, e, "Lu-177", {});
  for (const char* organ : {"liver", "kidneys", "spleen"}) {
    const double published = phantom().tables.at("Lu-177").at({organ, organ});
    const SValue est = estimate.s(organ, organ);
    std::printf("[measured] 177Lu S(%s <- %s): published %.3e, non-penetrating estimate %.3e mGy/(MBq s) (ratio %.3f)\n",
                organ, organ, published, est.mGy_per_MBq_s, published / est.mGy_per_MBq_s);
    EXPECT_EQ(est.origin, SOrigin::kSelfDoseEstimate);
    EXPECT_GT(published / est.mGy_per_MBq_s, 1.0);  // photons add a little
    EXPECT_LT(published / est.mGy_per_MBq_s, 1.10);
  }
}

TEST(OrganDosimetry, RemainderCorrectionReproducesUniformActivity) {
  const ChainEnergy e = chain_energy(library(), "Lu-177", 1000.0);
  // The sources of `icsim dosimetry` (red marrow and data/dosimetry/organ_sources.yaml).
  std::vector<std::string> sources = {"red_marrow"};
  for (const OrganSource& o : OrganSources::read_default().organs) sources.push_back(o.organ);
  const OrganDosimetry d(phantom(), e, "Lu-177", sources);
  const OrganDosimetry whole(phantom(), e, "Lu-177", {});
  // 1000 MBq*h spread uniformly: each explicit source holds its mass share.
  const double tia = 1000.0, m_tb = phantom().mass("total_body");
  std::map<std::string, double> split;
  double rest = tia;
  for (const std::string& s : sources) {
    split[s] = tia * phantom().mass(s) / m_tb;
    rest -= split[s];
  }
  split["remainder"] = rest;
  double worst = 0.0;
  for (const char* target : {"liver", "spleen", "red_marrow", "kidneys", "lungs"}) {
    const double uniform = whole.dose_mGy(target, {{"total_body", tia}});
    worst = std::max(worst, std::abs(d.dose_mGy(target, split) / uniform - 1.0));
  }
  std::printf("[measured] remainder-of-body correction, uniform activity: largest relative difference %.2e\n", worst);
  EXPECT_LT(worst, 1e-12);
}

TEST(OrganDosimetry, OrganSourcesReadAsPublished) {
  const OrganSources o = OrganSources::read_default();
  std::map<std::string, OrganSource> by;
  for (const OrganSource& s : o.organs) by[s.organ] = s;
  ASSERT_EQ(by.count("liver"), 1u);
  EXPECT_DOUBLE_EQ(by["liver"].blood_fraction, 0.10);           // ICRP 89 Table 2.14
  EXPECT_NEAR(by["liver"].interstitial_mL, 0.121 * 1800, 1e-9);  // Shah & Betts 2013 x ICRP 89 mass
  EXPECT_NEAR(by["kidneys"].interstitial_mL, 0.137 * 310, 1e-9);
  EXPECT_NEAR(by["spleen"].interstitial_mL, 0.128 * 150, 1e-9);
  EXPECT_NEAR(by["lungs"].interstitial_mL, 0.149 * 500, 1e-9);
  EXPECT_DOUBLE_EQ(by["heart_contents"].blood_fraction, 0.09);
  for (const OrganSource& s : o.organs) phantom().mass(s.organ);  // every source is an organ of the phantom
}

TEST(OrganDosimetry, SourcesNeverExceedTheBody) {
  const auto fit = with_remainder({{"liver", 30.0}, {"kidneys", 10.0}}, 100.0);
  EXPECT_DOUBLE_EQ(fit.at("remainder"), 60.0);
  const auto over = with_remainder({{"liver", 90.0}, {"kidneys", 30.0}}, 60.0);
  EXPECT_DOUBLE_EQ(over.at("liver") + over.at("kidneys"), 60.0);
  EXPECT_DOUBLE_EQ(over.at("liver") / over.at("kidneys"), 3.0);  // scaled together
  EXPECT_DOUBLE_EQ(over.at("remainder"), 0.0);
  const auto empty = with_remainder({{"liver", 1.0}}, 0.0);
  EXPECT_DOUBLE_EQ(empty.at("liver"), 0.0);
  EXPECT_DOUBLE_EQ(empty.at("remainder"), 0.0);
}

TEST(OrganDosimetry, ChainsDecayWhereTheirParentDid) {
  const ChainEnergy ac = chain_energy(library(), "Ac-225", 365.0);
  for (const char* member : {"Ac-225", "Fr-221", "At-217"}) EXPECT_NEAR(ac.decays.at(member), 1.0, 1e-3) << member;
  EXPECT_NEAR(ac.decays.at("Po-213"), 0.99988 * 0.9791, 2e-3);
  const double alpha = ac.energy_MeV[static_cast<int>(Emission::kAlpha)];
  std::printf("[measured] 225Ac chain: %.3f MeV of alpha energy per 225Ac decay (library energies; members without "
              "energy: %zu)\n", alpha, ac.missing.size());
  EXPECT_GT(alpha, 26.0);  // four alphas of 5.8-8.4 MeV
  EXPECT_LT(alpha, 29.0);
  // 211At: EC to 211Po (58.2 %, which emits 7.45 MeV) or alpha (41.8 %): PRISMAP
  // gives 6.785 MeV of alpha energy per 211At decay, daughters included.
  const ChainEnergy at = chain_energy(library(), "At-211", 30.0);
  const double at_alpha = at.energy_MeV[static_cast<int>(Emission::kAlpha)];
  std::printf("[measured] 211At: %.4f MeV of alpha per decay (PRISMAP 6.785)\n", at_alpha);
  EXPECT_NEAR(at_alpha, 6.785, 0.01 * 6.785);
  EXPECT_LT(at.decays.at("Bi-207"), 1e-3);  // 32.9 y: not within a month
}

TEST(OrganDosimetry, DoseFromTimeIntegratedActivity) {
  const ChainEnergy e = chain_energy(library(), "Lu-177", 1000.0);
  const OrganDosimetry d(phantom(), e, "Lu-177", {"liver"});
  // 100 MBq*h in the liver: 100 * 3600 s * S(liver <- liver) = 4.932 mGy.
  EXPECT_NEAR(d.dose_mGy("liver", {{"liver", 100.0}}), 100.0 * 3600.0 * 1.37e-5, 1e-12);
  EXPECT_FALSE(d.estimated("liver"));
}

}  // namespace
}  // namespace icsim::radiation
