#include "trial/simulate_patient.h"

#include <algorithm>
#include <cmath>

#include "icsim/error.h"
#include "pk/linear_kernel.h"

namespace icsim {

class alignas(kCacheLine) PatientSimulator::Ode final : public OdeRhs {
 public:
  Ode(const Model& m, double* q, const double* in) : m_(m) {
    c_.q = q;
    c_.in = in;
  }
  void set_params(const double* p) { c_.p = p; }
  void eval(double t, const double* y, double* dy) override {
    c_.t = t;
    c_.y = y;
    m_.rhs(c_, dy);
  }
  EvalContext& context() { return c_; }

 private:
  const Model& m_;
  EvalContext c_;
};

PatientSimulator::PatientSimulator(const BuiltModel& m, const SolverOptions& o)
    : m_(m),
      y_(m.model->size()),
      tmp_(m.model->size()),
      q_(std::max(1, m.model->quantity_count())),
      in_(m.model->size()),
      options_(o) {
  ode_ = std::make_unique<Ode>(*m.model, q_.data(), in_.data());
  rhs_ = ode_.get();
  if (o.fused_kernels && LinearDispositionKernel::applies(m)) {
    kernel_ = std::make_unique<LinearDispositionKernel>(m, in_.data());
    rhs_ = kernel_.get();
  }
}

PatientSimulator::~PatientSimulator() = default;

Stepper& PatientSimulator::stepper(SolverKind kind) {
  const int n = m_.model->size();
  if (kind == SolverKind::kCvode) {
    if (!bdf_) bdf_ = make_cvode_stepper(n, *rhs_, options_);
    return *bdf_;
  }
  if (!explicit_) explicit_ = make_dopri5_stepper(n, *rhs_, options_);
  return *explicit_;
}

const char* PatientSimulator::solver_for(const double* p, double first_dose_day) {
  if (options_.kind != SolverKind::kAuto) return stepper(options_.kind).name();
  const std::vector<double> prepared = prepare_params(m_, p, first_dose_day);
  const bool stiff = m_.model->fastest_rate(prepared.data()) > kStiffRate;
  return stepper(stiff ? SolverKind::kCvode : SolverKind::kExplicit).name();
}

double PatientSimulator::analyte(double t, const double* y) {
  EvalContext& c = ode_->context();
  c.t = t;
  c.y = y;
  m_.model->derive(c);
  return m_.model->outputs().front().value(c);
}

void PatientSimulator::run(const double* p, const std::vector<DoseEvent>& events, double until,
                           const std::vector<double>& out_times, PatientResult& r) {
  const Model& model = *m_.model;
  p_.assign(p, p + m_.individual_params);
  p_.resize(model.param_count());
  if (m_.first_dose_param >= 0) p_[m_.first_dose_param] = events.empty() ? 0.0 : events.front().time_day;
  model.prepare(p_.data());
  ode_->set_params(p_.data());
  if (kernel_) kernel_->set_params(p_.data());
  SolverKind kind = options_.kind;
  const bool automatic = kind == SolverKind::kAuto;
  if (automatic) kind = model.fastest_rate(p_.data()) > kStiffRate ? SolverKind::kCvode : SolverKind::kExplicit;
  try {
    solve(stepper(kind), events, until, out_times, r);
  } catch (const SolverError&) {
    if (!automatic || kind == SolverKind::kCvode) throw;
    solve(stepper(SolverKind::kCvode), events, until, out_times, r);  // stiffer than it looked
  }
}

void PatientSimulator::solve(Stepper& stepper, const std::vector<DoseEvent>& events, double until,
                             const std::vector<double>& out_times, PatientResult& r) {
  const Model& model = *m_.model;
  const double* p = p_.data();
  const int n = model.size();
  const auto& outputs = model.outputs();
  const int n_out = static_cast<int>(outputs.size());
  const double eps = 1e-9;
  const long evals_before = stepper.rhs_evaluations();
  stepper.forget();
  model.initialise(p, y_.data());
  std::fill(in_.begin(), in_.end(), 0.0);
  r.series.assign(out_times.size() * n_out, 0.0);
  r.intervals.clear();
  const double auc_scale = m_.layout.molecular_weight * 1e-6;  // nM*day -> ug*day/mL

  // Dosing intervals start at each distinct dose time; the last ends one nominal
  // interval later, or at the end of the simulation.
  std::vector<double> starts;
  for (const auto& e : events)
    if (e.time_day < until - eps && (starts.empty() || e.time_day > starts.back() + eps)) starts.push_back(e.time_day);
  std::vector<double> ends(starts.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    double end = until;
    if (i + 1 < starts.size()) end = starts[i + 1];
    else
      for (const auto& e : events)
        if (std::abs(e.time_day - starts[i]) <= eps && e.interval_day > 0) end = std::min(until, starts[i] + e.interval_day);
    ends[i] = end;
  }
  // Breakpoints: dose starts, infusion ends, interval ends, the end.
  std::vector<double> bp = {0.0, until};
  for (const auto& e : events) {
    bp.push_back(e.time_day);
    if (e.duration_day > 0) bp.push_back(e.time_day + e.duration_day);
  }
  bp.insert(bp.end(), ends.begin(), ends.end());
  std::sort(bp.begin(), bp.end());
  bp.erase(std::unique(bp.begin(), bp.end(), [&](double a, double b) { return b - a <= eps; }), bp.end());
  while (!bp.empty() && bp.back() > until + eps) bp.pop_back();

  size_t next_out = 0, next_interval = 0;
  int open = -1;
  double auc_at_start = 0.0;
  IntervalMetrics cur;
  auto write_output = [&](double t, const double* y) {
    EvalContext& c = ode_->context();
    c.t = t;
    c.y = y;
    model.derive(c);
    double* row = &r.series[next_out * n_out];
    for (int k = 0; k < n_out; ++k) row[k] = outputs[k].value(c);
    ++next_out;
  };
  auto observe = [&](double t, const double* y) {
    if (open < 0) return;
    const double conc = analyte(t, y);
    if (conc > cur.cmax) {
      cur.cmax = conc;
      cur.tmax_day = t;
    }
  };

  double t = 0.0;
  for (size_t b = 0; b < bp.size(); ++b) {
    const double tb = bp[b];
    // Close the open interval at its end (left limit: before any dose at tb).
    if (open >= 0 && std::abs(tb - ends[open]) <= eps) {
      cur.ctrough = analyte(tb, y_.data());
      cur.auc = (y_[m_.auc_state] - auc_at_start) * auc_scale;
      cur.cavg = cur.auc / (cur.end_day - cur.start_day);
      r.intervals.push_back(cur);
      open = -1;
    }
    // Events at tb: infusion ends, then bolus doses and infusion starts.
    for (const auto& e : events) {
      if (e.duration_day > 0 && std::abs(e.time_day + e.duration_day - tb) <= eps)
        for (const auto& [state, fraction] : m_.dose_targets) in_[state] -= e.amount_nmol * fraction / e.duration_day;
    }
    double dosed_mg = 0.0;
    for (const auto& e : events) {
      if (std::abs(e.time_day - tb) > eps) continue;
      dosed_mg += e.amount_mg;
      for (const auto& [state, fraction] : m_.dose_targets) {
        if (e.duration_day > 0) in_[state] += e.amount_nmol * fraction / e.duration_day;
        else y_[state] += e.amount_nmol * fraction;
      }
    }
    // Rates cancel exactly when no infusion runs; clear round-off.
    bool any_infusion = false;
    for (const auto& e : events)
      if (e.duration_day > 0 && e.time_day <= tb + eps && e.time_day + e.duration_day > tb + eps) any_infusion = true;
    if (!any_infusion) std::fill(in_.begin(), in_.end(), 0.0);

    if (next_interval < starts.size() && std::abs(starts[next_interval] - tb) <= eps) {
      open = static_cast<int>(next_interval);
      cur = IntervalMetrics{};
      cur.start_day = starts[open];
      cur.end_day = ends[open];
      cur.dose_mg = dosed_mg;
      cur.cmax = -1.0;
      auc_at_start = y_[m_.auc_state];
      ++next_interval;
    }
    observe(tb, y_.data());
    while (next_out < out_times.size() && out_times[next_out] <= tb + eps &&
           (b + 1 == bp.size() || out_times[next_out] < bp[b + 1] - eps))
      write_output(tb, y_.data());
    if (b + 1 == bp.size()) break;

    // Integrate to the next breakpoint.
    const double t_end = bp[b + 1];
    stepper.restart(tb, y_.data());
    t = tb;
    while (t < t_end) {
      const double t_prev = t;
      t = stepper.step(t_end);
      const double* ys = stepper.state();
      while (next_out < out_times.size() && out_times[next_out] > t_prev + eps && out_times[next_out] < t_end - eps &&
             out_times[next_out] <= t + eps) {
        if (std::abs(out_times[next_out] - t) <= eps) {
          write_output(t, ys);
        } else {
          stepper.interpolate(out_times[next_out], tmp_.data());
          write_output(out_times[next_out], tmp_.data());
        }
      }
      observe(t, ys);
    }
    std::copy(stepper.state(), stepper.state() + n, y_.begin());
  }
  r.series.resize(next_out * n_out);
  r.half_life_initial_day = terminal_half_life(m_, p, 0.0);
  r.half_life_final_day = terminal_half_life(m_, p, until);
  r.rhs_evaluations = stepper.rhs_evaluations() - evals_before;
  r.solver = stepper.name();
}

}  // namespace icsim
