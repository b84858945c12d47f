// Kaplan-Meier estimate of a survival function from right-censored times (the
// product-limit estimator, Kaplan & Meier 1958), and its median as R's survival
// package reports it, so that a cohort's median survival or PFS can be checked
// against R on the same times (tests/validation/survival_crosscheck.R).
#pragma once

#include <limits>
#include <vector>

namespace icsim {

struct KaplanMeier {
  // Distinct event times, ascending, and the survival just after each.
  std::vector<double> times, survival;
  long subjects = 0, events = 0;

  // S(t): 1 before the first event; right-continuous steps.
  double at(double t) const;
  // The smallest event time at which S falls to 0.5 or below; where S equals 0.5
  // exactly on an interval, the midpoint of that interval's two event times (R's
  // survfit convention). NaN when S stays above 0.5 (median not reached).
  double median() const;
};

// `times` (finite, >= 0) with `censored[i]` true when subject i was alive (free of
// the event) at times[i]. Throws std::invalid_argument, naming the argument, for
// sizes that differ or a time that is negative or not finite.
KaplanMeier kaplan_meier(const std::vector<double>& times, const std::vector<bool>& censored);

}  // namespace icsim
