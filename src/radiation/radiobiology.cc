#include "radiation/radiobiology.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "icsim/units.h"
#include "io/yaml_doc.h"

namespace icsim::radiation {

namespace {

const double kLn2 = std::log(2.0);

[[noreturn]] void fail(const char* function, const std::string& what) {
  throw std::invalid_argument(fmt::format("{}: {}", function, what));
}

void require_finite_non_negative(const char* function, const char* name, double x) {
  if (!(x >= 0) || !std::isfinite(x)) fail(function, fmt::format("{} must be finite and >= 0 (it is {})", name, x));
}

void require_finite_positive(const char* function, const char* name, double x) {
  if (!(x > 0) || !std::isfinite(x)) fail(function, fmt::format("{} must be finite and > 0 (it is {})", name, x));
}

void require_alpha(const char* function, const LqTissue& t) {
  std::string why;
  if (!t.is_valid(&why)) fail(function, "tissue: " + why);
  if (!t.has_alpha()) fail(function, "tissue: alpha_per_Gy is unknown; survival needs it");
}

// phi1(z) = (1 - e^-z)/z = exp[0, -z] for z >= 0; 1 at z = 0.
double phi1(double z) { return z == 0 ? 1.0 : -std::expm1(-z) / z; }

// Divided difference exp[x, y]: e^hi phi1(hi - lo), with no overflow for nodes <= 0.
double exp_dd2(double x, double y) {
  const double hi = std::max(x, y), lo = std::min(x, y);
  return std::exp(hi) * phi1(hi - lo);
}

// Divided difference exp[x, y, z]. Nodes closer than 1: the Taylor series around the
// middle node, sum over m of h_m(y)/(m + 2)!, h_m the complete homogeneous symmetric
// polynomial of the shifted nodes (the recurrence would cancel). Otherwise the
// recurrence over the widest pair, which then loses at most a small factor.
double exp_dd3(double x, double y, double z) {
  double n[3] = {x, y, z};
  std::sort(n, n + 3);  // n[0] <= n[1] <= n[2]
  const double spread = n[2] - n[0];
  if (spread >= 1.0) return (exp_dd2(n[2], n[1]) - exp_dd2(n[1], n[0])) / spread;
  const double a = n[2] - n[1], c = n[0] - n[1];  // the middle node shifted to 0
  // |h_m| <= m + 1 for |a|, |c| < 1, so 25 terms leave less than 26/27! ~ 1e-27 (the
  // sum is at least e^-1/2); no early exit, since h_m vanishes for odd m when a = -c.
  double h = 1.0, a_pow = 1.0, factorial = 2.0, sum = 0.5;
  for (int m = 1; m <= 25; ++m) {
    a_pow *= a;
    h = a_pow + c * h;  // h_m(a, 0, c) = a^m + c h_{m-1}
    factorial *= m + 2;
    sum += h / factorial;
  }
  return std::exp(n[1]) * sum;
}

// K_ij(z) = ∫0^1 tau^i (1 - tau)^j e^{-z tau} dtau for the i, j the segment formulas
// need (i + j <= 3). Below z = 2 the series sum_k (-z)^k/k! B(i+k+1, j+1) (alternating,
// terms at most a few times the sum); above, the moments M_m = ∫0^1 tau^m e^{-z tau}
// by their upward recurrence M_m = (m M_{m-1} - e^-z)/z, combined binomially.
struct SegmentIntegrals {
  double k10, k01, k02, k12, k03, k11, k21;
};

double k_series(int i, int j, double z) {
  // B(i+1, j+1) = i! j! / (i + j + 1)!
  double b = 1.0;
  for (int k = 1; k <= j; ++k) b *= static_cast<double>(k) / static_cast<double>(i + k + 1);
  b /= i + 1;
  double term = b, sum = b;
  for (int k = 0; k < 60; ++k) {
    term *= -z / (k + 1) * (i + k + 1) / (i + j + k + 2);
    sum += term;
    if (std::abs(term) < 1e-18 * std::abs(sum)) break;
  }
  return sum;
}

SegmentIntegrals segment_integrals(double z) {
  SegmentIntegrals s;
  if (z < 2.0) {
    s.k10 = k_series(1, 0, z);
    s.k01 = k_series(0, 1, z);
    s.k02 = k_series(0, 2, z);
    s.k12 = k_series(1, 2, z);
    s.k03 = k_series(0, 3, z);
    s.k11 = k_series(1, 1, z);
    s.k21 = k_series(2, 1, z);
    return s;
  }
  const double e = std::exp(-z);
  double m[4];
  m[0] = -std::expm1(-z) / z;
  for (int k = 1; k < 4; ++k) m[k] = (k * m[k - 1] - e) / z;
  s.k10 = m[1];
  s.k01 = m[0] - m[1];
  s.k02 = m[0] - 2 * m[1] + m[2];
  s.k12 = m[1] - 2 * m[2] + m[3];
  s.k03 = m[0] - 3 * m[1] + 3 * m[2] - m[3];
  s.k11 = m[1] - m[2];
  s.k21 = m[2] - m[3];
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------

LqTissue LqTissue::from_alpha_and_beta(double alpha_per_Gy, double beta_per_Gy2, double repair_half_time_day) {
  LqTissue t;
  t.alpha_per_Gy = alpha_per_Gy;
  t.alpha_beta_Gy = beta_per_Gy2 == 0 ? std::numeric_limits<double>::infinity() : alpha_per_Gy / beta_per_Gy2;
  t.repair_half_time_day = repair_half_time_day;
  return t;
}

double LqTissue::repair_rate_per_day() const { return kLn2 / repair_half_time_day; }

bool LqTissue::is_valid(std::string* why) const {
  auto invalid = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  if (!(alpha_beta_Gy > 0))
    return invalid(fmt::format("alpha_beta_Gy must be > 0 (+infinity for beta = 0); it is {}", alpha_beta_Gy));
  if (!(repair_half_time_day > 0))
    return invalid(
        fmt::format("repair_half_time_day must be > 0 (+infinity for no repair); it is {}", repair_half_time_day));
  if (has_alpha() && (!(alpha_per_Gy > 0) || !std::isfinite(alpha_per_Gy)))
    return invalid(fmt::format("alpha_per_Gy must be finite and > 0, or unknown (NaN); it is {}", alpha_per_Gy));
  return true;
}

// ---------------------------------------------------------------------------------

double g_acute() { return 1.0; }

double g_constant_rate(double duration_day, double mu_per_day) {
  require_finite_non_negative("g_constant_rate", "duration_day", duration_day);
  require_finite_non_negative("g_constant_rate", "mu_per_day", mu_per_day);
  const double x = mu_per_day * duration_day;
  if (x >= 0.5) return 2.0 * (x + std::expm1(-x)) / (x * x);
  // 2 (x + e^-x - 1)/x^2 = 2 sum_k (-x)^k / (k + 2)!
  double term = 1.0, sum = 1.0;  // k = 0: 2/2!
  for (int k = 1; k < 30; ++k) {
    term *= -x / (k + 2);
    sum += term;
    if (std::abs(term) < 1e-18) break;
  }
  return sum;
}

double g_exponential(double lambda_per_day, double mu_per_day) {
  require_finite_positive("g_exponential", "lambda_per_day", lambda_per_day);
  require_finite_non_negative("g_exponential", "mu_per_day", mu_per_day);
  return lambda_per_day / (lambda_per_day + mu_per_day);
}

double g_exponential_truncated(double lambda_per_day, double mu_per_day, double duration_day) {
  require_finite_non_negative("g_exponential_truncated", "lambda_per_day", lambda_per_day);
  require_finite_non_negative("g_exponential_truncated", "mu_per_day", mu_per_day);
  require_finite_non_negative("g_exponential_truncated", "duration_day", duration_day);
  const double p = lambda_per_day * duration_day, q = mu_per_day * duration_day;
  // docs/radiobiology.md: G = 2 exp[0, -2p, -(p+q)] / exp[0, -p]^2.
  const double d = phi1(p);
  return 2.0 * exp_dd3(0.0, -2.0 * p, -(p + q)) / (d * d);
}

Protraction protraction_piecewise_linear(const std::vector<double>& t_day, const std::vector<double>& rate_Gy_per_day,
                                         double mu_per_day) {
  const char* fn = "protraction_piecewise_linear";
  require_finite_non_negative(fn, "mu_per_day", mu_per_day);
  if (t_day.size() != rate_Gy_per_day.size())
    fail(fn, fmt::format("t_day has {} samples and rate_Gy_per_day {}", t_day.size(), rate_Gy_per_day.size()));
  if (t_day.size() < 2) fail(fn, "a dose-rate curve needs at least 2 samples");
  for (size_t i = 0; i < t_day.size(); ++i) {
    if (!std::isfinite(t_day[i])) fail(fn, fmt::format("t_day[{}] must be finite (it is {})", i, t_day[i]));
    if (i > 0 && !(t_day[i] > t_day[i - 1]))
      fail(fn, fmt::format("t_day must increase strictly: t_day[{}] = {} after {}", i, t_day[i], t_day[i - 1]));
    if (!(rate_Gy_per_day[i] >= 0) || !std::isfinite(rate_Gy_per_day[i]))
      fail(fn, fmt::format("rate_Gy_per_day[{}] must be finite and >= 0 (it is {})", i, rate_Gy_per_day[i]));
  }
  // On a segment of length h with rate r0 (1 - s) + r1 s, s in [0, 1], z = mu h
  // (derivation in docs/radiobiology.md):
  //   Gamma_next = e^-z Gamma + h (r0 K10 + r1 K01)
  //   ∫ Ddot Gamma = Gamma h (r0 K01 + r1 K10) + h^2 (r0^2 J00 + r0 r1 (J01 + J10) + r1^2 J11)
  // with J written in the non-negative integrals K_ij, so nothing cancels.
  double dose = 0, pairs = 0, gamma = 0;
  for (size_t i = 0; i + 1 < t_day.size(); ++i) {
    const double h = t_day[i + 1] - t_day[i], r0 = rate_Gy_per_day[i], r1 = rate_Gy_per_day[i + 1];
    const double z = mu_per_day * h;
    const SegmentIntegrals k = segment_integrals(z);
    const double j00 = (2 * k.k02 + k.k12) / 6, j01 = k.k03 / 6;
    const double j10 = (k.k02 + 2 * k.k12) / 6 + (k.k11 + k.k21) / 2, j11 = k.k03 / 3 + k.k12 / 2;
    pairs += gamma * h * (r0 * k.k01 + r1 * k.k10) + h * h * (r0 * r0 * j00 + r0 * r1 * (j01 + j10) + r1 * r1 * j11);
    gamma = std::exp(-z) * gamma + h * (r0 * k.k10 + r1 * k.k01);
    dose += 0.5 * h * (r0 + r1);
  }
  if (!(dose > 0)) fail(fn, "the dose rate is 0 everywhere, so G is undefined");
  return {dose, 2.0 * pairs / (dose * dose)};
}

// ---------------------------------------------------------------------------------

namespace {

double checked_log_kill(const char* function, const LqTissue& tissue, double dose_Gy, double g) {
  require_alpha(function, tissue);
  require_finite_non_negative(function, "dose_Gy", dose_Gy);
  if (!(g >= 0 && g <= 1)) fail(function, fmt::format("g must be in [0, 1] (it is {})", g));
  return tissue.alpha_per_Gy * dose_Gy + tissue.beta_per_Gy2() * g * dose_Gy * dose_Gy;
}

}  // namespace

double lq_log_kill(const LqTissue& tissue, double dose_Gy, double g) {
  return checked_log_kill("lq_log_kill", tissue, dose_Gy, g);
}

double lq_survival(const LqTissue& tissue, double dose_Gy, double g) {
  return std::exp(-checked_log_kill("lq_survival", tissue, dose_Gy, g));
}

double bed_Gy(double dose_Gy, double g, double alpha_beta_Gy) {
  require_finite_non_negative("bed_Gy", "dose_Gy", dose_Gy);
  if (!(g >= 0 && g <= 1)) fail("bed_Gy", fmt::format("g must be in [0, 1] (it is {})", g));
  if (!(alpha_beta_Gy > 0)) fail("bed_Gy", fmt::format("alpha_beta_Gy must be > 0 (it is {})", alpha_beta_Gy));
  return dose_Gy * (1.0 + g * dose_Gy / alpha_beta_Gy);
}

double eqd2_Gy(double bed_Gy, double alpha_beta_Gy) {
  require_finite_non_negative("eqd2_Gy", "bed_Gy", bed_Gy);
  if (!(alpha_beta_Gy > 0)) fail("eqd2_Gy", fmt::format("alpha_beta_Gy must be > 0 (it is {})", alpha_beta_Gy));
  return bed_Gy / (1.0 + 2.0 / alpha_beta_Gy);
}

double bed_constant_low_rate_Gy(double dose_Gy, double rate_Gy_per_day, double mu_per_day, double alpha_beta_Gy) {
  const char* fn = "bed_constant_low_rate_Gy";
  require_finite_non_negative(fn, "dose_Gy", dose_Gy);
  require_finite_non_negative(fn, "rate_Gy_per_day", rate_Gy_per_day);
  require_finite_positive(fn, "mu_per_day", mu_per_day);
  if (!(alpha_beta_Gy > 0)) fail(fn, fmt::format("alpha_beta_Gy must be > 0 (it is {})", alpha_beta_Gy));
  return dose_Gy * (1.0 + 2.0 * rate_Gy_per_day / (mu_per_day * alpha_beta_Gy));
}

// ---------------------------------------------------------------------------------

double rbe_alpha_howell(double energy_MeV) {
  if (!(energy_MeV >= kHowellMinMeV && energy_MeV <= kHowellMaxMeV))
    fail("rbe_alpha_howell",
         fmt::format("energy_MeV must be within the fit's range, {} to {} MeV (it is {})", kHowellMinMeV,
                     kHowellMaxMeV, energy_MeV));
  return 9.14 - 0.510 * energy_MeV;  // Howell; SCIENCE.md 5.3
}

const char* to_string(AlphaRbeForm f) {
  switch (f) {
    case AlphaRbeForm::kConstant: return "constant";
    case AlphaRbeForm::kHowell: return "howell";
  }
  return "";
}

std::optional<AlphaRbeForm> alpha_rbe_form_from_string(const std::string& s) {
  for (AlphaRbeForm f : {AlphaRbeForm::kConstant, AlphaRbeForm::kHowell})
    if (s == to_string(f)) return f;
  return std::nullopt;
}

bool AlphaRbeOptions::is_valid(std::string* why) const {
  auto invalid = [&](const std::string& reason) {
    if (why) *why = reason;
    return false;
  };
  switch (form) {
    case AlphaRbeForm::kConstant:
      if (!(constant > 0) || !std::isfinite(constant))
        return invalid(fmt::format("constant must be finite and > 0 (it is {})", constant));
      return true;
    case AlphaRbeForm::kHowell:
      if (!(energy_MeV >= kHowellMinMeV && energy_MeV <= kHowellMaxMeV))
        return invalid(fmt::format("energy_MeV must be within {} to {} MeV for the Howell form (it is {})",
                                   kHowellMinMeV, kHowellMaxMeV, energy_MeV));
      return true;
  }
  return invalid("form must be constant or howell");
}

double AlphaRbeOptions::rbe() const {
  std::string why;
  if (!is_valid(&why)) fail("AlphaRbeOptions::rbe", why);
  return form == AlphaRbeForm::kConstant ? constant : rbe_alpha_howell(energy_MeV);
}

double alpha_log_kill(const LqTissue& tissue, double alpha_dose_Gy, double rbe) {
  require_alpha("alpha_log_kill", tissue);
  require_finite_non_negative("alpha_log_kill", "alpha_dose_Gy", alpha_dose_Gy);
  require_finite_positive("alpha_log_kill", "rbe", rbe);
  return tissue.alpha_per_Gy * rbe * alpha_dose_Gy;
}

double bed_alpha_Gy(double alpha_dose_Gy, double rbe) {
  require_finite_non_negative("bed_alpha_Gy", "alpha_dose_Gy", alpha_dose_Gy);
  require_finite_positive("bed_alpha_Gy", "rbe", rbe);
  return rbe * alpha_dose_Gy;
}

// ---------------------------------------------------------------------------------

namespace {

LqTissue tissue(double alpha_per_Gy, double alpha_beta_Gy, double repair_half_time_h) {
  LqTissue t;
  t.alpha_per_Gy = alpha_per_Gy;
  t.alpha_beta_Gy = alpha_beta_Gy;
  t.repair_half_time_day = repair_half_time_h / units::kHoursPerDay;
  return t;
}

}  // namespace

const std::vector<TissueDefault>& tissue_defaults() {
  constexpr double kUnknown = LqTissue::kUnknown;
  static const std::vector<TissueDefault> table = {
      {"kidney", tissue(kUnknown, 2.6, 2.8), "sourced",
       "alpha/beta 2.6 Gy and T_rep 2.8 h as used for 177Lu kidney BED in qurit/PyTheranostics "
       "data/radiobiology.json (SCIENCE.md B8); within the 1.5-3 Gy of animal studies (Cancer Biother "
       "Radiopharm 2004;19:378). alpha not published in the sources read"},
      {"dale_bernhardt_example", tissue(0.147, 1.5, 1.9), "example",
       "the inputs of the worked example of SCIENCE.md 5.3, used by Bernhardt et al. (via PMC9608466): "
       "alpha 0.147 /Gy, alpha/beta 1.5 Gy, T_rep 1.9 h"},
      {"red_marrow", tissue(kUnknown, 10.0, 0.5), "estimate",
       "not published in the sources read. alpha/beta 10 Gy: the usual value for early-responding tissues "
       "(Fowler 1989, Br J Radiol 62:679). T_rep 0.5 h: short because haemopoietic cells repair little "
       "sublethal damage (Peters et al. 1979, Radiology 131:243), though Song et al. 1981 (Int J Radiat Oncol "
       "Biol Phys 7:1695) argue for more; take 0.5-2 h as the range. alpha unknown"},
      {"myeloma", tissue(1.0 / 1.1, 10.0, 0.5), "estimate",
       "not published in the sources read. alpha 0.91 /Gy = 1/D0 with D0 1.1 Gy for a mouse plasma-cell "
       "tumour (Bergsagel, as cited by Frassica & Jacobs, doi 10.1201/b13347-23), the survival curve taken as "
       "shoulderless. alpha/beta 10 Gy: the usual value for tumours (Fowler 1989). T_rep 0.5 h: as red_marrow "
       "(haemopoietic cells)"},
  };
  return table;
}

const TissueDefault& tissue_default(const std::string& name) {
  std::vector<std::string> names;
  for (const TissueDefault& t : tissue_defaults()) {
    if (name == t.name) return t;
    names.emplace_back(t.name);
  }
  const std::string hint = closest_match(name, names);
  throw std::out_of_range(fmt::format("unknown tissue '{}'{} (known: {})", name,
                                      hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                                      fmt::join(names, ", ")));
}

}  // namespace icsim::radiation
