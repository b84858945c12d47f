// The Collins 2023 M-protein tumour-growth-inhibition model (src/disease/collins/).
//
// References and tolerances:
//  1. CollinsTgi.GrowthWithoutDrugFollowsTheClosedForm: without drug, dM/dt =
//     KGR M^2/(M + A50) (1 - M/K) separates: KGR t = G(M) - G(M0) with
//     G(M) = (1 + A50/K) ln(M/(K - M)) - A50/M. M over 300 d (5 -> ~140 g/L, through
//     the Allee and the logistic phases) against M solved from it by bisection, to
//     1e-6 relative (rtol 1e-10: the global error is a few hundred times rtol).
//  2. CollinsTgi.ConstantConcentrationGivesExponentialDecline: Cp constant (1 cmt,
//     CL 1e-9 L/day), fast KEO, KGR = lambda = 0: ln M falls at KD' (1 - exp(-slope C)),
//     with KD' = 1.41 KD below 20 g/L; 1e-6 relative (Cp drifts by < 1e-9 relative).
//  3. CollinsTgi.EffectCompartmentLagsPlasma: Cp constant, so Ce = C (1 - exp(-KEO' t))
//     exactly, with KEO' = KEO 0.108^emd (sBCMA/100)^-0.414; 1e-6 relative. With the
//     belantamab PK, Ce rises after the end of infusion and peaks where it meets Cp.
//  4. CollinsTgi.LeavesThePkUnchanged: plasma_total_ug_per_mL with and without the
//     section agree to 1e-7 relative (rtol 1e-10; different state vectors, so not bitwise).
//  5. CollinsRegimens.ResponderRateAndOrrRatios: the nlmixr2lib vignette's Table 2
//     re-simulation (no ocular holds, no dropout), see the test for the cohort.
//  6. CollinsInput.*: unit slips and emd are rejected; IIV block as published.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "disease/collins/collins_tgi.h"
#include "model/parameter_defs.h"
#include "support.h"

