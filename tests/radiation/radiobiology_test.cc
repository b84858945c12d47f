// The LQ radiobiology library (src/radiation/radiobiology.h): every closed form of G
// against the general sampled G, the worked examples of SCIENCE.md 5.3, the limits,
// and the kinetic hazard integrated to the LQ exponent. Each test states its
// reference and tolerance and prints what it measured. Times in days.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "icsim/units.h"
#include "radiation/radiobiology.h"

namespace icsim::radiation {
namespace {

const double kLn2 = std::log(2.0);

double hours(double h) { return h / units::kHoursPerDay; }
double rate_of_half_time(double half_time_day) { return kLn2 / half_time_day; }
double rel(double a, double b) { return a == b ? 0.0 : std::abs(a - b) / std::max(std::abs(a), std::abs(b)); }

// A curve sampled on a uniform grid of `n` steps over [0, t_end].
Protraction sampled(const std::function<double(double)>& rate, double t_end, long n, double mu) {
  std::vector<double> t(n + 1), r(n + 1);
  for (long i = 0; i <= n; ++i) {
    t[i] = t_end * static_cast<double>(i) / static_cast<double>(n);
    r[i] = rate(t[i]);
  }
  return protraction_piecewise_linear(t, r, mu);
}

// The exponential 3 e^{-lambda t} on [0, t_end] with the spacing h.
Protraction sampled_exponential(double lambda, double mu, double t_end, double h) {
  const long n = static_cast<long>(std::ceil(t_end / h));
  return sampled([&](double t) { return 3.0 * std::exp(-lambda * t); }, t_end, n, mu);
}

// The truncated-exponential G written out as in docs/radiobiology.md, in long double,
// for well-conditioned arguments only (lambda, mu and T of order 1, mu != lambda).
double g_truncated_textbook(long double l, long double m, long double T) {
  const long double a = (1 - std::exp(-2 * l * T)) / (2 * l), b = (1 - std::exp(-(l + m) * T)) / (l + m);
  const long double e = 1 - std::exp(-l * T);
  return static_cast<double>(2 * l * l / ((m - l) * e * e) * (a - b));
}

// Classic RK4 on the kinetic pair dGamma/dt = Ddot - mu Gamma, dL/dt = h(Ddot, Gamma),
// from 0 to t_end in n steps; returns L(t_end), the integrated log-kill.
double integrate_hazard(const std::function<double(double)>& rate, const LqTissue& tissue, double t_end, long n) {
  const double mu = tissue.repair_rate_per_day(), a = tissue.alpha_per_Gy, b = tissue.beta_per_Gy2();
  const double dt = t_end / static_cast<double>(n);
  double gamma = 0, kill = 0;
  auto f = [&](double t, double g, double* dg, double* dl) {
    const double r = rate(t);
    *dg = lq_gamma_rate_Gy_per_day(r, g, mu);
    *dl = lq_hazard_per_day(a, b, r, g);
  };
  for (long i = 0; i < n; ++i) {
    const double t = dt * static_cast<double>(i);
    double g1, l1, g2, l2, g3, l3, g4, l4;
    f(t, gamma, &g1, &l1);
    f(t + dt / 2, gamma + dt / 2 * g1, &g2, &l2);
    f(t + dt / 2, gamma + dt / 2 * g2, &g3, &l3);
    f(t + dt, gamma + dt * g3, &g4, &l4);
    gamma += dt / 6 * (g1 + 2 * g2 + 2 * g3 + g4);
    kill += dt / 6 * (l1 + 2 * l2 + 2 * l3 + l4);
  }
  return kill;
}

// A piecewise-linear curve with rises, a plateau, a fall and a gap (Gy/day against days).
const std::vector<double> kKnotT = {0.0, 0.05, 0.2, 0.3, 0.45, 0.5, 0.7, 0.9};
const std::vector<double> kKnotR = {0.0, 40.0, 40.0, 10.0, 0.0, 0.0, 25.0, 5.0};
double knot_rate(double t) {
  for (size_t i = 0; i + 1 < kKnotT.size(); ++i)
    if (t <= kKnotT[i + 1]) {
      const double s = (t - kKnotT[i]) / (kKnotT[i + 1] - kKnotT[i]);
      return kKnotR[i] * (1 - s) + kKnotR[i + 1] * s;
    }
  return 0.0;
}

TEST(Protraction, ConstantRateAgainstSampledAndDividedDifferences) {
  // Reference: a constant rate is piecewise linear, so the sampled G is exact for it,
  // on two samples or on uneven ones; and g_exponential_truncated at lambda = 0 is the
  // same G by another route (divided differences of exp). Tolerance 1e-13 relative:
  // rounding only, across the series/closed-form switch at x = 0.5.
  double worst = 0;
  for (double x : {1e-9, 1e-5, 1e-2, 0.3, 0.4999999, 0.5, 0.5000001, 1.0, 3.0, 30.0, 1e3, 1e6}) {
    const double T = 0.7, mu = x / T;
    const double g = g_constant_rate(T, mu);
    const double two = protraction_piecewise_linear({0, T}, {4.0, 4.0}, mu).g;
    const std::vector<double> uneven_t = {0, 0.01, 0.02, 0.3, 0.31, T};
    const double uneven = protraction_piecewise_linear(uneven_t, std::vector<double>(6, 4.0), mu).g;
    const double dd = g_exponential_truncated(0.0, mu, T);
    for (double other : {two, uneven, dd}) {
      EXPECT_LT(rel(g, other), 1e-13) << "x=" << x;
      worst = std::max(worst, rel(g, other));
    }
  }
  // The series and the closed form meet at x = 0.5 (the closed form is accurate there).
  const double below = g_constant_rate(1.0, std::nextafter(0.5, 0.0)), at = g_constant_rate(1.0, 0.5);
  EXPECT_LT(rel(below, at), 1e-15);
  std::printf("[measured] constant rate, x = 1e-9 to 1e6: G vs sampled and vs divided differences, max relative "
              "difference %.1e (tolerance 1e-13); G(0.5) %.17g, G(0.5-) %.17g\n",
              worst, at, below);
}

TEST(Protraction, ExponentialAgainstSampled) {
  // Reference: G = lambda/(lambda + mu) (Dale 1985). The sampled dose is the trapezoid
  // rule, second order in the spacing h; G, a ratio in which the interpolation error
  // largely cancels, converges at fourth order. So: (a) with h = 1/(20 lambda), G
  // within 1e-6 (its error grows with mu/lambda) and the dose within (1/20)^2/12 ~ 2e-4
  // (5e-4 accepted); halving h divides the G error by about 16 (accepted 12 to 20) and
  // the dose error by 4 (3.5 to 4.5); (b) with h a 400th of min(1/lambda, 1/mu), G
  // within 1e-10 (rounding accumulated over up to 3e5 segments). The curve runs to 45
  // half-lives (2^-45 ~ 3e-14 of the dose left out).
  struct Case { const char* what; double t_eff_day, t_rep_day; };
  const Case cases[] = {{"T_eff 51 h, T_rep 1.9 h", hours(51), hours(1.9)},
                        {"T_eff 2 h, T_rep 2 h (lambda = mu)", hours(2), hours(2)},
                        {"Bi-213 45.59 min, kidney T_rep 2.8 h", 45.59 / 1440, hours(2.8)},
                        {"T_eff 6 h, T_rep 0.5 h", hours(6), hours(0.5)}};
  double worst_coarse = 0, worst_fine = 0, g_order_lo = 1e9, g_order_hi = 0;
  for (const Case& c : cases) {
    const double lambda = rate_of_half_time(c.t_eff_day), mu = rate_of_half_time(c.t_rep_day);
    const double exact = g_exponential(lambda, mu), t_end = 45 * c.t_eff_day;
    const double dose = 3.0 / lambda * (1 - std::exp(-lambda * t_end));
    const Protraction p2 = sampled_exponential(lambda, mu, t_end, 1 / (20 * lambda));
    const Protraction p4 = sampled_exponential(lambda, mu, t_end, 1 / (40 * lambda));
    const double e2 = rel(p2.g, exact), e4 = rel(p4.g, exact);
    const double d2 = rel(p2.dose_Gy, dose), d4 = rel(p4.dose_Gy, dose);
    const double fine = rel(sampled_exponential(lambda, mu, t_end, std::min(1 / lambda, 1 / mu) / 400).g, exact);
    EXPECT_LT(e2, 1e-6) << c.what;
    EXPECT_LT(d2, 5e-4) << c.what;
    EXPECT_GT(e2 / e4, 12) << c.what;
    EXPECT_LT(e2 / e4, 20) << c.what;
    EXPECT_GT(d2 / d4, 3.5) << c.what;
    EXPECT_LT(d2 / d4, 4.5) << c.what;
    EXPECT_LT(fine, 1e-10) << c.what;
    worst_coarse = std::max(worst_coarse, e2);
    worst_fine = std::max(worst_fine, fine);
    g_order_lo = std::min(g_order_lo, e2 / e4);
    g_order_hi = std::max(g_order_hi, e2 / e4);
    std::printf("[measured] exponential, %s: G %.6f; h = 1/(20 lambda): G error %.1e, dose error %.1e; "
                "halved: ratios %.1f and %.2f; h/400: G error %.1e\n",
                c.what, exact, e2, d2, e2 / e4, d2 / d4, fine);
  }
  std::printf("[measured] exponential: max G error %.1e at the coarse spacing (tolerance 1e-6), %.1e at the fine "
              "(1e-10); G error ratio on halving %.1f to %.1f\n",
              worst_coarse, worst_fine, g_order_lo, g_order_hi);
}

TEST(Protraction, TruncatedExponentialClosedFormAndLimits) {
  // References: (a) the textbook closed form written out in long double where it is
  // well conditioned, tolerance 1e-13; (b) the sampled G with the spacing a 400th of
  // 1/mu, tolerance 1e-10 as for the exponential; (c) limits: T -> infinity gives
  // lambda/(lambda + mu) (1e-13), lambda -> 0 the constant-rate G (1e-9 at
  // lambda = 1e-10 mu), mu = lambda is a removable singularity (second difference
  // across it below 1e-13), mu = 0 gives 1, T -> 0 gives 1 (1e-9 at mu T = 1e-9).
  double worst_a = 0;
  for (double l : {0.3, 1.0, 2.5})
    for (double m : {0.1, 0.7, 4.0})
      for (double T : {0.2, 1.0, 3.0}) {
        const double e = rel(g_exponential_truncated(l, m, T), g_truncated_textbook(l, m, T));
        EXPECT_LT(e, 1e-13) << l << " " << m << " " << T;
        worst_a = std::max(worst_a, e);
      }

  const double lambda = rate_of_half_time(hours(51)), mu = rate_of_half_time(hours(1.9));
  double worst_b = 0;
  for (double T : {hours(5), hours(51), hours(200)}) {
    const double closed = g_exponential_truncated(lambda, mu, T);
    const double h = (1 / mu) / 400;
    const Protraction s = sampled([&](double t) { return 2.0 * std::exp(-lambda * t); }, T,
                                  static_cast<long>(std::ceil(T / h)), mu);
    const double e = rel(s.g, closed);
    EXPECT_LT(e, 1e-10) << T;
    worst_b = std::max(worst_b, e);
    std::printf("[measured] truncated exponential T_eff 51 h, T_rep 1.9 h, stopped at %.0f h: G %.6f "
                "(to infinity %.6f), sampled error %.1e\n",
                T * 24, closed, g_exponential(lambda, mu), e);
  }

  const double long_t = rel(g_exponential_truncated(lambda, mu, 200 * hours(51)), g_exponential(lambda, mu));
  const double small_l = rel(g_exponential_truncated(1e-10 * mu, mu, hours(30)), g_constant_rate(hours(30), mu));
  // Across mu = lambda: the second difference G(l + e) + G(l - e) - 2 G(l) is ~e^2 G''.
  double across = 0;
  for (double T : {0.01, 0.3, 1.0, 50.0}) {
    const double at = g_exponential_truncated(1.0, 1.0, T);
    for (double eps : {1e-12, 1e-9, 1e-7}) {
      const double up = g_exponential_truncated(1.0 + eps, 1.0, T), down = g_exponential_truncated(1.0 - eps, 1.0, T);
      across = std::max(across, std::abs(up + down - 2 * at) / at);
    }
  }
  EXPECT_LT(long_t, 1e-13);
  EXPECT_LT(small_l, 1e-9);
  EXPECT_LT(across, 1e-13);
  EXPECT_DOUBLE_EQ(g_exponential_truncated(lambda, 0.0, hours(51)), 1.0);
  EXPECT_NEAR(g_exponential_truncated(lambda, mu, 1e-9 / mu), 1.0, 1e-9);
  std::printf("[measured] truncated exponential: vs textbook form %.1e (tolerance 1e-13), vs sampled %.1e (1e-10); "
              "T -> inf %.1e, lambda -> 0 %.1e, across mu = lambda %.1e\n",
              worst_a, worst_b, long_t, small_l, across);
}

TEST(Protraction, GeneralCurveIsExactForPiecewiseLinear) {
  // References: (a) inserting points on the lines of a piecewise-linear curve leaves G
  // unchanged (the segments are integrated exactly), tolerance 1e-12; (b) the double
  // integral of G summed by brute force, O(n^2) midpoint rule on 2000 cells per day
  // (error ~ (mu h)^2/24 ~ 1e-6 at the kinks), tolerance 1e-5; (c) an uptake-and-
  // washout curve Ddot = c (e^{-l1 t} - e^{-l2 t}), whose G follows from the sum-of-
  // exponentials form G D^2 = 2 sum_ij c_i c_j / ((l_i + l_j)(l_i + mu)) (derived in
  // docs/radiobiology.md), sampled at a 400th of 1/mu, tolerance 1e-10 as for the
  // exponential.
  const double mu = rate_of_half_time(hours(1.5));
  const Protraction knots = protraction_piecewise_linear(kKnotT, kKnotR, mu);
  std::vector<double> t, r;
  for (size_t i = 0; i + 1 < kKnotT.size(); ++i)
    for (int k = 0; k < 7; ++k) {
      const double s = k / 7.0;
      t.push_back(kKnotT[i] * (1 - s) + kKnotT[i + 1] * s);
      r.push_back(knot_rate(t.back()));
    }
  t.push_back(kKnotT.back());
  r.push_back(kKnotR.back());
  const Protraction fine = protraction_piecewise_linear(t, r, mu);
  const double refine = std::max(rel(knots.g, fine.g), rel(knots.dose_Gy, fine.dose_Gy));
  EXPECT_LT(refine, 1e-12);

  const long n = 1800;  // 2000 cells per day over 0.9 day
  const double h = kKnotT.back() / n;
  std::vector<double> mid(n);
  for (long i = 0; i < n; ++i) mid[i] = knot_rate((i + 0.5) * h);
  double dose = 0, pairs = 0;
  for (long i = 0; i < n; ++i) {
    dose += mid[i] * h;
    double inner = 0.5 * mid[i] * h;  // the diagonal cell: half of it lies below t = w
    for (long j = 0; j < i; ++j) inner += mid[j] * h * std::exp(-mu * (i - j) * h);
    pairs += mid[i] * h * inner;
  }
  const double brute = 2 * pairs / (dose * dose);
  const double e_brute = rel(knots.g, brute);
  EXPECT_LT(e_brute, 1e-5);
  EXPECT_NEAR(knots.dose_Gy, dose, 1e-9 * dose);

  const double l1 = rate_of_half_time(2.0), l2 = rate_of_half_time(hours(4));
  const std::vector<double> c = {5.0, -5.0}, l = {l1, l2};
  double d_exact = 0, gd2 = 0;
  for (int i = 0; i < 2; ++i) {
    d_exact += c[i] / l[i];
    for (int j = 0; j < 2; ++j) gd2 += 2 * c[i] * c[j] / ((l[i] + l[j]) * (l[i] + mu));
  }
  const double g_uptake = gd2 / (d_exact * d_exact);
  const double step = (1 / mu) / 400;
  const Protraction up = sampled([&](double x) { return 5.0 * (std::exp(-l1 * x) - std::exp(-l2 * x)); }, 90.0,
                                 static_cast<long>(90.0 / step), mu);
  const double e_up = rel(up.g, g_uptake);
  EXPECT_LT(e_up, 1e-10);
  std::printf("[measured] piecewise-linear curve: G %.8f, refined %.1e (tolerance 1e-12), brute-force double "
              "integral %.8f (%.1e, tolerance 1e-5); uptake-washout G %.6g vs sum of exponentials %.6g (%.1e, "
              "tolerance 1e-10)\n",
              knots.g, refine, brute, e_brute, up.g, g_uptake, e_up);
}

TEST(Protraction, Limits) {
  // Reference: G -> 0 as repair outpaces delivery (mu -> infinity; the constant-rate G
  // is then 2/x), G -> 1 as delivery becomes instantaneous (T -> 0: 1 - x/3 for the
  // constant rate) or repair stops (mu = 0). Tolerances: 1e-15 on G x/2 = 1 - 1/x at
  // x = 1e8 and on 1 - x/3 at x = 1e-9; G below 1e-7 for the other forms at mu T = 1e8;
  // 1e-9 from 1 at mu T = 1e-9.
  const double T = hours(10);
  const double big_mu = 1e8 / T;
  EXPECT_NEAR(g_constant_rate(T, big_mu) * (big_mu * T) / 2, 1 - 1e-8, 1e-15);  // 2 (x - 1)/x^2
  EXPECT_LT(g_exponential(0.5, big_mu), 1e-8);
  EXPECT_LT(g_exponential_truncated(0.5, big_mu, T), 1e-7);
  const double sampled_big = protraction_piecewise_linear({0, 0.1, T}, {1, 3, 2}, big_mu).g;
  EXPECT_LT(sampled_big, 1e-7);
  EXPECT_NEAR(g_constant_rate(1e-9, 1.0), 1 - 1e-9 / 3, 1e-15);
  EXPECT_NEAR(g_exponential_truncated(2.0, 1.0, 1e-9), 1.0, 1e-9);
  EXPECT_NEAR(protraction_piecewise_linear({0, 1e-9}, {5, 1}, 1.0).g, 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(g_constant_rate(T, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(g_exponential(0.5, 0.0), 1.0);
  EXPECT_NEAR(protraction_piecewise_linear(kKnotT, kKnotR, 0.0).g, 1.0, 1e-14);
  EXPECT_DOUBLE_EQ(g_acute(), 1.0);
  // G falls monotonically with the duration at a fixed repair rate.
  double previous = 1.0;
  for (double x = 1e-6; x < 1e6; x *= 1.7) {
    const double g = g_constant_rate(1.0, x);
    EXPECT_LT(g, previous) << x;
    previous = g;
  }
  std::printf("[measured] limits: G(x = 1e8) x/2 = %.9f; G(x = 1e-9) = 1 - %.3e; sampled G at mu T = 1e8: %.2e; "
              "sampled G with mu = 0: %.15f\n",
              g_constant_rate(T, big_mu) * 1e8 / 2, 1 - g_constant_rate(1e-9, 1.0), sampled_big,
              protraction_piecewise_linear(kKnotT, kKnotR, 0.0).g);
}

TEST(Bed, ScienceWorkedExamples) {
  // References (SCIENCE.md 5.3): (a) alpha/beta 10 Gy, mu 0.46 /h, R 0.55 Gy/h, 40 Gy
  // -> BED 49.6 Gy by the long-irradiation form; (b) T_eff 51 h, T_rep 1.9 h,
  // alpha/beta 1.5 Gy, 20 Gy -> G 0.036, BED ~29.6 Gy. Tolerance: half a unit of the
  // last printed digit (0.05 Gy, 0.0005 for G).
  const double mu_a = 0.46 * 24, rate_a = 0.55 * 24;
  const double bed_a = bed_constant_low_rate_Gy(40, rate_a, mu_a, 10);
  EXPECT_NEAR(bed_a, 49.6, 0.05);
  // The same irradiation with the finite-time G: 40 Gy at 0.55 Gy/h takes 72.7 h.
  const double g_finite = g_constant_rate(40 / rate_a, mu_a);
  const double bed_finite = bed_Gy(40, g_finite, 10);

  const double lambda = rate_of_half_time(hours(51)), mu_b = rate_of_half_time(hours(1.9));
  const double g_b = g_exponential(lambda, mu_b);
  const double bed_b = bed_Gy(20, g_b, 1.5);
  EXPECT_NEAR(g_b, 0.036, 0.0005);
  EXPECT_NEAR(bed_b, 29.6, 0.05);
  const LqTissue t = tissue_default("dale_bernhardt_example").lq;
  const double s_b = lq_survival(t, 20, g_b);
  EXPECT_NEAR(std::log(s_b), -t.alpha_per_Gy * bed_b, 1e-12);  // -ln S = alpha BED
  std::printf("[measured] (a) BED %.3f Gy (SCIENCE.md 49.6); with the finite-time G %.5f of the 72.7 h "
              "irradiation: %.3f Gy\n",
              bed_a, g_finite, bed_finite);
  std::printf("[measured] (b) G %.5f (SCIENCE.md 0.036), BED %.3f Gy (~29.6), EQD2 %.3f Gy; survival with alpha "
              "0.147 /Gy %.4f\n",
              g_b, bed_b, eqd2_Gy(bed_b, 1.5), s_b);
}

TEST(Bed, Eqd2AndLowRateLimit) {
  // References: EQD2 of an acute 2 Gy is 2 Gy (1e-15); the low-rate form is the long-T
  // limit of the finite-time one, its quadratic part larger by the factor
  // x/(x - 1 + e^-x), x = mu T, i.e. the relative excess is (1 - e^-x)/x: tolerance 1e-12.
  for (double ab : {1.5, 2.6, 10.0}) EXPECT_NEAR(eqd2_Gy(bed_Gy(2, g_acute(), ab), ab), 2.0, 1e-15);
  const double mu = rate_of_half_time(hours(1.5)), rate = 1.2, ab = 3.0;
  double worst = 0;
  for (double x : {2.0, 10.0, 100.0, 1e3, 1e4}) {
    const double T = x / mu, D = rate * T;
    const double quad_full = bed_Gy(D, g_constant_rate(T, mu), ab) - D;
    const double quad_limit = bed_constant_low_rate_Gy(D, rate, mu, ab) - D;
    const double excess = (quad_limit - quad_full) / quad_limit;
    EXPECT_NEAR(excess, -std::expm1(-x) / x, 1e-12) << x;
    worst = std::max(worst, std::abs(excess + std::expm1(-x) / x));
    if (x == 1e4) EXPECT_LT(excess, 1.01e-4);
  }
  std::printf("[measured] low-rate BED: relative excess of the quadratic part matches (1 - e^-x)/x within %.1e "
              "(tolerance 1e-12), 1e-4 at x = 1e4\n",
              worst);
}

TEST(Kinetic, HazardIntegratesToLqExponent) {
  // Reference: ∫ h dt over the irradiation = alpha D + beta G D^2, with G from the
  // closed forms (and the exact piecewise-linear G for the knot curve). RK4 with the
  // step about a 200th of T_rep, every kink of the rate on a step boundary: error
  // ~ (mu dt)^4 ~ 1e-11; tolerance 1e-9 relative. After the irradiation h = 0, so the
  // integral stops at its end. Tissue: alpha 0.147 /Gy, alpha/beta 1.5 Gy, T_rep 1.9 h.
  const LqTissue t = tissue_default("dale_bernhardt_example").lq;
  const double mu = t.repair_rate_per_day(), a = t.alpha_per_Gy, b = t.beta_per_Gy2();
  const double dt = hours(1.9) / 200;
  struct Case {
    const char* what;
    std::function<double(double)> rate;
    double t_end;  // the end of the irradiation
    double kink;   // every kink of the rate is a multiple of this
    double dose, g;
  };
  const double T = hours(30), R = 24.0, lambda = rate_of_half_time(hours(20)), r0 = 12.0;
  const Protraction knots = protraction_piecewise_linear(kKnotT, kKnotR, mu);
  const std::vector<Case> cases = {
      {"constant 1 Gy/h for 30 h", [&](double) { return R; }, T, T, R * T, g_constant_rate(T, mu)},
      // To 50 half-lives, which leaves out 2^-50 of the dose: G as if complete.
      {"exponential T_eff 20 h, to 50 half-lives", [&](double x) { return r0 * std::exp(-lambda * x); },
       50 * hours(20), hours(20), r0 / lambda * (1 - std::exp(-50 * kLn2)), g_exponential(lambda, mu)},
      {"exponential T_eff 20 h stopped at 30 h", [&](double x) { return r0 * std::exp(-lambda * x); }, T, T,
       r0 * (1 - std::exp(-lambda * T)) / lambda, g_exponential_truncated(lambda, mu, T)},
      {"piecewise-linear knots", knot_rate, kKnotT.back(), 0.05, knots.dose_Gy, knots.g},
  };
  double worst = 0;
  for (const Case& c : cases) {
    const long per_kink = static_cast<long>(std::ceil(c.kink / dt));
    const long n = std::lround(c.t_end / c.kink) * per_kink;
    const double kill = integrate_hazard(c.rate, t, c.t_end, n);
    const double expect = a * c.dose + b * c.g * c.dose * c.dose;
    const double e = rel(kill, expect);
    EXPECT_LT(e, 1e-9) << c.what;
    worst = std::max(worst, e);
    std::printf("[measured] kinetic, %s: D %.4f Gy, G %.6f, integral of h %.10f vs alpha D + beta G D^2 %.10f "
                "(%.1e, %ld RK4 steps)\n",
                c.what, c.dose, c.g, kill, expect, e, n);
  }
  std::printf("[measured] kinetic hazard: max relative difference %.1e (tolerance 1e-9)\n", worst);
}

TEST(Rbe, HowellAndConstant) {
  // Reference: RBE = 9.14 - 0.510 E for 3-9 MeV (Howell; SCIENCE.md 5.3): 7.61 at
  // 3 MeV, 4.55 at 9 MeV (1e-12); refused outside. Alpha dose linear: BED = RBE D and
  // -ln S = alpha RBE D, with no G (1e-15).
  EXPECT_NEAR(rbe_alpha_howell(3.0), 7.61, 1e-12);
  EXPECT_NEAR(rbe_alpha_howell(9.0), 4.55, 1e-12);
  EXPECT_THROW(rbe_alpha_howell(2.99), std::invalid_argument);
  EXPECT_THROW(rbe_alpha_howell(9.01), std::invalid_argument);

  AlphaRbeOptions o;  // the default is valid: constant 5
  std::string why;
  EXPECT_TRUE(o.is_valid(&why)) << why;
  EXPECT_EQ(o.rbe(), 5.0);
  o.form = AlphaRbeForm::kHowell;
  EXPECT_FALSE(o.is_valid(&why));
  EXPECT_NE(why.find("energy_MeV"), std::string::npos) << why;
  o.energy_MeV = 8.38;  // the Po-213 alpha of the Bi-213 chain
  EXPECT_NEAR(o.rbe(), 9.14 - 0.510 * 8.38, 1e-12);
  o.form = AlphaRbeForm::kConstant;
  o.constant = 0;
  EXPECT_FALSE(o.is_valid(&why));
  EXPECT_THROW(o.rbe(), std::invalid_argument);
  for (AlphaRbeForm f : {AlphaRbeForm::kConstant, AlphaRbeForm::kHowell})
    EXPECT_TRUE(alpha_rbe_form_from_string(to_string(f)) == f) << to_string(f);
  EXPECT_FALSE(alpha_rbe_form_from_string("Howell").has_value());

  const LqTissue myeloma = tissue_default("myeloma").lq;
  EXPECT_NEAR(bed_alpha_Gy(2.0, 5.0), 10.0, 1e-15);
  EXPECT_NEAR(alpha_log_kill(myeloma, 2.0, 5.0), myeloma.alpha_per_Gy * 10.0, 1e-15);
  std::printf("[measured] Howell RBE: %.3f at 3 MeV, %.3f at 9 MeV, %.3f at 8.38 MeV (Po-213)\n",
              rbe_alpha_howell(3.0), rbe_alpha_howell(9.0), rbe_alpha_howell(8.38));
}

TEST(Tissues, DefaultsAreValidAndSourced) {
  // Reference: SCIENCE.md B8 (kidney alpha/beta 2.6 Gy, T_rep 2.8 h) and 5.3 (alpha
  // 0.147 /Gy, alpha/beta 1.5 Gy, T_rep 1.9 h); every entry valid, with a status and a
  // source. Exact comparisons (the table stores these numbers).
  for (const TissueDefault& d : tissue_defaults()) {
    std::string why;
    EXPECT_TRUE(d.lq.is_valid(&why)) << d.name << ": " << why;
    EXPECT_GT(std::string(d.source).size(), 20u) << d.name;
    const std::string status = d.status;
    EXPECT_TRUE(status == "sourced" || status == "example" || status == "estimate") << d.name;
    std::printf("[measured] tissue %-22s alpha %s /Gy, alpha/beta %.1f Gy, T_rep %.2f h (%s)\n", d.name,
                d.lq.has_alpha() ? std::to_string(d.lq.alpha_per_Gy).c_str() : "unknown", d.lq.alpha_beta_Gy,
                d.lq.repair_half_time_day * 24, d.status);
  }
  const LqTissue kidney = tissue_default("kidney").lq;
  EXPECT_EQ(kidney.alpha_beta_Gy, 2.6);
  EXPECT_DOUBLE_EQ(kidney.repair_half_time_day, 2.8 / 24);
  EXPECT_FALSE(kidney.has_alpha());
  EXPECT_THROW(lq_survival(kidney, 2, 1), std::invalid_argument);  // alpha unknown
  EXPECT_DOUBLE_EQ(bed_Gy(2, 1, kidney.alpha_beta_Gy), 2 * (1 + 2 / 2.6));
  const LqTissue ex = tissue_default("dale_bernhardt_example").lq;
  EXPECT_EQ(ex.alpha_per_Gy, 0.147);
  EXPECT_EQ(ex.alpha_beta_Gy, 1.5);
  EXPECT_DOUBLE_EQ(ex.repair_half_time_day, 1.9 / 24);
  try {
    tissue_default("kidny");
    ADD_FAILURE() << "an unknown tissue was accepted";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'kidney'"), std::string::npos) << e.what();
  }
}

TEST(Tissues, LqTissueValidation) {
  // Reference: the struct has no defaults (invalid until filled); beta = 0 is
  // alpha/beta = infinity and T_rep = infinity is mu = 0, both valid.
  std::string why;
  EXPECT_FALSE(LqTissue{}.is_valid(&why));
  EXPECT_NE(why.find("alpha_beta_Gy"), std::string::npos) << why;
  const LqTissue linear = LqTissue::from_alpha_and_beta(0.3, 0.0, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(linear.is_valid(&why)) << why;
  EXPECT_EQ(linear.beta_per_Gy2(), 0.0);
  EXPECT_EQ(linear.repair_rate_per_day(), 0.0);
  EXPECT_DOUBLE_EQ(lq_log_kill(linear, 4, 1), 1.2);
  const LqTissue lq = LqTissue::from_alpha_and_beta(0.3, 0.03, hours(1.5));
  EXPECT_DOUBLE_EQ(lq.alpha_beta_Gy, 10.0);
  EXPECT_DOUBLE_EQ(lq_log_kill(lq, 4, 0.5), 1.2 + 0.03 * 0.5 * 16);
  LqTissue bad = lq;
  bad.alpha_per_Gy = -1;
  EXPECT_FALSE(bad.is_valid(&why));
  EXPECT_NE(why.find("alpha_per_Gy"), std::string::npos) << why;
  bad = lq;
  bad.repair_half_time_day = 0;
  EXPECT_FALSE(bad.is_valid(&why));
  EXPECT_NE(why.find("repair_half_time_day"), std::string::npos) << why;
}

TEST(Radiobiology, PreconditionsNameFunctionAndArgument) {
  // Reference: every refused argument gives std::invalid_argument whose message names
  // the function and the argument (Stan-style checks, shared/STYLE.md habit 4).
  struct Case { std::function<void()> call; const char* function; const char* argument; };
  const double nan = std::nan("");
  const LqTissue t = tissue_default("myeloma").lq;
  const std::vector<Case> cases = {
      {[] { g_constant_rate(-1, 1); }, "g_constant_rate", "duration_day"},
      {[&] { g_constant_rate(1, nan); }, "g_constant_rate", "mu_per_day"},
      {[] { g_exponential(0, 1); }, "g_exponential", "lambda_per_day"},
      {[] { g_exponential(1, std::numeric_limits<double>::infinity()); }, "g_exponential", "mu_per_day"},
      {[] { g_exponential_truncated(-1, 1, 1); }, "g_exponential_truncated", "lambda_per_day"},
      {[] { g_exponential_truncated(1, 1, -1); }, "g_exponential_truncated", "duration_day"},
      {[] { protraction_piecewise_linear({0, 1}, {1}, 1); }, "protraction_piecewise_linear", "rate_Gy_per_day"},
      {[] { protraction_piecewise_linear({0}, {1}, 1); }, "protraction_piecewise_linear", "2 samples"},
      {[] { protraction_piecewise_linear({0, 1, 1}, {1, 1, 1}, 1); }, "protraction_piecewise_linear", "t_day"},
      {[] { protraction_piecewise_linear({0, 1}, {1, -1}, 1); }, "protraction_piecewise_linear", "rate_Gy_per_day[1]"},
      {[] { protraction_piecewise_linear({0, 1}, {0, 0}, 1); }, "protraction_piecewise_linear", "dose rate is 0"},
      {[&] { lq_log_kill(t, -2, 1); }, "lq_log_kill", "dose_Gy"},
      {[&] { lq_survival(t, 2, 1.5); }, "lq_survival", "g must"},
      {[] { bed_Gy(2, 1, 0); }, "bed_Gy", "alpha_beta_Gy"},
      {[&] { eqd2_Gy(nan, 3); }, "eqd2_Gy", "bed_Gy"},
      {[] { bed_constant_low_rate_Gy(2, 1, 0, 3); }, "bed_constant_low_rate_Gy", "mu_per_day"},
      {[] { rbe_alpha_howell(10); }, "rbe_alpha_howell", "energy_MeV"},
      {[&] { alpha_log_kill(t, 1, 0); }, "alpha_log_kill", "rbe"},
      {[] { bed_alpha_Gy(-1, 5); }, "bed_alpha_Gy", "alpha_dose_Gy"},
  };
  for (const Case& c : cases) {
    try {
      c.call();
      ADD_FAILURE() << c.function << " accepted a bad " << c.argument;
    } catch (const std::invalid_argument& e) {
      const std::string m = e.what();
      EXPECT_EQ(m.rfind(std::string(c.function) + ":", 0), 0u) << m;
      EXPECT_NE(m.find(c.argument), std::string::npos) << m;
    }
  }
  std::printf("[measured] %zu refused calls, each naming its function and argument\n", cases.size());
}

}  // namespace
}  // namespace icsim::radiation
