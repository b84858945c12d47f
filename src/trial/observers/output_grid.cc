// The output grid: every output column at the grid times. A time that falls on a
// stop is written there, after the doses of that stop; the others are read from the
// integrator's dense output within a step.
#include <cmath>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

class OutputGrid final : public Observer {
 public:
  OutputGrid(const Model& m, std::vector<double> times)
      : times_(std::move(times)), columns_(static_cast<int>(m.outputs().size())), tmp_(m.size()) {}

  void begin(const PatientView&, PatientRecord& r) override {
    r_ = &r;
    next_ = 0;
    r.series.assign(times_.size() * columns_, 0.0);
  }

  void at_stop(const PatientView& v, double segment_end, bool last) override {
    const double tb = v.time();
    while (next_ < times_.size() && times_[next_] <= tb + kEps && (last || times_[next_] < segment_end - kEps)) write(v);
  }

  void after_step(const StepView& v) override {
    const double t = v.time(), t_prev = v.previous_time(), t_end = v.segment_end();
    while (next_ < times_.size() && times_[next_] > t_prev + kEps && times_[next_] < t_end - kEps &&
           times_[next_] <= t + kEps) {
      if (std::abs(times_[next_] - t) <= kEps) {
        write(v);
      } else {
        v.interpolate(times_[next_], tmp_.data());
        write(v.at(times_[next_], tmp_.data()));
      }
    }
  }

  void end(const PatientView&, PatientRecord& r) override { r.series.resize(next_ * columns_); }

 private:
  static constexpr double kEps = Schedule::kEps;
  void write(const PatientView& v) {
    v.outputs(&r_->series[next_ * columns_]);
    ++next_;
  }
  std::vector<double> times_;
  int columns_;
  std::vector<double> tmp_;
  PatientRecord* r_ = nullptr;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<Observer> make_output_grid(const Model& m, const std::vector<double>& times) {
  return std::make_unique<OutputGrid>(m, times);
}

}  // namespace icsim
