// SUNDIALS CVODE (BDF, Newton iteration, dense direct linear solver with a
// difference-quotient Jacobian; the LU is Eigen's, src/ode/eigen_dense_solver.cc) in
// one-step mode with a hard stop time.
#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "icsim/error.h"
#include "ode/eigen_dense_solver.h"
#include "ode/stepper.h"

namespace icsim {

namespace {

class Cvode final : public Stepper {
 public:
  Cvode(int n, OdeRhs& rhs, const SolverOptions& o) : n_(n), rhs_(rhs), o_(o) {
    if (SUNContext_Create(nullptr, &ctx_) != 0) throw SolverError(0, "cannot create a SUNDIALS context");
    y_ = N_VNew_Serial(n, ctx_);
    dky_ = N_VNew_Serial(n, ctx_);
    N_VConst(0.0, y_);
    mem_ = CVodeCreate(CV_BDF, ctx_);
    CVodeInit(mem_, &Cvode::f, 0.0, y_);
    CVodeSetUserData(mem_, this);
    CVodeSStolerances(mem_, o.rtol, o.atol);
    CVodeSetErrHandlerFn(mem_, &Cvode::on_error, this);
    CVodeSetMaxNumSteps(mem_, o.max_steps);
    A_ = SUNDenseMatrix(n, n, ctx_);
    ls_ = make_eigen_dense_solver(ctx_, n);
    CVodeSetLinearSolver(mem_, ls_, A_);
  }
  ~Cvode() override {
    CVodeFree(&mem_);
    SUNLinSolFree(ls_);
    SUNMatDestroy(A_);
    N_VDestroy(y_);
    N_VDestroy(dky_);
    SUNContext_Free(&ctx_);
  }

  void restart(double t, const double* y) override {
    std::copy(y, y + n_, N_VGetArrayPointer(y_));
    t_ = t;
    steps_ = 0;
    CVodeReInit(mem_, t, y_);
  }

  double step(double t_stop) override {
    if (t_stop <= t_) return t_;
    if (++steps_ > o_.max_steps)
      throw SolverError(t_, fmt::format("more than {} steps in one dosing segment", o_.max_steps));
    CVodeSetStopTime(mem_, t_stop);
    last_error_.clear();
    double t_out = t_;
    const int flag = CVode(mem_, t_stop, y_, &t_out, CV_ONE_STEP);
    if (flag < 0) {
      double t_fail = t_;
      CVodeGetCurrentTime(mem_, &t_fail);
      if (last_error_.empty()) {
        char* flag_name = CVodeGetReturnFlagName(flag);
        last_error_ = flag_name;
        std::free(flag_name);
      }
      throw SolverError(t_fail, last_error_);
    }
    t_ = t_out;
    return t_;
  }

  const double* state() const override { return N_VGetArrayPointer(y_); }

  void interpolate(double t, double* out) override {
    if (CVodeGetDky(mem_, t, 0, dky_) != CV_SUCCESS) throw SolverError(t, "dense output outside the last step");
    std::copy(N_VGetArrayPointer(dky_), N_VGetArrayPointer(dky_) + n_, out);
  }

  // Counted here: CVodeReInit resets CVODE's own counters.
  long rhs_evaluations() const override { return evals_; }
  const char* name() const override { return "cvode-bdf"; }

 private:
  static int f(realtype t, N_Vector y, N_Vector ydot, void* user) {
    auto* self = static_cast<Cvode*>(user);
    ++self->evals_;
    self->rhs_.eval(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    for (int i = 0; i < self->n_; ++i)
      if (!std::isfinite(N_VGetArrayPointer(ydot)[i])) return 1;  // recoverable: CVODE retries smaller
    return 0;
  }
  static void on_error(int, const char*, const char* function, char* msg, void* user) {
    static_cast<Cvode*>(user)->last_error_ = fmt::format("{}: {}", function, msg);
  }

  int n_;
  OdeRhs& rhs_;
  SolverOptions o_;
  SUNContext ctx_ = nullptr;
  N_Vector y_ = nullptr, dky_ = nullptr;
  SUNMatrix A_ = nullptr;
  SUNLinearSolver ls_ = nullptr;
  void* mem_ = nullptr;
  double t_ = 0.0;
  long steps_ = 0, evals_ = 0;
  std::string last_error_;
};

}  // namespace

std::unique_ptr<Stepper> make_cvode_stepper(int n, OdeRhs& rhs, const SolverOptions& o) {
  return std::make_unique<Cvode>(n, rhs, o);
}

}  // namespace icsim
