// A read-only view of one patient while it runs, for observers and protocol rules:
// the time, the state, the parameters, the derived outputs, the doses so far and the
// patient's own random stream.
#pragma once

#include <vector>

#include "core/random.h"
#include "model/model.h"
#include "ode/stepper.h"
#include "trial/schedule.h"

namespace icsim {

class PatientView {
 public:
  double time() const { return t_; }
  const double* state() const { return y_; }
  const double* params() const { return p_; }  // individual then derived (Model::param_count)
  const Model& model() const { return *model_; }
  // Output column k (Model::outputs) at the current time and state.
  double output(int k) const {
    ctx_->t = t_;
    ctx_->y = y_;
    model_->derive(*ctx_);
    return model_->outputs()[k].value(*ctx_);
  }
  // Every output column into row.
  void outputs(double* row) const {
    ctx_->t = t_;
    ctx_->y = y_;
    model_->derive(*ctx_);
    const auto& outs = model_->outputs();
    for (size_t k = 0; k < outs.size(); ++k) row[k] = outs[k].value(*ctx_);
  }
  const std::vector<DoseRecord>& doses() const { return schedule_->history(); }
  // The next dose the regimen plans after the current time (day), or Schedule::kNever.
  double next_planned_dose() const { return schedule_->next_planned_dose(); }
  // The patient's random stream: a rule that draws keeps the cohort reproducible.
  RandomStream& random() const { return *rng_; }
  double until() const { return until_; }
  // The same patient at another time and state (e.g. interpolated within a step).
  PatientView at(double t, const double* y) const {
    PatientView v = *this;
    v.t_ = t;
    v.y_ = y;
    return v;
  }

 private:
  friend class PatientSimulator;
  double t_ = 0, until_ = 0;
  const double* y_ = nullptr;
  const double* p_ = nullptr;
  const Model* model_ = nullptr;
  EvalContext* ctx_ = nullptr;
  const Schedule* schedule_ = nullptr;
  RandomStream* rng_ = nullptr;
};

// The view after one accepted step from t_prev to time(), inside a segment that
// ends at segment_end; the state anywhere within the step is interpolated.
class StepView : public PatientView {
 public:
  double previous_time() const { return t_prev_; }
  double segment_end() const { return t_end_; }
  void interpolate(double t, double* out) const { stepper_->interpolate(t, out); }

 private:
  friend class PatientSimulator;
  double t_prev_ = 0, t_end_ = 0;
  Stepper* stepper_ = nullptr;
};

}  // namespace icsim
