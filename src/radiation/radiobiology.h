// Linear-quadratic (LQ) radiobiology with dose-rate effects (docs/radiobiology.md):
// cell survival, the Lea-Catcheside dose-protraction factor G, BED and EQD2, the RBE
// of alpha particles, and the kinetic form of the LQ model that a tumour module
// integrates as two more ODE states.
//
// Units: absorbed dose in Gy; time in days, the engine's unit (include/icsim/units.h),
// so dose rates are in Gy/day and repair and decay rates in 1/day. Published repair
// half-times are in hours: divide by units::kHoursPerDay.
//
// Not yet wired into the patient model: a radionuclide effector will own one Gamma
// state per pool of cells and return lq_hazard_per_day as its kill hazard.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace icsim::radiation {

// LQ parameters of a tissue or cell population for low-LET radiation (electrons,
// beta particles, photons). No defaults: take one from tissue_defaults() or give all.
struct LqTissue {
  static constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
  // Linear coefficient alpha (1/Gy), > 0; kUnknown where no value is known, which
  // leaves G, BED and EQD2 usable but not survival or the log-kill hazard.
  double alpha_per_Gy = kUnknown;
  // alpha/beta (Gy), > 0; +infinity for a purely linear response (beta = 0).
  double alpha_beta_Gy = kUnknown;
  // Half-time T_rep (days) of the repair of sublethal damage, which decays as
  // exp(-mu t) with mu = ln 2 / T_rep; > 0; +infinity for no repair (mu = 0).
  double repair_half_time_day = kUnknown;

  // From alpha (1/Gy) and beta (1/Gy^2) instead of alpha/beta; beta may be 0.
  static LqTissue from_alpha_and_beta(double alpha_per_Gy, double beta_per_Gy2, double repair_half_time_day);
  double beta_per_Gy2() const { return alpha_per_Gy / alpha_beta_Gy; }
  // mu = ln 2 / T_rep (1/day).
  double repair_rate_per_day() const;
  bool has_alpha() const { return !std::isnan(alpha_per_Gy); }
  // True when usable (alpha may be unknown); else `why` says what is wrong.
  bool is_valid(std::string* why) const;
};

// ---------------------------------------------------------------------------------
// The Lea-Catcheside dose-protraction factor (Lea & Catcheside 1942; Dale 1985):
//
//   G = (2/D^2) ∫0^∞ Ddot(t) ∫0^t Ddot(w) exp(-mu (t - w)) dw dt,
//
// 1 for an acute dose, falling towards 0 as the delivery grows slow compared with
// repair. Every form takes mu = ln 2 / T_rep in 1/day, finite and >= 0 (0: no repair,
// G = 1). Each throws std::invalid_argument naming the function and the argument.

// An acute (instantaneous) dose: G = 1.
double g_acute();

// A constant dose rate for duration_day (>= 0): G = 2 (x + e^-x - 1) / x^2, x = mu T
// (Matsuya replication code Eq 4b, SCIENCE.md 5.3); a series below x = 0.5, where the
// closed form loses digits to cancellation.
double g_constant_rate(double duration_day, double mu_per_day);

// A dose rate decaying as exp(-lambda t) to infinity (lambda > 0): G = lambda/(lambda + mu)
// (Dale 1985; SCIENCE.md 5.3).
double g_exponential(double lambda_per_day, double mu_per_day);

// A dose rate decaying as exp(-lambda t) (lambda >= 0) and stopped at duration_day
// (>= 0). With p = lambda T, q = mu T and phi1(z) = (1 - e^-z)/z (derivation in
// docs/radiobiology.md):
//
//   G = 2 (q - p)^-1 [ phi1(2p) - phi1(p + q) ] / phi1(p)^2
//     = 2 exp[0, -2p, -(p+q)] / exp[0, -p]^2     (divided differences of exp),
//
// evaluated as divided differences so that it stays accurate at mu = lambda, at
// small lambda T or mu T and at large ones. Tends to g_exponential as T grows and to
// g_constant_rate as lambda falls to 0.
double g_exponential_truncated(double lambda_per_day, double mu_per_day, double duration_day);

// Total dose and G of a dose-rate curve given as samples.
struct Protraction {
  double dose_Gy = 0;
  double g = 1;
};

// A dose-rate curve through the points (t_day[i], rate_Gy_per_day[i]), linear between
// them and zero before the first and after the last; times strictly increasing and
// finite, rates finite and >= 0, not all 0. O(n): the inner integral is carried from
// sample to sample by the recursive convolution
//   Gamma(t + h) = e^{-mu h} Gamma(t) + ∫_t^{t+h} Ddot(w) e^{-mu (t + h - w)} dw,
// and each segment's contributions are integrated exactly for the linear rate: a
// piecewise-linear curve is exact to rounding. For a smooth curve the dose is the
// trapezoid rule (second order in the spacing); G converged at fourth order in the
// tests.
Protraction protraction_piecewise_linear(const std::vector<double>& t_day, const std::vector<double>& rate_Gy_per_day,
                                         double mu_per_day);

// ---------------------------------------------------------------------------------
// Survival, BED and EQD2 of a low-LET dose D (Gy) delivered with protraction factor g.

// -ln S = alpha D + beta G D^2. Needs the tissue's alpha.
double lq_log_kill(const LqTissue& tissue, double dose_Gy, double g);
// S = exp(-alpha D - beta G D^2).
double lq_survival(const LqTissue& tissue, double dose_Gy, double g);

