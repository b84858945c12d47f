// The tumour of a scenario's disease (src/disease/disease.cc) and the ADC effector
// (src/disease/adc_effector.cc), against what can be known independently:
//  - growth without drug against the closed forms of each growth law, and the
//    M-protein against its closed form (exponential growth) and its steady state
//    (production over elimination, no growth); rtol 1e-10, compared to 1e-6
//    relative (a few hundred times the local tolerance over ~40 steps);
//  - antibody and payload carried through plasma, interstitium, surface, endosome,
//    cell, neighbours and efflux conserved to 1e-8 of the dose (BDF, rtol 1e-10);
//  - limits: no antigen and an impermeable payload kill nothing (cells equal the
//    untreated closed form to 1e-6); very fast binding is at quasi-equilibrium
//    (koff S = kon C R to 1e-3 relative at kon 1000 times the library's);
//  - the quasi-equilibrium reductions (binding, interstitial payload): conserve mass
//    as the kinetic model does, converge to it as the fast rates grow (1e-4 at 1000
//    times the library's binding rates and 100 times the payload exchange), and on a
//    typical belantamab patient stay within 2 % (M-protein) and 3 % (cells) of it
//    with the same IMWG response, response day and progression day;
//  - the review's qualitative claims, asserted as inequalities with margins.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "final_state.h"
#include "support.h"

