// One-step ODE integrators behind one interface: SUNDIALS CVODE (BDF) for stiff
// systems and an explicit Dormand-Prince 5(4) pair for non-stiff ones. The driver
// (src/trial/simulate_patient.cc) restarts the integrator at every discontinuity.
#pragma once

#include <memory>
#include <string>

#include "icsim/error.h"

namespace icsim {

// Thrown by the explicit method when its stiffness test trips (SolverOptions::detect_stiffness).
class StiffnessDetected : public SolverError {
 public:
  explicit StiffnessDetected(double t) : SolverError(t, "the problem is stiff for the explicit method") {}
};

class OdeRhs {
 public:
  virtual ~OdeRhs() = default;
  virtual void eval(double t, const double* y, double* dy) = 0;
};

enum class SolverKind { kAuto, kCvode, kExplicit };
// "auto", "cvode", "explicit": the names scenario files use.
const char* to_string(SolverKind k);
// False when `text` names no solver.
bool solver_kind_from_string(const std::string& text, SolverKind* out);

struct SolverOptions {
  SolverKind kind = SolverKind::kAuto;
  double rtol = 1e-6;   // relative tolerance, in (0, 1)
  double atol = 1e-9;   // absolute tolerance, engine amount units (nmol), > 0
  long max_steps = 500000;  // per segment between discontinuities, >= 1
  bool fused_kernels = true;  // use a fused right-hand side where the model allows
  // Explicit method: stop with StiffnessDetected when the problem turns out stiff
  // (set by the automatic choice, which then solves the patient with BDF).
  bool detect_stiffness = false;
  // True when the options can be used; else `why` says what is wrong.
  bool is_valid(std::string* why) const;
};

// What an integrator did, summed over every segment since it was made (SUNDIALS
// answer files record the same): a deterministic measure of work for tests.
struct SolverWork {
  long steps = 0, rejected_steps = 0, rhs_evaluations = 0, jacobian_evaluations = 0;
  SolverWork operator-(const SolverWork& o) const {
    return {steps - o.steps, rejected_steps - o.rejected_steps, rhs_evaluations - o.rhs_evaluations,
            jacobian_evaluations - o.jacobian_evaluations};
  }
};

class Stepper {
 public:
  virtual ~Stepper() = default;
  // Starts afresh at (t, y): no solution history crosses a discontinuity. An
  // explicit method may keep its last step size as the first guess.
  virtual void restart(double t, const double* y) = 0;
  // Forgets everything from earlier solves, so that each patient's result does not
  // depend on which patients the same thread solved before.
  virtual void forget() {}
  // Takes one step, never past t_stop, and returns the new time. Throws SolverError.
  virtual double step(double t_stop) = 0;
  // State at the current time.
  virtual const double* state() const = 0;
  // State at a time within the last step (dense output).
  virtual void interpolate(double t, double* out) = 0;
  virtual long rhs_evaluations() const = 0;
  virtual SolverWork work() const = 0;
  virtual const char* name() const = 0;
};

std::unique_ptr<Stepper> make_cvode_stepper(int n, OdeRhs& rhs, const SolverOptions& o);
std::unique_ptr<Stepper> make_dopri5_stepper(int n, OdeRhs& rhs, const SolverOptions& o);

}  // namespace icsim
