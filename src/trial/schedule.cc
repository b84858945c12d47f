#include "trial/schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "icsim/error.h"
#include "icsim/units.h"

namespace icsim {

double DoseFeed::PhaseCursor::interval(long k) const {
  if (times.empty()) return every;
  return k + 1 < static_cast<long>(times.size()) ? times[k + 1] - times[k] : 0.0;
}

DoseFeed::DoseFeed(const Regimen& r, const Covariates& c, double mw) {
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
    PhaseCursor p;
    p.dose.duration_day = ph.infusion_day < kShortestInfusionDay ? 0.0 : ph.infusion_day;
    p.dose.of = ph.of;
    // A dose of something else is in its own molecular weight; in nmol when that is not known.
    const double weight = ph.of.empty() ? mw : ph.molecular_weight;
    if (ph.dose.basis == DoseBasis::kAmount) {
      p.dose.amount_nmol = ph.dose.value;
      p.dose.amount_mg = weight > 0 ? ph.dose.value / units::nmol_per_mg(weight) : 0.0;
    } else {
      p.dose.amount_mg = ph.dose.value * scale;
      p.dose.amount_nmol = p.dose.amount_mg * units::nmol_per_mg(weight);
    }
    if (!ph.times_day.empty()) {
      p.times = ph.times_day;
      p.count = static_cast<long>(p.times.size());
      next_start = ph.times_day.back();
    } else {
      p.start = ph.has_start ? ph.start_day : next_start;
      p.every = ph.every_day;
      p.count = ph.doses;
      next_start = p.start + ph.doses * ph.every_day;
    }
    phases_.push_back(std::move(p));
  }
  rewind();
}

void DoseFeed::rewind() {
  for (auto& p : phases_) p.next = 0;
  advance();
}

void DoseFeed::advance() {
  // The earliest next dose over the phases; equal times go in phase order.
  next_phase_ = -1;
  double best = 0.0;
  for (size_t i = 0; i < phases_.size(); ++i) {
    const PhaseCursor& p = phases_[i];
    if (p.next >= p.count) continue;
    const double t = p.time(p.next);
    if (next_phase_ < 0 || t < best) {
      best = t;
      next_phase_ = static_cast<int>(i);
    }
  }
  if (next_phase_ < 0) return;
  const PhaseCursor& p = phases_[next_phase_];
  current_ = p.dose;
  current_.time_day = best;
  current_.interval_day = p.interval(p.next);
}

void DoseFeed::pop() {
  if (next_phase_ < 0) throw std::logic_error("DoseFeed::pop on an empty feed");
  ++phases_[next_phase_].next;
  advance();
}

std::vector<DoseEvent> expand_regimen(const Regimen& r, const Covariates& c, double mw) {
  std::vector<DoseEvent> events;
  for (DoseFeed feed(r, c, mw); !feed.empty(); feed.pop()) events.push_back(feed.peek());
  return events;
}

void Schedule::reset() {
  feed_.rewind();
  running_.clear();
  visits_.clear();
  next_visit_ = 0;
  history_.clear();
  held_ = stopped_ = false;
  factor_ = 1.0;
  now_ = 0.0;
}

double Schedule::next_stop(double t) const {
  double next = kNever;
  const double after = t + kEps;
  if (!feed_.empty() && !stopped_ && feed_.peek().time_day > after) next = feed_.peek().time_day;
  for (const DoseEvent& e : running_) {
    const double end = e.time_day + e.duration_day;
    if (end > after) next = std::min(next, end);
  }
  for (size_t i = next_visit_; i < visits_.size(); ++i)
    if (visits_[i] > after) {
      next = std::min(next, visits_[i]);
      break;
    }
  return next;
}

const DoseEvent* Schedule::next_dose_due(double t) {
  if (stopped_ || feed_.empty() || feed_.peek().time_day > t + kEps) return nullptr;
  due_ = feed_.peek();
  if (factor_ != 1.0) {
    due_.amount_mg *= factor_;
    due_.amount_nmol *= factor_;
  }
  return &due_;
}

void Schedule::take_dose(bool* given) {
  *given = !held_;
  history_.push_back({due_.time_day, due_.amount_mg, *given});
  if (*given && due_.duration_day > 0) running_.push_back(due_);
  feed_.pop();
}

bool Schedule::infusion_running(double t) const {
  for (const DoseEvent& e : running_)
    if (e.time_day <= t + kEps && e.time_day + e.duration_day > t + kEps) return true;
  return false;
}

void Schedule::set_dose_factor(double f) {
  if (!(f > 0.0) || !std::isfinite(f)) throw std::invalid_argument("a dose factor must be > 0");
  factor_ = f;
}

void Schedule::add_visit(double t) {
  if (!(t > now_ - kEps) || !std::isfinite(t)) throw std::invalid_argument("a visit must not be in the past");
  visits_.insert(std::upper_bound(visits_.begin() + next_visit_, visits_.end(), t), t);
}

}  // namespace icsim
