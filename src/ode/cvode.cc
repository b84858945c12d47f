// SUNDIALS CVODE (BDF, Newton iteration, dense direct linear solver with a
// difference-quotient Jacobian; the LU is Eigen's, src/ode/eigen_dense_solver.cc) in
// one-step mode with a hard stop time.
#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "icsim/error.h"
#include "ode/eigen_dense_solver.h"
#include "ode/stepper.h"

namespace icsim {

namespace {

// Owners of the SUNDIALS handles, so that a constructor failing part-way frees what
// it made.
struct FreeContext {
  void operator()(SUNContext c) const noexcept { SUNContext_Free(&c); }
};
struct FreeVector {
  void operator()(N_Vector v) const noexcept { N_VDestroy(v); }
};
struct FreeMatrix {
  void operator()(SUNMatrix a) const noexcept { SUNMatDestroy(a); }
};
struct FreeSolver {
  void operator()(SUNLinearSolver s) const noexcept { SUNLinSolFree(s); }
};
struct FreeCvode {
  void operator()(void* mem) const noexcept { CVodeFree(&mem); }
};
template <class Handle, class Free>
using Owned = std::unique_ptr<std::remove_pointer_t<Handle>, Free>;

using FlagNamer = char* (*)(long int);

// CVODE names its flags in strings it mallocs; nullptr: a function with no names.
std::string flag_name(int flag, FlagNamer namer) {
  struct FreeC {
    void operator()(char* p) const noexcept { std::free(p); }
  };
  const std::unique_ptr<char, FreeC> name(namer ? namer(flag) : nullptr);
  return name ? std::string(name.get()) : fmt::format("flag {}", flag);
}

// At construction a failure is a programming or environment error, not a patient's
// integration failing: std::runtime_error, which the cohort does not catch.
void check_setup(int flag, const char* function, FlagNamer namer = CVodeGetReturnFlagName) {
  if (flag != 0) throw std::runtime_error(fmt::format("{} failed: {}", function, flag_name(flag, namer)));
}

template <class P>
P check_alloc(P p, const char* function) {
  if (!p) throw std::runtime_error(fmt::format("{} failed: returned NULL", function));
  return p;
}

// While integrating, the patient at time t fails.
void check_flag(int flag, const char* function, double t) {
  if (flag != CV_SUCCESS)
    throw SolverError(t, fmt::format("{} failed: {}", function, flag_name(flag, CVodeGetReturnFlagName)));
}

constexpr double kNewtonTolerance = 0.01;

class Cvode final : public Stepper {
 public:
  Cvode(int n, OdeRhs& rhs, const SolverOptions& o) : n_(n), rhs_(rhs), o_(o) {
    SUNContext ctx = nullptr;
    check_setup(SUNContext_Create(nullptr, &ctx), "SUNContext_Create", nullptr);
    ctx_.reset(ctx);
    y_.reset(check_alloc(N_VNew_Serial(n, ctx_.get()), "N_VNew_Serial"));
    dky_.reset(check_alloc(N_VNew_Serial(n, ctx_.get()), "N_VNew_Serial"));
    N_VConst(0.0, y_.get());
    mem_.reset(check_alloc(CVodeCreate(CV_BDF, ctx_.get()), "CVodeCreate"));
    void* mem = mem_.get();
    check_setup(CVodeInit(mem, &Cvode::f, 0.0, y_.get()), "CVodeInit");
    check_setup(CVodeSetUserData(mem, this), "CVodeSetUserData");
    check_setup(CVodeSStolerances(mem, o.rtol, o.atol), "CVodeSStolerances");
    check_setup(CVodeSetErrHandlerFn(mem, &Cvode::on_error, this), "CVodeSetErrHandlerFn");
    check_setup(CVodeSetMaxNumSteps(mem, o.max_steps), "CVodeSetMaxNumSteps");
    A_.reset(check_alloc(SUNDenseMatrix(n, n, ctx_.get()), "SUNDenseMatrix"));
    ls_.reset(check_alloc(make_eigen_dense_solver(ctx_.get(), n), "make_eigen_dense_solver"));
    check_setup(CVodeSetLinearSolver(mem, ls_.get(), A_.get()), "CVodeSetLinearSolver", CVodeGetLinReturnFlagName);
    // Newton stops when its correction is below kNewtonTolerance of the error test's
    // tolerance (CVODE's default is 0.1). What Newton leaves unconverged enters the
    // local error estimate. With binding in the model, it lands on the small free
    // receptor and forces steps the solution does not need. At 0.01 the disease model
    // ran 1.45x faster, the 33-state ADC 1.34x and a user's TMDD ADC 1.19x
    // (bench/README.md). Linear PK on BDF ran 7 % slower; the automatic choice sends
    // that to the explicit method anyway.
    check_setup(CVodeSetNonlinConvCoef(mem, kNewtonTolerance), "CVodeSetNonlinConvCoef");
  }

