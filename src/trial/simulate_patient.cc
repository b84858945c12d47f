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

PatientSimulator::PatientSimulator(const BuiltModel& m, const SolverOptions& o,
                                   std::vector<std::unique_ptr<Observer>> observers)
    : m_(m),
      options_(o),
      observers_(std::move(observers)),
      y_(m.model->size()),
      q_(std::max(1, m.model->quantity_count())),
      in_(m.model->size()) {
  // The automatic choice lets the explicit method give up as soon as it finds the
  // problem stiff, instead of grinding through it.
  options_.detect_stiffness = o.kind == SolverKind::kAuto;
  ode_ = std::make_unique<Ode>(*m.model, q_.data(), in_.data());
  rhs_ = ode_.get();
  if (o.fused_kernels && LinearDispositionKernel::applies(m)) {
    kernel_ = std::make_unique<LinearDispositionKernel>(m, in_.data());
    rhs_ = kernel_.get();
  }
  CohortInfo scratch;  // fixes each observer's table index
  describe(scratch);
  tables_ = scratch.tables.size();
}

PatientSimulator::~PatientSimulator() = default;

void PatientSimulator::describe(CohortInfo& info) {
  for (auto& o : observers_) o->describe(info);
}

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

void PatientSimulator::run(const double* p, Schedule& schedule, const Protocol& protocol, double until,
                           RandomStream& rng, PatientRecord& r) {
  const Model& model = *m_.model;
  p_.assign(p, p + m_.individual_params);
  p_.resize(model.param_count());
  if (m_.first_dose_param >= 0) p_[m_.first_dose_param] = schedule.first_dose_time();
  model.prepare(p_.data());
  ode_->set_params(p_.data());
  if (kernel_) kernel_->set_params(p_.data());
  SolverKind kind = options_.kind;
  const bool automatic = kind == SolverKind::kAuto;
  if (automatic) kind = model.fastest_rate(p_.data()) > kStiffRate ? SolverKind::kCvode : SolverKind::kExplicit;
  // A second solve starts from the same random state, so a rule draws the same.
  const RandomStream rng_at_start = rng;
  // The record may hold another patient's (a worker reuses it): nothing stale on failure.
  r.solver = "";
  r.solver_fallback = false;
  r.rhs_evaluations = r.steps = r.rejected_steps = r.jacobian_evaluations = 0;
  try {
    solve(stepper(kind), schedule, protocol, until, rng, r);
  } catch (const SolverError&) {
    if (!automatic || kind == SolverKind::kCvode) throw;
    // Stiffer than it looked: found stiff during the integration, or over budget.
    const SolverWork wasted = explicit_->work() - work_at_start_;
    rng = rng_at_start;
    solve(stepper(SolverKind::kCvode), schedule, protocol, until, rng, r);
    r.rhs_evaluations += wasted.rhs_evaluations;
    r.steps += wasted.steps;
    r.rejected_steps += wasted.rejected_steps;
    r.solver_fallback = true;
  }
}

void PatientSimulator::solve(Stepper& stepper, Schedule& schedule, const Protocol& protocol, double until,
                             RandomStream& rng, PatientRecord& r) {
  constexpr double eps = Schedule::kEps;
  const Model& model = *m_.model;
  const int n = model.size();
  const SolverWork before = stepper.work();
  work_at_start_ = before;
  stepper.forget();
  model.initialise(p_.data(), y_.data());
  std::fill(in_.begin(), in_.end(), 0.0);
  schedule.reset();
  rules_.clear();
  for (const auto& rule : protocol.rules) rules_.push_back(rule->fresh());
  for (auto& rule : rules_) rule->start(schedule);

  PatientView view;
  view.until_ = until;
  view.y_ = y_.data();
  view.p_ = p_.data();
  view.model_ = &model;
  view.ctx_ = &ode_->context();
  view.schedule_ = &schedule;
  view.rng_ = &rng;
  StepView step;
  static_cast<PatientView&>(step) = view;
  step.stepper_ = &stepper;
  r.tables.resize(tables_);  // before any observer keeps a pointer into it
  for (auto& o : observers_) o->begin(view, r);

  double tb = 0.0;
  for (;;) {
    view.t_ = tb;
    schedule.set_now(tb);
    for (auto& o : observers_) o->before_events(view);
    // Infusions that end, then rules at visits, then doses.
    schedule.end_infusions(tb, [&](const DoseEvent& e) {
      for (const auto& [state, fraction] : model.dose_targets(e.of))
        in_[state] -= e.amount_nmol * fraction / e.duration_day;
    });
    while (schedule.visit_due(tb)) {
      schedule.pop_visit();
      for (auto& rule : rules_) rule->visit(view, schedule);
    }
    given_.clear();
    StopEvents events{&given_, false};
    while (const DoseEvent* due = schedule.next_dose_due(tb)) {
      const DoseEvent e = *due;
      bool given = false;
      schedule.take_dose(&given);
      if (!given) {
        events.held = true;
        continue;
      }
      // Observers follow the agent's doses (dosing intervals, samples after a dose);
      // what else the regimen gives (`of:`) only enters the state.
      if (e.of.empty()) given_.push_back(e);
      for (const auto& [state, fraction] : model.dose_targets(e.of)) {
        if (e.duration_day > 0) in_[state] += e.amount_nmol * fraction / e.duration_day;
        else y_[state] += e.amount_nmol * fraction;
      }
    }
    // Rates cancel exactly when no infusion runs; clear round-off.
    if (!schedule.infusion_running(tb)) std::fill(in_.begin(), in_.end(), 0.0);
    for (auto& o : observers_) o->after_events(view, events);

    double t_end = schedule.next_stop(tb);
    for (auto& o : observers_) t_end = std::min(t_end, o->next_stop(tb));
    const bool last = !(until > tb + eps);
    if (!last) t_end = std::min(t_end, until);
    for (auto& o : observers_) o->at_stop(view, t_end, last);
    if (last) break;

    // Integrate to the next stop.
    stepper.restart(tb, y_.data());
    step.t_end_ = t_end;
    double t = tb;
    while (t < t_end) {
      step.t_prev_ = t;
      t = stepper.step(t_end);
      step.t_ = t;
      step.y_ = stepper.state();
      for (auto& o : observers_) o->after_step(step);
    }
    std::copy(stepper.state(), stepper.state() + n, y_.begin());
    tb = t_end;
  }
  for (auto& o : observers_) o->end(view, r);
  const SolverWork done = stepper.work() - before;
  r.rhs_evaluations = done.rhs_evaluations;
  r.steps = done.steps;
  r.rejected_steps = done.rejected_steps;
  r.jacobian_evaluations = done.jacobian_evaluations;
  r.solver = stepper.name();
}

}  // namespace icsim
