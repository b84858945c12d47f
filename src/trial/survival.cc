#include "trial/survival.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace icsim {

namespace {

// Survival values this close are equal: the product of a few hundred ratios
// carries round-off of about 1e-14.
constexpr double kTie = 1e-12;

}  // namespace

KaplanMeier kaplan_meier(const std::vector<double>& times, const std::vector<bool>& censored) {
  if (times.size() != censored.size()) throw std::invalid_argument("censored: one flag per time");
  for (double t : times)
    if (!std::isfinite(t) || t < 0) throw std::invalid_argument("times: each finite and >= 0");
  std::vector<size_t> order(times.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return times[a] < times[b]; });
  KaplanMeier km;
  km.subjects = static_cast<long>(times.size());
  double s = 1.0;
  long at_risk = km.subjects;
  for (size_t i = 0; i < order.size();) {
    const double t = times[order[i]];
    long deaths = 0, leaving = 0;
    for (; i < order.size() && times[order[i]] == t; ++i, ++leaving)
      if (!censored[order[i]]) ++deaths;
    // Censored at t are still at risk at t: deaths come first.
    if (deaths > 0) {
      s *= 1.0 - static_cast<double>(deaths) / static_cast<double>(at_risk);
      km.times.push_back(t);
      km.survival.push_back(s);
      km.events += deaths;
    }
    at_risk -= leaving;
  }
  return km;
}

double KaplanMeier::at(double t) const {
  double s = 1.0;
  for (size_t i = 0; i < times.size() && times[i] <= t; ++i) s = survival[i];
  return s;
}

double KaplanMeier::median() const {
  for (size_t i = 0; i < times.size(); ++i) {
    if (survival[i] < 0.5 - kTie) return times[i];
    if (std::abs(survival[i] - 0.5) <= kTie)
      return i + 1 < times.size() ? 0.5 * (times[i] + times[i + 1]) : times[i];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace icsim