  void restart(double t, const double* y) override {
    std::copy(y, y + n_, N_VGetArrayPointer(y_.get()));
    t_ = t;
    steps_ = 0;
    done_ = work();  // CVodeReInit resets CVODE's counters
    check_flag(CVodeReInit(mem_.get(), t, y_.get()), "CVodeReInit", t);
  }

  double step(double t_stop) override {
    if (t_stop <= t_) return t_;
    if (++steps_ > o_.max_steps)
      throw SolverError(t_, fmt::format("more than {} steps in one dosing segment", o_.max_steps));
    check_flag(CVodeSetStopTime(mem_.get(), t_stop), "CVodeSetStopTime", t_);
    last_error_.clear();
    rhs_error_ = nullptr;
    double t_out = t_;
    const int flag = CVode(mem_.get(), t_stop, y_.get(), &t_out, CV_ONE_STEP);
    // The right-hand side's own exception, caught in f, says more than CV_RHSFUNC_FAIL.
    if (rhs_error_) std::rethrow_exception(std::exchange(rhs_error_, nullptr));
    if (flag < 0) {
      double t_fail = t_;
      // Failing to read the time must not hide the CVode failure: keep the last good time.
      if (CVodeGetCurrentTime(mem_.get(), &t_fail) != CV_SUCCESS) t_fail = t_;
      if (last_error_.empty()) last_error_ = flag_name(flag, CVodeGetReturnFlagName);
      throw SolverError(t_fail, last_error_);
    }
    t_ = t_out;
    return t_;
  }

  const double* state() const override { return N_VGetArrayPointer(y_.get()); }

  void interpolate(double t, double* out) override {
    check_flag(CVodeGetDky(mem_.get(), t, 0, dky_.get()), "CVodeGetDky", t);
    std::copy(N_VGetArrayPointer(dky_.get()), N_VGetArrayPointer(dky_.get()) + n_, out);
  }

  // Counted here: CVodeReInit resets CVODE's own counters.
  long rhs_evaluations() const override { return evals_; }
  // Segments finished (done_) plus CVODE's counters for the current one.
  SolverWork work() const override {
    long steps = 0, test_fails = 0, conv_fails = 0, jacobians = 0;
    void* mem = mem_.get();
    if (CVodeGetNumSteps(mem, &steps) != CV_SUCCESS || CVodeGetNumErrTestFails(mem, &test_fails) != CV_SUCCESS ||
        CVodeGetNumNonlinSolvConvFails(mem, &conv_fails) != CV_SUCCESS ||
        CVodeGetNumJacEvals(mem, &jacobians) != CVLS_SUCCESS)
      return {done_.steps, done_.rejected_steps, evals_, done_.jacobian_evaluations};
    return {done_.steps + steps, done_.rejected_steps + test_fails + conv_fails, evals_,
            done_.jacobian_evaluations + jacobians};
  }
  const char* name() const override { return "cvode-bdf"; }

 private:
  // Called from CVODE's C frames, which an exception must not unwind: keep it for
  // step() and stop CVODE.
  static int f(realtype t, N_Vector y, N_Vector ydot, void* user) noexcept {
    auto* self = static_cast<Cvode*>(user);
    ++self->evals_;
    try {
      self->rhs_.eval(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
    } catch (...) {
      self->rhs_error_ = std::current_exception();
      return -1;  // unrecoverable: CVode returns CV_RHSFUNC_FAIL
    }
    for (int i = 0; i < self->n_; ++i)
      if (!std::isfinite(N_VGetArrayPointer(ydot)[i])) return 1;  // recoverable: CVODE retries smaller
    return 0;
  }
  static void on_error(int, const char*, const char* function, char* msg, void* user) noexcept {
    auto* self = static_cast<Cvode*>(user);
    try {
      self->last_error_ = fmt::format("{}: {}", function, msg);
    } catch (...) {
      // Out of memory: step() falls back to the flag's name.
      self->last_error_.clear();
    }
  }

  int n_;
  OdeRhs& rhs_;
  SolverOptions o_;
  // Destroyed bottom-up: the CVODE memory first, the context everything uses last.
  Owned<SUNContext, FreeContext> ctx_;
  Owned<N_Vector, FreeVector> dky_;
  Owned<N_Vector, FreeVector> y_;
  Owned<SUNMatrix, FreeMatrix> A_;
  Owned<SUNLinearSolver, FreeSolver> ls_;
  Owned<void*, FreeCvode> mem_;
  double t_ = 0.0;
  long steps_ = 0, evals_ = 0;
  SolverWork done_;
  std::string last_error_;
  std::exception_ptr rhs_error_;
};

}  // namespace

std::unique_ptr<Stepper> make_cvode_stepper(int n, OdeRhs& rhs, const SolverOptions& o) {
  return std::make_unique<Cvode>(n, rhs, o);
}

}  // namespace icsim