// BED = D (1 + G D / (alpha/beta)): the dose that, given in infinitely small fractions,
// has the same effect (Dale 1985; SCIENCE.md 5.3).
double bed_Gy(double dose_Gy, double g, double alpha_beta_Gy);
// EQD2 = BED / (1 + 2 / (alpha/beta)): the same effect in 2-Gy fractions.
double eqd2_Gy(double bed_Gy, double alpha_beta_Gy);
// Long irradiation at a constant low rate R: BED = D [1 + 2 R / (mu alpha/beta)]
// (SCIENCE.md 5.3, rtnotes). The limit of bed_Gy with g_constant_rate for mu T >> 1;
// it overstates the quadratic part by the factor x / (x - 1 + e^-x), x = mu D / R.
double bed_constant_low_rate_Gy(double dose_Gy, double rate_Gy_per_day, double mu_per_day, double alpha_beta_Gy);

// ---------------------------------------------------------------------------------
// Alpha particles. Their dose is taken as purely linear: the quadratic term is
// negligible and the damage largely irreparable (SCIENCE.md 5.3), so an alpha dose
// has no dose-rate effect and G plays no part. Its log-kill is alpha * RBE * D_alpha,
// with alpha the tissue's low-LET alpha (the RBE is read as a ratio of initial
// slopes), and its BED RBE * D_alpha; both add to the low-LET terms.

// RBE = 9.14 - 0.510 E_alpha (E in MeV) for 3 <= E <= 9 MeV (Howell; SCIENCE.md 5.3);
// outside that range it throws std::invalid_argument.
inline constexpr double kHowellMinMeV = 3.0;
inline constexpr double kHowellMaxMeV = 9.0;
double rbe_alpha_howell(double energy_MeV);

enum class AlphaRbeForm { kConstant, kHowell };
// "constant", "howell".
const char* to_string(AlphaRbeForm f);
std::optional<AlphaRbeForm> alpha_rbe_form_from_string(const std::string& s);

struct AlphaRbeOptions {
  AlphaRbeForm form = AlphaRbeForm::kConstant;
  // kConstant: the RBE, finite and > 0. Default 5, the RBE assumed for alpha radiation
  // in the 213Bi-PSMA-617 dosimetry of Eur J Nucl Med Mol Imaging 2018 (doi
  // 10.1007/s00259-017-3817-y, PMC5700223).
  double constant = 5.0;
  // kHowell: the emitter's mean alpha-particle energy (MeV), in [3, 9].
  double energy_MeV = std::numeric_limits<double>::quiet_NaN();
  bool is_valid(std::string* why) const;
  // The RBE; throws std::invalid_argument with the reason when not valid.
  double rbe() const;
};

// -ln S of an alpha dose: alpha * RBE * D_alpha. Needs the tissue's alpha.
double alpha_log_kill(const LqTissue& tissue, double alpha_dose_Gy, double rbe);
// BED of an alpha dose: RBE * D_alpha, whatever the protraction.
double bed_alpha_Gy(double alpha_dose_Gy, double rbe);

// ---------------------------------------------------------------------------------
// The kinetic form, for a model that integrates the dose rate as it goes. With
//
//   dGamma/dt = Ddot(t) - mu Gamma,  Gamma(0) = 0      (Gamma in Gy),
//
// Gamma(t) = ∫0^t Ddot(w) e^{-mu (t - w)} dw is the dose whose sublethal damage is
// still unrepaired, and the instantaneous log-kill hazard of the viable cells is
//
//   h(t) = alpha Ddot(t) + 2 beta Ddot(t) Gamma(t)     (1/day).
//
// Integrating h over the whole irradiation gives alpha D + beta G D^2 exactly, since
// G D^2 = 2 ∫ Ddot Gamma dt by the definition of G; for cells that do nothing else,
// N(t) = N0 exp(-∫0^t h) is the LQ survival. An alpha-particle dose rate adds
// alpha * RBE * Ddot_alpha (alpha_hazard_per_day) and nothing to Gamma.
// These are for the right-hand side: no checks; the caller passes a valid tissue
// (is_valid and has_alpha) once, before integrating.

inline double lq_gamma_rate_Gy_per_day(double rate_Gy_per_day, double gamma_Gy, double mu_per_day) {
  return rate_Gy_per_day - mu_per_day * gamma_Gy;
}
inline double lq_hazard_per_day(double alpha_per_Gy, double beta_per_Gy2, double rate_Gy_per_day, double gamma_Gy) {
  return rate_Gy_per_day * (alpha_per_Gy + 2.0 * beta_per_Gy2 * gamma_Gy);
}
inline double lq_hazard_per_day(const LqTissue& tissue, double rate_Gy_per_day, double gamma_Gy) {
  return lq_hazard_per_day(tissue.alpha_per_Gy, tissue.beta_per_Gy2(), rate_Gy_per_day, gamma_Gy);
}
inline double alpha_hazard_per_day(double alpha_per_Gy, double rbe, double alpha_rate_Gy_per_day) {
  return alpha_per_Gy * rbe * alpha_rate_Gy_per_day;
}

// ---------------------------------------------------------------------------------
// Tissue parameters with their sources (docs/radiobiology.md has the reasoning).

struct TissueDefault {
  const char* name;     // "kidney", "red_marrow", "myeloma", "dale_bernhardt_example"
  LqTissue lq;
  const char* status;   // "sourced", "example" (a worked example's inputs), "estimate"
  const char* source;   // where each value comes from, or how it was estimated
};

const std::vector<TissueDefault>& tissue_defaults();
// Throws std::out_of_range naming the tissue and the closest known name.
const TissueDefault& tissue_default(const std::string& name);

}  // namespace icsim::radiation
