#include "trial/regimen.h"

#include <algorithm>

#include "icsim/error.h"
#include "icsim/units.h"

namespace icsim {

std::vector<DoseEvent> expand_regimen(const Regimen& r, const Covariates& c, double mw) {
  std::vector<DoseEvent> events;
  double next_start = 0.0;
  for (const Phase& ph : r.phases) {
    double scale = 1.0;
    const char* needs = nullptr;
    if (ph.dose.basis == DoseBasis::kPerWeight) needs = "weight";
    if (ph.dose.basis == DoseBasis::kPerBsa) needs = "bsa";
    if (needs) {
      auto it = c.values.find(needs);
      if (it == c.values.end())
        throw InputError(ph.origin.file, ph.origin.line, ph.origin.key + ".dose",
                         std::string("a dose of '") + ph.dose.text + "' needs the patient's " + needs +
                             (ph.dose.basis == DoseBasis::kPerBsa ? " (or height and weight)" : ""));
      scale = it->second;
    }
    DoseEvent e;
    e.duration_day = ph.infusion_day;
    if (ph.dose.basis == DoseBasis::kAmount) {
      e.amount_nmol = ph.dose.value;
      e.amount_mg = ph.dose.value / units::nmol_per_mg(mw);
    } else {
      e.amount_mg = ph.dose.value * scale;
      e.amount_nmol = e.amount_mg * units::nmol_per_mg(mw);
    }
    if (!ph.times_day.empty()) {
      for (size_t i = 0; i < ph.times_day.size(); ++i) {
        e.time_day = ph.times_day[i];
        e.interval_day = i + 1 < ph.times_day.size() ? ph.times_day[i + 1] - ph.times_day[i] : 0.0;
        events.push_back(e);
      }
      next_start = ph.times_day.back();
      continue;
    }
    const double start = ph.has_start ? ph.start_day : next_start;
    for (int i = 0; i < ph.doses; ++i) {
      e.time_day = start + i * ph.every_day;
      e.interval_day = ph.every_day;
      events.push_back(e);
    }
    next_start = start + ph.doses * ph.every_day;
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const DoseEvent& a, const DoseEvent& b) { return a.time_day < b.time_day; });
  return events;
}

}  // namespace icsim
