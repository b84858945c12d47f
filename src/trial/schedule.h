// A patient's schedule: a time-ordered queue of what interrupts the integration
// (dose starts, infusion ends, visits), fed lazily by the regimen and edited while
// the patient runs (hold, dose level, stop, add a visit). The solver integrates from
// one stop to the next and restarts at each (src/trial/simulate_patient.cc).
#pragma once

#include <limits>
#include <vector>

#include "trial/regimen.h"

namespace icsim {

// A regimen's doses one at a time, in time order (equal times: phase order), so a
// schedule never holds more than the next dose of each phase.
class DoseFeed {
 public:
  // Throws InputError when a dose per weight or BSA lacks the covariate.
  DoseFeed(const Regimen& r, const Covariates& c, double molecular_weight);
  bool empty() const { return next_phase_ < 0; }
  const DoseEvent& peek() const { return current_; }
  void pop();
  void clear() { next_phase_ = -1; }
  // Back to the first dose.
  void rewind();

 private:
  struct PhaseCursor {
    DoseEvent dose;  // amount and duration; time set per dose
    std::vector<double> times;  // explicit times, or empty
    double start = 0, every = 0;
    long count = 0, next = 0;
    double time(long k) const { return times.empty() ? start + k * every : times[k]; }
    double interval(long k) const;
  };
  void advance();
  std::vector<PhaseCursor> phases_;
  DoseEvent current_;
  int next_phase_ = -1;
};

// A dose as the patient received it (or did not: held or stopped by a rule).
struct DoseRecord {
  double time_day = 0, amount_mg = 0;
  bool given = true;
};

// What a protocol rule may change in the patient's future.
class ScheduleEditor {
 public:
  virtual ~ScheduleEditor() = default;
  virtual double now() const = 0;
  // Doses falling due while held are not given (recorded as not given).
  virtual void hold() = 0;
  virtual void resume() = 0;
  virtual bool held() const = 0;
  // Every later dose is this fraction of the regimen's dose (1: as planned).
  virtual void set_dose_factor(double factor) = 0;
  virtual double dose_factor() const = 0;
  // No further dose.
  virtual void stop_dosing() = 0;
  // A visit at time t (day, > now): rules are called there.
  virtual void add_visit(double t) = 0;
};

class Schedule final : public ScheduleEditor {
 public:
  static constexpr double kEps = 1e-9;  // times closer than this (day) are one time
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  Schedule(DoseFeed feed, double until_day)
      : feed_(std::move(feed)), until_(until_day), first_dose_(feed_.empty() ? 0.0 : feed_.peek().time_day) {}
  // Back to the start, for a new solve of the same patient.
  void reset();
  // Time of the first dose of the regimen (0 without doses), wherever the feed is.
  double first_dose_time() const { return first_dose_; }

  // The next time after t that stops the integration, or kNever.
  double next_stop(double t) const;
  // Rates of the infusions that end at t (within kEps), removed from the running
  // list; call before doses_due.
  template <class F>
  void end_infusions(double t, F&& on_end);
  bool visit_due(double t) const { return next_visit_ < visits_.size() && visits_[next_visit_] <= t + kEps; }
  void pop_visit() { ++next_visit_; }
  // The next dose due at t, or nullptr; the dose factor is applied.
  const DoseEvent* next_dose_due(double t);
  // Marks that dose given (and running, if an infusion) or not given when held.
  void take_dose(bool* given);
  bool infusion_running(double t) const;
  // The time of the next dose the regimen plans (after those taken), or kNever.
  double next_planned_dose() const { return !feed_.empty() && !stopped_ ? feed_.peek().time_day : kNever; }
  const std::vector<DoseRecord>& history() const { return history_; }

  // ScheduleEditor
  double now() const override { return now_; }
  void set_now(double t) { now_ = t; }
  void hold() override { held_ = true; }
  void resume() override { held_ = false; }
  bool held() const override { return held_; }
  void set_dose_factor(double f) override;
  double dose_factor() const override { return factor_; }
  void stop_dosing() override { stopped_ = true; }
  void add_visit(double t) override;

 private:
  DoseFeed feed_;
  double until_;
  double first_dose_;
  std::vector<DoseEvent> running_;  // infusions in progress, in start order
  std::vector<double> visits_;      // sorted; next_visit_ is the first not yet due
  size_t next_visit_ = 0;
  std::vector<DoseRecord> history_;
  DoseEvent due_;
  bool held_ = false, stopped_ = false;
  double factor_ = 1.0, now_ = 0.0;
};

template <class F>
void Schedule::end_infusions(double t, F&& on_end) {
  size_t kept = 0;
  for (size_t i = 0; i < running_.size(); ++i) {
    const DoseEvent& e = running_[i];
    if (std::abs(e.time_day + e.duration_day - t) <= kEps) on_end(e);
    else running_[kept++] = e;
  }
  running_.resize(kept);
}

}  // namespace icsim
