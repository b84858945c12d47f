#include "radiation/cell_dosimetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <stdexcept>

#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"

namespace icsim::radiation {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kJoulePerMeV = 1.602176634e-13;
constexpr double kKgPerCubicUm = 1e-15;   // unit-density tissue: 1 g/cm3
constexpr double kUmPerGramPerCm2 = 1e4;  // 1 g/cm2 of unit-density water is 1 cm
constexpr double kElectronMass_MeV = 0.51099895;

[[noreturn]] void invalid(const char* function, const std::string& what) {
  throw std::invalid_argument(fmt::format("{}: {}", function, what));
}

double ball_volume_um3(double r) { return 4.0 / 3.0 * kPi * r * r * r; }

// ---- adaptive Gauss-Kronrod (7-point Gauss, 15-point Kronrod) -------------------------

constexpr double kXgk[8] = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                            0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                            0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                            0.207784955007898467600689403773245, 0.0};
constexpr double kWgk[8] = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                            0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                            0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                            0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
constexpr double kWg[4] = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                           0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

template <class F>
double gauss_kronrod(const F& f, double a, double b, double* err) {
  const double c = 0.5 * (a + b), h = 0.5 * (b - a);
  const double fc = f(c);
  double k = fc * kWgk[7], g = fc * kWg[3];
  for (int j = 0; j < 7; ++j) {
    const double x = h * kXgk[j];
    const double s = f(c - x) + f(c + x);
    k += kWgk[j] * s;
    if (j % 2 == 1) g += kWg[j / 2] * s;
  }
  *err = std::abs((k - g) * h);
  return k * h;
}

// Globally adaptive: bisect the interval with the largest error estimate until the
// estimates sum to below `tol` or kMaxIntervals are in use (then the best estimate so far).
constexpr int kMaxIntervals = 400;

template <class F>
double integrate(const F& f, double a, double b, double tol, std::vector<double> breaks) {
  if (!(b > a)) return 0;
  struct Piece {
    double a, b, value, err;
  };
  std::vector<Piece> pieces;
  breaks.push_back(a);
  breaks.push_back(b);
  std::sort(breaks.begin(), breaks.end());
  double lo = a;
  for (double x : breaks) {
    if (x <= lo || x > b) continue;
    Piece p{lo, x, 0, 0};
    p.value = gauss_kronrod(f, lo, x, &p.err);
    pieces.push_back(p);
    lo = x;
  }
  auto worse = [](const Piece& p, const Piece& q) { return p.err < q.err; };
  std::make_heap(pieces.begin(), pieces.end(), worse);
  double total_err = 0;
  for (const Piece& p : pieces) total_err += p.err;
  while (total_err > tol && static_cast<int>(pieces.size()) < kMaxIntervals) {
    std::pop_heap(pieces.begin(), pieces.end(), worse);
    const Piece p = pieces.back();
    pieces.pop_back();
    const double m = 0.5 * (p.a + p.b);
    if (!(m > p.a && m < p.b)) {  // cannot split further
      pieces.push_back(p);
      std::push_heap(pieces.begin(), pieces.end(), worse);
      break;
    }
    Piece l{p.a, m, 0, 0}, r{m, p.b, 0, 0};
    l.value = gauss_kronrod(f, l.a, l.b, &l.err);
    r.value = gauss_kronrod(f, r.a, r.b, &r.err);
    total_err += l.err + r.err - p.err;
    pieces.push_back(l);
    std::push_heap(pieces.begin(), pieces.end(), worse);
    pieces.push_back(r);
    std::push_heap(pieces.begin(), pieces.end(), worse);
  }
  double sum = 0;
  for (const Piece& p : pieces) sum += p.value;
  return sum;
}

// Gauss-Legendre nodes and weights on [0, 1] (Newton on the Legendre recurrence).
void gauss_legendre_01(int n, std::vector<double>* x, std::vector<double>* w) {
  x->assign(n, 0);
  w->assign(n, 0);
  for (int i = 0; i < n; ++i) {
    double z = std::cos(kPi * (i + 0.75) / (n + 0.5)), dp = 0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1);
      const double dz = p1 / dp;
      z -= dz;
      if (std::abs(dz) < 1e-15) break;
    }
    (*x)[i] = 0.5 * (1 - z);
    (*w)[i] = 1.0 / ((1 - z * z) * dp * dp);
  }
}

}  // namespace

