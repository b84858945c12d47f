// Pharmacokinetic modules of an immunoconjugate. Amounts in nmol, volumes in L,
// time in days (include/icsim/units.h). Every conjugate-bearing state is split by
// species: species s carries `dar[s]` payload molecules per antibody.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/spec.h"

namespace icsim {

struct ConjugateLayout {
  std::vector<int> dar;          // payloads per antibody, by species
  double molecular_weight = 0;   // g/mol of the conjugate
  int species() const { return static_cast<int>(dar.size()); }
};

// Names shared between modules.
namespace names {
std::string central(int species);
std::string peripheral(int species);
inline constexpr const char* kFreeFraction = "plasma.free_fraction";
inline constexpr const char* kPlasmaTotal = "plasma.conjugate_total_nM";
inline constexpr const char* kPayloadCentral = "payload.central";
}  // namespace names

// The central state of each species.
std::vector<int> central_states(const ModelBuilder& b, const ConjugateLayout& layout);
// A new pool of conjugate, one state per species named "<prefix>.<species>",
// registered so that deconjugation acts on it too.
std::vector<int> add_conjugate_pool(ModelBuilder& b, const ConjugateLayout& layout, const std::string& prefix);

// CL(t) = CL * exp(Imax * t^g / (T50^g + t^g)) (Papathanasiou 2025), t counted from
// the first dose, with T50^g precomputed per patient. Indices into the parameter
// vector; imax < 0 means constant CL.
struct ClearanceCourse {
  int cl = -1, imax = -1, gamma = -1, t50_pow = -1, first_dose = -1;
  // The indices as the disposition module declared them (imax -1 without the change).
  static ClearanceCourse find(const ModelBuilder& b);
  double operator()(const double* p, double t) const {
    if (imax < 0) return p[cl];
    const double since = t - p[first_dose];
    if (since <= 0.0) return p[cl];
    const double tg = std::exp(p[gamma] * std::log(since));  // since^gamma
    return p[cl] * std::exp(p[imax] * tg / (p[t50_pow] + tg));
  }
};

// The derived parameter holding the time of the first dose (set per patient).
inline constexpr const char* kFirstDoseParam = "regimen.first_dose_day";

// Linear 1- or 2-compartment disposition with optional sigmoidal time-varying
// clearance CL(t) = CL * exp(Imax * t^g / (T50^g + t^g)) (Papathanasiou 2025).
std::unique_ptr<Module> make_disposition(ModelBuilder& b, const ConjugateLayout& layout,
                                         int compartments, bool time_varying_clearance);
// Full target-mediated drug disposition (Mager & Jusko 2001).
std::unique_ptr<Module> make_tmdd_full(ModelBuilder& b, const ConjugateLayout& layout,
                                       bool synthesis_given);
// Quasi-steady-state TMDD (Gibiansky et al. 2008).
std::unique_ptr<Module> make_tmdd_qss(ModelBuilder& b, const ConjugateLayout& layout,
                                      bool synthesis_given);
// Soluble (shed) antigen that binds the conjugate in plasma and is a sink.
std::unique_ptr<Module> make_soluble_antigen(ModelBuilder& b, const ConjugateLayout& layout,
                                             double antigen_mw);
// First-order loss of each conjugated payload (deconjugation), DAR n -> n-1.
std::unique_ptr<Module> make_deconjugation(ModelBuilder& b, const ConjugateLayout& layout);
// Released payload with its own 1- or 2-compartment PK.
std::unique_ptr<Module> make_payload(ModelBuilder& b, int compartments, double payload_mw);
// Integral of the plasma total concentration (exact AUC).
std::unique_ptr<Module> make_exposure_integral(ModelBuilder& b);

}  // namespace icsim
