// Samples relative to each dose given, as a clinical PK protocol takes them: just
// before the dose (the left limit: a trough), at the end of its infusion, and at
// chosen times after its start. Times between stops are read from the integrator's
// dense output, so sampling adds no restart and changes nothing else.
#include <algorithm>
#include <cmath>
#include <limits>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

class DoseSamples final : public TableObserver {
 public:
  DoseSamples(const Model& m, std::vector<DoseSample> samples)
      : samples_(std::move(samples)), outputs_(m.outputs().size()), row_(4 + outputs_), tmp_(m.size()) {
    for (const auto& o : m.outputs()) columns_.push_back(o.column);
  }

  void describe(CohortInfo& info) override {
    // kind: 0 pre-dose, 1 end of infusion, 2 a time after the dose
    std::vector<std::string> columns = {"dose", "kind", "after_dose_day", "time_day"};
    columns.insert(columns.end(), columns_.begin(), columns_.end());
    declare_table(info, {"samples", columns, false, "sample", {}, false, "", {}});
  }

  void begin(const PatientView&, PatientRecord& r) override {
    table_ = &start_table(r);
    pending_.clear();
    doses_ = 0;
  }

  void before_events(const PatientView& v) override {
    // Samples due now, at the left limit (before any dose at this time).
    take_due(v, v.time());
    have_predose_ = false;
    for (const DoseSample& s : samples_)
      if (s.kind == DoseSample::Kind::kPredose) {
        v.outputs(&row_[4]);
        predose_ = row_;
        have_predose_ = true;
        break;
      }
  }

  void after_events(const PatientView& v, const StopEvents& e) override {
    if (e.given->empty()) return;
    const double t = v.time();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const DoseSample& s : samples_) {
      switch (s.kind) {
        case DoseSample::Kind::kPredose:
          if (have_predose_) {
            predose_[0] = static_cast<double>(doses_);
            predose_[1] = 0;
            predose_[2] = nan;
            predose_[3] = t;
            table_->add_row(predose_.data());
          }
          break;
        case DoseSample::Kind::kEndOfInfusion: {
          double end = t;
          for (const DoseEvent& d : *e.given) end = std::max(end, t + d.duration_day);
          pending_.push_back({end, doses_, 1, end - t});
          break;
        }
        case DoseSample::Kind::kAfter:
          pending_.push_back({t + s.after_day, doses_, 2, s.after_day});
          break;
      }
    }
    std::sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) { return a.time < b.time; });
    ++doses_;
    take_due(v, t);  // the end of a bolus is now, after the dose
  }

  void after_step(const StepView& v) override {
    // Strictly inside the step; a sample at the step's end is taken at the next stop
    // or step, from the state there.
    while (!pending_.empty() && pending_.front().time < v.time() - Schedule::kEps &&
           pending_.front().time > v.previous_time()) {
      v.interpolate(pending_.front().time, tmp_.data());
      take(v.at(pending_.front().time, tmp_.data()));
    }
    if (!pending_.empty() && std::abs(pending_.front().time - v.time()) <= Schedule::kEps &&
        v.time() < v.segment_end() - Schedule::kEps)
      take_due(v, v.time());
  }

  void end(const PatientView& v, PatientRecord&) override { take_due(v, v.until()); }

 private:
  struct Pending {
    double time;
    long dose;
    int kind;
    double after;
  };
  void take_due(const PatientView& v, double t) {
    while (!pending_.empty() && pending_.front().time <= t + Schedule::kEps) take(v);
  }
  void take(const PatientView& v) {
    const Pending p = pending_.front();
    pending_.erase(pending_.begin());
    if (p.time > v.until() + Schedule::kEps) return;
    row_[0] = static_cast<double>(p.dose);
    row_[1] = p.kind;
    row_[2] = p.after;
    row_[3] = p.time;
    v.outputs(&row_[4]);
    table_->add_row(row_.data());
  }

  std::vector<DoseSample> samples_;
  size_t outputs_;
  std::vector<std::string> columns_;
  std::vector<double> row_, predose_, tmp_;
  Table* table_ = nullptr;
  std::vector<Pending> pending_;
  long doses_ = 0;
  bool have_predose_ = false;
};

}  // namespace

std::unique_ptr<Observer> make_dose_samples(const Model& m, const std::vector<DoseSample>& samples) {
  return std::make_unique<DoseSamples>(m, samples);
}

}  // namespace icsim