// ---- geometry ----------------------------------------------------------------------------

double CellGeometry::radius_of_volume_um(double volume_L) { return std::cbrt(3.0 * volume_L * 1e15 / (4.0 * M_PI)); }

bool CellGeometry::is_valid(std::string* why) const {
  auto fail = [&](const std::string& s) {
    if (why) *why = s;
    return false;
  };
  if (!(nucleus_radius_um > 0) || !std::isfinite(nucleus_radius_um))
    return fail(fmt::format("nucleus_radius_um must be positive and finite, got {}", nucleus_radius_um));
  if (!(cell_radius_um > nucleus_radius_um) || !std::isfinite(cell_radius_um))
    return fail(fmt::format("cell_radius_um must be finite and larger than the nucleus radius ({} um), got {}",
                            nucleus_radius_um, cell_radius_um));
  return true;
}

double CellGeometry::nucleus_mass_kg() const { return ball_volume_um3(nucleus_radius_um) * kKgPerCubicUm; }
double CellGeometry::cell_mass_kg() const { return ball_volume_um3(cell_radius_um) * kKgPerCubicUm; }

const char* source_region_name(SourceRegion r) {
  switch (r) {
    case SourceRegion::kNucleus: return "nucleus";
    case SourceRegion::kCytoplasm: return "cytoplasm";
    case SourceRegion::kCellSurface: return "cell surface";
  }
  return "?";
}

// ---- alpha stopping table -------------------------------------------------------------------

AlphaStoppingTable AlphaStoppingTable::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"source", "density", "cross_check", "energy_MeV", "electronic_MeV_cm2_per_g"});
  AlphaStoppingTable t;
  if (!root["source"]) doc.fail(root, "source", "the table names its source (key 'source')");
  t.source_ = doc.text(root["source"], "source");
  if (root["density"]) {
    const double rho = doc.in_unit(root["density"], "density", "g/mL");
    if (std::abs(rho - 1.0) > 1e-9)
      doc.fail(root["density"], "density", "the model is for unit-density water (1 g/cm3)");
  }
  for (const char* k : {"energy_MeV", "electronic_MeV_cm2_per_g"})
    if (!root[k] || !root[k].IsSequence()) doc.fail(root[k] ? root[k] : root, k, "expected a list of numbers");
  const YAML::Node e = root["energy_MeV"], s = root["electronic_MeV_cm2_per_g"];
  if (e.size() != s.size() || e.size() < 2)
    doc.fail(s, "electronic_MeV_cm2_per_g",
             fmt::format("{} stopping powers for {} energies (need equal lists of at least 2)", s.size(), e.size()));
  for (size_t i = 0; i < e.size(); ++i) {
    const std::string ek = fmt::format("energy_MeV[{}]", i), sk = fmt::format("electronic_MeV_cm2_per_g[{}]", i);
    const double ei = doc.number(e[i], ek), si = doc.number(s[i], sk);
    if (!(ei > 0) || (i > 0 && !(ei > t.energy_.back())))
      doc.fail(e[i], ek, "energies must be positive and strictly increasing");
    if (!(si > 0) || !std::isfinite(si)) doc.fail(s[i], sk, "a stopping power must be positive");
    t.energy_.push_back(ei);
    t.stopping_.push_back(si);
  }
  if (const YAML::Node c = root["cross_check"]) {
    doc.check_keys(c, "cross_check", {"source", "points"});
    const YAML::Node p = c["points"];
    if (!p || !p.IsSequence()) doc.fail(c, "cross_check.points", "expected a list of [energy MeV, MeV cm2/g]");
    for (size_t i = 0; i < p.size(); ++i) {
      const std::string k = fmt::format("cross_check.points[{}]", i);
      if (!p[i].IsSequence() || p[i].size() != 2) doc.fail(p[i], k, "expected [energy MeV, MeV cm2/g]");
      t.cross_check_.emplace_back(doc.number(p[i][0], k), doc.number(p[i][1], k));
    }
  }
  t.build_range_table();
  return t;
}