namespace icsim {
namespace {

constexpr double kLn2 = 0.69314718055994531;

// A belantamab patient with a disease; `disease_extra` and `agent_extra` are YAML
// keys added to the disease and agent mappings.
std::string scenario_text(const std::string& disease_extra, const std::string& clones,
                          const std::string& agent_extra = "", const std::string& sim_extra = "") {
  return "name: disease-test\n"
         "agent: {base: belantamab-mafodotin" + agent_extra + "}\n"
         "patient: {weight: 75 kg}\n"
         "disease: {m_protein: 30 g/L" + disease_extra + ", clones: " + clones + "}\n"
         "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 6}\n"
         "simulation: {until: 126 d, output_every: 7 d, solver: cvode, rtol: 1e-10, atol: 1e-14 nmol" + sim_extra +
         "}\n";
}

test::CollectingSink run_text(const std::string& text) {
  return test::run(test::scenario_from_text("disease-test", text));
}

TEST(Disease, GrowthLawsMatchClosedFormsWithoutDrug) {
  const double n0 = 30.0 * 2.1e10, k = 3.2e12, td = 40.0, r = kLn2 / td;
  const double km = kLn2 / 13.8;
  struct Law {
    const char* name;
    double (*cells)(double t, double n0, double k, double r);
  };
  const Law laws[] = {
      {"exponential", [](double t, double n0, double, double r) { return n0 * std::exp(r * t); }},
      {"gompertz",
       [](double t, double n0, double k, double r) {
         const double a = r / std::log(k / n0);
         return k * std::exp(std::log(n0 / k) * std::exp(-a * t));
       }},
      {"logistic",
       [](double t, double n0, double k, double r) {
         const double b = r / (1.0 - n0 / k);
         return k / (1.0 + (k / n0 - 1.0) * std::exp(-b * t));
       }},
      {"none", [](double, double n0, double, double) { return n0; }},
  };
  for (const Law& law : laws) {
    const auto out = run_text(scenario_text(std::string(", growth: ") + law.name + ", marrow_exchange: 0 /day",
                                            "[{name: a, fraction: 0.7, antigen: 670 /cell},"
                                            " {name: b, fraction: 0.3, antigen: 0 /cell}]"));
    ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
    double worst = 0.0;
    for (size_t row = 0; row < out.info.times.size(); ++row) {
      const double t = out.info.times[row];
      const double expected = law.cells(t, n0, k, r);
      const double got = out.at(0, row, "tumour_cells");
      worst = std::max(worst, std::abs(got / expected - 1.0));
      EXPECT_NEAR(got, expected, 1e-6 * expected) << law.name << " at day " << t;
      EXPECT_NEAR(out.at(0, row, "clone_a_cells"), 0.7 * got, 1e-6 * got) << law.name;
      const double m = out.at(0, row, "m_protein_g_per_L");
      if (std::string(law.name) == "exponential") {
        const double closed = 30.0 * (km / (km + r) * std::exp(r * t) + r / (km + r) * std::exp(-km * t));
        EXPECT_NEAR(m, closed, 1e-6 * closed) << "M-protein at day " << t;
      } else if (std::string(law.name) == "none") {
        EXPECT_NEAR(m, 30.0, 1e-9) << "M-protein steady state (production / elimination) at day " << t;
      }
    }
    std::printf("[measured] %s growth: max relative error of tumour cells against the closed form %.2e\n", law.name,
                worst);
  }
}

// Antibody and payload summed over every state that carries them, accumulators
// included, against what was dosed.
class FastProcesses : public ::testing::TestWithParam<const char*> {};

// binding and interstitial_payload as written (kinetic) or reduced.
INSTANTIATE_TEST_SUITE_P(Disease, FastProcesses,
                         ::testing::Values("", ", binding: quasi_equilibrium",
                                           ", binding: quasi_equilibrium, interstitial_payload: quasi_equilibrium"));

TEST_P(FastProcesses, ConjugateAndPayloadConservedThroughTheCell) {
  const std::string text =
      "name: disease-balance\n"
      "agent: {base: belantamab-mafodotin, dar: {distribution: {2: 0.3, 4: 0.7}, deconjugation: 0.1 /day},"
      " payload: {molecular_weight: 0.9 kDa, compartments: 2, CL: 50 L/day, V1: 10 L, Q: 20 L/day, V2: 40 L},"
      " cellular: {payload_permeability: 50 /day}}\n"
      "patient: {weight: 75 kg}\n"
      "disease: {m_protein: 30 g/L, emd_fraction: 0.2" + std::string(GetParam()) +
      ", clones: [{name: a, fraction: 0.6, antigen: 5000 /cell,"
      " efflux: 5 /day}, {name: b, fraction: 0.4, antigen: 0 /cell}]}\n"
      "regimen: {dose: 2.5 mg/kg, infusion: 30 min, every: 21 d, doses: 2}\n"
      "simulation: {until: 42 d}\n";
  const Scenario s = test::scenario_from_text("disease-balance", text);
  const AgentSpec& a = s.agent;
  const test::FinalState f = test::simulate_typical(s, 42.0, 1e-10, 1e-14, true);
  ASSERT_TRUE(f.record.ok) << f.record.error;
  const BuiltModel& m = f.model;
  const std::vector<double>& y = f.y;
  const double antibody = f.total(&Carries::antibody), payload = f.total(&Carries::payload);
  double in_cells = 0.0;  // payload states of the tumour (cells and interstitium)
  for (size_t i = 0; i < y.size(); ++i)
    if (m.model->state_names()[i].find(".payload") != std::string::npos &&
        m.model->state_names()[i].rfind("tumour.", 0) == 0)
      in_cells += y[i];
  const double dose = 2.0 * 2.5 * 75.0 * 1e6 / a.molecular_weight;  // nmol
  const double mean_dar = 0.3 * 2 + 0.7 * 4;
  std::printf("[measured] {%s}: antibody %.12g of %.12g nmol (relative %.2e); payload %.12g of %.12g nmol "
              "(relative %.2e); payload in tumour cells and interstitium %.3g nmol\n",
              GetParam(), antibody, dose, std::abs(antibody / dose - 1), payload, dose * mean_dar,
              std::abs(payload / (dose * mean_dar) - 1), in_cells);
  EXPECT_NEAR(antibody, dose, 1e-8 * dose);
  EXPECT_NEAR(payload, dose * mean_dar, 1e-8 * dose * mean_dar);
  EXPECT_GT(in_cells, 0.0);  // the payload did go through the cells
  EXPECT_GT(y[m.model->state("tumour.catabolised")], 1e-3);
}

TEST(Disease, NoAntigenAndImpermeablePayloadKillNothing) {
  // Exponential growth keeps the clones independent, so the antigen-negative clone
  // must follow N0 f 2^(t/Td) exactly when nothing reaches it.
  const auto out = run_text(scenario_text(", growth: exponential",
                                          "[{name: pos, fraction: 0.8, antigen: 5000 /cell},"
                                          " {name: neg, fraction: 0.2, antigen: 0 /cell}]",
                                          ", cellular: {payload_permeability: 0 /day}"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double n0 = 0.2 * 30.0 * 2.1e10, r = kLn2 / 40.0;
  for (size_t row = 0; row < out.info.times.size(); ++row) {
    const double t = out.info.times[row], expected = n0 * std::exp(r * t);
    EXPECT_NEAR(out.at(0, row, "clone_neg_cells"), expected, 1e-6 * expected) << "day " << t;
  }
  // The antigen-positive clone is killed: the comparison means something.
  EXPECT_LT(out.at(0, out.info.times.size() - 1, "clone_pos_cells"), 0.5 * 0.8 * 30.0 * 2.1e10);
}

TEST(Disease, VeryFastBindingIsAtQuasiEquilibrium) {
  // kon and koff 1000 times the library's (same KD), no internalisation: the free
  // antigen, the complex and the interstitial conjugate satisfy koff S = kon C R.
  const std::string text = scenario_text(
      ", growth: none", "[{name: a, fraction: 1, antigen: 5000 /cell}]",
      ", cellular: {kon: 8880 /nM/day, koff: 2640 /day, internalisation: 0 /day}");
  const Scenario s = test::scenario_from_text("disease-qe", text);
  const test::FinalState f = test::simulate_typical(s, 10.0, 1e-10, 1e-16, false);
  ASSERT_TRUE(f.record.ok) << f.record.error;
  const BuiltModel& m = f.model;
  const std::vector<double>& y = f.y;
  const double v = 1.75, eps = 0.24;
  const double c = y[m.model->state("tumour.marrow.conjugate.0")] / (eps * v);
  const double ra = y[m.model->state("tumour.marrow.a.antigen")];
  const double sc = y[m.model->state("tumour.marrow.a.complex.0")];
  const double lhs = 2640.0 * sc, rhs = 8880.0 * c * ra;
  std::printf("[measured] fast binding at day 10: koff S = %.6g, kon C R = %.6g (relative %.2e); occupancy %.3f\n", lhs,
              rhs, std::abs(lhs / rhs - 1), sc / (sc + ra));
  EXPECT_NEAR(lhs, rhs, 1e-3 * rhs);
  EXPECT_GT(sc / (sc + ra), 0.5);  // the drug binds: not a trivial equality of zeros
}

double nadir_m_protein(const test::CollectingSink& out) {
  double m = 1e300;
  for (size_t row = 0; row < out.info.times.size(); ++row) m = std::min(m, out.at(0, row, "m_protein_g_per_L"));
  return m;
}

TEST(Disease, BelantamabLowersMProteinInATypicalPatient) {
  const auto out = run_text(scenario_text("", "[{name: a, fraction: 1, antigen: 670 /cell}]"));
  ASSERT_TRUE(out.patients[0].ok) << out.patients[0].error;
  const double nadir = nadir_m_protein(out);
  std::printf("[measured] typical patient at 2.5 mg/kg Q3W: M-protein 30 -> nadir %.3g g/L over 126 days\n", nadir);
  EXPECT_LT(nadir, 0.5 * 30.0);
  const Table& response = out.patients[0].table("response");
  EXPECT_LE(response.at(0, "best_response"), static_cast<double>(3));  // PR or better (0 sCR ... 3 PR)
}

TEST(Disease, MoreShedAntigenLowersExposureAndEffect) {
  auto run_sbcma = [](const char* sbcma) {
    const std::string agent =
        ", soluble_antigen: {molecular_weight: 5.4 kDa, baseline: 50 ng/mL, kdeg: 0.46 /h, kon: 10 /nM/day,"
        " koff: 5 /day, complex_elimination: 0.3 /day}";
    std::string text = scenario_text("", "[{name: a, fraction: 1, antigen: 670 /cell}]", agent);
    text = test::replace(text, "patient: {weight: 75 kg}", std::string("patient: {weight: 75 kg, sbcma: ") + sbcma + "}");
    return run_text(text);
  };
  const auto low = run_sbcma("20 ng/mL"), high = run_sbcma("500 ng/mL");
  ASSERT_TRUE(low.patients[0].ok && high.patients[0].ok);
  const size_t last = low.info.times.size() - 1;
  const double auc_low = low.at(0, last, "auc_cumulative_ug_day_per_mL"),
               auc_high = high.at(0, last, "auc_cumulative_ug_day_per_mL");
  std::printf("[measured] sBCMA 20 vs 500 ng/mL: AUC(0-126 d) %.4g vs %.4g ug*day/mL; M-protein nadir %.3g vs %.3g g/L\n",
              auc_low, auc_high, nadir_m_protein(low), nadir_m_protein(high));
  EXPECT_LT(auc_high, 0.95 * auc_low);
  EXPECT_GT(nadir_m_protein(high), nadir_m_protein(low));
}

TEST(Disease, PermeablePayloadKillsMoreOfAnAntigenNegativeClone) {
  const std::string clones = "[{name: pos, fraction: 0.8, antigen: 5000 /cell}, {name: neg, fraction: 0.2, antigen: 0 /cell}]";
  const auto mmaf = run_text(scenario_text(", growth: exponential", clones));
  const auto permeable = run_text(scenario_text(", growth: exponential", clones,
                                                ", cellular: {payload_permeability: 54.5 /day, kill_ec50: 45 nM}"));
  ASSERT_TRUE(mmaf.patients[0].ok && permeable.patients[0].ok);
  const size_t row = 8;  // day 56
  const double a = mmaf.at(0, row, "clone_neg_cells"), b = permeable.at(0, row, "clone_neg_cells");
  std::printf("[measured] antigen-negative clone at day 56: %.4g cells with MMAF, %.4g with a permeable payload\n", a, b);
  EXPECT_LT(b, 0.9 * a);
}

const RandomEffectSpec* effect_on(const Scenario& s, const std::string& parameter) {
  for (const RandomEffectSpec& r : s.agent.random_effects)
    if (r.parameter == parameter) return &r;
  return nullptr;
}

TEST(Disease, BringsItsBetweenPatientVariabilityUnlessToldNot) {
  const std::string clones = "[{name: pos, fraction: 0.9, antigen: 670 /cell}, {name: neg, fraction: 0.1, antigen: 0 /cell}]";
  const Scenario with = test::scenario_from_text("dz-var", scenario_text("", clones));
  ASSERT_TRUE(effect_on(with, "disease.doubling_time"));
  EXPECT_EQ(effect_on(with, "disease.doubling_time")->variance, 0.677);  // Collins 2023 KGR
  for (const char* c : {"pos", "neg"}) {
    const RandomEffectSpec* r = effect_on(with, std::string("disease.clones.") + c + ".antigen");
    ASSERT_TRUE(r) << c;
    EXPECT_NEAR(r->variance, std::pow(std::log(850.0 / 380.0) / 1.349, 2), 1e-3);  // the BCMA IQR
  }
  const Scenario without = test::scenario_from_text("dz-novar", scenario_text(", variability: false", clones));
  EXPECT_FALSE(effect_on(without, "disease.doubling_time"));
  EXPECT_FALSE(effect_on(without, "disease.clones.pos.antigen"));
  // The agent's own effect on a disease parameter wins: no second one is added.
  const Scenario own = test::scenario_from_text(
      "dz-own", scenario_text("", clones,
                              ", variability: {add: [{parameter: disease.doubling_time, form: log-normal, variance: 0.1}]}"));
  int count = 0;
  for (const RandomEffectSpec& r : own.agent.random_effects) count += r.parameter == "disease.doubling_time";
  EXPECT_EQ(count, 1);
  EXPECT_EQ(effect_on(own, "disease.doubling_time")->variance, 0.1);
}

// The largest relative difference of `column` between two single-patient runs.
double worst_difference(const test::CollectingSink& a, const test::CollectingSink& b, const char* column) {
  double worst = 0.0;
  for (size_t row = 0; row < a.info.times.size(); ++row)
    worst = std::max(worst, std::abs(b.at(0, row, column) / a.at(0, row, column) - 1.0));
  return worst;
}

TEST(Disease, QuasiEquilibriumIsTheLimitOfFastProcesses) {
  // Binding 1000 times faster than the library's (same KD) and the payload's exchange
  // 100 times faster: the reduced model is the kinetic model's limit.
  const std::string clones = "[{name: pos, fraction: 0.8, antigen: 5000 /cell}, {name: neg, fraction: 0.2, antigen: 0 /cell}]";
  const std::string fast = ", cellular: {kon: 8880 /nM/day, koff: 2640 /day, payload_exchange: 5970 /day,"
                           " payload_permeability: 5 /day}";
  const auto kinetic = run_text(scenario_text("", clones, fast));
  const auto reduced =
      run_text(scenario_text(", binding: quasi_equilibrium, interstitial_payload: quasi_equilibrium", clones, fast));
  ASSERT_TRUE(kinetic.patients[0].ok && reduced.patients[0].ok);
  const double m = worst_difference(kinetic, reduced, "m_protein_g_per_L");
  const double pos = worst_difference(kinetic, reduced, "clone_pos_cells");
  const double neg = worst_difference(kinetic, reduced, "clone_neg_cells");
  std::printf("[measured] fast processes, reduced against kinetic: M-protein %.2e, antigen-positive cells %.2e, "
              "antigen-negative cells %.2e (largest relative difference over 126 days)\n", m, pos, neg);
  EXPECT_LT(std::max({m, pos, neg}), 1e-4);
  // The drug acted: the limit is not reached by doing nothing.
  EXPECT_LT(kinetic.at(0, kinetic.info.times.size() - 1, "clone_pos_cells"), 0.5 * 0.8 * 30.0 * 2.1e10);
}

TEST(Disease, QuasiEquilibriumIsAccurateForATypicalBelantamabPatient) {
  // The library's rates: binding (kon C about 2 /day at KD) is not much faster than
  // internalisation (2.4 /day), so the reduction is an approximation; this measures it.
  const std::string clones =
      "[{name: sensitive, fraction: 0.99, antigen: 670 /cell}, {name: negative, fraction: 0.01, antigen: 0 /cell}]";
  const auto kinetic = run_text(scenario_text("", clones));
  const auto reduced =
      run_text(scenario_text(", binding: quasi_equilibrium, interstitial_payload: quasi_equilibrium", clones));
  ASSERT_TRUE(kinetic.patients[0].ok && reduced.patients[0].ok);
  const double m = worst_difference(kinetic, reduced, "m_protein_g_per_L");
  const double cells = std::max(worst_difference(kinetic, reduced, "clone_sensitive_cells"),
                                worst_difference(kinetic, reduced, "clone_negative_cells"));
  std::printf("[measured] typical patient, reduced against kinetic: M-protein %.3g, cells %.3g (largest relative "
              "difference over 126 days)\n", m, cells);
  EXPECT_LT(m, 0.02);
  EXPECT_LT(cells, 0.03);
  const Table& a = kinetic.patients[0].table("response");
  const Table& b = reduced.patients[0].table("response");
  for (const char* column : {"best_response", "response_day", "progression_day"}) {
    const double x = a.at(0, column), y = b.at(0, column);  // NaN: no such day in either
    EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << column << ": " << x << " against " << y;
  }
  EXPECT_FALSE(std::isnan(a.at(0, "response_day")));  // the patient responds: the days mean something
}

}  // namespace
}  // namespace icsim
