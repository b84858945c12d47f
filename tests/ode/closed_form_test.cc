// Linear 1- and 2-compartment models against their closed-form solutions
// (superposition of bolus and constant-rate infusion responses; Gibaldi & Perrier,
// Pharmacokinetics, 2nd ed., ch. 1-2). Reference: exact. Tolerance: relative error
// 1e-6, with solver tolerances rtol 1e-10 so that the integrator error is far below it.
#include <gtest/gtest.h>

#include <cstdio>

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support.h"

namespace icsim {
namespace {

struct Linear {
  double cl, v1, q = 0, v2 = 1;
  // Exponents and coefficients of the unit bolus response G(t) = sum c_i exp(-l_i t) / V1.
  std::vector<double> l, c;
  void solve() {
    const double k10 = cl / v1;
    if (q == 0) {
      l = {k10};
      c = {1.0};
      return;
    }
    const double k12 = q / v1, k21 = q / v2, s = k10 + k12 + k21;
    const double disc = std::sqrt(s * s - 4 * k10 * k21);
    const double a = 0.5 * (s + disc), b = 0.5 * (s - disc);
    l = {a, b};
    c = {(a - k21) / (a - b), (k21 - b) / (a - b)};
  }
  double bolus(double t) const {  // G(t)
    double g = 0;
    for (size_t i = 0; i < l.size(); ++i) g += c[i] * std::exp(-l[i] * t);
    return t < 0 ? 0.0 : g / v1;
  }
  double infusion(double t) const {  // F(t): unit-rate infusion since 0
    double f = 0;
    for (size_t i = 0; i < l.size(); ++i) f += c[i] / l[i] * (1 - std::exp(-l[i] * t));
    return t < 0 ? 0.0 : f / v1;
  }
  double bolus_integral(double a, double b) const {  // integral of G from a to b (a >= 0)
    double s = 0;
    for (size_t i = 0; i < l.size(); ++i) s += c[i] / l[i] * (std::exp(-l[i] * a) - std::exp(-l[i] * b));
    return s / v1;
  }
};

struct Dose {
  double time, mg, duration;
};

// Concentration at t; with `before`, the left limit (doses given at t not yet in).
double closed_form(const Linear& m, const std::vector<Dose>& doses, double t, bool before = false) {
  double conc = 0;
  for (const auto& d : doses) {
    if (before && d.time >= t) continue;
    if (d.duration == 0) conc += d.mg * m.bolus(t - d.time);
    else conc += d.mg / d.duration * (m.infusion(t - d.time) - m.infusion(t - d.time - d.duration));
  }
  return conc;  // mg/L = ug/mL
}

struct Case {
  std::string name, agent, regimen;
  std::vector<Dose> doses;
  bool two;
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }
};

class ClosedForm : public ::testing::TestWithParam<std::tuple<Case, std::string>> {};

TEST_P(ClosedForm, MatchesToRelativeError1e6) {
  const auto& [c, solver] = GetParam();
  Linear m = c.two ? Linear{0.5, 3, 1.2, 4} : Linear{1.0, 5};
  m.solve();
  const std::string text = fmt::format(
      "name: closed-form\nagent: {{file: {}}}\nregimen: {}\n"
      "simulation: {{until: 35 d, output_every: 0.125 d, solver: {}, rtol: 1e-10, atol: 1e-14 nmol}}\n",
      test::test_data("agents/" + c.agent + ".yaml"), c.regimen, solver);
  const auto sink = test::run(test::scenario_from_text("closed-form", text));
  ASSERT_EQ(sink.patients.size(), 1u);
  const auto& p = sink.patients[0];
  ASSERT_TRUE(p.ok) << p.error;
  const auto& times = sink.info.times;
  ASSERT_EQ(p.series.size(), times.size() * sink.info.columns.size());
  double worst = 0;
  for (size_t i = 0; i < times.size(); ++i) {
    const double expected = closed_form(m, c.doses, times[i]);
    const double got = sink.at(0, i, "plasma_total_ug_per_mL");
    if (expected == 0) {
      EXPECT_EQ(got, 0.0);
      continue;
    }
    worst = std::max(worst, std::abs(got / expected - 1));
  }
  // The cumulative AUC column at the end is the sum of the intervals' AUCs when the
  // intervals cover the whole run (same integral state, read at other times).
  const auto iv = test::intervals(p);
  if (!iv.empty() && iv.front().start_day == 0.0 && iv.back().end_day == times.back()) {
    double sum = 0;
    for (const auto& x : iv) sum += x.auc;
    EXPECT_NEAR(sink.at(0, times.size() - 1, "auc_cumulative_ug_day_per_mL"), sum, 1e-9 * sum);
  }
  std::printf("[measured] %s %s: max relative error %.2e\n", c.name.c_str(), solver.c_str(), worst);
  EXPECT_LT(worst, 1e-6) << c.name;
  // Exposure metrics of every interval against the same closed form.
  for (const auto& iv : test::intervals(p)) {
    EXPECT_NEAR(iv.ctrough, closed_form(m, c.doses, iv.end_day, true), 1e-6 * iv.ctrough);
    double peak = 0;  // IV input peaks at the end of a bolus or infusion
    for (const auto& d : c.doses)
      if (std::abs(d.time - iv.start_day) < 1e-12) peak = closed_form(m, c.doses, d.time + d.duration);
    EXPECT_NEAR(iv.cmax, peak, 1e-6 * peak);
    if (c.doses.front().duration == 0) {
      double auc = 0;
      for (const auto& d : c.doses)
        if (d.time <= iv.start_day) auc += d.mg * m.bolus_integral(iv.start_day - d.time, iv.end_day - d.time);
      EXPECT_NEAR(iv.auc, auc, 1e-6 * auc);
      EXPECT_NEAR(iv.cavg, auc / (iv.end_day - iv.start_day), 1e-6 * iv.cavg);
    }
  }
}

std::vector<Dose> repeated(double mg, double duration, double every, int n) {
  std::vector<Dose> d;
  for (int i = 0; i < n; ++i) d.push_back({i * every, mg, duration});
  return d;
}

const Case kCases[] = {
    {"1cmt-bolus", "linear-1cmt", "{dose: 100 mg}", repeated(100, 0, 0, 1), false},
    {"1cmt-infusion", "linear-1cmt", "{dose: 100 mg, infusion: 12 h}", repeated(100, 0.5, 0, 1), false},
    {"1cmt-bolus-repeated", "linear-1cmt", "{dose: 100 mg, every: 7 d, doses: 4}", repeated(100, 0, 7, 4), false},
    {"1cmt-infusion-repeated", "linear-1cmt", "{dose: 100 mg, infusion: 1 d, every: 7 d, doses: 4}",
     repeated(100, 1, 7, 4), false},
    {"2cmt-bolus", "linear-2cmt", "{dose: 100 mg}", repeated(100, 0, 0, 1), true},
    {"2cmt-infusion", "linear-2cmt", "{dose: 100 mg, infusion: 12 h}", repeated(100, 0.5, 0, 1), true},
    {"2cmt-bolus-repeated", "linear-2cmt", "{dose: 100 mg, every: 7 d, doses: 4}", repeated(100, 0, 7, 4), true},
    {"2cmt-infusion-repeated", "linear-2cmt", "{dose: 100 mg, infusion: 1 d, every: 7 d, doses: 4}",
     repeated(100, 1, 7, 4), true},
};

INSTANTIATE_TEST_SUITE_P(Linear, ClosedForm,
                         ::testing::Combine(::testing::ValuesIn(kCases), ::testing::Values("cvode", "explicit")),
                         [](const auto& info) {
                           std::string n = std::get<0>(info.param).name + "_" + std::get<1>(info.param);
                           for (auto& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace icsim