AlphaStoppingTable AlphaStoppingTable::read_default() {
  const auto path = std::filesystem::path(data_directory()) / "dosimetry" / "alpha_stopping_power_water.yaml";
  return read_file(path.string());
}

double AlphaStoppingTable::stopping_power_MeV_cm2_per_g(double E) const {
  if (!(E > 0)) return 0;
  if (E <= energy_.front()) return stopping_.front() * std::sqrt(E / energy_.front());
  if (E > energy_.back())
    throw std::domain_error(
        fmt::format("AlphaStoppingTable::stopping_power_MeV_cm2_per_g: energy {} MeV is above "
                    "the table ({} MeV)",
                    E, energy_.back()));
  const size_t i = std::upper_bound(energy_.begin(), energy_.end(), E) - energy_.begin() - 1;
  if (i + 1 >= energy_.size()) return stopping_.back();
  const double k = std::log(stopping_[i + 1] / stopping_[i]) / std::log(energy_[i + 1] / energy_[i]);
  return stopping_[i] * std::pow(E / energy_[i], k);
}

// Range at the table energies, exact for the interpolant: below the first energy S ~ sqrt(E)
// gives R = 2 sqrt(E E0)/S0; between two energies S = S1 (E/E1)^k gives
// R2 - R1 = E1^k (E2^(1-k) - E1^(1-k)) / (S1 (1-k)) (k = 1: E1 ln(E2/E1)/S1).
namespace {
double interval_range(double E1, double S1, double k, double E) {
  if (std::abs(1 - k) < 1e-12) return E1 * std::log(E / E1) / S1;
  return std::pow(E1, k) * (std::pow(E, 1 - k) - std::pow(E1, 1 - k)) / (S1 * (1 - k));
}
}  // namespace

void AlphaStoppingTable::build_range_table() {
  const size_t n = energy_.size();
  exponent_.assign(n, 0);
  range_.assign(n, 0);
  range_[0] = 2 * energy_[0] / stopping_[0];
  for (size_t i = 0; i + 1 < n; ++i) {
    exponent_[i] = std::log(stopping_[i + 1] / stopping_[i]) / std::log(energy_[i + 1] / energy_[i]);
    range_[i + 1] = range_[i] + interval_range(energy_[i], stopping_[i], exponent_[i], energy_[i + 1]);
  }
}

double AlphaStoppingTable::csda_range_um(double E) const {
  if (!(E > 0)) return 0;
  const double E0 = energy_.front(), S0 = stopping_.front();
  if (E <= E0) return 2 * std::sqrt(E * E0) / S0 * kUmPerGramPerCm2;
  if (E > energy_.back())
    throw std::domain_error(
        fmt::format("AlphaStoppingTable::csda_range_um: energy {} MeV is above the table ({} MeV)", E, energy_.back()));
  const size_t i =
      std::min<size_t>(std::upper_bound(energy_.begin(), energy_.end(), E) - energy_.begin() - 1, energy_.size() - 2);
  return (range_[i] + interval_range(energy_[i], stopping_[i], exponent_[i], E)) * kUmPerGramPerCm2;
}

double AlphaStoppingTable::energy_at_residual_range_MeV(double residual_um) const {
  if (!(residual_um > 0)) return 0;
  const double r = residual_um / kUmPerGramPerCm2;  // g/cm2
  const double E0 = energy_.front(), S0 = stopping_.front();
  if (r <= range_.front()) return (r * S0 / 2) * (r * S0 / 2) / E0;
  if (r > range_.back() * (1 + 1e-12))
    throw std::domain_error(fmt::format(
        "AlphaStoppingTable::energy_at_residual_range_MeV: residual range {} um is beyond the table ({} um)",
        residual_um, range_.back() * kUmPerGramPerCm2));
  const size_t i =
      std::min<size_t>(std::upper_bound(range_.begin(), range_.end(), r) - range_.begin() - 1, range_.size() - 2);
  // Invert the interval's closed form.
  const double E1 = energy_[i], S1 = stopping_[i], k = exponent_[i];
  if (std::abs(1 - k) < 1e-12) return E1 * std::exp((r - range_[i]) * S1 / E1);
  const double base = std::pow(E1, 1 - k) + (r - range_[i]) * S1 * (1 - k) / std::pow(E1, k);
  return std::pow(base, 1 / (1 - k));
}

