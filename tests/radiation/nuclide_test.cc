// The nuclide library (data/nuclides/nuclides.yaml) and the decay-chain solution
// (src/radiation/nuclide.h): each test states its reference and tolerance and
// prints what it measured.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>

#include <fmt/format.h>

#include "icsim/error.h"
#include "radiation/nuclide.h"
#include "support.h"

namespace icsim::radiation {
namespace {

const NuclideLibrary& lib() {
  static const NuclideLibrary l = NuclideLibrary::read_default();
  return l;
}

double rel(double a, double b) { return a == b ? 0.0 : std::abs(a - b) / std::max(std::abs(a), std::abs(b)); }

// Classic RK4 on dN/dt = M N with a fixed step, the independent check of (e).
Eigen::VectorXd rk4(const Eigen::MatrixXd& M, Eigen::VectorXd y, double t_end, long steps) {
  const double h = t_end / static_cast<double>(steps);
  for (long s = 0; s < steps; ++s) {
    const Eigen::VectorXd k1 = M * y;
    const Eigen::VectorXd k2 = M * (y + 0.5 * h * k1);
    const Eigen::VectorXd k3 = M * (y + 0.5 * h * k2);
    const Eigen::VectorXd k4 = M * (y + h * k3);
    y += h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return y;
}

TEST(Nuclides, LibraryReads) {
  // Reference: the 25 entries of data/nuclides/nuclides.yaml.
  EXPECT_EQ(lib().size(), 25u);
  int with_energy = 0;
  for (const std::string& n : lib().names())
    if (lib().get(n).energy_MeV[0] || lib().get(n).energy_MeV[1]) ++with_energy;
  std::printf("[measured] %zu nuclides read, %d with an alpha or beta energy\n", lib().size(), with_energy);
  EXPECT_THROW(lib().get("Ac-226"), std::out_of_range);
}

TEST(Nuclides, HalfLivesAndBranchingInRange) {
  // Reference: every radioactive half-life lies between the shortest (Po-212, 0.299 us)
  // and the longest (Bi-207, 32.9 y) of the library; fractions in (0, 1] summing to 1
  // within 1e-5 (ICRP 107 prints I-131's as 0.999999).
  double worst_sum = 0;
  for (const std::string& n : lib().names()) {
    const Nuclide& nu = lib().get(n);
    EXPECT_FALSE(nu.source.empty()) << n;
    if (nu.stable) {
      EXPECT_TRUE(nu.branches.empty()) << n;
      continue;
    }
    EXPECT_GE(nu.half_life_day, 0.299e-6 / 86400 * (1 - 1e-12)) << n;
    EXPECT_LE(nu.half_life_day, 32.9 * 365.2422 * (1 + 1e-12)) << n;
    double sum = 0;
    for (const Branch& b : nu.branches) {
      EXPECT_GT(b.fraction, 0) << n;
      EXPECT_LE(b.fraction, 1) << n;
      sum += b.fraction;
    }
    EXPECT_NEAR(sum, 1.0, 1e-5) << n;
    worst_sum = std::max(worst_sum, std::abs(sum - 1));
    for (const auto& e : nu.energy_MeV)
      if (e) {
        EXPECT_GE(*e, 0) << n;
        EXPECT_LT(*e, 10) << n;
      }
  }
  std::printf("[measured] largest |sum of branching - 1| %.1e; Ac-225 T1/2 %.4f d, Po-212 %.3e d, Bi-213 %.5f d\n",
              worst_sum, lib().get("Ac-225").half_life_day, lib().get("Po-212").half_life_day,
              lib().get("Bi-213").half_life_day);
  // Units: 45.59 min, 4.2 us, 32.9 y (ICRP year of 365.2422 d).
  EXPECT_DOUBLE_EQ(lib().get("Bi-213").half_life_day, 45.59 / 1440);
  EXPECT_DOUBLE_EQ(lib().get("Po-213").half_life_day, 4.2e-6 / 86400);
  EXPECT_DOUBLE_EQ(lib().get("Bi-207").half_life_day, 32.9 * 365.2422);
  EXPECT_DOUBLE_EQ(*lib().get("Lu-177").energy_MeV[static_cast<int>(Emission::kElectron)], 0.01465);
}

TEST(Nuclides, ChainMembers) {
  // Reference: the decay schemes of ICRP 107 (At-217's 0.012 % beta branch to Rn-217
  // from ENSDF), parents before daughters.
  auto names = [](const DecayChain& c) {
    std::vector<std::string> v;
    for (const Nuclide* n : c.members()) v.push_back(n->name);
    return v;
  };
  const DecayChain ac(lib(), "Ac-225");
  EXPECT_EQ(names(ac), (std::vector<std::string>{"Ac-225", "Fr-221", "At-217", "Bi-213", "Rn-217", "Po-213",
                                                 "Tl-209", "Pb-209", "Bi-209"}));
  EXPECT_EQ(names(DecayChain(lib(), "Pb-212")),
            (std::vector<std::string>{"Pb-212", "Bi-212", "Po-212", "Tl-208", "Pb-208"}));
  EXPECT_EQ(names(DecayChain(lib(), "At-211")), (std::vector<std::string>{"At-211", "Po-211", "Bi-207", "Pb-207"}));
  EXPECT_EQ(names(DecayChain(lib(), "Bi-213")),
            (std::vector<std::string>{"Bi-213", "Po-213", "Tl-209", "Pb-209", "Bi-209"}));
  EXPECT_EQ(names(DecayChain(lib(), "I-131")), (std::vector<std::string>{"I-131", "Xe-131m", "Xe-131"}));
  // Lower triangular decay matrix, columns summing to 0 (what decays appears below).
  const Eigen::MatrixXd& M = ac.decay_matrix();
  EXPECT_EQ(M.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().norm(), 0.0);
  double worst = 0;
  for (int j = 0; j < ac.size(); ++j)
    worst = std::max(worst, std::abs(M.col(j).sum()) / std::max(1e-300, std::abs(M(j, j))));
  EXPECT_LT(worst, 1e-12);
  std::printf("[measured] Ac-225 chain: %d members, decay constants %.3g to %.3g per day, column sums %.1e\n",
              ac.size(), ac.member(0).lambda_per_day, ac.member(5).lambda_per_day, worst);
}

TEST(DecayChain, SingleNuclideClosedForm) {
  // Reference (a): A(t) = A0 exp(-lambda t) for Lu-177; tolerance 1e-12 relative.
  const DecayChain c(lib(), "Lu-177");
  const double l = std::log(2.0) / 6.647;
  double worst = 0;
  for (double t : {0.0, 0.5, 6.647, 30.0, 100.0}) {
    const double a = c.activities(t, 1000.0)(0);
    worst = std::max(worst, rel(a, 1000.0 * std::exp(-l * t)));
  }
  EXPECT_LT(worst, 1e-12);
  std::printf("[measured] Lu-177 activity vs A0 exp(-lambda t): max relative error %.1e (tolerance 1e-12)\n", worst);
}

TEST(DecayChain, ParentDaughterBateman) {
  // Reference (b): A2(t) = b A0 lambda2/(lambda2 - lambda1) (exp(-lambda1 t) - exp(-lambda2 t)),
  // for Pb-212 -> Bi-212 (b = 1) and I-131 -> Xe-131m (b = 0.011759 / 0.999999, ICRP's printed
  // fractions scaled to sum to 1 as the chain does); tolerance 1e-10 relative.
  struct Case { const char* parent; const char* daughter; double b; };
  double worst = 0;
  for (const Case& k : {Case{"Pb-212", "Bi-212", 1.0}, Case{"I-131", "Xe-131m", 0.011759 / 0.999999}}) {
    const DecayChain c(lib(), k.parent);
    const double l1 = lib().get(k.parent).lambda_per_day, l2 = lib().get(k.daughter).lambda_per_day;
    for (double t : {0.001, 0.1, 1.0, 3.0, 10.0, 40.0}) {
      const double expect = k.b * 5.0 * l2 / (l2 - l1) * (std::exp(-l1 * t) - std::exp(-l2 * t));
      const double got = c.activities(t, 5.0)(c.index(k.daughter));
      const double e = rel(got, expect);
      EXPECT_LT(e, 1e-10) << k.parent << " t=" << t;
      worst = std::max(worst, e);
    }
  }
  std::printf("[measured] parent-daughter Bateman (Pb-212/Bi-212, I-131/Xe-131m): max relative error %.1e (tolerance 1e-10)\n",
              worst);
}

TEST(DecayChain, SecularEquilibriumAc225Bi213) {
  // Reference (c): once the short-lived members have come to equilibrium (t >= 2 d:
  // exp(-(lambda_Bi - lambda_Ac) 2 d) < 1e-18), the transient-equilibrium solution of
  // the Bateman equations gives
  //   A(Bi-213)/A(Ac-225) = 0.99988 * prod_{k = Fr-221, At-217, Bi-213} lambda_k/(lambda_k - lambda_Ac)
  //   A(Po-213)/A(Ac-225) = 0.9791 * A(Bi-213)/A(Ac-225) * lambda_Po/(lambda_Po - lambda_Ac)
  //                        + 0.00012 * prod_{k = Fr, At, Rn-217, Po-213} lambda_k/(lambda_k - lambda_Ac)
  // (slightly above the branching because 225Ac decays while its daughters ingrow);
  // tolerance 1e-10 relative.
  const DecayChain c(lib(), "Ac-225");
  auto L = [&](const char* n) { return lib().get(n).lambda_per_day; };
  const double la = L("Ac-225");
  auto f = [&](const char* n) { return L(n) / (L(n) - la); };
  const double bi = 0.99988 * f("Fr-221") * f("At-217") * f("Bi-213");
  const double po = 0.9791 * bi * f("Po-213") + 0.00012 * f("Fr-221") * f("At-217") * f("Rn-217") * f("Po-213");
  double worst = 0;
  for (double t : {2.0, 5.0, 20.0}) {
    const Eigen::VectorXd a = c.activities(t, 1.0);
    worst = std::max({worst, rel(a(c.index("Bi-213")) / a(0), bi), rel(a(c.index("Po-213")) / a(0), po)});
  }
  EXPECT_LT(worst, 1e-10);
  const Eigen::VectorXd a1 = c.activities(1.0, 1.0);
  std::printf("[measured] A(Bi-213)/A(Ac-225) expected %.10f, A(Po-213)/A(Ac-225) %.10f; max relative error %.1e "
              "(tolerance 1e-10); at 1 d the Bi-213 ratio is %.6f\n",
              bi, po, worst, a1(c.index("Bi-213")) / a1(0));
}

TEST(DecayChain, AtomsConserved) {
  // Reference (d): decay moves atoms along the chain, so the sum of N_i including the
  // stable ends stays N0; tolerance 1e-12 relative.
  double worst = 0;
  for (const char* parent : {"Ac-225", "Pb-212", "At-211", "Bi-213", "I-131", "Y-90"}) {
    const DecayChain c(lib(), parent);
    Eigen::VectorXd n0 = Eigen::VectorXd::Zero(c.size());
    n0(0) = 1e6;
    for (double t : {1e-9, 1e-3, 0.1, 1.0, 10.0, 100.0, 1000.0}) {
      const double e = std::abs(c.atoms(t, n0).sum() - 1e6) / 1e6;
      EXPECT_LT(e, 1e-12) << parent << " t=" << t;
      worst = std::max(worst, e);
    }
  }
  std::printf("[measured] atoms summed over each chain: max relative drift %.1e (tolerance 1e-12)\n", worst);
}

TEST(DecayChain, AgreesWithRk4) {
  // Reference (e): classic RK4 at small fixed steps on dN/dt = M N, written
  // independently here. Explicit RK4 must resolve the shortest half-life (Po-213
  // 4.2 us, Po-212 0.3 us), so it runs (1) the whole At-211 chain for 1 day (Po-211,
  // 0.516 s, at lambda h = 0.023) and (2) the Ac-225 chain for its first 0.1 s
  // (Po-213 at lambda h = 0.014), and (3) the Ac-225 chain for 1 ms from its state
  // at 1 day. Tolerance 1e-8 relative on every radioactive member's activity.
  double worst = 0;
  auto compare = [&](const DecayChain& c, const Eigen::VectorXd& n0, double t, long steps, double t0) {
    const Eigen::VectorXd y0 = c.atoms(t0, n0);
    const Eigen::VectorXd r = rk4(c.decay_matrix(), y0, t, steps);
    const Eigen::VectorXd b = c.atoms(t0 + t, n0);
    for (int i = 0; i < c.size(); ++i) {
      if (c.member(i).stable) continue;
      const double e = rel(c.member(i).lambda_per_day * r(i), c.member(i).lambda_per_day * b(i));
      EXPECT_LT(e, 1e-8) << c.member(i).name << " t0=" << t0 << " t=" << t;
      worst = std::max(worst, e);
    }
  };
  const DecayChain at(lib(), "At-211");
  Eigen::VectorXd n0 = Eigen::VectorXd::Zero(at.size());
  n0(0) = 1.0;
  compare(at, n0, 1.0, 5'000'000, 0.0);
  const DecayChain ac(lib(), "Ac-225");
  Eigen::VectorXd m0 = Eigen::VectorXd::Zero(ac.size());
  m0(0) = 1.0;
  compare(ac, m0, 0.1 / 86400, 1'000'000, 0.0);
  compare(ac, m0, 1e-3 / 86400, 10'000, 1.0);
  std::printf("[measured] Bateman vs RK4 (At-211 1 d; Ac-225 first 0.1 s; Ac-225 1 ms after 1 d): max relative "
              "difference in activity %.1e (tolerance 1e-8)\n",
              worst);
}

// A library written for one test.
std::string write_library(const std::string& name, const std::string& text) {
  const auto path = test::temp_dir("nuclides-" + name) / "lib.yaml";
  std::ofstream(path) << text;
  return path.string();
}

TEST(DecayChain, NearlyEqualHalfLives) {
  // Reference: X -> Y with equal or nearly equal half-lives, where the Bateman
  // difference quotient cancels: A_Y = A0 lambda_Y exp(-lambda_X t) (1 - exp(-d t))/d
  // with d = lambda_Y - lambda_X (written with expm1), and A_Y = A0 lambda t exp(-lambda t)
  // when d = 0; tolerance 1e-10 relative.
  double worst = 0;
  for (const char* thy : {"1.0 d", "1.0000001 d", "1.0005 d"}) {
    const std::string path = write_library(
        "near", fmt::format("nuclides:\n  X: {{half_life: 1.0 d, decays: [{{mode: beta-, to: Y, fraction: 1}}], "
                            "source: test}}\n  Y: {{half_life: {}, decays: [{{mode: beta-, to: Z, fraction: 1}}], "
                            "source: test}}\n  Z: {{stable: true, source: test}}\n",
                            thy));
    const NuclideLibrary l = NuclideLibrary::read_file(path);
    const DecayChain c(l, "X");
    const double lx = l.get("X").lambda_per_day, ly = l.get("Y").lambda_per_day, d = ly - lx;
    for (double t : {0.01, 0.5, 2.0, 10.0}) {
      const double expect = d == 0 ? 3.0 * lx * t * std::exp(-lx * t)
                                   : 3.0 * ly * std::exp(-lx * t) * (-std::expm1(-d * t)) / d;
      const double e = rel(c.activities(t, 3.0)(1), expect);
      EXPECT_LT(e, 1e-10) << thy << " t=" << t;
      worst = std::max(worst, e);
    }
  }
  std::printf("[measured] nearly equal half-lives (1 d vs 1, 1.0000001, 1.0005 d): max relative error %.1e "
              "(tolerance 1e-10)\n",
              worst);
}

TEST(Nuclides, BadInputNamesFileLineKey) {
  // Reference: the bad-input rule (file, line and key for every mistake).
  struct Case { const char* text; const char* key; const char* words; };
  const Case cases[] = {
      {"nuclides:\n  X:\n    half_life: 1 d\n    decays: [{mode: alpha, to: Q, fraction: 1}]\n    source: t\n",
       "nuclides.X.decays[0].to", "unknown nuclide 'Q'"},
      {"nuclides:\n  X:\n    half_life: 1 d\n    decays:\n      - {mode: alpha, to: Z, fraction: 0.5}\n"
       "      - {mode: beta-, to: Z, fraction: 0.4}\n    source: t\n  Z: {stable: true, source: t}\n",
       "nuclides.X.decays", "sum to 0.9"},
      {"nuclides:\n  X:\n    half_life: 10\n    decays: [{mode: alpha, to: Z, fraction: 1}]\n    source: t\n"
       "  Z: {stable: true, source: t}\n",
       "nuclides.X.half_life", "missing unit"},
      {"nuclides:\n  X:\n    half_life: -2 h\n    decays: [{mode: alpha, to: Z, fraction: 1}]\n    source: t\n"
       "  Z: {stable: true, source: t}\n",
       "nuclides.X.half_life", "positive"},
      {"nuclides:\n  X:\n    half_life: 2 h\n    decays: [{mode: alpha, to: Z, fraction: 1}]\n"
       "  Z: {stable: true, source: t}\n",
       "nuclides.X", "source"},
      {"nuclides:\n  X:\n    half_life: 2 h\n    decays: [{mode: alpha, to: Z, fraction: 1.2}]\n    source: t\n"
       "  Z: {stable: true, source: t}\n",
       "nuclides.X.decays[0].fraction", "(0, 1]"},
  };
  int n = 0;
  for (const Case& k : cases) {
    const std::string path = write_library("bad" + std::to_string(n++), k.text);
    try {
      NuclideLibrary::read_file(path);
      ADD_FAILURE() << "accepted: " << k.text;
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), path);
      EXPECT_GT(e.line(), 0) << e.what();
      EXPECT_EQ(e.key(), k.key) << e.what();
      EXPECT_NE(std::string(e.reason()).find(k.words), std::string::npos) << e.what();
    }
  }
  std::printf("[measured] %d bad libraries rejected with file, line and key\n", n);
}

}  // namespace
}  // namespace icsim::radiation
