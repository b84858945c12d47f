// Exposure of the analyte over windows the user chooses (e.g. a cycle at steady
// state): AUC from the integral state at the window's ends, where the integration
// stops, so it is exact to the tolerance; Cavg = AUC / length; Cmax and Cmin over
// the stops and integrator steps inside. A window that ends at a dose takes the
// state just before it; one that starts at a dose, the state just after it.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "pk/conjugate.h"
#include "pk/exposure/exposure.h"
#include "trial/observers/observers.h"

namespace icsim {

namespace {

enum Column { kFrom, kTo, kAuc, kCavg, kCmax, kCmin, kColumns };

class Windows final : public TableObserver {
 public:
  Windows(const Model& m, std::vector<ExposureWindow> windows, double mw)
      : windows_(std::move(windows)),
        analyte_(m.output(names::kAnalyte)),
        auc_(m.state(kExposureState)),
        scale_(mw * 1e-6) {}

  void describe(CohortInfo& info) override {
    declare_table(info, {"windows",
                         {"from_day", "to_day", "auc_ug_day_per_mL", "cavg_ug_per_mL", "cmax_ug_per_mL",
                          "cmin_ug_per_mL"},
                         false,
                         "window",
                         {},
                         false,
                         "",
                         {}});
    info.statistics.push_back({"windows",
                               "",
                               "windows",
                               CohortStatistic::kEveryRow,
                               {{"AUC", "auc_ug_day_per_mL", "ug*day/mL"},
                                {"Cavg", "cavg_ug_per_mL", "ug/mL"},
                                {"Cmax", "cmax_ug_per_mL", "ug/mL"},
                                {"Cmin", "cmin_ug_per_mL", "ug/mL"}}});
  }

  void begin(const PatientView&, PatientRecord& r) override {
    table_ = &start_table(r);
    rows_.assign(windows_.size(), {});
    for (size_t w = 0; w < windows_.size(); ++w) {  // a window the run never reaches stays empty
      rows_[w].fill(std::numeric_limits<double>::quiet_NaN());
      rows_[w][kFrom] = windows_[w].from_day;
      rows_[w][kTo] = windows_[w].to_day;
    }
    open_.assign(windows_.size(), false);
    done_.assign(windows_.size(), false);
  }

  void before_events(const PatientView& v) override {
    const double t = v.time();
    for (size_t w = 0; w < windows_.size(); ++w)
      if (open_[w] && std::abs(t - windows_[w].to_day) <= Schedule::kEps) close(v, w);
  }

  void after_events(const PatientView& v, const StopEvents&) override {
    const double t = v.time();
    for (size_t w = 0; w < windows_.size(); ++w) {
      if (!open_[w] && !done_[w] && std::abs(t - windows_[w].from_day) <= Schedule::kEps) {
        auto& row = rows_[w];
        row[kCmax] = -std::numeric_limits<double>::infinity();
        row[kCmin] = std::numeric_limits<double>::infinity();
        row[kAuc] = v.state()[auc_];  // the integral at the start, for now
        open_[w] = true;
      }
    }
    observe(v);
  }

  double next_stop(double t) const override {
    double next = std::numeric_limits<double>::infinity();
    for (const auto& w : windows_) {
      if (w.from_day > t + Schedule::kEps) next = std::min(next, w.from_day);
      if (w.to_day > t + Schedule::kEps) next = std::min(next, w.to_day);
    }
    return next;
  }

  void after_step(const StepView& v) override { observe(v); }

  void end(const PatientView&, PatientRecord&) override {
    for (size_t w = 0; w < windows_.size(); ++w) table_->add_row(rows_[w].data());
  }

 private:
  void observe(const PatientView& v) {
    bool any = false;
    for (size_t w = 0; w < windows_.size(); ++w) any = any || open_[w];
    if (!any) return;
    const double c = v.output(analyte_);
    for (size_t w = 0; w < windows_.size(); ++w)
      if (open_[w]) {
        rows_[w][kCmax] = std::max(rows_[w][kCmax], c);
        rows_[w][kCmin] = std::min(rows_[w][kCmin], c);
      }
  }

  void close(const PatientView& v, size_t w) {
    const double c = v.output(analyte_);
    auto& row = rows_[w];
    row[kCmax] = std::max(row[kCmax], c);
    row[kCmin] = std::min(row[kCmin], c);
    row[kAuc] = (v.state()[auc_] - row[kAuc]) * scale_;
    row[kCavg] = row[kAuc] / (row[kTo] - row[kFrom]);
    open_[w] = false;
    done_[w] = true;
  }

  std::vector<ExposureWindow> windows_;
  int analyte_, auc_;
  double scale_;
  Table* table_ = nullptr;
  std::vector<std::array<double, kColumns>> rows_;
  std::vector<bool> open_, done_;
};

}  // namespace

std::unique_ptr<Observer> make_windows(const Model& m, const std::vector<ExposureWindow>& windows,
                                       double molecular_weight) {
  return std::make_unique<Windows>(m, windows, molecular_weight);
}

}  // namespace icsim