// ---- electrons (Cole 1969) -------------------------------------------------------------------

double ElectronColeModel::energy_at_residual_range_MeV(double r) const {
  if (!(r > 0)) return 0;
  // Closed-form integral of dE/dr = 3.316 (r + 0.007)^-0.435 + 0.0055 r^0.33 (keV/um).
  const double keV =
      3.316 / 0.565 * (std::pow(r + 0.007, 0.565) - std::pow(0.007, 0.565)) + 0.0055 / 1.33 * std::pow(r, 1.33);
  return keV * 1e-3;
}

double ElectronColeModel::csda_range_um(double E) const {
  if (!(E > 0)) return 0;
  double lo = 0, hi = 1;
  while (energy_at_residual_range_MeV(hi) < E) {
    lo = hi;
    hi *= 2;
    if (hi > 1e9) throw std::domain_error(fmt::format("ElectronColeModel::csda_range_um: energy {} MeV too high", E));
  }
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double m = 0.5 * (lo + hi);
    (energy_at_residual_range_MeV(m) < E ? lo : hi) = m;
  }
  return 0.5 * (lo + hi);
}

// ---- energy deposited in a sphere ------------------------------------------------------------

double mean_energy_in_sphere_MeV(const StoppingModel& model, double E, double d, double R, double tol) {
  if (!(E > 0) || !(R > 0)) return 0;
  if (!(d >= 0)) invalid("mean_energy_in_sphere_MeV", fmt::format("distance d_um must be >= 0, got {}", d));
  const double R0 = model.csda_range_um(E);
  if (d >= R + R0) return 0;  // out of reach
  auto T = [&](double s) { return model.energy_at_residual_range_MeV(R0 - s); };
  // Track entry/exit along direction cosine mu (to the outward radial direction).
  auto deposit = [&](double mu) {
    const double disc = R * R - d * d * (1 - mu * mu);
    if (disc <= 0) return 0.0;
    const double sq = std::sqrt(disc);
    const double s_in = std::max(0.0, -d * mu - sq), s_out = -d * mu + sq;
    if (s_out <= 0 || s_in >= R0) return 0.0;
    return T(s_in) - T(s_out);
  };
  // A kink where the track ends on the sphere: entry or exit distance equals R0.
  const double mu_kink = (R * R - d * d - R0 * R0) / (2 * R0 * std::max(d, 1e-300));
  const double abs_tol = tol * E;
  if (d < R) {
    std::vector<double> breaks;
    if (mu_kink > -1 && mu_kink < 1) breaks.push_back(mu_kink);
    return 0.5 * integrate(deposit, -1.0, 1.0, abs_tol, breaks);
  }
  // Outside the sphere: integrate over the impact parameter b = R sin(phi), which removes
  // the square-root behaviour at the tangent: mu = -sqrt(1 - b^2/d^2),
  // dmu = b db / (d^2 sqrt(1 - b^2/d^2)), db = R cos(phi) dphi.
  auto in_phi = [&](double phi) {
    const double b = R * std::sin(phi), c = std::sqrt(std::max(0.0, 1 - (b / d) * (b / d)));
    if (c <= 0) return 0.0;
    return deposit(-c) * b * R * std::cos(phi) / (d * d * c);
  };
  std::vector<double> breaks;
  if (mu_kink > -1 && mu_kink < 0) {
    const double b = d * std::sqrt(1 - mu_kink * mu_kink);
    if (b < R) breaks.push_back(std::asin(b / R));
  }
  return 0.5 * integrate(in_phi, 0.0, kPi / 2, abs_tol, breaks);
}