namespace icsim {
namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A one-compartment agent whose plasma concentration stays constant after a bolus.
std::string constant_cp_scenario(const std::string& collins, const std::string& until = "120 d") {
  return "name: collins-constant\n"
         "agent:\n"
         "  inline:\n"
         "    id: constant-cp\n"
         "    molecular_weight: 150 kDa\n"
         "    disposition: {compartments: 1, CL: 1e-9 L/day, V1: 3 L}\n"
         "    collins_tgi: " +
         collins +
         "\n"
         "patient: {weight: 70 kg}\n"
         "regimen: {dose: 3 mg}\n"  // 1 ug/mL in 3 L
         "simulation: {until: " +
         until + ", output_every: 1 d, rtol: 1e-10, atol: 1e-14 nmol}\n";
}

double value_at(const test::CollectingSink& s, double day, const std::string& column) {
  for (size_t row = 0; row < s.info.times.size(); ++row)
    if (std::abs(s.info.times[row] - day) < 1e-9) return s.at(0, row, column);
  ADD_FAILURE() << "no output at day " << day;
  return NAN;
}

TEST(CollinsTgi, GrowthWithoutDrugFollowsTheClosedForm) {
  // The only dose is after the end: no drug. b2m 700 nmol/L raises KGR by 2^0.219.
  const std::string text =
      "name: collins-growth\n"
      "agent: {base: belantamab-mafodotin, collins_tgi: {m_protein: 5 g/L, b2m: 700 nmol/L}}\n"
      "patient: {weight: 75 kg}\n"
      "regimen: {dose: 2.5 mg/kg, start: 400 d}\n"
      "simulation: {until: 300 d, output_every: 10 d, rtol: 1e-10, atol: 1e-14 nmol}\n";
  const auto sink = test::run(test::scenario_from_text("collins-growth", text));
  ASSERT_TRUE(sink.patients.at(0).ok) << sink.patients[0].error;
  const double kgr = 0.0174 * std::pow(2.0, 0.219), a50 = 1.16, k = 150.0, m0 = 5.0;
  auto g = [&](double m) { return (1.0 + a50 / k) * std::log(m / (k - m)) - a50 / m; };
  double worst = 0.0;
  for (size_t row = 0; row < sink.info.times.size(); ++row) {
    const double t = sink.info.times[row];
    double lo = m0, hi = k;  // G increases on (0, K): bisect G(M) = G(M0) + KGR t
    for (int i = 0; i < 200; ++i) {
      const double mid = 0.5 * (lo + hi);
      (g(mid) < g(m0) + kgr * t ? lo : hi) = mid;
    }
    const double exact = 0.5 * (lo + hi), sim = sink.at(0, row, "m_protein_g_per_L");
    worst = std::max(worst, std::abs(sim / exact - 1.0));
    EXPECT_NEAR(sim, exact, 1e-6 * exact) << "day " << t;
    EXPECT_EQ(sink.at(0, row, "collins_effect_ug_per_mL"), 0.0) << "day " << t;
  }
  const double end = sink.at(0, sink.info.times.size() - 1, "m_protein_g_per_L");
  std::printf("[measured] no drug: M 5 -> %.4f g/L over 300 d; max relative difference from the closed form %.2e\n",
              end, worst);
  EXPECT_GT(end, 100.0);  // the test went through the logistic phase
}

TEST(CollinsTgi, ConstantConcentrationGivesExponentialDecline) {
  const double c = 3.0 / 3.0, slope = 0.619, kd = 0.0207;  // ug/mL, mL/ug, /day
  for (const auto& [m0, factor] : {std::pair{40.0, 1.0}, std::pair{10.0, 1.41}}) {
    const std::string collins =
        fmt::format("{{m_protein: {} g/L, KGR: 0 /day, lambda: 0 /day, KEO: 50 /day}}", m0);
    const auto sink = test::run(test::scenario_from_text("collins-constant", constant_cp_scenario(collins)));
    ASSERT_TRUE(sink.patients.at(0).ok) << sink.patients[0].error;
    const double rate = kd * factor * (1.0 - std::exp(-slope * c));
    const double measured =
        -(std::log(value_at(sink, 100, "m_protein_g_per_L")) - std::log(value_at(sink, 10, "m_protein_g_per_L"))) /
        90.0;
    std::printf("[measured] constant C = 1 ug/mL, M0 %g g/L: decline %.8f /day, expected %.8f /day\n", m0, measured,
                rate);
    EXPECT_NEAR(measured, rate, 1e-6 * rate);
    EXPECT_NEAR(value_at(sink, 50, "plasma_total_ug_per_mL"), c, 1e-6 * c);
  }
}

TEST(CollinsTgi, EffectCompartmentLagsPlasma) {
  // emd 1 and sBCMA 200 ng/mL: KEO' = 0.0284 * 0.108 * 2^-0.414.
  const auto sink = test::run(test::scenario_from_text(
      "collins-lag", constant_cp_scenario("{m_protein: 30 g/L, emd: 1, sbcma: 200 ng/mL}")));
  ASSERT_TRUE(sink.patients.at(0).ok) << sink.patients[0].error;
  const double keo = 0.0284 * 0.108 * std::pow(2.0, -0.414);
  double worst = 0.0;
  for (double t : {1.0, 10.0, 30.0, 100.0, 120.0}) {
    const double expected = 1.0 * (1.0 - std::exp(-keo * t)), ce = value_at(sink, t, "collins_effect_ug_per_mL");
    worst = std::max(worst, std::abs(ce / expected - 1.0));
    EXPECT_NEAR(ce, expected, 1e-6 * expected) << "day " << t;
  }
  std::printf("[measured] KEO' %.6f /day: Ce against C (1 - exp(-KEO' t)) within %.2e relative\n", keo, worst);

  // Belantamab PK: Ce peaks after Cp and where it meets it (dCe/dt = 0).
  const std::string bela =
      "name: collins-bela\n"
      "agent: {base: belantamab-mafodotin, collins_tgi: {m_protein: 30 g/L, KEO: 0.5 /day}}\n"
      "patient: {weight: 75 kg}\n"
      "regimen: {dose: 2.5 mg/kg, infusion: 1 h}\n"
      "simulation: {until: 21 d, output_every: 0.01 d, rtol: 1e-10, atol: 1e-14 nmol}\n";
  const auto b = test::run(test::scenario_from_text("collins-bela", bela));
  ASSERT_TRUE(b.patients.at(0).ok) << b.patients[0].error;
  size_t peak = 0;
  for (size_t row = 0; row < b.info.times.size(); ++row)
    if (b.at(0, row, "collins_effect_ug_per_mL") > b.at(0, peak, "collins_effect_ug_per_mL")) peak = row;
  const double ce = b.at(0, peak, "collins_effect_ug_per_mL"), cp = b.at(0, peak, "plasma_total_ug_per_mL");
  std::printf("[measured] belantamab 2.5 mg/kg, KEO 0.5 /day: Ce peaks at day %.2f at %.4f ug/mL, Cp there %.4f\n",
              b.info.times[peak], ce, cp);
  EXPECT_GT(b.info.times[peak], 1.0);
  // On a 0.01 d grid the peak is off by <= 0.005 d, where Cp - Ce changes by
  // ~0.005 d * |dCp/dt| (~1 ug/mL/day here): 1 % of Ce.
  EXPECT_NEAR(ce, cp, 0.01 * ce);
}

TEST(CollinsTgi, LeavesThePkUnchanged) {
  auto run = [](const std::string& agent) {
    return test::run(test::scenario_from_text(
        "collins-pk", "name: collins-pk\nagent: " + agent +
                          "\npatient: {weight: 75 kg}\n"
                          "regimen: {dose: 2.5 mg/kg, infusion: 1 h, every: 21 d, doses: 4}\n"
                          "simulation: {until: 84 d, output_every: 1 d, rtol: 1e-10, atol: 1e-14 nmol}\n"));
  };
  const auto with = run("{base: belantamab-mafodotin, collins_tgi: {m_protein: 30 g/L}}");
  const auto without = run("belantamab-mafodotin");
  ASSERT_EQ(with.info.times, without.info.times);
  double worst = 0.0;
  for (size_t row = 0; row < with.info.times.size(); ++row) {
    const double a = with.at(0, row, "plasma_total_ug_per_mL"), b = without.at(0, row, "plasma_total_ug_per_mL");
    worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), 1e-300));
    EXPECT_NEAR(a, b, 1e-7 * std::abs(b)) << "day " << with.info.times[row];
  }
  std::printf("[measured] plasma total with and without collins_tgi: max relative difference %.2e\n", worst);
}

