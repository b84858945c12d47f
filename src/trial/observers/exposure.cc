// Exposure of the analyte per dosing interval, from the doses actually given. An
// interval starts at a stop where a dose was given and ends at the next given dose;
// the last ends one nominal interval later, or at the end of the simulation. Cmax is
// the largest value at stops and integrator steps; Ctrough the left limit at the end;
// AUC the integral state, exact to the tolerance; Cavg = AUC / length. An interval
// the end of the simulation cuts short of its nominal length is marked truncated
// and has no trough.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

enum Column { kStart, kEnd, kDose, kCmax, kTmax, kCtrough, kAuc, kCavg, kTruncated, kColumns };

class Exposure final : public TableObserver {
 public:
  Exposure(int analyte, int auc_state, double mw) : analyte_(analyte), auc_(auc_state), scale_(mw * 1e-6) {}

  void describe(CohortInfo& info) override {
    declare_table(info, {"intervals",
                         {"start_day", "end_day", "dose_mg", "cmax_ug_per_mL", "tmax_day", "ctrough_ug_per_mL",
                          "auc_ug_day_per_mL", "cavg_ug_per_mL", "truncated"},
                         false,
                         "interval",
                         {},
                         false,
                         "",
                         {}});
    info.statistics.push_back({"first_interval",
                               "first dosing interval",
                               "intervals",
                               0,
                               {{"Cmax", "cmax_ug_per_mL", "ug/mL"},
                                {"Cavg", "cavg_ug_per_mL", "ug/mL"},
                                {"Ctrough", "ctrough_ug_per_mL", "ug/mL"}}});
    // Every interval, so steady state can be read.
    info.statistics.push_back({"intervals",
                               "",
                               "intervals",
                               CohortStatistic::kEveryRow,
                               {{"start", "start_day", "day"},
                                {"Cmax", "cmax_ug_per_mL", "ug/mL"},
                                {"Cavg", "cavg_ug_per_mL", "ug/mL"},
                                {"Ctrough", "ctrough_ug_per_mL", "ug/mL"},
                                {"AUC", "auc_ug_day_per_mL", "ug*day/mL"}}});
  }

  void begin(const PatientView&, PatientRecord& r) override {
    table_ = &start_table(r);
    open_ = pending_ = false;
  }

  void before_events(const PatientView& v) override {
    if (!open_ || std::abs(v.time() - row_[kEnd]) > kEps) return;
    // Left limit at the end, before any dose there.
    closing_ = row_;
    closing_[kCtrough] = row_[kTruncated] > 0 ? std::numeric_limits<double>::quiet_NaN() : v.output(analyte_);
    closing_[kAuc] = (v.state()[auc_] - auc_at_start_) * scale_;
    closing_[kCavg] = closing_[kAuc] / (closing_[kEnd] - closing_[kStart]);
    pending_ = true;
  }

  void after_events(const PatientView& v, const StopEvents& e) override {
    const double tb = v.time();
    if (pending_) {
      pending_ = false;
      if (e.held && tb < v.until() - kEps) {
        // The dose that would have ended the interval was held: it runs on to the next dose given.
        row_[kEnd] = planned_end(v, tb, row_[kStart], nominal_, &row_[kTruncated]);
      } else {
        table_->add_row(closing_.data());
        open_ = false;
      }
    } else if (open_ && e.given->empty()) {
      // A rule may have cancelled the dose the interval was to end at (stop_dosing):
      // it then ends one nominal interval after its start, or now if that has passed.
      double truncated = 0.0;
      const double end = planned_end(v, tb, row_[kStart], nominal_, &truncated);
      if (end < row_[kEnd] - kEps) {
        row_[kEnd] = std::max(end, tb);
        row_[kTruncated] = truncated;
        if (row_[kEnd] <= tb + kEps) close_now(v);
      }
    }
    if (!e.given->empty() && tb < v.until() - kEps) {
      if (open_) close_now(v);  // a dose before the planned end (a rule added one)
      row_.fill(0.0);
      row_[kStart] = tb;
      for (const DoseEvent& d : *e.given) row_[kDose] += d.amount_mg;
      nominal_ = 0.0;
      for (const DoseEvent& d : *e.given)
        if (d.interval_day > 0) nominal_ = d.interval_day;
      row_[kEnd] = planned_end(v, tb, tb, nominal_, &row_[kTruncated]);
      row_[kCmax] = -1.0;
      auc_at_start_ = v.state()[auc_];
      open_ = true;
    }
    observe(v);
  }

  double next_stop(double t) const override { return open_ && row_[kEnd] > t + kEps ? row_[kEnd] : kNever; }

  void after_step(const StepView& v) override { observe(v); }

 private:
  static constexpr double kEps = Schedule::kEps, kNever = Schedule::kNever;

  // The next planned dose if it comes before the end of the simulation; else one
  // nominal interval after the start, or the end of the simulation.
  // Marks it truncated when the end of the simulation comes first.
  static double planned_end(const PatientView& v, double t, double start, double nominal, double* truncated) {
    const double until = v.until();
    const double next = v.next_planned_dose();
    *truncated = 0.0;
    if (next > t + kEps && next < until - kEps) return next;
    double end = until;
    if (nominal > 0) {
      end = std::min(until, start + nominal);
      if (start + nominal > until + kEps) *truncated = 1.0;
    }
    return end > t + kEps ? end : until;
  }

  void close_now(const PatientView& v) {
    row_[kEnd] = v.time();
    row_[kTruncated] = 0.0;
    row_[kCtrough] = v.output(analyte_);
    row_[kAuc] = (v.state()[auc_] - auc_at_start_) * scale_;
    row_[kCavg] = row_[kAuc] / (row_[kEnd] - row_[kStart]);
    table_->add_row(row_.data());
    open_ = false;
  }

  void observe(const PatientView& v) {
    if (!open_) return;
    const double c = v.output(analyte_);
    if (c > row_[kCmax]) {
      row_[kCmax] = c;
      row_[kTmax] = v.time();
    }
  }

  int analyte_, auc_;
  double scale_;  // nM*day -> ug*day/mL
  Table* table_ = nullptr;
  std::array<double, kColumns> row_{}, closing_{};
  double auc_at_start_ = 0, nominal_ = 0;
  bool open_ = false, pending_ = false;
};

}  // namespace

std::unique_ptr<Observer> make_exposure(const Model&, int analyte_column, int auc_state, double molecular_weight) {
  return std::make_unique<Exposure>(analyte_column, auc_state, molecular_weight);
}


}  // namespace icsim