double mean_energy_from_source_MeV(const StoppingModel& model, double E, const SourceShell& src, double R, double tol) {
  if (!(src.outer_um > 0) || src.inner_um < 0 || (!src.surface && !(src.outer_um > src.inner_um)))
    invalid("mean_energy_from_source_MeV",
            fmt::format("source shell must have 0 <= inner_um < outer_um, got {} and {}", src.inner_um, src.outer_um));
  if (src.surface) return mean_energy_in_sphere_MeV(model, E, src.outer_um, R, tol);
  const double a = src.inner_um, b = src.outer_um, norm = 3.0 / (b * b * b - a * a * a);
  const double R0 = model.csda_range_um(E);
  auto g = [&](double d) { return norm * d * d * mean_energy_in_sphere_MeV(model, E, d, R, 0.1 * tol); };
  return integrate(g, a, b, tol * E, {R, R + R0, R - R0, R0 - R, std::sqrt(R0 * R0 + R * R)});
}

// ---- emission library ---------------------------------------------------------------------------

double NuclideEmissions::energy_per_decay_MeV(Emission e) const {
  const std::vector<Line>* lines = nullptr;
  switch (e) {
    case Emission::kAlpha: lines = &alpha; break;
    case Emission::kBeta: lines = &beta; break;
    case Emission::kElectron: lines = &electron; break;
    case Emission::kPhoton: return photon_MeV;
  }
  double sum = 0;
  for (const Line& l : *lines) sum += l.energy_MeV * l.per_decay;
  return sum;
}

EmissionLibrary EmissionLibrary::read_file(const std::string& path) {
  const YAML::Node root = load_yaml_file(path);
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"references", "nuclides"});
  const YAML::Node list = root["nuclides"];
  if (!list) doc.fail(root, "nuclides", "the file defines no nuclides (key 'nuclides')");
  doc.require_map(list, "nuclides");
  EmissionLibrary lib;
  for (const auto& kv : list) {
    NuclideEmissions nu;
    nu.name = kv.first.as<std::string>();
    const std::string key = join_key("nuclides", nu.name);
    const YAML::Node m = kv.second;
    doc.require_map(m, key);
    doc.check_keys(m, key, {"source", "alpha", "beta", "electron", "listed_electron_MeV", "photon_MeV"});
    if (!m["source"]) doc.fail(m, join_key(key, "source"), "every nuclide names its source (key 'source')");
    nu.source = doc.text(m["source"], join_key(key, "source"));
    auto lines = [&](const char* k, std::vector<Line>* out) {
      const YAML::Node n = m[k];
      if (!n) return;
      const std::string lk = join_key(key, k);
      if (!n.IsSequence()) doc.fail(n, lk, "expected a list of [energy MeV, per decay]");
      for (size_t i = 0; i < n.size(); ++i) {
        const std::string ik = fmt::format("{}[{}]", lk, i);
        if (!n[i].IsSequence() || n[i].size() != 2) doc.fail(n[i], ik, "expected [energy MeV, per decay]");
        Line l{doc.number(n[i][0], ik), doc.number(n[i][1], ik)};
        if (!(l.energy_MeV > 0) || !std::isfinite(l.energy_MeV)) doc.fail(n[i], ik, "the energy must be positive");
        if (!(l.per_decay > 0) || !std::isfinite(l.per_decay)) doc.fail(n[i], ik, "the yield must be positive");
        out->push_back(l);
      }
    };
    lines("alpha", &nu.alpha);
    lines("beta", &nu.beta);
    lines("electron", &nu.electron);
    for (const char* k : {"listed_electron_MeV", "photon_MeV"}) {
      if (!m[k]) doc.fail(m, join_key(key, k), "missing (write 0 when there is none)");
      const double v = doc.number(m[k], join_key(key, k));
      if (!(v >= 0) || !std::isfinite(v)) doc.fail(m[k], join_key(key, k), "must be >= 0");
      (std::string(k) == "photon_MeV" ? nu.photon_MeV : nu.listed_electron_MeV) = v;
    }
    lib.nuclides_.emplace(nu.name, std::move(nu));
  }
  return lib;
}

EmissionLibrary EmissionLibrary::read_default() {
  return read_file((std::filesystem::path(data_directory()) / "dosimetry" / "cell_emissions.yaml").string());
}