// The scenario list entries for the Collins IIV (from the header's functions).
std::string collins_variability_yaml() {
  std::string re, cov;
  for (const RandomEffectSpec& r : collins_tgi_random_effects())
    re += fmt::format("{}{{parameter: {}, form: log-normal, variance: {}}}", re.empty() ? "" : ", ", r.parameter,
                      r.variance);
  for (const CovarianceSpec& c : collins_tgi_covariances())
    cov += fmt::format("{}{{between: [{}, {}], covariance: {}}}", cov.empty() ? "" : ", ", c.first, c.second,
                       c.covariance);
  return re + "|" + cov;
}

// Log-normal variance matched to a median and a 5th-95th percentile span, as the
// nlmixr2lib vignette draws its covariates: sigma = ln(p95/p05) / (2 * 1.6449).
double log_variance(double p05, double p95) {
  const double sigma = std::log(p95 / p05) / (2.0 * 1.6448536269514722);
  return sigma * sigma;
}

// 5. The Collins 2023 Table 2 regimen comparison as re-simulated in nlmixr2lib's
// vignette Collins_2023_belantamab_mprotein: no ocular dose holds and no dropout;
// response = M-protein <= 50 % of baseline at any 3-weekly assessment up to day 315.
// Cohort: Collins IIV (Table 1) plus the vignette's covariate draws, log-normal from
// Collins Table S2 medians and 5th-95th percentiles (M-protein 13.0 (3.0, 50.3) g/L,
// b2m 364 (170, 1034) nmol/L, sBCMA 88.2 (6.28, 587) ng/mL) as random effects on the
// section's parameters, and extramedullary disease in 24 % (the vignette's
// assumption), here as two strata of fixed size. Differences from the vignette: the
// PK is the library agent's (Papathanasiou 2025 with its variability, 73.3 kg, the
// Table S2 median weight) rather than the Collins Table S1 typical values, and
// M-protein is not floored at 5 g/L (icsim draws no floor; ~13 % fall below).
// The same seeds in every regimen, so the ratios are paired.
TEST(CollinsRegimens, ResponderRateAndOrrRatios) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string yaml = collins_variability_yaml();
  const std::string re = yaml.substr(0, yaml.find('|')), cov = yaml.substr(yaml.find('|') + 1);
  const std::string covariate_re = fmt::format(
      ", {{parameter: collins_tgi.m_protein, form: log-normal, variance: {:.6f}}}"
      ", {{parameter: collins_tgi.b2m, form: log-normal, variance: {:.6f}}}"
      ", {{parameter: collins_tgi.sbcma, form: log-normal, variance: {:.6f}}}",
      log_variance(3.0, 50.3), log_variance(170, 1034), log_variance(6.28, 587));
  struct Regimen {
    const char* name;
    const char* yaml;
    double published;  // Collins 2023 Table 2 ORR ratio
  };
  const std::vector<Regimen> regimens = {
      {"2.5 mg/kg q3w", "{dose: 2.5 mg/kg, infusion: 1 h, every: 21 d, doses: 15}", 1.0},
      {"1.4 mg/kg q3w", "{dose: 1.4 mg/kg, infusion: 1 h, every: 21 d, doses: 15}", 0.87},
      {"0.9 mg/kg q3w", "{dose: 0.9 mg/kg, infusion: 1 h, every: 21 d, doses: 15}", 0.73},
      {"1.25 mg/kg D1+D8 q3w",
       "[{dose: 1.25 mg/kg, infusion: 1 h, every: 21 d, doses: 15},"
       " {dose: 1.25 mg/kg, infusion: 1 h, every: 21 d, doses: 15, start: 7 d}]",
       0.95},
      {"0.83 mg/kg weekly", "{dose: 0.83 mg/kg, infusion: 1 h, every: 7 d, doses: 45}", 0.91},
      {"2.5 then 1.9 mg/kg from day 21",
       "[{dose: 2.5 mg/kg, infusion: 1 h}, {dose: 1.9 mg/kg, infusion: 1 h, every: 21 d, doses: 14, start: 21 d}]",
       0.98},
  };
  // Strata: without and with extramedullary disease (24 %), each its own seed.
  struct Stratum {
    int emd, patients, seed;
  };
  const std::vector<Stratum> strata = {{0, 2280, 11}, {1, 720, 12}};
  int total = 0;
  for (const Stratum& s : strata) total += s.patients;

  // responders[r][i]: patient i responds under regimen r.
  std::vector<std::vector<bool>> responders(regimens.size());
  for (size_t r = 0; r < regimens.size(); ++r) {
    for (const Stratum& st : strata) {
      const std::string text = fmt::format(
          "name: collins-regimen\n"
          "agent:\n"
          "  base: belantamab-mafodotin\n"
          "  collins_tgi: {{m_protein: 13 g/L, b2m: 364 nmol/L, sbcma: 88.2 ng/mL, emd: {}}}\n"
          "  variability: {{add: [{}{}]}}\n"
          "  covariance: {{add: [{}]}}\n"
          "patient: {{weight: 73.3 kg, bmi: 27 kg/m2}}\n"
          "regimen: {}\n"
          "simulation: {{until: 315 d, output_every: 21 d, patients: {}, variability: true, seed: {}}}\n",
          st.emd, re, covariate_re, cov, regimens[r].yaml, st.patients, st.seed);
      const auto sink = test::run(test::scenario_from_text("collins-regimen", text));
      const size_t rows = sink.info.times.size();
      ASSERT_EQ(rows, 16u);  // days 0, 21, ..., 315
      for (size_t i = 0; i < sink.patients.size(); ++i) {
        ASSERT_TRUE(sink.patients[i].ok) << regimens[r].name << " patient " << i << ": " << sink.patients[i].error;
        const double m0 = sink.at(i, 0, "m_protein_g_per_L");
        bool responds = false;
        for (size_t row = 1; row < rows; ++row) responds = responds || sink.at(i, row, "m_protein_g_per_L") <= 0.5 * m0;
        responders[r].push_back(responds);
      }
    }
  }
  auto rate = [&](size_t r) {
    int n = 0;
    for (bool b : responders[r]) n += b;
    return static_cast<double>(n) / total;
  };
  const double reference = rate(0);
  // Binomial SE of the reference rate; the nlmixr2lib figure (~46 % of 150) has its own, ~0.041.
  const double se = std::sqrt(reference * (1 - reference) / total);
  std::printf("[measured] 2.5 mg/kg q3w: %.1f %% responders (SE %.1f %%; nlmixr2lib re-simulation ~46 %%, "
              "DREAMM-2 observed ~31 %%)\n",
              100 * reference, 100 * se);
  // The two estimates differ by Monte-Carlo error of sqrt(se^2 + 0.041^2) ~ 0.045
  // and by the PK model (Collins Table S1 typical values there, Papathanasiou 2025
  // with variability here: 44 % vs 42 % in 5,000-patient runs): allow 0.10.
  EXPECT_NEAR(reference, 0.46, 0.10);
  std::vector<double> ratios(regimens.size(), 1.0);
  for (size_t r = 1; r < regimens.size(); ++r) {
    // Paired ratio; SE of the paired difference over the reference responders.
    int only_ref = 0, only_this = 0, n_ref = 0;
    for (int i = 0; i < total; ++i) {
      n_ref += responders[0][i];
      only_ref += responders[0][i] && !responders[r][i];
      only_this += !responders[0][i] && responders[r][i];
    }
    ratios[r] = rate(r) / reference;
    const double ratio_se = std::sqrt(static_cast<double>(only_ref + only_this)) / n_ref;
    std::printf("[measured] %-32s responders %.1f %%, ORR ratio %.3f (SE ~%.3f), Collins Table 2 %.2f\n",
                regimens[r].name, 100 * rate(r), ratios[r], ratio_se, regimens[r].published);
    // The published ratios come from simulations with ocular dose holds in every arm
    // and progression dropout, which this re-simulation (like nlmixr2lib's) leaves out,
    // and from the Collins Table S1 PK; swapping the PK model (or dropping the PK
    // variability) moved the 0.9 mg/kg ratio by 0.045 in 5,000-patient runs. Allow
    // 0.08 for these plus 3 SE of Monte-Carlo error.
    EXPECT_NEAR(ratios[r], regimens[r].published, 0.08 + 3 * ratio_se) << regimens[r].name;
  }
  // The published order where the gaps are several SE wide: 2.5 > weekly 0.83 >
  // 1.4 > 0.9 mg/kg, and every regimen below the reference.
  EXPECT_GT(ratios[4], ratios[1]);
  EXPECT_GT(ratios[1], ratios[2]);
  for (size_t r = 1; r < regimens.size(); ++r) EXPECT_LT(ratios[r], 1.0) << regimens[r].name;
  std::printf("[measured] %d patients x %zu regimens in %.1f s\n", total, regimens.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

TEST(CollinsInput, UnitSlipsAndEmdAreRejected) {
  auto scenario = [](const std::string& collins) {
    return "name: c\nagent: {base: belantamab-mafodotin, collins_tgi: " + collins +
           "}\npatient: {weight: 75 kg}\nregimen: {dose: 2.5 mg/kg}\nsimulation: {until: 21 d}\n";
  };
  std::string e = test::error_of("collins-b2m", scenario("{m_protein: 30 g/L, b2m: 4 mg/L}"));
  EXPECT_TRUE(has(e, "collins_tgi.b2m is written in 'mg/L'")) << e;
  e = test::error_of("collins-m", scenario("{m_protein: 200 nM}"));
  EXPECT_TRUE(has(e, "collins_tgi.m_protein is written in 'nM'")) << e;
  e = test::error_of("collins-emd", scenario("{m_protein: 30 g/L, emd: 0.5}"));
  EXPECT_TRUE(has(e, "collins_tgi.emd must be 0")) << e;
  e = test::error_of("collins-missing", scenario("{KD: 0.02 /day}"));
  EXPECT_TRUE(has(e, "missing parameter 'collins_tgi.m_protein'")) << e;
  EXPECT_EQ(test::error_of("collins-dl", scenario("{m_protein: 3 g/dL, slope: 0.093 /nM}")), "");
  const Scenario s = test::scenario_from_text("collins-defaults", scenario("{m_protein: 3 g/dL}"));
  EXPECT_DOUBLE_EQ(s.agent.value("collins_tgi.m_protein"), 30.0);
  EXPECT_DOUBLE_EQ(s.agent.value("collins_tgi.KGR"), 0.0174);
  EXPECT_DOUBLE_EQ(s.agent.value("collins_tgi.A50"), 1.16);
  EXPECT_DOUBLE_EQ(s.agent.value("collins_tgi.slope"), 0.619);
  EXPECT_TRUE(has(s.agent.params.at("collins_tgi.KD").source, "Collins 2023"));
}

TEST(CollinsInput, VariabilityAsPublished) {
  const auto re = collins_tgi_random_effects();
  const auto cov = collins_tgi_covariances();
  ASSERT_EQ(re.size(), 6u);
  ASSERT_EQ(cov.size(), 3u);
  for (const auto& r : re) EXPECT_NE(find_param_def(r.parameter), nullptr) << r.parameter;
  // The KGR-KD-lambda block is positive definite (correlations 0.642, 0.151, 0.621).
  Eigen::Matrix3d omega;
  omega << 0.677, 0.546, 0.217, 0.546, 1.07, 1.12, 0.217, 1.12, 3.04;
  EXPECT_EQ(Eigen::LLT<Eigen::Matrix3d>(omega).info(), Eigen::Success);
  EXPECT_DOUBLE_EQ(re[0].variance, 0.677);
  EXPECT_DOUBLE_EQ(re[2].variance, 3.04);
  EXPECT_DOUBLE_EQ(cov[2].covariance, 1.12);
  EXPECT_DOUBLE_EQ(collins_tgi_residual_error().additive_sd_g_per_L, 0.832);
  EXPECT_DOUBLE_EQ(collins_tgi_residual_error().proportional_sd, 0.0633);
}

TEST(CollinsTgi, TakesThePatientsSbcmaUnlessTheDiseaseGivesIt) {
  auto text = [](const std::string& disease_extra) {
    return "name: collins-sbcma\n"
           "agent: belantamab-mafodotin\n"
           "patient: {weight: 75 kg, sbcma: 400 ng/mL}\n"
           "disease: {model: collins2023, m_protein: 30 g/L" + disease_extra + "}\n"
           "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 2}\n"
           "simulation: {until: 42 d}\n";
  };
  const Scenario from_patient = test::scenario_from_text("collins-sbcma", text(""));
  EXPECT_DOUBLE_EQ(from_patient.agent.params.at("collins_tgi.sbcma").value, 400.0);
  EXPECT_EQ(from_patient.agent.params.at("collins_tgi.sbcma").source, "patient covariate sbcma");
  const Scenario own = test::scenario_from_text("collins-sbcma-own", text(", sbcma: 80 ng/mL"));
  EXPECT_DOUBLE_EQ(own.agent.params.at("collins_tgi.sbcma").value, 80.0);
}

}  // namespace
}  // namespace icsim
