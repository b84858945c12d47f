// Linear 1- or 2-compartment disposition of the conjugate with optional sigmoidal
// time-varying clearance (Papathanasiou 2025): always on; doses enter its central
// compartment.
#pragma once

#include <cmath>

#include "model/mechanism.h"
#include "model/model.h"

namespace icsim {

struct DispositionOptions final : OptionsBase<DispositionOptions> {
  int compartments = 2;                 // 1 or 2
  bool time_varying_clearance = false;  // a clearance_change subsection was given
  bool is_valid(std::string* why) const override;
};

const Mechanism& disposition_mechanism();

// The derived parameter holding the time of the first dose (set per patient).
inline constexpr const char* kFirstDoseParam = "regimen.first_dose_day";

// CL(t) = CL * exp(Imax * t^g / (T50^g + t^g)) (Papathanasiou 2025), t counted from
// the first dose, with T50^g precomputed per patient. Indices into the parameter
// vector; imax < 0 means constant CL.
struct ClearanceCourse {
  int cl = -1, imax = -1, gamma = -1, t50_pow = -1, first_dose = -1;
  // The indices as the disposition module declared them (imax -1 without the
  // change), from a ModelBuilder or a built Model.
  template <class Names>
  static ClearanceCourse find(const Names& b) {
    ClearanceCourse c;
    c.cl = b.find_param("disposition.CL");
    c.t50_pow = b.find_param("disposition.clearance_change.T50^gamma");
    if (c.t50_pow >= 0) {  // declared only when the clearance changes
      c.imax = b.find_param("disposition.clearance_change.Imax");
      c.gamma = b.find_param("disposition.clearance_change.gamma");
      c.first_dose = b.find_param(kFirstDoseParam);
    }
    return c;
  }
  double operator()(const double* p, double t) const {
    if (imax < 0) return p[cl];
    const double since = t - p[first_dose];
    if (since <= 0.0) return p[cl];
    const double tg = std::exp(p[gamma] * std::log(since));  // since^gamma
    return p[cl] * std::exp(p[imax] * tg / (p[t50_pow] + tg));
  }
};

}  // namespace icsim