const NuclideEmissions* EmissionLibrary::find(const std::string& name) const {
  auto it = nuclides_.find(name);
  return it == nuclides_.end() ? nullptr : &it->second;
}

const NuclideEmissions& EmissionLibrary::get(const std::string& name) const {
  if (const NuclideEmissions* n = find(name)) return *n;
  const std::string hint = closest_match(name, names());
  throw std::out_of_range(fmt::format("EmissionLibrary::get: no emission data for nuclide '{}'{}", name,
                                      hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

std::vector<std::string> EmissionLibrary::names() const {
  std::vector<std::string> out;
  for (const auto& kv : nuclides_) out.push_back(kv.first);
  return out;
}

// ---- beta spectra ----------------------------------------------------------------------------------

namespace {

// Spectrum N(T) ~ p W (Q - T)^2 on nodes T = Q u^2 (dT = 2 Q u du keeps the sqrt(T)
// behaviour at T -> 0 smooth); returns energies and normalised weights.
void beta_nodes(double Q, int n, std::vector<double>* T, std::vector<double>* w) {
  std::vector<double> u, wu;
  gauss_legendre_01(n, &u, &wu);
  T->resize(n);
  w->resize(n);
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double t = Q * u[i] * u[i], W = t + kElectronMass_MeV, p = std::sqrt(t * (t + 2 * kElectronMass_MeV));
    (*T)[i] = t;
    (*w)[i] = wu[i] * p * W * (Q - t) * (Q - t) * 2 * Q * u[i];
    sum += (*w)[i];
  }
  for (double& x : *w) x /= sum;
}

double beta_mean(double Q, int n) {
  std::vector<double> T, w;
  beta_nodes(Q, n, &T, &w);
  double m = 0;
  for (int i = 0; i < n; ++i) m += T[i] * w[i];
  return m;
}

double endpoint_for_mean(double mean, int n) {
  // The mean is between Q/3 (non-relativistic) and Q/2 (extreme relativistic).
  double lo = 1.9 * mean, hi = 3.1 * mean;
  for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; ++i) {
    const double m = 0.5 * (lo + hi);
    (beta_mean(m, n) < mean ? lo : hi) = m;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double beta_endpoint_for_mean_MeV(double mean_MeV) {
  if (!(mean_MeV > 0))
    invalid("beta_endpoint_for_mean_MeV", fmt::format("mean_MeV must be positive, got {}", mean_MeV));
  return endpoint_for_mean(mean_MeV, 64);
}

std::vector<Line> beta_spectrum_lines(double mean_MeV, double per_decay, int nodes) {
  if (!(mean_MeV > 0)) invalid("beta_spectrum_lines", fmt::format("mean_MeV must be positive, got {}", mean_MeV));
  if (nodes < 2) invalid("beta_spectrum_lines", fmt::format("nodes must be >= 2, got {}", nodes));
  // The end-point is solved on the same nodes, so the lines' mean is the given mean.
  const double Q = endpoint_for_mean(mean_MeV, nodes);
  std::vector<double> T, w;
  beta_nodes(Q, nodes, &T, &w);
  std::vector<Line> out;
  for (int i = 0; i < nodes; ++i) out.push_back({T[i], per_decay * w[i]});
  return out;
}

// ---- S-values ------------------------------------------------------------------------------------

bool SValueOptions::is_valid(std::string* why) const {
  if (beta_nodes < 2) {
    if (why) *why = fmt::format("beta_nodes must be >= 2, got {}", beta_nodes);
    return false;
  }
  if (!(tolerance > 0 && tolerance <= 1e-3)) {
    if (why) *why = fmt::format("tolerance must be in (0, 1e-3], got {}", tolerance);
    return false;
  }
  return true;
}

double NucleusSValues::total(SourceRegion r) const {
  double sum = 0;
  for (double x : s[static_cast<int>(r)]) sum += x;
  return sum;
}

namespace {

SourceShell shell_of(SourceRegion r, const CellGeometry& c) {
  switch (r) {
    case SourceRegion::kNucleus: return {0, c.nucleus_radius_um, false};
    case SourceRegion::kCytoplasm: return {c.nucleus_radius_um, c.cell_radius_um, false};
    case SourceRegion::kCellSurface: return {c.cell_radius_um, c.cell_radius_um, true};
  }
  return {};
}

std::vector<Line> electron_lines(const NuclideEmissions& nu, Emission e, int beta_nodes) {
  if (e == Emission::kElectron) return nu.electron;
  std::vector<Line> out;
  for (const Line& b : nu.beta) {
    const std::vector<Line> spec = beta_spectrum_lines(b.energy_MeV, b.per_decay, beta_nodes);
    out.insert(out.end(), spec.begin(), spec.end());
  }
  return out;
}

}  // namespace

NucleusSValues nucleus_s_values(const NuclideEmissions& nu, const CellGeometry& cell, const StoppingModel& alpha,
                                const StoppingModel& electron, const SValueOptions& options) {
  std::string why;
  if (!cell.is_valid(&why)) invalid("nucleus_s_values", "cell: " + why);
  if (!options.is_valid(&why)) invalid("nucleus_s_values", "options: " + why);
  NucleusSValues out;
  out.nuclide = nu.name;
  const double per_kg = kJoulePerMeV / cell.nucleus_mass_kg();
  for (int r = 0; r < kSourceRegionCount; ++r) {
    const SourceShell src = shell_of(static_cast<SourceRegion>(r), cell);
    for (Emission e : {Emission::kAlpha, Emission::kBeta, Emission::kElectron}) {
      const StoppingModel& model = e == Emission::kAlpha ? alpha : electron;
      const std::vector<Line> lines = e == Emission::kAlpha ? nu.alpha : electron_lines(nu, e, options.beta_nodes);
      double sum = 0;
      for (const Line& l : lines)
        sum += l.per_decay *
               mean_energy_from_source_MeV(model, l.energy_MeV, src, cell.nucleus_radius_um, options.tolerance);
      out.s[r][static_cast<int>(e)] = sum * per_kg;
    }
  }
  return out;
}

// ---- cross-fire ------------------------------------------------------------------------------------

bool CrossfireOptions::is_valid(std::string* why) const {
  if (!(region_radius_um > 0)) {
    if (why)
      *why = fmt::format("region_radius_um must be positive (infinity for equilibrium), got {}", region_radius_um);
    return false;
  }
  if (!(blood_volume_fraction >= 0 && blood_volume_fraction < 1)) {
    if (why) *why = fmt::format("blood_volume_fraction must be set, in [0, 1), got {}", blood_volume_fraction);
    return false;
  }
  return true;
}

std::array<double, kEmissionCount> crossfire_per_concentration(const NuclideEmissions& nu, const NucleusSValues& s,
                                                               const CellGeometry& cell, double region_radius_um,
                                                               const StoppingModel& alpha,
                                                               const StoppingModel& electron, int beta_nodes) {
  std::string why;
  if (!cell.is_valid(&why)) invalid("crossfire_per_concentration", "cell: " + why);
  if (!(region_radius_um > cell.cell_radius_um))
    invalid("crossfire_per_concentration", fmt::format("region_radius_um must exceed the cell radius ({} um), got {}",
                                                       cell.cell_radius_um, region_radius_um));
  std::array<double, kEmissionCount> out{};
  const double vn = ball_volume_um3(cell.nucleus_radius_um), vc = ball_volume_um3(cell.cell_radius_um);
  const double cell_mL = vc * 1e-12;
  for (Emission e : {Emission::kAlpha, Emission::kBeta, Emission::kElectron}) {
    const StoppingModel& model = e == Emission::kAlpha ? alpha : electron;
    const std::vector<Line> lines = e == Emission::kAlpha ? nu.alpha : electron_lines(nu, e, beta_nodes);
    // Energy per decay reaching the centre of the region: E - T(R0 - R) for each line.
    double reaching = 0;
    for (const Line& l : lines) {
      double lost = 0;
      if (std::isfinite(region_radius_um)) {
        const double R0 = model.csda_range_um(l.energy_MeV);
        lost = model.energy_at_residual_range_MeV(R0 - region_radius_um);
      }
      reaching += l.per_decay * (l.energy_MeV - lost);
    }
    const int k = static_cast<int>(e);
    const double s_nucleus = s.s[static_cast<int>(SourceRegion::kNucleus)][k];
    const double s_cytoplasm = s.s[static_cast<int>(SourceRegion::kCytoplasm)][k];
    const double s_whole_cell = (vn * s_nucleus + (vc - vn) * s_cytoplasm) / vc;
    // 1000 decays per second per kg for 1 Bq/mL of unit-density tissue.
    out[k] = 1000.0 * reaching * kJoulePerMeV - cell_mL * s_whole_cell;
  }
  return out;
}

// ---- dose rate ---------------------------------------------------------------------------------------

double NucleusDoseRate::of(Emission e) const {
  const int k = static_cast<int>(e);
  return self[k] + tissue[k] + blood[k];
}

double NucleusDoseRate::total() const {
  double sum = 0;
  for (int k = 0; k < kEmissionCount; ++k) sum += self[k] + tissue[k] + blood[k];
  return sum;
}

CellDosimetry::CellDosimetry(const EmissionLibrary& library, const CellGeometry& cell,
                             const CrossfireOptions& crossfire, const StoppingModel& alpha,
                             const StoppingModel& electron, const SValueOptions& options)
    : cell_(cell), crossfire_options_(crossfire) {
  std::string why;
  if (!cell.is_valid(&why)) invalid("CellDosimetry", "cell: " + why);
  if (!crossfire.is_valid(&why)) invalid("CellDosimetry", "crossfire: " + why);
  if (!options.is_valid(&why)) invalid("CellDosimetry", "options: " + why);
  for (const std::string& name : library.names()) {
    const NuclideEmissions& nu = library.get(name);
    Entry e;
    e.s = nucleus_s_values(nu, cell, alpha, electron, options);
    e.crossfire =
        crossfire_per_concentration(nu, e.s, cell, crossfire.region_radius_um, alpha, electron, options.beta_nodes);
    entries_.emplace(name, std::move(e));
  }
}

const CellDosimetry::Entry& CellDosimetry::entry(const std::string& nuclide) const {
  auto it = entries_.find(nuclide);
  if (it == entries_.end()) {
    std::vector<std::string> names;
    for (const auto& kv : entries_) names.push_back(kv.first);
    const std::string hint = closest_match(nuclide, names);
    throw std::out_of_range(fmt::format("CellDosimetry: no emission data for nuclide '{}'{}", nuclide,
                                        hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  return it->second;
}

const NucleusSValues& CellDosimetry::s_values(const std::string& nuclide) const { return entry(nuclide).s; }

const std::array<double, kEmissionCount>& CellDosimetry::crossfire(const std::string& nuclide) const {
  return entry(nuclide).crossfire;
}

NucleusDoseRate CellDosimetry::dose_rate(const std::vector<CellActivity>& activities) const {
  NucleusDoseRate out;
  const double fb = crossfire_options_.blood_volume_fraction;
  for (const CellActivity& a : activities) {
    for (double v : {a.surface_Bq, a.cytoplasm_Bq, a.nucleus_Bq, a.tissue_Bq_per_mL, a.blood_Bq_per_mL})
      if (!(v >= 0) || !std::isfinite(v))
        invalid("CellDosimetry::dose_rate",
                fmt::format("activities of '{}' must be finite and >= 0, got {}", a.nuclide, v));
    const Entry& en = entry(a.nuclide);
    for (int k = 0; k < kEmissionCount; ++k) {
      out.self[k] += a.surface_Bq * en.s.s[static_cast<int>(SourceRegion::kCellSurface)][k] +
                     a.cytoplasm_Bq * en.s.s[static_cast<int>(SourceRegion::kCytoplasm)][k] +
                     a.nucleus_Bq * en.s.s[static_cast<int>(SourceRegion::kNucleus)][k];
      out.tissue[k] += (1 - fb) * a.tissue_Bq_per_mL * en.crossfire[k];
      out.blood[k] += fb * a.blood_Bq_per_mL * en.crossfire[k];
    }
  }
  return out;
}

}  // namespace icsim::radiation
